"""Every URL pattern the project defines × every member of the cast → an explicit expected status.

A URL without an entry in EXPECTED fails test_it_has_an_expectation_for_every_url, so no view can
arrive without its access being decided and tested.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.files import pdf

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "planner", "planner_lampang", "secretariat", "secretariat_other", "advisor", "admin"]
LOGIN = 302  # anonymous users are sent to the login page


def row(anonymous, planner, planner_lampang, secretariat, secretariat_other, advisor, admin):
    return dict(
        zip(
            ROLES,
            [anonymous, planner, planner_lampang, secretariat, secretariat_other, advisor, admin],
            strict=True,
        )
    )


ALL_OK = row(LOGIN, 200, 200, 200, 200, 200, 200)
POST_ONLY = row(LOGIN, 405, 405, 405, 405, 405, 405)  # GET on a write endpoint; POSTs are tested per app
API_OK = row(401, 200, 200, 200, 200, 200, 200)  # the JSON API (api app): anonymous is 401, not a redirect

# (url name, args) → expected status per role. Chiang Mai (TH-50) and N-UP1 are the planner's own unit;
# Lampang (TH-52) is a neighbour in the same cluster; Udon Thani (TH-41) and NE-UP1 are another cluster.
EXPECTED = {
    ("home", ()): row(LOGIN, 302, 302, 302, 302, 302, 302),
    ("province_list", ()): ALL_OK,
    ("province_detail", ("TH-50",)): row(LOGIN, 200, 404, 200, 404, 200, 200),
    ("province_detail", ("TH-41",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("province_detail", ("TH-99",)): row(LOGIN, 404, 404, 404, 404, 404, 404),
    ("province_history", ("TH-50",)): row(LOGIN, 200, 404, 200, 404, 200, 200),
    ("province_history", ("TH-41",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("cluster_list", ()): ALL_OK,
    ("cluster_detail", ("N-UP1",)): row(LOGIN, 200, 200, 200, 404, 200, 200),
    ("cluster_detail", ("NE-UP1",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("cluster_detail", ("XX-1",)): row(LOGIN, 404, 404, 404, 404, 404, 404),
    ("healthz", ()): row(200, 200, 200, 200, 200, 200, 200),
    ("national_map", ()): ALL_OK,
    ("national_dashboard", ()): row(LOGIN, 404, 404, 404, 404, 200, 200),
    ("cluster_dashboard", ("N-UP1",)): row(LOGIN, 200, 200, 200, 404, 200, 200),
    ("cluster_dashboard", ("NE-UP1",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("login", ()): row(200, 302, 302, 302, 302, 302, 302),
    ("logout", ()): row(LOGIN, 405, 405, 405, 405, 405, 405),  # log-out is POST only
    # Government sign-in (accounts app): not configured here, so both send everyone back to the login page
    # with a message (tests/accounts run them against a real provider).
    ("oidc_authentication_init", ()): row(302, 302, 302, 302, 302, 302, 302),
    ("oidc_authentication_callback", ()): row(302, 302, 302, 302, 302, 302, 302),
    ("set_language", ()): row(302, 302, 302, 302, 302, 302, 302),
    # --- readiness ({cm} is Chiang Mai's FY 2570 assessment, {udon} Udon Thani's, {cm_file} a file in {cm})
    ("readiness_home", ()): row(LOGIN, 302, 302, 302, 302, 302, 302),
    ("readiness_method", ()): ALL_OK,
    ("national_rollup", ()): ALL_OK,
    ("review_queue", ()): row(LOGIN, 404, 404, 404, 404, 200, 404),
    ("cluster_rollup", ("N-UP1",)): row(LOGIN, 200, 200, 200, 404, 200, 200),
    ("cluster_rollup", ("NE-UP1",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("cluster_review", ("N-UP1",)): row(LOGIN, 404, 404, 404, 404, 200, 404),
    ("cluster_review", ("NE-UP1",)): row(LOGIN, 404, 404, 404, 404, 200, 404),
    ("assessment_detail", ("TH-50", 2570)): row(LOGIN, 200, 404, 200, 404, 200, 200),
    ("assessment_detail", ("TH-41", 2570)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("assessment_detail", ("TH-52", 2570)): row(LOGIN, 404, 200, 200, 404, 200, 200),  # not started yet
    ("assessment_detail", ("TH-50", 2599)): row(LOGIN, 404, 404, 404, 404, 404, 404),
    ("assessment_detail", ("TH-41", 2569)): row(
        LOGIN, 404, 404, 404, 200, 200, 200
    ),  # approved, closed round
    ("assessment_start", ("TH-50", 2570)): POST_ONLY,
    ("answer_save", ("{cm}", "{cm_answer}")): POST_ONLY,
    ("evidence_add", ("{cm}", "{cm_answer}")): POST_ONLY,
    ("assessment_copy_forward", ("{cm}",)): POST_ONLY,
    ("assessment_submit", ("{cm}",)): POST_ONLY,
    ("assessment_approve", ("{cm}",)): POST_ONLY,
    ("assessment_return", ("{cm}",)): row(LOGIN, 403, 404, 403, 404, 200, 403),
    ("assessment_return", ("{udon}",)): row(LOGIN, 404, 404, 404, 403, 200, 403),
    ("evidence_download", ("{cm_file}",)): row(LOGIN, 200, 404, 200, 404, 200, 200),
    ("evidence_download", ("{udon_file}",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("evidence_delete", ("{cm_file}",)): POST_ONLY,
    # Excel round-trip (issue 8): whoever sees the assessment downloads; only its planner or an admin uploads.
    ("assessment_xlsx", ("{cm}",)): row(LOGIN, 200, 404, 200, 404, 200, 200),
    ("assessment_xlsx", ("{udon}",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("assessment_xlsx_upload", ("{cm}",)): row(LOGIN, 200, 404, 403, 404, 403, 200),
    ("assessment_xlsx_upload", ("{udon}",)): row(LOGIN, 404, 404, 404, 403, 403, 200),
    ("cluster_rollup_xlsx", ("N-UP1",)): row(LOGIN, 200, 200, 200, 404, 200, 200),
    ("cluster_rollup_xlsx", ("NE-UP1",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("national_rollup_xlsx", ()): ALL_OK,
    # --- strategies ({cm_s}: Chiang Mai's, {nup1_s}: N-UP1's own, {udon_s}: Udon Thani's; {cm_p}: a project of {cm_s})
    # (and {nup1_p}, {udon_p} of theirs)
    ("strategy_list", ()): ALL_OK,
    ("strategy_create", ()): row(LOGIN, 200, 200, 200, 200, 404, 200),
    # The form's similar-plans hint: whoever may write a strategy (an owner of theirs; the other cases are in
    # tests/strategies/test_similar_hint.py).
    ("strategy_similar", ()): row(LOGIN, 200, 200, 200, 200, 404, 200),
    ("strategy_review_queue", ()): row(LOGIN, 404, 404, 404, 404, 200, 404),
    ("matrix_national", ()): row(LOGIN, 404, 404, 404, 404, 200, 200),
    ("matrix_cluster", ("N-UP1",)): row(LOGIN, 200, 200, 200, 404, 200, 200),
    ("matrix_cluster", ("NE-UP1",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("matrix_province", ("TH-50",)): row(LOGIN, 200, 404, 200, 404, 200, 200),
    ("matrix_province", ("TH-52",)): row(LOGIN, 404, 200, 200, 404, 200, 200),
    ("matrix_province", ("TH-41",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("strategy_detail", ("{cm_s}",)): row(LOGIN, 200, 404, 200, 404, 200, 200),
    ("strategy_detail", ("{nup1_s}",)): row(LOGIN, 200, 200, 200, 404, 200, 200),
    ("strategy_detail", ("{udon_s}",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("strategy_edit", ("{cm_s}",)): row(LOGIN, 200, 404, 403, 404, 403, 200),
    ("strategy_edit", ("{nup1_s}",)): row(LOGIN, 403, 403, 200, 404, 403, 200),
    ("strategy_edit", ("{udon_s}",)): row(LOGIN, 404, 404, 404, 403, 403, 200),
    ("strategy_override", ("{cm_s}",)): row(LOGIN, 403, 404, 403, 404, 200, 403),
    ("strategy_override", ("{nup1_s}",)): row(LOGIN, 403, 403, 403, 404, 200, 403),
    ("strategy_override", ("{udon_s}",)): row(LOGIN, 404, 404, 404, 403, 200, 403),
    ("project_create", ("{cm_s}",)): row(LOGIN, 200, 404, 403, 404, 403, 200),
    ("project_create", ("{nup1_s}",)): row(LOGIN, 403, 403, 200, 404, 403, 200),
    ("project_create", ("{udon_s}",)): row(LOGIN, 404, 404, 404, 403, 403, 200),
    ("project_edit", ("{cm_p}",)): row(LOGIN, 200, 404, 403, 404, 403, 200),
    ("project_edit", ("{nup1_p}",)): row(LOGIN, 403, 403, 200, 404, 403, 200),
    ("project_edit", ("{udon_p}",)): row(LOGIN, 404, 404, 404, 403, 403, 200),
    ("strategy_propose", ("{cm_s}",)): POST_ONLY,
    ("strategy_endorse", ("{cm_s}",)): POST_ONLY,
    ("strategy_return", ("{cm_s}",)): POST_ONLY,
    ("strategy_set_status", ("{cm_s}",)): POST_ONLY,
    ("strategy_comment", ("{cm_s}",)): POST_ONLY,
    ("strategy_carry_forward", ("{cm_s}",)): POST_ONLY,
    ("strategy_override_withdraw", ("{cm_s}",)): POST_ONLY,
    ("project_progress", ("{cm_p}",)): POST_ONLY,
    # Whoever owns strategies imports them (each for their own unit); advisors only review.
    ("strategy_import", ()): row(LOGIN, 200, 200, 200, 200, 404, 200),
    # --- decision support (issue 7): the cluster tab for whoever sees the cluster; deciding is POST only
    # (its 403 for a planner and 404 for outsiders: tests/strategies/test_decision_views.py)
    ("decision_national", ()): row(LOGIN, 404, 404, 404, 404, 200, 200),
    ("decision_cluster", ("N-UP1",)): row(LOGIN, 200, 200, 200, 404, 200, 200),
    ("decision_cluster", ("NE-UP1",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("decision_cluster", ("XX-1",)): row(LOGIN, 404, 404, 404, 404, 404, 404),
    ("decision_overlap_decide", ("N-UP1",)): POST_ONLY,
    # --- briefings ({nup1_b}: an N-UP1 briefing, {nup1_draft_b}: one with unapproved figures, {cm_b}: Chiang
    # Mai's, {nat_b}: the national one; all done, with their file). A briefing is made for its requester:
    # {nup1_b} lists every member's strategies (no planner may have it), {nup1_cm_b} is the cluster as
    # Chiang Mai's planners see it (briefings/access.py, "audience").
    ("briefing_list", ()): ALL_OK,
    # --- search: everyone signed in searches; the results are what each may open (tests/search).
    ("search", ()): ALL_OK,
    ("briefing_detail", ("{nup1_b}",)): row(LOGIN, 404, 404, 200, 404, 200, 200),
    ("briefing_detail", ("{nup1_cm_b}",)): row(LOGIN, 200, 404, 404, 404, 200, 200),
    ("briefing_detail", ("{nup1_draft_b}",)): row(LOGIN, 404, 404, 200, 404, 200, 200),
    ("briefing_detail", ("{cm_b}",)): row(LOGIN, 200, 404, 200, 404, 200, 200),
    ("briefing_detail", ("{nat_b}",)): row(LOGIN, 404, 404, 404, 404, 200, 200),
    ("briefing_detail", ("{neup1_b}",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("briefing_detail", ("{udon_b}",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("briefing_status", ("{nup1_b}",)): row(LOGIN, 404, 404, 200, 404, 200, 200),
    ("briefing_status", ("{nup1_draft_b}",)): row(LOGIN, 404, 404, 200, 404, 200, 200),
    ("briefing_status", ("{cm_b}",)): row(LOGIN, 200, 404, 200, 404, 200, 200),
    ("briefing_status", ("{nat_b}",)): row(LOGIN, 404, 404, 404, 404, 200, 200),
    ("briefing_status", ("{neup1_b}",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("briefing_download", ("{nup1_b}",)): row(LOGIN, 404, 404, 200, 404, 200, 200),
    ("briefing_download", ("{nup1_cm_b}",)): row(LOGIN, 200, 404, 404, 404, 200, 200),
    ("briefing_download", ("{nup1_draft_b}",)): row(LOGIN, 404, 404, 200, 404, 200, 200),
    ("briefing_download", ("{cm_b}",)): row(LOGIN, 200, 404, 200, 404, 200, 200),
    ("briefing_download", ("{nat_b}",)): row(LOGIN, 404, 404, 404, 404, 200, 200),
    ("briefing_download", ("{neup1_b}",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("briefing_download", ("{udon_b}",)): row(LOGIN, 404, 404, 404, 200, 200, 200),
    ("briefing_retry", ("{nup1_b}",)): POST_ONLY,
    ("briefing_rerender", ("{nup1_b}",)): POST_ONLY,
    # --- JSON API (issue 8; tests/api): the session client stands for a token (both authenticate the same
    # user). Anonymous: 401 (no redirect: "WWW-Authenticate: Token"); the docs page, for people, goes to login.
    ("api:root", ()): API_OK,  # the index of the endpoints
    ("api:province-list", ()): API_OK,
    ("api:province-detail", ("TH-50",)): row(401, 200, 404, 200, 404, 200, 200),
    ("api:province-detail", ("TH-41",)): row(401, 404, 404, 404, 200, 200, 200),
    ("api:cluster-list", ()): API_OK,
    ("api:cluster-detail", ("N-UP1",)): row(401, 200, 200, 200, 404, 200, 200),
    ("api:cluster-detail", ("NE-UP1",)): row(401, 404, 404, 404, 200, 200, 200),
    ("api:round-list", ()): API_OK,
    ("api:round-detail", (2570,)): API_OK,
    ("api:round-detail", (2599,)): row(401, 404, 404, 404, 404, 404, 404),
    ("api:assessment-list", ()): API_OK,
    ("api:assessment-detail", ("{cm}",)): row(401, 200, 404, 200, 404, 200, 200),  # a draft
    ("api:assessment-detail", ("{udon}",)): row(401, 404, 404, 404, 200, 200, 200),
    # An approved assessment is official: everyone with a role reads its figures (tests/api: not its answers).
    ("api:assessment-detail", ("{udon_2569}",)): API_OK,
    ("api:strategy-list", ()): API_OK,
    ("api:strategy-detail", ("{cm_s}",)): row(401, 200, 404, 200, 404, 200, 200),
    ("api:strategy-detail", ("{nup1_s}",)): row(401, 200, 200, 200, 404, 200, 200),
    ("api:strategy-detail", ("{udon_s}",)): row(401, 404, 404, 404, 200, 200, 200),
    ("api:project-list", ()): API_OK,
    ("api:project-detail", ("{cm_p}",)): row(401, 200, 404, 200, 404, 200, 200),
    ("api:project-detail", ("{nup1_p}",)): row(401, 200, 200, 200, 404, 200, 200),
    ("api:project-detail", ("{udon_p}",)): row(401, 404, 404, 404, 200, 200, 200),
    ("api:rollup-cluster", ("N-UP1",)): row(401, 200, 200, 200, 404, 200, 200),
    ("api:rollup-cluster", ("NE-UP1",)): row(401, 404, 404, 404, 200, 200, 200),
    ("api:rollup-national", ()): API_OK,
    ("api:schema", ()): API_OK,
    ("api:docs", ()): ALL_OK,
    # --- personal data (privacy app): the notice is open to everyone, before login too; everyone signed in
    # downloads their own data (and only theirs: tests/privacy).
    ("privacy_notice", ()): row(200, 200, 200, 200, 200, 200, 200),
    ("privacy_my_data", ()): ALL_OK,
    # --- notifications: everyone has their own inbox; another user's notification (or none) is a 404; the
    # unsubscribe link works without login and refuses a bad token (tests/notifications).
    ("notification_inbox", ()): ALL_OK,
    ("notification_preferences", ()): ALL_OK,
    ("notification_mark_all_read", ()): POST_ONLY,
    ("notification_mark_read", (999999,)): POST_ONLY,
    ("notification_open", (999999,)): row(LOGIN, 404, 404, 404, 404, 404, 404),
    ("notification_unsubscribe", ("not-a-token",)): row(400, 400, 400, 400, 400, 400, 400),
    # @mention suggestions for a strategy's comment box: 404 where the strategy's page is a 404, 403 for who
    # may read it but not comment (a cluster's secretariat on a member province's strategy).
    ("notification_mention_suggestions", ("{cm_s}",)): row(LOGIN, 200, 404, 403, 404, 200, 200),
    ("notification_mention_suggestions", ("{udon_s}",)): row(LOGIN, 404, 404, 404, 403, 200, 200),
    # Django's admin: its own views are guarded by admin_view; the index stands for them all.
    ("admin:index", ()): row(302, 302, 302, 302, 302, 302, 200),
    # ... and on real objects: a strategy, and the planner's own account (no one edits their own rights).
    ("admin:strategies_strategy_change", ("{cm_s}",)): row(302, 302, 302, 302, 302, 302, 200),
    ("admin:auth_user_change", ("{planner_user}",)): row(302, 302, 302, 302, 302, 302, 200),
}

# URL namespaces whose views belong to Django itself and are covered by a representative above.
FRAMEWORK_NAMESPACES = {"admin"}


def _all_url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _all_url_names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def test_it_has_an_expectation_for_every_url():
    covered = {name for name, _args in EXPECTED}
    missing = sorted(
        name
        for name in set(_all_url_names())
        if name not in covered and name.split(":")[0] not in FRAMEWORK_NAMESPACES
    )
    assert missing == [], f"URLs without an access expectation: {missing}"


@pytest.fixture
def world(cast, round_2569, round_2570, planner, secretariat_other):
    """Real objects for the URLs, of the planner's own units and of others: Chiang Mai's and Udon Thani's
    FY 2570 assessments with an evidence file each, Udon Thani's approved FY 2569 one, strategies and projects
    of Chiang Mai, N-UP1 and Udon Thani, briefings on every kind of subject. (Also tests/provinces/
    test_write_refusals.py builds on it.)"""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from provinces.models import Province
    from readiness import services

    cm = services.assessment_start(province=planner.scope.province, round=round_2570, by=planner)
    udon_planner = cast["admin"]
    udon = services.assessment_start(
        province=Province.objects.get(code="TH-41"), round=round_2570, by=udon_planner
    )
    answer = cm.answers.order_by("indicator__position").first()
    upload = SimpleUploadedFile("รายงาน.pdf", pdf(note=b"test"), content_type="application/pdf")
    evidence = services.evidence_add_file(answer=answer, upload=upload, title="", by=planner)
    udon_answer = udon.answers.order_by("indicator__position").first()
    udon_upload = SimpleUploadedFile("report.pdf", pdf(note=b"udon"), content_type="application/pdf")
    udon_evidence = services.evidence_add_file(
        answer=udon_answer, upload=udon_upload, title="", by=cast["admin"]
    )
    from tests.readiness.conftest import fill

    udon_2569 = fill("TH-41", round_2569, status="approved", by=cast["advisor"])
    from decimal import Decimal

    from strategies import services as strategy_services

    def strategy(owner, by):
        data = strategy_services.StrategyData(title_th="ยุทธศาสตร์", work_area="development", pillar="economic")
        return strategy_services.strategy_create(owner=owner, fiscal_year=2570, data=data, scores={}, by=by)

    cm_s = strategy(planner.scope.province, planner)
    nup1_s = strategy(cast["secretariat"].scope.cluster, cast["secretariat"])
    udon_s = strategy(Province.objects.get(code="TH-41"), cast["admin"])
    cm_p = strategy_services.project_save(
        strategy=cm_s,
        data=strategy_services.ProjectData(
            title_th="โครงการ",
            lead_agency="จังหวัด",
            budget=Decimal(1),
            funding_source="provincial",
            start_fy=2570,
            end_fy=2570,
        ),
        by=planner,
    )

    def project(strategy, by, provinces=()):
        ids = tuple(Province.objects.filter(code__in=provinces).values_list("pk", flat=True))
        return strategy_services.project_save(
            strategy=strategy,
            data=strategy_services.ProjectData(
                title_th="โครงการ", lead_agency="จังหวัด", budget=Decimal(1), funding_source="provincial",
                start_fy=2570, end_fy=2570, province_ids=ids,
            ),
            by=by,
        )  # fmt: skip

    nup1_p = project(nup1_s, cast["secretariat"], provinces=("TH-50", "TH-51"))
    udon_p = project(udon_s, cast["admin"])
    from django.core.files.base import ContentFile

    from briefings.models import Briefing

    def briefing(kind, subject, **extra):
        b = Briefing(
            kind=kind, subject=subject, fiscal_year=2570, status="done", requested_by=cast["admin"], **extra
        )
        b.file.save("b.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        b.save()
        return b.pk

    return {
        "nup1_b": briefing("cluster", "N-UP1"), "nup1_cm_b": briefing("cluster", "N-UP1", audience="TH-50"),
        "nup1_draft_b": briefing("cluster", "N-UP1", includes_unapproved=True),
        "cm_b": briefing("province", "TH-50"), "nat_b": briefing("national", "TH"),
        "neup1_b": briefing("cluster", "NE-UP1"), "udon_b": briefing("province", "TH-41"),
        "cm": cm.pk, "udon": udon.pk, "cm_answer": answer.pk, "cm_file": evidence.pk,
        "udon_answer": udon_answer.pk, "udon_file": udon_evidence.pk, "udon_2569": udon_2569.pk,
        "cm_s": cm_s.pk, "nup1_s": nup1_s.pk, "udon_s": udon_s.pk, "cm_p": cm_p.pk,
        "nup1_p": nup1_p.pk, "udon_p": udon_p.pk, "planner_user": planner.pk,
    }  # fmt: skip


@pytest.mark.parametrize(("name", "args"), list(EXPECTED))
def test_it_answers_each_role_as_expected(cast, world, client_for, name, args):
    url = reverse(name, args=[world[a[1:-1]] if str(a).startswith("{") else a for a in args])
    got = {role: client_for(cast[role]).get(url).status_code for role in ROLES}
    assert got == EXPECTED[name, args]


def _unplaced_expectation(name: str, args) -> int:
    """What a signed-in account that no administrator has placed yet (no role, no unit) gets: what every role
    gets (the lists, the national figures, a 405), and nothing of any unit."""
    if name.startswith("api:"):
        return 403  # api.permissions.HasScope
    if name.startswith("admin:"):
        return 302  # the admin's login page
    if name == "home":
        return 200  # the page that says to ask an administrator for a role
    if name == "readiness_home":
        return 404  # every role is sent to its own unit's page; there is none
    everyone = {status for role, status in EXPECTED[name, args].items() if role != "anonymous"}
    return everyone.pop() if len(everyone) == 1 else 404


def test_an_account_without_a_role_sees_nothing_of_any_unit(world, client_for):
    from django.contrib.auth.models import User

    client = client_for(User.objects.create_user("unplaced", password="pw-unplaced"))
    urls = {
        (name, args): reverse(name, args=[world[a[1:-1]] if str(a).startswith("{") else a for a in args])
        for name, args in EXPECTED
        if name != "logout"  # answered 405 like the rest, but keep the session for the other rows
    }
    got = {key: client.get(url).status_code for key, url in urls.items()}
    assert got == {key: _unplaced_expectation(*key) for key in urls}


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("province_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
