/* The enterprise demo: departments and the dispatch catalogue, ≈3,000 enterprises with
 * profiles (the demo district's named firms plus synthetic ones, source = 'synthetic'), 24
 * reception days (2024–2025), ≈1,500 appeals (≈290 solved from reception days), 40 policies
 * with rules and their matches, 10 bank products with 40 financing needs and their matches,
 * 60 cooperation posts (enterprise_demo_fin.c). Deterministic for a seed; one transaction. */
#include <stdio.h>
#include <string.h>

#include "algo/algo.h"
#include "core/util.h"
#include "db/next_id.h"
#include "domain/audit.h"
#include "domain/enterprise_int.h"
#include "domain/registry.h"
#include "domain/render.h"

#include "core/banned.h"

static int exec1(pj_stmt *s, int64_t *id, pj_err *err)
{
    int rc = pj_stmt_step(s, err);
    if (rc == 1 && id) *id = pj_col_int(s, 0);
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int pj_enterprise_demo(pj_ctx *c, uint64_t seed, pj_err *err)
{
    static const char *const inds[] = {"logistics", "agritech", "ecommerce", "manufacturing",
                                       "tourism",   "health",   "food",      "construction"};
    static const char *const scales[] = {"micro", "small", "medium", "large"};
    static const struct {
        const char *name, *cat;
    } depts[] = {{"平谷区政务服务管理局", "permits"},
                 {"平谷区规划和自然资源分局", "land"},
                 {"平谷区金融服务办公室", "financing"},
                 {"平谷区人力资源和社会保障局", "talent"},
                 {"平谷区城市管理委员会", "utilities"},
                 {"国家税务总局北京市平谷区税务局", "tax"},
                 {"平谷区市场监督管理局", "market"},
                 {"平谷区交通局", "logistics"},
                 {"平谷区商务局", "other"}};
    uint64_t rng = seed ? seed : 1;
    int rc = pj_render_exists(c, "SELECT 1 FROM ent_reception_days WHERE id > ?", 0, err);
    if (rc < 0) return -1;
    if (rc == 1) return pj_fail(err, 409, "conflict", "", "the enterprise demo is loaded already");
    pj_cal cal;
    if (ent_calendar_load(c, &cal, err)) return -1;
    int64_t now = 1767196800; /* 2026-01-01T00:00:00+08: the demo's "now" */
    if (pj_db_begin(c->db, err)) return -1;
    /* departments and the catalogue */
    int64_t dept[9];
    for (int i = 0; i < 9; i++) {
        pj_stmt *s = pj_db_prepare(c->db, "SELECT id FROM organisations WHERE name = ?", err);
        if (!s) goto fail;
        pj_stmt_text(s, 1, depts[i].name);
        dept[i] = 0;
        if (exec1(s, &dept[i], err)) goto fail;
        if (!dept[i]) {
            s = pj_db_prepare(c->db,
                              "INSERT INTO organisations (id, name, type, industry, source,"
                              " created_at, updated_at) VALUES (" PJ_NEXT_ID(
                                  "organisations") ", ?, 'government', 'government', 'synthetic',"
                                                   " ?, ?) RETURNING id",
                              err);
            if (!s) goto fail;
            pj_stmt_text(s, 1, depts[i].name);
            pj_stmt_int(s, 2, now);
            pj_stmt_int(s, 3, now);
            if (exec1(s, &dept[i], err)) goto fail;
        }
        s = pj_db_prepare(c->db, "INSERT INTO ent_dispatch (category, department_id) VALUES (?, ?)",
                          err);
        if (!s) goto fail;
        pj_stmt_text(s, 1, depts[i].cat);
        pj_stmt_int(s, 2, dept[i]);
        if (exec1(s, NULL, err)) goto fail;
    }
    /* townships */
    int64_t towns[32];
    int ntown = 0;
    pj_stmt *s =
        pj_db_prepare(c->db, "SELECT id FROM regions WHERE type = 'township' ORDER BY id", err);
    if (!s) goto fail;
    while (ntown < 32 && (rc = pj_stmt_step(s, err)) == 1) towns[ntown++] = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0 || !ntown) {
        if (rc >= 0) pj_fail(err, 409, "conflict", "", "build the demo district first");
        goto fail;
    }
    /* synthetic enterprises up to ≈3,000 */
    for (int i = 0; i < 2980; i++) {
        char name[96];
        snprintf(name, sizeof name, "平谷示例企业%04d有限公司", i + 1);
        s = pj_db_prepare(c->db,
                          "INSERT INTO organisations (id, name, type, industry, township_id,"
                          " source, created_at, updated_at) VALUES (" PJ_NEXT_ID(
                              "organisations") ", ?, 'enterprise', ?, ?, 'synthetic', ?, ?)",
                          err);
        if (!s) goto fail;
        pj_stmt_text(s, 1, name);
        pj_stmt_text(s, 2, inds[pj_rng_below(&rng, 8)]);
        pj_stmt_int(s, 3, towns[pj_rng_below(&rng, (uint32_t)ntown)]);
        pj_stmt_int(s, 4, now);
        pj_stmt_int(s, 5, now);
        if (exec1(s, NULL, err)) goto fail;
    }
    /* profiles for every enterprise (synthetic figures) */
    s = pj_db_prepare(c->db, "SELECT id FROM organisations WHERE type = 'enterprise' ORDER BY id",
                      err);
    if (!s) goto fail;
    int64_t *orgs = pj_arena_alloc(c->arena, sizeof(int64_t) * 4000);
    int norg = 0;
    while (norg < 4000 && (rc = pj_stmt_step(s, err)) == 1) orgs[norg++] = pj_col_int(s, 0);
    pj_stmt_done(s);
    if (rc < 0) goto fail;
    for (int i = 0; i < norg; i++) {
        s = pj_db_prepare(c->db,
                          "INSERT INTO ent_profiles (org_id, scale, credit, employees, revenue_wan,"
                          " tax_wan, founded_year, high_tech, specialized, source, updated_at)"
                          " VALUES (?,?,?,?,?,?,?,?,?,'synthetic',?)",
                          err);
        if (!s) goto fail;
        uint32_t sc = pj_rng_below(&rng, 4);
        pj_stmt_int(s, 1, orgs[i]);
        pj_stmt_text(s, 2, scales[sc]);
        pj_stmt_text(s, 3, pj_rng_below(&rng, 10) ? "A" : "B");
        pj_stmt_int(s, 4, 3 + pj_rng_below(&rng, 40 * (sc + 1) * (sc + 1)));
        pj_stmt_double(s, 5, 50 + pj_rng_below(&rng, 3000 * (sc + 1)));
        pj_stmt_double(s, 6, pj_rng_below(&rng, 300));
        pj_stmt_int(s, 7, 1995 + pj_rng_below(&rng, 30));
        pj_stmt_int(s, 8, pj_rng_below(&rng, 6) == 0);
        pj_stmt_int(s, 9, pj_rng_below(&rng, 10) == 0);
        pj_stmt_int(s, 10, now);
        if (exec1(s, NULL, err)) goto fail;
    }
    /* 24 reception days, 2024-01 … 2025-12, held */
    int64_t rday[24];
    for (int m = 0; m < 24; m++) {
        int32_t mon, held = pj_cal_reception_day(&cal, 2024 + m / 12, m % 12 + 1, &mon);
        char hs[11], ms[11];
        pj_cal_format(held, hs);
        pj_cal_format(mon, ms);
        s = pj_db_prepare(c->db,
                          "INSERT INTO ent_reception_days (held_on, first_monday, moved_reason,"
                          " leaders, department_ids, minutes, state, source, created_at,"
                          " updated_at, move_kind) VALUES (?,?,?,'[\"区长\",\"常务副区长\"]',?,?,"
                          "'held','synthetic',?,?,?) RETURNING id",
                          err);
        if (!s) goto fail;
        char dl[96];
        snprintf(dl, sizeof dl, "[%lld,%lld,%lld]", (long long)dept[0], (long long)dept[1],
                 (long long)dept[2]);
        pj_stmt_text(s, 1, hs);
        pj_stmt_text(s, 2, ms);
        pj_stmt_text(s, 3, held != mon ? "first Monday is a public holiday" : "");
        pj_stmt_text(s, 4, dl);
        pj_stmt_text(s, 5, "亲商、懂商、助商、成商：现场收集企业诉求并交办（示例纪要）");
        pj_stmt_int(s, 6, now);
        pj_stmt_int(s, 7, now);
        pj_stmt_text(s, 8, held != mon ? "calendar" : NULL);
        if (exec1(s, &rday[m], err)) goto fail;
    }
    /* ≈1,500 appeals: 300 from reception days (≈290 resolved), the rest by other channels */
    static const char *const types[] = {"inquiry", "help", "complaint", "report", "suggestion"};
    static const char *const chans[] = {"phone", "account", "visit"};
    for (int i = 0; i < 1500; i++) {
        int from_rd = i < 300;
        int m = from_rd ? i % 24 : (int)pj_rng_below(&rng, 24);
        int32_t day0;
        if (from_rd) {
            day0 = pj_cal_reception_day(&cal, 2024 + m / 12, m % 12 + 1, NULL);
        } else
            day0 = pj_cal_from_civil(2024 + m / 12, m % 12 + 1, 1 + (int)pj_rng_below(&rng, 28));
        int64_t recv = pj_cal_day_start(day0) + 9 * 3600 + pj_rng_below(&rng, 8 * 3600);
        int ti = (int)pj_rng_below(&rng, 5);
        int ci = (int)pj_rng_below(&rng, 9);
        int64_t rdue = pj_cal_deadline(&cal, recv, 1);
        int64_t cdue = pj_cal_deadline(&cal, recv, ti == 0 || ti == 4 ? 7 : 13);
        int64_t disp = recv + 3600 * (1 + pj_rng_below(&rng, 6));
        int64_t resp = disp + 3600 * pj_rng_below(&rng, from_rd ? 30 : 50);
        int64_t repl = resp + 3600 * (4 + pj_rng_below(&rng, from_rd ? 200 : 320));
        int64_t clos = repl + 3600 * (2 + pj_rng_below(&rng, 72));
        int resolved = from_rd ? (i < 290) : pj_rng_below(&rng, 10) < 8;
        const char *rating = pj_rng_below(&rng, 10) < 7 ? "satisfied" : "basically";
        if (!resolved && pj_rng_below(&rng, 2)) rating = NULL;
        s = pj_db_prepare(c->db,
                          "INSERT INTO ent_appeals (org_id, township_id, channel, type, category,"
                          " title, description, reception_day_id, state, department_id,"
                          " first_department_id, received_at, dispatched_at, responded_at,"
                          " replied_at, closed_at, response_due, complete_due, reply, resolved,"
                          " rating, visit_due, visited_at, source, created_by)"
                          " SELECT o.id, o.township_id, ?, ?, ?, ?, ?, ?, 'closed', ?, ?, ?, ?,"
                          " ?, ?, ?, ?, ?, '已办结（示例数据）', ?, ?, ?, ?, 'synthetic', 'demo'"
                          " FROM organisations o WHERE o.id = ?",
                          err);
        if (!s) goto fail;
        /* what a firm would write, three a category (taken in turn: no draw of the demo's
         * random numbers, so the rest of the demo is as before); no number in it, the
         * console puts the appeal's own before its title */
        static const char *const titles[9][3] = {
            {"项目审批进度咨询", "施工许可办理协调", "经营许可证续期咨询"},
            {"厂房用地指标申请", "用地规划调整咨询", "不动产权证办理协调"},
            {"流动资金贷款对接", "融资担保支持申请", "贷款贴息政策咨询"},
            {"人才引进落户咨询", "技术工人招聘协助", "人才公寓申请"},
            {"厂区供电扩容申请", "供水管网接入协调", "冬季供暖保障协调"},
            {"研发费用加计扣除咨询", "增值税留抵退税咨询", "社保费缓缴咨询"},
            {"产品展销渠道对接", "农产品进京市场对接", "展会参展支持申请"},
            {"冷链配送通行证办理", "货车通行路线协调", "物流仓储用地咨询"},
            {"企业名称变更咨询", "周边环境整治诉求", "安全生产指导申请"}};
        const char *title = titles[ci][i % 3];
        int k = 1;
        pj_stmt_text(s, k++, from_rd ? "reception_day" : chans[pj_rng_below(&rng, 3)]);
        pj_stmt_text(s, k++, types[ti]);
        pj_stmt_text(s, k++, pj_appeal_categories[ci]);
        pj_stmt_text(s, k++, title);
        pj_stmt_text(s, k++, "演示用的示例诉求");
        if (from_rd)
            pj_stmt_int(s, k++, rday[m]);
        else
            pj_stmt_null(s, k++);
        pj_stmt_int(s, k++, dept[ci]);
        pj_stmt_int(s, k++, dept[ci]);
        pj_stmt_int(s, k++, recv);
        pj_stmt_int(s, k++, disp);
        pj_stmt_int(s, k++, resp);
        pj_stmt_int(s, k++, repl);
        pj_stmt_int(s, k++, clos);
        pj_stmt_int(s, k++, rdue);
        pj_stmt_int(s, k++, cdue);
        pj_stmt_int(s, k++, resolved);
        pj_stmt_text(s, k++, rating);
        pj_stmt_int(s, k++, cdue);
        /* the call-back on the reply, between the reply and the close (a close before it, or
         * a visit before the reply, is what the live server refuses: 409 visit_required) */
        pj_stmt_int(s, k++, repl + (clos - repl) / 2);
        pj_stmt_int(s, k++, orgs[pj_rng_below(&rng, (uint32_t)norg)]);
        if (exec1(s, NULL, err)) goto fail;
    }
    /* each demo appeal was rated once, in its only round */
    s = pj_db_prepare(c->db,
                      "INSERT INTO ent_appeal_ratings (appeal_id, round, rating, department_id, at,"
                      " username) SELECT id, 1, rating, department_id, closed_at, 'demo' FROM"
                      " ent_appeals WHERE source = 'synthetic' AND rating IS NOT NULL",
                      err);
    if (!s || pj_step_done(s, err)) goto fail;
    /* 40 policies with rules, in force until the end of the year after the demo is built
     * (Beijing): a fixed end (2026-12-31) left a demo built in 2027 without a policy in force,
     * so no firm's list showed one */
    char today[11], until[24];
    pj_local_date(pj_now(), today);
    int year =
        (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
    snprintf(until, sizeof until, "%04d-12-31", year + 1);
    for (int p = 0; p < 40; p++) {
        char cond[400], title[96];
        snprintf(cond, sizeof cond,
                 "industry in [\"%s\", \"%s\"] and employees >= %d and revenue_wan < %d%s",
                 inds[p % 8], inds[(p + 3) % 8], 5 + p % 10, 2000 + 250 * p,
                 p % 3 == 0 ? " and (high_tech or specialized)" : "");
        snprintf(title, sizeof title, "惠企政策示例 %02d（示例数据）", p + 1);
        s = pj_db_prepare(c->db,
                          "INSERT INTO ent_policies (title, issuer, issued_on, valid_from,"
                          " valid_until, benefit, conditions, source, created_at, updated_at)"
                          " VALUES (?, ?, '2025-01-01', '2025-01-01', ?, ?, ?, 'synthetic',"
                          " ?, ?)",
                          err);
        if (!s) goto fail;
        pj_stmt_text(s, 1, title);
        pj_stmt_text(s, 2, depts[p % 9].name);
        pj_stmt_text(s, 3, until);
        pj_stmt_text(s, 4, "补贴或减免（示例数据）");
        pj_stmt_text(s, 5, cond);
        pj_stmt_int(s, 6, now);
        pj_stmt_int(s, 7, now);
        if (exec1(s, NULL, err)) goto fail;
    }
    /* bank products, financing needs and matches, cooperation posts */
    if (ent_demo_finance_coop(c, &rng, now, err)) goto fail;
    if (ent_policies_match_all(c, err) ||
        pj_audit_add(c, "demo", "enterprise", 0, NULL, "{\"appeals\":1500,\"policies\":40}", err) ||
        pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
