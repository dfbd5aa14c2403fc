/* Indicator and carbon verbs of the command line: indicator, carbon, import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "core/file.h"
#include "core/util.h"
#include "domain/carbon.h"
#include "core/xlsx.h"
#include "domain/indicator.h"

#include "core/banned.h"

typedef int (*ind_fn)(session *s, cli *a, json_t *body, pj_jw *w, pj_buf *csv);
typedef struct isub {
    const char *name;
    int needs_json;
    ind_fn fn;
    int max_pos; /* positional arguments, the verb's included; 0: 2 */
} isub;

typedef struct isub_call {
    cli *a;
    const isub *sb;
    json_t *body;
} isub_call;
static int isub_work(session *s, void *arg, pj_jw *w, pj_buf *csv)
{
    isub_call *k = arg;
    return k->sb->fn(s, k->a, k->body, w, csv);
}

static int run(cli *a, const isub *subs, const char *def)
{
    const char *name = a->npos > 1 ? a->pos[1] : def;
    const isub *sb = NULL;
    for (int i = 0; subs[i].name; i++)
        if (!strcmp(subs[i].name, name)) sb = &subs[i];
    if (!sb) { /* named, with the ones there are (as the other verbs' tables) */
        char msg[768] = "sub-commands:";
        size_t len = strlen(msg);
        for (int i = 0; subs[i].name; i++) {
            int k = snprintf(msg + len, sizeof msg - len, " %s", subs[i].name);
            if (k > 0 && (size_t)k < sizeof msg - len) len += (size_t)k;
        }
        fprintf(stderr, "pingji: %s has no sub-command '%s'; %s (see pingji %s --help)\n",
                a->pos[0], name, msg, a->pos[0]);
        return 2;
    }
    if (cli_extra_args(a, sb->max_pos ? sb->max_pos : 2)) return 2;
    json_t *body = NULL;
    int rc;
    if (sb->needs_json && (rc = cli_json_body(a, &body))) return rc;
    isub_call call = {a, sb, body};
    return cli_session_work(a, body, 256 << 20, isub_work, &call);
}

static int pos_id(cli *a, int64_t *id)
{
    return cli_parse_id(a->npos > 2 ? a->pos[2] : NULL, id);
}

/* The version (--version N, else the stored one) of the record in the ID argument. */
static int id_version(cli *a, const char *usage, int64_t *id, int64_t *version)
{
    *version = 0;
    if (pos_id(a, id)) return cli_usage(usage);
    char msg[160];
    snprintf(msg, sizeof msg, "%s: N is the record's version", usage);
    if (cli_opt(a, "version") && (pj_parse_i64(cli_opt(a, "version"), version) || *version < 1))
        return cli_usage(msg);
    return 0;
}

static int i_list(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t cursor;
    int limit;
    if (cli_opt_page(a, 500, &cursor, &limit) || cli_opt_text(a, "q")) return 2;
    return pj_indicator_list(&s->ctx, cli_opt(a, "q"), cursor, limit, w, &s->err);
}
static int i_get(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t id;
    if (pos_id(a, &id)) return cli_usage("indicator get ID");
    return pj_indicator_get(&s->ctx, id, w, &s->err);
}
static int i_add(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_indicator_create(&s->ctx, b, w, &s->err);
}
static void vfilter(cli *a, pj_value_filter *f)
{
    memset(f, 0, sizeof *f);
    f->code = cli_opt(a, "code");
    f->region = cli_opt(a, "region");
    f->period = cli_opt(a, "period");
    f->from = cli_opt(a, "from");
    f->to = cli_opt(a, "to");
    f->limit = 500;
}
static int i_values(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    if (cli_opt_enum(a, "period-kind", pj_period_kinds) || cli_opt_text(a, "source")) return 2;
    pj_value_filter f;
    vfilter(a, &f);
    if (cli_opt_page(a, 500, &f.cursor, &f.limit)) return 2;
    f.kind = cli_opt(a, "period-kind"); /* the list's filters (the export has not these) */
    f.source = cli_opt(a, "source");
    return pj_ind_value_list(&s->ctx, &f, w, &s->err);
}
static int i_set(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_ind_value_create(&s->ctx, b, w, &s->err);
}
/* The command line changes the record as it is now: a body without "version" gets the current
 * one (read with get); no such record is said as such, not that the version is missing. */
static int current_version(session *s, int64_t id, json_t *b,
                           int (*get)(pj_ctx *, int64_t, pj_jw *, pj_err *))
{
    if (!json_is_object(b) || json_object_get(b, "version")) return 0;
    pj_buf cur;
    pj_buf_init(&cur, 1 << 20);
    pj_jw cw;
    pj_jw_init(&cw, &cur);
    int rc = get(&s->ctx, id, &cw, &s->err);
    if (rc == 0) cli_set_version(id, b, cur.data);
    pj_buf_free(&cur);
    return rc ? -1 : 0;
}

static int i_revise(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t id;
    if (pos_id(a, &id)) return cli_usage("indicator revise ID --json J");
    if (current_version(s, id, b, pj_ind_value_get)) return -1;
    return pj_ind_value_update(&s->ctx, id, b, w, &s->err);
}
static int i_delete(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t id, version;
    int rc = id_version(a, "indicator delete ID [--version N]", &id, &version);
    if (rc) return rc;
    return pj_ind_value_delete(&s->ctx, id, version, &s->err) ? -1 : cli_deleted(w, id);
}
static int i_targets(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t cursor;
    int limit;
    if (cli_opt_page(a, 500, &cursor, &limit)) return 2;
    return pj_ind_target_list(&s->ctx, cli_opt(a, "code"), cursor, limit, w, &s->err);
}
static int i_target_set(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_ind_target_create(&s->ctx, b, w, &s->err);
}
static int i_target_update(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t id;
    if (pos_id(a, &id)) return cli_usage("indicator target-update ID --json J");
    if (current_version(s, id, b, pj_ind_target_get)) return -1;
    return pj_ind_target_update(&s->ctx, id, b, w, &s->err);
}
static int i_target_delete(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t id, version;
    int rc = id_version(a, "indicator target-delete ID [--version N]", &id, &version);
    if (rc) return rc;
    return pj_ind_target_delete(&s->ctx, id, version, &s->err) ? -1 : cli_deleted(w, id);
}
static int i_derive(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    /* the function is part of the command: a missing or unknown one is a usage error */
    const char *fn = a->npos > 2 ? a->pos[2] : NULL;
    char list[128] = "";
    size_t len = 0;
    int known = 0;
    for (int i = 0; pj_derive_fns[i]; i++) {
        known |= fn && !strcmp(fn, pj_derive_fns[i]);
        int n = snprintf(list + len, sizeof list - len, "%s%s", i ? "|" : "", pj_derive_fns[i]);
        if (n > 0 && (size_t)n < sizeof list - len) len += (size_t)n;
    }
    if (!known) {
        fprintf(stderr,
                "pingji: indicator derive %s --code C …%s%s%s (see pingji indicator --help)\n",
                list, fn ? ": no function '" : "", fn ? fn : "", fn ? "'" : "");
        return 2;
    }
    pj_derive_args d = {.fn = a->npos > 2 ? a->pos[2] : NULL,
                        .code = cli_opt(a, "code"),
                        .region = cli_opt(a, "region"),
                        .period = cli_opt(a, "period"),
                        .from = cli_opt(a, "from"),
                        .to = cli_opt(a, "to"),
                        .method = cli_opt(a, "method"),
                        .of = cli_opt(a, "of"),
                        .base = cli_opt(a, "base"),
                        .by = cli_opt(a, "by"),
                        .target = cli_opt(a, "target")};
    return pj_ind_derive(&s->ctx, &d, w, &s->err);
}
int cli_write_export(cli *a, const pj_buf *data, const char *path, int xlsx, pj_jw *w)
{
    size_t n = data->len;
    if (path && cli_out_write(a, path, data->data, n)) return 1;
    if (!path && ((n && fwrite(data->data, 1, n, stdout) != n) || fflush(stdout))) {
        fprintf(stderr, "pingji: cannot write standard output\n");
        return 1;
    }
    if (path) {
        pj_jw_obj(w);
        pj_jw_kstr(w, "file", path);
        pj_jw_kstr(w, "format", xlsx ? "xlsx" : "csv");
        pj_jw_kint(w, "bytes", (int64_t)n);
        pj_jw_obj_end(w);
    }
    return 0;
}
int cli_ends_with_ci(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    if (n < m) return 0;
    for (size_t i = 0; i < m; i++) {
        char c = s[n - m + i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != tail[i]) return 0;
    }
    return 1;
}
/* export [--format csv|xlsx] [--headings en|zh] [--out FILE]: the format given, else xlsx for an
 * --out ending in .xlsx, else csv, under the import's English or Chinese headings; to FILE
 * (reporting what was written) or to standard output. */
static int i_export(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    const char *fmt = cli_opt(a, "format"), *path = cli_opt(a, "out");
    if (path && !*path) return cli_usage("indicator export: --out needs a file name");
    int xlsx;
    if (fmt)
        xlsx = !strcmp(fmt, "xlsx") ? 1 : !strcmp(fmt, "csv") ? 0 : -1;
    else
        xlsx = path && cli_ends_with_ci(path, ".xlsx");
    if (xlsx < 0) {
        fprintf(stderr, "pingji: unknown export format '%s' (csv or xlsx)\n", fmt);
        return 2;
    }
    /* a file named for the other format would not open as what it holds (as facility export) */
    if (fmt && path && !xlsx && cli_ends_with_ci(path, ".xlsx"))
        return cli_usage("indicator export --format csv writes CSV, not a workbook: name the file"
                         " .csv, or leave --format out to write a workbook");
    if (fmt && path && xlsx && cli_ends_with_ci(path, ".csv"))
        return cli_usage("indicator export --format xlsx writes a workbook, not CSV: name the file"
                         " .xlsx, or leave --format out to write CSV");
    if (xlsx && !path && isatty(STDOUT_FILENO))
        return cli_usage("indicator export --format xlsx writes a workbook: give --out FILE.xlsx"
                         " or redirect standard output");
    int zh;
    if (cli_opt_headings(a, &zh)) return 2;
    if (path && cli_out_check(a, path)) return 1;
    pj_value_filter f;
    vfilter(a, &f);
    pj_buf data;
    pj_buf_init(&data, 256 << 20);
    int rc = (xlsx ? pj_ind_export_xlsx : pj_ind_export_csv)(&s->ctx, &f, zh, &data, &s->err);
    if (rc == 0 && data.overflow) rc = pj_fail(&s->err, 500, "internal", "", "export too large");
    if (rc == 0) rc = cli_write_export(a, &data, path, xlsx, w);
    pj_buf_free(&data);
    return rc;
}
static int i_dashboard(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_ind_dashboard(&s->ctx, w, &s->err);
}
static int i_demo(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    if (pj_indicators_demo(&s->ctx, 0, &s->err)) return -1;
    return pj_ind_dashboard(&s->ctx, w, &s->err);
}

int cli_indicator(cli *a)
{
    static const isub subs[] = {{"list", 0, i_list},
                                {"get", 0, i_get, 3},
                                {"add", 1, i_add},
                                {"values", 0, i_values},
                                {"set", 1, i_set},
                                {"revise", 1, i_revise, 3},
                                {"delete", 0, i_delete, 3},
                                {"derive", 0, i_derive, 3},
                                {"export", 0, i_export},
                                {"dashboard", 0, i_dashboard},
                                {"demo", 0, i_demo},
                                {"targets", 0, i_targets},
                                {"target-set", 1, i_target_set},
                                {"target-update", 1, i_target_update, 3},
                                {"target-delete", 0, i_target_delete, 3},
                                {NULL, 0, NULL}};
    return run(a, subs, "list");
}

static int c_factors(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    /* a page of 500 by id; --cursor goes on from the answer's next_cursor */
    int64_t cursor = cli_opt_id(a, "cursor");
    if (cursor < 0) return cli_usage("--cursor takes an id");
    return pj_carbon_factor_list(&s->ctx, cli_opt(a, "energy-type"), cursor, 500, w, &s->err);
}
static int c_factor_add(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_carbon_factor_create(&s->ctx, b, w, &s->err);
}
static int c_factor_update(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t id;
    if (pos_id(a, &id)) return cli_usage("carbon factor-update ID --json J");
    if (current_version(s, id, b, pj_carbon_factor_get)) return -1;
    return pj_carbon_factor_update(&s->ctx, id, b, w, &s->err);
}
static int c_factor_delete(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t id, version;
    int rc = id_version(a, "carbon factor-delete ID [--version N] [--dry-run]", &id, &version);
    if (rc) return rc;
    return pj_carbon_factor_delete(&s->ctx, id, version, cli_opt(a, "dry-run") != NULL, w, &s->err);
}
static int c_energy(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    if (cli_opt_enum(a, "sector", pj_carbon_sectors)) return 2;
    /* a page of 500 by id, as factors */
    int64_t cursor = cli_opt_id(a, "cursor");
    if (cursor < 0) return cli_usage("--cursor takes an id");
    return pj_carbon_energy_list(&s->ctx, cli_opt(a, "period"), 0, 0, cli_opt(a, "sector"), cursor,
                                 500, w, &s->err);
}
static int c_energy_add(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_carbon_energy_create(&s->ctx, b, w, &s->err);
}
static int c_energy_get(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t id;
    if (pos_id(a, &id)) return cli_usage("carbon energy-get ID");
    return pj_carbon_energy_get(&s->ctx, id, w, &s->err);
}
static int c_energy_update(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t id;
    if (pos_id(a, &id)) return cli_usage("carbon energy-update ID --json J");
    if (current_version(s, id, b, pj_carbon_energy_get)) return -1;
    return pj_carbon_energy_update(&s->ctx, id, b, w, &s->err);
}
static int c_energy_delete(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    int64_t id, version;
    int rc = id_version(a, "carbon energy-delete ID [--version N]", &id, &version);
    if (rc) return rc;
    return pj_carbon_energy_delete(&s->ctx, id, version, &s->err) ? -1 : cli_deleted(w, id);
}
static int year_opt(cli *a)
{
    int64_t y = 0;
    if (!cli_opt(a, "year") || pj_parse_i64(cli_opt(a, "year"), &y) || y < 1901 || y > 2999)
        return -1;
    return (int)y;
}
static int c_emissions(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    int y = year_opt(a);
    int64_t top = 0;
    if (y < 0 ||
        (cli_opt(a, "top") && (pj_parse_i64(cli_opt(a, "top"), &top) || top < 1 || top > 500)))
        return cli_usage("carbon emissions --year YYYY [--period P] [--by B] [--top N]");
    if (cli_opt_enum(a, "by", pj_carbon_groupings)) return 2;
    return pj_carbon_emissions(&s->ctx, y, cli_opt(a, "period"), cli_opt(a, "by"), (int)top, w,
                               &s->err);
}
static int c_intensity(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    int y = year_opt(a);
    if (y < 0) return cli_usage("carbon intensity --year YYYY [--region R]");
    return pj_carbon_intensity(&s->ctx, cli_opt(a, "region"), y, w, &s->err);
}
static int c_intensity_years(session *s, cli *a, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_carbon_intensity_years(&s->ctx, cli_opt(a, "region"), w, &s->err);
}

int cli_carbon(cli *a)
{
    static const isub subs[] = {{"factors", 0, c_factors},
                                {"factor-add", 1, c_factor_add},
                                {"factor-update", 1, c_factor_update, 3},
                                {"factor-delete", 0, c_factor_delete, 3},
                                {"energy", 0, c_energy},
                                {"energy-add", 1, c_energy_add},
                                {"energy-get", 0, c_energy_get, 3},
                                {"energy-update", 1, c_energy_update, 3},
                                {"energy-delete", 0, c_energy_delete, 3},
                                {"emissions", 0, c_emissions},
                                {"intensity", 0, c_intensity},
                                {"intensity-years", 0, c_intensity_years},
                                {NULL, 0, NULL}};
    return run(a, subs, "factors");
}

/* Reads FILE (pos[1] of the verb's arguments: pos[first]) and runs the import named for its
 * kind: an XLSX workbook by its zip signature, else CSV text. The answer printed; a table with
 * bad rows (a preview's, or a commit refused) exits 1. */
int cli_import_file(cli *a, int first, const char *usage, cli_import_fn csv_fn,
                    cli_import_xlsx_fn xlsx_fn)
{
    const char *path = a->npos > first ? a->pos[first] : NULL;
    if (!path) return cli_usage(usage);
    if (cli_extra_args(a, first + 1)) return 2;
    pj_buf text;
    pj_err ferr;
    if (pj_file_read(path, 512u << 20, &text, "", &ferr)) {
        fprintf(stderr, "pingji: %s\n", ferr.message);
        pj_buf_free(&text);
        return 1;
    }
    session s;
    if (cli_session_open(&s, a)) {
        pj_buf_free(&text);
        return 1;
    }
    pj_buf out;
    pj_buf_init(&out, 64 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    /* an XLSX workbook by its zip signature, else CSV text */
    int dry = cli_opt(a, "dry-run") != NULL;
    int rc = pj_xlsx_sniff(text.data, text.len)
                 ? xlsx_fn(&s.ctx, text.data, text.len, dry, 10000000, &w, &s.err)
                 : csv_fn(&s.ctx, text.data ? text.data : "", text.len, dry, 10000000, &w, &s.err);
    if (rc < 0)
        rc = cli_fail(&s.err);
    else {
        cli_print_json(out.data);
        /* a preview with bad rows fails as the import itself would */
        json_t *res = json_loads(out.data, 0, NULL);
        if (json_is_false(json_object_get(res, "ok"))) {
            long long nbad = (long long)json_integer_value(json_object_get(res, "bad_rows"));
            fprintf(stderr, "pingji: %s: %lld bad row%s%s\n", path, nbad, nbad == 1 ? "" : "s",
                    dry ? " (dry run: nothing written)" : ", nothing imported");
            rc = 1;
        }
        json_decref(res);
    }
    pj_buf_free(&out);
    pj_buf_free(&text);
    cli_session_close(&s);
    return rc;
}

int cli_import(cli *a)
{
    return cli_import_file(a, 1, "import FILE.csv|FILE.xlsx [--dry-run]", pj_ind_import_csv,
                           pj_ind_import_xlsx);
}
