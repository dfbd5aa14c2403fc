/* libFuzzer target: the eligibility-rule language (src/domain/enterprise_rules.c). Any input
 * either parses or fails with a column inside the text; a parsed rule evaluates and explains
 * consistently on a few records, within its bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/enterprise_rules.h"

static void record(pj_rule_rec *r, int k)
{
    static const char *const ind[] = {"logistics", "agritech", "ecommerce", ""};
    static const char *const town[] = {"马坊地区", "金海湖地区", "滨河街道", "x"};
    memset(r, 0, sizeof *r);
    for (int i = 0; i < PJ_RA_COUNT; i++) r->known[i] = (unsigned char)(k != 3 || i % 2);
    r->s[PJ_RA_INDUSTRY] = ind[k & 3];
    r->s[PJ_RA_TOWNSHIP] = town[k & 3];
    r->s[PJ_RA_SCALE] = "small";
    r->s[PJ_RA_CREDIT] = "A";
    r->n[PJ_RA_EMPLOYEES] = 10 * k;
    r->n[PJ_RA_REVENUE_WAN] = k * 1234.5;
    r->n[PJ_RA_TAX_WAN] = -k;
    r->n[PJ_RA_FOUNDED_YEAR] = 2000 + k;
    r->n[PJ_RA_HIGH_TECH] = k & 1;
    r->n[PJ_RA_SPECIALIZED] = (k >> 1) & 1;
}

/* every text value a rule compares with sits inside the text */
static void text_in_range(void *ud, int attr, const char *value, int col)
{
    size_t size = *(const size_t *)ud;
    if (attr < 0 || attr >= PJ_RA_COUNT || !value || col < 1 || (size_t)col > size) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pj_arena a;
    pj_arena_init(&a, 4096);
    pj_rule *r;
    int col = 0;
    char msg[200];
    const char *s = (const char *)data;
    if (pj_rule_parse(&a, s, size, &r, &col, msg, sizeof msg) == 0) {
        int n = pj_rule_nclauses(r);
        if (n < 1 || n > PJ_RULE_MAX_NODES) abort();
        pj_rule_clause *cl = pj_arena_calloc(&a, (size_t)n, sizeof *cl);
        /* the values of scale and credit: ok, or refused naming a column */
        pj_err e;
        memset(&e, 0, sizeof e);
        if (pj_rule_check_values(r, "conditions", &e) &&
            (e.status != 422 || strncmp(e.message, "column ", 7)))
            abort();
        pj_rule_each_text(r, text_in_range, &size);
        for (int k = 0; k < 4; k++) {
            pj_rule_rec rec;
            record(&rec, k);
            int v = pj_rule_eval(r, &rec);
            if (v != PJ_RULE_TRUE && v != PJ_RULE_FALSE && v != PJ_RULE_UNKNOWN) abort();
            if (pj_rule_explain(r, &rec, cl) != v) abort();
            for (int i = 0; i < n; i++)
                if (!cl[i].text || cl[i].col < 1 || (size_t)cl[i].col > size) abort();
        }
    } else {
        if (col < 1) abort();
        if (pj_utf8_valid(s, size) && (size_t)col > pj_utf8_len(s, size) + 1) abort();
        if (!memchr(msg, 0, sizeof msg)) abort();
    }
    pj_arena_free(&a);
    return 0;
}
