/* Ids of deleted records are never given again, for every record the API deletes besides the
 * registry's (tests/http/test_registry_writes.c): agri-tech and logistics records, live
 * sessions, emission factors and energy use, elder centres, calendar days, indicator values
 * and targets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "db/db.h"
#include "domain/ecommerce.h"
#include "domain/indicator.h"
#include "eldercare/el_fixture.h"

#define REC(s, tok, m, path, body, want) el_call(s, tok, m, path, body, want, __LINE__)

/* Two records made, the newest deleted, another made: it has a new id; the delete retried is
 * 404 and leaves the new record; the audit trail names the deleted id for its own record only. */
TEST_T(deleted_record_ids_are_never_reused, 120)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_ecommerce_demo);
    th_demo(&s, pj_indicators_demo);
    char tok[80], body[512], path[128], sql[256];
    th_login(&s, "admin", s.admin_pw, tok);
    long long village = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'village'");
    long long streamer = th_sql_int(&s, "SELECT MIN(id) FROM ec_streamers");
    long long product = th_sql_int(&s, "SELECT MIN(id) FROM ec_products");
    CHECK(village > 0 && streamer > 0 && product > 0);
    /* body: a format of the i-th record (0, 1, 2) and a reference `ref` */
    static const struct {
        const char *base, *table, *entity, *body, *del;
        int ref;    /* 0 none, 1 village, 2 streamer and product */
        int status; /* of the delete */
    } kinds[] = {
        {"/api/v1/agri/labs", "ag_labs", "ag_lab", "{\"name\":\"编号实验室%d\",\"kind\":\"other\"}",
         "", 0, 204},
        {"/api/v1/logistics/parks", "lg_parks", "lg_park", "{\"name\":\"编号物流园%d\"}", "", 0,
         204},
        {"/api/v1/ecommerce/sessions", "ec_sessions", "ec_session",
         "{\"streamer_id\":%2$lld,\"platform\":\"douyin\",\"date\":\"2024-06-0%1$d\","
         "\"duration_min\":120,\"orders\":30,\"gmv_fen\":123400,\"product_ids\":[%3$lld]}",
         "", 2, 204},
        {"/api/v1/carbon/factors", "emission_factors", "emission_factor",
         "{\"energy_type\":\"diesel\",\"unit\":\"L\",\"kg_co2e_per_unit\":2.7,"
         "\"kgce_per_unit\":1.2,\"effective_from\":\"2030-0%d-01\"}",
         "?version=1", 0, 200},
        {"/api/v1/carbon/energy", "energy_use", "energy_use",
         "{\"sector\":\"transport\",\"period\":\"2023-0%d\",\"energy_type\":\"diesel\","
         "\"quantity\":1000}",
         "?version=1", 0, 204},
        {"/api/v1/elder-centres", "elder_centres", "elder_centre",
         "{\"kind\":\"village\",\"name\":\"编号互助点%d\",\"region_id\":%lld}", "", 1, 204},
        {"/api/v1/enterprise/calendar", "ent_calendar", "ent_calendar",
         "{\"day\":\"2099-01-0%d\",\"kind\":\"holiday\",\"name\":\"假日\"}", "", 0, 200},
        {"/api/v1/indicators/values", "indicator_values", "indicator_value",
         "{\"code\":\"gdp\",\"period\":\"201%d\",\"value\":100.5}", "", 0, 204},
        {"/api/v1/indicators/targets", "indicator_targets", "indicator_target",
         "{\"code\":\"gdp\",\"period\":\"204%d\",\"value\":900}", "", 0, 204},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        long long ids[3];
        for (int i = 0; i < 3; i++) {
            if (kinds[k].ref == 2)
                snprintf(body, sizeof body, kinds[k].body, i + 1, streamer, product);
            else if (kinds[k].ref == 1)
                snprintf(body, sizeof body, kinds[k].body, i + 1, village);
            else
                snprintf(body, sizeof body, kinds[k].body, i + 1);
            json_decref(REC(&s, tok, "POST", kinds[k].base, body, 201));
            snprintf(sql, sizeof sql, "SELECT MAX(id) FROM %s", kinds[k].table);
            ids[i] = th_sql_int(&s, sql);
            if (i == 1) { /* the newest record, deleted */
                snprintf(path, sizeof path, "%s/%lld%s", kinds[k].base, ids[1], kinds[k].del);
                json_decref(REC(&s, tok, "DELETE", path, NULL, kinds[k].status));
            }
        }
        if (ids[2] <= ids[1])
            t_fail(__FILE__, __LINE__, "%s: id %lld given again after its delete", kinds[k].table,
                   ids[1]);
        /* the delete retried: nothing there, the new record stays */
        snprintf(path, sizeof path, "%s/%lld%s", kinds[k].base, ids[1], kinds[k].del);
        json_t *o = REC(&s, tok, "DELETE", path, NULL, 404);
        CHECK_STR(th_err_code(o), "not_found");
        json_decref(o);
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE id = %lld", kinds[k].table,
                 ids[2]);
        CHECK_INT(th_sql_int(&s, sql), 1);
        /* the audit trail of the deleted id: its create and its delete, nothing of the new one */
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM audit WHERE entity = '%s' AND entity_id = %lld",
                 kinds[k].entity, ids[1]);
        CHECK_INT(th_sql_int(&s, sql), 2);
    }
    th_stop(&s);
}

/* A database of an older build upgrades: ids its audit trail names (records deleted before
 * the upgrade) are retired, and from then on every delete retires its id. */
TEST(record_id_migrations_retire_deleted_ids)
{
    char path[600];
    snprintf(path, sizeof path, "%s/record-ids.db", t_tmpdir());
    pj_db *db;
    pj_err e = {0};
    pj_log_level(PJ_LOG_WARN);
    if (pj_db_open_at(&db, path, 8, &e)) t_fail(__FILE__, __LINE__, "%s", e.message);
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO audit (at, username, action, entity, entity_id) VALUES"
                         " (1, 'cli', 'create', 'ag_lab', 12), (2, 'cli', 'delete', 'ag_lab', 12),"
                         " (3, 'cli', 'delete', 'ec_session', 5),"
                         " (4, 'cli', 'delete', 'elder_centre', 6),"
                         " (5, 'cli', 'delete', 'ent_calendar', 9),"
                         " (6, 'cli', 'delete', 'energy_use', 8),"
                         " (7, 'cli', 'delete', 'manual', 11),"
                         " (8, 'cli', 'delete', 'indicator_value', 14),"
                         " (9, 'cli', 'delete', 'indicator_target', 3)",
                         &e),
              0);
    pj_db_close(db);
    if (pj_db_open_at(&db, path, 0, &e)) t_fail(__FILE__, __LINE__, "%s", e.message);
    CHECK_INT(pj_db_schema_version(db), pj_db_schema_latest());
    pj_stmt *s = pj_db_prepare(
        db,
        "SELECT group_concat(tbl_name || ':' || max_id, ' ') FROM (SELECT * FROM retired_ids"
        " WHERE tbl_name IN ('ag_labs', 'ec_sessions', 'elder_centres', 'ent_calendar',"
        " 'energy_use', 'indicator_targets', 'indicator_values', 'lg_parks', 'manuals')"
        " ORDER BY tbl_name)",
        &e);
    CHECK(s != NULL);
    CHECK_INT(pj_stmt_step(s, &e), 1);
    CHECK_STR(pj_col_text(s, 0),
              "ag_labs:12 ec_sessions:5 elder_centres:6 energy_use:8 ent_calendar:9"
              " indicator_targets:3 indicator_values:14 lg_parks:0 manuals:11");
    pj_stmt_done(s);
    /* every table whose rows the API deletes has its row (and its trigger) */
    CHECK_INT(pj_db_exec(db,
                         "INSERT INTO lg_parks (id, name, created_at, updated_at)"
                         " VALUES (3, 'p3', 1, 1);"
                         "DELETE FROM lg_parks WHERE id = 3;"
                         "INSERT INTO ag_labs (id, name, kind, created_at, updated_at)"
                         " VALUES (4, 'l4', 'other', 1, 1);"
                         "DELETE FROM ag_labs WHERE id = 4",
                         &e),
              0);
    s = pj_db_prepare(db,
                      "SELECT group_concat(tbl_name || ':' || max_id, ' ') FROM (SELECT * FROM"
                      " retired_ids WHERE tbl_name IN ('ag_labs', 'lg_parks') ORDER BY tbl_name)",
                      &e);
    CHECK_INT(pj_stmt_step(s, &e), 1);
    CHECK_STR(pj_col_text(s, 0), "ag_labs:12 lg_parks:3"); /* 4 is below what was retired */
    pj_stmt_done(s);
    static const char *const tables[] = {
        "ag_labs",          "ag_projects",      "ag_milestones",    "ag_farms",
        "ag_experts",       "ag_sections",      "ag_results",       "ag_transfers",
        "lg_parks",         "lg_warehouses",    "lg_tenants",       "lg_freight",
        "lg_parcels",       "lg_trains",        "ec_sessions",      "energy_use",
        "elder_centres",    "ent_calendar",     "emission_factors", "manuals",
        "indicator_values", "indicator_targets"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[200];
        snprintf(sql, sizeof sql,
                 "SELECT (SELECT COUNT(*) FROM retired_ids WHERE tbl_name = '%s') + (SELECT"
                 " COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = '%s_retire_id')",
                 tables[i], tables[i]);
        s = pj_db_prepare(db, sql, &e);
        CHECK_INT(pj_stmt_step(s, &e), 1);
        if (pj_col_int(s, 0) != 2) t_fail(__FILE__, __LINE__, "%s: no retired id kept", tables[i]);
        pj_stmt_done(s);
    }
    pj_db_close(db);
}

/* A facility's manuals go with it when it is deleted: a manual made next does not take the id
 * of the newest one gone, and the manual's page still naming it is 404. */
TEST(deleted_manual_ids_are_never_reused)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[512], path[96];
    th_login(&s, "admin", s.admin_pw, tok);
    long long town = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'township'");
    long long fac[2], man[3];
    for (int i = 0; i < 2; i++) {
        snprintf(body, sizeof body,
                 "{\"name\":\"手册设施%d\",\"type\":\"school\",\"township_id\":%lld,"
                 "\"lat\":40.1,\"lon\":117.1,\"emergency_roles\":[{\"role\":\"isolation\","
                 "\"unit\":\"rooms\",\"capacity\":10}]}",
                 i, town);
        json_t *o = REC(&s, tok, "POST", "/api/v1/facilities", body, 201);
        fac[i] = th_int(o, "id");
        json_decref(o);
    }
    for (int i = 0; i < 3; i++) {
        snprintf(body, sizeof body,
                 "{\"facility_id\":%lld,\"scenario\":\"event\",\"role\":\"isolation\","
                 "\"title\":\"手册%d\",\"steps\":[{\"code\":\"A\",\"name\":\"a\","
                 "\"planned_minutes\":10,\"team_type\":\"medical\"}]}",
                 fac[i == 1], i);
        json_t *o = REC(&s, tok, "POST", "/api/v1/manuals", body, 201);
        man[i] = th_int(o, "id");
        json_decref(o);
        if (i == 1) { /* the newest manual goes with its facility */
            snprintf(path, sizeof path, "/api/v1/facilities/%lld", fac[1]);
            json_decref(REC(&s, tok, "DELETE", path, NULL, 204));
        }
    }
    CHECK(man[2] > man[1]);
    snprintf(path, sizeof path, "/api/v1/manuals/%lld", man[1]);
    json_decref(REC(&s, tok, "GET", path, NULL, 404));
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'manual' AND entity_id = %lld", man[1]);
    CHECK_INT(th_sql_int(&s, sql), 2);
    th_stop(&s);
}
