/* The planner from the command line: plan --scenario, list, show, compare, adopt, ship. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "t.h"
#include "th.h"

/* The scenario file of these tests: 400 people near 40.2 N 117.3 E to resettle, the teams,
 * 0.3 s; extra: more members ("\"supplies\":{…},") or "". */
static void scenario_file(const char *path, const char *extra)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fprintf(f,
            "{\"name\":\"cli\",\"scenario\":\"disaster\",\"role\":\"resettlement\","
            "\"affected\":{\"center\":{\"lat\":40.2,\"lon\":117.3},\"radius_km\":6},"
            "\"demand\":{\"people\":400},%s\"teams\":{\"cleaning\":12,\"logistics\":16,"
            "\"security\":4,\"medical\":4,\"catering\":6,\"it\":2},\"time_limit_s\":0.3}",
            extra);
    fclose(f);
}

TEST_T(cli_plan_make_list_show_compare_adopt, 120)
{
    char out[1 << 20] = {0};
    char db[600], scn[600], res[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(scn, sizeof scn, "%s/scenario.json", t_tmpdir());
    snprintf(res, sizeof res, "%s/result.json", t_tmpdir());
    th_demo_db(db);
    scenario_file(scn, "");
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn, "--out", res, "--progress"), 0);
    CHECK(strstr(out, "plan 1") && strstr(out, "served 400") && strstr(out, "ready h"));
    CHECK(strstr(out, "plan: schedule"));
    CHECK(access(res, R_OK) == 0);
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn), 0);
    CHECK_INT(RUN(out, "plan", "list", "--db", db), 0);
    CHECK(strstr(out, "\"items\""));
    CHECK_INT(RUN(out, "plan", "show", "2", "--db", db), 0);
    CHECK(strstr(out, "plan 2"));
    CHECK_INT(RUN(out, "plan", "compare", "1", "2", "--db", db), 0);
    CHECK(strstr(out, "\"difference\""));
    /* the demo's conversions under way still need teams the plan takes as free: refused, the
     * plan still a draft, unless confirmed; the adopted plan then says which were busy */
    CHECK_INT(RUN(out, "plan", "adopt", "1", "--db", db), 1);
    CHECK(strstr(out, "teams_busy") && strstr(out, "logistics: 16 given"));
    /* said as this command takes it, not only as the API's "confirm": true */
    CHECK(strstr(out, "pingji plan adopt 1 --confirm"));
    CHECK_INT(RUN(out, "plan", "show", "1", "--db", db), 0);
    CHECK(strstr(out, "TEAMS BUSY: logistics: 16 given") && strstr(out, "needs --confirm"));
    CHECK_INT(RUN(out, "plan", "adopt", "1", "--confirm", "--db", db), 0);
    CHECK(strstr(out, "adopted"));
    CHECK(strstr(out, "TEAMS BUSY WHEN ADOPTED: logistics: 16 given"));
    CHECK_INT(RUN(out, "plan", "adopt", "2", "--db", db), 1); /* the same sites: busy */
    CHECK(strstr(out, "facility_busy") || strstr(out, "cannot be adopted"));
    /* stood down when the crisis is over: the reason is required; a draft no one will adopt is
     * set aside the same way, and is then adopted no more */
    CHECK_INT(RUN(out, "plan", "close", "1", "--db", db), 2);
    CHECK_INT(RUN(out, "plan", "close", "2", "--reason", "未被选用", "--db", db), 0);
    CHECK(strstr(out, "closed"));
    CHECK_INT(RUN(out, "plan", "adopt", "2", "--confirm", "--db", db), 1);
    CHECK(strstr(out, "invalid_transition"));
    CHECK_INT(RUN(out, "plan", "close", "1", "--reason", "汛情解除", "--db", db), 0);
    CHECK(strstr(out, "closed"));
    CHECK_INT(RUN(out, "plan", "list", "--status", "closed", "--db", db), 0);
    CHECK(strstr(out, "\"status\": \"closed\"") || strstr(out, "\"status\":\"closed\""));
    CHECK_INT(RUN(out, "plan", "show", "--db", db), 2);
    CHECK_INT(RUN(out, "plan", "frobnicate", "--db", db), 2);
    FILE *f = fopen(scn, "w");
    fputs("{\"name\":\"bad\"}", f);
    fclose(f);
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn), 1);
}

/* Terminal columns of UTF-8 text: CJK characters two, others one. */
static int cols(const char *s, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        w += len == 3 && c >= 0xE3 ? 2 : 1; /* U+3000 and up (CJK) in these names */
        i += (size_t)len;
    }
    return w;
}

/* What plan --scenario prints says what the officer relies on: the sites the shared teams make
 * ready after the deadline, whom the shortfall leaves out, the supplies; the site table keeps
 * its columns with Chinese names, a name too long cut with "…". */
TEST_T(cli_plan_says_deadline_shortfall_supplies_and_aligns_names, 120)
{
    char out[1 << 20] = {0};
    char db[600], scn[600], sql[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(scn, sizeof scn, "%s/scenario.json", t_tmpdir());
    th_demo_db(db);
    /* a long name on a site the plan takes (南山村 is next to the affected villages) */
    snprintf(sql, sizeof sql,
             "UPDATE facilities SET name = '南山村应急安置点一号楼二号楼三号楼四号楼五号楼' WHERE"
             " id = 2");
    sqlite3 *h;
    CHECK_INT(sqlite3_open(db, &h), SQLITE_OK);
    CHECK_INT(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    FILE *f = fopen(scn, "w");
    fputs("{\"name\":\"cli\",\"scenario\":\"disaster\",\"role\":\"resettlement\","
          "\"affected\":{\"township_ids\":[303,1073,523]},\"demand\":{\"share\":0.1},"
          "\"deadline_hours\":24,\"vulnerable\":{\"count\":150,\"needs\":\"medical\"},"
          "\"supplies\":{\"days\":3},\"teams\":{\"cleaning\":12,\"logistics\":16,"
          "\"security\":4,\"medical\":4,\"catering\":6,\"it\":2,\"disinfection\":8},"
          "\"time_limit_s\":0.3}",
          f);
    fclose(f);
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn), 0);
    CHECK(strstr(out, "DEADLINE MISSED: ") && strstr(out, "sites ready after the 24 h deadline"));
    CHECK(strstr(out, "after the deadline\n") != NULL);
    CHECK(strstr(out, "shortfall 150 (150 of them needing medical care)") != NULL);
    CHECK(strstr(out, "needing medical care: 150 (the number the plan gave)") != NULL);
    /* each category in its unit, not kilograms and litres added up */
    CHECK(strstr(out, "supplies for 3 days, per category:\n") != NULL);
    CHECK(strstr(out, "supplies for 3 days: demand ") == NULL);
    /* the solve's allocation, not a shipment (it read "shipped" with none recorded) */
    CHECK(strstr(out, "\n  grain      demand ") && strstr(out, " kg, allocated "));
    CHECK(strstr(out, "\n  water      demand ") && strstr(out, " L, allocated "));
    CHECK(!strstr(out, ", shipped "));
    CHECK(strstr(out, "left out: ") && strstr(out, "(facility 4, medical): needs 10 medical"));
    CHECK(strstr(out, "南山村应急安置点一号楼二号楼三号楼…") != NULL);
    /* every row of the site table as wide as the header up to its last column */
    const char *head = strstr(out, "facility  name");
    CHECK(head != NULL);
    if (!head) return;
    const char *nl = strchr(head, '\n');
    int width = cols(head, (size_t)(nl - head)), rows = 0;
    for (const char *line = nl + 1; *line && *line != '\n'; line = strchr(line, '\n') + 1) {
        const char *end = strchr(line, '\n');
        const char *late = strstr(line, "  after the deadline");
        if (late && late < end) end = late;
        if (cols(line, (size_t)(end - line)) != width)
            t_fail(__FILE__, __LINE__, "row %d is %d columns, the header %d: %.*s", rows,
                   cols(line, (size_t)(end - line)), width, (int)(end - line), line);
        rows++;
    }
    CHECK(rows > 5);
}

static long long db_int(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_open(db, &h) != SQLITE_OK) return -1;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

/* plan ship: a shipment of an adopted plan's flow, taken off the store's stock; bad options are a
 * usage error (2), a refusal of the planner 1, neither writes anything. */
TEST_T(cli_plan_ship_records_a_shipment, 120)
{
    char out[1 << 20] = {0};
    char db[600], scn[600], res[600], id[24], store[24], site[24], qty[24], more[24], sql[300];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(scn, sizeof scn, "%s/scenario.json", t_tmpdir());
    snprintf(res, sizeof res, "%s/result.json", t_tmpdir());
    th_demo_db(db);
    scenario_file(scn, "\"supplies\":{\"days\":3},");
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn, "--out", res), 0);
    json_t *plan = json_load_file(res, 0, NULL);
    json_t *fl = json_array_get(
        json_object_get(json_object_get(json_object_get(plan, "result"), "supplies"), "flows"), 0);
    CHECK(fl != NULL);
    if (!fl) return;
    long long planned = json_integer_value(json_object_get(fl, "quantity"));
    CHECK(planned >= 2);
    const char *cat = json_string_value(json_object_get(fl, "category"));
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(plan, "id")));
    snprintf(store, sizeof store, "%lld",
             (long long)json_integer_value(json_object_get(fl, "store_id")));
    snprintf(site, sizeof site, "%lld",
             (long long)json_integer_value(json_object_get(fl, "facility_id")));
    snprintf(more, sizeof more, "%lld", planned + 1);
    snprintf(sql, sizeof sql,
             "SELECT CAST(SUM(quantity) AS INTEGER) FROM stock_lines WHERE facility_id = %s AND"
             " category = '%s'",
             store, cat);
    long long stock0 = db_int(db, sql), audit0 = db_int(db, "SELECT COUNT(*) FROM audit");
    /* a draft is not shipped (1), nor is bad input taken (2) */
    CHECK_INT(RUN(out, "plan", "ship", id, "--db", db, "--store", store, "--site", site,
                  "--category", cat, "--quantity", "1"),
              1);
    CHECK(strstr(out, "not_adopted") != NULL);
    CHECK_INT(RUN(out, "plan", "adopt", id, "--confirm", "--db", db), 0);
    audit0 = db_int(db, "SELECT COUNT(*) FROM audit");
    CHECK_INT(RUN(out, "plan", "ship", id, "--db", db, "--store", store, "--site", site,
                  "--category", cat, "--quantity", "0"),
              2);
    CHECK_INT(RUN(out, "plan", "ship", id, "--db", db, "--store", store, "--site", site,
                  "--category", cat, "--quantity", "lots"),
              2);
    CHECK_INT(RUN(out, "plan", "ship", id, "--db", db, "--store", "x", "--site", site, "--category",
                  cat, "--quantity", "1"),
              2);
    CHECK_INT(RUN(out, "plan", "ship", id, "--db", db, "--site", site, "--category", cat,
                  "--quantity", "1"),
              2);
    CHECK_INT(RUN(out, "plan", "ship", id, "--db", db, "--store", store, "--site", site,
                  "--quantity", "1"),
              2);
    CHECK_INT(RUN(out, "plan", "ship", "--db", db, "--store", store, "--site", site, "--category",
                  cat, "--quantity", "1"),
              2);
    /* more than the flow: refused by the planner */
    CHECK_INT(RUN(out, "plan", "ship", id, "--db", db, "--store", store, "--site", site,
                  "--category", cat, "--quantity", more),
              1);
    CHECK(strstr(out, "exceeds_flow") && strstr(out, "[field quantity]"));
    CHECK_INT(RUN(out, "plan", "ship", id, "--db", db, "--store", site, "--site", store,
                  "--category", cat, "--quantity", "1"),
              1);
    CHECK(strstr(out, "unknown_flow") != NULL);
    /* a store does not ship to itself */
    CHECK_INT(RUN(out, "plan", "ship", id, "--db", db, "--store", store, "--site", store,
                  "--category", cat, "--quantity", "1"),
              1);
    CHECK(strstr(out, "invalid") && strstr(out, "does not ship to itself") &&
          strstr(out, "[field facility_id]"));
    CHECK_INT(db_int(db, "SELECT COUNT(*) FROM plan_shipments"), 0);
    CHECK_INT(db_int(db, "SELECT COUNT(*) FROM audit"), audit0);
    CHECK_INT(db_int(db, sql), stock0);
    /* one unit, then the rest of the flow */
    CHECK_INT(RUN(out, "plan", "ship", id, "--db", db, "--store", store, "--site", site,
                  "--category", cat, "--quantity", "1"),
              0);
    char says[96];
    snprintf(says, sizeof says, "the flow: 1 of %lld ", planned);
    CHECK(strstr(out, says) && strstr(out, "from stock line "));
    snprintf(qty, sizeof qty, "%lld", planned - 1);
    CHECK_INT(RUN(out, "plan", "ship", id, "--db", db, "--store", store, "--site", site,
                  "--category", cat, "--quantity", qty),
              0);
    CHECK(strstr(out, ", 0 left") != NULL);
    CHECK_INT(db_int(db, "SELECT COUNT(*) FROM plan_shipments"), 2);
    CHECK_INT(db_int(db, sql), stock0 - planned);
    CHECK_INT(RUN(out, "plan", "show", id, "--db", db), 0);
    /* on the line of the flow's category, in its unit */
    snprintf(says, sizeof says, "\n  %-10s demand ", cat);
    const char *line = strstr(out, says);
    CHECK(line != NULL);
    if (line) {
        const char *eol = strchr(line + 1, '\n');
        snprintf(says, sizeof says, "; shipments recorded so far: %lld\n", planned);
        CHECK(eol && (size_t)(eol + 1 - line) >= strlen(says) &&
              !strncmp(eol + 1 - strlen(says), says, strlen(says)));
    }
    /* the first shipment (of 1) voided: back on the stock, the flow 1 short again; bad options
     * are a usage error, a second void a refusal */
    long long sid = db_int(db, "SELECT MIN(id) FROM plan_shipments");
    char sids[24];
    snprintf(sids, sizeof sids, "%lld", sid);
    audit0 = db_int(db, "SELECT COUNT(*) FROM audit");
    CHECK_INT(RUN(out, "plan", "void-shipment", id, sids, "--db", db), 2);
    CHECK_INT(RUN(out, "plan", "void-shipment", id, "--db", db, "--reason", "x"), 2);
    CHECK_INT(RUN(out, "plan", "void-shipment", id, "x", "--db", db, "--reason", "x"), 2);
    CHECK_INT(db_int(db, "SELECT COUNT(*) FROM audit"), audit0);
    CHECK_INT(RUN(out, "plan", "void-shipment", id, sids, "--db", db, "--reason", "录入两次"), 0);
    snprintf(says, sizeof says, "shipment %lld of plan %s voided: 1 ", sid, id);
    CHECK(strstr(out, says) && strstr(out, "back on stock line "));
    snprintf(says, sizeof says, "the flow: %lld of %lld ", planned - 1, planned);
    CHECK(strstr(out, says) && strstr(out, ", 1 left"));
    CHECK_INT(db_int(db, sql), stock0 - planned + 1);
    CHECK_INT(db_int(db, "SELECT COUNT(*) FROM plan_shipments WHERE voided_at IS NOT NULL AND"
                         " void_reason = '录入两次'"),
              1);
    CHECK_INT(RUN(out, "plan", "void-shipment", id, sids, "--db", db, "--reason", "x"), 1);
    CHECK(strstr(out, "invalid_state") && strstr(out, "voided already"));
    json_decref(plan);
}

/* A plan whose location search found no bound has no gap (null in its summary): plan show says
 * it is unknown and plan compare gives null for it and for the difference, where both said 0 %
 * (as if the plan were proven optimal). The compare names each side's scenario and role (two
 * plans of another kind were compared without a word). Two plans stored as a solve writes
 * them. */
TEST_T(cli_plan_unknown_gap_is_not_zero, 60)
{
    char out[1 << 16] = {0};
    char db[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    sqlite3 *h;
    CHECK_INT(sqlite3_open(db, &h), SQLITE_OK);
    CHECK_INT(sqlite3_exec(h,
                           "INSERT INTO plans (id, name, scenario, role, request_json,"
                           " result_json, objective, gap, demand, served, shortfall, status,"
                           " created_at, created_by, solved_at) VALUES"
                           " (1, 'no bound', 'disaster', 'resettlement', '{}', '{\"summary\":"
                           "{\"objective\":900,\"lower_bound\":null,\"gap\":null,\"demand\":10,"
                           "\"served\":10,\"shortfall\":0,\"sites\":1},\"sites\":[]}', 900, 1,"
                           " 10, 10, 0, 'draft', 0, 't', 0),"
                           " (2, 'bound', 'epidemic', 'isolation', '{}', '{\"summary\":"
                           "{\"objective\":800,\"lower_bound\":760,\"gap\":0.05,\"demand\":10,"
                           "\"served\":10,\"shortfall\":0,\"sites\":1},\"sites\":[]}', 800,"
                           " 0.05, 10, 10, 0, 'draft', 0, 't', 0)",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(h);
    CHECK_INT(RUN(out, "plan", "show", "1", "--db", db), 0);
    CHECK(strstr(out, "bound —, gap — (no bound found)\n") != NULL);
    CHECK(strstr(out, "gap 0.00%") == NULL);
    CHECK_INT(RUN(out, "plan", "show", "2", "--db", db), 0);
    CHECK(strstr(out, "bound 760.0, gap 5.00%\n") != NULL);
    CHECK_INT(RUN(out, "plan", "compare", "1", "2", "--db", db), 0);
    json_t *c = json_loads(out, 0, NULL);
    CHECK(c != NULL);
    CHECK(json_is_null(json_object_get(json_object_get(c, "a"), "gap")));
    CHECK(json_number_value(json_object_get(json_object_get(c, "b"), "gap")) == 0.05);
    CHECK(json_is_null(json_object_get(json_object_get(c, "difference"), "gap")));
    /* each side says its scenario and role: these two are not plans of the same kind */
    CHECK_STR(json_string_value(json_object_get(json_object_get(c, "a"), "scenario")), "disaster");
    CHECK_STR(json_string_value(json_object_get(json_object_get(c, "a"), "role")), "resettlement");
    CHECK_STR(json_string_value(json_object_get(json_object_get(c, "b"), "scenario")), "epidemic");
    CHECK_STR(json_string_value(json_object_get(json_object_get(c, "b"), "role")), "isolation");
    CHECK(json_number_value(json_object_get(json_object_get(c, "difference"), "objective")) ==
          -100);
    json_decref(c);
}

/* plan show of a plan that failed says how (its error, as the API gives it), and of one still
 * solving its progress; both printed an empty site table and a plan of zeros (demand 0,
 * shortfall 0, cost 0.0), as if solved with no one in need. */
TEST_T(cli_plan_show_failed_and_solving, 60)
{
    char out[1 << 16] = {0};
    char db[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    sqlite3 *h;
    CHECK_INT(sqlite3_open(db, &h), SQLITE_OK);
    CHECK_INT(sqlite3_exec(h,
                           "INSERT INTO plans (id, name, scenario, role, request_json,"
                           " result_json, objective, gap, demand, served, shortfall, status,"
                           " created_at, created_by, error_json, solved_at, solver_pid) VALUES"
                           " (1, 'stopped', 'disaster', 'resettlement', '{}', 'null', 0, 0, 0, 0,"
                           " 0, 'failed', 0, 't', '{\"code\":\"too_few_teams\",\"message\":"
                           "\"no candidate can be converted\",\"field\":\"teams.it\","
                           "\"status\":422}', 0, NULL),"
                           " (2, 'solving', 'disaster', 'resettlement', '{}', 'null', 0, 0, 0,"
                           " 0, 0, 'solving', strftime('%s', 'now'), 't', NULL, NULL, 1)",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(h);
    CHECK_INT(RUN(out, "plan", "show", "1", "--db", db), 0);
    CHECK(strstr(out, "plan 1  stopped  (disaster, resettlement, failed)") != NULL);
    CHECK(strstr(out, "failed: no candidate can be converted (too_few_teams, field teams.it); plan"
                      " it again\n") != NULL);
    CHECK(strstr(out, "sites 0 of 0") == NULL && strstr(out, "cost 0.0") == NULL);
    CHECK_INT(RUN(out, "plan", "show", "2", "--db", db), 0);
    CHECK(strstr(out, "solving: phase waiting, ") && strstr(out, "; no result yet\n"));
    CHECK(strstr(out, "sites 0 of 0") == NULL && strstr(out, "cost 0.0") == NULL);
}

/* plan show says why each village is short (the result's reason, and that of those needing
 * medical care when it is another): it said how many and where only. A plan stored as a solve
 * writes it. */
TEST_T(cli_plan_show_says_why_villages_are_short, 60)
{
    char out[1 << 16] = {0};
    char db[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    sqlite3 *h;
    CHECK_INT(sqlite3_open(db, &h), SQLITE_OK);
    CHECK_INT(
        sqlite3_exec(
            h,
            "INSERT INTO plans (id, name, scenario, role, request_json, result_json,"
            " objective, gap, demand, served, shortfall, status, created_at, created_by,"
            " solved_at) VALUES (1, 'short', 'disaster', 'resettlement', '{\"deadline_hours\":12}',"
            " '{\"summary\":{\"objective\":900,\"lower_bound\":800,\"gap\":0.1,\"demand\":"
            "190,\"served\":60,\"shortfall\":130,\"sites\":1,\"max_distance_km\":30,"
            "\"sites_after_deadline\":1},"
            "\"sites\":[],\"vulnerable\":{\"source\":\"count\",\"needs\":\"medical\"},"
            "\"shortfall\":{\"total\":130,\"villages\":[{\"village_id\":1001,"
            "\"village_name\":\"测试村\",\"people\":40,\"vulnerable\":5,\"demand\":100,"
            "\"reason\":\"sites_full\",\"vulnerable_reason\":\"out_of_reach\"},"
            "{\"village_id\":1003,\"village_name\":\"远村\",\"people\":50,\"vulnerable\":3,"
            "\"demand\":50,\"reason\":\"out_of_reach\",\"vulnerable_reason\":"
            "\"out_of_reach\"},{\"village_id\":1004,\"village_name\":\"无坐标村\","
            "\"people\":1,\"vulnerable\":0,\"demand\":1,\"reason\":\"no_location\","
            "\"vulnerable_reason\":null}]}}', 900, 0.1, 190, 60, 130, 'draft', 0, 't', 0)",
            NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(h);
    CHECK_INT(RUN(out, "plan", "show", "1", "--db", db), 0);
    CHECK(strstr(out, "short: 测试村 (1001) 40 people, 5 of them needing medical care: every"
                      " candidate site in reach is full; those needing medical care: no medical"
                      " site within 30 km\n") != NULL);
    CHECK(strstr(out, "short: 远村 (1003) 50 people, 3 of them needing medical care: no"
                      " candidate site within 30 km\n") != NULL);
    /* one of each: no "1 people", "1 of 1 sites" */
    CHECK(strstr(out, "short: 无坐标村 (1004) 1 person: the village has no location\n") != NULL);
    CHECK(strstr(out, "DEADLINE MISSED: 1 of 1 site ready after the 12 h deadline\n") != NULL);
}

/* A village whose sites in reach were all left out for lack of teams is short of teams, not
 * out of reach: plan show names the team types the left-out sites need. */
TEST_T(cli_plan_show_short_of_teams, 60)
{
    char out[1 << 16] = {0};
    char db[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    sqlite3 *h;
    CHECK_INT(sqlite3_open(db, &h), SQLITE_OK);
    CHECK_INT(
        sqlite3_exec(h,
                     "INSERT INTO plans (id, name, scenario, role, request_json, result_json,"
                     " objective, gap, demand, served, shortfall, status, created_at, created_by,"
                     " solved_at) VALUES (1, 'teams', 'disaster', 'resettlement', '{}',"
                     " '{\"summary\":{\"objective\":900,\"lower_bound\":800,\"gap\":0.1,\"demand\":"
                     "100,\"served\":98,\"shortfall\":2,\"sites\":1,\"max_distance_km\":30},"
                     "\"sites\":[],\"vulnerable\":{\"source\":\"count\",\"needs\":\"medical\"},"
                     "\"shortfall\":{\"total\":2,\"villages\":[{\"village_id\":1001,"
                     "\"village_name\":\"测试村\",\"people\":2,\"vulnerable\":2,\"demand\":100,"
                     "\"reason\":\"short_of_teams\",\"vulnerable_reason\":\"short_of_teams\"}]},"
                     "\"excluded\":[{\"facility_id\":3,\"name\":\"M\",\"role\":\"medical\","
                     "\"reason\":\"no_teams\",\"teams\":[{\"team_type\":\"medical\",\"needed\":10,"
                     "\"given\":4},{\"team_type\":\"disinfection\",\"needed\":4,\"given\":0}]},"
                     "{\"facility_id\":4,\"name\":\"N\",\"role\":\"medical\",\"reason\":"
                     "\"too_few_teams\",\"teams\":[{\"team_type\":\"medical\",\"needed\":6,"
                     "\"given\":4}]}]}', 900, 0.1, 100, 98, 2, 'draft', 0, 't', 0)",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(h);
    CHECK_INT(RUN(out, "plan", "show", "1", "--db", db), 0);
    CHECK(strstr(out, "short: 测试村 (1001) 2 people, 2 of them needing medical care: every"
                      " medical site in reach is short of teams (medical, disinfection; see left"
                      " out)\n") != NULL);
    /* full where they may go, and more in reach left out: both said */
    CHECK_INT(sqlite3_open(db, &h), SQLITE_OK);
    CHECK_INT(
        sqlite3_exec(h,
                     "UPDATE plans SET result_json = replace(result_json, '\"short_of_teams\"',"
                     " '\"full_short_of_teams\"') WHERE id = 1",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(h);
    CHECK_INT(RUN(out, "plan", "show", "1", "--db", db), 0);
    CHECK(strstr(out, "every medical site in reach is full; more in reach are short of teams"
                      " (medical, disinfection; see left out)\n") != NULL);
}

/* A supply-store plan counts cubic metres, not people: plan --scenario with supplies is refused
 * as the API refuses it (supplies, invalid; exit 1, no plan saved); without supplies it is made. */
TEST_T(cli_plan_store_takes_no_supplies, 60)
{
    char out[1 << 20] = {0};
    char db[600], scn[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(scn, sizeof scn, "%s/scenario.json", t_tmpdir());
    th_demo_db(db);
    static const char *const body[] = {
        "{\"name\":\"store\",\"scenario\":\"disaster\",\"role\":\"supply_store\","
        "\"affected\":{\"township_ids\":[303]},\"demand\":{\"people\":2000},\"vulnerable\":false,"
        "\"teams\":{\"security\":20,\"logistics\":20,\"medical\":10,\"it\":5,\"cleaning\":20,"
        "\"catering\":10,\"disinfection\":10},\"supplies\":{\"days\":3},\"time_limit_s\":0.3}",
        "{\"name\":\"store\",\"scenario\":\"disaster\",\"role\":\"supply_store\","
        "\"affected\":{\"township_ids\":[303]},\"demand\":{\"people\":2000},\"vulnerable\":false,"
        "\"teams\":{\"security\":20,\"logistics\":20,\"medical\":10,\"it\":5,\"cleaning\":20,"
        "\"catering\":10,\"disinfection\":10},\"time_limit_s\":0.3}",
    };
    for (int k = 0; k < 2; k++) {
        FILE *f = fopen(scn, "w");
        fputs(body[k], f);
        fclose(f);
        int rc = RUN(out, "plan", "--db", db, "--scenario", scn);
        if (!k) {
            CHECK_INT(rc, 1);
            CHECK(strstr(out, "supplies") && strstr(out, "invalid") && strstr(out, "not people"));
            sqlite3 *h = NULL;
            CHECK_INT(sqlite3_open(db, &h), SQLITE_OK);
            sqlite3_stmt *st = NULL;
            sqlite3_prepare_v2(h, "SELECT COUNT(*) FROM plans", -1, &st, NULL);
            CHECK_INT(sqlite3_step(st), SQLITE_ROW);
            CHECK_INT(sqlite3_column_int(st, 0), 0);
            sqlite3_finalize(st);
            sqlite3_close(h);
        } else {
            CHECK_INT(rc, 0);
            CHECK(strstr(out, "plan 1") != NULL);
            CHECK(strstr(out, "supplies for") == NULL);
            /* its figures are the role's units, not people */
            CHECK(strstr(out, "    m3/t ") != NULL);
            CHECK(strstr(out, "(m3/t, the supply_store role's unit: not people)") != NULL);
        }
    }
    /* Regression: a transport hub's plan short of throughput said "people" in its site table
     * and "short: 将军关村 (308) 966 people: every candidate site in reach is full". Now the
     * role's unit (vehicles per hour) */
    FILE *f = fopen(scn, "w");
    fputs("{\"name\":\"hub\",\"scenario\":\"holiday\",\"role\":\"transport_hub\","
          "\"affected\":{\"township_ids\":[303]},\"demand\":{\"people\":100000},"
          "\"vulnerable\":false,\"teams\":{\"security\":20,\"logistics\":20,\"medical\":10,"
          "\"it\":5,\"cleaning\":20,\"catering\":10,\"disinfection\":10},\"time_limit_s\":0.3}",
          f);
    fclose(f);
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn), 0);
    CHECK(strstr(out, "    veh/h capacity") != NULL); /* the column of 8 */
    CHECK(strstr(out, "(vehicles/h, the transport_hub role's unit: not people)") != NULL);
    CHECK(strstr(out, "  short: ") != NULL);
    CHECK(strstr(out, " vehicles/h: ") != NULL);
    CHECK(strstr(out, " people: ") == NULL && strstr(out, " people\n") == NULL);
}

/* Regression: `plan show` of an adopted plan listed a site whose conversion was aborted (or
 * which was restored) as housing its people, with "shortfall 0", while the console marks it no
 * longer in force and counts its people without a place. Now each site says whether it is in
 * force, and the shortfall and a line of its own count the sites and people no longer placed. */
TEST_T(cli_plan_show_says_sites_no_longer_in_force, 120)
{
    char out[1 << 20] = {0};
    char db[600], scn[600], res[600], id[24], conv[24], sql[300];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(scn, sizeof scn, "%s/scenario.json", t_tmpdir());
    snprintf(res, sizeof res, "%s/result.json", t_tmpdir());
    th_demo_db(db);
    scenario_file(scn, "");
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn, "--out", res), 0);
    json_t *plan = json_load_file(res, 0, NULL);
    long long pid = json_integer_value(json_object_get(plan, "id"));
    json_decref(plan);
    snprintf(id, sizeof id, "%lld", pid);
    CHECK(strstr(out, "in force") == NULL); /* a draft's sites are not said in force */
    CHECK_INT(RUN(out, "plan", "adopt", id, "--confirm", "--db", db), 0);
    CHECK_INT(RUN(out, "plan", "show", id, "--db", db), 0);
    CHECK(strstr(out, "  in force\n") != NULL);
    CHECK(strstr(out, "NO LONGER IN FORCE") == NULL && strstr(out, "no longer placed") == NULL);
    CHECK(strstr(out, "shortfall 0") != NULL);
    /* a second plan while the first one's conversions are under way: the teams it is given are
     * partly at work there, which it says, naming them (the schedule takes them as free) */
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn), 0);
    char busy[120];
    snprintf(busy, sizeof busy, " (plan %lld): ", pid);
    const char *tb =
        strstr(out, "TEAMS BUSY: cleaning: 12 given, conversions under way still need");
    CHECK(tb != NULL && strstr(tb, busy) != NULL);
    CHECK(tb != NULL && strstr(tb, "the schedule takes all 12 as free: lower the teams") != NULL);
    /* one site's conversion aborted (confirmed: it houses the plan's people) */
    snprintf(sql, sizeof sql,
             "SELECT MIN(conversion_id) FROM plan_conversions WHERE plan_id = %lld", pid);
    long long cid = db_int(db, sql);
    CHECK(cid > 0);
    snprintf(sql, sizeof sql,
             "SELECT json_extract(s.value, '$.used') FROM plans p, json_each(p.result_json,"
             " '$.sites') s WHERE p.id = %lld AND json_extract(s.value, '$.facility_id') ="
             " (SELECT facility_id FROM conversions WHERE id = %lld)",
             pid, cid);
    long long used = db_int(db, sql);
    CHECK(used > 0);
    snprintf(conv, sizeof conv, "%lld", cid);
    CHECK_INT(RUN(out, "convert", "abort", conv, "--db", db, "--reason", "演练中止", "--confirm"),
              0);
    CHECK_INT(RUN(out, "plan", "show", id, "--db", db), 0);
    const char *gone = strstr(out, "  NO LONGER IN FORCE (restored or aborted");
    CHECK(gone != NULL);
    char want[200];
    /* served and the shortfall as they are now add up to the demand (served was the plan's:
     * "demand 400, served 400, shortfall N"), the medical care share of it said */
    snprintf(want, sizeof want, "demand 400, served %lld, shortfall %lld (", 400 - used, used);
    CHECK(strstr(out, want) != NULL);
    CHECK(strstr(strstr(out, want) ? strstr(out, want) : "", " of them needing medical care)\n"));
    /* and so do those needing medical care: served + unmet = their total */
    long long vt = -1, vs = -1, vu = -1;
    const char *vl = strstr(out, "needing medical care: ");
    const char *vs_at = vl ? strstr(vl, "), served ") : NULL;
    CHECK(vl && sscanf(vl, "needing medical care: %lld", &vt) == 1);
    CHECK(vs_at && sscanf(vs_at, "), served %lld, unmet %lld", &vs, &vu) == 2);
    CHECK_INT(vs + vu, vt);
    snprintf(want, sizeof want,
             "no longer placed: 1 site no longer in force (restored or aborted); the %lld people",
             used);
    CHECK(strstr(out, want) != NULL);
    CHECK(strstr(out, "shortfall 0") == NULL);
}

/* Regression: plan show of a plan solved in two stages (the vulnerable first) said "bound —, gap
 * 0.81%", the larger stage's gap as the whole plan's; each stage's bound takes the earlier
 * stage's sites as fixed. Now the plan's gap is "—" and the stages' gaps are named as such. A
 * plan stored as a solve writes it now. */
TEST_T(cli_plan_two_stage_gap_per_stage, 60)
{
    char out[1 << 16] = {0};
    char db[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    sqlite3 *h;
    CHECK_INT(sqlite3_open(db, &h), SQLITE_OK);
    CHECK_INT(sqlite3_exec(h,
                           "INSERT INTO plans (id, name, scenario, role, request_json,"
                           " result_json, objective, gap, demand, served, shortfall, status,"
                           " created_at, created_by, solved_at) VALUES"
                           " (1, 'two', 'disaster', 'resettlement', '{}', '{\"summary\":"
                           "{\"objective\":900,\"lower_bound\":null,\"gap\":null,\"demand\":10,"
                           "\"served\":10,\"shortfall\":0,\"sites\":1},\"sites\":[],\"solver\":"
                           "{\"location\":{\"gap\":0.004},\"location_vulnerable\":{\"gap\":0.0081},"
                           "\"flags\":{\"vulnerable_first\":true}}}', 900, 1, 10, 10, 0, 'draft',"
                           " 0, 't', 0)",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(h);
    CHECK_INT(RUN(out, "plan", "show", "1", "--db", db), 0);
    CHECK(strstr(out, "bound —, gap — (two stages, no bound for the whole plan; stage gaps, each"
                      " given the earlier stage's sites: needing medical care 0.81%, the others"
                      " 0.40%)\n") != NULL);
    CHECK(strstr(out, "gap 0.81%") == NULL);
}

static long long plans_in(const char *db)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_open(db, &h) == SQLITE_OK &&
        sqlite3_prepare_v2(h, "SELECT COUNT(*) FROM plans", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return n;
}

/* --out: a file name of 250 bytes (the most a name may have is 255) is written — its partial
 * name beside it was 15 bytes longer, past the limit, and the command failed after the plan was
 * saved; a place no file can be made in (/proc) is refused before the plan is solved and saved,
 * as the help says. */
TEST_T(cli_plan_out_long_name_and_unwritable_place, 120)
{
    char out[1 << 16] = {0};
    char db[600], scn[600], res[900];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(scn, sizeof scn, "%s/scenario.json", t_tmpdir());
    th_demo_db(db);
    scenario_file(scn, "");
    char name[251];
    memset(name, 'p', 245);
    memcpy(name + 245, ".json", 6);
    snprintf(res, sizeof res, "%s/%s", t_tmpdir(), name);
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn, "--out", res), 0);
    CHECK(access(res, R_OK) == 0);
    CHECK_INT(plans_in(db), 1);
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn, "--out", "/proc/pj-plan.json"), 1);
    CHECK(strstr(out, "cannot write it") != NULL);
    CHECK_INT(plans_in(db), 1);
    /* an export of the same long name */
    memcpy(name + 245, ".csv", 5);
    snprintf(res, sizeof res, "%s/%s", t_tmpdir(), name);
    CHECK_INT(RUN(out, "facility", "export", "--out", res, "--db", db), 0);
    CHECK(access(res, R_OK) == 0);
}
