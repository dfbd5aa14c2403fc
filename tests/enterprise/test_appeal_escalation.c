/* Escalation of overdue appeals: once per round of handling. */
#include <stdio.h>
#include <string.h>

#include "enterprise/appeal_fixture.h"
#include "t.h"
#include "th.h"

static void make_overdue(th_server *s, long long id)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "UPDATE ent_appeals SET complete_due = strftime('%%s','now') - 3600 WHERE id = %lld",
             id);
    th_sql_exec(s, sql);
}

static long long escalations(th_server *s, long long id)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ent_appeal_events WHERE appeal_id = %lld AND action ="
             " 'escalate'",
             id);
    return th_sql_int(s, sql);
}

static void sweep(th_server *s, const char *off)
{
    json_t *o;
    CHECK_INT(th_call(s, "POST", "/api/v1/enterprise/appeal-sweeps", off, "{}", &o), 200);
    json_decref(o);
}

static void check_appeal(th_server *s, const char *tok, long long id, const char *state,
                         long long version)
{
    char path[96];
    json_t *o;
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    CHECK_INT(th_call(s, "GET", path, tok, NULL, &o), 200);
    CHECK_STR(th_str(o, "state"), state);
    CHECK_INT(th_int(o, "version"), version);
    json_decref(o);
}

/* Regression: an overdue appeal escalated by the sweep and accepted again is still past its
 * deadline, and every later sweep escalated it anew (a version bump under the department's
 * open reply, another event and audit row, a fresh acceptance); a single `escalate` did the
 * same. Now the sweep passes over an appeal already escalated in its round, `escalate` is 409
 * already_escalated with nothing written, and a reopened round may be escalated again. */
TEST(enterprise_appeal_escalated_once_per_round)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long id = ap_accepted_appeal(&s, off, jd);
    make_overdue(&s, id);
    sweep(&s, off);
    check_appeal(&s, off, id, "escalated", 4);
    CHECK_INT(escalations(&s, id), 1);
    CHECK_INT(ap_act(&s, off, id, "accept", "{\"version\":4}", NULL), 200);
    check_appeal(&s, off, id, "in_progress", 5);
    /* the next sweep leaves it in the department's hands */
    sweep(&s, off);
    check_appeal(&s, off, id, "in_progress", 5);
    CHECK_INT(escalations(&s, id), 1);
    /* nor does a single escalate take it again */
    json_t *o;
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(ap_act(&s, off, id, "escalate", "{\"version\":5}", &o), 409);
    CHECK_STR(th_err_code(o), "already_escalated");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* the department answers; a not_satisfied rating opens a new round, which may be escalated
     * once when it runs late too */
    CHECK_INT(
        ap_act(&s, off, id, "reply", "{\"version\":5,\"reply\":\"已办\",\"resolved\":true}", NULL),
        200);
    CHECK_INT(ap_act(&s, jd, id, "rate", "{\"version\":6,\"rating\":\"not_satisfied\"}", NULL),
              200);
    check_appeal(&s, off, id, "reopened", 7);
    make_overdue(&s, id);
    CHECK_INT(ap_act(&s, off, id, "escalate", "{\"version\":7}", &o), 200);
    CHECK_STR(th_str(o, "state"), "escalated");
    json_decref(o);
    CHECK_INT(escalations(&s, id), 2);
    CHECK_INT(ap_act(&s, off, id, "accept", "{\"version\":8}", NULL), 200);
    sweep(&s, off);
    check_appeal(&s, off, id, "in_progress", 9);
    CHECK_INT(escalations(&s, id), 2);
    th_stop(&s);
}

/* The same through the sweep alone in a reopened round: an appeal never escalated in its first
 * round is swept once in its second. */
TEST(enterprise_appeal_sweep_escalates_reopened_round_once)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long id = ap_accepted_appeal(&s, off, jd);
    make_overdue(&s, id);
    sweep(&s, off); /* v4 escalated */
    CHECK_INT(
        ap_act(&s, off, id, "reply", "{\"version\":4,\"reply\":\"已办\",\"resolved\":true}", NULL),
        200);
    CHECK_INT(ap_act(&s, jd, id, "rate", "{\"version\":5,\"rating\":\"not_satisfied\"}", NULL),
              200);
    make_overdue(&s, id);
    sweep(&s, off);
    check_appeal(&s, off, id, "escalated", 7);
    CHECK_INT(ap_act(&s, off, id, "accept", "{\"version\":7}", NULL), 200);
    sweep(&s, off);
    check_appeal(&s, off, id, "in_progress", 8);
    CHECK_INT(escalations(&s, id), 2);
    th_stop(&s);
}
