/* Routes of livestream e-commerce 直播电商: the 1+5+N bases and their studios, the booking
 * calendar, streamers (personal data by role) and their followers, live sessions, products and
 * their sales, the KPIs. Every role reads; writes are checked by role and scope in the domain. */
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
        pj_h_q_str(r, "channel", &ef->channel))
        return -1;
    ef->cursor = f.cursor;
    ef->limit = f.limit;
    return 0;
}

static int h_bases(pj_req *r)
{
    static const char *const acc[] = {"tier", "township_id", NULL};
    pj_ec_filter f;
    return ec_params(r, acc, &f) ? -1 : pj_ec_base_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_base_get(pj_req *r)
{
    return pj_ec_base_get(&r->ctx, r->id, &r->w, &r->err);
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
    return pj_ec_booking_get(&r->ctx, r->id, &r->w, &r->err);
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
    static const char *const acc[] = {"organisation_id", "township_id", "base_id", NULL};
    pj_ec_filter f;
    return ec_params(r, acc, &f) ? -1 : pj_ec_streamer_list(&r->ctx, &f, &r->w, &r->err);
}
static int h_streamer_get(pj_req *r)
{
    return pj_ec_streamer_get(&r->ctx, r->id, &r->w, &r->err);
}
static int h_streamer_create(pj_req *r)
{
    return pj_h_need_body(r) || pj_ec_streamer_create(&r->ctx, r->body, &r->w, &r->err)
               ? -1
               : pj_h_created(r);
}
static int h_streamer_delete(pj_req *r)
{
    return pj_ec_streamer_delete(&r->ctx, r->id, &r->err) ? -1 : pj_h_no_content(r);
}
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
static int h_kpi(pj_req *r)
{
    static const char *const acc[] = {"from", "to", NULL};
    pj_ec_filter f;
    return ec_params(r, acc, &f) ? -1 : pj_ec_kpi(&r->ctx, f.from, f.to, &r->w, &r->err);
}

#define EC_WRITE                                                                                   \
    (R(PJ_ROLE_ADMIN) | R(PJ_ROLE_DISTRICT_OFFICER) | R(PJ_ROLE_TOWNSHIP_OFFICER) |                \
     R(PJ_ROLE_ENTERPRISE))
#define EC_ADMIN (R(PJ_ROLE_ADMIN) | R(PJ_ROLE_DISTRICT_OFFICER) | R(PJ_ROLE_TOWNSHIP_OFFICER))

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
    {"DELETE", "/api/v1/ecommerce/streamers/{id}", h_streamer_delete, EC_WRITE,
     "Delete a streamer: personal data anonymised, sessions and sales kept"},
    {"POST", "/api/v1/ecommerce/streamers/{id}/followers", h_followers_add, EC_WRITE,
     "Record a follower count on a platform and date"},
    {"GET", "/api/v1/ecommerce/sessions", h_sessions, R_ALL, "Live sessions"},
    {"POST", "/api/v1/ecommerce/sessions", h_session_create, EC_WRITE, "Record a live session"},
    {"GET", "/api/v1/ecommerce/products", h_products, R_ALL, "Local products"},
    {"POST", "/api/v1/ecommerce/products", h_product_create, EC_ADMIN, "Add a product"},
    {"GET", "/api/v1/ecommerce/products/{id}/sales", h_sales, R_ALL,
     "Sales of a product by month and channel"},
    {"POST", "/api/v1/ecommerce/products/{id}/sales", h_sales_add, EC_ADMIN,
     "Record a month's sales on a channel"},
    {"GET", "/api/v1/ecommerce/kpi", h_kpi, R_ALL,
     "Sessions, GMV, streamers active, average followers, zone enterprises"},
};
const int pj_routes_ecommerce_count =
    (int)(sizeof pj_routes_ecommerce / sizeof pj_routes_ecommerce[0]);
