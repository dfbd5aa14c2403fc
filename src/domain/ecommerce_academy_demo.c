/* The academy demo, on top of the e-commerce demo. The seed gives the academy's principle
 * (入学即入岗、实训即实战、毕业即就业), the HQ base and the 140 new-farmer streamers; everything
 * here is invented and labelled source = 'synthetic': the zone enterprises' settlement dates
 * and bases, four courses, ten cohorts at the HQ and two village points on the academy's
 * yearly calendar around today — a year's eight terms begun (graduated once their end is
 * past, else running: one at least on any day), the next one open for enrolment, the one after
 * planned — job posts at settled zone
 * enterprises (the demo enterprise's and the MCN agencies' among them), 120 of the 140
 * streamers enrolled once each (a streamer of a zone organisation on its post), their practice
 * sessions, graduations, placements and first sales after graduation, none after today. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "db/next_id.h"
#include "domain/audit.h"
#include "domain/ecommerce_int.h"
#include "domain/enterprise_calendar.h"
#include "domain/indicator.h"

#include "core/banned.h"

typedef struct acd {
    uint64_t rng;
} acd;

static int64_t rnd(acd *d, int64_t lo, int64_t hi)
{
    d->rng ^= d->rng << 13;
    d->rng ^= d->rng >> 7;
    d->rng ^= d->rng << 17;
    return lo + (int64_t)(d->rng % (uint64_t)(hi - lo + 1));
}

static int64_t first_id(pj_ctx *c, const char *sql, pj_err *err)
{
    int64_t v = ec_run(c, err, sql, "");
    return v < 0 ? -1 : v;
}

/* A session of the streamer on day selling one product in season (of the streamer's
 * categories, else any), on the streamer's main platform; orders from lo to hi. */
static int64_t add_session(pj_ctx *c, acd *d, int64_t streamer, int64_t day, int64_t minutes,
                           int64_t lo, int64_t hi, pj_err *err)
{
    char ds[11], cats[128] = "", plat[32] = "douyin";
    ec_day_str(day, ds);
    int y, m;
    ec_date(ds, NULL, &y, &m, NULL);
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT x.categories, (SELECT f.platform FROM ec_followers f WHERE"
                               " f.streamer_id = x.id ORDER BY f.as_of DESC, f.followers DESC"
                               " LIMIT 1) FROM ec_streamers x WHERE x.id = ?",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, streamer);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        if (pj_col_text(s, 0)) snprintf(cats, sizeof cats, "%s", pj_col_text(s, 0));
        if (pj_col_text(s, 1)) snprintf(plat, sizeof plat, "%s", pj_col_text(s, 1));
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    int pi = ec_demo_pick(*cats ? cats : NULL, m, (uint64_t)rnd(d, 0, 1 << 30));
    if (pi < 0) pi = ec_demo_pick(NULL, m, (uint64_t)rnd(d, 0, 1 << 30));
    const ec_demo_product *p = &ec_demo_products[pi];
    int64_t orders = rnd(d, lo, hi);
    int64_t id =
        ec_run(c, err,
               "INSERT INTO ec_sessions (id, streamer_id, platform, day, duration_min, orders,"
               " gmv_fen, source, created_at, created_by) VALUES (" PJ_NEXT_ID(
                   "ec_sessions") ", ?, ?, ?, ?, ?, ?,"
                                  " 'synthetic', ?, 'demo') RETURNING id",
               "issiiii", streamer, plat, ds, minutes, orders,
               orders * rnd(d, p->price_lo, p->price_hi), pj_now());
    if (id <= 0 ||
        ec_run(c, err,
               "INSERT INTO ec_session_products (session_id, product_id) SELECT ?, id FROM"
               " ec_products WHERE name = ?",
               "is", id, p->name) < 0)
        return -1;
    return id;
}

int pj_academy_demo(pj_ctx *c, uint64_t seed, pj_err *err)
{
    static const struct {
        const char *title, *cat;
        int hours, level, practice;
    } courses[] = {{"直播销售基础", "livestream_selling", 40, 5, 12},
                   {"短视频内容创作", "short_video", 32, 4, 8},
                   {"直播间运营", "operations", 48, 3, 16},
                   {"农产品选品与供应链", "product", 24, 4, 8}};
    /* the academy's year: a term starts on the nth Monday of its month and runs `weeks` weeks
     * to a Friday; base 0 the HQ, 1.. the village points in id order. Each term begins before
     * the one before it ends, so on any day of the year a cohort is running (the year-end
     * terms teach the New Year goods season, 年货) */
    static const struct {
        int month, nth;
        const char *name;
        int course, base, capacity, weeks;
    } terms[] = {
        {1, 2, "冬季年货直播班", 0, 0, 30, 9},     {3, 1, "春季直播销售班", 0, 0, 30, 8},
        {4, 2, "春季村播点选品班", 3, 2, 20, 9},   {6, 1, "夏季直播间运营班", 2, 0, 30, 8},
        {7, 3, "暑期村播点短视频班", 1, 1, 20, 8}, {9, 1, "秋季短视频班", 1, 0, 30, 8},
        {10, 2, "秋季村播点实训班", 0, 1, 20, 8},  {11, 3, "冬季村播点年货班", 3, 2, 20, 9},
    };
    enum { NTERMS = sizeof terms / sizeof terms[0] };
    acd d = {seed * 0x9E3779B97F4A7C15u + 0x2545F4914F6CDD1Du};
    if (!d.rng) d.rng = 1;
    int64_t have = first_id(c, "SELECT COUNT(*) FROM ac_courses WHERE source = 'synthetic'", err);
    if (have < 0) return -1;
    if (have) return 0; /* loaded already */
    int64_t hq = first_id(c, "SELECT id FROM ec_bases WHERE tier = 'hq' ORDER BY id LIMIT 1", err);
    if (hq < 0) return -1;
    if (!hq) return pj_fail(err, 409, "invalid_state", "", "load the e-commerce demo first");
    int64_t nstreamers = first_id(c, "SELECT COUNT(*) FROM ec_streamers WHERE anonymised = 0", err);
    if (nstreamers < 0) return -1;
    if (pj_db_begin(c->db, err)) return -1;
    int64_t now = pj_now(), today = ec_today();
    int64_t bases[3] = {hq, 0, 0};
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT id FROM ec_bases WHERE tier = 'village' ORDER BY id LIMIT 2", err);
    if (!s) goto fail;
    for (int i = 1; i < 3 && pj_stmt_step(s, err) == 1; i++) bases[i] = pj_col_int(s, 0);
    pj_stmt_done(s);
    for (int i = 1; i < 3; i++)
        if (!bases[i]) bases[i] = hq;
    /* the zone enterprises' settlement (2021 to mid-2024, the first 40 by the end of 2022)
     * and their platform base; those of a registry organisation are settled already */
    int64_t plats[5] = {0}, nplat = 0;
    s = pj_db_prepare(c->db, "SELECT id FROM ec_bases WHERE tier = 'platform' ORDER BY id LIMIT 5",
                      err);
    if (!s) goto fail;
    while (nplat < 5 && pj_stmt_step(s, err) == 1) plats[nplat++] = pj_col_int(s, 0);
    pj_stmt_done(s);
    int64_t zone[40], nzone = 0, d0 = pj_days_from_civil(2021, 1, 4);
    int64_t zlo = 0;
    for (;;) {
        int64_t zid = 0;
        int rc = ec_int(c,
                        "SELECT MIN(id) FROM ec_zone_enterprises WHERE id > ? AND settled_on IS"
                        " NULL AND source = 'synthetic' AND kind <> 'internet_service'",
                        zlo, &zid, err);
        if (rc < 0) goto fail;
        if (!zid) break;
        zlo = zid;
        int64_t day = d0 + (nzone < 40 ? rnd(&d, 0, 700) : rnd(&d, 0, 1270));
        char ds[11];
        ec_day_str(day, ds);
        if (ec_run(c, err,
                   "UPDATE ec_zone_enterprises SET settled_on = ?, base_id = ? WHERE id = ?", "sri",
                   ds, nplat ? plats[rnd(&d, 0, nplat - 1)] : (int64_t)0, zid) < 0)
            goto fail;
        if (nzone < 40) zone[nzone++] = zid;
    }
    /* internet-service firms too, without posts */
    if (ec_run(c, err,
               "UPDATE ec_zone_enterprises SET settled_on = '2022-06-01' WHERE settled_on IS NULL"
               " AND source = 'synthetic'",
               "") < 0)
        goto fail;
    int64_t course_id[4];
    for (int i = 0; i < 4; i++)
        if ((course_id[i] =
                 ec_run(c, err,
                        "INSERT INTO ac_courses (title, category, hours, level,"
                        " practice_hours, source, created_at, updated_at) VALUES (?, ?,"
                        " ?, ?, ?, 'synthetic', ?, ?) RETURNING id",
                        "ssiiiii", courses[i].title, courses[i].cat, (int64_t)courses[i].hours,
                        (int64_t)courses[i].level, (int64_t)courses[i].practice, now, now)) <= 0)
            goto fail;
    /* 30 posts: three of the demo enterprise's and two of each MCN agency's (the zone
     * enterprises of a registry organisation) of 5 openings, for their own streamers; the
     * others, of 6, at the first settled enterprises */
    static const char *const titles[] = {"带货主播", "直播运营助理", "短视频编导", "选品专员",
                                         "场控"};
    static const char *const own_titles[] = {"带货主播", "仓播选品专员", "直播运营助理"};
    static const char *const mcn_titles[] = {"签约带货主播", "短视频编导"};
    int64_t post[30], post_org[30], filled[30] = {0}, openings[30], npost = 0;
    s = pj_db_prepare(c->db,
                      "SELECT id, organisation_id, kind FROM ec_zone_enterprises WHERE"
                      " organisation_id IS NOT NULL AND settled_on IS NOT NULL AND source ="
                      " 'synthetic' ORDER BY id LIMIT 10",
                      err);
    if (!s) goto fail;
    struct {
        int64_t id, org;
        int n;
    } own[10];
    int nown = 0, k;
    while ((k = pj_stmt_step(s, err)) == 1 && nown < 10) {
        own[nown].id = pj_col_int(s, 0);
        own[nown].org = pj_col_int(s, 1);
        own[nown++].n = strcmp(pj_col_text(s, 2), "mcn") ? 3 : 2;
    }
    pj_stmt_done(s);
    if (k < 0) goto fail;
    for (int i = 0; i < nown; i++)
        for (int j = 0; j < own[i].n && npost < 30; j++) {
            post_org[npost] = own[i].org;
            openings[npost] = 5;
            if ((post[npost++] = ec_run(c, err,
                                        "INSERT INTO ac_posts (zone_enterprise_id, title,"
                                        " openings, filled, source, created_at, updated_at)"
                                        " VALUES (?, ?, 5, 0, 'synthetic', ?, ?) RETURNING id",
                                        "isii", own[i].id,
                                        own[i].n == 3 ? own_titles[j] : mcn_titles[j], now, now)) <=
                0)
                goto fail;
        }
    for (int i = 0; i < nzone && npost < 30; i++) {
        post_org[npost] = 0;
        openings[npost] = 6;
        if ((post[npost++] = ec_run(c, err,
                                    "INSERT INTO ac_posts (zone_enterprise_id, title, openings,"
                                    " filled, source, created_at, updated_at) VALUES (?, ?, 6, 0,"
                                    " 'synthetic', ?, ?) RETURNING id",
                                    "isii", zone[i], titles[i % 5], now, now)) <= 0)
            goto fail;
    }
    /* the terms of the years around today in order: the year of terms latest begun by today
     * (each term once: four at the HQ, four at village points), the next (open for enrolment)
     * and the one after (planned) */
    int ty, tm, td;
    pj_cal_to_civil((int32_t)today, &ty, &tm, &td);
    struct {
        int64_t sd, ed;
        int term, year;
    } cal[5 * NTERMS];
    int ncal = 0, last_begun = -1;
    for (int y = ty - 3; y <= ty + 1; y++)
        for (int t = 0; t < NTERMS; t++) {
            int64_t first = pj_days_from_civil(y, terms[t].month, 1);
            int64_t sd = first + (7 - (first + 3) % 7) % 7 + 7 * (terms[t].nth - 1);
            cal[ncal].sd = sd;
            cal[ncal].ed = sd + 7 * terms[t].weeks - 3;
            cal[ncal].term = t;
            cal[ncal].year = y;
            if (sd <= today) last_begun = ncal;
            ncal++;
        }
    if (last_begun < NTERMS - 1 || last_begun + 2 >= ncal) {
        pj_fail(err, 500, "internal", "", "academy demo: no calendar around today");
        goto fail;
    }
    int64_t next_streamer = 0, left = nstreamers < 120 ? nstreamers : 120, rr = 0;
    for (int j = 0; j < NTERMS + 2; j++) {
        int h = last_begun - (NTERMS - 1) + j, t = cal[h].term;
        int64_t sd = cal[h].sd, ed = cal[h].ed;
        const char *state = j == NTERMS + 1 ? "planned"
                            : j == NTERMS   ? "open"
                            : ed < today    ? "graduated"
                                            : "running";
        int running = !strcmp(state, "running"), done = !strcmp(state, "graduated");
        /* 18 at each HQ term begun, 9 at each village point's (108), the rest of the 120 in the
         * open cohort, which keeps room */
        int64_t n = j == NTERMS + 1 ? 0 : j == NTERMS ? left : terms[t].base ? 9 : 18;
        if (!npost) n = 0;
        if (n > left) n = left;
        if (n > terms[t].capacity) n = terms[t].capacity;
        char name[64], sds[11], eds[11];
        snprintf(name, sizeof name, "%d%s", cal[h].year, terms[t].name);
        ec_day_str(sd, sds);
        ec_day_str(ed, eds);
        int64_t hid = ec_run(c, err,
                             "INSERT INTO ac_cohorts (course_id, base_id, name, starts_on, ends_on,"
                             " capacity, enrolled, state, source, created_at, updated_at) VALUES"
                             " (?, ?, ?, ?, ?, ?, 0, ?, 'synthetic', ?, ?) RETURNING id",
                             "iisssisii", course_id[terms[t].course], bases[terms[t].base], name,
                             sds, eds, (int64_t)terms[t].capacity, state, now, now);
        if (hid <= 0) goto fail;
        int64_t need = (int64_t)courses[terms[t].course].practice * 60;
        for (int64_t e = 0; e < n && next_streamer < nstreamers; e++) {
            int64_t sid = 0, sorg = 0;
            if (ec_int(c,
                       "SELECT id FROM ec_streamers WHERE anonymised = 0 ORDER BY id LIMIT 1"
                       " OFFSET ?",
                       next_streamer++, &sid, err) <= 0 ||
                ec_int(c, "SELECT COALESCE(organisation_id, 0) FROM ec_streamers WHERE id = ?", sid,
                       &sorg, err) <= 0)
                goto fail;
            /* a streamer of a zone organisation on its post; the others in turn on the rest */
            int pi = -1;
            for (int i = 0; sorg && i < npost && pi < 0; i++)
                if (post_org[i] == sorg && filled[i] < openings[i]) pi = i;
            for (int i = 0; pi < 0 && i < npost; i++) {
                int64_t x = (rr + i) % npost;
                if (!post_org[x] && filled[x] < openings[x]) pi = (int)x, rr = x + 1;
            }
            if (pi < 0) break;
            filled[pi]++;
            left--;
            int64_t p = post[pi];
            char es[11];
            ec_day_str(j == NTERMS ? today - rnd(&d, 0, 20) : sd - rnd(&d, 3, 20), es);
            /* a graduating student meets the practice hours; one in ten falls short */
            int short_of = done && rnd(&d, 0, 9) == 0;
            int64_t eid = ec_run(c, err,
                                 "INSERT INTO ac_enrolments (cohort_id, streamer_id, post_id,"
                                 " enrolled_on, source, created_at, created_by, updated_at)"
                                 " VALUES (?, ?, ?, ?, 'synthetic', ?, 'demo', ?) RETURNING id",
                                 "iiisii", hid, sid, p, es, now, now);
            if (eid <= 0 ||
                ec_run(c, err, "UPDATE ac_posts SET filled = filled + 1 WHERE id = ?", "i", p) <
                    0 ||
                ec_run(c, err, "UPDATE ac_cohorts SET enrolled = enrolled + 1 WHERE id = ?", "i",
                       hid) < 0)
                goto fail;
            if (!running && !done) continue;
            /* practice: the course's hours by the end; a running cohort's in proportion */
            int64_t last = running ? today - 1 : ed;
            int64_t mins = 0, goal = short_of ? need / 2 : need;
            if (running) goal = last < sd ? 0 : goal * (last - sd + 1) / (ed - sd + 1);
            while (mins < goal) {
                int64_t m = rnd(&d, 90, 180);
                int64_t ses = add_session(c, &d, sid, rnd(&d, sd, last), m, 5, 120, err);
                if (ses <= 0 ||
                    ec_run(c, err,
                           "INSERT INTO ac_practice (enrolment_id, session_id, minutes, source,"
                           " created_at, created_by) VALUES (?, ?, ?, 'synthetic', ?, 'demo')",
                           "iiii", eid, ses, m, now) < 0)
                    goto fail;
                mins += m;
            }
            if (!done || short_of) continue;
            /* graduation on the last day; placement for four in five within a month; a first
             * sale after graduation for most — none of it after today */
            char gs[11], ps[11];
            ec_day_str(ed, gs);
            int64_t r = rnd(&d, 0, 9), placed = ed + rnd(&d, 1, 30);
            if (r < 8 && placed < today) {
                int at_post = r < 7;
                ec_day_str(placed, ps);
                if (ec_run(c, err,
                           "UPDATE ac_enrolments SET state = 'placed', graduated_on = ?, placed_on"
                           " = ?, placed_at = ?, placed_zone_enterprise_id = (SELECT"
                           " zone_enterprise_id FROM ac_posts WHERE id = ?), placed_employer = ?"
                           " WHERE id = ?",
                           "sssisi", gs, ps, at_post ? "post" : "elsewhere",
                           at_post ? p : (int64_t)0, at_post ? NULL : "区外电商企业（合成）",
                           eid) < 0)
                    goto fail;
            } else if (ec_run(c, err,
                              "UPDATE ac_enrolments SET state = 'graduated', graduated_on = ?"
                              " WHERE id = ?",
                              "si", gs, eid) < 0) {
                goto fail;
            }
            int64_t sale = ed + rnd(&d, 2, 45);
            if (rnd(&d, 0, 9) < 9 && sale < today &&
                add_session(c, &d, sid, sale, rnd(&d, 60, 180), 10, 300, err) <= 0)
                goto fail;
        }
    }
    /* the practice sessions and first sales in the products' livestream sales */
    if (ec_demo_derive_livestream(c, err)) goto fail;
    if (pj_audit_add(c, "demo", "academy", hq, NULL,
                     "{\"courses\":4,\"cohorts\":10,\"enrolments\":120,\"source\":\"synthetic\"}",
                     err) ||
        pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
