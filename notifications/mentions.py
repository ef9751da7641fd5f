"""@mentions in strategy comments: finding them in the text, and the names offered while typing one.

A mention is plain text — "@username" — stored and shown as written; nothing in the comment changes. A name
that is no active user's, or a user who may not open the strategy, stays plain text and tells nobody.
"""

import re
import unicodedata

from django.contrib.auth.models import User
from django.db.models import Q

from provinces.access import is_searchable
from strategies.models import Strategy

from .access import may_open
from .recipients import strategy_audience

# Django's usernames: letters, digits and @ . + - _. A mention starts at "@" not preceded by a word
# character (so an e-mail address in a comment mentions nobody).
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]{1,150})")
MAX_MENTIONS = 20  # more names in one comment than this is not a conversation
MAX_SUGGESTIONS = 8


def mentioned_usernames(text: str) -> list[str]:
    """The usernames written as @name in the text, in order, once each. A sentence's full stop or comma
    after the name is not part of it."""
    names: list[str] = []
    for match in MENTION.finditer(unicodedata.normalize("NFC", text or "")):
        name = match.group(1).rstrip(".-+")
        if name and name not in names:
            names.append(name)
        if len(names) >= MAX_MENTIONS:
            break
    return names


def mentioned_users(text: str, strategy: Strategy) -> list[User]:
    """The active users mentioned in the text who may open the strategy."""
    names = [n for n in mentioned_usernames(text) if is_searchable(n)]
    if not names:
        return []
    users = User.objects.filter(is_active=True, username__in=names).select_related("scope", "scope__province")
    return [u for u in users if may_open(u, strategy)]


def suggestions(strategy: Strategy, prefix: str) -> list[User]:
    """Up to eight users who may open the strategy whose username or name starts with ``prefix``."""
    prefix = unicodedata.normalize("NFC", prefix or "").strip().lstrip("@")[:150]
    if not is_searchable(prefix):
        return []
    users = strategy_audience(strategy).select_related("scope", "scope__province", "scope__cluster")
    if prefix:
        users = users.filter(
            Q(username__istartswith=prefix)
            | Q(first_name__istartswith=prefix)
            | Q(last_name__istartswith=prefix)
        )
    found = []
    for user in users.order_by("username")[: MAX_SUGGESTIONS * 2]:
        if may_open(user, strategy):
            found.append(user)
        if len(found) == MAX_SUGGESTIONS:
            break
    return found
