# One image for the web service and the Celery worker (docker-compose.yml reuses it).
FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/opt/venv
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 nodejs npm \
    && rm -rf /var/lib/apt/lists/* && pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock package.json package-lock.json ./
RUN uv sync --frozen --no-dev --python /usr/local/bin/python && npm ci --no-audit --no-fund
COPY . .
ENV PATH="/opt/venv/bin:$PATH" DJANGO_SETTINGS_MODULE=config.settings.production
RUN python manage.py compile_translations \
    && DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=build DATABASE_URL=sqlite:///tmp/build.db REDIS_URL=redis://build \
       python manage.py collectstatic --no-input -v0
EXPOSE 8000
CMD ["scripts/serve.sh"]
