"""Every allowed and forbidden transition per role; snapshots; stale saves; bulk approval."""

import pytest

from readiness import selectors, services
from readiness.choices import AssessmentStatus, ReviewAction
from readiness.models import Assessment, ReviewEvent
from readiness.services import StaleAnswer, WorkflowError

pytestmark = pytest.mark.django_db


def answer(assessment, position, level, by, justification=""):
    a = assessment.answers.select_related("indicator").order_by("indicator__position")[position]
    return services.answer_save(
        answer=a, level=level, justification=justification, expected_version=a.version, by=by
    )


def test_it_creates_one_blank_answer_per_indicator_when_started(cm_assessment):
    assert cm_assessment.answers.count() == 30
    assert not cm_assessment.answers.filter(level__isnull=False).exists()
    assert cm_assessment.events.get().action == ReviewAction.CREATED


@pytest.mark.parametrize("who", ["planner_lampang", "secretariat", "advisor"])
def test_it_lets_only_the_provinces_planner_start_and_edit(cast, round_2570, cm_assessment, who):
    user = cast[who]
    with pytest.raises(WorkflowError):
        services.assessment_start(
            province=cast["planner_lampang"].scope.province, round=round_2570, by=cast["advisor"]
        )
    with pytest.raises(WorkflowError):
        answer(cm_assessment, 0, 4, user)
    assert not cm_assessment.answers.filter(level__isnull=False).exists()


def test_it_walks_draft_submitted_returned_resubmitted_approved(cm_assessment, planner, advisor):
    answer(cm_assessment, 0, 4, planner)
    services.assessment_submit(assessment=cm_assessment, by=planner)
    first = cm_assessment.answers.order_by("indicator__position").first()
    services.assessment_return(
        assessment=cm_assessment, by=advisor, comment="", indicator_comments={first.indicator_id: "แนบสถิติด้วย"}
    )
    cm_assessment.refresh_from_db()
    assert cm_assessment.status == AssessmentStatus.RETURNED
    answer(cm_assessment, 0, 3, planner, "แก้ไขตามความเห็น")
    services.assessment_submit(assessment=cm_assessment, by=planner)
    services.assessment_approve(assessment=cm_assessment, by=advisor)
    cm_assessment.refresh_from_db()
    assert cm_assessment.status == AssessmentStatus.APPROVED
    actions = list(cm_assessment.events.order_by("at", "pk").values_list("action", flat=True))
    assert actions == ["created", "submitted", "returned", "submitted", "approved"]
    assert ReviewEvent.objects.get(action="returned").comments.get().text == "แนบสถิติด้วย"


@pytest.mark.parametrize("who", ["planner", "planner_lampang", "secretariat", "secretariat_other"])
def test_it_lets_only_advisors_return_or_approve(cast, cm_assessment, planner, who):
    answer(cm_assessment, 0, 4, planner)
    services.assessment_submit(assessment=cm_assessment, by=planner)
    with pytest.raises(WorkflowError):
        services.assessment_approve(assessment=cm_assessment, by=cast[who])
    with pytest.raises(WorkflowError):
        services.assessment_return(assessment=cm_assessment, by=cast[who], comment="no")
    assert Assessment.objects.get(pk=cm_assessment.pk).status == AssessmentStatus.SUBMITTED


def test_it_requires_a_comment_to_return(cm_assessment, planner, advisor):
    answer(cm_assessment, 0, 4, planner)
    services.assessment_submit(assessment=cm_assessment, by=planner)
    with pytest.raises(WorkflowError, match="ความเห็น|comment"):
        services.assessment_return(
            assessment=cm_assessment, by=advisor, comment="   ", indicator_comments={1: " "}
        )
    assert Assessment.objects.get(pk=cm_assessment.pk).status == AssessmentStatus.SUBMITTED


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "approve"),
        ("draft", "return"),
        ("approved", "submit"),
        ("approved", "approve"),
        ("returned", "approve"),
        ("submitted", "submit"),
        ("submitted", "edit"),
    ],
)
def test_it_refuses_transitions_not_allowed_from_the_current_state(
    filler, round_2570, planner, advisor, status, action
):
    assessment = filler("TH-50", round_2570, status=status, by=advisor)
    before = (assessment.status, assessment.version, ReviewEvent.objects.count())
    with pytest.raises(WorkflowError):
        if action == "approve":
            services.assessment_approve(assessment=assessment, by=advisor)
        elif action == "return":
            services.assessment_return(assessment=assessment, by=advisor, comment="x")
        elif action == "submit":
            services.assessment_submit(assessment=assessment, by=planner)
        else:
            answer(assessment, 0, 1, planner)
    assessment.refresh_from_db()
    assert (assessment.status, assessment.version, ReviewEvent.objects.count()) == before


def test_it_refuses_an_empty_submission(cm_assessment, planner):
    with pytest.raises(WorkflowError):
        services.assessment_submit(assessment=cm_assessment, by=planner)


def test_it_refuses_edits_in_a_closed_round(filler, round_2569, planner):
    assessment = filler("TH-50", round_2569)
    with pytest.raises(WorkflowError, match="ไม่ได้เปิด|not open"):
        answer(assessment, 0, 5, planner)


def test_it_refuses_a_level_outside_1_to_5(cm_assessment, planner):
    for bad in (0, 6):
        with pytest.raises(WorkflowError):
            answer(cm_assessment, 0, bad, planner)
    assert cm_assessment.answers.filter(level__isnull=False).count() == 0


def test_it_snapshots_approval_and_counts_changes_since(filler, round_2570, planner, advisor):
    assessment = filler("TH-50", round_2570, level_for=lambda i, ind: 4, status="approved", by=advisor)
    snapshot = assessment.approved_snapshot
    assert snapshot.place == 75 and snapshot.overall == 75
    answer(assessment, 0, 1, planner)
    answer(assessment, 1, 4, planner, "เพิ่มคำอธิบาย")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT  # the edit reopened it
    assert assessment.events.filter(action=ReviewAction.REOPENED).count() == 1
    entry = selectors.assessment_entry(assessment=assessment)
    assert entry["changed_since_approval"] == 2
    diffs = [i.changed_since_approval for g in entry["groups"] for i in g.items if i.changed_since_approval]
    assert {"level": (4, 1)} in diffs
    # The official figures still come from the approved snapshot.
    rollup = selectors.cluster_rollup(cluster=assessment.province.cluster, round=round_2570)
    row = next(r for r in rollup.rows if r.province.code == "TH-50")
    assert row.values["place"] == 75 and row.official


def test_it_refuses_a_stale_save_and_shows_the_other_value(cm_assessment, planner, admin_user):
    first = cm_assessment.answers.order_by("indicator__position").first()
    loaded_version = first.version
    services.answer_save(
        answer=first, level=5, justification="ของแอดมิน", expected_version=loaded_version, by=admin_user
    )
    with pytest.raises(StaleAnswer) as raised:
        services.answer_save(
            answer=first, level=2, justification="ของฉัน", expected_version=loaded_version, by=planner
        )
    assert raised.value.current.level == 5
    assert raised.value.current.justification == "ของแอดมิน"
    first.refresh_from_db()
    assert (first.level, first.justification) == (5, "ของแอดมิน")
    # Choosing to overwrite: save again against their version.
    services.answer_save(
        answer=first, level=2, justification="ของฉัน", expected_version=first.version, by=planner
    )
    first.refresh_from_db()
    assert first.level == 2


def test_it_bulk_approves_only_the_clusters_submitted_assessments(filler, round_2570, advisor):
    mine = [filler(code, round_2570, status="submitted") for code in ("TH-50", "TH-51")]
    draft = filler("TH-52", round_2570)
    elsewhere = filler("TH-41", round_2570, status="submitted")
    cluster = mine[0].province.cluster
    count = services.assessments_bulk_approve(
        cluster=cluster,
        round=round_2570,
        assessment_ids=[a.pk for a in (*mine, draft, elsewhere)],
        by=advisor,
    )
    assert count == 2
    statuses = dict(Assessment.objects.values_list("province__code", "status"))
    assert statuses == {"TH-50": "approved", "TH-51": "approved", "TH-52": "draft", "TH-41": "submitted"}


def test_it_refuses_bulk_approval_by_a_non_advisor(filler, round_2570, secretariat):
    a = filler("TH-50", round_2570, status="submitted")
    with pytest.raises(WorkflowError):
        services.assessments_bulk_approve(
            cluster=a.province.cluster, round=round_2570, assessment_ids=[a.pk], by=secretariat
        )
    assert Assessment.objects.get(pk=a.pk).status == "submitted"


def test_it_copies_last_rounds_answers_and_links_forward_marked_as_copied(
    filler, round_2569, round_2570, planner
):
    from readiness.models import Evidence

    old = filler("TH-50", round_2569, level_for=lambda i, ind: 2 if i < 5 else None, status="approved")
    first_old = old.answers.order_by("indicator__position").first()
    Evidence.objects.create(answer=first_old, kind="link", url="https://example.go.th/report", title="รายงาน")
    new = services.assessment_start(province=old.province, round=round_2570, by=planner)
    assert services.assessment_copy_forward(assessment=new, by=planner) == 5
    copied = new.answers.filter(copied_forward=True)
    assert copied.count() == 5 and set(copied.values_list("level", flat=True)) == {2}
    assert (
        Evidence.objects.filter(answer__assessment=new, copied_forward=True).get().url
        == "https://example.go.th/report"
    )
    # Touching an answer clears the mark; copying twice is refused.
    answer(new, 0, 3, planner)
    assert new.answers.filter(copied_forward=True).count() == 4
    with pytest.raises(WorkflowError):
        services.assessment_copy_forward(assessment=new, by=planner)


def test_it_records_who_changed_an_answer_in_the_history(cm_assessment, planner):
    saved = answer(cm_assessment, 0, 4, planner, "มีด่านถาวร 2 แห่ง")
    record = saved.history.order_by("-history_date").first()
    assert record.history_user == planner and record.level == 4


# --- copy-forward while nothing is the assessment's own; the framework changed in an open round ------------


def test_it_copies_again_over_unreviewed_copies_without_duplicating_links(
    filler, round_2569, round_2570, planner
):
    from readiness.models import Evidence

    old = filler("TH-50", round_2569, level_for=lambda i, ind: 2 if i < 5 else None, status="approved")
    Evidence.objects.create(
        answer=old.answers.order_by("indicator__position").first(), kind="link", url="https://example.go.th/r"
    )
    new = services.assessment_start(province=old.province, round=round_2570, by=planner)
    services.assessment_copy_forward(assessment=new, by=planner)
    # Only copies, nothing written in this round: copying again is allowed and adds no second link.
    assert services.assessment_copy_forward(assessment=new, by=planner) == 5
    assert Evidence.objects.filter(answer__assessment=new).count() == 1
    assert new.answers.filter(copied_forward=True).count() == 5


def test_it_refuses_to_copy_over_a_justification_written_in_this_round(
    filler, round_2569, round_2570, planner
):
    filler("TH-50", round_2569, status="approved")
    new = services.assessment_start(province=planner.scope.province, round=round_2570, by=planner)
    answer(new, 0, None, planner, "ยังไม่ได้ประเมินระดับ แต่มีข้อมูลแล้ว")
    with pytest.raises(WorkflowError):
        services.assessment_copy_forward(assessment=new, by=planner)
    assert new.answers.get(justification__startswith="ยังไม่ได้").level is None


def test_it_records_a_weight_or_rubric_change_in_an_open_round_only(round_2569, round_2570, admin_user):
    from decimal import Decimal

    from readiness.models import SCORING_FIELDS, FrameworkChange

    for round in (round_2569, round_2570):
        indicator = round.indicators.order_by("position").first()
        before = {name: getattr(indicator, name) for name in SCORING_FIELDS}
        indicator.weight, indicator.rubric_3_th = Decimal("7.5"), "ระดับ 3 แบบใหม่"
        indicator.save()
        services.framework_change_record(indicator=indicator, before=before, by=admin_user)
    change = FrameworkChange.objects.get()  # FY 2569 is closed: nothing recorded there
    assert change.round == round_2570 and change.changed_by == admin_user
    assert change.weight_change == [str(before["weight"]), "7.5"] and change.rubric_changed
    assert set(change.changes) == {"weight", "rubric_3_th"}


def test_it_lists_each_changed_indicator_once_in_recent_changes(cm_assessment, planner):
    for level in (2, 3, 4):
        answer(cm_assessment, 0, level, planner)
    answer(cm_assessment, 1, 5, planner)
    changes = selectors.recent_changes(province=planner.scope.province)
    assert [(h.indicator.position, h.level) for h in changes] == [(2, 5), (1, 4)]
