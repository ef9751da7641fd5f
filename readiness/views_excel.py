"""The Excel round-trip of an assessment (download the template, upload it filled) and the roll-ups as XLSX.

Access as the HTML pages: whoever may see an assessment downloads its template (read-only for them);
only the province's planners and administrators upload (others who see it: 403, outsiders: 404).
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from provinces.access import get_cluster_for_user, require
from provinces.requests import SignedInRequest
from provinces.uploads import FileProblem

from . import rollup_export, selectors, services, workbook, workbook_upload
from .access import can_edit_assessment, get_assessment_for_user, may_include_unapproved
from .views import _chosen_round, asks_unapproved


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=workbook.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def assessment_xlsx(request: SignedInRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    return _xlsx(workbook.assessment_workbook(assessment), workbook.assessment_filename(assessment))


@require_http_methods(["GET", "POST"])
def assessment_xlsx_upload(request: SignedInRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    require(can_edit_assessment(request.user, assessment))
    issues: list[FileProblem] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            issues.append(FileProblem("", 0, "", _("Choose the filled-in workbook (.xlsx).")))
        elif services.upload_size(upload) > settings.WORKBOOK_MAX_BYTES:
            issues.append(
                FileProblem(
                    "",
                    0,
                    "",
                    _("The file is larger than %(mb)s MB.")
                    % {"mb": settings.WORKBOOK_MAX_BYTES // (1024 * 1024)},
                )
            )
        else:
            try:
                result = workbook_upload.assessment_upload(
                    assessment=assessment, content=upload.read(), filename=upload.name or "", by=request.user
                )
            except workbook_upload.UploadFailed as exc:
                issues = exc.issues
            except services.WorkflowError as exc:
                issues = [FileProblem("", 0, "", exc.message)]
            else:
                (messages.success if result.updated else messages.info)(request, str(result))
                return redirect(
                    "assessment_detail",
                    code=assessment.province.code,
                    fiscal_year=assessment.round.fiscal_year,
                )
    return render(
        request,
        "readiness/assessment_upload.html",
        {
            "assessment": assessment,
            "province": assessment.province,
            "round": assessment.round,
            "issues": issues,
            "refusal": workbook_upload.upload_refusal(assessment),
            "max_mb": settings.WORKBOOK_MAX_BYTES // (1024 * 1024),
        },
        status=400 if issues else 200,
    )


@require_GET
def cluster_rollup_xlsx(request: SignedInRequest, code: str) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, code)
    round = _chosen_round(request)
    include = asks_unapproved(request) and may_include_unapproved(request.user, cluster)
    rollup = selectors.cluster_rollup(cluster=cluster, round=round, include_unapproved=include)
    content = rollup_export.cluster_rollup_workbook(
        cluster=cluster, round=round, rollup=rollup, include_unapproved=include
    )
    suffix = "-all" if include else ""
    return _xlsx(content, f"readiness-{cluster.code}-{round.fiscal_year}{suffix}.xlsx")


@require_GET
def national_rollup_xlsx(request: SignedInRequest) -> HttpResponse:
    round = _chosen_round(request)
    include = asks_unapproved(request) and may_include_unapproved(request.user, None)
    clusters, nation = selectors.national_rollup(round=round, include_unapproved=include)
    content = rollup_export.national_rollup_workbook(
        round=round, clusters=clusters, nation=nation, include_unapproved=include
    )
    suffix = "-all" if include else ""
    return _xlsx(content, f"readiness-national-{round.fiscal_year}{suffix}.xlsx")
