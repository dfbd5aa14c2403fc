#!/usr/bin/env bash
# The API's reads on the demo district and on the demo grown to years of records, side by side:
#   scripts/bench_scale.sh [OLD_BINARY]
# Makes a demo database (`pingji init --demo --seed 1`), a copy grown by scripts/scale_data.sh
# (FACTOR, default 20; SEED 1), serves both with build/rel/pingji and times every list, KPI,
# report and export of scripts/bench_scale.py for admin, the district officer, a township
# officer and a grid worker (medians of RUNS, default 7). With OLD_BINARY the databases are
# made by it and it serves copies of them too (before/after: the new binary applies its own
# migrations to its copies when it opens them); ONLY=TEXT times only the requests whose path
# holds TEXT. `make bench` runs it when BENCH_SCALE=1.
# Takes a few minutes and ~2.5 GB in /tmp at FACTOR 20.
set -euo pipefail
cd "$(dirname "$0")/.."
new=build/rel/pingji
old=${1:-}
factor=${FACTOR:-20}
runs=${RUNS:-7}
dir=$(mktemp -d /tmp/pingji-scale-XXXXXX)
# the servers' ids in a file: serve runs in a command substitution's subshell
trap '[ -f "$dir/pids" ] && kill $(cat "$dir/pids") 2>/dev/null; sleep 0.5; rm -rf "$dir"' EXIT
maker=${old:-$new}
echo "== pingji scale bench ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, factor $factor) =="
init=$($maker init --db "$dir/demo.db" --demo --seed 1 2>/dev/null)
pw=$(echo "$init" | sed -n 's/.*user: admin  password: \([^ ]*\).*/\1/p')
demo_pw=$(echo "$init" | sed -n 's/.*demo accounts .* password: \([^ ]*\).*/\1/p')
cp "$dir/demo.db" "$dir/big.db"
t0=$(date +%s)
scripts/scale_data.sh "$dir/big.db" "$factor" 1
echo "(grown in $(($(date +%s) - t0)) s)"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
serve() { # BINARY DB -> prints the URL once the server answers
  local p; p=$(port)
  "$1" serve --db "$2" --port "$p" --quiet --alert-scan-s 0 >/dev/null 2>"$2.log" &
  echo $! >>"$(dirname "$2")/pids"
  for _ in $(seq 600); do curl -fs "http://127.0.0.1:$p/api/v1/health" >/dev/null && break; sleep 0.5; done
  echo "http://127.0.0.1:$p"
}
args=()
if [ -n "$old" ]; then
  cp "$dir/demo.db" "$dir/demo-new.db"
  cp "$dir/big.db" "$dir/big-new.db"
  args+=("demo-old=$(serve "$old" "$dir/demo.db"):$pw:$demo_pw")
  args+=("demo-new=$(serve "$new" "$dir/demo-new.db"):$pw:$demo_pw")
  args+=("big-old=$(serve "$old" "$dir/big.db"):$pw:$demo_pw")
  args+=("big-new=$(serve "$new" "$dir/big-new.db"):$pw:$demo_pw")
else
  args+=("demo=$(serve "$new" "$dir/demo.db"):$pw:$demo_pw")
  args+=("big=$(serve "$new" "$dir/big.db"):$pw:$demo_pw")
fi
python3 scripts/bench_scale.py --runs "$runs" ${ONLY:+--only "$ONLY"} "${args[@]}"
