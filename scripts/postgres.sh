#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and local runs. NOT for production data.
#
# Usage:
#   eval "$(scripts/postgres.sh env)"   # start (or reuse) the server and export VPP_POSTGRES
#   scripts/postgres.sh [start]         # same, prints progress on stderr and the connection string on stdout
#   scripts/postgres.sh stop            # stop the server (the data dir is kept; delete $VPP_PG_DIR to wipe it)
#
# What it does: installs PostgreSQL from the Debian packages when initdb is missing (apt-get update once,
# apt-get install -y postgresql; needs root), runs initdb into $VPP_PG_DIR/data (default /tmp/vpp-pg)
# owned by the `postgres` system user (the server refuses to run as root), starts it listening on
# 127.0.0.1 only, on $VPP_PG_PORT (default 55432, or the next free port), creates role vpp / password vpp
# and database vpp, and waits (at most $VPP_PG_WAIT_SECONDS, default 30) until it accepts connections.
# Idempotent: a server started by an earlier run (same $VPP_PG_DIR) is reused.
#
# max_connections=400: the test projects run at once, each test host with its own pools, beside silo processes
# holding up to 16 connections each (Storage:Postgres:MaxPoolSize).
# Test-only settings: fsync=off, synchronous_commit=off, full_page_writes=off (a crash can lose or corrupt
# data — acceptable for a throwaway test cluster only), timezone=UTC.
set -euo pipefail

PG_DIR="${VPP_PG_DIR:-/tmp/vpp-pg}"
DATA="$PG_DIR/data"
LOG="$PG_DIR/server.log"
PORT_FILE="$PG_DIR/port"
WAIT_SECONDS="${VPP_PG_WAIT_SECONDS:-30}"
DB_USER=vpp DB_PASSWORD=vpp DB_NAME=vpp

log() { echo "postgres.sh: $*" >&2; }

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

ensure_installed() {
  if [ -n "$(pg_bin || true)" ]; then return; fi
  [ "$(id -u)" -eq 0 ] || { log "PostgreSQL is not installed and this is not root: install the 'postgresql' package"; exit 1; }
  log "installing PostgreSQL (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
  [ -n "$(pg_bin || true)" ] || { log "apt-get install postgresql did not provide initdb"; exit 1; }
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

is_running() {
  local bin=$1
  [ -f "$DATA/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

connection_string() { echo "Host=127.0.0.1;Port=$1;Database=$DB_NAME;Username=$DB_USER;Password=$DB_PASSWORD"; }

start() {
  ensure_installed
  local bin port
  bin=$(pg_bin)

  if is_running "$bin" && [ -f "$PORT_FILE" ]; then
    port=$(cat "$PORT_FILE")
    log "reusing the server in $DATA on port $port"
  else
    if [ ! -f "$DATA/PG_VERSION" ]; then
      mkdir -p "$PG_DIR"
      rm -rf "$DATA"
      chown postgres:postgres "$PG_DIR" 2>/dev/null || true
      as_postgres "$bin/initdb" -D "$DATA" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
    fi
    port="${VPP_PG_PORT:-55432}"
    local tries=0
    while ! port_free "$port"; do
      port=$((port + 1)); tries=$((tries + 1))
      [ "$tries" -lt 100 ] || { log "no free port from ${VPP_PG_PORT:-55432}"; exit 1; }
    done
    log "starting PostgreSQL ($bin) in $DATA on 127.0.0.1:$port"
    as_postgres "$bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t "$WAIT_SECONDS" \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c timezone=UTC -c max_connections=400" \
      start >&2 || { tail -n 30 "$LOG" >&2 || true; exit 1; }
    echo "$port" > "$PORT_FILE"
  fi

  # Wait (bounded) until the server accepts connections.
  local deadline=$((SECONDS + WAIT_SECONDS))
  until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; do
    [ "$SECONDS" -lt "$deadline" ] || { log "server on port $port not ready after ${WAIT_SECONDS}s"; tail -n 30 "$LOG" >&2 || true; exit 1; }
    sleep 0.2
  done

  # Role and database (idempotent). Local socket connections are trusted; TCP from 127.0.0.1 too
  # (initdb -A trust), the password is still set so the connection string works with md5/scram servers.
  local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$port" -U postgres)
  as_postgres "${psql[@]}" -d postgres -c \
    "DO \$\$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
         CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD';
       END IF;
     END \$\$;" >&2
  if [ "$(as_postgres "${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != "1" ]; then
    as_postgres "${psql[@]}" -d postgres -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >&2
  fi

  connection_string "$port"
}

stop() {
  local bin
  bin=$(pg_bin || true)
  if [ -n "$bin" ] && is_running "$bin"; then
    as_postgres "$bin/pg_ctl" -D "$DATA" -m fast -w stop >&2
  else
    log "no server running in $DATA"
  fi
}

case "${1:-start}" in
  start) start ;;
  env) cs=$(start); printf 'export VPP_POSTGRES=%q\n' "$cs" ;;
  stop) stop ;;
  *) echo "usage: $0 [start|env|stop]" >&2; exit 2 ;;
esac
