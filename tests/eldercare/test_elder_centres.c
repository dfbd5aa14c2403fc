/* Regressions of the elder centres (养老驿站与互助点): a township officer adding the township's
 * centre again made a second and a third of the same name, a village's point was accepted
 * twice, a name of spaces only was taken, a centre entered by mistake could not be removed,
 * and an unknown kind filter answered an empty list. */
#include "eldercare/el_fixture.h"

static long long centre_id(json_t *o)
{
    long long id = th_int(o, "id");
    json_decref(o);
    return id;
}

TEST_T(elder_centres_unique_per_region_deletable_and_filtered, 120)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 200);
    char off[80], town[80], view[80], grid[80], adm[80], path[96], body[400];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "viewer", s.demo_pw, view);
    th_login(&s, "grid01", s.demo_pw, grid);
    th_login(&s, "admin", s.admin_pw, adm);
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT id FROM elder_centres WHERE kind = 'township' AND region_id = %lld", jhh);
    long long own = th_sql_int(&s, sql);
    snprintf(sql, sizeof sql,
             "SELECT MIN(id) FROM regions WHERE type = 'village' AND parent_id = %lld", jhh);
    long long va = th_sql_int(&s, sql);
    snprintf(sql, sizeof sql,
             "SELECT MAX(id) FROM regions WHERE type = 'village' AND parent_id = %lld", jhh);
    long long vb = th_sql_int(&s, sql);
    CHECK(own > 0 && va > 0 && vb > va);
    json_t *o;
    /* a centre names its region by name and code (namesake villages told apart) */
    snprintf(path, sizeof path, "/api/v1/elder-centres/%lld", own);
    CHECK_INT(th_call(&s, "GET", path, town, NULL, &o), 200);
    snprintf(sql, sizeof sql, "SELECT CAST(code AS INTEGER) FROM regions WHERE id = %lld", jhh);
    CHECK_INT(atoll(th_str(o, "region_code")), th_sql_int(&s, sql));
    json_decref(o);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];

    /* refused, writing nothing: the township's centre again (also with spaces around the name,
     * or the ideographic space), a name of spaces only, an unknown kind filter */
    th_fingerprint(&s, fp0, sizeof fp0);
    CHECK_INT(th_call(&s, "GET", "/api/v1/elder-centres?kind=township&limit=100", town, NULL, &o),
              200);
    const char *own_name = NULL;
    json_t *items = json_object_get(o, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        if (th_int(json_array_get(items, i), "id") == own)
            own_name = th_str(json_array_get(items, i), "name");
    CHECK(own_name != NULL);
    /* the spaces pj_in_text knows: ASCII, the ideographic space, no-break and em spaces (a
     * tab is a control character a name of one line may not hold: 422 below) */
    static const char *const pads[][2] = {
        {"", ""}, {" ", "  "}, {"\u3000", ""}, {"\u00a0", ""}, {"", "\u2003 "}};
    for (size_t i = 0; i < sizeof pads / sizeof pads[0]; i++) {
        snprintf(body, sizeof body,
                 "{\"kind\":\"township\",\"name\":\"%s%s%s\",\"region_id\":%lld}", pads[i][0],
                 own_name, pads[i][1], jhh);
        json_t *e;
        CHECK_INT(th_call(&s, "POST", "/api/v1/elder-centres", town, body, &e), 409);
        CHECK_STR(th_err_code(e), "conflict");
        CHECK_STR(th_err_field(e), "name");
        json_decref(e);
    }
    snprintf(body, sizeof body, "{\"kind\":\"township\",\"name\":\"%s\\t\",\"region_id\":%lld}",
             own_name, jhh);
    json_t *tab;
    CHECK_INT(th_call(&s, "POST", "/api/v1/elder-centres", town, body, &tab), 422);
    CHECK_STR(th_err_code(tab), "invalid_value");
    CHECK_STR(th_err_field(tab), "name");
    json_decref(tab);
    json_decref(o);
    static const char *const blanks[] = {"   ", "\\t\\n", "\u3000\u3000"};
    for (int i = 0; i < 3; i++) {
        snprintf(body, sizeof body, "{\"kind\":\"village\",\"name\":\"%s\",\"region_id\":%lld}",
                 blanks[i], va);
        CHECK_INT(th_call(&s, "POST", "/api/v1/elder-centres", town, body, &o), 422);
        CHECK_STR(th_err_field(o), "name");
        json_decref(o);
    }
    CHECK_INT(th_call(&s, "GET", "/api/v1/elder-centres?kind=bogus", view, NULL, &o), 400);
    CHECK_STR(th_err_code(o), "bad_query");
    CHECK_STR(th_err_field(o), "kind");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    json_decref(EL(&s, view, "GET", "/api/v1/elder-centres?kind=village&limit=5", NULL, 200));

    /* a village point: one of a name per village; the same name in another village is another
     * point */
    snprintf(body, sizeof body, "{\"kind\":\"village\",\"name\":\"幸福互助点\",\"region_id\":%lld}",
             va);
    long long pa = centre_id(EL(&s, town, "POST", "/api/v1/elder-centres", body, 201));
    json_decref(EL(&s, off, "POST", "/api/v1/elder-centres", body, 409));
    snprintf(body, sizeof body, "{\"kind\":\"village\",\"name\":\"幸福互助点\",\"region_id\":%lld}",
             vb);
    long long pb = centre_id(EL(&s, town, "POST", "/api/v1/elder-centres", body, 201));
    snprintf(body, sizeof body,
             "{\"kind\":\"village\",\"name\":\"幸福互助点二\",\"region_id\":%lld}", va);
    long long pc = centre_id(EL(&s, town, "POST", "/api/v1/elder-centres", body, 201));
    /* renamed into another's name: refused at the name; its own name again is no change */
    snprintf(path, sizeof path, "/api/v1/elder-centres/%lld", pc);
    o = EL(&s, town, "PATCH", path, "{\"version\":1,\"name\":\"幸福互助点\"}", 409);
    CHECK_STR(th_err_field(o), "name");
    json_decref(o);
    o = EL(&s, town, "PATCH", path, "{\"version\":1,\"name\":\"  \"}", 422);
    CHECK_STR(th_err_field(o), "name");
    json_decref(o);
    json_decref(EL(&s, town, "PATCH", path, "{\"version\":1,\"name\":\"幸福互助点二\"}", 200));

    /* delete: the roles that add centres, in their scope; not one with residents */
    snprintf(path, sizeof path, "/api/v1/elder-centres/%lld", pa);
    json_decref(EL(&s, view, "DELETE", path, NULL, 403));
    json_decref(EL(&s, grid, "DELETE", path, NULL, 403));
    long long other =
        th_sql_int(&s, "SELECT MIN(id) FROM elder_centres WHERE township_id <>"
                       " (SELECT township_id FROM users WHERE username = 'jinhaihu')");
    snprintf(path, sizeof path, "/api/v1/elder-centres/%lld", other);
    o = EL(&s, town, "DELETE", path, NULL, 403);
    CHECK_STR(th_err_code(o), "forbidden");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/elder-centres/%lld", own);
    CHECK(th_sql_int(&s, "SELECT occupancy FROM elder_centres WHERE kind = 'township' LIMIT 1") >
          0);
    snprintf(sql, sizeof sql, "SELECT occupancy FROM elder_centres WHERE id = %lld", own);
    CHECK(th_sql_int(&s, sql) > 0);
    th_fingerprint(&s, fp0, sizeof fp0);
    o = EL(&s, town, "DELETE", path, NULL, 409);
    CHECK_STR(th_err_code(o), "in_use");
    CHECK_STR(th_err_field(o), "occupancy");
    json_decref(o);
    json_decref(EL(&s, town, "DELETE", "/api/v1/elder-centres/99999999", NULL, 404));
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    snprintf(path, sizeof path, "/api/v1/elder-centres/%lld", pa);
    CHECK_INT(th_call(&s, "DELETE", path, town, NULL, NULL), 204);
    json_decref(EL(&s, view, "GET", path, NULL, 404));
    json_decref(EL(&s, town, "DELETE", path, NULL, 404));
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE action = 'delete' AND entity = 'elder_centre' AND"
             " entity_id = %lld AND username = 'jinhaihu' AND before_json LIKE '%%幸福互助点%%'"
             " AND after_json IS NULL",
             pa);
    CHECK_INT(th_sql_int(&s, sql), 1);
    /* the name is free again in that village; a district officer deletes anywhere */
    snprintf(body, sizeof body, "{\"kind\":\"village\",\"name\":\"幸福互助点\",\"region_id\":%lld}",
             va);
    json_decref(EL(&s, town, "POST", "/api/v1/elder-centres", body, 201));
    snprintf(path, sizeof path, "/api/v1/elder-centres/%lld", pb);
    CHECK_INT(th_call(&s, "DELETE", path, off, NULL, NULL), 204);
    CHECK_INT(th_call(&s, "DELETE", path, adm, NULL, NULL), 404);
    th_stop(&s);
}

/* Regression: a centre created with lon but no lat was taken (201) with lon dropped and no
 * point; lat without lon was refused. Either alone is 422 missing_field on the other, nothing
 * written; both together make the point. So on a change of a centre without a point. */
TEST_T(elder_centre_point_needs_lat_and_lon, 120)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 20);
    char off[80], body[300], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    long long village = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'village'");
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(body, sizeof body,
             "{\"kind\":\"village\",\"name\":\"经度点\",\"region_id\":%lld,\"lon\":117}", village);
    json_t *o = EL(&s, off, "POST", "/api/v1/elder-centres", body, 422);
    CHECK_STR(th_err_code(o), "missing_field");
    CHECK_STR(th_err_field(o), "lat");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"kind\":\"village\",\"name\":\"纬度点\",\"region_id\":%lld,\"lat\":40.1}", village);
    o = EL(&s, off, "POST", "/api/v1/elder-centres", body, 422);
    CHECK_STR(th_err_code(o), "missing_field");
    CHECK_STR(th_err_field(o), "lon");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    snprintf(body, sizeof body,
             "{\"kind\":\"village\",\"name\":\"两者点\",\"region_id\":%lld,\"lat\":40.1,"
             "\"lon\":117.1}",
             village);
    o = EL(&s, off, "POST", "/api/v1/elder-centres", body, 201);
    CHECK(json_number_value(json_object_get(o, "lat")) > 40.09 &&
          json_number_value(json_object_get(o, "lon")) > 117.09);
    json_decref(o);
    /* a change likewise: a centre without a point given lon alone was answered 200 with the
     * lon dropped (and a new version); now 422 at lat, nothing written */
    snprintf(body, sizeof body, "{\"kind\":\"village\",\"name\":\"无点\",\"region_id\":%lld}",
             th_sql_int(&s, "SELECT MAX(id) FROM regions WHERE type = 'village'"));
    o = EL(&s, off, "POST", "/api/v1/elder-centres", body, 201);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/elder-centres/%lld", th_int(o, "id"));
    json_decref(o);
    th_fingerprint(&s, fp0, sizeof fp0);
    o = EL(&s, off, "PATCH", path, "{\"version\":1,\"lon\":117.2}", 422);
    CHECK_STR(th_err_code(o), "missing_field");
    CHECK_STR(th_err_field(o), "lat");
    json_decref(o);
    /* and one that changes nothing writes nothing: the same version, no audit row */
    o = EL(&s, off, "PATCH", path, "{\"version\":1,\"name\":\"无点\"}", 200);
    CHECK_INT(th_int(o, "version"), 1);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    o = EL(&s, off, "PATCH", path, "{\"version\":1,\"lat\":40.2,\"lon\":117.2}", 200);
    CHECK_INT(th_int(o, "version"), 2);
    json_decref(o);
    /* with a point, either alone moves it, the other kept — regression: lon alone was taken
     * and lat alone refused ("lon is required") */
    o = EL(&s, off, "PATCH", path, "{\"version\":2,\"lat\":40.25}", 200);
    CHECK(json_number_value(json_object_get(o, "lat")) > 40.249 &&
          json_number_value(json_object_get(o, "lat")) < 40.251);
    CHECK(json_number_value(json_object_get(o, "lon")) > 117.199 &&
          json_number_value(json_object_get(o, "lon")) < 117.201);
    CHECK_INT(th_int(o, "version"), 3);
    json_decref(o);
    o = EL(&s, off, "PATCH", path, "{\"version\":3,\"lon\":117.25}", 200);
    CHECK(json_number_value(json_object_get(o, "lat")) > 40.249 &&
          json_number_value(json_object_get(o, "lon")) > 117.249);
    json_decref(o);
    th_stop(&s);
}
