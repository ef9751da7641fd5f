"""Hypothesis strategies for bad input: hostile text, numbers at and past the limits, wrong files.

Text that cannot travel in a request at all (lone surrogates: not encodable as UTF-8) is left out; every
other code point may appear, NUL included.
"""

import io
import zipfile

from hypothesis import strategies as st

# Spreadsheet formula prefixes (and the tab/CR/LF variants Excel also runs, or that hide one).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\t=", "\r=", " =", "'=")

THAI_STACKED = "ก" + "\u0e48\u0e49\u0e4a\u0e4b\u0e47\u0e4c\u0e31\u0e34" * 12  # tone marks piled on one base
SPECIMENS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 5,
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% debug %}",
    "%(count)s %s %d {0}",
    "' OR 1=1 --",
    "../../../etc/passwd",
    '=HYPERLINK("http://example.invalid","x")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",
    THAI_STACKED,
    "น้ำ่่่่่่่่่่",
    "ปฏิบัติการ\u0e33\u0e33",
    "๕",
    "๑๒๓๔",
    "\u202eevil\u202c.pdf",
    "مرحبا بالعالم",
    "שלום\u200f",
    "\u200b\u200c\u200d\ufeff",
    "👩‍👩‍👧‍👦🇹🇭",
    "Ａ１２３",  # full-width
    "line1\r\nline2\rline3\nline4",
    "\x01\x02\x07\x1b[31m",
    "N-UP1",
    "TH-50",
    "TH-50;TH-52",
    "n-up1",
]

BIG = ["A" * 100_000, "ก่" * 50_000, ("=1+1\t" * 20_000)]

# All code points but surrogates; control characters (NUL included) are welcome.
_any_char = st.characters(exclude_categories=["Cs"])
_thai_char = st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F)
_rtl_char = st.characters(min_codepoint=0x0590, max_codepoint=0x06FF)


@st.composite
def _prefixed(draw) -> str:
    return draw(st.sampled_from(FORMULA_PREFIXES)) + draw(st.text(_any_char, max_size=20))


@st.composite
def _mixed(draw) -> str:
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(SPECIMENS),
                st.text(_thai_char, max_size=15),
                st.text(_rtl_char, max_size=8),
                st.text(_any_char, max_size=15),
            ),
            min_size=1,
            max_size=4,
        )
    )
    return "".join(pieces)


def hostile_text(*, big: bool = True) -> st.SearchStrategy[str]:
    """Random and hostile strings; ``big`` adds 100 kB strings now and then."""
    options = [
        st.sampled_from(SPECIMENS),
        st.text(_any_char, max_size=40),
        st.text(_thai_char, min_size=1, max_size=40),
        _prefixed(),
        _mixed(),
    ]
    if big:
        options.append(st.sampled_from(BIG))
    return st.one_of(*options)


NUMBER_SPECIMENS = [
    "0", "-1", "6", "7", "5.0", " 5 ", "5.5", "๕", "๐", "１", "²", "1e3", "1e308", "-1e308", "NaN", "nan", "inf",
    "-Infinity", "0x10", "1_000", "1,500,000", "1,5", "1.500.000,00", "99999999999999999999999999",
    str(2**63), str(-(2**63) - 1), "2549", "2550", "2700", "2701", "2570.5", "๒๕๗๐", "1000000000000",
    "1000000000000.01", "999999999999.999", "-0.01", "0.001", "", " ", "\x005", "5\x00",
]  # fmt: skip


def number_text() -> st.SearchStrategy[str]:
    """Numbers as a browser or a script would send them: at, around and past every limit, and not numbers."""
    return st.one_of(
        st.sampled_from(NUMBER_SPECIMENS),
        st.integers(min_value=-10, max_value=10).map(str),
        st.integers(min_value=2540, max_value=2710).map(str),
        st.integers(min_value=-(2**80), max_value=2**80).map(str),
        st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
        st.floats().map(repr),
        hostile_text(big=False),
    )


def text_or_number() -> st.SearchStrategy[str]:
    return st.one_of(hostile_text(), number_text())


# --- files ----------------------------------------------------------------------------------------

PE_HEADER = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"This program cannot be run"
)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


FAKE_OFFICE = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
MACRO_BOOK = _zip({"xl/workbook.xml": b"<workbook/>", "xl/vbaProject.bin": b"\x00" * 64})
EMPTY_ZIP = _zip({})
CSV_BYTES = b"ref,owner,fiscal_year\nP-01,TH-50,2570\n"

WRONG_CONTENT = [
    b"",
    PE_HEADER,
    b"%PDF",  # only the magic
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type/Catalog>> endobj\ntrailer<<>>\n%%EOF",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff\xe0" + b"\x00" * 20,
    b"GIF89a" + b"\x00" * 10,
    b"<html><script>alert(1)</script></html>",
    b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a SYSTEM 'file:///etc/passwd'>]><x>&a;</x>",
    FAKE_OFFICE,
    MACRO_BOOK,
    EMPTY_ZIP,
    CSV_BYTES,
    "ไทย,ข้อมูล\n".encode("utf-16"),
    b"\x00" * 512,
    b"PK\x03\x04" + b"\x00" * 30,  # a zip header and nothing behind it
]

EXTENSIONS = [".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".xlsm", ".csv", ".exe", ".pdf.exe", ".exe.pdf",
              ".PDF", ".html", ".svg", "", ".", ".doc", ".xls", ".pptx", ".odt", ".ods"]  # fmt: skip

STEMS = ["หลักฐาน", "report", "../../etc/passwd", "a" * 300, "\u202efdp.exe", "con", ".hidden", "x\x00y",
         "<img src=x>", "ก่่่่่่่่", "=cmd|' /C calc'!A0", "file name with spaces", "🇹🇭", "a/b\\c"]  # fmt: skip


@st.composite
def upload_name(draw) -> str:
    return draw(st.one_of(st.sampled_from(STEMS), st.text(_any_char, min_size=1, max_size=30))) + draw(
        st.sampled_from(EXTENSIONS)
    )


def file_content(extra: list[bytes] = ()) -> st.SearchStrategy[bytes]:
    return st.one_of(st.sampled_from([*WRONG_CONTENT, *extra]), st.binary(max_size=2048))


# --- forms ----------------------------------------------------------------------------------------


@st.composite
def mutated(draw, good: dict, hostile: dict) -> dict:
    """A good submission with none, one, a few or all of its fields replaced by hostile values: one bad field
    at a time reaches each field's own check (and the save behind it), many at once the error summary."""
    keys = list(hostile)
    how = draw(st.sampled_from(["none", "one", "one", "one", "some", "all"]), label="how many bad fields")
    if how == "none":
        chosen = []
    elif how == "one":
        chosen = [draw(st.sampled_from(keys))]
    elif how == "some":
        chosen = draw(st.lists(st.sampled_from(keys), unique=True, min_size=2, max_size=min(4, len(keys))))
    else:
        chosen = keys
    payload = dict(good)
    for key in chosen:
        payload[key] = draw(hostile[key], label=key)
    return payload
