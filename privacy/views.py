"""The privacy notice (open to everyone, before login too) and "download my data"."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audit.choices import AccessAction
from audit.services import log_request
from provinces.requests import SignedInRequest

from . import selectors


@login_not_required
@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/notice.html",
        {
            "dpo": {
                "name": settings.PRIVACY_DPO_NAME,
                "email": settings.PRIVACY_DPO_EMAIL,
                "phone": settings.PRIVACY_DPO_PHONE,
                "address": settings.PRIVACY_DPO_ADDRESS,
            },
            "access_log_days": settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS,
            "notification_days": settings.NOTIFICATION_RETENTION_DAYS,
        },
    )


@require_GET
def my_data_download(request: SignedInRequest) -> HttpResponse:
    """The signed-in user's own data as a JSON file. The download itself is logged (and listed in it)."""
    log_request(
        request, action=AccessAction.SELF_EXPORT, description=_("Own data (JSON)"), subject=request.user
    )
    data = selectors.my_data(user=request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
