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
echo "==> serving on http://${HOST:-127.0.0.1}:${PORT:-8000}/ (Ctrl-C stops)"
exec .venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
