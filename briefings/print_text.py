"""Thai text in the printed briefing: where lines may break, and what the PDF's text layer says.

Line breaks. WeasyPrint lays text out with Pango, and Pango breaks Thai lines where libthai's dictionary
finds a word boundary. libthai's own list lacks many words a briefing uses (ดำเนินการ, ผลประโยชน์,
ความพร้อม), and with a word missing it breaks inside it: จะดำ|เนินการ. libthai reads its dictionary from
the folder named by LIBTHAI_DICTDIR when it first breaks a line, so the project ships a dictionary that is
libthai's list plus PyThaiNLP's (scripts/build_thai_dictionary.sh builds it) and points libthai at it
before any layout. Pango keeps its own algorithm; it simply knows the words. An operator's own
LIBTHAI_DICTDIR wins.

Text layer. A PDF maps each glyph back to characters, but Thai is shaped: SARA AM (ำ) is drawn as two
glyphs, and a tone mark over a lower vowel is positioned by the font, so extraction tools read "ฝงั่" for
ฝั่ง and a viewer's search for ลำปาง finds nothing. PDF's remedy is an ActualText span: marked content
that says "these glyphs are this text". Each line of Thai WeasyPrint draws is wrapped in one, holding the
line's own characters (with SARA AM recomposed, see thai_for_pdf), so copying, searching and
pdftotext give the words as they were written. WeasyPrint has no option for this; the hook wraps its
function that draws one line of text, and tests/briefings/test_thai_print.py fails if a WeasyPrint upgrade
bypasses it.
"""

import os
import re
from pathlib import Path

import pydyf
import weasyprint.draw as weasyprint_draw
from weasyprint.draw import text as weasyprint_text

DICTIONARY_DIR = Path(__file__).resolve().parent / "data" / "libthai"

_THAI = re.compile("[\u0e00-\u0e7f]")
_DECOMPOSED_SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")
# Characters that shape the layout but are not text: zero-width space, word joiner, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\u00ad"), None)


def use_project_dictionary() -> None:
    """Point libthai at the project's word list (before the first line is broken in this process)."""
    if (DICTIONARY_DIR / "thbrk.tri").is_file():
        os.environ.setdefault("LIBTHAI_DICTDIR", str(DICTIONARY_DIR))


def actual_text(line: str) -> str:
    """The characters a reader should get for one drawn line: SARA AM whole again, nothing invisible."""
    return _DECOMPOSED_SARA_AM.sub(lambda m: m[1] + "\u0e33", line.translate(_INVISIBLE))


_SARA_AM = re.compile("([\u0e48-\u0e4b]?)\u0e33")  # an optional tone mark, then SARA AM (ำ)


def thai_for_pdf(text: str) -> str:
    """Write SARA AM (ำ) as NIKHAHIT + SARA AA, the nikhahit before a tone mark (ต่ำ → ต + ํ + ่ + า).

    That is exactly what HarfBuzz does when it shapes Thai, so the print is identical. But WeasyPrint maps
    each glyph of the PDF back to text by shaping clusters, and a decomposed SARA AM leaves the nikhahit
    mapped to nothing: copying or searching the PDF gives "ลาพูน" for ลำพูน, and once the shared SARA AA
    glyph is mapped to ำ, "ประชำคม" for ประชาคม. Decomposed up front, each glyph has its own character and
    the glyph-by-glyph text reads ลําพูน (NFKC-equal to ลำพูน); the ActualText of each line
    (below) recomposes it, so copying and searching give ลำพูน itself.
    """
    return _SARA_AM.sub(lambda m: "\u0e4d" + m[1] + "\u0e32", text)


_draw_text = weasyprint_text.draw_text


def _draw_text_with_actual_text(stream, textbox, *args, **kwargs):
    text = textbox.text
    if not _THAI.search(text) or not text.strip():
        return _draw_text(stream, textbox, *args, **kwargs)
    stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(actual_text(text))}))
    try:
        return _draw_text(stream, textbox, *args, **kwargs)
    finally:
        stream.end_marked_content()


def install() -> None:
    """Wrap WeasyPrint's line drawing (idempotent). Called when briefings.rendering is imported."""
    use_project_dictionary()
    weasyprint_draw.draw_text = _draw_text_with_actual_text


def installed() -> bool:
    return weasyprint_draw.draw_text is _draw_text_with_actual_text
