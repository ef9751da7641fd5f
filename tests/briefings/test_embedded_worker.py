"""The embedded default renders in the background too: `make run` starts a Celery worker on kombu's
filesystem transport (no server), and a requested briefing goes queued → running → done through it, with
the same progress as on Redis. Here the worker is a real process on this test's database."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from briefings import services
from briefings.models import Briefing
from config.celery_app import app

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)


def _database_url() -> str:
    """This test's own database, for the worker process."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + name))


def _new_connection_pool() -> None:
    """Connections to the old broker are closed; the next send opens one to the configured broker."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None  # it holds connections of the old pool


@pytest.fixture
def filesystem_broker(tmp_path, monkeypatch):
    """This process sends through the filesystem transport in tmp_path, as `make run`'s web server does."""
    queue = tmp_path / "celery" / "queue"
    queue.mkdir(parents=True)
    (tmp_path / "celery" / "control").mkdir()
    options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(tmp_path / "celery" / "control"),
        "store_processed": False,
    }
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "broker_transport_options")}
    app.conf.update(broker_url="filesystem://", task_always_eager=False, broker_transport_options=options)
    monkeypatch.setattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    _new_connection_pool()
    try:
        yield tmp_path
    finally:
        app.conf.update(saved)
        _new_connection_pool()


def test_a_briefing_renders_in_the_background_on_the_embedded_worker(
    filesystem_broker, cluster_filled, secretariat
):
    env = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": "filesystem://",
        "APP_VAR_DIR": str(filesystem_broker),
        "APP_MEDIA_DIR": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
    }
    log = (filesystem_broker / "worker.log").open("w")
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "--pool=solo", "-l", "INFO",
         "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        job, created = services.briefing_request_by_code(
            kind="cluster", subject="N-UP1", fiscal_year=2570, by=secretariat
        )
        assert created
        seen = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if not seen or seen[-1] != job.status:
                seen.append(job.status)
            if job.status in ("done", "failed"):
                break
            time.sleep(0.05)
        assert job.status == "done", (seen, job.error, (filesystem_broker / "worker.log").read_text()[-2000:])
        assert seen[0] == "queued" and "running" in seen  # the request returned before the render: background
        assert Briefing.objects.get(pk=job.pk).file.open("rb").read(5) == b"%PDF-"
    finally:
        worker.terminate()
        worker.wait(30)
