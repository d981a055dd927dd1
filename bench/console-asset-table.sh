#!/usr/bin/env bash
# How long one page of the console's asset table takes for a fleet of N assets (default 100,000):
# starts a silo (Release build, in-memory storage, the demo fleet with N assets reporting every minute), waits until
# every asset has joined, then times each query R times (default 20) with curl and prints p50 / p95 / max in ms.
# Usage: bench/console-asset-table.sh [assets] [repeats]     (build first: dotnet build src/Vpp.Silo -c Release)
set -euo pipefail
cd "$(dirname "$0")/.."
assets="${1:-100000}"
repeats="${2:-20}"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
http=$(free_port); silo=$(free_port); gateway=$(free_port)
key="bench-console-key-$(date +%s%N)"
log=$(mktemp /tmp/vpp-console-bench.XXXXXX.log)

# Telemetry every minute and silence after ten: the benchmark measures the table, not 100,000 reports every 2 s.
(cd src/Vpp.Silo/bin/Release/net10.0 && exec env VPP_API_KEY="$key" ASPNETCORE_URLS="http://127.0.0.1:$http" \
  Orleans__SiloPort="$silo" Orleans__GatewayPort="$gateway" Api__RateLimit__PermitLimit=100000 \
  Demo__AssetCount="$assets" Demo__TelemetryInterval=00:01:00 Vpp__OfflineAfter=00:10:00 \
  dotnet Vpp.Silo.dll --demo --in-memory) >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT

base="http://127.0.0.1:$http/api/v1"
get() { curl -fsS -H "X-Api-Key: $key" "$base$1"; }
echo "silo pid $pid on port $http, log $log; waiting for $assets assets to join (progress every 10 s)…"
for i in $(seq 1 180); do
  count=$(get /fleets/demo 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["assetCount"])' 2>/dev/null || echo 0)
  [ "$count" -ge "$assets" ] && break
  [ $((i % 5)) -eq 0 ] && echo "  $count assets joined after $((i * 2)) s"
  sleep 2
done
echo "$count assets in fleet demo; $(nproc) cores; timing $repeats requests per query"

printf '%-70s %8s %8s %8s\n' query p50_ms p95_ms max_ms
for query in \
  "page=1&pageSize=20" \
  "page=1&pageSize=200" \
  "page=1&pageSize=50&sort=setpointKw&desc=true" \
  "page=1&pageSize=50&kind=battery&status=online&sort=maxPowerKw&desc=true" \
  "page=1&pageSize=50&q=wind-00" \
  "page=2000&pageSize=50"; do
  get "/fleets/demo/assets?$query" >/dev/null # warm-up
  times=$(for r in $(seq 1 "$repeats"); do
    curl -fsS -o /dev/null -w '%{time_total}\n' -H "X-Api-Key: $key" "$base/fleets/demo/assets?$query"
  done | sort -n)
  python3 - "$query" $times <<'PY'
import sys
q, t = sys.argv[1], sorted(float(x) * 1000 for x in sys.argv[2:])
pick = lambda p: t[min(len(t) - 1, int(round(p * (len(t) - 1))))]
print(f"{q:<70} {pick(0.5):8.1f} {pick(0.95):8.1f} {t[-1]:8.1f}")
PY
done
