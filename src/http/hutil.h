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
/* 400 unknown_parameter for a query parameter not in accepted (NULL-terminated; names starting
 * with '_' are left for cache-busting). For routes that are not lists. */
int pj_h_q_only(pj_req *r, const char *const *accepted);
/* 400 unless the request has a JSON body. */
int pj_h_need_body(pj_req *r);
/* The content type of an XLSX workbook. */
#define PJ_XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
/* What an uploaded table is (PJ_ROUTE_UPLOAD): 1 an XLSX workbook (its content type, or any
 * type with a zip signature), 0 CSV text (text/csv, text/plain), -1 neither: 415 naming what
 * to send (json_too: a JSON body is taken as well). */
int pj_h_sheet_kind(pj_req *r, int json_too);
/* Writes filter's table into out as CSV (xlsx 0) or XLSX (1): 0, or -1 with err set. */
typedef int (*pj_h_export_fn)(pj_ctx *c, int xlsx, const void *filter, pj_buf *out, pj_err *err);
/* Answers an export: the query's format (csv, the default, or xlsx; else 400), the table that
 * fill writes (at most 32 MiB: more is its 413) as the body with its content type. */
int pj_h_export(pj_req *r, pj_h_export_fn fill, const void *filter);
int pj_h_created(pj_req *r);    /* status 201, returns 0 */
int pj_h_no_content(pj_req *r); /* status 204, returns 0 */

#endif
