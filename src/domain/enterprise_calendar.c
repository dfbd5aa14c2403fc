/* Working days: civil-date conversions (Howard Hinnant's algorithms) and a binary search in
 * the calendar's exceptions. */
#include "domain/enterprise_calendar.h"

#include "core/util.h"

#include <string.h>

#include "core/banned.h"

#define BEIJING_OFFSET PJ_LOCAL_OFFSET_S

int32_t pj_cal_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void pj_cal_to_civil(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

int pj_cal_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday (3) */
    int w = (int)((day % 7 + 7) % 7);
    return (w + 3) % 7;
}

int pj_cal_parse(const char *s, int32_t *day)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    int v[3] = {0, 0, 0}, pos[3][2] = {{0, 4}, {5, 2}, {8, 2}};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < pos[k][1]; i++) {
            char c = s[pos[k][0] + i];
            if (c < '0' || c > '9') return -1;
            v[k] = v[k] * 10 + (c - '0');
        }
    if (v[0] < 1900 || v[0] > 2999 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31) return -1;
    int32_t z = pj_cal_from_civil(v[0], v[1], v[2]);
    int y, m, d;
    pj_cal_to_civil(z, &y, &m, &d);
    if (m != v[1] || d != v[2]) return -1; /* 2025-02-30 */
    *day = z;
    return 0;
}

void pj_cal_format(int32_t day, char out[11])
{
    int y, m, d;
    pj_cal_to_civil(day, &y, &m, &d);
    unsigned v[3] = {(unsigned)(y % 10000), (unsigned)m, (unsigned)d};
    int w[3] = {4, 2, 2}, o = 0;
    for (int k = 0; k < 3; k++) {
        if (k) out[o++] = '-';
        for (int i = w[k] - 1; i >= 0; i--, v[k] /= 10) out[o + i] = (char)('0' + v[k] % 10);
        o += w[k];
    }
    out[o] = 0;
}

int32_t pj_cal_local_day(int64_t t)
{
    return (int32_t)pj_local_day(t);
}

int64_t pj_cal_day_start(int32_t day)
{
    return (int64_t)day * 86400 - BEIJING_OFFSET;
}

static int lookup(const pj_cal *c, int32_t day)
{
    int lo = 0, hi = c ? c->n : 0;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (c->days[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return c && lo < c->n && c->days[lo].day == day ? c->days[lo].kind : 0;
}

int pj_cal_is_workday(const pj_cal *c, int32_t day)
{
    int k = lookup(c, day);
    if (k == PJ_CAL_WORKDAY) return 1;
    if (k == PJ_CAL_HOLIDAY) return 0;
    return pj_cal_weekday(day) < 5;
}

int32_t pj_cal_add_workdays(const pj_cal *c, int32_t day, int n)
{
    if (n > 3660) n = 3660;
    if (n <= 0) {
        while (!pj_cal_is_workday(c, day)) day++;
        return day;
    }
    while (n > 0) {
        day++;
        if (pj_cal_is_workday(c, day)) n--;
    }
    return day;
}

int pj_cal_workdays_between(const pj_cal *c, int32_t from, int32_t to)
{
    int sign = 1;
    if (to < from) {
        int32_t t = from;
        from = to;
        to = t;
        sign = -1;
    }
    int n = 0;
    for (int32_t d = from + 1; d <= to; d++) n += pj_cal_is_workday(c, d);
    return sign * n;
}

int64_t pj_cal_deadline(const pj_cal *c, int64_t t, int n)
{
    int32_t due = pj_cal_add_workdays(c, pj_cal_local_day(t), n < 1 ? 1 : n);
    return pj_cal_day_start(due + 1);
}

int32_t pj_cal_reception_day(const pj_cal *c, int year, int month, int32_t *first_monday)
{
    int32_t d = pj_cal_from_civil(year, month, 1);
    while (pj_cal_weekday(d) != 0) d++;
    if (first_monday) *first_monday = d;
    return pj_cal_add_workdays(c, d, 0);
}
