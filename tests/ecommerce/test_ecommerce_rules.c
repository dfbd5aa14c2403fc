/* E-commerce pure rules: age in whole years (leap days, the day before a birthday), the age
 * rule with a guardian's consent, resident ID check digits. */
#include "domain/ecommerce.h"
#include "domain/indicator.h"
#include "t.h"

TEST(ecommerce_age_whole_years)
{
    int64_t d = pj_days_from_civil(2024, 6, 15);
    CHECK_INT(pj_ec_age(2008, 6, 15, d), 16);
    CHECK_INT(pj_ec_age(2008, 6, 16, d), 15);
    CHECK_INT(pj_ec_age(2008, 7, 1, d), 15);
    CHECK_INT(pj_ec_age(2006, 6, 14, d), 18);
    /* born on 29 February: a year older on 1 March in common years */
    CHECK_INT(pj_ec_age(2008, 2, 29, pj_days_from_civil(2025, 2, 28)), 16);
    CHECK_INT(pj_ec_age(2008, 2, 29, pj_days_from_civil(2025, 3, 1)), 17);
    CHECK_INT(pj_ec_age(2008, 2, 29, pj_days_from_civil(2024, 2, 29)), 16);
    CHECK_INT(pj_ec_age(1970, 1, 1, 0), 0);
}

TEST(ecommerce_age_rule_boundaries)
{
    int64_t today = pj_days_from_civil(2024, 6, 15);
    pj_err e;
    pj_err_clear(&e);
    CHECK_INT(pj_ec_age_rule("2008-06-16", "王芳", "母亲", "2024-01-01", today, &e), -1);
    CHECK_STR(e.code, "too_young");
    CHECK_INT(pj_ec_age_rule("2008-06-15", NULL, NULL, NULL, today, &e), -1);
    CHECK_STR(e.code, "guardian_consent_required");
    CHECK_STR(e.field, "guardian_name");
    CHECK_INT(pj_ec_age_rule("2008-06-15", "王芳", NULL, "2024-01-01", today, &e), -1);
    CHECK_STR(e.field, "guardian_relation");
    CHECK_INT(pj_ec_age_rule("2008-06-15", "王芳", "母亲", "2024-06-16", today, &e), -1);
    CHECK_STR(e.field, "guardian_consent_date"); /* consent in the future */
    CHECK_INT(pj_ec_age_rule("2008-06-15", "王芳", "母亲", "2024-06-15", today, &e), 0);
    CHECK_INT(pj_ec_age_rule("2006-06-16", NULL, NULL, NULL, today, &e), -1); /* 17y364d */
    CHECK_INT(pj_ec_age_rule("2006-06-15", NULL, NULL, NULL, today, &e), 0);  /* 18 */
    CHECK_INT(pj_ec_age_rule("2024-06-16", NULL, NULL, NULL, today, &e), -1);
    CHECK_STR(e.field, "birth_date");
    CHECK_INT(pj_ec_age_rule("2006-02-30", NULL, NULL, NULL, today, &e), -1);
    CHECK_INT(pj_ec_age_rule("2006-6-15", NULL, NULL, NULL, today, &e), -1);
    CHECK_INT(pj_ec_age_rule("1999-02-29", NULL, NULL, NULL, today, &e), -1);
    CHECK_INT(pj_ec_age_rule("2000-02-29", NULL, NULL, NULL, today, &e), 0);
}

TEST(ecommerce_id_number_check_digit)
{
    CHECK(pj_ec_id_number_valid("11010519491231002X"));
    CHECK(pj_ec_id_number_valid("11010519491231002x"));
    CHECK(!pj_ec_id_number_valid("110105194912310021"));
    CHECK(!pj_ec_id_number_valid("11010519491231002"));
    CHECK(!pj_ec_id_number_valid("1101051949123100A2"));
    CHECK(!pj_ec_id_number_valid(NULL));
}
