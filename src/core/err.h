/* One way to fail: a status (HTTP-style), a stable code, the field at fault and a message,
 * kept with the caller's pj_err. Functions that fail return -1 after pj_fail(). */
#ifndef PJ_ERR_H
#define PJ_ERR_H

typedef struct pj_err {
    int status;        /* 400, 401, 403, 404, 409, 413, 422, 423, 500 ... */
    char code[32];     /* e.g. "missing_field", see docs/api.md */
    char field[64];    /* "" when no single field is at fault */
    char message[512]; /* room for a list, e.g. every team type a plan is short of */
    /* The figures a client may show in its own words instead of parsing message (e.g. what a
     * flow has left to ship): the members of a JSON object, "\"left\":3,\"planned\":5", or ""
     * for none. Written by pj_err_detail after pj_fail (which empties it); answered as
     * "details" beside code, message and field. */
    char details[192];
    /* Seconds a client should wait before trying again (a limit's 429), sent as Retry-After;
     * 0 for none. pj_fail empties it; set it after. */
    int retry_after;
} pj_err;

/* Records the failure in e (if e is non-NULL) and returns -1. */
int pj_fail(pj_err *e, int status, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void pj_err_clear(pj_err *e);
/* Adds key: v to e's details (e may be NULL). key is a plain identifier (written unescaped);
 * a member that would not fit is left out. */
void pj_err_detail(pj_err *e, const char *key, long long v);
/* Adds key: "v" (a string, escaped) to e's details, as pj_err_detail. */
void pj_err_detail_str(pj_err *e, const char *key, const char *v);

#endif
