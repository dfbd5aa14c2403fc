#!/usr/bin/env bash
# The web console (web/): build it, and test it end to end in headless Chromium.
#
#   scripts/web.sh build   npm ci (only when web/node_modules is missing or older than
#                          web/package-lock.json), then vite build into web/dist — skipped
#                          when web/dist is newer than every source (PJ_WEB_FORCE=1 rebuilds)
#   scripts/web.sh e2e     build if needed, start fresh demo servers, run tests/e2e/*.test.mjs
#                          (node --test, Playwright-core + Debian's chromium) split among
#                          PJ_E2E_SHARDS runs at once (default 2), screenshots to build/e2e/;
#                          exit status non-zero on any failure
#   scripts/web.sh bench   like e2e, but measures bundle sizes and first-load times
#                          (median of 5) into build/e2e/perf.json
#   scripts/web.sh table-bench [ARGS]
#                          build if needed, then bench/table_roles.mjs ARGS (its own server:
#                          the table roles on the stock page with 20,000 lines; make bench-table)
#
# Needs node >= 20.19 and npm (for vite 8): installed when missing or too old (need_node);
# e2e/bench install chromium and CJK fonts with apt-get when missing. PJ_BIN overrides the
# server binary (default build/rel/pingji).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WEB=$ROOT/web
OUT=$ROOT/build/e2e
PJ_BIN=${PJ_BIN:-build/rel/pingji}
# Debian's headless shell of Chromium (chromium-headless-shell): the browser without its
# window parts, which ran the same tests in about a sixth less time than chromium --headless
# (the tests' CPU is mostly the browser's); PJ_CHROMIUM=/usr/bin/chromium runs the full one.
CHROMIUM=${PJ_CHROMIUM:-/usr/bin/chromium-headless-shell}

say() { echo "web: $*" >&2; }
die() { say "$*"; exit 1; }

# node >= 20.19 (vite 8) and npm. The system's node when it is new enough; else (Debian 12's
# nodejs is 18) npm — from apt-get when missing — installs Node 22 into build/node once, from
# the npm registry (the node-linux-<arch> package holds the official binary), and it goes first
# on PATH for every node and npm run of this script.
node_new_enough() {
  command -v node >/dev/null &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null
}
need_node() {
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) arch=$(uname -m) ;;
  esac
  local own=$ROOT/build/node/node_modules/node-linux-$arch/bin
  [ -x "$own/node" ] && export PATH="$own:$PATH"
  if ! node_new_enough; then
    command -v npm >/dev/null || {
      say "installing nodejs and npm (apt-get)"
      local sudo=""
      [ "$(id -u)" -ne 0 ] && sudo=sudo
      $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null 2>&1 || {
        $sudo apt-get update -qq
        $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
      }
    }
    say "node $(command -v node >/dev/null && node -v || echo missing) is older than 20.19: installing Node 22 into build/node (npm)"
    npm install --prefix "$ROOT/build/node" --no-save --no-audit --no-fund --loglevel=error "node-linux-$arch@22" >&2 ||
      die "could not install Node 22 from the npm registry"
    export PATH="$own:$PATH"
    node_new_enough || die "node $(node -v) is too old: vite 8 needs node >= 20.19"
  fi
  command -v npm >/dev/null || die "npm is needed (apt-get install npm)"
}

# npm ci when node_modules is missing or older than the lockfile (npm writes
# node_modules/.package-lock.json on every install).
deps() {
  need_node
  local stamp=$WEB/node_modules/.package-lock.json
  if [ ! -f "$stamp" ] || [ "$WEB/package-lock.json" -nt "$stamp" ] || [ "$WEB/package.json" -nt "$stamp" ]; then
    say "npm ci"
    # --include=dev: the browser tests need the devDependencies (playwright-core, axe-core)
    # even where NODE_ENV=production would leave them out
    (cd "$WEB" && npm ci --include=dev --no-audit --no-fund --loglevel=error)
    touch "$stamp"
  fi
}

# True when web/dist/index.html is older than some source of the console.
stale() {
  local idx=$WEB/dist/index.html
  [ -f "$idx" ] || return 0
  [ "${PJ_WEB_FORCE:-0}" = 1 ] && return 0
  [ -n "$(find "$WEB/src" "$WEB/public" "$WEB/index.html" "$WEB/vite.config.js" "$WEB/package-lock.json" \
    -newer "$idx" -print -quit 2>/dev/null)" ]
}

build() {
  deps
  if stale; then
    say "vite build → web/dist"
    (cd "$WEB" && npx --no-install vite build --logLevel warn)
    # pre-compressed copies: the server sends file.gz to clients that accept gzip
    find "$WEB/dist" -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.json' \
      -o -name '*.svg' \) -size +1k -exec gzip -9 -k -f {} \;
  else
    say "web/dist is up to date"
  fi
}

# Debian's chromium or its headless shell (never a downloaded browser) and CJK fonts for
# readable screenshots; the sqlite3 shell, for a test's record the API would not write (one from
# before a rule).
browser() {
  local want=()
  if [ ! -x "$CHROMIUM" ]; then
    case "$CHROMIUM" in
      */chromium-headless-shell) want+=(chromium-headless-shell) ;;
      *) want+=(chromium) ;;
    esac
  fi
  command -v sqlite3 >/dev/null || want+=(sqlite3)
  dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed' || want+=(fonts-noto-cjk)
  [ ${#want[@]} -eq 0 ] && return 0
  say "apt-get install ${want[*]}"
  local SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null 2>&1 || {
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
  }
  [ -x "$CHROMIUM" ] || die "chromium is not at $CHROMIUM after installing it"
}

SERVER_PIDS=()
TMP=""
cleanup() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  # PJ_E2E_KEEP_DB=FILE keeps the run's database (after the server stopped) for inspection
  # (the first shard's, when the run is split)
  if [ -n "$TMP" ] && [ -n "${PJ_E2E_KEEP_DB:-}" ]; then
    local db=$TMP/s0/pj.db
    [ -f "$db" ] || db=$TMP/pj.db
    [ -f "$db" ] && { cp "$db" "$PJ_E2E_KEEP_DB" || true; }
  fi
  [ -n "$TMP" ] && rm -rf "$TMP"
  return 0
}

# A fresh demo database in $TMP/pj.db; sets PJ_ADMIN_PASSWORD and PJ_DEMO_PASSWORD.
make_demo() {
  if [ ! -x "$PJ_BIN" ]; then
    [ "$PJ_BIN" = build/rel/pingji ] || die "no server binary at $PJ_BIN"
    say "building $PJ_BIN"
    make --no-print-directory build/rel/pingji >&2
  fi
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/pingji-e2e.XXXXXX")
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$OUT"
  local init
  # a smaller eldercare register than the full demo keeps the browser tests quick
  init=$(PINGJI_DEMO_ELDERS=${PINGJI_DEMO_ELDERS:-2000} "$PJ_BIN" init --db "$TMP/pj.db" --demo 2>"$TMP/init.err") || { cat "$TMP/init.err" >&2; die "pingji init failed"; }
  PJ_ADMIN_PASSWORD=$(printf '%s\n' "$init" | sed -n 's/.*admin login.*password: *\([^ ]*\).*/\1/p' | head -1)
  PJ_DEMO_PASSWORD=$(printf '%s\n' "$init" | sed -n 's/.*demo accounts.*password: *\([^ ]*\).*/\1/p' | head -1)
  [ -n "$PJ_ADMIN_PASSWORD" ] && [ -n "$PJ_DEMO_PASSWORD" ] || { printf '%s\n' "$init" >&2; die "could not read the passwords from pingji init"; }
  export PJ_ADMIN_PASSWORD PJ_DEMO_PASSWORD PJ_E2E_OUT="$OUT" PJ_CHROMIUM="$CHROMIUM"
}

# serve DB LOG: a server of DB on a free port, logging to LOG; sets BASE_URL once it answers.
serve() {
  local db=$1 log=$2 port pid
  port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  "$PJ_BIN" serve --db "$db" --port "$port" --web "$WEB/dist" --quiet --fast-hash >"$log" 2>&1 &
  pid=$!
  SERVER_PIDS+=("$pid")
  BASE_URL="http://127.0.0.1:$port"
  for _ in $(seq 100); do
    if PJ_BASE_URL=$BASE_URL node -e 'fetch(process.env.PJ_BASE_URL+"/api/v1/health").then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' 2>/dev/null; then
      say "server up at $BASE_URL (pid $pid)"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; die "the server exited"; }
    sleep 0.2
  done
  cat "$log" >&2
  die "the server did not answer /api/v1/health"
}

# Fresh demo database and a server on a free port; exports PJ_BASE_URL and the passwords.
start_server() {
  make_demo
  serve "$TMP/pj.db" "$OUT/server.log"
  export PJ_BASE_URL=$BASE_URL
}

# The test files (PJ_E2E_FILES narrows the run to some; default every tests/e2e/*.test.mjs)
# are split among PJ_E2E_SHARDS runs at once (default 4), in turn by name; each run has its own
# server on its own copy of one demo database and runs its files one after another. A file run
# alone left the cores mostly idle (waiting on debounces, transitions, the server); four runs
# keep both busy: 2,703 s where two runs took 3,179 s (docs/BENCHMARKS.md, "CI stopped at
# 5,400 s again").
# Each run's report is printed as it goes, each line after [k] (also in build/e2e/e2e-k.log, its
# server's log in build/e2e/server-k.log), then a summary with the failures of each run.
# A test with no time limit of its own has PJ_E2E_TEST_TIMEOUT_S (default 600) times the runs:
# a hang ends as a failure named in the report.
e2e() {
  build
  browser
  rm -f "$OUT"/*.png "$OUT"/e2e-*.log "$OUT"/e2e-*.rc "$OUT"/server-*.log
  local files=() shards k
  # shellcheck disable=SC2206
  files=(${PJ_E2E_FILES:-tests/e2e/*.test.mjs})
  shards=${PJ_E2E_SHARDS:-4}
  [[ "$shards" =~ ^[1-9][0-9]?$ ]] || die "PJ_E2E_SHARDS must be a number from 1 to 99, not '$shards'"
  [ "$shards" -gt ${#files[@]} ] && shards=${#files[@]}
  local limit_s=${PJ_E2E_TEST_TIMEOUT_S:-600}
  [[ "$limit_s" =~ ^[1-9][0-9]*$ ]] || die "PJ_E2E_TEST_TIMEOUT_S must be a number of seconds, not '$limit_s'"
  local timeout_ms=$((limit_s * 1000 * shards)) started=$SECONDS
  make_demo
  local pids=() urls=()
  for ((k = 0; k < shards; k++)); do
    mkdir -p "$TMP/s$k"
    cp "$TMP/pj.db" "$TMP/s$k/pj.db"
    [ -f "$TMP/pj.db-wal" ] && cp "$TMP/pj.db-wal" "$TMP/s$k/pj.db-wal"
    serve "$TMP/s$k/pj.db" "$OUT/server-$k.log"
    urls+=("$BASE_URL")
  done
  for ((k = 0; k < shards; k++)); do
    local mine=() i
    for ((i = k; i < ${#files[@]}; i += shards)); do mine+=("${files[i]}"); done
    say "run $k: ${#mine[@]} files against ${urls[k]}"
    {
      rc=0
      PJ_BASE_URL=${urls[k]} PJ_E2E_RUNS=$shards node --test --test-concurrency=1 --test-timeout="$timeout_ms" \
        --test-reporter=spec "${mine[@]}" 2>&1 || rc=$?
      echo "$rc" >"$OUT/e2e-$k.rc"
    } | tee "$OUT/e2e-$k.log" | sed -u "s/^/[$k] /" &
    pids+=($!)
  done
  for ((k = 0; k < shards; k++)); do wait "${pids[k]}" || true; done
  local rc=0 failed=() summary
  for ((k = 0; k < shards; k++)); do
    [ "$(cat "$OUT/e2e-$k.rc" 2>/dev/null)" = 0 ] || failed+=("$k")
    summary=$(grep -E '^ℹ (tests|pass|fail)' "$OUT/e2e-$k.log" | tr -d 'ℹ' | tr -s ' \n' ' ')
    say "run $k:${summary:- no summary (it did not finish)}"
  done
  if [ ${#failed[@]} -eq 0 ]; then
    say "e2e passed ($shards runs, $((SECONDS - started)) s); screenshots in build/e2e/"
  else
    rc=1
    # each failed run's failures again, last, the first lines of each: a log read from its end
    # shows every run's causes
    for k in "${failed[@]}"; do
      say "── run $k: its failures ──"
      awk '/^✖ failing tests:/ { on = 1; next } on && /^test at / { n = 0 } on && n++ < 14' "$OUT/e2e-$k.log"
    done
    say "e2e FAILED in run(s) ${failed[*]} (their reports above; screenshots and server-k.log in build/e2e/)"
  fi
  return $rc
}

bench() {
  build
  browser
  start_server
  node tests/e2e/perf.mjs
}

table_bench() {
  build
  browser
  PJ_BIN=$PJ_BIN PJ_CHROMIUM=$CHROMIUM node bench/table_roles.mjs "$@"
}

case "${1:-build}" in
  build) build ;;
  e2e) e2e ;;
  bench) bench ;;
  table-bench) shift; table_bench "$@" ;;
  *) echo "usage: $0 build|e2e|bench|table-bench" >&2; exit 2 ;;
esac
