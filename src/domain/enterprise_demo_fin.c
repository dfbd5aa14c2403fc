/* The enterprise demo's bank–enterprise matching (政银企) and cooperation board (企间合作):
 * 10 financing products of the seed's three banks, 40 needs ranked against them with some
 * consents and outcomes, 60 cooperation posts and a few contact requests. All synthetic
 * (source = 'synthetic'); runs inside pj_enterprise_demo's transaction. */
#include <stdio.h>
#include <string.h>

#include "algo/algo.h"
#include "core/util.h"
#include "domain/enterprise_int.h"

#include "core/banned.h"

static int step1(pj_stmt *s, int64_t *id, pj_err *err)
{
    int rc = pj_stmt_step(s, err);
    if (rc == 1 && id) *id = pj_col_int(s, 0);
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

static int ids_of(pj_ctx *c, const char *sql, int64_t *out, int max, int *n, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db, sql, err);
    if (!s) return -1;
    int rc;
    *n = 0;
    while (*n < max && (rc = pj_stmt_step(s, err)) == 1) out[(*n)++] = pj_col_int(s, 0);
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

int ent_demo_finance_coop(pj_ctx *c, uint64_t *rng, int64_t now, pj_err *err)
{
    static const struct {
        const char *name;
        int min_wan, max_wan, term;
        double rate;
        const char *cond;
    } prods[10] = {
        {"惠农e贷", 5, 300, 36, 3.45,
         "industry in [\"agritech\", \"food\"] and credit in [\"A\", \"B\"]"},
        {"物流贷", 50, 2000, 36, 3.65, "industry == \"logistics\" and employees >= 10"},
        {"科创贷", 100, 3000, 60, 3.20, "high_tech or specialized"},
        {"专精特新贷", 100, 5000, 60, 2.95, "specialized and credit == \"A\""},
        {"小微快贷", 5, 200, 12, 3.85, "scale in [\"micro\", \"small\"] and credit != \"D\""},
        {"乡村振兴贷", 10, 500, 60, 3.10, "industry in [\"agritech\", \"tourism\", \"food\"]"},
        {"冷链设备贷", 50, 1500, 48, 3.55,
         "industry in [\"logistics\", \"food\"] and revenue_wan >= 500"},
        {"电商贷", 10, 800, 24, 3.75, "industry == \"ecommerce\" and founded_year <= 2022"},
        {"税易贷", 20, 1000, 36, 3.60, "tax_wan >= 20 and credit == \"A\""},
        {"助业贷", 5, 1000, 36, 4.10, "employees >= 3"},
    };
    static const char *const purposes[] = {"购置冷链设备", "扩大生产线",   "流动资金周转",
                                           "建设仓储设施", "直播基地装修", "技术改造"};
    static const char *const cats[] = {"supply", "logistics", "processing", "livestream", "other"};
    /* the categories' names in the titles (the console's zh-CN words; the demo is Chinese) */
    static const char *const cat_zh[] = {"供货", "物流", "加工", "直播", "其他"};
    int64_t banks[16], orgs[4000];
    int nbank, norg;
    if (ids_of(c, "SELECT id FROM organisations WHERE type = 'bank' ORDER BY id", banks, 16, &nbank,
               err) ||
        ids_of(c, "SELECT id FROM organisations WHERE type = 'enterprise' ORDER BY id", orgs, 4000,
               &norg, err))
        return -1;
    if (!nbank || !norg) return pj_fail(err, 409, "conflict", "", "build the demo district first");
    for (int i = 0; i < 10; i++) {
        pj_stmt *s = pj_db_prepare(c->db,
                                   "INSERT INTO ent_bank_products (bank_id, name, min_fen, max_fen,"
                                   " rate_pct, term_months, conditions, source, created_at)"
                                   " VALUES (?,?,?,?,?,?,?,'synthetic',?)",
                                   err);
        if (!s) return -1;
        pj_stmt_int(s, 1, banks[i % nbank]);
        pj_stmt_text(s, 2, prods[i].name);
        pj_stmt_int(s, 3, (int64_t)prods[i].min_wan * 1000000);
        pj_stmt_int(s, 4, (int64_t)prods[i].max_wan * 1000000);
        pj_stmt_double(s, 5, prods[i].rate);
        pj_stmt_int(s, 6, prods[i].term);
        pj_stmt_text(s, 7, prods[i].cond);
        pj_stmt_int(s, 8, now);
        if (step1(s, NULL, err)) return -1;
    }
    /* 40 needs, ranked; every other one's best match consented, some applied or approved */
    for (int i = 0; i < 40; i++) {
        int64_t org = orgs[pj_rng_below(rng, (uint32_t)norg)], need = 0;
        int64_t amount = (int64_t)(10 + pj_rng_below(rng, 100) * 10) * 1000000;
        int64_t term = 12 * (1 + (int64_t)pj_rng_below(rng, 3));
        pj_stmt *s = pj_db_prepare(c->db,
                                   "INSERT INTO ent_fin_needs (org_id, amount_fen, term_months,"
                                   " purpose, source, created_at) VALUES (?,?,?,?,'synthetic',?)"
                                   " RETURNING id",
                                   err);
        if (!s) return -1;
        pj_stmt_int(s, 1, org);
        pj_stmt_int(s, 2, amount);
        pj_stmt_int(s, 3, term);
        pj_stmt_text(s, 4, purposes[i % 6]);
        pj_stmt_int(s, 5, now);
        int nm;
        if (step1(s, &need, err) || ent_fin_match_need(c, need, org, amount, term, &nm, err))
            return -1;
        if (!nm || i % 2) continue;
        const char *outcome = i % 8 == 0 ? "approved" : i % 4 == 0 ? "applied" : "pending";
        s = pj_db_prepare(c->db,
                          "UPDATE ent_fin_matches SET consent = 'granted', consent_at = ?, outcome"
                          " = ?, approved_fen = CASE WHEN ? = 'approved' THEN ? END, version ="
                          " version + 1 WHERE need_id = ? AND rank = 1",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, now);
        pj_stmt_text(s, 2, outcome);
        pj_stmt_text(s, 3, outcome);
        pj_stmt_int(s, 4, amount);
        pj_stmt_int(s, 5, need);
        if (step1(s, NULL, err)) return -1;
        if (strcmp(outcome, "approved")) continue;
        /* an approved match meets its need, as the API's approval does */
        s = pj_db_prepare(c->db, "UPDATE ent_fin_needs SET state = 'matched' WHERE id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, need);
        if (step1(s, NULL, err)) return -1;
    }
    /* what the banks read of the firms that consented, as the API's consent stores it */
    if (ent_fin_consent_snapshots(c, 0, err)) return -1;
    /* 60 cooperation posts in the firms' townships; a few contact requests */
    int64_t posts[60];
    for (int i = 0; i < 60; i++) {
        int64_t org = orgs[pj_rng_below(rng, (uint32_t)norg)];
        uint32_t k = pj_rng_below(rng, 5);
        const char *kind = i % 2 ? "need" : "offer", *cat = cats[k];
        char title[96];
        snprintf(title, sizeof title, "%s：%s合作 #%d", i % 2 ? "需" : "供", cat_zh[k], i + 1);
        pj_stmt *s = pj_db_prepare(c->db,
                                   "INSERT INTO ent_coop_posts (org_id, kind, category,"
                                   " township_id, title, body, source, created_at) SELECT id, ?,"
                                   " ?, township_id, ?, '演示用的供需信息（示例数据）',"
                                   " 'synthetic', ? FROM organisations WHERE id = ? RETURNING id",
                                   err);
        if (!s) return -1;
        pj_stmt_text(s, 1, kind);
        pj_stmt_text(s, 2, cat);
        pj_stmt_text(s, 3, title);
        pj_stmt_int(s, 4, now);
        pj_stmt_int(s, 5, org);
        posts[i] = 0;
        if (step1(s, &posts[i], err)) return -1;
    }
    for (int i = 0; i < 12; i++) {
        pj_stmt *s = pj_db_prepare(c->db,
                                   "INSERT INTO ent_coop_contacts (post_id, from_org_id, message,"
                                   " state, created_at, responded_at) SELECT ?, ?, '希望合作"
                                   "（示例数据）', ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM"
                                   " ent_coop_posts WHERE id = ? AND org_id = ?) ON CONFLICT DO"
                                   " NOTHING",
                                   err);
        if (!s) return -1;
        int64_t from = orgs[pj_rng_below(rng, (uint32_t)norg)];
        const char *st = i % 3 == 0 ? "accepted" : i % 3 == 1 ? "declined" : "pending";
        pj_stmt_int(s, 1, posts[i * 5]);
        pj_stmt_int(s, 2, from);
        pj_stmt_text(s, 3, st);
        pj_stmt_int(s, 4, now);
        if (strcmp(st, "pending"))
            pj_stmt_int(s, 5, now);
        else
            pj_stmt_null(s, 5);
        pj_stmt_int(s, 6, posts[i * 5]);
        pj_stmt_int(s, 7, from);
        if (step1(s, NULL, err)) return -1;
    }
    return 0;
}
