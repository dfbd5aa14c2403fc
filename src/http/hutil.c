#include "http/hutil.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "core/xlsx.h"
#include "domain/input.h"

#include "core/banned.h"

/* ---- query parameters ---- */

int pj_h_q_int(pj_req *r, const char *key, int64_t min, int64_t max, int64_t *out)
{
    const char *v = pj_req_param(r, key);
    if (!v || !*v) return 0; /* an empty filter is no filter */
    int64_t x;
    if (pj_parse_i64(v, &x) || x < min || x > max)
        return pj_fail(&r->err, 400, "bad_query", key, "%s must be an integer from %lld to %lld",
                       key, (long long)min, (long long)max);
    *out = x;
    return 0;
}

int pj_h_q_str(pj_req *r, const char *key, const char **out)
{
    const char *v = pj_req_param(r, key);
    if (!v || !*v) return 0;
    if (pj_utf8_len(v, strlen(v)) > 64)
        return pj_fail(&r->err, 400, "bad_query", key, "%s is longer than 64 characters", key);
    *out = v;
    return 0;
}

int pj_h_q_enum(pj_req *r, const char *key, const char *const *values, const char **out)
{
    const char *v = NULL;
    if (pj_h_q_str(r, key, &v) || pj_q_enum(key, v, values, &r->err)) return -1;
    if (v) *out = v;
    return 0;
}

static int q_only(pj_req *r, const char *const *accepted, int paged)
{
    for (int i = 0; i < r->nquery; i++) {
        const char *k = r->query[i].key;
        int ok = (paged && (!strcmp(k, "limit") || !strcmp(k, "cursor"))) || k[0] == '_';
        for (int a = 0; accepted[a] && !ok; a++) ok = !strcmp(k, accepted[a]);
        if (!ok) return pj_fail(&r->err, 400, "unknown_parameter", k, "unknown parameter %s", k);
    }
    pj_req_params_read(r);
    return 0;
}

int pj_h_q_only(pj_req *r, const char *const *accepted)
{
    return q_only(r, accepted, 0);
}

int pj_h_no_query(pj_req *r)
{
    static const char *const none[] = {NULL};
    return q_only(r, none, 0);
}

/* Reads the list parameters a route accepts; any other parameter is a 400 (names starting
 * with '_' are left for cache-busting). */
static int list_params(pj_req *r, pj_list_filter *f, const char *const *accepted, int paged)
{
    memset(f, 0, sizeof *f);
    f->limit = 50;
    if (q_only(r, accepted, paged)) return -1;
    int64_t limit = 50;
    if (pj_h_q_int(r, "limit", 1, PJ_LIST_LIMIT_MAX, &limit) ||
        pj_h_q_int(r, "cursor", 0, INT64_MAX, &f->cursor) ||
        pj_h_q_int(r, "parent_id", 1, INT64_MAX, &f->parent_id) ||
        pj_h_q_int(r, "township_id", 1, INT64_MAX, &f->township_id) ||
        pj_h_q_int(r, "village_id", 1, INT64_MAX, &f->village_id) ||
        pj_h_q_int(r, "operator_id", 1, INT64_MAX, &f->operator_id) ||
        pj_h_q_str(r, "type", &f->type) || pj_h_q_str(r, "role", &f->role) ||
        pj_h_q_str(r, "state", &f->state) || pj_h_q_str(r, "q", &f->q) ||
        pj_h_q_str(r, "industry", &f->industry))
        return -1;
    f->limit = (int)limit;
    return 0;
}

int pj_h_list_params(pj_req *r, pj_list_filter *f, const char *const *accepted)
{
    return list_params(r, f, accepted, 1);
}

int pj_h_filter_params(pj_req *r, pj_list_filter *f, const char *const *accepted)
{
    return list_params(r, f, accepted, 0);
}

int pj_h_need_body(pj_req *r)
{
    if (!r->body)
        return pj_fail(&r->err, 400, "invalid_json", "", "a JSON object body is required");
    return 0;
}

int pj_h_created(pj_req *r)
{
    r->status = 201;
    return 0;
}

int pj_h_no_content(pj_req *r)
{
    r->status = 204;
    return 0;
}

int pj_h_sheet_kind(pj_req *r, int json_too)
{
    const char *ct = r->raw_type ? r->raw_type : "";
    if (!strncasecmp(ct, PJ_XLSX_TYPE, strlen(PJ_XLSX_TYPE)) || pj_xlsx_sniff(r->raw, r->raw_len))
        return 1;
    if (!strncasecmp(ct, "text/csv", 8) || !strncasecmp(ct, "text/plain", 10)) return 0;
    pj_fail(&r->err, 415, "unsupported_media_type", "", "send the table as %s",
            json_too ? PJ_XLSX_TYPE ", text/csv or application/json" : PJ_XLSX_TYPE " or text/csv");
    return -1;
}

int pj_h_export(pj_req *r, pj_h_export_fn fill, const void *filter)
{
    const char *format = NULL;
    if (pj_h_q_str(r, "format", &format)) return -1;
    int xlsx = format && !strcmp(format, "xlsx");
    if (format && !xlsx && strcmp(format, "csv"))
        return pj_fail(&r->err, 400, "bad_query", "format", "format is csv or xlsx");
    const char *headings = NULL;
    if (pj_h_q_str(r, "headings", &headings)) return -1;
    int zh = headings && !strcmp(headings, "zh");
    if (headings && !zh && strcmp(headings, "en"))
        return pj_fail(&r->err, 400, "bad_query", "headings",
                       "headings is en or zh (the columns' Chinese headings)");
    pj_buf b;
    pj_buf_init(&b, 32 << 20);
    if (fill(&r->ctx, xlsx, zh, filter, &b, &r->err)) {
        pj_buf_free(&b);
        return -1;
    }
    pj_buf_free(&r->out);
    r->out = b; /* the reply takes the buffer */
    r->content_type = xlsx ? PJ_XLSX_TYPE : "text/csv; charset=utf-8";
    return 0;
}
