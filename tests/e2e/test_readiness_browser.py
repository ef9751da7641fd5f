"""In a real browser: a planner fills three indicators with autosave, reloads and finds them saved, submits;
an advisor returns the assessment with a comment; the planner sees it."""

import pytest

from tests.e2e.test_foundation_browser import SHOTS, _login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_autosaves_submits_and_shows_the_advisors_comment(
    browser, live_server, planner, advisor, round_2570
):
    from readiness import services

    services.assessment_start(province=planner.scope.province, round=round_2570, by=planner)
    SHOTS.mkdir(parents=True, exist_ok=True)
    url = f"{live_server.url}/readiness/provinces/TH-50/2570/"

    planner_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _login(planner_page, live_server, "planner_cm", "pw-planner_cm")
    planner_page.goto(url)
    for code, level, text in [
        ("PL-01", 4, "มีด่านถาวร 2 แห่ง"),
        ("PL-02", 3, ""),
        ("PR-01", 5, "สินค้า GI 3 รายการ"),
    ]:
        card = planner_page.locator(f"#ind-{code}")
        card.locator(f"input[name=level][value='{level}']").check()
        card.locator(".text-success", has_text="บันทึกแล้ว").wait_for()
        if text:
            card.locator("textarea[name=justification]").fill(text)
            card.locator("textarea[name=justification]").press("End")  # a keyup: autosave after a pause
            planner_page.wait_for_timeout(1800)
            card.locator(".text-success", has_text="บันทึกแล้ว").wait_for()
    planner_page.reload()
    assert planner_page.locator("#ind-PL-01 input[name=level][value='4']").is_checked()
    assert planner_page.locator("#ind-PL-02 input[name=level][value='3']").is_checked()
    assert planner_page.locator("#ind-PR-01 input[name=level][value='5']").is_checked()
    assert planner_page.locator("#ind-PL-01 textarea").input_value() == "มีด่านถาวร 2 แห่ง"
    assert planner_page.locator("#ind-PR-01 textarea").input_value() == "สินค้า GI 3 รายการ"
    planner_page.screenshot(path=str(SHOTS / "assessment_planner.png"))
    planner_page.get_by_role("button", name="ส่งให้ที่ปรึกษาพิจารณา").click()
    # Asked first: 27 indicators are unanswered, and the planner confirms.
    assert "27 จาก 30 ตัวชี้วัดยังไม่ได้ตอบ" in planner_page.locator("#unanswered").inner_text()
    planner_page.get_by_role("button", name="ยืนยันส่งให้ที่ปรึกษาพิจารณา").click()
    planner_page.locator(".alert-success").wait_for()

    advisor_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _login(advisor_page, live_server, "advisor", "pw-advisor")
    advisor_page.goto(url)
    advisor_page.get_by_role("link", name="ส่งกลับพร้อมความเห็น").click()
    advisor_page.locator("textarea[name=comment]").fill("ขอให้แนบสถิติผู้ผ่านแดนรายเดือน")
    advisor_page.get_by_role("button", name="ส่งกลับให้จังหวัด").click()
    advisor_page.locator(".alert-success").wait_for()

    planner_page.goto(url)
    assert "ขอให้แนบสถิติผู้ผ่านแดนรายเดือน" in planner_page.locator(".alert-danger").first.inner_text()
    assert "ส่งกลับให้แก้ไข" in planner_page.locator("h1 + .badge, .badge.fs-6").first.inner_text()
    planner_page.screenshot(path=str(SHOTS / "assessment_returned.png"))


def test_it_clears_the_copied_mark_on_autosave_and_selects_all_for_bulk_approval(
    browser, live_server, planner, advisor, round_2569, round_2570
):
    from readiness import services
    from tests.readiness.conftest import fill as filler

    filler("TH-50", round_2569, status="approved", by=advisor)
    assessment = services.assessment_start(province=planner.scope.province, round=round_2570, by=planner)
    services.assessment_copy_forward(assessment=assessment, by=planner)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _login(page, live_server, "planner_cm", "pw-planner_cm")
    page.goto(f"{live_server.url}/readiness/provinces/TH-50/2570/")
    card = page.locator("#ind-PL-01")
    assert card.locator(".badge", has_text="คัดลอกจากรอบการประเมินที่แล้ว").count() == 1
    card.locator("input[name=level][value='4']").check()
    card.locator(".text-success", has_text="บันทึกแล้ว").wait_for()
    assert card.locator(".badge", has_text="คัดลอกจากรอบการประเมินที่แล้ว").count() == 0  # no reload
    assert page.locator("#ind-PL-02 .badge", has_text="คัดลอกจากรอบการประเมินที่แล้ว").count() == 1

    filler("TH-51", round_2570, status="submitted")
    filler("TH-52", round_2570, status="submitted")
    review = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _login(review, live_server, "advisor", "pw-advisor")
    review.goto(f"{live_server.url}/readiness/clusters/N-UP1/review/?fy=2570")
    boxes = review.locator("input[name=assessments]")
    assert boxes.count() == 2
    review.locator("#select-all").check()
    assert all(boxes.nth(i).is_checked() for i in range(2))
    review.get_by_role("button", name="อนุมัติแบบประเมินที่เลือก").click()
    review.locator(".alert-success").wait_for()
