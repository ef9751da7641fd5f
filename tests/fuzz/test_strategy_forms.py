"""Bad input on the strategy and project forms, the review actions and the decision-support marks.

Cases per run (max_examples): strategy form 80 + project form 80 + review actions 110 + overlap marks 40
= 310.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from provinces.models import Province
from strategies.models import MAX_BUDGET, Criterion, OverlapVerdict, Project, Strategy, StrategyReview

from .harness import fuzz_settings, page_errors
from .inputs import hostile_text, mutated, number_text, text_or_number

pytestmark = pytest.mark.django_db


def choice_or_junk(values) -> st.SearchStrategy[str]:
    """Mostly a valid choice (so the other fields get checked too), sometimes anything."""
    return st.one_of(st.sampled_from(list(values)), st.sampled_from(list(values)), hostile_text(big=False))


def _clean_text(*values: str) -> None:
    for value in values:
        assert "\x00" not in value


def _no_nul_in_new_rows():
    for s in Strategy.objects.all():
        _clean_text(s.title_th, s.title_en, s.summary_th, s.summary_en)
    for r in StrategyReview.objects.all():
        _clean_text(r.text)
    for p in Project.objects.all():
        _clean_text(p.title_th, p.title_en, p.lead_agency, p.kpi, p.kpi_unit)


@given(data=st.data())
@fuzz_settings(80)
def test_it_refuses_bad_strategy_forms_with_a_message(world, data):
    good = {
        "owner": "TH-50", "fiscal_year": "2570", "title_th": "ยกระดับด่านการค้าชายแดน", "title_en": "Border trade",
        "summary_th": "สรุป", "work_area": "development", "pillar": "economic", "builds_place": "on", "indicators": [],
    }  # fmt: skip
    hostile = {
        "owner": hostile_text(big=False),
        "fiscal_year": number_text(),
        "title_th": hostile_text(),
        "title_en": hostile_text(),
        "summary_th": hostile_text(),
        "work_area": hostile_text(big=False),
        "pillar": hostile_text(big=False),
        "builds_place": hostile_text(big=False),
        "indicators": st.lists(text_or_number(), min_size=1, max_size=3),
    }
    for criterion in Criterion.objects.filter(active=True):
        good[f"criterion_{criterion.pk}"] = "2"
        hostile[f"criterion_{criterion.pk}"] = number_text()
    payload = data.draw(mutated(good, hostile))
    edit = data.draw(st.booleans(), label="edit")
    url = reverse("strategy_edit", args=[world.draft.pk]) if edit else reverse("strategy_create")
    world.run(
        "planner",
        "POST",
        url,
        payload,
        refused=lambda o: bool(page_errors(o.body)),
        check=lambda o: _no_nul_in_new_rows(),
    )


@given(data=st.data())
@fuzz_settings(80)
def test_it_refuses_bad_projects_budgets_and_years_with_a_message(world, data):
    province_ids = [str(pk) for pk in Province.objects.filter(code="TH-50").values_list("pk", flat=True)]
    good = {
        "title_th": "ปรับปรุงอาคารด่าน", "lead_agency": "สำนักงานจังหวัด", "partners": ["government"],
        "budget": "1,500,000", "funding_source": "provincial", "start_fy": "2570", "end_fy": "2571",
        "provinces": province_ids, "status": "planned", "kpi": "", "kpi_target": "", "kpi_actual": "", "kpi_unit": "",
    }  # fmt: skip
    hostile = {
        "title_th": hostile_text(),
        "lead_agency": hostile_text(),
        "partners": st.lists(hostile_text(big=False), min_size=1, max_size=3),
        "budget": number_text(),
        "funding_source": hostile_text(big=False),
        "start_fy": number_text(),
        "end_fy": number_text(),
        "provinces": st.lists(text_or_number(), min_size=1, max_size=3),
        "status": hostile_text(big=False),
        "kpi": hostile_text(),
        "kpi_target": number_text(),
        "kpi_actual": number_text(),
        "kpi_unit": hostile_text(),
    }
    payload = data.draw(mutated(good, hostile))
    edit = data.draw(st.booleans(), label="edit")
    url = (
        reverse("project_edit", args=[world.project.pk])
        if edit
        else reverse("project_create", args=[world.draft.pk])
    )

    def check(outcome):
        _no_nul_in_new_rows()
        if not outcome.rejected:
            for project in Project.objects.filter(strategy=world.draft):
                assert 0 <= project.budget <= MAX_BUDGET
                assert 2550 <= project.start_fy <= project.end_fy <= 2700

    world.run("planner", "POST", url, payload, refused=lambda o: bool(page_errors(o.body)), check=check)


REVIEW_ACTIONS = [
    # (role, url name, object, fields)
    ("planner", "strategy_comment", "draft", {"text": hostile_text(), "reply_to": text_or_number()}),
    ("advisor", "strategy_comment", "proposed", {"text": hostile_text(), "reply_to": text_or_number()}),
    ("advisor", "strategy_return", "proposed", {"text": hostile_text()}),
    ("advisor", "strategy_endorse", "proposed", {"text": hostile_text()}),
    ("planner", "strategy_set_status", "draft", {"status": hostile_text(big=False)}),
    ("advisor", "strategy_override", "proposed",
     {"quadrant": hostile_text(big=False), "reason": hostile_text(), "next": hostile_text(big=False)}),
    ("advisor", "strategy_override", "proposed",
     {"quadrant": st.sampled_from(["ก", "ข", "ค", "ง"]), "reason": hostile_text(), "next": hostile_text(big=False)}),
    ("planner", "project_progress", "project",
     {"progress": number_text(), "note": hostile_text(),
      "on": st.one_of(hostile_text(big=False), st.sampled_from(["2027-02-30", "0001-01-01", "9999-12-31", "2570-01-01",
                                                              "1/1/2570", "2027-01-15"]))}),
]  # fmt: skip


@given(data=st.data())
@fuzz_settings(110)
def test_it_refuses_bad_review_comments_reasons_and_status_changes(world, data):
    role, name, target, fields = data.draw(st.sampled_from(REVIEW_ACTIONS), label="action")
    payload = {key: data.draw(strategy, label=key) for key, strategy in fields.items()}
    obj = getattr(world, target)
    world.run(
        role,
        "POST",
        reverse(name, args=[obj.pk]),
        payload,
        refused=lambda o: bool(page_errors(o.body)),
        check=lambda o: _no_nul_in_new_rows(),
    )


@given(data=st.data())
@fuzz_settings(40)
def test_it_refuses_bad_overlap_decisions(world, data):
    ids = [str(world.cluster_strategy.pk), str(world.draft.pk), str(world.proposed.pk)]
    payload = {
        "fy": data.draw(st.one_of(st.just("2570"), number_text()), label="fy"),
        "strategy": data.draw(st.lists(st.one_of(st.sampled_from(ids), text_or_number()), max_size=4)),
        "decision": data.draw(choice_or_junk(OverlapVerdict.values), label="decision"),
        "merged_into": data.draw(st.one_of(st.sampled_from(ids), number_text()), label="merged_into"),
        "note": data.draw(hostile_text(), label="note"),
    }
    query = data.draw(st.one_of(st.just(""), number_text()), label="?fy")
    world.run(
        "secretariat",
        "POST",
        reverse("decision_overlap_decide", args=["N-UP1"])
        + (f"?{urlencode({'fy': query})}" if query else ""),
        payload,
    )
