from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import LeadConfidence, RegionScheme, Role


def english_active() -> bool:
    """True when the user switched the interface to English (Thai is the default)."""
    return (get_language() or "th").startswith("en")


def localized(thai: str, english: str) -> str:
    """The English text when the interface is English and there is one; the Thai text otherwise."""
    return english if english_active() and english else thai


class BilingualName(models.Model):
    """Abstract base: a Thai and an English name, and ``name`` picks the one of the active language."""

    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_th, self.name_en)


class Region(BilingualName):
    """A region of Thailand in one of the two schemes in use: four regions (administration and statistics)
    or six regions (geography). Every province belongs to one region of each scheme."""

    scheme = models.CharField(_("scheme"), max_length=1, choices=RegionScheme.choices)
    code = models.SlugField(_("code"), max_length=30)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                name="region_unique_code_per_scheme",
                violation_error_message=_("This region code already exists in this scheme."),
            )
        ]


class Country(BilingualName):
    """An ASEAN member state. Provinces record which of them they share a land or river border with."""

    code = models.CharField(_("ISO 3166-1 code"), max_length=2, unique=True)

    class Meta:
        verbose_name = _("ASEAN country")
        verbose_name_plural = _("ASEAN countries")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"),
                name="country_code_iso_alpha2",
                violation_error_message=_("A country code is two capital letters (ISO 3166-1)."),
            )
        ]


class Cluster(BilingualName):
    """A provincial cluster (กลุ่มจังหวัด): provinces that plan and budget together under the 2008 Royal Decree.
    The lead (operations-centre) province is editable data with a stated confidence, not a constant; the
    confidence is for the administrators who keep the reference data (shown in the admin only)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    lead_province = models.ForeignKey(
        "Province",
        verbose_name=_("lead province"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lead_confidence = models.CharField(
        _("confidence in the lead province"),
        max_length=12,
        choices=LeadConfidence.choices,
        default=LeadConfidence.UNKNOWN,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("provincial cluster")
        verbose_name_plural = _("provincial clusters")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]+(-[A-Z0-9]+)?$"),
                name="cluster_code_format",
                violation_error_message=_("A cluster code looks like N-UP1 or C-MET."),
            )
        ]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        lead = self.lead_province if self.lead_province_id else None
        if lead is not None and self.pk and lead.cluster_id != self.pk:
            raise ValidationError({"lead_province": _("The lead province must be a member of the cluster.")})


class Province(BilingualName):
    """A province (จังหวัด), or Bangkok. Identified by its ISO 3166-2 code, which is the Interior Ministry's
    (DOPA) two-digit code with a ``TH-`` prefix. Bangkok belongs to no provincial cluster."""

    code = models.CharField(_("ISO 3166-2 code"), max_length=5, unique=True)
    dopa_code = models.CharField(_("DOPA code"), max_length=2, unique=True)
    name_en_alt = models.CharField(_("common English spelling"), max_length=200, blank=True)
    region4 = models.ForeignKey(
        Region, verbose_name=_("region (4)"), on_delete=models.PROTECT, related_name="provinces4"
    )
    region6 = models.ForeignKey(
        Region, verbose_name=_("region (6)"), on_delete=models.PROTECT, related_name="provinces6"
    )
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("provincial cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provinces",
    )
    border_countries = models.ManyToManyField(
        Country, verbose_name=_("bordering ASEAN countries"), blank=True, related_name="border_provinces"
    )
    coastal = models.BooleanField(_("coastal"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^TH-[0-9]{2}$"),
                name="province_code_format",
                violation_error_message=_("A province code is TH- followed by two digits, e.g. TH-50."),
            ),
            models.CheckConstraint(
                condition=Q(code=Concat(Value("TH-"), F("dopa_code"))),
                name="province_code_matches_dopa",
                violation_error_message=_("The ISO code must be the DOPA code with the TH- prefix."),
            ),
            models.CheckConstraint(
                condition=Q(cluster__isnull=False) | Q(code="TH-10"),
                name="province_in_a_cluster_except_bangkok",
                violation_error_message=_("Every province except Bangkok belongs to a provincial cluster."),
            ),
        ]

    @property
    def is_bangkok(self) -> bool:
        return self.code == "TH-10"


class UserScope(models.Model):
    """Who a user is in this product: a role, and the one province or cluster the role covers.
    A planner has exactly one province, a secretariat exactly one cluster; advisors and administrators
    work nation-wide and have neither. A user without a scope sees nothing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="scope"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, null=True, blank=True
    )
    cluster = models.ForeignKey(
        Cluster, verbose_name=_("provincial cluster"), on_delete=models.PROTECT, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("user scope")
        verbose_name_plural = _("user scopes")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role=Role.PLANNER, province__isnull=False, cluster__isnull=True)
                    | Q(role=Role.SECRETARIAT, cluster__isnull=False, province__isnull=True)
                    | Q(role__in=[Role.ADVISOR, Role.ADMIN], province__isnull=True, cluster__isnull=True)
                ),
                name="userscope_role_matches_unit",
                violation_error_message=_(
                    "A planner needs exactly one province, a cluster secretariat exactly one cluster, "
                    "and advisors and administrators neither."
                ),
            )
        ]

    def __str__(self) -> str:
        unit = self.province or self.cluster
        return f"{self.get_role_display()} · {unit}" if unit else str(self.get_role_display())

    @property
    def role_choice(self) -> Role:
        return Role(self.role)

    @property
    def unit(self) -> Province | Cluster | None:
        return self.province or self.cluster


class Holiday(BilingualName):
    """A day off the ministry declared on top of the national calendar (a special holiday, a bridging day).
    Working days skip weekends, the Thai public holidays of the ``holidays`` package and these rows."""

    date = models.DateField(_("date"), unique=True)

    class Meta:
        verbose_name = _("ministry holiday")
        verbose_name_plural = _("ministry holidays")
        ordering = ["date"]


class AdvisorAssignment(models.Model):
    """An administrator's assignment of a ministry advisor to a provincial cluster: the advisors responsible
    for a cluster are told of its submissions and escalations. A cluster nobody is assigned to is the
    concern of every advisor."""

    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("advisor"),
        on_delete=models.CASCADE,
        related_name="advisor_assignments",
    )
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("provincial cluster"),
        on_delete=models.CASCADE,
        related_name="advisor_assignments",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("advisor assignment")
        verbose_name_plural = _("advisor assignments")
        ordering = ["cluster__code", "advisor__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["advisor", "cluster"],
                name="advisor_assigned_once_per_cluster",
                violation_error_message=_("This advisor is already assigned to this cluster."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.advisor} · {self.cluster}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (
            self.advisor_id
            and not UserScope.objects.filter(user_id=self.advisor_id, role=Role.ADVISOR).exists()
        ):
            raise ValidationError({"advisor": _("Only a ministry advisor can be assigned to a cluster.")})


class DataVersion(models.Model):
    """How far the data of one part of the product (the tables of one app) has moved: the database bumps it on
    every write to those tables (provinces.dataversion installs the triggers), and cached results are keyed by
    it, so a write makes every result computed from the old data unreachable at once."""

    domain = models.CharField(_("data"), max_length=50, primary_key=True)
    version = models.BigIntegerField(_("version"))

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return f"{self.domain} {self.version}"
