/* Regression tests of the command line: bad input refused before anything is written, clear
 * messages naming the argument, databases opened only where they exist. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

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
    static char out[65536];
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
    static char out[65536];
    path_in_tmp(db, size, "pj.db");
    CHECK_INT(RUN(out, "init", "--db", db, "--demo"), 0);
}

static long long sql_int(const char *db, const char *sql)
{
    th_server sv;
    memset(&sv, 0, sizeof sv);
    snprintf(sv.db, sizeof sv.db, "%s", db);
    return th_sql_int(&sv, sql);
}

TEST_T(cli_commands_check_everything_before_writing, 120)
{
    static char out[1 << 20];
    char db[600], scn[600], fresh[600];
    demo_db(db, sizeof db);
    path_in_tmp(scn, sizeof scn, "scenario.json");
    path_in_tmp(fresh, sizeof fresh, "fresh.db");
    const char *json =
        "{\"name\":\"cli\",\"scenario\":\"disaster\",\"role\":\"resettlement\","
        "\"affected\":{\"center\":{\"lat\":40.2,\"lon\":117.3},\"radius_km\":6},"
        "\"demand\":{\"people\":400},\"teams\":{\"cleaning\":12,\"logistics\":16,"
        "\"security\":4,\"medical\":4,\"catering\":6,\"it\":2},\"time_limit_s\":0.3}";
    write_file(scn, json, strlen(json));
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
}
