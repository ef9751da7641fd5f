"""Every write endpoint × every member of the cast: an outsider's POST is refused and changes nothing.

The GET matrix (test_access_matrix.py) decides who may *see* each page; this module decides who may *change*
anything. Each entry of WRITES is one write URL on a real object (of the user's own unit or of another) with
the form a rightful user would send, and the outcome expected for each role:

* a refusal — the login page for anonymous visitors, 403 (may see, may not change), 404 (may not see), 400
  (the form names something outside the user's scope: another unit as owner, another cluster's file rows,
  another cluster's assessment), or a redirect back with an error message — and then the database (every
  table: counts and a hash of every row, history tables included) and the uploaded files are unchanged;
* OK — the first such role in ROLES order sends the same POST as the positive control: it must change the
  database, which proves the payload is valid and so that the refusals are about who asks, not what is sent.

test_it_has_an_entry_for_every_url_that_accepts_post finds the POST-accepting URLs by asking (an
administrator's POST that is not answered 405), so a new write view without an entry here fails the suite.
The JSON API is read-only: test_the_api_refuses_every_unsafe_method.
"""

import hashlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from briefings.models import Briefing
from provinces.models import Province
from readiness import services as readiness_services
from readiness import workbook
from readiness.models import Answer, Assessment, Evidence, Round
from strategies import services as strategy_services
from strategies.matrix import LETTERS
from strategies.models import Strategy, StrategyReview
from tests.files import pdf
from tests.provinces.test_access_matrix import EXPECTED, FRAMEWORK_NAMESPACES
from tests.provinces.test_access_matrix import world as _matrix_world  # noqa: F401 (a fixture, see objects)
from tests.readiness.conftest import fill

pytestmark = pytest.mark.django_db

# The matrix's cast, plus a signed-in user whom no administrator has placed yet (no role, no unit).
ROLES = [
    "anonymous",
    "planner",
    "planner_lampang",
    "secretariat",
    "secretariat_other",
    "advisor",
    "admin",
    "unplaced",
]

OK = "ok"  # allowed: the first OK role in ROLES order is the positive control
LOGIN = "login page"
ADMIN_LOGIN = "admin login page"
BOUNCE = "redirected back with an error"  # the view looked and the service said no

# URLs that accept POST but act only on the visitor's own session: signing in and out, the language cookie.
EXEMPT = {
    "login": "signing in acts on the visitor's own session (and django-axes' log of attempts)",
    "logout": "signing out ends only the visitor's own session",
    "set_language": "sets the visitor's language cookie; writes nothing",
    "notification_mark_all_read": "marks the visitor's own notifications read; nobody else's (tests/notifications)",
    "notification_preferences": "sets the visitor's own mail preferences (tests/notifications)",
    "notification_unsubscribe": "acts on the user its signed token names; a bad token is refused (tests/notifications)",
    "strategy_similar": "reads only: scores a draft against plans the visitor may see, writes nothing (test_similar_hint)",
}


def expect(anonymous, planner, planner_lampang, secretariat, secretariat_other, advisor, admin, unplaced=404):
    values = [anonymous, planner, planner_lampang, secretariat, secretariat_other, advisor, admin, unplaced]
    return dict(zip(ROLES, values, strict=True))


# Who may do what on Chiang Mai's (TH-50, cluster N-UP1) and on Udon Thani's (TH-41, NE-UP1) objects.
# planner_lampang is a neighbour in the same cluster, secretariat_other the other cluster's secretariat.
PLANNER_CM = expect(LOGIN, OK, 404, 403, 404, 403, OK)
PLANNER_UDON = expect(LOGIN, 404, 404, 404, 403, 403, OK)  # no Udon planner in the cast: admin is rightful
ADVISOR_CM = expect(LOGIN, 403, 404, 403, 404, OK, 403)
ADVISOR_UDON = expect(LOGIN, 404, 404, 404, 403, OK, 403)
SECRETARIAT_NUP1 = expect(LOGIN, 403, 403, OK, 404, 403, OK)
# Django's admin sends signed-in users without staff rights to its own login page.
ADMIN_ONLY = expect(LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, OK, ADMIN_LOGIN)


@dataclass(frozen=True)
class Write:
    name: str
    args: tuple
    expected: dict
    payload: Callable[[dict], dict] = lambda w: {}
    setup: Callable[[dict, dict], None] | None = None  # (world, cast): brings the object to the right state
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}({','.join(map(str, self.args))}){'-' + self.note if self.note else ''}"


# --- the forms a rightful user sends ---------------------------------------------------------------------


def answer_form(answer_key):
    def payload(w):
        version = Answer.objects.get(pk=w[answer_key]).version
        return {"level": "4", "justification": "มีด่านถาวร 2 แห่ง", "version": str(version)}

    return payload


def evidence_form(w):
    return {
        "file": SimpleUploadedFile("แผนงาน.pdf", pdf(note=b"evidence"), content_type="application/pdf"),
        "title": "แผนงานด่านชายแดน",
    }


def workbook_form(assessment_key):
    def payload(w):
        wb = openpyxl.load_workbook(
            io.BytesIO(workbook.assessment_workbook(Assessment.objects.get(pk=w[assessment_key])))
        )
        wb[workbook.SHEET_FORM].cell(2, workbook.POSITION["level"]).value = 4
        out = io.BytesIO()
        wb.save(out)
        return {
            "file": SimpleUploadedFile("filled.xlsx", out.getvalue(), content_type=workbook.XLSX_CONTENT_TYPE)
        }

    return payload


def strategy_form(owner):
    def payload(w):
        criteria = {
            f"criterion_{c.pk}": "3" for axis in strategy_services.active_criteria().values() for c in axis
        }
        return {
            "owner": owner,
            "fiscal_year": "2570",
            "title_th": "พัฒนาด่านการค้าชายแดน",
            "work_area": "development",
            "pillar": "economic",
            "builds_place": "on",
            **criteria,
        }

    return payload


def project_form(*province_codes):
    def payload(w):
        return {
            "title_th": "ก่อสร้างลานตรวจสินค้า",
            "lead_agency": "สำนักงานจังหวัด",
            "budget": "1,500,000",
            "funding_source": "provincial",
            "start_fy": "2570",
            "end_fy": "2571",
            "status": "planned",
            "provinces": [str(p.pk) for p in Province.objects.filter(code__in=province_codes)],
        }

    return payload


def other_quadrant(strategy_key):
    def payload(w):
        current = Strategy.objects.get(pk=w[strategy_key]).computed_quadrant
        return {"quadrant": next(q for q in LETTERS if q != current), "reason": "ผลต่อประชาคมอาเซียนสูงกว่า"}

    return payload


def import_form(w):
    content = (Path(__file__).parents[1] / "strategies" / "data" / "strategies_good.csv").read_bytes()
    return {"strategies_file": SimpleUploadedFile("strategies.csv", content, content_type="text/csv")}


IMPORT_HEADER = "ref,owner,fiscal_year,title_th,work_area,asean_pillar,asean_effect,national_effect"
PROJECTS_HEADER = "strategy_ref,title_th,lead_agency,budget_thb,funding_source,start_fy,end_fy"


def import_rows(*rows: str, projects: tuple[str, ...] = ()):
    """An import of these strategy rows (and project rows), as CSV files."""

    def payload(w):
        def csv(name, lines):
            return SimpleUploadedFile(name, "\r\n".join(lines).encode(), content_type="text/csv")

        form = {"strategies_file": csv("strategies.csv", [IMPORT_HEADER, *rows])}
        if projects:
            form["projects_file"] = csv("projects.csv", [PROJECTS_HEADER, *projects])
        return form

    return payload


def imported_as(strategy_key, ref):
    """The strategy carries the ref of an earlier import, so that a new import finds it again."""

    def setup(w, cast):
        Strategy.objects.filter(pk=w[strategy_key]).update(external_ref=ref)

    return setup


def overlap_form(w):
    return {
        "fy": "2570",
        "strategy": [str(w["cm_s"]), str(w["nup1_s"])],
        "decision": "not_overlap",
        "note": "คนละพื้นที่",
    }


def briefing_form(subject, **extra):
    return lambda w: {"subject": subject, "fiscal_year": "2570", "language": "th", **extra}


def progress_form(w):
    return {"progress": "40", "note": "เริ่มก่อสร้าง"}


def text(value):
    return lambda w: {"text": value}


# --- states the rightful action needs --------------------------------------------------------------------


def submitted(assessment_key, by_role):
    def setup(w, cast):
        assessment = Assessment.objects.get(pk=w[assessment_key])
        answer = assessment.answers.order_by("indicator__position").first()
        readiness_services.answer_save(
            answer=answer, level=3, justification="", expected_version=answer.version, by=cast[by_role]
        )
        readiness_services.assessment_submit(assessment=assessment, by=cast[by_role])

    return setup


def answered(w, cast):
    answer = Answer.objects.get(pk=w["cm_answer"])
    readiness_services.answer_save(
        answer=answer, level=3, justification="", expected_version=answer.version, by=cast["planner"]
    )


def last_round_approved(w, cast):
    fill("TH-50", Round.objects.get(fiscal_year=2569), status="approved", by=cast["advisor"])


def proposed(strategy_key, by_role):
    def setup(w, cast):
        strategy_services.strategy_propose(
            strategy=Strategy.objects.get(pk=w[strategy_key]), by=cast[by_role]
        )

    return setup


def overridden(w, cast):
    strategy = Strategy.objects.get(pk=w["cm_s"])
    quadrant = other_quadrant("cm_s")(w)["quadrant"]
    strategy_services.strategy_override(
        strategy=strategy, quadrant=quadrant, reason="ทดสอบ", by=cast["advisor"]
    )


def udon_review(w, cast):
    strategy = Strategy.objects.get(pk=w["udon_s"])
    strategy_services.strategy_comment(strategy=strategy, by=cast["admin"], text="ความเห็นของอุดรธานี")
    w["udon_review"] = StrategyReview.objects.filter(strategy=strategy).latest("pk").pk


def planners_notification(key):
    def setup(w, cast):
        from notifications.models import Notification

        w[key] = Notification.objects.create(recipient=cast["planner"], kind="assessment_returned").pk

    return setup


def failed_briefing(key, kind, subject, **extra):
    def setup(w, cast):
        w[key] = Briefing.objects.create(
            kind=kind,
            subject=subject,
            fiscal_year=2570,
            status="failed",
            error="The worker stopped.",
            requested_by=cast["admin"],
            **extra,
        ).pk

    return setup


WRITES = [
    # --- readiness: the planner's assessment ---
    Write("assessment_start", ("TH-52", 2570), expect(LOGIN, 404, OK, 403, 404, 403, OK)),
    Write("assessment_start", ("TH-42", 2570), expect(LOGIN, 404, 404, 404, 403, 403, OK)),
    Write("answer_save", ("{cm}", "{cm_answer}"), PLANNER_CM, answer_form("cm_answer")),
    Write("answer_save", ("{udon}", "{udon_answer}"), PLANNER_UDON, answer_form("udon_answer")),
    # Another province's answer under one's own assessment: no one may reach it that way.
    Write(
        "answer_save",
        ("{cm}", "{udon_answer}"),
        expect(LOGIN, 404, 404, 404, 404, 404, 404),
        answer_form("udon_answer"),
        note="foreign-answer",
    ),
    Write("evidence_add", ("{cm}", "{cm_answer}"), PLANNER_CM, evidence_form),
    Write("evidence_add", ("{udon}", "{udon_answer}"), PLANNER_UDON, evidence_form),
    Write("evidence_delete", ("{cm_file}",), PLANNER_CM),
    Write("evidence_delete", ("{udon_file}",), PLANNER_UDON),
    Write("assessment_copy_forward", ("{cm}",), PLANNER_CM, setup=last_round_approved),
    Write("assessment_submit", ("{cm}",), PLANNER_CM, lambda w: {"confirm": "1"}, answered),
    Write("assessment_xlsx_upload", ("{cm}",), PLANNER_CM, workbook_form("cm")),
    Write("assessment_xlsx_upload", ("{udon}",), PLANNER_UDON, workbook_form("udon")),
    # --- readiness: the advisor's review (a planner may not approve or return their own) ---
    # confirm=1: the assessments are incomplete, so without it the advisor is only asked to confirm.
    Write(
        "assessment_approve", ("{cm}",), ADVISOR_CM, lambda w: {"confirm": "1"}, submitted("cm", "planner")
    ),
    Write(
        "assessment_approve",
        ("{udon}",),
        ADVISOR_UDON,
        lambda w: {"confirm": "1"},
        submitted("udon", "admin"),
    ),
    Write(
        "assessment_return",
        ("{cm}",),
        ADVISOR_CM,
        lambda w: {"comment": "ขอหลักฐานเพิ่มเติม"},
        submitted("cm", "planner"),
    ),
    Write(
        "assessment_return",
        ("{udon}",),
        ADVISOR_UDON,
        lambda w: {"comment": "ขอหลักฐานเพิ่มเติม"},
        submitted("udon", "admin"),
    ),
    Write(
        "cluster_review",
        ("N-UP1",),
        expect(LOGIN, 404, 404, 404, 404, OK, 404),
        lambda w: {"assessments": [str(w["cm"])], "confirm": "1"},
        submitted("cm", "planner"),
    ),
    # N-UP1's assessment sent through NE-UP1's review page: not among that page's choices.
    Write(
        "cluster_review",
        ("NE-UP1",),
        expect(LOGIN, 404, 404, 404, 404, 400, 404),
        lambda w: {"assessments": [str(w["cm"])]},
        submitted("cm", "planner"),
        note="foreign-assessment",
    ),
    # --- strategies ---
    # Whose strategy it is comes in the form: someone else's unit is not among the choices (400).
    Write(
        "strategy_create", (), expect(LOGIN, OK, 400, 400, 400, 404, OK), strategy_form("TH-50"), note="TH-50"
    ),
    Write(
        "strategy_create", (), expect(LOGIN, 400, 400, OK, 400, 404, OK), strategy_form("N-UP1"), note="N-UP1"
    ),
    Write("strategy_edit", ("{cm_s}",), PLANNER_CM, strategy_form("TH-50")),
    Write("strategy_edit", ("{nup1_s}",), SECRETARIAT_NUP1, strategy_form("N-UP1")),
    Write("strategy_edit", ("{udon_s}",), PLANNER_UDON, strategy_form("TH-41")),
    Write("strategy_propose", ("{cm_s}",), PLANNER_CM),
    Write("strategy_propose", ("{nup1_s}",), SECRETARIAT_NUP1),
    Write("strategy_endorse", ("{cm_s}",), ADVISOR_CM, text("สอดคล้องกับแผน"), proposed("cm_s", "planner")),
    Write("strategy_endorse", ("{udon_s}",), ADVISOR_UDON, text("สอดคล้อง"), proposed("udon_s", "admin")),
    Write("strategy_return", ("{cm_s}",), ADVISOR_CM, text("ระบุตัวชี้วัด"), proposed("cm_s", "planner")),
    # The advisor's bulk endorse from the review queue; a strategy not waiting for review refuses it all.
    Write(
        "strategy_review_queue",
        (),
        expect(LOGIN, 404, 404, 404, 404, OK, 404),
        lambda w: {"strategy": [str(w["cm_s"])]},
        proposed("cm_s", "planner"),
    ),
    Write(
        "strategy_review_queue",
        (),
        expect(LOGIN, 404, 404, 404, 404, BOUNCE, 404),
        lambda w: {"strategy": [str(w["cm_s"]), str(w["udon_s"])]},
        proposed("cm_s", "planner"),
        note="not-waiting",
    ),
    Write("strategy_set_status", ("{cm_s}",), PLANNER_CM, lambda w: {"status": "dropped"}),
    Write("strategy_comment", ("{cm_s}",), expect(LOGIN, OK, 404, 403, 404, OK, OK), text("ขอความเห็น")),
    Write("strategy_comment", ("{nup1_s}",), expect(LOGIN, 403, 403, OK, 404, OK, OK), text("ขอความเห็น")),
    # A reply under one's own strategy to a comment in another province's thread.
    Write(
        "strategy_comment",
        ("{cm_s}",),
        expect(LOGIN, 404, 404, 403, 404, 404, 404),
        lambda w: {"text": "ตอบกลับ", "reply_to": str(w["udon_review"])},
        udon_review,
        note="foreign-reply",
    ),
    Write("strategy_carry_forward", ("{cm_s}",), PLANNER_CM),
    Write("strategy_override", ("{cm_s}",), ADVISOR_CM, other_quadrant("cm_s")),
    Write("strategy_override", ("{udon_s}",), ADVISOR_UDON, other_quadrant("udon_s")),
    Write("strategy_override_withdraw", ("{cm_s}",), ADVISOR_CM, setup=overridden),
    Write("project_create", ("{cm_s}",), PLANNER_CM, project_form("TH-50")),
    Write("project_create", ("{nup1_s}",), SECRETARIAT_NUP1, project_form("TH-50", "TH-52")),
    Write("project_create", ("{udon_s}",), PLANNER_UDON, project_form("TH-41")),
    # A project of Chiang Mai's strategy said to run in Udon Thani (another cluster): not offered, refused.
    Write(
        "project_create",
        ("{cm_s}",),
        expect(LOGIN, 400, 404, 403, 404, 403, 400),
        project_form("TH-41"),
        note="foreign-province",
    ),
    Write("project_edit", ("{cm_p}",), PLANNER_CM, project_form("TH-50")),
    Write("project_edit", ("{nup1_p}",), SECRETARIAT_NUP1, project_form("TH-50", "TH-52")),
    Write("project_edit", ("{udon_p}",), PLANNER_UDON, project_form("TH-41")),
    Write("project_progress", ("{cm_p}",), PLANNER_CM, progress_form),
    Write("project_progress", ("{udon_p}",), PLANNER_UDON, progress_form),
    # The import holds every row to the rule of the edit pages: a planner imports their province's
    # strategies, a secretariat the cluster's own; a row of anyone else's is a 400 naming it, nothing written.
    Write("strategy_import", (), expect(LOGIN, 400, 400, 400, 400, 404, OK), import_form, note="TH-50+N-UP1"),
    Write(
        "strategy_import",
        (),
        expect(LOGIN, OK, 400, 400, 400, 404, OK),
        import_rows("CM-02,TH-50,2570,ยุทธศาสตร์จังหวัด,development,economic,70,60"),
        note="TH-50",
    ),
    Write(
        "strategy_import",
        (),
        expect(LOGIN, 400, 400, OK, 400, 404, OK),
        import_rows("NUP1-02,N-UP1,2570,ยุทธศาสตร์กลุ่มจังหวัด,งานบริหารการพัฒนา,เศรษฐกิจ,70,60"),
        note="N-UP1",
    ),
    # Chiang Mai's draft retitled and its projects replaced: the secretariat sees it but may not change it.
    Write(
        "strategy_import",
        (),
        expect(LOGIN, OK, 400, 400, 400, 404, OK),
        import_rows(
            "CM-01,TH-50,2570,ชื่อใหม่,development,economic,70,60",
            projects=("CM-01,โครงการแทนที่,จังหวัด,1000,provincial,2570,2570",),
        ),
        imported_as("cm_s", "CM-01"),
        note="foreign-retitle",
    ),
    # --- decision support: a cluster's secretariat or an advisor marks overlaps ---
    Write("decision_overlap_decide", ("N-UP1",), expect(LOGIN, 403, 403, OK, 404, OK, 403), overlap_form),
    # N-UP1's strategies marked through NE-UP1's page: the service refuses strategies of another cluster.
    Write(
        "decision_overlap_decide",
        ("NE-UP1",),
        expect(LOGIN, 404, 404, 404, BOUNCE, BOUNCE, 403),
        overlap_form,
        note="foreign-strategies",
    ),
    # --- briefings: requested on a subject the user may see; retried by whoever may see the job ---
    Write(
        "briefing_list",
        (),
        expect(LOGIN, OK, 404, OK, 404, OK, OK),
        briefing_form("province:TH-50"),
        note="TH-50",
    ),
    Write(
        "briefing_list",
        (),
        expect(LOGIN, 404, 404, 404, OK, OK, OK),
        briefing_form("province:TH-41"),
        note="TH-41",
    ),
    Write(
        "briefing_list",
        (),
        expect(LOGIN, 404, 404, 404, 404, OK, OK),
        briefing_form("national:TH"),
        note="nation",
    ),
    # Unapproved figures of a cluster: for its secretariat and the ministry, never for a planner.
    Write(
        "briefing_list",
        (),
        expect(LOGIN, 400, 400, OK, 404, OK, OK),
        briefing_form("cluster:N-UP1", include_unapproved="on"),
        note="N-UP1-unapproved",
    ),
    Write(
        "briefing_retry",
        ("{cm_failed_b}",),
        expect(LOGIN, OK, 404, OK, 404, OK, OK),
        setup=failed_briefing("cm_failed_b", "province", "TH-50"),
    ),
    Write(
        "briefing_retry",
        ("{nup1_draft_failed_b}",),
        expect(LOGIN, 404, 404, OK, 404, OK, OK),
        setup=failed_briefing("nup1_draft_failed_b", "cluster", "N-UP1", includes_unapproved=True),
    ),
    # A notification is its recipient's alone: marking another person's read is a 404.
    Write(
        "notification_mark_read",
        ("{cm_notification}",),
        expect(LOGIN, OK, 404, 404, 404, 404, 404),
        setup=planners_notification("cm_notification"),
    ),
    # Preparing a briefing again: whoever may see the job, as for a retry.
    Write(
        "briefing_rerender",
        ("{cm_again_b}",),
        expect(LOGIN, OK, 404, OK, 404, OK, OK),
        setup=failed_briefing("cm_again_b", "province", "TH-50"),
    ),
    Write(
        "briefing_rerender",
        ("{nup1_draft_again_b}",),
        expect(LOGIN, 404, 404, OK, 404, OK, OK),
        setup=failed_briefing("nup1_draft_again_b", "cluster", "N-UP1", includes_unapproved=True),
    ),
    # --- Django's admin, representatives: making an account, deleting a strategy ---
    Write(
        "admin:auth_user_add",
        (),
        ADMIN_ONLY,
        lambda w: {
            "username": "intruder",
            "password1": "a-Long-pass-phrase-2570",
            "password2": "a-Long-pass-phrase-2570",
            "usable_password": "true",
            "scope-TOTAL_FORMS": "0",
            "scope-INITIAL_FORMS": "0",
            "scope-MIN_NUM_FORMS": "0",
            "scope-MAX_NUM_FORMS": "1",
        },
    ),
    Write("admin:strategies_strategy_delete", ("{cm_s}",), ADMIN_ONLY, lambda w: {"post": "yes"}),
    # The round action: open the next fiscal year's round (FY 2571) from FY 2570's framework.
    Write(
        "admin:readiness_round_changelist",
        (),
        ADMIN_ONLY,
        lambda w: {"action": "create_next_round", "_selected_action": [w["round_2570"]], "index": "0"},
        note="create_next_round",
    ),
    # Anonymising a departed user (privacy app), confirmed: only administrators.
    Write(
        "admin:auth_user_changelist",
        (),
        ADMIN_ONLY,
        lambda w: {"action": "anonymise_users", "_selected_action": [w["planner_user"]], "confirm": "yes"},
        note="anonymise_users",
    ),
]


# --- fingerprints ---------------------------------------------------------------------------------------


def _tables():
    # Not the data versions (provinces.dataversion): a statement that changes no row still moves them, which
    # costs a cache miss and changes no data.
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if not m._meta.proxy and m._meta.managed and m._meta.db_table != "provinces_dataversion"
    ]


def db_fingerprint() -> dict[str, tuple[int, str]]:
    """Every table (application, auth, history, sessions, admin log, M2M): its row count and a hash of its
    rows in primary-key order. On PostgreSQL one query hashes them all in the database (this runs hundreds
    of times per suite run); elsewhere the rows are read and hashed here."""
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        sql = " UNION ALL ".join(
            f"SELECT %s, count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.{qn(m._meta.pk.column)}),"
            f" '')) FROM {qn(m._meta.db_table)} t"
            for m in _tables()
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [m._meta.db_table for m in _tables()])
            return {table: (count, digest) for table, count, digest in cursor.fetchall()}
    state = {}
    for model in _tables():
        rows = list(model._base_manager.order_by("pk").values_list())
        state[model._meta.db_table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()[:16])
    return state


def media_fingerprint() -> dict[str, str]:
    """Every file in the upload storage: its path and a hash of its content."""
    root = default_storage.location
    files = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                files[os.path.relpath(path, root)] = hashlib.sha256(handle.read()).hexdigest()[:16]
    return files


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


def outcome(response) -> str:
    """A response as the expectation tables name it."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location.startswith(reverse("login")):
            return LOGIN
        levels = {m.level for m in get_messages(response.wsgi_request)}
        return BOUNCE if message_levels.ERROR in levels else f"302 to {location} without an error"
    return response.status_code


def resolve(args, w) -> list:
    return [w[a[1:-1]] if str(a).startswith("{") else a for a in args]


@pytest.fixture
def objects(request) -> dict:
    """The GET matrix's real objects (test_access_matrix.world), shared so both tables speak of the same."""
    return request.getfixturevalue("_matrix_world")


@pytest.fixture
def clients(cast, client_for):
    """One signed-in client per role, made before any fingerprint (signing in writes a session row)."""
    users = {**cast, "unplaced": User.objects.create_user("unplaced", password="pw-unplaced")}
    return {role: client_for(users[role]) for role in ROLES}


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.id)
def test_it_refuses_outsiders_and_changes_nothing(write, cast, objects, clients, round_2570):
    world = {**objects, "round_2570": round_2570.pk}
    if write.setup:
        write.setup(world, cast)
    url = reverse(write.name, args=resolve(write.args, world))
    got, changes = {}, {}
    db, media = db_fingerprint(), media_fingerprint()
    for role in ROLES:
        if write.expected[role] == OK:
            continue
        got[role] = outcome(clients[role].post(url, write.payload(world)))
        db_after, media_after = db_fingerprint(), media_fingerprint()
        if db_after != db or media_after != media:
            changes[role] = changed_tables(db, db_after) + sorted(media.keys() ^ media_after.keys())
        db, media = db_after, media_after
    refusals = {role: e for role, e in write.expected.items() if e != OK}
    assert (got, changes) == (refusals, {})

    # The positive control: the same POST from the first rightful role changes the database.
    rightful = next((role for role in ROLES if write.expected[role] == OK), None)
    if rightful is None:
        return
    response = clients[rightful].post(url, write.payload(world))
    assert response.status_code == 302, (rightful, response.status_code, response.content[:3000])
    assert outcome(response) not in (LOGIN, ADMIN_LOGIN, BOUNCE)
    assert changed_tables(db, db_fingerprint()), (
        f"{rightful}'s POST changed nothing: the payload is not valid"
    )


# --- completeness -----------------------------------------------------------------------------------------


def _framework(name: str) -> bool:
    return ":" in name and name.split(":")[0] in FRAMEWORK_NAMESPACES


def test_it_has_an_entry_for_every_url_that_accepts_post(objects, admin_user, client_for):
    """Every URL of the GET matrix, POSTed by an administrator: whatever does not answer 405 takes POSTs
    and must have its refusals decided in WRITES (or be EXEMPT)."""
    admin = client_for(admin_user)
    first_args = {}
    for name, args in EXPECTED:
        # The exempt ones are not asked (a POST to log-out would end the administrator's session).
        if not _framework(name) and name not in EXEMPT:
            first_args.setdefault(name, args)
    accepting = {
        name
        for name, args in first_args.items()
        if admin.post(reverse(name, args=resolve(args, objects))).status_code != 405
    }
    covered = {w.name for w in WRITES if not _framework(w.name)}
    assert sorted(accepting - covered) == [], "write URLs without refusal tests"
    assert sorted(covered - accepting) == [], "entries for URLs that take no POST"


def test_the_fingerprints_see_a_change(objects):
    """The guards of the guards: a changed row and an uploaded file show in the fingerprints."""
    db, media = db_fingerprint(), media_fingerprint()
    assert Evidence.objects.get(pk=objects["cm_file"]).file.name in media
    Evidence.objects.filter(pk=objects["cm_file"]).update(title="changed")
    assert changed_tables(db, db_fingerprint()) == ["readiness_evidence"]


def test_every_role_has_a_decision_in_every_entry():
    incomplete = [w.id for w in WRITES if set(w.expected) != set(ROLES)]
    assert incomplete == []


# --- the JSON API is read-only ------------------------------------------------------------------------------

API_ROWS = [(name, args) for name, args in EXPECTED if name.startswith("api:")]


@pytest.mark.parametrize(("name", "args"), API_ROWS)
def test_the_api_refuses_every_unsafe_method(name, args, objects, clients):
    """POST, PUT, PATCH and DELETE on every API URL (lists and other units' objects alike), by every role:
    401 for anonymous callers (the people's docs page: the login page), 405 for everyone with a role."""
    url = reverse(name, args=resolve(args, objects))
    before = db_fingerprint()
    got = {}
    for role in ROLES:
        client = clients[role]
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(url, data={"name_th": "x"}, content_type="application/json")
            got[role, method] = outcome(response)
    anonymous = LOGIN if name == "api:docs" else 401
    # A signed-in user without a role is refused before the method is looked at (api.permissions.HasScope).
    expected = {
        (role, method): anonymous if role == "anonymous" else 403 if role == "unplaced" else 405
        for role, method in got
    }
    assert got == expected
    assert changed_tables(before, db_fingerprint()) == []


# --- Django's admin asks the same "may change" helper as the pages -------------------------------------------


def test_the_admin_lets_staff_change_only_the_strategies_their_role_may(secretariat, objects, client_for):
    """Model permissions are not enough: a secretariat made staff with every strategy permission still may not
    change or delete Chiang Mai's strategy there (the edit page answers 403), only the cluster's own."""
    from django.contrib.auth.models import Permission

    secretariat.is_staff = True
    secretariat.save()
    secretariat.user_permissions.set(Permission.objects.filter(content_type__app_label="strategies"))
    client = client_for(secretariat)
    cm, nup1 = objects["cm_s"], objects["nup1_s"]
    before = db_fingerprint()

    assert (
        client.post(reverse("admin:strategies_strategy_delete", args=[cm]), {"post": "yes"}).status_code
        == 403
    )
    response = client.post(
        reverse("admin:strategies_strategy_changelist"),
        {"action": "delete_selected", "_selected_action": [cm, nup1], "post": "yes"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:strategies_project_delete", args=[objects["cm_p"]]), {"post": "yes"}
    )
    assert response.status_code == 403
    change = client.get(reverse("admin:strategies_strategy_change", args=[cm]))
    assert change.status_code == 200 and not change.context["has_change_permission"]  # read only
    assert changed_tables(before, db_fingerprint()) == []

    response = client.post(reverse("admin:strategies_strategy_delete", args=[nup1]), {"post": "yes"})
    assert response.status_code == 302
    assert not Strategy.objects.filter(pk=nup1).exists()
