"""In a real browser: an evidence file that is also a web page is refused with the reason at the indicator's
form — in place with htmx, and without JavaScript after a redirect back to the assessment page (not left on
the POST address); an ordinary picture is then attached."""

import io

import pytest
from PIL import Image

from tests.e2e.test_foundation_browser import _login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REASON = "ต่อท้ายตัวภาพ"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (30, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def _attach(page, name: str, content: bytes) -> None:
    card = page.locator("#ind-PL-01")
    card.locator("summary", has_text="แนบหลักฐาน").click()
    card.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "image/png", "buffer": content}
    )
    card.get_by_role("button", name="แนบ", exact=True).click()


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_it_refuses_a_polyglot_picture_at_its_form_and_then_attaches_a_real_one(
    browser, live_server, planner, round_2570, javascript
):
    from readiness import services
    from readiness.models import Evidence

    services.assessment_start(province=planner.scope.province, round=round_2570, by=planner)
    url = f"{live_server.url}/readiness/provinces/TH-50/2570/"
    page = browser.new_context(java_script_enabled=javascript).new_page()
    _login(page, live_server, "planner_cm", "pw-planner_cm")
    page.goto(url)

    _attach(page, "แผนที่.png", _png() + b"<html><script>alert(1)</script></html>")
    alert = page.locator("#ind-PL-01 [role=alert]", has_text=REASON)
    alert.wait_for()
    assert page.url.split("#")[0] == url  # on the assessment page, not on the evidence POST address
    assert not Evidence.objects.exists()

    page.locator("#ind-PL-01 input[type=file]").set_input_files(
        {"name": "แผนที่.png", "mimeType": "image/png", "buffer": _png()}
    )
    page.locator("#ind-PL-01").get_by_role("button", name="แนบ", exact=True).click()
    page.locator("#ind-PL-01 a", has_text="แผนที่.png").wait_for()
    assert page.url.split("#")[0] == url
    assert Evidence.objects.count() == 1
