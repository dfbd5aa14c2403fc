/* Pairing: the solver against brute force on tiny instances; a pairing run over the API
 * (proposals with reasons, accept, edit, reject, kept pairs, history). */
#include <math.h>
#include <stdlib.h>

#include "algo/algo.h"
#include "algo/assign.h"
#include "core/util.h"
#include "eldercare/el_fixture.h"

/* Exhaustive: every elder to one allowed helper or none, capacities respected; the best is
 * the most pairs, then the least cost. */
static void brute(const pj_pair_problem *p, int e, int *load, int pairs, int64_t cost,
                  int *best_pairs, int64_t *best_cost)
{
    if (e == p->n_elders) {
        if (pairs > *best_pairs || (pairs == *best_pairs && cost < *best_cost))
            *best_pairs = pairs, *best_cost = cost;
        return;
    }
    brute(p, e + 1, load, pairs, cost, best_pairs, best_cost);
    for (int h = 0; h < p->n_helpers; h++) {
        int64_t c = pj_pair_cost(p, h, e);
        if (c < 0 || load[h] >= p->helpers[h].cap) continue;
        load[h]++;
        brute(p, e + 1, load, pairs + 1, cost + c, best_pairs, best_cost);
        load[h]--;
    }
}

TEST(elder_pairing_equals_brute_force)
{
    uint64_t rng = 42;
    for (int round = 0; round < 400; round++) {
        int nh = 1 + (int)pj_rng_below(&rng, 4), ne = 1 + (int)pj_rng_below(&rng, 6);
        pj_pair_helper h[4];
        pj_pair_elder el[6];
        for (int i = 0; i < nh; i++)
            h[i] = (pj_pair_helper){
                40.1 + pj_rng_unit(&rng) * 0.03,    117.1 + pj_rng_unit(&rng) * 0.03,
                1 + (int64_t)pj_rng_below(&rng, 2), (int)pj_rng_below(&rng, 32),
                (int)pj_rng_below(&rng, 3),         pj_rng_below(&rng, 2) ? 'F' : 'M'};
        for (int i = 0; i < ne; i++)
            el[i] =
                (pj_pair_elder){40.1 + pj_rng_unit(&rng) * 0.03, 117.1 + pj_rng_unit(&rng) * 0.03,
                                1 + (int64_t)pj_rng_below(&rng, 2),
                                1 << pj_rng_below(&rng, 5) | (pj_rng_below(&rng, 2) ? 8 : 0),
                                pj_rng_below(&rng, 3) == 0 ? 'F' : 0};
        /* a helper an officer refused for some elders (a proposal rejected by name) */
        int refused[6];
        for (int i = 0; i < ne; i++)
            if (pj_rng_below(&rng, 3) == 0) {
                refused[i] = (int)pj_rng_below(&rng, (uint64_t)nh);
                el[i].refused = &refused[i];
                el[i].n_refused = 1;
            }
        pj_pair_problem p = {nh, ne, h, el, 2000.0, 800, round % 2 ? 0 : 2};
        if (p.candidates) continue; /* limited candidate sets: elder_pairing_limited_candidates */
        pj_pair_result r;
        CHECK_INT(pj_pair_solve(&p, &r), 0);
        int load[4] = {0}, bp = 0;
        int64_t bc = INT64_MAX;
        brute(&p, 0, load, 0, 0, &bp, &bc);
        if (r.n_paired != bp || (bp && r.total_cost != bc))
            t_fail(__FILE__, __LINE__, "round %d: solver %d pairs cost %lld, brute %d cost %lld",
                   round, r.n_paired, (long long)r.total_cost, bp, (long long)bc);
        /* the solution itself is feasible and its cost adds up */
        int used[4] = {0};
        int64_t sum = 0;
        for (int e = 0; e < ne; e++) {
            if (r.helper_of[e] < 0) continue;
            int64_t c = pj_pair_cost(&p, r.helper_of[e], e);
            CHECK(c >= 0);
            CHECK_INT(c, r.cost[e]);
            CHECK(r.rank[e] >= 1 && r.rank[e] <= r.n_candidates[e]);
            sum += c;
            used[r.helper_of[e]]++;
        }
        CHECK_INT(sum, r.total_cost);
        for (int i = 0; i < nh; i++) CHECK(used[i] <= h[i].cap);
        pj_pair_result_free(&r);
    }
}

/* The K cheapest helpers of elder e (by cost, then index), as the solver keeps them; out has
 * room for every helper (at most 512). */
static int k_cheapest(const pj_pair_problem *p, int e, int K, int *out)
{
    int64_t cost[512];
    int n = 0;
    for (int h = 0; h < p->n_helpers && h < 512; h++) {
        int64_t c = pj_pair_cost(p, h, e);
        if (c < 0) continue;
        int j = n++;
        while (j > 0 && cost[j - 1] > c) {
            out[j] = out[j - 1], cost[j] = cost[j - 1];
            j--;
        }
        out[j] = h, cost[j] = c;
    }
    return n < K ? n : K;
}

static void brute_k(const pj_pair_problem *p, int (*allowed)[8], const int *na, int e, int *load,
                    int pairs, int64_t cost, int *best_pairs, int64_t *best_cost)
{
    if (e == p->n_elders) {
        if (pairs > *best_pairs || (pairs == *best_pairs && cost < *best_cost))
            *best_pairs = pairs, *best_cost = cost;
        return;
    }
    brute_k(p, allowed, na, e + 1, load, pairs, cost, best_pairs, best_cost);
    for (int k = 0; k < na[e]; k++) {
        int h = allowed[e][k];
        if (load[h] >= p->helpers[h].cap) continue;
        load[h]++;
        brute_k(p, allowed, na, e + 1, load, pairs + 1, cost + pj_pair_cost(p, h, e), best_pairs,
                best_cost);
        load[h]--;
    }
}

TEST(elder_pairing_limited_candidates)
{
    /* with `candidates` = K, the answer is the best pairing over each elder's K cheapest */
    uint64_t rng = 7;
    for (int round = 0; round < 300; round++) {
        int nh = 2 + (int)pj_rng_below(&rng, 6), ne = 1 + (int)pj_rng_below(&rng, 6);
        int K = 1 + (int)pj_rng_below(&rng, 3);
        pj_pair_helper h[8];
        pj_pair_elder el[6];
        for (int i = 0; i < nh; i++)
            h[i] = (pj_pair_helper){
                40.1 + pj_rng_unit(&rng) * 0.02,    117.1 + pj_rng_unit(&rng) * 0.02,
                1 + (int64_t)pj_rng_below(&rng, 2), 8 | (pj_rng_below(&rng, 3) ? 1 : 0),
                (int)pj_rng_below(&rng, 3),         pj_rng_below(&rng, 2) ? 'F' : 'M'};
        for (int i = 0; i < ne; i++)
            el[i] = (pj_pair_elder){
                40.1 + pj_rng_unit(&rng) * 0.02, 117.1 + pj_rng_unit(&rng) * 0.02,
                1 + (int64_t)pj_rng_below(&rng, 2), 8 | (pj_rng_below(&rng, 4) ? 0 : 1), 0};
        pj_pair_problem p = {nh, ne, h, el, 2000.0, 800, K};
        int allowed[6][8], na[6];
        for (int e = 0; e < ne; e++) na[e] = k_cheapest(&p, e, K, allowed[e]);
        pj_pair_result r;
        CHECK_INT(pj_pair_solve(&p, &r), 0);
        int load[8] = {0}, bp = 0;
        int64_t bc = INT64_MAX;
        brute_k(&p, allowed, na, 0, load, 0, 0, &bp, &bc);
        if (r.n_paired != bp || (bp && r.total_cost != bc))
            t_fail(__FILE__, __LINE__, "round %d: solver %d pairs cost %lld, brute %d cost %lld",
                   round, r.n_paired, (long long)r.total_cost, bp, (long long)bc);
        for (int e = 0; e < ne; e++)
            if (r.helper_of[e] >= 0) {
                int in = 0;
                for (int k = 0; k < na[e]; k++) in |= allowed[e][k] == r.helper_of[e];
                CHECK(in);
                CHECK_INT(r.helper_of[e], allowed[e][r.rank[e] - 1]);
            }
        pj_pair_result_free(&r);
    }
}

TEST(elder_pairing_counts_every_helper_within_the_walk)
{
    /* regression: helpers were looked up in cells as wide as the walk at the first elder's
     * latitude, so an elder further north (where a degree of longitude is shorter) missed a
     * helper just inside the walk east of it when it stood at the east edge of its cell */
    double k = M_PI / 180.0, R = 6371008.8;
    for (int j = 0; j < 200; j++) {
        double lon = 117.0 + j * (2000.0 / (R * k) / cos(40.0 * k)) / 200.0;
        pj_pair_elder el[2] = {{40.0, 117.0, 1, 8, 0}, {42.0, lon, 1, 8, 0}};
        pj_pair_helper h[1] = {{42.0, lon + 1999.0 / (R * k * cos(42.0 * k)), 1, 8, 1, 'F'}};
        pj_pair_problem p = {1, 2, h, el, 2000.0, 800, 16};
        CHECK(pj_pair_cost(&p, 0, 1) >= 0);
        pj_pair_result r;
        CHECK_INT(pj_pair_solve(&p, &r), 0);
        if (r.n_candidates[1] != 1 || r.helper_of[1] != 0)
            t_fail(__FILE__, __LINE__, "position %d: %d candidates, helper %d", j,
                   r.n_candidates[1], r.helper_of[1]);
        pj_pair_result_free(&r);
    }
    /* random spreads over two degrees of latitude, walks from none to 3 km: the candidates
     * counted are exactly the helpers pj_pair_cost allows */
    uint64_t rng = 11;
    static const double walks[] = {3000, 2000, 500, 1, 0};
    for (int round = 0; round < 40; round++) {
        enum { NH = 120, NE = 150 };
        pj_pair_helper h[NH];
        pj_pair_elder el[NE];
        double lat0 = 39.0 + 2 * pj_rng_unit(&rng), span = round % 2 ? 0.05 : 0.6;
        for (int i = 0; i < NH; i++)
            h[i] = (pj_pair_helper){
                lat0 + pj_rng_unit(&rng) * span,    117.0 + pj_rng_unit(&rng) * span,
                1 + (int64_t)pj_rng_below(&rng, 3), 8 | (int)pj_rng_below(&rng, 4),
                (int)pj_rng_below(&rng, 3),         pj_rng_below(&rng, 2) ? 'F' : 'M',
                (int64_t)pj_rng_below(&rng, 3)}; /* group 0: any */
        for (int i = 0; i < NE; i++) {
            el[i] = (pj_pair_elder){
                lat0 + pj_rng_unit(&rng) * span,    117.0 + pj_rng_unit(&rng) * span,
                1 + (int64_t)pj_rng_below(&rng, 3), 8 | (pj_rng_below(&rng, 3) ? 0 : 1),
                pj_rng_below(&rng, 4) ? 0 : 'F',    (int64_t)pj_rng_below(&rng, 3)};
        }
        pj_pair_problem p = {NH, NE, h, el, walks[round % 5], 800, 4};
        pj_pair_result r;
        CHECK_INT(pj_pair_solve(&p, &r), 0);
        for (int e = 0; e < NE; e++) {
            int n = 0;
            for (int i = 0; i < NH; i++) n += pj_pair_cost(&p, i, e) >= 0;
            if (n != r.n_candidates[e])
                t_fail(__FILE__, __LINE__, "round %d elder %d: %d candidates, %d within the walk",
                       round, e, r.n_candidates[e], n);
        }
        pj_pair_result_free(&r);
    }
}

TEST(elder_pairing_equals_min_cost_flow)
{
    /* larger instances, helpers scarce (long re-routings, elders left unpaired): the same
     * number of pairs and total cost as the general min-cost flow of algo/assign.h over the
     * same candidates */
    uint64_t rng = 5;
    for (int round = 0; round < 12; round++) {
        enum { NH = 150, NE = 900 };
        pj_pair_helper *h = calloc(NH, sizeof *h);
        pj_pair_elder *el = calloc(NE, sizeof *el);
        pj_assign_edge *ed = calloc((size_t)NH * NE, sizeof *ed);
        int *cap = calloc(NH, sizeof *cap), K = round % 3 == 0 ? 0 : 2 + round % 5;
        for (int i = 0; i < NH; i++) {
            h[i] = (pj_pair_helper){40.1 + pj_rng_unit(&rng) * 0.15,
                                    117.1 + pj_rng_unit(&rng) * 0.15,
                                    1 + (int64_t)pj_rng_below(&rng, 6),
                                    8 | (int)pj_rng_below(&rng, 2),
                                    (int)pj_rng_below(&rng, 5),
                                    pj_rng_below(&rng, 2) ? 'F' : 'M',
                                    round % 2 ? (int64_t)pj_rng_below(&rng, 3)
                                              : 0}; /* groups in odd rounds */
            cap[i] = h[i].cap;
        }
        for (int i = 0; i < NE; i++)
            el[i] = (pj_pair_elder){40.1 + pj_rng_unit(&rng) * 0.15,
                                    117.1 + pj_rng_unit(&rng) * 0.15,
                                    1 + (int64_t)pj_rng_below(&rng, 6),
                                    8 | (pj_rng_below(&rng, 5) ? 0 : 1),
                                    0,
                                    round % 2 ? (int64_t)pj_rng_below(&rng, 3) : 0};
        pj_pair_problem p = {NH, NE, h, el, 2000.0, 800, K};
        pj_pair_result r;
        CHECK_INT(pj_pair_solve(&p, &r), 0);
        int ne = 0, *best = calloc(NH, sizeof *best);
        for (int e = 0; e < NE; e++) {
            int n = k_cheapest(&p, e, K ? K : NH, best);
            for (int q = 0; q < n; q++)
                ed[ne++] = (pj_assign_edge){best[q], e, pj_pair_cost(&p, best[q], e)};
        }
        pj_assign_cap ac = {NH, NE, cap, ne, ed};
        pj_assign_cap_sol sol;
        CHECK_INT(pj_assign_cap_solve(&ac, NULL, &sol), PJ_ASSIGN_OK);
        if (r.n_paired != sol.n_assigned || r.total_cost != sol.cost)
            t_fail(__FILE__, __LINE__, "round %d (K %d): %d pairs cost %lld, flow %d cost %lld",
                   round, K, r.n_paired, (long long)r.total_cost, sol.n_assigned,
                   (long long)sol.cost);
        CHECK(r.n_paired < NE); /* scarce: some elders are left unpaired */
        int *used = calloc(NH, sizeof *used);
        for (int e = 0; e < NE; e++)
            if (r.helper_of[e] >= 0) used[r.helper_of[e]]++;
        for (int i = 0; i < NH; i++) CHECK(used[i] <= cap[i]);
        pj_assign_cap_sol_free(&sol);
        pj_pair_result_free(&r);
        free(used), free(best), free(cap), free(ed), free(el), free(h);
    }
}

TEST(elder_pairing_prefers_same_village_and_keeps_capacity)
{
    /* two helpers equally near; the one in the elder's village wins; a full helper is never
     * used; an elder whose preference no helper meets stays unpaired */
    pj_pair_helper h[3] = {{40.100, 117.100, 1, 8, 1, 'F'},
                           {40.100, 117.1002, 2, 8, 1, 'M'},
                           {40.1001, 117.100, 1, 8, 0, 'F'}};
    pj_pair_elder e[2] = {{40.1001, 117.1001, 2, 8, 0}, {40.1001, 117.1001, 1, 8, 'F'}};
    pj_pair_problem p = {3, 2, h, e, 2000.0, 800, 0};
    pj_pair_result r;
    CHECK_INT(pj_pair_solve(&p, &r), 0);
    CHECK_INT(r.helper_of[0], 1);
    CHECK_INT(r.helper_of[1], 0);
    CHECK_INT(r.n_paired, 2);
    pj_pair_result_free(&r);
    e[0].sex_pref = e[1].sex_pref = 'M';
    CHECK_INT(pj_pair_solve(&p, &r), 0);
    CHECK_INT(r.n_paired, 1); /* only helper 1 is male, and both want it: one gets it */
    pj_pair_result_free(&r);
    /* beyond the walk: nothing */
    p.walk_m = 1.0;
    CHECK_INT(pj_pair_solve(&p, &r), 0);
    CHECK_INT(r.n_paired, 0);
    CHECK_INT(r.n_candidates[0], 0);
    pj_pair_result_free(&r);
}

/* The newest `action` row of pairing run rid: the run before (state from, version v) and after
 * (state to, version v + 1) with what was decided: n proposals, first to last, each named (the
 * ids listed when n is at most 200, which they are then: first, …, last ascending). */
static void run_row_check(th_server *s, long long rid, const char *action, const char *from,
                          const char *to, long long v, long long first, long long last, int n)
{
    char q[900];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE id = (SELECT MAX(id) FROM audit WHERE entity ="
             " 'pair_run' AND entity_id = %lld AND action = '%s') AND json_extract(before_json,"
             " '$.id') = %lld AND json_extract(before_json, '$.state') = '%s' AND"
             " json_extract(before_json, '$.version') = %lld AND json_extract(after_json,"
             " '$.state') = '%s' AND json_extract(after_json, '$.version') = %lld AND"
             " json_extract(after_json, '$.decided') + json_extract(after_json, '$.stale') = %d"
             " AND json_extract(after_json, '$.proposal_id_range') = '[%lld,%lld]' AND"
             " json_extract(after_json, '$.proposal_ids[0]') = %lld AND"
             " json_array_length(after_json, '$.proposal_ids') = %d AND"
             " json_extract(after_json, '$.proposal_ids[#-1]') = %lld",
             rid, action, rid, from, v, to, v + 1, n, first, last, first, n, last);
    CHECK_INT(th_sql_int(s, q), 1);
}

TEST_T(elder_pairing_run_over_the_api, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], town[80], g[80], want[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    char q[200];
    snprintf(q, sizeof q, "SELECT parent_id FROM regions WHERE id = %lld", grid);
    long long village = th_sql_int(&s, q);
    /* three helpers (capacity 2 each) and seven elders in the village: six get paired */
    long long hs[3];
    for (int i = 0; i < 3; i++)
        hs[i] = el_helper(&s, g, grid, 20 + i, "1970-02-02", i == 2 ? 'M' : 'F', "");
    long long es[7];
    for (int i = 0; i < 7; i++) es[i] = el_elder(&s, g, grid, 30 + i, "");
    /* grid workers and the other township's officer may not run pairing here */
    char body[200];
    snprintf(body, sizeof body, "{\"region_id\":%lld}", village);
    json_decref(EL(&s, g, "POST", "/api/v1/pairing-runs", body, 403));
    json_decref(EL(&s, town, "POST", "/api/v1/pairing-runs", body, 403));
    json_decref(EL(&s, off, "POST", "/api/v1/pairing-runs", "{\"region_id\":99999999}", 422));
    json_t *run = EL(&s, off, "POST", "/api/v1/pairing-runs", body, 201);
    long long rid = th_int(run, "id");
    CHECK_INT(th_int(run, "elders_unpaired"), 7);
    CHECK_INT(th_int(run, "proposed"), 6);
    CHECK_INT(th_int(run, "unmatched"), 1);
    json_decref(run);
    char path[128];
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld?state=proposed&limit=500", rid);
    json_t *o = EL(&s, off, "GET", path, NULL, 200);
    json_t *items = json_object_get(json_object_get(o, "proposals"), "items");
    CHECK_INT(json_array_size(items), 6);
    json_t *p0 = json_array_get(items, 0);
    CHECK(strstr(th_str(p0, "reason"), "m away") != NULL);
    CHECK(json_is_true(json_object_get(p0, "same_village")));
    long long prop0 = th_int(p0, "id"), prop1 = th_int(json_array_get(items, 1), "id");
    json_decref(o);
    /* edit one proposal to a helper that is full counting the run's proposals: 409 */
    long long busy = th_sql_int(&s, "SELECT helper_id FROM elder_pair_proposals WHERE state ="
                                    " 'proposed' GROUP BY helper_id HAVING COUNT(*) = 2"
                                    " ORDER BY helper_id LIMIT 1");
    snprintf(path, sizeof path, "/api/v1/pair-proposals/%lld", prop0);
    snprintf(body, sizeof body, "{\"helper_id\":%lld,\"version\":1}", busy);
    long long cur = th_sql_int(&s, "SELECT helper_id FROM elder_pair_proposals WHERE id ="
                                   " (SELECT MIN(id) FROM elder_pair_proposals WHERE state ="
                                   " 'proposed')");
    if (cur != busy) {
        o = EL(&s, off, "PATCH", path, body, 409);
        CHECK_STR(th_err_code(o), "helper_full");
        json_decref(o);
    }
    /* reject one, accept the rest */
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/reject", rid);
    /* regression: an empty list decided nothing but bumped the run and wrote an audit row */
    char fa[TH_FINGERPRINT_SIZE], fb[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fa, sizeof fa);
    o = EL(&s, off, "POST", path, "{\"proposal_ids\":[]}", 422);
    CHECK_STR(th_err_field(o), "proposal_ids");
    json_decref(o);
    th_fingerprint(&s, fb, sizeof fb);
    CHECK_STR(fb, fa);
    snprintf(body, sizeof body, "{\"proposal_ids\":[%lld],\"note\":\"家属另有安排\"}", prop1);
    snprintf(q, sizeof q, "SELECT version FROM elder_pair_runs WHERE id = %lld", rid);
    long long rv = th_sql_int(&s, q);
    o = EL(&s, off, "POST", path, body, 200);
    /* the answer names the proposal decided too */
    CHECK_INT(json_array_size(json_object_get(o, "proposal_ids")), 1);
    CHECK_INT(json_integer_value(json_array_get(json_object_get(o, "proposal_ids"), 0)), prop1);
    json_decref(o);
    /* regression: the run's row had no before and did not say which proposals it decided */
    run_row_check(&s, rid, "reject", "open", "open", rv, prop1, prop1, 1);
    o = EL(&s, off, "POST", path, body, 409); /* not open any more: said with its state */
    snprintf(want, sizeof want, "proposal %lld is rejected, not open", prop1);
    CHECK_STR(th_err_message(o), want);
    json_decref(o);
    /* a proposal named twice is said so (the second was "not open", the first just decided) */
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/accept", rid);
    snprintf(body, sizeof body, "{\"proposal_ids\":[%lld,%lld]}", prop0, prop0);
    th_fingerprint(&s, fa, sizeof fa);
    o = EL(&s, off, "POST", path, body, 422);
    CHECK_STR(th_err_code(o), "invalid_value");
    CHECK_STR(th_err_field(o), "proposal_ids");
    snprintf(want, sizeof want, "proposal_ids names proposal %lld twice", prop0);
    CHECK_STR(th_err_message(o), want);
    json_decref(o);
    th_fingerprint(&s, fb, sizeof fb);
    CHECK_STR(fb, fa);
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/reject", rid);
    /* the note goes into the audit trail (it was dropped) */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'pair_run' AND action ="
                             " 'reject' AND after_json LIKE '%家属另有安排%'"),
              1);
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/accept", rid);
    long long first = th_sql_int(&s, "SELECT MIN(id) FROM elder_pair_proposals WHERE state ="
                                     " 'proposed'"),
              last = th_sql_int(&s, "SELECT MAX(id) FROM elder_pair_proposals WHERE state ="
                                    " 'proposed'");
    snprintf(q, sizeof q, "SELECT version FROM elder_pair_runs WHERE id = %lld", rid);
    rv = th_sql_int(&s, q);
    o = EL(&s, off, "POST", path, NULL, 200);
    CHECK_INT(th_int(o, "decided"), 5);
    json_decref(o);
    run_row_check(&s, rid, "accept", "open", "closed", rv, first, last, 5);
    /* nothing open any more: "accept every open one" writes nothing */
    th_fingerprint(&s, fa, sizeof fa);
    o = EL(&s, off, "POST", path, NULL, 409);
    CHECK_STR(th_err_code(o), "not_open");
    json_decref(o);
    th_fingerprint(&s, fb, sizeof fb);
    CHECK_STR(fb, fa);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM elder_pairs WHERE state = 'active'"), 5);
    /* each accepted pair has its own audit row (only the run's summary before) */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit a JOIN elder_pairs p ON p.id ="
                             " a.entity_id WHERE a.entity = 'pair' AND a.action = 'create'"),
              5);
    /* no helper over capacity */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM helpers h WHERE h.capacity < (SELECT"
                             " COUNT(*) FROM elder_pairs p WHERE p.helper_id = h.id AND"
                             " p.state = 'active')"),
              0);
    /* an elder shows the helper */
    long long paired = th_sql_int(&s, "SELECT MIN(elder_id) FROM elder_pairs");
    snprintf(path, sizeof path, "/api/v1/elders/%lld", paired);
    o = EL(&s, g, "GET", path, NULL, 200);
    CHECK(json_is_object(json_object_get(o, "paired_helper")));
    json_decref(o);
    /* a second run keeps the five pairs and pairs the rest where it can */
    snprintf(body, sizeof body, "{\"region_id\":%lld}", village);
    run = EL(&s, off, "POST", "/api/v1/pairing-runs", body, 201);
    CHECK_INT(th_int(run, "pairs_kept"), 5);
    CHECK_INT(th_int(run, "elders_unpaired"), 2);
    CHECK_INT(th_int(run, "proposed"), 1);
    json_decref(run);
    /* ending a pair keeps its history */
    long long pid = th_sql_int(&s, "SELECT MIN(id) FROM elder_pairs");
    snprintf(path, sizeof path, "/api/v1/pairs/%lld/end", pid);
    json_decref(EL(&s, off, "POST", path, "{\"version\":1,\"note\":\"搬迁\"}", 200));
    json_decref(EL(&s, off, "POST", path, "{\"version\":2}", 409));
    snprintf(path, sizeof path, "/api/v1/pairs?elder_id=%lld", paired);
    o = EL(&s, g, "GET", path, NULL, 200);
    CHECK_INT(json_array_size(json_object_get(o, "items")), 1);
    CHECK_STR(th_str(json_array_get(json_object_get(o, "items"), 0), "state"), "ended");
    json_decref(o);
    /* a manual pair: skills missing is refused */
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", es[0], hs[0]);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", es[0]);
    o = EL(&s, g, "GET", path, NULL, 200);
    int v = (int)th_int(o, "version");
    json_decref(o);
    char patch[120];
    snprintf(patch, sizeof patch, "{\"version\":%d,\"help_needed\":[\"nursing\"]}", v);
    json_decref(EL(&s, g, "PATCH", path, patch, 200));
    o = EL(&s, off, "POST", "/api/v1/pairs", body, 422);
    CHECK_STR(th_err_code(o), "skills_missing");
    json_decref(o);
    th_stop(&s);
}

/* "All candidates" is for small instances: on a large one the solver refuses instead of
 * reserving elders × helpers; the setting is kept within 1–256, so a district run with
 * elder_pair_candidates = 0 (or 100000) still works. */
TEST_T(elder_pairing_candidates_setting_is_bounded, 120)
{
    enum { NE = 5000, NH = 4000 };
    pj_pair_elder *es = calloc(NE, sizeof *es);
    pj_pair_helper *hs = calloc(NH, sizeof *hs);
    pj_pair_problem p = {.n_helpers = NH,
                         .n_elders = NE,
                         .helpers = hs,
                         .elders = es,
                         .walk_m = 2000,
                         .candidates = 0};
    pj_pair_result r;
    CHECK_INT(pj_pair_solve(&p, &r), -1);
    pj_pair_result_free(&r);
    free(es);
    free(hs);

    th_server s;
    th_start(&s, 1);
    char off[80], g[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    char q[200];
    snprintf(q, sizeof q, "SELECT parent_id FROM regions WHERE id = %lld", grid);
    long long village = th_sql_int(&s, q);
    el_helper(&s, g, grid, 20, "1970-02-02", 'F', "");
    el_elder(&s, g, grid, 30, "");
    el_elder(&s, g, grid, 31, "");
    char body[200];
    snprintf(body, sizeof body, "{\"region_id\":%lld}", village);
    const char *values[] = {"0", "100000"};
    for (int i = 0; i < 2; i++) {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "UPDATE settings SET value = '%s' WHERE key ="
                 " 'elder_pair_candidates'",
                 values[i]);
        th_sql_exec(&s, sql);
        json_t *run = EL(&s, off, "POST", "/api/v1/pairing-runs", body, 201);
        CHECK(th_int(run, "proposed") >= 2);
        json_decref(run);
    }
    th_stop(&s);
}

/* Regression: deactivating a helper left their pairs active, so their elders still showed the
 * helper, counted as paired in coverage and were skipped by later pairing runs. Now, as for an
 * elder no longer active, the pairs end (today, ended_note "helper inactive", one "end" audit
 * row each) in the helper's update, and a new run pairs the elders with another helper. */
TEST_T(elder_pairing_helper_deactivated_ends_their_pairs, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], g[80];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    char q[200], body[200], path[128];
    snprintf(q, sizeof q, "SELECT parent_id FROM regions WHERE id = %lld", grid);
    long long village = th_sql_int(&s, q);
    long long leaving = el_helper(&s, g, grid, 40, "1970-02-02", 'F', "");
    long long e1 = el_elder(&s, g, grid, 41, ""), e2 = el_elder(&s, g, grid, 42, "");
    long long es[] = {e1, e2};
    for (int k = 0; k < 2; k++) {
        snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", es[k], leaving);
        json_decref(EL(&s, off, "POST", "/api/v1/pairs", body, 201));
    }
    json_t *o = EL(&s, off, "GET", "/api/v1/eldercare/coverage?group=township", NULL, 200);
    long long paired0 = th_int(json_object_get(o, "total"), "paired");
    json_decref(o);
    /* the helper stops */
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", leaving);
    o = EL(&s, g, "PATCH", path, "{\"version\":1,\"active\":false}", 200);
    CHECK(json_is_false(json_object_get(o, "active")));
    CHECK_INT(th_int(o, "paired_elders"), 0);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e1);
    o = EL(&s, g, "GET", path, NULL, 200);
    CHECK(json_is_null(json_object_get(o, "paired_helper")));
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/pairs?helper_id=%lld", leaving);
    o = EL(&s, g, "GET", path, NULL, 200);
    json_t *items = json_object_get(o, "items");
    CHECK_INT(json_array_size(items), 2);
    for (size_t i = 0; i < json_array_size(items); i++) {
        CHECK_STR(th_str(json_array_get(items, i), "state"), "ended");
        CHECK_STR(th_str(json_array_get(items, i), "ended_note"), "helper inactive");
    }
    json_decref(o);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit a JOIN elder_pairs p ON p.id = a.entity_id WHERE"
             " a.entity = 'pair' AND a.action = 'end' AND p.helper_id = %lld AND a.after_json"
             " LIKE '%%\"state\":\"ended\"%%'",
             leaving);
    CHECK_INT(th_sql_int(&s, q), 2);
    o = EL(&s, off, "GET", "/api/v1/eldercare/coverage?group=township", NULL, 200);
    CHECK_INT(th_int(json_object_get(o, "total"), "paired"), paired0 - 2);
    json_decref(o);
    /* another helper comes: the next run pairs both elders with her */
    long long next = el_helper(&s, g, grid, 43, "1972-03-03", 'F', "");
    snprintf(body, sizeof body, "{\"region_id\":%lld}", village);
    o = EL(&s, off, "POST", "/api/v1/pairing-runs", body, 201);
    CHECK_INT(th_int(o, "pairs_kept"), 0);
    CHECK_INT(th_int(o, "elders_unpaired"), 2);
    CHECK_INT(th_int(o, "proposed"), 2);
    long long rid = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/accept", rid);
    json_decref(EL(&s, off, "POST", path, NULL, 200));
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_pairs WHERE helper_id = %lld AND state = 'active'", next);
    CHECK_INT(th_sql_int(&s, q), 2);
    /* the pairs of an active helper stay when something else changes */
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", next);
    json_decref(EL(&s, g, "PATCH", path, "{\"version\":1,\"availability\":\"上午\"}", 200));
    CHECK_INT(th_sql_int(&s, q), 2);
    th_stop(&s);
}

/* Regression: accepting a proposal did not check the elder's needs and preference again: an
 * elder who came to want a woman (or to need meals) after the run was paired with the man
 * proposed, a pair the same officer could not have made by hand (sex_preference,
 * skills_missing). Such a proposal turns stale; one still fitting is accepted. */
TEST_T(elder_pairing_accept_rechecks_needs_and_preference, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], g[80], q[300], body[200], path[128];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    snprintf(q, sizeof q, "SELECT parent_id FROM regions WHERE id = %lld", grid);
    long long village = th_sql_int(&s, q);
    long long h = el_helper(&s, g, grid, 80, "1970-04-04", 'M', "");
    long long e1 = el_elder(&s, g, grid, 81, "");
    (void)el_elder(&s, g, grid, 82, "");
    (void)el_elder(&s, g, grid, 83, "");
    snprintf(body, sizeof body, "{\"region_id\":%lld}", village);
    json_t *o = EL(&s, off, "POST", "/api/v1/pairing-runs", body, 201);
    long long run = th_int(o, "id");
    json_decref(o);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_pair_proposals WHERE run_id = %lld AND helper_id = %lld"
             " AND state = 'proposed'",
             run, h);
    CHECK_INT(th_sql_int(&s, q), 2); /* his two places; the third elder unmatched */
    /* the unmatched one given him: his places are held by the run's own proposals, which the
     * refusal names (the helper list showed a place left) */
    snprintf(q, sizeof q,
             "SELECT id FROM elder_pair_proposals WHERE run_id = %lld AND state = 'unmatched'",
             run);
    long long un = th_sql_int(&s, q);
    CHECK(un > 0);
    snprintf(q, sizeof q,
             "SELECT MIN(id) FROM elder_pair_proposals WHERE run_id = %lld AND helper_id = %lld",
             run, h);
    char held[120];
    snprintf(held, sizeof held, "held by proposal %lld of this run", th_sql_int(&s, q));
    snprintf(path, sizeof path, "/api/v1/pair-proposals/%lld", un);
    snprintf(body, sizeof body, "{\"helper_id\":%lld,\"version\":1}", h);
    o = EL(&s, off, "PATCH", path, body, 409);
    CHECK_STR(th_err_code(o), "helper_full");
    CHECK(strstr(th_err_message(o), held) != NULL);
    json_decref(o);
    /* the first elder now prefers a woman helper */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", e1);
    json_t *el = EL(&s, g, "GET", path, NULL, 200);
    snprintf(body, sizeof body, "{\"version\":%lld,\"helper_sex_pref\":\"F\"}",
             th_int(el, "version"));
    json_decref(el);
    json_decref(EL(&s, g, "PATCH", path, body, 200));
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/accept", run);
    o = EL(&s, off, "POST", path, NULL, 200);
    CHECK_INT(th_int(o, "stale"), 1);
    CHECK_INT(th_int(o, "decided"), 1);
    json_decref(o);
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM elder_pairs WHERE elder_id = %lld", e1);
    CHECK_INT(th_sql_int(&s, q), 0);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_pairs WHERE helper_id = %lld AND state = 'active'", h);
    CHECK_INT(th_sql_int(&s, q), 1);
    th_stop(&s);
}

/* Regression: accepting a proposal made pairs the run would no longer propose — with a
 * helper set inactive since, for an elder who died, or one moved to another township. Such
 * proposals turn stale and make no pair. */
TEST_T(elder_pairing_accept_rechecks_helper_and_elder, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], g[80], q[300], body[200], path[128];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    snprintf(q, sizeof q, "SELECT parent_id FROM regions WHERE id = %lld", grid);
    long long village = th_sql_int(&s, q);
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    snprintf(q, sizeof q,
             "SELECT MIN(g.id) FROM regions g JOIN regions v ON v.id = g.parent_id"
             " WHERE g.type = 'grid' AND v.parent_id = %lld",
             jhh);
    long long jgrid = th_sql_int(&s, q);
    long long h1 = el_helper(&s, g, grid, 70, "1970-02-02", 'F', "");
    long long e1 = el_elder(&s, g, grid, 71, ""), e2 = el_elder(&s, g, grid, 72, "");
    snprintf(body, sizeof body, "{\"region_id\":%lld}", village);
    json_t *o = EL(&s, off, "POST", "/api/v1/pairing-runs", body, 201);
    long long run1 = th_int(o, "id");
    CHECK_INT(th_int(o, "proposed"), 2);
    json_decref(o);
    /* the helper stops before the run is decided */
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", h1);
    json_decref(EL(&s, g, "PATCH", path, "{\"version\":1,\"active\":false}", 200));
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/accept", run1);
    o = EL(&s, off, "POST", path, NULL, 200);
    CHECK_INT(th_int(o, "stale"), 2);
    json_decref(o);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_pairs WHERE helper_id = %lld AND state = 'active'", h1);
    CHECK_INT(th_sql_int(&s, q), 0);
    /* a new helper; one elder dies and the other moves to 金海湖 before the accept */
    long long h2 = el_helper(&s, g, grid, 73, "1972-03-03", 'F', "");
    long long e3 = el_elder(&s, g, grid, 74, "");
    o = EL(&s, off, "POST", "/api/v1/pairing-runs", body, 201);
    long long run2 = th_int(o, "id");
    CHECK_INT(th_int(o, "proposed"), 2); /* capacity 2 of three elders */
    json_decref(o);
    snprintf(q, sizeof q,
             "SELECT elder_id FROM elder_pair_proposals WHERE run_id = %lld AND state ="
             " 'proposed' ORDER BY elder_id LIMIT 1",
             run2);
    long long dies = th_sql_int(&s, q);
    snprintf(q, sizeof q,
             "SELECT elder_id FROM elder_pair_proposals WHERE run_id = %lld AND state ="
             " 'proposed' ORDER BY elder_id DESC LIMIT 1",
             run2);
    long long moves = th_sql_int(&s, q);
    CHECK(dies != moves);
    snprintf(path, sizeof path, "/api/v1/elders/%lld", dies);
    json_decref(EL(&s, g, "PATCH", path, "{\"version\":1,\"status\":\"deceased\"}", 200));
    snprintf(path, sizeof path, "/api/v1/elders/%lld", moves);
    snprintf(body, sizeof body, "{\"version\":1,\"grid_id\":%lld}", jgrid);
    json_decref(EL(&s, off, "PATCH", path, body, 200));
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/accept", run2);
    o = EL(&s, off, "POST", path, NULL, 200);
    CHECK_INT(th_int(o, "stale"), 2);
    CHECK_INT(th_int(o, "decided"), 0);
    json_decref(o);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_pairs WHERE helper_id = %lld AND state = 'active'", h2);
    CHECK_INT(th_sql_int(&s, q), 0);
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM elder_pairs WHERE elder_id IN (%lld,%lld,%lld)", e1,
             e2, e3);
    CHECK_INT(th_sql_int(&s, q), 0);
    th_stop(&s);
}

/* Regression: a helper's capacity could be lowered below their active pairs (capacity 1 with
 * two elders), leaving them paired beyond it. 409 on capacity, nothing written; setting them
 * inactive (which ends the pairs) may lower it. */
TEST_T(elder_pairing_capacity_not_below_pairs, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], g[80], body[200], path[128];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    long long h = el_helper(&s, g, grid, 80, "1970-02-02", 'F', "");
    long long es[] = {el_elder(&s, g, grid, 81, ""), el_elder(&s, g, grid, 82, "")};
    for (int k = 0; k < 2; k++) {
        snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", es[k], h);
        json_decref(EL(&s, off, "POST", "/api/v1/pairs", body, 201));
    }
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", h);
    char fa[TH_FINGERPRINT_SIZE], fb[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fa, sizeof fa);
    json_t *o = EL(&s, g, "PATCH", path, "{\"version\":1,\"capacity\":1}", 409);
    CHECK_STR(th_err_field(o), "capacity");
    json_decref(o);
    th_fingerprint(&s, fb, sizeof fb);
    CHECK_STR(fb, fa);
    o = EL(&s, g, "GET", path, NULL, 200);
    CHECK_INT(th_int(o, "capacity"), 2);
    CHECK_INT(th_int(o, "places_left"), 0);
    json_decref(o);
    /* raising it, or keeping it, is fine; stopping the helper ends the pairs and may lower it */
    json_decref(EL(&s, g, "PATCH", path, "{\"version\":1,\"capacity\":3}", 200));
    json_decref(EL(&s, g, "PATCH", path, "{\"version\":2,\"capacity\":2}", 200));
    o = EL(&s, g, "PATCH", path, "{\"version\":3,\"capacity\":0,\"active\":false}", 200);
    CHECK_INT(th_int(o, "paired_elders"), 0);
    json_decref(o);
    th_stop(&s);
}

/* Regression: a pair could be ended "on" a date years ahead (state ended now, end_date 2030)
 * or made by hand starting in the future (counted as paired today). Both dates are today or
 * before: 422 out_of_range, nothing written. */
TEST_T(elder_pairing_dates_not_in_the_future, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], g[80], body[200], path[128], day[11];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    long long h = el_helper(&s, g, grid, 85, "1970-02-02", 'F', "");
    long long e = el_elder(&s, g, grid, 86, "");
    char iso[21];
    pj_time_iso(pj_now() + 3 * 86400, iso); /* two days ahead in Beijing at least */
    memcpy(day, iso, 10);
    day[10] = 0;
    char fa[TH_FINGERPRINT_SIZE], fb[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fa, sizeof fa);
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld,\"start_date\":\"%s\"}", e,
             h, day);
    json_t *o = EL(&s, off, "POST", "/api/v1/pairs", body, 422);
    CHECK_STR(th_err_field(o), "start_date");
    json_decref(o);
    th_fingerprint(&s, fb, sizeof fb);
    CHECK_STR(fb, fa);
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", e, h);
    o = EL(&s, off, "POST", "/api/v1/pairs", body, 201);
    long long pair = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/pairs/%lld/end", pair);
    snprintf(body, sizeof body, "{\"version\":1,\"end_date\":\"%s\"}", day);
    th_fingerprint(&s, fa, sizeof fa);
    o = EL(&s, off, "POST", path, body, 422);
    CHECK_STR(th_err_field(o), "end_date");
    json_decref(o);
    th_fingerprint(&s, fb, sizeof fb);
    CHECK_STR(fb, fa);
    o = EL(&s, off, "POST", path, "{\"version\":1}", 200);
    CHECK_STR(th_str(o, "state"), "ended");
    json_decref(o);
    th_stop(&s);
}

/* A decision of many proposals keeps its row short: past 200 proposals the row and the answer
 * give their first and last id and their count (decided + stale), not every id. */
TEST_T(elder_pairing_run_decision_of_many_names_the_range, 120)
{
    th_server s;
    th_start(&s, 1);
    char off[80], g[80], q[600], body[200], path[128];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    snprintf(q, sizeof q, "SELECT parent_id FROM regions WHERE id = %lld", grid);
    long long village = th_sql_int(&s, q);
    el_helper(&s, g, grid, 80, "1970-02-02", 'F', "");
    long long e1 = el_elder(&s, g, grid, 81, "");
    snprintf(body, sizeof body, "{\"region_id\":%lld}", village);
    json_t *o = EL(&s, off, "POST", "/api/v1/pairing-runs", body, 201);
    long long rid = th_int(o, "id");
    json_decref(o);
    /* 250 more open proposals of the run */
    snprintf(q, sizeof q,
             "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 250)"
             " INSERT INTO elder_pair_proposals (run_id, elder_id, state) SELECT %lld, %lld,"
             " 'proposed' FROM k",
             rid, e1);
    th_sql_exec(&s, q);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM elder_pair_proposals WHERE run_id = %lld AND state ="
             " 'proposed'",
             rid);
    long long n = th_sql_int(&s, q);
    CHECK(n >= 250);
    snprintf(q, sizeof q, "SELECT MIN(id) FROM elder_pair_proposals WHERE run_id = %lld", rid);
    long long first = th_sql_int(&s, q);
    snprintf(q, sizeof q, "SELECT MAX(id) FROM elder_pair_proposals WHERE run_id = %lld", rid);
    long long last = th_sql_int(&s, q);
    snprintf(path, sizeof path, "/api/v1/pairing-runs/%lld/reject", rid);
    o = EL(&s, off, "POST", path, NULL, 200);
    CHECK_INT(th_int(o, "decided"), n);
    CHECK(!json_object_get(o, "proposal_ids"));
    json_t *range = json_object_get(o, "proposal_id_range");
    CHECK_INT(json_integer_value(json_array_get(range, 0)), first);
    CHECK_INT(json_integer_value(json_array_get(range, 1)), last);
    json_decref(o);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'pair_run' AND entity_id = %lld AND"
             " action = 'reject' AND json_extract(before_json, '$.state') = 'open' AND"
             " json_extract(after_json, '$.state') = 'closed' AND json_extract(after_json,"
             " '$.decided') = %lld AND json_type(after_json, '$.proposal_ids') IS NULL AND"
             " json_extract(after_json, '$.proposal_id_range') = '[%lld,%lld]'",
             rid, n, first, last);
    CHECK_INT(th_sql_int(&s, q), 1);
    th_stop(&s);
}
