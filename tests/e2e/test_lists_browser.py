"""In a real browser: the strategy list's sort links, pages and filter form, and the advisor's bulk endorse."""

import pytest

from provinces.models import Province
from strategies.choices import StrategyStatus
from strategies.models import Strategy
from tests.e2e.test_foundation_browser import SHOTS, _login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _strategies(n: int, status=StrategyStatus.DRAFT, pillar="economic", prefix="ยุทธศาสตร์") -> list[Strategy]:
    province = Province.objects.get(code="TH-50")
    return Strategy.objects.bulk_create(
        Strategy(province=province, fiscal_year=2570, title_th=f"{prefix} {i:03d}", work_area="public_service",
                 pillar=pillar, status=status)
        for i in range(n)
    )  # fmt: skip


def test_it_sorts_pages_and_filters_the_strategy_list(page, live_server, advisor, round_2570):
    _strategies(55)
    _strategies(3, pillar="socio_cultural", prefix="กาแฟ")
    SHOTS.mkdir(parents=True, exist_ok=True)
    _login(page, live_server, "advisor", "pw-advisor")
    page.goto(f"{live_server.url}/strategies/")
    rows = page.locator("table tbody tr")
    assert rows.count() == 50
    page.locator("table thead").get_by_role("link", name="ยุทธศาสตร์", exact=True).click()
    page.wait_for_url("**/strategies/?sort=title")
    assert page.locator('th[aria-sort="ascending"]').inner_text().startswith("ยุทธศาสตร์")
    assert rows.first.locator("a").first.inner_text() == "กาแฟ 000"  # ก before ย
    page.get_by_role("navigation", name="หน้า").get_by_role("link", name="2", exact=True).click()
    page.wait_for_url("**/strategies/?sort=title&page=2")
    assert rows.count() == 8
    page.locator("#f-pillar").select_option("socio_cultural")
    page.get_by_role("button", name="แสดง").click()
    page.wait_for_url("**/strategies/?*pillar=socio_cultural*")
    assert "sort=title" in page.url and rows.count() == 3
    page.screenshot(path=str(SHOTS / "strategy_list.png"))


def test_it_endorses_ticked_strategies_from_the_queue(page, live_server, advisor, round_2570):
    chosen = _strategies(3, status=StrategyStatus.PROPOSED)
    _login(page, live_server, "advisor", "pw-advisor")
    page.goto(f"{live_server.url}/strategies/review/")
    page.get_by_label("รับรอง ยุทธศาสตร์ 000").check()
    page.get_by_label("รับรอง ยุทธศาสตร์ 002").check()
    page.get_by_role("button", name="รับรองยุทธศาสตร์ที่เลือก").click()
    page.wait_for_url("**/strategies/review/")
    assert "รับรองยุทธศาสตร์แล้ว 2 รายการ" in page.content()
    statuses = dict(Strategy.objects.values_list("pk", "status"))
    assert [statuses[s.pk] for s in chosen] == ["endorsed", "proposed", "endorsed"]
