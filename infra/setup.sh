#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine with the .NET SDK.
# Idempotent: a second run installs nothing and takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(librdkafka1 librdkafka-dev)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The other native pieces (PostgreSQL, chromium), then the .NET restore (libduckdb.so comes in the DuckDB.NET.Bindings.Full package).
for step in infra/setup.d/*.sh; do
  [ -e "$step" ] && bash "$step"
done

dotnet restore Lambda.sln --verbosity quiet
echo "setup: done"
