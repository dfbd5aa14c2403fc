/* Numbered schema migrations, applied at start; never edit a released one, add a new one.
 * SQL kept to what SQLite and PostgreSQL both run. Each module numbers its migrations in its
 * own range and keeps the list in number order:
 *   1–99 foundation and dual-use, 100–199 eldercare, 200–299 enterprise, 300–399 planner,
 *   400–499 district development (e-commerce, agri-tech, logistics, indicators). */
#include "db/migrations.h"

#include "db/ec_livestream.h"

/* migration 482: a product's livestream sale of a month as an audit row holds it,
 * {"id":…,"sale":{"month","channel","orders","gmv_fen"}}: as it was (o0, g0), as it is (o1, g1) */
#define EC_LIVESTREAM_SALE(O, G)                                                                   \
    "'{\"id\":' || product_id || ',\"sale\":{\"month\":\"' || month ||"                            \
    " '\",\"channel\":\"livestream\",\"orders\":' || " O " || ',\"gmv_fen\":' || " G " || '}}'"
#define EC_LIVESTREAM_WAS EC_LIVESTREAM_SALE("o0", "g0")
#define EC_LIVESTREAM_IS  EC_LIVESTREAM_SALE("o1", "g1")

/* migration 482: every product's livestream rows of every month re-derived */
#define EC_LIVESTREAM_ALL                                                                          \
    PJ_EC_LIVESTREAM_DROP("0", "9223372036854775807", "'0000-00'", "'9999-99'")                    \
    ";" PJ_EC_LIVESTREAM_PUT("0", "9223372036854775807", "'0000-00'", "'9999-99'",                 \
                             "(SELECT applied_at FROM schema_migrations WHERE version = 482)") ";"

/* migrations 111, 485: an ID number inside an audit snapshot's column COL brought to the form
 * pj_mask_id gives (the first 6 characters, the rest as stars; "****" when 6 or fewer), for the
 * rows of the entities ENTS whose number is in another form (the older mask kept the last 4,
 * which with birth_date gave the whole number back) */
#define AUDIT_ID_AT(COL) "json_extract(" COL ", '$.id_number')"
#define AUDIT_ID_MASKED(COL)                                                                       \
    "CASE WHEN length(" AUDIT_ID_AT(COL) ") = 0 THEN '' WHEN length(" AUDIT_ID_AT(                 \
        COL) ") <= 6 THEN '****' ELSE substr(" AUDIT_ID_AT(COL) ", 1, 6) ||"                       \
                                                                " substr('***********************" \
                                                                "*********', 1, "                  \
                                                                "length(" AUDIT_ID_AT(             \
                                                                    COL) ") - 6) END"
#define AUDIT_IS(COL, PATH, TYPE)                                                                  \
    "CASE WHEN json_valid(" COL ") THEN json_type(" COL ", '" PATH "') END = '" TYPE "'"
#define AUDIT_REMASK_ID(COL, ENTS)                                                                 \
    "UPDATE audit SET " COL " = json_set(" COL                                                     \
    ", '$.id_number', " AUDIT_ID_MASKED(COL) ") WHERE entity IN (" ENTS ") AND " AUDIT_IS(         \
        COL, "$.id_number", "text") " AND "                                                        \
                                    "CASE WHEN json_valid(" COL ") THEN " AUDIT_ID_AT(             \
                                        COL) " <> (" AUDIT_ID_MASKED(COL) ") END;"
/* migration 111: an elder's health data in an audit snapshot as the elder's snapshot holds it
 * now (elder_render_x): the conditions one "***" each, a doctor's name "***" */
#define AUDIT_MASK_HEALTH(COL)                                                                     \
    "UPDATE audit SET " COL " = json_set(" COL ", '$.chronic_conditions', json((SELECT"            \
    " json_group_array('***') FROM json_each(" COL ", '$.chronic_conditions')))) WHERE entity ="   \
    " 'elder' AND CASE WHEN " AUDIT_IS(                                                            \
        COL, "$.chronic_conditions",                                                               \
        "array") " THEN EXISTS"                                                                    \
                 " (SELECT 1 FROM json_each(" COL                                                  \
                 ", '$.chronic_conditions') WHERE value IS NOT '***') END;"                        \
                 "UPDATE audit SET " COL " = json_set(" COL                                        \
                 ", '$.doctor_name', '***') WHERE entity = 'elder'"                                \
                 " AND CASE WHEN " AUDIT_IS(COL, "$.doctor_name",                                  \
                                            "text") " THEN json_extract(" COL ","                  \
                                                    " '$.doctor_name') NOT IN ('', '***') END;"

/* migration 115: an active helper h whose own elder record (linked by elder_id, or of the same
 * ID number when not linked) is no longer active; the Beijing day that record left the register
 * (left_at, migration 113); a pair p of h ends on that day, on its start day if it began after */
#define M115_ELDER_OF_H                                                                            \
    "e.status <> 'active' AND (e.id = h.elder_id OR (h.elder_id IS NULL AND e.id_number ="         \
    " h.id_number))"
#define M115_STOPS "h.active = 1 AND EXISTS (SELECT 1 FROM elders e WHERE " M115_ELDER_OF_H ")"
#define M115_AT    "(SELECT applied_at FROM schema_migrations WHERE version = 115)"
#define M115_LEFT                                                                                  \
    "(SELECT date(MIN(COALESCE(e.left_at, e.updated_at)) + 60 * COALESCE((SELECT CAST(value AS"    \
    " INTEGER) FROM settings WHERE key = 'elder_tz_offset_min'), 480), 'unixepoch') FROM elders"   \
    " e WHERE " M115_ELDER_OF_H ")"
#define M115_END "CASE WHEN p.start_date > " M115_LEFT " THEN p.start_date ELSE " M115_LEFT " END"

/* migration 116: the Beijing day elder e left the register (left_at, migration 113), as
 * pj_el_alert_id_departed writes it in a helper_id_departed alert's dedupe key and detail */
#define M116_AT "(SELECT applied_at FROM schema_migrations WHERE version = 116)"
#define M116_DAY                                                                                   \
    "date(COALESCE(e.left_at, e.updated_at) + 60 * COALESCE((SELECT CAST(value AS INTEGER) FROM"   \
    " settings WHERE key = 'elder_tz_offset_min'), 480), 'unixepoch')"

/* migration 486: a streamer's name at PATH in an audit snapshot's column COL masked as
 * pj_mask_name does (its first character and one '*') for the rows of entity ENT, unless so
 * already or the placeholder of an anonymised streamer */
#define AUDIT_NAME_AT(COL, PATH) "json_extract(" COL ", '" PATH "')"
#define AUDIT_MASK_NAME(COL, ENT, PATH)                                                                \
    "UPDATE audit SET " COL " = json_set(" COL ", '" PATH                                              \
    "', CASE WHEN " AUDIT_NAME_AT(COL, PATH) " = '' THEN '' ELSE substr(" AUDIT_NAME_AT(               \
        COL, PATH) ", 1, 1) || '*' END)"                                                               \
                   " WHERE entity = '" ENT                                                             \
                   "' AND CASE WHEN " AUDIT_IS(COL, PATH, "text") " THEN " AUDIT_NAME_AT(              \
                       COL,                                                                            \
                       PATH) " NOT IN ('', substr(" AUDIT_NAME_AT(COL,                                 \
                                                                  PATH) ", 1, 1) || '*')"              \
                                                                        " AND " AUDIT_NAME_AT(         \
                                                                            COL,                       \
                                                                            PATH) " NOT GLOB "         \
                                                                                  "'已注销主播#[" \
                                                                                  "0-9]*' END;"

/* migration 211: the demo's closed appeals (no events) visited before the reply; the other
 * appeals whose visit came before the reply (by the events' ids, else by the times) */
#define DEMO_VISIT_BEFORE_REPLY                                                                    \
    "source = 'synthetic' AND created_by = 'demo' AND state = 'closed' AND visited_at <"           \
    " replied_at AND closed_at > replied_at AND NOT EXISTS (SELECT 1 FROM ent_appeal_events e"     \
    " WHERE e.appeal_id = ent_appeals.id)"
#define VISIT_BEFORE_REPLY                                                                         \
    "visited_at IS NOT NULL AND replied_at IS NOT NULL AND NOT COALESCE((SELECT MAX(CASE WHEN"     \
    " e.action = 'visit' THEN e.id END) > MAX(CASE WHEN e.action = 'reply' THEN e.id END) FROM"    \
    " ent_appeal_events e WHERE e.appeal_id = ent_appeals.id), visited_at >= replied_at)"

const pj_migration pj_migrations[] = {
    {1, "users, sessions, audit",
     "CREATE TABLE users ("
     " id INTEGER PRIMARY KEY,"
     " username TEXT NOT NULL UNIQUE,"
     " display_name TEXT NOT NULL DEFAULT '',"
     " role TEXT NOT NULL,"
     " township_id INTEGER,"
     " facility_id INTEGER,"
     " organisation_id INTEGER,"
     " password_hash TEXT NOT NULL,"
     " failed_logins INTEGER NOT NULL DEFAULT 0,"
     " locked_until INTEGER NOT NULL DEFAULT 0,"
     " disabled INTEGER NOT NULL DEFAULT 0,"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE sessions ("
     " id INTEGER PRIMARY KEY,"
     " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     " token_hash TEXT NOT NULL UNIQUE,"
     " created_at INTEGER NOT NULL,"
     " last_seen INTEGER NOT NULL);"
     "CREATE INDEX sessions_user ON sessions(user_id);"
     "CREATE TABLE audit ("
     " id INTEGER PRIMARY KEY,"
     " at INTEGER NOT NULL,"
     " user_id INTEGER,"
     " username TEXT NOT NULL,"
     " action TEXT NOT NULL,"
     " entity TEXT NOT NULL,"
     " entity_id INTEGER,"
     " before_json TEXT,"
     " after_json TEXT,"
     " request_id TEXT);"
     "CREATE INDEX audit_entity ON audit(entity, entity_id);"
     "CREATE INDEX audit_user ON audit(user_id);"
     "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"},
    {2, "registry: regions, organisations, facilities",
     "CREATE TABLE regions ("
     " id INTEGER PRIMARY KEY,"
     " parent_id INTEGER REFERENCES regions(id),"
     " code TEXT NOT NULL UNIQUE,"
     " name TEXT NOT NULL,"
     " type TEXT NOT NULL,"
     " lat REAL, lon REAL,"
     " population INTEGER NOT NULL DEFAULT 0,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX regions_parent ON regions(parent_id);"
     "CREATE TABLE grid_workers ("
     " region_id INTEGER NOT NULL REFERENCES regions(id) ON DELETE CASCADE,"
     " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     " PRIMARY KEY (region_id, user_id));"
     "CREATE INDEX grid_workers_user ON grid_workers(user_id);"
     "CREATE TABLE organisations ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL,"
     " uscc TEXT UNIQUE,"
     " type TEXT NOT NULL,"
     " industry TEXT NOT NULL DEFAULT '',"
     " township_id INTEGER REFERENCES regions(id),"
     " contact_name TEXT NOT NULL DEFAULT '',"
     " contact_phone TEXT NOT NULL DEFAULT '',"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX organisations_township ON organisations(township_id);"
     "CREATE TABLE facilities ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL,"
     " type TEXT NOT NULL,"
     " township_id INTEGER NOT NULL REFERENCES regions(id),"
     " village_id INTEGER REFERENCES regions(id),"
     " address TEXT NOT NULL DEFAULT '',"
     " lat REAL NOT NULL, lon REAL NOT NULL,"
     " operator_id INTEGER REFERENCES organisations(id),"
     " peacetime_function TEXT NOT NULL DEFAULT '',"
     " peacetime_capacity INTEGER NOT NULL DEFAULT 0,"
     " peacetime_unit TEXT NOT NULL DEFAULT '',"
     " state TEXT NOT NULL DEFAULT 'peacetime',"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX facilities_township ON facilities(township_id);"
     "CREATE INDEX facilities_type ON facilities(type);"
     "CREATE TABLE facility_roles ("
     " facility_id INTEGER NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,"
     " role TEXT NOT NULL,"
     " unit TEXT NOT NULL,"
     " capacity REAL NOT NULL,"
     " PRIMARY KEY (facility_id, role, unit));"
     "CREATE INDEX facility_roles_role ON facility_roles(role);"},
    {3, "audit by time; facility state index",
     "CREATE INDEX audit_at ON audit(at);"
     "CREATE INDEX facilities_state ON facilities(state);"},
    {4, "dual-use: team types, standards, manuals, conversions, drills, stock",
     "CREATE TABLE team_types ("
     " id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL);"
     "CREATE TABLE standards ("
     " id INTEGER PRIMARY KEY,"
     " facility_type TEXT NOT NULL, scenario TEXT NOT NULL, role TEXT NOT NULL,"
     " version INTEGER NOT NULL, effective_from INTEGER NOT NULL,"
     " target_hours REAL NOT NULL,"
     " checklist TEXT NOT NULL DEFAULT '[]',"
     " coverage_per_10k REAL,"
     " notes TEXT NOT NULL DEFAULT '',"
     " created_at INTEGER NOT NULL, created_by TEXT NOT NULL,"
     " UNIQUE (facility_type, scenario, role, version));"
     "CREATE TABLE manuals ("
     " id INTEGER PRIMARY KEY,"
     " facility_id INTEGER NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,"
     " scenario TEXT NOT NULL, role TEXT NOT NULL, version INTEGER NOT NULL,"
     " title TEXT NOT NULL, created_at INTEGER NOT NULL, created_by TEXT NOT NULL,"
     " UNIQUE (facility_id, scenario, version));"
     "CREATE TABLE manual_steps ("
     " id INTEGER PRIMARY KEY,"
     " manual_id INTEGER NOT NULL REFERENCES manuals(id) ON DELETE CASCADE,"
     " phase TEXT NOT NULL, seq INTEGER NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL,"
     " planned_minutes INTEGER NOT NULL, team_type TEXT NOT NULL, team_count INTEGER NOT NULL,"
     " predecessors TEXT NOT NULL DEFAULT '[]', checklist TEXT NOT NULL DEFAULT '[]',"
     " UNIQUE (manual_id, phase, code));"
     "CREATE TABLE conversions ("
     " id INTEGER PRIMARY KEY,"
     " facility_id INTEGER NOT NULL REFERENCES facilities(id),"
     " manual_id INTEGER NOT NULL REFERENCES manuals(id),"
     " scenario TEXT NOT NULL, mode TEXT NOT NULL, state TEXT NOT NULL,"
     " standard_id INTEGER REFERENCES standards(id),"
     " started_at INTEGER NOT NULL, started_by TEXT NOT NULL,"
     " ready_at INTEGER, restore_started_at INTEGER, ended_at INTEGER,"
     " abort_reason TEXT, version INTEGER NOT NULL DEFAULT 1);"
     "CREATE UNIQUE INDEX conversions_one_live ON conversions(facility_id)"
     " WHERE mode = 'live' AND state IN ('converting', 'emergency', 'restoring');"
     "CREATE UNIQUE INDEX conversions_one_drill ON conversions(facility_id)"
     " WHERE mode = 'drill' AND state = 'running';"
     "CREATE INDEX conversions_facility ON conversions(facility_id, mode);"
     "CREATE TABLE conversion_steps ("
     " id INTEGER PRIMARY KEY,"
     " conversion_id INTEGER NOT NULL REFERENCES conversions(id) ON DELETE CASCADE,"
     " step_id INTEGER NOT NULL REFERENCES manual_steps(id),"
     " phase TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',"
     " started_at INTEGER, started_by TEXT, finished_at INTEGER, finished_by TEXT,"
     " remarks TEXT NOT NULL DEFAULT '',"
     " UNIQUE (conversion_id, step_id));"
     "CREATE TABLE conversion_checks ("
     " conversion_id INTEGER NOT NULL REFERENCES conversions(id) ON DELETE CASCADE,"
     " step_id INTEGER NOT NULL REFERENCES manual_steps(id),"
     " item TEXT NOT NULL, signed_by TEXT NOT NULL, signed_at INTEGER NOT NULL,"
     " PRIMARY KEY (conversion_id, step_id, item));"
     "CREATE TABLE drill_findings ("
     " id INTEGER PRIMARY KEY,"
     " conversion_id INTEGER NOT NULL REFERENCES conversions(id) ON DELETE CASCADE,"
     " finding TEXT NOT NULL, action TEXT NOT NULL DEFAULT '', owner TEXT NOT NULL,"
     " due_date INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'open',"
     " closed_at INTEGER, closed_note TEXT NOT NULL DEFAULT '',"
     " created_at INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE supply_categories ("
     " code TEXT PRIMARY KEY, name TEXT NOT NULL, unit TEXT NOT NULL,"
     " per_person_day REAL NOT NULL);"
     "CREATE TABLE stock_lines ("
     " id INTEGER PRIMARY KEY,"
     " facility_id INTEGER NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,"
     " category TEXT NOT NULL REFERENCES supply_categories(code),"
     " quantity REAL NOT NULL, unit TEXT NOT NULL, expiry INTEGER,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX stock_lines_facility ON stock_lines(facility_id);"
     "INSERT INTO team_types (code, name) VALUES ('disinfection', '消杀'), ('medical', '医疗'),"
     " ('security', '安保'), ('logistics', '后勤保障'), ('it', '信息通信'), ('cleaning', '保洁'),"
     " ('catering', '餐饮');"
     /* consumption per person per day: planning figures, editable */
     "INSERT INTO supply_categories (code, name, unit, per_person_day) VALUES"
     " ('grain', '粮食', 'kg', 0.4), ('vegetables', '蔬菜', 'kg', 0.5), ('meat', '肉类', 'kg', "
     "0.15),"
     " ('eggs', '蛋类', 'kg', 0.05), ('oil', '食用油', 'kg', 0.03), ('water', '饮用水', 'L', 2.5),"
     " ('medicine', '药品', 'box', 0.02), ('ppe', '防护用品', 'pcs', 0.5);"
     "INSERT INTO settings (key, value) VALUES ('drill_interval_days', '365'),"
     " ('beijing_population', '21858000'), ('beijing_supply_share', '0.3333');"},
    /* a stock line's id is never given again: without AUTOINCREMENT SQLite gave the id of a
     * deleted newest line to the next one, and a page still showing the deleted line acted on
     * the new one. The table is rebuilt as it was (columns, foreign keys, its index; nothing
     * refers to it, it has no triggers) with AUTOINCREMENT, and the counter starts after every
     * id ever given, including those of lines deleted before (their audit rows name them).
     * AUTOINCREMENT and sqlite_sequence are SQLite's: a PostgreSQL sequence never reuses an
     * id, there this is the plain table. */
    {5, "dual-use: stock line ids are never reused",
     "CREATE TABLE stock_lines_new ("
     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " facility_id INTEGER NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,"
     " category TEXT NOT NULL REFERENCES supply_categories(code),"
     " quantity REAL NOT NULL, unit TEXT NOT NULL, expiry INTEGER,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "INSERT INTO stock_lines_new (id, facility_id, category, quantity, unit, expiry, source,"
     " created_at, updated_at, version) SELECT id, facility_id, category, quantity, unit,"
     " expiry, source, created_at, updated_at, version FROM stock_lines ORDER BY id;"
     "DROP TABLE stock_lines;"
     "ALTER TABLE stock_lines_new RENAME TO stock_lines;"
     "CREATE INDEX stock_lines_facility ON stock_lines(facility_id);"
     "DELETE FROM sqlite_sequence WHERE name = 'stock_lines';"
     "INSERT INTO sqlite_sequence (name, seq) SELECT 'stock_lines', MAX(COALESCE((SELECT"
     " MAX(id) FROM stock_lines), 0), COALESCE((SELECT MAX(entity_id) FROM audit WHERE entity ="
     " 'stock_line'), 0));"},
    {200,
     "enterprise service: calendar, profiles, reception days, appeals, policies, banks,"
     " cooperation",
     "CREATE TABLE ent_calendar ("
     " id INTEGER PRIMARY KEY, day TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
     " name TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT 'manual');"
     "CREATE TABLE ent_profiles ("
     " org_id INTEGER PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,"
     " scale TEXT, credit TEXT, employees INTEGER, revenue_wan REAL, tax_wan REAL,"
     " founded_year INTEGER, high_tech INTEGER, specialized INTEGER,"
     " source TEXT NOT NULL DEFAULT 'manual', updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE ent_reception_days ("
     " id INTEGER PRIMARY KEY, held_on TEXT NOT NULL UNIQUE, first_monday TEXT NOT NULL,"
     " moved_reason TEXT NOT NULL DEFAULT '', leaders TEXT NOT NULL DEFAULT '[]',"
     " department_ids TEXT NOT NULL DEFAULT '[]', minutes TEXT NOT NULL DEFAULT '',"
     " state TEXT NOT NULL DEFAULT 'planned', source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE ent_signups ("
     " id INTEGER PRIMARY KEY,"
     " reception_day_id INTEGER NOT NULL REFERENCES ent_reception_days(id) ON DELETE CASCADE,"
     " org_id INTEGER NOT NULL REFERENCES organisations(id), topic TEXT NOT NULL,"
     " created_at INTEGER NOT NULL, UNIQUE (reception_day_id, org_id));"
     "CREATE TABLE ent_dispatch ("
     " category TEXT PRIMARY KEY, department_id INTEGER NOT NULL REFERENCES organisations(id),"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE ent_appeals ("
     " id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organisations(id),"
     " township_id INTEGER, channel TEXT NOT NULL, type TEXT NOT NULL, category TEXT NOT NULL,"
     " title TEXT NOT NULL, description TEXT NOT NULL, attachments TEXT NOT NULL DEFAULT '[]',"
     " contact_phone TEXT NOT NULL DEFAULT '',"
     " reception_day_id INTEGER REFERENCES ent_reception_days(id),"
     " state TEXT NOT NULL, department_id INTEGER REFERENCES organisations(id),"
     " first_department_id INTEGER REFERENCES organisations(id),"
     " received_at INTEGER NOT NULL, dispatched_at INTEGER, responded_at INTEGER,"
     " replied_at INTEGER, closed_at INTEGER, response_due INTEGER NOT NULL,"
     " complete_due INTEGER NOT NULL, reply TEXT NOT NULL DEFAULT '',"
     " resolved INTEGER NOT NULL DEFAULT 0, rating TEXT, returns INTEGER NOT NULL DEFAULT 0,"
     " reopens INTEGER NOT NULL DEFAULT 0, escalated INTEGER NOT NULL DEFAULT 0,"
     " visit_due INTEGER, visited_at INTEGER, visit_note TEXT NOT NULL DEFAULT '',"
     " source TEXT NOT NULL DEFAULT 'manual', created_by TEXT NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX ent_appeals_org ON ent_appeals(org_id);"
     "CREATE INDEX ent_appeals_received ON ent_appeals(received_at);"
     "CREATE INDEX ent_appeals_dept ON ent_appeals(department_id);"
     "CREATE INDEX ent_appeals_state ON ent_appeals(state);"
     "CREATE TABLE ent_appeal_events ("
     " id INTEGER PRIMARY KEY,"
     " appeal_id INTEGER NOT NULL REFERENCES ent_appeals(id) ON DELETE CASCADE,"
     " at INTEGER NOT NULL, action TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL,"
     " department_id INTEGER, username TEXT NOT NULL, note TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX ent_appeal_events_appeal ON ent_appeal_events(appeal_id);"
     "CREATE TABLE ent_policies ("
     " id INTEGER PRIMARY KEY, title TEXT NOT NULL, issuer TEXT NOT NULL,"
     " issued_on TEXT NOT NULL, valid_from TEXT NOT NULL, valid_until TEXT,"
     " benefit TEXT NOT NULL DEFAULT '', conditions TEXT NOT NULL,"
     " source TEXT NOT NULL DEFAULT 'manual', created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE ent_policy_matches ("
     " policy_id INTEGER NOT NULL REFERENCES ent_policies(id) ON DELETE CASCADE,"
     " org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,"
     " PRIMARY KEY (policy_id, org_id));"
     "CREATE INDEX ent_policy_matches_org ON ent_policy_matches(org_id);"
     "CREATE TABLE ent_notices ("
     " id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organisations(id),"
     " policy_id INTEGER NOT NULL REFERENCES ent_policies(id) ON DELETE CASCADE,"
     " kind TEXT NOT NULL, created_at INTEGER NOT NULL, read_at INTEGER);"
     "CREATE INDEX ent_notices_org ON ent_notices(org_id);"
     "CREATE TABLE ent_bank_products ("
     " id INTEGER PRIMARY KEY, bank_id INTEGER NOT NULL REFERENCES organisations(id),"
     " name TEXT NOT NULL, min_fen INTEGER NOT NULL, max_fen INTEGER NOT NULL,"
     " rate_pct REAL NOT NULL, term_months INTEGER NOT NULL, conditions TEXT NOT NULL,"
     " source TEXT NOT NULL DEFAULT 'manual', created_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE ent_fin_needs ("
     " id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organisations(id),"
     " amount_fen INTEGER NOT NULL, term_months INTEGER NOT NULL, purpose TEXT NOT NULL,"
     " state TEXT NOT NULL DEFAULT 'open', source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE ent_fin_matches ("
     " id INTEGER PRIMARY KEY,"
     " need_id INTEGER NOT NULL REFERENCES ent_fin_needs(id) ON DELETE CASCADE,"
     " product_id INTEGER NOT NULL REFERENCES ent_bank_products(id),"
     " org_id INTEGER NOT NULL, rank INTEGER NOT NULL, score REAL NOT NULL,"
     " consent TEXT NOT NULL DEFAULT 'pending', consent_at INTEGER,"
     " outcome TEXT NOT NULL DEFAULT 'pending', approved_fen INTEGER,"
     " created_at INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 1,"
     " UNIQUE (need_id, product_id));"
     "CREATE TABLE ent_coop_posts ("
     " id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organisations(id),"
     " kind TEXT NOT NULL, category TEXT NOT NULL, township_id INTEGER,"
     " title TEXT NOT NULL, body TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT 'open',"
     " source TEXT NOT NULL DEFAULT 'manual', created_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE ent_coop_contacts ("
     " id INTEGER PRIMARY KEY,"
     " post_id INTEGER NOT NULL REFERENCES ent_coop_posts(id) ON DELETE CASCADE,"
     " from_org_id INTEGER NOT NULL REFERENCES organisations(id), message TEXT NOT NULL,"
     " state TEXT NOT NULL DEFAULT 'requested', created_at INTEGER NOT NULL,"
     " responded_at INTEGER, version INTEGER NOT NULL DEFAULT 1,"
     " UNIQUE (post_id, from_org_id));"
     "INSERT INTO settings (key, value) VALUES ('ent_response_days', '1'),"
     " ('ent_days_inquiry', '7'), ('ent_days_help', '13'), ('ent_days_complaint', '13'),"
     " ('ent_days_report', '13'), ('ent_days_suggestion', '7'),"
     " ('ent_w_response', '0.2'), ('ent_w_resolution', '0.4'), ('ent_w_satisfaction', '0.4');"
     "INSERT INTO ent_calendar (day, kind, name, source) VALUES"
     " ('2024-01-01','holiday','元旦','gov.cn'),('2024-02-04','workday','春节调休','gov.cn'),('"
     "2024-02-10','holiday','春节','gov.cn'),"
     " ('2024-02-11','holiday','春节','gov.cn'),('2024-02-12','holiday','春节','gov.cn'),('2024-02-"
     "13','holiday','春节','gov.cn'),"
     " ('2024-02-14','holiday','春节','gov.cn'),('2024-02-15','holiday','春节','gov.cn'),('2024-02-"
     "16','holiday','春节','gov.cn'),"
     " ('2024-02-17','holiday','春节','gov.cn'),('2024-02-18','workday','春节调休','gov.cn'),('"
     "2024-04-04','holiday','清明节','gov.cn'),"
     " ('2024-04-05','holiday','清明节','gov.cn'),('2024-04-06','holiday','清明节','gov.cn'),('"
     "2024-04-07','workday','清明节调休','gov.cn'),"
     " ('2024-04-28','workday','劳动节调休','gov.cn'),('2024-05-01','holiday','劳动节','gov.cn'),('"
     "2024-05-02','holiday','劳动节','gov.cn'),"
     " ('2024-05-03','holiday','劳动节','gov.cn'),('2024-05-04','holiday','劳动节','gov.cn'),('"
     "2024-05-05','holiday','劳动节','gov.cn'),"
     " ('2024-05-11','workday','劳动节调休','gov.cn'),('2024-06-10','holiday','端午节','gov.cn'),('"
     "2024-09-14','workday','中秋节调休','gov.cn'),"
     " ('2024-09-15','holiday','中秋节','gov.cn'),('2024-09-16','holiday','中秋节','gov.cn'),('"
     "2024-09-17','holiday','中秋节','gov.cn'),"
     " ('2024-09-29','workday','国庆节调休','gov.cn'),('2024-10-01','holiday','国庆节','gov.cn'),('"
     "2024-10-02','holiday','国庆节','gov.cn'),"
     " ('2024-10-03','holiday','国庆节','gov.cn'),('2024-10-04','holiday','国庆节','gov.cn'),('"
     "2024-10-05','holiday','国庆节','gov.cn'),"
     " ('2024-10-06','holiday','国庆节','gov.cn'),('2024-10-07','holiday','国庆节','gov.cn'),('"
     "2024-10-12','workday','国庆节调休','gov.cn'),"
     " ('2025-01-01','holiday','元旦','gov.cn'),('2025-01-26','workday','春节调休','gov.cn'),('"
     "2025-01-28','holiday','春节','gov.cn'),"
     " ('2025-01-29','holiday','春节','gov.cn'),('2025-01-30','holiday','春节','gov.cn'),('2025-01-"
     "31','holiday','春节','gov.cn'),"
     " ('2025-02-01','holiday','春节','gov.cn'),('2025-02-02','holiday','春节','gov.cn'),('2025-02-"
     "03','holiday','春节','gov.cn'),"
     " ('2025-02-04','holiday','春节','gov.cn'),('2025-02-08','workday','春节调休','gov.cn'),('"
     "2025-04-04','holiday','清明节','gov.cn'),"
     " ('2025-04-05','holiday','清明节','gov.cn'),('2025-04-06','holiday','清明节','gov.cn'),('"
     "2025-04-27','workday','劳动节调休','gov.cn'),"
     " ('2025-05-01','holiday','劳动节','gov.cn'),('2025-05-02','holiday','劳动节','gov.cn'),('"
     "2025-05-03','holiday','劳动节','gov.cn'),"
     " ('2025-05-04','holiday','劳动节','gov.cn'),('2025-05-05','holiday','劳动节','gov.cn'),('"
     "2025-05-31','holiday','端午节','gov.cn'),"
     " ('2025-06-01','holiday','端午节','gov.cn'),('2025-06-02','holiday','端午节','gov.cn'),('"
     "2025-09-28','workday','国庆节调休','gov.cn'),"
     " ('2025-10-01','holiday','国庆节、中秋节','gov.cn'),('2025-10-02','holiday','国庆节、中秋节',"
     "'gov.cn'),('2025-10-03','holiday','国庆节、中秋节','gov.cn'),"
     " ('2025-10-04','holiday','国庆节、中秋节','gov.cn'),('2025-10-05','holiday','国庆节、中秋节',"
     "'gov.cn'),('2025-10-06','holiday','国庆节、中秋节','gov.cn'),"
     " ('2025-10-07','holiday','国庆节、中秋节','gov.cn'),('2025-10-08','holiday','国庆节、中秋节',"
     "'gov.cn'),('2025-10-11','workday','国庆节调休','gov.cn');"},
    {100,
     "eldercare: elders, helpers, pairs, pairing runs, service logs, time credits, alerts,"
     " centres",
     "CREATE TABLE elders ("
     " id INTEGER PRIMARY KEY, name TEXT NOT NULL, sex TEXT NOT NULL, birth_date TEXT NOT NULL,"
     " id_number TEXT NOT NULL UNIQUE, phone TEXT NOT NULL DEFAULT '',"
     " household TEXT NOT NULL DEFAULT '',"
     " grid_id INTEGER NOT NULL REFERENCES regions(id),"
     " village_id INTEGER NOT NULL REFERENCES regions(id),"
     " township_id INTEGER NOT NULL REFERENCES regions(id),"
     " lat REAL NOT NULL, lon REAL NOT NULL,"
     " living_alone INTEGER NOT NULL DEFAULT 0, empty_nest INTEGER NOT NULL DEFAULT 0,"
     " disabled INTEGER NOT NULL DEFAULT 0, ability_level INTEGER NOT NULL DEFAULT 0,"
     " chronic_conditions TEXT NOT NULL DEFAULT '[]',"
     " doctor_name TEXT, doctor_clinic TEXT, doctor_from TEXT, doctor_until TEXT,"
     " doctor_last_visit TEXT, emergency_contacts TEXT NOT NULL DEFAULT '[]',"
     " meal_provider TEXT NOT NULL DEFAULT 'none', meal_days INTEGER NOT NULL DEFAULT 0,"
     " visit_tier TEXT NOT NULL DEFAULT 'normal', help_needed INTEGER NOT NULL DEFAULT 8,"
     " helper_sex_pref TEXT NOT NULL DEFAULT 'any', last_visit_at INTEGER,"
     " status TEXT NOT NULL DEFAULT 'active', source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX elders_grid ON elders(grid_id);"
     "CREATE INDEX elders_village ON elders(village_id);"
     "CREATE INDEX elders_township ON elders(township_id);"
     "CREATE TABLE helpers ("
     " id INTEGER PRIMARY KEY, name TEXT NOT NULL, sex TEXT NOT NULL, birth_date TEXT NOT NULL,"
     " id_number TEXT NOT NULL UNIQUE, phone TEXT NOT NULL DEFAULT '',"
     " grid_id INTEGER NOT NULL REFERENCES regions(id),"
     " village_id INTEGER NOT NULL REFERENCES regions(id),"
     " township_id INTEGER NOT NULL REFERENCES regions(id),"
     " lat REAL NOT NULL, lon REAL NOT NULL, skills INTEGER NOT NULL,"
     " availability TEXT NOT NULL DEFAULT '', capacity INTEGER NOT NULL,"
     " elder_id INTEGER REFERENCES elders(id), active INTEGER NOT NULL DEFAULT 1,"
     " source TEXT NOT NULL DEFAULT 'manual', created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX helpers_grid ON helpers(grid_id);"
     "CREATE INDEX helpers_township ON helpers(township_id);"
     "CREATE TABLE elder_pair_runs ("
     " id INTEGER PRIMARY KEY, region_id INTEGER NOT NULL REFERENCES regions(id),"
     " township_id INTEGER, state TEXT NOT NULL DEFAULT 'open',"
     " elders INTEGER NOT NULL, kept INTEGER NOT NULL, proposed INTEGER NOT NULL,"
     " unmatched INTEGER NOT NULL, total_distance_m INTEGER NOT NULL,"
     " params TEXT NOT NULL DEFAULT '{}', solve_ms REAL NOT NULL DEFAULT 0,"
     " created_by TEXT NOT NULL, created_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE elder_pair_proposals ("
     " id INTEGER PRIMARY KEY,"
     " run_id INTEGER NOT NULL REFERENCES elder_pair_runs(id) ON DELETE CASCADE,"
     " elder_id INTEGER NOT NULL REFERENCES elders(id),"
     " helper_id INTEGER REFERENCES helpers(id), distance_m INTEGER NOT NULL DEFAULT 0,"
     " same_village INTEGER NOT NULL DEFAULT 0, candidates INTEGER NOT NULL DEFAULT 0,"
     " rank INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL DEFAULT '',"
     " state TEXT NOT NULL, decided_by TEXT, decided_at INTEGER, pair_id INTEGER,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX elder_pair_proposals_run ON elder_pair_proposals(run_id);"
     "CREATE TABLE elder_pairs ("
     " id INTEGER PRIMARY KEY, elder_id INTEGER NOT NULL REFERENCES elders(id),"
     " helper_id INTEGER NOT NULL REFERENCES helpers(id), start_date TEXT NOT NULL,"
     " end_date TEXT, state TEXT NOT NULL DEFAULT 'active',"
     " distance_m INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL DEFAULT '',"
     " run_id INTEGER REFERENCES elder_pair_runs(id), created_by TEXT NOT NULL,"
     " created_at INTEGER NOT NULL, ended_note TEXT NOT NULL DEFAULT '',"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE UNIQUE INDEX elder_pairs_one_active ON elder_pairs(elder_id) WHERE state = 'active';"
     "CREATE INDEX elder_pairs_elder ON elder_pairs(elder_id);"
     "CREATE INDEX elder_pairs_helper ON elder_pairs(helper_id, state);"
     "CREATE TABLE credit_accounts ("
     " id INTEGER PRIMARY KEY, owner_kind TEXT NOT NULL, owner_id INTEGER NOT NULL,"
     " name TEXT NOT NULL, balance_min INTEGER NOT NULL DEFAULT 0,"
     " version INTEGER NOT NULL DEFAULT 1, UNIQUE (owner_kind, owner_id));"
     "CREATE TABLE credit_txns ("
     " id INTEGER PRIMARY KEY, kind TEXT NOT NULL, at INTEGER NOT NULL, log_id INTEGER,"
     " relation TEXT, note TEXT NOT NULL DEFAULT '', created_by TEXT NOT NULL);"
     "CREATE TABLE credit_entries ("
     " id INTEGER PRIMARY KEY, txn_id INTEGER NOT NULL REFERENCES credit_txns(id),"
     " account_id INTEGER NOT NULL REFERENCES credit_accounts(id),"
     " amount_min INTEGER NOT NULL);"
     "CREATE INDEX credit_entries_account ON credit_entries(account_id);"
     "CREATE INDEX credit_entries_txn ON credit_entries(txn_id);"
     "CREATE TABLE elder_service_logs ("
     " id INTEGER PRIMARY KEY, elder_id INTEGER NOT NULL REFERENCES elders(id),"
     " helper_id INTEGER REFERENCES helpers(id), kind TEXT NOT NULL,"
     " time_in INTEGER NOT NULL, time_out INTEGER NOT NULL, minutes INTEGER NOT NULL,"
     " remarks TEXT NOT NULL DEFAULT '', recorded_by TEXT NOT NULL,"
     " grid_id INTEGER NOT NULL, village_id INTEGER NOT NULL, township_id INTEGER NOT NULL,"
     " credit_txn_id INTEGER REFERENCES credit_txns(id), source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL);"
     "CREATE INDEX elder_logs_elder ON elder_service_logs(elder_id, kind, time_in);"
     "CREATE INDEX elder_logs_time ON elder_service_logs(time_in);"
     "CREATE INDEX elder_logs_helper ON elder_service_logs(helper_id, time_in);"
     "CREATE TABLE elder_alerts ("
     " id INTEGER PRIMARY KEY, kind TEXT NOT NULL, elder_id INTEGER REFERENCES elders(id),"
     " helper_id INTEGER REFERENCES helpers(id), grid_id INTEGER NOT NULL,"
     " township_id INTEGER NOT NULL, dedupe_key TEXT NOT NULL UNIQUE,"
     " detail TEXT NOT NULL DEFAULT '', level TEXT NOT NULL DEFAULT 'grid',"
     " state TEXT NOT NULL DEFAULT 'open', raised_at INTEGER NOT NULL, escalated_at INTEGER,"
     " acked_at INTEGER, acked_by TEXT, resolved_at INTEGER, resolved_by TEXT,"
     " note TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX elder_alerts_state ON elder_alerts(state, township_id);"
     "CREATE INDEX elder_alerts_grid ON elder_alerts(grid_id, state);"
     "CREATE TABLE elder_centres ("
     " id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,"
     " region_id INTEGER NOT NULL REFERENCES regions(id),"
     " township_id INTEGER NOT NULL REFERENCES regions(id), lat REAL, lon REAL,"
     " status TEXT NOT NULL, checklist TEXT NOT NULL DEFAULT '{}',"
     " capacity INTEGER NOT NULL DEFAULT 0, occupancy INTEGER NOT NULL DEFAULT 0,"
     " source TEXT NOT NULL DEFAULT 'manual', created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL, version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX elder_centres_township ON elder_centres(township_id);"
     "INSERT INTO credit_accounts (owner_kind, owner_id, name) VALUES"
     " ('system', 1, '时间银行发行 time-bank issuance'),"
     " ('system', 2, '已兑换服务 care redeemed');"
     "INSERT INTO settings (key, value) VALUES ('elder_visit_days_high_risk', '7'),"
     " ('elder_visit_days_key', '30'), ('elder_visit_days_normal', '90'),"
     " ('elder_meal_cutoff_min', '720'), ('elder_tz_offset_min', '480'),"
     " ('elder_alert_escalate_hours', '24'), ('elder_walk_km', '2'),"
     " ('elder_pair_other_village_m', '800'), ('elder_pair_candidates', '16'),"
     " ('credit_overdraft_min', '0'), ('credit_redeem_age', '60'),"
     " ('elder_log_max_minutes', '480');"},
    {300, "planner: plans and the conversions adopted plans started",
     "CREATE TABLE plans ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL, scenario TEXT NOT NULL, role TEXT NOT NULL,"
     " request_json TEXT NOT NULL, result_json TEXT NOT NULL,"
     " objective REAL NOT NULL, gap REAL NOT NULL,"
     " demand INTEGER NOT NULL, served INTEGER NOT NULL, shortfall INTEGER NOT NULL,"
     " status TEXT NOT NULL DEFAULT 'draft',"
     " created_at INTEGER NOT NULL, created_by TEXT NOT NULL,"
     " adopted_at INTEGER, adopted_by TEXT,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX plans_status ON plans(status);"
     "CREATE TABLE plan_conversions ("
     " plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
     " conversion_id INTEGER NOT NULL REFERENCES conversions(id),"
     " facility_id INTEGER NOT NULL REFERENCES facilities(id),"
     " PRIMARY KEY (plan_id, conversion_id));"
     "INSERT INTO settings (key, value) VALUES ('road_factor', '1.3');"},
    {470, "indicators: definitions, values with revisions, targets; carbon factors, energy use",
     "CREATE TABLE indicators ("
     " id INTEGER PRIMARY KEY,"
     " code TEXT NOT NULL UNIQUE,"
     " name TEXT NOT NULL,"
     " unit TEXT NOT NULL,"
     " kind TEXT NOT NULL,"
     " higher_is_better INTEGER NOT NULL DEFAULT 1,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " description TEXT NOT NULL DEFAULT '',"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE indicator_values ("
     " id INTEGER PRIMARY KEY,"
     " indicator_id INTEGER NOT NULL REFERENCES indicators(id),"
     " region TEXT NOT NULL,"
     " period TEXT NOT NULL,"
     " period_kind TEXT NOT NULL,"
     " year INTEGER NOT NULL,"
     " sub INTEGER NOT NULL,"
     " value REAL NOT NULL,"
     " unit TEXT NOT NULL,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " note TEXT NOT NULL DEFAULT '',"
     " created_at INTEGER NOT NULL,"
     " created_by TEXT NOT NULL,"
     " updated_at INTEGER NOT NULL,"
     " updated_by TEXT NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1,"
     " UNIQUE (indicator_id, region, period));"
     "CREATE INDEX indicator_values_period ON indicator_values(indicator_id, period_kind, year);"
     "CREATE TABLE indicator_revisions ("
     " id INTEGER PRIMARY KEY,"
     " value_id INTEGER NOT NULL REFERENCES indicator_values(id),"
     " old_value REAL NOT NULL,"
     " old_source TEXT NOT NULL,"
     " old_note TEXT NOT NULL,"
     " old_version INTEGER NOT NULL,"
     " new_value REAL NOT NULL,"
     " changed_at INTEGER NOT NULL,"
     " changed_by TEXT NOT NULL);"
     "CREATE INDEX indicator_revisions_value ON indicator_revisions(value_id);"
     "CREATE TABLE indicator_targets ("
     " id INTEGER PRIMARY KEY,"
     " indicator_id INTEGER NOT NULL REFERENCES indicators(id),"
     " region TEXT NOT NULL,"
     " period TEXT NOT NULL,"
     " value REAL NOT NULL,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " note TEXT NOT NULL DEFAULT '',"
     " created_at INTEGER NOT NULL,"
     " created_by TEXT NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1,"
     " UNIQUE (indicator_id, region, period));"
     "CREATE TABLE emission_factors ("
     " id INTEGER PRIMARY KEY,"
     " energy_type TEXT NOT NULL,"
     " unit TEXT NOT NULL,"
     " kg_co2e_per_unit REAL NOT NULL,"
     " kgce_per_unit REAL NOT NULL,"
     " effective_from TEXT NOT NULL,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " created_by TEXT NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1,"
     " UNIQUE (energy_type, effective_from));"
     "CREATE TABLE energy_use ("
     " id INTEGER PRIMARY KEY,"
     " organisation_id INTEGER REFERENCES organisations(id),"
     " sector TEXT NOT NULL,"
     " period TEXT NOT NULL,"
     " year INTEGER NOT NULL,"
     " energy_type TEXT NOT NULL,"
     " quantity REAL NOT NULL,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " created_by TEXT NOT NULL,"
     " updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE UNIQUE INDEX energy_use_key ON energy_use(COALESCE(organisation_id, 0), sector,"
     " period, energy_type);"
     "CREATE INDEX energy_use_year ON energy_use(year);"},
    {400,
     "e-commerce: 1+5+N bases, studios, bookings by slot, streamers, followers, sessions,"
     " products, sales, zone enterprises",
     "CREATE TABLE ec_bases ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL UNIQUE,"
     " tier TEXT NOT NULL,"
     " township_id INTEGER REFERENCES regions(id),"
     " organisation_id INTEGER REFERENCES organisations(id),"
     " facility_id INTEGER REFERENCES facilities(id),"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE ec_studios ("
     " id INTEGER PRIMARY KEY,"
     " base_id INTEGER NOT NULL REFERENCES ec_bases(id),"
     " name TEXT NOT NULL,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1,"
     " UNIQUE (base_id, name));"
     "CREATE TABLE ec_streamers ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL,"
     " id_number TEXT,"
     " phone TEXT,"
     " birth_date TEXT,"
     " guardian_name TEXT,"
     " guardian_relation TEXT,"
     " guardian_consent_date TEXT,"
     " skill_level INTEGER NOT NULL,"
     " organisation_id INTEGER REFERENCES organisations(id),"
     " township_id INTEGER REFERENCES regions(id),"
     " base_id INTEGER REFERENCES ec_bases(id),"
     " categories TEXT NOT NULL DEFAULT '',"
     " anonymised INTEGER NOT NULL DEFAULT 0,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX ec_streamers_org ON ec_streamers(organisation_id);"
     "CREATE TABLE ec_followers ("
     " id INTEGER PRIMARY KEY,"
     " streamer_id INTEGER NOT NULL REFERENCES ec_streamers(id),"
     " platform TEXT NOT NULL,"
     " as_of TEXT NOT NULL,"
     " followers INTEGER NOT NULL,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " UNIQUE (streamer_id, platform, as_of));"
     "CREATE TABLE ec_bookings ("
     " id INTEGER PRIMARY KEY,"
     " studio_id INTEGER NOT NULL REFERENCES ec_studios(id),"
     " organisation_id INTEGER REFERENCES organisations(id),"
     " streamer_id INTEGER REFERENCES ec_streamers(id),"
     " starts_at INTEGER NOT NULL,"
     " ends_at INTEGER NOT NULL,"
     " purpose TEXT NOT NULL DEFAULT '',"
     " state TEXT NOT NULL DEFAULT 'booked',"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " created_by TEXT NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX ec_bookings_studio ON ec_bookings(studio_id, starts_at);"
     "CREATE TABLE ec_booking_slots ("
     " studio_id INTEGER NOT NULL REFERENCES ec_studios(id),"
     " slot INTEGER NOT NULL,"
     " booking_id INTEGER NOT NULL REFERENCES ec_bookings(id),"
     " PRIMARY KEY (studio_id, slot));"
     "CREATE TABLE ec_products ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL UNIQUE,"
     " category TEXT NOT NULL,"
     " township_id INTEGER REFERENCES regions(id),"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE ec_sessions ("
     " id INTEGER PRIMARY KEY,"
     " streamer_id INTEGER NOT NULL REFERENCES ec_streamers(id),"
     " studio_id INTEGER REFERENCES ec_studios(id),"
     " platform TEXT NOT NULL,"
     " day TEXT NOT NULL,"
     " duration_min INTEGER NOT NULL,"
     " orders INTEGER NOT NULL,"
     " gmv_fen INTEGER NOT NULL,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " created_by TEXT NOT NULL);"
     "CREATE INDEX ec_sessions_day ON ec_sessions(day);"
     "CREATE INDEX ec_sessions_streamer ON ec_sessions(streamer_id);"
     "CREATE TABLE ec_session_products ("
     " session_id INTEGER NOT NULL REFERENCES ec_sessions(id),"
     " product_id INTEGER NOT NULL REFERENCES ec_products(id),"
     " PRIMARY KEY (session_id, product_id));"
     "CREATE TABLE ec_product_sales ("
     " id INTEGER PRIMARY KEY,"
     " product_id INTEGER NOT NULL REFERENCES ec_products(id),"
     " month TEXT NOT NULL,"
     " channel TEXT NOT NULL,"
     " orders INTEGER NOT NULL,"
     " gmv_fen INTEGER NOT NULL,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " UNIQUE (product_id, month, channel));"
     "CREATE TABLE ec_zone_enterprises ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL,"
     " kind TEXT NOT NULL,"
     " organisation_id INTEGER REFERENCES organisations(id),"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL);"},
    {101, "eldercare: covering indexes for the coverage report",
     "CREATE INDEX elder_logs_report ON elder_service_logs(time_in, township_id, village_id,"
     " grid_id, kind, helper_id, minutes);"
     "DROP INDEX elder_logs_time;"
     "CREATE INDEX elders_report ON elders(status, township_id, village_id, grid_id,"
     " meal_provider, meal_days, doctor_until, doctor_from, visit_tier);"
     "CREATE INDEX elder_pairs_state ON elder_pairs(state, elder_id);"},
    {102,
     "eldercare: why an alert was resolved or closed by the scan; the open alerts of a range of"
     " elders (the scan's slices re-check them)",
     "ALTER TABLE elder_alerts ADD COLUMN resolved_reason TEXT;"
     "CREATE INDEX elder_alerts_elder ON elder_alerts(state, kind, elder_id);"},
    {103,
     "eldercare: the time of the latest alert scan (one as of an earlier time is refused: it"
     " would raise again what a later scan resolved)",
     "CREATE TABLE elder_alert_scan_state ("
     " id INTEGER PRIMARY KEY CHECK (id = 1),"
     " last_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "INSERT INTO elder_alert_scan_state (id, last_at) VALUES (1, 0);"},
    {410,
     "e-commerce academy: zone enterprises' settlement, courses, cohorts, job posts,"
     " enrolments, practical training from live sessions",
     "ALTER TABLE ec_zone_enterprises ADD COLUMN settled_on TEXT;"
     "ALTER TABLE ec_zone_enterprises ADD COLUMN base_id INTEGER REFERENCES ec_bases(id);"
     "ALTER TABLE ec_zone_enterprises ADD COLUMN version INTEGER NOT NULL DEFAULT 1;"
     "CREATE INDEX ec_zone_enterprises_org ON ec_zone_enterprises(organisation_id);"
     "CREATE TABLE ac_courses ("
     " id INTEGER PRIMARY KEY,"
     " title TEXT NOT NULL UNIQUE,"
     " category TEXT NOT NULL,"
     " hours INTEGER NOT NULL,"
     " level INTEGER NOT NULL,"
     " practice_hours INTEGER NOT NULL,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE ac_cohorts ("
     " id INTEGER PRIMARY KEY,"
     " course_id INTEGER NOT NULL REFERENCES ac_courses(id),"
     " base_id INTEGER NOT NULL REFERENCES ec_bases(id),"
     " name TEXT NOT NULL UNIQUE,"
     " starts_on TEXT NOT NULL,"
     " ends_on TEXT NOT NULL,"
     " capacity INTEGER NOT NULL,"
     " enrolled INTEGER NOT NULL DEFAULT 0,"
     " state TEXT NOT NULL DEFAULT 'planned',"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1,"
     " CHECK (enrolled >= 0 AND enrolled <= capacity));"
     "CREATE INDEX ac_cohorts_course ON ac_cohorts(course_id);"
     "CREATE TABLE ac_posts ("
     " id INTEGER PRIMARY KEY,"
     " zone_enterprise_id INTEGER NOT NULL REFERENCES ec_zone_enterprises(id),"
     " title TEXT NOT NULL,"
     " openings INTEGER NOT NULL,"
     " filled INTEGER NOT NULL DEFAULT 0,"
     " state TEXT NOT NULL DEFAULT 'open',"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1,"
     " CHECK (filled >= 0 AND filled <= openings));"
     "CREATE INDEX ac_posts_zone ON ac_posts(zone_enterprise_id);"
     "CREATE TABLE ac_enrolments ("
     " id INTEGER PRIMARY KEY,"
     " cohort_id INTEGER NOT NULL REFERENCES ac_cohorts(id),"
     " streamer_id INTEGER NOT NULL REFERENCES ec_streamers(id),"
     " post_id INTEGER NOT NULL REFERENCES ac_posts(id),"
     " enrolled_on TEXT NOT NULL,"
     " state TEXT NOT NULL DEFAULT 'enrolled',"
     " graduated_on TEXT,"
     " placed_on TEXT,"
     " placed_at TEXT,"
     " placed_zone_enterprise_id INTEGER REFERENCES ec_zone_enterprises(id),"
     " placed_employer TEXT,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " created_by TEXT NOT NULL,"
     " updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1,"
     " UNIQUE (cohort_id, streamer_id));"
     "CREATE INDEX ac_enrolments_post ON ac_enrolments(post_id);"
     "CREATE INDEX ac_enrolments_streamer ON ac_enrolments(streamer_id);"
     "CREATE TABLE ac_practice ("
     " id INTEGER PRIMARY KEY,"
     " enrolment_id INTEGER NOT NULL REFERENCES ac_enrolments(id),"
     " session_id INTEGER NOT NULL UNIQUE REFERENCES ec_sessions(id),"
     " minutes INTEGER NOT NULL,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL,"
     " created_by TEXT NOT NULL);"
     "CREATE INDEX ac_practice_enrolment ON ac_practice(enrolment_id);"},
    {301, "planner: plans solved in the background (solving, failed) with their error",
     "ALTER TABLE plans ADD COLUMN error_json TEXT;"
     "ALTER TABLE plans ADD COLUMN solver_pid INTEGER;"
     "ALTER TABLE plans ADD COLUMN solved_at INTEGER;"},
    {302, "registry: barrier-free (accessible) rooms of a facility",
     "ALTER TABLE facilities ADD COLUMN barrier_free_rooms INTEGER NOT NULL DEFAULT 0;"},
    {303,
     "planner: the steps of a conversion an adopted plan started keep the plan's schedule"
     " (minutes from the conversion's start)",
     "ALTER TABLE conversion_steps ADD COLUMN planned_start_min INTEGER;"
     "ALTER TABLE conversion_steps ADD COLUMN planned_end_min INTEGER;"},
    /* what was shipped of an adopted plan's supply flows: each shipment took its quantity off
     * the store's stock lines (soonest expiry first) when it was recorded, and from then on the
     * plan holds only the rest of the flow (quantity − shipped) off later plans. lines_json: the
     * stock lines it took from and how much of each. Shipments are never deleted (one recorded
     * in error is voided, migration 306); they go with their plan. */
    {304, "planner: the shipments of an adopted plan's supply flows",
     "CREATE TABLE plan_shipments ("
     " id INTEGER PRIMARY KEY,"
     " plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
     " store_id INTEGER NOT NULL REFERENCES facilities(id),"
     " facility_id INTEGER NOT NULL REFERENCES facilities(id),"
     " category TEXT NOT NULL REFERENCES supply_categories(code),"
     " quantity INTEGER NOT NULL, unit TEXT NOT NULL,"
     " lines_json TEXT NOT NULL,"
     " shipped_at INTEGER NOT NULL, shipped_by TEXT NOT NULL);"
     "CREATE INDEX plan_shipments_flow ON plan_shipments(plan_id, store_id, facility_id,"
     " category);"
     "CREATE INDEX plan_shipments_store ON plan_shipments(store_id);"
     "CREATE INDEX plan_shipments_facility ON plan_shipments(facility_id);"},
    /* a closed plan says when, by whom and why on itself (before: in its audit row only);
     * plans closed before this migration take them from that row */
    {305, "planner: a closed plan's time, closer and reason",
     "ALTER TABLE plans ADD COLUMN closed_at INTEGER;"
     "ALTER TABLE plans ADD COLUMN closed_by TEXT;"
     "ALTER TABLE plans ADD COLUMN close_reason TEXT;"
     "UPDATE plans SET closed_at = a.at, closed_by = a.username, close_reason ="
     " json_extract(a.after_json, '$.reason') FROM (SELECT entity_id, at, username, after_json,"
     " ROW_NUMBER() OVER (PARTITION BY entity_id ORDER BY id DESC) AS n FROM audit"
     " WHERE entity = 'plan' AND action = 'close') a"
     " WHERE a.entity_id = plans.id AND a.n = 1 AND plans.status = 'closed';"},
    /* a shipment recorded in error (the wrong quantity, the wrong flow, typed twice) is voided,
     * not deleted: it stays listed with who voided it, when and why, counts nowhere any more
     * (its flow's shipped, the plan's shipped_so_far, what the plan holds), and its quantity is
     * back on the stock lines it was taken from. void_lines_json: where each line's part went
     * back (the line itself, or a new line when it was deleted or its category changed). */
    {306, "planner: shipments can be voided (voided_at, voided_by, void_reason, void_lines_json)",
     "ALTER TABLE plan_shipments ADD COLUMN voided_at INTEGER;"
     "ALTER TABLE plan_shipments ADD COLUMN voided_by TEXT;"
     "ALTER TABLE plan_shipments ADD COLUMN void_reason TEXT;"
     "ALTER TABLE plan_shipments ADD COLUMN void_lines_json TEXT;"},
    /* an adopted plan keeps the teams that were still at work on conversions under way when it
     * was adopted (its teams_busy then, confirmed by the adopter; '[]' when none): recomputed
     * later they would be the plan's own conversions' or none. Plans adopted before: null */
    {307, "planner: an adopted plan keeps the teams busy elsewhere at its adoption",
     "ALTER TABLE plans ADD COLUMN teams_busy_json TEXT;"},
    /* a plan solved in two stages (the vulnerable first, flags.vulnerable_first) has no gap:
     * each stage's bound takes the earlier stage's sites as fixed and bounds nothing about the
     * whole plan, yet plans saved before said the larger stage gap as the plan's. Their
     * summary's gap is null now (the head's column 1 with it, read as null), version raised,
     * each audited by 'migration' as `update` of the plan, the gap before and after; the
     * stages' own gaps stay in solver.location_vulnerable and solver.location */
    {308, "planner: plans solved in two stages have no gap of the whole plan",
     "INSERT INTO audit (at, username, action, entity, entity_id, before_json, after_json)"
     " SELECT (SELECT applied_at FROM schema_migrations WHERE version = 308), 'migration',"
     " 'update', 'plan', id, json_object('gap', json_extract(result_json, '$.summary.gap')),"
     " '{\"gap\":null}' FROM plans WHERE json_valid(result_json) AND"
     " json_extract(result_json, '$.solver.flags.vulnerable_first') = 1 AND"
     " json_type(result_json, '$.summary.gap') IN ('real', 'integer') ORDER BY id;"
     "UPDATE plans SET gap = 1, result_json = json_set(result_json, '$.summary.gap', NULL),"
     " version = version + 1 WHERE json_valid(result_json) AND json_extract(result_json,"
     " '$.solver.flags.vulnerable_first') = 1 AND json_type(result_json, '$.summary.gap') IN"
     " ('real', 'integer');"},
    /* the solving process's start time (clock ticks after boot, /proc/PID/stat): with the
     * process id it tells the process that solves a plan from another that took its id after
     * a crash (the plan stayed solving, holding one of its owner's places). NULL: unknown, the
     * process id alone decides, as before */
    {309, "planner: the start time of the process solving a plan",
     "ALTER TABLE plans ADD COLUMN solver_started INTEGER;"},
    {430,
     "agri-tech: labs, innovation-port projects and milestones, doctor farms, experts,"
     " greenhouse sections, research results and their transfer to farms",
     "CREATE TABLE ag_labs ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL UNIQUE,"
     " kind TEXT NOT NULL,"
     " field TEXT NOT NULL DEFAULT '',"
     " organisation_id INTEGER REFERENCES organisations(id),"
     " facility_id INTEGER REFERENCES facilities(id),"
     " township_id INTEGER REFERENCES regions(id),"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE ag_projects ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL UNIQUE,"
     " lab_id INTEGER REFERENCES ag_labs(id),"
     " organisation_id INTEGER REFERENCES organisations(id),"
     " township_id INTEGER REFERENCES regions(id),"
     " state TEXT NOT NULL DEFAULT 'planned',"
     " start_date TEXT,"
     " budget_fen INTEGER NOT NULL DEFAULT 0,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE ag_milestones ("
     " id INTEGER PRIMARY KEY,"
     " project_id INTEGER NOT NULL REFERENCES ag_projects(id),"
     " name TEXT NOT NULL,"
     " due TEXT NOT NULL,"
     " done TEXT,"
     " state TEXT NOT NULL DEFAULT 'open',"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1,"
     " UNIQUE (project_id, name));"
     "CREATE TABLE ag_farms ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL UNIQUE,"
     " township_id INTEGER REFERENCES regions(id),"
     " organisation_id INTEGER REFERENCES organisations(id),"
     " facility_id INTEGER REFERENCES facilities(id),"
     " lab_id INTEGER REFERENCES ag_labs(id),"
     " area_mu REAL NOT NULL DEFAULT 0,"
     " main_crop TEXT NOT NULL DEFAULT '',"
     " postdoc_station INTEGER NOT NULL DEFAULT 0,"
     " established TEXT,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX ag_farms_org ON ag_farms(organisation_id);"
     "CREATE TABLE ag_experts ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL,"
     " title TEXT NOT NULL,"
     " farm_id INTEGER REFERENCES ag_farms(id),"
     " lab_id INTEGER REFERENCES ag_labs(id),"
     " field TEXT NOT NULL DEFAULT '',"
     " affiliation TEXT NOT NULL DEFAULT '',"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX ag_experts_farm ON ag_experts(farm_id);"
     "CREATE TABLE ag_sections ("
     " id INTEGER PRIMARY KEY,"
     " cluster TEXT NOT NULL,"
     " name TEXT NOT NULL,"
     " township_id INTEGER REFERENCES regions(id),"
     " organisation_id INTEGER REFERENCES organisations(id),"
     " state TEXT NOT NULL DEFAULT 'planned',"
     " area_m2 REAL NOT NULL,"
     " crop TEXT NOT NULL DEFAULT '',"
     " yield_kg REAL NOT NULL DEFAULT 0,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1,"
     " UNIQUE (cluster, name));"
     "CREATE TABLE ag_results ("
     " id INTEGER PRIMARY KEY,"
     " title TEXT NOT NULL UNIQUE,"
     " kind TEXT NOT NULL,"
     " lab_id INTEGER REFERENCES ag_labs(id),"
     " year INTEGER NOT NULL,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE ag_transfers ("
     " id INTEGER PRIMARY KEY,"
     " result_id INTEGER NOT NULL REFERENCES ag_results(id),"
     " farm_id INTEGER NOT NULL REFERENCES ag_farms(id),"
     " date TEXT NOT NULL,"
     " area_mu REAL NOT NULL DEFAULT 0,"
     " value_fen INTEGER NOT NULL DEFAULT 0,"
     " note TEXT NOT NULL DEFAULT '',"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1,"
     " UNIQUE (result_id, farm_id));"},
    {450,
     "logistics: parks, high-standard warehouses, tenants, monthly freight, land parcels,"
     " freight train services",
     "CREATE TABLE lg_parks ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL UNIQUE,"
     " township_id INTEGER REFERENCES regions(id),"
     " organisation_id INTEGER REFERENCES organisations(id),"
     " area_mu REAL NOT NULL DEFAULT 0,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE lg_warehouses ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL UNIQUE,"
     " park_id INTEGER REFERENCES lg_parks(id),"
     " organisation_id INTEGER REFERENCES organisations(id),"
     " facility_id INTEGER REFERENCES facilities(id),"
     " township_id INTEGER REFERENCES regions(id),"
     " area_m2 REAL NOT NULL,"
     " status TEXT NOT NULL DEFAULT 'planned',"
     " automation TEXT NOT NULL DEFAULT 'conventional',"
     " cold_chain INTEGER NOT NULL DEFAULT 0,"
     " started TEXT,"
     " opened TEXT,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX lg_warehouses_org ON lg_warehouses(organisation_id);"
     "CREATE INDEX lg_warehouses_status ON lg_warehouses(status);"
     "CREATE TABLE lg_tenants ("
     " id INTEGER PRIMARY KEY,"
     " warehouse_id INTEGER NOT NULL REFERENCES lg_warehouses(id),"
     " organisation_id INTEGER NOT NULL REFERENCES organisations(id),"
     " area_m2 REAL NOT NULL DEFAULT 0,"
     " since TEXT,"
     " until TEXT,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1,"
     " UNIQUE (warehouse_id, organisation_id));"
     "CREATE TABLE lg_freight ("
     " id INTEGER PRIMARY KEY,"
     " park_id INTEGER REFERENCES lg_parks(id),"
     " organisation_id INTEGER REFERENCES organisations(id),"
     " month TEXT NOT NULL,"
     " mode TEXT NOT NULL DEFAULT 'road',"
     " tonnes INTEGER NOT NULL,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE UNIQUE INDEX lg_freight_key ON lg_freight(COALESCE(park_id, 0),"
     " COALESCE(organisation_id, 0), month, mode);"
     "CREATE INDEX lg_freight_month ON lg_freight(month);"
     "CREATE TABLE lg_parcels ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL UNIQUE,"
     " park_id INTEGER REFERENCES lg_parks(id),"
     " township_id INTEGER REFERENCES regions(id),"
     " area_mu REAL NOT NULL,"
     " transferable_before_mu REAL NOT NULL,"
     " transferable_after_mu REAL NOT NULL,"
     " price_fen_per_mu INTEGER NOT NULL DEFAULT 0,"
     " consolidated TEXT,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE TABLE lg_trains ("
     " id INTEGER PRIMARY KEY,"
     " name TEXT NOT NULL UNIQUE,"
     " kind TEXT NOT NULL,"
     " park_id INTEGER REFERENCES lg_parks(id),"
     " origin TEXT NOT NULL DEFAULT '',"
     " destination TEXT NOT NULL DEFAULT '',"
     " trains_per_week REAL NOT NULL DEFAULT 0,"
     " state TEXT NOT NULL DEFAULT 'planned',"
     " started TEXT,"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"},
    {201,
     "enterprise service: every rating of an appeal kept (one per reply), the start of a"
     " reopened round",
     "CREATE TABLE ent_appeal_ratings ("
     " id INTEGER PRIMARY KEY,"
     " appeal_id INTEGER NOT NULL REFERENCES ent_appeals(id) ON DELETE CASCADE,"
     " round INTEGER NOT NULL, rating TEXT NOT NULL, department_id INTEGER,"
     " at INTEGER NOT NULL, username TEXT NOT NULL);"
     "CREATE INDEX ent_appeal_ratings_appeal ON ent_appeal_ratings(appeal_id);"
     "ALTER TABLE ent_appeals ADD COLUMN reopened_at INTEGER;"
     /* the ratings a reply erased are still in the events, found by the action, not the
      * note: older builds noted a rate's reason or reply instead of its rating when the body
      * had one. Each rate event ends a round (its number the event's place among the
      * appeal's rates); one that reopened was not_satisfied; the one that closed is the
      * appeal's last rating, still on the appeal (nothing after a close changed it), unless
      * the note names it. A closing rate whose rating neither gives cannot be recovered and
      * is left out, without moving the later rounds. Then an appeal with a rating but no
      * rate event gets the one on the appeal. */
     "INSERT INTO ent_appeal_ratings (appeal_id, round, rating, department_id, at, username)"
     " SELECT appeal_id, round, rating, department_id, at, username FROM (SELECT e.appeal_id,"
     " ROW_NUMBER() OVER (PARTITION BY e.appeal_id ORDER BY e.id) AS round, CASE WHEN"
     " e.to_state = 'reopened' THEN 'not_satisfied' WHEN e.note IN ('satisfied', 'basically')"
     " THEN e.note WHEN a.rating IN ('satisfied', 'basically') THEN a.rating END AS rating,"
     " e.department_id, e.at, e.username, e.id FROM ent_appeal_events e JOIN ent_appeals a"
     " ON a.id = e.appeal_id WHERE e.action = 'rate') r WHERE rating IS NOT NULL ORDER BY id;"
     "INSERT INTO ent_appeal_ratings (appeal_id, round, rating, department_id, at, username)"
     " SELECT id, reopens + 1, rating, department_id, COALESCE(closed_at, replied_at,"
     " received_at), created_by FROM ent_appeals a WHERE rating IS NOT NULL AND NOT EXISTS"
     " (SELECT 1 FROM ent_appeal_ratings r WHERE r.appeal_id = a.id);"
     "UPDATE ent_appeals SET reopened_at = (SELECT MAX(at) FROM ent_appeal_events e WHERE"
     " e.appeal_id = ent_appeals.id AND e.to_state = 'reopened') WHERE reopens > 0;"},
    {202,
     "enterprise service: the 2026 public holidays and make-up working days (国办发明电"
     " 2026年部分节假日安排, 2025-11-04)",
     "INSERT INTO ent_calendar (day, kind, name, source) VALUES"
     " ('2026-01-01','holiday','元旦','gov.cn'),('2026-01-02','holiday','元旦','gov.cn'),('2026-01-"
     "03','holiday','元旦','gov.cn'),"
     " ('2026-01-04','workday','元旦调休','gov.cn'),('2026-02-14','workday','春节调休','gov.cn'),('"
     "2026-02-15','holiday','春节','gov.cn'),"
     " ('2026-02-16','holiday','春节','gov.cn'),('2026-02-17','holiday','春节','gov.cn'),('2026-02-"
     "18','holiday','春节','gov.cn'),"
     " ('2026-02-19','holiday','春节','gov.cn'),('2026-02-20','holiday','春节','gov.cn'),('2026-02-"
     "21','holiday','春节','gov.cn'),"
     " ('2026-02-22','holiday','春节','gov.cn'),('2026-02-23','holiday','春节','gov.cn'),('2026-02-"
     "28','workday','春节调休','gov.cn'),"
     " ('2026-04-04','holiday','清明节','gov.cn'),('2026-04-05','holiday','清明节','gov.cn'),('"
     "2026-04-06','holiday','清明节','gov.cn'),"
     " ('2026-05-01','holiday','劳动节','gov.cn'),('2026-05-02','holiday','劳动节','gov.cn'),('"
     "2026-05-03','holiday','劳动节','gov.cn'),"
     " ('2026-05-04','holiday','劳动节','gov.cn'),('2026-05-05','holiday','劳动节','gov.cn'),('"
     "2026-05-09','workday','劳动节调休','gov.cn'),"
     " ('2026-06-19','holiday','端午节','gov.cn'),('2026-06-20','holiday','端午节','gov.cn'),('"
     "2026-06-21','holiday','端午节','gov.cn'),"
     " ('2026-09-20','workday','国庆节调休','gov.cn'),('2026-09-25','holiday','中秋节','gov.cn'),('"
     "2026-09-26','holiday','中秋节','gov.cn'),"
     " ('2026-09-27','holiday','中秋节','gov.cn'),('2026-10-01','holiday','国庆节','gov.cn'),('"
     "2026-10-02','holiday','国庆节','gov.cn'),"
     " ('2026-10-03','holiday','国庆节','gov.cn'),('2026-10-04','holiday','国庆节','gov.cn'),('"
     "2026-10-05','holiday','国庆节','gov.cn'),"
     " ('2026-10-06','holiday','国庆节','gov.cn'),('2026-10-07','holiday','国庆节','gov.cn'),('"
     "2026-10-10','workday','国庆节调休','gov.cn') ON CONFLICT (day) DO NOTHING;"},
    /* a financing need is met once: older builds (and their demo) left a need `open` after
     * one of its matches was approved, so another could be approved for it. Such a need is
     * `matched` now (version bumped, an audit row by 'migration' each), as an approval has
     * made it since. */
    {203, "enterprise service: a financing need with an approved match is matched",
     "INSERT INTO audit (at, username, action, entity, entity_id, before_json, after_json)"
     " SELECT (SELECT applied_at FROM schema_migrations WHERE version = 203), 'migration',"
     " 'update', 'ent_fin_need', id,"
     " '{\"id\":' || id || ',\"state\":\"open\",\"version\":' || version || '}',"
     " '{\"id\":' || id || ',\"state\":\"matched\",\"version\":' || (version + 1) || '}'"
     " FROM ent_fin_needs n WHERE n.state = 'open' AND EXISTS (SELECT 1 FROM ent_fin_matches m"
     " WHERE m.need_id = n.id AND m.outcome = 'approved') ORDER BY id;"
     "UPDATE ent_fin_needs SET state = 'matched', version = version + 1 WHERE state = 'open' AND"
     " EXISTS (SELECT 1 FROM ent_fin_matches m WHERE m.need_id = ent_fin_needs.id AND"
     " m.outcome = 'approved');"},
    /* a facility's reserve is counted once: one farm, one warehouse per registry facility.
     * Older builds let several link one facility: the lowest id keeps the link, the others
     * lose it (version bumped, an audit row by 'migration' each), then the index holds. */
    {431, "agri-tech: a registry facility (food reserve) belongs to one doctor farm at most",
     "INSERT INTO audit (at, username, action, entity, entity_id, before_json, after_json)"
     " SELECT (SELECT applied_at FROM schema_migrations WHERE version = 431), 'migration',"
     " 'update', 'ag_farm', id,"
     " '{\"id\":' || id || ',\"facility_id\":' || facility_id || ',\"version\":' || version"
     " || '}', '{\"id\":' || id || ',\"facility_id\":null,\"version\":' || (version + 1)"
     " || '}' FROM ag_farms t WHERE t.facility_id IS NOT NULL AND t.id > (SELECT MIN(d.id)"
     " FROM ag_farms d WHERE d.facility_id = t.facility_id) ORDER BY id;"
     "UPDATE ag_farms SET facility_id = NULL, version = version + 1, updated_at ="
     " (SELECT applied_at FROM schema_migrations WHERE version = 431) WHERE facility_id IS NOT"
     " NULL AND id > (SELECT MIN(d.id) FROM ag_farms d WHERE d.facility_id ="
     " ag_farms.facility_id);"
     "CREATE UNIQUE INDEX ag_farms_facility ON ag_farms(facility_id);"},
    {411, "e-commerce: live sessions are corrected under a version (PATCH) and deleted",
     "ALTER TABLE ec_sessions ADD COLUMN updated_at INTEGER;"
     "ALTER TABLE ec_sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;"
     "CREATE INDEX ec_streamers_id_number ON ec_streamers(id_number);"},
    {451, "logistics: a registry facility (supply store) belongs to one warehouse at most",
     "INSERT INTO audit (at, username, action, entity, entity_id, before_json, after_json)"
     " SELECT (SELECT applied_at FROM schema_migrations WHERE version = 451), 'migration',"
     " 'update', 'lg_warehouse', id,"
     " '{\"id\":' || id || ',\"facility_id\":' || facility_id || ',\"version\":' || version"
     " || '}', '{\"id\":' || id || ',\"facility_id\":null,\"version\":' || (version + 1)"
     " || '}' FROM lg_warehouses t WHERE t.facility_id IS NOT NULL AND t.id > (SELECT MIN(d.id)"
     " FROM lg_warehouses d WHERE d.facility_id = t.facility_id) ORDER BY id;"
     "UPDATE lg_warehouses SET facility_id = NULL, version = version + 1, updated_at ="
     " (SELECT applied_at FROM schema_migrations WHERE version = 451) WHERE facility_id IS NOT"
     " NULL AND id > (SELECT MIN(d.id) FROM lg_warehouses d WHERE d.facility_id ="
     " lg_warehouses.facility_id);"
     "CREATE UNIQUE INDEX lg_warehouses_facility ON lg_warehouses(facility_id);"},
    /* The demo loader gave its drills the manual's restore steps, pending for ever: a finished
     * demo drill showed 7 of 11 steps done. A drill has no restore phase (no one could work
     * those steps, and the API never gives a drill any); they are removed. The demo's
     * conversions have no audit rows of their own, nor do these steps. */
    {6, "dual-use: drills have no restore steps (those of the demo's drills are removed)",
     "DELETE FROM conversion_steps WHERE phase = 'restore' AND conversion_id IN"
     " (SELECT id FROM conversions WHERE mode = 'drill');"},
    /* the appeal KPIs count closings by the month of closing (state closed, closed_at in the
     * period, maybe one township): without this the query read every closed appeal ever,
     * each from the table, to keep those of the period. The problems solved from reception
     * days (every year's) are counted from an index that holds what the count asks, not from
     * every closed appeal's row. */
    {204,
     "enterprise service: closed appeals by the time of closing (the KPIs' trend) and of receipt"
     " (the list); reception-day appeals solved; return visits due",
     "CREATE INDEX ent_appeals_closed ON ent_appeals(state, closed_at, township_id);"
     "CREATE INDEX ent_appeals_channel ON ent_appeals(channel, state, resolved, township_id,"
     " rating);"
     /* the appeal list's closed ones, newest first, page by page; the return visits due and
      * not made (a few), not every appeal read to find them */
     "CREATE INDEX ent_appeals_closed_newest ON ent_appeals(state, received_at);"
     "CREATE INDEX ent_appeals_visit ON ent_appeals(visited_at, visit_due);"},
    /* a credit account's page is newest first by its transactions' time: every entry of the
     * account was joined to its transaction and sorted to show 50 (the issuance account has
     * one entry per service ever logged: seconds per page after a few years). Each entry
     * keeps its transaction's time (written with it; a transaction's time never changes) and
     * the page is one range of (account_id, at, id), which also serves every look-up by
     * account the old index did (with the amount: the sums of the time bank's check). */
    {104,
     "eldercare: credit entries carry their transaction's time, indexed per account; alerts"
     " by state, newest first, by time of resolving and by area; service logs by township and"
     " by grid",
     "ALTER TABLE credit_entries ADD COLUMN at INTEGER;"
     "UPDATE credit_entries SET at = (SELECT t.at FROM credit_txns t WHERE t.id ="
     " credit_entries.txn_id);"
     "CREATE INDEX credit_entries_account_at ON credit_entries(account_id, at, id, amount_min);"
     "DROP INDEX credit_entries_account;"
     /* the time bank's check sums every account's entries and every transaction's: from
      * these two indexes alone, not from 2 rows of the table per service ever logged */
     "CREATE INDEX credit_entries_txn_amount ON credit_entries(txn_id, amount_min);"
     "DROP INDEX credit_entries_txn;"
     /* the alerts of one state newest first (the open ones, the resolved ones): one range,
      * not every alert read from the newest to find them among years of resolved ones */
     "CREATE INDEX elder_alerts_state_id ON elder_alerts(state, id);"
     /* the coverage report: the alerts resolved in its period, and the areas that have any
      * alert at all, without reading every alert ever raised from the table */
     "CREATE INDEX elder_alerts_resolved ON elder_alerts(state, resolved_at);"
     "CREATE INDEX elder_alerts_area ON elder_alerts(township_id, grid_id);"
     /* the service-log list of a township officer and of a grid worker, newest first: their
      * logs, not every log of the district read from the newest down */
     "CREATE INDEX elder_logs_township ON elder_service_logs(township_id);"
     "CREATE INDEX elder_logs_grid ON elder_service_logs(grid_id);"},
    /* the audit trail of one entity (every facility's entries, every appeal's), newest first:
     * one range of (entity, id) instead of the trail read from the newest entry down */
    {7, "audit trail by entity, newest first",
     "CREATE INDEX audit_entity_newest ON audit(entity, id);"},
    /* a facility table's rows are matched by their township and name: one look-up each, not
     * every facility of the township compared (10,000 new rows of one township: 5.3 s → 1.2 s) */
    {8, "facilities by township and name (the import's natural key)",
     "CREATE INDEX facilities_township_name ON facilities(township_id, name);"},
    /* a region's, organisation's or facility's id is never given again: without AUTOINCREMENT
     * SQLite gave the id of the newest one, once deleted, to the next one made, so a delete
     * retried (its answer lost), a page or an exported table still naming the deleted record
     * acted on the new one, in another township perhaps, and the audit trail mixed the two.
     * These tables are referred to by dozens of others, so instead of rebuilding them each
     * keeps the highest id it has deleted here (a trigger), and a create takes the next id
     * after both (PJ_NEXT_ID, src/db/next_id.h). The start: every id the audit
     * trail names, so ids deleted before the upgrade are not given again either. */
    {9, "registry: ids of deleted regions, organisations and facilities are not given again",
     "CREATE TABLE retired_ids (tbl_name TEXT PRIMARY KEY, max_id INTEGER NOT NULL);"
     "INSERT INTO retired_ids (tbl_name, max_id)"
     " SELECT 'regions', COALESCE(MAX(entity_id), 0) FROM audit WHERE entity = 'region'"
     " UNION ALL SELECT 'organisations', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'organisation'"
     " UNION ALL SELECT 'facilities', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'facility';"
     "CREATE TRIGGER regions_retire_id AFTER DELETE ON regions BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'regions' AND max_id < OLD.id;"
     " END;"
     "CREATE TRIGGER organisations_retire_id AFTER DELETE ON organisations BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'organisations'"
     " AND max_id < OLD.id; END;"
     "CREATE TRIGGER facilities_retire_id AFTER DELETE ON facilities BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'facilities' AND max_id < OLD.id;"
     " END;"},
    /* a conversion manual's id is never given again either (as the registry's, migration 9;
     * PJ_NEXT_ID): the manuals of a facility go with it when it is deleted. The start: every id
     * the audit trail names (a manual deleted with its facility is audited as one). */
    {10, "dual-use: ids of deleted manuals are not given again",
     "INSERT INTO retired_ids (tbl_name, max_id)"
     " SELECT 'manuals', COALESCE(MAX(entity_id), 0) FROM audit WHERE entity = 'manual';"
     "CREATE TRIGGER manuals_retire_id AFTER DELETE ON manuals BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'manuals' AND max_id < OLD.id;"
     " END;"},
    /* the e-commerce KPIs sum the sessions of a range: from an index that holds what they sum
     * (the day first, so it also serves every look-up by day the old index did), not from
     * each session's row */
    {480, "e-commerce: live sessions by day with their figures (the KPIs)",
     "CREATE INDEX ec_sessions_kpi ON ec_sessions(day, streamer_id, orders, gmv_fen,"
     " duration_min);"
     "DROP INDEX ec_sessions_day;"},
    /* the coverage report counts an elder's visits due from their registration: the index it
     * reads the elders from holds the time too */
    {105, "eldercare: the coverage report's elders with their registration time",
     "CREATE INDEX elders_report_since ON elders(status, township_id, village_id, grid_id,"
     " meal_provider, meal_days, doctor_until, doctor_from, visit_tier, created_at);"
     "DROP INDEX elders_report;"},
    /* an elder centre's id is never given again (as the registry's, migration 9): the highest
     * id deleted is kept in retired_ids by a trigger and a create takes the next id after both
     * (PJ_NEXT_ID, db/next_id.h); the start is every id the audit trail names, so ids deleted
     * before the upgrade are not given again either */
    {110, "eldercare: ids of deleted centres are not given again",
     "INSERT INTO retired_ids (tbl_name, max_id)"
     " SELECT 'elder_centres', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'elder_centre';"
     "CREATE TRIGGER elder_centres_retire_id AFTER DELETE ON elder_centres BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'elder_centres' AND max_id < OLD.id;"
     " END;"},
    /* a calendar day's id is never given again (as the registry's, migration 9; PJ_NEXT_ID),
     * the start every id the audit trail names */
    {205, "enterprise service: ids of deleted calendar days are not given again",
     "INSERT INTO retired_ids (tbl_name, max_id)"
     " SELECT 'ent_calendar', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'ent_calendar';"
     "CREATE TRIGGER ent_calendar_retire_id AFTER DELETE ON ent_calendar BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'ent_calendar' AND max_id < OLD.id;"
     " END;"},
    /* migration 202 added the 2026 holidays to databases in use, one id after the highest
     * there: a calendar day deleted before it, the newest, had its id given to a holiday
     * (2026-01-01 元旦 took it), so a DELETE retried or a page still naming the deleted day
     * removed that holiday, and the audit trail named two days by one id (205 came after).
     * A day whose id the audit trail last names as deleted is not the day it names: it takes
     * a new id after every id there is and every id retired, with an audit row by 'migration'
     * under its new id (nothing refers to a calendar day by id: appeals and reception days
     * read the calendar by date). */
    {206, "enterprise service: calendar days that took the id of a day deleted before",
     "CREATE TEMP TABLE ent_calendar_moved AS SELECT c.id AS old_id, c.id + (SELECT MAX(n) FROM"
     " (SELECT MAX(id) AS n FROM ent_calendar UNION ALL SELECT max_id FROM retired_ids WHERE"
     " tbl_name = 'ent_calendar') AS ids) AS new_id FROM ent_calendar c WHERE (SELECT a.action"
     " FROM audit a WHERE a.entity = 'ent_calendar' AND a.entity_id = c.id ORDER BY a.id DESC"
     " LIMIT 1) = 'delete';"
     "INSERT INTO audit (at, username, action, entity, entity_id, before_json, after_json)"
     " SELECT (SELECT applied_at FROM schema_migrations WHERE version = 206), 'migration',"
     " 'update', 'ent_calendar', m.new_id,"
     " '{\"id\":' || m.old_id || ',\"day\":\"' || c.day || '\"}',"
     " '{\"id\":' || m.new_id || ',\"day\":\"' || c.day || '\"}'"
     " FROM ent_calendar_moved m JOIN ent_calendar c ON c.id = m.old_id ORDER BY m.old_id;"
     "UPDATE ent_calendar SET id = (SELECT m.new_id FROM ent_calendar_moved m WHERE m.old_id ="
     " ent_calendar.id) WHERE id IN (SELECT old_id FROM ent_calendar_moved);"
     "DROP TABLE ent_calendar_moved;"},
    /* the id of a deleted live session, agri-tech or logistics record, emission factor or
     * energy use record is never given again (as the registry's, migration 9): without
     * AUTOINCREMENT the newest one's id, once deleted, went to the next one made, so a delete
     * retried (its answer lost) or a page still naming the deleted record acted on the new one.
     * Each table keeps its highest deleted id in retired_ids (a trigger); creates take the
     * next id after both (PJ_NEXT_ID, db/next_id.h); the start is every id the audit trail
     * names (entity as the code writes it), so ids deleted before the upgrade are not given
     * again either */
    {481, "district development: ids of deleted records are not given again",
     "INSERT INTO retired_ids (tbl_name, max_id)"
     " SELECT 'ec_sessions', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'ec_session'"
     " UNION ALL SELECT 'ag_labs', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'ag_lab'"
     " UNION ALL SELECT 'ag_projects', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'ag_project'"
     " UNION ALL SELECT 'ag_milestones', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'ag_milestone'"
     " UNION ALL SELECT 'ag_farms', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'ag_farm'"
     " UNION ALL SELECT 'ag_experts', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'ag_expert'"
     " UNION ALL SELECT 'ag_sections', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'ag_section'"
     " UNION ALL SELECT 'ag_results', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'ag_result'"
     " UNION ALL SELECT 'ag_transfers', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'ag_transfer'"
     " UNION ALL SELECT 'lg_parks', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'lg_park'"
     " UNION ALL SELECT 'lg_warehouses', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'lg_warehouse'"
     " UNION ALL SELECT 'lg_tenants', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'lg_tenant'"
     " UNION ALL SELECT 'lg_freight', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'lg_freight'"
     " UNION ALL SELECT 'lg_parcels', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'lg_parcel'"
     " UNION ALL SELECT 'lg_trains', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'lg_train'"
     " UNION ALL SELECT 'emission_factors', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'emission_factor'"
     " UNION ALL SELECT 'energy_use', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'energy_use';"
     "CREATE TRIGGER ec_sessions_retire_id AFTER DELETE ON ec_sessions BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'ec_sessions' AND max_id < OLD.id;"
     " END;"
     "CREATE TRIGGER ag_labs_retire_id AFTER DELETE ON ag_labs BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'ag_labs' AND max_id < OLD.id;"
     " END;"
     "CREATE TRIGGER ag_projects_retire_id AFTER DELETE ON ag_projects BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'ag_projects' AND max_id < OLD.id;"
     " END;"
     "CREATE TRIGGER ag_milestones_retire_id AFTER DELETE ON ag_milestones BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'ag_milestones' AND max_id < OLD.id;"
     " END;"
     "CREATE TRIGGER ag_farms_retire_id AFTER DELETE ON ag_farms BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'ag_farms' AND max_id < OLD.id;"
     " END;"
     "CREATE TRIGGER ag_experts_retire_id AFTER DELETE ON ag_experts BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'ag_experts' AND max_id < OLD.id;"
     " END;"
     "CREATE TRIGGER ag_sections_retire_id AFTER DELETE ON ag_sections BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'ag_sections' AND max_id < OLD.id;"
     " END;"
     "CREATE TRIGGER ag_results_retire_id AFTER DELETE ON ag_results BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'ag_results' AND max_id < OLD.id;"
     " END;"
     "CREATE TRIGGER ag_transfers_retire_id AFTER DELETE ON ag_transfers BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'ag_transfers' AND max_id < OLD.id;"
     " END;"
     "CREATE TRIGGER lg_parks_retire_id AFTER DELETE ON lg_parks BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'lg_parks' AND max_id < OLD.id;"
     " END;"
     "CREATE TRIGGER lg_warehouses_retire_id AFTER DELETE ON lg_warehouses BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'lg_warehouses' AND max_id < OLD.id;"
     " END;"
     "CREATE TRIGGER lg_tenants_retire_id AFTER DELETE ON lg_tenants BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'lg_tenants' AND max_id < OLD.id;"
     " END;"
     "CREATE TRIGGER lg_freight_retire_id AFTER DELETE ON lg_freight BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'lg_freight' AND max_id < OLD.id;"
     " END;"
     "CREATE TRIGGER lg_parcels_retire_id AFTER DELETE ON lg_parcels BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'lg_parcels' AND max_id < OLD.id;"
     " END;"
     "CREATE TRIGGER lg_trains_retire_id AFTER DELETE ON lg_trains BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'lg_trains' AND max_id < OLD.id;"
     " END;"
     "CREATE TRIGGER emission_factors_retire_id AFTER DELETE ON emission_factors BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'emission_factors' AND max_id < "
     "OLD.id;"
     " END;"
     "CREATE TRIGGER energy_use_retire_id AFTER DELETE ON energy_use BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'energy_use' AND max_id < OLD.id;"
     " END;"},
    /* a product's livestream sales of a month are exactly its sessions' of that month
     * (db/ec_livestream.h): the sessions' writes keep them so from now on; before, a session
     * recorded after the demo's load never reached them and a livestream row could be typed by
     * hand. Every row re-derived from the sessions; each row that changes is audited by
     * 'migration' on its product (`sales`, `sales_update`, `sales_delete`, the sale in
     * before.sale / after.sale) and raises the product's version. The products' sessions are
     * found by product (the index). */
    {482, "e-commerce: livestream sales re-derived from the live sessions",
     "CREATE INDEX ec_session_products_product ON ec_session_products(product_id, session_id);"
     "CREATE TEMP TABLE ec_livestream_was AS SELECT product_id, month, orders, gmv_fen FROM"
     " ec_product_sales WHERE channel = 'livestream';" EC_LIVESTREAM_ALL
     "CREATE TEMP TABLE ec_livestream_moved AS SELECT w.product_id, w.month, w.orders AS o0,"
     " w.gmv_fen AS g0, n.orders AS o1, n.gmv_fen AS g1 FROM ec_livestream_was w LEFT JOIN"
     " ec_product_sales n ON n.product_id = w.product_id AND n.month = w.month AND n.channel ="
     " 'livestream' WHERE n.orders IS NULL OR n.orders <> w.orders OR n.gmv_fen <> w.gmv_fen"
     " UNION ALL SELECT n.product_id, n.month, NULL, NULL, n.orders, n.gmv_fen FROM"
     " ec_product_sales n WHERE n.channel = 'livestream' AND NOT EXISTS (SELECT 1 FROM"
     " ec_livestream_was w WHERE w.product_id = n.product_id AND w.month = n.month);"
     "INSERT INTO audit (at, username, action, entity, entity_id, before_json, after_json)"
     " SELECT (SELECT applied_at FROM schema_migrations WHERE version = 482), 'migration',"
     " 'sales', 'ec_product', product_id, NULL, " EC_LIVESTREAM_IS
     " FROM ec_livestream_moved WHERE o0 IS NULL ORDER BY product_id, month;"
     "INSERT INTO audit (at, username, action, entity, entity_id, before_json, after_json)"
     " SELECT (SELECT applied_at FROM schema_migrations WHERE version = 482), 'migration',"
     " 'sales_update', 'ec_product', product_id, " EC_LIVESTREAM_WAS ", " EC_LIVESTREAM_IS
     " FROM ec_livestream_moved WHERE o0 IS NOT NULL AND o1 IS NOT NULL ORDER BY product_id,"
     " month;"
     "INSERT INTO audit (at, username, action, entity, entity_id, before_json, after_json)"
     " SELECT (SELECT applied_at FROM schema_migrations WHERE version = 482), 'migration',"
     " 'sales_delete', 'ec_product', product_id, " EC_LIVESTREAM_WAS ", NULL"
     " FROM ec_livestream_moved WHERE o1 IS NULL ORDER BY product_id, month;"
     "UPDATE ec_products SET version = version + 1 WHERE id IN (SELECT product_id FROM"
     " ec_livestream_moved);"
     "DROP TABLE ec_livestream_moved;"
     "DROP TABLE ec_livestream_was;"},
    /* an ID number's check character 'x' is kept as 'X' from now on (pj_id_number_norm), so
     * that one person's number is one text and a second registration of it is refused; the
     * streamers registered with 'x' before are made so (version raised, audited by
     * 'migration' as `update` of the streamer, the check character before and after, no number) */
    {483, "e-commerce: streamers' ID numbers end in 'X', not 'x'",
     "INSERT INTO audit (at, username, action, entity, entity_id, before_json, after_json)"
     " SELECT (SELECT applied_at FROM schema_migrations WHERE version = 483), 'migration',"
     " 'update', 'ec_streamer', id, '{\"check_character\":\"x\"}',"
     " '{\"check_character\":\"X\"}' FROM ec_streamers WHERE substr(id_number, 18, 1) = 'x';"
     "UPDATE ec_streamers SET id_number = upper(id_number), version = version + 1"
     " WHERE substr(id_number, 18, 1) = 'x';"},
    /* organisations and regions are found by name (a facility import's operator, township and
     * village columns; the operator named on a facility or a warehouse): "uscc = ? OR name = ?"
     * and "code = ? OR name = ?" read every row without an index on name (10,000 imported rows:
     * 9 s of the event loop, 3 s with these) */
    {11, "registry: organisations and regions found by name",
     "CREATE INDEX organisations_name ON organisations(name);"
     "CREATE INDEX regions_name ON regions(name);"},
    /* a finished drill keeps whether it passed (its report's verdict: every step done, none
     * too fast, within the target of the standard it started under — all fixed once it is
     * finished), so the overview's drills overdue read it instead of scoring every drill on
     * every request; NULL for drills finished before this, scored when read */
    {12, "dual-use: a finished drill keeps whether it passed",
     "ALTER TABLE conversions ADD COLUMN drill_passed INTEGER CHECK (drill_passed IN (0, 1));"},
    /* a team type is renamed with the version it was read at, and removed when no manual's step
     * names it; its id is never given again (as the registry's, migration 9; PJ_NEXT_ID), the
     * start every id the audit trail names */
    {13, "dual-use: team types are renamed and removed (a version; ids not given again)",
     "ALTER TABLE team_types ADD COLUMN version INTEGER NOT NULL DEFAULT 1;"
     "INSERT INTO retired_ids (tbl_name, max_id)"
     " SELECT 'team_types', COALESCE(MAX(entity_id), 0) FROM audit WHERE entity = 'team_type';"
     "CREATE TRIGGER team_types_retire_id AFTER DELETE ON team_types BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'team_types' AND max_id < OLD.id;"
     " END;"},
    /* a standard's effective_from given as a bare date was stored as 00:00 UTC, 08:00 in
     * Beijing, though a date is a day in Pinggu; it is now 00:00 Beijing time (16:00 UTC the
     * day before). The versions not yet in force stored at 00:00 UTC sharp (such a date; a
     * time was given to the second and seldom on it) take effect from that day's Beijing
     * midnight, as their dates meant; those in force already keep the instant they took
     * effect, which conversions and drills started under them were judged by. */
    {14, "dual-use: standards not yet in force dated by day take effect at 00:00 Beijing time",
     "UPDATE standards SET effective_from = effective_from - 28800 WHERE effective_from % 86400 ="
     " 0 AND effective_from > (SELECT applied_at FROM schema_migrations WHERE version = 14);"},
    /* a demo build is marked complete by its last transaction (settings demo_complete): one
     * stopped before that is found at the next start. A demo district made before the mark
     * existed is taken as complete (whether it was cannot be told). */
    {15, "demo: a finished demo build is marked complete",
     "INSERT OR IGNORE INTO settings (key, value) SELECT 'demo_complete', 'before-the-mark'"
     " WHERE EXISTS (SELECT 1 FROM audit WHERE action = 'demo' AND entity = 'district');"},
    /* drill plans (演练计划): a facility's drills by scenario and date; a drill started on the
     * facility for the scenario is held under the earliest open plan (conversion_id) */
    {16, "dual-use: drill plans",
     "CREATE TABLE drill_plans ("
     " id INTEGER PRIMARY KEY,"
     " facility_id INTEGER NOT NULL REFERENCES facilities(id),"
     " scenario TEXT NOT NULL,"
     " planned_date TEXT NOT NULL,"
     " note TEXT,"
     " state TEXT NOT NULL DEFAULT 'planned',"
     " conversion_id INTEGER REFERENCES conversions(id),"
     " source TEXT NOT NULL DEFAULT 'manual',"
     " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE INDEX drill_plans_open ON drill_plans (facility_id, scenario, state, planned_date);"
     "CREATE UNIQUE INDEX drill_plans_conversion ON drill_plans (conversion_id)"
     " WHERE conversion_id IS NOT NULL;"},
    /* how many teams of a type the district can put to work at once, recorded once on the
     * type: the plan form offered fixed numbers (8 medical teams where the medical bases'
     * manuals need 10 at once, so a plan made as offered left them out). NULL: not recorded */
    {17, "dual-use: the teams available of a team type",
     "ALTER TABLE team_types ADD COLUMN available INTEGER"
     " CHECK (available IS NULL OR available BETWEEN 0 AND 10000);"},
    /* a finding's due date and a stock line's expiry are dates, stored at the start of their
     * day (UTC, as pj_time_parse makes them): the demo stored them with its clock's time of
     * day, so the finding's own date sent back in a PATCH read as a new one (refused when
     * past) and a line's own expiry as a change (a version, an audit row). The dates shown
     * are the same; nothing else changes */
    {18, "dual-use: findings' due dates and stock expiries at the start of their day",
     "UPDATE drill_findings SET due_date = due_date - ((due_date % 86400) + 86400) % 86400"
     " WHERE due_date % 86400 <> 0;"
     "UPDATE stock_lines SET expiry = expiry - ((expiry % 86400) + 86400) % 86400"
     " WHERE expiry IS NOT NULL AND expiry % 86400 <> 0;"},
    /* an indicator value's or target's id is never given again (as the registry's, migration
     * 9; PJ_NEXT_ID): without AUTOINCREMENT the newest one's id, once deleted, went to the next
     * one entered, so a delete retried (its answer lost) removed the newer figure. The start is
     * every id the audit trail names, so ids deleted before the upgrade are not given again */
    {484, "indicators: ids of deleted values and targets are not given again",
     "INSERT INTO retired_ids (tbl_name, max_id)"
     " SELECT 'indicator_values', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'indicator_value'"
     " UNION ALL SELECT 'indicator_targets', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'indicator_target';"
     "CREATE TRIGGER indicator_values_retire_id AFTER DELETE ON indicator_values BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'indicator_values'"
     " AND max_id < OLD.id; END;"
     "CREATE TRIGGER indicator_targets_retire_id AFTER DELETE ON indicator_targets BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'indicator_targets'"
     " AND max_id < OLD.id; END;"},
    /* audit rows written before the masks of today keep them: an elder's or a helper's ID
     * number under the older mask (the 8 birth-date digits hidden, the last 4 shown: with the
     * birth_date beside it the whole number), an elder's conditions and doctor in clear. Every
     * such snapshot, before and after, is brought to the form the writes hold now (pj_mask_id;
     * the conditions one "***" each, the doctor's name "***"); rows in that form already are
     * not touched */
    {111, "eldercare: audit rows of before keep ID numbers and health data masked as today's",
     AUDIT_REMASK_ID("before_json", "'elder', 'helper'")
         AUDIT_REMASK_ID("after_json", "'elder', 'helper'") AUDIT_MASK_HEALTH("before_json")
             AUDIT_MASK_HEALTH("after_json")},
    /* when an elder left the register (moved away, died): the coverage report owes their
     * visits for the days of a period they were on it (before, a death or a move dropped the
     * visits due of the period while its visits done stayed: a month read later showed more
     * than 100 %). Set by the store on every change of status, whichever path makes it;
     * elders who left before this migration take their last change's time. */
    {113, "eldercare: when an elder left the register",
     "ALTER TABLE elders ADD COLUMN left_at INTEGER;"
     "UPDATE elders SET left_at = updated_at WHERE status <> 'active';"
     "CREATE TRIGGER elders_left_at AFTER UPDATE OF status ON elders"
     " WHEN NEW.status IS NOT OLD.status BEGIN"
     " UPDATE elders SET left_at = CASE WHEN NEW.status = 'active' THEN NULL"
     " ELSE CAST(strftime('%s', 'now') AS INTEGER) END WHERE id = NEW.id; END;"},
    /* migration 113's trigger set left_at on every change of status, also from one departed
     * status to another (moved on 1 March corrected to deceased on the 20th: the elder was
     * taken as on the register until the 20th, owed visits and took logs for those days):
     * left_at is set when the elder leaves the active register, kept while they stay off it */
    {114, "eldercare: an elder's time of leaving the register is kept when the status is corrected",
     "DROP TRIGGER IF EXISTS elders_left_at;"
     "CREATE TRIGGER elders_left_at AFTER UPDATE OF status ON elders"
     " WHEN NEW.status IS NOT OLD.status BEGIN"
     " UPDATE elders SET left_at = CASE WHEN NEW.status = 'active' THEN NULL"
     " WHEN OLD.status = 'active' THEN CAST(strftime('%s', 'now') AS INTEGER)"
     " ELSE OLD.left_at END WHERE id = NEW.id; END;"},
    /* an elder who dies or moves away stops helping too (低龄助高龄: the helper record linked to
     * the elder, or of the elder's ID number, set inactive, its active pairs ended with the
     * note "helper inactive"); helper records of elders who had left before that rule stayed
     * active and paired. They are stopped as the rule stops them, each with an audit row by
     * 'migration' ('update' / 'helper'; 'end' / 'pair' for each pair), the pairs ended on the
     * day the elder left the register (Beijing date of left_at; a pair begun after it, on its
     * start day) */
    {115, "eldercare: helpers whose own elder record had left the register stop helping",
     "INSERT INTO audit (at, username, action, entity, entity_id, before_json, after_json)"
     " SELECT (SELECT applied_at FROM schema_migrations WHERE version = 115), 'migration',"
     " 'end', 'pair', p.id,"
     " '{\"id\":' || p.id || ',\"state\":\"active\",\"end_date\":null,\"ended_note\":\"\",'"
     " || '\"version\":' || p.version || '}',"
     " '{\"id\":' || p.id || ',\"state\":\"ended\",\"end_date\":\"' || " M115_END
     " || '\",\"ended_note\":\"helper inactive\",\"version\":' || (p.version + 1) || '}'"
     " FROM elder_pairs p JOIN helpers h ON h.id = p.helper_id WHERE p.state = 'active' AND"
     " " M115_STOPS " ORDER BY p.id;"
     "INSERT INTO audit (at, username, action, entity, entity_id, before_json, after_json)"
     " SELECT (SELECT applied_at FROM schema_migrations WHERE version = 115), 'migration',"
     " 'update', 'helper', h.id,"
     " '{\"id\":' || h.id || ',\"active\":true,\"version\":' || h.version || '}',"
     " '{\"id\":' || h.id || ',\"active\":false,\"version\":' || (h.version + 1) || '}'"
     " FROM helpers h WHERE " M115_STOPS " ORDER BY h.id;"
     "UPDATE elder_pairs SET state = 'ended', end_date = (SELECT " M115_END " FROM helpers h"
     " JOIN elder_pairs p ON p.helper_id = h.id WHERE p.id = elder_pairs.id),"
     " ended_note = 'helper inactive', version = version + 1 WHERE state = 'active' AND"
     " helper_id IN (SELECT h.id FROM helpers h WHERE " M115_STOPS ");"
     "UPDATE helpers SET active = 0, updated_at = " M115_AT ", version = version + 1 WHERE id IN"
     " (SELECT h.id FROM helpers h WHERE " M115_STOPS ");"},
    /* the same for a streamer's ID number in its audit rows (the older mask kept the first 4
     * and the last 4) */
    {485, "e-commerce: audit rows of before keep streamers' ID numbers masked as today's",
     AUDIT_REMASK_ID("before_json", "'ec_streamer'")
         AUDIT_REMASK_ID("after_json", "'ec_streamer'")},
    /* a streamer's audit rows hold its name masked from the start (its first character and
     * one '*'), so that the anonymising delete leaves it nowhere; rows written before, by the
     * streamer's writes and by its sessions' and enrolments' (`streamer`), held the name in
     * clear and kept it after the delete. They are masked as today's; the placeholder of an
     * anonymised streamer ("已注销主播#141") stays */
    {486, "e-commerce: audit rows of before hold streamers' names masked as today's",
     AUDIT_MASK_NAME("before_json", "ec_streamer", "$.name")
         AUDIT_MASK_NAME("after_json", "ec_streamer", "$.name")
             AUDIT_MASK_NAME("before_json", "ec_session", "$.streamer")
                 AUDIT_MASK_NAME("after_json", "ec_session", "$.streamer")
                     AUDIT_MASK_NAME("before_json", "ac_enrolment", "$.streamer")
                         AUDIT_MASK_NAME("after_json", "ac_enrolment", "$.streamer")},
    /* migration 483 made 'x' and 'X' one number: a person registered twice, once with each,
     * became two live streamers with the same number, which no one was told of. The log names
     * how many; GET /ecommerce/streamers?id_shared=true lists them, to be merged by hand (the
     * one kept edited, the other deleted); a PATCH keeping a streamer's own number passes */
    {487, "e-commerce: live streamers sharing an ID number are named", "", pj_migration_shared_ids},
    /* the academy's and the zone's records as the registry's (migration 9): an id deleted is
     * not given again — a DELETE retried after its answer was lost removed the next record
     * given that id, and the audit trail mixed the two */
    {488,
     "e-commerce: ids of deleted zone enterprises, courses, cohorts, posts and enrolments are not "
     "given again",
     "INSERT INTO retired_ids (tbl_name, max_id)"
     " SELECT 'ec_zone_enterprises', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'ec_zone_enterprise'"
     " UNION ALL SELECT 'ac_courses', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'ac_course'"
     " UNION ALL SELECT 'ac_cohorts', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'ac_cohort'"
     " UNION ALL SELECT 'ac_posts', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'ac_post'"
     " UNION ALL SELECT 'ac_enrolments', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'ac_enrolment';"
     "CREATE TRIGGER ec_zone_enterprises_retire_id AFTER DELETE ON ec_zone_enterprises BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'ec_zone_enterprises'"
     " AND max_id < OLD.id; END;"
     "CREATE TRIGGER ac_courses_retire_id AFTER DELETE ON ac_courses BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'ac_courses'"
     " AND max_id < OLD.id; END;"
     "CREATE TRIGGER ac_cohorts_retire_id AFTER DELETE ON ac_cohorts BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'ac_cohorts'"
     " AND max_id < OLD.id; END;"
     "CREATE TRIGGER ac_posts_retire_id AFTER DELETE ON ac_posts BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'ac_posts'"
     " AND max_id < OLD.id; END;"
     "CREATE TRIGGER ac_enrolments_retire_id AFTER DELETE ON ac_enrolments BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'ac_enrolments'"
     " AND max_id < OLD.id; END;"},
    /* a bank read a consented match's explanation evaluated afresh on each read: editing its
     * product's conditions, it learnt the firm's revenue, tax, staff and credit grade threshold
     * by threshold. It reads the explanation stored at consent; the matches consented before
     * keep the one they have now */
    {489, "enterprise service: the explanation a bank reads is the one consented to",
     "ALTER TABLE ent_fin_matches ADD COLUMN consent_explanation TEXT;",
     pj_ent_migration_consent_snapshots},
    /* measured at the demo's scale (426k service logs, 223k credit transactions): each row of
     * GET /service-logs looked for its void in credit_txns, which had no index (10-15 ms a
     * row, on the event loop: a page of 500 held every request 8-10 s); the coverage report's
     * log query filters voided_at, which its covering index did not hold (1.6-2.7 s, 55-90 ms
     * with it); the audit trail's action and username filters read the whole trail */
    {490, "eldercare and audit: indexes for the service-log list, the coverage report, the audit",
     "CREATE INDEX credit_txns_log ON credit_txns(log_id, kind);"
     "DROP INDEX elder_logs_report;"
     "CREATE INDEX elder_logs_report ON elder_service_logs(time_in, township_id, village_id,"
     " grid_id, kind, helper_id, minutes, voided_at);"
     "CREATE INDEX audit_action ON audit(action, id);"
     "CREATE INDEX audit_username ON audit(username, id);"},
    /* the demo named the logistics valley's land figure 土地可转让率, the console 可流转率 (流转
     * is rural land circulation, another thing); the source's term is 土地出让率. A name the
     * district changed since is kept */
    {491, "indicators: the land figure named as the source names it (土地出让率)",
     "UPDATE indicators SET name = '东久新宜物流谷土地出让率' WHERE code = 'land_transfer_rate'"
     " AND name = '东久新宜物流谷土地可转让率';"},
    /* migration 202 entered the 2026 holidays and make-up days, but the appeals open then kept
     * the deadlines counted without them (every Monday to Friday a working day, through 国庆)
     * and a later calendar write moved them only by its own change. Their deadlines counted
     * from before 202 was applied are counted again over the calendar as it is, with the same
     * number of working days, as a calendar write does (each one moved audited as `update` by
     * `migration`); a database that never had such an appeal is not changed */
    {207, "enterprise service: open appeals' deadlines counted again over the 2026 holidays", "",
     pj_ent_migration_recount_2026},
    /* a service log entered by mistake is voided, not deleted: it stays listed with who voided
     * it, when and why, and counts nowhere any more (its credits taken back by a reversing
     * transaction); version guards the void against a second one made meanwhile */
    {112, "eldercare: service logs can be voided (voided_at, voided_by, void_reason, version)",
     "ALTER TABLE elder_service_logs ADD COLUMN voided_at INTEGER;"
     "ALTER TABLE elder_service_logs ADD COLUMN voided_by TEXT;"
     "ALTER TABLE elder_service_logs ADD COLUMN void_reason TEXT;"
     "ALTER TABLE elder_service_logs ADD COLUMN version INTEGER NOT NULL DEFAULT 1;"},
    /* a reception day's sign-up can be withdrawn (deleted) since the withdraw route: its id went
     * to the next sign-up, of any firm, so the audit trail named several firms' sign-ups by one
     * id. A sign-up's id is never given again (as the registry's, migration 9; PJ_NEXT_ID), the
     * start every id the audit trail names */
    {208, "enterprise service: ids of withdrawn sign-ups are not given again",
     "INSERT INTO retired_ids (tbl_name, max_id)"
     " SELECT 'ent_signups', COALESCE(MAX(entity_id), 0) FROM audit"
     " WHERE entity = 'ent_signup';"
     "CREATE TRIGGER ent_signups_retire_id AFTER DELETE ON ent_signups BEGIN"
     " UPDATE retired_ids SET max_id = OLD.id WHERE tbl_name = 'ent_signups' AND max_id < OLD.id;"
     " END;"},
    /* a reception day is moved by the calendar (its first Monday is no working day, when the
     * year is scheduled) or by the district (PATCH held_on): the console tells which, as the
     * texts differ; days moved before this column get it from their reason. A day the
     * district moved back onto its own first Monday is not moved (its reason said "moved from
     * X to <first Monday> by the district") */
    {209, "enterprise service: who moved a reception day (calendar or district)",
     "ALTER TABLE ent_reception_days ADD COLUMN move_kind TEXT"
     " CHECK (move_kind IN ('calendar', 'district'));"
     "UPDATE ent_reception_days SET moved_reason = '' WHERE held_on = first_monday;"
     "UPDATE ent_reception_days SET move_kind = CASE WHEN moved_reason LIKE '% by the district'"
     " THEN 'district' ELSE 'calendar' END WHERE moved_reason <> '';"},
    /* firms signed up for a reception day are told when the district moves it, cancels it or
     * puts it back: a notice is of a policy or of a reception day (with the day's date before
     * and after; no date after for a cancellation). The table is rebuilt as it was (columns,
     * foreign keys, its index; nothing refers to it, it has no triggers) with policy_id
     * nullable; every notice sent before is kept with its id */
    {210, "enterprise service: notices of reception days moved, cancelled or put back",
     "CREATE TABLE ent_notices_new ("
     " id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES organisations(id),"
     " policy_id INTEGER REFERENCES ent_policies(id) ON DELETE CASCADE,"
     " kind TEXT NOT NULL, created_at INTEGER NOT NULL, read_at INTEGER,"
     " reception_day_id INTEGER REFERENCES ent_reception_days(id),"
     " old_date TEXT, new_date TEXT,"
     " CHECK ((policy_id IS NULL) <> (reception_day_id IS NULL)));"
     "INSERT INTO ent_notices_new (id, org_id, policy_id, kind, created_at, read_at)"
     " SELECT id, org_id, policy_id, kind, created_at, read_at FROM ent_notices ORDER BY id;"
     "DROP TABLE ent_notices;"
     "ALTER TABLE ent_notices_new RENAME TO ent_notices;"
     "CREATE INDEX ent_notices_org ON ent_notices(org_id);"
     "CREATE INDEX ent_notices_day ON ent_notices(reception_day_id);"},
    /* a reply clears the return visit made before it (the call-back on the reply is still
     * due): an appeal whose visit came before its reply awaits the call-back again. The visit
     * and the reply are ordered by their events' ids (times are whole seconds), by the times
     * for an appeal without them. The demo's closed appeals (written without events, the visit
     * a day after the deadline, before some replies) get their visit between the reply and the
     * close, as a demo built now has it. Each appeal changed: version bumped, an audit row by
     * 'migration' */
    {211, "enterprise service: a return visit made before the reply is not the call-back on it",
     "INSERT INTO audit (at, username, action, entity, entity_id, before_json, after_json)"
     " SELECT (SELECT applied_at FROM schema_migrations WHERE version = 211), 'migration',"
     " 'update', 'ent_appeal', id, '{\"id\":' || id || ',\"visited_at\":\"' ||"
     " strftime('%Y-%m-%dT%H:%M:%SZ', visited_at, 'unixepoch') || '\",\"version\":' || version"
     " || '}', '{\"id\":' || id || ',\"visited_at\":\"' || strftime('%Y-%m-%dT%H:%M:%SZ',"
     " replied_at + (closed_at - replied_at) / 2, 'unixepoch') || '\",\"version\":' ||"
     " (version + 1) || '}' FROM ent_appeals WHERE " DEMO_VISIT_BEFORE_REPLY " ORDER BY id;"
     "UPDATE ent_appeals SET visited_at = replied_at + (closed_at - replied_at) / 2,"
     " version = version + 1 WHERE " DEMO_VISIT_BEFORE_REPLY ";"
     "INSERT INTO audit (at, username, action, entity, entity_id, before_json, after_json)"
     " SELECT (SELECT applied_at FROM schema_migrations WHERE version = 211), 'migration',"
     " 'update', 'ent_appeal', id, '{\"id\":' || id || ',\"visited_at\":\"' ||"
     " strftime('%Y-%m-%dT%H:%M:%SZ', visited_at, 'unixepoch') || '\",\"visit_note\":' ||"
     " json_quote(visit_note) || ',\"version\":' || version || '}', '{\"id\":' || id ||"
     " ',\"visited_at\":null,\"visit_note\":\"\",\"version\":' || (version + 1) || '}'"
     " FROM ent_appeals WHERE " VISIT_BEFORE_REPLY " ORDER BY id;"
     "UPDATE ent_appeals SET visited_at = NULL, visit_note = '', version = version + 1"
     " WHERE " VISIT_BEFORE_REPLY ";"},
    /* a reception day says how many appeals were raised at it (appeals, scoped as the appeal
     * list) in its list and detail, and the guard of a cancel or a move counts them: each a
     * count of the day's own appeals from this index, not a read of every appeal */
    {212, "enterprise service: appeals by the reception day they were raised at",
     "CREATE INDEX ent_appeals_day ON ent_appeals(reception_day_id, channel, org_id, township_id)"
     " WHERE reception_day_id IS NOT NULL;"},
    /* a not_satisfied rating reopens the appeal and starts a new round, whose rating is none
     * until its reply is rated: older builds left the earlier round's not_satisfied on the
     * appeal while the new round was worked (the department it was sent to next read it as its
     * own). Cleared on every appeal not closed (the ratings stay in ent_appeal_ratings and the
     * events); each with its version bumped and an audit row by 'migration' */
    {213, "enterprise service: a reopened appeal's new round is not rated yet",
     "INSERT INTO audit (at, username, action, entity, entity_id, before_json, after_json)"
     " SELECT (SELECT applied_at FROM schema_migrations WHERE version = 213), 'migration',"
     " 'update', 'ent_appeal', id, json_object('id', id, 'rating', rating, 'version', version),"
     " json_object('id', id, 'rating', NULL, 'version', version + 1) FROM ent_appeals"
     " WHERE rating IS NOT NULL AND state <> 'closed' ORDER BY id;"
     "UPDATE ent_appeals SET rating = NULL, version = version + 1"
     " WHERE rating IS NOT NULL AND state <> 'closed';"},
    /* a departure raises helper_id_departed on each active helper record of the elder's ID
     * number it leaves active: unlinked outside the recording caller's scope, or linked to
     * another elder record. Departures recorded before the alert existed raised none, and the
     * scan does not raise it: the helpers of a departed elder's number still active and not
     * linked to that elder are alerted once, as the departure would have alerted them (at the
     * helper's grid and township, the day the elder left in the key and the detail), each with
     * an audit row 'create' / 'elder_alert' by 'migration' (no personal data in it); a helper
     * with an alert for that departure already, in any state, is not alerted again */
    {116, "eldercare: helpers of a departed elder's ID number left active are alerted",
     "INSERT INTO elder_alerts (kind, helper_id, grid_id, township_id, dedupe_key, detail,"
     " raised_at) SELECT 'helper_id_departed', h.id, h.grid_id, h.township_id,"
     " 'helper_id_departed:' || h.id || ':' || e.id || ':' || " M116_DAY ","
     " 'an elder of the same ID number was recorded ' || e.status || ' on ' || " M116_DAY ","
     " " M116_AT " FROM helpers h JOIN elders e ON e.id_number = h.id_number AND e.status <>"
     " 'active' AND e.id IS NOT h.elder_id WHERE h.active = 1 AND NOT EXISTS (SELECT 1 FROM"
     " elder_alerts a WHERE a.kind = 'helper_id_departed' AND a.helper_id = h.id AND"
     " substr(a.dedupe_key, 1, length('helper_id_departed:' || h.id || ':' || e.id || ':')) ="
     " 'helper_id_departed:' || h.id || ':' || e.id || ':') ORDER BY h.id;"
     "INSERT INTO audit (at, username, action, entity, entity_id, before_json, after_json)"
     " SELECT (SELECT applied_at FROM schema_migrations WHERE version = 116), 'migration',"
     " 'create', 'elder_alert', a.id, NULL, json_object('id',"
     " a.id, 'kind', a.kind, 'helper_id', a.helper_id, 'grid_id', a.grid_id, 'township_id',"
     " a.township_id, 'detail', a.detail, 'level', a.level, 'state', a.state, 'version',"
     " a.version) FROM elder_alerts a WHERE a.kind = 'helper_id_departed' AND a.raised_at "
     "= " M116_AT " AND NOT EXISTS (SELECT 1 FROM audit u WHERE u.action = 'create' AND u.entity ="
     " 'elder_alert' AND u.entity_id = a.id) ORDER BY a.id;"},
    /* the weekdays an elder's meals are on (bit 0 Monday … bit 6 Sunday), named: meal_days
     * alone was read as that many days from Monday, so meals on Mon/Wed/Fri raised a missed
     * meal on Tuesday. NULL (every record before): the first meal_days days, as before. */
    {117, "eldercare: the weekdays of an elder's meals",
     "ALTER TABLE elders ADD COLUMN meal_weekdays INTEGER;"},
    /* the ledger note of a void held "void of log N: " before the reason, English shown raw
     * in the zh-CN console; a void writes the reason alone now (the transaction's kind and
     * log_id say what it is, the console words it). Notes written before lose the prefix;
     * a note naming another log, or of another kind, is left. Derived text of the ledger,
     * which has no audit rows of its own (the void's row on the log holds its reason), as
     * migration 209 rewrote the reception days' reasons */
    {118, "eldercare: a void's ledger note is its reason",
     "UPDATE credit_txns SET note = substr(note, length('void of log ' || log_id || ': ') + 1)"
     " WHERE kind = 'void' AND log_id IS NOT NULL AND substr(note, 1, length('void of log ' ||"
     " log_id || ': ')) = 'void of log ' || log_id || ': ';"},
    {119, "eldercare: pairing requests of grid workers",
     "CREATE TABLE elder_pair_requests ("
     " id INTEGER PRIMARY KEY, elder_id INTEGER NOT NULL REFERENCES elders(id),"
     " helper_id INTEGER NOT NULL REFERENCES helpers(id), note TEXT NOT NULL DEFAULT '',"
     " state TEXT NOT NULL DEFAULT 'pending', requested_by TEXT NOT NULL,"
     " requested_at INTEGER NOT NULL, decided_by TEXT, decided_at INTEGER,"
     " decision_note TEXT NOT NULL DEFAULT '', pair_id INTEGER REFERENCES elder_pairs(id),"
     " version INTEGER NOT NULL DEFAULT 1);"
     "CREATE UNIQUE INDEX elder_pair_requests_pending ON elder_pair_requests(elder_id)"
     " WHERE state = 'pending';"
     "CREATE INDEX elder_pair_requests_helper ON elder_pair_requests(helper_id);"},
    /* the officers' to-do counts the open alerts escalated to their township: a few among
     * tens of thousands open at the grids */
    {120, "eldercare: open alerts escalated to the township, by township",
     "CREATE INDEX elder_alerts_escalated ON elder_alerts(township_id)"
     " WHERE state = 'open' AND level = 'township';"},
    /* the answers of writes sent with an Idempotency-Key (src/http/idem.h), kept a day per
     * account and key: the same write sent again is answered as the first was, not done twice.
     * Bookkeeping of the requests, not of the district: no audit rows of its own (the write it
     * answers has its own) */
    {492, "http: the answers of writes sent with an Idempotency-Key",
     /* rows in the order written (the answers are large: not in a key-ordered tree) */
     "CREATE TABLE idempotency_keys ("
     " id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, key TEXT NOT NULL,"
     " request TEXT NOT NULL, body_hash TEXT NOT NULL, status INTEGER NOT NULL,"
     " content_type TEXT, response TEXT NOT NULL, created_at INTEGER NOT NULL,"
     " UNIQUE (user_id, key));"
     "CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);"},
    /* a proposal an officer rejected by name: its helper is not proposed for its elder by later
     * runs (a pair by hand still may be). Rejections before it said nothing of which were
     * meant for the pair: none counts */
    {493, "eldercare: pairing proposals refused by name",
     "ALTER TABLE elder_pair_proposals ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;"
     "CREATE INDEX elder_pair_proposals_refused ON elder_pair_proposals(elder_id, helper_id)"
     " WHERE refused = 1;"},
};
const int pj_migrations_count = (int)(sizeof pj_migrations / sizeof pj_migrations[0]);
