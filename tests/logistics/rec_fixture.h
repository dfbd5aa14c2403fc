/* Shared by the agri-tech and logistics API tests: loading the modules' demos into a test
 * server's database, "bad input writes nothing" (CALL, a call that checks its status, is
 * th.h's). */
#ifndef PJ_TEST_REC_FIXTURE_H
#define PJ_TEST_REC_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "domain/agritech.h"
#include "domain/indicator.h"
#include "domain/logistics.h"
#include "t.h"
#include "th.h"

/* The indicators (output, targets) and the two modules' demos, over the demo district. */
static inline void rec_load_demos(th_server *s)
{
    pj_err err;
    pj_err_clear(&err);
    th_ctx t;
    th_ctx_open(s, &t, "demo", PJ_ROLE_ADMIN);
    if (pj_indicators_demo(&t.c, 7, &err) || pj_agritech_demo(&t.c, 7, &err) ||
        pj_logistics_demo(&t.c, 7, &err))
        t_fail(__FILE__, __LINE__, "demo: %s", err.message);
    /* idempotent */
    CHECK_INT(pj_agritech_demo(&t.c, 7, &err), 0);
    CHECK_INT(pj_logistics_demo(&t.c, 7, &err), 0);
    th_ctx_close(&t);
}

/* The call answers `want` with error `code` naming `field` (NULL: any) and the database is
 * unchanged. */
static inline void rec_refused(th_server *s, const char *m, const char *tok, const char *path,
                               const char *body, int want, const char *code, const char *field,
                               const char *file, int line)
{
    static char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(s, fp0, sizeof fp0);
    json_t *o = th_call_want(s, m, tok, path, body, want, file, line);
    if (code && (!th_err_code(o) || strcmp(th_err_code(o), code)))
        t_fail(file, line, "%s %s: error %s, expected %s", m, path,
               th_err_code(o) ? th_err_code(o) : "-", code);
    if (field && (!th_err_field(o) || strcmp(th_err_field(o), field)))
        t_fail(file, line, "%s %s: error on %s, expected on %s (%s)", m, path,
               th_err_field(o) ? th_err_field(o) : "-", field, th_err_message(o));
    json_decref(o);
    th_fingerprint(s, fp1, sizeof fp1);
    if (strcmp(fp0, fp1)) {
        char diff[1024];
        t_fail(file, line, "%s %s wrote something: %s", m, path,
               th_fingerprint_diff(fp0, fp1, diff, sizeof diff));
    }
}
#define REFUSED(s, m, tok, path, body, want, code)                                                 \
    rec_refused(s, m, tok, path, body, want, code, NULL, __FILE__, __LINE__)
#define REFUSED_ON(s, m, tok, path, body, want, code, field)                                       \
    rec_refused(s, m, tok, path, body, want, code, field, __FILE__, __LINE__)

/* Number of items of a list answer (decrefs it). */
static inline size_t rec_count(json_t *o)
{
    size_t n = json_array_size(json_object_get(o, "items"));
    json_decref(o);
    return n;
}

static inline long long rec_sql1(th_server *s, const char *fmt, long long a)
{
    char sql[512];
    snprintf(sql, sizeof sql, fmt, a);
    return th_sql_int(s, sql);
}

#endif
