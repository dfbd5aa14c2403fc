/* The eldercare demo (small), the coverage report and its CSV, the vulnerable list, centres,
 * and scoping of each for the roles. */
#include <stdlib.h>

#include "core/util.h"
#include "eldercare/el_fixture.h"

static long long total_of(json_t *o, const char *key)
{
    return th_int(json_object_get(o, "total"), key);
}

TEST_T(elder_demo_coverage_vulnerable_centres, 180)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 2000);
    /* the demo: synthetic, consistent */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM elders"), 2000);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM elders WHERE source <> 'synthetic'"), 0);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM helpers") >= 350);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM elder_pairs WHERE state = 'active'") > 1000);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM elder_service_logs") > 500);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM elder_alerts") > 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM helpers h WHERE h.capacity < (SELECT COUNT(*)"
                             " FROM elder_pairs p WHERE p.helper_id = h.id AND p.state ="
                             " 'active')"),
              0);
    CHECK_INT(th_sql_int(&s, "SELECT SUM(balance_min) FROM credit_accounts"), 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM credit_accounts a WHERE balance_min <> (SELECT"
                             " COALESCE(SUM(amount_min), 0) FROM credit_entries e WHERE"
                             " e.account_id = a.id)"),
              0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM elders WHERE (julianday('now') -"
                             " julianday(birth_date)) / 365.25 < 60"),
              0);
    /* a second call adds nothing */
    el_demo(&s, 2000);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM elders"), 2000);

    char off[80], g[80], town[80], view[80], ent[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "viewer", s.demo_pw, view);
    th_login(&s, "jd", s.demo_pw, ent);
    json_t *o = EL(&s, off, "GET", "/api/v1/eldercare/coverage", NULL, 200);
    CHECK_INT(json_array_size(json_object_get(o, "rows")), 18);
    CHECK_INT(total_of(o, "elders"), 2000);
    CHECK(total_of(o, "paired") > 1000);
    CHECK(total_of(o, "visits_done") > 0);
    json_decref(o);
    o = EL(&s, view, "GET", "/api/v1/eldercare/coverage?group=village", NULL, 200);
    CHECK_INT(total_of(o, "elders"), 2000);
    json_decref(o);
    /* the grid worker's report covers their grids only */
    long long mine = th_sql_int(&s, "SELECT COUNT(*) FROM elders e JOIN grid_workers w ON"
                                    " w.region_id = e.grid_id JOIN users u ON u.id = w.user_id"
                                    " WHERE u.username = 'grid01'");
    o = EL(&s, g, "GET", "/api/v1/eldercare/coverage?group=grid", NULL, 200);
    CHECK_INT(total_of(o, "elders"), mine);
    CHECK(json_array_size(json_object_get(o, "rows")) <= 3);
    json_decref(o);
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    char path[200];
    snprintf(path, sizeof path, "/api/v1/eldercare/coverage?group=village&region_id=%lld", jhh);
    o = EL(&s, town, "GET", path, NULL, 200);
    char q[200];
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM elders WHERE township_id = %lld", jhh);
    CHECK_INT(total_of(o, "elders"), th_sql_int(&s, q));
    json_decref(o);
    json_decref(EL(&s, off, "GET", "/api/v1/eldercare/coverage?group=county", NULL, 400));
    json_decref(EL(&s, off, "GET", "/api/v1/eldercare/coverage?region_id=99999999", NULL, 422));
    json_decref(EL(&s, ent, "GET", "/api/v1/eldercare/coverage", NULL, 403));
    /* the grid worker's list of their elders */
    o = EL(&s, g, "GET", "/api/v1/elders?limit=500", NULL, 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), mine);
    json_decref(o);
    /* vulnerable: all match the rule, all in scope */
    o = EL(&s, g, "GET", "/api/v1/eldercare/vulnerable?limit=500", NULL, 200);
    json_t *items = json_object_get(o, "items");
    long long vul = th_sql_int(&s, "SELECT COUNT(*) FROM elders e JOIN grid_workers w ON"
                                   " w.region_id = e.grid_id JOIN users u ON u.id = w.user_id"
                                   " WHERE u.username = 'grid01' AND (e.living_alone = 1 OR"
                                   " e.disabled = 1 OR e.ability_level >= 3)");
    CHECK_INT(json_array_size(items), vul);
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        CHECK(json_is_true(json_object_get(it, "living_alone")) ||
              json_is_true(json_object_get(it, "disabled")) || th_int(it, "ability_level") >= 3);
        CHECK_STR(th_str(it, "site_requirement"), "medical_or_barrier_free");
        CHECK(strchr(th_str(it, "phone"), '*') != NULL);
    }
    json_decref(o);
    /* CSV of the district (in process): one line per vulnerable elder plus the header */
    th_ctx l;
    th_ctx_open(&s, &l, "test", PJ_ROLE_DISTRICT_OFFICER);
    pj_err lerr;
    pj_err_clear(&lerr);
    pj_buf b;
    pj_buf_init(&b, 8 << 20);
    CHECK_INT(pj_vulnerable_list(&l.c, 0, 0, 0, 0, NULL, &b, &lerr), 0);
    long long lines = 0;
    for (size_t i = 0; i < b.len; i++) lines += b.data[i] == '\n';
    CHECK_INT(lines, 1 + th_sql_int(&s, "SELECT COUNT(*) FROM elders WHERE living_alone = 1 OR"
                                        " disabled = 1 OR ability_level >= 3"));
    CHECK(strncmp(b.data, "township,village,grid,elder_id", 30) == 0);
    pj_buf_reset(&b);
    CHECK_INT(pj_elder_coverage(&l.c, "township", 0, 0, 0, NULL, &b, &lerr), 0);
    lines = 0;
    for (size_t i = 0; i < b.len; i++) lines += b.data[i] == '\n';
    CHECK_INT(lines, 1 + 18 + 1);
    pj_buf_free(&b);
    /* the planner's feed */
    pj_vulnerable *v;
    int nv;
    CHECK_INT(pj_vulnerable_collect(&l.c, 0, &v, &nv, &lerr), 0);
    CHECK_INT(nv, th_sql_int(&s, "SELECT COUNT(*) FROM elders WHERE living_alone = 1 OR"
                                 " disabled = 1 OR ability_level >= 3"));
    th_ctx_close(&l);
    /* centres: every official reads them; officers of the township write */
    o = EL(&s, view, "GET", "/api/v1/elder-centres?kind=township&limit=100", NULL, 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 18);
    json_decref(o);
    json_decref(EL(&s, ent, "GET", "/api/v1/elder-centres", NULL, 403));
    long long village = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'village' AND"
                                       " parent_id = (SELECT township_id FROM users WHERE"
                                       " username = 'jinhaihu')");
    char body[300];
    /* a second point of the village (the demo gave each village one of its name) */
    snprintf(body, sizeof body,
             "{\"kind\":\"village\",\"name\":\"南山村互助养老点（二期）\",\"region_id\":%lld,"
             "\"checklist\":{\"handrails\":true}}",
             village);
    o = EL(&s, town, "POST", "/api/v1/elder-centres", body, 201);
    long long cid = th_int(o, "id");
    CHECK_INT(th_int(o, "checklist_done"), 1);
    json_decref(o);
    json_decref(EL(&s, g, "POST", "/api/v1/elder-centres", body, 403));
    snprintf(body, sizeof body, "{\"kind\":\"township\",\"name\":\"x\",\"region_id\":%lld}",
             village);
    json_decref(EL(&s, town, "POST", "/api/v1/elder-centres", body, 422));
    snprintf(path, sizeof path, "/api/v1/elder-centres/%lld", cid);
    o = EL(&s, town, "PATCH", path,
           "{\"version\":1,\"status\":\"open\",\"checklist\":{\"emergency_call\":true}}", 200);
    CHECK_INT(th_int(o, "checklist_done"), 2);
    json_decref(o);
    json_decref(EL(&s, town, "PATCH", path, "{\"version\":2,\"checklist\":{\"sauna\":true}}", 422));
    json_decref(EL(&s, town, "PATCH", path, "{\"version\":2,\"capacity\":1,\"occupancy\":2}", 422));
    th_stop(&s);
}

/* The coverage period and the service-log list read a bare date as a day in Pinggu: its
 * first instant in Beijing time (UTC+8), not midnight UTC. A November report counts the visit
 * at 07:30 on 1 November (23:30Z the day before) and not the one at 23:30 on 31 October
 * (15:30Z); a time with its zone stays as given. */
TEST(elder_coverage_period_beijing_dates)
{
    th_server s;
    th_start(&s, 1);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long e = el_elder(&s, off, grid, 1, "");
    long long h1 = el_helper(&s, off, grid, 2, "1970-05-01", 'F', "");
    long long h2 = el_helper(&s, off, grid, 3, "1971-06-02", 'M', "");
    char body[400], path[300], t_in[21];
    /* logged a day ago (a time_in more than 31 days ago is refused), then moved back to the
     * days of the report */
    pj_time_iso(pj_now() - 86400, t_in);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\","
             "\"time_in\":\"%s\",\"minutes\":30}",
             e, h1, t_in);
    json_t *o = EL(&s, off, "POST", "/api/v1/service-logs", body, 201);
    long long late = th_int(o, "id");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\","
             "\"time_in\":\"%s\",\"minutes\":90}",
             e, h2, t_in);
    o = EL(&s, off, "POST", "/api/v1/service-logs", body, 201);
    long long early = th_int(o, "id");
    json_decref(o);
    /* 23:30–24:00 on 31 October, and 07:30–09:00 on 1 November, Beijing time */
    snprintf(body, sizeof body,
             "UPDATE elder_service_logs SET time_in = CASE id WHEN %lld THEN %lld ELSE %lld END,"
             " time_out = CASE id WHEN %lld THEN %lld ELSE %lld END WHERE id IN (%lld, %lld)",
             late, 1761924600LL, 1761953400LL, late, 1761926400LL, 1761958800LL, late, early);
    th_sql_exec(&s, body);
    /* alerts resolved at 23:50 on 31 October and at 07:50 on 1 November */
    snprintf(body, sizeof body,
             "INSERT INTO elder_alerts (kind, elder_id, grid_id, township_id, dedupe_key, state,"
             " raised_at, resolved_at) SELECT 'no_visit', id, grid_id, township_id, 'period-' ||"
             " x.k, 'resolved', x.r - 3600, x.r FROM elders, (SELECT 1 AS k, %lld AS r UNION ALL"
             " SELECT 2, %lld) x WHERE id = %lld",
             1761925800LL, 1761954600LL, e);
    th_sql_exec(&s, body);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM elder_alerts WHERE state = 'resolved'"), 2);

    /* November */
    snprintf(path, sizeof path,
             "/api/v1/eldercare/coverage?group=grid&region_id=%lld&since=2025-11-01"
             "&until=2025-12-01",
             grid);
    o = EL(&s, off, "GET", path, NULL, 200);
    CHECK_STR(th_str(o, "since"), "2025-10-31T16:00:00Z");
    CHECK_STR(th_str(o, "until"), "2025-11-30T16:00:00Z");
    CHECK_INT(total_of(o, "visits_done"), 1);
    CHECK_INT(total_of(o, "helpers_active"), 1);
    CHECK_INT(total_of(o, "alerts_resolved"), 1);
    CHECK_NEAR(json_number_value(json_object_get(json_object_get(o, "total"), "hours_given")), 1.5,
               1e-9);
    json_decref(o);
    /* October */
    snprintf(path, sizeof path,
             "/api/v1/eldercare/coverage?group=grid&region_id=%lld&since=2025-10-01"
             "&until=2025-11-01",
             grid);
    o = EL(&s, off, "GET", path, NULL, 200);
    CHECK_STR(th_str(o, "since"), "2025-09-30T16:00:00Z");
    CHECK_INT(total_of(o, "visits_done"), 1);
    CHECK_INT(total_of(o, "helpers_active"), 1);
    CHECK_INT(total_of(o, "alerts_resolved"), 1);
    CHECK_NEAR(json_number_value(json_object_get(json_object_get(o, "total"), "hours_given")), 0.5,
               1e-9);
    json_decref(o);
    /* times with their zone are taken as given: 00:00Z on 1 November holds the early visit */
    snprintf(path, sizeof path,
             "/api/v1/eldercare/coverage?group=grid&region_id=%lld"
             "&since=2025-11-01T00:00:00Z&until=2025-12-01T00:00:00Z",
             grid);
    o = EL(&s, off, "GET", path, NULL, 200);
    CHECK_STR(th_str(o, "since"), "2025-11-01T00:00:00Z");
    CHECK_INT(total_of(o, "visits_done"), 0);
    json_decref(o);
    /* the elder's logs of 1 November (Beijing): the early visit only */
    snprintf(path, sizeof path,
             "/api/v1/service-logs?elder_id=%lld&since=2025-11-01&until=2025-11-02", e);
    o = EL(&s, off, "GET", path, NULL, 200);
    json_t *items = json_object_get(o, "items");
    CHECK_INT(json_array_size(items), 1);
    CHECK_INT(th_int(json_array_get(items, 0), "id"), early);
    json_decref(o);
    /* and of 31 October: the late one */
    snprintf(path, sizeof path,
             "/api/v1/service-logs?elder_id=%lld&since=2025-10-31&until=2025-11-01", e);
    o = EL(&s, off, "GET", path, NULL, 200);
    items = json_object_get(o, "items");
    CHECK_INT(json_array_size(items), 1);
    CHECK_INT(th_int(json_array_get(items, 0), "id"), late);
    json_decref(o);
    th_stop(&s);
}

/* A figure with nothing to count against is no figure: an area without elders has no
 * coverage (null in JSON, an empty CSV cell), not 0 %; nor visits done against none due. An
 * area whose elders have no meals arranged reads 0 %. */
TEST(elder_coverage_nothing_to_count_against_is_no_figure)
{
    th_server s;
    th_start(&s, 1);
    char off[80], path[200];
    th_login(&s, "officer", s.demo_pw, off);
    /* a village's first grid with an elder, its second with a helper only */
    long long village = th_sql_int(&s, "SELECT MIN(v.id) FROM regions v WHERE v.type = 'village'"
                                       " AND (SELECT COUNT(*) FROM regions g WHERE g.parent_id ="
                                       " v.id) >= 2");
    char q[200];
    snprintf(q, sizeof q, "SELECT MIN(id) FROM regions WHERE parent_id = %lld", village);
    long long g1 = th_sql_int(&s, q);
    snprintf(q, sizeof q, "SELECT MIN(id) FROM regions WHERE parent_id = %lld AND id > %lld",
             village, g1);
    long long g2 = th_sql_int(&s, q);
    el_elder(&s, off, g1, 1, "");
    el_helper(&s, off, g2, 2, "1970-05-01", 'F', "");
    snprintf(path, sizeof path, "/api/v1/eldercare/coverage?group=grid&region_id=%lld", village);
    json_t *o = EL(&s, off, "GET", path, NULL, 200);
    json_t *rows = json_object_get(o, "rows");
    CHECK_INT(json_array_size(rows), 2);
    static const char *const pcts[] = {"meals_pct", "doctor_pct", "paired_pct", "visits_pct"};
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        if (th_int(r, "region_id") == g2) {
            CHECK_INT(th_int(r, "elders"), 0);
            CHECK_INT(th_int(r, "helpers"), 1);
            for (int k = 0; k < 4; k++) CHECK(json_is_null(json_object_get(r, pcts[k])));
        } else {
            CHECK_INT(th_int(r, "elders"), 1);
            for (int k = 0; k < 3; k++) CHECK(json_is_number(json_object_get(r, pcts[k])));
            CHECK(json_number_value(json_object_get(r, "meals_pct")) == 0.0);
            CHECK(json_number_value(json_object_get(r, "paired_pct")) == 0.0);
            CHECK(json_number_value(json_object_get(r, "visits_pct")) == 0.0);
        }
    }
    CHECK(json_number_value(json_object_get(json_object_get(o, "total"), "paired_pct")) == 0.0);
    json_decref(o);
    /* a region with no elders at all: the total has no coverage either */
    snprintf(path, sizeof path, "/api/v1/eldercare/coverage?group=grid&region_id=%lld", g2);
    o = EL(&s, off, "GET", path, NULL, 200);
    for (int k = 0; k < 4; k++)
        CHECK(json_is_null(json_object_get(json_object_get(o, "total"), pcts[k])));
    json_decref(o);
    /* the CSV: empty cells for the helper-only grid, 0.0 for the grid with an elder */
    th_ctx l;
    th_ctx_open(&s, &l, "test", PJ_ROLE_DISTRICT_OFFICER);
    pj_err err;
    pj_err_clear(&err);
    pj_buf b;
    pj_buf_init(&b, 1 << 20);
    CHECK_INT(pj_elder_coverage(&l.c, "grid", village, 0, 0, NULL, &b, &err), 0);
    pj_buf_putc(&b, 0);
    char want[64];
    snprintf(want, sizeof want, "\n%lld,", g2);
    const char *line = strstr(b.data, want);
    CHECK(line != NULL);
    /* region_id,name,elders,meals_pct,doctor_pct,paired_pct,visits_due,… */
    const char *c = line ? strchr(line + 1, ',') : NULL; /* after region_id */
    c = c ? strchr(c + 1, ',') : NULL;                   /* after name */
    CHECK(c != NULL && strncmp(c, ",0,,,,", 6) == 0);    /* 0 elders, three empty cells */
    snprintf(want, sizeof want, "\n%lld,", g1);
    line = strstr(b.data, want);
    c = line ? strchr(line + 1, ',') : NULL;
    c = c ? strchr(c + 1, ',') : NULL;
    CHECK(c != NULL && strncmp(c, ",1,0", 4) == 0); /* 1 elder, meals 0 */
    pj_buf_free(&b);
    th_ctx_close(&l);
    th_stop(&s);
}

/* The coverage CSV says what the JSON says: every figure of every row and the total, for each
 * grouping, the same number (one rounding for both: 兴谷街道's hours given read 16782.6 in
 * JSON and 16782.5 in the CSV), an empty cell where the JSON has null. */
TEST_T(elder_coverage_csv_figures_equal_the_json, 180)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 3000);
    static const char *const keys[] = {"elders",      "meals_pct",       "doctor_pct",
                                       "paired_pct",  "visits_due",      "visits_done",
                                       "alerts_open", "alerts_resolved", "resolve_hours_avg",
                                       "helpers",     "helpers_active",  "hours_given"};
    static const char *const groups[] = {"grid", "village", "township"};
    th_ctx l;
    th_ctx_open(&s, &l, "test", PJ_ROLE_DISTRICT_OFFICER);
    pj_err err;
    pj_err_clear(&err);
    int compared = 0, decimals = 0;
    for (int gi = 0; gi < 3; gi++) {
        pj_buf jb, cb;
        pj_buf_init(&jb, 16 << 20);
        pj_buf_init(&cb, 16 << 20);
        pj_jw w;
        pj_jw_init(&w, &jb);
        CHECK_INT(pj_elder_coverage(&l.c, groups[gi], 0, 0, 0, &w, NULL, &err), 0);
        CHECK_INT(pj_elder_coverage(&l.c, groups[gi], 0, 0, 0, NULL, &cb, &err), 0);
        pj_buf_putc(&jb, 0);
        pj_buf_putc(&cb, 0);
        json_t *o = json_loads(jb.data, 0, NULL);
        CHECK(o != NULL);
        json_t *rows = json_object_get(o, "rows");
        /* the CSV's lines after the header: the rows in order, then the total */
        char *save = NULL, *line = strtok_r(cb.data, "\n", &save);
        size_t n = 0;
        while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
            json_t *r =
                n < json_array_size(rows) ? json_array_get(rows, n) : json_object_get(o, "total");
            n++;
            size_t len = strlen(line);
            if (len && line[len - 1] == '\r') line[len - 1] = 0;
            char *cells[16];
            int nc = 0;
            for (char *p = line;; p++) {
                if (nc < 16) cells[nc++] = p;
                p = strchr(p, ',');
                if (!p) break;
                *p = 0;
            }
            CHECK(nc >= 14);
            if (nc < 14) break;
            /* region_id first, the twelve figures last (a name may hold a comma) */
            if (*cells[0])
                CHECK_INT(atoll(cells[0]), th_int(r, "region_id"));
            else
                CHECK(json_is_null(json_object_get(r, "region_id")));
            for (int k = 0; k < 12; k++) {
                const char *cell = cells[nc - 12 + k];
                json_t *v = json_object_get(r, keys[k]);
                if (!*cell) {
                    if (!json_is_null(v))
                        t_fail(__FILE__, __LINE__, "%s %s: CSV empty, JSON %g", groups[gi], keys[k],
                               json_number_value(v));
                    continue;
                }
                if (!json_is_number(v) || strtod(cell, NULL) != json_number_value(v))
                    t_fail(__FILE__, __LINE__, "%s row %zu %s: CSV %s, JSON %g", groups[gi], n,
                           keys[k], cell, json_number_value(v));
                decimals += strchr(cell, '.') != NULL;
                compared++;
            }
        }
        CHECK_INT(n, json_array_size(rows) + 1);
        json_decref(o);
        pj_buf_free(&jb);
        pj_buf_free(&cb);
    }
    CHECK(compared > 1000);
    CHECK(decimals > 100);
    th_ctx_close(&l);
    th_stop(&s);
}

/* The vulnerable list with reveal=1 shows the paired helper's phone in full: that is a read of
 * the helper's number as much as GET /helpers/{id}?reveal=1, and is audited as one
 * (read_unmasked, entity helper), also when the helper lives on a grid outside the caller's,
 * whose record the grid worker may not open. Without reveal the number stays masked and
 * nothing is written. */
TEST(elder_vulnerable_reveal_audits_the_helper)
{
    th_server s;
    th_start(&s, 1);
    char off[80], g[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    /* another grid of the same township, not grid01's */
    char q[600];
    snprintf(q, sizeof q,
             "SELECT MIN(r.id) FROM regions r JOIN regions v ON v.id = r.parent_id WHERE"
             " r.type = 'grid' AND v.parent_id = (SELECT v2.parent_id FROM regions g2 JOIN"
             " regions v2 ON v2.id = g2.parent_id WHERE g2.id = %lld) AND r.id NOT IN (SELECT"
             " w.region_id FROM grid_workers w JOIN users u ON u.id = w.user_id WHERE"
             " u.username = 'grid01')",
             grid);
    long long other = th_sql_int(&s, q);
    CHECK(other > 0);
    long long e = el_elder(&s, g, grid, 41, "\"living_alone\":true");
    long long h = el_helper(&s, off, other, 42, "1970-05-01", 'F', "");
    char body[200], path[200];
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", e, h);
    json_decref(EL(&s, off, "POST", "/api/v1/pairs", body, 201));
    /* the helper is outside grid01's scope */
    snprintf(path, sizeof path, "/api/v1/helpers/%lld?reveal=1", h);
    json_decref(EL(&s, g, "GET", path, NULL, 403));
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE action = 'read_unmasked' AND entity = 'helper'"
             " AND entity_id = %lld AND username = 'grid01'",
             h);
    /* masked: the number hidden, nothing audited */
    json_t *o = EL(&s, g, "GET", "/api/v1/eldercare/vulnerable?limit=500", NULL, 200);
    json_t *items = json_object_get(o, "items"), *it = NULL;
    for (size_t i = 0; i < json_array_size(items); i++)
        if (th_int(json_array_get(items, i), "elder_id") == e) it = json_array_get(items, i);
    CHECK(it != NULL);
    if (it) CHECK_STR(th_str(json_object_get(it, "helper"), "phone"), "139****5678");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, q), 0);
    /* revealed: the number in full, and the helper's read audited */
    o = EL(&s, g, "GET", "/api/v1/eldercare/vulnerable?limit=500&reveal=1", NULL, 200);
    items = json_object_get(o, "items"), it = NULL;
    for (size_t i = 0; i < json_array_size(items); i++)
        if (th_int(json_array_get(items, i), "elder_id") == e) it = json_array_get(items, i);
    CHECK(it != NULL);
    if (it) CHECK_STR(th_str(json_object_get(it, "helper"), "phone"), "13900005678");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, q), 1);
    /* the CSV sheet reveals the same number: audited the same way */
    CHECK_INT(th_call(&s, "GET", "/api/v1/eldercare/vulnerable?format=csv&reveal=1", g, NULL, NULL),
              200);
    CHECK_INT(th_sql_int(&s, q), 2);
    /* a page of the CSV is refused, nothing revealed nor audited: it was the whole list (every
     * elder unmasked and audited for limit=2) */
    long long audit = th_sql_int(&s, "SELECT COUNT(*) FROM audit");
    static const char *const paged[][2] = {
        {"/api/v1/eldercare/vulnerable?format=csv&reveal=1&limit=2", "limit"},
        {"/api/v1/eldercare/vulnerable?format=csv&cursor=999999", "cursor"}};
    for (int i = 0; i < 2; i++) {
        json_t *r = EL(&s, g, "GET", paged[i][0], NULL, 400);
        CHECK_STR(th_err_code(r), "unknown_parameter");
        CHECK_STR(th_err_field(r), paged[i][1]);
        json_decref(r);
    }
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit"), audit);
    th_stop(&s);
}

/* A scoped user naming a region outside their scope is refused (403 on region_id), not
 * answered with their scope filtered by it: zero figures, an empty list, read as "nothing
 * there". Inside it (a part of it, or the district for "all of mine") they get their rows;
 * viewers and district roles read any region. */
TEST_T(elder_region_outside_the_scope_is_refused, 120)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 600);
    char off[80], g[80], town[80], view[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "viewer", s.demo_pw, view);
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    long long grid = el_grid01_grid(&s);
    char q[400];
    snprintf(q, sizeof q,
             "SELECT e.township_id FROM elders e WHERE e.township_id <> %lld AND e.township_id"
             " <> (SELECT v.parent_id FROM regions g JOIN regions v ON v.id = g.parent_id WHERE"
             " g.id = %lld) GROUP BY e.township_id ORDER BY COUNT(*) DESC LIMIT 1",
             jhh, grid);
    long long other = th_sql_int(&s, q);
    CHECK(other > 0);
    snprintf(q, sizeof q, "SELECT MIN(village_id) FROM elders WHERE township_id = %lld", other);
    long long other_village = th_sql_int(&s, q);
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM elders WHERE township_id = %lld", other);
    long long others = th_sql_int(&s, q);
    CHECK(others > 0);
    long long district = th_sql_int(&s, "SELECT id FROM regions WHERE type = 'district'");
    char path[200];
    const char *const reads[] = {"/api/v1/eldercare/coverage?region_id=%lld",
                                 "/api/v1/elders?region_id=%lld", "/api/v1/helpers?region_id=%lld",
                                 "/api/v1/eldercare/vulnerable?region_id=%lld"};
    for (size_t k = 0; k < sizeof reads / sizeof reads[0]; k++) {
        long long outside[] = {other, other_village};
        for (int j = 0; j < 2; j++) {
            snprintf(path, sizeof path, reads[k], outside[j]);
            json_t *e = EL(&s, town, "GET", path, NULL, 403);
            CHECK_STR(th_str(json_object_get(e, "error"), "field"), "region_id");
            json_decref(e);
            json_decref(EL(&s, g, "GET", path, NULL, 403));
            json_decref(EL(&s, off, "GET", path, NULL, 200));
        }
        /* inside: the officer's township and the grid worker's grid, its village and
         * township; the district is everyone's "all of mine" */
        snprintf(path, sizeof path, reads[k], jhh);
        json_decref(EL(&s, town, "GET", path, NULL, 200));
        snprintf(path, sizeof path, reads[k], district);
        json_decref(EL(&s, town, "GET", path, NULL, 200));
        json_decref(EL(&s, g, "GET", path, NULL, 200));
        snprintf(path, sizeof path, reads[k], grid);
        json_decref(EL(&s, g, "GET", path, NULL, 200));
        snprintf(q, sizeof q, "SELECT parent_id FROM regions WHERE id = %lld", grid);
        long long village = th_sql_int(&s, q);
        snprintf(path, sizeof path, reads[k], village);
        json_decref(EL(&s, g, "GET", path, NULL, 200));
        snprintf(q, sizeof q, "SELECT parent_id FROM regions WHERE id = %lld", village);
        snprintf(path, sizeof path, reads[k], th_sql_int(&s, q));
        json_decref(EL(&s, g, "GET", path, NULL, 200));
    }
    /* the figures of the other township: the district officer's and the viewer's */
    snprintf(path, sizeof path, "/api/v1/eldercare/coverage?region_id=%lld", other);
    json_t *o = EL(&s, off, "GET", path, NULL, 200);
    CHECK_INT(total_of(o, "elders"), others);
    json_decref(o);
    o = EL(&s, view, "GET", path, NULL, 200);
    CHECK_INT(total_of(o, "elders"), others);
    json_decref(o);
    th_stop(&s);
}
