/* One elder's service logs (GET /service-logs?elder_id=, the elder's page) are newest first by
 * when the service was done, then by id, and page by a cursor on (time_in, id): a visit made
 * now and entered before 22 meals of earlier days was not among the first 20 (the list was by
 * entry), and the pages after it went on from its id, not from its time. Other lists keep
 * their order, newest entered first. */
#include "core/util.h"
#include "eldercare/el_fixture.h"

#define NLOGS 24

TEST_T(elder_logs_of_an_elder_page_by_time_of_service, 120)
{
    th_server s;
    th_start(&s, 1);
    char g[80], path[200];
    th_login(&s, "grid01", s.demo_pw, g);
    long long grid = el_grid01_grid(&s);
    long long elder = el_elder(&s, g, grid, 1, ""), other = el_elder(&s, g, grid, 2, "");
    int64_t now = pj_now() / 60 * 60;
    char t_in[21], body[8192];
    /* a visit now, entered first */
    pj_time_iso(now - 3600, t_in);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"kind\":\"companionship\",\"time_in\":\"%s\",\"minutes\":30}",
             elder, t_in);
    json_t *o = EL(&s, g, "POST", "/api/v1/service-logs", body, 201);
    long long visit = th_int(o, "id");
    json_decref(o);
    /* then 22 meals of the 22 days before, by one quick entry, and an escort at the same time
     * as the meal of 5 days ago (the same time_in: the later id first) */
    size_t len = (size_t)snprintf(body, sizeof body, "{\"entries\":[");
    for (int d = 1; d <= 22; d++) {
        pj_time_iso(now - d * 86400, t_in);
        len += (size_t)snprintf(body + len, sizeof body - len,
                                "%s{\"elder_id\":%lld,\"kind\":\"meal\",\"time_in\":\"%s\","
                                "\"minutes\":20}",
                                d > 1 ? "," : "", elder, t_in);
    }
    pj_time_iso(now - 5 * 86400, t_in);
    len += (size_t)snprintf(body + len, sizeof body - len,
                            ",{\"elder_id\":%lld,\"kind\":\"escort\",\"time_in\":\"%s\","
                            "\"minutes\":20}]}",
                            elder, t_in);
    json_decref(EL(&s, g, "POST", "/api/v1/service-logs", body, 201));
    /* another elder's log, entered last */
    pj_time_iso(now - 7200, t_in);
    snprintf(body, sizeof body,
             "{\"elder_id\":%lld,\"kind\":\"companionship\",\"time_in\":\"%s\",\"minutes\":30}",
             other, t_in);
    json_decref(EL(&s, g, "POST", "/api/v1/service-logs", body, 201));

    /* the first page of 20, as the elder's page reads it: the visit of now on top */
    long long ids[NLOGS + 1], next = 0;
    snprintf(path, sizeof path, "elder_id=%lld&limit=20", elder);
    int n = th_page_ids(&s, g, "/api/v1/service-logs", path, 0, ids, NLOGS, &next, &o, __FILE__,
                        __LINE__);
    CHECK_INT(n, 20);
    CHECK_INT(ids[0], visit);
    CHECK(next != 0);
    /* every item after is no later than the one before; at the same time, the larger id first */
    json_t *it = json_object_get(o, "items");
    for (size_t k = 1; k < json_array_size(it); k++) {
        const char *a = th_str(json_array_get(it, k - 1), "time_in"),
                   *b = th_str(json_array_get(it, k), "time_in");
        CHECK(strcmp(a, b) > 0 || (!strcmp(a, b) && ids[k - 1] > ids[k]));
    }
    json_decref(o);

    /* one at a time to the end: every page boundary, the tie included, is crossed once; all 24
     * logs, each once, in the same order as the whole list in one page */
    long long whole[NLOGS + 1], paged[NLOGS + 1];
    snprintf(path, sizeof path, "elder_id=%lld&limit=100", elder);
    CHECK_INT(th_page_ids(&s, g, "/api/v1/service-logs", path, 0, whole, NLOGS, &next, NULL,
                          __FILE__, __LINE__),
              NLOGS);
    CHECK_INT(next, 0);
    int got = 0;
    long long cursor = 0;
    snprintf(path, sizeof path, "elder_id=%lld&limit=1", elder);
    do {
        long long one[2];
        int k = th_page_ids(&s, g, "/api/v1/service-logs", path, cursor, one, 1, &next, NULL,
                            __FILE__, __LINE__);
        if (k && got < NLOGS) paged[got] = one[0];
        got += k;
        cursor = next;
    } while (cursor && got <= NLOGS);
    CHECK_INT(got, NLOGS);
    for (int k = 0; k < NLOGS && k < got; k++) CHECK_INT(paged[k], whole[k]);
    /* the oldest meal, 22 days ago, is the last */
    CHECK_INT(whole[NLOGS - 1], th_sql_int(&s, "SELECT id FROM elder_service_logs WHERE time_in ="
                                               " (SELECT MIN(time_in) FROM elder_service_logs"
                                               " WHERE kind = 'meal')"));

    /* a cursor that is no log of the elder: 400 at cursor, not a page of another order */
    long long others = th_sql_int(&s, "SELECT MAX(id) FROM elder_service_logs");
    snprintf(path, sizeof path, "/api/v1/service-logs?elder_id=%lld&cursor=%lld", elder, others);
    o = EL(&s, g, "GET", path, NULL, 400);
    CHECK_STR(th_err_code(o), "bad_query");
    CHECK_STR(th_err_field(o), "cursor");
    json_decref(o);

    /* the grid's logs without an elder: newest entered first, as before */
    CHECK_INT(th_page_ids(&s, g, "/api/v1/service-logs", "limit=5", 0, ids, 5, &next, NULL,
                          __FILE__, __LINE__),
              5);
    CHECK_INT(ids[0], others);
    for (int k = 1; k < 5; k++) CHECK(ids[k] < ids[k - 1]);
    th_stop(&s);
}
