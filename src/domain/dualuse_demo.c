/* The demo district's dual-use data: standards for the four scenarios, manuals for the
 * seed's facilities and the synthetic ones, stock lines of the warehouses, one conversion in
 * progress and two years of drills with findings. Runs inside the demo's transaction. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "algo/algo.h"
#include "core/util.h"
#include "db/next_id.h"
#include "domain/dualuse_int.h"

#include "core/banned.h"

typedef struct tstep {
    const char *code, *name, *team;
    int minutes, count;
    const char *pred;  /* JSON array of codes */
    const char *check; /* JSON array of items */
} tstep;

#define END                                                                                        \
    {                                                                                              \
        NULL, NULL, NULL, 0, 0, NULL, NULL                                                         \
    }

/* A scenario's Chinese name, for the titles people read (平疫 epidemic, 平灾 disaster, 平假
 * holiday peak, 平赛 major event). */
static const char *scenario_name(const char *scenario)
{
    return !strcmp(scenario, "epidemic")   ? "平疫"
           : !strcmp(scenario, "disaster") ? "平灾"
           : !strcmp(scenario, "holiday")  ? "平假"
           : !strcmp(scenario, "event")    ? "平赛"
                                           : scenario;
}

static const tstep isolation_convert[] = {
    {"S1", "清空住客并实施封闭管理", "security", 60, 4, "[]", "[]"},
    {"S2", "三区两通道分区改造", "logistics", 240, 6, "[\"S1\"]",
     "[\"隔离观察区、工作准备区、生活区划分完成\",\"污染通道与清洁通道分设\"]"},
    {"S3", "全面消杀", "disinfection", 180, 4, "[\"S2\"]", "[\"消杀记录完整\"]"},
    {"S4", "医疗物资与设备进场", "medical", 120, 3, "[\"S1\"]", "[\"防护物资最低储备及效期核查\"]"},
    {"S5", "视频监控与通信部署", "it", 90, 2, "[\"S1\"]", "[\"备用电源测试\",\"通信测试\"]"},
    {"S6", "餐饮配送流程建立", "catering", 60, 2, "[\"S1\"]", "[]"},
    {"S7", "工作人员培训与演示", "medical", 60, 2, "[\"S3\",\"S4\",\"S5\",\"S6\"]",
     "[\"单间及独立卫生间核验\",\"无障碍房间核验\"]"},
    END};
static const tstep isolation_restore[] = {
    {"R1", "终末消杀", "disinfection", 240, 4, "[]", "[\"终末消杀评估合格\"]"},
    {"R2", "深度保洁", "cleaning", 180, 6, "[\"R1\"]", "[]"},
    {"R3", "撤除分区设施", "logistics", 120, 4, "[\"R1\"]", "[]"},
    {"R4", "恢复营业检查", "security", 60, 1, "[\"R2\",\"R3\"]", "[\"恢复营业验收\"]"},
    END};
static const tstep resettle_convert[] = {
    {"S1", "场地清理与分区", "cleaning", 90, 6, "[]", "[]"},
    {"S2", "床位与生活物资铺设", "logistics", 180, 8, "[\"S1\"]", "[\"床位数核验\"]"},
    {"S3", "消防与用电安全检查", "security", 60, 2, "[\"S1\"]",
     "[\"消防通道畅通\",\"备用电源测试\"]"},
    {"S4", "临时医疗点设置", "medical", 90, 2, "[\"S1\"]", "[\"医疗点物资核查\"]"},
    {"S5", "餐饮供应保障", "catering", 120, 3, "[\"S2\"]", "[]"},
    {"S6", "人员登记系统上线", "it", 60, 1, "[\"S3\"]", "[\"通信测试\"]"},
    END};
static const tstep resettle_restore[] = {
    {"R1", "人员有序撤离与登记", "security", 60, 2, "[]", "[]"},
    {"R2", "物资回收与清洗消毒", "cleaning", 180, 6, "[\"R1\"]", "[\"消毒记录完整\"]"},
    {"R3", "场地恢复原状", "logistics", 120, 4, "[\"R2\"]", "[\"恢复原状验收\"]"},
    END};
static const tstep supply_convert[] = {
    {"S1", "应急库位腾挪", "logistics", 240, 10, "[]", "[\"应急库位面积核验\"]"},
    {"S2", "冷链与温控检查", "logistics", 120, 2, "[]", "[\"冷链温度记录\"]"},
    {"S3", "出入库系统切换为应急模式", "it", 90, 2, "[\"S1\"]", "[\"系统切换测试\"]"},
    {"S4", "安保与车辆调度", "security", 60, 4, "[\"S1\"]", "[]"},
    {"S5", "首批物资入库与效期核查", "logistics", 180, 8, "[\"S2\",\"S3\"]", "[\"物资效期核查\"]"},
    END};
static const tstep supply_restore[] = {
    {"R1", "应急物资盘点移交", "logistics", 180, 6, "[]", "[\"盘点清单签字\"]"},
    {"R2", "库位恢复商用", "logistics", 240, 8, "[\"R1\"]", "[]"},
    END};
static const tstep hub_convert[] = {
    {"S1", "交通管制与分流", "security", 45, 6, "[]", "[]"},
    {"S2", "应急通道与停车区划设", "logistics", 90, 4, "[\"S1\"]", "[\"应急通道标识\"]"},
    {"S3", "临时服务点设置（饮水、如厕、医疗急救）", "medical", 60, 3, "[\"S1\"]",
     "[\"急救物资核查\"]"},
    {"S4", "信息发布与调度系统", "it", 60, 1, "[\"S1\"]", "[\"通信测试\"]"},
    END};
static const tstep hub_restore[] = {
    {"R1", "撤除临时服务点并清洁消毒", "disinfection", 90, 2, "[]", "[]"},
    {"R2", "恢复常态通行", "security", 30, 2, "[\"R1\"]", "[\"通行恢复验收\"]"},
    END};
static const tstep medical_convert[] = {
    {"S1", "病区划分与改造", "medical", 240, 6, "[]", "[\"三区两通道分区完成\"]"},
    {"S2", "全面消杀", "disinfection", 120, 4, "[\"S1\"]", "[\"消杀记录完整\"]"},
    {"S3", "医疗设备调试", "medical", 180, 4, "[\"S1\"]", "[\"设备调试记录\"]"},
    {"S4", "供氧与备用电源检查", "logistics", 90, 2, "[]", "[\"备用电源测试\",\"供氧测试\"]"},
    {"S5", "医护人员到岗", "medical", 60, 10, "[\"S2\",\"S3\",\"S4\"]", "[]"},
    END};
static const tstep medical_restore[] = {
    {"R1", "终末消杀", "disinfection", 240, 4, "[]", "[\"终末消杀评估合格\"]"},
    {"R2", "设备归位与培训模式恢复", "medical", 180, 4, "[\"R1\"]", "[]"},
    END};

typedef struct tmpl {
    const char *role;
    const tstep *convert, *restore;
} tmpl;
static const tmpl templates[] = {{"isolation", isolation_convert, isolation_restore},
                                 {"resettlement", resettle_convert, resettle_restore},
                                 {"supply_store", supply_convert, supply_restore},
                                 {"transport_hub", hub_convert, hub_restore},
                                 {"medical", medical_convert, medical_restore}};

static const tmpl *template_for(const char *role)
{
    for (size_t i = 0; i < sizeof templates / sizeof templates[0]; i++)
        if (!strcmp(templates[i].role, role)) return &templates[i];
    return NULL;
}

/* Target hours per facility type × role (epidemic), scaled per scenario. */
static double base_target(const char *type, const char *role)
{
    if (!strcmp(role, "isolation")) return 24;
    if (!strcmp(role, "resettlement")) return !strcmp(type, "village_community") ? 12 : 8;
    if (!strcmp(role, "supply_store")) return 24;
    if (!strcmp(role, "transport_hub")) return 6;
    return 12; /* medical */
}

static int exec1(pj_ctx *c, pj_stmt *s, int64_t *id, pj_err *err)
{
    int rc = pj_stmt_step(s, err);
    if (rc == 1 && id) *id = pj_col_int(s, 0);
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

static int add_standards(pj_ctx *c, pj_err *err)
{
    static const char *const scn[] = {"epidemic", "disaster", "holiday", "event"};
    static const double factor[] = {1.0, 0.75, 1.5, 1.25};
    static const char *const checklist[] = {
        ("[\"三区两通道分区完成\",\"单间及独立卫生间核验\",\"无障碍房间核验\",\"备用电源测试\","
         "\"通信测试\",\"防护物资最低储备及效期核查\"]"),
        "[\"床位数核验\",\"消防通道畅通\",\"备用电源测试\",\"医疗点物资核查\"]",
        "[\"应急通道标识\",\"通信测试\"]", "[\"安保方案核验\",\"通信测试\"]"};
    pj_stmt *q =
        pj_db_prepare(c->db,
                      "SELECT DISTINCT f.type, r.role FROM facilities f JOIN facility_roles"
                      " r ON r.facility_id = f.id ORDER BY 1, 2",
                      err);
    if (!q) return -1;
    char pairs[64][2][32];
    int np = 0, rc;
    while ((rc = pj_stmt_step(q, err)) == 1 && np < 64) {
        snprintf(pairs[np][0], 32, "%s", pj_col_text(q, 0));
        snprintf(pairs[np][1], 32, "%s", pj_col_text(q, 1));
        np++;
    }
    pj_stmt_done(q);
    if (rc < 0) return -1;
    int64_t from = pj_now() - 400 * 86400;
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < np; i++) {
            pj_stmt *s = pj_db_prepare(
                c->db,
                "INSERT INTO standards (facility_type, scenario, role, version, effective_from,"
                " target_hours, checklist, coverage_per_10k, notes, created_at, created_by)"
                " VALUES (?,?,?,1,?,?,?,?,?,?,'demo')",
                err);
            if (!s) return -1;
            const char *role = pairs[i][1];
            pj_stmt_text(s, 1, pairs[i][0]);
            pj_stmt_text(s, 2, scn[k]);
            pj_stmt_text(s, 3, role);
            pj_stmt_int(s, 4, from);
            pj_stmt_double(s, 5, base_target(pairs[i][0], role) * factor[k]);
            pj_stmt_text(s, 6,
                         !strcmp(role, "isolation") || !strcmp(role, "medical") ? checklist[0]
                         : !strcmp(role, "transport_hub")                       ? checklist[2]
                         : k == 3                                               ? checklist[3]
                                                                                : checklist[1]);
            /* 2021 national reserve target: ≥ 20 isolation rooms per 10,000 residents */
            if (!strcmp(role, "isolation") && k == 0) pj_stmt_double(s, 7, 20);
            if (!strcmp(role, "resettlement") && k == 1) pj_stmt_double(s, 7, 300);
            pj_stmt_text(s, 8, "demo standard (synthetic targets; official limits not published)");
            pj_stmt_int(s, 9, from);
            if (exec1(c, s, NULL, err)) return -1;
        }
    return 0;
}

static int64_t add_manual(pj_ctx *c, int64_t fid, const char *scenario, const tmpl *t,
                          const char *title, double scale, pj_err *err)
{
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "INSERT INTO manuals (id, facility_id, scenario, role, version, title,"
                      " created_at, created_by) VALUES (" PJ_NEXT_ID(
                          "manuals") ", ?,?,?,1,?,?,'demo') RETURNING id",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, fid);
    pj_stmt_text(s, 2, scenario);
    pj_stmt_text(s, 3, t->role);
    pj_stmt_text(s, 4, title);
    pj_stmt_int(s, 5, pj_now() - 380 * 86400);
    int64_t mid = 0;
    if (exec1(c, s, &mid, err)) return -1;
    for (int phase = 0; phase < 2; phase++) {
        const tstep *st = phase ? t->restore : t->convert;
        for (int i = 0; st[i].code; i++) {
            s = pj_db_prepare(c->db,
                              "INSERT INTO manual_steps (manual_id, phase, seq, code, name,"
                              " planned_minutes, team_type, team_count, predecessors, checklist)"
                              " VALUES (?,?,?,?,?,?,?,?,?,?)",
                              err);
            if (!s) return -1;
            pj_stmt_int(s, 1, mid);
            pj_stmt_text(s, 2, phase ? "restore" : "convert");
            pj_stmt_int(s, 3, i + 1);
            pj_stmt_text(s, 4, st[i].code);
            pj_stmt_text(s, 5, st[i].name);
            pj_stmt_int(s, 6, (int64_t)ceil(st[i].minutes * scale / 5) * 5);
            pj_stmt_text(s, 7, st[i].team);
            pj_stmt_int(s, 8, st[i].count);
            pj_stmt_text(s, 9, st[i].pred);
            pj_stmt_text(s, 10, st[i].check);
            if (exec1(c, s, NULL, err)) return -1;
        }
    }
    return mid;
}

/* A conversion (live or drill) with its step rows, steps done as simulated. */
static int64_t add_conversion(pj_ctx *c, uint64_t *rng, int64_t fid, int64_t mid,
                              const char *scenario, const char *mode, int64_t start, int finish_all,
                              double lateness, int64_t *end_out, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "INSERT INTO conversions (facility_id, manual_id, scenario, mode,"
                               " state, standard_id, started_at, started_by) VALUES (?,?,?,?,?,"
                               " (SELECT s.id FROM standards s JOIN facilities f ON f.id = ? JOIN"
                               " manuals m ON m.id = ? WHERE s.facility_type = f.type AND"
                               " s.scenario = ? AND s.role = m.role ORDER BY s.version DESC"
                               " LIMIT 1), ?, 'demo') RETURNING id",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, fid);
    pj_stmt_int(s, 2, mid);
    pj_stmt_text(s, 3, scenario);
    pj_stmt_text(s, 4, mode);
    pj_stmt_text(s, 5, !strcmp(mode, "live") ? "converting" : finish_all ? "finished" : "running");
    pj_stmt_int(s, 6, fid);
    pj_stmt_int(s, 7, mid);
    pj_stmt_text(s, 8, scenario);
    pj_stmt_int(s, 9, start);
    int64_t cid = 0;
    if (exec1(c, s, &cid, err)) return -1;
    /* simulate: each convert step starts when its predecessors are done */
    s = pj_db_prepare(c->db,
                      "SELECT id, code, planned_minutes, predecessors, checklist FROM manual_steps"
                      " WHERE manual_id = ? AND phase = 'convert' ORDER BY seq",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, mid);
    struct {
        int64_t id, planned, fin;
        char code[16], pred[128], check[512];
    } st[32];
    int n = 0, rc;
    while ((rc = pj_stmt_step(s, err)) == 1 && n < 32) {
        st[n].id = pj_col_int(s, 0);
        snprintf(st[n].code, sizeof st[n].code, "%s", pj_col_text(s, 1));
        st[n].planned = pj_col_int(s, 2);
        snprintf(st[n].pred, sizeof st[n].pred, "%s", pj_col_text(s, 3));
        snprintf(st[n].check, sizeof st[n].check, "%s", pj_col_text(s, 4));
        n++;
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    int64_t end = start, now = pj_now();
    for (int i = 0; i < n; i++) { /* steps are listed after their predecessors */
        int64_t ready = start;
        for (int k = 0; k < i; k++)
            if (strstr(st[i].pred, st[k].code) && st[k].fin > ready) ready = st[k].fin;
        double f = 0.8 + lateness * pj_rng_unit(rng);
        int64_t fin = ready + (int64_t)((double)st[i].planned * 60 * f);
        const char *status = "done";
        int64_t started = ready;
        if (!finish_all && fin > now) {
            status = started > now ? "pending" : "running";
            fin = 0;
        }
        st[i].fin = fin ? fin : INT64_MAX / 4;
        if (fin > end) end = fin;
        s = pj_db_prepare(c->db,
                          "INSERT INTO conversion_steps (conversion_id, step_id, phase, status,"
                          " started_at, started_by, finished_at, finished_by) VALUES (?,?,"
                          " 'convert',?,?,?,?,?)",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, cid);
        pj_stmt_int(s, 2, st[i].id);
        pj_stmt_text(s, 3, status);
        if (strcmp(status, "pending")) {
            pj_stmt_int(s, 4, started);
            pj_stmt_text(s, 5, "demo");
        }
        if (fin) {
            pj_stmt_int(s, 6, fin);
            pj_stmt_text(s, 7, "demo");
        }
        if (exec1(c, s, NULL, err)) return -1;
        if (fin) { /* its checklist signed */
            json_t *items = json_loads(st[i].check, 0, NULL);
            for (size_t k = 0; k < json_array_size(items); k++) {
                s = pj_db_prepare(c->db,
                                  "INSERT INTO conversion_checks (conversion_id, step_id, item,"
                                  " signed_by, signed_at) VALUES (?,?,?,'demo',?)",
                                  err);
                if (!s) {
                    json_decref(items);
                    return -1;
                }
                pj_stmt_int(s, 1, cid);
                pj_stmt_int(s, 2, st[i].id);
                pj_stmt_text(s, 3, json_string_value(json_array_get(items, k)));
                pj_stmt_int(s, 4, fin);
                if (exec1(c, s, NULL, err)) {
                    json_decref(items);
                    return -1;
                }
            }
            json_decref(items);
        }
    }
    /* a live conversion's restore steps wait; a drill has none (it rehearses the conversion) */
    if (!strcmp(mode, "live")) {
        s = pj_db_prepare(c->db,
                          "INSERT INTO conversion_steps (conversion_id, step_id, phase) SELECT ?,"
                          " id, phase FROM manual_steps WHERE manual_id = ? AND phase = 'restore'",
                          err);
        if (!s) return -1;
        pj_stmt_int(s, 1, cid);
        pj_stmt_int(s, 2, mid);
        if (exec1(c, s, NULL, err)) return -1;
    }
    if (finish_all) {
        s = pj_db_prepare(c->db, "UPDATE conversions SET ended_at = ? WHERE id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, end);
        pj_stmt_int(s, 2, cid);
        if (exec1(c, s, NULL, err)) return -1;
    }
    if (end_out) *end_out = end;
    return cid;
}

int pj_dualuse_demo(pj_ctx *c, uint64_t seed, pj_err *err)
{
    uint64_t rng = seed ^ 0x5eed;
    if (add_standards(c, err)) return -1;
    /* the teams the district can put to work at once, by type: enough for the largest step of
     * the demo's manuals (10 medical, 10 logistics), so a plan made with them leaves no site
     * out for want of teams until others are busy */
    pj_stmt *tq = pj_db_prepare(c->db,
                                "UPDATE team_types SET available = CASE code WHEN 'cleaning' THEN"
                                " 12 WHEN 'logistics' THEN 16 WHEN 'security' THEN 8 WHEN"
                                " 'medical' THEN 10 WHEN 'catering' THEN 6 WHEN 'it' THEN 4 WHEN"
                                " 'disinfection' THEN 8 END",
                                err);
    if (!tq || exec1(c, tq, NULL, err)) return -1;
    /* manuals: every facility gets one per scenario its first role suits */
    pj_stmt *q = pj_db_prepare(c->db,
                               "SELECT f.id, f.name, f.type, (SELECT r.role FROM facility_roles r"
                               " WHERE r.facility_id = f.id ORDER BY CASE r.role WHEN 'medical'"
                               " THEN 0 WHEN 'transport_hub' THEN 1 WHEN 'isolation' THEN 2 ELSE 3"
                               " END LIMIT 1), EXISTS (SELECT 1 FROM facility_roles r"
                               " WHERE r.facility_id = f.id AND r.role = 'resettlement')"
                               " FROM facilities f ORDER BY f.id",
                               err);
    if (!q) return -1;
    struct fac {
        int64_t id;
        char name[128], type[32], role[32];
        int resettles;
    } *fs = pj_arena_alloc(c->arena, sizeof(struct fac) * 2000);
    int nf = 0, rc;
    while ((rc = pj_stmt_step(q, err)) == 1 && nf < 2000) {
        if (pj_col_is_null(q, 3)) continue;
        fs[nf].id = pj_col_int(q, 0);
        snprintf(fs[nf].name, sizeof fs[nf].name, "%s", pj_col_text(q, 1));
        snprintf(fs[nf].type, sizeof fs[nf].type, "%s", pj_col_text(q, 2));
        snprintf(fs[nf].role, sizeof fs[nf].role, "%s", pj_col_text(q, 3));
        fs[nf].resettles = (int)pj_col_int(q, 4);
        nf++;
    }
    pj_stmt_done(q);
    if (rc < 0) return -1;
    int64_t wanda_manual = 0, wanda = 0;
    int drilled = 0;
    for (int i = 0; i < nf; i++) {
        const tmpl *t = template_for(fs[i].role);
        if (!t) continue;
        const char *scenario = !strcmp(fs[i].role, "isolation") || !strcmp(fs[i].role, "medical")
                                   ? "epidemic"
                               : !strcmp(fs[i].role, "transport_hub") ? "holiday"
                                                                      : "disaster";
        /* most manuals fit their target; about one in eight is too slow (scale > target) */
        double scale = 0.7 + 0.9 * pj_rng_unit(&rng);
        if (pj_rng_below(&rng, 8) == 0) scale = 2.8 + pj_rng_unit(&rng);
        char title[200];
        snprintf(title, sizeof title, "%s平急转换工作手册（%s）", fs[i].name,
                 scenario_name(scenario));
        int64_t mid = add_manual(c, fs[i].id, scenario, t, title, scale, err);
        if (mid < 0) return -1;
        if (!strcmp(fs[i].name, "万达锦华酒店")) wanda_manual = mid, wanda = fs[i].id;
        /* a disaster manual too for the sites the vulnerable need in a disaster: medical
         * sites keep their medical role, and sites that can also resettle (hotels set up first
         * for isolation) get the resettlement one, so a disaster plan has their barrier-free
         * rooms and beds (synthetic; fixed scale, no draw from rng: the rest stays the same) */
        const char *extra = NULL;
        /* a transport hub serves a major event's crowds as it serves a holiday peak's (traffic,
         * parking, a service point, information): its 平赛 manual too */
        if (!strcmp(fs[i].role, "transport_hub")) {
            snprintf(title, sizeof title, "%s平急转换工作手册（%s）", fs[i].name,
                     scenario_name("event"));
            if (add_manual(c, fs[i].id, "event", t, title, 1.0, err) < 0) return -1;
        }
        if (strcmp(scenario, "disaster"))
            extra = !strcmp(fs[i].role, "medical") ? "medical"
                    : fs[i].resettles              ? "resettlement"
                                                   : NULL;
        if (extra) {
            snprintf(title, sizeof title, "%s平急转换工作手册（%s）", fs[i].name,
                     scenario_name("disaster"));
            if (add_manual(c, fs[i].id, "disaster", template_for(extra), title, 1.0, err) < 0)
                return -1;
        }
        /* drills: the seed's facilities and every fifth other one, 1–3 over two years; some
         * facilities never drilled (they show as overdue) */
        int n_drills = i < 14 ? 1 + (int)pj_rng_below(&rng, 3) : (i % 5 == 0 ? 1 : 0);
        for (int d = 0; d < n_drills; d++) {
            /* the newest drill about half a year ago, earlier ones every ~200 days before */
            int64_t days = (int64_t)(n_drills - d) * 200 + 30 - (int64_t)pj_rng_below(&rng, 60);
            int64_t start = pj_now() - days * 86400;
            int64_t end;
            double late = pj_rng_below(&rng, 3) == 0 ? 0.9 : 0.3;
            int64_t cid = add_conversion(c, &rng, fs[i].id, mid, scenario, "drill", start, 1, late,
                                         &end, err);
            if (cid < 0 || pj_du_drill_keep_result(c, cid, err)) return -1;
            drilled++;
            if (late > 0.5) {
                pj_stmt *s = pj_db_prepare(c->db,
                                           "INSERT INTO drill_findings (conversion_id, finding,"
                                           " action, owner, due_date, status, closed_at,"
                                           " closed_note, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
                                           err);
                if (!s) return -1;
                int closed = d == 0;
                pj_stmt_int(s, 1, cid);
                pj_stmt_text(s, 2, "分区改造用时超出计划，物资进场与分区施工相互等待");
                pj_stmt_text(s, 3, "预置分区隔断材料，物资进场与分区改造并行组织");
                pj_stmt_text(s, 4, "设施负责人");
                pj_stmt_int(s, 5, (end / 86400 + 30) * 86400); /* a date: its day's start */
                pj_stmt_text(s, 6, closed ? "closed" : "open");
                if (closed) pj_stmt_int(s, 7, end + 20 * 86400);
                pj_stmt_text(s, 8, closed ? "已完成隔断材料预置并复演" : "");
                pj_stmt_int(s, 9, end);
                if (exec1(c, s, NULL, err)) return -1;
            }
        }
    }
    /* one live conversion in progress: 万达锦华酒店, started 5 hours ago */
    if (wanda_manual) {
        int64_t cid = add_conversion(c, &rng, wanda, wanda_manual, "epidemic", "live",
                                     pj_now() - 5 * 3600, 0, 0.6, NULL, err);
        if (cid < 0) return -1;
        pj_stmt *s =
            pj_db_prepare(c->db, "UPDATE facilities SET state = 'converting' WHERE id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, wanda);
        if (exec1(c, s, NULL, err)) return -1;
    }
    /* the drill plan: eight facilities in peacetime with no epidemic drill within the year
     * have one planned, every ten days from ten days on */
    q = pj_db_prepare(
        c->db,
        "INSERT INTO drill_plans (facility_id, scenario, planned_date, note, source, created_at,"
        " updated_at) SELECT id, 'epidemic', date(pj_today(), '+' || (10 * ROW_NUMBER() OVER"
        " (ORDER BY id)) || ' days'), '年度转换演练', 'synthetic', ?1, ?1 FROM (SELECT DISTINCT"
        " f.id FROM facilities f JOIN manuals m ON m.facility_id = f.id AND m.scenario ="
        " 'epidemic' WHERE f.state = 'peacetime' AND NOT EXISTS (SELECT 1 FROM conversions k"
        " WHERE k.facility_id = f.id AND k.mode = 'drill' AND k.scenario = 'epidemic' AND"
        " k.started_at > ?1 - 365 * 86400) ORDER BY f.id LIMIT 8)",
        err);
    if (!q) return -1;
    pj_stmt_int(q, 1, pj_now());
    if (exec1(c, q, NULL, err)) return -1;
    /* stock lines in the warehouses: the five reserves' food and emergency supplies */
    static const struct {
        const char *cat;
        double per_m3; /* quantity per m³ of the warehouse's store */
    } stock[] = {{"grain", 1.2}, {"vegetables", 0.3}, {"meat", 0.12},     {"eggs", 0.05},
                 {"oil", 0.05},  {"water", 0.8},      {"medicine", 0.01}, {"ppe", 0.4}};
    q = pj_db_prepare(c->db,
                      "SELECT f.id, r.capacity FROM facilities f JOIN facility_roles r ON"
                      " r.facility_id = f.id WHERE r.role = 'supply_store' AND r.unit = 'm3'",
                      err);
    if (!q) return -1;
    int64_t wid[256];
    double wcap[256];
    int nw = 0;
    while ((rc = pj_stmt_step(q, err)) == 1 && nw < 256) {
        wid[nw] = pj_col_int(q, 0);
        wcap[nw++] = pj_col_double(q, 1);
    }
    pj_stmt_done(q);
    if (rc < 0) return -1;
    for (int k = 0; k < nw; k++)
        for (size_t j = 0; j < sizeof stock / sizeof stock[0]; j++) {
            if (pj_rng_below(&rng, 4) == 0) continue;
            pj_stmt *s = pj_db_prepare(c->db,
                                       "INSERT INTO stock_lines (facility_id, category, quantity,"
                                       " unit, expiry, source, created_at, updated_at) SELECT ?, ?,"
                                       " ?, unit, ?, 'synthetic', ?, ? FROM supply_categories"
                                       " WHERE code = ?",
                                       err);
            if (!s) return -1;
            double qty = round(wcap[k] * stock[j].per_m3 * (0.3 + pj_rng_unit(&rng)));
            /* about one line in twelve has expired: the overview keeps it apart */
            int64_t exp = /* a date: its day's start, as an expiry entered */
                (pj_now() / 86400 +
                 (pj_rng_below(&rng, 12) == 0 ? -30 : 90 + (int64_t)pj_rng_below(&rng, 600))) *
                86400;
            pj_stmt_int(s, 1, wid[k]);
            pj_stmt_text(s, 2, stock[j].cat);
            pj_stmt_double(s, 3, qty);
            pj_stmt_int(s, 4, exp);
            pj_stmt_int(s, 5, pj_now());
            pj_stmt_int(s, 6, pj_now());
            pj_stmt_text(s, 7, stock[j].cat);
            if (exec1(c, s, NULL, err)) return -1;
        }
    (void)drilled;
    return 0;
}
