"""The URL fetcher serves only the Thai font folder and the project's static/ folder: no other file, no
network, no data: URLs — and a document that asks for more still renders, without them."""

from pathlib import Path

import pytest
from django.conf import settings

from briefings.rendering import RefusedURL, SafeURLFetcher, html_to_pdf

FONT = Path(settings.THAI_FONT_DIR) / "Sarabun-Regular.ttf"
STATIC_FILE = Path(settings.BASE_DIR) / "static" / "img" / "favicon.svg"


def outside_files(opened: list[str]) -> list[str]:
    roots = [str(Path(settings.THAI_FONT_DIR).resolve()), str((Path(settings.BASE_DIR) / "static").resolve())]
    return [p for p in opened if not any(str(Path(p).resolve()).startswith(r) for r in roots)]


def test_it_serves_the_thai_font_and_static_files():
    fetcher = SafeURLFetcher()
    font = fetcher.fetch(FONT.as_uri())
    assert font.read()[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")
    assert fetcher.fetch(STATIC_FILE.as_uri()).read().lstrip().startswith(b"<")
    assert fetcher.served == [str(FONT.resolve()), str(STATIC_FILE.resolve())]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/x.css",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.com/x",
        "file://example.com/etc/passwd",
        (Path(settings.BASE_DIR) / "static" / ".." / "manage.py").as_uri(),  # .. out of static/
        (Path(settings.BASE_DIR) / "manage.py").as_uri(),  # in the project, outside static/
        (Path(settings.BASE_DIR) / "var" / "db.sqlite3").as_uri(),
        (Path(settings.THAI_FONT_DIR) / "no-such-font.ttf").as_uri(),
        "/etc/passwd",
        "passwd",
    ],
)
def test_it_refuses_everything_else_and_reads_nothing(url, opened_files, network_attempts):
    fetcher = SafeURLFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url] and fetcher.served == []
    assert opened_files == [] and network_attempts == []


def test_it_refuses_a_link_inside_an_allowed_folder_that_points_outside(tmp_path, opened_files):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    root = tmp_path / "static"
    root.mkdir()
    (root / "innocent.css").symlink_to(secret)
    fetcher = SafeURLFetcher(roots=[root])
    with pytest.raises(RefusedURL):
        fetcher.fetch((root / "innocent.css").as_uri())
    assert opened_files == []


def test_it_renders_a_document_that_asks_for_forbidden_things_without_fetching_them(
    tmp_path, opened_files, network_attempts
):
    outside = tmp_path / "outside.css"
    outside.write_text("body { color: red }")
    html = f"""<html><head>
      <link rel="stylesheet" href="{outside.as_uri()}">
      <link rel="stylesheet" href="http://example.com/style.css">
      <style>@import url("file:///etc/passwd"); @font-face {{ font-family: X; src: url("{FONT.as_uri()}") }}
        p {{ font-family: X; background: url(http://example.com/bg.png) }}</style></head>
      <body><p>ทดสอบ</p><img src="file:///etc/passwd"><img src="http://example.com/x.png">
      <img src="data:image/png;base64,iVBORw0KGgo="><object data="file:///etc/hostname"></object></body></html>"""
    fetcher = SafeURLFetcher()
    pdf, pages = html_to_pdf(html, fetcher=fetcher)
    assert pdf.startswith(b"%PDF-") and pages == 1
    assert "file:///etc/passwd" in fetcher.refused
    assert "http://example.com/x.png" in fetcher.refused and outside.as_uri() in fetcher.refused
    assert fetcher.served == [str(FONT.resolve())]
    assert network_attempts == []
    assert outside_files(opened_files) == []  # nothing outside the font and static folders was opened
