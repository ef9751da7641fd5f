#!/usr/bin/env bash
# Installs (Debian, as root) and starts what the full test suite needs: PostgreSQL 15 (installed but
# stopped on these machines), Redis, Chromium, poppler-utils, HarfBuzz subsetting, gettext.
# Prints the environment to export. Safe to run again.
set -euo pipefail
# Everything but the final exports goes to stderr, so that `eval "$(scripts/services.sh)"` is safe.
exec 3>&1 1>&2

PGUSER_NAME="${PGUSER_NAME:-planner}"
PGPASS="${PGPASS:-planner-dev-password}"
# Separate names let two checkouts run their suites side by side without sharing a database or queue.
PGDB_NAME="${PGDB_NAME:-asean_readiness}"
REDIS_DB="${REDIS_DB:-0}"

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || need+=(libharfbuzz-subset0)
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "==> apt-get install ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

echo "==> PostgreSQL" >&2
# Daemons must not inherit fd 3 (the caller's `$(...)` pipe): a server holding it open would keep
# `eval "$(scripts/services.sh)"` waiting for end-of-file forever.
pg_ctlcluster 15 main start 3>&- 2>/dev/null \
  || pg_ctlcluster "$(ls /etc/postgresql | sort -V | tail -1)" main start 3>&- 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
pg_isready -h 127.0.0.1 >&2
runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 <<SQL >&2
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PGUSER_NAME}') THEN
    CREATE ROLE ${PGUSER_NAME} LOGIN CREATEDB PASSWORD '${PGPASS}';
  ELSE
    ALTER ROLE ${PGUSER_NAME} LOGIN CREATEDB PASSWORD '${PGPASS}';
  END IF;
END \$\$;
SQL
runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname='${PGDB_NAME}'" | grep -q 1 \
  || runuser -u postgres -- createdb -O "${PGUSER_NAME}" "${PGDB_NAME}"

echo "==> Redis" >&2
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no 3>&- >&2
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping >&2

echo >&3 "export DATABASE_URL=postgres://${PGUSER_NAME}:${PGPASS}@127.0.0.1:5432/${PGDB_NAME}"
echo >&3 "export REDIS_URL=redis://127.0.0.1:6379/${REDIS_DB}"
