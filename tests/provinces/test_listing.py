"""provinces.listing on the province list: sort in Thai order, sort links, hostile parameters, the export."""

import csv
import io
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from provinces.listing import Column, Field, ListSpec, export_response, list_page

pytestmark = pytest.mark.django_db


def names(html: str) -> list[str]:
    return re.findall(r'<a href="/provinces/TH-\d+/">([^<]+)</a>', html)


def test_it_sorts_provinces_in_thai_dictionary_order_and_back(client_for, advisor):
    client = client_for(advisor)
    up = names(client.get(reverse("province_list")).content.decode())
    assert len(up) == 77 and up.index("เชียงใหม่") < up.index("แพร่") < up.index("แม่ฮ่องสอน") < up.index("อ่างทอง")
    down = client.get(reverse("province_list"), {"sort": "-name"}).content.decode()
    assert names(down) == up[::-1] and 'aria-sort="descending"' in down


def test_it_sorts_by_cluster_with_the_filters_kept_in_the_links(client_for, advisor):
    html = (
        client_for(advisor).get(reverse("province_list"), {"region": "r6:central", "sort": "cluster"}).content
    )
    html = html.decode()
    assert 'href="?region=r6%3Acentral&amp;sort=-cluster"' in html
    assert '<input type="hidden" name="sort" value="cluster">' in html


@pytest.mark.parametrize("value", ["๒", "²", "\x00", "9" * 40, "-name-", "name\x00", "<script>"])
def test_it_ignores_hostile_sort_and_page_values(client_for, advisor, value):
    response = client_for(advisor).get(
        reverse("province_list"), {"sort": value, "page": value, "export": value}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert len(names(response.content.decode())) == 77


def test_it_exports_the_filtered_provinces_with_thai_headers(client_for, planner):
    client = client_for(planner)
    response = client.get(reverse("province_list"), {"cluster": "N-UP1", "sort": "-name", "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["รหัสจังหวัด", "ชื่อภาษาไทย", "ชื่อภาษาอังกฤษ"]
    assert [r[1] for r in rows[1:]] == ["ลำพูน", "ลำปาง", "แม่ฮ่องสอน", "เชียงใหม่"]
    book = client.get(reverse("province_list"), {"cluster": "N-UP1", "sort": "-name", "export": "xlsx"})
    ws = load_workbook(io.BytesIO(book.content)).active
    assert [c.value for c in ws["B"]] == [r[1] for r in rows]


def test_it_neutralises_formulas_and_keeps_numbers_in_an_export():
    spec = ListSpec(
        columns=(Column("name", "name", value=lambda r: r["name"], text=True),),
        default_sort="name",
        fields=(Field("ชื่อ", lambda r: r["name"]), Field("จำนวน", lambda r: r["n"])),
    )
    rows = [
        {"name": "=1+2", "n": 3},
        {"name": "-2", "n": 2.5},
        {"name": "@x", "n": None},
        {"name": "\tcmd|", "n": 0},
    ]
    request = RequestFactory().get("/", {"export": "xlsx"})
    listing = list_page(request, rows, spec)
    ws = load_workbook(io.BytesIO(export_response(listing, spec).content)).active
    values = [(a.value, b.value) for a, b in ws.iter_rows(min_row=2)]
    assert sorted(values, key=str) == sorted(
        [("'=1+2", 3), ("'-2", 2.5), ("'@x", None), ("'\tcmd|", 0)], key=str
    )
    assert all(a.data_type == "s" for a, _b in ws.iter_rows(min_row=2))
    request = RequestFactory().get("/", {"export": "csv"})
    text = export_response(list_page(request, rows, spec), spec).content.decode("utf-8-sig")
    assert "'=1+2" in text and "\n=1" not in text and ",=" not in text


def test_it_sorts_and_exports_the_clusters_the_user_may_see(client_for, advisor, planner_lampang):
    from provinces.models import Cluster
    from provinces.thai import thai_sorted

    html = client_for(advisor).get(reverse("cluster_list"), {"sort": "name"}).content.decode()
    shown = re.findall(r'<a href="/clusters/[^/]+/">([^<]+)</a>', html)
    assert len(shown) == 18 and shown == [c.name for c in thai_sorted(Cluster.objects.all())]
    response = client_for(planner_lampang).get(reverse("cluster_list"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows] == ["รหัส", "N-UP1"]
