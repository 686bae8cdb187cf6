#!/usr/bin/env bash
# PostgreSQL for the PostgreSQL view store and its contract tests: Debian 12's server (15),
# cluster 15/main started without systemd, a role `lambda` (password `lambda`) owning the
# database `lambda_test`. Idempotent: a second run only checks. The tests read LAMBDA_PG
# (default Host=127.0.0.1;Username=lambda;Password=lambda;Database=lambda_test).
set -euo pipefail

sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"

if ! dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q "install ok installed"; then
  echo "setup: installing postgresql"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null
fi

version=15
cluster=main
# The package creates 15/main at install; a machine whose cluster was removed gets a new one.
if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
  echo "setup: creating PostgreSQL cluster $version/$cluster"
  $sudo_cmd pg_createcluster "$version" "$cluster" >/dev/null
fi

status=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $4 }')
port=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $3 }')
if [ "$status" != "online" ]; then
  echo "setup: starting PostgreSQL $version/$cluster on port $port"
  # No systemd in CI: pg_ctlcluster starts the server directly (as root it switches to postgres).
  $sudo_cmd pg_ctlcluster "$version" "$cluster" start
fi

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
pg_isready -q -h 127.0.0.1 -p "$port" || { echo "setup: PostgreSQL did not come up on port $port" >&2; exit 1; }

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
psql_admin() { as_postgres psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"; }

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'lambda'")" != "1" ]; then
  echo "setup: creating PostgreSQL role lambda"
  psql_admin -c "CREATE ROLE lambda LOGIN PASSWORD 'lambda'"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'lambda_test'")" != "1" ]; then
  echo "setup: creating PostgreSQL database lambda_test"
  # UTF8 with C collation: ids sort by code point, as they do in SQLite.
  psql_admin -c "CREATE DATABASE lambda_test OWNER lambda ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
fi
