"""Similar plans while a strategy is written, and when it is saved: the overlap finder turned from
detecting duplicates after the fact into preventing them.

Both use the finder's own rule, unchanged: ``semantic.score_bucket`` over the bucket (the owner's cluster:
the cluster's own strategies and its member provinces', one fiscal year, not dropped), so IDF, guards,
thresholds and the "same words" / "similar in meaning" explanation are exactly the decision tab's. The
subject (the draft, or the saved strategy) is put into the bucket with an owner of its own and every
candidate with one shared owner: the rule, which never pairs two strategies of one owner, then reports
subject–candidate pairs only, and candidates of the subject's own owner are compared too (the finder never
pairs one owner's strategies; a writer still wants to know of them). Only the subject's row is scored
(``score_bucket(..., rows=[its position])``): the bucket's features, IDF and words as the whole bucket's
scoring makes them, but the subject's pairs alone, so a bucket of hundreds costs tens of milliseconds rather
than a second (docs/decision-support.md, "Speed").

The hint (``hint``) encodes the draft once — ``semantic.encode_meanings``, the finder's recipe for a
strategy's meaning, in one call of ``semantic.encode``; the model is loaded once per process — and compares
it with the STORED meanings of the candidates; nothing else is encoded in the request. A candidate without
a current meaning, or every candidate when the encoder cannot load, is matched by words alone, and the hint
says so.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

import numpy as np
from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from django.utils.translation import pgettext

from provinces.models import Cluster, Province
from provinces.text import without_nul

from . import embeddings, thai_text
from .access import can_own, visible_strategies
from .decision import overlaps, semantic
from .decision import selectors as decision
from .models import Strategy

DRAFT_ID = 0  # no strategy has the primary key 0: the draft's place in the bucket
SUBJECT_OWNER = "subject"
OTHERS_OWNER = "others"
MAX_RESULTS = 5
# What a draft may bring: a title as the form allows, a summary cut where the finder stops reading.
MAX_TITLE = 500
MAX_SUMMARY = thai_text.MAX_CHARS
# The prefilled "joint cluster strategy" link must stay under the server's request-line limit (gunicorn:
# 4,094 bytes); a Thai letter percent-encoded takes 9.
MAX_LINK_QUERY = 3000


def clean(value: object, limit: int) -> str:
    """Draft text from a request: NUL characters dropped (it is only compared and shown, never looked up
    or stored: provinces.text policy b) and cut to ``limit`` characters."""
    return without_nul(value if isinstance(value, str) else "")[:limit].strip()


@dataclass(frozen=True)
class Draft:
    """A strategy being written: its owner, fiscal year and text, and the tags the finder weighs."""

    owner: Province | Cluster
    fiscal_year: int
    title_th: str = ""
    title_en: str = ""
    summary_th: str = ""
    summary_en: str = ""
    pillar: str = ""
    work_area: str = ""
    dimensions: frozenset[str] = frozenset()
    editing: int | None = None  # the strategy being edited: not its own neighbour

    def text(self) -> tuple[str, str]:
        """Title and summary as the finder reads a saved strategy (embeddings.text_of)."""
        return embeddings.text_of(
            Strategy(
                title_th=self.title_th,
                title_en=self.title_en,
                summary_th=self.summary_th,
                summary_en=self.summary_en,
            )
        )


@dataclass
class Match:
    strategy: Strategy
    score: float  # the blend, or the words' score where one side has no vector
    kind: str  # semantic.WORDS ("same words") or semantic.MEANING ("similar in meaning")
    terms: list[str]  # the non-generic words both share
    by_words_only: bool  # no vector on one side: matched by its words alone
    visible: bool = True  # the viewer may open it (title and link shown)

    @property
    def same_words(self) -> bool:
        return self.kind == semantic.WORDS

    @property
    def owner_name(self) -> str:
        return self.strategy.owner.name

    @property
    def owner_in_sentence(self) -> str:
        """The owner as a sentence names it ("จังหวัดลำปาง"; a cluster's name already says what it is)."""
        owner = self.strategy.owner
        if isinstance(owner, Province) and not owner.is_bangkok:
            return pgettext("a province in a sentence", "%(name)s") % {"name": owner.name}
        return owner.name


@dataclass
class Hint:
    """What the form shows beside the draft."""

    cluster: Cluster | None
    fiscal_year: int
    too_short: bool = False
    encoder_unavailable: bool = False
    candidates: int = 0
    without_vector: int = 0  # candidates matched by words alone (no current vector)
    matches: list[Match] = field(default_factory=list)
    joint_url: str = ""  # the create form for the cluster, prefilled (for whoever may own it)
    joint_explained: bool = False  # a planner: the secretariat can create a joint strategy

    @property
    def hidden_owners(self) -> list[str]:
        return sorted({m.owner_name for m in self.matches if not m.visible})


def bucket_cluster(owner: Province | Cluster) -> Cluster | None:
    """The cluster whose bucket a strategy of this owner falls in (Bangkok's: none)."""
    return owner if isinstance(owner, Cluster) else owner.cluster


def _subject_doc(doc: overlaps.Doc) -> overlaps.Doc:
    return replace(doc, owner=SUBJECT_OWNER)


def _candidate_doc(s: Strategy) -> overlaps.Doc:
    return replace(decision.doc_of(s), owner=OTHERS_OWNER)


def content_words(title: str, summary: str) -> int:
    """The distinct content words of a text: the finder matches nothing with fewer than MIN_WORDS."""
    return len(set(thai_text.words(title)) | set(thai_text.words(summary)))


def score(
    subject: overlaps.Doc,
    subject_meaning: "semantic.Meaning | np.ndarray | None",
    candidates: list[Strategy],
    vectors: Mapping[int, "semantic.Meaning | np.ndarray"],
) -> list[Match]:
    """The candidates the finder's rule reports with the subject, best first (each by the margin over the
    threshold its rule used). ``vectors`` are the candidates' stored meanings (embeddings.vectors_for);
    without ``subject_meaning`` every pair is judged by words alone."""
    subject = _subject_doc(subject)
    by_id = {s.pk: s for s in candidates}
    bucket = sorted([subject, *(_candidate_doc(s) for s in candidates)], key=lambda d: d.id)
    all_vectors = dict(vectors)
    if subject_meaning is not None:
        all_vectors[subject.id] = subject_meaning
    threshold, lexical_threshold = decision.semantic_threshold(), decision.overlap_threshold()
    explained, features = semantic.score_bucket(
        bucket,
        all_vectors,
        threshold=threshold,
        lexical_threshold=lexical_threshold,
        rows=[[d.id for d in bucket].index(subject.id)],  # its pairs only, as the whole bucket scores them
    )
    feats = dict(zip((d.id for d in bucket), features, strict=True))
    matches = []
    for e in explained:
        other = e.pair.b if e.pair.a.id == subject.id else e.pair.a
        matches.append(
            (
                e.pair.score / (threshold if e.semantic is not None else lexical_threshold),
                Match(
                    strategy=by_id[other.id],
                    score=e.pair.score,
                    kind=e.kind,
                    terms=overlaps._terms([subject, other], feats),
                    by_words_only=e.semantic is None,
                ),
            )
        )
    matches.sort(key=lambda m: (-m[0], m[1].strategy.pk))
    return [m for _, m in matches]


def _candidates(cluster: Cluster, fiscal_year: int, exclude: int | None) -> list[Strategy]:
    """The bucket's live strategies (two queries: the strategies and their indicators)."""
    qs = decision.strategies_in(fiscal_year=fiscal_year, clusters=[cluster])
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return list(qs)


def hint(*, user: User | AnonymousUser, draft: Draft) -> Hint:
    """Similar plans already in the draft owner's bucket, for a user who may write for that owner (the
    caller checks). Six queries at most, whatever the number of strategies: the candidates and their
    indicators, their vectors, which of the matches the user may open; no query for a draft too short."""
    cluster = bucket_cluster(draft.owner)
    result = Hint(cluster=cluster, fiscal_year=draft.fiscal_year)
    title, summary = draft.text()
    if content_words(title, summary) < overlaps.MIN_WORDS:
        result.too_short = True
        return result
    if cluster is None:  # Bangkok is in no cluster: nobody to overlap with
        return result
    candidates = _candidates(cluster, draft.fiscal_year, draft.editing)
    result.candidates = len(candidates)
    if not candidates:
        return result
    try:
        # The draft's meaning as the finder makes a strategy's (encode_meanings: one call of the encoder).
        draft_meaning = semantic.encode_meanings([(title, summary)])[0]
    except semantic.EncoderUnavailable:
        draft_meaning = None
        result.encoder_unavailable = True
    vectors = embeddings.vectors_for(candidates) if draft_meaning is not None else {}
    result.without_vector = 0 if result.encoder_unavailable else len(candidates) - len(vectors)
    doc = overlaps.Doc(
        id=DRAFT_ID,
        cluster=cluster.code,
        fiscal_year=draft.fiscal_year,
        owner=SUBJECT_OWNER,
        title=title,
        summary=summary,
        pillar=draft.pillar,
        work_area=draft.work_area,
        dimensions=draft.dimensions,
    )
    result.matches = score(doc, draft_meaning, candidates, vectors)[:MAX_RESULTS]
    if result.matches:
        ids = [m.strategy.pk for m in result.matches]
        seen = set(visible_strategies(user).filter(pk__in=ids).values_list("pk", flat=True))
        for m in result.matches:
            m.visible = m.strategy.pk in seen
        if draft.owner != cluster:
            if can_own(user, cluster):
                result.joint_url = joint_link(cluster, draft)
            else:
                result.joint_explained = True
    return result


def joint_link(cluster: Cluster, draft: Draft) -> str:
    """The create form with the cluster as owner and the draft's text filled in; the summary (then the
    titles) shortened until the link fits in a request line."""
    values = {
        "owner": cluster.code,
        "fy": str(draft.fiscal_year),
        "title_th": draft.title_th,
        "title_en": draft.title_en,
        "summary_th": draft.summary_th,
        "summary_en": draft.summary_en,
    }
    for key in ("summary_en", "summary_th", "title_en", "title_th"):
        while len(urlencode(values)) > MAX_LINK_QUERY and values[key]:
            values[key] = values[key][: len(values[key]) * 3 // 4].rstrip()
    return reverse("strategy_create") + "?" + urlencode({k: v for k, v in values.items() if v})


def prefill(query: Mapping[str, str]) -> dict[str, str]:
    """The create form's starting text from a link (the joint-strategy offer): NUL-free and within the
    form's limits, so the form itself shows nothing it would refuse."""
    limits = {"title_th": MAX_TITLE, "title_en": MAX_TITLE, "summary_th": 10000, "summary_en": 10000}
    return {key: text for key, limit in limits.items() if (text := clean(query.get(key, ""), limit))}


def similar_on_save(strategy: Strategy) -> list[Match]:
    """Strategies of OTHER owners in the saved strategy's bucket that the finder's rule reports with it,
    best first, at save time.

    Why words and stored vectors only: this runs in the saving request, right after commit, and the request
    never encodes (the encoder costs seconds to load and tens of milliseconds a text; encoding belongs to the
    Celery task that ``embeddings.schedule`` queued for the new text). So the others' stored vectors are
    used together with the saved strategy's own vector when that is already current — where Celery runs
    eagerly (development), the embedding callback, registered first, has stored it by now; otherwise (a
    worker, later) the pairs are judged by words alone, as the finder judges any strategy without a vector.
    A pair found only by meaning is then not announced; the decision tab reports it once the vector is
    stored. The alternative — scoring in the embedding task after the vector is stored — would announce
    those pairs too, but ties notifications to the worker and to a task this app's services do not own."""
    cluster = bucket_cluster(strategy.owner)
    if cluster is None:
        return []
    title, summary = embeddings.text_of(strategy)
    if content_words(title, summary) < overlaps.MIN_WORDS:
        return []
    owner = decision.owner_code(strategy)
    candidates = [
        s for s in _candidates(cluster, strategy.fiscal_year, strategy.pk) if decision.owner_code(s) != owner
    ]
    if not candidates:
        return []
    vectors = embeddings.vectors_for([strategy, *candidates])
    own = vectors.pop(strategy.pk, None)
    return score(decision.doc_of(strategy), own, candidates, vectors if own is not None else {})
