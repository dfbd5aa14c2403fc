/* Small helpers: UTF-8 validation, time, number parsing, identifier checks. */
#ifndef PJ_UTIL_H
#define PJ_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF). */
int pj_utf8_valid(const char *s, size_t n);
/* Drops from the NUL-terminated s, in place, every byte that is not part of a well-formed
 * UTF-8 sequence (a multi-byte character cut by a byte limit, %.60s or a full buffer);
 * returns the new length. */
size_t pj_utf8_scrub(char *s);
/* Number of code points in valid UTF-8. */
size_t pj_utf8_len(const char *s, size_t n);
/* Seconds since the epoch (UTC): the real clock (in the tests, as th_clock_at sets it). */
int64_t pj_now(void);
/* Milliseconds since the epoch, by the same clock as pj_now. */
int64_t pj_now_ms(void);
/* The district's local time is Beijing time: UTC+8, no daylight saving. Dates a user types
 * ("today", "not in the future", "overdue") are local dates. */
#define PJ_LOCAL_OFFSET_S (8 * 3600)
/* Days since 1970-01-01 of t's local date. */
int64_t pj_local_day(int64_t t);
/* 1 when s is one of the NULL-terminated list's strings (an enumerated value, a path's key). */
int pj_one_of(const char *const *list, const char *s);
/* The first instant of the local day after t's (the next Beijing midnight). */
int64_t pj_local_day_end(int64_t t);
/* t's local date as "YYYY-MM-DD" into out (11 bytes). */
void pj_local_date(int64_t t, char out[11]);
/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into out (≥ 21 bytes). */
void pj_time_iso(int64_t t, char out[21]);
/* Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" (digits only where the form has them, a real
 * date and time); returns 0 ok, -1 bad. */
int pj_time_parse(const char *s, int64_t *out);
/* pj_time_parse for a bound a person gives: a bare date "YYYY-MM-DD" is a day in Pinggu, its
 * first instant in Beijing time (UTC+8); a full time stays as given. */
int pj_time_parse_local(const char *s, int64_t *out);
/* 1 when s is a month "YYYY-MM" (year from 1000, month 01–12). */
int pj_month_valid(const char *s);
/* Strict decimal integer parse of the whole string; 0 ok, -1 bad or out of range. */
int pj_parse_i64(const char *s, int64_t *out);
/* Strict decimal floating-point parse of the whole string; 0 ok, -1 bad. */
int pj_parse_double(const char *s, double *out);
/* Writes v in the shortest %g form that reads back as v (39.4, not 39.399999999999999);
 * returns the length. n >= 32 is always enough. */
int pj_fmt_double(char *out, size_t n, double v);
/* 1 when s holds only what a written phone number may: digits, '+', '-' and spaces. */
int pj_phone_chars_ok(const char *s);
/* Why s cannot be a phone number someone calls back, or NULL when it can ("" too: none given):
 * its characters (pj_phone_chars_ok), 7 to 15 digits (a landline without its area code has 7),
 * and a number beginning with 1, a mobile, 11 digits. */
const char *pj_phone_problem(const char *s);
/* Unified social credit code (GB 32100-2015): 18 chars, charset and check digit. */
int pj_uscc_valid(const char *s);
/* Computes the 18th char for a 17-char prefix; returns 0 on a bad prefix. */
char pj_uscc_check_char(const char *prefix17);
/* Fills out with n random bytes from the OS (libsodium); 0 ok. */
void pj_random_bytes(void *out, size_t n);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void pj_hex(const unsigned char *in, size_t n, char *out);
/* Great-circle distance in km between two WGS-84 points. */
double pj_haversine_km(double lat1, double lon1, double lat2, double lon2);
/* 1 when (lat, lon) lies inside the polygon of n vertices lat[i], lon[i] (even-odd rule,
 * treated as planar in degrees: fine at district scale, not across the antimeridian). */
int pj_point_in_polygon(double lat, double lon, const double *plat, const double *plon, int n);

#endif
