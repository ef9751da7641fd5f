"""The strategy lists' columns: how each sorts and what its export holds (provinces.listing does the rest)."""

from django.utils.translation import gettext_lazy as _

from provinces.listing import Column, Field, ListSpec

OWNER_NAMES = (("province__name_th", "province__name_en"), ("cluster__name_th", "cluster__name_en"))
# Stored in Thai dictionary order by the model (thai_sort_text): SQL sorts a page of thousands.
TITLE_KEYS = ("title_sort_key", "title_sort_key_en")

_COLUMNS = (
    Column("quadrant", _("Quadrant"), order=("shown_quadrant",)),
    Column("title", _("Strategy"), keys=TITLE_KEYS),
    Column("owner", _("Owner"), thai=OWNER_NAMES),
    Column("fy", _("FY"), order=("fiscal_year",), descending_first=True),
    Column("pillar", _("ASEAN pillar"), order=("pillar",)),
    Column("work_area", _("Work area"), order=("work_area",)),
    Column("budget", _("Budget"), order=("total_budget",), descending_first=True),
    Column("status", _("Status"), order=("status",)),
)

_FIELDS = (
    Field(_("Reference"), lambda s: s.external_ref),
    Field(_("Strategy"), lambda s: s.title_th),
    Field(_("English title"), lambda s: s.title_en),
    Field(_("Owner code"), lambda s: s.owner.code),
    Field(_("Owner"), lambda s: s.owner.name),
    Field(_("Fiscal year"), lambda s: s.fiscal_year),
    Field(_("ASEAN pillar"), lambda s: s.get_pillar_display()),
    Field(_("Work area"), lambda s: s.get_work_area_display()),
    Field(_("Effect on ASEAN goals (0–100)"), lambda s: s.asean_effect),
    Field(_("Effect on the national interest (0–100)"), lambda s: s.national_effect),
    Field(_("Quadrant"), lambda s: s.quadrant),
    Field(_("Quadrant set by the advisor"), lambda s: bool(s.override_quadrant)),
    Field(_("Projects"), lambda s: s.project_count),
    Field(_("Budget (baht)"), lambda s: s.total_budget),
    Field(_("Status"), lambda s: s.get_status_display()),
)

STRATEGY_LIST = ListSpec(
    columns=_COLUMNS,
    default_sort="-fy",
    fields=_FIELDS,
    filename="strategies",
    tiebreak=("cluster__code", "province__code", "pk"),
)

REVIEW_QUEUE = ListSpec(
    columns=(
        Column("waiting", _("Waiting since"), order=("waiting_since",)),
        *(c for c in _COLUMNS if c.key not in ("work_area",)),
    ),
    default_sort="waiting",  # oldest first: the longest wait is reviewed first
    fields=(Field(_("Waiting since"), lambda s: s.waiting_since), *_FIELDS),
    filename="strategy-review-queue",
)
