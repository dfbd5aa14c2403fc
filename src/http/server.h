/* The HTTP server: HTTP/1.1 on a libevent loop, one arena per request, a route table. */
#ifndef PJ_HTTP_SERVER_H
#define PJ_HTTP_SERVER_H

#include <jansson.h>

#include "core/buf.h"
#include "core/workq.h"
#include "domain/ctx.h"
#include "http/parse.h"
#include "http/wire.h"

#define PJ_BODY_MAX   (1 << 20) /* 1 MiB */
#define PJ_UPLOAD_MAX (8 << 20) /* a raw upload (PJ_ROUTE_UPLOAD) */
/* a route without a login: the log-in's user and password */
#define PJ_PUBLIC_BODY_MAX (4 << 10)
#define PJ_HEADERS_MAX     64
#define PJ_LIST_LIMIT_MAX  500

/* An address range: an IPv4 or IPv6 address and how many of its leading bits count (32 or
 * 128 for one address). An IPv4-mapped IPv6 address is taken as the IPv4 one. */
#define PJ_TRUSTED_PROXIES_MAX 16
typedef struct pj_net {
    int v6; /* 0: IPv4 (addr[0..4)), 1: IPv6 */
    unsigned char addr[16];
    int bits;
} pj_net;
/* Parses "192.0.2.1", "10.0.0.0/8", "::1", "fd00::/8" into *out: 0, or -1 when text is no
 * address, the prefix is out of range, or bits past the prefix are set ("10.0.0.1/8"). */
int pj_net_parse(const char *text, pj_net *out);
/* 1 when the address ip (text) lies in one of nets[0..n), else 0 (also for no address). */
int pj_net_match(const pj_net *nets, int n, const char *ip);

typedef struct pj_server_opts {
    const char *db_path;
    const char *host; /* default 127.0.0.1 */
    int port;         /* 0 = ephemeral */
    /* listen_fd_given: listen_fd is a socket from pj_server_listen, taken over by
     * pj_server_open (closed by it on failure too) instead of binding host:port there */
    int listen_fd_given;
    int listen_fd;
    const char *web_dir; /* static console files, NULL = none */
    int access_log;      /* 1 = one line per request on stderr */
    /* How stale cached reads may be w.r.t. other processes' writes (ms); this process's own
     * writes are seen at once. 0 = check on every request. */
    int cache_check_ms;
    /* Eldercare alert scan run by the server itself every alert_scan_s seconds and just after
     * the meal cut-off (0 = off: scans then come only from the API or the command line). */
    int alert_scan_s;
    /* Sessions expired past the grace (PJ_SESSION_GRACE_S) are removed every session_prune_s
     * seconds (0 = 300), a batch at a time, as a log-in removes them. */
    int session_prune_s;
    /* Log-in attempts per client address: a burst of 10, then one every 2 s (429 beyond).
     * 1 = no such limit (tests that log in many times; `serve --fast-hash`). */
    int login_unthrottled;
    /* Slots of the log-in throttle's table (0 = 4096; tests make addresses share one). */
    int login_slots;
    /* Log-ins waiting for a password check at most, beyond those being checked (0 = 32), in
     * turns by client address; one more is answered 503 busy with Retry-After, unless a waiting
     * one of the address holding the most gives way to it (answered so instead; server.c,
     * LOGIN_QUEUE). */
    int login_queue;
    /* Long reports waiting for a report worker at most, beyond those running (0 = 8; see
     * pj_h_report); one more is answered 503 busy with Retry-After. */
    int report_queue;
    /* Report workers (0 = 1, or 2 on a machine of 4 cores or more). */
    int report_workers;
    /* How long a stop (SIGTERM, SIGINT) waits for the requests being answered, in ms (0 =
     * 5000); then log-ins whose password check has not started are answered 503 stopping. */
    int stop_wait_ms;
    /* How long a request waits, at most, for the database's write lock while another program
     * holds it (a command-line import, another server), in ms (0 = 5000): the server answers
     * other requests meanwhile and tries it again every few ms; then 503 busy, Retry-After. */
    int lock_wait_ms;
    /* Open connections at most, in total (0 = half the descriptor limit, at most 10000) and
     * from one client address (0 = 1024; an IPv6 client's /64); one more is closed at once. */
    int max_conns, max_conns_per_addr;
    /* Behind a reverse proxy: on a connection from a trusted proxy the client is the last
     * address of X-Forwarded-For (for the log-in throttle and lockouts, the audit, the access
     * log and the input room per address) and the per-address connection limit is not applied
     * to the proxy (its connections carry every client). A connection from any other address
     * is its own client, X-Forwarded-For ignored, and held to the limit. The trusted proxies:
     * trusted_proxies[0..n_trusted_proxies) (copied; at most PJ_TRUSTED_PROXIES_MAX), which
     * imply trust_proxy; none given, loopback (127.0.0.0/8 and ::1). */
    int trust_proxy;
    const pj_net *trusted_proxies;
    int n_trusted_proxies;
    /* 1: the session cookie is always set with Secure (served over HTTPS by a reverse proxy);
     * 0: only on a request whose X-Forwarded-Proto is https (plain HTTP works as it is). */
    int secure_cookies;
    pj_settings settings;
} pj_server_opts;

typedef struct pj_server pj_server;

/* The key a client address is counted by (out: 48 bytes): IPv4 as it is, an IPv4-mapped
 * IPv6 address as IPv4, other IPv6 addresses by their /64 ("2001:db8:1:2::/64"). */
void pj_client_key(const char *addr, char *out, size_t size);

/* The listening socket on host (NULL: 127.0.0.1) and port (0 = any free one), bound before
 * anything else is made (serve binds first, so a busy port creates no database); -1 and err
 * naming the address when it cannot. */
int pj_server_listen(const char *host, int port, pj_err *err);
/* Opens the store, binds the socket; the server is not yet serving. */
int pj_server_open(pj_server **out, const pj_server_opts *opts, pj_err *err);
int pj_server_port(const pj_server *s);
/* Serves until SIGTERM/SIGINT (or pj_server_stop): then stops accepting, lets in-flight
 * responses finish and closes the store. */
int pj_server_run(pj_server *s);
void pj_server_free(pj_server *s);

/* One request as the handlers see it. Everything is in arena, freed when the request ends. */
typedef struct pj_req {
    const struct pj_head *head; /* the request's head: pj_head_get(r->head, "Name") */
    pj_ctx ctx;
    pj_arena arena;
    pj_err err;
    pj_buf out;
    pj_jw w;
    const char *method, *path;
    int64_t id;
    pj_kv *query;
    int nquery;
    uint64_t query_read; /* bit i: the handler read query[i] (pj_req_param, pj_req_params_read) */
    json_t *body;
    const char *raw; /* an upload's bytes (PJ_ROUTE_UPLOAD, not JSON), valid during the request */
    size_t raw_len;
    const char *raw_type; /* its Content-Type, NULL when none was sent */
    const char *token;
    const char *set_cookie;
    int secure_cookies;         /* the server's opts.secure_cookies: Set-Cookie with Secure */
    struct cached_body *cached; /* a response served from the cache */
    const char *content_type;   /* NULL = JSON */
    int64_t wait_plan;          /* answer when this plan is solved (its outcome replaces out) */
    /* Work a handler hands off the event loop (a password's check or hash): the server runs
     * work->run on a worker thread and then, on the loop, then(r, work) with a new request of
     * the same connection (head, ctx.client, request_id as before; on a route that needs a
     * login, the session looked up again: ctx.actor, token; no body, no id) to answer it as
     * a handler would.
     * The connection stays busy meanwhile (requests behind it wait). The server frees work
     * (work->free) after then, or unrun when the workers take no more (503 busy) or the server
     * stops first (503 stopping). The handler sets both only when it returns 0.
     * With report set (pj_h_report: a long read, not a password), the work goes to the report
     * workers, a pool and queue of their own: a report never holds up a log-in, nor a log-in a
     * report. A report still waiting for them when the server is asked to stop is answered
     * 503 stopping at once. A query parameter a GET's handler did not read is refused (400)
     * before its work is handed over. The response of work is never cached: a route that
     * hands work off has no PJ_ROUTE_SHARED or PJ_ROUTE_PER_USER. */
    pj_work *work;
    int (*then)(struct pj_req *r, pj_work *work);
    int report;
    int status;
    char request_id[24];
} pj_req;

typedef int (*pj_handler)(pj_req *r);

/* Role bits for the route table. */
#define R(x)       (1u << (x))
#define R_ALL      0xFEu
#define R_DISTRICT (R(PJ_ROLE_ADMIN) | R(PJ_ROLE_DISTRICT_OFFICER))

/* Route flags. SHARED: the response depends only on the URL and the data, not on who asks
 * (beyond the role check), so it may be served from the response cache until the next write. */
#define PJ_ROUTE_SHARED 1u
/* PER_USER: the response depends on the URL, the data and who asks (scope, masking): cached
 * per user, until the next write or the handler's ctx.valid_until (clock-dependent fields).
 * A request whose handler writes (an audited unmasked read) is never cached. */
#define PJ_ROUTE_PER_USER 2u
/* PER_ROLE (with SHARED): the response depends on the URL, the data and the caller's role only
 * (a field some roles do not see): cached per role. */
#define PJ_ROUTE_PER_ROLE 256u
/* UPLOAD: a body that is not application/json reaches the handler as it is (raw, raw_len,
 * raw_type), up to PJ_UPLOAD_MAX: file uploads such as a spreadsheet. */
#define PJ_ROUTE_UPLOAD 4u
/* LOGIN: checks a password; attempts are limited per client address before any hashing. */
#define PJ_ROUTE_LOGIN 8u
/* SECRET: the body may carry passwords: once the request is handled, its bytes in the input
 * buffer and the strings decoded from it are overwritten with zeros (a handler that keeps the
 * body for later takes it over, r->body = NULL, and wipes it itself: pj_json_wipe). */
#define PJ_ROUTE_SECRET 16u
/* Q_WAIT, Q_DRY_RUN, Q_VERSION: the query parameters a write route takes (wait, dry_run,
 * version), and the only ones: a write with any other (or one of these its route does not
 * name) is refused 400 unknown_parameter before its handler runs, so nothing is written.
 * A read takes the parameters its handler reads; these flags are for writes only. */
#define PJ_ROUTE_Q_WAIT    32u
#define PJ_ROUTE_Q_DRY_RUN 64u
#define PJ_ROUTE_Q_VERSION 128u

typedef struct pj_route {
    const char *method, *path;
    pj_handler fn;
    unsigned roles; /* 0 = public (no login); else the roles allowed to call it */
    const char *summary;
    unsigned flags;
} pj_route;

/* The route table (static storage) and its length. */
const pj_route *pj_routes(int *n);

/* Query parameter value or NULL. */
const char *pj_req_param(pj_req *r, const char *key);
/* Marks every query parameter read: for handlers that check the whole query themselves. */
void pj_req_params_read(pj_req *r);

#endif
