/* Agri-tech 农业科技: the kinds (record.h), the milestone rule, agricultural output read from
 * the indicators, the KPIs. */
#include "domain/agritech.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "domain/indicator.h"
#include "domain/input.h"
#include "domain/rows.h"

#include "core/banned.h"

static const char *const lab_kinds[] = {"national_key_lab",   "graduate_school", "innovation_port",
                                        "research_institute", "other",           NULL};
static const char *const project_states[] = {"planned", "in_progress", "completed", "suspended",
                                             NULL};
static const char *const milestone_states[] = {"open", "done", "cancelled", NULL};
static const char *const expert_titles[] = {"academician", "doctor", NULL};
static const char *const section_states[] = {"planned", "under_construction", "operating", NULL};
static const char *const result_kinds[] = {"variety", "technique", "patent", "standard",
                                           "product", "other",     NULL};

#define REF_LAB     "SELECT 1 FROM ag_labs WHERE id = ?"
#define REF_FARM    "SELECT 1 FROM ag_farms WHERE id = ?"
#define REF_PROJECT "SELECT 1 FROM ag_projects WHERE id = ?"
#define REF_RESULT  "SELECT 1 FROM ag_results WHERE id = ?"
#define F           PJ_RF_FILTER
#define RQ          PJ_RF_REQ

/* The transfer x is to a farm of the enterprise user's organisation (?2). */
#define OWN_FARM_X "(SELECT f.organisation_id FROM ag_farms f WHERE f.id = x.farm_id) = ?2"

/* ---- labs ---- */

static const pj_rec_field lab_fields[] = {
    PJ_F_TEXT("name", RQ, 1, 100),
    PJ_F_ENUM("kind", RQ | F, lab_kinds),
    PJ_F_TEXT("field", 0, 0, 100),
    PJ_F_REF("organisation_id", F, PJ_REF_ORG),
    PJ_F_REF("facility_id", 0, PJ_REF_FACILITY),
    PJ_F_REF("township_id", F, PJ_REF_TOWNSHIP),
};
static const pj_rec_extra lab_extras[] = {
    /* an enterprise user counts the projects and experts it reads (its own), as it lists them */
    {"projects", "SELECT COUNT(*) FROM ag_projects p WHERE p.lab_id = t.id", PJ_RT_INT,
     "SELECT COUNT(*) FROM ag_projects p WHERE p.lab_id = t.id AND p.organisation_id = ?2"},
    {"results", "SELECT COUNT(*) FROM ag_results r WHERE r.lab_id = t.id", PJ_RT_INT},
    {"experts", "SELECT COUNT(*) FROM ag_experts e WHERE e.lab_id = t.id", PJ_RT_INT,
     "SELECT COUNT(*) FROM ag_experts e WHERE e.lab_id = t.id AND (SELECT f.organisation_id FROM"
     " ag_farms f WHERE f.id = e.farm_id) = ?2"},
    PJ_X_ORG,
    PJ_X_TOWN,
    PJ_X_FACIL,
};
const pj_rec_kind pj_ag_labs = {.name = "ag_lab",
                                .noun = "lab",
                                .table = "ag_labs",
                                .fields = lab_fields,
                                .nfields = PJ_N(lab_fields),
                                .extras = lab_extras,
                                .nextras = PJ_N(lab_extras),
                                .town_sql = "t.township_id",
                                .deletable = 1};

/* ---- innovation-port projects and milestones ---- */

/* A township officer links a lab (a project's, a farm's, an expert's lab_id) of their own
 * township or of none (a district lab): another township's lab is its officer's to count and to
 * change, so the link is 403 forbidden at lab_id. Checked when lab_id is given and is not the
 * record's already (a link the district made stays when an edit sends it back unchanged). */
static int lab_in_scope(pj_ctx *c, const pj_rec_kind *k, int64_t id, const json_t *body,
                        pj_err *err)
{
    json_t *lab = json_object_get(body, "lab_id");
    if (c->actor.role != PJ_ROLE_TOWNSHIP_OFFICER || !json_is_integer(lab)) return 0;
    pj_stmt *s;
    if (id) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = ? AND lab_id = ?", k->table);
        if (!(s = pj_db_prepare(c->db, sql, err))) return -1;
        pj_stmt_int(s, 1, id);
        pj_stmt_int(s, 2, json_integer_value(lab));
        int same = pj_stmt_step(s, err);
        pj_stmt_done(s);
        if (same) return same < 0 ? -1 : 0;
    }
    s = pj_db_prepare(c->db, "SELECT township_id FROM ag_labs WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, json_integer_value(lab));
    int rc = pj_stmt_step(s, err);
    int64_t town = rc == 1 && !pj_col_is_null(s, 0) ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (town && town != c->actor.township_id)
        return pj_fail(err, 403, "forbidden", "lab_id",
                       "lab %lld is township %lld's: link a lab of your township or a district"
                       " lab",
                       (long long)json_integer_value(lab), (long long)town);
    return 0;
}

static const pj_rec_field project_fields[] = {
    PJ_F_TEXT("name", RQ, 1, 100),
    PJ_F_REF("lab_id", F, REF_LAB),
    PJ_F_REF("organisation_id", F, PJ_REF_ORG),
    PJ_F_REF("township_id", F, PJ_REF_TOWNSHIP),
    PJ_F_ENUM("state", F, project_states),
    PJ_F_DATE("start_date", PJ_RF_NULL),
    PJ_F_INT("budget_fen", 0, 0, 1e15),
};
static const pj_rec_extra project_extras[] = {
    {"milestones", "SELECT COUNT(*) FROM ag_milestones m WHERE m.project_id = t.id", PJ_RT_INT},
    {"milestones_done",
     "SELECT COUNT(*) FROM ag_milestones m WHERE m.project_id = t.id AND m.state = 'done'",
     PJ_RT_INT},
    {"milestones_overdue",
     "SELECT COUNT(*) FROM ag_milestones m WHERE m.project_id = t.id AND m.state = 'open' AND"
     " m.due < " PJ_REC_TODAY_SQL,
     PJ_RT_INT},
    PJ_X_NAME("lab", "SELECT l.name FROM ag_labs l WHERE l.id = t.lab_id"),
    PJ_X_ORG,
    PJ_X_TOWN,
};
/* A project's state moves on (409 invalid_transition otherwise): planned → in_progress →
 * completed, planned or in_progress → suspended, suspended → in_progress (resumed). A completed
 * project is not reopened, nor does any project go back to planned. Its start_date follows the
 * state: a planned (or suspended) project may name a start to come; an in-progress or completed
 * one has started — its start_date is not in the future, and an in-progress project without one
 * starts today. Its milestones are not done before it starts (409 date_conflict). Checked on
 * what a change touches: a new project, a change of state, a start_date in the body. */
static const char *const project_steps[] = {"planned", "in_progress", "completed", NULL};

static int project_move_ok(const char *from, const char *to)
{
    if (!strcmp(to, "suspended")) return !strcmp(from, "suspended") || strcmp(from, "completed");
    if (!strcmp(from, "suspended")) return !strcmp(to, "in_progress");
    return pj_rec_state_step_ok(project_steps, from, to);
}

static int project_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body,
                         const json_t *row, pj_err *err)
{
    if (lab_in_scope(c, k, id, body, err)) return -1;
    const char *cur;
    int cur_start;
    if (pj_rec_stored_state(c, k, id, "start_date", &cur, &cur_start, err)) return -1;
    const char *to = json_string_value(json_object_get(row, "state"));
    if (!to) to = cur ? cur : "planned";
    if (cur && !project_move_ok(cur, to))
        return pj_fail(err, 409, "invalid_transition", "state",
                       "a project goes planned → in_progress → completed (or is suspended and"
                       " resumed); %s → %s is not allowed",
                       cur, to);
    int restate = !cur || strcmp(cur, to), touched = restate || json_object_get(body, "start_date");
    if (!touched) return 0;
    /* completed: every milestone decided (done or cancelled) — an open one stayed counted
     * overdue in the project and the KPIs for good */
    if (id && restate && !strcmp(to, "completed")) {
        int64_t open = 0;
        pj_stmt *q = pj_db_prepare(
            c->db, "SELECT COUNT(*) FROM ag_milestones WHERE project_id = ? AND state = 'open'",
            err);
        if (!q) return -1;
        pj_stmt_int(q, 1, id);
        int qrc = pj_stmt_step(q, err);
        if (qrc == 1) open = pj_col_int(q, 0);
        pj_stmt_done(q);
        if (qrc < 0) return -1;
        if (open)
            return pj_fail(err, 409, "conflict", "state",
                           "%lld milestone(s) of the project are still open: mark them done or"
                           " cancelled first",
                           (long long)open);
    }
    char today[11];
    pj_rec_today(today);
    const char *start = json_string_value(json_object_get(row, "start_date"));
    if (!strcmp(to, "in_progress")) {
        if (pj_rec_date_happened(body, row, "start_date", restate, cur_start, today, "project",
                                 "is in progress", err))
            return -1;
    } else if (!strcmp(to, "completed") && start && strcmp(start, today) > 0) {
        return pj_fail(err, 422, "invalid_value", "start_date",
                       "start_date %s is in the future: a completed project has started (today"
                       " is %s)",
                       start, today);
    }
    /* the milestones done so far are not before the start */
    start = json_string_value(json_object_get(body, "start_date"));
    if (!id || !start) return 0;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id, done FROM ag_milestones WHERE project_id = ? AND done <"
                               " ? ORDER BY done, id LIMIT 1",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    pj_stmt_text(s, 2, start);
    int rc = pj_stmt_step(s, err);
    if (rc == 1) {
        int64_t mid = pj_col_int(s, 0);
        char done[11];
        snprintf(done, sizeof done, "%s", pj_col_text(s, 1));
        pj_stmt_done(s);
        return pj_fail(err, 409, "date_conflict", "start_date",
                       "milestone %lld was done on %s: the project started on or before that day"
                       " (not %s)",
                       (long long)mid, done, start);
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

const pj_rec_kind pj_ag_projects = {.name = "ag_project",
                                    .noun = "project",
                                    .table = "ag_projects",
                                    .fields = project_fields,
                                    .nfields = PJ_N(project_fields),
                                    .extras = project_extras,
                                    .nextras = PJ_N(project_extras),
                                    .org_sql = "t.organisation_id",
                                    .town_sql = "t.township_id",
                                    .enterprise_writes = 1,
                                    .deletable = 1,
                                    .check = project_check};

/* A milestone's state and its done date agree: done ⇔ a done date (not in the future, nor
 * before its project's start_date). */
static int milestone_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body,
                           const json_t *row, pj_err *err)
{
    (void)k;
    json_t *done = json_object_get(body, "done"), *state = json_object_get(body, "state");
    const char *st = state ? json_string_value(state) : NULL;
    char today[11];
    pj_rec_today(today);
    const char *cur_state = "open", *cur_due = NULL;
    int cur_done = 0;
    if (id) {
        pj_stmt *s =
            pj_db_prepare(c->db, "SELECT state, done, due FROM ag_milestones WHERE id = ?", err);
        if (!s) return -1;
        pj_stmt_int(s, 1, id);
        if (pj_stmt_step(s, err) == 1) {
            cur_state = pj_arena_strdup(c->arena, pj_col_text(s, 0));
            cur_done = !pj_col_is_null(s, 1);
            cur_due = pj_arena_strdup(c->arena, pj_col_text(s, 2));
        }
        pj_stmt_done(s);
    }
    (void)cur_due;
    if (done && !json_is_null(done)) {
        if (strcmp(json_string_value(done), today) > 0)
            return pj_fail(err, 422, "invalid_value", "done", "done is in the future");
        if (st && strcmp(st, "done"))
            return pj_fail(err, 422, "invalid_value", "state",
                           "a milestone with a done date is in state done");
        if (!st) json_object_set_new(body, "state", json_string("done"));
    } else if (done) { /* done: null */
        if (st && !strcmp(st, "done"))
            return pj_fail(err, 422, "missing_field", "done", "state done needs a done date");
        if (!st && !strcmp(cur_state, "done"))
            json_object_set_new(body, "state", json_string("open"));
    } else if (st && !strcmp(st, "done")) {
        if (!cur_done) json_object_set_new(body, "done", json_string(today));
    } else if (st) {
        json_object_set_new(body, "done", json_null());
    }
    /* the done date as it will be written, when this change sets it */
    const char *d = json_string_value(json_object_get(body, "done"));
    json_t *p = json_object_get(row, "project_id");
    if (!json_is_integer(p)) return 0;
    pj_stmt *s =
        pj_db_prepare(c->db, "SELECT start_date, state FROM ag_projects WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, json_integer_value(p));
    int rc = pj_stmt_step(s, err);
    /* an open milestone (new, reopened or moved) under a completed project: the project was
     * completed with every milestone decided, and one added since was overdue at once */
    const char *will = json_string_value(json_object_get(body, "state"));
    if (!will) will = cur_state;
    if (rc == 1 && !strcmp(pj_col_text(s, 1), "completed") && !strcmp(will, "open") &&
        (!id || strcmp(cur_state, "open") || json_object_get(body, "project_id"))) {
        pj_stmt_done(s);
        return pj_fail(err, 409, "conflict", "project_id",
                       "project %lld is completed: its milestones are decided, none is open",
                       (long long)json_integer_value(p));
    }
    /* nor due before its project starts */
    const char *due = json_string_value(json_object_get(body, "due"));
    if (rc == 1 && due && !pj_col_is_null(s, 0) && strcmp(due, pj_col_text(s, 0)) < 0) {
        char start[11];
        snprintf(start, sizeof start, "%s", pj_col_text(s, 0));
        pj_stmt_done(s);
        return pj_fail(err, 422, "invalid_value", "due",
                       "due %s is before project %lld starts (%s)", due,
                       (long long)json_integer_value(p), start);
    }
    if (rc == 1 && d && !pj_col_is_null(s, 0) && strcmp(d, pj_col_text(s, 0)) < 0) {
        char start[11];
        snprintf(start, sizeof start, "%s", pj_col_text(s, 0));
        pj_stmt_done(s);
        return pj_fail(err, 422, "invalid_value", "done",
                       "done %s is before project %lld starts (%s): a milestone is done once its"
                       " project has started",
                       d, (long long)json_integer_value(p), start);
    }
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

static const pj_rec_field milestone_fields[] = {
    PJ_F_REF("project_id", RQ | F | PJ_RF_FIXED, REF_PROJECT),
    PJ_F_TEXT("name", RQ, 1, 100),
    PJ_F_DATE("due", RQ),
    PJ_F_DATE("done", PJ_RF_NULL),
    PJ_F_ENUM("state", F, milestone_states),
};
static const pj_rec_extra milestone_extras[] = {
    {"overdue", "t.state = 'open' AND t.due < " PJ_REC_TODAY_SQL, PJ_RT_BOOL},
    PJ_X_NAME("project", "SELECT p.name FROM ag_projects p WHERE p.id = t.project_id"),
};
const pj_rec_kind pj_ag_milestones = {
    .name = "ag_milestone",
    .noun = "milestone",
    .table = "ag_milestones",
    .fields = milestone_fields,
    .nfields = PJ_N(milestone_fields),
    .extras = milestone_extras,
    .nextras = PJ_N(milestone_extras),
    .org_sql = "SELECT p.organisation_id FROM ag_projects p WHERE p.id = t.project_id",
    .town_sql = "SELECT p.township_id FROM ag_projects p WHERE p.id = t.project_id",
    .range = "due",
    .enterprise_writes = 1,
    .deletable = 1,
    .check = milestone_check};

/* ---- doctor farms and experts ---- */

/* A registry facility is one farm's: its food reserve is counted once. A farm is recorded once
 * established: `established` is not in the future (422 invalid_value), nor after a transfer to
 * it, and its `area_mu` holds each transfer's (409 date_conflict / conflict on a change). */
static int farm_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body, const json_t *row,
                      pj_err *err)
{
    if (lab_in_scope(c, k, id, body, err) || pj_rec_link_once(c, k, id, row, "facility_id", err))
        return -1;
    const char *est = json_string_value(json_object_get(body, "established"));
    if (est) {
        char today[11];
        pj_rec_today(today);
        if (strcmp(est, today) > 0)
            return pj_fail(err, 422, "invalid_value", "established",
                           "established %s is in the future: a farm is recorded once established"
                           " (today is %s, Beijing time)",
                           est, today);
    }
    json_t *area = json_object_get(body, "area_mu");
    if (!id || (!est && !json_is_number(area))) return 0;
    pj_stmt *s =
        pj_db_prepare(c->db,
                      "SELECT (SELECT id || ' ' || date FROM ag_transfers WHERE farm_id = ?1"
                      " AND date < ?2 ORDER BY date, id LIMIT 1), (SELECT id || ' ' ||"
                      " area_mu FROM ag_transfers WHERE farm_id = ?1 AND area_mu > ?3 +"
                      " 1e-9 ORDER BY area_mu DESC, id LIMIT 1)",
                      err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    if (est)
        pj_stmt_text(s, 2, est);
    else
        pj_stmt_null(s, 2);
    if (json_is_number(area))
        pj_stmt_double(s, 3, json_number_value(area));
    else
        pj_stmt_null(s, 3);
    int rc = pj_stmt_step(s, err);
    char early[64] = "", big[64] = "";
    if (rc == 1) {
        if (!pj_col_is_null(s, 0)) snprintf(early, sizeof early, "%s", pj_col_text(s, 0));
        if (!pj_col_is_null(s, 1)) snprintf(big, sizeof big, "%s", pj_col_text(s, 1));
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (*early)
        return pj_fail(err, 409, "date_conflict", "established",
                       "transfer %s (id, date) was made to the farm before %s: it was established"
                       " by then",
                       early, est);
    if (*big)
        return pj_fail(
            err, 409, "conflict", "area_mu",
            "transfer %s (id, mu) covers more than %.15g mu: the farm holds its transfers", big,
            json_number_value(area));
    return 0;
}

static const pj_rec_field farm_fields[] = {
    PJ_F_TEXT("name", RQ, 1, 100),
    PJ_F_REF("township_id", F, PJ_REF_TOWNSHIP),
    PJ_F_REF("organisation_id", F, PJ_REF_ORG),
    PJ_F_REF("facility_id", 0, PJ_REF_FACILITY),
    PJ_F_REF("lab_id", F, REF_LAB),
    PJ_F_NUM("area_mu", 0, 0, 1e7),
    PJ_F_TEXT("main_crop", 0, 0, 64),
    PJ_F_BOOL("postdoc_station", F),
    PJ_F_DATE("established", PJ_RF_NULL),
};
static const pj_rec_extra farm_extras[] = {
    {"academicians",
     "SELECT COUNT(*) FROM ag_experts e WHERE e.farm_id = t.id AND e.title = 'academician'",
     PJ_RT_INT},
    {"doctors", "SELECT COUNT(*) FROM ag_experts e WHERE e.farm_id = t.id AND e.title = 'doctor'",
     PJ_RT_INT},
    {"results_adopted", "SELECT COUNT(*) FROM ag_transfers x WHERE x.farm_id = t.id", PJ_RT_INT},
    {"food_reserve_t",
     "SELECT SUM(r.capacity) FROM facility_roles r WHERE r.facility_id = t.facility_id AND"
     " r.role = 'supply_store' AND r.unit = 't'",
     PJ_RT_NUM},
    PJ_X_TOWN,
    PJ_X_ORG,
    PJ_X_FACIL,
    PJ_X_NAME("lab", "SELECT l.name FROM ag_labs l WHERE l.id = t.lab_id"),
};
const pj_rec_kind pj_ag_farms = {.name = "ag_farm",
                                 .noun = "farm",
                                 .table = "ag_farms",
                                 .fields = farm_fields,
                                 .nfields = PJ_N(farm_fields),
                                 .extras = farm_extras,
                                 .nextras = PJ_N(farm_extras),
                                 .org_sql = "t.organisation_id",
                                 .town_sql = "t.township_id",
                                 .enterprise_writes = 1,
                                 .deletable = 1,
                                 .check = farm_check};

/* An expert works at a farm or a lab (or both); their township is the farm's, else the lab's.
 * A township officer links labs of their township (lab_in_scope), as for a project or a farm. */
static int expert_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body,
                        const json_t *row, pj_err *err)
{
    if (lab_in_scope(c, k, id, body, err)) return -1;
    json_t *farm = json_object_get(row, "farm_id"), *lab = json_object_get(row, "lab_id");
    if ((!farm || json_is_null(farm)) && (!lab || json_is_null(lab)))
        return pj_fail(err, 422, "missing_field", "farm_id",
                       "an expert belongs to a farm (farm_id) or a lab (lab_id)");
    return 0;
}

static const pj_rec_field expert_fields[] = {
    PJ_F_TEXT("name", RQ, 1, 64),     PJ_F_ENUM("title", RQ | F, expert_titles),
    PJ_F_REF("farm_id", F, REF_FARM), PJ_F_REF("lab_id", F, REF_LAB),
    PJ_F_TEXT("field", 0, 0, 100),    PJ_F_TEXT("affiliation", 0, 0, 100),
};
static const pj_rec_extra expert_extras[] = {
    PJ_X_NAME("farm", "SELECT f.name FROM ag_farms f WHERE f.id = t.farm_id"),
    PJ_X_NAME("lab", "SELECT l.name FROM ag_labs l WHERE l.id = t.lab_id"),
};
const pj_rec_kind pj_ag_experts = {
    .name = "ag_expert",
    .noun = "expert",
    .table = "ag_experts",
    .fields = expert_fields,
    .nfields = PJ_N(expert_fields),
    .extras = expert_extras,
    .nextras = PJ_N(expert_extras),
    .org_sql = "SELECT f.organisation_id FROM ag_farms f WHERE f.id = t.farm_id",
    .town_sql = "SELECT COALESCE((SELECT f.township_id FROM ag_farms f WHERE f.id = t.farm_id),"
                " (SELECT l.township_id FROM ag_labs l WHERE l.id = t.lab_id))",
    .enterprise_writes = 1,
    .deletable = 1,
    .check = expert_check};

/* ---- greenhouse cluster sections ---- */

/* A section moves as a warehouse does, one step forward: planned → under_construction →
 * operating (409 invalid_transition otherwise). Only an operating section yields: a yield_kg
 * above 0 of one planned or under construction is 422 invalid_value (checked on a new section, a
 * change of state or of yield_kg), and the KPIs count the yield of operating sections only. */
static int section_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body,
                         const json_t *row, pj_err *err)
{
    const char *cur;
    if (pj_rec_stored_state(c, k, id, NULL, &cur, NULL, err)) return -1;
    const char *to = json_string_value(json_object_get(row, "state"));
    if (!to) to = cur ? cur : "planned";
    if (cur && !pj_rec_state_step_ok(section_states, cur, to))
        return pj_fail(err, 409, "invalid_transition", "state",
                       "a section goes planned → under_construction → operating; %s → %s is not"
                       " allowed",
                       cur, to);
    int touched = !cur || strcmp(cur, to) || json_object_get(body, "yield_kg");
    if (touched && strcmp(to, "operating") &&
        json_number_value(json_object_get(row, "yield_kg")) > 0)
        return pj_fail(err, 422, "invalid_value", "yield_kg",
                       "a %s section yields nothing yet: yield_kg is for an operating one", to);
    return 0;
}

static const pj_rec_field section_fields[] = {
    PJ_F_TEXT("cluster", RQ | F, 1, 100),
    PJ_F_TEXT("name", RQ, 1, 100),
    PJ_F_REF("township_id", F, PJ_REF_TOWNSHIP),
    PJ_F_REF("organisation_id", F, PJ_REF_ORG),
    PJ_F_ENUM("state", F, section_states),
    PJ_F_NUM("area_m2", RQ, 1, 1e9),
    PJ_F_TEXT("crop", F, 0, 64),
    PJ_F_NUM("yield_kg", 0, 0, 1e12),
};
static const pj_rec_extra section_extras[] = {
    {"yield_kg_per_m2", "t.yield_kg / t.area_m2", PJ_RT_NUM},
    PJ_X_TOWN,
    PJ_X_ORG,
};
const pj_rec_kind pj_ag_sections = {.name = "ag_section",
                                    .noun = "greenhouse section",
                                    .table = "ag_sections",
                                    .fields = section_fields,
                                    .nfields = PJ_N(section_fields),
                                    .extras = section_extras,
                                    .nextras = PJ_N(section_extras),
                                    .org_sql = "t.organisation_id",
                                    .town_sql = "t.township_id",
                                    .enterprise_writes = 1,
                                    .deletable = 1,
                                    .check = section_check};

/* ---- research results and their transfer to farms ---- */

static const pj_rec_field result_fields[] = {
    PJ_F_TEXT("title", RQ, 1, 200),
    PJ_F_ENUM("kind", RQ | F, result_kinds),
    PJ_F_REF("lab_id", F, REF_LAB),
    PJ_F_INT("year", RQ | F, 1950, 2100),
};
static const pj_rec_extra result_extras[] = {
    /* an enterprise user counts the transfers it reads (to its own farms) */
    {"farms_reached", "SELECT COUNT(*) FROM ag_transfers x WHERE x.result_id = t.id", PJ_RT_INT,
     "SELECT COUNT(*) FROM ag_transfers x WHERE x.result_id = t.id AND " OWN_FARM_X},
    {"transfer_value_fen",
     "SELECT CAST(TOTAL(x.value_fen) AS INTEGER) FROM ag_transfers x WHERE x.result_id = t.id",
     PJ_RT_INT,
     "SELECT CAST(TOTAL(x.value_fen) AS INTEGER) FROM ag_transfers x WHERE x.result_id = t.id "
     "AND " OWN_FARM_X},
    PJ_X_NAME("lab", "SELECT l.name FROM ag_labs l WHERE l.id = t.lab_id"),
};
/* The year of a date "YYYY-MM-DD" (its first four digits; 0 when they are not digits). */
static int year_of(const char *d)
{
    int y = 0;
    for (int i = 0; i < 4; i++) {
        if (!d || d[i] < '0' || d[i] > '9') return 0;
        y = y * 10 + (d[i] - '0');
    }
    return y;
}

/* A result is recorded once achieved: its year is not after this one (the district's date), nor
 * after the first transfer of it to a farm (a farm does not take up a result before it exists).
 * Checked when the year is given (a new result, a change of year). */
static int result_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body,
                        const json_t *row, pj_err *err)
{
    (void)k;
    json_t *y = json_object_get(body, "year");
    if (!json_is_integer(y)) return 0;
    char today[11];
    pj_rec_today(today);
    int year = (int)json_integer_value(y), now = year_of(today);
    if (year > now)
        return pj_fail(err, 422, "out_of_range", "year",
                       "a result is recorded once achieved: %d is after this year (%d)", year, now);
    if (!id) return 0;
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT id, date FROM ag_transfers WHERE result_id = ? ORDER BY"
                               " date, id LIMIT 1",
                               err);
    if (!s) return -1;
    pj_stmt_int(s, 1, id);
    int rc = pj_stmt_step(s, err);
    if (rc == 1 && year_of(pj_col_text(s, 1)) < year) {
        int64_t tid = pj_col_int(s, 0);
        char date[11];
        snprintf(date, sizeof date, "%s", pj_col_text(s, 1));
        pj_stmt_done(s);
        return pj_fail(err, 422, "invalid_value", "year",
                       "the result was taken up by a farm on %s (transfer %lld): its year is not"
                       " after %.4s",
                       date, (long long)tid, date);
    }
    pj_stmt_done(s);
    (void)row;
    return rc < 0 ? -1 : 0;
}

const pj_rec_kind pj_ag_results = {.name = "ag_result",
                                   .noun = "research result",
                                   .table = "ag_results",
                                   .fields = result_fields,
                                   .nfields = PJ_N(result_fields),
                                   .extras = result_extras,
                                   .nextras = PJ_N(result_extras),
                                   .deletable = 1,
                                   .check = result_check};

/* A transfer fits its farm: not dated before the farm was established (422 invalid_value at
 * date), no more area_mu than the farm has when it has an area (422 out_of_range at area_mu).
 * Checked on a new transfer and a change of date or area_mu. */
static int transfer_farm(pj_ctx *c, int64_t id, json_t *body, const json_t *row, pj_err *err)
{
    json_t *f = json_object_get(row, "farm_id");
    int t_date = !id || json_object_get(body, "date"),
        t_area = !id || json_object_get(body, "area_mu");
    if (!json_is_integer(f) || (!t_date && !t_area)) return 0;
    pj_stmt *s =
        pj_db_prepare(c->db, "SELECT established, area_mu FROM ag_farms WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, json_integer_value(f));
    int rc = pj_stmt_step(s, err);
    char est[11] = "";
    double farm_area = -1;
    if (rc == 1) {
        if (!pj_col_is_null(s, 0)) snprintf(est, sizeof est, "%s", pj_col_text(s, 0));
        if (!pj_col_is_null(s, 1)) farm_area = pj_col_double(s, 1);
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    const char *d = json_string_value(json_object_get(row, "date"));
    if (t_date && *est && d && strcmp(d, est) < 0)
        return pj_fail(err, 422, "invalid_value", "date",
                       "farm %lld was established on %s: a transfer to it is not dated before"
                       " (%s)",
                       (long long)json_integer_value(f), est, d);
    json_t *a = json_object_get(row, "area_mu");
    if (t_area && farm_area > 0 && json_is_number(a) && json_number_value(a) > farm_area + 1e-9)
        return pj_fail(err, 422, "out_of_range", "area_mu",
                       "%.15g mu is more than farm %lld has (%.15g mu)", json_number_value(a),
                       (long long)json_integer_value(f), farm_area);
    return 0;
}

/* A transfer is dated when it was made: not in the future, and not before its result's year (a
 * farm does not take up a result before it exists; checked when the date is given). */
static int transfer_check(pj_ctx *c, const pj_rec_kind *k, int64_t id, json_t *body,
                          const json_t *row, pj_err *err)
{
    (void)k;
    json_t *d = json_object_get(row, "date");
    char today[11];
    pj_rec_today(today);
    if (d && strcmp(json_string_value(d), today) > 0)
        return pj_fail(err, 422, "invalid_value", "date", "a transfer is recorded once it is made");
    if (transfer_farm(c, id, body, row, err)) return -1;
    json_t *r = json_object_get(row, "result_id");
    if (!json_is_string(d) || !json_is_integer(r) || (id && !json_object_get(body, "date")))
        return 0;
    pj_stmt *s = pj_db_prepare(c->db, "SELECT year FROM ag_results WHERE id = ?", err);
    if (!s) return -1;
    pj_stmt_int(s, 1, json_integer_value(r));
    int rc = pj_stmt_step(s, err);
    int year = rc == 1 ? (int)pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (year_of(json_string_value(d)) < year)
        return pj_fail(err, 422, "invalid_value", "date",
                       "result %lld dates from %d: a transfer of it is not dated before that year"
                       " (%s)",
                       (long long)json_integer_value(r), year, json_string_value(d));
    return 0;
}

static const pj_rec_field transfer_fields[] = {
    PJ_F_REF("result_id", RQ | F | PJ_RF_FIXED, REF_RESULT),
    PJ_F_REF("farm_id", RQ | F | PJ_RF_FIXED, REF_FARM),
    PJ_F_DATE("date", RQ),
    PJ_F_NUM("area_mu", 0, 0, 1e7),
    PJ_F_INT("value_fen", 0, 0, 1e15),
    PJ_F_TEXT("note", 0, 0, 200),
};
static const pj_rec_extra transfer_extras[] = {
    PJ_X_NAME("result", "SELECT r.title FROM ag_results r WHERE r.id = t.result_id"),
    PJ_X_NAME("farm", "SELECT f.name FROM ag_farms f WHERE f.id = t.farm_id"),
};
const pj_rec_kind pj_ag_transfers = {
    .name = "ag_transfer",
    .noun = "transfer",
    .table = "ag_transfers",
    .fields = transfer_fields,
    .nfields = PJ_N(transfer_fields),
    .extras = transfer_extras,
    .nextras = PJ_N(transfer_extras),
    .org_sql = "SELECT f.organisation_id FROM ag_farms f WHERE f.id = t.farm_id",
    .town_sql = "SELECT f.township_id FROM ag_farms f WHERE f.id = t.farm_id",
    .range = "date",
    .enterprise_writes = 1,
    .deletable = 1,
    .check = transfer_check};

const pj_rec_named pj_ag_kinds[] = {
    {"labs", &pj_ag_labs},       {"projects", &pj_ag_projects},   {"milestones", &pj_ag_milestones},
    {"farms", &pj_ag_farms},     {"experts", &pj_ag_experts},     {"sections", &pj_ag_sections},
    {"results", &pj_ag_results}, {"transfers", &pj_ag_transfers}, {NULL, NULL}};

/* ---- output (the indicator agri_output) ---- */

static int output_body(pj_ctx *c, pj_jw *w, pj_err *err)
{
    pj_stmt *s = pj_db_prepare(c->db,
                               "SELECT v.id, v.year, v.value, v.source, v.note, i.unit FROM"
                               " indicator_values v JOIN indicators i ON i.id = v.indicator_id"
                               " WHERE i.code = 'agri_output' AND v.region = ? AND"
                               " v.period_kind = 'Y' ORDER BY v.year",
                               err);
    if (!s) return -1;
    pj_stmt_text(s, 1, PJ_IND_DISTRICT);
    int rc, last_year = 0, have_prev = 0, prev_year = 0;
    double prev = 0, last = 0, last_growth = 0;
    int have_growth = 0;
    pj_jw_kstr(w, "indicator", "agri_output");
    pj_jw_kstr(w, "region", PJ_IND_DISTRICT);
    pj_jw_key(w, "years");
    pj_jw_arr(w);
    while ((rc = pj_stmt_step(s, err)) == 1) {
        int year = (int)pj_col_int(s, 1);
        double v = pj_col_double(s, 2);
        pj_jw_obj(w);
        pj_jw_kint(w, "year", year);
        pj_jw_knum(w, "value", v);
        pj_jw_kstr(w, "unit", pj_col_text(s, 5));
        if (have_prev && prev_year == year - 1 && prev > 0) {
            double g = pj_ind_growth(v, prev);
            pj_jw_knum(w, "growth_pct", g);
            pj_jw_knum(w, "growth_pct_rounded", pj_ind_round(g, 1));
            last_growth = g;
            have_growth = 1;
        } else {
            pj_jw_knull(w, "growth_pct");
            pj_jw_knull(w, "growth_pct_rounded");
            have_growth = 0;
        }
        pj_jw_kstr(w, "source", pj_col_text(s, 3));
        pj_jw_kstr(w, "note", pj_col_text(s, 4));
        pj_jw_kint(w, "value_id", pj_col_int(s, 0));
        pj_jw_obj_end(w);
        have_prev = 1;
        prev = v;
        prev_year = year;
        last_year = year;
        last = v;
    }
    pj_stmt_done(s);
    pj_jw_arr_end(w);
    if (rc < 0) return -1;
    pj_jw_key(w, "latest");
    if (!last_year) {
        pj_jw_null(w);
        return 0;
    }
    pj_jw_obj(w);
    pj_jw_kint(w, "year", last_year);
    pj_jw_knum(w, "value", last);
    /* full precision like years[].growth_pct (the console rounds), and the rounded figure */
    if (have_growth) {
        pj_jw_knum(w, "growth_pct", last_growth);
        pj_jw_knum(w, "growth_pct_rounded", pj_ind_round(last_growth, 1));
    } else {
        pj_jw_knull(w, "growth_pct");
        pj_jw_knull(w, "growth_pct_rounded");
    }
    /* the growth's rank among the districts with values, by the indicators module */
    char period[8];
    snprintf(period, sizeof period, "%d", last_year);
    pj_derive_args a = {.fn = "rank", .code = "agri_output", .period = period, .by = "yoy"};
    pj_buf rb;
    pj_buf_init(&rb, 1 << 20);
    pj_jw rw;
    pj_jw_init(&rw, &rb);
    pj_err sub;
    pj_err_clear(&sub);
    pj_jw_key(w, "growth_rank");
    if (have_growth && pj_ind_derive(c, &a, &rw, &sub) == 0 && rb.data) {
        json_t *o = json_loads(rb.data, 0, NULL);
        json_t *val = o ? json_object_get(o, "rank") : NULL;
        json_t *of = o ? json_object_get(o, "of") : NULL;
        if (json_is_integer(val)) {
            pj_jw_int(w, json_integer_value(val));
            if (json_is_integer(of)) pj_jw_kint(w, "growth_rank_of", json_integer_value(of));
        } else {
            pj_jw_null(w);
        }
        json_decref(o);
    } else {
        pj_jw_null(w);
    }
    pj_buf_free(&rb);
    pj_jw_obj_end(w);
    return 0;
}

int pj_agri_output(pj_ctx *c, pj_jw *w, pj_err *err)
{
    int started = pj_db_read_begin(c->db);
    pj_jw_obj(w);
    int rc = output_body(c, w, err);
    pj_jw_obj_end(w);
    pj_db_read_end(c->db, started);
    return rc;
}

/* ---- KPIs ---- */

/* The KPIs' queries over organisation-owned rows take ?1: 0 for every row (the district's
 * figures), else the enterprise user's organisation (its rows only, as it lists them). */
#define ORG_ALL(expr)  "(?1 = 0 OR (" expr ") = ?1)"
#define FARM_ORG(farm) "SELECT f.organisation_id FROM ag_farms f WHERE f.id = " farm
#define PROJECT_ORG    "SELECT p.organisation_id FROM ag_projects p WHERE p.id = t.project_id"

enum kpi_q {
    KQ_LABS,
    KQ_PROJECTS,
    KQ_MS_TOTAL,
    KQ_MS_DONE,
    KQ_MS_OPEN,
    KQ_MS_OVERDUE,
    KQ_FARMS,
    KQ_STATIONS,
    KQ_ACADEMICIANS,
    KQ_DOCTORS,
    KQ_RESULTS,
    KQ_TRANSFERS,
    KQ_FARMS_REACHED,
    KQ_RESERVE_FARMS,
    KQ_SECTIONS,
    KQ_SECTION_STATES,
    KQ_RESERVE_T,
    KQ_COUNT
};

/* The KPIs' queries; `scoped`: the query counts organisation-owned rows and takes the
 * organisation as ?1 (ORG_ALL). Said here, not read from the SQL text: kpi_prepare binds ?1 by
 * it, and refuses a query whose statement takes a parameter it does not say it takes (or none
 * it says it does), so that a query neither loses nor gains its scope unseen. */
static const struct kpi_query {
    const char *sql;
    int scoped;
} kpi_queries[KQ_COUNT] = {
    [KQ_LABS] = {"SELECT kind, COUNT(*) FROM ag_labs GROUP BY kind ORDER BY kind", 0},
    [KQ_PROJECTS] = {"SELECT state, COUNT(*) FROM ag_projects t WHERE " ORG_ALL(
                         "t.organisation_id") " GROUP BY state ORDER BY state",
                     1},
    [KQ_MS_TOTAL] = {"SELECT COUNT(*) FROM ag_milestones t WHERE " ORG_ALL(PROJECT_ORG), 1},
    [KQ_MS_DONE] = {"SELECT COUNT(*) FROM ag_milestones t WHERE state = 'done' AND " ORG_ALL(
                        PROJECT_ORG),
                    1},
    [KQ_MS_OPEN] = {"SELECT COUNT(*) FROM ag_milestones t WHERE state = 'open' AND " ORG_ALL(
                        PROJECT_ORG),
                    1},
    [KQ_MS_OVERDUE] =
        {"SELECT COUNT(*) FROM ag_milestones t WHERE state = 'open' AND due < " PJ_REC_TODAY_SQL
         " AND " ORG_ALL(PROJECT_ORG),
         1},
    [KQ_FARMS] = {"SELECT COUNT(*) FROM ag_farms t WHERE " ORG_ALL("t.organisation_id"), 1},
    [KQ_STATIONS] = {"SELECT COUNT(*) FROM ag_farms t WHERE postdoc_station = 1 AND " ORG_ALL(
                         "t.organisation_id"),
                     1},
    [KQ_ACADEMICIANS] =
        {"SELECT COUNT(*) FROM ag_experts t WHERE title = 'academician' AND " ORG_ALL(
             FARM_ORG("t.farm_id")),
         1},
    [KQ_DOCTORS] = {"SELECT COUNT(*) FROM ag_experts t WHERE title = 'doctor' AND " ORG_ALL(
                        FARM_ORG("t.farm_id")),
                    1},
    [KQ_RESULTS] = {"SELECT COUNT(*) FROM ag_results", 0},
    [KQ_TRANSFERS] = {"SELECT COUNT(*) FROM ag_transfers t WHERE " ORG_ALL(FARM_ORG("t.farm_id")),
                      1},
    [KQ_FARMS_REACHED] = {"SELECT COUNT(DISTINCT farm_id) FROM ag_transfers t WHERE " ORG_ALL(
                              FARM_ORG("t.farm_id")),
                          1},
    /* each reserve once, however many records link it */
    [KQ_RESERVE_FARMS] = {"SELECT COUNT(DISTINCT r.facility_id) FROM facility_roles r WHERE"
                          " r.role = 'supply_store' AND r.unit = 't' AND r.facility_id IN (SELECT"
                          " t.facility_id FROM ag_farms t WHERE " ORG_ALL("t.organisation_id") ")",
                          1},
    [KQ_SECTIONS] = {"SELECT COUNT(*), COALESCE(SUM(area_m2), 0), COALESCE(SUM(CASE WHEN"
                     " state = 'operating' THEN yield_kg END), 0), COALESCE(SUM(CASE WHEN"
                     " state = 'operating' THEN area_m2 END), 0) FROM ag_sections t WHERE " ORG_ALL(
                         "t.organisation_id"),
                     1},
    [KQ_SECTION_STATES] = {"SELECT state, COUNT(*) FROM ag_sections t WHERE " ORG_ALL(
                               "t.organisation_id") " GROUP BY state ORDER BY state",
                           1},
    [KQ_RESERVE_T] = {"SELECT COALESCE(SUM(r.capacity), 0) FROM facility_roles r WHERE r.role ="
                      " 'supply_store' AND r.unit = 't' AND r.facility_id IN (SELECT t.facility_id"
                      " FROM ag_farms t WHERE " ORG_ALL("t.organisation_id") ")",
                      1},
};

static pj_stmt *kpi_prepare(pj_ctx *c, enum kpi_q q, int64_t org, pj_err *err)
{
    const struct kpi_query *k = &kpi_queries[q];
    pj_stmt *s = pj_db_prepare(c->db, k->sql, err);
    if (!s) return NULL;
    if (pj_stmt_param_count(s) != (k->scoped ? 1 : 0)) {
        pj_stmt_done(s);
        pj_fail(err, 500, "internal", "", "agri KPI query %d: its scope flag (%d) is not its SQL's",
                (int)q, k->scoped);
        return NULL;
    }
    if (k->scoped) pj_stmt_int(s, 1, org);
    return s;
}

static int kpi_int(pj_ctx *c, enum kpi_q q, int64_t org, int64_t *out, pj_err *err)
{
    pj_stmt *s = kpi_prepare(c, q, org, err);
    if (!s) return -1;
    int rc = pj_stmt_step(s, err);
    *out = rc == 1 ? pj_col_int(s, 0) : 0;
    pj_stmt_done(s);
    return rc < 0 ? -1 : 0;
}

/* Writes {value: count} for query q selecting (text, count) rows. */
static int counts_by(pj_ctx *c, pj_jw *w, const char *key, enum kpi_q q, int64_t org, pj_err *err)
{
    pj_stmt *s = kpi_prepare(c, q, org, err);
    if (!s) return -1;
    pj_jw_key(w, key);
    pj_jw_obj(w);
    int rc;
    while ((rc = pj_stmt_step(s, err)) == 1) pj_jw_kint(w, pj_col_text(s, 0), pj_col_int(s, 1));
    pj_stmt_done(s);
    pj_jw_obj_end(w);
    return rc < 0 ? -1 : 0;
}

int pj_agri_farm_count(pj_ctx *c, int64_t *out, pj_err *err)
{
    return pj_query_int(c, "SELECT COUNT(*) FROM ag_farms", out, err);
}

/* An enterprise user reads only its own organisation's projects (and their milestones), farms
 * (and their experts, transfers and food reserves) and greenhouse sections: those figures are
 * computed over its rows (scope "organisation") — a district figure of a few firms is those
 * records. Labs, research results and the district's output are everyone's. */
static int kpi_body(pj_ctx *c, pj_jw *w, pj_err *err)
{
    int64_t org = 0;
    if (c->actor.role == PJ_ROLE_ENTERPRISE)
        org = c->actor.organisation_id ? c->actor.organisation_id : -1;
    pj_jw_kstr(w, "scope", org ? "organisation" : "district");
    int64_t farms, stations, acad, docs, results, transfers, reached, mtotal, mdone, mopen, mover,
        reserve_farms;
    if (counts_by(c, w, "labs", KQ_LABS, org, err) ||
        counts_by(c, w, "projects", KQ_PROJECTS, org, err) ||
        kpi_int(c, KQ_MS_TOTAL, org, &mtotal, err) || kpi_int(c, KQ_MS_DONE, org, &mdone, err) ||
        kpi_int(c, KQ_MS_OPEN, org, &mopen, err) || kpi_int(c, KQ_MS_OVERDUE, org, &mover, err) ||
        kpi_int(c, KQ_FARMS, org, &farms, err) || kpi_int(c, KQ_STATIONS, org, &stations, err) ||
        kpi_int(c, KQ_ACADEMICIANS, org, &acad, err) || kpi_int(c, KQ_DOCTORS, org, &docs, err) ||
        kpi_int(c, KQ_RESULTS, org, &results, err) ||
        kpi_int(c, KQ_TRANSFERS, org, &transfers, err) ||
        kpi_int(c, KQ_FARMS_REACHED, org, &reached, err) ||
        kpi_int(c, KQ_RESERVE_FARMS, org, &reserve_farms, err))
        return -1;
    pj_jw_key(w, "milestones");
    pj_jw_obj(w);
    pj_jw_kint(w, "total", mtotal);
    pj_jw_kint(w, "done", mdone);
    pj_jw_kint(w, "open", mopen);
    pj_jw_kint(w, "overdue", mover);
    pj_jw_obj_end(w);
    pj_jw_kint(w, "doctor_farms", farms);
    pj_jw_kint(w, "postdoc_stations", stations);
    pj_jw_key(w, "experts");
    pj_jw_obj(w);
    pj_jw_kint(w, "academicians", acad);
    pj_jw_kint(w, "doctors", docs);
    pj_jw_kint(w, "total", acad + docs);
    pj_jw_obj_end(w);
    pj_stmt *s = kpi_prepare(c, KQ_SECTIONS, org, err);
    if (!s) return -1;
    int rc = pj_stmt_step(s, err);
    pj_jw_key(w, "sections");
    pj_jw_obj(w);
    if (rc == 1) {
        pj_jw_kint(w, "count", pj_col_int(s, 0));
        pj_jw_knum(w, "area_m2", pj_col_double(s, 1));
        pj_jw_knum(w, "yield_kg", pj_col_double(s, 2));
        pj_jw_knum(w, "operating_area_m2", pj_col_double(s, 3));
    }
    pj_stmt_done(s);
    if (rc < 0) return -1;
    if (counts_by(c, w, "by_state", KQ_SECTION_STATES, org, err)) return -1;
    pj_jw_obj_end(w);
    pj_jw_kint(w, "results", results);
    pj_jw_kint(w, "transfers", transfers);
    pj_jw_kint(w, "farms_reached", reached);
    s = kpi_prepare(c, KQ_RESERVE_T, org, err);
    if (!s) return -1;
    rc = pj_stmt_step(s, err);
    double reserve = rc == 1 ? pj_col_double(s, 0) : 0;
    pj_stmt_done(s);
    if (rc < 0) return -1;
    pj_jw_key(w, "food_reserve");
    pj_jw_obj(w);
    pj_jw_kint(w, "farms", reserve_farms);
    pj_jw_knum(w, "t", reserve);
    pj_jw_obj_end(w);
    pj_jw_key(w, "output");
    pj_jw_obj(w);
    if (output_body(c, w, err)) return -1;
    pj_jw_obj_end(w);
    return 0;
}

int pj_agri_kpi(pj_ctx *c, pj_jw *w, pj_err *err)
{
    int started = pj_db_read_begin(c->db);
    pj_jw_obj(w);
    int rc = kpi_body(c, w, err);
    pj_jw_obj_end(w);
    pj_db_read_end(c->db, started);
    return rc;
}
