"""Uploads are checked on their structure before anything parses or stores them: a zip bomb posted to either
Excel import is refused at once with bounded memory, and hostile evidence files (PDF with HTML, JavaScript or
a launch action, an image that is also a web page, a document with macros) are refused with the reason in
Thai, while ordinary PDF, PNG, JPEG and Office files are still accepted."""

import io
import re
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter

from provinces.uploads import Refused, check_evidence
from readiness.models import Answer, Evidence
from strategies.models import Strategy
from tests.files import pdf

pytestmark = pytest.mark.django_db

BOMB_BYTES = 300 * 1024 * 1024


# --- files ---------------------------------------------------------------------------------------


def _zip_by_hand(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip archive from already deflated entries: (name, raw deflate data, CRC-32, unpacked size)."""
    out, directory = io.BytesIO(), io.BytesIO()
    for name, data, crc, size in entries:
        offset, encoded = out.tell(), name.encode()
        out.write(
            struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
        )
        out.write(encoded + data)
        directory.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )  # fmt: skip
            + encoded
        )
    start, central = out.tell(), directory.getvalue()
    out.write(central)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), start, 0))
    return out.getvalue()


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def xlsx_bomb() -> bytes:
    """A real workbook (one sheet) whose shared strings unpack to 300 MB: about
    a megabyte on the wire. The deflate stream repeats one fully flushed block, so it is built in
    milliseconds instead of compressing 300 MB."""
    book = Workbook()
    book.active["A1"] = "x"
    plain = io.BytesIO()
    book.save(plain)
    entries = []
    with zipfile.ZipFile(plain) as archive:
        for name in archive.namelist():
            content = archive.read(name)
            if name == "[Content_Types].xml":  # openpyxl finds the shared strings through this list
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            if name != "xl/sharedStrings.xml":
                entries.append((name, *_deflated(content)))
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>x</t></si>'
    tail = b"</sst>"
    # Millions of short strings (one long text would only trip the XML parser's own limit).
    item = b"<si><t>" + b"A" * 113 + b"</t></si>"
    chunk = item * (1024 * 1024 // len(item))
    repeats = (BOMB_BYTES - len(head) - len(tail)) // len(chunk)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)  # no reference before the flush point
    last = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + repeats * len(chunk) + len(tail)
    entries.append(("xl/sharedStrings.xml", first + block * repeats + last, crc, size))
    return _zip_by_hand(entries)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return xlsx_bomb()


def test_the_generated_bomb_is_what_it_claims(bomb):
    """The fixture itself: small on the wire, 300 MB unpacked, and a valid archive (CRC and sizes)."""
    assert len(bomb) < 2 * 1024 * 1024  # far below the 5 MB upload limit
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        info = archive.getinfo("xl/sharedStrings.xml")
        assert info.file_size >= BOMB_BYTES - 1024 * 1024
        with archive.open(info) as handle:
            assert handle.read(200).startswith(b"<sst")


PAGES = (
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
)
GOOD_PDF = pdf(b"<< /Type /Catalog /Pages 2 0 R >>", *PAGES)


def image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(out, format=kind)
    return out.getvalue()


def office(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)
DOCX = {
    "[Content_Types].xml": CONTENT_TYPES,
    "_rels/.rels": b"<Relationships/>",
    "word/document.xml": b"<w:document/>",
}
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def pypdf_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def xlsx() -> bytes:
    book = Workbook()
    book.active["A1"] = "ตัวชี้วัด"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the zip bomb, posted to both Excel imports ----------------------------------------------------


def _post_measured(client, url, data):
    """The bomb's POST: its time and the peak of memory Python allocated meanwhile. A first POST of a file
    that is no workbook at all warms up (imports the views, compiles the templates), so that only the
    refusal is measured."""
    field = next(iter(data))
    client.post(url, {field: SimpleUploadedFile("warm-up.xlsx", b"not a workbook")})
    tracemalloc.start()
    started = time.monotonic()
    try:
        response = client.post(url, data)
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return response, elapsed, peak


def test_it_refuses_a_zip_bomb_at_the_strategies_import_quickly(secretariat, client_for, bomb):
    response, elapsed, peak = _post_measured(
        client_for(secretariat),
        reverse("strategy_import"),
        {"strategies_file": SimpleUploadedFile("แผน.xlsx", bomb)},
    )
    assert response.status_code == 400
    assert elapsed < 2, elapsed
    assert peak < 50 * 1024 * 1024, peak
    assert "zip bomb" in response.content.decode() and "บีบอัด" in response.content.decode()
    assert not Strategy.objects.exists()


def test_it_refuses_a_zip_bomb_at_the_assessment_upload_quickly(planner, client_for, cm_assessment, bomb):
    before = list(Answer.objects.filter(assessment=cm_assessment).values_list("pk", "level", "version"))
    response, elapsed, peak = _post_measured(
        client_for(planner),
        reverse("assessment_xlsx_upload", args=[cm_assessment.pk]),
        {"file": SimpleUploadedFile("แบบประเมิน.xlsx", bomb)},
    )
    assert response.status_code == 400
    assert elapsed < 2, elapsed
    assert peak < 50 * 1024 * 1024, peak
    assert "บีบอัด" in response.content.decode() or "แตกไฟล์" in response.content.decode()
    after = list(Answer.objects.filter(assessment=cm_assessment).values_list("pk", "level", "version"))
    assert after == before


def test_it_refuses_a_workbook_with_thousands_of_parts(admin_user):
    from strategies.import_files import ImportFile
    from strategies.importing import ImportFailed, strategies_import

    many = office({**{f"xl/media/{i}.xml": b"" for i in range(2100)}, "[Content_Types].xml": CONTENT_TYPES})
    with pytest.raises(ImportFailed) as failed:
        strategies_import(strategies=ImportFile("plan.xlsx", many), projects=None, by=admin_user)
    assert "2101" in failed.value.issues[0].message


# --- evidence -------------------------------------------------------------------------------------


HOSTILE = [
    ("pdf-then-html.pdf", b"%PDF-1.4\n" + HTML, "ไม่ใช่ PDF ที่ถูกต้อง"),
    ("html-after-eof.pdf", GOOD_PDF + HTML, "เนื้อหาอื่นปนอยู่"),
    (
        "javascript.pdf",
        pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>", *PAGES),
        "JavaScript",
    ),
    (
        "hidden-javascript.pdf",  # the name written with a hex escape, and the script in its own object
        pdf(
            b"<< /Type /Catalog /Pages 2 0 R /Names << /J#61vaScript 4 0 R >> >>", *PAGES, b"<< /Names [] >>"
        ),
        "JavaScript",
    ),
    (
        "launch.pdf",
        pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (cmd.exe) >> >>", *PAGES),
        "เปิดโปรแกรม",
    ),
    (
        "attached.pdf",
        pdf(b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [] >> >> >>", *PAGES),
        "ไฟล์อื่นแนบอยู่",
    ),
    (
        "open-action.pdf",
        pdf(
            b"<< /Type /Catalog /Pages 2 0 R /AA << /O 4 0 R >> >>", *PAGES, b"<< /S /GoTo /D [3 0 R /Fit] >>"
        ),
        "ทำงานบางอย่างเอง",
    ),
    ("polyglot.png", image("PNG") + HTML, "ต่อท้ายตัวภาพ"),
    ("polyglot.jpg", image("JPEG") + HTML, "ต่อท้ายตัวภาพ"),
    ("truncated.png", image("PNG")[:60], "ภาพเสียหาย"),
    ("gif-named.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "ภาพเสียหาย"),
    ("macros.docx", office({**DOCX, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "มาโคร"),
    (
        "docm-renamed.docx",
        office(
            {
                **DOCX,
                "[Content_Types].xml": CONTENT_TYPES.replace(
                    b"</Types>",
                    b'<Override PartName="/word/document.xml" '
                    b'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
                ),
            }
        ),
        "มาโคร",
    ),
    ("not-a-document.docx", office({"word/document.xml": b"<w:document/>"}), "ไม่ใช่ไฟล์ .docx จริง"),
    ("workbook-named.pptx", office(DOCX), "ไม่ใช่ไฟล์ .pptx จริง"),
    ("bomb.xlsx", None, "zip bomb"),
]


def evidence_url(answer):
    return reverse("evidence_add", args=[answer.assessment_id, answer.pk])


def first_answer(assessment) -> Answer:
    return assessment.answers.select_related("indicator").order_by("indicator__position").first()


@pytest.mark.parametrize(("name", "content", "reason"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_it_refuses_hostile_evidence_with_the_reason_in_thai(
    client_for, planner, cm_assessment, bomb, name, content, reason
):
    answer = first_answer(cm_assessment)
    client = client_for(planner)
    response = client.post(evidence_url(answer), {"file": SimpleUploadedFile(name, content or bomb)})
    page = reverse("assessment_detail", args=["TH-50", 2570])
    # Without JavaScript the browser ends on the assessment page, at the indicator, not on the POST address.
    assert response.status_code == 302
    assert response["Location"] == f"{page}#ind-{answer.indicator.code}"
    html = client.get(page).content.decode()
    shown = re.search(rf'id="evidence-error-{answer.pk}">(.*?)</div>', html, re.S)
    assert shown and reason in shown.group(1)  # the reason at the indicator's own form
    assert not Evidence.objects.exists()
    # Shown once: reloading the page does not repeat it.
    assert f'id="evidence-error-{answer.pk}"' not in client.get(page).content.decode()


def test_it_shows_the_refusal_in_the_fragment_with_htmx(client_for, planner, cm_assessment):
    answer = first_answer(cm_assessment)
    response = client_for(planner).post(
        evidence_url(answer),
        {"file": SimpleUploadedFile("polyglot.png", image("PNG") + HTML)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200  # htmx swaps 2xx only; the fragment carries the reason
    html = response.content.decode()
    assert html.lstrip().startswith(f'<div class="mt-3" id="evidence-{answer.pk}"')  # the fragment only
    assert "ต่อท้ายตัวภาพ" in html and 'role="alert"' in html
    assert not Evidence.objects.exists()


GOOD = [
    ("report.pdf", GOOD_PDF),
    ("exported.pdf", pypdf_pdf()),
    ("photo.png", image("PNG")),
    ("photo.jpg", image("JPEG")),
    ("photo.jpeg", image("JPEG")),
    ("minutes.docx", office(DOCX)),
    ("figures.xlsx", xlsx()),
]


@pytest.mark.parametrize(("name", "content"), GOOD, ids=[g[0] for g in GOOD])
def test_it_still_accepts_ordinary_evidence(client_for, planner, cm_assessment, name, content):
    answer = first_answer(cm_assessment)
    response = client_for(planner).post(evidence_url(answer), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302
    evidence = Evidence.objects.get(answer=answer)
    assert evidence.filename == name and evidence.size == len(content)


def test_it_adds_evidence_through_htmx_and_returns_the_updated_list(client_for, planner, cm_assessment):
    answer = first_answer(cm_assessment)
    response = client_for(planner).post(
        evidence_url(answer),
        {"file": SimpleUploadedFile("ภาพถ่าย.png", image("PNG"))},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "ภาพถ่าย.png" in response.content.decode() and "เพิ่มหลักฐานแล้ว" in response.content.decode()
    assert Evidence.objects.filter(answer=answer).count() == 1


def test_a_jpeg_may_carry_a_binary_trailer_such_as_a_motion_photo():
    """Phones append a second picture or a short video after a JPEG's end: that is not web page code."""
    check_evidence(image("JPEG") + b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8, ".jpg")
    check_evidence(image("JPEG") + image("JPEG"), ".jpg")
    with pytest.raises(Refused):
        check_evidence(image("JPEG") + b"\x00\x00\x00\x18ftyp" + HTML, ".jpg")
