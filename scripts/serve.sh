#!/usr/bin/env sh
# Serves the app with gunicorn (production image and docker-compose.yml). X-Forwarded-Proto (https behind the
# proxy) is believed only from DJANGO_TRUSTED_PROXIES, the same proxies whose X-Forwarded-For names the client
# for login throttling (config/proxy.py); unset, nothing is trusted. docs/operations.md, "Behind the proxy".
set -eu
cd "$(dirname "$0")/.."
exec gunicorn config.wsgi:application \
  --bind "${GUNICORN_BIND:-0.0.0.0:8000}" \
  --workers "${GUNICORN_WORKERS:-2}" \
  --forwarded-allow-ips "${DJANGO_TRUSTED_PROXIES:-}" \
  --access-logfile - \
  "$@"
