/* Working-day arithmetic: month and year ends, leap days, public holidays and make-up working
 * days (调休) of the 2024 and 2025 State Council notices, reception-day moves and deadlines. */
#include <stdio.h>
#include <string.h>

#include "domain/enterprise_calendar.h"
#include "t.h"

/* The State Council's notices for 2024 (国办发明电〔2023〕7号) and 2025 (〔2024〕12号). */
static const char *const holidays[] = {
    "2024-01-01", "2024-02-10", "2024-02-11", "2024-02-12", "2024-02-13", "2024-02-14",
    "2024-02-15", "2024-02-16", "2024-02-17", "2024-04-04", "2024-04-05", "2024-04-06",
    "2024-05-01", "2024-05-02", "2024-05-03", "2024-05-04", "2024-05-05", "2024-06-10",
    "2024-09-15", "2024-09-16", "2024-09-17", "2024-10-01", "2024-10-02", "2024-10-03",
    "2024-10-04", "2024-10-05", "2024-10-06", "2024-10-07", "2025-01-01", "2025-01-28",
    "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02", "2025-02-03",
    "2025-02-04", "2025-04-04", "2025-04-05", "2025-04-06", "2025-05-01", "2025-05-02",
    "2025-05-03", "2025-05-04", "2025-05-05", "2025-05-31", "2025-06-01", "2025-06-02",
    "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06",
    "2025-10-07", "2025-10-08"};
static const char *const workdays[] = {"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28",
                                       "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12",
                                       "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28",
                                       "2025-10-11"};

static pj_cal_day days[128];

static int32_t D(const char *s)
{
    int32_t d;
    if (pj_cal_parse(s, &d)) t_fail(__FILE__, __LINE__, "bad date %s", s);
    return d;
}

static pj_cal calendar(void)
{
    int n = 0;
    for (size_t i = 0; i < sizeof holidays / sizeof holidays[0]; i++)
        days[n++] = (pj_cal_day){D(holidays[i]), PJ_CAL_HOLIDAY};
    for (size_t i = 0; i < sizeof workdays / sizeof workdays[0]; i++)
        days[n++] = (pj_cal_day){D(workdays[i]), PJ_CAL_WORKDAY};
    /* sort (insertion; small) */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && days[j - 1].day > days[j].day; j--) {
            pj_cal_day t = days[j];
            days[j] = days[j - 1];
            days[j - 1] = t;
        }
    return (pj_cal){days, n};
}

static void check_day(int32_t got, const char *want, int line)
{
    char s[11];
    pj_cal_format(got, s);
    if (strcmp(s, want)) t_fail(__FILE__, line, "got %s, expected %s", s, want);
}
#define CHECK_DAY(got, want) check_day(got, want, __LINE__)

TEST(enterprise_calendar_civil_dates)
{
    CHECK_INT(D("1970-01-01"), 0);
    CHECK_INT(pj_cal_weekday(D("2024-01-01")), 0); /* Monday */
    CHECK_INT(pj_cal_weekday(D("2025-02-08")), 5); /* Saturday */
    int32_t d;
    CHECK_INT(pj_cal_parse("2024-02-29", &d), 0);
    CHECK_INT(pj_cal_parse("2025-02-29", &d), -1);
    CHECK_INT(pj_cal_parse("2025-13-01", &d), -1);
    CHECK_INT(pj_cal_parse("2025-1-01", &d), -1);
    CHECK_INT(pj_cal_parse("2025-01-0x", &d), -1);
    /* round trip over two years */
    for (int32_t z = D("2023-12-01"); z < D("2026-02-01"); z++) {
        char s[11];
        pj_cal_format(z, s);
        CHECK_INT(D(s), z);
    }
    /* Beijing day of an instant: 17:00Z on Jan 31 is already Feb 1 in Pinggu */
    CHECK_DAY(pj_cal_local_day(1706720400), "2024-02-01");    /* 2024-01-31T17:00:00Z */
    CHECK_INT(pj_cal_day_start(D("2024-02-01")), 1706716800); /* 2024-01-31T16:00:00Z */
}

TEST(enterprise_calendar_workdays_holidays_and_makeup_days)
{
    pj_cal c = calendar();
    CHECK(!pj_cal_is_workday(&c, D("2024-01-01"))); /* New Year, a Monday */
    CHECK(pj_cal_is_workday(&c, D("2024-02-04")));  /* make-up Sunday */
    CHECK(!pj_cal_is_workday(&c, D("2024-02-03"))); /* ordinary Saturday */
    CHECK(pj_cal_is_workday(&c, D("2024-02-29")));  /* leap day, Thursday */
    /* month ends */
    CHECK_DAY(pj_cal_add_workdays(&c, D("2024-01-31"), 2), "2024-02-02");
    CHECK_DAY(pj_cal_add_workdays(&c, D("2024-02-28"), 1), "2024-02-29");
    CHECK_DAY(pj_cal_add_workdays(&c, D("2024-02-28"), 3), "2024-03-04");
    CHECK_DAY(pj_cal_add_workdays(&c, D("2024-12-31"), 1), "2025-01-02"); /* over New Year */
    CHECK_DAY(pj_cal_add_workdays(&c, D("2024-11-29"), 1), "2024-12-02");
    /* make-up working days count; holidays do not */
    CHECK_DAY(pj_cal_add_workdays(&c, D("2024-02-02"), 1), "2024-02-04"); /* Sunday at work */
    CHECK_DAY(pj_cal_add_workdays(&c, D("2024-02-08"), 2), "2024-02-18");
    CHECK_DAY(pj_cal_add_workdays(&c, D("2024-05-10"), 1), "2024-05-11");
    CHECK_DAY(pj_cal_add_workdays(&c, D("2025-09-26"), 1), "2025-09-28");
    CHECK_DAY(pj_cal_add_workdays(&c, D("2025-09-30"), 1), "2025-10-09");
    /* 7 working days across the 2025 Spring Festival: 1-26, 1-27, 2-5, 2-6, 2-7, 2-8, 2-10 */
    CHECK_DAY(pj_cal_add_workdays(&c, D("2025-01-24"), 7), "2025-02-10");
    /* 13 working days across National Day 2024: 9-29, 9-30, 10-8 … 10-12 (Sat), 10-14 … 10-21 */
    CHECK_DAY(pj_cal_add_workdays(&c, D("2024-09-27"), 13), "2024-10-21");
    /* n = 0 rolls forward to a working day */
    CHECK_DAY(pj_cal_add_workdays(&c, D("2024-10-01"), 0), "2024-10-08");
    CHECK_DAY(pj_cal_add_workdays(&c, D("2024-10-08"), 0), "2024-10-08");
    /* between is the inverse of add, over every start day of two years */
    for (int32_t d = D("2024-01-01"); d < D("2026-01-01"); d++)
        for (int n = 1; n <= 13; n += 6) {
            int32_t e = pj_cal_add_workdays(&c, d, n);
            CHECK_INT(pj_cal_workdays_between(&c, d, e), n);
            CHECK_INT(pj_cal_workdays_between(&c, e, d), -n);
            CHECK(pj_cal_is_workday(&c, e));
        }
    CHECK_INT(pj_cal_workdays_between(&c, D("2024-12-31"), D("2025-12-31")), 248);
    CHECK_INT(pj_cal_workdays_between(&c, D("2023-12-31"), D("2024-12-31")), 251);
}

TEST(enterprise_calendar_deadlines_and_reception_days)
{
    pj_cal c = calendar();
    /* received Friday 2024-05-10 10:00 Beijing; 1 working day: end of Saturday 05-11 (make-up) */
    CHECK_INT(pj_cal_deadline(&c, 1715306400, 1), 1715443200); /* 2024-05-11T16:00:00Z */
    /* received Saturday 2024-02-03 23:30 Beijing (15:30Z): end of Sunday 02-04 (make-up) */
    CHECK_INT(pj_cal_deadline(&c, 1706974200, 1), pj_cal_day_start(D("2024-02-05")));
    /* received 2024-01-31T17:00Z = Feb 1 Beijing: 7 working days → Feb 18 (make-up Sunday)? no:
     * 2-2, 2-4, 2-5, 2-6, 2-7, 2-8, 2-9 */
    CHECK_INT(pj_cal_deadline(&c, 1706720400, 7), pj_cal_day_start(D("2024-02-10")));
    /* first Mondays, moved off holidays to the next working day */
    static const struct {
        int y, m;
        const char *monday, *held;
    } rd[] = {
        {2024, 1, "2024-01-01", "2024-01-02"},  {2024, 2, "2024-02-05", "2024-02-05"},
        {2024, 4, "2024-04-01", "2024-04-01"},  {2024, 10, "2024-10-07", "2024-10-08"},
        {2025, 2, "2025-02-03", "2025-02-05"},  {2025, 5, "2025-05-05", "2025-05-06"},
        {2025, 6, "2025-06-02", "2025-06-03"},  {2025, 10, "2025-10-06", "2025-10-09"},
        {2025, 12, "2025-12-01", "2025-12-01"},
    };
    for (size_t i = 0; i < sizeof rd / sizeof rd[0]; i++) {
        int32_t mon;
        int32_t held = pj_cal_reception_day(&c, rd[i].y, rd[i].m, &mon);
        CHECK_DAY(mon, rd[i].monday);
        CHECK_DAY(held, rd[i].held);
    }
    /* with an empty calendar, weekends only */
    pj_cal none = {NULL, 0};
    CHECK_DAY(pj_cal_reception_day(&none, 2024, 1, NULL), "2024-01-01");
    CHECK_DAY(pj_cal_add_workdays(&none, D("2024-02-08"), 2), "2024-02-12");
}
