"""More cues that a single rare word is a person's name, each general to any text.

- a self-introduction closed by punctuation or a clause ("Hi, I'm Lwazi.",
  "I'm Kalinda and I've...", "this is Fumiaki, calling"), not a nationality
  ("I'm Nigerian.") or an everyday word ("I'm Sorry.");
- a note's customer before a verb of calling, capitalised or not
  ("cust Oyelaran called", "Cust. Mbeki rang");
- a staff member at a named branch or team ("Ifeoluwa at the Camden branch",
  "Zodwa from the Durban office");
- two listed words that people are praised or blamed as ("Priyamvada and
  Thiruvengadam were great");
- after a title, a surname that is also a short everyday word elsewhere
  ("Mr Le said", "Ms Do", "Mrs An");
- a possessive before what only people have ("Dilnoza's advice", "Chinedu's
  patience"), not a company ("Tesco's service");
- a word echoing an @handle in the same text ("@priya_k ... priya you should");
- the value of a form's name field, in any letter case ("Your name: amelia
  stone", "Name: JAMAL WASHINGTON");
- a name in capitals after a cue in any case ("your rep TYLER hung up",
  "customer O'NEILL rang");
- a first name that is also an everyday word where only a person can stand:
  before "who" ("pass this on to Mark who dealt with it"), between commas
  after a member of staff ("the guy on the phone, Will, was polite"), after
  "someone called" ("someone called Bill").

A rare word here is one almost never written as an everyday word and not a
place; a known first name passes when it is not an everyday word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from openledger import patterns
from openledger.builtin.redactors._lookalikes import is_place, looks_like_thing
from openledger.builtin.redactors._name_lexicon import (
    _unknown,
    is_common_word,
    is_first_name,
    name_frequency,
    zipf_frequency,
)
from openledger.builtin.redactors._name_lists import COMMON_SURNAMES, STOP
from openledger.builtin.redactors._name_patterns import LOW, LOWER_WORD, PARTICLE, WORD
from openledger.records import Span

SELF_INTRO = patterns.compile(
    rf"(?i:\b(?:i'm|i’m|i\s+am|this\s+is|my\s+name's|im))[ \t]+({WORD})"
    r"(?=[ \t]*(?:[.,!;:)\n]|$|[ \t](?:and|from|here|calling|speaking|with|at|on|in|of|your|the)\b))"
)
NOTE_CAPS = patterns.compile(
    rf"(?i:\b(?:cust|customer|caller|client|member|cx)\.?)[ \t]+({WORD}(?:[ \t]+(?:{PARTICLE}[ \t]+)?{WORD})?)"
    r"(?=[ \t]+(?i:called|rang|phoned|emailed|wrote|says|said|states|reports|complained|asked|wants|disputes|"
    r"is|was|has|had|came|visited|returned|requested|confirmed|not|unhappy|upset|angry)\b)"
)
AT_BRANCH = patterns.compile(
    rf"(?<![\w@#'’-])({WORD})(?=[ \t]+(?:at|from|in|of)[ \t]+(?:the|your|ur|our)[ \t]+(?:[A-Z][\w'’-]*[ \t]+){{1,3}}"
    r"(?:branch|store|shop|office|team|location|depot|site|outlet|centre|center|showroom|call\s+cent(?:re|er))\b)"
)
AT_BRANCH_LOWER = patterns.compile(
    rf"(?<![\w@#'’-])({LOWER_WORD})(?=[ \t]+(?:at|from|in)[ \t]+(?:the|your|ur)[ \t]+(?:[\w'’-]+[ \t]+){{0,2}}"
    r"(?:branch|store|shop|office|team|location|depot|call\s+cent(?:re|er))\b)"
)
PRAISED_PAIR = patterns.compile(
    rf"(?<![\w@#'’-])({WORD})[ \t]+(?:and|&)[ \t]+({WORD})[ \t]+(?:were|are)[ \t]+(?:(?:so|very|really|super|both|all)[ \t]+)?"
    r"(?:great|amazing|helpful|lovely|brilliant|fantastic|excellent|superb|kind|patient|friendly|rude|unhelpful|useless|"
    r"professional|stars|legends|a\s+credit)\b"
)
SHORT_SURNAME = patterns.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Mx)\.?[ \t]+(Le|Do|Ho|An|Ma|Ly|Vu|Vo)(?![\w'’-])")
POSSESSIVE = patterns.compile(
    rf"(?<![\w@#'’-])({WORD})['’]s[ \t]+(?=(?:help|advice|patience|kindness|attitude|manner|professionalism|"
    r"knowledge|explanation|manager|supervisor|colleague|shift|assistance|support|care|effort|efforts)\b)"
)
# a form's name field: the value is the rest of the line, whatever its case
FORM_NAME = patterns.compile(
    r"^[ \t]*(?:your[ \t]+|full[ \t]+|first[ \t]+|last[ \t]+|given[ \t]+|family[ \t]+|customer[ \t]+|contact[ \t]+|"
    r"account[ \t]+holder[ \t]+|cardholder[ \t]+)?(?:name|surname|forename)s?[ \t]*[:\-–][ \t]*([^\n:@\d]{2,60}?)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
FORM_VALUE_WORD = patterns.anchored(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ž'’.-]+")
NOT_A_NAME_VALUE = {"n/a", "na", "none", "same", "above", "unknown", "anonymous", "withheld", "not", "given", "see",
                    "below", "required", "optional", "please", "enter", "your", "name", "here", "test", "customer"}
FORM_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "herr", "frau", "mme", "m", "sr", "sra", "shri", "smt"}
# capitals after a cue written in any case: "your rep TYLER hung up", "customer O'NEILL rang", "spoke to KAREN"
CAPS_CUE = patterns.compile(
    r"(?i:\b(?:rep|agent|advisor|adviser|representative|operator|engineer|technician|driver|courier|manager|supervisor|"
    r"spoke\s+(?:to|with)|talked\s+to|ask\s+for|asked\s+for|cc|attn|named|called|customer|cust|caller|client|cx|"
    r"my\s+name\s+is|this\s+is|i\s+am|i'm))[ \t]*[:,]?[ \t]+"
    r"([A-Z][A-Z'’]+(?:-[A-Z][A-Z'’]+)?(?:[ \t]+[A-Z][A-Z'’]+(?:-[A-Z][A-Z'’]+)?)?)(?![\w'’-])"
)
NOTE_CUE = patterns.compile(r"(?i:customer|cust|caller|client|cx)$", use="window", window=12)
# what follows a customer's name in a call note: "customer O'NEILL rang"
NOTE_VERB = patterns.anchored(
    r"[ \t,]+(?i:called|rang|phoned|emailed|wrote|says|said|states|reports|complained|asked|wants|disputes|"
    r"requested|confirmed)\b"
)
# a first name that is also a word ("Mark", "Will", "Rose") where only a person can stand
WHO_AFTER = patterns.compile(rf"(?<=[a-z,;][ \t])({WORD})(?=,?[ \t]+who[ \t]+(?!(?:is|are|was|were)[ \t]+(?:the|a|an)\b))")
PERSON_NOUN = (
    r"guy|lady|bloke|lad|chap|fella|fellow|gentleman|man|woman|girl|boy|person|agent|rep|representative|advisor|adviser|"
    r"operator|engineer|technician|driver|courier|installer|fitter|manager|supervisor|assistant|colleague|cashier|waiter|waitress"
)
APPOSITIVE = patterns.compile(
    rf"(?i:\b(?:{PERSON_NOUN})s?\b)[^.,;:!?\n]{{0,40}},[ \t]*({WORD})[ \t]*,"
)
CALLED_NAMED = patterns.compile(
    rf"(?i:\b(?:someone|somebody|a[ \t]+(?:{PERSON_NOUN})|an[ \t]+(?:agent|advisor|adviser|operator|engineer|installer|assistant)|"
    rf"(?:{PERSON_NOUN})[ \t]+(?:was|is)|(?:his|her|their)[ \t]+name[ \t]+(?:was|is))[ \t]+(?:named|called)[ \t]+)({WORD})(?![\w'’-])"
)

# a member of staff introducing themself: "I'm Jericho from support", "this is Bill speaking", and on an agent's
# line "Yes, sorry, this is Bill." (a place or an everyday first name here too)
STAFF_INTRO = patterns.compile(
    rf"(?i:\b(?:i'm|i’m|i\s+am|this\s+is|my\s+name\s+is|my\s+name's|you're\s+(?:chatting|speaking)\s+with))[ \t]+({WORD})"
    r"(?=[ \t]+(?i:from[ \t]+(?:the[ \t]+|your[ \t]+)?[a-z]+|speaking|here)\b|[ \t]*[.,!])"
)
STAFF_LINE = patterns.anchored(
    r"[ \t]*(?i:agent|rep|representative|advisor|adviser|operator|support|staff|associate|specialist|"
    r"mitarbeiter(?:in)?|agente|conseill[eè]re?)\b[^:\n]{0,24}:"
)
# thanks to someone written in lower case: "thanks to priyanka", "huge thanks to xochitl"
THANKS_TO_LOWER = patterns.compile(
    rf"(?i:\b(?:thanks|thank\s+you|thx|kudos|hats\s+off|shout\s*-?\s*outs?|props)\s+to)[ \t]+({LOWER_WORD})(?![\w'’-])"
)
# a first name in lower case before a surname with an apostrophe: "faith o'neill", "aoife d'arcy"
APOSTROPHE_SURNAME = patterns.compile(r"(?<![\w'’-])([a-z]{2,})[ \t]+(?:o|d)['’](?!clock\b)[a-z]{3,}(?:-[a-z]{2,})?(?![\w'’-])")
# a rare word in lower case before a team or shop: "she said tahlia in store told her"
TEAM_LOWER = patterns.compile(rf"(?<![\w@#'’-])({LOWER_WORD})(?=[ \t]+(?:from|in|at)[ \t]+(?:the[ \t]+|your[ \t]+)?"
                              r"(?:store|shop|branch|billing|support|accounts|returns|complaints|retentions|escalations)\b)")

# a first name in capitals before a team in capitals: "WILL FROM BILLING", "MARK IN RETENTIONS" (an everyday word too)
CAPS_FROM_TEAM = patterns.compile(
    r"(?<![\w'’-])([A-Z][A-Z'’]+)(?=[ \t]+(?:FROM|IN|AT)[ \t]+(?:THE[ \t]+|YOUR[ \t]+)?(?:BILLING|RETENTIONS?|SALES|SUPPORT|"
    r"ACCOUNTS?|COMPLAINTS|CUSTOMER[ \t]+(?:SERVICE|CARE|RELATIONS)|TECH(?:NICAL)?(?:[ \t]+(?:SUPPORT|TEAM))?|COLLECTIONS|"
    r"CLAIMS|RETURNS|DISPATCH|ESCALATIONS|CANCELLATIONS|LOYALTY|PAYMENTS|FRAUD|DISPUTES|HELPDESK)\b)"
)

# a signature in lower case on the line after a sign-off, ending the text or its line: "Cheers,\nwill", "Many thanks\nsummer hayes"
SIGNOFF_LOWER = patterns.compile(
    r"(?i:\b(?:thanks|thank\s+you|many\s+thanks|cheers|regards|best|sincerely|faithfully|ta|thx|love))[ \t]*[,.!]?[ \t]*\n[ \t]*"
    rf"({LOWER_WORD}(?:[ \t]+{LOWER_WORD})?)[ \t]*(?=\n|$)"
)

CAPITALS = patterns.compile(r"[A-Z][A-Z'’][A-Z]")
BETWEEN_COMMAS = patterns.compile(rf",[ \t]*{WORD}[ \t]*,")

HANDLE = patterns.compile(r"(?<![\w@])@([A-Za-z0-9_]{3,30})")
# a company's account ("@NikeSupport", "@AcmeHelp"): its words are not a person's
COMPANY_HANDLE = {"support", "help", "care", "cares", "service", "services", "team", "official", "news", "app", "hq",
                  "info", "store", "shop", "air", "airlines", "bank", "uk", "us", "usa", "global", "inc", "ltd", "group"}
DEMONYM = patterns.compile(r"(?:ian|ese|ish|ean|ic|ani|eli|aqi|ali|ch|lander)$")  # "Nigerian", "Pakistani", "Dutch", "Islander"


def _rare(word: str) -> bool:
    lower = word.lower()
    return len(word) > 2 and lower not in STOP and zipf_frequency(lower, "en") < 3.0 and not is_place(word)


def _personal(word: str, *, rare_ok: bool = True) -> bool:
    """A known first name that is not an everyday word, or (when allowed) a rare word."""
    if word.lower() in STOP or is_common_word(word) or word.isupper() and len(word) > 1:
        return False
    return is_first_name(word) or (rare_ok and _rare(word))


def _lower_names(pattern: re.Pattern[str], text: str) -> Iterator[Span]:
    """Group 1 of each match of ``pattern``, a word in lower case, when it is a known first name or a rare
    word and not a stop word or an everyday word."""
    for match in pattern.finditer(text):
        word = match.group(1)
        if word not in STOP and not is_common_word(word) and (is_first_name(word) or _unknown(word)):
            yield Span(match.start(1), match.end(1), "NAME", 0.75)


def _handle_words(text: str) -> Iterator[Span]:
    parts: set[str] = set()
    for match in HANDLE.finditer(text):
        handle = match.group(1)
        pieces = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", handle)
        if any(p.lower() in COMPANY_HANDLE for p in pieces):
            continue
        parts |= {p.lower() for p in pieces if len(p) > 2}
    names = {p for p in parts if is_first_name(p) and not is_common_word(p)}
    if not names:
        return
    pattern = re.compile(rf"(?<![\w@#])(?i:{'|'.join(sorted(names, key=len, reverse=True))})(?![{LOW}\w])")
    for match in pattern.finditer(text):
        yield Span(match.start(), match.end(), "NAME", 0.7)


def cue_spans(text: str) -> Iterator[Span]:
    """Names found by the cues in the module docstring."""
    for match in SELF_INTRO.finditer(text):
        word = match.group(1)
        if _personal(word) and (is_first_name(word) or not DEMONYM.search(word.lower())):
            yield Span(match.start(1), match.end(1), "NAME", 0.75)
    for match in NOTE_CAPS.finditer(text):
        words = match.group(1).split()
        if _personal(words[0]):
            end = match.end(1) if len(words) > 1 and _personal(words[-1]) else match.start(1) + len(words[0])
            yield Span(match.start(1), end, "NAME", 0.75)
    for pattern in (AT_BRANCH, POSSESSIVE):
        for match in pattern.finditer(text):
            if _personal(match.group(1)):
                yield Span(match.start(1), match.end(1), "NAME", 0.75)
    yield from _lower_names(AT_BRANCH_LOWER, text)
    for match in PRAISED_PAIR.finditer(text):
        if all(_personal(match.group(k)) for k in (1, 2)):
            yield Span(match.start(1), match.end(1), "NAME", 0.75)
            yield Span(match.start(2), match.end(2), "NAME", 0.75)
    for match in SHORT_SURNAME.finditer(text):
        yield Span(match.start(1), match.end(1), "NAME", 0.75)
    yield from _handle_words(text)
    yield from _staff_intros(text)
    for match in SIGNOFF_LOWER.finditer(text):
        words = match.group(1).split()
        first = words[0]
        if first in STOP or not (is_first_name(first) or _unknown(first)):
            continue
        if len(words) > 1 and (words[1] in STOP or (is_common_word(words[1]) and words[1] not in COMMON_SURNAMES)):
            continue  # "thanks\nwill call again"
        yield Span(match.start(1), match.end(1), "NAME", 0.75)
    yield from _lower_names(THANKS_TO_LOWER, text)
    for match in APOSTROPHE_SURNAME.finditer(text):
        if match.group(1) not in STOP and is_first_name(match.group(1)):
            yield Span(match.start(), match.end(), "NAME", 0.75)
    yield from _lower_names(TEAM_LOWER, text)
    lower = text.lower()
    if "name" in lower:
        yield from _form_names(text)
    if CAPITALS.search(text):
        yield from _caps_names(text)
        for match in CAPS_FROM_TEAM.finditer(text):
            word = match.group(1)
            if word.lower() not in STOP and (name_frequency(word) >= 3 or _personal(word.title(), rare_ok=False)):
                yield Span(match.start(1), match.end(1), "NAME", 0.75)
    # each pattern only where its key word occurs: a cheap test spares most texts the scan
    for pattern, key in ((WHO_AFTER, " who"), (APPOSITIVE, ","), (CALLED_NAMED, "called"), (CALLED_NAMED, "named")):
        if key not in lower or (pattern is CALLED_NAMED and key == "named" and "called" in lower):
            continue
        if pattern is APPOSITIVE and not BETWEEN_COMMAS.search(text):
            continue
        for match in pattern.finditer(text):
            word = match.group(1)
            if pattern is not CALLED_NAMED and looks_like_thing(text, match.start(1), match.end(1)):
                continue  # "customers in Florence who"
            if word.lower() not in STOP and (is_first_name(word) or (pattern is CALLED_NAMED and _rare(word))):
                yield Span(match.start(1), match.end(1), "NAME", 0.75)


def _staff_intros(text: str) -> Iterator[Span]:
    """A member of staff introducing themself ("I'm Jericho from support", on an agent's line "this is Bill.")."""
    for match in STAFF_INTRO.finditer(text):
        word = match.group(1)
        if word.lower() in STOP or _acronym_like(word) or (is_common_word(word) and not is_first_name(word)):
            continue
        ended = text[match.end(1) : match.end(1) + 1] in (".", ",", "!")
        if ended or text[match.end(1) :].lstrip(" \t").lower().startswith("from"):
            line = text.rfind("\n", 0, match.start()) + 1
            if not STAFF_LINE.match(text, line):
                if ended or not (is_first_name(word) or not is_common_word(word)):
                    continue
        yield Span(match.start(1), match.end(1), "NAME", 0.75)


def _acronym_like(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _form_names(text: str) -> Iterator[Span]:
    """The value of a form's name field, in any case ("Your name: amelia stone")."""
    for match in FORM_NAME.finditer(text):
        words = re.split(r"[ \t]*,[ \t]*|[ \t]+", match.group(1).strip(" \t,"))  # "o'brien, siobhan"
        if not 1 <= len(words) <= 4 or not all(FORM_VALUE_WORD.fullmatch(w) for w in words):
            continue
        bare = [w.strip(".'’").lower() for w in words]
        start = match.start(1)
        if len(bare) > 1 and bare[0] in FORM_TITLES:
            bare = bare[1:]  # "Contact name: mr tan wei ming"
            start = text.index(words[1], start + len(words[0]))
        if any(w in NOT_A_NAME_VALUE or w in STOP for w in bare if w):
            continue
        if is_common_word(bare[0]) and not is_first_name(bare[0]) and bare[0] not in COMMON_SURNAMES:
            continue  # "Name: Great Service"
        yield Span(start, match.end(1), "NAME", 0.75)


def _caps_names(text: str) -> Iterator[Span]:
    """A name in capitals after a cue in any case ("your rep TYLER hung up", "customer O'NEILL rang")."""
    for match in CAPS_CUE.finditer(text):
        words = match.group(1).split()
        cue = text[match.start() : match.start(1)].strip(" \t:,")
        taken: list[str] = []
        for k, word in enumerate(words):
            title = word.title()
            if word.lower() in STOP or len(word) < 2:
                break
            first = is_first_name(title) and not is_common_word(title)
            rare = _rare(title) and not is_first_name(title)
            surname = k > 0 and (word.lower() in COMMON_SURNAMES or not is_common_word(title))
            noted = k == 0 and NOTE_CUE.search(cue[-12:]) and (rare or (
                not is_common_word(title) and not is_place(title) and NOTE_VERB.match(text, match.start(1) + len(word))
            ))
            if not (first or surname or noted):
                break
            taken.append(word)
        if taken:
            yield Span(match.start(1), match.start(1) + len(" ".join(taken)), "NAME", 0.75)
