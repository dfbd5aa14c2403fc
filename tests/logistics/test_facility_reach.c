/* A registry facility linked by an agri-tech, logistics or e-commerce record is one the writer
 * reaches: an enterprise user's is operated by their organisation, a township officer's lies in
 * their township (403 forbidden at facility_id, nothing written). A farm or warehouse created
 * with another firm's facility counted that facility's food reserve or store as the firm's and
 * locked its owner out (a facility is one farm's, one warehouse's: 409 to the owner). */
#include <stdio.h>

#include "logistics/rec_fixture.h"

/* The first facility meeting `cond` that no farm and no warehouse links yet. */
static long long free_facility(th_server *s, const char *cond)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT MIN(id) FROM facilities WHERE %s AND id NOT IN (SELECT facility_id FROM"
             " ag_farms WHERE facility_id IS NOT NULL) AND id NOT IN (SELECT facility_id FROM"
             " lg_warehouses WHERE facility_id IS NOT NULL)",
             cond);
    return th_sql_int(s, sql);
}

TEST_T(records_link_only_facilities_in_reach, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char jd[80], town[80], off[80], body[320], path[96];
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "officer", s.demo_pw, off);
    long long jd_org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    char cond[160];
    snprintf(cond, sizeof cond, "operator_id <> %lld", jd_org);
    long long other_firms = free_facility(&s, cond);
    long long nobodys = free_facility(&s, "type = 'warehouse' AND operator_id IS NULL");
    snprintf(cond, sizeof cond, "township_id <> %lld", jhh);
    long long elsewhere = free_facility(&s, cond);
    snprintf(cond, sizeof cond, "type = 'warehouse' AND township_id <> %lld", jhh);
    long long elsewhere_wh = free_facility(&s, cond);
    snprintf(cond, sizeof cond, "township_id = %lld", jhh);
    long long own_fac = free_facility(&s, cond);
    if (other_firms <= 0 || nobodys <= 0 || elsewhere <= 0 || own_fac <= 0 || elsewhere_wh <= 0)
        t_fail(__FILE__, __LINE__, "demo facilities: %lld %lld %lld %lld %lld", other_firms,
               nobodys, elsewhere, own_fac, elsewhere_wh);

    /* an enterprise: creates as edits, another firm's facility or one nobody operates */
    snprintf(body, sizeof body, "{\"name\":\"京东农场T\",\"facility_id\":%lld,\"area_mu\":10}",
             other_firms);
    REFUSED_ON(&s, "POST", jd, "/api/v1/agri/farms", body, 403, "forbidden", "facility_id");
    snprintf(body, sizeof body, "{\"name\":\"京东新仓T\",\"area_m2\":100,\"facility_id\":%lld}",
             other_firms);
    REFUSED_ON(&s, "POST", jd, "/api/v1/logistics/warehouses", body, 403, "forbidden",
               "facility_id");
    snprintf(body, sizeof body, "{\"name\":\"京东新仓T\",\"area_m2\":100,\"facility_id\":%lld}",
             nobodys);
    REFUSED_ON(&s, "POST", jd, "/api/v1/logistics/warehouses", body, 403, "forbidden",
               "facility_id");

    /* a township officer: a facility of another township, on a create and on a change */
    snprintf(body, sizeof body,
             "{\"name\":\"金海湖农场T\",\"township_id\":%lld,\"facility_id\":%lld}", jhh,
             elsewhere);
    REFUSED_ON(&s, "POST", town, "/api/v1/agri/farms", body, 403, "forbidden", "facility_id");
    snprintf(body, sizeof body,
             "{\"name\":\"金海湖仓T\",\"township_id\":%lld,\"area_m2\":100,\"facility_id\":%lld}",
             jhh, elsewhere_wh);
    REFUSED_ON(&s, "POST", town, "/api/v1/logistics/warehouses", body, 403, "forbidden",
               "facility_id");
    snprintf(body, sizeof body,
             "{\"name\":\"金海湖基地T\",\"tier\":\"village\",\"township_id\":%lld,\"facility_id\":"
             "%lld}",
             jhh, elsewhere);
    REFUSED_ON(&s, "POST", town, "/api/v1/ecommerce/bases", body, 403, "forbidden", "facility_id");
    /* their own township's facility they link */
    snprintf(body, sizeof body,
             "{\"name\":\"金海湖农场T\",\"township_id\":%lld,\"facility_id\":%lld}", jhh, own_fac);
    json_t *o = CALL(&s, "POST", town, "/api/v1/agri/farms", body, 201);
    long long farm = th_int(o, "id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/agri/farms/%lld", farm);
    snprintf(body, sizeof body, "{\"version\":1,\"facility_id\":%lld}", elsewhere);
    REFUSED_ON(&s, "PATCH", town, path, body, 403, "forbidden", "facility_id");
    /* the district links any facility; the officer's later edit sending it back is no new link */
    json_decref(CALL(&s, "PATCH", off, path, body, 200));
    snprintf(body, sizeof body, "{\"version\":2,\"facility_id\":%lld,\"main_crop\":\"大桃\"}",
             elsewhere);
    json_decref(CALL(&s, "PATCH", town, path, body, 200));
    snprintf(body, sizeof body,
             "{\"name\":\"金海湖基地T\",\"tier\":\"village\",\"township_id\":%lld,\"facility_id\":"
             "%lld}",
             jhh, own_fac);
    json_decref(CALL(&s, "POST", town, "/api/v1/ecommerce/bases", body, 201));
    th_stop(&s);
}
