#include "domain/ctx.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const char *const role_names[PJ_ROLE_COUNT] = {"",
                                                      "admin",
                                                      "district_officer",
                                                      "township_officer",
                                                      "facility_operator",
                                                      "grid_worker",
                                                      "enterprise",
                                                      "viewer"};

const char *pj_role_name(pj_role r)
{
    return r > 0 && r < PJ_ROLE_COUNT ? role_names[r] : "";
}

pj_role pj_role_parse(const char *s)
{
    if (!s) return PJ_ROLE_NONE;
    for (int i = 1; i < PJ_ROLE_COUNT; i++)
        if (strcmp(s, role_names[i]) == 0) return (pj_role)i;
    return PJ_ROLE_NONE;
}

void pj_settings_default(pj_settings *s)
{
    memset(s, 0, sizeof *s);
    s->session_idle_s = 1800;
    s->lockout_failures = 5;
    s->lockout_s = 900;
}

int pj_ctx_district(const pj_ctx *c)
{
    return c->actor.role == PJ_ROLE_ADMIN || c->actor.role == PJ_ROLE_DISTRICT_OFFICER;
}

int pj_ctx_require(const pj_ctx *c, pj_err *err, ...)
{
    va_list ap;
    va_start(ap, err);
    int r;
    while ((r = va_arg(ap, int)) != PJ_ROLE_NONE)
        if ((int)c->actor.role == r) {
            va_end(ap);
            return 0;
        }
    va_end(ap);
    /* refused: the roles that may, named (read again only now, not on every allowed call) */
    char who[160] = "";
    size_t n = 0;
    va_start(ap, err);
    while ((r = va_arg(ap, int)) != PJ_ROLE_NONE)
        if (n < sizeof who)
            n += (size_t)snprintf(who + n, sizeof who - n, "%s%s", n ? ", " : "",
                                  pj_role_name((pj_role)r));
    va_end(ap);
    return pj_fail(err, 403, "forbidden", "", "role %s may not do this (only %s may)",
                   pj_role_name(c->actor.role), who);
}

void pj_ctx_for_job(pj_ctx *c, pj_db *db, pj_arena *arena, const pj_actor *actor,
                    const char *username, const char *request_id, const pj_settings *settings)
{
    memset(c, 0, sizeof *c);
    c->db = db;
    c->arena = arena;
    c->actor = *actor;
    c->actor.username = username;
    c->request_id = request_id;
    c->settings = settings;
}

int pj_reveals_add(pj_reveals *r, const char *entity, int64_t id, pj_err *err)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 1024;
        const char **e = realloc(r->entity, cap * sizeof *e);
        if (e) r->entity = e;
        int64_t *i = e ? realloc(r->id, cap * sizeof *i) : NULL;
        if (!i) return pj_fail(err, 500, "internal", "", "out of memory");
        r->id = i;
        r->cap = cap;
    }
    r->entity[r->n] = entity;
    r->id[r->n++] = id;
    return 0;
}

void pj_reveals_free(pj_reveals *r)
{
    free(r->entity);
    free(r->id);
    memset(r, 0, sizeof *r);
}
