/* A service log entered by mistake is voided (POST /service-logs/{id}/void): its credits are
 * taken back by a reversing transaction (the ledger check stays clean), the right log can then
 * be entered (the overlap rules no longer see it), coverage and the elder's last visit forget
 * it and the alert scan raises again the overdue visit it had resolved. Refusals (scope, role,
 * a missing reason, a second void, credits spent meanwhile) change nothing and write no audit
 * row. */
#include "core/util.h"
#include "eldercare/el_fixture.h"

static long long audit_voids(th_server *s, long long log)
{
    char q[160];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'service_log' AND action = 'void' AND"
             " entity_id = %lld",
             log);
    return th_sql_int(s, q);
}

static long long helper_balance(th_server *s, long long helper)
{
    char q[160];
    snprintf(q, sizeof q,
             "SELECT COALESCE(MAX(balance_min), 0) FROM credit_accounts WHERE owner_kind ="
             " 'helper' AND owner_id = %lld",
             helper);
    return th_sql_int(s, q);
}

static long long elder_sql(th_server *s, const char *col, long long elder)
{
    char q[160];
    snprintf(q, sizeof q, "SELECT COALESCE(%s, 0) FROM elders WHERE id = %lld", col, elder);
    return th_sql_int(s, q);
}

static json_t *log_one(th_server *s, const char *tok, long long elder, long long helper,
                       const char *kind, int64_t at, int minutes, int want)
{
    char t_in[21], body[300], h[40] = "";
    pj_time_iso(at, t_in);
    if (helper) snprintf(h, sizeof h, "\"helper_id\":%lld,", helper);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,%s\"kind\":\"%s\",\"time_in\":\"%s\",\"minutes\":%d}", elder, h,
             kind, t_in, minutes);
    return el_call(s, tok, "POST", "/api/v1/service-logs", body, want, __LINE__);
}

static void ledger_clean(th_server *s, const char *tok)
{
    json_t *o = EL(s, tok, "GET", "/api/v1/time-bank/check", NULL, 200);
    CHECK(json_is_true(json_object_get(o, "ok")));
    CHECK_INT(th_int(o, "sum_of_balances_min"), 0);
    json_decref(o);
}

TEST_T(elder_log_void_takes_credits_back_and_frees_the_time, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], town[80], view[80], path[160], fp0[TH_FINGERPRINT_SIZE],
        fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "viewer", s.demo_pw, view);
    long long grid = el_grid01_grid(&s);
    long long wrong = el_elder(&s, g, grid, 1, ""), right = el_elder(&s, g, grid, 2, "");
    long long hid = el_helper(&s, g, grid, 3, "1970-05-01", 'F', "");
    int64_t at = pj_now() / 60 * 60 - 10 * 3600;
    /* 480 minutes on the wrong elder, meant as 48 on the right one */
    json_t *o = log_one(&s, g, wrong, hid, "companionship", at, 480, 201);
    long long id = th_int(o, "id");
    CHECK(!json_is_true(json_object_get(o, "voided")));
    CHECK_INT(th_int(o, "version"), 1);
    json_decref(o);
    CHECK_INT(helper_balance(&s, hid), 480);
    CHECK(elder_sql(&s, "last_visit_at", wrong) > 0);
    o = log_one(&s, g, right, hid, "companionship", at, 48, 409);
    CHECK_STR(th_err_code(o), "helper_busy");
    json_decref(o);
    o = log_one(&s, g, wrong, hid, "companionship", at, 48, 409);
    CHECK_STR(th_err_code(o), "duplicate");
    json_decref(o);

    /* refusals: nothing changes, no audit row */
    snprintf(path, sizeof path, "/api/v1/service-logs/%lld/void", id);
    th_fingerprint(&s, fp0, sizeof fp0);
    o = EL(&s, town, "POST", path, "{\"reason\":\"wrong elder\"}", 403);
    CHECK_STR(th_err_code(o), "forbidden");
    json_decref(o);
    json_decref(EL(&s, view, "POST", path, "{\"reason\":\"wrong elder\"}", 403));
    o = EL(&s, g, "POST", path, "{}", 422);
    CHECK_STR(th_err_field(o), "reason");
    json_decref(o);
    o = EL(&s, g, "POST", path, "{\"reason\":\"   \"}", 422);
    CHECK_STR(th_err_field(o), "reason");
    json_decref(o);
    char long_reason[620] = "{\"reason\":\"";
    for (int i = 0; i < 501; i++) strcat(long_reason, "x");
    strcat(long_reason, "\"}");
    o = EL(&s, g, "POST", path, long_reason, 422);
    CHECK_STR(th_err_field(o), "reason");
    json_decref(o);
    o = EL(&s, g, "POST", path, "{\"reason\":\"wrong elder\",\"version\":7}", 409);
    CHECK_STR(th_err_code(o), "version_conflict");
    json_decref(o);
    json_decref(EL(&s, g, "POST", "/api/v1/service-logs/999999999/void",
                   "{\"reason\":\"wrong elder\"}", 404));
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    CHECK_INT(audit_voids(&s, id), 0);

    /* the grid worker who may log it voids it */
    o = EL(&s, g, "POST", path, "{\"reason\":\"wrong elder and minutes\",\"version\":1}", 200);
    CHECK(json_is_true(json_object_get(o, "voided")));
    CHECK_STR(th_str(o, "void_reason"), "wrong elder and minutes");
    CHECK_STR(th_str(o, "voided_by"), "grid01");
    CHECK(th_str(o, "voided_at") != NULL);
    CHECK(th_int(o, "void_txn_id") > 0);
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    CHECK_INT(audit_voids(&s, id), 1);
    CHECK_INT(helper_balance(&s, hid), 0);
    ledger_clean(&s, off);
    CHECK_INT(elder_sql(&s, "last_visit_at", wrong), 0);
    /* a second void: 409, nothing written */
    th_fingerprint(&s, fp0, sizeof fp0);
    o = EL(&s, off, "POST", path, "{\"reason\":\"again\",\"version\":1}", 409);
    CHECK_STR(th_err_code(o), "invalid_state");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    CHECK_INT(audit_voids(&s, id), 1);

    /* the right log is taken now, and earns its own credits */
    o = log_one(&s, g, right, hid, "companionship", at, 48, 201);
    CHECK_INT(th_int(o, "minutes"), 48);
    json_decref(o);
    CHECK_INT(helper_balance(&s, hid), 48);
    CHECK(elder_sql(&s, "last_visit_at", right) > 0);
    ledger_clean(&s, off);

    /* still listed, with a filter */
    snprintf(path, sizeof path, "/api/v1/service-logs?elder_id=%lld&voided=1", wrong);
    o = EL(&s, g, "GET", path, NULL, 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/service-logs?elder_id=%lld&voided=0", wrong);
    o = EL(&s, g, "GET", path, NULL, 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 0);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/service-logs?elder_id=%lld", wrong);
    o = EL(&s, g, "GET", path, NULL, 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);
    json_decref(EL(&s, g, "GET", "/api/v1/service-logs?voided=2", NULL, 400));

    /* one entry of a quick entry voided: the other stays in force */
    char body[400];
    snprintf(body, sizeof body,
             "{\"entries\":[{\"elder_id\":%lld,\"kind\":\"meal\"},{\"elder_id\":%lld,"
             "\"kind\":\"meal\"}]}",
             wrong, right);
    o = EL(&s, g, "POST", "/api/v1/service-logs", body, 201);
    json_t *items = json_object_get(o, "items");
    long long first = th_int(json_array_get(items, 0), "id"),
              second = th_int(json_array_get(items, 1), "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/service-logs/%lld/void", first);
    json_decref(EL(&s, off, "POST", path, "{\"reason\":\"no meal that day\"}", 200));
    snprintf(path, sizeof path, "/api/v1/service-logs?elder_id=%lld&kind=meal", right);
    o = EL(&s, g, "GET", path, NULL, 200);
    json_t *it = json_array_get(json_object_get(o, "items"), 0);
    CHECK_INT(th_int(it, "id"), second);
    CHECK(!json_is_true(json_object_get(it, "voided")));
    json_decref(o);
    /* the same service voided and entered again: no longer a duplicate */
    o = log_one(&s, g, right, 0, "cleaning", at - 3600, 20, 201);
    snprintf(path, sizeof path, "/api/v1/service-logs/%lld/void", th_int(o, "id"));
    json_decref(o);
    json_decref(EL(&s, g, "POST", path, "{\"reason\":\"20 minutes, not 25\"}", 200));
    json_decref(log_one(&s, g, right, 0, "cleaning", at - 3600, 20, 201));
    th_stop(&s);
}

/* credits spent meanwhile cannot be taken back below the overdraft (credit_overdraft_min, 0):
 * 409 insufficient_credits, nothing written */
TEST_T(elder_log_void_refused_when_the_credits_are_spent, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[160], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long eid = el_elder(&s, g, grid, 4, "");
    long long hid = el_helper(&s, g, grid, 5, "1958-04-04", 'F', "");
    json_t *o = log_one(&s, g, eid, hid, "cleaning", pj_now() / 60 * 60 - 5 * 3600, 60, 201);
    long long id = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", hid);
    long long acc = el_account_of(&s, g, path);
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld/redeem", acc);
    json_decref(EL(&s, off, "POST", path, "{\"minutes\":30,\"note\":\"助浴\"}", 200));
    snprintf(path, sizeof path, "/api/v1/service-logs/%lld/void", id);
    th_fingerprint(&s, fp0, sizeof fp0);
    o = EL(&s, off, "POST", path, "{\"reason\":\"no cleaning that day\"}", 409);
    CHECK_STR(th_err_code(o), "insufficient_credits");
    /* the floor said as it is: "below 0 minutes", not "-0" */
    CHECK(strstr(th_err_message(o), "may not go below 0 minutes") != NULL);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    CHECK_INT(audit_voids(&s, id), 0);
    CHECK_INT(helper_balance(&s, hid), 30);
    ledger_clean(&s, off);
    th_stop(&s);
}

static long long open_overdue(th_server *s, long long elder)
{
    char q[200];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_alerts WHERE kind = 'overdue_visit' AND elder_id = %lld"
             " AND state IN ('open', 'acked')",
             elder);
    return th_sql_int(s, q);
}

static json_t *coverage_total(th_server *s, const char *tok, long long grid)
{
    char path[200], t0[21], t1[21];
    pj_time_iso(pj_now() - 3 * 86400, t0);
    pj_time_iso(pj_now() + 86400, t1);
    snprintf(path, sizeof path,
             "/api/v1/eldercare/coverage?group=grid&region_id=%lld&since=%.10s&until=%.10s", grid,
             t0, t1);
    json_t *o = EL(s, tok, "GET", path, NULL, 200);
    json_t *t = json_incref(json_object_get(o, "total"));
    json_decref(o);
    return t;
}

/* coverage, the elder's last visit and doctor visit, and the alert scan forget a voided log.
 * The clock is set to noon (Beijing): the coverage's range is of UTC dates (coverage_total),
 * which left out a visit logged three hours before, after Beijing's midnight, when the test ran
 * from 16:00 to 19:00 UTC. */
TEST_T(elder_log_void_reopens_coverage_and_the_overdue_alert, 120)
{
    th_clock_at("2027-03-16", 12, 0);
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[160], sql[200];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long eid = el_elder(&s, g, grid, 6, "");
    long long hid = el_helper(&s, g, grid, 7, "1970-05-01", 'F', "");
    /* registered long ago, never visited: overdue */
    snprintf(sql, sizeof sql, "UPDATE elders SET created_at = %lld WHERE id = %lld",
             (long long)(pj_now() - 200 * 86400), eid);
    th_sql_exec(&s, sql);
    json_decref(EL(&s, off, "POST", "/api/v1/elder-alerts/scan", "{}", 200));
    CHECK_INT(open_overdue(&s, eid), 1);
    json_t *t0 = coverage_total(&s, off, grid);
    int64_t at = pj_now() / 60 * 60 - 3 * 3600;
    json_t *o = log_one(&s, g, eid, hid, "companionship", at, 90, 201);
    long long visit = th_int(o, "id");
    json_decref(o);
    o = log_one(&s, g, eid, 0, "doctor_visit", at - 86400, 30, 201);
    long long doctor = th_int(o, "id");
    json_decref(o);
    json_decref(EL(&s, off, "POST", "/api/v1/elder-alerts/scan", "{}", 200));
    CHECK_INT(open_overdue(&s, eid), 0);
    json_t *t1 = coverage_total(&s, off, grid);
    CHECK_INT(th_int(t1, "visits_done"), th_int(t0, "visits_done") + 1);
    CHECK(elder_sql(&s, "last_visit_at", eid) > 0);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", eid);
    o = EL(&s, g, "GET", path, NULL, 200);
    CHECK(th_str(o, "doctor_last_visit") != NULL);
    json_decref(o);

    snprintf(path, sizeof path, "/api/v1/service-logs/%lld/void", visit);
    json_decref(EL(&s, g, "POST", path, "{\"reason\":\"another elder's visit\"}", 200));
    snprintf(path, sizeof path, "/api/v1/service-logs/%lld/void", doctor);
    json_decref(EL(&s, g, "POST", path, "{\"reason\":\"entered twice\"}", 200));
    json_t *t2 = coverage_total(&s, off, grid);
    CHECK_INT(th_int(t2, "visits_done"), th_int(t0, "visits_done"));
    CHECK(json_number_value(json_object_get(t2, "hours_given")) ==
          json_number_value(json_object_get(t0, "hours_given")));
    snprintf(path, sizeof path, "/api/v1/elders/%lld", eid);
    o = EL(&s, g, "GET", path, NULL, 200);
    CHECK(json_is_null(json_object_get(o, "last_visit_at")));
    CHECK(json_is_null(json_object_get(o, "doctor_last_visit")));
    CHECK(json_is_true(json_object_get(o, "visit_overdue")));
    json_decref(o);
    /* the next scan raises the overdue visit again */
    json_decref(EL(&s, off, "POST", "/api/v1/elder-alerts/scan", "{}", 200));
    CHECK_INT(open_overdue(&s, eid), 1);
    json_decref(t0);
    json_decref(t1);
    json_decref(t2);
    th_stop(&s);
    th_clock_real();
}

/* a meal log voided: the scan finds that day's meal missing (missed_meal raised) */
TEST_T(elder_log_void_meal_is_missing_again_for_the_scan, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[160], sql[200], iso[21], body[80];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long eid = el_elder(&s, g, grid, 8, "\"meal_provider\":\"helper\",\"meal_days\":7");
    int64_t tz = 8 * 3600, day = (pj_now() + tz) / 86400 - 1, start = day * 86400 - tz;
    snprintf(sql, sizeof sql, "UPDATE elders SET created_at = %lld WHERE id = %lld",
             (long long)(start - 86400), eid);
    th_sql_exec(&s, sql);
    json_t *o = log_one(&s, g, eid, 0, "meal", start + 10 * 3600, 20, 201);
    snprintf(path, sizeof path, "/api/v1/service-logs/%lld/void", th_int(o, "id"));
    json_decref(o);
    json_decref(EL(&s, g, "POST", path, "{\"reason\":\"the meal was not delivered\"}", 200));
    pj_time_iso(start + 13 * 3600, iso);
    snprintf(body, sizeof body, "{\"at\":\"%s\"}", iso);
    json_decref(EL(&s, off, "POST", "/api/v1/elder-alerts/scan", body, 200));
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elder_alerts WHERE kind = 'missed_meal' AND elder_id = %lld",
             eid);
    CHECK_INT(th_sql_int(&s, sql), 1);
    th_stop(&s);
}

/* The ledger entry of a void holds the reason as typed: the entry's kind (`void`) and `log_id`
 * say what it is, and the console words it in its language (作废服务记录 #57：录错了老人). The
 * note was stored "void of log 57: 录错了老人", shown raw in the zh-CN console. */
TEST(elder_log_void_ledger_note_is_the_reason)
{
    th_server s;
    th_start(&s, 1);
    char g[80], path[160];
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    long long elder = el_elder(&s, g, grid, 1, "");
    long long hid = el_helper(&s, g, grid, 3, "1970-05-01", 'F', "");
    json_t *o = log_one(&s, g, elder, hid, "companionship", pj_now() / 60 * 60 - 7200, 30, 201);
    long long id = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/service-logs/%lld/void", id);
    json_decref(EL(&s, g, "POST", path, "{\"reason\":\"录错了老人\"}", 200));
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", hid);
    long long acc = el_account_of(&s, g, path);
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld", acc);
    o = EL(&s, g, "GET", path, NULL, 200);
    json_t *entries = json_object_get(o, "entries");
    CHECK_INT(json_array_size(entries), 2);
    json_t *v = json_array_get(entries, 0);
    CHECK_STR(th_str(v, "kind"), "void");
    CHECK_INT(th_int(v, "log_id"), id);
    CHECK_INT(th_int(v, "amount_min"), -30);
    CHECK_STR(th_str(v, "note"), "录错了老人");
    json_decref(o);
    th_stop(&s);
}
