"""Events of briefings, for whoever wants to hear of them (the notifications app listens).

Sent with ``send_robust``: a listener's failure is logged by Django and never fails the briefing.
"""

from django.dispatch import Signal

#: A briefing's document is ready to download. ``sender=Briefing``; argument: ``briefing``.
briefing_ready = Signal()
