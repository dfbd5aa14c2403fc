/* The e-commerce demo: the seed's figures (source 'seed') — the "1+5+N" bases by name, 40
 * studios at the 供销 village-streaming park, 140 streamers averaging exactly 10,000 followers,
 * 284 zone enterprises — and the synthetic detail around them (source 'synthetic'): village
 * points, other studios, the streamers' names, numbers and platforms, the MCN agencies and the
 * demo enterprise (京东) among the zone enterprises with their own streamers, studio bookings,
 * sessions, products and sales.
 *
 * Dates run on the clock, like the other modules' demos: the activity covers the 24 months
 * before today (the district's date), the followers are counted at the last three month ends,
 * the bookings run from four weeks ago to three weeks ahead. Sessions follow the products'
 * seasons, and a product's livestream sales of a month are its sessions' of that month. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "db/next_id.h"
#include "domain/audit.h"
#include "domain/ecommerce_int.h"
#include "domain/enterprise_calendar.h"
#include "domain/indicator.h"
#include "domain/registry.h"

#include "core/banned.h"

const ec_demo_product ec_demo_products[] = {
    /* ripen July–September */
    {"平谷大桃", "peach", "seed", 6800, 12800, {0, 0, 0, 0, 1, 3, 10, 10, 7, 1, 0, 0}},
    {"平谷鲜鸡蛋", "eggs", "synthetic", 2800, 5800, {3, 3, 2, 2, 2, 2, 2, 2, 3, 2, 2, 3}},
    /* June */
    {"北寨红杏", "fruit", "synthetic", 4800, 8800, {0, 0, 0, 0, 2, 10, 2, 0, 0, 0, 0, 0}},
    /* new millet from October */
    {"平谷小米", "grain", "synthetic", 2800, 5800, {2, 2, 1, 1, 1, 1, 1, 1, 2, 4, 4, 3}},
    {"平谷蜂蜜", "food", "synthetic", 4800, 11800, {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}},
    /* October–December, frozen persimmons into January */
    {"磨盘柿", "fruit", "synthetic", 3800, 7800, {2, 0, 0, 0, 0, 0, 0, 0, 1, 6, 8, 4}},
    /* picked in September–October, stored into winter */
    {"佛见喜梨", "fruit", "synthetic", 5800, 9800, {1, 0, 0, 0, 0, 0, 0, 1, 6, 8, 4, 2}},
    {"有机蔬菜礼盒", "vegetable", "synthetic", 7800, 14800, {3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3}},
    /* camping from spring to the National Day holiday */
    {"露营休闲套票",
     "culture_tourism",
     "synthetic",
     19800,
     59800,
     {0, 0, 1, 4, 6, 5, 7, 7, 5, 6, 1, 0}},
};
const int ec_demo_nproducts = (int)(sizeof ec_demo_products / sizeof ec_demo_products[0]);

/* a streamer's category → the products they sell (indexes above) */
static const struct {
    const char *cat;
    int p[3], n;
} cat_products[] = {{"peach", {0}, 1},     {"eggs", {1}, 1},           {"fruit", {2, 5, 6}, 3},
                    {"grain", {3}, 1},     {"farming", {4}, 1},        {"food", {4}, 1},
                    {"vegetable", {7}, 1}, {"culture_tourism", {8}, 1}};

/* the products of cats: 1 at their indexes in in[] */
static void products_of(const char *cats, int in[])
{
    memset(in, 0, sizeof(int) * (size_t)ec_demo_nproducts);
    if (!cats) {
        for (int i = 0; i < ec_demo_nproducts; i++) in[i] = 1;
        return;
    }
    while (*cats) {
        const char *e = strchr(cats, ',');
        size_t n = e ? (size_t)(e - cats) : strlen(cats);
        for (size_t k = 0; k < sizeof cat_products / sizeof cat_products[0]; k++)
            if (strlen(cat_products[k].cat) == n && !strncmp(cat_products[k].cat, cats, n))
                for (int j = 0; j < cat_products[k].n; j++) in[cat_products[k].p[j]] = 1;
        cats += n + (e ? 1 : 0);
    }
}

/* the sum of the season weights of cats' products on month m */
static int season_weight(const char *cats, int m)
{
    int in[16], w = 0;
    products_of(cats, in);
    for (int i = 0; i < ec_demo_nproducts; i++)
        if (in[i]) w += ec_demo_products[i].season[m - 1];
    return w;
}

int ec_demo_pick(const char *cats, int m, uint64_t r)
{
    int w = season_weight(cats, m);
    if (w <= 0) return -1;
    int in[16];
    products_of(cats, in);
    int x = (int)(r % (uint64_t)w);
    for (int i = 0; i < ec_demo_nproducts; i++) {
        if (!in[i]) continue;
        x -= ec_demo_products[i].season[m - 1];
        if (x < 0) return i;
    }
    return -1;
}

int ec_demo_derive_livestream(pj_ctx *c, pj_err *err)
{
    return ec_livestream_derive(c, 0, NULL, err);
}

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

static int64_t town_named(ecd *d, const char *name)
{
    int64_t id = ec_run(d->c, d->err, "SELECT id FROM regions WHERE type = 'township' AND name = ?",
                        "s", name);
    return id;
}

static int64_t add_base(ecd *d, const char *name, const char *tier, int64_t town,
                        const char *source)
{
    int64_t now = pj_now();
    return ec_run(d->c, d->err,
                  "INSERT INTO ec_bases (name, tier, township_id, source, created_at, updated_at)"
                  " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                  "ssrsii", name, tier, town, source, now, now);
}

/* n studios of base; their ids into ids[] (up to cap) */
static int add_studios(ecd *d, int64_t base, int n, const char *prefix, const char *source,
                       int64_t *ids, int cap)
{
    for (int i = 1; i <= n; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s%02d", prefix, i);
        int64_t id = ec_run(d->c, d->err,
                            "INSERT INTO ec_studios (base_id, name, source, created_at) VALUES"
                            " (?, ?, ?, ?) RETURNING id",
                            "issi", base, name, source, pj_now());
        if (id <= 0) return -1;
        if (i <= cap) ids[i - 1] = id;
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

static int month_days(int y, int m)
{
    static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return md[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

#define NSTREAMERS 140

typedef struct demo_streamer {
    int64_t id, org, base, from, to; /* active from / to (days) */
    const char *cats;
    const char *plat[3];
    int nplat;
} demo_streamer;

/* the demo's zone organisations with a registry organisation: the demo enterprise and MCN
 * agencies (synthetic names) */
typedef struct zone_org {
    int64_t org, town;
    const char *name;
} zone_org;

static int add_org(ecd *d, const char *name, int64_t town, int64_t *id)
{
    int64_t now = pj_now();
    *id = ec_run(d->c, d->err,
                 "INSERT INTO organisations (id, name, type, industry, township_id, source,"
                 " created_at, updated_at) VALUES (" PJ_NEXT_ID(
                     "organisations") ", ?, 'enterprise', 'ecommerce', ?, 'synthetic', ?, ?)"
                                      " RETURNING id",
                 "srii", name, town, now, now);
    return *id > 0 ? 0 : -1;
}

/* A zone enterprise row (of the 284) given to a registry organisation: renamed, settled. */
static int zone_for_org(ecd *d, const char *kind, int nth, const char *name, int64_t org,
                        const char *settled, int64_t base)
{
    return ec_run(d->c, d->err,
                  "UPDATE ec_zone_enterprises SET name = ?, organisation_id = ?, settled_on = ?,"
                  " base_id = ? WHERE id = (SELECT id FROM ec_zone_enterprises WHERE kind = ?"
                  " ORDER BY id LIMIT 1 OFFSET ?)",
                  "sisrsi", name, org, settled, base, kind, (int64_t)nth) < 0
               ? -1
               : 0;
}

int pj_ecommerce_demo(pj_ctx *c, uint64_t seed, pj_err *err)
{
    static const char *const hq = "中国乐谷·村播学院总部基地";
    static const char *const gongxiao = "国农港智慧云供销村播产业园";
    static const char *const platforms[] = {
        gongxiao, "农业中关村现代食品营养谷直播电商基地", "现代食品营养产业链直播示范区",
        "丝路电商休闲消费直播体验区", "现代物流仓播仓配供应链集聚区"};
    static const char *const cats[] = {"peach,farming",   "eggs",        "farming,grain",
                                       "culture_tourism", "fruit,peach", "vegetable"};
    ecd d = {c, err, seed * 2654435761u + 88172645463325252u};
    if (!d.rng) d.rng = 1;
    int64_t n_have = ec_run(c, err, "SELECT COUNT(*) FROM ec_bases WHERE name = ?", "s", hq);
    if (n_have < 0) return -1;
    if (n_have) return 0; /* loaded already */
    if (pj_db_begin(c->db, err)) return -1;
    int64_t now = pj_now(), today = ec_today();
    int ty, tm, td;
    pj_cal_to_civil((int32_t)today, &ty, &tm, &td);
    /* the first day of the month 24 months back */
    int wy = ty - 2, wm = tm;
    int64_t w0 = pj_days_from_civil(wy, wm, 1);
    /* the 1 + 5: names from the seed; townships only where the place is known */
    int64_t mafang = town_named(&d, "马坊地区"), yukou = town_named(&d, "峪口地区");
    if (mafang < 0 || yukou < 0) goto fail;
    int64_t hq_id = add_base(&d, hq, "hq", mafang, "seed");
    int64_t hq_studio[8], gx_studio[40], plat_studio[5][4];
    if (hq_id < 0 || add_studios(&d, hq_id, 8, "实训直播间", "synthetic", hq_studio, 8)) goto fail;
    int64_t plat_id[5];
    for (int i = 0; i < 5; i++) {
        plat_id[i] = add_base(&d, platforms[i], "platform", i == 0 ? yukou : 0, "seed");
        if (plat_id[i] < 0) goto fail;
        /* the seed's 40 studios at the 供销 park; 4 synthetic ones elsewhere */
        if (add_studios(&d, plat_id[i], i == 0 ? 40 : 4, "直播间", i == 0 ? "seed" : "synthetic",
                        i == 0 ? gx_studio : plat_studio[i], i == 0 ? 40 : 4))
            goto fail;
    }
    /* N village points (synthetic): one village of each of 8 townships */
    int64_t vil_base[8], vil_studio[8];
    int nvil = 0;
    pj_stmt *q = pj_db_prepare(
        c->db,
        "SELECT t.name || v.name, v.parent_id, t.name FROM regions v JOIN regions t ON t.id ="
        " v.parent_id WHERE v.type = 'village' AND"
        " v.id = (SELECT MIN(v2.id) FROM regions v2 WHERE v2.type = 'village' AND"
        " v2.parent_id = v.parent_id) ORDER BY v.id LIMIT 8",
        err);
    if (!q) goto fail;
    char vnames[8][96], vtname[8][48];
    int64_t vtown[8];
    int k;
    while ((k = pj_stmt_step(q, err)) == 1 && nvil < 8) {
        snprintf(vnames[nvil], sizeof vnames[nvil], "%s村播点", pj_col_text(q, 0));
        snprintf(vtname[nvil], sizeof vtname[nvil], "%s", pj_col_text(q, 2));
        vtown[nvil++] = pj_col_int(q, 1);
    }
    pj_stmt_done(q);
    if (k < 0) goto fail;
    for (int i = 0; i < nvil; i++) {
        if ((vil_base[i] = add_base(&d, vnames[i], "village", vtown[i], "synthetic")) < 0 ||
            add_studios(&d, vil_base[i], 1, "村播间", "synthetic", &vil_studio[i], 1))
            goto fail;
    }
    /* products (synthetic detail; 平谷大桃 from the seed's scenes) */
    int64_t prod[16];
    for (int i = 0; i < ec_demo_nproducts; i++)
        if ((prod[i] = ec_run(c, err,
                              "INSERT INTO ec_products (name, category, source, created_at) VALUES"
                              " (?, ?, ?, ?) RETURNING id",
                              "sssi", ec_demo_products[i].name, ec_demo_products[i].category,
                              ec_demo_products[i].source, now)) <= 0)
            goto fail;
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
            if (ec_run(c, err,
                       "INSERT INTO ec_zone_enterprises (name, kind, source, created_at) VALUES"
                       " (?, ?, 'synthetic', ?)",
                       "ssi", name, kinds[kk].kind, now) < 0)
                goto fail;
        }
    /* the demo enterprise's organisation (京东, 马坊) settled in the zone at the warehouse-
     * streaming cluster; MCN agencies (synthetic organisations) of the HQ's township, of the
     * 供销 park's and of two village points' */
    zone_org zo[6];
    int nzo = 0;
    int64_t jd =
        ec_run(c, err, "SELECT id FROM organisations WHERE name = '京东（平谷）物流有限公司'", "");
    int64_t jd_town =
        jd > 0 ? ec_run(c, err, "SELECT township_id FROM organisations WHERE id = ?", "i", jd) : 0;
    if (jd < 0 || jd_town < 0) goto fail;
    if (jd > 0) {
        if (zone_for_org(&d, "ecommerce", 0, "京东（平谷）物流有限公司", jd, "2022-05-16",
                         plat_id[4]))
            goto fail;
        zo[nzo++] = (zone_org){jd, jd_town, "京东（平谷）物流有限公司"};
    }
    {
        char vn[2][96];
        snprintf(vn[0], sizeof vn[0], "北京%.*s村播文化传媒有限公司", 6,
                 nvil > 0 ? vtname[0] : "平谷");
        snprintf(vn[1], sizeof vn[1], "北京%.*s乡味电子商务有限公司", 6,
                 nvil > 1 ? vtname[1] : "平谷");
        const struct {
            const char *name;
            int64_t town, base;
            const char *settled;
        } mcn[] = {
            {"北京桃乡新农人文化传媒有限公司", mafang, plat_id[1], "2021-09-06"},
            {"北京乐谷村播网络科技有限公司", mafang, plat_id[2], "2022-03-21"},
            {"北京云供销直播电子商务有限公司", yukou, plat_id[0], "2021-11-15"},
            {vn[0], nvil > 0 ? vtown[0] : mafang, plat_id[3], "2022-07-04"},
            {vn[1], nvil > 1 ? vtown[1] : mafang, plat_id[3], "2022-10-10"},
        };
        for (int i = 0; i < 5; i++) {
            int64_t org;
            if (add_org(&d, mcn[i].name, mcn[i].town, &org) ||
                zone_for_org(&d, "mcn", i, mcn[i].name, org, mcn[i].settled, mcn[i].base))
                goto fail;
            zo[nzo++] = (zone_org){org, mcn[i].town, mcn[i].name};
        }
    }
    /* 140 streamers (the seed's count); followers at the last month end sum to exactly
     * 1,400,000 — the seed's average of 10,000 — in pairs 10,000 ± δ, each streamer's spread
     * over one to three platforms */
    demo_streamer sx[NSTREAMERS];
    memset(sx, 0, sizeof sx);
    int64_t asof_day[3];
    for (int t = 0; t < 3; t++) {
        /* the last day of the month 3 - t months before today's */
        int y = ty, m = tm - (3 - t);
        while (m < 1) m += 12, y--;
        asof_day[t] = pj_days_from_civil(y, m, month_days(y, m));
    }
    int64_t delta = 0;
    for (int i = 0; i < NSTREAMERS; i++) {
        demo_streamer *x = &sx[i];
        char name[32], birth[11], idn[19], phone[12];
        snprintf(name, sizeof name, "新农人主播%03d", i + 1);
        /* draws in a fixed order, the day first (arguments and operands are evaluated in an
         * order of the compiler's: the same seed made other streamers with another compiler) */
        int bd = (int)range(&d, 1, 28), bm = (int)range(&d, 1, 12), by = (int)range(&d, 1975, 2004);
        snprintf(birth, sizeof birth, "%04d-%02d-%02d", by, bm, bd);
        id_number(birth, i + 1, idn);
        snprintf(phone, sizeof phone, "139%08d", (int)range(&d, 0, 99999999));
        int vi = nvil ? i % nvil : 0;
        x->base = i < 60 ? hq_id : i < 100 ? plat_id[i % 5] : nvil ? vil_base[vi] : hq_id;
        x->cats = cats[i % 6];
        /* organisations: the demo enterprise and two MCNs sign streamers of the HQ (马坊), one
         * MCN the 供销 park's (峪口), two those of their village points — always streamers of
         * the organisation's own township */
        int64_t org = 0;
        if (i < 60) {
            int r = i % 10;
            if (r == 3 && jd > 0 && jd_town == mafang)
                org = jd;
            else if (r == 1)
                org = zo[nzo - 5].org;
            else if (r == 8)
                org = zo[nzo - 4].org;
        } else if (i < 100) {
            if (i % 5 == 0) org = zo[nzo - 3].org;
        } else if (nvil > 1 && vi < 2 && i < 124) {
            org = zo[nzo - 2 + vi].org;
        }
        x->org = org;
        x->id = ec_run(c, err,
                       "INSERT INTO ec_streamers (name, id_number, phone, birth_date,"
                       " skill_level, organisation_id, base_id, township_id, categories, source,"
                       " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT township_id"
                       " FROM ec_bases WHERE id = ?), ?, 'synthetic', ?, ?) RETURNING id",
                       "ssssiriisii", name, idn, phone, birth, range(&d, 1, 5), org, x->base,
                       x->base, x->cats, now, now);
        if (x->id <= 0) goto fail;
        /* platforms: the demo enterprise's streamers on its own; else mostly Douyin */
        static const char *const others[] = {"douyin",      "kuaishou", "wechat_channels",
                                             "xiaohongshu", "taobao",   "pinduoduo"};
        int64_t r = range(&d, 0, 99);
        const char *primary = org && org == jd                                ? "jd"
                              : !strcmp(x->cats, "culture_tourism") && r < 30 ? "xiaohongshu"
                              : r < 55                                        ? "douyin"
                              : r < 75                                        ? "kuaishou"
                              : r < 87                                        ? "wechat_channels"
                              : r < 93                                        ? "xiaohongshu"
                              : r < 97                                        ? "taobao"
                                                                              : "pinduoduo";
        x->plat[0] = primary;
        int64_t p2 = range(&d, 0, 9), p3 = range(&d, 0, 9); /* in this order */
        x->nplat = 1 + (p2 >= 4) + (p3 >= 7);
        for (int p = 1; p < x->nplat; p++) {
            const char *o;
            int dup;
            do {
                o = others[range(&d, 0, 5)];
                dup = 0;
                for (int q2 = 0; q2 < p; q2++) dup |= !strcmp(o, x->plat[q2]);
            } while (dup);
            x->plat[p] = o;
        }
        if (i % 2 == 0) delta = range(&d, -8000, 8000);
        int64_t latest = 10000 + (i % 2 ? -delta : delta);
        /* the primary platform holds 55–85 %, the rest split; the parts sum to latest */
        int64_t part[3], left = latest;
        part[0] = x->nplat == 1 ? latest : latest * range(&d, 55, 85) / 100;
        left -= part[0];
        for (int p = 1; p < x->nplat; p++) {
            part[p] = p == x->nplat - 1 ? left : left * range(&d, 40, 70) / 100;
            left -= part[p];
        }
        for (int p = 0; p < x->nplat; p++)
            for (int t = 0; t < 3; t++) {
                char asof[11];
                ec_day_str(asof_day[t], asof);
                int64_t n = t == 2 ? part[p] : part[p] * (8 + t) / 10;
                if (ec_run(c, err,
                           "INSERT INTO ec_followers (streamer_id, platform, as_of, followers,"
                           " source, created_at) VALUES (?, ?, ?, ?, 'synthetic', ?)",
                           "issii", x->id, x->plat[p], asof, n, now) < 0)
                    goto fail;
            }
        /* active: most through today; a fifth started within the window, one in eight stopped */
        x->from = range(&d, 0, 4) ? w0 - 30 : w0 + range(&d, 30, 420);
        x->to = range(&d, 0, 7) ? today - 1 : x->from + range(&d, 150, 500);
        if (x->to > today - 1) x->to = today - 1;
    }
    /* sessions month by month, as many as the streamer's products are in season, each selling
     * one product */
    for (int i = 0; i < NSTREAMERS; i++) {
        demo_streamer *x = &sx[i];
        int had = 0;
        for (int mi = 0; mi <= 24; mi++) {
            int y = wy + (wm - 1 + mi) / 12, m = (wm - 1 + mi) % 12 + 1;
            int64_t first = pj_days_from_civil(y, m, 1), last = first + month_days(y, m) - 1;
            if (first < x->from) first = x->from;
            if (last > x->to) last = x->to;
            int w = season_weight(x->cats, m);
            if (first > last || w <= 0) continue;
            int64_t share = range(&d, 12, 32), extra = range(&d, 0, 99); /* in this order */
            int64_t n = (w * share + extra) / 100;
            /* a month streamed in part (the running month up to yesterday, a streamer starting
             * or stopping within it) has its share of the month's sessions, not all of them
             * crammed into its days */
            int md = month_days(y, m);
            n = (n * (last - first + 1) + md / 2) / md;
            if (!had && mi == 24 && n == 0) n = 1; /* every streamer has streamed */
            for (int64_t e = 0; e < n; e++) {
                int pi = ec_demo_pick(x->cats, m, rnd(&d));
                if (pi < 0) continue;
                const ec_demo_product *p = &ec_demo_products[pi];
                char day[11];
                ec_day_str(range(&d, first, last), day);
                int64_t base = range(&d, 15, 60), peak = range(&d, 5, 40); /* in this order */
                int64_t orders = base + p->season[m - 1] * peak;
                int64_t gmv = orders * range(&d, p->price_lo, p->price_hi);
                const char *plat = x->plat[range(&d, 0, 9) < 7 ? 0 : range(&d, 0, x->nplat - 1)];
                int64_t sid = ec_run(
                    c, err,
                    "INSERT INTO ec_sessions (id, streamer_id, platform, day,"
                    " duration_min, orders, gmv_fen, source, created_at,"
                    " created_by) VALUES (" PJ_NEXT_ID(
                        "ec_sessions") ", ?,"
                                       " ?, ?, ?, ?, ?, 'synthetic', ?, 'demo') RETURNING id",
                    "issiiii", x->id, plat, day, range(&d, 60, 240), orders, gmv, now);
                if (sid <= 0 || ec_run(c, err,
                                       "INSERT INTO ec_session_products (session_id, product_id)"
                                       " VALUES (?, ?)",
                                       "ii", sid, prod[pi]) < 0)
                    goto fail;
                had = 1;
            }
        }
        if (!had) {
            /* one session in the last month the streamer was active, of any product in season */
            int y, m, dd;
            pj_cal_to_civil((int32_t)x->to, &y, &m, &dd);
            int pi = ec_demo_pick(NULL, m, rnd(&d));
            char day[11];
            ec_day_str(x->to, day);
            int64_t orders = range(&d, 15, 60);
            int64_t sid = ec_run(
                c, err,
                "INSERT INTO ec_sessions (id, streamer_id, platform, day,"
                " duration_min, orders, gmv_fen, source, created_at, created_by)"
                " VALUES (" PJ_NEXT_ID(
                    "ec_sessions") ", ?, ?, ?, ?, ?, ?, 'synthetic', ?, 'demo') RETURNING id",
                "issiiii", x->id, x->plat[0], day, range(&d, 60, 240), orders,
                orders * ec_demo_products[pi].price_lo, now);
            if (sid <= 0 || ec_run(c, err,
                                   "INSERT INTO ec_session_products (session_id, product_id)"
                                   " VALUES (?, ?)",
                                   "ii", sid, prod[pi]) < 0)
                goto fail;
        }
    }
    /* monthly sales: livestream from the sessions; the online shop and offline in proportion
     * (the roadside and farm-gate trade of fresh fruit larger) */
    if (ec_demo_derive_livestream(c, err)) goto fail;
    {
        struct {
            int64_t product, orders, gmv;
            char month[8];
            int pi;
        } ls[16 * 26];
        int nls = 0;
        q = pj_db_prepare(c->db,
                          "SELECT product_id, month, orders, gmv_fen FROM ec_product_sales WHERE"
                          " channel = 'livestream' ORDER BY product_id, month",
                          err);
        if (!q) goto fail;
        while ((k = pj_stmt_step(q, err)) == 1 && nls < (int)(sizeof ls / sizeof ls[0])) {
            ls[nls].product = pj_col_int(q, 0);
            snprintf(ls[nls].month, sizeof ls[nls].month, "%s", pj_col_text(q, 1));
            ls[nls].orders = pj_col_int(q, 2);
            ls[nls].gmv = pj_col_int(q, 3);
            ls[nls].pi = 0;
            for (int i = 0; i < ec_demo_nproducts; i++)
                if (prod[i] == ls[nls].product) ls[nls].pi = i;
            nls++;
        }
        pj_stmt_done(q);
        if (k < 0) goto fail;
        for (int i = 0; i < nls; i++) {
            int fresh = !strcmp(ec_demo_products[ls[i].pi].category, "peach") ||
                        !strcmp(ec_demo_products[ls[i].pi].category, "fruit");
            const struct {
                const char *ch;
                int64_t lo, hi;
            } ch[] = {{"ecommerce", 30, 80}, {"offline", fresh ? 60 : 10, fresh ? 150 : 50}};
            for (int j = 0; j < 2; j++) {
                int64_t pct = range(&d, ch[j].lo, ch[j].hi);
                int64_t orders = ls[i].orders * pct / 100, gmv = ls[i].gmv * pct / 100;
                if (orders <= 0) continue;
                if (ec_run(c, err,
                           "INSERT INTO ec_product_sales (product_id, month, channel, orders,"
                           " gmv_fen, source, created_at) VALUES (?, ?, ?, ?, ?, 'synthetic', ?)",
                           "issiii", ls[i].product, ls[i].month, ch[j].ch, orders, gmv, now) < 0)
                    goto fail;
            }
        }
    }
    /* studio bookings (Beijing time) from four weeks ago to three weeks ahead: the 供销 park's
     * studios by the zone's organisations and their streamers, the HQ's for practice, a few at
     * the other bases and village points; morning, afternoon and evening blocks never overlap */
    {
        static const struct {
            int h0, h1; /* the block, Beijing hours */
        } blocks[] = {{9, 12}, {14, 18}, {19, 23}};
        int64_t bj_today = pj_local_day(now);
        for (int64_t day = bj_today - 28; day <= bj_today + 21; day++) {
            int y, m, dd;
            pj_cal_to_civil((int32_t)day, &y, &m, &dd);
            for (int where = 0; where < 4; where++) {
                int nb = where == 0   ? (int)range(&d, 6, 14)
                         : where == 1 ? (int)range(&d, 2, 5)
                         : where == 2 ? (int)range(&d, 0, 3)
                                      : (int)range(&d, 0, 2);
                for (int b = 0; b < nb; b++) {
                    int64_t studio, org = 0, streamer = 0;
                    int blk = (int)range(&d, 0, 2);
                    if (where == 0) {
                        studio = gx_studio[range(&d, 0, 39)];
                    } else if (where == 1) {
                        studio = hq_studio[range(&d, 0, 7)];
                    } else if (where == 2) {
                        int64_t pl = range(&d, 1, 4), st = range(&d, 0, 3); /* in this order */
                        studio = plat_studio[pl][st];
                    } else {
                        if (!nvil) continue;
                        studio = vil_studio[range(&d, 0, nvil - 1)];
                    }
                    /* the booker: a zone organisation with one of its streamers (the demo
                     * enterprise's weekly), or a streamer of no organisation */
                    int64_t r = range(&d, 0, 9);
                    int si = (int)range(&d, 0, NSTREAMERS - 1);
                    if (where != 1 && r < 5 && nzo) {
                        org = zo[r == 0 || (where == 0 && dd % 7 == 0 && b == 0)
                                     ? 0
                                     : range(&d, 0, nzo - 1)]
                                  .org;
                        for (int t = 0; t < NSTREAMERS; t++) {
                            int u = (si + t) % NSTREAMERS;
                            if (sx[u].org == org) {
                                si = u;
                                break;
                            }
                        }
                        streamer = sx[si].org == org ? sx[si].id : 0;
                    } else {
                        for (int t = 0; t < NSTREAMERS; t++) {
                            int u = (si + t) % NSTREAMERS;
                            if (!sx[u].org) {
                                si = u;
                                break;
                            }
                        }
                        streamer = sx[si].id;
                    }
                    int pi = ec_demo_pick(streamer ? sx[si].cats : NULL, m, rnd(&d));
                    if (pi < 0) pi = ec_demo_pick(NULL, m, rnd(&d));
                    char purpose[96];
                    if (where == 1)
                        snprintf(purpose, sizeof purpose, "村播学院实训：%s",
                                 ec_demo_products[pi].name);
                    else
                        snprintf(purpose, sizeof purpose, "%s直播专场", ec_demo_products[pi].name);
                    int64_t len = blk == 2 ? range(&d, 4, 8) : range(&d, 2, 6); /* slots */
                    int64_t span = (blocks[blk].h1 - blocks[blk].h0) * 2;
                    if (len > span) len = span;
                    int64_t at = range(&d, 0, span - len);
                    int64_t t0 =
                        day * 86400 - PJ_LOCAL_OFFSET_S + blocks[blk].h0 * 3600 + at * PJ_EC_SLOT_S;
                    int64_t t1 = t0 + len * PJ_EC_SLOT_S;
                    /* the block of this studio and day taken already: skip */
                    int64_t taken = ec_run(c, err,
                                           "SELECT COUNT(*) FROM ec_bookings WHERE studio_id = ?"
                                           " AND starts_at < ? AND ends_at > ?",
                                           "iii", studio,
                                           day * 86400 - PJ_LOCAL_OFFSET_S + blocks[blk].h1 * 3600,
                                           day * 86400 - PJ_LOCAL_OFFSET_S + blocks[blk].h0 * 3600);
                    if (taken < 0) goto fail;
                    if (taken) continue;
                    int cancelled = range(&d, 0, 19) == 0;
                    int64_t made = t0 - range(&d, 1, 14) * 86400;
                    if (made > now) made = now - range(&d, 600, 86400);
                    int64_t bid = ec_run(c, err,
                                         "INSERT INTO ec_bookings (studio_id, organisation_id,"
                                         " streamer_id, starts_at, ends_at, purpose, state,"
                                         " source, created_at, created_by) VALUES (?, ?, ?, ?,"
                                         " ?, ?, ?, 'synthetic', ?, 'demo') RETURNING id",
                                         "irriissi", studio, org, streamer, t0, t1, purpose,
                                         cancelled ? "cancelled" : "booked", made);
                    if (bid <= 0) goto fail;
                    for (int64_t t = t0; !cancelled && t < t1; t += PJ_EC_SLOT_S)
                        if (ec_run(c, err,
                                   "INSERT INTO ec_booking_slots (studio_id, slot, booking_id)"
                                   " VALUES (?, ?, ?)",
                                   "iii", studio, t / PJ_EC_SLOT_S, bid) < 0)
                            goto fail;
                }
            }
        }
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
