"""Turning a briefing into a PDF with WeasyPrint: HTML from Django templates, fonts from the project.

Safety: WeasyPrint fetches what a document refers to (images, stylesheets, fonts). User text is escaped by
the templates, so it cannot add references; and whatever the document does refer to goes through
SafeURLFetcher, which serves only files inside the Thai font folder (settings.THAI_FONT_DIR) and the
project's static/ folder, and refuses everything else — other files, http(s), data:, any other scheme.

Speed: the charts are drawn once per document (content.py); fonts are subset (WeasyPrint does it with
HarfBuzz when libharfbuzz-subset is installed), and only the three Sarabun faces the document uses are
declared. Progress is reported through a callback at each step, for the job page.
"""

import logging
import mimetypes
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
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

from .content import BriefingSpec, Document, document

logger = logging.getLogger(__name__)

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

    def __init__(self, roots: list[Path] | None = None):
        super().__init__(allowed_protocols=("file",), fail_on_errors=False)
        self.roots = [Path(r).resolve() for r in (roots or allowed_roots())]
        self.served: list[str] = []
        self.refused: list[str] = []

    def _refuse(self, url: str, why: str):
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
        scheme = urlsplit(url).scheme.lower()
        if scheme != "file":
            self._refuse(url, f"scheme {scheme or 'none'}")
        path = self.path_for(url)
        if path is None:
            self._refuse(url, "outside the font and static folders")
        self.served.append(str(path))
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


_SARA_AM = re.compile("([\u0e48-\u0e4b]?)\u0e33")  # an optional tone mark, then SARA AM (ำ)


def thai_for_pdf(text: str) -> str:
    """Write SARA AM (ำ) as NIKHAHIT + SARA AA, the nikhahit before a tone mark (ต่ำ → ต + ํ + ่ + า).

    That is exactly what HarfBuzz does when it shapes Thai, so the print is identical. But WeasyPrint maps
    each glyph of the PDF back to text by shaping clusters, and a decomposed SARA AM leaves the nikhahit
    mapped to nothing: copying or searching the PDF gives "ลาพูน" for ลำพูน, and once the shared SARA AA
    glyph is mapped to ำ, "ประชำคม" for ประชาคม. Decomposed up front, each glyph has its own character and
    the PDF's text reads ลําพูน — the same word (NFKC-equal to ลำพูน).
    """
    return _SARA_AM.sub(lambda m: "\u0e4d" + m[1] + "\u0e32", text)


@dataclass
class RenderedPdf:
    pdf: bytes
    pages: int
    is_draft: bool
    seconds: float


def _font_faces() -> list[dict]:
    folder = Path(settings.THAI_FONT_DIR)
    return [{"weight": w, "style": s, "url": (folder / name).as_uri()} for w, s, name in FONT_FACES]


def document_html(doc: Document) -> str:
    """The print HTML of a document, in its language."""
    with translation.override(doc.spec.language):
        return render_to_string(
            "briefings/pdf/document.html",
            {
                "doc": doc,
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
    The document shows what ``viewer`` may see (content.py)."""
    progress = progress or (lambda step, percent: None)
    started = time.perf_counter()
    progress(_("Gathering the data and drawing the charts"), 10)
    doc = document(spec, viewer=viewer)
    html = document_html(doc)
    pdf, pages = html_to_pdf(html, progress=progress)
    return RenderedPdf(pdf=pdf, pages=pages, is_draft=doc.is_draft, seconds=time.perf_counter() - started)
