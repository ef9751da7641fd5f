"""Events of strategies, for whoever wants to hear of them (the notifications app listens).

Sent by the services inside their transaction (``strategy_text_saved``: once it has committed), with
``send_robust``: a listener's failure is logged by Django and never undoes or refuses the user's action.
Every signal is sent with ``sender=Strategy`` and the keyword arguments named below.
"""

from django.dispatch import Signal

#: A comment or a reply was written in a strategy's review thread. Arguments: ``review`` (the new
#: StrategyReview), ``by``.
strategy_commented = Signal()

#: An advisor moved a strategy to another quadrant. Arguments: ``strategy``, ``by``, ``quadrant``, ``reason``.
quadrant_overridden = Signal()

#: An advisor withdrew a quadrant override. Arguments: ``strategy``, ``by``.
override_withdrawn = Signal()

#: An advisor endorsed a proposed strategy or returned it with comments. Arguments: ``strategy``, ``by``,
#: ``decision`` ("endorsed" or "returned"), ``text`` (the advisor's note; required for a return).
strategy_reviewed = Signal()

#: A decision on overlapping strategies. Arguments: ``strategies`` (every strategy of the decision),
#: ``decision`` (an OverlapVerdict value), ``by``.
overlap_decided = Signal()

#: An import created or changed strategies. Arguments: ``created`` and ``changed`` (lists of Strategy),
#: ``by`` (None for the command without --as).
strategies_imported = Signal()

#: A strategy was created, or its title or summary changed. Sent AFTER the saving transaction has committed
#: (nothing is announced for a save that rolls back, and listeners read what was saved). Arguments:
#: ``strategy``, ``by``, ``created`` (True for a new strategy).
strategy_text_saved = Signal()
