"""Decision support without the database: Thai tokenisation, the overlap finder on the labelled set, budget
reach and gap coverage as pure functions."""

from decimal import Decimal

import pytest
from django.conf import settings

from strategies import thai_text
from strategies.decision import budget, gaps, overlaps
from strategies.decision.overlaps import Doc
from tests.strategies.data import overlap_set

# --- tokenisation and normalisation -------------------------------------------------------------------


def test_it_merges_thai_synonyms_into_one_word():
    assert "แรงงานข้ามชาติ" in thai_text.words("จัดระบบแรงงานต่างด้าวในโรงงาน")
    assert "แรงงานข้ามชาติ" in thai_text.words("ขึ้นทะเบียนแรงงานต่างชาติ")
    assert "แรงงานข้ามชาติ" in thai_text.words("บริการสุขภาพแรงงานข้ามชาติ")
    for verb in ("ยกระดับ", "เสริมสร้าง", "ส่งเสริม", "พัฒนา"):
        assert thai_text.words(f"{verb}ผลิตภัณฑ์ชุมชน")[:2] == ("พัฒนา", "สินค้า"), verb
    assert "ด่านชายแดน" in thai_text.words("ปรับปรุงจุดผ่านแดนบึงกาฬ")
    assert "ด่านชายแดน" in thai_text.words("ยกระดับด่านพรมแดนหนองคาย")
    assert "ท่องเที่ยว" in thai_text.words("ส่งเสริมการท่องเที่ยวและนักท่องเที่ยว")
    assert "ลาว" in thai_text.words("การค้ากับ สปป. ลาว")
    assert "น้ำท่วม" in thai_text.words("ป้องกันอุทกภัย")


def test_it_drops_stop_words_punctuation_and_digits():
    words = thai_text.words("โครงการพัฒนาจังหวัดและกลุ่มจังหวัดเพื่อประชาคมอาเซียน ปี 2570 (ระยะที่ 2)!")
    for gone in ("โครงการ", "จังหวัด", "กลุ่มจังหวัด", "และ", "เพื่อ", "อาเซียน", "2570", "(", "!"):
        assert gone not in words
    assert all(w and not any(c.isdigit() for c in w) for w in words)


def test_it_keeps_frontline_staff_apart_from_border_checkpoints():
    assert "ด่านหน้า" in thai_text.words("บุคลากรด่านหน้าของโรงพยาบาล")
    assert "ด่านชายแดน" not in thai_text.words("บุคลากรด่านหน้าของโรงพยาบาล")


def test_it_weighs_generic_words_and_places_less():
    assert thai_text.weight_of("พัฒนา") < 1 and thai_text.weight_of("เชียงใหม่") < 1
    assert thai_text.weight_of("ฮาลาล") == 1


def test_it_survives_bad_text():
    assert thai_text.words("") == ()
    assert thai_text.words("   ") == ()
    assert thai_text.words("Smart city data platform for Chiang Mai") == (
        "smart", "city", "ข้อมูล", "platform", "chiang", "mai",
    )  # fmt: skip
    long = "พัฒนาระบบข้อมูลแรงงานข้ามชาติ " * 400  # about 12,000 characters
    assert 0 < len(thai_text.words(long)) < 2000


# --- the overlap finder -------------------------------------------------------------------------------


def test_it_finds_the_labelled_overlaps_with_enough_precision_and_recall():
    docs, truth = overlap_set.docs(), overlap_set.truth()
    assert len(docs) >= 60 and len(truth) >= 25
    measure = overlaps.measure(docs, truth, threshold=settings.OVERLAP_THRESHOLD)
    assert measure.precision >= 0.8, measure
    assert measure.recall >= 0.9, measure
    # The held-out rows were written after tuning; the whole set must still meet the targets.
    rows = overlap_set.ROWS + overlap_set.HELDOUT_ROWS
    measure = overlaps.measure(
        overlap_set.docs(rows), overlap_set.truth(rows), threshold=settings.OVERLAP_THRESHOLD
    )
    assert measure.precision >= 0.8 and measure.recall >= 0.9, measure


def test_it_pairs_only_different_owners_of_one_cluster_and_year():
    docs = overlap_set.docs()
    by_id = {d.id: d for d in docs}
    groups = overlaps.find_groups(docs, threshold=settings.OVERLAP_THRESHOLD)
    assert groups
    for g in groups:
        assert {d.cluster for d in g.members} == {g.cluster}
        assert {d.fiscal_year for d in g.members} == {g.fiscal_year}
        assert len(g.owners) >= 2
        for p in g.pairs:
            assert p.a.owner != p.b.owner
    found = overlaps.group_pairs(groups)
    assert frozenset((4, 6)) not in found  # the same owner's own related strategies
    assert not any(33 in pair for pair in found)  # a copy of id 4, but in another cluster
    assert frozenset((14, 22)) not in found and frozenset((15, 22)) not in found  # another fiscal year
    assert frozenset((22, 23)) in found or by_id[22].fiscal_year == 2569  # FY 2569 is a bucket of its own


def test_it_reports_groups_with_a_score_and_shared_terms():
    groups = overlaps.find_groups(overlap_set.docs(), threshold=settings.OVERLAP_THRESHOLD)
    halal = next(g for g in groups if 39 in g.ids)
    assert set(halal.ids) == {38, 39, 40}
    assert "ฮาลาล" in halal.terms
    assert 0 < halal.score <= 1
    assert halal.members[0].owner == "S-BDR"  # the cluster's own strategy first: the natural merge target
    assert halal.as_json() == {
        "cluster": "S-BDR", "fiscal_year": 2570, "strategies": ["L038", "L039", "L040"],
        "score": round(halal.score, 2), "terms": halal.terms,
    }  # fmt: skip


def test_it_never_matches_on_tags_alone_or_on_too_little_text():
    same_tags = {"pillar": "economic", "work_area": "development", "dimensions": frozenset({"product"})}
    docs = [
        Doc(1, "N-UP1", 2570, "TH-50", "ส่งเสริมผ้าทอมือเชียงใหม่", "ออกแบบลายผ้าและตลาดออนไลน์", **same_tags),
        Doc(2, "N-UP1", 2570, "TH-52", "พัฒนาสนามบินลำปาง", "ขยายทางวิ่งและอาคารผู้โดยสาร", **same_tags),
        Doc(3, "N-UP1", 2570, "TH-51", "ท่องเที่ยว", "", **same_tags),
        Doc(4, "N-UP1", 2570, "TH-58", "", "", **same_tags),
        Doc(5, "N-UP1", 2570, "N-UP1", "ท่องเที่ยว", "", **same_tags),
        Doc(6, "N-UP1", 2570, "TH-50", "Tourism", "tourism tourist", **same_tags),
        Doc(7, "N-UP1", 2570, "TH-52", "พัฒนาระบบข้อมูล" * 700, "ข้อมูล " * 3000, **same_tags),
    ]
    assert overlaps.find_groups(docs, threshold=settings.OVERLAP_THRESHOLD) == []
    assert overlaps.find_groups([], threshold=0.3) == []


def test_it_leaves_out_pairs_already_decided():
    docs = overlap_set.docs()
    before = overlaps.find_groups(docs, threshold=settings.OVERLAP_THRESHOLD)
    coast = next(g for g in before if 51 in g.ids)
    after = overlaps.find_groups(
        docs, threshold=settings.OVERLAP_THRESHOLD, suppressed={frozenset(coast.ids)}
    )
    assert not any(51 in g.ids for g in after)
    assert len(after) == len(before) - 1


# --- budget reach -------------------------------------------------------------------------------------

ENVELOPE = Decimal(300_000_000)


def _assess(amount, members=0, funding="provincial", absolute=None):
    reach = budget.ReachSettings(
        share=Decimal("0.5"), absolute=absolute, ppp_threshold=Decimal(5_000_000_000)
    )
    return budget.assess(
        project_id=1, budget=Decimal(amount), funding_source=funding, envelope=ENVELOPE,
        envelope_province="TH-50", cluster_members_benefiting=members, reach=reach,
    )  # fmt: skip


def test_it_flags_a_project_just_above_half_the_envelope_and_not_at_half():
    assert _assess(150_000_000) is None
    assert _assess("150000000.01") is not None
    flag = _assess(200_000_000)
    assert flag.limit == Decimal(150_000_000) and flag.share_of_envelope == pytest.approx(2 / 3)
    assert flag.needs_integrated_funding
    assert not _assess(200_000_000, funding="cluster").needs_integrated_funding


def test_it_flags_above_an_absolute_limit_too():
    assert _assess(100_000_000, absolute=Decimal(80_000_000)) is not None
    assert (
        budget.assess(project_id=1, budget=Decimal(10**9), funding_source="provincial", envelope=None) is None
    )


def test_it_suggests_routes_in_order():
    assert [r.code for r in _assess(200_000_000).routes] == ["local_government", "private"]
    assert [r.code for r in _assess(200_000_000, members=1).routes] == ["local_government", "private"]
    assert [r.code for r in _assess(200_000_000, members=2).routes] == [
        "cluster",
        "local_government",
        "private",
    ]
    assert [r.code for r in _assess(4_999_999_999, members=3).routes] == [
        "cluster",
        "local_government",
        "private",
    ]
    assert [r.code for r in _assess(5_000_000_000, members=3).routes] == [
        "cluster", "local_government", "private", "ppp",
    ]  # fmt: skip


# --- gap coverage -------------------------------------------------------------------------------------

INDICATORS = [
    gaps.IndicatorInfo("PL-01", "place", "จุดผ่านแดน"),
    gaps.IndicatorInfo("PL-02", "place", "โลจิสติกส์"),
    gaps.IndicatorInfo("PE-01", "people", "ภาษา"),
]


def test_it_lists_weak_indicators_with_the_strategies_that_claim_them():
    readiness = {
        "TH-50": gaps.Readiness(
            dimensions={"place": 25.0, "product": None, "people": 75.0},
            levels={"PL-01": 2, "PL-02": 1, "PE-01": 4},
        ),  # fmt: skip
    }
    claims = [
        gaps.Claim(1, "TH-50", frozenset(), frozenset({"PL-01"})),  # claims the weak checkpoint indicator
        gaps.Claim(2, "TH-50", frozenset({"people"}), frozenset({"PE-01"})),  # builds what is strong
        gaps.Claim(3, "TH-52", frozenset({"place"}), frozenset({"PL-02"})),  # another province's
        gaps.Claim(4, "TH-50", frozenset(), frozenset()),  # claims nothing
    ]
    report = gaps.gap_report(
        cluster="N-UP1", members=["TH-50", "TH-51"], readiness=readiness, indicators=INDICATORS, claims=claims
    )
    cm = report.provinces[0]
    by_code = {g.indicator.code: g for g in cm.gaps if g.kind == "indicator"}
    assert by_code["PL-01"].coverage == gaps.Coverage.COVERED and by_code["PL-01"].covered_by == [1]
    assert by_code["PL-02"].coverage == gaps.Coverage.UNCOVERED  # strategy 3 is Lampang's, not Chiang Mai's
    assert "PE-01" not in by_code  # level 4: not weak
    place = next(g for g in cm.gaps if g.kind == "dimension")
    assert place.dimension == "place" and place.covered_by == [1]
    assert cm.uncovered == 1
    assert report.misdirected == [2] and report.no_claims == [4]
    assert report.provinces[1].has_data is False and report.provinces[1].gaps == []
    cluster_codes = {g.indicator.code: g for g in report.cluster.gaps if g.kind == "indicator"}
    assert cluster_codes["PL-02"].coverage == gaps.Coverage.COVERED  # the cluster counts every member's


def test_it_marks_a_weak_indicator_partly_covered_by_its_dimension():
    readiness = {"TH-50": gaps.Readiness({"place": 60.0}, {"PL-01": 5, "PL-02": 2})}
    claims = [gaps.Claim(7, "N-UP1", frozenset({"place"}), frozenset())]
    report = gaps.gap_report(
        cluster="N-UP1", members=["TH-50"], readiness=readiness, indicators=INDICATORS, claims=claims
    )
    (gap,) = report.provinces[0].gaps
    assert gap.indicator.code == "PL-02" and gap.coverage == gaps.Coverage.PARTIAL and gap.partly_by == [7]
    assert report.misdirected == []
