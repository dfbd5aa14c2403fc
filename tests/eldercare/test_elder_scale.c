/* Eldercare reads as the records grow (years of service logs and alerts): a credit account's
 * page is one range of an index, not every entry of the account sorted; a database of an
 * older build gets its entries' times when it is upgraded. */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "domain/elder.h"
#include "t.h"
#include "th.h"

static void page(th_ctx *t, int64_t account, int64_t cursor)
{
    pj_err err = {0};
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    if (pj_credit_account_get(&t->c, account, cursor, 50, &w, &err))
        t_fail(__FILE__, __LINE__, "account %lld: %s", (long long)account, err.message);
    pj_buf_free(&out);
}

TEST(elder_credit_account_page_by_index)
{
    th_ctx t;
    th_ctx_fresh(&t);
    pj_err err = {0};
    /* the issuance account (1) with one earned service */
    if (pj_db_exec(t.db,
                   "INSERT INTO credit_txns (id, kind, at, note, created_by) VALUES"
                   " (1, 'earn', 1790000000, 'meal', 't');"
                   "INSERT INTO credit_entries (txn_id, account_id, amount_min, at) VALUES"
                   " (1, 1, -30, 1790000000), (1, 2, 30, 1790000000);",
                   &err))
        t_fail(__FILE__, __LINE__, "%s", err.message);
    page(&t, 1, 0);
    page(&t, 1, 1);
    /* the first page and the next: each a range of (account_id, at, id), read in its order */
    const char *plan = th_plans(&t, "ORDER BY e.at DESC");
    CHECK(strstr(plan, "SEARCH e USING INDEX credit_entries_account_at (account_id=?)"));
    CHECK(strstr(plan, "SEARCH e USING INDEX credit_entries_account_at (account_id=? AND at<?)"));
    CHECK(!strstr(plan, "\n  SCAN "));
    CHECK(!strstr(plan, "TEMP B-TREE"));
    th_ctx_close(&t);
}

/* A database made before entries carried their time: the upgrade copies each transaction's
 * time to its entries. */
TEST(elder_credit_entries_time_on_upgrade)
{
    char path[600];
    snprintf(path, sizeof path, "%s/old.db", t_tmpdir());
    pj_log_level(PJ_LOG_WARN);
    pj_db *db;
    pj_err err = {0};
    if (pj_db_open_at(&db, path, 103, &err)) t_fail(__FILE__, __LINE__, "%s", err.message);
    if (pj_db_exec(db,
                   "INSERT INTO credit_txns (id, kind, at, note, created_by) VALUES"
                   " (1, 'earn', 1790000000, 'meal', 't'), (2, 'earn', 1790003600, 'meal', 't');"
                   "INSERT INTO credit_entries (txn_id, account_id, amount_min) VALUES"
                   " (1, 1, -30), (1, 2, 30), (2, 1, -45), (2, 2, 45);",
                   &err))
        t_fail(__FILE__, __LINE__, "%s", err.message);
    pj_db_close(db);
    if (pj_db_open(&db, path, &err)) t_fail(__FILE__, __LINE__, "%s", err.message);
    pj_stmt *s = pj_db_prepare(db,
                               "SELECT COUNT(*), SUM(e.at = t.at) FROM credit_entries e JOIN"
                               " credit_txns t ON t.id = e.txn_id",
                               &err);
    CHECK(s != NULL);
    CHECK_INT(pj_stmt_step(s, &err), 1);
    CHECK_INT(pj_col_int(s, 0), 4);
    CHECK_INT(pj_col_int(s, 1), 4);
    pj_stmt_done(s);
    pj_db_close(db);
}

static void alerts(th_ctx *t, const char *state, int64_t cursor)
{
    pj_err err = {0};
    pj_buf out;
    pj_buf_init(&out, 1 << 20);
    pj_jw w;
    pj_jw_init(&w, &out);
    if (pj_alert_list(&t->c, state, NULL, NULL, 0, cursor, 50, &w, &err))
        t_fail(__FILE__, __LINE__, "alerts: %s", err.message);
    pj_buf_free(&out);
}

/* The alerts of one state, newest first, page after page: one range of an index each, for the
 * district as for a township officer — not every alert read from the newest down to find the
 * open ones under years of resolved ones. */
TEST(elder_alerts_by_state_by_index)
{
    th_ctx t;
    th_ctx_fresh(&t);
    alerts(&t, "open", 0);
    alerts(&t, "open", 1000);
    const char *plan = th_plans(&t, "FROM elder_alerts a WHERE");
    CHECK(strstr(plan, "SEARCH a USING COVERING INDEX elder_alerts_state_id (state=?)"));
    CHECK(strstr(plan, "SEARCH a USING COVERING INDEX elder_alerts_state_id (state=? AND id<?)"));
    CHECK(!strstr(plan, "\n  SCAN "));
    CHECK(!strstr(plan, "TEMP B-TREE"));
    th_ctx_close(&t);
    th_ctx_fresh(&t);
    t.c.actor.role = PJ_ROLE_TOWNSHIP_OFFICER;
    t.c.actor.township_id = 2;
    alerts(&t, "resolved", 0);
    plan = th_plans(&t, "FROM elder_alerts a WHERE");
    CHECK(strstr(plan, "SEARCH a USING "));
    CHECK(!strstr(plan, "\n  SCAN "));
    CHECK(!strstr(plan, "TEMP B-TREE"));
    th_ctx_close(&t);
}
