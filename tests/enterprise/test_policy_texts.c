/* A policy's title and issuer are texts a person reads: nothing but white space was saved as a
 * policy without a name (201). They are refused at the field (422 missing_field), as the other
 * resources' texts are, and so is a benefit of white space only (invalid_value: it may be
 * empty). A PATCH that changes nothing (the version alone, or the same values again) answers
 * the policy as it is: the same version, no audit row, no notice. */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "th.h"

static void refused(th_server *s, const char *tok, const char *method, const char *path,
                    const char *body, const char *code, const char *field)
{
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE], diff[4096];
    th_fingerprint(s, before, sizeof before);
    json_t *o = NULL;
    int st = th_call(s, method, path, tok, body, &o);
    if (st != 422) t_fail(__FILE__, __LINE__, "%s %s %s: %d, expected 422", method, path, body, st);
    CHECK_STR(th_err_code(o), code);
    CHECK_STR(th_err_field(o), field);
    json_decref(o);
    th_fingerprint(s, after, sizeof after);
    if (strcmp(before, after))
        t_fail(__FILE__, __LINE__, "a refused write wrote: %s",
               th_fingerprint_diff(before, after, diff, sizeof diff));
}

#define POLICY_REST                                                                                \
    "\"issued_on\":\"2025-01-01\",\"valid_from\":\"2025-01-01\",\"conditions\":\"industry =="      \
    " \\\"logistics\\\"\"}"

TEST(enterprise_policy_blank_texts_refused)
{
    th_server s;
    th_start(&s, 1);
    char off[80];
    th_login(&s, "officer", s.demo_pw, off);
    const char *P = "/api/v1/enterprise/policies";
    refused(&s, off, "POST", P, "{\"title\":\"   \",\"issuer\":\"区商务局\"," POLICY_REST,
            "missing_field", "title");
    refused(&s, off, "POST", P, "{\"title\":\"物流补贴\",\"issuer\":\"  \"," POLICY_REST,
            "missing_field", "issuer");
    refused(&s, off, "POST", P, "{\"title\":\"\\u3000\\t\",\"issuer\":\"区商务局\"," POLICY_REST,
            "missing_field", "title");
    refused(&s, off, "POST", P,
            "{\"title\":\"物流补贴\",\"issuer\":\"区商务局\",\"benefit\":\" \\n \"," POLICY_REST,
            "invalid_value", "benefit");
    json_t *o =
        CALL(&s, "POST", off, P,
             "{\"title\":\"物流补贴\",\"issuer\":\"区商务局\",\"benefit\":\"\"," POLICY_REST, 201);
    long long id = th_int(json_object_get(o, "policy"), "id");
    json_decref(o);
    char path[96];
    snprintf(path, sizeof path, "%s/%lld", P, id);
    refused(&s, off, "PATCH", path, "{\"version\":1,\"title\":\" \"}", "missing_field", "title");
    refused(&s, off, "PATCH", path, "{\"version\":1,\"issuer\":\"\\u3000\"}", "missing_field",
            "issuer");
    th_stop(&s);
}

TEST(enterprise_policy_patch_without_change_writes_nothing)
{
    th_server s;
    th_start(&s, 1);
    char off[80], before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE], diff[4096];
    th_login(&s, "officer", s.demo_pw, off);
    json_t *o = CALL(&s, "POST", off, "/api/v1/enterprise/policies",
                     "{\"title\":\"物流补贴\",\"issuer\":\"区商务局\",\"benefit\":\"减免\","
                     "\"issued_on\":\"2025-01-01\",\"valid_from\":\"2025-01-01\","
                     "\"valid_until\":\"2099-12-31\",\"conditions\":\"industry =="
                     " \\\"logistics\\\" and employees >= 10\"}",
                     201);
    long long id = th_int(json_object_get(o, "policy"), "id");
    long long eligible = th_int(json_object_get(o, "policy"), "eligible_count");
    json_decref(o);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/policies/%lld", id);
    const char *same[] = {
        "{\"version\":1}",
        "{\"version\":1,\"title\":\"物流补贴\",\"issuer\":\"区商务局\",\"benefit\":\"减免\"}",
        "{\"version\":1,\"valid_from\":\"2025-01-01\",\"valid_until\":\"2099-12-31\"}",
        "{\"version\":1,\"conditions\":\"industry == \\\"logistics\\\" and employees >= 10\"}",
    };
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        th_fingerprint(&s, before, sizeof before);
        o = CALL(&s, "PATCH", off, path, same[i], 200);
        json_t *p = json_object_get(o, "policy");
        CHECK_INT(th_int(p, "version"), 1);
        CHECK_STR(th_str(p, "title"), "物流补贴");
        CHECK_INT(th_int(p, "eligible_count"), eligible);
        CHECK_INT(th_int(o, "newly_eligible"), 0);
        json_decref(o);
        th_fingerprint(&s, after, sizeof after);
        if (strcmp(before, after))
            t_fail(__FILE__, __LINE__, "PATCH %s changed nothing but wrote: %s", same[i],
                   th_fingerprint_diff(before, after, diff, sizeof diff));
    }
    /* a change is one: version 2, an audit row */
    long long audits = th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ent_policy'");
    o = CALL(&s, "PATCH", off, path, "{\"version\":1,\"benefit\":\"减免租金\"}", 200);
    CHECK_INT(th_int(json_object_get(o, "policy"), "version"), 2);
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ent_policy'"), audits + 1);
    th_stop(&s);
}
