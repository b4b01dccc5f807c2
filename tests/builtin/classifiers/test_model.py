"""The trained text model: the quality gate on the fixed held-out texts, the exact spam
rules, the social-thread rule through ``process``, and that the build script reproduces it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paths import DATA, DOCS, ROOT, shared

from openledger.audit.exclusion import SPAM_MIN_CONFIDENCE, excluded_as_spam
from openledger.builtin.classifiers import corpus, learned, lexical
from openledger.builtin.classifiers import model as text_model
from openledger.builtin.classifiers.flags import classify_spam
from openledger.builtin.sources.email import SOURCE as EMAIL
from openledger.records import ClassifyInput, MessageRecord

SHIPPED = {c.label: c for c in lexical.build({})}


def _gate() -> dict[str, float]:
    """The held-out figures recorded in docs/benchmarks.md for the gate."""
    text = (DOCS / "benchmarks.md").read_text(encoding="utf-8")
    match = re.search(r"Quality gate: held-out kind macro-F1 ([0-9.]+), wants macro-F1 ([0-9.]+)", text)
    assert match, "docs/benchmarks.md must record the quality gate figures"
    return {"kind": float(match.group(1)), "wants": float(match.group(2))}


def test_the_held_out_part_is_fixed_large_and_never_a_tuned_text():
    examples = corpus.load(DATA)
    train, heldout = corpus.split(examples)
    assert len(heldout) >= 500 and len(train) + len(heldout) >= 2500
    assert not any(e.file in corpus.TUNED for e in heldout)
    assert not {corpus.fold(e.text) for e in heldout} & {corpus.fold(e.text) for e in train}
    assert all(e.heldout == (e.file not in corpus.TUNED and corpus.held_out(e.text)) for e in heldout)


@pytest.mark.parametrize("label", ["kind", "wants"])
def test_quality_gate_on_the_held_out_texts(label):
    """Fails when the held-out macro-F1 drops more than 0.02 below the recorded figure."""
    _, heldout = corpus.split(corpus.load(DATA))
    pairs = [(getattr(e, label), SHIPPED[label].classify(ClassifyInput(e.text, e.channel, e.subject)).value)
             for e in heldout if getattr(e, label) is not None]
    assert corpus.macro_f1(pairs) >= _gate()[label] - 0.02


def test_the_model_file_is_small_and_holds_no_pickle():
    path = Path(text_model.__file__).with_name(text_model.MODEL_FILE)
    assert path.stat().st_size < 5_000_000
    with zipfile.ZipFile(path) as archive:
        assert all(name.endswith(".npy") for name in archive.namelist())
    with np.load(path, allow_pickle=False) as data:
        assert {"weights", "bias", "vocabulary", "idf", "header"} <= set(data.files)


def _emails(name: str) -> list[MessageRecord]:
    return [r for r in EMAIL.read(shared("email", "eml", name)) if isinstance(r, MessageRecord)]


@pytest.mark.parametrize("name", ["mail_test_12.eml", "mail_test_6.eml", "mail_test_8.eml"])
def test_the_spam_mails_of_the_shared_data_are_spam(name):
    (record,) = _emails(name)
    label = SHIPPED["spam"].classify(ClassifyInput(record.text, "email", record.subject))
    assert label.value == "yes" and label.confidence >= 0.5


def test_exact_spam_markers_decide_alone_with_high_confidence():
    text = "您好！本公司可代开各类增值税发票，点数优惠，微信同号"
    label = SHIPPED["spam"].classify(ClassifyInput(text))
    assert (label.value, label.detail["by"], label.detail["rule"]) == ("yes", "rule", "invoice offer")
    assert excluded_as_spam({"spam": {"value": label.value, "confidence": label.confidence}})
    assert learned.spam_marker("My refund still has not arrived, please help") is None


# customers of twcs_sample.csv who wrote in Japanese (tweet ids 271, 325, 5288): the model once read the script as
# spam (the labelled texts in other scripts were mostly invoice offers and bulk mail) and left two of them out of
# the audit; what they say (a repair that failed, playback errors, a parcel that never came) is a complaint
CUSTOMERS_IN_OTHER_SCRIPTS = [
    "@AmazonHelp 電話で対応してもらいましたが改良されませんでした。\n"
    "保証期間も過ぎてるので買い直しになるんでしょうね。",
    "amazonプライムビデオ、再生エラーが多いです",
    "Amazonで頼んだ商品が届かないよぉ\n追跡は配達完了になっておる\n郵便局に電話したけどどーなるんだろ",
]


@pytest.mark.parametrize("text", CUSTOMERS_IN_OTHER_SCRIPTS)
def test_a_customer_writing_in_another_script_is_not_spam(text):
    label = SHIPPED["spam"].classify(ClassifyInput(text, "twitter"))
    assert label.value == "no", label
    assert not excluded_as_spam({"spam": {"value": label.value, "confidence": label.confidence}})


@pytest.mark.parametrize("text", [*CUSTOMERS_IN_OTHER_SCRIPTS, "Интернет не работает уже третий день",
                                  "الإنترنت مقطوع منذ ثلاثة أيام", "환불해 주세요"])
def test_words_in_another_script_are_content_not_keyboard_mashing(text):
    """The rule's "no content" (keyboard mashing: words without a vowel) is for Latin letters only."""
    assert classify_spam(text).detail["reasons"] == []


def test_a_thread_written_by_several_people_is_social_not_a_complaint():
    label = SHIPPED["spam"].classify(ClassifyInput("Wordle 301 4/6\n\nnice one\n\nbeat you", "facebook", authors=3))
    assert (label.value, label.detail["reason"]) == ("yes", "social")
    assert label.confidence >= SPAM_MIN_CONFIDENCE


def test_the_spam_exclusion_rule():
    assert excluded_as_spam({"spam": {"value": "yes", "confidence": 0.95}})
    assert not excluded_as_spam({"spam": {"value": "yes", "confidence": 0.6}})
    assert not excluded_as_spam({"spam": {"value": "no", "confidence": 0.99}})
    assert not excluded_as_spam({})


def test_process_marks_a_messenger_group_chat_as_social(instance):
    folder = shared("facebook-export", "wordle-group-2022")
    instance.run("ingest", "facebook", folder)
    instance.run("process")
    with instance.engine.connect() as conn:
        rows = conn.exec_driver_sql("select data from events where type = 'classified'").fetchall()
    assert rows
    for (data,) in rows:
        data = json.loads(data) if isinstance(data, str) else data
        assert data["labels"]["spam"]["value"] == "yes"


def test_explain_names_the_features_that_pushed_towards_the_value():
    (classifier,) = [c for c in learned.build(explain=5) if c.label == "wants"]
    label = classifier.classify(ClassifyInput("You charged me twice and I want my money back"))
    assert label.detail["by"] == "model" and label.detail["why"]
    assert all(isinstance(name, str) and weight > 0 for name, weight in label.detail["why"])


def test_classify_many_gives_the_same_labels_as_classify():
    items = [ClassifyInput(t) for t in ("my parcel never came", "thank you so much!", "do you open on Sunday?")]
    for classifier in SHIPPED.values():
        if hasattr(classifier, "classify_many"):
            assert classifier.classify_many(items) == [classifier.classify(i) for i in items]


def test_the_build_script_reproduces_the_shipped_model(tmp_path):
    out = tmp_path / "model.npz"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "train_classifiers.py"), "--out", str(out),
                    "--only", "kind"],
                   check=True, capture_output=True)
    shipped = text_model.read(Path(text_model.__file__).with_name(text_model.MODEL_FILE))
    rebuilt = text_model.read(out)
    for example in corpus.load(DATA):
        a = shipped.score(example.text, example.subject)
        b = rebuilt.score(example.text, example.subject)
        for label in a:
            assert a[label].value == b[label].value
            assert abs(a[label].confidence - b[label].confidence) < 1e-6


def test_a_head_with_decision_weights_picks_its_value_by_weighted_probability():
    """wants is decided by probability / sqrt(share of the value): rarer wishes are not all lost to fix;
    the confidence stays the calibrated probability of the value chosen."""
    scored = text_model.Scored("wants", {"fix": 0.5, "sympathy": 0.4}, (), {"fix": 1.0, "sympathy": 2.0})
    assert (scored.value, scored.confidence) == ("sympathy", 0.4)
    assert text_model.Scored("wants", {"fix": 0.5, "sympathy": 0.4}, ()).value == "fix"
    shipped = text_model.shipped()
    assert shipped.heads["wants"].decide and shipped.heads["kind"].decide is None
    assert shipped.heads["wants"].decide["sympathy"] > shipped.heads["wants"].decide["fix"]


def _marker_searched_everywhere(text: str) -> str | None:
    """spam_marker as it was written before it skipped markers a text cannot hold: every pattern searched."""
    return next((name for name, pattern, _ in learned._MARKERS if pattern.search(text)), None)


# the markers' words in several cases, letters that match ASCII ones case-insensitively (ſ, the Kelvin sign), and
# the markers in other scripts
_MARKER_PIECES = ["you have won", "YOU HAVE WON", "claim your prize", "Claim Your Reward", "lottery", "LOTTERY",
                  "claim", "ha ganado un", "presale", "PreSale", "airdrop", "token launch", "staking pool",
                  "staking pool".replace("k", "\u212a"), "pre\u017fale", "10x", "#crypto", "#Crypto",
                  "you are receiving this email because", "You are receiving this message because",
                  "view this email in your browser", "unsubscribe here", "Unsubscribe HERE",
                  "if you do not want to receive any further mail", "si ce message ne s'affiche pas correctement",
                  "не хотите получать", "НЕ ХОТИТЕ ПОЛУЧАТЬ", "代开发票", "增值税专用发票", "refund", "\n", " ", "."]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_MARKER_PIECES), max_size=8))
def test_spam_markers_skipped_only_where_they_cannot_match(pieces):
    text = " ".join(pieces)
    assert learned.spam_marker(text) == _marker_searched_everywhere(text)
