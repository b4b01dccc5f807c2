"""Names in texts written in Japanese, Chinese, Korean, Cyrillic or Greek script (``_name_native``).

Through the ``register_redactors`` hook implementations and the redaction engine, as ``openledger redact``
does. Two written sets: ``redaction_native_scripts.jsonl`` (the rules were built on it) and
``redaction_native_scripts_holdout.jsonl`` (written with it, measured once after the rules were), each text
with the names it holds: every name is redacted and nothing else. The real customer tweets in other scripts
of the shared data (Japanese, Chinese and others to Amazon, Apple...) get no name from these rules.
"""

from __future__ import annotations

import csv
import json
import re

import pytest
from paths import DATA, SHARED_DATA
from redactor_set import builtin_redactors

from openledger.builtin.redactors._name_native import native_names
from openledger.privacy.redaction import find_spans

REDACTORS = builtin_redactors()
SETS = ("redaction_native_scripts.jsonl", "redaction_native_scripts_holdout.jsonl")
CASES = [json.loads(line) for name in SETS for line in (DATA / name).read_text("utf-8").splitlines()]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:12] for c in CASES])
def test_each_name_and_nothing_else_is_redacted(case):
    text = case["text"]
    covered: set[int] = set()
    for span in find_spans(text, REDACTORS):
        covered.update(range(span.start, span.end))
    named: set[int] = set()
    for name in case["names"]:
        start = text.index(name)
        named.update(range(start, start + len(name)))
    missed = [n for n in case["names"] if not set(range(text.index(n), text.index(n) + len(n))) <= covered]
    assert missed == []
    assert covered <= named, "".join(text[i] if i in covered - named else "_" for i in range(len(text)))


def test_real_tweets_in_other_scripts_name_nobody_by_these_rules():
    with open(SHARED_DATA / "twcs" / "twcs_sample.csv", encoding="utf-8", newline="") as handle:
        texts = [row["text"] or "" for row in csv.DictReader(handle)]
    other = [t for t in texts if re.search(r"[\u3040-\u30FF\u4E00-\u9FFF\uAC00-\uD7AF\u0400-\u04FF\u0370-\u03FF]", t)]
    assert len(other) >= 40
    assert [t for t in other if list(native_names(t))] == []
