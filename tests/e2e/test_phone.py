"""On a phone (390 × 844, the size of a current mid-range handset), in a real browser, on the demo data set.

1. No main page scrolls sideways: ``document.documentElement.scrollWidth <= window.innerWidth``, with the menu
   closed and open; wide tables and charts scroll inside their own container. axe-core finds no WCAG 2.1 AA
   violation at that size either.
2. The assessment works one-handed: every level is a tap target of at least 44 × 44 px (the whole row takes
   the tap), and a card's save button and save state stay on the screen while its levels are scrolled.
3. Chart text is readable where it is drawn: every ``<text>`` of the mini chart, the matrix and the spread
   chart is at least 11 px on the screen (font size × the SVG's scale, and its box), on a phone and on a laptop.
4. The laptop layout (1200, 1280 and 1600 px) keeps its one-row navigation bar and its width.

The viewport is a desktop browser's window made narrow (no mobile zoom-out): a page wider than 390 px then
shows as such instead of being scaled down to fit.
"""

from pathlib import Path

import pytest

from tests.e2e.demo_world import AXE, load_demo_world, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent
PHONE = {"width": 390, "height": 844}
MIN_TARGET = 44  # px, WCAG 2.5.5 / the platforms' guidelines
MIN_TEXT = 11  # px on the screen
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

# What sticks out of the viewport, outside any container that scrolls or clips it: the culprits of a page
# that scrolls sideways, for the failure message.
OVERFLOW = """() => {
    const width = window.innerWidth, culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= width + 0.5) continue;
        let p = el.parentElement, contained = false;
        for (; p && p !== document.body; p = p.parentElement) {
            if (getComputedStyle(p).overflowX !== 'visible') { contained = true; break; }
        }
        if (!contained) {
            const cls = typeof el.className === 'string' ? el.className : el.className.baseVal;
            culprits.push(`${el.tagName.toLowerCase()}.${cls.trim().split(/\\s+/).join('.')} → ${Math.round(box.right)} px`);
        }
    }
    return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, culprits: culprits.slice(0, 6)};
}"""

# The size of every chart text on the screen: its font size in SVG units times the SVG's scale, and its box.
CHART_TEXT = """selector => [...document.querySelectorAll(selector)].flatMap(svg => {
    const scale = svg.getScreenCTM().a;
    return [...svg.querySelectorAll('text')].map(t => ({
        chart: svg.dataset.chart || svg.getAttribute('class'), text: t.textContent,
        size: parseFloat(getComputedStyle(t).fontSize) * scale, height: t.getBoundingClientRect().height}));
})"""


def _pages(world) -> dict[str | None, list[str]]:
    """The main pages, by the role that uses them."""
    return {
        None: ["/accounts/login/"],
        "planner": [
            "/",  # the planner's home: their province
            "/provinces/TH-50/",
            "/readiness/provinces/TH-50/2570/",  # assessment entry
            "/strategies/",
            f"/strategies/{world.planner_strategy}/",
            "/strategies/matrix/provinces/TH-50/",
            "/briefings/",
        ],
        "secretariat": [
            "/dashboard/clusters/N-UP1/",
            "/strategies/matrix/clusters/N-UP1/",
            "/readiness/clusters/N-UP1/",  # the spread chart
        ],
        "advisor": [
            "/dashboard/",
            "/strategies/matrix/",
            "/map/",
            "/readiness/review/",
            "/strategies/review/",
            f"/strategies/{world.endorsed_strategy}/",
            world.submitted_assessment,
        ],
    }


def _phone(browser, live_server, role, password, **options):
    if role:
        context, page = log_in(browser, live_server, role, password, **options)
        page.set_viewport_size(PHONE)
    else:
        context = browser.new_context(viewport=PHONE, **options)
        page = context.new_page()
    return context, page


def _axe(page, where: str) -> list[str]:
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    problems = []
    for violation in result["violations"]:
        problems.append(f"{where}: {violation['impact']} {violation['id']} — {violation['help']}")
        for node in violation["nodes"][:3]:
            problems.append(f"    {' '.join(node['target'])}  {node['html'][:140]}")
    return problems


def _too_wide(page, where: str) -> list[str]:
    found = page.evaluate(OVERFLOW)
    if found["scrollWidth"] <= found["innerWidth"]:
        return []
    return [
        f"{where}: {found['scrollWidth']} px wide in {found['innerWidth']} px: "
        + "; ".join(found["culprits"])
    ]


def test_it_fits_every_main_page_into_a_phone_screen_and_passes_axe_there(browser, live_server, reference):
    world = load_demo_world()
    too_wide, violations, seen = [], [], 0
    for role, urls in _pages(world).items():
        context, page = _phone(browser, live_server, role, world.password, bypass_csp=True)
        context.add_init_script(path=str(ROOT / AXE))
        for url in urls:
            response = page.goto(f"{live_server.url}{url}")
            assert response.status == 200, f"{url}: HTTP {response.status}"
            where = f"{role or 'anonymous'} {url}"
            too_wide += _too_wide(page, where)
            violations += _axe(page, where)
            seen += 1
        if role:
            # The open menu (search box, bell, role, log out) fits as well.
            page.locator(".navbar-toggler").click()
            page.locator("#nav.show").wait_for()
            assert page.locator("#nav .search-box input").is_visible()
            too_wide += _too_wide(page, f"{role} {urls[-1]} with the menu open")
            violations += _axe(page, f"{role} {urls[-1]} with the menu open")
        context.close()
    assert seen == sum(len(urls) for urls in _pages(world).values())
    assert not too_wide, "pages scroll sideways on a phone:\n" + "\n".join(too_wide)
    assert not violations, "axe-core found WCAG 2.1 AA violations at 390 px:\n" + "\n".join(violations)


def test_it_gives_the_levels_thumb_sized_targets_and_keeps_the_save_state_on_screen(
    browser, live_server, reference
):
    world = load_demo_world()
    context, page = _phone(browser, live_server, "planner", world.password)
    page.goto(f"{live_server.url}/readiness/provinces/TH-50/2570/")
    labels = page.locator(".answer-form fieldset label")
    assert labels.count() >= 30 * 6  # five levels and "not answered" on every indicator
    small = page.evaluate(
        """min => [...document.querySelectorAll('.answer-form fieldset label')]
            .map(l => l.getBoundingClientRect()).filter(b => b.height < min || b.width < min).length""",
        MIN_TARGET,
    )
    assert small == 0, f"{small} level choices are smaller than {MIN_TARGET} × {MIN_TARGET} px"

    card = page.locator("#ind-PL-02")
    level = card.locator("fieldset label").nth(3)  # level 4
    level.scroll_into_view_if_needed()
    box = level.bounding_box()
    # A tap anywhere on the row, here near its right edge, chooses the level.
    page.mouse.click(box["x"] + box["width"] - 8, box["y"] + box["height"] / 2)
    assert card.locator("input[name=level][value='4']").is_checked()
    status = card.locator("[id^=status-]")
    status.locator(".text-success").wait_for()  # saved (autosave)

    # Scroll back up into the levels, until the justification box runs off the bottom of the screen (the save
    # bar, below it, would be out of sight): the bar stays on the screen, with the save state.
    page.evaluate(
        """el => window.scrollTo({top: el.getBoundingClientRect().bottom + scrollY - innerHeight - 120, behavior: "instant"})""",
        card.locator("textarea").element_handle(),
    )
    textarea, save_bar = card.locator("textarea").bounding_box(), card.locator(".answer-save").bounding_box()
    assert textarea["y"] + textarea["height"] > PHONE["height"]
    assert save_bar["y"] >= 0 and save_bar["y"] + save_bar["height"] <= PHONE["height"]
    assert status.is_visible() and "บันทึกแล้ว" in status.inner_text()
    save = card.locator(".answer-save button[type=submit]").bounding_box()
    assert save["height"] >= MIN_TARGET and save["width"] >= MIN_TARGET
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}], ids=["phone", "laptop"])
def test_it_draws_chart_text_at_least_11_px_on_the_screen(browser, live_server, reference, viewport):
    world = load_demo_world()
    checks = {
        "planner": [
            ("/provinces/TH-50/", "svg.readiness-chart[data-chart=bars]"),
            ("/readiness/provinces/TH-50/2570/", "svg.readiness-chart[data-chart=bars]"),
        ],
        "secretariat": [
            (
                "/strategies/matrix/clusters/N-UP1/",
                "svg.readiness-chart[data-chart=bars], svg.strategy-matrix",
            ),
            ("/readiness/clusters/N-UP1/", "svg.readiness-chart[data-chart=spread]"),
        ],
    }
    tiny, measured = [], 0
    for role, pages in checks.items():
        context, page = log_in(browser, live_server, role, world.password)
        page.set_viewport_size(viewport)
        for url, selector in pages:
            page.goto(f"{live_server.url}{url}")
            texts = page.evaluate(CHART_TEXT, selector)
            assert texts, f"{url}: no chart text in {selector}"
            measured += len(texts)
            tiny += [
                f"{url} {t['chart']}: “{t['text']}” {t['size']:.1f} px (box {t['height']:.1f} px)"
                for t in texts
                if t["size"] < MIN_TEXT - 0.05 or t["height"] < MIN_TEXT
            ]
        context.close()
    assert measured > 50
    assert not tiny, f"chart text smaller than {MIN_TEXT} px:\n" + "\n".join(tiny[:20])


@pytest.mark.parametrize(
    ("role", "width"),
    # The advisor has the most menu items; the administrator the most beside them (name, admin link).
    [("advisor", 1200), ("advisor", 1280), ("admin", 1280), ("admin", 1600)],
)
def test_it_keeps_the_laptop_layout_on_one_row(browser, live_server, reference, role, width):
    world = load_demo_world()
    context, page = log_in(browser, live_server, role, world.password)
    page.set_viewport_size({"width": width, "height": 900})
    for url in ["/dashboard/", "/readiness/provinces/TH-52/2570/", "/strategies/matrix/"]:
        page.goto(f"{live_server.url}{url}")
        assert not _too_wide(page, url)
        brand = page.locator(".navbar-brand").bounding_box()
        # Menu, search, bell, role, log out and the language switch: all beside the product name.
        for selector in ["#nav .navbar-nav", "#nav .search-box", "#nav .navbar-user", "#language-switch"]:
            item = page.locator(selector).bounding_box()
            assert item["y"] < brand["y"] + brand["height"] and item["y"] + item["height"] > brand["y"], (
                selector
            )
            assert item["x"] + item["width"] <= width, selector
    # The assessment's levels and side column keep the desktop arrangement: side by side.
    page.goto(f"{live_server.url}/readiness/provinces/TH-52/2570/")
    cards = page.locator(".answer-card").first.bounding_box()
    aside = page.locator("aside").bounding_box()
    assert aside["x"] > cards["x"] + cards["width"] - 1
    context.close()
