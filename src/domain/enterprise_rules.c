/* The eligibility-rule language: lexer, recursive-descent parser into a flat node array, a
 * three-valued evaluator and the explanation of a result. Grammar in docs/rules-language.md. */
#include "domain/enterprise_rules.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "core/util.h"

#include "core/banned.h"

const pj_rule_attr_info pj_rule_attrs[PJ_RA_COUNT] = {
    {"industry", PJ_RT_STR, "industry code (logistics, agritech, ecommerce, manufacturing …)"},
    {"township", PJ_RT_STR, "name of the township (马坊地区 …)"},
    {"scale", PJ_RT_STR, "micro, small, medium or large"},
    {"credit", PJ_RT_STR, "credit rating: A, B, C or D"},
    {"employees", PJ_RT_NUM, "number of employees"},
    {"revenue_wan", PJ_RT_NUM, "annual revenue in 10,000 yuan"},
    {"tax_wan", PJ_RT_NUM, "annual tax paid in 10,000 yuan"},
    {"founded_year", PJ_RT_NUM, "year of registration"},
    {"high_tech", PJ_RT_BOOL, "certified high-tech enterprise"},
    {"specialized", PJ_RT_BOOL, "specialised and innovative SME (专精特新)"},
};

/* ---- tokens ---- */

enum tok {
    T_EOF,
    T_IDENT,
    T_NUM,
    T_STR,
    T_LPAREN,
    T_RPAREN,
    T_LBRACK,
    T_RBRACK,
    T_COMMA,
    T_EQ,
    T_NE,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
    T_AND,
    T_OR,
    T_NOT,
    T_IN,
    T_TRUE,
    T_FALSE,
};

static const char *const tok_names[] = {"the end of the rule",
                                        "a name",
                                        "a number",
                                        "a string",
                                        "'('",
                                        "')'",
                                        "'['",
                                        "']'",
                                        "','",
                                        "'=='",
                                        "'!='",
                                        "'<'",
                                        "'<='",
                                        "'>'",
                                        "'>='",
                                        "'and'",
                                        "'or'",
                                        "'not'",
                                        "'in'",
                                        "'true'",
                                        "'false'"};

/* ---- nodes ---- */

enum kind { N_AND, N_OR, N_NOT, N_CONST, N_CMP, N_IN, N_BOOL };

typedef struct node {
    unsigned char kind, op, attr, neg; /* op: T_EQ…T_GE; neg: `not in` */
    int kid, next;                     /* first child and next sibling, -1 = none */
    double num;                        /* N_CMP number, N_CONST 0/1 */
    const char *str;                   /* N_CMP string */
    int list, nlist;                   /* N_IN: items in nums[] or strs[] (columns in cols[]) */
    int vcol;                          /* N_CMP: column of the value compared with */
    int col, off, len;                 /* source span of the node */
    int leaf;                          /* clause index for leaves, -1 otherwise */
    const char *txt;                   /* leaves: the clause text */
} node;

struct pj_rule {
    node *n;
    int nn, root, nleaf;
    double *nums;
    const char **strs;
    int *cols;
    int nitems;
    const char *text;
};

typedef struct parser {
    pj_arena *a;
    const char *s;
    size_t len, pos; /* byte position of the lexer */
    int col;         /* column (1-based, characters) at pos */
    /* the current token */
    enum tok t;
    size_t t_off, t_len;
    int t_col;
    double t_num;
    char *t_str;
    /* output */
    pj_rule *r;
    int cap, icap;
    /* error */
    int err_col;
    char *msg;
    size_t msg_size;
    int failed;
} parser;

static int fail_at(parser *p, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail_at(parser *p, int col, const char *fmt, ...)
{
    if (p->failed) return -1;
    p->failed = 1;
    p->err_col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg, p->msg_size, fmt, ap);
    va_end(ap);
    return -1;
}

/* Byte length of the UTF-8 character at s[i], 0 when malformed. */
static size_t char_len(const char *s, size_t i, size_t n)
{
    unsigned char c = (unsigned char)s[i];
    size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + k > n || !pj_utf8_valid(s + i, k)) return 0;
    return k;
}

static void advance(parser *p, size_t bytes)
{
    p->pos += bytes;
    p->col++;
}

static int is_ident0(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int lex(parser *p)
{
    const char *s = p->s;
    while (p->pos < p->len &&
           (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\n' || s[p->pos] == '\r'))
        advance(p, 1);
    p->t_off = p->pos;
    p->t_col = p->col;
    if (p->pos >= p->len) {
        p->t = T_EOF;
        p->t_len = 0;
        return 0;
    }
    char c = s[p->pos];
    if (is_ident0(c)) {
        size_t e = p->pos;
        while (e < p->len && (is_ident0(s[e]) || is_digit(s[e]))) e++;
        size_t n = e - p->pos;
        if (n > 64) return fail_at(p, p->col, "name longer than 64 characters");
        static const struct {
            const char *w;
            enum tok t;
        } kw[] = {{"and", T_AND}, {"or", T_OR},     {"not", T_NOT},
                  {"in", T_IN},   {"true", T_TRUE}, {"false", T_FALSE}};
        p->t = T_IDENT;
        for (size_t k = 0; k < sizeof kw / sizeof kw[0]; k++)
            if (strlen(kw[k].w) == n && !memcmp(kw[k].w, s + p->pos, n)) p->t = kw[k].t;
        p->pos = e;
        p->col += (int)n;
        p->t_len = n;
        return 0;
    }
    if (is_digit(c) || (c == '-' && p->pos + 1 < p->len && is_digit(s[p->pos + 1]))) {
        size_t e = p->pos + (c == '-');
        while (e < p->len && is_digit(s[e])) e++;
        if (e < p->len && s[e] == '.') {
            e++;
            if (e >= p->len || !is_digit(s[e]))
                return fail_at(p, p->col + (int)(e - p->pos), "expected a digit after '.'");
            while (e < p->len && is_digit(s[e])) e++;
        }
        if (e < p->len && (is_ident0(s[e]) || s[e] == '.'))
            return fail_at(p, p->col + (int)(e - p->pos), "unexpected '%c' in a number", s[e]);
        size_t n = e - p->pos;
        if (n > 32) return fail_at(p, p->col, "number longer than 32 characters");
        char buf[40];
        memcpy(buf, s + p->pos, n);
        buf[n] = 0;
        if (pj_parse_double(buf, &p->t_num) || !isfinite(p->t_num))
            return fail_at(p, p->col, "bad number %s", buf);
        p->t = T_NUM;
        p->pos = e;
        p->col += (int)n;
        p->t_len = n;
        return 0;
    }
    if (c == '"') {
        int col0 = p->col;
        advance(p, 1);
        char *out = pj_arena_alloc(p->a, PJ_RULE_MAX_STR + 1);
        size_t o = 0;
        for (;;) {
            if (p->pos >= p->len) return fail_at(p, col0, "unterminated string");
            char d = s[p->pos];
            if (d == '"') {
                advance(p, 1);
                break;
            }
            if ((unsigned char)d < 0x20) return fail_at(p, p->col, "control character in a string");
            size_t k = 1;
            if (d == '\\') {
                if (p->pos + 1 >= p->len || (s[p->pos + 1] != '"' && s[p->pos + 1] != '\\'))
                    return fail_at(p, p->col, "only \\\" and \\\\ may follow a backslash");
                advance(p, 1);
                d = s[p->pos];
            } else if ((unsigned char)d >= 0x80) {
                k = char_len(s, p->pos, p->len);
                if (!k) return fail_at(p, p->col, "invalid UTF-8");
            }
            if (o + k > PJ_RULE_MAX_STR)
                return fail_at(p, col0, "string longer than %d bytes", PJ_RULE_MAX_STR);
            memcpy(out + o, s + p->pos, k);
            o += k;
            advance(p, k);
        }
        out[o] = 0;
        p->t = T_STR;
        p->t_str = out;
        p->t_len = p->pos - p->t_off;
        return 0;
    }
    static const struct {
        const char *op;
        enum tok t;
    } ops[] = {{"==", T_EQ},    {"!=", T_NE},    {"<=", T_LE},    {">=", T_GE},
               {"<", T_LT},     {">", T_GT},     {"(", T_LPAREN}, {")", T_RPAREN},
               {"[", T_LBRACK}, {"]", T_RBRACK}, {",", T_COMMA}};
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t n = strlen(ops[k].op);
        if (p->pos + n <= p->len && !memcmp(s + p->pos, ops[k].op, n)) {
            p->t = ops[k].t;
            p->pos += n;
            p->col += (int)n;
            p->t_len = n;
            return 0;
        }
    }
    if (c == '=') return fail_at(p, p->col, "use '==' to compare");
    if (c == '&' || c == '|') return fail_at(p, p->col, "use 'and' / 'or'");
    if (c == '!') return fail_at(p, p->col, "use 'not' (or '!=')");
    if ((unsigned char)c >= 0x80) {
        if (!char_len(s, p->pos, p->len)) return fail_at(p, p->col, "invalid UTF-8");
        return fail_at(p, p->col, "unexpected character (names are ASCII; quote text)");
    }
    if ((unsigned char)c < 0x20 || c == 0x7f)
        return fail_at(p, p->col, "unexpected control character");
    return fail_at(p, p->col, "unexpected '%c'", c);
}

static int new_node(parser *p, enum kind k, int col, size_t off)
{
    pj_rule *r = p->r;
    if (r->nn >= PJ_RULE_MAX_NODES)
        return fail_at(p, col, "rule has more than %d parts", PJ_RULE_MAX_NODES);
    if (r->nn == p->cap) {
        int cap = p->cap ? p->cap * 2 : 16;
        node *n = pj_arena_alloc(p->a, sizeof(node) * (size_t)cap);
        if (r->nn) memcpy(n, r->n, sizeof(node) * (size_t)r->nn);
        r->n = n;
        p->cap = cap;
    }
    node *n = &r->n[r->nn];
    memset(n, 0, sizeof *n);
    n->kind = (unsigned char)k;
    n->kid = n->next = -1;
    n->col = col;
    n->off = (int)off;
    n->leaf = -1;
    return r->nn++;
}

static void end_span(parser *p, int i)
{
    /* the span ends where the previous token ended: before the whitespace of the current one */
    size_t e = p->t_off;
    while (
        e > 0 && e > (size_t)p->r->n[i].off &&
        (p->s[e - 1] == ' ' || p->s[e - 1] == '\t' || p->s[e - 1] == '\n' || p->s[e - 1] == '\r'))
        e--;
    p->r->n[i].len = (int)(e - (size_t)p->r->n[i].off);
}

static int expect(parser *p, enum tok t, const char *what)
{
    if (p->t != t)
        return fail_at(p, p->t_col, "expected %s, found %s", what ? what : tok_names[t],
                       tok_names[p->t]);
    return lex(p);
}

static int parse_or(parser *p, int depth);

static int add_item(parser *p, int col)
{
    pj_rule *r = p->r;
    if (r->nitems == p->icap) {
        int cap = p->icap ? p->icap * 2 : 16;
        double *nums = pj_arena_alloc(p->a, sizeof(double) * (size_t)cap);
        const char **strs = pj_arena_alloc(p->a, sizeof(char *) * (size_t)cap);
        int *cols = pj_arena_alloc(p->a, sizeof(int) * (size_t)cap);
        if (r->nitems) {
            memcpy(nums, r->nums, sizeof(double) * (size_t)r->nitems);
            memcpy(strs, r->strs, sizeof(char *) * (size_t)r->nitems);
            memcpy(cols, r->cols, sizeof(int) * (size_t)r->nitems);
        }
        r->nums = nums;
        r->strs = strs;
        r->cols = cols;
        p->icap = cap;
    }
    r->cols[r->nitems] = col;
    return r->nitems++;
}

/* attr (op literal | [not] in [list] | <nothing, for a bool>) */
static int parse_clause(parser *p)
{
    int col = p->t_col;
    size_t off = p->t_off;
    int attr = -1;
    for (int i = 0; i < PJ_RA_COUNT; i++)
        if (strlen(pj_rule_attrs[i].name) == p->t_len &&
            !memcmp(pj_rule_attrs[i].name, p->s + p->t_off, p->t_len))
            attr = i;
    if (attr < 0)
        return fail_at(p, col, "unknown attribute '%.*s' (see docs/rules-language.md)",
                       (int)p->t_len, p->s + p->t_off);
    pj_rule_type ty = pj_rule_attrs[attr].type;
    const char *an = pj_rule_attrs[attr].name;
    if (lex(p)) return -1;
    int i;
    if (p->t >= T_EQ && p->t <= T_GE) {
        enum tok op = p->t;
        int opcol = p->t_col;
        if (lex(p)) return -1;
        if (ty != PJ_RT_NUM && op != T_EQ && op != T_NE)
            return fail_at(p, opcol, "%s is %s: only == and != apply%s", an,
                           ty == PJ_RT_STR ? "text" : "true/false",
                           ty == PJ_RT_STR ? ", and in [list]" : "");
        if ((i = new_node(p, N_CMP, col, off)) < 0) return -1;
        p->r->n[i].op = (unsigned char)op;
        p->r->n[i].attr = (unsigned char)attr;
        p->r->n[i].vcol = p->t_col;
        if (ty == PJ_RT_NUM) {
            if (p->t != T_NUM)
                return fail_at(p, p->t_col, "%s is a number: expected a number, found %s", an,
                               tok_names[p->t]);
            p->r->n[i].num = p->t_num;
        } else if (ty == PJ_RT_STR) {
            if (p->t != T_STR)
                return fail_at(p, p->t_col, "%s is text: expected a \"string\", found %s", an,
                               tok_names[p->t]);
            p->r->n[i].str = p->t_str;
        } else {
            if (p->t != T_TRUE && p->t != T_FALSE)
                return fail_at(p, p->t_col, "%s is true/false: expected true or false, found %s",
                               an, tok_names[p->t]);
            p->r->n[i].num = p->t == T_TRUE;
        }
        if (lex(p)) return -1;
    } else if (p->t == T_IN || p->t == T_NOT) {
        int neg = p->t == T_NOT;
        if (neg) {
            if (lex(p)) return -1;
            if (p->t != T_IN) return fail_at(p, p->t_col, "expected 'in' after 'not'");
        }
        if (ty == PJ_RT_BOOL)
            return fail_at(p, p->t_col, "%s is true/false: 'in' needs text or numbers", an);
        if (lex(p) || expect(p, T_LBRACK, "'[' to start a list")) return -1;
        if ((i = new_node(p, N_IN, col, off)) < 0) return -1;
        p->r->n[i].attr = (unsigned char)attr;
        p->r->n[i].neg = (unsigned char)neg;
        p->r->n[i].list = p->r->nitems;
        if (p->t == T_RBRACK) return fail_at(p, p->t_col, "empty list");
        for (;;) {
            if (p->r->n[i].nlist >= PJ_RULE_MAX_LIST)
                return fail_at(p, p->t_col, "list longer than %d items", PJ_RULE_MAX_LIST);
            if (ty == PJ_RT_NUM && p->t != T_NUM)
                return fail_at(p, p->t_col, "%s is a number: expected a number, found %s", an,
                               tok_names[p->t]);
            if (ty == PJ_RT_STR && p->t != T_STR)
                return fail_at(p, p->t_col, "%s is text: expected a \"string\", found %s", an,
                               tok_names[p->t]);
            int k = add_item(p, p->t_col);
            p->r->nums[k] = p->t_num;
            p->r->strs[k] = ty == PJ_RT_STR ? p->t_str : NULL;
            p->r->n[i].nlist++;
            if (lex(p)) return -1;
            if (p->t == T_RBRACK) break;
            if (expect(p, T_COMMA, "',' or ']'")) return -1;
        }
        if (lex(p)) return -1;
    } else if (ty == PJ_RT_BOOL) {
        if ((i = new_node(p, N_BOOL, col, off)) < 0) return -1;
        p->r->n[i].attr = (unsigned char)attr;
    } else {
        return fail_at(p, p->t_col,
                       "expected a comparison (==, !=, <, <=, >, >=, in) after %s, found %s", an,
                       tok_names[p->t]);
    }
    end_span(p, i);
    p->r->n[i].leaf = p->r->nleaf++;
    return i;
}

static int parse_primary(parser *p, int depth)
{
    if (p->t == T_LPAREN) {
        if (depth + 1 > PJ_RULE_MAX_DEPTH)
            return fail_at(p, p->t_col, "nested deeper than %d", PJ_RULE_MAX_DEPTH);
        if (lex(p)) return -1;
        int e = parse_or(p, depth + 1);
        if (e < 0) return -1;
        if (expect(p, T_RPAREN, "')'")) return -1;
        return e;
    }
    if (p->t == T_TRUE || p->t == T_FALSE) {
        int i = new_node(p, N_CONST, p->t_col, p->t_off);
        if (i < 0) return -1;
        p->r->n[i].num = p->t == T_TRUE;
        if (lex(p)) return -1;
        end_span(p, i);
        p->r->n[i].leaf = p->r->nleaf++;
        return i;
    }
    if (p->t == T_IDENT) return parse_clause(p);
    return fail_at(p, p->t_col, "expected an attribute, '(', 'not', true or false; found %s",
                   tok_names[p->t]);
}

static int parse_unary(parser *p, int depth)
{
    if (p->t == T_NOT) {
        if (depth + 1 > PJ_RULE_MAX_DEPTH)
            return fail_at(p, p->t_col, "nested deeper than %d", PJ_RULE_MAX_DEPTH);
        int i = new_node(p, N_NOT, p->t_col, p->t_off);
        if (i < 0 || lex(p)) return -1;
        int k = parse_unary(p, depth + 1);
        if (k < 0) return -1;
        p->r->n[i].kid = k;
        end_span(p, i);
        return i;
    }
    return parse_primary(p, depth);
}

/* a chain `x OP y OP z` as one n-ary node (keeps evaluation depth = nesting depth) */
static int parse_chain(parser *p, int depth, enum tok op, enum kind k, int (*sub)(parser *, int))
{
    int col = p->t_col;
    size_t off = p->t_off;
    int first = sub(p, depth);
    if (first < 0 || p->t != op) return first;
    int i = new_node(p, k, col, off);
    if (i < 0) return -1;
    p->r->n[i].kid = first;
    int last = first;
    while (p->t == op) {
        if (lex(p)) return -1;
        int nx = sub(p, depth);
        if (nx < 0) return -1;
        p->r->n[last].next = nx;
        last = nx;
    }
    end_span(p, i);
    return i;
}

static int parse_and(parser *p, int depth)
{
    return parse_chain(p, depth, T_AND, N_AND, parse_unary);
}

static int parse_or(parser *p, int depth)
{
    return parse_chain(p, depth, T_OR, N_OR, parse_and);
}

int pj_rule_parse(pj_arena *a, const char *text, size_t len, pj_rule **out, int *col, char *msg,
                  size_t msg_size)
{
    *out = NULL;
    parser p = {.a = a, .s = text, .len = len, .col = 1, .msg = msg, .msg_size = msg_size};
    p.r = pj_arena_calloc(a, 1, sizeof(pj_rule));
    int rc = -1;
    /* characters, as the API's field check and the columns count them (a rule of 1,424
     * characters and 4,144 bytes passed the field and was refused "at column 4097") */
    if (len > 4 * (size_t)PJ_RULE_MAX_LEN || pj_utf8_len(text, len) > PJ_RULE_MAX_LEN) {
        fail_at(&p, PJ_RULE_MAX_LEN + 1, "rule longer than %d characters", PJ_RULE_MAX_LEN);
    } else if (memchr(text, 0, len)) {
        fail_at(&p, 1, "rule contains a NUL byte");
    } else if (lex(&p) == 0) {
        if (p.t == T_EOF) {
            fail_at(&p, 1, "empty rule (write true for everyone)");
        } else {
            int root = parse_or(&p, 0);
            if (root >= 0 && p.t != T_EOF)
                fail_at(&p, p.t_col, "unexpected %s after a complete rule (missing 'and'/'or'?)",
                        tok_names[p.t]);
            else if (root >= 0) {
                p.r->root = root;
                rc = 0;
            }
        }
    }
    if (rc) {
        *col = p.err_col;
        return -1;
    }
    p.r->text = pj_arena_strndup(a, text, len);
    for (int i = 0; i < p.r->nn; i++)
        if (p.r->n[i].leaf >= 0)
            p.r->n[i].txt = pj_arena_strndup(a, text + p.r->n[i].off, (size_t)p.r->n[i].len);
    *out = p.r;
    return 0;
}

int pj_rule_compile(pj_arena *a, const char *text, const char *field, pj_rule **out, pj_err *err)
{
    int col = 0;
    char msg[200];
    if (pj_rule_parse(a, text, strlen(text), out, &col, msg, sizeof msg))
        return pj_fail(err, 422, "rule_syntax", field, "column %d: %s", col, msg);
    return 0;
}

/* ---- the values a rule compares with ---- */

const char *const pj_rule_scales[] = {"micro", "small", "medium", "large", NULL};
const char *const pj_rule_credits[] = {"A", "B", "C", "D", NULL};

void pj_rule_each_text(const pj_rule *r, pj_rule_text_fn fn, void *ud)
{
    /* leaves are made in the order of the text, and a list's items in theirs */
    for (int i = 0; i < r->nn; i++) {
        const node *n = &r->n[i];
        if (n->leaf < 0 || n->kind == N_CONST || pj_rule_attrs[n->attr].type != PJ_RT_STR) continue;
        if (n->kind == N_CMP)
            fn(ud, n->attr, n->str, n->vcol);
        else if (n->kind == N_IN)
            for (int k = 0; k < n->nlist; k++)
                fn(ud, n->attr, r->strs[n->list + k], r->cols[n->list + k]);
    }
}

typedef struct value_fault {
    int col, attr;
    const char *value;
} value_fault;

static void value_check(void *ud, int attr, const char *v, int col)
{
    value_fault *f = ud;
    const char *const *list = attr == PJ_RA_SCALE    ? pj_rule_scales
                              : attr == PJ_RA_CREDIT ? pj_rule_credits
                                                     : NULL;
    if (!list || f->col) return;
    for (int k = 0; list[k]; k++)
        if (!strcmp(list[k], v)) return;
    f->col = col;
    f->attr = attr;
    f->value = v;
}

int pj_rule_check_values(const pj_rule *r, const char *field, pj_err *err)
{
    value_fault f = {0, 0, NULL};
    pj_rule_each_text(r, value_check, &f);
    if (!f.col) return 0;
    const char *const *list = f.attr == PJ_RA_SCALE ? pj_rule_scales : pj_rule_credits;
    char allowed[64] = "";
    for (int k = 0; list[k]; k++)
        snprintf(allowed + strlen(allowed), sizeof allowed - strlen(allowed), "%s%s", k ? ", " : "",
                 list[k]);
    return pj_fail(err, 422, "rule_syntax", field,
                   "column %d: %s \"%.64s\" matches no firm: %s is one of %s (case matters)", f.col,
                   pj_rule_attrs[f.attr].name, f.value, pj_rule_attrs[f.attr].name, allowed);
}

/* ---- evaluation ---- */

static int leaf_value(const pj_rule *r, const node *n, const pj_rule_rec *rec)
{
    if (n->kind == N_CONST) return n->num != 0;
    if (!rec->known[n->attr]) return PJ_RULE_UNKNOWN;
    switch (n->kind) {
    case N_BOOL:
        return rec->n[n->attr] != 0;
    case N_CMP:
        if (pj_rule_attrs[n->attr].type == PJ_RT_STR) {
            const char *v = rec->s[n->attr];
            if (!v) return PJ_RULE_UNKNOWN;
            int eq = strcmp(v, n->str) == 0;
            return n->op == T_EQ ? eq : !eq;
        } else {
            double v = rec->n[n->attr], x = n->num;
            switch (n->op) {
            case T_EQ:
                return v == x;
            case T_NE:
                return v != x;
            case T_LT:
                return v < x;
            case T_LE:
                return v <= x;
            case T_GT:
                return v > x;
            default:
                return v >= x;
            }
        }
    case N_IN: {
        int hit = 0;
        if (pj_rule_attrs[n->attr].type == PJ_RT_STR) {
            const char *v = rec->s[n->attr];
            if (!v) return PJ_RULE_UNKNOWN;
            for (int k = 0; k < n->nlist && !hit; k++) hit = !strcmp(v, r->strs[n->list + k]);
        } else {
            for (int k = 0; k < n->nlist && !hit; k++)
                hit = rec->n[n->attr] == r->nums[n->list + k];
        }
        return n->neg ? !hit : hit;
    }
    default:
        return PJ_RULE_UNKNOWN;
    }
}

/* flip: the leaf whose value is inverted (-1 none); unknown stays unknown. */
/* The node's value for rec; leaf `flip` (-1: none) inverted, an unknown one taken as
 * `unknown_as`; leafv (NULL: not wanted) gets every leaf's own value. */
static int eval_node(const pj_rule *r, int i, const pj_rule_rec *rec, int flip, int unknown_as,
                     int *leafv)
{
    const node *n = &r->n[i];
    switch (n->kind) {
    case N_AND: {
        int res = PJ_RULE_TRUE;
        for (int k = n->kid; k >= 0; k = r->n[k].next) {
            int v = eval_node(r, k, rec, flip, unknown_as, leafv);
            if (v == PJ_RULE_FALSE) {
                res = PJ_RULE_FALSE;
                if (!leafv) return res; /* explain wants every leaf */
            } else if (v == PJ_RULE_UNKNOWN && res == PJ_RULE_TRUE)
                res = PJ_RULE_UNKNOWN;
        }
        return res;
    }
    case N_OR: {
        int res = PJ_RULE_FALSE;
        for (int k = n->kid; k >= 0; k = r->n[k].next) {
            int v = eval_node(r, k, rec, flip, unknown_as, leafv);
            if (v == PJ_RULE_TRUE) {
                res = PJ_RULE_TRUE;
                if (!leafv) return res;
            } else if (v == PJ_RULE_UNKNOWN && res == PJ_RULE_FALSE)
                res = PJ_RULE_UNKNOWN;
        }
        return res;
    }
    case N_NOT: {
        int v = eval_node(r, n->kid, rec, flip, unknown_as, leafv);
        return v == PJ_RULE_UNKNOWN ? v : !v;
    }
    default: {
        int v = leaf_value(r, n, rec);
        if (leafv) leafv[n->leaf] = v;
        if (n->leaf == flip) v = v == PJ_RULE_UNKNOWN ? unknown_as : !v;
        return v;
    }
    }
}

int pj_rule_eval(const pj_rule *r, const pj_rule_rec *rec)
{
    return eval_node(r, r->root, rec, -1, PJ_RULE_TRUE, NULL);
}

int pj_rule_nclauses(const pj_rule *r)
{
    return r->nleaf;
}

/* neg[leaf] = parity of the `not`s above each leaf of the subtree at i */
static void leaf_negations(const pj_rule *r, int i, int parity, int *neg)
{
    const node *n = &r->n[i];
    if (n->leaf >= 0) neg[n->leaf] = parity;
    if (n->kind == N_NOT) {
        leaf_negations(r, n->kid, !parity, neg);
        return;
    }
    if (n->kind == N_AND || n->kind == N_OR)
        for (int k = n->kid; k >= 0; k = r->n[k].next) leaf_negations(r, k, parity, neg);
}

static const double one = 1;

static const char *op_name(int op)
{
    static const char *const names[] = {"==", "!=", "<", "<=", ">", ">="};
    return op >= T_EQ && op <= T_GE ? names[op - T_EQ] : "==";
}

/* the structured form of leaf n */
static void leaf_form(const pj_rule *r, const node *n, pj_rule_clause *c)
{
    c->attr = n->kind == N_CONST ? -1 : n->attr;
    c->strs = NULL;
    switch (n->kind) {
    case N_CONST:
        c->op = "const";
        c->nvals = 1;
        c->nums = &n->num;
        break;
    case N_BOOL:
        c->op = "==";
        c->nvals = 1;
        c->nums = &one;
        break;
    case N_IN:
        c->op = n->neg ? "not_in" : "in";
        c->nvals = n->nlist;
        c->nums = r->nums + n->list;
        if (pj_rule_attrs[n->attr].type == PJ_RT_STR) c->strs = r->strs + n->list;
        break;
    default: /* N_CMP */
        c->op = op_name(n->op);
        c->nvals = 1;
        c->nums = &n->num;
        if (pj_rule_attrs[n->attr].type == PJ_RT_STR) c->strs = &n->str;
    }
}

void pj_rule_clause_form_json(pj_jw *w, const pj_rule_clause *c)
{
    if (c->attr < 0)
        pj_jw_knull(w, "field");
    else
        pj_jw_kstr(w, "field", pj_rule_attrs[c->attr].name);
    pj_jw_kstr(w, "op", c->op);
    pj_jw_key(w, "values");
    pj_jw_arr(w);
    int boolean = c->attr < 0 || pj_rule_attrs[c->attr].type == PJ_RT_BOOL;
    for (int k = 0; k < c->nvals; k++) {
        if (c->strs)
            pj_jw_str(w, c->strs[k]);
        else if (boolean)
            pj_jw_bool(w, c->nums[k] != 0);
        else
            pj_jw_num(w, c->nums[k]);
    }
    pj_jw_arr_end(w);
}

static void tree_json(pj_jw *w, const pj_rule *r, int i)
{
    const node *n = &r->n[i];
    pj_jw_obj(w);
    if (n->leaf >= 0) {
        pj_rule_clause c;
        memset(&c, 0, sizeof c);
        leaf_form(r, n, &c);
        pj_rule_clause_form_json(w, &c);
    } else {
        pj_jw_kstr(w, "op", n->kind == N_AND ? "and" : n->kind == N_OR ? "or" : "not");
        pj_jw_key(w, "args");
        pj_jw_arr(w);
        for (int k = n->kid; k >= 0; k = n->kind == N_NOT ? -1 : r->n[k].next) tree_json(w, r, k);
        pj_jw_arr_end(w);
    }
    pj_jw_obj_end(w);
}

void pj_rule_tree_json(pj_jw *w, const pj_rule *r)
{
    tree_json(w, r, r->root);
}

int pj_rule_explain(const pj_rule *r, const pj_rule_rec *rec, pj_rule_clause *out)
{
    int neg[PJ_RULE_MAX_NODES] = {0};
    leaf_negations(r, r->root, 0, neg);
    int leafv[PJ_RULE_MAX_NODES];
    int res = eval_node(r, r->root, rec, -1, PJ_RULE_TRUE, leafv);
    for (int i = 0; i < r->nn; i++)
        if (r->n[i].leaf >= 0) out[r->n[i].leaf].any_of = 0;
    int groups = 0;
    for (int i = 0; i < r->nn; i++) {
        if (r->n[i].kind != N_OR) continue;
        int leaves = 0;
        for (int k = r->n[i].kid; k >= 0; k = r->n[k].next) leaves += r->n[k].leaf >= 0;
        if (leaves < 2) continue;
        groups++;
        for (int k = r->n[i].kid; k >= 0; k = r->n[k].next)
            if (r->n[k].leaf >= 0) out[r->n[k].leaf].any_of = groups;
    }
    for (int i = 0; i < r->nn; i++) {
        const node *n = &r->n[i];
        if (n->leaf < 0) continue;
        pj_rule_clause *c = &out[n->leaf];
        c->col = n->col;
        c->text = n->txt;
        c->value = leafv[n->leaf];
        c->negated = neg[n->leaf];
        c->effect = c->negated && c->value != PJ_RULE_UNKNOWN ? !c->value : c->value;
        leaf_form(r, n, c);
        /* decisive: with this clause's outcome inverted, does the rule's qualification change?
         * An unknown one is taken as held, and as failed too under a `not`: the figure not
         * reported may be what keeps the firm out either way (not (tax_wan > 100) with tax
         * unreported: reporting 100 or less qualifies it) */
        int dummy[PJ_RULE_MAX_NODES];
        int alt = eval_node(r, r->root, rec, n->leaf, PJ_RULE_TRUE, dummy);
        if (c->value == PJ_RULE_UNKNOWN && c->negated && alt != PJ_RULE_TRUE)
            alt = eval_node(r, r->root, rec, n->leaf, PJ_RULE_FALSE, dummy);
        c->decisive = (res == PJ_RULE_TRUE) != (alt == PJ_RULE_TRUE);
    }
    return res;
}

unsigned pj_rule_attrs_used(const pj_rule *r)
{
    unsigned m = 0;
    for (int i = 0; i < r->nn; i++)
        if (r->n[i].kind == N_CMP || r->n[i].kind == N_IN || r->n[i].kind == N_BOOL)
            m |= 1u << r->n[i].attr;
    return m;
}
