"""Production: PostgreSQL, Redis, gunicorn behind a proxy. Missing settings fail loudly at start-up."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Production needs the environment variable {name}.")
    return value


DEBUG = False
SECRET_KEY = required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or [required("DJANGO_ALLOWED_HOSTS")]
required("DATABASE_URL")
required("REDIS_URL")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# No SECURE_PROXY_SSL_HEADER: Django would believe X-Forwarded-Proto from anyone who can reach gunicorn. The
# scheme is gunicorn's (wsgi.url_scheme), which takes X-Forwarded-Proto only from --forwarded-allow-ips, the
# trusted proxies (DJANGO_TRUSTED_PROXIES, scripts/serve.sh).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container health check asks gunicorn directly, over http
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Real mail by default in production (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, ... from the environment).
MAILERS = mailers_from_environment("django.core.mail.backends.smtp.EmailBackend")  # noqa: F405
IS_PRODUCTION = True
