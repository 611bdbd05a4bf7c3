#!/usr/bin/env bash
# A PostgreSQL primary and a streaming hot standby on loopback, for the replica test suite.
#   scripts/pg-replica.sh start   -> prints PRIMARY_URL=… and STANDBY_URL=… lines
#   scripts/pg-replica.sh stop-standby | start-standby | restart-primary | status | stop
# Runs the servers as the `postgres` user (initdb refuses root) in a temporary directory that
# `stop` removes. Ports: QUARRY_REPLICA_PRIMARY_PORT (55432) and QUARRY_REPLICA_STANDBY_PORT (55433).
set -euo pipefail

BIN=${PG_BINDIR:-$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
PRIMARY_PORT=${QUARRY_REPLICA_PRIMARY_PORT:-55432}
STANDBY_PORT=${QUARRY_REPLICA_STANDBY_PORT:-55433}
BASE=${QUARRY_REPLICA_DIR:-/tmp/quarry-pg-replica}
PRIMARY=$BASE/primary
STANDBY=$BASE/standby

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ctl() { as_postgres "$BIN/pg_ctl" -D "$1" -l "$1.log" -w -t 60 "${@:2}" >/dev/null; }

urls() {
  echo "PRIMARY_URL=postgres://postgres@127.0.0.1:$PRIMARY_PORT/postgres"
  echo "STANDBY_URL=postgres://postgres@127.0.0.1:$STANDBY_PORT/postgres"
}

start() {
  if [ -f "$PRIMARY/postmaster.pid" ] && [ -f "$STANDBY/postmaster.pid" ]; then urls; return; fi
  stop >/dev/null 2>&1 || true
  mkdir -p "$BASE"
  chown postgres "$BASE" 2>/dev/null || true
  as_postgres "$BIN/initdb" -D "$PRIMARY" -U postgres --auth=trust >/dev/null
  cat >>"$PRIMARY/postgresql.conf" <<CONF
port = $PRIMARY_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$BASE'
wal_level = replica
max_wal_senders = 5
hot_standby = on
fsync = off
CONF
  echo "host replication postgres 127.0.0.1/32 trust" >>"$PRIMARY/pg_hba.conf"
  ctl "$PRIMARY" start
  as_postgres "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$STANDBY" -R -X stream >/dev/null
  sed -i "s/^port = .*/port = $STANDBY_PORT/" "$STANDBY/postgresql.conf"
  ctl "$STANDBY" start
  for _ in $(seq 1 60); do
    if [ "$(as_postgres "$BIN/psql" -h 127.0.0.1 -p "$STANDBY_PORT" -U postgres -tAc 'select pg_is_in_recovery()' 2>/dev/null)" = t ]; then
      urls
      return
    fi
    sleep 0.5
  done
  echo "the standby did not come up in recovery; see $STANDBY.log" >&2
  exit 1
}

stop() {
  [ -d "$STANDBY" ] && ctl "$STANDBY" stop -m immediate 2>/dev/null || true
  [ -d "$PRIMARY" ] && ctl "$PRIMARY" stop -m fast 2>/dev/null || true
  rm -rf "$BASE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  stop-standby) ctl "$STANDBY" stop -m immediate ;;
  start-standby) ctl "$STANDBY" start ;;
  restart-primary) ctl "$PRIMARY" restart -m fast ;;
  status) urls; as_postgres "$BIN/pg_ctl" -D "$PRIMARY" status >/dev/null && echo "primary up"; as_postgres "$BIN/pg_ctl" -D "$STANDBY" status >/dev/null && echo "standby up" ;;
  *) echo "usage: $0 start|stop|stop-standby|start-standby|restart-primary|status" >&2; exit 2 ;;
esac
