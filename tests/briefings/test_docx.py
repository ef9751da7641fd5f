"""The briefing as a Word document: it opens, has the Thai official layout, real tables and the charts as
pictures, holds the same words as the PDF for the same viewer, and goes through the same job and download."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from PIL import Image

from briefings import services
from briefings.models import Briefing
from briefings.rendering import briefing_docx, briefing_pdf
from briefings.spec import BriefingSpec
from strategies.models import Strategy

from .conftest import N_UP1_TH, docx_text, pdf_text, squash

pytestmark = pytest.mark.django_db

SPEC = BriefingSpec(kind="cluster", subject="N-UP1", fiscal_year=2570, include_unapproved=True)


def _strategy(unit: dict, title: str, status: str) -> Strategy:
    return Strategy.objects.create(
        **unit, fiscal_year=2570, status=status, work_area="development", pillar="economic", title_th=title,
        summary_th="สรุป", builds_place=True, asean_effect=70, national_effect=65,
    )  # fmt: skip


@pytest.fixture
def with_strategies(cluster_filled):
    from provinces.models import Cluster, Province

    units = {
        "cm": {"province": Province.objects.get(code="TH-50")},
        "lp": {"province": Province.objects.get(code="TH-52")},
        "nu": {"cluster": Cluster.objects.get(code="N-UP1")},
    }
    titles = {
        "cm": "ยุทธศาสตร์พัฒนาการค้าชายแดนเชียงใหม่ Docxcm",
        "lp": "ยุทธศาสตร์ส่งเสริมเซรามิกลำปาง Docxlp",
        "nu": "ยุทธศาสตร์ท่องเที่ยวล้านนาของกลุ่มจังหวัด Docxnu",
    }
    for key, unit in units.items():
        _strategy(unit, titles[key], "endorsed")
    return titles


def _open(data: bytes):
    return Document(io.BytesIO(data))


def test_it_is_a_word_document_in_the_thai_official_layout(cluster_filled, advisor):
    doc = _open(briefing_docx(SPEC, viewer=advisor).docx)
    section = doc.sections[0]
    assert round(section.left_margin.cm, 1) == 3.0 and round(section.right_margin.cm, 1) == 2.0
    assert round(section.top_margin.cm, 1) == 2.5 and round(section.bottom_margin.cm, 1) == 2.0
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16 and normal.font.name == "Sarabun"
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) == "Sarabun"  # Word sets Thai in the complex-script font
    assert normal.element.rPr.find(qn("w:szCs")).get(qn("w:val")) == "32"  # 16 pt for Thai too
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings and headings[0].startswith("1.")
    assert len(doc.tables) >= 3  # real Word tables, not text
    table_text = " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    for name in N_UP1_TH:
        assert name in table_text
    assert "2570" in docx_text(briefing_docx(SPEC, viewer=advisor).docx)  # B.E. years


def test_it_draws_the_charts_as_pictures_of_the_same_svgs(cluster_filled, advisor):
    doc = _open(briefing_docx(SPEC, viewer=advisor).docx)
    pictures = [rel.target_part.blob for rel in doc.part.rels.values() if "image" in rel.reltype]
    assert len(pictures) >= 1 + 4  # the cluster spread and one chart per member province
    image = Image.open(io.BytesIO(pictures[0]))
    assert image.format == "PNG" and image.width > 600
    # Not blank: a chart has ink (dark pixels) beyond the white background.
    grey = image.convert("L")
    assert sum(1 for value in grey.get_flattened_data() if value < 128) > 500


def test_it_holds_the_same_strategy_titles_as_the_pdf_for_the_same_viewer(with_strategies, cast):
    spec = BriefingSpec(kind="cluster", subject="N-UP1", fiscal_year=2570)
    seen = {}
    for role in ("planner_lampang", "secretariat"):
        user = cast[role]
        pdf_words = squash(pdf_text(briefing_pdf(spec, viewer=user).pdf))
        docx_words = squash(docx_text(briefing_docx(spec, viewer=user).docx))
        seen[role] = {key for key, title in with_strategies.items() if squash(title) in docx_words}
        for key, title in with_strategies.items():
            assert (squash(title) in pdf_words) == (squash(title) in docx_words), (role, key)
    assert seen["secretariat"] == {"cm", "lp", "nu"}  # positive control: the cluster's secretariat sees all
    assert "lp" in seen["planner_lampang"] and "cm" not in seen["planner_lampang"]  # not Chiang Mai's


def test_it_goes_through_the_job_and_downloads_as_docx(cluster_filled, secretariat, client_for):
    client = client_for(secretariat)
    response = client.post(
        reverse("briefing_list"),
        {"subject": "cluster:N-UP1", "fiscal_year": 2570, "language": "th", "file_format": "docx"},
    )
    assert response.status_code == 302
    job = Briefing.objects.get()
    job.refresh_from_db()
    if job.status != "done":  # the broker is a test double here: render in-process
        job = services.briefing_render(briefing=job)
    assert job.status == "done" and job.format == "docx", job.error
    download = client.get(reverse("briefing_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert download["Content-Disposition"].endswith('.docx"')
    content = b"".join(download.streaming_content)
    assert squash("กลุ่มจังหวัดภาคเหนือตอนบน 1") in squash(docx_text(content))


def test_it_refuses_an_unknown_format(cluster_filled, secretariat, client_for):
    response = client_for(secretariat).post(
        reverse("briefing_list"),
        {"subject": "cluster:N-UP1", "fiscal_year": 2570, "language": "th", "file_format": "odt"},
    )
    assert response.status_code == 400 and not Briefing.objects.exists()
    with pytest.raises(services.BriefingError):
        services.briefing_request_by_code(
            kind="cluster", subject="N-UP1", fiscal_year=2570, by=secretariat, file_format="rtf"
        )


def test_the_command_writes_a_docx(cluster_filled, secretariat, tmp_path):
    out = tmp_path / "b.docx"
    call_command("render_briefing", "--as", secretariat.username, "--kind", "cluster", "--subject", "N-UP1",
                 "--fiscal-year", "2570", "--format", "docx", "--out", str(out))  # fmt: skip
    assert squash("แม่ฮ่องสอน") in squash(docx_text(out.read_bytes()))


def _footer_text(data: bytes) -> str:
    return " ".join(p.text for section in _open(data).sections for p in section.footer.paragraphs)


def test_it_prints_the_classification_in_the_footer_of_every_page(cluster_filled, advisor):
    from briefings.spec import Meeting

    secret = BriefingSpec(**{**SPEC.__dict__, "meeting": Meeting(classification="secret")})
    assert "ลับ" in _footer_text(briefing_docx(secret, viewer=advisor).docx)
    assert "ลับ" not in _footer_text(briefing_docx(SPEC, viewer=advisor).docx)  # none set: none printed


def test_it_flows_chapters_and_keeps_a_province_profile_whole(cluster_filled, advisor):
    doc = _open(briefing_docx(SPEC, viewer=advisor).docx)
    chapters = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    breaks = [bool(p.paragraph_format.page_break_before) for p in chapters]
    # The executive summary and the chapter after it begin a page; the others follow on (no half-empty pages).
    assert breaks[:2] == [True, True] and not any(breaks[2:]), breaks
    lamphun = next(
        i for i, p in enumerate(doc.paragraphs) if p.style.name == "Heading 2" and p.text == "ลำพูน"
    )
    profile = doc.paragraphs[lamphun : lamphun + 3]  # heading, status line, chart
    assert all(p.paragraph_format.keep_with_next for p in profile[:2])
