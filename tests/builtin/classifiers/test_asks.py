"""What the cue rules read a message to ask: rhetorical questions, suggestion cues that are
not suggestions, money asks in other languages, verdicts for readers. The rules' cue
scores are inputs of the shipped model; ``openledger classify --jsonl`` prints its labels."""

from __future__ import annotations

import json

from click.testing import CliRunner

from openledger.builtin.classifiers import lexical
from openledger.cli import main
from openledger.records import ClassifyInput

# (text, kind, wants): written for this test, in the style of real tweets and reviews
CASES = [
    # a complaint in question form is a complaint; a plain question stays a question
    ("@PowerCo why is my bill so high this month?", "complaint", "fix"),
    ("@AppCo how come the app logs me out every single day?", "complaint", "fix"),
    ("@CafeCo No oat milk again today? Really?", "complaint", "fix"),
    ("@AppCo how do I export my data to a spreadsheet?", "question", "fix"),
    # suggestion cues, and words that only look like them
    ("Love the app. It would be nice if you could add a dark theme.", "suggestion", "none"),
    ("You should add a night bus on route 7, please consider it.", "suggestion", "none"),
    ("Great staff, quick claims. I wish there was an app to upload the vet invoices.", "suggestion", "none"),
    ("@ParcelCo you should be ashamed, my parcel is two weeks late.", "complaint", "sympathy"),
    ("@HomeAlarm please make this stop, the alarm keeps beeping at night", "complaint", "fix"),
    # money asked for in other languages, or refused beside venting
    ("@TiendaX Quiero mi dinero, el pedido nunca llegó.", "complaint", "compensation"),
    ("Ich möchte eine Rückerstattung für die kaputte Lampe.", "complaint", "compensation"),
    ("They will not refund me my money. Total scam, stay away, never again.", "complaint", "compensation"),
    # the same story told to other readers (a verdict) or to the company about one's own matter (a fix)
    ("The claim took four months and the payout was a fraction of the vet bill.", "complaint", "sympathy"),
    ("@InsureCo the claim for my dog took four months and the payout was a fraction of the vet bill.",
     "complaint", "fix"),
]


def test_the_cue_rules_read_what_the_message_asks():
    rules = {c.label: c for c in lexical.rules({})}
    got = [(text, rules["kind"].classify(ClassifyInput(text)).value, rules["wants"].classify(ClassifyInput(text)).value)
           for text, _, _ in CASES]
    assert got == CASES


def test_classify_jsonl_labels_every_message(tmp_path):
    path = tmp_path / "messages.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n"
                            for i, (text, _, _) in enumerate(CASES)), encoding="utf-8")
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "none"), "classify", "--jsonl", str(path)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in rows] == list(range(len(CASES)))
    for row in rows:
        assert row["labels"]["kind"]["value"] in {"complaint", "compliment", "question", "suggestion"}
        assert row["labels"]["wants"]["value"] in {"compensation", "fix", "none", "sympathy"}
        assert 0 < row["labels"]["kind"]["confidence"] <= 1
