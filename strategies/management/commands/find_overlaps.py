import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from provinces.models import Cluster
from strategies.decision import overlaps, selectors, semantic


class Command(BaseCommand):
    help = (
        "List groups of overlapping strategies of different owners within one provincial cluster and fiscal "
        "year, that nobody has decided on yet (the same finder as the decision-support page). "
        "--benchmark N times the finder on N synthetic strategies instead (no database)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cluster", metavar="CODE", help="one cluster, e.g. N-UP1 (default: all)")
        parser.add_argument("--fiscal-year", type=int, metavar="YEAR", help="e.g. 2570 (default: all years)")
        parser.add_argument("--json", action="store_true", help="print a JSON list of groups")
        parser.add_argument(
            "--threshold", type=float, help="similarity threshold 0–1 (default: settings.OVERLAP_THRESHOLD)"
        )
        parser.add_argument(
            "--benchmark",
            type=int,
            metavar="N",
            help="time the finder on N synthetic strategies (no database)",
        )

    def handle(
        self, *args, cluster=None, fiscal_year=None, json=False, threshold=None, benchmark=None, **options
    ):
        if benchmark:
            return self._benchmark(benchmark, threshold)
        chosen = None
        if cluster:
            chosen = Cluster.objects.filter(code=cluster.upper()).first()
            if chosen is None:
                raise CommandError(f"No cluster with code {cluster!r}.")
        with translation.override("th"):
            groups = selectors.overlap_groups(cluster=chosen, fiscal_year=fiscal_year, threshold=threshold)
        if json:
            self.stdout.write(_json_dumps([g.as_json() for g in groups]))
            return
        if not groups:
            self.stdout.write("No overlapping strategies found.")
            return
        for g in groups:
            self.stdout.write(
                f"{g.cluster} FY {g.fiscal_year}  score {g.score:.2f}  terms: {', '.join(g.terms)}"
            )
            for d in g.members:
                self.stdout.write(f"    {d.label:>12}  {d.owner:<7} {d.title[:90]}")

    def _benchmark(self, n: int, threshold: float | None):
        from strategies import thai_text
        from strategies.decision.benchmark import synthetic_docs, synthetic_meanings

        docs = synthetic_docs(n)
        started = time.perf_counter()
        thai_text.words("อุ่นเครื่อง")  # loads the tokeniser's dictionary once per process
        warm = time.perf_counter() - started
        thai_text.words.cache_clear()
        started = time.perf_counter()
        groups = overlaps.find_groups(
            docs, threshold=selectors.overlap_threshold() if threshold is None else threshold
        )
        elapsed = time.perf_counter() - started
        buckets = len(overlaps.buckets(docs))
        self.stdout.write(
            f"{n} strategies in {buckets} cluster-year buckets: {len(groups)} groups in {elapsed:.2f} s "
            f"(tokeniser start-up {warm:.2f} s, once per process)"
        )
        # The meaning rule as the pages run it, over stored meanings (stand-ins here: no encoder).
        meanings = synthetic_meanings(docs)
        started = time.perf_counter()
        finding = semantic.find(docs, meanings, lexical_threshold=selectors.overlap_threshold())
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"the same with meanings (words and meaning, words' scores cached): {len(finding.groups)} groups in "
            f"{elapsed:.2f} s"
        )


def _json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
