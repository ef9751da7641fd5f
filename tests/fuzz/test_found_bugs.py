"""The bugs the fuzzing found, each pinned as a plain example (the generated tests find them again, but only
after a search; these fail at once and say what broke)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from readiness import workbook
from readiness.models import Answer
from strategies.models import StrategyReview

from .harness import THAI, fingerprint, judge, page_errors

pytestmark = pytest.mark.django_db


def test_an_empty_bulk_approval_says_to_choose_an_assessment(world):
    """An empty POST used to build an unbound form: a 400 page with no message at all."""
    response = world.client("advisor").post(reverse("cluster_review", args=["N-UP1"]) + "?fy=2570")
    assert response.status_code == 400
    assert [m for m in judge(response).messages if THAI.search(m[1])]


def test_an_empty_strategy_form_shows_its_errors(world):
    response = world.client("planner").post(reverse("strategy_create"))
    assert response.status_code == 400
    assert page_errors(response.content.decode())


def test_an_endorsement_note_with_a_nul_character_is_saved_without_it(world):
    """PostgreSQL refuses NUL in text: the endorsement used to fail with a server error."""
    response = world.client("advisor").post(
        reverse("strategy_endorse", args=[world.proposed.pk]), {"text": "เห็นชอบ\x00ครับ"}
    )
    assert response.status_code == 302
    assert StrategyReview.objects.filter(strategy=world.proposed, text="เห็นชอบครับ").exists()


def test_an_override_with_a_next_that_is_no_path_goes_back_to_the_strategy(world):
    """redirect() took "a b" for a view name: NoReverseMatch, a server error."""
    response = world.client("advisor").post(
        reverse("strategy_override", args=[world.proposed.pk]),
        {"quadrant": "ก", "reason": "ชายแดน", "next": "a b"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("strategy_detail", args=[world.proposed.pk])


@pytest.mark.parametrize(
    "url",
    [
        "/provinces/TH-50%00/",
        "/clusters/N-UP1%00/",
        "/strategies/matrix/clusters/%00/",
        "/strategies/?cluster=%00",
        "/api/provinces/%00/",
        "/api/clusters/N-UP1%00/",
        "/api/rollups/clusters/%00/",
    ],
)
def test_a_nul_character_in_a_code_is_a_404_not_a_server_error(world, url):
    response = world.client("advisor").get(url)
    assert response.status_code == 404
    judge(response)


def test_a_nul_character_in_a_search_is_ignored(world):
    response = world.client("advisor").get("/provinces/?q=%E0%B8%A5%E0%B8%B3%00&region=%00&cluster=%00")
    assert response.status_code == 200


def test_a_briefing_subject_with_a_nul_character_is_a_404(world):
    response = world.client("planner").post(
        reverse("briefing_list"), {"subject": "province:TH-50\x00", "fiscal_year": "2570", "language": "th"}
    )
    assert response.status_code == 404


def test_the_api_says_not_found_and_bad_flags_in_thai(world):
    client = world.client("advisor")
    for url in [
        "/api/provinces/TH-99/",
        "/api/strategies/999999/",
        "/api/rollups/national/?include_unapproved=maybe",
    ]:
        response = client.get(url)
        assert response.status_code in (400, 404)
        judge(response)  # asserts a Thai message


def test_a_very_long_user_name_is_a_form_error_not_a_server_error(world):
    """The login form never checked the length: django-axes failed to log a 256+ character name."""
    response = Client().post(reverse("login"), {"username": "ก" * 300, "password": "x"})
    assert response.status_code == 200
    errors = page_errors(response.content.decode())
    assert errors and all(THAI.search(e) for e in errors)


def test_a_form_over_djangos_size_limit_gets_the_thai_400_page(world):
    response = world.client("planner").post(reverse("strategy_create"), {"title_th": "ก" * 1_000_000})
    assert response.status_code == 400
    assert "คำขอไม่ถูกต้อง" in response.content.decode()


def test_a_nul_character_in_a_form_is_refused_in_thai(world):
    response = world.client("planner").post(
        reverse("answer_save", args=[world.cm.pk, world.answer.pk]),
        {"level": "3", "justification": "มี\x00แผน", "version": str(world.answer.version)},
    )
    assert response.status_code == 400
    judge(response)


def test_a_workbook_left_as_downloaded_changes_nothing_even_with_control_characters(world):
    """XLSX cannot hold most control characters: the export drops them, and the untouched row read back used to
    count as an edit, overwriting the stored text."""
    Answer.objects.filter(pk=world.answer.pk).update(justification="แผน\x08งาน", level=2)
    before = fingerprint()
    content = world.client("planner").get(reverse("assessment_xlsx", args=[world.cm.pk])).content
    assert load_workbook(io.BytesIO(content))[workbook.SHEET_FORM]
    response = world.client("planner").post(
        reverse("assessment_xlsx_upload", args=[world.cm.pk]),
        {"file": SimpleUploadedFile("readiness-TH-50-2570.xlsx", content)},
    )
    assert response.status_code == 302
    assert fingerprint() == before
