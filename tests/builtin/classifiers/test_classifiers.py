"""The built-in classifiers: plugin contract, behaviour on real-looking text, quality floor."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paths import DATA

from openledger.builtin.classifiers import lexical, vader
from openledger.builtin.classifiers.text import normalise
from openledger.records import ClassifyInput, Label

VALUES = {
    "kind": {"complaint", "compliment", "question", "suggestion"},
    "sentiment": {"negative", "neutral", "positive"},
    "urgency": {"high", "normal"},
    "wants": {"sympathy", "fix", "compensation", "none"},
    "spam": {"yes", "no"},
}


def classifiers(config=None) -> dict:
    found: list = []
    lexical.register_classifiers(register=found.append, config=config or {})
    vader.register_classifiers(register=found.append, config=config or {})
    return {c.label: c for c in found}


CLASSIFIERS = classifiers()


def labels(text: str, channel: str | None = None, subject: str | None = None) -> dict[str, str]:
    item = ClassifyInput(text, channel, subject)
    return {name: c.classify(item).value for name, c in CLASSIFIERS.items()}


def test_one_classifier_per_label_with_name_and_version():
    assert set(CLASSIFIERS) == {"kind", "category", "sentiment", "urgency", "wants", "spam"}
    names = [c.name for c in CLASSIFIERS.values()]
    assert len(set(names)) == len(names)
    assert all(isinstance(c.version, str) and c.version for c in CLASSIFIERS.values())


def test_classifiers_abstain_on_empty_text():
    for classifier in CLASSIFIERS.values():
        assert classifier.classify(ClassifyInput("   ")) is None


@pytest.mark.parametrize("text, expected", [
    ("@AcmeRail 3rd cancelled train this week and nobody can tell me why #fail https://t.co/abc",
     {"kind": "complaint", "category": "travel", "sentiment": "negative"}),
    ("great, another 2 hours on hold with @AcmeTel 🙃 really appreciate it",
     {"kind": "complaint", "wants": "sympathy", "sentiment": "negative"}),
    ("Huge thanks to Dan at the Leeds branch, sorted my card in 5 minutes 👏",
     {"kind": "compliment", "wants": "none", "sentiment": "positive"}),
    ("@AcmeBank hi, what time do you open on bank holiday Monday?",
     {"kind": "question", "wants": "fix", "urgency": "normal"}),
    ("It would be great if the app let me download statements as CSV.",
     {"kind": "suggestion", "wants": "none"}),
    ("Cust called re: double charge on Sept bill (£42.10 x2). Wants refund to card. Raised ticket.",
     {"kind": "complaint", "category": "billing", "wants": "compensation"}),
    ("Dear Sir,\n\nThe heater you sold me gave off smoke and scorched the carpet. I want a full "
     "refund.\n\nYours faithfully,\nP. Grant",
     {"kind": "complaint", "urgency": "high", "wants": "compensation"}),
    ("Someone has made four payments on my card I did not make. Block it now please!",
     {"kind": "complaint", "category": "fraud", "urgency": "high", "wants": "fix"}),
    ("Bonjour, ma commande n'est jamais arrivée et je voudrais être remboursé.", {"kind": "complaint"}),
    ("Vielen Dank, der Kundenservice war super freundlich!", {"kind": "compliment"}),
    ("¡Hola! ¿Cómo puedo cambiar mi dirección de envío?", {"kind": "question"}),
    ("Congratulations! You have won a £500 voucher, click the link to claim your prize",
     {"spam": "yes"}),
    ("If I don't hear back by Friday I will be taking legal action through the small claims court.",
     {"kind": "complaint", "urgency": "high"}),
])
def test_realistic_messages(text, expected):
    got = labels(text)
    assert {k: got[k] for k in expected} == expected


def test_values_confidence_and_details_are_well_formed():
    item = ClassifyInput("My broadband has been down since Monday, please send an engineer")
    for name, classifier in CLASSIFIERS.items():
        label = classifier.classify(item)
        assert isinstance(label, Label) and 0.0 <= label.confidence <= 1.0
        if name in VALUES:
            assert label.value in VALUES[name]
    detail = CLASSIFIERS["sentiment"].classify(item).detail
    assert {"compound", "intensity", "sarcasm"} <= set(detail)


def test_sarcasm_turns_vader_positive_into_negative():
    label = CLASSIFIERS["sentiment"].classify(ClassifyInput(
        "Thanks a lot @AcmeAir, lost my bag again. Wonderful service as always"))
    assert label.value == "negative" and label.detail["sarcasm"] is True


def test_shouting_raises_intensity():
    calm = CLASSIFIERS["sentiment"].classify(ClassifyInput("this is a terrible service"))
    loud = CLASSIFIERS["sentiment"].classify(ClassifyInput("THIS IS A TERRIBLE SERVICE!!!"))
    assert loud.detail["intensity"] > calm.detail["intensity"]


def test_subject_line_is_read():
    assert labels("Please see below.", subject="Unauthorised transactions on my account")["category"] \
        == "fraud"


def test_normalise_neutralises_twitter_noise():
    assert normalise("@Delta you lost my bag &amp; #NotHappy https://t.co/x") == \
        "you lost my bag & not happy"


def test_the_channel_does_not_change_any_label():
    text = "You charged me twice and I want my £30 back"
    assert len({tuple(sorted(labels(text, channel).items()))
                for channel in ("twitter", "letter", "phone", "review")}) == 1


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_valid_labels(text):
    item = ClassifyInput(text)
    for name, classifier in CLASSIFIERS.items():
        label = classifier.classify(item)
        if label is None:
            assert not text.strip()
            continue
        assert 0.0 <= label.confidence <= 1.0
        if name in VALUES:
            assert label.value in VALUES[name]


def _macro_f1(pairs: list[tuple[str, str]]) -> float:
    values = {g for g, _ in pairs}
    total = 0.0
    for value in values:
        tp = sum(g == p == value for g, p in pairs)
        fp = sum(p == value != g for g, p in pairs)
        fn = sum(g == value != p for g, p in pairs)
        total += 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return total / len(values)


def test_labelled_set_is_large_varied_and_well_formed():
    rows = [json.loads(line) for line in (DATA / "labelled_messages.jsonl").read_text().splitlines()]
    assert len(rows) >= 300
    assert {"twitter", "email", "phone", "letter", "review", "webform"} <= {r["channel"] for r in rows}
    for row in rows:
        assert {"text", "channel", "kind", "category", "wants", "urgency", "spam"} <= set(row)


@pytest.mark.parametrize("label, floor", [("kind", 0.85), ("wants", 0.75)])
def test_quality_floor_on_the_labelled_set(label, floor):
    rows = [json.loads(line) for line in (DATA / "labelled_messages.jsonl").read_text().splitlines()]
    pairs = [(r[label], CLASSIFIERS[label].classify(ClassifyInput(r["text"])).value)
             for r in rows if r[label] is not None]
    assert _macro_f1(pairs) >= floor


def test_plugin_modules_pass_pluggy_validation():
    import pluggy

    from openledger import hookspecs
    from openledger.builtin.responders import policy

    pm = pluggy.PluginManager("openledger")
    pm.add_hookspecs(hookspecs)
    for module in (lexical, vader, policy):
        pm.register(module)
    classifiers_found: list = []
    responders_found: list = []
    pm.hook.register_classifiers(register=classifiers_found.append, config={})
    pm.hook.register_responders(register=responders_found.append, config={})
    assert len(classifiers_found) == 6 and len(responders_found) == 2


_CUE_WORDS = ["not", "working", "refund", "refunded", "money", "back", "great", "never", "again",
              "thanks", "a", "lot", "still", "waiting", "😡", "no", "reply", "please", "help!"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_CUE_WORDS + ["x", "re", "ing", ",", ".", "?"]), max_size=14),
       st.sampled_from(["", " ", "", "-"]))
def test_phrase_set_matches_like_its_regular_expression(words, glue):
    """The Aho-Corasick matcher finds what one regex alternation of the phrases finds."""
    import re

    from openledger.builtin.classifiers.text import PhraseSet, _phrase_pattern

    cues = ("not working", "refund*", "money back", "never again", "thanks a lot", "still",
            "😡", "no reply", "help!", "re:\\bgreat\\b")
    text = (glue or " ").join(words)
    fast = PhraseSet("cues", cues)
    patterns = sorted((_phrase_pattern(p) for p in cues), key=len, reverse=True)
    slow = [m.group(0) for m in re.compile("|".join(patterns), re.IGNORECASE).finditer(text.lower())]
    assert fast.find(text) == slow
