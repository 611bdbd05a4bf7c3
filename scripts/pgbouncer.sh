#!/usr/bin/env bash
# PgBouncer in transaction pooling mode on loopback, in front of the machine's PostgreSQL, for the
# pooler test suite. It never touches PostgreSQL's own configuration.
#   scripts/pgbouncer.sh install   -> installs Debian's pgbouncer when it is missing
#   scripts/pgbouncer.sh start     -> prints PGBOUNCER_URL=… (database `test`; any database name works)
#   scripts/pgbouncer.sh restart | status | stop
# Settings: QUARRY_PGBOUNCER_DIR (a temporary directory that `stop` removes),
# QUARRY_PGBOUNCER_PORT (6432), QUARRY_PGBOUNCER_UPSTREAM (127.0.0.1:5432, user postgres, trust).
set -euo pipefail

BASE=${QUARRY_PGBOUNCER_DIR:-/tmp/quarry-pgbouncer}
PORT=${QUARRY_PGBOUNCER_PORT:-6432}
UPSTREAM=${QUARRY_PGBOUNCER_UPSTREAM:-127.0.0.1:5432}
BIN=${PGBOUNCER_BIN:-$(command -v pgbouncer || echo /usr/sbin/pgbouncer)}

# pgbouncer refuses to run as root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install() {
  if [ -x "$BIN" ]; then return; fi
  if [ "$(id -u)" != 0 ]; then echo "pgbouncer is missing; install it with: sudo apt-get install -y pgbouncer" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends pgbouncer >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y --no-install-recommends pgbouncer >/dev/null; }
  # The package starts a system instance on 6432; this suite runs its own.
  service pgbouncer stop >/dev/null 2>&1 || true
}

url() { echo "PGBOUNCER_URL=postgres://postgres@127.0.0.1:$PORT/test"; }

running() { [ -f "$BASE/pgbouncer.pid" ] && kill -0 "$(cat "$BASE/pgbouncer.pid")" 2>/dev/null; }

start() {
  if running; then url; return; fi
  [ -x "$BIN" ] || { echo "pgbouncer is not installed (scripts/pgbouncer.sh install)" >&2; exit 1; }
  mkdir -p "$BASE"
  echo '"postgres" ""' >"$BASE/users.txt"
  cat >"$BASE/pgbouncer.ini" <<CONF
[databases]
* = host=${UPSTREAM%:*} port=${UPSTREAM#*:}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = trust
auth_file = $BASE/users.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 10
max_db_connections = 20
logfile = $BASE/pgbouncer.log
pidfile = $BASE/pgbouncer.pid
admin_users = postgres
CONF
  if [ "$(id -u)" = 0 ]; then chown -R postgres "$BASE"; fi
  as_owner "$BIN" -d "$BASE/pgbouncer.ini" >/dev/null
  for _ in $(seq 1 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then url; return; fi
    sleep 0.1
  done
  echo "pgbouncer did not listen on $PORT; see $BASE/pgbouncer.log" >&2
  exit 1
}

stop() {
  if running; then
    local pid; pid=$(cat "$BASE/pgbouncer.pid")
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop; rm -rf "$BASE" ;;
  restart) stop; start ;;
  status) url; running && echo "pgbouncer up" ;;
  *) echo "usage: $0 install|start|stop|restart|status" >&2; exit 2 ;;
esac
