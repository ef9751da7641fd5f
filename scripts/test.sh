#!/usr/bin/env bash
# `make test`: install what the app needs, then run the whole suite with pytest.
# Against PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set (CI sets them via scripts/services.sh);
# with CI=true a missing service fails the run instead of being skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check --quiet .
exec .venv/bin/python -m pytest "$@"
