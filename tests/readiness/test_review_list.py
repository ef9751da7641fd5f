"""The advisor's readiness review queue as a list: by age, filters, earlier rounds, counts, exports, scope;
and the national map's table (sort, export)."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from readiness.choices import AssessmentStatus
from readiness.models import Assessment

pytestmark = pytest.mark.django_db


def submitted(fill, code, round, day, status=AssessmentStatus.SUBMITTED):
    a = fill(code, round, status=status)
    Assessment.objects.filter(pk=a.pk).update(submitted_at=dt.datetime(2026, 11, day, 3, tzinfo=dt.UTC))
    return a


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def queue(filler, round_2569, round_2570):
    submitted(filler, "TH-52", round_2570, 20)  # Lampang, N-UP1
    submitted(filler, "TH-50", round_2569, 2)  # Chiang Mai, last round
    submitted(filler, "TH-30", round_2570, 10)  # Nakhon Ratchasima, NE-LO1
    submitted(filler, "TH-10", round_2570, 15)  # Bangkok: no cluster
    submitted(filler, "TH-51", round_2570, 5, status=AssessmentStatus.RETURNED)
    filler("TH-53", round_2570)  # a draft is not waiting for anyone


def test_it_lists_the_oldest_submission_first_and_marks_earlier_rounds(client_for, advisor, queue):
    html = client_for(advisor).get(reverse("review_queue")).content.decode()
    assert re.findall(r'/readiness/provinces/(TH-\d+)/\d+/">', html) == ["TH-50", "TH-30", "TH-10", "TH-52"]
    assert html.count("รอบก่อน") == 1
    assert 'aria-sort="ascending"' in html and "กำหนดพิจารณา" in html


def test_it_filters_the_queue_by_round_cluster_and_status(client_for, advisor, queue):
    client = client_for(advisor)

    def shown(**query):
        html = client.get(reverse("review_queue"), query).content.decode()
        return re.findall(r'/readiness/provinces/(TH-\d+)/\d+/">', html)

    assert shown(fy="2570") == ["TH-30", "TH-10", "TH-52"]
    assert shown(fy="๒๕๖๙") == ["TH-50"]
    assert shown(cluster="N-UP1") == ["TH-50", "TH-52"]
    assert shown(cluster="none") == ["TH-10"]
    assert shown(status="returned") == ["TH-51"]
    assert shown(status="all", fy="2570") == ["TH-51", "TH-30", "TH-10", "TH-52"]
    for hostile in (
        {"fy": "²"},
        {"cluster": "\x00"},
        {"status": "approved"},
        {"fy": "9" * 40},
        {"sort": "x\x00"},
    ):
        assert shown(**hostile) == ["TH-50", "TH-30", "TH-10", "TH-52"]


def test_it_sorts_the_queue_by_province_in_thai_order(client_for, advisor, queue):
    html = client_for(advisor).get(reverse("review_queue"), {"sort": "province"}).content.decode()
    # กรุงเทพมหานคร, นครราชสีมา, เชียงใหม่ (ช), ลำปาง: the leading vowel is read after its consonant.
    names = re.findall(r'/readiness/provinces/TH-\d+/\d+/">([^<]+)</a>', html)
    assert names == ["กรุงเทพมหานคร", "เชียงใหม่", "นครราชสีมา", "ลำปาง"]


def test_it_counts_the_current_round_as_the_dashboard_does(client_for, advisor, queue):
    client = client_for(advisor)
    dashboard = client.get(reverse("national_dashboard"))
    html = dashboard.content.decode()
    assert 'href="/readiness/review/?fy=2570"' in html
    queue_page = client.get(reverse("review_queue"), {"fy": "2570"}).context["listing"]
    assert dashboard.context["submitted"] == queue_page.total == 3
    assert client.get(reverse("review_queue")).context["listing"].total == 4  # with the earlier round


def test_it_exports_the_filtered_queue_with_scores(client_for, advisor, queue):
    client = client_for(advisor)
    rows = csv_rows(client.get(reverse("review_queue"), {"fy": "2570", "export": "csv"}))
    assert rows[0][:4] == ["รหัสจังหวัด", "จังหวัด", "กลุ่มจังหวัด", "ปีงบประมาณ"]
    assert [r[0] for r in rows[1:]] == ["TH-30", "TH-10", "TH-52"]
    assert rows[1][-2:] == ["50", "100"]  # every indicator answered 3: 50 of 100, complete
    ws = load_workbook(
        io.BytesIO(client.get(reverse("review_queue"), {"fy": "2570", "export": "xlsx"}).content)
    ).active
    assert [c.value for c in ws["A"]][1:] == ["TH-30", "TH-10", "TH-52"]


def test_it_refuses_the_queue_and_its_export_to_everyone_but_advisors(client_for, cast, queue):
    for role in ("planner", "planner_lampang", "secretariat", "secretariat_other", "admin"):
        assert client_for(cast[role]).get(reverse("review_queue"), {"export": "csv"}).status_code == 404


@pytest.mark.parametrize("size", [10, 60])
def test_it_costs_the_same_queries_whatever_the_size_of_the_queue(
    client_for, advisor, filler, round_2570, size, django_assert_max_num_queries
):
    from provinces.models import Province

    for code in Province.objects.order_by("code").values_list("code", flat=True)[:size]:
        submitted(filler, code, round_2570, 3)
    client = client_for(advisor)
    client.get(reverse("review_queue"))
    for query in ({}, {"sort": "province"}, {"page": "2", "sort": "-cluster"}, {"export": "csv"}):
        with django_assert_max_num_queries(14):
            assert client.get(reverse("review_queue"), query).status_code == 200


# --- the map's table -----------------------------------------------------------------------------


def test_it_sorts_the_map_table_and_exports_it(client_for, planner, filler, round_2570):
    client = client_for(planner)
    html = client.get(reverse("national_map"), {"sort": "province"}).content.decode()
    names = re.findall(r'<tr data-code="TH-\d+"><th scope="row" class="fw-normal">([^<]+)</th>', html)
    assert len(names) == 77 and names.index("เชียงใหม่") < names.index("แพร่") < names.index("แม่ฮ่องสอน")
    assert names.index("แม่ฮ่องสอน") < names.index("อุบลราชธานี")
    assert '<details class="mt-3" open>' in html and 'aria-sort="ascending"' in html
    rows = csv_rows(client.get(reverse("national_map"), {"sort": "province", "by": "place", "export": "csv"}))
    assert rows[0][:2] == ["รหัสจังหวัด", "จังหวัด"] and [r[1] for r in rows[1:]] == names
    descending = client.get(reverse("national_map"), {"sort": "-overall"}).content.decode()
    assert 'aria-sort="descending"' in descending
