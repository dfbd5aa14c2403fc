/* Long reports off the event loop (pj_h_report): the time-bank check, the coverage report and
 * the appeal KPIs answer byte for byte what their domain calls write, each from one snapshot;
 * while one runs on the report worker the loop answers everyone else (log-ins included); a
 * stop answers a report still waiting 503 stopping and interrupts the running one; a full
 * queue is 503 busy with its own message, a user's third report 429. The server is held with
 * pj_h_report_hook: each report waits on the worker until the test lets it go (or the stop
 * asks it to end). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/util.h"
#include "domain/elder.h"
#include "domain/enterprise.h"
#include "domain/registry.h"
#include "eldercare/el_fixture.h"
#include "http/hutil.h"
#include "t.h"
#include "th.h"

/* ---- raw requests ---- */

static int conn_to(th_server *s)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) t_fail(__FILE__, __LINE__, "socket");
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)s->port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (connect(fd, (struct sockaddr *)&a, sizeof a))
        t_fail(__FILE__, __LINE__, "connect: %s", strerror(errno));
    return fd;
}

/* Sends GET path (with the token, when given) on a new connection, closed after the answer;
 * returns the connection. */
static int send_get(th_server *s, const char *path, const char *token)
{
    char req[1024];
    int n = snprintf(
        req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\n%s%s%sConnection: close\r\n\r\n", path,
        token ? "Authorization: Bearer " : "", token ? token : "", token ? "\r\n" : "");
    int fd = conn_to(s);
    if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) t_fail(__FILE__, __LINE__, "send");
    return fd;
}

/* 1 when fd has something to read (an answer, or its end) within ms. */
static int answered(int fd, int ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, ms) == 1;
}

/* The whole answer on fd (its peer closes after it), head and body, into out (NUL-terminated,
 * malloc); closes fd; the status, -1 when none came within 20 s. *body: where the body
 * starts. */
static int answer(int fd, char **out, const char **body)
{
    size_t n = 0, cap = 1 << 16;
    char *b = malloc(cap);
    if (!b) t_fail(__FILE__, __LINE__, "out of memory");
    for (;;) {
        if (!answered(fd, 20000)) break;
        if (n + 1 == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) t_fail(__FILE__, __LINE__, "out of memory");
            b = nb;
        }
        ssize_t k = recv(fd, b + n, cap - 1 - n, 0);
        if (k <= 0) break;
        n += (size_t)k;
    }
    b[n] = 0;
    close(fd);
    int st = -1;
    if (sscanf(b, "HTTP/1.1 %d", &st) != 1) st = -1;
    const char *e = strstr(b, "\r\n\r\n");
    if (body) *body = e ? e + 4 : b + n;
    if (out)
        *out = b;
    else
        free(b);
    return st;
}

static int get(th_server *s, const char *path, const char *token, char **out, const char **body)
{
    return answer(send_get(s, path, token), out, body);
}

/* ---- the hook: each report waits on the worker until the test lets it go ---- */

static int started_fd[2], release_fd[2], cancelled_fd[2];

/* On the worker, inside the report's snapshot: waits for a byte from the test, or for the
 * stop's request to end (then says so on cancelled_fd). */
static void hold_report(const atomic_int *cancel)
{
    char b = 1;
    if (write(started_fd[1], &b, 1) != 1) _exit(5);
    struct pollfd p = {.fd = release_fd[0], .events = POLLIN};
    for (;;) {
        if (atomic_load(cancel)) {
            if (write(cancelled_fd[1], &b, 1) != 1) _exit(6);
            return;
        }
        /* non-blocking: another worker may take the byte first */
        if (poll(&p, 1, 10) == 1 && read(release_fd[0], &b, 1) == 1) return;
    }
}

/* A server (an empty database, or the demo) whose reports wait for the test. */
static void start_held_opts(th_server *s, th_opts o)
{
    if (pipe(started_fd) || pipe(release_fd) || pipe(cancelled_fd))
        t_fail(__FILE__, __LINE__, "pipe");
    if (fcntl(release_fd[0], F_SETFL, O_NONBLOCK)) t_fail(__FILE__, __LINE__, "fcntl");
    pj_h_report_hook = hold_report; /* the server's process inherits it */
    /* one report worker, whatever the machine (one of 4 cores or more would have two): the
     * tests hold one report running and count the others as waiting */
    if (!o.report_workers) o.report_workers = 1;
    th_start_opts(s, &o);
    pj_h_report_hook = NULL;
}

static void start_held(th_server *s, int report_queue)
{
    start_held_opts(s, (th_opts){.report_queue = report_queue});
}

/* Waits until a report has started on the worker (and is held there). */
static void report_started(void)
{
    struct pollfd p = {.fd = started_fd[0], .events = POLLIN};
    if (poll(&p, 1, 20000) != 1) t_fail(__FILE__, __LINE__, "no report started");
    char b;
    if (read(started_fd[0], &b, 1) != 1) t_fail(__FILE__, __LINE__, "read");
}

/* Lets n held reports (or those still to come) go. */
static void release(int n)
{
    for (int i = 0; i < n; i++)
        if (write(release_fd[1], "x", 1) != 1) t_fail(__FILE__, __LINE__, "write");
}

/* ---- byte for byte what the domain call writes ---- */

/* The body of the domain call made in the test's own process on the server's database (the
 * handler's code before the reports moved: the call writing straight into the response). */
typedef int (*domain_fn)(th_ctx *t, pj_jw *w, pj_buf *csv, const void *arg);

static char *domain_body(th_server *s, const char *user, pj_role role, domain_fn fn,
                         const void *arg, int csv)
{
    th_ctx t;
    th_ctx_open(s, &t, user, role);
    char q[200];
    snprintf(q, sizeof q, "SELECT COALESCE(township_id, 0) FROM users WHERE username = '%s'", user);
    t.c.actor.township_id = th_sql_int(s, q);
    snprintf(q, sizeof q, "SELECT id FROM users WHERE username = '%s'", user);
    t.c.actor.user_id = th_sql_int(s, q);
    pj_buf b;
    pj_buf_init(&b, 64 << 20);
    pj_jw w;
    pj_jw_init(&w, &b);
    if (fn(&t, csv ? NULL : &w, csv ? &b : NULL, arg))
        t_fail(__FILE__, __LINE__, "the domain call failed");
    th_ctx_close(&t);
    return b.data;
}

static int bank_check(th_ctx *t, pj_jw *w, pj_buf *csv, const void *arg)
{
    pj_err err;
    return pj_credit_check(&t->c, w, &err);
}

typedef struct cov {
    const char *group;
    int64_t since, until;
} cov;

static int coverage(th_ctx *t, pj_jw *w, pj_buf *csv, const void *arg)
{
    const cov *a = arg;
    pj_err err;
    return pj_elder_coverage(&t->c, a->group, 0, a->since, a->until, w, csv, &err);
}

static int kpis(th_ctx *t, pj_jw *w, pj_buf *csv, const void *arg)
{
    const int64_t *ft = arg;
    pj_err err;
    return pj_ent_kpis(&t->c, ft[0], ft[1], w, csv, &err);
}

static int vulnerable_csv(th_ctx *t, pj_jw *w, pj_buf *csv, const void *arg)
{
    pj_err err;
    return pj_vulnerable_list(&t->c, 0, 0, 0, 0, NULL, csv, &err);
}

/* GET path as user (its token) is 200 with the body fn writes, of the content type. */
static void same_as_domain(th_server *s, const char *token, const char *path, const char *user,
                           pj_role role, domain_fn fn, const void *arg, int csv)
{
    char *resp;
    const char *body;
    int st = get(s, path, token, &resp, &body);
    if (st != 200) t_fail(__FILE__, __LINE__, "GET %s: %d %s", path, st, body);
    char *want = domain_body(s, user, role, fn, arg, csv);
    if (strcmp(body, want))
        t_fail(__FILE__, __LINE__, "GET %s as %s differs:\n%s\nvs the domain call's\n%s", path,
               user, body, want);
    CHECK(strstr(resp, csv ? "Content-Type: text/csv; charset=utf-8\r\n"
                           : "Content-Type: application/json; charset=utf-8\r\n") != NULL);
    free(want);
    free(resp);
}

/* The three reports answer byte for byte what their domain calls write (JSON and CSV, a
 * district and a township account), the time-bank check's invariants hold on the demo; their
 * refusals are as before: the role (403, before any queue), a bad or unknown parameter (400,
 * at once), an unknown region (422, from the report). */
TEST_T(http_report_same_answers, 120)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 1500); /* elders, helpers and a month of their services */
    th_demo(&s, pj_enterprise_demo);
    char admin[80], officer[80], town[80], grid[80];
    th_login(&s, "admin", s.admin_pw, admin);
    th_login(&s, "officer", s.demo_pw, officer);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "grid01", s.demo_pw, grid);

    /* the check: ok, with the demo's counts */
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/time-bank/check", officer, NULL, &o), 200);
    CHECK(json_is_true(json_object_get(o, "ok")));
    CHECK_INT(th_int(o, "sum_of_balances_min"), 0);
    CHECK_INT(th_int(o, "accounts_drifted"), 0);
    CHECK_INT(th_int(o, "unbalanced_txns"), 0);
    CHECK_INT(th_int(o, "accounts_below_limit"), 0);
    CHECK_INT(th_int(o, "accounts"), th_sql_int(&s, "SELECT COUNT(*) FROM credit_accounts"));
    CHECK_INT(th_int(o, "txns"), th_sql_int(&s, "SELECT COUNT(*) FROM credit_txns"));
    CHECK(th_int(o, "txns") > 1000); /* a month of services logged */
    CHECK(th_int(o, "issued_min") > 0);
    CHECK_INT(th_int(o, "in_circulation_min"), th_int(o, "issued_min") - th_int(o, "redeemed_min"));
    json_decref(o);
    same_as_domain(&s, admin, "/api/v1/time-bank/check", "admin", PJ_ROLE_ADMIN, bank_check, NULL,
                   0);
    same_as_domain(&s, officer, "/api/v1/time-bank/check?_=1", "officer", PJ_ROLE_DISTRICT_OFFICER,
                   bank_check, NULL, 0);

    /* coverage: a fixed period (the default ends now, which moves between the two calls) */
    int64_t until = pj_now() / 86400 * 86400, since = until - 30 * 86400;
    char path[300], t0[21], t1[21];
    pj_time_iso(since, t0);
    pj_time_iso(until, t1);
    cov c1 = {NULL, since, until}, c2 = {"village", since, until};
    snprintf(path, sizeof path, "/api/v1/eldercare/coverage?since=%s&until=%s", t0, t1);
    same_as_domain(&s, admin, path, "admin", PJ_ROLE_ADMIN, coverage, &c1, 0);
    same_as_domain(&s, town, path, "jinhaihu", PJ_ROLE_TOWNSHIP_OFFICER, coverage, &c1, 0);
    snprintf(path, sizeof path,
             "/api/v1/eldercare/coverage?group=village&since=%s&until=%s&format=csv", t0, t1);
    same_as_domain(&s, officer, path, "officer", PJ_ROLE_DISTRICT_OFFICER, coverage, &c2, 1);
    same_as_domain(&s, grid, path, "grid01", PJ_ROLE_GRID_WORKER, coverage, &c2, 1);

    /* the appeal KPIs over three years */
    int64_t ft[2];
    CHECK_INT(pj_time_parse_local("2024-01-01", &ft[0]), 0);
    CHECK_INT(pj_time_parse_local("2026-12-31", &ft[1]), 0);
    same_as_domain(&s, admin, "/api/v1/enterprise/kpis?from=2024-01-01&to=2026-12-31", "admin",
                   PJ_ROLE_ADMIN, kpis, ft, 0);
    same_as_domain(&s, town, "/api/v1/enterprise/kpis?from=2024-01-01&to=2026-12-31&format=csv",
                   "jinhaihu", PJ_ROLE_TOWNSHIP_OFFICER, kpis, ft, 1);

    /* the vulnerable list's masked CSV, each its own scope's rows */
    same_as_domain(&s, admin, "/api/v1/eldercare/vulnerable?format=csv", "admin", PJ_ROLE_ADMIN,
                   vulnerable_csv, NULL, 1);
    same_as_domain(&s, town, "/api/v1/eldercare/vulnerable?format=csv", "jinhaihu",
                   PJ_ROLE_TOWNSHIP_OFFICER, vulnerable_csv, NULL, 1);
    same_as_domain(&s, grid, "/api/v1/eldercare/vulnerable?format=csv", "grid01",
                   PJ_ROLE_GRID_WORKER, vulnerable_csv, NULL, 1);

    /* refusals */
    CHECK_INT(th_call(&s, "GET", "/api/v1/time-bank/check", grid, NULL, &o), 403);
    CHECK_STR(th_err_code(o), "forbidden");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/time-bank/check", NULL, NULL, NULL), 401);
    CHECK_INT(th_call(&s, "GET", "/api/v1/time-bank/check?x=1", admin, NULL, &o), 400);
    CHECK_STR(th_err_code(o), "unknown_parameter");
    CHECK_STR(th_err_field(o), "x");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/eldercare/coverage?group=county", admin, NULL, &o), 400);
    CHECK_STR(th_err_field(o), "group");
    CHECK_STR(th_err_message(o), "group is one of grid, village, township");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/eldercare/coverage?region_id=99999999", admin, NULL, &o),
              422);
    CHECK_STR(th_err_code(o), "unknown_id");
    CHECK_STR(th_err_field(o), "region_id");
    json_decref(o);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/kpis?from=2026-01-01&to=2025-01-01", admin,
                      NULL, &o),
              400);
    CHECK_STR(th_err_field(o), "from"); /* a range's start after its end: at the start */
    json_decref(o);
    th_stop(&s);
}

/* The coverage's visits due over [since, until) when every tier's interval is one day: each
 * active elder's days of the period on the register (from their registration), from the
 * database. */
static double due_days(th_server *s, int64_t since, int64_t until)
{
    char q[300];
    snprintf(q, sizeof q,
             "SELECT COALESCE(SUM(MAX(0, %lld - MAX(%lld, created_at))), 0) FROM elders WHERE"
             " status = 'active'",
             (long long)until, (long long)since);
    return (double)th_sql_int(s, q) / 86400.0;
}

/* A report on the worker's own connection, kept from one report to the next, sees every write
 * answered before it was asked: a service logged through the server (one more credit
 * transaction), settings changed by another connection (the visit intervals, cached per
 * thread and database generation). */
TEST_T(http_report_sees_every_write, 120)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 300);
    char off[80], g[80], body[600], path[300], t_in[21], t_out[21];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    json_t *o = EL(&s, off, "GET", "/api/v1/time-bank/check", NULL, 200);
    long long txns = th_int(o, "txns"), issued = th_int(o, "issued_min");
    json_decref(o);
    long long grid = el_grid01_grid(&s);
    long long helper = el_helper(&s, g, grid, 1, "1958-04-04", 'F', "");
    long long eid = el_elder(&s, g, grid, 1, "");
    int64_t base = pj_now() - 86400;
    pj_time_iso(base, t_in);
    pj_time_iso(base + 90 * 60, t_out);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\","
             "\"time_in\":\"%s\",\"time_out\":\"%s\"}",
             eid, helper, t_in, t_out);
    json_decref(EL(&s, g, "POST", "/api/v1/service-logs", body, 201));
    o = EL(&s, off, "GET", "/api/v1/time-bank/check", NULL, 200);
    CHECK(json_is_true(json_object_get(o, "ok")));
    CHECK_INT(th_int(o, "txns"), txns + 1);
    CHECK_INT(th_int(o, "issued_min"), issued + 90);
    json_decref(o);

    int64_t until = pj_now() / 86400 * 86400, since = until - 30 * 86400;
    pj_time_iso(since, t_in);
    pj_time_iso(until, t_out);
    snprintf(path, sizeof path, "/api/v1/eldercare/coverage?since=%s&until=%s", t_in, t_out);
    o = EL(&s, off, "GET", path, NULL, 200);
    json_t *total = json_object_get(o, "total");
    double due = json_number_value(json_object_get(total, "visits_due"));
    long long elders = th_int(total, "elders");
    json_decref(o);
    CHECK(elders > 0 && due < 30.0 * (double)elders / 7 + 1);
    th_sql_exec(&s, "UPDATE settings SET value = '1' WHERE key IN ('elder_visit_days_high_risk',"
                    " 'elder_visit_days_key', 'elder_visit_days_normal')");
    o = EL(&s, off, "GET", path, NULL, 200);
    total = json_object_get(o, "total");
    /* the demo's elders, registered long before, owe the whole period; the one registered
     * above, after it, none */
    CHECK_NEAR(json_number_value(json_object_get(total, "visits_due")), due_days(&s, since, until),
               0.1);
    CHECK_NEAR(due_days(&s, since, until), 30.0 * (double)(elders - 1), 0.1);
    json_decref(o);
    th_stop(&s);
}

/* A report reads one snapshot, the database as it was when it began, however long it runs:
 * an elder registered through the server and the visit intervals changed by another
 * connection while a coverage report is held on the worker (after its first statements
 * would have run) are both absent from its answer — not one of them half in it: the figures
 * counted in several statements, and the settings cached per worker thread and database
 * generation, which were valid when it began — and both in the next report's. */
TEST_T(http_report_one_snapshot, 120)
{
    th_server s;
    start_held_opts(&s, (th_opts){.demo = 1});
    el_demo(&s, 300);
    char off[80], g[80], path[300], t0[21], t1[21];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    int64_t until = pj_now() / 86400 * 86400, since = until - 30 * 86400;
    pj_time_iso(since, t0);
    pj_time_iso(until, t1);
    snprintf(path, sizeof path, "/api/v1/eldercare/coverage?since=%s&until=%s", t0, t1);
    double due[3];
    long long elders[3];
    for (int i = 0; i < 3; i++) {
        int fd = send_get(&s, path, off);
        report_started();
        if (i == 1) { /* while it is held: a write through the server, and one of another
                       * connection */
            el_elder(&s, g, el_grid01_grid(&s), 1, "");
            th_sql_exec(&s, "UPDATE settings SET value = '1' WHERE key IN "
                            "('elder_visit_days_high_risk', 'elder_visit_days_key',"
                            " 'elder_visit_days_normal')");
        }
        release(1);
        char *resp;
        const char *body;
        CHECK_INT(answer(fd, &resp, &body), 200);
        json_t *o = json_loads(body, 0, NULL);
        if (!o) t_fail(__FILE__, __LINE__, "not JSON: %s", body);
        json_t *total = json_object_get(o, "total");
        due[i] = json_number_value(json_object_get(total, "visits_due"));
        elders[i] = th_int(total, "elders");
        json_decref(o);
        free(resp);
    }
    CHECK_INT(elders[1], elders[0]);
    CHECK_NEAR(due[1], due[0], 0.001);
    CHECK_INT(elders[2], elders[0] + 1);
    /* the elder registered meanwhile owes nothing of a period that ended before */
    CHECK_NEAR(due[2], due_days(&s, since, until), 0.1);
    CHECK_NEAR(due[2], 30.0 * (double)elders[0], 0.1);
    th_stop(&s);
}

/* While a report is held on the report worker, the loop answers others at once: /health, a
 * session's read and a log-in (its password checked on the password workers, not behind the
 * report); the report is answered once it is let go. Run on the loop, the held report would
 * hold the loop, and /health would not be answered. */
TEST_T(http_report_off_the_loop, 60)
{
    th_server s;
    start_held(&s, 0);
    char admin[80];
    th_login(&s, "admin", s.admin_pw, admin);
    int rep = send_get(&s, "/api/v1/time-bank/check", admin);
    report_started();
    int h = send_get(&s, "/api/v1/health", NULL);
    if (!answered(h, 5000))
        t_fail(__FILE__, __LINE__, "/health was not answered while a report ran");
    char *resp;
    const char *body;
    CHECK_INT(answer(h, &resp, &body), 200);
    CHECK(strstr(body, "\"status\":\"ok\"") != NULL);
    free(resp);
    CHECK_INT(get(&s, "/api/v1/auth/me", admin, NULL, NULL), 200);
    char again[80];
    th_login(&s, "admin", s.admin_pw, again);
    CHECK(!answered(rep, 200)); /* still held */
    release(1);
    CHECK_INT(answer(rep, &resp, &body), 200);
    CHECK(strstr(body, "\"ok\":true") != NULL);
    free(resp);
    th_stop(&s);
}

/* The vulnerable list's CSV (every vulnerable elder of the area, a row read for each) runs on
 * the report worker too: while it is held there /health and a page of the list are answered,
 * and the CSV once it is let go, masked, with no audit row. */
TEST_T(http_vulnerable_csv_off_the_loop, 120)
{
    th_server s;
    start_held_opts(&s, (th_opts){.demo = 1});
    el_demo(&s, 600);
    char officer[80];
    th_login(&s, "officer", s.demo_pw, officer);
    int64_t vulnerable =
        th_sql_int(&s, "SELECT COUNT(*) FROM elders WHERE status = 'active' AND"
                       " (living_alone = 1 OR disabled = 1 OR ability_level >= 3)");
    CHECK(vulnerable > 50);
    int64_t audits = th_sql_int(&s, "SELECT COUNT(*) FROM audit");
    int rep = send_get(&s, "/api/v1/eldercare/vulnerable?format=csv", officer);
    report_started();
    int h = send_get(&s, "/api/v1/health", NULL);
    if (!answered(h, 5000))
        t_fail(__FILE__, __LINE__, "/health was not answered while the CSV was being made");
    CHECK_INT(answer(h, NULL, NULL), 200);
    CHECK_INT(get(&s, "/api/v1/eldercare/vulnerable?limit=5", officer, NULL, NULL), 200);
    CHECK(!answered(rep, 200)); /* still held */
    release(1);
    char *resp;
    const char *body;
    CHECK_INT(answer(rep, &resp, &body), 200);
    CHECK(strstr(resp, "Content-Type: text/csv; charset=utf-8\r\n") != NULL);
    CHECK(strncmp(body, "township,village,grid,elder_id,name,", 36) == 0);
    int64_t lines = 0;
    for (const char *p = body; *p; p++) lines += *p == '\n';
    CHECK_INT(lines, vulnerable + 1); /* the head and every vulnerable elder */
    free(resp);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit"), audits); /* masked: nothing read */
    th_stop(&s);
}

static int vulnerable_revealed(th_ctx *t, pj_jw *w, pj_buf *csv, const void *arg)
{
    pj_err err;
    return pj_vulnerable_list(&t->c, *(const int64_t *)arg, 1, 0, 0, NULL, csv, &err);
}

/* The read_unmasked rows after audit row `after`, in order: "entity:id user_id username;"… */
static char *reveal_rows(th_server *s, int64_t after)
{
    th_ctx t;
    th_ctx_open(s, &t, "test", PJ_ROLE_ADMIN);
    pj_err err;
    pj_stmt *q = pj_db_prepare(t.db,
                               "SELECT entity, entity_id, user_id, username FROM audit WHERE id > ?"
                               " AND action = 'read_unmasked' ORDER BY id",
                               &err);
    if (!q) t_fail(__FILE__, __LINE__, "prepare: %s", err.message);
    pj_stmt_int(q, 1, after);
    pj_buf b;
    pj_buf_init(&b, 64 << 20);
    while (pj_stmt_step(q, &err) == 1)
        pj_buf_printf(&b, "%s:%lld %lld %s;", pj_col_text(q, 0), (long long)pj_col_int(q, 1),
                      (long long)pj_col_int(q, 2), pj_col_text(q, 3));
    pj_stmt_done(q);
    pj_buf_putc(&b, 0);
    th_ctx_close(&t);
    return b.data;
}

/* With reveal=1 the CSV (every vulnerable elder's and paired helper's number in full) is made
 * on the report worker too: while it is held there /health and a grid worker's page are
 * answered and no audit row is written yet. Let go, it answers byte for byte what the domain
 * call made on one connection answers, and its read_unmasked rows (each elder, then its
 * helper, for the officer, with the request's id) are the ones that call writes, all written
 * by the time the CSV arrives. On the loop the hook is never reached ("no report started"). */
TEST_T(http_vulnerable_reveal_csv_off_the_loop, 120)
{
    th_server s;
    start_held_opts(&s, (th_opts){.demo = 1});
    el_demo(&s, 600);
    char officer[80], grid[80], town[80];
    th_login(&s, "officer", s.demo_pw, officer);
    th_login(&s, "grid01", s.demo_pw, grid);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    int64_t vulnerable =
        th_sql_int(&s, "SELECT COUNT(*) FROM elders WHERE status = 'active' AND"
                       " (living_alone = 1 OR disabled = 1 OR ability_level >= 3)");
    int64_t helpers = th_sql_int(&s, "SELECT COUNT(*) FROM elders e JOIN elder_pairs p ON"
                                     " p.elder_id = e.id AND p.state = 'active' WHERE e.status ="
                                     " 'active' AND (e.living_alone = 1 OR e.disabled = 1 OR"
                                     " e.ability_level >= 3)");
    CHECK(vulnerable > 50);
    CHECK(helpers > 0);
    int64_t last = th_sql_int(&s, "SELECT MAX(id) FROM audit");
    int rep = send_get(&s, "/api/v1/eldercare/vulnerable?format=csv&reveal=1", officer);
    report_started();
    int h = send_get(&s, "/api/v1/health", NULL);
    if (!answered(h, 5000))
        t_fail(__FILE__, __LINE__, "/health was not answered while the CSV was being made");
    CHECK_INT(answer(h, NULL, NULL), 200);
    CHECK_INT(get(&s, "/api/v1/elders?limit=5", grid, NULL, NULL), 200);
    CHECK(!answered(rep, 200));                                   /* still held */
    CHECK_INT(th_sql_int(&s, "SELECT MAX(id) FROM audit"), last); /* nothing audited yet */
    release(1);
    char *resp;
    const char *body;
    CHECK_INT(answer(rep, &resp, &body), 200);
    CHECK(strstr(resp, "Content-Type: text/csv; charset=utf-8\r\n") != NULL);
    char rid[40] = "";
    const char *x = strstr(resp, "X-Request-Id: ");
    CHECK(x != NULL);
    if (x) sscanf(x + 14, "%39[^\r]", rid);
    char *served = reveal_rows(&s, last);
    int64_t mid = th_sql_int(&s, "SELECT MAX(id) FROM audit");
    char q[200];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE id > %lld AND action = 'read_unmasked' AND"
             " request_id = '%s'",
             (long long)last, rid);
    CHECK_INT(th_sql_int(&s, q), vulnerable + helpers);
    /* the same bytes and the same rows as the call made on one connection (the loop's code) */
    int64_t region = 0;
    char *want =
        domain_body(&s, "officer", PJ_ROLE_DISTRICT_OFFICER, vulnerable_revealed, &region, 1);
    if (strcmp(body, want)) t_fail(__FILE__, __LINE__, "the revealed CSV differs");
    char *direct = reveal_rows(&s, mid);
    if (strcmp(served, direct))
        t_fail(__FILE__, __LINE__, "the audit rows differ:\n%.300s\nvs\n%.300s", served, direct);
    CHECK(strstr(served, "elder:") == served);
    free(want);
    free(direct);
    free(served);
    free(resp);

    /* a township officer's: their township's elders only, audited as theirs */
    last = th_sql_int(&s, "SELECT MAX(id) FROM audit");
    rep = send_get(&s, "/api/v1/eldercare/vulnerable?format=csv&reveal=1", town);
    report_started();
    release(1);
    CHECK_INT(answer(rep, &resp, &body), 200);
    served = reveal_rows(&s, last);
    mid = th_sql_int(&s, "SELECT MAX(id) FROM audit");
    want = domain_body(&s, "jinhaihu", PJ_ROLE_TOWNSHIP_OFFICER, vulnerable_revealed, &region, 1);
    if (strcmp(body, want)) t_fail(__FILE__, __LINE__, "the township's revealed CSV differs");
    direct = reveal_rows(&s, mid);
    CHECK(*served != 0);
    if (strcmp(served, direct))
        t_fail(__FILE__, __LINE__, "the township's audit rows differ:\n%.300s\nvs\n%.300s", served,
               direct);
    free(want);
    free(direct);
    free(served);
    free(resp);

    /* a HEAD: made on the worker as the GET, nothing shown, nothing audited */
    last = th_sql_int(&s, "SELECT MAX(id) FROM audit");
    int fd = conn_to(&s);
    char req[300];
    int n = snprintf(req, sizeof req,
                     "HEAD /api/v1/eldercare/vulnerable?format=csv&reveal=1 HTTP/1.1\r\nHost: x\r\n"
                     "Authorization: Bearer %s\r\nConnection: close\r\n\r\n",
                     officer);
    if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) t_fail(__FILE__, __LINE__, "send");
    report_started();
    release(1);
    CHECK_INT(answer(fd, NULL, NULL), 200);
    CHECK_INT(th_sql_int(&s, "SELECT MAX(id) FROM audit"), last);

    /* the audit rows cannot be written (a trigger refuses them: 409 conflict, as on one
     * connection): the answer is the failure, no number goes out, and no row is left */
    th_sql_exec(&s, "CREATE TRIGGER no_reveal BEFORE INSERT ON audit WHEN NEW.action ="
                    " 'read_unmasked' BEGIN SELECT RAISE(ABORT, 'refused'); END");
    rep = send_get(&s, "/api/v1/eldercare/vulnerable?format=csv&reveal=1", officer);
    report_started();
    release(1);
    int st = answer(rep, &resp, &body);
    if (st < 400) t_fail(__FILE__, __LINE__, "%d %.300s", st, body);
    CHECK(strstr(body, "\"error\"") != NULL);
    CHECK(strstr(body, "elder_id") == NULL);
    free(resp);
    th_sql_exec(&s, "DROP TRIGGER no_reveal");
    CHECK_INT(th_sql_int(&s, "SELECT MAX(id) FROM audit"), last);

    /* a viewer may not: 403 at once, never queued (no report started) */
    char viewer[80];
    th_login(&s, "viewer", s.demo_pw, viewer);
    CHECK_INT(get(&s, "/api/v1/eldercare/vulnerable?format=csv&reveal=1", viewer, NULL, NULL), 403);
    th_stop(&s);
}

/* ---- the facility import apart from the loop ---- */

/* Sends POST path with a CSV body on a new connection, closed after the answer. */
static int send_csv(th_server *s, const char *path, const char *token, const char *csv)
{
    size_t len = strlen(csv);
    char *req = malloc(len + 1024);
    if (!req) t_fail(__FILE__, __LINE__, "out of memory");
    int n = snprintf(req, 1024,
                     "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type:"
                     " text/csv\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
                     path, token, len);
    memcpy(req + n, csv, len);
    int fd = conn_to(s);
    size_t all = (size_t)n + len, sent = 0;
    while (sent < all) {
        ssize_t k = send(fd, req + sent, all - sent, MSG_NOSIGNAL);
        if (k <= 0) t_fail(__FILE__, __LINE__, "send");
        sent += (size_t)k;
    }
    free(req);
    return fd;
}

/* n new hotels of 滨河街道 named "<prefix> k", each with isolation rooms. */
static char *hotels(const char *prefix, int n)
{
    pj_buf b;
    pj_buf_init(&b, 64 << 20);
    pj_buf_printf(&b, "name,type,township,lat,lon,isolation_rooms\n");
    for (int k = 0; k < n; k++)
        pj_buf_printf(&b, "%s %d,hotel,滨河街道,40.1%d,117.1%d,%d\n", prefix, k, k % 10, k % 7,
                      10 + k);
    pj_buf_putc(&b, 0);
    return b.data;
}

typedef struct import_call {
    const char *csv;
    int dry_run;
} import_call;

static int import_domain(th_ctx *t, pj_jw *w, pj_buf *csv, const void *arg)
{
    const import_call *a = arg;
    pj_err err;
    return pj_facility_import_csv(&t->c, a->csv, strlen(a->csv), a->dry_run, 10000, w, &err) < 0;
}

/* The facility import (up to 10,000 rows of checks and writes) runs on a report worker, on a
 * connection of its own: while it is held there /health and the facility list are answered
 * and nothing is written. Its preview answers byte for byte what the import made on one
 * connection (the loop's code) answers; its commit writes the facilities, each with its
 * create audit row holding what GET then answers for it, and the import's row, all with the
 * request's id, once; a bad row writes nothing. On the loop the hook is never reached ("no
 * report started"). */
TEST_T(http_facility_import_off_the_loop, 120)
{
    th_server s;
    start_held_opts(&s, (th_opts){.demo = 1});
    char officer[80];
    th_login(&s, "officer", s.demo_pw, officer);
    char *csv = hotels("离线导入酒店", 300);
    int64_t n0 = th_sql_int(&s, "SELECT COUNT(*) FROM facilities");
    int64_t last = th_sql_int(&s, "SELECT MAX(id) FROM audit");

    /* the preview: held, then the same bytes as on one connection */
    int rep = send_csv(&s, "/api/v1/facilities/import?dry_run=1", officer, csv);
    report_started();
    int h = send_get(&s, "/api/v1/health", NULL);
    if (!answered(h, 5000))
        t_fail(__FILE__, __LINE__, "/health was not answered while the import was being made");
    CHECK_INT(answer(h, NULL, NULL), 200);
    CHECK_INT(get(&s, "/api/v1/facilities?limit=5", officer, NULL, NULL), 200);
    CHECK(!answered(rep, 200)); /* still held */
    release(1);
    char *resp;
    const char *body;
    CHECK_INT(answer(rep, &resp, &body), 200);
    import_call ic = {csv, 1};
    char *want = domain_body(&s, "officer", PJ_ROLE_DISTRICT_OFFICER, import_domain, &ic, 0);
    if (strcmp(body, want))
        t_fail(__FILE__, __LINE__, "the preview differs:\n%.400s\nvs\n%.400s", body, want);
    CHECK(strstr(body, "\"created\":300") != NULL);
    free(want);
    free(resp);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facilities"), n0);
    CHECK_INT(th_sql_int(&s, "SELECT MAX(id) FROM audit"), last);

    /* the commit: held (nothing written meanwhile), then every facility once, audited */
    rep = send_csv(&s, "/api/v1/facilities/import", officer, csv);
    report_started();
    CHECK_INT(get(&s, "/api/v1/health", NULL, NULL, NULL), 200);
    CHECK(!answered(rep, 200));
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facilities"), n0);
    release(1);
    CHECK_INT(answer(rep, &resp, &body), 200);
    CHECK(strstr(body, "\"created\":300") != NULL);
    char rid[40] = "";
    const char *x = strstr(resp, "X-Request-Id: ");
    if (x) sscanf(x + 14, "%39[^\r]", rid);
    free(resp);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facilities"), n0 + 300);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facilities WHERE name LIKE '离线导入酒店 %'"),
              300);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facility_roles r JOIN facilities f ON f.id ="
                             " r.facility_id WHERE f.name LIKE '离线导入酒店 %'"),
              300);
    char q[400];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE id > %lld AND request_id = '%s' AND action ="
             " 'create' AND entity = 'facility' AND username = 'officer' AND entity_id IN"
             " (SELECT id FROM facilities WHERE name LIKE '离线导入酒店 %%')",
             (long long)last, rid);
    CHECK_INT(th_sql_int(&s, q), 300);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE id > %lld AND request_id = '%s' AND action ="
             " 'import' AND entity = 'facilities' AND after_json ="
             " '{\"rows\":300,\"created\":300,\"updated\":0,\"unchanged\":0}'",
             (long long)last, rid);
    CHECK_INT(th_sql_int(&s, q), 1);
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM audit WHERE id > %lld", (long long)last);
    CHECK_INT(th_sql_int(&s, q), 301);
    /* a create's audit row holds the facility as GET answers it */
    int64_t one = th_sql_int(&s, "SELECT id FROM facilities WHERE name = '离线导入酒店 7'");
    char path[80];
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", (long long)one);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'facility' AND entity_id = %lld AND"
             " action = 'create'",
             (long long)one);
    CHECK_INT(th_sql_int(&s, q), 1);
    json_t *o;
    CHECK_INT(th_call(&s, "GET", path, officer, NULL, &o), 200);
    char *got = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    th_ctx t;
    th_ctx_open(&s, &t, "test", PJ_ROLE_ADMIN);
    pj_err err;
    pj_stmt *st = pj_db_prepare(
        t.db, "SELECT after_json FROM audit WHERE entity = 'facility' AND entity_id = ?", &err);
    pj_stmt_int(st, 1, one);
    CHECK_INT(pj_stmt_step(st, &err), 1);
    json_t *a = json_loads(pj_col_text(st, 0), 0, NULL);
    pj_stmt_done(st);
    th_ctx_close(&t);
    char *audited = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(a);
    CHECK_STR(audited, got);
    free(audited);
    free(got);

    /* the same table again: every row unchanged, nothing written */
    last = th_sql_int(&s, "SELECT MAX(id) FROM audit");
    rep = send_csv(&s, "/api/v1/facilities/import", officer, csv);
    report_started();
    release(1);
    CHECK_INT(answer(rep, &resp, &body), 200);
    CHECK(strstr(body, "\"unchanged\":300") != NULL);
    free(resp);
    CHECK_INT(th_sql_int(&s, "SELECT MAX(id) FROM audit"), last);

    /* a bad row: 422 with the rows, nothing written */
    free(csv);
    csv = hotels("离线坏行酒店", 20);
    char *bad = strstr(csv, ",hotel,滨河街道,40.15");
    CHECK(bad != NULL);
    if (bad) memcpy(bad + 1, "motel", 5);
    rep = send_csv(&s, "/api/v1/facilities/import", officer, csv);
    report_started();
    release(1);
    CHECK_INT(answer(rep, &resp, &body), 422);
    CHECK(strstr(body, "\"code\":\"bad_row\"") != NULL);
    CHECK(strstr(body, "\"bad_rows\":1") != NULL);
    free(resp);
    CHECK_INT(th_sql_int(&s, "SELECT MAX(id) FROM audit"), last);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facilities"), n0 + 300);
    free(csv);
    th_stop(&s);
}

/* The database the conflict hook writes to, and its pipe. */
static char conflict_db[600];
static int conflict_fd[2];

/* Between the trial and its write: a facility of the district written by someone else. */
static void write_meanwhile(void)
{
    pj_db *db;
    pj_err err;
    pj_err_clear(&err);
    if (pj_db_open(&db, conflict_db, &err) ||
        pj_db_exec(db,
                   "UPDATE facilities SET version = version + 1 WHERE id = (SELECT MIN(id) FROM"
                   " facilities); INSERT INTO audit (at, username, action, entity, entity_id)"
                   " VALUES (1, 'other', 'update', 'facility', (SELECT MIN(id) FROM facilities))",
                   &err))
        _exit(7);
    pj_db_close(db);
    char b = 1;
    if (write(conflict_fd[1], &b, 1) != 1) _exit(8);
}

/* A facility written by someone else between the import's trial and its write: the write is
 * not made from the trial (whose checks read the facilities as they were), the import is made
 * again on the loop's connection instead — its answer as the trial's, every facility written
 * once, audited once. */
TEST_T(http_facility_import_written_meanwhile_made_again, 120)
{
    th_server s;
    if (pipe(conflict_fd)) t_fail(__FILE__, __LINE__, "pipe");
    snprintf(conflict_db, sizeof conflict_db, "%s/pj.db", t_tmpdir()); /* th_start's */
    pj_facility_import_apart_hook = write_meanwhile; /* the server's process inherits it */
    th_start(&s, 1);
    pj_facility_import_apart_hook = NULL;
    CHECK_STR(s.db, conflict_db);
    char officer[80];
    th_login(&s, "officer", s.demo_pw, officer);
    char *csv = hotels("又导一次酒店", 200);
    int64_t n0 = th_sql_int(&s, "SELECT COUNT(*) FROM facilities");
    int64_t last = th_sql_int(&s, "SELECT MAX(id) FROM audit");
    json_t *o = NULL;
    CHECK_INT(th_call_raw(&s, "POST", "/api/v1/facilities/import", officer, csv, (long)strlen(csv),
                          "text/csv", &o, NULL, 0),
              200);
    struct pollfd p = {.fd = conflict_fd[0], .events = POLLIN};
    CHECK(poll(&p, 1, 0) == 1); /* the write was made between the trial and its write */
    CHECK_INT(th_int(o, "created"), 200);
    CHECK_INT(th_int(o, "bad_rows"), 0);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facilities"), n0 + 200);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(DISTINCT name) FROM facilities WHERE name LIKE"
                             " '又导一次酒店 %'"),
              200);
    char q[300];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE id > %lld AND action = 'create' AND entity ="
             " 'facility'",
             (long long)last);
    CHECK_INT(th_sql_int(&s, q), 200);
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM audit WHERE id > %lld AND action = 'import'",
             (long long)last);
    CHECK_INT(th_sql_int(&s, q), 1);
    free(csv);
    th_stop(&s);
}

/* A full queue: one report held on the worker, one waiting (a queue of 1); one more (of a
 * third user: not the limit per user) is 503 busy at once, with Retry-After and a message
 * about reports (not passwords), while log-ins go on; the two are answered once let go, and a
 * report is taken again after. */
TEST_T(http_report_queue_full_busy, 60)
{
    th_server s;
    start_held_opts(&s, (th_opts){.report_queue = 1, .demo = 1});
    char admin[80], officer[80], town[80];
    th_login(&s, "admin", s.admin_pw, admin);
    th_login(&s, "officer", s.demo_pw, officer);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    int a = send_get(&s, "/api/v1/time-bank/check", admin);
    report_started();
    int b = send_get(&s, "/api/v1/eldercare/coverage", officer);
    CHECK(!answered(b, 200)); /* waiting for the worker */
    char *resp;
    const char *body;
    CHECK_INT(get(&s, "/api/v1/enterprise/kpis?from=2026-01-01", town, &resp, &body), 503);
    CHECK(strstr(resp, "\r\nRetry-After: 2\r\n") != NULL);
    CHECK(strstr(body, "\"code\":\"busy\"") != NULL);
    CHECK(strstr(body, "too many reports are waiting to be run; try again in 2 s") != NULL);
    free(resp);
    char again[80];
    th_login(&s, "admin", s.admin_pw, again); /* the password workers are not the reports' */
    release(2);
    CHECK_INT(answer(a, NULL, NULL), 200);
    report_started();
    CHECK_INT(answer(b, NULL, NULL), 200);
    release(1);
    CHECK_INT(get(&s, "/api/v1/enterprise/kpis?from=2026-01-01", admin, NULL, NULL), 200);
    report_started();
    th_stop(&s);
}

/* Asked to stop with one report running on the worker (held there past its start, never let
 * go) and another waiting: the waiting one is answered 503 stopping at once; the running one
 * is asked to end (the hook sees it) and, its statements interrupted, is answered 503
 * stopping too — not its answer, and not after it: the stop does not wait for reports. The
 * server exits cleanly (under the sanitizers: nothing leaked, the worker's connection
 * closed). A month of services of 300 elders: the check's statements run long enough to be
 * interrupted (a statement of a few steps ends before SQLite asks). */
TEST_T(http_report_stop, 60)
{
    th_server s;
    start_held_opts(&s, (th_opts){.demo = 1});
    el_demo(&s, 300);
    char admin[80];
    th_login(&s, "admin", s.admin_pw, admin);
    int a = send_get(&s, "/api/v1/time-bank/check", admin);
    report_started();
    int b = send_get(&s, "/api/v1/time-bank/check", admin);
    CHECK(!answered(b, 200));
    kill(s.pid, SIGTERM);
    char *resp;
    const char *body;
    CHECK_INT(answer(b, &resp, &body), 503);
    CHECK(strstr(body, "\"code\":\"stopping\"") != NULL);
    free(resp);
    /* the running report was asked to end (never let go by the test) */
    if (!answered(cancelled_fd[0], 20000))
        t_fail(__FILE__, __LINE__, "the running report was not asked to end");
    CHECK_INT(answer(a, &resp, &body), 503);
    CHECK(strstr(resp, "\r\nConnection: close\r\n") != NULL);
    CHECK(strstr(body, "\"code\":\"stopping\"") != NULL);
    CHECK(strstr(body, "the server is stopping") != NULL);
    free(resp);
    int st;
    CHECK_INT(waitpid(s.pid, &st, 0), s.pid);
    s.pid = 0;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        t_fail(__FILE__, __LINE__, "server did not stop cleanly (status %d)", st);
}

/* One user has at most two reports waiting or running, whichever session asks: a third is 429
 * too_many_requests with Retry-After and a message naming the limit, at once, and changes
 * nothing; another user's report behind the same client address (127.0.0.1 for all) is
 * taken; once the first two are answered the user may ask again. */
TEST_T(http_report_per_user_limit, 60)
{
    th_server s;
    start_held_opts(&s, (th_opts){.demo = 1});
    char admin[80], admin2[80], officer[80];
    th_login(&s, "admin", s.admin_pw, admin);
    th_login(&s, "admin", s.admin_pw, admin2); /* another session of the same user */
    th_login(&s, "officer", s.demo_pw, officer);
    int a = send_get(&s, "/api/v1/time-bank/check", admin);
    report_started();
    int b = send_get(&s, "/api/v1/enterprise/kpis?from=2026-01-01", admin);
    CHECK(!answered(b, 200));
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    char *resp;
    const char *body;
    CHECK_INT(get(&s, "/api/v1/eldercare/coverage", admin2, &resp, &body), 429);
    CHECK(strstr(resp, "\r\nRetry-After: 2\r\n") != NULL);
    CHECK(strstr(body, "\"code\":\"too_many_requests\"") != NULL);
    CHECK(strstr(body, "you have 2 reports waiting or running; ask again once one is answered "
                       "(try again in 2 s)") != NULL);
    free(resp);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    int c = send_get(&s, "/api/v1/time-bank/check", officer); /* another user: taken */
    CHECK(!answered(c, 200));
    release(3);
    CHECK_INT(answer(a, NULL, NULL), 200);
    CHECK_INT(answer(b, NULL, NULL), 200);
    CHECK_INT(answer(c, NULL, NULL), 200);
    a = send_get(&s, "/api/v1/time-bank/check", admin2);
    b = send_get(&s, "/api/v1/time-bank/check", admin);
    release(2);
    CHECK_INT(answer(a, NULL, NULL), 200);
    CHECK_INT(answer(b, NULL, NULL), 200);
    th_stop(&s);
}

/* Clients that close their connections while their reports run and wait: the answers, once
 * back, go nowhere and nothing else is disturbed; the user's reports stop counting then (a
 * user whose count stayed at two would be refused for ever), and the server answers as
 * before. */
TEST_T(http_report_client_gone, 60)
{
    th_server s;
    start_held(&s, 0);
    char admin[80];
    th_login(&s, "admin", s.admin_pw, admin);
    int a = send_get(&s, "/api/v1/time-bank/check", admin);
    report_started();
    int b = send_get(&s, "/api/v1/time-bank/check", admin);
    CHECK(!answered(b, 200));
    close(a);
    close(b);
    release(3); /* theirs, and the next one's */
    int st = 429;
    for (int i = 0; i < 400 && st == 429; i++) { /* 429 until both are back */
        st = get(&s, "/api/v1/time-bank/check", admin, NULL, NULL);
        if (st == 429) usleep(50000);
    }
    CHECK_INT(st, 200);
    CHECK_INT(get(&s, "/api/v1/health", NULL, NULL, NULL), 200);
    th_stop(&s);
}
