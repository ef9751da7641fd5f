"""In a real browser: the header's search box finds a Thai word inside a strategy's title, marked, and only
for the people who may open the strategy."""

import pytest

from tests.strategies.conftest import criteria, make_strategy  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(f"pw-{username}")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_load_state()


def _search(page, text):
    box = page.get_by_role("searchbox", name="ค้นหา").first
    box.fill(text)
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")


def test_it_finds_marks_and_opens_a_strategy_from_the_header(
    page,
    live_server,
    planner,
    planner_lampang,
    make_strategy,  # noqa: F811 (the fixture)
):
    strategy = make_strategy("TH-50", planner, title_th="ส่งเสริมการท่องเที่ยวเชิงวัฒนธรรมล้านนา")
    _login(page, live_server, "planner_cm")
    _search(page, "ท่องเที่ยว")
    assert page.locator("#results-strategy mark").first.inner_text() == "การท่องเที่ยว"
    page.locator("#results-strategy a", has_text="ล้านนา").click()
    page.wait_for_url(f"**/strategies/{strategy.pk}/")

    page.context.clear_cookies()
    _login(page, live_server, "planner_lp")
    _search(page, "ท่องเที่ยว")
    assert page.locator("#results-strategy").count() == 0
    assert page.get_by_role("status").inner_text() == "ไม่พบรายการที่ตรงกับคำค้นหาในขอบเขตที่ท่านมีสิทธิ์เข้าถึง"
