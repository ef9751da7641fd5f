"""generate_national_data (issue 9): a small run of the national generator — counts, consistency with the
services' own formulas, determinism — and the main pages for the generated users, whose query counts must not
grow with the data (the benchmark's page list, bench/run.py)."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.run import pages
from devdata import national_data
from readiness.choices import AssessmentStatus
from readiness.models import Answer, Assessment, Evidence, Round
from readiness.selectors import live_scores
from strategies.choices import Axis
from strategies.models import CriterionScore, Project, Strategy
from strategies.services import active_criteria, effect_from_scores

pytestmark = pytest.mark.django_db

SMALL = ["--rounds", "2", "--strategies", "40", "--projects", "100"]


def generate(seed: int = 3, *extra: str) -> str:
    call_command("generate_national_data", "--seed", str(seed), *extra)
    return national_data.fingerprint()


def login(role: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=national_data.BENCH_USERS[role]))
    return client


def test_it_generates_what_the_plan_says_consistently_with_the_services_and_the_pages_render(reference):
    generate(3, *SMALL)
    assert list(Round.objects.order_by("fiscal_year").values_list("fiscal_year", "status")) == [
        (2569, "closed"),
        (2570, "open"),
    ]
    assert Strategy.objects.count() == 40 and Project.objects.count() == 100
    # Every province in the closed round, most of them in the open one; 30 answers each.
    assert Assessment.objects.filter(round__fiscal_year=2569).count() == 77
    assert 50 < Assessment.objects.filter(round__fiscal_year=2570).count() <= 77
    assert Answer.objects.count() == 30 * Assessment.objects.count()
    assert Evidence.objects.exists() and Answer.history.count() > Answer.objects.count()
    assert User.objects.filter(username__startswith="gen-", scope__isnull=False).count() == 77 + 18 + 3

    # Approved figures are what approval would have frozen (the live formula, same answers).
    approved = Assessment.objects.filter(status=AssessmentStatus.APPROVED).select_related("approved_snapshot")
    for a in approved[:20]:
        live = live_scores([a.pk])[a.pk]
        assert a.approved_snapshot.overall == pytest.approx(live.overall)
        assert a.approved_snapshot.completeness == pytest.approx(live.completeness)
    # Chiang Mai's open assessment was edited after approval: reopened, its snapshot kept, three answers differ.
    cm = Assessment.objects.get(province__code="TH-50", round__fiscal_year=2570)
    assert cm.status == AssessmentStatus.DRAFT and cm.approved_snapshot_id
    changed = [
        a for a in cm.answers.select_related("indicator") if cm.approved_snapshot.answers[a.indicator.code]["level"] != a.level
    ]  # fmt: skip
    assert len(changed) == 3

    # Effects come from the checklist as the services compute them, and the quadrants spread.
    criteria = active_criteria()
    for s in Strategy.objects.all()[:20]:
        values = dict(CriterionScore.objects.filter(strategy=s).values_list("criterion_id", "value"))
        assert s.asean_effect == pytest.approx(effect_from_scores(criteria[Axis.ASEAN], values))
        assert s.national_effect == pytest.approx(effect_from_scores(criteria[Axis.NATIONAL], values))
    assert len({s.quadrant for s in Strategy.objects.all()}) == 4

    # The generated logins see their pages (and the nation-wide ones only the advisor).
    for role in ("planner", "secretariat", "advisor"):
        client = login(role)
        for name, url in pages(2570, _chiang_mai_strategy()):
            response = client.get(url)
            expected = 200 if role in OPENED_BY.get(name, ("planner", "secretariat", "advisor")) else 404
            assert response.status_code == expected, (role, name)
    assert "เชียงใหม่" in login("planner").get("/provinces/TH-50/").content.decode()
    assert "N-UP1" in login("secretariat").get("/strategies/matrix/clusters/N-UP1/?fy=2570").content.decode()


def test_it_is_deterministic_and_refuses_to_mix_with_existing_data(reference):
    tiny = ["--rounds", "1", "--strategies", "10", "--projects", "20"]
    first = generate(5, *tiny)
    with pytest.raises(CommandError, match="--reset"):
        generate(5, *tiny)
    assert generate(5, "--reset", *tiny) == first
    assert generate(6, "--reset", *tiny) != first


# The pages only an advisor opens: the national ones and the review queues.
ADVISORS_ONLY = {
    "national matrix",
    "national dashboard",
    "decision support (national)",
    "assessment review queue",
    "strategy review queue",
}
# Who opens which page, where not everyone does: the hint is for whoever writes for Chiang Mai.
OPENED_BY = {name: ("advisor",) for name in ADVISORS_ONLY} | {"similar plans hint": ("planner",)}


def _counts() -> dict[tuple[str, str], int]:
    counts = {}
    for role in ("planner", "secretariat", "advisor"):
        client = login(role)
        for name, url in pages(2570, _chiang_mai_strategy()):
            if client.get(url).status_code != 200:
                continue
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            counts[name, role] = len(queries)
    return counts


def _chiang_mai_strategy() -> int:
    """A strategy every generated login may open (the bench's own choice may be another province's)."""
    return Strategy.objects.filter(province__code="TH-50").order_by("pk").values_list("pk", flat=True)[0]


def _bench_cluster_strategies() -> int:
    return Strategy.objects.filter(fiscal_year=2570, province__code="TH-50").count()


def test_it_keeps_every_main_page_s_query_count_when_the_data_grows(reference):
    # Enough strategies that the benchmark's cluster has some in the year on both sides: an empty table
    # skips its rows query, which would pass for a difference in data size.
    generate(3, "--rounds", "2", "--strategies", "200", "--projects", "300")
    assert _bench_cluster_strategies() > 0
    small = _counts()
    generate(3, "--reset", "--rounds", "3", "--strategies", "600", "--projects", "1200")
    assert _bench_cluster_strategies() > 0
    large = _counts()
    names = {name for name, _url in pages(2570)}
    for role in ("planner", "secretariat", "advisor"):
        expected = {
            name for name in names if role in OPENED_BY.get(name, ("planner", "secretariat", "advisor"))
        }
        assert {name for name, r in small if r == role} == expected, role
    # Never more queries with more data (a page may skip one when a small data set leaves it nothing to load:
    # the hint with no similar plan, a second page of search results that is empty).
    assert {k: (small[k], v) for k, v in large.items() if v > small[k]} == {}
    assert sum(small.values()) - sum(large.values()) <= 2
