"""kind, wants and spam: exact rules first, the trained text model otherwise.

The model (:mod:`~.model`) is a calibrated logistic regression per label
over word, word-pair, character n-gram and handle features plus the rule
classifiers' cue scores (a stacking: the cue lists of :mod:`~.lexicons` are
inputs, the model weighs them). Rules decide alone only where they are
exact:

- spam ``yes`` for a personal or social thread: two or more people wrote
  the customer's side of one conversation (a group chat), which is not a
  customer writing to the company (``reason: social``);
- spam ``yes`` for the markers in :data:`SPAM_MARKERS` (offers to issue VAT
  invoices, lottery wins, crypto presales, bulk-mail footers), each of
  which had no false alarm among the training texts (``reason: marker``);
- wants ``none`` when the message is a compliment or a suggestion, as the
  labelling guide says.

Whether a case is spam is decided by the message that opened it
(``ClassifyInput.opening`` when the case holds several, with the social rule
above for a conversation): a real complaint stays one whatever bystanders
post under it in public (their chat reads as social to the model).

Every label's ``detail`` says who decided (``by``: ``rule`` or ``model``),
the calibrated probability of each value, and with ``explain`` the
features that pushed most towards the value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from openledger.builtin.classifiers.model import TextModel, shipped
from openledger.builtin.classifiers.text import may_match
from openledger.records import ClassifyInput, Label

# 2.3: wants decided by its calibrated probability / sqrt(the value's share of the training texts);
# 2.2: no signal of the script (it made Japanese customers spam); 2.1: spam read from the opening message, the
# model retrained on 2,177 texts
VERSION = "2.3"

#: spam markers that decide alone (case-insensitive regular expressions)
SPAM_MARKERS = {
    "invoice offer": r"代开|代开发票|开票服务|增值税(?:专用)?发票",
    "lottery": r"\byou have won\b|\bclaim your (?:prize|reward)\b|\blottery\b.*\bclaim\b|ha ganado un",
    "crypto promotion": r"\b(?:presale|airdrop|token launch|staking pool)\b|\b\d+x\b.*#crypto|#crypto.*\b\d+x\b",
    "bulk mail": r"you are receiving this (?:e-?mail|message) because|view this email in your browser|"
                 r"si ce message ne s'affiche pas correctement|не хотите получать|unsubscribe here|"
                 r"if you do not want to receive any further mail",
}
#: lower-case strings one of which every match of each marker holds: a marker is searched only in a text that may
#: hold it (:func:`~.text.may_match`)
_MARKER_NEEDS = {
    "invoice offer": ("代开", "开票服务", "增值税"),
    "lottery": ("you have won", "claim your", "lottery", "ha ganado un"),
    "crypto promotion": ("presale", "airdrop", "token launch", "staking pool", "#crypto"),
    "bulk mail": ("you are receiving this", "view this email in your browser",
                  "si ce message ne s'affiche pas correctement", "не хотите получать", "unsubscribe here",
                  "if you do not want to receive any further mail"),
}
_MARKERS = [(name, re.compile(pattern, re.I | re.S), _MARKER_NEEDS[name]) for name, pattern in SPAM_MARKERS.items()]


def _has_text(item: ClassifyInput) -> bool:
    return bool((item.text or "").strip() or (item.subject or "").strip())


def spam_marker(text: str) -> str | None:
    """The name of the first exact spam marker in ``text``, or None."""
    for name, pattern, needs in _MARKERS:
        if may_match(text, needs) and pattern.search(text):
            return name
    return None


@dataclass
class ModelClassifier:
    """One label decided by the exact rules, else by the shipped text model."""

    name: str
    label: str
    description: str
    version: str = VERSION
    explain: int = 0
    _model: TextModel | None = field(default=None, repr=False)

    @property
    def model(self) -> TextModel:
        if self._model is None:
            self._model = shipped()
        return self._model

    def classify(self, item: ClassifyInput) -> Label | None:
        """Label ``item``, or abstain (None) when it has no text."""
        if not _has_text(item):
            return None
        return getattr(self, "_" + self.label)(item)

    def classify_many(self, items: Sequence[ClassifyInput]) -> list[Label | None]:
        """Label several messages (the same labels as :meth:`classify` one by one)."""
        return [self.classify(item) for item in items]

    def _scored(self, item: ClassifyInput, label: str):
        return self.model.score(item.text or "", item.subject, [label], explain=self.explain)[label]

    def _label(self, scored, by: str = "model", **extra) -> Label:
        detail = {"by": by, "probabilities": {k: round(v, 4) for k, v in sorted(scored.probabilities.items())},
                  **extra}
        if scored.why:
            detail["why"] = [list(pair) for pair in scored.why]
        return Label(scored.value, round(scored.confidence, 4), detail)

    def _kind(self, item: ClassifyInput) -> Label:
        return self._label(self._scored(item, "kind"))

    def _wants(self, item: ClassifyInput) -> Label:
        kind = self.model.score(item.text or "", item.subject, ["kind"])["kind"]
        if kind.value in ("compliment", "suggestion"):
            return Label("none", round(kind.confidence, 4),
                         {"by": "rule", "rule": f"a {kind.value} wants nothing"})
        return self._label(self._scored(item, "wants"))

    def _spam(self, item: ClassifyInput) -> Label:
        if item.authors is not None and item.authors >= 2:
            return Label("yes", 0.97, {"by": "rule", "reason": "social",
                                       "rule": f"a thread written by {item.authors} people"})
        opening = item.opening if item.opening is not None else item.text
        marker = spam_marker(f"{item.subject or ''}\n{opening or ''}")
        if marker:
            return Label("yes", 0.97, {"by": "rule", "reason": "marker", "rule": marker})
        scored = self._scored(replace(item, text=opening or ""), "spam")
        return self._label(scored, reason="model" if scored.value == "yes" else None)


def build(explain: int = 0) -> list[ModelClassifier]:
    """The three classifiers (``explain``: how many features each label's detail lists)."""
    return [
        ModelClassifier("model-kind", "kind", "complaint, compliment, question or suggestion: trained model",
                        explain=explain),
        ModelClassifier("model-wants", "wants", "sympathy, fix, compensation or none: trained model",
                        explain=explain),
        ModelClassifier("model-spam", "spam", "spam, bulk or social (nothing to act on): exact rules, trained model",
                        explain=explain),
    ]
