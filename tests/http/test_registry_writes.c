/* The registry's writes after an operator's review: a PATCH that changes nothing writes
 * nothing; one district root; credit codes in capitals; whole room capacities; names and codes
 * trimmed, never blank. */
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "db/db.h"
#include "domain/agritech.h"
#include "domain/enterprise.h"

#include "eldercare/el_fixture.h"

#define REG(s, tok, m, path, body, want) el_call(s, tok, m, path, body, want, __LINE__)

/* PATCH of a region, organisation or facility that changes nothing: 200 with the record as it
 * is, the same version, no audit row (as stock lines and the enterprise settings do).
 * Regression: {"version":2,"lat":null} on a region without coordinates bumped the version
 * and wrote an audit row. */
TEST(registry_patch_that_changes_nothing_writes_nothing)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[512], path[96], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    long long village = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'village'");
    snprintf(body, sizeof body,
             "{\"type\":\"grid\",\"parent_id\":%lld,\"code\":\"T-GRID-3\",\"name\":\"无坐标\"}",
             village);
    json_t *made = REG(&s, tok, "POST", "/api/v1/regions", body, 201);
    long long region = th_int(made, "id");
    json_decref(made);
    long long org = th_sql_int(&s, "SELECT MIN(id) FROM organisations");
    long long fac = th_sql_int(&s, "SELECT MIN(f.id) FROM facilities f WHERE EXISTS (SELECT 1"
                                   " FROM facility_roles r WHERE r.facility_id = f.id)");
    CHECK(region > 0 && org > 0 && fac > 0);
    long long updates = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'update'");
    struct {
        const char *kind;
        long long id;
    } recs[] = {{"regions", region}, {"organisations", org}, {"facilities", fac}};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "/api/v1/%s/%lld", recs[i].kind, recs[i].id);
        json_t *was = REG(&s, tok, "GET", path, NULL, 200);
        long long v = th_int(was, "version");
        /* the values it has, sent back */
        if (i == 0)
            snprintf(body, sizeof body,
                     "{\"version\":%lld,\"lat\":null,\"lon\":null,\"name\":\"%s\"}", v,
                     th_str(was, "name"));
        else if (i == 1)
            snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\"%s\",\"industry\":\"%s\"}", v,
                     th_str(was, "name"), th_str(was, "industry"));
        else {
            char *roles = json_dumps(json_object_get(was, "emergency_roles"), JSON_COMPACT);
            snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\"%s\",\"emergency_roles\":%s}",
                     v, th_str(was, "name"), roles);
            free(roles);
        }
        th_fingerprint(&s, fp0, sizeof fp0);
        json_t *o = REG(&s, tok, "PATCH", path, body, 200);
        th_fingerprint(&s, fp1, sizeof fp1);
        CHECK_STR(fp1, fp0);
        CHECK(json_equal(o, was));
        json_decref(o);
        /* a stale version is still a conflict */
        snprintf(body, sizeof body, "{\"version\":%lld}", v + 1);
        json_decref(REG(&s, tok, "PATCH", path, body, 409));
        /* a real change is one version step and one audit row */
        snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\"%s改\"}", v, th_str(was, "name"));
        o = REG(&s, tok, "PATCH", path, body, 200);
        CHECK_INT(th_int(o, "version"), v + 1);
        json_decref(o);
        json_decref(was);
    }
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'update'"), updates + 3);
    th_stop(&s);
}

/* The region tree has one root: a second district is 409 at type, nothing written.
 * Regression: a second district with no parent was accepted. */
TEST(registry_one_district_root)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *o = REG(&s, tok, "POST", "/api/v1/regions",
                    "{\"type\":\"district\",\"code\":\"110999\",\"name\":\"另一区\"}", 409);
    CHECK_STR(th_err_code(o), "conflict");
    CHECK_STR(th_err_field(o), "type");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    th_stop(&s);
}

/* Names and codes of regions, organisations and facilities lose the white space around them
 * and may not be blank (422 at the field, nothing written). Regression: {"code":"  ",
 * "name":"   "} was 201. */
TEST(registry_blank_names_and_codes_refused)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[512], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    long long town = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'township'");
    long long village = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'village'");
    th_fingerprint(&s, fp0, sizeof fp0);
    static const char *const blanks[] = {"  ", " \\t ", "\\u3000", "\\n"};
    json_t *o;
    for (int i = 0; i < 4; i++) {
        snprintf(body, sizeof body,
                 "{\"type\":\"grid\",\"parent_id\":%lld,\"code\":\"%s\",\"name\":\"网格\"}",
                 village, blanks[i]);
        o = REG(&s, tok, "POST", "/api/v1/regions", body, 422);
        CHECK_STR(th_err_field(o), "code");
        json_decref(o);
        snprintf(body, sizeof body,
                 "{\"type\":\"grid\",\"parent_id\":%lld,\"code\":\"G-%d\",\"name\":\"%s\"}",
                 village, i, blanks[i]);
        o = REG(&s, tok, "POST", "/api/v1/regions", body, 422);
        CHECK_STR(th_err_field(o), "name");
        json_decref(o);
        snprintf(body, sizeof body, "{\"type\":\"enterprise\",\"name\":\"%s\"}", blanks[i]);
        o = REG(&s, tok, "POST", "/api/v1/organisations", body, 422);
        CHECK_STR(th_err_field(o), "name");
        json_decref(o);
        snprintf(body, sizeof body,
                 "{\"name\":\"%s\",\"type\":\"hotel\",\"township_id\":%lld,\"lat\":40.1,"
                 "\"lon\":117.1}",
                 blanks[i], town);
        o = REG(&s, tok, "POST", "/api/v1/facilities", body, 422);
        CHECK_STR(th_err_field(o), "name");
        json_decref(o);
    }
    /* … nor on a change */
    long long region = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'grid'");
    long long org = th_sql_int(&s, "SELECT MIN(id) FROM organisations");
    long long fac = th_sql_int(&s, "SELECT MIN(id) FROM facilities");
    const struct {
        const char *kind, *field;
        long long id;
    } recs[] = {{"regions", "code", region},
                {"regions", "name", region},
                {"organisations", "name", org},
                {"facilities", "name", fac}};
    char path[96];
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "/api/v1/%s/%lld", recs[i].kind, recs[i].id);
        snprintf(body, sizeof body, "{\"version\":1,\"%s\":\" \\t \"}", recs[i].field);
        o = REG(&s, tok, "PATCH", path, body, 422);
        CHECK_STR(th_err_field(o), recs[i].field);
        json_decref(o);
    }
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* stored without the white space around them */
    snprintf(
        body, sizeof body,
        "{\"type\":\"grid\",\"parent_id\":%lld,\"code\":\" G-9 \",\"name\":\"\\u3000新网格 \"}",
        village);
    o = REG(&s, tok, "POST", "/api/v1/regions", body, 201);
    CHECK_STR(th_str(o, "code"), "G-9");
    CHECK_STR(th_str(o, "name"), "新网格");
    json_decref(o);
    o = REG(&s, tok, "POST", "/api/v1/organisations",
            "{\"name\":\" 北京金海湖旅游开发有限公司\\t\",\"type\":\"enterprise\"}", 201);
    CHECK_STR(th_str(o, "name"), "北京金海湖旅游开发有限公司");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"name\":\"  宾馆 \",\"type\":\"hotel\",\"township_id\":%lld,\"lat\":40.1,"
             "\"lon\":117.1}",
             town);
    o = REG(&s, tok, "POST", "/api/v1/facilities", body, 201);
    CHECK_STR(th_str(o, "name"), "宾馆");
    json_decref(o);
    th_stop(&s);
}

/* Rooms, beds and vehicles are counted in whole numbers (422 at the capacity, nothing
 * written); a store's tonnes may have a fraction. Regression: 1.5 isolation rooms was
 * accepted. */
TEST(registry_room_capacities_are_whole_numbers)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[512], path[96], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    long long town = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'township'");
    long long fac = th_sql_int(&s, "SELECT MIN(id) FROM facilities");
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(
        body, sizeof body,
        "{\"name\":\"宾馆\",\"type\":\"hotel\",\"township_id\":%lld,\"lat\":40.1,\"lon\":117.1,"
        "\"emergency_roles\":[{\"role\":\"medical\",\"capacity\":10},"
        "{\"role\":\"isolation\",\"capacity\":1.5}]}",
        town);
    json_t *o = REG(&s, tok, "POST", "/api/v1/facilities", body, 422);
    CHECK_STR(th_err_field(o), "emergency_roles[1].capacity");
    json_decref(o);
    static const char *const counted_units[] = {
        "{\"role\":\"resettlement\",\"capacity\":0.5}",
        "{\"role\":\"medical\",\"capacity\":12.25,\"unit\":\"beds\"}",
        "{\"role\":\"transport_hub\",\"capacity\":99.9}"};
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", fac);
    for (int i = 0; i < 3; i++) {
        snprintf(body, sizeof body, "{\"version\":1,\"emergency_roles\":[%s]}", counted_units[i]);
        o = REG(&s, tok, "PATCH", path, body, 422);
        CHECK_STR(th_err_field(o), "emergency_roles[0].capacity");
        json_decref(o);
    }
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    snprintf(body, sizeof body,
             "{\"name\":\"仓库\",\"type\":\"warehouse\",\"township_id\":%lld,\"lat\":40.1,"
             "\"lon\":117.1,\"emergency_roles\":[{\"role\":\"supply_store\",\"capacity\":2.5,"
             "\"unit\":\"t\"},{\"role\":\"isolation\",\"capacity\":2.0}]}",
             town);
    o = REG(&s, tok, "POST", "/api/v1/facilities", body, 201);
    json_t *roles = json_object_get(o, "emergency_roles");
    CHECK_INT(json_array_size(roles), 2);
    CHECK(json_number_value(json_object_get(json_array_get(roles, 0), "capacity")) == 2.0);
    CHECK(json_number_value(json_object_get(json_array_get(roles, 1), "capacity")) == 2.5);
    json_decref(o);
    th_stop(&s);
}

/* A credit code typed in lower case is the same code: checked and stored in capitals, found
 * either way, and registering it again in capitals is a conflict. Regression: it failed with
 * "check failed". */
TEST(registry_credit_code_in_lower_case_is_stored_in_capitals)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    json_t *o = REG(&s, tok, "POST", "/api/v1/organisations",
                    "{\"name\":\"北京金海湖旅游开发有限公司\",\"type\":\"enterprise\","
                    "\"uscc\":\"91110117ma01abcd1f\"}",
                    201);
    CHECK_STR(th_str(o, "uscc"), "91110117MA01ABCD1F");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM organisations WHERE uscc ="
                             " '91110117MA01ABCD1F'"),
              1);
    o = REG(&s, tok, "GET", "/api/v1/organisations?q=91110117ma01abcd1f", NULL, 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);
    o = REG(&s, tok, "POST", "/api/v1/organisations",
            "{\"name\":\"另一家\",\"type\":\"enterprise\",\"uscc\":\"91110117MA01ABCD1F\"}", 409);
    CHECK_STR(th_err_field(o), "uscc");
    json_decref(o);
    /* a wrong check character is still refused, in either case */
    o = REG(&s, tok, "POST", "/api/v1/organisations",
            "{\"name\":\"第三家\",\"type\":\"enterprise\",\"uscc\":\"91110117ma01abcd1g\"}", 422);
    CHECK_STR(th_err_code(o), "invalid_credit_code");
    json_decref(o);
    th_stop(&s);
}

/* PATCH of a user account that changes nothing (its own display name and role sent back, or
 * disabled:false on an enabled account) writes nothing: no version, no audit row; a real
 * change is one version step. Regression: every such PATCH bumped the version and wrote an
 * "update" row with no field changed. */
TEST(user_patch_that_changes_nothing_writes_nothing)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[512], path[96], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    long long id = th_sql_int(&s, "SELECT id FROM users WHERE username = 'viewer'");
    CHECK(id > 0);
    snprintf(path, sizeof path, "/api/v1/users/%lld", id);
    json_t *was = REG(&s, tok, "GET", path, NULL, 200);
    long long v = th_int(was, "version");
    const char *same[] = {"{\"version\":%lld,\"display_name\":\"%s\",\"role\":\"viewer\"}",
                          "{\"version\":%lld,\"disabled\":false}"};
    for (int k = 0; k < 2; k++) {
        snprintf(body, sizeof body, same[k], v, th_str(was, "display_name"));
        th_fingerprint(&s, fp0, sizeof fp0);
        json_t *o = REG(&s, tok, "PATCH", path, body, 200);
        th_fingerprint(&s, fp1, sizeof fp1);
        CHECK_STR(fp1, fp0);
        CHECK(json_equal(o, was));
        json_decref(o);
    }
    snprintf(body, sizeof body, "{\"version\":%lld,\"display_name\":\"%s改\"}", v,
             th_str(was, "display_name"));
    json_t *o = REG(&s, tok, "PATCH", path, body, 200);
    CHECK_INT(th_int(o, "version"), v + 1);
    json_decref(o);
    json_decref(was);
    th_stop(&s);
}

/* Regression: the newest region, organisation or facility deleted, the next one created got its
 * id (no AUTOINCREMENT), so a DELETE retried after its answer was lost deleted the new record —
 * here a facility of another township — and the audit trail named two records by one id. Now
 * an id is never given again, through the API or an import. */
TEST(registry_ids_are_never_reused)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[512], path[96], sql[200];
    th_login(&s, "admin", s.admin_pw, tok);
    long long village = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'village'");
    long long town = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'township'");
    long long other = th_sql_int(&s, "SELECT MAX(id) FROM regions WHERE type = 'township'");
    static const char *const kinds[] = {"regions", "organisations", "facilities"};
    static const char *const entity[] = {"region", "organisation", "facility"};
    for (int k = 0; k < 3; k++) {
        long long ids[2];
        for (int i = 0; i < 2; i++) {
            if (k == 0)
                snprintf(body, sizeof body,
                         "{\"type\":\"grid\",\"parent_id\":%lld,\"code\":\"T-REUSE-%d\","
                         "\"name\":\"网格%d\"}",
                         village, i, i);
            else if (k == 1)
                snprintf(body, sizeof body, "{\"name\":\"单位%d\",\"type\":\"enterprise\"}", i);
            else
                snprintf(body, sizeof body,
                         "{\"name\":\"设施%d\",\"type\":\"school\",\"township_id\":%lld,"
                         "\"lat\":40.1,\"lon\":117.1}",
                         i, i ? other : town);
            snprintf(path, sizeof path, "/api/v1/%s", kinds[k]);
            json_t *o = REG(&s, tok, "POST", path, body, 201);
            ids[i] = th_int(o, "id");
            json_decref(o);
            if (i == 0) { /* the newest record, deleted */
                snprintf(path, sizeof path, "/api/v1/%s/%lld", kinds[k], ids[0]);
                json_decref(REG(&s, tok, "DELETE", path, NULL, 204));
            }
        }
        CHECK(ids[1] > ids[0]);
        /* the delete retried: nothing there, the new record stays */
        snprintf(path, sizeof path, "/api/v1/%s/%lld", kinds[k], ids[0]);
        json_t *o = REG(&s, tok, "DELETE", path, NULL, 404);
        CHECK_STR(th_err_code(o), "not_found");
        json_decref(o);
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE id = %lld", kinds[k], ids[1]);
        CHECK_INT(th_sql_int(&s, sql), 1);
        /* the audit trail of the first id: its create and its delete, nothing of the second */
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM audit WHERE entity = '%s' AND entity_id = %lld", entity[k],
                 ids[0]);
        CHECK_INT(th_sql_int(&s, sql), 2);
    }
    /* a facility made by an import after the newest one was deleted */
    snprintf(body, sizeof body,
             "{\"name\":\"设施X\",\"type\":\"school\",\"township_id\":%lld,\"lat\":40.1,"
             "\"lon\":117.1}",
             town);
    json_t *o = REG(&s, tok, "POST", "/api/v1/facilities", body, 201);
    long long gone = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", gone);
    json_decref(REG(&s, tok, "DELETE", path, NULL, 204));
    o = NULL;
    const char *csv = "name,type,township,lat,lon\n设施Y,school,110117001,40.1,117.1\n";
    CHECK_INT(th_call_raw(&s, "POST", "/api/v1/facilities/import", tok, csv, (long)strlen(csv),
                          "text/csv", &o, NULL, 0),
              200);
    json_decref(o);
    CHECK(th_sql_int(&s, "SELECT MAX(id) FROM facilities") > gone);
    th_stop(&s);
}

/* A database of an older build upgrades: ids its audit trail names (records deleted before
 * the upgrade) are retired, and from then on every delete retires its id. */
TEST(registry_id_migration_retires_deleted_ids)
{
    char path[600];
    snprintf(path, sizeof path, "%s/ids.db", t_tmpdir());
    pj_db *db;
    pj_err e = {0};
    pj_log_level(PJ_LOG_WARN);
    if (pj_db_open_at(&db, path, 8, &e)) t_fail(__FILE__, __LINE__, "%s", e.message);
    CHECK_INT(
        pj_db_exec(db,
                   "INSERT INTO regions (id, code, name, type, created_at, updated_at)"
                   " VALUES (1, 'T', '镇', 'township', 1, 1);"
                   "INSERT INTO facilities (id, name, type, township_id, lat, lon,"
                   " created_at, updated_at) VALUES (3, 'f3', 'school', 1, 40, 117, 1, 1);"
                   /* facility 7 and organisation 4 were made and deleted */
                   "INSERT INTO audit (at, username, action, entity, entity_id) VALUES"
                   " (1, 'cli', 'create', 'facility', 7), (2, 'cli', 'delete', 'facility', 7),"
                   " (3, 'cli', 'delete', 'organisation', 4)",
                   &e),
        0);
    pj_db_close(db);
    if (pj_db_open_at(&db, path, 0, &e)) t_fail(__FILE__, __LINE__, "%s", e.message);
    CHECK_INT(pj_db_schema_version(db), pj_db_schema_latest());
    pj_stmt *s = pj_db_prepare(
        db,
        "SELECT group_concat(tbl_name || ':' || max_id, ' ') FROM (SELECT * FROM retired_ids"
        " WHERE tbl_name IN ('regions', 'organisations', 'facilities') ORDER BY tbl_name)",
        &e);
    CHECK(s != NULL);
    CHECK_INT(pj_stmt_step(s, &e), 1);
    CHECK_STR(pj_col_text(s, 0), "facilities:7 organisations:4 regions:0");
    pj_stmt_done(s);
    CHECK_INT(pj_db_exec(db, "DELETE FROM facilities WHERE id = 3", &e), 0);
    s = pj_db_prepare(db, "SELECT max_id FROM retired_ids WHERE tbl_name = 'facilities'", &e);
    CHECK_INT(pj_stmt_step(s, &e), 1);
    CHECK_INT(pj_col_int(s, 0), 7); /* 3 is below what was retired already */
    pj_stmt_done(s);
    CHECK_INT(pj_db_exec(db, "DELETE FROM regions WHERE id = 1", &e), 0);
    s = pj_db_prepare(db, "SELECT max_id FROM retired_ids WHERE tbl_name = 'regions'", &e);
    CHECK_INT(pj_stmt_step(s, &e), 1);
    CHECK_INT(pj_col_int(s, 0), 1);
    pj_stmt_done(s);
    pj_db_close(db);
}

/* The modules' demos loaded into a registry in use give their new facilities and organisations
 * ids never given before either: the newest of each deleted first, its id stays retired. */
TEST(registry_ids_are_never_reused_by_the_module_demos)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[256], path[96];
    th_login(&s, "admin", s.admin_pw, tok);
    long long town = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'township'");
    snprintf(body, sizeof body,
             "{\"name\":\"将删除\",\"type\":\"school\",\"township_id\":%lld,\"lat\":40.1,"
             "\"lon\":117.1}",
             town);
    json_t *o = REG(&s, tok, "POST", "/api/v1/facilities", body, 201);
    long long fac = th_int(o, "id");
    json_decref(o);
    o = REG(&s, tok, "POST", "/api/v1/organisations", "{\"name\":\"将删除\",\"type\":\"other\"}",
            201);
    long long org = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", fac);
    json_decref(REG(&s, tok, "DELETE", path, NULL, 204));
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", org);
    json_decref(REG(&s, tok, "DELETE", path, NULL, 204));
    th_demo(&s, pj_agritech_demo);   /* doctor farms: new facilities */
    th_demo(&s, pj_enterprise_demo); /* departments and firms: new organisations */
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT MIN(id) FROM facilities WHERE id >= %lld", fac);
    CHECK(th_sql_int(&s, sql) > fac);
    snprintf(sql, sizeof sql, "SELECT MIN(id) FROM organisations WHERE id >= %lld", org);
    CHECK(th_sql_int(&s, sql) > org);
    th_stop(&s);
}
