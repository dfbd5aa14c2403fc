/* libFuzzer target for the period parser: any bytes parse or fail cleanly, and a parsed period
 * formats back to text that parses to the same period, follows the one before it and begins
 * on its first day. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/indicator.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pj_period p, q;
    if (pj_period_parse((const char *)data, size, &p)) return 0;
    char buf[12];
    pj_period_format(&p, buf);
    if (pj_period_parse(buf, strlen(buf), &q) || q.kind != p.kind || q.year != p.year ||
        q.sub != p.sub)
        abort();
    pj_period r = pj_period_prev(p);
    int64_t a, b, c2, d;
    pj_period_days(&r, &a, &b);
    pj_period_days(&p, &c2, &d);
    if (b != c2 || b <= a) abort(); /* the previous period ends where this one starts */
    /* a period has begun from its first day on, not the day before */
    if (!pj_period_begun(&p, c2) || pj_period_begun(&p, c2 - 1) || !pj_period_begun(&p, d)) abort();
    return 0;
}
