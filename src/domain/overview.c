/* The emergency overview: capacity ready / converting / convertible per role, by township and
 * district-wide; coverage against the standards; manuals that cannot meet their targets;
 * drills overdue; days of supply per category. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/dualuse_int.h"
#include "domain/registry.h"
#include "domain/render.h"

#include "core/banned.h"

#define MAX_TOWNS 64

typedef struct town_cap {
    int64_t id;
    char name[64];
    int64_t population;
    double cap[5][3]; /* role × (ready, converting, convertible) */
} town_cap;

static int role_index(const char *role)
{
    for (int i = 0; pj_emergency_roles[i]; i++)
        if (!strcmp(pj_emergency_roles[i], role)) return i;
    return -1;
}

/* Capacity per 10,000 residents as shown, to two decimals: the figure judged against the
 * target (19.996 showed 20 beside a target of 20 and "did not meet" it); NAN without residents,
 * written null (it read 0 and "does not meet" however much a township could house). */
static double per10k_of(double capacity, int64_t population)
{
    return population ? round(capacity * 10000.0 / (double)population * 100) / 100 : NAN;
}

static void per10k_write(pj_jw *w, double per10k)
{
    if (isnan(per10k))
        pj_jw_knull(w, "per_10k_residents");
    else
        pj_jw_knum(w, "per_10k_residents", per10k);
}

/* meets_target: null without a target or without a figure */
static void verdict_write(pj_jw *w, double per10k, double target)
{
    if (isnan(per10k) || isnan(target))
        pj_jw_knull(w, "meets_target");
    else
        pj_jw_kbool(w, "meets_target", per10k >= target);
}

static int overview(pj_ctx *c, const char *scenario, int64_t population, pj_jw *w, pj_err *err);

int pj_overview(pj_ctx *c, const char *scenario, int64_t population, pj_jw *w, pj_err *err)
{
    int started = pj_db_read_begin(c->db); /* one snapshot for every figure */
    int rc = overview(c, scenario, population, w, err);
    pj_db_read_end(c->db, started);
    return rc;
}

static int overview(pj_ctx *c, const char *scenario, int64_t population, pj_jw *w, pj_err *err)
{
    if (c->actor.role == PJ_ROLE_ENTERPRISE)
        return pj_fail(err, 403, "forbidden", "", "the emergency overview is for officials");
    town_cap towns[MAX_TOWNS];
    int nt = 0;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id, name, population FROM regions WHERE type = 'township'"
                               " ORDER BY id",
                               err);
    if (!s) return -1;
    int rc;
    int64_t district_pop = 0;
    while ((rc = pj_stmt_step(s, err)) == 1 && nt < MAX_TOWNS) {
        town_cap *t = &towns[nt++];
        memset(t, 0, sizeof *t);
        t->id = pj_col_int(s, 0);
        snprintf(t->name, sizeof t->name, "%s", pj_col_text(s, 1));
        t->population = pj_col_int(s, 2);
        district_pop += t->population;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* Each facility-role's capacity (main unit only: the first unit of the role) goes to one
     * column: ready when the facility is in emergency for this scenario, converting when its
     * live conversion for this scenario is under way, convertible when it is in peacetime and
     * has a manual for this scenario. */
    s = pj_db_prepare(
        c->db,
        "SELECT f.township_id, r.role, r.unit, r.capacity, f.state,"
        /* a role counts when the facility's conversion (or manual) is for that role */
        " (SELECT v.scenario FROM conversions v JOIN manuals m ON m.id = v.manual_id WHERE"
        "  v.facility_id = f.id AND v.mode = 'live' AND m.role = r.role"
        "  AND v.state IN ('converting', 'emergency', 'restoring') LIMIT 1),"
        " EXISTS (SELECT 1 FROM manuals m WHERE m.facility_id = f.id AND m.scenario = ?"
        "  AND m.role = r.role)"
        " FROM facilities f JOIN facility_roles r ON r.facility_id = f.id",
        err);
    if (!s) return -1;
    pj_stmt_text(s, 1, scenario);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int ri = role_index(pj_col_text(s, 1));
        if (ri < 0 || strcmp(pj_col_text(s, 2), pj_emergency_role_units(pj_col_text(s, 1))[0]))
            continue;
        const char *state = pj_col_text(s, 4);
        const char *conv_scn = pj_col_text(s, 5);
        int has_manual = (int)pj_col_int(s, 6);
        int col = -1;
        if (conv_scn && !strcmp(conv_scn, scenario))
            col = !strcmp(state, "emergency") ? 0 : !strcmp(state, "converting") ? 1 : -1;
        else if (!strcmp(state, "peacetime") && has_manual)
            col = 2;
        if (col < 0) continue;
        int64_t tid = pj_col_int(s, 0);
        for (int k = 0; k < nt; k++)
            if (towns[k].id == tid) towns[k].cap[ri][col] += pj_col_double(s, 3);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;

    pj_jw_obj(w);
    pj_jw_kstr(w, "scenario", scenario);
    pj_render_time(w, "as_of", pj_now());
    pj_jw_kint(w, "district_population", district_pop);
    /* district totals and coverage per role */
    pj_jw_key(w, "roles");
    pj_jw_arr(w);
    for (int ri = 0; pj_emergency_roles[ri]; ri++) {
        const char *role = pj_emergency_roles[ri];
        double tot[3] = {0, 0, 0};
        for (int k = 0; k < nt; k++)
            for (int col = 0; col < 3; col++) tot[col] += towns[k].cap[ri][col];
        /* the coverage target: the highest of the standards in force for this role */
        double target = NAN;
        pj_stmt *q = pj_db_prepare(
            c->db,
            "SELECT MAX(coverage_per_10k) FROM standards s WHERE scenario = ? AND role = ? AND"
            " version = (SELECT MAX(version) FROM standards x WHERE x.facility_type ="
            " s.facility_type AND x.scenario = s.scenario AND x.role = s.role AND"
            " x.effective_from <= ?)",
            err);
        if (!q) return -1;
        pj_stmt_text(q, 1, scenario);
        pj_stmt_text(q, 2, role);
        pj_stmt_int(q, 3, pj_now());
        if (pj_stmt_step(q, err) == 1 && !pj_col_is_null(q, 0)) target = pj_col_double(q, 0);
        pj_stmt_done(q);
        pj_jw_obj(w);
        pj_jw_kstr(w, "role", role);
        pj_jw_kstr(w, "unit", pj_emergency_role_units(role)[0]);
        pj_jw_knum(w, "ready", tot[0]);
        pj_jw_knum(w, "converting", tot[1]);
        pj_jw_knum(w, "convertible", tot[2]);
        double per10k = per10k_of(tot[0] + tot[1] + tot[2], district_pop);
        per10k_write(w, per10k);
        if (isnan(target))
            pj_jw_knull(w, "target_per_10k");
        else
            pj_jw_knum(w, "target_per_10k", target);
        verdict_write(w, per10k, target);
        /* every township, with whether it meets the target */
        pj_jw_key(w, "townships");
        pj_jw_arr(w);
        for (int k = 0; k < nt; k++) {
            double all = towns[k].cap[ri][0] + towns[k].cap[ri][1] + towns[k].cap[ri][2];
            double t10k = per10k_of(all, towns[k].population);
            pj_jw_obj(w);
            pj_jw_kint(w, "township_id", towns[k].id);
            pj_jw_kstr(w, "name", towns[k].name);
            pj_jw_knum(w, "ready", towns[k].cap[ri][0]);
            pj_jw_knum(w, "converting", towns[k].cap[ri][1]);
            pj_jw_knum(w, "convertible", towns[k].cap[ri][2]);
            per10k_write(w, t10k);
            verdict_write(w, t10k, target);
            pj_jw_obj_end(w);
        }
        pj_jw_arr_end(w);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);

    /* live conversions of this scenario, with overdue steps (PJ_SQL_OVERDUE_STEPS) */
    pj_jw_key(w, "live_conversions");
    pj_jw_arr(w);
    s = pj_db_prepare(
        c->db,
        "SELECT v.id, f.id, f.name, v.state, v.started_at, " PJ_SQL_OVERDUE_STEPS(
            "?") ","
                 " (SELECT COUNT(*) FROM conversion_steps cs WHERE cs.conversion_id = v.id"
                 "  AND cs.status = 'done'),"
                 " (SELECT COUNT(*) FROM conversion_steps cs WHERE cs.conversion_id = v.id),"
                 " (SELECT COUNT(*) FROM conversion_steps cs WHERE cs.conversion_id = v.id"
                 "  AND cs.phase = 'convert' AND cs.status = 'done'),"
                 " (SELECT COUNT(*) FROM conversion_steps cs WHERE cs.conversion_id = v.id"
                 "  AND cs.phase = 'convert')"
                 " FROM conversions v JOIN facilities f ON f.id = v.facility_id"
                 " WHERE v.mode = 'live' AND v.scenario = ? AND v.state IN ('converting',"
                 " 'emergency', 'restoring') ORDER BY v.id",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, pj_now());
    pj_stmt_text(s, 2, scenario);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_obj(w);
        pj_jw_kint(w, "conversion_id", pj_col_int(s, 0));
        pj_jw_kint(w, "facility_id", pj_col_int(s, 1));
        pj_render_text(w, "facility_name", s, 2);
        pj_render_text(w, "state", s, 3);
        pj_render_time(w, "started_at", pj_col_int(s, 4));
        pj_jw_kint(w, "overdue_steps", pj_col_int(s, 5));
        pj_jw_kint(w, "steps_done", pj_col_int(s, 6));
        pj_jw_kint(w, "steps_total", pj_col_int(s, 7));
        pj_jw_kint(w, "convert_steps_done", pj_col_int(s, 8));
        pj_jw_kint(w, "convert_steps_total", pj_col_int(s, 9));
        /* against its deadline and the adopted plan, as the conversion itself shows */
        pj_conv_standing cs;
        if (pj_conversion_standing(c, pj_col_int(s, 0), &cs, err)) {
            pj_stmt_done(s);
            return -1;
        }
        if (cs.has_deadline)
            pj_jw_knum(w, "deadline_minutes", cs.deadline_minutes);
        else
            pj_jw_knull(w, "deadline_minutes");
        pj_jw_kbool(w, "over_deadline", cs.over_deadline);
        pj_jw_kint(w, "behind_plan", cs.behind_plan);
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_arr_end(w);

    /* live conversions under way per scenario (every scenario): the console opens on one that
     * has some. One grouped count; a scenario without any is 0 */
    int64_t live[16] = {0};
    s = pj_db_prepare(c->db,
                      "SELECT scenario, COUNT(*) FROM conversions WHERE mode = 'live' AND state IN"
                      " ('converting', 'emergency', 'restoring') GROUP BY scenario",
                      err);
    if (!s) return -1;
    while ((rc = pj_stmt_step(s, err)) == 1)
        for (int k = 0; pj_scenarios[k] && k < 16; k++)
            if (!strcmp(pj_col_text(s, 0), pj_scenarios[k])) live[k] = pj_col_int(s, 1);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_key(w, "live_by_scenario");
    pj_jw_obj(w);
    for (int k = 0; pj_scenarios[k] && k < 16; k++) pj_jw_kint(w, pj_scenarios[k], live[k]);
    pj_jw_obj_end(w);

    /* newest manual per facility for this scenario: target check and drill due. These lists
     * are what to act on, so they cover the facilities the caller may act on: a township
     * officer's township, a facility operator's facility; the district for everyone else
     * (district roles, and grid workers and viewers, who act on no facility). The capacity
     * above stays district-wide: townships are compared with each other. */
    const char *level = "district";
    int64_t in_town = 0, in_fac = 0; /* 0: any; an unset scope (-1) matches nothing */
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER) {
        level = "township";
        in_town = c->actor.township_id ? c->actor.township_id : -1;
    } else if (c->actor.role == PJ_ROLE_FACILITY_OPERATOR) {
        level = "facility";
        in_fac = c->actor.facility_id ? c->actor.facility_id : -1;
    }
    pj_jw_key(w, "lists_scope");
    pj_jw_obj(w);
    pj_jw_kstr(w, "level", level);
    if (in_town > 0 || in_fac > 0) {
        s = pj_db_prepare(c->db,
                          in_town ? "SELECT name FROM regions WHERE id = ?"
                                  : "SELECT name FROM facilities WHERE id = ?",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, in_town ? in_town : in_fac);
        rc = pj_stmt_step(s, err);
        pj_jw_kint(w, "id", in_town ? in_town : in_fac);
        if (rc == 1)
            pj_render_text(w, "name", s, 0);
        else
            pj_jw_knull(w, "name");
        pj_stmt_done(s);
        if (rc < 0) return -1;
    } else {
        pj_jw_knull(w, "id");
        pj_jw_knull(w, "name");
    }
    pj_jw_obj_end(w);
    double interval_days = pj_du_setting(c, "drill_interval_days", 365);
    int64_t cutoff = pj_now() - (int64_t)(interval_days * 86400);
    s = pj_db_prepare(c->db,
                      "SELECT m.id, f.id, f.name, f.type, m.role FROM manuals m JOIN facilities f"
                      " ON f.id = m.facility_id WHERE m.scenario = ? AND m.version = (SELECT"
                      " MAX(version) FROM manuals x WHERE x.facility_id = m.facility_id AND"
                      " x.scenario = m.scenario) AND (? = 0 OR f.township_id = ?)"
                      " AND (? = 0 OR f.id = ?) ORDER BY m.id",
                      err);
    if (!s) return -1;
    pj_stmt_text(s, 1, scenario);
    pj_stmt_int(s, 2, in_town);
    pj_stmt_int(s, 3, in_town);
    pj_stmt_int(s, 4, in_fac);
    pj_stmt_int(s, 5, in_fac);
    struct man {
        int64_t id, fid, last_drill;
        const char *name, *type, *role;
    } *mans = NULL;
    int nm = 0, cap = 0;
    while ((rc = pj_stmt_step(s, err)) == 1) {
        /* every manual: the array grows in the request's arena */
        mans = pj_arena_room(c->arena, mans, nm, &cap, sizeof *mans, 256);
        struct man *m = &mans[nm++];
        m->id = pj_col_int(s, 0);
        m->fid = pj_col_int(s, 1);
        m->name = pj_arena_strdup(c->arena, pj_col_text(s, 2));
        m->type = pj_arena_strdup(c->arena, pj_col_text(s, 3));
        m->role = pj_arena_strdup(c->arena, pj_col_text(s, 4));
        m->last_drill = 0;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    /* a facility's last drill of this scenario that passed (as its report judges it): a drill
     * that failed — too slow for the target, or a step clicked through too fast — shows the
     * facility is not yet ready and leaves it due; an aborted one never counts. A drill keeps
     * its verdict when it finishes (drill_passed), so failed ones are passed over unread; only
     * drills finished before the verdict was kept (NULL) are scored here */
    s = pj_db_prepare(
        c->db,
        "SELECT id, started_at, drill_passed FROM conversions WHERE facility_id = ?"
        " AND mode = 'drill' AND state = 'finished' AND scenario = ? AND"
        " (drill_passed IS NULL OR drill_passed = 1) ORDER BY started_at DESC, id DESC",
        err);
    if (!s) return -1;
    for (int i = 0; i < nm; i++) {
        pj_stmt_int(s, 1, mans[i].fid);
        pj_stmt_text(s, 2, scenario);
        while ((rc = pj_stmt_step(s, err)) == 1) {
            int passed = pj_col_is_null(s, 2) ? pj_du_drill_passed(c, pj_col_int(s, 0), err) : 1;
            if (passed < 0) {
                rc = -1;
                break;
            }
            if (passed) {
                mans[i].last_drill = pj_col_int(s, 1);
                break;
            }
        }
        pj_stmt_done(s);
        if (rc < 0) return -1;
    }
    pj_jw_kint(w, "manuals", nm);
    pj_jw_key(w, "manuals_over_target");
    pj_jw_arr(w);
    for (int i = 0; i < nm; i++) {
        double target = 0;
        int64_t std =
            pj_du_standard_in_force(c, mans[i].type, scenario, mans[i].role, &target, err);
        if (std < 0) return -1;
        if (!std) continue;
        double crit = pj_du_manual_critical_minutes(c, mans[i].id, "convert", NULL, err);
        if (crit < 0) return -1;
        if (crit <= target * 60 + 1e-9) continue;
        pj_jw_obj(w);
        pj_jw_kint(w, "manual_id", mans[i].id);
        pj_jw_kint(w, "facility_id", mans[i].fid);
        pj_jw_kstr(w, "facility_name", mans[i].name);
        pj_jw_knum(w, "critical_path_minutes", crit);
        pj_jw_knum(w, "target_minutes", target * 60);
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);
    pj_jw_knum(w, "drill_interval_days", interval_days);
    pj_jw_key(w, "drills_overdue");
    pj_jw_arr(w);
    /* whether the next drill is planned: the earliest open drill plan of the facility and
     * scenario (its date may have passed too); and whether one is under way now (a drill
     * running holds its plan: the facility is not waiting for one to be planned) */
    s = pj_db_prepare(c->db,
                      "SELECT (SELECT id FROM drill_plans WHERE facility_id = ?1 AND scenario = ?2"
                      " AND state = 'planned' AND conversion_id IS NULL ORDER BY planned_date, id"
                      " LIMIT 1), (SELECT planned_date FROM drill_plans WHERE facility_id = ?1 AND"
                      " scenario = ?2 AND state = 'planned' AND conversion_id IS NULL ORDER BY"
                      " planned_date, id LIMIT 1), (SELECT id FROM conversions WHERE facility_id ="
                      " ?1 AND scenario = ?2 AND mode = 'drill' AND state = 'running' ORDER BY id"
                      " DESC LIMIT 1)",
                      err);
    if (!s) return -1;
    for (int i = 0; i < nm; i++) {
        if (mans[i].last_drill && mans[i].last_drill >= cutoff) continue;
        pj_jw_obj(w);
        pj_jw_kint(w, "manual_id", mans[i].id);
        pj_jw_kint(w, "facility_id", mans[i].fid);
        pj_jw_kstr(w, "facility_name", mans[i].name);
        if (mans[i].last_drill)
            pj_render_time(w, "last_drill_at", mans[i].last_drill);
        else
            pj_jw_knull(w, "last_drill_at");
        pj_stmt_int(s, 1, mans[i].fid);
        pj_stmt_text(s, 2, scenario);
        rc = pj_stmt_step(s, err);
        if (rc == 1) {
            pj_render_ref(w, "drill_plan_id", s, 0);
            pj_render_text(w, "planned_date", s, 1);
            pj_render_ref(w, "running_drill_id", s, 2);
        }
        pj_stmt_done(s);
        if (rc < 0) return -1;
        pj_jw_obj_end(w);
    }
    pj_jw_arr_end(w);

    /* supplies: days of supply for the affected population, and Beijing's share */
    int64_t affected = population > 0 ? population : district_pop;
    double bj_pop = pj_du_setting(c, "beijing_population", 21858000);
    double bj_share = pj_du_setting(c, "beijing_supply_share", 1.0 / 3);
    pj_jw_kint(w, "affected_population", affected);
    pj_jw_key(w, "supplies");
    pj_jw_arr(w);
    s = pj_db_prepare(c->db,
                      "SELECT k.code, k.name, k.unit, k.per_person_day,"
                      " COALESCE((SELECT SUM(l.quantity) FROM stock_lines l WHERE l.category ="
                      " k.code AND (l.expiry IS NULL OR l.expiry >= ?)), 0),"
                      " COALESCE((SELECT SUM(l.quantity) FROM stock_lines l WHERE l.category ="
                      " k.code AND l.expiry < ?), 0) FROM supply_categories k ORDER BY k.code",
                      err);
    if (!s) return -1;
    int64_t expired_before = pj_stock_expired_before(pj_now());
    pj_stmt_int(s, 1, expired_before);
    pj_stmt_int(s, 2, expired_before);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        double ppd = pj_col_double(s, 3), qty = pj_col_double(s, 4);
        double days = affected && ppd > 0 ? qty / ((double)affected * ppd) : 0;
        double bj_days = bj_pop > 0 && ppd > 0 ? qty / (bj_pop * bj_share * ppd) : 0;
        pj_jw_obj(w);
        pj_render_text(w, "category", s, 0);
        pj_render_text(w, "name", s, 1);
        pj_render_text(w, "unit", s, 2);
        pj_jw_knum(w, "per_person_day", ppd);
        pj_jw_knum(w, "quantity", qty);
        pj_jw_knum(w, "expired_quantity", pj_col_double(s, 5));
        pj_jw_knum(w, "days_of_supply", round(days * 10) / 10);
        pj_jw_knum(w, "beijing_share_days", round(bj_days * 100) / 100);
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_arr_end(w);
    pj_jw_key(w, "beijing_supply_target");
    pj_jw_obj(w);
    pj_jw_knum(w, "population", bj_pop);
    pj_jw_knum(w, "share", bj_share);
    pj_jw_kstr(w, "note",
               "Pinggu aims to supply one third of Beijing's agricultural products in"
               " an emergency; beijing_share_days is how many days the district's"
               " stock covers that share");
    pj_jw_obj_end(w);
    pj_jw_obj_end(w);
    return 0;
}
