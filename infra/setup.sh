#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine with the .NET SDK.
# Idempotent: a second run installs nothing and takes a few seconds.
# Native libraries come in NuGet packages: librdkafka (librdkafka.redist), libduckdb.so
# (DuckDB.NET.Bindings.Full); Parquet.Net compresses in managed code. Each step in infra/setup.d
# installs a service or tool the tests and the platform use (PostgreSQL, Chromium, Java for the
# bundled Kafka cluster).
set -euo pipefail
cd "$(dirname "$0")/.."

for step in infra/setup.d/*.sh; do
  [ -e "$step" ] && bash "$step"
done

dotnet restore Lambda.sln --verbosity quiet
echo "setup: done"
