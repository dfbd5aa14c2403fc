/* Facilities from a spreadsheet and back: the import reads a township's or the district's
 * facility list (CSV or XLSX, through core/sheet.c as the statistics import does), turns each
 * row into the body the single-record API takes and creates or updates the facility through the
 * API's own checks and writes (pj_facility_create_in / pj_facility_update_in: fields,
 * references, township scope, roles, audit). All rows run in one transaction: a bad row is
 * undone and named (line, column, reason), an update that changes nothing is undone (no new
 * version, no audit row); with any bad row, or in a dry run, the whole transaction is rolled
 * back. An update runs under a savepoint (it writes before it knows whether it changed
 * anything); a create, whose checks all come before its first write, runs under none, and a
 * create refused after a write (which its checks make unexpected) has the import run again
 * with every row under a savepoint. The export writes the list's facilities in the same
 * columns. docs/api.md, "Facility import and export". */
#include <math.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/sheet.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/input.h"
#include "domain/registry.h"
#include "domain/rows.h"

#include "core/banned.h"

#define MAX_ERRORS  100
#define MAX_PREVIEW 1000

/* The columns: the name an export writes, the Chinese heading an officer's sheet may have
 * instead, and the API field a column's errors are reported by. */
enum {
    C_ID,
    C_VERSION,
    C_NAME,
    C_TYPE,
    C_TOWN,
    C_VILLAGE,
    C_ADDRESS,
    C_LAT,
    C_LON,
    C_OPERATOR,
    C_PFUNC,
    C_PCAP,
    C_PUNIT,
    C_BF,
    C_ROLE0 /* then one column per emergency role and unit (roles[]) */
};
#define NROLES 6
#define NCOLS  (C_ROLE0 + NROLES)
static const struct {
    const char *name, *zh, *field;
} cols[NCOLS] = {
    {"id", "编号", "id"},
    {"version", "版本", "version"},
    {"name", "名称", "name"},
    {"type", "类型", "type"},
    {"township", "乡镇", "township_id"},
    {"village", "村/社区", "village_id"},
    {"address", "地址", "address"},
    {"lat", "纬度", "lat"},
    {"lon", "经度", "lon"},
    {"operator", "运营单位", "operator_id"},
    {"peacetime_function", "平时功能", "peacetime_function"},
    {"peacetime_capacity", "平时容量", "peacetime_capacity"},
    {"peacetime_unit", "平时单位", "peacetime_unit"},
    {"barrier_free_rooms", "无障碍房间", "barrier_free_rooms"},
    {"isolation_rooms", "隔离房间", "emergency_roles"},
    {"resettlement_beds", "安置床位", "emergency_roles"},
    {"medical_beds", "医疗床位", "emergency_roles"},
    {"supply_store_m3", "物资储备容积", "emergency_roles"},
    {"supply_store_t", "物资储备重量", "emergency_roles"},
    {"transport_hub_vehicles_per_hour", "转运通行能力", "emergency_roles"},
};
/* the role and unit of each role column: a capacity in the cell, an empty cell no such role */
static const struct {
    const char *role, *unit;
} roles[NROLES] = {{"isolation", "rooms"}, {"resettlement", "beds"},
                   {"medical", "beds"},    {"supply_store", "m3"},
                   {"supply_store", "t"},  {"transport_hub", "vehicles_per_hour"}};

/* The facility types as the console names them in Chinese: a cell may hold either. */
static const char *const type_zh[][2] = {
    {"hotel", "酒店"},
    {"homestay_cluster", "民宿集群"},
    {"village_community", "村庄社区"},
    {"expressway_service_area", "高速服务区"},
    {"warehouse", "仓储物流"},
    {"medical_base", "医疗基地"},
    {"sports_venue", "体育场馆"},
    {"school", "学校"},
    {"other", "其他"},
};

/* The facility types a type cell takes, codes and Chinese names: "type must be one of: hotel
 * (酒店), homestay_cluster (民宿集群), …". */
static const char *type_choices(pj_ctx *c)
{
    char out[512];
    size_t len = 0;
    int n = snprintf(out, sizeof out, "type must be one of:");
    if (n > 0) len = (size_t)n;
    for (size_t i = 0; i < sizeof type_zh / sizeof *type_zh && len < sizeof out; i++) {
        n = snprintf(out + len, sizeof out - len, "%s %s (%s)", i ? "," : "", type_zh[i][0],
                     type_zh[i][1]);
        if (n > 0) len += (size_t)n;
    }
    return pj_arena_strdup(c->arena, out);
}

/* A row's error: the column by its export name, the reason, the message naming line and column. */
#define BAD(re, k, why, ...)                                                                       \
    ((re)->reason = (why), pj_fail(&(re)->e, 422, "bad_row", cols[k].name, __VA_ARGS__))

/* The column of an API error's field: township_id is the township column, emergency_roles[i]
 * the column of the i-th role of the body (rolecol[i]). An error of the whole list
 * (emergency_roles: a live conversion's role, which the row leaves out) is the column of the
 * role the message names that the row leaves out, else the table's first role column. */
static int column_of(const char *field, const char *message, const int *map, const int *rolecol,
                     int nroles)
{
    if (!strncmp(field, "emergency_roles[", 16)) {
        int i = (int)strtol(field + 16, NULL, 10);
        return i >= 0 && i < nroles ? rolecol[i] : C_ROLE0;
    }
    if (!strcmp(field, "emergency_roles")) {
        int first = -1;
        for (int k = C_ROLE0; k < NCOLS; k++) {
            if (map[k] < 0) continue;
            if (first < 0) first = k;
            const char *role = roles[k - C_ROLE0].role;
            int kept = 0;
            for (int i = 0; i < nroles; i++)
                kept |= !strcmp(roles[rolecol[i] - C_ROLE0].role, role);
            if (!kept && strstr(message, role)) return k;
        }
        return first;
    }
    for (int k = 0; k < NCOLS; k++)
        if (!strcmp(field, cols[k].field) && k < C_ROLE0) return k;
    return -1;
}

/* The import's look-ups of townships, villages and operators by the text of a cell, kept for
 * the import's duration: a table names the same few dozen townships, villages and
 * organisations over and over, and the import writes facilities only, never a region or an
 * organisation, so each text's answer stays what it was at its first row. Keyed by the kind
 * ('r' a region under parent, 'o' an organisation) and the text; an error (-1) is not kept. */
typedef struct lookup {
    uint64_t hash;
    int64_t parent, id;
    const char *text;
    char kind;
} lookup;

typedef struct lookups {
    lookup *e;
    size_t n, cap; /* cap a power of two, at most half full */
} lookups;

static uint64_t lookup_hash(char kind, int64_t parent, const char *text)
{
    uint64_t h = 1469598103934665603ULL;
    h = (h ^ (unsigned char)kind) * 1099511628211ULL;
    for (int i = 0; i < 8; i++) h = (h ^ ((uint64_t)parent >> (8 * i) & 0xff)) * 1099511628211ULL;
    for (const char *p = text; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h;
}

/* The slot of (kind, parent, text): the entry, or the empty slot it would take. */
static lookup *lookup_slot(lookups *L, uint64_t h, char kind, int64_t parent, const char *text)
{
    for (size_t i = h & (L->cap - 1);; i = (i + 1) & (L->cap - 1)) {
        lookup *x = &L->e[i];
        if (!x->text ||
            (x->hash == h && x->kind == kind && x->parent == parent && !strcmp(x->text, text)))
            return x;
    }
}

/* 1 and *id when the text was looked up before, else 0. */
static int lookup_get(const lookups *L, char kind, int64_t parent, const char *text, int64_t *id)
{
    if (!L->cap) return 0;
    lookup *x = lookup_slot((lookups *)L, lookup_hash(kind, parent, text), kind, parent, text);
    if (!x->text) return 0;
    *id = x->id;
    return 1;
}

static void lookup_put(pj_ctx *c, lookups *L, char kind, int64_t parent, const char *text,
                       int64_t id)
{
    if (2 * (L->n + 1) > L->cap) {
        lookups G = {.cap = L->cap ? 2 * L->cap : 64};
        G.e = pj_arena_calloc(c->arena, G.cap, sizeof *G.e);
        for (size_t i = 0; i < L->cap; i++) {
            if (!L->e[i].text) continue;
            size_t j = L->e[i].hash & (G.cap - 1);
            while (G.e[j].text) j = (j + 1) & (G.cap - 1);
            G.e[j] = L->e[i];
        }
        G.n = L->n;
        *L = G;
    }
    uint64_t h = lookup_hash(kind, parent, text);
    lookup *x = lookup_slot(L, h, kind, parent, text);
    if (!x->text) L->n++;
    *x = (lookup){.hash = h,
                  .parent = parent,
                  .id = id,
                  .text = pj_arena_strdup(c->arena, text),
                  .kind = kind};
}

/* One region by code or name: a township (parent 0) or a village or community of township
 * parent. 0 none, -1 error, -2 more than one by that name. */
static int64_t region_find(pj_ctx *c, lookups *L, const char *text, int64_t parent, pj_err *err)
{
    int64_t id;
    if (lookup_get(L, 'r', parent, text, &id)) return id;
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT id, code = ?1 FROM regions WHERE (code = ?1 OR name = ?1) AND (CASE WHEN ?2 = 0"
        " THEN type = 'township' ELSE parent_id = ?2 AND type IN ('village', 'community') END)"
        " ORDER BY code = ?1 DESC, id LIMIT 2",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, text);
    pj_stmt_int(s, 2, parent);
    int rc = pj_stmt_step(s, err);
    id = rc == 1 ? pj_col_int(s, 0) : 0;
    /* a code is unique; a name given to two regions names neither */
    if (rc == 1 && !pj_col_int(s, 1) && (rc = pj_stmt_step(s, err)) == 1) id = -2;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    lookup_put(c, L, 'r', parent, text, id);
    return id;
}

/* An organisation by its unified social credit code or its name. 0 none, -1 error, -2 more
 * than one by that name. */
static int64_t org_find(pj_ctx *c, lookups *L, const char *text, pj_err *err)
{
    int64_t id;
    if (lookup_get(L, 'o', 0, text, &id)) return id;
    int rc;
    /* "#12": the organisation of that id (the export's name for one whose name another
     * organisation shares, when it has no credit code) */
    if (text[0] == '#') {
        if (pj_parse_i64(text + 1, &id) || id <= 0) return 0;
        pj_stmt *s = pj_db_prepare(c->db, "SELECT id FROM organisations WHERE id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        rc = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (rc < 0) return -1;
        id = rc == 1 ? id : 0;
    } else {
        pj_stmt *s = pj_db_prepare(c->db,
                                   "SELECT id, uscc IS ?1 FROM organisations WHERE uscc = ?1 OR"
                                   " name = ?1 ORDER BY uscc IS ?1 DESC, id LIMIT 2",
                                   err);
        if (!s) return -1;
        pj_stmt_text(s, 1, text);
        rc = pj_stmt_step(s, err);
        id = rc == 1 ? pj_col_int(s, 0) : 0;
        if (rc == 1 && !pj_col_int(s, 1) && (rc = pj_stmt_step(s, err)) == 1) id = -2;
        pj_stmt_done(s);
        if (rc < 0) return -1;
    }
    lookup_put(c, L, 'o', 0, text, id);
    return id;
}

/* A number cell as the API takes it: a number (whole numbers as integers) when it is one,
 * else the text, which the API's check refuses as not a number, naming the field. */
static json_t *number_cell(const char *t)
{
    double v;
    if (pj_parse_double(t, &v) || !isfinite(v)) return json_string(t);
    if (v == floor(v) && fabs(v) < 9007199254740992.0) return json_integer((json_int_t)v);
    return json_real(v);
}

/* The text of a cell, the spaces around it left out ("" for an absent cell). */
static const char *cell_text(pj_ctx *c, const pj_sheet *r, const int *map, int k)
{
    if (map[k] < 0 || map[k] >= r->nf) return "";
    return pj_text_trimmed(c->arena, r->f[map[k]]);
}

/* What one row does: its line, action, the facility (0 for a create's dry run) and what a
 * console shows of it. */
typedef struct prow {
    int line;
    const char *action; /* created, updated, unchanged, error */
    int64_t id;
    const char *name, *township, *column, *message, *changed;
} prow;

/* The facilities this import has written, by id: a second row naming one is refused. A hash
 * table (ids in slots, 0 empty, at most half full): each row asks it, and a table of 10,000
 * updates asked a list of the rows before it 50 million times. */
typedef struct seen {
    int64_t *id;
    int *line;
    size_t n, cap;
} seen;

static size_t seen_slot(const seen *S, int64_t id)
{
    size_t i = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ULL >> 20) & (S->cap - 1);
    while (S->id[i] && S->id[i] != id) i = (i + 1) & (S->cap - 1);
    return i;
}

static int seen_line(const seen *S, int64_t id)
{
    if (!S->cap) return 0;
    size_t i = seen_slot(S, id);
    return S->id[i] ? S->line[i] : 0;
}

static void seen_add(pj_ctx *c, seen *S, int64_t id, int line)
{
    if (2 * (S->n + 1) > S->cap) {
        seen G = {.n = S->n, .cap = S->cap ? 2 * S->cap : 512};
        G.id = pj_arena_calloc(c->arena, G.cap, sizeof *G.id);
        G.line = pj_arena_calloc(c->arena, G.cap, sizeof *G.line);
        for (size_t i = 0; i < S->cap; i++)
            if (S->id[i]) {
                size_t j = seen_slot(&G, S->id[i]);
                G.id[j] = S->id[i], G.line[j] = S->line[i];
            }
        *S = G;
    }
    size_t i = seen_slot(S, id);
    if (!S->id[i]) S->n++, S->id[i] = id, S->line[i] = line;
}

/* The top-level fields whose value differs between two renderings of a facility, "a, b". */
static const char *changed_fields(pj_ctx *c, const char *before, const char *after)
{
    json_t *b = json_loads(before, 0, NULL), *a = json_loads(after, 0, NULL);
    char out[256] = "";
    size_t len = 0;
    const char *k;
    json_t *v;
    if (a && b) json_object_foreach(a, k, v)
        {
            if (!strcmp(k, "version") || !strcmp(k, "updated_at") || !strcmp(k, "township_name") ||
                json_equal(v, json_object_get(b, k)))
                continue;
            int n = snprintf(out + len, sizeof out - len, "%s%s", len ? ", " : "", k);
            if (n > 0 && (size_t)n < sizeof out - len) len += (size_t)n;
        }
    json_decref(a);
    json_decref(b);
    return pj_arena_strdup(c->arena, out);
}

/* The body the API takes for one row, and the facility it updates (*id, 0 for a create), or
 * the row's error (re). rolecol[i]: the column of the body's i-th role. */
static int row_body(pj_ctx *c, lookups *L, pj_sheet *r, const int *map, int ncols, json_t *body,
                    int64_t *id, int *rolecol, int *nroles, const char **town_name, pj_rowerr *re)
{
    pj_err *e = &re->e;
    re->n = 0;
    re->reason = "bad_row";
    *id = 0;
    *nroles = 0;
    *town_name = "";
    /* a cell beyond the header would be dropped unread (empty ones, a trailing comma, are not) */
    for (int j = ncols; j < r->nf; j++)
        if (*r->f[j]) {
            re->reason = "extra_cells";
            pj_rowerr_arg(re, "cells", pj_arena_printf(c->arena, "%d", r->nf));
            pj_rowerr_arg(re, "columns", pj_arena_printf(c->arena, "%d", ncols));
            return pj_fail(e, 422, "bad_row", r->field,
                           "line %d: %d cells, the header names %d columns", r->line, r->nf, ncols);
        }
    /* a failed formula's #REF!, #N/A is no value: the id's here, the other columns' once the
     * facility the row names is known (the preview names it) */
    if (map[C_ID] >= 0 && pj_sheet_formula_error(r, map[C_ID], cols[C_ID].name, re)) return -1;
    const char *t;
    /* the facility named by id */
    int64_t cur_town = 0;
    if (*(t = cell_text(c, r, map, C_ID))) {
        int64_t v;
        if (pj_parse_i64(t, &v) || v <= 0) { /* beyond 64 bits too, not taken as the largest */
            pj_rowerr_arg(re, "value", t);
            return BAD(re, C_ID, "bad_id", "line %d, column id: '%.30s' is not a facility id",
                       r->line, t);
        }
        pj_stmt *s = pj_db_prepare(c->db, "SELECT township_id FROM facilities WHERE id = ?", e);
        if (!s) return -1;
        pj_stmt_int(s, 1, v);
        int rc = pj_stmt_step(s, e);
        cur_town = rc == 1 ? pj_col_int(s, 0) : 0;
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (!rc) {
            pj_rowerr_arg(re, "value", t);
            return BAD(re, C_ID, "unknown_facility", "line %d, column id: no facility %lld",
                       r->line, (long long)v);
        }
        *id = v;
    }
    for (int k = 0; k < NCOLS; k++)
        if (k != C_ID && map[k] >= 0 && pj_sheet_formula_error(r, map[k], cols[k].name, re))
            return -1;
    /* the township by code or name; none given: a township officer's own */
    int64_t town = 0;
    t = cell_text(c, r, map, C_TOWN);
    *town_name = t;
    if (*t) {
        town = region_find(c, L, t, 0, e);
        if (town == -1) return -1;
        if (town <= 0) {
            pj_rowerr_arg(re, "township", t);
            return BAD(re, C_TOWN, "unknown_township",
                       "line %d, column township: no township '%.60s' (a name or a code)", r->line,
                       t);
        }
    } else if (!*id && c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER) {
        town = c->actor.township_id;
        /* the preview names the township the row goes to, a dry run's create as the commit's */
        pj_stmt *s = pj_db_prepare(c->db, "SELECT name FROM regions WHERE id = ?", e);
        if (!s) return -1;
        pj_stmt_int(s, 1, town);
        int rc = pj_stmt_step(s, e);
        if (rc == 1) *town_name = pj_arena_strdup(c->arena, pj_col_text(s, 0));
        pj_stmt_done(s);
        if (rc < 0) return -1;
    }
    if (town) json_object_set_new(body, "township_id", json_integer(town));
    /* the natural key: a row without an id updates the facility of that name in that
     * township, when there is one */
    if (!*id && town) {
        const char *name = cell_text(c, r, map, C_NAME);
        if (*name) {
            pj_stmt *s = pj_db_prepare(c->db,
                                       "SELECT id FROM facilities WHERE township_id = ? AND"
                                       " name = ? ORDER BY id LIMIT 2",
                                       e);
            if (!s) return -1;
            pj_stmt_int(s, 1, town);
            pj_stmt_text(s, 2, name);
            int rc = pj_stmt_step(s, e), n = 0;
            if (rc == 1) *id = pj_col_int(s, 0), n = 1;
            if (rc == 1 && (rc = pj_stmt_step(s, e)) == 1) n = 2;
            pj_stmt_done(s);
            if (rc < 0) return -1;
            if (n == 2) {
                pj_rowerr_arg(re, "name", name);
                return BAD(re, C_NAME, "ambiguous_name",
                           "line %d, column name: the township has more than one facility '%.60s';"
                           " give its id in the id column",
                           r->line, name);
            }
            if (n == 1) cur_town = town;
        }
    }
    /* a row of a district role without id or township (a township officer's is in their
     * township): matched to no facility and short of what a create needs. Its township is
     * what is missing either way, to update the facility its name names as to create one:
     * said at the township, not at the first field a create would be refused for (type). */
    if (!*id && !town) {
        const char *name = cell_text(c, r, map, C_NAME);
        char where[200] = "";
        if (*name) {
            pj_stmt *s = pj_db_prepare(c->db,
                                       "SELECT DISTINCT t.name FROM facilities f JOIN regions t"
                                       " ON t.id = f.township_id WHERE f.name = ? ORDER BY"
                                       " t.name LIMIT 4",
                                       e);
            if (!s) return -1;
            pj_stmt_text(s, 1, name);
            int rc, n = 0;
            size_t len = 0;
            while ((rc = pj_stmt_step(s, e)) == 1 && len < sizeof where) {
                int k = snprintf(where + len, sizeof where - len, "%s%s", n ? ", " : "",
                                 n < 3 ? pj_col_text(s, 0) : "…");
                if (k > 0) len += (size_t)k;
                n++;
            }
            pj_stmt_done(s);
            if (rc < 0) return -1;
        }
        if (*where) {
            pj_rowerr_arg(re, "name", name);
            pj_rowerr_arg(re, "townships", pj_arena_strdup(c->arena, where));
            return BAD(re, C_TOWN, "missing_township",
                       "line %d, column township: give the township (or the facility's id) to"
                       " update '%.60s' (a facility of that name is in %s); a new facility also"
                       " needs type, lat and lon",
                       r->line, name, where);
        }
        pj_rowerr_arg(re, "column", cols[C_TOWN].name);
        pj_rowerr_arg(re, "value", "");
        pj_rowerr_arg(re, "code", "missing_field");
        if (!*name)
            return BAD(re, C_TOWN, "invalid",
                       "line %d, column township: a new facility needs its township", r->line);
        return BAD(re, C_TOWN, "invalid",
                   "line %d, column township: a new facility needs its township (no facility is"
                   " named '%.60s' to update)",
                   r->line, name);
    }
    /* the version the table was exported at: a facility changed since is not overwritten
     * with the table's older values (the PATCH's version check, for a table) */
    if (*id && *(t = cell_text(c, r, map, C_VERSION))) {
        int64_t was, now = 0;
        if (pj_parse_i64(t, &was) || was <= 0) {
            pj_rowerr_arg(re, "value", t);
            return BAD(re, C_VERSION, "bad_version",
                       "line %d, column version: '%.30s' is not a version", r->line, t);
        }
        pj_stmt *s = pj_db_prepare(c->db, "SELECT version FROM facilities WHERE id = ?", e);
        if (!s) return -1;
        pj_stmt_int(s, 1, *id);
        int rc = pj_stmt_step(s, e);
        if (rc == 1) now = pj_col_int(s, 0);
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (now != was) {
            pj_rowerr_arg(re, "version", t);
            pj_rowerr_arg(re, "now", pj_arena_printf(c->arena, "%lld", (long long)now));
            return BAD(re, C_VERSION, "stale",
                       "line %d, column version: the facility was changed since this table was"
                       " exported (version %lld, now %lld); export it again and redo the row",
                       r->line, (long long)was, (long long)now);
        }
    }
    /* the village or community of that township (of the facility's, when none is given) */
    if (map[C_VILLAGE] >= 0) {
        t = cell_text(c, r, map, C_VILLAGE);
        if (!*t) {
            json_object_set_new(body, "village_id", json_null());
        } else {
            int64_t v = town || cur_town ? region_find(c, L, t, town ? town : cur_town, e) : 0;
            if (v == -1) return -1;
            if (v <= 0) {
                pj_rowerr_arg(re, "village", t);
                return BAD(re, C_VILLAGE, v == -2 ? "ambiguous_village" : "unknown_village",
                           v == -2 ? "line %d, column village: more than one village or community"
                                     " '%.60s' in the township; give its code"
                                   : "line %d, column village: no village or community '%.60s' in"
                                     " the row's township (a name or a code)",
                           r->line, t);
            }
            json_object_set_new(body, "village_id", json_integer(v));
        }
    }
    if (map[C_OPERATOR] >= 0) {
        t = cell_text(c, r, map, C_OPERATOR);
        int64_t o = *t ? org_find(c, L, t, e) : 0;
        if (o == -1) return -1;
        if (*t && o <= 0) {
            pj_rowerr_arg(re, "operator", t);
            return BAD(re, C_OPERATOR, o == -2 ? "ambiguous_operator" : "unknown_operator",
                       o == -2 ? "line %d, column operator: more than one organisation '%.60s';"
                                 " give its unified social credit code, or #id"
                               : "line %d, column operator: no organisation '%.60s' (a name or"
                                 " a unified social credit code)",
                       r->line, t);
        }
        json_object_set_new(body, "operator_id", o ? json_integer(o) : json_null());
    }
    /* the type by its code or its Chinese name; anything else goes to the API's check */
    if (map[C_TYPE] >= 0) {
        t = cell_text(c, r, map, C_TYPE);
        for (size_t i = 0; i < sizeof type_zh / sizeof *type_zh; i++)
            if (!strcmp(t, type_zh[i][1])) t = type_zh[i][0];
        if (*t || !*id) json_object_set_new(body, "type", json_string(t));
    }
    /* texts as they are (the API trims a name); an empty cell clears an optional text */
    static const int texts[] = {C_NAME, C_ADDRESS, C_PFUNC, C_PUNIT};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        int k = texts[i];
        if (map[k] < 0) continue;
        const char *v = map[k] < r->nf ? r->f[map[k]] : "";
        if (k == C_NAME && !*v && *id) continue; /* an update by id: an empty name keeps it */
        json_object_set_new(body, cols[k].field, json_string(v));
    }
    /* numbers: an empty coordinate is none given (a create needs both), an empty count 0 */
    static const int nums[] = {C_LAT, C_LON, C_PCAP, C_BF};
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        int k = nums[i];
        if (map[k] < 0) continue;
        t = cell_text(c, r, map, k);
        if (*t)
            json_object_set_new(body, cols[k].field, number_cell(t));
        else if (k == C_PCAP || k == C_BF)
            json_object_set_new(body, cols[k].field, json_integer(0));
    }
    /* roles: the stored ones (an update) with each role column's cell over them */
    int any = 0;
    for (int k = C_ROLE0; k < NCOLS; k++) any |= map[k] >= 0;
    if (any) {
        json_t *arr = json_array();
        json_object_set_new(body, "emergency_roles", arr);
        const char *cell[NROLES];
        for (int i = 0; i < NROLES; i++)
            cell[i] = map[C_ROLE0 + i] >= 0 ? cell_text(c, r, map, C_ROLE0 + i) : NULL;
        if (*id) {
            pj_stmt *s = pj_db_prepare(c->db,
                                       "SELECT role, unit, capacity FROM facility_roles WHERE"
                                       " facility_id = ? ORDER BY role, unit",
                                       e);
            if (!s) return -1;
            pj_stmt_int(s, 1, *id);
            int rc;
            while ((rc = pj_stmt_step(s, e)) == 1)
                for (int i = 0; i < NROLES; i++)
                    if (!cell[i] && !strcmp(pj_col_text(s, 0), roles[i].role) &&
                        !strcmp(pj_col_text(s, 1), roles[i].unit))
                        cell[i] = pj_arena_printf(c->arena, "%.17g", pj_col_double(s, 2));
            pj_stmt_done(s);
            if (rc < 0) return -1;
        }
        for (int i = 0; i < NROLES; i++) {
            if (!cell[i] || !*cell[i]) continue;
            json_t *o = json_object();
            json_object_set_new(o, "role", json_string(roles[i].role));
            json_object_set_new(o, "capacity", number_cell(cell[i]));
            json_object_set_new(o, "unit", json_string(roles[i].unit));
            json_array_append_new(arr, o);
            rolecol[(*nroles)++] = C_ROLE0 + i;
        }
    }
    return 0;
}

/* The stored name (*name) and township name (*town) of facility id, each when asked for. */
static int stored_names(pj_ctx *c, int64_t id, const char **name, const char **town, pj_err *e)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT f.name, t.name FROM facilities f JOIN regions t ON t.id ="
                               " f.township_id WHERE f.id = ?",
                               e);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, e);
    if (rc == 1 && name) *name = pj_arena_strdup(c->arena, pj_col_text(s, 0));
    if (rc == 1 && town) *town = pj_arena_strdup(c->arena, pj_col_text(s, 1));
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

/* SAVEPOINT, ROLLBACK TO or RELEASE of a row's savepoint, a statement prepared once. */
static int row_savepoint(pj_ctx *c, const char *sql, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    return !s || pj_step_done(s, err) ? -1 : 0;
}

/* The pipeline: the header, then every row checked and written, then the whole
 * transaction committed or rolled back. 0 answered (w), 1 answered a commit refused for bad
 * rows (w holds the error and the rows: the caller answers 422), -1 failed (err). */
static int import_rows(pj_ctx *c, pj_sheet *r, int dry_run, int max_rows, pj_jw *w, pj_err *err)
{
    int rc = pj_sheet_next(r, err);
    if (rc <= 0) return rc < 0 ? -1 : pj_fail(err, 422, r->bad, r->field, "the table is empty");
    if (pj_sheet_header(r, err)) return -1;
    int map[NCOLS];
    for (int k = 0; k < NCOLS; k++) map[k] = -1;
    for (int j = 0; j < r->nf; j++) {
        const char *h = pj_text_trimmed(c->arena, r->f[j]);
        int known = 0;
        for (int k = 0; k < NCOLS; k++)
            if (!strcmp(h, cols[k].name) || !strcmp(h, cols[k].zh)) {
                if (map[k] >= 0)
                    return pj_fail(err, 422, r->bad, r->field, "line %d: column %s twice", r->line,
                                   cols[k].name);
                map[k] = j;
                known = 1;
            }
        if (!known)
            return pj_fail(
                err, 422, r->bad, r->field,
                "line %d: unknown column '%.40s' (id, version, name, type, township, village,"
                " address, lat, lon, operator, peacetime_function, peacetime_capacity,"
                " peacetime_unit, barrier_free_rooms, isolation_rooms,"
                " resettlement_beds, medical_beds, supply_store_m3, supply_store_t,"
                " transport_hub_vehicles_per_hour, or their Chinese headings)",
                r->line, h);
    }
    if (map[C_NAME] < 0 && map[C_ID] < 0)
        return pj_fail(err, 422, r->bad, r->field, "line %d: the header needs name (or id)",
                       r->line);

    /* too many rows refused before any is checked (a row is a record's create or update) */
    if (pj_sheet_limit(r, max_rows, err)) return -1;
    prow *pr = pj_arena_calloc(c->arena, MAX_PREVIEW, sizeof *pr);
    lookups L = {0};
    pj_sheet top = *r; /* the first row: where a second pass starts */
    int ncols = r->nf, every_row = 0;
    pj_buf eb;
again:
    if (pj_db_begin(c->db, err)) return -1;
    pj_buf_init(&eb, 4 << 20);
    pj_jw ew;
    pj_jw_init(&ew, &eb);
    pj_jw_arr(&ew);
    /* the facilities there were before: one past them is this import's create, which a
     * rolled-back import (a preview, a bad row) never made — its preview shows no id for it */
    int64_t old_max = 0;
    {
        pj_stmt *q = pj_db_prepare(c->db, "SELECT COALESCE(MAX(id), 0) FROM facilities", err);
        if (!q) goto fail;
        int qr = pj_stmt_step(q, err);
        if (qr == 1) old_max = pj_col_int(q, 0);
        pj_stmt_done(q);
        if (qr < 0) goto fail;
    }
    int rows = 0, nerr = 0, npr = 0, created = 0, updated = 0, unchanged = 0;
    pj_err first;
    pj_err_clear(&first);
    seen S = {0};
    while ((rc = pj_sheet_next(r, err)) == 1) {
        if (++rows > max_rows) {
            pj_fail(err, 413, "too_many_rows", r->field, "more than %d rows; split the file",
                    max_rows);
            goto fail;
        }
        pj_rowerr re = {0};
        int64_t id;
        int rolecol[NROLES], nroles, changed = 1, bad = 0, other;
        const char *town_name = "";
        const char *before = NULL, *after = NULL;
        json_t *body = json_object();
        int sp = 0; /* the row's writes are under its savepoint */
        if (row_body(c, &L, r, map, ncols, body, &id, rolecol, &nroles, &town_name, &re)) {
            if (re.e.status >= 500) {
                *err = re.e;
                json_decref(body);
                goto fail;
            }
            bad = 1;
        } else if (id && (other = seen_line(&S, id))) {
            re.reason = "duplicate";
            pj_rowerr_arg(&re, "other_line", pj_arena_printf(c->arena, "%d", other));
            pj_fail(&re.e, 422, "bad_row", map[C_ID] >= 0 ? "id" : "name",
                    "line %d: the facility of this row is also on line %d; give each facility"
                    " once",
                    r->line, other);
            bad = 1;
        } else {
            /* the API's checks and writes; its error named by the row's column. An update
             * writes (a new version) before it knows whether it changed anything: under a
             * savepoint, which undoes it when it did not, or when it fails. A create checks
             * everything before its first write and a statement that fails writes nothing,
             * so a create needs no savepoint, unless it fails after a write (see below). */
            if ((id || every_row) && row_savepoint(c, "SAVEPOINT pj_row", err)) {
                json_decref(body);
                goto fail;
            }
            sp = id || every_row;
            pj_err ae;
            pj_err_clear(&ae);
            int64_t got = id, writes = pj_db_total_changes(c->db);
            int k = id ? pj_facility_update_in(c, id, body, &changed, &before, &after, &ae)
                       : pj_facility_create_in(c, body, "import", &got, &ae);
            if (k && ae.status >= 500) {
                *err = ae;
                json_decref(body);
                goto fail;
            }
            if (k && !sp && pj_db_total_changes(c->db) != writes) {
                /* a create refused after writing part of itself, which nothing can undo
                 * alone: the import again from its first row, every row under a savepoint */
                json_decref(body);
                pj_db_rollback(c->db);
                pj_buf_free(&eb);
                *r = top;
                every_row = 1;
                goto again;
            }
            if (k && id && !strcmp(ae.code, "forbidden")) {
                /* a facility outside the caller's scope that the row leaves as it is (a
                 * township officer's export of the whole district, brought back): unchanged,
                 * not refused. Tried as the district would write it; never kept (an unchanged
                 * row's savepoint is rolled back, a changed one stays refused). */
                pj_actor caller = c->actor;
                c->actor.role = PJ_ROLE_DISTRICT_OFFICER;
                c->actor.township_id = c->actor.facility_id = 0;
                pj_err pe;
                pj_err_clear(&pe);
                int same = 1;
                const char *b2 = NULL, *a2 = NULL;
                int pk = pj_facility_update_in(c, id, body, &same, &b2, &a2, &pe);
                c->actor = caller;
                if (pk && pe.status >= 500) {
                    *err = pe;
                    json_decref(body);
                    goto fail;
                }
                if (!pk && !same) k = 0, changed = 0;
            }
            if (k) {
                int col = column_of(ae.field, ae.message, map, rolecol, nroles);
                if (!strcmp(ae.code, "forbidden")) col = C_TOWN;
                /* a field of no column (an error of the whole record): named as the API
                 * names it, copied, as ae ends with this block and the row's error is
                 * written after it */
                const char *cname = col >= 0 ? cols[col].name : pj_arena_strdup(c->arena, ae.field);
                const char *given =
                    col >= 0 && map[col] >= 0 && map[col] < r->nf ? r->f[map[col]] : "";
                re.reason = !strcmp(ae.code, "forbidden") ? "outside_scope" : "invalid";
                pj_rowerr_arg(&re, "column", cname);
                pj_rowerr_arg(&re, "value", given);
                pj_rowerr_arg(&re, "code", pj_arena_strdup(c->arena, ae.code));
                pj_fail(&re.e, 422, "bad_row", cname, "line %d, column %s: %s", r->line, cname,
                        col == C_TYPE && !strcmp(ae.code, "invalid_value") ? type_choices(c)
                                                                           : ae.message);
                bad = 1;
            } else {
                id = got;
                seen_add(c, &S, id, r->line);
            }
        }
        json_decref(body);
        /* a bad row's writes, and an update that changed nothing, are undone */
        if (sp && (bad || !changed) && row_savepoint(c, "ROLLBACK TO pj_row", err)) goto fail;
        if (sp && row_savepoint(c, "RELEASE pj_row", err)) goto fail;
        const char *action = bad        ? "error"
                             : !changed ? "unchanged"
                             : before   ? "updated"
                                        : "created";
        if (bad) {
            if (!nerr) first = re.e;
            if (nerr++ < MAX_ERRORS) pj_rowerr_json(&ew, &re, r->line);
        } else if (!changed) {
            unchanged++;
        } else if (before) {
            updated++;
        } else {
            created++;
        }
        if (npr < MAX_PREVIEW) {
            const char *nm = map[C_NAME] >= 0 && map[C_NAME] < r->nf ? r->f[map[C_NAME]] : "";
            /* the facility of the row (named by id, or township and name), bad or not, with
             * its stored name and township where the row has none; none for a dry run's
             * create */
            int shown = id && !(dry_run && !bad && changed && !before);
            if (shown && (!*nm || !*town_name) &&
                stored_names(c, id, *nm ? NULL : &nm, *town_name ? NULL : &town_name, err))
                goto fail;
            pr[npr++] =
                (prow){.line = r->line,
                       .action = action,
                       .id = shown ? id : 0,
                       .name = pj_arena_strdup(c->arena, nm),
                       .township = pj_arena_strdup(c->arena, town_name),
                       .column = bad ? pj_arena_strdup(c->arena, re.e.field) : NULL,
                       .message = bad ? pj_arena_strdup(c->arena, re.e.message) : NULL,
                       .changed = before && changed ? changed_fields(c, before, after) : NULL};
        }
    }
    if (rc < 0) goto fail;
    pj_jw_arr_end(&ew);
    int refused = !dry_run && nerr, kept = !(dry_run || nerr || !(created + updated));
    if (!kept) {
        pj_db_rollback(c->db); /* nothing to keep: a preview, a bad row, or nothing changed */
    } else {
        char *summary = pj_arena_printf(c->arena,
                                        "{\"rows\":%d,\"created\":%d,\"updated\":%d,"
                                        "\"unchanged\":%d}",
                                        rows, created, updated, unchanged);
        if (pj_audit_add(c, "import", "facilities", 0, NULL, summary, err) ||
            pj_db_commit(c->db, err))
            goto fail;
    }
    pj_jw_obj(w);
    if (refused) {
        pj_fail(err, 422, "bad_row", first.field, "%s; %d bad row%s of %d, nothing imported",
                first.message, nerr, nerr == 1 ? "" : "s", rows);
        pj_jw_key(w, "error");
        pj_jw_obj(w);
        pj_jw_kstr(w, "code", err->code);
        pj_jw_kstr(w, "message", err->message);
        pj_jw_kstr(w, "field", err->field);
        if (c->request_id) pj_jw_kstr(w, "request_id", c->request_id);
        pj_jw_obj_end(w);
    }
    pj_jw_kbool(w, "dry_run", dry_run);
    pj_jw_kbool(w, "ok", nerr == 0);
    pj_jw_kint(w, "rows", rows);
    pj_jw_kint(w, "bad_rows", nerr);
    /* what a commit did, a preview what it would do; a commit refused for a bad row did
     * nothing (its preview still says what each good row would have done) */
    pj_jw_kint(w, "created", refused ? 0 : created);
    pj_jw_kint(w, "updated", refused ? 0 : updated);
    pj_jw_kint(w, "unchanged", refused ? 0 : unchanged);
    pj_jw_key(w, "errors");
    pj_jw_raw(w, eb.data);
    pj_jw_key(w, "preview");
    pj_jw_arr(w);
    for (int i = 0; i < npr; i++) {
        pj_jw_obj(w);
        pj_jw_kint(w, "line", pr[i].line);
        pj_jw_kstr(w, "action", pr[i].action);
        if (pr[i].id && (kept || pr[i].id <= old_max))
            pj_jw_kint(w, "id", pr[i].id);
        else
            pj_jw_knull(w, "id");
        pj_jw_kstr(w, "name", pr[i].name);
        pj_jw_kstr(w, "township", pr[i].township);
        if (pr[i].changed) pj_jw_kstr(w, "changed", pr[i].changed);
        if (pr[i].column) pj_jw_kstr(w, "column", pr[i].column);
        if (pr[i].message) pj_jw_kstr(w, "message", pr[i].message);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    pj_jw_obj_end(w);
    pj_buf_free(&eb);
    return refused ? 1 : 0;
fail:
    pj_db_rollback(c->db);
    pj_buf_free(&eb);
    return -1;
}

static int require_writer(pj_ctx *c, pj_err *err)
{
    return pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                          PJ_ROLE_NONE);
}

int pj_facility_import_csv(pj_ctx *c, const char *text, size_t len, int dry_run, int max_rows,
                           pj_jw *w, pj_err *err)
{
    pj_sheet r;
    if (require_writer(c, err) || pj_sheet_csv(c->arena, &r, text, len, err)) return -1;
    return import_rows(c, &r, dry_run, max_rows, w, err);
}

int pj_facility_import_xlsx(pj_ctx *c, const void *data, size_t len, int dry_run, int max_rows,
                            pj_jw *w, pj_err *err)
{
    pj_sheet r;
    if (require_writer(c, err) || pj_sheet_xlsx(c->arena, &r, data, len, max_rows, err)) return -1;
    return import_rows(c, &r, dry_run, max_rows, w, err);
}

/* ---- the import apart: a trial on TEMP copies, then one short write ---- */

/* The tables the import writes (pj_facility_create_in / update_in, pj_audit_add): copied as
 * TEMP tables of the same name, which a statement naming the table unqualified finds first. */
static const char *const shadowed[] = {"facilities", "facility_roles", "audit", NULL};

static int is_shadowed(const char *name, size_t n)
{
    for (int i = 0; shadowed[i]; i++)
        if (strlen(shadowed[i]) == n && !strncmp(shadowed[i], name, n)) return 1;
    return 0;
}

/* A table's CREATE TABLE made TEMP, its references to tables not copied left out (a TEMP
 * table's foreign key names a table of its own schema; the import checks those references
 * itself, and the write into the database checks them again). */
static char *shadow_sql(pj_ctx *c, const char *sql)
{
    const char *t = strstr(sql, "TABLE ");
    if (strncmp(sql, "CREATE TABLE ", 13) || !t) return NULL;
    pj_buf b;
    pj_buf_init(&b, 1 << 20);
    pj_buf_printf(&b, "CREATE TEMP %s", t);
    char *out = pj_arena_strdup(c->arena, b.data ? b.data : "");
    pj_buf_free(&b);
    for (char *r; (r = strstr(out, " REFERENCES "));) {
        char *name = r + 12, *e = name;
        while (*e && *e != '(' && *e != ' ') e++;
        if (is_shadowed(name, (size_t)(e - name))) {
            r[1] = 'r'; /* kept: marked so that the search goes on past it */
            continue;
        }
        char *end = strchr(e, ')');
        if (!end) return NULL;
        end++;
        /* ON DELETE / ON UPDATE and their action (one word, or SET NULL, SET DEFAULT, NO ACTION) */
        while (!strncmp(end, " ON DELETE ", 11) || !strncmp(end, " ON UPDATE ", 11)) {
            end += 11;
            if (!strncmp(end, "SET ", 4) || !strncmp(end, "NO ", 3)) end = strchr(end, ' ') + 1;
            while (*end && *end != ' ' && *end != ',' && *end != ')') end++;
        }
        memmove(r, end, strlen(end) + 1);
    }
    for (char *r = out; (r = strstr(r, " rEFERENCES ")); r++) r[1] = 'R';
    return out;
}

/* The TEMP copies, in one snapshot with *snap, the newest audit row then. */
static int shadow_make(pj_ctx *c, int64_t *snap, pj_err *err)
{
    if (pj_db_exec(c->db, "BEGIN", err)) return -1;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT COALESCE(MAX(id), 0) FROM main.audit", err);
    if (!s) goto fail;
    int rc = pj_stmt_step(s, err);
    *snap = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc != 1) goto fail;
    for (int i = 0; shadowed[i]; i++) {
        const char *t = shadowed[i];
        s = pj_db_prepare(c->db,
                          "SELECT type, sql FROM main.sqlite_master WHERE tbl_name = ? AND sql IS"
                          " NOT NULL AND type IN ('table', 'index', 'trigger') ORDER BY type <>"
                          " 'table', type = 'trigger'",
                          err);
        if (!s) goto fail;
        pj_stmt_text(s, 1, t);
        const char *ddl[32];
        int n = 0;
        while ((rc = pj_stmt_step(s, err)) == 1) {
            if (n == 32) {
                pj_stmt_done(s);
                pj_fail(err, 500, "internal", "", "the table %s has too many indexes", t);
                goto fail;
            }
            const char *sql = pj_col_text(s, 1);
            if (!strcmp(pj_col_text(s, 0), "table")) {
                ddl[n++] = shadow_sql(c, sql);
            } else if (!strcmp(pj_col_text(s, 0), "trigger")) {
                /* the table's triggers on its copy too (a write they make to another table is
                 * refused as any write to the database: the import fails, nothing written) */
                ddl[n++] = !strncmp(sql, "CREATE TRIGGER ", 15)
                               ? pj_arena_printf(c->arena, "CREATE TEMP TRIGGER %s", sql + 15)
                               : NULL;
            } else if (strcmp(t, "audit")) { /* the audit copy is only written to */
                const char *on = !strncmp(sql, "CREATE INDEX ", 13)          ? sql + 13
                                 : !strncmp(sql, "CREATE UNIQUE INDEX ", 20) ? sql + 20
                                                                             : NULL;
                ddl[n++] =
                    on ? pj_arena_printf(c->arena, "%.*stemp.%s", (int)(on - sql), sql, on) : NULL;
            }
            if (n && !ddl[n - 1]) {
                pj_stmt_done(s);
                pj_fail(err, 500, "internal", "", "cannot copy the table %s", t);
                goto fail;
            }
        }
        pj_stmt_done(s);
        if (rc < 0) goto fail;
        for (int k = 0; k < n; k++)
            if (pj_db_exec(c->db, ddl[k], err)) goto fail;
        if (strcmp(t, "audit") &&
            pj_db_exec(c->db,
                       pj_arena_printf(c->arena, "INSERT INTO temp.%s SELECT * FROM main.%s", t, t),
                       err))
            goto fail;
    }
    return pj_db_exec(c->db, "COMMIT", err);
fail:
    pj_db_exec(c->db, "ROLLBACK", NULL);
    return -1;
}

static void shadow_drop(pj_ctx *c)
{
    for (int i = 0; shadowed[i]; i++)
        pj_db_exec(c->db, pj_arena_printf(c->arena, "DROP TABLE IF EXISTS temp.%s", shadowed[i]),
                   NULL);
}

/* The columns of main.facilities but id, "a, b, …". */
static const char *facility_columns(pj_ctx *c, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT name FROM pragma_table_info('facilities', 'main')"
                               " WHERE name <> 'id' ORDER BY cid",
                               err);
    if (!s) return NULL;
    pj_buf b;
    pj_buf_init(&b, 1 << 16);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1)
        pj_buf_printf(&b, "%s%s", b.len ? ", " : "", pj_col_text(s, 0));
    pj_stmt_done(s);
    const char *out = rc < 0 || !b.data ? NULL : pj_arena_strdup(c->arena, b.data);
    pj_buf_free(&b);
    return out;
}

/* What the trial wrote, into the database: one write transaction. 0 written (or nothing to
 * write), 1 refused (a record the import's checks read was written since the copies: nothing
 * written), -1 failed. */
static int shadow_apply(pj_ctx *c, int64_t snap, pj_err *err)
{
    int64_t n;
    if (pj_query_int(c, "SELECT COUNT(*) FROM temp.audit", &n, err)) return -1;
    if (!n) return 0; /* nothing kept: a preview, a bad row, nothing changed */
    const char *fcols = facility_columns(c, err);
    if (!fcols) return -1;
    if (pj_db_exec(c->db, "BEGIN IMMEDIATE", err)) return -1;
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT EXISTS (SELECT 1 FROM main.audit WHERE id > ?1 AND (entity IN ('facility',"
        " 'facilities', 'region', 'regions', 'organisation', 'organisations', 'manual', 'plan',"
        " 'conversion', 'standard', 'district') OR (entity = 'user' AND entity_id = ?2 AND"
        " action IN ('update', 'delete', 'password_reset'))))",
        err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, snap);
    pj_stmt_int(s, 2, c->actor.user_id);
    int rc = pj_stmt_step(s, err);
    int changed = rc == 1 && pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc != 1) goto fail;
    if (changed) {
        pj_db_exec(c->db, "ROLLBACK", NULL);
        return 1;
    }
#define TOUCHED(act) "(SELECT entity_id FROM temp.audit WHERE entity = 'facility'" act ")"
    const char *sql[] = {
        pj_arena_printf(
            c->arena,
            "UPDATE main.facilities SET (%s) = (SELECT %s FROM temp.facilities t WHERE"
            " t.id = main.facilities.id) WHERE id IN " TOUCHED(" AND action = 'update'"),
            fcols, fcols),
        "INSERT INTO main.facilities SELECT * FROM temp.facilities WHERE id IN " TOUCHED(
            " AND action = 'create'") " ORDER BY id",
        "DELETE FROM main.facility_roles WHERE facility_id IN " TOUCHED(""),
        "INSERT INTO main.facility_roles SELECT * FROM temp.facility_roles WHERE facility_id"
        " IN " TOUCHED(""),
        "INSERT INTO main.audit (at, user_id, username, action, entity, entity_id, before_json,"
        " after_json, request_id) SELECT at, user_id, username, action, entity, entity_id,"
        " before_json, after_json, request_id FROM temp.audit ORDER BY id",
    };
#undef TOUCHED
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++)
        if (pj_db_exec(c->db, sql[i], err)) goto fail;
    if (pj_db_exec(c->db, "COMMIT", err)) goto fail;
    return 0;
fail:
    pj_db_exec(c->db, "ROLLBACK", NULL);
    return -1;
}

void (*pj_facility_import_apart_hook)(void);

int pj_facility_import_apart(pj_ctx *c, int xlsx, const void *data, size_t len, int dry_run,
                             int max_rows, pj_jw *w, pj_err *err)
{
    int64_t snap;
    if (shadow_make(c, &snap, err)) {
        shadow_drop(c);
        return -1;
    }
    pj_db_shadow(c->db, 1);
    int rc = xlsx ? pj_facility_import_xlsx(c, data, len, dry_run, max_rows, w, err)
                  : pj_facility_import_csv(c, data, len, dry_run, max_rows, w, err);
    pj_db_shadow(c->db, 0);
    if (rc == 0 && !dry_run) {
        if (pj_facility_import_apart_hook) pj_facility_import_apart_hook();
        int64_t t0 = pj_now_ms();
        /* a report worker runs at nice 10 (the loop first); the write, which the loop's own
         * writes wait for, at the loop's priority where the system lets the thread raise it
         * back (else a loaded machine stretches the wait: the lock held by a thread that
         * waits for a core) */
        pid_t tid = (pid_t)syscall(SYS_gettid);
        int was = getpriority(PRIO_PROCESS, (id_t)tid);
        int raised = was > 0 && !setpriority(PRIO_PROCESS, (id_t)tid, 0);
        int k = shadow_apply(c, snap, err);
        if (raised) setpriority(PRIO_PROCESS, (id_t)tid, was);
        if (k) rc = k < 0 ? -1 : 2;
        pj_info("facility import %s: %s (%lld ms)", c->request_id ? c->request_id : "-",
                k > 0    ? "the register was written meanwhile: made again on the loop"
                : k == 0 ? "written"
                         : "not written",
                (long long)(pj_now_ms() - t0));
    }
    shadow_drop(c);
    return rc;
}

/* ---- export ---- */

/* The list's facilities with its filters, every page, in the import's columns (a role column:
 * that role's capacity in that unit, NULL when the facility has none). A village or an
 * operator by its name, or by its code when another of the township's villages, another
 * organisation, has the same name, or the name reads as another's key (a village named as
 * another region's code; an operator's name beginning with '#', an id, or another's credit
 * code — the import takes those keys first and moved the facility to that one): what the
 * import reads back as that one. */
static pj_stmt *export_rows(pj_ctx *c, const pj_list_filter *f, pj_err *err)
{
#define ROLE_COL(role, unit)                                                                       \
    ", (SELECT capacity FROM facility_roles x WHERE x.facility_id = f.id AND x.role = '" role      \
    "' AND x.unit = '" unit "')"
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT f.id, f.version, f.name, f.type, t.name, CASE WHEN (SELECT COUNT(*) FROM regions w "
        "WHERE"
        " w.parent_id = v.parent_id AND w.name = v.name AND w.type IN ('village', 'community'))"
        " > 1 OR EXISTS (SELECT 1 FROM regions w WHERE w.code = v.name AND w.id <> v.id) THEN"
        " v.code ELSE v.name END, f.address, f.lat, f.lon, CASE WHEN (SELECT COUNT(*) "
        "FROM organisations p WHERE"
        " p.name = o.name) > 1 OR substr(o.name, 1, 1) = '#' OR EXISTS (SELECT 1 FROM"
        " organisations p WHERE p.uscc = o.name AND p.id <> o.id) THEN COALESCE(o.uscc, '#' ||"
        " o.id) ELSE o.name END, "
        "f.peacetime_function, f.peacetime_capacity, f.peacetime_unit,"
        " f.barrier_free_rooms" ROLE_COL("isolation", "rooms") ROLE_COL("resettlement", "beds")
            ROLE_COL("medical", "beds") ROLE_COL("supply_store", "m3") ROLE_COL("supply_store", "t")
                ROLE_COL(
                    "transport_hub",
                    "vehicles_per_hour") " FROM facilities f JOIN regions t ON t.id = f.township_id"
                                         " LEFT JOIN regions v ON v.id = f.village_id"
                                         " LEFT JOIN organisations o ON o.id = f.operator_id"
                                         " WHERE (?1 = 0 OR f.township_id = ?1) AND (?2 IS NULL OR "
                                         "f.type = ?2)"
                                         " AND (?3 IS NULL OR f.state = ?3) AND (?4 IS NULL OR "
                                         "f.name LIKE '%' || ?4 || '%' ESCAPE '\\')"
                                         " AND (?5 = 0 OR f.village_id = ?5) AND (?6 = 0 OR "
                                         "f.operator_id = ?6)"
                                         " AND (?7 IS NULL OR EXISTS (SELECT 1 FROM facility_roles "
                                         "y WHERE y.facility_id = f.id"
                                         " AND y.role = ?7)) ORDER BY f.id",
        err);
#undef ROLE_COL
    if (!s) return NULL;
    pj_stmt_int(s, 1, f->township_id);
    pj_stmt_text(s, 2, f->type);
    pj_stmt_text(s, 3, f->state);
    pj_stmt_text(s, 4, pj_like_escape(c, f->q));
    pj_stmt_int(s, 5, f->village_id);
    pj_stmt_int(s, 6, f->operator_id);
    pj_stmt_text(s, 7, f->role);
    return s;
}

/* A cell of the export as text: numbers shortest and exact (coordinates too: a row imported
 * back leaves them as they are), texts as they are, NULL empty. */
static const char *export_cell(pj_stmt *s, int k, char *num, size_t size)
{
    if (pj_col_is_null(s, k)) return "";
    if (k == C_ID || k == C_VERSION || k == C_PCAP || k == C_BF) {
        snprintf(num, size, "%lld", (long long)pj_col_int(s, k));
        return num;
    }
    if (k == C_LAT || k == C_LON || k >= C_ROLE0) {
        pj_fmt_double(num, size, pj_col_double(s, k));
        return num;
    }
    return pj_col_text(s, k) ? pj_col_text(s, k) : "";
}

/* A column's heading in the export: its English name, or the Chinese heading the import reads. */
static const char *heading(int k, int zh)
{
    return zh ? cols[k].zh : cols[k].name;
}

int pj_facility_export_csv(pj_ctx *c, const pj_list_filter *f, int zh, pj_buf *out, pj_err *err)
{
    pj_stmt *s = export_rows(c, f, err);
    if (!s) return -1;
    for (int k = 0; k < NCOLS; k++) pj_csv_field(out, heading(k, zh), k == NCOLS - 1);
    int rc, started = pj_db_read_begin(c->db);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        char num[40];
        for (int k = 0; k < NCOLS; k++)
            pj_csv_field(out, export_cell(s, k, num, sizeof num), k == NCOLS - 1);
    }
    pj_stmt_done(s);
    pj_db_read_end(c->db, started);
    if (rc < 0) return -1;
    if (out->overflow)
        return pj_fail(err, 413, "too_large", "", "the export is larger than the limit; filter it");
    return 0;
}

int pj_facility_export_xlsx(pj_ctx *c, const pj_list_filter *f, int zh, pj_buf *out, pj_err *err)
{
    pj_stmt *s = export_rows(c, f, err);
    if (!s) return -1;
    pj_sheet_out so;
    if (pj_sheet_out_open(&so, "facilities", pj_audit_last_at(c), err)) {
        pj_stmt_done(s);
        return -1;
    }
    for (int k = 0; k < NCOLS; k++)
        worksheet_write_string(so.ws, 0, (lxw_col_t)k, heading(k, zh), NULL);
    int rc = -1, st;
    int started = pj_db_read_begin(c->db);
    lxw_row_t rn = 0;
    while ((st = pj_stmt_step(s, err)) == 1 && rn < LXW_ROW_MAX - 1) {
        rn++;
        for (int k = 0; k < NCOLS; k++) {
            if (pj_col_is_null(s, k)) continue;
            if (k == C_ID || k == C_VERSION || k == C_LAT || k == C_LON || k == C_PCAP ||
                k == C_BF || k >= C_ROLE0)
                worksheet_write_number(so.ws, rn, (lxw_col_t)k, pj_col_double(s, k), NULL);
            else if (*pj_col_text(s, k))
                pj_sheet_out_text(so.ws, rn, (lxw_col_t)k, pj_col_text(s, k));
        }
    }
    pj_stmt_done(s);
    pj_db_read_end(c->db, started);
    if (st == 1)
        pj_fail(err, 413, "too_large", "", "more rows than a worksheet holds; filter the export");
    else if (st == 0)
        rc = 0;
    return pj_sheet_out_close(&so, rc, out, err);
}
