"""The names offered while typing an @mention in a strategy's comment box (static/js/mentions.js)."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from provinces.access import require
from provinces.requests import SignedInRequest
from strategies.access import can_edit_strategy, can_review_strategies, get_strategy_for_user

from . import mentions


@require_GET
def mention_suggestions(request: SignedInRequest, pk: int) -> JsonResponse:
    """?q=prefix → up to eight users who may open the strategy, for someone who may comment on it.
    A strategy the user may not open is a 404, as on its page."""
    strategy = get_strategy_for_user(request.user, pk)
    require(can_edit_strategy(request.user, strategy) or can_review_strategies(request.user))
    found = mentions.suggestions(strategy, request.GET.get("q", "")[:150])
    return JsonResponse(
        {
            "results": [
                {
                    "username": user.username,
                    "name": user.get_full_name(),
                    "role": str(user.scope) if hasattr(user, "scope") else "",
                }
                for user in found
            ]
        }
    )
