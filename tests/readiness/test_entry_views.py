"""The assessment page through HTTP: autosave (htmx), the no-JavaScript path, bad input, evidence files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from readiness import services
from readiness.models import Assessment, Evidence
from tests.files import pdf

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def first_answer(assessment):
    return assessment.answers.select_related("indicator").order_by("indicator__position").first()


def save_url(answer):
    return reverse("answer_save", args=[answer.assessment_id, answer.pk])


def test_it_autosaves_one_indicator_and_answers_with_the_saved_state(client_for, planner, cm_assessment):
    answer = first_answer(cm_assessment)
    response = client_for(planner).post(
        save_url(answer), {"level": "4", "justification": "มีด่านถาวร 2 แห่ง", "version": "0"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "บันทึกแล้ว" in html
    assert f'id="version-{answer.pk}"' in html and 'value="1"' in html  # the next expected version
    assert 'id="completeness" hx-swap-oob="true"' in html
    answer.refresh_from_db()
    assert (answer.level, answer.justification, answer.updated_by) == (4, "มีด่านถาวร 2 แห่ง", planner)


def test_it_saves_without_javascript_and_returns_to_the_indicator(client_for, planner, cm_assessment):
    answer = first_answer(cm_assessment)
    response = client_for(planner).post(save_url(answer), {"level": "2", "justification": "", "version": "0"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/readiness/provinces/TH-50/2570/#ind-{answer.indicator.code}")
    answer.refresh_from_db()
    assert answer.level == 2


@pytest.mark.parametrize("raw", ["5 ", "๕", " ๕ "])
def test_it_reads_thai_digits_and_stray_spaces_as_the_level(client_for, planner, cm_assessment, raw):
    answer = first_answer(cm_assessment)
    client_for(planner).post(save_url(answer), {"level": raw, "justification": "", "version": "0"}, **HTMX)
    answer.refresh_from_db()
    assert answer.level == 5


@pytest.mark.parametrize("raw", ["6", "0", "-1", "สาม", "3.5"])
def test_it_refuses_a_level_outside_1_to_5_with_a_thai_message(client_for, planner, cm_assessment, raw):
    answer = first_answer(cm_assessment)
    response = client_for(planner).post(
        save_url(answer), {"level": raw, "justification": "x", "version": "0"}
    )
    assert response.status_code == 400
    assert "ระดับต้องอยู่ระหว่าง 1 ถึง 5" in response.content.decode()
    answer.refresh_from_db()
    assert (answer.level, answer.justification, answer.version) == (None, "", 0)


def test_it_shows_the_other_persons_value_on_a_stale_save(client_for, planner, admin_user, cm_assessment):
    answer = first_answer(cm_assessment)
    client_for(admin_user).post(
        save_url(answer), {"level": "5", "justification": "ค่าของผู้ดูแล", "version": "0"}
    )
    response = client_for(planner).post(
        save_url(answer), {"level": "1", "justification": "ค่าของฉัน", "version": "0"}, **HTMX
    )
    html = response.content.decode()
    assert "ค่าของผู้ดูแล" in html
    assert "บันทึกทับด้วยคำตอบของฉัน" in html
    answer.refresh_from_db()
    assert (answer.level, answer.justification) == (5, "ค่าของผู้ดูแล")
    # Without JavaScript the page is redrawn with the conflict (409) and the planner's text kept.
    response = client_for(planner).post(
        save_url(answer), {"level": "1", "justification": "ค่าของฉัน", "version": "0"}
    )
    assert response.status_code == 409
    assert "ค่าของฉัน" in response.content.decode() and "ค่าของผู้ดูแล" in response.content.decode()


@pytest.mark.parametrize("who", ["planner_lampang", "secretariat_other"])
def test_it_hides_the_assessment_from_outsiders_on_post(cast, client_for, cm_assessment, who):
    answer = first_answer(cm_assessment)
    response = client_for(cast[who]).post(
        save_url(answer), {"level": "3", "justification": "", "version": "0"}
    )
    assert response.status_code == 404
    answer.refresh_from_db()
    assert answer.level is None


@pytest.mark.parametrize("who", ["secretariat", "advisor"])
def test_it_refuses_edits_by_those_who_may_only_read(cast, client_for, cm_assessment, who):
    answer = first_answer(cm_assessment)
    response = client_for(cast[who]).post(
        save_url(answer), {"level": "3", "justification": "", "version": "0"}
    )
    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.level is None


def test_it_escapes_html_in_justifications(client_for, planner, cm_assessment):
    answer = first_answer(cm_assessment)
    client_for(planner).post(
        save_url(answer), {"level": "3", "justification": "<script>alert(1)</script>", "version": "0"}
    )
    html = client_for(planner).get(reverse("assessment_detail", args=["TH-50", 2570])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- evidence --------------------------------------------------------------------------------------


def evidence_url(answer):
    return reverse("evidence_add", args=[answer.assessment_id, answer.pk])


def test_it_attaches_a_pdf_and_serves_it_only_through_the_access_checked_view(
    client_for, planner, planner_lampang, advisor, cm_assessment
):
    answer = first_answer(cm_assessment)
    content = pdf(note=b"data")
    upload = SimpleUploadedFile("../../รายงาน ด่าน<2569>.pdf", content, content_type="application/pdf")
    response = client_for(planner).post(evidence_url(answer), {"file": upload, "title": "สถิติด่าน"})
    assert response.status_code == 302
    evidence = Evidence.objects.get(answer=answer)
    assert evidence.filename == "รายงาน ด่าน_2569_.pdf"  # no path, no markup characters
    assert "/" not in evidence.filename and ".." not in evidence.file.name
    assert not evidence.file.name.endswith(".pdf")  # stored under a random name
    url = reverse("evidence_download", args=[evidence.pk])
    download = client_for(advisor).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Disposition"].startswith("attachment")
    assert client_for(planner_lampang).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "ไม่รับไฟล์ประเภทนี้"),
        ("page.html", b"<html>", "ไม่รับไฟล์ประเภทนี้"),
        ("fake.pdf", b"<html><script>", "เนื้อหาของไฟล์ไม่ตรงกับประเภท"),
    ],
)
def test_it_refuses_evidence_of_the_wrong_type(client_for, planner, cm_assessment, name, content, message):
    answer = first_answer(cm_assessment)
    response = client_for(planner).post(
        evidence_url(answer), {"file": SimpleUploadedFile(name, content)}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(reverse("assessment_detail", args=["TH-50", 2570]))
    assert message in response.content.decode()
    assert not Evidence.objects.exists()


def test_it_refuses_evidence_over_the_size_limit(client_for, planner, cm_assessment, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    answer = first_answer(cm_assessment)
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 2000)
    response = client_for(planner).post(evidence_url(answer), {"file": big}, follow=True)
    assert response.redirect_chain and "ใหญ่เกิน" in response.content.decode()
    assert not Evidence.objects.exists()


def test_it_takes_links_and_refuses_other_schemes(client_for, planner, cm_assessment):
    answer = first_answer(cm_assessment)
    client = client_for(planner)
    assert (
        client.post(
            evidence_url(answer), {"url": "https://www.customs.go.th/stat", "title": "สถิติ"}
        ).status_code
        == 302
    )
    response = client.post(evidence_url(answer), {"url": "javascript:alert(1)"}, follow=True)
    assert response.redirect_chain and "http://" in response.content.decode()  # the reason, on the page
    assert list(Evidence.objects.values_list("url", flat=True)) == ["https://www.customs.go.th/stat"]


def test_it_lets_the_planner_remove_evidence_but_not_an_outsider(
    client_for, planner, planner_lampang, cm_assessment
):
    answer = first_answer(cm_assessment)
    client_for(planner).post(evidence_url(answer), {"url": "https://example.go.th/a"})
    evidence = Evidence.objects.get()
    url = reverse("evidence_delete", args=[evidence.pk])
    assert client_for(planner_lampang).post(url).status_code == 404
    assert Evidence.objects.exists()
    assert client_for(planner).post(url).status_code == 302
    assert not Evidence.objects.exists()


# --- workflow through the pages ----------------------------------------------------------------------


def test_it_submits_returns_with_comments_and_shows_them_to_the_planner(
    client_for, planner, advisor, cm_assessment
):
    answer = first_answer(cm_assessment)
    client_for(planner).post(save_url(answer), {"level": "4", "justification": "", "version": "0"})
    client_for(planner).post(reverse("assessment_submit", args=[cm_assessment.pk]), {"confirm": "1"})
    assert Assessment.objects.get(pk=cm_assessment.pk).status == "submitted"
    response = client_for(advisor).post(
        reverse("assessment_return", args=[cm_assessment.pk]),
        {"comment": "ขอหลักฐานเพิ่ม", f"indicator_{answer.indicator_id}": "แนบสถิติผู้ผ่านแดน"},
    )
    assert response.status_code == 302
    html = client_for(planner).get(reverse("assessment_detail", args=["TH-50", 2570])).content.decode()
    assert "ขอหลักฐานเพิ่ม" in html and "แนบสถิติผู้ผ่านแดน" in html


def test_it_refuses_a_return_without_any_comment(client_for, planner, advisor, cm_assessment):
    answer = first_answer(cm_assessment)
    client_for(planner).post(save_url(answer), {"level": "4", "justification": "", "version": "0"})
    client_for(planner).post(reverse("assessment_submit", args=[cm_assessment.pk]), {"confirm": "1"})
    response = client_for(advisor).post(
        reverse("assessment_return", args=[cm_assessment.pk]), {"comment": " "}
    )
    assert response.status_code == 400
    assert Assessment.objects.get(pk=cm_assessment.pk).status == "submitted"


def test_it_starts_an_assessment_only_for_the_provinces_planner(
    client_for, planner, planner_lampang, round_2570
):
    url = reverse("assessment_start", args=["TH-50", 2570])
    assert client_for(planner_lampang).post(url).status_code == 404
    assert not Assessment.objects.exists()
    assert client_for(planner).post(url).status_code == 302
    assert Assessment.objects.get().answers.count() == 30


def test_it_bulk_approves_from_the_cluster_review_page(client_for, advisor, filler, round_2570):
    a = filler("TH-50", round_2570, status="submitted")
    b = filler("TH-51", round_2570, status="submitted")
    other = filler("TH-41", round_2570, status="submitted")
    url = reverse("cluster_review", args=["N-UP1"]) + "?fy=2570"
    page = client_for(advisor).get(url).content.decode()
    assert f'value="{a.pk}"' in page and f'value="{other.pk}"' not in page
    response = client_for(advisor).post(url, {"assessments": [a.pk, other.pk]})
    assert response.status_code == 400  # the other cluster's assessment is not a valid choice here
    assert set(Assessment.objects.filter(status="approved").values_list("pk", flat=True)) == set()
    response = client_for(advisor).post(url, {"assessments": [a.pk]})
    assert response.status_code == 302
    assert set(Assessment.objects.filter(status="approved").values_list("pk", flat=True)) == {a.pk}
    assert Assessment.objects.get(pk=b.pk).status == "submitted"


# --- asked first: submitting, approving below 100 %, editing an approved assessment -----------------------


def test_it_asks_before_submitting_listing_unanswered_and_unreviewed_copies(
    client_for, planner, filler, round_2569, cm_assessment
):
    filler("TH-50", round_2569, level_for=lambda i, ind: 2 if i < 2 else None, status="approved")
    services.assessment_copy_forward(assessment=cm_assessment, by=planner)
    answer = cm_assessment.answers.select_related("indicator").order_by("indicator__position")[2]
    services.answer_save(answer=answer, level=4, justification="", expected_version=0, by=planner)
    url = reverse("assessment_submit", args=[cm_assessment.pk])
    response = client_for(planner).post(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert Assessment.objects.get(pk=cm_assessment.pk).status == "draft"  # nothing submitted yet
    assert "27 จาก 30 ตัวชี้วัดยังไม่ได้ตอบ" in html
    assert "2 คำตอบยังเป็นคำตอบที่คัดลอกจากรอบที่แล้ว ยังไม่ได้ทบทวน" in html
    assert "นับเป็นคำตอบแล้ว" in html  # the decision about copies is said on the page
    assert 'name="confirm" value="1"' in html
    assert client_for(planner).post(url, {"confirm": "1"}).status_code == 302
    assert Assessment.objects.get(pk=cm_assessment.pk).status == "submitted"


def test_it_asks_before_approving_an_incomplete_assessment(client_for, advisor, filler, round_2570):
    partial = filler("TH-50", round_2570, level_for=lambda i, ind: 3 if i < 15 else None, status="submitted")
    complete = filler("TH-52", round_2570, status="submitted")
    response = client_for(advisor).post(reverse("assessment_approve", args=[partial.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "ครบถ้วนเพียง 50%" in html
    assert Assessment.objects.get(pk=partial.pk).status == "submitted"
    client_for(advisor).post(reverse("assessment_approve", args=[partial.pk]), {"confirm": "1"})
    assert Assessment.objects.get(pk=partial.pk).status == "approved"
    # Complete: approved at once.
    assert client_for(advisor).post(reverse("assessment_approve", args=[complete.pk])).status_code == 302
    assert Assessment.objects.get(pk=complete.pk).status == "approved"


def test_it_shows_completeness_and_select_all_and_asks_before_bulk_approving_incomplete_ones(
    client_for, advisor, filler, round_2570
):
    partial = filler("TH-50", round_2570, level_for=lambda i, ind: 3 if i < 15 else None, status="submitted")
    complete = filler("TH-51", round_2570, status="submitted")
    url = reverse("cluster_review", args=["N-UP1"]) + "?fy=2570"
    page = client_for(advisor).get(url).content.decode()
    assert 'data-select-all="assessments"' in page and "js/select-all.js" in page
    assert page.count("ยังไม่ครบ") == 1  # the incomplete one is badged, with its 50 %
    assert "50%" in page and "100%" in page
    response = client_for(advisor).post(url, {"assessments": [partial.pk, complete.pk]})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="confirm-incomplete"' in html
    assert not Assessment.objects.filter(status="approved").exists()
    assert f'value="{partial.pk}" id="a-{partial.pk}" aria-label' in html and "checked" in html
    response = client_for(advisor).post(url, {"assessments": [partial.pk, complete.pk], "confirm": "1"})
    assert response.status_code == 302
    assert Assessment.objects.filter(status="approved").count() == 2


def test_it_shows_each_indicators_answer_beside_its_comment_box(client_for, advisor, planner, cm_assessment):
    answer = first_answer(cm_assessment)
    services.answer_save(
        answer=answer, level=4, justification="มีด่านถาวร 2 แห่ง", expected_version=0, by=planner
    )
    services.assessment_submit(assessment=cm_assessment, by=planner)
    html = client_for(advisor).get(reverse("assessment_return", args=[cm_assessment.pk])).content.decode()
    row = html[html.index(f'id="return-{answer.indicator.code}"') :]
    row = row[: row.index("</textarea>")]
    assert "<strong>4</strong>" in row and "มีด่านถาวร 2 แห่ง" in row
    assert f'name="indicator_{answer.indicator_id}"' in row


def test_it_warns_before_an_approved_assessment_is_edited(client_for, planner, advisor, filler, round_2570):
    approved = filler("TH-50", round_2570, status="approved", by=advisor)
    url = reverse("assessment_detail", args=["TH-50", 2570])
    html = client_for(planner).get(url).content.decode()
    assert 'id="reopen-warning"' in html and "ตัวเลขทางการยังคงเป็นฉบับที่อนุมัติ" in html
    assert 'class="answer-form"' not in html and "?edit=1" in html  # read-only until the planner chooses
    html = client_for(planner).get(url + "?edit=1").content.decode()
    assert 'id="reopen-warning"' in html and 'class="answer-form"' in html
    assert Assessment.objects.get(pk=approved.pk).status == "approved"


# --- copy-forward on the page ---------------------------------------------------------------------------


def test_it_offers_copy_forward_while_every_answer_is_an_unreviewed_copy(
    client_for, planner, filler, round_2569, cm_assessment
):
    filler("TH-50", round_2569, status="approved")
    services.assessment_copy_forward(assessment=cm_assessment, by=planner)
    url = reverse("assessment_detail", args=["TH-50", 2570])
    copy_url = reverse("assessment_copy_forward", args=[cm_assessment.pk])
    assert copy_url in client_for(planner).get(url).content.decode()
    answer = first_answer(cm_assessment)
    response = client_for(planner).post(
        save_url(answer), {"level": "3", "justification": "", "version": str(answer.version)}, **HTMX
    )
    # The saved answer is reviewed: the fragment empties its "copied" mark in place (no reload needed).
    assert f'<span id="copied-{answer.pk}" hx-swap-oob="true"></span>' in response.content.decode()
    assert copy_url not in client_for(planner).get(url).content.decode()


def test_it_offers_copy_forward_only_when_the_service_would_copy(
    client_for, planner, filler, round_2569, cm_assessment
):
    """A justification without a level is the planner's own: no button that would then be refused."""
    filler("TH-50", round_2569, status="approved")
    answer = first_answer(cm_assessment)
    services.answer_save(answer=answer, level=None, justification="ร่างไว้", expected_version=0, by=planner)
    html = client_for(planner).get(reverse("assessment_detail", args=["TH-50", 2570])).content.decode()
    assert reverse("assessment_copy_forward", args=[cm_assessment.pk]) not in html


# --- the framework changed while the round is open ---------------------------------------------------------


def test_it_records_and_warns_about_a_weight_change_in_an_open_round(
    client_for, admin_user, planner, cm_assessment, round_2570
):
    from readiness.models import FrameworkChange

    indicator = round_2570.indicators.order_by("position").first()
    admin = client_for(admin_user)
    change_url = reverse("admin:readiness_indicator_change", args=[indicator.pk])
    page = admin.get(change_url).content.decode()
    assert "รอบนี้เปิดอยู่" in page  # warned before changing anything
    form = {
        f.name: getattr(indicator, f.attname) for f in indicator._meta.concrete_fields if f.name not in {"id"}
    }
    form.update(round=round_2570.pk, weight="3")
    response = admin.post(change_url, {k: "" if v is None else v for k, v in form.items()}, follow=True)
    assert response.status_code == 200
    change = FrameworkChange.objects.get(indicator=indicator)
    assert change.changes["weight"][1] == "3" and change.changed_by == admin_user
    html = client_for(planner).get(reverse("assessment_detail", args=["TH-50", 2570])).content.decode()
    assert 'id="framework-changes"' in html and indicator.code in html
