/* Helpers the route handlers share: query parameters, bodies, statuses. */
#ifndef PJ_HUTIL_H
#define PJ_HUTIL_H

#include "domain/registry.h"
#include "http/server.h"

/* Integer query parameter in [min, max] into *out (untouched when absent or empty); 400. */
int pj_h_q_int(pj_req *r, const char *key, int64_t min, int64_t max, int64_t *out);
/* String query parameter (≤ 64 characters) into *out when present and non-empty; 400. */
int pj_h_q_str(pj_req *r, const char *key, const char **out);
/* pj_h_q_str for a filter of a fixed set of values (NULL-terminated): any other value is a
 * 400 bad_query at key, "KEY is one of a, b, c". */
int pj_h_q_enum(pj_req *r, const char *key, const char *const *values, const char **out);
/* limit, cursor and the filters a list accepts (NULL-terminated); any other parameter is a
 * 400 unknown_parameter (names starting with '_' are ignored). */
int pj_h_list_params(pj_req *r, pj_list_filter *f, const char *const *accepted);
/* The same filters for an answer that is not paged (an export, a derived figure): `limit` and
 * `cursor` are unknown parameters there (400), not taken and then ignored. */
int pj_h_filter_params(pj_req *r, pj_list_filter *f, const char *const *accepted);
/* 400 unknown_parameter for a query parameter not in accepted (NULL-terminated; names starting
 * with '_' are left for cache-busting). For routes that are not lists. */
int pj_h_q_only(pj_req *r, const char *const *accepted);
/* pj_h_q_only with none accepted: for a read that takes no parameter, called before it looks
 * anything up (a parameter it does not take is 400 whether or not the record exists). */
int pj_h_no_query(pj_req *r);
/* 400 unless the request has a JSON body. */
int pj_h_need_body(pj_req *r);
/* The content type of an XLSX workbook. */
#define PJ_XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
/* What an uploaded table is (PJ_ROUTE_UPLOAD): 1 an XLSX workbook (its content type, or any
 * type with a zip signature), 0 CSV text (text/csv, text/plain), -1 neither: 415 naming what
 * to send (json_too: a JSON body is taken as well). */
int pj_h_sheet_kind(pj_req *r, int json_too);
/* Writes filter's table into out as CSV (xlsx 0) or XLSX (1), its columns under their English
 * headings (zh 0) or the Chinese ones its import reads (zh 1): 0, or -1 with err set. */
typedef int (*pj_h_export_fn)(pj_ctx *c, int xlsx, int zh, const void *filter, pj_buf *out,
                              pj_err *err);
/* Answers an export: the query's format (csv, the default, or xlsx) and headings (en, the
 * default, or zh; else 400), the table that fill writes (at most 32 MiB: more is its 413) as
 * the body with its content type. */
int pj_h_export(pj_req *r, pj_h_export_fn fill, const void *filter);
int pj_h_created(pj_req *r);    /* status 201, returns 0 */
int pj_h_no_content(pj_req *r); /* status 204, returns 0 */

/* ---- long reads off the event loop (src/http/report.c) ----
 * A report that reads much history (the time-bank check sums every credit entry: 1.3 s on a
 * district grown for years) would hold every other request of every user that long on the
 * event loop. A handler instead names the domain call: it runs on a report worker (a pool of
 * its own, not the password workers', see server.c; at a lower CPU priority than the loop) on
 * that worker's own read-only database connection, and its answer is the response, byte for
 * byte what the call writes. Only for calls that read: the connection refuses writes (no
 * audit rows: an unmasked read's are written after it, pj_h_report_audited; a long write has
 * pj_h_write_apart), and the call sees only committed data, i.e. every write acknowledged so
 * far.
 * On the worker the call may touch only its own context: its ctx (a copy of the actor and
 * settings, a fresh arena; no token, no client address) and what it writes to; per-thread
 * caches are fine (pj_el_today's), shared ones are not. Its ctx.valid_until is not kept: the
 * route must not be a cached one (PJ_ROUTE_SHARED, PJ_ROUTE_PER_USER). The handler checks
 * the query before (its parameters and their values: a bad one is answered at once, not
 * queued) and returns what the helper returns. When the report workers hold all they may the
 * request is answered 503 `busy` with Retry-After. The call runs in one read transaction
 * (one snapshot: the database as it was when the call began). When the server stops, a report
 * still waiting is answered 503 `stopping`, and a running one is ended where it is (SQLite's
 * progress handler interrupts the statement running) and answered 503 `stopping` too: a
 * report's answer is never made of a statement cut short. */
typedef int (*pj_read_fn)(pj_ctx *c, pj_jw *w, pj_err *err);
/* Answers r with fn's answer (JSON), fn run on a report worker. 0, or -1 (500 in r->err). */
int pj_h_report(pj_req *r, pj_read_fn fn);
/* The same for a call with parameters: args[0..size) (plain data, no pointer into the
 * request: it is gone by the time fn runs) is copied into the job and fn gets the copy. fn
 * writes JSON with w, or any other body straight into w->out (content_type, static storage,
 * then names it; NULL = JSON). */
typedef int (*pj_read_args_fn)(pj_ctx *c, const void *args, pj_jw *w, pj_err *err);
int pj_h_report_args(pj_req *r, pj_read_args_fn fn, const void *args, size_t size,
                     const char *content_type);
/* The same for a call that may show personal data unmasked (e.g. reveal=1), whose reads are
 * audited (pj_el_audit_reveal): on the worker they are collected (pj_ctx.reveals) during the
 * read, and once the call is done the worker writes their read_unmasked rows (one statement,
 * one short write transaction after the read's snapshot) before the answer is handed back; if
 * that fails the answer is the failure, never the data. None for a HEAD. The long read holds
 * no lock the loop's writes wait for. */
int pj_h_report_audited(pj_req *r, pj_read_args_fn fn, const void *args, size_t size,
                        const char *content_type);
/* A long write off the event loop (the facility import): fn runs on a report worker (the
 * reports' pool, queue and limits) on a connection opened for it alone, with a copy of the
 * request's body (r->raw, data[0..len)) and of args; it must hold the database's write lock
 * only briefly (pj_facility_import_apart: a trial on TEMP copies, then one short write
 * transaction), so that the loop's own writes do not wait on it. fn answers as the domain
 * call: 0 (200 with what it wrote to w), 1 (422 with what it wrote to w), -1 (err), or 2:
 * nothing written, make it again on the loop's connection — again(…) is then called there
 * (the same answers). The handler checks the query and the body's kind before. */
typedef int (*pj_apart_fn)(pj_ctx *c, const void *args, const void *data, size_t len, pj_jw *w,
                           pj_err *err);
int pj_h_write_apart(pj_req *r, pj_apart_fn fn, pj_apart_fn again, const void *args, size_t size);
/* Tests only: called on the report worker before each report's call runs, inside its
 * snapshot, with the flag a stop sets (a test holds a report there until it lets it go, or
 * until the stop asks the report to end). NULL = none. */
extern void (*pj_h_report_hook)(const atomic_int *cancel);

#endif
