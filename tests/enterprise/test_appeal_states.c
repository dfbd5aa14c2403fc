/* Appeals' state machine and texts: a reopened round needs a return visit of its own; an
 * appeal escalated without a department is dispatched before anything else; the actions' texts
 * are not blank; a reception day's state changes only from planned. */
#include <stdio.h>
#include <string.h>

#include "domain/enterprise_calendar.h"
#include "enterprise/appeal_fixture.h"
#include "t.h"
#include "th.h"

/* true when GET /return-visits lists the appeal */
static int awaits_visit(th_server *s, const char *tok, long long id)
{
    return th_list_has(s, tok, "/api/v1/enterprise/return-visits?limit=500", "id", id);
}

/* Regression: a not_satisfied rating gave the new round a deadline of its own but left the
 * return visit due at the first round's deadline, and a call-back made in the first round kept
 * the reopened appeal off the return-visit list for good. The reopening sets visit_due to the
 * new round's complete_due and clears the earlier round's visit (kept in the events). */
TEST(enterprise_appeal_reopened_round_needs_its_own_visit)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], sql[256];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long id = ap_accepted_appeal(&s, off, jd);
    /* the first round past its deadline, then answered and called back */
    snprintf(sql, sizeof sql,
             "UPDATE ent_appeals SET complete_due = strftime('%%s','now') - 3600, visit_due ="
             " strftime('%%s','now') - 3600 WHERE id = %lld",
             id);
    th_sql_exec(&s, sql);
    json_t *o;
    CHECK_INT(ap_act(&s, off, id, "reply", "{\"version\":3,\"reply\":\"a\",\"resolved\":true}", &o),
              200);
    json_decref(o);
    CHECK(awaits_visit(&s, off, id));
    CHECK_INT(ap_act(&s, off, id, "visit", "{\"version\":4,\"note\":\"第一轮回访\"}", &o), 200);
    CHECK(!json_is_null(json_object_get(o, "visited_at")));
    json_decref(o);
    CHECK(!awaits_visit(&s, off, id));
    CHECK_INT(ap_act(&s, jd, id, "rate", "{\"version\":5,\"rating\":\"not_satisfied\"}", &o), 200);
    CHECK_STR(th_str(o, "state"), "reopened");
    /* the new round's call-back falls due with the new round */
    CHECK_STR(th_str(o, "visit_due"), th_str(o, "complete_due"));
    CHECK(json_is_null(json_object_get(o, "visited_at")));
    CHECK_STR(th_str(o, "visit_note"), "");
    json_decref(o);
    CHECK(!awaits_visit(&s, off, id)); /* not before its deadline */
    /* the first round's visit stays in the history */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    int seen = 0;
    json_t *ev = json_object_get(o, "events");
    for (size_t k = 0; k < json_array_size(ev); k++)
        if (!strcmp(th_str(json_array_get(ev, k), "action"), "visit"))
            seen += !strcmp(th_str(json_array_get(ev, k), "note"), "第一轮回访");
    CHECK_INT(seen, 1);
    json_decref(o);
    /* time passes the second round's deadline (both moved back alike): listed until it is
     * called back */
    snprintf(sql, sizeof sql,
             "UPDATE ent_appeals SET visit_due = visit_due - (complete_due -"
             " (strftime('%%s','now') - 60)), complete_due = strftime('%%s','now') - 60"
             " WHERE id = %lld",
             id);
    th_sql_exec(&s, sql);
    CHECK(awaits_visit(&s, off, id));
    CHECK_INT(ap_act(&s, off, id, "visit", "{\"version\":6,\"note\":\"第二轮回访\"}", &o), 200);
    json_decref(o);
    CHECK(!awaits_visit(&s, off, id));
    th_stop(&s);
}

/* Regression: an appeal the overdue sweep escalated without a department (none could be named:
 * the catalogue's returned it) took a reply, so nobody held the appeal that answered it; the
 * docs and the console have it dispatched first. reply is 409 wrong_state on it, nothing
 * written; once dispatched (and accepted) it is answered as any other. An appeal escalated
 * with its department is still answered directly. */
TEST(enterprise_appeal_escalated_without_department_not_replied)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], body[160], path[96], before[TH_FINGERPRINT_SIZE],
        after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long commerce = th_sql_int(&s, "SELECT id FROM organisations WHERE name = '平谷区商务局'");
    long long agri = th_sql_int(&s, "SELECT id FROM organisations WHERE name = '平谷区农业农村局'");
    json_t *o;
    snprintf(body, sizeof body, "{\"category\":\"permits\",\"department_id\":%lld}", commerce);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/dispatch-catalogue", off, body, NULL), 200);
    /* r: returned by the catalogue's department; k: in hand at the catalogue's department */
    long long r = ap_accepted_appeal(&s, off, jd), k = ap_accepted_appeal(&s, off, jd);
    CHECK_INT(ap_act(&s, off, r, "return", "{\"version\":3,\"reason\":\"不归我们\"}", NULL), 200);
    char sql[200];
    snprintf(sql, sizeof sql,
             "UPDATE ent_appeals SET complete_due = strftime('%%s','now') - 3600 WHERE id IN"
             " (%lld, %lld)",
             r, k);
    th_sql_exec(&s, sql);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeal-sweeps", off, "{}", &o), 200);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", r);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    CHECK_STR(th_str(o, "state"), "escalated");
    CHECK(json_is_null(json_object_get(o, "department_id")));
    long long v = th_int(o, "version");
    json_decref(o);
    th_fingerprint(&s, before, sizeof before);
    snprintf(body, sizeof body, "{\"version\":%lld,\"reply\":\"已办理\",\"resolved\":true}", v);
    CHECK_INT(ap_act(&s, off, r, "reply", body, &o), 409);
    CHECK_STR(th_err_code(o), "wrong_state");
    CHECK_STR(th_err_field(o), "state");
    CHECK(strstr(th_err_message(o), "dispatch it first") != NULL);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    snprintf(body, sizeof body, "{\"version\":%lld,\"department_id\":%lld}", v, agri);
    CHECK_INT(ap_act(&s, off, r, "dispatch", body, NULL), 200);
    snprintf(body, sizeof body, "{\"version\":%lld}", v + 1);
    CHECK_INT(ap_act(&s, off, r, "accept", body, NULL), 200);
    snprintf(body, sizeof body, "{\"version\":%lld,\"reply\":\"已办理\",\"resolved\":true}", v + 2);
    CHECK_INT(ap_act(&s, off, r, "reply", body, &o), 200);
    CHECK_STR(th_str(o, "state"), "replied");
    CHECK_INT(th_int(o, "department_id"), agri);
    json_decref(o);
    /* escalated in its department's hands: answered directly */
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", k);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    CHECK_STR(th_str(o, "state"), "escalated");
    CHECK_INT(th_int(o, "department_id"), commerce);
    v = th_int(o, "version");
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":%lld,\"reply\":\"已办理\",\"resolved\":true}", v);
    CHECK_INT(ap_act(&s, off, k, "reply", body, NULL), 200);
    th_stop(&s);
}

/* Regression: an appeal returned by the catalogue's department and escalated by the sweep
 * without a department went back to the department that returned it, by default (the
 * catalogue) and when named. Both are refused now as for a returned appeal: the default is 422
 * missing_field, the department named 422 invalid_value, both on department_id and nothing
 * written; another department takes it. */
TEST(enterprise_appeal_escalated_after_return_not_dispatched_to_returner)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], body[160], path[96], before[TH_FINGERPRINT_SIZE],
        after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long commerce = th_sql_int(&s, "SELECT id FROM organisations WHERE name = '平谷区商务局'");
    long long agri = th_sql_int(&s, "SELECT id FROM organisations WHERE name = '平谷区农业农村局'");
    json_t *o;
    snprintf(body, sizeof body, "{\"category\":\"permits\",\"department_id\":%lld}", commerce);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/dispatch-catalogue", off, body, NULL), 200);
    long long r = ap_accepted_appeal(&s, off, jd);
    CHECK_INT(ap_act(&s, off, r, "return", "{\"version\":3,\"reason\":\"不归我们\"}", NULL), 200);
    char sql[160];
    snprintf(sql, sizeof sql,
             "UPDATE ent_appeals SET complete_due = strftime('%%s','now') - 3600 WHERE id = %lld",
             r);
    th_sql_exec(&s, sql);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeal-sweeps", off, "{}", &o), 200);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", r);
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    CHECK_STR(th_str(o, "state"), "escalated");
    CHECK(json_is_null(json_object_get(o, "department_id")));
    long long v = th_int(o, "version");
    json_decref(o);
    th_fingerprint(&s, before, sizeof before);
    snprintf(body, sizeof body, "{\"version\":%lld}", v);
    CHECK_INT(ap_act(&s, off, r, "dispatch", body, &o), 422);
    CHECK_STR(th_err_code(o), "missing_field");
    CHECK_STR(th_err_field(o), "department_id");
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":%lld,\"department_id\":%lld}", v, commerce);
    CHECK_INT(ap_act(&s, off, r, "dispatch", body, &o), 422);
    CHECK_STR(th_err_code(o), "invalid_value");
    CHECK_STR(th_err_field(o), "department_id");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    snprintf(body, sizeof body, "{\"version\":%lld,\"department_id\":%lld}", v, agri);
    CHECK_INT(ap_act(&s, off, r, "dispatch", body, &o), 200);
    CHECK_STR(th_str(o, "state"), "dispatched");
    CHECK_INT(th_int(o, "department_id"), agri);
    json_decref(o);
    th_stop(&s);
}

/* Regression: a return's reason, a reply and a return visit's note of white space only
 * (spaces, tabs, line breaks, U+3000) were taken and stood in the event log as the action's
 * note with nothing to read. Each is 422 missing_field on its field now, nothing written;
 * text with spaces around it is text. */
TEST(enterprise_appeal_action_blank_texts_refused)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], body[160], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long id = ap_accepted_appeal(&s, off, jd);
    static const char *const blanks[] = {"   ", " \\t\\n ", "\u3000\u3000"};
    static const struct {
        const char *action, *fmt, *field;
    } cases[] = {
        {"return", "{\"version\":3,\"reason\":\"%s\"}", "reason"},
        {"reply", "{\"version\":3,\"reply\":\"%s\",\"resolved\":true}", "reply"},
        {"visit", "{\"version\":3,\"note\":\"%s\"}", "note"},
    };
    th_fingerprint(&s, before, sizeof before);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (size_t b = 0; b < sizeof blanks / sizeof blanks[0]; b++) {
            json_t *o;
            snprintf(body, sizeof body, cases[i].fmt, blanks[b]);
            CHECK_INT(ap_act(&s, off, id, cases[i].action, body, &o), 422);
            CHECK_STR(th_err_code(o), "missing_field");
            CHECK_STR(th_err_field(o), cases[i].field);
            json_decref(o);
        }
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    json_t *o;
    CHECK_INT(ap_act(&s, off, id, "visit", "{\"version\":3,\"note\":\" 已回访 \"}", &o), 200);
    CHECK_STR(th_str(o, "visit_note"), " 已回访 ");
    json_decref(o);
    CHECK_INT(ap_act(&s, off, id, "reply",
                     "{\"version\":4,\"reply\":\"\\t已办结\",\"resolved\":true}", &o),
              200);
    CHECK_STR(th_str(o, "reply"), "\t已办结");
    json_decref(o);
    th_stop(&s);
}

static int patch_day(th_server *s, const char *tok, long long id, const char *fields, json_t **o)
{
    char path[96], sql[96], body[256];
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld", id);
    snprintf(sql, sizeof sql, "SELECT version FROM ent_reception_days WHERE id = %lld", id);
    snprintf(body, sizeof body, "{\"version\":%lld,%s}", th_sql_int(s, sql), fields);
    return th_call(s, "PATCH", path, tok, body, o);
}

static void day_refused(th_server *s, const char *tok, long long id, const char *fields,
                        const char *code, const char *says)
{
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    json_t *o;
    th_fingerprint(s, before, sizeof before);
    CHECK_INT(patch_day(s, tok, id, fields, &o), 409);
    CHECK_STR(th_err_code(o), code);
    CHECK_STR(th_err_field(o), "state");
    CHECK(strstr(th_err_message(o), says) != NULL);
    json_decref(o);
    th_fingerprint(s, after, sizeof after);
    CHECK_STR(after, before);
}

/* Regression: PATCH /reception-days/{id} took any state: a cancelled day marked held (its
 * appeals then counted among the problems solved at reception days), a held day cancelled or
 * put back to planned (sign-ups open again), a day cancelled after appeals were raised at it.
 * A day's state changes only from planned, to held or cancelled, and a day with appeals raised
 * at it is not cancelled: 409 (wrong_state, has_appeals) on state, nothing written. The same
 * state again is no change. */
TEST(enterprise_reception_day_state_transitions)
{
    th_server s;
    th_start(&s, 1);
    char off[80], sql[200], body[256];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", &o),
              201);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    json_t *cr = json_object_get(o, "created");
    long long cancelled = th_int(json_array_get(cr, 0), "id"),
              held = th_int(json_array_get(cr, 1), "id"),
              raised = th_int(json_array_get(cr, 2), "id"),
              ahead = th_int(json_array_get(cr, 3), "id"); /* 2099-04: still ahead */
    json_decref(o);
    /* all three took place (past dates): held is allowed by date */
    const char *dates[] = {"2001-01-08", "2001-02-05", "2001-03-05"};
    long long ids[] = {cancelled, held, raised};
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql, "UPDATE ent_reception_days SET held_on = '%s' WHERE id = %lld",
                 dates[i], ids[i]);
        th_sql_exec(&s, sql);
    }
    CHECK_INT(patch_day(&s, off, cancelled, "\"state\":\"cancelled\"", NULL), 200);
    CHECK_INT(patch_day(&s, off, held, "\"state\":\"held\"", NULL), 200);
    day_refused(&s, off, cancelled, "\"state\":\"held\"", "wrong_state", "is cancelled:");
    /* a cancelled day whose date has passed is not put back to planned */
    day_refused(&s, off, cancelled, "\"state\":\"planned\"", "day_past", "has passed");
    day_refused(&s, off, held, "\"state\":\"cancelled\"", "wrong_state", "is held:");
    day_refused(&s, off, held, "\"state\":\"planned\",\"minutes\":\"纪要\"", "wrong_state",
                "is held:");
    /* the same state again is no change of state: the minutes are written */
    CHECK_INT(patch_day(&s, off, held, "\"state\":\"held\",\"minutes\":\"纪要\"", &o), 200);
    CHECK_STR(th_str(o, "minutes"), "纪要");
    json_decref(o);
    CHECK_INT(patch_day(&s, off, cancelled, "\"state\":\"cancelled\",\"leaders\":[\"区长\"]", NULL),
              200);
    /* a day appeals were raised at took place: not cancelled, still held */
    snprintf(body, sizeof body,
             "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"用电\","
             "\"description\":\"增容\",\"channel\":\"reception_day\",\"reception_day_id\":%lld,"
             "\"organisation_id\":2}",
             raised);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", off, body, NULL), 201);
    day_refused(&s, off, raised, "\"state\":\"cancelled\"", "has_appeals", "1 appeal");
    CHECK_INT(patch_day(&s, off, raised, "\"state\":\"held\"", &o), 200);
    CHECK_STR(th_str(o, "state"), "held");
    json_decref(o);
    /* a day ahead cancelled by mistake is put back to planned: its sign-ups open again */
    CHECK_INT(patch_day(&s, off, ahead, "\"state\":\"cancelled\"", NULL), 200);
    snprintf(body, sizeof body, "/api/v1/enterprise/reception-days/%lld/signups", ahead);
    CHECK_INT(th_call(&s, "POST", body, off, "{\"topic\":\"用地\",\"organisation_id\":2}", NULL),
              409);
    CHECK_INT(patch_day(&s, off, ahead, "\"state\":\"planned\"", &o), 200);
    CHECK_STR(th_str(o, "state"), "planned");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", body, off, "{\"topic\":\"用地\",\"organisation_id\":2}", NULL),
              201);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ent_reception_day' AND action = 'update'"
             " AND entity_id = %lld",
             ahead);
    CHECK_INT(th_sql_int(&s, sql), 2);
    th_stop(&s);
}

/* Regression: a reception-day PATCH that changed nothing (the same state again, the same
 * minutes, the version alone) still moved the version, so a colleague editing the same day got
 * 409 version_conflict for a change that never happened, and wrote an audit row with before ==
 * after. It keeps the version and writes nothing now, as other records' updates do; a real
 * change still writes. */
TEST(enterprise_reception_day_patch_without_change_writes_nothing)
{
    th_server s;
    th_start(&s, 1);
    char off[80], sql[160], path[96], body[96], before[TH_FINGERPRINT_SIZE],
        after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", &o),
              201);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    long long day = th_int(json_array_get(json_object_get(o, "created"), 0), "id");
    json_decref(o);
    snprintf(sql, sizeof sql,
             "UPDATE ent_reception_days SET held_on = '2001-01-08' WHERE id = %lld", day);
    th_sql_exec(&s, sql);
    CHECK_INT(patch_day(&s, off, day, "\"state\":\"held\",\"minutes\":\"会议纪要\"", &o), 200);
    long long v = th_int(o, "version");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld", day);
    snprintf(body, sizeof body, "{\"version\":%lld}", v);
    static const char *const same[] = {"\"state\":\"held\"", "\"minutes\":\"会议纪要\"",
                                       "\"state\":\"held\",\"minutes\":\"会议纪要\""};
    th_fingerprint(&s, before, sizeof before);
    for (size_t i = 0; i < 3; i++) {
        CHECK_INT(patch_day(&s, off, day, same[i], &o), 200);
        CHECK_INT(th_int(o, "version"), v);
        CHECK_STR(th_str(o, "minutes"), "会议纪要");
        json_decref(o);
    }
    CHECK_INT(th_call(&s, "PATCH", path, off, body, &o), 200);
    CHECK_INT(th_int(o, "version"), v);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* a change is written as before */
    CHECK_INT(patch_day(&s, off, day, "\"minutes\":\"新纪要\"", &o), 200);
    CHECK_INT(th_int(o, "version"), v + 1);
    json_decref(o);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ent_reception_day' AND action = 'update'"
             " AND entity_id = %lld",
             day);
    CHECK_INT(th_sql_int(&s, sql), 2);
    th_stop(&s);
}

/* Regression: a returned appeal kept the department that sent it back: the firm read it as
 * that department's (承办部门) with the department's reason for the dispatcher word for word,
 * and ?department_id= listed it under that department, though it is nobody's until dispatched
 * again. The firm reads it with no department and the return without its reason; the
 * department filter leaves it out; officers still read both. */
TEST(enterprise_appeal_returned_is_no_departments)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[128];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long id = ap_accepted_appeal(&s, off, jd);
    long long commerce = th_sql_int(&s, "SELECT id FROM organisations WHERE name = '平谷区商务局'");
    CHECK_INT(ap_act(&s, off, id, "return", "{\"version\":3,\"reason\":\"不属于我局职责，请改派\"}",
                     NULL),
              200);
    json_t *o;
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK_STR(th_str(o, "state"), "returned");
    CHECK(json_is_null(json_object_get(o, "department_id")));
    CHECK(json_is_null(json_object_get(o, "department")));
    json_t *ev = json_object_get(o, "events");
    int returns = 0;
    for (size_t k = 0; k < json_array_size(ev); k++) {
        json_t *e = json_array_get(ev, k);
        if (strcmp(th_str(e, "action"), "return")) continue;
        CHECK_STR(th_str(e, "note"), "");
        returns++;
    }
    CHECK_INT(returns, 1);
    json_decref(o);
    /* the officer reads who returned it and why */
    CHECK_INT(th_call(&s, "GET", path, off, NULL, &o), 200);
    CHECK_INT(th_int(o, "department_id"), commerce);
    ev = json_object_get(o, "events");
    for (size_t k = 0; k < json_array_size(ev); k++)
        if (!strcmp(th_str(json_array_get(ev, k), "action"), "return"))
            CHECK_STR(th_str(json_array_get(ev, k), "note"), "不属于我局职责，请改派");
    json_decref(o);
    /* the firm's list says the same */
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/appeals?limit=500", jd, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    int listed = 0;
    for (size_t k = 0; k < json_array_size(items); k++) {
        json_t *it = json_array_get(items, k);
        if (th_int(it, "id") != id) continue;
        listed = 1;
        CHECK(json_is_null(json_object_get(it, "department")));
    }
    CHECK(listed);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals?limit=500&department_id=%lld",
             commerce);
    CHECK(!th_list_has(&s, off, path, "id", id));
    /* dispatched again to another department: listed under it */
    long long tax = th_sql_int(&s, "SELECT id FROM organisations WHERE type = 'government' AND id"
                                   " <> (SELECT id FROM organisations WHERE name = '平谷区商务局')"
                                   " ORDER BY id LIMIT 1");
    char body[96];
    snprintf(body, sizeof body, "{\"version\":4,\"department_id\":%lld}", tax);
    CHECK_INT(ap_act(&s, off, id, "dispatch", body, NULL), 200);
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals?limit=500&department_id=%lld", tax);
    CHECK(th_list_has(&s, off, path, "id", id));
    th_stop(&s);
}

/* Regression: a firm signed up for a reception day could neither withdraw its sign-up nor
 * correct its topic (a second sign-up is 409 conflict). It withdraws it while the day is
 * planned and not past (one transaction with a delete audit row), and may sign up again with
 * another topic; withdrawing what is not there is 404, on a cancelled day 409, nothing
 * written. */
TEST(enterprise_reception_signup_withdrawn)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[128], sql[160], before[TH_FINGERPRINT_SIZE],
        after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", &o),
              201);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    long long day = th_int(json_array_get(json_object_get(o, "created"), 0), "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups", day);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"topic\":\"写错的议题\"}", NULL), 201);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups/withdraw", day);
    CHECK_INT(th_call(&s, "POST", path, jd, "{}", NULL), 204);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM ent_signups WHERE reception_day_id = %lld",
             day);
    CHECK_INT(th_sql_int(&s, sql), 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'delete' AND entity ="
                             " 'ent_signup'"),
              1);
    /* nothing left to withdraw */
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "POST", path, jd, "{}", &o), 404);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* signed up again, with the right topic */
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups", day);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"topic\":\"物流园道路限行问题\"}", NULL), 201);
    /* cancelled: sign-ups closed, also for withdrawing */
    CHECK_INT(patch_day(&s, off, day, "\"state\":\"cancelled\"", &o), 200);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups/withdraw", day);
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(th_call(&s, "POST", path, jd, "{}", &o), 409);
    CHECK_STR(th_err_code(o), "wrong_state");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    th_stop(&s);
}

/* Regression: a withdrawn sign-up's id went to the next sign-up (the table had no retired ids):
 * the audit trail named several sign-ups, of several firms, by one id. A sign-up made after a
 * withdrawal takes a new id, never the withdrawn one, also after a restart. */
TEST(enterprise_reception_signup_id_not_given_twice)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[128], wpath[160];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", &o),
              201);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    long long day = th_int(json_array_get(json_object_get(o, "created"), 0), "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups", day);
    snprintf(wpath, sizeof wpath, "%s/withdraw", path);
    long long seen[3];
    for (int i = 0; i < 3; i++) {
        CHECK_INT(th_call(&s, "POST", path, jd, "{\"topic\":\"用地问题\"}", &o), 201);
        seen[i] = th_int(o, "id");
        json_decref(o);
        /* the newest sign-up withdrawn: its id is the highest there was */
        CHECK_INT(th_sql_int(&s, "SELECT MAX(id) FROM ent_signups"), seen[i]);
        CHECK_INT(th_call(&s, "POST", wpath, jd, "{}", NULL), 204);
        for (int j = 0; j < i; j++) CHECK(seen[i] > seen[j]);
    }
    CHECK_INT(th_sql_int(&s, "SELECT max_id FROM retired_ids WHERE tbl_name = 'ent_signups'"),
              seen[2]);
    /* each id names one sign-up in the audit trail: one create and one delete */
    char sql[160];
    for (int i = 0; i < 3; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM audit WHERE entity = 'ent_signup' AND entity_id = %lld",
                 seen[i]);
        CHECK_INT(th_sql_int(&s, sql), 2);
    }
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"topic\":\"融资\"}", &o), 201);
    CHECK(th_int(o, "id") > seen[2]);
    json_decref(o);
    th_stop(&s);
}

/* a refused move of a reception day: status and code on held_on, nothing written */
static void move_refused(th_server *s, const char *tok, long long id, const char *day, int status,
                         const char *code)
{
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE], fields[64];
    json_t *o;
    snprintf(fields, sizeof fields, "\"held_on\":\"%s\"", day);
    th_fingerprint(s, before, sizeof before);
    CHECK_INT(patch_day(s, tok, id, fields, &o), status);
    CHECK_STR(th_err_code(o), code);
    CHECK_STR(th_err_field(o), "held_on");
    json_decref(o);
    th_fingerprint(s, after, sizeof after);
    CHECK_STR(after, before);
}

/* Regression: a reception day the holiday calendar made a holiday after it was scheduled stayed
 * on it, open for sign-ups, and could not be moved (held_on was an unknown field; cancelling it
 * left its month without a day). The district moves a planned day to another working day of
 * its month, not past: the sign-ups stay, moved_reason says so, one audit row. */
TEST(enterprise_reception_day_moves_off_a_new_holiday)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[96], body[160], sql[200];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", &o),
              201);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    json_t *oct = json_array_get(json_object_get(o, "created"), 9);
    json_t *sept = json_array_get(json_object_get(o, "created"), 8);
    long long id = th_int(oct, "id"), sep = th_int(sept, "id");
    char held[11], sep_next[11];
    snprintf(held, sizeof held, "%s", th_str(oct, "held_on"));
    CHECK_STR(th_str(oct, "first_monday"), held); /* 2099's calendar has no October holiday */
    int32_t d;
    CHECK_INT(pj_cal_parse(th_str(sept, "held_on"), &d), 0);
    pj_cal_format(d + 1, sep_next);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups", id);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"topic\":\"国庆期间议题\"}", NULL), 201);
    /* the day becomes a holiday */
    snprintf(body, sizeof body, "{\"day\":\"%s\",\"kind\":\"holiday\",\"name\":\"国庆节\"}", held);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off, body, NULL), 201);
    /* the day after (a Tuesday), a weekend day of the month, another month, a bad date */
    CHECK_INT(pj_cal_parse(held, &d), 0);
    char next[11], weekend[11], later[11];
    pj_cal_format(d + 1, next);
    pj_cal_format(d + 5, weekend); /* Saturday */
    pj_cal_format(d + 35, later);
    /* the same date is no move (200, nothing written); a holiday of the month is refused */
    char hol[11];
    pj_cal_format(d + 2, hol);
    snprintf(body, sizeof body, "{\"day\":\"%s\",\"kind\":\"holiday\",\"name\":\"国庆节\"}", hol);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off, body, NULL), 201);
    move_refused(&s, off, id, hol, 422, "invalid_value");
    move_refused(&s, off, id, weekend, 422, "invalid_value");
    move_refused(&s, off, id, later, 422, "invalid_value");
    move_refused(&s, off, id, "2099-10-xx", 422, "invalid_value");
    move_refused(&s, off, id, "2001-10-02", 422, "invalid_value");
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ent_reception_day' AND entity_id = %lld"
             " AND action = 'update'",
             id);
    long long audits = th_sql_int(&s, sql);
    snprintf(body, sizeof body, "\"held_on\":\"%s\"", next);
    CHECK_INT(patch_day(&s, off, id, body, &o), 200);
    CHECK_STR(th_str(o, "held_on"), next);
    CHECK_STR(th_str(o, "state"), "planned");
    CHECK(strstr(th_str(o, "moved_reason"), held) != NULL);
    CHECK_STR(th_str(o, "move_kind"), "district");
    CHECK_INT(th_int(o, "signup_count"), 1);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, sql), audits + 1);
    /* moved back to its first Monday (made a working day again): no longer a moved day */
    snprintf(sql, sizeof sql, "SELECT id FROM ent_calendar WHERE day = '%s'", held);
    snprintf(path, sizeof path, "/api/v1/enterprise/calendar/%lld", th_sql_int(&s, sql));
    CHECK_INT(th_call(&s, "DELETE", path, off, NULL, NULL), 200);
    snprintf(body, sizeof body, "\"held_on\":\"%s\"", held);
    CHECK_INT(patch_day(&s, off, id, body, &o), 200);
    CHECK_STR(th_str(o, "held_on"), held);
    CHECK_STR(th_str(o, "moved_reason"), "");
    CHECK(json_is_null(json_object_get(o, "move_kind")));
    json_decref(o);
    /* a day no longer planned does not move */
    CHECK_INT(patch_day(&s, off, sep, "\"state\":\"cancelled\"", NULL), 200);
    move_refused(&s, off, sep, sep_next, 409, "wrong_state");
    th_stop(&s);
}

/* Regression: a reception day appeals were raised at could still be moved to another date (the
 * firms told of the move): the appeals then said they were raised at a day still ahead, the
 * day could no longer be marked held and its sign-ups opened again. A day with appeals linked
 * keeps its date: 409 has_appeals on held_on, the message counting them, nothing written (no
 * notice). The appeal is raised while the day is past; the day is then put back on its 2099
 * date by hand, so that a working day of its month is left to move it to whatever today is. */
TEST(enterprise_reception_day_with_appeals_not_moved)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], path[96], sql[200], body[320];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", &o),
              201);
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/reception-days", off, "{\"year\":2099}", &o),
              201);
    json_t *oct = json_array_get(json_object_get(o, "created"), 9);
    long long id = th_int(oct, "id");
    char held[11], next[11];
    snprintf(held, sizeof held, "%s", th_str(oct, "held_on"));
    int32_t d;
    CHECK_INT(pj_cal_parse(held, &d), 0);
    pj_cal_format(d + 1, next); /* the Tuesday after: a working day of the month */
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/enterprise/reception-days/%lld/signups", id);
    CHECK_INT(th_call(&s, "POST", path, jd, "{\"topic\":\"用电\"}", NULL), 201);
    snprintf(sql, sizeof sql,
             "UPDATE ent_reception_days SET held_on = '2001-10-01' WHERE id = %lld", id);
    th_sql_exec(&s, sql);
    for (int i = 0; i < 2; i++) {
        snprintf(body, sizeof body,
                 "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"用电%d\","
                 "\"description\":\"增容\",\"channel\":\"reception_day\",\"reception_day_id\":%lld,"
                 "\"organisation_id\":2}",
                 i, id);
        CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", off, body, NULL), 201);
    }
    snprintf(sql, sizeof sql, "UPDATE ent_reception_days SET held_on = '%s' WHERE id = %lld", held,
             id);
    th_sql_exec(&s, sql);
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    snprintf(body, sizeof body, "\"held_on\":\"%s\"", next);
    CHECK_INT(patch_day(&s, off, id, body, &o), 409);
    CHECK_STR(th_err_code(o), "has_appeals");
    CHECK_STR(th_err_field(o), "held_on");
    CHECK(strstr(th_err_message(o), "2 appeals were raised") != NULL);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM ent_notices WHERE reception_day_id = %lld", id);
    CHECK_INT(th_sql_int(&s, sql), 0);
    /* the rest of the day is still edited */
    CHECK_INT(patch_day(&s, off, id, "\"minutes\":\"纪要\"", &o), 200);
    CHECK_STR(th_str(o, "held_on"), held);
    json_decref(o);
    th_stop(&s);
}
