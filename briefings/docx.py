"""The briefing as an editable Word document, in the Thai official layout.

One content path: the DOCX is written from the very HTML the PDF is laid out from (rendering.document_html),
so both hold the same sections, tables and words for the same viewer. This module walks that HTML — the
small vocabulary of the print templates: headings, paragraphs, tables, lists, figures — and writes Word's
own structures: headings in Word's heading styles (so Word's navigation pane and contents work), tables as
real Word tables with a repeated header row, charts as pictures rendered from the same SVGs the pages
draw (resvg, with the project's Sarabun), the contents as a Word TOC field.

Layout (ระเบียบงานสารบรรณ practice): A4; margins 3 cm left, 2 cm right, 2.5 cm top, 2 cm bottom; Sarabun
(the OFL successor of TH Sarabun New) 16 pt for the body — set for complex script too, which is what Word
uses for Thai — B.E. dates as the print has them; page numbers in the footer.
"""

import io
import re
import uuid
from collections.abc import Sequence
from pathlib import Path

import resvg_py
from django.conf import settings
from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml import html as lxml_html

FONT = "Sarabun"
BODY_PT = 16
TABLE_PT = 13
MIN_COLUMN_CM = 1.6  # a Thai word of two syllables at TABLE_PT; narrower columns break words in Word
SMALL_PT = 13
TEXT_WIDTH_CM = 16.0  # A4 21 cm less 3 cm + 2 cm margins
CHART_DPI = 200
MUTED = RGBColor(0x55, 0x5B, 0x66)

_SPACE = re.compile(r"\s+")
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "table", "ul", "ol", "figure", "div", "section", "article", "nav"}
_SMALL_CLASSES = {"note", "small", "muted", "prev"}
_OWN_LINE_CLASSES = {"prev"}  # inline in the HTML, a block in the print stylesheet
_WIDTH_MM = re.compile(r"width:\s*([0-9.]+)mm")
_WIDTH_PERCENT = re.compile(r"width:\s*([0-9.]+)%")


def _column_widths_cm(shares: list[float]) -> list[float]:
    """Shares of the text width in cm, every column at least MIN_COLUMN_CM (taken from the wider ones)."""
    widths = [TEXT_WIDTH_CM * s for s in shares]
    narrow = [i for i, w in enumerate(widths) if w < MIN_COLUMN_CM]
    if not narrow or MIN_COLUMN_CM * len(widths) > TEXT_WIDTH_CM:
        return widths
    wide = [i for i in range(len(widths)) if i not in narrow]
    spare = sum(widths[i] for i in wide) - (TEXT_WIDTH_CM - MIN_COLUMN_CM * len(narrow))
    wide_total = sum(widths[i] for i in wide)
    return [MIN_COLUMN_CM if i in narrow else w - spare * w / wide_total for i, w in enumerate(widths)]


def _column_shares(table_el, count: int) -> list[float]:
    """Each column's share of the table's width, from the print template's <colgroup> (the rest shared
    equally by columns it does not size)."""
    shares: list[float | None] = []
    for col in table_el.iterfind("./colgroup/col"):
        found = _WIDTH_PERCENT.search(col.get("style") or "")
        shares.append(float(found[1]) / 100 if found else None)
    shares = (shares + [None] * count)[:count]
    known = sum(s for s in shares if s is not None)
    unsized = [i for i, s in enumerate(shares) if s is None]
    rest = max(0.0, 1 - known) / len(unsized) if unsized else 0.0
    result = [s if s is not None else rest for s in shares]
    total = sum(result) or 1.0
    return [s / total for s in result]


def chart_png(svg: str) -> bytes:
    """A chart's SVG as a PNG, its Thai set by resvg (HarfBuzz shaping) in the project's Sarabun only."""
    return resvg_py.svg_to_bytes(
        svg_string=svg,
        skip_system_fonts=True,
        font_dirs=[str(Path(settings.THAI_FONT_DIR))],
        font_family=FONT,
        sans_serif_family=FONT,
        serif_family=FONT,
        background="#ffffff",
        dpi=CHART_DPI,
        zoom=CHART_DPI / 96,
        resources_dir=None,
    )


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _text(s: str) -> str:
    return _SPACE.sub(" ", s)


def _set_font(rpr_parent, size_pt: float | None = None) -> None:
    """Sarabun for every script slot (Latin, East Asian, complex script: Word sets Thai in the last)."""
    rpr = rpr_parent.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_parent.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.lower().endswith("theme"):  # a theme font wins over a named one: remove it
            del fonts.attrib[attr]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size_pt * 2)))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "th-TH")
    lang.set(qn("w:bidi"), "th-TH")


# The faces embedded in the document (Word: embedRegular, embedBold, embedItalic), from settings.THAI_FONT_DIR.
EMBEDDED_FACES = (
    ("embedRegular", "Sarabun-Regular.ttf"),
    ("embedBold", "Sarabun-Bold.ttf"),
    ("embedItalic", "Sarabun-Italic.ttf"),
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def obfuscated_font(font: bytes, key: uuid.UUID) -> bytes:
    """A font as Word embeds it (ECMA-376 Part 1, 17.8.1): the first 32 bytes XORed with the font key's
    16 bytes in reverse order."""
    reversed_key = key.bytes[::-1]
    data = bytearray(font)
    for i in range(32):
        data[i] ^= reversed_key[i % 16]
    return bytes(data)


def _embed_fonts(document) -> None:
    """Put Sarabun inside the file: a Thai office opening it on a computer without Sarabun (most have TH
    Sarabun New, not its OFL successor) still sees the document in its font. Sarabun's licence (OFL,
    fsType 0) allows it."""
    package = document.part.package
    font_table = next(p for p in package.iter_parts() if p.partname == "/word/fontTable.xml")
    root = parse_xml(font_table.blob)
    entry = root.find(f"{{{_W}}}font[@{{{_W}}}name='{FONT}']")
    if entry is None:
        entry = parse_xml(f'<w:font xmlns:w="{_W}" w:name="{FONT}"><w:charset w:val="DE"/></w:font>')
        root.append(entry)
    for n, (slot, filename) in enumerate(EMBEDDED_FACES, start=1):
        key = uuid.uuid4()
        blob = obfuscated_font((Path(settings.THAI_FONT_DIR) / filename).read_bytes(), key)
        part = Part(
            PackURI(f"/word/fonts/font{n}.odttf"),
            "application/vnd.openxmlformats-officedocument.obfuscatedFont",
            blob,
            package,
        )
        rid = font_table.relate_to(part, RELATIONSHIP_TYPE.FONT)
        embed = parse_xml(
            f'<w:{slot} xmlns:w="{_W}" xmlns:r="{_R}" r:id="{rid}" w:fontKey="{{{str(key).upper()}}}"/>'
        )
        entry.append(embed)
    font_table._blob = (
        root.xml.encode() if hasattr(root, "xml") else __import__("lxml.etree").etree.tostring(root)
    )
    settings_el = document.settings.element
    settings_el.insert(0, OxmlElement("w:embedTrueTypeFonts"))


def _size(run, pt: float) -> None:
    """A run's size for Latin and for Thai (Word sizes complex script separately: w:szCs)."""
    run.font.size = Pt(pt)
    rpr = run._r.get_or_add_rPr()
    el = rpr.find(qn("w:szCs"))
    if el is None:
        el = OxmlElement("w:szCs")
        rpr.append(el)
    el.set(qn("w:val"), str(int(pt * 2)))


def _sized(run) -> bool:
    return run.font.size is not None


def _bold(run, on: bool = True) -> None:
    """Bold for Latin and for Thai (w:b and w:bCs)."""
    run.bold = on or None
    if on:
        run._r.get_or_add_rPr().append(OxmlElement("w:bCs"))


def _italic(run, on: bool = True) -> None:
    run.italic = on or None
    if on:
        run._r.get_or_add_rPr().append(OxmlElement("w:iCs"))


_THEME_FACE = re.compile(r'(<a:(?:latin|cs) typeface=")[^"]*(")|(<a:font script="Thai" typeface=")[^"]*(")')


def _theme_fonts(document) -> None:
    """The theme's heading and body fonts (and its Thai script fonts, Angsana New / Cordia New) are
    Sarabun, so that every style Word offers — not only the ones this document uses — is in Sarabun."""
    theme = next(p for p in document.part.package.iter_parts() if p.partname == "/word/theme/theme1.xml")
    text = theme.blob.decode("utf-8")
    theme._blob = _THEME_FACE.sub(lambda m: f"{m[1] or m[3]}{FONT}{m[2] or m[4]}", text).encode("utf-8")


def _field(paragraph: Paragraph, instruction: str, placeholder: str | list[str] = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC): begin, instruction, separate, cached result, end."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    for n, line in enumerate([placeholder] if isinstance(placeholder, str) else placeholder):
        run = paragraph.add_run(line)
        if n:
            run._r.insert(0, OxmlElement("w:br"))
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


class _Writer:
    def __init__(self, charts: Sequence[str], header: str, page_label: str, classification: str = ""):
        self.charts = charts
        self.doc = new_docx()
        self._styles()
        self._page(header, page_label, classification)

    # --- document set-up ---------------------------------------------------------------------------

    def _styles(self) -> None:
        styles = self.doc.styles
        # The document defaults too: table styles and fields do not inherit the Normal paragraph style.
        defaults = styles.element.find(qn("w:docDefaults"))
        if defaults is not None and defaults.find(qn("w:rPrDefault")) is not None:
            _set_font(defaults.find(qn("w:rPrDefault")), BODY_PT)
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_PT)
        _set_font(normal.element, BODY_PT)
        normal.paragraph_format.space_after = Pt(4)
        normal.paragraph_format.line_spacing = 1.0
        for name, size in (("Title", 26), ("Heading 1", 20), ("Heading 2", 18), ("Heading 3", 16)):
            style = styles[name]
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.bold = True
            style.element.get_or_add_rPr().append(OxmlElement("w:bCs"))
            style.font.color.rgb = RGBColor(0x12, 0x2B, 0x4A)
            _set_font(style.element, size)
        for name in ("List Bullet", "List Number", "Table Grid", "Caption"):
            _set_font(styles[name].element)
        # Word refreshes the fields (contents, page numbers) when the document is opened.
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        self.doc.settings.element.append(update)
        _embed_fonts(self.doc)
        _theme_fonts(self.doc)

    def _page(self, header: str, page_label: str, classification: str = "") -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2)
        section.header_distance, section.footer_distance = Cm(1.2), Cm(1)
        section.different_first_page_header_footer = True  # nothing on the cover
        head = section.header.paragraphs[0]
        head.text = header
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for run in head.runs:
            _size(run, SMALL_PT)
            run.font.color.rgb = MUTED
        foot = section.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if classification:  # as the print's footer: on every page after the cover, which shows it itself
            _bold(foot.add_run(f"{classification} · "))
        foot.add_run(f"{page_label} ")
        _field(foot, "PAGE", "1")
        foot.add_run(" / ")
        _field(foot, "NUMPAGES", "1")
        for run in foot.runs:
            _size(run, SMALL_PT)

    # --- inline content ------------------------------------------------------------------------------

    def _inline(self, paragraph: Paragraph, el, *, bold=False, italic=False, small=False, first=True) -> None:
        """The text of ``el`` and its inline children as runs, HTML whitespace collapsed."""
        bold = bold or el.tag in ("strong", "b", "th")
        italic = italic or el.tag in ("em", "i")
        small = small or bool(_classes(el) & _SMALL_CLASSES)
        if el.tag == "br":
            paragraph.add_run().add_break()
        elif el.text:
            self._run(paragraph, el.text, bold, italic, small)
        for child in el:
            if isinstance(child.tag, str) and child.tag not in ("script", "style"):
                own_line = child.tag == "div" or bool(_classes(child) & _OWN_LINE_CLASSES)
                if own_line and paragraph.runs:  # a block inside a cell: a new line
                    paragraph.add_run().add_break()
                self._inline(paragraph, child, bold=bold, italic=italic, small=small, first=False)
            if child.tail:
                self._run(paragraph, child.tail, bold and el.tag not in ("strong", "b"), italic, small)

    def _run(self, paragraph: Paragraph, text: str, bold: bool, italic: bool, small: bool) -> None:
        text = _text(text)
        if not paragraph.runs:
            text = text.lstrip()
        if not text:
            return
        run = paragraph.add_run(text)
        _bold(run, bold)
        _italic(run, italic)
        if small:
            _size(run, SMALL_PT)
            run.font.color.rgb = MUTED

    def _paragraph(self, el, style: str | None = None, container=None) -> Paragraph:
        target = container if container is not None else self.doc
        paragraph = target.add_paragraph(style=style)
        self._inline(paragraph, el)
        if paragraph.runs:
            last = paragraph.runs[-1]
            last.text = last.text.rstrip()
        return paragraph

    # --- blocks --------------------------------------------------------------------------------------

    def block(self, el) -> None:
        tag, classes = el.tag, _classes(el)
        if not isinstance(tag, str) or tag in ("head", "style", "script", "title", "meta"):
            return
        if classes & {"watermark", "running"}:
            return
        if tag == "section" and "cover" in classes:
            return self.cover(el)
        if tag == "nav" and "toc" in classes:
            return self.contents(el)
        if tag in ("h1", "h2", "h3", "h4"):
            level = {"h1": 0, "h2": 1, "h3": 2, "h4": 3}[tag]
            heading = self.doc.add_heading(level=level)
            self._inline(heading, el)
            if tag == "h2" and self._new_page:
                # As printed: chapters follow one another, but the first and the one after the executive
                # summary begin a page.
                heading.paragraph_format.page_break_before = True
            if tag == "h2":
                self._new_page = "section-summary" in _classes(el.getparent())
            return
        if tag == "p":
            self._paragraph(el, "Caption" if "caption" in classes else None)
            return
        if tag == "table":
            return self.table(el)
        if tag in ("ul", "ol"):
            style = "List Number" if tag == "ol" else "List Bullet"
            for li in el.iterchildren("li"):
                self._paragraph(li, style)
            return
        if "printed-chart" in classes:
            return self.chart(el)
        if tag == "figcaption":
            self._paragraph(el, "Caption")
            return
        if "profile" in classes or "keep-together" in classes:
            return self.kept_together(el)
        # A container: its blocks in order; loose inline text becomes a paragraph of its own.
        if (el.text or "").strip() and not any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el):
            self._paragraph(el)
            return
        for child in el:
            self.block(child)

    _new_page = True  # the first chapter, after the contents

    def kept_together(self, el) -> None:
        """A block that prints unbroken (a province's profile): its paragraphs kept with the next, so Word
        moves it to the next page whole rather than leaving its heading behind."""
        first = len(self.doc.paragraphs)
        for child in el:
            self.block(child)
        for paragraph in self.doc.paragraphs[first:-1]:
            paragraph.paragraph_format.keep_with_next = True

    logo: bytes | None = None

    def cover(self, el) -> None:
        if self.logo and el.find(".//img") is not None:  # the cover logo (rendering.cover_logo)
            picture = self.doc.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.add_run().add_picture(io.BytesIO(self.logo), height=Cm(2.2))
        for p in el.iter("p", "h1"):
            paragraph = self.doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._inline(paragraph, p)
            size = 26 if p.tag == "h1" else 20 if "cover-subject" in _classes(p) else BODY_PT
            for run in paragraph.runs:
                _size(run, size)
                _bold(run, p.tag == "h1" or "cover-subject" in _classes(p))
            paragraph.paragraph_format.space_after = Pt(12)
        for table in el.iter("table"):
            self.doc.add_paragraph()
            self.table(table, grid=False)
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def contents(self, el) -> None:
        title = el.find(".//h2")
        heading = self.doc.add_paragraph()
        _bold(heading.add_run(_text(title.text_content()).strip() if title is not None else ""))
        # Word fills the contents with page numbers when it refreshes the field (on opening); until then the
        # section titles stand in, so a viewer that never refreshes still shows the list.
        placeholder = [
            _text(a.text_content()).strip() for a in el.iterfind("./ol/li/a") if a.text_content().strip()
        ]
        _field(self.doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', placeholder)

    def chart(self, el) -> None:
        index = el.get("data-chart")
        if index is None or not index.isdigit() or int(index) >= len(self.charts):
            return
        width_mm = _WIDTH_MM.search(el.get("style") or "")
        width_cm = min(TEXT_WIDTH_CM, float(width_mm[1]) / 10 if width_mm else TEXT_WIDTH_CM)
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run().add_picture(io.BytesIO(chart_png(self.charts[int(index)])), width=Cm(width_cm))

    def table(self, el, grid: bool = True) -> None:
        rows = [tr for tr in el.iter("tr")]
        if not rows:
            return
        width = max(sum(int(c.get("colspan") or 1) for c in tr if c.tag in ("td", "th")) for tr in rows)
        if width == 0:
            return
        table = self.doc.add_table(rows=0, cols=width)
        if grid:
            table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = [Cm(cm) for cm in _column_widths_cm(_column_shares(el, width))]
        for column, column_width in zip(table.columns, widths, strict=True):
            column.width = column_width
        for tr in rows:
            row = table.add_row()
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row stays on one page
            cells = row.cells
            in_head = tr.getparent() is not None and tr.getparent().tag == "thead"
            if in_head:
                _repeat_header(table.rows[-1])
            at = 0
            for cell_el in (c for c in tr if c.tag in ("td", "th")):
                span = max(1, min(int(cell_el.get("colspan") or 1), width - at))
                cell = cells[at]
                for i in range(at, at + span):
                    cells[i].width = widths[i]
                if span > 1:
                    cell = cell.merge(cells[at + span - 1])
                self._cell(cell, cell_el, header=in_head)
                at += span
                if at >= width:
                    break

    def _cell(self, cell: _Cell, el, header: bool) -> None:
        paragraph = cell.paragraphs[0]
        self._inline(paragraph, el, bold=header or el.tag == "th")
        if "num" in _classes(el):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for run in paragraph.runs:
            if not _sized(run):
                _size(run, TABLE_PT)
        if header:
            shading = OxmlElement("w:shd")
            shading.set(qn("w:val"), "clear")
            shading.set(qn("w:fill"), "E8EDF3")
            cell._tc.get_or_add_tcPr().append(shading)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def html_to_docx(
    html: str, *, charts: Sequence[str], header: str, page_label: str, logo: bytes | None = None
) -> bytes:
    """The print HTML of a briefing as a DOCX; ``charts`` are the original SVGs its figures point at
    (``data-chart`` indexes, see printed_charts.collect); ``logo`` the cover logo's image, if any."""
    tree = lxml_html.document_fromstring(html)
    # The classification as the print HTML's running footer carries it (already in the page language).
    marks = tree.find_class("rs-classification")
    classification = marks[0].text_content().replace("\xa0", " ").strip(" ·") if marks else ""
    writer = _Writer(charts, header=header, page_label=page_label, classification=classification)
    writer.logo = logo
    body = tree.find("body")
    for child in body if body is not None else tree:
        writer.block(child)
    return writer.save()
