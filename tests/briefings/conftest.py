"""Briefing fixtures: filled assessments of the planner's cluster, ready-made jobs, PDF text, and spies that
record every file Python opens and every network connection attempted while a test renders."""

import io
import os
import socket
import sys
import unicodedata

import pytest
from django.core.files.base import ContentFile

from briefings.access import audience_of, subject_for_user
from briefings.choices import BriefingStatus
from briefings.models import Briefing
from tests.readiness.conftest import (
    fill,
    filler,  # noqa: F401 — the fixture, for the tests of this folder
)

N_UP1 = ["TH-50", "TH-51", "TH-52", "TH-58"]  # Chiang Mai, Lamphun, Lampang, Mae Hong Son
N_UP1_TH = ["เชียงใหม่", "ลำพูน", "ลำปาง", "แม่ฮ่องสอน"]

# --- spies ------------------------------------------------------------------------------------------

_opened: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if event != "open" or _opened is None or not isinstance(args[0], str | bytes):
        return
    path, mode, flags = args
    writing = any(c in mode for c in "wax+") if mode else bool(flags & (os.O_WRONLY | os.O_RDWR))
    if not writing:  # files read (WeasyPrint writes fetched fonts to a temporary file for fontconfig)
        _opened.append(path.decode() if isinstance(path, bytes) else path)


sys.addaudithook(_audit)  # audit hooks cannot be removed: it records only while a test asks


@pytest.fixture
def opened_files():
    """Every path Python opens for reading during the test (the 'open' audit event)."""
    global _opened
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


@pytest.fixture
def network_attempts(monkeypatch):
    """Every network connection attempted during the test; each one fails."""
    attempts: list = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


# --- data -------------------------------------------------------------------------------------------


def level(value):
    return lambda i, ind: value


@pytest.fixture
def cluster_filled(round_2569, round_2570, advisor):
    """N-UP1 in FY 2569 (approved, all) and FY 2570: one approved, the others in the workflow."""
    for code in N_UP1:
        fill(code, round_2569, level_for=level(2), status="approved", by=advisor)
    fill("TH-58", round_2570, level_for=level(4), status="approved", by=advisor)
    fill("TH-50", round_2570, level_for=level(3), status="draft")
    fill("TH-51", round_2570, level_for=level(5), status="submitted")
    fill("TH-52", round_2570, level_for=level(1), status="returned")
    return round_2570


@pytest.fixture
def make_briefing(planner):
    """make_briefing(kind=..., subject=..., status=..., **fields) → a job row; done ones get a small PDF."""

    def make(kind="cluster", subject="N-UP1", status=BriefingStatus.DONE, **fields):
        fields.setdefault("fiscal_year", 2570)
        fields.setdefault("requested_by", planner)
        target = subject_for_user(fields["requested_by"], kind, subject)
        fields.setdefault("audience", audience_of(fields["requested_by"], target) if target else "")
        if status == BriefingStatus.FAILED:
            fields.setdefault("error", "It broke.")
        briefing = Briefing(kind=kind, subject=subject, status=status, **fields)
        if status == BriefingStatus.DONE:
            briefing.file.save("x.pdf", ContentFile(b"%PDF-1.7 test briefing"), save=False)
            briefing.pages = 1
        briefing.save()
        return briefing

    return make


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, NFKC-normalised (SARA AM is printed decomposed: see rendering.thai_for_pdf)."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return unicodedata.normalize("NFKC", text)


def docx_text(content: bytes) -> str:
    """Every paragraph, table cell, header and footer of a Word document, NFKC-normalised."""
    from docx import Document

    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return unicodedata.normalize("NFKC", "\n".join(parts))


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """NFKC without any whitespace: pypdf inserts spaces where Thai marks are offset, and wraps lines."""
    return "".join(nfkc(text).split())
