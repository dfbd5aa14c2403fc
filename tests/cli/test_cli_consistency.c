/* The command line answers alike across its verbs: a flag given a value, a list's pages, an id
 * filter of 0, a text filter longer than the API's, an empty filter, bad dates and ranges, the
 * messages of an unknown sub-command, an empty $PINGJI_DB, what a delete prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

/* A demo database with n elders (the runner loads none) in the test's directory. */
static void demo_db(char *db, size_t size, th_server *sv, const char *elders)
{
    static char out[65536];
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
    static char buf[65536];
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
    static char out[1 << 20];
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
