"""The embedded default: a newcomer's machine, no services needed."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
# Only for local development; production reads DJANGO_SECRET_KEY and refuses to start without it.
SECRET_KEY = SECRET_KEY or "local-development-only-not-secret"  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
