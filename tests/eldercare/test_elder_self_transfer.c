/* A transfer goes to another person: a helper who is also on the elders' register (低龄助高龄,
 * the same ID number in both) gives nothing to their own elder record, named by elder or by
 * account, nor that record back to the helper's account (422 invalid_value, nothing written);
 * a transfer to a relative is taken as before. The person's credits went into a second account
 * of their own under a relation ("spouse") they do not have. */
#include "core/util.h"
#include "eldercare/el_fixture.h"

/* 王桂兰, 64, registered as an elder of grid `grid` by the grid worker `tok`; her ID number in
 * `id`. */
static long long self_as_elder(th_server *s, const char *tok, long long grid, char id[19])
{
    char body[300];
    el_id(id, "19620505", 8, 'F');
    snprintf(body, sizeof body,
             "{\"name\":\"王桂兰\",\"sex\":\"F\",\"birth_date\":\"1962-05-05\",\"id_number\":"
             "\"%s\",\"grid_id\":%lld,\"ability_level\":0}",
             id, grid);
    json_t *o = EL(s, tok, "POST", "/api/v1/elders", body, 201);
    long long self = th_int(o, "id");
    json_decref(o);
    return self;
}

TEST_T(eldercare_no_transfer_to_oneself_in_the_other_register, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], path[128], body[600], id[19];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    long long grid = el_grid01_grid(&s);
    /* one person, 64, in both registers; and a relative, an elder of the grid */
    long long self = self_as_elder(&s, g, grid, id);
    json_t *o;
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

/* Regression: a transfer by account number told a township officer whose account it was. To
 * an account out of their scope, the answer was "another person's account" (invalid_value)
 * when its holder had the source holder's ID number, and "no account … in your scope"
 * (unknown_id) otherwise: so an officer learnt that a helper of their township is on the
 * elders' register elsewhere. Out of scope is one answer now, whoever holds the account; a
 * district officer is still refused the transfer to oneself. */
TEST_T(eldercare_transfer_out_of_scope_tells_nothing_of_the_holder, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], off[80], town[80], q[300], path[128], body[600], id[19], t_in[21];
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    long long grid = el_grid01_grid(&s);
    snprintf(q, sizeof q,
             "SELECT MIN(g.id) FROM regions g JOIN regions v ON v.id = g.parent_id WHERE"
             " g.type = 'grid' AND v.parent_id = (SELECT township_id FROM users WHERE username"
             " = 'jinhaihu')");
    long long jgrid = th_sql_int(&s, q);
    pj_time_iso(pj_now() - 86400, t_in);
    /* one person, 64: an elder of grid01's township and, not linked, a helper of 金海湖 */
    long long self = self_as_elder(&s, g, grid, id);
    json_t *o;
    snprintf(body, sizeof body,
             "{\"name\":\"王桂兰\",\"sex\":\"F\",\"birth_date\":\"1962-05-05\",\"id_number\":"
             "\"%s\",\"grid_id\":%lld,\"skills\":[\"companionship\"],\"capacity\":2}",
             id, jgrid);
    o = EL(&s, off, "POST", "/api/v1/helpers", body, 201);
    long long hid = th_int(o, "id");
    json_decref(o);
    /* the elder's account opens with credits from a helper of its own township */
    long long h2 = el_helper(&s, g, grid, 65, "1976-06-06", 'F', "");
    long long rel = el_elder(&s, g, grid, 9, "");
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\",\"time_in\":\"%s\","
             "\"minutes\":120}",
             rel, h2, t_in);
    json_decref(EL(&s, g, "POST", "/api/v1/service-logs", body, 201));
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", h2);
    long long h2acc = el_account_of(&s, off, path);
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld/transfer", h2acc);
    snprintf(body, sizeof body, "{\"minutes\":30,\"to_elder_id\":%lld,\"relation\":\"child\"}",
             self);
    json_decref(EL(&s, off, "POST", path, body, 200));
    snprintf(path, sizeof path, "/api/v1/elders/%lld", self);
    long long sa = el_account_of(&s, off, path);
    CHECK(sa > 0);
    /* the helper earns in 金海湖 */
    long long near = el_elder(&s, off, jgrid, 62, "");
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"helper_id\":%lld,\"kind\":\"companionship\",\"time_in\":\"%s\","
             "\"minutes\":120}",
             near, hid, t_in);
    json_decref(EL(&s, off, "POST", "/api/v1/service-logs", body, 201));
    snprintf(path, sizeof path, "/api/v1/helpers/%lld", hid);
    long long ha = el_account_of(&s, town, path);
    CHECK(ha > 0);
    /* 金海湖's officer: the same person's account elsewhere and another person's there are one
     * answer (the message without its digits), and nothing is written */
    char fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE], msg[2][200];
    th_fingerprint(&s, fp0, sizeof fp0);
    snprintf(path, sizeof path, "/api/v1/credit-accounts/%lld/transfer", ha);
    long long to[2] = {sa, h2acc};
    for (int k = 0; k < 2; k++) {
        snprintf(body, sizeof body,
                 "{\"minutes\":10,\"to_account_id\":%lld,\"relation\":\"spouse\"}", to[k]);
        o = EL(&s, town, "POST", path, body, 422);
        CHECK_STR(th_err_code(o), "unknown_id");
        CHECK_STR(th_err_field(o), "to_account_id");
        el_no_digits(o, msg[k]);
        json_decref(o);
    }
    CHECK_STR(msg[1], msg[0]);
    /* the district officer sees both: still no transfer to oneself */
    snprintf(body, sizeof body, "{\"minutes\":10,\"to_account_id\":%lld,\"relation\":\"spouse\"}",
             sa);
    o = EL(&s, off, "POST", path, body, 422);
    CHECK_STR(th_err_code(o), "invalid_value");
    CHECK_STR(th_err_field(o), "to_account_id");
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    th_stop(&s);
}
