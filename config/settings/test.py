"""Test settings: the same app, with fast hashing; services come from the environment as anywhere else."""

from .base import *  # noqa: F403

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

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's in-memory default: the live-server tests (concurrent saves) need several
    # connections, each in its own thread, to one database. Durability does not matter for a test database.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"asean-test-{os.getpid()}.sqlite3")  # noqa: F405
    }
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous=OFF;"  # noqa: F405
