# Shared by the before/after benchmark scripts (sourced, not run).

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# bench_db BIN DB [INIT_ARGS...]: the admin password of DB, made by BIN's `init` (with the
# given arguments, e.g. --demo) the first time and kept beside it for the later rounds.
bench_db() {
  local bin=$1 db=$2
  shift 2
  if [ ! -f "$db" ]; then
    "$bin" init --db "$db" "$@" 2>/dev/null |
      sed -n 's/.*user: admin  password: \([^ ]*\).*/\1/p' >"$db.pw"
  fi
  cat "$db.pw"
}

# wait_up PORT: until the server on PORT answers /health (10 s at most).
wait_up() {
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$1/api/v1/health" >/dev/null && return; sleep 0.1; done
}
