"""Shared fixtures: the reference data and the fixed cast of users every test speaks of.

The cast: a planner of Chiang Mai (TH-50) and one of Lampang (TH-52, same cluster), the secretariat of
Upper Northern Cluster 1 (N-UP1) and of another cluster (NE-UP1), an advisor, an administrator, anonymous.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

# pytest-django's live_server runs in a thread while Playwright's sync API runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _redis_reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=2):
            return True
    except OSError:
        return False


def pytest_sessionstart(session):
    """In CI a missing service is a failure, never a skip."""
    if not IN_CI:
        return
    problems = []
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        problems.append("DATABASE_URL must point at PostgreSQL in CI")
    if not os.environ.get("REDIS_URL") or not _redis_reachable(os.environ["REDIS_URL"]):
        problems.append("REDIS_URL must point at a running Redis in CI")
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        problems.append(f"Chromium not found at {CHROMIUM}")
    if not shutil.which("pdftoppm"):
        problems.append("pdftoppm (poppler-utils) not found")
    if problems:
        pytest.exit("CI=true but services are missing: " + "; ".join(problems), returncode=3)


def services_or_skip(what: str, available: bool) -> None:
    """Outside CI a test that needs a service skips with a reason; in CI it fails."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI")
    pytest.skip(f"{what} not available (run `make services` and export its variables)")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from provinces.services import reference_data_load

    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture
def reference(db):
    """The reference data. Reloaded when a transactional test (live server) has flushed the database."""
    from provinces.models import Province
    from provinces.services import reference_data_load

    if not Province.objects.exists():
        reference_data_load()
    _restore_migration_data()


def _restore_migration_data():
    """Rows that data migrations create (the matrix criteria) are gone after a transactional test's flush."""
    from importlib import import_module

    from django.apps import apps

    from strategies.models import Criterion

    if not Criterion.objects.exists():
        import_module("strategies.migrations.0002_default_criteria").create(apps, None)


def _make_user(username, role, province=None, cluster=None, **extra):
    from django.contrib.auth.models import User

    from provinces.models import Cluster, Province, UserScope

    user = User.objects.create_user(username=username, password="pw-" + username, **extra)
    if role:
        UserScope.objects.create(
            user=user,
            role=role,
            province=Province.objects.get(code=province) if province else None,
            cluster=Cluster.objects.get(code=cluster) if cluster else None,
        )
    return user


@pytest.fixture
def planner(reference):
    return _make_user("planner_cm", "planner", province="TH-50", first_name="สมศรี", last_name="ใจดี")


@pytest.fixture
def planner_lampang(reference):
    return _make_user("planner_lp", "planner", province="TH-52")


@pytest.fixture
def secretariat(reference):
    return _make_user("sec_nup1", "secretariat", cluster="N-UP1")


@pytest.fixture
def secretariat_other(reference):
    return _make_user("sec_neup1", "secretariat", cluster="NE-UP1")


@pytest.fixture
def advisor(reference):
    return _make_user("advisor", "advisor")


@pytest.fixture
def admin_user(reference):
    return _make_user("admin", "admin", is_staff=True, is_superuser=True)


@pytest.fixture
def cast(planner, planner_lampang, secretariat, secretariat_other, advisor, admin_user):
    """Every member of the cast by role name; None stands for an anonymous visitor."""
    return {
        "anonymous": None,
        "planner": planner,
        "planner_lampang": planner_lampang,
        "secretariat": secretariat,
        "secretariat_other": secretariat_other,
        "advisor": advisor,
        "admin": admin_user,
    }


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client logged in as that user (or anonymous for None)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


# --- browser (Playwright with Debian's Chromium; `playwright install` cannot download here) ---


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        services_or_skip("Chromium", False)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


# The test OpenID Connect provider (a subprocess) for the sign-in tests, tests/accounts and tests/e2e.
from tests.oidc_provider.fixtures import oidc_provider, oidc_settings, provider_browser  # noqa: E402, F401

# Readiness rounds are used by the access matrix as well as by the readiness tests.
from tests.readiness.conftest import round_2569, round_2570  # noqa: E402, F401
