"""The printed pages as a meeting sees them: laid out by WeasyPrint exactly as the PDF is, then measured —
which element sits on which page, and how far down each page its content reaches."""

from pathlib import Path

import pytest
from django.conf import settings
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from briefings.document import document
from briefings.print_text import thai_for_pdf
from briefings.rendering import SafeURLFetcher, document_html
from briefings.spec import BriefingSpec

pytestmark = pytest.mark.django_db


def _pages(spec: BriefingSpec, viewer):
    doc = document(spec, viewer=viewer)
    static = (Path(settings.BASE_DIR) / "static").resolve()
    rendered = HTML(
        string=thai_for_pdf(document_html(doc)), base_url=static.as_uri() + "/", url_fetcher=SafeURLFetcher()
    ).render(font_config=FontConfiguration())
    pages = []
    for page in rendered.pages:
        root = page._page_box.children[0]  # the document's boxes; the others are the running header/footer
        ids, bottom = set(), root.content_box_y()
        for box in root.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id"):
                ids.add(element.get("id"))
            if box.children == [] or not hasattr(box, "children"):
                bottom = max(bottom, box.position_y + box.margin_height())
        top, height = page._page_box.content_box_y(), page._page_box.height
        pages.append({"ids": ids, "fill": (bottom - top) / height})
    return doc, pages


def test_it_never_leaves_a_province_alone_on_a_page(cluster_filled, secretariat):
    _, pages = _pages(BriefingSpec(kind="cluster", subject="N-UP1", fiscal_year=2570), secretariat)
    profiles = [{i for i in p["ids"] if i.startswith("prov-")} for p in pages]
    assert sum(len(p) for p in profiles) == 4  # the cluster's four members, each once
    assert all(len(p) != 1 for p in profiles), [sorted(p) for p in profiles if p]


@pytest.mark.parametrize(("kind", "subject"), [("cluster", "N-UP1"), ("national", "TH")])
def test_it_leaves_no_page_half_empty_but_the_summary_and_the_last(kind, subject, cluster_filled, advisor):
    doc, pages = _pages(BriefingSpec(kind=kind, subject=subject, fiscal_year=2570), advisor)
    summary = next(s.anchor for s in doc.sections if s.key == "summary")
    # The cover and the contents are pages of their own, as is the executive summary; the last page ends
    # wherever the document does.
    judged = [(n, p) for n, p in enumerate(pages[:-1], 1) if n > 2 and summary not in p["ids"]]
    assert judged
    half_empty = [(n, round(p["fill"], 2)) for n, p in judged if p["fill"] < 0.5]
    assert not half_empty, half_empty
