/* The e-commerce and academy demo as its users see it: the demo enterprise (jd) with its zone
 * enterprise, job posts, streamers and bookings; MCN agencies' streamers of their own township;
 * studio bookings before and after today; followers on several platforms; sessions in the
 * products' seasons; a product's livestream sales equal to its sessions'; cohorts in the state
 * their dates give today. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/ecommerce.h"
#include "t.h"
#include "th.h"

static void load_demos(th_server *s)
{
    pj_err err;
    pj_err_clear(&err);
    th_ctx t;
    th_ctx_open(s, &t, "demo", PJ_ROLE_ADMIN);
    if (pj_ecommerce_demo(&t.c, 7, &err) || pj_academy_demo(&t.c, 7, &err))
        t_fail(__FILE__, __LINE__, "demo: %s", err.message);
    th_ctx_close(&t);
}

static json_t *get(th_server *s, const char *tok, const char *path, int line)
{
    json_t *o = NULL;
    int st = th_call(s, "GET", path, tok, NULL, &o);
    if (st != 200) t_fail(__FILE__, line, "GET %s: %d", path, st);
    return o;
}
#define GET(s, tok, path) get(s, tok, path, __LINE__)

/* "date('now', '+8 hours')": the district's today, as the demo takes it */
#define TODAY "date('now', '+8 hours')"

TEST_T(ecommerce_demo_jd_has_its_zone_enterprise_posts_streamers_and_bookings, 90)
{
    th_server s;
    th_start(&s, 1);
    load_demos(&s);
    char jd[80], path[160];
    th_login(&s, "jd", s.demo_pw, jd);
    long long org = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    long long town =
        th_sql_int(&s, "SELECT o.township_id FROM users u JOIN organisations o ON o.id ="
                       " u.organisation_id WHERE u.username = 'jd'");
    CHECK(org > 0 && town > 0);
    /* a settled zone enterprise of its organisation, a few posts of its own */
    char q[400];
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM ec_zone_enterprises WHERE organisation_id = %lld AND"
             " settled_on IS NOT NULL AND settled_on <= " TODAY,
             org);
    CHECK_INT(th_sql_int(&s, q), 1);
    json_t *o = GET(&s, jd, "/api/v1/academy/posts?limit=500");
    json_t *items = json_object_get(o, "items");
    int own = 0;
    for (size_t i = 0; i < json_array_size(items); i++)
        own += th_int(json_array_get(items, i), "organisation_id") == org;
    CHECK(own >= 2 && own <= 5);
    json_decref(o);
    /* a handful of its own streamers, of its own township, their personal data its to see */
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers?organisation_id=%lld&limit=500", org);
    o = GET(&s, jd, path);
    items = json_object_get(o, "items");
    CHECK(json_array_size(items) >= 3 && json_array_size(items) <= 12);
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *x = json_array_get(items, i);
        CHECK_INT(th_int(x, "organisation_id"), org);
        CHECK_INT(th_int(x, "township_id"), town);
        CHECK(strchr(th_str(x, "id_number"), '*') == NULL);
    }
    json_decref(o);
    /* its bookings: some past, some in the coming weeks */
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM ec_bookings WHERE organisation_id = %lld AND state = 'booked'"
             " AND starts_at > strftime('%%s', 'now') AND starts_at < strftime('%%s', 'now',"
             " '+22 days')",
             org);
    CHECK(th_sql_int(&s, q) >= 1);
    th_stop(&s);
}

TEST_T(ecommerce_demo_organisations_streamers_and_studio_bookings, 90)
{
    th_server s;
    th_start(&s, 1);
    load_demos(&s);
    /* streamers of MCN agencies among the zone enterprises, besides jd's */
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ec_streamers x JOIN ec_zone_enterprises z ON"
                         " z.organisation_id = x.organisation_id WHERE z.kind = 'mcn'") >= 10);
    CHECK(th_sql_int(&s, "SELECT COUNT(DISTINCT x.organisation_id) FROM ec_streamers x JOIN"
                         " ec_zone_enterprises z ON z.organisation_id = x.organisation_id WHERE"
                         " z.kind = 'mcn'") >= 3);
    /* every streamer of an organisation is of its township; most are of none */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ec_streamers x JOIN organisations o ON o.id ="
                             " x.organisation_id WHERE x.township_id IS NOT o.township_id"),
              0);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ec_streamers WHERE organisation_id IS NULL") > 70);
    /* the zone's organisations are synthetic where the seed names none */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM organisations o JOIN ec_zone_enterprises z ON"
                             " z.organisation_id = o.id WHERE z.kind = 'mcn' AND o.source <>"
                             " 'synthetic'"),
              0);
    /* bookings in the past weeks and the coming ones, at the 供销 park most, every slot held */
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ec_bookings WHERE state = 'booked' AND ends_at <"
                         " strftime('%s', 'now')") >= 50);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ec_bookings WHERE state = 'booked' AND starts_at >"
                         " strftime('%s', 'now')") >= 50);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ec_bookings WHERE starts_at > strftime('%s',"
                             " 'now', '+30 days') OR ends_at < strftime('%s', 'now', '-30 days')"),
              0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ec_bookings b WHERE state = 'booked' AND"
                             " (ends_at - starts_at) / 1800 <> (SELECT COUNT(*) FROM"
                             " ec_booking_slots t WHERE t.booking_id = b.id)"),
              0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ec_booking_slots t JOIN ec_bookings b ON b.id ="
                             " t.booking_id WHERE b.state = 'cancelled'"),
              0);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ec_bookings b JOIN ec_studios t ON t.id ="
                         " b.studio_id JOIN ec_bases e ON e.id = t.base_id WHERE e.name ="
                         " '国农港智慧云供销村播产业园'") >
          th_sql_int(&s, "SELECT COUNT(*) FROM ec_bookings") / 2);
    /* an organisation's booking is by one of its streamers */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ec_bookings b JOIN ec_streamers x ON x.id ="
                             " b.streamer_id WHERE b.organisation_id IS NOT x.organisation_id"),
              0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ec_bookings WHERE source <> 'synthetic'"), 0);
    th_stop(&s);
}

TEST_T(ecommerce_demo_followers_seasons_and_sales_from_sessions, 90)
{
    th_server s;
    th_start(&s, 1);
    load_demos(&s);
    char tok[80];
    th_login(&s, "viewer", s.demo_pw, tok);
    /* the seed's average over several platforms */
    json_t *k = GET(&s, tok, "/api/v1/ecommerce/kpi");
    CHECK_INT(th_int(k, "avg_followers"), 10000);
    CHECK_INT(th_int(k, "followers_total"), 1400000);
    json_decref(k);
    CHECK(th_sql_int(&s, "SELECT COUNT(DISTINCT platform) FROM ec_followers") >= 5);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM (SELECT streamer_id FROM ec_followers GROUP BY"
                         " streamer_id HAVING COUNT(DISTINCT platform) > 1)") >= 40);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ec_followers WHERE platform = 'douyin' AND as_of ="
                         " (SELECT MAX(as_of) FROM ec_followers)") < 140);
    /* the activity runs to today */
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ec_sessions WHERE day >= date(" TODAY
                         ", '-14 days') AND day < " TODAY) > 0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ec_sessions WHERE day >= " TODAY), 0);
    /* peaches sell when they ripen: July–September most, none January–April */
    long long peach = th_sql_int(&s, "SELECT COUNT(*) FROM ec_sessions s JOIN ec_session_products"
                                     " p ON p.session_id = s.id JOIN ec_products x ON x.id ="
                                     " p.product_id WHERE x.name = '平谷大桃'");
    long long summer = th_sql_int(&s, "SELECT COUNT(*) FROM ec_sessions s JOIN"
                                      " ec_session_products p ON p.session_id = s.id JOIN"
                                      " ec_products x ON x.id = p.product_id WHERE x.name ="
                                      " '平谷大桃' AND substr(s.day, 6, 2) IN ('07', '08', '09')");
    CHECK(peach > 100 && summer * 10 >= peach * 7);
    CHECK_INT(th_sql_int(&s,
                         "SELECT COUNT(*) FROM ec_sessions s JOIN ec_session_products p ON"
                         " p.session_id = s.id JOIN ec_products x ON x.id = p.product_id WHERE"
                         " x.name IN ('平谷大桃', '北寨红杏', '佛见喜梨') AND substr(s.day, 6, 2)"
                         " IN ('02', '03', '04')"),
              0);
    /* 北寨红杏 in June; the camping tickets not in winter */
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ec_sessions s JOIN ec_session_products p ON"
                         " p.session_id = s.id JOIN ec_products x ON x.id = p.product_id WHERE"
                         " x.name = '北寨红杏' AND substr(s.day, 6, 2) = '06'") *
              2 >
          th_sql_int(&s, "SELECT COUNT(*) FROM ec_sessions s JOIN ec_session_products p ON"
                         " p.session_id = s.id JOIN ec_products x ON x.id = p.product_id WHERE"
                         " x.name = '北寨红杏'"));
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ec_sessions s JOIN ec_session_products p ON"
                             " p.session_id = s.id JOIN ec_products x ON x.id = p.product_id WHERE"
                             " x.category = 'culture_tourism' AND substr(s.day, 6, 2) IN ('01',"
                             " '02', '12')"),
              0);
    /* every session sells one product; a product's livestream sales of a month are its
     * sessions' of that month, each month with sessions recorded */
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ec_sessions s WHERE (SELECT COUNT(*) FROM"
                             " ec_session_products p WHERE p.session_id = s.id) <> 1"),
              0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM (SELECT p.product_id, substr(s.day, 1, 7) m,"
                             " SUM(s.orders) o, SUM(s.gmv_fen) g FROM ec_sessions s JOIN"
                             " ec_session_products p ON p.session_id = s.id GROUP BY 1, 2) a LEFT"
                             " JOIN ec_product_sales l ON l.product_id = a.product_id AND l.month"
                             " = a.m AND l.channel = 'livestream' WHERE l.gmv_fen IS NOT a.g OR"
                             " l.orders IS NOT a.o"),
              0);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ec_product_sales l WHERE channel ="
                             " 'livestream' AND NOT EXISTS (SELECT 1 FROM ec_sessions s JOIN"
                             " ec_session_products p ON p.session_id = s.id WHERE p.product_id ="
                             " l.product_id AND substr(s.day, 1, 7) = l.month)"),
              0);
    /* the same through the API for 平谷大桃 */
    long long pid = th_sql_int(&s, "SELECT id FROM ec_products WHERE name = '平谷大桃'");
    char path[160], q[400];
    snprintf(path, sizeof path, "/api/v1/ecommerce/products/%lld/sales?channel=livestream", pid);
    json_t *o = GET(&s, tok, path);
    json_t *items = json_object_get(o, "items");
    CHECK(json_array_size(items) >= 6);
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *r = json_array_get(items, i);
        snprintf(q, sizeof q,
                 "SELECT SUM(s.gmv_fen) FROM ec_sessions s JOIN ec_session_products p ON"
                 " p.session_id = s.id WHERE p.product_id = %lld AND substr(s.day, 1, 7) = '%s'",
                 pid, th_str(r, "month"));
        CHECK_INT(th_int(r, "gmv_fen"), th_sql_int(&s, q));
    }
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ec_product_sales WHERE source <> 'synthetic'"),
              0);
    th_stop(&s);
}

/* The academy's cohorts in the state their dates give on `day` (NULL: today), the demo built
 * on that day's clock: past its end graduated, begun and not ended running, not begun open or
 * planned; one cohort at least running, whatever the day; the open one with room; nothing
 * dated after the day. */
static void cohorts_on(const char *day)
{
    if (day) th_clock_at(day, 10, 0);
    th_server s;
    th_start(&s, 1);
    load_demos(&s);
    char t[11], q[600];
    pj_local_date(pj_now(), t);
    if (day) CHECK_STR(t, day);
#define SQL_INT(...) (snprintf(q, sizeof q, __VA_ARGS__), th_sql_int(&s, q))
    CHECK_INT(SQL_INT("SELECT COUNT(*) FROM ac_cohorts WHERE ends_on < '%s' AND state <>"
                      " 'graduated'",
                      t),
              0);
    CHECK_INT(SQL_INT("SELECT COUNT(*) FROM ac_cohorts WHERE starts_on <= '%s' AND ends_on >="
                      " '%s' AND state <> 'running'",
                      t, t),
              0);
    CHECK_INT(SQL_INT("SELECT COUNT(*) FROM ac_cohorts WHERE starts_on > '%s' AND state NOT IN"
                      " ('open', 'planned')",
                      t),
              0);
    if (th_sql_int(&s, "SELECT COUNT(*) FROM ac_cohorts WHERE state = 'running'") < 1)
        t_fail(__FILE__, __LINE__, "no cohort running on %s", t);
    CHECK(th_sql_int(&s, "SELECT COUNT(*) FROM ac_cohorts WHERE state = 'graduated'") >= 4);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ac_cohorts WHERE state = 'open'"), 1);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ac_cohorts WHERE state = 'open' AND enrolled >"
                             " 0 AND enrolled < capacity"),
              1);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ac_enrolments"), 120);
    /* nothing after the day: enrolments, graduations, placements, practice */
    CHECK_INT(SQL_INT("SELECT COUNT(*) FROM ac_enrolments WHERE enrolled_on > '%s' OR"
                      " graduated_on >= '%s' OR placed_on >= '%s'",
                      t, t, t),
              0);
    CHECK_INT(SQL_INT("SELECT COUNT(*) FROM ac_practice a JOIN ec_sessions q ON q.id ="
                      " a.session_id WHERE q.day >= '%s'",
                      t),
              0);
#undef SQL_INT
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM ac_enrolments e JOIN ac_cohorts h ON h.id ="
                             " e.cohort_id WHERE h.state IN ('open', 'planned', 'running') AND"
                             " e.state <> 'enrolled'"),
              0);
    /* a streamer of a zone organisation is enrolled on its post */
    CHECK_INT(th_sql_int(&s,
                         "SELECT COUNT(*) FROM ac_enrolments e JOIN ec_streamers x ON x.id ="
                         " e.streamer_id JOIN ac_posts p ON p.id = e.post_id JOIN"
                         " ec_zone_enterprises z ON z.id = p.zone_enterprise_id WHERE"
                         " x.organisation_id IN (SELECT organisation_id FROM"
                         " ec_zone_enterprises) AND z.organisation_id IS NOT x.organisation_id"),
              0);
    /* the six-month share today is that of the graduates six months on, most still streaming */
    char tok[80];
    th_login(&s, "viewer", s.demo_pw, tok);
    json_t *k = GET(&s, tok, "/api/v1/academy/kpi");
    json_t *ov = json_object_get(k, "overall");
    CHECK(th_int(ov, "graduates_6_months_on") > 0);
    CHECK(json_number_value(json_object_get(ov, "streaming_6_months_share")) >= 50);
    json_decref(k);
    th_stop(&s);
    if (day) th_clock_real();
}

TEST_T(academy_demo_cohorts_in_the_state_of_their_dates, 90)
{
    cohorts_on(NULL);
}

/* Regression: the academy's year had no term from early December to March, nor in August, so
 * a demo built then showed no cohort running (and a page that looks for one had none). The
 * days: 2026-12-05 (the first day without one), mid-February and mid-August, a Saturday
 * between two terms (2026-01-10) and New Year's Eve. */
TEST_T(academy_demo_a_cohort_runs_in_early_december, 90)
{
    cohorts_on("2026-12-05");
}

TEST_T(academy_demo_a_cohort_runs_in_february, 90)
{
    cohorts_on("2027-02-17");
}

TEST_T(academy_demo_a_cohort_runs_in_august, 90)
{
    cohorts_on("2027-08-14");
}

TEST_T(academy_demo_a_cohort_runs_on_a_saturday_between_terms, 90)
{
    cohorts_on("2026-01-10");
}

TEST_T(academy_demo_a_cohort_runs_on_new_years_eve, 90)
{
    cohorts_on("2027-12-31");
}

/* The running month has the sessions of the days passed (up to yesterday), at the rate of the
 * month before, not a whole month's crammed into its first days (80 sessions on the 1st and 2nd
 * against 173 in the 30 days of November). On the 1st it has none. The demo is built with the
 * clock set to `today` (10:00 Beijing). */
static void running_month_on(const char *today)
{
    th_clock_at(today, 10, 0);
    th_server s;
    th_start(&s, 1);
    load_demos(&s);
    char q[400], day[11];
    pj_local_date(pj_now(), day);
    CHECK_STR(day, today);
    snprintf(q, sizeof q, "SELECT CAST(strftime('%%d', '%s') AS INTEGER) - 1", today);
    long long cur_days = th_sql_int(&s, q);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM ec_sessions WHERE source = 'synthetic'"
             " AND day >= date('%s', 'start of month')",
             today);
    long long cur = th_sql_int(&s, q);
    snprintf(q, sizeof q,
             "SELECT CAST(strftime('%%d', date('%s', 'start of month', '-1 day')) AS INTEGER)",
             today);
    long long prev_days = th_sql_int(&s, q);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM ec_sessions WHERE source = 'synthetic'"
             " AND day >= date('%s', 'start of month', '-1 month')"
             " AND day < date('%s', 'start of month')",
             today, today);
    long long prev = th_sql_int(&s, q);
    CHECK(prev > 30);
    if (cur_days == 0)
        CHECK_INT(cur, 0);
    else
        CHECK(cur > 0);
    /* the rate of the days passed at most twice the month before's, with room for chance */
    if (cur * prev_days > 2 * prev * cur_days + 10 * prev_days)
        t_fail(__FILE__, __LINE__,
               "%lld sessions in %lld days of this month, %lld in %lld days before", cur, cur_days,
               prev, prev_days);
    th_stop(&s);
    th_clock_real();
}

/* on the 1st (2027-03-01): none yet */
TEST_T(ecommerce_demo_running_month_none_on_the_1st, 90)
{
    running_month_on("2027-03-01");
}

/* mid-month (2027-03-16): 15 days' worth */
TEST_T(ecommerce_demo_running_month_scaled_to_days_passed, 90)
{
    running_month_on("2027-03-16");
}
