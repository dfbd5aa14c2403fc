/* Deleting a registry record that other modules' rows or user accounts still use is refused
 * with 409 in_use naming them (not the database's words), changing nothing — over the API and
 * on the command line. */
#include "core/log.h"
#include "db/db.h"
#include "domain/enterprise.h"
#include "domain/refs.h"
#include "eldercare/el_fixture.h"

#define REG(s, tok, m, path, body, want) el_call(s, tok, m, path, body, want, __LINE__)

/* 409 in_use at id, its message holding each of the NULL-terminated words; nothing changed */
static void refused_in_use(th_server *s, const char *tok, const char *path,
                           const char *const *words, int line)
{
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(s, fp0, sizeof fp0);
    json_t *o = el_call(s, tok, "DELETE", path, NULL, 409, line);
    if (strcmp(th_err_code(o), "in_use") || strcmp(th_err_field(o), "id"))
        t_fail(__FILE__, line, "DELETE %s: %s at %s (%s), expected in_use at id", path,
               th_err_code(o), th_err_field(o), th_err_message(o));
    for (int i = 0; words[i]; i++)
        if (!strstr(th_err_message(o), words[i]))
            t_fail(__FILE__, line, "DELETE %s: \"%s\" does not name \"%s\"", path,
                   th_err_message(o), words[i]);
    if (strstr(th_err_message(o), "FOREIGN KEY"))
        t_fail(__FILE__, line, "the database's words: %s", th_err_message(o));
    json_decref(o);
    th_fingerprint(s, fp1, sizeof fp1);
    if (strcmp(fp0, fp1)) t_fail(__FILE__, line, "DELETE %s changed something", path);
}
#define REFUSED(s, tok, path, ...)                                                                 \
    refused_in_use(s, tok, path, (const char *const[]){__VA_ARGS__, NULL}, __LINE__)

/* "N noun" or "N nouns" as the message counts them */
static const char *counted(char *buf, size_t size, long long n, const char *one, const char *many)
{
    snprintf(buf, size, "%lld %s", n, n == 1 ? one : many);
    return buf;
}

/* Regression: an organisation with enterprise appeals, a facility with conversions and a grid
 * with elders answered 409 {"code":"conflict","message":"step: FOREIGN KEY constraint
 * failed"} over the API and on the command line. */
TEST_T(registry_delete_of_a_referenced_record_names_what_refers_to_it, 180)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    char tok[80], path[96], want[96], want2[96];
    th_login(&s, "admin", s.admin_pw, tok);
    /* an organisation with appeals and no account */
    long long org = th_sql_int(&s, "SELECT org_id FROM ent_appeals WHERE org_id NOT IN (SELECT"
                                   " organisation_id FROM users WHERE organisation_id IS NOT NULL)"
                                   " GROUP BY org_id ORDER BY COUNT(*) DESC, org_id LIMIT 1");
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ent_appeals WHERE %lld IN (org_id, department_id,"
             " first_department_id)",
             org);
    long long appeals = th_sql_int(&s, sql);
    CHECK(org > 0 && appeals > 0);
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", org);
    char head[64];
    snprintf(head, sizeof head, "organisation %lld is referred to by ", org);
    REFUSED(&s, tok, path, head,
            counted(want, sizeof want, appeals, "enterprise appeal", "enterprise appeals"));
    /* a facility in peacetime with conversions (the dual-use demo's), no operator account */
    long long fac = th_sql_int(&s, "SELECT MIN(f.id) FROM facilities f WHERE f.state ="
                                   " 'peacetime' AND f.id IN (SELECT facility_id FROM conversions)"
                                   " AND f.id NOT IN (SELECT facility_id FROM users WHERE"
                                   " facility_id IS NOT NULL)");
    CHECK(fac > 0);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM conversions WHERE facility_id = %lld", fac);
    long long convs = th_sql_int(&s, sql);
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", fac);
    REFUSED(&s, tok, path, counted(want, sizeof want, convs, "conversion", "conversions"));
    /* a grid with an elder and a helper, no grid worker */
    long long grid = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'grid' AND id NOT"
                                    " IN (SELECT region_id FROM grid_workers)");
    el_elder(&s, tok, grid, 3, "");
    el_helper(&s, tok, grid, 4, "1970-05-01", 'F', "");
    snprintf(path, sizeof path, "/api/v1/regions/%lld", grid);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM elders WHERE grid_id = %lld", grid);
    long long elders = th_sql_int(&s, sql);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM helpers WHERE grid_id = %lld", grid);
    long long helpers = th_sql_int(&s, sql);
    char want_e[64], want_h[64];
    REFUSED(&s, tok, path, counted(want_e, sizeof want_e, elders, "elder", "elders"),
            counted(want_h, sizeof want_h, helpers, "helper", "helpers"));
    /* a township: its villages, facilities, organisations — and its officer */
    long long town = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    snprintf(path, sizeof path, "/api/v1/regions/%lld", town);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM regions WHERE parent_id = %lld", town);
    REFUSED(&s, tok, path, "the user account jinhaihu",
            counted(want2, sizeof want2, th_sql_int(&s, sql), "sub-region", "sub-regions"),
            "facilit", "organisation");
    th_stop(&s);
    /* the command line says the same and exits 1 */
    char out[4096], id[24], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(id, sizeof id, "%lld", fac);
    CHECK_INT(RUN(out, "facility", "delete", id, "--db", s.db), 1);
    CHECK(strstr(out, "in_use") && strstr(out, "conversion") && !strstr(out, "FOREIGN KEY"));
    snprintf(id, sizeof id, "%lld", org);
    CHECK_INT(RUN(out, "org", "delete", id, "--db", s.db), 1);
    CHECK(strstr(out, "in_use") && strstr(out, "enterprise appeal"));
    snprintf(id, sizeof id, "%lld", grid);
    CHECK_INT(RUN(out, "region", "delete", id, "--db", s.db), 1);
    CHECK(strstr(out, "in_use") && strstr(out, want_e));
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
}

/* A grid, township, facility or organisation that is a user account's scope stays while the
 * account uses it. Regression: deleting a grid took its grid worker's assignment along (the
 * account left with "grid_ids":[], every later edit of it refused, no user audit row). */
TEST_T(registry_delete_keeps_user_accounts_scopes, 120)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[512], path[96];
    th_login(&s, "admin", s.admin_pw, tok);
    long long district = th_sql_int(&s, "SELECT id FROM regions WHERE type = 'district'");
    long long village = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'village'");
    snprintf(body, sizeof body,
             "{\"type\":\"grid\",\"parent_id\":%lld,\"code\":\"T-GRID-1\",\"name\":\"新网格\"}",
             village);
    json_t *o = REG(&s, tok, "POST", "/api/v1/regions", body, 201);
    long long grid = th_int(o, "id");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"username\":\"gw2\",\"role\":\"grid_worker\",\"password\":\"long-enough-pw\","
             "\"grid_ids\":[%lld]}",
             grid);
    o = REG(&s, tok, "POST", "/api/v1/users", body, 201);
    long long gw2 = th_int(o, "id");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"username\":\"gw3\",\"role\":\"grid_worker\",\"password\":\"long-enough-pw\","
             "\"grid_ids\":[%lld]}",
             grid);
    json_decref(REG(&s, tok, "POST", "/api/v1/users", body, 201));
    snprintf(path, sizeof path, "/api/v1/regions/%lld", grid);
    REFUSED(&s, tok, path, "is the scope of the user accounts gw2, gw3");
    snprintf(path, sizeof path, "/api/v1/users/%lld", gw2);
    o = REG(&s, tok, "GET", path, NULL, 200);
    CHECK_INT(json_array_size(json_object_get(o, "grid_ids")), 1);
    CHECK_INT(json_integer_value(json_array_get(json_object_get(o, "grid_ids"), 0)), grid);
    json_decref(o);
    /* a township officer's township (a new one: nothing else in it) */
    snprintf(body, sizeof body,
             "{\"type\":\"township\",\"parent_id\":%lld,\"code\":\"T-TOWN-1\",\"name\":\"新镇\"}",
             district);
    o = REG(&s, tok, "POST", "/api/v1/regions", body, 201);
    long long town = th_int(o, "id");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"username\":\"to2\",\"role\":\"township_officer\",\"password\":\"long-enough-pw\","
             "\"township_id\":%lld}",
             town);
    json_decref(REG(&s, tok, "POST", "/api/v1/users", body, 201));
    snprintf(path, sizeof path, "/api/v1/regions/%lld", town);
    REFUSED(&s, tok, path, "is the scope of the user account to2");
    /* a facility operator's facility (in another township: the new one has an officer) */
    long long ftown = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'township'");
    snprintf(body, sizeof body,
             "{\"name\":\"新设施\",\"type\":\"hotel\",\"township_id\":%lld,\"lat\":40.1,"
             "\"lon\":117.1}",
             ftown);
    o = REG(&s, tok, "POST", "/api/v1/facilities", body, 201);
    long long fac = th_int(o, "id");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"username\":\"op2\",\"role\":\"facility_operator\",\"password\":\"long-enough-pw\","
             "\"facility_id\":%lld}",
             fac);
    o = REG(&s, tok, "POST", "/api/v1/users", body, 201);
    long long op2 = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", fac);
    REFUSED(&s, tok, path, "is the scope of the user account op2");
    /* a disabled account keeps its scope, and is named as disabled (the admin who disabled it
     * was told only "the scope of the user account op2"); given another facility, it no
     * longer holds this one */
    char upath[64];
    snprintf(upath, sizeof upath, "/api/v1/users/%lld", op2);
    json_decref(REG(&s, tok, "DELETE", upath, NULL, 204));
    REFUSED(&s, tok, path, "is the scope of the user account op2 (disabled)");
    o = REG(&s, tok, "GET", upath, NULL, 200);
    snprintf(body, sizeof body, "{\"version\":%lld,\"facility_id\":1}", th_int(o, "version"));
    json_decref(o);
    json_decref(REG(&s, tok, "PATCH", upath, body, 200));
    json_decref(REG(&s, tok, "DELETE", path, NULL, 204));
    /* an enterprise user's organisation */
    o = REG(&s, tok, "POST", "/api/v1/organisations",
            "{\"name\":\"新企业\",\"type\":\"enterprise\"}", 201);
    long long org = th_int(o, "id");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"username\":\"ent2\",\"role\":\"enterprise\",\"password\":\"long-enough-pw\","
             "\"organisation_id\":%lld}",
             org);
    json_decref(REG(&s, tok, "POST", "/api/v1/users", body, 201));
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", org);
    REFUSED(&s, tok, path, "is the scope of the user account ent2");
    /* a record nobody uses still goes: 204, audited */
    snprintf(body, sizeof body,
             "{\"type\":\"grid\",\"parent_id\":%lld,\"code\":\"T-GRID-2\",\"name\":\"空网格\"}",
             village);
    o = REG(&s, tok, "POST", "/api/v1/regions", body, 201);
    snprintf(path, sizeof path, "/api/v1/regions/%lld", th_int(o, "id"));
    json_decref(o);
    json_decref(REG(&s, tok, "DELETE", path, NULL, 204));
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'region' AND action ="
                             " 'delete'"),
              1);
    th_stop(&s);
}

/* Regression: deleting a facility took its stock lines and its never-used conversion manuals
 * with it (the schema's cascade) with no audit row for them: supplies vanished unrecorded.
 * Now a facility holding stock is refused, naming it, and each manual that goes with a
 * facility has its own audit row saying what it was. */
TEST_T(registry_facility_delete_accounts_for_its_stock_and_manuals, 120)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[1024], path[96];
    th_login(&s, "officer", s.demo_pw, tok);
    long long town = th_sql_int(&s, "SELECT id FROM regions WHERE name = '夏各庄镇'");
    snprintf(body, sizeof body,
             "{\"name\":\"删除测试仓库\",\"type\":\"warehouse\",\"township_id\":%lld,\"lat\":40.13,"
             "\"lon\":117.22,"
             "\"emergency_roles\":[{\"role\":\"supply_store\",\"capacity\":500}]}",
             town);
    json_t *o = REG(&s, tok, "POST", "/api/v1/facilities", body, 201);
    long long fid = th_int(o, "id");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"disaster\",\"role\":\"supply_store\","
             "\"title\":\"仓库转换手册\",\"steps\":[{\"code\":\"A\",\"name\":\"清点\","
             "\"planned_minutes\":30,\"team_type\":\"logistics\"}]}",
             fid);
    o = REG(&s, tok, "POST", "/api/v1/manuals", body, 201);
    long long mid = th_int(o, "id");
    json_decref(o);
    snprintf(body, sizeof body, "{\"facility_id\":%lld,\"category\":\"water\",\"quantity\":900}",
             fid);
    o = REG(&s, tok, "POST", "/api/v1/stock", body, 201);
    long long line = th_int(o, "id"), version = th_int(o, "version");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", fid);
    /* removing each line is the way (no API moves one to another facility) */
    REFUSED(&s, tok, path, "holds 1 stock line: remove it first");
    snprintf(path, sizeof path, "/api/v1/stock/%lld?version=%lld", line, version);
    json_decref(REG(&s, tok, "DELETE", path, NULL, 204));
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", fid);
    json_decref(REG(&s, tok, "DELETE", path, NULL, 204));
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE action = 'delete' AND entity = 'manual' AND"
             " entity_id = %lld AND after_json IS NULL AND before_json LIKE '%%仓库转换手册%%'"
             " AND before_json LIKE '%%\"steps\":1%%' AND username = 'officer'",
             mid);
    CHECK_INT(th_sql_int(&s, sql), 1);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM manuals WHERE id = %lld", mid);
    CHECK_INT(th_sql_int(&s, sql), 0);
    th_stop(&s);
}

/* Regression: a grid, a township or an organisation that rows name only by an integer column
 * without a declared foreign key (an alert's and a service log's area, a cooperation post's
 * township, an appeal history's department) was deleted (204), the rows keeping the id of a
 * record gone, shown with no name. Now the delete is 409 in_use naming them. */
TEST_T(registry_delete_counts_references_the_schema_does_not_declare, 120)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    char tok[80], jd[80], body[512], path[96], sql[512];
    th_login(&s, "admin", s.admin_pw, tok);
    th_login(&s, "jd", s.demo_pw, jd);
    long long district = th_sql_int(&s, "SELECT id FROM regions WHERE type = 'district'");
    long long village = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'village'");
    long long vtown = th_sql_int(&s, "SELECT parent_id FROM regions WHERE id = (SELECT MIN(id)"
                                     " FROM regions WHERE type = 'village')");
    /* a township a cooperation post names (over the API) */
    snprintf(
        body, sizeof body,
        "{\"type\":\"township\",\"parent_id\":%lld,\"code\":\"110117995\",\"name\":\"合作测试镇\"}",
        district);
    json_t *o = REG(&s, tok, "POST", "/api/v1/regions", body, 201);
    long long town = th_int(o, "id");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"kind\":\"need\",\"category\":\"logistics\",\"title\":\"冷链运输需求\","
             "\"township_id\":%lld}",
             town);
    json_decref(REG(&s, jd, "POST", "/api/v1/enterprise/coop-posts", body, 201));
    snprintf(path, sizeof path, "/api/v1/regions/%lld", town);
    REFUSED(&s, tok, path, "1 cooperation post");
    /* a grid an alert and a service log stayed in after their elder moved on */
    snprintf(body, sizeof body,
             "{\"type\":\"grid\",\"parent_id\":%lld,\"code\":\"T-GRID-9\",\"name\":\"临时网格\"}",
             village);
    o = REG(&s, tok, "POST", "/api/v1/regions", body, 201);
    long long grid = th_int(o, "id");
    json_decref(o);
    long long elder = el_elder(&s, tok,
                               th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type"
                                              " = 'grid'"),
                               7, "");
    CHECK(elder > 0);
    snprintf(sql, sizeof sql,
             "INSERT INTO elder_alerts (kind, elder_id, grid_id, township_id, dedupe_key, state,"
             " raised_at, resolved_at) VALUES ('no_visit', %lld, %lld, %lld, 'refs-test',"
             " 'resolved', 1, 2);"
             "INSERT INTO elder_service_logs (elder_id, kind, time_in, time_out, minutes,"
             " recorded_by, grid_id, village_id, township_id, created_at) VALUES (%lld, 'visit',"
             " 1, 2, 30, 'admin', %lld, %lld, %lld, 2)",
             elder, grid, vtown, elder, grid, village, vtown);
    th_sql_exec(&s, sql);
    snprintf(path, sizeof path, "/api/v1/regions/%lld", grid);
    REFUSED(&s, tok, path, "1 eldercare alert", "1 service log");
    /* a department an appeal's history names after the appeal went on to another */
    o = REG(&s, tok, "POST", "/api/v1/organisations",
            "{\"name\":\"临时部门乙\",\"type\":\"government\"}", 201);
    long long dept = th_int(o, "id");
    json_decref(o);
    long long appeal = th_sql_int(&s, "SELECT MIN(id) FROM ent_appeals");
    CHECK(appeal > 0);
    snprintf(sql, sizeof sql,
             "INSERT INTO ent_appeal_events (appeal_id, at, action, from_state, to_state,"
             " department_id, username, note) VALUES (%lld, 1, 'return', 'dispatched',"
             " 'received', %lld, 'admin', '也不归我们')",
             appeal, dept);
    th_sql_exec(&s, sql);
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", dept);
    REFUSED(&s, tok, path, "1 appeal history entry");
    th_stop(&s);
}

/* A new database file `name` in the test's directory, of the schema as it is now */
static pj_db *schema_db(const char *name)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", t_tmpdir(), name);
    pj_db *db;
    pj_err e = {0};
    pj_log_level(PJ_LOG_WARN);
    if (pj_db_open_at(&db, path, 0, &e)) t_fail(__FILE__, __LINE__, "%s", e.message);
    return db;
}

/* Every integer column named as holding a region's, organisation's or facility's id either
 * declares its foreign key, is listed in pj_plain_refs (so a delete counts it) or is a user
 * account's scope (counted by the registry's delete as an account). A new such column is
 * listed, or this fails naming it. */
TEST(registry_plain_reference_columns_are_all_counted)
{
    pj_db *db = schema_db("plain-refs.db");
    pj_err e = {0};
    pj_stmt *s = pj_db_prepare(
        db,
        "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type ="
        " 'table' AND m.name NOT IN ('users', 'audit') AND upper(c.type) LIKE 'INT%' AND c.pk = 0"
        " AND (c.name IN ('region_id', 'org_id', 'organisation_id', 'facility_id',"
        " 'operator_id') OR c.name LIKE '%township_id' OR c.name LIKE '%grid_id' OR c.name LIKE"
        " '%village_id' OR c.name LIKE '%region_id' OR c.name LIKE '%department_id' OR c.name"
        " LIKE '%organisation_id' OR c.name LIKE '%org_id' OR c.name LIKE '%facility_id') AND"
        " NOT EXISTS (SELECT 1 FROM pragma_foreign_key_list(m.name) f WHERE f.\"from\" = c.name)"
        " ORDER BY 1, 2",
        &e);
    CHECK(s != NULL);
    int rc, plain = 0;
    while ((rc = pj_stmt_step(s, &e)) == 1) {
        const char *t = pj_col_text(s, 0), *col = pj_col_text(s, 1);
        size_t i = 0;
        while (i < pj_plain_refs_count &&
               (strcmp(pj_plain_refs[i].table, t) || strcmp(pj_plain_refs[i].column, col)))
            i++;
        if (i == pj_plain_refs_count)
            t_fail(__FILE__, __LINE__,
                   "%s.%s holds an id without a foreign key and is not in"
                   " pj_plain_refs (src/domain/refs.c): a delete would not count it",
                   t, col);
        plain++;
    }
    CHECK_INT(rc, 0);
    pj_stmt_done(s);
    CHECK_INT(plain, (int)pj_plain_refs_count); /* no entry for a column that is not there */
    pj_db_close(db);
}

/* Every table whose rows may stop a delete (it declares a foreign key, or is listed in
 * pj_plain_refs) has words for them: a refusal names "1 project milestone", not "1
 * ag_milestones" (seventeen tables were named so, stock lines and indicator values among them). A
 * new table is given its words, or this fails naming it. */
TEST(registry_refusal_words_for_every_referring_table)
{
    pj_db *db = schema_db("ref-words.db");
    pj_err e = {0};
    pj_stmt *s = pj_db_prepare(db,
                               "SELECT DISTINCT m.name FROM sqlite_master m,"
                               " pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND"
                               " upper(f.on_delete) NOT IN ('CASCADE', 'SET NULL', 'SET DEFAULT')"
                               " ORDER BY 1",
                               &e);
    CHECK(s != NULL);
    int rc, n = 0;
    while ((rc = pj_stmt_step(s, &e)) == 1) {
        const char *t = pj_col_text(s, 0);
        if (!pj_refs_noun(t, 1) || !pj_refs_noun(t, 2))
            t_fail(__FILE__, __LINE__,
                   "%s refers to other rows but has no words in src/domain/refs.c: a refused"
                   " delete would name it \"N %s\"",
                   t, t);
        n++;
    }
    CHECK_INT(rc, 0);
    pj_stmt_done(s);
    CHECK(n > 20);
    for (size_t i = 0; i < pj_plain_refs_count; i++)
        if (!pj_refs_noun(pj_plain_refs[i].table, 1))
            t_fail(__FILE__, __LINE__, "%s (pj_plain_refs) has no words", pj_plain_refs[i].table);
    CHECK_STR(pj_refs_noun("ag_milestones", 1), "project milestone");
    CHECK_STR(pj_refs_noun("lg_trains", 3), "freight train lines");
    pj_db_close(db);
}

/* The accounts a refusal names fit whole: five names of 32 characters, each "(disabled)", and
 * "and 1 more" (the list was cut at 192 bytes, mid-name, once "(disabled)" was added). */
TEST_T(registry_refusal_names_long_disabled_accounts_whole, 120)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[512], path[96], name[40], want[6][80];
    th_login(&s, "admin", s.admin_pw, tok);
    long long village = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'village'");
    snprintf(body, sizeof body,
             "{\"type\":\"grid\",\"parent_id\":%lld,\"code\":\"T-GRID-L\",\"name\":\"长名网格\"}",
             village);
    json_t *o = REG(&s, tok, "POST", "/api/v1/regions", body, 201);
    long long grid = th_int(o, "id");
    json_decref(o);
    for (int i = 0; i < 6; i++) {
        snprintf(name, sizeof name, "grid_worker_with_a_long_name_%03d", i); /* 32 characters */
        snprintf(body, sizeof body,
                 "{\"username\":\"%s\",\"role\":\"grid_worker\",\"password\":\"long-enough-pw\","
                 "\"grid_ids\":[%lld]}",
                 name, grid);
        o = REG(&s, tok, "POST", "/api/v1/users", body, 201);
        snprintf(path, sizeof path, "/api/v1/users/%lld", th_int(o, "id"));
        json_decref(o);
        json_decref(REG(&s, tok, "DELETE", path, NULL, 204));
        snprintf(want[i], sizeof want[i], "%s (disabled)", name);
    }
    snprintf(path, sizeof path, "/api/v1/regions/%lld", grid);
    REFUSED(&s, tok, path, want[0], want[1], want[2], want[3], want[4], "(disabled) and 1 more");
    th_stop(&s);
}
