/* 待办 (GET /api/v1/todo): each role gets the kinds of work it does, counted in its scope by
 * the rule of the page each leads to — a new appeal to dispatch, one past its deadline, a reply
 * for the firm to rate, a pairing request, alerts (the grid worker's own, the township's
 * escalated ones), a drill plan past its date, a live conversion running late — and nothing
 * of another township's or facility's; a viewer has none. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/enterprise.h"
#include "eldercare/el_fixture.h"
#include "enterprise/appeal_fixture.h"
#include "t.h"
#include "th.h"

/* The count of kind in tok's to-do; -1 when the role has no such kind. Checks total is at
 * most the sum of the counts (an appeal under two kinds counts once in it). */
static long long todo(th_server *s, const char *tok, const char *kind, int line)
{
    json_t *o = el_call(s, tok, "GET", "/api/v1/todo", NULL, 200, line);
    json_t *items = json_object_get(o, "items");
    long long n = -1, sum = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        sum += th_int(it, "count");
        if (!strcmp(th_str(it, "kind"), kind)) n = th_int(it, "count");
    }
    if (th_int(o, "total") > sum || th_int(o, "total") < 0)
        t_fail(__FILE__, line, "total %lld, the counts sum to %lld", th_int(o, "total"), sum);
    json_decref(o);
    return n;
}
#define TODO(tok, kind) todo(&s, tok, kind, __LINE__)

static long long todo_total(th_server *s, const char *tok)
{
    json_t *o = el_call(s, tok, "GET", "/api/v1/todo", NULL, 200, __LINE__);
    long long n = th_int(o, "total");
    json_decref(o);
    return n;
}

/* The kinds of tok's to-do, space-separated, in order. */
static void kinds(th_server *s, const char *tok, char *out, size_t size)
{
    json_t *o = el_call(s, tok, "GET", "/api/v1/todo", NULL, 200, __LINE__);
    json_t *items = json_object_get(o, "items");
    out[0] = 0;
    for (size_t i = 0; i < json_array_size(items); i++)
        snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? " " : "",
                 th_str(json_array_get(items, i), "kind"));
    json_decref(o);
}

TEST_T(todo_counts_the_work_of_each_role_in_its_scope, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], town[80], g[80], jd[80], op[80], vw[80], list[400], q[600];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "jd", s.demo_pw, jd);
    /* an operator of a facility in peacetime with a manual (the demo's wanda runs one
     * converting already) */
    char adm[80], sc[16];
    th_login(&s, "admin", s.admin_pw, adm);
    long long fac = th_sql_int(
        &s, "SELECT MIN(m.facility_id) FROM manuals m WHERE NOT EXISTS (SELECT 1 FROM"
            " conversions v WHERE v.facility_id = m.facility_id AND v.mode = 'live' AND v.state"
            " IN ('converting', 'emergency', 'restoring'))");
    {
        json_t *m = NULL;
        char sql[200];
        snprintf(sql, sizeof sql, "/api/v1/manuals?facility_id=%lld", fac);
        m = EL(&s, adm, "GET", sql, NULL, 200);
        snprintf(sc, sizeof sc, "%s",
                 th_str(json_array_get(json_object_get(m, "items"), 0), "scenario"));
        json_decref(m);
    }
    snprintf(q, sizeof q,
             "{\"username\":\"op2\",\"role\":\"facility_operator\",\"password\":"
             "\"long-enough-pw\",\"facility_id\":%lld}",
             fac);
    json_decref(EL(&s, adm, "POST", "/api/v1/users", q, 201));
    th_login(&s, "op2", "long-enough-pw", op);
    th_login(&s, "viewer", s.demo_pw, vw);

    /* the kinds of each role */
    kinds(&s, vw, list, sizeof list);
    CHECK_STR(list, "");
    kinds(&s, jd, list, sizeof list);
    CHECK_STR(list, "appeals_to_rate");
    /* a bank's account files no appeals: nothing to rate, no kind */
    {
        char bank[80];
        snprintf(q, sizeof q,
                 "{\"username\":\"bank1\",\"role\":\"enterprise\",\"password\":"
                 "\"long-enough-pw\",\"organisation_id\":%lld}",
                 th_sql_int(&s, "SELECT MIN(id) FROM organisations WHERE type = 'bank'"));
        json_decref(EL(&s, adm, "POST", "/api/v1/users", q, 201));
        th_login(&s, "bank1", "long-enough-pw", bank);
        kinds(&s, bank, list, sizeof list);
        CHECK_STR(list, "");
    }
    kinds(&s, g, list, sizeof list);
    CHECK_STR(list, "elder_alerts");
    kinds(&s, op, list, sizeof list);
    CHECK_STR(list, "drills_overdue conversions_late");
    kinds(&s, town, list, sizeof list);
    CHECK_STR(list, "appeals_received appeals_returned appeals_reopened appeals_overdue"
                    " return_visits_due pair_requests elder_alerts_escalated drills_overdue"
                    " conversions_late");

    /* an appeal filed by the firm: to dispatch for the district, and for the township only
     * when it is the firm's; past its deadline, overdue; replied, the firm's to rate */
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    long long rec0 = TODO(off, "appeals_received"), rec_t0 = TODO(town, "appeals_received");
    long long over0 = TODO(off, "appeals_overdue"), rate0 = TODO(jd, "appeals_to_rate");
    long long tot0 = todo_total(&s, off);
    json_t *o = EL(&s, jd, "POST", "/api/v1/enterprise/appeals",
                   "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"待办\","
                   "\"description\":\"d\"}",
                   201);
    long long ap = th_int(o, "id");
    int in_town = json_integer_value(json_object_get(o, "township_id")) == jhh;
    json_decref(o);
    CHECK_INT(TODO(off, "appeals_received"), rec0 + 1);
    CHECK_INT(TODO(town, "appeals_received"), rec_t0 + in_town);
    snprintf(q, sizeof q, "UPDATE ent_appeals SET complete_due = %lld WHERE id = %lld",
             (long long)time(NULL) - 60, ap);
    th_sql_exec(&s, q);
    CHECK_INT(TODO(off, "appeals_overdue"), over0 + 1);
    /* received and overdue: one appeal, one piece of work in the total */
    CHECK_INT(TODO(off, "appeals_received"), rec0 + 1);
    CHECK_INT(todo_total(&s, off), tot0 + 1);
    /* in any state but replied and closed (every state the module has, a new one included) */
    for (int k = 0; pj_appeal_states[k]; k++) {
        const char *st = pj_appeal_states[k];
        snprintf(q, sizeof q, "UPDATE ent_appeals SET state = '%s' WHERE id = %lld", st, ap);
        th_sql_exec(&s, q);
        int open = strcmp(st, "replied") && strcmp(st, "closed");
        if (TODO(off, "appeals_overdue") != over0 + open)
            t_fail(__FILE__, __LINE__, "an overdue appeal %s: counted %s", st, open ? "no" : "yes");
        /* once in the total whatever its state (a return visit is work of its own: none is
         * due on this one) */
        if (todo_total(&s, off) != tot0 + open)
            t_fail(__FILE__, __LINE__, "an overdue appeal %s: total %lld, %lld before it", st,
                   todo_total(&s, off), tot0);
    }
    snprintf(q, sizeof q, "UPDATE ent_appeals SET state = 'received' WHERE id = %lld", ap);
    th_sql_exec(&s, q);
    long long commerce = th_sql_int(&s, "SELECT id FROM organisations WHERE name = '平谷区商务局'");
    char body[200];
    snprintf(body, sizeof body, "{\"version\":1,\"department_id\":%lld}", commerce);
    CHECK_INT(ap_act(&s, off, ap, "dispatch", body, NULL), 200);
    CHECK_INT(ap_act(&s, off, ap, "accept", "{\"version\":2}", NULL), 200);
    CHECK_INT(TODO(off, "appeals_received"), rec0);
    CHECK_INT(TODO(off, "appeals_overdue"), over0 + 1);
    CHECK_INT(
        ap_act(&s, off, ap, "reply", "{\"version\":3,\"reply\":\"a\",\"resolved\":true}", NULL),
        200);
    CHECK_INT(TODO(off, "appeals_overdue"), over0); /* replied: not overdue */
    CHECK_INT(TODO(jd, "appeals_to_rate"), rate0 + 1);
    CHECK_INT(ap_act(&s, jd, ap, "rate", "{\"version\":4,\"rating\":\"satisfied\"}", NULL), 200);
    CHECK_INT(TODO(jd, "appeals_to_rate"), rate0);

    /* a grid worker's pairing request: the officers' of the elder's township, not another's */
    long long grid = el_grid01_grid(&s);
    snprintf(q, sizeof q,
             "SELECT v.parent_id FROM regions g JOIN regions v ON v.id = g.parent_id WHERE g.id ="
             " %lld",
             grid);
    int same_town = th_sql_int(&s, q) == jhh;
    long long pr0 = TODO(off, "pair_requests"), pr_t0 = TODO(town, "pair_requests");
    long long e = el_elder(&s, g, grid, 70, "");
    long long h = el_helper(&s, g, grid, 70, "1968-01-01", 'F', "");
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", e, h);
    json_decref(EL(&s, g, "POST", "/api/v1/pair-requests", body, 201));
    CHECK_INT(TODO(off, "pair_requests"), pr0 + 1);
    CHECK_INT(TODO(town, "pair_requests"), pr_t0 + same_town);

    /* alerts of grid01's grid: the grid worker's open ones; the officers' only escalated */
    long long al0 = TODO(g, "elder_alerts"), esc0 = TODO(off, "elder_alerts_escalated");
    long long esc_t0 = TODO(town, "elder_alerts_escalated");
    snprintf(q, sizeof q,
             "INSERT INTO elder_alerts (kind, elder_id, grid_id, township_id, dedupe_key, level,"
             " state, raised_at) SELECT 'missed_meal', %lld, %lld, township_id, 'todo-1', 'grid',"
             " 'open', 0 FROM elders WHERE id = %lld",
             e, grid, e);
    th_sql_exec(&s, q);
    CHECK_INT(TODO(g, "elder_alerts"), al0 + 1);
    CHECK_INT(TODO(off, "elder_alerts_escalated"), esc0);
    th_sql_exec(&s, "UPDATE elder_alerts SET level = 'township' WHERE dedupe_key = 'todo-1'");
    CHECK_INT(TODO(off, "elder_alerts_escalated"), esc0 + 1);
    CHECK_INT(TODO(town, "elder_alerts_escalated"), esc_t0 + same_town);
    th_sql_exec(&s, "UPDATE elder_alerts SET state = 'acked' WHERE dedupe_key = 'todo-1'");
    CHECK_INT(TODO(g, "elder_alerts"), al0);
    CHECK_INT(TODO(off, "elder_alerts_escalated"), esc0);

    /* drill plans of op2's facility: one past its date (overdue), one today (not yet), one
     * past but cancelled; another facility's overdue one is not the operator's */
    snprintf(q, sizeof q, "SELECT MIN(facility_id) FROM manuals WHERE facility_id <> %lld", fac);
    long long other = th_sql_int(&s, q);
    long long dr0 = TODO(op, "drills_overdue"), dr_d0 = TODO(off, "drills_overdue");
    snprintf(q, sizeof q,
             "INSERT INTO drill_plans (facility_id, scenario, planned_date, state, created_at,"
             " updated_at) VALUES (%lld, 'epidemic', date('now', '+8 hours', '-3 days'),"
             " 'planned', 0, 0), (%lld, 'disaster', date('now', '+8 hours'), 'planned', 0, 0),"
             " (%lld, 'disaster', date('now', '+8 hours', '-5 days'), 'cancelled', 0, 0),"
             " (%lld, 'epidemic', date('now', '+8 hours', '-3 days'), 'planned', 0, 0)",
             fac, fac, fac, other);
    th_sql_exec(&s, q);
    CHECK_INT(TODO(op, "drills_overdue"), dr0 + 1);
    CHECK_INT(TODO(off, "drills_overdue"), dr_d0 + 2);

    /* a live conversion of op2's facility with a step past its planned minutes: late, for
     * the operator and the district, its scenario named */
    long long late0 = TODO(op, "conversions_late"), late_d0 = TODO(off, "conversions_late");
    snprintf(body, sizeof body, "{\"facility_id\":%lld,\"scenario\":\"%s\"}", fac, sc);
    o = EL(&s, off, "POST", "/api/v1/conversions", body, 201);
    long long cid = th_int(o, "id");
    long long step = th_int(json_array_get(json_object_get(o, "steps"), 0), "id");
    json_decref(o);
    CHECK_INT(TODO(op, "conversions_late"), late0);
    snprintf(q, sizeof q, "/api/v1/conversion-steps/%lld/start", step);
    json_decref(EL(&s, off, "POST", q, "{}", 200));
    snprintf(q, sizeof q,
             "UPDATE conversion_steps SET started_at = started_at - 86400 WHERE conversion_id ="
             " %lld AND status = 'running'",
             cid);
    th_sql_exec(&s, q);
    CHECK_INT(TODO(op, "conversions_late"), late0 + 1);
    CHECK_INT(TODO(off, "conversions_late"), late_d0 + 1);
    o = EL(&s, op, "GET", "/api/v1/todo", NULL, 200);
    json_t *it = json_array_get(json_object_get(o, "items"), 1);
    CHECK_STR(th_str(it, "kind"), "conversions_late");
    CHECK_STR(th_str(it, "scenario"), sc);
    json_decref(o);
    /* a read: nothing written, not even audited */
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    TODO(off, "appeals_received");
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    th_stop(&s);
}
