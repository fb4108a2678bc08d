"""Precision and recall of name matching (core.names.names_match) on labelled pairs of names."""

import csv
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.names import names_match

PAIRS = Path(settings.BASE_DIR) / "tests" / "core" / "name_pairs.tsv"


def measure(path: Path = PAIRS) -> dict:
    """{"overall": {...}, kind: {...}}: pairs, true and false positives and negatives, precision,
    recall, and the pairs judged wrongly."""
    counts = defaultdict(lambda: {"pairs": 0, "tp": 0, "fp": 0, "fn": 0, "tn": 0, "wrong": []})
    with path.open(encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for name, other, same, kind in rows:
            matched, expected = names_match(name, other), same == "1"
            outcome = ("tp" if expected else "fp") if matched else ("fn" if expected else "tn")
            for bucket in ("overall", kind):
                counts[bucket]["pairs"] += 1
                counts[bucket][outcome] += 1
                if outcome in ("fp", "fn"):
                    counts[bucket]["wrong"].append((name, other, outcome))
    for figures in counts.values():
        found, relevant = figures["tp"] + figures["fp"], figures["tp"] + figures["fn"]
        figures["precision"] = round(figures["tp"] / found, 3) if found else 1.0
        figures["recall"] = round(figures["tp"] / relevant, 3) if relevant else 1.0
    return dict(counts)


class Command(BaseCommand):
    help = "Print the precision and recall of duplicate detection's name matching on the labelled pairs."

    def add_arguments(self, parser):
        parser.add_argument("--pairs", type=Path, default=PAIRS, help="a TSV of name, name, same (1/0), kind")
        parser.add_argument("--wrong", action="store_true", help="list the pairs judged wrongly")

    def handle(self, *args, pairs, wrong, **options):
        results = measure(pairs)
        overall = results["overall"]
        self.stdout.write(
            f"{overall['pairs']} pairs: precision {overall['precision']:.3f}, recall {overall['recall']:.3f} "
            f"({overall['tp']} same names found, {overall['fp']} different names taken as one, "
            f"{overall['fn']} same names missed)"
        )
        for kind in sorted(k for k in results if k != "overall"):
            figures = results[kind]
            right = figures["tp"] + figures["tn"]
            self.stdout.write(f"  {kind:<14} {right:>4} of {figures['pairs']:>4} judged right")
        if wrong:
            for name, other, outcome in overall["wrong"]:
                label = "taken as one" if outcome == "fp" else "missed"
                self.stdout.write(f"  {label}: {name} | {other}")
