/* Test runner: see t.h. Usage: pingji-tests [SUBSTRING...] — runs tests whose
 * "file:name" contains any SUBSTRING (all when none given). */
#include "t.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define T_MAX 4096

/* A test's timeout guards against a hang, it does not time the test: under AddressSanitizer
 * everything runs a few times slower, more so on a busy machine (a solver test of 36 s there
 * passed its 60 s only while the machine was quiet), so the guard is three times as long. */
#if defined(__SANITIZE_ADDRESS__)
#define T_TIMEOUT_SCALE 3
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define T_TIMEOUT_SCALE 3
#endif
#endif
#ifndef T_TIMEOUT_SCALE
#define T_TIMEOUT_SCALE 1
#endif

struct t_case {
    const char *name, *file;
    t_fn fn;
    int timeout;
};
static struct t_case cases[T_MAX];
static int ncases;
static char tmpdir[512];

void t_register(const char *name, const char *file, t_fn fn, int timeout_s)
{
    if (ncases < T_MAX) cases[ncases++] = (struct t_case){name, file, fn, timeout_s};
}

void t_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    _exit(1); /* no leak report for a test that already failed */
}

/* set by t_doing in the test's process, read by its timeout's handler */
static char doing[600];
static volatile sig_atomic_t doing_len;
static char timeout_head[64]; /* "timed out after N s", written before the alarm is set */

void t_doing(const char *what)
{
    doing_len = 0;
    if (!what) return;
    size_t n = strlen(what);
    if (n >= sizeof doing) n = sizeof doing - 1;
    memcpy(doing, what, n);
    doing_len = (sig_atomic_t)n;
}

static void say(const char *p, size_t n)
{
    if (n && write(2, p, n) < 0) return;
}

/* A test out of time says what it was waiting on, then ends by the alarm as before (the runner
 * reports the signal). Only write(2) here: the test may be anywhere. */
static void on_timeout(int sig)
{
    say(timeout_head, strlen(timeout_head));
    if (doing_len) {
        say(", waiting on: ", 14);
        say(doing, (size_t)doing_len);
    } else {
        say(" (waiting on no request)", 24);
    }
    say("\n", 1);
    signal(sig, SIG_DFL);
    raise(sig);
}

const char *t_tmpdir(void)
{
    return tmpdir;
}

const char *t_benchmarks_dir(void)
{
    const char *e = getenv("PJ_BENCHMARKS");
    return e && *e ? e : "../shared/benchmarks";
}

static void rm_rf(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            char p[1024];
            snprintf(p, sizeof p, "%s/%s", path, e->d_name);
            rm_rf(p);
        }
        closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

struct running {
    pid_t pid;
    int idx;
    char dir[512];
    char log[600];
    struct timespec start;
};

static double since(struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static int selected(int i, int argc, char **argv)
{
    if (argc < 2) return 1;
    char full[512];
    snprintf(full, sizeof full, "%s:%s", cases[i].file, cases[i].name);
    for (int a = 1; a < argc; a++)
        if (strstr(full, argv[a])) return 1;
    return 0;
}

static void start(struct running *r, int idx)
{
    r->idx = idx;
    snprintf(r->dir, sizeof r->dir, "/tmp/pingji-test-XXXXXX");
    if (!mkdtemp(r->dir)) {
        perror("mkdtemp");
        exit(2);
    }
    char dir[sizeof r->dir];
    memcpy(dir, r->dir, sizeof dir);
    snprintf(r->log, sizeof r->log, "%s.log", dir);
    clock_gettime(CLOCK_MONOTONIC, &r->start);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(r->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        setpgid(0, 0);
        snprintf(tmpdir, sizeof tmpdir, "%s", r->dir);
        int timeout_s = cases[idx].timeout * T_TIMEOUT_SCALE;
        snprintf(timeout_head, sizeof timeout_head, "timed out after %d s", timeout_s);
        signal(SIGALRM, on_timeout);
        alarm((unsigned)timeout_s);
        cases[idx].fn();
        fflush(NULL);
        exit(0);
    }
    r->pid = pid;
}

static void dump(const char *log)
{
    FILE *f = fopen(log, "r");
    if (!f) return;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
    fclose(f);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    /* tests build the demo district often: eldercare tests load their own small register */
    setenv("PINGJI_DEMO_ELDERS", "0",
           1); /* whatever the shell exported (the browser tests set it) */
    const char *j = getenv("PJ_TEST_JOBS");
    int jobs = j ? (int)strtol(j, NULL, 10) : 2;
    if (jobs < 1) jobs = 1;
    if (jobs > 16) jobs = 16;
    struct running run[16];
    int nrun = 0, next = 0, passed = 0, failed = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    t_before_all();
    for (;;) {
        while (nrun < jobs && next < ncases) {
            if (!selected(next, argc, argv)) {
                next++;
                continue;
            }
            start(&run[nrun++], next++);
        }
        if (nrun == 0) break;
        int status;
        pid_t pid = wait(&status);
        if (pid < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int k = 0; k < nrun; k++) {
            if (run[k].pid != pid) continue;
            struct running *r = &run[k];
            struct t_case *c = &cases[r->idx];
            kill(-pid, SIGKILL); /* children the test left behind */
            int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
            if (ok) {
                passed++;
                printf("ok   %-48s %6.2fs  %s\n", c->name, since(&r->start), c->file);
                rm_rf(r->dir);
                unlink(r->log);
            } else {
                failed++;
                printf("FAIL %-48s %6.2fs  %s", c->name, since(&r->start), c->file);
                if (WIFSIGNALED(status))
                    printf("  (signal %d%s)", WTERMSIG(status),
                           WTERMSIG(status) == SIGALRM ? ", timeout" : "");
                printf("\n---- output (%s)\n", r->dir);
                dump(r->log);
                printf("----\n");
            }
            fflush(stdout);
            run[k] = run[--nrun];
            break;
        }
    }
    t_after_all();
    printf("time: %.1fs\n", since(&t0));
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : (passed ? 0 : 1);
}
