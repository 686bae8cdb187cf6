#!/usr/bin/env bash
# Serving benchmark: ≥ 10,000 queries/s with p99 ≤ 10 ms for a one-day per-minute query of one
# campaign, on each store, next to GET /v1/health (the framework's floor) in the same run.
# Installs wrk (Debian) if missing, seeds a data directory, starts `lambda serve`, runs wrk with the
# API key header, prints requests/s and latency percentiles. Usage:
#   infra/bench/serving.sh [sqlite|postgres|both]   (env: DURATION=15s THREADS=2 CONNECTIONS=32 LAMBDA_PG=...)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
stores=${1:-both}
duration=${DURATION:-15s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-32}
port=${PORT:-18088}
pg=${LAMBDA_PG:-Host=127.0.0.1;Username=lambda;Password=lambda;Database=lambda_test}

if ! command -v wrk >/dev/null; then
  echo "bench: installing wrk"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >/dev/null
fi

echo "bench: building (Release)"
dotnet build -c Release -v q -nologo "$root/jobs/Lambda.Cli/Lambda.Cli.csproj" >/dev/null
dotnet build -c Release -v q -nologo "$root/infra/bench/ServingSeed/ServingSeed.csproj" >/dev/null
lambda="$root/jobs/Lambda.Cli/bin/Release/net10.0/lambda"
seed="$root/infra/bench/ServingSeed/bin/Release/net10.0/ServingSeed"

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

lua="$work/key.lua"
lua_gzip="$work/key-gzip.lua"

run_store() {
  local store=$1
  local data="$work/$store"
  mkdir -p "$data"
  local store_args=(--data-dir "$data" --store "$store")
  if [ "$store" = postgres ]; then
    store_args+=(--pg "$pg")
    "$seed" postgres "$pg"
  else
    "$seed" sqlite "$data/views.db"
  fi
  local key
  key=$("$lambda" "${store_args[@]}" keys create --admin 2>/dev/null)
  printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$key" > "$lua"
  printf 'wrk.headers["Authorization"] = "Bearer %s"\nwrk.headers["Accept-Encoding"] = "gzip"\n' "$key" > "$lua_gzip"

  "$lambda" "${store_args[@]}" serve --urls "http://127.0.0.1:$port" --rate-limit 100000000 >"$work/serve-$store.log" 2>&1 &
  server=$!
  for _ in $(seq 1 50); do
    curl -sf "http://127.0.0.1:$port/v1/health" >/dev/null && break
    sleep 0.2
  done

  local query="http://127.0.0.1:$port/v1/campaigns/bench-3/metrics?from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z&granularity=minute"
  curl -sf -H "Authorization: Bearer $key" "$query" | head -c 200 || true; echo
  echo "== $store: GET /v1/health (floor)"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "http://127.0.0.1:$port/v1/health" | grep -E "Requests/sec|Transfer/sec|50%|75%|90%|99%|Latency|Non-2xx"
  echo "== $store: one-day per-minute metrics of one campaign (1440 rows), Accept-Encoding: gzip (as browsers send)"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$lua_gzip" "$query" | grep -E "Requests/sec|Transfer/sec|50%|75%|90%|99%|Latency|Non-2xx"
  echo "== $store: the same, uncompressed (~330 KB a response)"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$lua" "$query" | grep -E "Requests/sec|Transfer/sec|50%|75%|90%|99%|Latency|Non-2xx"

  kill "$server"; wait "$server" 2>/dev/null || true; server=""
}

case "$stores" in
  sqlite) run_store sqlite ;;
  postgres) run_store postgres ;;
  both) run_store sqlite; run_store postgres ;;
  *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;;
esac
