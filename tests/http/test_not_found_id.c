/* A record that is not there is 404 not_found on field "id" in every module, so a client
 * tells "no such record" from "no such endpoint" (field null) the same way everywhere: here the
 * e-commerce, academy, indicator and carbon routes and the agri-tech and logistics records,
 * which once named no field. */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "th.h"

TEST(api_missing_record_is_404_on_id_in_every_module)
{
    static const char *const calls[][3] = {
        {"GET", "/api/v1/ecommerce/bases/%lld", NULL},
        {"POST", "/api/v1/ecommerce/bases/%lld/studios", "{\"name\":\"直播间\"}"},
        {"GET", "/api/v1/ecommerce/bookings/%lld", NULL},
        {"DELETE", "/api/v1/ecommerce/bookings/%lld", NULL},
        {"GET", "/api/v1/ecommerce/sessions/%lld", NULL},
        {"PATCH", "/api/v1/ecommerce/sessions/%lld", "{\"version\":1}"},
        {"DELETE", "/api/v1/ecommerce/sessions/%lld", NULL},
        {"GET", "/api/v1/ecommerce/streamers/%lld", NULL},
        {"PATCH", "/api/v1/ecommerce/streamers/%lld", "{\"version\":1}"},
        {"DELETE", "/api/v1/ecommerce/streamers/%lld", NULL},
        {"GET", "/api/v1/ecommerce/zone-enterprises/%lld", NULL},
        {"PATCH", "/api/v1/ecommerce/zone-enterprises/%lld", "{\"version\":1}"},
        {"DELETE", "/api/v1/ecommerce/zone-enterprises/%lld", NULL},
        {"GET", "/api/v1/ecommerce/products/%lld/sales", NULL},
        {"POST", "/api/v1/ecommerce/products/%lld/sales",
         "{\"month\":\"2025-01\",\"channel\":\"live\",\"orders\":1,\"gmv_fen\":100}"},
        {"GET", "/api/v1/academy/cohorts/%lld", NULL},
        {"PATCH", "/api/v1/academy/cohorts/%lld", "{\"version\":1}"},
        {"DELETE", "/api/v1/academy/cohorts/%lld", NULL},
        {"GET", "/api/v1/academy/courses/%lld", NULL},
        {"PATCH", "/api/v1/academy/courses/%lld", "{\"version\":1}"},
        {"DELETE", "/api/v1/academy/courses/%lld", NULL},
        {"GET", "/api/v1/academy/enrolments/%lld", NULL},
        {"DELETE", "/api/v1/academy/enrolments/%lld", NULL},
        {"GET", "/api/v1/academy/posts/%lld", NULL},
        {"PATCH", "/api/v1/academy/posts/%lld", "{\"version\":1}"},
        {"DELETE", "/api/v1/academy/posts/%lld", NULL},
        {"GET", "/api/v1/indicators/%lld", NULL},
        {"PATCH", "/api/v1/indicators/%lld", "{\"version\":1}"},
        {"GET", "/api/v1/indicators/values/%lld", NULL},
        {"PATCH", "/api/v1/indicators/values/%lld", "{\"version\":1}"},
        {"GET", "/api/v1/indicators/targets/%lld", NULL},
        {"PATCH", "/api/v1/indicators/targets/%lld", "{\"version\":1}"},
        {"GET", "/api/v1/carbon/energy/%lld", NULL},
        {"PATCH", "/api/v1/carbon/energy/%lld", "{\"version\":1}"},
        {"DELETE", "/api/v1/carbon/energy/%lld", NULL},
        {"PATCH", "/api/v1/carbon/factors/%lld", "{\"version\":1}"},
        {"DELETE", "/api/v1/carbon/factors/%lld", NULL},
        /* the records described by a table (agri-tech, logistics) */
        {"GET", "/api/v1/agri/labs/%lld", NULL},
        {"PATCH", "/api/v1/agri/labs/%lld", "{\"version\":1}"},
        {"DELETE", "/api/v1/agri/labs/%lld", NULL},
        {"GET", "/api/v1/logistics/parks/%lld", NULL},
        {"PATCH", "/api/v1/logistics/parks/%lld", "{\"version\":1}"},
        {"DELETE", "/api/v1/logistics/parks/%lld", NULL},
    };
    th_server s;
    th_start(&s, 1);
    char tok[80], path[128], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE];
    th_login(&s, "admin", s.admin_pw, tok);
    th_fingerprint(&s, before, sizeof before);
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        json_t *o;
        snprintf(path, sizeof path, calls[i][1], 987654LL);
        int st = th_call(&s, calls[i][0], path, tok, calls[i][2], &o);
        const char *field = th_err_field(o);
        if (st != 404 || !field || strcmp(field, "id"))
            fprintf(stderr, "%s %s: %d, field %s\n", calls[i][0], path, st, field ? field : "null");
        CHECK_INT(st, 404);
        CHECK_STR(th_err_code(o), "not_found");
        CHECK_STR(field ? field : "null", "id");
        json_decref(o);
    }
    /* an endpoint that does not exist names no field (null): the difference a client sees */
    json_t *o;
    CHECK_INT(th_call(&s, "GET", "/api/v1/ecommerce/no-such-thing", tok, NULL, &o), 404);
    CHECK(json_is_null(json_object_get(json_object_get(o, "error"), "field")));
    json_decref(o);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    th_stop(&s);
}
