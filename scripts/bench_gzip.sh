#!/usr/bin/env bash
# bench_gzip.sh URL [ROUNDS] [LEVEL] — requests/s of URL asked without and with
# `Accept-Encoding: gzip`, and to clients asking for gzip, of nginx serving the same body
# compressed per request by its gzip at the same zlib level (default 2, the server's
# GZIP_LEVEL) and serving URL's very gzip bytes as a pre-compressed file (gzip_static: the
# like of an answer served from the response cache with its gzip copy).
# wrk (1 thread, 32 connections, 5 s) alternates the four; medians.
# The session as for vs-nginx: VS_HEADER='Authorization: Bearer …'. Needs nginx-light, wrk, curl.
# (../shared/tools/vs-nginx sends no Accept-Encoding, with wrk and curl alike: its figures
# stay the identity bytes against nginx serving those.)
set -euo pipefail
url=${1:?usage: bench_gzip.sh URL [ROUNDS] [LEVEL]}
rounds=${2:-3}
level=${3:-2}
hdr=()
[ -n "${VS_HEADER:-}" ] && hdr=(-H "$VS_HEADER")
dir=$(mktemp -d)
chmod 755 "$dir" # nginx's worker (not root) reads the body
trap 'nginx -c "$dir/nginx.conf" -s stop 2>/dev/null || true; rm -rf "$dir"' EXIT
ctype=$(curl -fsS "${hdr[@]}" -o "$dir/body" -w '%{content_type}' "$url")
mkdir -m 755 "$dir/s"
curl -fsS "${hdr[@]}" -H 'Accept-Encoding: gzip' -o "$dir/s/body.gz" "$url"
cp "$dir/body" "$dir/s/body"
chmod 644 "$dir/body" "$dir/s/body" "$dir/s/body.gz"
gzlen=$(stat -c %s "$dir/s/body.gz")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$dir/nginx.conf" <<CONF
worker_processes 1; pid $dir/nginx.pid; error_log $dir/error.log; daemon on;
events { worker_connections 1024; }
http { access_log off; gzip on; gzip_comp_level $level; gzip_min_length 1024; gzip_types *;
  server { listen 127.0.0.1:$port; root $dir;
  location = /body { default_type "${ctype:-application/json}"; }
  location = /s/body { default_type "${ctype:-application/json}"; gzip off; gzip_static on; } } }
CONF
nginx -c "$dir/nginx.conf"
sleep 0.3
ngzlen=$(curl -fsS -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "http://127.0.0.1:$port/body")
cmp -s <(curl -fsS -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/s/body") "$dir/s/body.gz" ||
  { echo "bench_gzip: nginx does not serve the pre-compressed copy" >&2; exit 1; }
rps() { wrk -t1 -c32 -d5s "$@" | awk '/Requests\/sec/{print $2}'; }
a=() b=() c=() d=()
for _ in $(seq "$rounds"); do
  a+=("$(rps ${VS_HEADER:+-H "$VS_HEADER"} "$url")")
  b+=("$(rps ${VS_HEADER:+-H "$VS_HEADER"} -H 'Accept-Encoding: gzip' "$url")")
  c+=("$(rps -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/body")")
  d+=("$(rps -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/s/body")")
done
med() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }
echo "body: $(stat -c %s "$dir/body") B as it is, $gzlen B gzip (nginx level $level: $ngzlen B), $rounds rounds"
echo "pingji as it is              : ${a[*]} req/s (median $(med "${a[@]}"))"
echo "pingji gzip                  : ${b[*]} req/s (median $(med "${b[@]}"))"
echo "nginx gzip per request       : ${c[*]} req/s (median $(med "${c[@]}"))"
echo "nginx gzip_static, same bytes: ${d[*]} req/s (median $(med "${d[@]}"))"
