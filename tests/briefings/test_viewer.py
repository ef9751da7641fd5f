"""A briefing is made for its reader: every section reads through the pages' selectors as that user, and
says how much was left out. (Every document of every cast member: tests/test_derived_documents.py.)"""

import pytest

from briefings.document import document
from briefings.gather import BriefingDataError
from briefings.rendering import document_html
from briefings.spec import BriefingSpec
from provinces.models import Cluster, Province
from strategies.models import Strategy

from .conftest import N_UP1, level

pytestmark = pytest.mark.django_db

SUMMARY = "พัฒนาด่านชายแดนและการค้าชายแดน เชื่อมโยงโลจิสติกส์ การค้าข้ามแดน และการท่องเที่ยวของกลุ่มจังหวัด"


@pytest.fixture
def overlapping(filler, round_2570, advisor):
    """Weak approved readiness in N-UP1, and the same endorsed strategy drafted by Chiang Mai, Lampang and
    the cluster: an overlap group, and gaps each of them covers."""
    for code in N_UP1:
        filler(code, round_2570, level_for=level(1), status="approved", by=advisor)
    owners = {
        "Osprey": {"province": Province.objects.get(code="TH-50")},
        "Heron": {"province": Province.objects.get(code="TH-52")},
        "Falcon": {"cluster": Cluster.objects.get(code="N-UP1")},
    }
    return {
        word: Strategy.objects.create(
            **owner,
            fiscal_year=2570,
            status="endorsed",
            work_area="development",
            pillar="economic",
            title_th=f"ยกระดับด่านชายแดนการค้า {word}",
            summary_th=SUMMARY,
            builds_place=True,
            asean_effect=70,
            national_effect=65,
        )  # fmt: skip
        for word, owner in owners.items()
    }


def _section(doc, key):
    return next(s for s in doc.sections if s.key == key)


def test_the_decision_section_shows_another_provinces_strategy_without_its_title(
    overlapping, planner_lampang, secretariat
):
    spec = BriefingSpec("cluster", "N-UP1", 2570, "en")
    doc = document(spec, viewer=planner_lampang)
    decision = _section(doc, "decision")
    (group,) = decision.context["groups"]
    assert {i.title: i.visible for i in group.items if i.visible} == {
        "ยกระดับด่านชายแดนการค้า Heron": True,
        "ยกระดับด่านชายแดนการค้า Falcon": True,
    }
    assert [i.owner for i in group.items if not i.visible] == ["Chiang Mai"]
    html = document_html(doc)
    assert "Osprey" not in html and "Heron" in html and "Falcon" in html
    assert "a strategy you cannot open" in html
    assert html.count("1 strategy of other provinces is not shown at your access level.") == 2  # twice
    assert "The projects and budgets of" not in html  # no project section: nobody has projects
    strategies = _section(doc, "strategies").context
    assert strategies["hidden"] == 1
    assert {s.title_th[-6:] for _letter, items in strategies["by_quadrant"] for s in items} == {
        " Heron",
        "Falcon",
    }
    everything = document_html(document(spec, viewer=secretariat))
    assert "Osprey" in everything and "not shown at your access level" not in everything
    # As on the tab: the groups are suggestions, with the finder's last held-out measure.
    from strategies.decision import semantic

    measured = f"{round(semantic.MEASURED_GROUP_PRECISION * 100)}% of the groups it showed were true overlaps"
    assert measured in html and f"it found {round(semantic.MEASURED_GROUP_RECALL * 100)}%" in html


def test_a_planner_with_no_strategy_of_their_own_is_told_what_was_left_out(overlapping, planner_lampang):
    Strategy.objects.exclude(province__code="TH-50").delete()
    doc = document(BriefingSpec("cluster", "N-UP1", 2570, "th"), viewer=planner_lampang)
    section = _section(doc, "strategies")
    assert section.context["hidden"] == 1 and section.context["matrix"] == ""
    html = document_html(doc)
    assert "Osprey" not in html
    assert "ยุทธศาสตร์ของจังหวัดอื่น 1 รายการไม่แสดงในเอกสารนี้ตามระดับสิทธิ์การเข้าถึงของท่าน" in html


def test_it_refuses_a_subject_or_figures_the_viewer_may_not_see(overlapping, planner, secretariat_other):
    with pytest.raises(BriefingDataError):
        document(BriefingSpec("cluster", "N-UP1", 2570), viewer=secretariat_other)
    with pytest.raises(BriefingDataError):
        document(BriefingSpec("national", "TH", 2570), viewer=planner)
    with pytest.raises(BriefingDataError):  # other provinces' unapproved figures
        document(BriefingSpec("cluster", "N-UP1", 2570, include_unapproved=True), viewer=planner)


def test_an_approved_only_briefing_says_how_many_overlap_groups_it_left_out(overlapping, secretariat):
    Strategy.objects.filter(title_th__endswith="Heron").update(status="draft")
    approved_only = document(BriefingSpec("cluster", "N-UP1", 2570, "th"), viewer=secretariat)
    decision = _section(approved_only, "decision")
    assert decision.context["groups"] == [] and decision.context["groups_left_out"] == 1
    html = document_html(approved_only)
    assert "อีก 1 กลุ่มมียุทธศาสตร์ที่ยังไม่ได้รับการรับรอง จึงไม่แสดงในเอกสารสรุปนี้" in html
    assert "ไม่พบยุทธศาสตร์ที่ซ้ำซ้อนกัน" not in html  # not "none found" when one was left out
    draft = document(
        BriefingSpec("cluster", "N-UP1", 2570, "th", include_unapproved=True), viewer=secretariat
    )
    decision = _section(draft, "decision")
    assert len(decision.context["groups"]) == 1 and decision.context["groups_left_out"] == 0
    assert "ไม่แสดงในเอกสารสรุปนี้" not in document_html(draft)


def test_a_briefing_states_the_finders_record_on_these_plans(overlapping, secretariat, advisor):
    # The decisions taken measure the finder on real plans; the cluster and national briefings say so.
    from strategies.decision import services as decision_services

    cluster_spec, national_spec = (
        BriefingSpec("cluster", "N-UP1", 2570, "th"),
        BriefingSpec("national", "TH", 2570, "th"),
    )
    assert "ยังไม่มีการพิจารณาความซ้ำซ้อน" in document_html(document(cluster_spec, viewer=secretariat))
    group = _section(document(cluster_spec, viewer=secretariat), "decision").context["groups"][0]
    decision_services.overlap_decide(
        cluster=secretariat.scope.cluster, fiscal_year=2570, strategy_ids=[s.pk for s in group.items],
        decision="not_overlap", by=secretariat,
    )  # fmt: skip
    pairs = sum(
        1 for i, a in enumerate(group.items) for b in group.items[i + 1 :] if a.owner_code != b.owner_code
    )
    for spec, viewer in ((cluster_spec, secretariat), (national_spec, advisor)):
        html = document_html(document(spec, viewer=viewer))
        assert f"ได้รับการพิจารณาแล้ว {pairs} คู่ ซ้ำซ้อนจริง 0 คู่" in html, spec
        assert "ไม่ได้แสดงเพิ่มอีก 0 คู่" in html
