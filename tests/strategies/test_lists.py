"""The strategy list and the advisor's strategy review queue: pages, sort, filters, exports, bulk endorse."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from provinces.models import Cluster, Province
from readiness.choices import RoundStatus
from readiness.models import Round
from strategies.choices import ReviewKind, StrategyStatus
from strategies.models import Strategy, StrategyReview

pytestmark = pytest.mark.django_db


def bulk(
    owner_code: str, n: int, *, prefix="ยุทธศาสตร์", status=StrategyStatus.DRAFT, fiscal_year=2570, **extra
):
    """n strategies written directly (the list is under test, not the services)."""
    owner = {"province": Province.objects.get(code=owner_code)} if owner_code.startswith("TH-") else {
        "cluster": Cluster.objects.get(code=owner_code)
    }  # fmt: skip
    return Strategy.objects.bulk_create(
        Strategy(
            **owner,
            fiscal_year=fiscal_year,
            title_th=f"{prefix} {i:03d}",
            work_area="public_service",
            pillar="economic",
            status=status,
            **extra,
        )
        for i in range(n)
    )


def titles(html: str) -> list[str]:
    return re.findall(r'href="/strategies/\d+/">([^<]+)</a>', html)


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response) -> list[tuple]:
    ws = load_workbook(io.BytesIO(response.content)).active
    return list(ws.iter_rows(values_only=True))


# --- the strategy list ---------------------------------------------------------------------------


def test_it_shows_fifty_strategies_a_page_with_the_page_in_the_url(client_for, advisor):
    bulk("TH-50", 60)
    client = client_for(advisor)
    first = client.get(reverse("strategy_list")).content.decode()
    second = client.get(reverse("strategy_list"), {"page": "2"}).content.decode()
    assert len(titles(first)) == 50 and len(titles(second)) == 10
    assert not set(titles(first)) & set(titles(second))
    assert 'href="?sort=-fy&amp;page=2"' in first and 'aria-current="page">2<' in second


@pytest.mark.parametrize("page", ["๒", "999", "²", "①", "\x00", "1" + "0" * 30, "-3", "", "abc", "2.5"])
def test_it_answers_hostile_page_numbers_with_a_page(client_for, advisor, page):
    bulk("TH-50", 60)
    response = client_for(advisor).get(reverse("strategy_list"), {"page": page})
    assert response.status_code == 200
    shown = titles(response.content.decode())
    # Thai digits are digits (page 2), a page past the end is the last one; the rest is the first page.
    assert len(shown) == (10 if page in ("๒", "999") else 50)


@pytest.mark.parametrize("sort", ["nonsense", "-", "--title", "\x00", "title\x00", "๒", "x" * 5000])
def test_it_ignores_an_unknown_sort_key(client_for, advisor, sort):
    bulk("TH-50", 3)
    response = client_for(advisor).get(reverse("strategy_list"), {"sort": sort})
    assert response.status_code == 200
    assert 'aria-sort="descending"' in response.content.decode()  # the default: newest fiscal year first


def test_it_sorts_titles_in_thai_dictionary_order_both_ways(client_for, advisor):
    for title in ("อุตสาหกรรม", "แพร่ผ้า", "เชียงใหม่เมืองน่าอยู่", "กาแฟ", "ไม้สัก"):
        bulk("TH-50", 1, prefix=title)
    client = client_for(advisor)
    up = client.get(reverse("strategy_list"), {"sort": "title"}).content.decode()
    down = client.get(reverse("strategy_list"), {"sort": "-title"}).content.decode()
    expected = ["กาแฟ 000", "เชียงใหม่เมืองน่าอยู่ 000", "แพร่ผ้า 000", "ไม้สัก 000", "อุตสาหกรรม 000"]
    assert titles(up) == expected and titles(down) == expected[::-1]
    assert re.search(r'<th scope="col" aria-sort="ascending"><a [^>]*href="\?sort=-title"', up)


def test_it_sorts_by_quadrant_and_filters_by_it_across_pages(client_for, advisor):
    bulk("TH-50", 55, prefix="สูง", asean_effect=80, national_effect=80)
    bulk("TH-50", 3, prefix="ต่ำ", asean_effect=10, national_effect=10)
    bulk(
        "TH-50",
        2,
        prefix="ย้าย",
        asean_effect=10,
        national_effect=10,
        override_quadrant="ก",
        override_reason="ok",
    )
    client = client_for(advisor)
    low = client.get(reverse("strategy_list"), {"quadrant": "ง"}).content.decode()
    assert sorted(titles(low)) == ["ต่ำ 000", "ต่ำ 001", "ต่ำ 002"]
    last = client.get(reverse("strategy_list"), {"sort": "quadrant", "page": "2"}).content.decode()
    assert titles(last)[-3:] == ["ต่ำ 000", "ต่ำ 001", "ต่ำ 002"]  # ง after every ก, overrides included


def test_it_keeps_the_filters_in_the_page_and_sort_links(client_for, advisor):
    bulk("TH-50", 60)
    bulk("TH-50", 5, prefix="สังคม")
    Strategy.objects.filter(title_th__startswith="สังคม").update(pillar="socio_cultural")
    html = (
        client_for(advisor)
        .get(reverse("strategy_list"), {"pillar": "economic", "sort": "title"})
        .content.decode()
    )
    assert 'href="?pillar=economic&amp;sort=title&amp;page=2"' in html
    assert 'href="?pillar=economic&amp;sort=-title"' in html
    assert '<input type="hidden" name="sort" value="title">' in html  # the filter form keeps the sort
    assert not [t for t in titles(html) if t.startswith("สังคม")]


def test_it_exports_exactly_the_filtered_list_across_pages_as_csv_and_xlsx(client_for, advisor):
    bulk("TH-50", 70)
    bulk("TH-52", 5, prefix="ลำปาง")
    client = client_for(advisor)
    query = {"sort": "title", "cluster": "N-UP1", "fy": "2570"}
    response = client.get(reverse("strategy_list"), {**query, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:3] == ["รหัสอ้างอิง", "ยุทธศาสตร์", "ชื่อภาษาอังกฤษ"]
    assert [r[1] for r in rows[1:]] == [f"ยุทธศาสตร์ {i:03d}" for i in range(70)] + [
        f"ลำปาง {i:03d}" for i in range(5)
    ]
    book = xlsx_rows(client.get(reverse("strategy_list"), {**query, "export": "xlsx"}))
    assert [list(map(lambda v: "" if v is None else str(v), r)) for r in book] == rows
    narrowed = csv_rows(client.get(reverse("strategy_list"), {"quadrant": "ก", "export": "csv"}))
    assert len(narrowed) == 1  # the header only: no strategy is in ก


def test_it_neutralises_formulas_in_the_exports(client_for, planner):
    bulk("TH-50", 1, prefix='=HYPERLINK("http://evil.example","x")')
    Strategy.objects.update(title_en="@SUM(A1)", external_ref="+1")
    client = client_for(planner)
    row = csv_rows(client.get(reverse("strategy_list"), {"export": "csv"}))[1]
    assert row[:3] == ["'+1", '\'=HYPERLINK("http://evil.example","x") 000', "'@SUM(A1)"]
    ws = load_workbook(io.BytesIO(client.get(reverse("strategy_list"), {"export": "xlsx"}).content)).active
    assert [ws.cell(2, c).value for c in (1, 2, 3)] == row[:3]
    assert all(ws.cell(2, c).data_type == "s" for c in (1, 2, 3))


def test_it_exports_only_what_the_user_may_see(client_for, planner_lampang, secretariat_other):
    bulk("TH-50", 3, prefix="ร่างเชียงใหม่")
    bulk("TH-52", 2, prefix="ลำปาง")
    bulk("N-UP1", 1, prefix="กลุ่มเหนือบน")
    for fmt in ("csv", "xlsx"):
        response = client_for(planner_lampang).get(reverse("strategy_list"), {"export": fmt})
        cells = csv_rows(response) if fmt == "csv" else [[str(v) for v in r] for r in xlsx_rows(response)]
        shown = sorted(r[1] for r in cells[1:])
        assert shown == ["กลุ่มเหนือบน 000", "ลำปาง 000", "ลำปาง 001"]
    assert len(csv_rows(client_for(secretariat_other).get(reverse("strategy_list"), {"export": "csv"}))) == 1


def test_it_sorts_by_owner_in_thai_dictionary_order_provinces_and_clusters_together(client_for, advisor):
    for code in ("TH-52", "TH-58", "N-UP1", "TH-50", "TH-57"):
        bulk(code, 1, prefix=f"แผน {code}")
    client = client_for(advisor)
    owners = [
        s.owner.name_th
        for s in client.get(reverse("strategy_list"), {"sort": "owner"}).context["listing"].rows
    ]
    # ก before the leading vowels' consonants: เชียงราย, เชียงใหม่ (ช), แม่ฮ่องสอน (ม), then ลำปาง (ล).
    assert owners == ["กลุ่มจังหวัดภาคเหนือตอนบน 1", "เชียงราย", "เชียงใหม่", "แม่ฮ่องสอน", "ลำปาง"]
    back = [
        s.owner.name_th
        for s in client.get(reverse("strategy_list"), {"sort": "-owner"}).context["listing"].rows
    ]
    assert back == owners[::-1]


@pytest.mark.parametrize("size", [10, 200])
def test_it_costs_the_same_queries_whatever_the_number_of_strategies(
    client_for, advisor, size, django_assert_max_num_queries
):
    bulk("TH-50", size)
    client = client_for(advisor)
    client.get(reverse("strategy_list"))  # session and caches warm
    for query in ({}, {"sort": "title"}, {"sort": "owner", "page": "2"}, {"quadrant": "ง"}):
        with django_assert_max_num_queries(12):
            assert client.get(reverse("strategy_list"), query).status_code == 200
    with django_assert_max_num_queries(12):
        assert (
            len(csv_rows(client.get(reverse("strategy_list"), {"export": "csv", "sort": "title"})))
            == size + 1
        )


# --- the advisor's review queue ------------------------------------------------------------------


@pytest.fixture
def current_round(reference):
    return Round.objects.create(
        fiscal_year=2570,
        opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2027, 1, 15),
        status=RoundStatus.OPEN,
    )


def proposed(owner_code: str, title: str, *, at: dt.datetime, fiscal_year=2570) -> Strategy:
    s = bulk(owner_code, 1, prefix=title, status=StrategyStatus.PROPOSED, fiscal_year=fiscal_year)[0]
    review = StrategyReview.objects.create(strategy=s, kind=ReviewKind.PROPOSED)
    StrategyReview.objects.filter(pk=review.pk).update(created_at=at)
    return s


def at(day: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, 9, tzinfo=dt.UTC)


def test_it_lists_the_oldest_proposal_first_and_marks_earlier_rounds(client_for, advisor, current_round):
    proposed("TH-50", "ใหม่", at=at(20))
    proposed("TH-52", "เก่า", at=at(2), fiscal_year=2569)
    proposed("N-UP1", "กลาง", at=at(10))
    bulk("TH-50", 2, prefix="ร่าง")  # drafts are not waiting for review
    html = client_for(advisor).get(reverse("strategy_review_queue")).content.decode()
    assert titles(html) == ["เก่า 000", "กลาง 000", "ใหม่ 000"]
    assert html.count("รอบก่อน") == 1
    newest = client_for(advisor).get(reverse("strategy_review_queue"), {"sort": "-waiting"}).content.decode()
    assert titles(newest) == ["ใหม่ 000", "กลาง 000", "เก่า 000"]


def test_it_filters_the_queue_by_round_cluster_and_status(client_for, advisor, current_round):
    proposed("TH-50", "เชียงใหม่", at=at(3))
    proposed("TH-52", "ลำปางเก่า", at=at(4), fiscal_year=2569)
    proposed("TH-30", "โคราช", at=at(5))
    bulk("TH-50", 1, prefix="ส่งกลับ", status=StrategyStatus.RETURNED)
    client = client_for(advisor)

    def shown(**query):
        return titles(client.get(reverse("strategy_review_queue"), query).content.decode())

    assert shown(cluster="N-UP1") == ["เชียงใหม่ 000", "ลำปางเก่า 000"]
    assert shown(fy="2570") == ["เชียงใหม่ 000", "โคราช 000"]
    assert shown(fy="2570", cluster="n-up1") == ["เชียงใหม่ 000"]
    assert shown(status="returned") == ["ส่งกลับ 000"]
    assert len(shown(status="all")) == 4
    # Values that name nothing are ignored: the whole queue of proposals.
    for hostile in ({"cluster": "XX\x00"}, {"fy": "๒๕๗๐๐"}, {"status": "endorsed"}, {"cluster": "ก" * 3000}):
        assert len(shown(**hostile)) == 3


def test_it_counts_the_queue_as_the_dashboard_does(client_for, advisor, current_round):
    for day in range(1, 8):
        proposed("TH-50", f"รอ {day}", at=at(day))
    bulk("TH-50", 60, status=StrategyStatus.PROPOSED)  # imported as proposed: no "proposed" entry
    bulk("TH-52", 4, prefix="ร่าง")
    client = client_for(advisor)
    dashboard = client.get(reverse("national_dashboard")).context["proposed"]
    queue = client.get(reverse("strategy_review_queue")).context["listing"]
    assert dashboard == queue.total == 67 and len(queue.rows) == 50


def test_it_endorses_the_ticked_strategies_through_the_service(client_for, advisor, current_round):
    a, b, c = (proposed("TH-50", t, at=at(i + 1)) for i, t in enumerate(["ก", "ข", "ค"]))
    response = client_for(advisor).post(
        reverse("strategy_review_queue") + "?cluster=N-UP1", {"strategy": [str(a.pk), str(b.pk)]}
    )
    assert response.status_code == 302 and response["Location"].endswith("?cluster=N-UP1")
    statuses = dict(Strategy.objects.values_list("pk", "status"))
    assert (statuses[a.pk], statuses[b.pk], statuses[c.pk]) == ("endorsed", "endorsed", "proposed")
    assert StrategyReview.objects.filter(kind=ReviewKind.ENDORSED).count() == 2  # logged as the service does


@pytest.mark.parametrize("extra", ["draft", "endorsed", "missing", "²", "\x00", "1" + "0" * 30])
def test_it_refuses_a_bulk_endorse_with_any_id_the_advisor_may_not_endorse(
    client_for, advisor, current_round, extra
):
    a = proposed("TH-50", "รอ", at=at(1))
    other = {
        "draft": lambda: str(bulk("TH-52", 1)[0].pk),
        "endorsed": lambda: str(bulk("TH-52", 1, status=StrategyStatus.ENDORSED)[0].pk),
        "missing": lambda: "999999",
    }.get(extra, lambda: extra)()
    client = client_for(advisor)
    response = client.post(reverse("strategy_review_queue"), {"strategy": [str(a.pk), other]})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == "proposed" and not StrategyReview.objects.filter(kind=ReviewKind.ENDORSED).exists()
    page = client.get(response["Location"]).content.decode()
    assert "ไม่ได้รับรองรายการใด" in page


def test_it_refuses_the_queue_and_its_bulk_endorse_to_everyone_but_advisors(client_for, cast, current_round):
    a = proposed("TH-50", "รอ", at=at(1))
    for role in ("planner", "planner_lampang", "secretariat", "admin"):
        client = client_for(cast[role])
        assert client.post(reverse("strategy_review_queue"), {"strategy": [str(a.pk)]}).status_code == 404
        assert client.get(reverse("strategy_review_queue"), {"export": "csv"}).status_code == 404
    a.refresh_from_db()
    assert a.status == "proposed"


def test_it_exports_the_filtered_queue(client_for, advisor, current_round):
    proposed("TH-50", "เชียงใหม่", at=at(3))
    proposed("TH-30", "โคราช", at=at(5))
    rows = csv_rows(
        client_for(advisor).get(reverse("strategy_review_queue"), {"cluster": "N-UP1", "export": "csv"})
    )
    assert rows[0][:2] == ["รอพิจารณาตั้งแต่", "รหัสอ้างอิง"] and [r[2] for r in rows[1:]] == ["เชียงใหม่ 000"]
    assert rows[1][0] == "3 พ.ย. 2569 16:00"  # Bangkok time, B.E.


def test_it_keeps_services_untouched_by_an_empty_bulk_endorse(client_for, advisor, current_round):
    a = proposed("TH-50", "รอ", at=at(1))
    client = client_for(advisor)
    response = client.post(reverse("strategy_review_queue"), {})
    assert response.status_code == 302
    assert Strategy.objects.get(pk=a.pk).status == "proposed"
    assert "กรุณาเลือกยุทธศาสตร์" in client.get(response["Location"]).content.decode()
