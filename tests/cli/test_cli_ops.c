/* What an operator relies on when running the binary: the address it prints, upgrades and the
 * demo build beside a server, restore. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

static const char *bin(void)
{
    const char *b = getenv("PJ_BIN");
    return b && *b ? b : "build/rel/pingji";
}

/* `pingji serve ARGS…` in the background, its output into log */
static pid_t spawn(const char *log, const char *const *args)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) _exit(126);
        const char *argv[24];
        int n = 0;
        argv[n++] = bin();
        for (int i = 0; args[i] && n < 23; i++) argv[n++] = args[i];
        argv[n] = NULL;
        execv(bin(), (char *const *)argv);
        _exit(127);
    }
    return pid;
}

/* The text of file path (static buffer), "" when absent */
static const char *slurp(const char *path)
{
    static char buf[65536]; /* the answer, until the next call */
    buf[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f) return buf;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

/* Waits (up to 60 s) until the file at path holds want; 1 when it does. */
static int wait_for(const char *path, const char *want)
{
    for (int i = 0; i < 1200; i++) {
        if (strstr(slurp(path), want)) return 1;
        usleep(50000);
    }
    return 0;
}

static void stop(pid_t pid)
{
    int st;
    kill(pid, SIGTERM);
    for (int i = 0; i < 200; i++) {
        if (waitpid(pid, &st, WNOHANG) == pid) return;
        usleep(50000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
}

/* Regression: `serve --host ::1` printed http://::1:PORT/, which no browser takes: an IPv6
 * address is bracketed in the URL. */
/* 1 when this host has an IPv6 loopback to serve on (a container may have none) */
static int have_ipv6_loopback(void)
{
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    int ok = bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

TEST_T(cli_serve_prints_an_ipv6_url_bracketed, 90)
{
    char db[600], log[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(log, sizeof log, "%s/serve.log", t_tmpdir());
    if (have_ipv6_loopback()) {
        pid_t pid6 =
            spawn(log, (const char *const[]){"serve", "--db", db, "--host", "::1", "--port", "0",
                                             "--quiet", "--fast-hash", NULL});
        int up6 = wait_for(log, "serving http://");
        stop(pid6);
        CHECK(up6);
        CHECK(strstr(slurp(log), "serving http://[::1]:") != NULL);
    } else {
        fprintf(stderr, "no IPv6 loopback here: only the IPv4 URL is checked\n");
    }
    /* an IPv4 address as it is */
    snprintf(log, sizeof log, "%s/serve4.log", t_tmpdir());
    pid_t pid = spawn(log, (const char *const[]){"serve", "--db", db, "--host", "127.0.0.1",
                                                 "--port", "0", "--quiet", "--fast-hash", NULL});
    int up = wait_for(log, "serving http://");
    stop(pid);
    CHECK(up);
    CHECK(strstr(slurp(log), "serving http://127.0.0.1:") != NULL);
}

static long long sql_int(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_open(db, &h) != SQLITE_OK) t_fail(__FILE__, __LINE__, "open %s", db);
    sqlite3_busy_timeout(h, 5000);
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    else
        t_fail(__FILE__, __LINE__, "%s: %s", sql, sqlite3_errmsg(h));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

static void sql_exec(const char *db, const char *sql)
{
    sqlite3 *h;
    char *msg = NULL;
    if (sqlite3_open(db, &h) != SQLITE_OK) t_fail(__FILE__, __LINE__, "open %s", db);
    sqlite3_busy_timeout(h, 5000);
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
        t_fail(__FILE__, __LINE__, "%s: %s", sql, msg ? msg : "?");
    sqlite3_close(h);
}

/* Regression: any command opened the database and applied this build's pending migrations,
 * also while a server (perhaps an older build's) served it, which then went on with a schema
 * it does not know. A command refuses that now, before changing anything; with nothing to
 * apply it runs beside the server as before. */
TEST_T(cli_does_not_migrate_a_database_a_server_is_serving, 120)
{
    char db[600], log[600], out[8192];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(log, sizeof log, "%s/serve.log", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    pid_t pid = spawn(log, (const char *const[]){"serve", "--db", db, "--port", "0", "--quiet",
                                                 "--fast-hash", NULL});
    if (!wait_for(log, "serving http://")) {
        stop(pid);
        t_fail(__FILE__, __LINE__, "the server did not start: %s", slurp(log));
    }
    /* a current schema: commands work beside the server */
    int listed = RUN(out, "region", "list", "--db", db, "--limit", "5");
    /* a database one migration behind this build (as one an older server serves) */
    long long latest = sql_int(db, "SELECT MAX(version) FROM schema_migrations");
    char sql[300];
    snprintf(sql, sizeof sql,
             "CREATE TABLE kept AS SELECT * FROM schema_migrations WHERE version = %lld;"
             " DELETE FROM schema_migrations WHERE version = %lld",
             latest, latest);
    sql_exec(db, sql);
    long long before = sql_int(db, "SELECT COUNT(*) FROM schema_migrations");
    int refused = RUN(out, "region", "list", "--db", db, "--limit", "5");
    char said[8192];
    snprintf(said, sizeof said, "%s", out);
    int init_refused = RUN(out, "init", "--db", db);
    long long after = sql_int(db, "SELECT COUNT(*) FROM schema_migrations");
    stop(pid);
    sql_exec(db, "INSERT INTO schema_migrations SELECT * FROM kept; DROP TABLE kept");
    CHECK_INT(listed, 0);
    CHECK_INT(refused, 1);
    CHECK(strstr(said, "a server is running on") != NULL);
    CHECK(strstr(said, "stop it, then upgrade") != NULL);
    CHECK_INT(init_refused, 1);
    CHECK(strstr(out, "stop it, then upgrade") != NULL);
    /* nothing was applied */
    CHECK_INT(after, before);
    /* without a server the same command runs */
    CHECK_INT(RUN(out, "region", "list", "--db", db, "--limit", "5"), 0);
}

/* Regression: restore let go of the database before it ended the backup's sessions and wrote
 * its audit row (a server could start in between and take a session of the backup's); then it
 * wrote them after the copy, in a second step, so that a restore killed between the two (or
 * whose second step failed) left the backup's data with its sessions working and no record of
 * the restore. They are written into a staged copy now, which replaces the database in one
 * step: a finish that fails replaces nothing, and leaves no staged file behind. */
TEST_T(cli_restore_replaces_nothing_when_finishing_fails, 120)
{
    char db[600], bak[600], c[600], out[8192];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(bak, sizeof bak, "%s/b1.db", t_tmpdir());
    snprintf(c, sizeof c, "%s/c.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    sql_exec(db, "INSERT INTO sessions (user_id, token_hash, created_at, last_seen) VALUES"
                 " (1, 'h', strftime('%s', 'now'), strftime('%s', 'now'))");
    CHECK_INT(RUN(out, "backup", bak, "--db", db), 0);
    /* a restore ends the backup's sessions and is audited, as before */
    CHECK_INT(RUN(out, "restore", bak, "--db", c), 0);
    CHECK(strstr(out, "1 session ended: everyone logs in again") != NULL);
    CHECK_INT(sql_int(c, "SELECT COUNT(*) FROM sessions"), 0);
    CHECK_INT(sql_int(c, "SELECT COUNT(*) FROM audit WHERE action = 'restore'"), 1);
    /* a backup whose restore cannot be audited (a trigger refuses the row) */
    sql_exec(bak, "CREATE TRIGGER no_restore_row BEFORE INSERT ON audit WHEN NEW.action ="
                  " 'restore' BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END");
    CHECK_INT(RUN(out, "restore", bak, "--db", c), 1);
    CHECK(strstr(out, "refused by a trigger") != NULL);
    /* nothing replaced: the database is the first restore's, no session of the backup's */
    CHECK_INT(sql_int(c, "SELECT COUNT(*) FROM sessions"), 0);
    CHECK_INT(sql_int(c, "SELECT COUNT(*) FROM audit WHERE action = 'restore'"), 1);
    CHECK_INT(sql_int(c, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'no_restore_row'"), 0);
    /* and no staged copy left beside it */
    DIR *d = opendir(t_tmpdir());
    CHECK(d != NULL);
    int partial = 0;
    for (struct dirent *e; d && (e = readdir(d));) partial += strstr(e->d_name, "partial") != NULL;
    if (d) closedir(d);
    CHECK_INT(partial, 0);
}

/* Regression: `serve --demo-if-new` (make run) stopped during the demo build left half a demo,
 * which the next start served as it was (the demo loaded only into a new file), `init --demo`
 * refused, and whose accounts' password was never printed. The build's end is marked now; a
 * start on a database without the mark says so and how to recover, and a new start on a fresh
 * file builds the whole demo. */
TEST_T(cli_demo_build_stopped_halfway_is_named_at_the_next_start, 240)
{
    char out[65536] = {0};
    char db[600], log[600];
    snprintf(db, sizeof db, "%s/demo.db", t_tmpdir());
    snprintf(log, sizeof log, "%s/serve.log", t_tmpdir());
    pid_t pid = spawn(log, (const char *const[]){"serve", "--db", db, "--port", "0", "--quiet",
                                                 "--fast-hash", "--demo-if-new", NULL});
    /* stopped once the registry's part of the demo is written, before the modules' parts */
    int seen = 0;
    for (int i = 0; i < 6000 && !seen; i++) {
        sqlite3 *h;
        sqlite3_stmt *st;
        if (access(db, F_OK) == 0 &&
            sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
            if (sqlite3_prepare_v2(h,
                                   "SELECT COUNT(*) FROM audit WHERE action = 'demo' AND entity"
                                   " = 'district'",
                                   -1, &st, NULL) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW)
                seen = sqlite3_column_int(st, 0) > 0;
            sqlite3_finalize(st);
            sqlite3_close(h);
        }
        if (!seen) usleep(10000);
    }
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    CHECK(seen);
    if (strstr(slurp(log), "serving http://"))
        t_fail(__FILE__, __LINE__, "the demo was built before it could be stopped");
    CHECK(strstr(slurp(log), "demo accounts") == NULL);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM settings WHERE key = 'demo_complete'"), 0);
    /* the next start says what happened and how to recover, and serves nothing */
    char again[600];
    snprintf(again, sizeof again, "%s/again.log", t_tmpdir());
    pid = spawn(again, (const char *const[]){"serve", "--db", db, "--port", "0", "--quiet",
                                             "--fast-hash", "--demo-if-new", NULL});
    int ended = 0;
    for (int i = 0; i < 600 && !ended; i++) {
        ended = waitpid(pid, &status, WNOHANG) == pid;
        if (!ended) usleep(50000);
    }
    if (!ended) stop(pid);
    CHECK(ended && WIFEXITED(status) && WEXITSTATUS(status) == 1);
    CHECK(strstr(slurp(again), "demo district whose build was stopped before it finished"));
    CHECK(strstr(slurp(again), "start again to build the demo anew") != NULL);
    CHECK(strstr(slurp(again), "serving http") == NULL);
    CHECK_INT(RUN(out, "init", "--db", db, "--demo"), 1);
    CHECK(strstr(out, "demo district whose build was stopped before it finished") != NULL);
    /* nor does a plain serve (without --demo-if-new) serve it: it did, with no word */
    snprintf(again, sizeof again, "%s/plain.log", t_tmpdir());
    pid = spawn(again, (const char *const[]){"serve", "--db", db, "--port", "0", "--quiet",
                                             "--fast-hash", NULL});
    ended = 0;
    for (int i = 0; i < 600 && !ended; i++) {
        ended = waitpid(pid, &status, WNOHANG) == pid;
        if (!ended) usleep(50000);
    }
    if (!ended) stop(pid);
    CHECK(ended && WIFEXITED(status) && WEXITSTATUS(status) == 1);
    CHECK(strstr(slurp(again), "demo district whose build was stopped before it finished"));
    CHECK(strstr(slurp(again), "serving http") == NULL);
    /* a whole demo is marked, and starts as before */
    char whole[600];
    snprintf(whole, sizeof whole, "%s/whole.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", whole, "--demo"), 0);
    if (!strstr(out, "demo accounts")) t_fail(__FILE__, __LINE__, "init --demo said: %s", out);
    CHECK_INT(sql_int(whole, "SELECT COUNT(*) FROM settings WHERE key = 'demo_complete'"), 1);
    snprintf(log, sizeof log, "%s/whole.log", t_tmpdir());
    pid = spawn(log, (const char *const[]){"serve", "--db", whole, "--port", "0", "--quiet",
                                           "--fast-hash", "--demo-if-new", NULL});
    int up = wait_for(log, "serving http://");
    stop(pid);
    CHECK(up);
}

/* `pingji backup FILE` with its file-size limit set to limit bytes and SIGXFSZ as sig (SIG_DFL:
 * killed by the first write past it, midway through the copy; SIG_IGN: the write fails); the
 * wait status */
static int backup_limited(const char *db, const char *bak, rlim_t limit, void (*sig)(int))
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) _exit(126);
        struct rlimit rl = {limit, limit};
        if (setrlimit(RLIMIT_FSIZE, &rl)) _exit(125);
        signal(SIGXFSZ, sig);
        execl(bin(), bin(), "backup", bak, "--db", db, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return st;
}

/* the files in the test's directory whose names begin with prefix (removed when rm) */
static int named(const char *prefix, int rm)
{
    char pat[700];
    snprintf(pat, sizeof pat, "%s/%s*", t_tmpdir(), prefix);
    glob_t g;
    if (glob(pat, 0, NULL, &g)) return 0;
    int n = (int)g.gl_pathc;
    for (size_t i = 0; rm && i < g.gl_pathc; i++) unlink(g.gl_pathv[i]);
    globfree(&g);
    return n;
}

/* Regression: a backup killed midway (a full disk's limit, a reboot, kill -9) left a file under
 * the name asked for, half a database: found broken only by the restore it was kept for. The
 * copy is made under a name of its own (FILE.partial-XXXXXX) and given FILE once whole. */
TEST_T(cli_backup_killed_midway_leaves_no_file_under_its_name, 120)
{
    char db[600], bak[600], out[8192];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(bak, sizeof bak, "%s/nightly.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    /* the database is about 1 MB: the copy is killed at its 256th KiB */
    int st = backup_limited(db, bak, 256 * 1024, SIG_DFL);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGXFSZ);
    CHECK(access(bak, F_OK) != 0 && errno == ENOENT);
    /* what is left says what it is (the partial file, and SQLite's journal of it) */
    CHECK(named("nightly.db.partial-", 0) >= 1);
    CHECK_INT(named("nightly.db", 0), named("nightly.db.partial-", 0));
    CHECK_INT(RUN(out, "restore", bak, "--db", db), 1);
    /* a write that fails: said, exit 1, nothing left */
    named("nightly.db.partial-", 1);
    st = backup_limited(db, bak, 256 * 1024, SIG_IGN);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
    CHECK(access(bak, F_OK) != 0);
    CHECK_INT(named("nightly.db", 0), 0);
    /* unlimited, the backup is made under its name alone and restores */
    CHECK_INT(RUN(out, "backup", bak, "--db", db), 0);
    CHECK_INT(named("nightly.db", 0), 1);
    CHECK_INT(RUN(out, "restore", bak, "--db", db), 0);
    /* and is not made over an existing file */
    CHECK_INT(RUN(out, "backup", bak, "--db", db), 1);
    CHECK(strstr(out, "already exists; not overwriting") != NULL);
    CHECK_INT(named("nightly.db", 0), 1);
}

/* Regression: restore onto a database file of two names (a hard link) copied the backup over it
 * and then failed at its last step, every time ("restore again"), with no audit row; backup
 * into the database's -journal name (absent in WAL mode) said "backed up" and SQLite deleted
 * the file at the next open. Both are refused before anything is written. */
TEST_T(cli_restore_and_backup_refuse_the_database_by_other_names, 60)
{
    char db[600], bak[600], other[600], jr[600], out[8192];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(bak, sizeof bak, "%s/b1.db", t_tmpdir());
    snprintf(other, sizeof other, "%s/other.db", t_tmpdir());
    snprintf(jr, sizeof jr, "%s/pj.db-journal", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "backup", bak, "--db", db), 0);
    CHECK_INT(RUN(out, "org", "add", "--db", db, "--json",
                  "{\"name\":\"after the backup\",\"type\":\"enterprise\"}"),
              0);
    CHECK_INT(link(db, other), 0);
    CHECK_INT(RUN(out, "restore", bak, "--db", other), 1);
    CHECK(strstr(out, "2 names (hard links)") && strstr(out, "nothing was changed"));
    CHECK_INT(unlink(other), 0);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM organisations WHERE name = 'after the backup'"), 1);
    CHECK_INT(RUN(out, "backup", jr, "--db", db), 1);
    CHECK(strstr(out, "a file of the database's own") != NULL);
    CHECK(access(jr, F_OK) != 0);
    CHECK_INT(RUN(out, "backup", "", "--db", db), 2);
}
