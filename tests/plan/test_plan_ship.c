/* Shipments of an adopted plan's supply flows, on the demo district: a shipment takes its
 * quantity off the store's usable stock lines (the soonest expiry first, expired lines left
 * alone), is stored and audited (each line's row naming the shipment), shows on the plan's flow,
 * and from then on the plan holds only the rest of the flow off later plans, so a plan solved after
 * the shipment sees the same stock as one solved before it (no double count). Every refusal writes
 * nothing; the store's scope is that of its stock lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "th.h"

#define POST(s, tok, path, body, want) CALL(s, "POST", tok, path, body, want)
#define GET(s, tok, path, want)        CALL(s, "GET", tok, path, NULL, want)

/* The scenario of test_plan_says.c: three townships, 10 % in need, with supplies. */
static void three_towns(char *out, size_t size, const char *name)
{
    snprintf(out, size,
             "{\"name\":\"%s\",\"scenario\":\"disaster\",\"role\":\"resettlement\","
             "\"affected\":{\"township_ids\":[303,1073,523]},\"demand\":{\"share\":0.1},"
             "\"teams\":{\"cleaning\":12,\"logistics\":16,\"security\":4,\"medical\":10,"
             "\"catering\":6,\"it\":2,\"disinfection\":8},\"vulnerable\":{\"count\":150,\"needs\":"
             "\"medical\"},\"supplies\":{\"days\":3},\"time_limit_s\":0.3}",
             name);
}

static json_t *supplies(json_t *plan)
{
    return json_object_get(json_object_get(plan, "result"), "supplies");
}

/* The plan's largest supply flow, or NULL. */
static json_t *biggest_flow(json_t *plan)
{
    json_t *big = NULL, *e;
    size_t i;
    json_array_foreach(json_object_get(supplies(plan), "flows"), i, e)
    {
        if (!big || th_int(e, "quantity") > th_int(big, "quantity")) big = e;
    }
    return big;
}

/* The flow of plan from store to site of cat, or NULL. */
static json_t *flow_of(json_t *plan, long long store, long long site, const char *cat)
{
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(supplies(plan), "flows"), i, e)
    {
        if (th_int(e, "store_id") == store && th_int(e, "facility_id") == site &&
            !strcmp(th_str(e, "category"), cat))
            return e;
    }
    return NULL;
}

/* What plan holds of store's cat (its `held` row), 0 when none. */
static long long held_of(json_t *plan, long long store, const char *cat)
{
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(supplies(plan), "held"), i, e)
    {
        if (th_int(e, "store_id") == store && !strcmp(th_str(e, "category"), cat))
            return th_int(e, "quantity");
    }
    return 0;
}

/* The sum of plan's flows from store of cat. */
static long long flows_from(json_t *plan, long long store, const char *cat)
{
    long long n = 0;
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(supplies(plan), "flows"), i, e)
    {
        if (th_int(e, "store_id") == store && !strcmp(th_str(e, "category"), cat))
            n += th_int(e, "quantity");
    }
    return n;
}

static double stock_sum(th_server *s, long long store, const char *cat)
{
    char q[256];
    snprintf(q, sizeof q,
             "SELECT CAST(ROUND(SUM(quantity) * 1000) AS INTEGER) FROM stock_lines WHERE"
             " facility_id = %lld AND category = '%s'",
             store, cat);
    return (double)th_sql_int(s, q) / 1000;
}

static double line_qty(th_server *s, long long id)
{
    char q[128];
    snprintf(q, sizeof q,
             "SELECT CAST(ROUND(quantity * 1000) AS INTEGER) FROM stock_lines WHERE id = %lld", id);
    return (double)th_sql_int(s, q) / 1000;
}

static long long add_line(th_server *s, const char *tok, long long store, const char *cat,
                          double qty, const char *expiry)
{
    char body[256];
    snprintf(body, sizeof body, "{\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":%g%s%s%s}",
             store, cat, qty, expiry ? ",\"expiry\":\"" : "", expiry ? expiry : "",
             expiry ? "\"" : "");
    json_t *o = POST(s, tok, "/api/v1/stock", body, 201);
    long long id = th_int(o, "id");
    json_decref(o);
    return id;
}

/* A refusal: status and code at field, and nothing written. */
static void refused(th_server *s, const char *tok, const char *path, const char *body, int status,
                    const char *code, const char *field, const char *says, int line)
{
    char fp1[TH_FINGERPRINT_SIZE], fp2[TH_FINGERPRINT_SIZE];
    th_fingerprint(s, fp1, sizeof fp1);
    json_t *o = th_call_want(s, "POST", tok, path, body, status, __FILE__, line);
    if (code && strcmp(th_err_code(o) ? th_err_code(o) : "", code))
        t_fail(__FILE__, line, "code %s, expected %s (%s)", th_err_code(o), code,
               th_err_message(o));
    if (field && strcmp(th_err_field(o) ? th_err_field(o) : "", field))
        t_fail(__FILE__, line, "field %s, expected %s (%s)", th_err_field(o), field,
               th_err_message(o));
    if (says && !strstr(th_err_message(o), says))
        t_fail(__FILE__, line, "message \"%s\" does not say \"%s\"", th_err_message(o), says);
    json_decref(o);
    th_fingerprint(s, fp2, sizeof fp2);
    if (strcmp(fp1, fp2)) t_fail(__FILE__, line, "a refused shipment changed the database");
}
#define REFUSED(s, tok, path, body, status, code, field, says)                                     \
    refused(s, tok, path, body, status, code, field, says, __LINE__)

TEST_T(plan_shipment_round_trip_no_double_count, 240)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], viewer[80], wanda[80], admin[80], op[80], body[1024], path[128], q[512];
    th_login(&s, "officer", s.demo_pw, tok);
    th_login(&s, "viewer", s.demo_pw, viewer);
    th_login(&s, "wanda", s.demo_pw, wanda);
    th_login(&s, "admin", s.admin_pw, admin);
    three_towns(body, sizeof body, "A");
    json_t *a = POST(&s, tok, "/api/v1/plans?wait=1", body, 201);
    long long aid = th_int(a, "id");
    /* the biggest flow: its store, site, category */
    json_t *big = biggest_flow(a);
    CHECK(big != NULL);
    if (!big) return;
    long long store = th_int(big, "store_id"), site = th_int(big, "facility_id");
    long long planned = th_int(big, "quantity");
    char cat[33];
    snprintf(cat, sizeof cat, "%s", th_str(big, "category"));
    CHECK(planned >= 20);
    /* a draft's flows show nothing shipped, and cannot be shipped */
    CHECK_INT(th_int(big, "shipped"), 0);
    CHECK_INT(th_int(big, "remaining"), planned);
    CHECK(json_is_false(json_object_get(big, "in_force")));
    CHECK_INT(th_int(supplies(a), "shipped_so_far"), 0);
    char ship[128];
    snprintf(path, sizeof path, "/api/v1/plans/%lld/shipments", aid);
    snprintf(ship, sizeof ship,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":7}", store,
             site, cat);
    REFUSED(&s, tok, path, ship, 409, "not_adopted", "id", "is draft");

    /* lines of the flow's store and category: two expiring soon (taken first, the sooner one
     * first), one without an expiry (taken last), one expired (never taken) */
    char soon[11], later[11], gone[11];
    th_day_rel(0, 10, soon);
    th_day_rel(0, 20, later);
    th_day_rel(0, -1, gone);
    long long l_soon = add_line(&s, tok, store, cat, 5, soon);
    long long l_later = add_line(&s, tok, store, cat, 3, later);
    long long l_none = add_line(&s, tok, store, cat, 2, NULL);
    long long l_gone = add_line(&s, tok, store, cat, 1000, gone);
    snprintf(q, sizeof q,
             "SELECT MIN(id) FROM stock_lines WHERE facility_id = %lld AND category = '%s'", store,
             cat);
    long long l_orig = th_sql_int(&s, q);
    double orig_qty = line_qty(&s, l_orig), stock0 = stock_sum(&s, store, cat);

    char adopt[96];
    snprintf(adopt, sizeof adopt, "/api/v1/plans/%lld/adopt", aid);
    json_t *ad = POST(&s, tok, adopt, "{\"confirm\":true}", 200);
    /* B1: a plan solved after A's adoption, before any shipment */
    three_towns(body, sizeof body, "B1");
    json_t *b1 = POST(&s, tok, "/api/v1/plans?wait=1", body, 201);
    long long a_from = flows_from(a, store, cat);
    CHECK_INT(held_of(b1, store, cat), a_from);

    /* the shipment: 7 of the flow, by a district officer */
    long long audit0 = th_sql_int(&s, "SELECT COUNT(*) FROM audit");
    json_t *sh = POST(&s, tok, path, ship, 201);
    long long sid = th_int(sh, "id");
    CHECK(sid > 0);
    CHECK_INT(th_int(sh, "plan_id"), aid);
    CHECK_INT(th_int(sh, "store_id"), store);
    CHECK_INT(th_int(sh, "facility_id"), site);
    CHECK_STR(th_str(sh, "category"), cat);
    CHECK_INT(th_int(sh, "quantity"), 7);
    CHECK_STR(th_str(sh, "shipped_by"), "officer");
    CHECK_STR(th_str(sh, "unit"), th_str(big, "unit"));
    json_t *fl = json_object_get(sh, "flow");
    CHECK_INT(th_int(fl, "quantity"), planned);
    CHECK_INT(th_int(fl, "shipped"), 7);
    CHECK_INT(th_int(fl, "remaining"), planned - 7);
    /* soonest expiry first: 5 of the line expiring in 10 days, 2 of the one in 20 days; the
     * expired line, the original (later) one and the one without an expiry untouched */
    json_t *ln = json_object_get(sh, "lines");
    CHECK_INT(json_array_size(ln), 2);
    CHECK_INT(th_int(json_array_get(ln, 0), "stock_line_id"), l_soon);
    CHECK_INT(th_int(json_array_get(ln, 0), "quantity"), 5);
    CHECK_STR(th_str(json_array_get(ln, 0), "expiry"), soon);
    CHECK_INT(th_int(json_array_get(ln, 1), "stock_line_id"), l_later);
    CHECK_INT(th_int(json_array_get(ln, 1), "quantity"), 2);
    CHECK_INT(th_int(json_array_get(ln, 1), "left"), 1);
    CHECK(line_qty(&s, l_soon) == 0); /* kept at 0, as a stock edit keeps it */
    CHECK(line_qty(&s, l_later) == 1);
    CHECK(line_qty(&s, l_none) == 2);
    CHECK(line_qty(&s, l_gone) == 1000);
    CHECK(line_qty(&s, l_orig) == orig_qty);
    CHECK(stock_sum(&s, store, cat) == stock0 - 7);
    /* audited: the shipment created, each line it took from shipped */
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'plan_shipment' AND action = 'create' AND"
             " entity_id = %lld AND username = 'officer' AND before_json IS NULL AND"
             " json_extract(after_json, '$.quantity') = 7",
             sid);
    CHECK_INT(th_sql_int(&s, q), 1);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'stock_line' AND action = 'ship' AND"
             " entity_id IN (%lld, %lld) AND json_extract(after_json, '$.quantity') <"
             " json_extract(before_json, '$.quantity')",
             l_soon, l_later);
    CHECK_INT(th_sql_int(&s, q), 2);
    /* each line's row names the shipment it was taken by and its plan (the audit log links
     * the two); the line as it was has neither */
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'stock_line' AND action = 'ship' AND"
             " entity_id IN (%lld, %lld) AND json_extract(after_json, '$.shipment_id') = %lld"
             " AND json_extract(after_json, '$.plan_id') = %lld AND"
             " json_extract(after_json, '$.stock_line_id') IS NULL AND"
             " json_extract(before_json, '$.shipment_id') IS NULL AND json_valid(after_json)",
             l_soon, l_later, sid, aid);
    CHECK_INT(th_sql_int(&s, q), 2);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit") - audit0, 3);
    json_decref(sh);

    /* the plan shows it: on the flow and in total */
    snprintf(q, sizeof q, "/api/v1/plans/%lld", aid);
    json_t *a2 = GET(&s, viewer, q, 200);
    json_t *f2 = flow_of(a2, store, site, cat);
    CHECK(f2 != NULL);
    CHECK_INT(th_int(f2, "quantity"), planned);
    CHECK_INT(th_int(f2, "shipped"), 7);
    CHECK_INT(th_int(f2, "remaining"), planned - 7);
    CHECK(json_is_true(json_object_get(f2, "in_force")));
    CHECK_INT(th_int(supplies(a2), "shipped_so_far"), 7);
    /* the rest of the result is as the solve wrote it, but for the sites' in_force (the
     * draft's none, the adopted plan's all) */
    json_object_del(json_object_get(a2, "result"), "supplies");
    json_object_del(json_object_get(a, "result"), "supplies");
    json_t *st;
    size_t k;
    json_array_foreach(json_object_get(json_object_get(a, "result"), "sites"), k, st)
    {
        CHECK(json_is_false(json_object_get(st, "in_force")));
        json_object_del(st, "in_force");
    }
    json_array_foreach(json_object_get(json_object_get(a2, "result"), "sites"), k, st)
    {
        CHECK(json_is_true(json_object_get(st, "in_force")));
        json_object_del(st, "in_force");
    }
    CHECK(json_equal(json_object_get(a2, "result"), json_object_get(a, "result")));
    json_decref(a2);
    /* and the list */
    json_t *list = GET(&s, viewer, path, 200);
    CHECK_INT(json_array_size(json_object_get(list, "items")), 1);
    CHECK_INT(th_int(json_array_get(json_object_get(list, "items"), 0), "id"), sid);
    CHECK(json_is_null(json_object_get(list, "next_cursor")));
    json_decref(list);
    /* the stock list shows the stock after the shipment */
    snprintf(q, sizeof q, "/api/v1/stock?facility_id=%lld&category=%s&limit=500", store, cat);
    list = GET(&s, viewer, q, 200);
    double listed = 0;
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(list, "items"), i, e)
    {
        listed += json_number_value(json_object_get(e, "quantity"));
    }
    CHECK(listed == stock0 - 7);
    json_decref(list);

    /* B2, solved after the shipment: the store's stock is 7 less and A holds 7 less of it, so B2
     * sees the same stock as B1 did (not 7 less: no double count) */
    three_towns(body, sizeof body, "B2");
    json_t *b2 = POST(&s, tok, "/api/v1/plans?wait=1", body, 201);
    CHECK_INT(held_of(b2, store, cat), a_from - 7);
    CHECK_INT(th_int(supplies(b2), "held_by_adopted"), th_int(supplies(b1), "held_by_adopted") - 7);
    /* the usable stock (the lines not expired) less what A still holds: the same for both */
    double usable_now = stock_sum(&s, store, cat) - 1000; /* the expired line */
    CHECK(usable_now - (double)held_of(b2, store, cat) ==
          stock0 - 1000 - (double)held_of(b1, store, cat));
    /* the same plan, unless a clock cut one of the searches short */
    json_t *fl1 =
        json_object_get(json_object_get(json_object_get(b1, "result"), "solver"), "flags");
    json_t *fl2 =
        json_object_get(json_object_get(json_object_get(b2, "result"), "solver"), "flags");
    if (!json_is_true(json_object_get(fl1, "clock_limited")) &&
        !json_is_true(json_object_get(fl2, "clock_limited")))
        CHECK(json_equal(json_object_get(supplies(b1), "flows"),
                         json_object_get(supplies(b2), "flows")));
    /* A and B2 together ship no more than the store has left */
    CHECK((double)(planned - 7 + (a_from - planned) + flows_from(b2, store, cat)) <= usable_now);

    /* refusals write nothing */
    char bad[256];
    snprintf(bad, sizeof bad,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":0}", store,
             site, cat);
    REFUSED(&s, tok, path, bad, 422, "out_of_range", "quantity", "at least 1");
    snprintf(bad, sizeof bad,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":-3}", store,
             site, cat);
    REFUSED(&s, tok, path, bad, 422, "out_of_range", "quantity", NULL);
    snprintf(bad, sizeof bad,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":1.5}", store,
             site, cat);
    REFUSED(&s, tok, path, bad, 422, "wrong_type", "quantity", NULL);
    snprintf(bad, sizeof bad, "{\"store_id\":%lld,\"facility_id\":%lld,\"quantity\":1}", store,
             site);
    REFUSED(&s, tok, path, bad, 422, "missing_field", "category", NULL);
    snprintf(bad, sizeof bad,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":1,"
             "\"note\":\"x\"}",
             store, site, cat);
    REFUSED(&s, tok, path, bad, 422, "unknown_field", "note", NULL);
    snprintf(bad, sizeof bad,
             "{\"store_id\":999999,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":1}", site,
             cat);
    REFUSED(&s, tok, path, bad, 422, "unknown_id", "store_id", NULL);
    /* a flow not in the plan: no flow from the store (the site is no store), none to the site,
     * none of the category */
    snprintf(bad, sizeof bad,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":1}", site,
             store, cat);
    REFUSED(&s, tok, path, bad, 422, "unknown_flow", "store_id", "ships nothing from facility");
    snprintf(bad, sizeof bad,
             "{\"store_id\":%lld,\"facility_id\":999999,\"category\":\"%s\",\"quantity\":1}", store,
             cat);
    REFUSED(&s, tok, path, bad, 422, "unknown_flow", "facility_id", NULL);
    /* nor to the store itself: a store does not ship to itself */
    snprintf(bad, sizeof bad,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":1}", store,
             store, cat);
    REFUSED(&s, tok, path, bad, 422, "invalid", "facility_id", "does not ship to itself");
    snprintf(bad, sizeof bad,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"sand\",\"quantity\":1}", store,
             site);
    REFUSED(&s, tok, path, bad, 422, "unknown_flow", "category", "ships no sand");
    /* more than the flow has left */
    char says[160];
    snprintf(bad, sizeof bad,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":%lld}",
             store, site, cat, planned - 6);
    snprintf(says, sizeof says, "left to ship (%lld planned, 7 shipped): %lld is more", planned,
             planned - 6);
    REFUSED(&s, tok, path, bad, 409, "exceeds_flow", "quantity", says);
    /* more than the store has usable: the lines not expired brought down to 4 (the expired
     * line's 1000 do not count) */
    snprintf(q, sizeof q,
             "UPDATE stock_lines SET quantity = CASE id WHEN %lld THEN 3 ELSE 0 END WHERE"
             " facility_id = %lld AND category = '%s' AND id <> %lld",
             l_orig, store, cat, l_gone);
    th_sql_exec(&s, q);
    snprintf(q, sizeof q, "UPDATE stock_lines SET quantity = 1 WHERE id = %lld", l_none);
    th_sql_exec(&s, q);
    snprintf(bad, sizeof bad,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":5}", store,
             site, cat);
    REFUSED(&s, tok, path, bad, 409, "insufficient_stock", "quantity", "has 4 ");
    /* roles and scope: a viewer, another facility's operator */
    REFUSED(&s, viewer, path, bad, 403, "forbidden", NULL, NULL);
    REFUSED(&s, wanda, path, bad, 403, "forbidden", NULL, NULL);
    /* the store's own operator ships its flows: the last 4 usable, the line without an expiry
     * last */
    snprintf(q, sizeof q,
             "{\"username\":\"store-op\",\"role\":\"facility_operator\",\"password\":"
             "\"long-enough-pw\",\"facility_id\":%lld}",
             store);
    json_decref(POST(&s, admin, "/api/v1/users", q, 201));
    th_login(&s, "store-op", "long-enough-pw", op);
    snprintf(bad, sizeof bad,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":4}", store,
             site, cat);
    sh = POST(&s, op, path, bad, 201);
    CHECK_STR(th_str(sh, "shipped_by"), "store-op");
    ln = json_object_get(sh, "lines");
    CHECK_INT(json_array_size(ln), 2);
    CHECK_INT(th_int(json_array_get(ln, 0), "stock_line_id"), l_orig);
    CHECK_INT(th_int(json_array_get(ln, 1), "stock_line_id"), l_none);
    CHECK(json_is_null(json_object_get(json_array_get(ln, 1), "expiry")));
    CHECK_INT(th_int(json_object_get(sh, "flow"), "shipped"), 11);
    json_decref(sh);
    CHECK(line_qty(&s, l_gone) == 1000);
    /* nothing usable left: 409 */
    snprintf(bad, sizeof bad,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":1}", store,
             site, cat);
    REFUSED(&s, op, path, bad, 409, "insufficient_stock", "quantity", "has 0 ");
    /* a plan that is not there */
    REFUSED(&s, tok, "/api/v1/plans/999999/shipments", bad, 404, "not_found", NULL, NULL);
    json_decref(GET(&s, tok, "/api/v1/plans/999999/shipments", 404));

    /* the site's conversion aborted: the flow is no longer in force, nor held */
    json_t *cv;
    json_array_foreach(json_object_get(ad, "conversions"), i, cv)
    {
        if (th_int(cv, "facility_id") != site) continue;
        snprintf(q, sizeof q, "/api/v1/conversions/%lld/abort", th_int(cv, "conversion_id"));
        json_decref(POST(&s, tok, q, "{\"reason\":\"test\",\"confirm\":true}", 200));
    }
    snprintf(q, sizeof q, "UPDATE stock_lines SET quantity = 100 WHERE id = %lld",
             l_orig); /* stock again */
    th_sql_exec(&s, q);
    REFUSED(&s, tok, path, bad, 409, "not_in_force", "facility_id", "no longer converting");
    snprintf(q, sizeof q, "/api/v1/plans/%lld", aid);
    a2 = GET(&s, viewer, q, 200);
    f2 = flow_of(a2, store, site, cat);
    CHECK(json_is_false(json_object_get(f2, "in_force")));
    CHECK_INT(th_int(f2, "shipped"), 11);
    CHECK_INT(th_int(supplies(a2), "shipped_so_far"), 11);
    json_decref(a2);
    list = GET(&s, viewer, path, 200);
    CHECK_INT(json_array_size(json_object_get(list, "items")), 2);
    json_decref(list);

    json_decref(a);
    json_decref(ad);
    json_decref(b1);
    json_decref(b2);
    th_stop(&s);
}

/* The error's details (a copy; NULL when it has none) of a refused shipment. */
static json_t *details_of(th_server *s, const char *tok, const char *path, const char *body,
                          int status, const char *code, int line)
{
    json_t *o = th_call_want(s, "POST", tok, path, body, status, __FILE__, line);
    if (strcmp(th_err_code(o) ? th_err_code(o) : "", code))
        t_fail(__FILE__, line, "code %s, expected %s (%s)", th_err_code(o), code,
               th_err_message(o));
    json_t *e = json_object_get(o, "error");
    /* the error's shape as ever, the details beside it */
    if (!json_is_string(json_object_get(e, "message")) || !json_object_get(e, "field") ||
        !json_is_string(json_object_get(e, "request_id")))
        t_fail(__FILE__, line, "the error lost its message, field or request_id");
    json_t *d = json_object_get(e, "details");
    json_t *copy = d ? json_deep_copy(d) : NULL;
    json_decref(o);
    return copy;
}
#define DETAILS(s, tok, path, body, status, code)                                                  \
    details_of(s, tok, path, body, status, code, __LINE__)

/* A refusal of more than the flow has left or the store has usable gives its figures as
 * numbers in error.details beside code, message and field, so a client says them in its own
 * words without reading the English message — which a long store and site name cut short
 * (512 bytes): the figures are there all the same. Refusals without figures have no details;
 * a quantity of -2^63 is refused as any quantity below 1. */
TEST_T(plan_shipment_refusals_give_their_figures, 240)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[1024], path[128], q[1024], ship[256];
    th_login(&s, "officer", s.demo_pw, tok);
    three_towns(body, sizeof body, "figures");
    json_t *a = POST(&s, tok, "/api/v1/plans?wait=1", body, 201);
    long long aid = th_int(a, "id");
    json_t *big = biggest_flow(a);
    CHECK(big != NULL);
    if (!big) return;
    long long store = th_int(big, "store_id"), site = th_int(big, "facility_id");
    long long planned = th_int(big, "quantity");
    char cat[33];
    snprintf(cat, sizeof cat, "%s", th_str(big, "category"));
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", aid);
    json_decref(POST(&s, tok, path, "{\"confirm\":true}", 200));
    /* the names of 128 characters a facility may have, as the plan's flows carry them */
    char name[128 * 3 + 1] = "";
    for (int k = 0; k < 128; k++) memcpy(name + 3 * k, "仓", 4);
    snprintf(q, sizeof q,
             "UPDATE plans SET result_json = json_set(result_json, '$.supplies.flows', json(("
             "SELECT json_group_array(json_set(value, '$.store_name', '%s', '$.facility_name',"
             " '%s')) FROM json_each(result_json, '$.supplies.flows')))) WHERE id = %lld",
             name, name, aid);
    th_sql_exec(&s, q);

    snprintf(path, sizeof path, "/api/v1/plans/%lld/shipments", aid);
    snprintf(ship, sizeof ship,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":3}", store,
             site, cat);
    json_decref(POST(&s, tok, path, ship, 201));
    /* more than the flow has left: the figures, and the message cut short by the names */
    snprintf(ship, sizeof ship,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":%lld}",
             store, site, cat, planned);
    json_t *d = DETAILS(&s, tok, path, ship, 409, "exceeds_flow");
    CHECK(d != NULL);
    CHECK_INT(th_int(d, "quantity"), planned);
    CHECK_INT(th_int(d, "left"), planned - 3);
    CHECK_INT(th_int(d, "planned"), planned);
    CHECK_INT(th_int(d, "shipped"), 3);
    CHECK_INT(json_object_size(d), 4);
    json_decref(d);
    json_t *o = POST(&s, tok, path, ship, 409);
    CHECK(strstr(th_err_message(o), "is more") == NULL); /* cut: no figures to read in it */
    CHECK_STR(th_err_field(o), "quantity");
    json_decref(o);
    /* more than the store has usable: 3 whole units (3.7, the expired line not counted) */
    snprintf(q, sizeof q,
             "UPDATE stock_lines SET quantity = 0 WHERE facility_id = %lld AND category = '%s'",
             store, cat);
    th_sql_exec(&s, q);
    char soon[11], gone[11];
    th_day_rel(0, 5, soon);
    th_day_rel(0, -2, gone);
    snprintf(q, sizeof q,
             "{\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":3.7,\"expiry\":\"%s\"}", store,
             cat, soon);
    json_decref(POST(&s, tok, "/api/v1/stock", q, 201));
    snprintf(q, sizeof q,
             "{\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":500,\"expiry\":\"%s\"}", store,
             cat, gone);
    json_decref(POST(&s, tok, "/api/v1/stock", q, 201));
    char fp1[TH_FINGERPRINT_SIZE], fp2[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp1, sizeof fp1);
    snprintf(ship, sizeof ship,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":4}", store,
             site, cat);
    d = DETAILS(&s, tok, path, ship, 409, "insufficient_stock");
    CHECK(d != NULL);
    CHECK_INT(th_int(d, "quantity"), 4);
    CHECK_INT(th_int(d, "usable"), 3);
    CHECK_INT(json_object_size(d), 2);
    json_decref(d);
    th_fingerprint(&s, fp2, sizeof fp2);
    CHECK_STR(fp2, fp1); /* refused: nothing taken */
    /* the 3 usable go, the expired line stays */
    snprintf(ship, sizeof ship,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":3}", store,
             site, cat);
    o = POST(&s, tok, path, ship, 201);
    CHECK_INT(json_array_size(json_object_get(o, "lines")), 1);
    json_decref(o);
    snprintf(ship, sizeof ship,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":1}", store,
             site, cat);
    d = DETAILS(&s, tok, path, ship, 409, "insufficient_stock");
    CHECK(d != NULL);
    CHECK_INT(th_int(d, "usable"), 0);
    json_decref(d);
    /* refusals without figures: no details */
    snprintf(ship, sizeof ship,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"sand\",\"quantity\":1}", store,
             site);
    d = DETAILS(&s, tok, path, ship, 422, "unknown_flow");
    CHECK(d == NULL);
    json_decref(d);
    snprintf(ship, sizeof ship,
             "{\"store_id\":%lld,\"facility_id\":%lld,\"category\":\"%s\",\"quantity\":"
             "-9223372036854775808}",
             store, site, cat);
    REFUSED(&s, tok, path, ship, 422, "out_of_range", "quantity", "at least 1");
    d = DETAILS(&s, tok, path, ship, 422, "out_of_range");
    CHECK(d == NULL);
    json_decref(d);
    json_decref(a);
    th_stop(&s);
}

/* A plan without supply flows says why: planned without supplies, or planned with them when no
 * store had stock to spare (its flows empty, every site's need unmet). */
TEST_T(plan_shipment_of_a_plan_without_flows_says_why, 240)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[1024], path[128], ship[128];
    th_login(&s, "officer", s.demo_pw, tok);
    /* every stock line empty: the plan's supplies have no flows */
    th_sql_exec(&s, "UPDATE stock_lines SET quantity = 0");
    three_towns(body, sizeof body, "no stock");
    json_t *a = POST(&s, tok, "/api/v1/plans?wait=1", body, 201);
    long long aid = th_int(a, "id");
    CHECK(json_is_array(json_object_get(supplies(a), "flows")));
    CHECK_INT(json_array_size(json_object_get(supplies(a), "flows")), 0);
    CHECK(th_int(supplies(a), "total_unmet") > 0);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", aid);
    json_t *ad = POST(&s, tok, path, "{\"confirm\":true}", 200);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/shipments", aid);
    json_t *site = json_array_get(json_object_get(json_object_get(a, "result"), "sites"), 0);
    snprintf(ship, sizeof ship,
             "{\"store_id\":%lld,\"facility_id\":999999,\"category\":\"water\",\"quantity\":1}",
             th_int(site, "facility_id"));
    REFUSED(&s, tok, path, ship, 422, "unknown_flow", "store_id",
            "no store had stock to spare for its sites");
    /* its sites given up, the same scenario without supplies */
    json_t *cv;
    size_t i;
    json_array_foreach(json_object_get(ad, "conversions"), i, cv)
    {
        snprintf(path, sizeof path, "/api/v1/conversions/%lld/abort", th_int(cv, "conversion_id"));
        json_decref(POST(&s, tok, path, "{\"reason\":\"test\",\"confirm\":true}", 200));
    }
    const char *cut = ",\"supplies\":{\"days\":3}";
    char *sup = strstr(body, cut);
    CHECK(sup != NULL);
    if (sup) memmove(sup, sup + strlen(cut), strlen(sup + strlen(cut)) + 1);
    json_t *b = POST(&s, tok, "/api/v1/plans?wait=1", body, 201);
    CHECK(json_is_null(supplies(b)));
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", th_int(b, "id"));
    json_decref(POST(&s, tok, path, "{\"confirm\":true}", 200));
    snprintf(path, sizeof path, "/api/v1/plans/%lld/shipments", th_int(b, "id"));
    REFUSED(&s, tok, path, ship, 422, "unknown_flow", "store_id",
            "it was planned without supplies");
    json_decref(b);
    json_decref(ad);
    json_decref(a);
    th_stop(&s);
}

/* Two villages 17 km apart, each with its own hotel (A 1, C 3: 200 resettlement beds, a
 * one-step manual), out of each other's reach at 5 km; a store between them (S 9, 7 km from
 * each) with 40 kg of grain and nothing else. 20 people of a village need 24 kg of grain for 3
 * days. */
static void two_villages_one_store(th_server *s)
{
    th_sql_exec(s, "INSERT INTO regions (id, parent_id, code, name, type, lat, lon, population,"
                   " created_at, updated_at) VALUES"
                   " (1000, NULL, 'T1', '测试镇', 'township', 40.0, 117.0, 200, 0, 0),"
                   " (1001, 1000, 'V1', '东村', 'village', 40.0, 117.0, 100, 0, 0),"
                   " (1003, 1000, 'V2', '西村', 'village', 40.0, 117.2, 100, 0, 0)");
    th_sql_exec(s, "INSERT INTO facilities (id, name, type, township_id, lat, lon, created_at,"
                   " updated_at) VALUES (1, 'A 东', 'hotel', 1000, 40.0, 117.01, 0, 0),"
                   " (3, 'C 西', 'hotel', 1000, 40.0, 117.19, 0, 0),"
                   " (9, 'S 仓库', 'warehouse', 1000, 40.0, 117.1, 0, 0)");
    th_sql_exec(s, "INSERT INTO facility_roles (facility_id, role, unit, capacity) VALUES"
                   " (1, 'resettlement', 'beds', 200), (3, 'resettlement', 'beds', 200),"
                   " (9, 'supply_store', 'm2', 1000)");
    th_sql_exec(s, "INSERT INTO manuals (id, facility_id, scenario, role, version, title,"
                   " created_at, created_by) VALUES"
                   " (1, 1, 'disaster', 'resettlement', 1, 'm', 0, 't'),"
                   " (3, 3, 'disaster', 'resettlement', 1, 'm', 0, 't')");
    th_sql_exec(s, "INSERT INTO manual_steps (manual_id, phase, seq, code, name, planned_minutes,"
                   " team_type, team_count) VALUES"
                   " (1, 'convert', 1, 'c1', '清洁', 60, 'cleaning', 1),"
                   " (3, 'convert', 1, 'c1', '清洁', 60, 'cleaning', 1)");
    th_sql_exec(s, "INSERT INTO stock_lines (facility_id, category, quantity, unit, created_at,"
                   " updated_at) VALUES (9, 'grain', 40, 'kg', 0, 0)");
}

#define VILLAGE_PLAN(v)                                                                            \
    "{\"name\":\"v" #v "\",\"scenario\":\"disaster\",\"role\":\"resettlement\","                   \
    "\"affected\":{\"village_ids\":[" #v "]},\"demand\":{\"people\":20},\"vulnerable\":false,"     \
    "\"max_distance_km\":5,\"teams\":{\"cleaning\":2},\"supplies\":{\"days\":3},"                  \
    "\"time_limit_s\":0.2}"

/* Two drafts made side by side both count the store's 40 kg; the first adopted holds 24 of
 * them, so adopting the second (24 more) would promise 48: 409 supplies_changed with the
 * figures, nothing written. The check is against the stock as it is now: a shipment of the
 * first plan changes nothing (it takes off the stock what the plan no longer holds), 10 kg more
 * in the store let the second be adopted. */
TEST_T(plan_adopt_checks_supplies_held_since, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[64], fa[TH_FINGERPRINT_SIZE], fb[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    two_villages_one_store(&s);
    json_t *p1 = POST(&s, tok, "/api/v1/plans?wait=1", VILLAGE_PLAN(1001), 201);
    json_t *p2 = POST(&s, tok, "/api/v1/plans?wait=1", VILLAGE_PLAN(1003), 201);
    CHECK_INT(flows_from(p1, 9, "grain"), 24);
    CHECK_INT(flows_from(p2, 9, "grain"), 24);
    CHECK_INT(th_int(supplies(p2), "held_by_adopted"), 0);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", th_int(p1, "id"));
    json_decref(POST(&s, tok, path, "{\"confirm\":true}", 200));
    /* a shipment of 10 kg: 30 kg in the store, 14 held by the first plan */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/shipments", th_int(p1, "id"));
    json_decref(POST(&s, tok, path,
                     "{\"store_id\":9,\"facility_id\":1,\"category\":\"grain\",\"quantity\":10}",
                     201));
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", th_int(p2, "id"));
    th_fingerprint(&s, fa, sizeof fa);
    json_t *o = POST(&s, tok, path, "{}", 409);
    CHECK_STR(th_err_code(o), "supplies_changed");
    CHECK_STR(th_err_field(o), "supplies");
    CHECK(strstr(th_err_message(o),
                 "S 仓库 (facility 9) has 16 kg of grain to promise now (30"
                 " usable, 14 held by adopted plans), the plan ships 24") != NULL);
    json_t *d = json_object_get(json_object_get(o, "error"), "details");
    CHECK_INT(th_int(d, "store_id"), 9);
    CHECK_STR(th_str(d, "category"), "grain");
    CHECK_INT(th_int(d, "planned"), 24);
    CHECK_INT(th_int(d, "available"), 16);
    CHECK_INT(th_int(d, "usable"), 30);
    CHECK_INT(th_int(d, "held"), 14);
    json_decref(o);
    th_fingerprint(&s, fb, sizeof fb);
    CHECK_STR(fb, fa);
    char q[160];
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM plans WHERE id = %lld AND status = 'draft'",
             th_int(p2, "id"));
    CHECK_INT(th_sql_int(&s, q), 1);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM facilities WHERE id = 3 AND state ="
                             " 'peacetime'"),
              1);
    /* 10 kg more: 40 usable, 14 held, 26 to promise */
    add_line(&s, tok, 9, "grain", 10, NULL);
    json_t *ad = POST(&s, tok, path, "{\"confirm\":true}", 200);
    CHECK_STR(th_str(ad, "status"), "adopted");
    json_decref(ad);
    json_decref(p1);
    json_decref(p2);
    th_stop(&s);
}

/* A chosen site that is a store itself (hotel A with the supply_store role and 100 kg of grain
 * of its own) gets no flow from itself: nothing would move. Its 24 kg come from S. A plan kept
 * with such a flow (solved before the planner left them out) neither holds the stock for it nor
 * ships it: a shipment whose store is its own site is 422 invalid at facility_id, nothing
 * written, whichever plan it names. */
TEST_T(plan_store_does_not_supply_itself, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[64], q[600], fa[TH_FINGERPRINT_SIZE], fb[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    two_villages_one_store(&s);
    th_sql_exec(&s, "INSERT INTO facility_roles (facility_id, role, unit, capacity) VALUES"
                    " (1, 'supply_store', 'm3', 500)");
    th_sql_exec(&s, "INSERT INTO stock_lines (facility_id, category, quantity, unit, created_at,"
                    " updated_at) VALUES (1, 'grain', 100, 'kg', 0, 0)");
    json_t *p = POST(&s, tok, "/api/v1/plans?wait=1", VILLAGE_PLAN(1001), 201);
    long long pid = th_int(p, "id");
    CHECK(flow_of(p, 1, 1, "grain") == NULL);
    CHECK_INT(flows_from(p, 1, "grain"), 0);
    CHECK_INT(flows_from(p, 9, "grain"), 24);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", pid);
    json_decref(POST(&s, tok, path, "{\"confirm\":true}", 200));
    /* the plan as one solved before: 24 kg of A's grain for A itself */
    snprintf(q, sizeof q,
             "UPDATE plans SET result_json = json_insert(result_json, '$.supplies.flows[#]',"
             " json_object('store_id', 1, 'store_name', 'A 东', 'facility_id', 1,"
             " 'facility_name', 'A 东', 'category', 'grain', 'unit', 'kg', 'quantity', 24, 'km',"
             " 0)) WHERE id = %lld",
             pid);
    th_sql_exec(&s, q);
    snprintf(path, sizeof path, "/api/v1/plans/%lld", pid);
    json_t *g = GET(&s, tok, path, 200);
    json_t *self = flow_of(g, 1, 1, "grain");
    CHECK(self != NULL);
    if (self) CHECK(json_is_false(json_object_get(self, "in_force")));
    CHECK(json_is_true(json_object_get(flow_of(g, 9, 1, "grain"), "in_force")));
    json_decref(g);
    /* a plan solved now sees A's 100 kg whole: nothing held for the flow to itself */
    json_t *p2 = POST(&s, tok, "/api/v1/plans?wait=1", VILLAGE_PLAN(1003), 201);
    CHECK_INT(held_of(p2, 1, "grain"), 0);
    CHECK_INT(held_of(p2, 9, "grain"), 24);
    json_decref(p2);
    /* refused, nothing taken off A's grain */
    double before = stock_sum(&s, 1, "grain");
    snprintf(path, sizeof path, "/api/v1/plans/%lld/shipments", pid);
    REFUSED(&s, tok, path,
            "{\"store_id\":1,\"facility_id\":1,\"category\":\"grain\",\"quantity\":5}", 422,
            "invalid", "facility_id", "does not ship to itself");
    REFUSED(&s, tok, path,
            "{\"store_id\":9,\"facility_id\":9,\"category\":\"grain\",\"quantity\":5}", 422,
            "invalid", "facility_id", "does not ship to itself");
    CHECK(stock_sum(&s, 1, "grain") == before);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM plan_shipments"), 0);
    /* the flow from S still ships */
    th_fingerprint(&s, fa, sizeof fa);
    json_decref(POST(&s, tok, path,
                     "{\"store_id\":9,\"facility_id\":1,\"category\":\"grain\",\"quantity\":5}",
                     201));
    th_fingerprint(&s, fb, sizeof fb);
    CHECK(strcmp(fa, fb) != 0);
    json_decref(p);
    th_stop(&s);
}

/* PATCH of the store's (facility 9) emergency roles at its current version; the status */
static int store_roles(th_server *s, const char *tok, const char *roles)
{
    json_t *f = NULL;
    CHECK_INT(th_call(s, "GET", "/api/v1/facilities/9", tok, NULL, &f), 200);
    char body[300];
    snprintf(body, sizeof body, "{\"version\":%lld,\"emergency_roles\":%s}", th_int(f, "version"),
             roles);
    json_decref(f);
    json_t *o = NULL;
    int st = th_call(s, "PATCH", "/api/v1/facilities/9", tok, body, &o);
    json_decref(o);
    return st;
}

/* A store that has lost its supply_store role since the plan was solved has nothing to promise:
 * the planner would no longer count it, so adopting the plan that ships from it is 409
 * supplies_changed saying so, nothing written; with the role back it is adopted. */
TEST_T(plan_adopt_refuses_supplies_from_a_former_store, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[64], fa[TH_FINGERPRINT_SIZE], fb[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    two_villages_one_store(&s);
    json_t *p = POST(&s, tok, "/api/v1/plans?wait=1", VILLAGE_PLAN(1001), 201);
    CHECK_INT(flows_from(p, 9, "grain"), 24);
    /* the warehouse now only a warehouse: its role taken off through the API */
    CHECK_INT(store_roles(&s, tok, "[]"), 200);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", th_int(p, "id"));
    th_fingerprint(&s, fa, sizeof fa);
    json_t *o = POST(&s, tok, path, "{}", 409);
    CHECK_STR(th_err_code(o), "supplies_changed");
    CHECK_STR(th_err_field(o), "supplies");
    CHECK(strstr(th_err_message(o), "S 仓库 (facility 9) is no longer a supply store, the plan"
                                    " ships 24 kg of grain from it") != NULL);
    json_t *d = json_object_get(json_object_get(o, "error"), "details");
    CHECK_INT(th_int(d, "store_id"), 9);
    CHECK_INT(th_int(d, "available"), 0);
    CHECK_INT(th_int(d, "usable"), 0);
    json_decref(o);
    th_fingerprint(&s, fb, sizeof fb);
    CHECK_STR(fb, fa);
    CHECK_INT(
        store_roles(&s, tok, "[{\"role\":\"supply_store\",\"unit\":\"t\",\"capacity\":1000}]"),
        200);
    json_t *ad = POST(&s, tok, path, "{\"confirm\":true}", 200);
    CHECK_STR(th_str(ad, "status"), "adopted");
    json_decref(ad);
    json_decref(p);
    th_stop(&s);
}

/* The supplies' totals per category, each in its unit: kilograms of grain and litres of water are
 * not added up for the people reading the plan. Water has no stock: all of it unmet, in litres. */
TEST_T(plan_supplies_totals_per_category_in_their_units, 240)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], body[1024];
    th_login(&s, "officer", s.demo_pw, tok);
    th_sql_exec(&s, "UPDATE stock_lines SET quantity = 0 WHERE category = 'water'");
    three_towns(body, sizeof body, "per category");
    json_t *a = POST(&s, tok, "/api/v1/plans?wait=1", body, 201);
    json_t *sup = supplies(a), *cats = json_object_get(sup, "categories"), *e, *f;
    size_t i, j;
    CHECK(json_array_size(cats) >= 2);
    long long dem = 0, shp = 0, un = 0;
    int water = 0, grain = 0;
    json_array_foreach(cats, i, e)
    {
        const char *code = th_str(e, "category"), *unit = th_str(e, "unit");
        char q[160];
        snprintf(q, sizeof q,
                 "SELECT COUNT(*) FROM supply_categories WHERE code = '%s' AND unit = '%s'", code,
                 unit);
        CHECK_INT(th_sql_int(&s, q), 1);
        long long flows = 0, unmet = 0;
        json_array_foreach(json_object_get(sup, "flows"), j,
                           f) if (!strcmp(th_str(f, "category"), code)) flows +=
            th_int(f, "quantity");
        json_array_foreach(json_object_get(sup, "unmet"), j,
                           f) if (!strcmp(th_str(f, "category"), code))
        {
            unmet += th_int(f, "quantity");
            CHECK_STR(th_str(f, "unit"), unit);
        }
        CHECK_INT(th_int(e, "shipped"), flows);
        CHECK_INT(th_int(e, "unmet"), unmet);
        CHECK_INT(th_int(e, "demand"), flows + unmet);
        CHECK(th_int(e, "demand") > 0);
        dem += th_int(e, "demand");
        shp += th_int(e, "shipped");
        un += th_int(e, "unmet");
        if (!strcmp(code, "water")) {
            water = 1;
            CHECK_STR(unit, "L");
            CHECK_INT(th_int(e, "shipped"), 0);
        }
        if (!strcmp(code, "grain")) {
            grain = 1;
            CHECK(th_int(e, "shipped") > 0);
        }
    }
    CHECK(water && grain);
    CHECK_INT(dem, th_int(sup, "total_demand"));
    CHECK_INT(shp, th_int(sup, "total_shipped"));
    CHECK_INT(un, th_int(sup, "total_unmet"));
    json_decref(a);
    th_stop(&s);
}

/* Regression: an adopted plan could never be stood down when its crisis was over: its people
 * kept counting in its sites (restoring or aborting one was `occupied`, to be overridden as if
 * evicting them) and its unshipped flows kept holding the store's stock. Now POST
 * /plans/{id}/close (adopted only, reason required, one transaction, audited `close`) makes it
 * closed: the site is no longer occupied on its account, its holds are released (a second plan
 * counting on the same grain is adopted) and it takes no shipment. */
TEST_T(plan_close_releases_people_holds_and_flows, 60)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], path[96], cpath[96], q[300];
    th_login(&s, "admin", s.admin_pw, tok);
    two_villages_one_store(&s);
    json_t *p1 = POST(&s, tok, "/api/v1/plans?wait=1", VILLAGE_PLAN(1001), 201);
    json_t *p2 = POST(&s, tok, "/api/v1/plans?wait=1", VILLAGE_PLAN(1003), 201);
    long long id1 = th_int(p1, "id"), id2 = th_int(p2, "id");
    json_t *p3 = POST(&s, tok, "/api/v1/plans?wait=1", VILLAGE_PLAN(1003), 201);
    long long id3 = th_int(p3, "id");
    json_decref(p3);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", id1);
    json_t *ad = POST(&s, tok, path, "{\"confirm\":true}", 200);
    long long ver = th_int(ad, "version");
    CHECK(json_is_null(json_object_get(ad, "closed_at")) &&
          json_is_null(json_object_get(ad, "close_reason")));
    json_decref(ad);
    long long conv = th_sql_int(&s, "SELECT id FROM conversions WHERE facility_id = 1");
    /* in force: aborting its site is occupied, the second plan cannot have the grain */
    char apath[96];
    snprintf(apath, sizeof apath, "/api/v1/conversions/%lld/abort", conv);
    REFUSED(&s, tok, apath, "{\"reason\":\"汛情解除\"}", 409, "occupied", "confirm", NULL);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", id2);
    REFUSED(&s, tok, path, "{}", 409, "supplies_changed", "supplies", NULL);
    /* bad input: nothing written */
    snprintf(cpath, sizeof cpath, "/api/v1/plans/%lld/close", id1);
    REFUSED(&s, tok, cpath, "{}", 422, "missing_field", "reason", NULL);
    REFUSED(&s, tok, cpath, "{\"reason\":\"  \"}", 422, "missing_field", "reason", NULL);
    REFUSED(&s, tok, cpath, "{\"reason\":\"x\",\"other\":1}", 422, "unknown_field", "other", NULL);
    snprintf(q, sizeof q, "{\"reason\":\"x\",\"version\":%lld}", ver + 5);
    REFUSED(&s, tok, cpath, q, 409, "version_conflict", "version", NULL);
    REFUSED(&s, tok, "/api/v1/plans/9999/close", "{\"reason\":\"x\"}", 404, NULL, NULL, NULL);
    /* closed, in one transaction with its audit row */
    snprintf(q, sizeof q, "{\"reason\":\"汛情解除，安置人员已返家\",\"version\":%lld}", ver);
    json_t *c = POST(&s, tok, cpath, q, 200);
    CHECK_STR(th_str(c, "status"), "closed");
    /* when, by whom and why, on the plan itself */
    CHECK(th_str(c, "closed_at") && strlen(th_str(c, "closed_at")) >= 19);
    CHECK_STR(th_str(c, "closed_by"), "admin");
    CHECK_STR(th_str(c, "close_reason"), "汛情解除，安置人员已返家");
    json_t *site = json_array_get(json_object_get(json_object_get(c, "result"), "sites"), 0);
    CHECK(site && json_is_false(json_object_get(site, "in_force")));
    json_decref(c);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE action = 'close' AND entity = 'plan' AND"
             " entity_id = %lld AND json_extract(before_json, '$.status') = 'adopted' AND"
             " json_extract(after_json, '$.status') = 'closed' AND"
             " json_extract(after_json, '$.reason') = '汛情解除，安置人员已返家'",
             id1);
    CHECK_INT(th_sql_int(&s, q), 1);
    REFUSED(&s, tok, cpath, "{\"reason\":\"x\"}", 409, "invalid_transition", "id", "is closed");
    /* a plan for the same village after it: the closed plan's site, still converting, is no
     * candidate, and the plan says so with the conversion and the plan that started it (it
     * used the other site without a word) */
    json_t *p4 = POST(&s, tok, "/api/v1/plans?wait=1",
                      "{\"name\":\"v1001b\",\"scenario\":\"disaster\",\"role\":"
                      "\"resettlement\",\"affected\":{\"village_ids\":[1001]},\"demand\":"
                      "{\"people\":20},\"vulnerable\":false,\"max_distance_km\":40,\"teams\":"
                      "{\"cleaning\":2},\"time_limit_s\":0.2}",
                      201);
    json_t *r4 = json_object_get(p4, "result");
    json_t *un = json_object_get(r4, "unavailable");
    CHECK_INT((long long)json_array_size(un), 1);
    json_t *u0 = json_array_get(un, 0);
    CHECK_INT(th_int(u0, "facility_id"), 1);
    CHECK_STR(th_str(u0, "name"), "A 东");
    CHECK_STR(th_str(u0, "role"), "resettlement");
    CHECK_STR(th_str(u0, "state"), "converting");
    CHECK_STR(th_str(u0, "scenario"), "disaster");
    CHECK_INT(th_int(u0, "conversion_id"), conv);
    CHECK_INT(th_int(u0, "plan_id"), id1);
    CHECK(json_real_value(json_object_get(u0, "km")) > 0.5 &&
          json_real_value(json_object_get(u0, "km")) < 2);
    CHECK_INT((long long)json_array_size(json_object_get(r4, "sites")), 1);
    CHECK_INT(th_int(json_array_get(json_object_get(r4, "sites"), 0), "facility_id"), 3);
    /* the command line says it too */
    char out[8192], pid4[24];
    snprintf(pid4, sizeof pid4, "%lld", th_int(p4, "id"));
    CHECK_INT(RUN(out, "plan", "show", pid4, "--db", s.db), 0);
    snprintf(q, sizeof q, "unavailable: A 东 (facility 1, ");
    CHECK(strstr(out, q) != NULL);
    snprintf(q, sizeof q, "converting, conversion %lld (disaster), plan %lld\n", conv, id1);
    CHECK(strstr(out, q) != NULL);
    json_decref(p4);
    /* listed as closed */
    json_t *l = GET(&s, tok, "/api/v1/plans?status=closed", 200);
    json_t *items = json_object_get(l, "items");
    CHECK_INT((long long)json_array_size(items), 1);
    CHECK_INT(th_int(json_array_get(items, 0), "id"), id1);
    CHECK_STR(th_str(json_array_get(items, 0), "close_reason"), "汛情解除，安置人员已返家");
    json_decref(l);
    /* no shipment to it */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/shipments", id1);
    REFUSED(&s, tok, path,
            "{\"store_id\":9,\"facility_id\":1,\"category\":\"grain\",\"quantity\":1}", 409,
            "not_adopted", "id", "is closed");
    /* its grain is free: the second plan is adopted */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", id2);
    ad = POST(&s, tok, path, "{\"confirm\":true}", 200);
    CHECK_STR(th_str(ad, "status"), "adopted");
    json_decref(ad);
    /* its site is not occupied any more: aborted without a confirmation */
    json_decref(POST(&s, tok, apath, "{\"reason\":\"汛情解除\"}", 200));
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE action = 'convert_abort' AND entity_id = %lld AND"
             " json_extract(after_json, '$.occupied') IS NULL",
             conv);
    CHECK_INT(th_sql_int(&s, q), 1);
    /* a draft no one will adopt is set aside (it stayed a draft for good, adoptable months
     * later): closed with its reason, then adopted no more */
    snprintf(cpath, sizeof cpath, "/api/v1/plans/%lld/close", id3);
    json_t *c3 = POST(&s, tok, cpath, "{\"reason\":\"未被选用\"}", 200);
    CHECK_STR(th_str(c3, "status"), "closed");
    CHECK(json_is_null(json_object_get(c3, "adopted_at")));
    json_decref(c3);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", id3);
    REFUSED(&s, tok, path, "{\"confirm\":true}", 409, "invalid_transition", NULL, NULL);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE action = 'close' AND entity = 'plan' AND"
             " entity_id = %lld AND json_extract(before_json, '$.status') = 'draft'",
             id3);
    CHECK_INT(th_sql_int(&s, q), 1);
    json_decref(p1);
    json_decref(p2);
    th_stop(&s);
}

/* A user of role (a facility operator of facility fid) logged in into tok. */
static void user_of(th_server *s, const char *admin, const char *name, const char *role,
                    long long fid, char *tok)
{
    char body[256], at[48] = "";
    if (fid) snprintf(at, sizeof at, ",\"facility_id\":%lld", fid);
    snprintf(body, sizeof body,
             "{\"username\":\"%s\",\"role\":\"%s\",\"password\":\"long-enough-pw\"%s}", name, role,
             at);
    json_decref(POST(s, admin, "/api/v1/users", body, 201));
    th_login(s, name, "long-enough-pw", tok);
}

/* A shipment recorded in error is voided: its quantity goes back on the very lines it was taken
 * from, the flow and the plan no longer count it (nor hold less for it), it stays listed as
 * voided, each line's row says the reversal (`ship_void`), all in one transaction. A line
 * deleted or made another category since gets a new line with the part's expiry. A shipment of a
 * closed plan is voided too (the stock did not leave as recorded). Refusals write nothing. */
TEST_T(plan_shipment_void_puts_the_stock_back, 90)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], viewer[80], other[80], op[80], path[96], vpath[128], q[512];
    th_login(&s, "admin", s.admin_pw, tok);
    two_villages_one_store(&s);
    user_of(&s, tok, "looker", "viewer", 0, viewer);
    user_of(&s, tok, "hotel-op", "facility_operator", 3, other);
    user_of(&s, tok, "store-op", "facility_operator", 9, op);
    json_t *p1 = POST(&s, tok, "/api/v1/plans?wait=1", VILLAGE_PLAN(1001), 201);
    long long id1 = th_int(p1, "id");
    json_t *fl0 = flow_of(p1, 9, 1, "grain");
    CHECK(fl0 != NULL);
    long long planned = fl0 ? th_int(fl0, "quantity") : 0;
    CHECK_INT(planned, 24);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/adopt", id1);
    json_decref(POST(&s, tok, path, "{\"confirm\":true}", 200));
    /* two lines expiring soon, taken first (the store's 40 kg have no expiry) */
    char soon[11], later[11];
    th_day_rel(0, 10, soon);
    th_day_rel(0, 20, later);
    long long l_soon = add_line(&s, tok, 9, "grain", 5, soon);
    long long l_later = add_line(&s, tok, 9, "grain", 3, later);
    double stock0 = stock_sum(&s, 9, "grain");

    /* shipped 7 by the store's operator: 5 of the first line, 2 of the second */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/shipments", id1);
    const char *ship7 = "{\"store_id\":9,\"facility_id\":1,\"category\":\"grain\",\"quantity\":7}";
    json_t *sh = POST(&s, op, path, ship7, 201);
    long long sid = th_int(sh, "id");
    CHECK(json_is_false(json_object_get(sh, "voided")));
    CHECK(json_is_null(json_object_get(sh, "voided_at")));
    CHECK(json_is_null(json_object_get(sh, "void_lines")));
    json_decref(sh);
    CHECK(line_qty(&s, l_soon) == 0 && line_qty(&s, l_later) == 1);
    json_t *d = POST(&s, tok, "/api/v1/plans?wait=1", VILLAGE_PLAN(1003), 201);
    CHECK_INT(held_of(d, 9, "grain"), 17); /* the plan holds the rest of its flow */
    json_decref(d);

    /* refusals write nothing */
    snprintf(vpath, sizeof vpath, "/api/v1/plans/%lld/shipments/%lld/void", id1, sid);
    REFUSED(&s, tok, vpath, "{}", 422, "missing_field", "reason", NULL);
    REFUSED(&s, tok, vpath, "{\"reason\":\"   \"}", 422, "missing_field", "reason", NULL);
    REFUSED(&s, tok, vpath, "{\"reason\":\"x\",\"quantity\":1}", 422, "unknown_field", "quantity",
            NULL);
    REFUSED(&s, viewer, vpath, "{\"reason\":\"x\"}", 403, "forbidden", NULL, NULL);
    REFUSED(&s, other, vpath, "{\"reason\":\"x\"}", 403, "forbidden", NULL, NULL);
    snprintf(q, sizeof q, "/api/v1/plans/%lld/shipments/%lld/void", id1, sid + 100);
    REFUSED(&s, tok, q, "{\"reason\":\"x\"}", 404, "not_found", "sid", "has no shipment");
    snprintf(q, sizeof q, "/api/v1/plans/%lld/shipments/%lld/void", id1 + 1, sid);
    REFUSED(&s, tok, q, "{\"reason\":\"x\"}", 404, "not_found", NULL, NULL); /* another plan's */
    snprintf(q, sizeof q, "/api/v1/plans/9999/shipments/%lld/void", sid);
    REFUSED(&s, tok, q, "{\"reason\":\"x\"}", 404, "not_found", NULL, NULL);
    snprintf(q, sizeof q, "/api/v1/plans/%lld/shipments/abc/void", id1);
    REFUSED(&s, tok, q, "{\"reason\":\"x\"}", 400, "bad_id", "sid", NULL);

    /* voided by the store's operator: the stock back on the very lines, in one transaction */
    long long audit0 = th_sql_int(&s, "SELECT COUNT(*) FROM audit");
    sh = POST(&s, op, vpath, "{\"reason\":\"  数量录错，应为 5 kg  \"}", 200);
    CHECK(json_is_true(json_object_get(sh, "voided")));
    CHECK(th_str(sh, "voided_at") && strlen(th_str(sh, "voided_at")) >= 19);
    CHECK_STR(th_str(sh, "voided_by"), "store-op");
    CHECK_STR(th_str(sh, "void_reason"), "数量录错，应为 5 kg");
    CHECK_INT(th_int(sh, "quantity"), 7); /* what was recorded, as it was */
    json_t *fl = json_object_get(sh, "flow");
    CHECK_INT(th_int(fl, "shipped"), 0);
    CHECK_INT(th_int(fl, "remaining"), 24);
    json_t *back = json_object_get(sh, "void_lines");
    CHECK_INT(json_array_size(back), 2);
    CHECK_INT(th_int(json_array_get(back, 0), "stock_line_id"), l_soon);
    CHECK_INT(th_int(json_array_get(back, 0), "quantity"), 5);
    CHECK_STR(th_str(json_array_get(back, 0), "expiry"), soon);
    CHECK(json_is_false(json_object_get(json_array_get(back, 0), "new")));
    CHECK_INT(th_int(json_array_get(back, 1), "stock_line_id"), l_later);
    CHECK_INT(th_int(json_array_get(back, 1), "quantity"), 2);
    json_decref(sh);
    CHECK(line_qty(&s, l_soon) == 5 && line_qty(&s, l_later) == 3);
    CHECK(stock_sum(&s, 9, "grain") == stock0);
    /* audited: the void on the shipment, the reversal on each line naming the shipment */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit") - audit0, 3);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'plan_shipment' AND action = 'void' AND"
             " entity_id = %lld AND username = 'store-op' AND json_extract(before_json,"
             " '$.voided') = 0 AND json_extract(after_json, '$.voided') = 1 AND"
             " json_extract(after_json, '$.void_reason') = '数量录错，应为 5 kg'",
             sid);
    CHECK_INT(th_sql_int(&s, q), 1);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'stock_line' AND action = 'ship_void' AND"
             " entity_id IN (%lld, %lld) AND json_extract(after_json, '$.quantity') >"
             " json_extract(before_json, '$.quantity') AND json_extract(after_json,"
             " '$.shipment_id') = %lld AND json_extract(after_json, '$.plan_id') = %lld",
             l_soon, l_later, sid, id1);
    CHECK_INT(th_sql_int(&s, q), 2);
    /* the plan no longer counts it, nor holds less for it; it stays listed, voided */
    snprintf(q, sizeof q, "/api/v1/plans/%lld", id1);
    json_t *p = GET(&s, viewer, q, 200);
    CHECK_INT(th_int(flow_of(p, 9, 1, "grain"), "shipped"), 0);
    CHECK_INT(th_int(flow_of(p, 9, 1, "grain"), "remaining"), 24);
    CHECK_INT(th_int(supplies(p), "shipped_so_far"), 0);
    json_decref(p);
    d = POST(&s, tok, "/api/v1/plans?wait=1", VILLAGE_PLAN(1003), 201);
    CHECK_INT(held_of(d, 9, "grain"), 24);
    json_decref(d);
    json_t *list = GET(&s, viewer, path, 200);
    json_t *it = json_array_get(json_object_get(list, "items"), 0);
    CHECK_INT(json_array_size(json_object_get(list, "items")), 1);
    CHECK(json_is_true(json_object_get(it, "voided")));
    CHECK_STR(th_str(it, "voided_by"), "store-op");
    json_decref(list);
    /* a void sent twice is told so */
    REFUSED(&s, tok, vpath, "{\"reason\":\"x\"}", 409, "invalid_state", "sid", "voided already");

    /* shipped again, then the first line deleted (empty) and the second made another category:
     * the void puts each part on a new line of the grain with its expiry */
    sh = POST(&s, tok, path,
              "{\"store_id\":9,\"facility_id\":1,\"category\":\"grain\",\"quantity\":6}", 201);
    long long sid2 = th_int(sh, "id");
    json_decref(sh);
    CHECK(line_qty(&s, l_soon) == 0 && line_qty(&s, l_later) == 2);
    snprintf(q, sizeof q, "SELECT version FROM stock_lines WHERE id = %lld", l_soon);
    long long vsoon = th_sql_int(&s, q);
    snprintf(q, sizeof q, "/api/v1/stock/%lld?version=%lld", l_soon, vsoon);
    CHECK_INT(th_call(&s, "DELETE", q, tok, NULL, NULL), 204);
    snprintf(q, sizeof q, "SELECT version FROM stock_lines WHERE id = %lld", l_later);
    long long ver = th_sql_int(&s, q);
    snprintf(q, sizeof q, "/api/v1/stock/%lld", l_later);
    char body[96];
    snprintf(body, sizeof body, "{\"category\":\"water\",\"version\":%lld}", ver);
    json_decref(CALL(&s, "PATCH", tok, q, body, 200));
    snprintf(vpath, sizeof vpath, "/api/v1/plans/%lld/shipments/%lld/void", id1, sid2);
    audit0 = th_sql_int(&s, "SELECT COUNT(*) FROM audit");
    sh = POST(&s, tok, vpath, "{\"reason\":\"录入两次\"}", 200);
    back = json_object_get(sh, "void_lines");
    CHECK_INT(json_array_size(back), 2);
    long long n1 = th_int(json_array_get(back, 0), "stock_line_id"),
              n2 = th_int(json_array_get(back, 1), "stock_line_id");
    CHECK(n1 > l_later && n2 > n1);
    CHECK(json_is_true(json_object_get(json_array_get(back, 0), "new")));
    CHECK_INT(th_int(json_array_get(back, 0), "from_stock_line_id"), l_soon);
    CHECK_INT(th_int(json_array_get(back, 1), "from_stock_line_id"), l_later);
    json_decref(sh);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM stock_lines WHERE facility_id = 9 AND category = 'grain' AND"
             " unit = 'kg' AND ((id = %lld AND quantity = 5 AND date(expiry, 'unixepoch') = '%s')"
             " OR (id = %lld AND quantity = 1 AND date(expiry, 'unixepoch') = '%s'))",
             n1, soon, n2, later);
    CHECK_INT(th_sql_int(&s, q), 2);
    CHECK(line_qty(&s, l_later) == 2); /* the water line as it was */
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'stock_line' AND action = 'ship_void' AND"
             " entity_id IN (%lld, %lld) AND before_json IS NULL AND json_extract(after_json,"
             " '$.shipment_id') = %lld",
             n1, n2, sid2);
    CHECK_INT(th_sql_int(&s, q), 2);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit") - audit0, 3);

    /* a closed plan's shipment is voided too: the stock did not leave as recorded */
    sh = POST(&s, tok, path,
              "{\"store_id\":9,\"facility_id\":1,\"category\":\"grain\",\"quantity\":3}", 201);
    long long sid3 = th_int(sh, "id");
    json_decref(sh);
    double before_void = stock_sum(&s, 9, "grain");
    snprintf(q, sizeof q, "/api/v1/plans/%lld/close", id1);
    json_decref(POST(&s, tok, q, "{\"reason\":\"汛情解除\"}", 200));
    snprintf(vpath, sizeof vpath, "/api/v1/plans/%lld/shipments/%lld/void", id1, sid3);
    sh = POST(&s, tok, vpath, "{\"reason\":\"未实际出库\"}", 200);
    CHECK_INT(th_int(json_object_get(sh, "flow"), "shipped"), 0);
    json_decref(sh);
    CHECK(stock_sum(&s, 9, "grain") == before_void + 3);
    json_decref(p1);
    th_stop(&s);
}
