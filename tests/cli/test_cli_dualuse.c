/* The dual-use verbs from the command line. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

TEST(cli_dualuse_manual_convert_drill_overview)
{
    static char out[1 << 20];
    char db[600], csv[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(csv, sizeof csv, "%s/m.csv", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db, "--demo"), 0);
    CHECK_INT(RUN(out, "overview", "--db", db, "--scenario", "epidemic"), 0);
    CHECK(strstr(out, "\"live_conversions\"") && strstr(out, "万达锦华酒店"));
    CHECK_INT(RUN(out, "overview", "--db", db, "--scenario", "flood"), 2);
    /* export manual 1 as CSV and import it again as version 2 */
    CHECK_INT(RUN(out, "manual", "export", "1", "--csv", "--db", db), 0);
    CHECK(strncmp(out, "phase,code,name,planned_minutes", 31) == 0);
    FILE *f = fopen(csv, "w");
    fputs(out, f);
    fclose(f);
    CHECK_INT(RUN(out, "manual", "import", "--facility-id", "1", "--scenario", "epidemic", "--role",
                  "isolation", "--title", "再版", "--csv", csv, "--db", db),
              0);
    CHECK(strstr(out, "\"version\": 2"));
    CHECK_INT(RUN(out, "manual", "import", "--facility-id", "1", "--db", db), 2);
    /* a drill on facility 1's epidemic manual while its live conversion runs */
    CHECK_INT(
        RUN(out, "drill", "start", "--facility-id", "1", "--scenario", "epidemic", "--db", db), 0);
    CHECK(strstr(out, "\"state\": \"running\""));
    char *p = strstr(out, "\"steps\": [");
    CHECK(p != NULL);
    p = strstr(p, "\"id\": ");
    long long step = strtoll(p + 6, NULL, 10);
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", step);
    CHECK_INT(RUN(out, "drill", "step-start", sid, "--db", db), 0);
    CHECK_INT(RUN(out, "drill", "step-finish", sid, "--remarks", "按时完成", "--db", db), 0);
    CHECK(strstr(out, "\"status\": \"done\""));
    CHECK_INT(RUN(out, "drill", "step-finish", sid, "--db", db), 1);
    CHECK(strstr(out, "not running"));
    /* a live conversion cannot start twice */
    CHECK_INT(
        RUN(out, "convert", "start", "--facility-id", "1", "--scenario", "epidemic", "--db", db),
        1);
    CHECK(strstr(out, "only in peacetime"));
    CHECK_INT(RUN(out, "drill", "list", "--db", db, "--limit", "1"), 0);
    CHECK_INT(RUN(out, "stock", "list", "--db", db, "--category", "grain", "--limit", "2"), 0);
    CHECK(strstr(out, "\"category\": \"grain\""));
    CHECK_INT(RUN(out, "drill", "nonsense", "--db", db), 2);
}
