"""In a real browser: log in as a planner, open the province page, switch to English and back.

Screenshots land in var/screenshots/ to be looked at: Thai must render in Sarabun, the project's font.
"""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"


def _login(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_it_logs_in_a_planner_and_switches_language(page, live_server, planner):
    SHOTS.mkdir(parents=True, exist_ok=True)
    _login(page, live_server, "planner_cm", "pw-planner_cm")
    page.wait_for_url(f"{live_server.url}/provinces/TH-50/")
    assert page.locator("h1").inner_text() == "จังหวัดเชียงใหม่"
    assert page.locator("html").get_attribute("lang") == "th"

    # The Thai font is the project's Sarabun, loaded from our own static files.
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px Sarabun', 'เชียงใหม่')")
    assert "Sarabun" in page.evaluate("getComputedStyle(document.body).fontFamily")
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.family.replace(/\"/g,'') === 'Sarabun' && f.status === 'loaded').length"
    )
    assert loaded >= 1
    page.screenshot(path=str(SHOTS / "province_th.png"), full_page=True)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Chiang Mai"
    assert page.get_by_role("button", name="Log out").is_visible()
    page.screenshot(path=str(SHOTS / "province_en.png"), full_page=True)

    page.get_by_role("button", name="ภาษาไทย").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.get_by_role("button", name="ออกจากระบบ").is_visible()
