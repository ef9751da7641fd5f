"""The mails of notifications: one notification at once, or a user's daily digest. Thai, HTML with a plain
text alternative, an absolute link back to each object and a signed one-click unsubscribe link.

Composition only; services.py decides what is sent and records it."""

import base64
import email.policy
from dataclasses import dataclass
from email.headerregistry import HeaderRegistry, UnstructuredHeader

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import selectors, unsubscribing
from .choices import NotificationKind
from .models import Notification

# Mail is written in Thai, the language of the ministry (the interface's English is a reader's switch).
MAIL_LANGUAGE = "th"


@dataclass(frozen=True)
class MailItem:
    kind: NotificationKind
    text: str
    detail: str
    link: str  # absolute


class _UnfoldedHeader(UnstructuredHeader):
    """A header that carries a URL in angle brackets: it must reach the mail client as it is. The default
    folding turns a long URL into RFC 2047 encoded words, which no client reads as a link; one line of up
    to 998 characters is within RFC 5322."""

    def fold(self, *, policy):
        return f"{self.name}: {self}{policy.linesep}"


class _EncodedSubject(UnstructuredHeader):
    """A Thai subject as RFC 2047 encoded words that keep every space. The standard library folds a long
    non-ASCII subject between encoded words and leaves the spaces there, outside them, where readers must
    drop them ("เชียงใหม่ ปีงบประมาณ" arrives as "เชียงใหม่ปีงบประมาณ"); here each word carries its own spaces."""

    CHUNK_BYTES = 39  # base64 of 39 bytes + "=?utf-8?b??=" stays within 78 characters on the first line too

    def fold(self, *, policy):
        text = str(self)
        if text.isascii() or getattr(policy, "utf8", False):
            return super().fold(policy=policy)
        words, chunk = [], ""
        for char in text:
            if len((chunk + char).encode()) > self.CHUNK_BYTES:
                words.append(chunk)
                chunk = ""
            chunk += char
        words.append(chunk)
        encoded = [f"=?utf-8?b?{base64.b64encode(w.encode()).decode('ascii')}?=" for w in words]
        return f"{self.name}: " + f"{policy.linesep} ".join(encoded) + policy.linesep


_HEADERS = HeaderRegistry()
# map_to_type takes a parser class such as UnstructuredHeader and mixes the registry's BaseHeader into it.
_HEADERS.map_to_type("list-unsubscribe", _UnfoldedHeader)  # type: ignore[arg-type]  # the stubs want a BaseHeader; the registry adds it
_HEADERS.map_to_type("subject", _EncodedSubject)  # type: ignore[arg-type]  # the stubs want a BaseHeader; the registry adds it


class NotificationEmail(EmailMultiAlternatives):
    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(header_factory=_HEADERS))


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _items(user: User, notifications: list[Notification]) -> list[MailItem]:
    inbox = absolute(reverse("notification_inbox"))
    return [
        MailItem(
            kind=item.notification.kind_choice,
            text=item.message.text,
            detail=item.message.detail,
            link=absolute(item.url) if item.url else inbox,
        )
        for item in selectors.items(user, notifications)
    ]


def _message(
    *, user: User, subject: str, template: str, context: dict, unsubscribe_kind: str | None
) -> EmailMultiAlternatives:
    context = {
        **context,
        "user": user,
        "preferences_link": absolute(reverse("notification_preferences")),
        "inbox_link": absolute(reverse("notification_inbox")),
    }
    headers = {}
    if unsubscribe_kind:
        link = absolute(unsubscribing.unsubscribe_path(user, unsubscribe_kind))
        context["unsubscribe_link"] = link
        headers["List-Unsubscribe"] = f"<{link}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = NotificationEmail(
        subject=subject.replace("\n", " ").replace("\r", " "),
        body=render_to_string(f"notifications/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"notifications/email/{template}.html", context), "text/html")
    return message


def notification_mail(notification: Notification) -> EmailMultiAlternatives:
    user = notification.recipient
    with translation.override(MAIL_LANGUAGE):
        item = _items(user, [notification])[0]
        subject = item.text if len(item.text) <= 150 else item.text[:149] + "…"
        return _message(
            user=user,
            subject=subject,
            template="notification",
            context={"item": item, "created_at": notification.created_at},
            unsubscribe_kind=notification.kind,
        )


def digest_mail(user: User, notifications: list[Notification]) -> EmailMultiAlternatives:
    with translation.override(MAIL_LANGUAGE):
        items = _items(user, notifications)
        kinds = sorted({n.kind for n in notifications})
        unsubscribe = [
            (NotificationKind(kind), absolute(unsubscribing.unsubscribe_path(user, kind))) for kind in kinds
        ]
        return _message(
            user=user,
            subject=_("Daily summary: %(count)s notifications") % {"count": len(items)},
            template="digest",
            context={"items": items, "unsubscribe_links": unsubscribe},
            # One kind: the header can stop it in one click; several: the links in the mail, one per kind.
            unsubscribe_kind=kinds[0] if len(kinds) == 1 else None,
        )
