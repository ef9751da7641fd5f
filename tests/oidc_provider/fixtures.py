"""Fixtures (tests/conftest.py imports them): the test provider of this folder in a subprocess for the session,
the planner configured for it, and the steps a browser takes through it (provider_sign_in), done with httpx."""

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.oidc_provider.users import CLIENT_ID, CLIENT_SECRET, PASSWORD

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class RunningProvider:
    base: str  # http://127.0.0.1:PORT

    @property
    def issuer(self) -> str:
        return self.base + "/o"


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oidc-provider")
    port = free_port()
    env = {
        **os.environ,
        "OIDC_PROVIDER_DB": str(folder / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": str(folder / "signing-key.pem"),
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
    }
    log = (folder / "provider.log").open("w")
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    provider = RunningProvider(base=f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(provider.issuer + "/.well-known/openid-configuration", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the test OIDC provider did not start:\n" + (folder / "provider.log").read_text())
        time.sleep(0.3)
    yield provider
    process.terminate()
    process.wait(timeout=20)
    log.close()


@pytest.fixture
def oidc_settings(settings, oidc_provider):
    """The planner configured for the test provider, as the environment would configure it."""
    settings.OIDC_ISSUER_URL = oidc_provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {
        **policy["DIRECTIVES"],
        "form-action": [*policy["DIRECTIVES"]["form-action"], oidc_provider.base],
    }
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    return settings


def provider_sign_in(browser: httpx.Client, authorize_url: str, username: str) -> str:
    """What the person does at the provider: opens the authorization URL, is asked to log in, logs in. Returns
    the URL the provider sends the browser back to (the planner's callback with code and state)."""
    response = browser.get(authorize_url)
    assert response.status_code == 302, response.text
    login_url = str(response.url.join(response.headers["location"]))
    form = browser.get(login_url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    split = urlsplit(authorize_url)
    response = browser.post(
        login_url,
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": PASSWORD,
            "next": f"{split.path}?{split.query}",
        },
    )
    assert response.status_code == 302, response.text
    response = browser.get(str(response.url.join(response.headers["location"])))
    assert response.status_code == 302, response.text
    return response.headers["location"]


@pytest.fixture
def provider_browser(oidc_provider):
    """The person's browser at the provider (its own cookies; a new one per test)."""
    with httpx.Client(follow_redirects=False, timeout=30) as browser:
        yield browser
