/* Academy writes from several pingji processes at once against one database file. Each process
 * has its own database connection, so what holds here is held by the write transactions
 * themselves, not by a single-threaded server taking requests one after the other: a cohort
 * never takes more students than it has places, and of several updates carrying the same
 * version exactly one is written (the others: version_conflict, no audit row). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

enum { MAXK = 12, MAXARG = 16 };

static const char *bin(void)
{
    return getenv("PJ_BIN") && *getenv("PJ_BIN") ? getenv("PJ_BIN") : "build/rel/pingji";
}

static char out[1 << 16];

/* One pingji process, waited for; its output in out, its exit code returned. */
static int run1(const char *const *args)
{
    return th_run(out, sizeof out, args);
}
#define RUN1(...) run1((const char *const[]){__VA_ARGS__, NULL})

static long long first_int(const char *key)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\": ", key);
    const char *p = strstr(out, k);
    return p ? strtoll(p + strlen(k), NULL, 10) : -1;
}

/* n pingji processes, process k with args[k]; all are started, then released together.
 * rc[k] is each exit code; *ok counts exit 0, *refused counts exit 1 whose output has `code`. */
static void race(int n, const char *args[][MAXARG + 1], const char *code, int *ok, int *refused)
{
    int gate[2];
    pid_t kids[MAXK];
    if (n > MAXK || pipe(gate)) t_fail(__FILE__, __LINE__, "race setup");
    fflush(NULL);
    for (int k = 0; k < n; k++) {
        if ((kids[k] = fork()) == 0) {
            char path[600];
            snprintf(path, sizeof path, "%s/race%d.txt", t_tmpdir(), k);
            int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(fd, 1);
            dup2(fd, 2);
            close(gate[1]);
            char c;
            if (read(gate[0], &c, 1) < 0) _exit(126); /* returns 0 once the parent lets go */
            close(gate[0]);
            const char *argv[MAXARG + 2];
            int m = 0;
            argv[m++] = bin();
            for (int i = 0; args[k][i] && m <= MAXARG; i++) argv[m++] = args[k][i];
            argv[m] = NULL;
            execv(bin(), (char *const *)argv);
            _exit(127);
        }
    }
    close(gate[0]);
    close(gate[1]); /* all at once */
    *ok = *refused = 0;
    for (int k = 0; k < n; k++) {
        int st;
        waitpid(kids[k], &st, 0);
        int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
        char path[600], text[4096];
        snprintf(path, sizeof path, "%s/race%d.txt", t_tmpdir(), k);
        FILE *f = fopen(path, "r");
        size_t len = f ? fread(text, 1, sizeof text - 1, f) : 0;
        text[len] = 0;
        if (f) fclose(f);
        if (rc == 0)
            (*ok)++;
        else if (rc == 1 && strstr(text, code))
            (*refused)++;
        else
            t_fail(__FILE__, __LINE__, "process %d: exit %d, expected 0 or 1 with %s: %s", k, rc,
                   code, text);
    }
}

/* A fresh demo database with an open cohort of `capacity` places and a post with 50 openings. */
static void setup(th_server *s, int capacity, long long *cohort, long long *post)
{
    char j[512];
    memset(s, 0, sizeof *s);
    snprintf(s->db, sizeof s->db, "%s/pj.db", t_tmpdir());
    th_demo_db(s->db);
    CHECK_INT(RUN1("ecommerce", "bases", "--tier", "hq", "--db", s->db), 0);
    long long hq = first_int("id");
    CHECK(hq > 0);
    CHECK_INT(RUN1("academy", "course-add", "--db", s->db, "--json",
                   "{\"title\":\"并发课\",\"category\":\"compliance\",\"hours\":8,\"level\":5,"
                   "\"practice_hours\":0}"),
              0);
    long long course = first_int("id");
    snprintf(j, sizeof j,
             "{\"course_id\":%lld,\"base_id\":%lld,\"name\":\"并发班\",\"starts_on\":"
             "\"2024-09-01\",\"ends_on\":\"2099-09-30\",\"capacity\":%d}",
             course, hq, capacity);
    CHECK_INT(RUN1("academy", "cohort-add", "--db", s->db, "--json", j), 0);
    *cohort = first_int("id");
    char id[24];
    snprintf(id, sizeof id, "%lld", *cohort);
    CHECK_INT(
        RUN1("academy", "cohort-state", id, "--state", "open", "--version", "1", "--db", s->db), 0);
    CHECK_INT(RUN1("ecommerce", "zone-add", "--db", s->db, "--json",
                   "{\"name\":\"并发企业\",\"kind\":\"mcn\",\"settled_on\":\"2024-01-02\"}"),
              0);
    snprintf(j, sizeof j, "{\"zone_enterprise_id\":%lld,\"title\":\"主播\",\"openings\":50}",
             first_int("id"));
    CHECK_INT(RUN1("academy", "post-add", "--db", s->db, "--json", j), 0);
    *post = first_int("id");
}

TEST_T(academy_capacity_holds_across_concurrent_processes, 120)
{
    th_server s;
    long long cohort, post;
    enum { CAP = 3, N = 10 };
    setup(&s, CAP, &cohort, &post);
    static char json[N][160], name[N][128];
    const char *args[N][MAXARG + 1];
    for (int k = 0; k < N; k++) {
        snprintf(name[k], sizeof name[k],
                 "{\"name\":\"并发学员%02d\",\"birth_date\":\"1996-03-03\",\"skill_level\":5}", k);
        CHECK_INT(RUN1("ecommerce", "streamer-add", "--db", s.db, "--json", name[k]), 0);
        snprintf(json[k], sizeof json[k],
                 "{\"cohort_id\":%lld,\"streamer_id\":%lld,\"post_id\":%lld}", cohort,
                 first_int("id"), post);
        const char *a[] = {"academy", "enrol", "--db", s.db, "--json", json[k], NULL};
        memcpy(args[k], a, sizeof a);
    }
    char q[160];
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM audit WHERE entity = 'ac_enrolment'");
    long long audit0 = th_sql_int(&s, q);
    int ok, full;
    race(N, args, "cohort_full", &ok, &full);
    CHECK_INT(ok, CAP);
    CHECK_INT(full, N - CAP);
    snprintf(q, sizeof q, "SELECT enrolled FROM ac_cohorts WHERE id = %lld", cohort);
    CHECK_INT(th_sql_int(&s, q), CAP);
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM ac_enrolments WHERE cohort_id = %lld", cohort);
    CHECK_INT(th_sql_int(&s, q), CAP);
    snprintf(q, sizeof q, "SELECT filled FROM ac_posts WHERE id = %lld", post);
    CHECK_INT(th_sql_int(&s, q), CAP);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM audit WHERE entity = 'ac_enrolment'"),
              audit0 + CAP);
}

TEST_T(academy_same_version_updates_exactly_one_wins, 120)
{
    th_server s;
    long long cohort, post;
    enum { N = 8 };
    setup(&s, 20, &cohort, &post);
    char id[24], q[200];
    snprintf(id, sizeof id, "%lld", cohort);
    CHECK_INT(RUN1("academy", "cohort-get", id, "--db", s.db), 0);
    long long v = first_int("version");
    CHECK(v >= 1);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM audit WHERE entity = 'ac_cohort' AND entity_id = %lld", cohort);
    long long audit0 = th_sql_int(&s, q);
    /* N renames, all from the same version */
    static char json[N][96];
    const char *args[N][MAXARG + 1];
    for (int k = 0; k < N; k++) {
        snprintf(json[k], sizeof json[k], "{\"version\":%lld,\"name\":\"并发班%d\"}", v, k);
        const char *a[] = {"academy", "cohort-update", id, "--db", s.db, "--json", json[k], NULL};
        memcpy(args[k], a, sizeof a);
    }
    int ok, conflict;
    race(N, args, "version_conflict", &ok, &conflict);
    CHECK_INT(ok, 1);
    CHECK_INT(conflict, N - 1);
    CHECK_INT(th_sql_int(&s, q), audit0 + 1);
    char q2[160];
    snprintf(q2, sizeof q2, "SELECT version FROM ac_cohorts WHERE id = %lld", cohort);
    CHECK_INT(th_sql_int(&s, q2), v + 1);
    /* and once more in turn: the stale version is refused and writes nothing */
    CHECK_INT(RUN1("academy", "cohort-update", id, "--db", s.db, "--json", json[0]), 1);
    CHECK(strstr(out, "version_conflict") != NULL);
    CHECK_INT(th_sql_int(&s, q), audit0 + 1);
}
