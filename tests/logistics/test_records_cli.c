/* `pingji agri …` and `pingji logistics …` as a user runs them: add, list with a filter, get,
 * update with its version (the status rule refused with a message), delete; usage errors. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "th.h"

TEST(cli_logistics_and_agri_round_trip)
{
    char db[600], out[65536];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "logistics", "--help"), 0);
    CHECK(strstr(out, "usage: pingji logistics"));
    CHECK_INT(RUN(out, "agri", "--help"), 0);
    CHECK(strstr(out, "usage: pingji agri"));
    /* add, list with a filter, get */
    CHECK_INT(
        RUN(out, "logistics", "parks", "add", "--json", "{\"name\":\"测试物流园\"}", "--db", db),
        0);
    CHECK(strstr(out, "\"name\": \"测试物流园\""));
    CHECK_INT(RUN(out, "logistics", "warehouses", "add", "--json",
                  "{\"name\":\"测试仓\",\"area_m2\":12000,\"park_id\":1}", "--db", db),
              0);
    CHECK(strstr(out, "\"status\": \"planned\""));
    CHECK_INT(RUN(out, "logistics", "warehouses", "list", "--park-id", "1", "--db", db), 0);
    CHECK(strstr(out, "测试仓"));
    CHECK_INT(RUN(out, "logistics", "warehouses", "list", "--status", "operating", "--db", db), 0);
    CHECK(!strstr(out, "测试仓"));
    /* the status rule, with its message and a failure exit; then the allowed step */
    CHECK_INT(RUN(out, "logistics", "warehouses", "update", "1", "--json",
                  "{\"version\":1,\"status\":\"operating\"}", "--db", db),
              1);
    CHECK(strstr(out, "planned → under_construction → operating"));
    CHECK_INT(RUN(out, "logistics", "warehouses", "update", "1", "--json",
                  "{\"version\":1,\"status\":\"under_construction\"}", "--db", db),
              0);
    CHECK(strstr(out, "\"version\": 2"));
    CHECK_INT(RUN(out, "logistics", "warehouses", "get", "1", "--db", db), 0);
    CHECK(strstr(out, "\"status\": \"under_construction\""));
    /* the park is in use; the warehouse goes, then the park */
    CHECK_INT(RUN(out, "logistics", "parks", "delete", "1", "--db", db), 1);
    CHECK(strstr(out, "refer"));
    CHECK_INT(RUN(out, "logistics", "warehouses", "delete", "1", "--db", db), 0);
    CHECK_INT(RUN(out, "logistics", "warehouses", "get", "1", "--db", db), 1);
    CHECK(strstr(out, "no warehouse"));
    /* the KPIs; every write audited as cli */
    CHECK_INT(RUN(out, "logistics", "kpi", "--db", db), 0);
    CHECK(strstr(out, "\"parks\": 1"));
    CHECK_INT(RUN(out, "audit", "--entity", "lg_warehouse", "--db", db), 0);
    CHECK(strstr(out, "\"username\": \"cli\"") && strstr(out, "\"delete\""));
    /* bad input: a message naming the field and a failure exit; usage errors exit 2 */
    CHECK_INT(
        RUN(out, "agri", "farms", "add", "--json", "{\"name\":\"x\",\"area_mu\":-3}", "--db", db),
        1);
    CHECK(strstr(out, "area_mu"));
    /* an option the list does not take, or an id that is not a number: usage errors (2), as
     * every other verb's (they were 1) */
    CHECK_INT(RUN(out, "agri", "farms", "list", "--colour", "red", "--db", db), 2);
    CHECK_INT(RUN(out, "agri", "labs", "list", "--township-id", "x", "--db", db), 2);
    CHECK_INT(RUN(out, "logistics", "parks", "list", "--township-id", "x", "--db", db), 2);
    CHECK_INT(RUN(out, "logistics", "parks", "list", "--limit", "0", "--db", db), 2);
    CHECK_INT(RUN(out, "agri", "farms", "get", "--db", db), 2);
    CHECK_INT(RUN(out, "agri", "farms", "frob", "1", "--db", db), 2);
    CHECK_INT(RUN(out, "agri", "orchards", "--db", db), 2);
    CHECK_INT(RUN(out, "agri", "farms", "add", "--db", db), 2);
    /* agri: a farm with an expert, counted by the KPIs */
    CHECK_INT(RUN(out, "agri", "farms", "add", "--json",
                  "{\"name\":\"测试博士农场\",\"postdoc_station\":true}", "--db", db),
              0);
    CHECK_INT(RUN(out, "agri", "experts", "add", "--json",
                  "{\"name\":\"王院士\",\"title\":\"academician\",\"farm_id\":1}", "--db", db),
              0);
    CHECK_INT(RUN(out, "agri", "kpi", "--db", db), 0);
    CHECK(strstr(out, "\"doctor_farms\": 1") && strstr(out, "\"postdoc_stations\": 1") &&
          strstr(out, "\"academicians\": 1"));
    /* without the demo district the logistics demo says what it needs */
    CHECK_INT(RUN(out, "logistics", "demo", "--db", db), 1);
    CHECK(strstr(out, "demo district"));
}
