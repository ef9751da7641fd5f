"""Lists and drop-downs of names follow Thai dictionary order in Thai (leading vowels read after their
consonant) and alphabetical order in English; the region filter keeps the two region schemes apart."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from provinces.models import Province
from provinces.thai import thai_sort_key, thai_sorted

pytestmark = pytest.mark.django_db


def test_it_orders_thai_names_as_the_dictionary_does():
    names = ["อุดรธานี", "เชียงใหม่", "แพร่", "กระบี่", "แม่ฮ่องสอน", "ลำปาง"]
    assert thai_sorted(names) == ["กระบี่", "เชียงใหม่", "แพร่", "แม่ฮ่องสอน", "ลำปาง", "อุดรธานี"]
    # PyThaiNLP's own example; tone marks decide only between the same letters.
    assert thai_sorted(["ไก่", "เกิด", "กาล", "เป็ด", "หมู", "วัว", "วันที่"]) == [
        "กาล", "เกิด", "ไก่", "เป็ด", "วันที่", "วัว", "หมู",
    ]  # fmt: skip
    assert thai_sort_key("ใหม่") > thai_sort_key("หมอ") > thai_sort_key("สระ")  # ใหม่ files under ห


def test_it_orders_english_names_alphabetically_ignoring_case():
    assert thai_sorted(["udon Thani", "Phrae", "chiang Mai", "Lampang"]) == [
        "chiang Mai", "Lampang", "Phrae", "udon Thani",
    ]  # fmt: skip


def _positions(html: str, names: list[str]) -> list[int]:
    found = [html.find(name) for name in names]
    assert -1 not in found, names
    return found


def _names_in_table(html: str) -> list[str]:
    return re.findall(r'<td>(?:<a href="[^"]*">)?([^<]+)(?:</a>)?\s*<div class="small', html)


def test_the_province_list_is_in_thai_dictionary_order(client_for, advisor, reference):
    html = client_for(advisor).get(reverse("province_list")).content.decode()
    names = _names_in_table(html)
    assert len(names) == 77
    assert names == thai_sorted(Province.objects.values_list("name_th", flat=True))
    assert names[:2] == ["กระบี่", "กรุงเทพมหานคร"]
    assert names.index("เชียงใหม่") < names.index("ลำปาง")
    assert names.index("แพร่") < names.index("ลำปาง") < names.index("อุดรธานี")
    assert names.index("อุดรธานี") > 70


def test_the_province_list_is_alphabetical_in_english(client_for, advisor, reference):
    client = client_for(advisor)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    names = _names_in_table(client.get(reverse("province_list")).content.decode())
    assert names == sorted(Province.objects.values_list("name_en", flat=True), key=str.casefold)
    assert names[0] == "Amnat Charoen"


def test_a_clusters_members_are_in_thai_order(client_for, secretariat):
    html = client_for(secretariat).get(reverse("cluster_detail", args=["N-UP1"])).content.decode()
    html = html[html.index("<table") :]
    a, b, c, d = _positions(html, ["เชียงใหม่", "แม่ฮ่องสอน", "ลำปาง", "ลำพูน"])
    assert a < b < c < d  # by code it was เชียงใหม่, ลำพูน, ลำปาง, แม่ฮ่องสอน


def test_the_briefing_subjects_drop_down_lists_provinces_in_thai_order(client_for, advisor):
    html = client_for(advisor).get(reverse("briefing_list")).content.decode()
    options = re.findall(r'<option value="province:TH-\d\d"[^>]*>([^<]+)</option>', html)
    assert len(options) == 77
    assert options == thai_sorted(options)
    assert options.index("เชียงใหม่") < options.index("แพร่") < options.index("ลำปาง") < options.index("อุดรธานี")


def test_a_projects_province_choices_are_in_thai_order(reference):
    from strategies.forms import ProjectForm

    with translation.override("th"):
        form = ProjectForm(provinces=Province.objects.filter(cluster__code="N-UP2"))
        labels = [label for _value, label in form.fields["provinces"].choices]
    assert labels == ["เชียงราย", "น่าน", "พะเยา", "แพร่"]  # by code it was แพร่, น่าน, พะเยา, เชียงราย


def _codes(response) -> set[str]:
    return set(re.findall(r'<td class="font-monospace">(TH-\d\d)</td>', response.content.decode()))


def test_the_region_filter_keeps_the_schemes_apart(client_for, advisor):
    client = client_for(advisor)
    six = set(Province.objects.filter(region6__code="central").values_list("code", flat=True))
    four = set(Province.objects.filter(region4__code="central").values_list("code", flat=True))
    assert six != four

    page = client.get(reverse("province_list"), {"region": "r6:central"})
    assert _codes(page) == six
    assert len(six) == 22
    html = page.content.decode()
    assert '<option value="r6:central" selected>ภาคกลาง</option>' in html
    assert '<option value="r4:central">ภาคกลาง</option>' in html
    assert _codes(client.get(reverse("province_list"), {"region": "r4:central"})) == four
    # A bare code (an old link) is one scheme too, never the union of both.
    assert _codes(client.get(reverse("province_list"), {"region": "central"})) == four
    assert _codes(client.get(reverse("province_list"), {"region": "west"})) == {
        "TH-63", "TH-70", "TH-71", "TH-76", "TH-77",
    }  # fmt: skip
    assert _codes(client.get(reverse("province_list"), {"region": "r4:west"})) == set()


def test_the_api_region_filter_keeps_the_schemes_apart(advisor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=advisor).key}")
    response = client.get("/api/provinces/", {"region": "r6:central", "page_size": 200})
    assert response.status_code == 200
    codes = {p["code"] for p in response.json()["results"]}
    assert codes == set(Province.objects.filter(region6__code="central").values_list("code", flat=True))
    assert client.get("/api/provinces/", {"region": "r5:central"}).status_code == 400


def test_a_clusters_rollup_table_is_in_thai_order(client_for, secretariat):
    import datetime as dt

    from readiness.choices import RoundStatus
    from readiness.models import Round

    Round.objects.create(
        fiscal_year=2570,
        opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2027, 1, 15),
        status=RoundStatus.OPEN,
    )
    html = client_for(secretariat).get(reverse("cluster_rollup", args=["N-UP1"])).content.decode()
    html = html[html.index("<table") :]
    a, b, c, d = _positions(html, ["เชียงใหม่", "แม่ฮ่องสอน", "ลำปาง", "ลำพูน"])
    assert a < b < c < d
