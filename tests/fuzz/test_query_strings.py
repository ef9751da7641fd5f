"""Hostile query strings and path segments on the pages that filter (lists, matrix, roll-ups, map, decision
support, briefings) and on the JSON API: an answer or a 4xx with a message, never a 500, and nothing written.

Cases per run (max_examples): pages 120 + API 100 + actions by id 60 = 280.
"""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .harness import fuzz_settings
from .inputs import hostile_text, number_text, text_or_number

pytestmark = pytest.mark.django_db

CODE = st.one_of(
    st.sampled_from(["TH-50", "th-50", "N-UP1", "n-up1", "NE-UP1", "TH-41", "C-MET"]), hostile_text(big=False)
)
VALUE = st.one_of(
    text_or_number(), st.sampled_from(["1", "0", "all", "status", "pillar", "needs", "-cluster", "ก"])
)

# (path with {code} for a unit, query parameters the page reads)
PAGES = [
    ("/provinces/", ["q", "region", "cluster"]),
    ("/provinces/{province}/", []),
    ("/provinces/{province}/history/", []),
    ("/clusters/{cluster}/", []),
    ("/map/", ["by", "fy"]),
    ("/dashboard/", ["by"]),
    ("/dashboard/clusters/{cluster}/", []),
    ("/readiness/national/", ["fy", "all"]),
    ("/readiness/national/xlsx/", ["fy", "all"]),
    ("/readiness/clusters/{cluster}/", ["fy", "all"]),
    ("/readiness/clusters/{cluster}/xlsx/", ["fy", "all"]),
    ("/readiness/clusters/{cluster}/review/", ["fy"]),
    ("/readiness/provinces/{province}/{year}/", []),
    ("/strategies/", ["fy", "pillar", "work_area", "status", "quadrant", "cluster"]),
    ("/strategies/matrix/", ["fy", "pillar", "work_area", "status", "quadrant", "cluster", "colour"]),
    ("/strategies/matrix/clusters/{cluster}/", ["fy", "quadrant", "colour"]),
    ("/strategies/matrix/provinces/{province}/", ["fy", "status", "colour"]),
    ("/strategies/decision/", ["fy", "sort"]),
    ("/strategies/decision/clusters/{cluster}/", ["fy", "funding"]),
    ("/strategies/import/", ["template"]),
    ("/strategies/new/", ["owner"]),
    ("/briefings/", ["kind", "subject", "fy", "language"]),
]


def _segment(value: str) -> str:
    return quote(value, safe="")


@given(data=st.data())
@fuzz_settings(120)
def test_it_answers_hostile_filters_and_paths_without_a_server_error(world, data):
    path, params = data.draw(st.sampled_from(PAGES), label="page")
    url = path.format(
        province=_segment(data.draw(CODE, label="province")) if "{province}" in path else "",
        cluster=_segment(data.draw(CODE, label="cluster")) if "{cluster}" in path else "",
        year=data.draw(st.integers(min_value=0, max_value=10**12), label="year") if "{year}" in path else "",
    )
    query = {name: data.draw(VALUE, label=name) for name in params if data.draw(st.booleans())}
    if query:
        url += "?" + urlencode(query)
    role = data.draw(st.sampled_from(["planner", "secretariat", "advisor"]), label="role")
    world.run(role, "GET", url)


API = [
    ("/api/provinces/", ["cluster", "region", "page", "page_size"]),
    ("/api/provinces/{province}/", []),
    ("/api/clusters/", ["page", "page_size"]),
    ("/api/clusters/{cluster}/", []),
    ("/api/rounds/{number}/", []),
    ("/api/assessments/", ["fiscal_year", "province", "cluster", "page"]),
    ("/api/assessments/{number}/", []),
    ("/api/strategies/", ["fiscal_year", "cluster", "province", "quadrant", "page_size"]),
    ("/api/strategies/{number}/", []),
    ("/api/projects/", ["strategy", "fiscal_year"]),
    ("/api/rollups/national/", ["fiscal_year", "include_unapproved"]),
    ("/api/rollups/clusters/{cluster}/", ["fiscal_year", "include_unapproved"]),
]


@given(data=st.data())
@fuzz_settings(100)
def test_it_answers_hostile_api_parameters_with_a_400_or_404_and_a_message(world, data):
    path, params = data.draw(st.sampled_from(API), label="endpoint")
    url = path.format(
        province=_segment(data.draw(CODE, label="province")) if "{province}" in path else "",
        cluster=_segment(data.draw(CODE, label="cluster")) if "{cluster}" in path else "",
        number=_segment(data.draw(number_text(), label="key")) if "{number}" in path else "",
    )
    query = {name: data.draw(VALUE, label=name) for name in params if data.draw(st.booleans())}
    if query:
        url += "?" + urlencode(query)
    role = data.draw(st.sampled_from(["planner", "secretariat", "advisor"]), label="role")
    world.run(role, "GET", url)


# Actions whose only input is the object in the URL (and the path's own ids): (method, path with {id}).
ACTIONS = [
    ("POST", "/readiness/provinces/{code}/{id}/start/"),
    ("POST", "/readiness/assessments/{id}/copy-forward/"),
    ("POST", "/readiness/assessments/{id}/submit/"),
    ("POST", "/readiness/assessments/{id}/approve/"),
    ("POST", "/readiness/assessments/{id}/answers/{id2}/"),
    ("POST", "/readiness/evidence/{id}/delete/"),
    ("GET", "/readiness/evidence/{id}/"),
    ("GET", "/readiness/assessments/{id}/xlsx/"),
    ("POST", "/strategies/{id}/propose/"),
    ("POST", "/strategies/{id}/carry-forward/"),
    ("POST", "/strategies/{id}/override/withdraw/"),
    ("GET", "/strategies/{id}/"),
    ("GET", "/projects/{id}/edit/"),
    ("GET", "/briefings/{id}/"),
    ("GET", "/briefings/{id}/status/"),
    ("GET", "/briefings/{id}/download/"),
    ("POST", "/briefings/{id}/retry/"),
]


@given(data=st.data())
@fuzz_settings(60)
def test_it_answers_actions_on_unknown_or_huge_ids_without_a_server_error(world, data):
    method, path = data.draw(st.sampled_from(ACTIONS), label="action")
    known = st.sampled_from(
        [world.cm.pk, world.lampang.pk, world.lamphun.pk, world.draft.pk, world.proposed.pk, world.project.pk,
         world.evidence.pk, world.answer.pk, 2570]
    )  # fmt: skip
    ids = st.one_of(known, known, known, st.integers(min_value=0, max_value=2**80))
    url = path.format(
        code=_segment(data.draw(CODE, label="code")),
        id=data.draw(ids, label="id"),
        id2=data.draw(ids, label="id2"),
    )
    role = data.draw(
        st.sampled_from(["planner", "planner_lampang", "secretariat_other", "advisor"]), label="role"
    )
    world.run(role, method, url)
