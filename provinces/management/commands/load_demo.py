from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from provinces.demo import demo_users_load
from readiness.demo import demo_readiness_load


class Command(BaseCommand):
    help = "Load the demo data set and one demo login per role (idempotent). Refused in production."

    def handle(self, *args, **options):
        if getattr(settings, "IS_PRODUCTION", False):
            raise CommandError("Demo data and demo logins are never loaded in production.")
        with translation.override("th"):
            users = demo_users_load()
            created = demo_readiness_load(
                planner=User.objects.get(username="planner"), advisor=User.objects.get(username="advisor")
            )
        self.stdout.write(
            "Readiness demo data: " + ("created FY 2568–2570" if created else "already present")
        )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {settings.DEMO_PASSWORD})")
        for username, role, unit in users:
            self.stdout.write(f"  {username:<12} {role.label} {unit}")
        self.stdout.write("")
