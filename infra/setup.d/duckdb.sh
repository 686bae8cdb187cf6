#!/usr/bin/env bash
# Fetches DuckDB's official C library (libduckdb.so) from the npm registry, where DuckDB ships it
# inside its Node bindings package, and places it at infra/native/linux-x64/libduckdb.so.
# Lambda.DuckDb.csproj copies it next to the binaries of every project that references it.
# Idempotent: a second run only compares a version stamp. Safe to run from parallel builds (flock).
set -euo pipefail
cd "$(dirname "$0")/../.."

package="@duckdb/node-bindings-linux-x64"
version="1.5.6-r.1"
dest="infra/native/linux-x64"
stamp="$dest/libduckdb.version"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "setup: libduckdb is only fetched for linux-x64 (this is $(uname -s)-$(uname -m))" >&2
  exit 1
fi

up_to_date() { [ -f "$dest/libduckdb.so" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; }
up_to_date && exit 0

mkdir -p "$dest"
exec 9>"$dest/.lock"
flock 9
up_to_date && exit 0   # another build fetched it while we waited for the lock

command -v npm >/dev/null || { echo "setup: npm is needed to fetch libduckdb (apt-get install npm)" >&2; exit 1; }
echo "setup: fetching libduckdb.so from npm $package@$version"
tmp=$(mktemp -d "$dest/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# npm pack verifies the registry's integrity hash; no install scripts run.
(cd "$tmp" && npm pack "$package@$version" --silent --loglevel=error >/dev/null)
tar -xzf "$tmp"/*.tgz -C "$tmp" package/libduckdb.so package/LICENSE
cp "$tmp/package/LICENSE" "$dest/LICENSE.duckdb"
# the npm tarball dates every file 1985: touch so PreserveNewest copies a changed library
touch "$tmp/package/libduckdb.so"
# rename is atomic: a concurrent build never sees a half-written library
mv -f "$tmp/package/libduckdb.so" "$dest/libduckdb.so"
echo "$version" > "$stamp"
echo "setup: libduckdb.so $version -> $dest/libduckdb.so"
