"""Text for the search index: Thai cut into words, the query turned into search terms, matches highlighted.

Thai is written without spaces between words, so both the indexed text and the query are cut into words
with PyThaiNLP's ``newmm`` engine (dictionary-based; the dictionary ships inside the package, nothing is
downloaded). A word is lower-cased, NFC-normalised, Thai digits become ASCII digits, and everything but
letters, digits and combining marks is dropped. The dictionary holds compounds such as การท่องเที่ยว or
นักท่องเที่ยว as one word, so each word is indexed together with the dictionary words it ends with
(ท่องเที่ยว, เที่ยว): a search for ท่องเที่ยว finds ส่งเสริมการท่องเที่ยวเชิงวัฒนธรรม on every database.

A query term is a word prefix. Each space-separated chunk of the query matches if all of its words do, or
if the chunk itself is the prefix of an indexed word — a half-typed word (ท่องเที่) cuts into pieces that
mean nothing, but is still the start of the word being typed.
"""

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from provinces.thai import THAI_DIGITS

MAX_QUERY_CHARS = 200
# Of the index's words like a typed word, this many are marked in the results.
HIGHLIGHT_SIMILAR = 4
# Words shorter than this are not indexed again as the ending of a longer word (ยว, ว are no words).
MIN_SUFFIX_CHARS = 3
# What the results page shows of a long text: this many characters around the first match.
SNIPPET_BEFORE = 60
SNIPPET_CHARS = 240


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from pythainlp.corpus.common import thai_words

    return thai_words()


@lru_cache(maxsize=32768)
def _tokens(chunk: str) -> tuple[str, ...]:
    """newmm on one chunk, white space kept: the tokens put together give the chunk back."""
    from pythainlp.tokenize import word_tokenize

    return tuple(word_tokenize(chunk, engine="newmm", keep_whitespace=True))


def _split(text: str) -> list[str]:
    """The text in chunks of non-space and of space, each cut by newmm; together they are the text again.
    Chunks are short and repeat (titles, names), so each is cut once per process."""
    tokens: list[str] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or text[i].isspace() != text[start].isspace():
            chunk = text[start:i]
            tokens.extend((chunk,) if chunk.isspace() else _tokens(chunk))
            start = i
    return tokens


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(THAI_DIGITS).lower()


@lru_cache(maxsize=65536)
def clean(token: str) -> str:
    """A token as a search word: letters, digits and combining marks only; "" when it has no letter or digit."""
    kept = "".join(c for c in token if unicodedata.category(c)[0] in "LNM")
    return kept if any(unicodedata.category(c)[0] in "LN" for c in kept) else ""


@lru_cache(maxsize=65536)
def _endings(word: str) -> tuple[str, ...]:
    """The words a compound ends with, where it is a dictionary word followed by another one
    (การ|ท่องเที่ยว → ท่องเที่ยว, ท่อง|เที่ยว → เที่ยว), and theirs in turn. Both halves must be words, so
    that no ending starts inside a syllable (เ|ชิง, เส|ริม)."""
    words = _dictionary()
    found: list[str] = []
    for i in range(1, len(word) - MIN_SUFFIX_CHARS + 1):
        head, tail = word[:i], word[i:]
        if head in words and tail in words and tail not in found:
            found.append(tail)
            found.extend(e for e in _endings(tail) if e not in found)
    return tuple(found)


def _with_endings(word: str) -> list[str]:
    return [word, *_endings(word)]


@lru_cache(maxsize=65536)
def _indexed_words(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for token in _split(normalise(text)):
        word = clean(token)
        if word:
            out.extend(_with_endings(word))
    return tuple(out)


def segment(*texts: str) -> str:
    """The indexed words of some texts, separated by spaces (the ``words`` column). Names, titles and
    agencies repeat across thousands of rows: each text is cut once per process."""
    return " ".join(word for text in texts if text for word in _indexed_words(text))


@dataclass(frozen=True)
class Chunk:
    """One space-separated part of the query: its words, and the part itself as one word."""

    words: tuple[str, ...]
    whole: str


@dataclass(frozen=True)
class Query:
    text: str  # normalised
    chunks: tuple[Chunk, ...]
    # Words of the index that look like a term of the query (a typo's likely meaning), each term's found
    # where nothing matched word for word: a term then matches as itself or as any of them.
    similar: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """Every term the query matches by: each chunk's words and the chunk itself."""
        found: dict[str, None] = {}
        for chunk in self.chunks:
            found.update(dict.fromkeys((*chunk.words, chunk.whole)))
        return tuple(found)

    def options(self, term: str) -> tuple[str, ...]:
        """The term and the index's words like it."""
        return (term, *dict(self.similar).get(term, ()))

    def with_similar(self, similar: Mapping[str, Sequence[str]]) -> "Query":
        return replace(
            self,
            similar=tuple((t, tuple(w for w in words if w != t)) for t, words in similar.items() if words),
        )

    @property
    def highlight_terms(self) -> tuple[str, ...]:
        """Terms to mark in the results: each chunk (and the words like it), and those of its words that are
        real words (a half-typed word's pieces, such as เท, would mark half the page)."""
        words = _dictionary()
        # Of the words like a chunk, the likest few: each marked word is compared with every term.
        terms = {option for c in self.chunks for option in self.options(c.whole)[:HIGHLIGHT_SIMILAR]}
        for chunk in self.chunks:
            terms.update(w for w in chunk.words if w in words or not _is_thai(w))
        return tuple(sorted(terms, key=len, reverse=True))


def _is_thai(word: str) -> bool:
    return any("\u0e00" <= c <= "\u0e7f" for c in word)


def parse_query(raw: str) -> Query | None:
    """The search terms of a query, or None when it holds no word at all (only punctuation or marks)."""
    text = normalise(raw)
    chunks = []
    for part in text.split():
        whole = clean(part)
        words = tuple(w for w in (clean(t) for t in _split(part)) if w)
        if whole:
            chunks.append(Chunk(words=words or (whole,), whole=whole))
    if not chunks:
        return None
    return Query(text=" ".join(c.whole for c in chunks), chunks=tuple(chunks))


def tsquery(query: Query) -> str:
    """The query in PostgreSQL's to_tsquery syntax: words are letters, digits and marks only (clean), so
    quoting them is enough."""

    def term(word: str) -> str:
        options = ["'" + option.replace("'", "''") + "':*" for option in query.options(word)]
        return options[0] if len(options) == 1 else "(" + " | ".join(options) + ")"

    parts = []
    for chunk in query.chunks:
        words = " & ".join(term(w) for w in chunk.words)
        parts.append(f"(({words}) | {term(chunk.whole)})" if chunk.words != (chunk.whole,) else words)
    return " & ".join(parts)


def fts5_query(query: Query) -> str:
    """The query in SQLite FTS5's syntax: each word a quoted prefix."""

    def term(word: str) -> str:
        options = ['"' + option.replace('"', '""') + '"*' for option in query.options(word)]
        return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"

    parts = []
    for chunk in query.chunks:
        words = " AND ".join(term(w) for w in chunk.words)
        parts.append(f"(({words}) OR {term(chunk.whole)})" if chunk.words != (chunk.whole,) else f"({words})")
    return " AND ".join(parts)


def _matches(word: str, terms: tuple[str, ...]) -> bool:
    if not word:
        return False
    # Inside a word only for terms of some length: a one- or two-letter term marks the words it starts.
    if any(word.startswith(term) or (len(term) >= MIN_SUFFIX_CHARS and term in word) for term in terms):
        return True
    # A typo that PostgreSQL's trigram match forgave: mark the word that looks like a term.
    return len(word) >= 4 and any(
        abs(len(word) - len(term)) <= 2 and SequenceMatcher(None, word, term).ratio() >= 0.75
        for term in terms
        if len(term) >= 4
    )


def highlight(text: str, terms: tuple[str, ...]) -> SafeString:
    """The text, escaped, with the words that match a term wrapped in <mark>."""
    out: list[str] = []
    spaces: list[str] = []  # white space after a marked word: inside the mark only if another one follows
    marking = False
    for token in _split(text):
        if token.isspace():
            (spaces if marking else out).append(escape(token))
            continue
        matched = _matches(clean(normalise(token)), terms)
        if marking and not matched:
            out.append("</mark>")
        elif matched and not marking:
            out.append("<mark>")
        out.extend(spaces)
        spaces = []
        marking = matched
        out.append(escape(token))
    if marking:
        out.append("</mark>")
    out.extend(spaces)
    return mark_safe("".join(out))  # noqa: S308 (every piece of text is escaped above)


def snippet(text: str, terms: tuple[str, ...]) -> SafeString:
    """A window of a long text around its first match (its start when nothing matches literally),
    highlighted."""
    if len(text) <= SNIPPET_CHARS:
        return highlight(text, terms)
    lowered = normalise(text)
    found = [i for i in (lowered.find(t) for t in terms) if i >= 0]
    start = max(0, min(found) - SNIPPET_BEFORE) if found else 0
    if start:
        space = text.find(" ", start, start + SNIPPET_BEFORE)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", start + SNIPPET_CHARS // 2, end)
        end = space if space >= 0 else end
    window = highlight(text[start:end], terms)
    return mark_safe(("… " if start else "") + window + (" …" if end < len(text) else ""))  # noqa: S308
