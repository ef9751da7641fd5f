"""Readiness gaps and the strategies that claim to close them (pure: works on plain data).

A gap is a readiness dimension (Place / Product / People) or an indicator whose official score is below
GAP_THRESHOLD (default 50 on the 0–100 scale; an indicator's score is its level's points, (level − 1) × 25,
so levels 1 and 2 are gaps and level 3 is not). Official means the approved snapshot of the round.
A cluster's values are the means over its members that have approved data.

Who can close a gap: for a province, its own strategies and its cluster's; for the cluster, all of them.
* A dimension gap is COVERED when a strategy builds that dimension (or claims one of its indicators).
* An indicator gap is COVERED when a strategy claims that indicator, PARTLY covered when strategies only
  build its dimension in general, and UNCOVERED otherwise.
The reverse: a strategy that builds nothing weak in its scope — no weak dimension, no dimension holding a
weak indicator, no weak indicator — is listed as possibly misdirected; one that claims no dimension at all
is listed too. Where nothing is approved yet, nothing is judged.

Every count rests on the members with approved figures only: the report says how many of how many (its
basis), and a member without them is "not yet known", never free of gaps.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from statistics import mean

from readiness.choices import DIMENSIONS

DEFAULT_THRESHOLD = 50.0


class Coverage(StrEnum):
    COVERED = "covered"
    PARTIAL = "partial"
    UNCOVERED = "uncovered"


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    dimension: str
    name: str = ""


@dataclass(frozen=True)
class Claim:
    """What a strategy says it builds."""

    id: int
    owner: str  # province code or cluster code
    dimensions: frozenset[str]
    indicators: frozenset[str]  # indicator codes

    def builds(self, dimension: str, codes_of: dict[str, str]) -> bool:
        return dimension in self.dimensions or any(codes_of.get(c) == dimension for c in self.indicators)


@dataclass
class Readiness:
    """One province's official values: dimension scores and indicator levels (None: not answered)."""

    dimensions: dict[str, float | None]
    levels: dict[str, int | None]


@dataclass
class Gap:
    kind: str  # "dimension" or "indicator"
    dimension: str
    score: float
    indicator: IndicatorInfo | None = None
    covered_by: list[int] = field(default_factory=list)
    partly_by: list[int] = field(default_factory=list)

    @property
    def coverage(self) -> Coverage:
        if self.covered_by:
            return Coverage.COVERED
        if self.partly_by:
            return Coverage.PARTIAL
        return Coverage.UNCOVERED


@dataclass
class UnitGaps:
    unit: str  # province code or cluster code
    has_data: bool
    gaps: list[Gap]

    @property
    def uncovered(self) -> int:
        return sum(1 for g in self.gaps if g.coverage == Coverage.UNCOVERED)


@dataclass
class GapReport:
    cluster: UnitGaps
    provinces: list[UnitGaps]
    misdirected: list[int]  # strategies that build nothing weak in their scope
    no_claims: list[int]  # strategies that claim no dimension and no indicator

    @property
    def uncovered(self) -> int:
        return self.cluster.uncovered + sum(p.uncovered for p in self.provinces)

    @property
    def total(self) -> int:
        return len(self.cluster.gaps) + sum(len(p.gaps) for p in self.provinces)

    @property
    def approved_count(self) -> int:
        """Members with approved figures: the N of "computed from N of M"."""
        return sum(1 for p in self.provinces if p.has_data)

    @property
    def member_count(self) -> int:
        return len(self.provinces)

    @property
    def not_known(self) -> list[str]:
        """Members without approved figures, in member order: their gaps are not yet known."""
        return [p.unit for p in self.provinces if not p.has_data]


def points(level: int | None) -> float | None:
    return None if level is None else (level - 1) * 25.0


def _unit_gaps(
    unit: str,
    dims: dict[str, float | None],
    indicator_scores: dict[str, float | None],
    indicators: list[IndicatorInfo],
    claims: list[Claim],
    threshold: float,
    has_data: bool,
) -> UnitGaps:
    codes_of = {i.code: i.dimension for i in indicators}
    gaps = []
    for d in DIMENSIONS:
        value = dims.get(d)
        if value is not None and value < threshold:
            gaps.append(
                Gap("dimension", d, value, covered_by=[c.id for c in claims if c.builds(d, codes_of)])
            )
    for ind in indicators:
        value = indicator_scores.get(ind.code)
        if value is None or value >= threshold:
            continue
        direct = [c.id for c in claims if ind.code in c.indicators]
        # Partly: it ticks the dimension in general (claiming another indicator of it is not enough).
        partly = [c.id for c in claims if c.id not in direct and ind.dimension in c.dimensions]
        gaps.append(
            Gap("indicator", ind.dimension, value, indicator=ind, covered_by=direct, partly_by=partly)
        )
    return UnitGaps(unit=unit, has_data=has_data, gaps=gaps)


def _builds_weak(claim: Claim, units: list[UnitGaps], codes_of: dict[str, str]) -> bool:
    for unit in units:
        for gap in unit.gaps:
            if gap.kind == "indicator" and gap.indicator.code in claim.indicators:
                return True
            if claim.builds(gap.dimension, codes_of):
                return True
    return False


def gap_report(
    *,
    cluster: str,
    members: list[str],
    readiness: dict[str, Readiness],
    indicators: list[IndicatorInfo],
    claims: list[Claim],
    threshold: float = DEFAULT_THRESHOLD,
) -> GapReport:
    """Gaps of the cluster and each member, with the strategies claiming to close them, and the reverse."""
    codes_of = {i.code: i.dimension for i in indicators}
    with_data = [readiness[m] for m in members if m in readiness]
    cluster_dims = {
        d: mean(vals)
        if (vals := [r.dimensions[d] for r in with_data if r.dimensions.get(d) is not None])
        else None
        for d in DIMENSIONS
    }
    cluster_inds = {
        i.code: mean(vals)
        if (vals := [p for r in with_data if (p := points(r.levels.get(i.code))) is not None])
        else None
        for i in indicators
    }
    cluster_unit = _unit_gaps(
        cluster, cluster_dims, cluster_inds, indicators, claims, threshold, bool(with_data)
    )
    province_units = []
    for m in members:
        r = readiness.get(m)
        scope = [c for c in claims if c.owner in (m, cluster)]
        if r is None:
            province_units.append(UnitGaps(unit=m, has_data=False, gaps=[]))
            continue
        inds = {i.code: points(r.levels.get(i.code)) for i in indicators}
        province_units.append(_unit_gaps(m, r.dimensions, inds, indicators, scope, threshold, True))
    by_unit = {u.unit: u for u in province_units}
    misdirected, no_claims = [], []
    for c in claims:
        if not c.dimensions and not c.indicators:
            no_claims.append(c.id)
            continue
        units = [cluster_unit, *province_units] if c.owner == cluster else [by_unit.get(c.owner)]
        units = [u for u in units if u is not None and u.has_data]
        if units and not _builds_weak(c, units, codes_of):
            misdirected.append(c.id)
    return GapReport(
        cluster=cluster_unit, provinces=province_units, misdirected=misdirected, no_claims=no_claims
    )
