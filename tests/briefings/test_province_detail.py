"""A province's briefing lists its indicators weakest first: this round's level beside last round's
approved one, with how much evidence backs each."""

import pytest

from briefings.document import document
from briefings.rendering import document_html
from briefings.spec import BriefingSpec
from readiness import services
from readiness.choices import EvidenceKind
from readiness.models import Evidence

pytestmark = pytest.mark.django_db


def _readiness(doc):
    return next(s for s in doc.sections if s.key == "readiness").context


@pytest.fixture
def chiang_mai(filler, round_2569, round_2570, advisor):
    """Last round: every indicator at 3. This round: levels 1–5 in turn, one unanswered, two links on the
    first indicator; approved."""
    filler("TH-50", round_2569, level_for=lambda i, ind: 3, status="approved", by=advisor)
    levels = lambda i, ind: None if i == 7 else 1 + i % 5  # noqa: E731
    assessment = filler("TH-50", round_2570, level_for=levels, status="submitted")
    first = assessment.answers.select_related("indicator").order_by("indicator__position").first()
    for n in (1, 2):
        Evidence.objects.create(
            answer=first, kind=EvidenceKind.LINK, url=f"https://example.go.th/{n}", title="x"
        )
    services.assessment_approve(assessment=assessment, by=advisor)
    return {"first": first.indicator.code, "indicators": round_2570.indicators.count()}


def test_it_lists_every_indicator_weakest_first_with_last_year_and_evidence(chiang_mai, advisor):
    doc = document(BriefingSpec("province", "TH-50", 2570, "th"), viewer=advisor)
    levels = _readiness(doc)["indicators"]
    assert len(levels) == chiang_mai["indicators"] == 30
    shown = [x.level for x in levels]
    assert shown[-1] is None  # the unanswered one last
    assert shown[:-1] == sorted(shown[:-1]) and shown[0] == 1
    assert {x.previous for x in levels} == {3}
    by_code = {x.indicator.code: x for x in levels}
    assert by_code[chiang_mai["first"]].evidence == 2 and by_code[chiang_mai["first"]].level == 1
    assert by_code[chiang_mai["first"]].change == -2
    assert sum(x.evidence for x in levels) == 2
    html = document_html(doc)
    assert "ตัวชี้วัด เรียงจากระดับต่ำสุด" in html and chiang_mai["first"] in html


def test_it_shows_the_answers_as_they_stand_when_the_briefing_includes_unapproved_figures(
    chiang_mai, advisor, planner
):
    from readiness.models import Answer, Assessment

    assessment = Assessment.objects.get(province__code="TH-50", round__fiscal_year=2570)
    answer = Answer.objects.get(assessment=assessment, indicator__code=chiang_mai["first"])
    services.answer_save(
        answer=answer, level=5, justification="ปรับปรุงแล้ว", expected_version=answer.version, by=planner
    )
    approved = {
        x.indicator.code: x.level
        for x in _readiness(document(BriefingSpec("province", "TH-50", 2570), viewer=advisor))["indicators"]
    }
    draft = {
        x.indicator.code: x.level
        for x in _readiness(document(BriefingSpec("province", "TH-50", 2570, include_unapproved=True), viewer=advisor))["indicators"]
    }  # fmt: skip
    assert approved[chiang_mai["first"]] == 1 and draft[chiang_mai["first"]] == 5
