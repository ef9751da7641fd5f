"""Every event reaches exactly the people concerned — and nobody else of the cast, never the one who acted."""

import csv
import io
import logging

import pytest
from django.db import connection

from notifications import mentions
from notifications.choices import NotificationKind
from notifications.models import Notification
from provinces.models import AdvisorAssignment, Cluster, Province
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


def told(kind: str | None = None) -> dict[str, list]:
    """username → the targets they were told of (of this kind)."""
    rows = Notification.objects.select_related("recipient").order_by("pk")
    if kind:
        rows = rows.filter(kind=kind)
    out: dict[str, list] = {}
    for n in rows:
        out.setdefault(n.recipient.username, []).append(n.target)
    return out


@pytest.fixture
def framework(round_2570):
    readiness_services.framework_load(round=round_2570)
    return round_2570


@pytest.fixture
def submitted_cm(framework, cast):
    return fill("TH-50", framework, status=AssessmentStatus.SUBMITTED)


# --- readiness ------------------------------------------------------------------------------------


def test_it_tells_every_advisor_of_a_submission_when_nobody_is_assigned(framework, cast):
    other_advisor = _make_user("advisor2", "advisor")
    assessment = fill("TH-50", framework)
    readiness_services.assessment_submit(assessment=assessment, by=cast["planner"])
    assert told() == {"advisor": [assessment], "advisor2": [assessment]}
    n = Notification.objects.get(recipient=other_advisor)
    assert n.kind == NotificationKind.ASSESSMENT_SUBMITTED and n.actor == cast["planner"]
    assert n.round == framework and n.url == "/readiness/provinces/TH-50/2570/"


def test_it_tells_only_the_advisors_assigned_to_the_cluster_of_a_submission(framework, cast):
    other_advisor = _make_user("advisor2", "advisor")
    AdvisorAssignment.objects.create(advisor=cast["advisor"], cluster=Cluster.objects.get(code="N-UP1"))
    AdvisorAssignment.objects.create(advisor=other_advisor, cluster=Cluster.objects.get(code="NE-UP1"))
    assessment = fill("TH-50", framework)
    readiness_services.assessment_submit(assessment=assessment, by=cast["planner"])
    assert told() == {"advisor": [assessment]}


def test_it_tells_the_provinces_planners_of_a_return_with_the_comment(submitted_cm, cast):
    colleague = _make_user("planner_cm2", "planner", province="TH-50")
    readiness_services.assessment_return(
        assessment=submitted_cm, by=cast["advisor"], comment="ขอให้แนบสถิติผู้ผ่านแดน" * 20
    )
    assert told() == {"planner_cm": [submitted_cm], "planner_cm2": [submitted_cm]}
    n = Notification.objects.get(recipient=colleague)
    assert n.kind == NotificationKind.ASSESSMENT_RETURNED and n.actor == cast["advisor"]
    assert n.params["comment"] == ("ขอให้แนบสถิติผู้ผ่านแดน" * 20)[:200]


def test_it_quotes_an_indicator_comment_when_a_return_has_no_overall_one(submitted_cm, cast):
    indicator = submitted_cm.round.indicators.first()
    readiness_services.assessment_return(
        assessment=submitted_cm,
        by=cast["advisor"],
        comment="",
        indicator_comments={indicator.pk: "ขาดหลักฐาน"},
    )
    assert Notification.objects.get(recipient=cast["planner"]).params == {"comment": "ขาดหลักฐาน"}


def test_it_tells_the_provinces_planners_of_an_approval(submitted_cm, cast):
    readiness_services.assessment_approve(assessment=submitted_cm, by=cast["advisor"])
    assert told(NotificationKind.ASSESSMENT_APPROVED) == {"planner_cm": [submitted_cm]}
    assert set(told()) == {"planner_cm"}


def test_it_tells_each_province_of_its_own_approval_in_a_bulk_approval(framework, cast):
    cm = fill("TH-50", framework, status=AssessmentStatus.SUBMITTED)
    lp = fill("TH-52", framework, status=AssessmentStatus.SUBMITTED)
    count = readiness_services.assessments_bulk_approve(
        cluster=Cluster.objects.get(code="N-UP1"),
        round=framework,
        assessment_ids=[cm.pk, lp.pk],
        by=cast["advisor"],
    )
    assert count == 2
    assert told(NotificationKind.ASSESSMENT_APPROVED) == {"planner_cm": [cm], "planner_lp": [lp]}


# --- strategy threads and mentions -----------------------------------------------------------------


def test_it_tells_the_threads_participants_of_a_comment_but_not_its_author(make_strategy, cast):
    strategy = make_strategy("TH-50", cast["planner"])
    colleague = _make_user("planner_cm2", "planner", province="TH-50")
    strategy_services.strategy_comment(strategy=strategy, by=cast["advisor"], text="โปรดระบุงบประมาณ")
    assert told() == {"planner_cm": [strategy]}  # the creator; a colleague who never wrote in it is not told
    first = strategy.reviews.get()
    strategy_services.strategy_comment(strategy=strategy, by=cast["planner"], text="แก้ไขแล้ว", reply_to=first)
    assert told() == {"planner_cm": [strategy], "advisor": [strategy]}
    strategy_services.strategy_comment(strategy=strategy, by=colleague, text="เห็นด้วย")
    assert told() == {"planner_cm": [strategy, strategy], "advisor": [strategy, strategy]}
    latest = Notification.objects.filter(recipient=cast["advisor"]).first()
    assert latest.kind == NotificationKind.COMMENT and latest.actor == colleague
    assert latest.params == {"excerpt": "เห็นด้วย"}
    assert latest.url == f"/strategies/{strategy.pk}/#review-{strategy.reviews.last().pk}"


def test_it_tells_a_mentioned_user_once_as_a_mention(make_strategy, cast):
    strategy = make_strategy("TH-50", cast["planner"])
    colleague = _make_user("planner_cm2", "planner", province="TH-50")
    strategy_services.strategy_comment(
        strategy=strategy, by=cast["planner"], text="เรียน @advisor และ @sec_nup1."
    )
    assert told(NotificationKind.MENTION) == {"advisor": [strategy], "sec_nup1": [strategy]}
    assert told(NotificationKind.COMMENT) == {}
    # The advisor now takes part; mentioned again by a colleague, they get the mention, not also a comment.
    strategy_services.strategy_comment(strategy=strategy, by=cast["advisor"], text="รับทราบ")
    strategy_services.strategy_comment(strategy=strategy, by=colleague, text="@advisor ดูข้อ 2")
    assert told(NotificationKind.MENTION)["advisor"] == [strategy, strategy]
    assert "advisor" not in told(NotificationKind.COMMENT)
    assert strategy.reviews.last().text == "@advisor ดูข้อ 2"  # stored as written


def test_it_tells_nobody_of_an_unknown_or_out_of_scope_mention(make_strategy, cast):
    strategy = make_strategy("TH-50", cast["planner"])
    strategy_services.strategy_comment(
        strategy=strategy,
        by=cast["planner"],
        text="@nobody @planner_lp @sec_neup1 @planner_cm mail@sec_nup1 @๒๓ @ @advisor",
    )
    # Lampang's planner and the other cluster may not open a Chiang Mai strategy; the author is not told.
    assert told() == {"advisor": [strategy]}


def test_it_reads_mentions_as_plain_usernames():
    assert mentions.mentioned_usernames("@a.b, @c-d. mail@x.org (@e) @a.b @") == ["a.b", "c-d", "e"]
    assert mentions.mentioned_usernames("") == []


# --- overrides, overlaps, imports ------------------------------------------------------------------


def test_it_tells_the_owner_of_a_quadrant_override_and_of_its_withdrawal(make_strategy, cast):
    strategy = make_strategy("N-UP1", cast["secretariat"])
    other = _make_user("sec_nup1_b", "secretariat", cluster="N-UP1")
    target = "ก" if strategy.computed_quadrant != "ก" else "ง"
    strategy_services.strategy_override(
        strategy=strategy, quadrant=target, reason="ผลต่อชาติสูง", by=cast["advisor"]
    )
    assert told(NotificationKind.QUADRANT_OVERRIDE) == {"sec_nup1": [strategy], "sec_nup1_b": [strategy]}
    n = Notification.objects.get(recipient=other)
    assert n.params == {"quadrant": target, "reason": "ผลต่อชาติสูง"} and n.actor == cast["advisor"]
    strategy_services.strategy_override_withdraw(strategy=strategy, by=cast["advisor"])
    assert told(NotificationKind.OVERRIDE_WITHDRAWN) == {"sec_nup1": [strategy], "sec_nup1_b": [strategy]}
    assert set(told()) == {"sec_nup1", "sec_nup1_b"}  # planners of member provinces are not the owner


def test_it_tells_the_owner_when_an_advisor_endorses_or_returns_a_strategy(make_strategy, cast):
    endorsed = make_strategy("TH-50", cast["planner"], title="ด่านเชียงใหม่")
    returned = make_strategy("TH-50", cast["planner"], title="ตลาดชายแดน")
    for s in (endorsed, returned):
        strategy_services.strategy_propose(strategy=s, by=cast["planner"])
    assert told() == {}  # proposing tells nobody here (the advisors' queue and reminders do)
    strategy_services.strategy_endorse(strategy=endorsed, by=cast["advisor"], text="เห็นชอบ")
    strategy_services.strategy_return(strategy=returned, by=cast["advisor"], text="ขอปรับงบประมาณ")
    assert told(NotificationKind.STRATEGY_ENDORSED) == {"planner_cm": [endorsed]}
    assert told(NotificationKind.STRATEGY_RETURNED) == {"planner_cm": [returned]}
    n = Notification.objects.get(kind=NotificationKind.STRATEGY_RETURNED)
    assert n.params == {"comment": "ขอปรับงบประมาณ"} and n.actor == cast["advisor"]
    assert set(told()) == {"planner_cm"}  # not the advisor, not Lampang


def test_it_tells_the_owners_of_each_strategy_of_an_overlap_decision(make_strategy, cast):
    cm = make_strategy("TH-50", cast["planner"], title="ด่านเชียงใหม่")
    lp = make_strategy("TH-52", cast["planner_lampang"], title="ด่านลำปาง")
    overlap_decide(
        cluster=Cluster.objects.get(code="N-UP1"),
        fiscal_year=2570,
        strategy_ids=[cm.pk, lp.pk],
        decision=OverlapVerdict.NOT_OVERLAP,
        by=cast["secretariat"],
    )
    assert told(NotificationKind.OVERLAP_DECISION) == {"planner_cm": [cm], "planner_lp": [lp]}
    assert set(told()) == {"planner_cm", "planner_lp"}  # the decision's notes in the threads tell nobody else
    n = Notification.objects.get(recipient=cast["planner"], kind=NotificationKind.OVERLAP_DECISION)
    # Chiang Mai's planner may not open Lampang's strategy: its title is not given.
    assert n.params == {"verdict": OverlapVerdict.NOT_OVERLAP, "other": ""}


def test_it_names_the_other_strategy_to_an_owner_who_may_open_it(make_strategy, cast):
    cm = make_strategy("TH-50", cast["planner"], title="ด่านเชียงใหม่")
    cluster = make_strategy("N-UP1", cast["secretariat"], title="ด่านกลุ่มจังหวัด")
    overlap_decide(
        cluster=Cluster.objects.get(code="N-UP1"),
        fiscal_year=2570,
        strategy_ids=[cm.pk, cluster.pk],
        decision=OverlapVerdict.MERGED,
        merged_into_id=cluster.pk,
        by=cast["advisor"],
    )
    by_user = {
        n.recipient.username: n.params
        for n in Notification.objects.filter(kind=NotificationKind.OVERLAP_DECISION)
    }
    assert by_user == {
        "planner_cm": {"verdict": "merged", "other": "ด่านกลุ่มจังหวัด"},
        "sec_nup1": {"verdict": "merged", "other": "ด่านเชียงใหม่"},
    }


def _csv(rows: list[dict]) -> ImportFile:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(STRATEGY_COLUMNS)
    base = {"fiscal_year": "2570", "title_th": "ยุทธศาสตร์นำเข้า", "work_area": "development",
            "asean_pillar": "economic", "dimensions": "place", "asean_effect": "70", "national_effect": "60"}  # fmt: skip
    for row in rows:
        values = {**base, **row}
        writer.writerow([values.get(c, "") for c in STRATEGY_COLUMNS])
    return ImportFile("strategies.csv", ("\ufeff" + out.getvalue()).encode("utf-8"))


def test_it_tells_each_owning_unit_once_of_an_import_with_counts(make_strategy, cast):
    existing = make_strategy("TH-50", cast["planner"])
    existing.external_ref = "CM-01"
    existing.save()
    strategies_import(
        strategies=_csv(
            [
                {"ref": "CM-01", "owner": "TH-50", "title_th": "ชื่อใหม่"},
                {"ref": "CM-02", "owner": "TH-50"},
                {"ref": "CM-03", "owner": "TH-50"},
                {"ref": "LP-01", "owner": "TH-52"},
                {"ref": "UP-01", "owner": "N-UP1"},
            ]
        ),
        by=cast["admin"],
    )
    cm, lp = Province.objects.get(code="TH-50"), Province.objects.get(code="TH-52")
    nup1 = Cluster.objects.get(code="N-UP1")
    assert told() == {"planner_cm": [cm], "planner_lp": [lp], "sec_nup1": [nup1]}
    params = {n.recipient.username: n.params for n in Notification.objects.all()}
    assert params == {
        "planner_cm": {"created": 2, "changed": 1},
        "planner_lp": {"created": 1, "changed": 0},
        "sec_nup1": {"created": 1, "changed": 0},
    }
    Notification.objects.all().delete()
    # The same file again changes nothing, and tells nobody.
    strategies_import(strategies=_csv([{"ref": "CM-02", "owner": "TH-50"}]), by=cast["admin"])
    assert told() == {}


def test_it_does_not_tell_the_importer_of_their_own_import(cast):
    _make_user("planner_cm2", "planner", province="TH-50")
    strategies_import(strategies=_csv([{"ref": "CM-02", "owner": "TH-50"}]), by=cast["planner"])
    assert Strategy.objects.filter(external_ref="CM-02").exists()
    assert told() == {"planner_cm2": [Province.objects.get(code="TH-50")]}


# --- failures -------------------------------------------------------------------------------------


def test_it_keeps_the_users_action_and_logs_when_notifying_fails(submitted_cm, cast, monkeypatch, caplog):
    from notifications import receivers

    def broken(**kwargs):
        # A failed statement: on PostgreSQL it aborts the transaction unless the receiver has a savepoint.
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table_mail_server_on_fire")

    monkeypatch.setattr(receivers, "notify", broken)
    with caplog.at_level(logging.ERROR, logger="notifications.receivers"):
        readiness_services.assessment_return(assessment=submitted_cm, by=cast["advisor"], comment="แก้ไข")
    submitted_cm.refresh_from_db()
    assert submitted_cm.status == AssessmentStatus.RETURNED
    assert any(
        "no_such_table_mail_server_on_fire" in str(r.exc_info[1]) for r in caplog.records if r.exc_info
    )
    assert Notification.objects.count() == 0
