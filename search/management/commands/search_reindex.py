"""Rebuild the whole search index from the objects: after bulk loads (demo data, the national data
generator, raw imports), which send no signals, or when the index is suspected stale.

    python manage.py search_reindex
"""

import time

from django.core.management.base import BaseCommand

from search.services import documents_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index (every province, cluster, strategy, project, indicator and comment)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        counts = documents_rebuild()
        if options["verbosity"] > 0:
            total = sum(counts.values())
            self.stdout.write(f"Search index: {total:,} documents in {time.perf_counter() - started:.1f} s")
            if options["verbosity"] > 1:
                for source, count in counts.items():
                    self.stdout.write(f"  {source:<28} {count:>10,}")
