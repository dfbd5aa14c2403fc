/* The logistics hub over the API: the seed's figures from the demo (computed, not typed), the
 * warehouse status rule, scope by role, bad input writing nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "logistics/rec_fixture.h"

static json_t *obj(json_t *o, const char *k)
{
    return json_object_get(o, k);
}
static double num(json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
}

TEST_T(logistics_demo_holds_the_seed, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80];
    th_login(&s, "viewer", s.demo_pw, tok);
    json_t *k = CALL(&s, "GET", tok, "/api/v1/logistics/kpi", NULL, 200);
    json_t *wh = obj(k, "warehouses");
    /* planned 5.6 million m² of which 2.87 million started: 2.87 / 5.6 = 0.5125 */
    CHECK_NEAR(num(wh, "total_m2"), 5600000, 1e-6);
    CHECK_NEAR(num(wh, "started_m2"), 2870000, 1e-6);
    CHECK_NEAR(num(wh, "started_share_pct"), 51.25, 1e-9);
    CHECK_NEAR(num(obj(wh, "target"), "value"), 5600000, 1e-6);
    CHECK_NEAR(num(wh, "started_of_plan_pct"), 51.25, 1e-9);
    CHECK_NEAR(num(obj(wh, "area_m2"), "under_construction") + num(obj(wh, "area_m2"), "operating"),
               2870000, 1e-6);
    /* the operating ones are the registry's supply stores */
    CHECK_INT(th_int(obj(wh, "supply_store"), "warehouses"), th_int(obj(wh, "count"), "operating"));
    CHECK(num(obj(wh, "supply_store"), "t") > 0);
    /* freight against 40 million t a year (the indicators' 4000 万吨) */
    json_t *fr = obj(k, "freight");
    CHECK_NEAR(num(obj(fr, "target"), "value"), 40000000, 1e-6);
    CHECK_STR(th_str(fr, "latest_month"), "2024-06");
    double annual = num(fr, "last_12_months_t") * 12.0 / (double)th_int(fr, "months_recorded");
    CHECK_NEAR(num(fr, "annualised_t"), (double)(long long)(annual + 0.5), 1.0);
    /* month by month, summing to the window's total */
    json_t *bm = obj(fr, "by_month");
    CHECK_INT(json_array_size(bm), 6);
    long long sum = 0;
    for (size_t i = 0; i < json_array_size(bm); i++) sum += th_int(json_array_get(bm, i), "t");
    CHECK_INT(sum, (long long)num(fr, "last_12_months_t"));
    CHECK_INT(sum, th_sql_int(&s, "SELECT SUM(tonnes) FROM lg_freight"));
    CHECK_STR(th_str(json_array_get(bm, 0), "month"), "2024-01");
    CHECK_NEAR(num(fr, "progress_pct"), (double)(long long)(annual / 400000.0 * 100 + 0.5) / 100,
               0.011);
    /* the consolidation example: 61.29 % → 74.88 % (+13.59 points), +101.84 mu, ≈ 3.36 亿元 */
    json_t *pa = obj(k, "parcels");
    CHECK_NEAR(num(pa, "rate_before_pct"), 61.29, 1e-9);
    CHECK_NEAR(num(pa, "rate_after_pct"), 74.88, 1e-9);
    CHECK_NEAR(num(pa, "points"), 13.59, 1e-9);
    CHECK_NEAR(num(pa, "added_mu"), 101.84, 1e-9);
    CHECK_INT(th_int(pa, "added_revenue_fen"), 33607200000LL);
    CHECK_INT(th_int(pa, "added_revenue_fen") / 100000000 / 100, 3); /* 3.36 亿元 */
    /* the three kinds of freight train; the five tenants */
    CHECK(obj(obj(k, "trains"), "china_europe") && obj(obj(k, "trains"), "city") &&
          obj(obj(k, "trains"), "intra_city"));
    CHECK_INT(th_int(k, "tenant_organisations"), 5);
    json_decref(k);
    json_t *t = CALL(&s, "GET", tok, "/api/v1/logistics/tenants?limit=500", NULL, 200);
    static const char *const names[] = {"普洛斯", "京东", "贝莱特", "菜鸟", "正创"};
    for (int i = 0; i < 5; i++) {
        int found = 0;
        json_t *items = obj(t, "items");
        for (size_t j = 0; j < json_array_size(items); j++)
            found |= strstr(th_str(json_array_get(items, j), "organisation"), names[i]) != NULL;
        CHECK(found);
    }
    json_decref(t);
    /* invented detail is labelled */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM lg_warehouses WHERE source <> 'synthetic'"), 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM lg_freight WHERE source <> 'synthetic'"), 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM lg_warehouses h JOIN facilities f ON f.id ="
                             " h.facility_id WHERE h.status = 'operating' AND f.type ="
                             " 'warehouse'"),
              5);
    /* the list filter and its cursor walk every warehouse once */
    long long seen = 0, cursor = 0;
    for (;;) {
        char path[128];
        snprintf(path, sizeof path, "/api/v1/logistics/warehouses?limit=4&cursor=%lld", cursor);
        json_t *p = CALL(&s, "GET", tok, path, NULL, 200);
        json_t *items = obj(p, "items");
        for (size_t j = 0; j < json_array_size(items); j++) {
            CHECK(th_int(json_array_get(items, j), "id") > cursor);
            seen++;
        }
        const char *next = th_str(p, "next_cursor");
        if (!next) {
            json_decref(p);
            break;
        }
        cursor = strtoll(next, NULL, 10);
        json_decref(p);
    }
    CHECK_INT(seen, 18);
    CHECK_INT(rec_count(CALL(&s, "GET", tok,
                             "/api/v1/logistics/warehouses?status=under_construction", NULL, 200)),
              6);
    th_stop(&s);
}

static void today(char out[11])
{
    time_t now =
        time(NULL) + PJ_LOCAL_OFFSET_S; /* the district's date (Beijing), as the server's */
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

TEST_T(logistics_warehouse_status_transitions, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *w = CALL(&s, "POST", tok, "/api/v1/logistics/warehouses",
                     "{\"name\":\"测试高标仓\",\"area_m2\":12000}", 201);
    long long id = th_int(w, "id");
    CHECK_STR(th_str(w, "status"), "planned");
    CHECK_INT(th_int(w, "version"), 1);
    json_decref(w);
    char path[96], body[256];
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", id);
    /* skipping a step, or an unknown status, writes nothing */
    REFUSED(&s, "PATCH", tok, path, "{\"version\":1,\"status\":\"operating\"}", 409,
            "invalid_transition");
    REFUSED(&s, "PATCH", tok, path, "{\"version\":1,\"status\":\"built\"}", 422, NULL);
    REFUSED(&s, "PATCH", tok, path, "{\"version\":1,\"started\":\"2024-01-01\"}", 422,
            "invalid_value");
    /* planned → under_construction sets the start date */
    w = CALL(&s, "PATCH", tok, path, "{\"version\":1,\"status\":\"under_construction\"}", 200);
    char d[11];
    today(d);
    CHECK_STR(th_str(w, "status"), "under_construction");
    CHECK_STR(th_str(w, "started"), d);
    CHECK_INT(th_int(w, "version"), 2);
    json_decref(w);
    /* a stale version is refused */
    REFUSED(&s, "PATCH", tok, path, "{\"version\":1,\"automation\":\"unmanned\"}", 409,
            "version_conflict");
    /* operating needs a registry facility of type warehouse */
    REFUSED(&s, "PATCH", tok, path, "{\"version\":2,\"status\":\"operating\"}", 422,
            "facility_required");
    long long hotel = th_sql_int(&s, "SELECT MIN(id) FROM facilities WHERE type = 'hotel'");
    long long store = th_sql_int(&s, "SELECT MIN(id) FROM facilities WHERE type = 'warehouse'");
    snprintf(body, sizeof body, "{\"version\":2,\"status\":\"operating\",\"facility_id\":%lld}",
             hotel);
    REFUSED(&s, "PATCH", tok, path, body, 422, "unknown_id");
    snprintf(body, sizeof body, "{\"version\":2,\"status\":\"operating\",\"facility_id\":%lld}",
             store);
    w = CALL(&s, "PATCH", tok, path, body, 200);
    CHECK_STR(th_str(w, "status"), "operating");
    CHECK_STR(th_str(w, "opened"), d);
    CHECK(num(w, "supply_store_t") > 0);
    json_decref(w);
    /* no way back, and the facility stays */
    REFUSED(&s, "PATCH", tok, path, "{\"version\":3,\"status\":\"under_construction\"}", 409,
            "invalid_transition");
    REFUSED(&s, "PATCH", tok, path, "{\"version\":3,\"status\":\"planned\"}", 409,
            "invalid_transition");
    REFUSED(&s, "PATCH", tok, path, "{\"version\":3,\"facility_id\":null}", 422,
            "facility_required");
    /* the same status is no change of status */
    json_decref(CALL(&s, "PATCH", tok, path, "{\"version\":3,\"status\":\"operating\"}", 200));
    /* created directly as operating: needs the facility too */
    REFUSED(&s, "POST", tok, "/api/v1/logistics/warehouses",
            "{\"name\":\"直接运营仓\",\"area_m2\":1000,\"status\":\"operating\"}", 422,
            "facility_required");
    /* every change audited: create + 3 updates */
    CHECK_INT(rec_sql1(&s,
                       "SELECT COUNT(*) FROM audit WHERE entity = 'lg_warehouse' AND entity_id ="
                       " %lld",
                       id),
              4);
    th_stop(&s);
}

TEST_T(logistics_scope_by_role, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char jd[80], off[80], view[80], grid[80], town[80];
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "viewer", s.demo_pw, view);
    th_login(&s, "grid01", s.demo_pw, grid);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    long long jd_org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long glp = th_sql_int(&s, "SELECT id FROM organisations WHERE name LIKE '普洛斯%'");
    CHECK(jd_org > 0 && glp > 0);
    /* an enterprise sees only its own organisation's warehouses, tenancies, freight */
    static const char *const own[] = {"/api/v1/logistics/warehouses?limit=500",
                                      "/api/v1/logistics/tenants?limit=500",
                                      "/api/v1/logistics/freight?limit=500"};
    for (int i = 0; i < 3; i++) {
        json_t *o = CALL(&s, "GET", jd, own[i], NULL, 200);
        json_t *items = obj(o, "items");
        CHECK(json_array_size(items) > 0);
        for (size_t j = 0; j < json_array_size(items); j++)
            CHECK_INT(th_int(json_array_get(items, j), "organisation_id"), jd_org);
        json_decref(o);
        /* the officer sees more */
        CHECK(rec_count(CALL(&s, "GET", off, own[i], NULL, 200)) > json_array_size(items));
    }
    /* … and no land parcels; public parks and trains it sees */
    CHECK_INT(rec_count(CALL(&s, "GET", jd, "/api/v1/logistics/parcels", NULL, 200)), 0);
    CHECK_INT(rec_count(CALL(&s, "GET", jd, "/api/v1/logistics/parks", NULL, 200)), 3);
    CHECK_INT(rec_count(CALL(&s, "GET", jd, "/api/v1/logistics/trains", NULL, 200)), 3);
    /* another organisation's warehouse does not exist for it */
    long long glp_wh =
        rec_sql1(&s, "SELECT MIN(id) FROM lg_warehouses WHERE organisation_id = %lld", glp);
    char path[96], body[256];
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", glp_wh);
    json_decref(CALL(&s, "GET", off, path, NULL, 200));
    REFUSED(&s, "GET", jd, path, NULL, 404, "not_found");
    REFUSED(&s, "PATCH", jd, path, "{\"version\":1,\"automation\":\"unmanned\"}", 404, NULL);
    REFUSED(&s, "DELETE", jd, path, NULL, 404, NULL);
    /* it writes for itself: its organisation is filled in; another one is 403 */
    json_t *w = CALL(&s, "POST", jd, "/api/v1/logistics/warehouses",
                     "{\"name\":\"京东自建仓（测试）\",\"area_m2\":5000}", 201);
    CHECK_INT(th_int(w, "organisation_id"), jd_org);
    long long mine = th_int(w, "id");
    json_decref(w);
    snprintf(body, sizeof body, "{\"name\":\"冒名仓\",\"area_m2\":5000,\"organisation_id\":%lld}",
             glp);
    REFUSED(&s, "POST", jd, "/api/v1/logistics/warehouses", body, 403, "forbidden");
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", mine);
    snprintf(body, sizeof body, "{\"version\":1,\"organisation_id\":%lld}", glp);
    REFUSED(&s, "PATCH", jd, path, body, 403, "forbidden");
    json_decref(CALL(&s, "PATCH", jd, path, "{\"version\":1,\"automation\":\"automated\"}", 200));
    /* it links only the facilities it operates */
    long long glp_fac = rec_sql1(
        &s, "SELECT MIN(id) FROM facilities WHERE operator_id = %lld AND type = 'warehouse'", glp);
    long long jd_fac = rec_sql1(
        &s, "SELECT MIN(id) FROM facilities WHERE operator_id = %lld AND type = 'warehouse'",
        jd_org);
    CHECK(glp_fac > 0 && jd_fac > 0);
    snprintf(body, sizeof body, "{\"version\":2,\"facility_id\":%lld}", glp_fac);
    REFUSED(&s, "PATCH", jd, path, body, 403, "forbidden");
    snprintf(body, sizeof body, "{\"version\":2,\"facility_id\":%lld}", jd_fac);
    json_decref(CALL(&s, "PATCH", jd, path, body, 200));
    json_decref(CALL(&s, "POST", jd, "/api/v1/logistics/freight",
                     "{\"month\":\"2024-07\",\"tonnes\":1000}", 201));
    /* public and district records are not an enterprise's to write */
    REFUSED(&s, "POST", jd, "/api/v1/logistics/trains", "{\"name\":\"x\",\"kind\":\"city\"}", 403,
            "forbidden");
    REFUSED(&s, "POST", jd, "/api/v1/logistics/parks", "{\"name\":\"x\"}", 403, "forbidden");
    /* viewers and grid workers read only */
    REFUSED(&s, "POST", view, "/api/v1/logistics/parks", "{\"name\":\"x\"}", 403, NULL);
    REFUSED(&s, "POST", grid, "/api/v1/logistics/parks", "{\"name\":\"x\"}", 403, NULL);
    json_decref(CALL(&s, "GET", view, path, NULL, 200));
    /* a township officer writes in their township only */
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    long long mafang = th_sql_int(&s, "SELECT id FROM regions WHERE name = '马坊地区'");
    snprintf(body, sizeof body, "{\"name\":\"金海湖冷链园\",\"township_id\":%lld}", mafang);
    REFUSED(&s, "POST", town, "/api/v1/logistics/parks", body, 403, "forbidden");
    REFUSED(&s, "POST", town, "/api/v1/logistics/parks", "{\"name\":\"无乡镇园\"}", 403,
            "forbidden");
    snprintf(body, sizeof body, "{\"name\":\"金海湖冷链园\",\"township_id\":%lld}", jhh);
    json_decref(CALL(&s, "POST", town, "/api/v1/logistics/parks", body, 201));
    long long valley = th_sql_int(&s, "SELECT id FROM lg_parks WHERE name = '东久新宜物流谷'");
    snprintf(path, sizeof path, "/api/v1/logistics/parks/%lld", valley);
    REFUSED(&s, "PATCH", town, path, "{\"version\":1,\"area_mu\":1}", 403, "forbidden");
    th_stop(&s);
}

TEST_T(logistics_bad_input_writes_nothing, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long wh = th_sql_int(&s, "SELECT MIN(id) FROM lg_warehouses");
    long long park = th_sql_int(&s, "SELECT MIN(id) FROM lg_parks");
    long long glp = th_sql_int(&s, "SELECT id FROM organisations WHERE name LIKE '普洛斯%'");
    char body[256], path[96];
    static const struct {
        const char *path, *body;
        int status;
        const char *code;
    } bad[] = {
        {"/api/v1/logistics/parks", "{}", 422, "missing_field"},
        {"/api/v1/logistics/parks", "{\"name\":\"\"}", 422, NULL},
        {"/api/v1/logistics/parks", "{\"name\":\"x\",\"colour\":\"red\"}", 422, "unknown_field"},
        {"/api/v1/logistics/parks", "{\"name\":\"x\",\"township_id\":999999}", 422, "unknown_id"},
        {"/api/v1/logistics/parks", "{\"name\":\"马坊物流基地\"}", 409, "conflict"},
        {"/api/v1/logistics/parks", "[1,2]", 400, "invalid_json"},
        {"/api/v1/logistics/warehouses", "{\"name\":\"x\"}", 422, "missing_field"},
        {"/api/v1/logistics/warehouses", "{\"name\":\"x\",\"area_m2\":-5}", 422, NULL},
        {"/api/v1/logistics/warehouses", "{\"name\":\"x\",\"area_m2\":\"big\"}", 422, NULL},
        {"/api/v1/logistics/warehouses", "{\"name\":\"x\",\"area_m2\":9,\"status\":\"built\"}", 422,
         NULL},
        {"/api/v1/logistics/warehouses", "{\"name\":\"x\",\"area_m2\":9,\"automation\":\"magic\"}",
         422, NULL},
        {"/api/v1/logistics/warehouses",
         "{\"name\":\"x\",\"area_m2\":9,\"started\":\"2024-02-30\"}", 422, NULL},
        {"/api/v1/logistics/freight", "{\"month\":\"2024-13\",\"tonnes\":5}", 422, "invalid_value"},
        {"/api/v1/logistics/freight", "{\"month\":\"2999-01\",\"tonnes\":5}", 422, "invalid_value"},
        {"/api/v1/logistics/freight", "{\"month\":\"2024-05\",\"tonnes\":-1}", 422, NULL},
        {"/api/v1/logistics/freight", "{\"month\":\"2024-05\"}", 422, "missing_field"},
        {"/api/v1/logistics/freight", "{\"month\":\"2024-05\",\"tonnes\":1,\"mode\":\"air\"}", 422,
         NULL},
        {"/api/v1/logistics/parcels",
         "{\"name\":\"x\",\"area_mu\":10,\"transferable_before_mu\":11,"
         "\"transferable_after_mu\":5}",
         422, "out_of_range"},
        {"/api/v1/logistics/parcels",
         "{\"name\":\"x\",\"area_mu\":0,\"transferable_before_mu\":0,\"transferable_after_mu\":0}",
         422, NULL},
        {"/api/v1/logistics/trains", "{\"name\":\"x\",\"kind\":\"ship\"}", 422, NULL},
        {"/api/v1/logistics/trains", "{\"name\":\"x\",\"kind\":\"city\",\"trains_per_week\":-1}",
         422, NULL},
        {"/api/v1/logistics/tenants", "{\"warehouse_id\":999999,\"organisation_id\":1}", 422,
         "unknown_id"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        REFUSED(&s, "POST", tok, bad[i].path, bad[i].body, bad[i].status, bad[i].code);
    /* tenancy dates out of order; a second tenancy of the same organisation */
    snprintf(body, sizeof body,
             "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"since\":\"2024-05-01\","
             "\"until\":\"2024-01-01\"}",
             wh, glp);
    REFUSED(&s, "POST", tok, "/api/v1/logistics/tenants", body, 422, "invalid_value");
    long long tw =
        rec_sql1(&s, "SELECT warehouse_id FROM lg_tenants WHERE organisation_id = %lld", glp);
    snprintf(body, sizeof body, "{\"warehouse_id\":%lld,\"organisation_id\":%lld}", tw, glp);
    REFUSED(&s, "POST", tok, "/api/v1/logistics/tenants", body, 409, "conflict");
    /* a conflict names the field of the key that refused it (it named none) */
    json_t *cf = CALL(&s, "POST", tok, "/api/v1/logistics/tenants", body, 409);
    CHECK_STR(th_err_field(cf), "warehouse_id");
    json_decref(cf);
    cf = CALL(&s, "POST", tok, "/api/v1/logistics/parks", "{\"name\":\"马坊物流基地\"}", 409);
    CHECK_STR(th_err_field(cf), "name");
    CHECK(strstr(th_err_message(cf), "the same name") != NULL);
    json_decref(cf);
    /* the same park, organisation, month and mode twice */
    snprintf(body, sizeof body,
             "{\"park_id\":%lld,\"organisation_id\":%lld,\"month\":\"2024-01\",\"tonnes\":1}", park,
             glp);
    REFUSED(&s, "POST", tok, "/api/v1/logistics/freight", body, 409, "conflict");
    /* updates: fixed fields, missing version, bad values */
    long long fr = th_sql_int(&s, "SELECT MIN(id) FROM lg_freight");
    snprintf(path, sizeof path, "/api/v1/logistics/freight/%lld", fr);
    REFUSED(&s, "PATCH", tok, path, "{\"version\":1,\"month\":\"2024-02\"}", 422, "read_only");
    REFUSED(&s, "PATCH", tok, path, "{\"tonnes\":5}", 422, "missing_field");
    REFUSED(&s, "PATCH", tok, path, "{\"version\":1,\"tonnes\":\"five\"}", 422, NULL);
    REFUSED(&s, "PATCH", tok, "/api/v1/logistics/freight/999999", "{\"version\":1}", 404,
            "not_found");
    long long parcel = th_sql_int(&s, "SELECT MIN(id) FROM lg_parcels");
    snprintf(path, sizeof path, "/api/v1/logistics/parcels/%lld", parcel);
    REFUSED(&s, "PATCH", tok, path, "{\"version\":1,\"transferable_after_mu\":800}", 422,
            "out_of_range");
    /* a park with warehouses cannot go */
    snprintf(path, sizeof path, "/api/v1/logistics/parks/%lld", park);
    REFUSED(&s, "DELETE", tok, path, NULL, 409, "in_use");
    /* list parameters */
    static const char *const qs[] = {
        "/api/v1/logistics/warehouses?status=built",   "/api/v1/logistics/warehouses?limit=0",
        "/api/v1/logistics/warehouses?limit=501",      "/api/v1/logistics/warehouses?colour=red",
        "/api/v1/logistics/warehouses?park_id=x",      "/api/v1/logistics/freight?from=2024-1",
        "/api/v1/logistics/warehouses?cold_chain=yes", "/api/v1/logistics/kpi?year=2024",
        "/api/v1/logistics/parcels?from=2024-01"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++)
        REFUSED(&s, "GET", tok, qs[i], NULL, 400, NULL);
    /* a body that is not JSON */
    REFUSED(&s, "POST", tok, "/api/v1/logistics/parks", "{\"name\":", 400, NULL);
    /* and a good one after all that: it is audited */
    json_decref(CALL(&s, "POST", tok, "/api/v1/logistics/parks", "{\"name\":\"新园\"}", 201));
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'lg_park' AND action ="
                             " 'create'"),
              1);
    th_stop(&s);
}
