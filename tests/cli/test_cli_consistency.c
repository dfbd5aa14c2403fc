/* The command line answers alike across its verbs: a flag given a value, a list's pages, an id
 * filter of 0, a text filter longer than the API's, an empty filter, bad dates and ranges, the
 * messages of an unknown sub-command, an empty $PINGJI_DB, what a delete prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "t.h"
#include "th.h"

/* A demo database with n elders (the runner loads none) in the test's directory. */
static void demo_db(char *db, size_t size, th_server *sv, const char *elders)
{
    char out[65536] = {0};
    snprintf(db, size, "%s/pj.db", t_tmpdir());
    const char *was = getenv("PINGJI_DEMO_ELDERS");
    char keep[32];
    snprintf(keep, sizeof keep, "%s", was ? was : "");
    setenv("PINGJI_DEMO_ELDERS", elders, 1);
    CHECK_INT(RUN(out, "init", "--db", db, "--demo"), 0);
    if (was)
        setenv("PINGJI_DEMO_ELDERS", keep, 1);
    else
        unsetenv("PINGJI_DEMO_ELDERS");
    memset(sv, 0, sizeof *sv);
    snprintf(sv->db, sizeof sv->db, "%s", db);
}

static char *slurp(const char *path)
{
    static char buf[65536]; /* the answer, until the next call */
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

/* --flag=value is refused, whatever the value: the flag would be on (--force=no overwrote,
 * --reveal=false revealed and audited, --vulnerable=false filtered). */
TEST_T(cli_a_flag_given_a_value_is_refused, 120)
{
    char out[1 << 20] = {0};
    char db[600], file[600], fp[TH_FINGERPRINT_SIZE], fp2[TH_FINGERPRINT_SIZE];
    th_server sv;
    demo_db(db, sizeof db, &sv, "5");
    snprintf(file, sizeof file, "%s/kept.csv", t_tmpdir());
    FILE *f = fopen(file, "w");
    CHECK(f != NULL);
    fputs("keep me\n", f);
    fclose(f);
    th_fingerprint(&sv, fp, sizeof fp);
    long long audits = th_sql_int(&sv, "SELECT count(*) FROM audit");

    CHECK_INT(RUN(out, "facility", "export", "--out", file, "--force=no", "--db", db), 2);
    CHECK(strstr(out, "pingji: --force takes no value (see pingji facility --help)"));
    CHECK_STR(slurp(file), "keep me\n");
    CHECK_INT(RUN(out, "elder", "get", "2", "--reveal=false", "--db", db), 2);
    CHECK(strstr(out, "--reveal takes no value"));
    CHECK_INT(RUN(out, "elder", "list", "--vulnerable=false", "--db", db), 2);
    CHECK(strstr(out, "--vulnerable takes no value"));
    CHECK_INT(RUN(out, "elder", "list", "--vulnerable=", "--db", db), 2);
    CHECK_INT(RUN(out, "convert", "restore", "1", "--confirm=no", "--reason", "r", "--db", db), 2);
    CHECK(strstr(out, "--confirm takes no value"));
    CHECK_INT(RUN(out, "import", "--dry-run=yes", "x.csv", "--db", db), 2);
    CHECK(strstr(out, "--dry-run takes no value"));
    /* the server does not start: nothing weakened, nothing listening */
    CHECK_INT(RUN(out, "serve", "--port", "19117", "--fast-hash=no", "--db", db), 2);
    CHECK(strstr(out, "--fast-hash takes no value"));
    CHECK_INT(RUN(out, "serve", "--port", "19117", "--trust-proxy=off", "--db", db), 2);
    CHECK_INT(RUN(out, "serve", "--port", "19117", "--secure-cookies=false", "--db", db), 2);
    th_fingerprint(&sv, fp2, sizeof fp2);
    CHECK_STR(fp2, fp);
    CHECK(th_sql_int(&sv, "SELECT count(*) FROM audit") == audits);

    /* an option that takes a value still takes it after '=' (manual import's --csv a file) */
    CHECK_INT(RUN(out, "facility", "list", "--limit=2", "--db", db), 0);
    CHECK_INT(RUN(out, "manual", "import", "--facility-id", "1", "--scenario", "flood", "--role",
                  "lead", "--title", "t", "--csv=/nonexistent.csv", "--db", db),
              1);
    CHECK(strstr(out, "takes no value") == NULL);
    /* the flag itself works as before */
    CHECK_INT(RUN(out, "facility", "export", "--out", file, "--force", "--db", db), 0);
    CHECK(strcmp(slurp(file), "keep me\n") != 0);
}

/* The ids of the items of the page args answers (JSON on standard output), appended to ids;
 * its next_cursor into next ("" at the end). Returns the count of items. */
static int page_ids(const char *const *args, long long *ids, int *n, int cap, char *next,
                    size_t next_size)
{
    char out[1 << 20] = {0};
    CHECK_INT(th_run_stdout(out, sizeof out, args), 0);
    json_error_t e;
    json_t *j = json_loads(out, 0, &e);
    CHECK(j != NULL);
    json_t *items = json_object_get(j, "items"), *nc = json_object_get(j, "next_cursor");
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        CHECK(*n < cap);
        ids[(*n)++] = json_integer_value(json_object_get(it, "id"));
    }
    snprintf(next, next_size, "%s", json_is_string(nc) ? json_string_value(nc) : "");
    if (json_is_integer(nc)) snprintf(next, next_size, "%lld", (long long)json_integer_value(nc));
    int count = (int)json_array_size(items);
    json_decref(j);
    return count;
}

/* indicator values (list, targets, plan list) stopped at 500 and refused --cursor although it
 * printed next_cursor: each pages as the API does, --limit N and --cursor N. */
TEST_T(cli_indicator_lists_page_by_cursor, 120)
{
    char out[65536] = {0};
    char db[600], next[32] = "", limit[8];
    th_server sv;
    demo_db(db, sizeof db, &sv, "0");
    long long all = th_sql_int(&sv, "SELECT count(*) FROM indicator_values");
    CHECK(all > 60);
    static long long ids[4096];
    int n = 0, pages = 0;
    do {
        const char *args[] = {"indicator", "values", "--limit", "30", "--db", db, NULL, NULL, NULL};
        if (*next) args[6] = "--cursor", args[7] = next;
        int got = page_ids(args, ids, &n, 4096, next, sizeof next);
        CHECK(got <= 30);
        pages++;
    } while (*next && pages < 100);
    CHECK_INT(n, (int)all);
    CHECK(pages >= 3);
    for (int i = 1; i < n; i++) CHECK(ids[i] > ids[i - 1]); /* no item twice */

    /* the other lists: a page of the asked size, the next one after it */
    const char *lists[][2] = {{"indicator", "list"}, {"indicator", "targets"}};
    for (int k = 0; k < 2; k++) {
        n = 0;
        const char *first[] = {lists[k][0], lists[k][1], "--limit", "1", "--db", db, NULL};
        CHECK_INT(page_ids(first, ids, &n, 4096, next, sizeof next), 1);
        CHECK(*next);
        const char *second[] = {lists[k][0], lists[k][1], "--limit", "1", "--cursor",
                                next,        "--db",      db,        NULL};
        CHECK_INT(page_ids(second, ids, &n, 4096, next, sizeof next), 1);
        CHECK(ids[1] > ids[0]);
    }
    CHECK_INT(RUN(out, "plan", "list", "--limit", "1", "--cursor", "1", "--db", db), 0);
    /* a bad page is a usage error */
    snprintf(limit, sizeof limit, "501");
    CHECK_INT(RUN(out, "indicator", "values", "--limit", limit, "--db", db), 2);
    CHECK(strstr(out, "--limit takes 1 to 500"));
    CHECK_INT(RUN(out, "plan", "list", "--limit", "0", "--db", db), 2);
    CHECK_INT(RUN(out, "indicator", "targets", "--cursor", "x", "--db", db), 2);
    CHECK(strstr(out, "--cursor takes the next_cursor of the page before"));
}

/* An id filter of 0 names no record: the API answers 400, the registry lists and the facility
 * export acted on the whole district; refused, exit 2, as every other verb's ids. */
TEST_T(cli_registry_id_filters_refuse_0, 120)
{
    char out[1 << 20] = {0};
    char db[600], file[600];
    th_server sv;
    demo_db(db, sizeof db, &sv, "0");
    snprintf(file, sizeof file, "%s/all.csv", t_tmpdir());
    const char *cases[][3] = {
        {"facility", "list", "--township-id"}, {"facility", "list", "--village-id"},
        {"facility", "list", "--operator-id"}, {"org", "list", "--township-id"},
        {"region", "list", "--parent-id"},     {"region", "list", "--township-id"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_INT(RUN(out, cases[i][0], cases[i][1], cases[i][2], "0", "--db", db), 2);
        char want[120];
        snprintf(want, sizeof want, "pingji: %s takes an id (a number, 1 or more), not '0'",
                 cases[i][2]);
        CHECK(strstr(out, want));
    }
    CHECK_INT(RUN(out, "facility", "export", "--township-id", "0", "--out", file, "--db", db), 2);
    CHECK(strstr(out, "--township-id takes an id (a number, 1 or more), not '0'"));
    CHECK(access(file, F_OK) != 0);
    /* an id and the first page's cursor 0 are taken */
    CHECK_INT(RUN(out, "facility", "list", "--township-id", "1", "--db", db), 0);
    CHECK_INT(RUN(out, "facility", "list", "--cursor", "0", "--db", db), 0);
    CHECK_INT(RUN(out, "facility", "export", "--township-id", "1", "--out", file, "--db", db), 0);
    CHECK(access(file, F_OK) == 0);
}

/* A text filter the API limits to 64 characters is refused beyond them (the API's 400
 * bad_query), exit 2, as the registry lists do; 64 characters (of any script) are taken. */
TEST_T(cli_text_filters_are_64_characters_at_most, 120)
{
    char out[1 << 20] = {0};
    char db[600], long65[80], han64[64 * 3 + 1] = "";
    th_server sv;
    demo_db(db, sizeof db, &sv, "3");
    memset(long65, 'a', 65);
    long65[65] = 0;
    for (int i = 0; i < 64; i++) strcat(han64, "养");
    const char *cases[][3] = {{"elder", "list", "--q"},
                              {"helper", "list", "--q"},
                              {"ecommerce", "streamers", "--q"},
                              {"indicator", "list", "--q"},
                              {"indicator", "values", "--source"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_INT(RUN(out, cases[i][0], cases[i][1], cases[i][2], long65, "--db", db), 2);
        char want[80];
        snprintf(want, sizeof want, "pingji: %s is longer than 64 characters", cases[i][2]);
        CHECK(strstr(out, want));
        CHECK_INT(RUN(out, cases[i][0], cases[i][1], cases[i][2], han64, "--db", db), 0);
    }
}

/* audit --username "" printed no rows where the API's ?username= is no filter: an empty text
 * filter of audit is refused, exit 2, naming it. */
TEST_T(cli_audit_refuses_an_empty_text_filter, 120)
{
    char out[1 << 20] = {0};
    char db[600];
    th_server sv;
    demo_db(db, sizeof db, &sv, "0");
    const char *keys[] = {"--username", "--entity", "--action"};
    for (int i = 0; i < 3; i++) {
        CHECK_INT(RUN(out, "audit", keys[i], "", "--db", db), 2);
        char want[120];
        snprintf(want, sizeof want, "pingji: %s is empty: give a value, or leave %s out", keys[i],
                 keys[i]);
        CHECK(strstr(out, want));
    }
    CHECK_INT(RUN(out, "audit", "--username=", "--db", db), 2);
    /* a value filters as before */
    CHECK_INT(RUN(out, "audit", "--username", "cli", "--limit", "1", "--db", db), 0);
    CHECK(strstr(out, "\"items\""));
}

/* A malformed date or period, or a range whose start is after its end, is a usage error (exit
 * 2) whichever verb is given it; some answered exit 1 (the API's 400 bad_query as a failure). */
TEST_T(cli_bad_dates_and_ranges_are_usage_errors, 120)
{
    char out[1 << 20] = {0};
    char db[600], fp[TH_FINGERPRINT_SIZE], fp2[TH_FINGERPRINT_SIZE];
    th_server sv;
    demo_db(db, sizeof db, &sv, "0");
    th_fingerprint(&sv, fp, sizeof fp);
    const char *const cases[][7] = {
        {"ecommerce", "bookings", "--from", "bogus"},
        {"ecommerce", "sessions", "--from", "bogus"},
        {"ecommerce", "kpis", "--from", "bogus"},
        {"academy", "kpis", "--as-of", "bogus"},
        {"carbon", "energy", "--period", "bogus"},
        {"indicator", "values", "--from", "bogus"},
        {"indicator", "export", "--from", "bogus"},
        {"enterprise", "kpis", "--from", "2025-02-01", "--to", "2025-01-01"},
        {"indicator", "values", "--from", "2025", "--to", "2024"},
        {"enterprise", "kpis", "--from", "bogus"},
        {"audit", "--since", "bogus"},
        {"agri", "milestones", "list", "--from", "bogus"},
        {"carbon", "emissions", "--year", "bogus"},
        {"ecommerce", "kpis", "--from", "2025-02-01", "--to", "2025-01-01"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = th_run_db(out, sizeof out, cases[i], 7, db);
        if (rc != 2)
            fprintf(stderr, "case %zu (%s %s %s): exit %d\n", i, cases[i][0], cases[i][1],
                    cases[i][2], rc);
        CHECK_INT(rc, 2);
    }
    th_fingerprint(&sv, fp2, sizeof fp2);
    CHECK_STR(fp2, fp);
    /* a good range still answers */
    CHECK_INT(
        RUN(out, "enterprise", "kpis", "--from", "2025-01-01", "--to", "2025-02-01", "--db", db),
        0);
    CHECK_INT(RUN(out, "indicator", "values", "--from", "2020", "--to", "2024", "--db", db), 0);
}

/* An unknown sub-command or action is named first, with the ones there are: "--bogusopt needs a
 * value", a bare "unknown sub-command" or "give the id after the action" told nothing useful. */
TEST_T(cli_an_unknown_sub_command_is_named_with_the_valid_ones, 120)
{
    char out[1 << 20] = {0};
    char db[600];
    th_server sv;
    demo_db(db, sizeof db, &sv, "0");
    CHECK_INT(RUN(out, "indicator", "bogus", "--bogusopt", "--db", db), 2);
    CHECK(strstr(out, "needs a value") == NULL);
    CHECK(strstr(out, "pingji: indicator has no sub-command 'bogus'; sub-commands: list get add "
                      "values"));
    CHECK_INT(RUN(out, "indicator", "bogus", "--db", db), 2);
    CHECK(strstr(out, "target-delete (see pingji indicator --help)"));
    CHECK_INT(RUN(out, "carbon", "bogus", "--db", db), 2);
    CHECK(strstr(out, "pingji: carbon has no sub-command 'bogus'; sub-commands: factors "));
    CHECK_INT(RUN(out, "elder", "bogus", "--bogusopt", "--db", db), 2);
    CHECK(strstr(out, "sub-commands: list get add"));
    CHECK_INT(RUN(out, "agri", "labs", "bogus", "--db", db), 2);
    CHECK(strstr(out, "pingji: agri labs has no action 'bogus'; actions: list, get ID, add --json "
                      "J, update ID --json J, delete ID"));
    CHECK_INT(RUN(out, "logistics", "parks", "bogus", "7", "--bogusopt", "--db", db), 2);
    CHECK(strstr(out, "logistics parks has no action 'bogus'"));
    /* a known sub-command still says which option lacks its value */
    CHECK_INT(RUN(out, "indicator", "list", "--q", "--db", db), 2);
    CHECK(strstr(out, "--q needs a value"));
    CHECK_INT(RUN(out, "agri", "labs", "get", "--db", db), 2);
    CHECK(strstr(out, "give the id after the action"));
}

/* PINGJI_DB="" (a variable not set) fell back to data/pingji.db where --db "" is refused: it is
 * refused alike, exit 2, before any file is opened; help and version need no database. */
TEST_T(cli_an_empty_pingji_db_is_refused, 60)
{
    char out[65536] = {0};
    const char *was = getenv("PINGJI_DB");
    char keep[600];
    snprintf(keep, sizeof keep, "%s", was ? was : "");
    setenv("PINGJI_DB", "", 1);
    int list = RUN(out, "facility", "list");
    char said[1024];
    snprintf(said, sizeof said, "%.1000s", out);
    int help = RUN(out, "help");
    int version = RUN(out, "version");
    if (was)
        setenv("PINGJI_DB", keep, 1);
    else
        unsetenv("PINGJI_DB");
    CHECK_INT(list, 2);
    CHECK(strstr(said, "pingji: $PINGJI_DB is empty: give the database file (or unset it for "
                       "data/pingji.db)"));
    CHECK_INT(help, 0);
    CHECK_INT(version, 0);
}

/* What a delete printed had three shapes (plain text, {"deleted": id}, {"id", "deleted": true}):
 * every delete prints {"deleted": ID} on standard output, JSON a script can read. */
static void deleted_json(const char *const *args, long long id)
{
    char out[65536] = {0};
    CHECK_INT(th_run_stdout(out, sizeof out, args), 0);
    json_error_t e;
    json_t *j = json_loads(out, 0, &e);
    if (!j) fprintf(stderr, "%s %s printed: %s\n", args[0], args[1], out);
    CHECK(j != NULL);
    CHECK(json_is_integer(json_object_get(j, "deleted")));
    CHECK(json_integer_value(json_object_get(j, "deleted")) == id);
    json_decref(j);
}

TEST_T(cli_every_delete_prints_one_json_shape, 120)
{
    char out[65536] = {0};
    char db[600];
    th_server sv;
    demo_db(db, sizeof db, &sv, "0");
    CHECK_INT(RUN(out, "user", "add", "del.me", "--role", "viewer", "--db", db), 0);
    long long uid = th_sql_int(&sv, "SELECT id FROM users WHERE username = 'del.me'");
    char u[24];
    snprintf(u, sizeof u, "%lld", uid);
    deleted_json((const char *const[]){"user", "delete", u, "--db", db, NULL}, uid);
    deleted_json((const char *const[]){"stock", "delete", "1", "--db", db, NULL}, 1);
    CHECK(th_sql_int(&sv, "SELECT count(*) FROM stock_lines WHERE id = 1") == 0);
    deleted_json((const char *const[]){"logistics", "trains", "delete", "1", "--db", db, NULL}, 1);
    deleted_json((const char *const[]){"agri", "transfers", "delete", "1", "--db", db, NULL}, 1);
    deleted_json((const char *const[]){"indicator", "delete", "1", "--db", db, NULL}, 1);
    deleted_json((const char *const[]){"ecommerce", "session-delete", "1", "--db", db, NULL}, 1);
    CHECK(th_sql_int(&sv, "SELECT count(*) FROM ec_sessions WHERE id = 1") == 0);
    /* the academy's: a course entered by mistake; one with cohorts is refused, exit 1 */
    th_sql_exec(&sv, "INSERT INTO ac_courses (id, title, category, hours, level, practice_hours,"
                     " created_at, updated_at) VALUES (900, '误录', 'other', 1, 5, 0, 0, 0)");
    deleted_json((const char *const[]){"academy", "course-delete", "900", "--db", db, NULL}, 900);
    CHECK(th_sql_int(&sv, "SELECT count(*) FROM ac_courses WHERE id = 900") == 0);
    CHECK_INT(RUN(out, "academy", "course-delete", "1", "--db", db), 1);
    CHECK(strstr(out, "course 1 is referred to by") && strstr(out, "academy cohorts"));
    CHECK(th_sql_int(&sv, "SELECT count(*) FROM ac_courses WHERE id = 1") == 1);
}

/* init --seed N without --demo was taken and did nothing: refused, exit 2, no database made;
 * vulnerable --help says --csv is the whole list (no --limit, --cursor). */
TEST(cli_init_seed_needs_demo_and_vulnerable_help_says_csv_is_whole)
{
    char out[65536] = {0};
    char db[600];
    snprintf(db, sizeof db, "%s/seeded.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--seed", "7", "--db", db), 2);
    CHECK(strstr(out, "init --seed N seeds the demo district: give it with --demo"));
    CHECK(access(db, F_OK) != 0);
    CHECK_INT(RUN(out, "init", "--seed", "7", "--demo", "--db", db), 0);
    CHECK(access(db, F_OK) == 0);
    /* serve alike: its seed is of --demo-if-new (regression: taken, doing nothing) */
    char fresh[600];
    snprintf(fresh, sizeof fresh, "%s/seeded-serve.db", t_tmpdir());
    CHECK_INT(RUN(out, "serve", "--seed", "7", "--db", fresh, "--port", "0"), 2);
    CHECK(strstr(out, "serve --seed N seeds the demo district: give it with --demo-if-new"));
    CHECK(access(fresh, F_OK) != 0);
    /* the help puts --db before the file, where it is read */
    CHECK_INT(RUN(out, "backup", "--help"), 0);
    CHECK(strstr(out, "backup [--db F] [--] FILE"));
    CHECK_INT(RUN(out, "vulnerable", "--help"), 0);
    CHECK(strstr(out, "--csv writes the whole list of the\narea as CSV, not a page: --limit and "
                      "--cursor do not apply to it."));
}
