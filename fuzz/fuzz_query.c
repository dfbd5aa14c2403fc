/* libFuzzer target: query-string and path decoding. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pj_arena a;
    pj_arena_init(&a, 4096);
    pj_kv *kv;
    int n;
    pj_err e = {0};
    if (pj_query_parse(&a, (const char *)data, size, &kv, &n, &e) == 0)
        for (int i = 0; i < n; i++) (void)strlen(kv[i].key), (void)strlen(kv[i].value);
    (void)pj_url_decode(&a, (const char *)data, size, 0);
    pj_arena_free(&a);
    return 0;
}
