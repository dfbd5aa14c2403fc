/* Every agri-tech and logistics endpoint refuses bad input with a 4xx and writes nothing:
 * unknown fields, a body that is not an object, an update without its version, unknown list
 * parameters, ids that do not exist. */
#include <stdio.h>
#include <string.h>

#include "logistics/rec_fixture.h"

TEST_T(records_every_endpoint_refuses_bad_input, 120)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80], path[128];
    th_login(&s, "officer", s.demo_pw, tok);
    static const struct {
        const char *base, *table;
    } eps[] = {
        {"/api/v1/agri/labs", "ag_labs"},
        {"/api/v1/agri/projects", "ag_projects"},
        {"/api/v1/agri/milestones", "ag_milestones"},
        {"/api/v1/agri/farms", "ag_farms"},
        {"/api/v1/agri/experts", "ag_experts"},
        {"/api/v1/agri/sections", "ag_sections"},
        {"/api/v1/agri/results", "ag_results"},
        {"/api/v1/agri/transfers", "ag_transfers"},
        {"/api/v1/logistics/parks", "lg_parks"},
        {"/api/v1/logistics/warehouses", "lg_warehouses"},
        {"/api/v1/logistics/tenants", "lg_tenants"},
        {"/api/v1/logistics/freight", "lg_freight"},
        {"/api/v1/logistics/parcels", "lg_parcels"},
        {"/api/v1/logistics/trains", "lg_trains"},
    };
    for (size_t i = 0; i < sizeof eps / sizeof eps[0]; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT MIN(id) FROM %s", eps[i].table);
        long long id = th_sql_int(&s, sql);
        CHECK(id > 0); /* the demo fills every register */
        const char *b = eps[i].base;
        REFUSED(&s, "POST", tok, b, "{}", 422, "missing_field");
        REFUSED(&s, "POST", tok, b, "{\"nope\":1}", 422, "unknown_field");
        REFUSED(&s, "POST", tok, b, "[]", 400, NULL);
        REFUSED(&s, "POST", tok, b,
                "{\"source\":\"" /* 33 characters */
                "123456789012345678901234567890123\"}",
                422, NULL);
        snprintf(path, sizeof path, "%s?nope=1", b);
        REFUSED(&s, "GET", tok, path, NULL, 400, "unknown_parameter");
        snprintf(path, sizeof path, "%s?limit=501", b);
        REFUSED(&s, "GET", tok, path, NULL, 400, "bad_query");
        snprintf(path, sizeof path, "%s/%lld", b, id);
        json_t *one = CALL(&s, "GET", tok, path, NULL, 200);
        CHECK_INT(th_int(one, "id"), id);
        CHECK(th_int(one, "version") >= 1);
        json_decref(one);
        REFUSED(&s, "PATCH", tok, path, "{}", 422, "missing_field");
        REFUSED(&s, "PATCH", tok, path, "{\"version\":1,\"nope\":1}", 422, "unknown_field");
        REFUSED(&s, "PATCH", tok, path, "{\"version\":0}", 422, NULL);
        REFUSED(&s, "PATCH", tok, path, "{\"version\":1,\"source\":\"x\"}", 422, "unknown_field");
        REFUSED(&s, "PATCH", tok, path, "{\"version\":999}", 409, "version_conflict");
        snprintf(path, sizeof path, "%s/999999", b);
        REFUSED(&s, "GET", tok, path, NULL, 404, "not_found");
        REFUSED(&s, "PATCH", tok, path, "{\"version\":1}", 404, "not_found");
        REFUSED(&s, "DELETE", tok, path, NULL, 404, "not_found");
        snprintf(path, sizeof path, "%s/abc", b);
        REFUSED(&s, "GET", tok, path, NULL, 400, NULL);
        /* without a login */
        REFUSED(&s, "POST", NULL, b, "{}", 401, NULL);
    }
    th_stop(&s);
}
