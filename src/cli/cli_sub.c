/* Sub-command tables shared by the verb files: `pingji VERB SUB [ID] [--opts]`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "core/util.h"

#include "core/banned.h"

/* What one sub-command does, given the open session, the positional id and the JSON body. */

int64_t cli_opt_id(cli *a, const char *k)
{
    int64_t v = 0;
    if (cli_opt(a, k) && cli_parse_id(cli_opt(a, k), &v)) return -1;
    return v;
}

int cli_opt_ids(cli *a, const char *const *names, int64_t *const *outs, int n)
{
    for (int i = 0; i < n; i++)
        if ((*outs[i] = cli_opt_id(a, names[i])) < 0) {
            char msg[80];
            snprintf(msg, sizeof msg, "--%s takes an id", names[i]);
            return cli_usage(msg);
        }
    return 0;
}

int cli_opt_enum(cli *a, const char *k, const char *const *values)
{
    const char *v = cli_opt(a, k);
    if (!v) return 0;
    char list[256] = "";
    size_t len = 0;
    for (int i = 0; values[i]; i++) {
        if (!strcmp(v, values[i])) return 0;
        int n = snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", values[i]);
        if (n > 0 && (size_t)n < sizeof list - len) len += (size_t)n;
    }
    fprintf(stderr, "pingji: --%s takes %s, not '%s'\n", k, list, v);
    return 2;
}

int cli_opt_headings(cli *a, int *zh)
{
    static const char *const langs[] = {"en", "zh", NULL};
    if (cli_opt_enum(a, "headings", langs)) return 2;
    *zh = cli_opt(a, "headings") && !strcmp(cli_opt(a, "headings"), "zh");
    return 0;
}

int cli_opt_text(cli *a, const char *k)
{
    const char *v = cli_opt(a, k);
    if (!v || pj_utf8_len(v, strlen(v)) <= 64) return 0;
    fprintf(stderr, "pingji: --%s is longer than 64 characters\n", k);
    return 2;
}

int cli_opt_page(cli *a, int def, int64_t *cursor, int *limit)
{
    int64_t v = def;
    if (cli_opt(a, "limit") && (pj_parse_i64(cli_opt(a, "limit"), &v) || v < 1 || v > 500))
        return cli_usage("--limit takes 1 to 500");
    if ((*cursor = cli_opt_id(a, "cursor")) < 0)
        return cli_usage("--cursor takes the next_cursor of the page before");
    *limit = (int)v;
    return 0;
}

int cli_opt_limit(cli *a)
{
    int64_t v = 50;
    if (cli_opt(a, "limit") && (pj_parse_i64(cli_opt(a, "limit"), &v) || v < 1 || v > 500))
        return -1;
    return (int)v;
}

void cli_set_version(int64_t id, json_t *body, const char *record)
{
    json_t *c = record ? json_loads(record, 0, NULL) : NULL;
    json_t *v = json_object_get(c, "version"), *items = json_object_get(c, "items");
    if (!v && json_is_array(items)) { /* a page of a list: the item with this id */
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            if (json_integer_value(json_object_get(it, "id")) == id)
                v = json_object_get(it, "version");
        }
        /* not there: a version no record has, so that the domain says what is missing (the
         * update checks versions: this writes nothing) */
        if (!v) json_object_set_new(body, "version", json_integer(INT64_MAX));
    }
    if (json_is_integer(v)) json_object_set(body, "version", v);
    json_decref(c);
}

int cli_fill_version(session *s, cli *a, int64_t id, json_t *body, cli_sub_fn current)
{
    if (!current || !json_is_object(body) || json_object_get(body, "version")) return 0;
    pj_buf cur, csv;
    pj_buf_init(&cur, 16 << 20);
    pj_buf_init(&csv, 1 << 20);
    pj_jw cw;
    pj_jw_init(&cw, &cur);
    int rc = current(s, a, id, NULL, &cw, &csv);
    if (rc == 0) cli_set_version(id, body, cur.data);
    pj_buf_free(&cur);
    pj_buf_free(&csv);
    return rc;
}

static int is_update(const char *name)
{
    size_t n = strlen(name);
    return !strcmp(name, "update") || (n > 7 && !strcmp(name + n - 7, "-update"));
}

/* An update without "version" was refused for that (err says so); on an id that does not
 * exist the user should hear that instead: try it again with a version no record has — the
 * update checks versions, so this writes nothing — and keep a 404 it gives (1), else leave the
 * first error (0). */
static int missing_record(session *s, cli *a, const cli_sub *sb, int64_t id, json_t *body)
{
    if (!sb->needs_id || !json_is_object(body) || json_object_get(body, "version") ||
        !is_update(sb->name) || strcmp(s->err.field, "version"))
        return 0;
    pj_err first = s->err;
    json_t *probe = json_deep_copy(body);
    json_object_set_new(probe, "version", json_integer(INT64_MAX));
    pj_buf out, csv;
    pj_buf_init(&out, 1 << 20);
    pj_buf_init(&csv, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    pj_err_clear(&s->err);
    int rc = sb->fn(s, a, id, probe, &w, &csv);
    pj_buf_free(&out);
    pj_buf_free(&csv);
    json_decref(probe);
    if (rc == -1 && s->err.status == 404) return 1;
    s->err = first;
    return 0;
}

int cli_session_work(cli *a, json_t *body, size_t csv_cap, cli_work_fn fn, void *arg)
{
    session s;
    if (cli_session_open(&s, a)) {
        json_decref(body);
        return 1;
    }
    pj_buf out, csv;
    pj_buf_init(&out, 256 << 20);
    pj_buf_init(&csv, csv_cap);
    pj_jw w;
    pj_jw_init(&w, &out);
    int rc = fn(&s, arg, &w, &csv);
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

/* A sub-command of a table with its id and body: the current version filled in when the body
 * has none, and on a refusal for that, the 404 of a missing record instead. */
typedef struct sub_call {
    cli *a;
    const cli_sub *sb;
    int64_t id;
    json_t *body;
} sub_call;
static int sub_work(session *s, void *arg, pj_jw *w, pj_buf *csv)
{
    sub_call *k = arg;
    int rc = cli_fill_version(s, k->a, k->id, k->body, k->sb->current);
    if (rc == 0) rc = k->sb->fn(s, k->a, k->id, k->body, w, csv);
    if (rc == -1) missing_record(s, k->a, k->sb, k->id, k->body);
    return rc;
}

int cli_deleted(pj_jw *w, int64_t id)
{
    pj_jw_obj(w);
    pj_jw_kint(w, "deleted", id);
    pj_jw_obj_end(w);
    return 0;
}

/* Runs the sub-command named by pos[1] from the table. */
int cli_run_subs(cli *a, const cli_sub *subs, const char *def)
{
    const char *name = a->npos > 1 ? a->pos[1] : def;
    const cli_sub *sb = NULL;
    for (int i = 0; subs[i].name; i++)
        if (!strcmp(subs[i].name, name)) sb = &subs[i];
    if (!sb) {
        /* the one given named first, as the other verbs do (agri bogus listed the sub-commands
         * without saying what was wrong) */
        char msg[768];
        snprintf(msg, sizeof msg, "%s has no sub-command '%.64s'; sub-commands:", a->pos[0], name);
        size_t len = strlen(msg);
        for (int i = 0; subs[i].name; i++) {
            int k = snprintf(msg + len, sizeof msg - len, " %s", subs[i].name);
            if (k > 0 && (size_t)k < sizeof msg - len) len += (size_t)k;
        }
        return cli_usage(msg);
    }
    if (cli_extra_args(a, sb->max_pos ? sb->max_pos : sb->needs_id ? 3 : 2)) return 2;
    int64_t id = 0;
    if (sb->needs_id && cli_parse_id(a->npos > 2 ? a->pos[2] : NULL, &id))
        return cli_usage("give the id after the sub-command");
    json_t *body = NULL;
    if (sb->needs_json == 2 && !cli_opt(a, "json"))
        body = json_object();
    else if (sb->needs_json) {
        int rc = cli_json_body(a, &body);
        if (rc) return rc;
    }
    sub_call call = {a, sb, id, body};
    return cli_session_work(a, body, 64 << 20, sub_work, &call);
}
