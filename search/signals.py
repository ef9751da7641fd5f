"""Keep the index up to date: a save or delete of an indexed object queues its key, and the keys queued in
one transaction are rebuilt together once it commits (never before: a rolled-back change is never found;
an import of 500 rows is one rebuild). Bulk writes send no signals — they end with ``search_reindex``."""

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from provinces.models import Cluster, Province
from readiness.models import Indicator, ReviewComment, ReviewEvent, Round
from strategies.models import Project, Strategy, StrategyReview

from . import choices, services

_local = threading.local()


class _Pending:
    """The keys waiting for the current transaction's commit."""

    def __init__(self) -> None:
        self.keys: set[tuple[str, int]] = set()
        self.connection = transaction.get_connection()
        self.flushed = False

    def waiting(self) -> bool:
        # Django drops a transaction's callbacks when it rolls back (or the savepoint they were registered
        # in): then this batch is gone and the next change starts a new one.
        return not self.flushed and any(
            func == self.flush for _sids, func, _robust in self.connection.run_on_commit
        )

    def flush(self) -> None:
        self.flushed = True
        services.documents_refresh(keys=self.keys)


def queue(source: str, pk: int) -> None:
    """Rebuild this object's document after the current transaction commits (at once outside one)."""
    pending = getattr(_local, "pending", None)
    if pending is None or not pending.waiting():
        pending = _local.pending = _Pending()
        pending.keys.add((source, pk))
        # robust: a failing index update is logged and never undoes or fails the user's committed change.
        transaction.on_commit(pending.flush, robust=True)
    else:
        pending.keys.add((source, pk))


# model → the key its change queues (a strategy stands for itself, its projects and comments; a round for
# its indicators, whose visibility and names follow the round).
WATCHED = {
    Province: choices.PROVINCE,
    Cluster: choices.CLUSTER,
    Strategy: services.STRATEGY_FAMILY,
    Project: choices.PROJECT,
    StrategyReview: choices.STRATEGY_COMMENT,
    Indicator: choices.INDICATOR,
    Round: services.ROUND,
    ReviewEvent: choices.ASSESSMENT_COMMENT,
    ReviewComment: choices.INDICATOR_COMMENT,
}


def _changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        queue(WATCHED[sender], instance.pk)


def _deleted(sender, instance, **kwargs) -> None:
    # The key of the object itself: a deleted strategy's projects and comments are deleted (and queued) too.
    key = choices.STRATEGY if sender is Strategy else WATCHED[sender]
    if key != services.ROUND:
        queue(key, instance.pk)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"search-save-{model._meta.label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-delete-{model._meta.label}")
