/* Routes of livestream e-commerce 直播电商: the 1+5+N bases and their studios, the booking
 * calendar, streamers (personal data by role) and their followers, live sessions, products and
 * their sales, the KPIs; the zone enterprises and the village-streamer academy 村播学院. Every role
 * reads; writes are checked by role and scope in the domain. */
#include <string.h>

#include "domain/ecommerce.h"
#include "http/hutil.h"

#include "core/banned.h"

static int ec_params(pj_req *r, const char *const *acc, pj_ec_filter *ef)
{
    pj_list_filter f;
    memset(ef, 0, sizeof *ef);
    if (pj_h_list_params(r, &f, acc) || pj_h_q_int(r, "base_id", 1, INT64_MAX, &ef->base_id) ||
        pj_h_q_int(r, "studio_id", 1, INT64_MAX, &ef->studio_id) ||
        pj_h_q_int(r, "streamer_id", 1, INT64_MAX, &ef->streamer_id) ||
        pj_h_q_int(r, "organisation_id", 1, INT64_MAX, &ef->organisation_id) ||
        pj_h_q_int(r, "township_id", 1, INT64_MAX, &ef->township_id) ||
        pj_h_q_str(r, "tier", &ef->tier) || pj_h_q_str(r, "from", &ef->from) ||
        pj_h_q_str(r, "to", &ef->to) || pj_h_q_str(r, "category", &ef->category) ||
        pj_h_q_str(r, "channel", &ef->channel) ||
        pj_h_q_int(r, "course_id", 1, INT64_MAX, &ef->course_id) ||
        pj_h_q_int(r, "cohort_id", 1, INT64_MAX, &ef->cohort_id) ||
        pj_h_q_int(r, "post_id", 1, INT64_MAX, &ef->post_id) ||
        pj_h_q_int(r, "zone_enterprise_id", 1, INT64_MAX, &ef->zone_enterprise_id) ||
        pj_h_q_str(r, "state", &ef->state) || pj_h_q_str(r, "kind", &ef->kind) ||
        pj_h_q_str(r, "as_of", &ef->as_of) || pj_h_q_str(r, "q", &ef->q))
        return -1;
    ef->cursor = f.cursor;
    ef->limit = f.limit;
    return 0;
}

/* ec_params for a report, not a page: limit and cursor are unknown parameters there */
static int ec_report_params(pj_req *r, const char *const *acc, pj_ec_filter *ef)
{
    return pj_h_q_only(r, acc) || ec_params(r, acc, ef);
}

static int h_bases(pj_req *r)
{
    static const char *const acc[] = {"tier", "township_id", NULL};
    pj_ec_filter f;
    return ec_params(r, acc, &f) ? -1 : pj_ec_base_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_base_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_ec_base_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_base_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_ec_base_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_studio_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_ec_studio_create(&r->ctx, r->id, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_studios(pj_req *r)
{
    static const char *const acc[] = {"base_id", NULL};
    pj_ec_filter f;
    return ec_params(r, acc, &f) ? -1 : pj_ec_studio_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_bookings(pj_req *r)
{
    static const char *const acc[] = {"studio_id", "base_id", "organisation_id",
                                      "from",      "to",      NULL};
    pj_ec_filter f;
    return ec_params(r, acc, &f) ? -1 : pj_ec_booking_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_booking_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_ec_booking_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_booking_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_ec_booking_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_booking_cancel(pj_req *r)
{
    return pj_ec_booking_cancel(&r->ctx, r->id, &r->err) ? -1 : pj_h_no_content(r);
}
static int h_streamers(pj_req *r)
{
    static const char *const acc[] = {
        "organisation_id", "township_id", "base_id",   "q", "id_shared",
        "or_unsigned",     "writable",    "enrolable", NULL};
    static const char *const bools[] = {"true", "false", NULL};
    pj_ec_filter f;
    const char *shared = NULL, *unsig = NULL, *wr = NULL, *en = NULL;
    if (ec_params(r, acc, &f) || pj_h_q_enum(r, "id_shared", bools, &shared) ||
        pj_h_q_enum(r, "or_unsigned", bools, &unsig) || pj_h_q_enum(r, "writable", bools, &wr) ||
        pj_h_q_enum(r, "enrolable", bools, &en))
        return -1;
    /* the streamers the caller may enrol (the enrolment form's picker): the enrolment's rule */
    f.enrolable = en && !strcmp(en, "true");
    /* the streamers the caller may write (a picker's choices): the write check's rule */
    f.writable = wr && !strcmp(wr, "true");
    f.id_shared = shared && !strcmp(shared, "true");
    /* the streamers an enterprise may enrol: its own and those no organisation has signed */
    f.or_unsigned = unsig && !strcmp(unsig, "true");
    if (f.or_unsigned && !f.organisation_id)
        return pj_fail(&r->err, 400, "bad_query", "or_unsigned",
                       "or_unsigned=true widens organisation_id: give organisation_id too");
    return pj_ec_streamer_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_streamer_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_ec_streamer_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
static int h_streamer_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_ec_streamer_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
/* DELETE {id}: 204 once fn(ctx, id, err) has removed (or anonymised) the record */
#define H_DELETE(name, fn)                                                                         \
    static int name(pj_req *r)                                                                     \
    {                                                                                              \
        return fn(&r->ctx, r->id, &r->err) ? -1 : pj_h_no_content(r);                              \
    }
H_DELETE(h_streamer_delete, pj_ec_streamer_delete)
static int h_followers_add(pj_req *r)
{
    return pj_h_need_body(r) || pj_ec_followers_add(&r->ctx, r->id, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_sessions(pj_req *r)
{
    static const char *const acc[] = {"streamer_id", "from", "to", NULL};
    pj_ec_filter f;
    return ec_params(r, acc, &f) ? -1 : pj_ec_session_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_session_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_ec_session_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_session_get(pj_req *r)
{
    return pj_h_no_query(r) || pj_ec_session_get(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;
}
H_DELETE(h_session_delete, pj_ec_session_delete)
static int h_products(pj_req *r)
{
    static const char *const acc[] = {"category", NULL};
    pj_ec_filter f;
    return ec_params(r, acc, &f) ? -1 : pj_ec_product_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_product_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_ec_product_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_sales(pj_req *r)
{
    static const char *const acc[] = {"from", "to", "channel", NULL};
    pj_ec_filter f;
    return ec_params(r, acc, &f) ? -1 : pj_ec_sales_list(&r->ctx, r->id, &f, &r->w, &r->err);
}
static int h_sales_add(pj_req *r)
{
    return pj_h_need_body(r) || pj_ec_sales_add(&r->ctx, r->id, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
/* The two segments after mark (the router reads the id only), a trailing slash left out: the
 * {month} and {channel} of /products/{id}/sales/{month}/{channel}, the {platform} and {as_of}
 * of /streamers/{id}/followers/{platform}/{as_of}. */
static void path_pair(pj_req *r, const char *mark, const char **a, const char **b)
{
    const char *p = strstr(r->path, mark);
    p = p ? p + strlen(mark) : "";
    const char *slash = strchr(p, '/');
    *a = pj_arena_strndup(&r->arena, p, slash ? (size_t)(slash - p) : strlen(p));
    const char *ch = slash ? slash + 1 : "";
    size_t n = strlen(ch);
    if (n && ch[n - 1] == '/') n--;
    *b = pj_arena_strndup(&r->arena, ch, n);
}
static void sales_key(pj_req *r, const char **month, const char **channel)
{
    path_pair(r, "/sales/", month, channel);
}
/* /streamers/{id}/followers/{platform}/{as_of} */
static int h_followers_update(pj_req *r)
{
    const char *platform, *as_of;
    path_pair(r, "/followers/", &platform, &as_of);
    return pj_h_need_body(r) ||
           pj_ec_followers_update(&r->ctx, r->id, platform, as_of, r->body, &r->w, &r->err);
}
static int h_followers_delete(pj_req *r)
{
    const char *platform, *as_of;
    path_pair(r, "/followers/", &platform, &as_of);
    return pj_ec_followers_delete(&r->ctx, r->id, platform, as_of, &r->err) ? -1
                                                                            : pj_h_no_content(r);
}
static int h_sales_update(pj_req *r)
{
    const char *month, *channel;
    sales_key(r, &month, &channel);
    return pj_h_need_body(r) ||
           pj_ec_sales_update(&r->ctx, r->id, month, channel, r->body, &r->w, &r->err);
}
static int h_sales_delete(pj_req *r)
{
    const char *month, *channel;
    sales_key(r, &month, &channel);
    return pj_ec_sales_delete(&r->ctx, r->id, month, channel, &r->err) ? -1 : pj_h_no_content(r);
}
static int h_kpi(pj_req *r)
{
    static const char *const acc[] = {"from", "to", "by", NULL};
    pj_ec_filter f;
    const char *by = NULL;
    return ec_report_params(r, acc, &f) || pj_h_q_enum(r, "by", pj_ec_kpi_bys, &by)
               ? -1
               : pj_ec_kpi_by(&r->ctx, f.from, f.to, by, &r->w, &r->err);
}

/* ---- the academy 村播学院 ---- */

#define H_LIST(name, fn, ...)                                                                      \
    static int name(pj_req *r)                                                                     \
    {                                                                                              \
        static const char *const acc[] = {__VA_ARGS__, NULL};                                      \
        pj_ec_filter f;                                                                            \
        return ec_params(r, acc, &f) ? -1 : fn(&r->ctx, &f, &r->w, &r->err);                       \
    }
#define H_GET(name, fn)                                                                            \
    static int name(pj_req *r)                                                                     \
    {                                                                                              \
        return pj_h_no_query(r) || fn(&r->ctx, r->id, &r->w, &r->err) ? -1 : 0;                    \
    }
#define H_CREATE(name, fn)                                                                         \
    static int name(pj_req *r)                                                                     \
    {                                                                                              \
        return pj_h_need_body(r) || fn(&r->ctx, r->body, &r->w, &r->err) ? -1 : pj_h_created(r);   \
    }
#define H_ACT(name, fn)                                                                            \
    static int name(pj_req *r)                                                                     \
    {                                                                                              \
        return pj_h_need_body(r) || fn(&r->ctx, r->id, r->body, &r->w, &r->err) ? -1 : 0;          \
    }

H_LIST(h_zones, pj_ec_zone_list, "kind", "base_id", "organisation_id")
H_GET(h_zone_get, pj_ec_zone_get)
H_CREATE(h_zone_create, pj_ec_zone_create)
H_ACT(h_zone_update, pj_ec_zone_update)
H_DELETE(h_zone_delete, pj_ec_zone_delete)
H_ACT(h_streamer_update, pj_ec_streamer_update)
H_ACT(h_session_update, pj_ec_session_update)
H_LIST(h_courses, pj_ac_course_list, "category")
H_GET(h_course_get, pj_ac_course_get)
H_CREATE(h_course_create, pj_ac_course_create)
H_ACT(h_course_update, pj_ac_course_update)
H_DELETE(h_course_delete, pj_ac_course_delete)
H_LIST(h_cohorts, pj_ac_cohort_list, "course_id", "base_id", "state", "township_id")
H_GET(h_cohort_get, pj_ac_cohort_get)
H_CREATE(h_cohort_create, pj_ac_cohort_create)
H_ACT(h_cohort_update, pj_ac_cohort_update)
H_DELETE(h_cohort_delete, pj_ac_cohort_delete)
H_ACT(h_cohort_state, pj_ac_cohort_transition)
H_LIST(h_posts, pj_ac_post_list, "zone_enterprise_id", "organisation_id", "state")
H_GET(h_post_get, pj_ac_post_get)
H_CREATE(h_post_create, pj_ac_post_create)
H_ACT(h_post_update, pj_ac_post_update)
H_DELETE(h_post_delete, pj_ac_post_delete)
H_DELETE(h_enrolment_delete, pj_ac_enrolment_delete)
H_LIST(h_enrolments, pj_ac_enrolment_list, "cohort_id", "course_id", "streamer_id", "post_id",
       "zone_enterprise_id", "state")
H_GET(h_enrolment_get, pj_ac_enrolment_get)
H_CREATE(h_enrolment_create, pj_ac_enrolment_create)
H_ACT(h_practice_add, pj_ac_practice_add)
H_ACT(h_graduate, pj_ac_graduate)
H_ACT(h_place, pj_ac_place)
H_ACT(h_withdraw, pj_ac_withdraw)
static int h_ac_kpi(pj_req *r)
{
    static const char *const acc[] = {"cohort_id", "as_of", NULL};
    pj_ec_filter f;
    return ec_report_params(r, acc, &f) ? -1 : pj_ac_kpi(&r->ctx, &f, &r->w, &r->err);
}

#define EC_WRITE                                                                                   \
    (R(PJ_ROLE_ADMIN) | R(PJ_ROLE_DISTRICT_OFFICER) | R(PJ_ROLE_TOWNSHIP_OFFICER) |                \
     R(PJ_ROLE_ENTERPRISE))
#define EC_ADMIN    (R(PJ_ROLE_ADMIN) | R(PJ_ROLE_DISTRICT_OFFICER) | R(PJ_ROLE_TOWNSHIP_OFFICER))
#define AC_DISTRICT (R(PJ_ROLE_ADMIN) | R(PJ_ROLE_DISTRICT_OFFICER))
#define AC_POSTS    (AC_DISTRICT | R(PJ_ROLE_ENTERPRISE))
#define AC_READ     (EC_WRITE | R(PJ_ROLE_VIEWER))

const pj_route pj_routes_ecommerce[] = {
    {"GET", "/api/v1/ecommerce/bases", h_bases, R_ALL, "The 1+5+N livestream bases"},
    {"POST", "/api/v1/ecommerce/bases", h_base_create, EC_ADMIN, "Add a base"},
    {"GET", "/api/v1/ecommerce/bases/{id}", h_base_get, R_ALL, "One base"},
    {"POST", "/api/v1/ecommerce/bases/{id}/studios", h_studio_create, EC_ADMIN,
     "Add a shared studio to a base"},
    {"GET", "/api/v1/ecommerce/studios", h_studios, R_ALL, "Studios (base_id)"},
    {"GET", "/api/v1/ecommerce/bookings", h_bookings, R_ALL,
     "The studio booking calendar (studio_id, base_id, organisation_id, from, to)"},
    {"POST", "/api/v1/ecommerce/bookings", h_booking_create, EC_WRITE,
     "Book a studio for whole 30-minute slots (409 studio_booked when taken)"},
    {"GET", "/api/v1/ecommerce/bookings/{id}", h_booking_get, R_ALL, "One booking"},
    {"DELETE", "/api/v1/ecommerce/bookings/{id}", h_booking_cancel, EC_WRITE,
     "Cancel a booking (its slots are freed)"},
    {"GET", "/api/v1/ecommerce/streamers", h_streamers, R_ALL,
     "Streamers (personal data masked unless the role needs it)"},
    {"POST", "/api/v1/ecommerce/streamers", h_streamer_create, EC_WRITE,
     "Register a streamer (age 16+; 16-17 with a guardian's consent)"},
    {"GET", "/api/v1/ecommerce/streamers/{id}", h_streamer_get, R_ALL,
     "One streamer with follower counts over time"},
    {"PATCH", "/api/v1/ecommerce/streamers/{id}", h_streamer_update, EC_WRITE,
     "Update a streamer (version; a field given null is cleared; the age rule on the result)"},
    {"DELETE", "/api/v1/ecommerce/streamers/{id}", h_streamer_delete, EC_WRITE,
     "Delete a streamer: personal data anonymised, sessions and sales kept"},
    {"POST", "/api/v1/ecommerce/streamers/{id}/followers", h_followers_add, EC_WRITE,
     "Record a follower count on a platform and date"},
    {"PATCH", "/api/v1/ecommerce/streamers/{id}/followers/{platform}/{as_of}", h_followers_update,
     EC_WRITE, "Correct a recorded follower count (the streamer's version)"},
    {"DELETE", "/api/v1/ecommerce/streamers/{id}/followers/{platform}/{as_of}", h_followers_delete,
     EC_WRITE, "Delete a follower count recorded by mistake"},
    {"GET", "/api/v1/ecommerce/sessions", h_sessions, R_ALL, "Live sessions"},
    {"POST", "/api/v1/ecommerce/sessions", h_session_create, EC_WRITE, "Record a live session"},
    {"GET", "/api/v1/ecommerce/sessions/{id}", h_session_get, R_ALL, "One live session"},
    {"PATCH", "/api/v1/ecommerce/sessions/{id}", h_session_update, EC_WRITE,
     "Correct a live session (version; the KPIs follow)"},
    {"DELETE", "/api/v1/ecommerce/sessions/{id}", h_session_delete, EC_WRITE,
     "Delete a live session entered by mistake (audited; the KPIs follow)"},
    {"GET", "/api/v1/ecommerce/products", h_products, R_ALL, "Local products"},
    {"POST", "/api/v1/ecommerce/products", h_product_create, EC_ADMIN, "Add a product"},
    {"GET", "/api/v1/ecommerce/products/{id}/sales", h_sales, R_ALL,
     "Sales of a product by month and channel"},
    {"POST", "/api/v1/ecommerce/products/{id}/sales", h_sales_add, EC_ADMIN,
     "Record a month's sales on a channel"},
    {"PATCH", "/api/v1/ecommerce/products/{id}/sales/{month}/{channel}", h_sales_update, EC_ADMIN,
     "Correct a month's sales on a channel (the product's version; not livestream)"},
    {"DELETE", "/api/v1/ecommerce/products/{id}/sales/{month}/{channel}", h_sales_delete, EC_ADMIN,
     "Delete a month's sales on a channel recorded by mistake (not livestream)"},
    {"GET", "/api/v1/ecommerce/kpi", h_kpi, R_ALL,
     "Sessions, GMV, streamers active, average followers, zone enterprises"},
    {"GET", "/api/v1/ecommerce/zone-enterprises", h_zones, R_ALL,
     "Enterprises settled in the livestream zone (kind, base_id, organisation_id)"},
    {"POST", "/api/v1/ecommerce/zone-enterprises", h_zone_create, AC_DISTRICT,
     "Register a zone enterprise with its settlement date and base"},
    {"GET", "/api/v1/ecommerce/zone-enterprises/{id}", h_zone_get, R_ALL, "One zone enterprise"},
    {"PATCH", "/api/v1/ecommerce/zone-enterprises/{id}", h_zone_update, AC_DISTRICT,
     "Update a zone enterprise's settlement date, base or organisation (version)"},
    {"DELETE", "/api/v1/ecommerce/zone-enterprises/{id}", h_zone_delete, AC_DISTRICT,
     "Delete a zone enterprise nothing refers to"},
    {"GET", "/api/v1/academy/courses", h_courses, R_ALL, "Academy courses (category)"},
    {"POST", "/api/v1/academy/courses", h_course_create, AC_DISTRICT, "Add a course"},
    {"GET", "/api/v1/academy/courses/{id}", h_course_get, R_ALL, "One course"},
    {"PATCH", "/api/v1/academy/courses/{id}", h_course_update, AC_DISTRICT,
     "Update a course (version)"},
    {"DELETE", "/api/v1/academy/courses/{id}", h_course_delete, AC_DISTRICT,
     "Delete a course without cohorts"},
    {"GET", "/api/v1/academy/cohorts", h_cohorts, R_ALL,
     "Cohorts (course_id, base_id, state, township_id)"},
    {"POST", "/api/v1/academy/cohorts", h_cohort_create, EC_ADMIN,
     "Plan a cohort at the academy HQ or a village point"},
    {"GET", "/api/v1/academy/cohorts/{id}", h_cohort_get, R_ALL, "One cohort with its places"},
    {"PATCH", "/api/v1/academy/cohorts/{id}", h_cohort_update, EC_ADMIN,
     "Update a cohort's name, dates or capacity (version)"},
    {"DELETE", "/api/v1/academy/cohorts/{id}", h_cohort_delete, EC_ADMIN,
     "Delete a cohort without enrolments"},
    {"POST", "/api/v1/academy/cohorts/{id}/state", h_cohort_state, EC_ADMIN,
     "Move a cohort planned -> open -> running -> graduated (version)"},
    {"GET", "/api/v1/academy/posts", h_posts, R_ALL,
     "Job posts at zone enterprises (zone_enterprise_id, organisation_id, state)"},
    {"POST", "/api/v1/academy/posts", h_post_create, AC_POSTS,
     "Offer a job post at a zone enterprise"},
    {"GET", "/api/v1/academy/posts/{id}", h_post_get, R_ALL, "One job post"},
    {"PATCH", "/api/v1/academy/posts/{id}", h_post_update, AC_POSTS,
     "Update a job post's title, openings or state (version)"},
    {"DELETE", "/api/v1/academy/posts/{id}", h_post_delete, AC_POSTS,
     "Delete a job post no enrolment took"},
    {"GET", "/api/v1/academy/enrolments", h_enrolments, AC_READ,
     "Enrolments (an enterprise sees those on its own posts)"},
    {"POST", "/api/v1/academy/enrolments", h_enrolment_create, EC_WRITE,
     "Enrol a streamer in an open cohort on a job post (409 cohort_full, post_full)"},
    {"GET", "/api/v1/academy/enrolments/{id}", h_enrolment_get, AC_READ, "One enrolment"},
    {"POST", "/api/v1/academy/enrolments/{id}/practice", h_practice_add, EC_WRITE,
     "Count one of the streamer's live sessions as practical training"},
    {"POST", "/api/v1/academy/enrolments/{id}/graduate", h_graduate, EC_ADMIN,
     "Graduate once the course's practice hours are met (version)"},
    {"POST", "/api/v1/academy/enrolments/{id}/place", h_place, EC_WRITE,
     "Record the graduate's employment at the post's enterprise or elsewhere (version)"},
    {"POST", "/api/v1/academy/enrolments/{id}/withdraw", h_withdraw, EC_WRITE,
     "Withdraw an enrolment, freeing the place and the post (version)"},
    {"DELETE", "/api/v1/academy/enrolments/{id}", h_enrolment_delete, EC_WRITE,
     "Delete an enrolment entered by mistake (enrolled or withdrawn, no practice)"},
    {"GET", "/api/v1/academy/kpi", h_ac_kpi, R_ALL,
     "Placement rate, days to first sale, still streaming at 6 months: per cohort and overall"},
};
const int pj_routes_ecommerce_count =
    (int)(sizeof pj_routes_ecommerce / sizeof pj_routes_ecommerce[0]);
