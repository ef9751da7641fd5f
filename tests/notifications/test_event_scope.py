"""The scope rule for every event kind: with the whole cast present (and a planner who has since moved to
another province), a notification reaches only people who may open its object — its link opens for them,
and nobody's inbox shows the title of something that is a 404 for them."""

import csv
import io

import pytest
from django.urls import reverse

from briefings import services as briefing_services
from notifications import links
from notifications.choices import NotificationKind
from notifications.models import Notification
from provinces.models import Cluster, Province
from readiness import services as readiness_services
from readiness.choices import AssessmentStatus
from strategies import services as strategy_services
from strategies.decision.services import overlap_decide
from strategies.import_files import STRATEGY_COLUMNS, ImportFile
from strategies.importing import strategies_import
from strategies.models import OverlapVerdict, Strategy
from tests.conftest import _make_user
from tests.readiness.conftest import fill

pytestmark = pytest.mark.django_db

CM_TITLE = "ยุทธศาสตร์ลับเฉพาะเชียงใหม่"
LP_TITLE = "ยุทธศาสตร์ลับเฉพาะลำปาง"
OTHER_TITLE = "ยุทธศาสตร์ลับกลุ่มอีสานตอนบน"


@pytest.fixture
def world(cast, round_2570, make_strategy):
    """The cast, a planner who wrote Chiang Mai's strategy and then moved to Lampang, and strategies of
    Chiang Mai, Lampang and another cluster."""
    readiness_services.framework_load(round=round_2570)
    mover = _make_user("planner_moved", "planner", province="TH-50")
    cm = make_strategy("TH-50", mover, title=CM_TITLE)
    strategy_services.strategy_comment(strategy=cm, by=mover, text="ร่างแรก")
    mover.scope.province = Province.objects.get(code="TH-52")
    mover.scope.save()
    lp = make_strategy("TH-52", cast["planner_lampang"], title=LP_TITLE)
    other = make_strategy("NE-UP1", cast["secretariat_other"], title=OTHER_TITLE)
    Notification.objects.all().delete()
    return {"cast": {**cast, "mover": mover}, "round": round_2570, "cm": cm, "lp": lp, "other": other}


def _csv(rows: list[dict]) -> ImportFile:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(STRATEGY_COLUMNS)
    base = {"fiscal_year": "2570", "title_th": "นำเข้า", "work_area": "development", "asean_pillar": "economic",
            "dimensions": "place", "asean_effect": "70", "national_effect": "60"}  # fmt: skip
    for row in rows:
        writer.writerow([{**base, **row}.get(c, "") for c in STRATEGY_COLUMNS])
    return ImportFile("strategies.csv", ("\ufeff" + out.getvalue()).encode("utf-8"))


def submitted(w):
    assessment = fill("TH-50", w["round"])
    readiness_services.assessment_submit(assessment=assessment, by=w["cast"]["planner"])
    return {"advisor"}


def returned(w):
    assessment = fill("TH-50", w["round"], status=AssessmentStatus.SUBMITTED)
    readiness_services.assessment_return(assessment=assessment, by=w["cast"]["advisor"], comment="แก้ไข")
    return {"planner_cm"}


def approved(w):
    cm = fill("TH-50", w["round"], status=AssessmentStatus.SUBMITTED)
    lp = fill("TH-52", w["round"], status=AssessmentStatus.SUBMITTED)
    readiness_services.assessments_bulk_approve(
        cluster=Cluster.objects.get(code="N-UP1"), round=w["round"], assessment_ids=[cm.pk, lp.pk],
        by=w["cast"]["advisor"],
    )  # fmt: skip
    return {"planner_cm", "planner_lp", "planner_moved"}  # the mover now plans Lampang


def commented(w):
    c = w["cast"]
    strategy_services.strategy_comment(strategy=w["cm"], by=c["advisor"], text="ขอข้อมูลเพิ่ม")
    strategy_services.strategy_comment(strategy=w["cm"], by=c["planner"], text="ส่งแล้ว")
    return {"advisor"}  # the mover wrote the strategy and its first comment, but may no longer open it


def mentioned(w):
    everyone = " ".join(f"@{u.username}" for u in w["cast"].values() if u is not None)
    strategy_services.strategy_comment(strategy=w["cm"], by=w["cast"]["advisor"], text=f"{everyone} @ghost")
    return {"planner_cm", "sec_nup1", "admin"}


def overridden(w):
    strategy = w["cm"]
    quadrant = "ก" if strategy.computed_quadrant != "ก" else "ง"
    strategy_services.strategy_override(
        strategy=strategy, quadrant=quadrant, reason="เหตุผล", by=w["cast"]["advisor"]
    )
    return {"planner_cm"}


def withdrawn(w):
    strategy = w["cm"]
    quadrant = "ก" if strategy.computed_quadrant != "ก" else "ง"
    strategy_services.strategy_override(
        strategy=strategy, quadrant=quadrant, reason="เหตุผล", by=w["cast"]["advisor"]
    )
    Notification.objects.all().delete()
    strategy_services.strategy_override_withdraw(
        strategy=Strategy.objects.get(pk=strategy.pk), by=w["cast"]["advisor"]
    )
    return {"planner_cm"}


def strategy_endorsed(w):
    strategy_services.strategy_propose(strategy=w["cm"], by=w["cast"]["planner"])
    Notification.objects.all().delete()
    strategy_services.strategy_endorse(strategy=Strategy.objects.get(pk=w["cm"].pk), by=w["cast"]["advisor"])
    return {"planner_cm"}  # the mover wrote it, but may no longer open Chiang Mai's strategy


def strategy_returned(w):
    strategy_services.strategy_propose(strategy=w["cm"], by=w["cast"]["planner"])
    Notification.objects.all().delete()
    strategy_services.strategy_return(
        strategy=Strategy.objects.get(pk=w["cm"].pk), by=w["cast"]["advisor"], text="ขอปรับ"
    )
    return {"planner_cm"}


def overlap(w):
    overlap_decide(
        cluster=Cluster.objects.get(code="N-UP1"), fiscal_year=2570, strategy_ids=[w["cm"].pk, w["lp"].pk],
        decision=OverlapVerdict.NOT_OVERLAP, by=w["cast"]["secretariat"],
    )  # fmt: skip
    return {"planner_cm", "planner_lp", "planner_moved"}  # the mover: as Lampang's planner, of Lampang's


def imported(w):
    w["cm"].external_ref = "CM-01"
    w["cm"].save()
    strategies_import(
        strategies=_csv(
            [
                {"ref": "CM-01", "owner": "TH-50", "title_th": CM_TITLE + " (แก้)"},
                {"ref": "LP-09", "owner": "TH-52"},
                {"ref": "NE-09", "owner": "NE-UP1"},
            ]
        ),
        by=w["cast"]["admin"],
    )
    return {"planner_cm", "planner_lp", "planner_moved", "sec_neup1"}


def briefing(w, monkeypatch):
    from briefings import tasks

    monkeypatch.setattr(tasks.briefing_render_task, "delay", lambda *a, **k: None)
    job, _ = briefing_services.briefing_request_by_code(
        kind="province", subject="TH-50", fiscal_year=2570, by=w["cast"]["planner"]
    )
    assert briefing_services.briefing_render(briefing=job).status == "done"
    return {"planner_cm"}


def similar_strategy(w):
    from django.test import TestCase

    coffee = ("ส่งเสริมการปลูกกาแฟอาราบิก้าบนดอยสูง", "คั่วเมล็ดกาแฟ และสร้างตราสินค้ากาแฟชุมชน")
    c = w["cast"]

    def create(owner, by, title):
        data = strategy_services.StrategyData(title_th=title, summary_th=coffee[1], work_area="development",
                                              pillar="economic")  # fmt: skip
        return strategy_services.strategy_create(owner=owner, fiscal_year=2570, data=data, scores={}, by=by)

    create(Province.objects.get(code="TH-50"), c["planner"], coffee[0])
    create(Province.objects.get(code="TH-52"), c["planner_lampang"], coffee[0] + "ลำปาง")
    create(Cluster.objects.get(code="NE-UP1"), c["secretariat_other"], coffee[0])  # another cluster: never
    with TestCase.captureOnCommitCallbacks(execute=True):
        create(Cluster.objects.get(code="N-UP1"), c["secretariat"], coffee[0] + "ของกลุ่มจังหวัด")
    # The owners of the two similar provincial strategies (the mover plans Lampang now), who may all open a
    # strategy of their cluster; not the actor.
    return {"planner_cm", "planner_lp", "planner_moved"}


EVENTS = {
    NotificationKind.ASSESSMENT_SUBMITTED: submitted,
    NotificationKind.ASSESSMENT_RETURNED: returned,
    NotificationKind.ASSESSMENT_APPROVED: approved,
    NotificationKind.COMMENT: commented,
    NotificationKind.MENTION: mentioned,
    NotificationKind.QUADRANT_OVERRIDE: overridden,
    NotificationKind.OVERRIDE_WITHDRAWN: withdrawn,
    NotificationKind.STRATEGY_ENDORSED: strategy_endorsed,
    NotificationKind.STRATEGY_RETURNED: strategy_returned,
    NotificationKind.OVERLAP_DECISION: overlap,
    NotificationKind.IMPORT_CHANGED: imported,
    NotificationKind.SIMILAR_STRATEGY: similar_strategy,
}


def _path(url: str) -> str:
    return url.split("#", 1)[0]


def _check_scope(w, client_for, kind: str, expected: set[str]) -> None:
    rows = list(Notification.objects.select_related("recipient"))
    assert {n.kind for n in rows} == {kind}
    assert {n.recipient.username for n in rows} == expected
    for user in w["cast"].values():
        if user is None:
            continue
        client = client_for(user)
        for n in rows:
            if n.recipient_id != user.pk:
                continue
            assert n.actor_id != user.pk, "the actor is never told"
            assert client.get(_path(n.url)).status_code == 200, (user.username, n.url)
            assert client.get(_path(links.url_for(n.target))).status_code == 200, (user.username, n.target)
        inbox = client.get(reverse("notification_inbox")).content.decode()
        for n in rows:
            if n.recipient_id == user.pk and isinstance(n.target, Strategy):
                assert n.target.title_th in inbox  # what one may open is named
        for strategy in (w["cm"], w["lp"], w["other"]):
            if client.get(reverse("strategy_detail", args=[strategy.pk])).status_code == 404:
                assert strategy.title_th not in inbox, (user.username, strategy.title_th)


@pytest.mark.parametrize("kind", list(EVENTS))
def test_it_tells_only_people_who_may_open_the_object(world, client_for, kind):
    expected = EVENTS[kind](world)
    _check_scope(world, client_for, kind, expected)


def test_it_tells_only_the_requester_that_a_briefing_is_ready(world, client_for, monkeypatch):
    expected = briefing(world, monkeypatch)
    _check_scope(world, client_for, NotificationKind.BRIEFING_READY, expected)


def test_it_covers_every_event_kind_that_is_not_a_reminder():
    events = {*EVENTS, NotificationKind.BRIEFING_READY}
    assert events == {k for k in NotificationKind.values if not k.startswith("reminder_")}
