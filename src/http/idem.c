#include "http/idem.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"

int pj_idem_take(const pj_head *h, const char *method, const char *target, size_t tlen,
                 const char *body, size_t blen, pj_arena *a, pj_idem *k, pj_err *err)
{
    const char *v = pj_head_get(h, PJ_IDEM_HEADER);
    if (!v) return 0;
    int seen = 0;
    for (int i = 0; i < h->nh; i++) seen += !strcasecmp(h->h[i].name, PJ_IDEM_HEADER);
    if (seen > 1)
        return pj_fail(err, 400, "bad_idempotency_key", PJ_IDEM_HEADER,
                       "send one Idempotency-Key, not %d", seen);
    size_t n = strlen(v);
    if (n == 0 || n > PJ_IDEM_KEY_MAX)
        return pj_fail(err, 400, "bad_idempotency_key", PJ_IDEM_HEADER,
                       "an Idempotency-Key has 1 to %d characters", PJ_IDEM_KEY_MAX);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x21 || (unsigned char)v[i] > 0x7e)
            return pj_fail(err, 400, "bad_idempotency_key", PJ_IDEM_HEADER,
                           "an Idempotency-Key is made of visible ASCII characters (no spaces),"
                           " e.g. a UUID");
    k->key = v;
    k->request = pj_arena_printf(a, "%s %.*s", method, (int)tlen, target);
    unsigned char d[16];
    crypto_generichash(d, sizeof d, (const unsigned char *)(blen ? body : ""), blen, NULL, 0);
    pj_hex(d, sizeof d, k->hash);
    return 1;
}

int pj_idem_find(pj_db *db, int64_t user, const pj_idem *k, int *status, const char **ctype,
                 pj_buf *out, pj_arena *a, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(db,
                               "SELECT request, body_hash, status, content_type, response FROM"
                               " idempotency_keys WHERE user_id = ? AND key = ? AND"
                               " created_at >= ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, user);
    pj_stmt_text(s, 2, k->key);
    pj_stmt_int(s, 3, pj_now() - PJ_IDEM_KEEP_S);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        if (strcmp(pj_col_text(s, 0), k->request) || strcmp(pj_col_text(s, 1), k->hash)) {
            pj_fail(err, 422, "idempotency_key_reused", PJ_IDEM_HEADER,
                    "this Idempotency-Key was sent with another request (%s%s) within %d hours:"
                    " send each write with a new key, and the same key only with the same"
                    " write sent again",
                    pj_col_text(s, 0),
                    strcmp(pj_col_text(s, 0), k->request) ? "" : " with another body",
                    PJ_IDEM_KEEP_S / 3600);
            rc = -1;
        } else {
            *status = (int)pj_col_int(s, 2);
            *ctype = pj_col_is_null(s, 3) ? NULL : pj_arena_strdup(a, pj_col_text(s, 3));
            if (pj_buf_puts(out, pj_col_text(s, 4))) {
                pj_fail(err, 500, "internal", "", "the kept answer does not fit");
                rc = -1;
            }
        }
    }
    pj_stmt_done(s);
    return rc;
}

int pj_idem_purge(pj_db *db, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(db, "DELETE FROM idempotency_keys WHERE created_at < ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, pj_now() - PJ_IDEM_KEEP_S);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    return rc < 0 ? -1 : pj_db_changes(db);
}

int pj_idem_keep(pj_db *db, int64_t user, const pj_idem *k, int status, const char *ctype,
                 const char *body, size_t len, pj_err *err)
{
    if (len && memchr(body, 0, len)) return 0;
    /* an expired key of the same text (pj_idem_find passes it over, the server's timer removes
     * it) is replaced */
    if (pj_db_begin(db, err)) return -1;
    pj_stmt *s =
        pj_db_prepare(db,
                      "INSERT OR REPLACE INTO idempotency_keys (user_id, key, request, body_hash,"
                      " status, content_type, response, created_at) VALUES (?, ?, ?, ?, ?, ?, ?,"
                      " ?)",
                      err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, user);
    pj_stmt_text(s, 2, k->key);
    pj_stmt_text(s, 3, k->request);
    pj_stmt_text(s, 4, k->hash);
    pj_stmt_int(s, 5, status);
    pj_stmt_text(s, 6, ctype);
    pj_stmt_textn(s, 7, len ? body : "", len);
    pj_stmt_int(s, 8, pj_now());
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0 || pj_db_commit(db, err)) goto fail;
    return 0;
fail:
    pj_db_rollback(db);
    return -1;
}
