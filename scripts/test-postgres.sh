#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and benchmarks.
#
#   eval "$(scripts/test-postgres.sh start [--durable])"   # prints export lines
#   scripts/test-postgres.sh stop                          # uses the exported variables
#
# `start` creates a cluster in a fresh temporary directory (Debian's postgresql, any version),
# listens on a unix socket in that directory and on 127.0.0.1 at a free port, creates the
# database lesionlab_test and prints:
#   LESIONLAB_TEST_POSTGRES_URL  SQLAlchemy URL of lesionlab_test
#   LESIONLAB_TEST_POSTGRES_DIR  the cluster directory (removed by `stop`)
#   LESIONLAB_TEST_POSTGRES_PID  the server's process id
# Without --durable the server skips fsync (the data is thrown away anyway); benchmarks pass
# --durable so that commits cost what they cost in production.
set -euo pipefail

find_bin() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$found" ] || [ ! -x "$found/initdb" ]; then
    echo "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin;" \
      "run scripts/system-deps.sh" >&2
    exit 1
  fi
  echo "$found"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Runs a command as the server's owner: 'postgres' when we are root (initdb refuses root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local durable=0
  [ "${1:-}" = "--durable" ] && durable=1
  local bin dir port settings
  bin="$(find_bin)"
  dir="$(mktemp -d "${TMPDIR:-/tmp}/lesionlab-postgres.XXXXXX")"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
    --no-locale >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  port="$(free_port)"
  settings="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir"
  settings="$settings -c max_connections=200"
  if [ "$durable" -eq 0 ]; then
    settings="$settings -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$settings" -w -t 60 start \
    >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$bin/createdb" -h "$dir" -p "$port" -U postgres lesionlab_test
  echo "export LESIONLAB_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$port/lesionlab_test"
  echo "export LESIONLAB_TEST_POSTGRES_DIR=$dir"
  echo "export LESIONLAB_TEST_POSTGRES_PID=$(head -n 1 "$dir/data/postmaster.pid")"
}

stop() {
  local dir="${LESIONLAB_TEST_POSTGRES_DIR:-}"
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
    echo "no test PostgreSQL to stop (LESIONLAB_TEST_POSTGRES_DIR is unset or gone)" >&2
    return 0
  fi
  as_owner "$(find_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 \
    || kill "${LESIONLAB_TEST_POSTGRES_PID:-0}" 2>/dev/null || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start [--durable] | stop" >&2; exit 2 ;;
esac
