/* Working-day arithmetic over a holiday calendar (pure: no SQL). A day is a working day when
 * the calendar marks it a make-up working day (调休, e.g. a Sunday), or when it is Monday to
 * Friday and not marked a public holiday. Days are counted in Beijing time (UTC+8). */
#ifndef PJ_ENTERPRISE_CALENDAR_H
#define PJ_ENTERPRISE_CALENDAR_H

#include <stdint.h>

#define PJ_CAL_HOLIDAY 1
#define PJ_CAL_WORKDAY 2

typedef struct pj_cal_day {
    int32_t day; /* days since 1970-01-01 */
    int kind;    /* PJ_CAL_HOLIDAY or PJ_CAL_WORKDAY */
} pj_cal_day;

/* The calendar's exceptions, sorted by day, unique (borrowed). */
typedef struct pj_cal {
    const pj_cal_day *days;
    int n;
} pj_cal;

int32_t pj_cal_from_civil(int y, int m, int d);
void pj_cal_to_civil(int32_t day, int *y, int *m, int *d);
/* 0 = Monday … 6 = Sunday. */
int pj_cal_weekday(int32_t day);
/* "YYYY-MM-DD" (a real date) → day; 0 ok, -1 bad. */
int pj_cal_parse(const char *s, int32_t *day);
void pj_cal_format(int32_t day, char out[11]);
/* The Beijing-time day of an instant, and the instant 00:00 Beijing time of a day starts. */
int32_t pj_cal_local_day(int64_t t);
int64_t pj_cal_day_start(int32_t day);

int pj_cal_is_workday(const pj_cal *c, int32_t day);
/* The n-th working day after day (n ≥ 1; day itself does not count); n = 0 gives day when it
 * is a working day, else the next one. n is capped at 3660. */
int32_t pj_cal_add_workdays(const pj_cal *c, int32_t day, int n);
/* Working days in (from, to]; negative when to < from. */
int pj_cal_workdays_between(const pj_cal *c, int32_t from, int32_t to);
/* The end (24:00 Beijing time) of the n-th working day after the day of instant t: the
 * deadline of a time limit of n working days that starts counting the day after receipt. */
int64_t pj_cal_deadline(const pj_cal *c, int64_t t, int n);
/* The reception day of a month: its first Monday, moved to the next working day when that
 * Monday is not a working day. *first_monday (if given) gets the unmoved date. */
int32_t pj_cal_reception_day(const pj_cal *c, int year, int month, int32_t *first_monday);

#endif
