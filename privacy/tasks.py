"""Celery tasks of the privacy app: thin — call the service. Run daily by Celery beat (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="privacy.purge_expired")
def purge_expired() -> dict[str, int]:
    from . import services

    result = services.purge_expired()
    return {"access_log_entries": result.access_log_entries, "notifications": result.notifications}
