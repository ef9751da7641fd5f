"""No lost work: two planners save the same assessment at the same moment, through the real server.

Two HTTP clients log in through the login form and hammer the real autosave endpoint of one assessment from
two threads, released together by a barrier, against pytest-django's live server (one thread and one
database connection per request), on PostgreSQL (row locks) and on the embedded SQLite alike (a file database;
every transaction begins IMMEDIATE, config/settings/base.py: without it the second save failed with "database
is locked", a server error, instead of the conflict message).
One client is the htmx autosave (always 200, a fragment that says saved or shows the conflict), the other a
browser without JavaScript (302 when saved, 409 and the conflict on the page). Every response is recorded;
afterwards the answers' history must show exactly the saves that were reported as saved, each with its
value and the version it produced, and nothing else.

The second test races a save against "copy last round's answers", the other write to the same answers.
It found two faults, fixed in readiness/services.py: the copy locked the answers before the assessment
(the reverse of a save, so the two deadlocked and one planner got a server error), and it did not bump
the answers' versions (so a page opened before the copy saved over the copied answers unawares).
"""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest

from readiness.models import Answer, Assessment
from tests.conftest import _make_user

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 10  # races per client on the shared answer, each followed by a save of the client's own answer
TRIALS = 6  # copy-forward against a save, each on a fresh blank assessment
TIMEOUT = 30
PAGE = "/readiness/provinces/TH-50/2570/"  # Chiang Mai's FY 2570 assessment

VERSION_INPUT = re.compile(r'<input[^>]*\bname="version"[^>]*>')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONFLICT_VERSION = re.compile(r"hx-vals='\{\"version\": \"(\d+)\"\}'")


def _versions(html: str) -> dict[int, int]:
    """{answer pk: version} from the hidden version inputs (id="version-<pk>") of a page or fragment."""
    found = {}
    for tag in VERSION_INPUT.findall(html):
        pk, value = re.search(r'\bid="version-(\d+)"', tag), re.search(r'\bvalue="(\d+)"', tag)
        found[int(pk.group(1))] = int(value.group(1))
    return found


@dataclass
class Save:
    client: int
    answer: int
    phase: str  # "race" on the shared answer, "own" on the client's own answer
    round: int
    sent_version: int
    level: int
    text: str
    outcome: str = ""  # "saved" or "conflict"
    version: int = 0  # saved: the version it produced; conflict: the current version it was shown
    shown: str = ""  # conflict: the page or fragment the user saw
    started: float = 0.0
    ended: float = 0.0


def _results(futures) -> list:
    """The threads' results; if one failed, its own error rather than the broken barrier it left behind."""
    errors = [future.exception(timeout=120) for future in futures]
    for error in sorted((e for e in errors if e), key=lambda e: isinstance(e, threading.BrokenBarrierError)):
        raise error
    return [future.result() for future in futures]


def _login(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=TIMEOUT, follow_redirects=False)
    page = client.get("/accounts/login/")
    token = CSRF_INPUT.search(page.text).group(1)
    reply = client.post(
        "/accounts/login/",
        data={"username": username, "password": "pw-" + username, "csrfmiddlewaretoken": token, "next": ""},
    )
    assert reply.status_code == 302 and "sessionid" in client.cookies, reply.text[:500]
    return client


def _post_save(client: httpx.Client, assessment_pk: int, token: str, save: Save, htmx: bool) -> None:
    """One save as the page sends it; classifies the answer as saved or refused with a conflict."""
    headers = {"HX-Request": "true", "HX-Current-URL": str(client.base_url) + PAGE} if htmx else {}
    data = {
        "csrfmiddlewaretoken": token,
        "version": save.sent_version,
        "level": save.level,
        "justification": save.text,
    }
    save.started = time.monotonic()
    reply = client.post(
        f"/readiness/assessments/{assessment_pk}/answers/{save.answer}/", data=data, headers=headers
    )
    save.ended = time.monotonic()
    body = reply.text
    conflict = CONFLICT_VERSION.search(body)
    if htmx:
        assert reply.status_code == 200, (reply.status_code, body[:500])
        if conflict:
            save.outcome, save.version, save.shown = "conflict", int(conflict.group(1)), body
        else:
            # The saved fragment hands the page its new version (out of band) for the next autosave.
            found = _versions(body)
            assert save.answer in found, body[:1000]
            save.outcome, save.version = "saved", found[save.answer]
    elif reply.status_code == 302:
        save.outcome, save.version = "saved", save.sent_version + 1  # checked against the history below
    else:
        assert reply.status_code == 409 and conflict, (reply.status_code, body[:500])
        save.outcome, save.version, save.shown = "conflict", int(conflict.group(1)), body


def _editor(base, username, assessment_pk, shared, own, number, barrier, htmx) -> list[Save]:
    """A planner with the assessment open: races the other on ``shared``, then saves ``own``. After a
    conflict it takes the current version (the conflict's "Overwrite with my answer") and races again."""
    try:
        client = _login(base, username)
        page = client.get(PAGE)
        assert page.status_code == 200
        token = CSRF_INPUT.search(page.text).group(1)
        versions = _versions(page.text)
        saves = []
        for n in range(ROUNDS):
            for phase, answer in (("race", shared), ("own", own)):
                save = Save(
                    client=number,
                    answer=answer,
                    phase=phase,
                    round=n,
                    sent_version=versions[answer],
                    level=(n + number) % 5 + 1,
                    text=f"{username} {phase} รอบ {n}",  # unique: every save changes something
                )
                barrier.wait(TIMEOUT)  # both clients send at the same moment
                _post_save(client, assessment_pk, token, save, htmx)
                versions[answer] = save.version
                saves.append(save)
        client.close()
        return saves
    except BaseException:
        barrier.abort()  # do not leave the other thread waiting for the timeout
        raise


def test_it_never_loses_a_save_when_two_planners_save_the_same_assessment_at_once(
    live_server, planner, cm_assessment
):
    _make_user("planner_cm2", "planner", province="TH-50")
    answers = list(cm_assessment.answers.order_by("indicator__position").values_list("pk", flat=True))
    shared, own = answers[0], {0: answers[1], 1: answers[2]}
    barrier = threading.Barrier(2)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(
                _editor, live_server.url, name, cm_assessment.pk, shared, own[number], number, barrier, htmx
            )
            for number, (name, htmx) in enumerate([("planner_cm", True), ("planner_cm2", False)])
        ]
        saves = [save for done in _results(futures) for save in done]

    by_round = {}
    for save in saves:
        by_round.setdefault((save.phase, save.round), []).append(save)
    # Same answer, same version, same moment: exactly one lands, the other is told. Different answers of
    # the same assessment at the same moment: both land (the conflict check is per answer, not per page).
    for (phase, n), pair in by_round.items():
        outcomes = sorted(s.outcome for s in pair)
        expected = ["conflict", "saved"] if phase == "race" else ["saved", "saved"]
        assert outcomes == expected, (phase, n, pair)
    # The races were real: the two requests were in the server at the same time (not one after the other).
    overlapping = [
        pair
        for (phase, _), pair in by_round.items()
        if phase == "race" and max(s.started for s in pair) < min(s.ended for s in pair)
    ]
    assert overlapping, "no two saves were ever in flight together"

    for answer_pk in [shared, *own.values()]:
        landed = sorted(
            (s for s in saves if s.answer == answer_pk and s.outcome == "saved"), key=lambda s: s.version
        )
        # Versions strictly increasing from 1, no duplicates, no gaps: each save built on the one before.
        assert [s.version for s in landed] == list(range(1, len(landed) + 1))
        assert all(s.version == s.sent_version + 1 for s in landed)
        # Every save reported as saved is in the history with its own value and version, in order, and the
        # history holds nothing else: no silent overwrite, no phantom write. (The answer's blank creation,
        # recorded when the assessment was started, comes first.)
        history = list(
            Answer.history.filter(id=answer_pk)
            .order_by("history_date", "history_id")
            .values_list("history_type", "version", "level", "justification")
        )
        assert history[0] == ("+", 0, None, "")
        assert history[1:] == [("~", s.version, s.level, s.text) for s in landed]
        # What stays is the last save that was reported as saved.
        final = Answer.objects.get(pk=answer_pk)
        last = landed[-1]
        assert (final.version, final.level, final.justification) == (last.version, last.level, last.text)
        # A refusal is only ever for a real conflict: the version it showed came from the other client,
        # and the user is shown what that save wrote (to keep it or overwrite it knowingly).
        for refused in (s for s in saves if s.answer == answer_pk and s.outcome == "conflict"):
            winner = next(s for s in landed if s.version == refused.version)
            assert refused.version > refused.sent_version and winner.client != refused.client
            assert winner.text in refused.shown

    assert len([s for s in saves if s.phase == "race" and s.outcome == "saved"]) == ROUNDS
    # The assessment counted every landed save once (its version is the concurrency counter of the page).
    assert Assessment.objects.get(pk=cm_assessment.pk).version == sum(s.outcome == "saved" for s in saves)


def _racer(base, username, barrier, act) -> list:
    """Logs in, then for each trial: loads the page, waits for the other, acts; returns what ``act`` did."""
    try:
        client = _login(base, username)
        done = []
        for trial in range(TRIALS):
            barrier.wait(TIMEOUT)  # the test has set up a fresh, blank assessment
            page = client.get(PAGE)
            assert page.status_code == 200
            token = CSRF_INPUT.search(page.text).group(1)
            versions = _versions(page.text)
            barrier.wait(TIMEOUT)  # both have the page open: now, together
            done.append(act(client, token, versions, trial))
            barrier.wait(TIMEOUT)  # both finished: the test checks, then starts the next trial
        client.close()
        return done
    except BaseException:
        barrier.abort()
        raise


def test_it_never_loses_a_save_that_races_copying_last_rounds_answers(
    live_server, planner, round_2569, round_2570, filler
):
    """One planner copies last round's answers forward while another saves an answer of the blank page at
    the same moment: one of the two wins, the other is told — never a server error, never both silently."""
    from readiness import services
    from readiness.choices import ReviewAction

    other = _make_user("planner_cm2", "planner", province="TH-50")
    filler("TH-50", round_2569, level_for=lambda i, ind: 2, status="approved")
    barrier = threading.Barrier(3)  # two clients and this thread, which sets the stage for each trial
    first_answer = {}

    def copy(client, token, versions, trial):
        reply = client.post(f"/readiness/assessments/{first_answer['assessment']}/copy-forward/",
                            data={"csrfmiddlewaretoken": token})  # fmt: skip
        return reply.status_code

    def save(client, token, versions, trial):
        pk = first_answer["pk"]
        attempt = Save(1, pk, "race", trial, versions[pk], level=5, text=f"คำตอบของฉัน {trial}")
        _post_save(client, first_answer["assessment"], token, attempt, htmx=True)
        return attempt

    outcomes = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(_racer, live_server.url, "planner_cm", barrier, copy),
            pool.submit(_racer, live_server.url, "planner_cm2", barrier, save),
        ]
        try:
            for trial in range(TRIALS):
                Assessment.objects.filter(province__code="TH-50", round=round_2570).delete()
                assessment = services.assessment_start(
                    province=planner.scope.province, round=round_2570, by=other
                )
                first = assessment.answers.order_by("indicator__position").first()
                first_answer.update(pk=first.pk, assessment=assessment.pk)
                barrier.wait(TIMEOUT)  # go: load the page
                barrier.wait(TIMEOUT)  # they act
                barrier.wait(TIMEOUT)  # they are done
                copied = assessment.events.filter(action=ReviewAction.COPIED_FORWARD).exists()
                final = Answer.objects.get(pk=first.pk)
                outcomes.append((copied, final))
        except threading.BrokenBarrierError:
            _results(futures)  # a client broke it: raise what happened to the client
            raise
        except BaseException:
            barrier.abort()
            raise
        copies, saves = _results(futures)

    for (copied, final), copy_status, saved in zip(outcomes, copies, saves, strict=True):
        assert copy_status == 302  # the copy was done or refused with a message, never a server error
        if saved.outcome == "saved":
            # The save came first: it stands, and the copy (only into a blank assessment) was refused.
            assert not copied
            assert (final.level, final.justification, final.copied_forward) == (5, saved.text, False)
        else:
            # The copy came first: the save of the blank page is refused and shows the copied answer.
            assert copied and (final.level, final.copied_forward) == (2, True)
            assert saved.version == final.version > saved.sent_version
            assert "<strong>2</strong>" in saved.shown  # the level the copy put there
