/* docs/openapi.yaml describes every route of the router table, and its enumerated query
 * filters declare the server's own lists of values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/enterprise.h"
#include "http/server.h"
#include "t.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = 0;
    fclose(f);
    return s;
}

TEST(openapi_lists_every_route)
{
    char *doc = slurp("docs/openapi.yaml");
    CHECK(doc != NULL);
    /* the reference is docs/api.md plus one docs/api-<module>.md per module */
    char *api = slurp("docs/api.md");
    CHECK(api != NULL);
    static const char *const more[] = {"docs/api-dualuse.md", "docs/api-eldercare.md",
                                       "docs/api-enterprise.md", "docs/api-planner.md",
                                       "docs/api-development.md"};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        char *extra = slurp(more[i]);
        if (!extra) continue;
        size_t a = strlen(api), b = strlen(extra);
        api = realloc(api, a + b + 1);
        memcpy(api + a, extra, b + 1);
        free(extra);
    }
    int n;
    const pj_route *r = pj_routes(&n);
    CHECK(n > 20);
    for (int i = 0; i < n; i++) {
        char key[160], method[32];
        snprintf(key, sizeof key, "\n  %s:", r[i].path);
        char *at = strstr(doc, key);
        if (!at) t_fail(__FILE__, __LINE__, "openapi.yaml lacks path %s", r[i].path);
        /* the method must appear under this path, before the next path key */
        char *end = strstr(at + 1, "\n  /");
        size_t k = 0;
        for (const char *m = r[i].method; *m && k + 1 < sizeof method; m++)
            method[k++] = (char)(*m | 0x20);
        method[k] = 0;
        char mkey[48];
        snprintf(mkey, sizeof mkey, "\n    %s:", method);
        char *mat = strstr(at, mkey);
        if (!mat || (end && mat > end))
            t_fail(__FILE__, __LINE__, "openapi.yaml lacks %s %s", r[i].method, r[i].path);
        /* each operation has its operationId, before the next operation or path */
        char *next_op = strstr(mat + 1, "\n    ");
        while (next_op && next_op[5] == ' ') next_op = strstr(next_op + 1, "\n    ");
        char *opid = strstr(mat, "\n      operationId: ");
        if (!opid || (next_op && opid > next_op))
            t_fail(__FILE__, __LINE__, "openapi.yaml: %s %s has no operationId", r[i].method,
                   r[i].path);
        /* a path with {id} declares it: for the whole path, or in the operation */
        if (strchr(r[i].path, '{')) {
            char *pp = strstr(at, "\n    parameters:"), *op = strstr(mat, "\n      parameters:");
            int whole = pp && (!end || pp < end) && pp < strstr(at + 1, "\n    ") + 1;
            int own = op && (!next_op || op < next_op);
            if (!whole && !own)
                t_fail(__FILE__, __LINE__, "openapi.yaml: %s %s does not declare its {id}",
                       r[i].method, r[i].path);
        }
        /* and the reference names it */
        if (!strstr(api, r[i].path)) t_fail(__FILE__, __LINE__, "docs/api.md lacks %s", r[i].path);
    }
    free(doc);
    free(api);
}

/* A stretch of docs/openapi.yaml: [b, e). */
typedef struct span {
    const char *b, *e;
} span;

/* The end of the block whose first line holds p: the start of the next non-empty line indented
 * by at most indent spaces, else the end of the text. */
static const char *block_end(const char *p, int indent)
{
    const char *l = strchr(p, '\n');
    while (l) {
        l++;
        int n = 0;
        while (l[n] == ' ') n++;
        if (l[n] && l[n] != '\n' && n <= indent) return l;
        l = strchr(l, '\n');
    }
    return p + strlen(p);
}

/* s in [b, e), or NULL */
static const char *find_in(span sp, const char *s)
{
    const char *at = strstr(sp.b, s);
    return at && at + strlen(s) <= sp.e ? at : NULL;
}

/* The operation `method:` (lower case) of path, or {NULL, NULL}. */
static span op_span(const char *doc, const char *path, const char *method)
{
    span none = {NULL, NULL};
    char key[200];
    snprintf(key, sizeof key, "\n  %s:\n", path);
    const char *at = strstr(doc, key);
    if (!at) return none;
    span p = {at + 1, block_end(at + 1, 2)};
    snprintf(key, sizeof key, "\n    %s:\n", method);
    const char *m = find_in(p, key);
    if (!m) return none;
    span op = {m + 1, block_end(m + 1, 4)};
    return op;
}

/* The i-th parameter of an operation: its own text, or that of the component it refers to
 * ("$ref": "#/components/parameters/NAME"). Returns 0 past the last. */
static int op_param(const char *doc, span op, int i, span *out)
{
    const char *ps = find_in(op, "\n      parameters:\n");
    if (!ps) return 0;
    span list = {ps + 1, block_end(ps + 1, 6)};
    const char *item = list.b;
    for (int k = 0; k <= i; k++) {
        item = find_in((span){item, list.e}, "\n        - ");
        if (!item) return 0;
        item++;
    }
    span own = {item, block_end(item, 8)};
    /* an item's next line starting with "- " at the same indent also ends it */
    const char *next = find_in((span){item + 1, own.e}, "\n        - ");
    if (next) own.e = next + 1;
    const char *ref = find_in(own, "$ref: \"#/components/parameters/");
    if (!ref) {
        *out = own;
        return 1;
    }
    ref += strlen("$ref: \"#/components/parameters/");
    const char *q = strchr(ref, '"');
    char key[160];
    snprintf(key, sizeof key, "\n    %.*s:\n", (int)(q - ref), ref);
    const char *comps = strstr(doc, "\ncomponents:\n");
    const char *params = comps ? strstr(comps, "\n  parameters:\n") : NULL;
    const char *c = params ? strstr(params, key) : NULL;
    if (!c) t_fail(__FILE__, __LINE__, "openapi.yaml lacks the parameter %s", key + 5);
    out->b = c + 1;
    out->e = block_end(c + 1, 4);
    return 1;
}

/* The parameter's name into name[size] */
static void param_name(span p, char *name, size_t size)
{
    const char *n = find_in(p, "name: ");
    name[0] = 0;
    if (!n) return;
    n += strlen("name: ");
    size_t k = strcspn(n, "\n");
    snprintf(name, size, "%.*s", (int)k, n);
}

/* Its declared enum: -1 when it has none, else the number of values of "enum: [a, b]", each
 * in vals as a pointer into buf. */
static int param_enum(span p, char *buf, size_t size, const char **vals, int max)
{
    const char *en = find_in(p, "enum: [");
    if (!en) return -1;
    en += strlen("enum: [");
    size_t k = strcspn(en, "]\n");
    if (en[k] != ']' || k + 1 > size) return -2;
    memcpy(buf, en, k);
    buf[k] = 0;
    int n = 0;
    for (char *s = buf; *s && n < max;) {
        while (*s == ' ') s++;
        char *end = s + strcspn(s, ",");
        char *stop = end;
        while (stop > s && stop[-1] == ' ') stop--;
        if (stop > s + 1 && (*s == '"' || *s == '\'') && stop[-1] == *s) {
            s++;
            stop--;
        }
        int more = *end == ',';
        *stop = 0;
        vals[n++] = s;
        if (!more) break;
        s = end + 1;
    }
    return n;
}

/* An enumerated query filter of a GET route and the list the server checks it against (the
 * one its handler passes to pj_h_q_enum; tests/enterprise/test_enterprise_filters.c checks
 * that the server answers with that list). */
typedef struct enum_filter {
    const char *path, *key;
    const char *const *values;
} enum_filter;

/* GET /enterprise/kpis compares format with these two by name (no exported list) */
static const char *const kpi_formats[] = {"json", "csv", NULL};

static const enum_filter enum_filters[] = {
    {"/api/v1/enterprise/reception-days", "state", pj_reception_states},
    {"/api/v1/enterprise/appeals", "state", pj_appeal_states},
    {"/api/v1/enterprise/appeals", "category", pj_appeal_categories},
    {"/api/v1/enterprise/appeals", "channel", pj_appeal_channels},
    {"/api/v1/enterprise/kpis", "format", kpi_formats},
    {"/api/v1/enterprise/financing-needs", "state", pj_fin_need_states},
    {"/api/v1/enterprise/financing-matches", "state", pj_fin_match_outcomes},
    {"/api/v1/enterprise/coop-posts", "kind", pj_coop_kinds},
    {"/api/v1/enterprise/coop-posts", "category", pj_coop_categories},
    {"/api/v1/enterprise/coop-posts", "state", pj_coop_post_states},
    {"/api/v1/enterprise/coop-contacts", "state", pj_coop_contact_states},
};
#define N_ENUM_FILTERS ((int)(sizeof enum_filters / sizeof enum_filters[0]))

/* The sections whose every enumerated query filter must be in enum_filters. */
static const char *const enum_sections[] = {"/api/v1/enterprise/"};

TEST(openapi_enum_filters_are_the_server_lists)
{
    char *doc = slurp("docs/openapi.yaml");
    CHECK(doc != NULL);
    char buf[1024], name[80];
    const char *vals[64];
    /* each filter of the table declares the server's list, in its order */
    for (int f = 0; f < N_ENUM_FILTERS; f++) {
        const enum_filter *ef = &enum_filters[f];
        span op = op_span(doc, ef->path, "get");
        if (!op.b) t_fail(__FILE__, __LINE__, "openapi.yaml lacks GET %s", ef->path);
        span p;
        int found = 0;
        for (int i = 0; !found && op_param(doc, op, i, &p); i++) {
            param_name(p, name, sizeof name);
            if (strcmp(name, ef->key) || !find_in(p, "in: query")) continue;
            found = 1;
            int n = param_enum(p, buf, sizeof buf, vals, 64);
            if (n < 0)
                t_fail(__FILE__, __LINE__, "openapi.yaml: GET %s ?%s declares no enum: [...]",
                       ef->path, ef->key);
            int m = 0;
            while (ef->values[m]) m++;
            for (int k = 0; k < n || k < m; k++)
                if (k >= n || k >= m || strcmp(vals[k], ef->values[k]))
                    t_fail(__FILE__, __LINE__,
                           "openapi.yaml: GET %s ?%s: enum value %d is %s, the server's is %s",
                           ef->path, ef->key, k + 1, k < n ? vals[k] : "(none)",
                           k < m ? ef->values[k] : "(none)");
        }
        if (!found)
            t_fail(__FILE__, __LINE__, "openapi.yaml: GET %s does not declare the query filter %s",
                   ef->path, ef->key);
    }
    /* and every enumerated query filter of those sections' GET routes is in the table */
    int seen = 0;
    for (size_t s = 0; s < sizeof enum_sections / sizeof enum_sections[0]; s++) {
        char key[80];
        snprintf(key, sizeof key, "\n  %s", enum_sections[s]);
        for (const char *at = strstr(doc, key); at; at = strstr(at + 1, key)) {
            char path[200];
            size_t k = strcspn(at + 3, ":\n");
            snprintf(path, sizeof path, "%.*s", (int)k, at + 3);
            span op = op_span(doc, path, "get");
            if (!op.b) continue;
            span p;
            for (int i = 0; op_param(doc, op, i, &p); i++) {
                if (!find_in(p, "in: query") || param_enum(p, buf, sizeof buf, vals, 64) < 0)
                    continue;
                param_name(p, name, sizeof name);
                int listed = 0;
                for (int f = 0; f < N_ENUM_FILTERS && !listed; f++)
                    listed =
                        !strcmp(enum_filters[f].path, path) && !strcmp(enum_filters[f].key, name);
                if (!listed)
                    t_fail(__FILE__, __LINE__,
                           "openapi.yaml: GET %s ?%s has an enum that no server list checks (add "
                           "it to enum_filters)",
                           path, name);
                seen++;
            }
        }
    }
    CHECK_INT(seen, N_ENUM_FILTERS);
    free(doc);
}
