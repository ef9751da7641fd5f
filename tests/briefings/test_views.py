"""The briefings page: request form (only visible subjects, prefilled), the list with live status (htmx
polling that stops when done), download through an access-checked view, retry; 404 out of scope."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from briefings import tasks
from briefings.choices import BriefingStatus
from briefings.models import Briefing

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.briefing_render_task, "delay", lambda *args, **kw: sent.append(args))
    return sent


def urls(briefing):
    return [
        reverse("briefing_detail", args=[briefing.pk]),
        reverse("briefing_status", args=[briefing.pk]),
        reverse("briefing_download", args=[briefing.pk]),
    ]


def test_an_outsider_gets_404_for_the_job_its_status_and_its_file(make_briefing, client_for, cast):
    cluster = make_briefing(requested_by=cast["secretariat"])
    for url in urls(cluster):
        assert client_for(cast["secretariat_other"]).get(url).status_code == 404
        assert client_for(cast["advisor"]).get(url).status_code == 200
        # Made for the secretariat, it lists every member's strategies: not for a planner.
        assert client_for(cast["planner_lampang"]).get(url).status_code == 404
    chiang_mai_view = make_briefing()  # requested by Chiang Mai's planner: as Chiang Mai sees the cluster
    for url in urls(chiang_mai_view):
        assert client_for(cast["planner"]).get(url).status_code == 200
        assert client_for(cast["planner_lampang"]).get(url).status_code == 404
        assert client_for(cast["secretariat"]).get(url).status_code == 404  # not the secretariat's document
    national = make_briefing(kind="national", subject="TH")
    for url in urls(national):
        assert client_for(cast["secretariat"]).get(url).status_code == 404
        assert client_for(cast["advisor"]).get(url).status_code == 200
    drafts = make_briefing(includes_unapproved=True, language="en", requested_by=cast["secretariat"])
    for url in urls(drafts):
        assert client_for(cast["planner"]).get(url).status_code == 404  # other provinces' drafts
        assert client_for(cast["secretariat"]).get(url).status_code == 200
    retry = reverse("briefing_retry", args=[cluster.pk])
    assert client_for(cast["secretariat_other"]).post(retry).status_code == 404


def test_it_downloads_the_pdf_as_an_attachment_and_only_when_done(make_briefing, client_for, planner):
    done = make_briefing()
    response = client_for(planner).get(reverse("briefing_download", args=[done.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="briefing-N-UP1-2570-th.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    waiting = make_briefing(status=BriefingStatus.QUEUED, subject="TH-50", kind="province")
    assert client_for(planner).get(reverse("briefing_download", args=[waiting.pk])).status_code == 404


def test_the_status_polls_while_the_job_runs_and_stops_when_it_is_done(make_briefing, client_for, planner):
    running = make_briefing(
        status=BriefingStatus.RUNNING,
        started_at=timezone.now(),
        progress_step="กำลังจัดหน้า",
        progress_percent=40,
    )
    url = reverse("briefing_status", args=[running.pk])
    html = client_for(planner).get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 2s"' in html and 'hx-swap="outerHTML"' in html
    assert "กำลังจัดหน้า" in html and 'value="40" max="100"' in html
    Briefing.objects.filter(pk=running.pk).update(status=BriefingStatus.DONE, file="briefings/x.pdf", pages=9)
    html = client_for(planner).get(url).content.decode()
    assert "hx-trigger" not in html  # polling stops
    assert reverse("briefing_download", args=[running.pk]) in html


def test_a_failed_job_shows_why_and_a_retry_button(make_briefing, client_for, secretariat, queued):
    failed = make_briefing(status=BriefingStatus.FAILED, error="ระบบหยุดทำงาน", requested_by=secretariat)
    html = client_for(secretariat).get(reverse("briefing_status", args=[failed.pk])).content.decode()
    assert "ระบบหยุดทำงาน" in html and reverse("briefing_retry", args=[failed.pk]) in html
    response = client_for(secretariat).post(
        reverse("briefing_retry", args=[failed.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and 'hx-trigger="every 2s"' in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == BriefingStatus.QUEUED


def test_it_lists_the_users_and_their_units_briefings_only(make_briefing, client_for, cast):
    mine = make_briefing(kind="province", subject="TH-50")
    ours = make_briefing(language="en")  # the cluster as Chiang Mai's planners see it
    lampang = make_briefing(language="en", requested_by=cast["planner_lampang"])
    cluster = make_briefing(requested_by=cast["secretariat"])
    other = make_briefing(subject="NE-UP1", requested_by=cast["secretariat_other"])
    national = make_briefing(kind="national", subject="TH", requested_by=cast["advisor"])
    listed = client_for(cast["planner"]).get(reverse("briefing_list")).context["briefings"]
    assert {b.pk for b in listed} == {mine.pk, ours.pk}
    listed = client_for(cast["secretariat"]).get(reverse("briefing_list")).context["briefings"]
    assert {b.pk for b in listed} == {mine.pk, cluster.pk}
    listed = client_for(cast["advisor"]).get(reverse("briefing_list")).context["briefings"]
    assert {b.pk for b in listed} == {mine.pk, ours.pk, lampang.pk, cluster.pk, other.pk, national.pk}
    names = {b.pk: b.subject_name for b in listed}
    assert names[mine.pk] == "เชียงใหม่" and names[cluster.pk] == "กลุ่มจังหวัดภาคเหนือตอนบน 1"


def test_the_form_offers_only_visible_subjects_and_defaults_to_the_users_unit(client_for, cast, round_2570):
    form = client_for(cast["planner"]).get(reverse("briefing_list")).context["form"]
    values = {v for _group, items in form.fields["subject"].choices for v, _label in items}
    assert values == {"province:TH-50", "cluster:N-UP1"}
    assert form.initial["subject"] == "province:TH-50" and form.initial["fiscal_year"] == 2570
    form = client_for(cast["secretariat"]).get(reverse("briefing_list")).context["form"]
    assert form.initial["subject"] == "cluster:N-UP1"
    values = {v for _group, items in form.fields["subject"].choices for v, _label in items}
    assert values == {"cluster:N-UP1", "province:TH-50", "province:TH-51", "province:TH-52", "province:TH-58"}
    form = client_for(cast["advisor"]).get(reverse("briefing_list")).context["form"]
    assert form.initial["subject"] == "national:TH"


def test_the_form_is_prefilled_from_the_query_string(client_for, cast, round_2570):
    url = reverse("briefing_list") + "?kind=province&subject=TH-52&language=en"
    form = client_for(cast["secretariat"]).get(url).context["form"]
    assert form.initial["subject"] == "province:TH-52" and form.initial["language"] == "en"
    form = (
        client_for(cast["planner"])
        .get(reverse("briefing_list") + "?kind=cluster&subject=NE-UP1")
        .context["form"]
    )
    assert form.initial["subject"] == "province:TH-50"  # not visible: back to the user's own unit


def test_requesting_a_briefing_queues_it_and_shows_it_in_the_list(
    client_for, secretariat, round_2570, queued, django_capture_on_commit_callbacks
):
    client = client_for(secretariat)
    data = {"subject": "cluster:N-UP1", "fiscal_year": "2570", "language": "th"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("briefing_list"), data)
        again = client.post(reverse("briefing_list"), data)
    briefing = Briefing.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#briefing-{briefing.pk}")
    assert again.status_code == 302 and queued == [(briefing.pk,)]  # the second request reused the first
    page = client.get(reverse("briefing_list")).content.decode()
    assert f'id="briefing-{briefing.pk}"' in page and 'hx-trigger="every 2s"' in page


def test_requesting_out_of_scope_is_refused(client_for, cast, round_2570, queued):
    data = {"subject": "cluster:NE-UP1", "fiscal_year": "2570", "language": "th"}
    assert client_for(cast["secretariat"]).post(reverse("briefing_list"), data).status_code == 404
    data["subject"] = "national:TH"
    assert client_for(cast["planner"]).post(reverse("briefing_list"), data).status_code == 404
    assert not Briefing.objects.exists()
    data = {"subject": "cluster:N-UP1", "fiscal_year": "2570", "language": "th", "include_unapproved": "on"}
    response = client_for(cast["planner"]).post(reverse("briefing_list"), data)
    assert response.status_code == 400 and not Briefing.objects.exists()
    assert response.context["form"].non_field_errors()


def test_loading_the_page_sweeps_stuck_jobs(make_briefing, client_for, secretariat, queued):
    stuck = make_briefing(
        status=BriefingStatus.RUNNING, started_at=timezone.now() - dt.timedelta(hours=1), attempts=2
    )
    client_for(secretariat).get(reverse("briefing_list"))
    stuck.refresh_from_db()
    assert stuck.status == BriefingStatus.FAILED and stuck.error


def test_the_list_costs_the_same_queries_for_many_briefings(make_briefing, client_for, advisor, round_2570):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_briefing(kind="province", subject="TH-50")
    make_briefing(subject="N-UP1")
    client = client_for(advisor)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("briefing_list"))
    for code in ["TH-51", "TH-52", "TH-58", "TH-41"]:
        make_briefing(kind="province", subject=code, status=BriefingStatus.FAILED)
    make_briefing(subject="NE-UP1")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("briefing_list"))
    assert len(many) == len(few)


def test_administrators_watch_jobs_in_the_admin_and_download_through_the_checked_view(
    make_briefing, client_for, admin_user
):
    done = make_briefing()
    client = client_for(admin_user)
    assert client.get(reverse("admin:briefings_briefing_changelist")).status_code == 200
    page = client.get(reverse("admin:briefings_briefing_change", args=[done.pk])).content.decode()
    assert reverse("briefing_download", args=[done.pk]) in page and "/media/" not in page
