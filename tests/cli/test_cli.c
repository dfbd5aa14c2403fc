/* The `pingji` binary as a user runs it: verbs, help, exit codes, backup/restore. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

TEST(cli_help_version_and_usage_codes)
{
    char out[8192];
    CHECK_INT(RUN(out, "version"), 0);
    CHECK(strstr(out, "pingji 0."));
    CHECK_INT(RUN(out, "help"), 0);
    static const char *const verbs[] = {"serve", "init",   "user",    "region",  "facility",
                                        "audit", "backup", "restore", "version", NULL};
    for (int i = 0; verbs[i]; i++) {
        CHECK(strstr(out, verbs[i]));
        char o2[2048];
        CHECK_INT(RUN(o2, verbs[i], "--help"), 0);
        CHECK(strstr(o2, "usage: pingji"));
    }
    CHECK_INT(RUN(out, "frobnicate"), 2);
    CHECK(strstr(out, "unknown verb"));
    CHECK_INT(th_run(out, sizeof out, (const char *const[]){NULL}), 2);
}

TEST(cli_init_user_region_facility_backup_restore)
{
    char db[600], bak[600], out[65536];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(bak, sizeof bak, "%s/bak.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db, "--demo"), 0);
    CHECK(strstr(out, "admin login"));
    CHECK(strstr(out, "18 townships"));
    CHECK_INT(RUN(out, "facility", "list", "--db", db, "--q", "万达锦华", "--limit", "5"), 0);
    CHECK(strstr(out, "\"万达锦华酒店\""));
    CHECK_INT(RUN(out, "region", "list", "--db", db, "--type", "township", "--limit", "500"), 0);
    CHECK(strstr(out, "熊儿寨乡") && strstr(out, "滨河街道"));
    /* a bad limit is a usage error, an unknown id a failure */
    CHECK_INT(RUN(out, "facility", "list", "--db", db, "--limit", "0"), 2);
    CHECK_INT(RUN(out, "facility", "get", "999999", "--db", db), 1);
    CHECK(strstr(out, "no facility"));
    /* users */
    CHECK_INT(
        RUN(out, "user", "add", "li.ming", "--role", "viewer", "--password", "short", "--db", db),
        1);
    CHECK(strstr(out, "at least 10"));
    CHECK_INT(RUN(out, "user", "add", "li.ming", "--role", "viewer", "--db", db), 0);
    CHECK(strstr(out, "password:"));
    /* edit through the command line: audited as cli */
    CHECK_INT(
        RUN(out, "facility", "update", "1", "--json", "{\"peacetime_capacity\":321}", "--db", db),
        0);
    CHECK(strstr(out, "\"peacetime_capacity\": 321"));
    CHECK_INT(
        RUN(out, "facility", "update", "1", "--json", "{\"peacetime_capacity\":-1}", "--db", db),
        1);
    CHECK(strstr(out, "peacetime_capacity"));
    CHECK_INT(RUN(out, "audit", "--entity", "facility", "--db", db), 0);
    CHECK(strstr(out, "\"username\": \"cli\""));
    /* backup, damage, restore */
    CHECK_INT(RUN(out, "backup", bak, "--db", db), 0);
    CHECK_INT(RUN(out, "facility", "delete", "300", "--db", db), 0);
    CHECK_INT(RUN(out, "facility", "get", "300", "--db", db), 1);
    CHECK_INT(RUN(out, "restore", bak, "--db", db), 0);
    CHECK_INT(RUN(out, "facility", "get", "300", "--db", db), 0);
    CHECK_INT(RUN(out, "backup", "--db", db), 2);
}
