/* The texts a person reads in the eldercare registers are not white space only: an elder's or
 * a helper's name, an emergency contact's name and relation, the family doctor and clinic, the
 * note an alert is resolved with (required: "   " resolved alerts with no note). Refused with
 * 422 on the field, nothing written; the rest of the rules unchanged. */
#include "el_fixture.h"

/* method path body as tok: 422 with code and field, and nothing written */
static void refused(th_server *s, const char *tok, const char *method, const char *path,
                    const char *body, const char *code, const char *field, int line)
{
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(s, before, sizeof before);
    json_t *o = el_call(s, tok, method, path, body, 422, line);
    json_t *e = o ? json_object_get(o, "error") : NULL;
    const char *c = e ? json_string_value(json_object_get(e, "code")) : NULL;
    const char *f = e ? json_string_value(json_object_get(e, "field")) : NULL;
    if (!c || strcmp(c, code) || !f || strcmp(f, field))
        t_fail(__FILE__, line, "%s %s: %s on %s, expected %s on %s", method, path, c ? c : "-",
               f ? f : "-", code, field);
    json_decref(o);
    th_fingerprint(s, after, sizeof after);
    if (strcmp(before, after)) t_fail(__FILE__, line, "%s %s wrote something", method, path);
}
#define REFUSED(s, tok, m, path, body, code, field)                                                \
    refused(s, tok, m, path, body, code, field, __LINE__)

TEST_T(eldercare_names_and_notes_not_blank, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[128], body[512], id[19], sql[200];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    /* a new elder named with spaces (an ideographic one too) */
    el_id(id, "19400315", 7, 'F');
    for (int k = 0; k < 2; k++) {
        snprintf(body, sizeof body,
                 "{\"name\":\"%s\",\"sex\":\"F\",\"birth_date\":\"1940-03-15\",\"id_number\":"
                 "\"%s\",\"grid_id\":%lld,\"ability_level\":1}",
                 k ? "\\u3000" : "   ", id, grid);
        REFUSED(&s, g, "POST", "/api/v1/elders", body, "missing_field", "name");
    }
    long long eid = el_elder(&s, g, grid, 1, "");
    snprintf(path, sizeof path, "/api/v1/elders/%lld", eid);
    REFUSED(&s, g, "PATCH", path, "{\"version\":1,\"name\":\" \\t \"}", "missing_field", "name");
    REFUSED(&s, g, "PATCH", path,
            "{\"version\":1,\"doctor_name\":\"  \",\"doctor_from\":\"2020-01-01\","
            "\"doctor_until\":\"2099-12-31\"}",
            "missing_field", "doctor_name");
    REFUSED(&s, g, "PATCH", path,
            "{\"version\":1,\"doctor_name\":\"李医生\",\"doctor_clinic\":\" \"}", "missing_field",
            "doctor_clinic");
    REFUSED(&s, g, "PATCH", path,
            "{\"version\":1,\"emergency_contacts\":[{\"name\":\"  \",\"relation\":\"儿子\","
            "\"phone\":\"13800001111\"}]}",
            "invalid_value", "emergency_contacts");
    REFUSED(&s, g, "PATCH", path,
            "{\"version\":1,\"emergency_contacts\":[{\"name\":\"王强\",\"relation\":\"\\u3000\","
            "\"phone\":\"13800001111\"}]}",
            "invalid_value", "emergency_contacts");
    /* the same with words is taken */
    json_t *o = EL(&s, g, "PATCH", path,
                   "{\"version\":1,\"doctor_name\":\"李医生\",\"doctor_clinic\":\"镇卫生院\","
                   "\"emergency_contacts\":[{\"name\":\"王强\",\"relation\":\"儿子\","
                   "\"phone\":\"13800001111\"}]}",
                   200);
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    /* a helper */
    long long hid = el_helper(&s, g, grid, 2, "1970-05-01", 'F', "");
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", hid);
    REFUSED(&s, g, "PATCH", path, "{\"version\":1,\"name\":\"\\u3000\\u3000\"}", "missing_field",
            "name");
    /* an alert resolved with a note of spaces */
    json_decref(EL(&s, off, "POST", "/api/v1/elder-alerts/scan", "{}", 200));
    snprintf(sql, sizeof sql,
             "SELECT id FROM elder_alerts WHERE elder_id = %lld AND kind = 'no_doctor'", eid);
    long long aid = th_sql_int(&s, sql);
    CHECK(aid > 0);
    snprintf(path, sizeof path, "/api/v1/elder-alerts/%lld/resolve", aid);
    REFUSED(&s, g, "POST", path, "{\"version\":1,\"note\":\"   \"}", "missing_field", "note");
    snprintf(path, sizeof path, "/api/v1/elder-alerts/%lld/ack", aid);
    REFUSED(&s, g, "POST", path, "{\"version\":1,\"note\":\"\\n\"}", "missing_field", "note");
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM elder_alerts WHERE state = 'resolved'"), 0);
    snprintf(path, sizeof path, "/api/v1/elder-alerts/%lld/resolve", aid);
    o = EL(&s, g, "POST", path, "{\"version\":1,\"note\":\"已签约家庭医生\"}", 200);
    CHECK_STR(th_str(o, "state"), "resolved");
    json_decref(o);
    th_stop(&s);
}
