/* The console's static files: types, caching, CSP, gzip copies, client-side routes, and no
 * way out of the web directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "t.h"
#include "th.h"

static void put(const char *dir, const char *name, const char *text)
{
    char p[700];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
}

TEST(static_console_files)
{
    char dir[600], assets[640];
    snprintf(dir, sizeof dir, "%s/web", t_tmpdir());
    snprintf(assets, sizeof assets, "%s/assets", dir);
    mkdir(dir, 0755);
    mkdir(assets, 0755);
    put(dir, "index.html", "<!doctype html><title>平急</title>");
    put(assets, "app-1234abcd.js", "console.log('x')");
    put(t_tmpdir(), "secret.txt", "not for the web");
    th_server s;
    th_start_web(&s, dir);
    char hdr[4096];
    CHECK_INT(th_call_raw(&s, "GET", "/", NULL, NULL, -1, NULL, NULL, hdr, sizeof hdr), 200);
    CHECK(strstr(hdr, "Content-Type: text/html"));
    CHECK(strstr(hdr, "Content-Security-Policy: default-src 'self'; script-src 'self'"));
    CHECK(strstr(hdr, "Cache-Control: no-cache"));
    /* a client-side route gets the index page */
    CHECK_INT(th_call_raw(&s, "GET", "/facilities/12", NULL, NULL, -1, NULL, NULL, hdr, sizeof hdr),
              200);
    CHECK(strstr(hdr, "text/html"));
    CHECK_INT(th_call_raw(&s, "GET", "/assets/app-1234abcd.js", NULL, NULL, -1, NULL, NULL, hdr,
                          sizeof hdr),
              200);
    CHECK(strstr(hdr, "text/javascript") && strstr(hdr, "immutable"));
    CHECK(!strstr(hdr, "Content-Encoding"));
    /* with a .gz copy and a client that accepts gzip, the copy goes out */
    put(assets, "app-1234abcd.js.gz", "GZ");
    CHECK_INT(th_call_raw(&s, "GET", "/assets/app-1234abcd.js", NULL, NULL, -1, NULL, NULL, hdr,
                          sizeof hdr),
              200);
    CHECK(!strstr(hdr, "Content-Encoding")); /* th_call_raw does not ask for gzip */
    char cmd[800];
    snprintf(cmd, sizeof cmd,
             "curl -s -D - -o /dev/null -H 'Accept-Encoding: gzip' http://127.0.0.1:%d/assets/"
             "app-1234abcd.js | grep -qi '^Content-Encoding: gzip'",
             s.port);
    CHECK_INT(system(cmd), 0);
    /* gzip refused (q=0), or identity preferred to it: the file as it is */
    static const char *const refuse[] = {"gzip;q=0", "identity, gzip;q=0.5", "*;q=0"};
    for (int i = 0; i < 3; i++) {
        snprintf(cmd, sizeof cmd,
                 "curl -s -D - -H 'Accept-Encoding: %s' http://127.0.0.1:%d/assets/"
                 "app-1234abcd.js | grep -qi '^Content-Encoding\\|^GZ'",
                 refuse[i], s.port);
        CHECK(system(cmd) != 0);
    }
    /* nothing outside the directory, encoded or not */
    CHECK_INT(th_call_raw(&s, "GET", "/../secret.txt", NULL, NULL, -1, NULL, NULL, hdr, sizeof hdr),
              404);
    CHECK_INT(
        th_call_raw(&s, "GET", "/%2e%2e/secret.txt", NULL, NULL, -1, NULL, NULL, hdr, sizeof hdr),
        404);
    CHECK_INT(
        th_call_raw(&s, "GET", "/assets/missing.js", NULL, NULL, -1, NULL, NULL, hdr, sizeof hdr),
        404);
    th_stop(&s);
}

/* A console file is read, never written: another method gets 405 with the Allow line RFC 9110
 * asks of every 405 (GET, HEAD), as an API path does. */
TEST(static_console_405_allow)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/web", t_tmpdir());
    mkdir(dir, 0755);
    put(dir, "index.html", "<!doctype html><title>平急</title>");
    th_server s;
    th_start_web(&s, dir);
    char hdr[4096];
    static const char *const methods[] = {"POST", "PUT", "DELETE", "PATCH"};
    static const char *const paths[] = {"/", "/index.html", "/facilities/12"};
    for (int m = 0; m < 4; m++)
        for (int i = 0; i < 3; i++) {
            hdr[0] = 0;
            CHECK_INT(
                th_call_raw(&s, methods[m], paths[i], NULL, NULL, -1, NULL, NULL, hdr, sizeof hdr),
                405);
            CHECK(strstr(hdr, "\r\nAllow: GET, HEAD\r\n") != NULL);
        }
    /* a GET is answered without one */
    CHECK_INT(th_call_raw(&s, "GET", "/", NULL, NULL, -1, NULL, NULL, hdr, sizeof hdr), 200);
    CHECK(strstr(hdr, "Allow:") == NULL);
    th_stop(&s);
}
