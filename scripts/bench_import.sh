#!/usr/bin/env bash
# A large facility import against the demo district: ROWS new facilities (default 10,000, the
# import's limit) made from the demo's own rows, POSTed as CSV to /facilities/import?dry_run=1
# (the preview runs every check and write, then rolls back, so each round sees the same
# database), while one keep-alive client asks /health every 20 ms: the import's seconds and
# the longest /health wait, which is how long everyone else's requests stood still, and the
# server's CPU seconds over the import (user + system: on a loaded machine the wall time also
# counts the time the server waited for a core, the CPU seconds do not).
# Usage: scripts/bench_import.sh [BINARY...] (default build/rel/pingji); several binaries are
# measured in turn, each ROUNDS times (default 3), alternating (before/after comparisons).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench_lib.sh
rounds=${ROUNDS:-3}
rows=${ROWS:-10000}
dir=$(mktemp -d /tmp/pingji-import-XXXXXX)
srv=
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; rm -rf "$dir"' EXIT
bins=("$@")
[ ${#bins[@]} -eq 0 ] && bins=(build/rel/pingji)
echo "== facility import of $rows rows, dry run ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores," \
  "load average $(cut -d' ' -f1 /proc/loadavg)) =="
for r in $(seq "$rounds"); do
  for i in "${!bins[@]}"; do
    bin=${bins[$i]}
    db="$dir/pj$i.db"
    pw=$(bench_db "$bin" "$db" --demo)
    port=$(free_port)
    "$bin" serve --db "$db" --port "$port" --quiet 2>"$dir/server.log" >/dev/null &
    srv=$!
    wait_up "$port"
    python3 - "$port" "$pw" "$rows" "$srv" <<'PY'
import csv, http.client, io, json, os, sys, threading, time
port, pw, rows, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
def cpu():  # the server's user + system time, in seconds
    f = open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
def conn():
    return http.client.HTTPConnection("127.0.0.1", port, timeout=600)
c = conn()
c.request("POST", "/api/v1/auth/login", json.dumps({"username": "admin", "password": pw}),
          {"Content-Type": "application/json"})
tok = json.loads(c.getresponse().read())["token"]
auth = {"Authorization": "Bearer " + tok}
c.request("GET", "/api/v1/facilities/export", headers=auth)
table = list(csv.reader(io.StringIO(c.getresponse().read().decode("utf-8-sig"))))
head, body = table[0], table[1:]
out = io.StringIO()
w = csv.writer(out)
w.writerow(head)
for k in range(rows):  # new facilities: no id, a name of their own
    row = list(body[k % len(body)])
    row[0] = row[1] = ""
    row[2] = "%s 副本%d" % (row[2], k)
    w.writerow(row)
data = out.getvalue().encode()
waits, done = [], threading.Event()
def probe():
    p = conn()
    while not done.is_set():
        t = time.monotonic()
        p.request("GET", "/api/v1/health")
        p.getresponse().read()
        waits.append(time.monotonic() - t)
        time.sleep(0.02)
th = threading.Thread(target=probe)
th.start()
time.sleep(0.2)
t, t_cpu = time.monotonic(), cpu()
c.request("POST", "/api/v1/facilities/import?dry_run=1", data,
          dict(auth, **{"Content-Type": "text/csv"}))
res = c.getresponse()
ans = json.loads(res.read())
took, took_cpu = time.monotonic() - t, cpu() - t_cpu
done.set()
th.join()
assert res.status == 200 and ans["created"] == rows, (res.status, str(ans)[:300])
print("%.2f s import (server CPU %.2f s), longest /health wait %.2f s"
      % (took, took_cpu, max(waits)))
PY
    kill -TERM $srv
    wait $srv 2>/dev/null || true
    srv=
    echo "  ^ $bin round $r"
  done
done
