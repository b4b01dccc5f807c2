"""Benchmark the built-in redactors on the labelled corpus tests/data/redaction_corpus.jsonl.

Run from the repository root: ``PYTHONPATH=src python bench/bench_redaction.py [--show N]
[--without SET,...]``; ``--without`` leaves sets out of every figure, the whole corpus's too, so that a
round's checks never show its unseen set.

Prints, separately for the generated texts and the hand-written holdout
(texts whose wording no generator template uses), and for both together:

- recall per kind: the share of labelled personal spans whose every letter and
  digit ends up inside a redacted span (a name with its surname left over
  counts as missed);
- texts with no leak: the share of texts in which every personal span is
  removed;
- over-redaction: the share of labelled non-personal tokens (prices, flight
  numbers, models, incident dates, times, quantities, versions, the company's
  own handle and hotline) with any character redacted, and the share of all
  unlabelled words that were redacted;
- throughput, beside a floor measured in the same run (one regular
  expression pass for e-mail addresses over the same texts).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
# imported after the sys.path line above, so that a checkout without install runs too
from openledger.builtin.redactors import (  # noqa: E402
    addresses,
    birthdates,
    contact,
    financial,
    names,
    references,
)
from openledger.privacy.redaction import Keep, redact  # noqa: E402
from protocol import Figures  # noqa: E402

KEEP = ["@AcmeHelp", "0800 123 4567", "www.acme-retail.com"]
TARGETS = {"EMAIL": 0.99, "PHONE": 0.99, "CARD": 0.99, "IBAN": 0.99, "REFERENCE": 0.99, "NAME": 0.97, "ADDRESS": 0.97}


def load_redactors(config=None) -> list:
    found: list = []
    for module in (contact, financial, references, addresses, birthdates, names):
        module.register_redactors(register=found.append, config=config or {})
    return found


def covered(text: str, start: int, end: int, mask: list[bool]) -> bool:
    """Every letter and digit of text[start:end] is redacted."""
    return all(mask[i] for i in range(start, end) if text[i].isalnum())


def touched(text: str, start: int, end: int, mask: list[bool]) -> bool:
    return any(mask[i] for i in range(start, end) if text[i].isalnum())


def evaluate(records: list[dict], redactors: list, show: int = 0) -> dict:
    keep = Keep(KEEP)
    found = defaultdict(int)
    total = defaultdict(int)
    clean_texts = 0
    np_total = np_hit = 0
    words_total = words_hit = 0
    shown = 0
    for record in records:
        text = record["text"]
        result = redact(text, redactors, keep)
        mask = [False] * len(text)
        for span in result.spans:
            for i in range(span.start, span.end):
                mask[i] = True
        leak = False
        for gold in record["spans"]:
            total[gold["kind"]] += 1
            if covered(text, gold["start"], gold["end"], mask):
                found[gold["kind"]] += 1
            else:
                leak = True
                if shown < show:
                    shown += 1
                    print(f"  MISS {record['id']} {gold['kind']}: {text[gold['start']:gold['end']]!r} "
                          f"-> {result.text[:300]!r}")
        clean_texts += not leak
        for item in record["nonpersonal"]:
            np_total += 1
            if touched(text, item["start"], item["end"], mask):
                np_hit += 1
                if shown < show:
                    shown += 1
                    print(f"  OVER {record['id']} {item['kind']}: {text[item['start']:item['end']]!r}")
        personal = [False] * len(text)
        for gold in record["spans"]:
            for i in range(gold["start"], gold["end"]):
                personal[i] = True
        for word in re.finditer(r"\w+", text):
            if not any(personal[word.start() : word.end()]):
                words_total += 1
                if any(mask[word.start() : word.end()]):
                    words_hit += 1
    return {
        "texts": len(records),
        "recall": {k: (found[k], total[k]) for k in sorted(total)},
        "no_leak": clean_texts / max(1, len(records)),
        "over_nonpersonal": (np_hit, np_total),
        "over_words": (words_hit, words_total),
    }


def report(name: str, res: dict) -> None:
    print(f"\n== {name}: {res['texts']} texts")
    for kind, (f, t) in res["recall"].items():
        target = TARGETS.get(kind)
        mark = "" if target is None else ("  ok" if f / t >= target else f"  BELOW target {target}")
        print(f"  recall {kind:<10} {f / t:6.3f}  ({f}/{t}){mark}")
    mark = "  ok" if res["no_leak"] >= 0.95 else "  BELOW target 0.95"
    print(f"  texts with no leak     {res['no_leak']:6.3f}{mark}")
    h, t = res["over_nonpersonal"]
    mark = "  ok" if h / max(1, t) <= 0.05 else "  ABOVE target 0.05"
    print(f"  over-redaction of labelled non-personal tokens {h / max(1, t):6.3f} ({h}/{t}){mark}")
    h, t = res["over_words"]
    print(f"  share of unlabelled words redacted             {h / max(1, t):6.3f} ({h}/{t})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(ROOT / "tests" / "data" / "redaction_corpus.jsonl"))
    parser.add_argument("--show", type=int, default=0, help="print up to N misses and over-redactions")
    parser.add_argument("--quick", action="store_true", help="the whole corpus only, not each set (a smoke run)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line at the end")
    parser.add_argument("--sets", default="", help="comma-separated sets to report (default: every set)")
    parser.add_argument("--without", default="",
                        help="comma-separated sets left out of every figure, 'all' included (a round's unseen "
                             "set, while the round is under way)")
    args = parser.parse_args()
    left_out = {name for name in args.without.split(",") if name}
    records = [record for line in Path(args.corpus).read_text(encoding="utf-8").splitlines() if line.strip()
               if (record := json.loads(line))["set"] not in left_out]
    redactors = load_redactors()
    redact("warm up Sarah", redactors)
    sets = ("generated", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "dev5", "holdout6", "dev6",
            "holdout7", "dev7", "holdout8", "dev8", "holdout9", "dev9",
            "holdout10", "dev10")
    for name in () if args.quick else sets:
        if (args.sets and name not in args.sets.split(",")) or name in left_out:
            continue
        subset = [r for r in records if r["set"] == name]
        print(f"\n-- {name}")
        report(name, evaluate(subset, redactors, args.show))
    everything = evaluate(records, redactors)
    report("all", everything)
    texts = [r["text"] for r in records]
    start = time.perf_counter()
    for text in texts:
        redact(text, redactors, KEEP)
    ours = time.perf_counter() - start
    email = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
    start = time.perf_counter()
    for text in texts:
        email.sub("[EMAIL]", text)
    floor = time.perf_counter() - start
    print(f"\nthroughput: {len(texts) / ours:,.0f} texts/s "
          f"(floor, one e-mail regex: {len(texts) / floor:,.0f} texts/s; ratio {ours / floor:,.0f}x slower)")
    figures = Figures("redaction")
    figures.add("texts with no leak (whole corpus)", everything["no_leak"], "share", 0.95, "target: at least the floor")
    figures.add("redaction throughput", len(texts) / ours, "texts/s", len(texts) / floor, "floor: one e-mail regex")
    figures.emit(args.json)


if __name__ == "__main__":
    main()
