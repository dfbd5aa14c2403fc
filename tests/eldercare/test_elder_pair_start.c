/* A pair by hand starts neither before the elder's or the helper's registration nor before the
 * end of the elder's latest ended pair: a pair of 1990 for an elder registered today, or one
 * overlapping her earlier pair (two helpers at once in the history), was taken. 422
 * out_of_range on start_date naming the earliest date allowed, nothing written. */
#include <time.h>

#include "core/util.h"
#include "eldercare/el_fixture.h"

/* The Beijing date `days` days ago. */
static void day_ago(int days, char out[11])
{
    time_t t = (time_t)(pj_now() + 8 * 3600 - (int64_t)days * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static void too_early(th_server *s, const char *tok, long long e, long long h, const char *start,
                      const char *earliest, int line)
{
    char body[200], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld,\"start_date\":\"%s\"}", e,
             h, start);
    th_fingerprint(s, fp0, sizeof fp0);
    json_t *o = el_call(s, tok, "POST", "/api/v1/pairs", body, 422, line);
    if (strcmp(th_err_code(o), "out_of_range") || strcmp(th_err_field(o), "start_date") ||
        !strstr(th_err_message(o), earliest))
        t_fail(__FILE__, line, "start %s: %s on %s (%s), expected %s", start, th_err_code(o),
               th_err_field(o), th_err_message(o), earliest);
    json_decref(o);
    th_fingerprint(s, fp1, sizeof fp1);
    if (strcmp(fp0, fp1)) t_fail(__FILE__, line, "start %s wrote", start);
}

TEST_T(eldercare_pair_starts_after_registration_and_last_pair, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], body[300], path[128], sql[300];
    char d60[11], d50[11], d40[11], d30[11], d20[11], today[11];
    day_ago(60, d60), day_ago(50, d50), day_ago(40, d40), day_ago(30, d30);
    day_ago(20, d20), day_ago(0, today);
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    long long e = el_elder(&s, g, grid, 70, "");
    long long h1 = el_helper(&s, g, grid, 70, "1968-01-01", 'F', "");
    long long h2 = el_helper(&s, g, grid, 71, "1969-01-01", 'F', "");
    /* registered today: no pair of 1990 */
    too_early(&s, off, e, h1, "1990-01-01", today, __LINE__);
    /* the elder and the first helper registered 60 days ago, the second 40 */
    snprintf(sql, sizeof sql,
             "UPDATE elders SET created_at = %lld WHERE id = %lld;"
             " UPDATE helpers SET created_at = %lld WHERE id = %lld;"
             " UPDATE helpers SET created_at = %lld WHERE id = %lld",
             (long long)(pj_now() - 60 * 86400), e, (long long)(pj_now() - 60 * 86400), h1,
             (long long)(pj_now() - 40 * 86400), h2);
    th_sql_exec(&s, sql);
    too_early(&s, off, e, h1, "2000-01-01", d60, __LINE__);
    too_early(&s, off, e, h2, d50, d40, __LINE__);
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld,\"start_date\":\"%s\"}", e,
             h1, d50);
    json_t *o = EL(&s, off, "POST", "/api/v1/pairs", body, 201);
    long long p1 = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/pairs/%lld/end", p1);
    snprintf(body, sizeof body, "{\"version\":1,\"end_date\":\"%s\"}", d20);
    json_decref(EL(&s, off, "POST", path, body, 200));
    /* the second helper: not before her pair ended */
    too_early(&s, off, e, h2, d30, d20, __LINE__);
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld,\"start_date\":\"%s\"}", e,
             h2, d20);
    o = EL(&s, off, "POST", "/api/v1/pairs", body, 201);
    CHECK_STR(th_str(o, "start_date"), d20);
    json_decref(o);
    th_stop(&s);
}
