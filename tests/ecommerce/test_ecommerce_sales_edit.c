/* Correcting and deleting a product's sales of a month on a channel: PATCH and DELETE of
 * /products/{id}/sales/{month}/{channel}. The product's totals follow; a livestream row (its
 * sessions' figures) is not touched by hand; the writers and scope of POST; bad input changes
 * nothing; each write leaves an audit row naming the sale. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "th.h"

/* A product named name (of township town, 0: none) with sales of 2024-07 offline (10 orders,
 * 40000 fen), 2024-08 ecommerce (5, 1000) and 2024-08 livestream (3, 900: a live session of
 * 2024-08 selling it); its id. */
static long long product_with_sales(th_server *s, const char *tok, const char *name, long long town)
{
    char body[256], path[96];
    if (town)
        snprintf(body, sizeof body, "{\"name\":\"%s\",\"category\":\"fruit\",\"township_id\":%lld}",
                 name, town);
    else
        snprintf(body, sizeof body, "{\"name\":\"%s\",\"category\":\"fruit\"}", name);
    json_t *p = CALL(s, "POST", tok, "/api/v1/ecommerce/products", body, 201);
    long long pid = th_int(p, "id");
    json_decref(p);
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales", pid);
    json_decref(CALL(s, "POST", tok, path,
                     "{\"month\":\"2024-07\",\"channel\":\"offline\",\"orders\":10,"
                     "\"gmv_fen\":40000}",
                     201));
    json_decref(CALL(s, "POST", tok, path,
                     "{\"month\":\"2024-08\",\"channel\":\"ecommerce\",\"orders\":5,"
                     "\"gmv_fen\":1000}",
                     201));
    /* the livestream row is the product's sessions': one session selling it */
    char off[80];
    th_login(s, "officer", s->demo_pw, off);
    json_t *x =
        CALL(s, "POST", off, "/api/v1/ecommerce/streamers",
             "{\"name\":\"带货主播\",\"birth_date\":\"1990-01-01\",\"skill_level\":1}", 201);
    snprintf(body, sizeof body,
             "{\"streamer_id\":%lld,\"platform\":\"douyin\",\"date\":\"2024-08-10\","
             "\"duration_min\":60,\"orders\":3,\"gmv_fen\":900,\"product_ids\":[%lld]}",
             th_int(x, "id"), pid);
    json_decref(x);
    json_decref(CALL(s, "POST", off, "/api/v1/ecommerce/sessions", body, 201));
    return pid;
}

/* The product's version as the products list gives it. */
static long long product_version(th_server *s, long long pid)
{
    char q[96];
    snprintf(q, sizeof q, "SELECT version FROM ec_products WHERE id = %lld", pid);
    return th_sql_int(s, q);
}

/* The product's totals, its rows and audit rows of sales corrections, as one string. */
static void product_state(th_server *s, const char *tok, long long pid, char *out, size_t n)
{
    char path[96], q[256];
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales", pid);
    json_t *o = CALL(s, "GET", tok, path, NULL, 200);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ec_product' AND entity_id = %lld AND"
             " action IN ('sales_update', 'sales_delete')",
             pid);
    char *items = json_dumps(json_object_get(o, "items"), JSON_SORT_KEYS | JSON_COMPACT);
    snprintf(out, n, "orders %lld gmv %lld rows %lld version %lld audit %lld items %s",
             th_int(o, "orders"), th_int(o, "gmv_fen"), th_int(o, "rows"), product_version(s, pid),
             th_sql_int(s, q), items);
    free(items);
    json_decref(o);
}

TEST_T(ecommerce_sales_correction_changes_the_totals, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[128], body[128];
    th_login(&s, "officer", s.demo_pw, tok);
    long long pid = product_with_sales(&s, tok, "测试用红杏", 0);
    long long v = product_version(&s, pid);
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales/2024-07/offline", pid);
    snprintf(body, sizeof body, "{\"version\":%lld,\"orders\":12,\"gmv_fen\":48000}", v);
    json_t *o = CALL(&s, "PATCH", tok, path, body, 200);
    CHECK_INT(th_int(o, "id"), pid);
    CHECK_INT(th_int(o, "orders"), 12 + 5 + 3);
    CHECK_INT(th_int(o, "gmv_fen"), 48000 + 1000 + 900);
    CHECK_INT(th_int(o, "version"), v + 1);
    json_decref(o);
    /* the list's totals and row agree */
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales?channel=offline", pid);
    o = CALL(&s, "GET", tok, path, NULL, 200);
    CHECK_INT(th_int(o, "orders"), 12);
    CHECK_INT(th_int(o, "gmv_fen"), 48000);
    CHECK_INT(th_int(json_array_get(json_object_get(o, "items"), 0), "orders"), 12);
    json_decref(o);
    /* a field left out keeps its value */
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales/2024-08/ecommerce", pid);
    snprintf(body, sizeof body, "{\"version\":%lld,\"gmv_fen\":2500}", v + 1);
    o = CALL(&s, "PATCH", tok, path, body, 200);
    CHECK_INT(th_int(o, "orders"), 12 + 5 + 3);
    CHECK_INT(th_int(o, "gmv_fen"), 48000 + 2500 + 900);
    json_decref(o);
    /* the old version: 409, nothing changed */
    char before[2048], after[2048];
    product_state(&s, tok, pid, before, sizeof before);
    snprintf(body, sizeof body, "{\"version\":%lld,\"orders\":1,\"gmv_fen\":1}", v + 1);
    o = CALL(&s, "PATCH", tok, path, body, 409);
    CHECK_STR(th_err_code(o), "version_conflict");
    CHECK_STR(th_err_field(o), "version");
    json_decref(o);
    product_state(&s, tok, pid, after, sizeof after);
    CHECK_STR(after, before);
    /* the figures as they are: the product, nothing written */
    snprintf(body, sizeof body, "{\"version\":%lld,\"orders\":5,\"gmv_fen\":2500}", v + 2);
    o = CALL(&s, "PATCH", tok, path, body, 200);
    CHECK_INT(th_int(o, "version"), v + 2);
    json_decref(o);
    product_state(&s, tok, pid, after, sizeof after);
    CHECK_STR(after, before);
    th_stop(&s);
}

TEST_T(ecommerce_sales_delete_removes_from_the_totals, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[128];
    th_login(&s, "officer", s.demo_pw, tok);
    long long pid = product_with_sales(&s, tok, "测试用鸭梨", 0);
    long long v = product_version(&s, pid);
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales/2024-07/offline", pid);
    json_decref(CALL(&s, "DELETE", tok, path, NULL, 204));
    CHECK_INT(product_version(&s, pid), v + 1);
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales", pid);
    json_t *o = CALL(&s, "GET", tok, path, NULL, 200);
    CHECK_INT(th_int(o, "rows"), 2);
    CHECK_INT(th_int(o, "orders"), 5 + 3);
    CHECK_INT(th_int(o, "gmv_fen"), 1000 + 900);
    json_decref(o);
    /* the products list's totals too */
    o = CALL(&s, "GET", tok, "/api/v1/ecommerce/products?category=fruit&limit=500", NULL, 200);
    json_t *items = json_object_get(o, "items");
    int seen = 0;
    for (size_t i = 0; i < json_array_size(items); i++)
        if (th_int(json_array_get(items, i), "id") == pid) {
            CHECK_INT(th_int(json_array_get(items, i), "gmv_fen"), 1000 + 900);
            seen = 1;
        }
    CHECK(seen);
    json_decref(o);
    /* gone: 404, again and for a month or product never recorded */
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales/2024-07/offline", pid);
    o = CALL(&s, "DELETE", tok, path, NULL, 404);
    CHECK_STR(th_err_code(o), "not_found");
    json_decref(o);
    o = CALL(&s, "PATCH", tok, path, "{\"version\":1,\"orders\":1}", 404);
    CHECK_STR(th_err_code(o), "not_found");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales/2023-01/ecommerce", pid);
    json_decref(CALL(&s, "DELETE", tok, path, NULL, 404));
    json_decref(CALL(&s, "DELETE", tok, "/api/v1/ecommerce/products/999999/sales/2024-08/ecommerce",
                     NULL, 404));
    th_stop(&s);
}

/* A product's livestream sales of a month are its sessions' of that month: not by hand. */
TEST_T(ecommerce_sales_livestream_rows_not_corrected_by_hand, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[128], body[128], before[2048], after[2048];
    th_login(&s, "officer", s.demo_pw, tok);
    long long pid = product_with_sales(&s, tok, "测试用磨盘柿", 0);
    product_state(&s, tok, pid, before, sizeof before);
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales/2024-08/livestream", pid);
    snprintf(body, sizeof body, "{\"version\":%lld,\"orders\":4,\"gmv_fen\":1200}",
             product_version(&s, pid));
    json_t *o = CALL(&s, "PATCH", tok, path, body, 409);
    CHECK_STR(th_err_code(o), "invalid_state");
    CHECK_STR(th_err_field(o), "channel");
    json_decref(o);
    o = CALL(&s, "DELETE", tok, path, NULL, 409);
    CHECK_STR(th_err_code(o), "invalid_state");
    CHECK_STR(th_err_field(o), "channel");
    json_decref(o);
    product_state(&s, tok, pid, after, sizeof after);
    CHECK_STR(after, before);
    th_stop(&s);
}

/* The writers of POST, in their scope: a township officer only its township's products, an
 * enterprise and a viewer none. */
TEST_T(ecommerce_sales_correction_scope_and_role, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], town[80], jd[80], view[80], path[128], body[128], before[2048], after[2048];
    th_login(&s, "officer", s.demo_pw, tok);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "viewer", s.demo_pw, view);
    long long jhh = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    char q[160];
    snprintf(q, sizeof q, "SELECT MIN(id) FROM regions WHERE type = 'township' AND id <> %lld",
             jhh);
    long long other = th_sql_int(&s, q);
    CHECK(other > 0);
    long long theirs = product_with_sales(&s, tok, "测试用别处梨", other);
    long long mine = product_with_sales(&s, tok, "测试用金海湖梨", jhh);
    product_state(&s, tok, theirs, before, sizeof before);
    const char *toks[] = {town, jd, view};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales/2024-07/offline",
                 theirs);
        snprintf(body, sizeof body, "{\"version\":%lld,\"orders\":1,\"gmv_fen\":1}",
                 product_version(&s, theirs));
        json_decref(CALL(&s, "PATCH", toks[i], path, body, 403));
        json_decref(CALL(&s, "DELETE", toks[i], path, NULL, 403));
    }
    product_state(&s, tok, theirs, after, sizeof after);
    CHECK_STR(after, before);
    /* its own township's product: the officer of the township corrects and deletes */
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales/2024-07/offline", mine);
    snprintf(body, sizeof body, "{\"version\":%lld,\"orders\":11,\"gmv_fen\":44000}",
             product_version(&s, mine));
    json_decref(CALL(&s, "PATCH", jd, path, body, 403));
    json_decref(CALL(&s, "PATCH", town, path, body, 200));
    json_decref(CALL(&s, "DELETE", view, path, NULL, 403));
    json_decref(CALL(&s, "DELETE", town, path, NULL, 204));
    th_stop(&s);
}

/* The rules of POST on the corrected figures, the body's shape and the path's month and
 * channel: 4xx with the field, nothing changed. */
TEST_T(ecommerce_sales_correction_bad_input_changes_nothing, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[128], body[160], before[2048], after[2048];
    th_login(&s, "officer", s.demo_pw, tok);
    long long pid = product_with_sales(&s, tok, "测试用京白梨", 0);
    long long v = product_version(&s, pid);
    product_state(&s, tok, pid, before, sizeof before);
    static const struct {
        const char *body; /* %lld: the version */
        int status;
        const char *field;
    } bad[] = {
        {"{\"version\":%lld,\"orders\":0,\"gmv_fen\":5000}", 422, "orders"}, /* GMV, no order */
        {"{\"version\":%lld,\"orders\":0}", 422, "orders"}, /* the stored GMV without orders */
        {"{\"version\":%lld,\"orders\":-1}", 422, "orders"},
        {"{\"version\":%lld,\"gmv_fen\":-5}", 422, "gmv_fen"},
        {"{\"version\":%lld,\"orders\":1000000001}", 422, "orders"},
        {"{\"version\":%lld,\"orders\":\"12\"}", 422, "orders"},
        {"{\"version\":%lld,\"orders\":null}", 422, "orders"},
        {"{\"version\":%lld,\"month\":\"2024-09\",\"orders\":3}", 422, "month"},
        {"{\"orders\":3,\"gmv_fen\":%lld}", 422, "version"},
    };
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales/2024-07/offline", pid);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(body, sizeof body, bad[i].body, v);
        json_t *o = CALL(&s, "PATCH", tok, path, body, bad[i].status);
        CHECK(th_err_code(o) != NULL);
        CHECK_STR(th_err_field(o), bad[i].field);
        json_decref(o);
    }
    json_t *o = CALL(&s, "PATCH", tok, path, "[1]", 400);
    CHECK(th_err_code(o) != NULL);
    json_decref(o);
    /* a month or a channel that is none */
    static const struct {
        const char *key, *field;
    } paths[] = {
        {"2024-7/offline", "month"}, {"2024-13/offline", "month"}, {"2024-07/retail", "channel"}};
    snprintf(body, sizeof body, "{\"version\":%lld,\"orders\":1,\"gmv_fen\":1}", v);
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales/%s", pid, paths[i].key);
        o = CALL(&s, "PATCH", tok, path, body, 400);
        CHECK_STR(th_err_code(o), "bad_id");
        CHECK_STR(th_err_field(o), paths[i].field);
        json_decref(o);
        o = CALL(&s, "DELETE", tok, path, NULL, 400);
        CHECK_STR(th_err_field(o), paths[i].field);
        json_decref(o);
    }
    product_state(&s, tok, pid, after, sizeof after);
    CHECK_STR(after, before);
    th_stop(&s);
}

/* Each correction and delete leaves one audit row: the sale as it was in before.sale, as it is
 * in after.sale (none after a delete), beside the product's totals. */
TEST_T(ecommerce_sales_correction_audited, 60)
{
    th_server s;
    th_start(&s, 1);
    char tok[80], path[128], body[128], q[800];
    th_login(&s, "officer", s.demo_pw, tok);
    long long pid = product_with_sales(&s, tok, "测试用佛见喜梨", 0);
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales/2024-07/offline", pid);
    snprintf(body, sizeof body, "{\"version\":%lld,\"orders\":12,\"gmv_fen\":48000}",
             product_version(&s, pid));
    json_decref(CALL(&s, "PATCH", tok, path, body, 200));
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ec_product' AND entity_id = %lld AND"
             " action = 'sales_update' AND json_extract(before_json, '$.sale.month') = '2024-07'"
             " AND json_extract(before_json, '$.sale.channel') = 'offline' AND"
             " json_extract(before_json, '$.sale.orders') = 10 AND"
             " json_extract(before_json, '$.sale.gmv_fen') = 40000 AND"
             " json_extract(before_json, '$.gmv_fen') = 41900 AND"
             " json_extract(after_json, '$.sale.month') = '2024-07' AND"
             " json_extract(after_json, '$.sale.channel') = 'offline' AND"
             " json_extract(after_json, '$.sale.orders') = 12 AND"
             " json_extract(after_json, '$.sale.gmv_fen') = 48000 AND"
             " json_extract(after_json, '$.gmv_fen') = 49900",
             pid);
    CHECK_INT(th_sql_int(&s, q), 1);
    json_decref(CALL(&s, "DELETE", tok, path, NULL, 204));
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ec_product' AND entity_id = %lld AND"
             " action = 'sales_delete' AND json_extract(before_json, '$.sale.month') = '2024-07'"
             " AND json_extract(before_json, '$.sale.channel') = 'offline' AND"
             " json_extract(before_json, '$.sale.orders') = 12 AND"
             " json_extract(before_json, '$.sale.gmv_fen') = 48000 AND"
             " json_extract(after_json, '$.sale') IS NULL AND"
             " json_extract(after_json, '$.gmv_fen') = 1900",
             pid);
    CHECK_INT(th_sql_int(&s, q), 1);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ec_product' AND entity_id = %lld AND"
             " action IN ('sales_update', 'sales_delete')",
             pid);
    CHECK_INT(th_sql_int(&s, q), 2);
    th_stop(&s);
}
