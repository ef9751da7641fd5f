"""The overlap finder: strategies of different owners in one cluster and fiscal year that address the same
thing. Works on plain dataclasses (no database), so it can be measured on a labelled set and timed on
thousands of synthetic strategies.

Score of a pair = WORD_SHARE · cosine(TF-IDF of normalised words) + (1 − WORD_SHARE) · cosine(TF-IDF of
character 3-grams of those words), plus a small bonus for each piece of weak evidence they share (same ASEAN
pillar, same work area, a readiness dimension in common) — added only when the text alone already scores at
least half the threshold, so tags never make an overlap on their own. IDF is computed within the cluster
and fiscal year (the bucket), so words every strategy of that cluster uses weigh little there. The title
counts twice, the summary once (cut at thai_text.MAX_CHARS).

Pairs at or above the threshold are joined into groups (connected components); a group's score is its
highest pair score and its terms are the words most of its members share.
"""

import math
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from strategies import thai_text

WORD_SHARE = 0.6
EVIDENCE_BONUS = 0.03
DEFAULT_THRESHOLD = 0.30
MAX_TERMS = 8
MIN_WORD_COSINE = 0.08  # below this the pair shares almost no weighted word: its letters are not compared
MIN_WORDS = 3  # a strategy with fewer distinct content words says too little to be matched


@dataclass(frozen=True)
class Doc:
    """What the finder needs to know about a strategy."""

    id: int
    cluster: str  # the bucket: the owning cluster, or the owning province's cluster
    fiscal_year: int
    owner: str  # province code (TH-50) or cluster code (N-UP1)
    title: str
    summary: str = ""
    ref: str = ""  # the office's own reference (external_ref); the id when blank
    pillar: str = ""
    work_area: str = ""
    dimensions: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return self.ref or str(self.id)


@dataclass(frozen=True)
class Pair:
    a: Doc
    b: Doc
    score: float
    text: float  # the text part of the score, before the weak-evidence bonus

    @property
    def key(self) -> frozenset[int]:
        return frozenset((self.a.id, self.b.id))


@dataclass
class Group:
    cluster: str
    fiscal_year: int
    members: list[Doc]
    score: float
    terms: list[str]
    pairs: list[Pair] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [d.id for d in self.members]

    @property
    def owners(self) -> list[str]:
        return sorted({d.owner for d in self.members})

    def as_json(self) -> dict:
        return {
            "cluster": self.cluster,
            "fiscal_year": self.fiscal_year,
            "strategies": [d.label for d in self.members],
            "score": round(self.score, 2),
            "terms": self.terms,
        }


@dataclass
class _Features:
    words: dict[str, float]  # normalised word → tf-idf weight (unit length)
    grams: dict[str, float]
    word_set: frozenset[str]
    gram_set: frozenset[str]
    key_set: frozenset[str]  # the words that are not generic


def _counts(title_text: str, summary_text: str) -> tuple[Counter, Counter]:
    title = thai_text.words(title_text)
    summary = thai_text.words(summary_text)
    words = Counter(title)
    words.update(title)  # the title counts twice
    words.update(summary)
    grams: Counter = Counter()
    for token, count in words.items():
        weight = thai_text.weight_of(token) * count
        for gram in thai_text.grams_of(token):
            grams[gram] += weight
    return words, grams


@dataclass(frozen=True, eq=False)
class _Terms:
    """What a text brings to the features whatever its bucket: its counts of words and of letter 3-grams,
    and its sets of terms (built as _features always built them, so that they are iterated, and the pair
    scores summed, in the same order). Read only: shared by every bucket the text is in."""

    words: dict[str, int]
    grams: dict[str, float]
    word_set: frozenset[str]
    gram_set: frozenset[str]
    key_set: frozenset[str]  # the words that are not generic


# Kept per text: the similar-plans hint scores the same candidates again at every pause in the typing, and
# the decision tab, after one strategy changed, the same texts of its bucket (a few KB a text).
@lru_cache(maxsize=2048)
def _terms_of(title: str, summary: str) -> _Terms:
    words, grams = _counts(title, summary)
    return _Terms(
        words=dict(words),  # plain dicts of numbers: the garbage collector stops visiting them
        grams=dict(grams),
        word_set=frozenset(words),
        gram_set=frozenset(grams),
        key_set=frozenset(t for t in words if not thai_text.is_generic(t)),
    )


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


def _features(docs: list[Doc]) -> list[_Features]:
    terms = [_terms_of(d.title, d.summary) for d in docs]
    n = len(docs)
    word_df: Counter = Counter()
    gram_df: Counter = Counter()
    for text in terms:
        word_df.update(text.words.keys())  # one for each text a term is in
        gram_df.update(text.grams.keys())
    word_idf = {t: math.log((1 + n) / (1 + c)) + 1 for t, c in word_df.items()}
    gram_idf = {t: math.log((1 + n) / (1 + c)) + 1 for t, c in gram_df.items()}
    result = []
    for text in terms:
        w = {t: (1 + math.log(c)) * word_idf[t] * thai_text.weight_of(t) for t, c in text.words.items()}
        g = {t: math.sqrt(c) * gram_idf[t] for t, c in text.grams.items()}
        result.append(
            _Features(
                words=_unit(w),
                grams=_unit(g),
                word_set=text.word_set,
                gram_set=text.gram_set,
                key_set=text.key_set,
            )
        )
    return result


def _dot(a: dict[str, float], b: dict[str, float], common: frozenset[str]) -> float:
    # All in C: the look-ups and the sum of products over the shared terms.
    return math.sumprod(map(a.__getitem__, common), map(b.__getitem__, common))


def _evidence(a: Doc, b: Doc) -> int:
    shared = 0
    shared += bool(a.pillar and a.pillar == b.pillar)
    shared += bool(a.work_area and a.work_area == b.work_area)
    shared += bool(a.dimensions & b.dimensions)
    return shared


def score_pairs(
    docs: list[Doc],
    *,
    threshold: float,
    feats: list[_Features] | None = None,
    only: Iterable[int] | None = None,
) -> list[Pair]:
    """Scored pairs of one bucket (different owners only) at or above the threshold. With ``only``
    (positions in ``docs``), the pairs involving one of those positions alone: the same pairs, in the same
    order, each scored exactly as the whole bucket's loop scores it."""
    feats = feats if feats is not None else _features(docs)
    picked = None if only is None else set(only)
    chosen = sorted(picked or ())
    pairs = []
    for i, a in enumerate(docs):
        fa = feats[i]
        if len(fa.word_set) < MIN_WORDS:
            continue
        if picked is None or i in picked:
            partners: Iterable[int] = range(i + 1, len(docs))
        else:
            partners = [j for j in chosen if j > i]
        for j in partners:
            b = docs[j]
            if a.owner == b.owner:
                continue
            fb = feats[j]
            if len(fb.word_set) < MIN_WORDS:
                continue
            if fa.key_set.isdisjoint(fb.key_set):
                continue  # no content word in common: generic words and letters alone never make an overlap
            word = _dot(fa.words, fb.words, fa.word_set & fb.word_set)
            if word < MIN_WORD_COSINE:
                continue
            text = WORD_SHARE * word + (1 - WORD_SHARE) * _dot(fa.grams, fb.grams, fa.gram_set & fb.gram_set)
            if text < threshold / 2:
                continue
            score = min(1.0, text + EVIDENCE_BONUS * _evidence(a, b))
            if score >= threshold:
                pairs.append(Pair(a, b, score, text) if a.id < b.id else Pair(b, a, score, text))
    return pairs


def _components(pairs: list[Pair]) -> list[list[Pair]]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        ra, rb = find(p.a.id), find(p.b.id)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    grouped: dict[int, list[Pair]] = defaultdict(list)
    for p in pairs:
        grouped[find(p.a.id)].append(p)
    return list(grouped.values())


def _terms(members: list[Doc], feats: dict[int, _Features]) -> list[str]:
    seen: Counter = Counter()
    weight: dict[str, float] = defaultdict(float)
    for d in members:
        f = feats[d.id]
        for t in f.word_set:
            if thai_text.is_generic(t):
                continue
            seen[t] += 1
            weight[t] += f.words.get(t, 0.0)
    shared = [t for t, c in seen.items() if c >= 2 and len(t) >= 3]  # 2-letter scraps say nothing
    shared.sort(key=lambda t: (-seen[t], -weight[t], t))
    return shared[:MAX_TERMS]


def buckets(docs: Iterable[Doc]) -> dict[tuple[str, int], list[Doc]]:
    """Strategies by (cluster, fiscal year); strategies with no cluster (Bangkok's) have nobody to overlap."""
    result: dict[tuple[str, int], list[Doc]] = defaultdict(list)
    for d in docs:
        if d.cluster:
            result[d.cluster, d.fiscal_year].append(d)
    return result


# Scoring a bucket (tokenising, TF-IDF, every pair) is what the finder costs, and its result depends on the
# bucket's documents and the threshold alone. Pages ask again and again for the same buckets (the cluster tab,
# the cluster dashboard, the national summary), so each process keeps the latest results, keyed by exactly
# those inputs: Docs are frozen dataclasses, so a changed title, summary, owner or tag is another key and a
# stale result is never served. Bounded; a lock because the development server runs threads.
_SCORED: OrderedDict[tuple, tuple[list[Pair], list[_Features]]] = OrderedDict()
_SCORED_MAX = 128
_SCORED_LOCK = threading.Lock()


def _scored(
    bucket: list[Doc], threshold: float, only: Iterable[int] | None = None
) -> tuple[list[Pair], list[_Features]]:
    """The bucket's scored pairs and features; with ``only``, the pairs involving those positions alone
    (score_pairs), not kept: a draft's bucket is asked about once."""
    if only is not None:
        features = _features(bucket)
        return score_pairs(bucket, threshold=threshold, feats=features, only=only), features
    key = (tuple(bucket), threshold)
    with _SCORED_LOCK:
        if (hit := _SCORED.get(key)) is not None:
            _SCORED.move_to_end(key)
            return hit
    features = _features(bucket)
    result = (score_pairs(bucket, threshold=threshold, feats=features), features)
    with _SCORED_LOCK:
        _SCORED[key] = result
        while len(_SCORED) > _SCORED_MAX:
            _SCORED.popitem(last=False)
    return result


def find_groups(
    docs: Iterable[Doc],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    suppressed: frozenset[frozenset[int]] | set[frozenset[int]] = frozenset(),
) -> list[Group]:
    """Groups of overlapping strategies, per cluster and fiscal year, highest score first.

    ``suppressed`` holds pairs (frozensets of two ids) a person already decided on: they never link."""
    groups = []
    for (cluster, fiscal_year), bucket in sorted(buckets(docs).items()):
        if len(bucket) < 2 or len({d.owner for d in bucket}) < 2:
            continue
        bucket.sort(key=lambda d: d.id)
        scored, features = _scored(bucket, threshold)
        pairs = [p for p in scored if p.key not in suppressed]
        if not pairs:
            continue
        feats = dict(zip((d.id for d in bucket), features, strict=True))
        for component in _components(pairs):
            members = sorted({d.id: d for p in component for d in (p.a, p.b)}.values(), key=_member_order)
            groups.append(
                Group(
                    cluster=cluster,
                    fiscal_year=fiscal_year,
                    members=members,
                    score=max(p.score for p in component),
                    terms=_terms(members, feats),
                    pairs=sorted(component, key=lambda p: -p.score),
                )
            )
    groups.sort(key=lambda g: (g.cluster, -g.fiscal_year, -g.score, g.members[0].id))
    return groups


def _member_order(d: Doc) -> tuple:
    # The cluster's own strategies first (the natural "merge into"), then provinces by code.
    return (d.owner.startswith("TH-"), d.owner, d.ref, d.id)


@dataclass
class Measure:
    threshold: float
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


def group_pairs(groups: list[Group]) -> set[frozenset[int]]:
    """Every pair of different owners that the groups put together (what a reader of the groups sees)."""
    result = set()
    for g in groups:
        for i, a in enumerate(g.members):
            for b in g.members[i + 1 :]:
                if a.owner != b.owner:
                    result.add(frozenset((a.id, b.id)))
    return result


def measure(docs: list[Doc], truth: set[frozenset[int]], *, threshold: float) -> Measure:
    """Precision and recall over pairs, counting every different-owner pair inside a reported group."""
    found = group_pairs(find_groups(docs, threshold=threshold))
    return Measure(
        threshold=threshold,
        true_positives=len(found & truth),
        false_positives=len(found - truth),
        false_negatives=len(truth - found),
    )
