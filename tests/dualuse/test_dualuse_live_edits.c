/* A facility's record while a live conversion of it is under way: what would pull the ground
 * from under the conversion is refused, the rest stays open. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "th.h"

static json_t *facility(th_server *s, const char *tok, long long fid)
{
    char path[64];
    json_t *o = NULL;
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", fid);
    CHECK_INT(th_call(s, "GET", path, tok, NULL, &o), 200);
    return o;
}

/* PATCH of facility fid with body (its current version added); the status */
static int patch(th_server *s, const char *tok, long long fid, const char *fields, json_t **out)
{
    json_t *f = facility(s, tok, fid);
    char path[64], body[600];
    snprintf(path, sizeof path, "/api/v1/facilities/%lld", fid);
    snprintf(body, sizeof body, "{\"version\":%lld,%s}", th_int(f, "version"), fields);
    json_decref(f);
    return th_call(s, "PATCH", path, tok, body, out);
}

TEST(dualuse_live_conversion_keeps_its_facility_in_place)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[200], sql[400], fields[400];
    th_login(&s, "officer", s.demo_pw, tok);
    long long fid = th_sql_int(&s, "SELECT MIN(f.id) FROM facilities f JOIN manuals m ON"
                                   " m.facility_id = f.id AND m.scenario = 'epidemic' WHERE"
                                   " f.type = 'hotel' AND f.state = 'peacetime' AND f.name <>"
                                   " '万达锦华酒店'");
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"scenario\":\"epidemic\",\"mode\":\"live\"}", fid);
    json_t *o = NULL;
    CHECK_INT(th_call(&s, "POST", "/api/v1/conversions", tok, body, &o), 201);
    long long cid = th_int(o, "id");
    json_decref(o);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM facility_roles r JOIN manuals m ON m.role = r.role JOIN"
             " conversions v ON v.manual_id = m.id WHERE v.id = %lld AND r.facility_id = %lld",
             cid, fid);
    CHECK(th_sql_int(&s, sql) >= 1); /* the facility has the role its manual converts it to */
    snprintf(sql, sizeof sql,
             "SELECT MIN(id) FROM regions WHERE type = 'township' AND id <> (SELECT township_id"
             " FROM facilities WHERE id = %lld)",
             fid);
    long long other_town = th_sql_int(&s, sql);
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, before, sizeof before);
    /* another township, another type, the conversion's role removed: 409, nothing written */
    snprintf(fields, sizeof fields, "\"township_id\":%lld", other_town);
    CHECK_INT(patch(&s, tok, fid, fields, &o), 409);
    CHECK_STR(th_err_code(o), "conflict");
    CHECK_STR(th_err_field(o), "township_id");
    CHECK(strstr(th_err_message(o), "converting") != NULL);
    json_decref(o);
    CHECK_INT(patch(&s, tok, fid, "\"type\":\"warehouse\"", &o), 409);
    CHECK_STR(th_err_field(o), "type");
    json_decref(o);
    CHECK_INT(patch(&s, tok, fid, "\"emergency_roles\":[]", &o), 409);
    CHECK_STR(th_err_field(o), "emergency_roles");
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    /* harmless edits: the name, the role kept with another capacity, another role added */
    CHECK_INT(patch(&s, tok, fid, "\"name\":\"转换中的酒店\"", &o), 200);
    CHECK_STR(th_str(o, "name"), "转换中的酒店");
    json_t *roles = json_deep_copy(json_object_get(o, "emergency_roles"));
    json_decref(o);
    json_t *r0 = json_array_get(roles, 0);
    json_object_set_new(
        r0, "capacity",
        json_integer((json_int_t)json_number_value(json_object_get(r0, "capacity")) + 1));
    char *rs = json_dumps(roles, JSON_COMPACT);
    snprintf(fields, sizeof fields, "\"emergency_roles\":%s", rs);
    free(rs);
    json_decref(roles);
    CHECK_INT(patch(&s, tok, fid, fields, &o), 200);
    json_decref(o);
    /* once the conversion is over, the facility may move */
    char path[96];
    snprintf(path, sizeof path, "/api/v1/conversions/%lld/abort", cid);
    CHECK_INT(th_call(&s, "POST", path, tok, "{\"reason\":\"演练取消\"}", &o), 200);
    json_decref(o);
    snprintf(sql, sizeof sql,
             "SELECT MIN(id) FROM regions WHERE parent_id = %lld AND type IN ('village',"
             " 'community')",
             other_town);
    snprintf(fields, sizeof fields, "\"township_id\":%lld,\"village_id\":%lld", other_town,
             th_sql_int(&s, sql));
    CHECK_INT(patch(&s, tok, fid, fields, &o), 200);
    CHECK_INT(th_int(o, "township_id"), other_town);
    json_decref(o);
    th_stop(&s);
}
