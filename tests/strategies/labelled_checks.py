"""What every held-out set must be, checked the same way for each (test_heldout_d/e/f.py): distinct rows of real
clusters and owners, groups of one bucket with two owners or more, decoys in no group, and at least the numbers
of rows, groups, true pairs and hard cases that the set was written to hold."""

import csv
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from django.conf import settings

from strategies.decision import evaluation
from strategies.decision.evaluation import LabelledSet


def members_of_clusters() -> dict[str, set[str]]:
    path = Path(settings.BASE_DIR) / "provinces" / "data" / "clusters.csv"
    with path.open(encoding="utf-8") as f:
        return {row["cluster_code"]: set(row["members"].split(";")) for row in csv.DictReader(f)}


def check_labelled_set(
    rows: Sequence[Sequence],
    *,
    earlier: Sequence[Sequence],
    first_id: int,
    clusters: set[str],
    least_rows: int,
    least_groups: int,
    least_pairs: int,
    least_notes: Mapping[str, int],
    least_decoys: int,
    least_one_word: int,
) -> None:
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)) >= least_rows
    assert min(ids) >= first_id
    assert len({tuple(r) for r in rows}) == len(rows)  # no two rows identical
    assert not {r[0] for r in earlier} & set(ids)
    assert {r[1] for r in rows} == {2569, 2570, 2571}
    assert {r[2] for r in rows} == clusters
    # Real clusters, and owners that are the cluster or one of its member provinces.
    members = members_of_clusters()
    for r in rows:
        assert r[3] == r[2] or r[3] in members[r[2]], r
    # Groups of 2–4 strategies of one bucket (cluster and fiscal year), each with at least two owners.
    labelled = LabelledSet.from_rows("checked", rows)
    groups = defaultdict(list)
    for r in rows:
        if r[4]:
            groups[(r[2], r[4])].append(r)
    assert len(groups) == len(evaluation.true_groups(labelled)) >= least_groups
    for name, members_ in groups.items():
        assert 2 <= len(members_) <= 4, name
        assert len({(r[1], r[2]) for r in members_}) == 1, name
        assert len({r[3] for r in members_}) >= 2, name
    assert len(evaluation.true_pairs(labelled)) >= least_pairs
    notes = evaluation.notes_of(rows)
    noted = Counter(n for row_notes in notes.values() for n in row_notes)
    for kind, least in least_notes.items():
        assert noted[kind] >= least, kind
    # Decoys are never in a group.
    decoys = [r for r in rows if any(n.startswith("decoy-") for n in notes[r[0]])]
    assert len(decoys) >= least_decoys
    assert all(not r[4] for r in decoys)
    # The bad input: one-word titles with no summary.
    assert sum(1 for r in rows if " " not in r[8].strip() and not r[9]) >= least_one_word
