/* Periods and the arithmetic of derived figures: pure functions, no SQL (fuzzed and tested by
 * hand-computed cases). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/indicator.h"

#include "core/banned.h"

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int pj_period_parse(const char *s, size_t n, pj_period *out)
{
    pj_period p = {'Y', 0, 0};
    if (!s || n < 4 || digits(s, 4, &p.year) || p.year < 1900 || p.year > 2999) return -1;
    if (n == 4) {
        *out = p;
        return 0;
    }
    if (n == 6 && (s[4] == 'H' || s[4] == 'h')) {
        p.kind = 'H';
        if (s[5] < '1' || s[5] > '2') return -1;
        p.sub = s[5] - '0';
    } else if (n == 6 && (s[4] == 'Q' || s[4] == 'q')) {
        p.kind = 'Q';
        if (s[5] < '1' || s[5] > '4') return -1;
        p.sub = s[5] - '0';
    } else if (n == 7 && s[4] == '-') {
        p.kind = 'M';
        if (digits(s + 5, 2, &p.sub) || p.sub < 1 || p.sub > 12) return -1;
    } else {
        return -1;
    }
    *out = p;
    return 0;
}

void pj_period_format(const pj_period *p, char out[12])
{
    switch (p->kind) {
    case 'H':
    case 'Q':
        snprintf(out, 12, "%04d%c%d", p->year % 10000, p->kind, p->sub % 10);
        break;
    case 'M':
        snprintf(out, 12, "%04d-%02d", p->year % 10000, p->sub % 100);
        break;
    default:
        snprintf(out, 12, "%04d", p->year % 10000);
    }
}

int pj_period_months(const pj_period *p)
{
    return p->kind == 'H' ? 6 : p->kind == 'Q' ? 3 : p->kind == 'M' ? 1 : 12;
}

int pj_period_first_month(const pj_period *p)
{
    return p->kind == 'Y' ? 1 : (p->sub - 1) * pj_period_months(p) + 1;
}

pj_period pj_period_add_years(pj_period p, int years)
{
    p.year += years;
    return p;
}

pj_period pj_period_prev(pj_period p)
{
    int per_year = 12 / pj_period_months(&p);
    if (p.kind == 'Y') {
        p.year--;
    } else if (p.sub > 1) {
        p.sub--;
    } else {
        p.year--;
        p.sub = per_year;
    }
    return p;
}

/* Howard Hinnant's days_from_civil. */
int64_t pj_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void pj_period_days(const pj_period *p, int64_t *first, int64_t *after)
{
    int m = pj_period_first_month(p), end = m + pj_period_months(p);
    *first = pj_days_from_civil(p->year, m, 1);
    *after = end > 12 ? pj_days_from_civil(p->year + 1, 1, 1) : pj_days_from_civil(p->year, end, 1);
}

int pj_period_begun(const pj_period *p, int64_t today)
{
    int64_t first, after;
    pj_period_days(p, &first, &after);
    return first <= today;
}

double pj_ind_growth(double cur, double prev)
{
    if (prev == 0) return NAN;
    /* over the base's size, so a rise is positive from a negative base too (−2 → 0: +100 %) */
    return (cur - prev) / fabs(prev) * 100.0;
}

int pj_ind_cagr_levels(const double *v, int n, double *out)
{
    if (n < 2 || v[0] <= 0 || v[n - 1] <= 0) return -1;
    *out = (pow(v[n - 1] / v[0], 1.0 / (n - 1)) - 1.0) * 100.0;
    return 0;
}

int pj_ind_cagr_rates(const double *r, int n, double *out)
{
    if (n < 1) return -1;
    double prod = 1.0;
    for (int i = 0; i < n; i++) {
        if (!(r[i] > -100.0)) return -1;
        prod *= 1.0 + r[i] / 100.0;
    }
    *out = (pow(prod, 1.0 / n) - 1.0) * 100.0;
    return 0;
}

double pj_ind_share(double part, double whole)
{
    if (whole == 0) return NAN;
    return part / whole * 100.0;
}

double pj_ind_points(double now, double base)
{
    return now - base;
}

int pj_ind_better(double a, double b, int desc)
{
    /* equal when they agree to 1e-9 of the larger (or both are within 1e-12 of 0): two growth
     * rates that are both 3.5 % computed from different figures differ in the last bits */
    double tol = 1e-9 * fmax(fabs(a), fabs(b)) + 1e-12;
    return desc ? a - b > tol : b - a > tol;
}

int pj_ind_rank(const double *v, int n, int idx, int desc)
{
    int r = 1;
    for (int i = 0; i < n; i++)
        if (pj_ind_better(v[i], v[idx], desc)) r++;
    return r;
}

double pj_ind_round(double v, int decimals)
{
    double f = pow(10.0, decimals);
    /* a small nudge so that 13.585 written as 13.58499999… still rounds up */
    return v < 0 ? -floor(-v * f + 0.5 + 1e-9) / f : floor(v * f + 0.5 + 1e-9) / f;
}
