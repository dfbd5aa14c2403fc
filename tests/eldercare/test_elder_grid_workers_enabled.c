/* A grid worker's account disabled (the person has left) was still listed as the grid's
 * worker: in GET /regions/{id} and in the vulnerable list (JSON and the CSV the emergency sheet
 * is printed from), so a grid whose worker left read as looked after. Only enabled accounts
 * are listed; one enabled again is listed again. */
#include <stdlib.h>

#include "el_fixture.h"

/* whether the region or vulnerable answer at path (as tok) names username `who` */
static int names(th_server *s, const char *tok, const char *path, const char *who)
{
    json_t *o = EL(s, tok, "GET", path, NULL, 200);
    char *txt = json_dumps(o, 0);
    int found = strstr(txt, who) != NULL;
    free(txt);
    json_decref(o);
    return found;
}

/* whether the district's vulnerable CSV names who */
static int csv_names(th_server *s, const char *who)
{
    th_ctx l;
    th_ctx_open(s, &l, "test", PJ_ROLE_DISTRICT_OFFICER);
    pj_err err;
    pj_err_clear(&err);
    pj_buf b;
    pj_buf_init(&b, 8 << 20);
    if (pj_vulnerable_list(&l.c, 0, 0, 0, 0, NULL, &b, &err))
        t_fail(__FILE__, __LINE__, "vulnerable CSV: %s", err.message);
    pj_buf_putc(&b, 0);
    int found = strstr(b.data, who) != NULL;
    pj_buf_free(&b);
    th_ctx_close(&l);
    return found;
}

TEST_T(eldercare_disabled_grid_worker_is_no_grid_worker, 60)
{
    th_server s;
    th_start(&s, 1);
    char a[80], off[80], body[256], rpath[64], upath[64], vpath[96];
    th_login(&s, "admin", s.admin_pw, a);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    el_elder(&s, off, grid, 70, "\"living_alone\":true");
    snprintf(body, sizeof body,
             "{\"username\":\"gw_left\",\"role\":\"grid_worker\",\"grid_ids\":[%lld],"
             "\"password\":\"long-enough-pw-1\"}",
             grid);
    json_t *o = EL(&s, a, "POST", "/api/v1/users", body, 201);
    long long uid = th_int(o, "id");
    json_decref(o);
    snprintf(rpath, sizeof rpath, "/api/v1/regions/%lld", grid);
    snprintf(upath, sizeof upath, "/api/v1/users/%lld", uid);
    snprintf(vpath, sizeof vpath, "/api/v1/eldercare/vulnerable?region_id=%lld&limit=500", grid);
    CHECK(names(&s, off, rpath, "\"gw_left\""));
    CHECK(names(&s, off, vpath, "(gw_left)"));
    CHECK(csv_names(&s, "(gw_left)"));
    /* disabled: listed nowhere; grid01, enabled, still is */
    json_decref(EL(&s, a, "DELETE", upath, NULL, 204));
    CHECK(!names(&s, off, rpath, "\"gw_left\""));
    CHECK(!names(&s, off, vpath, "(gw_left)"));
    CHECK(!csv_names(&s, "(gw_left)"));
    CHECK(names(&s, off, rpath, "\"grid01\""));
    CHECK(names(&s, off, vpath, "(grid01)"));
    CHECK(csv_names(&s, "(grid01)"));
    /* enabled again: listed again */
    o = EL(&s, a, "GET", upath, NULL, 200);
    snprintf(body, sizeof body, "{\"version\":%lld,\"disabled\":false}", th_int(o, "version"));
    json_decref(o);
    json_decref(EL(&s, a, "PATCH", upath, body, 200));
    CHECK(names(&s, off, rpath, "\"gw_left\""));
    CHECK(csv_names(&s, "(gw_left)"));
    th_stop(&s);
}
