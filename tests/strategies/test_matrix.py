from decimal import Decimal

import pytest

from strategies.matrix import QUADRANTS, SPLIT, quadrant_of
from strategies.services import effect_from_scores


@pytest.mark.parametrize(
    ("asean", "national", "letter"),
    [
        (51, 51, "ก"), (50, 50, "ก"), (49, 49, "ง"),
        (50, 49, "ข"), (51, 49, "ข"), (49, 50, "ค"), (49, 51, "ค"),
        (100, 0, "ข"), (0, 100, "ค"), (0, 0, "ง"),
    ],
)  # fmt: skip
def test_it_splits_the_matrix_at_50_with_50_counting_as_high(asean, national, letter):
    assert quadrant_of(asean, national) == letter


def test_it_keeps_the_letters_and_the_split_in_one_place():
    assert SPLIT == 50
    assert list(QUADRANTS) == ["ก", "ข", "ค", "ง"]
    assert QUADRANTS["ก"].asean_high and QUADRANTS["ก"].national_high
    assert QUADRANTS["ง"].centre == (25.0, 25.0)


class C:
    def __init__(self, pk, weight):
        self.pk, self.weight = pk, Decimal(weight)


def test_it_scales_the_weighted_checklist_to_0_100():
    criteria = [C(1, 1), C(2, 1), C(3, 2)]
    assert effect_from_scores(criteria, {1: 4, 2: 4, 3: 4}) == 100
    assert effect_from_scores(criteria, {}) == 0
    # (1×4 + 1×0 + 2×2) / (4×4) = 8/16
    assert effect_from_scores(criteria, {1: 4, 2: 0, 3: 2}) == 50
    assert effect_from_scores(criteria, {1: 2, 2: 2, 3: 1}) == pytest.approx(37.5)
