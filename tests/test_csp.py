"""Content-Security-Policy (django-csp, config/settings/base.py): every page, the API docs included, forbids
inline script and eval; the browser side (nothing the pages do is blocked) is tests/e2e/test_csp_browser.py."""

import pytest


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, logged_in",
    [
        ("/accounts/login/", False),
        ("/provinces/TH-50/", True),
        ("/api/docs/", True),
        ("/api/docs/?script=", True),
    ],
)
def test_it_sends_a_policy_without_inline_script_or_eval(path, logged_in, planner, client_for):
    response = client_for(planner if logged_in else None).get(path)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    for values in policy.values():
        assert "'unsafe-eval'" not in values


@pytest.mark.django_db
def test_it_sends_pages_without_inline_scripts_or_style_attributes(planner, client_for):
    """The policy only holds if the markup keeps to it: no <script> without src, no style="" attribute."""
    import re

    for path in ["/accounts/login/", "/provinces/TH-50/", "/map/", "/api/docs/"]:
        html = client_for(None if "login" in path else planner).get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"<[a-z][^>]*\sstyle=", html, flags=re.I), path
        assert "<style" not in html, path


@pytest.mark.django_db
def test_htmx_is_configured_not_to_eval_or_inject_styles(client):
    html = client.get("/accounts/login/").content.decode()
    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html
