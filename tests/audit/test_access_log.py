"""The access log: who viewed or exported personal data, written on every path that shows or hands it out,
kept apart from the change history, and read-only for administrators."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from audit.choices import AccessAction
from audit.models import AccessLogEntry
from audit.services import log_access

pytestmark = pytest.mark.django_db


def entries():
    return list(AccessLogEntry.objects.order_by("pk"))


def test_it_logs_the_admin_list_of_users(client_for, admin_user):
    response = client_for(admin_user).get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200
    [entry] = entries()
    assert (entry.user, entry.action) == (admin_user, AccessAction.USER_LIST)
    assert entry.path == reverse("admin:auth_user_changelist")
    assert entry.ip_address == "127.0.0.1"


def test_it_logs_the_list_of_user_scopes(client_for, admin_user):
    client_for(admin_user).get(reverse("admin:provinces_userscope_changelist"))
    assert [e.action for e in entries()] == [AccessAction.USER_LIST]


def test_it_logs_whose_contact_details_were_opened(client_for, admin_user, planner):
    url = reverse("admin:auth_user_change", args=[planner.pk])
    assert client_for(admin_user).get(url).status_code == 200
    [entry] = entries()
    assert (entry.action, entry.subject, entry.user) == (AccessAction.CONTACT_DETAILS, planner, admin_user)


def test_it_logs_nothing_for_a_refused_look(client_for, planner):
    assert client_for(planner).get(reverse("admin:auth_user_changelist")).status_code == 302
    assert entries() == []


def test_it_logs_each_briefing_download(client_for, cast, planner):
    from briefings.models import Briefing

    briefing = Briefing(
        kind="province", subject="TH-50", fiscal_year=2570, status="done", requested_by=planner
    )
    briefing.file.save("b.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    briefing.save()
    response = client_for(planner).get(reverse("briefing_download", args=[briefing.pk]))
    assert response.status_code == 200
    [entry] = entries()
    assert (entry.user, entry.action) == (planner, AccessAction.BRIEFING)
    assert entry.description == briefing.download_name


def test_it_takes_the_client_address_from_a_trusted_proxy_only(client_for, admin_user, settings):
    url = reverse("admin:auth_user_changelist")
    forged = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    client_for(admin_user).get(url, **forged)
    settings.TRUSTED_PROXIES = ["203.0.113.9"]
    client_for(admin_user).get(url, **forged)
    assert [e.ip_address for e in entries()] == ["203.0.113.9", "198.51.100.7"]


def test_it_keeps_hostile_text_to_its_limits(planner):
    entry = log_access(
        user=planner, action=AccessAction.EXPORT, description="ก\x00" + "=x" * 400, path="/\x00"
    )
    entry.refresh_from_db()
    assert "\x00" not in entry.description and len(entry.description) == 500
    assert entry.path == "/"


def test_it_is_not_part_of_the_change_history(planner):
    log_access(user=planner, action=AccessAction.EXPORT, description="test")
    assert not hasattr(AccessLogEntry, "history")


class TestTheAdminPage:
    @pytest.fixture
    def entry(self, planner):
        return log_access(user=planner, action=AccessAction.SELF_EXPORT, description="ข้อมูลของฉัน")

    def test_it_shows_the_log_to_administrators_in_thai_with_buddhist_era_dates(
        self, client_for, admin_user, entry
    ):
        response = client_for(admin_user).get(reverse("admin:audit_accesslogentry_changelist"))
        page = response.content.decode()
        assert response.status_code == 200
        assert str(entry.at.year + 543) in page
        assert "สมศรี ใจดี" in page  # who, by name
        assert str(AccessAction.SELF_EXPORT.label) in page and "Downloaded their own data" not in page

    def test_it_refuses_other_users(self, client_for, planner, advisor, entry):
        for user in (planner, advisor):
            url = reverse("admin:audit_accesslogentry_changelist")
            assert client_for(user).get(url).status_code == 302

    def test_it_cannot_add_change_or_delete_entries(self, client_for, admin_user, entry):
        client = client_for(admin_user)
        change = reverse("admin:audit_accesslogentry_change", args=[entry.pk])
        page = client.get(change)
        assert page.status_code == 200 and b'name="_save"' not in page.content  # a read-only view
        assert client.post(change, {"description": "แก้แล้ว", "action": "export"}).status_code == 403
        assert client.get(reverse("admin:audit_accesslogentry_add")).status_code == 403
        assert (
            client.post(
                reverse("admin:audit_accesslogentry_delete", args=[entry.pk]), {"post": "yes"}
            ).status_code
            == 403
        )
        changelist = reverse("admin:audit_accesslogentry_changelist")
        bulk = {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
        client.post(changelist, bulk)
        entry.refresh_from_db()
        assert (entry.description, entry.action) == ("ข้อมูลของฉัน", AccessAction.SELF_EXPORT)
