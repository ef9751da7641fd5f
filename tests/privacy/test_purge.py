"""Retention: the purge deletes access-log entries and notifications past their retention, and nothing else."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from audit.choices import AccessAction
from audit.models import AccessLogEntry
from audit.services import log_access
from privacy import services, tasks

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)


def _entry(user, at):
    entry = log_access(user=user, action=AccessAction.EXPORT, description=at.isoformat())
    AccessLogEntry.objects.filter(pk=entry.pk).update(at=at)


def _notification(user, at):
    from notifications.models import Notification

    return Notification.objects.create(recipient=user, kind=_a_kind(), created_at=at)


def _a_kind():
    from notifications.choices import NotificationKind

    return NotificationKind.values[0]


@pytest.fixture
def aged(planner, settings):
    settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS = 30
    settings.NOTIFICATION_RETENTION_DAYS = 10
    for days in (31, 30, 29, 0):
        _entry(planner, NOW - dt.timedelta(days=days))
    for days in (11, 10, 1):
        _notification(planner, NOW - dt.timedelta(days=days))


def _left():
    from notifications.models import Notification

    log = sorted((NOW - e.at).days for e in AccessLogEntry.objects.all())
    notes = sorted((NOW - n.created_at).days for n in Notification.objects.all())
    return log, notes


def test_it_deletes_only_expired_rows(aged):
    with time_machine.travel(NOW, tick=False):
        result = services.purge_expired()
    assert (result.access_log_entries, result.notifications) == (1, 1)
    assert _left() == ([0, 29, 30], [1, 10])


def test_it_deletes_nothing_when_nothing_has_expired(aged):
    with time_machine.travel(NOW - dt.timedelta(days=5), tick=False):
        assert timezone.now() < NOW
        result = services.purge_expired()
    assert (result.access_log_entries, result.notifications) == (0, 0)


def test_the_task_and_the_command_run_the_same_purge(aged, capsys):
    with time_machine.travel(NOW, tick=False):
        assert tasks.purge_expired.apply().get() == {"access_log_entries": 1, "notifications": 1}
        call_command("purge_expired")
    assert _left() == ([0, 29, 30], [1, 10])
    assert capsys.readouterr().out.strip()


def test_it_runs_every_day_with_celery_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-purge-expired"]
    assert entry["task"] == tasks.purge_expired.name and entry["schedule"] == 24 * 60 * 60
