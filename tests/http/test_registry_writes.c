/* The registry's writes after an operator's review: a PATCH that changes nothing writes
 * nothing. */
#include <stdlib.h>

#include "eldercare/el_fixture.h"

#define REG(s, tok, m, path, body, want) el_call(s, tok, m, path, body, want, __LINE__)

/* PATCH of a region, organisation or facility that changes nothing: 200 with the record as it
 * is, the same version, no audit row (as stock lines and the enterprise settings do).
 * Regression: {"version":2,"lat":null} on a region without coordinates bumped the version
 * and wrote an audit row. */
TEST(registry_patch_that_changes_nothing_writes_nothing)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[512], path[96], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    long long village = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'village'");
    snprintf(body, sizeof body,
             "{\"type\":\"grid\",\"parent_id\":%lld,\"code\":\"T-GRID-3\",\"name\":\"无坐标\"}",
             village);
    json_t *made = REG(&s, tok, "POST", "/api/v1/regions", body, 201);
    long long region = th_int(made, "id");
    json_decref(made);
    long long org = th_sql_int(&s, "SELECT MIN(id) FROM organisations");
    long long fac = th_sql_int(&s, "SELECT MIN(f.id) FROM facilities f WHERE EXISTS (SELECT 1"
                                   " FROM facility_roles r WHERE r.facility_id = f.id)");
    CHECK(region > 0 && org > 0 && fac > 0);
    long long updates = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'update'");
    struct {
        const char *kind;
        long long id;
    } recs[] = {{"regions", region}, {"organisations", org}, {"facilities", fac}};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "/api/v1/%s/%lld", recs[i].kind, recs[i].id);
        json_t *was = REG(&s, tok, "GET", path, NULL, 200);
        long long v = th_int(was, "version");
        /* the values it has, sent back */
        if (i == 0)
            snprintf(body, sizeof body,
                     "{\"version\":%lld,\"lat\":null,\"lon\":null,\"name\":\"%s\"}", v,
                     th_str(was, "name"));
        else if (i == 1)
            snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\"%s\",\"industry\":\"%s\"}", v,
                     th_str(was, "name"), th_str(was, "industry"));
        else {
            char *roles = json_dumps(json_object_get(was, "emergency_roles"), JSON_COMPACT);
            snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\"%s\",\"emergency_roles\":%s}",
                     v, th_str(was, "name"), roles);
            free(roles);
        }
        th_fingerprint(&s, fp0, sizeof fp0);
        json_t *o = REG(&s, tok, "PATCH", path, body, 200);
        th_fingerprint(&s, fp1, sizeof fp1);
        CHECK_STR(fp1, fp0);
        CHECK(json_equal(o, was));
        json_decref(o);
        /* a stale version is still a conflict */
        snprintf(body, sizeof body, "{\"version\":%lld}", v + 1);
        json_decref(REG(&s, tok, "PATCH", path, body, 409));
        /* a real change is one version step and one audit row */
        snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\"%s改\"}", v, th_str(was, "name"));
        o = REG(&s, tok, "PATCH", path, body, 200);
        CHECK_INT(th_int(o, "version"), v + 1);
        json_decref(o);
        json_decref(was);
    }
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE action = 'update'"), updates + 3);
    th_stop(&s);
}
