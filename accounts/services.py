"""Who a government account is here: the one place the matching rules are written.

1. The provider's subject (issuer + sub) already linked to an account: that account.
2. Else a *verified* email address (email_verified true) that exactly one account has: that account, now linked.
3. Else, with a verified address no account has: a new account, **without a role** (no UserScope) until an
   administrator assigns one. Roles never come from the provider.
Anything else is refused with a message for the user (provinces.errors.WorkflowError) and changes nothing.
"""

import hashlib
import unicodedata
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from provinces.errors import WorkflowError

from .models import OIDCIdentity

NAME_MAX = 150  # auth_user.first_name / last_name
EMAIL_MAX = 254  # auth_user.email


@dataclass(frozen=True)
class Claims:
    """What this system takes from the provider, already cleaned: never a role."""

    issuer: str
    subject: str
    email: str  # "" when absent or not an address
    email_verified: bool
    given_name: str
    family_name: str


def _text(value: object, limit: int) -> str:
    """A claim as text fit for a column: control characters (NUL, which PostgreSQL refuses) removed, Thai
    combining marks kept, cut at the column's length."""
    if not isinstance(value, str):
        return ""
    text = "".join(ch for ch in unicodedata.normalize("NFC", value) if unicodedata.category(ch) != "Cc")
    return text.strip()[:limit]


def _email(value: object) -> str:
    text = _text(value, EMAIL_MAX + 1)
    if not text or len(text) > EMAIL_MAX:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        return ""
    return text


def _verified(value: object) -> bool:
    # A boolean by the specification; some providers send the string "true".
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def claims_from(*, issuer: str, id_token: dict, userinfo: dict) -> Claims:
    """The claims of one sign-in: the ID token's subject, the rest from userinfo where the provider has it.
    OpenID Connect Core 5.3.2: userinfo about another subject than the ID token's must not be used."""
    subject = id_token.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise WorkflowError(_("The government sign-in service's answer could not be verified."))
    if userinfo and userinfo.get("sub") != subject:
        raise WorkflowError(_("The government sign-in service's answer could not be verified."))
    merged = {**id_token, **userinfo}
    return Claims(
        issuer=issuer,
        subject=subject,
        email=_email(merged.get("email")),
        email_verified=_verified(merged.get("email_verified")),
        given_name=_text(merged.get("given_name"), NAME_MAX),
        family_name=_text(merged.get("family_name"), NAME_MAX),
    )


def _refused() -> WorkflowError:
    return WorkflowError(_("This account cannot sign in. Please contact the system administrator."))


def _new_username(claims: Claims) -> str:
    """The address when it is a valid, free user name (administrators recognise it); else a stable name from
    the subject."""
    candidate = claims.email.lower()
    try:
        UnicodeUsernameValidator()(candidate)
    except ValidationError:
        candidate = ""
    if candidate and len(candidate) <= 150 and not User.objects.filter(username__iexact=candidate).exists():
        return candidate
    digest = hashlib.sha256(f"{claims.issuer}\n{claims.subject}".encode()).hexdigest()[:20]
    return f"gov-{digest}"


def _linked(claims: Claims) -> User | None:
    identity = (
        OIDCIdentity.objects.select_related("user")
        .filter(issuer=claims.issuer, subject=claims.subject)
        .first()
    )
    if identity is None:
        return None
    if not identity.user.is_active:
        raise _refused()
    identity.last_sign_in_at = timezone.now()
    identity.save(update_fields=["last_sign_in_at"])
    return identity.user


def account_sign_in(*, claims: Claims) -> User:
    """The account these claims sign in to, linked or created by the rules above; WorkflowError if none."""
    try:
        with transaction.atomic():
            return _account_sign_in(claims)
    except IntegrityError:
        # The same person's first sign-in in two tabs at once: the other one made the link.
        with transaction.atomic():
            user = _linked(claims)
        if user is None:
            raise
        return user


def _account_sign_in(claims: Claims) -> User:
    user = _linked(claims)
    if user is not None:
        return user
    if not claims.email:
        raise WorkflowError(
            _(
                "Your government account gives no email address, so it cannot be matched to an account "
                "here. Please contact the system administrator."
            )
        )
    if not claims.email_verified:
        raise WorkflowError(
            _(
                "The email address of your government account has not been verified, so it cannot be "
                "matched to an account here. Please verify it with the government sign-in service or "
                "contact the system administrator."
            )
        )
    matches = list(User.objects.filter(email__iexact=claims.email).order_by("pk")[:2])
    if len(matches) > 1:
        raise WorkflowError(
            _(
                "Your email address belongs to more than one account here, so the system cannot tell which "
                "one is yours. Please contact the system administrator."
            )
        )
    now = timezone.now()
    if matches:
        user = matches[0]
        if not user.is_active or OIDCIdentity.objects.filter(user=user, issuer=claims.issuer).exists():
            # Already linked to another subject of this provider: an address that moved to someone else.
            raise _refused()
    else:
        user = User(
            username=_new_username(claims),
            email=claims.email,
            first_name=claims.given_name,
            last_name=claims.family_name,
        )
        user.set_unusable_password()  # signs in through the provider only
        user.save()
    OIDCIdentity.objects.create(user=user, issuer=claims.issuer, subject=claims.subject, last_sign_in_at=now)
    return user
