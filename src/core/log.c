#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "core/util.h"

#include "core/banned.h"

static int min_level = PJ_LOG_INFO;

void pj_log_level(int level)
{
    min_level = level;
}

int pj_log_enabled(int level)
{
    return level >= min_level;
}

void pj_log(int level, const char *fmt, ...)
{
    if (level < min_level) return;
    static const char *names[] = {"debug", "info", "warn", "error"};
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char line[2048];
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ts.tv_nsec / 1000000, names[level & 3]);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof line) vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", line);
}
