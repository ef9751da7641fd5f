"""Token authentication tied to a user; the schema and the docs page."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_a_token_authenticates_as_its_user(api_world, cast):
    token = Token.objects.create(user=cast["planner_lampang"])
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/provinces/")
    assert response.status_code == 200
    assert [p["code"] for p in response.json()["results"]] == ["TH-52"]


def test_a_wrong_token_is_401(api_world):
    response = APIClient(HTTP_AUTHORIZATION="Token " + "0" * 40).get("/api/provinces/")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_an_inactive_users_token_is_401(api_world, cast):
    token = Token.objects.create(user=cast["advisor"])
    User.objects.filter(pk=cast["advisor"].pk).update(is_active=False)
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/provinces/").status_code == 401


def test_administrators_manage_tokens_in_the_admin(api_world, cast, client_for):
    admin = client_for(cast["admin"])
    assert admin.get("/admin/authtoken/tokenproxy/").status_code == 200
    response = admin.post("/admin/authtoken/tokenproxy/add/", {"user": cast["planner"].pk})
    assert response.status_code == 302
    assert Token.objects.filter(user=cast["planner"]).exists()
    assert client_for(cast["advisor"]).get("/admin/authtoken/tokenproxy/").status_code == 302


def test_the_command_line_creates_a_token(api_world, cast, capsys):
    call_command("drf_create_token", cast["advisor"].username)
    key = Token.objects.get(user=cast["advisor"]).key
    assert key in capsys.readouterr().out


def test_a_session_works_too_for_reading(api_world, cast, client_for):
    response = client_for(cast["planner"]).get("/api/provinces/")
    assert response.status_code == 200


def test_a_session_cannot_write_without_csrf(api_world, cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["admin"])
    assert client.post("/api/provinces/", {}).status_code == 403


def test_the_docs_page_loads_swagger_ui_from_our_static_files_not_a_cdn(api_world, cast, client_for):
    response = client_for(cast["planner"]).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    # Swagger UI's start-up script is a file of its own (no inline script under the Content-Security-Policy).
    assert '<script src="/api/docs/?script="></script>' in html
    script = client_for(cast["planner"]).get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_the_docs_page_sends_anonymous_visitors_to_log_in(api_world):
    response = Client().get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
