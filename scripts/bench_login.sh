#!/usr/bin/env bash
# GET /api/v1/health latency while 8 clients log in over and over at the product's argon2id
# cost (each attempt from another address through --trust-proxy, so neither the throttle nor
# a lockout stops them): wrk -c8 on POST /auth/login and, meanwhile, one keep-alive client
# asking /health 50 times a second (a probe, not a load: it leaves the CPU to the others),
# whose latencies' median and p99 are printed, idle and during the storm.
# Usage: scripts/bench_login.sh [BINARY...] (default build/rel/pingji); several binaries are
# measured in turn, each ROUNDS times (default 3), alternating (before/after comparisons).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench_lib.sh
secs=${BENCH_LOGIN_S:-10}
rounds=${ROUNDS:-3}
dir=$(mktemp -d /tmp/pingji-login-XXXXXX)
srv=
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; rm -rf "$dir"' EXIT
# probe PORT SECONDS: /health every 20 ms on one connection; prints "median p99 count"
probe() {
  python3 - "$1" "$2" <<'PY'
import http.client, sys, time
port, secs = int(sys.argv[1]), float(sys.argv[2])
c = http.client.HTTPConnection("127.0.0.1", port)
lat, end = [], time.monotonic() + secs
while time.monotonic() < end:
    t = time.monotonic()
    c.request("GET", "/api/v1/health")
    r = c.getresponse()
    r.read()
    lat.append(time.monotonic() - t)
    time.sleep(max(0.0, 0.02 - (time.monotonic() - t)))
lat.sort()
ms = lambda q: "%.2f ms" % (1000 * lat[min(len(lat) - 1, int(q * len(lat)))])
print(ms(0.5), ms(0.99), len(lat))
PY
}
bins=("$@")
[ ${#bins[@]} -eq 0 ] && bins=(build/rel/pingji)
echo "== /health while 8 clients log in ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores," \
  "load average $(cut -d' ' -f1 /proc/loadavg)) =="
for r in $(seq "$rounds"); do
  for i in "${!bins[@]}"; do
    bin=${bins[$i]}
    db="$dir/pj$i.db"
    pw=$(bench_db "$bin" "$db")
    port=$(free_port)
    "$bin" serve --db "$db" --port "$port" --trust-proxy --quiet 2>"$dir/server.log" >/dev/null &
    srv=$!
    wait_up "$port"
    base="http://127.0.0.1:$port"
    read -r idle _ _ _ _ < <(probe "$port" 3)
    PJ_PW=$pw wrk -t1 -c8 -d"${secs}s" -s bench/login.lua "$base" >"$dir/login.txt" &
    storm=$!
    sleep 1
    read -r med _ p99 _ n < <(probe "$port" "$((secs - 2))")
    wait $storm
    kill -TERM $srv
    wait $srv 2>/dev/null || true
    srv=
    printf '  %-34s round %d: /health median %s ms, p99 %s ms (%s probes; idle median %s ms); logins %s/s, non-2xx %s\n' \
      "$bin" "$r" "$med" "$p99" "$n" "$idle" \
      "$(awk '/Requests\/sec/{print $2}' "$dir/login.txt")" \
      "$(awk '/Non-2xx/{print $NF} END{}' "$dir/login.txt" | grep . || echo 0)"
  done
done
