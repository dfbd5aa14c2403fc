/* Eldercare demo data: synthetic elders (≈ 33 % of rural residents in the seed: 99,000),
 * helpers (one per five elders), village and township centres, pairings made by the solver,
 * a month of service logs with their time credits, and the alerts of a scan. All labelled
 * source = 'synthetic'. Deterministic for a seed. Runs inside the demo's transaction. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algo/algo.h"
#include "core/util.h"
#include "db/next_id.h"
#include "domain/elder_int.h"

#include "core/banned.h"

#define DEFAULT_ELDERS 99000

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄",
                                       "周", "吴", "徐", "孙", "马", "胡", "郭", "何"};
static const char *const given_f[] = {"秀兰", "桂英", "玉兰", "淑珍", "凤英",
                                      "桂兰", "秀英", "玉珍", "素芬", "丽华"};
static const char *const given_m[] = {"建国", "国庆", "德福", "志强", "长顺",
                                      "宝山", "文华", "永祥", "守义", "明亮"};
static const char *const chronic[] = {"[]",           "[\"高血压\"]",
                                      "[\"糖尿病\"]", "[\"高血压\",\"糖尿病\"]",
                                      "[\"冠心病\"]", "[\"慢阻肺\"]"};

typedef struct grid {
    int64_t id, village, town;
    double lat, lon;
    int64_t pop;
} grid;

static int step(pj_stmt *s, pj_err *err, int64_t *id)
{
    int rc = pj_stmt_step(s, err);
    if (rc == 1 && id) *id = pj_col_int(s, 0);
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

static void person_id(char out[19], int64_t birth_day, int seq, int male)
{
    char d[11];
    pj_el_date(birth_day, d);
    int s = (seq % 500) * 2 + (male ? 1 : 0);
    snprintf(out, 19, "110117%.4s%.2s%.2s%03d", d, d + 5, d + 8, s % 1000);
    out[17] = pj_id_check_char(out);
    out[18] = 0;
}

/* An elder's age: 60–95, more of the younger, as a rural district's over-60s are (the share of
 * each five years of age, the last band 90–95), drawn from its own stream of the demo's seed
 * so that the other draws (names, needs, pairs, logs) stay as they were. Returns the days
 * between birth and today: over 60 whole years (60 years hold at most 21,915 days) and under
 * 96 (96 years hold at least 35,063). */
#define AGE_DAYS_MIN 21916
#define AGE_DAYS_MAX 35062
static int64_t age_days(uint64_t *rng)
{
    static const int from[] = {60, 65, 70, 75, 80, 85, 90, 96};
    static const uint32_t share[] = {28, 26, 17, 12, 8, 6, 3}; /* % */
    uint32_t u = pj_rng_below(rng, 100);
    int b = 0;
    while (b < 6 && u >= share[b]) u -= share[b++];
    int64_t lo = (int64_t)(from[b] * 365.2425) + 1, hi = (int64_t)(from[b + 1] * 365.2425) - 1;
    int64_t d = lo + (int64_t)pj_rng_below(rng, (uint32_t)(hi - lo + 1));
    return d < AGE_DAYS_MIN ? AGE_DAYS_MIN : d > AGE_DAYS_MAX ? AGE_DAYS_MAX : d;
}

static void name_of(uint64_t *rng, int male, char *out, size_t n)
{
    /* the given name drawn first, the surname after (a fixed order: arguments are evaluated
     * in an order of the compiler's, and the same seed made another demo with another one) */
    uint32_t g = pj_rng_below(rng, 10), sn = pj_rng_below(rng, 16);
    snprintf(out, n, "%s%s", surnames[sn], male ? given_m[g] : given_f[g]);
}

/* One demo service log of `mins` minutes from t_in, recorded by grid01: with a helper (0: none,
 * a meal of the family's or a canteen's), credited to the helper's account in one balanced
 * transaction; left out (*logged 0) when the helper is logged elsewhere then (a helper is in
 * one place at a time, the rule of POST /service-logs). */
static int demo_log(pj_ctx *c, int64_t elder, int64_t helper, int64_t helper_acc, int64_t issue,
                    const grid *gg, const char *kind, int64_t t_in, int mins, int *logged,
                    pj_err *err)
{
    int64_t t_out = t_in + mins * 60, txn = 0, log = 0;
    *logged = 0;
    pj_stmt *s;
    if (helper) {
        s = pj_db_prepare(c->db,
                          "SELECT EXISTS (SELECT 1 FROM elder_service_logs WHERE helper_id = ?"
                          " AND time_in < ? AND time_out > ?)",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, helper);
        pj_stmt_int(s, 2, t_out);
        pj_stmt_int(s, 3, t_in);
        int64_t busy = 0;
        if (step(s, err, &busy)) return -1;
        if (busy) return 0;
        s = pj_db_prepare(c->db,
                          "INSERT INTO credit_txns (kind, at, note, created_by)"
                          " VALUES ('earn', ?, ?, 'demo') RETURNING id",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, t_out);
        pj_stmt_text(s, 2, kind);
        if (step(s, err, &txn)) return -1;
        for (int side = 0; side < 2; side++) {
            s = pj_db_prepare(c->db,
                              "INSERT INTO credit_entries (txn_id, account_id, amount_min,"
                              " at) VALUES (?,?,?,?)",
                              err);
            if (!s) return -1;
            pj_stmt_int(s, 1, txn);
            pj_stmt_int(s, 2, side ? helper_acc : issue);
            pj_stmt_int(s, 3, side ? mins : -mins);
            pj_stmt_int(s, 4, t_out);
            if (step(s, err, NULL)) return -1;
        }
    }
    s = pj_db_prepare(c->db,
                      "INSERT INTO elder_service_logs (elder_id, helper_id, kind, time_in,"
                      " time_out, minutes, recorded_by, grid_id, village_id, township_id,"
                      " credit_txn_id, source, created_at)"
                      " VALUES (?,?,?,?,?,?,'grid01',?,?,?,?,'synthetic',?) RETURNING id",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, elder);
    if (helper)
        pj_stmt_int(s, 2, helper);
    else
        pj_stmt_null(s, 2);
    pj_stmt_text(s, 3, kind);
    pj_stmt_int(s, 4, t_in);
    pj_stmt_int(s, 5, t_out);
    pj_stmt_int(s, 6, mins);
    pj_stmt_int(s, 7, gg->id);
    pj_stmt_int(s, 8, gg->village);
    pj_stmt_int(s, 9, gg->town);
    if (txn)
        pj_stmt_int(s, 10, txn);
    else
        pj_stmt_null(s, 10);
    pj_stmt_int(s, 11, t_out);
    if (step(s, err, &log)) return -1;
    if (txn) {
        s = pj_db_prepare(c->db, "UPDATE credit_txns SET log_id = ? WHERE id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, log);
        pj_stmt_int(s, 2, txn);
        if (step(s, err, NULL)) return -1;
    }
    *logged = 1;
    return 0;
}

int pj_eldercare_demo(pj_ctx *c, uint64_t seed, pj_err *err)
{
    return pj_eldercare_demo_sized(c, seed, 0, err);
}

int pj_eldercare_demo_sized(pj_ctx *c, uint64_t seed, int n_elders, pj_err *err)
{
    if (n_elders <= 0) {
        const char *env = getenv("PINGJI_DEMO_ELDERS");
        int64_t v;
        n_elders =
            env && !pj_parse_i64(env, &v) && v >= 0 && v <= 1000000 ? (int)v : DEFAULT_ELDERS;
    }
    int64_t existing;
    if (pj_el_int(c, "SELECT COUNT(*) FROM elders WHERE id > ?", 0, 0, &existing, err)) return -1;
    if (existing || n_elders == 0) return 0;
    uint64_t rng = seed ^ 0x5eed0e1de7ULL;
    int64_t now = pj_now(), today = pj_el_today(c, now);
    /* grids with their population */
    int64_t ng;
    if (pj_el_int(c, "SELECT COUNT(*) FROM regions WHERE type = 'grid' AND id > ?", 0, 0, &ng, err))
        return -1;
    if (!ng) return 0;
    grid *gs = calloc((size_t)ng, sizeof *gs);
    int *g_elders = calloc((size_t)ng, sizeof(int));
    int nh_total = n_elders / 5;
    pj_pair_helper *ph = calloc((size_t)nh_total + 1, sizeof *ph);
    pj_pair_elder *pe = calloc((size_t)n_elders + 1, sizeof *pe);
    int64_t *hid = calloc((size_t)nh_total + 1, sizeof *hid),
            *eid = calloc((size_t)n_elders + 1, sizeof *eid);
    int64_t *hacc = calloc((size_t)nh_total + 1, sizeof *hacc),
            *hbal = calloc((size_t)nh_total + 1, sizeof *hbal);
    char *etier = calloc((size_t)n_elders + 1, 1), *emeal = calloc((size_t)n_elders + 1, 1);
    char *eown = calloc((size_t)n_elders + 1, 1); /* the meal days of those not a helper's */
    char(*hname)[32] = calloc((size_t)nh_total + 1, sizeof *hname); /* for the pairs' reasons */
    int *born = calloc(AGE_DAYS_MAX + 1, sizeof *born); /* elders born each day before today */
    int64_t *egrid = calloc((size_t)n_elders + 1, sizeof *egrid);
    int rc = -1;
    pj_pair_result pr = {0};
    if (!gs || !g_elders || !ph || !pe || !hid || !eid || !hacc || !hbal || !etier || !emeal ||
        !eown || !egrid || !hname || !born) {
        pj_fail(err, 500, "internal", "", "out of memory");
        goto out;
    }
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT g.id, v.id, v.parent_id, g.lat, g.lon, g.population"
                               " FROM regions g JOIN regions v ON v.id = g.parent_id"
                               " WHERE g.type = 'grid' ORDER BY g.id",
                               err);
    if (!s) goto out;
    int n = 0, r;
    int64_t pop = 0;
    while ((r = pj_stmt_step(s, err)) == 1 && n < ng) {
        gs[n] = (grid){pj_col_int(s, 0),    pj_col_int(s, 1),    pj_col_int(s, 2),
                       pj_col_double(s, 3), pj_col_double(s, 4), pj_col_int(s, 5) + 1};
        pop += gs[n++].pop;
    }
    pj_stmt_done(s);
    if (r < 0) goto out;
    ng = n;
    /* elders per grid, proportional to the residents (largest remainders are not needed) */
    int placed = 0;
    for (int g = 0; g < ng; g++) {
        g_elders[g] = (int)((double)n_elders * (double)gs[g].pop / (double)pop);
        placed += g_elders[g];
    }
    for (int k = 0; placed < n_elders; k++, placed++) g_elders[k % ng]++;
    char day[11], name[32], idn[19], phone[16], ec[160];
    int e = 0;
    /* ages 60–95 (age_days); an ID number is the birth date and a sequence of that day (the
     * elders' 0–249, the helpers' from 250 on): distinct (birth date, sequence) pairs keep the
     * numbers unique, a day whose sequences are all taken passes the elder to the next one */
    uint64_t age_rng = seed ^ 0xa9e5b1a7d0c3ULL;
    for (int g = 0; g < ng; g++) {
        for (int k = 0; k < g_elders[g]; k++, e++) {
            int male = (int)pj_rng_below(&rng, 100) < 46;
            int64_t ago = age_days(&age_rng);
            /* the nearest day with a sequence left, the younger first, within 60–95 (a day
             * holds 250 elders: a million elders fill none) */
            for (int64_t j = 1, at = ago; born[ago] >= 250 && j <= 2 * AGE_DAYS_MAX; j++) {
                int64_t d = at + (j % 2 ? -(j + 1) / 2 : j / 2);
                if (d >= AGE_DAYS_MIN && d <= AGE_DAYS_MAX && born[d] < 250) ago = d;
            }
            if (born[ago] >= 250) {
                pj_fail(err, 500, "internal", "", "too many demo elders for their ID numbers");
                goto out;
            }
            int64_t birth = today - ago;
            person_id(idn, birth, born[ago]++, male);
            name_of(&rng, male, name, sizeof name);
            snprintf(phone, sizeof phone, "13%09u", (unsigned)pj_rng_below(&rng, 1000000000u));
            int alone = pj_rng_below(&rng, 100) < 12, nest = !alone && pj_rng_below(&rng, 100) < 35;
            int dis = pj_rng_below(&rng, 100) < 6;
            uint32_t a = pj_rng_below(&rng, 100);
            int ability = a < 60 ? 0 : a < 80 ? 1 : a < 90 ? 2 : a < 96 ? 3 : 4;
            uint32_t m = pj_rng_below(&rng, 100);
            const char *meal = m < 55 ? "none" : m < 80 ? "family" : m < 90 ? "canteen" : "helper";
            int mdays = m < 55 ? 0 : 5 + (int)pj_rng_below(&rng, 3);
            const char *tier = pj_visit_tier_suggest(alone, nest, dis, ability);
            double lat = gs[g].lat + (pj_rng_unit(&rng) - 0.5) * 0.008,
                   lon = gs[g].lon + (pj_rng_unit(&rng) - 0.5) * 0.010;
            unsigned cph = (unsigned)pj_rng_below(&rng, 1000000000u); /* in this order */
            uint32_t gm = pj_rng_below(&rng, 10), sn = pj_rng_below(&rng, 16);
            snprintf(ec, sizeof ec,
                     "[{\"name\":\"%s%s\",\"relation\":\"child\",\"phone\":\"13%09u\"}]",
                     surnames[sn], given_m[gm], cph);
            s = pj_db_prepare(
                c->db,
                "INSERT INTO elders (name, sex, birth_date, id_number, phone, household, grid_id,"
                " village_id, township_id, lat, lon, living_alone, empty_nest, disabled,"
                " ability_level, chronic_conditions, doctor_name, doctor_clinic, doctor_from,"
                " doctor_until, emergency_contacts, meal_provider, meal_days, visit_tier,"
                " help_needed, status, source, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'active','synthetic',"
                "?,?) RETURNING id",
                err);
            if (!s) goto out;
            pj_el_date(birth, day);
            pj_stmt_text(s, 1, name);
            pj_stmt_text(s, 2, male ? "M" : "F");
            pj_stmt_text(s, 3, day);
            pj_stmt_text(s, 4, idn);
            pj_stmt_text(s, 5, phone);
            char hh[24];
            snprintf(hh, sizeof hh, "%d号", 1 + (int)pj_rng_below(&rng, 300));
            pj_stmt_text(s, 6, hh);
            pj_stmt_int(s, 7, gs[g].id);
            pj_stmt_int(s, 8, gs[g].village);
            pj_stmt_int(s, 9, gs[g].town);
            pj_stmt_double(s, 10, lat);
            pj_stmt_double(s, 11, lon);
            pj_stmt_int(s, 12, alone);
            pj_stmt_int(s, 13, nest);
            pj_stmt_int(s, 14, dis);
            pj_stmt_int(s, 15, ability);
            pj_stmt_text(s, 16, chronic[pj_rng_below(&rng, 6)]);
            uint32_t d = pj_rng_below(&rng, 100);
            if (d < 75) {
                /* 70 % in force, 5 % expired */
                int64_t until = d < 70 ? today + 30 + (int64_t)pj_rng_below(&rng, 330)
                                       : today - 1 - (int64_t)pj_rng_below(&rng, 60);
                char du[11], df[11];
                pj_el_date(until, du);
                pj_el_date(until - 365, df);
                pj_stmt_text(s, 17, male ? "赵医生" : "孙医生");
                pj_stmt_text(s, 18, "乡镇社区卫生服务中心");
                pj_stmt_text(s, 19, df);
                pj_stmt_text(s, 20, du);
            }
            pj_stmt_text(s, 21, ec);
            pj_stmt_text(s, 22, meal);
            pj_stmt_int(s, 23, mdays);
            pj_stmt_text(s, 24, tier);
            int needs = PJ_SKILL_COMPANIONSHIP | (!strcmp(meal, "helper") ? PJ_SKILL_MEALS : 0);
            pj_stmt_int(s, 25, needs);
            pj_stmt_int(s, 26, now - 60 * 86400);
            pj_stmt_int(s, 27, now - 60 * 86400);
            if (step(s, err, &eid[e])) goto out;
            pe[e] = (pj_pair_elder){lat, lon, gs[g].village, needs, 0, gs[g].town};
            etier[e] = tier[0];
            emeal[e] = !strcmp(meal, "helper") ? (char)mdays : 0;
            eown[e] = strcmp(meal, "helper") && strcmp(meal, "none") ? (char)mdays : 0;
            egrid[e] = g;
        }
    }
    /* helpers: one per five elders, where the elders are */
    int h = 0, cum = 0;
    for (int g = 0; g < ng && h < nh_total; g++) {
        int want = (cum + g_elders[g]) / 5 - cum / 5; /* one per five elders, carried over */
        cum += g_elders[g];
        for (int k = 0; k < want && h < nh_total; k++, h++) {
            int male = pj_rng_below(&rng, 100) < 40;
            /* aged 35 to 73 — mutual aid is mostly the younger elders' and their neighbours' —
             * spread over the helpers in any order (h times a number prime to the span: each
             * birth date once per span, so distinct (birth date, sequence) pairs keep the
             * numbers unique); they were all 25 or 26 in the first five hundred, none over 38 */
            int64_t span = 38 * 365;
            int64_t birth = today - 35 * 366 - ((int64_t)h * 7919) % span;
            person_id(idn, birth, 250 + (int)(h / span), male);
            name_of(&rng, male, name, sizeof name);
            snprintf(phone, sizeof phone, "15%09u", (unsigned)pj_rng_below(&rng, 1000000000u));
            int skills = PJ_SKILL_COMPANIONSHIP;
            if (pj_rng_below(&rng, 100) < 10) skills &= ~PJ_SKILL_COMPANIONSHIP;
            if (pj_rng_below(&rng, 100) < 40) skills |= PJ_SKILL_MEALS;
            if (pj_rng_below(&rng, 100) < 30) skills |= PJ_SKILL_CLEANING;
            if (pj_rng_below(&rng, 100) < 25) skills |= PJ_SKILL_ESCORT;
            if (pj_rng_below(&rng, 100) < 5) skills |= PJ_SKILL_NURSING;
            if (!skills) skills = PJ_SKILL_CLEANING;
            int cap = 3 + (int)pj_rng_below(&rng, 4);
            double lat = gs[g].lat + (pj_rng_unit(&rng) - 0.5) * 0.008,
                   lon = gs[g].lon + (pj_rng_unit(&rng) - 0.5) * 0.010;
            s = pj_db_prepare(c->db,
                              "INSERT INTO helpers (name, sex, birth_date, id_number, phone,"
                              " grid_id, village_id, township_id, lat, lon, skills, availability,"
                              " capacity, source, created_at, updated_at)"
                              " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,'synthetic',?,?) RETURNING id",
                              err);
            if (!s) goto out;
            pj_el_date(birth, day);
            pj_stmt_text(s, 1, name);
            pj_stmt_text(s, 2, male ? "M" : "F");
            pj_stmt_text(s, 3, day);
            pj_stmt_text(s, 4, idn);
            pj_stmt_text(s, 5, phone);
            pj_stmt_int(s, 6, gs[g].id);
            pj_stmt_int(s, 7, gs[g].village);
            pj_stmt_int(s, 8, gs[g].town);
            pj_stmt_double(s, 9, lat);
            pj_stmt_double(s, 10, lon);
            pj_stmt_int(s, 11, skills);
            pj_stmt_text(s, 12, pj_rng_below(&rng, 2) ? "工作日上午" : "每天下午");
            pj_stmt_int(s, 13, cap);
            pj_stmt_int(s, 14, now - 60 * 86400);
            pj_stmt_int(s, 15, now - 60 * 86400);
            if (step(s, err, &hid[h])) goto out;
            snprintf(hname[h], sizeof hname[h], "%s", name);
            s = pj_db_prepare(c->db,
                              "INSERT INTO credit_accounts (owner_kind, owner_id, name)"
                              " VALUES ('helper', ?, ?) RETURNING id",
                              err);
            if (!s) goto out;
            pj_stmt_int(s, 1, hid[h]);
            pj_stmt_text(s, 2, name);
            if (step(s, err, &hacc[h])) goto out;
            ph[h] = (pj_pair_helper){lat,       lon, gs[g].village, skills, cap, male ? 'M' : 'F',
                                     gs[g].town};
        }
    }
    int nh = h;
    /* centres: one per village (age-friendly renovation under way), one per township */
/* their ids: the next one and the ones after it, one per centre */
#define CENTRE_IDS PJ_NEXT_ID("elder_centres") " - 1 + ROW_NUMBER() OVER (ORDER BY r.id)"
    s = pj_db_prepare(c->db,
                      "INSERT INTO elder_centres (id, kind, name, region_id, township_id, lat, lon,"
                      " status, checklist, capacity, occupancy, source, created_at, updated_at)"
                      " SELECT " CENTRE_IDS ", CASE r.type WHEN 'township' THEN 'township' ELSE"
                      " 'village' END,"
                      " r.name || CASE r.type WHEN 'township' THEN '区域养老服务中心' ELSE"
                      " '互助养老点' END, r.id, CASE r.type WHEN 'township' THEN r.id ELSE"
                      " r.parent_id END, r.lat, r.lon, CASE r.id % 4 WHEN 0 THEN 'renovating'"
                      " ELSE 'open' END, CASE r.id % 3 WHEN 0 THEN '{\"handrails\":true,"
                      "\"step_free_entrance\":true}' WHEN 1 THEN '{\"handrails\":true,"
                      "\"step_free_entrance\":true,\"accessible_toilet\":true,\"emergency_call\":"
                      "true,\"non_slip_floor\":true,\"grab_bars\":true,\"night_lighting\":true,"
                      "\"wheelchair_access\":true}' ELSE '{\"emergency_call\":true}' END,"
                      " CASE r.type WHEN 'township' THEN 60 + r.id % 140 ELSE 20 END,"
                      " CASE r.type WHEN 'township' THEN (60 + r.id % 140) * 7 / 10 ELSE 0 END,"
                      " 'synthetic', ?, ? FROM regions r WHERE r.type IN ('township', 'village')",
                      err);
#undef CENTRE_IDS
    if (!s) goto out;
    pj_stmt_int(s, 1, now - 60 * 86400);
    pj_stmt_int(s, 2, now - 60 * 86400);
    if (step(s, err, NULL)) goto out;
    /* pairing by the solver, as an accepted run of the district would leave it */
    double walk = pj_el_setting(c, "elder_walk_km", 2) * 1000.0;
    pj_pair_problem p = {nh,
                         n_elders,
                         ph,
                         pe,
                         walk,
                         (int64_t)pj_el_setting(c, "elder_pair_other_village_m", 800),
                         pj_pair_candidates_setting(c)};
    if (pj_pair_solve(&p, &pr)) {
        pj_fail(err, 500, "internal", "", "pairing failed");
        goto out;
    }
    char start[11], walk_km[32], reason[400];
    pj_el_date(today - 45, start);
    snprintf(walk_km, sizeof walk_km, "%.1f", walk / 1000.0);
    for (int i = 0; i < n_elders; i++) {
        int hh = pr.helper_of[i];
        if (hh < 0 || pj_rng_below(&rng, 100) < 3) continue; /* a few proposals were rejected */
        s = pj_db_prepare(c->db,
                          "INSERT INTO elder_pairs (elder_id, helper_id, start_date, distance_m,"
                          " reason, created_by, created_at) VALUES (?,?,?,?,?,'demo',?)",
                          err);
        if (!s) goto out;
        /* the reason the solver's run gives a proposal (accepted here), in its words: the
         * console says it in its language (a text of the demo's own was shown raw) */
        int same = ph[hh].village_id == pe[i].village_id;
        int64_t dist = pr.cost[i] - (same ? 0 : p.other_village_m);
        pj_el_pair_reason(reason, sizeof reason, hname[hh], dist, same,
                          pj_el_skills_text(c, pe[i].needs), pe[i].sex_pref, pr.rank[i],
                          pr.n_candidates[i], walk_km);
        pj_stmt_int(s, 1, eid[i]);
        pj_stmt_int(s, 2, hid[hh]);
        pj_stmt_text(s, 3, start);
        pj_stmt_int(s, 4, dist);
        pj_stmt_text(s, 5, reason);
        pj_stmt_int(s, 6, now - 45 * 86400);
        if (step(s, err, NULL)) goto out;
    }
    /* a month of service logs: companionship visits per tier, meals for those whose helper
     * brings them, each credited to the helper (one balanced transaction per log); a week of
     * the family's and canteens' meals */
    int64_t issue;
    if (pj_el_int(c, "SELECT id FROM credit_accounts WHERE owner_kind = 'system' AND owner_id = ?",
                  1, 0, &issue, err))
        goto out;
    int64_t tz = (int64_t)pj_el_setting(c, "elder_tz_offset_min", 480) * 60;
    uint64_t mrng = seed ^ 0x3ea15ULL; /* the meals below, a stream of their own */
    for (int i = 0; i < n_elders; i++) {
        int hh = pr.helper_of[i];
        const grid *gg = &gs[egrid[i]];
        int64_t last = 0;
        int logged;
        /* meals served by the family or a canteen, checked by the grid worker: the last week
         * and today until now, a day in fifty missed; then today's meals of the helpers who
         * bring them (their month before is below) */
        int own = eown[i], brings = emeal[i] && hh >= 0 && (ph[hh].skills & PJ_SKILL_MEALS);
        for (int64_t d = today - (own ? 7 : 0); (own || brings) && d <= today; d++) {
            if ((int)((d + 3) % 7) >= (own ? own : emeal[i])) continue;
            if (own && pj_rng_below(&mrng, 50) == 0) continue;
            int64_t t_in = d * 86400 - tz + 10 * 3600 + 60 * (int64_t)pj_rng_below(&mrng, 105);
            int mins = 15 + (int)pj_rng_below(&mrng, 16);
            /* a helper's round: a meal meeting another of the helper's goes a quarter of an
             * hour later, up to 11:45 */
            logged = 0;
            for (; t_in + mins * 60 <= now && t_in <= d * 86400 - tz + 11 * 3600 + 45 * 60;
                 t_in += 15 * 60) {
                if (demo_log(c, eid[i], own ? 0 : hid[hh], own ? 0 : hacc[hh], issue, gg, "meal",
                             t_in, mins, &logged, err))
                    goto out;
                if (logged) break;
            }
            if (logged && !own) hbal[hh] += mins;
        }
        if (hh < 0) continue;
        int every = etier[i] == 'h' ? 7 : etier[i] == 'k' ? 30 : 90;
        int visits = 30 / every + (pj_rng_below(&rng, (uint32_t)every) < (uint32_t)(30 % every));
        int meals = emeal[i] && (ph[hh].skills & PJ_SKILL_MEALS) ? 30 : 0;
        for (int k = 0; k < visits + meals; k++) {
            int visit = k < visits;
            int64_t d =
                today - 1 -
                (visit ? (int64_t)k * every + pj_rng_below(&rng, 3) : (int64_t)(k - visits));
            if (visit && d < today - 30) d = today - 1 - (int64_t)pj_rng_below(&rng, 30);
            if (!visit && (int)((d + 3) % 7) >= emeal[i]) continue;
            int64_t t_in = d * 86400 - tz +
                           (visit ? (9 + (int64_t)pj_rng_below(&rng, 8)) * 3600
                                  : 10 * 3600 + 60 * (int64_t)pj_rng_below(&rng, 150));
            int mins = visit ? 30 + (int)pj_rng_below(&rng, 61) : 15 + (int)pj_rng_below(&rng, 16);
            int64_t t_out = t_in + mins * 60;
            if (demo_log(c, eid[i], hid[hh], hacc[hh], issue, gg, visit ? "companionship" : "meal",
                         t_in, mins, &logged, err))
                goto out;
            if (!logged) continue;
            hbal[hh] += mins;
            if (visit && t_out > last) last = t_out;
        }
        if (last) {
            s = pj_db_prepare(c->db, "UPDATE elders SET last_visit_at = ? WHERE id = ?", err);
            if (!s) goto out;
            pj_stmt_int(s, 1, last);
            pj_stmt_int(s, 2, eid[i]);
            if (step(s, err, NULL)) goto out;
        }
    }
    int64_t issued = 0;
    for (int k = 0; k < nh; k++) {
        if (!hbal[k]) continue;
        issued += hbal[k];
        s = pj_db_prepare(c->db, "UPDATE credit_accounts SET balance_min = ? WHERE id = ?", err);
        if (!s) goto out;
        pj_stmt_int(s, 1, hbal[k]);
        pj_stmt_int(s, 2, hacc[k]);
        if (step(s, err, NULL)) goto out;
    }
    s = pj_db_prepare(c->db, "UPDATE credit_accounts SET balance_min = ? WHERE id = ?", err);
    if (!s) goto out;
    pj_stmt_int(s, 1, -issued);
    pj_stmt_int(s, 2, issue);
    if (step(s, err, NULL)) goto out;
    /* the alerts a scan at this morning's 11:00 would raise (before today's meal cut-off),
     * or a scan now when the demo is built before 11:00: never raised in the future (the
     * scan would pass them over until then) */
    int counts[PJ_EL_SCAN_COUNTS];
    int64_t scan_at = today * 86400 - tz + 11 * 3600;
    if (scan_at > now) scan_at = now;
    if (pj_el_alert_scan_tx(c, scan_at, counts, err)) goto out;
    rc = 0;
out:
    pj_pair_result_free(&pr);
    free(gs), free(g_elders), free(ph), free(pe), free(hid), free(eid), free(hacc), free(hbal);
    free(etier), free(emeal), free(eown), free(egrid), free(hname), free(born);
    return rc;
}
