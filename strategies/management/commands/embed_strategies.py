from django.core.management.base import BaseCommand, CommandError

from strategies.decision.semantic import EncoderUnavailable
from strategies.embeddings import embed_strategies


class Command(BaseCommand):
    help = (
        "Compute the meanings (vectors of the whole text and of the subject words, and the subject words' own "
        "vectors) of the strategies that have none or whose text changed since (all of "
        "them with --all). The overlap finder matches a strategy without a vector by words alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="recompute every vector, changed or not")

    def handle(self, *args, all=False, **options):
        if all:
            from strategies.models import StrategyEmbedding

            StrategyEmbedding.objects.all().delete()
        try:
            count = embed_strategies()
        except EncoderUnavailable as exc:
            raise CommandError(f"The sentence encoder could not be loaded: {exc}") from exc
        self.stdout.write(f"Encoded {count} strategies.")
