#!/usr/bin/env bash
# Serving benchmark: ≥ 10,000 queries/s with p99 ≤ 10 ms for a one-day per-minute query of one
# campaign, on each store, next to GET /v1/health (the framework's floor) at the same wrk settings in
# the same run. Installs wrk (Debian) if missing, seeds a data directory, starts `lambda serve`,
# warms it up, then for each connection count runs wrk (one thread: the machine has two cores shared
# by the server, wrk and PostgreSQL) on the floor and on the query, and prints one table row each.
# Usage:
#   bench/serving.sh [sqlite|postgres|both]
#   env: DURATION=10s WARMUP=5s THREADS=1 CONNECTIONS="4 8 16" PLAIN=1 (also the uncompressed query)
#        GENERATION_MAX_AGE_MS=50 (lambda serve --generation-max-age-ms; 0 = strict)
#        LAMBDA_PG=...   The server prints its GC totals (mode, MB allocated, collections, pause) at the end.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
stores=${1:-both}
duration=${DURATION:-10s}
warmup=${WARMUP:-5s}
threads=${THREADS:-1}
connections=${CONNECTIONS:-4 8 16}
plain=${PLAIN:-0}
generation_max_age_ms=${GENERATION_MAX_AGE_MS:-50}
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
lambda="$root/jobs/Lambda.Cli/bin/Release/net10.0/lambda"

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

lua="$work/key.lua"
lua_gzip="$work/key-gzip.lua"

# One table row from wrk's --latency output: requests/s, p50, p90, p99, errors.
row() {
  awk -v label="$1" '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +90%/ { p90 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx|Socket errors/ { errors = errors " " $0 }
    END { printf "| %s | %s | %s | %s | %s |%s\n", label, rps, p50, p90, p99, errors }'
}

run_store() {
  local store=$1
  local data="$work/$store"
  mkdir -p "$data"
  local store_args=(--data-dir "$data" --store "$store")
  if [ "$store" = postgres ]; then
    store_args+=(--pg "$pg")
  fi
  "$lambda" "${store_args[@]}" bench serving-seed
  local key
  key=$("$lambda" "${store_args[@]}" keys create --admin 2>/dev/null)
  printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$key" > "$lua"
  printf 'wrk.headers["Authorization"] = "Bearer %s"\nwrk.headers["Accept-Encoding"] = "gzip"\n' "$key" > "$lua_gzip"

  "$lambda" "${store_args[@]}" serve --urls "http://127.0.0.1:$port" --rate-limit 100000000 --generation-max-age-ms "$generation_max_age_ms" >"$work/serve-$store.log" 2>&1 &
  server=$!
  for _ in $(seq 1 50); do
    curl -sf "http://127.0.0.1:$port/v1/health" >/dev/null && break
    sleep 0.2
  done

  local health="http://127.0.0.1:$port/v1/health"
  local query="http://127.0.0.1:$port/v1/campaigns/bench-3/metrics?from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z&granularity=minute"
  curl -sf -H "Authorization: Bearer $key" "$query" | head -c 200 || true; echo
  # JIT tiering, the first query's reads and the caches settle here, outside the figures.
  wrk -t"$threads" -c8 -d"$warmup" "$health" >/dev/null
  wrk -t"$threads" -c8 -d"$warmup" -s "$lua_gzip" "$query" >/dev/null

  echo "== $store (generation max age ${generation_max_age_ms} ms; wrk -t$threads -d$duration; load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "| $store | req/s | p50 | p90 | p99 |"
  echo "| --- | --- | --- | --- | --- |"
  for c in $connections; do
    wrk -t"$threads" -c"$c" -d"$duration" --latency "$health" | row "floor /v1/health, -c$c"
    wrk -t"$threads" -c"$c" -d"$duration" --latency -s "$lua_gzip" "$query" | row "query (gzip), -c$c"
    if [ "$plain" = 1 ]; then
      wrk -t"$threads" -c"$c" -d"$duration" --latency -s "$lua" "$query" | row "query (plain JSON), -c$c"
    fi
  done
  echo "   (load average after: $(cut -d' ' -f1-3 /proc/loadavg))"

  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  grep "^gc:" "$work/serve-$store.log" || true
}

case "$stores" in
  sqlite) run_store sqlite ;;
  postgres) run_store postgres ;;
  both) run_store sqlite; run_store postgres ;;
  *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;;
esac
