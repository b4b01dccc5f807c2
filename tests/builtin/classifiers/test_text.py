"""The rule classifiers' text clean-up and phrase matching: the shortcuts they take give what the plain way gives."""

from __future__ import annotations

import html
import pickle
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from openledger.builtin.classifiers import text
from openledger.builtin.classifiers.text import PhraseSet, normalise

# words that the patterns normalise skips look for, letters that match ASCII ones case-insensitively (ſ, the Kelvin
# sign, İ), and the characters the other patterns need
_PIECES = ["cust", "CUST", "cuſt", "re:", "Re:", "u", "U", "pls", "plz", "thx", "ty", "can't", "cant", "won't",
           "wont", "doesnt", "isnt", "don't", "acct", "txns", "pax", "cllr", "kind regards", "Regards", "yours truly",
           "thanks in advance", "many thanks", "Mit freundlichen Grüßen", "cordialement", "veuillez agréer",
           "atentamente", "un saludo", "saludos", "best wishes", "subject:", "Topic :", "www.x.org", "WWW.Y.COM",
           "acme.com/help", "https://t.co/x", "a.b@c.de", "@Handle", ".@x", "#NotHappy", "&amp;", "\u212a", "İ",
           "ß", "\u2019", "x", "1", ",", ".", "?"]


def _plain(raw: str) -> str:
    """normalise as it was written before it skipped patterns: every substitution on every text."""
    value = html.unescape(raw or "").translate(text._APOSTROPHES)
    value = text._FORM_HEADER.sub("", value)
    if "\n" in value:
        value = text._SIGN_OFF.sub(" ", value)
    value = text._URL.sub(" ", value)
    value = text._EMAIL.sub(" ", value)
    value = text._HANDLE.sub(" ", value)
    value = text._HASHTAG.sub(text._hashtag_words, value)
    for pattern, repl, _ in text._SHORTHAND_RE:
        value = pattern.sub(repl, value)
    value = value.lower()
    lines = [text._SPACE.sub(" ", line).strip() for line in value.splitlines()]
    return " ".join(line for line in lines if line)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12), st.lists(st.sampled_from([" ", "\n", "", " \n "]), min_size=12,
                                                                   max_size=12))
def test_normalise_skips_only_patterns_that_cannot_match(pieces, glue):
    raw = "".join(piece + gap for piece, gap in zip(pieces, glue, strict=False))
    assert normalise.__wrapped__(raw) == _plain(raw)


def test_normalise_reads_shorthand_and_sign_offs():
    assert normalise("Cust called re: acct, pls fix thx\nKind regards") == (
        "customer called about account, please fix thanks")
    assert normalise("I CAN'T log in, it doesnt work") == "i cannot log in, it does not work"


def test_phrase_sets_made_later_and_unpickled_find_their_own_phrases():
    first = PhraseSet("first", ("refund*", "not working"))
    assert first.find("Refunded? Still not working") == ["refunded", "not working"]
    later = PhraseSet("later", ("still", "not"))  # joins the shared automaton after ``first`` has used it
    assert later.find("Refunded? Still not working") == ["still", "not"]
    assert first.find("still NOT WORKING, refunds please") == ["not working", "refunds"]
    copy = pickle.loads(pickle.dumps(later))
    assert copy == later and copy.find("not still") == ["not", "still"]
    assert PhraseSet("empty body", ("*",)).find("anything") == []


def _sets_with_patterns() -> list[PhraseSet]:
    import openledger.builtin.classifiers.lexical  # noqa: F401  (every built-in rule's phrase sets)
    from openledger.builtin.classifiers import influence  # noqa: F401

    live = [ref() for ref in text._SHARED.sets]
    return [s for s in live if s is not None and s._regex is not None]


def test_the_built_in_cue_patterns_run_case_sensitively_on_ascii_text():
    sets = _sets_with_patterns()
    assert sets and all(s._exact is not None for s in sets), [s.name for s in sets if s._exact is None]
    assert PhraseSet("capital", ("re:\\b[A-Z]{2}\\b",))._exact is None  # a capital class: never dropped
    assert PhraseSet("long s", ("re:\\bſo\\b",))._exact is None


# the words and signs the built-in cue patterns are written with, so generated texts match them often
_WORDS = sorted({word for s in _sets_with_patterns() for word in re.findall(r"[a-z']+", s._regex.pattern)
                 if len(word) > 1} | {"1", "20", "£5", "$", "?", "!", ".", ",", "-", "'", "\n"})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=30), st.lists(st.sampled_from([" ", "", "  "]), min_size=30,
                                                                 max_size=30))
def test_a_cue_pattern_finds_the_same_either_way_in_lower_case_ascii_text(words, glue):
    clean = "".join(word + gap for word, gap in zip(words, glue, strict=False)).lower()
    for phrase_set in _sets_with_patterns():
        expected = [m.span() for m in phrase_set._regex.finditer(clean)]
        assert [m.span() for m in phrase_set._exact.finditer(clean)] == expected, phrase_set.name
