/* Land-transfer arithmetic and the warehouse status rule, checked against figures computed by
 * hand (including the seed's: 61.29 % → 74.88 % is +13.59 points). */
#include "domain/logistics.h"
#include "t.h"

TEST(logistics_points_by_hand)
{
    /* the seed's example: 74.88 − 61.29 = 13.59 percentage points */
    CHECK_NEAR(pj_lg_points(61.29, 74.88), 13.59, 1e-9);
    CHECK_NEAR(pj_lg_points(74.88, 61.29), -13.59, 1e-9);
    CHECK_NEAR(pj_lg_points(50.0, 50.0), 0.0, 1e-12);
    /* rounded to 2 decimals */
    CHECK_NEAR(pj_lg_points(10.0, 10.004), 0.0, 1e-12);
    CHECK_NEAR(pj_lg_points(10.0, 10.25), 0.25, 1e-12);
}

TEST(logistics_transfer_calc_by_hand)
{
    pj_lg_transfer t;
    /* 200 mu, 100 → 150 transferable, 1,000 fen a mu: 50 % → 75 %, +25 points, +50 mu,
     * 50,000 fen */
    CHECK_INT(pj_lg_transfer_calc(200, 100, 150, 1000, &t), 0);
    CHECK_NEAR(t.rate_before_pct, 50.0, 1e-12);
    CHECK_NEAR(t.rate_after_pct, 75.0, 1e-12);
    CHECK_NEAR(t.points, 25.0, 1e-12);
    CHECK_NEAR(t.added_mu, 50.0, 1e-12);
    CHECK_INT(t.added_revenue_fen, 50000);
    /* the demo's 东久新宜物流谷 parcel: 459.31 / 749.4 = 0.612904 → 61.29 %; 561.15 / 749.4 =
     * 0.748799 → 74.88 %; points from the unrounded rates 13.5895 → 13.59; 561.15 − 459.31 =
     * 101.84 mu; × 3,300,000 yuan = 336,072,000 yuan ≈ 3.36 亿元 */
    CHECK_INT(pj_lg_transfer_calc(749.4, 459.31, 561.15, 330000000, &t), 0);
    CHECK_NEAR(t.rate_before_pct, 61.29, 1e-9);
    CHECK_NEAR(t.rate_after_pct, 74.88, 1e-9);
    CHECK_NEAR(t.points, 13.59, 1e-9);
    CHECK_NEAR(t.added_mu, 101.84, 1e-9);
    CHECK_INT(t.added_revenue_fen, 33607200000LL);
    /* less transferable after: negative points and revenue */
    CHECK_INT(pj_lg_transfer_calc(100, 40, 30, 100, &t), 0);
    CHECK_NEAR(t.points, -10.0, 1e-12);
    CHECK_INT(t.added_revenue_fen, -1000);
    /* no area: refused */
    CHECK_INT(pj_lg_transfer_calc(0, 0, 0, 0, &t), -1);
    /* a revenue beyond 64 bits: refused, not wrapped; the largest allowed range fits */
    CHECK_INT(pj_lg_transfer_calc(1e7, 0, 1e7, 10000000000000LL, &t), -1);
    CHECK_INT(pj_lg_transfer_calc(1e6, 0, 1e6, 1000000000LL, &t), 0);
    CHECK_INT(t.added_revenue_fen, 1000000000000000LL);
}

TEST(logistics_status_transitions)
{
    /* forward one step, or no change */
    CHECK_INT(pj_lg_transition_ok("planned", "under_construction"), 1);
    CHECK_INT(pj_lg_transition_ok("under_construction", "operating"), 1);
    CHECK_INT(pj_lg_transition_ok("planned", "planned"), 1);
    CHECK_INT(pj_lg_transition_ok("operating", "operating"), 1);
    /* skipping, going back, unknown */
    CHECK_INT(pj_lg_transition_ok("planned", "operating"), 0);
    CHECK_INT(pj_lg_transition_ok("operating", "under_construction"), 0);
    CHECK_INT(pj_lg_transition_ok("operating", "planned"), 0);
    CHECK_INT(pj_lg_transition_ok("under_construction", "planned"), 0);
    CHECK_INT(pj_lg_transition_ok("planned", "built"), 0);
    CHECK_INT(pj_lg_transition_ok(NULL, "planned"), 0);
}
