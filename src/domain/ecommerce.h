/* Livestream e-commerce 直播电商 (issue #8): the "1+5+N" bases (one village-streaming academy
 * HQ, five platforms, N village points) with their shared studios; a studio booking calendar
 * that never double-books (one row per studio × 30-minute slot under a primary key); the
 * "new farmer" streamers (personal data masked unless the role needs it, the age rule with a
 * guardian's consent for 16–17, anonymising delete); follower counts over time; live sessions,
 * local products with sales by month and channel; the zone's KPIs.
 *
 * Money in fen. Dates "YYYY-MM-DD", months "YYYY-MM", times UTC ISO-8601. Reads: every role
 * (personal data only for admin, district officers, the streamer's township officer when the
 * streamer's organisation, if any, is of that township too, and the streamer's own
 * organisation — the same rule as for writing the streamer and its sessions). Writes: admin,
 * district officers, township officers in their township, enterprise users for their own
 * organisation's bookings and streamers. A streamer of an organisation is in its township. */
#ifndef PJ_ECOMMERCE_H
#define PJ_ECOMMERCE_H

#include <stdint.h>

#include "domain/ctx.h"

#define PJ_EC_SLOT_S    1800 /* a booking covers whole 30-minute slots */
#define PJ_EC_MAX_SLOTS 48

extern const char *const pj_ec_tiers[];      /* hq, platform, village */
extern const char *const pj_ec_platforms[];  /* douyin, kuaishou, … */
extern const char *const pj_ec_categories[]; /* peach, eggs, farming, culture_tourism, … */
extern const char *const pj_ec_kpi_bys[];    /* month (GET /ecommerce/kpi?by=) */
extern const char *const pj_ec_channels[];   /* livestream, ecommerce, offline, … */

/* Age in whole years on day `today` (days since 1970) of a person born y-m-d. */
int pj_ec_age(int by, int bm, int bd, int64_t today);
/* The age rule: 0 ok; -1 with err (422) when younger than 16, or 16–17 without a guardian's
 * consent (name, relation, date no later than today). birth and consent are "YYYY-MM-DD". */
int pj_ec_age_rule(const char *birth, const char *guardian_name, const char *guardian_relation,
                   const char *consent_date, int64_t today, pj_err *err);
/* Resident ID number (GB 11643): 18 characters, check digit. 1 valid, 0 not. */
int pj_ec_id_number_valid(const char *s);

typedef struct pj_ec_filter {
    int64_t base_id, studio_id, streamer_id, organisation_id, township_id;
    const char *tier, *from, *to, *category, *channel, *platform;
    /* the academy */
    int64_t course_id, cohort_id, post_id, zone_enterprise_id;
    const char *state, *kind, *as_of;
    const char *q;   /* streamers: part of the name */
    int id_shared;   /* streamers: only live ones whose ID number another live one holds too */
    int or_unsigned; /* streamers: organisation_id's and those of no organisation, live ones */
    int writable;    /* streamers: only the live ones the caller may write (ec_streamer_scope) */
    int enrolable;   /* streamers: only the live ones the caller may enrol (the enrolment's rule) */
    int64_t cursor;
    int limit;
} pj_ec_filter;

/* bases and studios */
int pj_ec_base_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err);
int pj_ec_base_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
/* {name, tier, township_id?, organisation_id?, facility_id?} */
int pj_ec_base_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
/* {name}: a shared studio of base id */
int pj_ec_studio_create(pj_ctx *c, int64_t base_id, json_t *body, pj_jw *w, pj_err *err);
int pj_ec_studio_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err);

/* bookings: {studio_id, starts_at, ends_at, organisation_id?, streamer_id?, purpose?}; times
 * on 30-minute boundaries, at most 24 hours; 409 studio_booked when any slot is taken. */
int pj_ec_booking_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_ec_booking_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
/* Filters studio_id, organisation_id, from, to (ISO times); cancelled ones excluded. */
int pj_ec_booking_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err);
/* Cancels: frees its slots, keeps the row (state cancelled). */
int pj_ec_booking_cancel(pj_ctx *c, int64_t id, pj_err *err);

/* streamers: {name, id_number?, phone?, birth_date (the ID number's when absent; must agree
 * with it), guardian_name?, guardian_relation?, guardian_consent_date?, skill_level 1..5,
 * organisation_id?, township_id? (the organisation's), base_id?, categories?:[…] (each once)};
 * 409 at id_number when a live streamer holds the number */
int pj_ec_streamer_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_ec_streamer_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_ec_streamer_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err);
/* PATCH {version, and any of the create fields}: a field left out keeps its value, an optional
 * one given as null is cleared; the same checks as create on the result (age rule, scope over
 * the old and the new township and organisation); 409 version_conflict, 409 on a deleted one. */
int pj_ec_streamer_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* An organisation moved to township township_id: its live streamers, whose township is by rule
 * the organisation's, follow it (version + 1, an audit row `update` / `ec_streamer` each); to no
 * township (0), they keep theirs. Inside the caller's transaction. */
int pj_ec_org_moved(pj_ctx *c, int64_t org_id, int64_t township_id, pj_err *err);
/* Anonymises: name, ID number, phone, birth date and guardian replaced; sessions kept. */
int pj_ec_streamer_delete(pj_ctx *c, int64_t id, pj_err *err);
/* {platform, as_of, followers} */
int pj_ec_followers_add(pj_ctx *c, int64_t streamer_id, json_t *body, pj_jw *w, pj_err *err);
/* Corrects the count recorded for a platform and date: {version (the streamer's), followers};
 * the writers and scope of pj_ec_followers_add; 404 not_found at as_of when there is no such
 * count, 409 version_conflict. Answers the streamer; audited `followers_update` (nothing
 * written when the count is the same). */
int pj_ec_followers_update(pj_ctx *c, int64_t streamer_id, const char *platform, const char *as_of,
                           json_t *body, pj_jw *w, pj_err *err);
/* Deletes the count recorded for a platform and date (as pj_ec_followers_update, without a
 * body); audited `followers_delete`. */
int pj_ec_followers_delete(pj_ctx *c, int64_t streamer_id, const char *platform, const char *as_of,
                           pj_err *err);

/* sessions: {streamer_id, studio_id?, platform, date, duration_min, orders, gmv_fen,
 * product_ids?:[…]}; the date from the streamer's 16th birthday to today; gmv_fen > 0 needs
 * orders > 0 */
int pj_ec_session_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_ec_session_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err);
int pj_ec_session_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
/* PATCH {version, and any of the create fields but streamer_id}: the same rules as create (a
 * date not in the future nor before the streamer's 16th birthday, GMV only with orders);
 * product_ids replaces the list. 409 version_conflict; 409 invalid_state when the streamer was
 * deleted; 409 session_counted when the date or duration of a session counted as practical
 * training would change. */
int pj_ec_session_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* Deletes a session (audited; the KPIs follow): 409 invalid_state when the streamer was
 * deleted, 409 session_counted when it counts as practical training. */
int pj_ec_session_delete(pj_ctx *c, int64_t id, pj_err *err);
/* products: {name, category, township_id?} */
int pj_ec_product_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_ec_product_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err);
/* The first month sales are recorded for (an earlier one is 422 invalid_value at month). */
#define PJ_EC_SALES_FIRST_MONTH "2000-01"
/* {month, channel, orders, gmv_fen}: month from PJ_EC_SALES_FIRST_MONTH to the current one;
 * gmv_fen > 0 needs orders > 0. The audit row's after holds the product and the `sale`. */
int pj_ec_sales_add(pj_ctx *c, int64_t product_id, json_t *body, pj_jw *w, pj_err *err);
/* Corrects the sales of a month on a channel: {version (the product's), orders?, gmv_fen?}
 * (a field left out keeps its value; the rules of pj_ec_sales_add on the result), the
 * writers and scope of pj_ec_sales_add; 404 when no such row, 409 invalid_state for a
 * livestream row (a product's livestream sales are its sessions'), 409 version_conflict.
 * Answers the product; audited `sales_update` with the sale in before.sale and after.sale. */
int pj_ec_sales_update(pj_ctx *c, int64_t product_id, const char *month, const char *channel,
                       json_t *body, pj_jw *w, pj_err *err);
/* Deletes the sales of a month on a channel (as pj_ec_sales_update, without a body); audited
 * `sales_delete` with the sale in before.sale. */
int pj_ec_sales_delete(pj_ctx *c, int64_t product_id, const char *month, const char *channel,
                       pj_err *err);
/* Monthly sales of a product by channel (from/to months). */
int pj_ec_sales_list(pj_ctx *c, int64_t product_id, const pj_ec_filter *f, pj_jw *w, pj_err *err);
/* {sessions, orders, gmv_fen, streamers, streamers_active, avg_followers, zone_enterprises,
 * bases:{…}, studios, …} over sessions in [from, to] (dates, optional). */
int pj_ec_kpi(pj_ctx *c, const char *from, const char *to, pj_jw *w, pj_err *err);
/* pj_ec_kpi; with by = "month" also `months`: [{month, sessions, orders, gmv_fen, hours}] of
 * the same sessions by calendar month, oldest first (their sums are the totals). by NULL: none;
 * another value is 400 bad_query at by. */
int pj_ec_kpi_by(pj_ctx *c, const char *from, const char *to, const char *by, pj_jw *w,
                 pj_err *err);
/* The registers' counts now, as the KPIs without a period give them: the zone's enterprises
 * settled and the streamers on the register (not deleted); either pointer may be NULL (not
 * counted). For the KPIs and the district dashboard. */
int pj_ec_register_counts(pj_ctx *c, int64_t *zone_settled, int64_t *streamers, pj_err *err);

/* The seed's figures (source 'seed': 1+5 bases, 40 studios at the 供销 park, 140 streamers
 * averaging 10,000 followers, 284 zone enterprises) with synthetic detail labelled
 * 'synthetic', in its own transaction. Idempotent. Needs the demo district's regions. */
int pj_ecommerce_demo(pj_ctx *c, uint64_t seed, pj_err *err);

/* ---- the village-streamer academy 村播学院 (入学即入岗、实训即实战、毕业即就业) ----
 * Courses (level 5..1 of the internet-marketer standard), cohorts at the academy HQ or a
 * village point (planned → open → running → graduated), job posts at settled zone enterprises,
 * enrolments each tied to a post at enrolment, practical training counted from the streamer's
 * own live sessions, graduation once the course's practice hours are met, placement. Reads of
 * enrolments: admin, district officers, viewers; a township officer those of their township's
 * bases or streamers; an enterprise user only those tied to its own posts. */
extern const char *const pj_ac_course_categories[];
extern const char *const pj_ac_cohort_states[]; /* planned, open, running, graduated */
extern const char *const pj_ac_kinds[];         /* zone enterprise kinds */
extern const char *const pj_ac_post_states[];   /* open, closed */
extern const char *const pj_ac_enrol_states[];  /* enrolled, graduated, placed, withdrawn */

/* zone enterprises: {name, kind, organisation_id?, base_id?, settled_on?} */
int pj_ec_zone_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err);
int pj_ec_zone_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_ec_zone_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
/* {version, settled_on?, base_id?, organisation_id?} */
int pj_ec_zone_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* Deletes one nothing refers to (409 in_use naming its posts, enrolments placed there…) */
int pj_ec_zone_delete(pj_ctx *c, int64_t id, pj_err *err);

/* courses: {title, category, hours, level 1..5, practice_hours} */
int pj_ac_course_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err);
int pj_ac_course_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_ac_course_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
int pj_ac_course_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* Deletes one entered by mistake: 409 in_use while cohorts are of it */
int pj_ac_course_delete(pj_ctx *c, int64_t id, pj_err *err);
/* cohorts: {course_id, base_id (hq or village tier), name, starts_on, ends_on, capacity} */
int pj_ac_cohort_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err);
int pj_ac_cohort_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_ac_cohort_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
/* {version, name?, starts_on?, ends_on?, capacity?} (capacity not below those enrolled) */
int pj_ac_cohort_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* Deletes one without enrolments (409 in_use names them: withdrawn ones stay on record) */
int pj_ac_cohort_delete(pj_ctx *c, int64_t id, pj_err *err);
/* {state, version}: planned → open → running → graduated; else 409 invalid_transition */
int pj_ac_cohort_transition(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* job posts: {zone_enterprise_id, title, openings} */
int pj_ac_post_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err);
int pj_ac_post_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_ac_post_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
/* {version, title?, openings?, state? open|closed} */
int pj_ac_post_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* Deletes one no enrolment took (409 in_use; close it instead); an enterprise its own */
int pj_ac_post_delete(pj_ctx *c, int64_t id, pj_err *err);

/* enrolments: {cohort_id, streamer_id, post_id, enrolled_on?}; 409 cohort_full / post_full */
int pj_ac_enrolment_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err);
int pj_ac_enrolment_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
int pj_ac_enrolment_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err);
/* {session_id}: one of the streamer's live sessions on or after enrolment */
int pj_ac_practice_add(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* {version, graduated_on?}: needs the course's practice hours */
int pj_ac_graduate(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* {version, placed_on, at: post|elsewhere, zone_enterprise_id?, employer?} */
int pj_ac_place(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* {version}: frees the cohort place and the post */
int pj_ac_withdraw(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err);
/* An enrolment entered by mistake, deleted: enrolled (its cohort place and post freed) or
 * withdrawn; 409 invalid_state when graduated or placed (the training's record is kept), 409
 * in_use when practice records refer to it. One audited write (the streamer masked). */
int pj_ac_enrolment_delete(pj_ctx *c, int64_t id, pj_err *err);
/* Placement rate, median days from graduation to first sale, share of graduates still
 * streaming 6 months after graduation — per cohort and overall, as of f->as_of (a date, today
 * when NULL); f->cohort_id narrows to one cohort. */
int pj_ac_kpi(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err);
/* 6 calendar months after day (days since 1970), the day clamped to the month's end. */
int64_t pj_ac_plus_6_months(int64_t day);

/* The academy demo (synthetic, labelled): courses, cohorts at the HQ and village points, posts
 * at settled zone enterprises, enrolments of the 140 new-farmer streamers' first cohorts.
 * Needs pj_ecommerce_demo first. Idempotent; own transaction. */
int pj_academy_demo(pj_ctx *c, uint64_t seed, pj_err *err);

#endif
