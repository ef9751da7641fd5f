"""The Content-Security-Policy breaks nothing: in a real browser, under the policy the server sends (no
inline script, no eval, no inline style), the pages and everything they do — htmx autosave and polling, the
advisor's drag on the matrix, the map's hover, the language switch, Swagger UI — run without a single
`securitypolicyviolation` event and without an error or warning in the console."""

import pytest

from tests.e2e.demo_world import log_in, strategy

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Runs in every document before its own scripts: collects what the policy blocked.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
"""


class Watch:
    """Console errors/warnings (and any console line about the policy) and page errors of one page; check()
    asserts none, and no CSP violation."""

    def __init__(self, page):
        self.page, self.messages = page, []
        page.on(
            "console",
            lambda m: (
                self.messages.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning") or "Content Security Policy" in m.text
                else None
            ),
        )
        page.on("pageerror", lambda e: self.messages.append(f"page error: {e}"))

    def check(self, where: str) -> None:
        # Violation events and console lines arrive a moment after what caused them (htmx settles a swap
        # 20 ms later): let the page run two frames and a pause first, or they would be missed at once and
        # then lost with the next navigation.
        self.page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 150))))"
        )
        blocked = self.page.evaluate("window.__csp")
        self.page.evaluate("window.__csp = []")
        found, self.messages = [*blocked, *self.messages], []
        assert not found, f"{where}:\n" + "\n".join(found)


def _autosave(page, card, act) -> None:
    """One autosave of this card, waited for until its fragment is swapped in."""
    with page.expect_response(
        lambda r: "/answers/" in r.url and r.request.method == "POST", timeout=5000
    ) as response:
        act()
    response.value.finished()
    card.locator("[id^=status-] .text-success, [id^=status-] .alert-warning").first.wait_for()


def test_it_runs_every_page_and_interaction_under_the_policy(
    browser, live_server, planner, advisor, secretariat, round_2570
):
    from briefings.models import Briefing
    from readiness import services
    from readiness.models import Answer
    from strategies.models import Strategy

    assessment = services.assessment_start(province=planner.scope.province, round=round_2570, by=planner)
    low = strategy("TH-50", planner, (1, 1, 1, 1, 1, 1), "ตลาดนัดชายแดน")  # quadrant ง
    strategy("N-UP1", secretariat, (4, 4, 3, 3, 4, 4), "ศูนย์โลจิสติกส์")
    briefing = Briefing.objects.create(
        kind="province", subject="TH-50", fiscal_year=2570, requested_by=planner, status="running",
        progress_step="กำลังวาดแผนภูมิ", progress_percent=40,
    )  # fmt: skip
    url = live_server.url

    # --- a planner: login, province page, autosave, briefing polling, the language switch ---
    context, page = log_in(browser, live_server, "planner_cm", "pw-planner_cm", init_script=WATCH)
    watch = Watch(page)
    page.goto(f"{url}/provinces/TH-50/")
    assert page.evaluate("typeof htmx") == "object" and page.evaluate("htmx.config.allowEval") is False
    watch.check("province page")

    # The watch itself can fail: an inline style added to the page is reported (a positive control).
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<i style=\\'color: red\\'></i>')")
    with pytest.raises(AssertionError, match="style-src"):
        watch.check("positive control")

    page.goto(f"{url}/readiness/provinces/TH-50/2570/")
    card = page.locator("[id^=ind-]").first
    _autosave(page, card, lambda: card.locator("input[name=level][value='3']").check())  # saved at once
    watch.check("autosave of a level")
    card.locator("textarea[name=justification]").fill("มีด่านถาวร 2 แห่ง")
    _autosave(page, card, lambda: card.locator("textarea[name=justification]").press("End"))  # after a pause
    watch.check("autosave after typing")
    saved = Answer.objects.get(assessment=assessment, indicator__code=card.get_attribute("id")[4:])
    assert (saved.level, saved.justification) == (3, "มีด่านถาวร 2 แห่ง")
    second = page.locator("[id^=ind-]").nth(1)
    _autosave(page, second, lambda: second.get_by_role("button").first.click())  # the Save button
    watch.check("autosave with the Save button")
    # Someone else saves the same answer: the conflict fragment, and overwriting from it.
    services.answer_save(answer=saved, level=5, justification="", expected_version=saved.version, by=planner)
    _autosave(page, card, lambda: card.locator("input[name=level][value='4']").check())
    card.locator(".alert-warning").wait_for()
    watch.check("autosave conflict")
    _autosave(page, card, lambda: card.locator(".alert-warning button").click())
    watch.check("overwriting after a conflict")
    page.get_by_role("button", name="ส่งให้ที่ปรึกษาพิจารณา").click()
    page.locator("#unanswered").wait_for()
    watch.check("submit confirmation")
    page.get_by_role("button", name="ยืนยันส่งให้ที่ปรึกษาพิจารณา").click()
    page.locator(".alert-success").wait_for()
    watch.check("submitted")

    with page.expect_response(lambda r: f"/briefings/{briefing.pk}/status/" in r.url, timeout=5000):
        page.goto(f"{url}/briefings/")  # the running briefing polls its status every 2 s
    Briefing.objects.filter(pk=briefing.pk).update(status="failed", error="หมดเวลาทดสอบ")
    page.locator(f"#briefing-status-{briefing.pk}", has_text="หมดเวลาทดสอบ").wait_for(timeout=5000)
    watch.check("briefings page, polling")

    page.get_by_role("button", name="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.get_by_role("button", name="Log out").count() == 1
    watch.check("language switch to English")
    page.get_by_role("button", name="ภาษาไทย").click()
    page.wait_for_function("document.documentElement.lang === 'th'")
    watch.check("language switch back to Thai")
    context.close()

    # --- a secretariat: the cluster's pages ---
    context, page = log_in(browser, live_server, "sec_nup1", "pw-sec_nup1", init_script=WATCH)
    watch = Watch(page)
    for path in [
        "/readiness/clusters/N-UP1/",
        "/strategies/decision/clusters/N-UP1/",
        "/dashboard/clusters/N-UP1/",
    ]:
        page.goto(f"{url}{path}")
        watch.check(path)
    context.close()

    # --- an advisor: national pages, the matrix drag (a form post), the map, the API docs ---
    context, page = log_in(browser, live_server, "advisor", "pw-advisor", init_script=WATCH)
    watch = Watch(page)
    for path in ["/readiness/national/", "/strategies/matrix/", "/strategies/decision/", "/dashboard/"]:
        page.goto(f"{url}{path}")
        watch.check(path)
    page.goto(f"{url}/readiness/clusters/N-UP1/review/?fy=2570")
    page.locator("#select-all").wait_for()  # shown by its script
    watch.check("bulk approval with select-all")
    page.locator("#select-all").check()
    page.get_by_role("button", name="อนุมัติแบบประเมินที่เลือก").click()
    page.locator("#confirm-incomplete").wait_for()  # 2 of 30 answered: asked to confirm first
    watch.check("bulk approval confirmation")

    page.goto(f"{url}/strategies/matrix/provinces/TH-50/?fy=2570")
    point = page.locator(f'a.matrix-point[data-id="{low.pk}"] circle').bounding_box()
    goal = page.locator('rect.quadrant[data-quadrant="ก"]').bounding_box()
    page.mouse.move(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
    page.mouse.down()
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2, steps=8)
    page.mouse.up()
    page.locator("#override-reason").fill("จุดค้าขายหลักกับเมียนมา")
    page.locator("#override-dialog button[type=submit]").click()
    page.locator(".alert-success").wait_for()
    assert Strategy.objects.get(pk=low.pk).override_quadrant == "ก"
    watch.check("matrix drag and override")

    page.goto(f"{url}/map/")
    page.locator('#national-map path[data-code="TH-50"]').hover()
    assert "cluster-hover" in page.locator('#national-map path[data-code="TH-52"]').get_attribute("class")
    page.locator('#national-map path[data-code="TH-50"]').click()
    page.wait_for_url(f"{url}/provinces/TH-50/")
    watch.check("map hover and click")

    page.goto(f"{url}/api/docs/")
    page.locator(".opblock").first.wait_for()  # Swagger UI has loaded the schema and drawn the endpoints
    watch.check("API docs (Swagger UI)")
    context.close()
