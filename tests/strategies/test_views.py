import re

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


# --- the forms take nothing for granted, and say each problem once -----------------------------------

SELECT = re.compile(r"<select[^>]*>(.*?)</select>", re.S)
OPTION = re.compile(r'<option value="([^"]*)"( selected)?')
CHECKED_RADIO = re.compile(r'<input type="radio"[^>]*name="(\w+)"[^>]*checked')


def chosen(html: str) -> list[str]:
    """What a rendered form has already chosen for the user: the value each select shows (its selected option,
    else its first one, as a browser does) unless blank, and the name of each radio group with a checked button."""
    values = []
    for options in SELECT.findall(html):
        found = OPTION.findall(options)
        value = next((v for v, selected in found if selected), found[0][0] if found else "")
        values += [value] if value else []
    return values + CHECKED_RADIO.findall(html)


def project_data(**overrides):
    values = {
        "title_th": "ลานตรวจสินค้า", "lead_agency": "สำนักงานจังหวัด", "budget": "1,500,000",
        "funding_source": "provincial", "start_fy": "2570", "end_fy": "2570", "status": "planned",
    }  # fmt: skip
    values.update(overrides)
    return values


def test_it_chooses_no_work_area_pillar_or_score_for_the_user(client_for, planner, admin_user):
    html = client_for(planner).get(reverse("strategy_create")).content.decode()
    assert 'name="criterion_' in html and 'name="work_area"' in html
    # Chiang Mai is the planner's only possible owner: that is no choice of theirs to make.
    assert chosen(html) == ["TH-50"]
    assert chosen(client_for(admin_user).get(reverse("strategy_create")).content.decode()) == []


def test_it_chooses_no_funding_source_for_a_new_project(client_for, planner, make_strategy):
    s = make_strategy("TH-50", planner)
    html = client_for(planner).get(reverse("project_create", args=[s.pk])).content.decode()
    assert 'name="funding_source"' in html
    assert chosen(html) == ["planned"]  # a new project is planned until work starts


def test_it_refuses_a_checklist_with_a_criterion_left_blank(client_for, planner, criteria):
    for left_blank in ("", None):
        data = form_data(criteria)
        if left_blank is None:
            del data[f"criterion_{criteria['N3'].pk}"]
        else:
            data[f"criterion_{criteria['N3'].pk}"] = left_blank
        response = client_for(planner).post(reverse("strategy_create"), data)
        assert response.status_code == 400
        assert response.content.decode().count("กรุณาให้คะแนนเกณฑ์นี้") == 1
    assert not Strategy.objects.exists()


def test_it_requires_a_work_area_and_a_pillar(client_for, planner, criteria):
    response = client_for(planner).post(
        reverse("strategy_create"), form_data(criteria, work_area="", pillar="")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "กรุณาเลือกด้านงาน" in html and "กรุณาเลือกเสาหลักประชาคมอาเซียน" in html
    assert not Strategy.objects.exists()


def test_it_leaves_unscored_criteria_blank_when_editing_an_imported_strategy(client_for, planner, criteria):
    s = Strategy.objects.create(
        province=Province.objects.get(code="TH-50"), fiscal_year=2570, title_th="นำเข้า", work_area="development",
        pillar="economic", asean_effect=80, national_effect=70, effect_source="entered",
    )  # fmt: skip
    client = client_for(planner)
    html = client.get(reverse("strategy_edit", args=[s.pk])).content.decode()
    assert sorted(chosen(html)) == ["TH-50", "development", "economic"]
    assert "ผลกระทบของยุทธศาสตร์นี้มาจากการนำเข้าข้อมูล" in html
    data = form_data(criteria, work_area="development")
    del data[f"criterion_{criteria['A1'].pk}"]
    assert client.post(reverse("strategy_edit", args=[s.pk]), data).status_code == 400
    s.refresh_from_db()
    assert (s.asean_effect, s.national_effect, s.quadrant) == (80, 70, "ก")


def test_it_keeps_the_scores_given_when_editing(client_for, planner, make_strategy, criteria):
    s = make_strategy("TH-50", planner, a=(0, 1, 2), n=(3, 4, 0))
    html = client_for(planner).get(reverse("strategy_edit", args=[s.pk])).content.decode()
    radios = dict(re.findall(r'name="criterion_(\d+)" value="(\d)"[^>]*checked', html))
    assert {criteria[c].pk: int(radios[str(criteria[c].pk)]) for c in ("A1", "A3", "N2", "N3")} == {
        criteria["A1"].pk: 0, criteria["A3"].pk: 2, criteria["N2"].pk: 4, criteria["N3"].pk: 0,
    }  # fmt: skip


HINT = "ใช้ปีพุทธศักราช (พ.ศ.) เช่น 2570"


def test_it_hints_at_the_buddhist_era_for_a_christian_era_year(client_for, planner, make_strategy, criteria):
    client = client_for(planner)
    response = client.post(reverse("strategy_create"), form_data(criteria, fiscal_year="2026"))
    assert response.status_code == 400 and response.content.decode().count(HINT) == 1
    assert not Strategy.objects.exists()
    s = make_strategy("TH-50", planner)
    response = client.post(
        reverse("project_create", args=[s.pk]), project_data(start_fy="2026", end_fy="2027")
    )
    assert response.status_code == 400 and response.content.decode().count(HINT) == 2
    assert not Project.objects.exists()


@pytest.mark.parametrize(("field", "message"), [("kpi_target", "ค่าเป้าหมาย"), ("kpi_actual", "ผลจริง")])
def test_it_refuses_a_negative_kpi(client_for, planner, make_strategy, field, message):
    s = make_strategy("TH-50", planner)
    response = client_for(planner).post(
        reverse("project_create", args=[s.pk]), project_data(kpi="ผู้ผ่านการอบรม", **{field: "-50"})
    )
    assert response.status_code == 400
    assert f"{message}ของตัวชี้วัดผลสำเร็จต้องไม่ติดลบ" in response.content.decode()
    assert not Project.objects.exists()


def test_it_shows_a_projects_partner_sectors(client_for, planner, advisor, make_strategy):
    s = make_strategy("TH-50", planner)
    response = client_for(planner).post(
        reverse("project_create", args=[s.pk]), project_data(partners=["private", "academia"])
    )
    assert response.status_code == 302
    assert Project.objects.get().partners == ["academia", "private"]
    for user in (planner, advisor):
        html = client_for(user).get(reverse("strategy_detail", args=[s.pk])).content.decode()
        assert "ภาคีความร่วมมือ: สถาบันการศึกษา, ภาคเอกชน" in html


def test_it_says_one_problem_per_field(client_for, planner, make_strategy):
    s = make_strategy("TH-50", planner)
    # 17 digits: too many digits and over the limit; only the limit is said.
    html = (
        client_for(planner)
        .post(reverse("project_create", args=[s.pk]), project_data(budget="12345678901234567"))
        .content.decode()
    )
    budget_errors = re.search(r'id="id_budget_error"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert budget_errors.count("<p ") == 1 and "1 ล้านล้านบาท" in budget_errors


def test_it_says_the_two_province_rule_once_at_the_provinces(client_for, secretariat, make_strategy):
    c = make_strategy("N-UP1", secretariat)
    cm = Province.objects.get(code="TH-50")
    html = (
        client_for(secretariat)
        .post(
            reverse("project_create", args=[c.pk]), project_data(funding_source="cluster", provinces=[cm.pk])
        )
        .content.decode()
    )
    assert html.count("อย่างน้อยสองจังหวัด") == 1 and 'id="id_provinces_error"' in html
    assert not Project.objects.exists()


def test_it_says_a_missing_override_reason_once(client_for, planner, advisor, make_strategy):
    s = make_strategy("TH-50", planner)
    response = client_for(advisor).post(
        reverse("strategy_override", args=[s.pk]), {"quadrant": "ก", "reason": ""}
    )
    html = response.content.decode()
    assert response.status_code == 400 and html.count("กรุณาระบุเหตุผลในการย้ายยุทธศาสตร์ไปช่องอื่น") == 1
    response = client_for(advisor).post(reverse("strategy_override", args=[s.pk]), {"reason": "ด่านหลัก"})
    assert response.status_code == 400 and response.content.decode().count("กรุณาเลือกช่อง") == 1
    assert Strategy.objects.get(pk=s.pk).override_quadrant == ""


def test_it_names_people_in_the_reply_picker(client_for, planner, advisor, make_strategy):
    s = make_strategy("TH-50", planner)
    client_for(planner).post(reverse("strategy_comment", args=[s.pk]), {"text": "ขอคำแนะนำเรื่องงบ"})
    client_for(advisor).post(reverse("strategy_comment", args=[s.pk]), {"text": "ดูแหล่งงบกลุ่มจังหวัด"})
    html = client_for(planner).get(reverse("strategy_detail", args=[s.pk])).content.decode()
    picker = re.search(r'<select[^>]*name="reply_to".*?</select>', html, re.S).group(0)
    assert "สมศรี ใจดี" in picker and "planner_cm" not in picker
    assert "· advisor ·" in picker  # no full name: the login name is all there is


def test_it_keeps_the_demo_strategies_and_projects_valid_for_the_forms(planner, secretariat, advisor):
    from devdata.demo_strategies import demo_strategies_load
    from strategies import services
    from strategies.forms import ProjectForm, StrategyForm

    assert demo_strategies_load(planner=planner, secretariat=secretariat, advisor=advisor)
    criteria = services.active_criteria()
    for s in Strategy.objects.prefetch_related("criterion_scores", "projects__provinces"):
        scores = {f"criterion_{cs.criterion_id}": str(cs.value) for cs in s.criterion_scores.all()}
        fields = ("title_th", "title_en", "summary_th", "summary_en", "work_area", "pillar")
        form = StrategyForm(
            {"owner": s.owner.code, "fiscal_year": s.fiscal_year, **{f: getattr(s, f) for f in fields}, **scores},
            owners=[s.owner], criteria=criteria,
        )  # fmt: skip
        assert form.is_valid(), (s.external_ref, s.fiscal_year, form.errors)
        for p in s.projects.all():
            fields = ("title_th", "lead_agency", "budget", "funding_source", "start_fy", "end_fy", "status",
                      "kpi", "kpi_target", "kpi_unit")  # fmt: skip
            data = {f: getattr(p, f) for f in fields} | {"partners": p.partners,
                                                         "provinces": [x.pk for x in p.provinces.all()]}  # fmt: skip
            form = ProjectForm(data, provinces=Province.objects.all())
            assert form.is_valid(), (p.title_th, form.errors)
