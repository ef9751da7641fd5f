"""The benchmark's own arithmetic (bench/run.py): the ratios each page is judged by, the targets, the report.
The load itself runs in `make bench`, never in the tests; this checks that what it writes means what it says."""

from urllib.parse import urlsplit

import pytest
from django.urls import resolve

from bench import run
from bench.run import FLOOR_PAGE, RATIO_PAGES, Load, markdown, page_row, pages, targets


def _load(rps: float, p95: float = 50.0) -> Load:
    return Load(p50_ms=p95 / 2, p95_ms=p95, rps=rps, errors=0)


def _result(pages_: list[dict], briefings: dict | None = None, scale: int = 1) -> dict:
    return {
        "machine": {"cpu": "test CPU", "cores": 2, "memory": "1 GB", "os": "Linux", "postgresql": "15", "python": "3.12",
                    "server": "gunicorn", "load": "4 clients"},
        "when": "2026-12-03T10:00:00+00:00",
        "scale": scale,
        "floor": {"name": FLOOR_PAGE[0], "url": FLOOR_PAGE[1], "rps": 80.0},
        "pages": pages_,
        "briefings": briefings or {},
        "_bare_rps": 400.0,
    }  # fmt: skip


def test_it_divides_each_page_by_the_floor_and_by_the_bare_view_measured_before_it():
    row = page_row("national matrix", "advisor", _load(30), queries=12, bare=_load(300), floor=_load(60))
    assert row["ratio_to_floor"] == pytest.approx(0.5)
    assert row["throughput_ratio"] == pytest.approx(0.1)
    assert row["queries"] == 12 and row["p95_ms"] == 50.0


def test_it_judges_dashboards_matrices_and_decision_support_against_the_floor_only():
    slow = page_row(
        "decision support (national)", "advisor", _load(20), queries=9, bare=_load(400), floor=_load(80)
    )
    fast = page_row("national matrix", "advisor", _load(60), queries=9, bare=_load(400), floor=_load(80))
    other = page_row("strategy list", "advisor", _load(5), queries=9, bare=_load(400), floor=_load(80))
    checks = {name: (met, detail) for name, met, detail in targets(_result([slow, fast, other]), None)}
    floor_checks = {n: v for n, v in checks.items() if "× floor" in n}
    assert floor_checks == {
        "throughput ≥ 0.5 × floor at scale 1: decision support (national) (advisor)": (False, "0.25 × floor"),
        "throughput ≥ 0.5 × floor at scale 1: national matrix (advisor)": (True, "0.75 × floor"),
    }
    # The strategy list is judged on its p95 like every page, not on a throughput ratio.
    assert checks["p95 ≤ 150 ms: strategy list (advisor)"] == (True, "50 ms")


def test_it_judges_the_briefing_render_times_and_the_two_workers():
    briefings = {
        "fiscal_year": 2570,
        "cluster": "N-UP1",
        "cluster_render_s": 2.4,
        "national_render_s": 12.0,
        "cluster_docx_s": 1.5,
        "clusters_single_sum_s": 36.0,
        "clusters_through_workers": {"wall_s": 22.0, "jobs": 18, "done": 18},
        "speedup": 1.64,
    }
    checks = {name: met for name, met, _ in targets(_result([], briefings), None)}
    assert checks == {
        "cluster briefing ≤ 2 s": False,
        "national briefing ≤ 20 s": True,
        "cluster DOCX ≤ 3 s": True,
        # 1.2 × 36 / 2 = 21.6 s: 22 s misses it.
        "18 cluster briefings through 2 workers ≤ 1.2 × (sum of single renders / 2)": False,
    }


def test_it_reports_both_ratios_and_names_the_floor():
    row = page_row("cluster dashboard", "secretariat", _load(40), queries=7, bare=_load(400), floor=_load(80))
    report = markdown(_result([row]), None)
    assert "| page | role | p50 ms | p95 ms | queries | × floor | × bare | CPU ms |" in report
    assert "| cluster dashboard | secretariat | 25 | 50 | 7 | 0.50 | 0.10 | – |" in report
    assert f"Floor ({FLOOR_PAGE[0]}, {FLOOR_PAGE[1]}) at scale 1: 80.0 requests/s" in report
    # An older results file without the floor ratio still renders.
    old = {k: v for k, v in row.items() if k != "ratio_to_floor"}
    assert "| cluster dashboard | secretariat | 25 | 50 | 7 | – | 0.10 | – |" in markdown(
        _result([old]), None
    )


def test_it_benchmarks_the_pages_users_open_and_every_judged_page_exists():
    listed = dict(pages(2570))
    for name in ("briefings list", "strategy list", "assessment review queue", "strategy review queue", "search",
                 "notifications inbox", FLOOR_PAGE[0]):  # fmt: skip
        assert name in listed, name
    assert listed[FLOOR_PAGE[0]] == FLOOR_PAGE[1]
    # A renamed page would silently drop its ratio target.
    assert not RATIO_PAGES - set(listed)
    for url in listed.values():
        resolve(urlsplit(url).path)  # raises Resolver404 for a page that does not exist
    assert run.FLOOR_RATIO_TARGET == 0.5


def test_it_measures_the_similar_plans_hint_and_the_strategy_page_against_their_targets():
    listed = dict(pages(2570, strategy=42))
    assert listed["strategy page"] == "/strategies/42/"
    hint = urlsplit(listed["similar plans hint"])
    assert (
        hint.path == "/strategies/similar/"
        and "owner=TH-50" in hint.query
        and "fiscal_year=2570" in hint.query
    )
    national = page_row(
        "similar plans hint", "planner", _load(20, p95=250), queries=8, bare=_load(400), floor=_load(80)
    )
    at_ten = {**national, "p95_ms": 320.0}
    checks = {
        name: (met, detail) for name, met, detail in targets(_result([national]), _result([at_ten], scale=10))
    }
    # Its own target (the draft is encoded on every request), not the 150 ms of the other pages.
    assert checks["p95 ≤ 300 ms: similar plans hint (planner)"] == (True, "250 ms")
    assert checks["p95 ≤ 300 ms at scale 10: similar plans hint (planner)"] == (False, "320 ms")
    assert "p95 ≤ 150 ms: similar plans hint (planner)" not in checks
