"""Sign-in with a government account in a real browser, against a real OpenID Connect provider
(tests/oidc_provider, started by its fixtures.py): the planner's button, the provider's login form,
back to the planner signed in without a role; an administrator places the account; log-out ends the provider's
session too, under the pages' Content-Security-Policy."""

import pytest

from tests.oidc_provider.users import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_signs_in_with_a_government_account_and_waits_for_a_role(
    page, live_server, oidc_settings, oidc_provider, admin_user
):
    from django.contrib.auth.models import User

    from accounts.models import OIDCIdentity
    from provinces.models import Province, UserScope

    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="เข้าสู่ระบบด้วยบัญชีภาครัฐ").click()
    page.wait_for_url(f"{oidc_provider.base}/accounts/login/**")  # the provider's own login form
    page.get_by_label("Username").fill("somying")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in to Government ID").click()

    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="บัญชีของท่านยังไม่ได้รับบทบาท").is_visible()
    user = User.objects.get(email="somying.r@example.go.th")
    assert OIDCIdentity.objects.filter(user=user, issuer=oidc_provider.issuer).exists()
    assert not UserScope.objects.filter(user=user).exists()

    # An administrator places her as Chiang Mai's planner; the roles never came from the provider.
    UserScope.objects.create(user=user, role="planner", province=Province.objects.get(code="TH-50"))
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/provinces/TH-50/")
    assert page.locator("h1").inner_text() == "จังหวัดเชียงใหม่"

    # Log-out ends the provider's session as well, and comes back to the login page ...
    page.get_by_role("button", name="ออกจากระบบ").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    # ... so that the button asks for the government password again.
    page.get_by_role("link", name="เข้าสู่ระบบด้วยบัญชีภาครัฐ").click()
    page.wait_for_url(f"{oidc_provider.base}/accounts/login/**")
    assert page.get_by_role("button", name="Sign in to Government ID").is_visible()
    assert violations == []
