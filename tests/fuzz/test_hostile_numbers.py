"""Numbers no view can read: superscripts and circled digits (``str.isdigit()`` says yes, ``int()`` says no),
other scripts' digits (``int()`` says yes, a Thai official never typed them), numbers past every column's range
and past ``int()``'s own digit limit, in every query parameter, every id or code in a path and every numeric
form field of every view. Each is answered, with a 4xx that says why (in Thai) or a form error, never a 500;
a refused request changes nothing.

The URLs are the access matrix's (tests/provinces/test_access_matrix.py: every URL the project defines, on
real objects) and the write table's (tests/provinces/test_write_refusals.py: every write with the form its
rightful user sends). The query parameters are not listed by hand: a first plain request records every key
the view looks up in ``request.GET``, so a parameter added to a view later is fuzzed too.
"""

from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse

from tests.provinces.test_access_matrix import EXPECTED, FRAMEWORK_NAMESPACES
from tests.provinces.test_access_matrix import world as _matrix_world  # noqa: F401 (a fixture, see objects)
from tests.provinces.test_write_refusals import OK, ROLES, WRITES, resolve

from .harness import EXAMPLES, World, fingerprint, judge, page_errors

pytestmark = pytest.mark.django_db

HUGE = str(10**30)
# Numbers a view must refuse (or, for Thai digits, read as the number they spell).
HOSTILE = ["²", "①", "๒", "٣", "2570²", "๒๕๗๐", HUGE, "-" + HUGE, str(2**63), "9" * 5000, "0"]
# The same in form fields, a few less (each refused POST compares every table before and after).
FORM_NUMBERS = ["²", "①", "๒", "٣", "2570²", HUGE, str(2**63), "9" * 5000]
# In a path an id is ASCII digits or nothing matches at all; the ones that match, past every column's range.
HUGE_IDS = [10**30, 2**63, 2**64, 0]
HOSTILE_CODES = ["TH-٥٠", "TH-①", "TH-๕๐", "²", "๒๕๗๐"]
PROBE = "probe"
# Roles that read most pages; the first one a page answers with 200 reads it.
READERS = ["planner", "secretariat", "advisor", "admin"]


# --- every query parameter of every page --------------------------------------------------------------


@pytest.fixture
def objects(request, round_2570) -> dict:
    return {**request.getfixturevalue("_matrix_world"), "round_2570": round_2570.pk}


@contextmanager
def keys_read():
    """Every key looked up in a QueryDict (request.GET, DRF's query_params, a form's data) while it runs."""
    seen: set[str] = set()

    def spy(name):
        original = getattr(QueryDict, name)

        def method(self, key, *args, **kwargs):
            if isinstance(key, str):
                seen.add(key)
            return original(self, key, *args, **kwargs)

        return method

    with pytest.MonkeyPatch.context() as patch:
        for name in ("get", "getlist", "__getitem__", "__contains__"):
            patch.setattr(QueryDict, name, spy(name))
        yield seen


def _pages():
    """(name, args) of every GET page of the matrix but Django's admin."""
    return [
        (name, args)
        for name, args in EXPECTED
        if name.split(":")[0] not in FRAMEWORK_NAMESPACES and name not in ("logout", "set_language")
    ]


def _reader(name, args) -> str | None:
    return next((role for role in READERS if EXPECTED[name, args][role] == 200), None)


@pytest.fixture
def world(cast, objects):
    return World(cast=cast, **objects)


def _answered(problems: list, where: str, send) -> None:
    """Sends one request and judges it; a failure is noted, so that one run lists every view that fails."""
    try:
        response = send()
        if response["Content-Type"].startswith("application/vnd.oai.openapi"):
            assert response.status_code < 500  # the schema's own renderer (YAML), its errors too
        else:
            judge(response)
    except Exception as exc:  # noqa: BLE001 (a crashing view re-raises here: that is the finding)
        problems.append(f"{where}: {type(exc).__name__}: {str(exc)[:150]}")


def test_it_answers_hostile_numbers_in_every_query_parameter(world, objects):
    before = fingerprint()
    fuzzed, problems = {}, []
    for name, args in _pages():
        role = _reader(name, args)
        if role is None:
            continue
        url = reverse(name, args=resolve(args, objects))
        client = world.client(role)
        with keys_read() as keys:
            client.get(url, {PROBE: "1"})  # not an empty query: `request.GET or {}` reads nothing
        keys -= {PROBE, "csrfmiddlewaretoken"}
        if name == "api:schema":
            keys &= {"format", "lang", "version"}  # its own; generating it looks at every view's filters
        fuzzed[name] = sorted(keys)
        for key in sorted(keys):
            for value in HOSTILE:
                query = f"{url}?{urlencode({key: value})}"
                _answered(problems, f"{role} GET {query[:120]}", lambda q=query: client.get(q))
    assert not problems, "\n".join(problems)
    # The recording sees what the pages read (else this test would fuzz nothing).
    assert {"fy"} <= set(fuzzed["national_rollup"]) and {"fy"} <= set(fuzzed["strategy_list"])
    assert {"page", "page_size"} <= set(fuzzed["api:province-list"])
    assert {"fiscal_year"} <= set(fuzzed["api:rollup-national"])
    assert {"kind", "subject", "fy"} <= set(fuzzed["briefing_list"])
    assert fingerprint() == before, "a GET changed the database"


def test_it_answers_hostile_ids_and_codes_in_every_path(world, objects):
    before, problems = fingerprint(), []
    for name, args in _pages():
        if not args:
            continue
        role = _reader(name, args)
        if role is None:
            continue  # a write (GET: 405): its ids are fuzzed with its form below
        real = resolve(args, objects)
        for i, arg in enumerate(real):
            values = HUGE_IDS if isinstance(arg, int) else HOSTILE_CODES
            for value in values:
                url = reverse(name, args=[*real[:i], value, *real[i + 1 :]])
                _answered(problems, f"{role} GET {url}", lambda u=url: world.client(role).get(u))
    assert not problems, "\n".join(problems)
    assert fingerprint() == before, "a GET changed the database"


# --- every numeric form field of every write, and the ids in its path ---------------------------------


def _numeric(value) -> bool:
    """A field whose good value is a number (or a list of ids): fiscal years, levels, versions, ids, money."""
    values = value if isinstance(value, list) else [value]
    return bool(values) and all(isinstance(v, str) and v.replace(",", "").isdigit() for v in values)


def _posted(problems: list, world, role: str, url: str, payload: dict, what: str) -> None:
    """One POST in a rolled-back savepoint (harness.World.example): judged, and if refused (a 4xx, a redirect
    with only errors, the form again with an error) the database and the files are as they were."""
    try:
        with world.example() as result:
            outcome = judge(world.client(role).post(url, payload))
            if outcome.status == 200 and page_errors(outcome.body):
                outcome.rejected = True
            result["outcome"] = outcome
        EXAMPLES["refused"] += outcome.rejected  # counted with the generated cases (harness.EXAMPLES)
    except Exception as exc:  # noqa: BLE001 (as in _answered)
        problems.append(f"{role} POST {url} {what}: {type(exc).__name__}: {str(exc)[:150]}")


def _writes():
    return [w for w in WRITES if ":" not in w.name and any(w.expected[role] == OK for role in ROLES)]


def test_it_refuses_hostile_numbers_in_every_form_field_and_path_id(world, objects, cast):
    problems = []
    start = world.baseline
    for write in _writes():
        with transaction.atomic():  # each write's own starting state, undone before the next
            state = dict(objects)
            if write.setup:
                write.setup(state, cast)
            world.baseline = fingerprint()
            _fuzz_write(problems, world, write, state)
            transaction.set_rollback(True)
        world.baseline = start
    assert not problems, "\n".join(problems)


def _fuzz_write(problems: list, world, write, objects: dict) -> None:
    rightful = next(role for role in ROLES if write.expected[role] == OK)
    real = resolve(write.args, objects)
    url = reverse(write.name, args=real)
    good = write.payload(objects)
    fields = [key for key, value in good.items() if _numeric(value)]
    criteria = [key for key in fields if key.startswith("criterion_")]
    fields = [key for key in fields if key not in criteria] + criteria[:1]  # one criterion stands for all
    for key in fields:
        for value in FORM_NUMBERS:
            payload = write.payload(objects)
            # A list of ids: one hostile id among the good ones reaches the query behind the form.
            payload[key] = [*payload[key][:1], value] if isinstance(payload[key], list) else value
            _posted(problems, world, rightful, url, payload, f"{key}={value[:20]!r}")
    if write.name == "decision_overlap_decide":  # the strategy to merge into is read only for a merge
        for value in FORM_NUMBERS:
            payload = {**write.payload(objects), "decision": "merged", "merged_into": value}
            _posted(problems, world, rightful, url, payload, f"merged_into={value[:20]!r}")
    for i, arg in enumerate(real):
        if isinstance(arg, int):
            for value in HUGE_IDS:
                huge = reverse(write.name, args=[*real[:i], value, *real[i + 1 :]])
                _posted(problems, world, rightful, huge, write.payload(objects), "")
