/* Agri-tech and logistics verbs of the command line: `pingji agri RESOURCE ACTION …`,
 * `pingji logistics RESOURCE ACTION …` over the records of record.h, plus each module's kpi
 * (and agri's output) and demo; `pingji drill plans ACTION …` (drill plans) the same way. ACTION:
 * list [--FILTER V …] [--limit N] [--cursor N] (the parameters the API's list of that kind takes:
 * its filters, --from/--to when it has a range) | get ID | add --json J | update ID --json J |
 * delete ID; an update without "version" edits the current version. */
#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"
#include "domain/agritech.h"
#include "domain/dualuse.h"
#include "domain/logistics.h"

#include "core/banned.h"

/* The kinds of record of the verb's module. */
static const pj_rec_named du_kinds[] = {{"plans", &pj_du_drill_plans}, {NULL, NULL}};
static const pj_rec_named *rec_kinds(const char *verb_name)
{
    return !strcmp(verb_name, "agri")    ? pj_ag_kinds
           : !strcmp(verb_name, "drill") ? du_kinds
                                         : pj_lg_kinds;
}

/* The kind of record pos[1] names, of the verb's module; NULL when none. */
static const pj_rec_kind *rec_kind(cli *a)
{
    const pj_rec_named *kinds = rec_kinds(a->pos[0]);
    for (int i = 0; a->npos > 1 && kinds[i].path; i++)
        if (!strcmp(kinds[i].path, a->pos[1])) return kinds[i].kind;
    return NULL;
}

/* The option of a list parameter: township_id is --township-id. */
static void rec_option(const char *param, char opt[72])
{
    snprintf(opt, 72, "--%s", param);
    for (char *c = opt; *c; c++)
        if (*c == '_') *c = '-';
}

/* The options of a list of k into out: "--a, --b", its parameters (pj_rec_list_param). */
static void rec_list_options(const pj_rec_kind *k, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = 0;
    const char *p;
    for (int i = 0; (p = pj_rec_list_param(k, i)); i++) {
        char opt[72];
        rec_option(p, opt);
        int n = snprintf(out + used, cap - used, "%s%s", i ? ", " : "", opt);
        if (n < 0 || (size_t)n >= cap - used) break;
        used += (size_t)n;
    }
}

int cli_rec_options(cli *a, char *sub, size_t subcap, char *out, size_t cap)
{
    const pj_rec_kind *k = rec_kind(a);
    if (!k) return 0; /* kpi, output, demo: the usage's forms */
    const char *act = a->npos > 2 ? a->pos[2] : "list";
    snprintf(sub, subcap, "%s %s", a->pos[1], act);
    out[0] = 0;
    if (!strcmp(act, "list"))
        rec_list_options(k, out, cap);
    else if (!strcmp(act, "add") || !strcmp(act, "update"))
        snprintf(out, cap, "--json");
    else if (strcmp(act, "get") && strcmp(act, "delete"))
        return -1; /* rec_run names the actions */
    return 1;
}

void cli_rec_help(const char *verb_name)
{
    const pj_rec_named *kinds = rec_kinds(verb_name);
    printf("A list takes the filters of the API's list as options (township_id is --township-id),\n"
           "and --limit N and --cursor N:\n");
    for (int i = 0; kinds[i].path; i++) {
        const pj_rec_kind *k = kinds[i].kind;
        int n = 0, col = printf("  %-11s", kinds[i].path);
        const char *p;
        for (int j = 0; (p = pj_rec_list_param(k, j)); j++) {
            if (!strcmp(p, "limit") || !strcmp(p, "cursor")) continue;
            char opt[72];
            rec_option(p, opt);
            if (n++) col += printf(",");
            if (col + 1 + (int)strlen(opt) > 88) col = printf("\n%13s", "") - 1; /* wrapped */
            col += printf(" %s", opt);
        }
        if (k->range) printf(" (on %s)", k->range);
        putchar('\n');
    }
}

static int rec_current(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_rec_get(&s->ctx, rec_kind(a), id, w, &s->err);
}

/* 2 when a list filter of kind k that takes one of a set of values (an enum, true or false) is
 * given another: a usage error naming them, as the API's 400, before the database is read. */
static int rec_filter_values(const pj_rec_kind *k, cli *a)
{
    static const char *const bools[] = {"true", "false", NULL};
    for (int i = 0; i < a->nopt; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s", a->key[i]);
        for (char *p = name; *p; p++)
            if (*p == '-') *p = '_';
        for (int j = 0; j < k->nfields; j++) {
            const pj_rec_field *f = &k->fields[j];
            if (!(f->flags & PJ_RF_FILTER) || strcmp(f->name, name)) continue;
            if ((f->type == PJ_RT_ENUM && cli_opt_enum(a, a->key[i], f->values)) ||
                (f->type == PJ_RT_BOOL && cli_opt_enum(a, a->key[i], bools)))
                return 2;
        }
    }
    return 0;
}

static int rec_run(session *s, cli *a, pj_jw *w)
{
    const pj_rec_kind *k = rec_kind(a);
    const char *act = a->npos > 2 ? a->pos[2] : "list";
    if (cli_extra_args(a, !strcmp(act, "list") || !strcmp(act, "add") ? 3 : 4)) return 2;
    int64_t id = 0;
    if (!strcmp(act, "list")) {
        if (rec_filter_values(k, a)) return 2;
        /* options become the list's parameters: --township-id 3 → township_id=3 */
        const char **keys = pj_arena_alloc(&s->arena, sizeof(char *) * (size_t)(a->nopt + 1));
        const char **vals = pj_arena_alloc(&s->arena, sizeof(char *) * (size_t)(a->nopt + 1));
        int n = 0;
        for (int i = 0; i < a->nopt; i++) {
            if (!strcmp(a->key[i], "db")) continue;
            char *key = pj_arena_strdup(&s->arena, a->key[i]);
            for (char *p = key; *p; p++)
                if (*p == '-') *p = '_';
            keys[n] = key;
            vals[n++] = a->val[i];
        }
        pj_rec_query q = {.keys = keys, .vals = vals, .n = n};
        /* a malformed value: a usage error (cli_fail), as above (an option the list does not
         * take was refused before the session, by cli_rec_options) */
        return pj_rec_list(&s->ctx, k, &q, w, &s->err) ? -1 : 0;
    }
    /* the action first: an unknown one is named with those there are, not asked for an id */
    static const char *const acts[] = {"get", "add", "update", "delete", NULL};
    int known = 0;
    for (int i = 0; acts[i]; i++) known |= !strcmp(act, acts[i]);
    if (!known) {
        fprintf(stderr,
                "pingji: %s %s has no action '%s'; actions: list, get ID, add --json J, update ID "
                "--json J, delete ID (see pingji %s --help)\n",
                a->pos[0], a->pos[1], act, a->pos[0]);
        return 2;
    }
    int needs_id = strcmp(act, "add") != 0;
    if (needs_id && cli_parse_id(a->npos > 3 ? a->pos[3] : NULL, &id))
        return cli_usage("give the id after the action");
    if (!strcmp(act, "get")) return pj_rec_get(&s->ctx, k, id, w, &s->err);
    if (!strcmp(act, "delete")) {
        return pj_rec_delete(&s->ctx, k, id, &s->err) ? -1 : cli_deleted(w, id);
    }
    json_t *body = NULL;
    int rc = cli_json_body(a, &body);
    if (rc) return rc;
    if (!strcmp(act, "add"))
        rc = pj_rec_create(&s->ctx, k, body, w, &s->err);
    else if (!(rc = cli_fill_version(s, a, id, body, rec_current)))
        rc = pj_rec_update(&s->ctx, k, id, body, w, &s->err);
    json_decref(body);
    return rc;
}

static int ag_rec(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return rec_run(s, a, w);
}
static int ag_kpi(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_agri_kpi(&s->ctx, w, &s->err);
}
static int ag_output(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_agri_output(&s->ctx, w, &s->err);
}
static int ag_demo(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    /* as the other demo verbs: what is there afterwards, the KPIs (loaded before or now) */
    if (pj_agritech_demo(&s->ctx, 20240801, &s->err)) return -1;
    return pj_agri_kpi(&s->ctx, w, &s->err);
}

int cli_agri(cli *a)
{
    static const cli_sub subs[] = {{"labs", 0, 0, ag_rec, 4},       {"projects", 0, 0, ag_rec, 4},
                                   {"milestones", 0, 0, ag_rec, 4}, {"farms", 0, 0, ag_rec, 4},
                                   {"experts", 0, 0, ag_rec, 4},    {"sections", 0, 0, ag_rec, 4},
                                   {"results", 0, 0, ag_rec, 4},    {"transfers", 0, 0, ag_rec, 4},
                                   {"kpi", 0, 0, ag_kpi},           {"output", 0, 0, ag_output},
                                   {"demo", 0, 0, ag_demo},         {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "kpi");
}

static int lg_rec(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return rec_run(s, a, w);
}
int cli_drill_plans(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return rec_run(s, a, w);
}
static int lg_kpi(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    return pj_lg_kpi(&s->ctx, w, &s->err);
}
static int lg_demo(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)
{
    if (pj_logistics_demo(&s->ctx, 20240801, &s->err)) return -1;
    return pj_lg_kpi(&s->ctx, w, &s->err);
}

int cli_logistics(cli *a)
{
    static const cli_sub subs[] = {
        {"parks", 0, 0, lg_rec, 4},   {"warehouses", 0, 0, lg_rec, 4}, {"tenants", 0, 0, lg_rec, 4},
        {"freight", 0, 0, lg_rec, 4}, {"parcels", 0, 0, lg_rec, 4},    {"trains", 0, 0, lg_rec, 4},
        {"kpi", 0, 0, lg_kpi},        {"demo", 0, 0, lg_demo},         {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "kpi");
}
