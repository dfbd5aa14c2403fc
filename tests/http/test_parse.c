/* Unit tests of the outside-input parsers: query strings and JSON bodies. */
#include <string.h>

#include "http/parse.h"
#include "t.h"

TEST(parse_query_decodes_and_limits)
{
    pj_arena a;
    pj_arena_init(&a, 1024);
    pj_kv *kv;
    int n;
    pj_err e = {0};
    const char *q = "q=%E5%B9%B3%E8%B0%B7+%E5%8C%BA&limit=20&flag&&empty=";
    CHECK_INT(pj_query_parse(&a, q, strlen(q), &kv, &n, &e), 0);
    CHECK_INT(n, 4);
    CHECK_STR(kv[0].key, "q");
    CHECK_STR(kv[0].value, "平谷 区");
    CHECK_STR(kv[1].value, "20");
    CHECK_STR(kv[2].key, "flag");
    CHECK_STR(kv[2].value, "");
    CHECK_STR(kv[3].value, "");
    static const char *const bad[] = {"a=%zz", "a=%e5", "a=%00", "a=%ff", "=x", "a=%4"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pj_err_clear(&e);
        CHECK_INT(pj_query_parse(&a, bad[i], strlen(bad[i]), &kv, &n, &e), -1);
        CHECK_INT(e.status, 400);
        CHECK_STR(e.code, "bad_query");
    }
    char many[1024] = "";
    for (int i = 0; i < 65; i++) strncat(many, "a=1&", sizeof many - strlen(many) - 1);
    CHECK_INT(pj_query_parse(&a, many, strlen(many), &kv, &n, &e), -1);
    pj_arena_free(&a);
}

TEST(parse_json_body_rules)
{
    json_t *v;
    pj_err e = {0};
    CHECK_INT(pj_json_decode("{\"a\":[1,2,{\"b\":\"平\"}]}", 23, &v, &e), 0);
    json_decref(v);
    struct {
        const char *in;
        const char *code;
    } bad[] = {{"{\"a\":1,\"a\":2}", "invalid_json"},
               {"{\"a\":", "invalid_json"},
               {"{\"a\":\"\\u0000\"}", "invalid_json"},
               {"\xff", "invalid_utf8"},
               {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "too_deep"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pj_err_clear(&e);
        CHECK_INT(pj_json_decode(bad[i].in, strlen(bad[i].in), &v, &e), -1);
        CHECK_STR(e.code, bad[i].code);
        CHECK_INT(e.status, 400);
    }
    /* depth 32 is fine, 33 is not; brackets inside strings do not count */
    char ok[100] = "", s[200] = "[\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"]";
    for (int i = 0; i < 32; i++) ok[i] = '[';
    for (int i = 0; i < 32; i++) ok[32 + i] = ']';
    CHECK_INT(pj_json_decode(ok, strlen(ok), &v, &e), 0);
    json_decref(v);
    CHECK_INT(pj_json_decode(s, strlen(s), &v, &e), 0);
    json_decref(v);
}

/* A decoded body that held passwords is wiped before it is let go (PJ_ROUTE_SECRET): every
 * string value, however deep, is zeros over its whole length (an escaped character included),
 * keys and other values are left, and the value is still freed as usual. */
TEST(parse_json_wipe_strings)
{
    static const char body[] =
        "{\"username\":\"zhao\",\"password\":\"Secret-pass-1\\ntail\","
        "\"deep\":{\"new_password\":\"Secret-pass-2\",\"list\":[\"Secret-3\","
        "7,true,null]},\"version\":3}";
    json_t *v;
    pj_err e = {0};
    CHECK_INT(pj_json_decode(body, strlen(body), &v, &e), 0);
    json_t *pw = json_object_get(v, "password");
    json_t *deep = json_object_get(json_object_get(v, "deep"), "new_password");
    json_t *item = json_array_get(json_object_get(json_object_get(v, "deep"), "list"), 0);
    const char *p = json_string_value(pw);
    size_t n = json_string_length(pw);
    CHECK_INT(n, 18);
    pj_json_wipe(v);
    for (size_t i = 0; i < n; i++) CHECK_INT(p[i], 0);
    CHECK_INT(json_string_length(pw), 18);
    for (size_t i = 0; i < json_string_length(deep); i++) CHECK_INT(json_string_value(deep)[i], 0);
    for (size_t i = 0; i < json_string_length(item); i++) CHECK_INT(json_string_value(item)[i], 0);
    CHECK_INT(json_string_value(json_object_get(v, "username"))[0], 0);
    CHECK_INT(json_integer_value(json_object_get(v, "version")), 3);
    CHECK(json_object_get(v, "password") == pw); /* the keys are left */
    json_decref(v);
    pj_json_wipe(NULL);
}
