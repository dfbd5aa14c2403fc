#include "http/server.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <sys/queue.h>
#include <event2/keyvalq_struct.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/auth.h"
#include "domain/plan.h"
#include "domain/elder.h"

#include "core/banned.h"

/* Response cache for SHARED routes: whole 200 responses keyed by URL, all dropped when the
 * database generation moves (any commit, by this process or another). Bounded in entries
 * and bytes; the database stays the only source of truth. */
#define CACHE_SLOTS 1024
#define CACHE_BYTES (16u << 20)
typedef struct cached_body {
    int refs; /* the cache's own reference + responses still being written */
    size_t len;
    char data[];
} cached_body;

typedef struct cache_entry {
    char *key;
    cached_body *body;
    uint64_t hash;
    int64_t valid_until; /* unix s; 0 = until the data changes */
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

/* A response ready to go. Responses to requests handled while a group-commit batch is open
 * wait here until the batch is durable. */
typedef struct reply {
    struct reply *next;
    struct evhttp_request *ev;
    int status;
    char *body; /* owned (malloc) unless cached */
    size_t len;
    struct cached_body *cached;
    char *cookie;      /* owned */
    const char *ctype; /* static storage; NULL = JSON */
    char rid[24];
    char method[8];
    char user[48];
    int64_t t0;
} reply;

struct pj_server {
    reply *pending, **pending_tail;
    int npending;
    struct event *ev_batch;
    uint64_t batches, batched;
    cache_entry cache[CACHE_SLOTS];
    size_t cache_bytes;
    uint64_t cache_gen;
    uint64_t cache_hits, cache_misses;
    sess_entry sess[SESS_SLOTS];
    int64_t others_checked_ms;
    struct event_base *base;
    struct evhttp *http;
    struct evhttp_bound_socket *sock;
    struct event *ev_term, *ev_int, *ev_flush, *ev_scan;
    pj_alert_scan_job scan;
    int64_t scan_t0;
    pj_arena arena; /* the requests' arena, reset after each */
    pj_db *db;
    pj_plan_pool *plans;        /* the planner's background solves */
    uint64_t plan_commits_seen; /* their commits, another connection's writes */
    pj_server_opts opts;
    int port;
    uint64_t seq;
    uint32_t rid_prefix;
    char logbuf[1 << 16];
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void body_unref(const void *data, size_t len, void *arg)
{
    cached_body *b = arg;
    if (b && --b->refs == 0) free(b);
}

static void cache_clear(pj_server *srv)
{
    for (int i = 0; i < CACHE_SLOTS; i++) {
        free(srv->cache[i].key);
        body_unref(NULL, 0, srv->cache[i].body);
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
    cache_entry *e = &srv->cache[h % CACHE_SLOTS];
    if (e->key) { /* direct-mapped: the newer response takes the slot */
        srv->cache_bytes -= e->body->len;
        free(e->key);
        body_unref(NULL, 0, e->body);
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
    e->body->len = len;
    memcpy(e->body->data, body, len);
    e->hash = h;
    e->valid_until = valid_until;
    srv->cache_bytes += len;
}

static const char *method_name(enum evhttp_cmd_type m)
{
    switch (m) {
    case EVHTTP_REQ_GET:
        return "GET";
    case EVHTTP_REQ_POST:
        return "POST";
    case EVHTTP_REQ_PUT:
        return "PUT";
    case EVHTTP_REQ_PATCH:
        return "PATCH";
    case EVHTTP_REQ_DELETE:
        return "DELETE";
    case EVHTTP_REQ_HEAD:
        return "HEAD";
    case EVHTTP_REQ_OPTIONS:
        return "OPTIONS";
    default:
        return "OTHER";
    }
}

const char *pj_req_param(pj_req *r, const char *key)
{
    for (int i = 0; i < r->nquery; i++)
        if (strcmp(r->query[i].key, key) == 0) return r->query[i].value;
    return NULL;
}

/* Matches a route pattern ("/api/v1/facilities/{id}") against a decoded path. */
static int match(const char *pat, const char *path, const char **id_seg, size_t *id_len)
{
    while (*pat && *path) {
        if (*pat == '{') {
            const char *e = strchr(pat, '}');
            const char *seg_end = strchr(path, '/');
            if (!seg_end) seg_end = path + strlen(path);
            if (seg_end == path) return 0;
            *id_seg = path;
            *id_len = (size_t)(seg_end - path);
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

static void write_error(pj_req *r)
{
    pj_buf_reset(&r->out);
    pj_jw_init(&r->w, &r->out);
    pj_jw_obj(&r->w);
    pj_jw_key(&r->w, "error");
    pj_jw_obj(&r->w);
    pj_jw_kstr(&r->w, "code", r->err.code[0] ? r->err.code : "error");
    pj_jw_kstr(&r->w, "message", r->err.message);
    if (r->err.field[0])
        pj_jw_kstr(&r->w, "field", r->err.field);
    else
        pj_jw_knull(&r->w, "field");
    pj_jw_kstr(&r->w, "request_id", r->request_id);
    pj_jw_obj_end(&r->w);
    pj_jw_obj_end(&r->w);
    r->status = r->err.status ? r->err.status : 500;
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 423:
        return "Locked";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return status >= 500 ? "Internal Server Error" : "Error";
    }
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void reply_send(pj_server *srv, reply *p)
{
    /* libevent writes at most 16 KiB per loop turn by default: let a large reply go at once */
    struct evhttp_connection *conn = evhttp_request_get_connection(p->ev);
    struct bufferevent *bev = conn ? evhttp_connection_get_bufferevent(conn) : NULL;
    if (bev) bufferevent_set_max_single_write(bev, 4 << 20);
    struct evkeyvalq *h = evhttp_request_get_output_headers(p->ev);
    evhttp_add_header(h, "X-Request-Id", p->rid);
    evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
    struct evbuffer *eb = evbuffer_new();
    size_t len = p->cached ? p->cached->len : p->len;
    if (p->status != 204) {
        evhttp_add_header(h, "Content-Type",
                          p->ctype ? p->ctype : "application/json; charset=utf-8");
        evhttp_add_header(h, "Cache-Control", "no-store");
        if (p->cached) {
            p->cached->refs++;
            evbuffer_add_reference(eb, p->cached->data, p->cached->len, body_unref, p->cached);
        } else {
            evbuffer_add(eb, p->body ? p->body : "{}", p->body ? p->len : 2);
        }
    }
    if (p->cookie) evhttp_add_header(h, "Set-Cookie", p->cookie);
    if (srv->opts.access_log)
        pj_log(PJ_LOG_INFO, "access %s %s %s %d %zu %lldus %s", p->rid, p->method,
               evhttp_request_get_uri(p->ev), p->status, len, (long long)(now_us() - p->t0),
               p->user[0] ? p->user : "-");
    evhttp_send_reply(p->ev, p->status, reason(p->status), eb);
    evbuffer_free(eb);
}

static void reply_free(reply *p)
{
    free(p->body);
    free(p->cookie);
    free(p);
}

/* Commits the open batch, then answers every request that waited for it; if the commit
 * failed, none of their writes happened and each gets an error instead. */
static void batch_flush(pj_server *srv)
{
    if (!pj_db_batch_active(srv->db)) return;
    pj_err err;
    pj_err_clear(&err);
    int ok = pj_db_batch_close(srv->db, &err) == 0;
    srv->batches++;
    srv->batched += (uint64_t)srv->npending;
    reply *p = srv->pending;
    srv->pending = NULL;
    srv->pending_tail = &srv->pending;
    srv->npending = 0;
    while (p) {
        reply *next = p->next;
        if (!ok) {
            free(p->body);
            char *msg = NULL;
            int n = asprintf(&msg,
                             "{\"error\":{\"code\":\"commit_failed\",\"message\":\"the write could"
                             " not be made durable (%s); nothing was changed, try again\","
                             "\"field\":null,\"request_id\":\"%s\"}}",
                             err.code, p->rid);
            p->body = n < 0 ? NULL : msg;
            p->len = n < 0 ? 0 : (size_t)n;
            if (p->cached) body_unref(NULL, 0, p->cached);
            p->cached = NULL;
            p->status = 503;
        }
        reply_send(srv, p);
        if (p->cached) body_unref(NULL, 0, p->cached);
        reply_free(p);
        p = next;
    }
}

static void on_batch(evutil_socket_t fd, short what, void *arg)
{
    batch_flush(arg);
}

static const char *bearer(struct evkeyvalq *in)
{
    const char *a = evhttp_find_header(in, "Authorization");
    if (a && strncasecmp(a, "Bearer ", 7) == 0) return a + 7;
    const char *ck = evhttp_find_header(in, "Cookie");
    if (ck) {
        const char *p = strstr(ck, "pj_session=");
        while (p && p != ck && p[-1] != ' ' && p[-1] != ';') p = strstr(p + 1, "pj_session=");
        if (p) {
            static __thread char tok[80];
            p += 11;
            size_t n = strcspn(p, "; ");
            if (n < sizeof tok) {
                memcpy(tok, p, n);
                tok[n] = 0;
                return tok;
            }
        }
    }
    return NULL;
}

static int serve_static(pj_server *srv, pj_req *r);

/* Resolves the bearer token into the actor, from the session cache when still valid. */
static int session(pj_server *srv, pj_req *r, uint64_t gen)
{
    const char *tok = r->token;
    int64_t now = pj_now();
    int ttl = srv->opts.settings.session_idle_s / 4;
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
    if (e && ttl > 0) {
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

static void handle(struct evhttp_request *ev, void *arg)
{
    pj_server *srv = arg;
    int64_t t0 = now_us();
    pj_req r;
    memset(&r, 0, sizeof r);
    r.ev = ev;
    /* one arena serves every request in turn: its first block is reused, not allocated and
     * freed per request */
    r.arena = srv->arena;
    pj_buf_init(&r.out, 64 << 20);
    pj_jw_init(&r.w, &r.out);
    r.ctx.db = srv->db;
    r.ctx.arena = &r.arena;
    r.ctx.settings = &srv->opts.settings;
    r.ctx.request_id = r.request_id;
    snprintf(r.request_id, sizeof r.request_id, "%08x-%llu", srv->rid_prefix,
             (unsigned long long)++srv->seq);
    r.method = method_name(evhttp_request_get_command(ev));
    r.status = 200;

    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(ev);
    const char *rawpath = uri ? evhttp_uri_get_path(uri) : NULL;
    const char *rawq = uri ? evhttp_uri_get_query(uri) : NULL;
    struct evkeyvalq *in = evhttp_request_get_input_headers(ev);
    int nh = 0;
    struct evkeyval *kv;
    TAILQ_FOREACH(kv, in, next) nh++;
    const pj_route *routes;
    int nroutes;
    routes = pj_routes(&nroutes);
    const pj_route *hit = NULL;
    int path_known = 0;
    const char *id_seg = NULL;
    size_t id_len = 0;

    if (nh > PJ_HEADERS_MAX) {
        pj_fail(&r.err, 431, "too_many_headers", "", "more than %d request headers",
                PJ_HEADERS_MAX);
        goto fail;
    }
    if (!rawpath || !(r.path = pj_url_decode(&r.arena, rawpath, strlen(rawpath), 0))) {
        pj_fail(&r.err, 400, "bad_path", "", "malformed request path");
        goto fail;
    }
    if (strncmp(r.path, "/api/", 5) != 0) {
        if (serve_static(srv, &r) == 0) goto done_raw;
        goto fail;
    }
    /* fixed paths first, so /x/sweep is not taken for /x/{id} (the order is made once) */
    static short order[1024];
    static int norder = -1;
    if (norder < 0) {
        norder = 0;
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i < nroutes && norder < (int)(sizeof order / sizeof order[0]); i++)
                if ((strchr(routes[i].path, '{') != NULL) == pass) order[norder++] = (short)i;
    }
    for (int k = 0; k < norder; k++) {
        const pj_route *rt = &routes[order[k]];
        if (!match(rt->path, r.path, &id_seg, &id_len)) continue;
        path_known = 1;
        if (strcmp(rt->method, r.method) == 0) {
            hit = rt;
            break;
        }
    }
    if (!hit) {
        if (path_known) {
            /* 405 names the methods the path has */
            char allow[64] = "";
            size_t len = 0;
            for (int i = 0; i < nroutes; i++) {
                const char *seg;
                size_t sl;
                if (!match(routes[i].path, r.path, &seg, &sl)) continue;
                int k = snprintf(allow + len, sizeof allow - len, "%s%s", len ? ", " : "",
                                 routes[i].method);
                if (k > 0 && (size_t)k < sizeof allow - len) len += (size_t)k;
            }
            evhttp_add_header(evhttp_request_get_output_headers(ev), "Allow", allow);
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
    r.token = bearer(in);
    r.ctx.token = r.token;
    uint64_t gen = 0;
    if (hit->roles || (hit->flags & (PJ_ROUTE_SHARED | PJ_ROUTE_PER_USER))) {
        /* other processes' writes are looked for at most every cache_check_ms */
        int64_t ms = pj_now_ms();
        int check = ms - srv->others_checked_ms >= srv->opts.cache_check_ms;
        /* a plan the planner's worker finished is a write by another connection: see it now */
        uint64_t pc = pj_plan_pool_commits(srv->plans);
        if (pc != srv->plan_commits_seen) srv->plan_commits_seen = pc, check = 1;
        if (check) srv->others_checked_ms = ms;
        gen = pj_db_generation(srv->db, check);
    }
    if (hit->roles) {
        if (session(srv, &r, gen)) goto fail;
        if (!(hit->roles & R(r.ctx.actor.role))) {
            pj_fail(&r.err, 403, "forbidden", "", "role %s may not call %s %s",
                    pj_role_name(r.ctx.actor.role), hit->method, hit->path);
            goto fail;
        }
    }
    /* a shared response from the cache needs nothing more than the role check above */
    const char *ckey = NULL;
    uint64_t ch = 0;
    if (hit->flags & (PJ_ROUTE_SHARED | PJ_ROUTE_PER_USER)) {
        ckey = evhttp_request_get_uri(ev);
        if (hit->flags & PJ_ROUTE_PER_USER)
            ckey = pj_arena_printf(&r.arena, "%s#user=%lld", ckey, (long long)r.ctx.actor.user_id);
        ch = hash_str(ckey);
        cache_check(srv, gen);
        cache_entry *e = cache_get(srv, ckey, ch);
        if (e) {
            srv->cache_hits++;
            r.cached = e->body;
            goto done;
        }
        srv->cache_misses++;
    }
    if (rawq && pj_query_parse(&r.arena, rawq, strlen(rawq), &r.query, &r.nquery, &r.err))
        goto fail;
    struct evbuffer *body = evhttp_request_get_input_buffer(ev);
    size_t blen = evbuffer_get_length(body);
    const char *ct = evhttp_find_header(in, "Content-Type");
    int json_ct = !ct || (strncasecmp(ct, "application/json", 16) == 0 &&
                          (!ct[16] || ct[16] == ';' || ct[16] == ' '));
    int upload = (hit->flags & PJ_ROUTE_UPLOAD) && !json_ct;
    if (blen > (upload ? PJ_UPLOAD_MAX : PJ_BODY_MAX)) {
        pj_fail(&r.err, 413, "body_too_large", "", "the request body is larger than %d bytes",
                upload ? PJ_UPLOAD_MAX : PJ_BODY_MAX);
        goto fail;
    }
    if (upload && blen > 0) {
        r.raw = (const char *)evbuffer_pullup(body, -1);
        r.raw_len = blen;
        r.raw_type = ct;
    } else if (blen > 0 && strcmp(r.method, "GET") != 0 && strcmp(r.method, "DELETE") != 0) {
        if (!json_ct) {
            pj_fail(&r.err, 415, "unsupported_media_type", "", "send application/json");
            goto fail;
        }
        if (pj_json_decode((const char *)evbuffer_pullup(body, -1), blen, &r.body, &r.err))
            goto fail;
    }
    if (strcmp(r.method, "GET") && strcmp(r.method, "HEAD") && !pj_db_batch_active(srv->db)) {
        /* group commit: writes handled in this turn of the loop share one commit */
        if (pj_db_batch_open(srv->db, &r.err)) goto fail;
        event_active(srv->ev_batch, 0, 0);
    }
    if (hit->fn(&r) == 0) {
        /* nothing written by the handler itself (e.g. the audit row of an unmasked read) */
        if (ckey && r.status == 200 && !r.out.overflow && pj_db_generation(srv->db, 0) == gen)
            cache_put(srv, ckey, ch, r.out.data, r.out.len, r.ctx.valid_until);
        goto done;
    }
    goto fail;
fail:
    write_error(&r);
done:;
    reply *p = calloc(1, sizeof *p);
    if (!p) abort();
    p->ev = ev;
    p->status = r.status;
    p->body = r.out.data; /* ownership moves to the reply */
    p->len = r.out.len;
    r.out.data = NULL;
    p->cached = r.cached;
    if (p->cached) p->cached->refs++;
    p->cookie = r.set_cookie ? strdup(r.set_cookie) : NULL;
    p->ctype = r.status < 300 ? r.content_type : NULL;
    p->t0 = t0;
    snprintf(p->rid, sizeof p->rid, "%s", r.request_id);
    snprintf(p->method, sizeof p->method, "%s", r.method);
    snprintf(p->user, sizeof p->user, "%s", r.ctx.actor.username ? r.ctx.actor.username : "");
    if (pj_db_batch_active(srv->db)) {
        /* answered once the batch is durable */
        *srv->pending_tail = p;
        srv->pending_tail = &p->next;
        srv->npending++;
    } else {
        reply_send(srv, p);
        if (p->cached) body_unref(NULL, 0, p->cached);
        reply_free(p);
    }
done_raw:
    if (r.body) json_decref(r.body);
    pj_buf_free(&r.out);
    pj_arena_reset(&r.arena);
    srv->arena = r.arena;
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

static int serve_static(pj_server *srv, pj_req *r)
{
    if (!srv->opts.web_dir) return pj_fail(&r->err, 404, "not_found", "", "no console installed");
    if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD"))
        return pj_fail(&r->err, 405, "method_not_allowed", "", "only GET here");
    if (strstr(r->path, "..") || strchr(r->path, '\\'))
        return pj_fail(&r->err, 404, "not_found", "", "no such file");
    const char *rel = r->path + 1;
    /* client-side routes (no extension) get the console's index page */
    const char *last = strrchr(r->path, '/');
    if (!*rel || !strchr(last, '.')) rel = "index.html";
    char *file = pj_arena_printf(&r->arena, "%s/%s", srv->opts.web_dir, rel);
    /* a pre-compressed copy (made at build time) for clients that accept gzip */
    const char *ae = evhttp_find_header(evhttp_request_get_input_headers(r->ev), "Accept-Encoding");
    int gz = 0, fd = -1;
    if (ae && strstr(ae, "gzip")) {
        fd = open(pj_arena_printf(&r->arena, "%s.gz", file), O_RDONLY | O_CLOEXEC);
        gz = fd >= 0;
    }
    if (fd < 0) fd = open(file, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        if (fd >= 0) close(fd);
        return pj_fail(&r->err, 404, "not_found", "", "no such file");
    }
    struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
    evhttp_add_header(h, "Content-Type", content_type(rel));
    if (gz) evhttp_add_header(h, "Content-Encoding", "gzip");
    evhttp_add_header(h, "Vary", "Accept-Encoding");
    evhttp_add_header(h, "X-Request-Id", r->request_id);
    evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
    evhttp_add_header(h, "Cache-Control",
                      strncmp(rel, "assets/", 7) == 0 ? "public, max-age=31536000, immutable"
                                                      : "no-cache");
    evhttp_add_header(h, "Content-Security-Policy",
                      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
                      " img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self';"
                      " object-src 'none'; base-uri 'self'; frame-ancestors 'none'");
    evhttp_add_header(h, "Referrer-Policy", "same-origin");
    struct evbuffer *eb = evbuffer_new();
    if (st.st_size > 0)
        evbuffer_add_file(eb, fd, 0, st.st_size); /* takes the fd */
    else
        close(fd);
    evhttp_send_reply(r->ev, 200, "OK", eb);
    evbuffer_free(eb);
    return 0;
}

/* ---- lifecycle ---- */

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
    pj_server *srv = arg;
    pj_info("server: signal %d, stopping: no new connections, finishing in-flight requests",
            (int)sig);
    batch_flush(srv);
    if (srv->sock) {
        evhttp_del_accept_socket(srv->http, srv->sock);
        srv->sock = NULL;
    }
    struct timeval tv = {0, 300000};
    event_base_loopexit(srv->base, &tv);
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

static void on_scan(evutil_socket_t fd, short what, void *arg)
{
    pj_server *srv = arg;
    batch_flush(srv); /* the slice is a transaction of its own, never inside a write batch */
    pj_arena a;
    pj_arena_init(&a, 4096);
    pj_ctx c = {.db = srv->db, .arena = &a, .settings = &srv->opts.settings};
    c.actor.username = "system";
    c.request_id = "alert-scan";
    pj_err err;
    pj_err_clear(&err);
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
        if (rc < 0) {
            pj_warn("alerts: scheduled scan failed: %s (%s); next run as scheduled", err.message,
                    err.code);
            srv->scan.at = 0;
        } else {
            pj_info("alerts: scheduled scan raised %d (missed_meal %d, overdue_visit %d, "
                    "no_doctor %d, helper_over_capacity %d), escalated %d; %d slices, %lld ms",
                    n[0] + n[1] + n[2] + n[3], n[0], n[1], n[2], n[3], n[4], srv->scan.slices,
                    (long long)(now_us() - srv->scan_t0) / 1000);
        }
        int64_t next = pj_alert_scan_next(&c, pj_now(), srv->opts.alert_scan_s);
        scan_schedule(srv, (next - pj_now()) * 1000);
    }
    pj_arena_free(&a);
}

int pj_server_open(pj_server **out, const pj_server_opts *opts, pj_err *err)
{
    *out = NULL;
    pj_server *srv = calloc(1, sizeof *srv);
    if (!srv) return pj_fail(err, 500, "internal", "", "out of memory");
    srv->opts = *opts;
    pj_arena_init(&srv->arena, 16384);
    if (!srv->opts.host) srv->opts.host = "127.0.0.1";
    pj_random_bytes(&srv->rid_prefix, sizeof srv->rid_prefix);
    if (pj_db_open(&srv->db, opts->db_path, err)) goto fail;
    /* one worker (the machine's cores serve requests too), at most 4 plans at a time */
    if (pj_plan_pool_start(&srv->plans, opts->db_path, &opts->settings, 1, 4, err)) goto fail;
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
    srv->ev_batch = srv->base ? event_new(srv->base, -1, 0, on_batch, srv) : NULL;
    if (srv->ev_batch) event_priority_set(srv->ev_batch, 2);
    srv->http = srv->base ? evhttp_new(srv->base) : NULL;
    if (!srv->http) {
        pj_fail(err, 500, "internal", "", "cannot create the event loop");
        goto fail;
    }
    evhttp_set_allowed_methods(srv->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PATCH |
                                              EVHTTP_REQ_DELETE | EVHTTP_REQ_PUT | EVHTTP_REQ_HEAD |
                                              EVHTTP_REQ_OPTIONS);
    /* evhttp refuses bodies above 8 MiB itself; between 1 and 8 MiB we answer in JSON */
    evhttp_set_max_body_size(srv->http, 8 << 20);
    evhttp_set_max_headers_size(srv->http, 32 << 10);
    evhttp_set_timeout(srv->http, 60);
    evhttp_set_gencb(srv->http, handle, srv);
    srv->sock = evhttp_bind_socket_with_handle(srv->http, srv->opts.host, (ev_uint16_t)opts->port);
    if (!srv->sock) {
        pj_fail(err, 500, "bind", "port", "cannot listen on %s:%d: %s", srv->opts.host, opts->port,
                strerror(errno));
        goto fail;
    }
    /* no Nagle delay on replies written in pieces (accepted sockets inherit this on Linux) */
    int one = 1;
    setsockopt(evhttp_bound_socket_get_fd(srv->sock), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_storage ss;
    ev_socklen_t sl = sizeof ss;
    getsockname(evhttp_bound_socket_get_fd(srv->sock), (struct sockaddr *)&ss, &sl);
    srv->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
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
    event_base_dispatch(srv->base);
    batch_flush(srv);
    pj_info("server: stopped (%llu commits carried %llu write-batch responses)",
            (unsigned long long)srv->batches, (unsigned long long)srv->batched);
    fflush(stderr);
    setvbuf(stderr, NULL, _IONBF, 0);
    return 0;
}

void pj_server_free(pj_server *srv)
{
    if (!srv) return;
    if (srv->db) batch_flush(srv);
    /* a running solve stops at its next phase and is marked failed, like the waiting ones */
    pj_plan_pool_stop(srv->plans);
    if (srv->ev_batch) event_free(srv->ev_batch);
    cache_clear(srv);
    pj_arena_free(&srv->arena);
    if (srv->ev_term) event_free(srv->ev_term);
    if (srv->ev_int) event_free(srv->ev_int);
    if (srv->ev_flush) event_free(srv->ev_flush);
    if (srv->ev_scan) event_free(srv->ev_scan);
    if (srv->http) evhttp_free(srv->http);
    if (srv->base) event_base_free(srv->base);
    pj_db_close(srv->db);
    free(srv);
}
