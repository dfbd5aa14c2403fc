#!/usr/bin/env bash
# Grow a demo database (`pingji init --demo`) into what a district holds after some years:
#   scripts/scale_data.sh DB [FACTOR] [SEED]
# FACTOR (default 20) multiplies the enterprise appeals (with their dispatch history and
# ratings), the live sessions, the products and their monthly sales, the indicator values
# (monthly and quarterly series per township) and writes FACTOR × 20,000 audit rows; the
# eldercare history grows by months: FACTOR / 2 (at least 1) earlier months of service
# logs with their time-credit transactions (the demo holds one month of the whole district's
# 99,000 elders), and FACTOR / 2 earlier rounds of alerts, resolved. The demo's registers
# (elders, helpers, facilities) are already the district's real size and are not copied.
# Everything is plain SQL through the sqlite3 shell, respecting the schema's keys; the
# "random" parts are a hash of row number and SEED, so one FACTOR and SEED give one database.
set -euo pipefail
db=${1:?usage: scripts/scale_data.sh DB [FACTOR] [SEED]}
factor=${2:-20}
seed=${3:-1}
months=$((factor / 2)); [ "$months" -lt 1 ] && months=1
command -v sqlite3 >/dev/null || { echo "scale_data: needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 1; }
[ -s "$db" ] || { echo "scale_data: $db: no such database (make it with pingji init --demo)" >&2; exit 1; }

sqlite3 "$db" <<SQL
.bail on
PRAGMA foreign_keys = ON;
PRAGMA journal_mode = WAL;
PRAGMA cache_size = -200000;
BEGIN;
CREATE TEMP TABLE k (n INTEGER PRIMARY KEY);
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < max($factor, $months))
INSERT INTO k SELECT n FROM r;
CREATE TEMP TABLE p AS SELECT $factor AS factor, $months AS months, $seed AS seed,
  (SELECT MAX(id) FROM elder_service_logs) AS logs, (SELECT MAX(id) FROM credit_txns) AS txns,
  (SELECT MAX(id) FROM credit_entries) AS entries, (SELECT MAX(id) FROM elder_alerts) AS alerts,
  (SELECT MAX(id) FROM ent_appeals) AS appeals, (SELECT MAX(id) FROM ec_sessions) AS sessions,
  (SELECT MAX(id) FROM ec_products) AS products;

-- eldercare: earlier months of service logs, each with its credit transaction and entries
INSERT INTO credit_txns (id, kind, at, log_id, relation, note, created_by)
SELECT t.id + k.n * p.txns, t.kind, t.at - k.n * 30 * 86400,
       CASE WHEN t.log_id IS NULL THEN NULL ELSE t.log_id + k.n * p.logs END,
       t.relation, t.note, t.created_by
FROM credit_txns t, k, p WHERE k.n <= p.months AND t.id <= p.txns;
INSERT INTO credit_entries (id, txn_id, account_id, amount_min)
SELECT e.id + k.n * p.entries, e.txn_id + k.n * p.txns, e.account_id, e.amount_min
FROM credit_entries e, k, p WHERE k.n <= p.months AND e.id <= p.entries;
INSERT INTO elder_service_logs (id, elder_id, helper_id, kind, time_in, time_out, minutes,
  remarks, recorded_by, grid_id, village_id, township_id, credit_txn_id, source, created_at)
SELECT l.id + k.n * p.logs, l.elder_id, l.helper_id, l.kind, l.time_in - k.n * 30 * 86400,
       l.time_out - k.n * 30 * 86400, l.minutes, l.remarks, l.recorded_by, l.grid_id,
       l.village_id, l.township_id,
       CASE WHEN l.credit_txn_id IS NULL THEN NULL ELSE l.credit_txn_id + k.n * p.txns END,
       'scale', l.created_at - k.n * 30 * 86400
FROM elder_service_logs l, k, p WHERE k.n <= p.months AND l.id <= p.logs;
UPDATE credit_accounts SET balance_min = COALESCE((SELECT SUM(amount_min) FROM credit_entries e
  WHERE e.account_id = credit_accounts.id), 0);

-- eldercare: earlier rounds of the alerts, resolved a day or three after they were raised
INSERT INTO elder_alerts (id, kind, elder_id, helper_id, grid_id, township_id, dedupe_key, detail,
  level, state, raised_at, escalated_at, acked_at, acked_by, resolved_at, resolved_by, note,
  version, resolved_reason)
SELECT a.id + k.n * p.alerts, a.kind, a.elder_id, a.helper_id, a.grid_id, a.township_id,
       a.dedupe_key || ':scale' || k.n, a.detail, a.level, 'resolved',
       a.raised_at - k.n * 30 * 86400, NULL, a.raised_at - k.n * 30 * 86400 + 3600, 'grid01',
       a.raised_at - k.n * 30 * 86400 + (1 + (a.id * 2654435761 + p.seed) % 3) * 86400,
       'grid01', '', 2, NULL
FROM elder_alerts a, k, p WHERE k.n <= p.months AND a.id <= p.alerts;

-- enterprise: FACTOR times the appeals, spread over earlier quarters; one in twelve of the
-- copies still open (in progress at its department)
INSERT INTO ent_appeals (id, org_id, township_id, channel, type, category, title, description,
  attachments, contact_phone, reception_day_id, state, department_id, first_department_id,
  received_at, dispatched_at, responded_at, replied_at, closed_at, response_due, complete_due,
  reply, resolved, rating, returns, reopens, escalated, visit_due, visited_at, visit_note,
  source, created_by, version, reopened_at)
SELECT a.id + k.n * p.appeals, a.org_id, a.township_id, a.channel, a.type, a.category,
       a.title || ' (' || k.n || ')', a.description, a.attachments, a.contact_phone,
       a.reception_day_id,
       CASE WHEN (a.id * 2654435761 + k.n * 40503 + p.seed) % 12 = 0 THEN 'in_progress'
            ELSE a.state END,
       a.department_id, a.first_department_id,
       a.received_at - (k.n % 8) * 91 * 86400, a.dispatched_at - (k.n % 8) * 91 * 86400,
       a.responded_at - (k.n % 8) * 91 * 86400,
       CASE WHEN (a.id * 2654435761 + k.n * 40503 + p.seed) % 12 = 0 THEN NULL
            ELSE a.replied_at - (k.n % 8) * 91 * 86400 END,
       CASE WHEN (a.id * 2654435761 + k.n * 40503 + p.seed) % 12 = 0 THEN NULL
            ELSE a.closed_at - (k.n % 8) * 91 * 86400 END,
       a.response_due - (k.n % 8) * 91 * 86400, a.complete_due - (k.n % 8) * 91 * 86400,
       a.reply, a.resolved,
       CASE WHEN (a.id * 2654435761 + k.n * 40503 + p.seed) % 12 = 0 THEN NULL ELSE a.rating END,
       a.returns, a.reopens, a.escalated,
       CASE WHEN (a.id * 2654435761 + k.n * 40503 + p.seed) % 12 = 0 THEN NULL
            ELSE a.visit_due - (k.n % 8) * 91 * 86400 END,
       CASE WHEN (a.id * 2654435761 + k.n * 40503 + p.seed) % 12 = 0 THEN NULL
            ELSE a.visited_at - (k.n % 8) * 91 * 86400 END,
       a.visit_note, 'scale', a.created_by, a.version, a.reopened_at
FROM ent_appeals a, k, p WHERE k.n < p.factor AND a.id <= p.appeals;
INSERT INTO ent_appeal_ratings (appeal_id, round, rating, department_id, at, username)
SELECT a.id, 1, a.rating, a.department_id, a.closed_at, a.created_by FROM ent_appeals a
WHERE a.source = 'scale' AND a.rating IS NOT NULL ORDER BY a.id;
-- the dispatch history of every appeal (the demo's have none): receive, dispatch, accept,
-- reply, rate, close as far as each went
INSERT INTO ent_appeal_events (appeal_id, at, action, from_state, to_state, department_id,
  username, note)
SELECT id, at, action, from_state, to_state, department_id, username, note FROM (
  SELECT id, received_at AS at, 1 AS o, 'receive' AS action, NULL AS from_state,
         'received' AS to_state, NULL AS department_id, created_by AS username, channel AS note
  FROM ent_appeals
  UNION ALL SELECT id, dispatched_at, 2, 'dispatch', 'received', 'dispatched', department_id,
         'officer', '' FROM ent_appeals WHERE dispatched_at IS NOT NULL
  UNION ALL SELECT id, responded_at, 3, 'accept', 'dispatched', 'in_progress', department_id,
         'officer', '' FROM ent_appeals WHERE responded_at IS NOT NULL
  UNION ALL SELECT id, replied_at, 4, 'reply', 'in_progress', 'replied', department_id,
         'officer', '' FROM ent_appeals WHERE replied_at IS NOT NULL
  UNION ALL SELECT id, closed_at, 5, 'rate', 'replied', 'closed', department_id, created_by,
         COALESCE(rating, '') FROM ent_appeals WHERE closed_at IS NOT NULL)
ORDER BY id, o;

-- e-commerce: FACTOR times the live sessions (earlier weeks) and the products with their
-- monthly sales
INSERT INTO ec_sessions (id, streamer_id, studio_id, platform, day, duration_min, orders, gmv_fen,
  source, created_at, created_by, updated_at, version)
SELECT s.id + k.n * p.sessions, s.streamer_id, s.studio_id, s.platform,
       date(s.day, '-' || (k.n * 37) || ' days'), s.duration_min,
       s.orders + (s.id * 2654435761 + k.n + p.seed) % 7, s.gmv_fen, 'scale', s.created_at,
       s.created_by, NULL, 1
FROM ec_sessions s, k, p WHERE k.n < p.factor AND s.id <= p.sessions;
INSERT INTO ec_session_products (session_id, product_id)
SELECT sp.session_id + k.n * p.sessions, sp.product_id FROM ec_session_products sp, k, p
WHERE k.n < p.factor AND sp.session_id <= p.sessions;
INSERT INTO ec_products (id, name, category, township_id, source, created_at, version)
SELECT pr.id + k.n * p.products, pr.name || ' ' || k.n, pr.category, pr.township_id, 'scale',
       pr.created_at, 1
FROM ec_products pr, k, p WHERE k.n < p.factor AND pr.id <= p.products;
INSERT INTO ec_product_sales (product_id, month, channel, orders, gmv_fen, source, created_at)
SELECT s.product_id + k.n * p.products, s.month, s.channel,
       s.orders + (s.id * 2654435761 + k.n + p.seed) % 50, s.gmv_fen, 'scale', s.created_at
FROM ec_product_sales s, k, p WHERE k.n < p.factor AND s.product_id <= p.products;

-- indicators: ten years of monthly and quarterly values per township for every indicator
INSERT INTO indicator_values (indicator_id, region, period, period_kind, year, sub, value, unit,
  source, note, created_at, created_by, updated_at, updated_by)
SELECT i.id, r.name, printf('%04d-%02d', y.n + 2015, m.n), 'M', y.n + 2015, m.n,
       ((i.id * 7919 + r.id * 104729 + y.n * 12 + m.n + p.seed) % 10007) / 10.0, i.unit,
       'scale', '', strftime('%s', 'now'), 'scale', strftime('%s', 'now'), 'scale'
FROM indicators i, regions r, k y, k m, p
WHERE r.type = 'township' AND y.n <= max(p.factor / 2, 1) AND m.n <= 12
ON CONFLICT DO NOTHING;
INSERT INTO indicator_values (indicator_id, region, period, period_kind, year, sub, value, unit,
  source, note, created_at, created_by, updated_at, updated_by)
SELECT i.id, r.name, printf('%04dQ%d', y.n + 2015, q.n), 'Q', y.n + 2015, q.n,
       ((i.id * 7919 + r.id * 104729 + y.n * 4 + q.n + p.seed) % 10007) / 3.0, i.unit,
       'scale', '', strftime('%s', 'now'), 'scale', strftime('%s', 'now'), 'scale'
FROM indicators i, regions r, k y, k q, p
WHERE r.type = 'township' AND y.n <= max(p.factor / 2, 1) AND q.n <= 4
ON CONFLICT DO NOTHING;

-- audit: FACTOR × 20,000 rows of everyday writes over two years, by the demo's accounts
INSERT INTO audit (at, user_id, username, action, entity, entity_id, before_json, after_json,
  request_id)
SELECT strftime('%s', 'now') - 2 * 365 * 86400 + n.i * (2 * 365 * 86400 / (p.factor * 20000)),
       u.id, u.username,
       CASE (n.i * 2654435761 + p.seed) % 5 WHEN 0 THEN 'create' ELSE 'update' END,
       CASE (n.i * 40503 + p.seed) % 6 WHEN 0 THEN 'elder' WHEN 1 THEN 'service_log'
         WHEN 2 THEN 'ent_appeal' WHEN 3 THEN 'facility' WHEN 4 THEN 'helper'
         ELSE 'ec_session' END,
       1 + (n.i * 2654435761 + p.seed) % 1500, '{"version":1}', '{"version":2}',
       printf('scale-%d', n.i)
FROM (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c
        WHERE i < (SELECT factor * 20000 FROM p)) SELECT i FROM c) n, p
JOIN users u ON u.id = 1 + (n.i * 7 + p.seed) % 7;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);

SQL
sqlite3 "$db" "SELECT 'elders ' || (SELECT COUNT(*) FROM elders) || ', service logs ' ||
  (SELECT COUNT(*) FROM elder_service_logs) || ', alerts ' || (SELECT COUNT(*) FROM elder_alerts)
  || ', appeals ' || (SELECT COUNT(*) FROM ent_appeals) || ' (events ' ||
  (SELECT COUNT(*) FROM ent_appeal_events) || '), audit ' || (SELECT COUNT(*) FROM audit) ||
  ', indicator values ' || (SELECT COUNT(*) FROM indicator_values) || ', live sessions ' ||
  (SELECT COUNT(*) FROM ec_sessions) || ', product sales ' ||
  (SELECT COUNT(*) FROM ec_product_sales)"
