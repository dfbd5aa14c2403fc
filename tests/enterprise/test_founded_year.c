/* A firm's founding year is no later than the current year (Beijing time): a year ahead is
 * 422 out_of_range at founded_year and nothing is written; this year and 1900 are taken. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "t.h"
#include "th.h"

TEST(enterprise_founded_year_not_after_this_year)
{
    th_server s;
    th_start(&s, 1);
    char jd[80], path[128], body[96], today[11];
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    snprintf(path, sizeof path, "/api/v1/enterprise/profiles/%lld", org);
    pj_local_date(pj_now(), today);
    int year =
        (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
    char sql[128];
    snprintf(sql, sizeof sql,
             "SELECT COALESCE(MAX(version), 0) FROM ent_profiles WHERE org_id = %lld", org);
    long long v = th_sql_int(&s, sql);
    long long audits = th_sql_int(&s, "SELECT COUNT(*) FROM audit");

    /* next year and 2099: refused at the field, nothing written */
    int bad[] = {year + 1, 2099, 1899};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        json_t *o = NULL;
        snprintf(body, sizeof body, "{\"version\":%lld,\"founded_year\":%d}", v, bad[i]);
        CHECK_INT(th_call(&s, "PATCH", path, jd, body, &o), 422);
        CHECK_STR(th_err_code(o), "out_of_range");
        CHECK_STR(th_err_field(o), "founded_year");
        json_decref(o);
    }
    CHECK_INT(th_sql_int(&s, sql), v);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit"), audits);

    /* this year and 1900 are taken */
    int good[] = {year, 1900};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        json_t *o = NULL;
        snprintf(body, sizeof body, "{\"version\":%lld,\"founded_year\":%d}", v, good[i]);
        CHECK_INT(th_call(&s, "PATCH", path, jd, body, &o), 200);
        CHECK_INT(th_int(o, "founded_year"), good[i]);
        v = th_int(o, "version");
        json_decref(o);
    }
    th_stop(&s);
}
