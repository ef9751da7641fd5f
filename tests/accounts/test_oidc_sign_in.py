"""Sign-in with a government account against a real OpenID Connect provider (django-oauth-toolkit,
tests/oidc_provider, started by its fixtures): the matching rules, the bad input (wrong state or nonce, an unverified or shared address, the
provider down) and log-out at the provider. The planner's side runs in Django's test client; the provider's
login form is filled over HTTP."""

from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from accounts.models import OIDCIdentity
from provinces.models import UserScope
from tests.oidc_provider.fixtures import free_port, provider_sign_in

pytestmark = pytest.mark.django_db


def fingerprint():
    """Everything a refused sign-in must leave as it was."""
    return (
        list(User.objects.order_by("pk").values_list()),
        list(OIDCIdentity.objects.order_by("pk").values_list()),
        list(UserScope.objects.order_by("pk").values_list()),
    )


def start(client) -> str:
    """The planner's OIDC button: returns the provider's authorization URL it redirects to."""
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    return response["Location"]


def sign_in(client, browser, username: str):
    callback = provider_sign_in(browser, start(client), username)
    return client.get(callback)


def signed_in_user(client):
    return User.objects.filter(pk=client.session.get("_auth_user_id")).first()


def login_page_messages(client) -> str:
    return client.get(reverse("login")).content.decode()


def test_it_sends_the_browser_to_the_provider_with_pkce_state_and_nonce(client, oidc_settings, oidc_provider):
    url = urlsplit(start(client))
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == oidc_provider.issuer + "/authorize/"
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == ["http://testserver/accounts/oidc/callback/"]
    state = query["state"][0]
    assert client.session["oidc_states"][state]["nonce"] == query["nonce"][0]
    assert len(client.session["oidc_states"][state]["code_verifier"]) >= 43


def test_it_creates_a_new_account_without_a_role(
    client, oidc_settings, provider_browser, oidc_provider, reference
):
    response = sign_in(client, provider_browser, "somying")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = signed_in_user(client)
    assert (user.email, user.first_name, user.last_name) == ("somying.r@example.go.th", "สมหญิง", "รักชาติ")
    assert not user.has_usable_password()
    assert not UserScope.objects.filter(user=user).exists()  # no role until an administrator assigns one
    identity = OIDCIdentity.objects.get(user=user)
    assert identity.issuer == oidc_provider.issuer and identity.subject
    assert "บัญชีของท่านยังไม่ได้รับบทบาท" in client.get(reverse("home")).content.decode()


def test_it_signs_the_same_person_in_by_subject_even_after_the_address_changed(
    client_for, oidc_settings, provider_browser, oidc_provider, reference, django_user_model
):
    first = client_for(None)
    sign_in(first, provider_browser, "somying")
    user = signed_in_user(first)
    User.objects.filter(pk=user.pk).update(email="moved@example.go.th")

    with httpx.Client(follow_redirects=False, timeout=30) as other_browser:
        second = client_for(None)
        sign_in(second, other_browser, "somying")
    assert signed_in_user(second) == user
    assert User.objects.count() == 1 and OIDCIdentity.objects.count() == 1


def test_it_links_an_existing_account_by_its_verified_address(
    client, oidc_settings, provider_browser, planner, oidc_provider
):
    User.objects.filter(pk=planner.pk).update(email="Known.Planner@example.go.th")  # case does not matter
    users_before = User.objects.count()
    sign_in(client, provider_browser, "known")
    assert signed_in_user(client) == planner
    assert User.objects.count() == users_before
    assert OIDCIdentity.objects.get(user=planner).issuer == oidc_provider.issuer
    planner.refresh_from_db()
    assert planner.scope.province.code == "TH-50"  # the role stays the administrator's
    assert client.get(reverse("home"))["Location"] == reverse("province_detail", args=["TH-50"])


@pytest.mark.parametrize(
    ("username", "setup", "message"),
    [
        # An address the provider has not verified matches nothing, not even the account that has it.
        ("unverified", {"planner": "unverified@example.go.th"}, "ยังไม่ผ่านการยืนยัน"),
        # An address two accounts have names no one.
        (
            "shared",
            {"planner": "shared@example.go.th", "planner_lampang": "shared@example.go.th"},
            "มากกว่าหนึ่งบัญชี",
        ),
    ],
)
def test_it_refuses_an_address_that_names_no_one_surely(
    client, oidc_settings, provider_browser, planner, planner_lampang, username, setup, message
):
    for who, email in setup.items():
        User.objects.filter(pk={"planner": planner, "planner_lampang": planner_lampang}[who].pk).update(
            email=email
        )
    before = fingerprint()
    response = sign_in(client, provider_browser, username)
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert signed_in_user(client) is None
    assert message in login_page_messages(client)
    assert fingerprint() == before


def test_it_refuses_a_wrong_state(client, oidc_settings, provider_browser, reference):
    callback = urlsplit(provider_sign_in(provider_browser, start(client), "somying"))
    query = parse_qs(callback.query)
    before = fingerprint()
    response = client.get(
        callback.path + "?" + urlencode({"code": query["code"][0], "state": "not-our-state"})
    )
    assert response["Location"] == reverse("login")
    assert signed_in_user(client) is None
    assert "คำขอเข้าสู่ระบบหมดอายุ" in login_page_messages(client)
    assert fingerprint() == before


def test_it_uses_a_state_once(client, oidc_settings, provider_browser, reference):
    callback = provider_sign_in(provider_browser, start(client), "somying")
    client.get(callback)
    client.post(reverse("logout"))
    before = fingerprint()
    client.get(callback)  # the same answer replayed
    assert signed_in_user(client) is None
    assert fingerprint() == before


def test_it_refuses_a_wrong_nonce(client, oidc_settings, provider_browser, reference):
    callback = provider_sign_in(provider_browser, start(client), "somying")
    state = parse_qs(urlsplit(callback).query)["state"][0]
    session = client.session
    session["oidc_states"][state]["nonce"] = (
        "another-sign-in's-nonce"  # an ID token meant for another sign-in
    )
    session.save()
    before = fingerprint()
    response = client.get(callback)
    assert response["Location"] == reverse("login")
    assert signed_in_user(client) is None
    assert "ไม่สามารถตรวจสอบความถูกต้อง" in login_page_messages(client)
    assert fingerprint() == before


def test_it_refuses_an_answer_the_provider_marked_as_an_error(client, oidc_settings, reference):
    start(client)
    state = next(iter(client.session["oidc_states"]))
    response = client.get(
        reverse("oidc_authentication_callback") + "?" + urlencode({"error": "access_denied", "state": state})
    )
    assert response["Location"] == reverse("login")
    assert "ถูกยกเลิก" in login_page_messages(client)
    assert client.session["oidc_states"] == {}


def test_it_keeps_local_passwords_working_when_the_provider_is_down(client, settings, planner):
    settings.OIDC_ISSUER_URL = f"http://127.0.0.1:{free_port()}/o"  # nothing listens there
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "planner", "secret"
    settings.OIDC_TIMEOUT = 2
    page = client.get(reverse("login")).content.decode()
    assert "เข้าสู่ระบบด้วยบัญชีภาครัฐ" in page  # the page does not wait for the provider
    before = fingerprint()
    response = client.get(reverse("oidc_authentication_init"))
    assert response["Location"] == reverse("login")
    assert "ไม่สามารถติดต่อระบบยืนยันตัวตนภาครัฐ" in login_page_messages(client)
    assert fingerprint() == before
    client.post(reverse("login"), {"username": "planner_cm", "password": "pw-planner_cm"})
    assert signed_in_user(client) == planner


def test_it_refuses_a_callback_when_the_provider_went_down_meanwhile(
    client, oidc_settings, provider_browser, reference
):
    callback = provider_sign_in(provider_browser, start(client), "somying")
    # Another issuer: its discovery document is not in the cache, and nothing answers there.
    oidc_settings.OIDC_ISSUER_URL = f"http://127.0.0.1:{free_port()}/o"
    before = fingerprint()
    response = client.get(callback)
    assert response["Location"] == reverse("login")
    assert "ไม่สามารถติดต่อระบบยืนยันตัวตนภาครัฐ" in login_page_messages(client)
    assert fingerprint() == before


def test_it_shows_the_button_only_when_configured(client, settings, oidc_settings, reference):
    assert "เข้าสู่ระบบด้วยบัญชีภาครัฐ" in client.get(reverse("login")).content.decode()
    settings.OIDC_ISSUER_URL = ""
    page = client.get(reverse("login")).content.decode()
    assert "เข้าสู่ระบบด้วยบัญชีภาครัฐ" not in page and 'name="password"' in page
    response = client.get(reverse("oidc_authentication_init"))
    assert response["Location"] == reverse("login")
    assert "ยังไม่ได้เปิดใช้" in login_page_messages(client)


def test_it_refuses_every_password_when_local_passwords_are_off(client, oidc_settings, admin_user):
    oidc_settings.LOCAL_PASSWORDS = False
    page = client.get(reverse("login")).content.decode()
    assert "เข้าสู่ระบบด้วยบัญชีภาครัฐ" in page and 'name="password"' not in page
    response = client.post(reverse("login"), {"username": "admin", "password": "pw-admin"})
    assert response.status_code == 403
    assert "ระบบปิดการเข้าสู่ระบบด้วยชื่อผู้ใช้และรหัสผ่าน" in response.content.decode()
    client.post(reverse("admin:login"), {"username": "admin", "password": "pw-admin", "next": "/admin/"})
    assert (
        signed_in_user(client) is None
    )  # the admin's own login page checks passwords through the same switch


def test_it_ends_the_provider_session_on_logout(
    client, oidc_settings, provider_browser, oidc_provider, reference
):
    sign_in(client, provider_browser, "somying")
    id_token = client.session["oidc_id_token"]
    response = client.post(reverse("logout"))
    assert signed_in_user(client) is None
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == oidc_provider.issuer + "/logout/"
    query = parse_qs(url.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    # At the provider: its session ends and it sends the browser back to the login page ...
    back = provider_browser.get(response["Location"])
    assert back.status_code == 302 and back.headers["location"] == "http://testserver/accounts/login/"
    # ... so that the next sign-in asks for the password again.
    again = provider_browser.get(start(client))
    assert "/accounts/login/" in again.headers["location"]


def test_it_logs_a_password_user_out_here_only(client, oidc_settings, planner):
    client.force_login(planner)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")


def test_it_refuses_a_callback_when_the_token_endpoint_does_not_answer(
    client, oidc_settings, provider_browser, oidc_provider, reference
):
    from django.core.cache import cache

    from accounts.provider import _cache_key, discover

    callback = provider_sign_in(provider_browser, start(client), "somying")
    # The provider as discovered, but its token endpoint gone (a crashed back end behind a working front).
    known = vars(discover())
    cache.set(
        _cache_key(oidc_provider.issuer), {**known, "token_endpoint": f"http://127.0.0.1:{free_port()}/t"}
    )
    try:
        before = fingerprint()
        response = client.get(callback)
        assert response["Location"] == reverse("login")
        assert "ไม่สามารถติดต่อระบบยืนยันตัวตนภาครัฐ" in login_page_messages(client)
        assert fingerprint() == before
    finally:
        cache.delete(_cache_key(oidc_provider.issuer))


@pytest.mark.parametrize(
    "code", ["\x00", "๑๒๓", "<script>x</script>", "=1+1", "9" * 5000, "ก\u0e48\u0e48\u0e48"]
)
def test_it_refuses_a_code_the_provider_never_issued(client, oidc_settings, reference, code):
    start(client)
    state = next(iter(client.session["oidc_states"]))
    before = fingerprint()
    response = client.get(reverse("oidc_authentication_callback"), {"code": code, "state": state})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "ไม่สามารถตรวจสอบความถูกต้อง" in login_page_messages(client)
    assert fingerprint() == before
