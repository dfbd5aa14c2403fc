#include "domain/rows.h"

#include "core/banned.h"

int pj_not_found(pj_err *err, const char *what, int64_t id)
{
    return pj_fail(err, 404, "not_found", "id", "no %s %lld", what, (long long)id);
}

int pj_version_conflict(pj_err *err, const char *what, int64_t cur, int64_t yours)
{
    return pj_fail(err, 409, "version_conflict", "version",
                   "the %s was changed by someone else (version %lld, yours %lld); reload", what,
                   (long long)cur, (long long)yours);
}

pj_stmt *pj_row_by_id(pj_ctx *c, const char *sql, int64_t id, const char *what, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return NULL;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) return s;
    pj_stmt_done(s);
    if (rc == 0) pj_not_found(err, what, id);
    return NULL;
}

int pj_version_check(pj_ctx *c, const char *sql, int64_t id, int64_t version, const char *what,
                     pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t cur = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, what, id);
    return cur == version ? 0 : pj_version_conflict(err, what, cur, version);
}

int pj_step_done(pj_stmt *s, pj_err *err)
{
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int pj_query_int(pj_ctx *c, const char *sql, int64_t *out, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    int rc = pj_stmt_step(s, err);
    *out = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int pj_stmt_ids(pj_ctx *c, pj_stmt *s, int64_t **ids, pj_err *err)
{
    int64_t *out = NULL;
    int n = 0, cap = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        out = pj_arena_room(c->arena, out, n, &cap, sizeof *out, 16);
        out[n++] = pj_col_int(s, 0);
    }
    pj_stmt_done(s);
    *ids = out;
    return rc < 0 ? -1 : n;
}
