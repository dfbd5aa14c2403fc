/* Appeals follow their firm: a firm that moves township is handled, and seen, by the new one. */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "th.h"

static int get_appeal(th_server *s, const char *tok, long long id, json_t **o)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld", id);
    return th_call(s, "GET", path, tok, NULL, o);
}

static void move_org(th_server *s, const char *off, long long org, long long town)
{
    char path[96], body[96];
    json_t *o;
    snprintf(path, sizeof path, "/api/v1/organisations/%lld", org);
    CHECK_INT(th_call(s, "GET", path, off, NULL, &o), 200);
    snprintf(body, sizeof body, "{\"version\":%lld,\"township_id\":%lld}", th_int(o, "version"),
             town);
    json_decref(o);
    CHECK_INT(th_call(s, "PATCH", path, off, body, &o), 200);
    CHECK_INT(th_int(o, "township_id"), town);
    json_decref(o);
}

/* the appeals the township officer's KPIs count since 2020 */
static long long town_appeals(th_server *s, const char *tok)
{
    json_t *o;
    CHECK_INT(th_call(s, "GET", "/api/v1/enterprise/kpis?from=2020-01-01", tok, NULL, &o), 200);
    long long n = th_int(json_object_get(o, "district"), "appeals");
    json_decref(o);
    return n;
}

/* Regression: an appeal kept the township it was filed in, so after the firm moved, the old
 * township's officer still saw it (with the firm's full contact phone) and could act on it,
 * while the new township's officer got 404. Changing an organisation's township now moves all
 * its appeals, open and closed, in the same transaction, each with an audit row. */
TEST(enterprise_appeals_follow_their_firm_to_its_new_township)
{
    th_server s;
    th_start(&s, 1);
    char off[80], jd[80], town[80], sql[200];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long t = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    snprintf(sql, sizeof sql, "SELECT MIN(id) FROM regions WHERE type = 'township' AND id <> %lld",
             t);
    long long u = th_sql_int(&s, sql);
    CHECK(t > 0 && u > 0 && org > 0);
    /* the firm starts in township u: an appeal filed there */
    move_org(&s, off, org, u);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/enterprise/appeals", jd,
                      "{\"type\":\"help\",\"category\":\"permits\",\"title\":\"测试\","
                      "\"description\":\"d\",\"contact_phone\":\"13800001234\"}",
                      &o),
              201);
    long long id = th_int(o, "id");
    CHECK_INT(th_int(o, "township_id"), u);
    json_decref(o);
    CHECK_INT(get_appeal(&s, town, id, &o), 404);
    json_decref(o);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ent_appeal'"
             " AND entity_id = %lld",
             id);
    long long audits = th_sql_int(&s, sql);
    long long kpi_before = town_appeals(&s, town);
    /* it moves to jinhaihu's township t: the appeal with it */
    move_org(&s, off, org, t);
    /* and the township's KPIs count the firm's appeals where the firm is now */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ent_appeals WHERE org_id = %lld AND received_at >="
             " strftime('%%s', '2019-12-31 16:00:00')",
             org);
    CHECK(th_sql_int(&s, sql) >= 1);
    CHECK_INT(town_appeals(&s, town), kpi_before + th_sql_int(&s, sql));
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ent_appeal'"
             " AND entity_id = %lld",
             id);
    CHECK_INT(get_appeal(&s, town, id, &o), 200);
    CHECK_INT(th_int(o, "township_id"), t);
    CHECK_STR(th_str(o, "contact_phone"), "13800001234");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, sql), audits + 1);
    CHECK_INT(th_call(&s, "GET", "/api/v1/enterprise/appeals?limit=200", town, NULL, &o), 200);
    int listed = 0;
    json_t *items = json_object_get(o, "items");
    for (size_t k = 0; k < json_array_size(items); k++)
        if (th_int(json_array_get(items, k), "id") == id) listed = 1;
    CHECK(listed);
    json_decref(o);
    /* closed ones too: none of the firm's appeals stays behind */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ent_appeals WHERE org_id = %lld AND township_id IS NOT %lld",
             org, t);
    CHECK_INT(th_sql_int(&s, sql), 0);
    /* and away again: the old township's officer no longer sees it nor acts on it */
    move_org(&s, off, org, u);
    CHECK_INT(get_appeal(&s, town, id, &o), 404);
    json_decref(o);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/enterprise/appeals/%lld/dispatch", id);
    CHECK_INT(th_call(&s, "POST", path, town, "{\"version\":3}", &o), 404);
    json_decref(o);
    th_stop(&s);
}

/* Regression: a firm that moved township left its streamers in the old one, a state the API
 * refuses for any streamer written: neither township's officer could edit them or see their
 * personal data. The firm's live streamers now follow it in the same transaction, each with an
 * audit row. */
TEST(enterprise_streamers_follow_their_firm_to_its_new_township)
{
    th_server s;
    th_start(&s, 1);
    char off[80], town[80], sql[240], path[96], body[96];
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long t = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    snprintf(sql, sizeof sql, "SELECT MIN(id) FROM regions WHERE type = 'township' AND id <> %lld",
             t);
    long long u = th_sql_int(&s, sql);
    move_org(&s, off, org, u);
    /* a streamer of the firm, in its township u */
    snprintf(body, sizeof body,
             "{\"name\":\"测试主播\",\"birth_date\":\"1990-01-01\",\"skill_level\":2,"
             "\"organisation_id\":%lld}",
             org);
    json_t *o;
    CHECK_INT(th_call(&s, "POST", "/api/v1/ecommerce/streamers", off, body, &o), 201);
    long long id = th_int(o, "id");
    CHECK_INT(th_int(o, "township_id"), u);
    json_decref(o);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ec_streamer' AND entity_id = %lld", id);
    long long audits = th_sql_int(&s, sql);
    move_org(&s, off, org, t);
    /* every live streamer of the firm is in its new township */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ec_streamers WHERE organisation_id = %lld AND NOT anonymised"
             " AND township_id IS NOT %lld",
             org, t);
    CHECK_INT(th_sql_int(&s, sql), 0);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ec_streamer' AND entity_id = %lld", id);
    CHECK_INT(th_sql_int(&s, sql), audits + 1);
    /* and the new township's officer keeps it */
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", id);
    CHECK_INT(th_call(&s, "GET", path, town, NULL, &o), 200);
    CHECK_INT(th_int(o, "township_id"), t);
    CHECK(json_is_true(json_object_get(o, "personal_data")));
    snprintf(body, sizeof body, "{\"version\":%lld,\"skill_level\":3}", th_int(o, "version"));
    json_decref(o);
    CHECK_INT(th_call(&s, "PATCH", path, town, body, NULL), 200);
    th_stop(&s);
}
