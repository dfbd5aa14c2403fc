/* A write that changes nothing writes nothing: the dispatch catalogue set to the department a
 * category already has, and a holiday calendar day posted again as it is, each bumped a version
 * or wrote an audit row whose before and after were the same (and the calendar's redid every
 * open appeal's deadlines for nothing). Answered as before, with nothing written. */
#include <stdio.h>
#include <string.h>

#include "domain/enterprise.h"
#include "t.h"
#include "th.h"

TEST(enterprise_dispatch_and_calendar_sent_again_write_nothing)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    char off[80], body[160], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE], diff[4096];
    th_login(&s, "officer", s.demo_pw, off);
    long long dept = th_sql_int(&s, "SELECT department_id FROM ent_dispatch WHERE category ="
                                    " 'tax'");
    CHECK(dept > 0);
    json_t *o;
    /* the calendar day once, then again as it is */
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2027-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", &o),
              201);
    json_decref(o);
    th_fingerprint(&s, fp0, sizeof fp0);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2027-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", &o),
              200);
    CHECK_STR(th_str(o, "kind"), "holiday");
    CHECK(json_is_array(json_object_get(o, "reception_days_to_move")));
    json_decref(o);
    snprintf(body, sizeof body, "{\"category\":\"tax\",\"department_id\":%lld}", dept);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/dispatch-catalogue", off, body, &o), 200);
    CHECK_INT(th_int(o, "department_id"), dept);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    if (strcmp(fp0, fp1))
        t_fail(__FILE__, __LINE__, "sent again, it wrote: %s",
               th_fingerprint_diff(fp0, fp1, diff, sizeof diff));
    /* a change is one */
    long long other = th_sql_int(&s, "SELECT MIN(id) FROM organisations WHERE type = 'government'"
                                     " AND id <> (SELECT department_id FROM ent_dispatch WHERE"
                                     " category = 'tax')");
    snprintf(body, sizeof body, "{\"category\":\"tax\",\"department_id\":%lld}", other);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/dispatch-catalogue", off, body, NULL), 200);
    CHECK_INT(th_sql_int(&s, "SELECT department_id FROM ent_dispatch WHERE category = 'tax'"),
              other);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ent_dispatch'"), 1);
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/calendar", off,
                      "{\"day\":\"2027-01-01\",\"kind\":\"holiday\",\"name\":\"新年\"}", NULL),
              200);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ent_calendar' AND action"
                             " = 'update'"),
              1);
    th_stop(&s);
}
