#include "core/util.h"

#include <errno.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

/* The length of the well-formed UTF-8 sequence at s[0..n) (n > 0), 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t len;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, cp = c & 0x07;
    else
        return 0;
    if (len > n) return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    return len;
}

int pj_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t i = 0, len; i < n; i += len)
        if (!(len = utf8_seq(s + i, n - i))) return 0;
    return 1;
}

size_t pj_utf8_scrub(char *str)
{
    unsigned char *s = (unsigned char *)str;
    size_t n = strlen(str), o = 0;
    for (size_t i = 0, len; i < n; i += len ? len : 1)
        if ((len = utf8_seq(s + i, n - i))) {
            memmove(s + o, s + i, len);
            o += len;
        }
    s[o] = 0;
    return o;
}

size_t pj_utf8_len(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
    return c;
}

/* The test harness's shift of the clock, in seconds: defined by tests/th.c alone (th_clock_at),
 * so a test runs its server on a date of its choosing. The server's own program defines none
 * (the weak reference is then null): its clock is the real one, and no option, setting or
 * environment variable it reads can move it. */
extern int64_t pj_test_clock_shift_s __attribute__((weak));

static int64_t clock_shift(void)
{
    return &pj_test_clock_shift_s ? pj_test_clock_shift_s : 0;
}

int64_t pj_now(void)
{
    return (int64_t)time(NULL) + clock_shift();
}

int64_t pj_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((int64_t)ts.tv_sec + clock_shift()) * 1000 + ts.tv_nsec / 1000000;
}

void pj_time_iso(int64_t t, char out[21])
{
    /* civil-from-days (H. Hinnant), no locale or time-zone work */
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - days * 86400;
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) y++;
    if (y < 0 || y > 9999) y = 0;
    int h = (int)(secs / 3600), mi = (int)(secs / 60 % 60), s = (int)(secs % 60);
    char *o = out;
    o[0] = (char)('0' + y / 1000), o[1] = (char)('0' + y / 100 % 10),
    o[2] = (char)('0' + y / 10 % 10), o[3] = (char)('0' + y % 10), o[4] = '-',
    o[5] = (char)('0' + m / 10), o[6] = (char)('0' + m % 10), o[7] = '-',
    o[8] = (char)('0' + d / 10), o[9] = (char)('0' + d % 10), o[10] = 'T',
    o[11] = (char)('0' + h / 10), o[12] = (char)('0' + h % 10), o[13] = ':',
    o[14] = (char)('0' + mi / 10), o[15] = (char)('0' + mi % 10), o[16] = ':',
    o[17] = (char)('0' + s / 10), o[18] = (char)('0' + s % 10), o[19] = 'Z', o[20] = 0;
}

int pj_month_valid(const char *s)
{
    if (!s || strlen(s) != 7 || s[4] != '-') return 0;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9')) return 0;
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    return s[0] != '0' && m >= 1 && m <= 12;
}

int64_t pj_local_day(int64_t t)
{
    int64_t l = t + PJ_LOCAL_OFFSET_S;
    return l >= 0 ? l / 86400 : (l - 86399) / 86400;
}

int pj_one_of(const char *const *list, const char *s)
{
    for (int i = 0; s && list[i]; i++)
        if (!strcmp(list[i], s)) return 1;
    return 0;
}

int64_t pj_local_day_end(int64_t t)
{
    return (pj_local_day(t) + 1) * 86400 - PJ_LOCAL_OFFSET_S;
}

void pj_local_date(int64_t t, char out[11])
{
    char iso[21];
    pj_time_iso(pj_local_day(t) * 86400, iso);
    memcpy(out, iso, 10);
    out[10] = 0;
}

int pj_time_parse_local(const char *s, int64_t *out)
{
    if (pj_time_parse(s, out)) return -1;
    if (strlen(s) == 10) *out -= PJ_LOCAL_OFFSET_S;
    return 0;
}

int pj_time_parse(const char *s, int64_t *out)
{
    int Y, M, D, h = 0, m = 0, sec = 0, n = 0;
    size_t len = strlen(s);
    /* digits where the form has them: sscanf's %d alone would take "2026-+1-05" or "2026- 1-05"
     * for 2026-01-05 */
    static const char form[] = "dddd-dd-ddTdd:dd:ddZ";
    if (len != 10 && len != 20) return -1;
    for (size_t i = 0; i < len; i++)
        if (form[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != form[i]) return -1;
    if (len == 10) {
        if (sscanf(s, "%4d-%2d-%2d%n", &Y, &M, &D, &n) != 3 || n != 10) return -1;
    } else if (len == 20) {
        if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &Y, &M, &D, &h, &m, &sec, &n) != 6 || n != 20)
            return -1;
    } else {
        return -1;
    }
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (Y < 1900 || Y > 2200 || M < 1 || M > 12 || D < 1 || D > mdays[M - 1] || h > 23 || m > 59 ||
        sec > 59 || h < 0 || m < 0 || sec < 0)
        return -1;
    int leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
    if (M == 2 && D == 29 && !leap) return -1;
    struct tm tm = {.tm_year = Y - 1900,
                    .tm_mon = M - 1,
                    .tm_mday = D,
                    .tm_hour = h,
                    .tm_min = m,
                    .tm_sec = sec};
    *out = (int64_t)timegm(&tm);
    return 0;
}

int pj_parse_i64(const char *s, int64_t *out)
{
    if (!s || !*s) return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || (*s != '-' && (*s < '0' || *s > '9'))) return -1;
    *out = v;
    return 0;
}

int pj_parse_double(const char *s, double *out)
{
    /* decimal only: strtod would also take "0x10" (16), " 5" and "0x1p3" */
    if (!s || !*s || strpbrk(s, "xXpP \t\n\v\f\r")) return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || end == s || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

int pj_fmt_double(char *out, size_t n, double v)
{
    int len = 0;
    for (int prec = 15; prec <= 17; prec++) {
        len = snprintf(out, n, "%.*g", prec, v);
        if (!isfinite(v) || strtod(out, NULL) == v) break;
    }
    return len;
}

int pj_phone_chars_ok(const char *s)
{
    for (; s && *s; s++)
        if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == '+' || *s == ' ')) return 0;
    return 1;
}

const char *pj_phone_problem(const char *s)
{
    if (!s || !*s) return NULL;
    if (!pj_phone_chars_ok(s)) return "a phone number has digits, '+', '-' and spaces only";
    int n = 0;
    for (const char *p = s; *p; p++) n += *p >= '0' && *p <= '9';
    while (*s == ' ') s++;
    if (n < 7) return "a phone number has at least 7 digits";
    if (n > 15) return "a phone number has at most 15 digits";
    if (*s == '1' && n != 11) return "a mobile number (beginning with 1) has 11 digits";
    return NULL;
}

static const char uscc_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int uscc_weights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                     29, 25, 13, 8,  24, 10, 30, 28};

char pj_uscc_check_char(const char *p)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (!p[i]) return 0;
        const char *q = strchr(uscc_chars, p[i]);
        if (!q) return 0;
        sum += (int)(q - uscc_chars) * uscc_weights[i];
    }
    int c = 31 - sum % 31;
    if (c == 31) c = 0;
    return uscc_chars[c];
}

int pj_uscc_valid(const char *s)
{
    if (!s || strlen(s) != 18) return 0;
    char c = pj_uscc_check_char(s);
    return c && c == s[17];
}

void pj_random_bytes(void *out, size_t n)
{
    randombytes_buf(out, n);
}

void pj_hex(const unsigned char *in, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[in[i] >> 4];
        out[2 * i + 1] = hx[in[i] & 15];
    }
    out[2 * n] = 0;
}

int pj_point_in_polygon(double lat, double lon, const double *plat, const double *plon, int n)
{
    int in = 0;
    for (int i = 0, j = n - 1; i < n; j = i++) {
        /* the edge (j, i) crosses the horizontal line through the point, right of it */
        if ((plat[i] > lat) != (plat[j] > lat) &&
            lon < plon[j] + (plon[i] - plon[j]) * (lat - plat[j]) / (plat[i] - plat[j]))
            in = !in;
    }
    return in;
}

double pj_haversine_km(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371.0088, d = M_PI / 180.0;
    double dlat = (lat2 - lat1) * d, dlon = (lon2 - lon1) * d;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * d) * cos(lat2 * d) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * asin(sqrt(a < 1 ? a : 1));
}
