#!/usr/bin/env bash
# Sets up the machine, builds, and runs the whole test suite. Ends with one summary line:
# "N passed, N failed" (", N skipped" if any), totalled over every test project.
set -uo pipefail
cd "$(dirname "$0")/.."

bash infra/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

dotnet build Lambda.sln -c Release --nologo -clp:ErrorsOnly || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

# Formatting as .editorconfig says (whitespace, usings, style): a file `dotnet format` would change fails
# the run like a failed build. --no-restore: the build has restored, and the check needs no network.
# About 2 minutes on 2 cores.
dotnet format Lambda.sln --verify-no-changes --no-restore -v q \
  || { echo "format check failed: run 'dotnet format Lambda.sln' and commit the result"; echo "0 passed, 1 failed"; exit 1; }

# A real 3-broker Kafka cluster for the Kafka tests, when the bundled one is beside the repository
# (infra/kafka-cluster.sh; stopped on exit). Without it they skip, or fail when CI is set.
if [ -z "${LAMBDA_KAFKA_BOOTSTRAP:-}" ] && kafka_dir=$(bash infra/kafka-cluster.sh start 3); then
  trap 'bash infra/kafka-cluster.sh stop "$kafka_dir"' EXIT
  LAMBDA_KAFKA_BOOTSTRAP=$(cat "$kafka_dir/bootstrap")
  export LAMBDA_KAFKA_BOOTSTRAP LAMBDA_KAFKA_CLUSTER_DIR=$kafka_dir
  echo "test: Kafka cluster at $LAMBDA_KAFKA_BOOTSTRAP"
fi

log=$(mktemp)
dotnet test Lambda.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# VSTest prints one line per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 1, Total: 13, ..."
read -r passed failed skipped < <(grep -E '^\s*(Passed|Failed)!\s+-\s+Failed:' "$log" | awk -F'[:,]' '
  { f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
exit "$status"
