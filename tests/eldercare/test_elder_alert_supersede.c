/* One open no_doctor alert per elder: a contract that changes while none is in force (a lapsed
 * one renewed from a later date, an expired one recorded where there was none) supersedes the
 * alert raised for the contract before (resolved by the scan, "the family-doctor contract
 * changed") and the scan raises one for the contract as it is now; the elder had two open
 * alerts for one condition, the older describing a contract no longer on record. */
#include "core/util.h"
#include "eldercare/el_fixture.h"

static long long open_no_doctor(th_server *s, long long elder)
{
    char q[200];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_alerts WHERE kind = 'no_doctor' AND elder_id = %lld AND"
             " state IN ('open', 'acked')",
             elder);
    return th_sql_int(s, q);
}

TEST_T(eldercare_no_doctor_alert_superseded_by_a_changed_contract, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[128], body[256], q[300], from[21];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long eid = el_elder(&s, g, grid, 1,
                             "\"doctor_name\":\"李医生\",\"doctor_from\":\"2020-01-01\","
                             "\"doctor_until\":\"2021-01-01\"");
    long long none = el_elder(&s, g, grid, 2, "");
    json_decref(EL(&s, off, "POST", "/api/v1/elder-alerts/scan", "{}", 200));
    CHECK_INT(open_no_doctor(&s, eid), 1);
    CHECK_INT(open_no_doctor(&s, none), 1);
    /* renewed from 40 days on: still none in force today */
    pj_time_iso(pj_now() + 40 * 86400, from);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", eid);
    snprintf(body, sizeof body,
             "{\"version\":1,\"doctor_from\":\"%.10s\",\"doctor_until\":\"2099-12-31\"}", from);
    json_decref(EL(&s, g, "PATCH", path, body, 200));
    /* an expired contract recorded for the other */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", none);
    json_decref(EL(&s, g, "PATCH", path,
                   "{\"version\":1,\"doctor_name\":\"王医生\",\"doctor_from\":\"2019-01-01\","
                   "\"doctor_until\":\"2019-12-31\"}",
                   200));
    json_t *o = EL(&s, off, "POST", "/api/v1/elder-alerts/scan", "{}", 200);
    CHECK_INT(th_int(o, "resolved"), 2);
    CHECK_INT(th_int(o, "no_doctor"), 2);
    json_decref(o);
    CHECK_INT(open_no_doctor(&s, eid), 1);
    CHECK_INT(open_no_doctor(&s, none), 1);
    /* the open one describes the contract as it is; the old one says why it went */
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_alerts WHERE kind = 'no_doctor' AND elder_id = %lld AND"
             " state = 'open' AND detail LIKE '%%%.10s – 2099-12-31%%'",
             eid, from);
    CHECK_INT(th_sql_int(&s, q), 1);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_alerts WHERE kind = 'no_doctor' AND elder_id = %lld AND"
             " state = 'resolved' AND resolved_by = 'system' AND resolved_reason = 'the"
             " family-doctor contract changed'",
             eid);
    CHECK_INT(th_sql_int(&s, q), 1);
    /* scanning again changes nothing */
    o = EL(&s, off, "POST", "/api/v1/elder-alerts/scan", "{}", 200);
    CHECK_INT(th_int(o, "resolved") + th_int(o, "no_doctor"), 0);
    json_decref(o);
    /* a contract in force: resolved as before, with that reason, and nothing raised */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", eid);
    json_decref(EL(&s, g, "PATCH", path, "{\"version\":2,\"doctor_from\":\"2020-01-01\"}", 200));
    o = EL(&s, off, "POST", "/api/v1/elder-alerts/scan", "{}", 200);
    CHECK_INT(th_int(o, "resolved"), 1);
    CHECK_INT(th_int(o, "no_doctor"), 0);
    json_decref(o);
    CHECK_INT(open_no_doctor(&s, eid), 0);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_alerts WHERE elder_id = %lld AND resolved_reason = 'a"
             " family-doctor contract is in force'",
             eid);
    CHECK_INT(th_sql_int(&s, q), 1);
    th_stop(&s);
}
