/* A new version of a manual or a standard made from an older one than the newest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "th.h"

static const char *const step1 = "{\"code\":\"S1\",\"name\":\"清场\",\"planned_minutes\":60,"
                                 "\"team_type\":\"cleaning\"}";
static const char *const step2 =
    "{\"code\":\"S2\",\"name\":\"消防通道检查\",\"planned_minutes\":30,"
    "\"team_type\":\"security\",\"predecessors\":[\"S1\"],"
    "\"checklist\":[\"消防通道畅通\"]}";

/* POST /manuals of facility fid, holiday, with role, title and steps; based_on 0: left out.
 * The status; the answer in *o. */
static int post_manual(th_server *s, const char *tok, long long fid, const char *role,
                       const char *title, const char *steps, long long based_on, json_t **o)
{
    char body[1200], bo[40] = "";
    if (based_on) snprintf(bo, sizeof bo, ",\"based_on\":%lld", based_on);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"holiday\",\"role\":\"%s\",\"title\":\"%s\","
             "\"steps\":[%s]%s}",
             fid, role, title, steps, bo);
    return th_call(s, "POST", "/api/v1/manuals", tok, body, o);
}

static long long newest_version(th_server *s, long long fid)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT COALESCE(MAX(version), 0) FROM manuals WHERE facility_id = %lld AND"
             " scenario = 'holiday'",
             fid);
    return th_sql_int(s, sql);
}

/* Regression: two people editing one manual each saved a new version from the one they had
 * opened, and the later save silently dropped the steps the other had added (the newest
 * version is what a conversion and every drill run). A save naming the version it started
 * from (based_on) is now refused with 409 version_conflict at based_on when a newer version
 * was saved meanwhile, naming it, when and by whom; nothing is written. Without based_on a
 * save makes the next version as before. */
TEST(dualuse_manual_based_on_stale_version_refused)
{
    th_server s;
    th_start(&s, 1);
    char officer[80], wanda[80], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE], two[300];
    th_login(&s, "officer", s.demo_pw, officer);
    th_login(&s, "wanda", s.demo_pw, wanda);
    long long fid = th_sql_int(&s, "SELECT id FROM facilities WHERE name = '万达锦华酒店'");
    snprintf(two, sizeof two, "%s,%s", step1, step2);
    json_t *o = NULL;
    /* without based_on: the next version, as before */
    long long v = newest_version(&s, fid) + 1;
    CHECK_INT(post_manual(&s, wanda, fid, "resettlement", "快速演练", step1, 0, &o), 201);
    CHECK_INT(th_int(o, "version"), v);
    json_decref(o);
    /* both have version v open; the officer saves first, adding S2: based_on current → 201 */
    CHECK_INT(post_manual(&s, officer, fid, "resettlement", "快速演练", two, v, &o), 201);
    CHECK_INT(th_int(o, "version"), v + 1);
    long long newest_id = th_int(o, "id");
    const char *at = th_str(o, "created_at");
    char saved_at[32];
    snprintf(saved_at, sizeof saved_at, "%s", at ? at : "");
    json_decref(o);
    /* wanda saves her title change from version v: refused, nothing written */
    th_fingerprint(&s, before, sizeof before);
    CHECK_INT(post_manual(&s, wanda, fid, "resettlement", "快速演练（修订）", step1, v, &o), 409);
    CHECK_STR(th_err_code(o), "version_conflict");
    CHECK_STR(th_err_field(o), "based_on");
    char want[120];
    snprintf(want, sizeof want, "version %lld (id %lld), saved %s by ", v + 1, newest_id, saved_at);
    CHECK(strstr(th_err_message(o), want));
    CHECK(strstr(th_err_message(o), "(officer)")); /* by the display name and the username */
    json_t *d = json_object_get(json_object_get(o, "error"), "details");
    CHECK_INT(th_int(d, "manual_id"), newest_id);
    CHECK_INT(th_int(d, "version"), v + 1);
    CHECK_STR(th_str(d, "created_by"), "officer");
    CHECK_STR(th_str(d, "created_at"), saved_at);
    json_decref(o);
    /* the same from the CSV import */
    char body[600];
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"holiday\",\"role\":\"resettlement\","
             "\"title\":\"t\",\"based_on\":%lld,\"csv\":\"phase,code,name,planned_minutes,"
             "team_type,team_count,predecessors,checklist\\nconvert,S1,清场,60,cleaning,,,\\n\"}",
             fid, v);
    CHECK_INT(th_call(&s, "POST", "/api/v1/manuals", wanda, body, &o), 409);
    CHECK_STR(th_err_field(o), "based_on");
    json_decref(o);
    /* a version that does not exist: 422 at based_on */
    CHECK_INT(post_manual(&s, wanda, fid, "resettlement", "t", step1, v + 5, &o), 422);
    CHECK_STR(th_err_code(o), "invalid_value");
    CHECK_STR(th_err_field(o), "based_on");
    json_decref(o);
    CHECK_INT(post_manual(&s, wanda, fid, "resettlement", "t", step1, -1, &o), 422);
    CHECK_STR(th_err_field(o), "based_on");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    CHECK_INT(newest_version(&s, fid), v + 1);
    /* the version key is facility × scenario, whatever the role: based on the newest, a
     * manual of the facility's other role is the next version */
    CHECK_INT(post_manual(&s, wanda, fid, "isolation", "快速演练（修订）", two, v + 1, &o), 201);
    CHECK_INT(th_int(o, "version"), v + 2);
    json_decref(o);
    /* based_on null is left out */
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"holiday\",\"role\":\"resettlement\","
             "\"title\":\"t\",\"based_on\":null,\"steps\":[%s]}",
             fid, step1);
    CHECK_INT(th_call(&s, "POST", "/api/v1/manuals", wanda, body, &o), 201);
    CHECK_INT(th_int(o, "version"), v + 3);
    json_decref(o);
    th_stop(&s);
}

/* The same for standards: a new version of facility type × scenario × role made from an older
 * one than the newest is 409 version_conflict at based_on, nothing written. */
TEST(dualuse_standard_based_on_stale_version_refused)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[400], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    const char *key =
        "\"facility_type\":\"hotel\",\"scenario\":\"holiday\",\"role\":\"resettlement\"";
    long long v = th_sql_int(&s, "SELECT COALESCE(MAX(version), 0) FROM standards WHERE"
                                 " facility_type = 'hotel' AND scenario = 'holiday' AND"
                                 " role = 'resettlement'");
    json_t *o = NULL;
    snprintf(body, sizeof body, "{%s,\"target_hours\":12}", key);
    CHECK_INT(th_call(&s, "POST", "/api/v1/standards", tok, body, &o), 201);
    CHECK_INT(th_int(o, "version"), v + 1);
    json_decref(o);
    snprintf(body, sizeof body, "{%s,\"target_hours\":10,\"based_on\":%lld}", key, v + 1);
    CHECK_INT(th_call(&s, "POST", "/api/v1/standards", tok, body, &o), 201);
    CHECK_INT(th_int(o, "version"), v + 2);
    long long sid = th_int(o, "id");
    json_decref(o);
    th_fingerprint(&s, before, sizeof before);
    snprintf(body, sizeof body, "{%s,\"target_hours\":8,\"based_on\":%lld}", key, v + 1);
    CHECK_INT(th_call(&s, "POST", "/api/v1/standards", tok, body, &o), 409);
    CHECK_STR(th_err_code(o), "version_conflict");
    CHECK_STR(th_err_field(o), "based_on");
    CHECK(strstr(th_err_message(o), "hotel × holiday × resettlement"));
    json_t *d = json_object_get(json_object_get(o, "error"), "details");
    CHECK_INT(th_int(d, "standard_id"), sid);
    CHECK_INT(th_int(d, "version"), v + 2);
    json_decref(o);
    /* no version yet for a triple: based_on is refused, leaving it out makes version 1 */
    const char *fresh =
        "\"facility_type\":\"warehouse\",\"scenario\":\"event\",\"role\":\"medical\"";
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM standards WHERE facility_type = 'warehouse'"
                             " AND scenario = 'event' AND role = 'medical'"),
              0);
    snprintf(body, sizeof body, "{%s,\"target_hours\":8,\"based_on\":1}", fresh);
    CHECK_INT(th_call(&s, "POST", "/api/v1/standards", tok, body, &o), 422);
    CHECK_STR(th_err_field(o), "based_on");
    CHECK(strstr(th_err_message(o), "no version yet"));
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    snprintf(body, sizeof body, "{%s,\"target_hours\":8}", key);
    CHECK_INT(th_call(&s, "POST", "/api/v1/standards", tok, body, &o), 201);
    CHECK_INT(th_int(o, "version"), v + 3);
    json_decref(o);
    th_stop(&s);
}

/* Regression: 工作手册 listed every version by id, a replaced version first, with nothing on it
 * saying a newer one exists. GET /manuals?latest=1 lists only the newest version of each
 * facility × scenario, and every manual names the newest of its facility × scenario
 * (newest_id, newest_version). */
TEST(dualuse_manual_list_latest_only)
{
    th_server s;
    th_start(&s, 1);
    char wanda[80], path[160];
    th_login(&s, "wanda", s.demo_pw, wanda);
    long long fid = th_sql_int(&s, "SELECT id FROM facilities WHERE name = '万达锦华酒店'");
    json_t *o = NULL;
    CHECK_INT(post_manual(&s, wanda, fid, "resettlement", "假日手册", step1, 0, &o), 201);
    long long old_id = th_int(o, "id"), old_v = th_int(o, "version");
    CHECK_INT(th_int(o, "newest_id"), old_id);
    json_decref(o);
    CHECK_INT(post_manual(&s, wanda, fid, "resettlement", "假日手册", step1, old_v, &o), 201);
    long long new_id = th_int(o, "id");
    json_decref(o);
    /* the old version names the newest */
    snprintf(path, sizeof path, "/api/v1/manuals/%lld", old_id);
    CHECK_INT(th_call(&s, "GET", path, wanda, NULL, &o), 200);
    CHECK_INT(th_int(o, "newest_id"), new_id);
    CHECK_INT(th_int(o, "newest_version"), old_v + 1);
    json_decref(o);
    /* all versions: both; latest=1: the new one only, the facility's other scenarios kept */
    long long all = th_sql_int(&s, "SELECT COUNT(*) FROM manuals WHERE facility_id = (SELECT id"
                                   " FROM facilities WHERE name = '万达锦华酒店')");
    long long pairs = th_sql_int(&s, "SELECT COUNT(DISTINCT scenario) FROM manuals WHERE"
                                     " facility_id = (SELECT id FROM facilities WHERE name ="
                                     " '万达锦华酒店')");
    CHECK(pairs < all);
    snprintf(path, sizeof path, "/api/v1/manuals?facility_id=%lld&limit=200", fid);
    CHECK_INT(th_call(&s, "GET", path, wanda, NULL, &o), 200);
    CHECK_INT((long long)json_array_size(json_object_get(o, "items")), all);
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/manuals?facility_id=%lld&latest=1&limit=200", fid);
    CHECK_INT(th_call(&s, "GET", path, wanda, NULL, &o), 200);
    json_t *items = json_object_get(o, "items");
    CHECK_INT((long long)json_array_size(items), pairs);
    size_t i;
    json_t *m;
    int saw_new = 0;
    json_array_foreach(items, i, m)
    {
        CHECK_INT(th_int(m, "id"), th_int(m, "newest_id"));
        CHECK(th_int(m, "id") != old_id);
        saw_new |= th_int(m, "id") == new_id;
    }
    CHECK(saw_new);
    json_decref(o);
    /* latest takes 0 or 1 */
    CHECK_INT(th_call(&s, "GET", "/api/v1/manuals?latest=2", wanda, NULL, &o), 400);
    CHECK_STR(th_err_code(o), "bad_query");
    json_decref(o);
    th_stop(&s);
}
