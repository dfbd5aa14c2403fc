#!/usr/bin/env bash
# A legitimate log-in's latency under a password-guessing flood: wrk -c40 sends wrong
# passwords from 20 client addresses (bench/login_flood.lua; X-Forwarded-For through
# --trust-proxy) as fast as they are answered, for BENCH_FLOOD_S seconds (default 20);
# meanwhile, from 2 s in, the admin logs in with the right password once a second, each time
# from a new address (an official at another office), and the median and maximum of those
# log-ins' latencies are printed with their statuses (a 503 busy counts as not logged in).
# Usage: scripts/bench_login_flood.sh [BINARY...] (default build/rel/pingji); several binaries
# are measured in turn, each ROUNDS times (default 3), alternating (before/after comparisons).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench_lib.sh
secs=${BENCH_FLOOD_S:-20}
rounds=${ROUNDS:-3}
addrs=${PJ_FLOOD_ADDRS:-20}
dir=$(mktemp -d /tmp/pingji-flood-XXXXXX)
srv=
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; rm -rf "$dir"' EXIT
# legit PORT PASSWORD SECONDS ROUND: one log-in a second; prints "median max ok of others"
# (ms of those logged in, "-" when none; the statuses of the others, "none" when none)
legit() {
  python3 - "$1" "$2" "$3" "$4" <<'PY'
import http.client, json, sys, time
port, pw, secs, rnd = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
body = json.dumps({"username": "admin", "password": pw})
lat, statuses, i, end = [], [], 0, time.monotonic() + secs
while time.monotonic() < end:
    i += 1
    t = time.monotonic()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("POST", "/api/v1/auth/login", body,
              {"Content-Type": "application/json", "X-Forwarded-For": "203.0.%d.%d" % (rnd, i)})
    r = c.getresponse()
    r.read()
    c.close()
    statuses.append(r.status)
    if r.status == 200:
        lat.append(time.monotonic() - t)
    time.sleep(max(0.0, 1.0 - (time.monotonic() - t)))
lat.sort()
ms = lambda v: "%.0f" % (1000 * v)
med = ms(lat[len(lat) // 2]) if lat else "-"
mx = ms(lat[-1]) if lat else "-"
other = ",".join(str(s) for s in statuses if s != 200) or "none"
print(med, mx, len(lat), len(statuses), other)
PY
}
bins=("$@")
[ ${#bins[@]} -eq 0 ] && bins=(build/rel/pingji)
echo "== a log-in a second while $addrs addresses guess passwords ($(date -u +%Y-%m-%dT%H:%MZ)," \
  "$(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)) =="
for r in $(seq "$rounds"); do
  for i in "${!bins[@]}"; do
    bin=${bins[$i]}
    db="$dir/pj$i.db"
    rm -f "$db" "$db.pw" "$db-wal" "$db-shm" # no lockouts or sessions left from a round before
    pw=$(bench_db "$bin" "$db")
    port=$(free_port)
    "$bin" serve --db "$db" --port "$port" --trust-proxy --quiet 2>"$dir/server.log" >/dev/null &
    srv=$!
    wait_up "$port"
    PJ_FLOOD_ADDRS=$addrs wrk -t1 -c40 -d"${secs}s" -s bench/login_flood.lua \
      "http://127.0.0.1:$port" >"$dir/flood.txt" &
    flood=$!
    sleep 2
    read -r med max ok of other < <(legit "$port" "$pw" "$((secs - 4))" "$r")
    wait $flood
    kill -TERM $srv
    wait $srv 2>/dev/null || true
    srv=
    printf '  %-34s round %d: log-in median %s ms, max %s ms (%s of %s logged in; other answers: %s); flood %s req/s\n' \
      "$bin" "$r" "$med" "$max" "$ok" "$of" "$other" \
      "$(awk '/Requests\/sec/{print $2}' "$dir/flood.txt")"
  done
done
