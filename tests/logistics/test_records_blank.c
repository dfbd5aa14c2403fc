/* Names are stored without the spaces around them and are never blank, in every module that
 * keeps its own records (agri-tech, logistics, bank products, indicators, e-commerce products,
 * carbon factors), as the registry's are. Regression: "   " and an ideographic space U+3000 were
 * taken as names (201), and "马坊物流基地 " with a space after it went round the names' uniqueness
 * beside "马坊物流基地". A name at its maximum length with a space pasted after it is that name
 * (its length was measured before the spaces were left out). */
#include <stdio.h>
#include <string.h>

#include "logistics/rec_fixture.h"

static long long first_id(th_server *s, const char *sql)
{
    long long id = th_sql_int(s, sql);
    CHECK(id > 0);
    return id;
}

TEST_T(records_names_trimmed_never_blank, 90)
{
    th_server s;
    th_start(&s, 1);
    rec_load_demos(&s);
    char off[80], path[128], body[512];
    th_login(&s, "officer", s.demo_pw, off);
    /* blank names refused on name, nothing written (REFUSED_ON compares the whole database) */
    REFUSED_ON(&s, "POST", off, "/api/v1/logistics/parks", "{\"name\":\"   \"}", 422,
               "missing_field", "name");
    REFUSED_ON(&s, "POST", off, "/api/v1/agri/labs", "{\"name\":\"\\u3000\",\"kind\":\"other\"}",
               422, "missing_field", "name");
    long long wh = first_id(&s, "SELECT MIN(id) FROM lg_warehouses");
    snprintf(path, sizeof path, "/api/v1/logistics/warehouses/%lld", wh);
    snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\" \\t \"}",
             rec_sql1(&s, "SELECT version FROM lg_warehouses WHERE id = %lld", wh));
    REFUSED_ON(&s, "PATCH", off, path, body, 422, "missing_field", "name");
    long long res = first_id(&s, "SELECT MIN(id) FROM ag_results");
    snprintf(path, sizeof path, "/api/v1/agri/results/%lld", res);
    snprintf(body, sizeof body, "{\"version\":%lld,\"title\":\"\\u3000\\u3000\"}",
             rec_sql1(&s, "SELECT version FROM ag_results WHERE id = %lld", res));
    REFUSED_ON(&s, "PATCH", off, path, body, 422, "missing_field", "title");
    long long ind = first_id(&s, "SELECT MIN(id) FROM indicators");
    snprintf(path, sizeof path, "/api/v1/indicators/%lld", ind);
    snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\"  \"}",
             rec_sql1(&s, "SELECT version FROM indicators WHERE id = %lld", ind));
    REFUSED_ON(&s, "PATCH", off, path, body, 422, "missing_field", "name");
    long long bank = first_id(&s, "SELECT MIN(id) FROM organisations WHERE type = 'bank'");
    snprintf(body, sizeof body,
             "{\"bank_id\":%lld,\"name\":\"   \",\"min_wan\":5,\"max_wan\":300,\"rate_pct\":3.45,"
             "\"term_months\":36,\"conditions\":\"not high_tech\"}",
             bank);
    REFUSED_ON(&s, "POST", off, "/api/v1/enterprise/bank-products", body, 422, "missing_field",
               "name");
    REFUSED_ON(&s, "POST", off, "/api/v1/ecommerce/products",
               "{\"name\":\"\\u3000\",\"category\":\"peach\"}", 422, "missing_field", "name");

    /* a name with spaces around it is stored without them, and meets its namesake */
    char name[160];
    json_t *l = CALL(&s, "GET", off, "/api/v1/logistics/parks?limit=1", NULL, 200);
    snprintf(name, sizeof name, "%s",
             th_str(json_array_get(json_object_get(l, "items"), 0), "name"));
    json_decref(l);
    CHECK(name[0] != 0);
    snprintf(body, sizeof body, "{\"name\":\"%s \"}", name);
    REFUSED(&s, "POST", off, "/api/v1/logistics/parks", body, 409, "conflict");
    json_t *o = CALL(&s, "POST", off, "/api/v1/logistics/parks",
                     "{\"name\":\" \\u3000新园区（测试）\\t\"}", 201);
    CHECK_STR(th_str(o, "name"), "新园区（测试）");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"bank_id\":%lld,\"name\":\" 助农贷（测试） \",\"min_wan\":5,\"max_wan\":300,"
             "\"rate_pct\":3.45,\"term_months\":36,\"conditions\":\"not high_tech\"}",
             bank);
    o = CALL(&s, "POST", off, "/api/v1/enterprise/bank-products", body, 201);
    CHECK_STR(th_str(o, "name"), "助农贷（测试）");
    json_decref(o);
    o = CALL(&s, "POST", off, "/api/v1/ecommerce/products",
             "{\"name\":\"平谷大桃 \",\"category\":\"peach\"}", 201);
    CHECK_STR(th_str(o, "name"), "平谷大桃");
    json_decref(o);
    /* the length is the stored name's: 64 characters with spaces around them are a name of
     * 64 (were too_long), 65 are not */
    char full[400] = "", over[400];
    for (int i = 0; i < 64; i++) strcat(full, "桃");
    snprintf(over, sizeof over, "%s果", full);
    snprintf(body, sizeof body, "{\"name\":\" %s \",\"category\":\"peach\"}", full);
    o = CALL(&s, "POST", off, "/api/v1/ecommerce/products", body, 201);
    CHECK_STR(th_str(o, "name"), full);
    json_decref(o);
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"category\":\"peach\"}", over);
    REFUSED_ON(&s, "POST", off, "/api/v1/ecommerce/products", body, 422, "too_long", "name");
    snprintf(path, sizeof path, "/api/v1/indicators/%lld", ind);
    snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\"  产值（测试）\\n\"}",
             rec_sql1(&s, "SELECT version FROM indicators WHERE id = %lld", ind));
    o = CALL(&s, "PATCH", off, path, body, 200);
    CHECK_STR(th_str(o, "name"), "产值（测试）");
    json_decref(o);
    th_stop(&s);
}
