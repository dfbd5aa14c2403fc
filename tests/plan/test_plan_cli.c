/* The planner from the command line: plan --scenario, list, show, compare, adopt. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"

static int run(char *out, size_t size, const char *const *args)
{
    const char *bin = getenv("PJ_BIN") && *getenv("PJ_BIN") ? getenv("PJ_BIN") : "build/rel/pingji";
    char path[600];
    snprintf(path, sizeof path, "%s/out.txt", t_tmpdir());
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        dup2(fd, 2);
        const char *argv[32];
        int n = 0;
        argv[n++] = bin;
        for (int i = 0; args[i] && n < 31; i++) argv[n++] = args[i];
        argv[n] = NULL;
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(out, 1, size - 1, f) : 0;
    out[n] = 0;
    if (f) fclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}
#define RUN(out, ...) run(out, sizeof out, (const char *const[]){__VA_ARGS__, NULL})

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
