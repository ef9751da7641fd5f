"""Test settings: the same app, with fast hashing; services come from the environment as anywhere else."""

import os
from urllib.parse import urlsplit, urlunsplit

# Under pytest-xdist each worker process (gw0, gw1 …) gets a Redis database of its own, as it gets a
# database of its own from pytest-django: a Celery worker one test starts never takes another's tasks.
# Set in the environment, so that the worker processes tests start inherit it.
if (_xdist := os.environ.get("PYTEST_XDIST_WORKER", "")).startswith("gw") and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = urlunsplit(
        urlsplit(os.environ["REDIS_URL"])._replace(path=f"/{11 + int(_xdist[2:]) % 5}")
    )

from .base import *  # noqa: E402, F403

SECRET_KEY = "tests-only-not-secret"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
AXES_FAILURE_LIMIT = 3

# Uploaded evidence goes to a throw-away folder, never into the developer's var/.
import tempfile  # noqa: E402

STORAGES["default"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": os.environ.get("APP_MEDIA_DIR") or tempfile.mkdtemp(prefix="asean-test-media-")},  # noqa: F405 (APP_MEDIA_DIR: shared with a Celery worker a test starts)
}

# Mail, where a test does not catch it (Django's test runner swaps in its in-memory outbox; a Celery worker
# a test starts does not): files in a throw-away folder, never the developer's var/mail/.
if MAILERS["default"]["BACKEND"].endswith("filebased.EmailBackend"):  # noqa: F405
    MAILERS["default"]["OPTIONS"]["file_path"] = os.environ.get("EMAIL_FILE_PATH") or tempfile.mkdtemp(  # noqa: F405
        prefix="asean-test-mail-"
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's in-memory default: the live-server tests (concurrent saves) need several
    # connections, each in its own thread, to one database. Durability does not matter for a test database.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"asean-test-{os.getpid()}.sqlite3")  # noqa: F405
    }
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous=OFF;"  # noqa: F405

# Saving, importing or generating strategies does not encode their meaning vectors in tests (Celery runs eagerly
# here, and loading the encoder costs seconds): the tests of the vectors switch it on (test_embeddings.py).
STRATEGY_EMBEDDINGS_AUTO = False
