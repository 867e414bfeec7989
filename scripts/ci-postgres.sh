#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for Cairn's storage tests and prints its URL on standard output
# (the only thing printed there), for CAIRN_TEST_PG_URL:
#
#   export CAIRN_TEST_PG_URL="$(bash scripts/ci-postgres.sh)"
#
# Installs PostgreSQL from the Debian packages when it is missing (apt-get; needs root). Runs its
# own cluster in $CAIRN_PG_DIR (default /var/lib/postgresql/cairn-test) on 127.0.0.1:$CAIRN_PG_PORT
# (default 55432), apart from any cluster the package set up, with a random password kept beside
# it. Idempotent: a second run finds the cluster (started or not), starts it if needed and prints
# the same URL. The cluster trades durability for speed (fsync off): test data only.
set -euo pipefail

PORT="${CAIRN_PG_PORT:-55432}"
DB="${CAIRN_PG_DATABASE:-cairn_test}"
ROLE="${CAIRN_PG_USER:-cairn}"
log() { echo "ci-postgres: $*" >&2; }

if [ "$(id -u)" = 0 ]; then
  BASE="${CAIRN_PG_DIR:-/var/lib/postgresql/cairn-test}"
else
  BASE="${CAIRN_PG_DIR:-${TMPDIR:-/tmp}/cairn-pg-$(id -u)}"
fi
DATA="$BASE/data"

find_bin() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; fi
}

BIN="$(find_bin)"
if [ -z "$BIN" ]; then
  if [ "$(id -u)" != 0 ]; then
    log "PostgreSQL is not installed and installing it needs root"
    exit 1
  fi
  log "installing PostgreSQL from the Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y postgresql >&2
  BIN="$(find_bin)"
  if [ -z "$BIN" ]; then
    log "PostgreSQL installed but no initdb/pg_ctl found under /usr/lib/postgresql"
    exit 1
  fi
fi

# The server refuses to run as root: as root, run it as the postgres user the package created.
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  OWNER=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

mkdir -p "$BASE"
chown "$OWNER" "$BASE"
chmod 700 "$BASE"

PWFILE="$BASE/password"
if [ ! -s "$PWFILE" ]; then
  (umask 077 && head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 >"$PWFILE")
  chown "$OWNER" "$PWFILE"
fi
PASSWORD="$(cat "$PWFILE")"

if [ ! -f "$DATA/PG_VERSION" ]; then
  log "creating a cluster in $DATA"
  rm -rf "$DATA"
  as_owner "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >&2
  cat >>"$DATA/postgresql.conf" <<CONF
# cairn test cluster
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$BASE'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
fi

if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  log "starting PostgreSQL on 127.0.0.1:$PORT"
  rm -f "$DATA/postmaster.pid"
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$BASE/server.log" -w -t 60 start >&2
fi

psql_su() { as_owner "$BIN/psql" -h "$BASE" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

if [ "$(psql_su -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" = "1" ]; then
  psql_su -c "ALTER ROLE \"$ROLE\" WITH LOGIN PASSWORD '$PASSWORD'" >/dev/null
else
  psql_su -c "CREATE ROLE \"$ROLE\" WITH LOGIN PASSWORD '$PASSWORD'" >/dev/null
fi
if [ "$(psql_su -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
  psql_su -c "CREATE DATABASE \"$DB\" OWNER \"$ROLE\"" >/dev/null
fi

URL="postgres://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
# Check the URL works over TCP with the password before handing it out.
if ! PGPASSWORD="$PASSWORD" "$BIN/psql" "postgres://$ROLE@127.0.0.1:$PORT/$DB" -qtA -c "SELECT 1" >/dev/null; then
  log "PostgreSQL is up but $ROLE cannot connect over TCP; see $BASE/server.log"
  exit 1
fi
log "ready"
echo "$URL"
