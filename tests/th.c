#include "th.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/auth.h"
#include "domain/demo.h"
#include "domain/enterprise_calendar.h"
#include "http/server.h"
#include "t.h"

static int slow_hash; /* for th_start_opts */
/* read by pj_now and pj_now_ms (src/core/util.c): this program's definition of it alone */
int64_t pj_test_clock_shift_s;

/* The demo district built once by the runner (t_before_all), copied by each test that starts a
 * server on it: building it is over a second of a test's time, several under the sanitizers, and
 * most tests start one. A test that moved the clock, hashes at the product's cost or asked for
 * elders builds its own. */
static char template_dir[256], template_db[600], template_admin_pw[32];
/* The same for the command line's `init --demo` (every module's demo), made by the binary under
 * test: th_demo_db copies it. */
static char cli_template_db[600];

static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY), out = -1, rc = -1;
    if (in < 0) return -1;
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out >= 0) {
        char buf[1 << 16];
        ssize_t n;
        rc = 0;
        while ((n = read(in, buf, sizeof buf)) > 0)
            if (write(out, buf, (size_t)n) != n) {
                rc = -1;
                break;
            }
        if (n < 0) rc = -1;
        if (close(out)) rc = -1;
    }
    close(in);
    return rc;
}

/* The demo's elders are the runner's none (a test may ask for some) */
static int runner_elders(void)
{
    const char *elders = getenv("PINGJI_DEMO_ELDERS");
    return elders && strcmp(elders, "0") == 0;
}

static int template_fits(int demo)
{
    return demo && template_db[0] && !slow_hash && pj_test_clock_shift_s == 0 && runner_elders();
}

/* A database closed whole: no write-ahead log left beside it to copy too */
static int closed_whole(const char *db)
{
    char wal[620];
    snprintf(wal, sizeof wal, "%s-wal", db);
    return access(wal, F_OK) != 0;
}

/* The database at s->db built: the admin (its password in s->admin_pw), the demo district. */
static void build_db(th_server *s, int demo)
{
    pj_err err;
    pj_err_clear(&err);
    pj_log_level(PJ_LOG_WARN);
    th_ctx t;
    th_ctx_open(s, &t, "test", PJ_ROLE_ADMIN);
    /* a server hashing at the product's cost finds the admin's password hashed so: a weaker
     * hash would be hashed anew at its first log-in */
    t.settings.fast_hash = !slow_hash;
    if (pj_auth_bootstrap(&t.c, s->admin_pw, sizeof s->admin_pw, &err) != 1)
        t_fail(__FILE__, __LINE__, "bootstrap: %s", err.message);
    snprintf(s->demo_pw, sizeof s->demo_pw, "demo-password-1");
    if (demo) {
        pj_demo_stats ds;
        if (pj_demo_build(&t.c, 20240801, s->demo_pw, &ds, &err))
            t_fail(__FILE__, __LINE__, "demo: %s", err.message);
    }
    th_ctx_close(&t);
}

static void make_db(th_server *s, int demo)
{
    snprintf(s->db, sizeof s->db, "%s/pj.db", t_tmpdir());
    if (!template_fits(demo)) {
        build_db(s, demo);
        return;
    }
    if (copy_file(template_db, s->db)) t_fail(__FILE__, __LINE__, "copy %s", template_db);
    memcpy(s->admin_pw, template_admin_pw, sizeof s->admin_pw);
    snprintf(s->demo_pw, sizeof s->demo_pw, "demo-password-1");
}

void t_before_all(void)
{
    if (getenv("PJ_TEST_NO_TEMPLATE") || !runner_elders()) return;
    snprintf(template_dir, sizeof template_dir, "/tmp/pingji-demo-XXXXXX");
    if (!mkdtemp(template_dir)) t_fail(__FILE__, __LINE__, "mkdtemp: %s", strerror(errno));
    th_server s;
    memset(&s, 0, sizeof s);
    snprintf(s.db, sizeof s.db, "%s/pj.db", template_dir);
    build_db(&s, 1); /* slow_hash is set by a test, never before it */
    if (!closed_whole(s.db)) t_fail(__FILE__, __LINE__, "the demo template kept its WAL");
    memcpy(template_admin_pw, s.admin_pw, sizeof template_admin_pw);
    snprintf(template_db, sizeof template_db, "%s", s.db);
    /* the command line's demo, when the binary is there (a run of the tests alone may be
     * without one: each test then runs it itself, and fails as it would have) */
    char cli_db[sizeof template_dir + 16], said[sizeof template_dir + 16], out[4096];
    snprintf(cli_db, sizeof cli_db, "%s/cli.db", template_dir);
    snprintf(said, sizeof said, "%s/init.txt", template_dir);
    if (th_run_as(out, sizeof out, (const char *const[]){"init", "--db", cli_db, "--demo", NULL},
                  said, 0) == 0 &&
        closed_whole(cli_db))
        snprintf(cli_template_db, sizeof cli_template_db, "%s", cli_db);
    unlink(said);
}

void th_demo_db(const char *db)
{
    if (cli_template_db[0] && runner_elders()) {
        if (copy_file(cli_template_db, db)) t_fail(__FILE__, __LINE__, "copy %s", cli_template_db);
        return;
    }
    char out[65536];
    if (th_run(out, sizeof out, (const char *const[]){"init", "--db", db, "--demo", NULL}))
        t_fail(__FILE__, __LINE__, "init --demo: %s", out);
}

void t_after_all(void)
{
    if (!template_dir[0]) return;
    unlink(template_db);
    if (cli_template_db[0]) unlink(cli_template_db);
    rmdir(template_dir);
}

static const char *web_dir; /* for th_start_web */
static int alert_scan_s;    /* for th_start_scan */
static int throttled;       /* for th_start_limits */
static int max_conns, max_per_addr;
static const char *log_path;         /* for th_start_log */
static int trust_proxy, login_slots; /* for th_start_opts */
static int login_queue, report_queue, report_workers, stop_wait_ms, lock_wait_ms;
static int secure_cookies, session_prune_s; /* for th_start_opts */
static const char *trusted_proxy, *listen_host;

void th_start_opts(th_server *s, const th_opts *o)
{
    throttled = o->throttled;
    max_conns = o->max_conns;
    max_per_addr = o->max_per_addr;
    trust_proxy = o->trust_proxy;
    login_slots = o->login_slots;
    log_path = o->log_path;
    web_dir = o->web_dir;
    slow_hash = o->slow_hash;
    login_queue = o->login_queue;
    stop_wait_ms = o->stop_wait_ms;
    lock_wait_ms = o->lock_wait_ms;
    report_queue = o->report_queue;
    report_workers = o->report_workers;
    secure_cookies = o->secure_cookies;
    session_prune_s = o->session_prune_s;
    trusted_proxy = o->trusted_proxy;
    listen_host = o->host;
    th_start_idle(s, o->demo, 0);
    throttled = max_conns = max_per_addr = trust_proxy = login_slots = 0;
    slow_hash = login_queue = report_queue = report_workers = secure_cookies = stop_wait_ms = 0;
    session_prune_s = lock_wait_ms = 0;
    trusted_proxy = listen_host = NULL;
    log_path = NULL;
    web_dir = NULL;
}

void th_start_log(th_server *s, const char *path)
{
    log_path = path;
    th_start_idle(s, 0, 0);
    log_path = NULL;
}

void th_start_limits(th_server *s, int max_total, int max_addr)
{
    throttled = 1;
    max_conns = max_total;
    max_per_addr = max_addr;
    th_start_idle(s, 0, 0);
    throttled = max_conns = max_per_addr = 0;
}

void th_start_scan(th_server *s, int demo, int scan_s)
{
    alert_scan_s = scan_s;
    th_start_idle(s, demo, 0);
    alert_scan_s = 0;
}

void th_start_web(th_server *s, const char *dir)
{
    web_dir = dir;
    th_start_idle(s, 0, 0);
    web_dir = NULL;
}

static void serve(th_server *s, int idle_s);

void th_start_idle(th_server *s, int demo, int idle_s)
{
    memset(s, 0, sizeof *s);
    s->idle_s = idle_s;
    make_db(s, demo);
    serve(s, idle_s);
}

void th_crash_restart(th_server *s)
{
    int st;
    kill(s->pid, SIGKILL);
    waitpid(s->pid, &st, 0);
    serve(s, s->idle_s);
}

/* The server on s->db, in a child process; its port into s. */
static void serve(th_server *s, int idle_s)
{
    int pfd[2];
    if (pipe(pfd)) t_fail(__FILE__, __LINE__, "pipe");
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(pfd[0]);
        pj_server_opts o = {.db_path = s->db, .port = 0, .access_log = 0, .web_dir = web_dir};
        pj_settings_default(&o.settings);
        o.settings.fast_hash = !slow_hash;
        if (idle_s) o.settings.session_idle_s = idle_s;
        o.alert_scan_s = alert_scan_s;
        o.session_prune_s = session_prune_s;
        o.login_unthrottled = !throttled;
        if (log_path && freopen(log_path, "w", stderr)) {
            o.access_log = 1;
            pj_log_level(PJ_LOG_INFO);
        }
        o.max_conns = max_conns;
        o.max_conns_per_addr = max_per_addr;
        o.trust_proxy = trust_proxy;
        pj_net proxy;
        if (trusted_proxy) {
            if (pj_net_parse(trusted_proxy, &proxy)) _exit(4);
            o.trusted_proxies = &proxy;
            o.n_trusted_proxies = 1;
        }
        o.host = listen_host;
        o.login_slots = login_slots;
        o.login_queue = login_queue;
        o.report_queue = report_queue;
        o.report_workers = report_workers;
        o.stop_wait_ms = stop_wait_ms;
        o.lock_wait_ms = lock_wait_ms;
        o.secure_cookies = secure_cookies;
        pj_server *srv;
        pj_err err;
        pj_err_clear(&err);
        int port = -1;
        if (pj_server_open(&srv, &o, &err) == 0) port = pj_server_port(srv);
        if (write(pfd[1], &port, sizeof port) != sizeof port) _exit(3);
        close(pfd[1]);
        if (port < 0) _exit(2);
        pj_server_run(srv);
        pj_server_free(srv);
        exit(0);
    }
    close(pfd[1]);
    int port = -1;
    if (read(pfd[0], &port, sizeof port) != sizeof port || port <= 0)
        t_fail(__FILE__, __LINE__, "server did not start");
    close(pfd[0]);
    s->pid = pid;
    s->port = port;
}

void th_clock_at(const char *day, int hh, int mm)
{
    int32_t d;
    if (pj_cal_parse(day, &d) || hh < 0 || hh > 23 || mm < 0 || mm > 59)
        t_fail(__FILE__, __LINE__, "th_clock_at: bad time %s %02d:%02d", day, hh, mm);
    int64_t at = pj_cal_day_start(d) + hh * 3600 + mm * 60;
    pj_test_clock_shift_s = at - (int64_t)time(NULL);
}

void th_clock_real(void)
{
    pj_test_clock_shift_s = 0;
}

void th_start(th_server *s, int demo)
{
    th_start_idle(s, demo, 0);
}

void th_stop(th_server *s)
{
    if (s->pid <= 0) return;
    kill(s->pid, SIGTERM);
    int st;
    waitpid(s->pid, &st, 0);
    s->pid = 0;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        t_fail(__FILE__, __LINE__, "server did not stop cleanly (status %d)", st);
}

typedef struct {
    char *data;
    size_t len;
} mem;

static size_t collect(char *p, size_t sz, size_t n, void *ud)
{
    mem *m = ud;
    char *q = realloc(m->data, m->len + sz * n + 1);
    if (!q) return 0;
    m->data = q;
    memcpy(m->data + m->len, p, sz * n);
    m->len += sz * n;
    m->data[m->len] = 0;
    return sz * n;
}

int th_call_raw(th_server *s, const char *method, const char *path, const char *token,
                const char *body, long body_len, const char *content_type, json_t **out,
                char *header_out, size_t header_size)
{
    return th_call_hdr(s, method, path, token, body, body_len, content_type, NULL, out, header_out,
                       header_size);
}

int th_call_hdr(th_server *s, const char *method, const char *path, const char *token,
                const char *body, long body_len, const char *content_type, const char *header,
                json_t **out, char *header_out, size_t header_size)
{
    CURL *c = curl_easy_init();
    char url[1024];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", s->port, path);
    mem resp = {0}, hdr = {0};
    struct curl_slist *h = NULL;
    char auth[128];
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        h = curl_slist_append(h, auth);
    }
    char ct[128];
    snprintf(ct, sizeof ct, "Content-Type: %s", content_type ? content_type : "application/json");
    if (body) h = curl_slist_append(h, ct);
    h = curl_slist_append(h, "Expect:");
    if (header) h = curl_slist_append(h, header);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hdr);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, body_len >= 0 ? body_len : (long)strlen(body));
    }
    char doing[700];
    snprintf(doing, sizeof doing, "%s %s (port %d)", method, path, s->port);
    t_doing(doing);
    CURLcode rc = curl_easy_perform(c);
    t_doing(NULL);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK)
        t_fail(__FILE__, __LINE__, "%s %s: %s", method, path, curl_easy_strerror(rc));
    if (out) *out = resp.data ? json_loads(resp.data, 0, NULL) : NULL;
    if (header_out && header_size)
        snprintf(header_out, header_size, "%s", hdr.data ? hdr.data : "");
    free(resp.data);
    free(hdr.data);
    return (int)status;
}

char *th_get_body(th_server *s, const char *tok, const char *path, size_t *n, const char *file,
                  int line)
{
    CURL *c = curl_easy_init();
    char url[1024], auth[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", s->port, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
    struct curl_slist *h = curl_slist_append(NULL, auth);
    mem b = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK || status != 200 || !b.data) {
        t_fail(file, line, "GET %s: %ld %.200s", path, status, b.data ? b.data : "");
        free(b.data);
        return NULL;
    }
    *n = b.len;
    return b.data;
}

int th_call(th_server *s, const char *method, const char *path, const char *token, const char *body,
            json_t **out)
{
    return th_call_raw(s, method, path, token, body, -1, NULL, out, NULL, 0);
}

json_t *th_call_want(th_server *s, const char *method, const char *token, const char *path,
                     const char *body, int want, const char *file, int line)
{
    json_t *o = NULL;
    int st = th_call(s, method, path, token, body, &o);
    if (st != want)
        t_fail(file, line, "%s %s: %d, expected %d (%s: %s)", method, path, st, want,
               th_err_code(o) ? th_err_code(o) : "-", th_err_message(o));
    return o;
}

int th_page_ids(th_server *s, const char *tok, const char *base, const char *query,
                long long cursor, long long *ids, int max, long long *next, json_t **out,
                const char *file, int line)
{
    char path[400];
    if (cursor)
        snprintf(path, sizeof path, "%s?%s&cursor=%lld", base, query, cursor);
    else
        snprintf(path, sizeof path, "%s?%s", base, query);
    json_t *o = th_call_want(s, "GET", tok, path, NULL, 200, file, line);
    json_t *it = json_object_get(o, "items");
    int n = (int)json_array_size(it);
    if (n > max) t_fail(file, line, "GET %s: %d items, more than %d", path, n, max);
    for (int i = 0; i < n; i++) ids[i] = th_int(json_array_get(it, i), "id");
    json_t *nc = json_object_get(o, "next_cursor");
    *next = json_is_string(nc) ? atoll(json_string_value(nc)) : 0;
    /* the cursor is the last row shown */
    if (*next && (!n || *next != ids[n - 1]))
        t_fail(file, line, "GET %s: next_cursor %lld, the last id shown %lld", path, *next,
               n ? ids[n - 1] : 0);
    if (out)
        *out = o;
    else
        json_decref(o);
    return n;
}

void th_login(th_server *s, const char *user, const char *pw, char token[80])
{
    char body[256];
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, pw);
    json_t *o;
    int st = th_call(s, "POST", "/api/v1/auth/login", NULL, body, &o);
    if (st != 200 || !json_string_value(json_object_get(o, "token")))
        t_fail(__FILE__, __LINE__, "login %s: status %d", user, st);
    snprintf(token, 80, "%s", json_string_value(json_object_get(o, "token")));
    json_decref(o);
}

void th_day_rel(int years, int days, char out[11])
{
    time_t t = (time_t)pj_now() + PJ_LOCAL_OFFSET_S + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    int y = tm.tm_year + 1900 - years;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int d = tm.tm_mon == 1 && tm.tm_mday == 29 && !leap ? 28 : tm.tm_mday;
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)tm.tm_mon % 12u + 1u,
             (unsigned)d % 32u);
}

long long th_sql_int(th_server *s, const char *sql)
{
    sqlite3 *db;
    if (sqlite3_open_v2(s->db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        t_fail(__FILE__, __LINE__, "open %s", s->db);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
        /* an error is not "no row": a busy database read as -1 would fail a test later,
         * somewhere that does not say why */
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            t_fail(__FILE__, __LINE__, "sql: %s: %s", sql, sqlite3_errmsg(db));
        sqlite3_finalize(st);
    } else {
        t_fail(__FILE__, __LINE__, "sql: %s: %s", sql, sqlite3_errmsg(db));
    }
    sqlite3_close(db);
    return v;
}

void th_fingerprint(th_server *s, char *out, size_t size)
{
    /* every table of every module: row count, highest rowid and the sum of versions */
    sqlite3 *db;
    if (sqlite3_open_v2(s->db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        t_fail(__FILE__, __LINE__, "open %s", s->db);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *t;
    size_t len = 0;
    out[0] = 0;
    if (sqlite3_prepare_v2(
            db,
            "SELECT name, EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name ="
            " 'version'), m.sql LIKE '%WITHOUT ROWID%' FROM sqlite_master m"
            " WHERE type = 'table' AND"
            " name NOT LIKE 'sqlite_%' ORDER BY name",
            -1, &t, NULL) != SQLITE_OK)
        t_fail(__FILE__, __LINE__, "fingerprint: %s", sqlite3_errmsg(db));
    int tables = 0;
    while (sqlite3_step(t) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(t, 0);
        char sql[300];
        snprintf(sql, sizeof sql, "SELECT COUNT(*), %s, %s FROM \"%s\"",
                 sqlite3_column_int(t, 2) ? "0" : "COALESCE(MAX(rowid), 0)",
                 sqlite3_column_int(t, 1) ? "COALESCE(SUM(version), 0)" : "0", name);
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK || sqlite3_step(q) != SQLITE_ROW)
            t_fail(__FILE__, __LINE__, "fingerprint of %s: %s", name, sqlite3_errmsg(db));
        int k =
            snprintf(out + len, size - len, "%s=%lld/%lld/%lld ", name,
                     (long long)sqlite3_column_int64(q, 0), (long long)sqlite3_column_int64(q, 1),
                     (long long)sqlite3_column_int64(q, 2));
        sqlite3_finalize(q);
        /* a cut-off fingerprint would compare only the first tables: fail instead */
        if (k < 0 || (size_t)k >= size - len)
            t_fail(__FILE__, __LINE__, "fingerprint needs more than %zu bytes (at table %s)", size,
                   name);
        len += (size_t)k;
        tables++;
    }
    sqlite3_finalize(t);
    if (tables == 0) t_fail(__FILE__, __LINE__, "fingerprint: no tables in %s", s->db);
    sqlite3_close(db);
}

const char *th_fingerprint_diff(const char *before, const char *after, char *out, size_t size)
{
    size_t len = 0;
    out[0] = 0;
    static char hay[TH_FINGERPRINT_SIZE + 2];
    snprintf(hay, sizeof hay, " %s", before);
    /* entries "name=c/m/v ": one of after's not in before is a table that changed */
    for (const char *p = after; *p;) {
        const char *end = strchr(p, ' '), *eq = strchr(p, '=');
        if (!end) end = p + strlen(p);
        if (!eq || eq > end) break;
        char want[320];
        snprintf(want, sizeof want, " %.*s ", (int)(end - p), p);
        if (!strstr(hay, want)) {
            char key[160];
            snprintf(key, sizeof key, " %.*s", (int)(eq - p + 1), p);
            const char *was = strstr(hay, key);
            const char *from = was ? was + strlen(key) : "(none)";
            size_t from_n = was ? strcspn(from, " ") : strlen(from);
            int k = snprintf(out + len, size - len, "%s%.*s %.*s → %.*s", len ? "; " : "",
                             (int)(eq - p), p, (int)from_n, from, (int)(end - eq - 1), eq + 1);
            if (k < 0 || (size_t)k >= size - len) break;
            len += (size_t)k;
        }
        p = *end ? end + 1 : end;
    }
    if (!len) snprintf(out, size, "a table of the first is missing from the second");
    return out;
}

long long th_int(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

const char *th_str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

const char *th_err_code(json_t *o)
{
    return json_string_value(json_object_get(json_object_get(o, "error"), "code"));
}

const char *th_err_field(json_t *o)
{
    return json_string_value(json_object_get(json_object_get(o, "error"), "field"));
}

const char *th_err_message(json_t *o)
{
    const char *m = json_string_value(json_object_get(json_object_get(o, "error"), "message"));
    return m ? m : "";
}

void th_enum_filter(th_server *s, const char *token, const char *path, const char *key,
                    const char *const *values)
{
    char url[512], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE], want[320];
    const char *sep = strchr(path, '?') ? "&" : "?";
    json_t *o = NULL;
    th_fingerprint(s, fp0, sizeof fp0);
    snprintf(url, sizeof url, "%s%s%s=no_such_%s", path, sep, key, key);
    int st = th_call(s, "GET", url, token, NULL, &o);
    if (st != 400) t_fail(__FILE__, __LINE__, "GET %s answered %d, expected 400", url, st);
    if (strcmp(th_err_code(o) ? th_err_code(o) : "", "bad_query") ||
        strcmp(th_err_field(o) ? th_err_field(o) : "", key))
        t_fail(__FILE__, __LINE__, "GET %s: error %s at %s, expected bad_query at %s", url,
               th_err_code(o), th_err_field(o), key);
    snprintf(want, sizeof want, "%s is one of %s", key, values[0]);
    if (strncmp(th_err_message(o), want, strlen(want)))
        t_fail(__FILE__, __LINE__, "GET %s: message \"%s\", expected \"%s, ...\"", url,
               th_err_message(o), want);
    json_decref(o);
    th_fingerprint(s, fp1, sizeof fp1);
    if (strcmp(fp0, fp1)) {
        char diff[1024];
        t_fail(__FILE__, __LINE__, "GET %s changed the database: %s", url,
               th_fingerprint_diff(fp0, fp1, diff, sizeof diff));
    }
    for (int i = 0; values[i]; i++) {
        snprintf(url, sizeof url, "%s%s%s=%s", path, sep, key, values[i]);
        st = th_call(s, "GET", url, token, NULL, NULL);
        if (st != 200) t_fail(__FILE__, __LINE__, "GET %s answered %d, expected 200", url, st);
    }
}

void th_sql_exec(th_server *s, const char *sql)
{
    sqlite3 *db;
    if (sqlite3_open(s->db, &db) != SQLITE_OK) t_fail(__FILE__, __LINE__, "open %s", s->db);
    sqlite3_busy_timeout(db, 5000);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        t_fail(__FILE__, __LINE__, "sql: %s: %s", sql, msg ? msg : "?");
    sqlite3_close(db);
}

static int run_bin(char *out, size_t size, const char *const *args, const char *out_path,
                   int nobody, const char *input, int stdout_only);

int th_run_as(char *out, size_t size, const char *const *args, const char *out_path, int nobody)
{
    return run_bin(out, size, args, out_path, nobody, NULL, 0);
}

int th_run_input(char *out, size_t size, const char *const *args, const char *input)
{
    return run_bin(out, size, args, NULL, 0, input, 0);
}

int th_run_stdout(char *out, size_t size, const char *const *args)
{
    return run_bin(out, size, args, NULL, 0, NULL, 1);
}

static int run_bin(char *out, size_t size, const char *const *args, const char *out_path,
                   int nobody, const char *input, int stdout_only)
{
    const char *bin = getenv("PJ_BIN") && *getenv("PJ_BIN") ? getenv("PJ_BIN") : "build/rel/pingji";
    char path[600];
    if (out_path)
        snprintf(path, sizeof path, "%s", out_path);
    else
        snprintf(path, sizeof path, "%s/out.txt", t_tmpdir());
    char in_path[600] = "";
    if (input) {
        snprintf(in_path, sizeof in_path, "%s/in.txt", t_tmpdir());
        FILE *f = fopen(in_path, "w");
        if (!f || fputs(input, f) < 0 || fclose(f)) t_fail(__FILE__, __LINE__, "write %s", in_path);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (in_path[0]) {
            int in = open(in_path, O_RDONLY);
            if (in < 0 || dup2(in, 0) < 0) _exit(126);
        }
        /* root writes any file: a check of what a user cannot write runs as nobody */
        if (nobody && geteuid() == 0 && (setgid(65534) || setuid(65534))) _exit(126);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        int err_fd = stdout_only ? open("/dev/null", O_WRONLY) : fd;
        if (fd < 0 || err_fd < 0 || dup2(fd, 1) < 0 || dup2(err_fd, 2) < 0) _exit(126);
        const char *argv[32];
        int n = 0;
        argv[n++] = bin;
        for (int i = 0; args[i] && n < 31; i++) argv[n++] = args[i];
        argv[n] = NULL;
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(out, 1, size - 1, f) : 0;
    out[n] = 0;
    if (f) fclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

int th_run(char *out, size_t size, const char *const *args)
{
    return th_run_as(out, size, args, NULL, 0);
}

int th_run_db(char *out, size_t size, const char *const *args, size_t max, const char *db)
{
    const char *argv[40];
    size_t n = 0;
    for (size_t k = 0; k < max && k < 36 && args[k]; k++) argv[n++] = args[k];
    argv[n++] = "--db";
    argv[n++] = db;
    argv[n] = NULL;
    return th_run(out, size, argv);
}

int th_list_has(th_server *s, const char *tok, const char *path, const char *key, long long id)
{
    json_t *o;
    CHECK_INT(th_call(s, "GET", path, tok, NULL, &o), 200);
    int hit = 0;
    json_t *items = json_object_get(o, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        hit |= th_int(json_array_get(items, i), key) == id;
    json_decref(o);
    return hit;
}

void *th_scratch(size_t n)
{
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) t_fail(__FILE__, __LINE__, "th_scratch: %zu bytes", n);
    return p;
}

void th_demo(th_server *s, th_demo_fn fn)
{
    pj_err err;
    pj_err_clear(&err);
    th_ctx t;
    th_ctx_open(s, &t, "demo", PJ_ROLE_ADMIN);
    if (fn(&t.c, 7, &err)) t_fail(__FILE__, __LINE__, "demo: %s", err.message);
    th_ctx_close(&t);
}

void th_ctx_open(th_server *s, th_ctx *t, const char *username, pj_role role)
{
    pj_err err;
    pj_err_clear(&err);
    pj_settings_default(&t->settings);
    t->settings.fast_hash = 1;
    if (pj_db_open(&t->db, s->db, &err)) t_fail(__FILE__, __LINE__, "db: %s", err.message);
    pj_arena_init(&t->arena, 1 << 16);
    t->c = (pj_ctx){.db = t->db,
                    .arena = &t->arena,
                    .settings = &t->settings,
                    .request_id = "t",
                    .actor = {.username = username, .role = role}};
}

void th_ctx_close(th_ctx *t)
{
    pj_arena_free(&t->arena);
    pj_db_close(t->db);
}

void th_ctx_fresh(th_ctx *t)
{
    static int n;
    pj_err err;
    pj_err_clear(&err);
    char path[600];
    snprintf(path, sizeof path, "%s/fresh%d.db", t_tmpdir(), ++n);
    pj_log_level(PJ_LOG_WARN);
    pj_settings_default(&t->settings);
    t->settings.fast_hash = 1;
    if (pj_db_open(&t->db, path, &err)) t_fail(__FILE__, __LINE__, "db: %s", err.message);
    pj_arena_init(&t->arena, 1 << 16);
    t->c = (pj_ctx){.db = t->db,
                    .arena = &t->arena,
                    .settings = &t->settings,
                    .request_id = "t",
                    .actor = {.username = "admin", .role = PJ_ROLE_ADMIN}};
}

const char *th_plans(th_ctx *t, const char *word)
{
    pj_err err;
    pj_err_clear(&err);
    pj_buf b;
    pj_buf_init(&b, 1 << 20);
    if (pj_db_plans(t->db, word, &b, &err)) t_fail(__FILE__, __LINE__, "plans: %s", err.message);
    if (!b.len) t_fail(__FILE__, __LINE__, "no statement cached with \"%s\"", word);
    char *out = pj_arena_strndup(&t->arena, b.data, b.len);
    pj_buf_free(&b);
    return out;
}

int th_dial(int port, const char *src, int timeout_ms)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) t_fail(__FILE__, __LINE__, "socket");
    if (src) {
        struct sockaddr_in b = {.sin_family = AF_INET};
        inet_pton(AF_INET, src, &b.sin_addr);
        if (bind(fd, (struct sockaddr *)&b, sizeof b))
            t_fail(__FILE__, __LINE__, "bind %s: %s", src, strerror(errno));
    }
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (connect(fd, (struct sockaddr *)&a, sizeof a))
        t_fail(__FILE__, __LINE__, "connect to %d: %s", port, strerror(errno));
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

size_t th_read_all(int fd, char *out, size_t size)
{
    size_t n = 0;
    while (n + 1 < size) {
        ssize_t k = recv(fd, out + n, size - 1 - n, 0);
        if (k <= 0) break;
        n += (size_t)k;
    }
    out[n] = 0;
    return n;
}

size_t th_read_answer(int fd, char *out, size_t size, char *why, size_t why_size)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t n = 0;
    ssize_t k = 0;
    int e = 0;
    while (n + 1 < size) {
        k = recv(fd, out + n, size - 1 - n, 0);
        if (k <= 0) {
            e = errno;
            break;
        }
        n += (size_t)k;
    }
    out[n] = 0;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long long ms = (t1.tv_sec - t0.tv_sec) * 1000LL + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    if (n + 1 >= size)
        snprintf(why, why_size, "%zu bytes fill the buffer", n);
    else if (k == 0)
        snprintf(why, why_size, "closed by the server after %lld ms, %zu bytes received", ms, n);
    else if (e == EAGAIN || e == EWOULDBLOCK)
        snprintf(why, why_size, "timed out: nothing more for %lld ms, %zu bytes received", ms, n);
    else
        snprintf(why, why_size, "%s (errno %d) after %lld ms, %zu bytes received", strerror(e), e,
                 ms, n);
    return n;
}

const char *th_header(const char *head, const char *end, const char *name, char *out, size_t size)
{
    out[0] = 0;
    size_t nl = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p && p + 2 < end; p = strstr(p + 2, "\r\n")) {
        const char *line = p + 2;
        if (!strncasecmp(line, name, nl) && line[nl] == ':') {
            const char *v = line + nl + 1;
            while (*v == ' ') v++;
            size_t vl = strcspn(v, "\r");
            snprintf(out, size, "%.*s", (int)vl, v);
            break;
        }
    }
    return out;
}

char *th_zip_parts(const char *const *names, const char *const *texts, int n, size_t *len)
{
    char path[700];
    snprintf(path, sizeof path, "%s/parts.xlsx", t_tmpdir());
    zipFile z = zipOpen64(path, 0);
    CHECK(z != NULL);
    for (int i = 0; i < n; i++) {
        CHECK(zipOpenNewFileInZip64(z, names[i], NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 6, 0) ==
              ZIP_OK);
        CHECK(zipWriteInFileInZip(z, texts[i], (unsigned)strlen(texts[i])) == ZIP_OK);
        CHECK(zipCloseFileInZip(z) == ZIP_OK);
    }
    CHECK(zipClose(z, NULL) == ZIP_OK);
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    CHECK(fseek(f, 0, SEEK_END) == 0);
    long sz = ftell(f);
    CHECK(sz > 0);
    rewind(f);
    char *out = malloc((size_t)sz);
    CHECK(out != NULL && fread(out, 1, (size_t)sz, f) == (size_t)sz);
    fclose(f);
    *len = (size_t)sz;
    return out;
}

char *th_xlsx_book(const char *styles, const char *sheet, size_t *len)
{
    const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                           "xl/worksheets/sheet1.xml", "xl/styles.xml"};
    const char *texts[] = {
        "<workbook xmlns:r=\"urn:r\"><sheets><sheet name=\"s\" sheetId=\"1\" r:id=\"rId1\"/>"
        "</sheets></workbook>",
        "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
        "</Relationships>",
        sheet, styles};
    return th_zip_parts(names, texts, styles ? 4 : 3, len);
}
