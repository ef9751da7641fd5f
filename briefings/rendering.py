"""Turning a briefing into a PDF with WeasyPrint: HTML from Django templates, fonts from the project.

Safety: WeasyPrint fetches what a document refers to (images, stylesheets, fonts). User text is escaped by
the templates, so it cannot add references; and whatever the document does refer to goes through
SafeURLFetcher, which serves only files inside the Thai font folder (settings.THAI_FONT_DIR) and the
project's static/ folder, and refuses everything else — other files, http(s), data:, any other scheme.

Speed: the charts are drawn once per document (sections.py); fonts are subset (WeasyPrint does it with
HarfBuzz when libharfbuzz-subset is installed), and only the three Sarabun faces the document uses are
declared. Progress is reported through a callback at each step, for the job page.
"""

import logging
import mimetypes
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from provinces.maps import MAP_ATTRIBUTION

from . import docx, print_text
from .document import Document, document
from .print_text import thai_for_pdf
from .printed_charts import collect
from .spec import BriefingSpec

logger = logging.getLogger(__name__)

# Thai line breaks from the project's dictionary, and a text layer that reads as written (print_text.py).
print_text.install()

Progress = Callable[[str, int], None]

# The faces the print stylesheet declares: (weight, style) → file in settings.THAI_FONT_DIR.
FONT_FACES = [
    (400, "normal", "Sarabun-Regular.ttf"),
    (700, "normal", "Sarabun-Bold.ttf"),
    (400, "italic", "Sarabun-Italic.ttf"),
]


class RefusedURL(ValueError):
    """The document referred to something the fetcher does not serve."""


def allowed_roots() -> list[Path]:
    """The only folders a briefing may read from: the Thai font and the project's own static files."""
    return [Path(settings.THAI_FONT_DIR).resolve(), (Path(settings.BASE_DIR) / "static").resolve()]


class SafeURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that reads only files inside ``roots`` — nothing else, ever.

    ``file://`` URLs are served when the resolved path (symbolic links followed, ``..`` removed) is a file
    inside one of the roots; every other URL — other files, ``http(s)://``, ``data:``, ``ftp:`` … — raises
    RefusedURL, which WeasyPrint logs and skips (the image or font is simply missing). ``served`` and
    ``refused`` record what was asked, for tests and the log.
    """

    def __init__(self, roots: list[Path] | None = None, extra: dict[str, tuple[bytes, str]] | None = None):
        super().__init__(allowed_protocols=("file",), fail_on_errors=False)
        self.roots = [Path(r).resolve() for r in (roots or allowed_roots())]
        # Exact URLs served from memory (the cover logo, read from private storage): nothing else matches.
        self.extra = dict(extra or {})
        self.served: list[str] = []
        self.refused: list[str] = []

    def _refuse(self, url: str, why: str) -> NoReturn:
        self.refused.append(url)
        logger.warning("Briefing refused to fetch %.200s (%s)", url, why)
        raise RefusedURL(f"not served: {url[:200]} ({why})")

    def path_for(self, url: str) -> Path | None:
        """The file a URL names if the fetcher may serve it, else None. Reads nothing."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(unquote(parts.path)).resolve()
        except (OSError, ValueError):
            return None
        if not any(path.is_relative_to(root) for root in self.roots):
            return None
        return path if path.is_file() else None

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url in self.extra:
            content, content_type = self.extra[url]
            self.served.append(url)
            return URLFetcherResponse(url, content, {"Content-Type": content_type})
        scheme = urlsplit(url).scheme.lower()
        if scheme != "file":
            self._refuse(url, f"scheme {scheme or 'none'}")
        path = self.path_for(url)
        if path is None:
            self._refuse(url, "outside the font and static folders")
        self.served.append(str(path))
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


@dataclass
class RenderedPdf:
    pdf: bytes
    pages: int
    is_draft: bool
    seconds: float

    @property
    def content(self) -> bytes:
        return self.pdf


@dataclass
class RenderedDocx:
    docx: bytes
    is_draft: bool
    seconds: float
    pages: int = 0  # Word paginates when it opens the document

    @property
    def content(self) -> bytes:
        return self.docx


def _font_faces() -> list[dict]:
    folder = Path(settings.THAI_FONT_DIR)
    return [{"weight": w, "style": s, "url": (folder / name).as_uri()} for w, s, name in FONT_FACES]


# The URL under which the cover logo is served to WeasyPrint (SafeURLFetcher.extra): never a real file.
LOGO_URL = "file:///briefing-cover-logo"


@dataclass
class Logo:
    content: bytes
    content_type: str


def cover_logo() -> Logo | None:
    """The administrator's logo for the cover, read from private storage; None when there is none, or
    when its file is missing or no longer passes the upload check (the cover is then printed without)."""
    from .logos import LogoRefused, check_logo
    from .selectors import cover_logo as newest

    logo = newest()
    if logo is None:
        return None
    try:
        with logo.image.open("rb") as handle:
            content = handle.read(MAX_LOGO_READ)
        content_type = check_logo(content)
    except (OSError, LogoRefused):
        logger.warning("The briefing logo %s cannot be printed; the cover is printed without it.", logo.pk)
        return None
    return Logo(content, content_type)


MAX_LOGO_READ = 2 * 1024 * 1024 + 1


def document_html(doc: Document, *, logo: Logo | None = None) -> str:
    """The print HTML of a document, in its language (with ``logo`` on the cover, served as LOGO_URL)."""
    with translation.override(doc.spec.language):
        return render_to_string(
            "briefings/pdf/document.html",
            {
                "doc": doc,
                "meeting": doc.spec.meeting,
                "logo_url": LOGO_URL if logo else "",
                "font_faces": _font_faces(),
                "map_attribution": MAP_ATTRIBUTION if doc.shows_map else "",
                "language": doc.spec.language,
            },
        )


def html_to_pdf(html: str, *, fetcher: SafeURLFetcher | None = None, progress: Progress | None = None):
    """Lay out and write the PDF; returns (pdf bytes, page count)."""
    progress = progress or (lambda step, percent: None)
    fetcher = fetcher or SafeURLFetcher()
    static = (Path(settings.BASE_DIR) / "static").resolve()
    progress(_("Laying out the pages"), 40)
    rendered = HTML(string=thai_for_pdf(html), base_url=static.as_uri() + "/", url_fetcher=fetcher).render(
        font_config=FontConfiguration()
    )
    progress(_("Writing the PDF"), 80)
    return rendered.write_pdf(), len(rendered.pages)


def briefing_pdf(spec: BriefingSpec, *, viewer: User, progress: Progress | None = None) -> RenderedPdf:
    """The whole pipeline — gather, build, HTML, PDF — used by the background job and the command line.
    The document shows what ``viewer`` may see (gather.py)."""
    progress = progress or (lambda step, percent: None)
    started = time.perf_counter()
    progress(_("Gathering the data and drawing the charts"), 10)
    doc = document(spec, viewer=viewer)
    logo = cover_logo()
    html = document_html(doc, logo=logo)
    fetcher = SafeURLFetcher(extra={LOGO_URL: (logo.content, logo.content_type)} if logo else None)
    pdf, pages = html_to_pdf(html, fetcher=fetcher, progress=progress)
    return RenderedPdf(pdf=pdf, pages=pages, is_draft=doc.is_draft, seconds=time.perf_counter() - started)


def briefing_docx(spec: BriefingSpec, *, viewer: User, progress: Progress | None = None) -> RenderedDocx:
    """The same briefing as an editable Word document: the same gathering, the same print HTML (so the same
    sections and words for this viewer), written as Word structures by docx.py."""
    progress = progress or (lambda step, percent: None)
    started = time.perf_counter()
    progress(_("Gathering the data and drawing the charts"), 10)
    with collect() as charts:
        doc = document(spec, viewer=viewer)
        logo = cover_logo()
        html = document_html(doc, logo=logo)
    progress(_("Writing the Word document"), 60)
    with translation.override(spec.language):
        header = f"{doc.subject_name} · " + _("FY %(year)s") % {"year": doc.round.fiscal_year}
        if doc.is_draft:
            header += " · " + _("DRAFT")
        if spec.meeting.classification:
            header = f"{spec.meeting.classification_label} · {header}"
        data = docx.html_to_docx(
            html, charts=charts, header=header, page_label=_("Page"), logo=logo.content if logo else None
        )
    return RenderedDocx(docx=data, is_draft=doc.is_draft, seconds=time.perf_counter() - started)


def briefing_file(spec: BriefingSpec, *, file_format: str, viewer: User, progress: Progress | None = None):
    """The briefing in the asked format (BriefingFormat value)."""
    if file_format == "docx":
        return briefing_docx(spec, viewer=viewer, progress=progress)
    return briefing_pdf(spec, viewer=viewer, progress=progress)
