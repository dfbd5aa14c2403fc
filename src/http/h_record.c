/* Route handlers over record.h: the query string is handed to the domain, which knows the
 * filters of each kind. */
#include "http/hrec.h"

#include "http/hutil.h"

#include "core/banned.h"

int pj_h_rec_list(pj_req *r, const pj_rec_kind *k)
{
    const char **keys = pj_arena_alloc(&r->arena, sizeof(char *) * (size_t)(r->nquery + 1));
    const char **vals = pj_arena_alloc(&r->arena, sizeof(char *) * (size_t)(r->nquery + 1));
    for (int i = 0; i < r->nquery; i++) {
        keys[i] = r->query[i].key;
        vals[i] = r->query[i].value;
    }
    pj_rec_query q = {.keys = keys, .vals = vals, .n = r->nquery};
    pj_req_params_read(r); /* the domain refuses a parameter the kind does not take */
    return pj_rec_list(&r->ctx, k, &q, &r->w, &r->err);
}

int pj_h_rec_get(pj_req *r, const pj_rec_kind *k)
{
    return pj_h_no_query(r) || pj_rec_get(&r->ctx, k, r->id, &r->w, &r->err) ? -1 : 0;
}

int pj_h_rec_create(pj_req *r, const pj_rec_kind *k)
{
    return pj_h_need_body(r) || pj_rec_create(&r->ctx, k, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}

int pj_h_rec_update(pj_req *r, const pj_rec_kind *k)
{
    return pj_h_need_body(r) || pj_rec_update(&r->ctx, k, r->id, r->body, &r->w, &r->err) ? -1 : 0;
}

int pj_h_rec_delete(pj_req *r, const pj_rec_kind *k)
{
    return pj_rec_delete(&r->ctx, k, r->id, &r->err) ? -1 : pj_h_no_content(r);
}
