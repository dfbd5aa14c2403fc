/* Rules of the record layer found in review: an enterprise's tenancies stay in its warehouses,
 * its rows in their township, parcel figures stay inside 64 bits, an update's cross-field check
 * sees the whole row, null is refused for fields that cannot hold it, and a query too long to build
 * is refused, never cut. */
#include <stdio.h>
#include <string.h>

#include "logistics/rec_fixture.h"

static json_t *obj(json_t *o, const char *k)
{
    return json_object_get(o, k);
}

/* The call is refused with status/code naming field, and writes nothing. */
static void refused_field(th_server *s, const char *m, const char *tok, const char *path,
                          const char *body, int want, const char *code, const char *field, int line)
{
    static char fp0[16384], fp1[16384];
    th_fingerprint(s, fp0, sizeof fp0);
    json_t *o = th_call_want(s, m, tok, path, body, want, __FILE__, line);
    const char *c = th_err_code(o), *f = th_err_field(o);
    if (!c || strcmp(c, code) || !f || strcmp(f, field))
        t_fail(__FILE__, line, "%s %s: error %s field %s, expected %s field %s", m, path,
               c ? c : "-", f ? f : "-", code, field);
    json_decref(o);
    th_fingerprint(s, fp1, sizeof fp1);
    if (strcmp(fp0, fp1)) t_fail(__FILE__, line, "%s %s wrote something", m, path);
}
#define REFUSED_F(s, m, tok, path, body, want, code, field)                                        \
    refused_field(s, m, tok, path, body, want, code, field, __LINE__)

TEST_T(records_enterprise_tenancy_only_in_its_warehouses, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char jd[80], off[80], path[96], body[256];
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "officer", s.demo_pw, off);
    long long jd_org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long glp = th_sql_int(&s, "SELECT id FROM organisations WHERE name LIKE '普洛斯%'");
    long long glp_wh =
        rec_sql1(&s, "SELECT MIN(id) FROM lg_warehouses WHERE organisation_id = %lld", glp);
    CHECK(jd_org > 0 && glp > 0 && glp_wh > 0);
    /* another organisation's warehouse is as unknown as a missing one */
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", glp_wh);
    REFUSED(&s, "GET", jd, path, NULL, 404, "not_found");
    snprintf(body, sizeof body,
             "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"area_m2\":50000}", glp_wh, jd_org);
    REFUSED_F(&s, "POST", jd, "/api/v1/logistics/tenants", body, 422, "unknown_id", "warehouse_id");
    snprintf(body, sizeof body, "{\"warehouse_id\":%lld,\"area_m2\":50000}", glp_wh);
    REFUSED_F(&s, "POST", jd, "/api/v1/logistics/tenants", body, 422, "unknown_id", "warehouse_id");
    /* in its own warehouse it may */
    json_t *w = CALL(&s, "POST", jd, "/api/v1/logistics/warehouses",
                     "{\"name\":\"京东自建仓（租约测试）\",\"area_m2\":8000}", 201);
    long long mine = th_int(w, "id");
    json_decref(w);
    snprintf(body, sizeof body, "{\"warehouse_id\":%lld,\"area_m2\":1000,\"since\":\"2090-01-01\"}",
             mine);
    json_t *t = CALL(&s, "POST", jd, "/api/v1/logistics/tenants", body, 201);
    CHECK_INT(th_int(t, "organisation_id"), jd_org);
    json_decref(t);
    /* a district officer records another organisation's tenancy in jd's warehouse: jd, the
     * warehouse's owner, sees it but may not change it */
    snprintf(body, sizeof body,
             "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"area_m2\":500,"
             "\"since\":\"2090-01-01\"}",
             mine, glp);
    t = CALL(&s, "POST", off, "/api/v1/logistics/tenants", body, 201);
    long long other = th_int(t, "id");
    json_decref(t);
    snprintf(path, sizeof path, "/api/v1/logistics/tenants/%lld", other);
    json_t *g = CALL(&s, "GET", jd, path, NULL, 200);
    CHECK_INT(th_int(g, "organisation_id"), glp);
    json_decref(g);
    REFUSED(&s, "PATCH", jd, path, "{\"version\":1,\"area_m2\":1}", 403, "forbidden");
    snprintf(path, sizeof path, "/api/v1/logistics/tenants?warehouse_id=%lld", mine);
    CHECK_INT(rec_count(CALL(&s, "GET", jd, path, NULL, 200)), 2);
    /* GLP's tenancies elsewhere stay hidden from jd */
    json_t *l = CALL(&s, "GET", jd, "/api/v1/logistics/tenants?limit=500", NULL, 200);
    json_t *items = obj(l, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        CHECK(th_int(it, "organisation_id") == jd_org || th_int(it, "warehouse_id") == mine);
    }
    json_decref(l);
    th_stop(&s);
}

/* Regression: an enterprise edits its warehouse but cannot move it to another township (it
 * handed the row to that township's officers and took it from its own); the district can. */
TEST_T(records_enterprise_keeps_its_rows_in_their_township, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char jd[80], off[80], town[80], path[96], body[160];
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    long long jd_org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    long long home = rec_sql1(&s, "SELECT township_id FROM organisations WHERE id = %lld", jd_org);
    snprintf(body, sizeof body,
             "{\"name\":\"京东自建仓（辖区测试）\",\"area_m2\":8000,\"township_id\":%lld}", home);
    json_t *w = CALL(&s, "POST", jd, "/api/v1/logistics/warehouses", body, 201);
    long long mine = th_int(w, "id");
    CHECK_INT(th_int(w, "township_id"), home);
    CHECK_INT(th_int(w, "organisation_id"), jd_org);
    json_decref(w);
    CHECK(home > 0 && home != jhh);
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", mine);
    snprintf(body, sizeof body, "{\"version\":1,\"township_id\":%lld}", jhh);
    REFUSED_F(&s, "PATCH", jd, path, body, 403, "forbidden", "township_id");
    REFUSED(&s, "PATCH", town, path, "{\"version\":1,\"name\":\"改名\"}", 403, "forbidden");
    /* its own fields it edits, naming its township again is no move */
    snprintf(body, sizeof body, "{\"version\":1,\"township_id\":%lld,\"area_m2\":9000}", home);
    w = CALL(&s, "PATCH", jd, path, body, 200);
    CHECK_INT(th_int(w, "township_id"), home);
    json_decref(w);
    /* moved by its park (the township follows the park): refused on the field sent, park_id,
     * not on township_id, which the caller never sent (regression) */
    snprintf(body, sizeof body, "{\"name\":\"金海湖物流园（辖区测试）\",\"township_id\":%lld}",
             jhh);
    w = CALL(&s, "POST", off, "/api/v1/logistics/parks", body, 201);
    long long park = th_int(w, "id");
    json_decref(w);
    snprintf(body, sizeof body, "{\"version\":2,\"park_id\":%lld}", park);
    REFUSED_F(&s, "PATCH", jd, path, body, 403, "forbidden", "park_id");
    /* the district moves it */
    snprintf(body, sizeof body, "{\"version\":2,\"township_id\":%lld}", jhh);
    w = CALL(&s, "PATCH", off, path, body, 200);
    CHECK_INT(th_int(w, "township_id"), jhh);
    json_decref(w);
    th_stop(&s);
}

/* A row carries the scope it is written under even when that is not a field of its own (a
 * tenancy's township is its warehouse's, a milestone's its project's), so a client can tell who
 * may change it; the console hid edit buttons by it and could not for these kinds. */
TEST_T(records_rows_show_their_scope, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *l = CALL(&s, "GET", off, "/api/v1/logistics/tenants?limit=500", NULL, 200);
    json_t *items = obj(l, "items");
    CHECK(json_array_size(items) > 0);
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        long long wt = rec_sql1(&s, "SELECT township_id FROM lg_warehouses WHERE id = %lld",
                                th_int(it, "warehouse_id"));
        CHECK_INT(th_int(it, "township_id"), wt);
        CHECK(th_int(it, "organisation_id") > 0);
    }
    json_decref(l);
    l = CALL(&s, "GET", off, "/api/v1/agri/milestones?limit=500", NULL, 200);
    items = obj(l, "items");
    CHECK(json_array_size(items) > 0);
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        long long pt = rec_sql1(&s, "SELECT township_id FROM ag_projects WHERE id = %lld",
                                th_int(it, "project_id"));
        CHECK_INT(th_int(it, "township_id"), pt);
    }
    json_decref(l);
    th_stop(&s);
}

TEST_T(records_parcel_figures_stay_in_range, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    REFUSED_F(&s, "POST", tok, "/api/v1/logistics/parcels",
              "{\"name\":\"贵地\",\"area_mu\":10000000,\"transferable_before_mu\":0,"
              "\"transferable_after_mu\":10000000,\"price_fen_per_mu\":1000}",
              422, "out_of_range", "area_mu");
    REFUSED_F(&s, "POST", tok, "/api/v1/logistics/parcels",
              "{\"name\":\"贵地\",\"area_mu\":100,\"transferable_before_mu\":0,"
              "\"transferable_after_mu\":100,\"price_fen_per_mu\":10000000000000}",
              422, "out_of_range", "price_fen_per_mu");
    /* the largest allowed: 10^6 mu added at 10^9 fen/mu */
    json_t *p = CALL(&s, "POST", tok, "/api/v1/logistics/parcels",
                     "{\"name\":\"最大地块\",\"area_mu\":1000000,\"transferable_before_mu\":0,"
                     "\"transferable_after_mu\":1000000,\"price_fen_per_mu\":1000000000}",
                     201);
    CHECK_INT(th_int(p, "added_revenue_fen"), 1000000000000000LL);
    json_decref(p);
    /* rows from before the ranges (written directly): no figure rather than a wrapped one */
    th_sql_exec(&s, "INSERT INTO lg_parcels (name, area_mu, transferable_before_mu,"
                    " transferable_after_mu, price_fen_per_mu, source, created_at, updated_at)"
                    " VALUES ('旧甲', 10, 0, 1, 4000000000000000000, 'synthetic', 0, 0),"
                    " ('旧乙', 10, 0, 1, 4000000000000000000, 'synthetic', 0, 0),"
                    " ('旧丙', 10, 0, 1, 4000000000000000000, 'synthetic', 0, 0),"
                    " ('旧丁', 10, 0, 9, 4000000000000000000, 'synthetic', 0, 0)");
    json_t *k = CALL(&s, "GET", tok, "/api/v1/logistics/kpi", NULL, 200);
    json_t *rev = obj(obj(k, "parcels"), "added_revenue_fen");
    CHECK(rev && json_is_null(rev));
    json_decref(k);
    long long big = th_sql_int(&s, "SELECT id FROM lg_parcels WHERE name = '旧丁'");
    char path[96];
    snprintf(path, sizeof path, "/api/v1/logistics/parcels/%lld", big);
    p = CALL(&s, "GET", tok, path, NULL, 200);
    CHECK(obj(p, "added_revenue_fen") == NULL);
    json_decref(p);
    th_stop(&s);
}

TEST_T(records_update_checks_the_whole_row, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80], path[96];
    th_login(&s, "officer", s.demo_pw, tok);
    /* since, then an until before it: refused */
    long long tn = th_sql_int(&s, "SELECT MIN(id) FROM lg_tenants");
    long long v = rec_sql1(&s, "SELECT version FROM lg_tenants WHERE id = %lld", tn);
    snprintf(path, sizeof path, "/api/v1/logistics/tenants/%lld", tn);
    char body[128];
    snprintf(body, sizeof body, "{\"version\":%lld,\"since\":\"2024-05-01\",\"until\":null}", v);
    json_decref(CALL(&s, "PATCH", tok, path, body, 200));
    snprintf(body, sizeof body, "{\"version\":%lld,\"until\":\"2024-01-01\"}", v + 1);
    REFUSED_F(&s, "PATCH", tok, path, body, 422, "invalid_value", "until");
    snprintf(body, sizeof body, "{\"version\":%lld,\"until\":\"2025-01-01\"}", v + 1);
    json_decref(CALL(&s, "PATCH", tok, path, body, 200));
    /* and the other way round */
    snprintf(body, sizeof body, "{\"version\":%lld,\"since\":\"2025-06-01\"}", v + 2);
    REFUSED_F(&s, "PATCH", tok, path, body, 422, "invalid_value", "until");
    /* a parcel: the stored area bounds a transferable area sent alone */
    long long pc = th_sql_int(&s, "SELECT MIN(id) FROM lg_parcels");
    snprintf(path, sizeof path, "/api/v1/logistics/parcels/%lld", pc);
    REFUSED_F(&s, "PATCH", tok, path, "{\"version\":1,\"area_mu\":1}", 422, "out_of_range",
              "transferable_before_mu");
    /* an expert keeps a farm or a lab */
    long long ex = th_sql_int(&s, "SELECT MIN(id) FROM ag_experts WHERE lab_id IS NULL");
    CHECK(ex > 0);
    v = rec_sql1(&s, "SELECT version FROM ag_experts WHERE id = %lld", ex);
    snprintf(path, sizeof path, "/api/v1/agri/experts/%lld", ex);
    snprintf(body, sizeof body, "{\"version\":%lld,\"farm_id\":null}", v);
    REFUSED_F(&s, "PATCH", tok, path, body, 422, "missing_field", "farm_id");
    th_stop(&s);
}

TEST_T(records_null_source_is_refused, 60)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    REFUSED_F(&s, "POST", tok, "/api/v1/logistics/parks", "{\"name\":\"无源园\",\"source\":null}",
              422, "invalid_value", "source");
    REFUSED_F(&s, "POST", tok, "/api/v1/agri/labs", "{\"name\":\"无源所\",\"source\":null}", 422,
              "invalid_value", "source");
    th_stop(&s);
}

/* A query of many parameters keeps the enterprise's scope and the limit: 236 × status and 2 ×
 * park_id built a statement of 4095 bytes, which had to be refused whole (cut after its filters
 * it would have lost the scope). A repeated parameter now counts once, with its first value, so
 * such a query is the short one: answered, within scope, the same rows. The HTTP layer caps
 * query parameters below this, so the layer is called directly. */
TEST_T(records_many_parameters_keep_the_scope, 60)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    long long jd_org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long glp = th_sql_int(&s, "SELECT id FROM organisations WHERE name LIKE '普洛斯%'");
    long long glp_wh = rec_sql1(&s,
                                "SELECT MIN(id) FROM lg_warehouses WHERE organisation_id = %lld"
                                " AND park_id IS NOT NULL",
                                glp);
    CHECK(glp_wh > 0);
    long long park = rec_sql1(&s, "SELECT park_id FROM lg_warehouses WHERE id = %lld", glp_wh);
    char park_s[24];
    snprintf(park_s, sizeof park_s, "%lld", park);
    static char status[32];
    long long st = rec_sql1(&s,
                            "SELECT CASE status WHEN 'planned' THEN 0 WHEN 'under_construction'"
                            " THEN 1 ELSE 2 END FROM lg_warehouses WHERE id = %lld",
                            glp_wh);
    snprintf(status, sizeof status, "%s", pj_lg_statuses[st]);
    enum { NS = 236, NP = 2 };
    static const char *keys[NS + NP], *vals[NS + NP];
    for (int i = 0; i < NS + NP; i++) {
        keys[i] = i < NS ? "status" : "park_id";
        vals[i] = i < NS ? status : park_s;
    }
    pj_err err;
    pj_err_clear(&err);
    th_ctx t;
    th_ctx_open(&s, &t, "jd", PJ_ROLE_ENTERPRISE);
    t.c.actor.organisation_id = jd_org;
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    pj_rec_query q = {.keys = keys, .vals = vals, .n = NS + NP};
    int rc = pj_rec_list(&t.c, &pj_lg_warehouses, &q, &w, &err);
    CHECK_INT(rc, 0);
    /* nothing of another organisation came out */
    char needle[48];
    snprintf(needle, sizeof needle, "\"organisation_id\":%lld", glp);
    CHECK(!out.data || !strstr(out.data, needle));
    /* a short query with the same filters answers within scope */
    pj_err_clear(&err);
    pj_buf out2;
    pj_buf_init(&out2, 1 << 20);
    pj_jw w2;
    pj_jw_init(&w2, &out2);
    pj_rec_query q2 = {.keys = keys + NS - 1, .vals = vals + NS - 1, .n = 2};
    CHECK_INT(pj_rec_list(&t.c, &pj_lg_warehouses, &q2, &w2, &err), 0);
    CHECK(out2.data && !strstr(out2.data, needle));
    CHECK(out.data && out2.data && out.len == out2.len && !memcmp(out.data, out2.data, out.len));
    pj_buf_free(&out);
    pj_buf_free(&out2);
    th_ctx_close(&t);
    th_stop(&s);
}

/* A warehouse or land parcel in a park lies in the park's township: a township officer cannot
 * put one into another township's park under its own township (which counted in that park's
 * figures), a missing township is the park's, and a move to another park takes that park's. */
TEST_T(records_park_rows_lie_in_the_parks_township, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char off[80], town[80], body[256], path[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    long long park = th_sql_int(&s, "SELECT MIN(id) FROM lg_parks WHERE township_id IS NOT NULL");
    long long ptown = rec_sql1(&s, "SELECT township_id FROM lg_parks WHERE id = %lld", park);
    CHECK(ptown != jhh);
    snprintf(path, sizeof path, "/api/v1/logistics/parks/%lld", park);
    json_t *o = CALL(&s, "GET", off, path, NULL, 200);
    long long n0 = th_int(o, "warehouses");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"name\":\"挂靠仓\",\"park_id\":%lld,\"township_id\":%lld,\"area_m2\":1000}", park,
             jhh);
    REFUSED_F(&s, "POST", town, "/api/v1/logistics/warehouses", body, 422, "invalid_value",
              "township_id");
    REFUSED_F(&s, "POST", off, "/api/v1/logistics/warehouses", body, 422, "invalid_value",
              "township_id");
    snprintf(body, sizeof body,
             "{\"name\":\"挂靠地块\",\"park_id\":%lld,\"township_id\":%lld,\"area_mu\":10,"
             "\"transferable_before_mu\":1,\"transferable_after_mu\":2}",
             park, jhh);
    REFUSED_F(&s, "POST", town, "/api/v1/logistics/parcels", body, 422, "invalid_value",
              "township_id");
    /* without a township it is the park's: outside the officer's */
    snprintf(body, sizeof body, "{\"name\":\"挂靠仓\",\"park_id\":%lld,\"area_m2\":1000}", park);
    REFUSED_F(&s, "POST", town, "/api/v1/logistics/warehouses", body, 403, "forbidden",
              "township_id");
    o = CALL(&s, "GET", off, path, NULL, 200);
    CHECK_INT(th_int(o, "warehouses"), n0);
    json_decref(o);
    /* the district's new warehouse takes the park's township */
    o = CALL(&s, "POST", off, "/api/v1/logistics/warehouses", body, 201);
    long long wh = th_int(o, "id");
    CHECK_INT(th_int(o, "township_id"), ptown);
    json_decref(o);
    /* moved to a park of Jinhaihu, it goes with it; naming another township is refused */
    snprintf(body, sizeof body, "{\"name\":\"金海湖物流园\",\"township_id\":%lld}", jhh);
    o = CALL(&s, "POST", off, "/api/v1/logistics/parks", body, 201);
    long long jpark = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", wh);
    snprintf(body, sizeof body, "{\"version\":1,\"park_id\":%lld,\"township_id\":%lld}", jpark,
             ptown);
    REFUSED_F(&s, "PATCH", off, path, body, 422, "invalid_value", "township_id");
    snprintf(body, sizeof body, "{\"version\":1,\"township_id\":%lld}", jhh);
    REFUSED_F(&s, "PATCH", off, path, body, 422, "invalid_value", "township_id");
    snprintf(body, sizeof body, "{\"version\":1,\"park_id\":%lld}", jpark);
    o = CALL(&s, "PATCH", off, path, body, 200);
    CHECK_INT(th_int(o, "township_id"), jhh);
    json_decref(o);
    /* now Jinhaihu's to change */
    o = CALL(&s, "PATCH", town, path, "{\"version\":2,\"name\":\"金海湖仓\"}", 200);
    CHECK_INT(th_int(o, "version"), 3);
    json_decref(o);
    th_stop(&s);
}

/* A record that others refer to is not deleted, and the 409 in_use says by what, at `id`, as
 * the registry's deletes do: "park 3 is referred to by 2 warehouses" (it said only "other
 * records refer to this park", at no field). Nothing is written; once they are gone it goes. */
TEST_T(records_delete_in_use_names_what_refers, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[160], path[96];
    th_login(&s, "admin", s.admin_pw, tok);
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "POST", "/api/v1/logistics/parks", tok, "{\"name\":\"引用园\"}", &o),
              201);
    long long park = th_int(o, "id");
    json_decref(o);
    long long wh[2];
    for (int i = 0; i < 2; i++) {
        snprintf(body, sizeof body, "{\"name\":\"引用库%d\",\"park_id\":%lld,\"area_m2\":1000}", i,
                 park);
        o = NULL;
        CHECK_INT(th_call(&s, "POST", "/api/v1/logistics/warehouses", tok, body, &o), 201);
        wh[i] = th_int(o, "id");
        json_decref(o);
    }
    long long audit = th_sql_int(&s, "SELECT COUNT(*) FROM audit");
    snprintf(path, sizeof path, "/api/v1/logistics/parks/%lld", park);
    o = NULL;
    CHECK_INT(th_call(&s, "DELETE", path, tok, NULL, &o), 409);
    CHECK_STR(th_err_code(o), "in_use");
    CHECK(th_err_field(o) && !strcmp(th_err_field(o), "id"));
    const char *msg = json_string_value(json_object_get(json_object_get(o, "error"), "message"));
    CHECK(msg && strstr(msg, "2 warehouses"));
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit"), audit);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, NULL), 200);
    for (int i = 0; i < 2; i++) {
        char wp[96];
        snprintf(wp, sizeof wp, "/api/v1/logistics/warehouses/%lld", wh[i]);
        CHECK_INT(th_call(&s, "DELETE", wp, tok, NULL, NULL), 204);
    }
    CHECK_INT(th_call(&s, "DELETE", path, tok, NULL, NULL), 204);
    th_stop(&s);
}

/* Regression: an enterprise's write referring to another organisation's record (a project's
 * milestone, a farm's transfer) was checked against that record before its scope, so the
 * refusal told what the enterprise cannot read — the project's start ("done … is before project
 * 1 starts (2023-03-01)"), the farm's area ("more than farm 1 has (364 mu)"), a milestone's name
 * (409 exists already). Such a record is as unknown as a missing one: 422 unknown_id at the
 * reference, as a tenancy in another's warehouse, before any other rule. */
TEST_T(records_enterprise_refusals_tell_nothing_of_other_organisations, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char jd[80], body[300];
    th_login(&s, "jd", s.demo_pw, jd);
    long long jd_org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    /* another organisation's project with a start and a milestone 立项与设计 */
    long long project = rec_sql1(&s,
                                 "SELECT MIN(p.id) FROM ag_projects p JOIN ag_milestones m ON"
                                 " m.project_id = p.id AND m.name = '立项与设计' WHERE"
                                 " p.organisation_id IS NOT %lld AND p.start_date IS NOT NULL",
                                 jd_org);
    long long farm = rec_sql1(&s,
                              "SELECT MIN(id) FROM ag_farms WHERE organisation_id IS NOT %lld AND"
                              " area_mu > 0",
                              jd_org);
    long long result = th_sql_int(&s, "SELECT MIN(id) FROM ag_results");
    CHECK(project > 0 && farm > 0 && result > 0);
    /* a done date before the project's start, a name the project has, an area past the farm's */
    snprintf(body, sizeof body,
             "{\"project_id\":%lld,\"name\":\"新里程碑\",\"due\":\"2026-12-31\",\"done\":"
             "\"2000-01-01\"}",
             project);
    REFUSED_F(&s, "POST", jd, "/api/v1/agri/milestones", body, 422, "unknown_id", "project_id");
    snprintf(body, sizeof body,
             "{\"project_id\":%lld,\"name\":\"立项与设计\",\"due\":\"2026-12-31\"}", project);
    REFUSED_F(&s, "POST", jd, "/api/v1/agri/milestones", body, 422, "unknown_id", "project_id");
    snprintf(body, sizeof body,
             "{\"result_id\":%lld,\"farm_id\":%lld,\"date\":\"2026-01-01\",\"area_mu\":999999}",
             result, farm);
    json_t *o = CALL(&s, "POST", jd, "/api/v1/agri/transfers", body, 422);
    CHECK_STR(th_err_code(o), "unknown_id");
    CHECK_STR(th_err_field(o), "farm_id");
    CHECK(strstr(th_err_message(o), " mu") == NULL);
    json_decref(o);
    th_stop(&s);
}
