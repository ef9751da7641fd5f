"""Celery tasks of the strategies app: thin — call the service."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="strategies.tasks.embed_strategies", ignore_result=True)
def embed_strategies_task(strategy_ids: list[int]) -> int:
    from .decision.semantic import EncoderUnavailable
    from .embeddings import embed_strategies

    try:
        return embed_strategies(strategy_ids)
    except EncoderUnavailable:
        # The finder matches these strategies by words until `manage.py embed_strategies` is run.
        logger.exception("The sentence encoder is unavailable; strategies %s keep no vector", strategy_ids)
        return 0
