/* A transfer goes to another person: a helper who is also on the elders' register (低龄助高龄,
 * the same ID number in both) gives nothing to their own elder record, named by elder or by
 * account, nor that record back to the helper's account (422 invalid_value, nothing written);
 * a transfer to a relative is taken as before. The person's credits went into a second account
 * of their own under a relation ("spouse") they do not have. */
#include "eldercare/el_fixture.h"

TEST_T(eldercare_no_transfer_to_oneself_in_the_other_register, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[128], body[600], id[19];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    /* one person, 64, in both registers; and a relative, an elder of the grid */
    el_id(id, "19620505", 8, 'F');
    snprintf(body, sizeof body,
             "{\"name\":\"王桂兰\",\"sex\":\"F\",\"birth_date\":\"1962-05-05\",\"id_number\":"
             "\"%s\",\"grid_id\":%lld,\"ability_level\":0}",
             id, grid);
    json_t *o = EL(&s, g, "POST", "/api/v1/elders", body, 201);
    long long self = th_int(o, "id");
    json_decref(o);
    snprintf(body, sizeof body,
             "{\"name\":\"王桂兰\",\"sex\":\"F\",\"birth_date\":\"1962-05-05\",\"id_number\":"
             "\"%s\",\"grid_id\":%lld,\"skills\":[\"companionship\"],\"capacity\":2,"
             "\"elder_id\":%lld}",
             id, grid, self);
    o = EL(&s, g, "POST", "/api/v1/helpers", body, 201);
    long long hid = th_int(o, "id");
    json_decref(o);
    long long rel = el_elder(&s, g, grid, 9, "");
    snprintf(body, sizeof body,
             "{\"entries\":[{\"elder_id\":%lld,\"kind\":\"companionship\",\"helper_id\":%lld,"
             "\"minutes\":120}]}",
             rel, hid);
    json_decref(EL(&s, g, "POST", "/api/v1/service-logs", body, 201));
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", hid);
    long long ha = el_account_of(&s, off, path);
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld/transfer", ha);
    snprintf(body, sizeof body, "{\"minutes\":30,\"to_elder_id\":%lld,\"relation\":\"spouse\"}",
             self);
    o = EL(&s, off, "POST", path, body, 422);
    CHECK_STR(th_err_code(o), "invalid_value");
    CHECK_STR(th_err_field(o), "to_elder_id");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* the relative gets some (their account opens) */
    snprintf(body, sizeof body, "{\"minutes\":60,\"to_elder_id\":%lld,\"relation\":\"sibling\"}",
             rel);
    json_decref(EL(&s, off, "POST", path, body, 422)); /* not a direct relative */
    snprintf(body, sizeof body, "{\"minutes\":60,\"to_elder_id\":%lld,\"relation\":\"parent\"}",
             rel);
    json_decref(EL(&s, off, "POST", path, body, 200));
    /* the person's elder record has an account of its own once credits come to it from
     * another: not to be fed from the helper's by account number either, nor back */
    snprintf(path, sizeof path, "/api/v1/elders/%lld", rel);
    long long ra = el_account_of(&s, off, path);
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld/transfer", ra);
    snprintf(body, sizeof body, "{\"minutes\":30,\"to_elder_id\":%lld,\"relation\":\"child\"}",
             self);
    json_decref(EL(&s, off, "POST", path, body, 200));
    snprintf(path, sizeof path, "/api/v1/elders/%lld", self);
    long long sa = el_account_of(&s, off, path);
    CHECK(sa > 0);
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld/transfer", ha);
    snprintf(body, sizeof body, "{\"minutes\":10,\"to_account_id\":%lld,\"relation\":\"spouse\"}",
             sa);
    o = EL(&s, off, "POST", path, body, 422);
    CHECK_STR(th_err_field(o), "to_account_id");
    json_decref(o);
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld/transfer", sa);
    snprintf(body, sizeof body, "{\"minutes\":10,\"to_account_id\":%lld,\"relation\":\"spouse\"}",
             ha);
    o = EL(&s, off, "POST", path, body, 422);
    CHECK_STR(th_err_field(o), "to_account_id");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    th_stop(&s);
}
