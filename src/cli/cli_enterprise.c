/* Enterprise-service verbs of the command line (服务企业): enterprise (calendar, settings,
 * reception days, dispatch catalogue, KPIs, profiles, bank–enterprise matching, the cooperation
 * board), appeal (接-派-办-评) and policy (the library, matches, explanations, the notices to
 * firms of policies and of reception days). The command line acts as a local administrator. */
#include <string.h>

#include "cli/cli_int.h"
#include "core/util.h"
#include "domain/enterprise.h"

#include "core/banned.h"

#define SUB(name) static int name(session *s, cli *a, int64_t id, json_t *b, pj_jw *w, pj_buf *csv)

static int ent_filter(cli *a, pj_ent_filter *f)
{
    memset(f, 0, sizeof *f);
    static const char *const ids[] = {"organisation-id", "department-id", "township-id",
                                      "policy-id",       "need-id",       "bank-id",
                                      "post-id",         "cursor"};
    int64_t *outs[] = {&f->organisation_id, &f->department_id, &f->township_id, &f->policy_id,
                       &f->need_id,         &f->bank_id,       &f->post_id,     &f->cursor};
    int u = cli_opt_ids(a, ids, outs, 8);
    if (u) return u;
    if ((f->limit = cli_opt_limit(a)) < 0) return cli_usage("--limit takes 1 to 500");
    f->state = cli_opt(a, "state");
    f->category = cli_opt(a, "category");
    f->kind = cli_opt(a, "kind");
    f->channel = cli_opt(a, "channel");
    f->overdue = cli_opt(a, "overdue") != NULL;
    return 0;
}

#define LIST(name, fn)                                                                             \
    SUB(name)                                                                                      \
    {                                                                                              \
        pj_ent_filter f;                                                                           \
        int u = ent_filter(a, &f);                                                                 \
        return u ? u : fn(&s->ctx, &f, w, &s->err);                                                \
    }
/* 2 (a usage error naming the values) when --state, --category or --kind is not one of the
 * values the list takes (NULL: no such filter): an unknown value is refused, as the API's 400,
 * not answered with an empty list */
static int ent_values(cli *a, const char *const *states, const char *const *categories,
                      const char *const *kinds)
{
    return (states && cli_opt_enum(a, "state", states)) ||
                   (categories && cli_opt_enum(a, "category", categories)) ||
                   (kinds && cli_opt_enum(a, "kind", kinds))
               ? 2
               : 0;
}
#define LIST_OF(name, fn, states, categories, kinds)                                               \
    SUB(name)                                                                                      \
    {                                                                                              \
        pj_ent_filter f;                                                                           \
        int u = ent_values(a, states, categories, kinds);                                          \
        if (!u) u = ent_filter(a, &f);                                                             \
        return u ? u : fn(&s->ctx, &f, w, &s->err);                                                \
    }
#define ID_LIST(name, fn)                                                                          \
    SUB(name)                                                                                      \
    {                                                                                              \
        pj_ent_filter f;                                                                           \
        int u = ent_filter(a, &f);                                                                 \
        return u ? u : fn(&s->ctx, id, &f, w, &s->err);                                            \
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

/* ---- enterprise ---- */

SUB(en_calendar)
{
    int64_t year = 0;
    if (cli_opt(a, "year") && (pj_parse_i64(cli_opt(a, "year"), &year) ||
                               year < PJ_ENT_CAL_YEAR_MIN || year > PJ_ENT_CAL_YEAR_MAX))
        return cli_usage("--year takes 2000 to 2100");
    return pj_ent_calendar_list(&s->ctx, (int)year, w, &s->err);
}
SUB(en_calendar_set)
{
    return pj_ent_calendar_set(&s->ctx, b, w, NULL, &s->err);
}
SUB(en_settings)
{
    return pj_ent_settings_get(&s->ctx, w, &s->err);
}
ADD(en_settings_update, pj_ent_settings_update)
LIST_OF(en_receptions, pj_ent_reception_list, pj_reception_states, NULL, NULL)
GET(en_reception_get, pj_ent_reception_get)
SUB(en_reception_add)
{
    return pj_ent_reception_schedule(&s->ctx, b, w, NULL, &s->err);
}
ID_JSON(en_reception_update, pj_ent_reception_update)
ID_JSON(en_signup, pj_ent_signup_create)
SUB(en_dispatch)
{
    return pj_ent_dispatch_list(&s->ctx, w, &s->err);
}
ADD(en_dispatch_set, pj_ent_dispatch_set)
SUB(en_kpis)
{
    /* a bare date is a day in Pinggu: midnight Beijing time (UTC+8), as in the API */
    const char *from = cli_opt(a, "from"), *to = cli_opt(a, "to");
    int64_t f = 0, t = pj_now() + 1;
    if (!from || pj_time_parse_local(from, &f) || (to && pj_time_parse_local(to, &t)))
        return cli_usage("kpis --from YYYY-MM-DD [--to YYYY-MM-DD] [--csv]");
    return pj_ent_kpis(&s->ctx, f, t, cli_opt(a, "csv") ? NULL : w, cli_opt(a, "csv") ? csv : NULL,
                       &s->err);
}
GET(en_profile, pj_ent_profile_get)
ID_JSON(en_profile_update, pj_ent_profile_update)
LIST(en_bank_products, pj_ent_product_list)
GET(en_bank_product_get, pj_ent_product_get)
ADD(en_bank_product_add, pj_ent_product_create)
ID_JSON(en_bank_product_update, pj_ent_product_update)
LIST_OF(en_needs, pj_ent_need_list, pj_fin_need_states, NULL, NULL)
GET(en_need_get, pj_ent_need_get)
ADD(en_need_add, pj_ent_need_create)
LIST_OF(en_matches, pj_ent_match_list, pj_fin_match_outcomes, NULL, NULL)
GET(en_match_get, pj_ent_match_get)
ID_JSON(en_match_consent, pj_ent_match_consent)
ID_JSON(en_match_outcome, pj_ent_match_outcome)
LIST_OF(en_posts, pj_ent_post_list, pj_coop_post_states, pj_coop_categories, pj_coop_kinds)
GET(en_post_get, pj_ent_post_get)
ADD(en_post_add, pj_ent_post_create)
ID_LIST(en_post_matches, pj_ent_post_matches)
ID_JSON(en_contact_add, pj_ent_contact_create)
LIST_OF(en_contacts, pj_ent_contact_list, pj_coop_contact_states, NULL, NULL)
GET(en_contact_get, pj_ent_contact_get)
ID_JSON(en_contact_respond, pj_ent_contact_respond)

int cli_enterprise(cli *a)
{
    static const cli_sub subs[] = {
        {"calendar", 0, 0, en_calendar},
        {"calendar-set", 0, 1, en_calendar_set},
        {"settings", 0, 0, en_settings},
        {"settings-update", 0, 1, en_settings_update},
        {"receptions", 0, 0, en_receptions},
        {"reception-get", 1, 0, en_reception_get},
        {"reception-add", 0, 1, en_reception_add},
        {"reception-update", 1, 1, en_reception_update, 0, en_reception_get},
        {"signup", 1, 1, en_signup},
        {"dispatch", 0, 0, en_dispatch},
        {"dispatch-set", 0, 1, en_dispatch_set},
        {"kpis", 0, 0, en_kpis},
        {"profile", 1, 0, en_profile},
        {"profile-update", 1, 1, en_profile_update, 0, en_profile},
        {"bank-products", 0, 0, en_bank_products},
        {"bank-product-get", 1, 0, en_bank_product_get},
        {"bank-product-add", 0, 1, en_bank_product_add},
        {"bank-product-update", 1, 1, en_bank_product_update, 0, en_bank_product_get},
        {"needs", 0, 0, en_needs},
        {"need-get", 1, 0, en_need_get},
        {"need-add", 0, 1, en_need_add},
        {"matches", 0, 0, en_matches},
        {"match-get", 1, 0, en_match_get},
        {"match-consent", 1, 1, en_match_consent, 0, en_match_get},
        {"match-outcome", 1, 1, en_match_outcome, 0, en_match_get},
        {"posts", 0, 0, en_posts},
        {"post-get", 1, 0, en_post_get},
        {"post-add", 0, 1, en_post_add},
        {"post-matches", 1, 0, en_post_matches},
        {"contact-add", 1, 1, en_contact_add},
        {"contacts", 0, 0, en_contacts},
        {"contact-get", 1, 0, en_contact_get},
        {"contact-respond", 1, 1, en_contact_respond, 0, en_contact_get},
        {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "receptions");
}

/* ---- appeal ---- */

SUB(ap_list)
{
    /* unknown values are refused, not answered with an empty list */
    if (cli_opt_enum(a, "state", pj_appeal_states) ||
        cli_opt_enum(a, "category", pj_appeal_categories) ||
        cli_opt_enum(a, "channel", pj_appeal_channels))
        return 2;
    pj_ent_filter f;
    int u = ent_filter(a, &f);
    return u ? u : pj_ent_appeal_list(&s->ctx, &f, w, &s->err);
}
GET(ap_get, pj_ent_appeal_get)
ADD(ap_add, pj_ent_appeal_create)
LIST(ap_visits, pj_ent_return_visits)
SUB(ap_sweep)
{
    return pj_ent_appeal_sweep(&s->ctx, w, &s->err);
}
/* appeal ACTION ID [--json J]: the actions of the appeal's life, each its own sub-command */
#define ACT(name)                                                                                  \
    SUB(ap_##name)                                                                                 \
    {                                                                                              \
        return pj_ent_appeal_act(&s->ctx, id, #name, b, w, &s->err);                               \
    }
ACT(dispatch)
ACT(accept)
ACT(return )
ACT(reply)
ACT(rate)
ACT(close)
ACT(escalate)
ACT(visit)

int cli_appeal(cli *a)
{
    static const cli_sub subs[] = {{"list", 0, 0, ap_list},
                                   {"get", 1, 0, ap_get},
                                   {"add", 0, 1, ap_add},
                                   {"dispatch", 1, 2, ap_dispatch, 0, ap_get},
                                   {"accept", 1, 2, ap_accept, 0, ap_get},
                                   {"return", 1, 2, ap_return, 0, ap_get},
                                   {"reply", 1, 2, ap_reply, 0, ap_get},
                                   {"rate", 1, 2, ap_rate, 0, ap_get},
                                   {"close", 1, 2, ap_close, 0, ap_get},
                                   {"escalate", 1, 2, ap_escalate, 0, ap_get},
                                   {"visit", 1, 2, ap_visit, 0, ap_get},
                                   {"sweep", 0, 0, ap_sweep},
                                   {"return-visits", 0, 0, ap_visits},
                                   {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "list");
}

/* ---- policy ---- */

LIST(po_list, pj_ent_policy_list)
GET(po_get, pj_ent_policy_get)
ADD(po_add, pj_ent_policy_create)
ID_JSON(po_update, pj_ent_policy_update)
ID_LIST(po_matches, pj_ent_policy_matches)
LIST(po_notices, pj_ent_notice_list)
ADD(po_rule_check, pj_ent_rule_check)
SUB(po_explain)
{
    int64_t org = cli_opt_id(a, "organisation-id");
    if (org <= 0) return cli_usage("explain ID --organisation-id N");
    return pj_ent_policy_explain(&s->ctx, id, org, w, &s->err);
}

int cli_policy(cli *a)
{
    static const cli_sub subs[] = {{"list", 0, 0, po_list},
                                   {"get", 1, 0, po_get},
                                   {"add", 0, 1, po_add},
                                   {"update", 1, 1, po_update, 0, po_get},
                                   {"matches", 1, 0, po_matches},
                                   {"explain", 1, 0, po_explain},
                                   {"notices", 0, 0, po_notices},
                                   {"rule-check", 0, 1, po_rule_check},
                                   {NULL, 0, 0, NULL}};
    return cli_run_subs(a, subs, "list");
}
