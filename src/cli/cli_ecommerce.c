/* Livestream e-commerce verbs of the command line: ecommerce (bases, studios, bookings,
 * streamers, sessions, products and sales, zone enterprises, KPIs) and academy (courses,
 * cohorts, job posts, enrolments, KPIs). The command line acts as a local administrator. */
#include <string.h>

#include "cli/cli_int.h"
#include "core/util.h"
#include "domain/ecommerce.h"

#include "core/banned.h"

#define SUB(name) static int name(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)

/* Every filter option the lists take; 0 or a usage error (2). */
static int ec_filter(cli *a, pj_ec_filter *f)
{
    memset(f, 0, sizeof *f);
    static const char *const ids[] = {
        "base-id",   "studio-id", "streamer-id", "organisation-id",    "township-id",
        "course-id", "cohort-id", "post-id",     "zone-enterprise-id", "cursor"};
    int64_t *outs[] = {
        &f->base_id,   &f->studio_id, &f->streamer_id, &f->organisation_id,    &f->township_id,
        &f->course_id, &f->cohort_id, &f->post_id,     &f->zone_enterprise_id, &f->cursor};
    int u = cli_opt_ids(a, ids, outs, 10);
    if (u) return u;
    if ((f->limit = cli_opt_limit(a)) < 0) return cli_usage("--limit takes 1 to 500");
    if (cli_opt_text(a, "q")) return 2; /* the API's 64 characters */
    f->tier = cli_opt(a, "tier");
    f->from = cli_opt(a, "from");
    f->to = cli_opt(a, "to");
    f->category = cli_opt(a, "category");
    f->channel = cli_opt(a, "channel");
    f->state = cli_opt(a, "state");
    f->kind = cli_opt(a, "kind");
    f->as_of = cli_opt(a, "as-of");
    f->q = cli_opt(a, "q");
    return 0;
}

#define LIST(name, fn)                                                                             \
    SUB(name)                                                                                      \
    {                                                                                              \
        pj_ec_filter f;                                                                            \
        int u = ec_filter(a, &f);                                                                  \
        return u ? u : fn(&s->ctx, &f, w, &s->err);                                                \
    }
/* A list whose --opt takes one of values: another value is a usage error naming them (2), as
 * the API's 400, checked before the database is read. */
#define LIST_OF(name, fn, opt, values)                                                             \
    SUB(name)                                                                                      \
    {                                                                                              \
        pj_ec_filter f;                                                                            \
        int u = cli_opt_enum(a, opt, values);                                                      \
        if (!u) u = ec_filter(a, &f);                                                              \
        return u ? u : fn(&s->ctx, &f, w, &s->err);                                                \
    }
#define GET(name, fn)                                                                              \
    SUB(name)                                                                                      \
    {                                                                                              \
        return fn(&s->ctx, id, w, &s->err);                                                        \
    }
#define ADD(name, fn)                                                                              \
    SUB(name)                                                                                      \
    {                                                                                              \
        return fn(&s->ctx, b, w, &s->err);                                                         \
    }
#define ID_JSON(name, fn)                                                                          \
    SUB(name)                                                                                      \
    {                                                                                              \
        return fn(&s->ctx, id, b, w, &s->err);                                                     \
    }
/* a write that answers nothing: print what was done */
#define ID_ONLY(name, fn, what)                                                                    \
    SUB(name)                                                                                      \
    {                                                                                              \
        if (fn(&s->ctx, id, &s->err)) return -1;                                                   \
        pj_jw_obj(w);                                                                              \
        pj_jw_kint(w, "id", id);                                                                   \
        pj_jw_kbool(w, what, 1);                                                                   \
        pj_jw_obj_end(w);                                                                          \
        return 0;                                                                                  \
    }

/* ---- ecommerce ---- */

LIST_OF(ec_bases, pj_ec_base_list, "tier", pj_ec_tiers)
GET(ec_base_get, pj_ec_base_get)
ADD(ec_base_add, pj_ec_base_create)
LIST(ec_studios, pj_ec_studio_list)
ID_JSON(ec_studio_add, pj_ec_studio_create)
LIST(ec_bookings, pj_ec_booking_list)
GET(ec_booking_get, pj_ec_booking_get)
ADD(ec_book, pj_ec_booking_create)
ID_ONLY(ec_booking_cancel, pj_ec_booking_cancel, "cancelled")
/* --id-shared true: the live streamers whose ID number another live one holds too, as the
 * API's id_shared */
SUB(ec_streamers)
{
    static const char *const bools[] = {"true", "false", NULL};
    pj_ec_filter f;
    int u = cli_opt_enum(a, "id-shared", bools);
    if (!u) u = ec_filter(a, &f);
    if (u) return u;
    const char *shared = cli_opt(a, "id-shared");
    f.id_shared = shared && !strcmp(shared, "true");
    return pj_ec_streamer_list(&s->ctx, &f, w, &s->err);
}
GET(ec_streamer_get, pj_ec_streamer_get)
ADD(ec_streamer_add, pj_ec_streamer_create)
ID_JSON(ec_streamer_update, pj_ec_streamer_update)
ID_ONLY(ec_streamer_delete, pj_ec_streamer_delete, "anonymised")
ID_JSON(ec_followers_add, pj_ec_followers_add)
LIST(ec_sessions, pj_ec_session_list)
ADD(ec_session_add, pj_ec_session_create)
GET(ec_session_get, pj_ec_session_get)
ID_JSON(ec_session_update, pj_ec_session_update)
/* DELETE ID: {"deleted": ID} as every delete */
#define DELETE(name, fn)                                                                           \
    SUB(name)                                                                                      \
    {                                                                                              \
        return fn(&s->ctx, id, &s->err) ? -1 : cli_deleted(w, id);                                 \
    }
DELETE(ec_session_delete, pj_ec_session_delete)
LIST_OF(ec_products, pj_ec_product_list, "category", pj_ec_categories)
ADD(ec_product_add, pj_ec_product_create)
ID_JSON(ec_sales_add, pj_ec_sales_add)
LIST_OF(ec_zones, pj_ec_zone_list, "kind", pj_ac_kinds)
GET(ec_zone_get, pj_ec_zone_get)
ADD(ec_zone_add, pj_ec_zone_create)
ID_JSON(ec_zone_update, pj_ec_zone_update)
DELETE(ec_zone_delete, pj_ec_zone_delete)

SUB(ec_sales)
{
    pj_ec_filter f;
    int u = cli_opt_enum(a, "channel", pj_ec_channels);
    if (!u) u = ec_filter(a, &f);
    return u ? u : pj_ec_sales_list(&s->ctx, id, &f, w, &s->err);
}
/* The product as sales-update edits it: the page of the products list holding it (its
 * version). */
SUB(ec_product_current)
{
    pj_ec_filter f;
    memset(&f, 0, sizeof f);
    f.cursor = id - 1;
    f.limit = 1;
    return pj_ec_product_list(&s->ctx, &f, w, &s->err);
}
/* --month and --channel of a recorded sale: 0, or a usage error (2). */
static int sales_key(cli *a, const char *usage, const char **month, const char **channel)
{
    *month = cli_opt(a, "month");
    *channel = cli_opt(a, "channel");
    return *month && *channel ? 0 : cli_usage(usage);
}
/* --platform and --as-of of a recorded follower count: 0, or a usage error (2). */
static int followers_key(cli *a, const char *usage, const char **platform, const char **as_of)
{
    *platform = cli_opt(a, "platform");
    *as_of = cli_opt(a, "as-of");
    return *platform && *as_of ? 0 : cli_usage(usage);
}
SUB(ec_followers_update)
{
    const char *platform, *as_of;
    int u = followers_key(a, "followers-update needs --platform P and --as-of YYYY-MM-DD",
                          &platform, &as_of);
    return u ? u : pj_ec_followers_update(&s->ctx, id, platform, as_of, b, w, &s->err);
}
SUB(ec_followers_delete)
{
    const char *platform, *as_of;
    int u = followers_key(a, "followers-delete needs --platform P and --as-of YYYY-MM-DD",
                          &platform, &as_of);
    if (u) return u;
    if (pj_ec_followers_delete(&s->ctx, id, platform, as_of, &s->err)) return -1;
    /* {"deleted": the streamer's id} as every delete, with the rest of the count's key */
    pj_jw_obj(w);
    pj_jw_kint(w, "deleted", id);
    pj_jw_kstr(w, "platform", platform);
    pj_jw_kstr(w, "as_of", as_of);
    pj_jw_obj_end(w);
    return 0;
}
SUB(ec_sales_update)
{
    const char *month, *channel;
    int u = sales_key(a, "sales-update needs --month YYYY-MM and --channel C", &month, &channel);
    return u ? u : pj_ec_sales_update(&s->ctx, id, month, channel, b, w, &s->err);
}
SUB(ec_sales_delete)
{
    const char *month, *channel;
    int u = sales_key(a, "sales-delete needs --month YYYY-MM and --channel C", &month, &channel);
    if (u) return u;
    if (pj_ec_sales_delete(&s->ctx, id, month, channel, &s->err)) return -1;
    /* {"deleted": the product's id} as every delete, with the rest of the sale's key */
    pj_jw_obj(w);
    pj_jw_kint(w, "deleted", id);
    pj_jw_kstr(w, "month", month);
    pj_jw_kstr(w, "channel", channel);
    pj_jw_obj_end(w);
    return 0;
}
SUB(ec_kpis)
{
    /* a reversed range is refused, as enterprise kpis does */
    int64_t f, t;
    const char *from = cli_opt(a, "from"), *to = cli_opt(a, "to");
    if (from && to && !pj_time_parse(from, &f) && !pj_time_parse(to, &t) && f > t)
        return cli_usage("kpis: --from is after --to");
    /* --by month adds the sessions by calendar month, as the API's by=month */
    int u = cli_opt_enum(a, "by", pj_ec_kpi_bys);
    if (u) return u;
    return pj_ec_kpi_by(&s->ctx, cli_opt(a, "from"), cli_opt(a, "to"), cli_opt(a, "by"), w,
                        &s->err);
}
SUB(ec_demo)
{
    if (pj_ecommerce_demo(&s->ctx, 20240801, &s->err) ||
        pj_academy_demo(&s->ctx, 20240801, &s->err))
        return -1;
    return pj_ec_kpi(&s->ctx, NULL, NULL, w, &s->err);
}

int cli_ecommerce(cli *a)
{
    static const cli_sub subs[] = {
        {"bases", 0, 0, ec_bases},
        {"base-get", 1, 0, ec_base_get},
        {"base-add", 0, 1, ec_base_add},
        {"studios", 0, 0, ec_studios},
        {"studio-add", 1, 1, ec_studio_add},
        {"bookings", 0, 0, ec_bookings},
        {"booking-get", 1, 0, ec_booking_get},
        {"book", 0, 1, ec_book},
        {"booking-cancel", 1, 0, ec_booking_cancel},
        {"streamers", 0, 0, ec_streamers},
        {"streamer-get", 1, 0, ec_streamer_get},
        {"streamer-add", 0, 1, ec_streamer_add},
        {"streamer-update", 1, 1, ec_streamer_update, 0, ec_streamer_get},
        {"streamer-delete", 1, 0, ec_streamer_delete},
        {"followers-add", 1, 1, ec_followers_add},
        {"followers-update", 1, 1, ec_followers_update, 0, ec_streamer_get},
        {"followers-delete", 1, 0, ec_followers_delete},
        {"sessions", 0, 0, ec_sessions},
        {"session-add", 0, 1, ec_session_add},
        {"session-get", 1, 0, ec_session_get},
        {"session-update", 1, 1, ec_session_update, 0, ec_session_get},
        {"session-delete", 1, 0, ec_session_delete},
        {"products", 0, 0, ec_products},
        {"product-add", 0, 1, ec_product_add},
        {"sales", 1, 0, ec_sales},
        {"sales-add", 1, 1, ec_sales_add},
        {"sales-update", 1, 1, ec_sales_update, 0, ec_product_current},
        {"sales-delete", 1, 0, ec_sales_delete},
        {"zones", 0, 0, ec_zones},
        {"zone-get", 1, 0, ec_zone_get},
        {"zone-add", 0, 1, ec_zone_add},
        {"zone-update", 1, 1, ec_zone_update, 0, ec_zone_get},
        {"zone-delete", 1, 0, ec_zone_delete},
        {"kpis", 0, 0, ec_kpis},
        {"demo", 0, 0, ec_demo},
        {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "kpis");
}

/* ---- academy ---- */

LIST_OF(ac_courses, pj_ac_course_list, "category", pj_ac_course_categories)
GET(ac_course_get, pj_ac_course_get)
ADD(ac_course_add, pj_ac_course_create)
ID_JSON(ac_course_update, pj_ac_course_update)
DELETE(ac_course_delete, pj_ac_course_delete)
LIST_OF(ac_cohorts, pj_ac_cohort_list, "state", pj_ac_cohort_states)
GET(ac_cohort_get, pj_ac_cohort_get)
ADD(ac_cohort_add, pj_ac_cohort_create)
ID_JSON(ac_cohort_update, pj_ac_cohort_update)
DELETE(ac_cohort_delete, pj_ac_cohort_delete)
LIST_OF(ac_posts, pj_ac_post_list, "state", pj_ac_post_states)
GET(ac_post_get, pj_ac_post_get)
ADD(ac_post_add, pj_ac_post_create)
ID_JSON(ac_post_update, pj_ac_post_update)
DELETE(ac_post_delete, pj_ac_post_delete)
DELETE(ac_enrolment_delete, pj_ac_enrolment_delete)
LIST_OF(ac_enrolments, pj_ac_enrolment_list, "state", pj_ac_enrol_states)
GET(ac_enrolment_get, pj_ac_enrolment_get)
ADD(ac_enrol, pj_ac_enrolment_create)
ID_JSON(ac_place, pj_ac_place)
LIST(ac_kpis, pj_ac_kpi)

/* A body from options: --version N (when given; else the record's current version, read with
 * current) plus one string option as key (when given). NULL on a bad --version; *rc is 0, or
 * the code of reading the current version. */
static json_t *versioned(session *s, cli *a, int64_t id, const char *opt, const char *key,
                         cli_sub_fn current, int *rc)
{
    int64_t v;
    const char *vs = cli_opt(a, "version");
    *rc = 0;
    if (vs && (pj_parse_i64(vs, &v) || v < 1)) return NULL;
    json_t *b = json_object();
    if (vs) json_object_set_new(b, "version", json_integer(v));
    if (opt && cli_opt(a, opt)) json_object_set_new(b, key, json_string(cli_opt(a, opt)));
    if (!vs) *rc = cli_fill_version(s, a, id, b, current);
    return b;
}

SUB(ac_cohort_state)
{
    if (!cli_opt(a, "state"))
        return cli_usage("cohort-state ID --state planned|open|running|graduated [--version N]");
    int rc;
    json_t *body = versioned(s, a, id, "state", "state", ac_cohort_get, &rc);
    if (!body) return cli_usage("--version takes a number (1 or more)");
    if (!rc) rc = pj_ac_cohort_transition(&s->ctx, id, body, w, &s->err);
    json_decref(body);
    return rc;
}
SUB(ac_graduate)
{
    int rc;
    json_t *body = versioned(s, a, id, "on", "graduated_on", ac_enrolment_get, &rc);
    if (!body) return cli_usage("graduate ID [--version N] [--on YYYY-MM-DD]");
    if (!rc) rc = pj_ac_graduate(&s->ctx, id, body, w, &s->err);
    json_decref(body);
    return rc;
}
SUB(ac_withdraw)
{
    int rc;
    json_t *body = versioned(s, a, id, NULL, NULL, ac_enrolment_get, &rc);
    if (!body) return cli_usage("withdraw ID [--version N]");
    if (!rc) rc = pj_ac_withdraw(&s->ctx, id, body, w, &s->err);
    json_decref(body);
    return rc;
}
SUB(ac_practice)
{
    int64_t sid = cli_opt_id(a, "session-id");
    if (sid <= 0) return cli_usage("practice ID --session-id N");
    json_t *body = json_object();
    json_object_set_new(body, "session_id", json_integer(sid));
    int rc = pj_ac_practice_add(&s->ctx, id, body, w, &s->err);
    json_decref(body);
    return rc;
}
SUB(ac_demo)
{
    if (pj_academy_demo(&s->ctx, 20240801, &s->err)) return -1;
    pj_ec_filter f = {.limit = 50};
    return pj_ac_kpi(&s->ctx, &f, w, &s->err);
}

int cli_academy(cli *a)
{
    static const cli_sub subs[] = {{"courses", 0, 0, ac_courses},
                                   {"course-get", 1, 0, ac_course_get},
                                   {"course-add", 0, 1, ac_course_add},
                                   {"course-update", 1, 1, ac_course_update, 0, ac_course_get},
                                   {"course-delete", 1, 0, ac_course_delete},
                                   {"cohorts", 0, 0, ac_cohorts},
                                   {"cohort-get", 1, 0, ac_cohort_get},
                                   {"cohort-add", 0, 1, ac_cohort_add},
                                   {"cohort-update", 1, 1, ac_cohort_update, 0, ac_cohort_get},
                                   {"cohort-delete", 1, 0, ac_cohort_delete},
                                   {"cohort-state", 1, 0, ac_cohort_state},
                                   {"posts", 0, 0, ac_posts},
                                   {"post-get", 1, 0, ac_post_get},
                                   {"post-add", 0, 1, ac_post_add},
                                   {"post-update", 1, 1, ac_post_update, 0, ac_post_get},
                                   {"post-delete", 1, 0, ac_post_delete},
                                   {"enrolments", 0, 0, ac_enrolments},
                                   {"enrolment-get", 1, 0, ac_enrolment_get},
                                   {"enrol", 0, 1, ac_enrol},
                                   {"practice", 1, 0, ac_practice},
                                   {"graduate", 1, 0, ac_graduate},
                                   {"place", 1, 1, ac_place, 0, ac_enrolment_get},
                                   {"withdraw", 1, 0, ac_withdraw},
                                   {"enrolment-delete", 1, 0, ac_enrolment_delete},
                                   {"kpis", 0, 0, ac_kpis},
                                   {"demo", 0, 0, ac_demo},
                                   {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "kpis");
}
