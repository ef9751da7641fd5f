"""The meaning rule scored for some strategies only (``score_bucket(..., rows=...)``, what the similar-plans
hint asks about its draft) and the words matched in blocks: the same pairs, scores and explanations as the
whole bucket scored at once, on the sets that may be tuned on (tuning + held-out A, meanings encoded once
per session with the network cut). Held-out set B is never read here."""

from dataclasses import replace

import numpy as np
import pytest

from strategies.decision import overlaps, semantic
from strategies.decision.overlaps import Doc
from tests.strategies.test_semantic import sets_and_vectors  # noqa: F401


def _buckets(docs: list[Doc]) -> list[list[Doc]]:
    """The sets' buckets the finder scores (sorted by id, as it sorts them), and all of tuning + A as one
    bucket of 240 strategies: many owners, thousands of words, many blocks."""
    found = [
        sorted(b, key=lambda d: d.id)
        for b in overlaps.buckets(docs).values()
        if len(b) >= 2 and len({d.owner for d in b}) >= 2
    ]
    whole = sorted((replace(d, cluster="N-UP1", fiscal_year=2570) for d in docs), key=lambda d: d.id)
    return [*found, whole]


def _rows(bucket: list[Doc]) -> list[int]:
    return sorted({0, 1, len(bucket) // 3, len(bucket) // 2, len(bucket) - 1})


def _reported(explained: list[semantic.Explained]) -> list[tuple]:
    return [
        (e.pair.a.id, e.pair.b.id, e.pair.score, e.pair.text, e.kind, e.semantic is None) for e in explained
    ]


def _word_match_in_one_matrix(meanings: list, dtype=np.float64) -> np.ndarray:
    """The words' F1 as it was computed before blocks: every subject word of the bucket against every other
    at once (a matrix of words × words), no distinct words. Only a reference for the tests."""
    n = len(meanings)
    result = np.zeros((n, n), dtype=np.float64)
    have = [i for i, m in enumerate(meanings) if m is not None and len(m.words)]
    if len(have) < 2:
        return result
    df: dict[str, int] = {}
    for i in have:
        for w in set(meanings[i].words):
            df[w] = df.get(w, 0) + 1
    total = sum(1 for m in meanings if m is not None)
    idf = {w: np.log((1 + total) / (1 + c)) + 1 for w, c in df.items()}
    blocks = [meanings[i].word_vectors for i in have]
    every = np.concatenate(blocks).astype(dtype)
    starts = np.cumsum([0] + [len(b) for b in blocks[:-1]])
    weights = np.array([idf[w] for i in have for w in meanings[i].words])
    nearest = np.maximum.reduceat(every @ every.T, starts, axis=1)
    recall = np.add.reduceat(weights[:, None] * nearest, starts, axis=0)
    recall /= np.add.reduceat(weights, starts)[:, None]
    precision = recall.T
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(recall + precision > 0, 2 * recall * precision / (recall + precision), 0.0)
    result[np.ix_(have, have)] = f1
    return result


def _meanings(bucket: list[Doc], vectors: dict) -> list:
    return [vectors.get(d.id) for d in bucket]


@pytest.mark.parametrize("block", [semantic.WORD_BLOCK, 20_000, 64])
def test_it_matches_words_in_blocks_as_in_one_matrix(sets_and_vectors, monkeypatch, block):  # noqa: F811
    both, _, vectors = sets_and_vectors
    monkeypatch.setattr(semantic, "WORD_BLOCK", block)
    for bucket in _buckets(both.docs):
        meanings = _meanings(bucket, vectors)
        reference = _word_match_in_one_matrix(meanings)
        blocked = semantic._word_match(meanings)
        assert np.abs(blocked - reference).max() <= 1e-9
        assert np.array_equal(blocked, blocked.T)  # F1 is symmetric: each pair has one score
        rows = _rows(bucket)
        assert np.abs(semantic._word_match(meanings, rows) - reference[rows]).max() <= 1e-9
        # The product before blocks multiplied float32 vectors: the same numbers to float32's precision.
        assert np.abs(blocked - _word_match_in_one_matrix(meanings, np.float32)).max() <= 1e-6


def test_it_matches_words_the_same_when_two_different_words_share_a_key(sets_and_vectors, monkeypatch):  # noqa: F811
    # Distinct words are found by a key per vector; when different vectors share one, their bytes decide.
    both, _, vectors = sets_and_vectors
    bucket = _buckets(both.docs)[0]
    meanings = _meanings(bucket, vectors)
    monkeypatch.setattr(semantic, "_row_keys", lambda rows: np.zeros(len(rows), dtype=np.uint64))
    distinct, inverse = semantic._distinct(np.concatenate([m.word_vectors for m in meanings if m]))
    assert len(distinct) > 1 and np.array_equal(
        distinct[inverse], np.concatenate([m.word_vectors for m in meanings if m]).astype(np.float64)
    )
    assert np.abs(semantic._word_match(meanings) - _word_match_in_one_matrix(meanings)).max() <= 1e-9


@pytest.mark.parametrize("rule", ["meaning", "blend", "meaning-no-gate", "full+subject"])
def test_it_scores_some_rows_as_the_whole_bucket_scores_them(sets_and_vectors, rule):  # noqa: F811
    both, _, vectors = sets_and_vectors
    # Some strategies without a meaning (matched by words alone), as in a bucket not yet fully encoded.
    partial = {i: m for k, (i, m) in enumerate(sorted(vectors.items())) if k % 7 != 3}
    thresholds = (0.25, semantic.DEFAULT_THRESHOLD) if rule == "meaning" else (0.25,)
    checked, seen = 0, set()
    for bucket in _buckets(both.docs):
        for given in (vectors, partial):
            full = semantic._score(bucket, given, semantic.RULES[rule])
            for rows in [[r] for r in _rows(bucket)] + [_rows(bucket)[:2]]:
                # Underneath: the rows' scores equal the whole matrix's, and nothing else is compared.
                part = semantic._score(bucket, given, semantic.RULES[rule], rows)
                for r in rows:
                    for a, b in (
                        (part.meaning[r], full.meaning[r]),
                        (part.meaning[:, r], full.meaning[:, r]),
                    ):
                        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
                    assert np.array_equal(part.comparable[r], full.comparable[r])
                others = np.setdiff1d(np.arange(len(bucket)), rows)
                assert not part.comparable[np.ix_(others, others)].any()
            for threshold in thresholds:
                kwargs = dict(threshold=threshold, lexical_threshold=0.30, rule=semantic.RULES[rule])
                whole, features = semantic.score_bucket(bucket, given, **kwargs)
                for rows in [[r] for r in _rows(bucket)] + [_rows(bucket)[:2]]:
                    ids = {bucket[r].id for r in rows}
                    explained, row_features = semantic.score_bucket(bucket, given, **kwargs, rows=rows)
                    # The same pairs, in the same order, with the same scores and explanations.
                    want = [e for e in whole if e.pair.key & ids]
                    assert _reported(explained) == _reported(want)
                    for got, expected in zip(explained, want, strict=True):
                        if expected.semantic is not None:
                            assert abs(got.semantic - expected.semantic) <= 1e-12
                    assert [f.words for f in row_features] == [f.words for f in features]
                    checked += len(want)
                    seen.update((e.kind, e.semantic is None) for e in want)
    assert checked > 300  # enough pairs reported to mean something, of every kind
    assert seen == {(semantic.WORDS, False), (semantic.MEANING, False), (semantic.WORDS, True)}


def test_it_scores_the_lexical_pairs_of_some_rows_as_the_whole_bucket(sets_and_vectors):  # noqa: F811
    both, _, _ = sets_and_vectors
    for bucket in _buckets(both.docs):
        feats = overlaps._features(bucket)
        whole = overlaps.score_pairs(bucket, threshold=1e-9, feats=feats)
        for rows in [[r] for r in _rows(bucket)] + [_rows(bucket)]:
            ids = {bucket[r].id for r in rows}
            only = overlaps.score_pairs(bucket, threshold=1e-9, feats=feats, only=rows)
            assert only == [p for p in whole if p.key & ids]  # same pairs, order and numbers (exactly)


def _features_before(docs: list[Doc]) -> list[overlaps._Features]:
    """The lexical features as computed before the texts' terms were kept (a reference for the test)."""
    import math
    from collections import Counter

    from strategies import thai_text

    counts = [overlaps._counts(d.title, d.summary) for d in docs]
    n = len(docs)
    word_df: Counter = Counter()
    gram_df: Counter = Counter()
    for words, grams in counts:
        word_df.update(words.keys())
        gram_df.update(grams.keys())
    word_idf = {t: math.log((1 + n) / (1 + c)) + 1 for t, c in word_df.items()}
    gram_idf = {t: math.log((1 + n) / (1 + c)) + 1 for t, c in gram_df.items()}
    result = []
    for words, grams in counts:
        w = {t: (1 + math.log(c)) * word_idf[t] * thai_text.weight_of(t) for t, c in words.items()}
        g = {t: math.sqrt(c) * gram_idf[t] for t, c in grams.items()}
        result.append(
            overlaps._Features(
                words=overlaps._unit(w),
                grams=overlaps._unit(g),
                word_set=frozenset(words),
                gram_set=frozenset(grams),
                key_set=frozenset(t for t in words if not thai_text.is_generic(t)),
            )
        )
    return result


def test_it_keeps_the_texts_terms_without_changing_a_feature(sets_and_vectors):  # noqa: F811
    both, _, _ = sets_and_vectors
    for bucket in _buckets(both.docs):
        for got, want in zip(overlaps._features(bucket), _features_before(bucket), strict=True):
            # The same weights, and the same order of iteration (the pair scores are sums in that order).
            assert list(got.words.items()) == list(want.words.items())
            assert list(got.grams.items()) == list(want.grams.items())
            for a, b in (
                (got.word_set, want.word_set),
                (got.gram_set, want.gram_set),
                (got.key_set, want.key_set),
            ):
                assert list(a) == list(b)
