"""The held-out sets' shape check refuses what a set must not be (tests/strategies/labelled_checks.py)."""

import pytest

from tests.strategies.data import heldout_e
from tests.strategies.labelled_checks import check_labelled_set

CHECK = dict(
    earlier=[],
    first_id=8001,
    clusters={"C-UP", "NE-UP2", "NE-LO1", "C-LO2", "N-LO2"},
    least_rows=270,
    least_groups=60,
    least_pairs=120,
    least_notes={"en": 15},
    least_decoys=90,
    least_one_word=5,
)


def _changed(row_id: int, column: int, value) -> list[tuple]:
    return [
        tuple(value if i == column else v for i, v in enumerate(r)) if r[0] == row_id else r
        for r in heldout_e.ROWS
    ]


def test_it_passes_a_set_as_it_was_written():
    check_labelled_set(heldout_e.ROWS, **CHECK)


def test_it_refuses_a_decoy_in_a_group():
    decoy = next(r for r in heldout_e.ROWS if "decoy-near" in r[10])
    grouped = next(r for r in heldout_e.ROWS if r[4] and r[2] == decoy[2] and r[1] == decoy[1])
    with pytest.raises(AssertionError):
        check_labelled_set(_changed(decoy[0], 4, grouped[4]), **CHECK)


def test_it_refuses_a_group_across_fiscal_years_an_unknown_owner_and_a_reused_id():
    member = next(r for r in heldout_e.ROWS if r[4])
    with pytest.raises(AssertionError):
        check_labelled_set(_changed(member[0], 1, member[1] + 1 if member[1] < 2571 else 2569), **CHECK)
    with pytest.raises(AssertionError):
        check_labelled_set(_changed(member[0], 3, "TH-10"), **CHECK)
    with pytest.raises(AssertionError):
        check_labelled_set(heldout_e.ROWS, **{**CHECK, "earlier": [heldout_e.ROWS[0]]})
