"""The heavy pages' bodies are cached per viewer and data version (provinces/fragments.py): a reload of
unchanged data is served without recomputing, every write shows on the next request, no viewer is ever
given another viewer's body, and a cached form carries the requesting session's CSRF token."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test.utils import CaptureQueriesContext

from provinces.fragments import CSRF_PLACEHOLDER
from readiness.choices import RoundStatus
from readiness.models import Round

PAGES = {
    "matrix": "/strategies/matrix/clusters/N-UP1/?fy=2570",
    "national matrix": "/strategies/matrix/?fy=2570",
    "decision": "/strategies/decision/clusters/N-UP1/?fy=2570",
    "national decision": "/strategies/decision/?fy=2570",
    "cluster dashboard": "/dashboard/clusters/N-UP1/",
    "national dashboard": "/dashboard/",
    "province page": "/provinces/TH-50/",
}


@pytest.fixture
def open_round(reference):
    return Round.objects.create(
        fiscal_year=2570,
        opens_on=dt.date(2026, 11, 1),
        closes_on=dt.date(2027, 1, 15),
        status=RoundStatus.OPEN,
    )


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_it_serves_an_unchanged_page_again_without_recomputing_it(
    page, client_for, advisor, open_round, make_strategy, planner
):
    make_strategy("TH-50", planner, title_th="ยกระดับด่านชายแดนเชียงใหม่")
    client = client_for(advisor)
    client.get(PAGES[page])  # sessions, content types
    cache.clear()  # so the next request computes the page
    first, first_html = _queries(client, PAGES[page])
    again, again_html = _queries(client, PAGES[page])
    assert again < first, (page, first, again)
    assert again <= 8, page  # the frame: session, user, scope, bell, versions
    tokens = re.compile(r"\b[A-Za-z0-9]{64}\b")  # CSRF tokens are masked afresh for every response
    assert tokens.sub("", again_html) == tokens.sub("", first_html)


@pytest.mark.django_db
def test_it_shows_a_write_on_the_next_request(client_for, secretariat, open_round, make_strategy):
    client = client_for(secretariat)
    url = PAGES["matrix"]
    assert "ยุทธศาสตร์ทดสอบแคชหน้า" not in client.get(url).content.decode()
    make_strategy("N-UP1", secretariat, title_th="ยุทธศาสตร์ทดสอบแคชหน้า")
    assert "ยุทธศาสตร์ทดสอบแคชหน้า" in client.get(url).content.decode()


@pytest.mark.django_db
def test_it_never_gives_one_viewer_anothers_body(client_for, secretariat, advisor, open_round):
    url = PAGES["cluster dashboard"]
    own = client_for(secretariat).get(url).content.decode()
    other = client_for(advisor).get(url).content.decode()
    # The secretariat's home leads with its to-do; the advisor opening the same cluster has none, first
    # time or again (the secretariat's body stays the secretariat's).
    assert 'data-todo="secretariat"' in own
    assert "data-todo" not in other
    assert "data-todo" not in client_for(advisor).get(url).content.decode()
    assert 'data-todo="secretariat"' in client_for(secretariat).get(url).content.decode()


@pytest.mark.django_db
def test_it_puts_each_sessions_own_csrf_token_in_a_cached_form(client_for, advisor, open_round):
    url = PAGES["national matrix"]  # an advisor's matrix carries the form that moves a point
    first, second = client_for(advisor), client_for(advisor)  # two sessions of one viewer share the body
    for client in (first, second):
        html = client.get(url).content.decode()
        assert CSRF_PLACEHOLDER not in html
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert tokens
        secret = client.cookies["csrftoken"].value
        assert all(_unmask_cipher_token(t) == secret for t in tokens)
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
