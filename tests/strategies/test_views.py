import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from provinces.models import Province
from strategies.models import Project, Strategy

pytestmark = pytest.mark.django_db


def form_data(criteria, **overrides):
    values = {
        "owner": "TH-50", "fiscal_year": "2570", "title_th": "ยกระดับด่าน", "work_area": "public_service",
        "pillar": "economic", "builds_place": "on",
        **{f"criterion_{c.pk}": "3" for c in criteria.values()},
    }  # fmt: skip
    values.update(overrides)
    return values


def test_it_creates_a_strategy_from_the_form_with_the_checklist(client_for, planner, criteria):
    response = client_for(planner).post(reverse("strategy_create"), form_data(criteria))
    s = Strategy.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("strategy_detail", args=[s.pk])
    assert (s.province.code, s.asean_effect, s.national_effect, s.quadrant) == ("TH-50", 75, 75, "ก")


def test_it_refuses_a_strategy_for_another_province(client_for, planner, criteria):
    response = client_for(planner).post(reverse("strategy_create"), form_data(criteria, owner="TH-52"))
    assert response.status_code == 400
    assert not Strategy.objects.exists()


def test_it_refuses_a_criterion_score_above_4(client_for, planner, criteria):
    bad = form_data(criteria, **{f"criterion_{criteria['A1'].pk}": "5"})
    assert client_for(planner).post(reverse("strategy_create"), bad).status_code == 400
    assert not Strategy.objects.exists()


def test_it_escapes_html_in_titles_and_summaries(client_for, planner, advisor, make_strategy):
    s = make_strategy(
        "TH-50",
        planner,
        title_th='<script>alert("x")</script><b>ด่าน</b>',
        summary_th="<img src=x onerror=alert(1)>",
    )
    for user in (planner, advisor):
        for url in (
            reverse("strategy_detail", args=[s.pk]),
            reverse("strategy_list"),
            reverse("matrix_province", args=["TH-50"]),
        ):
            html = client_for(user).get(url).content.decode()
            assert '<script>alert("x")' not in html and "<img src=x" not in html
            assert "&lt;script&gt;" in html


def test_it_hides_another_provinces_strategy_and_refuses_its_edit(
    client_for, planner, planner_lampang, make_strategy, criteria
):
    s = make_strategy("TH-50", planner)
    client = client_for(planner_lampang)
    assert (
        client.post(
            reverse("strategy_edit", args=[s.pk]), form_data(criteria, title_th="ของลำปาง")
        ).status_code
        == 404
    )
    assert client.post(reverse("strategy_propose", args=[s.pk])).status_code == 404
    s.refresh_from_db()
    assert (s.title_th, s.status) == ("ยกระดับด่านชายแดน", "draft")


def test_it_overrides_through_the_form_and_shows_it(client_for, planner, advisor, make_strategy):
    s = make_strategy("TH-50", planner, a=(1, 1, 1), n=(1, 1, 1))
    url = reverse("strategy_override", args=[s.pk])
    response = client_for(advisor).post(url, {"quadrant": "ก", "reason": ""})
    assert response.status_code == 400
    assert Strategy.objects.get(pk=s.pk).override_quadrant == ""
    response = client_for(advisor).post(url, {"quadrant": "ก", "reason": "ด่านหลักของภาค"})
    assert response.status_code == 302
    html = client_for(planner).get(reverse("strategy_detail", args=[s.pk])).content.decode()
    assert "ด่านหลักของภาค" in html
    matrix = client_for(advisor).get(reverse("matrix_province", args=["TH-50"]) + "?fy=2570").content.decode()
    assert 'class="override-arrow"' in matrix and 'class="computed"' in matrix
    assert 'data-quadrant="ก"' in matrix


def test_it_refuses_a_planners_override_post(client_for, planner, make_strategy):
    s = make_strategy("TH-50", planner)
    response = client_for(planner).post(
        reverse("strategy_override", args=[s.pk]), {"quadrant": "ง", "reason": "x"}
    )
    assert response.status_code == 403
    assert Strategy.objects.get(pk=s.pk).override_quadrant == ""


def test_it_explains_the_two_province_rule_on_the_project_form(client_for, secretariat, make_strategy):
    s = make_strategy("N-UP1", secretariat)
    cm = Province.objects.get(code="TH-50")
    response = client_for(secretariat).post(
        reverse("project_create", args=[s.pk]),
        {"title_th": "ศูนย์", "lead_agency": "จังหวัด", "budget": "1,500,000", "funding_source": "cluster",
         "start_fy": "2570", "end_fy": "2570", "provinces": [cm.pk], "status": "planned"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "อย่างน้อยสองจังหวัด" in response.content.decode()
    assert not Project.objects.exists()


def test_it_shows_movement_from_last_year_on_the_matrix(client_for, planner, make_strategy):
    from strategies import services

    old = make_strategy("TH-50", planner, fiscal_year=2569, a=(1, 1, 1), n=(1, 1, 1))
    new = services.strategy_carry_forward(strategy=old, by=planner)
    html = (
        client_for(planner)
        .get(reverse("matrix_province", args=["TH-50"]) + f"?fy={new.fiscal_year}")
        .content.decode()
    )
    assert f'data-id="{new.pk}"' in html and 'class="movement"' in html


@pytest.mark.parametrize(
    "url",
    ["/strategies/matrix/?fy=2570", "/strategies/matrix/clusters/N-UP1/?fy=2570", "/strategies/?fy=2570"],
)
def test_it_uses_the_same_number_of_queries_for_few_and_many_strategies(
    client_for, advisor, secretariat, make_strategy, url
):
    from decimal import Decimal

    from strategies import services

    def add(n):
        for _ in range(n):
            s = make_strategy("N-UP1", secretariat)
            services.project_save(
                strategy=s,
                data=services.ProjectData(title_th="p", lead_agency="a", budget=Decimal(10), funding_source="cluster",
                                          start_fy=2570, end_fy=2570, province_ids=tuple(Province.objects.filter(cluster__code="N-UP1").values_list("pk", flat=True))),
                by=secretariat,
            )  # fmt: skip
            services.strategy_carry_forward(strategy=s, by=secretariat) if n > 3 else None

    def count():
        with CaptureQueriesContext(connection) as q:
            assert client_for(advisor).get(url).status_code == 200
        return len(q)

    add(2)
    few = count()
    add(25)
    assert count() == few


@pytest.mark.parametrize(
    "url", ["/admin/strategies/criterion/", "/admin/strategies/strategy/", "/admin/strategies/project/"]
)
def test_it_lets_administrators_edit_the_checklist_and_correct_strategies(client_for, admin_user, url):
    assert client_for(admin_user).get(url).status_code == 200
