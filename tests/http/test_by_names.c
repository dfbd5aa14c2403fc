/* Who acted, by name: next to each username a record keeps (created_by, started_by, signed_by,
 * recorded_by, …) the API gives `<key>_name`, that user's display name, in single records and
 * in lists; null when the user no longer exists, never was an account or has no display name. */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/ecommerce.h"
#include "domain/enterprise.h"
#include "domain/indicator.h"
#include "eldercare/el_fixture.h"
#include "t.h"
#include "th.h"

/* The text of o's key `<key>_name`, NULL when it is null; fails the test when o lacks it. */
static const char *by_name_at(json_t *o, const char *key, int line)
{
    char name[64];
    snprintf(name, sizeof name, "%s_name", key);
    json_t *v = json_object_get(o, name);
    if (!v) t_fail(__FILE__, line, "no member %s", name);
    if (!json_is_null(v) && !json_is_string(v)) t_fail(__FILE__, line, "%s: not text", name);
    return json_string_value(v);
}
#define BY_NAME(o, key) by_name_at(o, key, __LINE__)
#define CHECK_BY(o, key, user, name)                                                               \
    do {                                                                                           \
        CHECK_STR(th_str(o, key), user);                                                           \
        CHECK_STR(BY_NAME(o, key), name);                                                          \
    } while (0)
#define CHECK_BY_NULL(o, key, user)                                                                \
    do {                                                                                           \
        CHECK_STR(th_str(o, key), user);                                                           \
        CHECK(BY_NAME(o, key) == NULL);                                                            \
    } while (0)

/* The item of GET path's "items" whose id is id (path lists it on its first page). */
static json_t *item_of(th_server *s, const char *tok, const char *path, long long id)
{
    json_t *o = EL(s, tok, "GET", path, NULL, 200);
    json_t *items = json_object_get(o, "items"), *e, *found = NULL;
    size_t i;
    json_array_foreach(items, i, e) if (th_int(e, "id") == id) found = json_incref(e);
    json_decref(o);
    if (!found) t_fail(__FILE__, __LINE__, "%s does not list %lld", path, id);
    return found;
}

/* A district officer made by the admin, display name display ("" for none); logs it in. */
static void officer_user(th_server *s, const char *admin, const char *username, const char *display,
                         char tok[80])
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"username\":\"%s\",\"display_name\":\"%s\",\"role\":\"district_officer\","
             "\"password\":\"Names-pass-1-xyz\"}",
             username, display);
    json_decref(EL(s, admin, "POST", "/api/v1/users", body, 201));
    th_login(s, username, "Names-pass-1-xyz", tok);
}

TEST_T(by_names_conversion_steps, 120)
{
    th_server s;
    th_start(&s, 1);
    char admin[80], wang[80], path[128], body[256];
    th_login(&s, "admin", s.admin_pw, admin);
    officer_user(&s, admin, "wangli", "王丽", wang);
    long long hotel = th_sql_int(&s, "SELECT MIN(f.id) FROM facilities f JOIN manuals m ON"
                                     " m.facility_id = f.id AND m.scenario = 'epidemic' WHERE"
                                     " f.type = 'hotel' AND f.state = 'peacetime'");
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"drill\"}", hotel);
    json_t *conv = EL(&s, wang, "POST", "/api/v1/conversions", body, 201);
    long long cid = th_int(conv, "id");
    CHECK_BY(conv, "started_by", "wangli", "王丽");
    /* steps in order, each started and finished by 王丽, up to the first with a checklist,
     * whose first item she signs too */
    json_t *steps = json_object_get(conv, "steps"), *after = NULL;
    size_t at = 0;
    long long sid = 0;
    for (; at < json_array_size(steps) && !sid; at++) {
        json_t *step = json_array_get(steps, at);
        long long id = th_int(step, "id");
        CHECK(th_str(step, "started_by") == NULL && BY_NAME(step, "started_by") == NULL);
        snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/start", id);
        json_decref(EL(&s, wang, "POST", path, "{}", 200));
        const char *item = th_str(json_array_get(json_object_get(step, "checklist"), 0), "item");
        if (item) {
            snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/sign", id);
            snprintf(body, sizeof body, "{\"item\":\"%s\"}", item);
            json_decref(EL(&s, wang, "POST", path, body, 200));
            sid = id;
        }
        snprintf(path, sizeof path, "/api/v1/conversion-steps/%lld/finish", id);
        json_decref(after);
        after = EL(&s, wang, "POST", path, "{}", 200);
    }
    CHECK(sid > 0);
    at--;
    json_decref(conv);
    /* read by another officer, one conversion and the list */
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", cid);
    for (int pass = 0; pass < 3; pass++) {
        json_t *c = pass == 0   ? json_incref(after)
                    : pass == 1 ? EL(&s, off, "GET", path, NULL, 200)
                                : item_of(&s, off, "/api/v1/conversions?limit=100", cid);
        CHECK_BY(c, "started_by", "wangli", "王丽");
        json_t *st = json_array_get(json_object_get(c, "steps"), at);
        CHECK_INT(th_int(st, "id"), sid);
        CHECK_BY(st, "started_by", "wangli", "王丽");
        CHECK_BY(st, "finished_by", "wangli", "王丽");
        json_t *checks = json_object_get(st, "checklist");
        CHECK_BY(json_array_get(checks, 0), "signed_by", "wangli", "王丽");
        if (json_array_size(checks) > 1) /* an unsigned item: both null */
            CHECK(BY_NAME(json_array_get(checks, 1), "signed_by") == NULL);
        json_decref(c);
    }
    json_decref(after);
    /* the user gone: the username stays, the name is null */
    th_sql_exec(&s, "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username ="
                    " 'wangli'); DELETE FROM users WHERE username = 'wangli'");
    json_t *c = EL(&s, off, "GET", path, NULL, 200);
    CHECK_BY_NULL(c, "started_by", "wangli");
    json_t *st = json_array_get(json_object_get(c, "steps"), at);
    CHECK_INT(th_int(st, "id"), sid);
    CHECK_BY_NULL(st, "finished_by", "wangli");
    CHECK_BY_NULL(json_array_get(json_object_get(st, "checklist"), 0), "signed_by", "wangli");
    json_decref(c);
    /* the demo's conversions were started by "demo", which is no account */
    long long demo = th_sql_int(&s, "SELECT MIN(id) FROM conversions WHERE started_by = 'demo'");
    CHECK(demo > 0);
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", demo);
    c = EL(&s, off, "GET", path, NULL, 200);
    CHECK_BY_NULL(c, "started_by", "demo");
    json_decref(c);
    th_stop(&s);
}

TEST_T(by_names_service_logs, 90)
{
    th_server s;
    th_start(&s, 1);
    char off[80], admin[80], nameless[80], body[256], path[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "admin", s.admin_pw, admin);
    officer_user(&s, admin, "zhaoyi", "", nameless);
    long long elder = el_elder(&s, off, el_grid01_grid(&s), 1, "");
    char day1[21], day2[21];
    pj_time_iso(pj_now() - 2 * 86400, day1);
    pj_time_iso(pj_now() - 86400, day2);
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"kind\":\"meal\",\"time_in\":\"%s\"}", elder,
             day1);
    json_t *o = EL(&s, off, "POST", "/api/v1/service-logs", body, 201);
    long long mine = th_int(o, "id");
    CHECK_BY(o, "recorded_by", "officer", "区应急局值班员");
    json_decref(o);
    /* a user without a display name: null, the console shows the username */
    snprintf(body, sizeof body, "{\"elder_id\":%lld,\"kind\":\"meal\",\"time_in\":\"%s\"}", elder,
             day2);
    o = EL(&s, nameless, "POST", "/api/v1/service-logs", body, 201);
    long long theirs = th_int(o, "id");
    CHECK_BY_NULL(o, "recorded_by", "zhaoyi");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/service-logs?elder_id=%lld", elder);
    o = item_of(&s, off, path, mine);
    CHECK_BY(o, "recorded_by", "officer", "区应急局值班员");
    json_decref(o);
    o = item_of(&s, off, path, theirs);
    CHECK_BY_NULL(o, "recorded_by", "zhaoyi");
    json_decref(o);
    th_stop(&s);
}

TEST_T(by_names_appeals, 90)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    char jd[80], off[80], path[96];
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o = EL(&s, jd, "POST", "/api/v1/enterprise/appeals",
                   "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"用地手续\","
                   "\"description\":\"d\"}",
                   201);
    long long id = th_int(o, "id");
    CHECK_BY(o, "created_by", "jd", "京东物流联络员");
    json_decref(o);
    /* the officer reads the firm's liaison by name, in the appeal and in the list */
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    o = EL(&s, off, "GET", path, NULL, 200);
    CHECK_BY(o, "created_by", "jd", "京东物流联络员");
    /* its events name who took each step: username and display_name */
    json_t *ev = json_array_get(json_object_get(o, "events"), 0);
    CHECK_STR(th_str(ev, "username"), "jd");
    CHECK_STR(th_str(ev, "display_name"), "京东物流联络员");
    json_decref(o);
    o = item_of(&s, off, "/api/v1/enterprise/appeals?limit=20", id);
    CHECK_BY(o, "created_by", "jd", "京东物流联络员");
    json_decref(o);
    /* the demo's appeals: by "demo", no account */
    long long demo = th_sql_int(&s, "SELECT MIN(id) FROM ent_appeals WHERE created_by = 'demo'");
    CHECK(demo > 0);
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", demo);
    o = EL(&s, off, "GET", path, NULL, 200);
    CHECK_BY_NULL(o, "created_by", "demo");
    json_decref(o);
    th_stop(&s);
}

TEST_T(by_names_plans, 90)
{
    th_server s;
    th_start(&s, 1);
    char off[80], town[80], body[1024], path[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    snprintf(body, sizeof body,
             "{\"name\":\"安置\",\"scenario\":\"disaster\",\"role\":\"resettlement\","
             "\"affected\":{\"township_ids\":[%lld]},\"demand\":{\"people\":300},"
             "\"vulnerable\":false,\"teams\":{\"cleaning\":12,\"logistics\":16,\"security\":4,"
             "\"medical\":4,\"catering\":6,\"it\":2},\"time_limit_s\":0.3}",
             jhh);
    json_t *o = EL(&s, off, "POST", "/api/v1/plans?wait=1", body, 201);
    long long id = th_int(o, "id");
    CHECK_BY(o, "created_by", "officer", "区应急局值班员");
    CHECK(json_is_null(json_object_get(o, "adopted_by")));
    CHECK(BY_NAME(o, "adopted_by") == NULL);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/plans/%lld", id);
    o = EL(&s, town, "GET", path, NULL, 200);
    CHECK_BY(o, "created_by", "officer", "区应急局值班员");
    /* the plan's request and result after its head's columns */
    CHECK(json_is_object(json_object_get(o, "request")));
    CHECK(json_is_object(json_object_get(json_object_get(o, "result"), "summary")));
    json_decref(o);
    o = item_of(&s, town, "/api/v1/plans?limit=20", id);
    CHECK_BY(o, "created_by", "officer", "区应急局值班员");
    json_decref(o);
    /* a display name emptied: null */
    th_sql_exec(&s, "UPDATE users SET display_name = '' WHERE username = 'officer'");
    o = EL(&s, town, "GET", path, NULL, 200);
    CHECK_BY_NULL(o, "created_by", "officer");
    json_decref(o);
    th_stop(&s);
}

/* Regression: an account could be named after one of the platform's own actors ("system" for
 * the alert scan, "cli", "demo", "server"), and every record that actor made then read as that
 * person's (`resolved_by_name`, `created_by_name`, …). Creating such an account is refused
 * (422 on username, nothing written), and an account of that name from before is never looked
 * up for them. */
TEST_T(by_names_platform_actors_are_no_accounts, 120)
{
    th_server s;
    th_start(&s, 1);
    char admin[80];
    th_login(&s, "admin", s.admin_pw, admin);
    const char *actors[] = {"system", "server", "cli", "demo", "migration"};
    for (int i = 0; i < 5; i++) {
        char body[256], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
        snprintf(body, sizeof body,
                 "{\"username\":\"%s\",\"display_name\":\"张三\",\"role\":\"viewer\","
                 "\"password\":\"Names-pass-1-xyz\"}",
                 actors[i]);
        th_fingerprint(&s, before, sizeof before);
        json_t *o = NULL;
        CHECK_INT(th_call(&s, "POST", "/api/v1/users", admin, body, &o), 422);
        CHECK_STR(th_str(json_object_get(o, "error"), "field"), "username");
        json_decref(o);
        th_fingerprint(&s, after, sizeof after);
        CHECK_STR(after, before);
    }
    /* a name like them is an ordinary account */
    char tok[80];
    officer_user(&s, admin, "demo2", "李四", tok);
    /* an account named "demo" from before the rule: the demo's records stay the demo's */
    th_sql_exec(&s, "INSERT INTO users (username, display_name, password_hash, role, created_at,"
                    " updated_at) SELECT 'demo', '王五', password_hash, 'viewer', 0, 0 FROM users"
                    " WHERE username = 'demo2'");
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *list = EL(&s, off, "GET", "/api/v1/conversions?limit=100", NULL, 200);
    json_t *items = json_object_get(list, "items"), *e;
    size_t i;
    int demo = 0;
    json_array_foreach(items, i,
                       e) if (th_str(e, "started_by") && !strcmp(th_str(e, "started_by"), "demo"))
    {
        CHECK_BY_NULL(e, "started_by", "demo");
        demo++;
    }
    CHECK(demo > 0);
    json_decref(list);
    th_stop(&s);
}

/* Every member of doc (recursively) whose key ends in "_by" and whose value is user: its sibling
 * `<key>_name` must be name. Each mismatch is printed (at: where doc came from); returns the
 * number of members checked, *bad the number wrong. */
static int walk_by(json_t *doc, const char *user, const char *name, const char *at, int *bad)
{
    int n = 0;
    const char *key;
    json_t *v;
    size_t i;
    if (json_is_array(doc)) {
        json_array_foreach(doc, i, v) n += walk_by(v, user, name, at, bad);
        return n;
    }
    if (!json_is_object(doc)) return 0;
    json_object_foreach(doc, key, v)
    {
        size_t len = strlen(key);
        if (len > 3 && !strcmp(key + len - 3, "_by") && json_is_string(v) &&
            !strcmp(json_string_value(v), user)) {
            char k[128];
            snprintf(k, sizeof k, "%s_name", key);
            json_t *nm = json_object_get(doc, k);
            n++;
            if (!json_is_string(nm) || strcmp(json_string_value(nm), name)) {
                (*bad)++;
                char *txt = nm ? json_dumps(nm, JSON_ENCODE_ANY) : NULL;
                fprintf(stderr, "%s: %s is \"%s\" but %s is %s\n", at, key, user, k,
                        txt ? txt : "missing");
                free(txt);
            }
        }
        n += walk_by(v, user, name, at, bad);
    }
    return n;
}

/* Sets every `*_by` text column of every table of s's database to user; returns how many
 * columns. */
static int every_by_column(th_server *s, const char *user)
{
    sqlite3 *db;
    if (sqlite3_open(s->db, &db) != SQLITE_OK) t_fail(__FILE__, __LINE__, "open %s", s->db);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name)"
                           " p WHERE m.type = 'table' AND p.name LIKE '%\\_by' ESCAPE '\\' AND"
                           " p.type = 'TEXT' ORDER BY 1, 2",
                           -1, &st, NULL) != SQLITE_OK)
        t_fail(__FILE__, __LINE__, "sql: %s", sqlite3_errmsg(db));
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char *sql = sqlite3_mprintf("UPDATE \"%w\" SET \"%w\" = %Q",
                                    (const char *)sqlite3_column_text(st, 0),
                                    (const char *)sqlite3_column_text(st, 1), user);
        char *msg = NULL;
        if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
            t_fail(__FILE__, __LINE__, "sql: %s: %s", sql, msg ? msg : "?");
        sqlite3_free(sql);
        n++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* user's display name in s's database, into out. */
static void display_name_of(th_server *s, const char *user, char *out, size_t size)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    *out = 0;
    if (sqlite3_open_v2(s->db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        t_fail(__FILE__, __LINE__, "open %s", s->db);
    if (sqlite3_prepare_v2(db, "SELECT display_name FROM users WHERE username = ?", -1, &st,
                           NULL) != SQLITE_OK)
        t_fail(__FILE__, __LINE__, "sql: %s", sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* Regression for every endpoint that renders records naming who acted: with every `*_by` column
 * of every table set to one account's username, each list and the detail of its first item give
 * every `*_by` member holding that username a `<key>_name` of that account's display name.
 * Covers: standards, manuals, conversions (their steps and checklists), enterprise appeals,
 * pairing runs (their proposals), pairs, service logs, elder alerts, plans, plan shipments,
 * indicator values (their revisions), indicator targets, carbon factors, carbon energy use,
 * e-commerce bookings and live sessions, academy enrolments. Not here: a conversion's timeline
 * and drill report (the names as they were then, from the audit) and the tables whose `*_by` no
 * endpoint renders (credit_txns, ac_practice). */
TEST_T(by_names_every_endpoint_names_its_actor, 240)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    th_demo(&s, pj_indicators_demo);
    th_demo(&s, pj_ecommerce_demo);
    th_demo(&s, pj_academy_demo);
    el_demo(&s, 60);
    char admin[80], off[80], body[1024], path[160];
    th_login(&s, "admin", s.admin_pw, admin);
    th_login(&s, "officer", s.demo_pw, off);
    /* a plan, adopted, with one shipment of its largest supply flow */
    snprintf(body, sizeof body,
             "{\"name\":\"A\",\"scenario\":\"disaster\",\"role\":\"resettlement\","
             "\"affected\":{\"township_ids\":[303,1073,523]},\"demand\":{\"share\":0.1},"
             "\"teams\":{\"cleaning\":12,\"logistics\":16,\"security\":4,\"medical\":10,"
             "\"catering\":6,\"it\":2,\"disinfection\":8},\"vulnerable\":{\"count\":150,\"needs\":"
             "\"medical\"},\"supplies\":{\"days\":3},\"time_limit_s\":0.3}");
    json_t *plan = EL(&s, off, "POST", "/api/v1/plans?wait=1", body, 201);
    long long pid = th_int(plan, "id");
    json_t *big = NULL, *e;
    size_t i;
    json_array_foreach(
        json_object_get(json_object_get(json_object_get(plan, "result"), "supplies"), "flows"), i,
        e) if (!big || th_int(e, "quantity") > th_int(big, "quantity")) big = e;
    CHECK(big != NULL);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", pid);
    json_decref(EL(&s, off, "POST", path, "{\"confirm\":true}", 200));
    snprintf(path, sizeof path, "/api/v1/plans/%lld/shipments", pid);
    snprintf(body, sizeof body,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":1}",
             th_int(big, "store_id"), th_int(big, "facility_id"), th_str(big, "category"));
    json_decref(EL(&s, off, "POST", path, body, 201));
    json_decref(plan);
    /* a pairing run on grid01's village, with a proposal: a new helper for a new elder */
    long long grid = el_grid01_grid(&s);
    el_helper(&s, off, grid, 401, "1970-02-02", 'F', "");
    el_elder(&s, off, grid, 401, "");
    snprintf(path, sizeof path, "SELECT parent_id FROM regions WHERE id = %lld", grid);
    snprintf(body, sizeof body, "{\"region_id\":%lld}", th_sql_int(&s, path));
    json_t *run = EL(&s, off, "POST", "/api/v1/pairing-runs", body, 201);
    CHECK(th_int(run, "proposed") > 0);
    json_decref(run);
    /* a revision of the first value listed */
    json_t *vals = EL(&s, off, "GET", "/api/v1/indicators/values", NULL, 200);
    json_t *v0 = json_array_get(json_object_get(vals, "items"), 0);
    CHECK(v0 != NULL);
    double x = json_number_value(json_object_get(v0, "value"));
    snprintf(path, sizeof path, "/api/v1/indicators/values/%lld", th_int(v0, "id"));
    snprintf(body, sizeof body, "{\"version\":%lld,\"value\":%.17g}", th_int(v0, "version"),
             x != 0 ? x * 0.9 : 1.0);
    json_decref(EL(&s, off, "PATCH", path, body, 200));
    json_decref(vals);

    CHECK(every_by_column(&s, "officer") > 0);
    char name[128];
    display_name_of(&s, "officer", name, sizeof name);
    CHECK(*name != 0);
    /* list, detail of its first item ("%lld": that item's id; NULL: none), who reads them
     * ("admin" or "officer") */
    static const struct {
        const char *list, *detail, *reader;
    } eps[] = {
        {"/api/v1/standards", "/api/v1/standards/%lld", "admin"},
        {"/api/v1/manuals", "/api/v1/manuals/%lld", "admin"},
        {"/api/v1/conversions", "/api/v1/conversions/%lld", "admin"},
        {"/api/v1/enterprise/appeals", "/api/v1/enterprise/appeals/%lld", "admin"},
        {"/api/v1/pairing-runs", "/api/v1/pairing-runs/%lld", "admin"},
        {"/api/v1/pairs", NULL, "admin"},
        {"/api/v1/service-logs", NULL, "admin"},
        {"/api/v1/elder-alerts", NULL, "admin"},
        {"/api/v1/plans", "/api/v1/plans/%lld", "admin"},
        {"/api/v1/plans", "/api/v1/plans/%lld/shipments", "admin"},
        {"/api/v1/indicators/values", "/api/v1/indicators/values/%lld", "admin"},
        {"/api/v1/indicators/targets", "/api/v1/indicators/targets/%lld", "admin"},
        {"/api/v1/carbon/factors", NULL, "admin"},
        {"/api/v1/carbon/energy", "/api/v1/carbon/energy/%lld", "admin"},
        {"/api/v1/ecommerce/bookings", "/api/v1/ecommerce/bookings/%lld", "admin"},
        {"/api/v1/ecommerce/sessions", "/api/v1/ecommerce/sessions/%lld", "admin"},
        {"/api/v1/academy/enrolments", "/api/v1/academy/enrolments/%lld", "admin"},
    };
    int bad = 0;
    for (size_t k = 0; k < sizeof eps / sizeof eps[0]; k++) {
        const char *tok = strcmp(eps[k].reader, "admin") ? off : admin;
        json_t *list = EL(&s, tok, "GET", eps[k].list, NULL, 200);
        int n = walk_by(list, "officer", name, eps[k].list, &bad);
        fprintf(stderr, "%s: %d\n", eps[k].list, n);
        if (n == 0) t_fail(__FILE__, __LINE__, "%s: no member named officer", eps[k].list);
        if (eps[k].detail) {
            json_t *first = json_array_get(json_object_get(list, "items"), 0);
            CHECK(first != NULL);
            snprintf(path, sizeof path, eps[k].detail, th_int(first, "id"));
            json_t *one = EL(&s, tok, "GET", path, NULL, 200);
            n = walk_by(one, "officer", name, path, &bad);
            fprintf(stderr, "%s: %d\n", path, n);
            if (n == 0) t_fail(__FILE__, __LINE__, "%s: no member named officer", path);
            json_decref(one);
        }
        json_decref(list);
    }
    if (bad) t_fail(__FILE__, __LINE__, "%d members without the display name of who acted", bad);
    th_stop(&s);
}
