from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from strategies.decision import evaluation, selectors, semantic
from strategies.decision.evaluation import LabelledSet, Score


def _sets() -> tuple[dict[str, LabelledSet], dict[int, tuple[str, ...]]]:
    try:
        from tests.strategies.data import heldout_set, overlap_set
    except ImportError as exc:  # the labelled sets live with the tests
        raise CommandError("The labelled sets (tests/strategies/data) are not installed here.") from exc
    sets = {
        "tuning": LabelledSet.from_rows("tuning", overlap_set.ROWS + overlap_set.HELDOUT_ROWS),
        "heldout": LabelledSet.from_rows("heldout", heldout_set.ROWS),
    }
    return sets, heldout_set.notes()


class Command(BaseCommand):
    help = (
        "Precision and recall of the overlap finder, as pairs and as groups, per threshold, on the tuning "
        "set (tests/strategies/data/overlap_set.py) and the frozen held-out set (heldout_set.py), and the "
        "threshold chosen by cross-validation on the tuning set. No database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--set", choices=("tuning", "heldout", "both"), default="both")
        parser.add_argument(
            "--thresholds",
            metavar="T,T,…",
            help="comma-separated thresholds (default: " + ", ".join(map(str, evaluation.THRESHOLDS)) + ")",
        )
        parser.add_argument("--folds", type=int, default=evaluation.FOLDS, help="cross-validation folds")
        parser.add_argument(
            "--finder",
            choices=("lexical", "semantic"),
            default="lexical",
            help="the words-only finder (threshold OVERLAP_THRESHOLD) or the combined one, words and meaning "
            "(SEMANTIC_OVERLAP_THRESHOLD; encodes both sets first, about 30 s)",
        )
        parser.add_argument(
            "--misses",
            action="store_true",
            help="list the groups missed and the wrong groups at the configured threshold (tuning set only)",
        )

    def handle(
        self,
        *args,
        set="both",
        thresholds=None,
        folds=evaluation.FOLDS,
        misses=False,
        finder="lexical",
        **options,
    ):
        chosen = ("tuning", "heldout") if set == "both" else (set,)
        try:
            grid = (
                tuple(float(t) for t in thresholds.split(",") if t.strip())
                if thresholds
                else evaluation.THRESHOLDS
            )
        except ValueError as exc:
            raise CommandError(f"Thresholds must be numbers between 0 and 1, e.g. 0.25,0.3: {exc}") from exc
        if misses and chosen != ("tuning",):
            raise CommandError(
                "--misses lists strategies one by one: use it with --set tuning only. The held-out set is "
                "never read pair by pair, or it would be tuned on."
            )
        if folds < 2:
            raise CommandError("--folds must be at least 2.")
        sets, notes = _sets()
        setting = settings.OVERLAP_THRESHOLD
        run: evaluation.Finder = evaluation.lexical_finder
        if finder == "semantic":
            try:
                vectors = semantic.encode_docs([*sets["tuning"].docs, *sets["heldout"].docs])
            except semantic.EncoderUnavailable as exc:
                raise CommandError(f"The sentence encoder could not be loaded: {exc}") from exc
            run = semantic.finder(vectors, lexical_threshold=settings.OVERLAP_THRESHOLD)
            setting = selectors.semantic_threshold()
            self.stdout.write(
                f"finder: words and meaning ({semantic.ENCODER}, share {semantic.SEMANTIC_SHARE})"
            )
        for name in chosen:
            labelled = sets[name]
            self.stdout.write(
                f"\n{name}: {len(labelled.docs)} strategies, {len(evaluation.true_pairs(labelled))} true pairs "
                f"in {len(evaluation.true_groups(labelled))} groups"
            )
            self._table(evaluation.scores(labelled, sorted({*grid, setting}), run), setting)
            if name == "heldout":
                by_note = evaluation.pair_recall_by_note(labelled, notes, setting, run)
                self.stdout.write(
                    f"true pairs found at {setting:.2f}, by what is hard about a member: "
                    + ", ".join(f"{kind} {hit} / {total}" for kind, (hit, total) in by_note.items())
                )
        cv = evaluation.cross_validate(sets["tuning"], k=folds, finder=run)
        self.stdout.write(
            f"\ncross-validation on the tuning set ({folds} folds by group): thresholds chosen "
            f"{', '.join(f'{t:.2f}' for t in cv.chosen)} → {cv.threshold:.2f}; on the left-out folds "
            f"{_summary(cv.tested)}"
        )
        if "heldout" in chosen:
            result = evaluation.score(sets["heldout"], cv.threshold, run)
            self.stdout.write(f"held-out set at the cross-validated {cv.threshold:.2f}: {_summary(result)}")
        if misses:
            self._misses(sets["tuning"], setting, run)

    def _table(self, results: list[Score], setting: float):
        self.stdout.write(
            "| threshold | pair precision | pair recall | pairs TP / FP / FN "
            "| group precision | group recall | groups found / true, correct / reported |"
        )
        self.stdout.write("|---|---|---|---|---|---|---|")
        for s in results:
            mark = " (setting)" if s.threshold == setting else ""
            self.stdout.write(
                f"| {s.threshold:.2f}{mark} | {s.pair_precision:.2f} | {s.pair_recall:.2f} "
                f"| {s.pair_tp} / {s.pair_fp} / {s.pair_fn} | {s.group_precision:.2f} | {s.group_recall:.2f} "
                f"| {s.groups_found} / {s.groups_true}, {s.groups_correct} / {s.groups_reported} |"
            )

    def _misses(self, labelled: LabelledSet, threshold: float, run: evaluation.Finder):
        missed, wrong = evaluation.missed_and_wrong(labelled, threshold, run)
        self.stdout.write(f"\ntuning set at {threshold:.2f}: {len(missed)} groups not found whole")
        for group in missed:
            self.stdout.write("  missed: " + " | ".join(f"{d.id} {d.owner} {d.title[:50]}" for d in group))
        self.stdout.write(f"{len(wrong)} reported groups that mix subjects")
        for group in wrong:
            self.stdout.write("  wrong:  " + " | ".join(f"{d.id} {d.owner} {d.title[:50]}" for d in group))


def _summary(s: Score) -> str:
    return (
        f"pairs precision {s.pair_precision:.2f} recall {s.pair_recall:.2f} "
        f"({s.pair_tp} / {s.pair_fp} / {s.pair_fn}), groups precision {s.group_precision:.2f} "
        f"recall {s.group_recall:.2f} ({s.groups_found} / {s.groups_true}, "
        f"{s.groups_correct} / {s.groups_reported})"
    )
