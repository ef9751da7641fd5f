"""The platform under the app: setup commands, production settings, compose, Celery on Redis, translations."""

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.conftest import services_or_skip

ROOT = Path(__file__).resolve().parent.parent


def _env_without_services(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_it_runs_make_run_embedded_twice_without_duplicating_data(tmp_path):
    """The README's run command, in a scratch var/ folder, with no services: SQLite, in-process tasks."""
    env = _env_without_services(APP_VAR_DIR=str(tmp_path), SETUP_ONLY="1")
    for _ in range(2):
        done = subprocess.run(["make", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "planner" in done.stdout and "advisor" in done.stdout and "secretariat" in done.stdout
    db = sqlite3.connect(tmp_path / "db.sqlite3")
    assert db.execute("select count(*) from provinces_province").fetchone()[0] == 77
    assert db.execute("select count(*) from provinces_cluster").fetchone()[0] == 18
    assert db.execute("select count(*) from auth_user").fetchone()[0] == 4
    assert db.execute("select count(*) from readiness_round").fetchone()[0] == 3
    assert db.execute("select role from provinces_userscope order by role").fetchall() == [
        ("admin",),
        ("advisor",),
        ("planner",),
        ("secretariat",),
    ]

    # ...and it serves the Thai login page. Start-up (system checks, WeasyPrint's imports) can take
    # tens of seconds when the rest of the suite is using both cores, so wait by a deadline and say
    # why the server stopped if it did.
    port = _free_port()
    log = tmp_path / "runserver.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT, env=_env_without_services(APP_VAR_DIR=str(tmp_path)),
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        html = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                html = (
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=10)
                    .read()
                    .decode()
                )
                break
            except OSError:
                time.sleep(0.5)
        if html is None:
            pytest.fail(f"runserver did not answer (exit code {server.poll()}): {log.read_text()[-2000:]}")
        assert "เข้าสู่ระบบ" in html
    finally:
        server.terminate()
        server.wait(10)


def test_it_passes_the_deployment_checks_with_production_settings():
    done = subprocess.run(
        ["scripts/check_deploy.sh"],
        cwd=ROOT,
        env=_env_without_services(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOWED_HOSTS"]
)
def test_it_refuses_to_start_production_without_a_required_setting(missing):
    env = _env_without_services(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="planner.example.go.th",
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/db",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    env.pop(missing)
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert missing in done.stderr


def test_it_keeps_docker_compose_valid():
    done = subprocess.run(["scripts/compose_config.sh"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_it_runs_a_task_on_a_real_celery_worker_through_redis():
    services_or_skip("Redis (REDIS_URL)", bool(settings.REDIS_URL))
    from celery.contrib.testing.worker import start_worker

    from config.celery_app import app, ping

    assert not app.conf.task_always_eager
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert ping.delay().get(timeout=20) == "pong"


def test_it_runs_tasks_in_process_without_redis():
    env = _env_without_services()
    code = "import django; django.setup(); from config.celery_app import ping; print(ping.delay().get())"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.local"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.stdout.strip() == "pong", done.stderr


PO = ROOT / "locale" / "th" / "LC_MESSAGES" / "django.po"


def test_it_has_a_complete_thai_translation():
    po = polib.pofile(str(PO))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_it_has_every_ui_string_of_the_code_in_the_thai_catalogue(tmp_path):
    """makemessages over a copy of the code finds no string that the committed .po lacks."""
    services_or_skip("gettext (xgettext)", shutil.which("xgettext") is not None)
    # makemessages writes next to the sources it scans, so it runs on a scratch copy.
    for entry in ROOT.iterdir():
        if entry.name in {"config", "templates", "locale", "manage.py"} or (entry / "apps.py").exists():
            copy = shutil.copytree if entry.is_dir() else shutil.copy
            copy(entry, tmp_path / entry.name)
    scratch_po = tmp_path / "locale" / "th" / "LC_MESSAGES" / "django.po"
    scratch_po.unlink()
    env = _env_without_services(APP_VAR_DIR=str(tmp_path / "var"), APP_LOCALE_DIR=str(tmp_path / "locale"))
    done = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "th", "--no-location"],
        cwd=tmp_path, env={**env, "PYTHONPATH": str(tmp_path)}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    extracted = {e.msgid for e in polib.pofile(str(scratch_po))}
    committed = {e.msgid for e in polib.pofile(str(PO))}
    assert len(extracted) > 100
    assert sorted(extracted - committed) == []


def test_it_loads_three_demo_rounds_with_every_province_in_various_states(reference):
    from django.contrib.auth.models import User

    from devdata.demo_readiness import demo_readiness_load
    from devdata.demo_users import demo_users_load
    from readiness.models import Assessment, Round

    demo_users_load()
    planner, advisor = User.objects.get(username="planner"), User.objects.get(username="advisor")
    assert demo_readiness_load(planner=planner, advisor=advisor)
    assert list(Round.objects.order_by("fiscal_year").values_list("fiscal_year", "status")) == [
        (2568, "closed"),
        (2569, "closed"),
        (2570, "open"),
    ]
    assert Assessment.objects.filter(round__fiscal_year=2569).count() == 77
    states = set(Assessment.objects.filter(round__fiscal_year=2570).values_list("status", flat=True))
    assert states == {"draft", "submitted", "returned", "approved"}
    assert not demo_readiness_load(planner=planner, advisor=advisor)  # a second run changes nothing
    assert Assessment.objects.count() == 77 * 2 + Assessment.objects.filter(round__fiscal_year=2570).count()
