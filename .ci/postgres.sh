#!/usr/bin/env bash
# Make PostgreSQL's server binaries available for the SQL equivalence tests.
#
# The tests start their own throwaway server on 127.0.0.1 (tests/postgres_server.py) and stop it
# when they finish; this script only installs Debian's postgresql package when initdb is missing.
# If it cannot, it says so and exits 0: the PostgreSQL tests then skip with the reason.
set -uo pipefail

if command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "postgres.sh: initdb not found and cannot apt-get install postgresql; PostgreSQL tests will skip" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql; } >/tmp/postgres-install.log 2>&1; then
    echo "postgres.sh: installing postgresql failed (see /tmp/postgres-install.log); PostgreSQL tests will skip" >&2
fi
exit 0
