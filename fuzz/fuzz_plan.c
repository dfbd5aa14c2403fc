/* libFuzzer target for the planner's scenario (POST /api/v1/plans, `pingji plan --scenario`):
 * the request body decoded as the server decodes it, then checked against the demo district
 * built in memory. The first byte chooses:
 *   even — only the check (every field, the affected area, demand, teams, candidates);
 *   odd  — a scenario the check accepts is also solved, its time limit cut to 0.05 s: the plan
 *          is valid JSON whose figures are finite and whose gap is not negative.
 * A scenario is accepted or refused with a 4xx, never anything else. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/demo.h"
#include "domain/plan.h"
#include "domain/plan_int.h"
#include "http/parse.h"

static pj_db *db;
static pj_settings settings;

static void setup(void)
{
    pj_err err;
    pj_err_clear(&err);
    pj_settings_default(&settings);
    settings.fast_hash = 1;
    /* the district and its facilities, stores and manuals as the demo has them; a few hundred
     * elders (the planner's vulnerable people) instead of the demo's thousands, for speed */
    setenv("PINGJI_DEMO_ELDERS", "300", 0);
    if (pj_db_open(&db, ":memory:", &err)) abort();
    pj_arena a;
    pj_arena_init(&a, 1 << 16);
    pj_ctx c = {.db = db, .arena = &a, .settings = &settings};
    c.actor.role = PJ_ROLE_ADMIN;
    c.actor.username = "fuzz";
    pj_demo_stats st;
    if (pj_demo_build(&c, 20240801, "demo-password-1", &st, &err)) abort();
    pj_arena_free(&a);
}

/* A number the plan reports, if present, is finite. */
static void num_finite(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (v && json_is_number(v) && !isfinite(json_number_value(v))) abort();
}

static void solved(const char *result)
{
    json_t *o = json_loads(result, 0, NULL);
    if (!o) abort();
    num_finite(o, "objective");
    num_finite(o, "bound");
    json_t *gap = json_object_get(o, "gap");
    if (gap && json_is_number(gap) && json_number_value(gap) < -1e-9) abort();
    json_decref(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 8192) return 0;
    if (!db) setup();
    int solve = data[0] & 1;
    pj_arena a;
    pj_arena_init(&a, 1 << 16);
    pj_ctx c = {.db = db, .arena = &a, .settings = &settings};
    c.actor.role = PJ_ROLE_ADMIN;
    c.actor.username = "fuzz";
    pj_err err;
    pj_err_clear(&err);
    json_t *body = NULL;
    if (pj_json_decode((const char *)data + 1, size - 1, &body, &err) == 0) {
        pj_plan_summary sum;
        if (pj_plan_check(&c, body, &sum, &err) == 0) {
            if (solve) {
                json_object_set_new(body, "time_limit_s", json_real(0.05));
                char *result = NULL;
                pj_err_clear(&err);
                if (pj_plan_solve(&c, body, NULL, &result, &sum, &err) == 0)
                    solved(result);
                else if (err.status < 400 || err.status > 499)
                    abort();
            }
        } else if (err.status < 400 || err.status > 499) {
            abort(); /* bad input is a 4xx, never a 5xx */
        }
        json_decref(body);
    }
    pj_arena_free(&a);
    return 0;
}
