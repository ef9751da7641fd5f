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
from django.utils.translation import gettext, override

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


def _follow(pk: int, until, timeout: float = 60, logs: Path | None = None) -> list[str]:
    """Poll the job every 20 ms; the statuses it went through, until ``until(job)`` or the timeout (then
    the workers' logs in ``logs`` tell why: a worker that could not start, a render that failed...)."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Briefing.objects.get(pk=pk)
        if not seen or seen[-1] != job.status:
            seen.append(job.status)
        if until(job):
            return seen
        time.sleep(0.02)
    found = sorted(logs.glob("worker-*.log")) if logs else []
    tails = "".join(f"\n--- {log.name}:\n{log.read_text()[-2000:]}" for log in found)
    pytest.fail(f"briefing {pk} still {seen[-1]} after {timeout} s (went through {seen}){tails}")


def test_a_cluster_briefing_goes_queued_running_done_on_a_real_worker(worker, cluster_filled, secretariat):
    briefing, created = services.briefing_request_by_code(
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
    briefing, _ = services.briefing_request_by_code(
        kind="national", subject="TH", fiscal_year=2570, by=advisor
    )
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


def test_a_job_whose_workers_keep_dying_ends_failed_with_a_message_and_a_retry_without_anyone_stepping_in(
    worker, cluster_filled, secretariat, client_for, settings, tmp_path
):
    """Killed on every attempt: the sweep re-queues it while attempts are left, then fails it with a message
    the user reads on the page and a retry that works — at no point does the job wait for an administrator."""
    from briefings.tasks import briefing_sweep_task

    # The sweep's patience, shortened in this process only: "running" for over a second means stuck. (The
    # worker keeps its own limits; the sweep runs here — as Celery beat's task and as the page's poll.)
    settings.BRIEFING_TIME_LIMIT, settings.BRIEFING_SWEEP_MARGIN = 1, 0
    beat = settings.CELERY_BEAT_SCHEDULE["briefings-sweep"]
    assert beat["task"] == briefing_sweep_task.name and beat["schedule"] <= 60  # in production: every minute
    page = client_for(secretariat)
    briefing, _ = services.briefing_request_by_code(
        kind="cluster", subject="N-UP1", fiscal_year=2570, by=secretariat
    )
    process = worker()
    for attempt in range(1, settings.BRIEFING_MAX_ATTEMPTS + 1):
        _follow(
            briefing.pk,
            lambda job: job.status == BriefingStatus.RUNNING and job.attempts == attempt,
            logs=tmp_path,
        )
        os.kill(process.pid, signal.SIGKILL)  # mid-render, every time
        process.wait(20)
        # The next worker boots while the sweep waits; it finds nothing to do until the job is queued again
        # (the job's message went down with the killed worker, unacknowledged).
        process = worker()
        briefing.refresh_from_db()
        assert briefing.status == BriefingStatus.RUNNING and not briefing.file
        time.sleep(max(0.0, 1.05 - (timezone.now() - briefing.started_at).total_seconds()))
        if attempt < settings.BRIEFING_MAX_ATTEMPTS:
            # Celery beat's sweep: attempts are left, so the job goes back to the queue for the next worker.
            assert briefing_sweep_task.apply().get() == {"requeued": 1, "failed": 0}
            assert Briefing.objects.get(pk=briefing.pk).status == BriefingStatus.QUEUED
    # Out of attempts: the page's own status poll sweeps it, and that very answer shows the failure.
    polled = page.get(f"/briefings/{briefing.pk}/status/", headers={"HX-Request": "true"})
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.FAILED and briefing.attempts == settings.BRIEFING_MAX_ATTEMPTS
    with override(briefing.language):
        assert briefing.error == gettext(
            "The worker preparing this briefing stopped before it was finished. Try again; if it "
            "fails again, tell the administrator."
        )
    text = polled.content.decode()
    assert polled.status_code == 200 and briefing.error in text
    assert f'hx-post="/briefings/{briefing.pk}/retry/"' in text and "hx-trigger" not in text  # polling stops
    # The retry on that fragment queues it afresh (attempts start over) and the worker started last finishes it.
    retried = page.post(f"/briefings/{briefing.pk}/retry/", headers={"HX-Request": "true"})
    assert retried.status_code == 200 and 'hx-trigger="every 2s"' in retried.content.decode()
    seen = _follow(
        briefing.pk, lambda job: job.status in (BriefingStatus.DONE, BriefingStatus.FAILED), logs=tmp_path
    )
    briefing.refresh_from_db()
    assert seen[-1] == BriefingStatus.DONE and briefing.attempts == 1 and briefing.file, briefing.error
