/* The enterprise demo as the live server would have written it: every closed appeal was called
 * back after its reply and before it was closed. */
#include <stdio.h>

#include "domain/enterprise.h"
#include "t.h"
#include "th.h"

/* Regression: the demo put every appeal's return visit a day after its deadline, whatever its
 * reply and close: 108 of the 1,500 closed appeals showed the call-back before the reply, most
 * after the close (closing an appeal not called back after its reply is 409 visit_required on
 * the live server). Each is visited after its reply and before its close. */
TEST(enterprise_demo_appeals_visited_after_their_reply)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_appeals WHERE source = 'synthetic' AND"
                             " state = 'closed' AND replied_at IS NOT NULL"),
              1500);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ent_appeals WHERE state = 'closed' AND"
                             " (visited_at IS NULL OR visited_at <= replied_at OR visited_at >"
                             " closed_at)"),
              0);
    /* and none awaits the call-back */
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/return-visits?limit=500", tok, NULL, &o), 200);
    CHECK_INT((long long)json_array_size(json_object_get(o, "items")), 0);
    json_decref(o);
    th_stop(&s);
}
