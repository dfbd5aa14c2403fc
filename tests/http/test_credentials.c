/* How a request names its session: one Authorization header, or the pj_session cookie (in
 * any Cookie header) of one value; two Authorization headers, or pj_session cookies of
 * different values, are refused (400 bad_header) and change nothing. The session cookie's
 * Secure flag: with serve --secure-cookies always, else when the proxy says HTTPS. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

/* One request (head and body as text) on a connection of its own; the answer into out.
 * Returns the status, -1 when none came. */
static int raw_req(int port, const char *req, char *out, size_t size)
{
    int fd = th_dial(port, NULL, 10000);
    size_t len = strlen(req);
    if (send(fd, req, len, MSG_NOSIGNAL) != (ssize_t)len) t_fail(__FILE__, __LINE__, "send");
    th_read_all(fd, out, size);
    close(fd);
    int st = -1;
    return sscanf(out, "HTTP/1.%*d %d", &st) == 1 ? st : -1;
}

/* The answer's JSON body (after the head), parsed; NULL when none. */
static json_t *body_of(const char *resp)
{
    const char *b = strstr(resp, "\r\n\r\n");
    return b ? json_loads(b + 4, 0, NULL) : NULL;
}

/* GET /api/v1/auth/me with more header lines; its status, the error's code and field (or "")
 * into code/field. */
static int me(th_server *s, const char *lines, char code[32], char field[32])
{
    char req[2048], buf[16384];
    snprintf(req, sizeof req,
             "GET /api/v1/auth/me HTTP/1.1\r\nHost: t\r\nConnection: close\r\n%s\r\n", lines);
    int st = raw_req(s->port, req, buf, sizeof buf);
    json_t *o = body_of(buf);
    snprintf(code, 32, "%s", o && th_err_code(o) ? th_err_code(o) : "");
    snprintf(field, 32, "%s", o && th_err_field(o) ? th_err_field(o) : "");
    if (st >= 400) { /* the usual error shape */
        json_t *e = json_object_get(o, "error");
        CHECK(json_is_string(json_object_get(e, "message")));
        CHECK(json_object_get(e, "field") != NULL);
    }
    json_decref(o);
    return st;
}

TEST(http_credentials_named_twice_refused)
{
    th_server s;
    th_start(&s, 0);
    char tok[80], other[80], lines[1024], code[32], field[32];
    th_login(&s, "admin", s.admin_pw, tok);
    th_login(&s, "admin", s.admin_pw, other);
    /* one of each: as before */
    snprintf(lines, sizeof lines, "Authorization: Bearer %s\r\n", tok);
    CHECK_INT(me(&s, lines, code, field), 200);
    snprintf(lines, sizeof lines, "Cookie: pj_session=%s\r\n", tok);
    CHECK_INT(me(&s, lines, code, field), 200);
    /* two Authorization headers: whichever the server took, the other was meant too */
    for (int i = 0; i < 3; i++) {
        if (i == 0)
            snprintf(lines, sizeof lines,
                     "Authorization: Bearer %s\r\nAuthorization: Bearer %s\r\n", tok, other);
        else if (i == 1) /* the same twice, the name's case aside */
            snprintf(lines, sizeof lines,
                     "Authorization: Bearer %s\r\nauthorization: Bearer %s\r\n", tok, tok);
        else /* only one of them a bearer token */
            snprintf(lines, sizeof lines,
                     "Authorization: Basic eDp5\r\nAuthorization: Bearer %s\r\n", tok);
        CHECK_INT(me(&s, lines, code, field), 400);
        CHECK_STR(code, "bad_header");
        CHECK_STR(field, "Authorization");
    }
    /* a body's type named twice: neither is guessed */
    snprintf(lines, sizeof lines,
             "Authorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Type: "
             "text/csv\r\n",
             tok);
    CHECK_INT(me(&s, lines, code, field), 400);
    CHECK_STR(code, "bad_header");
    CHECK_STR(field, "Content-Type");
    /* pj_session cookies of different values: in one header, in two */
    snprintf(lines, sizeof lines, "Cookie: pj_session=%s; pj_session=%s\r\n", tok, other);
    CHECK_INT(me(&s, lines, code, field), 400);
    CHECK_STR(code, "bad_header");
    CHECK_STR(field, "Cookie");
    snprintf(lines, sizeof lines, "Cookie: a=1; pj_session=%s\r\nCookie: pj_session=x%s\r\n", tok,
             other);
    CHECK_INT(me(&s, lines, code, field), 400);
    CHECK_STR(code, "bad_header");
    /* unambiguous: the same value twice; another cookie's name ending so; the cookie only in
     * a second Cookie header (split by a proxy); a Bearer header, which the cookie never
     * overrides */
    snprintf(lines, sizeof lines, "Cookie: pj_session=%s\r\nCookie: b=2; pj_session=%s\r\n", tok,
             tok);
    CHECK_INT(me(&s, lines, code, field), 200);
    snprintf(lines, sizeof lines, "Cookie: xpj_session=%s; pj_session=%s\r\n", other, tok);
    CHECK_INT(me(&s, lines, code, field), 200);
    snprintf(lines, sizeof lines, "Cookie: a=1\r\nCookie: pj_session=%s\r\n", tok);
    CHECK_INT(me(&s, lines, code, field), 200);
    snprintf(lines, sizeof lines,
             "Authorization: Bearer %s\r\nCookie: pj_session=%s; pj_session=x\r\n", tok, other);
    CHECK_INT(me(&s, lines, code, field), 200);

    /* a write named twice writes nothing: body sent with the head, and a body still to come
     * (refused from the head alone, the connection closed) */
    static const char body[] = "{\"username\":\"twice1\",\"password\":\"twice-password-1\","
                               "\"role\":\"viewer\"}";
    char before[TH_FINGERPRINT_SIZE], after[TH_FINGERPRINT_SIZE], req[2048], buf[8192];
    th_fingerprint(&s, before, sizeof before);
    snprintf(req, sizeof req,
             "POST /api/v1/users HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
             "Authorization: Bearer %s\r\nAuthorization: Bearer %s\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
             tok, tok, strlen(body), body);
    CHECK_INT(raw_req(s.port, req, buf, sizeof buf), 400);
    CHECK(strstr(buf, "\"bad_header\"") != NULL);
    snprintf(req, sizeof req,
             "POST /api/v1/users HTTP/1.1\r\nHost: t\r\n"
             "Cookie: pj_session=%s\r\nCookie: pj_session=%s\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
             tok, other, strlen(body));
    CHECK_INT(raw_req(s.port, req, buf, sizeof buf), 400);
    CHECK(strstr(buf, "\"bad_header\"") != NULL);
    CHECK(strstr(buf, "Connection: close\r\n") != NULL);
    th_fingerprint(&s, after, sizeof after);
    CHECK_STR(after, before);
    th_stop(&s);
}

/* The Set-Cookie line of a log-in (as admin, extra header lines added) or a log-out (tok). */
static void set_cookie(int port, const char *pw, const char *tok, const char *extra, char *out,
                       size_t size)
{
    char body[256], req[2048], buf[16384];
    if (!tok) {
        snprintf(body, sizeof body, "{\"username\":\"admin\",\"password\":\"%s\"}", pw);
        snprintf(req, sizeof req,
                 "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nConnection: close\r\n%s"
                 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                 extra, strlen(body), body);
        CHECK_INT(raw_req(port, req, buf, sizeof buf), 200);
    } else {
        snprintf(req, sizeof req,
                 "POST /api/v1/auth/logout HTTP/1.1\r\nHost: t\r\nConnection: close\r\n%s"
                 "Authorization: Bearer %s\r\nContent-Length: 0\r\n\r\n",
                 extra, tok);
        CHECK_INT(raw_req(port, req, buf, sizeof buf), 204);
    }
    const char *c = strstr(buf, "Set-Cookie: ");
    CHECK(c != NULL);
    snprintf(out, size, "%.*s", (int)strcspn(c, "\r"), c);
}

/* By default: Secure only when the proxy says the request came over HTTPS (the quick start
 * is plain HTTP, where a browser would not send a Secure cookie back). */
TEST(http_session_cookie_secure_only_by_proxy)
{
    char line[512], tok[80];
    th_server s;
    th_start(&s, 0);
    set_cookie(s.port, s.admin_pw, NULL, "", line, sizeof line);
    CHECK(strstr(line, "pj_session=") && strstr(line, "HttpOnly") && !strstr(line, "Secure"));
    set_cookie(s.port, s.admin_pw, NULL, "X-Forwarded-Proto: https\r\n", line, sizeof line);
    CHECK(strstr(line, "; Secure") != NULL);
    th_login(&s, "admin", s.admin_pw, tok);
    set_cookie(s.port, NULL, tok, "", line, sizeof line);
    CHECK(strstr(line, "Max-Age=0") && !strstr(line, "Secure"));
    th_stop(&s);
}

/* secure_cookies: always, the log-out's clearing cookie too. */
TEST(http_session_cookie_secure_always)
{
    char line[512], tok[80];
    th_server s;
    th_opts o = {.secure_cookies = 1};
    th_start_opts(&s, &o);
    set_cookie(s.port, s.admin_pw, NULL, "", line, sizeof line);
    CHECK(strstr(line, "; Secure") != NULL);
    CHECK(strstr(line, "HttpOnly; SameSite=Strict") != NULL);
    th_login(&s, "admin", s.admin_pw, tok);
    set_cookie(s.port, NULL, tok, "", line, sizeof line);
    CHECK(strstr(line, "Max-Age=0") && strstr(line, "; Secure"));
    th_stop(&s);
}

static const char *bin(void)
{
    const char *b = getenv("PJ_BIN");
    return b && *b ? b : "build/rel/pingji";
}

/* pingji serve --secure-cookies: the option reaches the server, and --help names it. */
TEST_T(http_serve_secure_cookies_option, 90)
{
    static char out[16384];
    CHECK_INT(RUN(out, "serve", "--help"), 0);
    CHECK(strstr(out, "--secure-cookies") != NULL);
    char db[700], pw[64] = "", cmd[1600], lines[256];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    snprintf(cmd, sizeof cmd, "%s init --db %s 2>&1", bin(), db);
    FILE *p = popen(cmd, "r");
    while (fgets(lines, sizeof lines, p)) {
        char *k = strstr(lines, "user: admin  password: ");
        if (k) sscanf(k + strlen("user: admin  password: "), "%63s", pw);
    }
    CHECK_INT(pclose(p), 0);
    CHECK(pw[0]);
    /* a port of its own: bound, noted, let go just before the server takes it */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    CHECK(bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
    CHECK(getsockname(fd, (struct sockaddr *)&a, &al) == 0);
    close(fd);
    int port = ntohs(a.sin_port);
    char ps[16], log[800];
    snprintf(ps, sizeof ps, "%d", port);
    snprintf(log, sizeof log, "%s/server.log", t_tmpdir());
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int lf = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        dup2(lf, 1);
        dup2(lf, 2);
        execl(bin(), bin(), "serve", "--db", db, "--port", ps, "--quiet", "--secure-cookies",
              (char *)NULL);
        _exit(127);
    }
    char line[512], buf[4096];
    int up = 0;
    for (int i = 0; i < 200 && !up; i++) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in b = {.sin_family = AF_INET,
                                .sin_port = htons((uint16_t)port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        up = connect(c, (struct sockaddr *)&b, sizeof b) == 0;
        close(c);
        if (!up) usleep(50000);
    }
    CHECK(up);
    CHECK_INT(raw_req(port, "GET /api/v1/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                      buf, sizeof buf),
              200);
    set_cookie(port, pw, NULL, "", line, sizeof line);
    CHECK(strstr(line, "; Secure") != NULL);
    kill(pid, SIGTERM);
    int st;
    CHECK(waitpid(pid, &st, 0) == pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
