"""Writes of the provinces app."""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .choices import LeadConfidence
from .models import Cluster, Country, Province, Region
from .reference import COUNTRIES, REGIONS

DATA_DIR = Path(__file__).resolve().parent / "data"

PROVINCE_COLUMNS = [
    "code", "name_th", "name_en", "region4", "region6", "cluster_code", "borders", "coastal",
    "name_en_alt", "dopa_code",
]  # fmt: skip
CLUSTER_COLUMNS = ["cluster_code", "name_th", "name_en", "lead_province_code", "lead_confidence", "members"]


class ReferenceDataError(Exception):
    """A reference CSV is malformed. Names the file, the row (1 = header) and the column."""

    def __init__(self, file: str, row: int, column: str, message: str):
        self.file, self.row, self.column, self.message = file, row, column, message
        super().__init__(f"{file}, row {row}, column '{column}': {message}")


@dataclass
class ReferenceLoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool | None) -> None:
        if created is None:
            return
        bucket = self.created if created else self.updated
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _read_csv(path: Path, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise ReferenceDataError(path.name, 1, missing[0], _("column is missing from the header"))
            rows = []
            for number, row in enumerate(reader, start=2):
                if None in row or any(v is None for v in row.values()):
                    raise ReferenceDataError(path.name, number, "*", _("wrong number of fields"))
                rows.append((number, {k: (v or "").strip() for k, v in row.items()}))
            return rows
    except FileNotFoundError as exc:
        raise ReferenceDataError(path.name, 0, "*", _("file not found")) from exc
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(path.name, 0, "*", _("the file is not UTF-8 text")) from exc


def _save_if_changed(obj, values: dict, report: ReferenceLoadReport, kind: str) -> None:
    """Create or update ``obj`` only when something differs, so a second load writes no history."""
    if obj.pk is None:
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
        report.count(kind, True)
        return
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
        report.count(kind, False)


def _parse_province_rows(rows, known_clusters: set[str]):
    """Validate every province row before anything is written."""
    parsed = []
    seen = set()
    for number, row in rows:

        def fail(column: str, message: str, number=number):
            raise ReferenceDataError("provinces.csv", number, column, message)

        code = row["code"]
        if not re.fullmatch(r"TH-[0-9]{2}", code):
            fail("code", _("not a province code like TH-50"))
        if code in seen:
            fail("code", _("duplicate code"))
        seen.add(code)
        if row["dopa_code"] != code[3:]:
            fail("dopa_code", _("must equal the ISO code without TH-"))
        for column in ("name_th", "name_en"):
            if not row[column]:
                fail(column, _("must not be empty"))
        region4, region6 = row["region4"].lower(), row["region6"].lower()
        if ("4", region4) not in REGIONS:
            fail("region4", _("unknown region"))
        if ("6", region6) not in REGIONS:
            fail("region6", _("unknown region"))
        cluster = row["cluster_code"]
        if cluster and cluster not in known_clusters:
            fail("cluster_code", _("unknown cluster"))
        if not cluster and code != "TH-10":
            fail("cluster_code", _("only Bangkok has no cluster"))
        borders = [b for b in row["borders"].split(";") if b]
        for border in borders:
            if border not in COUNTRIES:
                fail("borders", _("unknown country code"))
        if row["coastal"] not in {"yes", "no"}:
            fail("coastal", _("must be yes or no"))
        parsed.append((code, row, region4, region6, cluster, sorted(borders)))
    return parsed


def _parse_cluster_rows(rows):
    parsed = []
    seen = set()
    for number, row in rows:

        def fail(column: str, message: str, number=number):
            raise ReferenceDataError("clusters.csv", number, column, message)

        code = row["cluster_code"]
        if not re.fullmatch(r"[A-Z]+(-[A-Z0-9]+)?", code):
            fail("cluster_code", _("not a cluster code like N-UP1"))
        if code in seen:
            fail("cluster_code", _("duplicate code"))
        seen.add(code)
        for column in ("name_th", "name_en"):
            if not row[column]:
                fail(column, _("must not be empty"))
        members = [m for m in row["members"].split(";") if m]
        if not members:
            fail("members", _("a cluster needs member provinces"))
        lead = row["lead_province_code"]
        if lead and lead not in members:
            fail("lead_province_code", _("the lead province must be a member"))
        confidence = row["lead_confidence"] or LeadConfidence.UNKNOWN
        if confidence not in LeadConfidence.values:
            fail("lead_confidence", _("unknown confidence"))
        parsed.append((code, row, lead, confidence, members))
    return parsed


@transaction.atomic
def reference_data_load(*, data_dir: Path = DATA_DIR) -> ReferenceLoadReport:
    """Load regions, ASEAN countries, clusters and provinces from the project's own CSV copies.

    Idempotent (a second run changes nothing) and all-or-nothing: the files are fully validated
    before the first write, and any error rolls the whole load back.
    """
    cluster_rows = _parse_cluster_rows(_read_csv(data_dir / "clusters.csv", CLUSTER_COLUMNS))
    province_rows = _parse_province_rows(
        _read_csv(data_dir / "provinces.csv", PROVINCE_COLUMNS), {code for code, *_ in cluster_rows}
    )
    province_cluster = {code: cluster for code, _row, _r4, _r6, cluster, _b in province_rows}
    for code, _row, _lead, _conf, members in cluster_rows:
        for member in members:
            if province_cluster.get(member) != code:
                raise ReferenceDataError(
                    "clusters.csv",
                    0,
                    "members",
                    _("%(member)s is not listed in provinces.csv as a member of %(code)s")
                    % {"member": member, "code": code},
                )

    report = ReferenceLoadReport()
    regions = {}
    for (scheme, code), (name_th, name_en) in REGIONS.items():
        region = Region.objects.filter(scheme=scheme, code=code).first() or Region(scheme=scheme, code=code)
        _save_if_changed(region, {"name_th": name_th, "name_en": name_en}, report, "region")
        regions[scheme, code] = region
    countries = {}
    for code, (name_th, name_en) in COUNTRIES.items():
        country = Country.objects.filter(code=code).first() or Country(code=code)
        _save_if_changed(country, {"name_th": name_th, "name_en": name_en}, report, "country")
        countries[code] = country

    clusters = {}
    new_clusters: set[str] = set()
    existing_clusters = {c.code: c for c in Cluster.objects.all()}
    for code, row, _lead, confidence, _members in cluster_rows:
        cluster = existing_clusters.get(code) or Cluster(code=code)
        values = {"name_th": row["name_th"], "name_en": row["name_en"]}
        if cluster.pk is None:
            # The lead is editable data: set it on first load only, never overwrite an administrator's edit.
            values["lead_confidence"] = confidence
            new_clusters.add(code)
        _save_if_changed(cluster, values, report, "cluster")
        clusters[code] = cluster

    existing = {p.code: p for p in Province.objects.prefetch_related("border_countries")}
    for code, row, region4, region6, cluster, borders in province_rows:
        province = existing.get(code) or Province(code=code)
        values = {
            "dopa_code": row["dopa_code"],
            "name_th": row["name_th"],
            "name_en": row["name_en"],
            "name_en_alt": row["name_en_alt"],
            "region4": regions["4", region4],
            "region6": regions["6", region6],
            "cluster": clusters.get(cluster),
            "coastal": row["coastal"] == "yes",
        }
        is_new = province.pk is None
        _save_if_changed(province, values, report, "province")
        current = [] if is_new else sorted(c.code for c in province.border_countries.all())
        if current != borders:
            province.border_countries.set([countries[b] for b in borders])
            if not is_new:
                report.count("province", False)
        existing[code] = province

    for code, _row, lead, _confidence, _members in cluster_rows:
        if code in new_clusters and lead:
            clusters[code].lead_province = existing[lead]
            clusters[code].save(update_fields=["lead_province"])
    return report
