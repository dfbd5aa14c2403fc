/* libFuzzer target: the HTTP/1.1 request head parser and the Accept-Encoding negotiation
 * (src/http/wire.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1);
    if (!buf) return 0;
    memcpy(buf, data, size);
    pj_head h;
    pj_err e = {0};
    if (pj_head_parse(buf, size, &h, &e) == 0) {
        if (h.head_len > size) abort();
        (void)strlen(h.method), (void)strlen(h.target);
        for (int i = 0; i < h.nh; i++) (void)strlen(h.h[i].name), (void)strlen(h.h[i].value);
        (void)pj_head_get(&h, "content-type");
        int gz = pj_accept_gzip(&h); /* the Accept-Encoding lists (weights and all) */
        if (gz != 0 && gz != 1) abort();
    }
    free(buf);
    return 0;
}
