"""Data versions (provinces.dataversion): the database moves a domain's version on every write to its tables,
whatever the write path, and the cache keyed by them never hands back a result of older data."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from provinces import dataversion
from provinces.models import Cluster, Province
from readiness.choices import AssessmentStatus
from strategies import selectors, services
from strategies.choices import StrategyStatus
from strategies.decision import selectors as decision_selectors
from strategies.models import Strategy

pytestmark = pytest.mark.django_db


def version(domain: str) -> int:
    return dataversion.versions([domain])[0]


def test_it_watches_every_table_of_the_watched_apps():
    tables = dataversion.watched_tables()
    assert {"provinces_province", "readiness_answer", "strategies_strategy", "strategies_project"} <= set(
        tables
    )
    assert tables["readiness_answer"] == "readiness" and tables["strategies_project"] == "strategies"
    assert dataversion.TABLE not in tables  # its own counter would bump itself
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
                [dataversion.TRIGGER],
            )
            with_trigger = {row[0] for row in cursor.fetchall()}
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'data_version_%'"
            )
            with_trigger = {row[0] for row in cursor.fetchall()}
    assert set(tables) - with_trigger == set()


def test_it_bumps_on_every_kind_of_write(planner, make_strategy):
    steps = {
        "a service's save": lambda: make_strategy("TH-50", planner),
        "a queryset update": lambda: Strategy.objects.update(title_en="Border"),
        "a bulk create": lambda: Cluster.objects.bulk_create(
            [Cluster(code="T-X1", name_th="กลุ่มทดสอบ", name_en="Test")]
        ),
        "a queryset delete": lambda: Cluster.objects.filter(code="T-X1").delete(),
        "raw SQL": lambda: connection.cursor().execute("UPDATE provinces_province SET name_en = name_en"),
    }
    domain_of = {
        "a service's save": "strategies",
        "a queryset update": "strategies",
        "a bulk create": "provinces",
        "a queryset delete": "provinces",
        "raw SQL": "provinces",
    }
    for name, step in steps.items():
        before = version(domain_of[name])
        step()
        assert version(domain_of[name]) != before, name


def test_it_leaves_the_versions_alone_on_writes_elsewhere_and_on_reads(planner, client_for):
    before = dataversion.versions(dataversion.watched_apps())
    Notification.objects.filter(recipient=planner).update(read_at=None)
    User.objects.filter(pk=planner.pk).update(first_name="สมหญิง")
    client_for(planner).get("/provinces/TH-50/")
    list(Province.objects.all())
    assert dataversion.versions(dataversion.watched_apps()) == before


def test_it_never_reuses_a_version_a_rolled_back_write_took(planner):
    before = version("provinces")
    with pytest.raises(RuntimeError), transaction.atomic():
        Province.objects.filter(code="TH-50").update(name_en="Chiang Mai!")
        taken = version("provinces")
        raise RuntimeError("rolled back")
    assert taken != before and version("provinces") == before
    Province.objects.filter(code="TH-50").update(name_en="Chiang Mai")
    assert version("provinces") not in (before, taken)


def test_it_computes_once_per_data_version_and_again_after_a_write(reference):
    calls = []

    def compute():
        calls.append(1)
        return Province.objects.get(code="TH-50").name_en

    def read():
        return dataversion.cached("test-name", domains=["provinces"], parts=["TH-50"], compute=compute)

    assert read() == read() == "Chiang Mai"
    assert len(calls) == 1
    Province.objects.filter(code="TH-50").update(name_en="Chiang Mai (renamed)")
    assert read() == "Chiang Mai (renamed)"
    assert len(calls) == 2
    # Other parts, another entry; an unrelated domain's write leaves this one cached.
    dataversion.cached("test-name", domains=["provinces"], parts=["TH-52"], compute=compute)
    assert len(calls) == 3
    dataversion.bump("readiness")
    read()
    assert len(calls) == 3


def test_it_keys_by_language(reference):
    from django.utils import translation

    def name():
        return dataversion.cached(
            "test-lang", domains=["provinces"], compute=lambda: Province.objects.get(code="TH-50").name
        )

    with translation.override("th"):
        assert name() == "เชียงใหม่"
    with translation.override("en"):
        assert name() == "Chiang Mai"


# --- the cached parts ----------------------------------------------------------------------------------

CACHED_PAGES = [
    ("advisor", "/strategies/matrix/?fy=2570"),
    ("secretariat", "/strategies/matrix/clusters/N-UP1/?fy=2570"),
    ("planner", "/strategies/matrix/provinces/TH-50/?fy=2570"),
    ("advisor", "/strategies/decision/?fy=2570"),
    ("secretariat", "/strategies/decision/clusters/N-UP1/?fy=2570"),
    ("advisor", "/dashboard/"),
    ("secretariat", "/dashboard/clusters/N-UP1/"),
    ("planner", "/map/"),
    ("advisor", "/readiness/national/"),
    ("secretariat", "/readiness/clusters/N-UP1/"),
]
TABLE_NAME = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"', re.IGNORECASE)


@pytest.fixture
def national(make_strategy, cast, round_2570):
    """A small country: strategies with projects in two clusters, approved and unapproved assessments."""
    from tests.readiness.conftest import fill

    cm = make_strategy("TH-50", cast["planner"], title_th="พัฒนาแรงงานข้ามชาติ")
    make_strategy("N-UP1", cast["secretariat"], a=(3, 3, 3), n=(1, 1, 1), title_th="โลจิสติกส์ภาคเหนือ")
    make_strategy("NE-UP1", cast["secretariat_other"], a=(1, 1, 1), title_th="ท่องเที่ยวอีสาน")
    fill(
        "TH-50", round_2570, level_for=lambda i, ind: 3, status=AssessmentStatus.APPROVED, by=cast["advisor"]
    )
    fill("TH-52", round_2570, level_for=lambda i, ind: 2, status=AssessmentStatus.SUBMITTED)
    return {"cm": cm}


def test_it_keys_every_cached_part_by_every_table_it_is_computed_from(
    national, cast, client_for, monkeypatch
):
    """With the triggers (every write to a watched table moves its domain), this is what makes every write
    that changes a cached part invalidate it: a part computed from a table outside its domains could not."""
    read: dict[str, tuple[set[str], set[str]]] = {}
    real = dataversion.cached

    def tracing(name, *, domains, compute, parts=()):
        def traced():
            with CaptureQueriesContext(connection) as queries:
                value = compute()
            entry = read.setdefault(name, (set(domains), set()))
            entry[1].update(t for q in queries.captured_queries for t in TABLE_NAME.findall(q["sql"]))
            return value

        return real(name, domains=domains, compute=traced, parts=parts)

    monkeypatch.setattr(dataversion, "cached", tracing)
    cache.clear()
    for role, url in CACHED_PAGES:
        assert client_for(cast[role]).get(url).status_code == 200, url
    assert set(read) == {
        "strategy-matrix",
        "quadrant-totals",
        "decision-national",
        "decision-cluster",
        "readiness-national",
        "readiness-cluster",
    }
    watched = dataversion.watched_tables()
    for name, (domains, tables) in read.items():
        assert tables, name
        assert {t for t in tables if watched.get(t) not in domains} == set(), name


def _page(client, url: str) -> str:
    return client.get(url).content.decode()


def test_it_never_shows_a_stale_figure_after_a_write(national, cast, client_for, make_strategy):
    """Each page is opened (and its parts cached), the data changed through the product's own paths, and the
    page opened again by another viewer of the same scope: it shows the new figures."""
    from readiness import selectors as readiness_selectors
    from readiness import services as readiness_services
    from readiness.models import Assessment, Round

    advisor = client_for(cast["advisor"])
    fy = Round.objects.get(fiscal_year=2570)

    def quadrant_counts() -> dict[str, int]:
        return selectors.matrix_figure(
            user=cast["advisor"], filters=selectors.StrategyFilters(fiscal_year=2570), title="t"
        ).counts

    before = quadrant_counts()
    assert sum(before.values()) == 3
    # A new strategy (the service), then an advisor's quadrant override: the counts follow each.
    added = make_strategy("TH-52", cast["planner_lampang"], a=(3, 3, 3), n=(3, 3, 3), title_th="เซรามิกลำปาง")
    after = quadrant_counts()
    assert sum(after.values()) == 4 and after[added.quadrant] == before[added.quadrant] + 1
    target = next(letter for letter in after if letter != added.quadrant)
    services.strategy_override(strategy=added, quadrant=target, reason="ทดสอบ", by=cast["advisor"])
    moved = quadrant_counts()
    assert moved[target] == after[target] + 1 and moved[added.quadrant] == after[added.quadrant] - 1

    # The national decision summary counts the cluster's strategies: dropping one (status) lowers it.
    rows = {r.cluster.code: r for r in decision_selectors.national_summary(fiscal_year=2570)}
    assert rows["N-UP1"].strategies == 3
    advisor.get("/strategies/decision/?fy=2570")
    services.strategy_set_status(strategy=national["cm"], status=StrategyStatus.DROPPED, by=cast["admin"])
    rows = {r.cluster.code: r for r in decision_selectors.national_summary(fiscal_year=2570)}
    assert rows["N-UP1"].strategies == 2

    # The national picture: approving Lampang's submitted assessment adds it to the approved count.
    picture = readiness_selectors.national_picture(round=fy)
    assert picture.nation.spreads["overall"].count == 1
    advisor.get("/dashboard/")
    readiness_services.assessment_approve(
        assessment=Assessment.objects.get(province__code="TH-52", round=fy), by=cast["advisor"]
    )
    picture = readiness_selectors.national_picture(round=fy)
    assert picture.nation.spreads["overall"].count == 2
    rollup = readiness_selectors.cluster_rollup(cluster=Cluster.objects.get(code="N-UP1"), round=fy)
    assert rollup.spreads["overall"].count == 2

    # Reference data: a province renamed in the admin shows under its new name on the matrix.
    assert "ลำปาง" in _page(advisor, "/strategies/matrix/?fy=2570")
    Province.objects.filter(code="TH-52").update(name_th="ลำปางนครเซรามิก")
    assert "ลำปางนครเซรามิก" in _page(client_for(cast["admin"]), "/strategies/matrix/?fy=2570")


def test_a_cached_matrix_is_never_shared_with_a_planner_who_may_not_see_it(
    national, cast, client_for, make_strategy
):
    """Chiang Mai's planner opens the cluster matrix first (cached for what they see); Lampang's planner,
    same cluster and URL, neither sees Chiang Mai's strategy in the picture nor in the table's export."""
    url = "/strategies/matrix/clusters/N-UP1/?fy=2570"
    lampang_own = make_strategy("TH-52", cast["planner_lampang"], title_th="เซรามิกลำปาง")
    assert "พัฒนาแรงงานข้ามชาติ" in _page(client_for(cast["planner"]), url)
    lampang = client_for(cast["planner_lampang"])
    page = _page(lampang, url)
    assert "พัฒนาแรงงานข้ามชาติ" not in page and lampang_own.title_th in page
    export = lampang.get(url + "&export=csv").content.decode("utf-8-sig")
    assert lampang_own.title_th in export and "พัฒนาแรงงานข้ามชาติ" not in export


def test_it_keys_cached_results_by_the_code_too(reference, monkeypatch):
    """A new release draws its charts anew even before any write: the key carries the code's fingerprint."""
    before = dataversion.cache_key("x", (1,), ())
    monkeypatch.setattr(dataversion, "code_version", lambda: "another-release")
    assert dataversion.cache_key("x", (1,), ()) != before
