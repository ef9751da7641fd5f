"""Anonymising a departed user: name, email and login name replaced by a stable pseudonym, no login, nothing
deleted, every history row still linked to the same account and showing the pseudonym."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from audit.choices import AccessAction
from audit.models import AccessLogEntry
from privacy import services
from provinces.templatetags.thai import who
from strategies import services as strategies

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:auth_user_changelist"


@pytest.fixture
def departed(planner):
    """The planner, with an email, a strategy (and its history) and a comment."""
    planner.email = "somsri@example.go.th"
    planner.set_password("รหัสผ่าน-2570")
    planner.save()
    data = strategies.StrategyData(title_th="ยุทธศาสตร์การค้าชายแดน", work_area="development", pillar="economic")
    strategy = strategies.strategy_create(
        owner=planner.scope.province, fiscal_year=2570, data=data, scores={}, by=planner
    )
    strategies.strategy_comment(strategy=strategy, by=planner, text="ความเห็น")
    planner.strategy = strategy
    return planner


def _action(client, user, **extra):
    return client.post(
        reverse(CHANGELIST), {"action": "anonymise_users", "_selected_action": [user.pk], **extra}
    )


def test_it_asks_for_confirmation_first(client_for, admin_user, departed):
    response = _action(client_for(admin_user), departed)
    assert response.status_code == 200
    assert "ผู้ใช้ที่ลบข้อมูลแล้ว" in response.content.decode()
    departed.refresh_from_db()
    assert departed.username == "planner_cm" and departed.email  # nothing changed yet


def test_it_replaces_the_name_and_contact_and_stops_the_login(client_for, client, admin_user, departed):
    response = _action(client_for(admin_user), departed, confirm="yes")
    assert response.status_code == 302
    user = User.objects.get(pk=departed.pk)
    assert user.get_full_name() == f"ผู้ใช้ที่ลบข้อมูลแล้ว #{user.pk}"
    assert (user.username, user.email, user.is_active) == (f"anonymised-{user.pk}", "", False)
    assert not user.has_usable_password()
    for username in ("planner_cm", user.username):
        response = client.post(reverse("login"), {"username": username, "password": "รหัสผ่าน-2570"})
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert user.scope.province.code == "TH-50"  # nothing else is deleted


def test_it_keeps_the_history_linked_and_shows_the_pseudonym(client_for, admin_user, departed):
    strategy = departed.strategy
    history_before = list(strategy.history.values_list("history_id", "history_user_id"))
    reviews_before = list(strategy.reviews.values_list("pk", "author_id"))
    _action(client_for(admin_user), departed, confirm="yes")
    assert list(strategy.history.values_list("history_id", "history_user_id")) == history_before
    assert list(strategy.reviews.values_list("pk", "author_id")) == reviews_before
    record = strategy.history.earliest("history_date")
    assert who(record.history_user) == f"ผู้ใช้ที่ลบข้อมูลแล้ว #{departed.pk}"
    page = client_for(admin_user).get(reverse("admin:strategies_strategy_history", args=[strategy.pk]))
    text = page.content.decode()
    assert f"ผู้ใช้ที่ลบข้อมูลแล้ว #{departed.pk}" in text and "สมศรี" not in text


def test_it_records_who_anonymised_whom(client_for, admin_user, departed):
    _action(client_for(admin_user), departed, confirm="yes")
    entry = AccessLogEntry.objects.get(action=AccessAction.ANONYMISED)
    assert (entry.user, entry.subject_id) == (admin_user, departed.pk)
    assert "สมศรี" not in entry.description


def test_it_gives_the_login_attempts_the_pseudonym_too(client, admin_user, departed):
    from axes.models import AccessAttempt

    client.post(reverse("login"), {"username": "planner_cm", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="planner_cm").exists()
    services.user_anonymise(user=departed, by=admin_user)
    assert not AccessAttempt.objects.filter(username="planner_cm").exists()
    assert AccessAttempt.objects.filter(username=f"anonymised-{departed.pk}").exists()


def test_it_is_stable_when_run_twice(admin_user, departed):
    first = services.user_anonymise(user=departed, by=admin_user)
    second = services.user_anonymise(user=first, by=admin_user)
    assert (second.username, second.get_full_name()) == (first.username, first.get_full_name())


def test_it_refuses_non_administrators(client_for, advisor, departed):
    # A staff account allowed to change users, but not an administrator of the product.
    advisor.is_staff = True
    advisor.save()
    advisor.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    client = client_for(advisor)
    assert client.get(reverse(CHANGELIST)).status_code == 200
    _action(client, departed, confirm="yes")
    departed.refresh_from_db()
    assert (departed.username, departed.is_active) == ("planner_cm", True)
    with pytest.raises(services.PrivacyError):
        services.user_anonymise(user=departed, by=advisor)
    departed.refresh_from_db()
    assert departed.username == "planner_cm"


def test_it_refuses_ones_own_account(admin_user):
    with pytest.raises(services.PrivacyError):
        services.user_anonymise(user=admin_user, by=admin_user)
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.username == "admin"
