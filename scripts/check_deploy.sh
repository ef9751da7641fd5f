#!/usr/bin/env bash
# Runs `manage.py check --deploy` with production settings and placeholder (but strong) values.
set -euo pipefail
cd "$(dirname "$0")/.."
DJANGO_SETTINGS_MODULE=config.settings.production \
DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')}" \
DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-planner.example.go.th}" \
DATABASE_URL="${DATABASE_URL:-postgres://u:p@127.0.0.1:5432/db}" \
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}" \
  .venv/bin/python manage.py check --deploy --fail-level WARNING
