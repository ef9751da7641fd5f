"""Stored meanings of strategies (decision/semantic.Meaning: the vectors of the whole text and of the subject
words, and the subject words' own vectors): computed once per version of a strategy's text, never in a
page.

After a strategy's title or summary is saved, ``schedule`` queues a Celery task once the transaction has
committed; the task (and the bulk paths: imports, demo data, ``generate_national_data``, the
``embed_strategies`` command) calls ``embed_strategies``, which encodes only the strategies whose stored
vector is missing or was computed from another text (the hash differs). Pages and ``find_overlaps`` read
the vectors with ``vectors_for``; a stale or missing vector is not used, and that strategy is matched by
words alone until its vector is ready.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .decision import semantic
from .models import Strategy, StrategyEmbedding

logger = logging.getLogger(__name__)

BATCH = 64


def text_of(s: Strategy) -> tuple[str, str]:
    """The title and summary the finder reads (as decision.selectors.doc_of builds them)."""
    title = s.title_th if not s.title_en else f"{s.title_th} {s.title_en}"
    return title, s.summary_th or s.summary_en


def hash_of(s: Strategy) -> str:
    return semantic.text_hash(*text_of(s))


def embed_strategies(ids: Iterable[int] | None = None) -> int:
    """Encode the strategies (all, or these ids) whose vector is missing or stale; returns how many were
    encoded. Raises semantic.EncoderUnavailable when the encoder cannot run (nothing is written then)."""
    qs = Strategy.objects.only("pk", "title_th", "title_en", "summary_th", "summary_en").order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    strategies = list(qs)
    stored = dict(
        StrategyEmbedding.objects.filter(strategy__in=[s.pk for s in strategies]).values_list(
            "strategy_id", "text_hash"
        )
    )
    todo = [(s.pk, h, s) for s in strategies if stored.get(s.pk) != (h := hash_of(s))]
    done = 0
    for start in range(0, len(todo), BATCH):
        chunk = todo[start : start + BATCH]
        meanings = semantic.encode_meanings([text_of(s) for _, _, s in chunk])
        now = timezone.now()
        with transaction.atomic():
            # A strategy deleted while it was being encoded has nothing to attach its vector to.
            alive = set(
                Strategy.objects.filter(pk__in=[pk for pk, _, _ in chunk]).values_list("pk", flat=True)
            )
            rows = [
                StrategyEmbedding(
                    strategy_id=pk,
                    text_hash=h,
                    vector=semantic.to_bytes(meanings[i].full),
                    subject_vector=semantic.to_bytes(meanings[i].subject),
                    words=list(meanings[i].words),
                    word_vectors=semantic.words_to_bytes(meanings[i].word_vectors),
                    computed_at=now,
                )
                for i, (pk, h, _) in enumerate(chunk)
                if pk in alive
            ]
            StrategyEmbedding.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["strategy"],
                update_fields=[
                    "text_hash",
                    "vector",
                    "subject_vector",
                    "words",
                    "word_vectors",
                    "computed_at",
                ],
            )
        done += len(rows)
    return done


def vectors_for(strategies: Iterable[Strategy]) -> dict[int, semantic.Meaning]:
    """The current meanings of these strategies (one query); a stale one (another text, another encoder or
    an incomplete row) is left out."""
    wanted = {s.pk: s for s in strategies}
    if not wanted:
        return {}
    result = {}
    rows = StrategyEmbedding.objects.filter(strategy_id__in=list(wanted)).values_list(
        "strategy_id", "text_hash", "vector", "subject_vector", "words", "word_vectors"
    )
    for pk, text_hash, vector, subject_vector, words, word_vectors in rows:
        if text_hash != hash_of(wanted[pk]):
            continue
        meaning = semantic.meaning_from_stored(vector, subject_vector, words, word_vectors)
        if meaning is not None:
            result[pk] = meaning
    return result


def _enqueue(ids: list[int]) -> None:
    from .tasks import embed_strategies_task

    try:
        embed_strategies_task.delay(ids)
    except Exception:  # a broker that is down must not turn a saved strategy into an error page
        logger.warning(
            "Could not queue the embedding of strategies %s; run embed_strategies", ids, exc_info=True
        )


def automatic() -> bool:
    """Whether saves, imports and generated data compute vectors by themselves (off in the tests' settings)."""
    return bool(getattr(settings, "STRATEGY_EMBEDDINGS_AUTO", True))


def embed_in_bulk() -> str:
    """For the bulk loaders (demo data, generated data): encode what is missing; a line for their output."""
    if not automatic():
        return "Meaning vectors: not computed (STRATEGY_EMBEDDINGS_AUTO is off); run embed_strategies"
    try:
        return f"Meaning vectors: {embed_strategies()} computed"
    except semantic.EncoderUnavailable as exc:
        return f"Meaning vectors: not computed, the encoder could not be loaded ({exc})"


def schedule(strategy_ids: Iterable[int]) -> None:
    """Queue the (re)computation of these strategies' vectors once the current transaction commits. The task
    encodes only those whose text changed, so calling this after any save is cheap."""
    ids = sorted({int(pk) for pk in strategy_ids})
    if ids and automatic():
        transaction.on_commit(lambda: _enqueue(ids))
