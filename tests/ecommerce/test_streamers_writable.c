/* GET /api/v1/ecommerce/streamers?writable=true lists the streamers the caller may write, by
 * the write check's rule (ec_streamer_scope): the console's picker of a session's streamer asks
 * for them, so that a page of its search holds only streamers it may pick (it fetched 30 and
 * hid those it may not write, and could show none though more were writable). For a township
 * officer the list, paged to the end, is exactly the streamers a write (a follower count) is
 * allowed on; for an enterprise its own live ones; for the district every live one. */
#include <stdio.h>
#include <string.h>

#include "ecommerce/streamer_fixture.h"
#include "t.h"
#include "th.h"

TEST_T(ecommerce_streamers_writable_is_the_write_check, 120)
{
    th_server s;
    th_start(&s, 1);
    char town[80], off[80], jd[80], sql[300], path[160];
    th_login(&s, "jinhaihu", s.demo_pw, town);
    th_login(&s, "officer", s.demo_pw, off);
    th_login(&s, "jd", s.demo_pw, jd);
    long long mytown = th_sql_int(&s, "SELECT township_id FROM users WHERE username = 'jinhaihu'");
    long long jdorg = th_sql_int(&s, "SELECT organisation_id FROM users WHERE username = 'jd'");
    snprintf(sql, sizeof sql, "SELECT MIN(id) FROM organisations WHERE township_id = %lld", mytown);
    long long ownorg = th_sql_int(&s, sql);
    snprintf(sql, sizeof sql,
             "SELECT MIN(id) FROM organisations WHERE township_id IS NOT NULL AND township_id"
             " <> %lld",
             mytown);
    long long awayorg = th_sql_int(&s, sql);
    snprintf(sql, sizeof sql, "SELECT MIN(id) FROM regions WHERE type = 'township' AND id <> %lld",
             mytown);
    long long othertown = th_sql_int(&s, sql);
    CHECK(mytown > 0 && jdorg > 0 && ownorg > 0 && awayorg > 0 && othertown > 0);
    long long loose = NEW(&s, off, "/api/v1/organisations",
                          "{\"name\":\"可写无乡镇公司\",\"type\":\"enterprise\"}");
    /* the township's: unsigned, and signed with a company of the township — writable; signed
     * with one of another township or of none, another township's, a deleted one — not */
    long long yes[2], no[4];
    yes[0] = streamer(&s, off, "可写甲", 0, mytown);
    yes[1] = streamer(&s, off, "可写乙", ownorg, mytown);
    /* (a streamer is registered in its organisation's township; one of another township's
     * company is one whose company moved, or of an earlier release) */
    no[0] = streamer(&s, off, "可写丙", 0, mytown);
    snprintf(sql, sizeof sql, "UPDATE ec_streamers SET organisation_id = %lld WHERE id = %lld",
             awayorg, no[0]);
    th_sql_exec(&s, sql);
    no[1] = streamer(&s, off, "可写丁", loose, mytown);
    no[2] = streamer(&s, off, "可写戊", 0, othertown);
    no[3] = streamer(&s, off, "可写己", 0, mytown);
    snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld", no[3]);
    json_decref(CALL(&s, "DELETE", off, path, NULL, 204));
    /* and more of the township's than a page of the picker, so that paging is tried */
    for (int i = 0; i < 7; i++) {
        char nm[40];
        snprintf(nm, sizeof nm, "可写页%d", i);
        streamer(&s, off, nm, 0, mytown);
    }

    static long long all[MAXS], wr[MAXS], q[MAXS];
    int pages, pages_all;
    int n_all = all_pages(&s, off, "", 100, all, &pages_all);
    int n_wr = all_pages(&s, town, "writable=true", 3, wr, &pages);
    CHECK(n_all < MAXS && n_wr >= 9);
    CHECK(pages >= 3);
    for (int i = 0; i < 2; i++) CHECK(has(wr, n_wr, yes[i]));
    for (int i = 0; i < 4; i++) CHECK(!has(wr, n_wr, no[i]));
    /* every streamer: listed as writable exactly when the township officer's write is allowed
     * (a follower count: 201, or 403 / 409 refused and nothing written) */
    int writes = 0;
    for (int i = 0; i < n_all; i++) {
        snprintf(path, sizeof path, "/api/v1/ecommerce/streamers/%lld/followers", all[i]);
        json_t *o = NULL;
        int st = th_call(&s, "POST", path, town,
                         "{\"platform\":\"other\",\"as_of\":\"2001-01-01\",\"followers\":1}", &o);
        json_decref(o);
        if (st != 201 && st != 403 && st != 409)
            t_fail(__FILE__, __LINE__, "followers of %lld: %d", all[i], st);
        if ((st == 201) != has(wr, n_wr, all[i]))
            t_fail(__FILE__, __LINE__, "streamer %lld: write %d, listed writable %d", all[i], st,
                   has(wr, n_wr, all[i]));
        writes += st == 201;
    }
    CHECK_INT(writes, n_wr);
    /* with the other filters: the name's part narrows it */
    int n_q = all_pages(&s, town, "writable=true&q=%E5%8F%AF%E5%86%99", 2, q, &pages);
    CHECK_INT(n_q, 9);
    /* writable=false filters nothing */
    n_q = all_pages(&s, town, "writable=false", 100, q, &pages);
    CHECK_INT(n_q, n_all);
    /* an enterprise: its own live streamers */
    n_q = all_pages(&s, jd, "writable=true", 50, q, &pages);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM ec_streamers WHERE anonymised = 0 AND organisation_id = %lld",
             jdorg);
    CHECK_INT(n_q, th_sql_int(&s, sql));
    /* the district office: every live one */
    n_q = all_pages(&s, off, "writable=true", 100, q, &pages);
    CHECK_INT(n_q, th_sql_int(&s, "SELECT COUNT(*) FROM ec_streamers WHERE anonymised = 0"));
    CHECK(!has(q, n_q, no[3]) && has(q, n_q, no[0]));
    /* anything but true or false: 400 at the field */
    json_t *o = CALL(&s, "GET", town, "/api/v1/ecommerce/streamers?writable=1", NULL, 400);
    CHECK_STR(th_err_code(o), "bad_query");
    CHECK_STR(th_err_field(o), "writable");
    json_decref(o);
    th_stop(&s);
}
