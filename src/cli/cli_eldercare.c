/* Eldercare verbs of the command line: elder, helper, pair, vulnerable. The command line acts
 * as a local administrator (numbers are masked unless --reveal, which is audited). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "core/util.h"
#include "domain/elder.h"

#include "core/banned.h"

typedef int (*sub_fn)(session *s, cli *a, int64_t id, json_t *body, pj_jw *w, pj_buf *csv);

typedef struct sub {
    const char *name;
    int needs_id, needs_json;
    sub_fn fn;
} sub;

static int64_t opt_id(cli *a, const char *k)
{
    int64_t v = 0;
    if (cli_opt(a, k) && cli_parse_id(cli_opt(a, k), &v)) return -1;
    return v;
}

static int opt_limit(cli *a)
{
    int64_t v = 50;
    if (cli_opt(a, "limit") && (pj_parse_i64(cli_opt(a, "limit"), &v) || v < 1 || v > 500))
        return -1;
    return (int)v;
}

static int run(cli *a, const sub *subs, const char *def)
{
    const char *name = a->npos > 1 ? a->pos[1] : def;
    const sub *sb = NULL;
    for (int i = 0; subs[i].name; i++)
        if (!strcmp(subs[i].name, name)) sb = &subs[i];
    if (!sb) {
        char msg[256] = "sub-commands:";
        size_t len = strlen(msg);
        for (int i = 0; subs[i].name; i++) {
            int k = snprintf(msg + len, sizeof msg - len, " %s", subs[i].name);
            if (k > 0 && (size_t)k < sizeof msg - len) len += (size_t)k;
        }
        return cli_usage(msg);
    }
    int64_t id = 0;
    if (sb->needs_id && cli_parse_id(a->npos > 2 ? a->pos[2] : NULL, &id))
        return cli_usage("give the id after the sub-command");
    json_t *body = NULL;
    if (sb->needs_json && !(body = cli_json_arg(a)))
        return cli_opt(a, "json") ? 1 : cli_usage("give --json '{…}' or --json @file.json");
    session s;
    if (cli_session_open(&s, a)) {
        json_decref(body);
        return 1;
    }
    pj_buf out, csv;
    pj_buf_init(&out, 256 << 20);
    pj_buf_init(&csv, 64 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    int rc = sb->fn(&s, a, id, body, &w, &csv);
    if (rc == -1)
        rc = cli_fail(&s.err);
    else if (rc == 0 && csv.len)
        fputs(csv.data, stdout);
    else if (rc == 0 && out.len)
        cli_print_json(out.data);
    pj_buf_free(&out);
    pj_buf_free(&csv);
    json_decref(body);
    cli_session_close(&s);
    return rc;
}

/* ---- elder ---- */

static int el_list(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    pj_elder_filter f = {.region_id = opt_id(a, "region-id"),
                         .visit_tier = cli_opt(a, "tier"),
                         .q = cli_opt(a, "q"),
                         .vulnerable_only = cli_opt(a, "vulnerable") != NULL,
                         .unpaired_only = cli_opt(a, "unpaired") != NULL,
                         .reveal = cli_opt(a, "reveal") != NULL,
                         .cursor = opt_id(a, "cursor"),
                         .limit = opt_limit(a)};
    if (f.region_id < 0 || f.limit < 0 || f.cursor < 0)
        return cli_usage("--region-id, --cursor and --limit (1–500) take numbers");
    return pj_elder_list(&s->ctx, &f, w, &s->err);
}
static int el_get(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_elder_get(&s->ctx, id, cli_opt(a, "reveal") != NULL, w, &s->err);
}
static int el_add(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_elder_create(&s->ctx, b, w, &s->err);
}
static int el_update(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_elder_update(&s->ctx, id, b, w, &s->err);
}
static int el_scan(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t at = pj_now();
    if (cli_opt(a, "at") && pj_time_parse(cli_opt(a, "at"), &at))
        return cli_usage("--at takes YYYY-MM-DDTHH:MM:SSZ");
    return pj_alert_scan(&s->ctx, at, w, &s->err);
}
static int el_coverage(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t region = opt_id(a, "region-id");
    if (region < 0) return cli_usage("--region-id takes an id");
    return pj_elder_coverage(&s->ctx, cli_opt(a, "group"), region, 0, 0, w,
                             cli_opt(a, "csv") ? csv : NULL, &s->err);
}
static int el_check(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_credit_check(&s->ctx, w, &s->err);
}
static int el_demo(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t n = 0;
    if (cli_opt(a, "elders") && (pj_parse_i64(cli_opt(a, "elders"), &n) || n < 1 || n > 1000000))
        return cli_usage("--elders takes 1 to 1000000");
    double t0 = (double)pj_now_ms();
    if (pj_db_begin(s->db, &s->err)) return -1;
    if (pj_eldercare_demo_sized(&s->ctx, 20240801, (int)n, &s->err) ||
        pj_db_commit(s->db, &s->err)) {
        pj_db_rollback(s->db);
        return -1;
    }
    fprintf(stderr, "pingji: eldercare demo loaded in %.1f s\n",
            ((double)pj_now_ms() - t0) / 1000.0);
    return 0;
}

int cli_elder(cli *a)
{
    static const sub subs[] = {{"list", 0, 0, el_list},
                               {"get", 1, 0, el_get},
                               {"add", 0, 1, el_add},
                               {"update", 1, 1, el_update},
                               {"alerts-scan", 0, 0, el_scan},
                               {"coverage", 0, 0, el_coverage},
                               {"ledger-check", 0, 0, el_check},
                               {"demo", 0, 0, el_demo},
                               {NULL, 0, 0, NULL}};
    return run(a, subs, "list");
}

/* ---- helper ---- */

static int he_list(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    pj_helper_filter f = {.region_id = opt_id(a, "region-id"),
                          .skill = cli_opt(a, "skill"),
                          .q = cli_opt(a, "q"),
                          .reveal = cli_opt(a, "reveal") != NULL,
                          .cursor = opt_id(a, "cursor"),
                          .limit = opt_limit(a)};
    if (f.region_id < 0 || f.limit < 0 || f.cursor < 0)
        return cli_usage("--region-id, --cursor and --limit (1–500) take numbers");
    return pj_helper_list(&s->ctx, &f, w, &s->err);
}
static int he_get(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_helper_get(&s->ctx, id, cli_opt(a, "reveal") != NULL, w, &s->err);
}
static int he_add(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_helper_create(&s->ctx, b, w, &s->err);
}
static int he_update(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_helper_update(&s->ctx, id, b, w, &s->err);
}

int cli_helper(cli *a)
{
    static const sub subs[] = {{"list", 0, 0, he_list},
                               {"get", 1, 0, he_get},
                               {"add", 0, 1, he_add},
                               {"update", 1, 1, he_update},
                               {NULL, 0, 0, NULL}};
    return run(a, subs, "list");
}

/* ---- pair ---- */

static int pa_run(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t region = opt_id(a, "region-id");
    if (region <= 0) return cli_usage("pair run --region-id N");
    json_t *req = json_object();
    json_object_set_new(req, "region_id", json_integer(region));
    int rc = pj_pair_run_create(&s->ctx, req, w, &s->err);
    json_decref(req);
    return rc;
}
static int pa_show(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int limit = opt_limit(a);
    if (limit < 0) return cli_usage("--limit takes 1 to 500");
    return pj_pair_run_get(&s->ctx, id, cli_opt(a, "state"), 0, limit, w, &s->err);
}
static int pa_accept(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_pair_run_decide(&s->ctx, id, "accept", NULL, w, &s->err);
}
static int pa_reject(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_pair_run_decide(&s->ctx, id, "reject", NULL, w, &s->err);
}
static int pa_list(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t eid = opt_id(a, "elder-id"), hid = opt_id(a, "helper-id");
    int limit = opt_limit(a);
    if (eid < 0 || hid < 0 || limit < 0) return cli_usage("--elder-id/--helper-id take ids");
    return pj_pair_list(&s->ctx, eid, hid, cli_opt(a, "state"), 0, limit, w, &s->err);
}

int cli_pair(cli *a)
{
    static const sub subs[] = {{"run", 0, 0, pa_run},       {"show", 1, 0, pa_show},
                               {"accept", 1, 0, pa_accept}, {"reject", 1, 0, pa_reject},
                               {"list", 0, 0, pa_list},     {NULL, 0, 0, NULL}};
    return run(a, subs, "list");
}

/* ---- vulnerable ---- */

static int vu_list(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t region = opt_id(a, "region-id");
    int limit = opt_limit(a);
    if (region < 0 || limit < 0) return cli_usage("--region-id takes an id, --limit 1–500");
    return pj_vulnerable_list(&s->ctx, region, cli_opt(a, "reveal") != NULL, 0, limit,
                              cli_opt(a, "csv") ? NULL : w, cli_opt(a, "csv") ? csv : NULL,
                              &s->err);
}

int cli_vulnerable(cli *a)
{
    static const sub subs[] = {{"list", 0, 0, vu_list}, {NULL, 0, 0, NULL}};
    return run(a, subs, "list");
}
