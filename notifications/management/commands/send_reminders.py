"""``manage.py send_reminders [--today YYYY-MM-DD]``: send the deadline reminders due today (what Celery beat
runs each morning). ``--today`` lets an operator or a test pretend a date; running it twice sends nothing new."""

import datetime as dt
import re

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.reminders import send_reminders

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def parse_day(text: str) -> dt.date:
    """A calendar date written YYYY-MM-DD in ASCII digits (Gregorian), or CommandError."""
    if not _ISO_DATE.fullmatch(text):
        raise CommandError(f"--today must be a date written YYYY-MM-DD (e.g. 2027-01-15), not {text!r}.")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today {text!r} is not a date of the calendar.") from None


class Command(BaseCommand):
    help = "Send the deadline reminders due today (assessments, reviews, strategy reviews, progress reports)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", metavar="YYYY-MM-DD", help="pretend it is this day (default: today in Bangkok)"
        )

    def handle(self, *args, today: str | None = None, **options):
        day = parse_day(today) if today is not None else timezone.localdate()
        run = send_reminders(today=day)
        for kind, count in sorted(run.created.items()):
            self.stdout.write(f"{kind}: {count}")
        self.stdout.write(self.style.SUCCESS(f"{run.total} reminders sent for {day.isoformat()}."))
