/* E-commerce: the academy's enrolments — each tied to a job post at a settled zone enterprise
 * when it is made (入学即入岗), practical training counted from the streamer's own live
 * sessions (实训即实战), graduation once the course's practice hours are met, placement
 * (毕业即就业). A cohort's capacity and a post's openings are taken by one conditional UPDATE
 * inside the enrolment's transaction, so concurrent enrolments never exceed them. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/refs.h"
#include "domain/ecommerce_int.h"
#include "domain/input.h"
#include "domain/render.h"

#include "db/next_id.h"
#include "core/banned.h"

const char *const pj_ac_enrol_states[] = {"enrolled", "graduated", "placed", "withdrawn", NULL};
static const char *const place_ats[] = {"post", "elsewhere", NULL};

/* Everything the rules of one enrolment need. */
typedef struct enrol_row {
    int64_t cohort_id, streamer_id, post_id, zone_id, zone_org, base_town, streamer_town;
    int64_t practice_min, required_min, enrol_day, grad_day, start_day, end_day;
    int64_t last_practice_day; /* the latest counted session's day; INT64_MIN without one */
    char state[16], cohort_state[16], starts[11], ends[11], last_practice[11];
} enrol_row;

static int enrol_load(pj_ctx *c, int64_t id, enrol_row *r, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT e.cohort_id, e.streamer_id, e.post_id, p.zone_enterprise_id,"
        " COALESCE(z.organisation_id, 0), COALESCE(b.township_id, 0), COALESCE(x.township_id,"
        " 0), (SELECT COALESCE(SUM(minutes), 0) FROM ac_practice a WHERE a.enrolment_id = e.id),"
        " k.practice_hours * 60, e.enrolled_on, e.graduated_on, e.state, h.state, h.starts_on,"
        " h.ends_on, (SELECT MAX(v.day) FROM ac_practice a JOIN ec_sessions v ON v.id ="
        " a.session_id WHERE a.enrolment_id = e.id) FROM"
        " ac_enrolments e JOIN ac_cohorts h ON h.id = e.cohort_id JOIN ac_courses k ON k.id ="
        " h.course_id JOIN ec_bases b ON b.id = h.base_id JOIN ec_streamers x ON x.id ="
        " e.streamer_id JOIN ac_posts p ON p.id = e.post_id JOIN ec_zone_enterprises z ON z.id ="
        " p.zone_enterprise_id WHERE e.id = ?",
        err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        r->cohort_id = pj_col_int(s, 0);
        r->streamer_id = pj_col_int(s, 1);
        r->post_id = pj_col_int(s, 2);
        r->zone_id = pj_col_int(s, 3);
        r->zone_org = pj_col_int(s, 4);
        r->base_town = pj_col_int(s, 5);
        r->streamer_town = pj_col_int(s, 6);
        r->practice_min = pj_col_int(s, 7);
        r->required_min = pj_col_int(s, 8);
        r->grad_day = 0;
        if (ec_date(pj_col_text(s, 9), &r->enrol_day, NULL, NULL, NULL)) r->enrol_day = 0;
        if (!pj_col_is_null(s, 10) && ec_date(pj_col_text(s, 10), &r->grad_day, NULL, NULL, NULL))
            r->grad_day = 0;
        snprintf(r->state, sizeof r->state, "%s", pj_col_text(s, 11));
        snprintf(r->cohort_state, sizeof r->cohort_state, "%s", pj_col_text(s, 12));
        snprintf(r->starts, sizeof r->starts, "%s", pj_col_text(s, 13));
        snprintf(r->ends, sizeof r->ends, "%s", pj_col_text(s, 14));
        if (ec_date(r->starts, &r->start_day, NULL, NULL, NULL)) r->start_day = 0;
        if (ec_date(r->ends, &r->end_day, NULL, NULL, NULL)) r->end_day = INT64_MAX;
        snprintf(r->last_practice, sizeof r->last_practice, "%s",
                 pj_col_is_null(s, 15) ? "" : pj_col_text(s, 15));
        if (ec_date(r->last_practice, &r->last_practice_day, NULL, NULL, NULL))
            r->last_practice_day = INT64_MIN;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "enrolment", id);
    return 0;
}

/* Who sees an enrolment: the district and viewers all; a township officer those taught at
 * their township's bases or of their township's streamers; an enterprise those on its posts. */
static int enrol_visible(const pj_ctx *c, const enrol_row *r)
{
    switch (c->actor.role) {
    case PJ_ROLE_ADMIN:
    case PJ_ROLE_DISTRICT_OFFICER:
    case PJ_ROLE_VIEWER:
        return 1;
    case PJ_ROLE_TOWNSHIP_OFFICER:
        return c->actor.township_id &&
               (r->base_town == c->actor.township_id || r->streamer_town == c->actor.township_id);
    case PJ_ROLE_ENTERPRISE:
        return c->actor.organisation_id && r->zone_org == c->actor.organisation_id;
    default:
        return 0;
    }
}

/* Writes on an enrolment: the academy (admin, district officers, the township officer of the
 * cohort's base) and, unless academy_only, the enterprise of the post. Out of sight is 404. */
static int enrol_writer(pj_ctx *c, int64_t id, const enrol_row *r, int academy_only, pj_err *err)
{
    if (!enrol_visible(c, r) && c->actor.role != PJ_ROLE_NONE)
        return pj_not_found(err, "enrolment", id);
    switch (c->actor.role) {
    case PJ_ROLE_ADMIN:
    case PJ_ROLE_DISTRICT_OFFICER:
        return 0;
    case PJ_ROLE_TOWNSHIP_OFFICER:
        if (r->base_town == c->actor.township_id) return 0;
        return pj_fail(err, 403, "forbidden", "", "the cohort is taught outside your township");
    case PJ_ROLE_ENTERPRISE:
        if (!academy_only) return 0;
        return pj_fail(err, 403, "forbidden", "", "the academy graduates its students");
    default:
        return pj_fail(err, 403, "forbidden", "", "your role may not do this");
    }
}

/* masked: the audit row's snapshot, the streamer's name masked (audit rows are never changed:
 * the name would outlive the streamer's anonymising) */
static int enrol_render_mode(pj_ctx *c, int64_t id, pj_jw *w, int masked, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(
        c,
        "SELECT e.id, e.cohort_id, h.name, h.course_id, k.title, e.streamer_id, x.name,"
        " x.anonymised, e.post_id, p.title, p.zone_enterprise_id, z.name, e.enrolled_on, e.state,"
        " (SELECT COALESCE(SUM(minutes), 0) FROM ac_practice a WHERE a.enrolment_id = e.id),"
        " k.practice_hours, e.graduated_on, e.placed_on, e.placed_at,"
        " e.placed_zone_enterprise_id, e.placed_employer, e.source, e.created_at, e.created_by,"
        " e.updated_at, e.version, h.state, (SELECT COUNT(*) FROM ac_practice a WHERE"
        " a.enrolment_id = e.id), " PJ_SQL_BY_NAME_OF "e.created_by" PJ_SQL_BY_NAME_END
        " FROM ac_enrolments e JOIN ac_cohorts h ON h.id = e.cohort_id"
        " JOIN ac_courses k ON k.id = h.course_id JOIN ec_streamers x ON x.id = e.streamer_id"
        " JOIN ac_posts p ON p.id = e.post_id JOIN ec_zone_enterprises z ON z.id ="
        " p.zone_enterprise_id WHERE e.id = ?",
        id, "enrolment", err);
    if (!s) return -1;
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    pj_jw_kint(w, "cohort_id", pj_col_int(s, 1));
    pj_render_text(w, "cohort", s, 2);
    pj_render_text(w, "cohort_state", s, 26);
    pj_jw_kint(w, "course_id", pj_col_int(s, 3));
    pj_render_text(w, "course", s, 4);
    pj_jw_kint(w, "streamer_id", pj_col_int(s, 5));
    if (masked && !pj_col_int(s, 7))
        pj_jw_kstr(w, "streamer", pj_mask_name(c->arena, pj_col_text(s, 6)));
    else
        pj_render_text(w, "streamer", s, 6);
    pj_jw_kbool(w, "streamer_anonymised", (int)pj_col_int(s, 7));
    pj_jw_kint(w, "post_id", pj_col_int(s, 8));
    pj_render_text(w, "post", s, 9);
    pj_jw_kint(w, "zone_enterprise_id", pj_col_int(s, 10));
    pj_render_text(w, "zone_enterprise", s, 11);
    pj_render_text(w, "enrolled_on", s, 12);
    pj_render_text(w, "state", s, 13);
    pj_jw_kint(w, "practice_sessions", pj_col_int(s, 27));
    pj_jw_kint(w, "practice_minutes", pj_col_int(s, 14));
    pj_jw_kint(w, "practice_hours_required", pj_col_int(s, 15));
    pj_render_text(w, "graduated_on", s, 16);
    pj_render_text(w, "placed_on", s, 17);
    pj_render_text(w, "placed_at", s, 18);
    pj_render_ref(w, "placed_zone_enterprise_id", s, 19);
    pj_render_text(w, "placed_employer", s, 20);
    pj_render_text(w, "source", s, 21);
    pj_render_time(w, "created_at", pj_col_int(s, 22));
    pj_render_by(w, "created_by", s, 23, 28);
    pj_render_time(w, "updated_at", pj_col_int(s, 24));
    pj_jw_kint(w, "version", pj_col_int(s, 25));
    pj_jw_obj_end(w);
    pj_stmt_done(s);
    return 0;
}

static int enrol_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return enrol_render_mode(c, id, w, 0, err);
}

static int enrol_render_masked(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return enrol_render_mode(c, id, w, 1, err);
}

int pj_ac_enrolment_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    enrol_row r;
    int started = pj_db_read_begin(c->db);
    int rc = enrol_load(c, id, &r, err);
    if (!rc && !enrol_visible(c, &r)) rc = pj_not_found(err, "enrolment", id);
    if (!rc) rc = enrol_render(c, id, w, err);
    pj_db_read_end(c->db, started);
    return rc;
}

int pj_ac_enrolment_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err)
{
    if (pj_q_enum("state", f->state, pj_ac_enrol_states, err)) return -1;
    /* the scope is part of the query: an enterprise's own posts, a township's bases/streamers */
    int64_t org = 0, town = 0;
    if (c->actor.role == PJ_ROLE_ENTERPRISE)
        org = c->actor.organisation_id ? c->actor.organisation_id : -1;
    else if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER)
        town = c->actor.township_id ? c->actor.township_id : -1;
    else if (c->actor.role != PJ_ROLE_ADMIN && c->actor.role != PJ_ROLE_DISTRICT_OFFICER &&
             c->actor.role != PJ_ROLE_VIEWER && c->actor.role != PJ_ROLE_NONE)
        return pj_fail(err, 403, "forbidden", "", "your role may not see enrolments");
    pj_stmt *s = pj_db_prepare(
        c->db,
        "SELECT e.id FROM ac_enrolments e JOIN ac_cohorts h ON h.id = e.cohort_id JOIN ec_bases b"
        " ON b.id = h.base_id JOIN ec_streamers x ON x.id = e.streamer_id JOIN ac_posts p ON p.id"
        " = e.post_id JOIN ec_zone_enterprises z ON z.id = p.zone_enterprise_id WHERE e.id > ?"
        " AND (? = 0 OR e.cohort_id = ?) AND (? = 0 OR h.course_id = ?) AND (? = 0 OR"
        " e.streamer_id = ?) AND (? = 0 OR e.post_id = ?) AND (? = 0 OR p.zone_enterprise_id = ?)"
        " AND (? IS NULL OR e.state = ?) AND (? = 0 OR z.organisation_id = ?) AND (? = 0 OR"
        " b.township_id = ? OR x.township_id = ?) ORDER BY e.id LIMIT ?",
        err);
    if (!s) return -1;
    int k = 1;
    pj_stmt_int(s, k++, f->cursor);
    const int64_t pairs[] = {f->cohort_id, f->course_id, f->streamer_id, f->post_id,
                             f->zone_enterprise_id};
    for (int i = 0; i < 5; i++) {
        pj_stmt_int(s, k++, pairs[i]);
        pj_stmt_int(s, k++, pairs[i]);
    }
    pj_stmt_text(s, k++, f->state);
    pj_stmt_text(s, k++, f->state);
    pj_stmt_int(s, k++, org);
    pj_stmt_int(s, k++, org);
    pj_stmt_int(s, k++, town);
    pj_stmt_int(s, k++, town);
    pj_stmt_int(s, k++, town);
    pj_stmt_int(s, k++, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, enrol_render, w, err);
}

/* The streamer of an enrolment: who it belongs to (the scope checks) and what the age rule
 * needs, read before any rule is applied. */
typedef struct enrol_streamer {
    int64_t town, org, org_town;
    const char *birth, *gn, *gr, *gd;
} enrol_streamer;

static int streamer_load(pj_ctx *c, int64_t streamer, enrol_streamer *x, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT x.birth_date, x.guardian_name, x.guardian_relation,"
                               " x.guardian_consent_date, x.anonymised, COALESCE(x.township_id,"
                               " 0), COALESCE(x.organisation_id, 0), COALESCE(o.township_id, 0)"
                               " FROM ec_streamers x LEFT JOIN organisations o ON o.id ="
                               " x.organisation_id WHERE x.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, streamer);
    int rc = pj_stmt_step(s, err);
    if (rc < 0 || rc == 0 || pj_col_int(s, 4)) {
        pj_stmt_done(s);
        return rc < 0 ? -1
                      : pj_fail(err, 422, "unknown_id", "streamer_id", "no streamer %lld",
                                (long long)streamer);
    }
    x->town = pj_col_int(s, 5);
    x->org = pj_col_int(s, 6);
    x->org_town = pj_col_int(s, 7);
    x->birth = pj_col_is_null(s, 0) ? NULL : pj_arena_strdup(c->arena, pj_col_text(s, 0));
    x->gn = pj_col_is_null(s, 1) ? NULL : pj_arena_strdup(c->arena, pj_col_text(s, 1));
    x->gr = pj_col_is_null(s, 2) ? NULL : pj_arena_strdup(c->arena, pj_col_text(s, 2));
    x->gd = pj_col_is_null(s, 3) ? NULL : pj_arena_strdup(c->arena, pj_col_text(s, 3));
    pj_stmt_done(s);
    return 0;
}

/* The age rule of the streamers module, applied on the day of enrolment, after the scope
 * checks; its failures name the streamer. A caller who does not see the streamer's personal
 * data (an enterprise enrolling a streamer no organisation has signed, a township officer one
 * of another township) learns which rule failed but no date of the streamer: the birth date and
 * the guardian's consent date stay out of the message. */
static int streamer_may_enrol(pj_ctx *c, const enrol_streamer *x, int64_t day, pj_err *err)
{
    int personal = ec_streamer_privileged(c, x->town, x->org, x->org_town);
    /* a minor's consent is given before the enrolment, not after it */
    int y, m, d;
    int64_t cday;
    if (x->birth && !ec_date(x->birth, NULL, &y, &m, &d) && pj_ec_age(y, m, d, day) >= 16 &&
        pj_ec_age(y, m, d, day) < 18 && x->gd && !ec_date(x->gd, &cday, NULL, NULL, NULL) &&
        cday > day) {
        char on[11];
        ec_day_str(day, on);
        if (!personal)
            return pj_fail(err, 422, "guardian_consent_required", "streamer_id",
                           "the streamer is under 18 on the day of enrolment and has no"
                           " guardian's consent given by then");
        return pj_fail(err, 422, "guardian_consent_required", "streamer_id",
                       "the streamer is under 18 on %s and the guardian's consent is dated %s,"
                       " after it",
                       on, x->gd);
    }
    if (pj_ec_age_rule(x->birth, x->gn, x->gr, x->gd, day, err)) {
        /* the rule's code and message stand; the field at fault is the streamer */
        snprintf(err->field, sizeof err->field, "streamer_id");
        if (!personal && !strcmp(err->code, "guardian_consent_required"))
            snprintf(err->message, sizeof err->message,
                     "the streamer is under 18 on the day of enrolment and has no guardian's"
                     " consent given by then");
        else if (!personal && strcmp(err->code, "too_young"))
            snprintf(err->message, sizeof err->message,
                     "the streamer's birth date or guardian's consent does not pass the age"
                     " rule on the day of enrolment");
        return -1;
    }
    return 0;
}

int ac_enrol_age(pj_ctx *c, const char *birth, const char *gn, const char *gr, const char *gd,
                 int64_t day, pj_err *err)
{
    enrol_streamer x = {.birth = birth, .gn = gn, .gr = gr, .gd = gd};
    return streamer_may_enrol(c, &x, day, err);
}

int pj_ac_enrolment_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"cohort_id", "streamer_id", "post_id", "enrolled_on",
                                         NULL};
    int64_t cohort, streamer, post, day = ec_today();
    const char *on = NULL;
    char today[11];
    if (pj_ctx_require(c, err, PJ_ROLE_ADMIN, PJ_ROLE_DISTRICT_OFFICER, PJ_ROLE_TOWNSHIP_OFFICER,
                       PJ_ROLE_ENTERPRISE, PJ_ROLE_NONE) ||
        pj_in_object(body, err) || pj_in_only(body, fields, err) ||
        pj_in_ref(body, "cohort_id", 1, &cohort, err) < 0 ||
        pj_in_ref(body, "streamer_id", 1, &streamer, err) < 0 ||
        pj_in_ref(body, "post_id", 1, &post, err) < 0 ||
        ec_in_day(body, "enrolled_on", 0, &on, &day, err) < 0)
        return -1;
    if (!on) {
        ec_day_str(day, today);
        on = today;
    }
    if (day > ec_today())
        return pj_fail(err, 422, "invalid_value", "enrolled_on", "enrolled_on is in the future");
    /* the cohort: open for enrolment */
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT h.state, COALESCE(b.township_id, 0), h.ends_on,"
                               " h.starts_on FROM ac_cohorts h JOIN ec_bases b ON b.id ="
                               " h.base_id WHERE h.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, cohort);
    int rc = pj_stmt_step(s, err);
    int open = rc == 1 && !strcmp(pj_col_text(s, 0), "open");
    int64_t btown = rc == 1 ? pj_col_int(s, 1) : 0, end_day = INT64_MAX, start_day = INT64_MIN;
    char ends[11] = "", starts[11] = "";
    if (rc == 1 && !pj_col_is_null(s, 2)) {
        snprintf(ends, sizeof ends, "%s", pj_col_text(s, 2));
        if (ec_date(ends, &end_day, NULL, NULL, NULL)) end_day = INT64_MAX;
    }
    if (rc == 1 && !pj_col_is_null(s, 3)) {
        snprintf(starts, sizeof starts, "%s", pj_col_text(s, 3));
        if (ec_date(starts, &start_day, NULL, NULL, NULL)) start_day = INT64_MIN;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0)
        return pj_fail(err, 422, "unknown_id", "cohort_id", "no cohort %lld", (long long)cohort);
    /* the post: open, at a zone enterprise settled by the day of enrolment (入学即入岗) */
    s = pj_db_prepare(c->db,
                      "SELECT p.state, z.settled_on, COALESCE(z.organisation_id, 0) FROM ac_posts"
                      " p JOIN ec_zone_enterprises z ON z.id = p.zone_enterprise_id WHERE p.id = ?",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, post);
    rc = pj_stmt_step(s, err);
    int post_open = rc == 1 && !strcmp(pj_col_text(s, 0), "open");
    int64_t settled = -1, zorg = rc == 1 ? pj_col_int(s, 2) : 0;
    if (rc == 1 && !pj_col_is_null(s, 1) && ec_date(pj_col_text(s, 1), &settled, NULL, NULL, NULL))
        settled = -1;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0)
        return pj_fail(err, 422, "unknown_id", "post_id", "no job post %lld", (long long)post);
    if (settled < 0 || settled > day)
        return pj_fail(err, 422, "not_settled", "post_id",
                       "the post's enterprise is not settled in the zone on %s", on);
    enrol_streamer x = {0};
    if (streamer_load(c, streamer, &x, err)) return -1;
    /* scope: the academy where the cohort is taught, or the enterprise offering the post —
     * before the age rule, whose failures speak of the streamer's dates */
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER && btown != c->actor.township_id)
        return pj_fail(err, 403, "forbidden", "cohort_id",
                       "the cohort is taught outside your township");
    if (c->actor.role == PJ_ROLE_ENTERPRISE && (!zorg || zorg != c->actor.organisation_id))
        return pj_fail(err, 403, "forbidden", "post_id", "the post is not your organisation's");
    /* an enterprise enrols its own streamers or those no organisation has signed, not
     * another's (a place and an opening taken that their organisation cannot see) */
    if (c->actor.role == PJ_ROLE_ENTERPRISE && x.org && x.org != c->actor.organisation_id)
        return pj_fail(err, 403, "forbidden", "streamer_id",
                       "the streamer is another organisation's");
    if (streamer_may_enrol(c, &x, day, err)) return -1;
    if (!open) return pj_fail(err, 409, "invalid_state", "cohort_id", "the cohort is not open");
    /* nobody enrols in a cohort that had ended by the day of enrolment (a past one is
     * entered with the enrolled_on of its time) */
    if (end_day < day)
        return pj_fail(err, 409, "invalid_state", "cohort_id",
                       "the cohort ended on %s, before the enrolment on %s", ends, on);
    /* enrolment opens at most PJ_AC_ENROL_WINDOW_DAYS before the cohort starts (the term
     * before); an earlier enrolled_on is a mistyped year, not an enrolment */
    if (start_day != INT64_MIN && day < start_day - PJ_AC_ENROL_WINDOW_DAYS)
        return pj_fail(err, 422, "invalid_value", "enrolled_on",
                       "enrolled_on %s is more than %d days before the cohort starts on %s", on,
                       PJ_AC_ENROL_WINDOW_DAYS, starts);
    if (!post_open) return pj_fail(err, 409, "invalid_state", "post_id", "the post is closed");
    if (pj_db_begin(c->db, err)) return -1;
    /* one conditional UPDATE each: a place is taken only while one is left */
    if (ec_run(c, err,
               "UPDATE ac_cohorts SET enrolled = enrolled + 1 WHERE id = ? AND state = 'open' AND"
               " enrolled < capacity",
               "i", cohort) < 0)
        goto fail;
    if (pj_db_changes(c->db) != 1) {
        pj_fail(err, 409, "cohort_full", "cohort_id", "cohort %lld has no place left",
                (long long)cohort);
        goto fail;
    }
    if (ec_run(c, err,
               "UPDATE ac_posts SET filled = filled + 1 WHERE id = ? AND state = 'open' AND"
               " filled < openings",
               "i", post) < 0)
        goto fail;
    if (pj_db_changes(c->db) != 1) {
        pj_fail(err, 409, "post_full", "post_id", "post %lld has no opening left", (long long)post);
        goto fail;
    }
    int64_t now = pj_now();
    int64_t id = ec_run(c, err,
                        "INSERT INTO ac_enrolments (id, cohort_id, streamer_id, post_id,"
                        " enrolled_on, created_at, created_by, updated_at) VALUES (" PJ_NEXT_ID(
                            "ac_enrolments") ", ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        "iiisisi", cohort, streamer, post, on, now, ec_who(c), now);
    if (id < 0 && err->status == 409) {
        /* the enrolment there is, as it stands: a withdrawn one is said to be so */
        int64_t was = 0;
        const char *state = NULL;
        pj_stmt *q = pj_db_prepare(c->db,
                                   "SELECT id, state FROM ac_enrolments WHERE cohort_id = ? AND"
                                   " streamer_id = ?",
                                   err);
        if (q) {
            pj_stmt_int(q, 1, cohort);
            pj_stmt_int(q, 2, streamer);
            if (pj_stmt_step(q, err) == 1) {
                was = pj_col_int(q, 0);
                state = pj_arena_strdup(c->arena, pj_col_text(q, 1));
            }
            pj_stmt_done(q);
        }
        if (state && strcmp(state, "enrolled"))
            pj_fail(err, 409, "already_enrolled", "streamer_id",
                    "streamer %lld was enrolled in this cohort (enrolment %lld, %s): a streamer"
                    " enrols once per cohort",
                    (long long)streamer, (long long)was, state);
        else if (state)
            pj_fail(err, 409, "already_enrolled", "streamer_id",
                    "streamer %lld is enrolled in this cohort already (enrolment %lld)",
                    (long long)streamer, (long long)was);
        else
            pj_fail(err, 409, "already_enrolled", "streamer_id",
                    "streamer %lld is enrolled in this cohort already", (long long)streamer);
    }
    char *after;
    if (id <= 0 || !(after = pj_render_to_string(c, id, enrol_render_masked, err)) ||
        pj_audit_add(c, "create", "ac_enrolment", id, NULL, after, err) ||
        !(after = pj_render_to_string(c, id, enrol_render, err)) || pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* ---- actions on an enrolment ---- */

typedef struct act {
    const char *a, *b, *e;
    int64_t x, y;
    int64_t version; /* the version the caller read (graduate, place, withdraw) */
} act;

static int practice_apply(pj_ctx *c, int64_t id, void *arg, pj_err *err)
{
    act *p = arg;
    /* the enrolment still enrolled and its cohort still running, decided here, inside the
     * transaction: the checks before it may have gone stale (a withdrawal or the cohort's
     * graduation committed meanwhile by another process) */
    if (ec_run(c, err,
               "UPDATE ac_enrolments SET updated_at = ?, version = version + 1 WHERE id = ? AND"
               " state = 'enrolled' AND (SELECT h.state FROM ac_cohorts h WHERE h.id ="
               " ac_enrolments.cohort_id) = 'running'",
               "ii", pj_now(), id) < 0)
        return -1;
    if (pj_db_changes(c->db) != 1) {
        enrol_row r;
        if (enrol_load(c, id, &r, err)) return -1;
        if (strcmp(r.state, "enrolled"))
            return pj_fail(err, 409, "invalid_state", "", "the enrolment is %s", r.state);
        return pj_fail(err, 409, "invalid_state", "", "practice counts while the cohort runs");
    }
    if (ec_run(c, err,
               "INSERT INTO ac_practice (enrolment_id, session_id, minutes, created_at,"
               " created_by) VALUES (?, ?, ?, ?, ?)",
               "iiiis", id, p->x, p->y, pj_now(), ec_who(c)) < 0) {
        if (err->status == 409)
            pj_fail(err, 409, "session_counted", "session_id",
                    "session %lld counts as practice already", (long long)p->x);
        return -1;
    }
    return 0;
}

int pj_ac_practice_add(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"session_id", NULL};
    enrol_row r;
    int64_t sid;
    if (enrol_load(c, id, &r, err) || enrol_writer(c, id, &r, 0, err) || pj_in_object(body, err) ||
        pj_in_only(body, fields, err) || pj_in_ref(body, "session_id", 1, &sid, err) < 0)
        return -1;
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT streamer_id, day, duration_min FROM ec_sessions WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, sid);
    int rc = pj_stmt_step(s, err);
    int64_t who = rc == 1 ? pj_col_int(s, 0) : 0, minutes = rc == 1 ? pj_col_int(s, 2) : 0, day = 0;
    if (rc == 1 && ec_date(pj_col_text(s, 1), &day, NULL, NULL, NULL)) day = 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0)
        return pj_fail(err, 422, "unknown_id", "session_id", "no session %lld", (long long)sid);
    /* 实训即实战: practice is the student's own real live selling, after enrolment */
    if (who != r.streamer_id)
        return pj_fail(err, 422, "invalid_value", "session_id",
                       "the session is another streamer's");
    if (day < r.enrol_day)
        return pj_fail(err, 422, "invalid_value", "session_id",
                       "the session is from before the enrolment");
    /* and within the cohort's own dates */
    if (day < r.start_day || day > r.end_day)
        return pj_fail(err, 422, "invalid_value", "session_id",
                       "the session is outside the cohort's dates %s to %s", r.starts, r.ends);
    if (strcmp(r.state, "enrolled"))
        return pj_fail(err, 409, "invalid_state", "", "the enrolment is %s", r.state);
    if (strcmp(r.cohort_state, "running"))
        return pj_fail(err, 409, "invalid_state", "", "practice counts while the cohort runs");
    act p = {.x = sid, .y = minutes};
    return ec_write_audited_masked(c, id, "practice", "ac_enrolment", enrol_render,
                                   enrol_render_masked, practice_apply, &p, w, err);
}

static int graduate_apply(pj_ctx *c, int64_t id, void *arg, pj_err *err)
{
    act *p = arg;
    return ec_run(c, err,
                  "UPDATE ac_enrolments SET state = 'graduated', graduated_on = ?, updated_at = ?,"
                  " version = version + 1 WHERE id = ? AND state = 'enrolled' AND version = ?",
                  "siii", p->a, pj_now(), id, p->version) < 0
               ? -1
               : ec_changed_one(c, "enrolment", err);
}

int pj_ac_graduate(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version", "graduated_on", NULL};
    enrol_row r;
    int64_t version, day = ec_today();
    const char *on = NULL;
    char today[11];
    if (enrol_load(c, id, &r, err) || enrol_writer(c, id, &r, 1, err) || pj_in_object(body, err) ||
        pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        ec_in_day(body, "graduated_on", 0, &on, &day, err) < 0)
        return -1;
    if (!on) {
        ec_day_str(day, today);
        on = today;
    }
    if (day > ec_today() || day < r.enrol_day || day < r.start_day)
        return pj_fail(err, 422, "invalid_value", "graduated_on",
                       "graduated_on is between the enrolment, the cohort's start (%s) and today",
                       r.starts);
    /* nor before the practice it counts: a graduation dated before the latest practice
     * session would put that session, and any sale of it, after graduation (the KPI's
     * days to a first sale) */
    if (day < r.last_practice_day)
        return pj_fail(err, 422, "invalid_value", "graduated_on",
                       "graduated_on %s is before the latest practice session, on %s", on,
                       r.last_practice);
    if (strcmp(r.state, "enrolled"))
        return pj_fail(err, 409, "invalid_state", "", "the enrolment is %s", r.state);
    if (strcmp(r.cohort_state, "running") && strcmp(r.cohort_state, "graduated"))
        return pj_fail(err, 409, "invalid_state", "", "the cohort is %s", r.cohort_state);
    if (r.practice_min < r.required_min)
        return pj_fail(err, 409, "practice_hours_short", "", "%lld of %lld practice minutes done",
                       (long long)r.practice_min, (long long)r.required_min);
    if (pj_version_check(c, "SELECT version FROM ac_enrolments WHERE id = ?", id, version,
                         "enrolment", err))
        return -1;
    act p = {.a = on, .version = version};
    return ec_write_audited_masked(c, id, "graduate", "ac_enrolment", enrol_render,
                                   enrol_render_masked, graduate_apply, &p, w, err);
}

static int place_apply(pj_ctx *c, int64_t id, void *arg, pj_err *err)
{
    act *p = arg;
    return ec_run(c, err,
                  "UPDATE ac_enrolments SET state = 'placed', placed_on = ?, placed_at = ?,"
                  " placed_zone_enterprise_id = ?, placed_employer = ?, updated_at = ?, version ="
                  " version + 1 WHERE id = ? AND state = 'graduated' AND version = ?",
                  "ssrsiii", p->a, p->b, p->x, p->e, pj_now(), id, p->version) < 0
               ? -1
               : ec_changed_one(c, "enrolment", err);
}

int pj_ac_place(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version",  "placed_on", "at", "zone_enterprise_id",
                                         "employer", NULL};
    enrol_row r;
    int64_t version, day, zone = 0;
    const char *on, *at, *employer = NULL;
    if (enrol_load(c, id, &r, err) || enrol_writer(c, id, &r, 0, err) || pj_in_object(body, err) ||
        pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        ec_in_day(body, "placed_on", 1, &on, &day, err) < 0 ||
        pj_in_enum(body, "at", 1, place_ats, &at, err) < 0 ||
        pj_in_ref(body, "zone_enterprise_id", 0, &zone, err) < 0 ||
        pj_in_text(body, "employer", 0, 1, 64, &employer, err) < 0)
        return -1;
    if (!strcmp(at, "post")) {
        if (zone || employer)
            return pj_fail(err, 422, "invalid_value", zone ? "zone_enterprise_id" : "employer",
                           "at post: the employer is the post's enterprise");
        zone = r.zone_id;
    } else {
        if (!zone && !employer)
            return pj_fail(err, 422, "missing_field", "employer",
                           "at elsewhere: give employer or zone_enterprise_id");
        if (zone && ec_ref(c, "SELECT 1 FROM ec_zone_enterprises WHERE id = ?", zone,
                           "zone_enterprise_id", err))
            return -1;
        /* the post's own enterprise is a placement at the post (counted in placed_at_post),
         * not elsewhere */
        if (zone && zone == r.zone_id)
            return pj_fail(err, 422, "invalid_value", "zone_enterprise_id",
                           "zone enterprise %lld is the post's own: place at post",
                           (long long)zone);
    }
    if (strcmp(r.state, "graduated"))
        return pj_fail(err, 409, "invalid_state", "", "the enrolment is %s", r.state);
    if (day > ec_today() || day < r.grad_day)
        return pj_fail(err, 422, "invalid_value", "placed_on",
                       "placed_on is between graduation and today");
    if (pj_version_check(c, "SELECT version FROM ac_enrolments WHERE id = ?", id, version,
                         "enrolment", err))
        return -1;
    act p = {.a = on, .b = at, .e = employer, .x = zone, .version = version};
    return ec_write_audited_masked(c, id, "place", "ac_enrolment", enrol_render,
                                   enrol_render_masked, place_apply, &p, w, err);
}

/* An enrolment that leaves (withdrawn, or deleted while enrolled) frees its place in cohort and
 * its opening on post. */
static int free_place(pj_ctx *c, int64_t cohort, int64_t post, pj_err *err)
{
    return ec_run(c, err, "UPDATE ac_cohorts SET enrolled = enrolled - 1 WHERE id = ?", "i",
                  cohort) < 0 ||
                   ec_run(c, err, "UPDATE ac_posts SET filled = filled - 1 WHERE id = ?", "i",
                          post) < 0
               ? -1
               : 0;
}

static int withdraw_apply(pj_ctx *c, int64_t id, void *arg, pj_err *err)
{
    act *p = arg;
    if (ec_run(c, err,
               "UPDATE ac_enrolments SET state = 'withdrawn', updated_at = ?, version = version +"
               " 1 WHERE id = ? AND state = 'enrolled' AND version = ?",
               "iii", pj_now(), id, p->version) < 0 ||
        ec_changed_one(c, "enrolment", err))
        return -1;
    return free_place(c, p->x, p->y, err);
}

int pj_ac_withdraw(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version", NULL};
    enrol_row r;
    int64_t version;
    if (enrol_load(c, id, &r, err) || enrol_writer(c, id, &r, 0, err) || pj_in_object(body, err) ||
        pj_in_only(body, fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0)
        return -1;
    if (strcmp(r.state, "enrolled"))
        return pj_fail(err, 409, "invalid_state", "", "the enrolment is %s", r.state);
    if (pj_version_check(c, "SELECT version FROM ac_enrolments WHERE id = ?", id, version,
                         "enrolment", err))
        return -1;
    act p = {.x = r.cohort_id, .y = r.post_id, .version = version};
    return ec_write_audited_masked(c, id, "withdraw", "ac_enrolment", enrol_render,
                                   enrol_render_masked, withdraw_apply, &p, w, err);
}

int pj_ac_enrolment_delete(pj_ctx *c, int64_t id, pj_err *err)
{
    enrol_row r;
    if (enrol_load(c, id, &r, err) || enrol_writer(c, id, &r, 0, err)) return -1;
    /* a graduation or a placement is the academy's record of the streamer's training: kept */
    if (strcmp(r.state, "enrolled") && strcmp(r.state, "withdrawn"))
        return pj_fail(err, 409, "invalid_state", "",
                       "the enrolment is %s: the academy's record of the training is kept",
                       r.state);
    if (pj_db_begin(c->db, err)) return -1;
    char *before = pj_render_to_string(c, id, enrol_render_masked, err);
    if (!before || pj_refs_refuse_used(c, "ac_enrolments", "enrolment", id, err)) goto fail;
    /* as loaded (graduated or withdrawn meanwhile: 409); one still enrolled frees its place in
     * the cohort and on the post, as a withdrawal does (a withdrawn one freed them) */
    if (ec_run(c, err, "DELETE FROM ac_enrolments WHERE id = ? AND state = ?", "is", id, r.state) <
            0 ||
        ec_changed_one(c, "enrolment", err))
        goto fail;
    if (!strcmp(r.state, "enrolled") && free_place(c, r.cohort_id, r.post_id, err)) goto fail;
    if (pj_audit_add(c, "delete", "ac_enrolment", id, before, NULL, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
