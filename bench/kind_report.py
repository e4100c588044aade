"""How well intake guesses a request's kind: accuracy and confusion matrix per language.

    .venv/bin/python bench/kind_report.py [--split test|dev|all] [--write bench/kinds.md]

The labelled corpus is tests/requests/kinds/corpus.tsv (kk, ru, en; formal and colloquial,
typos, negations, mixed languages). The rules in requests/mail/kinds.py were developed on its
`dev` rows only; the `test` rows are the held-out part this report is about.
"""

import argparse
import csv
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from requests.mail.kinds import detect_language, suggest_kind  # noqa: E402
from requests.models import RequestKind  # noqa: E402

CORPUS = ROOT / "tests" / "requests" / "kinds" / "corpus.tsv"
KINDS = [kind.value for kind in RequestKind]
SHORT = {
    "access": "acc", "rectification": "rect", "blocking": "blk", "unblocking": "unblk",
    "erasure": "eras", "withdrawal": "wdr", "withdrawal_all": "wdr-all", "unsubscribe": "unsub",
    "complaint": "compl", "other": "oth", "public_removal": "pub",
}  # fmt: skip


def load(split: str) -> list[dict[str, str]]:
    with CORPUS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [row for row in rows if split == "all" or row["split"] == split]


def evaluate(rows: list[dict[str, str]]) -> tuple[dict, list[dict[str, str]]]:
    """Per language: (correct, total, confusion[expected][guessed], language hits)."""
    results: dict[str, dict] = defaultdict(
        lambda: {"correct": 0, "total": 0, "confusion": defaultdict(Counter), "language": 0}
    )
    misses = []
    for row in rows:
        guessed = suggest_kind(subject_line=row["subject"], body=row["body"])
        result = results[row["language"]]
        result["total"] += 1
        result["correct"] += guessed == row["kind"]
        result["confusion"][row["kind"]][guessed] += 1
        result["language"] += detect_language(f"{row['subject']}\n{row['body']}") == row["language"]
        if guessed != row["kind"]:
            misses.append({**row, "guessed": guessed})
    return results, misses


def report(split: str) -> str:
    rows = load(split)
    results, misses = evaluate(rows)
    lines = [
        f"# Kind guessing: the `{split}` part of the corpus",
        "",
        f"Corpus: `tests/requests/kinds/corpus.tsv`, {len(rows)} requests in this part "
        f"({len(load('all'))} in all). Rules: `requests/mail/kinds.py`, developed on `dev`.",
        "Produced by `bench/kind_report.py`.",
        "",
        "| language | requests | kind right | accuracy | language right |",
        "| --- | --- | --- | --- | --- |",
    ]
    for language in ("kk", "ru", "en"):
        result = results[language]
        accuracy = result["correct"] / result["total"] if result["total"] else 0
        lines.append(
            f"| {language} | {result['total']} | {result['correct']} | {accuracy:.1%} | "
            f"{result['language']}/{result['total']} |"
        )
    for language in ("kk", "ru", "en"):
        confusion = results[language]["confusion"]
        lines += ["", f"## Confusion matrix, {language} (rows: labelled, columns: guessed)", ""]
        lines.append("| | " + " | ".join(SHORT[kind] for kind in KINDS) + " |")
        lines.append("| --- " * (len(KINDS) + 1) + "|")
        for expected in KINDS:
            cells = [str(confusion[expected][guessed] or "·") for guessed in KINDS]
            lines.append(f"| **{SHORT[expected]}** | " + " | ".join(cells) + " |")
    lines += ["", "## Misses", ""]
    if not misses:
        lines.append("None.")
    for miss in misses:
        lines.append(
            f"- {miss['language']} `{miss['kind']}` guessed `{miss['guessed']}`: "
            f"{miss['subject']!r} / {miss['body']!r}"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "dev", "all"), default="test")
    parser.add_argument("--write", type=Path, help="also write the report to this file")
    args = parser.parse_args()
    text = report(args.split)
    print(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
