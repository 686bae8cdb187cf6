#!/usr/bin/env bash
# Kafka benchmarks for docs/benchmarks.md, each beside a bare Confluent.Kafka client in the same run, on
# a private 3-broker cluster (infra/kafka-cluster.sh; topics with 3 replicas, min.insync.replicas 2,
# producers acks=all with idempotence):
#   produce: `lambda ingest FILE` vs `lambda bench kafka-bare-produce FILE` into topics of the same settings,
#            then `lambda generate` (its own rate line), once per compression (none, lz4, zstd by default);
#   consume: `lambda bench kafka-bare-consume` vs `lambda speed` (from its start until its status shows
#            every record processed) vs `lambda archive`, all over the records ingested and generated.
# Usage: bench/kafka.sh [EVENTS (default 1000000)] [COMPRESSIONS (default "none lz4 zstd")]
# Times are wall clock and include each command's start (about a second of dotnet and Kafka connections).
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-1000000}
compressions=${2:-none lz4 zstd}
lambda="dotnet jobs/Lambda.Cli/bin/Release/net10.0/lambda.dll"
engine="$(cd .. && pwd)/shared/engines/kafka"
work=$(mktemp -d -t lambda-kafka-bench.XXXXXX)
cluster=""
cleanup() { [ -n "$cluster" ] && bash infra/kafka-cluster.sh stop "$cluster"; rm -rf "$work"; }
trap cleanup EXIT
export LAMBDA_LOG_FORMAT=text

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%d records in %.2f s (%.0f records/s)", n, b - a, n / (b - a) }'; }

$lambda generate --out "$work/events.jsonl" --events "$events" --seed 5 >/dev/null
echo "kafka bench: $events generated records, $(du -m "$work/events.jsonl" | cut -f1) MB of JSON Lines; load average $(cut -d' ' -f1-3 /proc/loadavg)"

for compression in $compressions; do
  cluster=$(bash infra/kafka-cluster.sh start 3)
  bootstrap=$(cat "$cluster/bootstrap")
  data="$work/data-$compression"
  mkdir -p "$data"
  flags=(--data-dir "$data" --log kafka --kafka-bootstrap "$bootstrap" --partitions 4 --kafka-config "producer.compression.type=$compression")
  for topic in ad-served ad-views ad-clicks; do
    "$engine/kafka-2.4.1/bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --topic "bare-$topic" --partitions 4 \
      --replication-factor 3 --config min.insync.replicas=2 --config message.timestamp.type=LogAppendTime >/dev/null
  done

  echo "== compression $compression (cluster $bootstrap)"
  start=$(now); $lambda bench kafka-bare-produce "$work/events.jsonl" --bootstrap "$bootstrap" --topic-prefix bare- --compression "$compression"; end=$(now)
  echo "bare produce, wall clock with start: $(rate "$events" "$start" "$end")"
  start=$(now); $lambda ingest "$work/events.jsonl" "${flags[@]}" | head -1; end=$(now)
  echo "lambda ingest, wall clock with start: $(rate "$events" "$start" "$end")"
  $lambda generate --events "$events" --seed 6 "${flags[@]}"

  start=$(now); $lambda bench kafka-bare-consume --bootstrap "$bootstrap"; end=$(now)
  echo "bare consume, wall clock with start: $(rate $((2 * events)) "$start" "$end")"
  start=$(now)
  $lambda speed "${flags[@]}" --consumer-group bench --workers 2 >/dev/null 2>"$work/speed.err" &
  speed=$!
  first=""
  # Exit 0: all processed; 2: some; 1: none yet. The time of the first "some" leaves the start and the
  # group join (the broker holds a new group's first assignment for group.initial.rebalance.delay.ms, 3 s) out.
  while true; do
    code=0
    python3 - "$data/views.db" $((2 * events)) <<'PY' || code=$?
import sqlite3, sys
try:
    n = sqlite3.connect(sys.argv[1]).execute("SELECT coalesce(sum(processed), 0) FROM speed_partition_status").fetchone()[0]
except sqlite3.Error:
    n = 0
sys.exit(0 if n >= int(sys.argv[2]) else (2 if n > 0 else 1))
PY
    [ "$code" -eq 0 ] && break
    [ "$code" -eq 2 ] && [ -z "$first" ] && first=$(now)
    kill -0 "$speed" 2>/dev/null || { echo "lambda speed exited:"; tail -5 "$work/speed.err"; exit 1; }
    sleep 0.2
  done
  end=$(now)
  echo "lambda speed, wall clock with start (status polled every 0.2 s): $(rate $((2 * events)) "$start" "$end")"
  echo "lambda speed, from its first flushed row (start and group join left out): $(rate $((2 * events)) "${first:-$start}" "$end")"
  kill -TERM "$speed"; wait "$speed" || true
  start=$(now); $lambda archive "${flags[@]}" | tail -1; end=$(now)
  echo "lambda archive, wall clock with start: $(rate $((2 * events)) "$start" "$end")"
  bash infra/kafka-cluster.sh stop "$cluster"; cluster=""
done
