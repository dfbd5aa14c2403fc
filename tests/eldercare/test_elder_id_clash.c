/* An ID number is registered once, so a registration or an ID number change naming a number
 * another elder or helper holds is 409 conflict — an answer that, tried number after number,
 * rebuilt masked numbers district-wide without a trace. Each clash is now an "id_clash" audit
 * row on the record holding the number (who tried, from which record, no number), the answer
 * says nothing of that record, and after PJ_EL_ID_CLASHES_PER_DAY clashes in a Beijing day
 * the user's registrations and ID number changes are 429 too_many_requests until the next. */
#include <stdlib.h>
#include <time.h>

#include "core/util.h"
#include "domain/elder_int.h"
#include "el_fixture.h"

/* id_clash rows by grid01 on entity/id whose after_json is like `like` */
static long long clash_rows(th_server *s, const char *entity, long long id, const char *like)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit a JOIN users u ON u.id = a.user_id WHERE u.username ="
             " 'grid01' AND a.username = 'grid01' AND a.action = 'id_clash' AND a.entity = '%s'"
             " AND a.entity_id = %lld AND a.before_json IS NULL AND a.after_json LIKE '%s'",
             entity, id, like);
    return th_sql_int(s, sql);
}

/* POST or PATCH as tok refused with status/code at id_number; the message into msg (200) */
static void refused(th_server *s, const char *tok, const char *m, const char *path,
                    const char *body, int want, const char *code, char msg[200], int line)
{
    json_t *o = el_call(s, tok, m, path, body, want, line);
    if (strcmp(th_err_code(o), code) || strcmp(th_err_field(o), "id_number"))
        t_fail(__FILE__, line, "%s %s: %s at %s", m, path, th_err_code(o), th_err_field(o));
    snprintf(msg, 200, "%s", th_err_message(o));
    json_decref(o);
}
#define REFUSED(tok, m, path, body, want, code, msg)                                               \
    refused(&s, tok, m, path, body, want, code, msg, __LINE__)

static void elder_body(char *out, size_t n, const char *idn, long long grid)
{
    snprintf(out, n,
             "{\"name\":\"临时\",\"sex\":\"F\",\"birth_date\":\"1940-03-15\",\"id_number\":\"%s\","
             "\"grid_id\":%lld,\"ability_level\":0}",
             idn, grid);
}

TEST_T(eldercare_id_number_clashes_are_audited_and_limited, 120)
{
    th_server s;
    /* noon: the day's limit counts from Beijing's midnight, which must not pass mid-test */
    th_clock_at("2026-06-10", 12, 0);
    th_start(&s, 1);
    char off[80], g[80], path[64], body[512], sql[400], like[96], msg[200], msg2[200];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    long long there = el_grid_outside_grid01(&s);
    CHECK(there > 0);
    /* an elder and a helper grid01 may not open, one elder of grid01's */
    long long far = el_elder(&s, off, there, 50, "");
    long long far_h = el_helper(&s, off, there, 50, "1970-02-02", 'F', "");
    long long near = el_elder(&s, g, grid, 51, "");
    char far_idn[19], near_idn[19], far_h_idn[19], fresh[19];
    el_id(far_idn, "19400315", 50, 'F');
    el_id(near_idn, "19400315", 51, 'F');
    el_id(far_h_idn, "19700202", 50, 'F');

    /* a registration naming the number of an elder out of scope: 409, the record unnamed,
     * the same words as for an elder grid01 sees; an id_clash row on that elder */
    elder_body(body, sizeof body, far_idn, grid);
    REFUSED(g, "POST", "/api/v1/elders", body, 409, "conflict", msg);
    /* it says what the receiving grid worker can do about a person who moved here from another
     * township (a bare "exists" left them stuck): a district officer moves the record */
    CHECK(strstr(msg, "a district officer moves it") != NULL);
    CHECK(!strstr(msg, "老人50"));
    snprintf(sql, sizeof sql, "%lld", far);
    CHECK(!strstr(msg, sql));
    snprintf(sql, sizeof sql, "%lld", there);
    CHECK(!strstr(msg, sql));
    elder_body(body, sizeof body, near_idn, grid);
    REFUSED(g, "POST", "/api/v1/elders", body, 409, "conflict", msg2);
    CHECK_STR(msg2, msg);
    CHECK_INT(clash_rows(&s, "elder", far, "{\"tried_from\":null}"), 1);
    CHECK_INT(clash_rows(&s, "elder", near, "{\"tried_from\":null}"), 1);
    /* an ID number change: the row names the elder it was tried from */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", near);
    snprintf(body, sizeof body, "{\"version\":1,\"id_number\":\"%s\"}", far_idn);
    REFUSED(g, "PATCH", path, body, 409, "conflict", msg2);
    CHECK_STR(msg2, msg);
    snprintf(like, sizeof like, "{\"tried_from\":%lld}", near);
    CHECK_INT(clash_rows(&s, "elder", far, like), 1);
    /* helpers alike */
    char hb[512];
    snprintf(hb, sizeof hb,
             "{\"name\":\"临时\",\"sex\":\"F\",\"birth_date\":\"1970-02-02\",\"id_number\":\"%s\","
             "\"grid_id\":%lld,\"skills\":[\"companionship\"],\"capacity\":1}",
             far_h_idn, grid);
    REFUSED(g, "POST", "/api/v1/helpers", hb, 409, "conflict", msg2);
    CHECK_INT(clash_rows(&s, "helper", far_h, "{\"tried_from\":null}"), 1);
    long long near_h = el_helper(&s, g, grid, 51, "1970-02-02", 'F', "");
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", near_h);
    snprintf(body, sizeof body, "{\"version\":1,\"id_number\":\"%s\"}", far_h_idn);
    REFUSED(g, "PATCH", path, body, 409, "conflict", msg2);
    snprintf(like, sizeof like, "{\"tried_from\":%lld}", near_h);
    CHECK_INT(clash_rows(&s, "helper", far_h, like), 1);
    /* no number in any of the rows */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE action = 'id_clash' AND (after_json LIKE '%%%.10s%%'"
             " OR after_json LIKE '%%%.10s%%')",
             far_idn, far_h_idn);
    CHECK_INT(th_sql_int(&s, sql), 0);

    /* 5 clashes so far; 5 more reach the day's limit */
    elder_body(body, sizeof body, far_idn, grid);
    for (int i = 0; i < PJ_EL_ID_CLASHES_PER_DAY - 5; i++)
        REFUSED(g, "POST", "/api/v1/elders", body, 409, "conflict", msg2);
    CHECK_INT(clash_rows(&s, "elder", far, "%"), PJ_EL_ID_CLASHES_PER_DAY - 3);
    /* from here grid01's registrations and ID number changes are refused, clash or not, and
     * nothing is written */
    char fa[TH_FINGERPRINT_SIZE], fb[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fa, sizeof fa);
    REFUSED(g, "POST", "/api/v1/elders", body, 429, "too_many_requests", msg2);
    /* the answer says when to try again: the next Beijing midnight, at most a day away */
    char hdr[2048];
    CHECK_INT(th_call_raw(&s, "POST", "/api/v1/elders", g, body, -1, NULL, NULL, hdr, sizeof hdr),
              429);
    const char *ra = strstr(hdr, "\r\nRetry-After: ");
    CHECK(ra != NULL);
    long wait = ra ? strtol(ra + 15, NULL, 10) : 0;
    long bj = (long)((pj_now() + 8 * 3600) % 86400); /* seconds into the Beijing day */
    CHECK(wait >= 1 && wait <= 86400);
    CHECK(labs(wait - (86400 - bj)) <= 5);
    el_id(fresh, "19400315", 60, 'F');
    elder_body(body, sizeof body, fresh, grid);
    REFUSED(g, "POST", "/api/v1/elders", body, 429, "too_many_requests", msg2);
    REFUSED(g, "POST", "/api/v1/helpers", hb, 429, "too_many_requests", msg2);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", near);
    snprintf(body, sizeof body, "{\"version\":1,\"id_number\":\"%s\"}", fresh);
    REFUSED(g, "PATCH", path, body, 429, "too_many_requests", msg2);
    th_fingerprint(&s, fb, sizeof fb);
    CHECK_STR(fb, fa);
    /* other changes go on; so does another user */
    snprintf(body, sizeof body, "{\"version\":1,\"id_number\":\"%s\",\"name\":\"老人五十一\"}",
             near_idn);
    json_decref(EL(&s, g, "PATCH", path, body, 200));
    el_elder(&s, off, grid, 61, "");
    /* the next Beijing day the clashes of the last one no longer count */
    th_sql_exec(&s, "UPDATE audit SET at = at - 86400 WHERE action = 'id_clash'");
    el_elder(&s, g, grid, 60, "");
    th_stop(&s);
}

/* A helper's elder_id (低龄助高龄) is checked against the elder's ID number: each wrong number
 * answered "has another ID number" with nothing written and no trace, and a grid outside the
 * caller's area, checked after it, told the right number from a wrong one without writing
 * anything. The comparison is now the last check, and a wrong number is an id_clash on the
 * elder counted toward the day's limit. */
TEST_T(eldercare_helper_elder_id_numbers_are_clashes, 120)
{
    th_server s;
    /* noon: the day's limit counts from Beijing's midnight, which must not pass mid-test */
    th_clock_at("2026-06-10", 12, 0);
    th_start(&s, 1);
    char g[80], body[600], path[64], like[96], right[19], wrong[19], a[200], b[200];
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    long long there = el_grid_outside_grid01(&s);
    long long e = el_elder(&s, g, grid, 70, "");
    el_id(right, "19400315", 70, 'F');
    const char *fmt = "{\"name\":\"老人70\",\"sex\":\"F\",\"birth_date\":\"1940-03-15\","
                      "\"id_number\":\"%s\",\"grid_id\":%lld,\"skills\":[\"companionship\"],"
                      "\"capacity\":1,\"elder_id\":%lld}";
    /* a grid outside the area: the same refusal for the right and a wrong number, no row */
    el_id(wrong, "19400315", 71, 'F');
    snprintf(body, sizeof body, fmt, wrong, there, e);
    json_t *o = EL(&s, g, "POST", "/api/v1/helpers", body, 422);
    CHECK_STR(th_err_field(o), "grid_id");
    snprintf(a, sizeof a, "%s", th_err_message(o));
    json_decref(o);
    snprintf(body, sizeof body, fmt, right, there, e);
    o = EL(&s, g, "POST", "/api/v1/helpers", body, 422);
    CHECK_STR(th_err_field(o), "grid_id");
    CHECK_STR(th_err_message(o), a);
    json_decref(o);
    CHECK_INT(clash_rows(&s, "elder", e, "%"), 0);
    /* a wrong number in the caller's grid: refused, an id_clash row on the elder */
    snprintf(body, sizeof body, fmt, wrong, grid, e);
    o = EL(&s, g, "POST", "/api/v1/helpers", body, 422);
    CHECK_STR(th_err_field(o), "elder_id");
    json_decref(o);
    CHECK_INT(clash_rows(&s, "elder", e, "{\"tried_from\":null}"), 1);
    /* a PATCH linking a helper to the elder: the row names the helper it was tried from */
    long long h = el_helper(&s, g, grid, 72, "1970-02-02", 'F', "");
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", h);
    snprintf(body, sizeof body, "{\"version\":1,\"elder_id\":%lld}", e);
    o = EL(&s, g, "PATCH", path, body, 422);
    CHECK_STR(th_err_field(o), "elder_id");
    snprintf(b, sizeof b, "%s", th_err_message(o));
    json_decref(o);
    snprintf(like, sizeof like, "{\"tried_from\":%lld}", h);
    CHECK_INT(clash_rows(&s, "elder", e, like), 1);
    /* a stale version is refused before the numbers are compared: no row */
    snprintf(body, sizeof body, "{\"version\":9,\"elder_id\":%lld}", e);
    json_decref(EL(&s, g, "PATCH", path, body, 409));
    CHECK_INT(clash_rows(&s, "elder", e, "%"), 2);
    /* counted toward the day's limit: after it, the right number is 429 like a wrong one */
    for (int i = 2; i < PJ_EL_ID_CLASHES_PER_DAY; i++) {
        el_id(wrong, "19400315", 72 + i, 'F');
        snprintf(body, sizeof body, fmt, wrong, grid, e);
        json_decref(EL(&s, g, "POST", "/api/v1/helpers", body, 422));
    }
    CHECK_INT(clash_rows(&s, "elder", e, "%"), PJ_EL_ID_CLASHES_PER_DAY);
    char fa[TH_FINGERPRINT_SIZE], fb[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fa, sizeof fa);
    snprintf(body, sizeof body, fmt, right, grid, e);
    o = EL(&s, g, "POST", "/api/v1/helpers", body, 429);
    CHECK_STR(th_err_code(o), "too_many_requests");
    json_decref(o);
    snprintf(body, sizeof body, "{\"version\":1,\"elder_id\":%lld}", e);
    json_decref(EL(&s, g, "PATCH", path, body, 429));
    th_fingerprint(&s, fb, sizeof fb);
    CHECK_STR(fb, fa);
    /* the next day the right number links */
    th_sql_exec(&s, "UPDATE audit SET at = at - 86400 WHERE action = 'id_clash'");
    snprintf(body, sizeof body, fmt, right, grid, e);
    json_decref(EL(&s, g, "POST", "/api/v1/helpers", body, 201));
    th_stop(&s);
}

/* Regression: once a linked elder's ID number was corrected, every edit of the helper (its
 * phone, say) wrote an id_clash row on the elder and counted toward the day's limit — guesses
 * nobody made. Such an edit is refused (the link no longer holds) without a row. */
TEST_T(eldercare_helper_edit_after_elder_number_change_is_no_clash, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], body[600], path[64], sql[200], right[19];
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    long long e = el_elder(&s, g, grid, 80, "");
    el_id(right, "19400315", 80, 'F');
    snprintf(body, sizeof body,
             "{\"name\":\"老人80\",\"sex\":\"F\",\"birth_date\":\"1940-03-15\",\"id_number\":"
             "\"%s\",\"grid_id\":%lld,\"skills\":[\"companionship\"],\"capacity\":1,"
             "\"elder_id\":%lld}",
             right, grid, e);
    json_t *o = EL(&s, g, "POST", "/api/v1/helpers", body, 201);
    long long h = th_int(o, "id");
    json_decref(o);
    char other[19];
    el_id(other, "19400315", 81, 'F');
    snprintf(sql, sizeof sql, "UPDATE elders SET id_number = '%s' WHERE id = %lld", other, e);
    th_sql_exec(&s, sql);
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", h);
    o = EL(&s, g, "PATCH", path, "{\"version\":1,\"phone\":\"13900001111\"}", 422);
    CHECK_STR(th_err_field(o), "elder_id");
    json_decref(o);
    CHECK_INT(clash_rows(&s, "elder", e, "%"), 0);
    th_stop(&s);
}
