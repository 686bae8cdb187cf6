#!/usr/bin/env bash
# The bundled Apache Kafka 2.4.1 cluster (../shared/engines/kafka, beside the repository) for tests
# and local tries, on ports that leave the defaults (9092, 2181) to whoever else uses the machine.
#   infra/kafka-cluster.sh start [BROKERS]   prints the state folder (its "bootstrap" file holds the
#                                            servers); fails when the bundled cluster is not there
#   infra/kafka-cluster.sh stop DIR          stops it and removes the folder
# LAMBDA_KAFKA_PORT_BASE moves the first port tried (default 39092), e.g. to keep clear of another
# engineer's clusters on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
engine="$(cd .. && pwd)/shared/engines/kafka"

case "${1:-}" in
  start)
    brokers=${2:-3}
    [ -x "$engine/start.sh" ] || { echo "kafka-cluster: no bundled cluster at $engine" >&2; exit 1; }
    dir=$(mktemp -d -t lambda-kafka.XXXXXX)
    # Brokers on FIRST..FIRST+BROKERS-1 and ZooKeeper on FIRST+10; start.sh refuses ports in use, so
    # a few bases are tried (another engineer's or another run's cluster may hold one).
    base=${LAMBDA_KAFKA_PORT_BASE:-39092}
    for first in $base $((base + 100)) $((base + 200)) $((base + 300)) $((base + 400)); do
      if bash "$engine/start.sh" "$dir" "$brokers" "$first" $((first + 10)) >"$dir.start.log" 2>&1; then
        rm -f "$dir.start.log"
        echo "$dir"
        exit 0
      fi
      bash "$engine/stop.sh" "$dir" >/dev/null 2>&1 || true
    done
    echo "kafka-cluster: could not start $brokers broker(s): $(tail -n 3 "$dir.start.log" | tr '\n' ' ')" >&2
    rm -rf "$dir" "$dir.start.log"
    exit 1
    ;;
  stop)
    [ -n "${2:-}" ] || { echo "usage: infra/kafka-cluster.sh stop DIR" >&2; exit 2; }
    bash "$engine/stop.sh" "$2" >/dev/null 2>&1 || true
    rm -rf "$2"
    ;;
  *)
    echo "usage: infra/kafka-cluster.sh start [BROKERS] | stop DIR" >&2
    exit 2
    ;;
esac
