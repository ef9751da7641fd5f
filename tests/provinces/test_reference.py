import shutil

import pytest
from django.db import IntegrityError, transaction

from provinces.models import Cluster, Province, Region
from provinces.services import DATA_DIR, ReferenceDataError, reference_data_load

pytestmark = pytest.mark.django_db


def test_it_loads_77_provinces_and_18_clusters(reference):
    assert Province.objects.count() == 77
    assert Cluster.objects.count() == 18
    assert Region.objects.filter(scheme="4").count() == 4
    assert Region.objects.filter(scheme="6").count() == 6


def test_it_covers_the_76_provinces_outside_bangkok_exactly_once(reference):
    outside = Province.objects.exclude(code="TH-10")
    assert outside.count() == 76
    assert not outside.filter(cluster__isnull=True).exists()
    assert Province.objects.get(code="TH-10").cluster is None
    assert sum(c.provinces.count() for c in Cluster.objects.all()) == 76


def test_it_knows_border_and_coastal_provinces(reference):
    assert Province.objects.filter(border_countries__isnull=False).distinct().count() == 31
    assert Province.objects.filter(coastal=True).count() == 23
    assert set(Province.objects.get(code="TH-34").border_countries.values_list("code", flat=True)) == {
        "LA",
        "KH",
    }


def test_it_puts_bueng_kan_in_upper_northeastern_cluster_1(reference):
    bueng_kan = Province.objects.get(code="TH-38")
    assert bueng_kan.name_th == "บึงกาฬ"
    assert bueng_kan.cluster.code == "NE-UP1"
    assert bueng_kan.cluster.name_en == "Upper Northeastern Provincial Cluster 1"


def test_it_sets_lead_provinces_only_where_known(reference):
    assert Cluster.objects.get(code="N-UP1").lead_province.code == "TH-50"
    assert Cluster.objects.get(code="C-LO1").lead_province is None
    assert Cluster.objects.get(code="E-2").lead_confidence == "unknown"


def test_it_changes_nothing_when_loaded_twice(reference):
    histories = Province.history.count() + Cluster.history.count()
    report = reference_data_load()
    assert not report.changed
    assert Province.objects.count() == 77
    assert Province.history.count() + Cluster.history.count() == histories


def test_it_keeps_an_administrators_lead_province_on_reload(reference):
    cluster = Cluster.objects.get(code="N-UP1")
    cluster.lead_province = Province.objects.get(code="TH-52")
    cluster.save()
    reference_data_load()
    assert Cluster.objects.get(code="N-UP1").lead_province.code == "TH-52"


@pytest.fixture
def data_copy(tmp_path):
    for name in ("provinces.csv", "clusters.csv"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_it_rejects_a_malformed_file_naming_file_row_and_column_and_loads_nothing(reference, data_copy):
    # A valid change early in the file and a bad code later: neither may land.
    _edit(data_copy / "provinces.csv", "TH-11,สมุทรปราการ", "TH-11,สมุทรปราการ (แก้ไข)")
    _edit(data_copy / "provinces.csv", "TH-12,นนทบุรี", "TH-1X,นนทบุรี")
    with pytest.raises(ReferenceDataError) as raised:
        reference_data_load(data_dir=data_copy)
    assert (raised.value.file, raised.value.row, raised.value.column) == ("provinces.csv", 4, "code")
    assert Province.objects.get(code="TH-11").name_th == "สมุทรปราการ"


def test_it_rejects_an_unknown_cluster_and_a_bad_coastal_flag(reference, data_copy):
    _edit(data_copy / "provinces.csv", ",C-MET,,yes,", ",C-XXX,,yes,")
    with pytest.raises(ReferenceDataError) as raised:
        reference_data_load(data_dir=data_copy)
    assert raised.value.column == "cluster_code"


def test_it_rejects_a_lead_province_outside_the_cluster(reference, data_copy):
    _edit(data_copy / "clusters.csv", "Chiang Mai,TH-50", "Chiang Mai,TH-57")
    with pytest.raises(ReferenceDataError) as raised:
        reference_data_load(data_dir=data_copy)
    assert (raised.value.file, raised.value.column) == ("clusters.csv", "lead_province_code")


def test_it_reports_the_command_error_in_plain_words(reference, data_copy):
    from django.core.management import CommandError, call_command

    _edit(
        data_copy / "provinces.csv",
        "TH-12,นนทบุรี,Nonthaburi,Central,Central,C-MET,,no",
        "TH-12,นนทบุรี,Nonthaburi,Central,Central,C-MET,,maybe",
    )
    with pytest.raises(CommandError, match=r"Nothing was loaded. provinces.csv, row 4, column 'coastal'"):
        call_command("load_reference", data_dir=str(data_copy))


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("code", "TH-5", "province_code_format"),
        ("dopa_code", "51", "province_code_matches_dopa"),
        ("cluster", None, "province_in_a_cluster_except_bangkok"),
    ],
)
def test_it_enforces_named_province_constraints_in_the_database(reference, field, value, constraint):
    province = Province.objects.get(code="TH-50")
    setattr(province, field, value)
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        province.save()
