"""The fuzzing harness: a small world of every kind of object, one savepoint per generated example, and the
checks every example ends with.

Each test builds the world once (function-scoped fixtures), then Hypothesis runs its examples against it; every
example runs inside ``transaction.atomic()`` and is rolled back, so each one starts from the same state. An
example the product refused (4xx, or a redirect carrying only error messages, or a re-rendered form with an
error) must leave no trace: the database fingerprint (row count and a hash of the rows of every app table) and
the media folder are compared with the world's. Whatever the outcome, never a 500 (the test client re-raises
the exception of a crashing view, so Hypothesis shows it and shrinks the input), and every error a user sees is
in Thai (the site's language).

Size: about 1,300 generated cases per run (the sum of max_examples, stated in each module's docstring;
test_budget.py asserts at least 1,000), in about a minute on PostgreSQL. Runs are derandomised: CI replays the
same cases every time. ``FUZZ_SCALE=5`` runs five times as many, freshly random, to explore; the
``--hypothesis-show-statistics`` option shows per test how many cases were refused and how many got through.
"""

import hashlib
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, event, settings

# Every app table the product writes to (history tables and many-to-many tables included). Sessions and the
# login-throttling log are bookkeeping, not data a form may change.
FINGERPRINT_APPS = ("auth", "authtoken", "provinces", "readiness", "strategies", "briefings")

# Generated cases in this folder, counted as they run and printed at the end of the session.
EXAMPLES = {"count": 0, "refused": 0}


# FUZZ_SCALE=5 runs five times the cases with fresh random inputs each run (exploring); unset, every run
# replays the same derandomised cases, so a CI failure can be reproduced.
SCALE = float(os.environ.get("FUZZ_SCALE", "0") or 0)


def fuzz_settings(max_examples: int) -> settings:
    """Reproducible (derandomize) so a CI failure replays the same inputs; no deadline (PostgreSQL, 2 cores)."""
    return settings(
        max_examples=round(max_examples * SCALE) if SCALE else max_examples,
        deadline=None,
        derandomize=not SCALE,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


# --- the database fingerprint and the media folder ---------------------------------------------------


def _models():
    for label in FINGERPRINT_APPS:
        yield from apps.get_app_config(label).get_models(include_auto_created=True)


def fingerprint() -> dict[str, tuple[int, str]]:
    """Row count and a hash of all rows, per table."""
    tables = sorted({m._meta.db_table for m in _models()})
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        sql = " UNION ALL ".join(
            f"SELECT %s, count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
            f"FROM {quote(table)} t"
            for table in tables
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, tables)
            return {name: (count, digest) for name, count, digest in cursor.fetchall()}
    result = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (our own names)
            rows = sorted(repr(row) for row in cursor.fetchall())
            result[table] = (len(rows), hashlib.md5("|".join(rows).encode()).hexdigest())  # noqa: S324
    return result


def media_files() -> dict[str, int]:
    root = Path(default_storage.location)
    return {str(p.relative_to(root)): p.stat().st_size for p in root.rglob("*") if p.is_file()}


def _diff(before: dict, after: dict) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


# --- outcomes -------------------------------------------------------------------------------------

THAI = re.compile(r"[\u0e01-\u0e5b]")
# Messages and form errors (role="alert"; crispy's non-field errors are a plain "alert-danger" block).
ALERT = re.compile(r'(?:role="alert"|class="alert[^"]*alert-danger[^"]*")[^>]*>(.*?)</(?:div|span|p)>', re.S)
FIELD_ERROR = re.compile(r'class="invalid-feedback[^"]*"[^>]*>\s*(?:<strong>)?(.*?)</', re.S)


@dataclass
class Outcome:
    status: int
    messages: list[tuple[int, str]] = field(default_factory=list)
    rejected: bool = False
    body: str = ""
    response: object = None
    read_only: bool = False


def _messages_of(response) -> list[tuple[int, str]]:
    request = getattr(response, "wsgi_request", None)
    if request is None or not hasattr(request, "_messages"):
        return []
    return [(m.level, str(m)) for m in get_messages(request)]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def page_errors(body: str) -> list[str]:
    """The error texts a page shows: alerts (messages, form errors) and per-field feedback."""
    return [re.sub(r"<[^>]+>", "", t).strip() for t in ALERT.findall(body) + FIELD_ERROR.findall(body)]


def judge(response, *, thai: bool = True) -> Outcome:
    """The outcome of one request, with the checks that hold for every endpoint.

    * never a 5xx;
    * a 4xx says why: a JSON body with messages (API), or a page with the error (400) or the 403/404 page;
    * a redirect after a refusal carries the error as a message;
    * every message and page error is in the user's language (Thai here) — a Thai letter in it.
    """
    status = response.status_code
    assert status < 500, f"server error {status}"
    outcome = Outcome(status, _messages_of(response), response=response)
    content_type = response.get("Content-Type", "")
    streaming = getattr(response, "streaming", False)
    body = "" if streaming or "html" not in content_type else response.content.decode("utf-8", "replace")
    outcome.body = body
    errors = [text for level, text in outcome.messages if level >= message_levels.WARNING]
    if 400 <= status < 500:
        outcome.rejected = True
        if "json" in content_type:
            texts = list(_strings(response.json()))
            assert texts, "a 4xx without a message"
            if thai:
                assert any(THAI.search(text) for text in texts), f"API error not in Thai: {texts[:3]}"
        elif status in (403, 404):
            with translation.override("th" if thai else "en"):
                expected = translation.gettext("Not allowed" if status == 403 else "Page not found")
            assert expected in body, f"{status} without its page"
        else:  # 400, 409, 429 (locked out): the page itself shows the error
            shown = page_errors(body)
            assert shown, f"{status} page shows no error"
            if thai:
                assert any(THAI.search(text) for text in shown), f"error not in Thai: {shown[:3]}"
    elif 300 <= status < 400:
        successes = [t for level, t in outcome.messages if level == message_levels.SUCCESS]
        outcome.rejected = bool(errors) and not successes
    if thai:
        for text in errors:
            assert THAI.search(text), f"message not in Thai: {text[:200]!r}"
    return outcome


# --- the world and one example ---------------------------------------------------------------------


class World:
    """Everything the forms act on, plus the baseline the no-trace checks compare with."""

    def __init__(self, **objects):
        self.__dict__.update(objects)
        self.clients: dict[str, Client] = {}
        for role in [None, *self.cast]:
            self.client(role)  # logging in writes last_login: before the baseline
        self.baseline = fingerprint()
        self.media = media_files()

    def client(self, role: str | None) -> Client:
        """A logged-in client per role, kept for the whole test (anonymous for None)."""
        key = role or "anonymous"
        if key not in self.clients:
            client = Client()
            if self.cast.get(key) is not None:
                client.force_login(self.cast[role])
            self.clients[key] = client
        return self.clients[key]

    @contextmanager
    def example(self):
        """One generated case: runs in a savepoint that is rolled back; a refusal must change nothing."""
        EXAMPLES["count"] += 1
        for client in self.clients.values():
            client.cookies.pop("messages", None)  # no message carried over from an earlier example
        result: dict[str, Outcome] = {}
        with transaction.atomic():
            yield result
            outcome = result.get("outcome")
            if outcome is not None and (outcome.rejected or outcome.read_only):
                changed = _diff(self.baseline, fingerprint())
                assert not changed, f"a refused or read-only request changed tables {changed}"
                changed_files = _diff(self.media, media_files())
                assert not changed_files, f"a refused request left files {changed_files}"
            transaction.set_rollback(True)
        # An accepted upload leaves its file: the rollback took its row, so remove the file too.
        for name in set(media_files()) - set(self.media):
            default_storage.delete(name)

    def run(self, role, method: str, url: str, data=None, *, thai=True, refused=None, check=None, **extra):
        """Send one request inside ``example()`` and judge it. ``role`` names a client of the cast (or is a
        Client of the test's own). ``refused(outcome)`` tells a refusal shown
        with a 200 (an htmx fragment, a re-rendered form); ``check(outcome)`` runs more assertions inside
        the example, before the rollback."""
        with self.example() as result:
            client = role if isinstance(role, Client) else self.client(role)
            send = client.post if method == "POST" else client.get
            response = send(url, data if data is not None else {}, **extra)
            outcome = judge(response, thai=thai)
            if refused is not None and outcome.status < 300 and refused(outcome):
                outcome.rejected = True
            outcome.read_only = method == "GET"  # a GET never changes anything, whatever it answers
            if check is not None:
                check(outcome)
            result["outcome"] = outcome
        EXAMPLES["refused"] += outcome.rejected
        # Seen with --hypothesis-show-statistics: how many cases got past validation.
        event(f"{'refused' if outcome.rejected else 'accepted'} ({outcome.status})")
        return outcome
