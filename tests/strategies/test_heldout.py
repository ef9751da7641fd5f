"""The evaluation harness (strategies/decision/evaluation.py) and the frozen held-out set."""

import csv
import hashlib
import json
from collections import defaultdict
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from strategies.decision import evaluation, overlaps
from strategies.decision.evaluation import LabelledSet
from strategies.decision.overlaps import Doc
from tests.strategies.data import heldout_set, overlap_set

# The held-out set is frozen: it is never tuned on, so it must never change either. If this fails because
# the set was edited, revert the edit — a different set needs a NEW held-out set, written by someone who
# has not looked at the finder's results on it, and a new constant here.
HELDOUT_SHA256 = "d39ea497fb932999e132584b20b3df2fb471eda1d034d4f78eefbc49ad8d3137"


def _heldout() -> LabelledSet:
    return LabelledSet.from_rows("heldout", heldout_set.ROWS)


def _tuning() -> LabelledSet:
    return LabelledSet.from_rows("tuning", overlap_set.ROWS + overlap_set.HELDOUT_ROWS)


def test_it_keeps_the_heldout_set_frozen():
    canonical = json.dumps(heldout_set.ROWS, ensure_ascii=False, separators=(",", ":"))
    assert hashlib.sha256(canonical.encode()).hexdigest() == HELDOUT_SHA256


def test_it_has_a_heldout_set_as_large_and_varied_as_asked():
    rows = heldout_set.ROWS
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)) >= 150
    tuning_ids = {r[0] for r in overlap_set.ROWS + overlap_set.HELDOUT_ROWS}
    assert not tuning_ids & set(ids)
    labelled = _heldout()
    assert len(evaluation.true_pairs(labelled)) >= 40
    assert len({r[2] for r in rows}) >= 5
    # Real clusters, and owners that are the cluster or one of its member provinces.
    path = Path(settings.BASE_DIR) / "provinces" / "data" / "clusters.csv"
    with path.open(encoding="utf-8") as f:
        members = {row["cluster_code"]: set(row["members"].split(";")) for row in csv.DictReader(f)}
    for r in rows:
        assert r[3] == r[2] or r[3] in members[r[2]], r
    # Groups of 2–4 strategies of one bucket (cluster and fiscal year), each with at least two owners.
    groups = defaultdict(list)
    for r in rows:
        if r[4]:
            groups[r[4]].append(r)
    assert len(groups) == len(evaluation.true_groups(labelled))
    for name, members_ in groups.items():
        assert 2 <= len(members_) <= 4, name
        assert len({(r[1], r[2]) for r in members_}) == 1, name
        assert len({r[3] for r in members_}) >= 2, name
    noted = defaultdict(int)
    for notes in heldout_set.notes().values():
        for n in notes:
            noted[n] += 1
    for kind in (
        "loan",
        "latin",
        "abbr",
        "en",
        "para",
        "decoy-generic",
        "decoy-year",
        "decoy-owner",
        "decoy-copy",
    ):
        assert noted[kind] >= 3, kind


def _doc(id, owner, title, *, fy=2570):
    return Doc(id=id, cluster="N-UP1", fiscal_year=fy, owner=owner, title=title)


COFFEE = "ปลูกกาแฟอาราบิก้าบนดอยสูง คั่วเมล็ดกาแฟ และสร้างตราสินค้ากาแฟชุมชน"
ROAD = "ซ่อมแซมถนนลูกรังในหมู่บ้าน ขุดคูระบายน้ำ และติดตั้งไฟส่องสว่างริมทาง"
MANGROVE = "ฟื้นฟูป่าชายเลน ปลูกต้นโกงกาง และปล่อยปูดำคืนสู่ธรรมชาติ"


def test_it_counts_pairs_and_groups_on_a_tiny_example():
    labelled = LabelledSet(
        name="tiny",
        docs=(
            _doc(1, "TH-50", COFFEE),
            _doc(2, "TH-51", COFFEE),
            _doc(7, "TH-50", COFFEE),  # the same owner as 1: in the group, but 1–7 is not a pair
            _doc(11, "TH-52", COFFEE, fy=2569),  # another fiscal year, no group: never linked to 1, 2, 7
            _doc(3, "TH-52", ROAD),  # 3 and 4 read alike but are two subjects: a wrong group
            _doc(4, "TH-58", ROAD),
            _doc(5, "TH-51", "อบรมครูคณิตศาสตร์ระดับประถมศึกษาด้วยสื่อการสอนใหม่"),  # 5 and 6: missed
            _doc(6, "TH-52", "ฉีดวัคซีนโคกระบือป้องกันโรคปากและเท้าเปื่อยในฟาร์มเกษตรกร"),
            _doc(8, "TH-51", MANGROVE),  # 8, 9, 10: only 8–9 found, a correct part of the true group
            _doc(9, "TH-52", MANGROVE),
            _doc(10, "TH-58", "จัดตลาดนัดผ้าไหมมัดหมี่ประจำสัปดาห์ที่หน้าศาลากลาง"),
            _doc(12, "TH-50", ROAD),  # a group of one owner only is no true group
        ),
        labels={1: "coffee", 2: "coffee", 7: "coffee", 3: "road-a", 4: "road-b", 12: "road-a"}
        | {5: "teach", 6: "teach", 8: "mangrove", 9: "mangrove", 10: "mangrove"},
    )
    assert evaluation.true_pairs(labelled) == {
        frozenset(p) for p in [(1, 2), (2, 7), (3, 12), (5, 6), (8, 9), (8, 10), (9, 10)]
    }
    # Without 12, road-a has one member: no true group.
    without_12 = labelled.subset(d.id for d in labelled.docs if d.id != 12)
    assert [sorted(g) for g in evaluation.true_groups(without_12)] == [[1, 2, 7], [5, 6], [8, 9, 10]]
    s = evaluation.score(without_12, 0.30)
    assert (s.pair_tp, s.pair_fp, s.pair_fn) == (3, 1, 3)  # found 1–2, 2–7, 8–9; wrong 3–4
    assert (s.groups_true, s.groups_found) == (3, 1)  # {1, 2, 7}
    assert (s.groups_reported, s.groups_correct) == (3, 2)  # {1, 2, 7} and {8, 9} are right, {3, 4} not
    assert s.pair_precision == pytest.approx(0.75) and s.pair_recall == pytest.approx(0.5)
    assert s.group_precision == pytest.approx(2 / 3) and s.group_recall == pytest.approx(1 / 3)
    assert s.group_f1 == pytest.approx(2 * (2 / 3) * (1 / 3) / (2 / 3 + 1 / 3))
    missed, wrong = evaluation.missed_and_wrong(without_12, 0.30)
    assert [[d.id for d in g] for g in missed] == [[5, 6], [8, 9, 10]]
    assert [[d.id for d in g] for g in wrong] == [[3, 4]]
    # With 12 (road-a = {3, 12}), the reported {3, 4, 12} holds road-a whole but mixes in road-b.
    s = evaluation.score(labelled, 0.30)
    assert (s.groups_true, s.groups_found, s.groups_reported, s.groups_correct) == (4, 2, 3, 2)
    assert (s.pair_tp, s.pair_fp, s.pair_fn) == (4, 2, 3)  # 3–12 found; 3–4 and 4–12 wrong


def test_it_counts_pairs_as_the_finder_s_own_measure_does():
    tuning = _tuning()
    docs = overlap_set.docs(overlap_set.ROWS + overlap_set.HELDOUT_ROWS)
    truth = overlap_set.truth(overlap_set.ROWS + overlap_set.HELDOUT_ROWS)
    assert evaluation.true_pairs(tuning) == truth
    for threshold in (0.25, 0.30):
        m = overlaps.measure(docs, truth, threshold=threshold)
        s = evaluation.score(tuning, threshold)
        assert (s.pair_tp, s.pair_fp, s.pair_fn) == (m.true_positives, m.false_positives, m.false_negatives)


def test_it_cross_validates_by_whole_groups():
    tuning = _tuning()
    parts = evaluation.folds(tuning, 5)
    assert len(parts) == 5
    assert sum(len(p) for p in parts) == len(tuning.docs) == len(frozenset().union(*parts))
    for group in evaluation.true_groups(tuning):
        assert sum(1 for p in parts if group & p) == 1  # a group is never split across folds
    assert parts == evaluation.folds(tuning, 5)  # deterministic
    grid = (0.15, 0.25, 0.30, 0.45)
    cv = evaluation.cross_validate(tuning, k=5, grid=grid, by=evaluation.BY_GROUP)
    assert len(cv.chosen) == 5 and set(cv.chosen) <= set(grid) and cv.threshold in grid
    # Every true group and pair is tested exactly once, in the fold that holds it.
    assert cv.tested.groups_true == len(evaluation.true_groups(tuning))
    assert cv.tested.pair_tp + cv.tested.pair_fn == len(evaluation.true_pairs(tuning))
    # Too loose and too strict thresholds lose on the training folds.
    assert 0.15 not in cv.chosen and 0.45 not in cv.chosen


def test_it_reports_the_current_figures_on_both_sets():
    for labelled in (_tuning(), _heldout()):
        for s in evaluation.scores(labelled, (0.25, settings.OVERLAP_THRESHOLD, 0.35)):
            print(
                f"{labelled.name} {s.threshold:.2f}: pairs P {s.pair_precision:.2f} R {s.pair_recall:.2f} "
                f"({s.pair_tp}/{s.pair_fp}/{s.pair_fn}), groups P {s.group_precision:.2f} "
                f"R {s.group_recall:.2f} ({s.groups_found}/{s.groups_true}, {s.groups_correct}/{s.groups_reported})"
            )
            assert 0 <= s.group_recall <= 1 and s.groups_true == len(evaluation.true_groups(labelled))


def test_it_cross_validates_by_whole_clusters():
    both = LabelledSet(
        name="tuning+a",
        docs=_tuning().docs + _heldout().docs,
        labels={**_tuning().labels, **_heldout().labels},
    )
    parts = evaluation.folds(both, 6, by=evaluation.BY_CLUSTER)
    assert sum(len(p) for p in parts) == len(both.docs) == len(frozenset().union(*parts))
    cluster_of = {d.id: d.cluster for d in both.docs}
    clusters = [{cluster_of[i] for i in p} for p in parts]
    assert all(
        not (a & b) for i, a in enumerate(clusters) for b in clusters[i + 1 :]
    )  # a cluster in one fold
    groups = [sum(1 for g in evaluation.true_groups(both) if min(g) in p) for p in parts]
    assert max(groups) - min(groups) <= 3  # dealt by their true groups
    assert parts == evaluation.folds(both, 6, by=evaluation.BY_CLUSTER)  # deterministic
    with pytest.raises(ValueError):
        evaluation.folds(both, 6, by="province")


def test_it_prints_the_report_and_never_lists_the_heldout_misses():
    out = StringIO()
    call_command(
        "evaluate_overlaps", "--finder", "lexical", "--set", "a", "--thresholds", "0.3", "--folds", "2",
        stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "a: 158 strategies, 68 true pairs in 30 groups" in text
    assert "| 0.30 (setting) |" in text and "cross-validation on a (2 folds by cluster" in text
    assert "true pairs found at 0.30, by what is hard about a member" in text
    out = StringIO()
    call_command(
        "evaluate_overlaps", "--finder", "lexical", "--set", "tuning", "--thresholds", "0.3", "--folds", "2",
        "--folds-by", "group", "--misses", stdout=out,
    )  # fmt: skip
    assert "groups not found whole" in out.getvalue() and "(2 folds by group)" in out.getvalue()
    with pytest.raises(CommandError, match="never read pair by pair"):
        call_command("evaluate_overlaps", "--set", "f", "--misses", stdout=StringIO())


def test_it_measures_set_f_at_the_setting_chosen_on_the_spent_sets(monkeypatch):
    """Set F (tests/strategies/data/heldout_f.py) is imported by module name only when asked for; here a
    stand-in module of the same layout takes its place — the real one is never read by these tests."""
    import sys
    import types

    from strategies.management.commands import evaluate_overlaps

    stand_in = types.ModuleType("stand_in_f")
    stand_in.ROWS = [  # type: ignore[attr-defined]  # a module attribute set on the fly
        (9001, 2570, "N-UP1", "TH-50", "b-coffee", "economic", "development", "product",
         "ส่งเสริมการปลูกกาแฟอาราบิก้าบนดอยสูง", "คั่วเมล็ดกาแฟ และสร้างตราสินค้ากาแฟชุมชน", ""),
        (9002, 2570, "N-UP1", "TH-51", "b-coffee", "economic", "development", "product",
         "ส่งเสริมการปลูกกาแฟอาราบิก้าบนพื้นที่สูง", "แปรรูปเมล็ดกาแฟและสร้างตราสินค้ากาแฟชุมชน", "para"),
        (9003, 2570, "N-UP1", "TH-52", "", "economic", "development", "place",
         "ซ่อมแซมถนนลูกรังในหมู่บ้าน", "ขุดคูระบายน้ำ และติดตั้งไฟส่องสว่างริมทาง", "decoy-generic"),
    ]  # fmt: skip
    monkeypatch.setitem(sys.modules, "stand_in_f", stand_in)
    monkeypatch.setitem(evaluate_overlaps.MODULES, "f", "stand_in_f")
    out = StringIO()
    call_command("evaluate_overlaps", "--finder", "lexical", "--set", "f", "--folds", "2", stdout=out)
    text = out.getvalue()
    assert "cross-validation on tuning+a+b+c+d+e (2 folds by cluster)" in text
    assert "f: 3 strategies, 1 true pairs in 1 groups (measured only: nothing is chosen on it)" in text
    assert "held-out set F at the setting 0.30: pairs precision 1.00 recall 1.00" in text
    assert "para 1 / 1" in text
    monkeypatch.setitem(evaluate_overlaps.MODULES, "f", "no_such_module_f")
    with pytest.raises(CommandError, match="not installed here"):
        call_command("evaluate_overlaps", "--finder", "lexical", "--set", "f", stdout=StringIO())


@pytest.mark.xfail(
    strict=True,
    reason="the finder has not yet been improved for loanwords, abbreviations, English-only titles and "
    "paraphrases; this flips to a pass (and then must lose its mark) when it is",
)
def test_it_meets_the_targets_on_the_heldout_set_as_groups():
    s = evaluation.score(_heldout(), settings.OVERLAP_THRESHOLD)
    assert s.group_recall >= 0.95 and s.group_precision >= 0.9, s
