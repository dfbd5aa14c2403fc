#!/usr/bin/env bash
# GET /api/v1/health latency while a long report runs (default the time-bank check, which
# sums every credit entry), against the same probe on the idle server: first /health alone
# for IDLE_S s (default 5), then one keep-alive client asks for the report as admin over and
# over, GAP s (default 1) after each answer, and meanwhile another asks /health 50 times a
# second (a probe, not a load). Printed: the median, p99 and maximum latency of the probes
# issued while a report ran, the median of the others, the idle server's median and p99, the
# ratios while-a-report-runs / idle (median, p99; 1.00 = as on an idle server), and the
# reports' own median time. `make bench` runs it on the demo (BENCH_ONLY=report: only it).
# Usage: scripts/bench_report.sh DB ADMIN_PASSWORD [BINARY...] (default build/rel/pingji);
# DB is a grown database (scripts/scale_data.sh DB 20, made from `pingji init --demo`, whose
# output names the admin's password); several binaries are measured in turn, each ROUNDS
# times (default 3), alternating (before/after comparisons). REPORT=PATH times another
# report (e.g. "/api/v1/eldercare/coverage?group=township"); BENCH_REPORT_S the seconds of
# each round (default 20); GZIP=1 asks for it with Accept-Encoding: gzip, as a browser does
# (the gzip of the answer is made on the loop). BODY=FILE posts FILE as the request instead
# (METHOD, default POST; CTYPE its content type, default text/csv), e.g. a facility table to
# REPORT="/api/v1/facilities/import?dry_run=1". PORT: the first port to serve on (default a
# free one; the rounds take PORT, PORT+1, …). Every binary serves DB itself (a log-in per
# round; no other write, but what REPORT writes: reveal=1's audit rows).
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:?usage: scripts/bench_report.sh DB ADMIN_PASSWORD [BINARY...]}
pw=${2:?usage: scripts/bench_report.sh DB ADMIN_PASSWORD [BINARY...]}
shift 2
secs=${BENCH_REPORT_S:-20}
gap=${GAP:-1}
idle=${IDLE_S:-5}
rounds=${ROUNDS:-3}
report=${REPORT:-/api/v1/time-bank/check}
srv=
trap '[ -n "$srv" ] && kill $srv 2>/dev/null' EXIT
bins=("$@")
[ ${#bins[@]} -eq 0 ] && bins=(build/rel/pingji)
gz=${GZIP:-0}
echo "== /health while $report runs$([ "$gz" = 1 ] && echo ' (gzip)'), ${gap} s apart ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores," \
  "load average $(cut -d' ' -f1 /proc/loadavg)) =="
for r in $(seq "$rounds"); do
  for bin in "${bins[@]}"; do
    if [ -n "${PORT:-}" ]; then
      port=$((PORT + ${n:-0})); n=$((${n:-0} + 1))
    else
      port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    fi
    "$bin" serve --db "$db" --port "$port" --quiet --alert-scan-s 0 >/dev/null 2>"$db.bench.log" &
    srv=$!
    for _ in $(seq 600); do curl -fs "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.2; done
    python3 - "$port" "$secs" "$pw" "$report" "$bin" "$gap" "$idle" "$gz" "${BODY:-}" "${METHOD:-}" "${CTYPE:-text/csv}" <<'PY'
import http.client, json, sys, threading, time
port, secs, pw, report, binary = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
gap, idle_secs, gz = float(sys.argv[6]), float(sys.argv[7]), sys.argv[8] == "1"
body = open(sys.argv[9], "rb").read() if sys.argv[9] else None
method = sys.argv[10] or ("POST" if body is not None else "GET")

def conn():
    return http.client.HTTPConnection("127.0.0.1", port, timeout=120)

c = conn()
c.request("POST", "/api/v1/auth/login", json.dumps({"username": "admin", "password": pw}),
          {"Content-Type": "application/json"})
r = c.getresponse()
hdr = {"Authorization": "Bearer " + json.loads(r.read())["token"]}
if gz:
    hdr["Accept-Encoding"] = "gzip"
if body is not None:
    hdr["Content-Type"] = sys.argv[11]
c.request(method, report, body, headers=hdr)  # once first: the file in the page cache for both
r = c.getresponse()
first = r.read()
assert r.status == 200, (r.status, first[:200])
stop, runs, bodies = False, [], set()

def probe(c, until):
    """/health every 20 ms on one connection until then: (issued at, latency) each"""
    out = []
    while time.monotonic() < until:
        t = time.monotonic()
        c.request("GET", "/api/v1/health")
        r = c.getresponse()
        r.read()
        assert r.status == 200, r.status
        out.append((t, time.monotonic() - t))
        time.sleep(max(0.0, 0.02 - (time.monotonic() - t)))
    return out

pc = conn()
alone = sorted(l for t, l in probe(pc, time.monotonic() + idle_secs))  # the idle server

def reports():
    """the report, again GAP s after each answer: its (start, end) times"""
    rc = conn()
    while not stop:
        t = time.monotonic()
        rc.request(method, report, body, headers=hdr)
        rr = rc.getresponse()
        b = rr.read()
        assert rr.status == 200, (rr.status, b[:200])
        runs.append((t, time.monotonic()))
        bodies.add(b)
        time.sleep(gap)

th = threading.Thread(target=reports)
th.start()
probes = probe(pc, time.monotonic() + secs)
stop = True
th.join()
during = sorted(l for t, l in probes if any(a <= t < b for a, b in runs))
idle = sorted(l for t, l in probes if not any(a <= t < b + 0.05 for a, b in runs))
took = sorted(b - a for a, b in runs)
q = lambda v, f: 1000 * v[min(len(v) - 1, int(f * len(v)))] if v else float("nan")
print("%-38s /health issued while a report runs: median %.2f ms, p99 %.1f ms, max %.1f ms (%d);"
      " otherwise median %.2f ms (%d); idle server median %.2f ms, p99 %.1f ms (%d)"
      " | while a report runs / idle: median %.2f, p99 %.2f"
      " | %d reports, median %.0f ms, %d distinct answer(s) | load %s"
      % (binary, q(during, 0.5), q(during, 0.99), q(during, 1), len(during), q(idle, 0.5),
         len(idle), q(alone, 0.5), q(alone, 0.99), len(alone),
         q(during, 0.5) / q(alone, 0.5), q(during, 0.99) / q(alone, 0.99),
         len(took), q(took, 0.5), len(bodies), open("/proc/loadavg").read().split()[0]))
PY
    kill -TERM $srv
    wait $srv 2>/dev/null || true
    srv=
  done
done
