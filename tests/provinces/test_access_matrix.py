"""Every URL pattern the project defines × every member of the cast → an explicit expected status.

A URL without an entry in EXPECTED fails test_it_has_an_expectation_for_every_url, so no view can
arrive without its access being decided and tested.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "planner", "planner_lampang", "secretariat", "secretariat_other", "advisor", "admin"]
LOGIN = 302  # anonymous users are sent to the login page


def row(anonymous, planner, planner_lampang, secretariat, secretariat_other, advisor, admin):
    return dict(
        zip(
            ROLES,
            [anonymous, planner, planner_lampang, secretariat, secretariat_other, advisor, admin],
            strict=True,
        )
    )


ALL_OK = row(LOGIN, 200, 200, 200, 200, 200, 200)

# (url name, args) → expected status per role. Chiang Mai (TH-50) and N-UP1 are the planner's own unit;
# Lampang (TH-52) is a neighbour in the same cluster; Udon Thani (TH-41) and NE-UP1 are another cluster.
EXPECTED = {
    ("home", ()): row(LOGIN, 302, 302, 302, 302, 302, 302),
    ("province_list", ()): ALL_OK,
    ("province_detail", ("TH-50",)): row(LOGIN, 200, 404, 200, 404, 200, 200),
    ("province_detail", ("TH-41",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("province_detail", ("TH-99",)): row(LOGIN, 404, 404, 404, 404, 404, 404),
    ("province_history", ("TH-50",)): row(LOGIN, 200, 404, 200, 404, 200, 200),
    ("province_history", ("TH-41",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("cluster_list", ()): ALL_OK,
    ("cluster_detail", ("N-UP1",)): row(LOGIN, 200, 200, 200, 404, 200, 200),
    ("cluster_detail", ("NE-UP1",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("cluster_detail", ("XX-1",)): row(LOGIN, 404, 404, 404, 404, 404, 404),
    ("healthz", ()): row(200, 200, 200, 200, 200, 200, 200),
    ("login", ()): row(200, 302, 302, 302, 302, 302, 302),
    ("logout", ()): row(LOGIN, 405, 405, 405, 405, 405, 405),  # log-out is POST only
    ("set_language", ()): row(302, 302, 302, 302, 302, 302, 302),
    # Django's admin: its own views are guarded by admin_view; the index stands for them all.
    ("admin:index", ()): row(302, 302, 302, 302, 302, 302, 200),
}

# URL namespaces whose views belong to Django itself and are covered by a representative above.
FRAMEWORK_NAMESPACES = {"admin"}


def _all_url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _all_url_names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def test_it_has_an_expectation_for_every_url():
    covered = {name for name, _args in EXPECTED}
    missing = sorted(
        name
        for name in set(_all_url_names())
        if name not in covered and name.split(":")[0] not in FRAMEWORK_NAMESPACES
    )
    assert missing == [], f"URLs without an access expectation: {missing}"


@pytest.mark.parametrize(("name", "args"), list(EXPECTED))
def test_it_answers_each_role_as_expected(cast, client_for, name, args):
    url = reverse(name, args=args)
    got = {role: client_for(cast[role]).get(url).status_code for role in ROLES}
    assert got == EXPECTED[name, args]


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("province_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
