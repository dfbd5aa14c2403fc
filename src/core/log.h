/* Logging to stderr with UTC timestamps. */
#ifndef PJ_LOG_H
#define PJ_LOG_H

enum { PJ_LOG_DEBUG, PJ_LOG_INFO, PJ_LOG_WARN, PJ_LOG_ERROR, PJ_LOG_OFF };
void pj_log_level(int level);
int pj_log_enabled(int level);
void pj_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define pj_info(...)  pj_log(PJ_LOG_INFO, __VA_ARGS__)
#define pj_warn(...)  pj_log(PJ_LOG_WARN, __VA_ARGS__)
#define pj_error(...) pj_log(PJ_LOG_ERROR, __VA_ARGS__)

#endif
