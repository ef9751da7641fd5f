"""Measuring the overlap finder on a labelled set, with the finder's own code (overlaps.find_groups).

A labelled set is a list of strategies (overlaps.Doc) and, for some of them, a group label. A true GROUP is
the strategies sharing a label — they are in one cluster and fiscal year and a secretariat would merge them
— when at least two owners are among them (the finder never pairs a strategy with its own owner's). The
true PAIRS are the pairs of different owners inside a true group.

Two ways of counting, per threshold:

* pairs: every pair of different owners that a reported group puts together (what a reader of the groups
  sees, so a chain a–b–c reports a–c too), against the true pairs — as overlaps.measure counts;
* groups: recall = the share of true groups whose members all sit in one reported group (outsiders
  allowed: they cost precision, not recall); precision = the share of reported groups whose members all
  belong to one true group (a part of a true group is correct, a group mixing subjects is not).

Thresholds are chosen by k-fold cross-validation on the sets that may be tuned on (the tuning set and the
spent held-out set A): the threshold that maximises group F1 (then pair F1) on the other folds is tested on
the fold left out. Two ways of dealing the folds:

* BY CLUSTER (the default): each fold holds whole clusters, every fiscal year of them. The finder compares
  strategies within one cluster and fiscal year only, so a left-out cluster is scored exactly as it would
  be alone — with all its strategies, as dense as a real bucket — and nothing of it was seen in training;
* BY GROUP: each fold holds whole groups and a share of the strategies of no group. Its left-out folds
  are scored among themselves, a fifth of each bucket: with fewer neighbours to be confused with, its
  precision is optimistic (measured in docs/decision-support.md).
"""

import random
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from strategies.decision import overlaps
from strategies.decision.overlaps import Doc

THRESHOLDS = (0.15, 0.20, 0.25, 0.28, 0.30, 0.35, 0.40)
CV_GRID = tuple(round(0.10 + 0.01 * i, 2) for i in range(86))  # 0.10 … 0.95 (E5's cosines sit high)
FOLDS = 6
SEED = 2570
BY_CLUSTER, BY_GROUP = "cluster", "group"

# A finder under evaluation: (strategies, threshold) → reported groups. The lexical finder by default.
Finder = Callable[[list[Doc], float], list[overlaps.Group]]


def lexical_finder(docs: list[Doc], threshold: float) -> list[overlaps.Group]:
    return overlaps.find_groups(docs, threshold=threshold)


def doc_from_row(row: Sequence, ref: str = "") -> Doc:
    """A strategy of a labelled set from its row: id, fiscal year, cluster, owner, group or topic, pillar,
    work area, dimensions ("a;b"), title, summary, …."""
    return Doc(
        id=row[0],
        fiscal_year=row[1],
        cluster=row[2],
        owner=row[3],
        pillar=row[5],
        work_area=row[6],
        dimensions=frozenset(d for d in row[7].split(";") if d),
        title=row[8],
        summary=row[9],
        ref=ref,
    )


@dataclass(frozen=True)
class LabelledSet:
    name: str
    docs: tuple[Doc, ...]
    labels: Mapping[int, str]  # strategy id → group label; strategies of no group are absent

    def subset(self, ids: Iterable[int]) -> "LabelledSet":
        keep = frozenset(ids)
        return LabelledSet(
            name=self.name,
            docs=tuple(d for d in self.docs if d.id in keep),
            labels={i: g for i, g in self.labels.items() if i in keep},
        )

    @classmethod
    def from_rows(cls, name: str, rows: Sequence[Sequence]) -> "LabelledSet":
        """From rows laid out as the labelled sets in tests/strategies/data are: id, fiscal year, cluster,
        owner, group or topic ("" = none), pillar, work area, dimensions ("a;b"), title, summary, ….
        A label holds only within one cluster and fiscal year, so those are part of the group."""
        docs, labels = [], {}
        for row in rows:
            docs.append(doc_from_row(row))
            if row[4]:
                labels[row[0]] = f"{row[4]}@{row[2]}/{row[1]}"
        return cls(name=name, docs=tuple(docs), labels=labels)


def notes_of(rows: Sequence[Sequence]) -> dict[int, tuple[str, ...]]:
    """Strategy id → what makes its row hard (the last column of a labelled set's rows, ";"-separated)."""
    return {
        row[0]: tuple(n for n in row[10].split(";") if n)
        for row in rows
        if len(row) > 10 and isinstance(row[10], str)
    }


def true_groups(labelled: LabelledSet) -> list[frozenset[int]]:
    owners = {d.id: d.owner for d in labelled.docs}
    members: dict[str, set[int]] = defaultdict(set)
    for doc_id, label in labelled.labels.items():
        if doc_id in owners:
            members[label].add(doc_id)
    return sorted(
        (frozenset(m) for m in members.values() if len({owners[i] for i in m}) >= 2), key=lambda g: min(g)
    )


def true_pairs(labelled: LabelledSet) -> set[frozenset[int]]:
    owners = {d.id: d.owner for d in labelled.docs}
    pairs = set()
    for group in true_groups(labelled):
        ids = sorted(group)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if owners[a] != owners[b]:
                    pairs.add(frozenset((a, b)))
    return pairs


def _ratio(hit: int, total: int) -> float:
    return hit / total if total else 1.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Score:
    threshold: float
    pair_tp: int
    pair_fp: int
    pair_fn: int
    groups_true: int
    groups_found: int  # true groups whose members all sit in one reported group
    groups_reported: int
    groups_correct: int  # reported groups inside one true group

    @property
    def pair_precision(self) -> float:
        return _ratio(self.pair_tp, self.pair_tp + self.pair_fp)

    @property
    def pair_recall(self) -> float:
        return _ratio(self.pair_tp, self.pair_tp + self.pair_fn)

    @property
    def pair_f1(self) -> float:
        return _f1(self.pair_precision, self.pair_recall)

    @property
    def group_precision(self) -> float:
        return _ratio(self.groups_correct, self.groups_reported)

    @property
    def group_recall(self) -> float:
        return _ratio(self.groups_found, self.groups_true)

    @property
    def group_f1(self) -> float:
        return _f1(self.group_precision, self.group_recall)

    def __add__(self, other: "Score") -> "Score":
        """Pooled counts (the folds of a cross-validation)."""
        return Score(
            threshold=self.threshold,
            pair_tp=self.pair_tp + other.pair_tp,
            pair_fp=self.pair_fp + other.pair_fp,
            pair_fn=self.pair_fn + other.pair_fn,
            groups_true=self.groups_true + other.groups_true,
            groups_found=self.groups_found + other.groups_found,
            groups_reported=self.groups_reported + other.groups_reported,
            groups_correct=self.groups_correct + other.groups_correct,
        )


def _within_one_group(labelled: LabelledSet, ids: Iterable[int]) -> bool:
    found = {labelled.labels.get(i) for i in ids}
    return len(found) == 1 and None not in found


def reported_groups(
    labelled: LabelledSet, threshold: float, finder: Finder = lexical_finder
) -> list[overlaps.Group]:
    return finder(list(labelled.docs), threshold)


def score(labelled: LabelledSet, threshold: float, finder: Finder = lexical_finder) -> Score:
    reported = reported_groups(labelled, threshold, finder)
    found = overlaps.group_pairs(reported)
    truth = true_pairs(labelled)
    wanted = true_groups(labelled)
    member_sets = [frozenset(g.ids) for g in reported]
    correct = sum(1 for ids in member_sets if _within_one_group(labelled, ids))
    return Score(
        threshold=threshold,
        pair_tp=len(found & truth),
        pair_fp=len(found - truth),
        pair_fn=len(truth - found),
        groups_true=len(wanted),
        groups_found=sum(1 for g in wanted if any(g <= ids for ids in member_sets)),
        groups_reported=len(member_sets),
        groups_correct=correct,
    )


def scores(
    labelled: LabelledSet, thresholds: Iterable[float] = THRESHOLDS, finder: Finder = lexical_finder
) -> list[Score]:
    return [score(labelled, t, finder) for t in thresholds]


def best_threshold(
    labelled: LabelledSet, grid: Sequence[float] = CV_GRID, finder: Finder = lexical_finder
) -> float:
    """The threshold of the grid with the highest group F1, then pair F1; of several equally good ones the
    middle one (the farthest from both edges of the plateau)."""
    results = scores(labelled, grid, finder)
    best = max((s.group_f1, s.pair_f1) for s in results)
    tied = [s.threshold for s in results if (s.group_f1, s.pair_f1) == best]
    return tied[(len(tied) - 1) // 2]


def folds(
    labelled: LabelledSet, k: int = FOLDS, seed: int = SEED, by: str = BY_GROUP
) -> list[frozenset[int]]:
    """k disjoint sets of strategy ids covering the set. BY_GROUP: whole labels dealt out in turn after a
    seeded shuffle, then the strategies of no label likewise, so that every fold has about as many groups.
    BY_CLUSTER: whole clusters (every fiscal year), the clusters with most true groups first, each to the
    fold with fewest groups so far (ties: after a seeded shuffle)."""
    rng = random.Random(seed)
    result: list[set[int]] = [set() for _ in range(k)]
    if by == BY_CLUSTER:
        clusters = sorted({d.cluster for d in labelled.docs})
        rng.shuffle(clusters)
        cluster_of = {d.id: d.cluster for d in labelled.docs}
        size: dict[str, int] = defaultdict(int)
        for group in true_groups(labelled):
            size[cluster_of[min(group)]] += 1
        load = [0] * k
        dealt: list[list[str]] = [[] for _ in range(k)]
        for cluster in sorted(clusters, key=lambda c: -size[c]):
            i = min(range(k), key=lambda i: (load[i], len(dealt[i])))
            dealt[i].append(cluster)
            load[i] += size[cluster]
        for i, chosen in enumerate(dealt):
            result[i].update(d.id for d in labelled.docs if d.cluster in chosen)
        return [frozenset(f) for f in result]
    if by != BY_GROUP:
        raise ValueError(f"folds by {by!r}: use {BY_CLUSTER!r} or {BY_GROUP!r}")
    by_label: dict[str, list[int]] = defaultdict(list)
    for doc_id, label in labelled.labels.items():
        by_label[label].append(doc_id)
    units = [by_label[label] for label in sorted(by_label)]
    rng.shuffle(units)
    loners = sorted(d.id for d in labelled.docs if d.id not in labelled.labels)
    rng.shuffle(loners)
    for i, unit in enumerate(units):
        result[i % k].update(unit)
    for i, doc_id in enumerate(loners):
        result[i % k].add(doc_id)
    return [frozenset(f) for f in result]


@dataclass(frozen=True)
class CrossValidation:
    chosen: tuple[float, ...]  # the threshold chosen on the training folds, per fold
    tested: Score  # the chosen thresholds tested on their held-out folds, counts pooled

    @property
    def threshold(self) -> float:
        """The threshold the cross-validation recommends: the median of the folds' choices."""
        return statistics.median_low(self.chosen)


def cross_validate(
    labelled: LabelledSet,
    *,
    k: int = FOLDS,
    grid: Sequence[float] = CV_GRID,
    seed: int = SEED,
    finder: Finder = lexical_finder,
    by: str = BY_CLUSTER,
) -> CrossValidation:
    parts = [p for p in folds(labelled, k, seed, by) if p]
    every = frozenset(d.id for d in labelled.docs)
    chosen = []
    tested: Score | None = None
    for part in parts:
        threshold = best_threshold(labelled.subset(every - part), grid, finder)
        chosen.append(threshold)
        result = score(labelled.subset(part), threshold, finder)
        tested = result if tested is None else tested + result
    assert tested is not None
    return CrossValidation(chosen=tuple(chosen), tested=tested)


def missed_and_wrong(
    labelled: LabelledSet, threshold: float, finder: Finder = lexical_finder
) -> tuple[list[list[Doc]], list[list[Doc]]]:
    """The true groups not found whole, and the reported groups that mix subjects — to read while tuning.
    Only ever call it on the tuning set: reading the held-out set's misses is tuning on it."""
    by_id = {d.id: d for d in labelled.docs}
    reported = [frozenset(g.ids) for g in reported_groups(labelled, threshold, finder)]
    missed = [
        [by_id[i] for i in sorted(group)]
        for group in true_groups(labelled)
        if not any(group <= ids for ids in reported)
    ]
    wrong = [[by_id[i] for i in sorted(ids)] for ids in reported if not _within_one_group(labelled, ids)]
    return missed, wrong


def pair_recall_by_note(
    labelled: LabelledSet,
    notes: Mapping[int, Iterable[str]],
    threshold: float,
    finder: Finder = lexical_finder,
) -> dict[str, tuple[int, int]]:
    """For each note (loan, latin, abbr, en, para …): (true pairs found, true pairs) among the true pairs
    with a member so noted; "plain" for the pairs with no note on either member. Counts only."""
    found = overlaps.group_pairs(reported_groups(labelled, threshold, finder))
    result: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pair in true_pairs(labelled):
        kinds = {n for i in pair for n in notes.get(i, ()) if not n.startswith("decoy")} or {"plain"}
        for kind in kinds:
            result[kind][0] += pair in found
            result[kind][1] += 1
    return {kind: (hit, total) for kind, (hit, total) in sorted(result.items())}
