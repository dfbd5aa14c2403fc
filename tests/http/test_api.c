/* API tests over a real socket: auth, registry endpoints, validation, roles, audit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/server.h"
#include "t.h"
#include "th.h"

static long long find_id(th_server *s, const char *tok, const char *path)
{
    json_t *o;
    int st = th_call(s, "GET", path, tok, NULL, &o);
    if (st != 200) t_fail(__FILE__, __LINE__, "GET %s: %d", path, st);
    json_t *items = json_object_get(o, "items");
    long long id = json_array_size(items) ? th_int(json_array_get(items, 0), "id") : 0;
    json_decref(o);
    return id;
}

static long long version_of(th_server *s, const char *tok, const char *path)
{
    json_t *o;
    CHECK_INT(th_call(s, "GET", path, tok, NULL, &o), 200);
    long long v = th_int(o, "version");
    json_decref(o);
    return v;
}

TEST(api_health_is_public)
{
    th_server s;
    th_start(&s, 0);
    json_t *o;
    char hdr[2048];
    CHECK_INT(th_call_raw(&s, "GET", "/api/v1/health", NULL, NULL, -1, NULL, &o, hdr, sizeof hdr),
              200);
    CHECK_STR(th_str(o, "status"), "ok");
    CHECK(strstr(hdr, "X-Request-Id:") != NULL);
    json_decref(o);
    th_stop(&s);
}

TEST(api_login_me_logout_and_cookie)
{
    th_server s;
    th_start(&s, 0);
    json_t *o;
    char hdr[4096];
    char body[128];
    snprintf(body, sizeof body, "{\"username\":\"admin\",\"password\":\"%s\"}", s.admin_pw);
    CHECK_INT(
        th_call_raw(&s, "POST", "/api/v1/auth/login", NULL, body, -1, NULL, &o, hdr, sizeof hdr),
        200);
    const char *tok = th_str(o, "token");
    CHECK(tok && strlen(tok) == 64);
    CHECK_STR(th_str(json_object_get(o, "user"), "role"), "admin");
    CHECK(strstr(hdr, "pj_session=") && strstr(hdr, "HttpOnly") && strstr(hdr, "SameSite=Strict"));
    char token[80];
    snprintf(token, sizeof token, "%s", tok);
    json_decref(o);
    /* the token is stored hashed, never in clear */
    char q[200];
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM sessions WHERE token_hash = '%s'", token);
    CHECK_INT(th_sql_int(&s, q), 0);
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", token, NULL, &o), 200);
    CHECK_STR(th_str(o, "username"), "admin");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", NULL, NULL, &o), 401);
    CHECK_STR(th_err_code(o), "unauthorized");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/auth/logout", token, NULL, NULL), 204);
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", token, NULL, NULL), 401);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'login'") == 1);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'logout'") == 1);
    th_stop(&s);
}

TEST(api_password_stored_as_argon2id)
{
    th_server s;
    th_start(&s, 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM users WHERE password_hash LIKE '$argon2id$%'"),
              1);
    th_stop(&s);
}

TEST(api_lockout_after_five_failures)
{
    th_server s;
    th_start(&s, 0);
    json_t *o;
    for (int i = 0; i < 5; i++) {
        CHECK_INT(th_call(&s, "POST", "/api/v1/auth/login", NULL,
                          "{\"username\":\"admin\",\"password\":\"not-the-password\"}", &o),
                  401);
        CHECK_STR(th_err_code(o), "invalid_credentials");
        json_decref(o);
    }
    char body[128];
    snprintf(body, sizeof body, "{\"username\":\"admin\",\"password\":\"%s\"}", s.admin_pw);
    CHECK_INT(th_call(&s, "POST", "/api/v1/auth/login", NULL, body, &o), 423);
    CHECK_STR(th_err_code(o), "locked");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'login_failed'"), 4);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'login_locked'"), 1);
    /* an unknown user gets the same answer as a wrong password */
    CHECK_INT(th_call(&s, "POST", "/api/v1/auth/login", NULL,
                      "{\"username\":\"nobody\",\"password\":\"whatever-123\"}", &o),
              401);
    CHECK_STR(th_err_code(o), "invalid_credentials");
    json_decref(o);
    th_stop(&s);
}

TEST(api_session_idle_expiry)
{
    th_server s;
    th_start_idle(&s, 0, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", tok, NULL, NULL), 200);
    sleep(3);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", tok, NULL, &o), 401);
    CHECK_STR(th_err_code(o), "session_expired");
    json_decref(o);
    th_stop(&s);
}

/* GET /auth/me says the session's idle time as the log-in does (expires_in, seconds): the
 * console opened again on its cookie counts down the server's time, not a default. */
TEST(api_me_says_the_idle_time)
{
    th_server s;
    th_start_idle(&s, 0, 300);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", tok, NULL, &o), 200);
    CHECK_STR(json_string_value(json_object_get(o, "username")), "admin");
    CHECK(json_is_integer(json_object_get(o, "expires_in")));
    CHECK_INT(json_integer_value(json_object_get(o, "expires_in")), 300);
    json_decref(o);
    th_stop(&s);
}

TEST(api_me_says_the_default_idle_time)
{
    th_server s;
    th_start(&s, 0);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", tok, NULL, &o), 200);
    CHECK_INT(json_integer_value(json_object_get(o, "expires_in")), 1800);
    json_decref(o);
    th_stop(&s);
}

/* A log-in removes the sessions idle for longer than the idle time and a day; the others stay
 * and keep working, and the log-ins stay in the audit. */
TEST(api_login_prunes_stale_sessions)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], old[80];
    th_login(&s, "admin", s.admin_pw, old);
    th_login(&s, "admin", s.admin_pw, tok);
    /* the first session idle for 30 min and a day and a minute (the default idle time is
     * 30 min): past the grace; a second row idle for two hours: expired, within the grace */
    th_sql_exec(&s, "UPDATE sessions SET last_seen = strftime('%s','now') - 1800 - 86400 - 60"
                    " WHERE id = (SELECT MIN(id) FROM sessions)");
    th_sql_exec(&s, "INSERT INTO sessions (user_id, token_hash, created_at, last_seen)"
                    " SELECT id, 'graced', strftime('%s','now') - 7300,"
                    " strftime('%s','now') - 7200 FROM users WHERE username = 'admin'");
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM sessions"), 3);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", old, NULL, &o), 401);
    CHECK_STR(th_err_code(o), "session_expired");
    json_decref(o);
    char third[80];
    th_login(&s, "admin", s.admin_pw, third);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM sessions"), 3);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM sessions WHERE token_hash = 'graced'"), 1);
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", old, NULL, &o), 401);
    CHECK_STR(th_err_code(o), "unauthorized");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", tok, NULL, NULL), 200);
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", third, NULL, NULL), 200);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'login'"), 3);
    /* a backlog goes at most 1000 rows a log-in */
    th_sql_exec(&s, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)"
                    " INSERT INTO sessions (user_id, token_hash, created_at, last_seen)"
                    " SELECT 1, 'old' || i, 1000000000 + i, 1000000000 + i FROM n");
    th_login(&s, "admin", s.admin_pw, third);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM sessions WHERE token_hash LIKE 'old%'"), 500);
    th_login(&s, "admin", s.admin_pw, third);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM sessions WHERE token_hash LIKE 'old%'"), 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM sessions"), 5);
    th_stop(&s);
}

/* The server removes expired sessions on its own every few minutes (here every second), by
 * the rule of a log-in: with nobody logging in, those idle for longer than the idle time and
 * a day go, a backlog a batch at a time; the others stay and keep working. */
TEST(api_server_prunes_stale_sessions)
{
    th_server s;
    th_start_opts(&s, &(th_opts){.session_prune_s = 1});
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    th_sql_exec(&s,
                "INSERT INTO sessions (user_id, token_hash, created_at, last_seen)"
                " SELECT id, 'stale', strftime('%s','now') - 1800 - 86400 - 120,"
                " strftime('%s','now') - 1800 - 86400 - 60 FROM users WHERE username = 'admin'");
    th_sql_exec(&s, "INSERT INTO sessions (user_id, token_hash, created_at, last_seen)"
                    " SELECT id, 'graced', strftime('%s','now') - 7300,"
                    " strftime('%s','now') - 7200 FROM users WHERE username = 'admin'");
    th_sql_exec(&s, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)"
                    " INSERT INTO sessions (user_id, token_hash, created_at, last_seen)"
                    " SELECT 1, 'old' || i, 1000000000 + i, 1000000000 + i FROM n");
    long long audit = th_sql_int(&s, "SELECT COUNT(*) FROM audit");
    const char *stale = "SELECT COUNT(*) FROM sessions WHERE token_hash = 'stale'"
                        " OR token_hash LIKE 'old%'";
    for (int i = 0; i < 100 && th_sql_int(&s, stale) > 0; i++) usleep(100 * 1000);
    CHECK_INT(th_sql_int(&s, stale), 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM sessions WHERE token_hash = 'graced'"), 1);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM sessions"), 2);
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", tok, NULL, NULL), 200);
    /* nobody logged in meanwhile, and the removal is no event of the audit */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'login'"), 1);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit"), audit);
    th_stop(&s);
}

TEST(api_password_rules_and_user_admin)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/users", tok,
                      "{\"username\":\"zhang\",\"role\":\"viewer\",\"password\":\"short\"}", &o),
              422);
    CHECK_STR(th_err_code(o), "weak_password");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/users", tok,
                      "{\"username\":\"zhang\",\"role\":\"viewer\",\"password\":\"zhang-1234567\"}",
                      &o),
              422);
    CHECK_STR(th_err_field(o), "password");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/users", tok,
                      "{\"username\":\"zhang\",\"role\":\"township_officer\","
                      "\"password\":\"long-enough-pw\"}",
                      &o),
              422);
    CHECK_STR(th_err_field(o), "township_id");
    json_decref(o);
    long long grid = th_sql_int(&s, "SELECT MAX(id) FROM regions WHERE type = 'grid'");
    char body[256];
    snprintf(body, sizeof body,
             "{\"username\":\"gw2\",\"role\":\"grid_worker\",\"password\":\"long-enough-pw\","
             "\"grid_ids\":[%lld]}",
             grid);
    CHECK_INT(th_call(&s, "POST", "/api/v1/users", tok, body, &o), 201);
    long long uid = th_int(o, "id");
    CHECK_INT(json_integer_value(json_array_get(json_object_get(o, "grid_ids"), 0)), grid);
    json_decref(o);
    /* the grid shows its worker */
    char path[128];
    snprintf(path, sizeof path, "/api/v1/regions/%lld", grid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK_STR(th_str(json_array_get(json_object_get(o, "grid_workers"), 0), "username"), "gw2");
    json_decref(o);
    /* taken name → 409 */
    CHECK_INT(th_call(&s, "POST", "/api/v1/users", tok, body, &o), 409);
    json_decref(o);
    /* the new user logs in; disabling ends that */
    char t2[80];
    th_login(&s, "gw2", "long-enough-pw", t2);
    /* another's account is the admin's to read: the refusal says so and which is one's own
     * (regression: "role grid_worker may not do this") */
    CHECK_INT(th_call(&s, "GET", "/api/v1/users/1", t2, NULL, &o), 403);
    CHECK(strstr(th_err_message(o), "only an admin reads another user's account") != NULL);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/users/%lld", uid);
    CHECK_INT(th_call(&s, "GET", path, t2, NULL, NULL), 200);

    CHECK_INT(th_call(&s, "DELETE", path, tok, NULL, NULL), 204);
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", t2, NULL, NULL), 401);
    CHECK_INT(th_call(&s, "POST", "/api/v1/auth/login", NULL,
                      "{\"username\":\"gw2\",\"password\":\"long-enough-pw\"}", NULL),
              401);
    th_stop(&s);
}

/* Passwords guessed first are refused like short ones: ten spaces, few different
 * characters, a straight run, a common one (without regard to case); a changed password must
 * differ from the one it replaces. */
TEST(api_password_rules_refuse_the_first_guesses)
{
    th_server s;
    th_start(&s, 0);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    static const char *const weak[] = {"          ", "aaaaabbbbb", "1234567890", "abcdefghij",
                                       "9876543210", "Password123", "QWERTYUIOP", "ababababab",
                                       /* characters, not bytes: two of them, six bytes */
                                       "密码密码密码密码密码", "ééééééééééé"};
    char body[256];
    json_t *o;
    for (size_t i = 0; i < sizeof weak / sizeof weak[0]; i++) {
        snprintf(body, sizeof body,
                 "{\"username\":\"zhang\",\"role\":\"viewer\",\"password\":\"%s\"}", weak[i]);
        CHECK_INT(th_call(&s, "POST", "/api/v1/users", tok, body, &o), 422);
        CHECK_STR(th_err_code(o), "weak_password");
        CHECK_STR(th_err_field(o), "password");
        json_decref(o);
    }
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM users WHERE username = 'zhang'"), 0);
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/users", tok,
                "{\"username\":\"zhang\",\"role\":\"viewer\",\"password\":\"plum-rain-2024\"}",
                NULL),
        201);
    char t2[80];
    th_login(&s, "zhang", "plum-rain-2024", t2);
    CHECK_INT(th_call(&s, "POST", "/api/v1/auth/password", t2,
                      "{\"old_password\":\"plum-rain-2024\",\"new_password\":\"plum-rain-2024\"}",
                      &o),
              422);
    CHECK_STR(th_err_field(o), "new_password");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/auth/password", t2,
                      "{\"old_password\":\"plum-rain-2024\",\"new_password\":\"peach-blossom-25\"}",
                      NULL),
              204);
    /* four different characters of any script pass */
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/users", tok,
                "{\"username\":\"lisi\",\"role\":\"viewer\",\"password\":\"平谷大桃平谷大桃平谷\"}",
                NULL),
        201);
    th_stop(&s);
}

/* An admin's reset of someone's password is its own action in the audit trail: the
 * snapshots cannot show a password, so "update" with no field changed told nothing. */
TEST(api_password_reset_by_admin_is_audited_as_such)
{
    th_server s;
    th_start(&s, 0);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/users", tok,
                      "{\"username\":\"lisi\",\"role\":\"viewer\",\"password\":\"plum-rain-2024\"}",
                      &o),
              201);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/users/%lld", th_int(o, "id"));
    json_decref(o);
    CHECK_INT(
        th_call(&s, "PATCH", path, tok, "{\"version\":1,\"password\":\"peach-blossom-25\"}", NULL),
        200);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'user' AND"
                             " action = 'password_reset'"),
              1);
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"version\":2,\"display_name\":\"李\"}", NULL),
              200);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'user' AND"
                             " action = 'update'"),
              1);
    th_stop(&s);
}

/* Regression: a district officer, who may read no user account but their own, read every
 * account's rows in the audit trail: each account as created and changed (role, scope, grids),
 * every log-in with the client's address, and every failed log-in with the name tried (a
 * password typed in the name field, often). The rows about accounts (entity "user") are the
 * admin's; a district officer reads those of their own account only, and every other row. */
TEST(api_audit_user_rows_are_the_admins)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], off[80];
    th_login(&s, "admin", s.admin_pw, tok);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/users", tok,
                      "{\"username\":\"duty\",\"role\":\"district_officer\","
                      "\"password\":\"snow-watch-2024\"}",
                      &o),
              201);
    long long me = th_int(o, "id");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/users", tok,
                      "{\"username\":\"lisi\",\"role\":\"viewer\","
                      "\"password\":\"plum-rain-2024\"}",
                      NULL),
              201);
    CHECK_INT(th_call(&s, "POST", "/api/v1/auth/login", NULL,
                      "{\"username\":\"plum-rain-2024\",\"password\":\"x\"}", NULL),
              401);
    th_login(&s, "lisi", "plum-rain-2024", off);
    th_login(&s, "duty", "snow-watch-2024", off);
    /* another record's rows stay readable, with the user who wrote them */
    CHECK_INT(th_call(&s, "POST", "/api/v1/organisations", tok,
                      "{\"name\":\"审计测试企业\",\"type\":\"enterprise\"}", NULL),
              201);
    long long users = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'user'");
    long long mine = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'user' AND"
                                    " entity_id = (SELECT id FROM users WHERE username = 'duty')");
    CHECK(users > mine + 3 && mine >= 2); /* created and logged in */
    const char *paths[] = {"/api/v1/audit?limit=500", "/api/v1/audit?entity=user&limit=500",
                           "/api/v1/audit?action=login_failed&limit=500",
                           "/api/v1/audit?username=admin&limit=500"};
    for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++) {
        CHECK_INT(th_call(&s, "GET", paths[k], off, NULL, &o), 200);
        json_t *items = json_object_get(o, "items");
        long long own = 0, others = 0;
        for (size_t i = 0; i < json_array_size(items); i++) {
            json_t *it = json_array_get(items, i);
            if (strcmp(th_str(it, "entity"), "user")) continue;
            if (json_integer_value(json_object_get(it, "entity_id")) == me)
                own++;
            else
                others++;
        }
        CHECK_INT(others, 0);
        if (k < 2) CHECK_INT(own, mine);
        if (k == 0 || k == 3) CHECK(json_array_size(items) > 0); /* the organisation's row */
        char *text = json_dumps(o, 0);
        CHECK(strstr(text, "plum-rain-2024") == NULL);
        free(text);
        json_decref(o);
    }
    /* the admin reads them all */
    CHECK_INT(th_call(&s, "GET", "/api/v1/audit?entity=user&limit=500", tok, NULL, &o), 200);
    CHECK_INT((long long)json_array_size(json_object_get(o, "items")), users);
    json_decref(o);
    th_stop(&s);
}

/* A session in use does not expire, also with a short idle time: its activity is recorded
 * often enough (it was recorded once a minute, so with one minute of idle time a session used
 * every 40 s ended after 60 s). Left idle, it ends. */
TEST_T(api_session_in_use_stays_with_a_short_idle_time, 60)
{
    th_server s;
    th_start_idle(&s, 0, 4);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    for (int i = 0; i < 8; i++) {
        sleep(1);
        CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", tok, NULL, NULL), 200);
    }
    sleep(6);
    CHECK_INT(th_call(&s, "GET", "/api/v1/auth/me", tok, NULL, NULL), 401);
    th_stop(&s);
}

/* An account holds only its role's scope: a viewer given a township is refused, and a role
 * changed keeps no scope of the old one behind it (a township, grids). */
TEST(api_user_scope_fits_the_role)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    long long town = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'township'");
    long long grid = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'grid'");
    char body[256];
    json_t *o;
    snprintf(body, sizeof body,
             "{\"username\":\"vw01\",\"role\":\"viewer\",\"password\":\"plum-rain-2024\","
             "\"township_id\":%lld}",
             town);
    CHECK_INT(th_call(&s, "POST", "/api/v1/users", tok, body, &o), 422);
    CHECK_STR(th_err_field(o), "township_id");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"username\":\"vw01\",\"role\":\"district_officer\",\"password\":\"plum-rain-2024\","
             "\"grid_ids\":[%lld]}",
             grid);
    CHECK_INT(th_call(&s, "POST", "/api/v1/users", tok, body, &o), 422);
    CHECK_STR(th_err_field(o), "grid_ids");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM users WHERE username = 'vw01'"), 0);
    /* a township officer made a viewer, a grid worker a district officer: the old scope goes */
    snprintf(body, sizeof body,
             "{\"username\":\"to01\",\"role\":\"township_officer\",\"password\":\"plum-rain-2024\","
             "\"township_id\":%lld}",
             town);
    CHECK_INT(th_call(&s, "POST", "/api/v1/users", tok, body, &o), 201);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/users/%lld", th_int(o, "id"));
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"version\":1,\"role\":\"viewer\"}", &o), 200);
    CHECK(json_is_null(json_object_get(o, "township_id")));
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM users WHERE username = 'to01' AND"
                             " township_id IS NULL"),
              1);
    snprintf(body, sizeof body,
             "{\"username\":\"gw01\",\"role\":\"grid_worker\",\"password\":\"plum-rain-2024\","
             "\"grid_ids\":[%lld]}",
             grid);
    CHECK_INT(th_call(&s, "POST", "/api/v1/users", tok, body, &o), 201);
    snprintf(path, sizeof path, "/api/v1/users/%lld", th_int(o, "id"));
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"version\":1,\"role\":\"district_officer\"}", &o),
              200);
    CHECK_INT(json_array_size(json_object_get(o, "grid_ids")), 0);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM grid_workers g JOIN users u ON u.id ="
                             " g.user_id WHERE u.username = 'gw01'"),
              0);
    th_stop(&s);
}

/* A query parameter the route does not take is a 400 everywhere, not only on lists: a write
 * with one writes nothing (PATCH /facilities/2?foo=1 changed the record), a read answers the
 * error instead of the record. Names starting with '_' stay free for cache-busting. */
TEST(api_unknown_parameter_refused_on_every_route)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    long long fac = th_sql_int(&s, "SELECT MIN(id) FROM facilities");
    long long v = th_sql_int(&s, "SELECT version FROM facilities WHERE id = (SELECT MIN(id) FROM"
                                 " facilities)");
    char path[128], body[128];
    json_t *o;
    snprintf(path, sizeof path, "/api/v1/facilities/%lld?foo=1", fac);
    snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\"改名测试\"}", v);
    CHECK_INT(th_call(&s, "PATCH", path, tok, body, &o), 400);
    CHECK_STR(th_err_code(o), "unknown_parameter");
    CHECK_STR(th_err_field(o), "foo");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facilities WHERE name = '改名测试'"), 0);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 400);
    CHECK_STR(th_err_field(o), "foo");
    json_decref(o);
    static const char *const reads[] = {"/api/v1/auth/me?x=1", "/api/v1/users/1?x=1",
                                        "/api/v1/meta?x=1"};
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        CHECK_INT(th_call(&s, "GET", reads[i], tok, NULL, &o), 400);
        CHECK_STR(th_err_code(o), "unknown_parameter");
        json_decref(o);
    }
    CHECK_INT(th_call(&s, "POST", "/api/v1/users?x=1", tok,
                      "{\"username\":\"zhao\",\"role\":\"viewer\",\"password\":\"plum-rain-2024\"}",
                      NULL),
              400);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM users WHERE username = 'zhao'"), 0);
    /* what the routes take still works, and '_' is free */
    snprintf(path, sizeof path, "/api/v1/facilities/%lld?_=123", fac);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, NULL), 200);
    CHECK_INT(th_call(&s, "PATCH", path, tok, body, NULL), 200);
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities?limit=2&type=hotel", tok, NULL, NULL), 200);
    th_stop(&s);
}

/* wait, dry_run and version are taken by a write only where its route names them: ?dry_run=1 on
 * a create or delete that has no preview made the write for real (a facility created, a region
 * deleted, an account disabled, a drill started), as if it were a preview. Now they are the
 * 400 unknown_parameter at the parameter any other is, and nothing is written; the imports'
 * dry_run and a delete's ?version= still work. */
static void stray_write(th_server *s, const char *method, const char *path, const char *tok,
                        const char *body, const char *field, int line)
{
    json_t *o = NULL;
    int st = th_call(s, method, path, tok, body, &o);
    const char *code = th_err_code(o), *f = th_err_field(o);
    if (st != 400 || !code || strcmp(code, "unknown_parameter") || !f || strcmp(f, field))
        t_fail(__FILE__, line, "%s %s: %d %s at %s, expected 400 unknown_parameter at %s", method,
               path, st, code ? code : "-", f ? f : "-", field);
    json_decref(o);
}

TEST_T(api_write_refuses_wait_dry_run_version_its_route_does_not_name, 120)
{
    th_server s;
    th_start(&s, 1);
    char adm[80], officer[80], wanda[80], path[240], body[256];
    th_login(&s, "admin", s.admin_pw, adm);
    th_login(&s, "officer", s.demo_pw, officer);
    th_login(&s, "wanda", s.demo_pw, wanda);
    json_t *o;
    /* a facility create */
    long long town = th_sql_int(&s, "SELECT id FROM regions WHERE name = '金海湖地区'");
    snprintf(body, sizeof body,
             "{\"name\":\"预演设施\",\"type\":\"other\",\"township_id\":%lld,\"lat\":40.1,"
             "\"lon\":117.2}",
             town);
    stray_write(&s, "POST", "/api/v1/facilities?dry_run=1", officer, body, "dry_run", __LINE__);
    stray_write(&s, "POST", "/api/v1/facilities?version=1", officer, body, "version", __LINE__);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facilities WHERE name = '预演设施'"), 0);
    /* a region delete */
    snprintf(body, sizeof body,
             "{\"type\":\"grid\",\"parent_id\":%lld,\"code\":\"DRY-1\","
             "\"name\":\"预演网格\"}",
             th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'village'"));
    CHECK_INT(th_call(&s, "POST", "/api/v1/regions", officer, body, &o), 201);
    long long grid = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/regions/%lld?dry_run=1", grid);
    stray_write(&s, "DELETE", path, officer, NULL, "dry_run", __LINE__);
    snprintf(path, sizeof path, "SELECT COUNT(*) FROM regions WHERE id = %lld", grid);
    CHECK_INT(th_sql_int(&s, path), 1);
    /* a user delete (disabling the account) */
    long long uid = th_sql_int(&s, "SELECT id FROM users WHERE username = 'viewer'");
    snprintf(path, sizeof path, "/api/v1/users/%lld?dry_run=1", uid);
    stray_write(&s, "DELETE", path, adm, NULL, "dry_run", __LINE__);
    snprintf(path, sizeof path, "/api/v1/users/%lld?wait=1", uid);
    stray_write(&s, "DELETE", path, adm, NULL, "wait", __LINE__);
    CHECK_INT(th_sql_int(&s, "SELECT disabled FROM users WHERE username = 'viewer'"), 0);
    char viewer[80];
    th_login(&s, "viewer", s.demo_pw, viewer);
    /* a drill */
    long long drills = th_sql_int(&s, "SELECT COUNT(*) FROM conversions");
    stray_write(&s, "POST", "/api/v1/conversions?dry_run=1", wanda,
                "{\"facility_id\":1,\"scenario\":\"holiday\",\"mode\":\"drill\"}", "dry_run",
                __LINE__);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM conversions"), drills);
    /* every write route of the table: a parameter among wait, dry_run and version that it does
     * not name is refused before anything is written (as a role the route allows) */
    char toks[PJ_ROLE_COUNT][80] = {{0}};
    snprintf(toks[PJ_ROLE_ADMIN], sizeof toks[0], "%s", adm);
    for (int role = PJ_ROLE_ADMIN + 1; role < PJ_ROLE_COUNT; role++) {
        snprintf(path, sizeof path, "/api/v1/users?role=%s&limit=1", pj_role_name((pj_role)role));
        CHECK_INT(th_call(&s, "GET", path, adm, NULL, &o), 200);
        const char *user = th_str(json_array_get(json_object_get(o, "items"), 0), "username");
        if (user) th_login(&s, user, s.demo_pw, toks[role]);
        json_decref(o);
    }
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    int n, checked = 0;
    const pj_route *rt = pj_routes(&n);
    static const struct {
        const char *key;
        unsigned flag;
    } params[] = {{"wait", PJ_ROUTE_Q_WAIT},
                  {"dry_run", PJ_ROUTE_Q_DRY_RUN},
                  {"version", PJ_ROUTE_Q_VERSION}};
    for (int i = 0; i < n; i++) {
        if (!strcmp(rt[i].method, "GET") || !strcmp(rt[i].method, "HEAD")) continue;
        const char *tok = NULL;
        for (int role = PJ_ROLE_ADMIN; role < PJ_ROLE_COUNT && rt[i].roles && !tok; role++)
            if ((rt[i].roles & R(role)) && toks[role][0]) tok = toks[role];
        if (rt[i].roles && !tok) continue;
        /* the path with 1 for each {…} segment */
        char url[200];
        size_t k = 0;
        for (const char *p = rt[i].path; *p && k + 2 < sizeof url; p++) {
            if (*p != '{') {
                url[k++] = *p;
                continue;
            }
            url[k++] = '1';
            while (*p && *p != '}') p++;
        }
        url[k] = 0;
        for (size_t q = 0; q < sizeof params / sizeof params[0]; q++) {
            if (rt[i].flags & params[q].flag) continue;
            snprintf(path, sizeof path, "%s?%s=1", url, params[q].key);
            stray_write(&s, rt[i].method, path, tok, strcmp(rt[i].method, "DELETE") ? "{}" : NULL,
                        params[q].key, __LINE__);
            checked++;
        }
    }
    CHECK(checked > 300);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* what the routes name still works: an import's preview, a delete with ?version= */
    static const char csv[] =
        "name,type,township,lat,lon\r\n预演导入,other,金海湖地区,40.1,117.2\r\n";
    CHECK_INT(th_call_raw(&s, "POST", "/api/v1/facilities/import?dry_run=1", officer, csv,
                          (long)sizeof csv - 1, "text/csv", &o, NULL, 0),
              200);
    CHECK(json_is_true(json_object_get(o, "dry_run")));
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facilities WHERE name = '预演导入'"), 0);
    CHECK_INT(th_call(&s, "POST", "/api/v1/stock", wanda,
                      "{\"facility_id\":1,\"category\":\"water\",\"quantity\":10}", &o),
              201);
    long long line = th_int(o, "id"), lv = th_int(o, "version");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/stock/%lld?version=%lld&dry_run=1", line, lv);
    stray_write(&s, "DELETE", path, wanda, NULL, "dry_run", __LINE__);
    snprintf(path, sizeof path, "/api/v1/stock/%lld?version=%lld", line, lv);
    CHECK_INT(th_call(&s, "DELETE", path, wanda, NULL, NULL), 204);
    snprintf(path, sizeof path, "/api/v1/regions/%lld", grid);
    CHECK_INT(th_call(&s, "DELETE", path, officer, NULL, NULL), 204);
    th_stop(&s);
}

TEST(api_facility_list_filters_and_cursor)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "viewer", s.demo_pw, tok);
    json_t *o;
    /* walk every page: the demo holds ≈300 facilities, each seen once */
    char path[256] = "/api/v1/facilities?limit=20";
    int total = 0, pages = 0;
    long long last = 0;
    for (;;) {
        CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
        json_t *items = json_object_get(o, "items");
        CHECK(json_array_size(items) <= 20);
        for (size_t i = 0; i < json_array_size(items); i++) {
            long long id = th_int(json_array_get(items, i), "id");
            CHECK(id > last);
            last = id;
        }
        total += (int)json_array_size(items);
        pages++;
        const char *next = th_str(o, "next_cursor");
        if (!next) {
            json_decref(o);
            break;
        }
        snprintf(path, sizeof path, "/api/v1/facilities?limit=20&cursor=%s", next);
        json_decref(o);
    }
    CHECK_INT(total, th_sql_int(&s, "SELECT COUNT(*) FROM facilities"));
    CHECK(total >= 280 && total <= 320);
    CHECK(pages == (total + 19) / 20);
    /* township + type filter */
    long long jhh = find_id(&s, tok, "/api/v1/regions?type=township&q=%E9%87%91%E6%B5%B7%E6%B9%96");
    CHECK(jhh > 0);
    snprintf(path, sizeof path, "/api/v1/facilities?township_id=%lld&limit=500", jhh);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    CHECK(json_array_size(items) > 3);
    for (size_t i = 0; i < json_array_size(items); i++)
        CHECK_STR(th_str(json_array_get(items, i), "township_name"), "金海湖地区");
    json_decref(o);
    CHECK_INT(
        th_call(&s, "GET", "/api/v1/facilities?role=isolation&type=hotel&limit=500", tok, NULL, &o),
        200);
    items = json_object_get(o, "items");
    CHECK(json_array_size(items) > 10);
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *f = json_array_get(items, i);
        CHECK_STR(th_str(f, "type"), "hotel");
        int has = 0;
        json_t *roles = json_object_get(f, "emergency_roles");
        for (size_t k = 0; k < json_array_size(roles); k++)
            has |= !strcmp(th_str(json_array_get(roles, k), "role"), "isolation");
        CHECK(has);
    }
    json_decref(o);
    /* search by name, Chinese in the query string */
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities?q=%E4%B8%87%E8%BE%BE", tok, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    CHECK_STR(th_str(json_array_get(json_object_get(o, "items"), 0), "name"), "万达锦华酒店");
    json_decref(o);
    /* bad list parameters */
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities?limit=501", tok, NULL, &o), 400);
    CHECK_STR(th_err_field(o), "limit");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities?colour=red", tok, NULL, &o), 400);
    CHECK_STR(th_err_code(o), "unknown_parameter");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities?township_id=abc", tok, NULL, &o), 400);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities?q=%ZZ", tok, NULL, &o), 400);
    CHECK_STR(th_err_code(o), "bad_query");
    json_decref(o);
    th_stop(&s);
}

/* The facilities counted whole, not a page: the console's home page counts a district of any
 * size (it read the list to 100,000 facilities and counted what it had read). Every figure
 * equals the database's, with and without the list's filters; bad filters are the list's 400. */
static long long summary_state(json_t *o, const char *state)
{
    return (long long)json_integer_value(json_object_get(json_object_get(o, "states"), state));
}

TEST(api_facility_summary_counts_every_facility)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], sql[512], path[160];
    th_login(&s, "viewer", s.demo_pw, tok);
    /* more facilities than the list's largest page, states of every kind */
    th_sql_exec(&s, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 700)"
                    " INSERT INTO facilities (name, type, township_id, lat, lon, state, source,"
                    " created_at, updated_at, version) SELECT 'bulk ' || i, 'warehouse',"
                    " (SELECT MIN(id) FROM regions WHERE type = 'township'), 40.1, 117.1,"
                    " CASE i % 4 WHEN 0 THEN 'peacetime' WHEN 1 THEN 'converting' WHEN 2 THEN"
                    " 'emergency' ELSE 'restoring' END, 'seed', 0, 0, 1 FROM n");
    th_sql_exec(&s, "INSERT INTO facility_roles (facility_id, role, unit, capacity) SELECT id,"
                    " 'supply_store', 'm3', 10 FROM facilities WHERE name LIKE 'bulk %'");
    long long all = th_sql_int(&s, "SELECT COUNT(*) FROM facilities");
    CHECK(all > 500 + 280);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities/summary", tok, NULL, &o), 200);
    CHECK_INT(th_int(o, "facilities"), all);
    static const char *const states[] = {"peacetime", "converting", "emergency", "restoring"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM facilities WHERE state = '%s'", states[i]);
        CHECK_INT(summary_state(o, states[i]), th_sql_int(&s, sql));
    }
    /* capacity per role and unit: its facilities, its sum per state and in all */
    json_t *caps = json_object_get(o, "capacity"), *e;
    size_t i;
    CHECK(json_array_size(caps) >= 5);
    json_array_foreach(caps, i, e)
    {
        const char *role = th_str(e, "role"), *unit = th_str(e, "unit");
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM facility_roles WHERE role = '%s' AND unit = '%s'", role,
                 unit);
        CHECK_INT(th_int(e, "facilities"), th_sql_int(&s, sql));
        snprintf(sql, sizeof sql,
                 "SELECT CAST(SUM(capacity) AS INTEGER) FROM facility_roles WHERE role = '%s' AND"
                 " unit = '%s'",
                 role, unit);
        CHECK_INT((long long)json_number_value(json_object_get(e, "total")), th_sql_int(&s, sql));
        for (size_t k = 0; k < 4; k++) {
            snprintf(sql, sizeof sql,
                     "SELECT CAST(COALESCE(SUM(r.capacity), 0) AS INTEGER) FROM facility_roles r"
                     " JOIN facilities f ON f.id = r.facility_id WHERE r.role = '%s' AND"
                     " r.unit = '%s' AND f.state = '%s'",
                     role, unit, states[k]);
            CHECK_INT((long long)json_number_value(json_object_get(e, states[k])),
                      th_sql_int(&s, sql));
        }
    }
    /* per township: how many, and the capacity of each role */
    json_t *towns = json_object_get(o, "townships");
    long long sum = 0;
    CHECK_INT((long long)json_array_size(towns),
              th_sql_int(&s, "SELECT COUNT(DISTINCT township_id) FROM facilities"));
    json_array_foreach(towns, i, e)
    {
        long long t = th_int(e, "township_id");
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM facilities WHERE township_id = %lld", t);
        CHECK_INT(th_int(e, "facilities"), th_sql_int(&s, sql));
        snprintf(sql, sizeof sql, "SELECT name FROM regions WHERE id = %lld", t);
        CHECK(th_str(e, "name") != NULL);
        sum += th_int(e, "facilities");
        json_t *c;
        size_t k;
        json_array_foreach(json_object_get(e, "capacity"), k, c)
        {
            snprintf(sql, sizeof sql,
                     "SELECT CAST(SUM(r.capacity) AS INTEGER) FROM facility_roles r JOIN"
                     " facilities f ON f.id = r.facility_id WHERE f.township_id = %lld AND"
                     " r.role = '%s' AND r.unit = '%s'",
                     t, th_str(c, "role"), th_str(c, "unit"));
            CHECK_INT((long long)json_number_value(json_object_get(c, "total")),
                      th_sql_int(&s, sql));
        }
    }
    CHECK_INT(sum, all);
    json_decref(o);
    /* the list's filters: a township's hotels with isolation rooms */
    long long town = th_sql_int(&s, "SELECT township_id FROM facilities WHERE type = 'hotel'"
                                    " GROUP BY township_id ORDER BY COUNT(*) DESC LIMIT 1");
    snprintf(path, sizeof path,
             "/api/v1/facilities/summary?township_id=%lld&type=hotel&role=isolation", town);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM facilities f WHERE township_id = %lld AND type = 'hotel' AND"
             " EXISTS (SELECT 1 FROM facility_roles r WHERE r.facility_id = f.id AND r.role ="
             " 'isolation')",
             town);
    CHECK(th_int(o, "facilities") > 0);
    CHECK_INT(th_int(o, "facilities"), th_sql_int(&s, sql));
    CHECK_INT(json_array_size(json_object_get(o, "townships")), 1);
    json_decref(o);
    CHECK_INT(
        th_call(&s, "GET", "/api/v1/facilities/summary?state=emergency&q=bulk", tok, NULL, &o),
        200);
    CHECK_INT(th_int(o, "facilities"), 175);
    CHECK_INT(summary_state(o, "emergency"), 175);
    CHECK_INT(summary_state(o, "peacetime"), 0);
    json_decref(o);
    /* not a page; the list's checks */
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities/summary?limit=10", tok, NULL, &o), 400);
    CHECK_STR(th_err_code(o), "unknown_parameter");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities/summary?state=lost", tok, NULL, &o), 400);
    CHECK_STR(th_err_field(o), "state");
    json_decref(o);
    th_stop(&s);
}

TEST(api_facility_create_update_delete_with_audit)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long town = th_sql_int(&s, "SELECT id FROM regions WHERE name = '夏各庄镇'");
    char body[1024];
    snprintf(body, sizeof body,
             "{\"name\":\"测试酒店\",\"type\":\"hotel\",\"township_id\":%lld,\"lat\":40.13,"
             "\"lon\":117.22,\"peacetime_capacity\":80,\"peacetime_unit\":\"rooms\","
             "\"emergency_roles\":[{\"role\":\"isolation\",\"capacity\":70},"
             "{\"role\":\"resettlement\",\"capacity\":150,\"unit\":\"beds\"}]}",
             town);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/facilities", tok, body, &o), 201);
    long long id = th_int(o, "id");
    CHECK_STR(th_str(o, "state"), "peacetime");
    CHECK_INT(th_int(o, "version"), 1);
    CHECK_INT(json_array_size(json_object_get(o, "emergency_roles")), 2);
    json_decref(o);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", id);
    CHECK_INT(
        th_call(&s, "PATCH", path, tok,
                "{\"version\":1,\"emergency_roles\":[{\"role\":\"isolation\",\"capacity\":75}]}",
                &o),
        200);
    CHECK_INT(th_int(o, "version"), 2);
    CHECK_INT(json_array_size(json_object_get(o, "emergency_roles")), 1);
    json_decref(o);
    /* a second editor with the old version loses */
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"version\":1,\"name\":\"别的名字\"}", &o), 409);
    CHECK_STR(th_err_code(o), "version_conflict");
    json_decref(o);
    /* state is read-only here */
    CHECK_INT(th_call(&s, "PATCH", path, tok, "{\"version\":2,\"state\":\"emergency\"}", &o), 422);
    CHECK_STR(th_err_field(o), "state");
    json_decref(o);
    char q[256];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'facility' AND entity_id = %lld AND"
             " username = 'officer' AND before_json LIKE '%%\"capacity\":70%%' AND after_json LIKE"
             " '%%\"capacity\":75%%'",
             id);
    CHECK_INT(th_sql_int(&s, q), 1);
    /* the audit endpoint shows the history of this facility, newest first */
    char apath[128];
    snprintf(apath, sizeof apath, "/api/v1/audit?entity=facility&entity_id=%lld", id);
    CHECK_INT(th_call(&s, "GET", apath, tok, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    CHECK_INT(json_array_size(items), 2);
    CHECK_STR(th_str(json_array_get(items, 0), "action"), "update");
    CHECK_STR(th_str(json_array_get(items, 1), "action"), "create");
    json_decref(o);
    CHECK_INT(th_call(&s, "DELETE", path, tok, NULL, NULL), 204);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 404);
    CHECK_STR(th_err_code(o), "not_found");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facility_roles WHERE facility_id NOT IN"
                             " (SELECT id FROM facilities)"),
              0);
    th_stop(&s);
}

/* Every class of bad input: the right status, code and field, and nothing written. */
TEST(api_bad_input_writes_nothing)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    long long town = th_sql_int(&s, "SELECT id FROM regions WHERE name = '金海湖地区'");
    long long fac = th_sql_int(&s, "SELECT id FROM facilities WHERE name = '万达锦华酒店'");
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    char fpath[64], good[512];
    snprintf(fpath, sizeof fpath, "/api/v1/facilities/%lld", fac);
    snprintf(good, sizeof good,
             "\"type\":\"hotel\",\"township_id\":%lld,\"lat\":40.1,\"lon\":117.2", town);
    struct bad_case {
        const char *method, *path, *body;
        int status;
        const char *code, *field;
    } cases[48];
    int n = 0;
    char b[16][600];
#define CASE(m, p, bd, st, c, f) cases[n++] = (struct bad_case){m, p, bd, st, c, f}
    CASE("POST", "/api/v1/facilities", "{\"name\": \"x\",", 400, "invalid_json", NULL);
    CASE("POST", "/api/v1/facilities", "[1,2]", 400, "invalid_json", NULL);
    snprintf(b[0], sizeof b[0], "{\"name\":42,%s}", good);
    CASE("POST", "/api/v1/facilities", b[0], 422, "wrong_type", "name");
    snprintf(b[1], sizeof b[1], "{%s}", good);
    CASE("POST", "/api/v1/facilities", b[1], 422, "missing_field", "name");
    snprintf(b[2], sizeof b[2],
             "{\"name\":\"x\",\"type\":\"hotel\",\"township_id\":%lld,"
             "\"lat\":140.1,\"lon\":117.2}",
             town);
    CASE("POST", "/api/v1/facilities", b[2], 422, "out_of_range", "lat");
    snprintf(b[3], sizeof b[3],
             "{\"name\":\"x\",\"type\":\"hotel\",\"township_id\":999999,"
             "\"lat\":40.1,\"lon\":117.2}");
    CASE("POST", "/api/v1/facilities", b[3], 422, "unknown_id", "township_id");
    snprintf(b[4], sizeof b[4],
             "{\"name\":\"x\",\"type\":\"castle\",\"township_id\":%lld,"
             "\"lat\":40.1,\"lon\":117.2}",
             town);
    CASE("POST", "/api/v1/facilities", b[4], 422, "invalid_value", "type");
    snprintf(b[5], sizeof b[5],
             "{\"name\":\"x\",%s,\"emergency_roles\":[{\"role\":\"isolation\","
             "\"capacity\":-5}]}",
             good);
    CASE("POST", "/api/v1/facilities", b[5], 422, "out_of_range", "emergency_roles[0].capacity");
    snprintf(b[6], sizeof b[6],
             "{\"name\":\"x\",%s,\"emergency_roles\":[{\"role\":\"isolation\","
             "\"capacity\":5,\"unit\":\"beds\"}]}",
             good);
    CASE("POST", "/api/v1/facilities", b[6], 422, "invalid_value", "emergency_roles[0].unit");
    snprintf(b[7], sizeof b[7], "{\"name\":\"x\",%s,\"colour\":\"red\"}", good);
    CASE("POST", "/api/v1/facilities", b[7], 422, "unknown_field", "colour");
    CASE("POST", "/api/v1/organisations",
         "{\"name\":\"某公司\",\"type\":\"enterprise\",\"uscc\":\"91110117MA01234567\"}", 422,
         "invalid_credit_code", "uscc");
    CASE("PATCH", fpath, "{\"name\":\"x\"}", 422, "missing_field", "version");
    CASE("PATCH", fpath, "{\"version\":99,\"name\":\"x\"}", 409, "version_conflict", "version");
    CASE("PATCH", "/api/v1/facilities/999999", "{\"version\":1}", 404, "not_found", NULL);
    CASE("PATCH", "/api/v1/facilities/abc", "{\"version\":1}", 400, "bad_id", "id");
    CASE("POST", "/api/v1/regions", "{\"type\":\"grid\",\"name\":\"g\",\"code\":\"x1\"}", 422,
         "missing_field", "parent_id");
    snprintf(b[8], sizeof b[8],
             "{\"type\":\"grid\",\"name\":\"g\",\"code\":\"x1\",\"parent_id\":%lld}", town);
    CASE("POST", "/api/v1/regions", b[8], 422, "invalid_value", "parent_id");
    CASE("POST", "/api/v1/users",
         "{\"username\":\"a b\",\"role\":\"viewer\",\"password\":\"long-enough-1\"}", 422,
         "invalid_value", "username");
    /* regression: the short unpaged lists took any parameter (limit=0, zz=1) with 200 */
    CASE("GET", "/api/v1/team-types?limit=0", NULL, 400, "unknown_parameter", "limit");
    CASE("GET", "/api/v1/enterprise/dispatch-catalogue?zz=1", NULL, 400, "unknown_parameter", "zz");
    CASE("GET", "/api/v1/enterprise/calendar?cursor=-1", NULL, 400, "unknown_parameter", "cursor");
    for (int i = 0; i < n; i++) {
        json_t *o;
        int st = th_call(&s, cases[i].method, cases[i].path, tok, cases[i].body, &o);
        if (st != cases[i].status || !th_err_code(o) || strcmp(th_err_code(o), cases[i].code) ||
            (cases[i].field && (!th_err_field(o) || strcmp(th_err_field(o), cases[i].field))))
            t_fail(__FILE__, __LINE__, "case %d %s %s %s: got %d %s field %s", i, cases[i].method,
                   cases[i].path, cases[i].body, st, th_err_code(o) ? th_err_code(o) : "-",
                   th_err_field(o) ? th_err_field(o) : "-");
        CHECK(json_string_value(json_object_get(json_object_get(o, "error"), "message")));
        json_decref(o);
    }
    /* invalid UTF-8 in a string */
    json_t *o;
    const char bad_utf8[] = "{\"name\":\"\xff\xfe\"}";
    CHECK_INT(th_call_raw(&s, "POST", "/api/v1/facilities", tok, bad_utf8, sizeof bad_utf8 - 1,
                          NULL, &o, NULL, 0),
              400);
    CHECK_STR(th_err_code(o), "invalid_utf8");
    json_decref(o);
    /* a body over 1 MiB */
    size_t big = (1 << 20) + 100;
    char *huge = malloc(big + 1);
    memset(huge, ' ', big);
    huge[0] = '{';
    huge[big - 1] = '}';
    huge[big] = 0;
    CHECK_INT(
        th_call_raw(&s, "POST", "/api/v1/facilities", tok, huge, (long)big, NULL, &o, NULL, 0),
        413);
    CHECK_STR(th_err_code(o), "body_too_large");
    json_decref(o);
    free(huge);
    /* nesting deeper than 32 */
    char deep[200] = "";
    for (int i = 0; i < 40; i++) deep[i] = '[';
    for (int i = 0; i < 40; i++) deep[40 + i] = ']';
    CHECK_INT(th_call(&s, "POST", "/api/v1/facilities", tok, deep, &o), 400);
    CHECK_STR(th_err_code(o), "too_deep");
    json_decref(o);
    /* not JSON at all */
    CHECK_INT(th_call_raw(&s, "POST", "/api/v1/facilities", tok, "name=x", 6,
                          "application/x-www-form-urlencoded", &o, NULL, 0),
              415);
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    th_stop(&s);
}

TEST(api_unknown_path_method_and_id)
{
    th_server s;
    th_start(&s, 0);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/nothing", tok, NULL, &o), 404);
    CHECK_STR(th_err_code(o), "not_found");
    json_decref(o);
    CHECK_INT(th_call(&s, "PUT", "/api/v1/facilities", tok, "{}", &o), 405);
    CHECK_STR(th_err_code(o), "method_not_allowed");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/facilities/0", tok, NULL, &o), 400);
    json_decref(o);
    th_stop(&s);
}

TEST(api_personal_numbers_masked_by_role)
{
    th_server s;
    th_start(&s, 1);
    char officer[80], viewer[80], jd[80];
    th_login(&s, "officer", s.demo_pw, officer);
    th_login(&s, "viewer", s.demo_pw, viewer);
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long other = th_sql_int(&s, "SELECT MIN(id) FROM organisations WHERE id <> "
                                     "(SELECT organisation_id FROM users WHERE username = 'jd')");
    char path[64];
    json_t *o;
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", org);
    CHECK_INT(th_call(&s, "GET", path, officer, NULL, &o), 200);
    const char *full = th_str(o, "contact_phone");
    CHECK(full && strlen(full) == 11 && !strchr(full, '*'));
    char phone[16];
    snprintf(phone, sizeof phone, "%s", full);
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", path, viewer, NULL, &o), 200);
    CHECK(strchr(th_str(o, "contact_phone"), '*'));
    CHECK(strncmp(th_str(o, "contact_phone"), phone, 3) == 0);
    CHECK_STR(th_str(o, "contact_phone") + 7, phone + 7);
    json_decref(o);
    /* an enterprise sees its own number, none of another organisation (nor its contact) */
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK_STR(th_str(o, "contact_phone"), phone);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", other);
    CHECK_INT(th_call(&s, "GET", path, jd, NULL, &o), 200);
    CHECK(json_is_null(json_object_get(o, "contact_phone")));
    json_decref(o);
    th_stop(&s);
}

/* role × endpoint → expected status. Writes that a role may do succeed on a fresh target;
 * the others are refused with 403 and change nothing. */
TEST_T(api_role_table, 120)
{
    th_server s;
    th_start(&s, 1);
    static const char *const users[] = {"admin",  "officer", "jinhaihu", "wanda",
                                        "grid01", "jd",      "viewer"};
    char tok[7][80];
    for (int i = 0; i < 7; i++) th_login(&s, users[i], i ? s.demo_pw : s.admin_pw, tok[i]);
    long long jhh = th_sql_int(&s, "SELECT id FROM regions WHERE name = '金海湖地区'");
    long long other_town = th_sql_int(&s, "SELECT id FROM regions WHERE name = '马坊地区'");
    long long wanda = th_sql_int(&s, "SELECT id FROM facilities WHERE name = '万达锦华酒店'");
    long long jhh_fac = th_sql_int(&s, "SELECT MIN(f.id) FROM facilities f JOIN regions t ON"
                                       " t.id = f.township_id WHERE t.name = '金海湖地区'");
    long long my_grid = th_sql_int(&s, "SELECT MIN(region_id) FROM grid_workers g JOIN users u ON"
                                       " u.id = g.user_id WHERE u.username = 'grid01'");
    long long other_grid = th_sql_int(&s, "SELECT MAX(id) FROM regions WHERE type = 'grid'");
    long long jd_org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    enum { A = 0, D, T, F, G, E, V };
    struct {
        const char *what, *method;
        char path[96];
        int expect[7];
    } rows[16];
    int n = 0;
#define ROW(w, m, st0, st1, st2, st3, st4, st5, st6, ...)                                          \
    do {                                                                                           \
        rows[n].what = w;                                                                          \
        rows[n].method = m;                                                                        \
        snprintf(rows[n].path, sizeof rows[n].path, __VA_ARGS__);                                  \
        int e_[7] = {st0, st1, st2, st3, st4, st5, st6};                                           \
        memcpy(rows[n].expect, e_, sizeof e_);                                                     \
        n++;                                                                                       \
    } while (0)
    /*                                        admin off  town fac  grid ent  view */
    ROW("list facilities", "GET", 200, 200, 200, 200, 200, 200, 200, "/api/v1/facilities");
    ROW("list regions", "GET", 200, 200, 200, 200, 200, 200, 200, "/api/v1/regions");
    ROW("meta", "GET", 200, 200, 200, 200, 200, 200, 200, "/api/v1/meta");
    ROW("audit", "GET", 200, 200, 403, 403, 403, 403, 403, "/api/v1/audit");
    ROW("list users", "GET", 200, 403, 403, 403, 403, 403, 403, "/api/v1/users");
    ROW("create facility in 金海湖", "POST", 201, 201, 201, 403, 403, 403, 403,
        "/api/v1/facilities");
    ROW("create facility in 马坊", "POST", 201, 201, 403, 403, 403, 403, 403,
        "/api/v1/facilities#%lld", other_town);
    ROW("patch 万达锦华酒店", "PATCH", 200, 200, 403, 200, 403, 403, 403, "/api/v1/facilities/%lld",
        wanda);
    ROW("patch a 金海湖 facility", "PATCH", 200, 200, 200, 403, 403, 403, 403,
        "/api/v1/facilities/%lld", jhh_fac);
    ROW("patch own grid population", "PATCH", 200, 200, 403, 403, 200, 403, 403,
        "/api/v1/regions/%lld", my_grid);
    ROW("patch another grid", "PATCH", 200, 200, 403, 403, 403, 403, 403, "/api/v1/regions/%lld",
        other_grid);
    ROW("patch own organisation", "PATCH", 200, 200, 403, 403, 403, 200, 403,
        "/api/v1/organisations/%lld", jd_org);
    ROW("create user", "POST", 201, 403, 403, 403, 403, 403, 403, "/api/v1/users");
    for (int r = 0; r < n; r++) {
        for (int u = 0; u < 7; u++) {
            char path[96], body[512] = "";
            snprintf(path, sizeof path, "%s", rows[r].path);
            char *hash = strchr(path, '#');
            long long town_for = jhh;
            if (hash) {
                town_for = strtoll(hash + 1, NULL, 10);
                *hash = 0;
            }
            const char *b = NULL;
            if (!strcmp(rows[r].method, "POST") && strstr(path, "facilities")) {
                snprintf(body, sizeof body,
                         "{\"name\":\"role-%d-%d\",\"type\":\"school\",\"township_id\":%lld,"
                         "\"lat\":40.2,\"lon\":117.3}",
                         r, u, town_for);
                b = body;
            } else if (!strcmp(rows[r].method, "POST") && strstr(path, "users")) {
                snprintf(body, sizeof body,
                         "{\"username\":\"new%d%d\",\"role\":\"viewer\",\"password\":\"long-enough-"
                         "pw\"}",
                         r, u);
                b = body;
            } else if (!strcmp(rows[r].method, "PATCH")) {
                long long v = version_of(&s, tok[0], path);
                if (strstr(path, "regions"))
                    snprintf(body, sizeof body, "{\"version\":%lld,\"population\":%d}", v, 500 + u);
                else if (strstr(path, "organisations"))
                    snprintf(body, sizeof body, "{\"version\":%lld,\"industry\":\"logistics-%d\"}",
                             v, u);
                else
                    snprintf(body, sizeof body, "{\"version\":%lld,\"peacetime_capacity\":%d}", v,
                             300 + u);
                b = body;
            }
            char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
            th_fingerprint(&s, before, sizeof before);
            json_t *o;
            int st = th_call(&s, rows[r].method, path, tok[u], b, &o);
            if (st != rows[r].expect[u])
                t_fail(__FILE__, __LINE__, "%s as %s: %d, expected %d (%s)", rows[r].what, users[u],
                       st, rows[r].expect[u], th_err_code(o) ? th_err_code(o) : "-");
            if (st == 403) {
                CHECK_STR(th_err_code(o), "forbidden");
                th_fingerprint(&s, after, sizeof after);
                CHECK_STR(after, before);
            }
            json_decref(o);
        }
    }
    th_stop(&s);
}

TEST(api_regions_tree_rules)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    long long town = th_sql_int(&s, "SELECT id FROM regions WHERE name = '熊儿寨乡'");
    char body[256];
    json_t *o;
    snprintf(body, sizeof body,
             "{\"type\":\"village\",\"name\":\"新村\",\"code\":\"110117018999\",\"parent_id\":%lld,"
             "\"lat\":40.3,\"lon\":117.11,\"population\":120}",
             town);
    CHECK_INT(th_call(&s, "POST", "/api/v1/regions", tok, body, &o), 201);
    long long vid = th_int(o, "id");
    json_decref(o);
    CHECK_INT(th_call(&s, "POST", "/api/v1/regions", tok, body, &o), 409);
    CHECK_STR(th_err_field(o), "code");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"type\":\"grid\",\"name\":\"新村第1网格\",\"code\":\"11011701899901\","
             "\"parent_id\":%lld}",
             vid);
    CHECK_INT(th_call(&s, "POST", "/api/v1/regions", tok, body, &o), 201);
    json_decref(o);
    /* a village with a grid cannot be deleted; a township with villages neither */
    char path[64];
    snprintf(path, sizeof path, "/api/v1/regions/%lld", vid);
    CHECK_INT(th_call(&s, "DELETE", path, tok, NULL, &o), 409);
    CHECK_STR(th_err_code(o), "in_use");
    json_decref(o);
    /* list by parent */
    snprintf(path, sizeof path, "/api/v1/regions?parent_id=%lld", vid);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    json_decref(o);
    th_stop(&s);
}

/* An organisation without a credit code (most of the register: townships' bodies, village
 * firms) can be added and changed; the check applies to a code that is given. Regression: the
 * empty code was checked as one and every such write was 422 invalid_credit_code. */
TEST(organisation_without_credit_code_is_written)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/organisations", tok,
                      "{\"name\":\"无代码合作社\",\"type\":\"enterprise\"}", &o),
              201);
    CHECK(json_is_null(json_object_get(o, "uscc")) ||
          !strcmp(json_string_value(json_object_get(o, "uscc")), ""));
    json_decref(o);
    long long id = th_sql_int(&s, "SELECT id FROM organisations WHERE uscc IS NULL ORDER BY id"
                                  " LIMIT 1");
    CHECK(id > 0);
    char path[64], body[96];
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", id);
    CHECK_INT(th_call(&s, "GET", path, tok, NULL, &o), 200);
    snprintf(body, sizeof body, "{\"version\":%lld,\"contact_name\":\"张工\"}",
             th_int(o, "version"));
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, tok, body, &o), 200);
    CHECK_STR(th_str(o, "contact_name"), "张工");
    json_decref(o);
    th_stop(&s);
}
