"""With a real Celery worker on Redis, as in production: the worker is a separate process started here,
on the test's PostgreSQL database and media folder. (CI has both services; elsewhere these skip.)"""

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from briefings import services
from briefings.choices import BriefingStatus
from briefings.models import Briefing
from tests.conftest import services_or_skip

from .conftest import N_UP1_TH, pdf_text, squash

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)


def _test_database_url() -> str:
    """DATABASE_URL, pointed at the database pytest-django created for this run."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture
def worker(tmp_path):
    """start() → a Celery worker process (solo pool), stopped at the end of the test."""
    services_or_skip("Redis (REDIS_URL)", bool(settings.REDIS_URL))
    services_or_skip("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _test_database_url(),
        "APP_MEDIA_DIR": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
    }
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        name = f"briefings-test-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
        log = (tmp_path / f"worker-{len(started)}.log").open("w")
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "--pool=solo",
             "--concurrency=1", "-l", "WARNING", "-n", name, "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append(process)
        # No ping: a solo worker answers only between tasks. The job's own status shows it working.
        time.sleep(0.2)
        if process.poll() is not None:
            pytest.fail(f"the worker exited: {(tmp_path / f'worker-{len(started) - 1}.log').read_text()}")
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def _follow(pk: int, until, timeout: float = 60) -> list[str]:
    """Poll the job every 20 ms; the statuses it went through, until ``until(job)`` or the timeout."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Briefing.objects.get(pk=pk)
        if not seen or seen[-1] != job.status:
            seen.append(job.status)
        if until(job):
            return seen
        time.sleep(0.02)
    pytest.fail(f"briefing {pk} still {seen[-1]} after {timeout} s (went through {seen})")


def test_a_cluster_briefing_goes_queued_running_done_on_a_real_worker(worker, cluster_filled, secretariat):
    briefing, created = services.briefing_request(
        kind="cluster", subject="N-UP1", fiscal_year=2570, by=secretariat, include_unapproved=True
    )
    assert created and Briefing.objects.get(pk=briefing.pk).status == BriefingStatus.QUEUED
    worker()  # only now: the job was waiting in Redis for a worker
    seen = _follow(briefing.pk, lambda job: job.status in (BriefingStatus.DONE, BriefingStatus.FAILED))
    briefing.refresh_from_db()
    assert seen == ["queued", "running", "done"], briefing.error
    assert briefing.attempts == 1 and briefing.started_at < briefing.finished_at and briefing.pages >= 5
    with briefing.file.open("rb") as handle:
        text = squash(pdf_text(handle.read()))
    assert squash("กลุ่มจังหวัดภาคเหนือตอนบน 1") in text
    for name in N_UP1_TH:
        assert squash(name) in text


def test_a_job_whose_worker_is_killed_mid_render_is_swept_and_done_by_another(
    worker, cluster_filled, advisor
):
    briefing, _ = services.briefing_request(kind="national", subject="TH", fiscal_year=2570, by=advisor)
    first = worker()
    _follow(briefing.pk, lambda job: job.status == BriefingStatus.RUNNING)
    os.kill(first.pid, signal.SIGKILL)  # the worker we started, mid-render
    first.wait(20)
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.RUNNING  # nobody is left to finish it...
    limit = settings.BRIEFING_TIME_LIMIT + settings.BRIEFING_SWEEP_MARGIN
    later = timezone.now() + dt.timedelta(seconds=limit + 1)
    assert services.briefing_sweep(now=later) == {"requeued": 1, "failed": 0}  # ...until the sweep
    worker()
    _follow(briefing.pk, lambda job: job.status in (BriefingStatus.DONE, BriefingStatus.FAILED), timeout=90)
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.DONE and briefing.attempts == 2, briefing.error
