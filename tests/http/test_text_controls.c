/* A text a person reads holds no control character: a name with a bell (U+0007), a terminal
 * escape (ESC [31m) or a line break went into the CSV exports, the command line's tables and
 * the access log as it was (and a C1 control, U+009B, is a terminal's CSI), and the bidirectional
 * overrides (U+202A–U+202E, U+2066–U+2069) showed a name reversed in the console. Every text of a
 * JSON body and of an import is checked in one place (pj_in_str, pj_text_check): a text of one line
 * refuses all of them, a text of several lines (a note, a description, …) keeps its line breaks and
 * tabs. 422 invalid_value on the field, nothing written. */
#include <stdio.h>
#include <string.h>

#include "domain/agritech.h"
#include "domain/ecommerce.h"
#include "domain/enterprise.h"
#include "domain/indicator.h"
#include "domain/input.h"
#include "domain/logistics.h"
#include "eldercare/el_fixture.h"
#include "t.h"
#include "th.h"

TEST(text_bad_char_finds_controls_del_and_bidi)
{
    CHECK_INT(pj_text_bad_char("酒店 Hotel-1 (东区)", strlen("酒店 Hotel-1 (东区)"), 0), -1);
    CHECK_INT(pj_text_bad_char("Hotel\a", 6, 0), 7);
    CHECK_INT(pj_text_bad_char("\x1b[31mX", 6, 1), 0x1b);
    CHECK_INT(pj_text_bad_char("a\nb", 3, 0), '\n');
    CHECK_INT(pj_text_bad_char("a\tb", 3, 0), '\t');
    CHECK_INT(pj_text_bad_char("a\r\nb\tc", 6, 1), -1);
    CHECK_INT(pj_text_bad_char("a\x7f", 2, 1), 0x7f);
    CHECK_INT(pj_text_bad_char("a\xe2\x80\xae"
                               "b",
                               5, 1),
              0x202E); /* RLO */
    CHECK_INT(pj_text_bad_char("a\xe2\x80\xaa"
                               "b",
                               5, 0),
              0x202A);                                          /* LRE */
    CHECK_INT(pj_text_bad_char("a\xe2\x81\xa6", 4, 0), 0x2066); /* LRI */
    CHECK_INT(pj_text_bad_char("a\xe2\x81\xa9", 4, 0), 0x2069); /* PDI */
    /* the C1 controls: U+0080, U+0085 (next line), U+009B (CSI), U+009F; U+00A0 and U+00B7
     * after them are text */
    CHECK_INT(pj_text_bad_char("a\xc2\x80", 3, 0), 0x80);
    CHECK_INT(pj_text_bad_char("a\xc2\x85", 3, 1), 0x85);
    CHECK_INT(pj_text_bad_char("\xc2\x9b"
                               "31m",
                               5, 0),
              0x9B);
    CHECK_INT(pj_text_bad_char("a\xc2\x9f", 3, 1), 0x9F);
    CHECK_INT(pj_text_bad_char("a\xc2\xa0\xc2\xb7", 5, 0), -1);
    /* their neighbours are ordinary text: U+2029 (paragraph separator, a space), U+202F, U+2065 */
    CHECK_INT(pj_text_bad_char("\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5", 9, 0), -1);
    CHECK_INT(pj_text_multiline("note"), 1);
    CHECK_INT(pj_text_multiline("name"), 0);
}

static const char *const single_bad[] = {"Hotel\\u0007",        "\\u001b[31mHotel", "Hotel\\nB",
                                         "Hotel\\tB",           "Hotel\\u007f",     "Hotel\\u202eB",
                                         "\\u2066Hotel\\u2069", "Hotel\\u009b31m"};
static const char *const multi_bad[] = {"a\\u0007", "\\u001b[31ma", "a\\u007f", "a\\u202eb",
                                        "a\\u0085b"};

static void patch_expect(th_server *s, const char *tok, const char *path, long long version,
                         const char *field, const char *value, int want)
{
    char body[512];
    snprintf(body, sizeof body, "{\"version\":%lld,\"%s\":\"%s\"}", version, field, value);
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(s, before, sizeof before);
    json_t *o = NULL;
    int st = th_call(s, "PATCH", path, tok, body, &o);
    if (st != want)
        t_fail(__FILE__, __LINE__, "PATCH %s %s: %d, expected %d (%s)", path, body, st, want,
               o ? th_err_message(o) : "-");
    if (want == 422) {
        CHECK_STR(th_err_code(o), "invalid_value");
        CHECK_STR(th_err_field(o), field);
        th_fingerprint(s, after, sizeof after);
        CHECK_STR(after, before);
    }
    json_decref(o);
}

TEST_T(text_controls_refused_on_every_kind_of_record, 180)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 50);
    th_demo(&s, pj_indicators_demo);
    th_demo(&s, pj_ecommerce_demo);
    th_demo(&s, pj_academy_demo);
    th_demo(&s, pj_enterprise_demo);
    th_demo(&s, pj_agritech_demo);
    th_demo(&s, pj_logistics_demo);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    static const struct {
        const char *table, *path, *field;
        int multi;
    } rows[] = {
        {"facilities", "/api/v1/facilities/%lld", "name", 0},
        {"facilities", "/api/v1/facilities/%lld", "address", 0},
        {"facilities", "/api/v1/facilities/%lld", "peacetime_unit", 0},
        {"organisations", "/api/v1/organisations/%lld", "name", 0},
        {"organisations", "/api/v1/organisations/%lld", "contact_name", 0},
        {"regions", "/api/v1/regions/%lld", "name", 0},
        {"elders", "/api/v1/elders/%lld", "name", 0},
        {"helpers", "/api/v1/helpers/%lld", "availability", 0},
        {"elder_centres", "/api/v1/elder-centres/%lld", "name", 0},
        {"indicators", "/api/v1/indicators/%lld", "unit", 0},
        {"indicators", "/api/v1/indicators/%lld", "description", 1},
        {"indicator_values", "/api/v1/indicators/values/%lld", "note", 1},
        {"ec_streamers", "/api/v1/ecommerce/streamers/%lld", "name", 0},
        {"ac_courses", "/api/v1/academy/courses/%lld", "title", 0},
        {"ent_policies", "/api/v1/enterprise/policies/%lld", "title", 0},
        {"ent_policies", "/api/v1/enterprise/policies/%lld", "benefit", 1},
        {"ag_labs", "/api/v1/agri/labs/%lld", "name", 0},
        {"lg_parks", "/api/v1/logistics/parks/%lld", "name", 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char sql[160], path[96];
        snprintf(sql, sizeof sql, "SELECT MIN(id) FROM %s", rows[i].table);
        long long id = th_sql_int(&s, sql);
        if (id <= 0) t_fail(__FILE__, __LINE__, "no row in %s", rows[i].table);
        snprintf(path, sizeof path, rows[i].path, id);
        snprintf(sql, sizeof sql, "SELECT version FROM %s WHERE id = %lld", rows[i].table, id);
        long long ver = th_sql_int(&s, sql);
        const char *const *bad = rows[i].multi ? multi_bad : single_bad;
        size_t nbad = rows[i].multi ? sizeof multi_bad / sizeof *multi_bad
                                    : sizeof single_bad / sizeof *single_bad;
        for (size_t k = 0; k < nbad; k++)
            patch_expect(&s, tok, path, ver, rows[i].field, bad[k], 422);
        /* a text of several lines keeps its line breaks and tabs */
        if (rows[i].multi) {
            patch_expect(&s, tok, path, ver, rows[i].field, "line one\\r\\nline two\\titem", 200);
            snprintf(sql, sizeof sql,
                     "SELECT %s = 'line one' || char(13, 10) || 'line two' || char(9) || 'item'"
                     " FROM %s WHERE id = %lld",
                     rows[i].field, rows[i].table, id);
            CHECK_INT(th_sql_int(&s, sql), 1);
        }
    }

    /* a create, and texts inside a body's lists and objects */
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    long long town = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'township'");
    char body[512];
    snprintf(body, sizeof body,
             "{\"name\":\"Hotel\\u001b[31m\",\"type\":\"hotel\",\"township_id\":%lld,"
             "\"lat\":40.1,\"lon\":117.1}",
             town);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/facilities", tok, body, &o), 422);
    CHECK_STR(th_err_code(o), "invalid_value");
    CHECK_STR(th_err_field(o), "name");
    json_decref(o);
    char elder_path[64];
    long long elder = th_sql_int(&s, "SELECT MIN(id) FROM elders");
    snprintf(elder_path, sizeof elder_path, "/api/v1/elders/%lld", elder);
    snprintf(body, sizeof body,
             "{\"version\":%lld,\"emergency_contacts\":[{\"name\":\"王\\u202e芳\","
             "\"relation\":\"女儿\",\"phone\":\"13800001234\"}]}",
             th_sql_int(&s, "SELECT version FROM elders WHERE id = (SELECT MIN(id) FROM elders)"));
    CHECK_INT(th_call(&s, "PATCH", elder_path, tok, body, &o), 422);
    CHECK_STR(th_err_code(o), "invalid_value");
    CHECK_STR(th_err_field(o), "emergency_contacts");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);

    /* a NUL is refused by the JSON parser already (jansson without JSON_ALLOW_NUL) */
    CHECK_INT(th_call(&s, "POST", "/api/v1/facilities", tok, "{\"name\":\"a\\u0000b\"}", &o), 400);
    CHECK_STR(th_err_code(o), "invalid_json");
    /* said as the sender can mend it, not by the parser's flag (regression) */
    CHECK(strstr(th_err_message(o), "\\u0000 (NUL)") != NULL);
    CHECK(strstr(th_err_message(o), "JSON_ALLOW_NUL") == NULL);
    json_decref(o);
    th_stop(&s);
}

/* The steps of a conversion manual: their names, team types and checklist items are of one
 * line, given as JSON or as CSV (a bad CSV line is refused with its number). */
TEST(text_controls_refused_in_manual_steps)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = th_sql_int(&s, "SELECT MIN(id) FROM facilities WHERE type = 'hotel' AND"
                                   " state = 'peacetime'");
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    char body[1024];
    json_t *o;
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"event\",\"role\":\"isolation\",\"title\":\"t\","
             "\"steps\":[{\"code\":\"A\",\"name\":\"a\",\"planned_minutes\":10,\"team_type\":"
             "\"medical\",\"checklist\":[\"ok\",\"x\\u001b[2J\"]}]}",
             fid);
    CHECK_INT(th_call(&s, "POST", "/api/v1/manuals", tok, body, &o), 422);
    CHECK_STR(th_err_code(o), "invalid_value");
    CHECK(strstr(th_err_field(o), "checklist") != NULL);
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"event\",\"role\":\"isolation\",\"title\":\"t\","
             "\"csv\":\"phase,code,name,planned_minutes,team_type,team_count,predecessors,"
             "checklist\\nconvert,A,a,10,medical,1,,\\nconvert,B,b\\u0007,10,medical,1,A,\\n\"}",
             fid);
    CHECK_INT(th_call(&s, "POST", "/api/v1/manuals", tok, body, &o), 422);
    CHECK_STR(th_err_code(o), "bad_csv");
    CHECK(strstr(th_err_message(o), "line 3") != NULL);
    CHECK(strstr(th_err_message(o), "name") != NULL);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    th_stop(&s);
}

/* The imports refuse such a row with its line, as they refuse other bad rows. */
TEST(text_controls_refused_in_imports)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_indicators_demo);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    json_t *o;
    /* statistics: a note of several lines is fine, a bell in it or in a source is not */
    CHECK_INT(th_call(&s, "POST", "/api/v1/indicators/import", tok,
                      "{\"dry_run\":true,\"csv\":\"code,period,value,source,note\\n"
                      "gdp,1931,1.5,统计局,\\\"two\\nlines\\\"\\n"
                      "gdp,1932,1.5,统计局,a\\u0007b\\n"
                      "gdp,1933,1.5,统计\\u202e局,\\n\"}",
                      &o),
              200);
    CHECK_INT(th_int(o, "bad_rows"), 2);
    json_t *e0 = json_array_get(json_object_get(o, "errors"), 0),
           *e1 = json_array_get(json_object_get(o, "errors"), 1);
    CHECK_INT(th_int(e0, "line"), 4);
    CHECK_STR(th_str(e0, "column"), "note");
    CHECK_STR(th_str(e0, "reason"), "bad_character");
    CHECK_INT(th_int(e1, "line"), 5);
    CHECK_STR(th_str(e1, "column"), "source");
    json_decref(o);
    /* facilities: a row's texts go through the API's checks */
    const char *csv = "name,type,township,lat,lon\n"
                      "好酒店,hotel,滨河街道,40.1,117.1\n"
                      "\"坏\x1b[31m酒店\",hotel,滨河街道,40.1,117.1\n";
    CHECK_INT(th_call_raw(&s, "POST", "/api/v1/facilities/import", tok, csv, (long)strlen(csv),
                          "text/csv", &o, NULL, 0),
              422);
    CHECK_STR(th_err_code(o), "bad_row");
    CHECK_STR(th_err_field(o), "name");
    CHECK(strstr(th_err_message(o), "line 3") != NULL);
    e0 = json_array_get(json_object_get(o, "errors"), 0);
    CHECK_STR(th_str(json_object_get(e0, "args"), "code"), "invalid_value");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    th_stop(&s);
}
