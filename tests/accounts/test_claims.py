"""What the planner takes from a provider's claims (accounts.services.claims_from), the start-up checks and the
policy that lets log-out reach the provider. No provider needed."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.checks import sign_in_configured
from accounts.services import claims_from
from provinces.errors import WorkflowError

ISSUER = "https://id.example.go.th"


def test_it_keeps_thai_names_and_drops_control_characters():
    claims = claims_from(
        issuer=ISSUER,
        id_token={"sub": "abc"},
        userinfo={
            "sub": "abc",
            "given_name": "สม\x00ศรี\u0e48",
            "family_name": "ใจ" * 500,
            "email": " a@example.go.th ",
        },
    )
    assert claims.given_name == "สมศรี\u0e48"
    assert len(claims.family_name) == 150
    assert claims.email == "a@example.go.th"
    assert claims.email_verified is False  # absent is not verified


@pytest.mark.parametrize(
    ("value", "verified"),
    [(True, True), ("true", True), (False, False), ("yes", False), (1, False), (None, False)],
)
def test_it_believes_only_a_true_email_verified(value, verified):
    claims = claims_from(
        issuer=ISSUER,
        id_token={"sub": "abc", "email": "a@example.go.th", "email_verified": value},
        userinfo={},
    )
    assert claims.email_verified is verified


@pytest.mark.parametrize(
    "email", ["not an address", "=cmd@x", "a@b" + "c" * 300 + ".th", ["a@example.go.th"], "ก@\x00.th"]
)
def test_it_treats_a_malformed_address_as_none(email):
    claims = claims_from(
        issuer=ISSUER, id_token={"sub": "abc", "email": email, "email_verified": True}, userinfo={}
    )
    assert claims.email == ""


@pytest.mark.parametrize(
    ("id_token", "userinfo"),
    [({"sub": "abc"}, {"sub": "someone-else"}), ({}, {}), ({"sub": 12}, {}), ({"sub": "x" * 256}, {})],
)
def test_it_refuses_userinfo_about_another_subject_or_no_subject(id_token, userinfo):
    with pytest.raises(WorkflowError):
        claims_from(issuer=ISSUER, id_token=id_token, userinfo=userinfo)


def test_it_refuses_to_start_when_no_one_could_sign_in(settings):
    settings.LOCAL_PASSWORDS, settings.OIDC_ISSUER_URL = False, ""
    assert [error.id for error in sign_in_configured(None)] == ["accounts.E002"]
    settings.OIDC_ISSUER_URL, settings.OIDC_RP_CLIENT_ID = ISSUER, ""
    assert [error.id for error in sign_in_configured(None)] == ["accounts.E001"]
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "planner", "secret"
    assert sign_in_configured(None) == []


def test_it_lets_the_logout_form_redirect_to_the_provider():
    # The browser applies CSP form-action to the redirect after the log-out form (tests/e2e/test_oidc_browser.py).
    code = (
        "import json; from config.settings import base; "
        "print(json.dumps(base.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']))"
    )
    env = {**os.environ, "OIDC_ISSUER_URL": ISSUER + "/realms/gov/"}
    root = Path(__file__).resolve().parent.parent.parent
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == ["'self'", "https://id.example.go.th"]
