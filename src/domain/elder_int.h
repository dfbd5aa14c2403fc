/* Internal helpers shared by the eldercare files (src/domain/elder*.c). */
#ifndef PJ_ELDER_INT_H
#define PJ_ELDER_INT_H

#include "domain/elder.h"
#include "domain/render.h"
#include "domain/rows.h"

/* Where a grid is: its village, township and centre point. 422 unknown_id on `field` when
 * grid_id is not a grid. */
typedef struct pj_el_place {
    int64_t grid_id, village_id, township_id;
    double lat, lon;
} pj_el_place;
int pj_el_grid_place(pj_ctx *c, int64_t grid_id, const char *field, pj_el_place *p, pj_err *err);
/* Where a person of the registers (an elder, a helper) is: grid from the body (0: unchanged)
 * and lat/lon from it (NAN: not given), both or neither. A new grid fills place and, without
 * coordinates, puts the person at the grid's centre; coordinates go to at_lat and at_lon.
 * 422 when the person ends up with no location. */
int pj_el_locate(pj_ctx *c, int64_t grid, double lat, double lon, pj_el_place *place,
                 double *at_lat, double *at_lon, pj_err *err);

/* 403 unless the actor may see personal records at all (admin, district and township
 * officers, grid workers). */
int pj_el_require_personal(pj_ctx *c, pj_err *err);
/* 1 when the actor's scope covers a record in grid_id / township_id. */
int pj_el_in_scope(pj_ctx *c, int64_t grid_id, int64_t township_id, pj_err *err);
/* 403 unless in scope (also the role check). */
int pj_el_scope_check(pj_ctx *c, int64_t grid_id, int64_t township_id, pj_err *err);
/* 403 unless the actor is an officer (admin, district, township) with township in scope. */
int pj_el_officer_check(pj_ctx *c, int64_t township_id, pj_err *err);
/* SQL condition restricting `alias` (a table with grid_id and township_id columns) to the
 * actor's scope, starting with " AND"; "" for district roles. Bind with pj_el_scope_bind. */
const char *pj_el_scope_sql(pj_ctx *c, const char *alias);
void pj_el_scope_bind(pj_ctx *c, pj_stmt *s, int *idx);
/* SQL condition " AND (alias.grid_id = ? OR alias.village_id = ? OR alias.township_id = ?)"
 * for a region filter; "" when region_id is 0. Bind with pj_el_region_bind. */
const char *pj_el_region_sql(pj_ctx *c, int64_t region_id, const char *alias);
void pj_el_region_bind(pj_stmt *s, int64_t region_id, int *idx);
/* 422 unknown_id unless *region_id is a region (0 passes); 403 forbidden when a scoped
 * caller names a region outside their scope. Fills *township (0 for the district) and sets
 * *region_id to 0 for the district (no filter). */
int pj_el_region_check(pj_ctx *c, int64_t *region_id, const char *field, int64_t *township,
                       pj_err *err);
/* A list's filter naming an elder or helper (what = "elder" | "helper") by id in `field`
 * (elder_id, helper_id), as pj_el_region_check judges a region: 422 unknown_id when there is no
 * such record, 403 forbidden on field when it is outside the caller's scope (the list of their
 * scope filtered by it would be empty, read as "nothing there"). 0 passes; so do district
 * roles, for any record. */
int pj_el_filter_check(pj_ctx *c, const char *what, int64_t id, const char *field, pj_err *err);

double pj_el_setting(pj_ctx *c, const char *key, double def);
/* One integer from sql with one id parameter; def when no row. -1 with err on failure. */
int pj_el_int(pj_ctx *c, const char *sql, int64_t id, int64_t def, int64_t *out, pj_err *err);
/* Grid and township of an elder or helper (what = "elder" | "helper"); 404 when unknown. */
int pj_el_scope_of(pj_ctx *c, const char *what, int64_t id, int64_t *grid, int64_t *town,
                   pj_err *err);
/* The registers of persons (what = "elder" | "helper"), the same rules for both:
 * GET: personal records' roles, the record in scope, then render (reveal: render_revealed,
 * which audits, in a transaction, the record shown only once the audit row is written). */
int pj_el_get(pj_ctx *c, const char *what, int64_t id, int reveal, pj_render_fn render,
              pj_render_fn render_revealed, pj_jw *w, pj_err *err);
/* Before a create: personal records' roles, an object of known fields, no "version". */
int pj_el_create_check(pj_ctx *c, json_t *body, const char *const *fields, pj_err *err);
/* Before an update: the same, the version required (*version), null only for the keys in
 * nullable (pj_in_no_null), the record in scope (its grid in *grid). */
int pj_el_update_check(pj_ctx *c, const char *what, int64_t id, json_t *body,
                       const char *const *fields, const char *const *nullable, int64_t *version,
                       int64_t *grid, pj_err *err);
/* The grid a body names (a new elder's or helper's): 422 unknown_id on grid_id unless in scope,
 * as a grid that does not exist (403 is for a record the path names). */
int pj_el_grid_check(pj_ctx *c, const pj_el_place *place, pj_err *err);
/* A person moved off grid `grid` (place->grid_id differs): the new grid as pj_el_grid_check. */
int pj_el_move_check(pj_ctx *c, int64_t grid, const pj_el_place *place, pj_err *err);

/* "YYYY-MM-DD" → day number since the epoch; -1 when malformed. */
int64_t pj_el_day(const char *date);
/* Today's day number (UTC+tz offset setting applied to now). */
int64_t pj_el_today(pj_ctx *c, int64_t now);
/* Writes "YYYY-MM-DD" for a day number into out (11 bytes). */
void pj_el_date(int64_t day, char out[11]);
/* Whole years between birth date and day `today`. */
int pj_el_age(const char *birth, int64_t today);
/* Date field: valid "YYYY-MM-DD"; not after today when past_only. Returns like pj_in_str. */
int pj_el_in_date(json_t *o, const char *key, int required, int past_only, int64_t today,
                  const char **out, pj_err *err);
/* Skills array → mask (422 on unknown names); returns like pj_in_*. */
int pj_el_in_skills(json_t *o, const char *key, int required, int *mask, pj_err *err);
void pj_el_skills_write(pj_jw *w, const char *key, int mask);
/* A mask of skills as the pairing's reasons name them, "companionship+meals" (in the arena). */
const char *pj_el_skills_text(pj_ctx *c, int mask);
/* The reason of a proposed pair, in the words the console recognises and translates
 * (pairReason in web/src/utils/eldercare.js): "互助员12: 350 m away, same village; has
 * companionship+meals; choice 1 of 5 helpers within 2.0 km". sex_pref 'F', 'M' or 0. */
void pj_el_pair_reason(char *out, size_t size, const char *helper, int64_t distance_m, int same,
                       const char *skills, char sex_pref, int rank, int candidates,
                       const char *walk_km);
/* Personal fields: name, sex, birth date, ID number (checked against birth date and sex),
 * phone. min_age/max_age bound the age (0 = none). */
typedef struct pj_el_person {
    const char *name, *sex, *birth_date, *id_number, *phone;
} pj_el_person;
int pj_el_in_person(pj_ctx *c, json_t *b, int required, pj_el_person *p, int min_age, pj_err *err);
/* Text column col copied into the arena; NULL for NULL. */
const char *pj_el_dup(pj_ctx *c, pj_stmt *s, int col);
/* The personal fields as the registers store them: read from columns 0-4 (name, sex,
 * birth_date, id_number, phone), bound from *idx on (no phone binds ""). */
void pj_el_person_cols(pj_ctx *c, pj_stmt *s, pj_el_person *p);
void pj_el_person_bind(pj_stmt *s, const pj_el_person *p, int *idx);
/* The number masked unless reveal: 110117************ (pj_mask_id), 138****1234. */
const char *pj_el_mask_id(pj_ctx *c, const char *s, int reveal);
const char *pj_el_mask_phone(pj_ctx *c, const char *s, int reveal);
/* Audits an unmasked read (one row per record); its own transaction when none is open. None
 * for an answer that is not sent (c->unsent: a HEAD). */
int pj_el_audit_reveal(pj_ctx *c, const char *entity, int64_t id, pj_err *err);
/* After the write's rollback, its id_number taken by another elder (what = "elder") or helper:
 * an "id_clash" audit row on the record holding the number, its after_json {"tried_from": the
 * record of the same register the number was tried on, null for a registration}, no number, in its
 * own transaction; then 409 conflict, the same words whoever holds the number. Always -1. */
int pj_el_id_clash(pj_ctx *c, const char *what, int64_t from_id, const char *id_number,
                   pj_err *err);
/* 403 unless the actor may reveal (same roles as personal). */
int pj_el_reveal_check(pj_ctx *c, pj_err *err);
/* The alert rules at `now` inside the caller's transaction; counts (PJ_EL_SCAN_COUNTS, as in
 * pj_alert_scan_job): missed meals, overdue visits, no doctor, helpers over capacity,
 * escalated, resolved, closed. */
int pj_el_alert_scan_tx(pj_ctx *c, int64_t now, int counts[PJ_EL_SCAN_COUNTS], pj_err *err);
/* The same for the elders with ids in [lo, hi]; helpers and escalation only when `others`. */
int pj_el_alert_scan_part(pj_ctx *c, int64_t now, int64_t lo, int64_t hi, int others,
                          int counts[PJ_EL_SCAN_COUNTS], pj_err *err);
/* Pairs elder eid with helper hid from start (YYYY-MM-DD) inside the caller's transaction, as a
 * pair by hand: the helper in the caller's scope, active, of the elder's township, with the
 * skills, the sex preferred and a place left; start not before either's registration nor the
 * end of the elder's last pair; reason NULL or "" for "paired by USER; N m away". The pair's
 * id, or 0 with err (422/409 at the field; 409 already_paired when the elder has a pair). */
int64_t pj_el_pair_add(pj_ctx *c, int64_t eid, int64_t hid, const char *start, const char *reason,
                       pj_err *err);
/* Answers the pairing requests still pending of an elder or naming a helper (who = "elder" |
 * "helper") inside the caller's transaction: declined with decision_note `note` — "paired
 * otherwise" when a pair (pair_id) was made for the elder, else the note that ended their pairs
 * ("deceased", "moved", "moved township", "helper inactive"; pair_id 0) — one audit row
 * "decline" each. 0, or -1 with err. */
int pj_el_pair_requests_close(pj_ctx *c, const char *who, int64_t id, const char *note,
                              int64_t pair_id, pj_err *err);
/* A pair as GET /api/v1/pairs answers it (and its audit rows keep it). */
int pj_el_pair_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err);
/* The checks of pj_el_pair_add on the helper (not the date): 0, or -1 with err. */
int pj_el_pair_check(pj_ctx *c, int64_t eid, int64_t hid, pj_err *err);
/* Ends the active pairs of an elder or a helper (who = "elder" | "helper") as of today with
 * ended_note `note`, one audit row "end" / "pair" each; inside the caller's transaction. An
 * elder no longer active, a helper deactivated: their elders can be paired again. */
int pj_el_pairs_end(pj_ctx *c, const char *who, int64_t id, const char *note, pj_err *err);
/* pj_el_pairs_end, *ended set to how many pairs it ended (0 when there were none). */
int pj_el_pairs_end_n(pj_ctx *c, const char *who, int64_t id, const char *note, int *ended,
                      pj_err *err);
/* After an update of a helper (who = "helper": skills, sex) or an elder ("elder": help_needed,
 * helper_sex_pref), in its transaction: its active pairs must still be ones pairing would make —
 * the helper has every skill the elder needs and is of the sex the elder prefers. Else 409
 * `conflict` on `field` (the skill or sex field the request changed), naming what no longer
 * fits: the pair is ended first, or the change left out. 0, or -1 with err. */
int pj_el_pairs_fit(pj_ctx *c, const char *who, int64_t id, const char *field, pj_err *err);
/* The same as of day `day` (an elder who died or moved away on an earlier day): a pair begun
 * after it ends on its start day. */
int pj_el_pairs_end_on(pj_ctx *c, const char *who, int64_t id, const char *note, int64_t day,
                       pj_err *err);
/* The active helper records of elder `elder_id` (低龄助高龄: linked by elder_id, anywhere; or
 * unlinked with the elder's ID number, in the caller's scope only — one elsewhere is the
 * district office's to settle) set inactive as a helper update to active false does — their
 * active pairs ended with ended_note "helper inactive" — one audit row "update" / "helper"
 * each; inside the caller's transaction. For an elder who died or moved away: the person helps
 * no more here; the pairs end on day `day`, the day the elder left (pj_el_pairs_end_on).
 * *shown (arena), *n_shown: the records stopped that the caller may open. */
int pj_el_helpers_of_elder_stop(pj_ctx *c, int64_t elder_id, int64_t day, int64_t **shown,
                                int *n_shown, pj_err *err);
/* After elder `elder_id`'s ID number was changed from `old_idn` (its row updated, inside the
 * caller's transaction): the helper records linked to it with that number (低龄助高龄, the same
 * person, wherever they are) take the elder's new number, birth date and sex, version + 1, one
 * audit row "update" / "helper" each (masked). -1 on an error; when another helper record holds
 * the new number, *tried is the linked helper that could not take it (err the 409 of the
 * register's uniqueness), 0 otherwise. */
int pj_el_helpers_follow_number(pj_ctx *c, int64_t elder_id, const char *old_idn, int64_t *tried,
                                pj_err *err);
/* After pj_el_helpers_of_elder_stop for elder `elder_id` who left the register (status "moved"
 * or "deceased") on day `day`: each helper record of the elder's ID number still active —
 * unlinked and outside the caller's scope, or linked to another elder record (its own record,
 * still on the register: not stopped by another's departure, wherever it is) — gets a
 * helper_id_departed alert at its own grid and township (the district office, that township and
 * grid read it; a caller outside them is told nothing), with one audit row "create" /
 * "elder_alert"; once per helper, elder and day; inside the caller's transaction. */
int pj_el_alert_id_departed(pj_ctx *c, int64_t elder_id, const char *status, int64_t day,
                            pj_err *err);
/* The open and acknowledged alerts of an elder or a helper (who = "elder" | "helper") who moved
 * go with them to their grid and township now (the grid worker and township now responsible
 * see and settle them; the former ones no longer do), one audit row "update" / "elder_alert"
 * each; inside the caller's transaction. */
int pj_el_alerts_follow(pj_ctx *c, const char *who, int64_t id, int64_t grid, int64_t town,
                        pj_err *err);
/* visit interval in days for a tier (settings). */
int pj_el_visit_days(pj_ctx *c, const char *tier);

#endif
