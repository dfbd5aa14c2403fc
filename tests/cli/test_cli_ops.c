/* What an operator relies on when running the binary: the address it prints, upgrades and the
 * demo build beside a server, restore. */
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

static const char *bin(void)
{
    const char *b = getenv("PJ_BIN");
    return b && *b ? b : "build/rel/pingji";
}

/* `pingji serve ARGS…` in the background, its output into log */
static pid_t spawn(const char *log, const char *const *args)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) _exit(126);
        const char *argv[24];
        int n = 0;
        argv[n++] = bin();
        for (int i = 0; args[i] && n < 23; i++) argv[n++] = args[i];
        argv[n] = NULL;
        execv(bin(), (char *const *)argv);
        _exit(127);
    }
    return pid;
}

/* The text of file path (static buffer), "" when absent */
static const char *slurp(const char *path)
{
    static char buf[65536];
    buf[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f) return buf;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

/* Waits (up to 60 s) until the file at path holds want; 1 when it does. */
static int wait_for(const char *path, const char *want)
{
    for (int i = 0; i < 1200; i++) {
        if (strstr(slurp(path), want)) return 1;
        usleep(50000);
    }
    return 0;
}

static void stop(pid_t pid)
{
    int st;
    kill(pid, SIGTERM);
    for (int i = 0; i < 200; i++) {
        if (waitpid(pid, &st, WNOHANG) == pid) return;
        usleep(50000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
}

/* Regression: `serve --host ::1` printed http://::1:PORT/, which no browser takes: an IPv6
 * address is bracketed in the URL. */
TEST_T(cli_serve_prints_an_ipv6_url_bracketed, 90)
{
    char db[600], log[600];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(log, sizeof log, "%s/serve.log", t_tmpdir());
    pid_t pid = spawn(log, (const char *const[]){"serve", "--db", db, "--host", "::1", "--port",
                                                 "0", "--quiet", "--fast-hash", NULL});
    int up = wait_for(log, "serving http://");
    stop(pid);
    CHECK(up);
    CHECK(strstr(slurp(log), "serving http://[::1]:") != NULL);
    /* an IPv4 address as it is */
    snprintf(log, sizeof log, "%s/serve4.log", t_tmpdir());
    pid = spawn(log, (const char *const[]){"serve", "--db", db, "--host", "127.0.0.1", "--port",
                                           "0", "--quiet", "--fast-hash", NULL});
    up = wait_for(log, "serving http://");
    stop(pid);
    CHECK(up);
    CHECK(strstr(slurp(log), "serving http://127.0.0.1:") != NULL);
}
