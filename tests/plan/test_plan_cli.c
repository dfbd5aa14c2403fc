/* The planner from the command line: plan --scenario, list, show, compare, adopt. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

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

/* Terminal columns of UTF-8 text: CJK characters two, others one. */
static int cols(const char *s, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        w += len == 3 && c >= 0xE3 ? 2 : 1; /* U+3000 and up (CJK) in these names */
        i += (size_t)len;
    }
    return w;
}

/* What plan --scenario prints says what the officer relies on: the sites the shared teams make
 * ready after the deadline, whom the shortfall leaves out, the supplies; the site table keeps
 * its columns with Chinese names, a name too long cut with "…". */
TEST_T(cli_plan_says_deadline_shortfall_supplies_and_aligns_names, 120)
{
    static char out[1 << 20];
    char db[600], scn[600], sql[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(scn, sizeof scn, "%s/scenario.json", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db, "--demo"), 0);
    /* a long name on a site the plan takes (南山村 is next to the affected villages) */
    snprintf(sql, sizeof sql,
             "UPDATE facilities SET name = '南山村应急安置点一号楼二号楼三号楼四号楼五号楼' WHERE"
             " id = 2");
    sqlite3 *h;
    CHECK_INT(sqlite3_open(db, &h), SQLITE_OK);
    CHECK_INT(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    FILE *f = fopen(scn, "w");
    fputs("{\"name\":\"cli\",\"scenario\":\"disaster\",\"role\":\"resettlement\","
          "\"affected\":{\"township_ids\":[303,1073,523]},\"demand\":{\"share\":0.1},"
          "\"deadline_hours\":24,\"vulnerable\":{\"count\":150,\"needs\":\"medical\"},"
          "\"supplies\":{\"days\":3},\"teams\":{\"cleaning\":12,\"logistics\":16,"
          "\"security\":4,\"medical\":4,\"catering\":6,\"it\":2,\"disinfection\":8},"
          "\"time_limit_s\":0.3}",
          f);
    fclose(f);
    CHECK_INT(RUN(out, "plan", "--db", db, "--scenario", scn), 0);
    CHECK(strstr(out, "DEADLINE MISSED: ") && strstr(out, "sites ready after the 24 h deadline"));
    CHECK(strstr(out, "after the deadline\n") != NULL);
    CHECK(strstr(out, "shortfall 150 (150 of them needing medical care)") != NULL);
    CHECK(strstr(out, "needing medical care: 150 (the number the plan gave)") != NULL);
    CHECK(strstr(out, "supplies for 3 days: demand ") && strstr(out, ", shipped "));
    CHECK(strstr(out, "left out: ") && strstr(out, "(facility 4, medical): needs 10 medical"));
    CHECK(strstr(out, "南山村应急安置点一号楼二号楼三号楼…") != NULL);
    /* every row of the site table as wide as the header up to its last column */
    const char *head = strstr(out, "facility  name");
    CHECK(head != NULL);
    if (!head) return;
    const char *nl = strchr(head, '\n');
    int width = cols(head, (size_t)(nl - head)), rows = 0;
    for (const char *line = nl + 1; *line && *line != '\n'; line = strchr(line, '\n') + 1) {
        const char *end = strchr(line, '\n');
        const char *late = strstr(line, "  after the deadline");
        if (late && late < end) end = late;
        if (cols(line, (size_t)(end - line)) != width)
            t_fail(__FILE__, __LINE__, "row %d is %d columns, the header %d: %.*s", rows,
                   cols(line, (size_t)(end - line)), width, (int)(end - line), line);
        rows++;
    }
    CHECK(rows > 5);
}
