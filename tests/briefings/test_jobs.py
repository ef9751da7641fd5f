"""The job: request (reuse while one is waiting or running), the Celery task (thin, ids only), failure with
a message, the sweep that rescues jobs whose worker died, retry. Tasks run in-process here (no broker)."""

import datetime as dt

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.storage import default_storage
from django.utils import timezone

from briefings import rendering, services, tasks
from briefings.choices import BriefingStatus
from briefings.models import Briefing
from briefings.services import BriefingError

from .conftest import pdf_text, squash

pytestmark = pytest.mark.django_db


def request(by, **kw):
    return services.briefing_request_by_code(
        **{"kind": "cluster", "subject": "N-UP1", "fiscal_year": 2570, "by": by, **kw}
    )


@pytest.fixture
def queued(monkeypatch):
    """Record what would be sent to the broker instead of running it."""
    sent = []
    monkeypatch.setattr(tasks.briefing_render_task, "delay", lambda *args, **kw: sent.append((args, kw)))
    return sent


def test_it_queues_the_render_after_commit_passing_the_id_only(
    secretariat, round_2570, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        briefing, created = request(secretariat)
    assert created and briefing.status == BriefingStatus.QUEUED and queued == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert queued == [((briefing.pk,), {})]
    assert briefing.requested_by == secretariat and briefing.queued_at and briefing.attempts == 0


def test_it_reuses_a_waiting_or_running_identical_briefing(
    secretariat, advisor, round_2570, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, created = request(secretariat)
        again, created_again = request(advisor)  # anyone who may see it: same meeting, same paper
    assert created and not created_again and again.pk == first.pk
    assert len(queued) == 1
    Briefing.objects.filter(pk=first.pk).update(status=BriefingStatus.RUNNING, started_at=timezone.now())
    assert request(secretariat)[0].pk == first.pk
    other_language, created = request(secretariat, language="en")
    assert created and other_language.pk != first.pk
    Briefing.objects.filter(pk=first.pk).update(status=BriefingStatus.DONE, file="briefings/x.pdf")
    fresh, created = request(secretariat)  # a finished one is not reused: the data may have changed
    assert created and fresh.pk not in (first.pk, other_language.pk)


def test_a_planner_gets_their_own_view_of_the_cluster_never_someone_elses_job(
    secretariat, planner, planner_lampang, round_2570, queued
):
    """Each planner sees other member provinces' strategies not at all: their cluster briefing is made for
    them, so neither the secretariat's waiting job nor another planner's is handed to them."""
    secretariats, _ = request(secretariat)
    chiang_mai, created = request(planner)
    assert created and chiang_mai.pk != secretariats.pk and chiang_mai.audience == "TH-50"
    lampang, created = request(planner_lampang)
    assert created and lampang.pk not in (secretariats.pk, chiang_mai.pk) and lampang.audience == "TH-52"
    assert request(planner)[0].pk == chiang_mai.pk  # the same view is reused
    assert (
        secretariats.audience == "" and request(planner, kind="province", subject="TH-50")[0].audience == ""
    )


def test_a_render_is_refused_when_the_requesters_view_has_changed(cluster_filled, planner, queued):
    """Made for its requester only: moved to another province meanwhile, they would get another view."""
    from provinces.models import Province

    briefing, _ = request(planner)
    planner.scope.province = Province.objects.get(code="TH-52")
    planner.scope.save()
    done = services.briefing_render(briefing=Briefing.objects.get(pk=briefing.pk))
    assert done.status == BriefingStatus.FAILED and "ขอเอกสารสรุปใหม่" in done.error and not done.file


def test_it_refuses_subjects_and_figures_out_of_the_users_scope(
    planner, secretariat_other, round_2570, queued
):
    with pytest.raises(BriefingError):
        request(secretariat_other)  # another cluster
    with pytest.raises(BriefingError):
        request(planner, kind="national", subject="TH")
    with pytest.raises(BriefingError):
        request(planner, include_unapproved=True)  # a planner never sees the other provinces' drafts
    with pytest.raises(BriefingError):
        request(planner, fiscal_year=2599)  # no such round
    briefing, created = request(planner, kind="province", subject="th-50", include_unapproved=True)
    assert created and briefing.subject == "TH-50" and briefing.includes_unapproved


def test_it_renders_in_process_without_a_broker(
    cluster_filled, secretariat, django_capture_on_commit_callbacks, monkeypatch
):
    from config.celery_app import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)  # the embedded default, even where Redis is set
    with django_capture_on_commit_callbacks(execute=True):
        briefing, _ = request(secretariat, include_unapproved=True)
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.DONE, briefing.error
    assert briefing.progress_percent == 100 and briefing.attempts == 1 and briefing.is_draft
    assert briefing.started_at <= briefing.finished_at and briefing.render_seconds > 0
    assert briefing.file.name.startswith("briefings/") and briefing.size == briefing.file.size
    with briefing.file.open("rb") as handle:
        assert squash("กลุ่มจังหวัดภาคเหนือตอนบน 1") in squash(pdf_text(handle.read()))


def test_it_reports_progress_while_it_renders(cluster_filled, secretariat, monkeypatch, queued):
    briefing, _ = request(secretariat)
    seen = []
    real = rendering.briefing_pdf

    def spy(spec, *, viewer, progress):
        def watch(step, percent):
            progress(step, percent)
            row = Briefing.objects.get(pk=briefing.pk)
            seen.append((row.status, row.progress_percent))

        return real(spec, viewer=viewer, progress=watch)

    monkeypatch.setattr(rendering, "briefing_pdf", spy)
    services.briefing_render(briefing=briefing)
    assert [s for s, _ in seen] == ["running"] * len(seen) and len(seen) >= 3
    assert [p for _, p in seen] == sorted(p for _, p in seen)


def test_it_marks_the_job_failed_with_a_message_when_the_render_raises(
    secretariat, round_2570, monkeypatch, queued, caplog
):
    briefing, _ = request(secretariat)

    def broken(spec, *, viewer, progress):
        raise RuntimeError("cairo exploded")

    monkeypatch.setattr(rendering, "briefing_pdf", broken)
    assert tasks.briefing_render_task.apply(args=[briefing.pk]).get() == BriefingStatus.FAILED
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.FAILED and briefing.finished_at
    assert str(briefing.pk) in briefing.error and "cairo" not in briefing.error  # for users, not a traceback
    assert "cairo exploded" in caplog.text  # ...which is in the log
    assert not default_storage.exists("briefings") or not default_storage.listdir("briefings")[1]


def test_it_marks_the_job_failed_when_the_task_itself_raises(secretariat, round_2570, monkeypatch, queued):
    briefing, _ = request(secretariat)

    def broken(*, briefing):
        raise RuntimeError("escaped the service")

    monkeypatch.setattr(services, "briefing_render", broken)
    result = tasks.briefing_render_task.apply(args=[briefing.pk])
    assert result.failed()
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.FAILED and briefing.error


def test_it_stops_a_render_that_passes_the_soft_time_limit(secretariat, round_2570, monkeypatch, queued):
    briefing, _ = request(secretariat)

    def slow(spec, *, viewer, progress):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(rendering, "briefing_pdf", slow)
    services.briefing_render(briefing=briefing)
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.FAILED and "90" in briefing.error


def test_it_takes_a_job_only_once(cluster_filled, secretariat, queued):
    briefing, _ = request(secretariat)
    assert services.briefing_render(briefing=briefing).status == BriefingStatus.DONE
    again = services.briefing_render(briefing=briefing)  # a redelivered message: nothing to do
    assert again.status == BriefingStatus.DONE and again.attempts == 1


def test_it_discards_its_file_when_the_job_was_swept_meanwhile(
    cluster_filled, secretariat, monkeypatch, queued
):
    """A worker given up for dead that wakes up again must not overwrite what happened since."""
    briefing, _ = request(secretariat)
    real = rendering.briefing_pdf

    def swept_meanwhile(spec, *, viewer, progress):
        result = real(spec, viewer=viewer, progress=progress)
        Briefing.objects.filter(pk=briefing.pk).update(status=BriefingStatus.FAILED, error="swept")
        return result

    monkeypatch.setattr(rendering, "briefing_pdf", swept_meanwhile)
    before = {f for _, _, names in _walk("briefings") for f in names}
    services.briefing_render(briefing=briefing)
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.FAILED and briefing.error == "swept" and not briefing.file
    files = [f for _, _, names in _walk("briefings") for f in names]
    assert set(files) <= before


def _walk(folder):
    if not default_storage.exists(folder):
        return
    dirs, files = default_storage.listdir(folder)
    yield folder, dirs, files
    for d in dirs:
        yield from _walk(f"{folder}/{d}")


# --- the sweep ------------------------------------------------------------------------------------


def _running(make_briefing, minutes_ago: float, attempts: int, subject="N-UP1"):
    return make_briefing(
        subject=subject,
        status=BriefingStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        attempts=attempts,
        progress_percent=40,
    )


def test_it_sweeps_a_job_left_running_past_its_limit_into_a_retry_then_a_failure(
    make_briefing, settings, queued, django_capture_on_commit_callbacks
):
    settings.BRIEFING_TIME_LIMIT, settings.BRIEFING_SWEEP_MARGIN, settings.BRIEFING_MAX_ATTEMPTS = 120, 30, 2
    fresh = _running(
        make_briefing, minutes_ago=2, attempts=1, subject="NE-UP1"
    )  # 120 s: within the limit and margin
    stuck = _running(make_briefing, minutes_ago=3, attempts=1)  # 180 s: its worker is gone
    with django_capture_on_commit_callbacks(execute=True):
        assert services.briefing_sweep() == {"requeued": 1, "failed": 0}
    fresh.refresh_from_db()
    stuck.refresh_from_db()
    assert fresh.status == BriefingStatus.RUNNING
    assert stuck.status == BriefingStatus.QUEUED and stuck.progress_percent == 0
    assert queued == [((stuck.pk,), {})]  # queued again for a worker
    # It was started again, and its worker died again: no attempts left.
    Briefing.objects.filter(pk=stuck.pk).update(status=BriefingStatus.RUNNING, attempts=2)
    later = timezone.now() + dt.timedelta(minutes=10)
    assert services.briefing_sweep(now=later) == {"requeued": 1, "failed": 1}  # fresh has aged meanwhile
    stuck.refresh_from_db()
    assert stuck.status == BriefingStatus.FAILED and stuck.finished_at == later
    assert stuck.error and stuck.progress_step


def test_it_sweeps_through_the_scheduled_task(make_briefing, queued):
    stuck = _running(make_briefing, minutes_ago=60, attempts=2)
    tasks.briefing_sweep_task.apply().get()
    stuck.refresh_from_db()
    assert stuck.status == BriefingStatus.FAILED


def test_it_fails_a_job_no_worker_took_up_when_a_broker_is_used(make_briefing, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    waiting = make_briefing(status=BriefingStatus.QUEUED, queued_at=timezone.now() - dt.timedelta(hours=2))
    recent = make_briefing(status=BriefingStatus.QUEUED, subject="NE-UP1")
    assert services.briefing_sweep() == {"requeued": 0, "failed": 1}
    waiting.refresh_from_db()
    recent.refresh_from_db()
    assert waiting.status == BriefingStatus.FAILED and recent.status == BriefingStatus.QUEUED


def test_it_retries_a_failed_briefing(make_briefing, secretariat, queued, django_capture_on_commit_callbacks):
    failed = make_briefing(
        status=BriefingStatus.FAILED, attempts=2, finished_at=timezone.now(), requested_by=secretariat
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = services.briefing_retry(briefing=failed, by=secretariat)
    assert again.pk == failed.pk and again.status == BriefingStatus.QUEUED
    assert again.error == "" and again.attempts == 0 and again.finished_at is None
    assert queued == [((failed.pk,), {})]
    with pytest.raises(BriefingError):
        services.briefing_retry(briefing=again, by=secretariat)  # only failed ones


def test_it_retries_into_an_identical_briefing_already_waiting(make_briefing, secretariat, queued):
    failed = make_briefing(status=BriefingStatus.FAILED, requested_by=secretariat)
    waiting = make_briefing(status=BriefingStatus.QUEUED, requested_by=secretariat)
    assert services.briefing_retry(briefing=failed, by=secretariat).pk == waiting.pk
    failed.refresh_from_db()
    assert failed.status == BriefingStatus.FAILED
