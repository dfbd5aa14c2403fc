/* E-commerce: the "new farmer" streamers — personal data masked by role, the age rule,
 * anonymising delete — and their follower counts over time. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/ecommerce_int.h"
#include "domain/elder.h"
#include "domain/indicator.h"
#include "domain/input.h"
#include "domain/render.h"

#include "core/banned.h"

int pj_ec_age(int by, int bm, int bd, int64_t today)
{
    /* civil date of today */
    int64_t z = today + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int y = (int)(yoe + era * 400 + (m <= 2));
    int age = y - by;
    if (m < bm || (m == bm && d < bd)) age--;
    return age;
}

/* A guardian's consent date (its streamer born on day bdays): a real date, not after today, not
 * before the birth; 422 on guardian_consent_date. */
static int consent_date_check(const char *consent_date, int64_t bdays, int64_t today, pj_err *err)
{
    int64_t cdays;
    if (ec_date(consent_date, &cdays, NULL, NULL, NULL) || cdays > today)
        return pj_fail(err, 422, "invalid_value", "guardian_consent_date",
                       "guardian_consent_date must be a date YYYY-MM-DD, not in the future");
    if (cdays < bdays)
        return pj_fail(err, 422, "invalid_value", "guardian_consent_date",
                       "guardian_consent_date %s is before the birth date", consent_date);
    return 0;
}

int pj_ec_age_rule(const char *birth, const char *guardian_name, const char *guardian_relation,
                   const char *consent_date, int64_t today, pj_err *err)
{
    int y, m, d;
    int64_t bdays;
    if (ec_date(birth, &bdays, &y, &m, &d) || bdays > today)
        return pj_fail(err, 422, "invalid_value", "birth_date",
                       "birth_date must be a past date YYYY-MM-DD");
    int age = pj_ec_age(y, m, d, today);
    if (age < 16)
        return pj_fail(err, 422, "too_young", "birth_date",
                       "a streamer must be at least 16 years old");
    if (age >= 18) return 0;
    if (!guardian_name || !*guardian_name)
        return pj_fail(err, 422, "guardian_consent_required", "guardian_name",
                       "a streamer of 16 or 17 needs a guardian's consent: name, relation, date");
    if (!guardian_relation || !*guardian_relation)
        return pj_fail(err, 422, "guardian_consent_required", "guardian_relation",
                       "a streamer of 16 or 17 needs a guardian's consent: name, relation, date");
    if (!consent_date)
        return pj_fail(err, 422, "guardian_consent_required", "guardian_consent_date",
                       "a streamer of 16 or 17 needs a guardian's consent: name, relation, date");
    return consent_date_check(consent_date, bdays, today, err);
}

int pj_ec_id_number_valid(const char *s)
{
    if (!s || strlen(s) != 18) return 0;
    char c = pj_id_check_char(s);
    return c && c == (s[17] == 'x' ? 'X' : s[17]);
}

static int phone_ok(const char *s)
{
    if (strlen(s) != 11 || s[0] != '1') return 0;
    for (int i = 0; i < 11; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

/* mode: 0 by the actor's role, 1 masked always, the name too (audit rows) */
static int streamer_render_mode(pj_ctx *c, int64_t id, pj_jw *w, int mode, pj_err *err)
{
    pj_stmt *s = pj_row_by_id(
        c,
        "SELECT x.id, x.name, x.id_number, x.phone, x.birth_date, x.guardian_name,"
        " x.guardian_relation, x.guardian_consent_date, x.skill_level, x.organisation_id,"
        " x.township_id, x.base_id, x.categories, x.anonymised, x.source, x.created_at,"
        " x.updated_at, x.version, (SELECT COUNT(*) FROM ec_sessions e WHERE e.streamer_id ="
        " x.id), (SELECT CAST(TOTAL(e.gmv_fen) AS INTEGER) FROM ec_sessions e WHERE e.streamer_id ="
        " x.id), (SELECT b.name FROM ec_bases b WHERE b.id = x.base_id), o.name, o.township_id FROM"
        " ec_streamers x LEFT JOIN organisations o ON o.id = x.organisation_id WHERE x.id = ?",
        id, "streamer", err);
    if (!s) return -1;
    int rc;
    int64_t org = pj_col_int(s, 9), town = pj_col_int(s, 10);
    int full = mode == 2 || (mode == 0 && ec_streamer_privileged(c, town, org, pj_col_int(s, 22)));
    pj_jw_obj(w);
    pj_jw_kint(w, "id", pj_col_int(s, 0));
    /* audit rows are never changed: the name in them is masked from the start, so that
     * anonymising leaves it nowhere (the placeholder of a deleted one stays readable) */
    if (mode == 1 && !pj_col_int(s, 13))
        pj_jw_kstr(w, "name", pj_mask_name(c->arena, pj_col_text(s, 1)));
    else
        pj_render_text(w, "name", s, 1);
    const char *idn = pj_col_text(s, 2), *ph = pj_col_text(s, 3), *bd = pj_col_text(s, 4);
    pj_jw_kstr(w, "id_number", full ? idn : pj_mask_id(c->arena, idn));
    pj_jw_kstr(w, "phone", full ? ph : pj_mask(c->arena, ph, 3));
    int y, m, d;
    if (bd && !ec_date(bd, NULL, &y, &m, &d))
        pj_jw_kint(w, "age", pj_ec_age(y, m, d, ec_today()));
    else
        pj_jw_knull(w, "age");
    pj_jw_kbool(w, "personal_data", full);
    if (full) {
        pj_render_text(w, "birth_date", s, 4);
        pj_render_text(w, "guardian_name", s, 5);
        pj_render_text(w, "guardian_relation", s, 6);
        pj_render_text(w, "guardian_consent_date", s, 7);
    }
    pj_jw_kbool(w, "guardian_consent", !pj_col_is_null(s, 7));
    pj_jw_kint(w, "skill_level", pj_col_int(s, 8));
    pj_render_ref(w, "organisation_id", s, 9);
    pj_render_ref(w, "township_id", s, 10);
    pj_render_ref(w, "base_id", s, 11);
    pj_render_text(w, "base", s, 20); /* names beside the ids */
    pj_render_text(w, "organisation", s, 21);
    pj_jw_key(w, "categories");
    pj_jw_arr(w);
    const char *cat = pj_col_text(s, 12);
    while (cat && *cat) {
        const char *e = strchr(cat, ',');
        size_t n = e ? (size_t)(e - cat) : strlen(cat);
        pj_jw_strn(w, cat, n);
        cat = e ? e + 1 : NULL;
    }
    pj_jw_arr_end(w);
    pj_jw_kbool(w, "anonymised", (int)pj_col_int(s, 13));
    pj_jw_kint(w, "sessions", pj_col_int(s, 18));
    pj_jw_kint(w, "gmv_fen", pj_col_int(s, 19));
    pj_render_text(w, "source", s, 14);
    pj_render_time(w, "created_at", pj_col_int(s, 15));
    pj_render_time(w, "updated_at", pj_col_int(s, 16));
    pj_jw_kint(w, "version", pj_col_int(s, 17));
    pj_stmt_done(s);
    /* the history: the latest 500 counts, by platform and date */
    s = pj_db_prepare(c->db,
                      "SELECT platform, as_of, followers FROM (SELECT platform, as_of, followers"
                      " FROM ec_followers WHERE streamer_id = ? ORDER BY as_of DESC, platform LIMIT"
                      " 500) ORDER BY platform, as_of",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_jw_key(w, "followers");
    pj_jw_arr(w);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        pj_jw_obj(w);
        pj_render_text(w, "platform", s, 0);
        pj_render_text(w, "as_of", s, 1);
        pj_jw_kint(w, "followers", pj_col_int(s, 2));
        pj_jw_obj_end(w);
    }
    pj_stmt_done(s);
    pj_jw_arr_end(w);
    if (rc < 0) return -1;
    /* the latest count per platform, summed over all of them (as the KPIs count), whether or
     * not the history above holds it */
    s = pj_db_prepare(c->db,
                      "SELECT COALESCE(SUM(f.followers), 0) FROM ec_followers f WHERE"
                      " f.streamer_id = ? AND f.as_of = (SELECT MAX(g.as_of) FROM ec_followers g"
                      " WHERE g.streamer_id = f.streamer_id AND g.platform = f.platform)",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    rc = pj_stmt_step(s, err);
    pj_jw_kint(w, "followers_total", rc == 1 ? pj_col_int(s, 0) : 0);
    pj_stmt_done(s);
    pj_jw_obj_end(w);
    return rc < 0 ? -1 : 0;
}

static int streamer_render(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return streamer_render_mode(c, id, w, 0, err);
}

static int streamer_render_masked(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return streamer_render_mode(c, id, w, 1, err);
}

/* Every field in full, for telling whether an update changed anything (the masked rendering
 * hides a new ID number or phone that keeps its first digits); never sent or stored. */
static int streamer_render_full(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    return streamer_render_mode(c, id, w, 2, err);
}

int pj_ec_streamer_get(pj_ctx *c, int64_t id, pj_jw *w, pj_err *err)
{
    int started = pj_db_read_begin(c->db);
    int rc = streamer_render(c, id, w, err);
    pj_db_read_end(c->db, started);
    return rc;
}

int pj_ec_streamer_list(pj_ctx *c, const pj_ec_filter *f, pj_jw *w, pj_err *err)
{
    /* writable: the live streamers ec_streamer_privileged lets the actor write; 0 no filter,
     * 1 every live one (admin, district officer), 2 the township's whose organisation, if any,
     * is of the township too, 3 the organisation's, 4 none */
    int wmode = 0;
    if (f->writable) switch (c->actor.role) {
        case PJ_ROLE_ADMIN:
        case PJ_ROLE_DISTRICT_OFFICER:
            wmode = 1;
            break;
        case PJ_ROLE_TOWNSHIP_OFFICER:
            wmode = 2;
            break;
        case PJ_ROLE_ENTERPRISE:
            wmode = 3;
            break;
        default:
            wmode = 4;
        }
    /* enrolable: the live streamers pj_ac_enrolment_create lets the actor enrol; 0 no filter,
     * 1 every live one (admin, district and township officers: a township officer's scope is
     * the cohort's base, not the streamer), 2 the organisation's and those of none, 3 none */
    int emode = 0;
    if (f->enrolable) switch (c->actor.role) {
        case PJ_ROLE_ADMIN:
        case PJ_ROLE_DISTRICT_OFFICER:
        case PJ_ROLE_TOWNSHIP_OFFICER:
            emode = 1;
            break;
        case PJ_ROLE_ENTERPRISE:
            emode = 2;
            break;
        default:
            emode = 3;
        }
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT id FROM ec_streamers WHERE id > ? AND (? = 0 OR"
                      " organisation_id = ? OR (? AND organisation_id IS NULL)) AND (? = 0 OR"
                      " anonymised = 0) AND (? = 0 OR"
                      " township_id = ?) AND (? = 0 OR"
                      " base_id = ?) AND (? = '' OR instr(name, ?) > 0) AND (? = 0 OR"
                      " (anonymised = 0 AND id_number IS NOT NULL AND EXISTS (SELECT 1 FROM"
                      " ec_streamers y WHERE y.id_number = ec_streamers.id_number AND"
                      " y.anonymised = 0 AND y.id <> ec_streamers.id))) AND (? = 0 OR"
                      " (anonymised = 0 AND (? = 1 OR (? = 2 AND township_id = ? AND"
                      " (organisation_id IS NULL OR EXISTS (SELECT 1 FROM organisations o WHERE"
                      " o.id = ec_streamers.organisation_id AND o.township_id = ?))) OR (? = 3"
                      " AND organisation_id = ?)))) AND (? = 0 OR (anonymised = 0 AND (? = 1 OR"
                      " (? = 2 AND (organisation_id IS NULL OR organisation_id = ?))))) ORDER BY"
                      " id LIMIT ?",
                      err);
    if (!s) return -1;
    const char *q = f->q ? f->q : "";
    pj_stmt_int(s, 1, f->cursor);
    pj_stmt_int(s, 2, f->organisation_id);
    pj_stmt_int(s, 3, f->organisation_id);
    pj_stmt_int(s, 4, f->or_unsigned);
    pj_stmt_int(s, 5, f->or_unsigned); /* and no anonymised one */
    pj_stmt_int(s, 6, f->township_id);
    pj_stmt_int(s, 7, f->township_id);
    pj_stmt_int(s, 8, f->base_id);
    pj_stmt_int(s, 9, f->base_id);
    pj_stmt_text(s, 10, q);
    pj_stmt_text(s, 11, q);
    pj_stmt_int(s, 12, f->id_shared);
    pj_stmt_int(s, 13, wmode);
    pj_stmt_int(s, 14, wmode);
    pj_stmt_int(s, 15, wmode);
    pj_stmt_int(s, 16, c->actor.township_id);
    pj_stmt_int(s, 17, c->actor.township_id);
    pj_stmt_int(s, 18, wmode);
    pj_stmt_int(s, 19, c->actor.organisation_id);
    pj_stmt_int(s, 20, emode);
    pj_stmt_int(s, 21, emode);
    pj_stmt_int(s, 22, emode);
    pj_stmt_int(s, 23, c->actor.organisation_id);
    pj_stmt_int(s, 24, f->limit + 1);
    return pj_render_query_page(c, s, f->limit, streamer_render, w, err);
}

/* categories: an array of known codes, joined with ',' into c->arena */
static int categories_in(pj_ctx *c, json_t *b, const char **out, pj_err *err)
{
    json_t *a = json_object_get(b, "categories");
    *out = "";
    if (!a || json_is_null(a)) return 0;
    if (pj_in_list(a, "categories", 10, "category codes", err)) return -1;
    pj_buf bb;
    pj_buf_init(&bb, 1024);
    for (size_t i = 0; i < json_array_size(a); i++) {
        const char *v = json_string_value(json_array_get(a, i));
        int ok = 0;
        for (int k = 0; v && pj_ec_categories[k]; k++) ok |= !strcmp(v, pj_ec_categories[k]);
        if (!ok) {
            pj_buf_free(&bb);
            return pj_fail(err, 422, "invalid_value", "categories",
                           "unknown category; known: peach, eggs, farming, culture_tourism,"
                           " vegetable, fruit, grain, handicraft, food, other");
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(v, json_string_value(json_array_get(a, j)))) {
                pj_buf_free(&bb);
                return pj_fail(err, 422, "invalid_value", "categories", "categories lists %s twice",
                               v);
            }
        if (i) pj_buf_putc(&bb, ',');
        pj_buf_puts(&bb, v);
    }
    pj_buf_putc(&bb, 0);
    *out = pj_arena_strdup(c->arena, bb.data);
    pj_buf_free(&bb);
    return 0;
}

static int streamer_scope(pj_ctx *c, int64_t id, pj_err *err);

/* A streamer's fields as a request gives them (create: all; update: those present). */
typedef struct streamer_in {
    const char *name, *idn, *phone, *birth, *gname, *grel, *gdate, *cats;
    int64_t level, org, town, base;
    int town_given; /* township_id in the request (1), else the organisation's sets it */
} streamer_in;

/* update: all; create: from the second on */
static const char *const streamer_fields[] = {"version",           "name",
                                              "id_number",         "phone",
                                              "birth_date",        "guardian_name",
                                              "guardian_relation", "guardian_consent_date",
                                              "skill_level",       "organisation_id",
                                              "township_id",       "base_id",
                                              "categories",        NULL};

/* Reads the fields of body over *x (create: name, birth_date and skill_level required; update:
 * a field left out keeps its value, an optional one given as null is cleared, a required one
 * may not be null). */
static int streamer_body(pj_ctx *c, json_t *b, int create, streamer_in *x, pj_err *err)
{
    static const char *const required[] = {"name", "birth_date", "skill_level", NULL};
    static const char *const clearable[] = {
        "id_number", "phone", "guardian_name", "guardian_relation", "guardian_consent_date", NULL};
    for (int k = 0; required[k]; k++)
        if (json_is_null(json_object_get(b, required[k])))
            /* required on a create; in a change, null is no value for it ("Null in a change") */
            return pj_fail(err, 422, create ? "missing_field" : "invalid_value", required[k],
                           "%s may not be null", required[k]);
    const char **clear[] = {&x->idn, &x->phone, &x->gname, &x->grel, &x->gdate};
    for (int k = 0; clearable[k]; k++)
        if (json_is_null(json_object_get(b, clearable[k]))) *clear[k] = NULL;
    if (pj_in_text_trimmed(c->arena, b, "name", create, 64, &x->name, err) < 0 ||
        pj_in_str(b, "id_number", 0, 18, 18, &x->idn, err) < 0 ||
        pj_in_str(b, "phone", 0, 11, 11, &x->phone, err) < 0 ||
        pj_in_str(b, "birth_date", create && !x->idn, 10, 10, &x->birth, err) < 0 ||
        pj_in_text_trimmed(c->arena, b, "guardian_name", 0, 64, &x->gname, err) < 0 ||
        pj_in_text_trimmed(c->arena, b, "guardian_relation", 0, 32, &x->grel, err) < 0 ||
        pj_in_str(b, "guardian_consent_date", 0, 10, 10, &x->gdate, err) < 0 ||
        pj_in_int(b, "skill_level", create, 1, 5, &x->level, err) < 0 ||
        pj_in_ref(b, "organisation_id", 0, &x->org, err) < 0 ||
        (x->town_given = pj_in_ref(b, "township_id", 0, &x->town, err)) < 0 ||
        pj_in_ref(b, "base_id", 0, &x->base, err) < 0)
        return -1;
    if (create || json_object_get(b, "categories")) return categories_in(c, b, &x->cats, err);
    return 0;
}

/* The birth date a resident ID number holds (its characters 7–14, YYYYMMDD) as "YYYY-MM-DD"
 * into out; -1 when it is not a date. */
static int idn_birth(const char *idn, char out[11])
{
    snprintf(out, 11, "%.4s-%.2s-%.2s", idn + 6, idn + 10, idn + 12);
    return ec_date(out, NULL, NULL, NULL, NULL);
}

/* The checks of a streamer as it will be stored: ID number (and the birth date it holds
 * against birth_date, which it gives when absent), phone, the age rule, the township of its
 * organisation, the actor's scope over it, the references. org0: the organisation the
 * streamer had (0 for a new one); body: the request (which of its fields were given). */
static int streamer_check(pj_ctx *c, streamer_in *x, int64_t org0, json_t *body, pj_err *err)
{
    x->idn = pj_id_number_norm(c->arena, x->idn); /* one person, one text: ...X */
    if (x->idn && !pj_ec_id_number_valid(x->idn))
        return pj_fail(err, 422, "invalid_value", "id_number",
                       "id_number must be an 18-character resident ID number with its check digit");
    if (x->idn) {
        char born[11];
        if (idn_birth(x->idn, born))
            return pj_fail(err, 422, "invalid_value", "id_number",
                           "id_number's characters 7-14 must be the birth date YYYYMMDD");
        if (!x->birth) {
            x->birth = pj_arena_strdup(c->arena, born);
        } else if (strcmp(x->birth, born)) {
            /* the field the request changed is the one at fault */
            int idn_new = json_object_get(body, "id_number") != NULL;
            int birth_new = json_object_get(body, "birth_date") != NULL;
            return pj_fail(
                err, 422, "invalid_value", idn_new && !birth_new ? "id_number" : "birth_date",
                "birth_date %s differs from the birth date in the ID number (%s)", x->birth, born);
        }
    }
    if (x->phone && !phone_ok(x->phone))
        return pj_fail(err, 422, "invalid_value", "phone", "phone must be 11 digits starting 1");
    if (pj_ec_age_rule(x->birth, x->gname, x->grel, x->gdate, ec_today(), err)) return -1;
    /* a consent date kept is a real one at any age (an adult's, from when they were 17), as the
     * record is written; the age rule of an enrolment, on its own day, asks it of minors only */
    int64_t bdays; /* the birth date passed the age rule */
    if (x->gdate && !ec_date(x->birth, &bdays, NULL, NULL, NULL) &&
        consent_date_check(x->gdate, bdays, ec_today(), err))
        return -1;
    if (x->org &&
        ec_ref(c, "SELECT 1 FROM organisations WHERE id = ?", x->org, "organisation_id", err))
        return -1;
    int64_t org_town = 0;
    if (x->org && ec_int(c, "SELECT COALESCE(township_id, 0) FROM organisations WHERE id = ?",
                         x->org, &org_town, err) < 0)
        return -1;
    /* the organisation a streamer signs with sees the streamer's personal data in full: a
     * township officer links to the township's own organisations, the district to any */
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER && x->org && x->org != org0 &&
        org_town != c->actor.township_id)
        return pj_fail(err, 403, "forbidden", "organisation_id",
                       "organisation %lld is not of your township: the organisation would see"
                       " the streamer's personal data, so the district links it",
                       (long long)x->org);
    /* a streamer of an organisation is in the organisation's township: set from it, or
     * refused when the request names another */
    if (org_town) {
        if (x->town_given && x->town && x->town != org_town)
            return pj_fail(err, 422, "invalid_value", "township_id",
                           "a streamer of organisation %lld is in its township (%lld), not %lld",
                           (long long)x->org, (long long)org_town, (long long)x->town);
        x->town = org_town;
    }
    if (ec_streamer_scope(c, x->town, x->org, org_town, NULL, err)) return -1;
    if (x->town && ec_ref(c, "SELECT 1 FROM regions WHERE id = ? AND type = 'township'", x->town,
                          "township_id", err))
        return -1;
    if (x->base && ec_ref(c, "SELECT 1 FROM ec_bases WHERE id = ?", x->base, "base_id", err))
        return -1;
    return 0;
}

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* A change of a streamer's birth date or guardian's consent leaves what was recorded under the
 * old ones passing the age rules: the earliest live-streaming session (the strictest: 16, and
 * the consent by then at 16 and 17) and the earliest enrolment. Else 409 date_conflict at
 * field (the one the request changed), naming the record. */
static int recorded_still_pass(pj_ctx *c, int64_t id, const streamer_in *x, const char *field,
                               pj_err *err)
{
    static const struct {
        const char *sql, *what;
    } first[] = {
        {"SELECT id, day FROM ec_sessions WHERE streamer_id = ? ORDER BY day, id LIMIT 1",
         "live-streaming session"},
        {"SELECT id, enrolled_on FROM ac_enrolments WHERE streamer_id = ? ORDER BY enrolled_on,"
         " id LIMIT 1",
         "enrolment"},
    };
    for (size_t i = 0; i < sizeof first / sizeof first[0]; i++) {
        pj_stmt *s = pj_db_prepare(c->db, first[i].sql, err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        int rc = pj_stmt_step(s, err);
        int64_t rid = rc == 1 ? pj_col_int(s, 0) : 0, day;
        char on[11] = "";
        if (rc == 1) snprintf(on, sizeof on, "%s", pj_col_text(s, 1) ? pj_col_text(s, 1) : "");
        pj_stmt_done(s);
        if (rc < 0) return -1;
        if (rc == 0 || ec_date(on, &day, NULL, NULL, NULL)) continue;
        int bad = i == 0 ? ec_session_age(on, x->birth, x->gdate, err)
                         : ac_enrol_age(c, x->birth, x->gname, x->grel, x->gdate, day, err);
        if (!bad) continue;
        char why[sizeof err->message];
        snprintf(why, sizeof why, "%s", err->message);
        return pj_fail(err, 409, "date_conflict", field,
                       "%s %lld of %s is on record and would not pass the age rules (%s): change"
                       " or delete it first",
                       first[i].what, (long long)rid, on, why);
    }
    return 0;
}

/* Inside the write's transaction: 409 at id_number when a live (not anonymised) streamer
 * other than self holds it. The answer names the other streamer only to a caller who may see
 * it; to anyone else it says no more than that the number is registered. */
static int idn_unique(pj_ctx *c, const char *idn, int64_t self, int64_t *holder, pj_err *err)
{
    *holder = 0;
    if (!idn) return 0;
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT x.id, COALESCE(x.township_id, 0), COALESCE(x.organisation_id,"
                      " 0), COALESCE(o.township_id, 0) FROM ec_streamers x LEFT JOIN"
                      " organisations o ON o.id = x.organisation_id WHERE x.id_number = ?"
                      " AND x.anonymised = 0 AND x.id <> ? LIMIT 1",
                      err);
    if (!s) return -1;
    pj_stmt_text(s, 1, idn);
    pj_stmt_int(s, 2, self);
    int rc = pj_stmt_step(s, err);
    int64_t other = rc == 1 ? pj_col_int(s, 0) : 0;
    int sees =
        rc == 1 && ec_streamer_privileged(c, pj_col_int(s, 1), pj_col_int(s, 2), pj_col_int(s, 3));
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return 0;
    *holder = other;
    if (sees)
        return pj_fail(err, 409, "conflict", "id_number",
                       "this ID number is registered to streamer %lld", (long long)other);
    return pj_fail(err, 409, "conflict", "id_number", "this ID number is already registered");
}

/* After a write refused inside its transaction: rolls back and, when it was refused because
 * streamer `holder` has the ID number, audits the clash on that streamer (id_clash, as an
 * elder's: docs/api-eldercare.md §1) — the refusal stays the answer. Always -1. */
static int idn_refused(pj_ctx *c, int64_t holder, int64_t self, pj_err *err)
{
    pj_db_rollback(c->db);
    pj_err e2;
    pj_err_clear(&e2);
    if (holder && pj_el_id_clash_audit(c, "ec_streamer", holder, self, &e2)) *err = e2;
    return -1;
}

/* Audit (without personal data) and answer (with them, for the writer) of a streamer write
 * inside its transaction; rolls back on failure. */
static int streamer_written(pj_ctx *c, int64_t id, const char *action, const char *before, pj_jw *w,
                            pj_err *err)
{
    char *after;
    if (!(after = pj_render_to_string(c, id, streamer_render_masked, err)) ||
        pj_audit_add(c, action, "ec_streamer", id, before, after, err) ||
        !(after = pj_render_to_string(c, id, streamer_render, err)) || pj_db_commit(c->db, err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    pj_jw_raw(w, after);
    return 0;
}

int pj_ec_streamer_create(pj_ctx *c, json_t *body, pj_jw *w, pj_err *err)
{
    streamer_in x = {0};
    if (ec_require_writer(c, err) || pj_in_object(body, err) ||
        pj_in_only(body, streamer_fields + 1, err) || streamer_body(c, body, 1, &x, err))
        return -1;
    if (c->actor.role == PJ_ROLE_ENTERPRISE && !x.org) x.org = c->actor.organisation_id;
    if (c->actor.role == PJ_ROLE_TOWNSHIP_OFFICER && !x.town) x.town = c->actor.township_id;
    if (streamer_check(c, &x, 0, body, err) || (x.idn && pj_el_id_clash_guard(c, err)) ||
        pj_db_begin(c->db, err))
        return -1;
    int64_t holder;
    if (idn_unique(c, x.idn, 0, &holder, err)) return idn_refused(c, holder, 0, err);
    int64_t now = pj_now();
    int64_t id = ec_run(c, err,
                        "INSERT INTO ec_streamers (name, id_number, phone, birth_date,"
                        " guardian_name, guardian_relation, guardian_consent_date, skill_level,"
                        " organisation_id, township_id, base_id, categories, created_at,"
                        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        " RETURNING id",
                        "sssssssirrrsii", x.name, x.idn, x.phone, x.birth, x.gname, x.grel, x.gdate,
                        x.level, x.org, x.town, x.base, x.cats, now, now);
    if (id <= 0) {
        pj_db_rollback(c->db);
        return -1;
    }
    return streamer_written(c, id, "create", NULL, w, err);
}

int pj_ec_streamer_update(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    int64_t version;
    if (ec_require_writer(c, err) || pj_in_object(body, err) ||
        pj_in_only(body, streamer_fields, err) ||
        pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
        streamer_scope(c, id, err))
        return -1;
    /* the stored streamer, then the request over it */
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT name, id_number, phone, birth_date, guardian_name,"
                               " guardian_relation, guardian_consent_date, skill_level,"
                               " organisation_id, township_id, base_id, categories FROM"
                               " ec_streamers WHERE id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    if (pj_stmt_step(s, err) != 1) {
        pj_stmt_done(s);
        return -1;
    }
    streamer_in x;
    const char **str[] = {&x.name, &x.idn, &x.phone, &x.birth, &x.gname, &x.grel, &x.gdate};
    for (int k = 0; k < 7; k++) {
        const char *v = pj_col_text(s, k);
        *str[k] = v ? pj_arena_strdup(c->arena, v) : NULL;
    }
    x.level = pj_col_int(s, 7);
    x.org = pj_col_int(s, 8);
    x.town = pj_col_int(s, 9);
    x.base = pj_col_int(s, 10);
    const char *cats = pj_col_text(s, 11);
    x.cats = pj_arena_strdup(c->arena, cats ? cats : "");
    pj_stmt_done(s);
    int64_t org0 = x.org;
    const char *idn0 = x.idn, *birth0 = x.birth, *gdate0 = x.gdate;
    x.town_given = 0;
    if (streamer_body(c, body, 0, &x, err) || streamer_check(c, &x, org0, body, err)) return -1;
    /* a new number: within the day's clashes (pj_el_id_clash_guard) */
    if (x.idn && (!idn0 || strcmp(idn0, x.idn)) && pj_el_id_clash_guard(c, err)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    char *before = pj_render_to_string(c, id, streamer_render_masked, err);
    char *full = before ? pj_render_to_string(c, id, streamer_render_full, err) : NULL;
    /* the number as given (a row stored before the rule keeps its other edits); its own
     * number kept is not checked: two live streamers left with one number (migration 483
     * made 'x' and 'X' one) stay editable until one is deleted */
    int64_t holder = 0;
    if (full && json_object_get(body, "id_number") && x.idn && (!idn0 || strcmp(idn0, x.idn)) &&
        idn_unique(c, x.idn, id, &holder, err))
        return idn_refused(c, holder, id, err);
    if (full && (!same_text(birth0, x.birth) || !same_text(gdate0, x.gdate)) &&
        recorded_still_pass(c, id, &x,
                            same_text(birth0, x.birth)            ? "guardian_consent_date"
                            : json_object_get(body, "birth_date") ? "birth_date"
                                                                  : "id_number",
                            err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    if (!full ||
        ec_run(c, err,
               "UPDATE ec_streamers SET name = ?, id_number = ?, phone = ?, birth_date = ?,"
               " guardian_name = ?, guardian_relation = ?, guardian_consent_date = ?,"
               " skill_level = ?, organisation_id = ?, township_id = ?, base_id = ?, categories"
               " = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ? AND NOT"
               " anonymised",
               "sssssssirrrsiii", x.name, x.idn, x.phone, x.birth, x.gname, x.grel, x.gdate,
               x.level, x.org, x.town, x.base, x.cats, pj_now(), id, version) < 0 ||
        ec_changed_one(c, "streamer", err)) {
        pj_db_rollback(c->db);
        return -1;
    }
    /* a PATCH that changed nothing writes nothing: no new version, no audit row */
    char *now_full = pj_render_to_string(c, id, streamer_render_full, err);
    if (!now_full) {
        pj_db_rollback(c->db);
        return -1;
    }
    if (pj_render_same(full, now_full)) {
        pj_db_rollback(c->db);
        return streamer_render(c, id, w, err);
    }
    return streamer_written(c, id, "update", before, w, err);
}

int pj_ec_org_moved(pj_ctx *c, int64_t org_id, int64_t township_id, pj_err *err)
{
    if (!township_id) return 0;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id FROM ec_streamers WHERE organisation_id = ? AND NOT"
                               " anonymised AND township_id IS NOT ? ORDER BY id",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, org_id);
    pj_stmt_int(s, 2, township_id);
    int64_t *ids;
    int n = pj_stmt_ids(c, s, &ids, err);
    if (n < 0) return -1;
    for (int i = 0; i < n; i++) {
        char *before = pj_render_to_string(c, ids[i], streamer_render_masked, err);
        if (!before ||
            ec_run(c, err,
                   "UPDATE ec_streamers SET township_id = ?, updated_at = ?, version = version + 1"
                   " WHERE id = ?",
                   "iii", township_id, pj_now(), ids[i]) < 0)
            return -1;
        char *after = pj_render_to_string(c, ids[i], streamer_render_masked, err);
        if (!after || pj_audit_add(c, "update", "ec_streamer", ids[i], before, after, err))
            return -1;
    }
    return 0;
}

/* Scope of a streamer for writes: 404 when missing, 409 when anonymised. */
static int streamer_scope(pj_ctx *c, int64_t id, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT x.township_id, x.organisation_id, x.anonymised,"
                               " o.township_id FROM ec_streamers x LEFT JOIN organisations o ON"
                               " o.id = x.organisation_id WHERE x.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    int64_t town = rc == 1 ? pj_col_int(s, 0) : 0, org = rc == 1 ? pj_col_int(s, 1) : 0;
    int64_t org_town = rc == 1 ? pj_col_int(s, 3) : 0;
    int anon = rc == 1 && pj_col_int(s, 2);
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (rc == 0) return pj_not_found(err, "streamer", id);
    if (ec_streamer_scope(c, town, org, org_town, "id", err)) return -1;
    if (anon) return pj_fail(err, 409, "invalid_state", "", "the streamer was deleted");
    return 0;
}

int pj_ec_streamer_delete(pj_ctx *c, int64_t id, pj_err *err)
{
    if (ec_require_writer(c, err) || streamer_scope(c, id, err)) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    char *before, *after;
    if (!(before = pj_render_to_string(c, id, streamer_render_masked, err))) goto fail;
    pj_stmt *s = pj_db_prepare(c->db,
                               "UPDATE ec_streamers SET name = ?, id_number = NULL, phone = NULL,"
                               " birth_date = NULL, guardian_name = NULL, guardian_relation ="
                               " NULL, guardian_consent_date = NULL, anonymised = 1, updated_at ="
                               " ?, version = version + 1 WHERE id = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_text(s, 1, pj_arena_printf(c->arena, "已注销主播#%lld", (long long)id));
    pj_stmt_int(s, 2, pj_now());
    pj_stmt_int(s, 3, id);
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0 || !(after = pj_render_to_string(c, id, streamer_render_masked, err)) ||
        pj_audit_add(c, "anonymise", "ec_streamer", id, before, after, err) ||
        pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ec_followers_add(pj_ctx *c, int64_t id, json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"platform", "as_of", "followers", NULL};
    const char *platform, *as_of;
    int64_t n;
    if (ec_require_writer(c, err) || streamer_scope(c, id, err) || pj_in_object(body, err) ||
        pj_in_only(body, fields, err) ||
        pj_in_enum(body, "platform", 1, pj_ec_platforms, &platform, err) < 0 ||
        pj_in_str(body, "as_of", 1, 10, 10, &as_of, err) < 0 ||
        pj_in_int(body, "followers", 1, 0, 1000000000, &n, err) < 0)
        return -1;
    int64_t day;
    if (ec_date(as_of, &day, NULL, NULL, NULL) || day > ec_today())
        return pj_fail(err, 422, "invalid_value", "as_of",
                       "as_of must be a date, not in the future");
    /* nor before the streamer was born (a count of 2000 for someone born in 2010) */
    pj_stmt *b =
        pj_db_prepare(c->db, "SELECT 1 FROM ec_streamers WHERE id = ? AND birth_date > ?", err);
    if (!b) return -1;
    pj_stmt_int(b, 1, id);
    pj_stmt_text(b, 2, as_of);
    int born_after = pj_stmt_step(b, err);
    pj_stmt_done(b);
    if (born_after < 0) return -1;
    if (born_after)
        return pj_fail(err, 422, "invalid_value", "as_of",
                       "as_of %s is before the streamer's birth date", as_of);
    if (pj_db_begin(c->db, err)) return -1;
    char *before, *after;
    if (!(before = pj_render_to_string(c, id, streamer_render_masked, err))) goto fail;
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO ec_followers (streamer_id, platform, as_of, followers,"
                               " created_at) VALUES (?, ?, ?, ?, ?)",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    pj_stmt_text(s, 2, platform);
    pj_stmt_text(s, 3, as_of);
    pj_stmt_int(s, 4, n);
    pj_stmt_int(s, 5, pj_now());
    int rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0) {
        if (err && err->status == 409)
            pj_fail(err, 409, "conflict", "as_of", "a count for %s on %s exists", platform, as_of);
        goto fail;
    }
    s = pj_db_prepare(c->db, "UPDATE ec_streamers SET version = version + 1 WHERE id = ?", err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    rc = pj_stmt_step(s, err);
    pj_stmt_done(s);
    if (rc < 0 || !(after = pj_render_to_string(c, id, streamer_render_masked, err)) ||
        pj_audit_add(c, "followers", "ec_streamer", id, before, after, err) ||
        !(after = pj_render_to_string(c, id, streamer_render, err)) || pj_db_commit(c->db, err))
        goto fail;
    pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

/* Corrects (body) or deletes (body NULL) the count of a platform and date, in one transaction:
 * the count read, the streamer's version moved, the change audited with the streamer before
 * and after. */
static int followers_change(pj_ctx *c, int64_t id, const char *platform, const char *as_of,
                            json_t *body, pj_jw *w, pj_err *err)
{
    static const char *const fields[] = {"version", "followers", NULL};
    int64_t n = 0, version = 0;
    /* the body's shape first: a field no one knows is named whatever the path */
    if (ec_require_writer(c, err) ||
        (body && (pj_in_object(body, err) || pj_in_only(body, fields, err))) ||
        streamer_scope(c, id, err))
        return -1;
    /* the path's key names a count that may be: else 400, as a bad id */
    if (!pj_one_of(pj_ec_platforms, platform))
        return pj_fail(err, 400, "bad_id", "platform", "%.32s is not a platform", platform);
    int64_t day;
    if (ec_date(as_of, &day, NULL, NULL, NULL))
        return pj_fail(err, 400, "bad_id", "as_of", "%.32s is not a date YYYY-MM-DD", as_of);
    if (body && (pj_in_no_null(body, NULL, err) ||
                 pj_in_int(body, "version", 1, 1, INT64_MAX, &version, err) < 0 ||
                 pj_in_int(body, "followers", 1, 0, 1000000000, &n, err) < 0))
        return -1;
    if (pj_db_begin(c->db, err)) return -1;
    char *before, *after;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT followers FROM ec_followers WHERE streamer_id = ? AND"
                               " platform = ? AND as_of = ?",
                               err);
    if (!s) goto fail;
    pj_stmt_int(s, 1, id);
    pj_stmt_text(s, 2, platform);
    pj_stmt_text(s, 3, as_of);
    int rc = pj_stmt_step(s, err);
    int64_t n0 = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    if (rc == 0) {
        pj_fail(err, 404, "not_found", "as_of", "streamer %lld has no %.16s count on %.16s",
                (long long)id, platform, as_of);
        goto fail;
    }
    if (body && pj_version_check(c, "SELECT version FROM ec_streamers WHERE id = ?", id, version,
                                 "streamer", err))
        goto fail;
    /* the count as it is: nothing written, the streamer as it stands */
    if (body && n == n0) {
        pj_db_rollback(c->db);
        return streamer_render(c, id, w, err);
    }
    if (!(before = pj_render_to_string(c, id, streamer_render_masked, err))) goto fail;
    if ((body ? ec_run(c, err,
                       "UPDATE ec_followers SET followers = ? WHERE streamer_id = ? AND"
                       " platform = ? AND as_of = ?",
                       "iiss", n, id, platform, as_of)
              : ec_run(c, err,
                       "DELETE FROM ec_followers WHERE streamer_id = ? AND platform = ? AND"
                       " as_of = ?",
                       "iss", id, platform, as_of)) < 0 ||
        ec_run(c, err, "UPDATE ec_streamers SET version = version + 1 WHERE id = ?", "i", id) < 0 ||
        !(after = pj_render_to_string(c, id, streamer_render_masked, err)) ||
        pj_audit_add(c, body ? "followers_update" : "followers_delete", "ec_streamer", id, before,
                     after, err) ||
        (w && !(after = pj_render_to_string(c, id, streamer_render, err))) ||
        pj_db_commit(c->db, err))
        goto fail;
    if (w) pj_jw_raw(w, after);
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}

int pj_ec_followers_update(pj_ctx *c, int64_t id, const char *platform, const char *as_of,
                           json_t *body, pj_jw *w, pj_err *err)
{
    return followers_change(c, id, platform, as_of, body, w, err);
}

int pj_ec_followers_delete(pj_ctx *c, int64_t id, const char *platform, const char *as_of,
                           pj_err *err)
{
    return followers_change(c, id, platform, as_of, NULL, NULL, err);
}
