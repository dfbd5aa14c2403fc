/* The planner's verb: pingji plan --scenario FILE.json | list | show ID | adopt ID | compare A B */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "core/util.h"
#include "domain/plan.h"

#include "core/banned.h"

static void progress(void *ud, const char *phase, double frac)
{
    const char **last = ud;
    (void)frac;
    if (*last && !strcmp(*last, phase)) return; /* one line per phase */
    fprintf(stderr, "plan: %s…\n", phase);
    *last = phase;
}

static double num(json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
}

static void print_plan(json_t *plan)
{
    json_t *res = json_object_get(plan, "result"), *sum = json_object_get(res, "summary");
    json_t *sites = json_object_get(res, "sites"), *e;
    size_t i;
    printf("plan %lld  %s  (%s, %s, %s)\n\n",
           (long long)json_integer_value(json_object_get(plan, "id")),
           json_string_value(json_object_get(plan, "name")),
           json_string_value(json_object_get(plan, "scenario")),
           json_string_value(json_object_get(plan, "role")),
           json_string_value(json_object_get(plan, "status")));
    printf("%8s  %-36s %8s %8s %8s %8s %7s\n", "facility", "name", "people", "capacity", "mean km",
           "max km", "ready h");
    json_array_foreach(sites, i, e)
    {
        printf("%8lld  %-36s %8lld %8.0f %8.1f %8.1f %7.1f\n",
               (long long)json_integer_value(json_object_get(e, "facility_id")),
               json_string_value(json_object_get(e, "name")),
               (long long)json_integer_value(json_object_get(e, "used")), num(e, "capacity"),
               num(e, "mean_km"), num(e, "max_km"), num(e, "ready_minutes") / 60.0);
    }
    json_t *flags = json_object_get(json_object_get(res, "solver"), "flags");
    json_t *ts = json_object_get(json_object_get(res, "solver"), "time_s");
    printf("\nsites %.0f of %.0f candidates; demand %.0f, served %.0f, shortfall %.0f\n",
           num(sum, "sites"), num(sum, "candidates"), num(sum, "demand"), num(sum, "served"),
           num(sum, "shortfall"));
    /* no single bound when the vulnerable were placed first (two stages): the gap is the
     * larger of the stages' gaps */
    char bound[32] = "—";
    if (json_is_number(json_object_get(sum, "lower_bound")))
        snprintf(bound, sizeof bound, "%.1f", num(sum, "lower_bound"));
    printf("cost %.1f (fixed %.1f + service %.1f), bound %s, gap %.2f%%\n", num(sum, "objective"),
           num(sum, "fixed_cost"), num(sum, "service_cost"), bound, 100 * num(sum, "gap"));
    printf("person-km %.1f, mean %.2f km, max %.2f km; all ready after %.1f h\n",
           num(sum, "person_km"), num(sum, "mean_km"), num(sum, "max_km"),
           num(sum, "max_ready_minutes") / 60.0);
    printf("time: load %.3f s, location %.3f s, supply %.3f s, schedule %.3f s%s%s\n",
           num(ts, "load"), num(ts, "location"), num(ts, "supply"), num(ts, "schedule"),
           json_is_true(json_object_get(flags, "time_limit_hit")) ? " (time limit hit)" : "",
           json_is_true(json_object_get(flags, "single_source_relaxed"))
               ? " (villages split: single source infeasible)"
               : "");
    json_t *sv = json_object_get(json_object_get(res, "shortfall"), "villages");
    json_array_foreach(sv, i, e)
    {
        printf("  short: %s (%lld) %lld people\n",
               json_string_value(json_object_get(e, "village_name")),
               (long long)json_integer_value(json_object_get(e, "village_id")),
               (long long)json_integer_value(json_object_get(e, "people")));
    }
    /* candidates in reach the teams could not staff: more teams of these types bring them in */
    json_array_foreach(json_object_get(res, "excluded"), i, e)
    {
        printf("  left out: %s (facility %lld, %s): needs ",
               json_string_value(json_object_get(e, "name")),
               (long long)json_integer_value(json_object_get(e, "facility_id")),
               json_string_value(json_object_get(e, "role")));
        json_t *tm;
        size_t k;
        json_array_foreach(json_object_get(e, "teams"), k, tm)
        {
            printf("%s%lld %s teams, %lld given", k ? "; " : "",
                   (long long)json_integer_value(json_object_get(tm, "needed")),
                   json_string_value(json_object_get(tm, "team_type")),
                   (long long)json_integer_value(json_object_get(tm, "given")));
        }
        printf("\n");
    }
}

/* 0 when path can be written: an existing regular file that is writable, or a new file in a
 * writable directory; else -1 with the reason printed. Checked before the plan is created so
 * that a failure leaves nothing behind. */
static int writable(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            fprintf(stderr, "pingji: --out %s: it is a directory\n", path);
            return -1;
        }
        if (access(path, W_OK)) {
            fprintf(stderr, "pingji: --out %s: %s\n", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = 0;
    else
        *slash = 0;
    errno = 0;
    if (stat(dir, &st) || !S_ISDIR(st.st_mode) || access(dir, W_OK | X_OK)) {
        fprintf(stderr, "pingji: --out %s: cannot create it (%s: %s)\n", path, dir,
                errno ? strerror(errno) : "not a directory");
        return -1;
    }
    return 0;
}

static int make(cli *a, session *s, json_t *body, pj_jw *w, pj_buf *out)
{
    const char *last = NULL;
    pj_plan_progress prog = {progress, &last};
    int rc = pj_plan_create(&s->ctx, body, cli_opt(a, "progress") ? &prog : NULL, w, &s->err);
    if (rc) return cli_fail(&s->err);
    json_t *plan = json_loads(out->data, 0, NULL);
    print_plan(plan);
    json_decref(plan);
    const char *path = cli_opt(a, "out");
    if (path) {
        FILE *f = fopen(path, "w");
        if (!f || fputs(out->data, f) < 0 || fclose(f)) {
            perror(path);
            return 1;
        }
        printf("result written to %s\n", path);
    }
    return 0;
}

int cli_plan(cli *a)
{
    const char *sub = a->npos > 1 ? a->pos[1] : NULL;
    int64_t id = 0, id2 = 0;
    if (!sub && !cli_opt(a, "scenario"))
        return cli_usage("plan --scenario FILE.json [--out F] [--progress] | list | show ID | "
                         "adopt ID | compare A B");
    if (sub && strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "adopt") &&
        strcmp(sub, "compare"))
        return cli_usage("sub-commands: list show adopt compare (or --scenario FILE)");
    if (sub && strcmp(sub, "list") && cli_parse_id(a->npos > 2 ? a->pos[2] : NULL, &id))
        return cli_usage("give the plan id after the sub-command");
    if (sub && !strcmp(sub, "compare") && cli_parse_id(a->npos > 3 ? a->pos[3] : NULL, &id2))
        return cli_usage("compare A B: give two plan ids");
    if (cli_extra_args(a, !sub ? 1 : !strcmp(sub, "list") ? 2 : !strcmp(sub, "compare") ? 4 : 3))
        return 2;
    if (cli_opt_enum(a, "status", pj_plan_statuses)) return 2;
    json_t *scenario = NULL;
    if (!sub) {
        /* everything checked before the plan (and its audit row) is written */
        const char *file = cli_opt(a, "scenario"), *path = cli_opt(a, "out");
        if (!*file) return cli_usage("plan --scenario FILE.json: give the scenario file");
        if (path && !*path) return cli_usage("plan --out FILE: give the result file");
        json_error_t je;
        if (!(scenario = json_load_file(file, 0, &je))) {
            fprintf(stderr, "pingji: --scenario %s: %s (line %d)\n", file, je.text, je.line);
            return 1;
        }
        if (path && writable(path)) {
            json_decref(scenario);
            return 1;
        }
    }
    session s;
    if (cli_session_open(&s, a)) {
        json_decref(scenario);
        return 1;
    }
    pj_buf out;
    pj_buf_init(&out, (size_t)512 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    int rc;
    if (!sub) {
        rc = make(a, &s, scenario, &w, &out);
        json_decref(scenario);
    } else {
        if (!strcmp(sub, "list"))
            rc = pj_plan_list(&s.ctx, cli_opt(a, "status"), 0, 500, &w, &s.err);
        else if (!strcmp(sub, "show"))
            rc = pj_plan_get(&s.ctx, id, &w, &s.err);
        else if (!strcmp(sub, "adopt"))
            rc = pj_plan_adopt(&s.ctx, id, NULL, &w, &s.err);
        else
            rc = pj_plan_compare(&s.ctx, id, id2, &w, &s.err);
        if (rc)
            rc = cli_fail(&s.err);
        else if (!strcmp(sub, "show") || !strcmp(sub, "adopt")) {
            json_t *plan = json_loads(out.data, 0, NULL);
            print_plan(plan);
            json_decref(plan);
        } else
            cli_print_json(out.data);
    }
    pj_buf_free(&out);
    cli_session_close(&s);
    return rc;
}
