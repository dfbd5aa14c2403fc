/* The e-commerce demo: the seed's figures (source 'seed') — the "1+5+N" bases by name, 40
 * studios at the 供销 village-streaming park, 140 streamers averaging exactly 10,000 followers,
 * 284 zone enterprises — and the synthetic detail around them (source 'synthetic'): village
 * points, other studios, the streamers' names and numbers, sessions, products and sales. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/ecommerce_int.h"

#include "core/banned.h"

typedef struct ecd {
    pj_ctx *c;
    pj_err *err;
    uint64_t rng;
} ecd;

static uint64_t rnd(ecd *d)
{
    d->rng ^= d->rng << 13;
    d->rng ^= d->rng >> 7;
    d->rng ^= d->rng << 17;
    return d->rng;
}
static int64_t range(ecd *d, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rnd(d) % (uint64_t)(hi - lo + 1));
}

/* Runs sql with the given text/int parameters ('s' / 'i' / 'n' for NULL in kinds); returns the
 * id of RETURNING id when ret, 0 else; -1 on error. */
static int64_t run(ecd *d, const char *sql, const char *kinds, const char *const *sv,
                   const int64_t *iv, int ret)
{
    pj_stmt *s = pj_db_prepare(d->c->db, sql, d->err);
    if (!s) return -1;
    for (int i = 0; kinds[i]; i++) {
        if (kinds[i] == 's')
            pj_stmt_text(s, i + 1, sv[i]);
        else if (kinds[i] == 'i')
            pj_stmt_int(s, i + 1, iv[i]);
        else
            pj_stmt_null(s, i + 1);
    }
    int rc = pj_stmt_step(s, d->err);
    int64_t id = ret && rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    return rc < 0 ? -1 : id;
}

static int64_t town_named(ecd *d, const char *name)
{
    pj_stmt *s = pj_db_prepare(
        d->c->db, "SELECT id FROM regions WHERE type = 'township' AND name = ?", d->err);
    if (!s) return -1;
    pj_stmt_text(s, 1, name);
    int rc = pj_stmt_step(s, d->err);
    int64_t id = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    return rc < 0 ? -1 : id;
}

static int64_t add_base(ecd *d, const char *name, const char *tier, int64_t town,
                        const char *source)
{
    int64_t now = pj_now();
    const char *sv[] = {name, tier, NULL, source, NULL, NULL};
    int64_t iv[] = {0, 0, town, 0, now, now};
    return run(d,
               "INSERT INTO ec_bases (name, tier, township_id, source, created_at, updated_at)"
               " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
               town > 0 ? "ssisii" : "ssnsii", sv, iv, 1);
}

static int add_studios(ecd *d, int64_t base, int n, const char *prefix, const char *source)
{
    for (int i = 1; i <= n; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s%02d", prefix, i);
        const char *sv[] = {NULL, name, source, NULL};
        int64_t iv[] = {base, 0, 0, pj_now()};
        if (run(d, "INSERT INTO ec_studios (base_id, name, source, created_at) VALUES (?, ?, ?, ?)",
                "issi", sv, iv, 0) < 0)
            return -1;
    }
    return 0;
}

/* A valid synthetic resident ID number: Pinggu's area code 110117, the birth date, a sequence
 * and the check digit. */
static void id_number(const char *birth, int seq, char out[19])
{
    static const int wt[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char chk[] = "10X98765432";
    snprintf(out, 19, "110117%.4s%.2s%.2s%03d", birth, birth + 5, birth + 8, seq % 1000);
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (out[i] - '0') * wt[i];
    out[17] = chk[sum % 11];
    out[18] = 0;
}

int pj_ecommerce_demo(pj_ctx *c, uint64_t seed, pj_err *err)
{
    static const char *const hq = "中国乐谷·村播学院总部基地";
    static const char *const gongxiao = "国农港智慧云供销村播产业园";
    static const char *const platforms[] = {
        gongxiao, "农业中关村现代食品营养谷直播电商基地", "现代食品营养产业链直播示范区",
        "丝路电商休闲消费直播体验区", "现代物流仓播仓配供应链集聚区"};
    static const struct {
        const char *name, *cat;
    } products[] = {{"平谷大桃", "peach"},         {"平谷鲜鸡蛋", "eggs"},
                    {"北寨红杏", "fruit"},         {"平谷小米", "grain"},
                    {"平谷蜂蜜", "food"},          {"磨盘柿", "fruit"},
                    {"有机蔬菜礼盒", "vegetable"}, {"露营休闲套票", "culture_tourism"}};
    static const char *const cats[] = {"peach,farming",   "eggs",        "farming,grain",
                                       "culture_tourism", "fruit,peach", "vegetable"};
    ecd d = {c, err, seed * 2654435761u + 88172645463325252u};
    if (!d.rng) d.rng = 1;
    pj_stmt *q = pj_db_prepare(c->db, "SELECT COUNT(*) FROM ec_bases WHERE name = ?", err);
    if (!q) return -1;
    pj_stmt_text(q, 1, hq);
    int have = pj_stmt_step(q, err);
    int64_t n_have = have == 1 ? pj_col_int(q, 0) : 0;
    pj_stmt_done(q);
    if (have < 0) return -1;
    if (n_have) return 0; /* loaded already */
    if (pj_db_begin(c->db, err)) return -1;
    int64_t now = pj_now();
    /* the 1 + 5: names from the seed; townships only where the place is known */
    int64_t mafang = town_named(&d, "马坊地区"), yukou = town_named(&d, "峪口地区");
    if (mafang < 0 || yukou < 0) goto fail;
    int64_t hq_id = add_base(&d, hq, "hq", mafang, "seed");
    if (hq_id < 0 || add_studios(&d, hq_id, 8, "实训直播间", "synthetic")) goto fail;
    int64_t plat_id[5];
    for (int i = 0; i < 5; i++) {
        plat_id[i] = add_base(&d, platforms[i], "platform", i == 0 ? yukou : 0, "seed");
        if (plat_id[i] < 0) goto fail;
        /* the seed's 40 studios at the 供销 park; 4 synthetic ones elsewhere */
        if (add_studios(&d, plat_id[i], i == 0 ? 40 : 4, "直播间", i == 0 ? "seed" : "synthetic"))
            goto fail;
    }
    /* N village points (synthetic): one village of each of 8 townships */
    int64_t vil_base[8];
    int nvil = 0;
    q = pj_db_prepare(c->db,
                      "SELECT t.name || v.name, v.parent_id FROM regions v JOIN regions t ON t.id ="
                      " v.parent_id WHERE v.type = 'village' AND"
                      " v.id = (SELECT MIN(v2.id) FROM regions v2 WHERE v2.type = 'village' AND"
                      " v2.parent_id = v.parent_id) ORDER BY v.id LIMIT 8",
                      err);
    if (!q) goto fail;
    char vnames[8][96];
    int64_t vtown[8];
    int k;
    while ((k = pj_stmt_step(q, err)) == 1 && nvil < 8) {
        snprintf(vnames[nvil], sizeof vnames[nvil], "%s村播点", pj_col_text(q, 0));
        vtown[nvil++] = pj_col_int(q, 1);
    }
    pj_stmt_done(q);
    if (k < 0) goto fail;
    for (int i = 0; i < nvil; i++) {
        if ((vil_base[i] = add_base(&d, vnames[i], "village", vtown[i], "synthetic")) < 0 ||
            add_studios(&d, vil_base[i], 1, "村播间", "synthetic"))
            goto fail;
    }
    /* products (synthetic detail; 平谷大桃 from the seed's scenes) and monthly sales */
    int64_t prod[8];
    for (int i = 0; i < 8; i++) {
        const char *sv[] = {products[i].name, products[i].cat, i == 0 ? "seed" : "synthetic", NULL};
        int64_t iv[] = {0, 0, 0, now};
        if ((prod[i] = run(&d,
                           "INSERT INTO ec_products (name, category, source, created_at) VALUES"
                           " (?, ?, ?, ?) RETURNING id",
                           "sssi", sv, iv, 1)) < 0)
            goto fail;
        for (int m = 1; m <= 6; m++)
            for (int ch = 0; ch < 3; ch++) {
                char month[8];
                snprintf(month, sizeof month, "2024-%02d", m);
                int64_t orders = range(&d, 200, 5000);
                const char *sv2[] = {NULL,        month, pj_ec_channels[ch], NULL, NULL,
                                     "synthetic", NULL};
                int64_t iv2[] = {prod[i], 0, 0, orders, orders * range(&d, 3000, 12000), 0, now};
                if (run(&d,
                        "INSERT INTO ec_product_sales (product_id, month, channel, orders,"
                        " gmv_fen, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        "issiisi", sv2, iv2, 0) < 0)
                    goto fail;
            }
    }
    /* 140 streamers (the seed's count); followers on 2024-06-30 sum to exactly 1,400,000 —
     * the seed's average of 10,000 — in pairs 10,000 ± δ */
    int64_t delta = 0;
    for (int i = 0; i < 140; i++) {
        char name[32], birth[11], idn[19], phone[12];
        snprintf(name, sizeof name, "新农人主播%03d", i + 1);
        snprintf(birth, sizeof birth, "%04d-%02d-%02d", (int)range(&d, 1975, 2004),
                 (int)range(&d, 1, 12), (int)range(&d, 1, 28));
        id_number(birth, i + 1, idn);
        snprintf(phone, sizeof phone, "139%08d", (int)range(&d, 0, 99999999));
        int64_t base = i < 60    ? hq_id
                       : i < 100 ? plat_id[i % 5]
                       : nvil    ? vil_base[i % nvil]
                                 : hq_id;
        const char *sv[] = {name, idn,         phone,       birth, NULL, NULL,
                            NULL, cats[i % 6], "synthetic", NULL,  NULL};
        int64_t iv[] = {0, 0, 0, 0, range(&d, 1, 5), base, base, 0, 0, now, now};
        int64_t sid = run(&d,
                          "INSERT INTO ec_streamers (name, id_number, phone, birth_date,"
                          " skill_level, base_id, township_id, categories, source, created_at,"
                          " updated_at) VALUES (?, ?, ?, ?, ?, ?, (SELECT township_id FROM"
                          " ec_bases WHERE id = ?), ?, ?, ?, ?) RETURNING id",
                          "ssssiiissii", sv, iv, 1);
        if (sid < 0) goto fail;
        if (i % 2 == 0) delta = range(&d, -8000, 8000);
        int64_t latest = 10000 + (i % 2 ? -delta : delta);
        static const char *const asof[] = {"2024-04-30", "2024-05-31", "2024-06-30"};
        for (int t = 0; t < 3; t++) {
            int64_t n = t == 2 ? latest : latest * (8 + t) / 10;
            const char *fs[] = {NULL, "douyin", asof[t], NULL, "synthetic", NULL};
            int64_t fi[] = {sid, 0, 0, n, 0, now};
            if (run(&d,
                    "INSERT INTO ec_followers (streamer_id, platform, as_of, followers, source,"
                    " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    "issisi", fs, fi, 0) < 0)
                goto fail;
        }
        /* two sessions each in H1 2024 (synthetic) */
        for (int e = 0; e < 2; e++) {
            char day[11];
            snprintf(day, sizeof day, "2024-%02d-%02d", (int)range(&d, 1, 6),
                     (int)range(&d, 1, 28));
            int64_t orders = range(&d, 20, 800);
            const char *es[] = {NULL, "douyin", day, NULL, NULL, NULL, "synthetic", NULL, "demo"};
            int64_t ei[] = {sid, 0,   0, range(&d, 60, 240), orders, orders * range(&d, 3000, 9000),
                            0,   now, 0};
            int64_t eid = run(&d,
                              "INSERT INTO ec_sessions (streamer_id, platform, day, duration_min,"
                              " orders, gmv_fen, source, created_at, created_by) VALUES (?, ?, ?,"
                              " ?, ?, ?, ?, ?, ?) RETURNING id",
                              "issiiisis", es, ei, 1);
            int64_t pi[] = {eid, prod[(i + e) % 8]};
            if (eid < 0 ||
                run(&d, "INSERT INTO ec_session_products (session_id, product_id) VALUES (?, ?)",
                    "ii", NULL, pi, 0) < 0)
                goto fail;
        }
    }
    /* the zone's 284 enterprises (the seed's count; names and the split synthetic) */
    static const struct {
        const char *kind, *label;
        int n;
    } kinds[] = {{"ecommerce", "电商企业", 160},
                 {"mcn", "MCN机构", 70},
                 {"internet_service", "互联网服务企业", 54}};
    for (int kk = 0; kk < 3; kk++)
        for (int i = 1; i <= kinds[kk].n; i++) {
            char name[64];
            snprintf(name, sizeof name, "功能区%s%03d", kinds[kk].label, i);
            const char *sv[] = {name, kinds[kk].kind, "synthetic", NULL};
            int64_t iv[] = {0, 0, 0, now};
            if (run(&d,
                    "INSERT INTO ec_zone_enterprises (name, kind, source, created_at) VALUES (?,"
                    " ?, ?, ?)",
                    "sssi", sv, iv, 0) < 0)
                goto fail;
        }
    if (pj_audit_add(c, "demo", "ecommerce", hq_id, NULL,
                     "{\"bases\":\"1+5+N\",\"streamers\":140,\"avg_followers\":10000,"
                     "\"zone_enterprises\":284,\"gongxiao_studios\":40}",
                     err) ||
        pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
