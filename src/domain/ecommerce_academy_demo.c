/* The academy demo, on top of the e-commerce demo. The seed gives the academy's principle
 * (入学即入岗、实训即实战、毕业即就业), the HQ base and the 140 new-farmer streamers; everything
 * here is invented and labelled source = 'synthetic': the zone enterprises' settlement dates
 * and bases, four courses, eight cohorts (2023–2024) at the HQ and two village points, job
 * posts at settled zone enterprises, 120 of the 140 streamers enrolled once each, their
 * practice sessions, graduations, placements and first sales after graduation. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/audit.h"
#include "domain/ecommerce_int.h"
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

static int64_t add_session(pj_ctx *c, int64_t streamer, int64_t day, int64_t minutes,
                           int64_t orders, int64_t gmv, pj_err *err)
{
    char ds[11];
    ec_day_str(day, ds);
    return ec_run(c, err,
                  "INSERT INTO ec_sessions (streamer_id, platform, day, duration_min, orders,"
                  " gmv_fen, source, created_at, created_by) VALUES (?, 'douyin', ?, ?, ?, ?,"
                  " 'synthetic', ?, 'demo') RETURNING id",
                  "isiiii", streamer, ds, minutes, orders, gmv, pj_now());
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
    /* base: 0 the HQ, 1.. the village points in id order */
    static const struct {
        const char *name;
        int course, base;
        const char *starts, *ends;
        int capacity, enrol;
        const char *state;
    } cohorts[] = {
        {"2023春季直播销售班", 0, 0, "2023-03-01", "2023-04-28", 30, 25, "graduated"},
        {"2023秋季短视频班", 1, 0, "2023-09-04", "2023-10-27", 30, 25, "graduated"},
        {"2023秋季村播点实训班", 0, 1, "2023-10-09", "2023-11-30", 20, 15, "graduated"},
        {"2024春季直播间运营班", 2, 0, "2024-03-04", "2024-04-26", 30, 25, "graduated"},
        {"2024春季村播点选品班", 3, 2, "2024-04-08", "2024-05-31", 20, 15, "graduated"},
        {"2024夏季直播销售班", 0, 0, "2024-06-03", "2024-07-26", 30, 15, "running"},
        {"2024秋季短视频班", 1, 0, "2024-09-02", "2024-10-25", 30, 0, "open"},
        {"2024秋季村播点实训班", 0, 1, "2024-10-08", "2024-11-29", 20, 0, "planned"},
    };
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
    int64_t now = pj_now();
    int64_t bases[3] = {hq, 0, 0};
    pj_stmt *s = pj_db_prepare(
        c->db, "SELECT id FROM ec_bases WHERE tier = 'village' ORDER BY id LIMIT 2", err);
    if (!s) goto fail;
    for (int i = 1; i < 3 && pj_stmt_step(s, err) == 1; i++) bases[i] = pj_col_int(s, 0);
    pj_stmt_done(s);
    for (int i = 1; i < 3; i++)
        if (!bases[i]) bases[i] = hq;
    /* the zone enterprises' settlement (2021 to mid-2024, the first 40 by the end of 2022)
     * and their platform base */
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
    /* 30 posts of 5 openings at the first settled enterprises */
    static const char *const titles[] = {"带货主播", "直播运营助理", "短视频编导", "选品专员",
                                         "场控"};
    int64_t post[30], npost = nzone < 30 ? nzone : 30;
    for (int i = 0; i < npost; i++)
        if ((post[i] = ec_run(c, err,
                              "INSERT INTO ac_posts (zone_enterprise_id, title, openings, filled,"
                              " source, created_at, updated_at) VALUES (?, ?, 5, 0, 'synthetic',"
                              " ?, ?) RETURNING id",
                              "isii", zone[i], titles[i % 5], now, now)) <= 0)
            goto fail;
    int64_t next_streamer = 0, enrolled_total = 0;
    for (size_t h = 0; h < sizeof cohorts / sizeof cohorts[0]; h++) {
        int64_t sd, ed;
        ec_date(cohorts[h].starts, &sd, NULL, NULL, NULL);
        ec_date(cohorts[h].ends, &ed, NULL, NULL, NULL);
        int n = npost ? cohorts[h].enrol : 0;
        int64_t hid = ec_run(c, err,
                             "INSERT INTO ac_cohorts (course_id, base_id, name, starts_on, ends_on,"
                             " capacity, enrolled, state, source, created_at, updated_at) VALUES"
                             " (?, ?, ?, ?, ?, ?, ?, ?, 'synthetic', ?, ?) RETURNING id",
                             "iisssiisii", course_id[cohorts[h].course], bases[cohorts[h].base],
                             cohorts[h].name, cohorts[h].starts, cohorts[h].ends,
                             (int64_t)cohorts[h].capacity, (int64_t)n, cohorts[h].state, now, now);
        if (hid <= 0) goto fail;
        int running = !strcmp(cohorts[h].state, "running");
        int done = !strcmp(cohorts[h].state, "graduated");
        int64_t need = (int64_t)courses[cohorts[h].course].practice * 60;
        for (int e = 0; e < n && next_streamer < nstreamers; e++) {
            int64_t sid = 0;
            if (ec_int(c,
                       "SELECT id FROM ec_streamers WHERE anonymised = 0 ORDER BY id LIMIT 1"
                       " OFFSET ?",
                       next_streamer++, &sid, err) <= 0)
                goto fail;
            int64_t p = post[enrolled_total % npost];
            enrolled_total++;
            /* a graduating student meets the practice hours; one in ten falls short */
            int short_of = done && rnd(&d, 0, 9) == 0;
            int64_t eid = ec_run(c, err,
                                 "INSERT INTO ac_enrolments (cohort_id, streamer_id, post_id,"
                                 " enrolled_on, source, created_at, created_by, updated_at)"
                                 " VALUES (?, ?, ?, ?, 'synthetic', ?, 'demo', ?) RETURNING id",
                                 "iiisii", hid, sid, p, cohorts[h].starts, now, now);
            if (eid <= 0 ||
                ec_run(c, err, "UPDATE ac_posts SET filled = filled + 1 WHERE id = ?", "i", p) < 0)
                goto fail;
            if (!running && !done) continue;
            int64_t mins = 0, goal = short_of ? need / 2 : need;
            int64_t last = running ? pj_days_from_civil(2024, 6, 28) : ed;
            while (mins < goal) {
                int64_t m = rnd(&d, 90, 180), orders = rnd(&d, 5, 120);
                int64_t ses = add_session(c, sid, rnd(&d, sd, last), m, orders,
                                          orders * rnd(&d, 3000, 9000), err);
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
             * sale after graduation for most */
            char gs[11], ps[11];
            ec_day_str(ed, gs);
            int64_t r = rnd(&d, 0, 9);
            if (r < 8) {
                int at_post = r < 7;
                ec_day_str(ed + rnd(&d, 1, 30), ps);
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
            if (rnd(&d, 0, 9) < 9) {
                int64_t orders = rnd(&d, 10, 300);
                if (add_session(c, sid, ed + rnd(&d, 2, 45), rnd(&d, 60, 180), orders,
                                orders * rnd(&d, 3000, 9000), err) <= 0)
                    goto fail;
            }
        }
    }
    if (pj_audit_add(c, "demo", "academy", hq, NULL,
                     "{\"courses\":4,\"cohorts\":8,\"enrolments\":120,\"source\":\"synthetic\"}",
                     err) ||
        pj_db_commit(c->db, err))
        goto fail;
    return 0;
fail:
    pj_db_rollback(c->db);
    return -1;
}
