"""Thai in print: no word broken across lines where a piece is not a word, and a text layer that gives back
the words as written (copy, search, pdftotext) — on real rendered pages (briefings/print_text.py)."""

import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize

from briefings import print_text, rendering
from briefings.rendering import briefing_pdf, html_to_pdf
from briefings.spec import BriefingSpec
from tests.conftest import services_or_skip

pytestmark = pytest.mark.django_db

_TAIL = re.compile("[\u0e00-\u0e7f]+$")
_HEAD = re.compile("^[\u0e00-\u0e7f]+")

# Sentences of the kind briefings print, with the words libthai's own list lacks (ดำเนินการ, ผลประโยชน์,
# ความพร้อม, องค์กรปกครองส่วนท้องถิ่น …) and SARA AM, tone marks over lower vowels (ฝั่ง, สู่).
SENTENCES = (
    "จังหวัดจะดำเนินการส่งเสริมผลประโยชน์ของชาติและความพร้อมสู่ประชาคมอาเซียนโดยบูรณาการงบประมาณร่วมกับกลุ่มจังหวัด"
    "และองค์กรปกครองส่วนท้องถิ่นตามลำดับความสำคัญ พัฒนาด่านชายแดนฝั่งแม่น้ำโขงเพื่ออำนวยความสะดวกทางการค้า"
    "ยกระดับมาตรฐานสินค้าเกษตรปลอดภัยและการท่องเที่ยวเชิงวัฒนธรรมล้านนา"
)


def pdftotext(pdf: bytes) -> str:
    services_or_skip("pdftotext (poppler-utils)", bool(__import__("shutil").which("pdftotext")))
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True, check=True).stdout


def broken_words(text: str) -> list[str]:
    """Line ends that cut a dictionary word where a piece is not a word itself (จะดำ|เนินการ), as "left|right".
    A break between the words of a compound (ผล|ประโยชน์: both words) is how Thai is set; it is not counted."""
    words = thai_words()
    bad = []
    for page in text.split("\f"):
        lines = [line.strip() for line in page.splitlines()]
        for above, below in zip(lines, lines[1:], strict=False):
            tail, head = _TAIL.search(above), _HEAD.search(below)
            if not tail or not head:
                continue
            cut, at = len(tail[0]), 0
            for token in word_tokenize(tail[0] + head[0], engine="newmm", keep_whitespace=False):
                if at < cut < at + len(token) and token in words:
                    left, right = token[: cut - at], token[cut - at :]
                    if left not in words or right not in words:
                        bad.append(f"{left}|{right}")
                at += len(token)
    return bad


def _paragraphs_pdf() -> bytes:
    """The sentences in the print stylesheet's own font at 31 column widths: every line end gets tried."""
    font = (Path(settings.THAI_FONT_DIR) / "Sarabun-Regular.ttf").as_uri()
    columns = "".join(f'<p style="width: {w}mm">{SENTENCES}</p>' for w in range(30, 123, 3))
    html = (
        f'<html lang="th"><head><style>@font-face {{ font-family: S; src: url("{font}") }}'
        f"body {{ font-family: S; font-size: 14pt }}</style></head><body>{columns}</body></html>"
    )
    pdf, _ = html_to_pdf(html, fetcher=rendering.SafeURLFetcher())
    return pdf


def test_it_never_breaks_a_thai_word_into_a_piece_that_is_not_a_word():
    text = pdftotext(_paragraphs_pdf())
    assert text.count("\n") > 200  # many lines, many line ends tried
    assert broken_words(text) == []


def test_it_never_breaks_a_word_on_the_pages_of_a_real_briefing(cluster_filled, advisor):
    pdf = briefing_pdf(BriefingSpec(kind="cluster", subject="N-UP1", fiscal_year=2570), viewer=advisor).pdf
    assert broken_words(pdftotext(pdf)) == []


def test_the_checker_itself_catches_a_word_cut_where_a_piece_is_not_a_word():
    assert broken_words("โครงการที่จังหวัดจะดำ\nเนินการได้") == ["ดำ|เนินการ"]
    assert broken_words("ผล\nประโยชน์ของชาติ") == []  # two words: an allowed break


def test_it_gives_the_words_back_as_written_when_copied_or_searched():
    """Not NFKC-equal, equal: a viewer's search for ลำปาง must find ลำปาง."""
    text = pdftotext(_paragraphs_pdf())
    for word in ("ดำเนินการ", "ลำดับความสำคัญ", "ฝั่งแม่น้ำโขง", "สู่ประชาคมอาเซียน", "อำนวยความสะดวก"):
        assert word in "".join(text.split()), word
    assert "\u0e4d\u0e32" not in text and "\u0e4d\u0e48\u0e32" not in text  # no SARA AM in two pieces
    assert "\u200b" not in text and "\u2060" not in text


def test_a_real_briefing_names_its_provinces_as_written(cluster_filled, advisor):
    pdf = briefing_pdf(BriefingSpec(kind="cluster", subject="N-UP1", fiscal_year=2570), viewer=advisor).pdf
    text = "".join(pdftotext(pdf).split())
    for name in ("ลำพูน", "ลำปาง", "เชียงใหม่", "แม่ฮ่องสอน", "ความพร้อมสู่ประชาคมอาเซียน", "สำหรับ"):
        assert name in text, name


def test_the_line_drawing_hook_and_the_dictionary_are_in_place():
    """A WeasyPrint upgrade that stops calling the wrapped function fails the text tests above; this one
    says why."""
    assert print_text.installed()
    assert (print_text.DICTIONARY_DIR / "thbrk.tri").is_file()
    assert print_text.actual_text("ล\u0e4d\u0e32พูน ต\u0e4d\u0e48\u0e32\u200b") == "ลำพูน ต่ำ"
