"""The schema tells a client every status it can meet: each operation's answers to hostile query parameters,
hostile keys in the path, no token and an account without a role are among the statuses it documents (what a
schema-driven fuzzer such as schemathesis checks), and the page bounds it states are the ones enforced."""

import pytest
from django.contrib.auth.models import User
from drf_spectacular.generators import SchemaGenerator

from api.pagination import Pagination

pytestmark = pytest.mark.django_db

HUGE = str(10**30)
HOSTILE = ["²", "①", "๒", "٣", "１", "abc", "", "-1", "0", "1", "2570", "๒๕๗๐", HUGE, "9" * 5000, "last", "true"]  # fmt: skip


@pytest.fixture
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _path_values(world) -> dict[str, list[str]]:
    ids = [world[key].pk for key in ("cm", "udon", "cm_s", "udon_s", "cm_p")]
    return {
        "code": ["N-UP1", "NE-UP1", "TH-50", "TH-41", "XX-1", "TH-๕๐", "²"],
        "id": [*map(str, ids), "²", "①", "٣", HUGE, "0", "-1"],
        "fiscal_year": ["2570", "๒๕๗๐", "2599", "²", HUGE],
    }


def test_every_status_the_api_answers_is_in_the_schema(api_world, api_for, cast, schema):
    clients = {
        "anonymous": api_for(None),
        "unplaced": api_for(User.objects.create_user("unplaced", password="pw-unplaced")),
        "planner": api_for(cast["planner"]),
        "advisor": api_for(cast["advisor"]),
    }
    values = _path_values(api_world)
    undocumented, seen = [], set()

    def check(role, operation, url, query=None):
        status = clients[role].get(url, query or {}).status_code
        seen.add(status)
        if str(status) not in operation["responses"]:
            undocumented.append(f"{role} {url} {query or ''} → {status}")

    for path, operations in schema["paths"].items():
        operation = operations["get"]
        in_path = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
        in_query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        urls = [path.format(**{name: value}) for name in in_path for value in values[name]] or [path]
        for url in urls:
            for role in clients:
                check(role, operation, url)
        for role in ("planner", "advisor"):
            for name in in_query:
                for value in HOSTILE:
                    check(role, operation, urls[0], {name: value})
    assert undocumented == []
    assert {200, 400, 401, 403, 404} <= seen  # the cases reached every kind of answer


def test_the_page_bounds_in_the_schema_are_the_enforced_ones(api_world, api_for, cast, schema):
    params = {p["name"]: p for p in schema["paths"]["/api/provinces/"]["get"]["parameters"]}
    size, page = params["page_size"]["schema"], params["page"]["schema"]
    assert (size["minimum"], size["maximum"]) == (1, Pagination.max_page_size)
    assert page["minimum"] == 1
    client = api_for(cast["advisor"])
    assert client.get("/api/provinces/", {"page_size": size["maximum"]}).status_code == 200
    assert client.get("/api/provinces/", {"page_size": size["maximum"] + 1}).status_code == 400
    assert client.get("/api/provinces/", {"page": page["maximum"]}).status_code == 404  # past the last
    assert client.get("/api/provinces/", {"page": page["maximum"] + 1}).status_code == 400
    assert client.get("/api/provinces/", {"page": "๒", "page_size": "๕๐"}).status_code == 200  # Thai digits


def test_the_api_reads_numbers_as_the_pages_do(api_world, api_for, cast):
    """ASCII or Thai digits within the documented bounds (provinces.parsing); other scripts' digits are a 400."""
    client = api_for(cast["advisor"])
    assert client.get("/api/assessments/", {"fiscal_year": "๒๕๗๐"}).status_code == 200
    for value in ("٢٥٧٠", "２５７０", "2570²", HUGE):
        assert client.get("/api/assessments/", {"fiscal_year": value}).status_code == 400, value
    assert client.get("/api/projects/", {"strategy": "٣"}).status_code == 400
