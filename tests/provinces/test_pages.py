import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from provinces.models import Province

pytestmark = pytest.mark.django_db


def _rows(response):
    return re.findall(r'<td class="font-monospace">(TH-\d\d)</td>', response.content.decode())


def test_it_lists_all_77_provinces_and_links_only_the_visible_ones(client_for, planner):
    response = client_for(planner).get(reverse("province_list"))
    assert len(_rows(response)) == 77
    html = response.content.decode()
    assert reverse("province_detail", args=["TH-50"]) in html
    assert reverse("province_detail", args=["TH-52"]) not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "เชียง"}, {"TH-50", "TH-57"}),
        ({"q": "chiang"}, {"TH-50", "TH-57"}),
        ({"q": "Buriram"}, {"TH-31"}),  # the common spelling finds the ISO "Buri Ram"
        ({"q": "th-38"}, {"TH-38"}),
        ({"cluster": "N-UP1"}, {"TH-50", "TH-51", "TH-52", "TH-58"}),
        ({"cluster": "none"}, {"TH-10"}),
        ({"region": "west"}, {"TH-63", "TH-70", "TH-71", "TH-76", "TH-77"}),
        ({"region": "north", "q": "ลำ"}, {"TH-51", "TH-52"}),
    ],
)
def test_it_filters_and_searches_in_thai_and_english(client_for, advisor, query, expected):
    response = client_for(advisor).get(reverse("province_list"), query)
    assert set(_rows(response)) == expected


def test_it_says_so_when_nothing_matches(client_for, advisor):
    response = client_for(advisor).get(reverse("province_list"), {"q": "ไม่มีจังหวัดนี้"})
    assert "ไม่พบจังหวัดที่ตรงกับเงื่อนไข" in response.content.decode()


def test_it_shows_a_province_with_cluster_borders_and_locator_map(client_for, planner):
    html = client_for(planner).get(reverse("province_detail", args=["TH-50"])).content.decode()
    assert "จังหวัดเชียงใหม่" in html
    assert "กลุ่มจังหวัดภาคเหนือตอนบน 1" in html
    assert "เมียนมา" in html
    assert len(re.findall(r'<path [^>]*data-code="TH-', html)) == 77
    assert "CC BY 4.0" in html  # the map's attribution shows wherever the map does


def test_it_shows_a_cluster_with_members_lead_and_neighbours(client_for, secretariat):
    html = client_for(secretariat).get(reverse("cluster_detail", args=["N-UP1"])).content.decode()
    for name in ("เชียงใหม่", "ลำพูน", "ลำปาง", "แม่ฮ่องสอน"):
        assert name in html
    assert "จังหวัดศูนย์ปฏิบัติการ" in html
    assert "เมียนมา" in html


def test_it_answers_an_unknown_code_with_a_thai_404_page(client_for, advisor):
    response = client_for(advisor).get("/provinces/TH-99/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()
    assert client_for(advisor).get("/clusters/%3Cscript%3E/").status_code == 404


def test_it_switches_to_english_and_back(client_for, planner):
    client = client_for(planner)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/provinces/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Provinces" in html and "Log out" in html
    response = client.post(reverse("set_language"), {"language": "th", "next": "/provinces/"}, follow=True)
    assert '<html lang="th">' in response.content.decode()
    assert "ออกจากระบบ" in response.content.decode()


ENGLISH_UI_STRINGS = [
    "Provinces", "Clusters", "Log out", "Search", "Region", "Overview", "History", "Borders",
    "Coastal", "Lead province", "member province", "Provincial cluster", "Page not found", "Code",
]  # fmt: skip


@pytest.mark.parametrize(
    "url",
    ["/provinces/", "/provinces/TH-50/", "/provinces/TH-50/history/", "/clusters/", "/clusters/N-UP1/"],
)
def test_it_leaves_no_english_ui_strings_on_thai_pages(client_for, admin_user, url):
    html = client_for(admin_user).get(url).content.decode()
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S))
    for english in ENGLISH_UI_STRINGS:
        assert not re.search(rf"\b{english}\b", visible), f"untranslated '{english}' on {url}"


def test_it_shows_who_changed_what_on_the_history_tab(client_for, admin_user, planner):
    province = Province.objects.get(code="TH-50")
    province.name_en_alt = "Chiengmai"
    province._history_user = admin_user
    province.save()
    html = client_for(planner).get(reverse("province_history", args=["TH-50"])).content.decode()
    assert "Chiengmai" in html
    assert "<del>–</del>" in html  # the old value was empty
    assert "admin" in html


def test_it_rejects_an_inconsistent_scope_with_a_clear_message(reference, django_user_model):
    from django.core.exceptions import ValidationError

    from provinces.models import UserScope

    user = django_user_model.objects.create_user("x")
    scope = UserScope(user=user, role="planner", province=None)
    with pytest.raises(ValidationError, match="ผู้วางแผนจังหวัดต้องมีจังหวัดเดียว"):
        scope.full_clean()


def test_it_uses_the_same_number_of_queries_for_small_and_large_clusters(client_for, advisor):
    client = client_for(advisor)
    counts = []
    for code in ("NE-UP2", "S-AND"):  # 3 and 6 members
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cluster_detail", args=[code])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_it_locks_out_after_repeated_failed_logins(client, planner):
    for _ in range(3):
        client.post(reverse("login"), {"username": "planner_cm", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "planner_cm", "password": "pw-planner_cm"})
    assert response.status_code == 429
    assert "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป" in response.content.decode()


def test_it_logs_in_with_the_right_password(client, planner):
    response = client.post(
        reverse("login"), {"username": "planner_cm", "password": "pw-planner_cm"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("province_detail", args=["TH-50"])


@pytest.mark.parametrize(
    "url",
    [
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/provinces/province/",
        "/admin/provinces/cluster/",
        "/admin/provinces/userscope/",
    ],
)
def test_it_lets_administrators_manage_users_scopes_and_reference_data(client_for, admin_user, url):
    assert client_for(admin_user).get(url).status_code == 200


def test_it_offers_only_member_provinces_as_a_clusters_lead(client_for, admin_user):
    from provinces.models import Cluster

    cluster = Cluster.objects.get(code="N-UP1")
    html = client_for(admin_user).get(f"/admin/provinces/cluster/{cluster.pk}/change/").content.decode()
    assert "ลำพูน" in html
    assert "อุดรธานี" not in html


def test_it_saves_a_users_scope_through_the_admin_and_refuses_a_bad_one(
    client_for, admin_user, django_user_model
):
    from provinces.models import Cluster, Province

    user = django_user_model.objects.create_user("newplanner")
    url = f"/admin/auth/user/{user.pk}/change/"
    base = {
        "username": "newplanner", "is_active": "on", "date_joined_0": "2026-11-25", "date_joined_1": "10:00:00",
        "scope-TOTAL_FORMS": "1", "scope-INITIAL_FORMS": "0", "scope-MIN_NUM_FORMS": "0", "scope-MAX_NUM_FORMS": "1",
        "scope-0-user": str(user.pk),
    }  # fmt: skip
    bad = {**base, "scope-0-role": "planner", "scope-0-cluster": str(Cluster.objects.get(code="N-UP1").pk)}
    response = client_for(admin_user).post(url, bad)
    assert response.status_code == 200
    assert "ผู้วางแผนจังหวัดต้องมีจังหวัดเดียว" in response.content.decode()
    user.refresh_from_db()
    assert not hasattr(user, "scope")

    good = {**base, "scope-0-role": "planner", "scope-0-province": str(Province.objects.get(code="TH-52").pk)}
    response = client_for(admin_user).post(url, good)
    assert response.status_code == 302
    user = django_user_model.objects.get(pk=user.pk)
    assert user.scope.province.code == "TH-52"
