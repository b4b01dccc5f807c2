"""The sentiment classifier's VADER gives VADER's own scores: its shortcuts change the cost, never a score."""

from __future__ import annotations

import json
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st
from paths import DATA
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from openledger.builtin.classifiers import sentiment
from openledger.builtin.classifiers.text import normalise


@cache
def _vader() -> SentimentIntensityAnalyzer:
    """VADER as its package ships it, with the same foreign words added."""
    vader = SentimentIntensityAnalyzer()
    for word, valence in sentiment.FOREIGN_VALENCE.items():
        vader.lexicon.setdefault(word, valence)
    return vader


def test_vader_scores_the_labelled_texts_as_vader_does():
    texts = [json.loads(line)["text"] for path in sorted(DATA.glob("labelled_*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) > 5000
    ours = sentiment.analyzer()
    for text in texts[::4]:  # every fourth: about 2,000 texts of every source, quickly
        for form in (text, normalise(text)):
            assert ours.polarity_scores(form) == _vader().polarity_scores(form), form


# lexicon words, boosters, negations, "kind of", "least", "but", "no", capitals, emoji and punctuation
_WORDS = ["good", "GOOD", "bad", "BAD", "great", "terrible", "not", "never", "no", "nor", "or", "very", "extremely",
          "kind", "of", "least", "but", "sort", "merci", "nul", "the", "service", "is", "was", "without", "doubt",
          "at", "all", "😡", "🙂", "!", "?", ":)", ":(", "lol", "hardly", "barely", "fix", "refund", "yeah", "right"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=16))
def test_vader_scores_any_word_list_as_vader_does(words):
    text = " ".join(words)
    assert sentiment.analyzer().polarity_scores(text) == _vader().polarity_scores(text)
