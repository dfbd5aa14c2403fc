/* The agri-tech and logistics records show the names of what they refer to beside the ids
 * (park, organisation, township, facility, warehouse, lab, farm, project, result): each name is
 * the referenced record's own, null where the reference is, and follows a rename. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logistics/rec_fixture.h"

typedef struct ref_case {
    const char *list;     /* the records' list */
    const char *id_key;   /* the reference */
    const char *name_key; /* its name beside it */
    const char *one;      /* the referenced record, "%lld" for the id */
    const char *its_name; /* the name's key there */
} ref_case;

static const ref_case cases[] = {
    {"/api/v1/logistics/freight", "park_id", "park", "/api/v1/logistics/parks/%lld", "name"},
    {"/api/v1/logistics/freight", "organisation_id", "organisation", "/api/v1/organisations/%lld",
     "name"},
    {"/api/v1/logistics/warehouses", "park_id", "park", "/api/v1/logistics/parks/%lld", "name"},
    {"/api/v1/logistics/warehouses", "facility_id", "facility", "/api/v1/facilities/%lld", "name"},
    {"/api/v1/logistics/warehouses", "township_id", "township", "/api/v1/regions/%lld", "name"},
    {"/api/v1/logistics/tenants", "warehouse_id", "warehouse", "/api/v1/logistics/warehouses/%lld",
     "name"},
    {"/api/v1/logistics/parcels", "park_id", "park", "/api/v1/logistics/parks/%lld", "name"},
    {"/api/v1/logistics/trains", "park_id", "park", "/api/v1/logistics/parks/%lld", "name"},
    {"/api/v1/agri/transfers", "result_id", "result", "/api/v1/agri/results/%lld", "title"},
    {"/api/v1/agri/transfers", "farm_id", "farm", "/api/v1/agri/farms/%lld", "name"},
    {"/api/v1/agri/experts", "farm_id", "farm", "/api/v1/agri/farms/%lld", "name"},
    {"/api/v1/agri/farms", "lab_id", "lab", "/api/v1/agri/labs/%lld", "name"},
    {"/api/v1/agri/milestones", "project_id", "project", "/api/v1/agri/projects/%lld", "name"},
    {"/api/v1/agri/projects", "lab_id", "lab", "/api/v1/agri/labs/%lld", "name"},
    {"/api/v1/agri/labs", "organisation_id", "organisation", "/api/v1/organisations/%lld", "name"},
};

TEST_T(records_show_the_names_they_refer_to, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char tok[80];
    th_login(&s, "admin", s.admin_pw, tok);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const ref_case *rc = &cases[c];
        char path[256];
        snprintf(path, sizeof path, "%s?limit=500", rc->list);
        json_t *l = CALL(&s, "GET", tok, path, NULL, 200);
        json_t *items = json_object_get(l, "items");
        int named = 0;
        for (size_t i = 0; i < json_array_size(items) && named < 12; i++) {
            json_t *it = json_array_get(items, i), *id = json_object_get(it, rc->id_key),
                   *nm = json_object_get(it, rc->name_key);
            if (!nm) t_fail(__FILE__, __LINE__, "%s: no %s", rc->list, rc->name_key);
            if (json_is_null(id)) {
                if (!json_is_null(nm))
                    t_fail(__FILE__, __LINE__, "%s: %s without %s", rc->list, rc->name_key,
                           rc->id_key);
                continue;
            }
            snprintf(path, sizeof path, rc->one, (long long)json_integer_value(id));
            json_t *o = CALL(&s, "GET", tok, path, NULL, 200);
            if (!json_is_string(nm) || strcmp(json_string_value(nm), th_str(o, rc->its_name)))
                t_fail(__FILE__, __LINE__, "%s: %s '%s', %s says '%s'", rc->list, rc->name_key,
                       json_is_string(nm) ? json_string_value(nm) : "(not text)", path,
                       th_str(o, rc->its_name));
            json_decref(o);
            named++;
        }
        if (!named) t_fail(__FILE__, __LINE__, "%s: no row refers by %s", rc->list, rc->id_key);
        json_decref(l);
    }
    /* a renamed park is shown under its new name (joined, not copied) */
    json_t *l = CALL(&s, "GET", tok, "/api/v1/logistics/freight?limit=1", NULL, 200);
    long long park = th_int(json_array_get(json_object_get(l, "items"), 0), "park_id");
    json_decref(l);
    char path[128], body[128];
    snprintf(path, sizeof path, "/api/v1/logistics/parks/%lld", park);
    json_t *p = CALL(&s, "GET", tok, path, NULL, 200);
    snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\"改名物流园\"}", th_int(p, "version"));
    json_decref(p);
    json_decref(CALL(&s, "PATCH", tok, path, body, 200));
    snprintf(path, sizeof path, "/api/v1/logistics/freight?park_id=%lld&limit=1", park);
    l = CALL(&s, "GET", tok, path, NULL, 200);
    CHECK_STR(th_str(json_array_get(json_object_get(l, "items"), 0), "park"), "改名物流园");
    json_decref(l);
    th_stop(&s);
}
