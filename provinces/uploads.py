"""Checks every uploaded file passes before anything parses it or stores it.

A workbook (the assessment and strategies imports) and an evidence file are checked on their structure, not
on their first bytes: a zip archive by its directory alone (entry count, unpacked size, compression ratio —
nothing is inflated, so a zip bomb costs nothing), a PDF by a full parse with pypdf, an image by Pillow and
a walk to its end marker. Active content (macros, JavaScript, launch actions, embedded files, web page code
hidden in or after an image) is refused. Every refusal says why, in the user's language.

The two imports then report each problem they find in a file's content as a FileProblem (file or sheet, row,
column, reason).
"""

import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from .text import NUL_BYTE

MAX_ZIP_ENTRIES = 2_000  # a workbook has a few dozen parts, a long slide deck a few hundred
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# A part may be compressed at most this many times (above a small size): ordinary XML compresses 5–30×,
# a bomb thousands of times. Apache POI uses the same bound.
MAX_RATIO = 100
RATIO_FREE_BYTES = 1024 * 1024
MAX_PDF_OBJECTS = 500_000  # dictionaries and arrays; bounds the time a hostile file can take

# Web page code that makes a file a polyglot (an image or PDF that is also a page).
MARKUP = re.compile(rb"<\s*(?:script|html|iframe|body|object|embed|svg)[\s/>]", re.IGNORECASE)
BLANK = b" \t\r\n\f" + NUL_BYTE


@dataclass(frozen=True)
class FileProblem:
    """One problem found in an uploaded file (the assessment workbook, a strategies import): where — the file
    or sheet (``source``), the row as a spreadsheet shows it, the column — and why, in the user's language,
    with the offending value as shown. Row 0 means the whole file or sheet; an empty column, the whole row."""

    source: str
    row: int
    column: str
    message: str
    value: str = ""

    @property
    def sheet(self) -> str:
        """The source, named as a workbook's sheet (the assessment upload's report)."""
        return self.source

    def __str__(self) -> str:
        if self.row and self.column:
            return _("%(source)s, row %(row)s, column %(column)s: %(message)s") % self._parts()
        if self.row:
            return _("%(source)s, row %(row)s: %(message)s") % self._parts()
        if self.column:
            return _("%(source)s, column %(column)s: %(message)s") % self._parts()
        return f"{self.source}: {self.message}" if self.source else self.message

    def _parts(self) -> dict:
        return {"source": self.source, "row": self.row, "column": self.column, "message": self.message}


def in_file_order(problems: list[FileProblem]) -> list[FileProblem]:
    """The problems file by file or sheet by sheet (in the order first named), row by row."""
    order = {source: i for i, source in enumerate(dict.fromkeys(problem.source for problem in problems))}
    return sorted(problems, key=lambda problem: (order[problem.source], problem.row))


class Refused(Exception):
    """The file is refused; ``message`` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- zip archives (Office documents, workbooks) -----------------------------------------------


def zip_members(content: bytes, *, damaged: str) -> list[zipfile.ZipInfo]:
    """The archive's entries, read from its directory only. Raises Refused (``damaged`` when it is no zip)
    if it has too many entries, unpacks too large or any entry is compressed like a bomb."""
    if not content.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(io.BytesIO(content)):
        raise Refused(damaged)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Refused(damaged) from None
    if not members:
        raise Refused(damaged)
    if len(members) > MAX_ZIP_ENTRIES:
        raise Refused(
            _("The file has too many parts (%(count)s) to be an ordinary document or workbook.")
            % {"count": len(members)}
        )
    for member in members:
        if member.file_size > RATIO_FREE_BYTES and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise Refused(
                _(
                    "The file is compressed far more than a real document (a “zip bomb”), so it was not opened."
                )
            )
    # zipfile never yields more than an entry's declared size, so the directory is a safe bound.
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise Refused(
            _("The file is too large once unpacked (more than %(mb)s MB).")
            % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    return members


def _read_member(content: bytes, name: str, *, damaged: str, limit: int = RATIO_FREE_BYTES) -> bytes:
    """The start of one small entry (an archive already through zip_members)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive, archive.open(name) as handle:
            return handle.read(limit)
    except Exception:  # a damaged, encrypted or oddly compressed entry
        raise Refused(damaged) from None


def office_macros(content: bytes, names: list[str], *, damaged: str) -> bool:
    """Whether an Office Open XML or OpenDocument archive carries macros or ActiveX controls."""
    lower = [n.lower() for n in names]
    if any("vbaproject" in n or "/activex/" in n or n.startswith(("basic/", "scripts/")) for n in lower):
        return True
    if "[content_types].xml" in lower:
        types = _read_member(content, names[lower.index("[content_types].xml")], damaged=damaged)
        return b"macroenabled" in types.lower() or b"vbaproject" in types.lower()
    return False


def _macros() -> str:
    return _(
        "Files with macros or ActiveX controls are not accepted. "
        "Save the file without macros (.docx, .xlsx, .pptx) and attach it again."
    )


def check_workbook(content: bytes) -> None:
    """An .xlsx upload, before openpyxl reads it: its size (the WORKBOOK_MAX_BYTES setting), its zip
    structure (no bomb) and no macros."""
    max_bytes = settings.WORKBOOK_MAX_BYTES
    if len(content) > max_bytes:
        raise Refused(_("The file is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)})
    damaged = _("This is not a valid .xlsx file: an Excel workbook is a zip archive.")
    names = [m.filename for m in zip_members(content, damaged=damaged)]
    if office_macros(content, names, damaged=damaged):
        raise Refused(_("Workbooks with macros (.xlsm) are not accepted. Save the file as .xlsx."))
    lower = {n.lower() for n in names}
    if "[content_types].xml" not in lower or "xl/workbook.xml" not in lower:
        raise Refused(_("The workbook could not be read. Save it again as an Excel workbook (.xlsx)."))


# Which part proves an archive is the document its name claims.
OFFICE_PARTS = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml",
}
OPENDOCUMENT_TYPES = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
}


def _not_really(extension: str) -> str:
    return _(
        "The file is damaged or is not really a %(ext)s file. Save it again and attach the new file."
    ) % {"ext": extension}


def check_office(content: bytes, extension: str) -> None:
    """A .docx/.xlsx/.pptx or .odt/.ods: a sound archive of that kind, without macros."""
    damaged = _not_really(extension)
    names = [m.filename for m in zip_members(content, damaged=damaged)]
    lower = {n.lower() for n in names}
    if office_macros(content, names, damaged=damaged):
        raise Refused(_macros())
    if extension in OFFICE_PARTS:
        if "[content_types].xml" not in lower or OFFICE_PARTS[extension] not in lower:
            raise Refused(damaged)
    elif (
        "mimetype" not in names
        or _read_member(content, "mimetype", damaged=damaged, limit=200).strip()
        != OPENDOCUMENT_TYPES[extension]
    ):
        raise Refused(damaged)


def check_legacy_office(content: bytes, extension: str) -> None:
    """A .doc/.xls/.ppt (an OLE compound file): Word and Excel keep their macros in a _VBA_PROJECT stream."""
    if not content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise Refused(_not_really(extension))
    if "_VBA_PROJECT".encode("utf-16-le") in content:
        raise Refused(_macros())


# --- PDF ----------------------------------------------------------------------------------------

# Names whose presence anywhere in a PDF (as a key or a value) means content that runs or opens something.
PDF_SCRIPT = {"/JavaScript", "/JS", "/XFA", "/RichMedia"}
PDF_LAUNCH = {"/Launch", "/ImportData", "/SubmitForm", "/GoToE"}
PDF_EMBEDDED = {"/EmbeddedFile", "/EmbeddedFiles"}
PDF_AUTOMATIC = {"/AA"}


def _resave_pdf(reason: str) -> str:
    return reason + " " + _("Print or export it again as a plain PDF and attach the new file.")


def _pdf_active(name: str) -> str | None:
    if name in PDF_SCRIPT:
        return _("The PDF contains JavaScript or scripted forms, which are not accepted.")
    if name in PDF_LAUNCH:
        return _(
            "The PDF contains an action that opens programs, files or sends data, which is not accepted."
        )
    if name in PDF_EMBEDDED:
        return _("The PDF contains attached files, which are not accepted. Attach each file on its own.")
    if name in PDF_AUTOMATIC:
        return _("The PDF runs actions by itself when it is opened, which is not accepted.")
    return None


CONTAINERS = (DictionaryObject, ArrayObject, NameObject)


def _pdf_objects(reader: PdfReader):
    """The trailer and every object the file's cross-reference lists (indirect references inside them are
    not followed: the referenced objects come up on their own)."""
    yield reader.trailer
    numbers = [(n, g) for g, ns in reader.xref.items() for n in ns] + [(n, 0) for n in reader.xref_objStm]
    for number, generation in numbers:
        if number:  # object 0 heads the free list
            item = reader.get_object(IndirectObject(number, generation, reader))
            if isinstance(item, CONTAINERS):
                yield item


def check_pdf(content: bytes) -> None:
    """A PDF that parses, has pages, ends at its last %%EOF and contains no active content."""
    damaged = _resave_pdf(_("The file is not a valid PDF or it is damaged."))
    if not content.startswith(b"%PDF-"):
        raise Refused(damaged)
    end = content.rfind(b"%%EOF")
    if end < 0:
        raise Refused(damaged)
    if content[end + 5 :].strip(BLANK) or MARKUP.search(content):
        raise Refused(
            _resave_pdf(_("The file has other content (such as web page code) besides the PDF itself."))
        )
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
    except Exception:  # pypdf raises many kinds on a damaged or hostile file
        raise Refused(damaged) from None
    if reader.is_encrypted:
        try:
            opened = bool(reader.decrypt(""))  # PasswordType.NOT_DECRYPTED is 0
        except Exception:  # AES needs a crypto package we do not install; a password we do not have
            opened = False
        if not opened:
            raise Refused(
                _("Password-protected PDFs cannot be checked. Remove the password and attach it again.")
            )
    try:
        if len(reader.pages) == 0:
            raise Refused(damaged)
        seen = 0
        for root in _pdf_objects(reader):
            stack = [root]
            while stack:
                item = stack.pop()
                if isinstance(item, NameObject):
                    if reason := _pdf_active(str(item)):
                        raise Refused(_resave_pdf(reason))
                    continue
                seen += 1
                if seen > MAX_PDF_OBJECTS:
                    raise Refused(damaged)
                if isinstance(item, DictionaryObject):
                    for key, value in item.items():
                        if reason := _pdf_active(str(key)):
                            raise Refused(_resave_pdf(reason))
                        if isinstance(value, CONTAINERS):
                            stack.append(value)
                else:
                    stack.extend(value for value in item if isinstance(value, CONTAINERS))
    except Refused:
        raise
    except Exception:  # pypdf raises many kinds on a damaged or hostile file
        raise Refused(damaged) from None


# --- images -------------------------------------------------------------------------------------


def _png_end(content: bytes) -> int | None:
    """Where a PNG ends (after its IEND chunk), or None if the chunks run past the data."""
    position = 8
    while position + 12 <= len(content):
        length = int.from_bytes(content[position : position + 4], "big")
        kind = content[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IEND":
            return position if position <= len(content) else None
    return None


def _jpeg_end(content: bytes) -> int | None:
    """Where a JPEG ends (after its EOI marker); the data's end if it has none; None if it is malformed."""
    position, size = 2, len(content)
    while position + 1 < size:
        if content[position] != 0xFF:
            return None
        marker = content[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
        elif marker == 0xD9:
            return position + 2
        elif marker == 0x01 or 0xD0 <= marker <= 0xD7:
            position += 2
        else:
            if position + 4 > size:
                return None
            position += 2 + int.from_bytes(content[position + 2 : position + 4], "big")
            if marker == 0xDA:  # entropy-coded data: skip to the next real marker
                while True:
                    position = content.find(b"\xff", position)
                    if position < 0 or position + 1 >= size:
                        return size
                    following = content[position + 1]
                    if following == 0x00 or 0xD0 <= following <= 0xD7:
                        position += 2
                    elif following == 0xFF:
                        position += 1
                    else:
                        break
    return size


IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}


def check_image(content: bytes, extension: str) -> None:
    """A PNG or JPEG that Pillow reads as that format, with nothing hidden after its end marker."""
    damaged = _(
        "The image is damaged or is not really a %(ext)s file. Save it again and attach the new file."
    ) % {"ext": extension}
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format != IMAGE_FORMATS[extension]:
                raise Refused(damaged)
            image.verify()
    except Refused:
        raise
    except Exception:  # Pillow raises many kinds (and DecompressionBombError) on a damaged or hostile file
        raise Refused(damaged) from None
    end = _png_end(content) if extension == ".png" else _jpeg_end(content)
    if end is None:
        raise Refused(damaged)
    trailer = content[end:]
    # Some phones append a second picture or a short video after a JPEG; text there is a page in disguise.
    hidden = trailer.strip(BLANK) if extension == ".png" else MARKUP.search(trailer)
    if hidden:
        raise Refused(
            _(
                "The image has other content after its end (such as web page code). Save it again and attach the new file."
            )
        )
    if MARKUP.search(content[:end]):
        raise Refused(
            _(
                "The image contains web page code, which is not accepted. Save it again and attach the new file."
            )
        )


# --- evidence -----------------------------------------------------------------------------------


def check_evidence(content: bytes, extension: str) -> None:
    """An evidence file of the given (accepted) extension. Raises Refused with the reason."""
    if extension == ".pdf":
        check_pdf(content)
    elif extension in IMAGE_FORMATS:
        check_image(content, extension)
    elif extension in (".doc", ".xls", ".ppt"):
        check_legacy_office(content, extension)
    else:
        check_office(content, extension)
