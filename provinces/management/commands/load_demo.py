from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from provinces.demo import demo_users_load


class Command(BaseCommand):
    help = "Load the demo data set and one demo login per role (idempotent). Refused in production."

    def handle(self, *args, **options):
        if getattr(settings, "IS_PRODUCTION", False):
            raise CommandError("Demo data and demo logins are never loaded in production.")
        with translation.override("th"):
            users = demo_users_load()
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {settings.DEMO_PASSWORD})")
        for username, role, unit in users:
            self.stdout.write(f"  {username:<12} {role.label} {unit}")
        self.stdout.write("")
