#!/usr/bin/env python3
"""Time the API's reads on one or more running servers, median of several runs each.

  scripts/bench_scale.py [--runs N] [--only SUBSTR] [--user U] LABEL=URL:PASSWORD:DEMO_PASSWORD ...

Each server is logged in as admin (PASSWORD) and as the demo accounts officer (district),
jinhaihu (township) and grid01 (grid worker) with DEMO_PASSWORD. Every request of the list
below is sent RUNS times per account that may read it; a route the server caches per URL is
asked with another `limit` (or another dummy page size) each time so that every run is computed
(the answer says `X-Cache: hit` otherwise, and such runs are flagged). Prints one line per
request and account: the median in milliseconds on each server, the body size, and the ratio of
the last server to the first. Used by scripts/bench_scale.sh (`make bench`, BENCH_SCALE=1).
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse

# (path with query, accounts that ask it). `{L}` is replaced by a page size that changes per
# run (100, 99, …) so that the per-user and shared caches never answer.
REQS = [
    ("/api/v1/elders?limit={L}", "admin officer jinhaihu grid01"),
    ("/api/v1/elders?limit={L}&q=%E5%BC%A0", "admin jinhaihu"),
    ("/api/v1/helpers?limit={L}", "admin officer jinhaihu grid01"),
    ("/api/v1/pairs?limit={L}", "admin jinhaihu grid01"),
    ("/api/v1/service-logs?limit={L}", "admin officer jinhaihu grid01"),
    ("/api/v1/service-logs?limit={L}&kind=meal", "admin jinhaihu"),
    ("/api/v1/service-logs?limit={L}&since=2026-06-01&until=2026-06-30", "admin jinhaihu"),
    ("/api/v1/elder-alerts?limit={L}", "admin officer jinhaihu grid01"),
    ("/api/v1/elder-alerts?limit={L}&state=open", "admin jinhaihu grid01"),
    ("/api/v1/elder-alerts?limit={L}&state=resolved", "admin jinhaihu"),
    ("/api/v1/elder-centres?limit={L}", "admin jinhaihu"),
    ("/api/v1/eldercare/coverage?group=township&_={L}", "admin officer"),
    ("/api/v1/eldercare/coverage?group=village&_={L}", "jinhaihu"),
    ("/api/v1/eldercare/vulnerable?limit={L}", "admin jinhaihu"),
    ("/api/v1/time-bank/check?_={L}", "admin"),
    ("/api/v1/credit-accounts/1?_={L}", "admin"),
    ("/api/v1/pairing-runs?limit={L}", "admin"),
    ("/api/v1/enterprise/appeals?limit={L}", "admin officer jinhaihu"),
    ("/api/v1/enterprise/appeals?limit={L}&state=in_progress", "admin officer"),
    ("/api/v1/enterprise/appeals/1?_={L}", "admin"),
    ("/api/v1/enterprise/kpis?from=2024-01-01&to=2026-12-31&_={L}", "admin officer jinhaihu"),
    ("/api/v1/enterprise/kpis?from=2026-01-01&_={L}", "admin officer"),
    ("/api/v1/enterprise/return-visits?limit={L}", "admin officer"),
    ("/api/v1/enterprise/notices?limit={L}", "admin"),
    ("/api/v1/enterprise/policies?limit={L}", "admin"),
    ("/api/v1/audit?limit={L}", "admin officer"),
    ("/api/v1/audit?limit={L}&entity=ent_appeal", "admin"),
    ("/api/v1/audit?limit={L}&since=2025-06-01T00:00:00Z&until=2025-06-30T00:00:00Z", "admin"),
    ("/api/v1/indicators?limit={L}", "admin officer"),
    ("/api/v1/indicators/values?limit={L}", "admin officer"),
    ("/api/v1/indicators/values?limit={L}&period_kind=year", "admin"),
    ("/api/v1/indicators/export?_={L}", "admin"),
    ("/api/v1/dashboard?_={L}", "admin officer jinhaihu"),
    ("/api/v1/ecommerce/sessions?limit={L}", "admin officer"),
    ("/api/v1/ecommerce/products?limit={L}", "admin"),
    ("/api/v1/ecommerce/products/1/sales?_={L}", "admin"),
    ("/api/v1/ecommerce/streamers?limit={L}", "admin"),
    ("/api/v1/ecommerce/kpi?from=2024-01-01&to=2026-12-31&_={L}", "admin officer"),
    ("/api/v1/academy/kpi?_={L}", "admin"),
    ("/api/v1/overview?scenario=epidemic&_={L}", "admin officer"),
    ("/api/v1/facilities?limit={L}", "admin"),
    ("/api/v1/organisations?limit={L}", "admin"),
]


def login(host, port, user, pw):
    c = http.client.HTTPConnection(host, port, timeout=120)
    c.request("POST", "/api/v1/auth/login", json.dumps({"username": user, "password": pw}),
              {"Content-Type": "application/json"})
    r = c.getresponse()
    body = r.read()
    if r.status != 200:
        return None
    return c, json.loads(body)["token"]


def main():
    args = sys.argv[1:]
    runs, only, users = 7, None, None
    while args and args[0].startswith("--"):
        if args[0] == "--runs":
            runs = int(args[1])
        elif args[0] == "--only":
            only = args[1]
        elif args[0] == "--user":
            users = args[1].split(",")
        args = args[2:]
    servers = []
    for a in args:
        label, rest = a.split("=", 1)
        url, pw, demo_pw = rest.rsplit(":", 2)
        u = urllib.parse.urlparse(url)
        sess = {}
        for user in ("admin", "officer", "jinhaihu", "grid01"):
            s = login(u.hostname, u.port, user, pw if user == "admin" else demo_pw)
            if s:
                sess[user] = s
        servers.append((label, sess))
    print("%-72s %-9s" % ("request", "account")
          + "".join(" %12s" % (l + " ms") for l, _ in servers)
          + "".join(" %10s" % (l + " B") for l, _ in servers) + "   ratio")
    for path, who in REQS:
        if only and only not in path:
            continue
        for user in who.split():
            if users and user not in users:
                continue
            meds, sizes, flags = [], [], ""
            for _, sess in servers:
                if user not in sess:
                    meds.append(float("nan"))
                    sizes.append(0)
                    continue
                conn, token = sess[user]
                ts, size = [], 0
                for i in range(runs):
                    p = path.replace("{L}", str(100 - i))
                    for attempt in (0, 1):
                        try:
                            t0 = time.perf_counter()
                            conn.request("GET", p, headers={"Authorization": "Bearer " + token})
                            r = conn.getresponse()
                            body = r.read()
                            break
                        except (http.client.HTTPException, OSError):
                            # the server closed an idle keep-alive connection: once more
                            conn.close()
                            if attempt:
                                raise
                    ts.append((time.perf_counter() - t0) * 1e3)
                    size = len(body)
                    if r.status != 200:
                        flags += " %d" % r.status
                    if r.getheader("X-Cache") == "hit":
                        flags += " hit"
                meds.append(statistics.median(ts))
                sizes.append(size)
            ratio = meds[-1] / meds[0] if len(meds) > 1 and meds[0] > 0 else float("nan")
            print("%-72s %-9s" % (path.replace("{L}", "N"), user)
                  + "".join(" %12.2f" % m for m in meds) + "".join(" %10d" % s for s in sizes)
                  + "  %6.1f%s" % (ratio, " !" + " ".join(sorted(set(flags.split()))) if flags
                                   else ""))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
