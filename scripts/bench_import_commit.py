# One committed facility import while GET /api/v1/health is asked every 20 ms and elder 1 is
# PATCHed every 50 ms (a write of the loop's own connection, which waits for any other
# connection's write lock): the latencies of each issued while the import runs, and the
# import's own time. The answer's JSON is written to OUT (to compare binaries: the same
# database copy gives the same answer). ROWS new facilities are made from the database's own
# (its export), as scripts/bench_stalls.py makes them.
# Usage: python3 scripts/bench_import_commit.py PORT ADMIN_PASSWORD ROWS LABEL OUT against
# `pingji serve --db COPY --port PORT --quiet --alert-scan-s 0`, COPY a fresh copy of a demo
# database (`pingji init --demo`) for each run.
import csv, http.client, io, json, sys, threading, time
port, pw, rows = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def conn(): return http.client.HTTPConnection("127.0.0.1", port, timeout=120)
c = conn()
c.request("POST", "/api/v1/auth/login", json.dumps({"username": "admin", "password": pw}), {"Content-Type": "application/json"})
tok = json.loads(c.getresponse().read())["token"]
H = {"Authorization": "Bearer " + tok}
c.request("GET", "/api/v1/facilities/export", headers=H)
table = list(csv.reader(io.StringIO(c.getresponse().read().decode("utf-8-sig"))))
out = io.StringIO(); w = csv.writer(out); w.writerow(table[0])
for k in range(rows):
    row = list(table[1 + k % (len(table) - 1)]); row[0] = row[1] = ""; row[2] = "%s 副本%d" % (row[2], k); w.writerow(row)
data = out.getvalue().encode()
c.request("GET", "/api/v1/elders/1", headers=H); ver = json.loads(c.getresponse().read())["version"]
stop = False; health = []; writes = []
def hp():
    p = conn()
    while not stop:
        t = time.monotonic(); p.request("GET", "/api/v1/health"); p.getresponse().read()
        health.append((t, time.monotonic() - t)); time.sleep(0.02)
def wp():
    global ver
    p = conn(); k = 0
    while not stop:
        k += 1
        t = time.monotonic()
        p.request("PATCH", "/api/v1/elders/1", json.dumps({"version": ver, "household": "%d号" % (300 + k % 50)}), dict(H, **{"Content-Type": "application/json"}))
        r = p.getresponse(); b = json.loads(r.read())
        assert r.status == 200, (r.status, b)
        ver = b["version"]
        writes.append((t, time.monotonic() - t)); time.sleep(0.05)
ths = [threading.Thread(target=hp), threading.Thread(target=wp)]
for th in ths: th.start()
time.sleep(1.0)
t0 = time.monotonic()
c.request("POST", "/api/v1/facilities/import", data, dict(H, **{"Content-Type": "text/csv"}))
r = c.getresponse(); body = r.read(); t1 = time.monotonic()
time.sleep(0.5); stop = True
for th in ths: th.join()
d = lambda v: sorted(l for t, l in v if t0 <= t < t1)
q = lambda v, f: 1000 * v[min(len(v) - 1, int(f * len(v)))] if v else float("nan")
hd, wd = d(health), d(writes)
print("%s import %d, %.0f ms | /health during: median %.2f ms, max %.1f ms (%d) | PATCH during: median %.1f ms, max %.1f ms (%d) | load %s"
      % (sys.argv[4], r.status, 1000 * (t1 - t0), q(hd, .5), q(hd, 1), len(hd), q(wd, .5), q(wd, 1), len(wd), open("/proc/loadavg").read().split()[0]))
res = json.loads(body)
open(sys.argv[5], "w").write(json.dumps({k: v for k, v in res.items()}, sort_keys=True, ensure_ascii=False))
