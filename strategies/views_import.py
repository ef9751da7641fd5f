"""The import page: whoever owns strategies uploads a strategies file (and optionally a projects file) — a
planner for their province, a secretariat for its cluster, an administrator for anyone (each row is held to
strategies.access.can_own). Everyone else gets a 404, as if the page did not exist."""

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from provinces.access import role_of
from provinces.choices import Role
from provinces.errors import WorkflowError
from provinces.uploads import FileProblem
from readiness.choices import Dimension

from . import import_files, importing
from .access import can_import
from .choices import FundingSource, PartnerSector, Pillar, WorkArea


def _file(upload: UploadedFile | None, field: str, issues: list) -> import_files.ImportFile | None:
    if upload is None:
        return None
    name = upload.name or field
    if not name.lower().endswith(import_files.EXTENSIONS):
        issues.append(FileProblem(name, 0, "", _("Only .csv and .xlsx files can be imported.")))
        return None
    if upload.size > settings.WORKBOOK_MAX_BYTES:
        issues.append(
            FileProblem(
                name,
                0,
                "",
                _("The file is larger than %(mb)s MB.")
                % {"mb": settings.WORKBOOK_MAX_BYTES // (1024 * 1024)},
            )
        )
        return None
    return import_files.ImportFile(name=name, content=upload.read())


@require_http_methods(["GET", "POST"])
def strategy_import(request: HttpRequest) -> HttpResponse:
    if not can_import(request.user):
        raise Http404("import")
    province, cluster = importing.sample_owners(request.user)
    kind = request.GET.get("template")
    if kind is not None:
        if kind not in ("strategies", "projects"):
            raise Http404("template")
        response = HttpResponse(
            importing.template_csv(kind, province=province, cluster=cluster),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
        return response
    issues: list[FileProblem] = []
    if request.method == "POST":
        strategies_file = _file(request.FILES.get("strategies_file"), "strategies_file", issues)
        projects_file = _file(request.FILES.get("projects_file"), "projects_file", issues)
        if strategies_file is None and not issues:
            issues.append(FileProblem("", 0, "strategies_file", _("Choose the strategies file.")))
        if not issues:
            try:
                summary = importing.strategies_import(
                    strategies=strategies_file, projects=projects_file, by=request.user
                )
            except importing.ImportFailed as exc:
                issues = exc.issues
            except WorkflowError as exc:
                issues = [FileProblem("", 0, "", exc.message)]
            else:
                messages.success(request, str(summary))
                return redirect("strategy_import")
    context = {
        "issues": issues,
        # The unit the user imports for; an administrator's samples are only examples.
        "owner": None if role_of(request.user) == Role.ADMIN else province or cluster,
        "max_mb": settings.WORKBOOK_MAX_BYTES // (1024 * 1024),
        "work_areas": WorkArea.choices,
        "pillars": Pillar.choices,
        "funding_sources": FundingSource.choices,
        "partner_sectors": PartnerSector.choices,
        "dimensions": Dimension.choices,
    }
    return render(request, "strategies/strategy_import.html", context, status=400 if issues else 200)
