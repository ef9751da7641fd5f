#!/usr/bin/env bash
# Installs everything the app needs into the project folder: a Python >= 3.12 virtualenv with the locked
# packages (uv), the locked npm assets, compiled translations. Idempotent; downloads no Python.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local candidate
  for candidate in python3.13 python3.12 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  local root
  root="$( (command -v pyenv >/dev/null 2>&1 && pyenv root) || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
  for candidate in "$root"/versions/3.1[2-9]*/bin/python "$root"/versions/3.[2-9][0-9]*/bin/python; do
    if [ -x "$candidate" ] && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

PYTHON="${PYTHON:-$(find_python || true)}"
if [ -z "$PYTHON" ]; then
  echo "No Python >= 3.12 found (looked on PATH and in pyenv). Install one, or set PYTHON=/path/to/python3.12." >&2
  exit 1
fi

if ! command -v uv >/dev/null 2>&1; then
  echo "==> installing uv"
  python3 -m pip install --quiet uv || "$PYTHON" -m pip install --quiet uv
fi
export UV_PYTHON_DOWNLOADS=never
echo "==> Python packages (uv sync, $("$PYTHON" --version))"
uv sync --frozen --python "$PYTHON" --quiet

if [ ! -f node_modules/bootstrap/dist/css/bootstrap.min.css ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> front-end assets (npm ci)"
  npm ci --no-audit --no-fund --silent
fi

mkdir -p var
.venv/bin/python manage.py compile_translations >/dev/null
