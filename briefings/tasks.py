"""Celery tasks of the briefings app: thin — load by id, call the service.

Render: ``acks_late`` (the message is acknowledged only after the task finished, so a worker that dies
mid-render gives it back to the queue), soft and hard time limits from settings, and a few retries for a
database that is briefly unreachable before the job was claimed. Whatever escapes the service marks the
job failed (on_failure). A worker killed outright leaves its job "running": the sweep rescues it.
Sweep: run by Celery beat every minute (CELERY_BEAT_SCHEDULE) and cheaply on page loads.
"""

import logging

from celery import Task, shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class BriefingTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from . import services

        briefing_id = args[0] if args else kwargs.get("briefing_id")
        logger.error("Briefing task %s for briefing %s failed: %r", task_id, briefing_id, exc)
        try:
            services.briefing_fail(
                briefing_id=briefing_id,
                message=_(
                    "The briefing could not be prepared. Try again; if it fails again, tell the administrator."
                ),
            )
        except Exception:  # the database itself may be what failed; the sweep will catch up
            logger.exception("Could not mark briefing %s failed", briefing_id)


@shared_task(
    bind=True,
    base=BriefingTask,
    name="briefings.render",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=getattr(settings, "BRIEFING_SOFT_TIME_LIMIT", 90),
    time_limit=getattr(settings, "BRIEFING_TIME_LIMIT", 120),
    autoretry_for=(OperationalError,),
    max_retries=2,
    retry_backoff=2,
)
def briefing_render_task(self, briefing_id: int) -> str:
    from . import services
    from .models import Briefing

    briefing = Briefing.objects.filter(pk=briefing_id).first()
    if briefing is None:
        return "missing"
    return services.briefing_render(briefing=briefing).status


@shared_task(name="briefings.sweep", ignore_result=True)
def briefing_sweep_task() -> dict:
    from . import services

    return services.briefing_sweep()
