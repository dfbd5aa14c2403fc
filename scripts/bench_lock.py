# How the server answers while another program holds the database's write lock (as a long
# `pingji facility import`, a sqlite3 session or a second server would): a connection of this
# script takes BEGIN IMMEDIATE on the server's file and holds it HOLD seconds (default 8);
# meanwhile one POST /api/v1/organisations is sent, and another keep-alive connection asks
# GET /api/v1/health every 5 ms. Printed: how many /health answers came while the lock was
# held, the longest /health wait, and the POST's status and time (2xx once the lock is free
# when HOLD is under the server's 5 s wait, else 503 busy at 5 s).
# Usage: python3 scripts/bench_lock.py PORT ADMIN_PASSWORD DB [HOLD]
# against `pingji serve --db DB --port PORT --quiet --alert-scan-s 0` (DB from `pingji init`).
import http.client, json, sqlite3, sys, threading, time
port, pw, db = int(sys.argv[1]), sys.argv[2], sys.argv[3]
hold = float(sys.argv[4]) if len(sys.argv) > 4 else 8.0
def conn(): return http.client.HTTPConnection("127.0.0.1", port, timeout=60)
c = conn()
c.request("POST", "/api/v1/auth/login", json.dumps({"username": "admin", "password": pw}),
          {"Content-Type": "application/json"})
tok = json.loads(c.getresponse().read())["token"]

waits, done = [], threading.Event()
def probe():
    p = conn()
    while not done.is_set():
        t = time.monotonic()
        p.request("GET", "/api/v1/health"); p.getresponse().read()
        waits.append((t, time.monotonic() - t))
        time.sleep(0.005)
post = {}
def write():
    w = conn(); t = time.monotonic()
    w.request("POST", "/api/v1/organisations",
              json.dumps({"name": "bench-lock-%d" % int(t * 1000), "type": "enterprise"}),
              {"Content-Type": "application/json", "Authorization": "Bearer " + tok})
    r = w.getresponse(); b = r.read()
    post.update(status=r.status, ms=1000 * (time.monotonic() - t), body=b[:120])

lk = sqlite3.connect(db, isolation_level=None, timeout=10)
lk.execute("BEGIN IMMEDIATE")
t0 = time.monotonic()
th = threading.Thread(target=probe); th.start()
time.sleep(0.05)
tw = threading.Thread(target=write); tw.start()
time.sleep(max(0.0, hold - (time.monotonic() - t0)))
t1 = time.monotonic()
lk.execute("ROLLBACK"); lk.close()
tw.join(); time.sleep(0.1); done.set(); th.join()
during = [w for t, w in waits if t0 <= t < t1]
print("lock held %.1f s: /health answered %d times meanwhile, longest wait %.0f ms (median %.1f ms);"
      " POST %d in %.0f ms" % (t1 - t0, len(during), 1000 * max(w for t, w in waits),
                                1000 * sorted(during)[len(during) // 2] if during else -1,
                                post["status"], post["ms"]), flush=True)
