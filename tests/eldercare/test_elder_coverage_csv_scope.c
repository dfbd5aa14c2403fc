/* The coverage CSV says what each row and the total cover. A grid worker's report counts their
 * own grids only: by township or village each row is those of their grids in it, named so
 * ("滨河街道 (own grids)", as the console names it 滨河街道（本人网格）), not as if it were the
 * whole township. The total row is labelled in the headers' language by what it covers, as the
 * appeal KPIs' CSV labels its total: `district`, the township or region asked, `own grids`
 * (it read "合计 total" for everyone); the JSON's total has the same name. */
#include <sys/socket.h>
#include <unistd.h>

#include "eldercare/el_fixture.h"

/* GET path as tok over a socket: the body (a CSV) into out; the status. */
static int get_csv(th_server *s, const char *tok, const char *path, char *out, size_t size)
{
    char req[600], *buf = malloc(1 << 20);
    CHECK(buf != NULL);
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                     "Connection: close\r\n\r\n",
                     path, tok);
    int fd = th_dial(s->port, NULL, 20000);
    CHECK_INT(send(fd, req, (size_t)n, MSG_NOSIGNAL), n);
    th_read_all(fd, buf, 1 << 20);
    close(fd);
    int st = -1;
    if (sscanf(buf, "HTTP/1.1 %d", &st) != 1) st = -1;
    const char *b = strstr(buf, "\r\n\r\n");
    snprintf(out, size, "%s", b ? b + 4 : "");
    free(buf);
    return st;
}

/* The name cell (the second) of each line after the header into names[], the last line's
 * (the total) into total; how many rows before the total. */
static int names_of(char *csv, char names[][160], int max, char total[160])
{
    int n = -1; /* the header first */
    char *save = NULL;
    for (char *line = strtok_r(csv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *c = strchr(line, ',');
        if (n >= 0 && c) {
            char *e = strchr(c + 1, ',');
            size_t len = e ? (size_t)(e - c - 1) : 0;
            if (len > 159) len = 159;
            if (n < max) {
                memcpy(names[n], c + 1, len);
                names[n][len] = 0;
            }
        }
        n++;
    }
    if (n <= 0) return 0;
    snprintf(total, 160, "%s", names[n - 1 < max ? n - 1 : max - 1]);
    return n - 1;
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !strcmp(s + a - b, tail);
}

/* the JSON total's name as tok reads it at path (without format=csv) */
static void json_total(th_server *s, const char *tok, const char *path, char out[160])
{
    json_t *o = EL(s, tok, "GET", path, NULL, 200);
    snprintf(out, 160, "%s", th_str(json_object_get(o, "total"), "name"));
    json_decref(o);
}

TEST_T(elder_coverage_csv_says_what_rows_and_total_cover, 180)
{
    th_server s;
    th_start(&s, 1);
    el_demo(&s, 3000);
    char g[80], off[80], town[80], path[300], total[160], jt[160];
    char *csv = malloc(1 << 20);
    char names[2000][160] = {0};
    th_login(&s, "grid01", s.demo_pw, g);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jinhaihu", s.demo_pw, town);

    /* grid01 by township: their grids' township, named as their grids of it */
    CHECK_INT(get_csv(&s, g, "/api/v1/eldercare/coverage?format=csv", csv, 1 << 20), 200);
    CHECK(strstr(csv, "合计") == NULL);
    int n = names_of(csv, names, 2000, total);
    CHECK(n >= 1);
    for (int k = 0; k < n; k++)
        if (!ends_with(names[k], " (own grids)"))
            t_fail(__FILE__, __LINE__, "grid01's row %d is named %s", k, names[k]);
    CHECK_STR(total, "own grids");
    json_total(&s, g, "/api/v1/eldercare/coverage", jt);
    CHECK_STR(jt, "own grids");
    /* by village alike; by grid each row is a whole grid of theirs */
    CHECK_INT(get_csv(&s, g, "/api/v1/eldercare/coverage?group=village&format=csv", csv, 1 << 20),
              200);
    n = names_of(csv, names, 2000, total);
    CHECK(n >= 1);
    for (int k = 0; k < n; k++) CHECK(ends_with(names[k], " (own grids)"));
    CHECK_STR(total, "own grids");
    CHECK_INT(get_csv(&s, g, "/api/v1/eldercare/coverage?group=grid&format=csv", csv, 1 << 20),
              200);
    n = names_of(csv, names, 2000, total);
    CHECK_INT(n, (int)th_sql_int(&s, "SELECT COUNT(*) FROM grid_workers gw JOIN users u ON u.id ="
                                     " gw.user_id WHERE u.username = 'grid01'"));
    for (int k = 0; k < n; k++) CHECK(strstr(names[k], "own grids") == NULL);
    CHECK_STR(total, "own grids");
    /* one grid of theirs asked: that grid, wholly */
    long long grid = el_grid01_grid(&s);
    snprintf(path, sizeof path, "/api/v1/eldercare/coverage?group=grid&region_id=%lld&format=csv",
             grid);
    CHECK_INT(get_csv(&s, g, path, csv, 1 << 20), 200);
    n = names_of(csv, names, 2000, total);
    CHECK_INT(n, 1);
    CHECK_STR(total, names[0]);

    /* the district's officer: the district, rows as they are */
    CHECK_INT(get_csv(&s, off, "/api/v1/eldercare/coverage?format=csv", csv, 1 << 20), 200);
    n = names_of(csv, names, 2000, total);
    CHECK_INT(n, (int)th_sql_int(&s, "SELECT COUNT(*) FROM regions WHERE type = 'township'"));
    for (int k = 0; k < n; k++) CHECK(strstr(names[k], "own grids") == NULL);
    CHECK_STR(total, "district");
    json_total(&s, off, "/api/v1/eldercare/coverage", jt);
    CHECK_STR(jt, "district");
    /* …a township asked: the total is that township */
    long long t10 = th_sql_int(&s, "SELECT MIN(id) FROM regions WHERE type = 'township'");
    snprintf(path, sizeof path,
             "/api/v1/eldercare/coverage?group=village&region_id=%lld&format=csv", t10);
    CHECK_INT(get_csv(&s, off, path, csv, 1 << 20), 200);
    names_of(csv, names, 2000, total);
    char want[160], q[400];
    snprintf(q, sizeof q, "SELECT COUNT(*) FROM regions WHERE id = %lld AND name = '", t10);
    snprintf(q + strlen(q), sizeof q - strlen(q), "%s'", total);
    CHECK_INT(th_sql_int(&s, q), 1);
    /* the township officer: their township by name */
    CHECK_INT(
        get_csv(&s, town, "/api/v1/eldercare/coverage?group=village&format=csv", csv, 1 << 20),
        200);
    names_of(csv, names, 2000, total);
    snprintf(want, sizeof want, "%s", total);
    CHECK_INT(th_sql_int(&s, "SELECT COUNT(*) FROM users u JOIN regions r ON r.id = u.township_id"
                             " WHERE u.username = 'jinhaihu'"),
              1);
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM users u JOIN regions r ON r.id = u.township_id WHERE"
             " u.username = 'jinhaihu' AND r.name = '%s'",
             want);
    CHECK_INT(th_sql_int(&s, q), 1);
    /* a village asked by township: the one row is the part of the township inside the village,
     * and says so (it was named as the whole township, with the village's counts) */
    long long vil = th_sql_int(&s, "SELECT MIN(village_id) FROM elders");
    snprintf(q, sizeof q, "SELECT name FROM regions WHERE id = %lld", vil);
    snprintf(path, sizeof path,
             "/api/v1/eldercare/coverage?group=township&region_id=%lld&format=csv", vil);
    CHECK_INT(get_csv(&s, off, path, csv, 1 << 20), 200);
    n = names_of(csv, names, 2000, total);
    CHECK_INT(n, 1);
    CHECK(strstr(names[0], " (within ") != NULL);
    snprintf(path, sizeof path, "/api/v1/eldercare/coverage?group=township&region_id=%lld", vil);
    json_t *o = EL(&s, off, "GET", path, NULL, 200);
    CHECK(json_is_string(json_object_get(o, "rows_within")));
    snprintf(want, sizeof want, " (within %s)", th_str(o, "rows_within"));
    CHECK(ends_with(names[0], want));
    json_decref(o);
    /* by village, a village asked: whole rows */
    snprintf(path, sizeof path, "/api/v1/eldercare/coverage?group=village&region_id=%lld", vil);
    o = EL(&s, off, "GET", path, NULL, 200);
    CHECK(json_is_null(json_object_get(o, "rows_within")));
    json_decref(o);
    free(csv);
    th_stop(&s);
}
