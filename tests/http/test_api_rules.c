/* Regression tests for rules found in review: each names the behaviour a user relies on. */
#include <stdio.h>
#include <string.h>

#include "domain/ctx.h"
#include "domain/input.h"
#include "http/parse.h"
#include "http/server.h"
#include "t.h"
#include "th.h"

TEST(rules_grid_worker_edit_keeps_grids_and_disabled_on_create)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    long long gw = th_sql_int(&s, "SELECT id FROM users WHERE username = 'grid01'");
    long long grids = th_sql_int(&s, "SELECT COUNT(*) FROM grid_workers g JOIN users u ON"
                                     " u.id = g.user_id WHERE u.username = 'grid01'");
    CHECK(grids > 0);
    char path[64], body[128];
    json_t *o;
    snprintf(path, sizeof path, "/api/v1/users/%lld", gw);
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"version\":1,\"display_name\":\"网格员甲\"}", &o),
              200);
    CHECK_INT(json_array_size(json_object_get(o, "grid_ids")), grids);
    json_decref(o);
    /* a password change through PATCH counts as one version */
    snprintf(body, sizeof body, "{\"version\":2,\"password\":\"another-long-pw\"}");
    CHECK_INT(th_call(&s, "PATCH", path, tok, body, &o), 200);
    CHECK_INT(th_int(o, "version"), 3);
    json_decref(o);
    /* an account created disabled cannot log in */
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/users", tok,
                "{\"username\":\"sleeper\",\"role\":\"viewer\",\"password\":\"long-enough-pw\","
                "\"disabled\":true}",
                &o),
        201);
    CHECK(json_is_true(json_object_get(o, "disabled")));
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/auth/login", NULL,
                      "{\"username\":\"sleeper\",\"password\":\"long-enough-pw\"}", NULL),
              401);
    th_stop(&s);
}

TEST(rules_password_change_ends_other_sessions)
{
    th_server s;
    th_start(&s, 1);
    char a[80], b[80];
    th_login(&s, "viewer", s.demo_pw, a);
    th_login(&s, "viewer", s.demo_pw, b);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/auth/password", a,
                      "{\"old_password\":\"wrong-password\",\"new_password\":\"brand-new-pw-1\"}",
                      &o),
              422);
    CHECK_STR(th_err_field(o), "old_password");
    json_decref(o);
    char body[160];
    snprintf(body, sizeof body, "{\"old_password\":\"%s\",\"new_password\":\"brand-new-pw-1\"}",
             s.demo_pw);
    CHECK_INT(th_call(&s, "POST", "/api/v1/auth/password", a, body, NULL), 204);
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", a, NULL, NULL), 200);
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", b, NULL, NULL), 401);
    th_login(&s, "viewer", "brand-new-pw-1", b);
    th_stop(&s);
}

/* Disabling a user (PATCH disabled, or DELETE) deletes the user's sessions at once: their
 * token is then unknown, 401 unauthorized, not session_expired (which is for a session left
 * idle), as the error table says. */
TEST(rules_disabled_user_token_is_unauthorized)
{
    th_server s;
    th_start(&s, 1);
    char adm[80], v[80], o2[80], path[64], body[80];
    th_login(&s, "admin", s.admin_pw, adm);
    th_login(&s, "viewer", s.demo_pw, v);
    th_login(&s, "officer", s.demo_pw, o2);
    long long vid = th_sql_int(&s, "SELECT id FROM users WHERE username = 'viewer'");
    long long oid = th_sql_int(&s, "SELECT id FROM users WHERE username = 'officer'");
    snprintf(path, sizeof path, "/api/v1/users/%lld", vid);
    snprintf(body, sizeof body, "{\"version\":%lld,\"disabled\":true}",
             th_sql_int(&s, "SELECT version FROM users WHERE username = 'viewer'"));
    CHECK_INT(th_call(&s, "PATCH", path, adm, body, NULL), 200);
    snprintf(path, sizeof path, "/api/v1/users/%lld", oid);
    CHECK_INT(th_call(&s, "DELETE", path, adm, NULL, NULL), 204);
    const char *toks[] = {v, o2};
    for (int i = 0; i < 2; i++) {
        json_t *o;
        CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", toks[i], NULL, &o), 401);
        CHECK_STR(th_err_code(o), "unauthorized");
        json_decref(o);
    }
    th_stop(&s);
}

TEST(rules_enterprise_edits_only_its_contacts)
{
    th_server s;
    th_start(&s, 1);
    char jd[80];
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    char path[64];
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", org);
    json_t *o;
    CHECK_INT(th_call(&s, "PATCH", path, jd, "{\"version\":1,\"type\":\"government\"}", &o), 403);
    CHECK_STR(th_err_field(o), "type");
    json_decref(o);
    CHECK_INT(
        th_call(&s, "PATCH", path, jd, "{\"version\":1,\"contact_phone\":\"13900001111\"}", &o),
        200);
    CHECK_STR(th_str(o, "contact_phone"), "13900001111");
    CHECK_STR(th_str(o, "type"), "enterprise");
    json_decref(o);
    th_stop(&s);
}

TEST(rules_scope_is_checked_before_version_and_coordinates_pair)
{
    th_server s;
    th_start(&s, 1);
    char town[80], off[80];
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "officer", s.demo_pw, off);
    long long other = th_sql_int(&s, "SELECT MIN(f.id) FROM facilities f JOIN regions t ON"
                                     " t.id = f.township_id WHERE t.name = '马坊地区'");
    char path[64];
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", other);
    json_t *o;
    /* outside the officer's township: refused, whatever the version says */
    CHECK_INT(th_call(&s, "PATCH", path, town, "{\"version\":77,\"peacetime_capacity\":1}", &o),
              403);
    json_decref(o);
    long long town_id = th_sql_int(&s, "SELECT id FROM regions WHERE name = '熊儿寨乡'");
    char body[200];
    snprintf(body, sizeof body,
             "{\"type\":\"village\",\"name\":\"无坐标村\",\"code\":\"X-1\",\"parent_id\":%lld}",
             town_id);
    CHECK_INT(th_call(&s, "POST", "/api/v1/regions", off, body, &o), 201);
    snprintf(path, sizeof path, "/api/v1/regions/%lld", th_int(o, "id"));
    json_decref(o);
    /* a region without coordinates cannot get half of them */
    CHECK_INT(th_call(&s, "PATCH", path, off, "{\"version\":1,\"lat\":40.2}", &o), 422);
    CHECK_STR(th_err_field(o), "lon");
    json_decref(o);
    th_stop(&s);
}

TEST(rules_search_wildcards_are_literal_and_405_allow)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "viewer", s.demo_pw, tok);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities?q=%25", tok, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 0);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities?q=_", tok, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 0);
    json_decref(o);
    char hdr[2048];
    CHECK_INT(
        th_call_raw(&s, "PUT", "/api/v1/facilities/1", tok, "{}", 2, NULL, &o, hdr, sizeof hdr),
        405);
    CHECK(strstr(hdr, "Allow: GET, HEAD, PATCH, DELETE"));
    json_decref(o);
    th_stop(&s);
}

TEST(rules_json_depth_limit_is_32_containers)
{
    char in[128];
    json_t *v;
    pj_err e = {0};
    for (int depth = 31; depth <= 33; depth++) {
        int n = 0;
        for (int i = 0; i < depth; i++) in[n++] = '[';
        in[n++] = '1';
        for (int i = 0; i < depth; i++) in[n++] = ']';
        int rc = pj_json_decode(in, (size_t)n, &v, &e);
        CHECK_INT(rc, depth <= 32 ? 0 : -1);
        if (!rc) json_decref(v);
    }
}

TEST(rules_login_cookie_is_a_session_cookie_and_415_reason)
{
    th_server s;
    th_start(&s, 0);
    char body[128], hdr[4096];
    json_t *o;
    snprintf(body, sizeof body, "{\"username\":\"admin\",\"password\":\"%s\"}", s.admin_pw);
    CHECK_INT(
        th_call_raw(&s, "POST", "/api/v1/auth/login", NULL, body, -1, NULL, &o, hdr, sizeof hdr),
        200);
    json_decref(o);
    CHECK(strstr(hdr, "Set-Cookie: pj_session=") && strstr(hdr, "HttpOnly; SameSite=Strict"));
    CHECK(!strstr(hdr, "Max-Age")); /* the server's idle expiry decides, not the browser */
    CHECK(!strstr(hdr, "Secure"));
    CHECK_INT(th_call_raw(&s, "POST", "/api/v1/auth/login", NULL, body, -1, "text/plain", &o, hdr,
                          sizeof hdr),
              415);
    json_decref(o);
    CHECK(strstr(hdr, "415 Unsupported Media Type"));
    th_stop(&s);
}

/* A fixed path is never taken for a sibling {id} route (e.g. /x/compare vs /x/{id}). */
TEST(rules_fixed_paths_win_over_id_routes)
{
    th_server s;
    th_start(&s, 0);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    int n;
    const pj_route *r = pj_routes(&n);
    for (int i = 0; i < n; i++) {
        if (strchr(r[i].path, '{')) continue;
        json_t *o = NULL;
        int st =
            th_call(&s, r[i].method, r[i].path, tok, strcmp(r[i].method, "GET") ? "{}" : NULL, &o);
        if (st == 400 && th_err_code(o) && !strcmp(th_err_code(o), "bad_id"))
            t_fail(__FILE__, __LINE__, "%s %s was routed to an {id} route", r[i].method, r[i].path);
        if (st == 404 && th_err_code(o) && !strcmp(th_err_code(o), "not_found") &&
            strstr(json_string_value(json_object_get(json_object_get(o, "error"), "message")),
                   "no such endpoint"))
            t_fail(__FILE__, __LINE__, "%s %s is not routed", r[i].method, r[i].path);
        json_decref(o);
    }
    th_stop(&s);
}

/* Regression: a fixed path asked with a method it does not have was tried against the sibling
 * {id} routes: POST /facilities/export answered 405 "Allow: GET, HEAD, GET, HEAD, PATCH,
 * DELETE" (the methods of /facilities/{id} too, GET twice) and DELETE /facilities/export 400
 * bad_id. Now it is that path's 405, its Allow the path's own methods, each once. */
TEST(rules_fixed_path_other_method_is_its_own_405)
{
    th_server s;
    th_start(&s, 0);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    int n;
    const pj_route *r = pj_routes(&n);
    static const char *const methods[] = {"GET", "POST", "PATCH", "DELETE", "PUT"};
    int tried = 0;
    for (int i = 0; i < n; i++) {
        if (strchr(r[i].path, '{')) continue;
        /* the path's own methods, as Allow should list them */
        char want[64] = "";
        int has[5] = {0};
        for (size_t k = 0; k < 5; k++) {
            for (int j = 0; j < n; j++)
                if (!strcmp(r[j].path, r[i].path) && !strcmp(r[j].method, methods[k])) has[k] = 1;
        }
        int first = 1;
        for (int j = 0; j < n; j++) {
            if (strcmp(r[j].path, r[i].path)) continue;
            int k = 0;
            while (k < j && strcmp(r[k].path, r[i].path)) k++;
            if (k < j && strcmp(r[k].method, r[j].method) == 0) continue;
            size_t len = strlen(want);
            snprintf(want + len, sizeof want - len, "%s%s%s", first ? "" : ", ", r[j].method,
                     strcmp(r[j].method, "GET") ? "" : ", HEAD");
            first = 0;
        }
        /* once per path: at its first route */
        int j0 = 0;
        while (strcmp(r[j0].path, r[i].path)) j0++;
        if (j0 != i) continue;
        for (size_t k = 0; k < 5; k++) {
            if (has[k]) continue;
            char head[4096], allow[128];
            json_t *o = NULL;
            int st =
                th_call_raw(&s, methods[k], r[i].path, tok, strcmp(methods[k], "GET") ? "{}" : NULL,
                            -1, NULL, &o, head, sizeof head);
            if (st != 405)
                t_fail(__FILE__, __LINE__, "%s %s: %d %s, not 405", methods[k], r[i].path, st,
                       o && th_err_code(o) ? th_err_code(o) : "");
            th_header(head, head + strlen(head), "Allow", allow, sizeof allow);
            if (strcmp(allow, want))
                t_fail(__FILE__, __LINE__, "%s %s: Allow \"%s\", expected \"%s\"", methods[k],
                       r[i].path, allow, want);
            json_decref(o);
            tried++;
        }
    }
    CHECK(tried > 50);
    th_stop(&s);
}

/* Regression: a parameter a read does not take is 400 unknown_parameter before anything is
 * looked up (docs/api.md, section 5: the query is checked before the endpoint's own checks) —
 * GET /pair-requests/{id}?foo=1 and 29 other reads by id answered 404 for an id that does not
 * exist (or is out of the caller's scope) and 400 for one that does, so the answer told which
 * ids exist. Every GET route with an id, asked for an id no record has. */
TEST(rules_unknown_parameter_before_the_lookup)
{
    th_server s;
    th_start(&s, 0);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    int n, tried = 0;
    char bad[4096] = "";
    const pj_route *r = pj_routes(&n);
    for (int i = 0; i < n; i++) {
        if (strcmp(r[i].method, "GET") || !strchr(r[i].path, '{')) continue;
        char path[512] = "";
        for (const char *p = r[i].path; *p;) {
            if (*p == '{') {
                strcat(path, "999999999");
                p = strchr(p, '}') + 1;
            } else
                strncat(path, p++, 1);
        }
        strcat(path, "?bogus_parameter=1");
        json_t *o = NULL;
        int st = th_call(&s, "GET", path, tok, NULL, &o);
        const char *code = o ? th_err_code(o) : NULL;
        if ((st != 400 || !code || strcmp(code, "unknown_parameter")) &&
            strlen(bad) + strlen(path) + 40 < sizeof bad)
            snprintf(bad + strlen(bad), sizeof bad - strlen(bad), "\n  GET %s: %d %s", path, st,
                     code ? code : "");
        json_decref(o);
        tried++;
    }
    if (bad[0]) t_fail(__FILE__, __LINE__, "expected 400 unknown_parameter:%s", bad);
    CHECK(tried > 40);
    th_stop(&s);
}

/* Regression: an unknown parameter's name is the error's field, cut at 63 bytes — in the middle
 * of a character, so the error answer was not UTF-8 and a JSON parser refused it. */
TEST(rules_error_field_cut_stays_utf8)
{
    th_server s;
    th_start(&s, 0);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    char path[512] = "/api/v1/auth/me?a";
    for (int i = 0; i < 30; i++) strcat(path, "%E4%B8%AD"); /* 中 */
    strcat(path, "=1");
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 400);
    CHECK(o != NULL); /* parsed: valid UTF-8 */
    CHECK_STR(th_err_code(o), "unknown_parameter");
    const char *f = th_err_field(o);
    CHECK(f && f[0] == 'a' && strlen(f) <= 63 && strlen(f) >= 61 && (strlen(f) - 1) % 3 == 0);
    json_decref(o);
    th_stop(&s);
}

/* An empty required text is "title is required" (missing), not "must have at least 1
 * characters"; a text too short says how many characters it needs. */
TEST(rules_empty_text_is_required_short_text_names_its_minimum)
{
    json_t *o = json_pack("{s:s, s:s}", "title", "", "username", "ab");
    const char *out = NULL;
    pj_err err;
    pj_err_clear(&err);
    CHECK_INT(pj_in_str(o, "title", 1, 1, 64, &out, &err), -1);
    CHECK_STR(err.code, "missing_field");
    CHECK_STR(err.message, "title is required");
    pj_err_clear(&err);
    CHECK_INT(pj_in_str(o, "username", 1, 3, 32, &out, &err), -1);
    CHECK_STR(err.code, "out_of_range");
    CHECK_STR(err.message, "username must have at least 3 characters");
    json_decref(o);
    /* regression: an empty optional text was "source is required" (it is not: left out, it
     * takes its default); a date of the wrong length "must have at least 10 characters" */
    o = json_pack("{s:s, s:s}", "source", "", "due_date", "2027-1-1");
    pj_err_clear(&err);
    CHECK_INT(pj_in_str(o, "source", 0, 1, 32, &out, &err), -1);
    CHECK_STR(err.code, "missing_field");
    CHECK_STR(err.message, "source must not be empty (leave it out for none)");
    pj_err_clear(&err);
    CHECK_INT(pj_in_str(o, "due_date", 1, 10, 10, &out, &err), -1);
    CHECK_STR(err.code, "out_of_range");
    CHECK_STR(err.message, "due_date must be a date YYYY-MM-DD");
    json_decref(o);
}

/* A role refused by a domain check names the roles that may (regression: "role viewer may not
 * do this", nothing on whom to ask). */
TEST(rules_role_refusal_names_the_roles_that_may)
{
    pj_ctx c = {0};
    c.actor.role = PJ_ROLE_VIEWER;
    pj_err err;
    pj_err_clear(&err);
    CHECK_INT(pj_ctx_require(&c, &err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE), -1);
    CHECK_INT(err.status, 403);
    CHECK_STR(err.message, "role viewer may not do this (only admin, district_officer may)");
    c.actor.role = PJ_ROLE_DISTRICT_OFFICER;
    pj_err_clear(&err);
    CHECK_INT(pj_ctx_require(&c, &err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_NONE), 0);
}
