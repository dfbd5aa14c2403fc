/* The elders due or overdue for a visit, as a list filter (GET /api/v1/elders): visit_overdue=1
 * keeps those whose next_visit_due has passed, visit_due_by=YYYY-MM-DD those due by the end of
 * that Beijing day, the overdue among them. There was no such filter (400 unknown_parameter):
 * the week's round meant reading every elder of the grids. */
#include <time.h>
#include "core/util.h"
#include "eldercare/el_fixture.h"

/* the ids GET path lists for tok, as "id,id," in list order */
static void ids_of(th_server *s, const char *tok, const char *path, char *out, size_t size)
{
    json_t *o = EL(s, tok, "GET", path, NULL, 200);
    size_t i, len = 0;
    json_t *x;
    out[0] = 0;
    json_array_foreach(json_object_get(o, "items"), i, x)
    {
        int n = snprintf(out + len, size - len, "%lld,", th_int(x, "id"));
        if (n > 0 && (size_t)n < size - len) len += (size_t)n;
    }
    json_decref(o);
}

/* the Beijing date `days` from now */
static void beijing_day(int days, char out[11])
{
    time_t t = (time_t)(pj_now() + 8 * 3600 + (int64_t)days * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

TEST_T(elder_list_visit_due_filters, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], sql[200], path[200], got[200], want[200], day[11];
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    int64_t now = pj_now();
    /* a: high risk (every 7 days), registered 10 days ago, never visited: 3 days overdue;
     * b: high risk, registered 3 days ago: due in 4 days; c: normal (90 days), new;
     * d: key (30 days), registered 100 days ago, visited yesterday: due in 29 days;
     * e: as a, but moved away: on no visit list */
    long long a = el_elder(&s, g, grid, 1, "\"visit_tier\":\"high_risk\"");
    long long b = el_elder(&s, g, grid, 2, "\"visit_tier\":\"high_risk\"");
    long long c = el_elder(&s, g, grid, 3, "\"visit_tier\":\"normal\"");
    long long d = el_elder(&s, g, grid, 4, "\"visit_tier\":\"key\"");
    long long e = el_elder(&s, g, grid, 5, "\"visit_tier\":\"high_risk\"");
    const struct {
        long long id, created, last;
    } set[] = {{a, 10, 0}, {b, 3, 0}, {d, 100, 1}, {e, 10, 0}};
    for (size_t i = 0; i < sizeof set / sizeof *set; i++) {
        snprintf(sql, sizeof sql,
                 "UPDATE elders SET created_at = %lld, last_visit_at = %s WHERE id = %lld",
                 (long long)(now - set[i].created * 86400), "NULL", set[i].id);
        if (set[i].last)
            snprintf(sql, sizeof sql,
                     "UPDATE elders SET created_at = %lld, last_visit_at = %lld WHERE id = %lld",
                     (long long)(now - set[i].created * 86400),
                     (long long)(now - set[i].last * 86400), set[i].id);
        th_sql_exec(&s, sql);
    }
    snprintf(sql, sizeof sql, "UPDATE elders SET status = 'moved' WHERE id = %lld", e);
    th_sql_exec(&s, sql);

    ids_of(&s, g, "/api/v1/elders?visit_overdue=1", got, sizeof got);
    snprintf(want, sizeof want, "%lld,", a);
    CHECK_STR(got, want);
    beijing_day(7, day);
    snprintf(path, sizeof path, "/api/v1/elders?visit_due_by=%s", day);
    ids_of(&s, g, path, got, sizeof got);
    snprintf(want, sizeof want, "%lld,%lld,", a, b);
    CHECK_STR(got, want);
    beijing_day(40, day);
    snprintf(path, sizeof path, "/api/v1/elders?visit_due_by=%s", day);
    ids_of(&s, g, path, got, sizeof got);
    snprintf(want, sizeof want, "%lld,%lld,%lld,", a, b, d);
    CHECK_STR(got, want);
    /* both: the earlier bound; and with the other filters (AND) */
    snprintf(path, sizeof path, "/api/v1/elders?visit_due_by=%s&visit_overdue=1", day);
    ids_of(&s, g, path, got, sizeof got);
    snprintf(want, sizeof want, "%lld,", a);
    CHECK_STR(got, want);
    snprintf(path, sizeof path, "/api/v1/elders?visit_due_by=%s&visit_tier=key", day);
    ids_of(&s, g, path, got, sizeof got);
    snprintf(want, sizeof want, "%lld,", d);
    CHECK_STR(got, want);
    /* today: a only (b is due in 4 days); paged as any list */
    beijing_day(0, day);
    snprintf(path, sizeof path, "/api/v1/elders?visit_due_by=%s&limit=1", day);
    ids_of(&s, g, path, got, sizeof got);
    snprintf(want, sizeof want, "%lld,", a);
    CHECK_STR(got, want);
    /* what the list says of them agrees */
    json_t *o = EL(&s, g, "GET", "/api/v1/elders?visit_overdue=1&view=full", NULL, 200);
    json_t *it = json_array_get(json_object_get(o, "items"), 0);
    CHECK(json_is_true(json_object_get(it, "visit_overdue")));
    json_decref(o);
    /* e moved away: visited no more, so no visit is due or overdue (the list showed them
     * overdue for ever), in the list, the full page and the record alike */
    const char *moved[] = {"/api/v1/elders?status=moved", "/api/v1/elders?status=moved&view=full"};
    for (size_t k = 0; k < 2; k++) {
        o = EL(&s, g, "GET", moved[k], NULL, 200);
        it = json_array_get(json_object_get(o, "items"), 0);
        CHECK_INT(th_int(it, "id"), e);
        CHECK(json_is_null(json_object_get(it, "next_visit_due")));
        CHECK(json_is_null(json_object_get(it, "visit_overdue")));
        json_decref(o);
    }
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e);
    o = EL(&s, g, "GET", path, NULL, 200);
    CHECK(json_is_null(json_object_get(o, "next_visit_due")));
    CHECK(json_is_null(json_object_get(o, "visit_overdue")));
    CHECK_STR(json_string_value(json_object_get(o, "status")), "moved");
    json_decref(o);
    /* the active ones keep theirs */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", a);
    o = EL(&s, g, "GET", path, NULL, 200);
    CHECK(json_is_true(json_object_get(o, "visit_overdue")));
    CHECK(json_is_string(json_object_get(o, "next_visit_due")));
    json_decref(o);
    ids_of(&s, g, "/api/v1/elders?visit_overdue=0", got, sizeof got);
    snprintf(want, sizeof want, "%lld,%lld,%lld,%lld,%lld,", a, b, c, d, e);
    CHECK_STR(got, want);
    /* refused at the parameter, nothing else said */
    const char *bad[] = {"/api/v1/elders?visit_due_by=2026-13-01",
                         "/api/v1/elders?visit_due_by=tomorrow", "/api/v1/elders?visit_overdue=2"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        json_t *r = NULL;
        CHECK_INT(th_call(&s, "GET", bad[i], g, NULL, &r), 400);
        CHECK_STR(th_err_code(r), "bad_query");
        CHECK_STR(th_err_field(r), i < 2 ? "visit_due_by" : "visit_overdue");
        json_decref(r);
    }
    (void)c;
    th_stop(&s);
}
