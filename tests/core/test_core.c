/* Unit tests of src/core: arena, buffer, JSON writer, UTF-8, time, numbers, credit codes. */
#include <math.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "core/json.h"
#include "core/util.h"
#include "t.h"

TEST(core_arena_alloc_align_and_big)
{
    pj_arena a;
    pj_arena_init(&a, 256);
    char *p = pj_arena_alloc(&a, 3);
    char *q = pj_arena_alloc(&a, 5);
    CHECK(((uintptr_t)p & 15) == 0 && ((uintptr_t)q & 15) == 0);
    CHECK(q >= p + 16);
    char *big = pj_arena_alloc(&a, 10000); /* larger than a block */
    memset(big, 1, 10000);
    char *s = pj_arena_printf(&a, "%s-%d", "平谷", 110117);
    CHECK_STR(s, "平谷-110117");
    pj_arena_reset(&a);
    CHECK_STR(pj_arena_strdup(&a, "after reset"), "after reset");
    pj_arena_free(&a);
}

TEST(core_arena_room_keeps_every_element)
{
    pj_arena a;
    pj_arena_init(&a, 256);
    struct pair {
        int64_t k;
        double v;
    } *v = NULL;
    int n = 0, cap = 0;
    for (int i = 0; i < 1000; i++) { /* 4, 8, ..., 1024: eight moves */
        v = pj_arena_room(&a, v, n, &cap, sizeof *v, 4);
        CHECK(v && n < cap);
        v[n++] = (struct pair){i, i * 0.5};
    }
    CHECK_INT(cap, 1024);
    int bad = 0;
    for (int i = 0; i < n; i++) bad += v[i].k != i || v[i].v != i * 0.5;
    CHECK_INT(bad, 0);
    struct pair *same = pj_arena_room(&a, v, 999, &cap, sizeof *v, 4); /* room left: v itself */
    CHECK(same == v && cap == 1024);
    int none = 0;
    int64_t *w = pj_arena_room(&a, NULL, 0, &none, sizeof *w, 0); /* no first: 16 */
    CHECK(w && none == 16);
    pj_arena_free(&a);
}

TEST(core_buf_limit)
{
    pj_buf b;
    pj_buf_init(&b, 8);
    CHECK_INT(pj_buf_puts(&b, "1234567"), 0);
    CHECK_INT(pj_buf_puts(&b, "8"), -1);
    CHECK(b.overflow);
    CHECK_STR(b.data, "1234567");
    pj_buf_free(&b);
}

TEST(core_json_writer_escapes_and_nests)
{
    pj_buf b;
    pj_buf_init(&b, 0);
    pj_jw w;
    pj_jw_init(&w, &b);
    pj_jw_obj(&w);
    pj_jw_kstr(&w, "name", "万达\"锦华\"\n\\\x01");
    pj_jw_kint(&w, "n", -42);
    pj_jw_knum(&w, "x", 0.5);
    pj_jw_knum(&w, "inf", INFINITY);
    pj_jw_key(&w, "list");
    pj_jw_arr(&w);
    pj_jw_int(&w, 1);
    pj_jw_obj(&w);
    pj_jw_obj_end(&w);
    pj_jw_null(&w);
    pj_jw_arr_end(&w);
    pj_jw_kbool(&w, "ok", 1);
    pj_jw_obj_end(&w);
    CHECK_STR(b.data, "{\"name\":\"万达\\\"锦华\\\"\\n\\\\\\u0001\",\"n\":-42,\"x\":0.5,"
                      "\"inf\":null,\"list\":[1,{},null],\"ok\":true}");
    pj_buf_free(&b);
}

/* Regression: a number not whole was written to 10 significant digits — a stored quantity of
 * 1234567890.75 was answered 1234567891, 12345678901.5 as 12345678900. Now 15, what a value
 * entered with up to 15 digits needs to read back as entered; float noise below that (0.1 + 0.2)
 * still does not show. */
TEST(core_json_numbers_keep_15_digits)
{
    static const struct {
        double v;
        const char *text;
    } cases[] = {{1234567890.75, "1234567890.75"},
                 {12345678901.5, "12345678901.5"},
                 {123456789.123456, "123456789.123456"},
                 {0.1 + 0.2, "0.3"},
                 {-0.000125, "-0.000125"},
                 {1e15 + 0.5, "1e+15"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pj_buf b;
        pj_buf_init(&b, 0);
        pj_jw w;
        pj_jw_init(&w, &b);
        pj_jw_num(&w, cases[i].v);
        CHECK_STR(b.data, cases[i].text);
        pj_buf_free(&b);
    }
}

/* pj_fmt_fixed is the text pj_jw_fixed writes (a CSV cell reads as the JSON does): halves
 * of the last digit kept go away from zero, trailing zeros go, no figure is "" (JSON null). */
TEST(core_fixed_text_is_the_json_text)
{
    static const double vs[] = {19.95, 6.25, -6.25, 16782.55, 0.04, 0, 50, 1e17, 123.456789};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
        for (int d = 0; d <= 3; d++) {
            pj_buf b;
            pj_buf_init(&b, 0);
            pj_jw w;
            pj_jw_init(&w, &b);
            pj_jw_fixed(&w, vs[i], d);
            char t[PJ_FIXED_SIZE];
            CHECK_INT(pj_fmt_fixed(t, vs[i], d), strlen(t));
            CHECK_STR(t, b.data);
            pj_buf_free(&b);
        }
    char t[PJ_FIXED_SIZE];
    pj_fmt_fixed(t, 19.95, 1);
    CHECK_STR(t, "20");
    pj_fmt_fixed(t, 6.25, 1);
    CHECK_STR(t, "6.3");
    pj_fmt_fixed(t, -6.25, 1);
    CHECK_STR(t, "-6.3");
    pj_fmt_fixed(t, 50.0, 1);
    CHECK_STR(t, "50");
    CHECK_INT(pj_fmt_fixed(t, NAN, 1), 0);
    CHECK_STR(t, "");
}

TEST(core_utf8_validation)
{
    CHECK(pj_utf8_valid("平谷区 abc", strlen("平谷区 abc")));
    CHECK(!pj_utf8_valid("\xff", 1));
    CHECK(!pj_utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
    CHECK(!pj_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    CHECK(!pj_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    CHECK(!pj_utf8_valid("\xe5\xb9", 2));         /* truncated */
    CHECK_INT(pj_utf8_len("平谷区", strlen("平谷区")), 3);
}

TEST(core_local_date_is_beijing)
{
    /* the district's date turns at 16:00 UTC (Beijing midnight), not at 00:00 UTC */
    int64_t t;
    char d[11];
    CHECK_INT(pj_time_parse("2026-11-29T15:59:59Z", &t), 0);
    pj_local_date(t, d);
    CHECK_STR(d, "2026-11-29");
    pj_local_date(t + 1, d);
    CHECK_STR(d, "2026-11-30");
    CHECK_INT(pj_local_day(t + 1) - pj_local_day(t), 1);
    CHECK_INT(pj_time_parse("2026-11-29T23:30:00Z", &t), 0); /* 07:30 on the 30th in Pinggu */
    pj_local_date(t, d);
    CHECK_STR(d, "2026-11-30");
    CHECK_INT(pj_time_parse("1969-12-31T16:00:00Z", &t), 0); /* local midnight of 1970-01-01 */
    CHECK_INT(pj_local_day(t), 0);
    CHECK_INT(pj_local_day(t - 1), -1);
}

TEST(core_time_and_numbers)
{
    int64_t t;
    CHECK_INT(pj_time_parse("2024-08-01", &t), 0);
    char iso[21];
    pj_time_iso(t, iso);
    CHECK_STR(iso, "2024-08-01T00:00:00Z");
    CHECK_INT(pj_time_parse("2024-02-30", &t), -1);
    CHECK_INT(pj_time_parse("2023-02-29", &t), -1);
    CHECK_INT(pj_time_parse("2024-02-29T23:59:59Z", &t), 0);
    CHECK_INT(pj_time_parse("2024-8-1", &t), -1);
    /* digits where the form has them: a sign or a space is no digit */
    CHECK_INT(pj_time_parse("2024-+8-01", &t), -1);
    CHECK_INT(pj_time_parse("2024- 8-01", &t), -1);
    CHECK_INT(pj_time_parse("2024-08-+1", &t), -1);
    CHECK_INT(pj_time_parse("2024-08-01T+8:00:00Z", &t), -1);
    CHECK_INT(pj_time_parse("2024-08-01T08:00:00z", &t), -1);
    int64_t v;
    CHECK_INT(pj_parse_i64("123", &v), 0);
    CHECK_INT(v, 123);
    CHECK_INT(pj_parse_i64("12a", &v), -1);
    CHECK_INT(pj_parse_i64("", &v), -1);
    CHECK_INT(pj_parse_i64(" 1", &v), -1);
    CHECK_INT(pj_parse_i64("99999999999999999999", &v), -1);
    /* the shortest form that reads back: the seed's 39.4, not 39.399999999999999 */
    char num[32];
    pj_fmt_double(num, sizeof num, 39.4);
    CHECK_STR(num, "39.4");
    pj_fmt_double(num, sizeof num, 0.1 + 0.2); /* needs 17 digits to round-trip */
    CHECK_STR(num, "0.30000000000000004");
    pj_fmt_double(num, sizeof num, 1e21);
    CHECK_STR(num, "1e+21");
    double back;
    const double probes[] = {1.0 / 3, 2.0 / 3, 123456.789, -2.5e-300, 1.7976931348623157e308};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        pj_fmt_double(num, sizeof num, probes[i]);
        CHECK(pj_parse_double(num, &back) == 0 && back == probes[i]);
    }
}

TEST(core_unified_social_credit_code)
{
    /* published example codes with a correct check character */
    CHECK(pj_uscc_valid("91350100M000100Y43"));
    CHECK(pj_uscc_valid("911101087229628467") == (pj_uscc_check_char("91110108722962846") == '7'));
    CHECK(!pj_uscc_valid("91350100M000100Y44"));
    CHECK(!pj_uscc_valid("91350100M000100Y4"));  /* 17 chars */
    CHECK(!pj_uscc_valid("91350100I000100Y43")); /* I is not in the charset */
    char code[19] = "91110117MA0123456";
    code[17] = pj_uscc_check_char(code);
    code[18] = 0;
    CHECK(pj_uscc_valid(code));
}

/* Even-odd point in polygon: a square, a concave L, a triangle, against brute force on a grid
 * for the L (the union of two rectangles). */
TEST(core_point_in_polygon)
{
    const double sq_lat[] = {40.0, 40.0, 40.2, 40.2}, sq_lon[] = {117.0, 117.2, 117.2, 117.0};
    CHECK(pj_point_in_polygon(40.1, 117.1, sq_lat, sq_lon, 4));
    CHECK(!pj_point_in_polygon(40.3, 117.1, sq_lat, sq_lon, 4));
    CHECK(!pj_point_in_polygon(40.1, 116.9, sq_lat, sq_lon, 4));
    /* L: [0,2]x[0,1] and [0,1]x[1,2] (lat x lon) */
    const double l_lat[] = {0, 2, 2, 1, 1, 0}, l_lon[] = {0, 0, 1, 1, 2, 2};
    int wrong = 0;
    for (int a = 1; a < 40; a += 2)
        for (int b = 1; b < 40; b += 2) {
            double la = a / 20.0, lo = b / 20.0; /* cell centres, never on an edge */
            int want = (la < 2 && lo < 1) || (la < 1 && lo < 2);
            wrong += pj_point_in_polygon(la, lo, l_lat, l_lon, 6) != want;
        }
    CHECK_INT(wrong, 0);
    const double t_lat[] = {0, 0, 1}, t_lon[] = {0, 1, 0};
    CHECK(pj_point_in_polygon(0.2, 0.2, t_lat, t_lon, 3));
    CHECK(!pj_point_in_polygon(0.6, 0.6, t_lat, t_lon, 3));
}

TEST(core_haversine)
{
    /* Pinggu centre to Tiananmen ≈ 70 km */
    double d = pj_haversine_km(40.140, 117.121, 39.9087, 116.3975);
    CHECK(d > 60 && d < 75);
    CHECK_NEAR(pj_haversine_km(40, 117, 40, 117), 0, 1e-9);
}

/* A message cut inside a character (%.4s of 平谷, or at the message's size) keeps only whole
 * characters; stray and malformed bytes go, valid text stays as it is. */
TEST(core_err_message_stays_utf8)
{
    pj_err e;
    pj_err_clear(&e);
    pj_fail(&e, 422, "bad", "f", "no township '%.4s'", "平谷");
    CHECK_STR(e.message, "no township '平'");
    char big[600];
    memset(big, 'a', sizeof big);
    big[sizeof big - 1] = 0;
    memcpy(big + sizeof e.message - 3, "谷", 3); /* the last character cut by the size */
    pj_fail(&e, 422, "bad", "f", "%s", big);
    CHECK(pj_utf8_valid(e.message, strlen(e.message)));
    CHECK_INT(strlen(e.message), sizeof e.message - 3);
    char s[] = "ok\xe5\xb9z\xc0\xaf平\xed\xa0\x80!";
    CHECK_INT(pj_utf8_scrub(s), 7);
    CHECK_STR(s, "okz平!");
}

/* The tests' own static storage stays small: the leak checker of the sanitizer build scans it at
 * the exit of every process of the tests (each test, each server it forks), whichever test the
 * storage is of. With a hundred buffers of up to 4 MiB each (66 MiB) every exit cost some 0.3 s
 * under ASan; large buffers are on the test's stack or th_scratch. (__bss_start and _end are the
 * linker's marks around the program's zero-initialised storage.) */
extern char __bss_start, _end;
TEST(tests_static_storage_stays_small)
{
    size_t bss = (size_t)(&_end - &__bss_start);
    if (bss > (16u << 20))
        t_fail(__FILE__, __LINE__, "the test program holds %zu MiB of static storage", bss >> 20);
}

/* Whether a path (existing or to be made) lies in a directory, links resolved. */
TEST(core_path_inside)
{
    char web[700], p[900], link[800];
    snprintf(web, sizeof web, "%s/web", t_tmpdir());
    mkdir(web, 0700);
    snprintf(p, sizeof p, "%s/a.db", web);
    CHECK_INT(pj_path_inside(p, web), 1);
    snprintf(p, sizeof p, "%s/not/yet/a.db", web);
    CHECK_INT(pj_path_inside(p, web), 1);
    CHECK_INT(pj_path_inside(web, web), 1);
    snprintf(p, sizeof p, "%s/../a.db", web);
    CHECK_INT(pj_path_inside(p, web), 0);
    snprintf(p, sizeof p, "%s/web2/a.db", t_tmpdir()); /* a name beginning as the directory's */
    CHECK_INT(pj_path_inside(p, web), 0);
    /* through a link to the directory */
    snprintf(link, sizeof link, "%s/link", t_tmpdir());
    CHECK_INT(symlink(web, link), 0);
    snprintf(p, sizeof p, "%s/b.db", link);
    CHECK_INT(pj_path_inside(p, web), 1);
    CHECK_INT(pj_path_inside("/tmp/x.db", "/"), 1);
    CHECK_INT(pj_path_inside("/tmp/x.db", "/nonexistent-dir"), 0);
}
