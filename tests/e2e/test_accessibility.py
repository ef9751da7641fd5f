"""Accessibility in a real browser (WCAG 2.1 AA).

1. axe-core (npm, node_modules/axe-core) audits the main pages of every role, in Thai and in English, on the
   demo data set: no serious or critical violation may remain. On failure the message lists each violation
   with its rule, help link, the offending elements and axe's advice.
2. The SVG matrix points and map provinces are reached with Tab, show a visible focus ring, and Enter opens
   the strategy or the province.

The API docs page (Swagger UI, third-party markup) is not audited: its own buttons nest links and its colour
scheme misses AA contrast, neither of which our templates control.
"""

from pathlib import Path

import pytest

from tests.e2e.demo_world import AXE, VIEWPORT, load_demo_world, log_in, set_language, strategy

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],  # faster: passes and incomplete results are not collected
}
BLOCKING = {"serious", "critical"}


def _pages(world) -> dict[str | None, list[str]]:
    """The main pages, by the role that sees them at their fullest."""
    return {
        None: ["/accounts/login/"],
        "planner": [
            "/provinces/TH-50/",
            "/readiness/provinces/TH-50/2570/",  # assessment entry (draft: radios, textareas, evidence)
            "/strategies/",
            f"/strategies/{world.planner_strategy}/",
            f"/strategies/{world.planner_strategy}/edit/",
            "/strategies/new/",
            f"/strategies/{world.planner_strategy}/projects/new/",
            "/strategies/matrix/provinces/TH-50/",
            "/briefings/",
        ],
        "secretariat": [
            "/readiness/clusters/N-UP1/",
            "/strategies/matrix/clusters/N-UP1/",
            "/strategies/decision/clusters/N-UP1/",
            "/dashboard/clusters/N-UP1/",
        ],
        "advisor": [
            "/readiness/national/",
            "/readiness/review/",
            world.submitted_assessment,  # with approve / return
            "/readiness/clusters/N-UP1/review/",  # bulk approval (checkboxes)
            "/strategies/review/",
            f"/strategies/{world.endorsed_strategy}/",  # projects, progress, override link
            "/strategies/matrix/",
            "/strategies/decision/",
            "/map/",
            "/dashboard/",
        ],
    }


def _audit(page, url: str, language: str) -> list[str]:
    response = page.goto(url)
    assert response.status == 200, f"{url}: HTTP {response.status}"
    assert page.locator("html").get_attribute("lang") == language
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    problems = []
    for violation in result["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        problems.append(
            f"[{language}] {url}: {violation['impact']} {violation['id']} — {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            summary = " ".join((node.get("failureSummary") or "").split())
            problems.append(f"    {' '.join(node['target'])}  {node['html'][:160]}\n      {summary[:300]}")
    return problems


def test_it_finds_no_serious_accessibility_violation_in_thai_or_english(browser, live_server, reference):
    world = load_demo_world()
    problems = []
    audited = 0
    for role, urls in _pages(world).items():
        options = {"bypass_csp": True}  # the CSP is strict; axe is injected as a script of our own
        if role:
            context, page = log_in(browser, live_server, role, world.password, **options)
        else:
            context = browser.new_context(viewport=VIEWPORT, **options)
            page = context.new_page()
        context.add_init_script(path=str(ROOT / AXE))
        for language in ("th", "en"):
            set_language(context, live_server, language)
            for url in urls:
                problems += _audit(page, f"{live_server.url}{url}", language)
                audited += 1
        context.close()
    assert audited == 2 * sum(len(urls) for urls in _pages(world).values())
    assert not problems, "axe-core found serious or critical WCAG 2.1 AA violations:\n" + "\n".join(problems)


def _tab_to(page, selector: str, limit: int = 80) -> int:
    """Press Tab until the focused element matches; the number of presses (fails past the limit)."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


def test_it_reaches_and_opens_matrix_points_and_map_provinces_by_keyboard(
    browser, live_server, planner, advisor, round_2570
):
    strategy("TH-50", planner, (4, 3, 3, 3, 4, 2), "ด่านการค้าชายแดน")
    strategy("TH-50", planner, (1, 2, 1, 2, 1, 1), "ตลาดนัดชุมชน")
    context, page = log_in(browser, live_server, "advisor", "pw-advisor")

    # The matrix: Tab reaches a point; it shows the yellow ring and a black stroke; Enter opens its strategy.
    page.goto(f"{live_server.url}/strategies/matrix/provinces/TH-50/?fy=2570")
    _tab_to(page, "svg.strategy-matrix a.matrix-point")
    focus = page.evaluate(
        """() => {
            const a = document.activeElement, circle = getComputedStyle(a.querySelector('circle'));
            const ring = getComputedStyle(a);
            return {visible: a.matches(':focus-visible'), outline: ring.outlineStyle, width: ring.outlineWidth,
                    colour: ring.outlineColor, stroke: circle.stroke, strokeWidth: circle.strokeWidth,
                    href: a.getAttribute('href')};
        }"""
    )
    assert focus["visible"]
    assert (focus["outline"], focus["width"], focus["colour"]) == ("solid", "3px", "rgb(255, 191, 71)")
    assert (focus["stroke"], focus["strokeWidth"]) == ("rgb(0, 0, 0)", "3px")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{focus['href']}")
    assert page.locator("h1").is_visible()

    # The map: Tab goes straight from the buttons above to the first province (the <svg> is no tab stop);
    # the focused province gets a ring drawn on top of its neighbours; Enter opens it.
    page.goto(f"{live_server.url}/map/")
    _tab_to(page, "svg.thailand-map a")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.tagName") == "A"  # the last measure button, not the <svg>
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the second province: the ring follows focus
    focus = page.evaluate(
        """() => {
            const a = document.activeElement, path = a.querySelector('path');
            const rings = a.ownerSVGElement.querySelectorAll('.focus-ring');
            const ring = rings.length === 1 ? getComputedStyle(rings[0]) : null;
            return {visible: a.matches(':focus-visible'), href: a.getAttribute('href'),
                    stroke: getComputedStyle(path).stroke, strokeWidth: getComputedStyle(path).strokeWidth,
                    rings: rings.length, ringOnShape: rings.length === 1 && rings[0].getAttribute('d') === path.getAttribute('d'),
                    ringColour: ring && ring.stroke};
        }"""
    )
    assert focus["visible"]
    assert (focus["stroke"], focus["strokeWidth"]) == ("rgb(0, 0, 0)", "2.5px")
    assert focus["rings"] == 1 and focus["ringOnShape"]
    assert focus["ringColour"] == "rgb(255, 191, 71)"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{focus['href']}")
    assert page.locator("h1").is_visible()
    context.close()
