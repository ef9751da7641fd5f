"""Thai pages speak Thai: no known English UI string and no raw code where a name belongs.

Every page of the access matrix that answers 200 to some member of the cast is fetched in Thai (the default)
as that member; so are the national map by cluster and, as the administrator, the admin's index, change
lists, change forms and history pages of the main models. Only visible text counts: scripts, styles,
attributes and URLs are left out, and so is text in a monospace cell (a code column shows codes on purpose).
A failure names the page, the word and the text around it.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from tests.provinces.test_access_matrix import EXPECTED, ROLES
from tests.provinces.test_access_matrix import world as _matrix_world  # noqa: F401 (a fixture, see world)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(request) -> dict:
    """The access matrix's real objects (test_access_matrix.world)."""
    return request.getfixturevalue("_matrix_world")


# English the Thai UI showed (Django's admin, django-simple-history, our own pages), matched as whole words.
ENGLISH = [
    "Show counts", "Hide counts", "Select an option", "Run", "selected", "None", "pk=None", "Changed",
    "Added", "Created", "Deleted", "lagging", "indicator_code", "successfully", "Authentication and Authorization",
    "Users", "Groups", "Object", "Comment", "Changed by", "Change reason", "Changes", "entries", "entry",
    "Date/time", "Change history", "confidence",
]  # fmt: skip
# Codes where a name belongs: clusters (C-LO1, N-UP1) and stored choice values shown as bare words.
CLUSTER_CODE = r"[A-Z]{1,2}-[A-Z]{2,3}\d"
CODES = ["proposed", "draft", "submitted", "returned", "approved", "endorsed", "preparation", "economic"]
# Pages that show cluster codes on purpose: a code column, the import guide (the file takes codes).
SHOWS_CLUSTER_CODES = {
    "cluster_list",
    "cluster_detail",
    "decision_national",
    "strategy_import",
    "admin:provinces_cluster",
    "admin:briefings_briefing",
}  # the admin lists: their code columns, a briefing's subject code
SHOWS_CHOICE_CODES = {"strategy_import"}  # it lists each code with its label, for the file's columns
# Django's permission names are stored in English (auth_permission); the admin's user page lists them.
PERMISSION = re.compile(r"^.* \| Can (add|change|delete|view) .*$", re.MULTILINE)


class _VisibleText(HTMLParser):
    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its text hidden from the check?
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        hidden = tag in self.HIDDEN or "font-monospace" in classes or tag in {"code", "kbd"}
        if tag not in {"br", "img", "input", "meta", "link", "hr", "path", "rect", "circle"}:
            self.stack.append(hidden or (bool(self.stack) and self.stack[-1]))
        self.parts.append("\n")

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()
        self.parts.append("\n")

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    text = PERMISSION.sub("", "".join(parser.parts))
    return re.sub(r"https?://\S+", " ", text)


def leaks(text: str, page: str) -> list[str]:
    words = [(re.escape(w), w) for w in ENGLISH]
    if page not in SHOWS_CHOICE_CODES:
        words += [(re.escape(w), w) for w in CODES]
    if page not in SHOWS_CLUSTER_CODES:
        words.append((CLUSTER_CODE, "a cluster code"))
    found = []
    for pattern, word in words:
        for m in re.finditer(rf"(?<![A-Za-z_\-]){pattern}(?![A-Za-z_\-])", text):
            around = " ".join(text[max(0, m.start() - 40) : m.end() + 40].split())
            found.append(f"{word!r} in “…{around}…”")
    return found


def _url(world, name, args):
    return reverse(name, args=[world[a[1:-1]] if str(a).startswith("{") else a for a in args])


def _check(client, url: str, page: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    if "text/html" not in response.get("Content-Type", ""):
        return []
    return [f"{url}: {leak}" for leak in leaks(visible_text(response.content.decode()), page)]


def test_no_page_of_the_access_matrix_leaks_english_or_codes(cast, world, client_for):
    problems = []
    for (name, args), expected in EXPECTED.items():
        if name.startswith("admin:"):
            continue  # below, with more pages
        role = next((r for r in ROLES if expected[r] == 200), None)
        if role is not None:
            problems += _check(client_for(cast[role]), _url(world, name, args), name)
    problems += _check(client_for(cast["advisor"]), reverse("national_map") + "?by=cluster", "national_map")
    assert not problems, "\n".join(problems)


ADMIN_MODELS = [
    ("provinces", "province", "TH-50"), ("provinces", "cluster", "N-UP1"), ("provinces", "userscope", None),
    ("readiness", "round", None), ("readiness", "indicator", None), ("readiness", "assessment", "{cm}"),
    ("readiness", "answer", "{cm_answer}"), ("strategies", "strategy", "{cm_s}"), ("strategies", "project", "{cm_p}"),
    ("auth", "user", "{planner_user}"), ("briefings", "briefing", None),
]  # fmt: skip


def test_the_admin_speaks_thai(cast, world, client_for, planner):
    from provinces.models import Cluster, Province
    from readiness import services
    from readiness.models import Answer, Indicator

    answer = Answer.objects.get(pk=world["cm_answer"])
    services.answer_save(
        answer=answer, level=4, justification="", expected_version=answer.version, by=planner
    )
    indicator = Indicator.objects.order_by("pk").first()
    client = client_for(cast["admin"])
    problems = _check(client, reverse("admin:index"), "admin:index")
    for app, model, pk in ADMIN_MODELS:
        page = f"admin:{app}_{model}"
        problems += _check(client, reverse(f"{page}_changelist"), page)
        keys = {"TH-50": Province.objects.get(code="TH-50").pk, "N-UP1": Cluster.objects.get(code="N-UP1").pk}
        key = (
            world[pk[1:-1]]
            if pk and pk.startswith("{")
            else keys.get(pk, indicator.pk if model == "indicator" else None)
        )
        if key is None:
            continue
        problems += _check(client, reverse(f"{page}_change", args=[key]), page)
        if model != "user":
            problems += _check(client, reverse(f"{page}_history", args=[key]), page)
    assert not problems, "\n".join(problems)


def test_the_admin_files_users_under_their_own_heading(cast, client_for):
    html = client_for(cast["admin"]).get(reverse("admin:index")).content.decode()
    assert "ผู้ใช้และสิทธิ์" in html
    with translation.override("th"):
        from django.apps import apps

        headings = [str(a.verbose_name) for a in apps.get_app_configs()]
    assert len(headings) == len(set(headings)), "two apps share a heading in the admin index"


def test_the_first_change_after_a_bulk_created_row_shows_its_diff(cast, world, client_for, planner):
    from readiness import services
    from readiness.models import Answer

    answer = Answer.objects.get(pk=world["cm_answer"])  # created with the others when the assessment began
    services.answer_save(
        answer=answer, level=4, justification="", expected_version=answer.version, by=planner
    )
    html = client_for(cast["admin"]).get(reverse("admin:readiness_answer_history", args=[answer.pk])).content
    text = visible_text(html.decode())
    assert re.search(r"ระดับ[^\n]*:\s*–\s*→\s*4", text), text


def test_admin_messages_and_widgets_have_thai_translations():
    """Messages the admin shows after a save, and its JavaScript widgets' strings (the djangojs catalogue)."""
    from django.views.i18n import JavaScriptCatalog

    with translation.override("th"):
        message = translation.gettext("The {name} “{obj}” was changed successfully.")
        assert "successfully" not in message
        catalog = JavaScriptCatalog(packages=["django.contrib.admin"])
        catalog.translation = translation.trans_real.DjangoTranslation(
            "th", domain="djangojs", localedirs=catalog.get_paths(["django.contrib.admin"])
        )
        selected = catalog.get_catalog()["%(sel)s of %(cnt)s selected"]
    assert "selected" not in (selected if isinstance(selected, str) else selected[0])
