/* Another program holding the database's write lock (a sqlite3 session, a long command-line
 * import, a second server on the file): the server goes on answering reads and log-ins, a
 * write waits for the lock off the event loop and is made once it is free, or is answered
 * 503 busy (Retry-After) with nothing written when it stays held too long; requests on one
 * connection are answered in order; a stop answers a waiting write 503 stopping. The lock is
 * held here by a real second connection of the test's own process. */
#include <poll.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

static int64_t ms_now(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* The write lock of the server's database, taken by a connection of this process. */
static sqlite3 *lock_hold(th_server *s)
{
    sqlite3 *h = NULL;
    if (sqlite3_open(s->db, &h) != SQLITE_OK) t_fail(__FILE__, __LINE__, "open %s", s->db);
    sqlite3_busy_timeout(h, 10000);
    if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        t_fail(__FILE__, __LINE__, "BEGIN IMMEDIATE: %s", sqlite3_errmsg(h));
    return h;
}

static void lock_release(sqlite3 *h)
{
    sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(h);
}

static void send_text(int fd, const char *text)
{
    size_t n = strlen(text);
    if (send(fd, text, n, MSG_NOSIGNAL) != (ssize_t)n) t_fail(__FILE__, __LINE__, "send");
}

/* A request's text: method path, the bearer token (NULL: none), a JSON body (NULL: none). */
static const char *req_text(const char *method, const char *path, const char *tok, const char *body)
{
    static char text[4][2048];
    static int i;
    char *t = text[i++ % 4], auth[128] = "";
    if (tok) snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", tok);
    snprintf(t, sizeof text[0],
             "%s %s HTTP/1.1\r\nHost: x\r\n%sContent-Type: application/json\r\n"
             "Content-Length: %zu\r\n\r\n%s",
             method, path, auth, body ? strlen(body) : 0, body ? body : "");
    return t;
}

static int status_of(const char *resp)
{
    int st = -1;
    if (sscanf(resp, "HTTP/1.%*d %d", &st) != 1) return -1;
    return st;
}

/* One answer (head and body, by its Content-Length) from fd into out; what came after it
 * (the next answers on fd) is kept for the next call on fd. Returns the status, -1 when the
 * connection closed or a read timed out first. */
#define FDS 256
static char (*pending)[1 << 15]; /* FDS of them, th_scratch */
static size_t npending[FDS];
static int read_one(int fd, char *out, size_t size)
{
    if (fd < 0 || fd >= FDS) t_fail(__FILE__, __LINE__, "descriptor %d", fd);
    if (!pending) pending = th_scratch(FDS * sizeof *pending);
    char *in = pending[fd];
    size_t *n = &npending[fd];
    for (;;) {
        in[*n] = 0;
        char *end = strstr(in, "\r\n\r\n");
        const char *cl = strstr(in, "Content-Length: ");
        if (end && cl && cl < end) {
            size_t whole = (size_t)(end + 4 - in) + strtoul(cl + 16, NULL, 10);
            if (*n >= whole) {
                size_t k = whole < size ? whole : size - 1;
                memcpy(out, in, k);
                out[k] = 0;
                memmove(in, in + whole, *n - whole);
                *n -= whole;
                return status_of(out);
            }
        }
        if (*n + 1 >= sizeof pending[fd]) return -1;
        ssize_t k = recv(fd, in + *n, sizeof pending[fd] - 1 - *n, 0);
        if (k <= 0) return -1;
        *n += (size_t)k;
    }
}

/* Whether anything came on fd (without waiting). */
static int answered(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
}

#define ORG_BODY(name) "{\"name\":\"" name "\",\"type\":\"enterprise\"}"

static long long orgs_named(th_server *s, const char *name)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM organisations WHERE name = '%s'", name);
    return th_sql_int(s, sql);
}

static long long audits_of(th_server *s, const char *name)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE action = 'create' AND entity_id ="
             " (SELECT id FROM organisations WHERE name = '%s') AND after_json LIKE '%%%s%%'",
             name, name);
    return th_sql_int(s, sql);
}

/* While another connection holds the write lock, /health and a list (whose session is due
 * for its activity to be recorded: a write the read may not wait for) are answered, turn
 * after turn; a write sent meanwhile is not answered until the lock is free, and then is
 * made once: one row, one audit row; a log-in (its password checked by the workers, its
 * session a write) likewise: one session more, one audit row. */
TEST_T(http_lock_reads_answered_write_waits, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], buf[16384];
    th_login(&s, "admin", s.admin_pw, tok);
    /* the session's last activity long enough ago to be recorded by the next request */
    th_sql_exec(&s, "UPDATE sessions SET last_seen = last_seen - 100");
    int fw = th_dial(s.port, NULL, 20000), fh = th_dial(s.port, NULL, 20000),
        fl = th_dial(s.port, NULL, 20000), fi = th_dial(s.port, NULL, 20000);
    long long sessions = th_sql_int(&s, "SELECT COUNT(*) FROM sessions"),
              logins = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'login'");
    char login[256];
    snprintf(login, sizeof login, "{\"username\":\"admin\",\"password\":\"%s\"}", s.admin_pw);
    sqlite3 *h = lock_hold(&s);
    send_text(fw, req_text("POST", "/api/v1/organisations", tok, ORG_BODY("锁外写入")));
    send_text(fi, req_text("POST", "/api/v1/auth/login", NULL, login));
    int healths = 0, lists = 0, early = 0;
    for (int64_t until = ms_now() + 2000; ms_now() < until;) {
        send_text(fh, req_text("GET", "/api/v1/health", NULL, NULL));
        CHECK_INT(read_one(fh, buf, sizeof buf), 200);
        healths++;
        send_text(fl, req_text("GET", "/api/v1/organisations", tok, NULL));
        CHECK_INT(read_one(fl, buf, sizeof buf), 200);
        lists++;
        early += answered(fw) + answered(fi);
    }
    /* the write was not answered while the lock was held (nor given up on) */
    CHECK_INT(early, 0);
    CHECK_INT(orgs_named(&s, "锁外写入"), 0);
    lock_release(h);
    CHECK_INT(read_one(fw, buf, sizeof buf), 201);
    if (healths < 5 || lists < 5)
        t_fail(__FILE__, __LINE__, "%d health and %d list answers while the lock was held", healths,
               lists);
    CHECK_INT(orgs_named(&s, "锁外写入"), 1);
    CHECK_INT(audits_of(&s, "锁外写入"), 1);
    CHECK_INT(read_one(fi, buf, sizeof buf), 200);
    CHECK(strstr(buf, "\"token\"") != NULL);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM sessions"), sessions + 1);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'login'"), logins + 1);
    close(fi);
    close(fw);
    close(fh);
    close(fl);
    th_stop(&s);
}

/* Held past the server's wait (lock_wait_ms), the write is answered 503 busy with
 * Retry-After and nothing is written; once the lock is free the same write is made. The wait
 * is no error of the server's: its log has no error line (each retry was logged "error db
 * exec: database is locked", 703 lines in 16 s of two servers writing). */
TEST_T(http_lock_held_too_long_busy, 60)
{
    th_server s;
    char log[700];
    snprintf(log, sizeof log, "%s/server.log", t_tmpdir());
    th_start_opts(&s, &(th_opts){.lock_wait_ms = 300, .log_path = log});
    char tok[80], buf[16384], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE], diff[4096],
        ra[32];
    th_login(&s, "admin", s.admin_pw, tok);
    th_fingerprint(&s, before, sizeof before);
    int fw = th_dial(s.port, NULL, 20000);
    sqlite3 *h = lock_hold(&s);
    send_text(fw, req_text("POST", "/api/v1/organisations", tok, ORG_BODY("等不到锁")));
    CHECK_INT(read_one(fw, buf, sizeof buf), 503);
    char *end = strstr(buf, "\r\n\r\n");
    CHECK(strstr(buf, "\"code\":\"busy\"") != NULL);
    CHECK(atoi(th_header(buf, end, "Retry-After", ra, sizeof ra)) >= 1);
    /* the connection goes on: a read on it is answered while the lock is still held */
    send_text(fw, req_text("GET", "/api/v1/health", NULL, NULL));
    CHECK_INT(read_one(fw, buf, sizeof buf), 200);
    lock_release(h);
    th_fingerprint(&s, after, sizeof after);
    if (strcmp(before, after))
        t_fail(__FILE__, __LINE__, "written: %s",
               th_fingerprint_diff(before, after, diff, sizeof diff));
    send_text(fw, req_text("POST", "/api/v1/organisations", tok, ORG_BODY("等不到锁")));
    CHECK_INT(read_one(fw, buf, sizeof buf), 201);
    CHECK_INT(orgs_named(&s, "锁外写入"), 0);
    CHECK_INT(orgs_named(&s, "等不到锁"), 1);
    CHECK_INT(audits_of(&s, "等不到锁"), 1);
    close(fw);
    th_stop(&s);
    FILE *f = fopen(log, "r");
    CHECK(f != NULL);
    char line[1024];
    int lines = 0;
    while (f && fgets(line, sizeof line, f)) {
        lines++;
        if (strstr(line, " error ")) t_fail(__FILE__, __LINE__, "logged as an error: %s", line);
    }
    if (f) fclose(f);
    CHECK(lines > 0); /* the requests' access lines: the log is the server's */
}

/* Requests pipelined on one connection behind a write that waits for the lock wait with it
 * (nothing on it is answered while the lock is held), then are answered in the order sent:
 * the second write after the first, the list after both. */
TEST_T(http_lock_pipelined_in_order, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], buf[16384], all[8192] = "";
    th_login(&s, "admin", s.admin_pw, tok);
    int fp = th_dial(s.port, NULL, 20000), fh = th_dial(s.port, NULL, 20000);
    sqlite3 *h = lock_hold(&s);
    strcat(all, req_text("POST", "/api/v1/organisations", tok, ORG_BODY("排队甲")));
    strcat(all, req_text("GET", "/api/v1/health", NULL, NULL));
    strcat(all, req_text("POST", "/api/v1/organisations", tok, ORG_BODY("排队乙")));
    strcat(all, req_text("GET", "/api/v1/organisations?limit=500", tok, NULL));
    send_text(fp, all);
    /* the loop goes on meanwhile: answers on another connection, none on this one */
    for (int i = 0; i < 20; i++) {
        send_text(fh, req_text("GET", "/api/v1/health", NULL, NULL));
        CHECK_INT(read_one(fh, buf, sizeof buf), 200);
        usleep(10000);
    }
    CHECK(!answered(fp));
    lock_release(h);
    CHECK_INT(read_one(fp, buf, sizeof buf), 201);
    CHECK(strstr(buf, "排队甲") != NULL);
    CHECK_INT(read_one(fp, buf, sizeof buf), 200);
    CHECK(strstr(buf, "\"status\":\"ok\"") != NULL);
    CHECK_INT(read_one(fp, buf, sizeof buf), 201);
    CHECK(strstr(buf, "排队乙") != NULL);
    CHECK_INT(read_one(fp, buf, sizeof buf), 200);
    char *a = strstr(buf, "排队甲"), *b = strstr(buf, "排队乙");
    CHECK(a != NULL && b != NULL);
    CHECK_INT(th_sql_int(&s, "SELECT (SELECT id FROM organisations WHERE name = '排队甲') <"
                             " (SELECT id FROM organisations WHERE name = '排队乙')"),
              1);
    CHECK_INT(audits_of(&s, "排队甲"), 1);
    CHECK_INT(audits_of(&s, "排队乙"), 1);
    close(fp);
    close(fh);
    th_stop(&s);
}

/* Stopped while a write waits for the lock: the write is answered 503 stopping, nothing is
 * written, and the server exits cleanly. */
TEST_T(http_lock_stop_while_waiting, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], buf[16384];
    th_login(&s, "admin", s.admin_pw, tok);
    int fw = th_dial(s.port, NULL, 20000), fh = th_dial(s.port, NULL, 20000);
    sqlite3 *h = lock_hold(&s);
    send_text(fw, req_text("POST", "/api/v1/organisations", tok, ORG_BODY("停机时等锁")));
    for (int i = 0; i < 20; i++) {
        send_text(fh, req_text("GET", "/api/v1/health", NULL, NULL));
        CHECK_INT(read_one(fh, buf, sizeof buf), 200);
        usleep(10000);
    }
    CHECK(!answered(fw));
    close(fh);
    th_stop(&s);
    CHECK_INT(read_one(fw, buf, sizeof buf), 503);
    CHECK(strstr(buf, "\"code\":\"stopping\"") != NULL);
    lock_release(h);
    CHECK_INT(orgs_named(&s, "停机时等锁"), 0);
    close(fw);
}

/* The lock taken while a log-in's password is being checked (at the product's cost, off the
 * loop): the log-in's session, written once the check is done, waits for the lock without
 * holding up the loop, and is made once it is free: one session more, one audit row. */
TEST_T(http_lock_login_checked_meanwhile, 60)
{
    th_server s;
    th_start_opts(&s, &(th_opts){.slow_hash = 1});
    char buf[16384], login[256];
    snprintf(login, sizeof login, "{\"username\":\"admin\",\"password\":\"%s\"}", s.admin_pw);
    long long sessions = th_sql_int(&s, "SELECT COUNT(*) FROM sessions"),
              logins = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'login'");
    int fi = th_dial(s.port, NULL, 20000), fh = th_dial(s.port, NULL, 20000);
    send_text(fi, req_text("POST", "/api/v1/auth/login", NULL, login));
    usleep(20000); /* read and handed to the workers: the check takes ~100 ms and more */
    sqlite3 *h = lock_hold(&s);
    int healths = 0;
    for (int64_t until = ms_now() + 1500; ms_now() < until; healths++) {
        send_text(fh, req_text("GET", "/api/v1/health", NULL, NULL));
        CHECK_INT(read_one(fh, buf, sizeof buf), 200);
        CHECK(!answered(fi));
    }
    lock_release(h);
    CHECK_INT(read_one(fi, buf, sizeof buf), 200);
    if (healths < 5) t_fail(__FILE__, __LINE__, "%d health answers while locked", healths);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM sessions"), sessions + 1);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'login'"), logins + 1);
    close(fi);
    close(fh);
    th_stop(&s);
}

/* The server's own removal of expired sessions (every second here) finds the lock held: the
 * loop does not wait for it (/health answered meanwhile), and the removal is made once the
 * lock is free. */
TEST_T(http_lock_session_prune_waits_off_loop, 60)
{
    th_server s;
    th_start_opts(&s, &(th_opts){.session_prune_s = 1});
    char tok[80], buf[16384];
    th_login(&s, "admin", s.admin_pw, tok);
    int fh = th_dial(s.port, NULL, 20000);
    sqlite3 *h = lock_hold(&s);
    /* expired past the grace: the next removal deletes it (written under the lock held) */
    CHECK(sqlite3_exec(h, "UPDATE sessions SET last_seen = last_seen - 10 * 86400", NULL, NULL,
                       NULL) == SQLITE_OK);
    CHECK(sqlite3_exec(h, "COMMIT; BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK);
    /* answers counted once the removal has found the lock held (it runs every second) */
    int healths = 0;
    int64_t from = ms_now() + 2000, until = from + 1500;
    while (ms_now() < until) {
        int64_t sent = ms_now();
        send_text(fh, req_text("GET", "/api/v1/health", NULL, NULL));
        CHECK_INT(read_one(fh, buf, sizeof buf), 200);
        healths += sent >= from && ms_now() < until;
    }
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM sessions"), 1);
    lock_release(h);
    if (healths < 5)
        t_fail(__FILE__, __LINE__, "%d health answers while the removal waited", healths);
    long long left = 1;
    for (int64_t end = ms_now() + 15000; left && ms_now() < end; usleep(50000))
        left = th_sql_int(&s, "SELECT COUNT(*) FROM sessions");
    CHECK_INT(left, 0);
    close(fh);
    th_stop(&s);
}

/* The server's own alert scan (every second here) finds the lock held: the loop does not wait
 * for it (/health answered meanwhile), and the scan runs once the lock is free. */
TEST_T(http_lock_alert_scan_waits_off_loop, 60)
{
    th_server s;
    th_start_scan(&s, 0, 1);
    char buf[16384];
    int fh = th_dial(s.port, NULL, 20000);
    sqlite3 *h = lock_hold(&s);
    int healths = 0;
    int64_t from = ms_now() + 2000, until = from + 1500;
    while (ms_now() < until) {
        int64_t sent = ms_now();
        send_text(fh, req_text("GET", "/api/v1/health", NULL, NULL));
        CHECK_INT(read_one(fh, buf, sizeof buf), 200);
        healths += sent >= from && ms_now() < until;
    }
    lock_release(h);
    if (healths < 5) t_fail(__FILE__, __LINE__, "%d health answers while the scan waited", healths);
    close(fh);
    th_stop(&s);
}

/* A client that gives up while its write waits for the lock (a timeout shorter than the wait, a
 * proxy that gave up) closes its connection: the write is not made once the lock is free — it
 * was, with no one told, and the client's retry made the record twice. A client that waits on
 * beside it still has its write made. */
TEST_T(http_lock_write_of_a_client_gone_is_not_made, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], buf[16384];
    th_login(&s, "admin", s.admin_pw, tok);
    int gone = th_dial(s.port, NULL, 20000), stays = th_dial(s.port, NULL, 20000);
    sqlite3 *h = lock_hold(&s);
    send_text(gone, req_text("POST", "/api/v1/organisations", tok, ORG_BODY("放弃的写入")));
    send_text(stays, req_text("POST", "/api/v1/organisations", tok, ORG_BODY("等候的写入")));
    usleep(300 * 1000);
    CHECK(!answered(gone) && !answered(stays));
    close(gone);
    usleep(200 * 1000);
    lock_release(h);
    CHECK_INT(read_one(stays, buf, sizeof buf), 201);
    CHECK_INT(orgs_named(&s, "等候的写入"), 1);
    /* the one given up on: nothing, not even later */
    usleep(300 * 1000);
    CHECK_INT(orgs_named(&s, "放弃的写入"), 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE after_json LIKE '%放弃的写入%'"), 0);
    close(stays);
    th_stop(&s);
}
