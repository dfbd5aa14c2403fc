#!/usr/bin/env python3
"""GET /api/v1/todo beside GET /api/v1/auth/me on one keep-alive connection: 40 requests each
(todo, auth/me, todo), medians in ms. Usage: bench/todo_latency.py USER PASSWORD [PORT]
against a running `pingji serve` (docs/BENCHMARKS.md, 待办)."""
import http.client
import json
import sys
import time

user, password = sys.argv[1], sys.argv[2]
port = int(sys.argv[3]) if len(sys.argv) > 3 else 8080
c = http.client.HTTPConnection('127.0.0.1', port)
c.request('POST', '/api/v1/auth/login', json.dumps({"username": user, "password": password}),
          {'Content-Type': 'application/json'})
tok = json.loads(c.getresponse().read())['token']
for p in ['/api/v1/todo', '/api/v1/auth/me', '/api/v1/todo']:
    ts = []
    for i in range(40):
        t = time.perf_counter()
        c.request('GET', p, headers={'Authorization': 'Bearer ' + tok})
        r = c.getresponse()
        r.read()
        ts.append(time.perf_counter() - t)
    ts.sort()
    print(user, p, 'median %.2f ms' % (ts[20] * 1000))
