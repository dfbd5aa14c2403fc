/* The audit trail as it grows (hundreds of thousands of entries): a record's history and an
 * entity's entries are ranges of indexes, not the trail read from the newest entry down; the
 * same entries in the same order, page by page, whichever filters are given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "t.h"
#include "th.h"

static json_t *list(th_ctx *t, const pj_audit_filter *f)
{
    pj_err err = {0};
    pj_buf out;
    pj_buf_init(&out, 1 << 22);
    pj_jw w;
    pj_jw_init(&w, &out);
    if (pj_audit_list(&t->c, f, &w, &err)) t_fail(__FILE__, __LINE__, "audit: %s", err.message);
    json_t *o = json_loadb(out.data, out.len, 0, NULL);
    pj_buf_free(&out);
    CHECK(o != NULL);
    return o;
}

/* Every page of the trail under f (4 a page) against want_sql's ids, newest first. */
static void walk(th_ctx *t, pj_audit_filter f, const char *want_sql)
{
    enum { MAX = 400 };
    long long *want = calloc(MAX, sizeof *want), *got = calloc(MAX, sizeof *got);
    int nw = 0, ng = 0;
    pj_err err = {0};
    pj_stmt *q = pj_db_prepare(t->db, want_sql, &err);
    CHECK(q != NULL);
    while (pj_stmt_step(q, &err) == 1 && nw < MAX) want[nw++] = pj_col_int(q, 0);
    pj_stmt_done(q);
    f.limit = 4;
    for (int pages = 0; pages < MAX; pages++) {
        json_t *o = list(t, &f);
        json_t *items = json_object_get(o, "items");
        for (size_t i = 0; i < json_array_size(items) && ng < MAX; i++)
            got[ng++] = th_int(json_array_get(items, i), "id");
        json_t *next = json_object_get(o, "next_cursor");
        f.cursor = json_is_string(next) ? strtoll(json_string_value(next), NULL, 10) : 0;
        json_decref(o);
        if (!f.cursor) break;
    }
    CHECK_INT(ng, nw);
    for (int i = 0; i < nw; i++) CHECK_INT(got[i], want[i]);
    free(want);
    free(got);
}

TEST(audit_list_filters_by_index)
{
    th_ctx t;
    th_ctx_fresh(&t);
    pj_err err = {0};
    /* 120 entries: 3 entities, 5 records each, 2 users, 4 actions, a minute apart */
    if (pj_db_exec(t.db,
                   "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120)"
                   " INSERT INTO audit (at, user_id, username, action, entity, entity_id,"
                   " after_json, request_id) SELECT 1790000000 + 60 * i, 1 + i % 2,"
                   " CASE i % 2 WHEN 0 THEN 'a' ELSE 'b' END, CASE i % 4 WHEN 0 THEN 'create'"
                   " WHEN 1 THEN 'update' WHEN 2 THEN 'delete' ELSE 'login' END, CASE i % 3 WHEN"
                   " 0 THEN 'facility' WHEN 1 THEN 'elder' ELSE 'ent_appeal' END, 1 + i % 5,"
                   " '{}', 'r' FROM n;",
                   &err))
        t_fail(__FILE__, __LINE__, "%s", err.message);
    walk(&t, (pj_audit_filter){0}, "SELECT id FROM audit ORDER BY id DESC");
    walk(&t, (pj_audit_filter){.entity = "facility", .entity_id = 3},
         "SELECT id FROM audit WHERE entity = 'facility' AND entity_id = 3 ORDER BY id DESC");
    walk(&t, (pj_audit_filter){.entity = "elder"},
         "SELECT id FROM audit WHERE entity = 'elder' ORDER BY id DESC");
    walk(&t, (pj_audit_filter){.entity = "nothing"}, "SELECT id FROM audit WHERE 0");
    walk(&t, (pj_audit_filter){.user_id = 2, .action = "update"},
         "SELECT id FROM audit WHERE user_id = 2 AND action = 'update' ORDER BY id DESC");
    walk(&t, (pj_audit_filter){.username = "a", .since = 1790001800, .until = 1790004000},
         "SELECT id FROM audit WHERE username = 'a' AND at >= 1790001800 AND at < 1790004000"
         " ORDER BY id DESC");
    walk(&t, (pj_audit_filter){.entity = "", .action = ""}, "SELECT id FROM audit WHERE 0");
    /* a record's history (a facility's page) and an entity's entries: index ranges read in
     * the list's order */
    const char *plan = th_plans(&t, "FROM audit WHERE 1 = 1 AND entity = ? AND entity_id = ?");
    CHECK(strstr(plan, "SEARCH audit USING INDEX audit_entity (entity=? AND entity_id=?)"));
    plan = th_plans(&t, "FROM audit WHERE 1 = 1 AND entity = ? AND id < ?");
    CHECK(strstr(plan, "SEARCH audit USING INDEX audit_entity_newest (entity=? AND id<?)"));
    CHECK(!strstr(plan, "TEMP B-TREE"));
    /* an action's entries and a name's: index ranges too (the whole trail was read for them) */
    walk(&t, (pj_audit_filter){.action = "delete"},
         "SELECT id FROM audit WHERE action = 'delete' ORDER BY id DESC");
    walk(&t, (pj_audit_filter){.username = "b"},
         "SELECT id FROM audit WHERE username = 'b' ORDER BY id DESC");
    /* the display name the console shows finds the account's rows too (管理员 typed in the
     * filter found nothing beside rows showing 管理员); an empty one none */
    if (pj_db_exec(t.db,
                   "INSERT INTO users (username, display_name, role, password_hash, created_at,"
                   " updated_at) VALUES ('a', '甲', 'viewer', 'x', 0, 0), ('c', '', 'viewer', 'x',"
                   " 0, 0)",
                   &err))
        t_fail(__FILE__, __LINE__, "%s", err.message);
    walk(&t, (pj_audit_filter){.username = "甲"},
         "SELECT id FROM audit WHERE username = 'a' ORDER BY id DESC");
    walk(&t, (pj_audit_filter){.username = ""}, "SELECT id FROM audit WHERE 0");
    plan = th_plans(&t, "FROM audit WHERE 1 = 1 AND action = ? AND id < ?");
    CHECK(strstr(plan, "SEARCH audit USING INDEX audit_action (action=? AND id<?)"));
    plan = th_plans(&t, "FROM audit WHERE 1 = 1 AND username = ? AND id < ?");
    CHECK(strstr(plan, "SEARCH audit USING INDEX audit_username (username=? AND id<?)"));
    th_ctx_close(&t);
}
