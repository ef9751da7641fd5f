"""In a real browser: hover a province on the national map (its cluster lights up), click through to it."""

import pytest

from tests.e2e.test_foundation_browser import SHOTS, _login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_highlights_the_cluster_on_hover_and_opens_the_province(page, live_server, advisor, round_2570):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 1000})
    _login(page, live_server, "advisor", "pw-advisor")
    page.goto(f"{live_server.url}/map/")
    chiang_mai = page.locator('#national-map path[data-code="TH-50"]')
    chiang_mai.hover()
    lampang = page.locator('#national-map path[data-code="TH-52"]')
    assert "cluster-hover" in lampang.get_attribute("class")
    assert "cluster-hover" not in page.locator('#national-map path[data-code="TH-41"]').get_attribute("class")
    page.screenshot(path=str(SHOTS / "national_map.png"))
    chiang_mai.click()
    page.wait_for_url(f"{live_server.url}/provinces/TH-50/")
    assert page.locator("h1").inner_text() == "จังหวัดเชียงใหม่"
