"""The briefing book: the executive summary (numbers from the sections' selectors, as the viewer), the choice
of sections (PDF and Word), the stale marker with its re-render, the meeting on the cover, the logo."""

import datetime as dt
import io
import re
import shutil
import subprocess
import unicodedata
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from briefings.admin import BriefingLogoForm
from briefings.document import document
from briefings.logos import LogoRefused, check_logo
from briefings.models import Briefing, BriefingLogo
from briefings.rendering import LOGO_URL, briefing_docx, briefing_pdf, document_html
from briefings.spec import SECTION_KEYS, BriefingSpec, Meeting, section_choices
from provinces.models import Cluster, Province
from provinces.thai import format_baht
from readiness.models import Assessment
from strategies.models import Project, Strategy
from strategies.selectors import briefing_strategies

from .conftest import N_UP1, docx_text, level, squash

pytestmark = pytest.mark.django_db

SUMMARY_TH = "พัฒนาด่านชายแดนและการค้าชายแดน เชื่อมโยงโลจิสติกส์ การค้าข้ามแดน และการท่องเที่ยวของกลุ่มจังหวัด"
BUDGETS = {"Osprey": 900_000_000, "Heron": 12_000_000, "Falcon": 30_000_000}


@pytest.fixture
def book(filler, round_2570, advisor):
    """Weak approved readiness in N-UP1 (every dimension below the threshold), one endorsed ก strategy of
    Chiang Mai (Osprey, the largest budget), Lampang (Heron) and the cluster (Falcon) — an overlap group —
    each with one project, and one proposed strategy of Lampang awaiting endorsement."""
    for code in N_UP1:
        filler(code, round_2570, level_for=level(1), status="approved", by=advisor)
    owners = {
        "Osprey": {"province": Province.objects.get(code="TH-50")},
        "Heron": {"province": Province.objects.get(code="TH-52")},
        "Falcon": {"cluster": Cluster.objects.get(code="N-UP1")},
    }
    made = {}
    for word, owner in owners.items():
        s = Strategy.objects.create(
            **owner, fiscal_year=2570, status="endorsed", work_area="development", pillar="economic",
            title_th=f"ยกระดับด่านชายแดนการค้า {word}", summary_th=SUMMARY_TH, builds_place=True,
            asean_effect=70, national_effect=65,
        )  # fmt: skip
        p = Project.objects.create(
            strategy=s, title_th=f"โครงการ {word}", lead_agency="สำนักงานจังหวัด",
            budget=Decimal(BUDGETS[word]), funding_source="provincial", start_fy=2570, end_fy=2570,
        )  # fmt: skip
        p.provinces.set([Province.objects.get(code="TH-50")])
        made[word] = s
    Strategy.objects.create(
        province=Province.objects.get(code="TH-52"), fiscal_year=2570, status="proposed",
        work_area="development", pillar="economic", title_th="ข้อเสนอ Plover",
        summary_th="ส่งเสริมหัตถกรรมพื้นบ้านและตลาดชุมชน", builds_people=True, asean_effect=30, national_effect=30,
    )  # fmt: skip
    return made


def _summary(doc):
    return next(s for s in doc.sections if s.key == "summary")


def _figures(section) -> dict:
    out: dict = {}
    for m in section.context["messages"] + section.context["decisions"]:
        out |= m.figures
    return out


def pdftotext(pdf: bytes) -> str:
    """The text layer as pdftotext reads it (what a viewer's search and copy get), NFKC, no whitespace."""
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed"
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return squash(unicodedata.normalize("NFKC", out.stdout.decode()))


def test_it_opens_the_pdf_with_an_executive_summary_whose_numbers_are_the_selectors(book, secretariat):
    spec = BriefingSpec("cluster", "N-UP1", 2570, "th")
    doc = document(spec, viewer=secretariat)
    assert [s.key for s in doc.sections][:2] == ["summary", "readiness"]
    figures = _figures(_summary(doc))
    # The numbers, asked of the selectors the sections use, independently of the summary.
    found = briefing_strategies(user=secretariat, fiscal_year=2570, cluster=Cluster.objects.get(code="N-UP1"))
    top = [s for s in found.strategies if s.quadrant == "ก"]
    assert figures["top"] == len(top) == 3
    assert figures["budget"] == sum(s.total_budget for s in top) == sum(BUDGETS.values())
    assert figures["overlaps"] == 1 and figures["awaiting"] == 1
    assert set(figures["below"]) == {"place", "product", "people"}
    assert {code for code, _score in figures["lowest"].values()} <= set(N_UP1)

    text = pdftotext(briefing_pdf(spec, viewer=secretariat).pdf)
    assert squash("สรุปสำหรับผู้บริหาร") in text
    assert squash("เรื่องที่เสนอให้ที่ประชุมพิจารณา") in text
    assert squash(format_baht(sum(BUDGETS.values()))) in text
    assert squash("จังหวัดที่มีคะแนนต่ำสุด") in text and "ล้าหลัง" not in text
    # Before the readiness section, i.e. on the pages right after the contents.
    assert text.index(squash("สรุปสำหรับผู้บริหาร")) < text.rindex(squash("ความพร้อมสู่ประชาคมอาเซียน"))


def test_it_links_every_message_to_a_section_of_the_document(book, secretariat):
    doc = document(BriefingSpec("cluster", "N-UP1", 2570, "en"), viewer=secretariat)
    html = document_html(doc)
    summary = _summary(doc)
    messages = summary.context["messages"] + summary.context["decisions"]
    assert 5 <= len(summary.context["messages"]) <= 8
    for m in messages:
        assert f'href="#{m.anchor}"' in html and f'id="{m.anchor}"' in html
    assert "Executive summary" in html and "Decisions requested of this meeting" in html


def test_a_lampang_planners_summary_never_counts_chiang_mais_hidden_strategies(
    book, planner_lampang, secretariat
):
    spec = BriefingSpec("cluster", "N-UP1", 2570, "th")
    mine = document(spec, viewer=planner_lampang)
    figures = _figures(_summary(mine))
    assert figures["top"] == 2  # Heron and Falcon; Osprey is Chiang Mai's
    assert figures["budget"] == BUDGETS["Heron"] + BUDGETS["Falcon"]
    summary_html = document_html(mine).split('id="sec-readiness"')[0]
    assert "Osprey" not in summary_html and format_baht(sum(BUDGETS.values())) not in summary_html
    everything = _figures(_summary(document(spec, viewer=secretariat)))
    assert everything["top"] == 3  # the control: the secretariat sees all three


def test_it_says_what_changed_since_the_last_briefing_of_the_subject(book, secretariat, make_briefing):
    spec = BriefingSpec("cluster", "N-UP1", 2570, "en")
    assert "assessments" not in _figures(_summary(document(spec, viewer=secretariat)))  # no earlier one
    make_briefing(requested_by=secretariat, finished_at=timezone.now())
    book["Heron"].save()  # changed after that briefing
    figures = _figures(_summary(document(spec, viewer=secretariat)))
    assert figures["strategies"] == 1 and figures["assessments"] == 0


def test_it_prints_only_the_chosen_sections_in_pdf_and_word_alike(book, secretariat):
    spec = BriefingSpec("cluster", "N-UP1", 2570, "en", sections=("summary", "strategies"))
    assert [s.key for s in document(spec, viewer=secretariat).sections] == ["summary", "strategies"]
    pdf = pdftotext(briefing_pdf(spec, viewer=secretariat).pdf)
    word = squash(docx_text(briefing_docx(spec, viewer=secretariat).docx))
    for text in (pdf, word):
        assert squash("Executive summary") in text and "Heron" in text
        assert squash("Decision support") not in text and squash("Budget by funding source") not in text
    # The summary speaks only of what is in the document: no readiness message without its section.
    assert "below" not in _figures(_summary(document(spec, viewer=secretariat)))


def test_the_command_refuses_an_unknown_section_and_lists_the_valid_ones(book, admin_user, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command(
            "render_briefing", "--as", admin_user.username, "--kind", "cluster", "--subject", "N-UP1",
            "--fiscal-year", "2570", "--sections", "summary,gossip", "--out", str(tmp_path / "x.pdf"),
        )  # fmt: skip
    assert "gossip" in str(refused.value) and all(k in str(refused.value) for k in SECTION_KEYS)
    assert [key for key, _label in section_choices()] == list(SECTION_KEYS)  # the form offers the same
    assert not (tmp_path / "x.pdf").exists()


def test_the_sections_are_part_of_the_identical_request(book, secretariat, client_for, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # leave the jobs queued: only their identity matters here
    client = client_for(secretariat)
    form = {"subject": "cluster:N-UP1", "fiscal_year": 2570, "language": "en", "file_format": "pdf"}
    from unittest import mock

    with mock.patch("briefings.services._enqueue"):
        client.post(reverse("briefing_list"), {**form, "sections": ["summary", "strategies"]})
        client.post(reverse("briefing_list"), {**form, "sections": ["summary", "strategies"]})
        client.post(reverse("briefing_list"), {**form, "sections": list(SECTION_KEYS)})
        response = client.post(reverse("briefing_list"), {**form, "sections": ["gossip"]})
    assert response.status_code == 400
    assert sorted(Briefing.objects.values_list("sections", flat=True)) == ["", "summary,strategies"]


def _list(client):
    return client.get(reverse("briefing_list")).content.decode()


STALE = "ข้อมูลมีการเปลี่ยนแปลงหลังจัดทำเอกสารนี้"


def test_the_list_marks_a_briefing_whose_data_changed_after_it_was_rendered(
    book, secretariat, client_for, make_briefing
):
    client = client_for(secretariat)
    job = make_briefing(
        requested_by=secretariat, finished_at=timezone.now() + dt.timedelta(seconds=1), sections="summary"
    )
    assert STALE not in _list(client)
    Assessment.objects.get(province__code="TH-51", round__fiscal_year=2570).save()  # after the briefing
    Briefing.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(seconds=1))
    page = _list(client)
    assert STALE in page and reverse("briefing_rerender", args=[job.pk]) in page
    from unittest import mock

    with mock.patch("briefings.services._enqueue"):
        response = client.post(reverse("briefing_rerender", args=[job.pk]))
    assert response.status_code == 302
    again = Briefing.objects.exclude(pk=job.pk).get()
    assert (again.kind, again.subject, again.sections, again.status) == (
        "cluster",
        "N-UP1",
        "summary",
        "queued",
    )


def test_the_stale_marker_costs_the_same_queries_for_one_or_many_briefings(
    book, secretariat, client_for, make_briefing
):
    client = client_for(secretariat)
    make_briefing(requested_by=secretariat, finished_at=timezone.now())
    make_briefing(kind="province", subject="TH-51", requested_by=secretariat, finished_at=timezone.now())
    _list(client)
    with CaptureQueriesContext(connection) as one:
        _list(client)
    for subject, kind in [("TH-50", "province"), ("TH-52", "province"), ("N-UP1", "cluster")] * 3:
        make_briefing(kind=kind, subject=subject, requested_by=secretariat, finished_at=timezone.now())
    with CaptureQueriesContext(connection) as many:
        _list(client)
    assert len(many) == len(one)


HOSTILE = "<script>alert(1)</script> ประชุม\u202eคณะ\u0000กรรมการ\u200b\n<b>ภาค</b>"


def test_meeting_fields_print_as_text_on_the_cover_and_every_page(book, secretariat, client_for):
    from unittest import mock

    client = client_for(secretariat)
    form = {
        "subject": "cluster:N-UP1", "fiscal_year": 2570, "language": "th", "file_format": "pdf",
        "meeting_name": HOSTILE, "meeting_venue": "ห้องประชุม ๑ <img src=x onerror=alert(1)>",
        "meeting_date": "2026-12-15", "classification": "secret", "prepared_by": "=HYPERLINK(\"x\")",
    }  # fmt: skip
    with mock.patch("briefings.services._enqueue"):
        assert client.post(reverse("briefing_list"), form).status_code == 302
        too_long = client.post(reverse("briefing_list"), {**form, "meeting_name": "ก" * 301})
    assert too_long.status_code == 400 and Briefing.objects.count() == 1
    job = Briefing.objects.get()
    assert job.meeting_name == "<script>alert(1)</script> ประชุมคณะกรรมการ <b>ภาค</b>"  # controls gone
    spec = BriefingSpec.of(job)
    html = document_html(document(spec, viewer=secretariat))
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    result = briefing_pdf(spec, viewer=secretariat)
    text = pdftotext(result.pdf)
    assert squash("<script>alert(1)</script>") in text and squash("15ธันวาคม2569") in text
    pages = re.split(
        "\f", subprocess.run(["pdftotext", "-", "-"], input=result.pdf, capture_output=True).stdout.decode()
    )
    printed = [p for p in pages if p.strip()]
    assert len(printed) == result.pages and all("ลับ" in p for p in printed)  # every page, cover included


def _png(size=(40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (31, 56, 100)).save(out, "PNG")
    return out.getvalue()


def test_a_logo_that_is_not_a_small_image_is_refused():
    for bad in [b"<html><script>alert(1)</script></html>", b"GIF89a" + b"\0" * 40, _png()[:30]]:
        with pytest.raises(LogoRefused):
            check_logo(bad)
    with pytest.raises(LogoRefused, match="4000"):
        check_logo(_png((5000, 10)))
    assert check_logo(_png()) == "image/png"
    form = BriefingLogoForm(
        data={"name": "ตรา", "active": True},
        files={"image": SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", "image/png")},
    )
    assert not form.is_valid() and "image" in form.errors
    assert BriefingLogo.objects.count() == 0


def test_an_uploaded_logo_is_printed_on_the_cover(book, secretariat):
    form = BriefingLogoForm(
        data={"name": "ตรากระทรวง", "active": True},
        files={"image": SimpleUploadedFile("logo.png", _png(), "image/png")},
    )
    assert form.is_valid(), form.errors
    form.save()
    spec = BriefingSpec("cluster", "N-UP1", 2570, "th", sections=("summary",), meeting=Meeting(name="ประชุม"))
    from briefings import rendering

    served = []
    original = rendering.SafeURLFetcher.fetch

    def spy(self, url, headers=None):
        served.append(url)
        return original(self, url, headers)

    from unittest import mock

    with mock.patch.object(rendering.SafeURLFetcher, "fetch", spy):
        briefing_pdf(spec, viewer=secretariat)
    assert LOGO_URL in served
    word = briefing_docx(spec, viewer=secretariat).docx
    from docx import Document

    assert len(Document(io.BytesIO(word)).inline_shapes) >= 1
