"""Derived documents never carry what their reader would get a 404 for.

For each member of the cast, every document they may ask for — each briefing they may request (every kind
and subject with data, both languages, with and without unapproved figures where allowed), every briefing
job they may download, each XLSX export, each API list — is searched for the titles and texts of the
strategies, projects, comments, advisors' notes and assessment justifications seeded in two provinces of
N-UP1 (Chiang Mai, Lampang), in N-UP1 itself and in another cluster (Udon Thani, NE-UP1). Whether the user
gets a 404 for an object is asked of the object's own page, not of the access helpers. Positive controls
(what the user may see does appear) keep the searches from passing on empty documents.

Every marker is a short ASCII word ("Zqcmse": Chiang Mai, strategy, endorsed) inside Thai text, so that it
survives PDF text extraction; whitespace is ignored when searching (pypdf wraps and spaces Thai lines).
"""

import io
import re
from dataclasses import replace
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from briefings import services as briefing_services
from briefings.access import may_include_unapproved, subject_options
from briefings.document import document
from briefings.models import Briefing
from briefings.rendering import document_html
from briefings.spec import BriefingSpec
from provinces.access import is_nationwide
from provinces.models import Cluster, Province
from readiness.models import Answer, Assessment
from strategies.models import ProgressNote, Project, Strategy, StrategyReview
from tests.briefings.conftest import docx_text, pdf_text, squash
from tests.readiness.conftest import fill

pytestmark = pytest.mark.django_db

FY = 2570
USERS = ["planner", "planner_lampang", "secretariat", "secretariat_other", "advisor", "admin"]
OWNERS = {"cm": "TH-50", "lp": "TH-52", "nu": "N-UP1", "ud": "TH-41"}
SUBJECTS_WITH_DATA = {"TH-50", "TH-52", "TH-41", "N-UP1", "NE-UP1", "TH"}
# Advisors and administrators see everything (nothing to leak): one subject of each kind is enough for them.
NATIONWIDE_SUBJECTS = {"TH", "N-UP1", "TH-50"}
# The PDFs made through the real job, each once: (role, subject, language). Every other combination is
# searched in its print HTML, which is what the PDF is made from (a PDF costs seconds, the HTML a fraction).
JOBS = [
    ("planner", "N-UP1", "th"), ("planner", "TH-50", "en"),
    ("planner_lampang", "N-UP1", "en"), ("planner_lampang", "TH-52", "th"),
    ("secretariat", "N-UP1", "th"), ("secretariat_other", "NE-UP1", "en"), ("advisor", "N-UP1", "en"),
]  # fmt: skip
# The same briefing as a Word document (the DOCX is written from the same print HTML): a reader who sees
# less, one who sees more, a province briefing.
DOCX_JOBS = [("planner_lampang", "N-UP1", "th"), ("secretariat", "N-UP1", "en"), ("planner", "TH-50", "th")]
CLUSTERS_WITH_DATA = ["N-UP1", "NE-UP1"]
SUMMARY = "พัฒนาด่านชายแดนและการค้าชายแดน เชื่อมโยงโลจิสติกส์ การค้าข้ามแดน และการท่องเที่ยวของกลุ่มจังหวัด"
MARKER = re.compile(r"Zq[a-z]{4}")
LEFT_OUT = re.compile(r"strateg(y|ies) of other provinces (is|are) not shown at your access level")


@pytest.fixture
def world(cast, round_2569, round_2570):
    """Approved FY 2570 readiness (low: every strategy closes a gap) for N-UP1 and Udon Thani; for each owner
    an endorsed and a draft strategy, each with a project; on the endorsed one a comment, the advisor's
    endorsement note and a progress note; a justification on each province's assessment. Returns
    {marker: ("strategy" | "project" | "assessment", object)}; markers of comments and notes belong to
    their strategy."""
    advisor = cast["advisor"]
    marks: dict[str, tuple[str, object]] = {}
    for code in ["TH-50", "TH-51", "TH-52", "TH-58", "TH-41"]:
        assessment = fill(code, round_2570, level_for=lambda i, ind: 1, status="approved", by=advisor)
        owner = next((k for k, v in OWNERS.items() if v == code), None)
        if owner:
            Answer.objects.filter(assessment=assessment, indicator__position=1).update(
                justification=f"หลักฐานการประเมิน Zq{owner}aj"
            )
            marks[f"Zq{owner}aj"] = ("assessment", assessment)
    for owner, code in OWNERS.items():
        unit = {"province": Province.objects.get(code=code)} if code.startswith("TH-") else {}
        unit = unit or {"cluster": Cluster.objects.get(code=code)}
        members = list(Province.objects.filter(code__in=[code] if code.startswith("TH-") else ["TH-50"]))
        for state, letter in [("endorsed", "e"), ("draft", "d")]:
            s = Strategy.objects.create(
                **unit, fiscal_year=FY, status=state, work_area="development", pillar="economic",
                title_th=f"ยกระดับด่านชายแดนการค้า Zq{owner}s{letter}",
                title_en=f"Border trade upgrade Zq{owner}s{letter}",
                summary_th=SUMMARY, builds_place=True, builds_product=True, asean_effect=70, national_effect=65,
            )  # fmt: skip
            marks[f"Zq{owner}s{letter}"] = ("strategy", s)
            p = Project.objects.create(
                strategy=s, title_th=f"โครงการด่านการค้า Zq{owner}p{letter}", lead_agency="สำนักงานจังหวัด",
                budget=Decimal("900000000"), funding_source="cluster", start_fy=FY, end_fy=FY,
            )  # fmt: skip
            p.provinces.set(members)
            marks[f"Zq{owner}p{letter}"] = ("project", p)
            if state == "endorsed":
                StrategyReview.objects.create(
                    strategy=s, kind="comment", author=advisor, text=f"ความเห็น Zq{owner}ce"
                )
                StrategyReview.objects.create(
                    strategy=s, kind="endorsed", author=advisor, text=f"เห็นชอบ Zq{owner}ne"
                )
                ProgressNote.objects.create(
                    project=p, on=round_2570.opens_on, progress=10, note=f"Zq{owner}gn"
                )
                marks[f"Zq{owner}ce"] = marks[f"Zq{owner}ne"] = marks[f"Zq{owner}gn"] = ("strategy", s)
    return marks


def _url(kind: str, obj) -> str:
    if kind == "strategy":
        return reverse("strategy_detail", args=[obj.pk])
    if kind == "project":
        return reverse("project_edit", args=[obj.pk])
    return reverse("assessment_detail", args=[obj.province.code, obj.round.fiscal_year])


@pytest.fixture
def hidden_from(world, cast, client_for):
    """role → the markers of objects that user gets a 404 for (asked of each object's page)."""
    result = {}
    for role in USERS:
        client = client_for(cast[role])
        missing = {
            url
            for url in {_url(kind, obj) for kind, obj in world.values()}
            if client.get(url).status_code == 404
        }
        result[role] = {m for m, (kind, obj) in world.items() if _url(kind, obj) in missing}
    assert not result["advisor"] and not result["admin"]
    assert {"Zqcmse", "Zqcmpd", "Zqcmce", "Zqcmne", "Zqcmgn", "Zqcmaj"} <= result["planner_lampang"]
    assert "Zqlpse" not in result["planner_lampang"] and "Zqnuse" not in result["planner_lampang"]
    return result


def _leaks(text: str, hidden: set[str]) -> set[str]:
    return {m for m in MARKER.findall(squash(text)) if m in hidden}


def _expected_in_briefing(world, spec: BriefingSpec, hidden: set[str]) -> set[str]:
    """Markers the user may see that a briefing on the subject must print: the strategies' titles, their
    projects and the advisors' notes — endorsed ones, or all with unapproved figures. The national briefing
    lists counts only."""
    if spec.kind == "national":
        return set()
    states = {"e", "d"} if spec.include_unapproved else {"e"}
    out = set()
    for marker, (kind, obj) in world.items():
        if kind == "assessment" or marker in hidden:
            continue
        strategy = obj if kind == "strategy" else obj.strategy
        owner = strategy.province.code if strategy.province_id else strategy.cluster.code
        cluster = strategy.cluster.code if strategy.cluster_id else strategy.province.cluster.code
        if spec.subject not in (owner, cluster) or (spec.kind == "province" and owner != spec.subject):
            continue
        if marker[-2] in "sp" and marker[-1] in states or marker[-2:] == "ne" and "e" in states:
            out.add(marker)
    return out


def _specs(user):
    """Every briefing the user may request on a subject with seeded data: kind, subject, language, and
    with unapproved figures where they may have them."""
    nationwide = is_nationwide(user)
    for _label, subjects in subject_options(user):
        for subject in subjects:
            if subject.code not in (NATIONWIDE_SUBJECTS if nationwide else SUBJECTS_WITH_DATA):
                continue
            variants = [False, True] if may_include_unapproved(user, subject) else [False]
            for include in variants:
                for language in ["th", "en"]:
                    yield BriefingSpec(subject.kind, subject.code, FY, language, include)


def test_it_prints_in_no_briefing_what_its_reader_gets_a_404_for(world, hidden_from, cast, client_for):
    problems = []
    for role in USERS:
        user, hidden = cast[role], hidden_from[role]
        for spec in _specs(user):
            html = document_html(document(spec, viewer=user))
            if leaks := _leaks(html, hidden):
                problems.append(f"{role} {spec}: prints {sorted(leaks)}")
            if missing := _expected_in_briefing(world, spec, hidden) - set(MARKER.findall(html)):
                problems.append(f"{role} {spec}: lacks its own {sorted(missing)}")
            partial = spec.subject == "N-UP1" and {"Zqcmse", "Zqlpse"} & hidden
            if partial and spec.language == "en" and not LEFT_OUT.search(html):
                problems.append(f"{role} {spec}: does not say what was left out")
    assert not problems, "\n".join(problems)


def test_it_puts_in_no_briefing_file_what_a_reader_of_it_gets_a_404_for(
    world, hidden_from, cast, client_for, monkeypatch
):
    """The real job, as each user requests it (the PDF, made for the requester by the service), then every
    file each user may download — someone else's job included — is searched again."""
    from briefings import tasks

    monkeypatch.setattr(tasks.briefing_render_task, "delay", lambda *args, **kwargs: None)
    problems = []
    for role, subject, language, file_format in [(*j, "pdf") for j in JOBS] + [
        (*j, "docx") for j in DOCX_JOBS
    ]:
        user = cast[role]
        spec = next(s for s in _specs(user) if (s.subject, s.language) == (subject, language))
        spec = next(
            (s for s in _specs(user) if s == replace(spec, include_unapproved=True)), spec
        )  # the richest
        job, _created = briefing_services.briefing_request_by_code(
            kind=spec.kind, subject=spec.subject, fiscal_year=FY, language=spec.language,
            include_unapproved=spec.include_unapproved, file_format=file_format, by=user,
        )  # fmt: skip
        job = briefing_services.briefing_render(briefing=job)
        assert job.status == "done", (role, spec, job.error)
        text = _file_text(job)
        if missing := _expected_in_briefing(world, spec, hidden_from[role]) - set(
            MARKER.findall(squash(text))
        ):
            problems.append(f"{role} {spec}: its {file_format} lacks its own {sorted(missing)}")
    jobs = list(Briefing.objects.all())
    assert {job.format for job in jobs} == {"pdf", "docx"}
    texts = {job.pk: _file_text(job) for job in jobs}
    for role in USERS:
        client, hidden = client_for(cast[role]), hidden_from[role]
        downloaded = 0
        for job in jobs:
            response = client.get(reverse("briefing_download", args=[job.pk]))
            if response.status_code == 404:
                continue
            downloaded += 1
            if leaks := _leaks(texts[job.pk], hidden):
                requester = job.requested_by.username
                problems.append(f"{role} downloads {job} of {requester}: it prints {sorted(leaks)}")
        assert downloaded, role
    assert not problems, "\n".join(problems)


def _file_text(job: Briefing) -> str:
    content = job.file.open("rb").read()
    return docx_text(content) if job.format == "docx" else pdf_text(content)


def _xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value
    )


def test_it_exports_in_no_workbook_what_its_reader_gets_a_404_for(world, hidden_from, cast, client_for):
    problems = []
    assessments = list(Assessment.objects.select_related("province", "round"))
    for role in USERS:
        client, hidden = client_for(cast[role]), hidden_from[role]
        urls = [reverse("national_rollup_xlsx"), reverse("national_rollup_xlsx") + "?all=1"]
        for code in CLUSTERS_WITH_DATA:
            urls += [reverse("cluster_rollup_xlsx", args=[code]) + q for q in ("", "?all=1")]
        urls += [reverse("assessment_xlsx", args=[a.pk]) for a in assessments]
        got = {}
        for url in urls:
            response = client.get(url)
            if response.status_code == 200:
                got[url] = _xlsx_text(response.content)
            elif response.status_code not in (403, 404):
                problems.append(f"{role} {url}: {response.status_code}")
        for url, text in got.items():
            if leaks := _leaks(text, hidden):
                problems.append(f"{role} {url}: exports {sorted(leaks)}")
        own = {m for m, (kind, _o) in world.items() if kind == "assessment" and m not in hidden}
        if missing := own - {m for text in got.values() for m in MARKER.findall(squash(text))}:
            problems.append(f"{role}: no workbook carries their own {sorted(missing)}")
        if not any("cluster" in url or "national" in url for url in got):
            problems.append(f"{role}: no roll-up workbook at all")
    assert not problems, "\n".join(problems)


def _api_lists() -> list[str]:
    from api.urls import router

    urls = [reverse(f"api:{basename}-list") for _prefix, _viewset, basename in router.registry]
    urls += [reverse("api:rollup-national")]
    urls += [reverse("api:rollup-cluster", args=[code]) for code in CLUSTERS_WITH_DATA]
    return urls


def test_it_lists_in_no_api_answer_what_its_reader_gets_a_404_for(world, hidden_from, cast, client_for):
    problems = []
    for role in USERS:
        client, hidden = client_for(cast[role]), hidden_from[role]
        found: set[str] = set()
        for url in _api_lists():
            for query in ("", "?include_unapproved=true"):
                next_url = url + query
                while next_url:
                    response = client.get(next_url)
                    if response.status_code != 200:
                        break
                    text = response.content.decode()
                    found |= set(MARKER.findall(text))
                    if leaks := _leaks(text, hidden):
                        problems.append(f"{role} {next_url}: lists {sorted(leaks)}")
                    body = response.json()
                    next_url = body.get("next") if isinstance(body, dict) else None
        titles = {m for m, (kind, _o) in world.items() if kind != "assessment" and m[-2] in "sp"}
        if missing := (titles - hidden) - found:
            problems.append(f"{role}: the API lists none of their own {sorted(missing)}")
    assert not problems, "\n".join(problems)
