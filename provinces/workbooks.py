"""Reading uploaded Excel workbooks, shared by the two imports (readiness/workbook_upload.py: a province's assessment;
strategies/importing.py: strategies and projects). Each import decides which rows it keeps and how many; this
module only opens the file safely — after uploads.check_workbook, so that a zip bomb or a macro workbook is
refused before openpyxl inflates anything — and turns whatever openpyxl raises into one message a planner can
act on."""

import io

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .text import without_nul
from .uploads import Refused, check_workbook

# Values a spreadsheet may read as a formula (or a DDE command) when they start a cell.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")

# One row's cells present in the file: column (1-based) → (value, whether the cell holds a formula).
Cells = dict[int, tuple[object, bool]]


class Unreadable(Refused):
    """The upload cannot be read at all; ``message`` says why, in the user's language."""


def safe_text(value: object) -> str:
    """Text for a cell (XLSX or CSV) that no spreadsheet will run: control characters that XLSX cannot hold
    are dropped and a value that starts like a formula (=, +, -, @, tab, CR) gets a leading apostrophe."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text.startswith(FORMULA_PREFIXES) or text.startswith("'"):
        return "'" + text
    return text


def cell_text(value: object) -> str:
    """A cell as text: trimmed, NUL characters removed, whole numbers without a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return without_nul(str(value)).strip()


def read_workbook(content: bytes, *, max_rows: int, too_many: str) -> dict[str, list[tuple[int, Cells]]]:
    """Every sheet by title (empty ones too, so that a missing sheet can be told from an empty one) → its rows
    that have at least one cell, as (row number, cells). More than max_rows in a sheet raises Unreadable with
    the caller's message ``too_many``, before the rest of an oversized file is read.

    Formulas stay formulas (data_only=False) so that the imports can refuse them."""
    try:
        check_workbook(content)
    except Refused as exc:
        raise Unreadable(exc.message) from None
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on a damaged or foreign workbook
        raise Unreadable(
            _("The workbook could not be read. Save it again as an Excel workbook (.xlsx).")
        ) from None
    sheets: dict[str, list[tuple[int, Cells]]] = {}
    try:
        for worksheet in workbook.worksheets:
            # A stored dimension may claim far more cells than there are; read only the cells present.
            worksheet.reset_dimensions()
            rows: list[tuple[int, Cells]] = []
            for position, cells in enumerate(worksheet.iter_rows(), start=1):
                number, values = position, {}
                for index, cell in enumerate(cells, start=1):
                    if cell.value is None:
                        continue
                    number = getattr(cell, "row", None) or number
                    values[getattr(cell, "column", None) or index] = (cell.value, cell.data_type == "f")
                if values:
                    rows.append((number, values))
                    if len(rows) > max_rows:
                        raise Unreadable(too_many)
            sheets[worksheet.title] = rows
    except Unreadable:
        raise
    except Exception:
        raise Unreadable(
            _("The workbook could not be read. Save it again as an Excel workbook (.xlsx).")
        ) from None
    finally:
        workbook.close()
    return sheets
