"""The ก ข ค ง matrix of the 2013 briefing — the split and the letters live here and nowhere else.

Two axes, each 0–100: the strategy's effect on the ASEAN Community's goals and its effect on the national
interest. Split at 50 (50 counts as high):
    ก  high ASEAN / high national   — do first
    ข  high ASEAN / low national
    ค  low ASEAN  / high national
    ง  low ASEAN  / low national    — deprioritise
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SPLIT = 50.0


@dataclass(frozen=True)
class Quadrant:
    letter: str
    asean_high: bool
    national_high: bool
    meaning: str

    @property
    def centre(self) -> tuple[float, float]:
        """(asean, national) at the middle of the quadrant: where an override places a strategy."""
        return (75.0 if self.asean_high else 25.0, 75.0 if self.national_high else 25.0)


QUADRANTS = {
    "ก": Quadrant("ก", True, True, _("high effect on ASEAN goals and on the national interest — do first")),
    "ข": Quadrant("ข", True, False, _("high effect on ASEAN goals, low on the national interest")),
    "ค": Quadrant("ค", False, True, _("low effect on ASEAN goals, high on the national interest")),
    "ง": Quadrant("ง", False, False, _("low effect on both — deprioritise")),
}
LETTERS = list(QUADRANTS)
QUADRANT_CHOICES = [(letter, letter) for letter in LETTERS]


def quadrant_of(asean: float, national: float) -> str:
    """The letter of the quadrant for two effects on 0–100."""
    asean_high, national_high = asean >= SPLIT, national >= SPLIT
    return next(
        q.letter for q in QUADRANTS.values() if (q.asean_high, q.national_high) == (asean_high, national_high)
    )
