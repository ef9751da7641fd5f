"""Events of the readiness workflow, for whoever wants to hear of them (the notifications app listens).

Sent by the services inside their transaction, with ``send_robust``: a listener's failure is logged by
Django and never undoes or refuses the user's action. Every signal is sent with ``sender=Assessment`` and
the keyword arguments named below.
"""

from django.dispatch import Signal

#: A planner submitted the province's assessment for review. Arguments: ``assessment``, ``by``.
assessment_submitted = Signal()

#: An advisor returned a submitted assessment with comments. Arguments: ``assessment``, ``by``, ``comment``
#: (the overall comment, or the first indicator's when there is no overall one).
assessment_returned = Signal()

#: An advisor approved an assessment, alone or in a bulk approval (one signal per assessment).
#: Arguments: ``assessment``, ``by``.
assessment_approved = Signal()
