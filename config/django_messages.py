"""Django's own form and validation messages that its Thai catalogue leaves untranslated.

Bad input in any form can show these (a title too long, a NUL character, a budget with too many digits,
an unknown province id); without a translation the Thai page would show them in English. Listing them here
lets ``makemessages`` put them in our catalogue (locale/th), which Django consults before its own. Nothing
imports this module: the msgids must stay exactly as Django spells them.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = [
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("Enter a valid integer."),
]
