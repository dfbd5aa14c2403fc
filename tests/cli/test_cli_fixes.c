/* Regression tests of the command line: bad input refused before anything is written, clear
 * messages naming the argument, databases opened only where they exist. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "th.h"
#include "domain/auth.h"
#include "domain/elder.h"

#include <xlsxwriter.h>

static void path_in_tmp(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", t_tmpdir(), name);
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(text, 1, len, f) == len);
    fclose(f);
}

static int exists(const char *path)
{
    return access(path, F_OK) == 0;
}

TEST(cli_missing_or_foreign_database_is_not_created)
{
    char out[65536] = {0};
    char db[600], empty[600], text[600], dir[600];
    path_in_tmp(db, sizeof db, "nothere.db");
    path_in_tmp(empty, sizeof empty, "empty.db");
    path_in_tmp(text, sizeof text, "notdb.txt");
    path_in_tmp(dir, sizeof dir, "adir");
    /* a missing file: refused, nothing created */
    CHECK_INT(RUN(out, "region", "list", "--db", db), 1);
    CHECK(strstr(out, "no database at ") && strstr(out, "nothere.db") &&
          strstr(out, "pingji init"));
    CHECK(!exists(db));
    CHECK_INT(RUN(out, "audit", "--db", db), 1);
    CHECK_INT(RUN(out, "backup", text, "--db", db), 1);
    CHECK(!exists(db) && !exists(text));
    /* an empty file is not a pingji database either (and stays empty) */
    write_file(empty, "", 0);
    CHECK_INT(RUN(out, "region", "list", "--db", empty), 1);
    CHECK(strstr(out, "is not a pingji database"));
    struct stat st;
    CHECK(stat(empty, &st) == 0 && st.st_size == 0);
    /* a text file: named, with the reason */
    write_file(text, "hello\n", 6);
    CHECK_INT(RUN(out, "region", "list", "--db", text), 1);
    CHECK(strstr(out, "notdb.txt is not a pingji database"));
    CHECK(!strstr(out, "database error (internal)"));
    CHECK_INT(RUN(out, "init", "--db", text), 1);
    CHECK(strstr(out, "notdb.txt is not a pingji database"));
    /* a directory */
    CHECK(mkdir(dir, 0755) == 0);
    CHECK_INT(RUN(out, "region", "list", "--db", dir), 1);
    CHECK(strstr(out, "cannot open") && strstr(out, "adir"));
    /* $PINGJI_DB likewise */
    setenv("PINGJI_DB", db, 1);
    CHECK_INT(RUN(out, "facility", "list"), 1);
    unsetenv("PINGJI_DB");
    CHECK(!exists(db));
    /* init creates it; then the verbs work */
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "region", "list", "--db", db), 0);
}

/* A demo database in the test's directory; its path in db. */
static void demo_db(char *db, size_t size)
{
    path_in_tmp(db, size, "pj.db");
    th_demo_db(db);
}

static long long sql_int(const char *db, const char *sql)
{
    th_server sv;
    memset(&sv, 0, sizeof sv);
    snprintf(sv.db, sizeof sv.db, "%s", db);
    return th_sql_int(&sv, sql);
}

/* A small scenario of the demo district for plan --scenario. */
static const char plan_scenario[] =
    "{\"name\":\"cli\",\"scenario\":\"disaster\",\"role\":\"resettlement\","
    "\"affected\":{\"center\":{\"lat\":40.2,\"lon\":117.3},\"radius_km\":6},"
    "\"demand\":{\"people\":400},\"teams\":{\"cleaning\":12,\"logistics\":16,"
    "\"security\":4,\"medical\":4,\"catering\":6,\"it\":2},\"time_limit_s\":0.3}";

TEST_T(cli_commands_check_everything_before_writing, 120)
{
    char out[1 << 20] = {0};
    char db[600], scn[600], fresh[600];
    demo_db(db, sizeof db);
    path_in_tmp(scn, sizeof scn, "scenario.json");
    path_in_tmp(fresh, sizeof fresh, "fresh.db");
    write_file(scn, plan_scenario, strlen(plan_scenario));
    long long audit = sql_int(db, "SELECT COUNT(*) FROM audit");
    /* --out into a directory that does not exist: refused before the plan is saved */
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn, "--out", "/nonexistent/dir/r.json"),
              1);
    CHECK(strstr(out, "/nonexistent/dir/r.json"));
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM plans"), 0);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM audit"), audit);
    /* --out onto a directory, --out without a file, --scenario without a file: usage */
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn, "--out", t_tmpdir()), 1);
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn, "--out"), 2);
    CHECK(strstr(out, "--out"));
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario"), 2);
    CHECK(strstr(out, "scenario") && !strstr(out, "unable to open"));
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM plans"), 0);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM audit"), audit);
    /* the same scenario with a writable --out is saved */
    char res[600];
    path_in_tmp(res, sizeof res, "r.json");
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn, "--out", res), 0);
    CHECK(exists(res));
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM plans"), 1);
    /* serve with a bad option: nothing created (no database, no admin, no demo) */
    CHECK_INT(RUN(out, "serve", "--db", fresh, "--port", "abc", "--demo-if-new"), 2);
    CHECK(strstr(out, "--port"));
    CHECK(!exists(fresh));
    CHECK_INT(RUN(out, "serve", "--db", fresh, "--idle-minutes", "0", "--demo-if-new"), 2);
    CHECK_INT(RUN(out, "serve", "--db", fresh, "--alert-scan-s", "-1"), 2);
    CHECK_INT(RUN(out, "serve", "--db", fresh, "--seed", "abc", "--demo-if-new"), 2);
    CHECK(strstr(out, "--seed"));
    CHECK(!exists(fresh));
    CHECK_INT(RUN(out, "init", "--db", fresh, "--demo", "--seed", "abc"), 2);
    CHECK(strstr(out, "--seed"));
    CHECK(!exists(fresh));
    /* regression: serve on a port in use (another pingji) created the database, its admin and
     * the demo before it failed to listen; now the port is taken first, nothing is made */
    int busy = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    CHECK_INT(bind(busy, (struct sockaddr *)&sa, sizeof sa), 0);
    CHECK_INT(listen(busy, 1), 0);
    CHECK_INT(getsockname(busy, (struct sockaddr *)&sa, &sl), 0);
    char port[16];
    snprintf(port, sizeof port, "%d", ntohs(sa.sin_port));
    CHECK_INT(RUN(out, "serve", "--db", fresh, "--port", port, "--demo-if-new", "--quiet"), 1);
    CHECK(strstr(out, "cannot listen on 127.0.0.1:"));
    CHECK(!exists(fresh));
    close(busy);
}

TEST(cli_last_active_admin_is_kept)
{
    char out[65536] = {0};
    char db[600];
    path_in_tmp(db, sizeof db, "pj.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    long long audit = sql_int(db, "SELECT COUNT(*) FROM audit");
    /* the only admin: not disabled, not demoted, and nothing written */
    CHECK_INT(RUN(out, "user", "delete", "1", "--db", db), 1);
    CHECK(strstr(out, "last active admin") && strstr(out, "invalid_state"));
    CHECK_INT(RUN(out, "user", "update", "1", "--json", "{\"role\":\"viewer\"}", "--db", db), 1);
    CHECK(strstr(out, "last active admin"));
    CHECK_INT(RUN(out, "user", "update", "1", "--json", "{\"disabled\":true}", "--db", db), 1);
    CHECK(strstr(out, "last active admin"));
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0"), 1);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM audit"), audit);
    /* with a second admin the first can go, once */
    CHECK_INT(RUN(out, "user", "add", "admin2", "--role", "admin", "--db", db), 0);
    CHECK_INT(RUN(out, "user", "delete", "1", "--db", db), 0);
    audit = sql_int(db, "SELECT COUNT(*) FROM audit");
    CHECK_INT(RUN(out, "user", "delete", "1", "--db", db), 1);
    CHECK(strstr(out, "disabled already"));
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM audit"), audit);
    /* admin2 is now the last one; other roles stay free to change */
    CHECK_INT(RUN(out, "user", "delete", "2", "--db", db), 1);
    CHECK(strstr(out, "last active admin"));
    CHECK_INT(RUN(out, "user", "add", "viewer1", "--role", "viewer", "--db", db), 0);
    CHECK_INT(RUN(out, "user", "delete", "3", "--db", db), 0);
    /* re-enabling the first admin makes room again */
    CHECK_INT(RUN(out, "user", "update", "1", "--json", "{\"disabled\":false}", "--db", db), 0);
    CHECK_INT(RUN(out, "user", "update", "2", "--json", "{\"role\":\"viewer\"}", "--db", db), 0);
}

TEST(api_user_delete_twice_and_admin_rules)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], tok2[80];
    th_login(&s, "admin", s.admin_pw, tok);
    json_t *o;
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/users", tok,
                "{\"username\":\"admin2\",\"role\":\"admin\",\"password\":\"long-enough-pw\"}", &o),
        201);
    long long id2 = th_int(o, "id");
    json_decref(o);
    CHECK_INT(
        th_call(&s, "POST", "/api/v1/users", tok,
                "{\"username\":\"viewer1\",\"role\":\"viewer\",\"password\":\"long-enough-pw\"}",
                &o),
        201);
    long long v1 = th_int(o, "id");
    json_decref(o);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/users/%lld", v1);
    CHECK_INT(th_call(&s, "DELETE", path, tok, NULL, NULL), 204);
    long long audit = th_sql_int(&s, "SELECT COUNT(*) FROM audit");
    CHECK_INT(th_call(&s, "DELETE", path, tok, NULL, &o), 409);
    CHECK_STR(th_err_code(o), "invalid_state");
    json_decref(o);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit"), audit);
    /* an admin may disable another admin while one stays active */
    th_login(&s, "admin2", "long-enough-pw", tok2);
    CHECK_INT(th_call(&s, "DELETE", "/api/v1/users/1", tok2, NULL, NULL), 204);
    snprintf(path, sizeof path, "/api/v1/users/%lld", id2);
    CHECK_INT(th_call(&s, "DELETE", path, tok2, NULL, &o), 422); /* not their own */
    json_decref(o);
    /* the domain refuses the last active admin to any caller (the command line acts as no
     * user): here as a local administrator */
    th_ctx t;
    th_ctx_open(&s, &t, "local", PJ_ROLE_ADMIN);
    pj_err err;
    pj_err_clear(&err);
    CHECK_INT(pj_user_delete(&t.c, id2, &err), -1);
    CHECK_INT(err.status, 409);
    CHECK_STR(err.code, "invalid_state");
    th_ctx_close(&t);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0"),
              1);
    th_stop(&s);
}

TEST_T(cli_import_preview_with_bad_rows_fails, 120)
{
    char out[1 << 20] = {0};
    char db[600], good[600], bad[600], xbad[600];
    demo_db(db, sizeof db);
    path_in_tmp(good, sizeof good, "good.csv");
    path_in_tmp(bad, sizeof bad, "bad.csv");
    path_in_tmp(xbad, sizeof xbad, "bad.xlsx");
    const char *g = "code,region,period,value,source\ngdp,平谷区,1931,500,统计局\n";
    const char *b = "code,region,period,value,source\ngdp,平谷区,1931,500,统计局\n"
                    "gdp,平谷区,1932,4.2.1,统计局\n";
    write_file(good, g, strlen(g));
    write_file(bad, b, strlen(b));
    lxw_workbook *wb = workbook_new(xbad);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    const char *head[] = {"code", "region", "period", "value", "source"};
    const char *row[] = {"gdp", "平谷区", "1932", "4.2.1", "统计局"};
    for (int k = 0; k < 5; k++) {
        worksheet_write_string(ws, 0, (lxw_col_t)k, head[k], NULL);
        worksheet_write_string(ws, 1, (lxw_col_t)k, row[k], NULL);
    }
    CHECK(workbook_close(wb) == LXW_NO_ERROR);
    char fp[TH_FINGERPRINT_SIZE], fp2[TH_FINGERPRINT_SIZE];
    th_server sv;
    memset(&sv, 0, sizeof sv);
    snprintf(sv.db, sizeof sv.db, "%s", db);
    th_fingerprint(&sv, fp, sizeof fp);
    CHECK_INT(RUN(out, "import", bad, "--dry-run", "--db", db), 1);
    CHECK(strstr(out, "\"bad_rows\": 1") && strstr(out, "1 bad row ("));
    CHECK_INT(RUN(out, "import", xbad, "--dry-run", "--db", db), 1);
    CHECK(strstr(out, "\"bad_rows\": 1"));
    CHECK_INT(RUN(out, "import", bad, "--db", db), 1);
    CHECK_INT(RUN(out, "import", t_tmpdir(), "--dry-run", "--db", db), 1);
    CHECK(strstr(out, "cannot read"));
    th_fingerprint(&sv, fp2, sizeof fp2);
    CHECK_STR(fp2, fp);
    /* a clean preview succeeds and writes nothing either */
    CHECK_INT(RUN(out, "import", good, "--dry-run", "--db", db), 0);
    CHECK(strstr(out, "\"ok\": true"));
    th_fingerprint(&sv, fp2, sizeof fp2);
    CHECK_STR(fp2, fp);
}

TEST(cli_unknown_options_and_extra_arguments_are_refused)
{
    char out[65536] = {0};
    char db[600];
    path_in_tmp(db, sizeof db, "pj.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    /* a misspelt filter is not silently dropped */
    CHECK_INT(RUN(out, "region", "list", "--townshp-id", "5", "--db", db), 2);
    CHECK(strstr(out, "region list does not take --townshp-id; it takes --parent-id, "
                      "--township-id, --type, --q, --limit, --cursor and --db (see pingji region "
                      "--help)"));
    CHECK_INT(RUN(out, "audit", "--entity-idd", "5", "--db", db), 2);
    CHECK_INT(RUN(out, "facility", "list", "--industry", "x", "--db", db), 2);
    /* extra positional arguments */
    CHECK_INT(RUN(out, "region", "get", "1", "2", "3", "--db", db), 2);
    CHECK(strstr(out, "unexpected argument '2' for region"));
    char bak[600];
    path_in_tmp(bak, sizeof bak, "b.db");
    CHECK_INT(RUN(out, "backup", bak, "extra", "--db", db), 2);
    CHECK(!exists(bak));
    CHECK_INT(RUN(out, "version", "extra"), 2);
    CHECK_INT(RUN(out, "plan", "show", "1", "2", "--db", db), 2);
    CHECK_INT(RUN(out, "elder", "get", "1", "2", "--db", db), 2);
    CHECK_INT(RUN(out, "indicator", "list", "x", "--db", db), 2);
    CHECK_INT(RUN(out, "logistics", "parks", "get", "1", "2", "--db", db), 2);
    /* an option given twice */
    CHECK_INT(RUN(out, "region", "list", "--q", "a", "--q", "b", "--db", db), 2);
    CHECK(strstr(out, "--q is given twice"));
    CHECK_INT(RUN(out, "region", "list", "--q=a", "--q", "b", "--db", db), 2);
    /* --name=value is an option like --name value (and lives without leaking) */
    CHECK_INT(RUN(out, "region", "list", "--parent-id=1", "--q=abc", "--db", db), 0);
    CHECK_INT(RUN(out, "region", "list", "--type=district", "--q=平谷",
                  "--db="
                  "x",
                  "--db", db),
              2); /* --db twice */
    CHECK_INT(RUN(out, "region", "list", "--type=district", "--q=平谷", "--limit=5", "--db", db),
              0);
    CHECK(strstr(out, "\"items\": []"));
    CHECK_INT(RUN(out, "region", "list", "--=5", "--db", db), 2);
    /* options the verbs read are in their usage, so they are taken */
    CHECK_INT(
        RUN(out, "user", "add", "display.user", "--role", "viewer", "--name", "显示名", "--db", db),
        0);
    CHECK(strstr(out, "显示名"));
    CHECK_INT(RUN(out, "user", "list", "--role", "viewer", "--limit", "5", "--db", db), 0);
    CHECK_INT(RUN(out, "helper", "list", "--reveal", "--q", "x", "--limit", "5", "--cursor", "1",
                  "--db", db),
              0);
    CHECK_INT(RUN(out, "elder", "list", "--q", "x", "--limit", "5", "--cursor", "1", "--db", db),
              0);
    CHECK_INT(RUN(out, "convert", "list", "--facility-id", "1", "--state", "running", "--limit",
                  "5", "--db", db),
              0);
    CHECK_INT(RUN(out, "drill", "findings", "--facility-id", "1", "--db", db), 0);
    CHECK_INT(RUN(out, "stock", "list", "--limit", "5", "--db", db), 0);
    CHECK_INT(RUN(out, "vulnerable", "--limit", "5", "--db", db), 0);
    /* taken (not a usage error, 2): the helper it names is looked for, and there is none */
    CHECK_INT(RUN(out, "pair", "list", "--helper-id", "1", "--state", "active", "--db", db), 1);
    CHECK(strstr(out, "helper_id 1: no such helper"));
    CHECK_INT(RUN(out, "carbon", "emissions", "--year", "2023", "--period", "2023", "--db", db), 0);
    CHECK_INT(RUN(out, "carbon", "energy", "--sector", "industry", "--db", db), 0);
    static const char *const help[][2] = {{"drill", "--manual-id"}, {"serve", "--seed"},
                                          {"serve", "--fast-hash"}, {"user", "--name"},
                                          {"helper", "--reveal"},   {"convert", "--limit"},
                                          {"carbon", "--sector"},   {"pair", "--helper-id"}};
    for (size_t i = 0; i < sizeof help / sizeof help[0]; i++) {
        CHECK_INT(RUN(out, help[i][0], "--help"), 0);
        CHECK(strstr(out, help[i][1]));
    }
    /* agri and logistics lists take their API list's parameters only: another, a usage error */
    CHECK_INT(RUN(out, "logistics", "parks", "list", "--nosuchfield", "1", "--db", db), 2);
}

TEST(cli_help_and_version_as_options)
{
    static char out[65536], out2[65536];
    CHECK_INT(RUN(out, "--help"), 0);
    CHECK(strstr(out, "usage: pingji VERB"));
    CHECK_INT(RUN(out, "--version"), 0);
    CHECK(strstr(out, "pingji 0."));
    CHECK_INT(th_run(out, sizeof out, (const char *const[]){NULL}), 2);
    /* VERB --help and help VERB print the same */
    CHECK_INT(RUN(out, "region", "--help"), 0);
    CHECK_INT(RUN(out2, "help", "region"), 0);
    CHECK_STR(out, out2);
    CHECK(strstr(out, "Common: --db FILE"));
    CHECK_INT(RUN(out2, "--help", "region"), 0);
    CHECK_STR(out, out2);
    CHECK_INT(RUN(out, "help", "bogus"), 2);
    CHECK(strstr(out, "no such verb 'bogus'"));
}

TEST(cli_bad_values_are_refused_and_named)
{
    char out[65536] = {0};
    char db[600], bin[600];
    path_in_tmp(db, sizeof db, "pj.db");
    path_in_tmp(bin, sizeof bin, "bin.csv");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    long long audit = sql_int(db, "SELECT COUNT(*) FROM audit");
    /* audit: a bad id or limit is not the whole trail or 50 rows */
    CHECK_INT(RUN(out, "audit", "--entity-id", "abc", "--db", db), 2);
    CHECK(strstr(out, "--entity-id"));
    static const char *const limits[] = {"abc", "-1", "1000", "0"};
    for (int i = 0; i < 4; i++) {
        CHECK_INT(RUN(out, "audit", "--limit", limits[i], "--db", db), 2);
        CHECK(strstr(out, "--limit"));
    }
    CHECK_INT(RUN(out, "audit", "--limit", "500", "--entity-id", "1", "--db", db), 0);
    /* grid ids: every one counts */
    CHECK_INT(RUN(out, "user", "add", "grid.worker", "--role", "grid_worker", "--grid-ids",
                  "1,abc,-3", "--db", db),
              2);
    CHECK(strstr(out, "--grid-ids"));
    CHECK_INT(RUN(out, "user", "add", "grid.worker", "--role", "grid_worker", "--grid-ids", "",
                  "--db", db),
              2);
    /* an empty item is a typo, not nothing (",4,,5," was taken as 4,5) */
    static const char *const gaps[] = {",4", "4,,5", "4,", ","};
    for (int i = 0; i < 4; i++) {
        CHECK_INT(RUN(out, "user", "add", "grid.worker", "--role", "grid_worker", "--grid-ids",
                      gaps[i], "--db", db),
                  2);
        CHECK(strstr(out, "--grid-ids"));
    }
    CHECK_INT(RUN(out, "user", "add", "twn.officer", "--role", "township_officer", "--township-id",
                  "x", "--db", db),
              2);
    CHECK(strstr(out, "--township-id"));
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM users"), 1);
    /* a list filter names itself */
    CHECK_INT(RUN(out, "region", "list", "--township-id", "-1", "--db", db), 2);
    CHECK(strstr(out, "--township-id"));
    /* an update of a record that does not exist says so */
    static const char *const upd[][3] = {{"org", "{\"name\":\"q\"}", "no organisation 99999"},
                                         {"region", "{\"name\":\"q\"}", "no region 99999"},
                                         {"facility", "{\"name\":\"q\"}", "no facility 99999"},
                                         {"user", "{\"display_name\":\"q\"}", "no user 99999"},
                                         {"stock", "{\"quantity\":1}", "no stock line 99999"},
                                         {"elder", "{\"name\":\"q\"}", "no elder 99999"},
                                         {"helper", "{\"name\":\"q\"}", "no helper 99999"},
                                         {"policy", "{\"title\":\"q\"}", "no policy 99999"}};
    for (int i = 0; i < 8; i++) {
        CHECK_INT(RUN(out, upd[i][0], "update", "99999", "--json", upd[i][1], "--db", db), 1);
        if (!strstr(out, upd[i][2])) t_fail(__FILE__, __LINE__, "%s update: %s", upd[i][0], out);
    }
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM audit"), audit);
    /* manual import: a binary file, a directory */
    char raw[256];
    for (int i = 0; i < 256; i++) raw[i] = (char)(255 - i);
    write_file(bin, raw, sizeof raw);
    CHECK_INT(RUN(out, "manual", "import", "--facility-id", "1", "--scenario", "epidemic", "--role",
                  "isolation", "--title", "t", "--csv", bin, "--db", db),
              1);
    CHECK(strstr(out, "bin.csv is not UTF-8 text"));
    CHECK_INT(RUN(out, "manual", "import", "--facility-id", "1", "--scenario", "epidemic", "--role",
                  "isolation", "--title", "t", "--csv", t_tmpdir(), "--db", db),
              1);
    CHECK(strstr(out, "cannot read"));
}

/* Runs the binary as a user who cannot write db (root writes any file: it runs as nobody). */
static int run_readonly(char *out, size_t size, const char *const *args)
{
    char path[600];
    path_in_tmp(path, sizeof path, "ro/out.txt"); /* a directory the child can write */
    return th_run_as(out, size, args, path, 1);
}

TEST(cli_read_only_database_reads_and_names_writes)
{
    char out[65536] = {0};
    char dir[600], db[700];
    path_in_tmp(dir, sizeof dir, "ro");
    CHECK(mkdir(dir, 0777) == 0 && chmod(dir, 0777) == 0 && chmod(t_tmpdir(), 0711) == 0);
    snprintf(db, sizeof db, "%s/pj.db", dir);
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "user", "add", "reader", "--role", "viewer", "--db", db), 0);
    CHECK(chmod(db, 0444) == 0);
    /* reads work */
    CHECK_INT(
        run_readonly(out, sizeof out, (const char *const[]){"user", "get", "2", "--db", db, NULL}),
        0);
    CHECK(strstr(out, "\"reader\""));
    /* a write says why it cannot be done */
    CHECK_INT(run_readonly(out, sizeof out,
                           (const char *const[]){"user", "update", "2", "--json",
                                                 "{\"display_name\":\"x\"}", "--db", db, NULL}),
              1);
    CHECK(strstr(out, "read-only"));
    CHECK(!strstr(out, "database error"));
}

TEST(cli_restore_is_audited_leaves_no_side_files_and_refuses_itself)
{
    char out[65536] = {0};
    char db[600], bak[600], c[600], side[700];
    path_in_tmp(db, sizeof db, "pj.db");
    path_in_tmp(bak, sizeof bak, "b1.db");
    path_in_tmp(c, sizeof c, "c.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    /* a session of the time of the backup (logged out since, say) */
    th_server sv = {0};
    snprintf(sv.db, sizeof sv.db, "%s", db);
    th_sql_exec(&sv, "INSERT INTO sessions (user_id, token_hash, created_at, last_seen) VALUES"
                     " (1, 'h', strftime('%s', 'now'), strftime('%s', 'now'))");
    CHECK_INT(RUN(out, "backup", bak, "--db", db), 0);
    CHECK_INT(RUN(out, "restore", bak, "--db", c), 0);
    /* the restored database says what was restored, from where; the backup's sessions are
     * ended (a token logged out after the backup does not work again) */
    CHECK_INT(sql_int(c, "SELECT COUNT(*) FROM audit WHERE action = 'restore' AND entity ="
                         " 'database' AND after_json LIKE '%b1.db%' AND"
                         " json_extract(after_json, '$.sessions_ended') = 1"),
              1);
    CHECK_INT(sql_int(c, "SELECT COUNT(*) FROM sessions"), 0);
    CHECK(strstr(out, "1 session ended: everyone logs in again"));
    snprintf(side, sizeof side, "%s-wal", bak);
    CHECK(!exists(side));
    snprintf(side, sizeof side, "%s-shm", bak);
    CHECK(!exists(side));
    /* onto itself: refused, nothing written */
    long long audit = sql_int(c, "SELECT COUNT(*) FROM audit");
    CHECK_INT(RUN(out, "restore", c, "--db", c), 1);
    CHECK(strstr(out, "onto itself"));
    CHECK_INT(sql_int(c, "SELECT COUNT(*) FROM audit"), audit);
}

/* Regression: a restore silently gave access back to accounts locked out after the backup (a
 * departed employee's account disabled since logged in again, an old password worked again)
 * and said only that sessions ended. It names each account the restore turns back, on the
 * terminal and in its audit row. */
TEST(cli_restore_names_the_accounts_it_turns_back)
{
    char out[65536] = {0};
    char db[600], bak[600];
    path_in_tmp(db, sizeof db, "acc.db");
    path_in_tmp(bak, sizeof bak, "acc-bak.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    static const char *const users[] = {"t.gone", "t.pw", "t.role", "t.kept", "t.deleted"};
    for (size_t i = 0; i < 5; i++) {
        char body[200];
        snprintf(body, sizeof body,
                 "{\"username\":\"%s\",\"role\":\"viewer\",\"password\":\"long-enough-pw-9\"}",
                 users[i]);
        CHECK_INT(RUN(out, "user", "add", "--json", body, "--db", db), 0);
    }
    CHECK_INT(RUN(out, "backup", bak, "--db", db), 0);
    /* the backup (every hash, ID number and phone copied out) is audited, and the command
     * line's rows say who ran it where (they said "cli", no one) */
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM audit WHERE action = 'backup' AND entity ="
                          " 'database' AND json_extract(after_json, '$.to') LIKE '%acc-bak.db'"
                          " AND request_id LIKE 'cli:%@%'"),
              1);
    th_server sv = {0};
    snprintf(sv.db, sizeof sv.db, "%s", db);
    th_sql_exec(&sv, "UPDATE users SET disabled = 1 WHERE username = 't.gone';"
                     "UPDATE users SET password_hash = password_hash || 'x' WHERE username ="
                     " 't.pw';"
                     "UPDATE users SET role = 'district_officer' WHERE username = 't.role';"
                     "DELETE FROM users WHERE username = 't.deleted'");
    CHECK_INT(RUN(out, "user", "add", "--json",
                  "{\"username\":\"t.new\",\"role\":\"viewer\",\"password\":\"long-enough-pw-9\"}",
                  "--db", db),
              0);
    CHECK_INT(RUN(out, "restore", bak, "--db", db), 0);
    CHECK(strstr(out, "account t.gone: enabled again (disabled after the backup)"));
    CHECK(strstr(out, "account t.pw: its earlier password works again"));
    CHECK(strstr(out, "account t.role: its earlier role is back"));
    CHECK(strstr(out, "account t.deleted: back (deleted after the backup)"));
    CHECK(strstr(out, "account t.new: gone (created after the backup)"));
    CHECK(!strstr(out, "t.kept"));
    CHECK_INT(sql_int(db, "SELECT json_array_length(after_json, '$.accounts_undone') FROM audit"
                          " WHERE action = 'restore'"),
              5);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM audit, json_each(audit.after_json,"
                          " '$.accounts_undone') j WHERE action = 'restore' AND"
                          " json_extract(j.value, '$.username') = 't.gone' AND"
                          " json_extract(j.value, '$.change') = 'enabled'"),
              1);
}

/* Regression: `serve` started while a restore is writing the database opened and migrated it
 * first (under a restore's copy: SQLite's "database is locked" after 5 s) and only then
 * found the restore's lock. It now checks the lock before it opens anything: the restore's
 * message at once, exit 1, the database untouched (not migrated). */
TEST(cli_serve_during_a_restore_neither_opens_nor_migrates)
{
    char out[65536] = {0};
    char db[600];
    path_in_tmp(db, sizeof db, "restoring.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    th_server sv = {0};
    snprintf(sv.db, sizeof sv.db, "%s", db);
    th_sql_exec(&sv, "DELETE FROM schema_migrations WHERE version = 487");
    /* what a restore holds while it copies */
    int lock = open(db, O_RDONLY | O_CLOEXEC);
    CHECK(lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) == 0);
    CHECK_INT(RUN(out, "serve", "--db", db, "--port", "0", "--quiet"), 1);
    CHECK(strstr(out, "is being restored from a backup"));
    close(lock);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM schema_migrations WHERE version = 487"), 0);
}

/* Regression: the demo named the logistics valley's land figure 土地可转让率 (the source says
 * 土地出让率; the console said 可流转率, rural land circulation). A database made before is
 * renamed when it is opened; a name the district gave it since stays. */
TEST(cli_land_figure_renamed_as_the_source_names_it)
{
    char out[65536] = {0};
    char db[600];
    path_in_tmp(db, sizeof db, "land.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    th_server sv = {0};
    snprintf(sv.db, sizeof sv.db, "%s", db);
    th_sql_exec(&sv, "INSERT INTO indicators (code, name, unit, kind, created_at, updated_at)"
                     " VALUES ('land_transfer_rate', '东久新宜物流谷土地可转让率', '%', 'share',"
                     " 0, 0), ('other_rate', '东久新宜物流谷土地可转让率', '%', 'share', 0, 0);"
                     "DELETE FROM schema_migrations WHERE version = 491");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM indicators WHERE code = 'land_transfer_rate' AND"
                          " name = '东久新宜物流谷土地出让率'"),
              1);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM indicators WHERE code = 'other_rate' AND"
                          " name = '东久新宜物流谷土地可转让率'"),
              1);
    th_sql_exec(&sv,
                "UPDATE indicators SET name = '物流谷出让率' WHERE code = 'land_transfer_rate';"
                "DELETE FROM schema_migrations WHERE version = 491");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM indicators WHERE name = '物流谷出让率'"), 1);
}

TEST(cli_numbers_print_as_stored)
{
    char out[65536] = {0};
    char db[600];
    path_in_tmp(db, sizeof db, "pj.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "enterprise", "settings", "--db", db), 0);
    CHECK(strstr(out, "\"response\": 0.2,"));
    CHECK(!strstr(out, "0.2000000"));
    CHECK_INT(RUN(out, "region", "add", "--json",
                  "{\"name\":\"平谷区\",\"code\":\"110117\",\"type\":\"district\","
                  "\"lat\":40.138,\"lon\":117.105}",
                  "--db", db),
              0);
    CHECK(strstr(out, "\"lat\": 40.138,") && strstr(out, "\"lon\": 117.105"));
}

TEST_T(cli_elder_demo_says_when_it_loads_nothing, 120)
{
    char out[65536] = {0};
    char db[600];
    path_in_tmp(db, sizeof db, "pj.db");
    setenv("PINGJI_DEMO_ELDERS", "0", 1); /* the district without its elders */
    CHECK_INT(RUN(out, "init", "--db", db, "--demo"), 0);
    unsetenv("PINGJI_DEMO_ELDERS");
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM elders"), 0);
    /* the summary counts what the database holds (the modules' demos add doctor farms and
     * firms: it said 300 facilities of 313) */
    char said[96];
    snprintf(said, sizeof said, "residents, %lld facilities, %lld organisations",
             sql_int(db, "SELECT COUNT(*) FROM facilities"),
             sql_int(db, "SELECT COUNT(*) FROM organisations"));
    CHECK(strstr(out, said));
    CHECK(sql_int(db, "SELECT COUNT(*) FROM facilities") > 300);
    CHECK_INT(RUN(out, "elder", "demo", "--elders", "10", "--db", db), 0);
    CHECK(strstr(out, "eldercare demo loaded"));
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM elders"), 10);
    /* a second time: nothing loaded, and said so */
    CHECK_INT(RUN(out, "elder", "demo", "--elders", "10", "--db", db), 1);
    CHECK(strstr(out, "already loaded") && !strstr(out, "demo loaded in"));
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM elders"), 10);
}

TEST(cli_unknown_filter_values_and_reversed_ranges_are_refused)
{
    char out[65536] = {0};
    char db[600];
    path_in_tmp(db, sizeof db, "pj.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(
        RUN(out, "ecommerce", "kpis", "--from", "2025-01-01", "--to", "2024-01-01", "--db", db), 2);
    CHECK(strstr(out, "--from is after --to"));
    CHECK_INT(
        RUN(out, "ecommerce", "kpis", "--from", "2024-01-01", "--to", "2025-01-01", "--db", db), 0);
    CHECK_INT(RUN(out, "elder", "list", "--tier", "bogus", "--db", db), 2);
    CHECK(strstr(out, "--tier takes high_risk, key, normal, not 'bogus'"));
    CHECK_INT(RUN(out, "elder", "list", "--tier", "key", "--db", db), 0);
    CHECK_INT(RUN(out, "pair", "show", "1", "--state", "bogus", "--db", db), 2);
    CHECK(strstr(out, "--state takes proposed"));
    CHECK_INT(RUN(out, "pair", "list", "--state", "bogus", "--db", db), 2);
    CHECK_INT(RUN(out, "pair", "list", "--state", "ended", "--db", db), 0);
    CHECK_INT(RUN(out, "plan", "list", "--status", "bogus", "--db", db), 2);
    CHECK(strstr(out, "--status takes solving, draft, failed, adopted"));
    CHECK_INT(RUN(out, "plan", "list", "--status", "adopted", "--db", db), 0);
}

/* A registry or user list filter the API refuses (400 bad_query) is refused here too (exit 2,
 * naming the values), not answered with an empty list; an option that takes a value given
 * none is a usage error, not an empty filter; an unknown sub-command is a usage error before
 * any database is opened. */
TEST(cli_filters_values_and_sub_commands_checked)
{
    char out[65536] = {0};
    char db[600];
    path_in_tmp(db, sizeof db, "f.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    static const char *const bad[][5] = {
        {"facility", "list", "--state", "bogus", "peacetime"},
        {"facility", "list", "--type", "bogus", "hotel"},
        {"facility", "list", "--role", "bogus", "isolation"},
        {"region", "list", "--type", "bogus", "township"},
        {"org", "list", "--type", "bogus", "enterprise"},
        {"user", "list", "--role", "bogus", "viewer"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(RUN(out, bad[i][0], bad[i][1], bad[i][2], bad[i][3], "--db", db), 2);
        CHECK(strstr(out, "not 'bogus'") && strstr(out, bad[i][4]));
        CHECK_INT(RUN(out, bad[i][0], bad[i][1], bad[i][2], bad[i][4], "--db", db), 0);
    }
    CHECK_INT(RUN(out, "facility", "list", "--db", db, "--q"), 2);
    CHECK(strstr(out, "--q needs a value"));
    CHECK_INT(RUN(out, "user", "add", "wang", "--role", "viewer", "--db", db, "--password"), 2);
    CHECK_INT(RUN(out, "user", "bogus", "--db", db), 2);
    char none[600];
    path_in_tmp(none, sizeof none, "none.db");
    CHECK_INT(RUN(out, "user", "bogus", "--db", none), 2);
    CHECK(access(none, F_OK) != 0);
}

/* The dual-use and enterprise lists refuse a filter value the API refuses (400 bad_query):
 * exit 2 naming the values it takes, not an empty list with exit 0; a value it takes still
 * lists (exit 0). */
TEST(cli_dualuse_and_enterprise_list_filters_checked)
{
    char out[65536] = {0};
    char db[600];
    path_in_tmp(db, sizeof db, "de.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    /* verb, sub-command, option, a value it takes */
    static const char *const cases[][4] = {
        {"convert", "list", "--state", "emergency"},
        {"drill", "list", "--state", "finished"},
        {"drill", "findings", "--status", "open"},
        {"enterprise", "receptions", "--state", "held"},
        {"enterprise", "needs", "--state", "matched"},
        {"enterprise", "matches", "--state", "approved"},
        {"enterprise", "posts", "--kind", "offer"},
        {"enterprise", "posts", "--category", "logistics"},
        {"enterprise", "posts", "--state", "open"},
        {"enterprise", "contacts", "--state", "declined"},
        {"standard", "list", "--facility-type", "hotel"},
        {"standard", "list", "--scenario", "disaster"},
        {"standard", "list", "--role", "isolation"},
        {"manual", "list", "--scenario", "holiday"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *const *c = cases[i];
        CHECK_INT(RUN(out, c[0], c[1], c[2], "bogus", "--db", db), 2);
        CHECK(strstr(out, "not 'bogus'") && strstr(out, c[2]) && strstr(out, c[3]));
        CHECK_INT(RUN(out, c[0], c[1], c[2], c[3], "--db", db), 0);
        CHECK(strstr(out, "\"items\""));
    }
}

/* pair show --state takes every state of a proposal the API takes (stale among them: the elder
 * or the helper was taken meanwhile), and refuses any other with exit 2. */
TEST(cli_pair_show_takes_the_states_the_api_takes)
{
    char out[65536] = {0};
    char db[600];
    path_in_tmp(db, sizeof db, "ps.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "region", "add", "--json",
                  "{\"name\":\"平谷区\",\"type\":\"district\",\"code\":\"110117\"}", "--db", db),
              0);
    CHECK_INT(RUN(out, "pair", "run", "--region-id", "1", "--db", db), 0);
    for (int i = 0; pj_proposal_states[i]; i++) {
        CHECK_INT(RUN(out, "pair", "show", "1", "--state", pj_proposal_states[i], "--db", db), 0);
        CHECK(strstr(out, "\"proposals\""));
    }
    CHECK_INT(RUN(out, "pair", "show", "1", "--state", "stale", "--db", db), 0);
    CHECK_INT(RUN(out, "pair", "show", "1", "--state", "bogus", "--db", db), 2);
    CHECK(strstr(out, "--state takes proposed, unmatched, accepted, rejected, stale"));
}

/* A filter value the domain refuses (the API's 400) is a usage error here (exit 2, naming the
 * values), found before the database is read, not a failure (exit 1); a value it takes lists.
 * Each case: the command (up to the option), the option, a value it takes. */
TEST(cli_domain_filter_values_are_usage_errors)
{
    char out[65536] = {0};
    char db[600];
    path_in_tmp(db, sizeof db, "dv.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    static const struct {
        const char *cmd[3], *opt, *good;
    } cases[] = {
        {{"helper", "list"}, "--skill", "nursing"},
        {{"elder", "coverage"}, "--group", "village"},
        {{"ecommerce", "bases"}, "--tier", "village"},
        {{"ecommerce", "products"}, "--category", "peach"},
        {{"ecommerce", "zones"}, "--kind", "mcn"},
        {{"ecommerce", "sales", "1"}, "--channel", NULL}, /* no product 1 to list */
        {{"academy", "courses"}, "--category", "short_video"},
        {{"academy", "cohorts"}, "--state", "running"},
        {{"academy", "posts"}, "--state", "closed"},
        {{"academy", "enrolments"}, "--state", "placed"},
        {{"logistics", "warehouses", "list"}, "--status", "operating"},
        {{"logistics", "trains", "list"}, "--kind", "city"},
        {{"agri", "labs", "list"}, "--kind", "other"},
        {{"agri", "farms", "list"}, "--postdoc-station", "true"},
        {{"indicator", "values"}, "--period-kind", "quarter"},
        {{"carbon", "energy"}, "--sector", "transport"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *argv[10];
        int n = 0;
        for (int j = 0; j < 3 && cases[i].cmd[j]; j++) argv[n++] = cases[i].cmd[j];
        argv[n++] = cases[i].opt;
        int at = n++;
        argv[n++] = "--db";
        argv[n++] = db;
        argv[n] = NULL;
        argv[at] = "bogus";
        CHECK_INT(th_run(out, sizeof out, argv), 2);
        CHECK(strstr(out, cases[i].opt) && strstr(out, "not 'bogus'"));
        if (!cases[i].good) continue;
        CHECK(strstr(out, cases[i].good));
        argv[at] = cases[i].good;
        CHECK_INT(th_run(out, sizeof out, argv), 0);
    }
    CHECK_INT(RUN(out, "carbon", "emissions", "--year", "2024", "--by", "bogus", "--db", db), 2);
    CHECK(strstr(out, "--by takes sector, organisation, energy_type, not 'bogus'"));
    CHECK_INT(RUN(out, "carbon", "emissions", "--year", "2024", "--by", "energy_type", "--db", db),
              0);
}

/* 1 when s holds none of the raw bytes below: ESC, CR, DEL, U+009B (C2 9B), U+202E (E2 80 AE). */
static int no_raw_controls(const char *s)
{
    return !strchr(s, 0x1b) && !strchr(s, '\r') && !strchr(s, 0x7f) && !strstr(s, "\xc2\x9b") &&
           !strstr(s, "\xe2\x80\xae");
}

/* Regression: texts saved before the server refused control characters (an ESC sequence, a CR,
 * a C1 CSI, a right-to-left override, DEL) reached the terminal as they were, which ran them:
 * the plan's table of sites, the JSON (whose writers escape C0 but not DEL, C1 nor the
 * bidirectional controls) and an error naming the facility now show them escaped. */
TEST_T(cli_escapes_control_characters_for_the_terminal, 120)
{
    char out[1 << 20] = {0};
    char db[600], scn[600];
    demo_db(db, sizeof db);
    th_server sv;
    memset(&sv, 0, sizeof sv);
    snprintf(sv.db, sizeof sv.db, "%s", db);
    /* every facility's name starts with them (the API refuses them; SQL does not) */
    th_sql_exec(&sv, "UPDATE facilities SET name = char(27) || '[31m' || char(13) || char(155) ||"
                     " char(8238) || char(127) || name");
    const char *shown = "\\x1b[31m\\x0d\\u009b\\u202e\\x7f";
    /* the plan's table: each chosen site's name */
    path_in_tmp(scn, sizeof scn, "scenario.json");
    write_file(scn, plan_scenario, strlen(plan_scenario));
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn), 0);
    CHECK(strstr(out, "facility  name"));
    CHECK(strstr(out, shown) != NULL);
    CHECK(no_raw_controls(out));
    /* JSON: every control as a \u escape (the writer's \u001b and \r, and DEL, C1, bidi) */
    CHECK_INT(RUN(out, "facility", "get", "1", "--db", db), 0);
    CHECK(strstr(out, "\"\\u001B[31m\\r\\u009B\\u202E\\u007F") != NULL);
    CHECK(no_raw_controls(out));
    /* still the same JSON value: the name as stored */
    json_t *f = json_loads(out, 0, NULL);
    CHECK(f != NULL);
    CHECK(!strncmp(json_string_value(json_object_get(f, "name")),
                   "\x1b[31m\r\xc2\x9b\xe2\x80\xae\x7f", 12));
    json_decref(f);
    /* a backslash of the name is doubled: a stored "\x41" does not pass for an escape */
    th_sql_exec(&sv, "UPDATE facilities SET name = '\\x41' || name WHERE id = 1");
    /* an error quoting the facility's name: a second drill of facility 1 */
    CHECK_INT(
        RUN(out, "drill", "start", "--facility-id", "1", "--scenario", "epidemic", "--db", db), 0);
    CHECK_INT(
        RUN(out, "drill", "start", "--facility-id", "1", "--scenario", "epidemic", "--db", db), 1);
    CHECK(strstr(out, "already has a drill in progress"));
    CHECK(strstr(out, shown) != NULL);
    CHECK(strstr(out, "\\\\x41") != NULL);
    CHECK(no_raw_controls(out));
}

/* Regression: drills finished before they kept their verdict (migration 12) were judged again
 * on every overview (1,000 facilities with 20 failed drills each: 0.4 s of the event loop per
 * request). Opening the database for serving (`init`, `serve`) gives them their verdict once:
 * the report's, as a drill finishing now keeps it. */
TEST_T(cli_init_judges_the_drills_finished_before_verdicts_were_kept, 120)
{
    char out[1 << 16] = {0};
    char db[600];
    demo_db(db, sizeof db);
    th_server sv;
    memset(&sv, 0, sizeof sv);
    snprintf(sv.db, sizeof sv.db, "%s", db);
    const char *count = "SELECT COUNT(*) FROM conversions WHERE mode = 'drill' AND state ="
                        " 'finished' AND drill_passed IS %s";
    char q[200];
    snprintf(q, sizeof q, count, "NULL");
    CHECK_INT(th_sql_int(&sv, q), 0);
    /* the demo's verdicts, kept as its drills were made; then forgotten, as in a database
     * from before migration 12 */
    th_sql_exec(&sv, "CREATE TABLE kept AS SELECT id, drill_passed FROM conversions WHERE mode ="
                     " 'drill' AND state = 'finished'");
    long long n = th_sql_int(&sv, "SELECT COUNT(*) FROM kept");
    CHECK(n > 0);
    CHECK(th_sql_int(&sv, "SELECT COUNT(*) FROM kept WHERE drill_passed = 1") > 0);
    CHECK(th_sql_int(&sv, "SELECT COUNT(*) FROM kept WHERE drill_passed = 0") > 0);
    th_sql_exec(&sv, "UPDATE conversions SET drill_passed = NULL");
    CHECK_INT(th_sql_int(&sv, q), n);
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(th_sql_int(&sv, q), 0);
    CHECK_INT(th_sql_int(&sv, "SELECT COUNT(*) FROM kept k JOIN conversions v ON v.id = k.id"
                              " WHERE v.drill_passed = k.drill_passed"),
              n);
    /* only the drills without a verdict are judged: a kept one is not judged again (one
     * turned over here stays as it is at the next opening) */
    long long one = th_sql_int(&sv, "SELECT MIN(id) FROM kept WHERE drill_passed = 1");
    snprintf(q, sizeof q, "UPDATE conversions SET drill_passed = 0 WHERE id = %lld", one);
    th_sql_exec(&sv, q);
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    snprintf(q, sizeof q, "SELECT drill_passed FROM conversions WHERE id = %lld", one);
    CHECK_INT(th_sql_int(&sv, q), 0);
}

/* Regression: backup, restore and import took -h (any word of one dash) for their FILE:
 * pingji restore -h replaced the database by a file named -h and exited 0. A word of one dash
 * is never a file: -h is --help for every verb, any other an unknown option (exit 2), and a
 * file whose name begins with a dash is given after --. Nothing is read or written before. */
TEST_T(cli_a_dash_word_is_help_or_an_unknown_option_never_a_file, 120)
{
    static char out[65536], out2[65536];
    char db[600], other[600], bin[600], abs_bin[PATH_MAX];
    /* in the test's directory, so that a file named -h would be made there */
    snprintf(bin, sizeof bin, "%s",
             getenv("PJ_BIN") && *getenv("PJ_BIN") ? getenv("PJ_BIN") : "build/rel/pingji");
    CHECK(realpath(bin, abs_bin) != NULL);
    setenv("PJ_BIN", abs_bin, 1);
    CHECK_INT(chdir(t_tmpdir()), 0);
    path_in_tmp(db, sizeof db, "live.db");
    path_in_tmp(other, sizeof other, "other.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "init", "--db", other), 0);
    CHECK_INT(RUN(out, "user", "add", "only.in.other", "--role", "viewer", "--password",
                  "a-long-password-1", "--db", other),
              0);
    /* a backup of the other database named -h, given after -- */
    CHECK_INT(RUN(out, "backup", "-h", "--db", other), 0);
    CHECK(strstr(out, "usage: pingji backup"));
    CHECK(!exists("-h"));
    CHECK_INT(RUN(out, "backup", "--db", other, "--", "-h"), 0);
    CHECK(exists("-h"));
    long long users = sql_int(db, "SELECT COUNT(*) FROM users"),
              audits = sql_int(db, "SELECT COUNT(*) FROM audit");
    /* restore -h is help: the live database is left as it is */
    CHECK_INT(RUN(out, "restore", "-h", "--db", db), 0);
    CHECK(strstr(out, "usage: pingji restore"));
    CHECK(!strstr(out, "pingji: restored"));
    CHECK_INT(RUN(out2, "restore", "--help"), 0);
    CHECK_STR(out, out2);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM users WHERE username = 'only.in.other'"), 0);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM users"), users);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM audit"), audits);
    /* any other word of one dash: an unknown option, nothing written */
    static const char *const bad[] = {"-x", "-", "-hx", "-db"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(RUN(out, "restore", bad[i], "--db", db), 2);
        CHECK(strstr(out, "unknown option") && strstr(out, bad[i]));
        CHECK_INT(RUN(out, "backup", bad[i], "--db", db), 2);
        CHECK(!exists(bad[i]));
        CHECK_INT(RUN(out, "import", bad[i], "--db", db), 2);
        CHECK(!strstr(out, "cannot read"));
    }
    CHECK_INT(RUN(out, "import", "-h"), 0);
    CHECK(strstr(out, "usage: pingji import"));
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM users"), users);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM audit"), audits);
    /* the file named -h, given after --, is restored */
    CHECK_INT(RUN(out, "restore", "--db", db, "--", "-h"), 0);
    CHECK(strstr(out, "pingji: restored"));
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM users WHERE username = 'only.in.other'"), 1);
    /* -h is --help for every verb, and for pingji itself */
    CHECK_INT(RUN(out, "-h"), 0);
    CHECK_INT(RUN(out2, "--help"), 0);
    CHECK_STR(out, out2);
    char list[65536] = {0};
    strcpy(list, out);
    int verbs = 0;
    for (char *save, *line = strtok_r(list, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char verb[32];
        if (strncmp(line, "  ", 2) || sscanf(line + 2, "%31s", verb) != 1) continue;
        CHECK_INT(RUN(out, verb, "-h", "--db", db), 0);
        CHECK_INT(RUN(out2, verb, "--help"), 0);
        CHECK_STR(out, out2);
        verbs++;
    }
    CHECK(verbs > 20);
}

static unsigned mode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) ? 0u : (unsigned)st.st_mode & 07777;
}

/* Regression: a --db that is not a pingji database was made owner-only (chmod 0600, with a
 * warning) before the open found out and refused it: `pingji audit --db notes.txt` changed the
 * mode of a file it then said was none of its own. A refused file is left exactly as it was;
 * a pingji database readable by others is still made owner-only. */
TEST(cli_a_refused_database_file_keeps_its_mode)
{
    char out[65536] = {0};
    char text[600], foreign[600], db[600], side[700];
    path_in_tmp(text, sizeof text, "notes.txt");
    path_in_tmp(foreign, sizeof foreign, "other-program.db");
    path_in_tmp(db, sizeof db, "pj.db");
    write_file(text, "hi\n", 3);
    CHECK(chmod(text, 0644) == 0);
    CHECK_INT(RUN(out, "audit", "--db", text), 1);
    CHECK(strstr(out, "is not a pingji database"));
    CHECK(!strstr(out, "owner-only"));
    CHECK_INT(mode_of(text), 0644);
    CHECK_INT(RUN(out, "init", "--db", text), 1);
    CHECK(!strstr(out, "owner-only"));
    CHECK_INT(mode_of(text), 0644);
    /* another program's SQLite database (in WAL mode): refused, mode and files as they were */
    sqlite3 *h;
    CHECK_INT(sqlite3_open(foreign, &h), SQLITE_OK);
    CHECK_INT(
        sqlite3_exec(h, "PRAGMA journal_mode=WAL; CREATE TABLE notes(t TEXT);", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(h);
    CHECK(chmod(foreign, 0644) == 0);
    CHECK_INT(RUN(out, "region", "list", "--db", foreign), 1);
    CHECK(strstr(out, "is not a pingji database"));
    CHECK(!strstr(out, "owner-only"));
    CHECK_INT(mode_of(foreign), 0644);
    snprintf(side, sizeof side, "%s-wal", foreign);
    CHECK(!exists(side));
    /* a pingji database readable by others: made owner-only, its -wal and -shm too */
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK(chmod(db, 0644) == 0);
    CHECK_INT(RUN(out, "audit", "--db", db), 0);
    CHECK(strstr(out, "made owner-only (0600)"));
    CHECK_INT(mode_of(db), 0600);
}

/* Regression: pingji audit lacked the API's --since, --until, --user-id and --username
 * filters (an unknown option, exit 2). They filter as GET /api/v1/audit does, with its checks:
 * a date or a time, since not after until, a positive id, at most 64 characters. */
TEST(cli_audit_takes_the_filters_of_the_api)
{
    char out[1 << 20] = {0};
    char db[600], big[100];
    path_in_tmp(db, sizeof db, "pj.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "user", "add", "wu.gang", "--role", "viewer", "--password",
                  "Pinggu-peach-2026", "--db", db),
              0);
    CHECK_INT(RUN(out, "audit", "--db", db), 0);
    CHECK(strstr(out, "\"entity\": \"user\""));
    /* the time bounds: rows at or after since, before until */
    CHECK_INT(
        RUN(out, "audit", "--since", "2000-01-01", "--until", "2199-01-01T00:00:00Z", "--db", db),
        0);
    CHECK(strstr(out, "\"entity\": \"user\""));
    CHECK_INT(RUN(out, "audit", "--since", "2199-01-01", "--db", db), 0);
    CHECK(strstr(out, "\"items\": []"));
    CHECK_INT(RUN(out, "audit", "--until", "2000-01-01T00:00:00Z", "--db", db), 0);
    CHECK(strstr(out, "\"items\": []"));
    /* the acting user: the command line acts as cli, no account */
    CHECK_INT(RUN(out, "audit", "--username", "cli", "--entity", "user", "--db", db), 0);
    CHECK(strstr(out, "\"entity\": \"user\""));
    CHECK_INT(RUN(out, "audit", "--username", "admin", "--db", db), 0);
    CHECK(strstr(out, "\"items\": []"));
    CHECK_INT(RUN(out, "audit", "--user-id", "1", "--db", db), 0);
    CHECK(strstr(out, "\"items\": []"));
    /* bad values: usage errors naming the option */
    CHECK_INT(RUN(out, "audit", "--since", "2026-12-01", "--until", "2026-11-01", "--db", db), 2);
    CHECK(strstr(out, "--since (2026-12-01) must not be after --until (2026-11-01)"));
    CHECK_INT(RUN(out, "audit", "--since", "2026-13-01", "--db", db), 2);
    CHECK(strstr(out, "--since takes YYYY-MM-DD"));
    CHECK_INT(RUN(out, "audit", "--until", "yesterday", "--db", db), 2);
    CHECK(strstr(out, "--until takes YYYY-MM-DD"));
    CHECK_INT(RUN(out, "audit", "--since=", "--db", db), 2);
    CHECK_INT(RUN(out, "audit", "--user-id", "0", "--db", db), 2);
    CHECK(strstr(out, "--user-id takes a positive id"));
    memset(big, 'u', 65);
    big[65] = 0;
    CHECK_INT(RUN(out, "audit", "--username", big, "--db", db), 2);
    CHECK(strstr(out, "--username"));
    /* and the help names them */
    CHECK_INT(RUN(out, "audit", "--help"), 0);
    CHECK(strstr(out, "--since T") && strstr(out, "--until T") && strstr(out, "--user-id N") &&
          strstr(out, "--username U"));
}

/* Regression: an unknown option with nothing after it was said to need a value
 * (`pingji init --db x --bogus`: "--bogus needs a value"), as if the verb took it. The name is
 * checked against the verb's options first; a known option left without a value still needs
 * one. Nothing is written either way. */
TEST(cli_an_unknown_option_at_the_end_is_named_unknown)
{
    char out[65536] = {0};
    char db[600], fresh[600];
    path_in_tmp(db, sizeof db, "pj.db");
    path_in_tmp(fresh, sizeof fresh, "fresh.db");
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "init", "--db", fresh, "--bogus"), 2);
    CHECK(strstr(out, "unknown option --bogus for init"));
    CHECK(!strstr(out, "needs a value"));
    CHECK_INT(RUN(out, "init", "--db", fresh, "--bogus", "--demo"), 2);
    CHECK(strstr(out, "unknown option --bogus for init"));
    CHECK(!exists(fresh));
    long long users = sql_int(db, "SELECT COUNT(*) FROM users");
    CHECK_INT(RUN(out, "user", "add", "u.one", "--role", "viewer", "--db", db, "--bogus"), 2);
    CHECK(strstr(out, "user add does not take --bogus"));
    CHECK(!strstr(out, "needs a value"));
    CHECK_INT(RUN(out, "region", "list", "--db", db, "--townshp-id"), 2);
    CHECK(strstr(out, "region list does not take --townshp-id"));
    /* the verb's own option without its value */
    CHECK_INT(RUN(out, "user", "add", "u.one", "--db", db, "--role"), 2);
    CHECK(strstr(out, "--role needs a value"));
    CHECK_INT(RUN(out, "region", "list", "--db", db, "--q"), 2);
    CHECK(strstr(out, "--q needs a value"));
    CHECK_INT(RUN(out, "audit", "--since", "--db", db), 2);
    CHECK(strstr(out, "--since needs a value"));
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM users"), users);
}

/* Regression: init given a directory for --db, or a database to make in a directory it cannot
 * write, said only SQLite's "unable to open database file". The reason is named, as restore
 * names it: a directory, or the directory's own (permission denied, missing). Exit 1 stays. */
TEST(cli_init_names_why_the_database_cannot_be_made)
{
    char out[65536] = {0};
    char dir[600], locked[600], db[700], missing[700], w[600], outp[700];
    path_in_tmp(dir, sizeof dir, "adir");
    CHECK(mkdir(dir, 0700) == 0);
    CHECK_INT(RUN(out, "init", "--db", dir), 1);
    CHECK(strstr(out, "adir: it is a directory"));
    CHECK(!strstr(out, "unable to open database file"));
    /* a directory the user cannot write (as nobody when run by root) */
    path_in_tmp(locked, sizeof locked, "locked");
    path_in_tmp(w, sizeof w, "w");
    CHECK(mkdir(locked, 0555) == 0 && chmod(locked, 0555) == 0);
    CHECK(mkdir(w, 0777) == 0 && chmod(w, 0777) == 0 && chmod(t_tmpdir(), 0711) == 0);
    snprintf(outp, sizeof outp, "%s/out.txt", w);
    snprintf(db, sizeof db, "%s/pj.db", locked);
    CHECK_INT(th_run_as(out, sizeof out, (const char *const[]){"init", "--db", db, NULL}, outp, 1),
              1);
    CHECK(strstr(out, "cannot create database") && strstr(out, "Permission denied") &&
          strstr(out, "locked"));
    CHECK(!strstr(out, "unable to open database file"));
    CHECK(!exists(db));
    snprintf(missing, sizeof missing, "%s/sub/pj.db", locked);
    CHECK_INT(
        th_run_as(out, sizeof out, (const char *const[]){"init", "--db", missing, NULL}, outp, 1),
        1);
    CHECK(!strstr(out, "unable to open database file"));
    CHECK(!strstr(out, "ready"));
}

/* a copy of file from into to, mode 0644 (readable by the user a check runs as) */
static void copy_readable(const char *from, const char *to)
{
    FILE *f = fopen(from, "rb");
    CHECK(f != NULL);
    CHECK(fseek(f, 0, SEEK_END) == 0);
    long n = ftell(f);
    CHECK(n >= 0 && fseek(f, 0, SEEK_SET) == 0);
    char *buf = malloc((size_t)n + 1);
    CHECK(buf && fread(buf, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    write_file(to, buf, (size_t)n);
    free(buf);
    CHECK(chmod(to, 0644) == 0);
}

/* the journal mode a database file's header says: 1 rollback, 2 write-ahead log */
static int header_mode(const char *path)
{
    unsigned char h[20];
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    CHECK(fread(h, 1, sizeof h, f) == sizeof h);
    fclose(f);
    return h[18] == h[19] ? h[18] : -1;
}

/* Regression: a backup on read-only storage (a read-only disk, a snapshot, another account's
 * directory) was "not a pingji database": written with the live database's write-ahead-log
 * header, it could not be read without creating a -shm file beside it. A backup is now one
 * self-contained file; one of an older build (the WAL header, no -wal) is read as it is, and a
 * copy whose changes are still in a -wal file is refused naming that reason. The directory is
 * made read-only with mode 0555; run by root the restore runs as nobody, whom 0555 stops as it
 * stops its owner. */
TEST_T(cli_restore_reads_a_backup_in_a_read_only_directory, 120)
{
    char out[65536] = {0};
    char src[500], ro[500], w[500], outp[600], old[600], bk[600], live[600], livewal[600];
    char rt[600], shm[620], wal[520];
    path_in_tmp(src, sizeof src, "src.db");
    path_in_tmp(ro, sizeof ro, "ro");
    path_in_tmp(w, sizeof w, "w");
    CHECK_INT(RUN(out, "init", "--db", src), 0);
    CHECK_INT(header_mode(src), 2); /* a live database is in WAL mode */
    CHECK(mkdir(ro, 0755) == 0 && mkdir(w, 0777) == 0 && chmod(w, 0777) == 0 &&
          chmod(t_tmpdir(), 0711) == 0);
    snprintf(old, sizeof old, "%s/old.db", ro);
    snprintf(bk, sizeof bk, "%s/bk.db", ro);
    snprintf(live, sizeof live, "%s/live.db", ro);
    snprintf(livewal, sizeof livewal, "%s/live.db-wal", ro);
    /* an older build's backup: the database file as it is, WAL header and no -wal */
    copy_readable(src, old);
    CHECK_INT(header_mode(old), 2);
    /* this build's backup: rollback mode, nothing beside it needed */
    CHECK_INT(RUN(out, "backup", "--db", src, bk), 0);
    CHECK_INT(header_mode(bk), 1);
    CHECK(chmod(bk, 0644) == 0);
    /* a live database's copy whose last change is still in its -wal */
    sqlite3 *h;
    CHECK(sqlite3_open(src, &h) == SQLITE_OK);
    CHECK(sqlite3_exec(h,
                       "PRAGMA wal_autocheckpoint=0; UPDATE users SET username = 'admin2'"
                       " WHERE username = 'admin'",
                       NULL, NULL, NULL) == SQLITE_OK);
    snprintf(wal, sizeof wal, "%s-wal", src);
    copy_readable(src, live);
    copy_readable(wal, livewal);
    sqlite3_close(h);
    struct stat st;
    CHECK(stat(livewal, &st) == 0 && st.st_size > 0);
    /* a file with the -journal of a write cut short beside it is not the whole database */
    char cut[600], journal[620];
    snprintf(cut, sizeof cut, "%s/cut.db", ro);
    snprintf(journal, sizeof journal, "%s-journal", cut);
    copy_readable(src, cut);
    write_file(journal, "a journal cut short", 19);
    CHECK(chmod(journal, 0644) == 0);
    CHECK(chmod(ro, 0555) == 0);
    snprintf(outp, sizeof outp, "%s/out.txt", w);
    static const char *const names[] = {"old", "bk"};
    for (int i = 0; i < 2; i++) {
        char from[600];
        snprintf(from, sizeof from, "%s/%s.db", ro, names[i]);
        snprintf(rt, sizeof rt, "%s/rt-%s.db", w, names[i]);
        int rc = th_run_as(out, sizeof out,
                           (const char *const[]){"restore", from, "--db", rt, NULL}, outp, 1);
        if (rc != 0) t_fail(__FILE__, __LINE__, "restore from %s: exit %d: %s", from, rc, out);
        CHECK(strstr(out, "restored") != NULL);
        CHECK_INT(sql_int(rt, "SELECT COUNT(*) FROM users WHERE username = 'admin'"), 1);
        snprintf(shm, sizeof shm, "%s-shm", from);
        CHECK(!exists(shm));
    }
    snprintf(rt, sizeof rt, "%s/rt-live.db", w);
    CHECK_INT(th_run_as(out, sizeof out, (const char *const[]){"restore", live, "--db", rt, NULL},
                        outp, 1),
              1);
    CHECK(strstr(out, "live.db-wal") && strstr(out, "-shm") && strstr(out, "writable directory"));
    CHECK(!strstr(out, "not a pingji database"));
    snprintf(rt, sizeof rt, "%s/rt-cut.db", w);
    CHECK_INT(th_run_as(out, sizeof out, (const char *const[]){"restore", cut, "--db", rt, NULL},
                        outp, 1),
              1);
    CHECK(strstr(out, "cut.db-journal") && !strstr(out, "not a pingji database"));
    CHECK(chmod(ro, 0755) == 0);
}

static long long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) ? -1 : (long long)st.st_size;
}

static int file_mode(const char *path)
{
    struct stat st;
    return stat(path, &st) ? -1 : (int)(st.st_mode & 07777);
}

/* Regression: --out of facility export, indicator export and plan --scenario opened the file
 * with fopen "w": --out naming the database wrote the CSV over it (every record gone, exit 0),
 * a symbolic link was written through and an existing file kept its old mode. Now the file is
 * made new and owner-only; never the database (by any name, --force or not), never a link;
 * an existing file only with --force, replaced whole. */
TEST_T(cli_out_never_overwrites_the_database_nor_writes_through_a_link, 120)
{
    char out[1 << 20] = {0};
    char db[600], hard[600], scn[600], victim[600], lnk[600], res[600], csv[600];
    demo_db(db, sizeof db);
    path_in_tmp(hard, sizeof hard, "hard.db");
    path_in_tmp(scn, sizeof scn, "scenario.json");
    path_in_tmp(victim, sizeof victim, "victim.txt");
    path_in_tmp(lnk, sizeof lnk, "out-link.csv");
    path_in_tmp(res, sizeof res, "result.json");
    path_in_tmp(csv, sizeof csv, "facilities.csv");
    write_file(scn, plan_scenario, strlen(plan_scenario));
    CHECK_INT(link(db, hard), 0);
    long long size = file_size(db), audit = sql_int(db, "SELECT COUNT(*) FROM audit");

    /* the database itself, by its name or another one, with --force too: refused, exit 1 (a
     * command that opens the database first refuses its second name there: a database of two
     * names is not opened at all, below) */
    const char *const targets[] = {db, hard};
#define REFUSED_AS_DB(out) (strstr(out, "is the database") || strstr(out, "(hard links)"))
    for (int i = 0; i < 2; i++) {
        CHECK_INT(RUN(out, "facility", "export", "--csv", "--out", targets[i], "--db", db), 1);
        CHECK(strstr(out, "is the database") && strstr(out, "not writing over it"));
        CHECK_INT(
            RUN(out, "facility", "export", "--csv", "--out", targets[i], "--force", "--db", db), 1);
        CHECK(strstr(out, "is the database"));
        CHECK_INT(RUN(out, "indicator", "export", "--out", targets[i], "--force", "--db", db), 1);
        CHECK(REFUSED_AS_DB(out));
        CHECK_INT(RUN(out, "plan", "--scenario", scn, "--out", targets[i], "--force", "--db", db),
                  1);
        CHECK(REFUSED_AS_DB(out));
    }
#undef REFUSED_AS_DB
    CHECK_INT(file_size(db), size);
    /* a database with two names is opened by neither (each name would keep its own write-ahead
     * log: a server on one and a command on the other gave one id to two records and corrupted
     * the file); with one name again it is */
    CHECK_INT(RUN(out, "facility", "list", "--limit", "1", "--db", hard), 1);
    CHECK(strstr(out, "has 2 names (hard links)"));
    CHECK_INT(RUN(out, "facility", "list", "--limit", "1", "--db", db), 1);
    CHECK(strstr(out, "has 2 names (hard links)"));
    CHECK_INT(unlink(hard), 0);
    CHECK_INT(RUN(out, "facility", "list", "--limit", "1", "--db", db), 0);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM plans"), 0);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM audit"), audit);

    /* a symbolic link: not written through, --force or not */
    write_file(victim, "keep", 4);
    CHECK_INT(chmod(victim, 0644), 0);
    CHECK_INT(symlink(victim, lnk), 0);
    CHECK_INT(RUN(out, "facility", "export", "--csv", "--out", lnk, "--db", db), 1);
    CHECK(strstr(out, "is a symbolic link; not writing through it"));
    CHECK_INT(RUN(out, "indicator", "export", "--out", lnk, "--force", "--db", db), 1);
    CHECK(strstr(out, "is a symbolic link"));
    CHECK_INT(RUN(out, "plan", "--scenario", scn, "--out", lnk, "--force", "--db", db), 1);
    CHECK(strstr(out, "is a symbolic link"));
    CHECK_INT(file_size(victim), 4);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM plans"), 0);

    /* an existing file: refused without --force (the plan not saved), replaced with it: a new
     * file, owner-only */
    CHECK_INT(RUN(out, "facility", "export", "--csv", "--out", victim, "--db", db), 1);
    CHECK(strstr(out, "already exists; not overwriting it (--force replaces it)"));
    CHECK_INT(RUN(out, "plan", "--scenario", scn, "--out", victim, "--db", db), 1);
    CHECK(strstr(out, "already exists"));
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM plans"), 0);
    CHECK_INT(file_size(victim), 4);
    CHECK_INT(RUN(out, "facility", "export", "--csv", "--out", victim, "--force", "--db", db), 0);
    CHECK(file_size(victim) > 100);
    CHECK_INT(file_mode(victim), 0600);
    CHECK_INT(RUN(out, "plan", "--scenario", scn, "--out", victim, "--force", "--db", db), 0);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM plans"), 1);
    CHECK_INT(file_mode(victim), 0600);

    /* a new file: made owner-only, under any umask */
    CHECK_INT(RUN(out, "facility", "export", "--csv", "--out", csv, "--db", db), 0);
    CHECK_INT(file_mode(csv), 0600);
    CHECK_INT(RUN(out, "plan", "--scenario", scn, "--out", res, "--db", db), 0);
    CHECK_INT(file_mode(res), 0600);
}

/* Regression: plan --scenario FILE read the file with duplicate keys allowed and planned the
 * last "demand" given; the API and --json refuse such JSON. Now it is refused alike, exit 2,
 * and no plan is saved. */
TEST_T(cli_plan_scenario_refuses_duplicate_keys, 120)
{
    char out[1 << 20] = {0};
    char db[600], scn[600];
    demo_db(db, sizeof db);
    path_in_tmp(scn, sizeof scn, "dup.json");
    /* the scenario with a second "demand" after the last member */
    char text[sizeof plan_scenario + 64];
    snprintf(text, sizeof text, "%.*s,\"demand\":{\"people\":5}}", (int)strlen(plan_scenario) - 1,
             plan_scenario);
    write_file(scn, text, strlen(text));
    long long audit = sql_int(db, "SELECT COUNT(*) FROM audit");
    CHECK_INT(RUN(out, "plan", "--scenario", scn, "--db", db), 2);
    CHECK(strstr(out, "--scenario") && strstr(out, "duplicate object key"));
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM plans"), 0);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM audit"), audit);
}

/* Regression: an empty --db ("--db \"$DB\"" with DB unset, or --db=) was taken as no --db:
 * the command acted on data/pingji.db of the current directory, past $PINGJI_DB. Now it is a
 * usage error, exit 2, and no database is read, made or replaced. */
TEST(cli_an_empty_db_names_no_database)
{
    char out[65536] = {0};
    char dir[600], cwd[PATH_MAX], fresh[600];
    path_in_tmp(dir, sizeof dir, "work");
    path_in_tmp(fresh, sizeof fresh, "new.db");
    CHECK_INT(mkdir(dir, 0700), 0);
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK_INT(RUN(out, "init", "--db", fresh), 0);
    /* run from a directory of its own, where data/pingji.db would be made */
    char bin[PATH_MAX], was[PATH_MAX] = "";
    const char *pb = getenv("PJ_BIN");
    if (pb) snprintf(was, sizeof was, "%s", pb);
    CHECK(realpath(pb && *pb ? pb : "build/rel/pingji", bin) != NULL);
    CHECK_INT(setenv("PJ_BIN", bin, 1), 0);
    CHECK_INT(chdir(dir), 0);
    const char *const verbs[][3] = {
        {"org", "list", NULL}, {"init", NULL, NULL}, {"restore", fresh, NULL}};
    for (int i = 0; i < 3; i++) {
        const char *args[8];
        int n = 0;
        for (int k = 0; k < 3 && verbs[i][k]; k++) args[n++] = verbs[i][k];
        args[n] = "--db";
        args[n + 1] = "";
        args[n + 2] = NULL;
        CHECK_INT(th_run(out, sizeof out, args), 2);
        CHECK(strstr(out, "--db is empty"));
        args[n] = "--db=";
        args[n + 1] = NULL;
        CHECK_INT(th_run(out, sizeof out, args), 2);
        CHECK(strstr(out, "--db is empty"));
    }
    int made = exists("data");
    CHECK_INT(chdir(cwd), 0);
    if (was[0])
        setenv("PJ_BIN", was, 1);
    else
        unsetenv("PJ_BIN");
    CHECK(!made);
}

/* Regression: the same bad JSON file was exit 1 from plan --scenario and exit 2 from --json
 * @FILE; a missing file was said to be at "(line -1)"; a file saved with a UTF-8 byte order
 * mark was refused; pingji with no verb or an unknown one printed its usage on standard
 * output; a missing file was exit 2 for --json @FILE and plan --scenario, 1 for an import. */
TEST_T(cli_json_files_read_alike_and_usage_goes_to_stderr, 120)
{
    char out[1 << 20] = {0};
    char db[600], bad[600], none[600], bom[600], at[620], scn[600];
    demo_db(db, sizeof db);
    path_in_tmp(bad, sizeof bad, "bad.json");
    path_in_tmp(none, sizeof none, "nofile.json");
    path_in_tmp(bom, sizeof bom, "bom.json");
    path_in_tmp(scn, sizeof scn, "sbom.json");
    write_file(bad, "{\"name\":\"x\"", 11);
    /* a broken file: exit 2 both ways, with its line */
    CHECK_INT(RUN(out, "plan", "--scenario", bad, "--db", db), 2);
    CHECK(strstr(out, "(line 1)"));
    snprintf(at, sizeof at, "@%s", bad);
    CHECK_INT(RUN(out, "org", "add", "--json", at, "--db", db), 2);
    CHECK(strstr(out, "(line 1)"));
    /* a missing file: "no such file", no line — and exit 1 as for every verb's input file
     * (it was 2 here and 1 for an import or a manual's table) */
    CHECK_INT(RUN(out, "plan", "--scenario", none, "--db", db), 1);
    CHECK(strstr(out, "no such file") && !strstr(out, "line -1"));
    snprintf(at, sizeof at, "@%s", none);
    CHECK_INT(RUN(out, "org", "add", "--json", at, "--db", db), 1);
    CHECK(strstr(out, "no such file") && !strstr(out, "line -1"));
    CHECK_INT(RUN(out, "facility", "import", none, "--dry-run", "--db", db), 1);
    CHECK(strstr(out, "cannot read") && strstr(out, "no such file"));
    CHECK_INT(RUN(out, "manual", "import", "--facility-id", "1", "--scenario", "epidemic", "--role",
                  "isolation", "--title", "t", "--csv", none, "--db", db),
              1);
    CHECK(strstr(out, "cannot read") && strstr(out, "no such file"));
    /* an empty file: said as a file (it was the API's "csv must not be empty (leave it out for
     * none)") */
    write_file(bom, "", 0);
    CHECK_INT(RUN(out, "manual", "import", "--facility-id", "1", "--scenario", "epidemic", "--role",
                  "isolation", "--title", "t", "--csv", bom, "--db", db),
              1);
    CHECK(strstr(out, "is empty") && strstr(out, "8 columns") && !strstr(out, "leave it out"));
    /* a byte order mark first: skipped */
    const char *org = "\xEF\xBB\xBF{\"name\":\"带BOM的机构\",\"type\":\"enterprise\"}";
    write_file(bom, org, strlen(org));
    snprintf(at, sizeof at, "@%s", bom);
    CHECK_INT(RUN(out, "org", "add", "--json", at, "--db", db), 0);
    CHECK(strstr(out, "带BOM的机构"));
    char text[sizeof plan_scenario + 8];
    snprintf(text, sizeof text, "\xEF\xBB\xBF%s", plan_scenario);
    write_file(scn, text, strlen(text));
    CHECK_INT(RUN(out, "plan", "--scenario", scn, "--db", db), 0);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM plans"), 1);
    /* the usage after a usage error: on standard error, exit 2; asked for: standard output */
    CHECK_INT(th_run_stdout(out, sizeof out, (const char *const[]){"users", NULL}), 2);
    CHECK_INT((int)strlen(out), 0);
    CHECK_INT(th_run_stdout(out, sizeof out, (const char *const[]){NULL}), 2);
    CHECK_INT((int)strlen(out), 0);
    CHECK_INT(RUN(out, "users"), 2);
    CHECK(strstr(out, "unknown verb 'users'") && strstr(out, "usage: pingji VERB"));
    CHECK_INT(th_run_stdout(out, sizeof out, (const char *const[]){"help", NULL}), 0);
    CHECK(strstr(out, "usage: pingji VERB"));
}

/* Regression: pingji user get and user list said "locked": false for an account the running
 * server had locked after failed log-ins: the lock lived in the server's memory only. Its end
 * is now kept with the account, so the command line reads the user's "locked" as the API does;
 * a new password lifts it for both. */
TEST_T(cli_user_get_sees_the_servers_lockout, 120)
{
    char out[65536] = {0};
    th_server sv;
    th_start(&sv, 0);
    CHECK_INT(RUN(out, "user", "add", "wanda", "--role", "viewer", "--password", "Lantern-Rive7",
                  "--db", sv.db),
              0);
    json_t *added = json_loads(out, 0, NULL);
    char id[24], path[64];
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(added, "id")));
    json_decref(added);
    snprintf(path, sizeof path, "/api/v1/users/%s", id);
    int last = 0;
    for (int i = 0; i < 6 && last != 423; i++)
        last = th_call(&sv, "POST", "/api/v1/auth/login", NULL,
                       "{\"username\":\"wanda\",\"password\":\"wrongwrong\"}", NULL);
    CHECK_INT(last, 423);
    char tok[80];
    th_login(&sv, "admin", sv.admin_pw, tok);
    json_t *u = NULL;
    CHECK_INT(th_call(&sv, "GET", path, tok, NULL, &u), 200);
    CHECK(json_is_true(json_object_get(u, "locked")));
    json_decref(u);
    CHECK_INT(RUN(out, "user", "get", id, "--db", sv.db), 0);
    CHECK(strstr(out, "\"locked\": true"));
    CHECK_INT(RUN(out, "user", "list", "--db", sv.db), 0);
    CHECK(strstr(out, "\"locked\": true"));
    /* a new password lifts the lock: the server and the command line say so */
    CHECK_INT(RUN(out, "user", "update", id, "--json", "{\"password\":\"Orchard-Beam42\"}", "--db",
                  sv.db),
              0);
    CHECK_INT(RUN(out, "user", "get", id, "--db", sv.db), 0);
    CHECK(strstr(out, "\"locked\": false"));
    CHECK_INT(th_call(&sv, "GET", path, tok, NULL, &u), 200);
    CHECK(json_is_false(json_object_get(u, "locked")));
    json_decref(u);
    th_stop(&sv);
}

/* Regression: `pingji user add NAME --role R` without a password made up 20 hex digits, and a
 * name of hex digits ("fed", "007") was inside about one draw in 230: the command failed with
 * "the password must not contain the user name" though the operator had typed none. The
 * password made up is now drawn again until the rules take it. */
TEST(cli_user_add_made_up_password_never_holds_the_name)
{
    static const char *const names[] = {"fed", "007", "abc", "dad", "a1b2"};
    for (int k = 0; k < 5; k++)
        for (int i = 0; i < 20000; i++) {
            char pw[21];
            pj_password_generate(names[k], pw);
            CHECK_INT((int)strlen(pw), 20);
            CHECK(!strstr(pw, names[k]));
            CHECK_INT(pj_password_rules(names[k], pw, NULL), 0);
        }
}

/* The directory part of path. */
static void split_dir_of(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    snprintf(out, size, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
}

/* The program with standard output sent to out_path ("" for none: closed) and standard error
 * into err; the exit code. */
static int run_out(const char *out_path, char *err, size_t size, const char *const *args)
{
    const char *bin = getenv("PJ_BIN") && *getenv("PJ_BIN") ? getenv("PJ_BIN") : "build/rel/pingji";
    char errf[600];
    path_in_tmp(errf, sizeof errf, "stderr.txt");
    const char *argv[32] = {bin};
    int n = 1;
    for (; args[n - 1] && n < 31; n++) argv[n] = args[n - 1];
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int e = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (e < 0 || dup2(e, 2) < 0) _exit(99);
        if (*out_path) {
            int o = open(out_path, O_WRONLY);
            if (o < 0 || dup2(o, 1) < 0) _exit(99);
        } else {
            close(1);
        }
        execv(bin, (char *const *)argv);
        _exit(98);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    FILE *f = fopen(errf, "rb");
    size_t got = f ? fread(err, 1, size - 1, f) : 0;
    if (f) fclose(f);
    err[got] = 0;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
#define RUN_OUT(path, err, ...)                                                                    \
    run_out(path, err, sizeof err, (const char *const[]){__VA_ARGS__, NULL})

/* Regressions from a probe of the command line:
 * - an answer lost on its way to standard output (a full disk, a closed output) was exit 0:
 *   user add made the account and lost its one-time password saying nothing;
 * - --json @/dev/zero (or plan --scenario) read forever past its 64 MiB limit;
 * - --out DB-journal was written (and deleted by SQLite at the next open), a plan's --out DB-wal
 *   was refused only after the plan was saved;
 * - an option's value that is not UTF-8 was dropped as no value (a step done without its
 *   remarks, "username is required"), a filter of it found nothing;
 * - a message quoting an argument printed its control characters raw (an ESC sequence);
 * - a stored text that is not UTF-8 made the JSON printed unreadable (\xNN escapes);
 * - agri bogus did not name the sub-command, overview --population took 9223372036854775807. */
TEST_T(cli_output_input_and_arguments_checked, 180)
{
    char out[1 << 16] = {0}, err[1 << 14] = {0}, db[600], scn[600], dir[600];
    demo_db(db, sizeof db);
    path_in_tmp(scn, sizeof scn, "scenario.json");
    write_file(scn, plan_scenario, strlen(plan_scenario));
    long long users = sql_int(db, "SELECT COUNT(*) FROM users"),
              audit = sql_int(db, "SELECT COUNT(*) FROM audit");

    /* standard output closed: no account made (its password would be lost) */
    CHECK_INT(RUN_OUT("", err, "user", "add", "lostpw1", "--role", "viewer", "--db", db), 1);
    CHECK(strstr(err, "standard output is closed") && strstr(err, "no account made"));
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM users"), users);
    /* a full disk: made, and said how to give it a password */
    CHECK_INT(RUN_OUT("/dev/full", err, "user", "add", "lostpw2", "--role", "viewer", "--db", db),
              1);
    CHECK(strstr(err, "cannot write standard output: the account lostpw2") &&
          strstr(err, "pingji user update"));
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM users WHERE username = 'lostpw2'"), 1);
    /* any answer lost: exit 1, said */
    CHECK_INT(RUN_OUT("/dev/full", err, "region", "get", "1", "--db", db), 1);
    CHECK(strstr(err, "cannot write standard output"));
    /* a write whose answer is lost says it was made (a script ran it again on exit 1) */
    CHECK_INT(RUN_OUT("/dev/full", err, "org", "add", "--json",
                      "{\"name\":\"答复丢失\",\"type\":\"enterprise\"}", "--db", db),
              1);
    CHECK(strstr(err, "a change it made is saved") != NULL);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM organisations WHERE name = '答复丢失'"), 1);
    CHECK_INT(RUN_OUT("/dev/full", err, "help"), 1);
    audit = sql_int(db, "SELECT COUNT(*) FROM audit");

    /* an endless input: refused at its limit (a file not read whole: exit 1, as one missing) */
    CHECK_INT(RUN(out, "region", "add", "--json", "@/dev/zero", "--db", db), 1);
    CHECK(strstr(out, "/dev/zero is larger than 64 MiB"));
    /* "@" alone names no file: a usage error saying so ("cannot read : no such file" before) */
    CHECK_INT(RUN(out, "region", "add", "--json", "@", "--db", db), 2);
    CHECK(strstr(out, "--json @ names no file") != NULL);
    CHECK_INT(RUN(out, "plan", "--scenario", "/dev/zero", "--db", db), 1);
    CHECK(strstr(out, "larger than 64 MiB"));

    /* the database's side files, there or not, with --force too: refused before anything */
    char side[700];
    long long plans = sql_int(db, "SELECT COUNT(*) FROM plans");
    static const char *const sides[] = {"-journal", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(side, sizeof side, "%s%s", db, sides[i]);
        CHECK_INT(RUN(out, "plan", "--scenario", scn, "--out", side, "--force", "--db", db), 1);
        CHECK(strstr(out, "is a file of the database's own"));
        CHECK_INT(RUN(out, "indicator", "export", "--out", side, "--db", db), 1);
        CHECK(strstr(out, "is a file of the database's own"));
    }
    /* by another path to its directory too */
    split_dir_of(db, dir, sizeof dir);
    snprintf(side, sizeof side, "%s/../%s/pj.db-journal", dir, strrchr(dir, '/') + 1);
    CHECK_INT(RUN(out, "facility", "export", "--csv", "--out", side, "--db", db), 1);
    CHECK(strstr(out, "is a file of the database's own"));
    snprintf(side, sizeof side, "%s-journal", db);
    CHECK(access(side, F_OK) != 0);
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM plans"), plans);

    /* option values that are not UTF-8: exit 2 naming the option; nothing written */
    CHECK_INT(RUN(out, "region", "list", "--q", "\xff", "--db", db), 2);
    CHECK(strstr(out, "--q is not UTF-8 text: \\xff"));
    CHECK_INT(RUN(out, "user", "add", "uu\xffu", "--role", "viewer", "--db", db), 2);
    CHECK(strstr(out, "the user name is not UTF-8 text"));
    CHECK_INT(RUN(out, "user", "add", "uuu2", "--role", "viewer", "--name",
                  "ab\xff"
                  "cd",
                  "--db", db),
              2);
    CHECK(strstr(out, "--name is not UTF-8 text"));
    CHECK_INT(sql_int(db, "SELECT COUNT(*) FROM audit"), audit);

    /* an argument's control characters are shown, not sent to the terminal */
    CHECK_INT(RUN(out, "facility", "list", "--type", "\x1b[31mX", "--db", db), 2);
    CHECK(strstr(out, "'\\x1b[31mX'") && !strchr(out, '\x1b'));
    CHECK_INT(RUN(out, "\x1b]0;title\x07"), 2);
    CHECK(!strchr(out, '\x1b') && !strchr(out, '\x07') && strstr(out, "\\x1b]0;title\\x07"));

    /* a stored text that is not UTF-8: the JSON printed is JSON, the byte as U+FFFD */
    {
        th_server sv;
        memset(&sv, 0, sizeof sv);
        snprintf(sv.db, sizeof sv.db, "%s", db);
        th_sql_exec(&sv, "UPDATE regions SET name = CAST(X'E58D97FF41' AS TEXT) WHERE id = 1");
    }
    CHECK_INT(th_run_stdout(out, sizeof out,
                            (const char *const[]){"region", "get", "1", "--db", db, NULL}),
              0);
    json_error_t je;
    json_t *r = json_loads(out, 0, &je);
    if (!r) t_fail(__FILE__, __LINE__, "not JSON (%s): %.200s", je.text, out);
    CHECK_STR(json_string_value(json_object_get(r, "name")), "南\xef\xbf\xbd"
                                                             "A");
    json_decref(r);

    /* agri bogus names it; a population beyond the API's range is refused */
    CHECK_INT(RUN(out, "agri", "bogus", "--db", db), 2);
    CHECK(strstr(out, "agri has no sub-command 'bogus'; sub-commands: labs"));
    CHECK_INT(RUN(out, "overview", "--population", "9223372036854775807", "--db", db), 2);
    CHECK_INT(RUN(out, "overview", "--population", "100000001", "--db", db), 2);
    CHECK(strstr(out, "from 1 to 100000000"));
    CHECK_INT(RUN(out, "overview", "--population", "100000000", "--db", db), 0);
}

/* Regression: a value given as an option that a write refuses as malformed — not a month, not
 * one of the values, not a date, no district — exited 1 as a refusal would, while the same
 * mistake in a list's filter exited 2; the README says a bad option value is a usage error,
 * exit 2. Each refused here writes nothing; a well-formed value a record's rule refuses stays
 * exit 1 (academy graduate --on before the practice: test_ecommerce_review2.c). */
TEST_T(cli_a_malformed_option_value_is_a_usage_error_for_writes_too, 120)
{
    char out[1 << 16] = {0}, db[600], fp[TH_FINGERPRINT_SIZE], fp2[TH_FINGERPRINT_SIZE];
    demo_db(db, sizeof db);
    th_server sv;
    memset(&sv, 0, sizeof sv);
    snprintf(sv.db, sizeof sv.db, "%s", db);
    th_fingerprint(&sv, fp, sizeof fp);
    static const char *const cmds[][8] = {
        {"ecommerce", "sales-delete", "1", "--month", "bogus", "--channel", "livestream"},
        {"ecommerce", "sales-delete", "1", "--month", "2024-01", "--channel", "bogus"},
        {"academy", "cohort-state", "1", "--state", "bogus"},
        {"academy", "graduate", "1", "--on", "2025-6-30"},
        {"user", "add", "zz1", "--role", "bogus"},
        {"drill", "start", "--facility-id", "2", "--scenario", "bogus"},
        {"indicator", "values", "--region", "bogus"},
        {"carbon", "intensity", "--year", "2023", "--region", "bogus"},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        int rc = th_run_db(out, sizeof out, cmds[i], 8, db);
        if (rc != 2)
            t_fail(__FILE__, __LINE__, "%s %s %s: exit %d, expected 2: %s", cmds[i][0], cmds[i][1],
                   cmds[i][2], rc, out);
    }
    th_fingerprint(&sv, fp2, sizeof fp2);
    CHECK_STR(fp2, fp);
    /* a file whose JSON lacks a field the option's name shares is the file's refusal: exit 1 */
    char scn[600];
    path_in_tmp(scn, sizeof scn, "noscenario.json");
    FILE *f = fopen(scn, "w");
    fputs("{\"name\":\"x\"}", f);
    fclose(f);
    CHECK_INT(RUN(out, "plan", "--scenario", scn, "--db", db), 1);
}
