# How long each heavy export and import holds the event loop: each request 3 times (ROUNDS),
# while another keep-alive connection asks GET /api/v1/health every 5 ms; printed per request
# its own time and the longest /health wait while it ran (a wait as long as the request: the
# request held the loop). Exports are asked with Accept-Encoding: gzip where a browser's
# would be gzipped (the gzip is made on the loop). The imports are dry runs (every check and
# write, rolled back) of facilities made from the database's own rows, as
# scripts/bench_import.sh makes them.
# Usage: python3 scripts/bench_stalls.py PORT ADMIN_PASSWORD [ROUNDS] against a server
# (`pingji serve --db DB --port PORT --quiet --alert-scan-s 0`, DB from `pingji init --demo`).
import csv, gzip, http.client, io, json, sys, threading, time
port, pw = int(sys.argv[1]), sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
def conn(): return http.client.HTTPConnection("127.0.0.1", port, timeout=600)
c = conn()
c.request("POST", "/api/v1/auth/login", json.dumps({"username": "admin", "password": pw}),
          {"Content-Type": "application/json"})
tok = json.loads(c.getresponse().read())["token"]
auth = {"Authorization": "Bearer " + tok}
def get(path, hdr={}):
    c.request("GET", path, headers=dict(auth, **hdr)); r = c.getresponse(); return r.status, r.read()

def run(label, method, path, body=None, hdr={}):
    res = []
    for _ in range(rounds):
        waits, done = [], threading.Event()
        def probe():
            p = conn()
            while not done.is_set():
                t = time.monotonic()
                p.request("GET", "/api/v1/health"); p.getresponse().read()
                waits.append(time.monotonic() - t)
                time.sleep(0.005)
        th = threading.Thread(target=probe); th.start(); time.sleep(0.1)
        t = time.monotonic()
        c.request(method, path, body, dict(auth, **hdr)); r = c.getresponse(); b = r.read()
        took = time.monotonic() - t
        done.set(); th.join()
        assert r.status < 300, (label, r.status, b[:300])
        res.append((took, max(waits), len(b)))
    took = sorted(x[0] for x in res); w = sorted(x[1] for x in res)
    print("%-62s %7d B  request %s ms  longest /health %s ms" % (label, res[0][2],
          " / ".join("%.0f" % (1000 * x[0]) for x in res), " / ".join("%.0f" % (1000 * x[1]) for x in res)), flush=True)
    return res

gz = {"Accept-Encoding": "gzip"}
run("GET /facilities/export (csv, gzip)", "GET", "/api/v1/facilities/export", hdr=gz)
run("GET /facilities/export?format=xlsx", "GET", "/api/v1/facilities/export?format=xlsx")
run("GET /indicators/export (csv, gzip)", "GET", "/api/v1/indicators/export", hdr=gz)
run("GET /indicators/export?format=xlsx", "GET", "/api/v1/indicators/export?format=xlsx")
run("GET /eldercare/vulnerable?format=csv (gzip)", "GET", "/api/v1/eldercare/vulnerable?format=csv", hdr=gz)
run("GET /eldercare/vulnerable?format=csv&reveal=1 (gzip)", "GET", "/api/v1/eldercare/vulnerable?format=csv&reveal=1", hdr=gz)
run("GET /facilities?limit=500 (gzip)", "GET", "/api/v1/facilities?limit=500&_=1", hdr=gz)
run("GET /elders?limit=500 (gzip)", "GET", "/api/v1/elders?limit=500", hdr=gz)
# imports: facilities made from the demo's own rows (as scripts/bench_import.sh), dry run
st, b = get("/api/v1/facilities/export")
table = list(csv.reader(io.StringIO(b.decode("utf-8-sig"))))
head, body = table[0], table[1:]
for rows in (3000, 10000):
    out = io.StringIO(); w = csv.writer(out); w.writerow(head)
    for k in range(rows):
        row = list(body[k % len(body)]); row[0] = row[1] = ""; row[2] = "%s 副本%d" % (row[2], k); w.writerow(row)
    data = out.getvalue().encode()
    run("POST /facilities/import?dry_run=1 csv %d rows" % rows, "POST", "/api/v1/facilities/import?dry_run=1", data, {"Content-Type": "text/csv"})
st, b = get("/api/v1/indicators/export")
itab = b.decode("utf-8-sig").splitlines()
print("indicator values exported:", len(itab) - 1)
ih = itab[0]; ib = itab[1:]
data = ("\n".join([ih] + ib[:3000]) + "\n").encode()
run("POST /indicators/import?dry_run=1 csv %d rows" % min(3000, len(ib)), "POST", "/api/v1/indicators/import?dry_run=1", data, {"Content-Type": "text/csv"})
