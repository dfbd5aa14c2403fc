/* The logistics hub over the API: the seed's figures from the demo (computed, not typed), the
 * warehouse status rule, scope by role, bad input writing nothing. */
#include <math.h>
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
    /* the same status is no change of status: nothing written, the same version */
    w = CALL(&s, "PATCH", tok, path, "{\"version\":3,\"status\":\"operating\"}", 200);
    CHECK_INT(th_int(w, "version"), 3);
    json_decref(w);
    /* created directly as operating: needs the facility too */
    REFUSED(&s, "POST", tok, "/api/v1/logistics/warehouses",
            "{\"name\":\"直接运营仓\",\"area_m2\":1000,\"status\":\"operating\"}", 422,
            "facility_required");
    /* every change audited: create + 2 updates (the same status again wrote nothing) */
    CHECK_INT(rec_sql1(&s,
                       "SELECT COUNT(*) FROM audit WHERE entity = 'lg_warehouse' AND entity_id ="
                       " %lld",
                       id),
              3);
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
    if (jd_org <= 0 || glp <= 0)
        t_fail(__FILE__, __LINE__, "jd's organisation %lld, GLP's %lld: the demo has both", jd_org,
               glp);
    /* an enterprise sees only its own organisation's warehouses, tenancies, freight */
    static const char *const own[] = {"/api/v1/logistics/warehouses?limit=500",
                                      "/api/v1/logistics/tenants?limit=500",
                                      "/api/v1/logistics/freight?limit=500"};
    for (int i = 0; i < 3; i++) {
        json_t *o = CALL(&s, "GET", jd, own[i], NULL, 200);
        json_t *items = obj(o, "items");
        /* counted while the answer is held: `items` goes with it */
        size_t mine = json_array_size(items);
        if (!mine) t_fail(__FILE__, __LINE__, "GET %s as jd: no items", own[i]);
        for (size_t j = 0; j < mine; j++) {
            json_t *it = json_array_get(items, j);
            if (th_int(it, "organisation_id") != jd_org)
                t_fail(__FILE__, __LINE__,
                       "GET %s as jd: item %zu (id %lld) is organisation %lld's, not jd's %lld",
                       own[i], j, th_int(it, "id"), th_int(it, "organisation_id"), jd_org);
        }
        json_decref(o);
        /* the officer sees more */
        size_t all = rec_count(CALL(&s, "GET", off, own[i], NULL, 200));
        if (all <= mine)
            t_fail(__FILE__, __LINE__, "GET %s: the officer sees %zu items, jd %zu (expected more)",
                   own[i], all, mine);
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
    /* JD's one warehouse facility is its park's already (a facility is one warehouse's): the
     * district registers it another */
    long long jd_town =
        rec_sql1(&s,
                 "SELECT MIN(township_id) FROM facilities WHERE operator_id = %lld AND type ="
                 " 'warehouse'",
                 jd_org);
    snprintf(body, sizeof body,
             "{\"name\":\"京东自建仓设施（测试）\",\"type\":\"warehouse\",\"township_id\":%lld,"
             "\"lat\":40.14,\"lon\":117.12,\"operator_id\":%lld}",
             jd_town, jd_org);
    w = CALL(&s, "POST", off, "/api/v1/facilities", body, 201);
    long long jd_fac = th_int(w, "id");
    json_decref(w);
    if (glp_fac <= 0 || jd_fac <= 0)
        t_fail(__FILE__, __LINE__, "GLP's warehouse facility %lld, jd's new one %lld", glp_fac,
               jd_fac);
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
        /* a month of another century is a slip (1900-01 was stored) */
        {"/api/v1/logistics/freight", "{\"month\":\"1999-12\",\"tonnes\":5}", 422, "invalid_value"},
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

/* A registry facility is one warehouse's supply store: a second link is refused (409 on
 * facility_id, nothing written) and the supply-store totals count each facility once. */
TEST_T(logistics_facility_is_one_warehouses, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80], path[96], body[256];
    th_login(&s, "officer", s.demo_pw, tok);
    static const char *const sum_t =
        "SELECT SUM(capacity) FROM facility_roles WHERE role = 'supply_store' AND unit = 't' AND"
        " facility_id IN (SELECT facility_id FROM lg_warehouses WHERE status = 'operating')";
    json_t *k = CALL(&s, "GET", tok, "/api/v1/logistics/kpi", NULL, 200);
    json_t *ss = obj(obj(k, "warehouses"), "supply_store");
    long long n0 = th_int(ss, "warehouses");
    double m3 = num(ss, "m3"), t0 = num(ss, "t");
    CHECK_INT(n0, 5);
    CHECK_NEAR(t0, (double)th_sql_int(&s, sum_t), 1e-6);
    json_decref(k);
    long long taken = th_sql_int(
        &s, "SELECT facility_id FROM lg_warehouses WHERE status = 'operating' ORDER BY id LIMIT 1");
    long long wh =
        th_sql_int(&s, "SELECT MIN(id) FROM lg_warehouses WHERE status = 'under_construction'");
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", wh);
    snprintf(body, sizeof body, "{\"version\":1,\"status\":\"operating\",\"facility_id\":%lld}",
             taken);
    REFUSED_ON(&s, "PATCH", tok, path, body, 409, "conflict", "facility_id");
    snprintf(body, sizeof body, "{\"version\":1,\"facility_id\":%lld}", taken);
    REFUSED_ON(&s, "PATCH", tok, path, body, 409, "conflict", "facility_id");
    snprintf(body, sizeof body, "{\"name\":\"二次链接仓\",\"area_m2\":1000,\"facility_id\":%lld}",
             taken);
    REFUSED_ON(&s, "POST", tok, "/api/v1/logistics/warehouses", body, 409, "conflict",
               "facility_id");
    k = CALL(&s, "GET", tok, "/api/v1/logistics/kpi", NULL, 200);
    ss = obj(obj(k, "warehouses"), "supply_store");
    CHECK_INT(th_int(ss, "warehouses"), n0);
    CHECK_NEAR(num(ss, "m3"), m3, 1e-6);
    CHECK_NEAR(num(ss, "t"), t0, 1e-6);
    json_decref(k);
    /* a facility no warehouse holds links; the holder keeps its own on other edits */
    long long free_fac = th_sql_int(&s, "SELECT MIN(id) FROM facilities WHERE type = 'warehouse'"
                                        " AND id NOT IN (SELECT facility_id FROM lg_warehouses"
                                        " WHERE facility_id IS NOT NULL)");
    snprintf(body, sizeof body, "{\"version\":1,\"status\":\"operating\",\"facility_id\":%lld}",
             free_fac);
    json_decref(CALL(&s, "PATCH", tok, path, body, 200));
    long long holder = rec_sql1(&s, "SELECT id FROM lg_warehouses WHERE facility_id = %lld", taken);
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", holder);
    snprintf(body, sizeof body, "{\"version\":1,\"automation\":\"unmanned\",\"facility_id\":%lld}",
             taken);
    json_decref(CALL(&s, "PATCH", tok, path, body, 200));
    k = CALL(&s, "GET", tok, "/api/v1/logistics/kpi", NULL, 200);
    ss = obj(obj(k, "warehouses"), "supply_store");
    CHECK_INT(th_int(ss, "warehouses"), n0 + 1);
    CHECK_NEAR(num(ss, "t"), (double)th_sql_int(&s, sum_t), 1e-6);
    json_decref(k);
    /* a double link written around the API (the index dropped) is still counted once */
    th_sql_exec(&s, "DROP INDEX lg_warehouses_facility");
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE lg_warehouses SET status = 'operating', facility_id = %lld WHERE id = (SELECT"
             " MIN(id) FROM lg_warehouses WHERE status = 'under_construction')",
             taken);
    th_sql_exec(&s, sql);
    k = CALL(&s, "GET", tok, "/api/v1/logistics/kpi", NULL, 200);
    ss = obj(obj(k, "warehouses"), "supply_store");
    CHECK_INT(th_int(ss, "warehouses"), n0 + 1);
    CHECK_NEAR(num(ss, "t"), (double)th_sql_int(&s, sum_t), 1e-6);
    json_decref(k);
    th_stop(&s);
}

static void day_from_today(int days, char out[11])
{
    time_t now = time(NULL) + PJ_LOCAL_OFFSET_S + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* A warehouse's dates follow its status: `started` from under construction on, `opened` once
 * operating, neither in the future nor cleared while the status needs it, opened not before
 * started; refused with 422 on the field, nothing written. */
TEST_T(logistics_warehouse_dates_follow_status, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[96], body[256], tomorrow[11];
    day_from_today(1, tomorrow);
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *w = CALL(&s, "POST", tok, "/api/v1/logistics/warehouses",
                     "{\"name\":\"日期测试仓\",\"area_m2\":12000}", 201);
    long long id = th_int(w, "id");
    json_decref(w);
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", id);
    /* construction that has not begun has not started */
    snprintf(body, sizeof body,
             "{\"version\":1,\"status\":\"under_construction\",\"started\":\"%s\"}", tomorrow);
    REFUSED_ON(&s, "PATCH", tok, path, body, 422, "invalid_value", "started");
    json_decref(CALL(&s, "PATCH", tok, path,
                     "{\"version\":1,\"status\":\"under_construction\",\"started\":\"2020-03-01\"}",
                     200));
    /* its start stays; it has not opened */
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":2,\"started\":null}", 422, "invalid_value",
               "started");
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":2,\"opened\":\"2021-01-01\"}", 422,
               "invalid_value", "opened");
    long long store = th_sql_int(&s, "SELECT MIN(id) FROM facilities WHERE type = 'warehouse'");
    /* it opens after it starts, and not in the future */
    snprintf(
        body, sizeof body,
        "{\"version\":2,\"status\":\"operating\",\"facility_id\":%lld,\"opened\":\"2019-01-01\"}",
        store);
    REFUSED_ON(&s, "PATCH", tok, path, body, 422, "invalid_value", "opened");
    snprintf(
        body, sizeof body,
        "{\"version\":2,\"status\":\"operating\",\"facility_id\":%lld,\"started\":\"2030-01-01\","
        "\"opened\":\"2029-01-01\"}",
        store);
    REFUSED(&s, "PATCH", tok, path, body, 422, "invalid_value");
    snprintf(body, sizeof body,
             "{\"version\":2,\"status\":\"operating\",\"facility_id\":%lld,\"opened\":\"%s\"}",
             store, tomorrow);
    REFUSED_ON(&s, "PATCH", tok, path, body, 422, "invalid_value", "opened");
    snprintf(
        body, sizeof body,
        "{\"version\":2,\"status\":\"operating\",\"facility_id\":%lld,\"opened\":\"2021-06-30\"}",
        store);
    w = CALL(&s, "PATCH", tok, path, body, 200);
    CHECK_STR(th_str(w, "started"), "2020-03-01");
    CHECK_STR(th_str(w, "opened"), "2021-06-30");
    json_decref(w);
    /* an operating warehouse keeps both dates, in order */
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":3,\"started\":null,\"opened\":null}", 422,
               "invalid_value", "started");
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":3,\"opened\":null}", 422, "invalid_value",
               "opened");
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":3,\"started\":\"2022-01-01\"}", 422,
               "invalid_value", "opened");
    w = CALL(&s, "PATCH", tok, path, "{\"version\":3,\"started\":\"2020-01-15\"}", 200);
    CHECK_STR(th_str(w, "started"), "2020-01-15");
    json_decref(w);
    /* created as operating: the same rules */
    snprintf(
        body, sizeof body,
        "{\"name\":\"直接运营仓\",\"area_m2\":1000,\"status\":\"operating\",\"facility_id\":%lld,"
        "\"started\":\"2021-01-01\",\"opened\":\"2020-01-01\"}",
        th_sql_int(&s, "SELECT MAX(id) FROM facilities WHERE type = 'warehouse'"));
    REFUSED_ON(&s, "POST", tok, "/api/v1/logistics/warehouses", body, 422, "invalid_value",
               "opened");
    th_stop(&s);
}

/* Regression: an operating warehouse with no dates in the database (recorded before the date
 * rules) could not be changed at all: a rename was 422 "opened may not be cleared". The rules
 * bind only what a change touches (its status, a date given); a stored null otherwise stays. */
TEST_T(logistics_warehouse_without_dates_can_be_edited, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[96], body[256];
    th_login(&s, "officer", s.demo_pw, tok);
    long long store = th_sql_int(&s, "SELECT MIN(id) FROM facilities WHERE type = 'warehouse' AND"
                                     " id NOT IN (SELECT facility_id FROM lg_warehouses WHERE"
                                     " facility_id IS NOT NULL)");
    snprintf(
        body, sizeof body,
        "{\"name\":\"旧运营仓\",\"area_m2\":5000,\"status\":\"operating\",\"facility_id\":%lld,"
        "\"started\":\"2020-01-01\",\"opened\":\"2021-01-01\"}",
        store);
    json_t *w = CALL(&s, "POST", tok, "/api/v1/logistics/warehouses", body, 201);
    long long op = th_int(w, "id");
    json_decref(w);
    w = CALL(&s, "POST", tok, "/api/v1/logistics/warehouses",
             "{\"name\":\"旧在建仓\",\"area_m2\":5000,\"status\":\"under_construction\","
             "\"started\":\"2020-01-01\"}",
             201);
    long long uc = th_int(w, "id");
    json_decref(w);
    snprintf(body, sizeof body,
             "UPDATE lg_warehouses SET started = NULL, opened = NULL WHERE id IN (%lld, %lld)", op,
             uc);
    th_sql_exec(&s, body);
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", op);
    w = CALL(&s, "PATCH", tok, path, "{\"version\":1,\"name\":\"旧运营仓（改名）\"}", 200);
    CHECK(json_is_null(json_object_get(w, "opened")));
    json_decref(w);
    json_decref(CALL(&s, "PATCH", tok, path, "{\"version\":2,\"area_m2\":6000}", 200));
    /* a date the change touches still follows the rules */
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":3,\"opened\":null}", 422, "invalid_value",
               "opened");
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":3,\"opened\":\"2999-01-01\"}", 422,
               "invalid_value", "opened");
    w = CALL(&s, "PATCH", tok, path, "{\"version\":3,\"opened\":\"2021-05-01\"}", 200);
    CHECK_STR(th_str(w, "opened"), "2021-05-01");
    json_decref(w);
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", uc);
    json_decref(CALL(&s, "PATCH", tok, path, "{\"version\":1,\"cold_chain\":true}", 200));
    /* a change of status checks the dates it needs: opening sets today's */
    snprintf(body, sizeof body, "{\"version\":2,\"status\":\"operating\",\"facility_id\":%lld}",
             th_sql_int(&s, "SELECT MIN(id) FROM facilities WHERE type = 'warehouse' AND id NOT IN"
                            " (SELECT facility_id FROM lg_warehouses WHERE facility_id IS NOT"
                            " NULL)"));
    w = CALL(&s, "PATCH", tok, path, body, 200);
    CHECK(json_is_string(json_object_get(w, "opened")));
    json_decref(w);
    th_stop(&s);
}

/* The tenancies in force at one time let no more than their warehouse's area (422 on area_m2,
 * saying what is left; on create and on a change of area or dates, and a warehouse does not
 * shrink below them); the KPIs count the tenancies in force today. */
TEST_T(logistics_tenancies_fit_their_warehouse, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80], path[96], body[320];
    th_login(&s, "officer", s.demo_pw, tok);
    long long o[4];
    for (int i = 0; i < 4; i++)
        o[i] = rec_sql1(&s,
                        "SELECT id FROM organisations WHERE id NOT IN (SELECT organisation_id FROM"
                        " lg_tenants) ORDER BY id LIMIT 1 OFFSET %lld",
                        i);
    /* the demo's first warehouse is let whole, from its opening on */
    long long full = th_sql_int(&s, "SELECT MIN(warehouse_id) FROM lg_tenants");
    CHECK_INT(rec_sql1(&s,
                       "SELECT SUM(n.area_m2) - h.area_m2 FROM lg_tenants n JOIN lg_warehouses h"
                       " ON h.id = n.warehouse_id WHERE h.id = %lld",
                       full),
              0);
    snprintf(body, sizeof body,
             "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"area_m2\":100000}", full, o[0]);
    json_t *r = NULL;
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    CHECK_INT(th_call(&s, "POST", "/api/v1/logistics/tenants", tok, body, &r), 422);
    CHECK_STR(th_err_code(r), "out_of_range");
    CHECK_STR(th_err_field(r), "area_m2");
    CHECK(strstr(th_err_message(r), "(0 m² left)") != NULL);
    json_decref(r);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* a tenancy that ended before the present one began fits (the warehouse opened earlier
     * than its first tenant came: a tenancy is not let before the opening) */
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", full);
    json_decref(CALL(&s, "PATCH", tok, path, "{\"version\":1,\"opened\":\"2018-03-01\"}", 200));
    snprintf(body, sizeof body,
             "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"area_m2\":100000,"
             "\"since\":\"2018-03-01\",\"until\":\"2018-12-31\"}",
             full, o[0]);
    json_t *old = CALL(&s, "POST", tok, "/api/v1/logistics/tenants", body, 201);
    snprintf(path, sizeof path, "/api/v1/logistics/tenants/%lld", th_int(old, "id"));
    json_decref(old);
    /* … until it runs on into it */
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"until\":\"2019-06-30\"}", 422,
               "out_of_range", "area_m2");
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"until\":null}", 422, "out_of_range",
               "area_m2");
    /* a planned warehouse of 500,000 m²: not 900,000 to one tenant, nor more than it in all */
    long long planned = th_sql_int(&s, "SELECT id FROM lg_warehouses WHERE area_m2 = 500000 AND"
                                       " status = 'planned'");
    snprintf(body, sizeof body,
             "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"area_m2\":900000,"
             "\"since\":\"2030-01-01\"}",
             planned, o[1]);
    REFUSED_ON(&s, "POST", tok, "/api/v1/logistics/tenants", body, 422, "out_of_range", "area_m2");
    snprintf(body, sizeof body,
             "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"area_m2\":300000,"
             "\"since\":\"2030-01-01\"}",
             planned, o[1]);
    json_t *a = CALL(&s, "POST", tok, "/api/v1/logistics/tenants", body, 201);
    char apath[96];
    snprintf(apath, sizeof apath, "/api/v1/logistics/tenants/%lld", th_int(a, "id"));
    json_decref(a);
    snprintf(body, sizeof body,
             "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"area_m2\":200000,"
             "\"since\":\"2031-01-01\",\"until\":\"2031-12-31\"}",
             planned, o[2]);
    json_decref(CALL(&s, "POST", tok, "/api/v1/logistics/tenants", body, 201));
    snprintf(body, sizeof body,
             "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"area_m2\":1,"
             "\"since\":\"2031-06-01\"}",
             planned, o[3]);
    REFUSED_ON(&s, "POST", tok, "/api/v1/logistics/tenants", body, 422, "out_of_range", "area_m2");
    /* after the second one ends there is room again */
    snprintf(body, sizeof body,
             "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"area_m2\":200000,"
             "\"since\":\"2032-01-01\"}",
             planned, o[3]);
    json_decref(CALL(&s, "POST", tok, "/api/v1/logistics/tenants", body, 201));
    /* a bigger area of one of them, or a smaller warehouse, is refused */
    REFUSED_ON(&s, "PATCH", tok, apath, "{\"version\":1,\"area_m2\":300001}", 422, "out_of_range",
               "area_m2");
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", planned);
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"area_m2\":499999}", 422, "out_of_range",
               "area_m2");
    json_decref(CALL(&s, "PATCH", tok, path, "{\"version\":1,\"area_m2\":500000}", 200));
    /* the KPIs count the tenancies in force today: not the ended one, not those to come */
    static const char *const in_force =
        "SELECT COUNT(*) FROM lg_tenants WHERE (since IS NULL OR since <= date('now', '+8 hours'))"
        " AND (until IS NULL OR until >= date('now', '+8 hours'))";
    json_t *k = CALL(&s, "GET", tok, "/api/v1/logistics/kpi", NULL, 200);
    CHECK_INT(th_int(k, "tenancies"), 5);
    CHECK_INT(th_int(k, "tenancies"), th_sql_int(&s, in_force));
    CHECK_INT(th_int(k, "tenant_organisations"), 5);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM lg_tenants"), 9);
    json_decref(k);
    th_stop(&s);
}

/* Regression: a warehouse's `tenants` counted every tenancy recorded in it, ended ones and those
 * still to come included, so a warehouse let to one firm showed three tenants. It counts the
 * tenancies in force today (Beijing), both ends included, as the KPIs' `tenancies` do. */
TEST_T(logistics_warehouse_tenants_in_force_today, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[96], body[320], day[5][11];
    th_login(&s, "officer", s.demo_pw, tok);
    /* the district's day before yesterday … day after tomorrow */
    int64_t now = pj_now();
    for (int i = 0; i < 5; i++) pj_local_date(now + (i - 2) * 86400, day[i]);
    /* an operating warehouse, opened the day before yesterday (a tenancy is let once it opens) */
    long long store = th_sql_int(&s, "SELECT MIN(id) FROM facilities WHERE type = 'warehouse'");
    snprintf(body, sizeof body,
             "{\"name\":\"租约测试仓\",\"area_m2\":10000,\"status\":\"operating\","
             "\"facility_id\":%lld,\"started\":\"%s\",\"opened\":\"%s\"}",
             store, day[0], day[0]);
    json_t *w = CALL(&s, "POST", tok, "/api/v1/logistics/warehouses", body, 201);
    long long wh = th_int(w, "id");
    CHECK_INT(th_int(w, "tenants"), 0);
    json_decref(w);
    /* ended yesterday; begins tomorrow; begins today; ends today; open-ended (from the opening
     * on). Should a
     * Beijing midnight pass before the count, the first ends and the second begins: three
     * either way */
    const char *const spans[5][2] = {
        {day[0], day[1]}, {day[3], NULL}, {day[2], day[4]}, {day[0], day[2]}, {NULL, NULL}};
    for (int i = 0; i < 5; i++) {
        long long org =
            rec_sql1(&s, "SELECT id FROM organisations ORDER BY id LIMIT 1 OFFSET %lld", i);
        char since[32] = "", until[32] = "";
        if (spans[i][0]) snprintf(since, sizeof since, ",\"since\":\"%s\"", spans[i][0]);
        if (spans[i][1]) snprintf(until, sizeof until, ",\"until\":\"%s\"", spans[i][1]);
        snprintf(body, sizeof body,
                 "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"area_m2\":100%s%s}", wh, org,
                 since, until);
        json_decref(CALL(&s, "POST", tok, "/api/v1/logistics/tenants", body, 201));
    }
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", wh);
    w = CALL(&s, "GET", tok, path, NULL, 200);
    CHECK_INT(th_int(w, "tenants"), 3);
    json_decref(w);
    /* the list shows the same figure */
    json_t *l =
        CALL(&s, "GET", tok, "/api/v1/logistics/warehouses?status=operating&limit=500", NULL, 200);
    json_t *items = json_object_get(l, "items");
    int seen = 0;
    for (size_t i = 0; i < json_array_size(items); i++)
        if (th_int(json_array_get(items, i), "id") == wh) {
            CHECK_INT(th_int(json_array_get(items, i), "tenants"), 3);
            seen = 1;
        }
    CHECK(seen);
    json_decref(l);
    /* no other tenancies are recorded: the KPIs count the same three */
    json_t *k = CALL(&s, "GET", tok, "/api/v1/logistics/kpi", NULL, 200);
    CHECK_INT(th_int(k, "tenancies"), 3);
    json_decref(k);
    th_stop(&s);
}

/* The district's freight is over complete months: one firm's entry for a later month does not
 * move it until the others have reported that month too; the running month is not recorded. */
TEST_T(logistics_freight_counts_complete_months, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char off[80], jd[80], view[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "viewer", s.demo_pw, view);
    json_t *k = CALL(&s, "GET", view, "/api/v1/logistics/kpi", NULL, 200);
    json_t *fr = obj(k, "freight");
    CHECK_STR(th_str(fr, "latest_month"), "2024-06");
    CHECK_STR(th_str(fr, "window_from"), "2023-07");
    CHECK_INT(th_int(fr, "reporters"), 5);
    CHECK(json_is_null(obj(fr, "pending")));
    double annual = num(fr, "annualised_t"), progress = num(fr, "progress_pct");
    json_decref(k);
    /* the running month (and a later one) is refused, writing nothing */
    char month[11], body[256];
    pj_local_date(pj_now(), month);
    month[7] = 0;
    snprintf(body, sizeof body, "{\"month\":\"%s\",\"tonnes\":100}", month);
    REFUSED_ON(&s, "POST", jd, "/api/v1/logistics/freight", body, 422, "invalid_value", "month");
    /* jd alone for July and August: the district figure stays on the complete June */
    json_decref(CALL(&s, "POST", jd, "/api/v1/logistics/freight",
                     "{\"month\":\"2024-07\",\"tonnes\":100}", 201));
    json_decref(CALL(&s, "POST", jd, "/api/v1/logistics/freight",
                     "{\"month\":\"2024-08\",\"tonnes\":100}", 201));
    k = CALL(&s, "GET", view, "/api/v1/logistics/kpi", NULL, 200);
    fr = obj(k, "freight");
    CHECK_STR(th_str(fr, "latest_month"), "2024-06");
    CHECK_NEAR(num(fr, "annualised_t"), annual, 1e-9);
    CHECK_NEAR(num(fr, "progress_pct"), progress, 1e-9);
    CHECK_STR(th_str(obj(fr, "pending"), "month"), "2024-07");
    CHECK_INT(th_int(obj(fr, "pending"), "expected"), 5);
    CHECK_INT(th_int(obj(fr, "pending"), "expected_reported"), 1);
    CHECK_INT(th_int(obj(fr, "pending"), "months"), 2);
    json_decref(k);
    /* the other four report July: July is complete, August waits */
    long long park = th_sql_int(&s, "SELECT MIN(park_id) FROM lg_freight");
    long long jd_org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    for (int i = 0; i < 4; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT organisation_id FROM lg_freight WHERE month = '2024-06' AND"
                 " organisation_id <> %lld ORDER BY organisation_id LIMIT 1 OFFSET %d",
                 jd_org, i);
        long long org = th_sql_int(&s, sql);
        snprintf(body, sizeof body,
                 "{\"park_id\":%lld,\"organisation_id\":%lld,\"month\":\"2024-07\",\"tonnes\":"
                 "300000}",
                 park, org);
        json_decref(CALL(&s, "POST", off, "/api/v1/logistics/freight", body, 201));
    }
    k = CALL(&s, "GET", view, "/api/v1/logistics/kpi", NULL, 200);
    fr = obj(k, "freight");
    CHECK_STR(th_str(fr, "latest_month"), "2024-07");
    CHECK_INT(th_int(fr, "reporters"), 5);
    CHECK_INT(th_int(fr, "months_recorded"), 7);
    CHECK_STR(th_str(obj(fr, "pending"), "month"), "2024-08");
    json_decref(k);
    /* regression: the five report September while August still waits for four of them:
     * September is the latest complete month, and August, not whole, is no month recorded (it
     * was counted, with jd's 100 t alone, and pulled the year's rate down) */
    for (int i = 0; i < 5; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT organisation_id FROM lg_freight WHERE month = '2024-07' ORDER BY"
                 " organisation_id LIMIT 1 OFFSET %d",
                 i);
        snprintf(body, sizeof body,
                 "{\"park_id\":%lld,\"organisation_id\":%lld,\"month\":\"2024-09\",\"tonnes\":"
                 "300000}",
                 park, th_sql_int(&s, sql));
        json_decref(CALL(&s, "POST", off, "/api/v1/logistics/freight", body, 201));
    }
    k = CALL(&s, "GET", view, "/api/v1/logistics/kpi", NULL, 200);
    fr = obj(k, "freight");
    CHECK_STR(th_str(fr, "latest_month"), "2024-09");
    CHECK_INT(th_int(fr, "months_recorded"), 8); /* 2024-01 … 07 and 09 */
    double counted = (double)th_sql_int(&s, "SELECT CAST(SUM(tonnes) AS INTEGER) FROM lg_freight"
                                            " WHERE month >= '2023-10' AND month <> '2024-08'");
    CHECK_NEAR(num(fr, "last_12_months_t"), counted, 0.5);
    CHECK_NEAR(num(fr, "annualised_t"), round(counted * 12.0 / 8), 0.5);
    double by = 0;
    const char *mode;
    json_t *v;
    json_object_foreach(obj(fr, "by_mode"), mode, v) by += json_number_value(v);
    CHECK_NEAR(by, counted, 0.5); /* the modes over the same months */
    json_decref(k);
    th_stop(&s);
}

/* A train service's state moves as a warehouse's status does and its `started` follows it: an
 * operating service starting in 2030 (counted as operating in the KPIs) and a planned one with a
 * start in 2020 were accepted, and so was any change of state. */
TEST_T(logistics_train_state_and_started_agree, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[96], d[11];
    th_login(&s, "officer", s.demo_pw, tok);
    pj_local_date(pj_now(), d);
    REFUSED_ON(
        &s, "POST", tok, "/api/v1/logistics/trains",
        "{\"name\":\"T2\",\"kind\":\"city\",\"state\":\"operating\",\"started\":\"2030-01-01\"}",
        422, "invalid_value", "started");
    REFUSED_ON(
        &s, "POST", tok, "/api/v1/logistics/trains",
        "{\"name\":\"T3\",\"kind\":\"city\",\"state\":\"planned\",\"started\":\"2020-01-01\","
        "\"trains_per_week\":50}",
        422, "invalid_value", "started");
    /* a service recorded as suspended has run: its start is asked for, not "cleared" */
    json_t *t = NULL;
    CHECK_INT(th_call(&s, "POST", "/api/v1/logistics/trains", tok,
                      "{\"name\":\"T6\",\"kind\":\"city\",\"state\":\"suspended\"}", &t),
              422);
    json_t *e = json_object_get(t, "error");
    CHECK_STR(th_str(e, "field"), "started");
    CHECK(strstr(th_str(e, "message"), "started is required") != NULL);
    json_decref(t);
    /* operating without a date starts today */
    t = CALL(&s, "POST", tok, "/api/v1/logistics/trains",
             "{\"name\":\"T4\",\"kind\":\"city\",\"state\":\"operating\"}", 201);
    CHECK_STR(th_str(t, "started"), d);
    json_decref(t);
    t = CALL(&s, "POST", tok, "/api/v1/logistics/trains",
             "{\"name\":\"T5\",\"kind\":\"city\",\"state\":\"planned\"}", 201);
    snprintf(path, sizeof path, "/api/v1/logistics/trains/%lld", th_int(t, "id"));
    json_decref(t);
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"state\":\"suspended\"}", 409,
               "invalid_transition", "state");
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"started\":\"2020-01-01\"}", 422,
               "invalid_value", "started");
    t = CALL(&s, "PATCH", tok, path,
             "{\"version\":1,\"state\":\"operating\",\"started\":\"2020-01-01\"}", 200);
    CHECK_STR(th_str(t, "started"), "2020-01-01");
    json_decref(t);
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":2,\"started\":null}", 422, "invalid_value",
               "started");
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":2,\"state\":\"planned\"}", 409,
               "invalid_transition", "state");
    json_decref(CALL(&s, "PATCH", tok, path, "{\"version\":2,\"state\":\"suspended\"}", 200));
    /* a suspended service runs again, from its first start */
    t = CALL(&s, "PATCH", tok, path, "{\"version\":3,\"state\":\"operating\"}", 200);
    CHECK_STR(th_str(t, "started"), "2020-01-01");
    json_decref(t);
    th_stop(&s);
}

/* A tenancy is in force in a built warehouse only, from its opening on: one from 2024 in a
 * warehouse under construction since 2025 was accepted and counted in force in the KPIs; one
 * before an operating warehouse opened too; and a warehouse's opening could move after its
 * tenancies began. */
TEST_T(logistics_tenancy_begins_once_the_warehouse_opens, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80], body[320], path[96];
    th_login(&s, "officer", s.demo_pw, tok);
    long long org = th_sql_int(&s, "SELECT MIN(id) FROM organisations WHERE id NOT IN (SELECT"
                                   " organisation_id FROM lg_tenants)");
    long long park = th_sql_int(&s, "SELECT MIN(id) FROM lg_parks");
    long long before = th_sql_int(&s, "SELECT COUNT(*) FROM lg_tenants");
    snprintf(body, sizeof body,
             "{\"name\":\"W-test3\",\"park_id\":%lld,\"area_m2\":1000,\"status\":"
             "\"under_construction\",\"started\":\"2025-01-01\"}",
             park);
    json_t *w = CALL(&s, "POST", tok, "/api/v1/logistics/warehouses", body, 201);
    long long wh = th_int(w, "id");
    json_decref(w);
    snprintf(body, sizeof body,
             "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"area_m2\":500,\"since\":"
             "\"2024-01-01\"}",
             wh, org);
    REFUSED_ON(&s, "POST", tok, "/api/v1/logistics/tenants", body, 422, "invalid_value", "since");
    snprintf(body, sizeof body, "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"area_m2\":500}",
             wh, org);
    REFUSED_ON(&s, "POST", tok, "/api/v1/logistics/tenants", body, 422, "missing_field", "since");
    json_t *k = CALL(&s, "GET", tok, "/api/v1/logistics/kpi", NULL, 200);
    CHECK_INT(th_int(k, "tenancies"), 5);
    json_decref(k);
    /* let ahead: from a day to come */
    snprintf(body, sizeof body,
             "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"area_m2\":500,\"since\":"
             "\"2090-01-01\"}",
             wh, org);
    json_t *t = CALL(&s, "POST", tok, "/api/v1/logistics/tenants", body, 201);
    snprintf(path, sizeof path, "/api/v1/logistics/tenants/%lld", th_int(t, "id"));
    json_decref(t);
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"since\":\"2024-01-01\"}", 422,
               "invalid_value", "since");
    /* an operating warehouse: not before it opened; none given is its opening */
    long long op = th_sql_int(&s, "SELECT MIN(id) FROM lg_warehouses WHERE status = 'operating'");
    long long org2 = rec_sql1(&s,
                              "SELECT MIN(id) FROM organisations WHERE id NOT IN (SELECT"
                              " organisation_id FROM lg_tenants) AND id <> %lld",
                              org);
    /* room for one more: the present tenant lets a little less */
    th_sql_exec(&s, "UPDATE lg_tenants SET area_m2 = area_m2 - 100 WHERE warehouse_id = (SELECT"
                    " MIN(id) FROM lg_warehouses WHERE status = 'operating')");
    snprintf(body, sizeof body,
             "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"area_m2\":10,\"since\":"
             "\"2019-01-01\"}",
             op, org2);
    REFUSED_ON(&s, "POST", tok, "/api/v1/logistics/tenants", body, 422, "invalid_value", "since");
    snprintf(body, sizeof body, "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"area_m2\":10}",
             op, org2);
    t = CALL(&s, "POST", tok, "/api/v1/logistics/tenants", body, 201);
    CHECK_INT(rec_sql1(&s,
                       "SELECT COUNT(*) FROM lg_tenants n JOIN lg_warehouses h ON h.id ="
                       " n.warehouse_id WHERE n.id = %lld AND n.since = h.opened",
                       th_int(t, "id")),
              1);
    json_decref(t);
    /* its opening moves no later than a tenancy's beginning */
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", op);
    REFUSED_ON(&s, "PATCH", tok, path, "{\"version\":1,\"opened\":\"2019-07-01\"}", 409,
               "date_conflict", "opened");
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM lg_tenants"), before + 2);
    th_stop(&s);
}

/* The freight by mode is over the KPIs' window (window_from..latest_month), as last_12_months_t
 * is: it was all-time, so a month of 2000 and a month still waiting for its reporters were in
 * it and its modes summed to more than any other freight figure. */
TEST_T(logistics_freight_by_mode_over_the_window, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    long long park = th_sql_int(&s, "SELECT MIN(id) FROM lg_parks");
    char body[256];
    snprintf(body, sizeof body,
             "{\"park_id\":%lld,\"month\":\"2000-01\",\"mode\":\"rail\",\"tonnes\":5}", park);
    json_decref(CALL(&s, "POST", off, "/api/v1/logistics/freight", body, 201));
    /* after the latest complete month: pending, not counted */
    snprintf(body, sizeof body,
             "{\"park_id\":%lld,\"month\":\"2024-07\",\"mode\":\"road\",\"tonnes\":100}", park);
    json_decref(CALL(&s, "POST", off, "/api/v1/logistics/freight", body, 201));
    json_t *k = CALL(&s, "GET", off, "/api/v1/logistics/kpi", NULL, 200);
    json_t *fr = obj(k, "freight");
    CHECK_STR(th_str(fr, "latest_month"), "2024-06");
    CHECK(!json_is_null(obj(fr, "pending")));
    json_t *by = obj(fr, "by_mode");
    double sum = 0;
    const char *mode;
    json_t *v;
    json_object_foreach(by, mode, v) sum += json_number_value(v);
    CHECK(sum > 0);
    CHECK_NEAR(sum, num(fr, "last_12_months_t"), 1e-6);
    CHECK(obj(by, "rail") == NULL); /* 2000's rail only */
    json_decref(k);
    th_stop(&s);
}

/* Regression: the KPIs gave an enterprise user the district's figures over records hidden from
 * it: freight by mode summed every firm's rows (a mode of one reporter was that competitor's
 * freight) and the parcels block aggregated the land parcels (one parcel: its price and rates).
 * An enterprise's KPIs are computed over its own organisation's warehouses, tenancies and
 * freight (scope "organisation") and hold no parcels; the other roles' are the district's. */
TEST_T(logistics_kpi_scoped_for_enterprise, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char jd[80], off[80];
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "officer", s.demo_pw, off);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    /* other firms report freight too */
    CHECK(rec_sql1(&s, "SELECT COUNT(*) FROM lg_freight WHERE organisation_id IS NOT %lld", org) >
          0);
    json_t *k = CALL(&s, "GET", jd, "/api/v1/logistics/kpi", NULL, 200);
    CHECK_STR(th_str(k, "scope"), "organisation");
    CHECK(json_is_null(obj(k, "parcels")));
    /* warehouses: its own */
    json_t *wh = obj(k, "warehouses");
    CHECK_NEAR(num(wh, "total_m2"),
               (double)rec_sql1(&s,
                                "SELECT CAST(SUM(area_m2) AS INTEGER) FROM lg_warehouses WHERE"
                                " organisation_id = %lld",
                                org),
               1.0);
    double n = 0;
    const char *key;
    json_t *v;
    json_object_foreach(obj(wh, "count"), key, v) n += json_number_value(v);
    CHECK_INT((long long)n,
              rec_sql1(&s, "SELECT COUNT(*) FROM lg_warehouses WHERE organisation_id = %lld", org));
    /* freight: its own rows of the window, by month and by mode */
    json_t *fr = obj(k, "freight");
    const char *from = th_str(fr, "window_from"), *to = th_str(fr, "latest_month");
    CHECK(from && to);
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT COALESCE(SUM(tonnes), 0) FROM lg_freight WHERE organisation_id = %lld AND"
             " month BETWEEN '%s' AND '%s'",
             org, from, to);
    long long own = th_sql_int(&s, sql);
    CHECK(own > 0);
    CHECK_NEAR(num(fr, "last_12_months_t"), (double)own, 1e-6);
    double sum = 0;
    json_object_foreach(obj(fr, "by_mode"), key, v)
    {
        snprintf(sql, sizeof sql,
                 "SELECT COALESCE(SUM(tonnes), 0) FROM lg_freight WHERE organisation_id = %lld"
                 " AND mode = '%s' AND month BETWEEN '%s' AND '%s'",
                 org, key, from, to);
        CHECK_NEAR(json_number_value(v), (double)th_sql_int(&s, sql), 1e-6);
        sum += json_number_value(v);
    }
    CHECK_NEAR(sum, (double)own, 1e-6);
    json_t *bm = obj(fr, "by_month");
    CHECK(json_array_size(bm) > 0);
    for (size_t i = 0; i < json_array_size(bm); i++)
        CHECK_INT(th_int(json_array_get(bm, i), "reporters"), 1);
    CHECK_INT(th_int(fr, "reporters"), 1);
    /* tenancies: those it reads (its own, and others' in its warehouses) */
    json_t *tl = CALL(&s, "GET", jd, "/api/v1/logistics/tenants?limit=500", NULL, 200);
    CHECK(th_int(k, "tenancies") <= (long long)json_array_size(obj(tl, "items")));
    json_decref(tl);
    CHECK_INT(th_int(k, "parks"), th_sql_int(&s, "SELECT COUNT(*) FROM lg_parks"));
    json_decref(k);

    /* an officer's: the district's, parcels included */
    k = CALL(&s, "GET", off, "/api/v1/logistics/kpi", NULL, 200);
    CHECK_STR(th_str(k, "scope"), "district");
    CHECK(th_int(obj(k, "parcels"), "count") > 0);
    CHECK_NEAR(num(obj(k, "warehouses"), "total_m2"),
               (double)th_sql_int(&s, "SELECT CAST(SUM(area_m2) AS INTEGER) FROM lg_warehouses"),
               1.0);
    fr = obj(k, "freight");
    snprintf(sql, sizeof sql,
             "SELECT SUM(tonnes) FROM lg_freight WHERE month BETWEEN '%s' AND '%s'",
             th_str(fr, "window_from"), th_str(fr, "latest_month"));
    CHECK_NEAR(num(fr, "last_12_months_t"), (double)th_sql_int(&s, sql), 1e-6);
    CHECK(num(fr, "last_12_months_t") > (double)own);
    CHECK(th_int(fr, "reporters") > 1);
    json_decref(k);

    /* the dashboard keeps the rule: the register's district freight (whose total less its own
     * was the other firms') is withheld from the enterprise, the warehouses read from the
     * published indicator; the officer's read from the registers (each role cached apart) */
    for (int who = 0; who < 2; who++) {
        json_t *d = CALL(&s, "GET", who ? jd : off, "/api/v1/dashboard", NULL, 200);
        json_t *figs = json_object_get(d, "figures"), *f;
        size_t i;
        int seen = 0;
        json_array_foreach(figs, i, f)
        {
            const char *fk = th_str(f, "key");
            json_t *g = json_object_get(f, "figure");
            if (!strcmp(fk, "freight_register_progress")) {
                seen++;
                if (who) {
                    CHECK_STR(th_str(g, "missing"), "withheld");
                    CHECK(json_object_get(g, "current") == NULL);
                    CHECK(json_object_get(g, "sources") == NULL);
                } else {
                    CHECK(json_object_get(g, "missing") == NULL);
                    CHECK_STR(th_str(f, "basis"), "register");
                }
            } else if (!strcmp(fk, "warehouse_progress")) {
                seen++;
                CHECK(json_object_get(g, "missing") == NULL);
                CHECK_STR(th_str(f, "basis"), who ? "indicator" : "register");
            }
        }
        CHECK_INT(seen, 2);
        json_decref(d);
    }
    th_stop(&s);
}

/* Regression: freight progress took the latest target whatever its length. A freight_volume
 * target for the first quarter of 2036 made the annualised 12 months read 134.04 % of the
 * quarter's target (33.51 % of the year's) and the dashboard's yearly figure missing (the year's
 * value against a quarter's target was refused). The figure of a year is measured against the
 * latest target of a year; a quarter's target stays for a quarter's value. */
TEST_T(freight_progress_uses_the_latest_target_of_a_year, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *k0 = CALL(&s, "GET", off, "/api/v1/logistics/kpi", NULL, 200);
    json_t *d0 = CALL(&s, "GET", off, "/api/v1/dashboard", NULL, 200);
    json_decref(CALL(&s, "POST", off, "/api/v1/indicators/targets",
                     "{\"code\":\"freight_volume\",\"period\":\"2036Q1\",\"value\":1000}", 201));
    json_t *k = CALL(&s, "GET", off, "/api/v1/logistics/kpi", NULL, 200);
    json_t *f0 = obj(k0, "freight"), *f = obj(k, "freight");
    CHECK_STR(th_str(obj(f, "target"), "period"), "2035");
    CHECK_NEAR(num(obj(f, "target"), "value"), 40000000, 1e-6);
    CHECK(num(f, "progress_pct") > 0);
    CHECK_NEAR(num(f, "progress_pct"), num(f0, "progress_pct"), 1e-9);
    /* the dashboard: the register's figure and the yearly statistics' both against 2035 */
    json_t *d = CALL(&s, "GET", off, "/api/v1/dashboard", NULL, 200);
    static const char *const keys[] = {"freight_register_progress", "freight_progress"};
    for (int i = 0; i < 2; i++) {
        json_t *a = NULL, *b = NULL, *it;
        size_t ix;
        json_array_foreach(json_object_get(d0, "figures"), ix,
                           it) if (!strcmp(th_str(it, "key"), keys[i])) a = obj(it, "figure");
        json_array_foreach(json_object_get(d, "figures"), ix,
                           it) if (!strcmp(th_str(it, "key"), keys[i])) b = obj(it, "figure");
        CHECK(a && b);
        if (!a || !b) continue;
        CHECK(obj(b, "missing") == NULL);
        CHECK_STR(th_str(obj(b, "target"), "period"), "2035");
        CHECK_NEAR(num(b, "rounded"), num(a, "rounded"), 1e-9);
    }
    /* a quarter's value is measured against the quarter's target */
    json_decref(CALL(&s, "POST", off, "/api/v1/indicators/values",
                     "{\"code\":\"freight_volume\",\"period\":\"2024Q1\",\"value\":250}", 201));
    json_t *o =
        CALL(&s, "GET", off,
             "/api/v1/indicators/derived?fn=progress&code=freight_volume&period=2024Q1", NULL, 200);
    CHECK_STR(th_str(obj(o, "target"), "period"), "2036Q1");
    CHECK_NEAR(num(o, "rounded"), 25.0, 1e-9);
    json_decref(o);
    /* a half year has no target of its length: refused, not compared with another */
    json_decref(CALL(&s, "POST", off, "/api/v1/indicators/values",
                     "{\"code\":\"freight_volume\",\"period\":\"2024H1\",\"value\":500}", 201));
    o = CALL(&s, "GET", off,
             "/api/v1/indicators/derived?fn=progress&code=freight_volume&period=2024H1", NULL, 422);
    CHECK_STR(th_err_code(o), "wrong_period");
    CHECK(strstr(th_err_message(o), "the target for 2036Q1 (a quarter)") != NULL);
    json_decref(o);
    json_decref(k0);
    json_decref(k);
    json_decref(d0);
    json_decref(d);
    th_stop(&s);
}

/* Regression: one organisation's freight of a month and mode could be recorded twice, in two
 * parks (the unique key holds the park), and both counted in its own and the district's total
 * while the reporters said one; and a township officer could attribute freight to any
 * organisation. A second record of the same organisation, month and mode is 409 naming the
 * first; a township officer records freight for its township's organisations only, at any
 * park, and a park's as a whole for its township's parks. */
TEST_T(freight_of_an_organisation_is_recorded_once_and_by_its_township, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char off[80], town[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    long long first = th_sql_int(&s, "SELECT id FROM lg_freight WHERE organisation_id = 1 AND"
                                     " month = '2024-03' AND mode = 'road'");
    long long other_park = th_sql_int(&s, "SELECT MAX(id) FROM lg_parks WHERE id <> (SELECT"
                                          " park_id FROM lg_freight WHERE organisation_id = 1 AND"
                                          " month = '2024-03' AND mode = 'road')");
    CHECK(first > 0 && other_park > 0);
    json_t *k0 = CALL(&s, "GET", off, "/api/v1/logistics/kpi", NULL, 200);
    char body[256];
    snprintf(body, sizeof body,
             "{\"park_id\":%lld,\"organisation_id\":1,\"month\":\"2024-03\",\"mode\":\"road\","
             "\"tonnes\":327073}",
             other_park);
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *o = CALL(&s, "POST", off, "/api/v1/logistics/freight", body, 409);
    CHECK_STR(th_err_code(o), "conflict");
    CHECK_STR(th_err_field(o), "organisation_id");
    char want[64];
    snprintf(want, sizeof want, "freight record %lld (park ", first);
    CHECK(strstr(th_err_message(o), want) != NULL);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* the same month by another mode is another record */
    snprintf(body, sizeof body,
             "{\"park_id\":%lld,\"organisation_id\":1,\"month\":\"2024-03\",\"mode\":\"rail\","
             "\"tonnes\":10}",
             other_park);
    json_decref(CALL(&s, "POST", off, "/api/v1/logistics/freight", body, 201));
    json_t *k = CALL(&s, "GET", off, "/api/v1/logistics/kpi", NULL, 200);
    CHECK_INT(th_int(obj(k, "freight"), "last_12_months_t"),
              th_int(obj(k0, "freight"), "last_12_months_t") + 10);
    json_decref(k);
    json_decref(k0);
    /* a township officer: a park of its township, an organisation of another township */
    th_sql_exec(&s, "UPDATE lg_parks SET township_id = (SELECT township_id FROM users WHERE"
                    " username = 'jinhaihu') WHERE id = (SELECT MAX(id) FROM lg_parks)");
    long long park = th_sql_int(&s, "SELECT MAX(id) FROM lg_parks");
    snprintf(body, sizeof body,
             "{\"park_id\":%lld,\"organisation_id\":2,\"month\":\"2023-05\",\"tonnes\":5}", park);
    th_fingerprint(&s, fp0, sizeof fp0);
    o = CALL(&s, "POST", town, "/api/v1/logistics/freight", body, 403);
    CHECK_STR(th_err_code(o), "forbidden");
    CHECK_STR(th_err_field(o), "organisation_id");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* its township's organisation, and the park's freight as a whole: recorded */
    th_sql_exec(&s, "UPDATE organisations SET township_id = (SELECT township_id FROM users WHERE"
                    " username = 'jinhaihu') WHERE id = 2");
    json_decref(CALL(&s, "POST", town, "/api/v1/logistics/freight", body, 201));
    snprintf(body, sizeof body, "{\"park_id\":%lld,\"month\":\"2023-05\",\"tonnes\":5}", park);
    json_decref(CALL(&s, "POST", town, "/api/v1/logistics/freight", body, 201));
    /* its township's organisation at another township's park: its freight, recorded (every
     * save was 403 on township_id, a field the form does not have: the park's township ruled),
     * and listed among the township's */
    long long away = th_sql_int(&s, "SELECT MIN(id) FROM lg_parks WHERE township_id <> (SELECT"
                                    " township_id FROM users WHERE username = 'jinhaihu')");
    CHECK(away > 0);
    snprintf(body, sizeof body,
             "{\"park_id\":%lld,\"organisation_id\":2,\"month\":\"2023-06\",\"tonnes\":7}", away);
    o = CALL(&s, "POST", town, "/api/v1/logistics/freight", body, 201);
    long long mine = th_int(o, "id");
    json_decref(o);
    o = CALL(&s, "GET", town, "/api/v1/logistics/freight?organisation_id=2&month=2023-06", NULL,
             200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    CHECK_INT(th_int(json_array_get(json_object_get(o, "items"), 0), "id"), mine);
    json_decref(o);
    /* another township's park as a whole: not its own (403 on the park); nothing named: 422 */
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(body, sizeof body, "{\"park_id\":%lld,\"month\":\"2023-06\",\"tonnes\":5}", away);
    o = CALL(&s, "POST", town, "/api/v1/logistics/freight", body, 403);
    CHECK_STR(th_err_field(o), "park_id");
    json_decref(o);
    o = CALL(&s, "POST", town, "/api/v1/logistics/freight", "{\"month\":\"2023-06\",\"tonnes\":5}",
             422);
    CHECK_STR(th_err_code(o), "missing_field");
    CHECK_STR(th_err_field(o), "organisation_id");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    th_stop(&s);
}

/* Regression: the tenant firm of another organisation's warehouse changed its tenancy's area and
 * dates and deleted it (it may not create one there); an enterprise changes and deletes
 * tenancies only in warehouses of its own, as it creates them. */
TEST_T(logistics_tenant_firm_does_not_change_anothers_warehouse, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char adm[80], firm[80], path[96], body[320], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, adm);
    /* a firm let part of a warehouse of another organisation's (the district records it) */
    long long wh = th_sql_int(&s, "SELECT MIN(h.id) FROM lg_warehouses h WHERE h.organisation_id"
                                  " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM lg_tenants n WHERE"
                                  " n.warehouse_id = h.id)");
    long long org = rec_sql1(&s,
                             "SELECT MIN(id) FROM organisations WHERE type = 'enterprise' AND id <>"
                             " (SELECT organisation_id FROM lg_warehouses WHERE id = %lld)",
                             wh);
    CHECK(wh > 0 && org > 0);
    snprintf(body, sizeof body,
             "{\"warehouse_id\":%lld,\"organisation_id\":%lld,\"area_m2\":100,\"since\":"
             "\"2099-01-01\"}",
             wh, org);
    json_t *made = CALL(&s, "POST", adm, "/api/v1/logistics/tenants", body, 201);
    long long t = th_int(made, "id");
    json_decref(made);
    snprintf(body, sizeof body,
             "{\"username\":\"tenantfirm\",\"role\":\"enterprise\",\"organisation_id\":%lld,"
             "\"password\":\"long-enough-pw\"}",
             org);
    json_t *r = NULL;
    CHECK_INT(th_call(&s, "POST", "/api/v1/users", adm, body, &r), 201);
    json_decref(r);
    th_login(&s, "tenantfirm", "long-enough-pw", firm);
    snprintf(path, sizeof path, "/api/v1/logistics/tenants/%lld", t);
    snprintf(body, sizeof body, "{\"version\":%lld,\"area_m2\":1}",
             rec_sql1(&s, "SELECT version FROM lg_tenants WHERE id = %lld", t));
    th_fingerprint(&s, fp0, sizeof fp0);
    CHECK_INT(th_call(&s, "PATCH", path, firm, body, &r), 403);
    CHECK_STR(th_err_field(r), "warehouse_id");
    json_decref(r);
    CHECK_INT(th_call(&s, "DELETE", path, firm, NULL, &r), 403);
    json_decref(r);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    th_stop(&s);
}
