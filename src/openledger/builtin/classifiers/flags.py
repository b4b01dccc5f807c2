"""Urgency (crisis) and spam / not-actionable flags, by cue lists.

urgency is ``high`` when the message shows any of these reasons (they are
listed in ``detail["reasons"]``):

- ``safety``: fire, smoke, sparks, gas, electric shock, overheating, injury;
- ``medical``: hospital, ambulance, allergic reaction, oxygen, medication;
- ``stranded``: stranded, stuck, nowhere to stay, no heating or power;
- ``legal``: lawyer, court, legal action, ombudsman, regulator (in a complaint);
- ``deadline``: urgent, immediately, today/tonight/tomorrow with a need,
  foreclosure, eviction, funeral, completion dates;
- ``fraud``: money leaving the account now, a hacked account, identity theft.

spam is ``yes`` for advertising, scams, lottery mails, link farming,
mass-mention chatter and gibberish with nothing for the company to act on.
"""

from __future__ import annotations

import re

from openledger.builtin.classifiers import lexicons
from openledger.builtin.classifiers.text import (
    content_words,
    handle_count,
    normalise,
    phrases,
)
from openledger.records import Label

URGENCY_CUES = {
    "safety": phrases("safety", [
        "fire", "caught fire", "smoke", "smoking", "spark*", "melt*", "scorch*", "overheat*",
        "explod*", "burned", "burnt", "burning", "electric shock", "electrocut*", "gas leak",
        "smell of gas", "smell gas", "carbon monoxide", "unsafe", "dangerous", "danger",
        "hazard", "safety issue", "not safe", "product safety", "injur*", "choking", "swelled",
        "could have killed", "nearly died", "assaulted", "sexually assault*", "attacked", "sexually",
        "threatened me", "peligro", "incendio", "humo", "incendie", "fumée",
        "gefahr", "gefährlich", "brand", "rauch",
    ]),
    "medical": phrases("medical", [
        "hospital", "hospitali*", "a&e", "ambulance", "allergic reaction", "anaphyla*", "epipen",
        "insulin", "medication", "oxygen", "fainted", "collapsed", "seizure", "life support",
        "medical emergency", "urgencias", "hôpital", "urgences", "krankenhaus", "notaufnahme",
    ]),
    "stranded": phrases("stranded", [
        "stranded", "stuck at", "stuck on", "stuck in", "stuck outside", "nowhere to stay",
        "no hotel", "locked out of my house", "locked out of my home", "no heating",
        "no heat", "no hot water", "no power", "no electricity", "no water", "bumped off",
        "varado", "varados", "bloqués à", "gestrandet",
    ]),
    "legal": phrases("legal", [
        "my lawyer", "a lawyer", "my attorney", "an attorney", "my solicitor", "a solicitor",
        "sue you", "sue them", "suing", "lawsuit", "legal action", "take you to court",
        "see you in court", "county court", "small claims", "letter before action",
        "ombudsman", "regulator", "trading standards", "report you to", "reporting you to",
        "issue a claim", "abogado", "demanda", "avocat", "tribunal", "anwalt", "klage", "gericht",
    ]),
    "deadline": phrases("deadline", [
        "urgent", "urgently", "immediately", "this is an emergency", "it is an emergency",
        "emergency!", "asap", "right now", "within the hour",
        "re:\\b(?:need|needs|must|have to|has to|before|by|due|until|lose|complete|closing|"
        "completion|funeral|ends?|runs? out)\\b(?:\\W+\\w+){0,4}?\\W+"
        "(?:today|tonight|tomorrow|this (?:mon|tues|wednes|thurs|fri|satur|sun)day)\\b",
        "foreclos*", "evict*", "auction", "repossess*", "funeral", "close on a home",
        "complete on", "halt the sale", "stop the sale", "flight tonight", "urgente", "urgent",
        "dringend", "sofort", "inmediatamente", "immédiatement",
    ]),
    "fraud": phrases("fraud", [
        "unauthori* transactions", "unauthori* payments", "transactions i did not make",
        "payments on my card i did not make", "did not make", "hacked", "card stolen", "stolen from",
        "ported my number", "scam call",
        "push payment", "safe account", "trying to buy", "changed my password",
        "password was changed", "changed the delivery address", "accessed my account",
        "card details", "happening now", "sans mon autorisation", "non autorisé*", "piraté",
        "sin mi autorización", "no autorizado*", "hackeado", "gehackt", "nicht autorisiert*",
        "ohne meine zustimmung",
    ]),
}

SPAM_CUES = phrases("spam", [
    "win a", "winner", "you have won", "has won", "prize", "giveaway", "lottery", "beneficiary",
    "click the link", "click here", "link in bio", "follow +", "follow and", "follow us",
    "follow me", "dm to collab", "chance to win", "sweepstake*", "don't miss", "do not miss",
    "limited time", "months of premium", "enter now", "sign up now", "subscribe now", "bitcoin", "crypto",
    "investment", "earn $",
    "make money", "work from home", "free followers", "backlinks", "guest post*", "seo",
    "page 1 of google", "book a free demo", "free demo", "more leads", "unsubscribe here",
    "viagra", "casino", "mixtape", "promo code", "limited offer", "shop now", "whatsapp",
    "price list", "#contest", "contest", "free upgrades", "save big", "collab",
])


def urgency_reasons(clean: str) -> dict[str, list[str]]:
    """The crisis reasons found in normalised text, each with the cues that matched."""
    reasons = {name: sorted(set(cues.find(clean))) for name, cues in URGENCY_CUES.items()}
    reasons = {name: found for name, found in reasons.items() if found}
    if "legal" in reasons and lexicons.PROBLEM_STRONG.score(clean) == 0 and lexicons.PRAISE.score(clean):
        del reasons["legal"]  # a law firm's client praising "my solicitor" is no threat
    if "fraud" in reasons and lexicons.RESOLVED.score(clean) and not lexicons.FIX_REQUEST.score(clean):
        del reasons["fraud"]  # thanks for help after a past scam
    return reasons


def classify_urgency(text: str, subject: str | None = None) -> Label:
    """``high`` when a crisis reason is present, else ``normal``."""
    reasons = urgency_reasons(normalise(f"{subject}. {text}" if subject else text))
    if not reasons:
        return Label("normal", 0.75, {"reasons": {}})
    hits = sum(len(v) for v in reasons.values())
    return Label("high", round(min(0.95, 0.6 + 0.1 * hits), 3), {"reasons": reasons})


def classify_spam(text: str, subject: str | None = None) -> Label:
    """``yes`` for spam or a message with nothing actionable, else ``no``."""
    raw = f"{subject}. {text}" if subject else (text or "")
    clean = normalise(raw)
    found = SPAM_CUES.find(clean) + SPAM_CUES.find(raw.lower())
    words = content_words(clean)
    customer = (lexicons.PROBLEM_STRONG.score(clean) + lexicons.QUESTION.score(clean)
                + lexicons.FIX_REQUEST.score(clean) + lexicons.COMPENSATION.score(clean))
    reasons: list[str] = []
    cue_score = len(set(found))
    if cue_score >= 2 or (cue_score == 1 and customer == 0):
        reasons.append("advertising or scam: " + ", ".join(sorted(set(found))))
    if not words or (len(words) <= 4 and _gibberish(words)):
        reasons.append("no content")
    if (handle_count(raw) >= 6 and ("#" in raw or "http" in raw) and customer == 0
            and not lexicons.PROBLEM_WEAK.score(clean) and not lexicons.FIX_REQUEST.score(clean)):
        reasons.append("mass mention without a request")
    if reasons:
        return Label("yes", round(min(0.95, 0.55 + 0.15 * (cue_score + len(reasons))), 3),
                     {"reasons": reasons})
    return Label("no", round(0.7 + min(0.25, 0.05 * customer), 3), {"reasons": []})


_LATIN_WORD = re.compile(r"[a-zA-Z\u00c0-\u024f]+")


def _gibberish(words: list[str]) -> bool:
    """Keyboard mashing and test messages: "asdfgh test test". Only a word in Latin letters can lack a vowel:
    Japanese, Chinese, Russian or Arabic words have none of these and are words all the same."""
    mashing = sum(1 for w in words if _LATIN_WORD.fullmatch(w) and not any(v in w for v in "aeiouyäöüéèáíóú"))
    tests = sum(1 for w in words if w in ("test", "testing", "asdf", "qwerty", "lorem", "ipsum"))
    return mashing + tests >= max(1, len(words) - 1)
