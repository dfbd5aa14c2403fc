#!/bin/bash
# A/B of the facility listing: two pingji binaries each serving the demo database it made
# (the same seed, so the same district; each with its own schema, so an old build need not
# read a newer one's), wrk alternating between them, 3 rounds of 6 s, 32 connections, the
# admin's token on each; prints each round's req/s. Build the old binary in a worktree of its
# commit.
# Usage: scripts/bench_ab.sh OLD_BINARY NEW_BINARY
set -euo pipefail
. "$(dirname "$0")/bench_lib.sh"
old=$1 new=$2
d=$(mktemp -d /tmp/pingji-ab-XXXXXX)
declare -A pw_of
for side in old new; do
  bin=$old
  [ "$side" = new ] && bin=$new
  pw_of[$side]=$(bench_db "$bin" "$d/$side.db" --demo)
done
pn=$(free_port) po=$(free_port)
"$new" serve --db "$d/new.db" --port "$pn" >/dev/null 2>"$d/new.log" &
sn=$!
"$old" serve --db "$d/old.db" --port "$po" >/dev/null 2>"$d/old.log" &
so=$!
trap 'kill $sn $so 2>/dev/null || true; rm -rf "$d"' EXIT
for p in "$pn" "$po"; do wait_up "$p"; done
tok() {
  curl -fs -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$2\"}" \
    "http://127.0.0.1:$1/api/v1/auth/login" | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p'
}
declare -A port_of=([old]=$po [new]=$pn) tok_of=([old]=$(tok "$po" "${pw_of[old]}") [new]=$(tok "$pn" "${pw_of[new]}"))
for side in old new; do
  st=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${tok_of[$side]}" \
    "http://127.0.0.1:${port_of[$side]}/api/v1/facilities?limit=20")
  [ "$st" = 200 ] || { echo "$side: the listing answers $st" >&2; exit 1; }
done
for r in 1 2 3; do
  for side in old new; do
    v=$(wrk -t1 -c32 -d6s -H "Authorization: Bearer ${tok_of[$side]}" \
      "http://127.0.0.1:${port_of[$side]}/api/v1/facilities?limit=20" | awk '/Requests\/sec/{print $2}')
    echo "round $r $side $v req/s"
  done
done
