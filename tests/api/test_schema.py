"""The OpenAPI 3 schema validates (against the official OpenAPI 3.0 JSON schema) and describes every endpoint."""

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/provinces/",
    "/api/provinces/{code}/",
    "/api/clusters/",
    "/api/clusters/{code}/",
    "/api/rounds/",
    "/api/rounds/{fiscal_year}/",
    "/api/assessments/",
    "/api/assessments/{id}/",
    "/api/strategies/",
    "/api/strategies/{id}/",
    "/api/projects/",
    "/api/projects/{id}/",
    "/api/rollups/clusters/{code}/",
    "/api/rollups/national/",
}


def test_it_generates_a_valid_openapi_3_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on any violation of the OpenAPI 3.0 JSON schema
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == PATHS
    assert all(set(ops) == {"get"} for ops in schema["paths"].values())  # read-only
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_it_documents_the_filters():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    params = {p["name"] for p in schema["paths"]["/api/strategies/"]["get"]["parameters"]}
    assert {"fiscal_year", "cluster", "province", "quadrant", "page", "page_size"} <= params
    params = {p["name"] for p in schema["paths"]["/api/rollups/clusters/{code}/"]["get"]["parameters"]}
    assert {"code", "fiscal_year", "include_unapproved"} <= params


def test_the_command_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert yaml.safe_load(out.read_text())["info"]["title"] == "ASEAN Readiness Planner API"


def test_the_served_schema_needs_a_user_with_a_role(api_world, api_for, cast):
    assert api_for(None).get("/api/schema/").status_code == 401
    response = api_for(cast["planner"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    validate_schema(response.json())
