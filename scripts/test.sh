#!/usr/bin/env bash
# `make test`: install what the app needs, then run the whole suite with pytest.
# Against PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set (CI sets them via scripts/services.sh);
# with CI=true a missing service fails the run instead of being skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check --quiet .
.venv/bin/ruff format --check --quiet .
# The shape of the code (pyproject.toml [tool.importlinter]): apps import downwards only, views stand on top.
.venv/bin/lint-imports --no-cache --no-logo >/dev/null || { .venv/bin/lint-imports --no-cache --no-logo; exit 1; }
# Every model change comes with its migration.
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null
# Types (django-stubs) on the apps that pass so far; pyproject.toml [tool.mypy] is the config.
.venv/bin/mypy provinces search notifications dashboards devdata/management api accounts audit privacy readiness briefings
# One pytest worker per core (pytest-xdist; each has its own test database and Redis database), whole files
# per worker so that module fixtures are built once. TEST_WORKERS=0 runs in this process only.
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" --dist loadfile "$@"
