#!/usr/bin/env bash
# Java for the Kafka test cluster (../shared/engines/kafka: Apache Kafka 2.4.1 brokers on loopback,
# started by infra/test.sh). Only where that cluster exists; idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/../.."

[ -d "$(cd .. && pwd)/shared/engines/kafka" ] || exit 0
command -v java >/dev/null 2>&1 && exit 0

sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
echo "setup: installing openjdk-17-jre-headless (for the Kafka test cluster)"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
command -v java >/dev/null 2>&1 || { echo "setup: openjdk-17-jre-headless did not install java" >&2; exit 1; }
