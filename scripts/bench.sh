#!/usr/bin/env bash
# `make bench` (not part of `make test`): the benchmark of issue 9 — bench/run.py says what it measures.
# Starts PostgreSQL and Redis (scripts/services.sh) on a database and Redis db of its own, because it deletes
# and regenerates all readiness and strategy data there. Arguments go to bench/run.py (--scale 1|10|both).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(PGDB_NAME="${BENCH_DB:-asean_bench}" REDIS_DB="${BENCH_REDIS_DB:-7}" scripts/services.sh)"
exec .venv/bin/python bench/run.py "$@"
