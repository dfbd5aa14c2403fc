/* ecommerce sales-update and sales-delete: a recorded month and channel corrected (the
 * product's version filled in when the JSON has none) and deleted, the totals following; a
 * livestream row refused (added, corrected or deleted by hand), a missing --month or --channel a
 * usage error, nothing written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "th.h"

/* The first "key": N in o, -1 when absent. */
static long long first_int(const char *o, const char *key)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\": ", key);
    const char *p = strstr(o, k);
    return p ? strtoll(p + strlen(k), NULL, 10) : -1;
}

static char out[1 << 16];

TEST_T(cli_ecommerce_sales_update_and_delete, 60)
{
    char db[600], pid[24];
    snprintf(db, sizeof db, "%s/pj.db", t_tmpdir());
    CHECK_INT(RUN(out, "init", "--db", db), 0);
    CHECK_INT(RUN(out, "ecommerce", "product-add", "--db", db, "--json",
                  "{\"name\":\"命令行大桃\",\"category\":\"peach\"}"),
              0);
    snprintf(pid, sizeof pid, "%lld", first_int(out, "id"));
    CHECK_INT(
        RUN(out, "ecommerce", "sales-add", pid, "--db", db, "--json",
            "{\"month\":\"2024-07\",\"channel\":\"offline\",\"orders\":10,\"gmv_fen\":40000}"),
        0);
    /* a livestream row is the product's live sessions', never typed by hand */
    CHECK_INT(
        RUN(out, "ecommerce", "sales-add", pid, "--db", db, "--json",
            "{\"month\":\"2024-07\",\"channel\":\"livestream\",\"orders\":2,\"gmv_fen\":800}"),
        1);
    CHECK_INT(RUN(out, "ecommerce", "sales-add", pid, "--db", db, "--json",
                  "{\"month\":\"2024-07\",\"channel\":\"ecommerce\",\"orders\":2,\"gmv_fen\":800}"),
              0);
    /* corrected without a version: the product's current one */
    CHECK_INT(RUN(out, "ecommerce", "sales-update", pid, "--db", db, "--month", "2024-07",
                  "--channel", "offline", "--json", "{\"orders\":12,\"gmv_fen\":48000}"),
              0);
    CHECK_INT(first_int(out, "gmv_fen"), 48800);
    /* a stale version is refused */
    CHECK_INT(RUN(out, "ecommerce", "sales-update", pid, "--db", db, "--month", "2024-07",
                  "--channel", "offline", "--json", "{\"version\":1,\"orders\":1}"),
              1);
    /* livestream rows, a missing key, a row never recorded: refused, nothing written */
    char audit0[4096], audit1[4096];
    CHECK_INT(RUN(audit0, "audit", "--limit", "1", "--db", db), 0);
    CHECK_INT(RUN(out, "ecommerce", "sales-update", pid, "--db", db, "--month", "2024-07",
                  "--channel", "livestream", "--json", "{\"orders\":3}"),
              1);
    CHECK_INT(RUN(out, "ecommerce", "sales-delete", pid, "--db", db, "--month", "2024-07",
                  "--channel", "livestream"),
              1);
    CHECK_INT(RUN(out, "ecommerce", "sales-delete", pid, "--db", db, "--channel", "offline"), 2);
    CHECK_INT(RUN(out, "ecommerce", "sales-update", pid, "--db", db, "--month", "2024-07", "--json",
                  "{\"orders\":3}"),
              2);
    CHECK_INT(RUN(out, "ecommerce", "sales-delete", pid, "--db", db, "--month", "2024-06",
                  "--channel", "offline"),
              1);
    CHECK_INT(RUN(audit1, "audit", "--limit", "1", "--db", db), 0);
    CHECK_STR(audit1, audit0);
    /* deleted: out of the totals */
    CHECK_INT(RUN(out, "ecommerce", "sales-delete", pid, "--db", db, "--month", "2024-07",
                  "--channel", "offline"),
              0);
    CHECK_INT(RUN(out, "ecommerce", "sales", pid, "--db", db), 0);
    CHECK_INT(first_int(out, "rows"), 1);
    CHECK_INT(first_int(out, "orders"), 2);
    CHECK_INT(RUN(out, "ecommerce", "sales-delete", pid, "--db", db, "--month", "2024-07",
                  "--channel", "offline"),
              1);
}
