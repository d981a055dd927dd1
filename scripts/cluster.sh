#!/usr/bin/env bash
# Three (or N) silos on this machine forming one Orleans cluster through PostgreSQL membership.
#
# Usage:
#   scripts/cluster.sh start [N]   # build, migrate, start N silos (default 3), wait until each is ready
#   scripts/cluster.sh status      # pid, ports and /health/ready of each silo
#   scripts/cluster.sh stop        # SIGTERM each silo (graceful: grains handed over), SIGKILL after 45 s
#
# Database: $VPP_POSTGRES, else the throwaway server of scripts/postgres.sh (started if needed).
# Silo i (1-based) listens on loopback: HTTP $VPP_HTTP_PORT_BASE+i (default 5080+i), silo port
# $VPP_SILO_PORT_BASE+i (11110+i), gateway port $VPP_GATEWAY_PORT_BASE+i (30000+i).
# Identity: $VPP_CLUSTER_ID (vpp-local), $VPP_SERVICE_ID (vpp). Logs and pid files: $VPP_CLUSTER_DIR (/tmp/vpp-cluster).
# Mutual TLS on the silo and gateway ports with the development certificates of scripts/dev-certs.sh in $DIR/certs
# (made on first start); an SDK client connects with $DIR/certs/client.crt, client.key and ca.crt.
# Extra silo arguments: $VPP_SILO_ARGS (e.g. "--demo" — run it on one silo only: VPP_SILO_ARGS=--demo for start 1).
set -euo pipefail
cd "$(dirname "$0")/.."

DIR="${VPP_CLUSTER_DIR:-/tmp/vpp-cluster}"
HTTP_BASE="${VPP_HTTP_PORT_BASE:-5080}"
SILO_BASE="${VPP_SILO_PORT_BASE:-11110}"
GATEWAY_BASE="${VPP_GATEWAY_PORT_BASE:-30000}"
DLL=src/Vpp.Silo/bin/Release/net10.0/Vpp.Silo.dll
READY_WAIT_SECONDS="${VPP_READY_WAIT_SECONDS:-120}"
STOP_WAIT_SECONDS=45

log() { echo "cluster.sh: $*" >&2; }

alive() { [ -f "$DIR/silo$1.pid" ] && kill -0 "$(cat "$DIR/silo$1.pid")" 2>/dev/null; }

silos() { ls "$DIR"/silo*.pid 2>/dev/null | sed -E 's/.*silo([0-9]+)\.pid/\1/' | sort -n; }

start() {
  local count="${1:-3}"
  mkdir -p "$DIR"
  if [ -z "${VPP_POSTGRES:-}" ]; then
    eval "$(scripts/postgres.sh env)"
  fi
  export VPP_POSTGRES
  log "building src/Vpp.Silo (Release)"
  dotnet build src/Vpp.Silo -c Release --nologo -v quiet >"$DIR/build.log" 2>&1 || { cat "$DIR/build.log" >&2; exit 1; }
  scripts/dev-certs.sh "$DIR/certs"
  log "applying the PostgreSQL scripts"
  ASPNETCORE_ENVIRONMENT=Postgres dotnet "$DLL" migrate >&2

  for i in $(seq 1 "$count"); do
    if alive "$i"; then
      log "silo$i already running (pid $(cat "$DIR/silo$i.pid"))"
      continue
    fi
    # Settings as environment variables (Section__Key) so they override silo-config/appsettings.Postgres.json.
    ASPNETCORE_ENVIRONMENT=Postgres \
    ASPNETCORE_URLS="http://127.0.0.1:$((HTTP_BASE + i))" \
    Orleans__SiloPort=$((SILO_BASE + i)) \
    Orleans__GatewayPort=$((GATEWAY_BASE + i)) \
    Orleans__ClusterId="${VPP_CLUSTER_ID:-vpp-local}" \
    Orleans__ServiceId="${VPP_SERVICE_ID:-vpp}" \
    Storage__Postgres__ApplySchemaAtStart=false \
    Orleans__Tls__CertificatePath="$DIR/certs/silo.crt" \
    Orleans__Tls__KeyPath="$DIR/certs/silo.key" \
    Orleans__Tls__CaPath="$DIR/certs/ca.crt" \
      nohup dotnet "$DLL" ${VPP_SILO_ARGS:-} >"$DIR/silo$i.log" 2>&1 &
    echo $! >"$DIR/silo$i.pid"
    log "silo$i started (pid $!): http://127.0.0.1:$((HTTP_BASE + i)), silo port $((SILO_BASE + i)), gateway $((GATEWAY_BASE + i)), log $DIR/silo$i.log"
  done

  for i in $(seq 1 "$count"); do
    local waited=0
    until curl -fsS -m 3 "http://127.0.0.1:$((HTTP_BASE + i))/health/ready" >/dev/null 2>&1; do
      if ! alive "$i"; then
        log "silo$i exited; last lines of $DIR/silo$i.log:"; tail -n 20 "$DIR/silo$i.log" >&2; exit 1
      fi
      if [ "$waited" -ge "$READY_WAIT_SECONDS" ]; then
        log "silo$i not ready after ${READY_WAIT_SECONDS}s; see $DIR/silo$i.log"; exit 1
      fi
      [ $((waited % 10)) -eq 0 ] && log "waiting for silo$i to join the cluster (${waited}s)"
      sleep 1; waited=$((waited + 1))
    done
    log "silo$i ready"
  done
}

status() {
  local any=0
  for i in $(silos); do
    any=1
    if alive "$i"; then
      local ready
      ready=$(curl -s -m 3 "http://127.0.0.1:$((HTTP_BASE + i))/health/ready" || echo "no answer")
      echo "silo$i pid $(cat "$DIR/silo$i.pid") http://127.0.0.1:$((HTTP_BASE + i)) silo $((SILO_BASE + i)) gateway $((GATEWAY_BASE + i)) ready: $ready"
    else
      echo "silo$i not running (log $DIR/silo$i.log)"
    fi
  done
  [ "$any" -eq 1 ] || echo "no silos started from $DIR"
}

stop() {
  for i in $(silos); do
    alive "$i" && kill -TERM "$(cat "$DIR/silo$i.pid")" && log "silo$i: SIGTERM (graceful shutdown)"
  done
  for i in $(silos); do
    local waited=0
    while alive "$i" && [ "$waited" -lt "$STOP_WAIT_SECONDS" ]; do sleep 1; waited=$((waited + 1)); done
    if alive "$i"; then
      log "silo$i still running after ${STOP_WAIT_SECONDS}s: SIGKILL"; kill -KILL "$(cat "$DIR/silo$i.pid")" || true
    fi
    rm -f "$DIR/silo$i.pid"
    log "silo$i stopped"
  done
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  status) status ;;
  stop) stop ;;
  *) echo "usage: $0 start [N] | status | stop" >&2; exit 2 ;;
esac
