/* An agri-tech or logistics PATCH that changes nothing (only the version, or fields sent back as
 * they are) writes nothing: 200 with the record, the same version, no audit row; a real change
 * is one new version and one update audit row. */
#include <stdio.h>
#include <string.h>

#include "logistics/rec_fixture.h"

/* PATCH path with body: 200 and the version the record had (*after the answer's). */
static void patch_same(th_server *s, const char *tok, const char *path, const char *body,
                       long long version, int line)
{
    json_t *o = th_call_want(s, "PATCH", tok, path, body, 200, __FILE__, line);
    if (th_int(o, "version") != version)
        t_fail(__FILE__, line, "PATCH %s %s: version %lld, expected %lld", path, body,
               th_int(o, "version"), version);
    json_decref(o);
}

TEST_T(records_patch_that_changes_nothing_writes_nothing, 120)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80], path[128], body[512], sql[160];
    th_login(&s, "officer", s.demo_pw, tok);
    static const struct {
        const char *base, *table, *entity;
    } eps[] = {
        {"/api/v1/agri/labs", "ag_labs", "ag_lab"},
        {"/api/v1/agri/projects", "ag_projects", "ag_project"},
        {"/api/v1/agri/milestones", "ag_milestones", "ag_milestone"},
        {"/api/v1/agri/farms", "ag_farms", "ag_farm"},
        {"/api/v1/agri/experts", "ag_experts", "ag_expert"},
        {"/api/v1/agri/sections", "ag_sections", "ag_section"},
        {"/api/v1/agri/results", "ag_results", "ag_result"},
        {"/api/v1/agri/transfers", "ag_transfers", "ag_transfer"},
        {"/api/v1/logistics/parks", "lg_parks", "lg_park"},
        {"/api/v1/logistics/warehouses", "lg_warehouses", "lg_warehouse"},
        {"/api/v1/logistics/tenants", "lg_tenants", "lg_tenant"},
        {"/api/v1/logistics/freight", "lg_freight", "lg_freight"},
        {"/api/v1/logistics/parcels", "lg_parcels", "lg_parcel"},
        {"/api/v1/logistics/trains", "lg_trains", "lg_train"},
    };
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    for (size_t i = 0; i < sizeof eps / sizeof eps[0]; i++) {
        snprintf(sql, sizeof sql, "SELECT MIN(id) FROM %s", eps[i].table);
        long long id = th_sql_int(&s, sql);
        CHECK(id > 0);
        snprintf(path, sizeof path, "%s/%lld", eps[i].base, id);
        json_t *o = CALL(&s, "GET", tok, path, NULL, 200);
        long long v = th_int(o, "version");
        json_decref(o);
        th_fingerprint(&s, fp0, sizeof fp0);
        snprintf(body, sizeof body, "{\"version\":%lld}", v);
        patch_same(&s, tok, path, body, v, __LINE__);
        th_fingerprint(&s, fp1, sizeof fp1);
        if (strcmp(fp0, fp1)) t_fail(__FILE__, __LINE__, "PATCH %s %s wrote", path, body);
    }
    /* fields sent back as they are: a lab's name and kind, a warehouse's status and area, a
     * parcel's areas, a month's tonnes */
    long long lab = th_sql_int(&s, "SELECT MIN(id) FROM ag_labs"),
              wh = th_sql_int(&s, "SELECT MIN(id) FROM lg_warehouses"),
              parcel = th_sql_int(&s, "SELECT MIN(id) FROM lg_parcels"),
              fr = th_sql_int(&s, "SELECT MIN(id) FROM lg_freight");
    snprintf(path, sizeof path, "/api/v1/agri/labs/%lld", lab);
    json_t *o = CALL(&s, "GET", tok, path, NULL, 200);
    long long v = th_int(o, "version");
    char name[256];
    snprintf(name, sizeof name, "%s", th_str(o, "name"));
    snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\"%s\",\"kind\":\"%s\"}", v, name,
             th_str(o, "kind"));
    json_decref(o);
    th_fingerprint(&s, fp0, sizeof fp0);
    patch_same(&s, tok, path, body, v, __LINE__);
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", wh);
    o = CALL(&s, "GET", tok, path, NULL, 200);
    long long wv = th_int(o, "version");
    snprintf(body, sizeof body, "{\"version\":%lld,\"status\":\"%s\",\"area_m2\":%.17g}", wv,
             th_str(o, "status"), json_number_value(json_object_get(o, "area_m2")));
    json_decref(o);
    patch_same(&s, tok, path, body, wv, __LINE__);
    snprintf(path, sizeof path, "/api/v1/logistics/parcels/%lld", parcel);
    o = CALL(&s, "GET", tok, path, NULL, 200);
    snprintf(body, sizeof body,
             "{\"version\":%lld,\"area_mu\":%.17g,\"transferable_before_mu\":%.17g}",
             th_int(o, "version"), json_number_value(json_object_get(o, "area_mu")),
             json_number_value(json_object_get(o, "transferable_before_mu")));
    long long pv = th_int(o, "version");
    json_decref(o);
    patch_same(&s, tok, path, body, pv, __LINE__);
    snprintf(path, sizeof path, "/api/v1/logistics/freight/%lld", fr);
    o = CALL(&s, "GET", tok, path, NULL, 200);
    long long fv = th_int(o, "version");
    snprintf(body, sizeof body, "{\"version\":%lld,\"tonnes\":%lld}", fv, th_int(o, "tonnes"));
    json_decref(o);
    patch_same(&s, tok, path, body, fv, __LINE__);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* a stale version is still refused, and a change is one version and one audit row */
    snprintf(path, sizeof path, "/api/v1/agri/labs/%lld", lab);
    snprintf(body, sizeof body, "{\"version\":%lld}", v + 1);
    REFUSED(&s, "PATCH", tok, path, body, 409, "version_conflict");
    snprintf(body, sizeof body, "{\"version\":%lld,\"field\":\"蔬菜育种（改）\"}", v);
    o = CALL(&s, "PATCH", tok, path, body, 200);
    CHECK_INT(th_int(o, "version"), v + 1);
    json_decref(o);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ag_lab' AND entity_id = %lld AND action"
             " = 'update'",
             lab);
    CHECK_INT(th_sql_int(&s, sql), 1);
    th_stop(&s);
}
