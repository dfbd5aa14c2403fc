/* A create takes the "version" of an update's body and ignores it, but, as the API documents
 * it, only as an integer: these creates once took any value there ("x", {}, 1.5) with 201. */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "th.h"

TEST_T(api_create_refuses_a_version_that_is_no_integer, 90)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    long long town = th_sql_int(&s, "SELECT id FROM regions WHERE type = 'township' LIMIT 1");
    CHECK(town > 0);
    char body[512];
    static const struct {
        const char *path, *fmt;
    } creates[] = {
        {"/api/v1/users",
         "{\"username\":\"probe_%d\",\"role\":\"viewer\",\"password\":\"Kq7mZ2pLw9xR\"%s}"},
        {"/api/v1/regions",
         "{\"type\":\"village\",\"name\":\"版本村%d\",\"code\":\"V%d\",\"parent_id\":%lld%s}"},
        {"/api/v1/organisations", "{\"name\":\"版本单位%d\",\"type\":\"other\"%s}"},
        {"/api/v1/facilities", "{\"name\":\"版本设施%d\",\"type\":\"hotel\",\"township_id\":%lld,"
                               "\"lat\":40.1,\"lon\":117.1%s}"},
    };
    static const char *const bad[] = {",\"version\":\"x\"", ",\"version\":{}", ",\"version\":1.5",
                                      ",\"version\":true"};
    for (size_t i = 0; i < sizeof creates / sizeof creates[0]; i++) {
        for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
            int n = (int)(i * 10 + b);
            if (i == 0 || i == 2)
                snprintf(body, sizeof body, creates[i].fmt, n, bad[b]);
            else if (i == 1)
                snprintf(body, sizeof body, creates[i].fmt, n, n, town, bad[b]);
            else
                snprintf(body, sizeof body, creates[i].fmt, n, town, bad[b]);
            char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
            th_fingerprint(&s, before, sizeof before);
            json_t *o;
            int st = th_call(&s, "POST", creates[i].path, tok, body, &o);
            if (st != 422)
                t_fail(__FILE__, __LINE__, "POST %s %s: %d, expected 422", creates[i].path, body,
                       st);
            CHECK_STR(th_err_code(o), "wrong_type");
            CHECK_STR(th_err_field(o), "version");
            json_decref(o);
            th_fingerprint(&s, after, sizeof after);
            CHECK_STR(after, before);
        }
        /* an integer is still accepted and ignored: the new record is at version 1 */
        int n = (int)(i * 10 + 9);
        if (i == 0 || i == 2)
            snprintf(body, sizeof body, creates[i].fmt, n, ",\"version\":7");
        else if (i == 1)
            snprintf(body, sizeof body, creates[i].fmt, n, n, town, ",\"version\":7");
        else
            snprintf(body, sizeof body, creates[i].fmt, n, town, ",\"version\":7");
        json_t *o;
        int st = th_call(&s, "POST", creates[i].path, tok, body, &o);
        if (st != 201)
            t_fail(__FILE__, __LINE__, "POST %s %s: %d, expected 201", creates[i].path, body, st);
        CHECK_INT(th_int(o, "version"), 1);
        json_decref(o);
    }
    th_stop(&s);
}
