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
