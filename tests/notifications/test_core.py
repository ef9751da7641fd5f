"""notify(), the scope rule, the messages, the bell and the inbox."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from notifications import selectors, services
from notifications.choices import Delivery, NotificationKind
from notifications.models import Notification, NotificationPreference
from provinces.models import Province

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


def people(cast):
    return [u for u in cast.values() if u is not None]


def test_it_creates_one_row_per_recipient_who_may_open_never_the_actor(cast, make_strategy):
    strategy = make_strategy("TH-52", cast["planner_lampang"], title="ยุทธศาสตร์ลำปาง")
    rows = services.notify(
        kind=NotificationKind.COMMENT,
        recipients=[*people(cast), cast["secretariat"]],  # a duplicate too
        actor=cast["advisor"],
        target=strategy,
        params={"excerpt": "ขอข้อมูลเพิ่มเติม"},
    )
    # Chiang Mai's planner and the other cluster's secretariat may not open a Lampang strategy; the advisor
    # wrote the comment.
    assert sorted(r.recipient.username for r in rows) == ["admin", "planner_lp", "sec_nup1"]
    assert {r.url for r in rows} == {reverse("strategy_detail", kwargs={"pk": strategy.pk})}
    assert Notification.objects.count() == 3


def test_it_follows_the_assessment_scope_for_every_member_of_the_cast(cast, assessment_cm):
    rows = services.notify(kind="assessment_approved", recipients=people(cast), target=assessment_cm)
    assert sorted(r.recipient.username for r in rows) == ["admin", "advisor", "planner_cm", "sec_nup1"]
    assert rows[0].url == "/readiness/provinces/TH-50/2570/"


def test_it_creates_nothing_for_a_recipient_who_may_not_open_the_target(cast, assessment_cm):
    assert (
        services.notify(
            kind="assessment_returned", recipients=[cast["planner_lampang"]], target=assessment_cm
        )
        == []
    )
    assert not Notification.objects.exists()


def test_it_keeps_one_row_per_dedupe_key_and_recipient(cast, round_2570):
    lampang = Province.objects.get(code="TH-52")
    key = "reminder_assessment_due:1:52:2026-12-02"
    first = services.notify(
        kind="reminder_assessment_due",
        recipients=[cast["planner_lampang"], cast["advisor"]],
        target=lampang,
        round=round_2570,
        params={"days_left": 7, "closes_on": "2027-01-15"},
        dedupe_key=key,
    )
    second = services.notify(
        kind="reminder_assessment_due",
        recipients=[cast["planner_lampang"], cast["advisor"], cast["admin"]],
        target=lampang,
        round=round_2570,
        params={"days_left": 7, "closes_on": "2027-01-15"},
        dedupe_key=key,
    )
    assert len(first) == 2
    assert [r.recipient.username for r in second] == ["admin"]
    assert Notification.objects.filter(dedupe_key=key).count() == 3


def test_it_refuses_an_unknown_kind(cast):
    with pytest.raises(ValueError):
        services.notify(kind="nonsense", recipients=[cast["planner"]])


# --- messages ---------------------------------------------------------------------------------------------


def _row(recipient, kind, target=None, **fields):
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        url=fields.pop("url", "/"),
        **fields,
    )


def _text(user, notification):
    with translation.override("th"):
        return selectors.items(user, [notification])[0].message


def test_it_writes_thai_with_names_and_buddhist_era_dates(cast, assessment_cm, round_2570, make_strategy):
    returned = _row(cast["planner"], "assessment_returned", assessment_cm, actor=cast["advisor"],
                    params={"comment": "ขอหลักฐานตัวชี้วัด 3"})  # fmt: skip
    message = _text(cast["planner"], returned)
    assert message.text == "advisor ส่งคืนแบบประเมินความพร้อมของจังหวัดเชียงใหม่ ปีงบประมาณ 2570 พร้อมความเห็น"
    assert message.detail == "ขอหลักฐานตัวชี้วัด 3"
    reminder = _row(cast["planner"], "reminder_assessment_due", Province.objects.get(code="TH-50"),
                    round=round_2570, params={"days_left": 7, "closes_on": "2027-01-15"})  # fmt: skip
    text = _text(cast["planner"], reminder).text
    assert "เชียงใหม่" in text and "15 ม.ค. 2570" in text and "7 วัน" in text
    assert "TH-50" not in text


@pytest.mark.parametrize("kind", NotificationKind.values)
def test_it_has_a_thai_message_for_every_kind(kind, cast, assessment_cm, round_2570, make_strategy):
    strategy = make_strategy("TH-50", cast["planner"], title="ยุทธศาสตร์เชียงใหม่")
    targets = {
        "assessment": assessment_cm,
        "strategy": strategy,
        "province": Province.objects.get(code="TH-50"),
        "project": None,
        "briefing": None,
    }
    target = {
        "assessment_submitted": "assessment", "assessment_returned": "assessment", "assessment_approved": "assessment",
        "reminder_review_due": "assessment", "comment": "strategy", "mention": "strategy",
        "quadrant_override": "strategy", "override_withdrawn": "strategy", "overlap_decision": "strategy",
        "reminder_strategy_review_due": "strategy", "similar_strategy": "strategy", "import_changed": "province",
        "reminder_assessment_due": "province", "reminder_assessment_escalation": "province",
    }.get(kind, "project")  # fmt: skip
    params = {"days_left": -3, "days_overdue": 3, "closes_on": "2027-01-15", "due_on": "2027-01-20",
              "quarter": 1, "fiscal_year": 2570, "quadrant": "ก", "verdict": "merged", "other": "",
              "created": 2, "changed": 1, "excerpt": "ข้อความ", "reason": "เหตุผล"}  # fmt: skip
    row = _row(cast["planner"], kind, targets[target], actor=cast["advisor"], round=round_2570, params=params)
    text = _text(cast["planner"], row).text
    # Thai words, and no English word left over (names and numbers aside).
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in text)
    leftovers = [w for w in text.replace("advisor", "").split() if w.isascii() and w.isalpha()]
    assert leftovers == [], text


def test_it_never_shows_a_title_the_reader_may_not_open(cast, make_strategy, client_for):
    secret = make_strategy("TH-52", cast["planner_lampang"], title="ยุทธศาสตร์ลับของลำปาง")
    # A row the reader may no longer open (written directly: notify() would not create it).
    row = _row(cast["planner"], "comment", secret, actor=cast["planner_lampang"],
               url=reverse("strategy_detail", kwargs={"pk": secret.pk}), params={"excerpt": "x"})  # fmt: skip
    assert "ลำปาง" not in _text(cast["planner"], row).text
    client = client_for(cast["planner"])
    page = client.get(reverse("notification_inbox")).content.decode()
    assert "ยุทธศาสตร์ลับของลำปาง" not in page
    assert f'href="{reverse("notification_open", kwargs={"pk": row.pk})}"' not in page
    # Opening it does not lead to the page either.
    response = client.get(reverse("notification_open", kwargs={"pk": row.pk}))
    assert response.status_code == 302 and response["Location"] == reverse("notification_inbox")
    # The owner sees the title.
    mine = _row(
        cast["secretariat"], "comment", secret, actor=cast["planner_lampang"], params={"excerpt": "x"}
    )
    assert "ยุทธศาสตร์ลับของลำปาง" in _text(cast["secretariat"], mine).text


# --- bell, inbox ----------------------------------------------------------------------------------------


def test_it_shows_the_unread_count_in_the_bell_on_every_page(cast, client_for):
    for _ in range(2):
        _row(cast["planner"], "comment")
    _row(cast["planner"], "comment", read_at=NOW)
    _row(cast["advisor"], "comment")
    client = client_for(cast["planner"])
    for name in ("home", "strategy_list", "notification_preferences"):
        page = client.get(reverse(name), follow=True).content.decode()
        assert 'aria-label="การแจ้งเตือน 2 รายการที่ยังไม่อ่าน"' in page, name
    assert selectors.unread_count(cast["planner"]) == 2


def _fill(recipient, n, targets):
    kinds = list(NotificationKind)
    Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            kind=kinds[i % len(kinds)],
            target_type=ContentType.objects.get_for_model(targets[i % len(targets)]),
            target_id=targets[i % len(targets)].pk,
            url="/",
            params={"excerpt": f"ข้อความ {i}"},
        )
        for i in range(n)
    )


def test_it_keeps_the_inbox_query_count_independent_of_data_size(
    cast, assessment_cm, make_strategy, client_for
):
    targets = [
        assessment_cm,
        make_strategy("TH-50", cast["planner"]),
        make_strategy("N-UP1", cast["secretariat"]),
        Province.objects.get(code="TH-50"),
    ]
    client = client_for(cast["planner"])
    _fill(cast["planner"], len(targets), targets)  # one of each object type: one query per type
    client.get(reverse("notification_inbox"))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("notification_inbox")).status_code == 200
    _fill(cast["planner"], 120, targets)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("notification_inbox"))
    assert response.content.decode().count('<li class="list-group-item') == 50  # a page of 50
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_it_filters_by_kind_unread_and_round(cast, round_2570, client_for):
    a = _row(cast["planner"], "comment")
    b = _row(cast["planner"], "mention", read_at=NOW)
    c = _row(cast["planner"], "reminder_assessment_due", round=round_2570)
    client = client_for(cast["planner"])

    def shown(query):
        page = client.get(reverse("notification_inbox") + query).content.decode()
        return {n.pk for n in (a, b, c) if f'id="notification-{n.pk}"' in page}

    assert shown("") == {a.pk, b.pk, c.pk}
    assert shown("?kind=mention") == {b.pk}
    assert shown("?unread=1") == {a.pk, c.pk}
    assert shown(f"?round={round_2570.pk}") == {c.pk}
    for hostile in ("?kind=<script>", "?round=๒", "?round=%00", "?round=99999999999999999999999", "?page=①",
                    "?page=-1", "?page=999999999999"):  # fmt: skip
        assert client.get(reverse("notification_inbox") + hostile).status_code == 200, hostile


def test_it_marks_read_on_opening_and_redirects_only_to_local_urls(cast, client_for):
    good = _row(cast["planner"], "comment", url="/strategies/")
    evil = _row(cast["planner"], "comment", url="//evil.example/x")
    scheme = _row(cast["planner"], "comment", url="https://evil.example/")
    client = client_for(cast["planner"])
    assert client.get(reverse("notification_open", kwargs={"pk": good.pk}))["Location"] == "/strategies/"
    for row in (evil, scheme):
        assert client.get(reverse("notification_open", kwargs={"pk": row.pk}))["Location"] == reverse(
            "notification_inbox"
        )
    assert Notification.objects.filter(read_at__isnull=True).count() == 0
    # Another user's notification: 404, untouched.
    other = _row(cast["advisor"], "comment")
    assert client.get(reverse("notification_open", kwargs={"pk": other.pk})).status_code == 404
    assert client.post(reverse("notification_mark_read", kwargs={"pk": other.pk})).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_it_marks_all_read_by_post_with_csrf_only(cast):
    _row(cast["planner"], "comment")
    _row(cast["planner"], "mention")
    mine = _row(cast["advisor"], "comment")
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["planner"])
    url = reverse("notification_mark_all_read")
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403  # no CSRF token
    assert selectors.unread_count(cast["planner"]) == 2
    client.get(reverse("notification_inbox"))
    response = client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code == 302
    assert selectors.unread_count(cast["planner"]) == 0
    mine.refresh_from_db()
    assert mine.read_at is None


@time_machine.travel(NOW, tick=False)
def test_it_records_when_a_notification_was_read(cast, client_for):
    row = _row(cast["planner"], "comment")
    client_for(cast["planner"]).post(reverse("notification_mark_read", kwargs={"pk": row.pk}))
    row.refresh_from_db()
    assert row.read_at == NOW


def test_it_saves_preferences_and_refuses_hostile_values(cast, client_for):
    client = client_for(cast["planner"])
    url = reverse("notification_preferences")
    page = client.get(url).content.decode()
    assert "ทันที" in page and "สรุปรายวัน" in page and "ไม่ส่ง" in page
    assert client.post(url, {"delivery-comment": "digest", "delivery-mention": "off"}).status_code == 302
    assert services.delivery_for(cast["planner"], "comment") == Delivery.DIGEST
    assert services.delivery_for(cast["planner"], "mention") == Delivery.OFF
    assert services.delivery_for(cast["planner"], "briefing_ready") == Delivery.IMMEDIATE
    before = list(NotificationPreference.objects.values_list("kind", "delivery").order_by("kind"))
    for hostile in ("<script>", "off\x00", "ทันที", "digest ", "="):
        response = client.post(url, {"delivery-comment": "immediate", "delivery-mention": hostile})
        assert response.status_code == 400
        assert "กรุณาเลือก" in response.content.decode()
    assert list(NotificationPreference.objects.values_list("kind", "delivery").order_by("kind")) == before


def test_it_gives_the_demo_logins_email_addresses(reference):
    from devdata.demo_users import demo_users_load

    demo_users_load()
    from django.contrib.auth.models import User

    addresses = dict(
        User.objects.filter(username__in=["planner", "advisor"]).values_list("username", "email")
    )
    assert addresses == {"planner": "planner@example.org", "advisor": "advisor@example.org"}


def test_it_shows_the_inbox_in_thai_for_every_kind(
    cast, assessment_cm, round_2570, make_strategy, client_for
):
    from tests.test_thai_leaks import visible_text

    strategy = make_strategy("TH-50", cast["planner"], title="ยุทธศาสตร์เชียงใหม่")
    province = Province.objects.get(code="TH-50")
    params = {"days_left": 1, "days_overdue": 2, "closes_on": "2027-01-15", "due_on": "2027-01-20", "quarter": 2,
              "fiscal_year": 2570, "quadrant": "ข", "verdict": "not_overlap", "other": "ยุทธศาสตร์ลำพูน",
              "created": 1, "changed": 0, "excerpt": "ข้อความ", "reason": "เหตุผล", "comment": "ความเห็น"}  # fmt: skip
    for kind in NotificationKind.values:
        target = assessment_cm if "assessment_" in kind and "reminder_assessment" not in kind else strategy
        target = province if kind.startswith(("reminder_assessment", "import")) else target
        target = None if kind in ("briefing_ready", "reminder_progress_due") else target
        _row(cast["admin"], kind, target, actor=cast["planner"], round=round_2570, params=params)
    text = visible_text(client_for(cast["admin"]).get(reverse("notification_inbox")).content.decode())
    english = sorted({w for w in re.findall(r"[A-Za-z]{2,}", text)} - {"English", "admin"})  # switch, login
    assert english == [], english
    assert "TH-50" not in text and "สมศรี ใจดี" in text
