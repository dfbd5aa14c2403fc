/* Shared helpers of the appeal tests: an action on an appeal, an appeal taken up by its
 * department. */
#ifndef PJ_APPEAL_FIXTURE_H
#define PJ_APPEAL_FIXTURE_H

#include <jansson.h>
#include <stdio.h>

#include "t.h"
#include "th.h"

/* POST /enterprise/appeals/{id}/{action} as tok: the status, the answer in *o (when o). */
static inline int ap_act(th_server *s, const char *tok, long long id, const char *action,
                         const char *body, json_t **o)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld/%s", id, action);
    return th_call(s, "POST", path, tok, body, o);
}

/* An appeal of jd's (category permits), dispatched by off to the commerce bureau and accepted
 * (version 3). */
static inline long long ap_accepted_appeal(th_server *s, const char *off, const char *jd)
{
    long long commerce = th_sql_int(s, "SELECT id FROM organisations WHERE name = '平谷区商务局'");
    json_t *o;
    CHECK_INT(th_call(s, "POST", "/api/v1/enterprise/appeals", jd,
                      "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"测试\","
                      "\"description\":\"d\"}",
                      &o),
              201);
    long long id = th_int(o, "id");
    json_decref(o);
    char body[96];
    snprintf(body, sizeof body, "{\"version\":1,\"department_id\":%lld}", commerce);
    CHECK_INT(ap_act(s, off, id, "dispatch", body, NULL), 200);
    CHECK_INT(ap_act(s, off, id, "accept", "{\"version\":2}", NULL), 200);
    return id;
}

#endif
