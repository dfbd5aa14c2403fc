/* What an adopted plan sends to one of its sites, on the conversion the adoption started
 * (`plan_sites` of GET /conversions/{id}; the plans placing people into a site converted
 * already: test_plan_vulnerable.c): the site's people and those needing medical care, the
 * villages they come from, the supply flows into the site with what was shipped — the plan's own
 * figures for that site and no other's, readable by the facility's operator; none for a
 * conversion started by hand; not in the list nor in the audit rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "th.h"

#define POST(s, tok, path, body, want) CALL(s, "POST", tok, path, body, want)
#define GET(s, tok, path, want)        CALL(s, "GET", tok, path, NULL, want)

static json_t *site_of(json_t *res, long long fid)
{
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(res, "sites"), i, e)
    {
        if (th_int(e, "facility_id") == fid) return e;
    }
    return NULL;
}

/* The people of the plan's assignments from village v (0: any) to site fid, of class cls
 * (NULL: both). */
static long long assigned(json_t *res, long long fid, long long v, const char *cls)
{
    long long n = 0;
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(res, "assignments"), i, e)
    {
        if (th_int(e, "facility_id") == fid && (!v || th_int(e, "village_id") == v) &&
            (!cls || !strcmp(th_str(e, "class"), cls)))
            n += th_int(e, "people");
    }
    return n;
}

static int flows_to(json_t *res, long long fid)
{
    int n = 0;
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(json_object_get(res, "supplies"), "flows"), i, e)
    {
        n += th_int(e, "facility_id") == fid;
    }
    return n;
}

/* The conversion's plan_sites entry says what the plan's result says of site fid. */
static void same_as_plan(json_t *ps, json_t *plan, long long fid, int line)
{
    json_t *res = json_object_get(plan, "result"), *site = site_of(res, fid);
    if (!json_is_object(ps) || !site) {
        t_fail(__FILE__, line, "no plan_sites entry or no site %lld in the plan", fid);
        return;
    }
    if (th_int(ps, "plan_id") != th_int(plan, "id") ||
        th_int(ps, "people") != th_int(site, "used") ||
        th_int(ps, "vulnerable") != th_int(site, "vulnerable") ||
        th_int(ps, "capacity") != th_int(site, "capacity") ||
        th_int(ps, "barrier_free_rooms") != th_int(site, "barrier_free_rooms") ||
        strcmp(th_str(ps, "plan_name"), th_str(plan, "name")) ||
        strcmp(th_str(ps, "role"), th_str(plan, "role")))
        t_fail(__FILE__, line,
               "site %lld: plan_site %lld people (%lld vulnerable), the plan %lld (%lld)", fid,
               th_int(ps, "people"), th_int(ps, "vulnerable"), th_int(site, "used"),
               th_int(site, "vulnerable"));
    /* the villages: each as the plan's assignments to this site, adding up to its people */
    long long sum = 0, vsum = 0;
    json_t *v;
    size_t i;
    json_array_foreach(json_object_get(ps, "villages"), i, v)
    {
        long long vid = th_int(v, "village_id");
        if (th_int(v, "people") != assigned(res, fid, vid, NULL) ||
            th_int(v, "vulnerable") != assigned(res, fid, vid, "vulnerable") ||
            !th_str(v, "village_name"))
            t_fail(__FILE__, line, "site %lld, village %lld: %lld people, the plan assigns %lld",
                   fid, vid, th_int(v, "people"), assigned(res, fid, vid, NULL));
        sum += th_int(v, "people");
        vsum += th_int(v, "vulnerable");
    }
    if (sum != th_int(site, "used") || vsum != th_int(site, "vulnerable") ||
        sum != assigned(res, fid, 0, NULL))
        t_fail(__FILE__, line, "site %lld: its villages send %lld (%lld vulnerable), it has %lld",
               fid, sum, vsum, th_int(site, "used"));
    /* the flows: exactly the plan's flows into this site */
    json_t *fl;
    if ((int)json_array_size(json_object_get(ps, "flows")) != flows_to(res, fid))
        t_fail(__FILE__, line, "site %lld: %zu flows, the plan has %d", fid,
               json_array_size(json_object_get(ps, "flows")), flows_to(res, fid));
    json_array_foreach(json_object_get(ps, "flows"), i, fl)
    {
        json_t *e, *match = NULL;
        size_t k;
        json_array_foreach(json_object_get(json_object_get(res, "supplies"), "flows"), k, e)
        {
            if (th_int(e, "facility_id") == fid &&
                th_int(e, "store_id") == th_int(fl, "store_id") &&
                !strcmp(th_str(e, "category"), th_str(fl, "category")))
                match = e;
        }
        if (!match || th_int(match, "quantity") != th_int(fl, "quantity") ||
            th_int(match, "shipped") != th_int(fl, "shipped") ||
            th_int(match, "remaining") != th_int(fl, "remaining") ||
            json_is_true(json_object_get(match, "in_force")) !=
                json_is_true(json_object_get(fl, "in_force")) ||
            strcmp(th_str(match, "unit"), th_str(fl, "unit")))
            t_fail(__FILE__, line, "site %lld: flow of %s from %lld is not the plan's", fid,
                   th_str(fl, "category"), th_int(fl, "store_id"));
    }
}

TEST_T(plan_site_on_the_conversion, 240)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], wanda[80], path[128], body[1024];
    th_login(&s, "officer", s.demo_pw, tok);
    th_login(&s, "wanda", s.demo_pw, wanda);
    /* three townships, 10 % in need, 150 of them needing medical care, with supplies */
    snprintf(body, sizeof body,
             "{\"name\":\"三镇\",\"scenario\":\"disaster\",\"role\":\"resettlement\","
             "\"affected\":{\"township_ids\":[303,1073,523]},\"demand\":{\"share\":0.1},"
             "\"teams\":{\"cleaning\":12,\"logistics\":16,\"security\":4,\"medical\":10,"
             "\"catering\":6,\"it\":2,\"disinfection\":8},\"vulnerable\":{\"count\":150,"
             "\"needs\":\"medical_or_barrier_free\"},\"supplies\":{\"days\":3},"
             "\"time_limit_s\":0.3}");
    json_t *p = POST(&s, tok, "/api/v1/plans?wait=1", body, 201);
    long long pid = th_int(p, "id");
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", pid);
    json_t *ad = POST(&s, tok, path, "{\"confirm\":true}", 200);
    json_decref(p);
    snprintf(path, sizeof path, "/api/v1/plans/%lld", pid);
    p = GET(&s, tok, path, 200);
    json_t *res = json_object_get(p, "result");
    CHECK(json_array_size(json_object_get(ad, "conversions")) >= 2);

    /* every conversion of the plan: its site's figures, read by a facility operator of
     * another facility too (reads are not scoped) */
    long long vuln_total = 0, people_total = 0, with_flows = 0, ship_conv = 0;
    json_t *big = NULL, *cv;
    size_t i;
    json_array_foreach(json_object_get(ad, "conversions"), i, cv)
    {
        long long cid = th_int(cv, "conversion_id"), fid = th_int(cv, "facility_id");
        snprintf(path, sizeof path, "/api/v1/conversions/%lld", cid);
        json_t *c = GET(&s, wanda, path, 200);
        CHECK_INT(json_array_size(json_object_get(c, "plan_sites")), 1);
        json_t *ps = json_array_get(json_object_get(c, "plan_sites"), 0);
        CHECK_INT(th_int(c, "plan_id"), pid);
        same_as_plan(ps, p, fid, __LINE__);
        CHECK_STR(th_str(ps, "plan_status"), "adopted");
        CHECK(json_is_true(json_object_get(ps, "in_force")));
        CHECK_INT(th_int(ps, "supply_days"), 3);
        vuln_total += th_int(ps, "vulnerable");
        people_total += th_int(ps, "people");
        with_flows += json_array_size(json_object_get(ps, "flows")) > 0;
        json_t *fl;
        size_t k;
        json_array_foreach(json_object_get(ps, "flows"), k, fl)
        {
            if (!big || th_int(fl, "quantity") > th_int(big, "quantity")) {
                json_decref(big);
                big = json_deep_copy(fl);
                json_object_set_new(big, "facility_id", json_integer(fid));
                ship_conv = cid;
            }
        }
        json_decref(c);
    }
    /* the sites' figures add up to the plan's */
    CHECK_INT(people_total, th_int(json_object_get(res, "summary"), "served"));
    CHECK_INT(vuln_total, th_int(json_object_get(res, "vulnerable"), "served"));
    CHECK(vuln_total > 0);
    CHECK(with_flows > 0);
    CHECK(big != NULL);
    if (!big) return;

    /* a shipment of the biggest flow shows on its site's conversion */
    char ship[160];
    snprintf(ship, sizeof ship,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":5}",
             th_int(big, "store_id"), th_int(big, "facility_id"), th_str(big, "category"));
    snprintf(path, sizeof path, "/api/v1/plans/%lld/shipments", pid);
    json_decref(POST(&s, tok, path, ship, 201));
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", ship_conv);
    json_t *c = GET(&s, tok, path, 200);
    json_t *fl, *got = NULL;
    json_t *ps = json_array_get(json_object_get(c, "plan_sites"), 0);
    json_array_foreach(json_object_get(ps, "flows"), i, fl)
    {
        if (th_int(fl, "store_id") == th_int(big, "store_id") &&
            !strcmp(th_str(fl, "category"), th_str(big, "category")))
            got = fl;
    }
    CHECK(got != NULL);
    CHECK_INT(th_int(got, "shipped"), 5);
    CHECK_INT(th_int(got, "remaining"), th_int(big, "quantity") - 5);
    json_decref(c);

    /* the list and the audit rows go without it */
    json_t *l = GET(&s, tok, "/api/v1/conversions?mode=live&limit=5", 200);
    CHECK(json_object_get(json_array_get(json_object_get(l, "items"), 0), "plan_sites") == NULL);
    CHECK(json_object_get(json_array_get(json_object_get(l, "items"), 0), "plan_id") != NULL);
    json_decref(l);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'conversion' AND"
                             " after_json LIKE '%plan_sites%'"),
              0);

    /* closed: the figures stay, no longer in force */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/close", pid);
    json_decref(POST(&s, tok, path, "{\"reason\":\"汛情解除\"}", 200));
    snprintf(path, sizeof path, "/api/v1/conversions/%lld", ship_conv);
    c = GET(&s, tok, path, 200);
    ps = json_array_get(json_object_get(c, "plan_sites"), 0);
    CHECK_STR(th_str(ps, "plan_status"), "closed");
    CHECK(json_is_false(json_object_get(ps, "in_force")));
    json_decref(p);
    snprintf(path, sizeof path, "/api/v1/plans/%lld", pid);
    p = GET(&s, tok, path, 200);
    same_as_plan(ps, p, th_int(big, "facility_id"), __LINE__);
    json_decref(c);

    /* a conversion started by hand has none: wanda's hotel (facility 1), if in peacetime */
    if (th_sql_int(&s, "SELECT state = 'peacetime' FROM facilities WHERE id = 1")) {
        c = POST(&s, wanda, "/api/v1/conversions", "{\"facility_id\":1,\"scenario\":\"epidemic\"}",
                 201);
        CHECK(json_is_null(json_object_get(c, "plan_id")));
        CHECK(json_is_array(json_object_get(c, "plan_sites")));
        CHECK_INT(json_array_size(json_object_get(c, "plan_sites")), 0);
        json_decref(c);
    }
    json_decref(big);
    json_decref(ad);
    json_decref(p);
    th_stop(&s);
}
