"""The labelled corpus: well-formed, reproducible, and the redactors meet the targets on it.

The figures per set are printed by bench/bench_redaction.py; this test keeps
them from regressing below the targets of issue 7.
"""

from __future__ import annotations

import importlib.util
import json
from collections import defaultdict

import pytest
from paths import DATA
from redactor_set import builtin_redactors

from openledger.privacy.redaction import redact

CORPUS = DATA / "redaction_corpus.jsonl"
KEEP = ["@AcmeHelp", "0800 123 4567", "www.acme-retail.com"]
TARGETS = {"EMAIL": 0.99, "PHONE": 0.99, "CARD": 0.99, "IBAN": 0.99, "REFERENCE": 0.99, "NAME": 0.97, "ADDRESS": 0.97}


def records() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def redactors() -> list:
    return builtin_redactors()


def test_corpus_is_large_varied_and_well_formed():
    items = records()
    assert len(items) >= 400
    assert {r["channel"] for r in items} >= {"twitter", "email", "phone", "letter", "review", "webform"}
    assert {r["locale"] for r in items} >= {"US", "UK", "DE", "FR", "ES", "IE", "IN"}
    assert sum(1 for r in items if not r["spans"]) >= 40  # texts with nothing personal but tricky numbers
    assert {r["set"] for r in items} == {
        "generated", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "dev5",
        "holdout6", "dev6", "holdout7", "dev7", "holdout8", "dev8", "holdout9", "dev9", "holdout10", "dev10",
    }
    for record in items:
        for span in record["spans"] + record["nonpersonal"]:
            assert 0 <= span["start"] < span["end"] <= len(record["text"]), record["id"]
            assert record["text"][span["start"] : span["end"]].strip(), record["id"]


def test_generator_is_deterministic(tmp_path):
    spec = importlib.util.spec_from_file_location("make_redaction_corpus", DATA / "make_redaction_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = module.main(tmp_path / "corpus.jsonl")
    assert out.read_bytes() == CORPUS.read_bytes()


def test_redactors_meet_the_targets_on_the_corpus(redactors):
    found, total = defaultdict(int), defaultdict(int)
    clean = 0
    kept = kept_total = 0
    # holdout5 to holdout10 are unseen sets: measured by bench/bench_redaction.py, never a target to tune to
    unseen = ("holdout5", "holdout6", "holdout7", "holdout8", "holdout9", "holdout10")
    items = [r for r in records() if r["set"] not in unseen]
    for record in items:
        text = record["text"]
        mask = [False] * len(text)
        for span in redact(text, redactors, keep=KEEP).spans:
            mask[span.start : span.end] = [True] * (span.end - span.start)
        leak = False
        for gold in record["spans"]:
            total[gold["kind"]] += 1
            if all(mask[i] for i in range(gold["start"], gold["end"]) if text[i].isalnum()):
                found[gold["kind"]] += 1
            else:
                leak = True
        clean += not leak
        for item in record["nonpersonal"]:
            kept_total += 1
            kept += not any(mask[i] for i in range(item["start"], item["end"]) if text[i].isalnum())
    for kind, target in TARGETS.items():
        assert found[kind] / total[kind] >= target, (kind, found[kind], total[kind])
    assert clean / len(items) >= 0.95
    assert 1 - kept / kept_total <= 0.05
