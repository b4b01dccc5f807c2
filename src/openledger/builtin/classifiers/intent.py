"""What kind of message it is and what the customer wants, by transparent rules.

Both decisions read the same :class:`Signals`: weighted counts of the cue
lexicons in :mod:`~openledger.builtin.classifiers.lexicons` and VADER's
compound score. The rules, in order:

kind
    1. a suggestion cue with no strong problem, no venting, no rhetorical
       question, no ask for money and no request to fix a stated problem
       -> ``suggestion``;
    2. a problem (strong cues, or weak cues with negative tone, sarcasm, or
       a rhetorical question such as "why is my bill so high?", see
       :mod:`~openledger.builtin.classifiers.asks`) that the praise does not
       outweigh as "already fixed" -> ``complaint``, except a genuine
       question with a weak problem only -> ``question``;
    3. praise -> ``compliment``; a question form -> ``question``;
    4. otherwise by tone: negative -> complaint, positive -> compliment,
       neutral -> complaint with low confidence (customers who write to
       support without asking anything are usually reporting something).

wants (``none`` for compliments and suggestions)
    an ask for money (money words that only tell the story weigh half; money
    refused or withheld, "won't refund", weighs double) that a verdict for
    other readers does not outweigh -> ``compensation``; a
    question -> ``fix`` (an answer); a crisis or an explicit request that
    venting does not outweigh -> ``fix``; venting, verdicts or sarcasm ->
    ``sympathy``; judging words ("terrible", "rude") that outweigh an
    ongoing problem, ask nothing and ask no question -> ``sympathy``; an
    ongoing problem or
    softer request words (need, must, expect) -> ``fix``; a mixed verdict
    (praise beside the problem) -> ``sympathy``; a story about "them" with
    none of the customer's own accounts or pursuits, or a message that
    addresses nobody (no @handle, greeting, "can you", "your staff") and asks
    nothing (a review for other readers) -> ``sympathy``; a short outburst
    (VADER compound <= -0.6) about no matter of the customer's own ->
    ``sympathy``; otherwise ``fix`` (a factual report of a problem). In long
    narratives (over :data:`LONG` words) sarcasm is not looked for and tone
    alone decides nothing.

Confidence grows with the margin between the winning evidence and the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from openledger.builtin.classifiers import asks as ask_cues
from openledger.builtin.classifiers import lexicons
from openledger.builtin.classifiers.flags import urgency_reasons
from openledger.builtin.classifiers.sentiment import is_sarcastic, scores
from openledger.builtin.classifiers.text import normalise
from openledger.records import Label


@dataclass(frozen=True)
class Signals:
    """Cue scores of one message (see the module docstring)."""

    clean: str
    problem: float
    weak: float
    praise: float
    resolved: float
    sarcasm: bool
    question: float
    suggestion: float
    compensation: float
    fix_request: float
    venting: float
    ongoing: float
    evaluative: float
    compound: float

    crisis: float = 0.0
    asks: float = 0.0
    audience: float = 0.0
    words: int = 0
    rhetorical: float = 0.0
    money_ask: float = 0.0
    addressed: bool = True
    own_matter: bool = False

    @property
    def complaint_evidence(self) -> float:
        """Problem evidence after discounting problems the customer says were fixed.

        Asking for a fix or for money implies a problem, and so does a crisis
        (see :mod:`~openledger.builtin.classifiers.flags`).
        """
        weak = self.weak * (1.0 if self.compound < 0.3 else 0.3)
        score = (self.problem + 0.5 * weak + (3.0 if self.sarcasm else 0.0) + 2.0 * self.crisis
                 + self.rhetorical)
        if self.problem or not self.praise:
            score += 1.5 * self.compensation
        if not self.praise:
            score += 0.5 * self.fix_request
            if self.compound <= -0.3:
                score += 1.0
        if self.resolved and not self.sarcasm:
            score -= min(self.resolved, self.problem + self.crisis * 2)
        return max(score, 0.0)


#: words beyond which a message is a narrative (a letter, a filed complaint, a long review):
#: sarcasm markers and VADER's tone say less about it than its explicit cues
LONG = 80


@lru_cache(maxsize=2048)
def signals(text: str, subject: str | None = None) -> Signals:
    """Compute the cue scores of ``text`` (with an e-mail ``subject`` if any)."""
    clean = normalise(f"{subject}. {text}" if subject else text)
    compound = scores(clean)["compound"]
    words = len(clean.split())
    question = lexicons.QUESTION.score(clean)
    if "?" in clean:
        question += lexicons.QUESTION_START.score(clean)
    refused = ask_cues.MONEY_REFUSED.score(clean)
    money_ask = lexicons.COMPENSATION.score(clean) + refused
    return Signals(
        clean=clean,
        problem=lexicons.PROBLEM_STRONG.score(clean),
        weak=lexicons.PROBLEM_WEAK.score(clean),
        praise=_praise(clean),
        resolved=lexicons.RESOLVED.score(clean),
        sarcasm=words <= LONG and is_sarcastic(clean) and compound > -0.5,
        question=question,
        suggestion=lexicons.SUGGESTION.score(clean),
        compensation=money_ask + lexicons.COMPENSATION_WEAK.score(clean),
        fix_request=lexicons.FIX_REQUEST.score(clean) + lexicons.FIX_REQUEST_WEAK.score(clean),
        venting=lexicons.VENTING.score(clean),
        ongoing=lexicons.ONGOING.score(clean),
        evaluative=lexicons.EVALUATIVE.score(clean),
        compound=compound,
        crisis=float(len(urgency_reasons(clean))),
        asks=lexicons.FIX_REQUEST.score(clean),
        words=words,
        audience=0.0 if lexicons.SECOND_PERSON.score(clean) else lexicons.THIRD_PERSON.score(clean),
        rhetorical=ask_cues.RHETORICAL.score(clean) if "?" in clean else 0.0,
        money_ask=money_ask,
        addressed=ask_cues.is_addressed(text, clean),
        own_matter=ask_cues.own_matter(clean),
    )


def _praise(clean: str) -> float:
    """Praise cues, not counting a polite "thanks" that closes a request or a question."""
    praise = lexicons.PRAISE.score(clean) - lexicons.PRAISE_NEGATED.score(clean)
    if lexicons.FIX_REQUEST.score(clean) or lexicons.QUESTION.score(clean):
        praise -= len(lexicons.THANKS.find(clean))
    return max(praise, 0.0)


def _confidence(winner: float, rest: float, floor: float = 0.5) -> float:
    if winner <= 0:
        return floor
    return round(min(0.97, floor + (1 - floor) * (winner - rest) / (winner + rest + 1.0)), 3)


def kind_of(sig: Signals) -> Label:
    """Decide the kind of message from its signals."""
    complaint = sig.complaint_evidence
    praise = 0.0 if sig.sarcasm else sig.praise + (0.5 if sig.praise and sig.compound >= 0.5 else 0.0)
    detail = {"complaint": round(complaint, 2), "praise": round(praise, 2),
              "question": sig.question, "suggestion": sig.suggestion, "sarcasm": sig.sarcasm}

    def label(value: str, winner: float, rest: float, floor: float = 0.5) -> Label:
        return Label(value, _confidence(winner, rest, floor), detail)

    if (sig.suggestion and sig.money_ask < 1 and not sig.sarcasm and not sig.crisis
            and not sig.venting and not sig.rhetorical and not (sig.asks and sig.problem)
            and sig.suggestion >= sig.problem - 0.5 and (sig.words <= LONG or not sig.problem)):
        return label("suggestion", sig.suggestion + 1, complaint / 2)
    if (praise >= 2 and sig.compound >= 0.75 and not sig.asks and not sig.venting
            and sig.compensation < 1 and praise >= max(2.0, complaint / 2)):
        return label("compliment", praise, complaint / 3)  # a warm account of a bad time
    if complaint >= 2 and complaint >= praise:
        if (sig.question and sig.problem < 2 and sig.compound > -0.4 and not sig.sarcasm
                and not sig.rhetorical and not (sig.asks and sig.problem)):
            return label("question", sig.question + 1, complaint, 0.45)
        return label("complaint", complaint, praise + sig.question / 2)
    if praise >= 1 and praise > complaint and not (sig.asks and sig.words > LONG / 2 and praise < 2):
        if sig.question and (sig.question >= praise or sig.clean.endswith("?")):
            return label("question", sig.question, praise, 0.45)
        return label("compliment", praise, complaint)
    if sig.question:
        return label("question", sig.question + 1, complaint)
    if praise and sig.compound >= 0.05 and praise >= complaint:
        return label("compliment", praise, complaint, 0.4)
    if complaint > 0 or sig.compound <= -0.05:
        return label("complaint", complaint + 1, praise, 0.4)
    if sig.compound >= 0.3 and not sig.asks and sig.words <= LONG / 2:
        return label("compliment", sig.compound, 0, 0.35)
    return Label("complaint", 0.35, detail)


def wants_of(sig: Signals, kind: str) -> Label:
    """Decide what the customer wants, given the message ``kind``."""
    detail = {"compensation": sig.compensation, "fix_request": sig.fix_request,
              "venting": sig.venting, "evaluative": sig.evaluative, "ongoing": sig.ongoing}
    if kind in ("compliment", "suggestion"):
        return Label("none", 0.8 if not sig.compensation else 0.55, detail)
    venting = sig.venting + (1.5 if sig.sarcasm else 0.0)
    if sig.compensation >= 1 and (sig.compensation > venting or sig.asks):
        return Label("compensation", _confidence(sig.compensation + 1, sig.fix_request / 2), detail)
    if kind == "question":
        return Label("fix", _confidence(sig.question + 1, sig.venting), detail)
    if sig.crisis:
        return Label("fix", _confidence(sig.crisis + sig.fix_request, venting), detail)
    if sig.asks and sig.asks >= venting:
        return Label("fix", _confidence(sig.fix_request + 1, venting), detail)
    if venting:
        return Label("sympathy", _confidence(venting + 1, sig.fix_request + sig.ongoing / 2), detail)
    if (sig.evaluative and not sig.asks and sig.evaluative > sig.ongoing
            and (sig.rhetorical or not sig.question)
            and (sig.words <= LONG or sig.evaluative >= 2)):
        return Label("sympathy", _confidence(sig.evaluative, sig.ongoing, 0.45), detail)
    if sig.ongoing:
        return Label("fix", _confidence(sig.ongoing, 0, 0.45), detail)
    if sig.fix_request >= 1:
        return Label("fix", _confidence(sig.fix_request, 0, 0.45), detail)
    if sig.praise:
        return Label("sympathy", 0.45, detail)  # a mixed verdict: feedback, nothing to fix
    if (sig.audience >= 2 and not sig.own_matter) or not (sig.addressed or sig.fix_request):
        return Label("sympathy", 0.45, detail)  # told to other readers, not to the company: a verdict
    if sig.compound <= -0.6 and sig.words <= LONG and not sig.own_matter:
        return Label("sympathy", 0.45, detail)  # an emotional outburst: to be heard
    return Label("fix", 0.4, detail)  # a factual report of a problem: to be fixed


def classify_kind(text: str, subject: str | None = None) -> Label:
    """The kind of ``text``: complaint, compliment, question or suggestion."""
    return kind_of(signals(text, subject))


def classify_wants(text: str, subject: str | None = None) -> Label:
    """What the writer of ``text`` wants: sympathy, fix, compensation or none."""
    sig = signals(text, subject)
    return wants_of(sig, kind_of(sig).value)
