/* Shared helpers of the eldercare tests: valid ID numbers, calls that must succeed, the
 * demo accounts' grids. */
#ifndef PJ_EL_FIXTURE_H
#define PJ_EL_FIXTURE_H

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "domain/elder.h"
#include "t.h"
#include "th.h"

/* A valid GB 11643 number for birth "YYYYMMDD", sequence 0–499 and sex 'F' / 'M'. */
static inline void el_id(char out[19], const char *birth8, int seq, char sex)
{
    int s = (seq % 500) * 2 + (sex == 'M' ? 1 : 0); /* odd 17th digit = male */
    snprintf(out, 19, "110117%.8s%03d", birth8, s);
    out[17] = pj_id_check_char(out);
    out[18] = 0;
}

static inline json_t *el_call(th_server *s, const char *tok, const char *method, const char *path,
                              const char *body, int want, int line)
{
    json_t *o = NULL;
    int st = th_call(s, method, path, tok, body, &o);
    if (st != want) {
        json_t *e = o ? json_object_get(o, "error") : NULL;
        t_fail(__FILE__, line, "%s %s: %d, expected %d (%s %s: %s)", method, path, st, want,
               e ? json_string_value(json_object_get(e, "code")) : "-",
               e ? json_string_value(json_object_get(e, "field")) : "-",
               e ? json_string_value(json_object_get(e, "message")) : "");
    }
    return o;
}
#define EL(s, tok, m, path, body, want) el_call(s, tok, m, path, body, want, __LINE__)

/* The first grid of grid01 (a grid worker with three grids in the demo). */
static inline long long el_grid01_grid(th_server *s)
{
    return th_sql_int(s, "SELECT MIN(g.region_id) FROM grid_workers g JOIN users u ON u.id ="
                         " g.user_id WHERE u.username = 'grid01'");
}

/* The first grid outside grid01's grids (an area grid01 may not open). */
static inline long long el_grid_outside_grid01(th_server *s)
{
    return th_sql_int(s, "SELECT MIN(g.id) FROM regions g WHERE g.type = 'grid' AND g.id NOT IN"
                         " (SELECT region_id FROM grid_workers w JOIN users u ON u.id ="
                         " w.user_id WHERE u.username = 'grid01')");
}

/* The first grid of jinhaihu's township (the demo township officer's; grid01's are elsewhere). */
static inline long long el_grid_of_jinhaihu(th_server *s)
{
    return th_sql_int(s, "SELECT MIN(g.id) FROM regions g JOIN regions v ON v.id ="
                         " g.parent_id WHERE g.type = 'grid' AND v.parent_id ="
                         " (SELECT township_id FROM users WHERE username = 'jinhaihu')");
}

/* The first grid other than `grid` of grid's township. */
static inline long long el_grid_same_township(th_server *s, long long grid)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT MIN(g.id) FROM regions g JOIN regions v ON v.id = g.parent_id WHERE g.type ="
             " 'grid' AND g.id <> %lld AND v.parent_id = (SELECT v2.parent_id FROM regions g2"
             " JOIN regions v2 ON v2.id = g2.parent_id WHERE g2.id = %lld)",
             grid, grid);
    return th_sql_int(s, sql);
}

/* The first grid of another township than grid's. */
static inline long long el_grid_other_township(th_server *s, long long grid)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT MIN(g.id) FROM regions g JOIN regions v ON v.id = g.parent_id WHERE g.type ="
             " 'grid' AND v.parent_id <> (SELECT v2.parent_id FROM regions g2 JOIN regions v2"
             " ON v2.id = g2.parent_id WHERE g2.id = %lld)",
             grid);
    return th_sql_int(s, sql);
}

/* Registers an elder on grid as tok; returns the new id. extra: more JSON members or "". */
static inline long long el_elder(th_server *s, const char *tok, long long grid, int seq,
                                 const char *extra)
{
    char id[19], body[1024];
    el_id(id, "19400315", seq, 'F');
    snprintf(body, sizeof body,
             "{\"name\":\"老人%d\",\"sex\":\"F\",\"birth_date\":\"1940-03-15\","
             "\"id_number\":\"%s\",\"phone\":\"13800001234\",\"grid_id\":%lld,"
             "\"ability_level\":1%s%s}",
             seq, id, grid, *extra ? "," : "", extra);
    json_t *o = EL(s, tok, "POST", "/api/v1/elders", body, 201);
    long long eid = th_int(o, "id");
    json_decref(o);
    return eid;
}

static inline long long el_helper(th_server *s, const char *tok, long long grid, int seq,
                                  const char *birth, char sex, const char *extra)
{
    char id[19], body[1024],
        b8[9] = {birth[0], birth[1], birth[2], birth[3], birth[5], birth[6], birth[8], birth[9], 0};
    el_id(id, b8, seq, sex);
    snprintf(body, sizeof body,
             "{\"name\":\"互助员%d\",\"sex\":\"%c\",\"birth_date\":\"%s\",\"id_number\":\"%s\","
             "\"phone\":\"13900005678\",\"grid_id\":%lld,\"skills\":[\"companionship\","
             "\"meals\"],\"capacity\":2%s%s}",
             seq, sex, birth, id, grid, *extra ? "," : "", extra);
    json_t *o = EL(s, tok, "POST", "/api/v1/helpers", body, 201);
    long long hid = th_int(o, "id");
    json_decref(o);
    return hid;
}

/* One person (钱秀兰seq, born 1958-07-09, of ID number el_id(…, "19580709", seq, 'F')) as an
 * elder on grid, registered as tok: the new elder's id. */
static inline long long el_person_elder(th_server *s, const char *tok, long long grid, int seq)
{
    char id[19], body[400];
    el_id(id, "19580709", seq, 'F');
    snprintf(body, sizeof body,
             "{\"name\":\"钱秀兰%d\",\"sex\":\"F\",\"birth_date\":\"1958-07-09\",\"id_number\":"
             "\"%s\",\"grid_id\":%lld,\"ability_level\":1}",
             seq, id, grid);
    json_t *o = EL(s, tok, "POST", "/api/v1/elders", body, 201);
    long long e = th_int(o, "id");
    json_decref(o);
    return e;
}

/* The same person as a helper record on grid, registered as tok, linked to elder `link` when
 * not 0: the new helper's id. */
static inline long long el_person_helper(th_server *s, const char *tok, long long grid, int seq,
                                         long long link)
{
    char id[19], body[500], extra[40] = "";
    el_id(id, "19580709", seq, 'F');
    if (link) snprintf(extra, sizeof extra, ",\"elder_id\":%lld", link);
    snprintf(body, sizeof body,
             "{\"name\":\"钱秀兰%d\",\"sex\":\"F\",\"birth_date\":\"1958-07-09\",\"id_number\":"
             "\"%s\",\"grid_id\":%lld,\"skills\":[\"companionship\"],\"capacity\":2%s}",
             seq, id, grid, extra);
    json_t *o = EL(s, tok, "POST", "/api/v1/helpers", body, 201);
    long long h = th_int(o, "id");
    json_decref(o);
    return h;
}

/* The credit account of the elder or helper at path (GET as tok). */
static inline long long el_account_of(th_server *s, const char *tok, const char *path)
{
    json_t *o = EL(s, tok, "GET", path, NULL, 200);
    long long id = th_int(o, "credit_account_id");
    json_decref(o);
    return id;
}

/* On grid (grid worker g's): an elder (seq 1) and a helper of 76 (seq 2, who may redeem for
 * their own care), who logs `minutes` of companionship with the elder and so earns that many
 * credit minutes. Returns the helper's credit account (read as officer off); *eid, *hid the
 * elder's and the helper's ids. */
static inline long long el_earned(th_server *s, const char *g, const char *off, long long grid,
                                  int minutes, long long *eid, long long *hid)
{
    char body[256], path[64];
    *eid = el_elder(s, g, grid, 1, "");
    *hid = el_helper(s, g, grid, 2, "1950-05-01", 'F', "");
    snprintf(body, sizeof body,
             "{\"entries\":[{\"elder_id\":%lld,\"kind\":\"companionship\",\"helper_id\":%lld,"
             "\"minutes\":%d}]}",
             *eid, *hid, minutes);
    json_decref(EL(s, g, "POST", "/api/v1/service-logs", body, 201));
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", *hid);
    return el_account_of(s, off, path);
}

/* The message of a refusal without its digits (the ids it names), into `out` of 200: refusals
 * of different records compared word for word. */
static inline void el_no_digits(json_t *refusal, char out[200])
{
    int n = 0;
    for (const char *m = th_err_message(refusal); *m && n < 199; m++)
        if (*m < '0' || *m > '9') out[n++] = *m;
    out[n] = 0;
}

/* Loads the eldercare demo with n elders into the server's database (the demo district is
 * there already). */
static inline void el_demo(th_server *s, int n)
{
    th_ctx t;
    pj_err err;
    pj_err_clear(&err);
    th_ctx_open(s, &t, "test", PJ_ROLE_ADMIN);
    if (pj_db_begin(t.db, &err) || pj_eldercare_demo_sized(&t.c, 20240801, n, &err) ||
        pj_db_commit(t.db, &err))
        t_fail(__FILE__, __LINE__, "eldercare demo: %s", err.message);
    th_ctx_close(&t);
}

#endif
