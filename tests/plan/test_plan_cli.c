/* The planner from the command line: plan --scenario, list, show, compare, adopt. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

TEST_T(cli_plan_make_list_show_compare_adopt, 120)
{
    static char out[1 << 20];
    char db[600], scn[600], res[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(scn, sizeof scn, "%s/scenario.json", t_tmpdir());
    snprintf(res, sizeof res, "%s/result.json", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db, "--demo"), 0);
    FILE *f = fopen(scn, "w");
    fputs("{\"name\":\"cli\",\"scenario\":\"disaster\",\"role\":\"resettlement\","
          "\"affected\":{\"center\":{\"lat\":40.2,\"lon\":117.3},\"radius_km\":6},"
          "\"demand\":{\"people\":400},\"teams\":{\"cleaning\":12,\"logistics\":16,"
          "\"security\":4,\"medical\":4,\"catering\":6,\"it\":2},\"time_limit_s\":0.3}",
          f);
    fclose(f);
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn, "--out", res, "--progress"), 0);
    CHECK(strstr(out, "plan 1") && strstr(out, "served 400") && strstr(out, "ready h"));
    CHECK(strstr(out, "plan: schedule"));
    f = fopen(res, "r");
    CHECK(f != NULL);
    fclose(f);
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn), 0);
    CHECK_INT(RUN(out, "plan", "list", "--db", db), 0);
    CHECK(strstr(out, "\"items\""));
    CHECK_INT(RUN(out, "plan", "show", "2", "--db", db), 0);
    CHECK(strstr(out, "plan 2"));
    CHECK_INT(RUN(out, "plan", "compare", "1", "2", "--db", db), 0);
    CHECK(strstr(out, "\"difference\""));
    CHECK_INT(RUN(out, "plan", "adopt", "1", "--db", db), 0);
    CHECK(strstr(out, "adopted"));
    CHECK_INT(RUN(out, "plan", "adopt", "2", "--db", db), 1); /* the same sites: busy */
    CHECK(strstr(out, "facility_busy") || strstr(out, "cannot be adopted"));
    CHECK_INT(RUN(out, "plan", "show", "--db", db), 2);
    CHECK_INT(RUN(out, "plan", "frobnicate", "--db", db), 2);
    f = fopen(scn, "w");
    fputs("{\"name\":\"bad\"}", f);
    fclose(f);
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn), 1);
}
