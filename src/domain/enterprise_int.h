/* Helpers shared by the enterprise module's files (not part of its interface). */
#ifndef PJ_ENTERPRISE_INT_H
#define PJ_ENTERPRISE_INT_H

#include "domain/enterprise.h"
#include "domain/enterprise_calendar.h"
#include "domain/enterprise_rules.h"
#include "domain/rows.h"

/* The holiday calendar, in c->arena. */
int ent_calendar_load(pj_ctx *c, pj_cal *out, pj_err *err);
/* The same without the days of Beijing year `year` that came from source `source`. */
int ent_calendar_load_without(pj_ctx *c, const char *year, const char *source, pj_cal *out,
                              pj_err *err);
/* SQL: true when the calendar holds no day of the Beijing year of instant EXPR (a deadline
 * counted into that year took every Monday to Friday as a working day: provisional). */
#define ENT_NO_CALENDAR_YEAR(EXPR)                                                                 \
    "NOT EXISTS (SELECT 1 FROM ent_calendar k WHERE k.day BETWEEN strftime('%Y', " EXPR            \
    " + 28800, 'unixepoch') || '-01-01' AND strftime('%Y', " EXPR " + 28800, 'unixepoch')"         \
    " || '-12-31')"
/* SQL: true when the date DAY (a 'YYYY-MM-DD' column) is no working day of the calendar as it
 * now is: a holiday, or a Saturday or Sunday not marked a make-up working day (as
 * pj_cal_is_workday). */
#define ENT_NOT_WORKDAY(DAY)                                                                       \
    "(EXISTS (SELECT 1 FROM ent_calendar k WHERE k.day = " DAY " AND k.kind = 'holiday') OR"       \
    " (strftime('%w', " DAY ") IN ('0', '6') AND NOT EXISTS (SELECT 1 FROM ent_calendar k"         \
    " WHERE k.day = " DAY " AND k.kind = 'workday')))"
/* Inside a calendar write's transaction: the deadlines of the appeals not closed counted
 * again under calendar `now` (they were counted under `was`), each one moved updated and
 * audited. Only the deadlines counted from an instant before `counted_before` (INT64_MAX: all). */
int ent_appeal_deadlines_redo(pj_ctx *c, const pj_cal *was, const pj_cal *now,
                              int64_t counted_before, pj_err *err);
/* A numeric setting, or def when absent. */
double ent_setting(pj_ctx *c, const char *key, double def);
/* 1 for admin, district officer, township officer (the departments' desks). */
int ent_is_officer(const pj_ctx *c);
/* What a list is limited to for the actor (0: no limit). The organisation: an enterprise
 * user's own when filter_org (the list's organisation_id filter) is 0 or names it, else -1
 * (none at all: another firm's rows are not the firm's to list; also when the account has no
 * organisation), unless bank (ent_bank_of) is given: a bank's user, like the others, gets
 * filter_org. */
int64_t ent_list_org(const pj_ctx *c, int64_t filter_org, int64_t bank);
/* The township: a township officer's, 0 for the others. */
int64_t ent_list_town(const pj_ctx *c);
/* Read scope over an enterprise (org_id, township): district roles and viewers all; township
 * officers their township; an enterprise user its own organisation. 0 ok, else 404 (records
 * outside one's scope do not exist for the caller). */
int ent_can_see(pj_ctx *c, int64_t org_id, int64_t township_id, const char *what, int64_t id,
                pj_err *err);
/* The organisation an enterprise user acts for; others pass the body's organisation_id.
 * Checks the organisation exists and is in scope; fills its township. */
int ent_acting_org(pj_ctx *c, json_t *body, int64_t *org_id, int64_t *township_id, pj_err *err);
/* Enterprises as the rules read them: ids[i] and its record rec[i], by id, n of them. */
typedef struct ent_firms {
    int n;
    int64_t *ids;
    pj_rule_rec *rec;
} ent_firms;
/* The record of every enterprise (org = 0) or of one (none when org is not one), in c->arena.
 * The one place attributes are read for the rules: NULL and empty text are unknown. */
int ent_firms_load(pj_ctx *c, int64_t org, ent_firms *f, pj_err *err);
/* The enterprise record the rules read, for org_id (ent_firms_load). 0 ok, 404 when unknown. */
int ent_load_rec(pj_ctx *c, int64_t org_id, pj_rule_rec *rec, pj_err *err);
/* ent_load_rec for an enterprise the caller may see (ent_can_see): 404 for one outside their
 * scope, so its figures cannot be read through the rules either. */
int ent_load_visible(pj_ctx *c, int64_t org_id, pj_rule_rec *rec, pj_err *err);
/* Writes "conditions_tree": the rule `cond` as a tree of connectives and clauses (field, op,
 * values; pj_rule_tree_json), null when it does not parse. For readers only, not audit rows. */
void ent_rule_tree(pj_ctx *c, pj_jw *w, const char *cond);
/* A rule being saved or checked (a policy's, a financing product's, POST /rules/check):
 * pj_rule_compile, then pj_rule_check_values (a `scale` or `credit` no firm can have is 422
 * rule_syntax on field as well). */
int ent_rule_accept(pj_ctx *c, const char *text, const char *field, pj_rule **out, pj_err *err);
/* Writes the warnings of a rule, an array: the values it compares `industry` or `township`
 * with that no enterprise has, or that are no township's name ([{field, value, column,
 * message}], [] for none): allowed (a rule may come before its firms), but the clause holds
 * for nobody now. */
int ent_rule_warnings(pj_ctx *c, const pj_rule *r, pj_jw *w, pj_err *err);
/* The same for the rule text cond, as JSON text in c's arena ("[]" for a rule that does not
 * parse); NULL on an error. */
char *ent_rule_warnings_text(pj_ctx *c, const char *cond, pj_err *err);
/* A JSON array of strings/ints from the body, as compact text (arena). */
char *ent_json_text(pj_ctx *c, json_t *v);
/* Matches every policy to every enterprise (inside the caller's transaction). */
int ent_policies_match_all(pj_ctx *c, pj_err *err);
/* The bank an enterprise-role user acts for (its organisation is of type bank), else 0. */
int64_t ent_bank_of(pj_ctx *c);
/* Ranks the bank products for one need and stores the matches (caller's transaction). */
int ent_fin_match_need(pj_ctx *c, int64_t need, int64_t org, int64_t amount_fen, int64_t term,
                       int *nmatch, pj_err *err);
/* Stores the explanation of each granted match without one (match_id, or every one for 0) as
 * it stands now: what a bank reads of the firm from then on (caller's transaction). */
int ent_fin_consent_snapshots(pj_ctx *c, int64_t match_id, pj_err *err);
/* The bank-matching and cooperation part of the demo (caller's transaction). */
int ent_demo_finance_coop(pj_ctx *c, uint64_t *rng, int64_t now, pj_err *err);

#endif
