/* Mutual-aid elderly care (互助养老): elders and their three needs (三有: meals, a family
 * doctor, companionship), helpers (互助员), pairing (结对) proposed by a min-cost flow,
 * service logs earning time credits in a double-entry ledger (时间银行), alerts with
 * escalation, village and township centres, coverage reports and the vulnerable-person list.
 *
 * Privacy: personal records are seen by admin and district officers (whole district),
 * township officers (their township) and grid workers (their grids) only; ID numbers and
 * phones are masked unless `reveal` is asked for, and each record read unmasked is audited
 * (action "read_unmasked"). Every write is one transaction with its audit row.
 * Everything written to a pj_jw or pj_buf is owned by the caller's buffer. */
#ifndef PJ_ELDER_H
#define PJ_ELDER_H

#include "core/buf.h"
#include "domain/ctx.h"

/* Skills of helpers and services an elder needs from a helper (bit flags). */
enum {
    PJ_SKILL_MEALS = 1,
    PJ_SKILL_CLEANING = 2,
    PJ_SKILL_ESCORT = 4,
    PJ_SKILL_COMPANIONSHIP = 8,
    PJ_SKILL_NURSING = 16,
};
extern const char *const pj_elder_skills[]; /* names in bit order, NULL-terminated */
extern const char *const pj_elder_sexes[];  /* F, M; NULL-terminated */
/* The bit of skill name (its first n bytes) in pj_elder_skills, or -1 when it is none. */
int pj_elder_skill_bit(const char *name, size_t n);
extern const char *const pj_visit_tiers[]; /* high_risk, key, normal */
extern const char *const pj_meal_providers[];
extern const char *const pj_service_kinds[];
extern const char *const pj_alert_kinds[];
extern const char *const pj_centre_checklist[];
extern const char *const pj_elder_statuses[];  /* active, moved, deceased */
extern const char *const pj_proposal_states[]; /* a pairing run's proposals */
extern const char *const pj_pair_states[];     /* active, ended */
extern const char *const pj_list_orders[];     /* oldest, newest: GET /pairs?order= */
extern const char *const pj_alert_states[];    /* open, acked, resolved, closed */
extern const char *const pj_alert_levels[];    /* grid, then township once escalated */
extern const char *const pj_centre_kinds[];    /* village, township */
extern const char
    *const pj_coverage_groups[]; /* the coverage report's rows: grid, village, township */

/* GB 11643-1999 citizen ID number: 17 digits and a check character (0-9 or X), the embedded
 * birth date valid. 1 when valid. */
int pj_id_number_valid(const char *s);
/* The ID number as kept: a lower-case check character 'x' (as typed, or as a spreadsheet has it)
 * made 'X', so one person's number is one text; other input unchanged (the arena's copy) */
const char *pj_id_number_norm(pj_arena *a, const char *s);
/* ID numbers that clash with a registered person's (elder, helper, streamer), per user and
 * Beijing day, before the user's further registrations and ID number changes are refused
 * (docs/api-eldercare.md §1): trying numbers against the uniqueness answer would otherwise
 * rebuild masked numbers. */
#define PJ_EL_ID_CLASHES_PER_DAY 10
/* Before a registration or an ID number change: 429 too_many_requests when the actor's
 * id_clash rows of this Beijing day reached PJ_EL_ID_CLASHES_PER_DAY (none for the command
 * line, which has no user). */
int pj_el_id_clash_guard(pj_ctx *c, pj_err *err);
/* After the refused write's rollback: the "id_clash" audit row on `entity` `holder`, the record
 * holding the number, its after_json {"tried_from": from_id, or null for a registration}, no
 * number, in its own transaction. 0, or -1 with err. */
int pj_el_id_clash_audit(pj_ctx *c, const char *entity, int64_t holder, int64_t from_id,
                         pj_err *err);
/* The check character for 17 digits; 0 when the prefix is not 17 digits. */
char pj_id_check_char(const char *prefix17);
/* Visit tier suggested from the flags and the ability level (GB/T 42195-2022, 0–4). */
const char *pj_visit_tier_suggest(int living_alone, int empty_nest, int disabled, int ability);

typedef struct pj_elder_filter {
    int64_t region_id; /* a township, village or grid (0 = the actor's whole scope) */
    const char *visit_tier, *q, *status;
    int vulnerable_only, unpaired_only, reveal;
    /* flags and needs gaps: 1 = only elders with it (0 = no filter); ability_level only when
     * ability_set */
    int living_alone, empty_nest, disabled, no_meals, no_doctor, ability_set;
    int64_t ability_level;
    int full; /* 1: whole records (as GET /elders/{id}); 0: the list projection */
    /* visits: visit_overdue = 1 keeps the elders whose next_visit_due has passed;
     * visit_due_by "YYYY-MM-DD" (NULL = none) those due by the end of that local day, the
     * overdue among them (both: active elders only) */
    int visit_overdue;
    const char *visit_due_by;
    int64_t cursor;
    int limit;
} pj_elder_filter;

/* ---- elders and helpers (elder.c, elder_helper.c) ---- */
/* A page of elders. The list projection (f->full == 0) carries what a list shows — flags,
 * needs, visit state, helper — in one query; numbers only with f->reveal (audited per
 * record). Sets c->valid_until to when the page's time-dependent fields next change. */
int pj_elder_list(pj_ctx *c, const pj_elder_filter *f, pj_jw *w, pj_err *err);
int pj_elder_get(pj_ctx *c, int64_t id, int reveal, pj_jw *w, pj_err *err);
int pj_elder_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_elder_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);

typedef struct pj_helper_filter {
    int64_t region_id;
    const char *skill, *q;
    const char *skills;                 /* comma-separated: helpers with every one of them */
    const char *sex;                    /* F or M: helpers of that sex */
    int active_only, free_only, reveal; /* free_only: a place left (pairs in force < capacity) */
    int64_t cursor;
    int limit;
} pj_helper_filter;
int pj_helper_list(pj_ctx *c, const pj_helper_filter *f, pj_jw *w, pj_err *err);
int pj_helper_get(pj_ctx *c, int64_t id, int reveal, pj_jw *w, pj_err *err);
int pj_helper_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_helper_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* pj_helper_update, *pairs_ended set to how many active pairs it ended (a deactivation, a move to
 * another township; 0 otherwise): the answer's pairs_ended, for a caller that says it (the CLI) */
int pj_helper_update_n(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, int *pairs_ended,
                       pj_err *err);

/* ---- pairing (elder_pairing.c) ---- */

/* The pure core, for tests and the benchmark: helpers with a capacity left, elders with the
 * services they need; pairs as many elders as possible, then at minimum total cost
 * (distance in metres + a penalty for another village), within the walking distance, skills
 * and sex preference respected. Only the `candidates` cheapest helpers of each elder are
 * considered (0 = all): exact w.r.t. that candidate set. */
typedef struct pj_pair_helper {
    double lat, lon;
    int64_t village_id;
    int skills, cap; /* places left */
    char sex;        /* 'F' or 'M' */
    int64_t group;   /* township: pairs stay within a group when both are non-zero */
    int64_t person;  /* the helper's own elder record (低龄助高龄), 0 = none: never their own
                        helper */
} pj_pair_helper;
typedef struct pj_pair_elder {
    double lat, lon;
    int64_t village_id;
    int needs;      /* skills required */
    char sex_pref;  /* 0 = any, 'F' or 'M' */
    int64_t group;  /* township (0 = any) */
    int64_t person; /* the elder's id (0 = not known): a helper of the same person is no
                       candidate */
    /* helpers (indices into the problem's helpers) an officer refused for this elder: a
     * proposal of the pair rejected by name; no candidates */
    const int *refused;
    int n_refused;
} pj_pair_elder;
typedef struct pj_pair_problem {
    int n_helpers, n_elders;
    const pj_pair_helper *helpers;
    const pj_pair_elder *elders;
    double walk_m;           /* maximum distance */
    int64_t other_village_m; /* cost penalty when helper and elder live in different villages */
    int candidates;          /* per elder; 0 = all (small instances: elders × helpers ≤ 2^24) */
} pj_pair_problem;
typedef struct pj_pair_result {
    int *helper_of;    /* n_elders entries: helper index or -1 (malloc'd: pj_pair_result_free) */
    int *n_candidates; /* n_elders: feasible helpers within the walk (before capacity) */
    int *rank;         /* n_elders: 1 = the cheapest candidate was chosen, 0 = unpaired */
    int64_t *cost;     /* n_elders: cost of the chosen pair */
    int n_paired, components;
    int64_t total_cost;
    double solve_ms;
} pj_pair_result;
/* 0 ok, -1 out of memory or bad input (also "all" candidates on a large instance). */
int pj_pair_solve(const pj_pair_problem *p, pj_pair_result *r);
/* The setting elder_pair_candidates, kept within 1–256 (the helpers kept per elder). */
int pj_pair_candidates_setting(pj_ctx *c);
void pj_pair_result_free(pj_pair_result *r);
/* Cost of one pair, or -1 when not allowed (walk, skills, sex preference). */
int64_t pj_pair_cost(const pj_pair_problem *p, int helper, int elder);

/* A pairing run for a region (district, township, village or grid): proposals stored with
 * their explanation, for officers to accept, edit or reject. */
int pj_pair_run_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_pair_run_list(pj_ctx *c, int64_t cursor, int limit, pj_jw *w, pj_err *err);
/* The run and a page of its proposals (state filter optional). */
int pj_pair_run_get(pj_ctx *c, int64_t id, const char *state, int64_t cursor, int limit, pj_jw *w,
                    pj_err *err);
/* action "accept" or "reject"; body {proposal_ids?:[…], note?}. */
int pj_pair_run_decide(pj_ctx *c, int64_t id, const char *action, json_t *body, pj_jw *w,
                       pj_err *err);
/* Edit a proposal: body {helper_id, version}. */
int pj_pair_proposal_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* elder_id, helper_id: that elder's, helper's pairs (0 = all in scope); a record outside the
 * caller's scope is 403 forbidden on the filter, an unknown one 422 unknown_id. By id, oldest
 * first, or newest first when `newest` (the next page then holds smaller ids). */
int pj_pair_list(pj_ctx *c, int64_t elder_id, int64_t helper_id, const char *state, int newest,
                 int64_t cursor, int limit, pj_jw *w, pj_err *err);
int pj_pair_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_pair_end(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);

/* Pairing requests (结对申请, elder_pair_requests.c): a grid worker asks for an elder of their
 * grids to be paired with a helper of their grids, {elder_id, helper_id, note?} — checked as a
 * pair by hand would be (422/409 at helper_id), 409 already_paired / request_pending at
 * elder_id; one waits per elder. An officer of the elder's township accepts it ({version,
 * start_date?}: the pair is made then, with that moment's checks) or declines it ({version,
 * note}); a grid worker of the elder's grid withdraws it ({version}). Each audited. */
extern const char *const pj_pair_request_states[]; /* pending, accepted, declined, withdrawn */
int pj_pair_request_list(pj_ctx *c, const char *state, int64_t elder_id, int64_t cursor, int limit,
                         pj_jw *w, pj_err *err);
int pj_pair_request_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_pair_request_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_pair_request_decide(pj_ctx *c, int64_t id, const char *action, json_t *body, pj_jw *w,
                           pj_err *err);

/* ---- service logs and the time-credit ledger (elder_ledger.c) ---- */
int pj_service_log_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
/* voided: -1 all logs, 0 those in force, 1 the voided ones. elder_id, helper_id as
 * pj_pair_list's. */
int pj_service_log_list(pj_ctx *c, int64_t elder_id, int64_t helper_id, const char *kind,
                        int64_t since, int64_t until, int voided, int64_t cursor, int limit,
                        pj_jw *w, pj_err *err);
/* Voids a log entered by mistake: body {reason, version?}. The log stays, marked voided; its
 * credits are taken back by a reversing transaction, the elder's last visit (doctor visit)
 * recomputed from the logs left; one transaction with an audit row `void`. */
int pj_service_log_void(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* The account with its entries newest first by when they happened (then by id); cursor = the
 * last entry of the page before (400 bad_query when it is none of the account's). */
int pj_credit_account_get(pj_ctx *c, int64_t id, int64_t cursor, int limit, pj_jw *w, pj_err *err);
/* body {minutes, note} (redeem) or {minutes, to_account_id, relation, note} (transfer). */
int pj_credit_redeem(pj_ctx *c, int64_t account_id, json_t *body, pj_jw *w, pj_err *err);
int pj_credit_transfer(pj_ctx *c, int64_t account_id, json_t *body, pj_jw *w, pj_err *err);
/* The ledger's invariants: sum of balances, balances equal their entries, every transaction
 * balanced, no balance below the overdraft setting. {"ok":true,…}. District roles. */
int pj_credit_check(pj_ctx *c, pj_jw *w, pj_err *err);
/* The account of a helper or elder ("helper"/"elder"), created when missing; inside a
 * transaction. 0 on error. */
int64_t pj_credit_account_of(pj_ctx *c, const char *kind, int64_t owner_id, const char *name,
                             pj_err *err);

/* ---- alerts (elder_alerts.c) ---- */

/* Raises the alerts due at time `now` (missed meals, overdue visits, no family doctor,
 * helpers over capacity), resolves the open ones whose condition no longer holds, closes those
 * of elders no longer active, then escalates unacknowledged grid alerts to the township.
 * Idempotent. Writes {"raised":n,"escalated":n,"resolved":n,"closed":n,…}. District roles (and the
 * command line). `now` may lie up to PJ_ALERT_SCAN_BACK_DAYS in the past (catching up), not in the
 * future: else 422 on "at"; nor before the latest scan (on request or scheduled, recorded in
 * elder_alert_scan_state), whose work it would undo: else 409 invalid_state on "at". */
#define PJ_ALERT_SCAN_BACK_DAYS 31
int pj_alert_scan(pj_ctx *c, int64_t now, pj_jw *w, pj_err *err);
/* The server's scheduled scan, in slices so that its event loop never waits long: set
 * job->at (and zero the rest) to start a run, then call pj_alert_scan_slice until it returns 1
 * (0: more slices, -1: error, the run may be retried). Each slice covers max_elders elders in
 * its own transaction; a slice that raised, resolved, closed or escalated something writes one
 * audit row "scan" as the acting user (the server uses "system"); one that changed nothing
 * writes nothing (but the first records the run's time: see pj_alert_scan). Same rules and
 * dedupe keys as pj_alert_scan, so runs never duplicate alerts. */
#define PJ_EL_SCAN_COUNTS 7
typedef struct pj_alert_scan_job {
    int64_t at;      /* the run's time; 0 = no run in progress */
    int64_t next_id; /* first elder id of the next slice */
    /* raised: missed meals, overdue visits, no doctor, over capacity; escalated; resolved
     * (the condition no longer holds); closed (the elder is no longer active) */
    int counts[PJ_EL_SCAN_COUNTS];
    int slices;
} pj_alert_scan_job;
int pj_alert_scan_slice(pj_ctx *c, pj_alert_scan_job *job, int max_elders, pj_err *err);
/* When the next run is due: now + interval_s, or one second after the next meal cut-off
 * (elder_meal_cutoff_min local time) when that comes first. */
int64_t pj_alert_scan_next(pj_ctx *c, int64_t now, int interval_s);
/* elder_id: that elder's alerts only (0 = all in scope); as pj_pair_list's. */
int pj_alert_list(pj_ctx *c, const char *state, const char *kind, const char *level,
                  int64_t elder_id, int64_t cursor, int limit, pj_jw *w, pj_err *err);
/* action "ack" or "resolve"; body {note, version}. */
int pj_alert_action(pj_ctx *c, int64_t id, const char *action, json_t *body, pj_jw *w, pj_err *err);

/* ---- centres (elder_centres.c) ---- */
int pj_centre_list(pj_ctx *c, const char *kind, int64_t township_id, int64_t cursor, int limit,
                   pj_jw *w, pj_err *err);
int pj_centre_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_centre_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_centre_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* Removes a centre (officers in scope; 409 in_use while it has residents), audited. */
int pj_centre_delete(pj_ctx *c, int64_t id, pj_err *err);

/* ---- reports and the vulnerable list (elder_reports.c) ---- */

/* Coverage of the three needs, visits done vs due, alerts and helpers per group
 * ("grid", "village" or "township") within region_id (0 = the actor's scope) over
 * [since, until). JSON into w, or CSV into csv when csv is non-NULL. */
int pj_elder_coverage(pj_ctx *c, const char *group, int64_t region_id, int64_t since, int64_t until,
                      pj_jw *w, pj_buf *csv, pj_err *err);

/* The vulnerable: living alone, disabled or ability level ≥ 3, with their helper and grid
 * workers. JSON page (cursor/limit) into w, or the whole list as CSV into csv. */
int pj_vulnerable_list(pj_ctx *c, int64_t region_id, int reveal, int64_t cursor, int limit,
                       pj_jw *w, pj_buf *csv, pj_err *err);

/* For the planner: the vulnerable of a region (0 = district) as plain structs in c->arena.
 * Such people go only to sites with a medical role or barrier-free rooms. */
typedef struct pj_vulnerable {
    int64_t elder_id, grid_id, village_id, township_id, helper_id;
    double lat, lon;
    int ability_level, living_alone, disabled;
} pj_vulnerable;
int pj_vulnerable_collect(pj_ctx *c, int64_t region_id, pj_vulnerable **out, int *n, pj_err *err);

/* ---- demo (elder_demo.c) ---- */

/* Adds synthetic elders (≈ 99,000 unless $PINGJI_DEMO_ELDERS says otherwise), helpers (one
 * per five elders), centres, pairings (by the solver), a month of service logs with their
 * credits and some open alerts, all labelled source = 'synthetic'. Runs inside the demo's
 * transaction; does nothing when elders exist already. */
int pj_eldercare_demo(pj_ctx *c, uint64_t seed, pj_err *err);
/* Same with an explicit number of elders (0 = the default). */
int pj_eldercare_demo_sized(pj_ctx *c, uint64_t seed, int n_elders, pj_err *err);

#endif
