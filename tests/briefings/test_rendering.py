"""The document: a real PDF through WeasyPrint, with the Thai names, the draft watermark, the sections that
have data, user text shown as text, and nothing fetched but the project's own fonts."""

import io
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from briefings import rendering
from briefings.document import document
from briefings.rendering import briefing_pdf, document_html, thai_for_pdf
from briefings.spec import BriefingSpec
from provinces.models import Cluster, Province
from readiness.models import Answer

from .conftest import N_UP1_TH, level, pdf_text, squash

pytestmark = pytest.mark.django_db

CLUSTER_TH = "กลุ่มจังหวัดภาคเหนือตอนบน 1"


def spec(**kw):
    return BriefingSpec(**{"kind": "cluster", "subject": "N-UP1", "fiscal_year": 2570, **kw})


def test_it_renders_a_cluster_briefing_naming_the_cluster_and_every_member_province(cluster_filled, advisor):
    result = briefing_pdf(spec(), viewer=advisor)
    assert result.pdf.startswith(b"%PDF-")
    text = squash(pdf_text(result.pdf))
    assert squash(CLUSTER_TH) in text
    for name in N_UP1_TH:
        assert squash(name) in text
    assert "2570" in text and "2569" in text  # this round and last round's values
    assert result.pages >= 5 and not result.is_draft  # approved figures only: no watermark


def test_it_embeds_sarabun_and_no_other_font(cluster_filled, advisor):
    reader = PdfReader(io.BytesIO(briefing_pdf(spec(include_unapproved=True), viewer=advisor).pdf))
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert fonts and all(name.startswith("Sarabun") for name in fonts), fonts


def test_it_marks_a_document_with_unapproved_figures_as_a_draft_on_every_page(cluster_filled, advisor):
    result = briefing_pdf(spec(include_unapproved=True), viewer=advisor)
    assert result.is_draft
    reader = PdfReader(io.BytesIO(result.pdf))
    assert all("DRAFT" in page.extract_text() for page in reader.pages)
    official = PdfReader(io.BytesIO(briefing_pdf(spec(), viewer=advisor).pdf))
    assert not any("DRAFT" in page.extract_text() for page in official.pages)


def test_it_numbers_pages_and_lists_the_sections_in_the_contents(cluster_filled, advisor):
    reader = PdfReader(io.BytesIO(briefing_pdf(spec(language="en"), viewer=advisor).pdf))
    pages = [page.extract_text() for page in reader.pages]
    total = len(pages)
    assert f"Page 2 / {total}" in pages[1] and f"Page {total} / {total}" in pages[-1]
    assert f"Page 1 / {total}" not in pages[0]  # no header or footer on the cover
    assert "Contents" in pages[1] and "Member provinces" in pages[1]
    assert "Upper Northern Provincial Cluster 1" in pages[2]  # the running header


def test_it_draws_the_pages_charts_with_their_words_set_as_html_text(cluster_filled, advisor):
    """WeasyPrint mangles Thai in SVG <text> (Kozea/WeasyPrint#2249): the words go over the SVG as HTML."""
    html = document_html(document(spec(include_unapproved=True), viewer=advisor))
    # The cluster spread, one bar chart per province, and the trend over the two rounds.
    assert html.count('class="readiness-chart"') == 1 + 4 + 1
    assert "<text" not in html
    assert 'class="chart-text' in html and "พื้นที่" in html


def test_it_decomposes_sara_am_so_that_the_pdf_text_is_searchable():
    assert thai_for_pdf("ลำพูน ต่ำ") == "ล\u0e4d\u0e32พูน ต\u0e4d\u0e48\u0e32"
    assert unicodedata.normalize("NFKC", thai_for_pdf("ลำพูน")) == unicodedata.normalize("NFKC", "ลำพูน")


def test_it_shows_what_changed_since_the_last_approved_version(filler, round_2570, advisor):
    approved = filler("TH-50", round_2570, level_for=level(3), status="approved", by=advisor)
    answers = list(approved.answers.order_by("indicator__position")[:2])
    for answer in answers:
        answer.level, answer.justification = 5, "ปรับปรุงตามข้อเสนอ"
        answer.save()
    approved.status = "draft"
    approved.save()
    official = document(spec(), viewer=advisor)
    appendix = [s for s in official.sections if s.key == "changes"]
    assert len(appendix) == 1 and appendix[0].appendix and appendix[0].number == "ก"
    (changed,) = appendix[0].context["changed"]
    assert changed.row.province.code == "TH-50" and changed.count == 2
    assert changed.answers == []  # the draft's answers are shown only with unapproved figures
    detailed = document(spec(include_unapproved=True), viewer=advisor).sections[-1].context["changed"][0]
    assert [(a.before, a.now) for a in detailed.answers] == [(3, 5), (3, 5)]
    assert len(detailed.answers[0].fields) == 2  # level and justification


def test_it_leaves_out_sections_without_data(cluster_filled, advisor):
    keys = [s.key for s in document(spec(), viewer=advisor).sections]
    assert keys == [
        "summary",
        "readiness",
        "trends",
        "provinces",
    ]  # nothing changed since approval: no appendix
    bangkok = document(BriefingSpec("province", "TH-10", 2570), viewer=advisor)
    # Bangkok has no cluster to compare with
    assert [s.key for s in bangkok.sections] == ["summary", "readiness"]
    chiang_mai = document(BriefingSpec("province", "TH-50", 2570), viewer=advisor)
    assert [s.key for s in chiang_mai.sections] == ["summary", "readiness", "cluster"]


def test_it_renders_a_province_briefing_in_english(cluster_filled, advisor):
    text = pdf_text(briefing_pdf(BriefingSpec("province", "TH-52", 2570, "en", True), viewer=advisor).pdf)
    assert "Lampang" in text and "Within the provincial cluster" in text and "Chiang Mai" in text


def test_it_renders_the_national_briefing_with_a_page_per_cluster_and_bangkok(filler, round_2570, advisor):
    filler("TH-10", round_2570, level_for=level(4), status="approved", by=advisor)
    filler("TH-50", round_2570, level_for=level(2), status="approved", by=advisor)
    doc = document(BriefingSpec("national", "TH", 2570), viewer=advisor)
    clusters = next(s for s in doc.sections if s.key == "clusters")
    assert len(clusters.entries) == 18 + 1  # every cluster, then Bangkok (it has data)
    result = briefing_pdf(BriefingSpec("national", "TH", 2570), viewer=advisor)
    text = squash(pdf_text(result.pdf))
    for cluster in Cluster.objects.all():
        assert squash(cluster.name_th) in text
    assert squash("กรุงเทพมหานคร") in text
    assert result.pages >= 2 + 18 + 1


HOSTILE = '<img src="file:///etc/passwd"> <b style="background: url(http://example.com/x.png)">x</b>'


def test_it_prints_hostile_user_text_as_text_and_fetches_nothing(
    filler, round_2570, advisor, opened_files, network_attempts, monkeypatch
):
    """A province name and a justification full of HTML and URLs: the PDF shows them literally; nothing
    outside the font folder is opened, no connection is attempted, the fetcher is asked for nothing else."""
    fetchers = []

    class Spy(rendering.SafeURLFetcher):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            fetchers.append(self)

    monkeypatch.setattr(rendering, "SafeURLFetcher", Spy)
    Province.objects.filter(code="TH-51").update(name_th="ลำพูน " + HOSTILE)
    approved = filler("TH-51", round_2570, level_for=level(3), status="approved", by=advisor)
    Answer.objects.filter(assessment=approved).update(
        justification="ดู url(file:///etc/passwd) 🙂 ພາສາລາວ ភាសាខ្មែរ " + HOSTILE
    )
    approved.status = "draft"
    approved.save()
    text = pdf_text(briefing_pdf(spec(include_unapproved=True), viewer=advisor).pdf)
    assert '<img src="file:///etc/passwd">' in text  # shown, not interpreted
    assert "url(http://example.com/x.png)" in text
    assert network_attempts == []
    assert not [p for p in opened_files if "passwd" in p]
    font_dir = str(Path(settings.THAI_FONT_DIR).resolve())
    (fetcher,) = fetchers
    assert fetcher.refused == []  # the user text never became a reference to fetch
    assert fetcher.served and all(path.startswith(font_dir) for path in fetcher.served)


def _overflowing_text(html: str) -> list[str]:
    """Text boxes that stick out of the page's content area, left or right (a 1 pt tolerance)."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import TextBox

    out = []
    for page in HTML(string=thai_for_pdf(html), url_fetcher=rendering.SafeURLFetcher()).render().pages:
        box = page._page_box
        left, right = box.content_box_x(), box.content_box_x() + box.width
        for child in box.descendants():
            if isinstance(child, TextBox) and (
                child.position_x < left - 1 or child.position_x + child.width > right + 1
            ):
                out.append(child.text[:40])
    return out


def test_it_wraps_long_unbroken_names_and_never_overflows_the_page(filler, round_2570, advisor):
    Cluster.objects.filter(code="N-UP1").update(name_th="ก" * 200)
    Province.objects.filter(code="TH-50").update(name_th="ข" * 200)
    Province.objects.filter(code="TH-51").update(name_th="กลุ่มจังหวัด" * 15)  # long Thai, breakable
    filler("TH-50", round_2570, level_for=level(3), status="approved", by=advisor)
    doc = document(spec(), viewer=advisor)
    assert _overflowing_text(document_html(doc)) == []
    result = briefing_pdf(spec(), viewer=advisor)
    assert "ข" * 20 in pdf_text(result.pdf)
    assert float(PdfReader(io.BytesIO(result.pdf)).pages[0].mediabox.width) == pytest.approx(595.3, abs=0.5)
