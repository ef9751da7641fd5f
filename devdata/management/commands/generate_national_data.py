"""Generate national-scale synthetic data for the benchmark (devdata/national_data.py says what and how).

    python manage.py generate_national_data --seed 1              # 5 rounds, 2,000 strategies, 8,000 projects
    python manage.py generate_national_data --seed 1 --scale 10   # ten times the rounds, strategies, projects
    python manage.py generate_national_data --seed 1 --reset      # delete readiness/strategy data first

Refuses when the database already has readiness or strategy data, unless --reset, which deletes all of it
(rounds, assessments, strategies, projects, briefings and their history) and the generated gen-* users.
For a dedicated benchmark or test database; refused with production settings.
"""

import argparse
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devdata import national_data
from strategies.embeddings import embed_in_bulk


class Command(BaseCommand):
    help = (
        "Generate national-scale synthetic data (deterministic for a seed): 77 provinces × 5 rounds of "
        "assessments, 2,000 strategies, 8,000 projects, with reviews and history; --scale 10 for ten times as "
        "much. Refuses over existing data unless --reset. Never in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, required=True)
        parser.add_argument("--scale", type=int, default=1, choices=range(1, 21), metavar="1-20")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="first delete ALL readiness, strategy and briefing data and the generated gen-* users",
        )
        parser.add_argument(
            "--password", default=None, help="password of the gen-* logins (default: DEMO_PASSWORD)"
        )
        parser.add_argument("--fingerprint", action="store_true", help="print a hash of the generated data")
        parser.add_argument(
            "--skip-embeddings", action="store_true", help="do not compute the strategies' meaning vectors"
        )
        # Smaller runs for the tests (the provinces always stay 77).
        for name in ("rounds", "strategies", "projects"):
            parser.add_argument(f"--{name}", type=int, default=None, help=argparse.SUPPRESS)

    def handle(
        self,
        *args,
        seed,
        scale,
        reset,
        password,
        fingerprint,
        rounds,
        strategies,
        projects,
        skip_embeddings=False,
        **options,
    ):
        if getattr(settings, "IS_PRODUCTION", False):
            raise CommandError("Synthetic data is never generated with production settings.")
        try:
            plan = national_data.Plan.at_scale(
                seed, scale, rounds=rounds, strategies=strategies, projects=projects
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        if reset:
            national_data.reset()
        elif national_data.has_data():
            raise CommandError(
                "The database already has readiness or strategy data; nothing was generated. "
                "Use --reset to delete it first (all of it: for a benchmark or test database only)."
            )
        verbose = options["verbosity"] > 1
        report = national_data.generate(
            plan,
            password=password or settings.DEMO_PASSWORD,
            progress=lambda message: verbose and self.stdout.write(f"  {message}"),
        )
        # Bulk inserts send no signals: the search index is rebuilt from the generated rows.
        call_command("search_reindex", verbosity=options["verbosity"])
        # The overlap finder's meaning vectors, in bulk (minutes at large scales: --skip-embeddings).
        vectors = "Meaning vectors: skipped" if skip_embeddings else embed_in_bulk()
        # Fresh planner statistics, as autovacuum would soon have: without them PostgreSQL plans the first
        # queries for the empty tables it saw last.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Generated seed {seed}, scale {scale}: FY {plan.years[0]}–{plan.years[-1]} in {elapsed:.1f} s"
        )
        for name, count in report.counts.items():
            self.stdout.write(f"  {name:<20} {count:>10,}")
        self.stdout.write(
            "Logins: " + ", ".join(national_data.BENCH_USERS.values()) + " (and every gen-* user)"
        )
        self.stdout.write(vectors)
        if fingerprint:
            self.stdout.write(f"Fingerprint: {national_data.fingerprint()}")
