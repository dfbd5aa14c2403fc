/* What waits on the caller (待办, GET /api/v1/todo): per kind of work their role does, how many
 * records of their scope wait on it now. */
#ifndef PJ_TODO_H
#define PJ_TODO_H

#include "core/json.h"
#include "domain/ctx.h"

/* Writes {"items": [{"kind", "count"[, "scenario"]}], "total"}: every kind of the actor's role
 * (none for a viewer), counted in their scope. 0, or -1 with err. */
int pj_todo(pj_ctx *c, pj_jw *w, pj_err *err);

#endif
