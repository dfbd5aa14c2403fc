/* Eldercare verbs of the command line: elder, helper, pair, vulnerable. The command line acts
 * as a local administrator (numbers are masked unless --reveal, which is audited). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "core/util.h"
#include "domain/elder.h"

#include "core/banned.h"

/* ---- elder ---- */

static int el_list(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    if (cli_opt_enum(a, "tier", pj_visit_tiers) || cli_opt_text(a, "q")) return 2;
    pj_elder_filter f = {.region_id = cli_opt_id(a, "region-id"),
                         .visit_tier = cli_opt(a, "tier"),
                         .q = cli_opt(a, "q"),
                         .vulnerable_only = cli_opt(a, "vulnerable") != NULL,
                         .unpaired_only = cli_opt(a, "unpaired") != NULL,
                         .reveal = cli_opt(a, "reveal") != NULL,
                         .cursor = cli_opt_id(a, "cursor"),
                         .limit = cli_opt_limit(a)};
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
    if (cli_opt(a, "at") && pj_time_parse_local(cli_opt(a, "at"), &at))
        return cli_usage("--at takes YYYY-MM-DD (Beijing) or YYYY-MM-DDTHH:MM:SSZ");
    return pj_alert_scan(&s->ctx, at, w, &s->err);
}
static int el_coverage(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t region = cli_opt_id(a, "region-id");
    if (region < 0) return cli_usage("--region-id takes an id");
    if (cli_opt_enum(a, "group", pj_coverage_groups)) return 2;
    return pj_elder_coverage(&s->ctx, cli_opt(a, "group"), region, 0, 0, w,
                             cli_opt(a, "csv") ? csv : NULL, &s->err);
}
static int el_check(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_credit_check(&s->ctx, w, &s->err);
}
/* ---- alerts and the time-credit ledger ---- */

static int el_alerts(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    if (cli_opt_enum(a, "state", pj_alert_states) || cli_opt_enum(a, "kind", pj_alert_kinds) ||
        cli_opt_enum(a, "level", pj_alert_levels))
        return 2;
    int64_t eid = cli_opt_id(a, "elder-id"), cursor = cli_opt_id(a, "cursor");
    int limit = cli_opt_limit(a);
    if (eid < 0 || cursor < 0 || limit < 0)
        return cli_usage("--elder-id, --cursor and --limit (1–500) take numbers");
    return pj_alert_list(&s->ctx, cli_opt(a, "state"), cli_opt(a, "kind"), cli_opt(a, "level"), eid,
                         cursor, limit, w, &s->err);
}
/* The alert as the list shows it (the domain has no single read): the page below id + 1. */
static int el_alert_current(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_alert_list(&s->ctx, NULL, NULL, NULL, 0, id + 1, 1, w, &s->err);
}
static int el_alert_ack(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_alert_action(&s->ctx, id, "ack", b, w, &s->err);
}
static int el_alert_resolve(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_alert_action(&s->ctx, id, "resolve", b, w, &s->err);
}
static int el_credit(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t cursor = cli_opt_id(a, "cursor");
    int limit = cli_opt_limit(a);
    if (cursor < 0 || limit < 0) return cli_usage("--cursor and --limit (1–500) take numbers");
    return pj_credit_account_get(&s->ctx, id, cursor, limit, w, &s->err);
}
static int el_transfer(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_credit_transfer(&s->ctx, id, b, w, &s->err);
}
static int el_redeem(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_credit_redeem(&s->ctx, id, b, w, &s->err);
}
/* The records as updates read them (numbers masked: nothing is audited as read). */
static int el_current(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_elder_get(&s->ctx, id, 0, w, &s->err);
}

/* 1 when the register holds an elder, 0 when empty, -1 on error. */
static int any_elder(session *s)
{
    pj_elder_filter f = {.limit = 1};
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    int rc = pj_elder_list(&s->ctx, &f, &w, &s->err);
    json_t *v = rc ? NULL : json_loads(out.data, 0, NULL);
    if (!rc) rc = json_array_size(json_object_get(v, "items")) > 0;
    json_decref(v);
    pj_buf_free(&out);
    return rc;
}

static int el_demo(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t n = 0;
    if (cli_opt(a, "elders") && (pj_parse_i64(cli_opt(a, "elders"), &n) || n < 1 || n > 1000000))
        return cli_usage("--elders takes 1 to 1000000");
    /* the domain loads nothing into a register that has elders, or where there are no grids */
    int had = any_elder(s);
    if (had < 0) return -1;
    if (had) {
        fprintf(stderr, "pingji: the eldercare demo is already loaded (the register has elders)\n");
        return 1;
    }
    double t0 = (double)pj_now_ms();
    if (pj_db_begin(s->db, &s->err)) return -1;
    if (pj_eldercare_demo_sized(&s->ctx, 20240801, (int)n, &s->err) ||
        pj_db_commit(s->db, &s->err)) {
        pj_db_rollback(s->db);
        return -1;
    }
    int now = any_elder(s);
    if (now < 0) return -1;
    if (!now) {
        fprintf(stderr, "pingji: no eldercare demo loaded: the district has no grids to place "
                        "elders in (load the demo district with pingji init --demo)\n");
        return 1;
    }
    fprintf(stderr, "pingji: eldercare demo loaded in %.1f s\n",
            ((double)pj_now_ms() - t0) / 1000.0);
    return 0;
}

int cli_elder(cli *a)
{
    static const cli_sub subs[] = {{"list", 0, 0, el_list},
                                   {"get", 1, 0, el_get},
                                   {"add", 0, 1, el_add},
                                   {"update", 1, 1, el_update, 0, el_current},
                                   {"alerts", 0, 0, el_alerts},
                                   {"alert-ack", 1, 2, el_alert_ack, 0, el_alert_current},
                                   {"alert-resolve", 1, 1, el_alert_resolve, 0, el_alert_current},
                                   {"credit", 1, 0, el_credit},
                                   {"transfer", 1, 1, el_transfer},
                                   {"redeem", 1, 1, el_redeem},
                                   {"alerts-scan", 0, 0, el_scan},
                                   {"coverage", 0, 0, el_coverage},
                                   {"ledger-check", 0, 0, el_check},
                                   {"demo", 0, 0, el_demo},
                                   {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "list");
}

/* ---- helper ---- */

static int he_list(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    if (cli_opt_enum(a, "skill", pj_elder_skills) || cli_opt_text(a, "q")) return 2;
    pj_helper_filter f = {.region_id = cli_opt_id(a, "region-id"),
                          .skill = cli_opt(a, "skill"),
                          .q = cli_opt(a, "q"),
                          .reveal = cli_opt(a, "reveal") != NULL,
                          .cursor = cli_opt_id(a, "cursor"),
                          .limit = cli_opt_limit(a)};
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
static int he_current(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_helper_get(&s->ctx, id, 0, w, &s->err);
}
static int he_update(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    /* a helper made inactive, or moved to another township, keeps no pair: say how many ended,
     * as the update counted them (the answer's pairs_ended, as the API and the console say) */
    int ended;
    if (pj_helper_update_n(&s->ctx, id, b, w, &ended, &s->err)) return -1;
    if (ended > 0)
        fprintf(stderr, "pingji: the helper's %d pair(s) ended; the elders may be paired again\n",
                ended);
    return 0;
}

int cli_helper(cli *a)
{
    static const cli_sub subs[] = {{"list", 0, 0, he_list},
                                   {"get", 1, 0, he_get},
                                   {"add", 0, 1, he_add},
                                   {"update", 1, 1, he_update, 0, he_current},
                                   {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "list");
}

/* ---- pair ---- */

static int pa_run(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t region = cli_opt_id(a, "region-id");
    if (region <= 0) return cli_usage("pair run --region-id N");
    json_t *req = json_object();
    json_object_set_new(req, "region_id", json_integer(region));
    int rc = pj_pair_run_create(&s->ctx, req, w, &s->err);
    json_decref(req);
    return rc;
}
static int pa_show(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    if (cli_opt_enum(a, "state", pj_proposal_states)) return 2;
    int64_t cursor = cli_opt_id(a, "cursor");
    int limit = cli_opt_limit(a);
    if (cursor < 0 || limit < 0) return cli_usage("--cursor and --limit (1–500) take numbers");
    return pj_pair_run_get(&s->ctx, id, cli_opt(a, "state"), cursor, limit, w, &s->err);
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
    int64_t eid = cli_opt_id(a, "elder-id"), hid = cli_opt_id(a, "helper-id"),
            cursor = cli_opt_id(a, "cursor");
    int limit = cli_opt_limit(a);
    if (eid < 0 || hid < 0 || cursor < 0 || limit < 0)
        return cli_usage("--elder-id, --helper-id, --cursor and --limit (1–500) take numbers");
    if (cli_opt_enum(a, "state", pj_pair_states)) return 2;
    return pj_pair_list(&s->ctx, eid, hid, cli_opt(a, "state"), 0, cursor, limit, w, &s->err);
}

/* The pair as the list shows it (the domain has no single read): the page above id - 1. */
static int pa_current(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_pair_list(&s->ctx, 0, 0, NULL, 0, id - 1, 1, w, &s->err);
}
static int pa_end(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_pair_end(&s->ctx, id, b, w, &s->err);
}

/* A pair by hand ({elder_id, helper_id, start_date?, reason?}), as an officer makes one. */
static int pa_add(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_pair_create(&s->ctx, b, w, &s->err);
}

/* ---- pairing requests (结对申请): the grid workers ask, the command line decides ---- */

static int pr_list(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t eid = cli_opt_id(a, "elder-id"), cursor;
    int limit;
    if (cli_opt_page(a, 50, &cursor, &limit)) return 2;
    if (eid < 0) return cli_usage("--elder-id takes an id");
    if (cli_opt_enum(a, "state", pj_pair_request_states)) return 2;
    return pj_pair_request_list(&s->ctx, cli_opt(a, "state"), eid, cursor, limit, w, &s->err);
}
static int pr_get(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_pair_request_get(&s->ctx, id, w, &s->err);
}
static int pr_accept(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_pair_request_decide(&s->ctx, id, "accept", b, w, &s->err);
}
static int pr_decline(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_pair_request_decide(&s->ctx, id, "decline", b, w, &s->err);
}

int cli_pair(cli *a)
{
    static const cli_sub subs[] = {{"run", 0, 0, pa_run},
                                   {"show", 1, 0, pa_show},
                                   {"accept", 1, 0, pa_accept},
                                   {"reject", 1, 0, pa_reject},
                                   {"list", 0, 0, pa_list},
                                   {"add", 0, 1, pa_add},
                                   {"end", 1, 2, pa_end, 0, pa_current},
                                   {"requests", 0, 0, pr_list},
                                   {"request-get", 1, 0, pr_get},
                                   {"request-accept", 1, 2, pr_accept, 0, pr_get},
                                   {"request-decline", 1, 1, pr_decline, 0, pr_get},
                                   {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "list");
}

/* ---- vulnerable ---- */

static int vu_list(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t region = cli_opt_id(a, "region-id"), cursor = cli_opt_id(a, "cursor");
    int limit = cli_opt_limit(a);
    if (region < 0 || cursor < 0 || limit < 0)
        return cli_usage("--region-id and --cursor take ids, --limit 1–500");
    return pj_vulnerable_list(&s->ctx, region, cli_opt(a, "reveal") != NULL, cursor, limit,
                              cli_opt(a, "csv") ? NULL : w, cli_opt(a, "csv") ? csv : NULL,
                              &s->err);
}

int cli_vulnerable(cli *a)
{
    static const cli_sub subs[] = {{"list", 0, 0, vu_list}, {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "list");
}
