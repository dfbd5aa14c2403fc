/* The stock list filtered and paged by the server, so that the stock page asks for the page it
 * shows rather than every line: ?expiry_state= (ok, soon, expired: the summary's rule, Beijing's
 * today, 90 days), ?offset= (a numbered page), the summary's lines per expiry state (the pager's
 * totals) and its sums per facility of one category (the chart); bad values refused at their
 * parameter, nothing written; reads unscoped for every official role, as before. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/dualuse.h"
#include "t.h"
#include "th.h"

#define MAXL 2048

/* A line as the list gives it: its id, facility, category, and its state by the page's rule
 * (expired as the server says; else soon when its expiry is on or before today + 90 days). */
typedef struct {
    long long id, facility;
    char cat[33];
    int state; /* 0 ok, 1 soon, 2 expired: the order of pj_stock_expiry_states */
    double qty;
} line;

/* Every line GET /stock?query gives, page after page (500 a page). */
static int list_all(th_server *s, const char *tok, const char *query, line *out, int max, int at)
{
    char soon[11], path[300];
    th_day_rel(0, 90, soon);
    int n = 0;
    long long cursor = 0;
    do {
        snprintf(path, sizeof path, "/api/v1/stock?limit=500%s%s", *query ? "&" : "", query);
        if (cursor)
            snprintf(path + strlen(path), sizeof path - strlen(path), "&cursor=%lld", cursor);
        json_t *o = th_call_want(s, "GET", tok, path, NULL, 200, __FILE__, at);
        json_t *e;
        size_t i;
        json_array_foreach(json_object_get(o, "items"), i, e)
        {
            if (n == max) t_fail(__FILE__, at, "GET %s: more than %d lines", path, max);
            line *l = &out[n++];
            l->id = th_int(e, "id");
            l->facility = th_int(e, "facility_id");
            snprintf(l->cat, sizeof l->cat, "%s", th_str(e, "category"));
            const char *exp = th_str(e, "expiry");
            l->state = json_is_true(json_object_get(e, "expired")) ? 2
                       : exp && strcmp(exp, soon) <= 0             ? 1
                                                                   : 0;
            l->qty = json_number_value(json_object_get(e, "quantity"));
        }
        const char *next = th_str(o, "next_cursor");
        cursor = next ? atoll(next) : 0;
        json_decref(o);
    } while (cursor);
    return n;
}

static line all[MAXL], got[MAXL];

/* GET /stock?query&expiry_state=S lists exactly the lines of GET /stock?query whose state by the
 * page's rule is S, in the same order, and the summary (its filters from query) counts them. */
static void states_as_rule(th_server *s, const char *tok, const char *query, int at)
{
    int n = list_all(s, tok, query, all, MAXL, at);
    long long counted[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) {
        char q[200];
        snprintf(q, sizeof q, "%s%sexpiry_state=%s", query, *query ? "&" : "",
                 pj_stock_expiry_states[k]);
        int m = list_all(s, tok, q, got, MAXL, at), j = 0;
        for (int i = 0; i < n; i++) {
            if (all[i].state != k) continue;
            if (j >= m || got[j].id != all[i].id)
                t_fail(__FILE__, at, "GET /stock?%s: line %d is %lld, the rule's %lld", q, j,
                       j < m ? got[j].id : -1, all[i].id);
            j++;
        }
        if (j != m) t_fail(__FILE__, at, "GET /stock?%s: %d lines, the rule's %d", q, m, j);
        counted[k] = m;
    }
    /* the summary with the list's filters: its lines per state are the lists' */
    char path[300];
    snprintf(path, sizeof path, "/api/v1/stock/summary%s%s", *query ? "?" : "", query);
    json_t *o = th_call_want(s, "GET", tok, path, NULL, 200, __FILE__, at);
    json_t *by = json_object_get(o, "lines_by_state");
    long long per_cat[3] = {0, 0, 0};
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(o, "categories"), i, e)
    {
        json_t *cb = json_object_get(e, "lines_by_state");
        long long sum = 0;
        for (int k = 0; k < 3; k++) {
            long long c = th_int(cb, pj_stock_expiry_states[k]);
            per_cat[k] += c;
            sum += c;
        }
        if (sum != th_int(e, "lines"))
            t_fail(__FILE__, at, "%s %s: %lld lines by state, %lld lines", path,
                   th_str(e, "category"), sum, th_int(e, "lines"));
    }
    for (int k = 0; k < 3; k++)
        if (th_int(by, pj_stock_expiry_states[k]) != counted[k] || per_cat[k] != counted[k])
            t_fail(__FILE__, at, "%s: %lld %s lines (categories %lld), the list's %lld", path,
                   th_int(by, pj_stock_expiry_states[k]), pj_stock_expiry_states[k], per_cat[k],
                   counted[k]);
    if (th_int(o, "lines") != n)
        t_fail(__FILE__, at, "%s: %lld lines, the list's %d", path, th_int(o, "lines"), n);
    json_decref(o);
}

/* A line of grain at facility fid expiring `days` from today (none: no expiry). */
static long long add_grain(th_server *s, const char *tok, long long fid, int days, int none)
{
    char body[200], d[11];
    th_day_rel(0, days, d);
    snprintf(body, sizeof body,
             "{\"facility_id\":%lld,\"category\":\"grain\",\"quantity\":%d%s%s%s}", fid,
             1000 + days, none ? "" : ",\"expiry\":\"", none ? "" : d, none ? "" : "\"");
    json_t *o = CALL(s, "POST", tok, "/api/v1/stock", body, 201);
    long long id = th_int(o, "id");
    json_decref(o);
    return id;
}

static int has(const line *l, int n, long long id)
{
    for (int i = 0; i < n; i++)
        if (l[i].id == id) return 1;
    return 0;
}

TEST_T(dualuse_stock_list_filters_by_expiry_state, 120)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], town[80], wanda[80], viewer[80];
    th_login(&s, "officer", s.demo_pw, tok);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "wanda", s.demo_pw, wanda);
    th_login(&s, "viewer", s.demo_pw, viewer);
    /* each side of every edge at facility 1: expired yesterday; today and in 90 days expiring
     * soon; in 91 days and none ok */
    long long y = add_grain(&s, tok, 1, -1, 0), t0 = add_grain(&s, tok, 1, 0, 0),
              d90 = add_grain(&s, tok, 1, 90, 0), d91 = add_grain(&s, tok, 1, 91, 0),
              none = add_grain(&s, tok, 1, 0, 1);
    static const char *const q[] = {"facility_id=1&category=grain&expiry_state=ok",
                                    "facility_id=1&category=grain&expiry_state=soon",
                                    "facility_id=1&category=grain&expiry_state=expired"};
    int n[3];
    line per[3][64];
    for (int k = 0; k < 3; k++) n[k] = list_all(&s, tok, q[k], per[k], 64, __LINE__);
    CHECK(has(per[2], n[2], y) && !has(per[1], n[1], y) && !has(per[0], n[0], y));
    CHECK(has(per[1], n[1], t0) && has(per[1], n[1], d90));
    CHECK(has(per[0], n[0], d91) && has(per[0], n[0], none));
    CHECK(!has(per[1], n[1], d91) && !has(per[2], n[2], none));
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < n[k]; i++) {
            CHECK_INT(per[k][i].facility, 1);
            CHECK_STR(per[k][i].cat, "grain");
            CHECK_INT(per[k][i].state, k); /* `expired` and the expiry say the same state */
        }

    /* the district's demo lines: each state's list is the rule's, its count the summary's,
     * for every official role alike (reads are not scoped: a township officer and a facility
     * operator list the district's lines, as the list always gave them) */
    states_as_rule(&s, tok, "", __LINE__);
    states_as_rule(&s, town, "", __LINE__);
    states_as_rule(&s, wanda, "category=grain", __LINE__);
    states_as_rule(&s, viewer, "facility_id=1", __LINE__);
    static const char *const each[] = {"expiry_state=ok", "expiry_state=soon",
                                       "expiry_state=expired"};
    long long others = 0;
    for (int k = 0; k < 3; k++) {
        int everyone = list_all(&s, tok, each[k], all, MAXL, __LINE__);
        CHECK_INT(list_all(&s, town, each[k], got, MAXL, __LINE__), everyone);
        CHECK_INT(list_all(&s, wanda, each[k], got, MAXL, __LINE__), everyone);
        for (int i = 0; i < everyone; i++) CHECK_INT(got[i].id, all[i].id);
        for (int i = 0; i < everyone; i++) others += got[i].facility != 1;
    }
    CHECK(others > 0); /* wanda's facility is 1: she reads other stores' lines too */
    /* an enterprise user reads no stock */
    char jd[80];
    th_login(&s, "jd", s.demo_pw, jd);
    json_decref(CALL(&s, "GET", jd, "/api/v1/stock?expiry_state=ok", NULL, 403));
    json_decref(CALL(&s, "GET", jd, "/api/v1/stock/summary?category=grain&by=facility", NULL, 403));
    th_stop(&s);
}

TEST(dualuse_stock_list_offset_pages)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[200];
    th_login(&s, "viewer", s.demo_pw, tok);
    int n = list_all(&s, tok, "", all, MAXL, __LINE__);
    CHECK(n > 12);
    /* offset=k: the lines from the k-th on, in the list's order; next_cursor as always */
    static const int offsets[] = {0, 1, 5, 10};
    for (size_t k = 0; k < sizeof offsets / sizeof offsets[0]; k++) {
        long long ids[5], next;
        snprintf(path, sizeof path, "limit=3&offset=%d", offsets[k]);
        int m =
            th_page_ids(&s, tok, "/api/v1/stock", path, 0, ids, 5, &next, NULL, __FILE__, __LINE__);
        CHECK_INT(m, 3);
        for (int i = 0; i < m; i++) CHECK_INT(ids[i], all[offsets[k] + i].id);
        CHECK_INT(next, ids[2]);
    }
    /* with a cursor: skipped after it */
    long long ids[5], next;
    snprintf(path, sizeof path, "limit=2&offset=3");
    CHECK_INT(th_page_ids(&s, tok, "/api/v1/stock", path, all[1].id, ids, 5, &next, NULL, __FILE__,
                          __LINE__),
              2);
    CHECK_INT(ids[0], all[5].id);
    /* the last page: what is left, no next cursor; past the end: none */
    snprintf(path, sizeof path, "limit=5&offset=%d", n - 2);
    CHECK_INT(
        th_page_ids(&s, tok, "/api/v1/stock", path, 0, ids, 5, &next, NULL, __FILE__, __LINE__), 2);
    CHECK_INT(ids[1], all[n - 1].id);
    CHECK_INT(next, 0);
    snprintf(path, sizeof path, "limit=5&offset=%d", n);
    CHECK_INT(
        th_page_ids(&s, tok, "/api/v1/stock", path, 0, ids, 5, &next, NULL, __FILE__, __LINE__), 0);
    /* with the filters: the filtered lines' k-th */
    int m = list_all(&s, tok, "category=grain&expiry_state=ok", got, MAXL, __LINE__);
    CHECK(m > 2);
    CHECK_INT(th_page_ids(&s, tok, "/api/v1/stock",
                          "category=grain&expiry_state=ok&limit=1&offset=2", 0, ids, 5, &next, NULL,
                          __FILE__, __LINE__),
              1);
    CHECK_INT(ids[0], got[2].id);
    th_stop(&s);
}

/* Bad filter values: 400 bad_query at the parameter, nothing written. */
TEST(dualuse_stock_filters_refuse_bad_values)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, tok);
    th_fingerprint(&s, fp0, sizeof fp0);
    static const struct {
        const char *path, *field;
    } bad[] = {
        {"/api/v1/stock?expiry_state=usable", "expiry_state"},
        {"/api/v1/stock?expiry_state=EXPIRED", "expiry_state"},
        {"/api/v1/stock?expiry_state=soon%20", "expiry_state"},
        {"/api/v1/stock?expiry_state=ok,soon", "expiry_state"},
        {"/api/v1/stock?expiry_state=ok'%20OR%201=1--", "expiry_state"},
        {"/api/v1/stock?offset=-1", "offset"},
        {"/api/v1/stock?offset=x", "offset"},
        {"/api/v1/stock?offset=1000001", "offset"},
        {"/api/v1/stock?offset=1.5", "offset"},
        {"/api/v1/stock/summary?by=township", "by"},
        {"/api/v1/stock/summary?by=facility", "category"}, /* units do not add up */
        {"/api/v1/stock/summary?expiry_state=ok", "expiry_state"},
        {"/api/v1/stock/summary?offset=5", "offset"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *o = NULL;
        int st = th_call(&s, "GET", bad[i].path, tok, NULL, &o);
        const char *want =
            strstr(bad[i].path, "summary?expiry") || strstr(bad[i].path, "summary?offset")
                ? "unknown_parameter"
                : "bad_query";
        if (st != 400 || strcmp(th_err_code(o), want) || strcmp(th_err_field(o), bad[i].field))
            t_fail(__FILE__, __LINE__, "GET %s: %d %s at %s, expected 400 %s at %s", bad[i].path,
                   st, th_err_code(o), th_err_field(o), want, bad[i].field);
        json_decref(o);
    }
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    th_enum_filter(&s, tok, "/api/v1/stock", "expiry_state", pj_stock_expiry_states);
    th_enum_filter(&s, tok, "/api/v1/stock/summary?category=water", "by", pj_stock_summary_bys);
    /* an empty value is no filter */
    json_t *a = CALL(&s, "GET", tok, "/api/v1/stock?limit=5&expiry_state=&offset=", NULL, 200);
    json_t *b = CALL(&s, "GET", tok, "/api/v1/stock?limit=5", NULL, 200);
    CHECK(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    th_stop(&s);
}

/* The chart's figures: per facility holding the category, the sums of its lines by the rule,
 * the most usable first; of one facility with facility_id. */
TEST(dualuse_stock_summary_by_facility)
{
    th_server s;
    th_start(&s, 1);
    char tok[80];
    th_login(&s, "jinhaihu", s.demo_pw, tok);
    int n = list_all(&s, tok, "category=water", all, MAXL, __LINE__);
    CHECK(n > 2);
    json_t *o = CALL(&s, "GET", tok, "/api/v1/stock/summary?category=water&by=facility", NULL, 200);
    CHECK_STR(th_str(o, "category"), "water");
    CHECK_INT(th_int(o, "soon_days"), 90);
    CHECK_INT(th_int(o, "lines"), n);
    json_t *fs = json_object_get(o, "facilities"), *e;
    size_t i;
    int stores = 0;
    for (int k = 0; k < n; k++) {
        int seen = 0;
        for (int j = 0; j < k; j++) seen |= all[j].facility == all[k].facility;
        stores += !seen;
    }
    CHECK_INT((int)json_array_size(fs), stores);
    double prev = 1e300;
    json_array_foreach(fs, i, e)
    {
        long long fid = th_int(e, "facility_id"), lines = 0;
        double sum[3] = {0, 0, 0};
        for (int k = 0; k < n; k++)
            if (all[k].facility == fid) {
                lines++;
                sum[all[k].state] += all[k].qty;
            }
        double usable = json_number_value(json_object_get(e, "usable"));
        CHECK_INT(th_int(e, "lines"), lines);
        CHECK_NEAR(usable, sum[0] + sum[1], 1e-6);
        CHECK_NEAR(json_number_value(json_object_get(e, "soon")), sum[1], 1e-6);
        CHECK_NEAR(json_number_value(json_object_get(e, "expired")), sum[2], 1e-6);
        CHECK(th_str(e, "facility_name") != NULL);
        CHECK(usable <= prev); /* the most usable first */
        prev = usable;
    }
    long long first = th_int(json_array_get(fs, 0), "facility_id");
    json_decref(o);
    /* one facility's */
    char path[160];
    snprintf(path, sizeof path, "/api/v1/stock/summary?category=water&by=facility&facility_id=%lld",
             first);
    o = CALL(&s, "GET", tok, path, NULL, 200);
    CHECK_INT((int)json_array_size(json_object_get(o, "facilities")), 1);
    CHECK_INT(th_int(json_array_get(json_object_get(o, "facilities"), 0), "facility_id"), first);
    json_decref(o);
    /* a category no line has: none */
    o = CALL(&s, "GET", tok, "/api/v1/stock/summary?category=gold&by=facility", NULL, 200);
    CHECK_INT((int)json_array_size(json_object_get(o, "facilities")), 0);
    CHECK_INT(th_int(o, "lines"), 0);
    json_decref(o);
    th_stop(&s);
}
