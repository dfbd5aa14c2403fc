/* Helpers for API tests: a real pingji server in a child process on an ephemeral port over a
 * fresh database (optionally the demo district), driven over a real socket with libcurl. */
#ifndef PJ_TH_H
#define PJ_TH_H

#include <jansson.h>
#include <sys/types.h>

#include "domain/ctx.h"

typedef struct th_server {
    pid_t pid;
    int port;
    char db[600];
    char admin_pw[32];
    char demo_pw[32];
    int idle_s;
} th_server;

/* Creates the database in t_tmpdir() (demo district when demo != 0, fast password hashing)
 * and starts the server. Fails the test on any error. */
void th_start(th_server *s, int demo);
/* Same, with a session idle expiry of idle_s seconds. */
void th_start_idle(th_server *s, int demo, int idle_s);
/* Same, with the server's own alert scan every scan_s seconds (off in the other starts). */
void th_start_scan(th_server *s, int demo, int scan_s);
/* Same, serving the console's static files from dir. */
void th_start_web(th_server *s, const char *dir);
/* Same, with the product's limit on log-in attempts per client address (lifted in the other
 * starts, whose tests log in many times) and connection limits (0 = the defaults). */
void th_start_limits(th_server *s, int max_total, int max_addr);
/* Same, with the access log on, written to path (complete once th_stop returns). */
void th_start_log(th_server *s, const char *path);
/* Same, with any of these (no idle expiry). */
typedef struct th_opts {
    int throttled;               /* the log-in throttle on */
    int max_conns, max_per_addr; /* connection limits (0 = the defaults) */
    int trust_proxy;             /* the client from X-Forwarded-For (a loopback peer's) */
    const char *trusted_proxy;   /* the one trusted proxy, "ADDR[/BITS]" (implies trust_proxy) */
    const char *host;            /* the address to listen on (NULL: 127.0.0.1) */
    int login_slots;             /* the throttle's table size (0 = the default) */
    const char *log_path;        /* the access log (and warnings) into this file */
    const char *web_dir;         /* console files */
    int slow_hash;               /* the server hashes at the product's argon2id cost */
    int login_queue;             /* log-ins waiting for a password check (0 = the default) */
    int stop_wait_ms;            /* how long a stop waits for requests (0 = the default) */
    int report_queue;            /* reports waiting for a report worker (0 = the default) */
    int report_workers;          /* report workers (0 = by the machine's cores) */
    int demo;                    /* the demo district */
    int secure_cookies;          /* the session cookie always with Secure */
    int session_prune_s;         /* expired sessions removed this often (0 = the default) */
    int lock_wait_ms; /* how long a request waits for another's write lock (0 = the default) */
} th_opts;
void th_start_opts(th_server *s, const th_opts *o);
/* SIGTERM, waits; fails the test unless the server exited cleanly. */
void th_stop(th_server *s);
/* SIGKILL (a crash), then the server started again on the same database (another port;
 * sessions and everything committed are kept). */
void th_crash_restart(th_server *s);

/* The test's clock (pj_now, pj_now_ms: of the test and of every server it starts from then on)
 * set to `day` (YYYY-MM-DD) at hh:mm Beijing time and going on from there, for a test of what
 * depends on the date; fails the test on a bad date. A server already running keeps the clock
 * it started with, as does the pingji program th_run runs. The server's SQL reads today through
 * pj_today() (PJ_REC_TODAY_SQL), which follows this clock; SQLite's own 'now' (date('now') in a
 * test's th_sql_int) stays the real one. th_clock_real puts the real
 * clock back; each test runs in a process of its own, so a test that sets the clock changes no
 * other test's. The server's own program cannot move its clock (src/core/util.c). */
void th_clock_at(const char *day, int hh, int mm);
void th_clock_real(void);

/* One request. body may be NULL; raw_body_len ≥ 0 sends exactly that many bytes of body.
 * Returns the HTTP status; *out (if out) gets the parsed JSON response or NULL. */
int th_call(th_server *s, const char *method, const char *path, const char *token, const char *body,
            json_t **out);
/* A request that must answer `want`: else the test fails at file:line (CALL: the caller's),
 * naming the method, the path, the status and the error's code and message. Returns the
 * parsed answer (NULL when none), to be released by the caller. */
json_t *th_call_want(th_server *s, const char *method, const char *token, const char *path,
                     const char *body, int want, const char *file, int line);
#define CALL(s, m, tok, path, body, want)                                                          \
    th_call_want(s, m, tok, path, body, want, __FILE__, __LINE__)
/* One page of a cursor-paged list as `tok` reads it: GET base?query, with &cursor=C when cursor
 * is not 0; the items' ids into ids[] (at most max), *next the next_cursor (0 on the last page;
 * else it must be the last id shown). The answer into *out when out is not NULL (the caller
 * releases it). Returns how many items the page held; fails the test at file:line otherwise. */
int th_page_ids(th_server *s, const char *tok, const char *base, const char *query,
                long long cursor, long long *ids, int max, long long *next, json_t **out,
                const char *file, int line);
int th_call_raw(th_server *s, const char *method, const char *path, const char *token,
                const char *body, long body_len, const char *content_type, json_t **out,
                char *header_out, size_t header_size);
/* As th_call_raw, with one more header line ("Name: value"; NULL: none). */
int th_call_hdr(th_server *s, const char *method, const char *path, const char *token,
                const char *body, long body_len, const char *content_type, const char *header,
                json_t **out, char *header_out, size_t header_size);
/* The body of a GET by tok answered 200 that is not JSON (an export), in a new buffer (free it);
 * *n its length. Any other answer fails the test at file:line (GET_BODY: the caller's). */
char *th_get_body(th_server *s, const char *tok, const char *path, size_t *n, const char *file,
                  int line);
#define GET_BODY(s, tok, path, n) th_get_body(s, tok, path, n, __FILE__, __LINE__)
/* A raw connection to the test server at port on 127.0.0.1, from source address src
 * ("127.0.0.2"; NULL: any), its reads timing out after timeout_ms; fails the test when it
 * cannot connect. */
int th_dial(int port, const char *src, int timeout_ms);
/* Reads from fd until the peer closes, out is full or a read times out; out ends with a NUL.
 * Returns the bytes read. */
size_t th_read_all(int fd, char *out, size_t size);
/* As th_read_all, and how the read ended into why: closed by the server, timed out (after how
 * many ms), reset (the errno), with the bytes that came. */
size_t th_read_answer(int fd, char *out, size_t size, char *why, size_t why_size);
/* The value of header name (case-insensitive) in the reply head [head, end) (from its status
 * line to the empty line), copied into out; "" when it has none. Returns out. */
const char *th_header(const char *head, const char *end, const char *name, char *out, size_t size);
/* Logs in and returns a token (static storage per call site is not kept: copy it). */
void th_login(th_server *s, const char *user, const char *pw, char token[80]);
/* A fingerprint of everything a write could change (counts, versions, audit rows) of every
 * table. Fails the test when it does not fit in size: give it TH_FINGERPRINT_SIZE bytes. */
#define TH_FINGERPRINT_SIZE 32768
void th_fingerprint(th_server *s, char *out, size_t size);
/* What differs between two fingerprints, for a failure message: each table whose figures
 * changed, "name count/max id/versions → count/max id/versions", into out[size]. */
const char *th_fingerprint_diff(const char *before, const char *after, char *out, size_t size);
/* Runs the pingji binary ($PJ_BIN, else build/rel/pingji) with args (NULL-terminated),
 * stdout and stderr captured into out[size]; returns its exit status (128: killed). */
int th_run(char *out, size_t size, const char *const *args);
/* th_run of the words of args (up to max of them, fewer when a NULL comes first) followed by
 * --db db: a test's table of command lines, each run on one database. */
int th_run_db(char *out, size_t size, const char *const *args, size_t max, const char *db);
/* th_run writing the output to out_path (NULL: the test's directory), as user nobody when
 * nobody is set and the tests run as root. */
int th_run_as(char *out, size_t size, const char *const *args, const char *out_path, int nobody);
/* th_run with input (a string) as the program's standard input. */
int th_run_input(char *out, size_t size, const char *const *args, const char *input);
/* th_run capturing standard output alone (standard error dropped): output meant for a pipe. */
int th_run_stdout(char *out, size_t size, const char *const *args);
/* n zeroed bytes for a test's large buffers, mapped apart from the heap: the leak checker neither
 * scans nor counts them (an array of static storage is scanned at the exit of every process of
 * the tests, whichever test it is of; a stack array of more than a megabyte may not fit). Not
 * freed: each test is a process of its own. */
void *th_scratch(size_t n);
/* `pingji init --db db --demo` (every module's demo; no elders unless PINGJI_DEMO_ELDERS says):
 * a copy of the one the runner made once, when the elders are the runner's none. For a test of
 * what comes after; a test of `init` itself runs it. */
void th_demo_db(const char *db);
#define RUN(out, ...) th_run(out, sizeof out, (const char *const[]){__VA_ARGS__, NULL})
/* An enumerated list filter: GET path with key= a value not in values (NULL-terminated) is a
 * 400 bad_query at key ("KEY is one of …") that changes nothing; each of values answers 200.
 * path may carry other parameters already. */
void th_enum_filter(th_server *s, const char *token, const char *path, const char *key,
                    const char *const *values);
/* 1 when GET path (as tok, 200 expected) lists an item whose integer key is id. */
int th_list_has(th_server *s, const char *tok, const char *path, const char *key, long long id);
/* Convenience: integer field of a JSON object. */
long long th_int(json_t *o, const char *key);
const char *th_str(json_t *o, const char *key);
/* Error code of an error response. */
const char *th_err_code(json_t *o);
const char *th_err_field(json_t *o);
const char *th_err_message(json_t *o); /* "" when absent */
/* The district's (Beijing) date `days` days from today, then `years` years earlier, as
 * YYYY-MM-DD: the birth date of someone who turns `years` on that day. A 29 February that the
 * earlier year lacks is its 28 February (that person has had the birthday by then). */
void th_day_rel(int years, int days, char out[11]);
/* Runs a SQL query returning one integer against the server's database file: -1 when it gives
 * no row; an error (a busy database included) fails the test, naming it. */
long long th_sql_int(th_server *s, const char *sql);
/* Runs SQL against the server's database file (tests arrange recorded times with it). */
void th_sql_exec(th_server *s, const char *sql);

/* The domain API in the test's own process, on the server's database, acting as `username`
 * with `role` (fast password hashing). Fails the test when the database does not open.
 * th_ctx_close releases it. Keep the struct where it is: c points into it. */
typedef struct th_ctx {
    pj_db *db;
    pj_arena arena;
    pj_settings settings;
    pj_ctx c;
} th_ctx;
void th_ctx_open(th_server *s, th_ctx *t, const char *username, pj_role role);
/* Loads one module's demo records into the server's database as admin, seed 7 (fn:
 * pj_enterprise_demo, pj_indicators_demo, pj_ecommerce_demo, …); fails the test on an error. */
typedef int (*th_demo_fn)(pj_ctx *c, uint64_t seed, pj_err *err);
void th_demo(th_server *s, th_demo_fn fn);
void th_ctx_close(th_ctx *t);
/* The same on a new, empty database of its own in t_tmpdir() (every migration applied, no
 * server), acting as an admin: for tests of how statements are run. */
void th_ctx_fresh(th_ctx *t);
/* The query plans of the statements t's connection has cached whose text contains word
 * (pj_db_plans), in t's arena; fails the test when there is none. */
const char *th_plans(th_ctx *t, const char *word);

/* A zip of n parts (names[i] holding texts[i]), as a hand-written workbook, read back into
 * malloc'd bytes (*len); fails the test when it cannot be written. */
char *th_zip_parts(const char *const *names, const char *const *texts, int n, size_t *len);
/* A workbook of one worksheet (the sheet's XML) and, when styles is not NULL, its styles part. */
char *th_xlsx_book(const char *styles, const char *sheet, size_t *len);

#endif
