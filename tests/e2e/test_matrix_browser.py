"""In a real browser: an advisor drags a strategy's point to another quadrant, gives a reason, and the page
then shows the override."""

import pytest

from tests.e2e.test_foundation_browser import SHOTS, _login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_lets_an_advisor_drag_a_point_to_another_quadrant(page, live_server, planner, advisor):
    from strategies import services
    from strategies.models import Criterion, Strategy

    criteria = {c.code: c.pk for c in Criterion.objects.all()}
    low = dict.fromkeys(criteria.values(), 1)  # every criterion 1 of 4 → 25/25: quadrant ง
    strategy = services.strategy_create(
        owner=planner.scope.province,
        fiscal_year=2570,
        data=services.StrategyData(title_th="ตลาดนัดชายแดน", work_area="development", pillar="economic"),
        scores=low,
        by=planner,
    )
    assert strategy.quadrant == "ง"

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 1000})
    _login(page, live_server, "advisor", "pw-advisor")
    page.goto(f"{live_server.url}/strategies/matrix/provinces/TH-50/?fy=2570")
    point = page.locator(f'a.matrix-point[data-id="{strategy.pk}"] circle')
    target = page.locator('rect.quadrant[data-quadrant="ก"]')
    box, goal = point.bounding_box(), target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2, steps=12)
    page.mouse.up()
    dialog = page.locator("#override-dialog")
    dialog.wait_for(state="visible")
    dialog.locator("textarea").fill("ตลาดนัดนี้เป็นจุดค้าขายหลักกับเมียนมา")
    dialog.get_by_role("button", name="ย้าย").click()
    page.wait_for_load_state()
    page.locator(".alert-success").wait_for()
    page.screenshot(path=str(SHOTS / "matrix_override.png"), full_page=True)

    strategy = Strategy.objects.get(pk=strategy.pk)
    assert (strategy.override_quadrant, strategy.override_by_id) == ("ก", advisor.pk)
    assert strategy.override_reason == "ตลาดนัดนี้เป็นจุดค้าขายหลักกับเมียนมา"
    assert page.locator(f'a.matrix-point[data-id="{strategy.pk}"]').get_attribute("data-quadrant") == "ก"
    assert page.locator("line.override-arrow").count() == 1
