from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from devdata.demo_decision import demo_decision_load
from devdata.demo_readiness import demo_readiness_load
from devdata.demo_strategies import demo_strategies_load
from devdata.demo_users import demo_users_load
from strategies.embeddings import embed_in_bulk


class Command(BaseCommand):
    help = "Load the demo data set and one demo login per role (idempotent). Refused in production."

    def handle(self, *args, **options):
        if getattr(settings, "IS_PRODUCTION", False):
            raise CommandError("Demo data and demo logins are never loaded in production.")
        with translation.override("th"):
            users = demo_users_load()
            cast = {
                u.username: u for u in User.objects.filter(username__in=["planner", "secretariat", "advisor"])
            }
            readiness = demo_readiness_load(planner=cast["planner"], advisor=cast["advisor"])
            strategies = demo_strategies_load(
                planner=cast["planner"], secretariat=cast["secretariat"], advisor=cast["advisor"]
            )
            demo_decision_load(planner=cast["planner"], secretariat=cast["secretariat"])
            # Some demo rows go in without signals (bulk): the search index is rebuilt from all of them.
            call_command("search_reindex", verbosity=0)
            vectors = embed_in_bulk()
        self.stdout.write(
            "Readiness demo data: " + ("created FY 2568–2570" if readiness else "already present")
        )
        self.stdout.write("Strategy demo data: " + ("created" if strategies else "already present"))
        self.stdout.write(vectors)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {settings.DEMO_PASSWORD})")
        for username, role, unit in users:
            self.stdout.write(f"  {username:<12} {role.label} {unit}")
        self.stdout.write("")
