"""In a real browser: the advisor returns an assessment, the planner's bell counts it, the inbox lists it and
its link leads to the assessment; and the @mention autocomplete of a strategy's comment box."""

import pytest

from tests.e2e.test_foundation_browser import SHOTS, _login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _unread(page) -> str:
    return page.locator("#notification-bell").get_attribute("data-unread")


def test_it_counts_a_return_on_the_planners_bell_and_leads_to_the_assessment(
    browser, live_server, planner, advisor, round_2570
):
    from readiness import services

    assessment = services.assessment_start(province=planner.scope.province, round=round_2570, by=planner)
    answer = assessment.answers.order_by("indicator__position").first()
    services.answer_save(
        answer=answer, level=4, justification="", expected_version=answer.version, by=planner
    )
    services.assessment_submit(assessment=assessment, by=planner)
    url = f"{live_server.url}/readiness/provinces/TH-50/2570/"
    SHOTS.mkdir(parents=True, exist_ok=True)

    planner_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _login(planner_page, live_server, "planner_cm", "pw-planner_cm")
    planner_page.wait_for_url(f"{live_server.url}/provinces/TH-50/")
    assert _unread(planner_page) == "0"
    assert planner_page.locator("#notification-count").count() == 0

    advisor_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _login(advisor_page, live_server, "advisor", "pw-advisor")
    advisor_page.goto(url)
    advisor_page.get_by_role("link", name="ส่งกลับพร้อมความเห็น").click()
    advisor_page.locator("textarea[name=comment]").fill("ขอให้แนบสถิติผู้ผ่านแดนรายเดือน")
    advisor_page.get_by_role("button", name="ส่งกลับให้จังหวัด").click()
    advisor_page.locator(".alert-success").wait_for()

    planner_page.reload()
    assert _unread(planner_page) == "1"
    assert planner_page.locator("#notification-count").inner_text() == "1"
    planner_page.screenshot(path=str(SHOTS / "notifications_bell.png"))
    planner_page.locator("#notification-bell").click()
    planner_page.wait_for_url(f"{live_server.url}/notifications/")
    item = planner_page.locator("#notification-list li").first
    assert "เชียงใหม่" in item.inner_text()
    assert "ขอให้แนบสถิติผู้ผ่านแดนรายเดือน" in item.inner_text()
    planner_page.screenshot(path=str(SHOTS / "notifications_inbox.png"))
    item.get_by_role("link").first.click()
    planner_page.wait_for_url(url)
    assert "ขอให้แนบสถิติผู้ผ่านแดนรายเดือน" in planner_page.locator(".alert-danger").first.inner_text()
    assert _unread(planner_page) == "0"  # opening it marked it read


def test_it_completes_an_at_mention_with_people_who_may_open_the_strategy(
    browser, live_server, planner, planner_lampang, secretariat, advisor
):
    from provinces.models import Province
    from strategies import services
    from strategies.models import Criterion

    strategy = services.strategy_create(
        owner=Province.objects.get(code="TH-50"),
        fiscal_year=2570,
        data=services.StrategyData(title_th="ยกระดับด่านชายแดน", work_area="public_service", pillar="economic"),
        scores={c.pk: 2 for c in Criterion.objects.all()},
        by=planner,
    )
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    _login(page, live_server, "advisor", "pw-advisor")
    page.goto(f"{live_server.url}/strategies/{strategy.pk}/")
    box = page.locator("textarea[name=text]")
    box.click()
    box.press_sequentially("เรียน @pla")
    options = page.locator("[role=listbox] [role=option]")
    options.first.wait_for()
    assert [t.split()[0] for t in options.all_inner_texts()] == ["@planner_cm"]  # Lampang's may not open it
    box.press("Enter")
    assert box.input_value() == "เรียน @planner_cm "
    box.press_sequentially("โปรดดูงบประมาณ")
    page.locator("form[data-mention-url] button[type=submit]").click()
    page.locator("li[id^=review-]", has_text="เรียน @planner_cm โปรดดูงบประมาณ").wait_for()
    assert errors == []  # nothing refused by the Content-Security-Policy
    from notifications.models import Notification

    assert list(Notification.objects.values_list("recipient__username", "kind")) == [
        ("planner_cm", "mention")
    ]
