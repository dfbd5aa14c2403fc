/* pingji test harness: tests register themselves; the runner forks one child per test
 * (with a timeout), runs up to PJ_TEST_JOBS at once and ends with "N passed, N failed". */
#ifndef PJ_T_H
#define PJ_T_H

#include <stdio.h>
#include <string.h>

typedef void (*t_fn)(void);
void t_register(const char *name, const char *file, t_fn fn, int timeout_s);
void t_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
/* What the test waits on now (e.g. "GET /api/v1/…"), named in the output when it runs out of
 * time; NULL when it waits on nothing. */
void t_doing(const char *what);
/* A fresh directory for this test (owned by the runner, removed when the test passes). */
const char *t_tmpdir(void);
/* Called by the runner once before the first test and once after the last (th.c: the demo
 * district every test copies). */
void t_before_all(void);
void t_after_all(void);
/* Path of the shared benchmark instances ($PJ_BENCHMARKS or ../shared/benchmarks). */
const char *t_benchmarks_dir(void);

#define TEST_T(name, timeout)                                                                      \
    static void name(void);                                                                        \
    __attribute__((constructor)) static void t_reg_##name(void)                                    \
    {                                                                                              \
        t_register(#name, __FILE__, name, timeout);                                                \
    }                                                                                              \
    static void name(void)
#define TEST(name) TEST_T(name, 60)

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) t_fail(__FILE__, __LINE__, "CHECK(%s)", #c);                                     \
    } while (0)
#define CHECK_INT(a, b)                                                                            \
    do {                                                                                           \
        long long t_a_ = (long long)(a), t_b_ = (long long)(b);                                    \
        if (t_a_ != t_b_)                                                                          \
            t_fail(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", #a, t_a_, #b, t_b_);     \
    } while (0)
#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *t_a_ = (a), *t_b_ = (b);                                                       \
        if (!t_a_ || !t_b_ || strcmp(t_a_, t_b_) != 0)                                             \
            t_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a,                        \
                   t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)");                                \
    } while (0)
#define CHECK_NEAR(a, b, eps)                                                                      \
    do {                                                                                           \
        double t_a_ = (a), t_b_ = (b);                                                             \
        if (!(t_a_ - t_b_ <= (eps) && t_b_ - t_a_ <= (eps)))                                       \
            t_fail(__FILE__, __LINE__, "%s == %.9g, expected %.9g (±%g)", #a, t_a_, t_b_,          \
                   (double)(eps));                                                                 \
    } while (0)

#endif
