from decimal import Decimal

import pytest

from readiness import scoring


def test_it_maps_levels_1_to_5_onto_0_to_100():
    assert [scoring.level_points(level) for level in (1, 2, 3, 4, 5)] == [0, 25, 50, 75, 100]
    with pytest.raises(ValueError):
        scoring.level_points(6)


def test_it_takes_the_weighted_mean_of_answered_indicators():
    # (2 × 75 + 1 × 25) / 3 = 58.33…
    scores = scoring.compute([("place", Decimal("2"), 4), ("place", Decimal("1"), 2)])
    assert scores.score("place") == pytest.approx(175 / 3)


def test_it_leaves_blank_indicators_out_instead_of_counting_zero():
    with_blank = scoring.compute([("people", 1, 5), ("people", 1, None)])
    assert with_blank.score("people") == 100
    assert with_blank.dimensions["people"].completeness == 0.5


def test_it_gives_no_score_to_a_dimension_without_answers_and_then_no_overall():
    scores = scoring.compute([("place", 1, 3), ("product", 1, 5), ("people", 1, None)])
    assert scores.score("people") is None
    assert scores.overall is None


def test_it_averages_the_three_dimensions_for_the_overall_score():
    scores = scoring.compute([("place", 1, 1), ("product", 3, 5), ("product", 1, 1), ("people", 1, 3)])
    # place 0, product (3×100 + 1×0)/4 = 75, people 50 → overall 41.67
    assert scores.as_dict()["product"] == 75
    assert scores.overall == pytest.approx(125 / 3)
    assert scores.completeness == 1


def test_it_gives_the_same_numbers_from_database_aggregates():
    items = [("place", Decimal("1.5"), 4), ("place", Decimal("1"), 1), ("place", Decimal("2"), None)]
    direct = scoring.compute(items)
    aggregated = scoring.from_aggregates(
        [
            {
                "dimension": "place",
                "weighted_levels": 1.5 * 4 + 1 * 1,
                "answered_weight": 2.5,
                "answered": 2,
                "total": 3,
            }
        ]
    )
    assert aggregated.score("place") == pytest.approx(direct.score("place")) == pytest.approx(45.0)
    assert aggregated.dimensions["place"].completeness == pytest.approx(2 / 3)
