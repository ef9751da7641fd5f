"""The demo data set (what `make run` shows a newcomer) as the stage for the whole-site browser checks: the
accessibility audit, the Content-Security-Policy check and the keyboard tests. Every page then has real
content — filled assessments in every state, strategies with projects, overlaps, a briefing in progress —
so that an audit of an empty page cannot pass for an audit of the site."""

import datetime as dt
from dataclasses import dataclass

AXE = "node_modules/axe-core/axe.min.js"
VIEWPORT = {"width": 1280, "height": 900}


@dataclass
class DemoWorld:
    password: str
    planner_strategy: int  # a draft of the demo planner's (Chiang Mai): editable, with a form
    endorsed_strategy: int  # an endorsed one of Chiang Mai, with projects
    submitted_assessment: str  # the URL of an assessment waiting for the advisor
    running_briefing: int


def load_demo_world() -> DemoWorld:
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.utils import timezone, translation

    from briefings.models import Briefing
    from devdata.demo_decision import demo_decision_load
    from devdata.demo_readiness import demo_readiness_load
    from devdata.demo_strategies import demo_strategies_load
    from devdata.demo_users import demo_users_load
    from strategies.models import Strategy

    with translation.override("th"):
        demo_users_load()
        users = {u.username: u for u in User.objects.all()}
        demo_readiness_load(planner=users["planner"], advisor=users["advisor"])
        demo_strategies_load(
            planner=users["planner"], secretariat=users["secretariat"], advisor=users["advisor"]
        )
        demo_decision_load(planner=users["planner"], secretariat=users["secretariat"])
    mine = Strategy.objects.filter(province__code="TH-50", fiscal_year=2570)
    now = timezone.now()
    # Briefings in each state; the running one polls its status (htmx) while the page is open.
    running = Briefing.objects.create(
        kind="province",
        subject="TH-50",
        fiscal_year=2570,
        requested_by=users["planner"],
        status="running",
        progress_step="กำลังวาดแผนภูมิ",
        progress_percent=40,
        started_at=now,
        attempts=1,
    )
    Briefing.objects.create(
        kind="province",
        subject="TH-50",
        fiscal_year=2569,
        requested_by=users["planner"],
        status="done",
        progress_percent=100,
        queued_at=now - dt.timedelta(days=1),
        finished_at=now - dt.timedelta(days=1),
        pages=6,
        size=480_000,
        file="briefings/TH-50-2569.pdf",  # only listed here, never downloaded
    )
    Briefing.objects.create(
        kind="province",
        subject="TH-50",
        fiscal_year=2568,
        requested_by=users["planner"],
        status="failed",
        error="การสร้างเอกสารใช้เวลานานเกินกำหนด",
        queued_at=now - dt.timedelta(days=2),
        attempts=2,
    )
    return DemoWorld(
        password=settings.DEMO_PASSWORD,
        planner_strategy=mine.filter(status="draft").order_by("pk").first().pk,
        endorsed_strategy=mine.exclude(status="draft").order_by("pk").first().pk,
        submitted_assessment="/readiness/provinces/TH-52/2570/",
        running_briefing=running.pk,
    )


def strategy(owner_code: str, by, scores: tuple[int, ...], title: str):
    """A draft strategy of this province or cluster, with these six criterion scores (A1–A3, N1–N3)."""
    from provinces.models import Cluster, Province
    from strategies import services
    from strategies.models import Criterion

    owner = (Province if owner_code.startswith("TH-") else Cluster).objects.get(code=owner_code)
    codes = ["A1", "A2", "A3", "N1", "N2", "N3"]
    by_code = {c.code: c.pk for c in Criterion.objects.filter(code__in=codes)}
    return services.strategy_create(
        owner=owner,
        fiscal_year=2570,
        data=services.StrategyData(title_th=title, work_area="development", pillar="economic"),
        scores={by_code[c]: v for c, v in zip(codes, scores, strict=True)},
        by=by,
    )


def log_in(browser, live_server, username: str, password: str, init_script: str = "", **context_options):
    """A new browser context logged in as this user, and its page (init_script runs in every document)."""
    context = browser.new_context(viewport=VIEWPORT, **context_options)
    if init_script:
        context.add_init_script(script=init_script)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


def set_language(context, live_server, language: str) -> None:
    """The language switch's cookie (the switch itself is exercised in test_csp_browser)."""
    context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
