"""Sentiment and emotional intensity with VADER, plus sarcasm and a few foreign words.

VADER (Hutto and Gilbert, 2014; the ``vaderSentiment`` package ships its
lexicon, so this works offline) scores English social-media text, emoji
included, with a ``compound`` score in [-1, 1]. Two cheap additions make it
fit customer messages better:

- a small Spanish, French and German lexicon merged into VADER's, so
  "gracias", "merci", "danke", "pésimo", "nul" or "kaputt" count;
- sarcasm: a praise word next to a problem ("great, another 3 hours on hold")
  is read as negative (the compound is mirrored), because VADER alone scores
  it positive.

The label value is ``negative`` (compound <= -0.05), ``positive`` (>= 0.05)
or ``neutral``, the thresholds VADER's authors recommend. ``detail`` holds
``compound``, the ``pos``/``neu``/``neg`` proportions, ``intensity`` (the
absolute compound, raised by shouting in capitals and repeated ``!``) and
``sarcasm``.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

from openledger import patterns
from openledger.builtin.classifiers import lexicons
from openledger.builtin.classifiers.text import normalise
from openledger.records import Label

#: valences on VADER's -4..4 scale for common non-English words
FOREIGN_VALENCE: dict[str, float] = {
    # es
    "gracias": 1.9, "excelente": 3.0, "genial": 2.6, "encanta": 2.8, "perfecto": 2.7,
    "recomiendo": 1.8, "maravilla": 2.8, "amable": 1.9, "rica": 1.5, "rico": 1.5,
    "pésimo": -3.0, "pésima": -3.0, "malo": -2.0, "mala": -2.0, "horrible": -2.5,
    "terrible": -2.5, "decepcionado": -2.2, "decepcionada": -2.2, "estafa": -2.8, "queja": -1.5,
    "jamás": -1.0, "roto": -1.6, "enfadado": -2.2,
    # fr
    "merci": 1.9, "bravo": 2.2, "parfait": 2.7, "génial": 2.6, "super": 2.2, "remercier": 1.9,
    "nul": -2.2, "nulle": -2.2, "déçu": -2.2, "déçue": -2.2, "arnaque": -2.8, "cassé": -1.6,
    "abîmé": -1.6, "furieux": -2.8, "inadmissible": -2.5, "honteux": -2.5, "plainte": -1.5,
    # de
    "danke": 1.9, "toll": 2.2, "freundlich": 1.9, "hilfsbereit": 2.0, "bestens": 2.6,
    "hervorragend": 3.0, "perfekt": 2.7, "zufrieden": 2.0, "schlecht": -2.4,
    "enttäuscht": -2.2, "kaputt": -1.8, "defekt": -1.8, "ärgerlich": -2.0, "wütend": -2.8,
    "betrug": -2.8, "beschwerde": -1.5, "unverschämt": -2.8,
}

_CAPS_WORD = patterns.compile(r"\b[A-Z]{3,}\b")


class _Vader(SentimentIntensityAnalyzer):
    """VADER, given only the words its negation and idiom checks read around a sentiment word.

    Both checks lower-case the whole text's word list at every sentiment
    word they look around, which makes a long text quadratic (a 2,000-word
    complaint narrative: four million lower-casings). They read at most three
    words before the sentiment word and two after it; given just that window,
    with the position moved to match, they compute the same value.
    """

    def polarity_scores(self, text):
        """VADER's scores; a text without any emoji character skips VADER's character-by-character copy of it
        (the copy, with each emoji replaced by its description, equals the text itself there) and goes on with
        VADER's own steps on the stripped text, without a call for each word outside the lexicon."""
        if not self._emoji_chars.isdisjoint(text):
            return super().polarity_scores(text)
        text = text.strip()
        sentitext = SentiText(text)
        sentiments: list = []
        words_and_emoticons = sentitext.words_and_emoticons
        lexicon = self.lexicon
        for i, item in enumerate(words_and_emoticons):
            lowered = item.lower()
            if lowered in BOOSTER_DICT or (
                    lowered == "kind" and i < len(words_and_emoticons) - 1
                    and words_and_emoticons[i + 1].lower() == "of"):
                sentiments.append(0)
                continue
            if lowered not in lexicon:  # what ``sentiment_valence`` does with a word outside the lexicon
                sentiments.append(0)
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words_and_emoticons, sentiments)
        return self.score_valence(sentiments, text)

    @cached_property
    def _emoji_chars(self) -> frozenset[str]:
        """The characters VADER replaces by a description (it looks at one character at a time)."""
        return frozenset(key for key in self.emojis if len(key) == 1)

    def _negation_check(self, valence, words_and_emoticons, start_i, i):
        low = max(0, i - 3)
        return SentimentIntensityAnalyzer._negation_check(valence, words_and_emoticons[low:i + 1], start_i, i - low)

    def _special_idioms_check(self, valence, words_and_emoticons, i):
        low = max(0, i - 3)
        return SentimentIntensityAnalyzer._special_idioms_check(valence, words_and_emoticons[low:i + 3], i - low)


@lru_cache(maxsize=1)
def analyzer() -> SentimentIntensityAnalyzer:
    """VADER with the foreign-word additions (built once per process)."""
    vader = _Vader()
    for word, valence in FOREIGN_VALENCE.items():
        vader.lexicon.setdefault(word, valence)
    return vader


def is_sarcastic(clean: str) -> bool:
    """Praise used ironically next to a problem, in normalised text.

    A clear marker ("thanks a lot", "love how", 🙄) needs one problem cue
    that nothing says was fixed;
    a plain praise word ("great", "well done", 👏) needs a strong problem
    that nothing says was fixed.
    """
    resolved = lexicons.RESOLVED.score(clean)
    problem = lexicons.PROBLEM_STRONG.score(clean) - resolved
    weak = lexicons.PROBLEM_WEAK.score(clean)
    if lexicons.SARCASM_MARKS.find(clean) and lexicons.PRAISE.find(clean) and problem >= 0:
        return True
    if lexicons.SARCASM.find(clean):
        return problem > 0 or (weak >= 1 and not resolved)
    if lexicons.SARCASM_WEAK.find(clean):
        return problem >= 2 and problem + weak >= 3
    return False


@lru_cache(maxsize=4096)
def scores(clean: str) -> dict[str, float]:
    """VADER's scores of already normalised text, computed once per text for every
    classifier that asks (the caller must not change the dict)."""
    return analyzer().polarity_scores(clean)


def polarity(text: str) -> dict[str, float]:
    """VADER's scores for ``text`` after clean-up (handles and links removed)."""
    return dict(scores(normalise(text)))


@lru_cache(maxsize=256)
def sentiment(text: str) -> Label:
    """Label ``text`` negative, neutral or positive with intensity details (computed once per text for
    the classifiers that ask: the ``sentiment`` label and the tone rules; the caller must not change ``detail``)."""
    clean = normalise(text)
    found = scores(clean)
    compound = found["compound"]
    sarcasm = compound > 0 and is_sarcastic(clean)
    if sarcasm:
        compound = -max(compound, 0.3)
    words = re.findall(r"[^\W\d_]+", text or "")
    caps = len(_CAPS_WORD.findall(text or "")) / max(len(words), 1)
    shouting = min(0.2, caps * 0.5) + min(0.1, 0.03 * (text or "").count("!"))
    intensity = round(min(1.0, abs(compound) + (shouting if compound else 0.0)), 3)
    if compound >= 0.05:
        value = "positive"
    elif compound <= -0.05:
        value = "negative"
    else:
        value = "neutral"
    confidence = round(0.5 + 0.5 * min(1.0, abs(compound) / 0.6), 3) if value != "neutral" else \
        round(0.5 + 0.5 * (1 - abs(compound) / 0.05), 3)
    if sarcasm:
        confidence = min(confidence, 0.7)
    return Label(value, confidence, {
        "compound": round(compound, 4), "pos": found["pos"], "neu": found["neu"],
        "neg": found["neg"], "intensity": intensity, "sarcasm": sarcasm,
    })
