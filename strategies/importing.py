"""Import of strategies and their projects from the spreadsheets offices already keep (CSV or XLSX).

All or nothing: every row of both tables is checked first and every problem is collected as a FileProblem —
file or sheet, row as a spreadsheet shows it (the header is row 1), column, reason in the active language.
If there is any, ImportFailed carries them all and nothing is written. Otherwise one transaction creates or
updates the strategies, matched on (owner, ref, fiscal year), so importing the same file twice changes nothing.

The columns (header names are case-insensitive; unknown columns are ignored; empty rows are skipped):

strategies  ref*, owner*, fiscal_year*, title_th*, title_en, summary_th, work_area*, asean_pillar*,
            dimensions, asean_effect*, national_effect*
projects    strategy_ref*, title_th*, lead_agency*, partners, budget_thb*, funding_source*, start_fy*,
            end_fy*, provinces — and, only to tell apart strategies that share a ref, owner and fiscal_year

Projects come from a second file or, in a workbook, from a sheet named ``projects``. When they are given,
each imported strategy's projects become the file's: a project is matched on its Thai title (and keeps its
status, progress and KPI), new ones are created, the strategy's other projects are removed.

Choice columns (work_area, asean_pillar, funding_source, partners, dimensions) take the code, the English
label or the Thai label the pages show (งานบริหารการพัฒนา, ประชาคมเศรษฐกิจอาเซียน or just เศรษฐกิจ), in any
case and spacing.

Who may import what is the rule of every other write (``strategies.access.can_own``, the README's roles
table): a secretariat changes only the cluster's own strategies; a planner only their province's; an
administrator any; advisors none. A row whose owner the user may not change is reported with its row number,
and then, as with any problem, nothing is written.

The jobs are split: strategies.import_files reads the files (the container, the sheets, each table's header
and rows), strategies.import_rows checks every row, and this module compares them with what is stored and
writes them; it also makes the sample files the import page offers.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from provinces.access import role_of, scope_of
from provinces.choices import Role
from provinces.errors import WorkflowError
from provinces.models import Cluster, Province
from provinces.uploads import FileProblem, in_file_order

from . import embeddings, signals
from .access import can_import
from .choices import StrategyStatus
from .import_files import PROJECT_COLUMNS, STRATEGY_COLUMNS, ImportFile, Table, load_tables
from .import_rows import Key, Owner, ProjectRow, StrategyRow, check_projects, check_strategies, scope_test
from .models import CriterionScore, Project, Strategy

# --- results -----------------------------------------------------------------------------------


class ImportFailed(WorkflowError):
    """The import found problems and wrote nothing. ``issues`` lists every one of them."""

    def __init__(self, issues: list[FileProblem]):
        self.issues = issues
        super().__init__(_("Nothing was imported: %(count)s problems were found.") % {"count": len(issues)})


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    with_projects: bool = False
    projects_created: int = 0
    projects_updated: int = 0
    projects_removed: int = 0
    projects_unchanged: int = 0

    def lines(self) -> list[str]:
        lines = [
            _("Strategies: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        ]
        if self.with_projects:
            lines.append(
                _(
                    "Projects: %(created)s created, %(updated)s updated, %(removed)s removed, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "created": self.projects_created,
                    "updated": self.projects_updated,
                    "removed": self.projects_removed,
                    "unchanged": self.projects_unchanged,
                }
            )
        return lines

    def __str__(self) -> str:
        return " ".join(self.lines())


# --- comparing with what is stored -------------------------------------------------------------


def _existing(strategies: list[StrategyRow]) -> dict[Key, Strategy]:
    keys = [s.key for s in strategies if s.key is not None]
    if not keys:
        return {}
    refs = {k[2] for k in keys}
    years = {k[3] for k in keys}
    query = (
        Strategy.objects.select_for_update(of=("self",))
        .filter(external_ref__in=refs, fiscal_year__in=years)
        .prefetch_related("projects__provinces")
    )
    found = {}
    for strategy in query:
        kind, owner_id = ("p", strategy.province_id) if strategy.province_id else ("c", strategy.cluster_id)
        found[(kind, owner_id, strategy.external_ref, strategy.fiscal_year)] = strategy
    return found


def _strategy_changes(strategy: Strategy, fields: dict) -> dict:
    return {name: value for name, value in fields.items() if getattr(strategy, name) != value}


@dataclass
class _ProjectPlan:
    create: list[ProjectRow] = field(default_factory=list)
    update: list[tuple[Project, ProjectRow, dict, bool]] = field(default_factory=list)
    unchanged: int = 0
    remove: list[Project] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return bool(self.create or self.update or self.remove)


def _project_plan(existing: list[Project], rows: list[ProjectRow]) -> _ProjectPlan:
    """Match the file's projects to the stored ones on their Thai title, in order."""
    plan = _ProjectPlan()
    free = list(existing)
    for row in rows:
        project = next((p for p in free if p.title_th.strip() == row.fields["title_th"]), None)
        if project is None:
            plan.create.append(row)
            continue
        free.remove(project)
        changes = {name: value for name, value in row.fields.items() if getattr(project, name) != value}
        if row.partners is not None and sorted(project.partners or []) != row.partners:
            changes["partners"] = row.partners
        provinces_differ = {p.pk for p in project.provinces.all()} != {p.pk for p in row.provinces}
        if changes or provinces_differ:
            plan.update.append((project, row, changes, provinces_differ))
        else:
            plan.unchanged += 1
    plan.remove = free
    return plan


# --- the import --------------------------------------------------------------------------------


def _checked_rows(
    strategies_file: ImportFile, projects_file: ImportFile | None, in_scope: Callable[[Owner], bool]
) -> tuple[list[StrategyRow], Table | None, bool]:
    """Every row of both tables, checked, the projects attached to their strategies; the projects table and
    whether projects were given. Raises ImportFailed listing every problem of the files."""
    issues: list[FileProblem] = []
    strategy_table, project_table, with_projects = load_tables(strategies_file, projects_file, issues)
    provinces = {p.code: p for p in Province.objects.all()}
    clusters = {c.code: c for c in Cluster.objects.all()}
    rows: list[StrategyRow] = []
    if strategy_table is not None:
        rows = check_strategies(strategy_table, provinces, clusters, in_scope, issues)
        if project_table is not None:
            check_projects(project_table, rows, provinces, issues)
    if issues:
        raise ImportFailed(in_file_order(issues))
    return rows, project_table, with_projects


def _not_editable(row: StrategyRow, stored: Strategy) -> FileProblem | None:
    """The problem of a row that changes a strategy no longer open to edits, or None."""
    if not _strategy_changes(stored, row.fields) or stored.status in (
        StrategyStatus.DRAFT,
        StrategyStatus.RETURNED,
    ):
        return None
    return FileProblem(
        row.table.source,
        row.number,
        "ref",
        _("Only a draft or returned strategy can be edited; this one is %(status)s.")
        % {"status": stored.get_status_display()},
        row.ref,
    )


def _closed(
    row: StrategyRow, stored: Strategy, plan: _ProjectPlan, project_table: Table | None
) -> FileProblem | None:
    """The problem of a row whose projects would change on a closed strategy, or None."""
    if not plan.changes or stored.status not in (StrategyStatus.DONE, StrategyStatus.DROPPED):
        return None
    if row.projects and project_table is not None:
        source, number, column = project_table.source, row.projects[0].number, "strategy_ref"
    else:
        source, number, column = row.table.source, row.number, "ref"
    return FileProblem(
        source, number, column, _("The strategy is closed: its projects can no longer change."), row.ref
    )


def _plans(
    rows: list[StrategyRow], project_table: Table | None, with_projects: bool
) -> dict[int, _ProjectPlan]:
    """Finds each row's stored strategy (locked for the transaction) and, if projects were given, plans their
    changes, by row number. Raises ImportFailed if the file changes what can no longer change."""
    issues: list[FileProblem] = []
    existing = _existing(rows)
    plans: dict[int, _ProjectPlan] = {}
    for row in rows:
        stored = row.existing = existing.get(row.key)
        if stored is None:
            continue
        if problem := _not_editable(row, stored):
            issues.append(problem)
        if with_projects:
            plan = plans[row.number] = _project_plan(list(stored.projects.all()), row.projects)
            if problem := _closed(row, stored, plan, project_table):
                issues.append(problem)
    if issues:
        raise ImportFailed(in_file_order(issues))
    return plans


def _create(row: StrategyRow, by: User | None) -> Strategy:
    strategy = Strategy(
        external_ref=row.ref,
        fiscal_year=row.fiscal_year,
        created_by=by,
        province=row.owner if isinstance(row.owner, Province) else None,
        cluster=row.owner if isinstance(row.owner, Cluster) else None,
        **row.fields,
    )
    strategy._history_user = by
    strategy.save()
    return strategy


def _update(strategy: Strategy, changes: dict, by: User | None) -> None:
    for name, value in changes.items():
        setattr(strategy, name, value)
    strategy._history_user = by
    strategy.save()
    # Imported effects are entered directly: a checklist no longer explains them.
    CriterionScore.objects.filter(strategy=strategy).delete()


@dataclass
class _Written:
    """What the import wrote, for the summary and for whoever listens."""

    summary: ImportSummary
    created: list[Strategy] = field(default_factory=list)
    changed: list[Strategy] = field(default_factory=list)  # its fields or its projects


def _write_strategy(
    row: StrategyRow, plans: dict[int, _ProjectPlan], by: User | None, written: _Written
) -> None:
    """Creates or updates the row's strategy, then its projects if they were given."""
    summary = written.summary
    strategy = row.existing
    if strategy is None:
        strategy = _create(row, by)
        summary.created += 1
        written.created.append(strategy)
    else:
        changes = _strategy_changes(strategy, row.fields)
        if changes or (summary.with_projects and plans[row.number].changes):
            written.changed.append(strategy)
        if changes:
            _update(strategy, changes, by)
            summary.updated += 1
        else:
            summary.unchanged += 1
    if summary.with_projects:
        plan = plans.get(row.number) or _project_plan([], row.projects)
        _apply_projects(strategy, plan, by, summary)


@transaction.atomic
def strategies_import(
    *, strategies: ImportFile, projects: ImportFile | None = None, by: User | None, unrestricted: bool = False
) -> ImportSummary:
    """Import a strategies table and, optionally, a projects table — all of it or nothing.

    ``by`` is recorded as the creator and in the history. Each row's owner must pass ``can_own(by, owner)``: a
    secretariat imports the cluster's own strategies, a planner their province's, an administrator anyone's;
    ``unrestricted`` (the command without --as) has no scope limit.
    Raises ImportFailed listing every problem; nothing is written then.
    """
    if not unrestricted and not can_import(by):
        raise WorkflowError(
            _("Only planners, cluster secretariats and administrators can import strategies.")
        )
    rows, project_table, with_projects = _checked_rows(strategies, projects, scope_test(by, unrestricted))
    plans = _plans(rows, project_table, with_projects)
    written = _Written(ImportSummary(with_projects=with_projects))
    for row in rows:
        _write_strategy(row, plans, by, written)
    embeddings.schedule(s.pk for s in (*written.created, *written.changed))
    if written.created or written.changed:
        signals.strategies_imported.send_robust(
            sender=Strategy, created=written.created, changed=written.changed, by=by
        )
    return written.summary


def _apply_projects(strategy: Strategy, plan: _ProjectPlan, by: User | None, summary: ImportSummary) -> None:
    for project in plan.remove:
        project._history_user = by
        project.delete()
    for project, row, changes, provinces_differ in plan.update:
        if changes:
            for name, value in changes.items():
                setattr(project, name, value)
            project._history_user = by
            project.save()
        if provinces_differ:
            project.provinces.set(row.provinces)
    for row in plan.create:
        project = Project(strategy=strategy, partners=row.partners or [], **row.fields)
        project._history_user = by
        project.save()
        project.provinces.set(row.provinces)
    summary.projects_created += len(plan.create)
    summary.projects_updated += len(plan.update)
    summary.projects_removed += len(plan.remove)
    summary.projects_unchanged += plan.unchanged


# --- templates for the offices -----------------------------------------------------------------


def sample_owners(user: User | None) -> tuple[Province | None, Cluster | None]:
    """Whose rows the sample files hold: the user's own unit — what they may import — or, for an
    administrator, a cluster and its first member province."""
    role, scope = role_of(user), scope_of(user)
    if role == Role.PLANNER:
        return scope.province, None
    if role == Role.SECRETARIAT:
        return None, scope.cluster
    cluster = Cluster.objects.filter(code="N-UP1").first() or Cluster.objects.order_by("code").first()
    return (cluster.provinces.order_by("code").first() if cluster else None), cluster


def template_csv(kind: str, *, province: Province | None, cluster: Cluster | None) -> bytes:
    """A sample CSV (UTF-8 with a BOM, so that Excel shows Thai) of the strategies or the projects table, with a
    row for the province and one for the cluster, if given."""
    members = [p.code for p in cluster.provinces.order_by("code")[:2]] if cluster else []
    if kind == "strategies":
        header = list(STRATEGY_COLUMNS)
        rows = [
            ["P-01", province.code, "2570", "พัฒนาด่านการค้าชายแดนและจุดผ่อนปรน", "Border trade checkpoint development",
             "ยกระดับด่านให้รองรับการค้าในประชาคมอาเซียน", "development", "economic", "place;product", "75", "80"],
        ] if province else []  # fmt: skip
        if cluster:
            rows.append(["C-01", cluster.code, "2570", "ส่งเสริมการท่องเที่ยวเชื่อมโยงกลุ่มจังหวัด", "", "",
                         "public_service", "socio_cultural", "people", "60", "40"])  # fmt: skip
    elif kind == "projects":
        header = list(PROJECT_COLUMNS[:9])
        rows = [
            ["P-01", "ปรับปรุงอาคารด่านศุลกากร", "สำนักงานจังหวัด", "government;private", "12,500,000", "provincial",
             "2570", "2571", ""],
        ] if province else []  # fmt: skip
        if cluster:
            rows.append(["C-01", "เส้นทางท่องเที่ยวเชื่อมโยง", "สำนักงานกลุ่มจังหวัด", "local_government", "4,000,000",
                         "cluster", "2570", "2570", ";".join(members)])  # fmt: skip
    else:
        raise ValueError(kind)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
