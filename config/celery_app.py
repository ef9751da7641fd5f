"""The Celery app. Settings come from Django's (CELERY_*); with no REDIS_URL tasks run in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("asean_readiness")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="config.ping")
def ping() -> str:
    """Answers 'pong': lets operators and tests check that a worker is consuming the queue."""
    return "pong"
