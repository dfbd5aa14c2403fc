#!/usr/bin/env bash
# Installs the Debian packages pingji needs to build, run, test and benchmark.
# Idempotent: packages already present are skipped; apt-get runs only when something is missing.
# Usage: scripts/deps.sh [build|test|bench|all]   (default: build)
set -euo pipefail
want=${1:-build}
# The server links GLPK (the planner's exact method on small instances), so libglpk-dev is a
# build dependency, not only a test one.
build_pkgs=(gcc make pkg-config libevent-dev libjansson-dev libsqlite3-dev libsodium-dev
  libminizip-dev zlib1g-dev libexpat1-dev libxlsxwriter-dev libglpk-dev)
test_pkgs=(clang libclang-rt-14-dev libcurl4-openssl-dev)
bench_pkgs=(nginx-light wrk curl glpk-utils coinor-cbc coinor-libcbc-dev sqlite3)
case "$want" in
  build) pkgs=("${build_pkgs[@]}") ;;
  test) pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  bench|all) pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|bench|all]" >&2; exit 2 ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
# A stale or empty package list makes install fail; refresh it once if needed.
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
