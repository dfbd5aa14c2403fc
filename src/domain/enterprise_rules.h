/* The eligibility-rule language of the enterprise module (docs/rules-language.md): policies
 * and bank products state who qualifies as a small boolean expression over one enterprise's
 * attributes, e.g.
 *     industry in ["logistics","agritech"] and employees >= 10 and township == "马坊地区"
 * Pure: no SQL, no HTTP. A rule can only name the attributes of the fixed schema below, so it
 * cannot read anything outside the enterprise record. Parsing is bounded (length, nesting,
 * nodes, list items) and fuzzed (fuzz/fuzz_rules.c). Evaluation uses three-valued logic: a
 * comparison with an unknown attribute is unknown, and only a rule that is true qualifies. */
#ifndef PJ_ENTERPRISE_RULES_H
#define PJ_ENTERPRISE_RULES_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

#define PJ_RULE_MAX_LEN   4096 /* characters of rule text */
#define PJ_RULE_MAX_DEPTH 32   /* nesting of parentheses and `not` */
#define PJ_RULE_MAX_NODES 512
#define PJ_RULE_MAX_LIST  64  /* items in one [...] list */
#define PJ_RULE_MAX_STR   256 /* bytes of one string literal */

typedef enum pj_rule_type { PJ_RT_NUM = 1, PJ_RT_STR, PJ_RT_BOOL } pj_rule_type;

/* The attributes a rule may name (the enterprise record). */
typedef enum pj_rule_attr {
    PJ_RA_INDUSTRY,     /* str: organisations.industry (logistics, agritech, ecommerce …) */
    PJ_RA_TOWNSHIP,     /* str: name of the township (马坊地区 …) */
    PJ_RA_SCALE,        /* str: micro, small, medium, large */
    PJ_RA_CREDIT,       /* str: credit rating A, B, C, D */
    PJ_RA_EMPLOYEES,    /* num */
    PJ_RA_REVENUE_WAN,  /* num: annual revenue, 10k yuan */
    PJ_RA_TAX_WAN,      /* num: annual tax paid, 10k yuan */
    PJ_RA_FOUNDED_YEAR, /* num */
    PJ_RA_HIGH_TECH,    /* bool: certified high-tech enterprise */
    PJ_RA_SPECIALIZED,  /* bool: 专精特新 */
    PJ_RA_COUNT
} pj_rule_attr;

typedef struct pj_rule_attr_info {
    const char *name;
    pj_rule_type type;
    const char *doc;
} pj_rule_attr_info;

extern const pj_rule_attr_info pj_rule_attrs[PJ_RA_COUNT];

/* One enterprise as the rules see it. known[i] = 0 makes attribute i unknown. Strings are
 * borrowed; bools are 0/1 in n. */
typedef struct pj_rule_rec {
    const char *s[PJ_RA_COUNT];
    double n[PJ_RA_COUNT];
    unsigned char known[PJ_RA_COUNT];
} pj_rule_rec;

/* Results of evaluation (Kleene logic). */
#define PJ_RULE_FALSE   0
#define PJ_RULE_TRUE    1
#define PJ_RULE_UNKNOWN 2

typedef struct pj_rule pj_rule; /* compiled rule, in the arena it was parsed into */

/* Parses text[0..len). On success *out lives in a (owned by the arena) and 0 is returned. On
 * failure returns -1 with *col (1-based character column of the fault) and msg filled. */
int pj_rule_parse(pj_arena *a, const char *text, size_t len, pj_rule **out, int *col, char *msg,
                  size_t msg_size);
/* Same, failing with 422 "rule_syntax" on field: message "column N: …". */
int pj_rule_compile(pj_arena *a, const char *text, const char *field, pj_rule **out, pj_err *err);

/* PJ_RULE_TRUE, PJ_RULE_FALSE or PJ_RULE_UNKNOWN. Never allocates. */
int pj_rule_eval(const pj_rule *r, const pj_rule_rec *rec);

/* One leaf clause (a comparison, membership or boolean test) and how it fared. */
typedef struct pj_rule_clause {
    int col;          /* 1-based column where the clause starts */
    const char *text; /* the clause's source text, in the rule's arena */
    int value;        /* PJ_RULE_* */
    /* 1 when flipping this clause alone flips the whole rule: for a match, the clauses it
     * depends on; for a non-match, the near miss (change this and the firm qualifies). */
    int decisive;
    /* 1 when the clause stands under an odd number of `not`s: it then counts for the rule
     * as the opposite of its own value (effect) */
    int negated;
    int effect; /* PJ_RULE_*: value after the enclosing `not`s */
    /* the `or` the clause stands directly in (with at least one other clause beside it), 1
     * for the first such `or` of the rule, 2 for the next …; 0 when none: the clauses of one
     * group are alternatives, one of them is enough (a reader lists them as such, not as
     * conditions all required) */
    int any_of;
    /* The clause's structured form, so a reader can word it in its own language: attr is
     * PJ_RA_* (-1 for a constant true/false); op one of "==" "!=" "<" "<=" ">" ">=" "in"
     * "not_in" (a bare bool attribute reads as "==" true; a constant as "const"); nvals values
     * in nums (numbers; 0/1 for bools and constants) or, for text attributes, strs. All borrowed
     * from the rule. */
    int attr;
    const char *op;
    int nvals;
    const double *nums;
    const char *const *strs;
} pj_rule_clause;

/* Number of leaf clauses. */
int pj_rule_nclauses(const pj_rule *r);
/* Evaluates r on rec and fills out[0..n) (n = pj_rule_nclauses). Returns the rule's value. */
int pj_rule_explain(const pj_rule *r, const pj_rule_rec *rec, pj_rule_clause *out);
/* Writes the structured form of one clause (from pj_rule_explain) as the keys "field" (null for
 * a constant), "op" and "values" of the JSON object being written. */
struct pj_jw;
void pj_rule_clause_form_json(struct pj_jw *w, const pj_rule_clause *c);
/* Writes the whole rule as a tree: {"op":"and"|"or"|"not","args":[…]} for the connectives,
 * {"field","op","values"} for each clause (as above). */
void pj_rule_tree_json(struct pj_jw *w, const pj_rule *r);
/* Bit i set when the rule names attribute i. */
unsigned pj_rule_attrs_used(const pj_rule *r);

/* The values a firm's `scale` and `credit` take (NULL-terminated): what the profile accepts,
 * and so the only values a rule may compare them with. */
extern const char *const pj_rule_scales[];
extern const char *const pj_rule_credits[];
/* Calls fn for every text value the rule compares an attribute with (==, !=, in), in the
 * order of the text: the attribute (PJ_RA_*), the value, its 1-based column. */
typedef void (*pj_rule_text_fn)(void *ud, int attr, const char *value, int col);
void pj_rule_each_text(const pj_rule *r, pj_rule_text_fn fn, void *ud);
/* 0 when every value the rule compares `scale` or `credit` with is one a firm can have; else
 * 422 "rule_syntax" on field, "column N: …" naming the first such value (in the text) and the
 * values allowed. A rule that parses may still fail this: a rule being saved or checked is
 * held to it, one stored by an older build still evaluates (it matches nobody on that clause). */
int pj_rule_check_values(const pj_rule *r, const char *field, pj_err *err);

#endif
