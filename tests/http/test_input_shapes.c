/* The codes of a value of the wrong shape, alike in every module (docs/api.md §1 and §5): a
 * date-time in a date field is out_of_range "must be a date YYYY-MM-DD" (the agri-tech,
 * logistics and drill-plan records, a reception day and an elder said "too_long … at most 10
 * characters"; a service log's times and a standard's effective_from of another form were
 * too long, not invalid); a list longer than its maximum is too_long (the appeals' attachments and
 * a reception day's lists said wrong_type); a code naming no record is unknown_id (an indicator
 * value's said 422 not_found, the code of a missing path); a reception day's leaders are names,
 * trimmed, none blank, each once (blanks were stored); a service log's end worked out from
 * minutes is refused at minutes, the field sent. Each refusal writes nothing. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "eldercare/el_fixture.h"
#include "logistics/rec_fixture.h"

/* a refusal's message holds `part` */
static void says(th_server *s, const char *m, const char *tok, const char *path, const char *body,
                 const char *part, const char *file, int line)
{
    json_t *o = th_call_want(s, m, tok, path, body, 422, file, line);
    if (!strstr(th_err_message(o), part))
        t_fail(file, line, "%s %s: \"%s\" does not say \"%s\"", m, path, th_err_message(o), part);
    json_decref(o);
}
#define SAYS(s, m, tok, path, body, part) says(s, m, tok, path, body, part, __FILE__, __LINE__)

TEST_T(input_dates_of_another_length_are_out_of_range_everywhere, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char off[80], path[96], body[300];
    th_login(&s, "officer", s.demo_pw, off);
    /* a record's date (a milestone's due), a drill plan's, a month (freight) */
    long long ms = th_sql_int(&s, "SELECT MIN(id) FROM ag_milestones");
    CHECK(ms > 0);
    snprintf(path, sizeof path, "/api/v1/agri/milestones/%lld", ms);
    snprintf(body, sizeof body, "{\"version\":%lld,\"due\":\"2026-12-07T10:00:00Z\"}",
             rec_sql1(&s, "SELECT version FROM ag_milestones WHERE id = %lld", ms));
    REFUSED_ON(&s, "PATCH", off, path, body, 422, "out_of_range", "due");
    SAYS(&s, "PATCH", off, path, body, "due must be a date YYYY-MM-DD");
    REFUSED_ON(&s, "POST", off, "/api/v1/drill-plans",
               "{\"facility_id\":1,\"scenario\":\"epidemic\",\"planned_date\":"
               "\"2099-03-15T00:00:00Z\"}",
               422, "out_of_range", "planned_date");
    REFUSED_ON(&s, "POST", off, "/api/v1/logistics/freight",
               "{\"month\":\"2024-03-01\",\"mode\":\"road\",\"tonnes\":5}", 422, "out_of_range",
               "month");
    SAYS(&s, "POST", off, "/api/v1/logistics/freight",
         "{\"month\":\"2024-3\",\"mode\":\"road\",\"tonnes\":5}", "month must be a month YYYY-MM");
    /* the right length and not a date: invalid_value, as before */
    snprintf(body, sizeof body, "{\"version\":%lld,\"due\":\"2026-02-30\"}",
             rec_sql1(&s, "SELECT version FROM ag_milestones WHERE id = %lld", ms));
    REFUSED_ON(&s, "PATCH", off, path, body, 422, "invalid_value", "due");
    th_stop(&s);
}

TEST_T(input_reception_day_leaders_trimmed_once_each_and_lists_too_long, 90)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[96], body[1200];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *o;
    /* (a year is scheduled once its holiday calendar is recorded) */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", NULL),
              201);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    long long id = th_int(json_array_get(json_object_get(o, "created"), 2), "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld", id);
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT version FROM ent_reception_days WHERE id = %lld", id);
    long long v = th_sql_int(&s, sql);
#define WITH(fields) (snprintf(body, sizeof body, "{\"version\":%lld,%s}", v, fields), body)
    REFUSED_ON(&s, "PATCH", off, path, WITH("\"leaders\":[\"  \"]"), 422, "invalid_value",
               "leaders");
    REFUSED_ON(&s, "PATCH", off, path, WITH("\"leaders\":[\"区长\",\"\\u3000\"]"), 422,
               "invalid_value", "leaders");
    REFUSED_ON(&s, "PATCH", off, path, WITH("\"leaders\":[\"区长\",\" 区长\"]"), 422,
               "invalid_value", "leaders");
    SAYS(&s, "PATCH", off, path, body, "区长 is named twice");
    REFUSED_ON(&s, "PATCH", off, path, WITH("\"leaders\":[1]"), 422, "wrong_type", "leaders");
    REFUSED_ON(&s, "PATCH", off, path, WITH("\"leaders\":\"区长\""), 422, "wrong_type", "leaders");
    char many[400] = "\"leaders\":[";
    for (int i = 0; i < 21; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "%s\"领导%d\"", i ? "," : "", i);
    strcat(many, "]");
    REFUSED_ON(&s, "PATCH", off, path, WITH(many), 422, "too_long", "leaders");
    SAYS(&s, "PATCH", off, path, body, "leaders holds at most 20 names, not 21");
    char depts[400] = "\"department_ids\":[";
    for (int i = 0; i < 41; i++)
        snprintf(depts + strlen(depts), sizeof depts - strlen(depts), "%s%d", i ? "," : "", i + 1);
    strcat(depts, "]");
    REFUSED_ON(&s, "PATCH", off, path, WITH(depts), 422, "too_long", "department_ids");
    REFUSED_ON(&s, "PATCH", off, path, WITH("\"held_on\":\"2099-03-02T00:00:00Z\""), 422,
               "out_of_range", "held_on");
    /* stored without the spaces around each name */
    o = th_call_want(&s, "PATCH", off, path, WITH("\"leaders\":[\" 区长 \",\"\\u3000副区长\\t\"]"),
                     200, __FILE__, __LINE__);
    json_t *l = json_object_get(o, "leaders");
    CHECK_INT((long long)json_array_size(l), 2);
    CHECK_STR(json_string_value(json_array_get(l, 0)), "区长");
    CHECK_STR(json_string_value(json_array_get(l, 1)), "副区长");
    json_decref(o);
    snprintf(sql, sizeof sql,
             "SELECT leaders = '[\"区长\",\"副区长\"]' FROM ent_reception_days"
             " WHERE id = %lld",
             id);
    CHECK_INT(th_sql_int(&s, sql), 1);
#undef WITH
    /* an appeal of eleven attachments: too long, not of the wrong type */
    REFUSED_ON(&s, "POST", jd, "/api/v1/enterprise/appeals",
               "{\"type\":\"inquiry\",\"category\":\"tax\",\"title\":\"发票\",\"description\":"
               "\"问\",\"attachments\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\","
               "\"j\",\"k\"]}",
               422, "too_long", "attachments");
    th_stop(&s);
}

TEST_T(input_unknown_indicator_code_a_log_ending_later_and_other_dates, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char off[80], g[80], body[300];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    REFUSED_ON(&s, "POST", off, "/api/v1/indicators/values",
               "{\"code\":\"GDP\",\"period\":\"2014\",\"value\":1}", 422, "unknown_id", "code");
    SAYS(&s, "POST", off, "/api/v1/indicators/values",
         "{\"code\":\"GDP\",\"period\":\"2014\",\"value\":1}", "no indicator with code GDP");
    REFUSED_ON(&s, "POST", off, "/api/v1/indicators/targets",
               "{\"code\":\"nosuch\",\"period\":\"2035\",\"value\":5}", 422, "unknown_id", "code");

    /* a log begun a minute ago, of 30 minutes: the minutes are refused, not a time_out sent by
     * nobody; alone and in a quick entry */
    long long e = el_elder(&s, g, el_grid01_grid(&s), 1, "");
    char tin[21];
    pj_time_iso(pj_now() - 60, tin);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"kind\":\"companionship\",\"time_in\":\"%s\",\"minutes\":30}", e,
             tin);
    REFUSED_ON(&s, "POST", off, "/api/v1/service-logs", body, 422, "out_of_range", "minutes");
    snprintf(body, sizeof body,
             "{\"entries\":[{\"elder_id\":%lld,\"kind\":\"companionship\",\"time_in\":\"%s\","
             "\"minutes\":30}]}",
             e, tin);
    REFUSED_ON(&s, "POST", off, "/api/v1/service-logs", body, 422, "out_of_range",
               "entries[0].minutes");
    /* a time of another form: not of the form, not too long */
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"kind\":\"companionship\",\"time_in\":"
             "\"2026-12-07T08:00:00+08:00\",\"minutes\":30}",
             e);
    REFUSED_ON(&s, "POST", off, "/api/v1/service-logs", body, 422, "invalid_value", "time_in");
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"kind\":\"companionship\",\"time_in\":\"%s\",\"time_out\":"
             "\"2026-12-07T08:00:00.5Z\"}",
             e, tin);
    REFUSED_ON(&s, "POST", off, "/api/v1/service-logs", body, 422, "invalid_value", "time_out");
    /* an elder's date given a date-time (too_long "at most 10 characters" before); a standard's
     * effective_from of another form than the two it takes (too_long "at most 20") */
    char path[64], sql[96];
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e);
    snprintf(sql, sizeof sql, "SELECT version FROM elders WHERE id = %lld", e);
    snprintf(body, sizeof body, "{\"version\":%lld,\"birth_date\":\"1940-03-15T00:00:00Z\"}",
             th_sql_int(&s, sql));
    REFUSED_ON(&s, "PATCH", g, path, body, 422, "out_of_range", "birth_date");
    SAYS(&s, "PATCH", g, path, body, "birth_date must be a date YYYY-MM-DD");
    REFUSED_ON(&s, "POST", off, "/api/v1/standards",
               "{\"facility_type\":\"hotel\",\"scenario\":\"event\",\"role\":\"isolation\","
               "\"target_hours\":12,\"effective_from\":\"2026-12-07T10:00:00+08:00\"}",
               422, "invalid_value", "effective_from");
    th_stop(&s);
}
