/* docs/openapi.yaml describes every route of the router table, and its enumerated query
 * filters declare the server's own lists of values. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "domain/agritech.h"
#include "domain/auth.h"
#include "domain/carbon.h"
#include "domain/dualuse.h"
#include "domain/ecommerce.h"
#include "domain/elder.h"
#include "domain/enterprise.h"
#include "domain/indicator.h"
#include "domain/logistics.h"
#include "domain/plan.h"
#include "domain/registry.h"
#include "http/server.h"
#include "t.h"
#include "th.h"
#include "eldercare/el_fixture.h"

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

/* An enumerated query parameter of a route and the list the server checks it against: the
 * one its handler passes to pj_h_q_enum or pj_q_enum (the modules' *_filters tests check that
 * the server answers with that list). */
typedef struct enum_filter {
    const char *method, *path, *key;
    const char *const *values;
} enum_filter;

/* Parameters the handler compares by name, with no exported list */
static const char *const json_csv[] = {"json", "csv", NULL};     /* format= of exports */
static const char *const csv_xlsx[] = {"csv", "xlsx", NULL};     /* the indicators, facilities */
static const char *const en_zh[] = {"en", "zh", NULL};           /* their headings= */
static const char *const elder_views[] = {"list", "full", NULL}; /* GET /elders view= */
static const char *const zero_one[] = {"0", "1", NULL};          /* POST /plans wait= */

static const enum_filter enum_filters[] = {
    {"get", "/api/v1/users", "role", pj_user_roles},
    {"get", "/api/v1/ecommerce/kpi", "by", pj_ec_kpi_bys},
    {"get", "/api/v1/regions", "type", pj_region_types},
    {"get", "/api/v1/organisations", "type", pj_org_types},
    {"get", "/api/v1/facilities", "type", pj_facility_types},
    {"get", "/api/v1/facilities", "role", pj_emergency_roles},
    {"get", "/api/v1/facilities", "state", pj_facility_states},
    {"get", "/api/v1/facilities/export", "format", csv_xlsx},
    {"get", "/api/v1/facilities/export", "headings", en_zh},
    {"get", "/api/v1/facilities/export", "type", pj_facility_types},
    {"get", "/api/v1/facilities/export", "role", pj_emergency_roles},
    {"get", "/api/v1/facilities/export", "state", pj_facility_states},
    {"get", "/api/v1/facilities/summary", "type", pj_facility_types},
    {"get", "/api/v1/facilities/summary", "role", pj_emergency_roles},
    {"get", "/api/v1/facilities/summary", "state", pj_facility_states},
    {"get", "/api/v1/standards", "facility_type", pj_facility_types},
    {"get", "/api/v1/standards", "scenario", pj_scenarios},
    {"get", "/api/v1/standards", "role", pj_emergency_roles},
    {"get", "/api/v1/manuals", "scenario", pj_scenarios},
    {"get", "/api/v1/manuals/{id}/export", "format", json_csv},
    {"get", "/api/v1/conversions", "mode", pj_conversion_modes},
    {"get", "/api/v1/conversions", "state", pj_conversion_states},
    {"get", "/api/v1/conversions/{id}/report", "format", json_csv},
    {"get", "/api/v1/findings", "status", pj_finding_statuses},
    {"get", "/api/v1/stock", "expiry_state", pj_stock_expiry_states},
    {"get", "/api/v1/stock/summary", "by", pj_stock_summary_bys},
    {"get", "/api/v1/overview", "scenario", pj_scenarios},
    {"get", "/api/v1/drill-plans", "scenario", pj_scenarios},
    {"get", "/api/v1/drill-plans", "state", pj_drill_plan_states},
    {"get", "/api/v1/plans", "status", pj_plan_statuses},
    {"post", "/api/v1/plans", "wait", zero_one},
    {"get", "/api/v1/elders", "visit_tier", pj_visit_tiers},
    {"get", "/api/v1/elders", "status", pj_elder_statuses},
    {"get", "/api/v1/elders", "view", elder_views},
    {"get", "/api/v1/helpers", "skill", pj_elder_skills},
    {"get", "/api/v1/helpers", "sex", pj_elder_sexes},
    {"get", "/api/v1/pairing-runs/{id}", "state", pj_proposal_states},
    {"get", "/api/v1/pairs", "state", pj_pair_states},
    {"get", "/api/v1/pair-requests", "state", pj_pair_request_states},
    {"get", "/api/v1/pairs", "order", pj_list_orders},
    {"get", "/api/v1/service-logs", "kind", pj_service_kinds},
    {"get", "/api/v1/elder-alerts", "state", pj_alert_states},
    {"get", "/api/v1/elder-alerts", "kind", pj_alert_kinds},
    {"get", "/api/v1/elder-alerts", "level", pj_alert_levels},
    {"get", "/api/v1/elder-centres", "kind", pj_centre_kinds},
    {"get", "/api/v1/eldercare/coverage", "group", pj_coverage_groups},
    {"get", "/api/v1/indicators/export", "format", csv_xlsx},
    {"get", "/api/v1/indicators/export", "headings", en_zh},
    {"get", "/api/v1/carbon/energy", "sector", pj_carbon_sectors},
    {"get", "/api/v1/ecommerce/bases", "tier", pj_ec_tiers},
    {"get", "/api/v1/ecommerce/products", "category", pj_ec_categories},
    {"get", "/api/v1/ecommerce/products/{id}/sales", "channel", pj_ec_channels},
    {"get", "/api/v1/ecommerce/zone-enterprises", "kind", pj_ac_kinds},
    {"get", "/api/v1/academy/courses", "category", pj_ac_course_categories},
    {"get", "/api/v1/academy/cohorts", "state", pj_ac_cohort_states},
    {"get", "/api/v1/academy/posts", "state", pj_ac_post_states},
    {"get", "/api/v1/academy/enrolments", "state", pj_ac_enrol_states},
    {"get", "/api/v1/enterprise/reception-days", "state", pj_reception_states},
    {"get", "/api/v1/enterprise/appeals", "state", pj_appeal_states},
    {"get", "/api/v1/enterprise/appeals", "category", pj_appeal_categories},
    {"get", "/api/v1/enterprise/appeals", "channel", pj_appeal_channels},
    {"get", "/api/v1/enterprise/kpis", "format", json_csv},
    {"get", "/api/v1/enterprise/financing-needs", "state", pj_fin_need_states},
    {"get", "/api/v1/enterprise/financing-matches", "state", pj_fin_match_outcomes},
    {"get", "/api/v1/enterprise/coop-posts", "kind", pj_coop_kinds},
    {"get", "/api/v1/enterprise/coop-posts", "category", pj_coop_categories},
    {"get", "/api/v1/enterprise/coop-posts", "state", pj_coop_post_states},
    {"get", "/api/v1/enterprise/coop-contacts", "state", pj_coop_contact_states},
};
#define N_ENUM_FILTERS ((int)(sizeof enum_filters / sizeof enum_filters[0]))

/* The record modules: GET PREFIX<kind's path> takes each FILTER field of the kind as a query
 * filter, an ENUM one checked against the field's values. */
static const struct {
    const char *prefix;
    const pj_rec_named *kinds;
} rec_modules[] = {{"/api/v1/agri/", pj_ag_kinds}, {"/api/v1/logistics/", pj_lg_kinds}};
#define N_REC_MODULES ((int)(sizeof rec_modules / sizeof rec_modules[0]))

/* The declared enum of METHOD path ?key is values, in its order. */
static void check_enum(const char *doc, const enum_filter *ef)
{
    char buf[1024], name[80];
    const char *vals[64];
    span op = op_span(doc, ef->path, ef->method);
    if (!op.b) t_fail(__FILE__, __LINE__, "openapi.yaml lacks %s %s", ef->method, ef->path);
    span p;
    for (int i = 0; op_param(doc, op, i, &p); i++) {
        param_name(p, name, sizeof name);
        if (strcmp(name, ef->key) || !find_in(p, "in: query")) continue;
        int n = param_enum(p, buf, sizeof buf, vals, 64);
        if (n < 0)
            t_fail(__FILE__, __LINE__, "openapi.yaml: %s %s ?%s declares no enum: [...]",
                   ef->method, ef->path, ef->key);
        int m = 0;
        while (ef->values[m]) m++;
        for (int k = 0; k < n || k < m; k++)
            if (k >= n || k >= m || strcmp(vals[k], ef->values[k]))
                t_fail(__FILE__, __LINE__,
                       "openapi.yaml: %s %s ?%s: enum value %d is %s, the server's is %s",
                       ef->method, ef->path, ef->key, k + 1, k < n ? vals[k] : "(none)",
                       k < m ? ef->values[k] : "(none)");
        return;
    }
    t_fail(__FILE__, __LINE__, "openapi.yaml: %s %s does not declare the query parameter %s",
           ef->method, ef->path, ef->key);
}

/* Whether METHOD path ?key is checked: in enum_filters, or an ENUM filter of a record kind */
static int enum_checked(const char *method, const char *path, const char *key)
{
    for (int f = 0; f < N_ENUM_FILTERS; f++)
        if (!strcmp(enum_filters[f].method, method) && !strcmp(enum_filters[f].path, path) &&
            !strcmp(enum_filters[f].key, key))
            return 1;
    if (strcmp(method, "get")) return 0;
    for (int m = 0; m < N_REC_MODULES; m++) {
        size_t n = strlen(rec_modules[m].prefix);
        if (strncmp(path, rec_modules[m].prefix, n)) continue;
        for (const pj_rec_named *k = rec_modules[m].kinds; k->path; k++) {
            if (strcmp(path + n, k->path)) continue;
            for (int i = 0; i < k->kind->nfields; i++) {
                const pj_rec_field *fd = &k->kind->fields[i];
                if (fd->type == PJ_RT_ENUM && (fd->flags & PJ_RF_FILTER) && !strcmp(fd->name, key))
                    return 1;
            }
        }
    }
    return 0;
}

TEST(openapi_enum_filters_are_the_server_lists)
{
    char *doc = slurp("docs/openapi.yaml");
    CHECK(doc != NULL);
    /* each parameter of the table declares the server's list, in its order */
    int checked = 0;
    for (int f = 0; f < N_ENUM_FILTERS; f++, checked++) check_enum(doc, &enum_filters[f]);
    /* and so does each enumerated filter of a record kind */
    for (int m = 0; m < N_REC_MODULES; m++)
        for (const pj_rec_named *k = rec_modules[m].kinds; k->path; k++)
            for (int i = 0; i < k->kind->nfields; i++) {
                const pj_rec_field *fd = &k->kind->fields[i];
                if (fd->type != PJ_RT_ENUM || !(fd->flags & PJ_RF_FILTER)) continue;
                char path[160];
                snprintf(path, sizeof path, "%s%s", rec_modules[m].prefix, k->path);
                enum_filter ef = {"get", path, fd->name, fd->values};
                check_enum(doc, &ef);
                checked++;
            }
    /* every query parameter with an enum in openapi.yaml is one of those: a list the server
     * checks */
    static const char *const methods[] = {"get", "post", "patch", "put", "delete"};
    char buf[1024], name[80];
    const char *vals[64];
    int seen = 0;
    for (const char *at = strstr(doc, "\n  /api/"); at; at = strstr(at + 1, "\n  /api/")) {
        char path[200];
        size_t k = strcspn(at + 3, ":\n");
        snprintf(path, sizeof path, "%.*s", (int)k, at + 3);
        for (size_t mi = 0; mi < sizeof methods / sizeof methods[0]; mi++) {
            span op = op_span(doc, path, methods[mi]);
            if (!op.b) continue;
            span p;
            for (int i = 0; op_param(doc, op, i, &p); i++) {
                if (!find_in(p, "in: query") || param_enum(p, buf, sizeof buf, vals, 64) < 0)
                    continue;
                param_name(p, name, sizeof name);
                if (!enum_checked(methods[mi], path, name))
                    t_fail(__FILE__, __LINE__,
                           "openapi.yaml: %s %s ?%s has an enum that no server list checks (add "
                           "it to enum_filters)",
                           methods[mi], path, name);
                seen++;
            }
        }
    }
    CHECK_INT(seen, checked);
    free(doc);
}

/* A plain (unquoted) YAML scalar ends at ": " and at " #": a description such as `…, null when
 * none: …` written plainly makes the whole file unreadable to every YAML parser (and so to
 * every OpenAPI tool), while the checks above, which read it as text, still pass. Each
 * `key: value` line outside a block scalar whose plain value holds one of them is named. */
TEST(openapi_plain_scalars_are_yaml)
{
    char *doc = slurp("docs/openapi.yaml");
    CHECK(doc != NULL);
    int block = -1; /* indent of the key that opened a block scalar, -1 outside one */
    int line = 0;
    for (char *p = doc; *p;) {
        char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        line++;
        int ind = 0;
        while ((size_t)ind < len && p[ind] == ' ') ind++;
        int blank = (size_t)ind == len;
        if (block >= 0 && (blank || ind > block)) goto next;
        block = -1;
        const char *k = p + ind, *end = p + len;
        if (end - k >= 2 && k[0] == '-' && k[1] == ' ') k += 2;
        if (k < end && strchr("#\"'[{", *k)) goto next; /* a comment, a quoted key, a flow */
        const char *colon = NULL;
        for (const char *c = k; c + 1 < end; c++)
            if (c[0] == ':' && c[1] == ' ') {
                colon = c;
                break;
            }
        if (!colon) goto next;
        const char *v = colon + 2;
        while (v < end && *v == ' ') v++;
        if (v == end) goto next;
        if (*v == '|' || *v == '>') {
            block = ind;
            goto next;
        }
        if (strchr("\"'[{&*!", *v)) goto next;
        for (const char *c = v; c < end; c++)
            if ((c[0] == ':' && (c + 1 == end || c[1] == ' ')) || (c[0] == ' ' && c[1] == '#')) {
                t_fail(__FILE__, __LINE__,
                       "docs/openapi.yaml line %d: a plain value holds \"%.2s\": quote it or "
                       "write it as a block (|)",
                       line, c);
            }
    next:
        if (!eol) break;
        p = eol + 1;
    }
    CHECK(line > 1000);
    free(doc);
}

/* Each operation's x-roles names the roles the route table admits, no more and no fewer
 * (`[]` for a public route): integrators read them to know who may call what. */
/* A write takes no query parameter but the ones among wait, dry_run and version its route names
 * (PJ_ROUTE_Q_*, refused before the handler otherwise): its operation declares those, no
 * other. */
TEST(openapi_write_query_parameters_are_the_route_table)
{
    char *doc = slurp("docs/openapi.yaml");
    CHECK(doc != NULL);
    static const struct {
        const char *key;
        unsigned flag;
    } params[] = {{"wait", PJ_ROUTE_Q_WAIT},
                  {"dry_run", PJ_ROUTE_Q_DRY_RUN},
                  {"version", PJ_ROUTE_Q_VERSION}};
    int n, named = 0;
    const pj_route *r = pj_routes(&n);
    for (int i = 0; i < n; i++) {
        if (!strcmp(r[i].method, "GET") || !strcmp(r[i].method, "HEAD")) continue;
        char method[16];
        size_t k = 0;
        for (const char *m = r[i].method; *m && k + 1 < sizeof method; m++)
            method[k++] = (char)(*m | 0x20);
        method[k] = 0;
        span op = op_span(doc, r[i].path, method);
        if (!op.b) {
            t_fail(__FILE__, __LINE__, "openapi.yaml lacks %s %s", r[i].method, r[i].path);
            continue;
        }
        int in_query = 0;
        for (span sp = op; (sp.b = find_in(sp, "in: query")); sp.b++) in_query++;
        int declared = 0;
        for (size_t q = 0; q < sizeof params / sizeof params[0]; q++) {
            char key[48];
            snprintf(key, sizeof key, "- name: %s\n", params[q].key);
            const char *at = find_in(op, key);
            const char *in = at ? strstr(at, "in: query") : NULL;
            int has = in && in < op.e && in < at + strlen(key) + 40;
            if (has != !!(r[i].flags & params[q].flag))
                t_fail(__FILE__, __LINE__, "%s %s: openapi.yaml %s ?%s, the route table %s",
                       r[i].method, r[i].path, has ? "declares" : "lacks", params[q].key,
                       has ? "does not name it" : "names it");
            declared += has;
        }
        if (in_query != declared)
            t_fail(__FILE__, __LINE__,
                   "%s %s: openapi.yaml declares a query parameter other than wait, dry_run and"
                   " version",
                   r[i].method, r[i].path);
        named += declared;
    }
    CHECK(named >= 7);
    free(doc);
}

TEST(openapi_roles_are_the_route_table)
{
    char *doc = slurp("docs/openapi.yaml");
    CHECK(doc != NULL);
    int n;
    const pj_route *r = pj_routes(&n);
    for (int i = 0; i < n; i++) {
        char method[16];
        size_t k = 0;
        for (const char *m = r[i].method; *m && k + 1 < sizeof method; m++)
            method[k++] = (char)(*m | 0x20);
        method[k] = 0;
        span op = op_span(doc, r[i].path, method);
        const char *x = op.b ? find_in(op, "\n      x-roles: [") : NULL;
        if (!x) {
            t_fail(__FILE__, __LINE__, "openapi.yaml: %s %s has no x-roles", r[i].method,
                   r[i].path);
            continue;
        }
        x += strlen("\n      x-roles: [");
        const char *end = strchr(x, ']');
        CHECK(end != NULL && end < op.e);
        unsigned mask = 0;
        while (x < end) {
            while (x < end && (*x == ' ' || *x == ',')) x++;
            const char *w = x;
            while (x < end && *x != ',' && *x != ' ') x++;
            if (x == w) break;
            char name[32];
            snprintf(name, sizeof name, "%.*s", (int)(x - w), w);
            pj_role role = pj_role_parse(name);
            if (role == PJ_ROLE_NONE)
                t_fail(__FILE__, __LINE__, "openapi.yaml: %s %s: x-roles names %s, no role",
                       r[i].method, r[i].path, name);
            mask |= R(role);
        }
        if (mask != r[i].roles) {
            char want[160] = "", *p = want;
            for (int ro = PJ_ROLE_ADMIN; ro < PJ_ROLE_COUNT; ro++)
                if (r[i].roles & R(ro))
                    p += snprintf(p, sizeof want - (size_t)(p - want), "%s%s",
                                  p == want ? "" : ", ", pj_user_roles[ro - 1]);
            t_fail(__FILE__, __LINE__, "openapi.yaml: %s %s: x-roles are not the route's [%s]",
                   r[i].method, r[i].path, want);
        }
    }
    free(doc);
}

/* The property names of the component schema name (components/schemas), each NUL-terminated
 * in buf, their count in *n; the names of its `required` list likewise in req (their count in
 * *nreq). */
static void schema_props(const char *doc, const char *name, char *buf, size_t size, int *n,
                         char *req, size_t rsize, int *nreq)
{
    char key[96];
    snprintf(key, sizeof key, "\n    %s:\n", name);
    const char *at = strstr(doc, key);
    if (!at) t_fail(__FILE__, __LINE__, "openapi.yaml has no schema %s", name);
    span sch = {at + 1, block_end(at + 1, 4)};
    *n = *nreq = 0;
    const char *r = find_in(sch, "\n      required: [");
    if (r) {
        r += strlen("\n      required: [");
        const char *end = strchr(r, ']');
        size_t k = 0;
        while (r < end) {
            while (r < end && (*r == ' ' || *r == ',')) r++;
            const char *w = r;
            while (r < end && *r != ',' && *r != ' ') r++;
            if (r > w && k + (size_t)(r - w) + 1 < rsize) {
                memcpy(req + k, w, (size_t)(r - w));
                k += (size_t)(r - w);
                req[k++] = 0;
                (*nreq)++;
            }
        }
    }
    const char *pr = find_in(sch, "\n      properties:\n");
    if (!pr) t_fail(__FILE__, __LINE__, "openapi.yaml: schema %s has no properties", name);
    span props = {pr + 1, block_end(pr + 1, 6)};
    size_t k = 0;
    for (const char *l = strchr(props.b, '\n'); l && l + 1 < props.e; l = strchr(l + 1, '\n')) {
        const char *w = l + 1;
        if (strncmp(w, "        ", 8) || w[8] == ' ') continue; /* a property is at indent 8 */
        w += 8;
        const char *c = strchr(w, ':');
        if (!c || c - w >= 64 || k + (size_t)(c - w) + 1 >= size) continue;
        memcpy(buf + k, w, (size_t)(c - w));
        k += (size_t)(c - w);
        buf[k++] = 0;
        (*n)++;
    }
}

static int in_names(const char *names, int n, const char *key)
{
    for (int i = 0; i < n; i++, names += strlen(names) + 1)
        if (!strcmp(names, key)) return 1;
    return 0;
}

/* obj, an answer of the server, has the fields openapi.yaml's schema name declares: none it
 * does not declare, every one it says is required. */
static void check_schema(const char *doc, const char *name, json_t *obj, const char *url)
{
    static char props[8192], req[4096];
    int n, nreq;
    schema_props(doc, name, props, sizeof props, &n, req, sizeof req, &nreq);
    CHECK(json_is_object(obj));
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        if (!in_names(props, n, k))
            t_fail(__FILE__, __LINE__, "GET %s: field %s is not in openapi.yaml's %s", url, k,
                   name);
    }
    const char *r = req;
    for (int i = 0; i < nreq; i++, r += strlen(r) + 1)
        if (!json_object_get(obj, r))
            t_fail(__FILE__, __LINE__, "GET %s: %s's required field %s is missing", url, name, r);
}

/* The records the API answers most have the fields openapi.yaml's schemas name: a field the
 * server writes and the schema leaves out (a conversion's behind_plan, planned_start_min) is
 * named, as is a required one the server leaves out. */
TEST_T(openapi_schemas_are_the_answers, 120)
{
    char *doc = slurp("docs/openapi.yaml");
    CHECK(doc != NULL);
    th_server s;
    th_start(&s, 1);
    char adm[80];
    th_login(&s, "admin", s.admin_pw, adm);
    static const struct {
        const char *url, *schema, *item; /* item: the list's first item, else the answer */
    } reads[] = {
        {"/api/v1/health", "Health", NULL},
        {"/api/v1/meta", "Meta", NULL},
        {"/api/v1/auth/me", "User", NULL},
        {"/api/v1/regions?type=grid&limit=1", "Region", "items"},
        {"/api/v1/regions/1", "Region", NULL},
        {"/api/v1/organisations?limit=1", "Organisation", "items"},
        {"/api/v1/facilities/1", "Facility", NULL},
        {"/api/v1/facilities/summary", "FacilitySummary", NULL},
        {"/api/v1/audit?limit=1", "AuditEntry", "items"},
        {"/api/v1/standards?limit=1", "DualuseStandard", "items"},
        {"/api/v1/manuals?limit=1", "DualuseManual", "items"},
        {"/api/v1/conversions?mode=live&limit=1", "DualuseConversion", "items"},
        {"/api/v1/findings?limit=1", "DualuseFinding", "items"},
        {"/api/v1/stock?limit=1", "DualuseStockLine", "items"},
        {"/api/v1/stock/summary", "DualuseStockSummary", NULL},
        {"/api/v1/stock/summary?category=water&by=facility", "DualuseStockByFacility", NULL},
        {"/api/v1/overview", "DualuseOverview", NULL},
    };
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        json_t *o = NULL;
        CHECK_INT(th_call(&s, "GET", reads[i].url, adm, NULL, &o), 200);
        json_t *rec = reads[i].item ? json_array_get(json_object_get(o, reads[i].item), 0) : o;
        /* the log-in user's answer (schema Me): a User and the session's idle time */
        if (!strcmp(reads[i].url, "/api/v1/auth/me")) {
            CHECK(json_is_integer(json_object_get(o, "expires_in")));
            CHECK(strstr(
                      doc,
                      "\n    Me:\n      allOf:\n        - $ref: \"#/components/schemas/User\"\n") !=
                  NULL);
            json_object_del(o, "expires_in");
        }
        if (!rec) t_fail(__FILE__, __LINE__, "GET %s: no item", reads[i].url);
        check_schema(doc, reads[i].schema, rec, reads[i].url);
        /* the parts with schemas of their own */
        if (!strcmp(reads[i].schema, "DualuseManual"))
            check_schema(doc, "DualuseManualStep", json_array_get(json_object_get(rec, "steps"), 0),
                         reads[i].url);
        if (!strcmp(reads[i].schema, "DualuseConversion"))
            check_schema(doc, "DualuseConversionStep",
                         json_array_get(json_object_get(rec, "steps"), 0), reads[i].url);
        if (!strcmp(reads[i].schema, "Facility"))
            check_schema(doc, "EmergencyRole",
                         json_array_get(json_object_get(rec, "emergency_roles"), 0), reads[i].url);
        json_decref(o);
    }
    th_stop(&s);
    free(doc);
}

/* Every error code the source answers with (a literal in pj_fail's code argument, both sides
 * of a `?:` too) into codes (NUL-separated, "\n"-free); the files under dir, recursively. */
static void collect_codes(const char *dir, char *codes, size_t size, size_t *len)
{
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st)) continue;
        if (S_ISDIR(st.st_mode)) {
            collect_codes(path, codes, size, len);
            continue;
        }
        size_t n = strlen(path);
        if (n < 2 || strcmp(path + n - 2, ".c")) continue;
        char *src = slurp(path);
        CHECK(src != NULL);
        for (const char *p = strstr(src, "pj_fail("); p; p = strstr(p + 1, "pj_fail(")) {
            const char *a = p + 8;
            int commas = 0, depth = 0;
            for (; *a && commas < 2; a++) {
                if (*a == '(') depth++;
                if (*a == ')' && depth-- == 0) break;
                if (*a == ',' && depth == 0) commas++;
            }
            if (commas < 2) continue;
            /* the third argument, to its comma: every string literal in it is a code */
            for (depth = 0; *a && !(depth == 0 && (*a == ',' || *a == ')')); a++) {
                if (*a == '(') depth++;
                if (*a == ')') depth--;
                if (*a != '"') continue;
                const char *q = strchr(a + 1, '"');
                if (!q) break;
                char code[64];
                snprintf(code, sizeof code, "%.*s", (int)(q - a - 1), a + 1);
                int known = 0;
                for (const char *c = codes; c < codes + *len; c += strlen(c) + 1)
                    known |= !strcmp(c, code);
                if (!known && *len + strlen(code) + 1 < size) {
                    memcpy(codes + *len, code, strlen(code) + 1);
                    *len += strlen(code) + 1;
                }
                a = q;
            }
        }
        free(src);
    }
    closedir(d);
}

/* Every error code the server or the command line answers with is named in the reference
 * (docs/api.md and the modules' docs, as `code`): a client programs against the codes, and
 * codes no doc named (invalid_reference, required, commit_failed, …) had crept in. */
TEST(error_codes_are_documented)
{
    static const char *const files[] = {"docs/api.md",           "docs/api-dualuse.md",
                                        "docs/api-eldercare.md", "docs/api-enterprise.md",
                                        "docs/api-planner.md",   "docs/api-development.md"};
    size_t total = 0;
    char *docs = NULL;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *t = slurp(files[i]);
        CHECK(t != NULL);
        size_t n = strlen(t);
        docs = realloc(docs, total + n + 1);
        memcpy(docs + total, t, n + 1);
        total += n;
        free(t);
    }
    static char codes[16384];
    size_t len = 0;
    collect_codes("src", codes, sizeof codes, &len);
    int n = 0;
    for (const char *c = codes; c < codes + len; c += strlen(c) + 1, n++) {
        char quoted[80];
        snprintf(quoted, sizeof quoted, "`%.64s`", c);
        if (!strstr(docs, quoted))
            t_fail(__FILE__, __LINE__, "error code %s (src/) is named in no docs/api*.md", c);
    }
    CHECK(n > 50);
    free(docs);
}

/* A record's PATCH body lists no field that is set on create only: the server refuses such a
 * field (422 read_only) even unchanged, so a client built from the schema would send it. */
TEST(openapi_record_patch_lists_no_create_only_field)
{
    char *doc = slurp("docs/openapi.yaml");
    CHECK(doc != NULL);
    int kinds = 0, fixed = 0;
    for (int m = 0; m < N_REC_MODULES; m++)
        for (const pj_rec_named *k = rec_modules[m].kinds; k->path; k++) {
            char path[160], key[120];
            snprintf(path, sizeof path, "%s%s/{id}", rec_modules[m].prefix, k->path);
            span op = op_span(doc, path, "patch");
            if (!op.b) t_fail(__FILE__, __LINE__, "openapi.yaml lacks PATCH %s", path);
            const char *pr = find_in(op, "\n              properties:\n");
            if (!pr) t_fail(__FILE__, __LINE__, "openapi.yaml: PATCH %s lists no fields", path);
            span props = {pr + 1, block_end(pr + 1, 14)};
            CHECK(find_in(props, "\n                version:\n") != NULL);
            for (int i = 0; i < k->kind->nfields; i++) {
                const pj_rec_field *fd = &k->kind->fields[i];
                if (!(fd->flags & PJ_RF_FIXED)) continue;
                fixed++;
                snprintf(key, sizeof key, "\n                %s:\n", fd->name);
                if (find_in(props, key))
                    t_fail(__FILE__, __LINE__,
                           "openapi.yaml: PATCH %s lists %s, which is set on create only", path,
                           fd->name);
            }
            kinds++;
        }
    CHECK(kinds > 10);
    CHECK(fixed > 0);
    free(doc);
}

/* ---- request bodies: each closed schema's properties are the fields the server takes ---- */

/* The JSON request body schema of an operation: its text and the indent of its keys (an inline
 * schema's, or the component's it refers to); {NULL, NULL} when it has none. */
static span body_schema(const char *doc, span op, int *indent)
{
    span none = {NULL, NULL};
    const char *rb = find_in(op, "\n      requestBody:\n");
    if (!rb) return none;
    span body = {rb + 1, block_end(rb + 1, 6)};
    const char *js = find_in(body, "\n          application/json:\n");
    if (!js) return none;
    const char *sc = find_in((span){js + 1, body.e}, "\n            schema:\n");
    if (!sc) return none;
    span s = {sc + 1, block_end(sc + 1, 12)};
    const char *ref = find_in(s, "\n              $ref: \"#/components/schemas/");
    if (!ref) {
        *indent = 14;
        return s;
    }
    ref += strlen("\n              $ref: \"#/components/schemas/");
    char key[160];
    snprintf(key, sizeof key, "\n    %.*s:\n", (int)strcspn(ref, "\""), ref);
    const char *schemas = strstr(doc, "\n  schemas:\n");
    const char *c = schemas ? strstr(schemas, key) : NULL;
    if (!c) t_fail(__FILE__, __LINE__, "openapi.yaml lacks the schema %s", key + 5);
    *indent = 6;
    return (span){c + 1, block_end(c + 1, 4)};
}

/* The line "KEY" at exactly indent spaces in s (a key of the schema itself), or NULL. */
static const char *key_at(span s, int indent, const char *key)
{
    char k[96];
    snprintf(k, sizeof k, "\n%*s%s", indent, "", key);
    return find_in(s, k);
}

/* A JSON value that is not of the property's declared type (its block p, keys at indent) */
static const char *wrong_value(span p, int indent)
{
    const char *t = key_at(p, indent, "type: ");
    if (!t) return "true"; /* oneOf: no one type (each alternative is a string or an array) */
    t += indent + 1 + strlen("type: ");
    if (!strncmp(t, "string", 6)) return "12345";
    if (!strncmp(t, "boolean", 7)) return "\"x\"";
    return "\"x\""; /* integer, number, array, object */
}

/* An existing record's id for PATH's {id} (the segment before it names the records), else 1:
 * most writes check the body's field names before they look the record up, some (a base's
 * studios, a product's sales, an enrolment's steps, …) only once they have found it. */
static long long id_for(th_server *s, const char *path)
{
    static const struct {
        const char *prefix, *table;
    } tables[] = {
        {"/api/v1/ecommerce/bases/", "ec_bases"},
        {"/api/v1/ecommerce/streamers/", "ec_streamers"},
        {"/api/v1/ecommerce/sessions/", "ec_sessions"},
        {"/api/v1/ecommerce/products/", "ec_products"},
        {"/api/v1/ecommerce/zone-enterprises/", "ec_zone_enterprises"},
        {"/api/v1/academy/courses/", "ac_courses"},
        {"/api/v1/academy/cohorts/", "ac_cohorts"},
        {"/api/v1/academy/posts/", "ac_posts"},
        {"/api/v1/academy/enrolments/", "ac_enrolments"},
        {"/api/v1/elders/", "elders"},
        {"/api/v1/helpers/", "helpers"},
        {"/api/v1/pairing-runs/", "elder_pair_runs"},
        {"/api/v1/pair-proposals/", "elder_pair_proposals"},
        {"/api/v1/pairs/", "elder_pairs"},
        {"/api/v1/credit-accounts/", "credit_accounts"},
        {"/api/v1/elder-alerts/", "elder_alerts"},
        {"/api/v1/elder-centres/", "elder_centres"},
        {"/api/v1/indicators/values/", "indicator_values"},
        {"/api/v1/indicators/targets/", "indicator_targets"},
        {"/api/v1/indicators/", "indicators"},
        {"/api/v1/carbon/factors/", "emission_factors"},
        {"/api/v1/carbon/energy/", "energy_use"},
        {"/api/v1/conversions/", "conversions"},
    };
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        size_t n = strlen(tables[i].prefix);
        if (strncmp(path, tables[i].prefix, n) || strncmp(path + n, "{id}", 4)) continue;
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT COALESCE(MIN(id), 0) FROM %s", tables[i].table);
        long long id = th_sql_int(s, sql);
        /* none in the demo (pairing runs): any id, as the check of the unknown field, which
         * then must come first, shows (a 404 there is named) */
        return id ? id : 1;
    }
    return 1;
}

/* One request; returns the status, *code and *field those of the error answer ("" if none). */
static int body_call(th_server *s, const char *tok, const char *method, const char *url,
                     const char *body, char code[64], char field[96])
{
    json_t *o = NULL;
    int st = th_call(s, method, url, tok, body, &o);
    snprintf(code, 64, "%s", o && th_err_code(o) ? th_err_code(o) : "");
    snprintf(field, 96, "%s", o && th_err_field(o) ? th_err_field(o) : "");
    json_decref(o);
    return st;
}

/* Every POST and PATCH whose JSON body schema refuses other fields (additionalProperties:
 * false) lists the fields the server takes: a body naming one of its properties, with a value
 * of the wrong type, is never 422 unknown_field for it (the server names the first field it
 * does not know, so with a field no one knows after it, that one is named instead); and a field
 * it does not list is 422 unknown_field. A property the server does not take (a misspelling, a
 * field of another operation, a create-only one on a PATCH the server refuses as unknown) is
 * named. Log-in, log-out and the password change are left alone (they would end the session). */
/* A demo server with the modules' demos (the elders' too when elders), and the sessions of the
 * admin, an enterprise (its own acts: consent, a reply) and a grid worker (a pairing request). */
static void routes_server(th_server *s, int elders, char adm[80], char ent[80], char grid[80])
{
    th_start(s, 1);
    th_demo(s, pj_indicators_demo);
    th_demo(s, pj_ecommerce_demo);
    th_demo(s, pj_academy_demo);
    if (elders) el_demo(s, 60);
    th_login(s, "admin", s->admin_pw, adm);
    th_login(s, "jd", s->demo_pw, ent);
    th_login(s, "grid01", s->demo_pw, grid);
}

TEST_T(openapi_request_bodies_are_the_server_fields, 300)
{
    char *doc = slurp("docs/openapi.yaml");
    CHECK(doc != NULL);
    th_server s;
    char adm[80], ent[80], grid[80];
    routes_server(&s, 1, adm, ent, grid);
    int n, ops = 0, props = 0;
    const pj_route *r = pj_routes(&n);
    for (int i = 0; i < n; i++) {
        const char *m = r[i].method;
        if ((strcmp(m, "POST") && strcmp(m, "PATCH")) || strstr(r[i].path, "/auth/")) continue;
        span op = op_span(doc, r[i].path, !strcmp(m, "POST") ? "post" : "patch");
        if (!op.b) continue; /* openapi_lists_every_route names it */
        int ind = 0;
        span sc = body_schema(doc, op, &ind);
        if (!sc.b || !key_at(sc, ind, "additionalProperties: false\n")) continue;
        char url[256];
        const char *id = strstr(r[i].path, "{id}");
        if (id)
            snprintf(url, sizeof url, "%.*s%lld%s", (int)(id - r[i].path), r[i].path,
                     id_for(&s, r[i].path), id + 4);
        else
            snprintf(url, sizeof url, "%s", r[i].path);
        const char *tok = r[i].roles & R(PJ_ROLE_ADMIN)         ? adm
                          : r[i].roles & R(PJ_ROLE_GRID_WORKER) ? grid
                                                                : ent;
        char code[64], field[96];
        int st = body_call(&s, tok, m, url, "{\"zz_not_a_field\":1}", code, field);
        if (st != 422 || strcmp(code, "unknown_field") || strcmp(field, "zz_not_a_field"))
            t_fail(__FILE__, __LINE__,
                   "%s %s {\"zz_not_a_field\":1}: %d %s at %s, expected 422 unknown_field", m, url,
                   st, code, field);
        ops++;
        const char *pr = key_at(sc, ind, "properties:\n");
        if (!pr) continue; /* properties: {} */
        span list = {pr + 1, block_end(pr + 1, ind)};
        for (const char *l = list.b; (l = find_in((span){l, list.e}, "\n")) != NULL;) {
            l++;
            int k = 0;
            while (l[k] == ' ') k++;
            if (k != ind + 2 || l[k] == '\n' || l[k] == '#') continue;
            size_t len = strcspn(l + k, ":\n");
            char name[96], body[256];
            snprintf(name, sizeof name, "%.*s", (int)len, l + k);
            span p = {l, block_end(l, ind + 2)};
            const char *v = wrong_value(p, ind + 4);
            snprintf(body, sizeof body, "{\"%s\":%s,\"zz_not_a_field\":1}", name, v);
            st = body_call(&s, tok, m, url, body, code, field);
            if (st != 422 || strcmp(code, "unknown_field") || strcmp(field, "zz_not_a_field"))
                t_fail(__FILE__, __LINE__,
                       "%s %s %s: %d %s at %s; openapi.yaml lists %s, expected the unknown "
                       "zz_not_a_field named",
                       m, url, body, st, code, field, name);
            /* alone: some fields are known to the first check and refused by a later one */
            snprintf(body, sizeof body, "{\"%s\":%s}", name, v);
            st = body_call(&s, tok, m, url, body, code, field);
            if (st == 422 && !strcmp(code, "unknown_field") && !strcmp(field, name))
                t_fail(__FILE__, __LINE__, "%s %s %s: 422 unknown_field, but openapi.yaml lists %s",
                       m, url, body, name);
            props++;
        }
    }
    CHECK(ops > 100);
    CHECK(props > 500);
    th_stop(&s);
    free(doc);
}

/* Every query parameter openapi.yaml declares for a GET is one the server takes: alone, with a
 * value of its type (an enum's first), it is never 400 unknown_parameter. Regression: the
 * e-commerce and academy KPIs were declared with limit and cursor, which they refuse. */
TEST_T(openapi_get_query_parameters_are_taken, 300)
{
    char *doc = slurp("docs/openapi.yaml");
    CHECK(doc != NULL);
    th_server s;
    char adm[80], ent[80], grid[80];
    routes_server(&s, 0, adm, ent, grid);
    int n, tried = 0;
    const pj_route *r = pj_routes(&n);
    for (int i = 0; i < n; i++) {
        if (strcmp(r[i].method, "GET")) continue;
        const char *id = strstr(r[i].path, "{id}");
        /* another path parameter ({month}, {platform}): left to the module's tests */
        if (strchr(id ? id + 4 : r[i].path, '{')) continue;
        span op = op_span(doc, r[i].path, "get");
        if (!op.b) continue; /* openapi_lists_every_route names it */
        const char *tok = r[i].roles & R(PJ_ROLE_ADMIN)         ? adm
                          : r[i].roles & R(PJ_ROLE_GRID_WORKER) ? grid
                                                                : ent;
        span p;
        for (int k = 0; op_param(doc, op, k, &p); k++) {
            if (!find_in(p, "in: query")) continue;
            char name[64], buf[512], url[400];
            const char *vals[32];
            param_name(p, name, sizeof name);
            int nv = param_enum(p, buf, sizeof buf, vals, 32);
            const char *v = nv > 0 ? vals[0] : find_in(p, "type: boolean") ? "true" : "1";
            if (id)
                snprintf(url, sizeof url, "%.*s%lld%s?%s=%s", (int)(id - r[i].path), r[i].path,
                         id_for(&s, r[i].path), id + 4, name, v);
            else
                snprintf(url, sizeof url, "%s?%s=%s", r[i].path, name, v);
            char code[64], field[96];
            int st = body_call(&s, tok, "GET", url, NULL, code, field);
            if (st == 400 && !strcmp(code, "unknown_parameter") && !strcmp(field, name))
                t_fail(__FILE__, __LINE__,
                       "GET %s: 400 unknown_parameter, but openapi.yaml declares ?%s", url, name);
            tried++;
        }
    }
    CHECK(tried > 300);
    th_stop(&s);
    free(doc);
}

/* The overview's example in docs/api-dualuse.md gives the figures the demo gives: the same
 * counts, the coverage the formula above it makes of them, the manuals over target and the
 * drills overdue the demo has. Regression: the example showed 159.3 residents' rooms per 10,000
 * where (0 + 300 + 6692) × 10,000 ÷ 451469 is 154.87 (the figure the console shows), and
 * named manuals of other scenarios. */
TEST(docs_overview_example_gives_the_demo_figures)
{
    char *doc = slurp("docs/api-dualuse.md");
    CHECK(doc != NULL);
    const char *at = strstr(doc, "-d scenario=epidemic\n```\n\n```json\n");
    CHECK(at != NULL);
    at = strchr(at, '{');
    const char *end = strstr(at, "\n```");
    CHECK(end != NULL);
    json_error_t jerr;
    json_t *ex = json_loadb(at, (size_t)(end - at), 0, &jerr);
    if (!ex) t_fail(__FILE__, __LINE__, "the example is no JSON: %s", jerr.text);
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "officer", s.demo_pw, tok);
    json_t *o = EL(&s, tok, "GET", "/api/v1/overview?scenario=epidemic", NULL, 200);
    CHECK_INT(th_int(ex, "district_population"), th_int(o, "district_population"));
    json_t *er = json_array_get(json_object_get(ex, "roles"), 0), *r = NULL, *e;
    size_t i;
    json_array_foreach(json_object_get(o, "roles"), i,
                       e) if (!strcmp(th_str(e, "role"), th_str(er, "role"))) r = e;
    CHECK(r != NULL);
    static const char *const keys[] = {"ready", "converting", "convertible", "target_per_10k"};
    for (int k = 0; k < 4; k++) CHECK_INT(th_int(er, keys[k]), th_int(r, keys[k]));
    double per = json_number_value(json_object_get(er, "per_10k_residents"));
    CHECK(per == json_number_value(json_object_get(r, "per_10k_residents")));
    /* the formula stated above the example, two decimals */
    double want =
        (double)(th_int(er, "ready") + th_int(er, "converting") + th_int(er, "convertible")) *
        10000.0 / (double)th_int(ex, "district_population");
    CHECK((long long)(want * 100 + 0.5) == (long long)(per * 100 + 0.5));
    CHECK_INT(th_int(ex, "manuals"), th_int(o, "manuals"));
    /* the manuals over target and the drills overdue shown are the demo's own */
    static const char *const lists[] = {"manuals_over_target", "drills_overdue"};
    for (int k = 0; k < 2; k++) {
        json_t *shown = json_array_get(json_object_get(ex, lists[k]), 0), *found = NULL;
        json_array_foreach(json_object_get(o, lists[k]), i,
                           e) if (th_int(e, "manual_id") == th_int(shown, "manual_id")) found = e;
        if (!found)
            t_fail(__FILE__, __LINE__, "%s: manual %lld is not in the overview", lists[k],
                   th_int(shown, "manual_id"));
        CHECK_INT(th_int(shown, "facility_id"), th_int(found, "facility_id"));
        CHECK_STR(th_str(shown, "facility_name"), th_str(found, "facility_name"));
    }
    json_decref(o);
    json_decref(ex);
    free(doc);
    th_stop(&s);
}

/* Regression: the report and finding routes were summed up as a drill's ("Drill report",
 * "Record a drill finding") though live conversions have reports and findings too. The dual-use
 * reference's route table gives each route the route table's own summary, and these two name
 * live conversions. */
TEST(dualuse_route_summaries_are_the_reference_table)
{
    char *doc = slurp("docs/api-dualuse.md");
    CHECK(doc != NULL);
    int n, rows = 0;
    const pj_route *r = pj_routes(&n);
    for (int i = 0; i < n; i++) {
        char key[200];
        snprintf(key, sizeof key, "\n| %s | `%s` | ", r[i].method, r[i].path);
        const char *at = strstr(doc, key);
        if (!at) continue;
        /* the row's last cell: its summary, without the code marks and the escaped bars */
        const char *end = strchr(at + 1, '\n');
        while (end > at && end[-1] != '|') end--;
        end--; /* the row's closing bar */
        const char *c = end;
        while (c > at && !(c[-1] == '|' && c[-2] == ' ')) c--;
        char text[300];
        size_t k = 0;
        for (const char *p = c; p < end && k + 1 < sizeof text; p++) {
            if (*p == '`' || (*p == '\\' && p[1] == '|')) continue;
            text[k++] = *p;
        }
        while (k && text[k - 1] == ' ') k--;
        text[k] = 0;
        const char *t = text;
        while (*t == ' ') t++;
        if (strcmp(t, r[i].summary))
            t_fail(__FILE__, __LINE__, "%s %s: the reference says \"%s\", the route table \"%s\"",
                   r[i].method, r[i].path, t, r[i].summary);
        rows++;
        if (!strcmp(r[i].path, "/api/v1/conversions/{id}/report") ||
            !strcmp(r[i].path, "/api/v1/conversions/{id}/findings"))
            CHECK(strstr(r[i].summary, "live conversion") != NULL);
    }
    CHECK(rows > 20);
    free(doc);
}
