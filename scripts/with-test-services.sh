#!/usr/bin/env bash
# Runs a command with the services the tests need started, and stops them afterwards.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -x "$here/test-postgres.sh" ]; then
  eval "$("$here/test-postgres.sh" start)" || { echo "could not start PostgreSQL" >&2; exit 1; }
  trap '"$here/test-postgres.sh" stop' EXIT
fi
"$@"
