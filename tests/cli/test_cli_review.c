/* The command line after review: the eldercare features the API has (alerts, credits, pair
 * end), updates and actions without a version, filters refused by name, messages with their
 * reason, usage errors as such, flags that take no value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

static void tmp_path(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", t_tmpdir(), name);
}

static long long q_int(const char *db, const char *sql)
{
    th_server sv;
    memset(&sv, 0, sizeof sv);
    snprintf(sv.db, sizeof sv.db, "%s", db);
    return th_sql_int(&sv, sql);
}

/* init --demo with n elders (the runner loads none), as the runner had it after */
static void demo_with_elders(const char *db, const char *n)
{
    const char *was = getenv("PINGJI_DEMO_ELDERS");
    char keep[32];
    snprintf(keep, sizeof keep, "%s", was ? was : "");
    setenv("PINGJI_DEMO_ELDERS", n, 1);
    th_demo_db(db);
    if (was)
        setenv("PINGJI_DEMO_ELDERS", keep, 1);
    else
        unsetenv("PINGJI_DEMO_ELDERS");
}

static const char *num(char buf[24], long long v)
{
    snprintf(buf, 24, "%lld", v);
    return buf;
}

TEST_T(cli_eldercare_alerts_credits_and_pair_end, 180)
{
    char out[1 << 20] = {0};
    char db[600], id[24], id2[24], j[200];
    tmp_path(db, sizeof db, "pj.db");
    demo_with_elders(db, "400"); /* elders with alerts, pairs and credits */
    /* alerts: listed with their filters, unknown values refused */
    CHECK_INT(RUN(out, "elder", "alerts", "--state", "open", "--limit", "3", "--db", db), 0);
    CHECK(strstr(out, "\"resolved_reason\"") && strstr(out, "\"state\": \"open\""));
    CHECK_INT(RUN(out, "elder", "alerts", "--state", "bogus", "--db", db), 2);
    CHECK(strstr(out, "--state takes open, acked, resolved, closed"));
    CHECK_INT(RUN(out, "elder", "alerts", "--kind", "bogus", "--db", db), 2);
    long long al = q_int(db, "SELECT MIN(id) FROM elder_alerts WHERE state = 'open'");
    CHECK(al > 0);
    /* ack without JSON (the current version), resolve needs its note */
    CHECK_INT(RUN(out, "elder", "alert-ack", num(id, al), "--db", db), 0);
    CHECK(strstr(out, "\"state\": \"acked\""));
    CHECK_INT(RUN(out, "elder", "alert-resolve", id, "--db", db), 2);
    CHECK_INT(
        RUN(out, "elder", "alert-resolve", id, "--json", "{\"note\":\"visited\"}", "--db", db), 0);
    snprintf(j, sizeof j,
             "SELECT state = 'resolved' AND note = 'visited' FROM elder_alerts"
             " WHERE id = %lld",
             al);
    CHECK_INT(q_int(db, j), 1);
    CHECK_INT(RUN(out, "elder", "alert-ack", "999999999", "--db", db), 1);
    CHECK(strstr(out, "not_found"));
    /* credits: a helper's account; a transfer to an elder opens the elder's account */
    long long acc = q_int(db, "SELECT id FROM credit_accounts WHERE owner_kind = 'helper'"
                              " AND balance_min > 100 ORDER BY id LIMIT 1");
    long long elder = q_int(db, "SELECT MIN(id) FROM elders WHERE status = 'active'");
    CHECK(acc > 0 && elder > 0);
    CHECK_INT(RUN(out, "elder", "credit", num(id, acc), "--limit", "2", "--db", db), 0);
    CHECK(strstr(out, "\"entries\""));
    snprintf(j, sizeof j,
             "SELECT COUNT(*) FROM credit_accounts WHERE owner_kind = 'elder'"
             " AND owner_id = %lld",
             elder);
    CHECK_INT(q_int(db, j), 0);
    char body[200];
    snprintf(body, sizeof body,
             "{\"minutes\":30,\"to_elder_id\":%lld,\"relation\":\"parent\",\"note\":\"t\"}", elder);
    CHECK_INT(RUN(out, "elder", "transfer", id, "--json", body, "--db", db), 0);
    CHECK_INT(q_int(db, j), 1);
    CHECK_INT(RUN(out, "elder", "redeem", id, "--json", "{\"minutes\":0}", "--db", db), 1);
    CHECK_INT(RUN(out, "elder", "transfer", "--json", body, "--db", db), 2);
    /* pair end without JSON: the current version */
    long long pair = q_int(db, "SELECT MIN(id) FROM elder_pairs WHERE state = 'active'");
    CHECK(pair > 0);
    CHECK_INT(RUN(out, "pair", "end", num(id2, pair), "--db", db), 0);
    snprintf(j, sizeof j, "SELECT state = 'ended' FROM elder_pairs WHERE id = %lld", pair);
    CHECK_INT(q_int(db, j), 1);
    CHECK_INT(RUN(out, "pair", "end", id2, "--db", db), 1); /* ended already */
    /* the help names them */
    CHECK_INT(RUN(out, "elder", "--help"), 0);
    CHECK(strstr(out, "alert-resolve ID --json J") && strstr(out, "transfer ACCOUNT_ID"));
    CHECK_INT(RUN(out, "pair", "--help"), 0);
    CHECK(strstr(out, "end ID [--json J]"));
}

TEST_T(cli_updates_and_actions_take_the_current_version, 180)
{
    char out[1 << 20] = {0};
    char db[600], id[24], j[200];
    tmp_path(db, sizeof db, "pj.db");
    demo_with_elders(db, "100");
    /* an appeal's actions */
    CHECK_INT(RUN(out, "appeal", "add", "--db", db, "--json",
                  "{\"organisation_id\":1,\"channel\":\"phone\",\"type\":\"help\","
                  "\"category\":\"logistics\",\"title\":\"用地\",\"description\":\"协调\"}"),
              0);
    long long ap = q_int(db, "SELECT MAX(id) FROM ent_appeals WHERE state = 'received'");
    CHECK(ap > 0);
    CHECK_INT(RUN(out, "appeal", "accept", num(id, ap), "--db", db), 1); /* wrong state, said */
    CHECK(strstr(out, "cannot accept") && !strstr(out, "version is required"));
    CHECK_INT(RUN(out, "appeal", "dispatch", id, "--db", db), 0);
    snprintf(j, sizeof j, "SELECT state = 'dispatched' FROM ent_appeals WHERE id = %lld", ap);
    CHECK_INT(q_int(db, j), 1);
    CHECK_INT(RUN(out, "appeal", "accept", id, "--db", db), 0);
    CHECK_INT(RUN(out, "appeal", "dispatch", "999999999", "--db", db), 1);
    CHECK(strstr(out, "not_found"));
    /* a version given is still checked */
    CHECK_INT(RUN(out, "appeal", "reply", id, "--json",
                  "{\"reply\":\"done\",\"resolved\":true,\"version\":1}", "--db", db),
              1);
    CHECK(strstr(out, "version"));
    CHECK_INT(RUN(out, "appeal", "reply", id, "--json", "{\"reply\":\"done\",\"resolved\":true}",
                  "--db", db),
              0);
    /* helper update, logistics and stock */
    /* a helper with pairs: made inactive, the pairs end and the tool says how many */
    long long he = q_int(db, "SELECT helper_id FROM elder_pairs WHERE state = 'active'"
                             " GROUP BY helper_id ORDER BY helper_id LIMIT 1");
    CHECK(he > 0);
    snprintf(j, sizeof j,
             "SELECT COUNT(*) FROM elder_pairs WHERE helper_id = %lld AND state = 'active'", he);
    long long pairs = q_int(db, j);
    CHECK(pairs > 0);
    CHECK_INT(RUN(out, "helper", "update", num(id, he), "--json", "{\"active\":false}", "--db", db),
              0);
    char said[96];
    snprintf(said, sizeof said, "the helper's %lld pair(s) ended", pairs);
    CHECK(strstr(out, said));
    CHECK_INT(q_int(db, j), 0);
    snprintf(j, sizeof j, "SELECT active FROM helpers WHERE id = %lld", he);
    CHECK_INT(q_int(db, j), 0);
    /* another, moved to a grid of another township: its pairs end too, and the tool says the
     * count the update itself ended, its answer's pairs_ended (as the API's PATCH answers) */
    long long he2 = q_int(db, "SELECT helper_id FROM elder_pairs WHERE state = 'active'"
                              " GROUP BY helper_id ORDER BY COUNT(*) DESC, helper_id LIMIT 1");
    CHECK(he2 > 0 && he2 != he);
    snprintf(j, sizeof j,
             "SELECT COUNT(*) FROM elder_pairs WHERE helper_id = %lld AND state = 'active'", he2);
    long long pairs2 = q_int(db, j);
    CHECK(pairs2 > 0);
    char gj[400];
    snprintf(gj, sizeof gj,
             "SELECT MIN(g.id) FROM regions g JOIN regions v ON v.id = g.parent_id WHERE g.type ="
             " 'grid' AND v.parent_id <> (SELECT township_id FROM helpers WHERE id = %lld)",
             he2);
    long long far = q_int(db, gj);
    CHECK(far > 0);
    char move[64];
    snprintf(move, sizeof move, "{\"grid_id\":%lld}", far);
    CHECK_INT(RUN(out, "helper", "update", num(id, he2), "--json", move, "--db", db), 0);
    snprintf(said, sizeof said, "the helper's %lld pair(s) ended", pairs2);
    CHECK(strstr(out, said));
    snprintf(said, sizeof said, "\"pairs_ended\": %lld\n", pairs2);
    CHECK(strstr(out, said));
    snprintf(j, sizeof j,
             "SELECT COUNT(*) FROM elder_pairs WHERE helper_id = %lld AND state = 'ended' AND"
             " ended_note = 'moved township'",
             he2);
    CHECK_INT(q_int(db, j), pairs2);
    /* an update that ends none says nothing of pairs */
    CHECK_INT(RUN(out, "helper", "update", id, "--json", "{\"capacity\":5}", "--db", db), 0);
    CHECK(strstr(out, "\"pairs_ended\": 0\n") && !strstr(out, "pair(s) ended"));
    long long wh = q_int(db, "SELECT MIN(id) FROM lg_warehouses");
    CHECK_INT(RUN(out, "logistics", "warehouses", "update", num(id, wh), "--json",
                  "{\"name\":\"CLI 仓\"}", "--db", db),
              0);
    CHECK(strstr(out, "CLI 仓"));
    CHECK_INT(RUN(out, "logistics", "warehouses", "update", "999999999", "--json",
                  "{\"name\":\"x\"}", "--db", db),
              1);
    CHECK(strstr(out, "not_found"));
    long long st = q_int(db, "SELECT MIN(id) FROM stock_lines");
    CHECK_INT(RUN(out, "stock", "update", num(id, st), "--json", "{\"quantity\":7}", "--db", db),
              0);
    snprintf(j, sizeof j, "SELECT quantity FROM stock_lines WHERE id = %lld", st);
    CHECK_INT(q_int(db, j), 7);
    /* the help says which fields each action takes */
    CHECK_INT(RUN(out, "appeal", "--help"), 0);
    CHECK(strstr(out, "rate {rating") && strstr(out, "return {reason}") &&
          strstr(out, "visit {note}") && strstr(out, "dispatch, escalate {department_id}") &&
          strstr(out, "reply {reply,"));
    CHECK(strstr(out, "no \"version\" applies to the current version"));
}

TEST(cli_appeal_filters_are_refused_by_name)
{
    char out[65536] = {0};
    char db[600];
    tmp_path(db, sizeof db, "pj.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "appeal", "list", "--state", "bogus", "--db", db), 2);
    CHECK(strstr(out, "--state takes received, dispatched"));
    CHECK_INT(RUN(out, "appeal", "list", "--category", "bogus", "--db", db), 2);
    CHECK(strstr(out, "--category takes permits"));
    CHECK_INT(RUN(out, "appeal", "list", "--channel", "fax", "--db", db), 2);
    CHECK(strstr(out, "--channel takes reception_day, phone, account, visit"));
    CHECK_INT(RUN(out, "appeal", "list", "--state", "received", "--channel", "phone", "--db", db),
              0);
}

TEST(cli_backup_restore_and_calendar_messages_say_why)
{
    char out[65536] = {0};
    char db[600], link[600], dir[600], none[600], b1[600];
    tmp_path(db, sizeof db, "pj.db");
    tmp_path(link, sizeof link, "link.db");
    tmp_path(dir, sizeof dir, "d");
    tmp_path(none, sizeof none, "nothere.db");
    tmp_path(b1, sizeof b1, "b1.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK(symlink("/nonexistent/target.db", link) == 0);
    CHECK(mkdir(dir, 0700) == 0);
    CHECK_INT(RUN(out, "backup", link, "--db", db), 1);
    CHECK(strstr(out, "is a symbolic link") && !strstr(out, "already exists"));
    CHECK_INT(RUN(out, "backup", dir, "--db", db), 1);
    CHECK(strstr(out, "is a directory") && !strstr(out, "already exists"));
    CHECK_INT(RUN(out, "backup", b1, "--db", db), 0);
    CHECK_INT(RUN(out, "backup", b1, "--db", db), 1);
    CHECK(strstr(out, "already exists"));
    CHECK_INT(RUN(out, "restore", none, "--db", db), 1);
    CHECK(strstr(out, "cannot open") && strstr(out, "No such file or directory"));
    CHECK_INT(RUN(out, "restore", b1, "--db", "/nonexistent-dir/x/y.db"), 1);
    CHECK(strstr(out, "cannot open /nonexistent-dir/x/y.db: "));
    /* the calendar named for both ways in */
    CHECK_INT(RUN(out, "enterprise", "reception-add", "--json", "{\"year\":2091}", "--db", db), 1);
    CHECK(strstr(out, "no_calendar") && strstr(out, "pingji enterprise calendar-set"));
}

TEST(cli_usage_errors_exit_2_and_flags_take_no_value)
{
    char out[65536] = {0};
    char db[600], csv[600];
    tmp_path(db, sizeof db, "pj.db");
    tmp_path(csv, sizeof csv, "mod2.csv");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "indicator", "derive", "--code", "gdp", "--db", db), 2);
    CHECK(strstr(out, "yoy|prev|cagr"));
    CHECK_INT(RUN(out, "indicator", "derive", "bogus", "--code", "gdp", "--db", db), 2);
    CHECK(strstr(out, "'bogus'"));
    CHECK_INT(RUN(out, "region", "update", "1", "--json", "{bad", "--db", db), 2);
    CHECK_INT(RUN(out, "indicator", "set", "--json", "{bad", "--db", db), 2);
    CHECK_INT(RUN(out, "elder", "add", "--json", "[1,", "--db", db), 2);
    CHECK_INT(RUN(out, "agri", "labs", "add", "--json", "{", "--db", db), 2);
    /* a flag before the file: the file is not its value */
    FILE *f = fopen(csv, "w");
    CHECK(f != NULL);
    fputs("code,region,period,value,unit,source,note\n", f);
    fclose(f);
    /* read as the table (a header alone: nothing to import, said so), not as the flag's value */
    CHECK_INT(RUN(out, "import", "--dry-run", csv, "--db", db), 1);
    CHECK(strstr(out, "the table has its header and no rows"));
    /* the help's list of derive functions is on one line */
    CHECK_INT(RUN(out, "help"), 0);
    CHECK(strstr(out, "yoy|prev|cagr|share|points|progress|rank"));
}

/* manual export ID --csv is a flag; manual import --csv FILE takes a file: the flag before the
 * id did take the id for the file's name ("manual export needs ID") */
TEST(cli_manual_export_csv_flag_before_the_id)
{
    char out[1 << 18] = {0}, again[1 << 18] = {0};
    char db[600], csv[600], id[24];
    tmp_path(db, sizeof db, "pj.db");
    tmp_path(csv, sizeof csv, "manual.csv");
    th_demo_db(db);
    long long m = q_int(db, "SELECT MIN(id) FROM manuals");
    CHECK(m > 0);
    snprintf(id, sizeof id, "%lld", m);
    CHECK_INT(RUN(out, "manual", "export", "--csv", id, "--db", db), 0);
    CHECK(!strncmp(out, "phase,code,name,planned_minutes", 31));
    CHECK_INT(RUN(again, "manual", "export", id, "--csv", "--db", db), 0);
    CHECK_STR(out, again);
    /* import still takes its file after --csv */
    FILE *f = fopen(csv, "w");
    CHECK(f != NULL);
    fputs(out, f);
    fclose(f);
    long long fac = q_int(db, "SELECT facility_id FROM manuals ORDER BY id LIMIT 1");
    char fid[24];
    snprintf(fid, sizeof fid, "%lld", fac);
    CHECK_INT(RUN(out, "manual", "import", "--csv", csv, "--facility-id", fid, "--scenario",
                  "epidemic", "--role", "isolation", "--title", "imported", "--db", db),
              0);
    CHECK(strstr(out, "\"title\": \"imported\""));
}

/* The command line moves a reception day as the API does: the firm signed up is told (the
 * answer's notified_firms), and `policy notices` lists the notice with the day and both
 * dates. */
TEST(cli_reception_move_notices_the_firm_signed_up)
{
    char out[65536] = {0};
    char db[600], id[24], body[128];
    tmp_path(db, sizeof db, "notice.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "org", "add", "--json", "{\"name\":\"报名企业\",\"type\":\"enterprise\"}",
                  "--db", db),
              0);
    long long org = q_int(db, "SELECT MAX(id) FROM organisations WHERE name = '报名企业'");
    CHECK_INT(RUN(out, "enterprise", "calendar-set", "--json",
                  "{\"day\":\"2099-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}", "--db", db),
              0);
    CHECK_INT(RUN(out, "enterprise", "reception-add", "--json", "{\"year\":2099}", "--db", db), 0);
    long long day = q_int(db, "SELECT id FROM ent_reception_days WHERE held_on = '2099-10-05'");
    snprintf(id, sizeof id, "%lld", day);
    snprintf(body, sizeof body, "{\"organisation_id\":%lld,\"topic\":\"用地\"}", org);
    CHECK_INT(RUN(out, "enterprise", "signup", id, "--json", body, "--db", db), 0);
    CHECK_INT(RUN(out, "enterprise", "reception-update", id, "--json",
                  "{\"held_on\":\"2099-10-06\"}", "--db", db),
              0);
    CHECK(strstr(out, "\"notified_firms\": 1") != NULL);
    CHECK_INT(RUN(out, "policy", "notices", "--db", db), 0);
    CHECK(strstr(out, "\"kind\": \"reception_moved\"") != NULL);
    CHECK(strstr(out, "\"old_date\": \"2099-10-05\"") != NULL);
    CHECK(strstr(out, "\"new_date\": \"2099-10-06\"") != NULL);
    snprintf(body, sizeof body, "\"reception_day_id\": %lld", day);
    CHECK(strstr(out, body) != NULL);
}
