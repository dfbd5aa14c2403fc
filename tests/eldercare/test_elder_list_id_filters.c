/* The id filters of the eldercare lists (pairs and service logs by elder_id and helper_id,
 * alerts by elder_id) name a record in the caller's scope, as region_id does: an elder or
 * helper of another township (a township officer) or of a grid not theirs (a grid worker) is
 * 403 forbidden on the filter, naming it and the id, and nothing written — it answered 200 with
 * no items, read as "no pairs, no visits, no alerts" for an elder who has them. An id of no
 * record is 422 unknown_id on the filter, as an unknown region_id. District roles name any. */
#include "core/util.h"
#include "eldercare/el_fixture.h"

/* An elder, a helper, a pair of them, a service log and an alert (no_doctor), on one grid. */
typedef struct place {
    long long grid, elder, helper, pair, log, alert;
} place;

static void place_fill(th_server *s, const char *reg, const char *pairer, long long grid, int seq,
                       place *p)
{
    char body[300], t_in[21];
    p->grid = grid;
    p->elder = el_elder(s, reg, grid, seq, "");
    p->helper = el_helper(s, reg, grid, seq, "1968-01-01", 'F', "");
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"helper_id\":%lld}", p->elder, p->helper);
    json_t *o = EL(s, pairer, "POST", "/api/v1/pairs", body, 201);
    p->pair = th_int(o, "id");
    json_decref(o);
    pj_time_iso(pj_now() - 3 * 3600, t_in);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\",\"time_in\":"
             "\"%s\",\"minutes\":30}",
             p->elder, p->helper, t_in);
    o = EL(s, pairer, "POST", "/api/v1/service-logs", body, 201);
    p->log = th_int(o, "id");
    json_decref(o);
}

/* the elders' no_doctor alerts, raised by a scan (none of them has a family doctor) */
static void alerts_fill(th_server *s, const char *district, place *const *ps, int n)
{
    char q[200];
    json_decref(EL(s, district, "POST", "/api/v1/elder-alerts/scan", "{}", 200));
    for (int k = 0; k < n; k++) {
        snprintf(q, sizeof q,
                 "SELECT id FROM elder_alerts WHERE kind = 'no_doctor' AND elder_id = %lld",
                 ps[k]->elder);
        ps[k]->alert = th_sql_int(s, q);
        CHECK(ps[k]->alert > 0);
    }
}

/* GET path as tok lists the item id */
static void lists(th_server *s, const char *tok, const char *path, long long id, int line)
{
    if (!th_list_has(s, tok, path, "id", id))
        t_fail(__FILE__, line, "GET %s does not list %lld", path, id);
}
#define LISTS(tok, path, id) lists(&s, tok, path, id, __LINE__)

/* GET path as tok is refused with want (403 forbidden / 422 unknown_id) on field, its message
 * naming the filter and the id, and nothing written */
static void refused(th_server *s, const char *tok, const char *path, int want, const char *field,
                    long long id, int line)
{
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE], ids[24];
    th_fingerprint(s, fp0, sizeof fp0);
    json_t *o = el_call(s, tok, "GET", path, NULL, want, line);
    const char *code = want == 403 ? "forbidden" : "unknown_id";
    snprintf(ids, sizeof ids, "%lld", id);
    if (strcmp(th_err_code(o), code) || strcmp(th_err_field(o), field) ||
        !strstr(th_err_message(o), field) || !strstr(th_err_message(o), ids))
        t_fail(__FILE__, line, "GET %s: %s on %s (%s), expected %s on %s naming %s", path,
               th_err_code(o), th_err_field(o), th_err_message(o), code, field, ids);
    json_decref(o);
    th_fingerprint(s, fp1, sizeof fp1);
    if (strcmp(fp0, fp1)) t_fail(__FILE__, line, "GET %s wrote", path);
}
#define REFUSED(tok, path, want, field, id) refused(&s, tok, path, want, field, id, __LINE__)

/* Every list's filters for the records of place p: listed (in) or refused with 403. */
static void filters(th_server *s, const char *tok, const place *p, int in, int line)
{
    char path[160];
    static const char *const lists_of[] = {"/api/v1/pairs", "/api/v1/service-logs"};
    static const char *const fields[] = {"elder_id", "helper_id"};
    for (int l = 0; l < 2; l++)
        for (int f = 0; f < 2; f++) {
            long long id = f ? p->helper : p->elder, item = l ? p->log : p->pair;
            snprintf(path, sizeof path, "%s?%s=%lld", lists_of[l], fields[f], id);
            if (in)
                lists(s, tok, path, item, line);
            else
                refused(s, tok, path, 403, fields[f], id, line);
        }
    /* the alerts of an elder: all of them (the elder's page) and the open ones (the list) */
    static const char *const states[] = {"", "&state=open"};
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "/api/v1/elder-alerts?elder_id=%lld%s", p->elder, states[k]);
        if (in)
            lists(s, tok, path, p->alert, line);
        else
            refused(s, tok, path, 403, "elder_id", p->elder, line);
    }
}
#define IN_SCOPE(tok, p)  filters(&s, tok, p, 1, __LINE__)
#define OUT_SCOPE(tok, p) filters(&s, tok, p, 0, __LINE__)

typedef struct world {
    char off[80], town[80], g[80];
    place mine, nextdoor, jhh; /* grid01's grid, another grid of its township, jinhaihu's */
} world;

static void world_make(th_server *s, world *w)
{
    th_login(s, "officer", s->demo_pw, w->off);
    th_login(s, "jinhaihu", s->demo_pw, w->town);
    th_login(s, "grid01", s->demo_pw, w->g);
    long long mine = el_grid01_grid(s);
    char q[400];
    snprintf(q, sizeof q,
             "SELECT MIN(g.id) FROM regions g JOIN regions v ON v.id = g.parent_id WHERE g.type ="
             " 'grid' AND v.parent_id = (SELECT v2.parent_id FROM regions g2 JOIN regions v2 ON"
             " v2.id = g2.parent_id WHERE g2.id = %lld) AND g.id NOT IN (SELECT region_id FROM"
             " grid_workers w JOIN users u ON u.id = w.user_id WHERE u.username = 'grid01')",
             mine);
    long long nextdoor = th_sql_int(s, q), jhh = el_grid_of_jinhaihu(s);
    CHECK(mine > 0 && nextdoor > 0 && jhh > 0);
    place_fill(s, w->g, w->off, mine, 1, &w->mine);
    place_fill(s, w->off, w->off, nextdoor, 2, &w->nextdoor);
    place_fill(s, w->town, w->town, jhh, 3, &w->jhh);
    place *all[] = {&w->mine, &w->nextdoor, &w->jhh};
    alerts_fill(s, w->off, all, 3);
}

TEST_T(elder_list_filters_township_officer, 120)
{
    th_server s;
    th_start(&s, 1);
    world w;
    world_make(&s, &w);
    /* their township's elder and helper, as before */
    IN_SCOPE(w.town, &w.jhh);
    /* another township's: 403 on the filter, not an empty list */
    OUT_SCOPE(w.town, &w.mine);
    OUT_SCOPE(w.town, &w.nextdoor);
    /* each filter judged: an elder of theirs with a helper of elsewhere is refused on helper_id */
    char path[160];
    snprintf(path, sizeof path, "/api/v1/pairs?elder_id=%lld&helper_id=%lld", w.jhh.elder,
             w.mine.helper);
    REFUSED(w.town, path, 403, "helper_id", w.mine.helper);
    snprintf(path, sizeof path, "/api/v1/service-logs?elder_id=%lld&helper_id=%lld", w.mine.elder,
             w.jhh.helper);
    REFUSED(w.town, path, 403, "elder_id", w.mine.elder);
    th_stop(&s);
}

TEST_T(elder_list_filters_grid_worker, 120)
{
    th_server s;
    th_start(&s, 1);
    world w;
    world_make(&s, &w);
    IN_SCOPE(w.g, &w.mine);
    /* a grid of their township that is not theirs, and another township */
    OUT_SCOPE(w.g, &w.nextdoor);
    OUT_SCOPE(w.g, &w.jhh);
    th_stop(&s);
}

TEST_T(elder_list_filters_district_and_unknown_ids, 120)
{
    th_server s;
    th_start(&s, 1);
    world w;
    world_make(&s, &w);
    /* district roles name any elder or helper */
    IN_SCOPE(w.off, &w.mine);
    IN_SCOPE(w.off, &w.nextdoor);
    IN_SCOPE(w.off, &w.jhh);
    /* an id of no record: 422 unknown_id on the filter for every role, as an unknown region */
    long long none = 99999999;
    const char *toks[] = {w.off, w.town, w.g};
    static const char *const paths[][2] = {
        {"/api/v1/pairs?elder_id=%lld", "elder_id"},
        {"/api/v1/pairs?helper_id=%lld", "helper_id"},
        {"/api/v1/service-logs?elder_id=%lld", "elder_id"},
        {"/api/v1/service-logs?helper_id=%lld", "helper_id"},
        {"/api/v1/elder-alerts?elder_id=%lld", "elder_id"},
    };
    char path[160];
    for (int t = 0; t < 3; t++)
        for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++) {
            snprintf(path, sizeof path, paths[k][0], none);
            REFUSED(toks[t], path, 422, paths[k][1], none);
        }
    th_stop(&s);
}
