"""Mail: through Django's SMTP backend to a real SMTP server on 127.0.0.1 (aiosmtpd), retries, the digest,
preferences, the one-click unsubscribe link, and the embedded default that writes files."""

import datetime as dt
import email
import email.policy
import logging
import socket
from email.header import decode_header, make_header

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail as django_mail
from django.test import Client
from django.urls import reverse

from config.celery_app import app
from notifications import services, unsubscribing
from notifications.choices import Delivery
from notifications.models import Notification, NotificationPreference

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
SITE = "https://planner.example.org"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager")]


@pytest.fixture
def eager(monkeypatch, settings):
    """Tasks run in-process, as in the embedded default, even where a broker is configured."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    settings.SITE_URL = SITE


class Recorder:
    """An SMTP server's handler that keeps what it receives; the first ``failures`` deliveries get a 451."""

    def __init__(self, failures: int = 0):
        self.failures = failures
        self.attempts = 0
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.attempts <= self.failures:
            return "451 4.3.0 Temporary failure, try again later"
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self):
        return [email.message_from_bytes(e.content, policy=email.policy.compat32) for e in self.envelopes]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """Start a real SMTP server on 127.0.0.1 and point Django's SMTP backend at it."""
    servers = []

    def start(failures: int = 0) -> Recorder:
        recorder = Recorder(failures)
        controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
        controller.start()
        servers.append(controller)
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
            }
        }
        return recorder

    yield start
    for controller in servers:
        controller.stop()


@pytest.fixture
def planner_with_mail(cast):
    cast["planner"].email = "planner@example.org"
    cast["planner"].save()
    return cast["planner"]


def _decoded(value: str) -> str:
    return str(make_header(decode_header(value)))


def _body(message, subtype="plain") -> str:
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_payload(decode=True).decode(part.get_content_charset())
    raise AssertionError(f"no text/{subtype} part")


def test_it_mails_a_notification_through_smtp_with_a_thai_subject_and_a_link(
    smtp_server, planner_with_mail, cast, assessment_cm, django_capture_on_commit_callbacks
):
    server = smtp_server()
    with django_capture_on_commit_callbacks(execute=True):
        [row] = services.notify(
            kind="assessment_returned",
            recipients=[planner_with_mail],
            actor=cast["advisor"],
            target=assessment_cm,
            params={"comment": "ขอหลักฐานเพิ่มเติม"},
        )
    [envelope] = server.envelopes
    assert envelope.rcpt_tos == ["planner@example.org"]
    [message] = server.messages()
    subject = _decoded(message["Subject"])
    assert subject == "advisor ส่งคืนแบบประเมินความพร้อมของจังหวัดเชียงใหม่ ปีงบประมาณ 2570 พร้อมความเห็น"
    assert message["Subject"].isascii()  # encoded on the wire (RFC 2047), not raw UTF-8
    link = f"{SITE}/readiness/provinces/TH-50/2570/"
    assert link in _body(message) and f'href="{link}"' in _body(message, "html")
    assert "ขอหลักฐานเพิ่มเติม" in _body(message)
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{SITE}/notifications/unsubscribe/") and unsubscribe[1:-1] in _body(
        message
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    row.refresh_from_db()
    assert row.emailed_at is not None


def test_it_retries_a_failed_smtp_delivery_and_keeps_the_notification(
    smtp_server, planner_with_mail, assessment_cm, django_capture_on_commit_callbacks, caplog
):
    server = smtp_server(failures=2)
    with (
        caplog.at_level(logging.WARNING, logger="notifications.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.notify(kind="assessment_approved", recipients=[planner_with_mail], target=assessment_cm)
    assert server.attempts == 3 and len(server.envelopes) == 1
    assert "will retry" in caplog.text
    assert Notification.objects.get().emailed_at is not None


def test_it_gives_up_after_the_retries_without_losing_the_notification_or_failing_the_user(
    smtp_server,
    planner_with_mail,
    assessment_cm,
    client_for,
    django_capture_on_commit_callbacks,
    settings,
    caplog,
):
    server = smtp_server(failures=100)
    with (
        caplog.at_level(logging.ERROR, logger="notifications.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        rows = services.notify(
            kind="assessment_approved", recipients=[planner_with_mail], target=assessment_cm
        )
    assert server.attempts == settings.NOTIFICATIONS_MAIL_MAX_RETRIES + 1
    assert f"Gave up mailing notification {rows[0].pk}" in caplog.text
    row = Notification.objects.get(pk=rows[0].pk)
    assert row.emailed_at is None  # not mailed, still in the inbox
    page = client_for(planner_with_mail).get(reverse("notification_inbox"))
    assert page.status_code == 200 and "เชียงใหม่" in page.content.decode()


def test_it_never_gives_the_acting_user_a_500_when_the_mail_server_is_down(
    planner_with_mail, assessment_cm, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _free_port(), "timeout": 2},  # nothing listens
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        rows = services.notify(
            kind="assessment_approved", recipients=[planner_with_mail], target=assessment_cm
        )
    assert Notification.objects.filter(pk=rows[0].pk, emailed_at__isnull=True).exists()


def test_it_sends_in_app_only_to_a_user_without_an_address(
    cast, assessment_cm, django_capture_on_commit_callbacks
):
    assert cast["planner"].email == ""
    with django_capture_on_commit_callbacks(execute=True):
        rows = services.notify(kind="assessment_approved", recipients=[cast["planner"]], target=assessment_cm)
    assert len(rows) == 1 and django_mail.outbox == []


@pytest.mark.parametrize(("delivery", "mailed_now"), [("immediate", 1), ("digest", 0), ("off", 0)])
def test_it_follows_the_preference_per_kind(
    delivery, mailed_now, planner_with_mail, assessment_cm, django_capture_on_commit_callbacks
):
    services.set_delivery(user=planner_with_mail, kind="assessment_approved", delivery=delivery)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(kind="assessment_approved", recipients=[planner_with_mail], target=assessment_cm)
        services.notify(kind="assessment_returned", recipients=[planner_with_mail], target=assessment_cm)
    # The other kind is still mailed at once (no preference: immediate).
    assert len(django_mail.outbox) == mailed_now + 1
    assert Notification.objects.count() == 2  # in-app whatever the preference
    assert services.send_digests() == (1 if delivery == "digest" else 0)


def test_it_batches_the_daily_digest_once_per_user_and_is_idempotent(
    planner_with_mail, cast, assessment_cm, make_strategy, django_capture_on_commit_callbacks
):
    other = cast["secretariat"]
    other.email = "secretariat@example.org"
    other.save()
    strategy = make_strategy("TH-50", planner_with_mail, title="ยุทธศาสตร์ท่องเที่ยวเชียงใหม่")
    for user in (planner_with_mail, other):
        for kind in ("comment", "mention", "assessment_approved"):
            services.set_delivery(user=user, kind=kind, delivery=Delivery.DIGEST)
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.notify(kind="comment", recipients=[planner_with_mail, other], actor=cast["advisor"],
                        target=strategy, params={"excerpt": "ความเห็นที่หนึ่ง"})  # fmt: skip
        services.notify(kind="mention", recipients=[planner_with_mail], actor=cast["advisor"],
                        target=strategy, params={"excerpt": "@planner_cm ช่วยดู"})  # fmt: skip
        services.notify(kind="assessment_approved", recipients=[planner_with_mail], target=assessment_cm)
        # Too old for the digest (a kind switched to digest later does not mail a backlog).
        old = services.notify(kind="comment", recipients=[planner_with_mail], target=strategy)[0]
        Notification.objects.filter(pk=old.pk).update(created_at=NOW - dt.timedelta(days=30))
        # Read in-app already, but not mailed: still in the digest.
        assert django_mail.outbox == []
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        assert services.send_digests() == 2
        assert services.send_digests() == 0  # a second run (or a second beat) sends nothing
    mails = {m.to[0]: m for m in django_mail.outbox}
    assert set(mails) == {"planner@example.org", "secretariat@example.org"}
    mine = mails["planner@example.org"]
    assert mine.subject == "สรุปการแจ้งเตือนประจำวัน: 3 รายการ"
    assert mine.body.count(f"{SITE}/strategies/{strategy.pk}/") == 2
    assert "ยุทธศาสตร์ท่องเที่ยวเชียงใหม่" in mine.body and "@planner_cm ช่วยดู" in mine.body
    assert mine.body.count("/notifications/unsubscribe/") == 3  # one link per kind
    assert "List-Unsubscribe" not in mine.extra_headers  # several kinds: no single one-click header
    assert Notification.objects.filter(emailed_at__isnull=True).get() == old


def test_it_unsubscribes_by_a_signed_link_after_confirmation(planner_with_mail):
    path = unsubscribing.unsubscribe_path(planner_with_mail, "comment")
    client = Client()  # anonymous: the link works from a mail client
    page = client.get(path)
    assert page.status_code == 200 and "หยุดรับอีเมลประเภทนี้" in page.content.decode()
    assert services.delivery_for(planner_with_mail, "comment") == Delivery.IMMEDIATE  # GET changes nothing
    assert client.post(path).status_code == 200
    assert services.delivery_for(planner_with_mail, "comment") == Delivery.OFF
    assert services.delivery_for(planner_with_mail, "mention") == Delivery.IMMEDIATE


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # the signature
        lambda t: t.replace(t[2], "x" if t[2] != "x" else "y", 1),  # the payload
        lambda t: t.split(":")[0],  # cut off
        lambda t: "abc",
        lambda t: t + "%00",
    ],
)
def test_it_refuses_a_tampered_unsubscribe_link_in_thai(tamper, planner_with_mail):
    token = unsubscribing.make_token(planner_with_mail, "comment")
    path = reverse("notification_unsubscribe", kwargs={"token": "TOKEN"}).replace("TOKEN", tamper(token))
    client = Client()
    for response in (client.get(path), client.post(path)):
        assert response.status_code in (400, 404)
        if response.status_code == 400:
            assert "ลิงก์ยกเลิกการรับอีเมลนี้ไม่ถูกต้อง" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_it_refuses_a_link_signed_for_another_purpose(planner_with_mail):
    from django.core import signing

    forged = signing.dumps({"u": planner_with_mail.pk, "k": "comment"})  # right data, wrong salt
    response = Client().post(reverse("notification_unsubscribe", kwargs={"token": forged}))
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_it_writes_mail_to_files_in_the_embedded_default(
    tmp_path, settings, planner_with_mail, assessment_cm, django_capture_on_commit_callbacks, monkeypatch
):
    from config.settings.base import VAR_DIR, mailers_from_environment

    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    monkeypatch.delenv("EMAIL_FILE_PATH", raising=False)
    default = mailers_from_environment()["default"]
    assert default["BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert default["OPTIONS"]["file_path"] == str(VAR_DIR / "mail")
    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    monkeypatch.setenv("EMAIL_HOST", "smtp.example.org")
    monkeypatch.setenv("EMAIL_PORT", "587")
    monkeypatch.setenv("EMAIL_USE_TLS", "true")
    smtp = mailers_from_environment()["default"]["OPTIONS"]
    assert (smtp["host"], smtp["port"], smtp["use_tls"]) == ("smtp.example.org", 587, True)

    settings.MAILERS = {"default": {**default, "OPTIONS": {"file_path": str(tmp_path / "mail")}}}
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(kind="assessment_approved", recipients=[planner_with_mail], target=assessment_cm)
    [written] = list((tmp_path / "mail").iterdir())
    assert "planner@example.org" in written.read_text()


def test_it_answers_the_acting_user_normally_when_the_mail_server_refuses(
    smtp_server, planner_with_mail, cast, assessment_cm, client_for, django_capture_on_commit_callbacks
):
    from readiness.choices import AssessmentStatus

    server = smtp_server(failures=100)
    assessment_cm.status = AssessmentStatus.SUBMITTED
    assessment_cm.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast["advisor"]).post(
            reverse("assessment_return", kwargs={"pk": assessment_cm.pk}), {"comment": "ขอหลักฐานเพิ่ม"}
        )
    assert response.status_code == 302
    assessment_cm.refresh_from_db()
    assert assessment_cm.status == AssessmentStatus.RETURNED
    assert server.attempts > 1  # tried and retried
    row = Notification.objects.get(recipient=planner_with_mail, kind="assessment_returned")
    assert row.emailed_at is None and row.params["comment"] == "ขอหลักฐานเพิ่ม"
