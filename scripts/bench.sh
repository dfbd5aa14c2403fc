#!/usr/bin/env bash
# make bench: every benchmark side by side with its named reference, in one run.
#   HTTP: facility listing and a grid worker's elders list vs nginx serving the same bytes
#   (../shared/tools/vs-nginx: no Accept-Encoding, the bytes as they are), the whole registry
#   without and with gzip (scripts/bench_gzip.sh), authenticated durable PATCH throughput,
#   server RSS, /health latency during a log-in storm (scripts/bench_login.sh, which also compares binaries),
#   a legitimate log-in's latency while 20 addresses guess passwords (scripts/bench_login_flood.sh),
#   /health while a long report runs vs on the idle server (scripts/bench_report.sh), and while
#   the vulnerable list's CSV export is made, masked and with reveal=1, and while a facility
#   import is previewed (the same script).
#   Planner solvers: each build/rel/bench/algo_* program (GLPK/CBC and published optima).
#   Whole plans: plan_district at the API's 3 s, each role as the API plans it; the
#   single-source plan's bound beside the relaxation's optimum (column generation with Clp).
# BENCH_SCALE=1 adds the reads on a demo grown to years of records (scripts/bench_scale.sh,
# a few minutes). BENCH_QUICK=1 runs short versions; BENCH_ONLY=http stops after the HTTP
# part (and the scale part when asked); BENCH_ONLY=report runs only the report one. Results are
# printed; copy figures to docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${BENCH_QUICK:-0}
dir=$(mktemp -d /tmp/pingji-bench-XXXXXX)
srv=
trap 'kill $srv 2>/dev/null || true; rm -rf "$dir"' EXIT
bin=build/rel/pingji
echo "== pingji bench ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores) =="
init=$($bin init --db "$dir/pj.db" --demo 2>/dev/null)
pw=$(echo "$init" | sed -n 's/.*user: admin  password: \([^ ]*\).*/\1/p')
rounds=3; [ "$quick" = 1 ] && rounds=1
# /health while the time-bank check (the demo's: every credit entry, ≈ 0.2 s) runs on the
# report worker, a quarter of a second after each answer, vs /health on the idle server
report_bench() {
  echo
  echo "-- GET /api/v1/health while the time-bank check runs on the report worker, vs on the idle"
  echo "   server (ratio 1.00: as if no report ran)"
  ROUNDS=1 GAP=0.25 BENCH_REPORT_S=$([ "$quick" = 1 ] && echo 5 || echo 15) \
    IDLE_S=$([ "$quick" = 1 ] && echo 3 || echo 5) scripts/bench_report.sh "$dir/pj.db" "$pw" "$bin" | tail -n +2
  echo
  echo "-- GET /api/v1/health while the vulnerable list's CSV (the demo's 25,238 elders, gzip) is"
  echo "   made on the report worker, vs on the idle server"
  REPORT="/api/v1/eldercare/vulnerable?format=csv" GZIP=1 ROUNDS=1 GAP=0.25 \
    BENCH_REPORT_S=$([ "$quick" = 1 ] && echo 5 || echo 15) \
    IDLE_S=$([ "$quick" = 1 ] && echo 3 || echo 5) scripts/bench_report.sh "$dir/pj.db" "$pw" "$bin" | tail -n +2
  # the two below write (audit rows; an import's preview writes nothing, but on a copy all the
  # same): on a copy of the demo, so that what follows reads the demo as it was
  cp "$dir/pj.db" "$dir/copy.db"
  echo
  echo "-- GET /api/v1/health while the same CSV with reveal=1 (every number in full, an audit row"
  echo "   for each elder and paired helper written after the read) is made on the report worker"
  REPORT="/api/v1/eldercare/vulnerable?format=csv&reveal=1" GZIP=1 ROUNDS=1 GAP=0.25 \
    BENCH_REPORT_S=$([ "$quick" = 1 ] && echo 5 || echo 15) \
    IDLE_S=$([ "$quick" = 1 ] && echo 3 || echo 5) scripts/bench_report.sh "$dir/copy.db" "$pw" "$bin" | tail -n +2
  echo
  echo "-- GET /api/v1/health while a facility import of 3,000 new hotels is previewed"
  echo "   (dry_run=1: every row checked and written, then undone) on the report worker"
  python3 -c 'import sys
print("name,type,township,lat,lon,isolation_rooms")
for k in range(3000): print("基准导入酒店 %d,hotel,滨河街道,40.1%d,117.1%d,%d" % (k, k % 10, k % 7, 10 + k))' >"$dir/import.csv"
  BODY="$dir/import.csv" REPORT="/api/v1/facilities/import?dry_run=1" ROUNDS=1 GAP=0.25 \
    BENCH_REPORT_S=$([ "$quick" = 1 ] && echo 5 || echo 15) \
    IDLE_S=$([ "$quick" = 1 ] && echo 3 || echo 5) scripts/bench_report.sh "$dir/copy.db" "$pw" "$bin" | tail -n +2
}
if [ "${BENCH_ONLY:-}" = report ]; then
  report_bench
  exit 0
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$bin serve --db "$dir/pj.db" --port "$port" 2>"$dir/server.log" >/dev/null &
srv=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done
token=$(curl -fs -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$pw\"}" \
  "http://127.0.0.1:$port/api/v1/auth/login" | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p')
url="http://127.0.0.1:$port/api/v1/facilities?limit=20"

echo
echo "-- GET /api/v1/facilities?limit=20 (authenticated, access log on) vs nginx, same bytes"
vs=../shared/tools/vs-nginx
if [ -x "$vs" ]; then
  VS_HEADER="Authorization: Bearer $token" "$vs" "$url" "$rounds"
else
  echo "(../shared/tools/vs-nginx not found; skipped)"
fi
echo
echo "-- GET /api/v1/elders?limit=100 as the grid worker grid01 (their ≈ 100 elders, per-user"
echo "   cache, list projection) vs nginx, same bytes"
demo_pw=$(echo "$init" | sed -n 's/.*demo accounts .* password: \([^ ]*\).*/\1/p')
gtoken=$(curl -fs -H 'Content-Type: application/json' \
  -d "{\"username\":\"grid01\",\"password\":\"$demo_pw\"}" \
  "http://127.0.0.1:$port/api/v1/auth/login" | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p')
if [ -x "$vs" ] && [ -n "$gtoken" ]; then
  VS_HEADER="Authorization: Bearer $gtoken" "$vs" "http://127.0.0.1:$port/api/v1/elders?limit=100" "$rounds"
else
  echo "(vs-nginx or the grid01 login not available; skipped)"
fi
echo
echo "-- GET /api/v1/facilities?limit=500 (the whole demo registry) without and with"
echo "   Accept-Encoding: gzip, and nginx's gzip at the server's level (scripts/bench_gzip.sh)"
VS_HEADER="Authorization: Bearer $token" scripts/bench_gzip.sh \
  "http://127.0.0.1:$port/api/v1/facilities?limit=500" "$rounds"
curl -fs -H "Authorization: Bearer $token" -o "$dir/listing.json" \
  "http://127.0.0.1:$port/api/v1/facilities?limit=500"
echo "  zlib levels on that body (build/rel/bench/gzip_levels):"
build/rel/bench/gzip_levels "$dir/listing.json" | sed 's/^/  /'
echo
echo "p99 latency of the facility listing (wrk --latency, 1 thread, 32 connections, 8 s):"
wrk -t1 -c32 -d8s --latency -H "Authorization: Bearer $token" "$url" | \
  awk '/Requests\/sec/{print "  pingji req/s " $2} /^ +99%/{print "  pingji p99 " $2}'

echo
echo "-- GET /api/v1/overview?scenario=epidemic (critical paths of every manual, coverage, supplies)"
echo "   vs the facility listing, same wrk settings, same run"
ov=$(wrk -t1 -c32 -d8s --latency -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/overview?scenario=epidemic")
li=$(wrk -t1 -c32 -d8s --latency -H "Authorization: Bearer $token" "$url")
ovr=$(echo "$ov" | awk '/Requests\/sec/{print $2}'); lir=$(echo "$li" | awk '/Requests\/sec/{print $2}')
echo "  overview req/s $ovr, p99 $(echo "$ov" | awk '/^ +99%/{print $2}')"
echo "  listing  req/s $lir, p99 $(echo "$li" | awk '/^ +99%/{print $2}')"
awk -v a="$ovr" -v b="$lir" 'BEGIN{printf "  ratio overview/listing: %.3f\n", a/b}'
echo "  one overview in-process: $(build/rel/bench/overview "$dir/pj.db" 2>/dev/null || echo '?')"

echo
echo "-- GET /api/v1/todo (待办: eight counts and the live conversions' standing in the district's"
echo "   scope, asked at each page change)"
echo "   vs GET /api/v1/auth/me (the cheapest authenticated read), same wrk settings, same run"
td=$(wrk -t1 -c32 -d8s --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/todo")
me=$(wrk -t1 -c32 -d8s --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/auth/me")
tdr=$(echo "$td" | awk '/Requests\/sec/{print $2}'); mer=$(echo "$me" | awk '/Requests\/sec/{print $2}')
echo "  todo    req/s $tdr, p99 $(echo "$td" | awk '/^ +99%/{print $2}')"
echo "  auth/me req/s $mer, p99 $(echo "$me" | awk '/^ +99%/{print $2}')"
awk -v a="$tdr" -v b="$mer" 'BEGIN{printf "  ratio todo/auth-me: %.3f\n", a/b}'

echo
echo "-- PATCH /api/v1/facilities/{id} (authenticated, durable write + audit row), 32 connections"
echo "   (the facilities with a peacetime capacity, as the database holds them: id, version, capacity)"
patch_run() { # $1: PJ_IDEM (1: each request with an Idempotency-Key of its own)
  sqlite3 "$dir/pj.db" "select id || ' ' || version || ' ' || peacetime_capacity from facilities
    where peacetime_capacity is not null order by id" >"$dir/facilities.txt"
  PJ_IDEM=$1 PJ_TOKEN=$token PJ_FACILITIES="$dir/facilities.txt" wrk -t1 -c32 -d8s -s bench/patch.lua \
    "http://127.0.0.1:$port" >"$dir/patch-$1.txt"
  awk '/Requests\/sec/{print "  req/s " $2} /Non-2xx/{print "  non-2xx " $NF} /requests in/{print "  " $0}
       END{if (!seen) print "  non-2xx 0"} /Non-2xx/{seen=1}' "$dir/patch-$1.txt"
}
patch_run 0
echo "  audit rows written: $(sqlite3 "$dir/pj.db" "select count(*) from audit where action='update'" 2>/dev/null || echo '?')"
echo "   the same, each with an Idempotency-Key of its own (the console's writes: the answer kept too)"
patch_run 1
echo "  keys kept: $(sqlite3 "$dir/pj.db" "select count(*) from idempotency_keys" 2>/dev/null || echo '?')"
awk -v a="$(awk '/Requests\/sec/{print $2}' "$dir/patch-1.txt")" -v b="$(awk '/Requests\/sec/{print $2}' "$dir/patch-0.txt")" \
  'BEGIN{printf "  ratio keyed/unkeyed: %.3f\n", a/b}'

echo
echo "-- server memory after the HTTP benchmarks"
awk '/VmRSS|VmHWM/{printf "  %s %.1f MB\n", $1, $2/1024}' /proc/$srv/status
kill -TERM $srv; wait $srv 2>/dev/null || true

echo
echo "-- GET /api/v1/health while 8 clients log in (argon2id at the product's cost, off the loop)"
ROUNDS=1 scripts/bench_login.sh "$bin" | tail -n +2
echo
echo "-- a log-in a second while 20 addresses guess passwords (turns by address in the queue)"
ROUNDS=1 BENCH_FLOOD_S=$([ "$quick" = 1 ] && echo 10 || echo 20) scripts/bench_login_flood.sh "$bin" | tail -n +2
report_bench

if [ "${BENCH_SCALE:-0}" = 1 ]; then
  echo
  echo "-- the API on the demo and on the demo grown to years of records (scripts/bench_scale.sh)"
  scripts/bench_scale.sh
fi

[ "${BENCH_ONLY:-}" = http ] && exit 0
for b in build/rel/bench/algo_* build/rel/bench/enterprise_match build/rel/bench/elder_bench; do
  [ -x "$b" ] || continue
  echo
  echo "-- $(basename "$b")"
  if [ "$quick" = 1 ]; then "$b" --quick; else "$b"; fi
done
if [ "$quick" != 1 ] && [ -x build/rel/bench/plan_district ]; then
  echo
  echo "-- plan_district (whole plans at 3 s; --dw: the relaxation's optimum for single-source)"
  build/rel/bench/plan_district --time-limit 3 --role-default --dw
  echo
  echo "-- plan_district (resettlement at 100 s: three single-source searches, the best kept)"
  build/rel/bench/plan_district --time-limit 100 --role resettlement --role-default --dw
fi
