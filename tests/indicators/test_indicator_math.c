/* Periods and derived-figure arithmetic against hand-computed cases, the seed's among them. */
#include <math.h>

#include "domain/indicator.h"
#include "t.h"

static pj_period per(const char *s)
{
    pj_period p;
    if (pj_period_parse(s, strlen(s), &p)) t_fail(__FILE__, __LINE__, "bad period %s", s);
    return p;
}

static const char *fmt(pj_period p)
{
    static char b[12];
    pj_period_format(&p, b);
    return b;
}

TEST(indicator_period_parse)
{
    CHECK_STR(fmt(per("2024")), "2024");
    CHECK_STR(fmt(per("2024H1")), "2024H1");
    CHECK_STR(fmt(per("2024q3")), "2024Q3");
    CHECK_STR(fmt(per("2024-06")), "2024-06");
    pj_period p;
    static const char *const bad[] = {"",        "202",     "20245",  "2024H3", "2024H0", "2024Q5",
                                      "2024-13", "2024-00", "2024-6", "1899",   "3000",   "2024 ",
                                      "abcd",    "2024-1a", "2024Q",  NULL};
    for (int i = 0; bad[i]; i++) CHECK_INT(pj_period_parse(bad[i], strlen(bad[i]), &p), -1);
    CHECK_INT(pj_period_months(&(pj_period){'H', 2024, 2}), 6);
    CHECK_INT(pj_period_first_month(&(pj_period){'Q', 2024, 3}), 7);
}

TEST(indicator_yoy_and_prev_across_year_boundary)
{
    CHECK_STR(fmt(pj_period_add_years(per("2024-01"), -1)), "2023-01");
    CHECK_STR(fmt(pj_period_prev(per("2024-01"))), "2023-12");
    CHECK_STR(fmt(pj_period_prev(per("2024Q1"))), "2023Q4");
    CHECK_STR(fmt(pj_period_prev(per("2024H1"))), "2023H2");
    CHECK_STR(fmt(pj_period_prev(per("2024"))), "2023");
    /* 54.8 over 49.73 is +10.195… % → 10.2 (the seed's H1 revenue) */
    CHECK_NEAR(pj_ind_growth(54.8, 49.73), 10.19505, 1e-4);
    CHECK_NEAR(pj_ind_round(pj_ind_growth(54.8, 49.73), 1), 10.2, 1e-12);
    CHECK_NEAR(pj_ind_round(pj_ind_growth(39.4, 34.68), 1), 13.6, 1e-12);
    CHECK(isnan(pj_ind_growth(1, 0)));
    int64_t a, b;
    pj_period_days(&(pj_period){'M', 2023, 12}, &a, &b);
    CHECK_INT(b - a, 31);
    CHECK_INT(b, pj_days_from_civil(2024, 1, 1));
    pj_period_days(&(pj_period){'Y', 2024, 0}, &a, &b);
    CHECK_INT(b - a, 366);
    CHECK_INT(pj_days_from_civil(1970, 1, 1), 0);
}

TEST(indicator_cagr_seed_three_years)
{
    /* levels 400 → 519.36768 over three years: (1.2984192)^(1/3) − 1 = 9.0950 % ≈ 9.1 */
    double lv[] = {400.0, 442.0, 477.36, 519.36768}, g;
    CHECK_INT(pj_ind_cagr_levels(lv, 4, &g), 0);
    CHECK_NEAR(g, 9.09503, 1e-4);
    CHECK_NEAR(pj_ind_round(g, 1), 9.1, 1e-12);
    /* the same three years as chained rates 10.5, 8.0, 8.8: 1.105·1.08·1.088 = 1.2984192 */
    double r[] = {10.5, 8.0, 8.8}, g2;
    CHECK_INT(pj_ind_cagr_rates(r, 3, &g2), 0);
    CHECK_NEAR(g2, g, 1e-9);
    /* exactly 9.1 % every year gives 9.1 % */
    double r3[] = {9.1, 9.1, 9.1};
    CHECK_INT(pj_ind_cagr_rates(r3, 3, &g2), 0);
    CHECK_NEAR(g2, 9.1, 1e-9);
    double bad[] = {0, 5};
    CHECK_INT(pj_ind_cagr_levels(bad, 2, &g), -1);
    CHECK_INT(pj_ind_cagr_levels(lv, 1, &g), -1);
    double r4[] = {-100};
    CHECK_INT(pj_ind_cagr_rates(r4, 1, &g), -1);
}

TEST(indicator_shares_and_points)
{
    CHECK_NEAR(pj_ind_points(74.88, 61.29), 13.59, 1e-9);
    CHECK_NEAR(pj_ind_round(pj_ind_points(74.88, 61.29), 2), 13.59, 1e-12);
    CHECK_NEAR(pj_ind_points(48.0, 24.5), 23.5, 1e-12);
    CHECK_NEAR(pj_ind_share(120.0, 250.0), 48.0, 1e-12);
    CHECK_NEAR(pj_ind_share(128.25, 250.0), 51.3, 1e-12);
    CHECK_NEAR(pj_ind_share(49.0, 200.0), 24.5, 1e-12);
    CHECK_NEAR(pj_ind_points(pj_ind_share(128.25, 250), pj_ind_share(56, 200)), 23.3, 1e-9);
    CHECK(isnan(pj_ind_share(1, 0)));
    CHECK_NEAR(pj_ind_round(2.345, 2), 2.35, 1e-12);
    CHECK_NEAR(pj_ind_round(-2.345, 2), -2.35, 1e-12);
}

TEST(indicator_rank_with_ties)
{
    double v[] = {10.2, 11.4, 10.2, 3.0, 12.0};
    CHECK_INT(pj_ind_rank(v, 5, 4, 1), 1);
    CHECK_INT(pj_ind_rank(v, 5, 1, 1), 2);
    CHECK_INT(pj_ind_rank(v, 5, 0, 1), 3);
    CHECK_INT(pj_ind_rank(v, 5, 2, 1), 3); /* tie shares rank 3 */
    CHECK_INT(pj_ind_rank(v, 5, 3, 1), 5); /* and the next is 5, not 4 */
    CHECK_INT(pj_ind_rank(v, 5, 3, 0), 1); /* lower is better */
    CHECK_INT(pj_ind_rank(v, 5, 0, 0), 2);
}

/* Two districts that both grew 3.5 % got ranks 12 and 13: the growth rates computed from their
 * figures differ in the last bits (3.499999999999996 and 3.4999999999999933). Values that agree
 * to floating-point error tie; a real difference still ranks apart. */
TEST(indicator_rank_ties_within_floating_point_error)
{
    double v[] = {pj_ind_growth(381.6045, 368.7), pj_ind_growth(316.71, 306), 3.6, 3.4, 3.5001};
    CHECK(v[0] != v[1]); /* the arithmetic does not give the same double */
    CHECK_INT(pj_ind_rank(v, 5, 0, 1), 3);
    CHECK_INT(pj_ind_rank(v, 5, 1, 1), 3);
    CHECK_INT(pj_ind_rank(v, 5, 3, 1), 5);
    CHECK_INT(pj_ind_rank(v, 5, 0, 0), 2);
    CHECK_INT(pj_ind_rank(v, 5, 1, 0), 2);
    CHECK(pj_ind_better(3.5001, 3.5, 1));
    CHECK(!pj_ind_better(v[0], v[1], 1) && !pj_ind_better(v[1], v[0], 1));
    CHECK(!pj_ind_better(0.0, 5.551115123125783e-17, 0)); /* a difference of 0.3 − 0.3 */
}
