#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the tests (Debian's binaries; initdb/postgres refuse root, so they run as the
# postgres user through runuser).
#   scripts/postgres.sh start   starts a fresh cluster in a new temp directory on a free loopback port and prints
#                               "KAPPA_POSTGRES=<connection string>" and "KAPPA_POSTGRES_DIR=<directory>" (eval-able)
#   scripts/postgres.sh stop DIR  stops the cluster in DIR and deletes DIR
# Exits non-zero with the reason when PostgreSQL cannot start.
set -euo pipefail
bin=${KAPPA_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  if [ ! -x "$bin/initdb" ]; then
    echo "PostgreSQL 15 is not installed ($bin/initdb missing): run scripts/install-deps.sh (Debian package postgresql-15), or set KAPPA_POSTGRES to an existing server." >&2
    exit 1
  fi
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "There is no 'postgres' user to run the server as (initdb refuses root); install postgresql-15 (scripts/install-deps.sh)." >&2
    exit 1
  fi
  dir=$(mktemp -d /tmp/kappa-postgres.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  if ! as_postgres "$bin/initdb" -D "$dir/data" -A trust -U kappa -E UTF8 --no-locale >"$dir/initdb.log" 2>&1; then
    echo "initdb failed:" >&2; cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1
  fi
  # fsync off: a throwaway test server (durability across power loss is not what the tests check).
  if ! as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >"$dir/pg_ctl.log" 2>&1; then
    echo "PostgreSQL did not start:" >&2; cat "$dir/pg_ctl.log" "$dir/server.log" >&2 2>/dev/null; rm -rf "$dir"; exit 1
  fi
  echo "KAPPA_POSTGRES='Host=127.0.0.1;Port=$port;Username=kappa;Database=postgres'"
  echo "KAPPA_POSTGRES_DIR='$dir'"
}

stop() {
  dir=${1:?usage: postgres.sh stop DIR}
  case "$dir" in /tmp/kappa-postgres.*) ;; *) echo "Refusing to delete $dir (not a directory made by postgres.sh start)." >&2; exit 1 ;; esac
  if [ -d "$dir/data" ]; then
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
