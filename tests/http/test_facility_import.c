/* Facility import and export (POST /api/v1/facilities/import, GET /api/v1/facilities/export):
 * a preview writes nothing; one bad row blocks the whole commit and is named by line and
 * column; a township officer imports only into their township; a row naming a facility (id,
 * or township and name) updates it with a new version and an audit row; importing the same
 * table again changes nothing and audits nothing; a GBK CSV is refused as the statistics import
 * refuses it; an export, CSV or XLSX, imported back is unchanged row for row and restores what
 * was edited since. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "core/sheet.h"
#include "core/xlsx.h"
#include "core/util.h"
#include "domain/registry.h"
#include "t.h"
#include "th.h"

#define XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static json_t *upload(th_server *s, const char *tok, const char *path, const char *ctype,
                      const char *data, size_t n, int want, int line)
{
    json_t *o = NULL;
    int st = th_call_raw(s, "POST", path, tok, data, (long)n, ctype, &o, NULL, 0);
    if (st != want)
        t_fail(__FILE__, line, "POST %s: %d, expected %d (%s)", path, st, want,
               o ? th_err_message(o) : "-");
    return o;
}
#define UPLOAD(s, tok, dry, csv, want)                                                             \
    upload(s, tok, dry ? "/api/v1/facilities/import?dry_run=1" : "/api/v1/facilities/import",      \
           "text/csv", csv, strlen(csv), want, __LINE__)

static json_t *err_at(json_t *o, int i)
{
    return json_array_get(json_object_get(o, "errors"), (size_t)i);
}

static json_t *preview_at(json_t *o, int i)
{
    return json_array_get(json_object_get(o, "preview"), (size_t)i);
}

TEST_T(facility_import_preview_commit_and_reimport_unchanged, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    long long n0 = th_sql_int(&s, "SELECT COUNT(*) FROM facilities");
    /* an officer's sheet: Chinese headings, a type by its Chinese name, the township and the
     * village by name, the township of the second row by its code, the operator by name */
    const char *csv =
        "\xEF\xBB\xBF"
        "名称,类型,乡镇,村/社区,地址,纬度,经度,运营单位,平时功能,平时容量,平时单位,"
        "隔离房间,安置床位\r\n"
        "南山民宿集群二期,民宿集群,金海湖地区,南山村,南山村东口,40.2191,117.2974,"
        "普洛斯（平谷）物流有限公司,乡村民宿,40,rooms,30,\r\n"
        "滨河临时安置点,school,110117001,,滨河路 1 号,40.13,117.11,,教学,800,students,"
        ",600\r\n";
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *o = UPLOAD(&s, tok, 1, csv, 200);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0); /* a preview writes nothing */
    CHECK(json_is_true(json_object_get(o, "ok")));
    CHECK_INT(th_int(o, "rows"), 2);
    CHECK_INT(th_int(o, "created"), 2);
    CHECK_INT(th_int(o, "updated"), 0);
    CHECK_STR(th_str(preview_at(o, 0), "action"), "created");
    CHECK_INT(th_int(preview_at(o, 0), "line"), 2);
    CHECK_STR(th_str(preview_at(o, 1), "township"), "110117001");
    json_decref(o);

    long long audits = th_sql_int(&s, "SELECT COUNT(*) FROM audit");
    o = UPLOAD(&s, tok, 0, csv, 200);
    CHECK_INT(th_int(o, "created"), 2);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facilities"), n0 + 2);
    /* each facility as the form would have made it, source import */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facilities f JOIN regions t ON t.id ="
                             " f.township_id JOIN regions v ON v.id = f.village_id JOIN"
                             " organisations o ON o.id = f.operator_id WHERE f.name ="
                             " '南山民宿集群二期' AND f.type = 'homestay_cluster' AND t.name ="
                             " '金海湖地区' AND v.name = '南山村' AND o.uscc = '911101174EN1KPB9YB'"
                             " AND f.source = 'import' AND f.peacetime_capacity = 40"),
              1);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facility_roles r JOIN facilities f ON f.id ="
                             " r.facility_id WHERE f.name = '南山民宿集群二期' AND r.role ="
                             " 'isolation' AND r.unit = 'rooms' AND r.capacity = 30"),
              1);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facility_roles r JOIN facilities f ON f.id ="
                             " r.facility_id WHERE f.name = '滨河临时安置点'"),
              1);
    /* an audit row per facility and one for the import */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit") - audits, 3);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'create' AND entity ="
                             " 'facility' AND username = 'officer'"),
              2);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'import' AND entity ="
                             " 'facilities' AND after_json LIKE '%\"created\":2%'"),
              1);

    /* the same table again: both rows name their facility (township and name) and change
     * nothing: no version, no audit row */
    th_fingerprint(&s, fp0, sizeof fp0);
    o = UPLOAD(&s, tok, 0, csv, 200);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    CHECK_INT(th_int(o, "created"), 0);
    CHECK_INT(th_int(o, "updated"), 0);
    CHECK_INT(th_int(o, "unchanged"), 2);
    json_decref(o);

    /* a JSON body, another content type: 415; a viewer: 403 */
    json_t *e = NULL;
    CHECK_INT(th_call(&s, "POST", "/api/v1/facilities/import", tok, "{\"csv\":\"name\"}", &e), 415);
    json_decref(e);
    char vtok[80];
    th_login(&s, "viewer", s.demo_pw, vtok);
    e = UPLOAD(&s, vtok, 0, csv, 403);
    json_decref(e);
    th_stop(&s);
}

TEST_T(facility_import_bad_row_blocks_the_commit_and_is_named, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    /* line 2 good, line 3 a latitude out of range (the API's check), line 4 an unknown
     * township, line 5 a role capacity that is not whole rooms, line 6 good */
    const char *csv = "name,type,township,lat,lon,isolation_rooms\n"
                      "好设施一,hotel,滨河街道,40.1,117.1,10\n"
                      "坏纬度,hotel,滨河街道,95,117.1,\n"
                      "坏乡镇,hotel,不存在镇,40.1,117.1,\n"
                      "坏房间,hotel,滨河街道,40.1,117.1,2.5\n"
                      "好设施二,warehouse,滨河街道,40.1,117.1,\n";
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *o = UPLOAD(&s, tok, 0, csv, 422);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0); /* nothing written, the good rows neither */
    json_t *err = json_object_get(o, "error");
    CHECK_STR(json_string_value(json_object_get(err, "code")), "bad_row");
    CHECK_STR(json_string_value(json_object_get(err, "field")), "lat");
    CHECK(strstr(json_string_value(json_object_get(err, "message")), "line 3, column lat") != NULL);
    CHECK(strstr(json_string_value(json_object_get(err, "message")), "3 bad rows of 5") != NULL);
    CHECK_INT(th_int(o, "bad_rows"), 3);
    /* nothing was done: no row counted as created, though the preview says what it would do */
    CHECK_INT(th_int(o, "created"), 0);
    CHECK_INT(th_int(o, "updated") + th_int(o, "unchanged"), 0);
    CHECK_STR(th_str(preview_at(o, 0), "action"), "created");
    /* and names no facility for it: the id its create had in the rolled-back transaction is
     * no facility's (regression: "id":315 shown, the next facility created got 315) */
    CHECK(json_is_null(json_object_get(preview_at(o, 0), "id")));
    CHECK(json_is_null(json_object_get(preview_at(o, 4), "id")));
    CHECK_INT(th_int(err_at(o, 0), "line"), 3);
    CHECK_STR(th_str(err_at(o, 0), "column"), "lat");
    CHECK_INT(th_int(err_at(o, 1), "line"), 4);
    CHECK_STR(th_str(err_at(o, 1), "column"), "township");
    CHECK_STR(th_str(err_at(o, 1), "reason"), "unknown_township");
    CHECK_INT(th_int(err_at(o, 2), "line"), 5);
    CHECK_STR(th_str(err_at(o, 2), "column"), "isolation_rooms");
    json_decref(o);
    /* the preview: every row with its action, the bad ones too */
    o = UPLOAD(&s, tok, 1, csv, 200);
    CHECK(json_is_false(json_object_get(o, "ok")));
    CHECK_INT(th_int(o, "created"), 2);
    CHECK_STR(th_str(preview_at(o, 0), "action"), "created");
    CHECK_STR(th_str(preview_at(o, 1), "action"), "error");
    CHECK_STR(th_str(preview_at(o, 1), "column"), "lat");
    CHECK_STR(th_str(preview_at(o, 4), "action"), "created");
    json_decref(o);
    /* a cell past the header, a column nobody knows, a name twice in one table */
    o = UPLOAD(
        &s, tok, 1,
        "name,type,township,lat,lon\n乙,hotel,滨河街道,40,117\n甲,hotel,滨河街道,40,117,多余\n",
        200);
    CHECK_STR(th_str(err_at(o, 0), "reason"), "extra_cells");
    /* a row refused before its township is read names none, not the row before's
     * (regression: left unset) */
    CHECK_STR(th_str(preview_at(o, 0), "township"), "滨河街道");
    CHECK_STR(th_str(preview_at(o, 1), "township"), "");
    json_decref(o);
    o = UPLOAD(&s, tok, 1, "name,colour\n甲,red\n", 422);
    CHECK_STR(th_err_code(o), "bad_csv");
    CHECK(strstr(th_err_message(o), "unknown column 'colour'") != NULL);
    json_decref(o);
    o = UPLOAD(
        &s, tok, 1,
        "name,type,township,lat,lon\n同名,hotel,滨河街道,40,117\n同名,hotel,滨河街道,40,117\n",
        200);
    CHECK_INT(th_int(o, "bad_rows"), 1);
    CHECK_STR(th_str(err_at(o, 0), "reason"), "duplicate");
    CHECK_INT(th_int(err_at(o, 0), "line"), 3);
    json_decref(o);
    /* regression: a long cell quoted in a message and in args — the message was cut inside a
     * character (not UTF-8: the answer did not parse), and 120 such rows of 4,000 control bytes
     * overran the errors' buffer (an answer cut short); now the quote ends between characters
     * and args hold 200 bytes at most, then … */
    char *big = malloc(600000), *p = big;
    p += sprintf(p, "name,township\n");
    for (int i = 0; i < 120; i++) {
        p += sprintf(p, "站%d,a", i);
        for (int k = 0; k < 1300; k++) p += sprintf(p, "平");
        p += sprintf(p, "\n");
    }
    o = UPLOAD(&s, tok, 1, big, 200);
    CHECK(o != NULL);
    CHECK_INT(th_int(o, "bad_rows"), 120);
    const char *m = th_str(err_at(o, 0), "message");
    CHECK(m != NULL);
    CHECK(pj_utf8_valid(m, strlen(m)));
    CHECK(strstr(m, "no township 'a平") != NULL);
    const char *v = th_str(json_object_get(err_at(o, 99), "args"), "township");
    CHECK(v != NULL);
    CHECK(strlen(v) <= PJ_ROWERR_ARG_MAX + 3);
    CHECK(strlen(v) > 150);
    CHECK(strstr(v, "\xe2\x80\xa6") == v + strlen(v) - 3);
    json_decref(o);
    free(big);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    th_stop(&s);
}

TEST_T(facility_import_township_officer_only_in_their_township, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "jinhaihu", s.demo_pw, tok); /* 金海湖地区 */
    long long own = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    /* line 3 creates in another township, line 4 renames a facility of another township (by
     * its id): both outside the officer's scope */
    long long other = th_sql_int(&s, "SELECT MIN(id) FROM facilities WHERE township_id <> (SELECT"
                                     " township_id FROM users WHERE username = 'jinhaihu')");
    char csv[512];
    snprintf(csv, sizeof csv,
             "id,name,type,township,lat,lon\n"
             ",金海湖新设施,hotel,金海湖地区,40.2,117.3\n"
             ",滨河的设施,hotel,滨河街道,40.1,117.1\n"
             "%lld,别镇的改名,,,,\n",
             other);
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *o = UPLOAD(&s, tok, 0, csv, 422);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    CHECK_INT(th_int(o, "bad_rows"), 2);
    CHECK_INT(th_int(err_at(o, 0), "line"), 3);
    CHECK_STR(th_str(err_at(o, 0), "column"), "township");
    CHECK_STR(th_str(err_at(o, 0), "reason"), "outside_scope");
    CHECK_INT(th_int(err_at(o, 1), "line"), 4);
    CHECK_STR(th_str(err_at(o, 1), "reason"), "outside_scope");
    json_decref(o);
    /* moving a facility of the officer's township to another: outside the scope, at the
     * township (it was an error of the village the facility has, which the row never named) */
    long long mine = th_sql_int(&s, "SELECT MIN(id) FROM facilities WHERE village_id IS NOT NULL"
                                    " AND township_id = (SELECT township_id FROM users WHERE"
                                    " username = 'jinhaihu')");
    snprintf(csv, sizeof csv, "id,township\n%lld,滨河街道\n", mine);
    o = UPLOAD(&s, tok, 1, csv, 200);
    CHECK_STR(th_str(err_at(o, 0), "column"), "township");
    CHECK_STR(th_str(err_at(o, 0), "reason"), "outside_scope");
    json_decref(o);
    /* without a township column, the officer's own township */
    o = UPLOAD(&s, tok, 0, "name,type,lat,lon\n金海湖无乡镇列,homestay_cluster,40.2,117.3\n", 200);
    CHECK_INT(th_int(o, "created"), 1);
    json_decref(o);
    char q[200];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM facilities WHERE name = '金海湖无乡镇列' AND"
             " township_id = %lld",
             own);
    CHECK_INT(th_sql_int(&s, q), 1);
    th_stop(&s);
}

/* A township officer's row without a township (an empty cell, or no such column) goes to the
 * officer's township: the dry run's preview names it as the commit's answer does. A district
 * officer's such row stays refused at the township. */
TEST_T(facility_import_preview_names_a_township_officers_own_township, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "jinhaihu", s.demo_pw, tok); /* 金海湖地区 */
    const char *csvs[] = {"name,type,lat,lon\n新设施D,hotel,40.1,117.1\n",
                          "name,type,township,lat,lon\n新设施E,hotel,,40.1,117.1\n"};
    for (int i = 0; i < 2; i++) {
        json_t *o = UPLOAD(&s, tok, 1, csvs[i], 200);
        CHECK_INT(th_int(o, "created"), 1);
        CHECK_STR(th_str(preview_at(o, 0), "action"), "created");
        CHECK_STR(th_str(preview_at(o, 0), "township"), "金海湖地区");
        json_decref(o);
        o = UPLOAD(&s, tok, 0, csvs[i], 200);
        CHECK_STR(th_str(preview_at(o, 0), "township"), "金海湖地区");
        json_decref(o);
    }
    char otok[80];
    th_login(&s, "officer", s.demo_pw, otok);
    json_t *o = UPLOAD(&s, otok, 1, "name,type,township,lat,lon\n新设施F,hotel,,40.1,117.1\n", 200);
    CHECK_INT(th_int(o, "bad_rows"), 1);
    CHECK_STR(th_str(err_at(o, 0), "column"), "township");
    CHECK_STR(th_str(preview_at(o, 0), "township"), "");
    json_decref(o);
    th_stop(&s);
}

TEST_T(facility_import_updates_by_id_or_township_and_name, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long id = th_sql_int(&s, "SELECT id FROM facilities WHERE name = '万达锦华酒店'");
    long long v0 = th_sql_int(&s, "SELECT version FROM facilities WHERE name = '万达锦华酒店'");
    long long resettle = th_sql_int(&s, "SELECT capacity FROM facility_roles r JOIN facilities f"
                                        " ON f.id = r.facility_id WHERE f.name = '万达锦华酒店'"
                                        " AND r.role = 'resettlement'");
    CHECK(id > 0 && resettle > 0);
    /* township and name: the address and the isolation rooms change; the roles without a
     * column (resettlement) stay as they are */
    json_t *o = UPLOAD(
        &s, tok, 1,
        "township,name,address,isolation_rooms\n滨河街道,万达锦华酒店,新地址 8 号,310\n", 200);
    CHECK_INT(th_int(o, "updated"), 1);
    CHECK_STR(th_str(preview_at(o, 0), "action"), "updated");
    CHECK_INT(th_int(preview_at(o, 0), "id"), id);
    CHECK_STR(th_str(preview_at(o, 0), "changed"), "address, emergency_roles");
    json_decref(o);
    long long updates = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'update' AND"
                                       " entity = 'facility'");
    o = UPLOAD(&s, tok, 0,
               "township,name,address,isolation_rooms\n滨河街道,万达锦华酒店,新地址 8 号,310\n",
               200);
    CHECK_INT(th_int(o, "updated"), 1);
    json_decref(o);
    char q[300];
    snprintf(q, sizeof q, "SELECT version FROM facilities WHERE id = %lld", id);
    CHECK_INT(th_sql_int(&s, q), v0 + 1);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM facilities WHERE id = %lld AND address = '新地址 8 号'", id);
    CHECK_INT(th_sql_int(&s, q), 1);
    snprintf(q, sizeof q,
             "SELECT capacity FROM facility_roles WHERE facility_id = %lld AND role = 'isolation'",
             id);
    CHECK_INT(th_sql_int(&s, q), 310);
    snprintf(q, sizeof q,
             "SELECT capacity FROM facility_roles WHERE facility_id = %lld AND role ="
             " 'resettlement'",
             id);
    CHECK_INT(th_sql_int(&s, q), resettle);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'update' AND entity ="
                             " 'facility'"),
              updates + 1);
    /* by id: a new name (the name is no key then), an empty role cell removes that role */
    char csv[256];
    snprintf(csv, sizeof csv, "id,name,resettlement_beds\n%lld,万达锦华酒店（平谷）,\n", id);
    o = UPLOAD(&s, tok, 0, csv, 200);
    CHECK_INT(th_int(o, "updated"), 1);
    json_decref(o);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM facilities WHERE id = %lld AND name = '万达锦华酒店（平谷）'"
             " AND NOT EXISTS (SELECT 1 FROM facility_roles WHERE facility_id = %lld AND role ="
             " 'resettlement')",
             id, id);
    CHECK_INT(th_sql_int(&s, q), 1);
    /* an id nobody has */
    o = UPLOAD(&s, tok, 1, "id,name\n999999,某\n", 200);
    CHECK_STR(th_str(err_at(o, 0), "reason"), "unknown_facility");
    CHECK_STR(th_str(err_at(o, 0), "column"), "id");
    json_decref(o);
    /* an id beyond 64 bits is no id. Regression: it was read as 9223372036854775807, the row
     * named "no facility 9223372036854775807" (and would have updated one with that id) */
    o = UPLOAD(&s, tok, 1, "id,name\n9223372036854775808,某\n99999999999999999999,某\n", 200);
    for (int i = 0; i < 2; i++) {
        CHECK_STR(th_str(err_at(o, i), "reason"), "bad_id");
        CHECK_STR(th_str(err_at(o, i), "column"), "id");
    }
    CHECK(strstr(th_str(err_at(o, 0), "message"), "'9223372036854775808'") != NULL);
    json_decref(o);
    th_stop(&s);
}

/* Excel's "CSV (Comma delimited)" on a Chinese Windows is GBK: refused as a whole, as the
 * statistics import refuses it (the console then says which encoding to save in). */
TEST(facility_import_gbk_csv_is_refused)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    /* 名称,乡镇 / 测试,滨河街道 in GBK */
    const char gbk[] = "\xC3\xFB\xB3\xC6,\xCF\xE7\xD5\xF2\r\n\xB2\xE2\xCA\xD4,\xB1\xF5\xBA\xD3"
                       "\xBD\xD6\xB5\xC0\r\n";
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *o = UPLOAD(&s, tok, 0, gbk, 422);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    CHECK_STR(th_err_code(o), "bad_csv");
    /* it says what to do, not only what is wrong */
    CHECK(strstr(th_err_message(o), "the CSV is not valid UTF-8") == th_err_message(o));
    CHECK(strstr(th_err_message(o), "save it as \"CSV UTF-8\"") != NULL);
    CHECK(strstr(th_err_message(o), ".xlsx") != NULL);
    json_decref(o);
    /* the same file in UTF-8 with a byte order mark is read (its row: no type, no place) */
    o = UPLOAD(&s, tok, 1, "\xEF\xBB\xBF名称,乡镇\r\n测试,滨河街道\r\n", 200);
    CHECK_INT(th_int(o, "rows"), 1);
    CHECK_STR(th_str(err_at(o, 0), "column"), "type");
    json_decref(o);
    th_stop(&s);
}

/* A NUL byte in a CSV is refused as a whole (422 bad_csv naming its line), as GBK is, nothing
 * written. Regression: the cell was cut short at it and the row imported, "新设施\0二期"
 * creating a facility named 新设施; a UTF-16 file ("Unicode Text") is mostly NULs. */
TEST(facility_import_csv_with_a_nul_byte_is_refused)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    static const char csv[] = "name,type,township,lat,lon\r\n"
                              "新设施\0二期,hotel,110117001,40.1,117.1\r\n";
    th_fingerprint(&s, fp0, sizeof fp0);
    for (int dry = 0; dry < 2; dry++) {
        json_t *o = upload(
            &s, tok, dry ? "/api/v1/facilities/import?dry_run=1" : "/api/v1/facilities/import",
            "text/csv", csv, sizeof csv - 1, 422, __LINE__);
        CHECK_STR(th_err_code(o), "bad_csv");
        CHECK_STR(th_err_field(o), "csv");
        CHECK(strstr(th_err_message(o), "line 2: a NUL byte") != NULL);
        json_decref(o);
    }
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facilities WHERE name LIKE '新设施%'"), 0);
    th_stop(&s);
}

/* Export and import back: unchanged row for row (CSV and XLSX); edits made since are undone
 * by importing the earlier export; the export takes the list's filters. */
TEST_T(facility_export_import_round_trip_csv_and_xlsx, 90)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    long long n = th_sql_int(&s, "SELECT COUNT(*) FROM facilities");
    size_t xl, cl;
    char *x = GET_BODY(&s, tok, "/api/v1/facilities/export?format=xlsx", &xl);
    char *c = GET_BODY(&s, tok, "/api/v1/facilities/export", &cl);
    CHECK(pj_xlsx_sniff(x, xl));
    const char *head = "id,version,name,type,township,village,address,lat,lon,operator,";
    CHECK(!strncmp(c, head, strlen(head)));
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *o = upload(&s, tok, "/api/v1/facilities/import", XLSX, x, xl, 200, __LINE__);
    CHECK_INT(th_int(o, "rows"), n);
    CHECK_INT(th_int(o, "unchanged"), n);
    json_decref(o);
    o = upload(&s, tok, "/api/v1/facilities/import", "text/csv", c, cl, 200, __LINE__);
    CHECK_INT(th_int(o, "unchanged"), n);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* edited since: the workbook brings the facilities back as they were */
    long long rf = th_sql_int(&s, "SELECT MIN(facility_id) FROM facility_roles");
    th_sql_exec(&s, "UPDATE facilities SET address = '改过', version = version + 1 WHERE id IN"
                    " (SELECT id FROM facilities ORDER BY id LIMIT 2);"
                    "DELETE FROM facility_roles WHERE facility_id = (SELECT MIN(facility_id) FROM"
                    " facility_roles)");
    /* the two changed since the export (a newer version) are refused, not overwritten with the
     * workbook's older values (regression: an import silently reverted them) */
    th_fingerprint(&s, fp0, sizeof fp0);
    o = upload(&s, tok, "/api/v1/facilities/import", XLSX, x, xl, 422, __LINE__);
    CHECK_INT(th_int(o, "bad_rows"), 2);
    CHECK_INT(th_int(err_at(o, 0), "line"), 2);
    CHECK_STR(th_str(err_at(o, 0), "column"), "version");
    CHECK_STR(th_str(err_at(o, 0), "reason"), "stale");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* the same table without its version column: the facilities back as the table has them */
    char *nv = malloc(cl + 1), *nq = nv;
    for (const char *p = c; *p;) {
        const char *c1 = strchr(p, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
        CHECK(c2 != NULL);
        memcpy(nq, p, (size_t)(c1 - p));
        nq += c1 - p;
        const char *eol = strstr(c2, "\r\n");
        const char *end = eol ? eol + 2 : c2 + strlen(c2);
        memcpy(nq, c2, (size_t)(end - c2));
        nq += end - c2;
        p = end;
    }
    *nq = 0;
    CHECK(!strncmp(nv, "id,name,type,", 13));
    o = upload(&s, tok, "/api/v1/facilities/import", "text/csv", nv, strlen(nv), 200, __LINE__);
    CHECK_INT(th_int(o, "updated"), 2 + (rf > 2));
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facilities WHERE address = '改过'"), 0);
    o = upload(&s, tok, "/api/v1/facilities/import", "text/csv", nv, strlen(nv), 200, __LINE__);
    CHECK_INT(th_int(o, "unchanged"), n);
    json_decref(o);
    free(nv);
    free(x);
    free(c);
    /* coordinates exported exactly: a row brought back leaves them as they are (they were
     * written with 6 decimals, and an edit of the row's address rounded them) */
    th_sql_exec(&s, "UPDATE facilities SET lat = 40.12345678, lon = 117.98765432 WHERE id = 1");
    c = GET_BODY(&s, tok, "/api/v1/facilities/export?q=", &cl);
    CHECK(strstr(c, ",40.12345678,117.98765432,") != NULL);
    free(c);
    /* two organisations of one name without a credit code: the facility's operator is
     * exported as #id and read back as that one (it was its name, refused as ambiguous, so
     * the whole table could not be imported back) */
    th_sql_exec(&s, "INSERT INTO organisations (name, type, created_at, updated_at) VALUES"
                    " ('同名单位', 'enterprise', 0, 0), ('同名单位', 'enterprise', 0, 0);"
                    "UPDATE facilities SET operator_id = (SELECT MAX(id) FROM organisations)"
                    " WHERE id = 1");
    long long org = th_sql_int(&s, "SELECT MAX(id) FROM organisations");
    c = GET_BODY(&s, tok, "/api/v1/facilities/export", &cl);
    char want[40];
    snprintf(want, sizeof want, ",#%lld,", org);
    CHECK(strstr(c, want) != NULL);
    o = upload(&s, tok, "/api/v1/facilities/import", "text/csv", c, cl, 200, __LINE__);
    CHECK_INT(th_int(o, "unchanged"), th_sql_int(&s, "SELECT COUNT(*) FROM facilities"));
    json_decref(o);
    free(c);
    /* a township officer's export of the whole district, brought back: the other townships'
     * rows are unchanged, not refused as outside the officer's scope */
    char otok[80];
    th_login(&s, "jinhaihu", s.demo_pw, otok);
    c = GET_BODY(&s, otok, "/api/v1/facilities/export", &cl);
    th_fingerprint(&s, fp0, sizeof fp0);
    o = upload(&s, otok, "/api/v1/facilities/import", "text/csv", c, cl, 200, __LINE__);
    CHECK_INT(th_int(o, "bad_rows"), 0);
    CHECK_INT(th_int(o, "unchanged"), th_sql_int(&s, "SELECT COUNT(*) FROM facilities"));
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    free(c);
    /* the list's filters */
    long long town = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    char path[160];
    snprintf(path, sizeof path, "/api/v1/facilities/export?township_id=%lld&type=hotel", town);
    c = GET_BODY(&s, tok, path, &cl);
    char q[200];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM facilities WHERE township_id = %lld AND type = 'hotel'", town);
    long long lines = 0;
    for (char *p = c; *p; p++) lines += *p == '\n';
    CHECK_INT(lines, 1 + th_sql_int(&s, q));
    free(c);
    json_t *e = NULL;
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities/export?format=pdf", tok, NULL, &e), 400);
    CHECK_STR(th_err_field(e), "format");
    json_decref(e);
    /* the statistics' export and both imports say the same of what they take */
    CHECK_INT(th_call(&s, "GET", "/api/v1/indicators/export?format=pdf", tok, NULL, &e), 400);
    CHECK_STR(th_err_field(e), "format");
    CHECK(strstr(th_err_message(e), "csv or xlsx") != NULL);
    json_decref(e);
    long long before = th_sql_int(&s, "SELECT COUNT(*) FROM audit");
    e = upload(&s, tok, "/api/v1/facilities/import", "image/png", "name\nx\n", 7, 415, __LINE__);
    CHECK(strstr(th_err_message(e), "or text/csv") && !strstr(th_err_message(e), "json"));
    json_decref(e);
    e = upload(&s, tok, "/api/v1/indicators/import", "image/png", "name\nx\n", 7, 415, __LINE__);
    CHECK(strstr(th_err_message(e), "text/csv or application/json") != NULL);
    json_decref(e);
    /* an empty table sent as a table: the table's error (it was 415 "send the table", or for
     * the statistics 400 "a JSON object body is required", as if nothing had been sent) */
    static const char *const imports[] = {"/api/v1/facilities/import?dry_run=1",
                                          "/api/v1/indicators/import?dry_run=1"};
    for (int i = 0; i < 2; i++) {
        e = upload(&s, tok, imports[i], "text/csv", "", 0, 422, __LINE__);
        CHECK_STR(th_err_code(e), "bad_csv");
        CHECK_STR(th_err_message(e), "the table is empty");
        json_decref(e);
        e = upload(&s, tok, imports[i],
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "", 0, 422,
                   __LINE__);
        CHECK_STR(th_err_code(e), "bad_xlsx");
        json_decref(e);
    }
    /* a header and no rows: nothing to import, said so (it was answered ok, 0 rows, as if an
     * import had been done), as CSV, as a workbook, previewed or committed */
    static const char *const headers[] = {"name,township,isolation_rooms\n,,\n",
                                          "code,period,value\n\n"};
    static const char *const sheets[] = {
        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>name</t></is>"
        "</c></row><row r=\"2\"/></sheetData></worksheet>",
        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>code</t></is>"
        "</c><c r=\"B1\" t=\"inlineStr\"><is><t>period</t></is></c><c r=\"C1\""
        " t=\"inlineStr\"><is><t>value</t></is></c></row></sheetData></worksheet>"};
    for (int i = 0; i < 2; i++) {
        size_t xn;
        char *hx = th_xlsx_book(NULL, sheets[i], &xn);
        for (int commit = 0; commit < 2; commit++) {
            char at[80];
            snprintf(at, sizeof at, "%.*s", (int)(strlen(imports[i]) - (commit ? 10 : 0)),
                     imports[i]);
            e = upload(&s, tok, at, "text/csv", headers[i], strlen(headers[i]), 422, __LINE__);
            CHECK_STR(th_err_code(e), "no_rows");
            CHECK_STR(th_err_field(e), "csv");
            CHECK_STR(th_err_message(e), "the table has its header and no rows: nothing to import");
            json_decref(e);
            e = upload(&s, tok, at,
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", hx, xn,
                       422, __LINE__);
            CHECK_STR(th_err_code(e), "no_rows");
            CHECK_STR(th_err_field(e), "xlsx");
            json_decref(e);
        }
        free(hx);
    }
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit"), before);
    th_stop(&s);
}

/* A table of more rows than an import takes is refused before any row is checked (it was
 * refused after checking 10,000 — seconds with the server waiting), as CSV and as XLSX alike
 * ("more than 10000 rows": the workbook's message counted its header); a line of empty cells
 * (",,", as Excel writes them) is skipped like a worksheet's empty row, not a row without a
 * name. */
/* Text that XML cannot hold as it is comes back from an XLSX export as it was. Regression:
 * libxlsxwriter writes a carriage return as _x000D_ and a control character as _x0007_
 * (ECMA-376's escapes, as Excel does), which the reader kept as text, so importing an export
 * that nobody had edited renamed the facility "名_x0007_称" and changed its address; a literal
 * "_x0041_" is now written escaped so that it is not read back as "A". */
TEST_T(facility_export_xlsx_round_trip_keeps_escaped_text, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    long long town = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'township'");
    static const char *const made[] = {
        "{\"name\":\"旧名称\",\"type\":\"hotel\",\"township_id\":%lld,\"lat\":40.1,"
        "\"lon\":117.1}",
        "{\"name\":\"字面_x0041_与_X004a__x005F_\",\"type\":\"hotel\",\"township_id\":%lld,"
        "\"lat\":40.1,\"lon\":117.1,\"peacetime_function\":\"_x00_x0041\",\"address\":"
        "\"\\ud840\\udc00 _xD800_ _x0000_\"}",
    };
    char req[512], path[128];
    long long legacy = 0;
    for (int i = 0; i < 2; i++) {
        snprintf(req, sizeof req, made[i], town);
        json_t *o = NULL;
        CHECK_INT(th_call(&s, "POST", "/api/v1/facilities", tok, req, &o), 201);
        if (!i) legacy = th_int(o, "id");
        json_decref(o);
    }
    /* control characters in a record stored before the API refused them (api.md §1, Texts):
     * the workbook holds them as _xHHHH_ and reads them back as they are */
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE facilities SET name = '名' || char(7) || '称' || char(27), address = '一行' ||"
             " char(13, 10) || '二行' || char(13) || '三行' WHERE id = %lld",
             legacy);
    th_sql_exec(&s, sql);
    long long n = th_sql_int(&s, "SELECT COUNT(*) FROM facilities WHERE township_id ="
                                 " (SELECT MIN(id) FROM regions WHERE type = 'township')");
    snprintf(path, sizeof path, "/api/v1/facilities/export?format=xlsx&township_id=%lld", town);
    size_t xl;
    char *x = GET_BODY(&s, tok, path, &xl);
    CHECK(pj_xlsx_sniff(x, xl));
    pj_arena a;
    pj_arena_init(&a, 1 << 16);
    pj_xlsx book;
    pj_err err;
    pj_err_clear(&err);
    CHECK_INT(pj_xlsx_read(&a, x, xl, 10000, &book, &err), 0);
    int legacy_line = 0, name_ok = 0, address_ok = 0;
    for (int r = 0; r < book.nrows; r++)
        for (int k = 0; k < book.rows[r].ncols; k++) {
            const char *cell = book.rows[r].cells[k];
            if (!strcmp(cell, "名\a称\x1b")) name_ok = 1, legacy_line = book.rows[r].line;
            if (!strcmp(cell, "一行\r\n二行\r三行")) address_ok = 1;
        }
    CHECK(name_ok && address_ok);
    pj_arena_free(&a);
    /* read back, every other row is unchanged; the stored control characters are refused as
     * any text's are, on the row's line, until the record is corrected */
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *o = upload(&s, tok, "/api/v1/facilities/import?dry_run=1", XLSX, x, xl, 200, __LINE__);
    CHECK_INT(th_int(o, "rows"), n);
    CHECK_INT(th_int(o, "unchanged"), n - 1);
    CHECK_INT(th_int(o, "updated"), 0);
    json_t *e0 = json_array_get(json_object_get(o, "errors"), 0);
    CHECK_INT(json_array_size(json_object_get(o, "errors")), 1);
    CHECK_INT(th_int(e0, "line"), legacy_line);
    CHECK_STR(th_str(json_object_get(e0, "args"), "code"), "invalid_value");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    free(x);
    th_stop(&s);
}

TEST_T(facility_import_row_limit_and_empty_lines, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    th_fingerprint(&s, fp0, sizeof fp0);
    pj_buf b;
    pj_buf_init(&b, 1 << 22);
    pj_buf_puts(&b, "name,township\n");
    char line[64];
    for (int i = 0; i < 10001; i++) {
        snprintf(line, sizeof line, "站%d,不存在镇\n", i);
        pj_buf_puts(&b, line);
    }
    pj_buf_putc(&b, 0);
    json_t *o = UPLOAD(&s, tok, 0, b.data, 413);
    CHECK_STR(th_err_code(o), "too_many_rows");
    CHECK_STR(th_err_field(o), "csv");
    CHECK(strstr(th_err_message(o), "more than 10000 rows") != NULL);
    json_decref(o);
    pj_buf_free(&b);
    /* the same as a workbook */
    char path[700];
    snprintf(path, sizeof path, "%s/many.xlsx", t_tmpdir());
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    worksheet_write_string(ws, 0, 0, "name", NULL);
    worksheet_write_string(ws, 0, 1, "township", NULL);
    for (int i = 1; i <= 10001; i++) {
        snprintf(line, sizeof line, "站%d", i);
        worksheet_write_string(ws, (lxw_row_t)i, 0, line, NULL);
        worksheet_write_string(ws, (lxw_row_t)i, 1, "不存在镇", NULL);
    }
    CHECK_INT(workbook_close(wb), LXW_NO_ERROR);
    size_t xl;
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    pj_buf xb;
    pj_buf_init(&xb, 64u << 20);
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) pj_buf_add(&xb, chunk, k);
    fclose(f);
    char *x = xb.data;
    xl = xb.len;
    o = upload(&s, tok, "/api/v1/facilities/import", XLSX, x, xl, 413, __LINE__);
    CHECK_STR(th_err_code(o), "too_many_rows");
    CHECK_STR(th_err_field(o), "xlsx");
    CHECK(strstr(th_err_message(o), "more than 10000 rows") != NULL);
    json_decref(o);
    free(x);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* lines of empty cells: skipped */
    o = UPLOAD(&s, tok, 1,
               "name,type,township,lat,lon\n,,,,\n空行之间,hotel,滨河街道,40,117\n,,,,\n", 200);
    CHECK(json_is_true(json_object_get(o, "ok")));
    CHECK_INT(th_int(o, "rows"), 1);
    CHECK_INT(th_int(o, "created"), 1);
    CHECK_INT(th_int(preview_at(o, 0), "line"), 3);
    json_decref(o);
    /* a trailing comma in the header is no column (it was "unknown column ''"); an empty heading
     * between two is named by its place */
    o = UPLOAD(&s, tok, 1, "name,type,township,lat,lon,\n尾逗号,hotel,滨河街道,40,117,\n", 200);
    CHECK(json_is_true(json_object_get(o, "ok")));
    json_decref(o);
    o = UPLOAD(&s, tok, 1, "name,,type\n甲,,hotel\n", 422);
    CHECK_STR(th_err_code(o), "bad_csv");
    CHECK(strstr(th_err_message(o), "line 1: column 2 has no heading") != NULL);
    json_decref(o);
    th_stop(&s);
}

/* A row without an id is matched by its township and name from an index (township_id, name),
 * not by comparing the name of every facility of the township: an import of thousands of rows
 * of one township compared each with all before it. */
TEST(facility_import_matches_by_township_and_name_from_an_index)
{
    th_ctx t;
    th_ctx_fresh(&t);
    pj_err err = {0};
    if (pj_db_exec(t.db,
                   "INSERT INTO regions (id, parent_id, code, name, type, created_at, updated_at)"
                   " VALUES (1, NULL, 'd', 'D', 'district', 0, 0),"
                   " (2, 1, 't1', 'T1', 'township', 0, 0);",
                   &err))
        t_fail(__FILE__, __LINE__, "%s", err.message);
    const char *csv = "name,type,township,lat,lon\n甲,hotel,T1,40,117\n乙,hotel,T1,40,117\n";
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    if (pj_facility_import_csv(&t.c, csv, strlen(csv), 1, 100, &w, &err))
        t_fail(__FILE__, __LINE__, "import: %s", err.message);
    pj_buf_free(&out);
    const char *plan = th_plans(&t, "FROM facilities WHERE township_id = ? AND name = ?");
    if (!strstr(plan, "INDEX facilities_township_name (township_id=? AND name=?)"))
        t_fail(__FILE__, __LINE__, "%s", plan);
    th_ctx_close(&t);
}

/* The first column of the first row of sql, in t's arena. */
static const char *text_of(th_ctx *t, const char *sql)
{
    pj_err err;
    pj_err_clear(&err);
    pj_stmt *st = pj_db_prepare(t->db, sql, &err);
    if (!st || pj_stmt_step(st, &err) != 1) t_fail(__FILE__, __LINE__, "%s: %s", sql, err.message);
    const char *v = pj_arena_strdup(&t->arena, pj_col_text(st, 0));
    pj_stmt_done(st);
    return v;
}

/* An import row names its operator, township and village by name: each found through an index
 * (without one on name, every row read all organisations and regions: 10,000 rows held the
 * server 9 s, 3 s with them). */
TEST_T(facility_import_finds_names_by_index, 60)
{
    th_server s;
    th_start(&s, 1);
    th_ctx t;
    th_ctx_open(&s, &t, "admin", PJ_ROLE_ADMIN);
    const char *org = text_of(&t, "SELECT name FROM organisations WHERE uscc IS NOT NULL"
                                  " ORDER BY id LIMIT 1");
    const char *names = text_of(&t, "SELECT t.name || ',' || v.name FROM regions v JOIN regions t"
                                    " ON t.id = v.parent_id WHERE v.type = 'village' ORDER BY"
                                    " v.id LIMIT 1");
    char csv[600];
    snprintf(
        csv, sizeof csv,
        "name,type,township,village,operator,lat,lon\n索引测试仓库,warehouse,%s,%s,40.1,117.1\n",
        names, org);
    pj_buf b;
    pj_buf_init(&b, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &b);
    pj_err err;
    pj_err_clear(&err);
    CHECK_INT(pj_facility_import_csv(&t.c, csv, strlen(csv), 1, 100, &w, &err), 0);
    CHECK(strstr(b.data, "\"created\":1") != NULL);
    const char *orgs = th_plans(&t, "FROM organisations WHERE uscc = ?1 OR name = ?1");
    CHECK(strstr(orgs, "USING INDEX organisations_name (name=?)") != NULL);
    CHECK(strstr(orgs, "SCAN organisations") == NULL);
    const char *regs = th_plans(&t, "FROM regions WHERE (code = ?1 OR name = ?1)");
    CHECK(strstr(regs, "USING INDEX regions_name (name=?)") != NULL);
    CHECK(strstr(regs, "SCAN regions") == NULL);
    pj_buf_free(&b);
    th_ctx_close(&t);
    th_stop(&s);
}

/* A create refused after it has written part of itself (here its audit row, refused by a
 * trigger once the facility is written: on line 3 without roles, on line 4 with them) is
 * undone like any bad row: the next row naming the same township and name does not find a
 * half-made facility to update, and the rows around it are what they would be without it. */
TEST_T(facility_import_row_refused_after_its_first_write_is_undone, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    th_sql_exec(&s, "CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit WHEN NEW.action ="
                    " 'create' AND NEW.entity = 'facility' AND NEW.after_json LIKE '%半途酒店%'"
                    " BEGIN SELECT RAISE(ABORT, 'refused'); END");
    long long n0 = th_sql_int(&s, "SELECT COUNT(*) FROM facilities");
    const char *csv = "name,type,township,lat,lon,isolation_rooms\n"
                      "导入甲,hotel,滨河街道,40.14,117.11,10\n"
                      "半途酒店,hotel,滨河街道,40.14,117.12,\n"
                      "半途酒店,hotel,滨河街道,40.14,117.12,30\n"
                      "导入乙,hotel,滨河街道,40.14,117.13,\n";
    for (int dry = 1; dry >= 0; dry--) {
        th_fingerprint(&s, fp0, sizeof fp0);
        json_t *o = UPLOAD(&s, tok, dry, csv, dry ? 200 : 422);
        th_fingerprint(&s, fp1, sizeof fp1);
        CHECK_STR(fp1, fp0);
        CHECK_INT(th_int(o, "rows"), 4);
        CHECK_INT(th_int(o, "bad_rows"), 2);
        CHECK_INT(th_int(o, "created"), dry ? 2 : 0); /* the commit created nothing */
        CHECK_INT(th_int(o, "updated"), 0);
        CHECK_STR(th_str(preview_at(o, 0), "action"), "created");
        CHECK_STR(th_str(preview_at(o, 1), "action"), "error");
        CHECK_STR(th_str(preview_at(o, 2), "action"), "error");
        CHECK_STR(th_str(preview_at(o, 3), "action"), "created");
        CHECK_INT(th_int(err_at(o, 0), "line"), 3);
        CHECK_INT(th_int(err_at(o, 1), "line"), 4);
        json_decref(o);
    }
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facilities"), n0);
    th_stop(&s);
}

/* A row's error of the emergency roles as a whole (here the live conversion's role, which an
 * empty isolation cell would take away) is named by the column of that role, in the error, its
 * args and the preview (regression: named emergency_roles, a column no table has). */
TEST_T(facility_import_error_of_the_role_list_names_the_role_column, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM conversions v JOIN manuals m ON m.id ="
                             " v.manual_id JOIN facilities f ON f.id = v.facility_id WHERE"
                             " f.name = '万达锦华酒店' AND v.mode = 'live' AND v.state ="
                             " 'converting' AND m.role = 'isolation'"),
              1);
    long long id = th_sql_int(&s, "SELECT id FROM facilities WHERE name = '万达锦华酒店'");
    const char *csvs[] = {"name,township,isolation_rooms\n万达锦华酒店,滨河街道,\n",
                          "id,medical_beds,isolation_rooms\n%lld,,\n",
                          "id,resettlement_beds,isolation_rooms\n%lld,5,\n"};
    for (int i = 0; i < 3; i++) {
        char csv[200];
        snprintf(csv, sizeof csv, csvs[i], id);
        json_t *o = UPLOAD(&s, tok, 1, csv, 200);
        CHECK_INT(th_int(o, "bad_rows"), 1);
        json_t *e = err_at(o, 0);
        CHECK_STR(th_str(e, "column"), "isolation_rooms");
        CHECK(strstr(th_str(e, "message"), "line 2, column isolation_rooms: the facility's live") !=
              NULL);
        CHECK_STR(th_str(json_object_get(e, "args"), "column"), "isolation_rooms");
        CHECK_STR(th_str(json_object_get(e, "args"), "code"), "conflict");
        CHECK_STR(th_str(preview_at(o, 0), "column"), "isolation_rooms");
        json_decref(o);
    }
    th_stop(&s);
}

/* A district role's row without id or township matches no facility: it is named at the
 * township — to update the facility of its name (naming where it is) or, when none has that
 * name, as a new facility's missing township — not at type, the first field a create lacks;
 * a type no facility has lists the Chinese names the import takes too; an unknown heading
 * lists version among the columns (regression: "type is required", the codes only, no
 * version). */
TEST_T(facility_import_messages_name_what_the_row_lacks, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], ttok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    th_login(&s, "jinhaihu", s.demo_pw, ttok);
    long long id = th_sql_int(&s, "SELECT id FROM facilities WHERE name = '将军关村'");
    char path[64];
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", id);
    json_t *f = NULL;
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &f), 200);
    CHECK_STR(th_str(f, "township_name"), "金海湖地区");
    char csv[300], want[300];
    snprintf(csv, sizeof csv, "name,address\n%s,新地址\n无此设施甲,新地址\n,新地址\n",
             th_str(f, "name"));
    json_t *o = UPLOAD(&s, tok, 1, csv, 200);
    CHECK_INT(th_int(o, "bad_rows"), 3);
    json_t *e = err_at(o, 0);
    CHECK_STR(th_str(e, "column"), "township");
    CHECK_STR(th_str(e, "reason"), "missing_township");
    snprintf(want, sizeof want,
             "line 2, column township: give the township (or the facility's id) to update '%s'"
             " (a facility of that name is in %s); a new facility also needs type, lat and lon",
             th_str(f, "name"), th_str(f, "township_name"));
    CHECK_STR(th_str(e, "message"), want);
    CHECK_STR(th_str(json_object_get(e, "args"), "name"), th_str(f, "name"));
    CHECK_STR(th_str(json_object_get(e, "args"), "townships"), th_str(f, "township_name"));
    e = err_at(o, 1);
    CHECK_STR(th_str(e, "column"), "township");
    CHECK_STR(th_str(e, "reason"), "invalid");
    CHECK_STR(th_str(json_object_get(e, "args"), "code"), "missing_field");
    CHECK_STR(th_str(e, "message"), "line 3, column township: a new facility needs its township"
                                    " (no facility is named '无此设施甲' to update)");
    CHECK_STR(th_str(err_at(o, 2), "message"),
              "line 4, column township: a new facility needs its township");
    json_decref(o);
    /* the same table of the facility's township officer updates it (the township is theirs) */
    snprintf(csv, sizeof csv, "name,address\n%s,新地址\n", th_str(f, "name"));
    o = UPLOAD(&s, ttok, 1, csv, 200);
    CHECK_INT(th_int(o, "updated"), 1);
    CHECK_INT(th_int(preview_at(o, 0), "id"), id);
    json_decref(o);
    json_decref(f);

    o = UPLOAD(&s, ttok, 1, "名称,类型,纬度,经度\n测试乙,宾馆,40.1,117.1\n", 200);
    e = err_at(o, 0);
    CHECK_STR(th_str(e, "column"), "type");
    CHECK_STR(th_str(json_object_get(e, "args"), "code"), "invalid_value");
    CHECK_STR(th_str(e, "message"),
              "line 2, column type: type must be one of: hotel (酒店), homestay_cluster (民宿集群),"
              " village_community (村庄社区), expressway_service_area (高速服务区), warehouse"
              " (仓储物流), medical_base (医疗基地), sports_venue (体育场馆), school (学校), other"
              " (其他)");
    json_decref(o);

    o = UPLOAD(&s, tok, 1, "name,peacetime_units\n甲,rooms\n", 422);
    CHECK_STR(th_err_code(o), "bad_csv");
    CHECK(strstr(th_err_message(o), "unknown column 'peacetime_units' (id, version, name, type,") !=
          NULL);
    json_decref(o);
    th_stop(&s);
}

/* A commit refused for bad rows answers an error with its request_id, as every error does;
 * the preview names the facility a row names (by id), bad or not, with its stored name and
 * township when the table has no such columns (regression: no request_id; id null for a bad
 * row; name and township empty). */
TEST_T(facility_import_refusal_has_request_id_and_preview_names_the_facility, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], patch[256], hdr[4096];
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *f = NULL;
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities/2", tok, NULL, &f), 200);
    long long was = th_int(f, "version");
    char name[160], town[160];
    snprintf(name, sizeof name, "%s", th_str(f, "name"));
    snprintf(town, sizeof town, "%s", th_str(f, "township_name"));
    json_decref(f);
    snprintf(patch, sizeof patch, "{\"version\":%lld,\"address\":\"他人改过的地址\"}", was);
    CHECK_INT(th_call(&s, "PATCH", "/api/v1/facilities/2", tok, patch, NULL), 200);

    /* a stale row: refused, the error with the answer's request id */
    char csv[256];
    snprintf(csv, sizeof csv, "id,version,address\n2,%lld,表中的地址\n", was);
    json_t *o = NULL;
    CHECK_INT(th_call_raw(&s, "POST", "/api/v1/facilities/import", tok, csv, (long)strlen(csv),
                          "text/csv", &o, hdr, sizeof hdr),
              422);
    json_t *err = json_object_get(o, "error");
    CHECK_STR(json_string_value(json_object_get(err, "code")), "bad_row");
    CHECK_STR(json_string_value(json_object_get(err, "field")), "version");
    const char *rid = json_string_value(json_object_get(err, "request_id"));
    CHECK(rid && *rid);
    char want[96];
    snprintf(want, sizeof want, "X-Request-Id: %s\r\n", rid ? rid : "?");
    CHECK(strcasestr(hdr, want) != NULL);
    CHECK_STR(th_str(preview_at(o, 0), "action"), "error");
    CHECK_INT(th_int(preview_at(o, 0), "id"), 2);
    CHECK_STR(th_str(preview_at(o, 0), "name"), name);
    CHECK_STR(th_str(preview_at(o, 0), "township"), town);
    json_decref(o);

    /* a dry run: a good row, and a row the API refuses, by id, neither with a name or a
     * township column; a row naming no facility has none */
    o = UPLOAD(&s, tok, 1, "id,address\n2,新地址\n", 200);
    CHECK_STR(th_str(preview_at(o, 0), "action"), "updated");
    CHECK_INT(th_int(preview_at(o, 0), "id"), 2);
    CHECK_STR(th_str(preview_at(o, 0), "name"), name);
    CHECK_STR(th_str(preview_at(o, 0), "township"), town);
    json_decref(o);
    o = UPLOAD(&s, tok, 1, "id,lat,address\n2,95,\n,,无名\n", 200);
    CHECK_STR(th_str(preview_at(o, 0), "action"), "error");
    CHECK_STR(th_str(preview_at(o, 0), "column"), "lat");
    CHECK_INT(th_int(preview_at(o, 0), "id"), 2);
    CHECK_STR(th_str(preview_at(o, 0), "name"), name);
    CHECK_STR(th_str(preview_at(o, 0), "township"), town);
    CHECK_STR(th_str(preview_at(o, 1), "action"), "error");
    CHECK(json_is_null(json_object_get(preview_at(o, 1), "id")));
    CHECK_STR(th_str(preview_at(o, 1), "name"), "");
    json_decref(o);
    th_stop(&s);
}

/* Regression: a workbook cell whose formula failed (an error cell: a VLOOKUP's #N/A, a
 * reference to a deleted sheet's #REF!) was read as the text "#REF!" and a commit stored it as
 * the facility's address. Now the row is bad at that column, naming the error, and a commit
 * writes nothing. */
TEST_T(facility_import_xlsx_formula_error_is_refused, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    size_t n;
    char *x = th_xlsx_book(
        NULL,
        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c>"
        "<c r=\"B1\" t=\"inlineStr\"><is><t>address</t></is></c>"
        "<c r=\"C1\" t=\"inlineStr\"><is><t>peacetime_function</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"B2\" t=\"e\"><f>地址表!B2</f><v>#REF!</v></c>"
        "<c r=\"C2\" t=\"e\"><f>VLOOKUP(A2,功能!A:B,2,0)</f><v>#N/A</v></c></row>"
        "</sheetData></worksheet>",
        &n);
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *o = upload(&s, tok, "/api/v1/facilities/import?dry_run=1", XLSX, x, n, 200, __LINE__);
    CHECK_INT(th_int(o, "bad_rows"), 1);
    CHECK_INT(th_int(err_at(o, 0), "line"), 2);
    CHECK_STR(th_str(err_at(o, 0), "column"), "address");
    CHECK_STR(th_str(err_at(o, 0), "reason"), "formula_error");
    CHECK_STR(th_str(json_object_get(err_at(o, 0), "args"), "value"), "#REF!");
    CHECK_STR(th_str(err_at(o, 0), "message"),
              "line 2, column address: the cell holds the formula error #REF!");
    CHECK_STR(th_str(preview_at(o, 0), "action"), "error");
    CHECK_INT(th_int(preview_at(o, 0), "id"), 1); /* the facility the row names */
    json_decref(o);
    o = upload(&s, tok, "/api/v1/facilities/import", XLSX, x, n, 422, __LINE__);
    CHECK_STR(th_err_code(o), "bad_row");
    CHECK_STR(th_err_field(o), "address");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* the same text typed in a CSV is text */
    o = UPLOAD(&s, tok, 1, "id,address\n1,#REF!\n", 200);
    CHECK_INT(th_int(o, "bad_rows"), 0);
    json_decref(o);
    free(x);
    th_stop(&s);
}

/* Regression: the import took a facility's figures as they came (a 320-room hotel with 50,000
 * isolation rooms or 5,000 barrier-free rooms). It goes through the API's rule: a role in the
 * facility's peacetime unit above its peacetime_capacity, barrier-free rooms above its rooms,
 * are out_of_range at their column, nothing written. */
TEST_T(facility_import_figures_within_the_peacetime_capacity, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fa[TH_FINGERPRINT_SIZE], fb[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    long long id = th_sql_int(&s, "SELECT id FROM facilities WHERE name = '万达锦华酒店'");
    CHECK_INT(th_sql_int(&s, "SELECT peacetime_capacity FROM facilities WHERE name ="
                             " '万达锦华酒店' AND peacetime_unit = 'rooms'"),
              320);
    const char *csvs[] = {"id,isolation_rooms\n%lld,50000\n", "id,barrier_free_rooms\n%lld,5000\n"};
    const char *cols[] = {"isolation_rooms", "barrier_free_rooms"};
    th_fingerprint(&s, fa, sizeof fa);
    for (int i = 0; i < 2; i++) {
        char csv[200];
        snprintf(csv, sizeof csv, csvs[i], id);
        json_t *o = UPLOAD(&s, tok, 0, csv, 422);
        json_t *e = err_at(o, 0);
        CHECK_STR(th_str(e, "column"), cols[i]);
        CHECK_STR(th_str(json_object_get(e, "args"), "code"), "out_of_range");
        CHECK(strstr(th_str(e, "message"), "320") != NULL);
        json_decref(o);
    }
    th_fingerprint(&s, fb, sizeof fb);
    CHECK_STR(fb, fa);
    th_stop(&s);
}

/* The same data exports as the same workbook: its creation time (in its properties and its zip
 * entries) is the data's last change, not the time of the request. Before, two requests a
 * second apart differed (and a HEAD's Content-Length could be one byte off its GET's); after a
 * write, the workbook changes. */
TEST_T(facility_export_xlsx_same_data_same_bytes, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    const char *path = "/api/v1/facilities/export?format=xlsx";
    size_t l1, l2, l3;
    char *x1 = GET_BODY(&s, tok, path, &l1);
    sleep(2);
    char *x2 = GET_BODY(&s, tok, path, &l2);
    CHECK(l1 == l2 && !memcmp(x1, x2, l1));
    json_t *o = NULL;
    long long town = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'township'");
    char req[256];
    snprintf(req, sizeof req,
             "{\"name\":\"新酒店\",\"type\":\"hotel\",\"township_id\":%lld,\"lat\":40.1,"
             "\"lon\":117.1}",
             town);
    CHECK_INT(th_call(&s, "POST", "/api/v1/facilities", tok, req, &o), 201);
    json_decref(o);
    char *x3 = GET_BODY(&s, tok, path, &l3);
    CHECK(l3 != l1 || memcmp(x1, x3, l1));
    free(x1);
    free(x2);
    free(x3);
    th_stop(&s);
}

/* headings=zh: the export's columns under the Chinese headings the import reads (编号, 版本, 名称,
 * …), CSV and XLSX, the rows as with the English headings; the table imported back changes
 * nothing (every row unchanged, no write). Another value is 400 at headings. */
TEST_T(facility_export_chinese_headings_import_back_unchanged, 90)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    long long n = th_sql_int(&s, "SELECT COUNT(*) FROM facilities");
    size_t zl, el, xl;
    char *zh = GET_BODY(&s, tok, "/api/v1/facilities/export?headings=zh", &zl);
    char *en = GET_BODY(&s, tok, "/api/v1/facilities/export?headings=en", &el);
    const char *head = "编号,版本,名称,类型,乡镇,村/社区,地址,纬度,经度,运营单位,平时功能,平时容量,"
                       "平时单位,无障碍房间,隔离房间,安置床位,医疗床位,物资储备容积,物资储备重量,"
                       "转运通行能力\r\n";
    if (strncmp(zh, head, strlen(head))) t_fail(__FILE__, __LINE__, "headings=zh: %.200s", zh);
    CHECK(!strncmp(en, "id,version,name,type,", 21));
    /* the same rows under either heading */
    CHECK(strchr(zh, '\n') && strchr(en, '\n'));
    CHECK_STR(strchr(zh, '\n'), strchr(en, '\n'));
    char *x = GET_BODY(&s, tok, "/api/v1/facilities/export?format=xlsx&headings=zh", &xl);
    CHECK(pj_xlsx_sniff(x, xl));
    pj_arena a;
    pj_arena_init(&a, 1 << 16);
    pj_xlsx book;
    pj_err err;
    pj_err_clear(&err);
    CHECK_INT(pj_xlsx_read(&a, x, xl, 10000, &book, &err), 0);
    CHECK(book.nrows > 0 && book.rows[0].ncols == 20);
    CHECK_STR(book.rows[0].cells[0], "编号");
    CHECK_STR(book.rows[0].cells[4], "乡镇");
    CHECK_STR(book.rows[0].cells[19], "转运通行能力");
    CHECK_INT(book.nrows, n + 1);
    pj_arena_free(&a);
    /* imported back: a preview says nothing to change, a commit writes nothing */
    th_fingerprint(&s, fp0, sizeof fp0);
    json_t *o =
        upload(&s, tok, "/api/v1/facilities/import?dry_run=1", "text/csv", zh, zl, 200, __LINE__);
    CHECK(json_is_true(json_object_get(o, "ok")));
    CHECK_INT(th_int(o, "rows"), n);
    CHECK_INT(th_int(o, "unchanged"), n);
    CHECK_INT(th_int(o, "created") + th_int(o, "updated") + th_int(o, "bad_rows"), 0);
    json_decref(o);
    o = upload(&s, tok, "/api/v1/facilities/import?dry_run=1", XLSX, x, xl, 200, __LINE__);
    CHECK_INT(th_int(o, "rows"), n);
    CHECK_INT(th_int(o, "unchanged"), n);
    json_decref(o);
    o = upload(&s, tok, "/api/v1/facilities/import", XLSX, x, xl, 200, __LINE__);
    CHECK_INT(th_int(o, "unchanged"), n);
    json_decref(o);
    o = upload(&s, tok, "/api/v1/facilities/import", "text/csv", zh, zl, 200, __LINE__);
    CHECK_INT(th_int(o, "unchanged"), n);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    free(zh);
    free(en);
    free(x);
    /* another language is refused where the other parameters' values are */
    static const char *const bad[] = {"/api/v1/facilities/export?headings=fr",
                                      "/api/v1/facilities/export?format=xlsx&headings=ZH",
                                      "/api/v1/facilities/export?headings=zh-CN"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        json_t *e = NULL;
        int st = th_call(&s, "GET", bad[i], tok, NULL, &e);
        if (st != 400 || strcmp(th_err_field(e), "headings") || strcmp(th_err_code(e), "bad_query"))
            t_fail(__FILE__, __LINE__, "%s: %d %s at %s", bad[i], st, th_err_code(e),
                   th_err_field(e));
        CHECK(strstr(th_err_message(e), "en or zh") != NULL);
        json_decref(e);
    }
    th_stop(&s);
}

/* Regression: an export imported back moved a facility to another operator or village when a
 * name read as another record's key — an operator named "#3014" (an id), one named as another's
 * credit code, a village named as another village's code: the import takes those keys first.
 * Such names are exported by their key, and the table comes back unchanged. */
TEST_T(facility_export_names_that_read_as_keys_come_back_the_same, 90)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[400], path[96], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    long long town = th_sql_int(&s, "SELECT MIN(township_id) FROM facilities");
    long long other = th_sql_int(&s, "SELECT MIN(id) FROM organisations WHERE uscc IS NOT NULL");
    char uscc[40], vcode[40];
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", other);
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    snprintf(uscc, sizeof uscc, "%s", th_str(o, "uscc"));
    json_decref(o);
    /* the organisations and the village, made through the API */
    long long ids[3];
    const char *names[2] = {NULL, uscc};
    char hashname[32];
    snprintf(hashname, sizeof hashname, "#%lld", other);
    names[0] = hashname;
    for (int i = 0; i < 2; i++) {
        snprintf(body, sizeof body, "{\"name\":\"%s\",\"type\":\"operator\"}", names[i]);
        CHECK_INT(th_call(&s, "POST", "/api/v1/organisations", tok, body, &o), 201);
        ids[i] = th_int(o, "id");
        json_decref(o);
    }
    char q[300];
    snprintf(q, sizeof q,
             "SELECT id FROM regions WHERE type IN ('village', 'community') AND parent_id = %lld"
             " ORDER BY id LIMIT 1",
             town);
    long long v0 = th_sql_int(&s, q);
    snprintf(path, sizeof path, "/api/v1/regions/%lld", v0);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    snprintf(vcode, sizeof vcode, "%s", th_str(o, "code"));
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"type\":\"community\",\"parent_id\":%lld,\"code\":\"T-V9\",\"name\":\"%s\"}", town,
             vcode);
    CHECK_INT(th_call(&s, "POST", "/api/v1/regions", tok, body, &o), 201);
    ids[2] = th_int(o, "id");
    json_decref(o);
    /* three facilities of the township take them */
    snprintf(q, sizeof q,
             "UPDATE facilities SET operator_id = %lld WHERE id = (SELECT id FROM facilities WHERE"
             " township_id = %lld ORDER BY id LIMIT 1 OFFSET 0);"
             "UPDATE facilities SET operator_id = %lld WHERE id = (SELECT id FROM facilities WHERE"
             " township_id = %lld ORDER BY id LIMIT 1 OFFSET 1);",
             ids[0], town, ids[1], town);
    th_sql_exec(&s, q);
    snprintf(q, sizeof q,
             "UPDATE facilities SET village_id = %lld WHERE id = (SELECT id FROM facilities WHERE"
             " township_id = %lld ORDER BY id LIMIT 1 OFFSET 2)",
             ids[2], town);
    th_sql_exec(&s, q);
    snprintf(path, sizeof path, "/api/v1/facilities/export?township_id=%lld", town);
    size_t cl;
    char *c = GET_BODY(&s, tok, path, &cl);
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM facilities WHERE township_id = %lld", town);
    long long n = th_sql_int(&s, q);
    th_fingerprint(&s, fp0, sizeof fp0);
    o = upload(&s, tok, "/api/v1/facilities/import", "text/csv", c, cl, 200, __LINE__);
    CHECK_INT(th_int(o, "unchanged"), n);
    CHECK_INT(th_int(o, "updated"), 0);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    free(c);
    th_stop(&s);
}
