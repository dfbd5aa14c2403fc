/* Credits are redeemed for the holder's own care: an elder who moved away or died receives
 * none here, so their account redeems nothing (409 not_active, nothing written) and says so
 * (may_redeem false, holder_active false); the credits stay and may still be given to a
 * relative. Back on the register (active again), the elder redeems as before; a helper set
 * inactive still redeems for their own care. */
#include "el_fixture.h"

TEST_T(eldercare_no_redemption_for_an_elder_off_the_register, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[128], epath[128], body[256];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s), eid, hid;
    /* the helper (76: may redeem) earns 2 hours, gives one to the elder (the elder's account
     * opens) */
    long long ha = el_earned(&s, g, off, grid, 120, &eid, &hid);
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld/transfer", ha);
    snprintf(body, sizeof body, "{\"minutes\":60,\"to_elder_id\":%lld,\"relation\":\"spouse\"}",
             eid);
    json_decref(EL(&s, off, "POST", path, body, 200));
    snprintf(epath, sizeof epath, "/api/v1/elders/%lld", eid);
    long long ea = el_account_of(&s, off, epath);
    CHECK(ea > 0);
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld", ea);
    json_t *o = EL(&s, off, "GET", path, NULL, 200);
    CHECK(json_is_true(json_object_get(o, "may_redeem")));
    CHECK(json_is_null(json_object_get(o, "redeem_refusal")));
    CHECK(json_is_true(json_object_get(o, "holder_active")));
    json_decref(o);
    /* the elder dies */
    json_decref(EL(&s, off, "PATCH", epath, "{\"version\":1,\"status\":\"deceased\"}", 200));
    o = EL(&s, off, "GET", path, NULL, 200);
    CHECK(json_is_false(json_object_get(o, "may_redeem")));
    CHECK_STR(th_str(o, "redeem_refusal"), "not_active");
    CHECK(json_is_false(json_object_get(o, "holder_active")));
    CHECK_INT(th_int(o, "balance_min"), 60);
    json_decref(o);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld/redeem", ea);
    o = EL(&s, off, "POST", path, "{\"minutes\":30,\"note\":\"助浴\"}", 409);
    CHECK_STR(th_err_code(o), "not_active");
    CHECK_STR(th_err_field(o), "id");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* back on the register (recorded in error): redeems again */
    json_decref(EL(&s, off, "PATCH", epath, "{\"version\":2,\"status\":\"active\"}", 200));
    o = EL(&s, off, "POST", path, "{\"minutes\":30,\"note\":\"助浴\"}", 200);
    CHECK_INT(th_int(o, "balance_min"), 30);
    json_decref(o);
    /* a helper who stopped helping keeps their credits for their own care */
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", hid);
    json_decref(EL(&s, off, "PATCH", path, "{\"version\":1,\"active\":false}", 200));
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld/redeem", ha);
    o = EL(&s, off, "POST", path, "{\"minutes\":30,\"note\":\"理发\"}", 200);
    CHECK_INT(th_int(o, "balance_min"), 30);
    json_decref(o);
    th_stop(&s);
}
