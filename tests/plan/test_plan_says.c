/* The plan says what it left out and what others hold already, on the demo district: the
 * candidates the teams cannot staff are named with their shortages (a plan short of medical
 * teams otherwise just reports its vulnerable people unmet); the stock adopted plans ship is
 * not promised again; a blank name is refused. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/plan.h"
#include "t.h"
#include "th.h"

static json_t *post(th_server *s, const char *tok, const char *path, const char *body, int want)
{
    json_t *o = NULL;
    int st = th_call(s, "POST", path, tok, body, &o);
    if (st != want)
        t_fail(__FILE__, __LINE__, "POST %s: %d, expected %d (%s: %s)", path, st, want,
               th_err_code(o) ? th_err_code(o) : "-",
               o ? json_string_value(json_object_get(json_object_get(o, "error"), "message")) : "");
    return o;
}

/* The reviewer's scenario: three townships, 10 % in need, medical teams as given; the tests'
 * demo has no eldercare list, so 150 of them need a medical site (said as a number). */
static void three_towns(char *out, size_t size, const char *name, int medical, const char *extra)
{
    snprintf(out, size,
             "{\"name\":\"%s\",\"scenario\":\"disaster\",\"role\":\"resettlement\","
             "\"affected\":{\"township_ids\":[303,1073,523]},\"demand\":{\"share\":0.1},"
             "\"teams\":{\"cleaning\":12,\"logistics\":16,\"security\":4,\"medical\":%d,"
             "\"catering\":6,\"it\":2,\"disinfection\":8},\"vulnerable\":{\"count\":150,\"needs\":"
             "\"medical\"},"
             "\"time_limit_s\":0.3%s}",
             name, medical, extra ? extra : "");
}

static json_t *excluded_site(json_t *res, long long fid)
{
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(res, "excluded"), i,
                       e) if (th_int(e, "facility_id") == fid) return e;
    return NULL;
}

TEST_T(plan_names_candidates_left_out_for_lack_of_teams, 120)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[1024];
    th_login(&s, "officer", s.demo_pw, tok);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM regions WHERE id IN (303, 1073, 523) AND"
                             " type = 'township'"),
              3);
    /* the two medical bases need 10 medical teams: with 4 they are left out, and said so */
    three_towns(body, sizeof body, "four medical teams", 4, NULL);
    json_t *p = post(&s, tok, "/api/v1/plans?wait=1", body, 201);
    json_t *res = json_object_get(p, "result");
    CHECK(th_int(json_object_get(res, "summary"), "vulnerable_shortfall") > 0);
    json_t *ex = json_object_get(res, "excluded");
    CHECK(json_is_array(ex));
    int medical_bases = 0;
    for (long long fid = 4; fid <= 5; fid++) {
        json_t *e = excluded_site(res, fid);
        CHECK(e != NULL);
        if (!e) continue;
        medical_bases++;
        CHECK_STR(th_str(e, "reason"), "too_few_teams");
        CHECK_STR(th_str(e, "role"), "medical");
        CHECK(th_str(e, "name") && *th_str(e, "name"));
        json_t *tm = json_array_get(json_object_get(e, "teams"), 0);
        CHECK_STR(th_str(tm, "team_type"), "medical");
        CHECK_INT(th_int(tm, "given"), 4);
        CHECK(th_int(tm, "needed") > 4);
    }
    CHECK_INT(medical_bases, 2);
    /* none of them is a chosen site */
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(res, "sites"), i, e)
        CHECK(excluded_site(res, th_int(e, "facility_id")) == NULL);
    json_decref(p);
    /* with 10 medical teams they are candidates, not left out, and everyone is served */
    three_towns(body, sizeof body, "ten medical teams", 10, NULL);
    p = post(&s, tok, "/api/v1/plans?wait=1", body, 201);
    res = json_object_get(p, "result");
    CHECK(excluded_site(res, 4) == NULL && excluded_site(res, 5) == NULL);
    CHECK_INT(th_int(json_object_get(res, "summary"), "vulnerable_shortfall"), 0);
    json_decref(p);
    th_stop(&s);
}

/* store × category → quantity shipped by a plan's flows, added into sums (keys "store/cat") */
static void add_flows(json_t *sums, json_t *plan)
{
    json_t *e;
    size_t i;
    json_array_foreach(
        json_object_get(json_object_get(json_object_get(plan, "result"), "supplies"), "flows"), i,
        e)
    {
        char key[96];
        snprintf(key, sizeof key, "%lld/%s", th_int(e, "store_id"), th_str(e, "category"));
        json_int_t have = json_integer_value(json_object_get(sums, key));
        json_object_set_new(sums, key, json_integer(have + th_int(e, "quantity")));
    }
}

static long long total_flows(json_t *plan)
{
    long long n = 0;
    json_t *e;
    size_t i;
    json_array_foreach(
        json_object_get(json_object_get(json_object_get(plan, "result"), "supplies"), "flows"), i,
        e) n += th_int(e, "quantity");
    return n;
}

TEST_T(plan_does_not_promise_stock_adopted_plans_ship, 180)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[1024], path[96];
    th_login(&s, "officer", s.demo_pw, tok);
    three_towns(body, sizeof body, "first", 10, ",\"supplies\":{\"days\":3}");
    json_t *a = post(&s, tok, "/api/v1/plans?wait=1", body, 201);
    long long shipped_a = total_flows(a);
    CHECK(shipped_a > 0);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", th_int(a, "id"));
    json_t *ad = post(&s, tok, path, "{\"confirm\":true}", 200);
    /* the follow-up: other sites (the first plan's convert), the same stores */
    three_towns(body, sizeof body, "follow-up", 10, ",\"supplies\":{\"days\":3}");
    json_t *b = post(&s, tok, "/api/v1/plans?wait=1", body, 201);
    json_t *sup = json_object_get(json_object_get(b, "result"), "supplies");
    CHECK(total_flows(b) > 0);
    /* together they ship no more than each store holds of each category */
    json_t *sums = json_object();
    add_flows(sums, a);
    add_flows(sums, b);
    const char *key;
    json_t *v;
    int over = 0;
    json_object_foreach(sums, key, v)
    {
        long long store = atoll(key);
        char q[400];
        snprintf(q, sizeof q,
                 "SELECT COALESCE(SUM(quantity), 0) FROM stock_lines WHERE facility_id = %lld"
                 " AND category = '%s'",
                 store, strchr(key, '/') + 1);
        long long stock = th_sql_int(&s, q);
        if (json_integer_value(v) > stock) {
            over++;
            t_fail(__FILE__, __LINE__, "store %s: %lld shipped by both plans, %lld in stock", key,
                   (long long)json_integer_value(v), stock);
        }
    }
    CHECK_INT(over, 0);
    json_decref(sums);
    /* and the follow-up says what it left to the adopted plan: all the first one ships */
    CHECK_INT(th_int(sup, "held_by_adopted"), shipped_a);
    CHECK(json_array_size(json_object_get(sup, "held")) > 0);
    /* the first plan's conversions aborted: its flows no longer hold the stock */
    json_t *cv;
    size_t i;
    json_array_foreach(json_object_get(ad, "conversions"), i, cv)
    {
        snprintf(path, sizeof path, "/api/v1/conversions/%lld/abort", th_int(cv, "conversion_id"));
        json_decref(post(&s, tok, path, "{\"reason\":\"test\",\"confirm\":true}", 200));
    }
    three_towns(body, sizeof body, "after the aborts", 10, ",\"supplies\":{\"days\":3}");
    json_t *c = post(&s, tok, "/api/v1/plans?wait=1", body, 201);
    CHECK_INT(th_int(json_object_get(json_object_get(c, "result"), "supplies"), "held_by_adopted"),
              0);
    json_decref(a);
    json_decref(ad);
    json_decref(b);
    json_decref(c);
    th_stop(&s);
}

TEST_T(plan_name_of_spaces_is_refused, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[1024], fp1[TH_FINGERPRINT_SIZE], fp2[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    th_fingerprint(&s, fp1, sizeof fp1);
    static const char *const blank[] = {"   ", "\\t \\n", "\xe3\x80\x80"}; /* U+3000 too */
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
        three_towns(body, sizeof body, blank[i], 10, NULL);
        json_t *o = post(&s, tok, "/api/v1/plans", body, 422);
        CHECK_STR(th_err_code(o), "missing_field");
        CHECK_STR(th_err_field(o), "name");
        json_decref(o);
    }
    th_fingerprint(&s, fp2, sizeof fp2);
    CHECK_STR(fp1, fp2);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM plans"), 0);
    /* a name with spaces around it is kept without them */
    three_towns(body, sizeof body, "  三镇 10%  ", 10, NULL);
    json_t *p = post(&s, tok, "/api/v1/plans?wait=1", body, 201);
    CHECK_STR(th_str(p, "name"), "三镇 10%");
    json_decref(p);
    th_stop(&s);
}
