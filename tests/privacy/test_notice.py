"""The privacy notice: in Thai, open to anonymous visitors, linked from the login page and every footer."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_shows_the_notice_to_anonymous_visitors_in_thai(client, settings):
    settings.PRIVACY_DPO_NAME = "นายทดสอบ คุ้มครอง"
    settings.PRIVACY_DPO_EMAIL = "dpo@example.go.th"
    settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS = 400
    response = client.get(reverse("privacy_notice"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "ประกาศความเป็นส่วนตัว" in page
    assert "นายทดสอบ คุ้มครอง" in page and "mailto:dpo@example.go.th" in page
    assert "400 วัน" in page
    assert reverse("privacy_my_data") not in page  # the download is for signed-in users


def test_it_says_whom_to_ask_without_a_configured_officer(client, settings):
    settings.PRIVACY_DPO_NAME = settings.PRIVACY_DPO_EMAIL = settings.PRIVACY_DPO_PHONE = ""
    page = client.get(reverse("privacy_notice")).content.decode()
    assert "ผู้ดูแลระบบ" in page


def test_it_is_linked_from_the_login_page(client):
    page = client.get(reverse("login")).content.decode()
    assert page.count(f'href="{reverse("privacy_notice")}"') == 2  # below the form, and in the footer


def test_it_is_linked_from_the_footer_of_every_page(client_for, planner):
    client = client_for(planner)
    page = client.get(reverse("province_list")).content.decode()
    footer = page[page.index("<footer") :]
    assert f'href="{reverse("privacy_notice")}"' in footer
    assert reverse("privacy_my_data") in client.get(reverse("privacy_notice")).content.decode()
