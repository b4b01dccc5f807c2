"""Cues about how a message asks: rhetorical questions, refused money, whom it speaks to.

Used by :mod:`~openledger.builtin.classifiers.intent` beside the cue lexicons:

- :data:`RHETORICAL`: a question that is a complaint in question form ("why
  is my bill so high?", "how come…", "what happened to…", "really?"); it
  counts as problem evidence and keeps the message from being read as a
  plain question;
- :data:`MONEY_REFUSED`: money the customer is still trying to get ("they
  won't refund me", "still waiting for my refund"); it weighs as an ask for
  compensation, even beside venting;
- :func:`is_addressed`: whether the message speaks to the company (an
  @handle, a greeting, "can you", "you charged", "your staff", a call note)
  or concerns the customer's own matter (:func:`own_matter`: "my account",
  "I have disputed"); a complaint that does neither and asks nothing is a
  verdict for other readers (a public review): ``sympathy``.
"""

from __future__ import annotations

import re

from openledger import patterns
from openledger.builtin.classifiers.text import phrases

_REASONS = "(?:high|slow|expensive|bad|long|hard|difficult|complicated|late|poor|rude|unreliable)"

#: questions asked to complain, not to learn something
RHETORICAL = phrases("rhetorical", [
    "how come", "what happened to", "what's going on with", "what is going on with",
    "what's happening with", "what is happening with", "what is wrong with", "what's wrong with",
    "why do you keep", "why does it keep", "why do they keep", "why did you", "why would you",
    "why are you", "why have you", "why has it", "why is there no", "why are there no",
    "why is it so", "why do i have to", "why should i have to", "why should i",
    "why is your", "why are your", "why does your", "why is it always",
    "why is it still", "why is this still", "why does this keep", "why on earth",
    f"re:\\bwhy (?:is|are|does|do|did|was|were)\\b[^?.!]{{0,40}}\\bso {_REASONS}\\b",
    "re:\\bwhy not [\\w']+(?: [\\w']+)?\\s*\\?",
    "re:\\breally\\s*\\?", "re:\\bseriously\\s*\\?", "are you kidding", "are you serious",
    "you kidding me", "is this a joke", "how hard is it", "how many times do i",
    "how many more times", "how much longer", "how long do i have to wait", "is this how you treat",
    "do you even", "does anyone there", "is anyone there", "is anyone listening", "anyone home",
    "what is the point", "what's the point", "who does that",
    "en serio", "de coña", "por qué no", "¿por qué tengo", "pourquoi je ne", "pourquoi on ne",
    "pourquoi il n'y a pas", "c'est normal", "warum nicht", "warum geht", "warum ist es mir",
    "warum kann ich nicht", "nicht möglich", "por que não", "sério",
], 1.5)

#: money the customer is still trying to get back (refused, withheld, not yet paid)
MONEY_REFUSED = phrases("money-refused", [
    "will not refund", "would not refund", "wont refund", "refuse to refund", "refuses to refund",
    "refused to refund", "refusing to refund", "refused a refund", "refused my refund",
    "refused me a refund", "denied a refund", "denied my refund", "denied me a refund",
    "no refund", "not refunded", "never refunded", "not been refunded", "still no refund",
    "still not refunded", "waiting for my refund", "waiting for a refund", "waiting on my refund",
    "waiting on a refund", "where is my refund", "where's my refund", "non-refundable",
    "not reimbursed", "never reimbursed", "not been reimbursed", "will not reimburse",
    "refuse to reimburse", "refused to reimburse", "refuses to reimburse",
    "did not pay out", "never paid out", "not paid out", "will not pay out", "money owed",
    "is keeping my", "are keeping my", "kept my deposit", "keeping my deposit", "still charging me",
    "keep charging me", "kept charging me", "charged me again",
    "no me devuelven", "no me han devuelto", "sin reembolso", "pas remboursé", "jamais remboursé",
    "nicht erstattet", "keine erstattung", "não devolveram", "sem reembolso",
], 2.0)

_HANDLE_OR_GREETING = patterns.compile(
    r"(?:^|\s)[.]?@\w|^\W*(?:dear|hi|hello|hey|good (?:morning|afternoon|evening)|to whom|"
    r"hola|estimad[oa]s?|bonjour|madame|monsieur|hallo|sehr geehrte|liebe[sr]?)\b",
    re.I)
_SPOKEN_TO = patterns.compile(
    r"\b(?:can|could|will|would|did|have|has|do|are|why did|why have|thank) you\b"
    r"|\byou (?:have|had|did|do|never|sent|charged|promised|told|said|keep|kept|cancell?ed|lost|broke|"
    r"delivered|took|take|owe|need|should|must|guys|people|lot)\b|\byour (?:team|staff|company|store|"
    r"shop|agent|engineer|driver|website|site|app|service|support|system|office|branch)\b"
    r"|\b(?:usted|ustedes|vous|votre|vos|ihr|ihnen|euch)\b"
    r"|\bcustomer (?:called|rang|says|said|reports|wants)|\bcaller\b|\bplease\b"
    r"|\b(?:cliente|client|kunde|kundin|anrufer|anruferin) (?:llama|llamó|dice|appelle|a appelé|dit|"
    r"ruft|rief|meldet|sagt)\b",
    re.I)
_OWN_MATTER = patterns.compile(
    r"\b(?:i have|i've|we have) (?:\w+ )?(?:tried|called|contacted|written|disputed|requested|"
    r"asked|filed|submitted|sent|emailed|reached out)\b|\b(?:disputed|attempted to|tried to have)\b"
    r"|\bmy (?:[\w-]+ ){0,3}(?:accounts?|name|rights|ssn|social security|credit|reports?|orders?|"
    r"files?|cards?|loans?|mortgage|payments?|score|balance|funds|deposit|check|bill|statement|"
    r"identity|information|address|package|parcel|delivery|booking|flight|ticket|reservation|"
    r"phone|internet|service|contract|subscription|plan|device|app|membership)\b",
    re.I)


def own_matter(clean: str) -> bool:
    """The customer pursues an open matter of their own ("my account", "I have disputed")."""
    return bool(_OWN_MATTER.search(clean))


def is_addressed(raw: str, clean: str) -> bool:
    """The message speaks to the company or is about the customer's own open matter.

    ``raw`` is the text as written (handles and greetings intact), ``clean``
    the normalised text. A generic "you" ("you are left on hold", "save your
    money") does not count; "can you", "you charged", "your staff" do.
    """
    return bool(_HANDLE_OR_GREETING.search(raw or "") or _SPOKEN_TO.search(clean) or own_matter(clean))
