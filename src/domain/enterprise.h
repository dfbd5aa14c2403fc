/* Enterprise service (服务企业): the holiday calendar, reception days, appeals tracked to
 * resolution (接-派-办-评), KPIs, the policy library matched to every firm, bank–enterprise
 * matching and the cooperation board. Scope: admin and district officers see the district;
 * township officers the firms of their township; an enterprise user only its own
 * organisation's records; viewers read. Every write runs in one transaction with its audit
 * row. JSON in (bodies borrowed), JSON out through w. */
#ifndef PJ_ENTERPRISE_H
#define PJ_ENTERPRISE_H

#include "core/buf.h"
#include "domain/ctx.h"

extern const char *const pj_appeal_types[];
extern const char *const pj_appeal_categories[];
extern const char *const pj_appeal_channels[];
extern const char *const pj_appeal_states[];
extern const char *const pj_reception_states[];    /* planned, held, cancelled */
extern const char *const pj_fin_need_states[];     /* open, matched (one of its matches approved) */
extern const char *const pj_fin_match_outcomes[];  /* pending, then applied, approved, … */
extern const char *const pj_coop_kinds[];          /* offer, need */
extern const char *const pj_coop_categories[];     /* supply, logistics, … */
extern const char *const pj_coop_post_states[];    /* open, closed */
extern const char *const pj_coop_contact_states[]; /* pending, accepted, declined */

typedef struct pj_ent_filter {
    int64_t organisation_id, department_id, township_id, policy_id;
    int64_t need_id, bank_id, post_id;
    const char *state, *category, *kind, *channel;
    int overdue;
    int64_t cursor;
    int limit;
} pj_ent_filter;

/* calendar and settings */
/* The years the holiday calendar holds (a day's, GET ?year=, --year). */
#define PJ_ENT_CAL_YEAR_MIN 2000
#define PJ_ENT_CAL_YEAR_MAX 2100
int pj_ent_calendar_list(pj_ctx *c, int year, pj_jw *w, pj_err *err);
/* Sets the day of body's "day" (a new one, or in place of the day of that date, *created
 * (may be NULL) telling which); writes the day's JSON. */
int pj_ent_calendar_set(pj_ctx *c, json_t *body, pj_jw *w, int *created, pj_err *err);
/* Removes a day; writes {"reception_days_to_move": [...]}: the planned reception days, today or
 * later, its date leaves on a day off (as the answer of a day set). */
int pj_ent_calendar_delete(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_ent_settings_get(pj_ctx *c, pj_jw *w, pj_err *err);
int pj_ent_settings_update(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);

/* reception days */
int pj_ent_reception_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err);
int pj_ent_reception_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
/* *created (may be NULL): how many days were added; 0 when the year was scheduled already. */
int pj_ent_reception_schedule(pj_ctx *c, json_t *body, pj_jw *w, int *created, pj_err *err);
int pj_ent_reception_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
int pj_ent_signup_create(pj_ctx *c, int64_t day_id, json_t *body, pj_jw *w, pj_err *err);
/* Withdraw the acting enterprise's sign-up (body: organisation_id for officers); 204. */
int pj_ent_signup_withdraw(pj_ctx *c, int64_t day_id, json_t *body, pj_err *err);

/* dispatch catalogue */
int pj_ent_dispatch_list(pj_ctx *c, pj_jw *w, pj_err *err);
int pj_ent_dispatch_set(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);

/* appeals */
int pj_ent_appeal_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err);
int pj_ent_appeal_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_ent_appeal_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
/* action: dispatch, accept, return, reply, rate, close, escalate, visit */
int pj_ent_appeal_act(pj_ctx *c, int64_t id, const char *action, json_t *body, pj_jw *w,
                      pj_err *err);
/* Escalates every open appeal past its completion deadline; {"escalated":n}. */
int pj_ent_appeal_sweep(pj_ctx *c, pj_jw *w, pj_err *err);
/* Appeals whose deadline has passed and whose requester has not been called back. */
int pj_ent_return_visits(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err);

/* KPIs over appeals received in [from, to) (epoch seconds); csv != NULL writes CSV instead. */
int pj_ent_kpis(pj_ctx *c, int64_t from, int64_t to, pj_jw *w, pj_buf *csv, pj_err *err);
/* Problems solved from reception days (appeals from them closed as resolved, not rated
 * not_satisfied), all time, in a township (town > 0) or the district (0): the KPIs'
 * `problems_solved`. No role check: for the district dashboard and the KPIs. */
int pj_ent_problems_solved(pj_ctx *c, int64_t town, int64_t *out, pj_err *err);

/* enterprise profiles (the attributes rules read) and policies */
int pj_ent_profile_get(pj_ctx *c, int64_t org_id, pj_jw *w, pj_err *err);
int pj_ent_profile_update(pj_ctx *c, int64_t org_id, json_t *body, pj_jw *w, pj_err *err);
/* Re-evaluates every policy for one organisation after its record changed (industry,
 * township, type: attributes the rules read): matches replaced, notices for new eligibility;
 * one no longer an enterprise qualifies for nothing. Inside the caller's transaction. */
int pj_ent_org_rematch(pj_ctx *c, int64_t org_id, pj_err *err);
/* A township was renamed (the rules' `township` attribute): pj_ent_org_rematch for every
 * enterprise of that township. Inside the caller's transaction. */
int pj_ent_township_rematch(pj_ctx *c, int64_t township_id, pj_err *err);
/* An organisation moved township: its appeals, open and closed, follow it to the new one
 * (township 0: none), each with an audit row. Inside the caller's transaction. */
int pj_ent_org_moved(pj_ctx *c, int64_t org_id, int64_t township_id, pj_err *err);
int pj_ent_rule_check(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_ent_policy_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err);
int pj_ent_policy_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_ent_policy_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_ent_policy_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
int pj_ent_policy_matches(pj_ctx *c, int64_t id, const pj_ent_filter *f, pj_jw *w, pj_err *err);
int pj_ent_policy_explain(pj_ctx *c, int64_t id, int64_t org_id, pj_jw *w, pj_err *err);
/* Notices for the firms matched by policies that have come into force since (announced before
 * their valid_from): kind in_force, one audit row per policy, its own transaction. Returns the
 * number of notices, -1 on error. The server runs it at start and every 10 minutes. */
int pj_ent_policy_notices_due(pj_ctx *c, pj_err *err);
int pj_ent_notice_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err);

/* Bank–enterprise matching (政银企): banks' financing products (eligibility rules), needs
 * ranked against them, per-match consent before a bank sees the enterprise, outcomes. A bank
 * user is an enterprise-role user whose organisation is of type bank. */
int pj_ent_product_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err);
int pj_ent_product_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_ent_product_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_ent_product_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
int pj_ent_need_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err);
int pj_ent_need_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_ent_need_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_ent_match_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err);
int pj_ent_match_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_ent_match_consent(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
int pj_ent_match_outcome(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);

/* The cooperation board (企间合作): offers and needs, counterpart matching, contact requests
 * that reveal contact details only once the receiver accepts. */
int pj_ent_post_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err);
int pj_ent_post_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_ent_post_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
/* PATCH {version, state open|closed, title, body, category}: the post's firm or an officer in
 * scope (403 for the others); a closed post leaves the matches and takes no contact request. */
int pj_ent_post_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
int pj_ent_post_matches(pj_ctx *c, int64_t id, const pj_ent_filter *f, pj_jw *w, pj_err *err);
int pj_ent_contact_create(pj_ctx *c, int64_t post_id, json_t *body, pj_jw *w, pj_err *err);
int pj_ent_contact_list(pj_ctx *c, const pj_ent_filter *f, pj_jw *w, pj_err *err);
int pj_ent_contact_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_ent_contact_respond(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);

/* The enterprise demo on top of the demo district (pj_demo_build first): ≈3,000 firms with
 * profiles (the seed's named firms plus synthetic ones, source = 'synthetic'), departments,
 * the dispatch catalogue, 24 reception days (2024–2025), ≈1,500 appeals (≈290 solved from
 * reception days), 40 policies with rules and their matches, 10 bank products, cooperation
 * posts. Deterministic for a seed; one transaction; 409 when it was loaded already. */
int pj_enterprise_demo(pj_ctx *c, uint64_t seed, pj_err *err);

#endif
