/* An elder's or a helper's PATCH that changes nothing writes nothing (the same version, no
 * audit row), like the registry's records; one that changes only what the masked record hides
 * (an ID number or a phone keeping its first digits) is a change. */
#include "el_fixture.h"

/* PATCH path with body: 200, the version answered */
static long long patched_version(th_server *s, const char *tok, const char *path, const char *body)
{
    json_t *o = EL(s, tok, "PATCH", path, body, 200);
    long long v = th_int(o, "version");
    json_decref(o);
    return v;
}

TEST(eldercare_patch_that_changes_nothing_writes_nothing)
{
    th_server s;
    th_start(&s, 1);
    char g[80], path[64], body[512], sql[200], id[19];
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    long long eid = el_elder(&s, g, grid, 5, "\"living_alone\":true");
    long long hid = el_helper(&s, g, grid, 6, "1970-05-01", 'F', "");
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    /* the elder: the version alone, then fields sent back as they are */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", eid);
    CHECK_INT(patched_version(&s, g, path, "{\"version\":1}"), 1);
    CHECK_INT(patched_version(&s, g, path,
                              "{\"version\":1,\"name\":\"老人5\",\"living_alone\":true,"
                              "\"phone\":\"13800001234\",\"ability_level\":1}"),
              1);
    /* the helper likewise */
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", hid);
    CHECK_INT(patched_version(&s, g, path, "{\"version\":1}"), 1);
    CHECK_INT(patched_version(&s, g, path,
                              "{\"version\":1,\"name\":\"互助员6\",\"capacity\":2,"
                              "\"skills\":[\"companionship\",\"meals\"]}"),
              1);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* a new ID number and phone that mask as the old ones are changes all the same */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", eid);
    el_id(id, "19400315", 105, 'F');
    snprintf(body, sizeof body, "{\"version\":1,\"id_number\":\"%s\",\"phone\":\"13800009999\"}",
             id);
    CHECK_INT(patched_version(&s, g, path, body), 2);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM elders WHERE id = %lld AND id_number = '%s' AND phone ="
             " '13800009999'",
             eid, id);
    CHECK_INT(th_sql_int(&s, sql), 1);
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", hid);
    CHECK_INT(patched_version(&s, g, path, "{\"version\":1,\"phone\":\"13900000001\"}"), 2);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'helper' AND entity_id = %lld AND action ="
             " 'update'",
             hid);
    CHECK_INT(th_sql_int(&s, sql), 1);
    th_stop(&s);
}
