/* libFuzzer target: request body decoding (UTF-8 check, depth pre-scan, jansson, limits). */
#include <stddef.h>
#include <stdint.h>

#include "domain/input.h"
#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *v = NULL;
    pj_err e = {0};
    if (pj_json_decode((const char *)data, size, &v, &e) == 0) {
        /* what handlers then do with a body */
        const char *s;
        int64_t i;
        double d;
        pj_in_object(v, &e);
        pj_in_str(v, "name", 0, 1, 128, &s, &e);
        pj_in_int(v, "version", 0, 1, INT64_MAX, &i, &e);
        pj_in_num(v, "lat", 0, -90, 90, &d, &e);
        (void)pj_json_depth(v);
        json_decref(v);
    }
    return 0;
}
