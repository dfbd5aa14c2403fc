/* An organisation that serves as its type keeps it: a department in the appeals' dispatch
 * catalogue (or holding open appeals, or invited to reception days to come) retyped as an
 * enterprise left the catalogue dispatching to "no government department" (422 on a
 * department_id the officer never sent) and its open appeals held by a firm; a bank with loan
 * products likewise. 409 in_use on type, nothing written; one serving as nothing is retyped. */
#include <stdio.h>
#include <string.h>

#include "domain/enterprise.h"
#include "t.h"
#include "th.h"

static int retype(th_server *s, const char *tok, long long id, const char *type, json_t **o)
{
    char path[64], body[128], q[96];
    snprintf(q, sizeof q, "SELECT version FROM organisations WHERE id = %lld", id);
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", id);
    snprintf(body, sizeof body, "{\"version\":%lld,\"type\":\"%s\"}", th_sql_int(s, q), type);
    return th_call(s, "PATCH", path, tok, body, o);
}

TEST(enterprise_department_and_bank_in_use_keep_their_type)
{
    th_server s;
    th_start(&s, 1);
    th_demo(&s, pj_enterprise_demo);
    char off[80], fp0[TH_FINGERPRINT_SIZE], fp1[TH_FINGERPRINT_SIZE];
    th_login(&s, "officer", s.demo_pw, off);
    long long dept = th_sql_int(&s, "SELECT department_id FROM ent_dispatch WHERE category ="
                                    " 'other'");
    long long bank = th_sql_int(&s, "SELECT MIN(bank_id) FROM ent_bank_products");
    CHECK(dept > 0 && bank > 0);
    json_t *o;
    th_fingerprint(&s, fp0, sizeof fp0);
    CHECK_INT(retype(&s, off, dept, "enterprise", &o), 409);
    CHECK_STR(th_err_code(o), "in_use");
    CHECK_STR(th_err_field(o), "type");
    CHECK(strstr(th_err_message(o), "dispatch catalogue") != NULL);
    json_decref(o);
    CHECK_INT(retype(&s, off, bank, "enterprise", &o), 409);
    CHECK_STR(th_err_field(o), "type");
    CHECK(strstr(th_err_message(o), "loan products") != NULL);
    json_decref(o);
    th_fingerprint(&s, fp1, sizeof fp1);
    CHECK_STR(fp1, fp0);
    /* the same write that keeps the type (a name, say) goes through */
    char path[64], body[128], q[96];
    snprintf(q, sizeof q, "SELECT version FROM organisations WHERE id = %lld", dept);
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", dept);
    snprintf(body, sizeof body, "{\"version\":%lld,\"type\":\"government\"}", th_sql_int(&s, q));
    CHECK_INT(th_call(&s, "PATCH", path, off, body, &o), 200);
    json_decref(o);
    /* a department serving as nothing is retyped */
    long long idle = th_sql_int(
        &s, "SELECT MIN(id) FROM organisations o WHERE type = 'government' AND NOT EXISTS"
            " (SELECT 1 FROM ent_dispatch WHERE department_id = o.id) AND NOT EXISTS (SELECT 1"
            " FROM ent_appeals WHERE department_id = o.id AND state <> 'closed') AND NOT EXISTS"
            " (SELECT 1 FROM ent_reception_days d, json_each(d.department_ids) j WHERE d.state ="
            " 'planned' AND j.value = o.id)");
    CHECK(idle > 0);
    CHECK_INT(retype(&s, off, idle, "enterprise", &o), 200);
    CHECK_STR(th_str(o, "type"), "enterprise");
    json_decref(o);
    th_stop(&s);
}
