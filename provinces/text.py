"""The one policy for the NUL character (U+0000) in text that reaches the app.

PostgreSQL can neither store nor compare a NUL in a text value (an error, not an empty result), no code,
name or word of the app contains one, and a person never means to type one. So, by where text comes from:

(a) Typed into a form or API field: refused with a clear message, nothing saved. Django's and DRF's
    ``CharField`` already run ``reject_nul`` 's equivalent (``ProhibitNullCharactersValidator``) on every
    text field; ``reject_nul`` is the same check for fields that are not ``CharField`` s.
(b) From a URL (a lookup code, a filter, a search box): no match — a 404 for one object, an empty list
    or no filter for a search — never a 500. Lookups ask ``is_searchable``; text that is only shown again
    or logged goes through ``without_nul``.
(c) Cell text of an uploaded file (the Excel upload, the strategy import): NUL characters are removed
    (``without_nul``) before the cell is read. A NUL in a spreadsheet is an artefact of the program that
    wrote it (padding, a broken export), never a character someone typed, and removing it cannot change
    what a cell means; both imports do the same.

No other app module writes the NUL character itself (tests/provinces/test_nul_policy.py checks).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NUL = "\x00"
NUL_BYTE = NUL.encode()


def has_nul(text: str) -> bool:
    return NUL in text


def is_searchable(text: str) -> bool:
    """Whether text from a URL or a form can be looked up at all (policy b): not if it holds a NUL."""
    return NUL not in text


def without_nul(text: str) -> str:
    """The text with NUL characters removed: for upload cells (policy c) and text only shown or logged."""
    return text.replace(NUL, "")


def reject_nul(value: object) -> None:
    """A form or serializer validator (policy a): a NUL character in typed text is refused."""
    if isinstance(value, str) and NUL in value:
        raise ValidationError(
            _("The text contains a NUL character, which cannot be saved."), code="null_characters"
        )
