"""The readiness score formula — the one place it lives. The "about the method" page documents it.

* An answered indicator's points: level 1 → 0, 2 → 25, 3 → 50, 4 → 75, 5 → 100.
* Dimension score (Place / Product / People): the weighted mean of the points of the answered indicators
  of that dimension, weights as set in the round's framework.
* Blank indicators are left out of the mean — they lower completeness, they never count as zero.
* A dimension with no answered indicator has no score.
* Overall score: the mean of the three dimension scores; only when all three have a score
  (averaging two would silently overstate or understate the province).
* Completeness: answered indicators / all indicators of the round (per dimension and overall).
* Shown rounded to one decimal, half up (56.25 → 56.3) — by ``rounded``, on pages, charts, documents,
  exports and the API alike.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypedDict, overload

from .choices import DIMENSIONS


@overload
def rounded(value: float | Decimal, digits: int = 1) -> Decimal: ...
@overload
def rounded(value: None, digits: int = 1) -> None: ...


def rounded(value: float | Decimal | None, digits: int = 1) -> Decimal | None:
    """A figure as everyone is shown it: ``digits`` decimals, rounding half up as people do (56.25 → 56.3).

    Python's round() and "%.1f" would give 56.2: they round half to even, on a binary float. So every page,
    chart, document, export and API field rounds here, and a card never disagrees with its chart."""
    if value is None:
        return None
    shown = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return shown + 0  # no "-0.0"


def level_points(level: int) -> float:
    """Map a level 1–5 onto 0–100."""
    if not 1 <= level <= 5:
        raise ValueError(f"level must be 1–5, got {level}")
    return (level - 1) * 25.0


@dataclass
class DimensionScore:
    score: float | None
    answered: int
    total: int

    @property
    def completeness(self) -> float:
        return self.answered / self.total if self.total else 0.0


@dataclass
class Scores:
    """Scores of one assessment: per dimension and overall."""

    dimensions: dict[str, DimensionScore] = field(default_factory=dict)

    @property
    def overall(self) -> float | None:
        values = [
            score
            for d in DIMENSIONS
            if d in self.dimensions and (score := self.dimensions[d].score) is not None
        ]
        if len(values) < len(DIMENSIONS):  # a dimension missing or without a score
            return None
        return sum(values) / len(values)

    @property
    def answered(self) -> int:
        return sum(d.answered for d in self.dimensions.values())

    @property
    def total(self) -> int:
        return sum(d.total for d in self.dimensions.values())

    @property
    def completeness(self) -> float:
        return self.answered / self.total if self.total else 0.0

    def score(self, dimension: str) -> float | None:
        # A method, not __getitem__: Django templates would try it for every attribute look-up.
        item = self.dimensions.get(dimension)
        return item.score if item else None

    def as_dict(self) -> dict[str, float | None]:
        return {
            **{d: self.score(d) for d in DIMENSIONS},
            "overall": self.overall,
            "completeness": self.completeness,
        }


def compute(items: Iterable[tuple[str, Decimal | float, int | None]]) -> Scores:
    """Scores from (dimension, weight, level or None) for every indicator of the round."""
    sums: dict[str, list[float]] = {
        d: [0.0, 0.0, 0, 0] for d in DIMENSIONS
    }  # weighted points, weight, answered, total
    for dimension, weight, level in items:
        bucket = sums[dimension]
        bucket[3] += 1
        if level is not None:
            bucket[0] += float(weight) * level_points(level)
            bucket[1] += float(weight)
            bucket[2] += 1
    return _from_sums(sums)


class AggregateRow(TypedDict):
    """One dimension's database aggregates over an assessment's answers (see from_aggregates)."""

    dimension: str
    weighted_levels: float | None  # None when nothing is answered: SUM over no rows
    answered_weight: float | None
    answered: int
    total: int


def from_aggregates(rows: Iterable[AggregateRow]) -> Scores:
    """Scores from database aggregates per dimension: ``dimension``, ``weighted_levels`` (Σ weight × level
    over answered), ``answered_weight`` (Σ weight over answered), ``answered``, ``total``.

    Points are linear in the level, so Σ w·points = 25·(Σ w·level − Σ w): the database can sum levels."""
    sums: dict[str, list[float]] = {d: [0.0, 0.0, 0, 0] for d in DIMENSIONS}
    for row in rows:
        weighted_levels = float(row["weighted_levels"] or 0)
        answered_weight = float(row["answered_weight"] or 0)
        sums[row["dimension"]] = [
            25.0 * (weighted_levels - answered_weight),
            answered_weight,
            row["answered"],
            row["total"],
        ]
    return _from_sums(sums)


def _from_sums(sums: dict[str, list[float]]) -> Scores:
    scores = Scores()
    for dimension, (points, weight, answered, total) in sums.items():
        score = points / weight if weight else None
        scores.dimensions[dimension] = DimensionScore(score=score, answered=int(answered), total=int(total))
    return scores
