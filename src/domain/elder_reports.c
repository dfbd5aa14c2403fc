/* Eldercare: the coverage report (per grid, village or township: the three needs, visits done
 * vs due, alerts, helpers and hours) and the vulnerable-person list for emergencies. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/elder_int.h"
#include "domain/input.h"
#include "domain/render.h"

#include "core/banned.h"

/* a grid worker's rows and total: their own grids of the area (the console's 本人网格) */
#define OWN_GRIDS "own grids"

typedef struct row {
    int64_t id;
    int64_t elders, meals, doctor, paired, visits_done, alerts_open, alerts_resolved, helpers,
        helpers_active, minutes;
    double visits_due, resolve_s;
} row;

typedef struct rows {
    row *r;
    int n, cap;
    int *index; /* region id → row + 1 */
    int64_t max_id;
} rows;

static row *row_of(pj_ctx *c, rows *R, int64_t id)
{
    if (id < 0 || id > R->max_id) return NULL;
    if (!R->index[id]) {
        if (R->n == R->cap) {
            int nc = R->cap ? 2 * R->cap : 64;
            row *nr = pj_arena_calloc(c->arena, (size_t)nc, sizeof *nr);
            if (R->n) memcpy(nr, R->r, sizeof *nr * (size_t)R->n);
            R->r = nr, R->cap = nc;
        }
        R->r[R->n].id = id;
        R->index[id] = ++R->n;
    }
    return &R->r[R->index[id] - 1];
}

/* a of b in %; NAN (no figure: JSON null, an empty CSV cell) when there is nothing to count
 * against — an area without elders is not 0 % covered */
static double pct(double a, double b)
{
    return b > 0 ? 100.0 * a / b : NAN;
}

static double resolve_hours(const row *r)
{
    return r->resolve_s / 3600.0 / (double)r->alerts_resolved;
}

static void row_json(pj_jw *w, const row *r, const char *name)
{
    pj_jw_obj(w);
    if (r->id)
        pj_jw_kint(w, "region_id", r->id);
    else
        pj_jw_knull(w, "region_id");
    pj_jw_kstr(w, "name", name);
    pj_jw_kint(w, "elders", r->elders);
    pj_jw_kint(w, "meals_arranged", r->meals);
    pj_jw_key(w, "meals_pct"); /* non-finite: null */
    pj_jw_fixed(w, pct((double)r->meals, (double)r->elders), 1);
    pj_jw_kint(w, "doctor_contracted", r->doctor);
    pj_jw_key(w, "doctor_pct");
    pj_jw_fixed(w, pct((double)r->doctor, (double)r->elders), 1);
    pj_jw_kint(w, "paired", r->paired);
    pj_jw_key(w, "paired_pct");
    pj_jw_fixed(w, pct((double)r->paired, (double)r->elders), 1);
    pj_jw_key(w, "visits_due");
    pj_jw_fixed(w, r->visits_due, 1);
    pj_jw_kint(w, "visits_done", r->visits_done);
    pj_jw_key(w, "visits_pct");
    pj_jw_fixed(w, pct((double)r->visits_done, r->visits_due), 1);
    pj_jw_kint(w, "alerts_open", r->alerts_open);
    pj_jw_kint(w, "alerts_resolved", r->alerts_resolved);
    if (r->alerts_resolved) {
        pj_jw_key(w, "resolve_hours_avg");
        pj_jw_fixed(w, resolve_hours(r), 1);
    } else {
        pj_jw_knull(w, "resolve_hours_avg");
    }
    pj_jw_kint(w, "helpers", r->helpers);
    pj_jw_kint(w, "helpers_active", r->helpers_active);
    pj_jw_key(w, "hours_given");
    pj_jw_fixed(w, (double)r->minutes / 60.0, 1);
    pj_jw_obj_end(w);
}

/* The row's figures in CSV: each decimal as the JSON writes it (pj_fmt_fixed, one decimal,
 * the same rounding), an empty cell for no figure. */
static void row_csv(pj_buf *b, const row *r, const char *name)
{
    char v[14][PJ_FIXED_SIZE];
    snprintf(v[0], PJ_FIXED_SIZE, "%lld", (long long)r->id);
    snprintf(v[1], PJ_FIXED_SIZE, "%lld", (long long)r->elders);
    pj_fmt_fixed(v[2], pct((double)r->meals, (double)r->elders), 1);
    pj_fmt_fixed(v[3], pct((double)r->doctor, (double)r->elders), 1);
    pj_fmt_fixed(v[4], pct((double)r->paired, (double)r->elders), 1);
    pj_fmt_fixed(v[5], r->visits_due, 1);
    snprintf(v[6], PJ_FIXED_SIZE, "%lld", (long long)r->visits_done);
    snprintf(v[7], PJ_FIXED_SIZE, "%lld", (long long)r->alerts_open);
    snprintf(v[8], PJ_FIXED_SIZE, "%lld", (long long)r->alerts_resolved);
    pj_fmt_fixed(v[9], r->alerts_resolved ? resolve_hours(r) : NAN, 1);
    snprintf(v[10], PJ_FIXED_SIZE, "%lld", (long long)r->helpers);
    snprintf(v[11], PJ_FIXED_SIZE, "%lld", (long long)r->helpers_active);
    pj_fmt_fixed(v[12], (double)r->minutes / 60.0, 1);
    pj_csv_field(b, r->id ? v[0] : "", 0);
    pj_csv_field(b, name, 0);
    for (int k = 1; k <= 12; k++) pj_csv_field(b, v[k], k == 12);
}

/* Scope for aggregates: like personal records, but viewers see the district's figures. */
static const char *agg_scope_sql(pj_ctx *c, const char *alias)
{
    return c->actor.role == PJ_ROLE_VIEWER ? "" : pj_el_scope_sql(c, alias);
}
static void agg_scope_bind(pj_ctx *c, pj_stmt *s, int *i)
{
    if (c->actor.role != PJ_ROLE_VIEWER) pj_el_scope_bind(c, s, i);
}

int pj_elder_coverage(pj_ctx *c, const char *group, int64_t region_id, int64_t since, int64_t until,
                      pj_jw *w, pj_buf *csv, pj_err *err)
{
    if (c->actor.role != PJ_ROLE_VIEWER && pj_el_require_personal(c, err)) return -1;
    const char *col;
    if (pj_q_enum("group", group, pj_coverage_groups, err)) return -1;
    if (!group || !strcmp(group, "township"))
        col = "township_id", group = "township";
    else if (!strcmp(group, "village"))
        col = "village_id";
    else
        col = "grid_id";
    int64_t town;
    if (pj_el_region_check(c, &region_id, "region_id", &town, err)) return -1;
    if (until <= 0) until = pj_now();
    if (since <= 0) since = until - 30 * 86400;
    if (since >= until)
        return pj_fail(err, 400, "bad_query", "since", "since must be before until");
    double days = (double)(until - since) / 86400.0;
    /* the figures of now (elders, meals, doctor, paired) are of today, whatever the period:
     * a contract in force today, as GET /elders?no_doctor=1 and the elder's record judge it
     * (the period's end date gave another count beside the same elders) */
    char today[11];
    pj_el_date(pj_el_today(c, pj_now()), today);
    rows R = {0};
    int started = pj_db_read_begin(c->db);
    int rc = -1;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT COALESCE(MAX(id), 0) FROM regions", err);
    if (!s) goto out;
    if (pj_stmt_step(s, err) < 0) {
        pj_stmt_done(s);
        goto out;
    }
    R.max_id = pj_col_int(s, 0);
    pj_stmt_done(s);
    R.index = pj_arena_calloc(c->arena, (size_t)R.max_id + 1, sizeof(int));
    /* grid → village → township, to group rows read per grid in C (a GROUP BY over a month
     * of logs sorts a quarter of a million rows: several times slower) */
    int level = !strcmp(group, "grid") ? 0 : !strcmp(group, "village") ? 1 : 2;
    int64_t *up = pj_arena_calloc(c->arena, (size_t)R.max_id + 1, sizeof(int64_t));
    s = pj_db_prepare(c->db, "SELECT id, parent_id FROM regions WHERE parent_id IS NOT NULL", err);
    if (!s) goto out;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int64_t id = pj_col_int(s, 0);
        if (id >= 0 && id <= R.max_id) up[id] = pj_col_int(s, 1);
    }
    pj_stmt_done(s);
    if (rc < 0) goto out;
#define GROUP_OF(g)                                                                                \
    (level == 0 ? (g)                                                                              \
     : level == 1                                                                                  \
         ? ((g) >= 0 && (g) <= R.max_id ? up[g] : 0)                                               \
         : ((g) >= 0 && (g) <= R.max_id && up[g] >= 0 && up[g] <= R.max_id ? up[up[g]] : 0))
    /* active pairs as a bitmap of elder ids */
    int64_t max_elder = 0;
    s = pj_db_prepare(c->db, "SELECT COALESCE(MAX(id), 0) FROM elders", err);
    if (!s) goto out;
    if (pj_stmt_step(s, err) == 1) max_elder = pj_col_int(s, 0);
    pj_stmt_done(s);
    unsigned char *paired = pj_arena_calloc(c->arena, (size_t)max_elder / 8 + 1, 1);
    s = pj_db_prepare(c->db, "SELECT elder_id FROM elder_pairs WHERE state = 'active'", err);
    if (!s) goto out;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int64_t id = pj_col_int(s, 0);
        if (id > 0 && id <= max_elder) paired[id / 8] |= (unsigned char)(1u << (id % 8));
    }
    pj_stmt_done(s);
    if (rc < 0) goto out;
    /* elders and their needs */
    s = pj_db_prepare(
        c->db,
        pj_arena_printf(c->arena,
                        /* a helper's meals while a helper is paired, as the elder's page */
                        "SELECT e.id, e.grid_id, e.meal_provider <> 'none' AND e.meal_days > 0"
                        " AND (e.meal_provider <> 'helper' OR EXISTS (SELECT 1 FROM elder_pairs q"
                        " WHERE q.elder_id = e.id AND q.state = 'active')),"
                        " e.doctor_until >= ? AND (e.doctor_from IS NULL OR e.doctor_from <= ?),"
                        " CASE e.visit_tier WHEN 'high_risk' THEN 0 WHEN 'key' THEN 1 ELSE 2 END,"
                        " e.created_at, e.status = 'active', e.left_at FROM elders e"
                        " WHERE (e.status = 'active' OR e.left_at > ?)%s%s",
                        agg_scope_sql(c, "e"), pj_el_region_sql(c, region_id, "e")),
        err);
    if (!s) goto out;
    int i = 1;
    pj_stmt_text(s, i++, today);
    pj_stmt_text(s, i++, today);
    pj_stmt_int(s, i++, since);
    agg_scope_bind(c, s, &i);
    pj_el_region_bind(s, region_id, &i);
    /* visits due: the period's days an elder was on the register, by their tier's interval (an
     * elder registered yesterday owes no month of visits; their first is due an interval on) */
    double every[3] = {pj_el_visit_days(c, "high_risk"), pj_el_visit_days(c, "key"),
                       pj_el_visit_days(c, "normal")};
    /* days still to come are no days on the register: a period running past now (this month
     * asked on the 10th) owes its visits up to now, as its visits done can only be */
    int64_t now = pj_now(), due_until = until < now ? until : now;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int64_t id = pj_col_int(s, 0), g = pj_col_int(s, 1);
        row *r = row_of(c, &R, GROUP_OF(g));
        if (!r) continue;
        int t = (int)pj_col_int(s, 4), active = pj_col_int(s, 6) != 0;
        /* one who left (moved away, died) during or after the period owes its visits for the
         * days on the register, as their visits done then count; the figures of now (elders,
         * meals, doctor, paired) are of the active ones */
        int64_t from = pj_col_int(s, 5) > since ? pj_col_int(s, 5) : since,
                to = !active && pj_col_int(s, 7) < due_until ? pj_col_int(s, 7) : due_until;
        if (from < to)
            r->visits_due += (double)(to - from) / 86400.0 / every[t >= 0 && t < 3 ? t : 2];
        if (!active) continue;
        r->elders++;
        r->meals += pj_col_int(s, 2) != 0;
        r->doctor += pj_col_int(s, 3) != 0;
        if (id > 0 && id <= max_elder && (paired[id / 8] & (1u << (id % 8)))) r->paired++;
    }
    pj_stmt_done(s);
    if (rc < 0) goto out;
    /* logs of the period: companionship visits done, hours given */
    s = pj_db_prepare(c->db,
                      pj_arena_printf(c->arena,
                                      "SELECT l.grid_id, l.kind = 'companionship', CASE WHEN"
                                      " l.helper_id IS NOT NULL THEN l.minutes ELSE 0 END"
                                      " FROM elder_service_logs l"
                                      " WHERE l.time_in >= ? AND l.time_in < ? AND"
                                      " l.voided_at IS NULL%s%s",
                                      agg_scope_sql(c, "l"), pj_el_region_sql(c, region_id, "l")),
                      err);
    if (!s) goto out;
    i = 1;
    pj_stmt_int(s, i++, since);
    pj_stmt_int(s, i++, until);
    agg_scope_bind(c, s, &i);
    pj_el_region_bind(s, region_id, &i);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        row *r = row_of(c, &R, GROUP_OF(pj_col_int(s, 0)));
        if (!r) continue;
        r->visits_done += pj_col_int(s, 1) != 0;
        r->minutes += pj_col_int(s, 2);
    }
    pj_stmt_done(s);
    if (rc < 0) goto out;
#undef GROUP_OF
    s = pj_db_prepare(c->db,
                      pj_arena_printf(c->arena,
                                      "SELECT h.%s, COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1"
                                      " FROM elder_service_logs l WHERE l.helper_id = h.id AND"
                                      " l.time_in >= ? AND l.time_in < ? AND l.voided_at IS"
                                      " NULL) THEN 1 ELSE 0 END)"
                                      " FROM helpers h WHERE h.active = 1%s%s GROUP BY h.%s",
                                      col, agg_scope_sql(c, "h"),
                                      pj_el_region_sql(c, region_id, "h"), col),
                      err);
    if (!s) goto out;
    i = 1;
    pj_stmt_int(s, i++, since);
    pj_stmt_int(s, i++, until);
    agg_scope_bind(c, s, &i);
    pj_el_region_bind(s, region_id, &i);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        row *r = row_of(c, &R, pj_col_int(s, 0));
        if (r) r->helpers = pj_col_int(s, 1), r->helpers_active = pj_col_int(s, 2);
    }
    pj_stmt_done(s);
    if (rc < 0) goto out;
    /* alerts: open now; resolved within the period and how long they took. Read from the
     * open and acknowledged ones and those resolved in the period (ranges of indexes), not
     * from every alert ever raised; every group with an alert at all still gets its row (as
     * when every alert was read), from the distinct (township, grid) pairs of an index (a
     * township officer's: one range of it). */
    const char *acol = !strcmp(group, "village") ? "g.parent_id"
                       : !strcmp(group, "grid")  ? "a.grid_id"
                                                 : "a.township_id";
    const char *where = pj_arena_printf(
        c->arena, "%s%s", agg_scope_sql(c, "a"),
        region_id ? " AND (a.grid_id = ? OR g.parent_id = ? OR a.township_id = ?)" : "");
    s = pj_db_prepare(
        c->db,
        pj_arena_printf(c->arena,
                        "SELECT grp, SUM(open), SUM(resolved), SUM(took) FROM"
                        " (SELECT %s AS grp, 1 AS open, 0 AS resolved, 0 AS took"
                        " FROM elder_alerts a JOIN regions g ON g.id = a.grid_id"
                        " WHERE a.state IN ('open', 'acked')%s"
                        " UNION ALL SELECT %s, 0, 1, a.resolved_at - a.raised_at"
                        " FROM elder_alerts a JOIN regions g ON g.id = a.grid_id"
                        " WHERE a.state = 'resolved' AND a.resolved_at >= ? AND"
                        " a.resolved_at < ?%s"
                        " UNION ALL SELECT %s, 0, 0, 0 FROM (SELECT grid_id, township_id FROM"
                        " elder_alerts GROUP BY township_id, grid_id) a JOIN regions g ON g.id ="
                        " a.grid_id WHERE 1 = 1%s) x GROUP BY grp",
                        acol, where, acol, where, acol, where),
        err);
    if (!s) goto out;
    i = 1;
    agg_scope_bind(c, s, &i);
    pj_el_region_bind(s, region_id, &i);
    pj_stmt_int(s, i++, since);
    pj_stmt_int(s, i++, until);
    for (int k = 0; k < 2; k++) {
        agg_scope_bind(c, s, &i);
        pj_el_region_bind(s, region_id, &i);
    }
    while ((rc = pj_stmt_step(s, err)) == 1) {
        row *r = row_of(c, &R, pj_col_int(s, 0));
        if (!r) continue;
        r->alerts_open = pj_col_int(s, 1), r->alerts_resolved = pj_col_int(s, 2);
        r->resolve_s = pj_col_double(s, 3);
    }
    pj_stmt_done(s);
    if (rc < 0) goto out;
    /* names, in region id order */
    row total = {0};
    const char **names = pj_arena_calloc(c->arena, (size_t)R.n + 1, sizeof *names);
    int n = 0;
    row *sorted = pj_arena_calloc(c->arena, (size_t)R.n + 1, sizeof *sorted);
    for (int64_t id = 0; id <= R.max_id; id++)
        if (R.index[id]) sorted[n++] = R.r[R.index[id] - 1];
    /* A grid worker's report counts their own grids only: by village or township a row is
     * those of their grids in it, and the CSV names it so (the console adds （本人网格） to the
     * JSON's names itself). The total is labelled by what it covers, as the appeal KPIs' CSV
     * labels its own: the district, the region asked or the township officer's township, a
     * grid worker's own grids. */
    int own = c->actor.role == PJ_ROLE_GRID_WORKER;
    int64_t whole = region_id                                   ? region_id
                    : c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER ? c->actor.township_id
                                                                : 0;
    const char *total_name = own ? OWN_GRIDS : "district";
    /* a region asked for finer than the rows (a village, by township): each row counts only
     * the part of it inside that region, and says so ("金海湖地区 (within 南山村)": it read
     * as the whole township with a village's counts) */
    const char *within = NULL;
    if (whole) {
        s = pj_db_prepare(c->db, "SELECT name, type FROM regions WHERE id = ?", err);
        if (!s) goto out;
        pj_stmt_int(s, 1, whole);
        if ((rc = pj_stmt_step(s, err)) == 1) {
            const char *type = pj_col_text(s, 1);
            int rlevel = !strcmp(type, "grid")                                    ? 0
                         : !strcmp(type, "village") || !strcmp(type, "community") ? 1
                         : !strcmp(type, "township")                              ? 2
                                                                                  : 3;
            if (region_id && rlevel < level) within = pj_arena_strdup(c->arena, pj_col_text(s, 0));
            total_name =
                pj_arena_printf(c->arena, "%s%s", pj_col_text(s, 0),
                                own && strcmp(pj_col_text(s, 1), "grid") ? " (" OWN_GRIDS ")" : "");
        }
        pj_stmt_done(s);
        if (rc < 0) goto out;
    }
    for (int k = 0; k < n; k++) {
        s = pj_db_prepare(c->db, "SELECT name FROM regions WHERE id = ?", err);
        if (!s) goto out;
        pj_stmt_int(s, 1, sorted[k].id);
        names[k] = pj_stmt_step(s, err) == 1 ? pj_arena_strdup(c->arena, pj_col_text(s, 0)) : "";
        pj_stmt_done(s);
        row *r = &sorted[k];
        total.elders += r->elders, total.meals += r->meals, total.doctor += r->doctor;
        total.paired += r->paired, total.visits_due += r->visits_due;
        total.visits_done += r->visits_done, total.alerts_open += r->alerts_open;
        total.alerts_resolved += r->alerts_resolved, total.resolve_s += r->resolve_s;
        total.helpers += r->helpers, total.helpers_active += r->helpers_active;
        total.minutes += r->minutes;
    }
    if (csv) {
        static const char *const head[] = {
            "region_id",         "name",       "elders",         "meals_pct",   "doctor_pct",
            "paired_pct",        "visits_due", "visits_done",    "alerts_open", "alerts_resolved",
            "resolve_hours_avg", "helpers",    "helpers_active", "hours_given", NULL};
        for (int k = 0; head[k]; k++) pj_csv_field(csv, head[k], !head[k + 1]);
        for (int k = 0; k < n; k++)
            row_csv(csv, &sorted[k],
                    within         ? pj_arena_printf(c->arena, "%s (within %s)", names[k], within)
                    : own && level ? pj_arena_printf(c->arena, "%s (" OWN_GRIDS ")", names[k])
                                   : names[k]);
        row_csv(csv, &total, total_name);
    } else {
        char t0[21], t1[21];
        pj_time_iso(since, t0);
        pj_time_iso(until, t1);
        pj_jw_obj(w);
        pj_jw_kstr(w, "group", group);
        if (region_id)
            pj_jw_kint(w, "region_id", region_id);
        else
            pj_jw_knull(w, "region_id");
        pj_jw_kstr(w, "since", t0);
        pj_jw_kstr(w, "until", t1);
        /* the rows count only the part inside the region asked for (finer than the rows) */
        if (within)
            pj_jw_kstr(w, "rows_within", within);
        else
            pj_jw_knull(w, "rows_within");
        pj_jw_key(w, "period_days");
        pj_jw_fixed(w, days, 2);
        pj_jw_key(w, "rows");
        pj_jw_arr(w);
        for (int k = 0; k < n; k++) row_json(w, &sorted[k], names[k]);
        pj_jw_arr_end(w);
        pj_jw_key(w, "total");
        row_json(w, &total, total_name);
        pj_jw_obj_end(w);
    }
    rc = 0;
out:
    pj_db_read_end(c->db, started);
    return rc;
}

/* ---- the vulnerable ---- */

#define VULNERABLE " AND (e.living_alone = 1 OR e.disabled = 1 OR e.ability_level >= 3)"

static int vul_row(pj_ctx *c, int64_t id, int reveal, pj_jw *w, pj_buf *csv, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(
        c,
        "SELECT e.id, e.name, e.sex, e.birth_date, e.ability_level, e.living_alone, e.disabled,"
        " e.household, e.phone, e.lat, e.lon, e.grid_id, g.name, v.name, t.name, h.id, h.name,"
        " h.phone, (SELECT GROUP_CONCAT(u.display_name || ' (' || u.username || ')', '; ') FROM"
        " grid_workers gw JOIN users u ON u.id = gw.user_id WHERE gw.region_id = e.grid_id"
        " AND u.disabled = 0)," /* whom to call: a disabled account is no grid worker */
        " e.emergency_contacts, e.village_id, e.township_id"
        " FROM elders e JOIN regions g ON g.id = e.grid_id JOIN regions v ON v.id = e.village_id"
        " JOIN regions t ON t.id = e.township_id"
        " LEFT JOIN elder_pairs p ON p.elder_id = e.id AND p.state = 'active'"
        " LEFT JOIN helpers h ON h.id = p.helper_id WHERE e.id = ?",
        id, "elder", err);
    if (!s) return -1;
    int age = pj_el_age(pj_col_text(s, 3), pj_el_today(c, pj_now()));
    const char *phone = pj_el_mask_phone(c, pj_col_text(s, 8), reveal);
    const char *hphone =
        pj_col_is_null(s, 17) ? NULL : pj_el_mask_phone(c, pj_col_text(s, 17), reveal);
    const char *req = "medical_or_barrier_free";
    /* the first emergency contact, for the door-to-door sheet */
    json_t *ec = json_loads(pj_col_text(s, 19), 0, NULL);
    json_t *c0 = json_array_get(ec, 0);
    const char *cname = c0 ? json_string_value(json_object_get(c0, "name")) : NULL;
    const char *cphone =
        c0 ? pj_el_mask_phone(c, json_string_value(json_object_get(c0, "phone")), reveal) : NULL;
    if (csv) {
        char v[8][32];
        snprintf(v[0], 32, "%lld", (long long)pj_col_int(s, 0));
        snprintf(v[1], 32, "%d", age);
        snprintf(v[2], 32, "%lld", (long long)pj_col_int(s, 4));
        snprintf(v[3], 32, "%.6f", pj_col_double(s, 9));
        snprintf(v[4], 32, "%.6f", pj_col_double(s, 10));
        pj_csv_field(csv, pj_col_text(s, 14), 0);
        pj_csv_field(csv, pj_col_text(s, 13), 0);
        pj_csv_field(csv, pj_col_text(s, 12), 0);
        pj_csv_field(csv, v[0], 0);
        pj_csv_field(csv, pj_col_text(s, 1), 0);
        pj_csv_field(csv, pj_col_text(s, 2), 0);
        pj_csv_field(csv, v[1], 0);
        pj_csv_field(csv, v[2], 0);
        pj_csv_field(csv, pj_col_int(s, 5) ? "1" : "0", 0);
        pj_csv_field(csv, pj_col_int(s, 6) ? "1" : "0", 0);
        pj_csv_field(csv, pj_col_text(s, 7), 0);
        pj_csv_field(csv, phone, 0);
        pj_csv_field(csv, pj_col_is_null(s, 16) ? "" : pj_col_text(s, 16), 0);
        pj_csv_field(csv, hphone ? hphone : "", 0);
        pj_csv_field(csv, pj_col_is_null(s, 18) ? "" : pj_col_text(s, 18), 0);
        pj_csv_field(csv, cname ? cname : "", 0);
        pj_csv_field(csv, cphone ? cphone : "", 0);
        pj_csv_field(csv, v[3], 0);
        pj_csv_field(csv, v[4], 0);
        pj_csv_field(csv, req, 1);
    } else {
        pj_jw_obj(w);
        pj_jw_kint(w, "elder_id", pj_col_int(s, 0));
        pj_render_text(w, "name", s, 1);
        pj_render_text(w, "sex", s, 2);
        pj_jw_kint(w, "age", age);
        pj_jw_kint(w, "ability_level", pj_col_int(s, 4));
        pj_jw_kbool(w, "living_alone", (int)pj_col_int(s, 5));
        pj_jw_kbool(w, "disabled", (int)pj_col_int(s, 6));
        pj_render_text(w, "household", s, 7);
        pj_jw_kstr(w, "phone", phone);
        pj_jw_key(w, "lat");
        pj_jw_fixed(w, pj_col_double(s, 9), 6);
        pj_jw_key(w, "lon");
        pj_jw_fixed(w, pj_col_double(s, 10), 6);
        pj_jw_kint(w, "grid_id", pj_col_int(s, 11));
        pj_render_text(w, "grid_name", s, 12);
        pj_jw_kint(w, "village_id", pj_col_int(s, 20));
        pj_render_text(w, "village_name", s, 13);
        pj_jw_kint(w, "township_id", pj_col_int(s, 21));
        pj_render_text(w, "township_name", s, 14);
        if (pj_col_is_null(s, 15)) {
            pj_jw_knull(w, "helper");
        } else {
            pj_jw_key(w, "helper");
            pj_jw_obj(w);
            pj_jw_kint(w, "id", pj_col_int(s, 15));
            pj_render_text(w, "name", s, 16);
            pj_jw_kstr(w, "phone", hphone);
            pj_jw_obj_end(w);
        }
        pj_render_text(w, "grid_workers", s, 18);
        if (c0) {
            pj_jw_key(w, "emergency_contact");
            pj_jw_obj(w);
            pj_jw_kstr(w, "name", cname);
            pj_jw_kstr(w, "phone", cphone);
            pj_jw_obj_end(w);
        } else {
            pj_jw_knull(w, "emergency_contact");
        }
        pj_jw_kstr(w, "site_requirement", req);
        pj_jw_kbool(w, "masked", !reveal);
        pj_jw_obj_end(w);
    }
    int64_t helper = pj_col_is_null(s, 15) ? 0 : pj_col_int(s, 15);
    json_decref(ec);
    pj_stmt_done(s);
    if (reveal && pj_el_audit_reveal(c, "elder", id, err)) return -1;
    /* the paired helper's number is shown in full too: its own read, audited like GET
     * /helpers/{id}?reveal=1 (the helper may live outside the caller's grids) */
    if (reveal && helper && pj_el_audit_reveal(c, "helper", helper, err)) return -1;
    return 0;
}

static int vul_masked(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return vul_row(c, id, 0, w, NULL, err);
}
static int vul_revealed(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return vul_row(c, id, 1, w, NULL, err);
}

int pj_vulnerable_list(pj_ctx *c, int64_t region_id, int reveal, int64_t cursor, int limit,
                       pj_jw *w, pj_buf *csv, pj_err *err)
{
    int64_t town;
    if (pj_el_require_personal(c, err) ||
        pj_el_region_check(c, &region_id, "region_id", &town, err))
        return -1;
    const char *sql = pj_arena_printf(
        c->arena,
        "SELECT e.id FROM elders e WHERE e.status = 'active'" VULNERABLE
        "%s%s AND e.id > ? ORDER BY %s LIMIT ?",
        pj_el_scope_sql(c, "e"), pj_el_region_sql(c, region_id, "e"),
        csv ? "e.township_id, e.village_id, e.grid_id, e.ability_level DESC, e.id" : "e.id");
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    int i = 1;
    pj_el_scope_bind(c, s, &i);
    pj_el_region_bind(s, region_id, &i);
    pj_stmt_int(s, i++, csv ? 0 : cursor);
    pj_stmt_int(s, i++, csv ? 1000000 : limit + 1);
    /* with reveal=1 its audit rows go in one transaction with the read, unless they are
     * collected for the caller to write (c->reveals: a read-only connection's read) */
    int audit_tx = reveal && !c->reveals;
    if (audit_tx && pj_db_begin(c->db, err)) {
        pj_stmt_done(s);
        return -1;
    }
    int started = audit_tx ? 0 : pj_db_read_begin(c->db);
    int rc = 0;
    if (!csv) {
        rc = pj_render_query_page(c, s, limit, reveal ? vul_revealed : vul_masked, w, err);
    } else {
        static const char *const head[] = {"township",
                                           "village",
                                           "grid",
                                           "elder_id",
                                           "name",
                                           "sex",
                                           "age",
                                           "ability_level",
                                           "living_alone",
                                           "disabled",
                                           "household",
                                           "phone",
                                           "helper",
                                           "helper_phone",
                                           "grid_workers",
                                           "emergency_contact",
                                           "emergency_phone",
                                           "lat",
                                           "lon",
                                           "site_requirement",
                                           NULL};
        for (int k = 0; head[k]; k++) pj_csv_field(csv, head[k], !head[k + 1]);
        int64_t cap = 1024, n = 0;
        int64_t *ids = malloc(sizeof(int64_t) * (size_t)cap);
        while (ids && (rc = pj_stmt_step(s, err)) == 1) {
            if (n == cap) {
                int64_t *nid = realloc(ids, sizeof(int64_t) * (size_t)(cap *= 2));
                if (!nid) break;
                ids = nid;
            }
            ids[n++] = pj_col_int(s, 0);
        }
        pj_stmt_done(s);
        rc = ids && rc >= 0 ? 0 : -1;
        if (rc && !err->status) pj_fail(err, 500, "internal", "", "out of memory");
        for (int64_t k = 0; k < n && !rc; k++) rc = vul_row(c, ids[k], reveal, NULL, csv, err);
        free(ids);
    }
    if (audit_tx) {
        if (rc || pj_db_commit(c->db, err)) {
            pj_db_rollback(c->db);
            return -1;
        }
    } else {
        pj_db_read_end(c->db, started);
    }
    return rc;
}

int pj_vulnerable_collect(pj_ctx *c, int64_t region_id, pj_vulnerable **out, int *n, pj_err *err)
{
    *out = NULL, *n = 0;
    int64_t town;
    if (pj_el_require_personal(c, err) ||
        pj_el_region_check(c, &region_id, "region_id", &town, err))
        return -1;
    const char *sql = pj_arena_printf(
        c->arena,
        "SELECT e.id, e.grid_id, e.village_id, e.township_id, p.helper_id, e.lat, e.lon,"
        " e.ability_level, e.living_alone, e.disabled FROM elders e LEFT JOIN elder_pairs p ON"
        " p.elder_id = e.id AND p.state = 'active' WHERE e.status = 'active'" VULNERABLE
        "%s%s ORDER BY e.id",
        pj_el_scope_sql(c, "e"), pj_el_region_sql(c, region_id, "e"));
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    int i = 1;
    pj_el_scope_bind(c, s, &i);
    pj_el_region_bind(s, region_id, &i);
    int cap = 0, rc;
    pj_vulnerable *v = NULL;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        v = pj_arena_room(c->arena, v, *n, &cap, sizeof *v, 256);
        v[(*n)++] = (pj_vulnerable){pj_col_int(s, 0),
                                    pj_col_int(s, 1),
                                    pj_col_int(s, 2),
                                    pj_col_int(s, 3),
                                    pj_col_is_null(s, 4) ? 0 : pj_col_int(s, 4),
                                    pj_col_double(s, 5),
                                    pj_col_double(s, 6),
                                    (int)pj_col_int(s, 7),
                                    (int)pj_col_int(s, 8),
                                    (int)pj_col_int(s, 9)};
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    *out = v;
    return 0;
}
