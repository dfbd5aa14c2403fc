/* Dual-use verbs of the command line: standard, manual, convert, drill, overview, stock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "core/file.h"
#include "core/util.h"
#include "domain/dualuse.h"
#include "domain/registry.h"

#include "core/banned.h"

/* ---- standard ---- */

static int std_list(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int limit = cli_opt_limit(a);
    int64_t cursor = cli_opt_id(a, "cursor");
    if (limit < 0) return cli_usage("--limit takes 1 to 500");
    if (cursor < 0) return cli_usage("--cursor takes the next_cursor of the page before");
    /* unknown values are refused (as the API's 400), not answered with an empty list */
    if (cli_opt_enum(a, "facility-type", pj_facility_types) ||
        cli_opt_enum(a, "scenario", pj_scenarios) || cli_opt_enum(a, "role", pj_emergency_roles))
        return 2;
    return pj_standard_list(&s->ctx, cli_opt(a, "facility-type"), cli_opt(a, "scenario"),
                            cli_opt(a, "role"), cli_opt(a, "in-force") != NULL, cursor, limit, w,
                            &s->err);
}
static int std_get(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_standard_get(&s->ctx, id, w, &s->err);
}
static int std_add(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_standard_create(&s->ctx, b, w, &s->err);
}

int cli_standard(cli *a)
{
    static const cli_sub subs[] = {{"list", 0, 0, std_list},
                                   {"get", 1, 0, std_get},
                                   {"add", 0, 1, std_add},
                                   {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "list");
}

/* ---- manual ---- */

static int man_list(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t fid = cli_opt_id(a, "facility-id"), cursor = cli_opt_id(a, "cursor");
    int limit = cli_opt_limit(a);
    if (fid < 0 || cursor < 0 || limit < 0)
        return cli_usage("--facility-id, --cursor and --limit take numbers");
    if (cli_opt_enum(a, "scenario", pj_scenarios)) return 2;
    return pj_manual_list(&s->ctx, fid, cli_opt(a, "scenario"), cli_opt(a, "latest") != NULL,
                          cursor, limit, w, &s->err);
}
static int man_get(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_manual_get(&s->ctx, id, w, &s->err);
}
static int man_add(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_manual_create(&s->ctx, b, w, &s->err);
}
static int man_export(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return cli_opt(a, "csv") ? pj_manual_export_csv(&s->ctx, id, csv, &s->err)
                             : pj_manual_get(&s->ctx, id, w, &s->err);
}
static int man_import(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    const char *file = cli_opt(a, "csv");
    int64_t fid = cli_opt_id(a, "facility-id"), based_on = cli_opt_id(a, "based-on");
    if (!file || !*file || fid <= 0 || based_on < 0 || !cli_opt(a, "scenario") ||
        !cli_opt(a, "role") || !cli_opt(a, "title"))
        return cli_usage("manual import --facility-id N --scenario S --role R --title T --csv FILE"
                         " [--based-on N]");
    pj_buf text;
    if (pj_file_read(file, 1 << 20, &text, "csv", &s->err)) {
        pj_buf_free(&text);
        return -1;
    }
    /* the file, not a request's field: "csv must not be empty (leave it out for none)" was
     * the API's word for it */
    if (!text.len) {
        pj_buf_free(&text);
        return pj_fail(&s->err, 400, "bad_file", "csv",
                       "%s is empty: a manual's table begins with a line naming its 8 columns"
                       " (pingji manual export ID --csv writes one)",
                       file);
    }
    json_t *req = json_object();
    json_object_set_new(req, "facility_id", json_integer(fid));
    json_object_set_new(req, "scenario", json_string(cli_opt(a, "scenario")));
    json_object_set_new(req, "role", json_string(cli_opt(a, "role")));
    json_object_set_new(req, "title", json_string(cli_opt(a, "title")));
    json_t *body = json_stringn(text.data ? text.data : "", text.len);
    pj_buf_free(&text);
    if (!body) {
        json_decref(req);
        return pj_fail(&s->err, 400, "bad_file", "csv", "%s is not UTF-8 text", file);
    }
    json_object_set_new(req, "csv", body);
    /* the version the table was exported from: refused (409) when a newer one was saved since */
    if (based_on) json_object_set_new(req, "based_on", json_integer(based_on));
    int rc = pj_manual_create(&s->ctx, req, w, &s->err);
    json_decref(req);
    return rc;
}

int cli_manual(cli *a)
{
    static const cli_sub subs[] = {{"list", 0, 0, man_list},     {"get", 1, 0, man_get},
                                   {"add", 0, 1, man_add},       {"export", 1, 0, man_export},
                                   {"import", 0, 0, man_import}, {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "list");
}

/* ---- convert and drill ---- */

static int start_common(session *s, cli *a, const char *mode, pj_jw *w)
{
    int64_t fid = cli_opt_id(a, "facility-id"), mid = cli_opt_id(a, "manual-id");
    if (fid <= 0 || mid < 0 || !cli_opt(a, "scenario"))
        return cli_usage("start --facility-id N --scenario S [--manual-id N]");
    json_t *req = json_object();
    json_object_set_new(req, "facility_id", json_integer(fid));
    json_object_set_new(req, "scenario", json_string(cli_opt(a, "scenario")));
    json_object_set_new(req, "mode", json_string(mode));
    if (mid) json_object_set_new(req, "manual_id", json_integer(mid));
    int rc = pj_conversion_start(&s->ctx, req, w, &s->err);
    json_decref(req);
    return rc;
}

static int conv_start(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return start_common(s, a, "live", w);
}
static int drill_start(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return start_common(s, a, "drill", w);
}
static int list_common(session *s, cli *a, const char *mode, pj_jw *w)
{
    int64_t fid = cli_opt_id(a, "facility-id"), tid = cli_opt_id(a, "township-id"),
            pid = cli_opt_id(a, "plan-id"), cursor = cli_opt_id(a, "cursor");
    int limit = cli_opt_limit(a);
    if (fid < 0 || tid < 0 || pid < 0 || cursor < 0 || limit < 0)
        return cli_usage("--facility-id, --township-id, --plan-id, --cursor and --limit (1–500)"
                         " take numbers");
    /* an unknown state is refused (as the API's 400), not answered with an empty list */
    if (cli_opt_enum(a, "state", pj_conversion_states)) return 2;
    return pj_conversion_list(&s->ctx, fid, tid, pid, mode, cli_opt(a, "state"), cursor, limit, w,
                              &s->err);
}
static int conv_list(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return list_common(s, a, "live", w);
}
static int drill_list(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return list_common(s, a, "drill", w);
}
static int conv_get(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_conversion_get(&s->ctx, id, w, &s->err);
}
/* The verbs act on conversions of their own mode (pos[0]: "convert" live ones, "drill" drills):
 * `drill abort ID` on a live conversion would put its facility back in peacetime, `drill
 * step-finish` could complete a live conversion and put its facility in emergency. id is a
 * conversion's, or with step a conversion step's. 0 when the modes agree or there is no such
 * row (the action then says so), else -1 with s->err (422, field id, nothing written). */
static int same_mode(session *s, cli *a, int64_t id, int step, const char *sub)
{
    const char *mode = !strcmp(a->pos[0], "drill") ? "drill" : "live";
    pj_stmt *q = pj_db_prepare(s->ctx.db,
                               step ? "SELECT v.id, v.mode FROM conversion_steps cs JOIN"
                                      " conversions v ON v.id = cs.conversion_id WHERE cs.id = ?"
                                    : "SELECT id, mode FROM conversions WHERE id = ?",
                               &s->err);
    if (!q) return -1;
    pj_stmt_int(q, 1, id);
    int rc = pj_stmt_step(q, &s->err);
    int64_t conv = rc == 1 ? pj_col_int(q, 0) : 0;
    int same = rc != 1 || !strcmp(pj_col_text(q, 1), mode);
    pj_stmt_done(q);
    if (rc < 0) return -1;
    if (same) return 0;
    int drill = !strcmp(mode, "drill"); /* the verb's; the row is of the other mode */
    const char *other = drill ? "convert" : "drill";
    if (step)
        return pj_fail(&s->err, 422, "invalid_value", "id",
                       "step %lld belongs to %s %lld, not to %s: use pingji %s %s %lld",
                       (long long)id, drill ? "live conversion" : "drill", (long long)conv,
                       drill ? "a drill" : "a live conversion", other, sub, (long long)id);
    return pj_fail(&s->err, 422, "invalid_value", "id",
                   "conversion %lld is %s, not %s: use pingji %s %s %lld", (long long)id,
                   drill ? "a live conversion" : "a drill", drill ? "a drill" : "a live conversion",
                   other, sub, (long long)id);
}

static int step_act(session *s, cli *a, int64_t id, const char *action, pj_jw *w)
{
    static const char *const subs[][2] = {
        {"start", "step-start"}, {"finish", "step-finish"}, {"sign", "sign"}};
    const char *sub = "sign";
    for (int k = 0; k < 3; k++)
        if (!strcmp(action, subs[k][0])) sub = subs[k][1];
    if (same_mode(s, a, id, 1, sub)) return -1;
    json_t *req = json_object();
    if (cli_opt(a, "remarks"))
        json_object_set_new(req, "remarks", json_string(cli_opt(a, "remarks")));
    if (cli_opt(a, "item")) json_object_set_new(req, "item", json_string(cli_opt(a, "item")));
    int rc = pj_conversion_step_action(&s->ctx, id, action, req, w, &s->err);
    json_decref(req);
    /* a pending step's items wait for it: say which command comes first */
    if (rc && !strcmp(s->err.code, "step_not_started")) {
        char msg[sizeof s->err.message + 96];
        snprintf(msg, sizeof msg, "%s; start it first: pingji %.16s step-start %lld",
                 s->err.message, a->pos[0], (long long)id);
        snprintf(s->err.message, sizeof s->err.message, "%.*s", (int)(sizeof s->err.message - 1),
                 msg);
    }
    return rc;
}
static int step_start(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return step_act(s, a, id, "start", w);
}
static int step_finish(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return step_act(s, a, id, "finish", w);
}
static int step_sign(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    if (!cli_opt(a, "item")) return cli_usage("sign STEP_ID --item \"checklist item\"");
    return step_act(s, a, id, "sign", w);
}
/* --confirm (restoring or aborting a site that still houses people of adopted plans) needs
 * --reason */
static int conv_restore(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    if (cli_opt(a, "confirm") && !cli_opt(a, "reason"))
        return cli_usage("restore ID --confirm --reason R");
    json_t *req = json_object();
    if (cli_opt(a, "confirm")) json_object_set_new(req, "confirm", json_true());
    if (cli_opt(a, "reason")) json_object_set_new(req, "reason", json_string(cli_opt(a, "reason")));
    int rc = pj_conversion_action(&s->ctx, id, "restore", req, w, &s->err);
    json_decref(req);
    return rc;
}
static int conv_abort(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    /* the usage of the verb's own abort: a drill's takes no --confirm (it houses no one) */
    if (!cli_opt(a, "reason"))
        return cli_usage(strcmp(a->pos[0], "drill") ? "abort ID --reason R [--confirm]"
                                                    : "abort ID --reason R");
    if (same_mode(s, a, id, 0, "abort")) return -1;
    json_t *req = json_object();
    json_object_set_new(req, "reason", json_string(cli_opt(a, "reason")));
    if (cli_opt(a, "confirm")) json_object_set_new(req, "confirm", json_true());
    int rc = pj_conversion_action(&s->ctx, id, "abort", req, w, &s->err);
    json_decref(req);
    return rc;
}
static int conv_timeline(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_conversion_timeline(&s->ctx, id, w, &s->err);
}

int cli_convert(cli *a)
{
    static const cli_sub subs[] = {{"list", 0, 0, conv_list},
                                   {"start", 0, 0, conv_start},
                                   {"get", 1, 0, conv_get},
                                   {"step-start", 1, 0, step_start},
                                   {"step-finish", 1, 0, step_finish},
                                   {"sign", 1, 0, step_sign},
                                   {"restore", 1, 0, conv_restore},
                                   {"abort", 1, 0, conv_abort},
                                   {"timeline", 1, 0, conv_timeline},
                                   {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "list");
}

static int drill_report(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return cli_opt(a, "csv") ? pj_drill_report_csv(&s->ctx, id, csv, &s->err)
                             : pj_drill_report(&s->ctx, id, w, &s->err);
}
static int drill_trend(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_drill_trend(&s->ctx, id, w, &s->err);
}
static int finding_add(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_finding_create(&s->ctx, id, b, w, &s->err);
}
/* The finding as the list shows it (the domain has no single read): the page above id - 1. */
static int finding_current(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_finding_list(&s->ctx, NULL, 0, id - 1, 1, w, &s->err);
}
static int finding_update(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_finding_update(&s->ctx, id, b, w, &s->err);
}
static int findings(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t fid = cli_opt_id(a, "facility-id"), cursor = cli_opt_id(a, "cursor");
    int limit = cli_opt_limit(a);
    if (fid < 0 || cursor < 0 || limit < 0)
        return cli_usage("--facility-id, --cursor and --limit (1–500) take numbers");
    if (cli_opt_enum(a, "status", pj_finding_statuses)) return 2;
    return pj_finding_list(&s->ctx, cli_opt(a, "status"), fid, cursor, limit, w, &s->err);
}

int cli_drill(cli *a)
{
    static const cli_sub subs[] = {{"list", 0, 0, drill_list},
                                   {"start", 0, 0, drill_start},
                                   {"get", 1, 0, conv_get},
                                   {"step-start", 1, 0, step_start},
                                   {"step-finish", 1, 0, step_finish},
                                   {"sign", 1, 0, step_sign},
                                   {"abort", 1, 0, conv_abort},
                                   {"report", 1, 0, drill_report},
                                   {"trend", 1, 0, drill_trend},
                                   {"finding-add", 1, 1, finding_add},
                                   {"finding-update", 1, 1, finding_update, 0, finding_current},
                                   {"findings", 0, 0, findings},
                                   {"plans", 0, 0, cli_drill_plans, 4},
                                   {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "list");
}

/* ---- overview, stock ---- */

static int overview(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t pop = cli_opt_id(a, "population");
    /* the API's range (GET /overview?population=, 1 to 100,000,000): beyond it every day's
     * supply read 0 */
    if (pop < 0 || pop > 100000000)
        return cli_usage("--population takes a number of people from 1 to 100000000");
    const char *scn = cli_opt(a, "scenario") ? cli_opt(a, "scenario") : "epidemic";
    int ok = 0;
    for (int i = 0; pj_scenarios[i]; i++) ok |= !strcmp(scn, pj_scenarios[i]);
    if (!ok) return cli_usage("--scenario is epidemic, disaster, holiday or event");
    return pj_overview(&s->ctx, scn, pop, w, &s->err);
}

int cli_overview(cli *a)
{
    static const cli_sub subs[] = {{"show", 0, 0, overview}, {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "show");
}

static int stock_list(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t fid = cli_opt_id(a, "facility-id"), cursor = cli_opt_id(a, "cursor");
    int limit = cli_opt_limit(a);
    if (fid < 0 || cursor < 0 || limit < 0)
        return cli_usage("--facility-id, --cursor and --limit (1–500) take numbers");
    return pj_stock_list(&s->ctx, fid, cli_opt(a, "category"), NULL, cursor, 0, limit, w, &s->err);
}
static int stock_add(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_stock_create(&s->ctx, b, w, &s->err);
}
/* The stock line as the list shows it (the domain has no single read): the page above id - 1. */
static int stock_current(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_stock_list(&s->ctx, 0, NULL, NULL, id - 1, 0, 1, w, &s->err);
}
static int stock_update(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_stock_update(&s->ctx, id, b, w, &s->err);
}
/* the current version, or the one --version names (checked as the API does) */
static int stock_delete(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t version = 0;
    const char *v = cli_opt(a, "version");
    if (v && (pj_parse_i64(v, &version) || version < 1))
        return cli_usage("--version takes the version of the line (1 or more)");
    return pj_stock_delete(&s->ctx, id, version, &s->err) ? -1 : cli_deleted(w, id);
}

int cli_stock(cli *a)
{
    static const cli_sub subs[] = {{"list", 0, 0, stock_list},
                                   {"add", 0, 1, stock_add},
                                   {"update", 1, 1, stock_update, 0, stock_current},
                                   {"delete", 1, 0, stock_delete},
                                   {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "list");
}
