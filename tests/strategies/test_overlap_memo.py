"""The overlap finder keeps each bucket's scored pairs per process (issue 9: pages ask for the same buckets
again and again); a changed strategy is a different key, so a stale result is never served."""

from dataclasses import replace

from strategies.decision import overlaps
from strategies.decision.benchmark import synthetic_docs


def test_it_scores_a_bucket_once_and_again_when_a_strategy_changes(monkeypatch):
    docs = [replace(d, cluster="N-UP1") for d in synthetic_docs(12, seed=9)]
    calls = []
    features = overlaps._features
    monkeypatch.setattr(overlaps, "_features", lambda bucket: calls.append(len(bucket)) or features(bucket))
    monkeypatch.setattr(overlaps, "_SCORED", overlaps.OrderedDict())

    first = overlaps.find_groups(docs, threshold=0.2)
    again = overlaps.find_groups([replace(d) for d in docs], threshold=0.2)  # equal, not the same objects
    assert calls == [12] and [g.ids for g in again] == [g.ids for g in first]

    # Give one strategy another's words: a new key, scored afresh, and the two now overlap.
    a, b = docs[0], next(d for d in docs if d.owner != docs[0].owner)
    changed = [replace(d, title=a.title, summary=a.summary) if d.id == b.id else d for d in docs]
    groups = overlaps.find_groups(changed, threshold=0.2)
    assert calls == [12, 12]
    assert any({a.id, b.id} <= set(g.ids) for g in groups)
