"""The influence labels (leverage, tone, moves_private, gag): through the hooks, the
``classify`` command and ``process``, their held-out quality gate, and a property."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paths import DATA, DOCS, ROOT

from openledger import plugins
from openledger.builtin.classifiers import corpus, influence
from openledger.builtin.classifiers.model import read as read_model
from openledger.cases.classify import classify_text
from openledger.records import LABEL_VALUES, ClassifyInput
from openledger.testing import InstanceRunner, make_instance

INFLUENCE = ("leverage", "tone", "moves_private", "gag")
BUILT = {c.label: c for c in influence.build()}


def decided(text: str = "", replies: tuple[str, ...] = (), rating: float | None = None) -> dict[str, str]:
    """The values the registered classifiers (through the hooks, as ``process`` asks them) give."""
    found = classify_text(plugins.classifiers({}), ClassifyInput(text, replies=replies, rating=rating))
    return {name: label.value for name, (label, _) in found.items()}


def test_the_four_labels_are_standard_and_registered_through_the_hook():
    for label in INFLUENCE:
        assert label in LABEL_VALUES
    registered = {c.label: c for c in plugins.classifiers({}) if c.label in INFLUENCE}
    assert set(registered) == set(INFLUENCE)
    assert all(set(c.values) == set(LABEL_VALUES[c.label]) and c.name and c.version for c in registered.values())


@pytest.mark.parametrize("text, expected", [
    ("@FoodBox you have 48 hours to sort this or I'll air it all over social media", "publicity"),
    ("If I don't get a refund I will be leaving one-star reviews on Google and Trustpilot.", "publicity"),
    ("I have already spoken to a reporter at the Evening Standard about this.", "press"),
    ("I intend to file a complaint with the CFPB and my state attorney general.", "regulator"),
    ("If this is not resolved I will contact my lawyer and see you in small claims court.", "legal"),
    ("The collection agency's attorney sent me a letter about a debt I already paid.", "none"),
    ("My identity was stolen; I filed a report with the FTC and the police.", "none"),
    ("@AcmeRail third cancelled train this week, absolutely fed up", "none"),
])
def test_leverage(text, expected):
    assert decided(text)["leverage"] == expected


@pytest.mark.parametrize("text, rating, expected", [
    ("You thieving scumbags, give me back my deposit", None, "hostile"),
    ("Third time I've had to explain this, really frustrating. Still no refund.", None, "negative"),
    ("Could you tell me when my policy renews?", None, "neutral"),
    ("Thank you so much, the engineer was brilliant!", None, "positive"),
    ("Claims paid within a week.", 5.0, "positive"),
    ("Claims paid within a week.", 1.0, "negative"),
    ("", 2.0, "negative"),  # a rating alone is evidence enough
])
def test_tone_reads_the_words_and_the_star_rating(text, rating, expected):
    assert decided(text, rating=rating)["tone"] == expected


@pytest.mark.parametrize("text, expected", [
    ("@AcmeRail the 08:12 from Leeds shows as cancelled in the app, is there a replacement bus?", "neutral"),
    ("@AcmeBank I moved house last month, how do I change the address on my card?", "neutral"),
    ("@AcmeRail cancelled AGAIN. Third time this week, absolutely fed up with this service", "negative"),
    ("@AcmeTel been on hold for 40 minutes and still nobody picks up. Ridiculous.", "negative"),
    ("@AcmeRail huge thanks to the guard on the 17:40, sorted my ticket in seconds 👍", "positive"),
    ("@AcmeTel you lot are a bunch of crooks", "hostile"),
])
def test_tone_of_customer_tweets(text, expected):
    assert decided(text)["tone"] == expected


def test_tone_detail_says_which_rule_or_the_model_decided():
    model = BUILT["tone"].classify(ClassifyInput("@AcmeRail is the 08:12 from Leeds running today?", "twitter"))
    assert model.detail["rule"] == "model"
    assert set(model.detail["probability"]) == {"negative", "neutral", "positive"}
    assert abs(sum(model.detail["probability"].values()) - 1) < 0.01
    assert model.confidence == max(model.detail["probability"].values())
    abuse = BUILT["tone"].classify(ClassifyInput("You thieving scumbags", "twitter"))
    assert (abuse.value, abuse.detail["rule"], abuse.detail["cue"]) == ("hostile", "abuse", "You thieving")
    rated = BUILT["tone"].classify(ClassifyInput("Claims paid within a week.", "review", rating=1.0))
    assert (rated.value, rated.detail["rule"]) == ("negative", "rating")
    assert BUILT["tone"].name == "model-tone" and BUILT["tone"].version == influence.TONE_VERSION


def test_the_tone_model_file_is_small_and_holds_no_pickle():
    path = Path(influence.__file__).with_name(influence.TONE_MODEL_FILE)
    assert path.stat().st_size < 1_000_000
    with np.load(path, allow_pickle=False) as data:
        assert {"header", "vocabulary", "idf", "weights", "bias", "slope_tone", "intercept_tone"} <= set(data.files)


def test_the_build_script_reproduces_the_shipped_tone_model(tmp_path):
    out = tmp_path / influence.TONE_MODEL_FILE
    subprocess.run([sys.executable, str(ROOT / "scripts" / "train_classifiers.py"), "--only", "tone",
                    "--tone-out", str(out)], check=True, capture_output=True)
    # the same arrays: texts and integers exactly, floats to rounding (the last bits of a solver's floats
    # follow the processor's vector instructions: 1e-12 apart on two machines, which the float32 weights
    # can round to neighbouring values: one unit in their last place), and the same labels below
    with np.load(Path(influence.__file__).with_name(influence.TONE_MODEL_FILE), allow_pickle=False) as shipped, \
            np.load(out, allow_pickle=False) as made:
        assert shipped.files == made.files
        for name in shipped.files:
            a, b = shipped[name], made[name]
            assert a.dtype == b.dtype and a.shape == b.shape, name
            if a.dtype.kind == "f":
                ulp = np.spacing(np.maximum(np.abs(a), np.abs(b)).astype(a.dtype)).astype(np.float64)
                assert np.all(np.abs(a.astype(np.float64) - b) <= np.maximum(1e-9, ulp)), name
            else:
                assert np.array_equal(a, b), name
    rebuilt = read_model(out)
    for e in corpus.load_influence(DATA, "tone")[:200]:
        assert influence.tone_of(e.text, e.rating) == influence.tone_of(e.text, e.rating, model=rebuilt)


@pytest.mark.parametrize("reply, moves, gag", [
    ("@dana_k Sorry to hear that, can you DM us your account number? ^JM", "yes", "no"),
    ("Please call us at 0800 123 4567 so we can look into this.", "yes", "no"),
    ("We're sorry. Please tell us more here: https://t.co/Ax7W1Dx3Y9 -Becky", "yes", "no"),
    ("Thanks for the shout out! See you soon.", "no", "no"),
    ("We will refund you in exchange for deleting your review.", "no", "yes"),
    ("Now that it's resolved, would you kindly consider removing this review?", "no", "yes"),
    ("The payment is made on condition that you do not discuss it publicly.", "no", "yes"),
    ("For your security, please delete the tweet with your card number and DM us.", "yes", "no"),
    # the customer's words quoted back (a drafted reply's "You told us") are not the company asking
    ('You told us: "My bill is wrong, call me back on 555 0100 or I delete my review."\n\nWe are sorry.', "no", "no"),
    ("You told us: \u201ccall me after 5pm\u201d. Please call us on 0800 123 4567.", "yes", "no"),
])
def test_moves_private_and_gag_read_the_replies(reply, moves, gag):
    found = decided("My order never arrived.", replies=(reply,))
    assert (found["moves_private"], found["gag"]) == (moves, gag)


def test_outbound_labels_abstain_without_replies_and_inbound_without_text():
    found = decided("My order never arrived.")
    assert "moves_private" not in found and "gag" not in found
    assert BUILT["leverage"].classify(ClassifyInput("  ", replies=("DM us",))) is None
    assert BUILT["tone"].classify(ClassifyInput("")) is None


def test_a_gag_detail_holds_the_asking_sentence():
    label = BUILT["gag"].classify(ClassifyInput("", replies=(
        "Thanks for your patience. We will refund the £45 once you remove your Trustpilot review. Kind regards",)))
    assert label.value == "yes"
    assert label.detail["sentence"] == "We will refund the £45 once you remove your Trustpilot review."


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300), replies=st.lists(st.text(max_size=200), max_size=3),
       rating=st.none() | st.floats(min_value=0, max_value=5))
def test_any_input_gets_a_value_of_the_label_or_an_abstention(text, replies, rating):
    item = ClassifyInput(text, replies=tuple(replies), rating=rating)
    for label, classifier in BUILT.items():
        found = classifier.classify(item)
        if found is not None:
            assert found.value in LABEL_VALUES[label]
            assert 0.0 <= found.confidence <= 1.0


def _gate() -> dict[str, float]:
    """The held-out figures recorded in docs/benchmarks.md for the influence labels."""
    text = (DOCS / "benchmarks.md").read_text(encoding="utf-8")
    match = re.search(r"Influence gate: held-out macro-F1 leverage ([0-9.]+), tone ([0-9.]+), "
                      r"moves_private ([0-9.]+), gag ([0-9.]+)", text)
    assert match, "docs/benchmarks.md must record the influence gate figures"
    return dict(zip(INFLUENCE, map(float, match.groups())))


@pytest.mark.parametrize("label", INFLUENCE)
def test_the_held_out_part_is_fixed_and_large_enough(label):
    examples = corpus.load_influence(DATA, label)
    held = [e for e in examples if e.heldout]
    assert len(held) >= 100 and len(held) >= 0.25 * len(examples)
    assert all(e.heldout == corpus.held_out(e.text) for e in examples)
    assert all(e.gold in LABEL_VALUES[label] for e in examples)


@pytest.mark.parametrize("label", INFLUENCE)
def test_quality_gate_on_the_held_out_texts(label):
    """Fails when the held-out macro-F1 drops more than 0.02 below the recorded figure."""
    classifier = BUILT[label]
    pairs = []
    for e in corpus.load_influence(DATA, label):
        if e.heldout:
            item = ClassifyInput("", replies=(e.text,)) if label in corpus.OUTBOUND else \
                ClassifyInput(e.text, e.channel, rating=e.rating)
            pairs.append((e.gold, classifier.classify(item).value))
    assert corpus.macro_f1(pairs) >= _gate()[label] - 0.02


def test_classify_command_reads_replies_and_rating(tmp_path):
    inst = make_instance(tmp_path / "home")
    rows = [{"id": "r1", "text": "Terrible. I'll post this on Facebook.", "rating": 1,
             "replies": ["We're sorry. We'll refund you if you delete your review."]},
            {"id": "r2", "text": "Where is my parcel?", "replies": ["Please DM us your order number."]},
            {"id": "r3", "text": "Lovely staff"}]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = [json.loads(line)["labels"] for line in inst.run("classify", "--jsonl", path).stdout.splitlines()]
    assert [o["leverage"]["value"] for o in out] == ["publicity", "none", "none"]
    assert [o["tone"]["value"] for o in out] == ["negative", "neutral", "positive"]
    assert [o.get("gag", {}).get("value") for o in out] == ["yes", "no", None]
    assert [o.get("moves_private", {}).get("value") for o in out] == ["no", "yes", None]
    path.write_text(json.dumps({"text": "x", "replies": "DM us"}) + "\n", encoding="utf-8")
    assert "'replies' is not a list of strings" in inst.run("classify", "--jsonl", path, expect=1).stderr


def _messages() -> list[dict]:
    thread = [
        ("tw-1", "in", None, "@AcmeTel 3 weeks no internet. Fix it in 48 hours or I air it all over social media"),
        ("tw-2", "out", "tw-1", "@dana_k Sorry Dana, can you DM us your account number so we can check the line?"),
        ("tw-3", "in", "tw-2", "@AcmeTel done"),
        ("tw-4", "out", "tw-3", "@dana_k Thanks. We can credit a month, Dana Kowalski, once you delete your tweets "
                                "about this. Call 020 7946 0018 to confirm."),
    ]
    return [{"id": i, "channel": "twitter", "visibility": "public", "timestamp": f"2026-03-02T08:1{n}:00Z",
             "author": "@AcmeTel" if d == "out" else "@dana_k", "text": t, "reply_to": r, "direction": d}
            for n, (i, d, r, t) in enumerate(thread)]


def test_process_records_the_labels_and_a_redacted_gag_sentence(instance: InstanceRunner, tmp_path):
    path = tmp_path / "thread.jsonl"
    path.write_text("".join(json.dumps(m) + "\n" for m in _messages()), encoding="utf-8")
    instance.run("ingest", "jsonl", path)
    instance.run("process")
    (case,) = instance.json("cases", "list", "--json")
    shown = instance.json("cases", "show", case["id"], "--json")
    (classified,) = [e for e in shown["events"] if e["type"] == "classified"]
    labels = classified["data"]["labels"]
    assert labels["leverage"]["value"] == "publicity"
    assert labels["moves_private"]["value"] == "yes" and labels["gag"]["value"] == "yes"
    assert labels["tone"]["value"] in ("negative", "hostile")
    assert {"rules-leverage", "model-tone", "rules-moves-private", "rules-gag"} <= \
        {d["name"] for d in classified["data"]["deciders"]}
    sentence = classified["private"]["detail"]["gag"]["sentence"]
    assert "delete your tweets" in sentence
    assert "Kowalski" not in sentence and "7946" not in sentence  # redacted before it is recorded


def test_tone_is_read_from_the_message_the_customer_opened_with(instance: InstanceRunner, tmp_path):
    """A customer's later messages may be angry because they were kept waiting: the tone the audit
    compares customers by is how they came in, the first message, not the answer's own delay."""
    opening = "@AcmeRail Hi, could you tell me whether the 08:12 from Leeds is running on Saturday? Thanks"
    chase = "@AcmeRail FOUR DAYS and still no answer. Useless. Absolutely pathetic service, you clowns"
    assert decided(opening)["tone"] in ("neutral", "positive") and decided(chase)["tone"] == "hostile"
    path = tmp_path / "chase.jsonl"
    path.write_text("".join(json.dumps({"id": i, "channel": "twitter", "visibility": "public", "author": "@sam_r",
                                        "timestamp": at, "text": text, "reply_to": reply_to}) + "\n"
                            for i, at, text, reply_to in (("c-1", "2026-03-02T08:00:00Z", opening, None),
                                                          ("c-2", "2026-03-06T09:30:00Z", chase, "c-1"))),
                    encoding="utf-8")
    instance.run("ingest", "jsonl", path)
    instance.run("process")
    (case,) = instance.json("cases", "list", "--json")
    shown = instance.json("cases", "show", case["id"], "--json")
    assert [m["text"] for m in shown["messages"]] == [opening, chase]  # one case, both messages
    (classified,) = [e for e in shown["events"] if e["type"] == "classified"]
    labels = classified["data"]["labels"]
    assert labels["tone"]["value"] == decided(opening)["tone"]
    assert labels["kind"]["value"] == "complaint"  # the other labels still read every message


def test_process_uses_a_review_star_rating(instance: InstanceRunner, tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text("id,rating,text,date\n"
                    "a1,1,\"Claims paid within a week.\",2026-03-01\n"
                    "a2,5,\"Claims paid within a week, good.\",2026-03-02\n", encoding="utf-8")
    instance.run("ingest", "reviews", path)
    instance.run("process")
    tones = {}
    for case in instance.json("cases", "list", "--json"):
        shown = instance.json("cases", "show", case["id"], "--json")
        (classified,) = [e for e in shown["events"] if e["type"] == "classified"]
        tones[classified["private"]["detail"]["tone"]["rating"]] = classified["data"]["labels"]["tone"]["value"]
    assert tones == {1.0: "negative", 5.0: "positive"}
