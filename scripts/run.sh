#!/usr/bin/env bash
# `make run`: install, migrate, load reference and demo data, print the demo logins, serve on :8000.
# With no DATABASE_URL / REDIS_URL it runs embedded (SQLite under var/, Celery tasks in-process).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py load_reference
.venv/bin/python manage.py load_demo
if [ "${SETUP_ONLY:-0}" = "1" ]; then exit 0; fi
if [ -z "${REDIS_URL:-}" ]; then
  # No Redis: a Celery worker (and its daily beat: reminders, digests, purges) on kombu's filesystem
  # transport, messages as files under var/celery/. Briefings render in the background with the same
  # progress display as in production; the worker stops with the server.
  var="${APP_VAR_DIR:-var}"
  mkdir -p "$var/log" "$var/celery"
  export CELERY_BROKER_URL="${CELERY_BROKER_URL:-filesystem://}"
  .venv/bin/celery -A config worker --pool=solo --beat --schedule "$var/celery/beat-schedule" \
    --loglevel WARNING >> "$var/log/worker.log" 2>&1 &
  worker=$!
  trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT
  echo "==> background worker started (log: $var/log/worker.log)"
fi
echo "==> serving on http://${HOST:-127.0.0.1}:${PORT:-8000}/ (Ctrl-C stops)"
.venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
