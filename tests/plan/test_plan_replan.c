/* Planning again for the people a closed site left without a place: the demand given village
 * by village (demand.villages: the people as counted, not a number split by population, which
 * gave a village of 14 displaced people 50 places and one of 62 only 51), and the sites the plan
 * may not choose (exclude_facility_ids: a site found unsafe was chosen again once restored).
 * Bad input names its field and writes nothing. */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "th.h"

static json_t *plan(th_server *s, const char *tok, const char *body, int want)
{
    json_t *o = NULL;
    int st = th_call(s, "POST", "/api/v1/plans?wait=1", tok, body, &o);
    if (st != want)
        t_fail(__FILE__, __LINE__, "POST /plans: %d, expected %d (%s: %s)", st, want,
               th_err_code(o) ? th_err_code(o) : "-", th_err_message(o));
    return o;
}

/* people the plan sends from village v, in all */
static long long sent_from(json_t *p, long long v)
{
    long long n = 0;
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(json_object_get(p, "result"), "assignments"), i, a)
    {
        if (th_int(a, "village_id") == v) n += th_int(a, "people");
    }
    return n;
}

TEST_T(plan_demand_by_village_and_excluded_sites, 120)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[1024], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    long long town =
        th_sql_int(&s, "SELECT id FROM regions WHERE name = '金海湖地区' AND type = 'township'");
    char q[200];
    long long v[3];
    for (int i = 0; i < 3; i++) {
        snprintf(q, sizeof q,
                 "SELECT id FROM regions WHERE parent_id = %lld AND type IN ('village',"
                 " 'community') ORDER BY id LIMIT 1 OFFSET %d",
                 town, i);
        v[i] = th_sql_int(&s, q);
    }
    /* 54 and 14 people of two villages, none of the third: exactly those, wherever they go */
    const char *head = "{\"name\":\"再安置\",\"scenario\":\"disaster\",\"role\":\"resettlement\","
                       "\"vulnerable\":false,\"time_limit_s\":0.5,";
    snprintf(body, sizeof body,
             "%s\"affected\":{\"village_ids\":[%lld,%lld,%lld]},\"demand\":{\"villages\":["
             "{\"village_id\":%lld,\"people\":54},{\"village_id\":%lld,\"people\":14}]}}",
             head, v[0], v[1], v[2], v[0], v[2]);
    json_t *p = plan(&s, tok, body, 201);
    json_t *sum = json_object_get(json_object_get(p, "result"), "summary");
    CHECK_INT(th_int(sum, "demand"), 68);
    CHECK_INT(th_int(sum, "served"), 68);
    CHECK_INT(sent_from(p, v[0]), 54);
    CHECK_INT(sent_from(p, v[1]), 0);
    CHECK_INT(sent_from(p, v[2]), 14);
    /* the sites it chose, excluded: none of them is chosen again, the people still placed */
    char ex[256] = "";
    size_t i, len = 0;
    json_t *site;
    long long chosen[16];
    int nchosen = 0;
    json_array_foreach(json_object_get(json_object_get(p, "result"), "sites"), i, site)
    {
        if (nchosen < 16) chosen[nchosen++] = th_int(site, "facility_id");
        len += (size_t)snprintf(ex + len, sizeof ex - len, "%s%lld", i ? "," : "",
                                th_int(site, "facility_id"));
    }
    json_decref(p);
    CHECK(nchosen > 0);
    snprintf(body, sizeof body,
             "%s\"affected\":{\"village_ids\":[%lld,%lld,%lld]},\"demand\":{\"villages\":["
             "{\"village_id\":%lld,\"people\":54},{\"village_id\":%lld,\"people\":14}]},"
             "\"exclude_facility_ids\":[%s]}",
             head, v[0], v[1], v[2], v[0], v[2], ex);
    p = plan(&s, tok, body, 201);
    CHECK_INT(th_int(json_object_get(json_object_get(p, "result"), "summary"), "served"), 68);
    json_array_foreach(json_object_get(json_object_get(p, "result"), "sites"), i, site)
    {
        for (int k = 0; k < nchosen; k++) CHECK(th_int(site, "facility_id") != chosen[k]);
    }
    CHECK(json_object_get(json_object_get(p, "request"), "exclude_facility_ids") != NULL);
    json_decref(p);
    /* refused, at the field, nothing written */
    static const struct {
        const char *demand, *extra, *field;
    } bad[] = {
        {"{\"villages\":[{\"village_id\":999999,\"people\":3}]}", "",
         "demand.villages[0].village_id"},
        {"{\"villages\":[{\"village_id\":V0,\"people\":3},{\"village_id\":V0,\"people\":4}]}", "",
         "demand.villages[1].village_id"},
        {"{\"villages\":[{\"village_id\":V0,\"people\":-1}]}", "", "demand.villages[0].people"},
        {"{\"villages\":[{\"village_id\":V0}]}", "", "demand.villages[0].people"},
        {"{\"villages\":[]}", "", "demand.villages"},
        {"{\"villages\":[{\"village_id\":V0,\"people\":3}],\"people\":3}", "", "demand"},
        {"{\"villages\":[{\"village_id\":V0,\"people\":0}]}", "", "demand.villages"},
        {"{\"people\":3}", ",\"exclude_facility_ids\":[999999]", "exclude_facility_ids[0]"},
        {"{\"people\":3}", ",\"exclude_facility_ids\":\"1\"", "exclude_facility_ids"},
    };
    th_fingerprint(&s, fp0, sizeof fp0);
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char dem[256], num[24];
        snprintf(num, sizeof num, "%lld", v[0]);
        /* V0: the first village's id */
        const char *at = strstr(bad[k].demand, "V0");
        size_t dl = 0;
        for (const char *c = bad[k].demand; *c && dl + 24 < sizeof dem;) {
            if (c == at) {
                dl += (size_t)snprintf(dem + dl, sizeof dem - dl, "%s", num);
                c += 2;
                at = strstr(c, "V0");
            } else
                dem[dl++] = *c++;
        }
        dem[dl] = 0;
        snprintf(body, sizeof body, "%s\"affected\":{\"village_ids\":[%lld,%lld]},\"demand\":%s%s}",
                 head, v[0], v[1], dem, bad[k].extra);
        json_t *e = plan(&s, tok, body, 422);
        if (!th_err_field(e) || strcmp(th_err_field(e), bad[k].field))
            t_fail(__FILE__, __LINE__, "%s: error at %s (%s), expected at %s", body,
                   th_err_field(e) ? th_err_field(e) : "-", th_err_message(e), bad[k].field);
        json_decref(e);
    }
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* every site with the role excluded: no candidates, said at the exclusion */
    static char all[8192], big[10240];
    long long nrole = th_sql_int(&s, "SELECT COUNT(DISTINCT facility_id) FROM facility_roles"
                                     " WHERE role = 'resettlement'");
    CHECK(nrole > 0 && nrole < 1000);
    size_t al = 0;
    for (long long k = 0; k < nrole; k++) {
        snprintf(q, sizeof q,
                 "SELECT DISTINCT facility_id FROM facility_roles WHERE role = 'resettlement'"
                 " ORDER BY facility_id LIMIT 1 OFFSET %lld",
                 k);
        al +=
            (size_t)snprintf(all + al, sizeof all - al, "%s%lld", k ? "," : "", th_sql_int(&s, q));
    }
    snprintf(big, sizeof big,
             "%s\"affected\":{\"village_ids\":[%lld]},\"demand\":{\"people\":3},"
             "\"exclude_facility_ids\":[%s]}",
             head, v[0], all);
    p = plan(&s, tok, big, 422);
    CHECK_STR(th_err_code(p), "no_candidates");
    CHECK_STR(th_err_field(p), "exclude_facility_ids");
    json_decref(p);
    th_stop(&s);
}
