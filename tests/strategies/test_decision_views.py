"""Decision support with the database: decisions on overlaps, budget envelopes, gaps from approved
assessments, the pages and who may see and act on them, query counts, and the find_overlaps command."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from provinces.models import Province
from readiness.choices import AssessmentStatus
from readiness.services import WorkflowError
from strategies import services as strategy_services
from strategies.decision import selectors, services
from strategies.models import (
    BudgetEnvelope,
    OverlapDecision,
    OverlapVerdict,
    Project,
    Strategy,
    StrategyReview,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def filler():
    from tests.readiness.conftest import fill

    return fill


MIGRANT_CM = ("พัฒนาระบบข้อมูลแรงงานข้ามชาติและบริการสุขภาพแรงงาน",
              "เชื่อมข้อมูลการขึ้นทะเบียนแรงงานข้ามชาติกับหน่วยบริการสุขภาพ จัดอาสาสมัครสาธารณสุขต่างด้าว")  # fmt: skip
MIGRANT_LP = ("ยกระดับการบริหารจัดการแรงงานต่างด้าวและหลักประกันสุขภาพในลำปาง",
              "จัดทำฐานข้อมูลแรงงานต่างด้าว ตรวจสุขภาพและขายบัตรประกันสุขภาพ ร่วมกับสำนักงานจัดหางานและโรงพยาบาล")  # fmt: skip
CERAMIC = ("ลำปางเมืองเซรามิกสู่ตลาดอาเซียน", "ยกระดับผลิตภัณฑ์เซรามิกด้วยการออกแบบ มาตรฐาน และตลาดออนไลน์ข้ามพรมแดน")


@pytest.fixture
def overlap(make_strategy, planner, planner_lampang, secretariat):
    """Chiang Mai and Lampang both work on migrant workers' data and health (an overlap), Lampang also on
    ceramics; N-UP1 has a strategy of its own to merge into."""
    cm = make_strategy("TH-50", planner, title_th=MIGRANT_CM[0], summary_th=MIGRANT_CM[1], builds_people=True)
    lp = make_strategy(
        "TH-52", planner_lampang, title_th=MIGRANT_LP[0], summary_th=MIGRANT_LP[1], builds_people=True
    )
    ceramic = make_strategy("TH-52", planner_lampang, title_th=CERAMIC[0], summary_th=CERAMIC[1])
    cluster = make_strategy("N-UP1", secretariat, title_th="พัฒนาเส้นทางโลจิสติกส์เชื่อมโยงภาคเหนือตอนบนกับเมียนมา")
    Strategy.objects.filter(pk=cm.pk).update(external_ref="CM-02")
    return {"cm": cm, "lp": lp, "ceramic": ceramic, "cluster": cluster}


def _groups(cluster_code="N-UP1"):
    from provinces.models import Cluster

    return selectors.overlap_groups(cluster=Cluster.objects.get(code=cluster_code), fiscal_year=2570)


def test_it_finds_an_overlap_of_two_provinces_and_only_that(overlap):
    groups = _groups()
    assert [set(g.ids) for g in groups] == [{overlap["cm"].pk, overlap["lp"].pk}]
    assert "แรงงานข้ามชาติ" in groups[0].terms


def test_it_never_reports_a_pair_marked_not_an_overlap_again(overlap, secretariat):
    ids = [overlap["cm"].pk, overlap["lp"].pk]
    services.overlap_decide(
        cluster=secretariat.scope.cluster, fiscal_year=2570, strategy_ids=ids,
        decision=OverlapVerdict.NOT_OVERLAP, note="คนละกลุ่มเป้าหมาย", by=secretariat,
    )  # fmt: skip
    assert _groups() == []
    decision = OverlapDecision.objects.get()
    assert (decision.strategy_a_id, decision.strategy_b_id) == tuple(sorted(ids))
    for pk in ids:
        entry = StrategyReview.objects.filter(strategy_id=pk, kind="comment").get()
        assert "คนละกลุ่มเป้าหมาย" in entry.text and entry.author == secretariat


def test_it_merges_only_into_the_clusters_own_strategy_of_that_year(
    overlap, secretariat, advisor, make_strategy, secretariat_other
):
    cluster = secretariat.scope.cluster
    ids = [overlap["cm"].pk, overlap["lp"].pk]
    other_cluster = make_strategy("NE-UP1", secretariat_other, title_th="ด่านหนองคาย")
    next_year = make_strategy("N-UP1", secretariat, title_th="แรงงานข้ามชาติ", fiscal_year=2571)
    for wrong in (overlap["ceramic"].pk, other_cluster.pk, next_year.pk, None, 999999):
        with pytest.raises(WorkflowError):
            services.overlap_decide(
                cluster=cluster,
                fiscal_year=2570,
                strategy_ids=ids,
                decision="merged",
                merged_into_id=wrong,
                by=advisor,
            )
    with pytest.raises(WorkflowError):  # the same owner's strategies are not an overlap
        services.overlap_decide(
            cluster=cluster, fiscal_year=2570, strategy_ids=[overlap["lp"].pk, overlap["ceramic"].pk],
            decision="not_overlap", by=advisor,
        )  # fmt: skip
    with pytest.raises(WorkflowError):  # another cluster's strategy
        services.overlap_decide(
            cluster=cluster, fiscal_year=2570, strategy_ids=[overlap["cm"].pk, other_cluster.pk],
            decision="not_overlap", by=advisor,
        )  # fmt: skip
    assert not OverlapDecision.objects.exists()
    services.overlap_decide(
        cluster=cluster, fiscal_year=2570, strategy_ids=ids, decision="merged",
        merged_into_id=overlap["cluster"].pk, by=advisor,
    )  # fmt: skip
    assert OverlapDecision.objects.get().merged_into == overlap["cluster"]
    assert _groups() == []


def test_it_lets_only_the_clusters_secretariat_and_advisors_decide(overlap, planner, secretariat_other):
    for user in (planner, secretariat_other):
        with pytest.raises(WorkflowError):
            services.overlap_decide(
                cluster=planner.scope.province.cluster, fiscal_year=2570,
                strategy_ids=[overlap["cm"].pk, overlap["lp"].pk], decision="not_overlap", by=user,
            )  # fmt: skip


# --- budget reach with envelopes ---------------------------------------------------------------------


def _project(strategy, by, amount, provinces, funding="provincial"):
    return strategy_services.project_save(
        strategy=strategy,
        data=strategy_services.ProjectData(
            title_th="โครงการ", lead_agency="จังหวัด", budget=Decimal(amount), funding_source=funding,
            start_fy=2570, end_fy=2570, province_ids=tuple(Province.objects.filter(code__in=provinces).values_list("pk", flat=True)),
        ),
        by=by,
    )  # fmt: skip


def test_it_flags_projects_against_the_owners_envelope(overlap, planner, secretariat):
    envelopes = {"TH-50": 400_000_000, "TH-51": 150_000_000, "TH-52": 300_000_000, "TH-58": 150_000_000}
    for code, amount in envelopes.items():
        BudgetEnvelope.objects.create(
            province=Province.objects.get(code=code), fiscal_year=2569, amount=amount
        )
    at_half = _project(overlap["cm"], planner, 200_000_000, ["TH-50"])
    above = _project(overlap["cm"], planner, 200_000_001, ["TH-50", "TH-52"])
    # A cluster project is compared with the largest member's envelope (Chiang Mai's 400 million).
    cluster_ok = _project(overlap["cluster"], secretariat, 190_000_000, ["TH-51", "TH-58"])
    cluster_big = _project(
        overlap["cluster"], secretariat, 5_000_000_000, ["TH-51", "TH-58"], funding="cluster"
    )
    flags = selectors.project_flags([at_half, above, cluster_ok, cluster_big])
    assert set(flags) == {above.pk, cluster_big.pk}  # FY 2569's envelope stands in for FY 2570's
    assert flags[above.pk].envelope == Decimal(400_000_000) and flags[above.pk].envelope_province == "TH-50"
    assert [r.code for r in flags[above.pk].routes] == ["cluster", "local_government", "private"]
    assert flags[above.pk].needs_integrated_funding
    big = flags[cluster_big.pk]
    assert big.envelope_province == "TH-50"
    assert [r.code for r in big.routes] == ["cluster", "local_government", "private", "ppp"]
    assert not big.needs_integrated_funding
    assert selectors.project_flags([]) == {}


# --- the pages ----------------------------------------------------------------------------------------


def _url(code="N-UP1", **params):
    query = "&".join(f"{k}={v}" for k, v in {"fy": 2570, **params}.items())
    return reverse("decision_cluster", args=[code]) + "?" + query


def test_it_shows_the_tab_to_whoever_sees_the_cluster_and_404_to_outsiders(overlap, cast, client_for):
    expected = {
        "planner": 200,
        "planner_lampang": 200,
        "secretariat": 200,
        "secretariat_other": 404,
        "advisor": 200,
        "admin": 200,
    }
    for role, status in expected.items():
        assert client_for(cast[role]).get(_url()).status_code == status, role
    assert client_for(cast["advisor"]).get(_url("XX-9")).status_code == 404


def test_it_lets_a_planner_see_but_not_decide(overlap, cast, client_for):
    data = {"fy": 2570, "strategy": [overlap["cm"].pk, overlap["lp"].pk], "decision": "not_overlap"}
    url = reverse("decision_overlap_decide", args=["N-UP1"])
    page = client_for(cast["planner"]).get(_url())
    assert "Record decision" not in page.content.decode() and "บันทึกการตัดสินใจ" not in page.content.decode()
    assert client_for(cast["planner"]).post(url, data).status_code == 403
    assert client_for(cast["admin"]).post(url, data).status_code == 403
    assert client_for(cast["secretariat_other"]).post(url, data).status_code == 404
    assert not OverlapDecision.objects.exists()
    response = client_for(cast["secretariat"]).post(url, data)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("decision_cluster", args=["N-UP1"])
    )
    assert OverlapDecision.objects.count() == 1


def test_it_records_an_overlap_the_finder_did_not_show(overlap, cast, client_for, make_strategy, planner):
    # The finder finds only part of the true overlaps (the tab says so): whoever decides can record one it
    # missed, from the cluster's strategies, through the same decision as a reported group.
    pottery = make_strategy("TH-50", planner, title_th="หัตถกรรมดินเผาบ้านเหมืองกุงสู่ผู้ซื้อต่างแดน")
    pair = [overlap["ceramic"].pk, pottery.pk]
    assert not any(set(pair) <= set(g.ids) for g in _groups())
    url = reverse("decision_overlap_decide", args=["N-UP1"])
    body = client_for(cast["secretariat"]).get(_url()).content.decode()
    assert "บันทึกความซ้ำซ้อนที่ระบบไม่ได้แสดง" in body
    assert f'name="strategy" value="{pottery.pk}" id="hand-{pottery.pk}"' in body
    assert "overlap-by-hand" not in client_for(cast["planner"]).get(_url()).content.decode()
    # … and is pointed to the list the finder's figures tell them to read.
    listed = client_for(cast["secretariat"]).get(reverse("strategy_list") + "?cluster=N-UP1&fy=2570")
    assert 'href="/strategies/?cluster=N-UP1&amp;fy=2570" id="cluster-list-link"' in body
    assert pottery.title_th in listed.content.decode() and CERAMIC[0] in listed.content.decode()

    client = client_for(cast["secretariat"])
    one = client.post(url, {"fy": 2570, "strategy": [pottery.pk], "decision": "merged",
                            "merged_into": overlap["cluster"].pk}, follow=True)  # fmt: skip
    none = client.post(
        url, {"fy": 2570, "decision": "merged", "merged_into": overlap["cluster"].pk}, follow=True
    )
    for refused in (one, none):
        assert "กรุณาเลือกยุทธศาสตร์ของกลุ่มจังหวัดนี้ในปีงบประมาณนี้อย่างน้อย 2 รายการ" in refused.content.decode()
    assert not OverlapDecision.objects.exists()

    data = {"fy": 2570, "strategy": pair, "decision": "merged", "merged_into": overlap["cluster"].pk,
            "note": "งานเซรามิกเดียวกัน"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    decision = OverlapDecision.objects.get()
    assert {decision.strategy_a_id, decision.strategy_b_id} == set(pair)
    assert decision.merged_into == overlap["cluster"] and decision.by == cast["secretariat"]
    after = client.get(_url()).content.decode()
    assert "งานเซรามิกเดียวกัน" in after.split("ผลการพิจารณาที่บันทึกไว้แล้ว")[-1]
    assert not decision.shown_by_finder


def _record(body: str) -> str:
    return body.split('id="decision-record">')[1].split("</p>")[0]


def test_it_measures_the_finder_by_the_decisions_taken(overlap, cast, client_for, make_strategy, planner):
    # What people decided is the finder's record on real plans: of the pairs it showed, how many were
    # overlaps, and how many overlaps it had not shown — on the cluster's tab and the national summary.
    secretariat, advisor = client_for(cast["secretariat"]), client_for(cast["advisor"])
    national = reverse("decision_national") + "?fy=2570"
    assert "ยังไม่มีการพิจารณาความซ้ำซ้อน" in _record(secretariat.get(_url()).content.decode())
    assert "ยังไม่มีการพิจารณาความซ้ำซ้อน" in _record(advisor.get(national).content.decode())
    pottery = make_strategy("TH-50", planner, title_th="หัตถกรรมดินเผาบ้านเหมืองกุงสู่ผู้ซื้อต่างแดน")
    url = reverse("decision_overlap_decide", args=["N-UP1"])
    shown = [overlap["cm"].pk, overlap["lp"].pk]
    merge = {"fy": 2570, "decision": "merged", "merged_into": overlap["cluster"].pk}
    assert secretariat.post(url, {**merge, "strategy": shown}).status_code == 302
    assert (
        secretariat.post(url, {**merge, "strategy": [overlap["ceramic"].pk, pottery.pk]}).status_code == 302
    )
    flags = dict(OverlapDecision.objects.values_list("strategy_b_id", "shown_by_finder"))
    assert flags == {max(shown): True, max(overlap["ceramic"].pk, pottery.pk): False}
    # Deciding the shown pair again keeps that the finder had shown it.
    assert (
        secretariat.post(url, {"fy": 2570, "decision": "not_overlap", "strategy": shown}).status_code == 302
    )
    assert OverlapDecision.objects.get(strategy_b_id=max(shown)).shown_by_finder
    for body in (secretariat.get(_url()).content.decode(), advisor.get(national).content.decode()):
        record = _record(body)
        assert "ได้รับการพิจารณาแล้ว 1 คู่ ซ้ำซ้อนจริง 0 คู่" in record and "ไม่ได้แสดงเพิ่มอีก 1 คู่" in record


def test_it_hides_strategies_a_planner_may_not_open(overlap, cast, client_for):
    body = client_for(cast["planner"]).get(_url()).content.decode()
    assert MIGRANT_CM[0] in body  # their own
    assert MIGRANT_LP[0] not in body  # Lampang's: the overlap shows, its title does not
    assert client_for(cast["secretariat"]).get(_url()).content.decode().count(MIGRANT_LP[0]) >= 1


def test_it_shows_an_empty_cluster_without_error(cast, client_for, round_2570):
    response = client_for(cast["secretariat_other"]).get(_url("NE-UP1"))
    assert response.status_code == 200
    assert response.context["page"].groups == [] and response.context["page"].flagged == []
    # An empty list is not proof: the page says how often the finder misses, from its last held-out measure.
    from strategies.decision import semantic

    body = response.content.decode()
    recall = f"{round(semantic.MEASURED_GROUP_RECALL * 100)}%"
    precision = f"{round(semantic.MEASURED_GROUP_PRECISION * 100)}%"
    assert 'id="finder-measured"' in body and recall in body and precision in body
    assert "รายการนี้เป็นข้อเสนอให้ตรวจสอบ" in body  # in Thai by default


def test_it_shows_gaps_from_approved_assessments(overlap, cast, client_for, round_2570, filler, advisor):
    # Chiang Mai approved with People weak (level 2) everywhere else fine; the migrant-worker indicator
    # PE-03 is claimed by Chiang Mai's strategy, PE-01 by nobody.
    def level(i, ind):
        return 2 if ind.dimension == "people" else 4

    filler("TH-50", round_2570, level_for=level, status=AssessmentStatus.APPROVED, by=advisor)
    overlap["cm"].indicators.set(round_2570.indicators.filter(code="PE-03"))
    page = client_for(cast["advisor"]).get(_url()).context["page"]
    cm = next(u for u in page.province_gaps if u.code == "TH-50")
    by_code = {v.gap.indicator.code: v for v in cm.gaps if v.gap.kind == "indicator"}
    assert by_code["PE-03"].gap.coverage == "covered" and [s.pk for s in by_code["PE-03"].covered] == [
        overlap["cm"].pk
    ]
    assert by_code["PE-01"].gap.coverage == "partial"  # the strategies build People in general
    assert not any(v.gap.dimension == "place" for v in cm.gaps)
    assert page.uncovered == 0
    overlap["cm"].indicators.clear()
    Strategy.objects.filter(pk__in=[overlap["cm"].pk, overlap["lp"].pk]).update(builds_people=False)
    page = client_for(cast["advisor"]).get(_url()).context["page"]
    assert page.uncovered > 0
    judged = [s.pk for s in page.misdirected + page.no_claims]
    assert overlap["cluster"].pk in judged  # builds Place, which is not weak anywhere approved
    assert overlap["ceramic"].pk not in judged  # Lampang has no approved assessment: not judged


def test_it_filters_projects_needing_integrated_funding(overlap, cast, client_for, planner, planner_lampang):
    BudgetEnvelope.objects.create(
        province=Province.objects.get(code="TH-50"), fiscal_year=2570, amount=100_000_000
    )
    BudgetEnvelope.objects.create(
        province=Province.objects.get(code="TH-52"), fiscal_year=2570, amount=100_000_000
    )
    own = _project(overlap["cm"], planner, 90_000_000, ["TH-50"])
    ppp = _project(overlap["lp"], planner_lampang, 90_000_000, ["TH-52"], funding="ppp")
    client = client_for(cast["advisor"])
    assert [f.project.pk for f in client.get(_url()).context["page"].flagged] == [own.pk, ppp.pk]
    assert [f.project.pk for f in client.get(_url(funding="needs")).context["page"].flagged] == [own.pk]


def test_it_keeps_the_tabs_query_count_independent_of_data_size(
    overlap, cast, client_for, make_strategy, planner, planner_lampang, round_2570, filler, advisor
):
    filler("TH-50", round_2570, level_for=lambda i, ind: 2, status=AssessmentStatus.APPROVED, by=advisor)
    BudgetEnvelope.objects.create(
        province=Province.objects.get(code="TH-50"), fiscal_year=2570, amount=10_000_000
    )
    _project(overlap["cm"], planner, 9_000_000, ["TH-50"])  # one of everything to begin with
    overlap["cm"].indicators.set(round_2570.indicators.filter(dimension="people")[:1])
    client = client_for(cast["advisor"])
    last = []

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url()).status_code == 200
            assert client.get(reverse("decision_national") + "?fy=2570").status_code == 200
        last[:] = ctx.captured_queries
        return len(ctx.captured_queries)

    few = count()
    first = [q["sql"][:90] for q in last]
    for i in range(6):
        s = make_strategy("TH-50", planner, title_th=f"{MIGRANT_CM[0]} ระยะที่ {i}", summary_th=MIGRANT_CM[1])
        s.indicators.set(round_2570.indicators.filter(dimension="people")[:2])
        _project(s, planner, 9_000_000 + i, ["TH-50", "TH-52"])
        other = make_strategy(
            "TH-52", planner_lampang, title_th=f"{MIGRANT_LP[0]} {i}", summary_th=MIGRANT_LP[1]
        )
        _project(other, planner_lampang, 1_000, ["TH-52"])
    assert count() == few, "\n".join(first) + "\n----\n" + "\n".join(q["sql"][:90] for q in last)


def test_it_lets_advisors_sort_the_national_summary(overlap, cast, client_for):
    assert client_for(cast["planner"]).get(reverse("decision_national")).status_code == 404
    assert client_for(cast["secretariat"]).get(reverse("decision_national")).status_code == 404
    client = client_for(cast["advisor"])
    rows = client.get(reverse("decision_national") + "?fy=2570&sort=-overlap_groups").context["rows"]
    assert len(rows) == 18 and rows[0].cluster.code == "N-UP1" and rows[0].overlap_groups == 1
    codes = [
        r.cluster.code
        for r in client.get(reverse("decision_national") + "?fy=2570&sort=-cluster").context["rows"]
    ]
    assert codes == sorted(codes, reverse=True)
    assert client.get(reverse("decision_national") + "?sort=nonsense").status_code == 200


# --- the command --------------------------------------------------------------------------------------


def test_it_prints_groups_as_json(overlap):
    out = StringIO()
    call_command("find_overlaps", "--cluster", "n-up1", "--fiscal-year", "2570", "--json", stdout=out)
    groups = json.loads(out.getvalue())
    assert len(groups) == 1
    (group,) = groups
    assert set(group) == {"cluster", "fiscal_year", "strategies", "score", "terms"}
    assert group["cluster"] == "N-UP1" and group["fiscal_year"] == 2570
    assert sorted(group["strategies"]) == sorted(
        ["CM-02", str(overlap["lp"].pk)]
    )  # the reference, else the id
    assert 0 < group["score"] <= 1 and all(isinstance(t, str) for t in group["terms"])
    out = StringIO()
    call_command("find_overlaps", "--fiscal-year", "2569", "--json", stdout=out)
    assert json.loads(out.getvalue()) == []


def test_it_benchmarks_without_the_database(capsys):
    out = StringIO()
    call_command("find_overlaps", "--benchmark", "200", stdout=out)
    assert "200 strategies" in out.getvalue()


def test_it_loads_demo_envelopes_idempotently(reference):
    from devdata.demo_decision import demo_envelopes_load

    assert demo_envelopes_load() == 77 * 2
    BudgetEnvelope.objects.filter(province__code="TH-50", fiscal_year=2570).update(amount=1)
    assert demo_envelopes_load() == 0
    assert BudgetEnvelope.objects.get(province__code="TH-50", fiscal_year=2570).amount == 1
    bangkok = BudgetEnvelope.objects.get(province__code="TH-10", fiscal_year=2570).amount
    assert bangkok > max(e.amount for e in BudgetEnvelope.objects.exclude(province__code="TH-10"))
    assert Project.objects.count() == 0
