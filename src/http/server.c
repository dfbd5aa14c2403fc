#include "http/server.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <event2/event.h>
#include <sodium.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <linux/sockios.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "core/file.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/auth.h"
#include "domain/plan.h"
#include "domain/elder.h"
#include "domain/enterprise.h"
#include "http/idem.h"
#include "http/wire.h"

#include "core/banned.h"

/* Response cache for SHARED routes: whole 200 responses keyed by URL, all dropped when the
 * database generation moves (any commit, by this process or another). Bounded in entries
 * and bytes; the database stays the only source of truth. */
#define CACHE_SLOTS 1024
#define CACHE_BYTES (16u << 20)
typedef struct cached_body {
    int refs;     /* the cache's own reference + responses still being written */
    int in_cache; /* its bytes (and its gzip copy's) are counted in cache_bytes */
    int gz_made;  /* gz was tried: the gzip copy, or NULL when gzip saved nothing */
    struct cached_body *gz;
    size_t len;
    char data[];
} cached_body;

/* Answers of the handlers go gzip-encoded to a client that accepts gzip (pj_accept_gzip) when
 * they are JSON or text (CSV) of GZIP_MIN bytes or more and 2xx. Below GZIP_MIN a reply (head
 * of ~300 bytes and body) fits in one TCP segment (an MSS of ~1,400 bytes on mobile links):
 * gzip would save no packet and no round trip, only cost the deflate. GZIP_LEVEL: zlib's
 * level 2, measured (build/rel/bench/gzip_levels, docs/BENCHMARKS.md) on the 183 KB listing
 * of the whole demo registry, the 11.7 KB one of 20 and the 65 KB CSV export: as fast as
 * level 1 for 3–5 % fewer bytes; level 3 slower for 2–3 % more, 4 and up twice the time and
 * more. A cached answer keeps its gzip copy, made at its first gzip reply. Console files have
 * their own copies (serve_static); xlsx is a zip already. */
#define GZIP_MIN   1024
#define GZIP_LEVEL 2

typedef struct cache_entry {
    char *key;
    cached_body *body;
    uint64_t hash;
    int64_t valid_until; /* unix s: the next Beijing midnight at the latest */
} cache_entry;

/* Sessions seen recently, so a request need not look its token up again. Valid while the
 * database generation is unchanged and for at most a quarter of the idle expiry (≤ 30 s). */
#define SESS_SLOTS 256
typedef struct sess_entry {
    char token[72];
    char username[64];
    pj_actor actor;
    int64_t checked_at;
    uint64_t gen;
} sess_entry;

/* One client address (its key: pj_client_key) in a chained hash table: its open connections
 * and the input room its connections and requests hold. */
#define ADDR_SLOTS 1024
typedef struct addr_count {
    struct addr_count *next;
    int refs;         /* connections and requests that point here; the entry goes at 0 */
    int conns;        /* connections open from the address */
    size_t buffered;  /* input room charged to the address */
    int checking;     /* its log-ins handed to the workers (waiting or being checked) */
    int64_t last_tag; /* the turn (pj_work.tag) of the latest of them */
    char addr[48];
} addr_count;

/* Log-in attempts of one client address: a token bucket (LOGIN_BURST, one more every
 * LOGIN_EVERY_MS), direct-mapped by a seeded hash of the address. Addresses that share a
 * slot share its bucket (the slot keeps the later full time), so two of them cannot refill
 * each other's. */
#define LOGIN_SLOTS    4096
#define LOGIN_BURST    10
#define LOGIN_EVERY_MS 2000
typedef struct login_bucket {
    int64_t full_at_ms; /* the bucket is full from then on; each attempt adds LOGIN_EVERY_MS */
} login_bucket;

/* Password checks and hashes (argon2id, ~100 ms and 64 MiB each: log-ins, password changes,
 * users created or given a password) run on worker threads, not on the loop: one worker on a
 * machine of up to 3 cores (the loop keeps a core), two from 4 on; LOGIN_QUEUE more wait at
 * most. They wait by client address (pj_client_key: an IPv6 client's /64; behind a trusted
 * proxy, X-Forwarded-For's), not in one line, so that addresses flooding the log-in with
 * guesses cannot keep anyone else's out nor make it wait behind all of theirs (check_hand):
 * the check of an address with none waiting or being checked goes first (of several such, the
 * one of the address with the fewer log-in attempts lately, by the throttle) until the address
 * sends another; the next one of an address that has some waits its turn, round-robin, until
 * every other address waiting has had one more. With the queue full, a newcomer takes the place of
 * the latest waiting check of the address holding the most (then, of those holding as many, the one
 * with the most log-in attempts lately), when that one holds more than the newcomer will, or as
 * many having made more attempts; the check dropped is answered 503 busy with Retry-After
 * LOGIN_BUSY_S, as is the newcomer when none gives way. */
#define LOGIN_QUEUE  32
#define LOGIN_BUSY_S 1
/* With the throttle on, one client address has at most this many log-ins with the workers at
 * once; one more is 429 with Retry-After LOGIN_BUSY_S: a few addresses cannot fill the queue
 * and keep everyone else's log-ins out. */
#define LOGIN_CHECKS_PER_ADDR 2
/* Long reports (pj_h_report: the time-bank check, the coverage report, the appeal KPIs, the
 * vulnerable CSV, masked or revealed; up to seconds each on years of records) and long writes
 * (pj_h_write_apart: the facility import) run off the loop too, on report workers of their own: on
 * the password workers one report would hold up every log-in for its whole length (one worker
 * on a machine of up to 3 cores; a job, once running, runs to its end), and a storm of
 * log-ins would hold up the reports. One report worker (two from 4 cores on), each with its
 * own read-only connection and at a lower CPU priority than the loop (report.c);
 * REPORT_QUEUE more wait at most, beyond that 503 busy with Retry-After REPORT_BUSY_S. One
 * user has at most REPORTS_PER_USER reports waiting or running; one more is 429 with
 * Retry-After REPORT_BUSY_S, so that no one (a page reloaded over and over, a script) fills
 * the queue for everyone. Counted by user, not by client address: a district's offices reach
 * the server through one address (NAT), and every report needs a log-in. When the server is
 * asked to stop (on_signal), a report still waiting is answered 503 stopping at once and a
 * running one is interrupted (report.c) and answered so as soon as its worker gives it back:
 * a stop does not wait for reports. */
#define REPORT_QUEUE     8
#define REPORT_BUSY_S    2
#define REPORTS_PER_USER 2

/* A response ready to go. Responses to requests handled while a group-commit batch is open
 * wait here until the batch is durable. */
typedef struct reply {
    struct reply *next;
    struct conn *c;
    int status;
    char *body; /* owned (malloc) unless cached */
    size_t len;
    struct cached_body *cached;
    char *extra;       /* owned: more header lines ("Name: value\r\n"…), or NULL */
    const char *ctype; /* static storage; NULL = JSON */
    int is_static;     /* a console file: its own Cache-Control is in extra */
    int cache;         /* a cacheable route: 1 = answered from the response cache, 2 = not */
    char rid[24];
    char method[8];
    char user[48];
    int64_t t0;
    int64_t wait_plan; /* waiting for this plan's outcome (srv->waiters) */
    /* the account it waits for: the plan is answered as that role and scope see it */
    pj_role wait_role;
    int64_t wait_user_id, wait_township, wait_facility;
    /* waiting for its work on the workers (the job's owner is the reply): answered by then */
    int (*then)(pj_req *r, pj_work *w);
    int session; /* then acts for the request's session (looked up again first) */
    int report;  /* the work is a report's (srv->reports), not a password's (srv->workers) */
    int64_t report_user; /* a report's: the user it counts for (srv->report_users) */
    /* a password's: its work with the workers, in srv->checks; started: seen running */
    pj_work *work;
    struct reply *check_prev, *check_next;
    int started;
    int uncounted;      /* work_uncount done (its then() may have waited for the lock since) */
    int64_t park_since; /* ms: its then() first found the write lock held (srv->parked_work) */
} reply;

/* One client connection. Requests on it are answered in order: while one is being answered
 * (handled, waiting for its write batch, or its reply still being written) the connection is
 * not read, so pipelined requests wait in the input buffer. */
typedef struct conn {
    struct conn *prev, *next; /* every open connection */
    pj_server *srv;
    int fd;
    struct event *ev_read, *ev_write;
    int reading;          /* ev_read is added */
    int busy;             /* a request is being answered */
    int closing;          /* close once the reply is written */
    int have_head;        /* head parsed, waiting for the rest of the body */
    size_t head_scan;     /* how far the input was scanned for the head's end (pj_head_ready) */
    int in_process;       /* inside conn_process: freeing waits until it returns */
    int dead;             /* to be freed by conn_process */
    int peer_eof;         /* the client sent all it will send: answer what is buffered, close */
    int refused;          /* closing after a refused request whose bytes may still be arriving */
    int lingering;        /* reply written, our side shut: unread input is drained, then close */
    int64_t linger_until; /* ms: the drain ends then at the latest */
    int64_t write_until;  /* ms: a reply must be taken by then (0: none waiting) */
    size_t drained;       /* bytes discarded while lingering */
    int64_t req_ms;       /* when the request now first in the input began to arrive (ms) */
    int sent_continue;
    pj_head head;
    addr_count *peer; /* the socket's address: its connections are counted there */
    addr_count *bill; /* the address the input room is charged to: peer, or behind a trusted
                       * proxy the client of the request now read */
    int via_proxy;    /* the socket's address is a trusted proxy's: X-Forwarded-For counts */
    char ip[48];      /* the socket's address as text */
    char client[48];  /* the request's client as text: ip, or X-Forwarded-For's last */
    size_t req_len;   /* bytes of the request being answered (head + body) */
    char *in;
    size_t in_len, in_cap;
    /* the reply being written: head, then the body */
    pj_buf out;
    struct iovec iov[2];
    int iovn, iovi;
    char *own_body;
    struct cached_body *own_cached;
    /* its request waits for the write lock another program holds (srv->parked): the request
     * stays in the input, its answer to come from a later attempt (park_resume) */
    struct conn *park_next;
    int parked;         /* in srv->parked */
    int resumed;        /* handle() is called from the park timer, not conn_process */
    int64_t park_since; /* ms: when its first attempt found the lock held (0: none) */
    int64_t park_t0;    /* us: when its first attempt began (the access line's time) */
    char park_rid[24];  /* its request id, kept over the attempts */
} conn;

struct pj_server {
    reply *pending, **pending_tail;
    int npending;
    reply *waiters;             /* ?wait=1 plan requests, answered at their plan's outcome */
    struct event *ev_plan_done; /* the planner pool's notification */
    pj_workq *workers;          /* password checks and hashes (pj_req.work) */
    struct event *ev_work;      /* the workers' notification: checks done */
    pj_workq *reports;          /* long reports (pj_req.report) */
    struct event *ev_reports;   /* their notification: reports done */
    reply *checks;              /* the replies of the passwords with the workers (check_hand) */
    int64_t *report_users;      /* the user of each report waiting or running, in any order */
    int nreport_users, report_users_max;
    struct event *ev_batch;
    uint64_t batches, batched;
    /* requests that found the write lock held by another connection (a command-line import,
     * a sqlite3 session, another server): tried again in turn on ev_park, every park_ms (5 ms,
     * doubled up to PARK_MAX_MS), until lock_wait_ms has passed since their first attempt */
    conn *parked, **parked_tail;
    pj_work *parked_work, **parked_work_tail; /* then() of work done, waiting likewise */
    struct event *ev_park;
    int park_ms;
    cache_entry cache[CACHE_SLOTS];
    size_t cache_bytes;
    uint64_t cache_gen;
    uint64_t cache_hits, cache_misses;
    sess_entry sess[SESS_SLOTS];
    int64_t others_checked_ms;
    struct event_base *base;
    int lfd;    /* the listening socket, -1 once stopped */
    int hold;   /* the database's descriptor + 1 holding it (pj_db_hold), 0 none */
    int web_fd; /* the console's directory (opts.web_dir) open + 1, 0 none */
    struct event *ev_accept;
    conn *conns;
    size_t buffered; /* input room of all connections */
    int nconns;
    struct event *ev_accept_on; /* accepting again after running out of descriptors */
    int64_t accept_warned_ms;
    addr_count *addrs[ADDR_SLOTS];
    int max_conns, max_per_addr;
    uint64_t conns_refused; /* over a limit, not yet in a warning */
    int64_t refuse_warned_ms;
    char refused_from[48];        /* the address of the latest refused */
    struct event *ev_refuse_warn; /* the warning of refusals made since the last one */
    login_bucket *logins;         /* login_slots, NULL when log-ins are not limited */
    int login_slots;
    uint64_t login_seed;
    int stopping; /* asked to stop: no new requests, the busy ones finish */
    int64_t stop_ms;
    struct event *ev_drain; /* while stopping: ends the loop once nothing is busy */
    char date[48];          /* "Date: …\r\n" of date_s */
    int64_t date_s;
    char log_sec[24]; /* the access log's time stamp of log_s, to the second */
    time_t log_s;
    struct event *ev_term, *ev_int, *ev_flush, *ev_scan;
    struct event *ev_prune; /* the removal of expired sessions, every few minutes */
    pj_alert_scan_job scan;
    int64_t scan_t0;
    pj_arena arena; /* the requests' arena, reset after each */
    pj_db *db;
    pj_plan_pool *plans;        /* the planner's background solves */
    uint64_t plan_commits_seen; /* their commits, another connection's writes */
    pj_server_opts opts;
    pj_net proxies[PJ_TRUSTED_PROXIES_MAX]; /* the trusted proxies; none without trust_proxy */
    int nproxies;
    int port;
    uint64_t seq;
    uint32_t rid_prefix;
    char logbuf[1 << 16];
    z_stream gz; /* the deflate stream of gzip replies (reset per reply), once gz_ready */
    int gz_ready;
};

/* FNV-1a of s[0..n) */
static uint64_t hash_mem(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static uint64_t hash_str(const char *s)
{
    return hash_mem(s, strlen(s));
}

static void body_unref(cached_body *b)
{
    if (b && --b->refs == 0) {
        body_unref(b->gz);
        free(b);
    }
}

/* The bytes a cached body counts for: its own and its gzip copy's. */
static size_t body_bytes(const cached_body *b)
{
    return b->len + (b->gz ? b->gz->len : 0);
}

static void cache_clear(pj_server *srv)
{
    for (int i = 0; i < CACHE_SLOTS; i++) {
        free(srv->cache[i].key);
        if (srv->cache[i].body) srv->cache[i].body->in_cache = 0;
        body_unref(srv->cache[i].body);
    }
    memset(srv->cache, 0, sizeof srv->cache);
    srv->cache_bytes = 0;
}

/* Drops everything when the data may have changed since the cache was filled. */
static void cache_check(pj_server *srv, uint64_t gen)
{
    if (gen != srv->cache_gen) {
        cache_clear(srv);
        srv->cache_gen = gen;
    }
}

static cache_entry *cache_get(pj_server *srv, const char *key, uint64_t h)
{
    cache_entry *e = &srv->cache[h % CACHE_SLOTS];
    if (!e->key || e->hash != h || strcmp(e->key, key)) return NULL;
    return !e->valid_until || pj_now() < e->valid_until ? e : NULL;
}

static void cache_put(pj_server *srv, const char *key, uint64_t h, const char *body, size_t len,
                      int64_t valid_until)
{
    if (len > CACHE_BYTES / 16 || (valid_until && valid_until <= pj_now())) return;
    /* every answer that speaks of "today" (a period, a month's window, what is overdue) speaks
     * of the Beijing date: none is served past the next Beijing midnight, written to or not */
    int64_t midnight = pj_local_day_end(pj_now());
    if (!valid_until || valid_until > midnight) valid_until = midnight;
    cache_entry *e = &srv->cache[h % CACHE_SLOTS];
    if (e->key) { /* direct-mapped: the newer response takes the slot */
        srv->cache_bytes -= body_bytes(e->body);
        e->body->in_cache = 0;
        free(e->key);
        body_unref(e->body);
        e->key = NULL;
        e->body = NULL;
    }
    if (srv->cache_bytes + len > CACHE_BYTES) cache_clear(srv);
    e->key = strdup(key);
    e->body = malloc(sizeof *e->body + len);
    if (!e->key || !e->body) {
        free(e->key);
        free(e->body);
        e->key = NULL;
        e->body = NULL;
        return;
    }
    e->body->refs = 1;
    e->body->in_cache = 1;
    e->body->gz_made = 0;
    e->body->gz = NULL;
    e->body->len = len;
    memcpy(e->body->data, body, len);
    e->hash = h;
    e->valid_until = valid_until;
    srv->cache_bytes += len;
}

const char *pj_req_param(pj_req *r, const char *key)
{
    for (int i = 0; i < r->nquery; i++)
        if (strcmp(r->query[i].key, key) == 0) {
            r->query_read |= UINT64_C(1) << i;
            return r->query[i].value;
        }
    return NULL;
}

void pj_req_params_read(pj_req *r)
{
    r->query_read = ~UINT64_C(0);
}

/* A parameter the route does not take (names starting with '_' are left for cache-busting):
 * before a write, one its route does not name among wait, dry_run and version (its flags
 * PJ_ROUTE_Q_*: a write handler that does not read ?dry_run=1 would make the write it was
 * asked to preview); after a read, one its handler did not read — a read changes nothing, so
 * its answer is replaced by the 400. NULL if none. */
static const char *param_not_taken(const pj_req *r, const pj_route *rt, int before_write)
{
    static const struct {
        const char *key;
        unsigned flag;
    } write_params[] = {{"wait", PJ_ROUTE_Q_WAIT},
                        {"dry_run", PJ_ROUTE_Q_DRY_RUN},
                        {"version", PJ_ROUTE_Q_VERSION}};
    for (int i = 0; i < r->nquery; i++) {
        const char *k = r->query[i].key;
        if (k[0] == '_') continue;
        int ok = 0;
        if (before_write) {
            for (size_t w = 0; w < sizeof write_params / sizeof write_params[0] && !ok; w++)
                ok = (rt->flags & write_params[w].flag) && !strcmp(k, write_params[w].key);
        } else
            ok = (r->query_read >> i) & 1;
        if (!ok) return k;
    }
    return NULL;
}

/* The route table's index: fixed paths in an open-addressing hash table (one slot per
 * method), the paths with an {id} segment in table order. */
#define ROUTE_SLOTS 2048
typedef struct route_index {
    short fixed[ROUTE_SLOTS]; /* route number, -1 = empty */
    uint64_t hash[ROUTE_SLOTS];
    short param[ROUTE_SLOTS];
    int nparam;
} route_index;

static const route_index *route_index_get(const pj_route *routes, int n)
{
    static route_index ix;
    static int made;
    if (made) return &ix;
    memset(ix.fixed, 0xff, sizeof ix.fixed);
    for (int i = 0; i < n && i < ROUTE_SLOTS / 2; i++) {
        if (strchr(routes[i].path, '{')) {
            ix.param[ix.nparam++] = (short)i;
            continue;
        }
        uint64_t h = hash_mem(routes[i].path, strlen(routes[i].path));
        unsigned k = (unsigned)(h & (ROUTE_SLOTS - 1));
        while (ix.fixed[k] >= 0) k = (k + 1) & (ROUTE_SLOTS - 1);
        ix.fixed[k] = (short)i;
        ix.hash[k] = h;
    }
    made = 1;
    return &ix;
}

/* Matches a route pattern ("/api/v1/facilities/{id}") against a decoded path. *id_seg is the
 * first {…} segment (the id); any later one ("/sales/{month}/{channel}") is matched as any
 * non-empty segment and read from r->path by its handler. */
static int match(const char *pat, const char *path, const char **id_seg, size_t *id_len)
{
    int first = 1;
    while (*pat && *path) {
        if (*pat == '{') {
            const char *e = strchr(pat, '}');
            const char *seg_end = strchr(path, '/');
            if (!seg_end) seg_end = path + strlen(path);
            if (seg_end == path) return 0;
            if (first) {
                *id_seg = path;
                *id_len = (size_t)(seg_end - path);
                first = 0;
            }
            pat = e + 1;
            path = seg_end;
            continue;
        }
        if (*pat != *path) return 0;
        pat++, path++;
    }
    if (*path == '/' && !path[1]) path++; /* tolerate one trailing slash */
    return !*pat && !*path;
}

/* The route for method and a decoded path, or NULL; *path_known says whether the path has
 * any route (405 then, not 404). Fixed paths first, so /x/sweep is not taken for /x/{id}:
 * they are found by hash, the paths with an {id} after them in table order. */
static const pj_route *find_route(const char *method, const char *path, const char **id_seg,
                                  size_t *id_len, int *path_known)
{
    int nroutes;
    const pj_route *routes = pj_routes(&nroutes);
    const route_index *ix = route_index_get(routes, nroutes);
    size_t pl = strlen(path);
    if (pl > 1 && path[pl - 1] == '/') pl--; /* one trailing slash is tolerated */
    uint64_t ph = hash_mem(path, pl);
    *path_known = 0;
    for (unsigned k = (unsigned)(ph & (ROUTE_SLOTS - 1));; k = (k + 1) & (ROUTE_SLOTS - 1)) {
        int i = ix->fixed[k];
        if (i < 0) break;
        const pj_route *rt = &routes[i];
        if (ix->hash[k] != ph || strncmp(rt->path, path, pl) || rt->path[pl]) continue;
        *path_known = 1;
        if (strcmp(rt->method, method) == 0) return rt;
    }
    /* a fixed path with another method is that path's 405, never a sibling {id} route's */
    if (*path_known) return NULL;
    for (int k = 0; k < ix->nparam; k++) {
        const pj_route *rt = &routes[ix->param[k]];
        if (!match(rt->path, path, id_seg, id_len)) continue;
        *path_known = 1;
        if (strcmp(rt->method, method) == 0) return rt;
    }
    return NULL;
}

/* The method whose route answers a request's: GET's for HEAD (the same answer without its
 * body, RFC 9110 §9.3.2), else its own. */
static const char *route_method(const char *method)
{
    return method[0] == 'H' && !strcmp(method, "HEAD") ? "GET" : method;
}

/* The Allow header line of the methods a (decoded) path has, malloc'd ("Allow: GET, HEAD,
 * POST\r\n"; HEAD wherever GET is), or NULL. A fixed path's are its own routes' (as
 * find_route takes them), not those of a sibling {id} route its last segment would match;
 * each method once. */
static char *allow_line(const char *path)
{
    int nroutes;
    const pj_route *routes = pj_routes(&nroutes);
    char allow[64] = "";
    size_t len = 0;
    const char *seen[16];
    int nseen = 0;
    for (int pass = 0; pass < 2 && !len; pass++) /* the fixed routes first */
        for (int i = 0; i < nroutes; i++) {
            const char *seg;
            size_t sl;
            if ((strchr(routes[i].path, '{') != NULL) != pass) continue;
            if (!match(routes[i].path, path, &seg, &sl)) continue;
            int dup = 0;
            for (int k = 0; k < nseen; k++) dup |= !strcmp(seen[k], routes[i].method);
            if (dup) continue;
            if (nseen < (int)(sizeof seen / sizeof seen[0])) seen[nseen++] = routes[i].method;
            int get = !strcmp(routes[i].method, "GET");
            int k = snprintf(allow + len, sizeof allow - len, "%s%s%s", len ? ", " : "",
                             routes[i].method, get ? ", HEAD" : "");
            if (k > 0 && (size_t)k < sizeof allow - len) len += (size_t)k;
        }
    char *extra = NULL;
    if (asprintf(&extra, "Allow: %s\r\n", allow) < 0) extra = NULL;
    return extra;
}

/* The Allow line of a 405 to a console file: its files are read, never written. */
#define STATIC_ALLOW "Allow: GET, HEAD\r\n"

/* The route of a request head, found as the handler will find it (on the decoded path); or
 * NULL with err set to the answer the request gets without one (400 bad path, 404, 405 with
 * *allow set to its header line, and for a console file 404, 405, or 413 since none takes a
 * body). */
static const pj_route *head_route(pj_server *srv, const pj_head *h, pj_err *err, char **allow)
{
    *allow = NULL;
    const char *target = h->target;
    size_t plen = strcspn(target, "?#");
    pj_arena a = srv->arena;
    const pj_route *rt = NULL;
    const char *path = *target == '/' ? pj_url_decode(&a, target, plen, 0) : NULL;
    if (!path) {
        pj_fail(err, 400, "bad_path", "", "malformed request path");
    } else if (strncmp(path, "/api/", 5) != 0) {
        if (!srv->opts.web_dir)
            pj_fail(err, 404, "not_found", "", "no console installed");
        else if (strcmp(h->method, "GET") && strcmp(h->method, "HEAD")) {
            *allow = strdup(STATIC_ALLOW);
            pj_fail(err, 405, "method_not_allowed", "", "a console file is only read (GET, HEAD)");
        } else
            pj_fail(err, 413, "body_too_large", "", "a console file takes no request body");
    } else {
        const char *seg;
        size_t sl;
        int known;
        rt = find_route(route_method(h->method), path, &seg, &sl, &known);
        if (!rt && known) {
            *allow = allow_line(path);
            pj_fail(err, 405, "method_not_allowed", "", "%s is not allowed on %s", h->method, path);
        } else if (!rt) {
            pj_fail(err, 404, "not_found", "", "no such endpoint: %s", path);
        }
    }
    pj_arena_reset(&a);
    srv->arena = a;
    return rt;
}

/* The error shape every error answer has, into b (emptied first): code, message, field, the
 * refusal's details when it has some, request_id. */
static void put_error(pj_buf *b, const pj_err *e, const char *rid)
{
    pj_buf_reset(b);
    pj_jw w;
    pj_jw_init(&w, b);
    pj_jw_obj(&w);
    pj_jw_key(&w, "error");
    pj_jw_obj(&w);
    pj_jw_kstr(&w, "code", e->code[0] ? e->code : "error");
    pj_jw_kstr(&w, "message", e->message);
    if (e->field[0])
        pj_jw_kstr(&w, "field", e->field);
    else
        pj_jw_knull(&w, "field");
    if (e->details[0]) { /* the figures of the refusal (pj_err_detail), when it has some */
        char d[sizeof e->details + 2];
        snprintf(d, sizeof d, "{%s}", e->details);
        pj_jw_key(&w, "details");
        pj_jw_raw(&w, d);
    }
    pj_jw_kstr(&w, "request_id", rid);
    pj_jw_obj_end(&w);
    pj_jw_obj_end(&w);
}

static void write_error(pj_req *r)
{
    put_error(&r->out, &r->err, r->request_id);
    r->status = r->err.status ? r->err.status : 500;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Small formatting without printf, for what every request writes. */
static char *put_u64(char *p, uint64_t v)
{
    char t[24];
    int n = 0;
    do t[n++] = (char)('0' + v % 10);
    while (v /= 10);
    while (n) *p++ = t[--n];
    return p;
}

/* Copies s into dst[size], truncating; returns the end. */
static char *put_str(char *p, const char *end, const char *s)
{
    while (*s && p < end) *p++ = *s++;
    return p;
}

static void copy_str(char *dst, size_t size, const char *s)
{
    *put_str(dst, dst + size - 1, s ? s : "") = 0;
}

/* The request id: the server's random prefix (8 hex digits), a dash, the request number. */
static void make_rid(pj_server *srv, char out[24])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 8; i++) out[i] = hex[(srv->rid_prefix >> (28 - 4 * i)) & 15];
    out[8] = '-';
    *put_u64(out + 9, ++srv->seq) = 0;
}

/* The access log writes a query parameter's value only when the parameter is known to carry
 * nothing of a person: an id (any KEY_id), a page's limit, offset or cursor, a state, a type,
 * a role, a date, a flag, … (log_plain). Every other parameter's value (q=, username=, a
 * parameter a route does not take, as ?id_number=…) is written as KEY=*, and a value of a
 * listed parameter that is not plain (not only letters, digits and -_.:,+, longer than 40
 * characters, or with 9 digits in a row: a telephone or ID number sent in the wrong field) as
 * well. A key that is not a parameter's name (anything but a-z and _, or longer than 32) is
 * written as *: the key may be the data. */
static const char *const log_plain[] = {
    "limit",        "offset",      "cursor",       "status",
    "state",        "type",        "role",         "kind",
    "level",        "tier",        "since",        "until",
    "from",         "to",          "as_of",        "year",
    "period",       "period_kind", "format",       "view",
    "mode",         "version",     "category",     "action",
    "entity",       "channel",     "method",       "active",
    "disabled",     "voided",      "overdue",      "wait",
    "latest",       "reveal",      "dry_run",      "scenario",
    "sector",       "industry",    "energy_type",  "facility_type",
    "expiry_state", "visit_tier",  "visit_due_by", "visit_overdue",
    "writable",     "free",        "enrolable",    "in_force",
    "by",           "group",       "unpaired",     "or_unsigned",
    "id_shared",    "empty_nest",  "living_alone", "vulnerable",
    "no_doctor",    "no_meals",    "population",   NULL};

/* 1 when decoded key key is a parameter whose plain values are written */
static int plain_key(const char *key)
{
    size_t n = strlen(key);
    if (n > 3 && !strcmp(key + n - 3, "_id")) return 1;
    for (int i = 0; log_plain[i]; i++)
        if (!strcmp(key, log_plain[i])) return 1;
    return 0;
}

/* 1 when the n bytes at v (as sent) are a plain value: short, of letters, digits and -_.:,+,
 * without 9 digits in a row */
static int plain_value(const char *v, size_t n)
{
    if (n > 40) return 0;
    int run = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = v[i];
        int digit = ch >= '0' && ch <= '9';
        run = digit ? run + 1 : 0;
        if (run >= 9) return 0;
        if (!digit && !(ch >= 'a' && ch <= 'z') && !(ch >= 'A' && ch <= 'Z') &&
            !strchr("-_.:,+", ch))
            return 0;
    }
    return 1;
}

/* 1 when the n bytes at k (as sent) look like a parameter's name: a-z and _, 1 to 32 */
static int name_key(const char *k, size_t n)
{
    if (!n || n > 32) return 0;
    for (size_t i = 0; i < n; i++)
        if (!((k[i] >= 'a' && k[i] <= 'z') || k[i] == '_')) return 0;
    return 1;
}

/* A request target for the access log: each segment of the path as it is when it is plain
 * (plain_value: a route's word, an id, a console file's name) and as * when not (an ID or
 * telephone number, a %-encoded name: GET /api/v1/elders/110101199001011234 put the number
 * in the log); the query's parameters as the rule above says; a fragment as #*. */
static char *put_target(char *p, const char *end, const char *target)
{
    const char *q = strchr(target, '?'), *hash = strchr(target, '#');
    if (hash && (!q || hash < q)) q = NULL;
    const char *path_end = q ? q : hash ? hash : target + strlen(target);
    while (target < path_end && p < end) {
        if (*target == '/') {
            *p++ = *target++;
            continue;
        }
        size_t n = 0;
        while (target + n < path_end && target[n] != '/') n++;
        if (plain_value(target, n))
            for (size_t i = 0; i < n && p < end; i++) *p++ = target[i];
        else
            *p++ = '*';
        target += n;
    }
    if (q) {
        const char *s = q + 1;
        if (p < end) *p++ = '?';
        while (*s && *s != '#' && p < end) {
            size_t n = strcspn(s, "&#"), kn = strcspn(s, "=&#");
            int has_value = kn < n;
            char key[40];
            int decoded = kn < sizeof key && pj_url_decode_into(key, sizeof key, s, kn, 1) >= 0;
            if (decoded && plain_key(key)) {
                p = put_str(p, end, key);
                if (has_value) {
                    if (p < end) *p++ = '=';
                    if (plain_value(s + kn + 1, n - kn - 1))
                        for (size_t i = kn + 1; i < n && p < end; i++) *p++ = s[i];
                    else if (p < end)
                        *p++ = '*';
                }
            } else {
                if (decoded && name_key(key, strlen(key)))
                    p = put_str(p, end, key);
                else if (p < end)
                    *p++ = '*';
                if (has_value) p = put_str(p, end, "=*");
            }
            s += n;
            if (*s == '&') {
                if (p < end) *p++ = '&';
                s++;
            }
        }
    }
    if (hash) p = put_str(p, end, "#*");
    return p;
}

/* One access line on stderr (buffered, flushed by a timer), in pj_log's format. */
static void access_line(pj_server *srv, const reply *p, const char *target, size_t len)
{
    if (!pj_log_enabled(PJ_LOG_INFO)) return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (ts.tv_sec != srv->log_s) {
        srv->log_s = ts.tv_sec;
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        strftime(srv->log_sec, sizeof srv->log_sec, "%Y-%m-%dT%H:%M:%S", &tm);
    }
    char line[2048];
    char *q = line, *end = line + sizeof line - 96;
    q = put_str(q, end, srv->log_sec);
    long ms = ts.tv_nsec / 1000000;
    *q++ = '.';
    *q++ = (char)('0' + ms / 100);
    *q++ = (char)('0' + ms / 10 % 10);
    *q++ = (char)('0' + ms % 10);
    q = put_str(q, end, "Z info access ");
    q = put_str(q, end, p->rid);
    *q++ = ' ';
    q = put_str(q, end, p->method);
    *q++ = ' ';
    q = put_target(q, end, target);
    *q++ = ' ';
    q = put_u64(q, (uint64_t)p->status);
    *q++ = ' ';
    q = put_u64(q, len);
    *q++ = ' ';
    int64_t us = now_us() - p->t0;
    q = put_u64(q, us > 0 ? (uint64_t)us : 0);
    *q++ = 'u';
    *q++ = 's';
    *q++ = ' ';
    q = put_str(q, line + sizeof line - 48, p->user[0] ? p->user : "-");
    *q++ = ' ';
    q = put_str(q, line + sizeof line - 1, p->c && p->c->client[0] ? p->c->client : "-");
    *q++ = '\n';
    fwrite(line, 1, (size_t)(q - line), stderr);
}

/* ---- connections ---- */

#define IDLE_S            60 /* idle, or a reply not taken: closed after this */
#define REQUEST_S         60 /* a request must be whole this long after it began */
#define LINGER_S          2  /* after a refused request: its rest drained this long */
#define LINGER_MAX        ((size_t)9 << 20)   /* and at most this much of it */
#define IN_KEEP           ((size_t)64 << 10)  /* input room a connection keeps between requests */
#define BUFFERED_MAX      ((size_t)256 << 20) /* input room of all connections together */
#define ADDR_BUFFERED_MAX ((size_t)32 << 20)  /* and of one client address's */

/* The key a client address is counted by: an IPv4 address as it is (an IPv4-mapped IPv6 one
 * as IPv4), an IPv6 one's /64 ("2001:db8:1:2::/64": one host holds a whole /64), anything
 * else as it is. */
void pj_client_key(const char *addr, char *out, size_t size)
{
    struct in6_addr a6;
    struct in_addr a4;
    char text[INET6_ADDRSTRLEN];
    if (inet_pton(AF_INET6, addr, &a6) == 1) {
        if (IN6_IS_ADDR_V4MAPPED(&a6)) {
            memcpy(&a4, (const char *)&a6 + 12, 4);
            if (inet_ntop(AF_INET, &a4, text, sizeof text)) {
                copy_str(out, size, text);
                return;
            }
        }
        memset((char *)&a6 + 8, 0, 8);
        if (inet_ntop(AF_INET6, &a6, text, sizeof text)) {
            snprintf(out, size, "%s/64", text);
            return;
        }
    }
    copy_str(out, size, addr);
}

int pj_net_parse(const char *text, pj_net *out)
{
    memset(out, 0, sizeof *out);
    char ip[INET6_ADDRSTRLEN + 8];
    const char *slash = strchr(text, '/');
    size_t n = slash ? (size_t)(slash - text) : strlen(text);
    if (!n || n >= sizeof ip) return -1;
    memcpy(ip, text, n);
    ip[n] = 0;
    if (inet_pton(AF_INET, ip, out->addr) == 1) {
        out->bits = 32;
    } else if (inet_pton(AF_INET6, ip, out->addr) == 1) {
        out->v6 = 1;
        out->bits = 128;
    } else
        return -1;
    if (slash) {
        int64_t bits;
        const char *p = slash + 1;
        /* digits only: no sign, no space, no "0x" */
        if (!*p || strspn(p, "0123456789") != strlen(p) || strlen(p) > 3 ||
            pj_parse_i64(p, &bits) || bits > out->bits)
            return -1;
        out->bits = (int)bits;
    }
    /* ::ffff:a.b.c.d/N is a.b.c.d/(N - 96): peers are named so (peer_name) */
    if (out->v6 && IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)out->addr) && out->bits >= 96) {
        memmove(out->addr, out->addr + 12, 4);
        memset(out->addr + 4, 0, 12);
        out->v6 = 0;
        out->bits -= 96;
    }
    /* a bit set past the prefix is a mistake of the writer's (10.0.0.1/8 meaning 10.0.0.1?) */
    for (int i = out->bits; i < (out->v6 ? 128 : 32); i++)
        if (out->addr[i / 8] & (0x80 >> (i % 8))) return -1;
    return 0;
}

int pj_net_match(const pj_net *nets, int n, const char *ip)
{
    unsigned char a[16];
    int v6;
    if (inet_pton(AF_INET, ip, a) == 1)
        v6 = 0;
    else if (inet_pton(AF_INET6, ip, a) == 1) {
        v6 = 1;
        if (IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)a)) {
            memmove(a, a + 12, 4);
            v6 = 0;
        }
    } else
        return 0;
    for (int k = 0; k < n; k++) {
        const pj_net *net = &nets[k];
        if (net->v6 != v6) continue;
        int whole = net->bits / 8, rest = net->bits % 8;
        if (memcmp(a, net->addr, (size_t)whole)) continue;
        if (rest && ((a[whole] ^ net->addr[whole]) & (0xff << (8 - rest)) & 0xff)) continue;
        return 1;
    }
    return 0;
}

/* The entry of a client address key, with one more reference (created with none), or NULL
 * when out of memory. */
static addr_count *addr_get(pj_server *srv, const char *addr)
{
    addr_count **head = &srv->addrs[hash_str(addr) % ADDR_SLOTS];
    for (addr_count *a = *head; a; a = a->next)
        if (!strcmp(a->addr, addr)) {
            a->refs++;
            return a;
        }
    addr_count *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    copy_str(a->addr, sizeof a->addr, addr);
    a->refs = 1;
    a->next = *head;
    *head = a;
    return a;
}

/* One reference to a fewer; the entry goes with its last one. */
static void addr_put(pj_server *srv, addr_count *a)
{
    if (!a || --a->refs > 0) return;
    for (addr_count **pp = &srv->addrs[hash_str(a->addr) % ADDR_SLOTS]; *pp; pp = &(*pp)->next)
        if (*pp == a) {
            *pp = a->next;
            free(a);
            return;
        }
}

static void conn_free(conn *c)
{
    if (c->in_process) { /* conn_process frees it when it is back */
        c->dead = 1;
        return;
    }
    pj_server *srv = c->srv;
    if (c->parked) { /* its request no longer waits for the lock */
        conn **pp = &srv->parked;
        while (*pp != c) pp = &(*pp)->park_next;
        *pp = c->park_next;
        if (!*pp) srv->parked_tail = pp;
    }
    if (c->prev)
        c->prev->next = c->next;
    else
        srv->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    if (c->ev_read) event_free(c->ev_read);
    if (c->ev_write) event_free(c->ev_write);
    if (c->fd >= 0) close(c->fd);
    free(c->own_body);
    if (c->own_cached) body_unref(c->own_cached);
    pj_buf_free(&c->out);
    srv->buffered -= c->in_cap;
    c->bill->buffered -= c->in_cap;
    addr_put(srv, c->bill);
    srv->nconns--;
    c->peer->conns--;
    addr_put(srv, c->peer);
    free(c->in);
    free(c);
}

static void conn_read_on(conn *c, int on)
{
    if (on == c->reading) return;
    c->reading = on;
    if (on) {
        struct timeval tv = {IDLE_S, 0};
        event_add(c->ev_read, &tv);
    } else {
        event_del(c->ev_read);
    }
}

static int conn_process(conn *c);
static void handle(pj_server *srv, conn *c, const char *body, size_t blen);

/* The reply is written: the request leaves the input buffer, the next one may be read. */
static void conn_reply_done(conn *c)
{
    free(c->own_body);
    c->own_body = NULL;
    if (c->own_cached) body_unref(c->own_cached);
    c->own_cached = NULL;
    c->iovn = c->iovi = 0;
    c->write_until = 0;
    if (c->closing) {
        int unread = 0;
        if (!c->peer_eof && !c->refused && c->in_len <= c->req_len) ioctl(c->fd, FIONREAD, &unread);
        if (!c->peer_eof && (c->refused || c->in_len > c->req_len || unread > 0)) {
            /* bytes the client sent are unread: a close now would reset the connection and
             * could lose the reply at the client; shut our side, drain a while, then close */
            shutdown(c->fd, SHUT_WR);
            c->lingering = 1;
            c->linger_until = pj_now_ms() + LINGER_S * 1000;
            c->srv->buffered -= c->in_cap;
            c->bill->buffered -= c->in_cap;
            free(c->in);
            c->in = NULL;
            c->in_len = c->in_cap = 0;
            c->reading = 1;
            struct timeval tv = {LINGER_S, 0};
            event_add(c->ev_read, &tv);
            return;
        }
        conn_free(c);
        return;
    }
    if (c->req_len) {
        memmove(c->in, c->in + c->req_len, c->in_len - c->req_len);
        c->in_len -= c->req_len;
        c->req_len = 0;
    }
    c->head_scan = 0; /* the next request's head is scanned from its start */
    c->req_ms = c->in_len ? pj_now_ms() : 0;
    /* a large body's room is given back */
    if (c->in_cap > IN_KEEP && c->in_len <= IN_KEEP / 2) {
        char *n = realloc(c->in, IN_KEEP);
        if (n) {
            c->srv->buffered -= c->in_cap - IN_KEEP;
            c->bill->buffered -= c->in_cap - IN_KEEP;
            c->in = n;
            c->in_cap = IN_KEEP;
        }
    }
    c->busy = 0;
}

/* Writes what is left of the reply. Returns 1 when it is all written (c may then be freed),
 * 0 when the socket is full (the write event finishes it), -1 when c was freed on an error. */
static int conn_write(conn *c)
{
    while (c->iovi < c->iovn) {
        ssize_t n = writev(c->fd, c->iov + c->iovi, c->iovn - c->iovi);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                struct timeval tv = {IDLE_S, 0};
                if (!c->write_until) c->write_until = pj_now_ms() + IDLE_S * 1000;
                event_add(c->ev_write, &tv);
                conn_read_on(c, 0);
                return 0;
            }
            conn_free(c);
            return -1;
        }
        size_t left = (size_t)n;
        while (c->iovi < c->iovn && left >= c->iov[c->iovi].iov_len)
            left -= c->iov[c->iovi++].iov_len;
        if (c->iovi < c->iovn) {
            c->iov[c->iovi].iov_base = (char *)c->iov[c->iovi].iov_base + left;
            c->iov[c->iovi].iov_len -= left;
        }
    }
    return 1;
}

static void on_write(evutil_socket_t fd, short what, void *arg)
{
    conn *c = arg;
    /* the client does not take its reply (a little now and then is not enough) */
    if ((what & EV_TIMEOUT) || pj_now_ms() > c->write_until) {
        conn_free(c);
        return;
    }
    int rc = conn_write(c);
    if (rc <= 0) return;
    event_del(c->ev_write);
    int closing = c->closing;
    conn_reply_done(c);
    if (closing) return;
    conn_read_on(c, 1);
    conn_process(c);
}

static void date_header(pj_server *srv)
{
    int64_t now = pj_now();
    if (now == srv->date_s) return;
    srv->date_s = now;
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(srv->date, sizeof srv->date, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
}

static void put_status(pj_buf *b, int status)
{
    char line[64], *q = line;
    q = put_str(q, line + 9, "HTTP/1.1 ");
    q = put_u64(q, (uint64_t)status);
    *q++ = ' ';
    pj_buf_add(b, line, (size_t)(q - line));
    pj_buf_puts(b, pj_http_reason(status));
    pj_buf_add(b, "\r\n", 2);
}

static void put_header(pj_buf *b, const char *name, const char *value)
{
    pj_buf_puts(b, name);
    pj_buf_add(b, ": ", 2);
    pj_buf_puts(b, value);
    pj_buf_add(b, "\r\n", 2);
}

/* How a reply's body goes: not negotiated (no Vary), or negotiated (Vary: Accept-Encoding)
 * and sent as it is or gzip-encoded. */
enum { ENC_NONE, ENC_IDENTITY, ENC_GZIP };

/* Starts writing a reply on c; answers HEAD without the body. Frees nothing of p. */
static void conn_send(pj_server *srv, conn *c, reply *p, const char *body, size_t len,
                      int head_only, int enc)
{
    pj_buf *o = &c->out;
    pj_buf_reset(o);
    put_status(o, p->status);
    put_header(o, "X-Request-Id", p->rid);
    pj_buf_puts(o, "X-Content-Type-Options: nosniff\r\n");
    if (p->status != 204) {
        put_header(o, "Content-Type", p->ctype ? p->ctype : "application/json; charset=utf-8");
        if (!p->is_static) pj_buf_puts(o, "Cache-Control: no-store\r\n");
    }
    if (enc == ENC_GZIP) pj_buf_puts(o, "Content-Encoding: gzip\r\n");
    if (enc != ENC_NONE) pj_buf_puts(o, "Vary: Accept-Encoding\r\n");
    if (p->extra) pj_buf_puts(o, p->extra);
    if (p->cache) pj_buf_puts(o, p->cache == 1 ? "X-Cache: hit\r\n" : "X-Cache: miss\r\n");
    date_header(srv);
    pj_buf_puts(o, srv->date);
    if (p->status != 204 && p->status >= 200) {
        char cl[48], *q = cl;
        q = put_str(q, cl + 16, "Content-Length: ");
        q = put_u64(q, len);
        *q++ = '\r';
        *q++ = '\n';
        pj_buf_add(o, cl, (size_t)(q - cl));
    }
    if (c->closing)
        pj_buf_puts(o, "Connection: close\r\n");
    else if (c->head.minor == 0)
        pj_buf_puts(o, "Connection: keep-alive\r\n");
    pj_buf_add(o, "\r\n", 2);
    c->iov[0].iov_base = o->data;
    c->iov[0].iov_len = o->len;
    c->iovn = 1;
    c->iovi = 0;
    if (len && !head_only && p->status != 204) {
        c->iov[1].iov_base = (void *)body;
        c->iov[1].iov_len = len;
        c->iovn = 2;
    }
}

/* The gzip of in[0..n) in a new malloc'd block, after room bytes left for the caller (a
 * header of its own), its length in *out_len; NULL when it cannot be made or saves nothing.
 * One deflate stream serves every reply in turn (replies are made on the loop alone). */
static char *gzip_make(pj_server *srv, const char *in, size_t n, size_t room, size_t *out_len)
{
    z_stream *z = &srv->gz;
    if (!srv->gz_ready) {
        memset(z, 0, sizeof *z);
        if (deflateInit2(z, GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            return NULL;
        srv->gz_ready = 1;
    } else if (deflateReset(z) != Z_OK)
        return NULL;
    if (n > UINT32_MAX / 2) return NULL;
    uLong bound = deflateBound(z, (uLong)n);
    char *out = malloc(room + bound);
    if (!out) return NULL;
    z->next_in = (Bytef *)in;
    z->avail_in = (uInt)n;
    z->next_out = (Bytef *)out + room;
    z->avail_out = (uInt)bound;
    if (deflate(z, Z_FINISH) != Z_STREAM_END || z->total_out >= n) {
        free(out);
        return NULL;
    }
    *out_len = z->total_out;
    return out;
}

/* Whether p's body (len bytes) is one gzip may be negotiated for: an answer of the handlers
 * (not a console file), 2xx with a body, JSON or text, GZIP_MIN bytes or more. */
static int gzip_fits(const reply *p, size_t len)
{
    if (p->is_static || p->status < 200 || p->status >= 300 || p->status == 204 || len < GZIP_MIN)
        return 0;
    const char *t = p->ctype;
    return !t || !strncmp(t, "text/", 5) || !strncmp(t, "application/json", 16);
}

/* Makes p's body gzip-encoded when it may be and c's request accepts gzip: *body and *len
 * then name the gzip (a cached body's copy, made once and kept with it; or p's own body,
 * replaced). Returns how the body goes (ENC_*). */
static int reply_encode(pj_server *srv, conn *c, reply *p, const char **body, size_t *len)
{
    if (!gzip_fits(p, *len)) return ENC_NONE;
    if (!pj_accept_gzip(&c->head)) return ENC_IDENTITY;
    cached_body *cb = p->cached;
    if (cb) {
        if (!cb->gz_made) {
            size_t room = offsetof(cached_body, data), glen = 0;
            char *g = gzip_make(srv, cb->data, cb->len, room, &glen);
            cb->gz_made = 1;
            if (g) {
                cached_body *gz = realloc(g, room + glen);
                if (!gz) gz = (cached_body *)(void *)g;
                gz->refs = 1;
                gz->in_cache = 0;
                gz->gz_made = 1;
                gz->gz = NULL;
                gz->len = glen;
                cb->gz = gz;
                if (cb->in_cache) srv->cache_bytes += glen;
            }
        }
        if (!cb->gz) return ENC_IDENTITY;
        *body = cb->gz->data;
        *len = cb->gz->len;
        return ENC_GZIP;
    }
    size_t glen = 0;
    char *g = gzip_make(srv, *body, *len, 0, &glen);
    if (!g) return ENC_IDENTITY;
    free(p->body);
    p->body = g;
    p->len = glen;
    *body = g;
    *len = glen;
    return ENC_GZIP;
}

/* Writes p's reply (taking over its body) and finishes the request unless the socket is
 * full. from_loop: called outside the connection's own processing (a batch commit), so the
 * connection's next request is looked at here. */
static void reply_send(pj_server *srv, reply *p, int from_loop)
{
    conn *c = p->c;
    size_t len = p->cached ? p->cached->len : p->len;
    const char *body = p->cached ? p->cached->data : p->body;
    if (!body) body = "{}", len = 2;
    int head_only = strcmp(c->head.method, "HEAD") == 0;
    /* a HEAD's head is a GET's: its Content-Length that of the gzip a GET would be sent */
    int enc = reply_encode(srv, c, p, &body, &len);
    /* the access line counts the body bytes sent: none for HEAD and 204 */
    if (srv->opts.access_log)
        access_line(srv, p, c->head.target, head_only || p->status == 204 ? 0 : len);
    conn_send(srv, c, p, body, len, head_only, enc);
    /* the connection keeps the body alive until it is written */
    if (p->cached) {
        c->own_cached = p->cached;
        p->cached = NULL;
    } else {
        c->own_body = p->body;
        p->body = NULL;
    }
    int rc = conn_write(c);
    if (rc <= 0) return;
    int closing = c->closing;
    conn_reply_done(c);
    if (from_loop && !closing) {
        /* requests already buffered are handled from the read callback, not inside the
         * batch commit that called this */
        conn_read_on(c, 1);
        if (c->in_len) event_active(c->ev_read, EV_READ, 1);
    }
}

static void reply_free(reply *p)
{
    free(p->body);
    if (p->cached) body_unref(p->cached);
    free(p->extra);
    free(p);
}

/* Makes p an error answer: e's status and the error shape, nothing of what it held before
 * (body, cached body, cookies and other extra headers, content type). */
static void reply_error(reply *p, const pj_err *e)
{
    free(p->body);
    free(p->extra);
    p->extra = NULL;
    if (p->cached) body_unref(p->cached);
    p->cached = NULL;
    p->ctype = NULL;
    p->cache = 0;
    p->is_static = 0;
    pj_buf b;
    pj_buf_init(&b, 1 << 16);
    put_error(&b, e, p->rid);
    p->body = b.data;
    p->len = b.len;
    p->status = e->status ? e->status : 500;
}

/* Commits the open batch, then answers every request that waited for it; if the commit
 * failed, none of their writes happened and each gets an error instead. */
static void batch_flush(pj_server *srv)
{
    if (!pj_db_batch_active(srv->db)) return;
    pj_err err;
    pj_err_clear(&err);
    int ok = pj_db_batch_close(srv->db, &err) == 0;
    pj_plan_pool_release(srv->plans, ok);
    srv->batches++;
    srv->batched += (uint64_t)srv->npending;
    reply *p = srv->pending;
    srv->pending = NULL;
    srv->pending_tail = &srv->pending;
    srv->npending = 0;
    while (p) {
        reply *next = p->next;
        if (ok && p->wait_plan) {
            /* the plan is saved: its answer waits for the outcome */
            p->next = srv->waiters;
            srv->waiters = p;
            p = next;
            continue;
        }
        if (!ok && p->status < 400) { /* a refused request wrote nothing: its answer stands */
            pj_err e;
            pj_err_clear(&e);
            pj_fail(&e, 503, "commit_failed", "",
                    "the write could not be made durable (%s); nothing was changed, try again",
                    err.code);
            reply_error(p, &e);
        }
        reply_send(srv, p, 1);
        reply_free(p);
        p = next;
    }
}

static void on_batch(evutil_socket_t fd, short what, void *arg)
{
    batch_flush(arg);
}

/* The session token of a request: the Authorization header's, else the pj_session cookie's
 * (*by_cookie set then), looked for in every Cookie header. NULL with err set (400
 * bad_header) when the request names its session twice: two Authorization headers, or,
 * without a Bearer one, pj_session cookies of different values (the same value twice is one
 * session). */
static const char *bearer(const pj_head *in, int *by_cookie, pj_err *err)
{
    *by_cookie = 0;
    const char *auth = NULL, *ck = NULL;
    size_t ckn = 0;
    int ck_differ = 0;
    for (int i = 0; i < in->nh; i++) {
        const char *name = in->h[i].name, *v = in->h[i].value;
        if (!strcasecmp(name, "Authorization")) {
            if (auth) {
                pj_fail(err, 400, "bad_header", "Authorization",
                        "more than one Authorization header");
                return NULL;
            }
            auth = v;
        } else if (!strcasecmp(name, "Cookie")) {
            for (const char *p = strstr(v, "pj_session="); p; p = strstr(p + 1, "pj_session=")) {
                if (p != v && p[-1] != ' ' && p[-1] != ';') continue;
                const char *t = p + 11;
                size_t n = strcspn(t, "; ");
                if (ck && (n != ckn || memcmp(ck, t, n))) ck_differ = 1;
                ck = t, ckn = n;
            }
        }
    }
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0) return auth + 7;
    if (ck_differ) {
        pj_fail(err, 400, "bad_header", "Cookie", "pj_session cookies of different values");
        return NULL;
    }
    static __thread char tok[80];
    if (!ck || ckn >= sizeof tok) return NULL;
    memcpy(tok, ck, ckn);
    tok[ckn] = 0;
    *by_cookie = 1;
    return tok;
}

static int serve_static(pj_server *srv, pj_req *r, char **extra);

/* Resolves the bearer token into the actor, from the session cache when still valid. */
static int session(pj_server *srv, pj_req *r, uint64_t gen)
{
    const char *tok = r->token;
    int64_t now = pj_now();
    /* a cached session's activity is not recorded: a tenth of the idle time at most, so that
     * with pj_auth_session's step a busy session never looks idle for long */
    int ttl = srv->opts.settings.session_idle_s / 10;
    if (ttl > 30) ttl = 30;
    sess_entry *e = NULL;
    if (tok && strlen(tok) < sizeof e->token) {
        e = &srv->sess[hash_str(tok) % SESS_SLOTS];
        if (e->gen == gen && now - e->checked_at < ttl && !strcmp(e->token, tok)) {
            r->ctx.actor = e->actor;
            r->ctx.actor.username = e->username;
            return 0;
        }
    }
    if (pj_auth_session(&r->ctx, tok, &r->err)) return -1;
    /* a HEAD's check is not kept: it did not record the activity, and a GET taken from the
     * cache after it would not either */
    if (e && ttl > 0 && !r->ctx.unsent) {
        snprintf(e->token, sizeof e->token, "%s", tok);
        snprintf(e->username, sizeof e->username, "%s", r->ctx.actor.username);
        e->actor = r->ctx.actor;
        e->checked_at = now;
        /* the touch of last_seen may have committed: take the generation after it */
        e->gen = pj_db_generation(srv->db, 0);
        if (e->gen != gen) e->token[0] = 0;
    }
    return 0;
}

/* The database generation a request's cached session and response are judged by: other
 * processes' writes are looked for at most every cache_check_ms. */
static uint64_t request_gen(pj_server *srv)
{
    int64_t ms = pj_now_ms();
    int check = ms - srv->others_checked_ms >= srv->opts.cache_check_ms;
    /* a plan the planner's worker finished is a write by another connection: see it now */
    uint64_t pc = pj_plan_pool_commits(srv->plans);
    if (pc != srv->plan_commits_seen) srv->plan_commits_seen = pc, check = 1;
    if (check) srv->others_checked_ms = ms;
    return pj_db_generation(srv->db, check);
}

/* The session and role check of a route that needs a login, made as soon as the head is
 * parsed: a request nobody may make is refused before its body is read (and held). */
static int early_auth(pj_server *srv, conn *c, const pj_route *rt, pj_err *err)
{
    pj_req r;
    memset(&r, 0, sizeof r);
    r.head = &c->head;
    r.arena = srv->arena;
    r.ctx.db = srv->db;
    r.ctx.arena = &r.arena;
    r.ctx.settings = &srv->opts.settings;
    r.ctx.unsent = !strcmp(c->head.method, "HEAD");
    int by_cookie;
    r.token = r.ctx.token = bearer(&c->head, &by_cookie, &r.err);
    int rc = 0;
    if (r.err.status || session(srv, &r, request_gen(srv))) {
        *err = r.err;
        rc = -1;
    } else if (!(rt->roles & R(r.ctx.actor.role))) {
        pj_fail(err, 403, "forbidden", "", "role %s may not call %s %s",
                pj_role_name(r.ctx.actor.role), rt->method, rt->path);
        rc = -1;
    }
    pj_arena_reset(&r.arena);
    srv->arena = r.arena;
    return rc;
}

/* host[:port] of an Origin ("http://h:p"), without the scheme's default port, into out. */
static void origin_host(const char *origin, char *out, size_t size)
{
    const char *p = strstr(origin, "://");
    if (!p) {
        copy_str(out, size, "");
        return;
    }
    int https = p - origin == 5 && !strncasecmp(origin, "https", 5);
    copy_str(out, size, p + 3);
    size_t n = strlen(out);
    const char *dflt = https ? ":443" : ":80";
    size_t dl = strlen(dflt);
    if (n > dl && !strcmp(out + n - dl, dflt)) out[n - dl] = 0;
}

/* 1 when a Host header value names host[:port] hp (the default ports of http and https
 * left out of either). */
static int same_host(const char *host, const char *hp)
{
    if (!host) return 0;
    size_t n = strlen(host), m = strlen(hp);
    if (n == m && !strncasecmp(host, hp, n)) return 1;
    /* "h:80" / "h:443" against "h" */
    if (n > m && !strncasecmp(host, hp, m) &&
        (!strcmp(host + m, ":80") || !strcmp(host + m, ":443")))
        return !strchr(hp + (hp[0] == '[' ? strcspn(hp, "]") : 0), ':');
    return 0;
}

/* A write made with the session cookie, and a log-in or log-out, must come from the server's
 * own pages: a Sec-Fetch-Site header must say same-origin (the browser vouches for it: the
 * Origin is not compared then, so a proxy that rewrites Host does not matter) or none (typed
 * by the user); without one, an Origin header must name the Host (or X-Forwarded-Host).
 * Headers a browser does not send are not asked for (curl, scripts). */
static int cookie_origin_ok(const pj_head *in)
{
    const char *site = pj_head_get(in, "Sec-Fetch-Site");
    if (site && !strcasecmp(site, "same-origin")) return 1;
    if (site && strcasecmp(site, "none")) return 0;
    const char *origin = pj_head_get(in, "Origin");
    if (!origin) return 1;
    char hp[256];
    origin_host(origin, hp, sizeof hp);
    if (!hp[0] || strchr(hp, '/')) return 0;
    return same_host(pj_head_get(in, "Host"), hp) ||
           same_host(pj_head_get(in, "X-Forwarded-Host"), hp);
}

/* 1 when a content type is one a page may send to another site without asking first (a
 * form's, or text/plain): never accepted with the session cookie. */
static int simple_ct(const char *ct)
{
    static const char *const simple[] = {"text/plain", "application/x-www-form-urlencoded",
                                         "multipart/form-data", NULL};
    for (int i = 0; simple[i]; i++) {
        size_t n = strlen(simple[i]);
        if (!strncasecmp(ct, simple[i], n) && (!ct[n] || ct[n] == ';' || ct[n] == ' ')) return 1;
    }
    return 0;
}

/* The log-in throttle of a client address: 0 when an attempt may go on (and with take, it
 * counts), else the seconds until the next one may. */
static login_bucket *login_slot(pj_server *srv, const char *addr)
{
    uint64_t h = srv->login_seed;
    for (const char *p = addr; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return &srv->logins[h % (uint64_t)srv->login_slots];
}

/* The log-in attempts of a client address lately, as the ms until its throttle's bucket is
 * full again (0: none; and without the throttle). */
static int64_t login_debt_ms(pj_server *srv, const char *addr, int64_t now)
{
    if (!srv->logins) return 0;
    int64_t full = login_slot(srv, addr)->full_at_ms;
    return full > now ? full - now : 0;
}

static int login_wait_s(pj_server *srv, const char *addr, int take)
{
    if (!srv->logins) return 0;
    login_bucket *b = login_slot(srv, addr);
    int64_t now = pj_now_ms();
    /* the bucket holds (now - full_at) / EVERY + BURST attempts, at most BURST */
    if (b->full_at_ms < now) b->full_at_ms = now;
    int64_t next = b->full_at_ms + LOGIN_EVERY_MS;
    if (next - now > (int64_t)LOGIN_BURST * LOGIN_EVERY_MS)
        return (int)((next - now - (int64_t)LOGIN_BURST * LOGIN_EVERY_MS + 999) / 1000);
    if (take) b->full_at_ms = next;
    return 0;
}

/* The response cache's key of a target: the path and its query parameters as sent, except
 * those whose names begin with '_' (cache-busting; the handlers ignore them), so that such a
 * parameter cannot make every request a miss. */
static const char *cache_key(pj_arena *a, const char *target)
{
    size_t tlen = strcspn(target, "#");
    size_t plen = strcspn(target, "?#");
    if (plen >= tlen) return pj_arena_strndup(a, target, tlen);
    char *k = pj_arena_strndup(a, target, tlen), *q = k + plen;
    const char *p = target + plen + 1, *end = target + tlen;
    char sep = '?';
    while (p < end) {
        const char *e = memchr(p, '&', (size_t)(end - p));
        if (!e) e = end;
        int skip = e == p || *p == '_' ||
                   (e - p >= 3 && p[0] == '%' && p[1] == '5' && (p[2] == 'F' || p[2] == 'f'));
        if (!skip) {
            *q++ = sep;
            memcpy(q, p, (size_t)(e - p));
            q += e - p;
            sep = '&';
        }
        p = e + 1;
    }
    *q = 0;
    return k;
}

/* A request of c's head as handlers see it, before the route's part. */
static void req_init(pj_server *srv, pj_req *r, conn *c)
{
    memset(r, 0, sizeof *r);
    r->head = &c->head;
    /* one arena serves every request in turn: its first block is reused, not allocated and
     * freed per request */
    r->arena = srv->arena;
    pj_buf_init(&r->out, 64 << 20);
    pj_jw_init(&r->w, &r->out);
    r->ctx.db = srv->db;
    r->ctx.arena = &r->arena;
    r->ctx.settings = &srv->opts.settings;
    r->ctx.request_id = r->request_id;
    r->method = c->head.method;
    r->ctx.unsent = r->method[0] == 'H' && !strcmp(r->method, "HEAD");
    r->secure_cookies = srv->opts.secure_cookies;
    r->status = 200;
}

static void req_release(pj_server *srv, pj_req *r)
{
    if (r->body) json_decref(r->body);
    pj_buf_free(&r->out);
    pj_arena_reset(&r->arena);
    srv->arena = r->arena;
}

/* The reply of a handled request (its body and extra header lines taken over). */
static reply *reply_of(conn *c, pj_req *r, char *extra, int64_t t0)
{
    reply *p = calloc(1, sizeof *p);
    if (!p) abort();
    p->c = c;
    p->status = r->status;
    p->body = r->out.data; /* ownership moves to the reply */
    p->len = r->out.len;
    r->out.data = NULL;
    p->cached = r->cached;
    if (p->cached) p->cached->refs++;
    if (r->set_cookie) {
        char *x = NULL;
        if (asprintf(&x, "%sSet-Cookie: %s\r\n", extra ? extra : "", r->set_cookie) < 0) abort();
        free(extra);
        extra = x;
    }
    if ((r->status == 429 || r->status == 503) && r->err.retry_after > 0 &&
        !(extra && strstr(extra, "Retry-After:"))) { /* a limit of the handler's (pj_err) */
        char *x = NULL;
        if (asprintf(&x, "%sRetry-After: %d\r\n", extra ? extra : "", r->err.retry_after) < 0)
            abort();
        free(extra);
        extra = x;
    }
    p->extra = extra;
    p->ctype = r->status < 300 ? r->content_type : NULL;
    p->t0 = t0;
    copy_str(p->rid, sizeof p->rid, r->request_id);
    copy_str(p->method, sizeof p->method, r->method);
    /* the account the request acted for: a failed log-in acted for none, and the name it
     * tried (a password typed in the wrong field, often) stays in its audit row alone */
    copy_str(p->user, sizeof p->user, r->ctx.actor.user_id ? r->ctx.actor.username : NULL);
    return p;
}

/* Sends p now, or lets it wait: for its plan's outcome, or for the open batch's commit.
 * from_loop: as reply_send's. */
static void reply_route(pj_server *srv, reply *p, int from_loop)
{
    if (p->wait_plan && !pj_db_batch_active(srv->db)) {
        /* answered at the plan's outcome */
        p->next = srv->waiters;
        srv->waiters = p;
    } else if (pj_db_batch_active(srv->db)) {
        /* answered once the batch is durable */
        *srv->pending_tail = p;
        srv->pending_tail = &p->next;
        srv->npending++;
    } else {
        reply_send(srv, p, from_loop);
        reply_free(p);
    }
}

/* The answer when the workers hold all the work they may: 503 busy, Retry-After; the
 * password workers' or (report) the report workers'. */
static void workers_busy(pj_err *e, char **extra, int report)
{
    if (report)
        pj_fail(e, 503, "busy", "", "too many reports are waiting to be run; try again in %d s",
                REPORT_BUSY_S);
    else
        pj_fail(e, 503, "busy", "",
                "too many passwords are waiting to be checked or hashed; try again in %d s",
                LOGIN_BUSY_S);
    if (asprintf(extra, "Retry-After: %d\r\n", report ? REPORT_BUSY_S : LOGIN_BUSY_S) < 0)
        *extra = NULL;
}

/* The reports of user waiting or running. */
static int user_reports(const pj_server *srv, int64_t user)
{
    int n = 0;
    for (int i = 0; i < srv->nreport_users; i++) n += srv->report_users[i] == user;
    return n;
}

/* p's work is back from the workers (done, or never run): it no longer counts for its
 * address (a password's) or its user (a report's). */
static void work_uncount(pj_server *srv, reply *p)
{
    if (!p->report) {
        p->c->bill->checking--;
        if (p->check_prev)
            p->check_prev->check_next = p->check_next;
        else
            srv->checks = p->check_next;
        if (p->check_next) p->check_next->check_prev = p->check_prev;
        p->check_prev = p->check_next = NULL;
        p->work = NULL;
        return;
    }
    for (int i = 0; i < srv->nreport_users; i++)
        if (srv->report_users[i] == p->report_user) {
            srv->report_users[i] = srv->report_users[--srv->nreport_users];
            return;
        }
}

/* 1 when the password check of p (of address pa, attempts lately pd) would rather give way to
 * a newcomer's than q's (qa, qd): its address holds more places, or as many and has made more
 * attempts lately; of one address, the later check. */
static int check_before(const reply *p, const addr_count *pa, int64_t pd, const reply *q,
                        const addr_count *qa, int64_t qd)
{
    if (pa->checking != qa->checking) return pa->checking > qa->checking;
    if (pd != qd) return pd > qd;
    return p->work->tag > q->work->tag;
}

/* With the workers' queue full, a newcomer from address a (attempts lately: debt ms) asks a
 * waiting check to give way (see LOGIN_QUEUE): the latest of the address holding the most
 * places, when it holds more than a will with the newcomer, or as many and has made at least
 * one more attempt lately (so that addresses alike do not take each other's places). The check
 * given way is taken back and answered 503 busy. 0 when one gave way, -1 when none does. */
static int check_evict(pj_server *srv, addr_count *a, int64_t debt)
{
    int64_t now = pj_now_ms();
    for (;;) {
        reply *v = NULL;
        int64_t vdebt = 0;
        for (reply *q = srv->checks; q; q = q->check_next) {
            addr_count *qa = q->c->bill;
            if (qa == a || q->started) continue;
            int64_t qd = login_debt_ms(srv, qa->addr, now);
            if (!v || check_before(q, qa, qd, v, v->c->bill, vdebt)) {
                v = q;
                vdebt = qd;
            }
        }
        if (!v) return -1;
        int places = v->c->bill->checking;
        if (places < a->checking + 1 ||
            (places == a->checking + 1 && vdebt < debt + LOGIN_EVERY_MS))
            return -1;
        pj_work *w = v->work;
        if (pj_workq_remove(srv->workers, w)) { /* a worker took it meanwhile */
            v->started = 1;
            continue;
        }
        work_uncount(srv, v);
        w->free(w);
        pj_err e;
        pj_err_clear(&e);
        pj_fail(&e, 503, "busy", "",
                "too many passwords are waiting to be checked or hashed, the most of them from "
                "this client address; this one gave way to another address's; try again in %d s",
                LOGIN_BUSY_S);
        reply_error(v, &e);
        if (asprintf(&v->extra, "Retry-After: %d\r\n", LOGIN_BUSY_S) < 0) v->extra = NULL;
        reply_route(srv, v, 1); /* another connection's: its next request is looked at */
        return 0;
    }
}

/* Hands p's password work w to the workers in its address's turn (see LOGIN_QUEUE), a check
 * of another address giving way to it when the queue is full (check_evict): 0, or -1 when
 * they take no more (w is still the caller's). login: a log-in's, whose attempt will count. */
static int check_hand(pj_server *srv, reply *p, pj_work *w, int login)
{
    addr_count *a = p->c->bill;
    int64_t started = pj_workq_started_tag(srv->workers);
    int64_t debt = login_debt_ms(srv, a->addr, pj_now_ms());
    if (login && srv->logins) debt += LOGIN_EVERY_MS; /* this attempt's */
    if (a->checking) {
        /* the next one of an address with some: after one more of each other address; and
         * its first, while it waits, no longer goes before the other addresses' (a burst of
         * guesses from a new address is not a newcomer's log-in) */
        for (reply *q = srv->checks; q; q = q->check_next)
            if (q->c->bill == a && !q->started && q->work->tag < started) {
                if (pj_workq_retag(srv->workers, q->work, started)) q->started = 1;
            }
        w->tag = (a->last_tag > started ? a->last_tag : started) + 1;
    } else {
        /* an address with none goes before every address's next, and the fewer attempts it
         * made lately (of the throttle's LOGIN_BURST), the more turns ahead: a guesser that
         * has spent its burst comes after a newcomer that has not */
        int64_t ahead =
            srv->logins ? ((int64_t)LOGIN_BURST * LOGIN_EVERY_MS - debt) / LOGIN_EVERY_MS : 0;
        w->tag = started - 1 - (ahead > 0 ? ahead : 0);
    }
    if (pj_workq_full(srv->workers) && !srv->stopping && check_evict(srv, a, debt)) return -1;
    if (pj_workq_add(srv->workers, w)) return -1;
    a->checking++;
    a->last_tag = w->tag;
    p->work = w;
    p->started = 0;
    p->check_prev = NULL;
    p->check_next = srv->checks;
    if (srv->checks) srv->checks->check_prev = p;
    srv->checks = p;
    return 0;
}

/* Hands r's work to the workers (a report's to the report workers); its reply p waits for
 * it (work_done answers it). A report of a user who has REPORTS_PER_USER with the workers
 * already is answered 429 at once; when the workers take no more, p is answered 503 busy at
 * once; a log-in's (login) attempt counts against the throttle only when they take it. */
static void work_hand(pj_server *srv, reply *p, pj_req *r, int login)
{
    pj_work *w = r->work;
    if (r->status < 300) {
        w->owner = p;
        p->then = r->then;
        p->report = r->report;
        p->report_user = r->ctx.actor.user_id;
        pj_err e;
        pj_err_clear(&e);
        char *extra = NULL;
        if (p->report && user_reports(srv, p->report_user) >= REPORTS_PER_USER) {
            pj_fail(&e, 429, "too_many_requests", "",
                    "you have %d reports waiting or running; ask again once one is answered "
                    "(try again in %d s)",
                    REPORTS_PER_USER, REPORT_BUSY_S);
            if (asprintf(&extra, "Retry-After: %d\r\n", REPORT_BUSY_S) < 0) extra = NULL;
        } else if (p->report && srv->nreport_users >= srv->report_users_max) {
            workers_busy(&e, &extra, 1); /* the pool's bound, counting those done not taken */
        } else if (p->report ? pj_workq_add(srv->reports, w) == 0
                             : check_hand(srv, p, w, login) == 0) { /* a password of the address */
            if (p->report) srv->report_users[srv->nreport_users++] = p->report_user;
            if (login) login_wait_s(srv, p->c->bill->addr, 1);
            return;
        } else
            workers_busy(&e, &extra, r->report);
        reply_error(p, &e);
        p->extra = extra;
    }
    w->free(w);
    reply_route(srv, p, p->c->resumed);
}

static int parkable(pj_server *srv, const pj_err *e, uint64_t busy0, int64_t changes0,
                    int64_t since);
static void park_work(pj_server *srv, pj_work *w);

/* Answers the request whose work w is done: then() as its handler on the loop, its writes in
 * the open batch (or a new one) like any request's, the reply sent once that is durable (a
 * report's then writes nothing: it opens no batch, and waits only for one already open, as a
 * read does). A request made in a session acts for the session as it is now (401 when it has
 * ended meanwhile, or its user was disabled). */
static void work_done(pj_server *srv, pj_work *w)
{
    reply *p = w->owner;
    conn *c = p->c; /* busy, so open, while its reply waits */
    if (!p->uncounted) work_uncount(srv, p);
    p->uncounted = 1;
    if (srv->stopping) c->closing = 1; /* as every answer given while stopping */
    pj_req r;
    req_init(srv, &r, c);
    copy_str(r.request_id, sizeof r.request_id, p->rid);
    r.ctx.client = c->client;
    r.ctx.client_key = c->bill->addr;
    int rc = 0;
    if (p->session) {
        int by_cookie; /* the head is c's until the reply is sent (and was taken then) */
        r.token = bearer(&c->head, &by_cookie, &r.err);
        r.ctx.token = r.token;
        rc = session(srv, &r, request_gen(srv));
    }
    if (!rc && !p->report && !pj_db_batch_active(srv->db)) {
        uint64_t busy0 = pj_db_busy_count(srv->db);
        if (pj_db_batch_open(srv->db, &r.err) == 0)
            event_active(srv->ev_batch, 0, 0);
        else if (parkable(srv, &r.err, busy0, pj_db_total_changes(srv->db), p->park_since)) {
            /* the write lock is another program's: then() is run once it is free */
            req_release(srv, &r);
            park_work(srv, w);
            return;
        }
        pj_err_clear(&r.err); /* without a batch, then's writes commit on their own */
    }
    if (!rc) rc = p->then(&r, w);
    w->free(w);
    if (rc) write_error(&r);
    reply *q = reply_of(c, &r, NULL, p->t0);
    reply_free(p);
    reply_route(srv, q, 1);
    req_release(srv, &r);
}

/* Answers the requests whose work on pool q is done, in that order. */
static void work_take(pj_server *srv, pj_workq *q)
{
    for (pj_work *w = pj_workq_take(q), *n; w; w = n) {
        n = w->next;
        work_done(srv, w);
    }
}

/* The password workers' notification, and the report workers'. */
static void on_work(evutil_socket_t fd, short what, void *arg)
{
    pj_server *srv = arg;
    work_take(srv, srv->workers);
}
static void on_reports(evutil_socket_t fd, short what, void *arg)
{
    pj_server *srv = arg;
    work_take(srv, srv->reports);
}

/* Answers p at a stop: 503 with the code and message, and the connection closes after. */
static void reply_stopped(pj_server *srv, reply *p, const char *code, const char *message)
{
    pj_err e;
    pj_err_clear(&e);
    pj_fail(&e, 503, code, "", "%s", message);
    reply_error(p, &e);
    p->c->closing = 1;
    reply_send(srv, p, 0);
    reply_free(p);
}

/* Answers 503 stopping the request whose work w was never run (the caller's again). */
static void work_unrun(pj_server *srv, pj_work *w)
{
    reply *p = w->owner;
    work_uncount(srv, p);
    w->free(w);
    reply_stopped(srv, p, "stopping", "the server is stopping");
}

/* Stops the pool *q (the work running is asked to end, and finishes) and answers what waited
 * for it: work done as usual, work never started 503 stopping. */
static void pool_stop(pj_server *srv, pj_workq **q, struct event **ev)
{
    if (*ev) event_free(*ev); /* before the pool closes its descriptor */
    *ev = NULL;
    pj_work *w = pj_workq_stop(*q);
    *q = NULL;
    for (pj_work *n; w; w = n) {
        n = w->next;
        if (w->ran)
            work_done(srv, w);
        else
            work_unrun(srv, w);
    }
}

/* Stops the password workers (a check running finishes) and the report workers (a report
 * running is interrupted), answering what waited for them. */
static void work_stop(pj_server *srv)
{
    pool_stop(srv, &srv->workers, &srv->ev_work);
    pool_stop(srv, &srv->reports, &srv->ev_reports);
}

/* ---- waiting for the write lock ----
 *
 * The server's connection does not wait for a lock another connection holds (busy timeout 0):
 * its thread is the event loop, and every other request would wait with it. A write whose
 * transaction cannot begin (BEGIN IMMEDIATE answers SQLITE_BUSY: nothing done yet), or a read
 * whose audit row cannot be written, is parked instead: its connection stays busy (requests
 * behind it on the connection wait, in order), and it is tried again from the start on a timer
 * (5 ms, doubling up to PARK_MAX_MS), in the order they were parked, while other requests are
 * answered. Once lock_wait_ms (LOCK_WAIT_MS by default, what the busy timeout was) has passed
 * since its first attempt, the attempt's 503 busy (Retry-After) is the answer; at a stop, 503
 * stopping. The batch's COMMIT needs no lock it does not hold already (WAL: the BEGIN
 * IMMEDIATE took the write lock), and the automatic checkpoint after it is a PASSIVE one,
 * which never waits (SQLite calls no busy handler for it). Reads take no lock to wait for. */
#define LOCK_WAIT_MS 5000
#define PARK_MIN_MS  5
#define PARK_MAX_MS  50

static int lock_wait_ms(const pj_server *srv)
{
    return srv->opts.lock_wait_ms > 0 ? srv->opts.lock_wait_ms : LOCK_WAIT_MS;
}

/* Whether an attempt that failed with *e may be parked: it found a lock held (busy0: the
 * connection's count before it), wrote nothing (changes0), and may wait longer (since: its
 * first attempt's time, 0 for this one). */
static int parkable(pj_server *srv, const pj_err *e, uint64_t busy0, int64_t changes0,
                    int64_t since)
{
    return e->status == 503 && pj_db_busy_count(srv->db) != busy0 &&
           pj_db_total_changes(srv->db) == changes0 && !srv->stopping &&
           (!since || pj_now_ms() - since < lock_wait_ms(srv));
}

static void park_arm(pj_server *srv)
{
    if (!srv->park_ms) srv->park_ms = PARK_MIN_MS;
    if (evtimer_pending(srv->ev_park, NULL)) return;
    struct timeval tv = {0, (suseconds_t)srv->park_ms * 1000};
    evtimer_add(srv->ev_park, &tv);
}

/* Parks c's request (t0, rid: its first attempt's) at the end of the queue. */
static void park_conn(pj_server *srv, conn *c, int64_t t0, const char *rid)
{
    if (!c->park_since) {
        c->park_since = pj_now_ms();
        c->park_t0 = t0;
        copy_str(c->park_rid, sizeof c->park_rid, rid);
    }
    c->parked = 1;
    c->park_next = NULL;
    *srv->parked_tail = c;
    srv->parked_tail = &c->park_next;
    park_arm(srv);
}

static void park_work(pj_server *srv, pj_work *w)
{
    reply *p = w->owner;
    if (!p->park_since) p->park_since = pj_now_ms();
    w->next = NULL;
    *srv->parked_work_tail = w;
    srv->parked_work_tail = &w->next;
    park_arm(srv);
}

/* 1 when c's client has closed its side of the connection (an orderly close or a reset). */
static int peer_closed(conn *c)
{
    if (c->peer_eof) return 1;
    char b;
    ssize_t n = recv(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

/* Tries c's parked request again (from the timer: c's next requests are taken up as after a
 * batch's commit). c may be gone after it. A client that has closed its connection while its
 * write waited (its timeout shorter than the wait, a proxy that gave up) is not answered and
 * its write is not made: made then, no one would be told of it, and the client's retry would
 * make it twice. */
static void park_resume(pj_server *srv, conn *c)
{
    if (peer_closed(c)) {
        pj_log(PJ_LOG_WARN,
               "http: %s: the client closed its connection while its write waited for the"
               " database lock: not made",
               c->park_rid);
        conn_free(c);
        return;
    }
    c->in_process = 1;
    c->resumed = 1;
    size_t cl = c->head.content_length > 0 ? (size_t)c->head.content_length : 0;
    handle(srv, c, c->in + c->head.head_len, cl);
    c->resumed = 0;
    c->in_process = 0;
    if (c->dead) conn_free(c);
}

static void on_park(evutil_socket_t fd, short what, void *arg)
{
    pj_server *srv = arg;
    conn *list = srv->parked;
    pj_work *works = srv->parked_work;
    srv->parked = NULL;
    srv->parked_tail = &srv->parked;
    srv->parked_work = NULL;
    srv->parked_work_tail = &srv->parked_work;
    for (conn *n; list; list = n) {
        n = list->park_next;
        list->parked = 0;
        park_resume(srv, list);
    }
    for (pj_work *n; works; works = n) {
        n = works->next;
        work_done(srv, works);
    }
    if (srv->parked || srv->parked_work) {
        srv->park_ms = srv->park_ms * 2 > PARK_MAX_MS ? PARK_MAX_MS : srv->park_ms * 2;
        park_arm(srv);
    } else
        srv->park_ms = 0;
}

/* At a stop: every parked request is answered 503 stopping, its writes never made. */
static void park_stop(pj_server *srv)
{
    if (srv->ev_park) evtimer_del(srv->ev_park);
    while (srv->parked) {
        conn *c = srv->parked;
        srv->parked = c->park_next;
        c->parked = 0;
        pj_req r;
        req_init(srv, &r, c);
        copy_str(r.request_id, sizeof r.request_id, c->park_rid);
        pj_fail(&r.err, 503, "stopping", "", "the server is stopping");
        write_error(&r);
        reply *p = reply_of(c, &r, NULL, c->park_t0);
        c->park_since = 0;
        req_release(srv, &r);
        c->closing = 1;
        c->in_process = 1;
        reply_send(srv, p, 0);
        reply_free(p);
        c->in_process = 0;
        if (c->dead) conn_free(c);
    }
    srv->parked_tail = &srv->parked;
    while (srv->parked_work) {
        pj_work *w = srv->parked_work;
        srv->parked_work = w->next;
        reply *p = w->owner;
        w->free(w);
        reply_stopped(srv, p, "stopping", "the server is stopping");
    }
    srv->parked_work_tail = &srv->parked_work;
}

/* Answers the request at the head of c's input (its body: body[0..blen)). */
static void handle(pj_server *srv, conn *c, const char *body, size_t blen)
{
    int64_t t0 = c->park_since ? c->park_t0 : now_us();
    pj_req r;
    req_init(srv, &r, c);
    if (c->park_since)
        copy_str(r.request_id, sizeof r.request_id, c->park_rid);
    else
        make_rid(srv, r.request_id);
    uint64_t busy0 = pj_db_busy_count(srv->db);
    int64_t changes0 = pj_db_total_changes(srv->db);
    char *extra = NULL; /* more reply header lines */
    int cache_state = 0;
    int is_static = 0;

    /* origin-form target: path, then ?query, then a #fragment no client should send */
    const char *target = c->head.target;
    size_t tlen = strcspn(target, "#");
    size_t plen = strcspn(target, "?#");
    const char *rawq = plen < tlen ? target + plen + 1 : NULL;
    size_t qlen = rawq ? tlen - plen - 1 : 0;
    const pj_head *in = &c->head;
    const pj_route *hit = NULL;
    int path_known = 0;
    const char *id_seg = NULL;
    size_t id_len = 0;

    if (*target != '/' || !(r.path = pj_url_decode(&r.arena, target, plen, 0))) {
        pj_fail(&r.err, 400, "bad_path", "", "malformed request path");
        goto fail;
    }
    if (strncmp(r.path, "/api/", 5) != 0) {
        if (serve_static(srv, &r, &extra) == 0) {
            is_static = 1;
            goto done;
        }
        goto fail;
    }
    /* HEAD runs the GET route as GET does (checks, handler, headers); only the body is not
     * sent (reply_send) */
    hit = find_route(route_method(r.method), r.path, &id_seg, &id_len, &path_known);
    if (!hit) {
        if (path_known) {
            /* 405 names the methods the path has */
            extra = allow_line(r.path);
            pj_fail(&r.err, 405, "method_not_allowed", "", "%s is not allowed on %s", r.method,
                    r.path);
        } else
            pj_fail(&r.err, 404, "not_found", "", "no such endpoint: %s", r.path);
        goto fail;
    }
    if (id_seg) {
        char *s = pj_arena_strndup(&r.arena, id_seg, id_len);
        if (pj_parse_i64(s, &r.id) || r.id <= 0) {
            pj_fail(&r.err, 400, "bad_id", "id", "%s is not a valid id", s);
            goto fail;
        }
    }
    int by_cookie;
    r.token = bearer(in, &by_cookie, &r.err);
    if (r.err.status) goto fail;
    r.ctx.token = r.token;
    r.ctx.client = c->client;
    r.ctx.client_key = c->bill->addr;
    int is_write = strcmp(r.method, "GET") && strcmp(r.method, "HEAD");
    if ((hit->flags & PJ_ROUTE_LOGIN) || !strcmp(hit->path, "/api/v1/auth/logout")) {
        /* a page elsewhere may not log its visitor in or out, nor spend the log-in attempts
         * (and lock the names) of the visitor's address: the rule of cookie writes */
        if (!cookie_origin_ok(in)) {
            pj_fail(&r.err, 403, "cross_origin", "",
                    "a log-in or log-out from a browser must come from this server's own pages");
            goto fail;
        }
    }
    /* password checks and hashes are slow on purpose: a few at once per client address (log-ins,
     * password changes, users created with one), so that no address fills the workers' queue
     * for everyone */
    if ((hit->flags & (PJ_ROUTE_LOGIN | PJ_ROUTE_SECRET)) && srv->logins &&
        c->bill->checking >= LOGIN_CHECKS_PER_ADDR) {
        if (asprintf(&extra, "Retry-After: %d\r\n", LOGIN_BUSY_S) < 0) extra = NULL;
        pj_fail(&r.err, 429, "too_many_requests", "",
                "%d passwords from this address are being checked or hashed; try again in %d s",
                LOGIN_CHECKS_PER_ADDR, LOGIN_BUSY_S);
        goto fail;
    }
    if (hit->flags & PJ_ROUTE_LOGIN) {
        /* a log-in: a few per address over time (the throttle), before any. The handler's own
         * refusals (a bad body, a locked name) come next, and only then, for an attempt that
         * would be checked, the workers' queue: a locked name is 423 however full it is. The
         * attempt counts against the throttle unless the queue refuses it (503 busy, after the
         * handler). */
        int wait = login_wait_s(srv, c->bill->addr, 0);
        if (wait) {
            if (asprintf(&extra, "Retry-After: %d\r\n", wait) < 0) extra = NULL;
            pj_fail(&r.err, 429, "too_many_requests", "",
                    "too many log-in attempts from this address; try again in %d s", wait);
            goto fail;
        }
    }
    uint64_t gen = 0;
    if (hit->roles || (hit->flags & (PJ_ROUTE_SHARED | PJ_ROUTE_PER_USER))) gen = request_gen(srv);
    if (hit->roles) {
        if (session(srv, &r, gen)) goto fail;
        if (!(hit->roles & R(r.ctx.actor.role))) {
            pj_fail(&r.err, 403, "forbidden", "", "role %s may not call %s %s",
                    pj_role_name(r.ctx.actor.role), hit->method, hit->path);
            goto fail;
        }
        if (by_cookie && is_write && !cookie_origin_ok(in)) {
            pj_fail(&r.err, 403, "cross_origin", "",
                    "a write with the session cookie must come from this server's own pages");
            goto fail;
        }
    }
    /* a shared response from the cache needs nothing more than the role check above */
    const char *ckey = NULL;
    uint64_t ch = 0;
    if (hit->flags & (PJ_ROUTE_SHARED | PJ_ROUTE_PER_USER)) {
        ckey = cache_key(&r.arena, target);
        if (hit->flags & PJ_ROUTE_PER_USER)
            ckey = pj_arena_printf(&r.arena, "%s#user=%lld", ckey, (long long)r.ctx.actor.user_id);
        else if (hit->flags & PJ_ROUTE_PER_ROLE)
            ckey = pj_arena_printf(&r.arena, "%s#role=%d", ckey, (int)r.ctx.actor.role);
        ch = hash_str(ckey);
        cache_check(srv, gen);
        cache_entry *e = cache_get(srv, ckey, ch);
        if (e) {
            srv->cache_hits++;
            cache_state = 1;
            r.cached = e->body;
            goto done;
        }
        srv->cache_misses++;
        cache_state = 2;
    }
    if (rawq && pj_query_parse(&r.arena, rawq, qlen, &r.query, &r.nquery, &r.err)) goto fail;
    const char *ct = pj_head_get(in, "Content-Type");
    /* no Content-Type is taken for JSON, except with the session cookie (a browser's page
     * elsewhere could send such a body without asking) */
    int json_ct = (!ct && !by_cookie) || (ct && strncasecmp(ct, "application/json", 16) == 0 &&
                                          (!ct[16] || ct[16] == ';' || ct[16] == ' '));
    int upload = (hit->flags & PJ_ROUTE_UPLOAD) && !json_ct;
    if (by_cookie && upload && blen > 0 && (!ct || simple_ct(ct))) {
        pj_fail(&r.err, 415, "unsupported_media_type", "",
                "with the session cookie, send the file with its own content type");
        goto fail;
    }
    size_t body_max = !hit->roles ? PJ_PUBLIC_BODY_MAX : upload ? PJ_UPLOAD_MAX : PJ_BODY_MAX;
    if (blen > body_max) {
        pj_fail(&r.err, 413, "body_too_large", "", "the request body is larger than %zu bytes",
                body_max);
        goto fail;
    }
    if (upload && (blen > 0 || ct)) {
        /* an empty table sent as one is the table's error ("the table is empty"), not a
         * missing body */
        r.raw = blen > 0 ? body : "";
        r.raw_len = blen;
        r.raw_type = ct;
    } else if (blen > 0 && strcmp(hit->method, "GET") != 0 && strcmp(hit->method, "DELETE") != 0) {
        if (!json_ct) {
            pj_fail(&r.err, 415, "unsupported_media_type", "", "send application/json");
            goto fail;
        }
        if (pj_json_decode(body, blen, &r.body, &r.err)) goto fail;
    }
    /* a write sent again with its Idempotency-Key: answered as the first time, not done again
     * (http/idem.h). Not for the writes answered by the workers (log-ins, passwords). */
    pj_idem idem;
    int keyed = 0;
    if (is_write && hit->roles && !(hit->flags & (PJ_ROUTE_LOGIN | PJ_ROUTE_SECRET))) {
        keyed = pj_idem_take(in, r.method, target, tlen, body, blen, &r.arena, &idem, &r.err);
        if (keyed < 0) goto fail;
        int kept = keyed ? pj_idem_find(srv->db, r.ctx.actor.user_id, &idem, &r.status,
                                        &r.content_type, &r.out, &r.arena, &r.err)
                         : 0;
        if (kept < 0) goto fail;
        /* the answer kept: outside a batch it is committed and sent at once (it needs no write
         * lock, nor waits for another program's); inside one it may be this batch's own, and is
         * sent with the batch's answers once the batch is durable */
        if (kept) {
            if (asprintf(&extra, "Idempotent-Replayed: true\r\n") < 0) extra = NULL;
            goto done;
        }
    }
    if (is_write && !pj_db_batch_active(srv->db)) {
        /* a write behind parked ones waits its turn (the lock is most likely still held) */
        if (srv->parked && !c->resumed) goto park;
        /* group commit: writes handled in this turn of the loop share one commit */
        if (pj_db_batch_open(srv->db, &r.err)) goto fail;
        event_active(srv->ev_batch, 0, 0);
    }
    const char *stray = is_write ? param_not_taken(&r, hit, 1) : NULL;
    if (stray) {
        pj_fail(&r.err, 400, "unknown_parameter", stray, "unknown parameter %s", stray);
        goto fail;
    }
    /* a keyed write and its key are one: a savepoint around both (inside the batch) */
    if (keyed && pj_db_exec(srv->db, "SAVEPOINT pj_idem", &r.err)) goto fail;
    int handled = hit->fn(&r);
    if (keyed) {
        /* its answer kept with the write (the same group commit); a plan answered at its
         * outcome (?wait=1) is kept as accepted (202, the plan as submitted): its outcome is the
         * plan's. A write whose key could not be kept is undone: sent again, it would be made
         * twice */
        pj_err ke = {0};
        if (handled == 0 && !r.work && r.status >= 200 && r.status < 300 && !r.out.overflow &&
            pj_idem_keep(srv->db, r.ctx.actor.user_id, &idem, r.wait_plan ? 202 : r.status,
                         r.content_type, r.out.data, r.out.len, &ke)) {
            pj_error("idempotency key of %s not kept: %s; the write is undone", r.request_id,
                     ke.message);
            pj_db_exec(srv->db, "ROLLBACK TO pj_idem", NULL);
            pj_fail(&r.err, 500, "internal", "",
                    "the write could not keep its Idempotency-Key: nothing was written");
            r.wait_plan = 0;
            handled = -1;
        }
        pj_db_exec(srv->db, "RELEASE pj_idem", NULL);
    }
    if (handled == 0 && !is_write && (stray = param_not_taken(&r, hit, 0))) {
        pj_fail(&r.err, 400, "unknown_parameter", stray, "unknown parameter %s", stray);
        handled = -1;
        if (r.work) { /* a report's, not handed over */
            r.work->free(r.work);
            r.work = NULL;
        }
    }
    /* a log-in refused here counts; one handed to the workers counts once they take it */
    if ((hit->flags & PJ_ROUTE_LOGIN) && !(handled == 0 && r.work) &&
        !(handled && !r.work && parkable(srv, &r.err, busy0, changes0, c->park_since)))
        login_wait_s(srv, c->bill->addr, 1);
    if (handled == 0) {
        /* nothing written by the handler itself (e.g. the audit row of an unmasked read); and
         * the answer is there now, not to come from work handed off (never cached); not a
         * HEAD's, made without the audit rows a GET of it writes (unsent) */
        if (ckey && !r.work && !r.ctx.unsent && r.status == 200 && !r.out.overflow &&
            pj_db_generation(srv->db, 0) == gen)
            cache_put(srv, ckey, ch, r.out.data, r.out.len, r.ctx.valid_until);
        goto done;
    }
    goto fail;
fail:
    if (!r.work && parkable(srv, &r.err, busy0, changes0, c->park_since)) goto park;
    write_error(&r);
done:;
    c->park_since = 0;
    if (hit && (hit->flags & PJ_ROUTE_SECRET)) {
        /* passwords linger no longer than their request: the body's bytes (the input buffer
         * keeps them until the next request overwrites them) and its decoded strings */
        if (blen) sodium_memzero((char *)body, blen);
        pj_json_wipe(r.body);
    }
    reply *p = reply_of(c, &r, extra, t0);
    p->cache = cache_state;
    p->is_static = is_static && r.status < 300;
    if (r.wait_plan && r.status < 300) {
        p->wait_plan = r.wait_plan;
        p->wait_role = r.ctx.actor.role;
        p->wait_user_id = r.ctx.actor.user_id;
        p->wait_township = r.ctx.actor.township_id;
        p->wait_facility = r.ctx.actor.facility_id;
    }
    if (r.work) { /* answered when the work is done */
        p->session = hit->roles != 0;
        work_hand(srv, p, &r, (hit->flags & PJ_ROUTE_LOGIN) != 0);
    } else
        reply_route(srv, p, c->resumed);
    req_release(srv, &r);
    return;
park:
    /* tried again from the start: nothing of this attempt is kept (a password's decoded
     * strings are wiped; its bytes stay in the input until the request is answered) */
    if (hit && (hit->flags & PJ_ROUTE_SECRET)) pj_json_wipe(r.body);
    free(extra);
    park_conn(srv, c, t0, r.request_id);
    req_release(srv, &r);
}

/* ---- static console files ---- */

static const char *content_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot) return "application/octet-stream";
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html; charset=utf-8"},
                 {".js", "text/javascript; charset=utf-8"},
                 {".css", "text/css; charset=utf-8"},
                 {".json", "application/json"},
                 {".geojson", "application/geo+json"},
                 {".svg", "image/svg+xml"},
                 {".png", "image/png"},
                 {".ico", "image/x-icon"},
                 {".woff2", "font/woff2"},
                 {".woff", "font/woff"},
                 {".ttf", "font/ttf"},
                 {".map", "application/json"}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

static int serve_static(pj_server *srv, pj_req *r, char **extra)
{
    if (!srv->opts.web_dir) return pj_fail(&r->err, 404, "not_found", "", "no console installed");
    if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
        *extra = strdup(STATIC_ALLOW);
        return pj_fail(&r->err, 405, "method_not_allowed", "",
                       "a console file is only read (GET, HEAD)");
    }
    /* nothing hidden (a name starting with a dot: .git, .env, "..") and nothing outside the
     * directory: a symbolic link out of it is not followed (pj_open_beneath) */
    if (strstr(r->path, "/.") || strchr(r->path, '\\'))
        return pj_fail(&r->err, 404, "not_found", "", "no such file");
    const char *rel = r->path + 1;
    /* client-side routes (no extension) get the console's index page */
    const char *last = strrchr(r->path, '/');
    if (!*rel || !strchr(last, '.')) rel = "index.html";
    int dir = srv->web_fd - 1;
    /* a pre-compressed copy (made at build time) for clients that accept gzip */
    int gz = 0, fd = -1;
    if (pj_accept_gzip(r->head)) {
        fd = pj_open_beneath(dir, srv->opts.web_dir, pj_arena_printf(&r->arena, "%s.gz", rel));
        gz = fd >= 0;
    }
    if (fd < 0) fd = pj_open_beneath(dir, srv->opts.web_dir, rel);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        if (fd >= 0) close(fd);
        return pj_fail(&r->err, 404, "not_found", "", "no such file");
    }
    /* the console's files are small (the largest chunk is well under 1 MiB): read at once */
    pj_buf_reset(&r->out);
    size_t want = (size_t)st.st_size;
    while (r->out.len < want && !r->out.overflow) {
        char chunk[16384];
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        pj_buf_add(&r->out, chunk, (size_t)n);
    }
    close(fd);
    if (r->out.overflow || r->out.len != want)
        return pj_fail(&r->err, 500, "internal", "", "cannot read %s", rel);
    r->content_type = content_type(rel);
    if (asprintf(extra,
                 "%sVary: Accept-Encoding\r\nCache-Control: %s\r\n"
                 "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src "
                 "'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
                 "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors "
                 "'none'\r\nReferrer-Policy: same-origin\r\n",
                 gz ? "Content-Encoding: gzip\r\n" : "",
                 strncmp(rel, "assets/", 7) == 0 ? "public, max-age=31536000, immutable"
                                                 : "no-cache") < 0)
        *extra = NULL;
    return 0;
}

/* ---- reading requests ---- */

/* Answers a request that cannot be parsed or taken (with more header lines: extra, owned),
 * then closes the connection. */
static void conn_refuse_x(conn *c, const pj_err *e, char *extra)
{
    pj_server *srv = c->srv;
    reply *p = calloc(1, sizeof *p);
    if (!p) abort();
    make_rid(srv, p->rid);
    reply_error(p, e);
    p->extra = extra;
    p->c = c;
    p->t0 = now_us();
    copy_str(p->method, sizeof p->method, c->head.method ? c->head.method : "-");
    if (!c->head.method) c->head.method = "-";
    if (!c->head.target) c->head.target = "-";
    c->closing = 1;
    c->refused = 1;
    c->busy = 1;
    c->have_head = 0;
    c->req_len = 0;
    reply_send(srv, p, 0);
    reply_free(p);
}

static void conn_refuse(conn *c, const pj_err *e)
{
    conn_refuse_x(c, e, NULL);
}

/* Charges c's input room to the address a from now on (a reference of its own). */
static void conn_bill(conn *c, addr_count *a)
{
    if (a == c->bill) return;
    a->refs++;
    c->bill->buffered -= c->in_cap;
    a->buffered += c->in_cap;
    addr_put(c->srv, c->bill);
    c->bill = a;
}

/* The client of the request whose head was just parsed: the socket's address, or on a
 * connection from a trusted proxy the last address of X-Forwarded-For (the one the proxy
 * added; the last such header's), which is then charged with the connection's input room.
 * Anyone else's X-Forwarded-For is theirs to make up: ignored. */
static void conn_client(conn *c)
{
    pj_server *srv = c->srv;
    const char *xff = NULL;
    if (c->via_proxy)
        for (int i = 0; i < c->head.nh; i++)
            if (!strcasecmp(c->head.h[i].name, "X-Forwarded-For")) xff = c->head.h[i].value;
    char ip[48] = "", key[48];
    if (xff) {
        const char *p = strrchr(xff, ',');
        p = p ? p + 1 : xff;
        p += strspn(p, " \t");
        size_t n = strcspn(p, " \t");
        unsigned char tmp[sizeof(struct in6_addr)];
        if (n < sizeof ip) {
            memcpy(ip, p, n);
            ip[n] = 0;
        }
        if (inet_pton(AF_INET, ip, tmp) != 1 && inet_pton(AF_INET6, ip, tmp) != 1) ip[0] = 0;
    }
    if (!ip[0]) {
        copy_str(c->client, sizeof c->client, c->ip);
        conn_bill(c, c->peer);
        return;
    }
    copy_str(c->client, sizeof c->client, ip);
    pj_client_key(ip, key, sizeof key);
    if (!strcmp(key, c->bill->addr)) return;
    addr_count *a = addr_get(srv, key);
    if (!a) return;
    conn_bill(c, a);
    addr_put(srv, a);
}

/* Makes c->in cap bytes long; a parsed head's pointers (rebase) move with it, through their
 * offsets taken before the move. */
static int in_reserve(conn *c, size_t cap, int rebase)
{
    pj_head *h = &c->head;
    size_t off[2 + 2 * PJ_WIRE_HEADERS] = {0};
    int k = 0;
    if (rebase) {
        off[k++] = (size_t)(h->method - c->in);
        off[k++] = (size_t)(h->target - c->in);
        for (int i = 0; i < h->nh; i++) {
            off[k++] = (size_t)(h->h[i].name - c->in);
            off[k++] = (size_t)(h->h[i].value - c->in);
        }
    }
    char *n = realloc(c->in, cap);
    if (!n) return -1;
    c->srv->buffered += cap - c->in_cap;
    c->bill->buffered += cap - c->in_cap;
    c->in = n;
    c->in_cap = cap;
    if (rebase) {
        k = 0;
        h->method = n + off[k++];
        h->target = n + off[k++];
        for (int i = 0; i < h->nh; i++) {
            h->h[i].name = n + off[k++];
            h->h[i].value = n + off[k++];
        }
    }
    return 0;
}

/* Handles the complete requests in c's input, in order, while none is being answered.
 * Returns -1 when c was freed. */
static int conn_process(conn *c)
{
    pj_server *srv = c->srv;
    c->in_process = 1;
    while (!c->busy && !c->dead) {
        pj_err err;
        pj_err_clear(&err);
        if (!c->have_head) {
            if (!c->in_len) break;
            if (!c->req_ms) c->req_ms = pj_now_ms();
            if (!pj_head_ready(c->in, c->in_len, &c->head_scan)) break;
            int rc = pj_head_parse(c->in, c->in_len, &c->head, &err);
            if (rc == 1) break;
            if (rc < 0) {
                copy_str(c->client, sizeof c->client, c->ip);
                conn_refuse(c, &err);
                break;
            }
            conn_client(c);
            /* Nobody makes the server hold a body it will not take: a request no route takes
             * is answered (404, 405) and one to a route that needs a login has its session
             * (and role) checked, before a byte of the body is read; refused, the connection
             * closes (the body is drained, not read). A body already here is answered as
             * usual. */
            long long cl = c->head.content_length > 0 ? c->head.content_length : 0;
            int body_due = cl > 0 && c->in_len < c->head.head_len + (size_t)cl && !srv->stopping;
            char *allow = NULL;
            const pj_route *rt = head_route(srv, &c->head, &err, &allow);
            if (!rt && body_due) {
                conn_refuse_x(c, &err, allow);
                break;
            }
            free(allow);
            pj_err_clear(&err);
            /* the body's room: no more than the route takes (a few KiB without a login), and
             * within what the client's address and all connections may hold */
            size_t limit = !rt                             ? PJ_BODY_MAX
                           : !rt->roles                    ? PJ_PUBLIC_BODY_MAX
                           : (rt->flags & PJ_ROUTE_UPLOAD) ? PJ_UPLOAD_MAX
                                                           : PJ_BODY_MAX;
            if ((size_t)cl > limit) {
                pj_fail(&err, 413, "body_too_large", "",
                        "the request body is larger than %zu bytes", limit);
                conn_refuse(c, &err);
                break;
            }
            if (body_due && rt->roles && early_auth(srv, c, rt, &err)) {
                conn_refuse(c, &err);
                break;
            }
            /* its room grows as it arrives (on_read), within BUFFERED_MAX */
            c->have_head = 1;
            c->head_scan = 0;
            c->sent_continue = 0;
        }
        size_t cl = c->head.content_length > 0 ? (size_t)c->head.content_length : 0;
        size_t need = c->head.head_len + cl;
        if (c->in_len < need) {
            if (c->peer_eof) { /* the body will never be whole */
                c->dead = 1;
                break;
            }
            if (c->head.expect_continue && !c->sent_continue && c->in_len == c->head.head_len) {
                static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
                c->sent_continue = 1;
                /* only into an empty send queue, which takes 25 bytes whole (a client whose
                 * earlier replies are still unread sends the body after its own wait) */
                int queued = 1;
                if (ioctl(c->fd, SIOCOUTQ, &queued) == 0 && queued == 0 &&
                    write(c->fd, cont, sizeof cont - 1) != (ssize_t)(sizeof cont - 1))
                    c->dead = 1;
            }
            break;
        }
        if (srv->stopping) { /* no new work once asked to stop */
            pj_fail(&err, 503, "stopping", "", "the server is stopping");
            conn_refuse(c, &err);
            break;
        }
        c->have_head = 0;
        c->busy = 1;
        c->req_len = need;
        c->closing = !c->head.keep_alive || srv->stopping || c->peer_eof;
        handle(srv, c, c->in + c->head.head_len, cl);
    }
    c->in_process = 0;
    if (c->dead) {
        conn_free(c);
        return -1;
    }
    return 0;
}

/* conn_refuse outside conn_process (from the read callback): c may be gone after it. */
static void refuse_now(conn *c, const pj_err *e)
{
    c->in_process = 1;
    conn_refuse(c, e);
    c->in_process = 0;
    if (c->dead) conn_free(c);
}

/* After a refused request: discards what the client still sends, then closes. */
static void linger_read(conn *c, short what)
{
    char sink[16384];
    ssize_t n = 0;
    if (!(what & EV_TIMEOUT)) n = read(c->fd, sink, sizeof sink);
    if (n > 0) c->drained += (size_t)n;
    if ((what & EV_TIMEOUT) || n == 0 || c->drained > LINGER_MAX || pj_now_ms() > c->linger_until ||
        (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
        conn_free(c);
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
    conn *c = arg;
    if (c->lingering) {
        linger_read(c, what);
        return;
    }
    if (what & EV_TIMEOUT) { /* idle */
        if (!c->busy) conn_free(c);
        return;
    }
    if (c->busy) {
        conn_read_on(c, 0);
        return;
    }
    /* requests already buffered (pipelined behind a reply that waited) come first: the
     * connection is read only when it is free to take more */
    if (c->in_len) {
        if (conn_process(c)) return;
        if (c->busy) return;
    }
    if (c->peer_eof) {
        conn_free(c);
        return;
    }
    /* a request must arrive whole in time: a byte now and then does not keep it open */
    if (c->req_ms && pj_now_ms() - c->req_ms > REQUEST_S * 1000) {
        pj_err err;
        pj_err_clear(&err);
        pj_fail(&err, 408, "request_timeout", "", "the request did not arrive within %d seconds",
                REQUEST_S);
        refuse_now(c, &err);
        return;
    }
    /* room to read into, grown as bytes arrive: a head needs at most PJ_HEAD_MAX, a body its
     * Content-Length (checked against the route's limit with the head); the connections
     * of one client address hold at most ADDR_BUFFERED_MAX, all together BUFFERED_MAX */
    size_t limit =
        c->have_head
            ? c->head.head_len + (size_t)(c->head.content_length > 0 ? c->head.content_length : 0)
            : PJ_HEAD_MAX + 16384;
    if (c->in_cap < limit && c->in_cap - c->in_len < 4096) {
        size_t cap = c->in_cap ? c->in_cap * 2 : 8192;
        if (cap > limit) cap = limit;
        size_t grow = cap - c->in_cap;
        int mine = c->bill->buffered + grow > ADDR_BUFFERED_MAX;
        if (mine || c->srv->buffered + grow > BUFFERED_MAX) {
            pj_err err;
            pj_err_clear(&err);
            pj_fail(&err, 503, "busy", "", "%s; try again shortly",
                    mine ? "this client address has too many request bodies in progress"
                         : "the server holds too many request bodies");
            refuse_now(c, &err);
            return;
        }
        if (in_reserve(c, cap, c->have_head)) {
            conn_free(c);
            return;
        }
    }
    if (c->in_cap > c->in_len) {
        ssize_t n = read(c->fd, c->in + c->in_len, c->in_cap - c->in_len);
        if (n == 0) {
            /* the client has sent all: answer what is complete, then close */
            c->peer_eof = 1;
            conn_read_on(c, 0);
            if (conn_process(c)) return;
            if (!c->busy) conn_free(c);
            return;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            conn_free(c); /* reset */
            return;
        }
        if (n > 0) c->in_len += (size_t)n;
    }
    conn_process(c);
}

static void on_accept_again(evutil_socket_t fd, short what, void *arg)
{
    pj_server *srv = arg;
    if (srv->lfd >= 0 && !srv->stopping) event_add(srv->ev_accept, NULL);
}

/* The client's address as text ("127.0.0.1", "::1"); an IPv4 address seen through an IPv6
 * socket is written as IPv4. */
static void peer_name(const struct sockaddr_storage *ss, char *out, size_t size)
{
    const void *a = NULL;
    int fam = ss->ss_family;
    if (fam == AF_INET) {
        a = &((const struct sockaddr_in *)ss)->sin_addr;
    } else if (fam == AF_INET6) {
        const struct in6_addr *a6 = &((const struct sockaddr_in6 *)ss)->sin6_addr;
        a = a6;
        if (IN6_IS_ADDR_V4MAPPED(a6)) a = (const char *)a6 + 12, fam = AF_INET;
    }
    if (!a || !inet_ntop(fam, a, out, (socklen_t)size)) copy_str(out, size, "-");
}

/* The warning of the connections closed over a limit since the last one. */
static void refuse_warn(pj_server *srv)
{
    if (!srv->conns_refused) return;
    pj_warn("server: connection limit: closed %llu new connections (the last from %s; %d open, "
            "at most %d, %d per address%s)",
            (unsigned long long)srv->conns_refused, srv->refused_from, srv->nconns, srv->max_conns,
            srv->max_per_addr, srv->nproxies ? ", not applied to the trusted proxies" : "");
    srv->conns_refused = 0;
    srv->refuse_warned_ms = pj_now_ms();
}

static void on_refuse_warn(evutil_socket_t fd, short what, void *arg)
{
    refuse_warn(arg);
}

/* A connection closed over a limit: counted, and said within a second of the first of a
 * burst (with the rest of that second's), then at most every 10 s, each line with the count
 * since the one before. */
static void conn_refused(pj_server *srv, const char *ip)
{
    srv->conns_refused++;
    copy_str(srv->refused_from, sizeof srv->refused_from, ip);
    if (!srv->ev_refuse_warn) {
        refuse_warn(srv);
        return;
    }
    if (evtimer_pending(srv->ev_refuse_warn, NULL)) return;
    int64_t wait = srv->refuse_warned_ms + 10000 - pj_now_ms();
    if (wait < 1000) wait = 1000;
    struct timeval tv = {(time_t)(wait / 1000), (suseconds_t)(wait % 1000) * 1000};
    evtimer_add(srv->ev_refuse_warn, &tv);
}

static void on_accept(evutil_socket_t lfd, short what, void *arg)
{
    pj_server *srv = arg;
    for (int k = 0; k < 64; k++) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                /* out of descriptors: pause accepting a moment instead of spinning on the
                 * listening socket; say so at most every 10 s */
                int64_t now = pj_now_ms();
                if (now - srv->accept_warned_ms > 10000) {
                    srv->accept_warned_ms = now;
                    pj_warn("server: cannot accept connections: %s (%d open); pausing 100 ms",
                            strerror(errno), srv->nconns);
                }
                event_del(srv->ev_accept);
                struct timeval tv = {0, 100000};
                if (srv->ev_accept_on) event_add(srv->ev_accept_on, &tv);
            }
            return;
        }
        /* at most max_conns connections, max_per_addr of them from one address (an IPv6
         * client's /64; not applied to a trusted proxy, whose connections are everyone's, and
         * counted by its whole address, apart from its /64's other hosts): one more is closed
         * at once, so no client takes all the descriptors */
        char ip[48], key[48];
        peer_name(&ss, ip, sizeof ip);
        int via_proxy = pj_net_match(srv->proxies, srv->nproxies, ip);
        if (via_proxy)
            copy_str(key, sizeof key, ip);
        else
            pj_client_key(ip, key, sizeof key);
        addr_count *peer = srv->nconns < srv->max_conns ? addr_get(srv, key) : NULL;
        if (!peer || (peer->conns >= srv->max_per_addr && !via_proxy)) {
            addr_put(srv, peer);
            close(fd);
            conn_refused(srv, ip);
            continue;
        }
        conn *c = calloc(1, sizeof *c);
        if (!c) {
            addr_put(srv, peer);
            close(fd);
            return;
        }
        peer->conns++;
        peer->refs++; /* one reference as the peer, one as the address billed */
        c->peer = c->bill = peer;
        c->via_proxy = via_proxy;
        copy_str(c->ip, sizeof c->ip, ip);
        copy_str(c->client, sizeof c->client, ip);
        c->srv = srv;
        c->fd = fd;
        pj_buf_init(&c->out, 1 << 20);
        c->ev_read = event_new(srv->base, fd, EV_READ | EV_PERSIST, on_read, c);
        c->ev_write = event_new(srv->base, fd, EV_WRITE | EV_PERSIST, on_write, c);
        c->next = srv->conns;
        if (srv->conns) srv->conns->prev = c;
        srv->conns = c;
        srv->nconns++;
        if (!c->ev_read || !c->ev_write) {
            conn_free(c);
            continue;
        }
        conn_read_on(c, 1);
    }
}

/* ---- requests waiting for their plan (?wait=1) ---- */

/* A plan's outcome was stored: answers the requests whose plan is no longer solving. */
static void on_plan_done(evutil_socket_t fd, short what, void *arg)
{
    pj_server *srv = arg;
    uint64_t n;
    if (read(fd, &n, sizeof n) < 0 && errno != EAGAIN) return;
    batch_flush(srv); /* read what is committed, outside any write batch */
    for (reply **pp = &srv->waiters; *pp;) {
        reply *p = *pp;
        pj_arena a;
        pj_arena_init(&a, 4096);
        pj_ctx c = {.db = srv->db, .arena = &a, .settings = &srv->opts.settings};
        c.request_id = p->rid;
        c.actor.username = p->user;
        c.actor.role = p->wait_role;
        c.actor.user_id = p->wait_user_id;
        c.actor.township_id = p->wait_township;
        c.actor.facility_id = p->wait_facility;
        pj_buf b;
        pj_buf_init(&b, 64 << 20);
        pj_jw w;
        pj_jw_init(&w, &b);
        pj_err err;
        pj_err_clear(&err);
        int rc = pj_plan_outcome(&c, p->wait_plan, &w, &err);
        if (rc == 1) { /* still solving */
            pj_buf_free(&b);
            pj_arena_free(&a);
            pp = &p->next;
            continue;
        }
        *pp = p->next;
        if (rc < 0) {
            reply_error(p, &err);
            pj_buf_free(&b);
        } else {
            free(p->body);
            p->body = b.data; /* ownership moves to the reply */
            p->len = b.len;
        }
        reply_send(srv, p, 1);
        reply_free(p);
        pj_arena_free(&a);
    }
}

/* ---- lifecycle ---- */

static void stop_listening(pj_server *srv)
{
    if (srv->ev_accept) event_del(srv->ev_accept);
    if (srv->lfd >= 0) close(srv->lfd);
    srv->lfd = -1;
}

/* The listening socket on host:port (port 0 = any free one), non-blocking. */
static int listen_on(const char *host, int port, pj_err *err)
{
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    int rc = getaddrinfo(host, ps, &hints, &ai);
    if (rc)
        return pj_fail(err, 500, "bind", "host", "cannot resolve %s: %s", host, gai_strerror(rc));
    int fd = -1, e = 0;
    for (struct addrinfo *a = ai; a; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) continue;
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        /* no Nagle delay on replies written in pieces (accepted sockets inherit this) */
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 1024) == 0) break;
        e = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    if (fd < 0)
        return pj_fail(err, 500, "bind", "port", "cannot listen on %s:%d: %s", host, port,
                       strerror(e ? e : EADDRNOTAVAIL));
    return fd;
}

int pj_server_listen(const char *host, int port, pj_err *err)
{
    return listen_on(host ? host : "127.0.0.1", port, err);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
    pj_server *srv = arg;
    pj_info("server: signal %d, stopping: no new connections, finishing in-flight requests",
            (int)sig);
    batch_flush(srv);
    stop_listening(srv);
    srv->stopping = 1;
    srv->stop_ms = pj_now_ms();
    /* requests waiting for another program's write lock wait no more */
    park_stop(srv);
    /* plans fail now ('stopped'): the requests waiting for them (?wait=1) get that answer */
    pj_plan_pool_cancel(srv->plans);
    /* reports are not waited for: each may take seconds, one after the other. Those not yet
     * started are answered that the server stops, now; a running one is interrupted and
     * answered so once its worker gives it back (on_reports) */
    for (pj_work *w = pj_workq_cancel(srv->reports), *n; w; w = n) {
        n = w->next;
        work_unrun(srv, w);
    }
    /* idle connections close now; busy ones after their reply (on_drain) */
    for (conn *c = srv->conns, *n; c; c = n) {
        n = c->next;
        if (!c->busy && !c->in_len) conn_free(c);
    }
    struct timeval tv = {0, 20000};
    if (srv->ev_drain) event_add(srv->ev_drain, &tv);
}

/* While stopping: the loop ends once no request is being answered (the replies of those
 * that were are written), or after opts.stop_wait_ms (STOP_WAIT_MS by default) whatever is
 * left. */
#define STOP_WAIT_MS 5000
static void on_drain(evutil_socket_t fd, short what, void *arg)
{
    pj_server *srv = arg;
    batch_flush(srv);
    int busy = 0;
    for (conn *c = srv->conns, *n; c; c = n) {
        n = c->next;
        if (c->busy || c->lingering)
            busy++;
        else
            conn_free(c);
    }
    int wait_ms = srv->opts.stop_wait_ms > 0 ? srv->opts.stop_wait_ms : STOP_WAIT_MS;
    if (!busy || pj_now_ms() - srv->stop_ms > wait_ms) {
        /* log-ins still waiting for their password check: the check running finishes and is
         * answered, the others are answered that the server stops (a report running was
         * interrupted at the signal: its answer is 503 stopping) */
        if (busy) {
            work_stop(srv);
            batch_flush(srv);
        }
        /* requests still waiting for a plan are answered that the server stops */
        while (srv->waiters) {
            reply *p = srv->waiters;
            srv->waiters = p->next;
            reply_stopped(srv, p, "stopped", "the server is stopping; plan it again");
        }
        busy = 0;
        for (conn *c = srv->conns; c; c = c->next) busy += c->busy && !c->lingering;
        if (busy > 0) pj_warn("server: stopping with %d requests unanswered", busy);
        event_base_loopexit(srv->base, NULL);
    }
}

static void on_flush(evutil_socket_t fd, short what, void *arg)
{
    fflush(stderr);
}

/* ---- the scheduled eldercare alert scan ---- */

/* Elders per slice: a few milliseconds of the loop, then requests are served again. */
#define SCAN_SLICE 4000

static void scan_schedule(pj_server *srv, int64_t delay_ms)
{
    struct timeval tv = {(time_t)(delay_ms / 1000), (suseconds_t)(delay_ms % 1000) * 1000};
    evtimer_add(srv->ev_scan, &tv);
}

/* The context of a job the server runs by itself (the alert scan, the removal of expired
 * sessions): user "system", request id rid, an arena of its own (the caller frees it), and no
 * write batch open, since each job is a transaction of its own. */
static void system_job(pj_server *srv, pj_arena *a, size_t arena_size, pj_ctx *c, pj_err *err,
                       const char *rid)
{
    batch_flush(srv);
    pj_arena_init(a, arena_size);
    *c = (pj_ctx){.db = srv->db, .arena = a, .settings = &srv->opts.settings};
    c->actor.username = "system";
    c->request_id = rid;
    pj_err_clear(err);
}

static void on_scan(evutil_socket_t fd, short what, void *arg)
{
    pj_server *srv = arg;
    pj_arena a;
    pj_ctx c;
    pj_err err;
    system_job(srv, &a, 4096, &c, &err, "alert-scan"); /* the slice: a transaction of its own */
    int64_t now = pj_now();
    if (!srv->scan.at) {
        memset(&srv->scan, 0, sizeof srv->scan);
        srv->scan.at = now;
        srv->scan_t0 = now_us();
    }
    int rc = pj_alert_scan_slice(&c, &srv->scan, SCAN_SLICE, &err);
    if (rc == 0) {
        scan_schedule(srv, 1); /* the next slice after the requests waiting now */
    } else {
        const int *n = srv->scan.counts;
        if (rc < 0 && !strcmp(err.code, "busy")) {
            /* the write lock is another program's (the loop does not wait for it): the
             * slice's transaction did not begin, so the same slice again in a second */
            pj_info("alerts: scheduled scan put off: the database is being written by another"
                    " program");
            scan_schedule(srv, 1000);
            pj_arena_free(&a);
            return;
        }
        if (rc < 0) {
            pj_warn("alerts: scheduled scan failed: %s (%s); next run as scheduled", err.message,
                    err.code);
            srv->scan.at = 0;
        } else {
            pj_info("alerts: scheduled scan raised %d (missed_meal %d, overdue_visit %d, "
                    "no_doctor %d, helper_over_capacity %d), escalated %d, resolved %d, "
                    "closed %d; %d slices, %lld ms",
                    n[0] + n[1] + n[2] + n[3], n[0], n[1], n[2], n[3], n[4], n[5], n[6],
                    srv->scan.slices, (long long)(now_us() - srv->scan_t0) / 1000);
        }
        /* the other scheduled work: policies announced ahead of their valid_from notify their
         * firms once they are in force */
        c.request_id = "policy-notices";
        pj_err_clear(&err);
        int nn = pj_ent_policy_notices_due(&c, &err);
        if (nn < 0)
            pj_warn("policies: notices of policies in force failed: %s (%s)", err.message,
                    err.code);
        else if (nn > 0)
            pj_info("policies: %d notices of policies that came into force", nn);
        int64_t next = pj_alert_scan_next(&c, pj_now(), srv->opts.alert_scan_s);
        scan_schedule(srv, (next - pj_now()) * 1000);
    }
    pj_arena_free(&a);
}

/* ---- the removal of expired sessions ---- */

/* A log-in removes expired sessions too; this removes them where nobody logs in for long. */
#define PRUNE_S 300

static void prune_schedule(pj_server *srv, int64_t delay_ms)
{
    struct timeval tv = {(time_t)(delay_ms / 1000), (suseconds_t)(delay_ms % 1000) * 1000};
    evtimer_add(srv->ev_prune, &tv);
}

static int64_t prune_every_ms(const pj_server *srv)
{
    return (int64_t)(srv->opts.session_prune_s > 0 ? srv->opts.session_prune_s : PRUNE_S) * 1000;
}

static void on_prune(evutil_socket_t fd, short what, void *arg)
{
    pj_server *srv = arg;
    pj_arena a;
    pj_ctx c;
    pj_err err;
    system_job(srv, &a, 1024, &c, &err, "session-prune");
    int n = pj_sessions_prune(&c, &err);
    /* and the Idempotency-Keys past their day (their answers hold personal data too) */
    pj_err ie = {0};
    if (n >= 0 && pj_idem_purge(srv->db, &ie) < 0 && strcmp(ie.code, "busy"))
        pj_warn("idempotency keys: removing expired keys failed: %s (%s)", ie.message, ie.code);
    pj_arena_free(&a);
    if (n < 0 && !strcmp(err.code, "busy")) {
        /* the write lock is another program's (the loop does not wait for it) */
        pj_log(PJ_LOG_DEBUG, "sessions: removal put off: the database is being written");
        prune_schedule(srv, 1000);
        return;
    }
    if (n < 0)
        pj_warn("sessions: removing expired sessions failed: %s (%s); next run as scheduled",
                err.message, err.code);
    else if (n > 0)
        pj_log(PJ_LOG_DEBUG, "sessions: %d expired sessions removed", n);
    /* a whole batch: more may be left, taken after the requests waiting now */
    prune_schedule(srv, n >= PJ_SESSION_PRUNE ? 1 : prune_every_ms(srv));
}

int pj_server_open(pj_server **out, const pj_server_opts *opts, pj_err *err)
{
    *out = NULL;
    pj_server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        if (opts->listen_fd_given) close(opts->listen_fd);
        return pj_fail(err, 500, "internal", "", "out of memory");
    }
    srv->opts = *opts;
    srv->lfd = opts->listen_fd_given ? opts->listen_fd : -1;
    pj_arena_init(&srv->arena, 16384);
    if (!srv->opts.host) srv->opts.host = "127.0.0.1";
    pj_random_bytes(&srv->rid_prefix, sizeof srv->rid_prefix);
    /* argon2id's fast code paths are chosen by sodium_init */
    if (pj_auth_init(err)) goto fail;
    pj_auth_prepare(&srv->opts.settings);
    srv->max_per_addr = opts->max_conns_per_addr > 0 ? opts->max_conns_per_addr : 1024;
    /* the proxies whose X-Forwarded-For is believed: those given, else this machine's own */
    if (opts->n_trusted_proxies > PJ_TRUSTED_PROXIES_MAX) {
        pj_fail(err, 400, "invalid_value", "trusted_proxies", "at most %d trusted proxies",
                PJ_TRUSTED_PROXIES_MAX);
        goto fail;
    }
    if (opts->n_trusted_proxies > 0) {
        srv->opts.trust_proxy = 1;
        srv->nproxies = opts->n_trusted_proxies;
        memcpy(srv->proxies, opts->trusted_proxies, (size_t)srv->nproxies * sizeof srv->proxies[0]);
    } else if (opts->trust_proxy) {
        pj_net_parse("127.0.0.0/8", &srv->proxies[0]);
        pj_net_parse("::1", &srv->proxies[1]);
        srv->nproxies = 2;
    }
    /* the console's files are anyone's to read: never the database's (opening it to serve it
     * would also drop this process's locks on it) */
    if (opts->web_dir) {
        if (pj_path_inside(opts->db_path, opts->web_dir)) {
            pj_fail(err, 400, "invalid_value", "web",
                    "the console's directory %s holds the database %s, whose files would be"
                    " served to anyone: keep the database outside it",
                    opts->web_dir, opts->db_path);
            goto fail;
        }
        int wfd = open(opts->web_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (wfd < 0) {
            pj_fail(err, 400, "invalid_value", "web", "cannot open the console's directory %s: %s",
                    opts->web_dir, strerror(errno));
            goto fail;
        }
        srv->web_fd = wfd + 1;
    }
    srv->opts.trusted_proxies = NULL; /* the caller's: not kept */
    srv->opts.n_trusted_proxies = 0;
    srv->max_conns = opts->max_conns;
    if (srv->max_conns <= 0) {
        struct rlimit rl;
        rlim_t n = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur / 2 : 512;
        srv->max_conns = n > 10000 ? 10000 : n < 64 ? 64 : (int)n;
    }
    srv->login_slots = opts->login_slots > 0 ? opts->login_slots : LOGIN_SLOTS;
    pj_random_bytes(&srv->login_seed, sizeof srv->login_seed);
    if (!opts->login_unthrottled &&
        !(srv->logins = calloc((size_t)srv->login_slots, sizeof *srv->logins))) {
        pj_fail(err, 500, "internal", "", "out of memory");
        goto fail;
    }
    /* held while serving: a restore onto it is refused (it would lose the writes answered).
     * Taken before the store is opened: a database being restored is neither opened nor
     * migrated, and the server says so at once (not SQLite's "locked" after its wait). */
    int hold = pj_db_hold(opts->db_path, err);
    if (hold < 0) goto fail;
    srv->hold = hold + 1;
    if (pj_db_open(&srv->db, opts->db_path, err)) goto fail;
    if (pj_auth_forget_locks(srv->db, err)) goto fail;
    /* from now on the loop's connection never waits for another's lock: a request that finds
     * the write lock held is parked (park_conn), the loop goes on answering the others */
    pj_db_busy_wait(srv->db, 0);
    /* one worker (the machine's cores serve requests too), at most 4 plans at a time */
    if (pj_plan_pool_start(&srv->plans, opts->db_path, &opts->settings, 1, 4, err)) goto fail;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    if (pj_workq_start(&srv->workers, ncpu >= 4 ? 2 : 1,
                       opts->login_queue > 0 ? opts->login_queue : LOGIN_QUEUE, err))
        goto fail;
    int report_threads = opts->report_workers > 0 ? opts->report_workers
                         : ncpu >= 4              ? 2
                                                  : 1,
        report_queue = opts->report_queue > 0 ? opts->report_queue : REPORT_QUEUE;
    if (pj_workq_start(&srv->reports, report_threads, report_queue, err)) goto fail;
    srv->report_users_max = report_threads + report_queue; /* what the pool holds at most */
    srv->report_users = calloc((size_t)srv->report_users_max, sizeof *srv->report_users);
    if (!srv->report_users) {
        pj_fail(err, 500, "internal", "", "out of memory");
        goto fail;
    }
    /* the change list batches epoll add/delete calls: fewer syscalls per request */
    struct event_config *cfg = event_config_new();
    if (cfg) event_config_set_flag(cfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
    srv->base = cfg ? event_base_new_with_config(cfg) : NULL;
    if (cfg) event_config_free(cfg);
    if (!srv->base) srv->base = event_base_new();
    /* three priorities: I/O at the default (1); the batch commit last (2), after every request
     * that arrived in the same turn of the loop */
    if (srv->base) event_base_priority_init(srv->base, 3);
    srv->pending_tail = &srv->pending;
    srv->parked_tail = &srv->parked;
    srv->parked_work_tail = &srv->parked_work;
    srv->ev_park = srv->base ? evtimer_new(srv->base, on_park, srv) : NULL;
    srv->ev_batch = srv->base ? event_new(srv->base, -1, 0, on_batch, srv) : NULL;
    if (srv->ev_batch) event_priority_set(srv->ev_batch, 2);
    if (!srv->base) {
        pj_fail(err, 500, "internal", "", "cannot create the event loop");
        goto fail;
    }
    if (!opts->listen_fd_given) srv->lfd = listen_on(srv->opts.host, opts->port, err);
    if (srv->lfd < 0) goto fail;
    int nfd = pj_plan_pool_notify_fd(srv->plans);
    if (nfd >= 0) {
        srv->ev_plan_done = event_new(srv->base, nfd, EV_READ | EV_PERSIST, on_plan_done, srv);
        if (srv->ev_plan_done) event_add(srv->ev_plan_done, NULL);
    }
    srv->ev_work =
        event_new(srv->base, pj_workq_fd(srv->workers), EV_READ | EV_PERSIST, on_work, srv);
    srv->ev_reports =
        event_new(srv->base, pj_workq_fd(srv->reports), EV_READ | EV_PERSIST, on_reports, srv);
    srv->ev_accept = event_new(srv->base, srv->lfd, EV_READ | EV_PERSIST, on_accept, srv);
    srv->ev_accept_on = evtimer_new(srv->base, on_accept_again, srv);
    srv->ev_drain = event_new(srv->base, -1, EV_PERSIST, on_drain, srv);
    srv->ev_refuse_warn = evtimer_new(srv->base, on_refuse_warn, srv);
    if (!srv->ev_accept || !srv->ev_accept_on || !srv->ev_drain || !srv->ev_work || !srv->ev_park ||
        !srv->ev_reports || event_add(srv->ev_work, NULL) || event_add(srv->ev_reports, NULL) ||
        event_add(srv->ev_accept, NULL)) {
        pj_fail(err, 500, "internal", "", "cannot watch the listening socket");
        goto fail;
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    getsockname(srv->lfd, (struct sockaddr *)&ss, &sl);
    srv->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                               : ((struct sockaddr_in *)&ss)->sin_port);
    /* signals are caught from here on; they are acted on once the loop runs */
    signal(SIGPIPE, SIG_IGN);
    srv->ev_term = evsignal_new(srv->base, SIGTERM, on_signal, srv);
    srv->ev_int = evsignal_new(srv->base, SIGINT, on_signal, srv);
    evsignal_add(srv->ev_term, NULL);
    evsignal_add(srv->ev_int, NULL);
    *out = srv;
    return 0;
fail:
    pj_server_free(srv);
    return -1;
}

int pj_server_port(const pj_server *s)
{
    return s->port;
}

int pj_server_run(pj_server *srv)
{
    if (srv->opts.access_log) {
        /* access lines are buffered and flushed a few times a second */
        setvbuf(stderr, srv->logbuf, _IOFBF, sizeof srv->logbuf);
        srv->ev_flush = event_new(srv->base, -1, EV_PERSIST, on_flush, srv);
        struct timeval tv = {0, 250000};
        event_add(srv->ev_flush, &tv);
    }
    if (srv->opts.alert_scan_s > 0) {
        srv->ev_scan = evtimer_new(srv->base, on_scan, srv);
        if (srv->ev_scan) {
            event_priority_set(srv->ev_scan, 2); /* after the I/O of the same turn */
            scan_schedule(srv, 1000);            /* the first run catches up right after a start */
        }
    }
    srv->ev_prune = evtimer_new(srv->base, on_prune, srv);
    if (srv->ev_prune) {
        event_priority_set(srv->ev_prune, 2); /* after the I/O of the same turn */
        prune_schedule(srv, prune_every_ms(srv));
    }
    event_base_dispatch(srv->base);
    batch_flush(srv);
    refuse_warn(srv);
    pj_info("server: stopped (%llu commits carried %llu write-batch responses)",
            (unsigned long long)srv->batches, (unsigned long long)srv->batched);
    fflush(stderr);
    setvbuf(stderr, NULL, _IONBF, 0);
    return 0;
}

void pj_server_free(pj_server *srv)
{
    if (!srv) return;
    /* log-ins still waiting for their password check, reports for theirs (the loop ended
     * without on_drain) */
    srv->stopping = 1;
    work_stop(srv);
    park_stop(srv);
    if (srv->db) batch_flush(srv);
    /* a running solve stops its search and is marked failed, like the waiting ones */
    if (srv->ev_plan_done) event_free(srv->ev_plan_done); /* before the pool closes its fd */
    srv->ev_plan_done = NULL;
    pj_plan_pool_stop(srv->plans);
    if (srv->ev_batch) event_free(srv->ev_batch);
    if (srv->ev_park) event_free(srv->ev_park);
    cache_clear(srv);
    pj_arena_free(&srv->arena);
    if (srv->ev_term) event_free(srv->ev_term);
    if (srv->ev_int) event_free(srv->ev_int);
    if (srv->ev_flush) event_free(srv->ev_flush);
    if (srv->ev_scan) event_free(srv->ev_scan);
    if (srv->ev_prune) event_free(srv->ev_prune);
    while (srv->waiters) {
        reply *p = srv->waiters;
        srv->waiters = p->next;
        reply_free(p);
    }
    while (srv->conns) conn_free(srv->conns);
    stop_listening(srv);
    if (srv->ev_accept) event_free(srv->ev_accept);
    if (srv->ev_accept_on) event_free(srv->ev_accept_on);
    if (srv->ev_drain) event_free(srv->ev_drain);
    if (srv->ev_refuse_warn) event_free(srv->ev_refuse_warn);
    if (srv->base) event_base_free(srv->base);
    pj_db_close(srv->db);
    if (srv->web_fd) close(srv->web_fd - 1);
    if (srv->hold) close(srv->hold - 1); /* after the connection: its POSIX locks stay to the end */
    for (int i = 0; i < ADDR_SLOTS; i++)
        while (srv->addrs[i]) {
            addr_count *a = srv->addrs[i];
            srv->addrs[i] = a->next;
            free(a);
        }
    free(srv->logins);
    free(srv->report_users);
    if (srv->gz_ready) deflateEnd(&srv->gz);
    free(srv);
}
