"""Person names: a first-name dictionary combined with context rules.

The first names come from ``gender-guesser``'s ``nam_dict.txt`` (Jörg Michael's
dictionary of about 40,000 first names from 54 countries, shipped inside the
package) plus :data:`._name_lists.EXTRA_FIRST_NAMES` for regions it lacks; whether a word is also an everyday word comes from ``wordfreq``'s
word lists (shipped inside the package). Nothing is downloaded at run time.

A span is a name when:

- a context says so: a title ("Mr. O'Neill", "Frau Müller"), a greeting
  ("Hi Sarah,", "Dear Ms Okafor"), a sign-off ("Thanks, Priya Patel",
  "Regards,\\nTom"), an introduction ("my name is ...", "this is Ana from ..."),
  someone spoken to ("spoke to Dave", "agent named Luis"), a relative ("my
  daughter (Anwuli)"), a rare word before a department or doing what only
  people do ("Shaz from billing", "Tobenna rang"), or a call note in lower
  case ("cust jane doe called", "cb to gethin re boiler");
- or the message's structure says so (:mod:`._name_structure`): a signature,
  the line above an address in a letter head, the answer to a question for a
  name, "Wang Fang here", "bisola from customer care";
- or a short run in another script inside a Latin-script text is cued as a
  person or shaped like one ("my colleague 王伟", "Иван Петров", see
  :mod:`._name_scripts`);
- or a capitalised word is a known first name that is not also a common word
  ("Will", "May", "Grace" need a context), followed by up to two surname-like
  capitalised words or an initial.

A word listed with a name ("Emeka and Chidinma", "(Bree, then Marcus)") is a
name too. A first name without context that the text uses as a place or a
product ("moved to Austin", "my Dell laptop", "Galaxy Tab S9") stays (see
:mod:`._lookalikes`). Every other occurrence of a word found as part of a
name is then redacted too ("Mr Patel ... Patel said").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from openledger import patterns
from openledger.builtin.redactors._addresses import find_addresses
from openledger.builtin.redactors._lookalikes import (
    is_place,
    looks_like_product,
    looks_like_thing,
)
from openledger.builtin.redactors._name_cues import cue_spans
from openledger.builtin.redactors._name_lexicon import (
    _unknown,
    is_common_word,
    is_first_name,
    name_frequency,
    zipf_frequency,
)
from openledger.builtin.redactors._name_lists import AFTER_GREETING, COMMON_SURNAMES, EPONYMOUS_BRANDS, STOP
from openledger.builtin.redactors._name_native import mentioned_again, native_names
from openledger.builtin.redactors._name_patterns import (
    AGENT,
    CALL_NOTE,
    CAP_PARTICLES,
    CAPS_CONTEXT,
    FROM_TEAM,
    GREETING,
    INTRO,
    INTRO_STRONG,
    KIN,
    LOWER_CONTEXT,
    LOWER_GREETED,
    LOWER_TITLE,
    LOWER_WORD,
    NOTE,
    PARTICLE,
    PERSON_ONLY,
    PERSON_VERB,
    TEAMS,
    THANKS_TO,
    TITLE,
    TOKEN,
    WORD,
)
from openledger.builtin.redactors._name_scripts import script_names
from openledger.builtin.redactors._name_structure import structural_names
from openledger.records import Span


def _brand_alternative(brand: str) -> str:
    """``brand`` as a pattern: any space, hyphen or full stop between its words, the apostrophe optional, "&" or "and"."""
    words = [w for w in re.split(r"[ .-]+", brand) if w]
    parts = ["(?:&|and)" if w in ("&", "and") else re.escape(w).replace("'", "['’]?") for w in words]
    return r"\.?(?:[ \t]+|-)".join(parts)


# a shop, maker or food named after a person ("Ted Baker", "Harvey Norman", "Ben & Jerry's"): not a person here
BRAND = patterns.compile(
    r"(?<![\w'’-])(?:" + "|".join(sorted(map(_brand_alternative, EPONYMOUS_BRANDS), key=len, reverse=True)) + r")(?:['’]s)?(?![\w'’-])",
    re.IGNORECASE,
)
# ...unless a title, a greeting, an introduction or a sign-off says it is a person after all ("Dear Ms Lewis" aside,
# "I'm John Lewis", "Regards, Jack Daniels")
BRAND_PERSON_BEFORE = patterns.windowed(
    30,
    r"(?i:\b(?:mr|mrs|ms|miss|mx|sir|dear|hi|hello|hey|name\s+is|name's|i\s+am|i'm|this\s+is|cust|customer|caller|cx|"
    r"spoke\s+(?:to|with)|talked\s+to|regards|thanks|cheers|sincerely|faithfully))[.,:]?[ \t]*$",
)
# ...or what only a person does follows it ("John Lewis rang me back")
BRAND_PERSON_AFTER = patterns.anchored(
    r"[ \t]+(?:called|rang|phoned|said|says|told|emailed|texted|promised|replied|wrote|hung\s+up|apologi[sz]ed|"
    r"was\s+(?:so\s+|very\s+)?(?:rude|lovely|helpful|polite|kind))\b"
)
# a product bought or returned: "do not order the Ninja Foodi", "bought a Morphy Richards kettle"
BOUGHT_BEFORE = patterns.windowed(
    40,
    r"(?i:\b(?:order|ordered|ordering|buy|bought|buying|purchase|purchased|return|returned|returning|received|"
    r"exchange|exchanged|replace|replaced|own|owned)\s+(?:the|a|an|my|this|that|our|two|some|another)\s+)$",
)
# after a first name that is also an everyday word, what shows it is the word: "Will you", "Bill me", "Mark as read"
WORD_USE_AFTER = patterns.anchored(
    r"[ \t]+(?:you|i|it|we|they|he|she|this|that|these|those|there|the|a|an|my|your|our|be|as|me|us|up|out|to|of|"
    r"for|and|or|not|do|have|someone|somebody|anyone|anybody|any|all|every|each|no|ever|never|soon|now)\b"
)


CAPS_TITLES = {"MR", "MRS", "MS", "MISS", "DR"}
ELIDED = patterns.anchored(rf"[dl]['’]{WORD}")
WORD_DETERMINER_END = patterns.windowed(
    16, r"(?i:\b(?:the|a|an|my|your|our|their|this|that|any|no|\d{1,3}[ \t-]?days?))[ \t]+$"
)
DETERMINER_END = patterns.windowed(12, r"(?i:\b(?:the|a|an|my|your|our|his|her|their|this|that|new|old)[ \t]+)$")
#: how rare (highest Zipf frequency in English, German, French and Spanish) a lower-case word greeted on its own must
#: be to be taken for a name that no list knows ("hi nguyen,", 3.2; "hello kowalski,", 3.0), where a brand greeted
#: as the company is rarely so rare ("hi verizon,", 3.7 and an everyday word besides)
RARE_GREETED = 3.5
#: how often (:func:`name_frequency`, 1 to 13) a first name greeted in lower case must be given to be taken
GREETED_NAME = 4
# a surname by its shape, in lower case: "macdonald", "mcallister", "o'neill", "d'arcy" (not "o'clock")
SURNAME_SHAPE = patterns.anchored(r"(?:mc[a-z]{3,}|mac[dgklmnpqt][a-z]{2,}|[od]['’](?!clock\b)[a-z]{3,})(?:-[a-z]{2,})?")
# the blanks between two words of a line; "from" after a name; a dash after a greeting's name
BLANKS = patterns.anchored(r"[ \t]+")
FROM_NEXT = patterns.anchored(r"[ \t]+from\b")
DASH_NEXT = patterns.anchored(r"[ \t]*[-–—]")
# what follows a person and not the everyday word: "will from billing", "mark rang twice"
LOWER_PERSON_AFTER = patterns.anchored(
    rf"(?:[ \t]+(?:from|in|at|on|of){TEAMS}|[ \t]+(?:rang|called|phoned|said|says|told|emailed|texted|asked|wrote|promised|re)\b)"
)
# the name of a thing, not a person: "Product name:", "network name:"
THING_NAME = patterns.windowed(
    32,
    r"(?i:\b(?:product|file|user|model|brand|company|business|store|shop|item|device|plan|network|wifi|wi-fi|app|display|"
    r"screen|host|domain|course|event|subject|bank|project|package|pet|dog|cat|street|place|hotel|venue|restaurant|trading)"
    r"[ \t]+name[ \t]*:)",
)
# what ends a name given alone: punctuation, the end of the line, "and", "here"
NAME_ENDS = patterns.anchored(r"[ \t]*(?:[.,!;:)]|\n|$|(?:and|here|from|speaking|calling)\b)")


def _brands(text: str, spans: list[Span]) -> list[tuple[int, int]]:
    """Where ``text`` names a brand named after a person around one of ``spans``, and no cue makes it a person.

    Only the stretches around the names found are searched: most texts name no brand, and a scan of the
    whole text for every brand would cost more than the rest of a short text's name rules.
    """
    windows: list[tuple[int, int]] = []
    for s in sorted(spans, key=lambda s: s.start):
        lo, hi = max(0, s.start - 30), min(len(text), s.end + 30)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], hi))
        else:
            windows.append((lo, hi))
    found: list[tuple[int, int]] = []
    for match in (m for lo, hi in windows for m in BRAND.finditer(text, lo, hi)):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        if BRAND_PERSON_BEFORE.search(text, max(0, match.start() - 30), match.start()) or BRAND_PERSON_AFTER.match(text, match.end()):
            continue
        if not text[line_start : match.start()].strip() and not text[match.end() : line_end].strip(" \t.,!"):
            continue  # a line of its own: a signature
        found.append((match.start(), match.end()))
    return found


def _clean(tokens: list[re.Match]) -> list[re.Match]:
    """Drop trailing stop words and acronyms from a run of name tokens."""
    while tokens and (_stops(tokens, len(tokens) - 1) or _acronym(tokens[-1].group())):
        tokens = tokens[:-1]
    return tokens


def _stops(tokens: list[re.Match], i: int) -> bool:
    """Token ``i`` is a stop word ending a name, unless a Vietnamese middle name comes before it ("Nguyen Van An")
    or it is a capitalised particle leading the rest of a surname ("Yannick Le Goff", "Rodrigo De Los Santos")."""
    word = tokens[i].group()
    if word.lower() not in STOP:
        return False
    if i and word[0].isupper() and tokens[i - 1].group() in ("Van", "Văn", "Thi", "Thị"):
        return False
    return not (i and word[0].isupper() and word.lower() in CAP_PARTICLES and _particle_leads(tokens, i))


def _particle_leads(tokens: list[re.Match], i: int) -> bool:
    """The capitalised particle at ``i`` is followed on the same line, through at most one more particle,
    by a capitalised word that is not a stop word."""
    text = tokens[i].string
    for k in range(i + 1, min(len(tokens), i + 3)):
        if not BLANKS.fullmatch(text, tokens[k - 1].end(), tokens[k].start()):
            return False
        word = tokens[k].group()
        if word.lower() in CAP_PARTICLES and word[:1].isupper():
            continue
        return word.lower() not in STOP and not _acronym(word)
    return False


def _acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper() and not word.endswith(".")


def _name_span(text: str, start: int, end: int, *, mode: str) -> Span | None:
    """A NAME span over the name tokens in ``text[start:end]``, or None when they are not a name.

    ``mode`` says how strong the context is: ``title`` (any capitalised word
    but a stop word), ``strong`` (a known first name or a word that is not
    common), ``weak`` (a known first name, or two words that are not common).
    """
    tokens = list(TOKEN.finditer(text, start, end))
    for i, tok in enumerate(tokens):
        if i and (_stops(tokens, i) or _acronym(tok.group()) or "\n" in text[tokens[i - 1].end() : tok.start()]):
            tokens = tokens[:i]
            break
    tokens = _clean(tokens)
    if not tokens:
        return None
    first = tokens[0].group()
    if first.lower() in STOP or _acronym(first):
        return None
    if re.fullmatch(r"[A-Z]\.", first):
        # an initial: judge the name by the word after it ("R. Sutcliffe")
        if len(tokens) < 2 or is_common_word(tokens[1].group()) and mode != "title":
            return None
        first = tokens[1].group()
        if mode == "weak" and not is_first_name(first):
            mode = "strong"
    known = is_first_name(first)
    if mode == "strong" and not known and is_common_word(first):
        return None
    if mode == "weak" and not known and (len(tokens) < 2 or is_common_word(first) or is_common_word(tokens[1].group())):
        return None
    if mode == "weak" and known and is_common_word(first) and len(tokens) < 2:
        return None
    s, e = tokens[0].start(), tokens[-1].end()
    if text[e - 2 : e] in ("'s", "’s"):
        e -= 2
    return Span(s, e, "NAME", 0.8)


def _context_spans(text: str) -> Iterator[Span]:
    contexts = ((TITLE, "title"), (GREETING, "strong"), (AGENT, "strong"), (INTRO_STRONG, "strong"), (KIN, "strong"), (INTRO, "weak"))
    for pattern, mode in contexts:
        for match in pattern.finditer(text):
            span = _name_span(text, match.start(1), match.end(1), mode=mode)
            if span is None and pattern is TITLE and (elided := ELIDED.match(text, match.start(1))):
                span = Span(elided.start(), elided.end(), "NAME", 0.8)  # "Mr d'Arcy", "Mme l'Hermite"
            if span and pattern is TITLE and span.start > match.start(1):
                span = Span(match.start(1), span.end, "NAME", 0.8)  # "Mr. van der Merwe"
            if span and pattern in (INTRO, KIN) and looks_like_thing(text, span.start, span.end):
                span = None  # "for Florence office", "with the Dell laptop"
            if span and pattern is GREETING and re.search(r"[.!][ \t]*$", text[match.start() : span.start]):
                # "Thank you so much! Merry Christmas": after a full stop a capital starts a sentence,
                # a name only when it stands alone ("Thanks! Sarah")
                if text[span.end : span.end + 1] not in ("", ",", "!", ".", "\n", "\r") and not DASH_NEXT.match(text, span.end):
                    span = None
            if span and pattern is AGENT and ":" in text[match.start() : span.start] and (
                is_common_word(text[span.start : span.end].split()[0])
                or not (is_first_name(text[span.start : span.end].split()[0]) or NAME_ENDS.match(text, span.end))
            ):
                span = None  # a chat's speaker label: "Agent: Can I take your DOB?", "Agent: Kindly hold" are speech, "Agent: Priya" a name
            if span and pattern is INTRO_STRONG and THING_NAME.search(text, max(0, match.start() - 20), match.start() + 12):
                span = None  # "Product name: Sonos Era 100", "Wifi name: Vodafone-5G"
            if span and pattern is GREETING and " " not in text[span.start : span.end]:
                # "Hi, Will you...", "Thanks. Do you...": an everyday word after a greeting is
                # a name only when punctuation or the end of the line follows it
                after = text[span.end : span.end + 1]
                if is_common_word(text[span.start : span.end]) and after not in ("", ",", "!", ".", ":", ";", ")", "\n", "\r", "-"):
                    span = None
            if span:
                yield span
    for match in CAPS_CONTEXT.finditer(text):
        words = match.group(1).split()
        if text[match.start() : match.start(1)].strip(" \t.,") in CAPS_TITLES:
            # "CUST MR PATEL", "MS O'BRIEN", "MR DA SILVA": after a title in capitals, a surname of any kind
            taken = []
            for k, word in enumerate(words):
                lower = word.lower()
                if lower in CAP_PARTICLES and k + 1 < len(words):
                    taken.append(word)
                    continue
                if lower in STOP or len(word) < 2 or (k and is_common_word(word) and lower not in COMMON_SURNAMES):
                    break
                taken.append(word)
            while taken and taken[-1].lower() in CAP_PARTICLES:
                taken.pop()
            if taken:
                yield Span(match.start(1), match.start(1) + len(" ".join(taken)), "NAME", 0.75)
            continue
        if is_first_name(words[0]) and words[0].lower() not in STOP:
            taken = [words[0]]
            for word in words[1:]:
                if word.lower() in STOP or (is_common_word(word) and word.lower() not in COMMON_SURNAMES):
                    break
                taken.append(word)
            yield Span(match.start(1), match.start(1) + len(" ".join(taken)), "NAME", 0.75)
    for pattern in (PERSON_VERB, FROM_TEAM, THANKS_TO):
        for match in pattern.finditer(text):
            word = match.group(1)
            if word.lower() in STOP or _acronym(word) or len(word) < 3:
                continue
            if is_common_word(word):
                if pattern is FROM_TEAM and name_frequency(word) >= 3 and FROM_NEXT.match(text, match.end(1)):
                    yield Span(match.start(1), match.end(1), "NAME", 0.75)  # "Mark from retentions", "Rose from accounts"
                elif (
                    pattern is PERSON_VERB
                    and name_frequency(word) >= 3
                    and PERSON_ONLY.match(text, match.end())
                    and not _sentence_start(text, match.start(1))
                    and not DETERMINER_END.search(text, max(0, match.start(1) - 12), match.start(1))
                ):
                    yield Span(match.start(1), match.end(1), "NAME", 0.75)  # "the lady on the till Rose was lovely"
                continue
            # a known first name, or a rare word that is not a place ("Shaz from billing", "Tobenna said")
            rare = zipf_frequency(word.lower(), "en") < 3.0 and not is_place(word) and word[1:].islower()
            if is_first_name(word) or (rare and (pattern is not PERSON_VERB or PERSON_ONLY.match(text, match.end()))):
                yield Span(match.start(1), match.end(1), "NAME", 0.75)
    for match in LOWER_TITLE.finditer(text):
        word = match.group(1)
        # after a title, a common surname is the person's ("dear mr smith"), as in a call note; not after "dr",
        # which is also a street's "drive" ("12 oak dr green valley")
        surname = word in COMMON_SURNAMES and not match.group(0).startswith("dr")  # the pattern is lower case
        if len(word) > 2 and word not in STOP and (not is_common_word(word) or surname):
            yield Span(match.start(1), match.end(1), "NAME", 0.75)
    for match in LOWER_GREETED.finditer(text):
        # a word greeted on its own is the person greeted ("hi nguyen, my order...", "ok ben, thanks"): a known first
        # name, a surname's shape, or a word rare in the four languages that is not a place; not an everyday word
        # nor a word that greets anyone ("thanks mate,", "cheers bruv!")
        word = match.group(1)
        if len(word) < 3 or word in STOP or word in AFTER_GREETING or is_common_word(word):
            continue
        rare = len(word) > 3 and _unknown(word, RARE_GREETED) and not is_place(word)  # not "akc", a brand's letters
        # a first name that is given often ("ben", 7 of 13; "priya", 6), not a brand that is a rare name too ("thank
        # you nike", 1; "hi dell", 1; "thanks chase", 3); not the company the text is addressed to ("@AcmeHelp thank
        # you acme": the text is searched for that only for a word that would be taken)
        if (name_frequency(word) >= GREETED_NAME or SURNAME_SHAPE.fullmatch(word) or rare) and not re.search(
                rf"@\w*{re.escape(word)}", text, re.IGNORECASE):
            yield Span(match.start(1), match.end(1), "NAME", 0.75)
    for match in NOTE.finditer(text):
        words = [w for w in match.group(1).split() if "'" not in w and "’" not in w]
        # "cust ramakrishnan called": before a verb of calling, a rare word is a name
        # a Vietnamese name ("tran van minh", "pham thi hoa") shows itself by its middle name
        vietnamese = len(words) > 2 and words[1] in ("van", "thi") and not is_common_word(words[2])
        if words and (is_first_name(words[0]) or _unknown(words[0], 2.5) or vietnamese) and words[0] not in STOP and not is_common_word(words[0]):
            taken = words[:1]
            for k, word in enumerate(words[1:], 1):
                if vietnamese and k == 1:
                    taken.append(word)  # the Vietnamese middle name
                    continue
                if word in STOP or (is_common_word(word) and word not in COMMON_SURNAMES):
                    break
                taken.append(word)
            yield Span(match.start(1), match.start(1) + len(" ".join(taken)), "NAME", 0.75)
    for match in [*LOWER_CONTEXT.finditer(text), *CALL_NOTE.finditer(text)]:
        words = match.group(1).split()
        # a call note ("cb to gethin re boiler") takes any known first name that is not an everyday word
        least = 1 if match.re is CALL_NOTE else 5
        known = name_frequency(words[0]) >= least and (name_frequency(words[0]) >= 5 or zipf_frequency(words[0], "en") < 3.9)
        shaped = least == 1 and bool(SURNAME_SHAPE.fullmatch(words[0]))  # "spoke with d'arcy"
        if words and least == 5 and words[0] in AFTER_GREETING:
            continue  # "hey mate", "thanks hun": a greeting's word for anyone
        if words and words[0] not in STOP and not is_common_word(words[0]) and (known or (least == 1 and _unknown(words[0])) or shaped):
            end = match.start(1) + len(words[0])
            second = words[1] if len(words) > 1 else ""
            if second and not is_common_word(second) and (least == 5 or is_first_name(second) or _unknown(second) or second in COMMON_SURNAMES or SURNAME_SHAPE.fullmatch(second)):
                end = match.start(1) + len(" ".join(words[:2]))
            yield Span(match.start(1), end, "NAME", 0.75)
        elif words and words[0] not in STOP and name_frequency(words[0]) >= 3:
            # a first name that is also a word ("mark", "hope", "will"): with a surname after it
            # ("spoke to mark delaney", "tenant hope ashby"), or alone after "my name is" ("my name's hope.")
            second = words[1] if len(words) > 1 else ""
            if second and second not in STOP and not is_common_word(second) and (
                _unknown(second, 3.5) or second in COMMON_SURNAMES or SURNAME_SHAPE.fullmatch(second)
            ):
                yield Span(match.start(1), match.start(1) + len(" ".join(words[:2])), "NAME", 0.75)
            elif "name" in text[match.start() : match.start(1)].lower() and NAME_ENDS.match(text, match.start(1) + len(words[0])):
                yield Span(match.start(1), match.start(1) + len(words[0]), "NAME", 0.75)
            elif match.re is CALL_NOTE and LOWER_PERSON_AFTER.match(text, match.start(1) + len(words[0])):
                # "talked to will from billing", "my husband mark rang twice"
                yield Span(match.start(1), match.start(1) + len(words[0]), "NAME", 0.75)


def _sentence_start(text: str, pos: int) -> bool:
    """Whether ``pos`` starts a sentence, a line or a tweet (after its @handles)."""
    before = re.sub(r"(?:^|\s)(?:@\w+\s*)+$", "", text[:pos]).rstrip()
    return not before or before[-1] in ".!?:\n\"“" or text[:pos].rstrip(" \t").endswith("\n")


def _dictionary_spans(text: str) -> Iterator[Span]:
    tokens = list(TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        word = tokens[i].group()
        if len(word) < 2 or _acronym(word) or not is_first_name(word) or word.lower() in STOP:
            i += 1
            continue
        j = i
        taken = 0  # surname words after the first name, capitalised particles aside ("Rodrigo De Los Santos")
        while j + 1 < len(tokens) and taken < 2:
            nxt = tokens[j + 1]
            gap = text[tokens[j].end() : nxt.start()]
            if "\n" in gap or not re.fullmatch(rf"\s+(?:{PARTICLE}\s+){{0,2}}", gap):
                break
            nxt_word = nxt.group()
            if _stops(tokens, j + 1) or _acronym(nxt_word):
                break
            particle = nxt_word[:1].isupper() and nxt_word.lower() in CAP_PARTICLES and not _stops(tokens, j + 1)
            if not particle and not re.fullmatch(r"[A-Z]\.", nxt_word) and nxt_word.lower() not in COMMON_SURNAMES and zipf_frequency(nxt_word.lower(), "en") >= 4.0 and not is_first_name(nxt_word):
                break
            j += 1
            taken += not (nxt_word[:1].isupper() and nxt_word.lower() in CAP_PARTICLES)
        while j > i and tokens[j].group().lower() in CAP_PARTICLES:
            j -= 1
        if j == i and (is_common_word(word) or (_sentence_start(text, tokens[i].start()) and name_frequency(word) < 4)):
            # a lone first name without context must not be an everyday word, and at the start
            # of a sentence (where every word is capitalised) it must be a frequent name
            i += 1
            continue
        if j > i and is_common_word(word) and is_common_word(tokens[i + 1].group()):
            i += 1
            continue
        if BOUGHT_BEFORE.search(text, max(0, tokens[i].start() - 40), tokens[i].start()):
            i = j + 1  # "do not order the Ninja Foodi"
            continue
        if (j == i and looks_like_thing(text, tokens[i].start(), tokens[i].end())) or (
            j > i and zipf_frequency(word.lower(), "en") >= 3.5 and looks_like_product(text, tokens[i].start(), tokens[j].end())
        ):
            # "moved to Austin", "my Dell laptop", "Galaxy Tab S9"
            i += 1
            continue
        end = tokens[j].end()
        if text[end - 2 : end] in ("'s", "’s"):
            end -= 2
        yield Span(tokens[i].start(), end, "NAME", 0.7)
        i = j + 1


LIST_ITEM = rf"(?:{WORD})"
LIST_SEP = r"(?:[ \t]*,[ \t]*(?:(?:and|&|then|or|y|und|et)[ \t]+)?|[ \t]+(?:and|&|or|und|et|y|then|plus)[ \t]+|[ \t]*/[ \t]*)"
COMPANY_AFTER = patterns.anchored(r"[ \t,]*(?:Inc|LLC|LLP|Ltd|Limited|PLC|PC|P\.C|A\.P\.C|GmbH|SA|SL|SAS|Co|Company|Associates|Law|Group|Partners|Solicitors)\b")
NAME_LIST = patterns.compile(rf"(?<![\w'’-]){LIST_ITEM}(?:{LIST_SEP}{LIST_ITEM})+(?![\w])")


def _listed(text: str, spans: list[Span]) -> Iterator[Span]:
    """Words listed with a name already found ("Tanisha and Carlos", "(Bree, then Marcus)", "Oluwatobi, Siân and Grzegorz").

    A listed word is taken when it is not an everyday word, a stop word, an
    acronym or a place used as a place.
    """
    # seeds: names holding a known first name ("Unsubsidized Loan" found by a weak rule seeds nothing)
    spans = [s for s in spans if any(is_first_name(w) for w in re.findall(WORD, text[s.start : s.end]))]
    if not spans:
        return
    for match in NAME_LIST.finditer(text):
        if COMPANY_AFTER.match(text, match.end()):
            continue  # "Patenaude & Felix A.P.C.", "Nelson & Kennard LLP"
        bracketed = text[match.start() - 1 : match.start()] in "([" and text[match.end() : match.end() + 1] in ")]"
        if not bracketed and not re.search(r"\b(?:and|or|und|et|y|then|plus)\b|[&/]", match.group()):
            continue  # a bare comma also separates a greeting from the text ("Hallo Tom, Bestellnummer ...")
        items = list(re.finditer(WORD, match.group()))
        found = [any(s.start < match.start() + m.end() and match.start() + m.start() < s.end for s in spans) for m in items]
        if not any(found):
            continue
        for item, known in zip(items, found):
            word = item.group()
            start, end = match.start() + item.start(), match.start() + item.end()
            if known or word.lower() in STOP or _acronym(word) or len(word) < 2 or is_common_word(word):
                continue
            if not is_first_name(word) and (is_place(word) or zipf_frequency(word.lower(), "en") >= 3.5 or "&" in match.group()):
                continue
            yield Span(start, end, "NAME", 0.7)


def find_names(text: str) -> list[Span]:
    """Person names in ``text`` (see the module docstring for the rules)."""
    spans = list(_context_spans(text)) + list(_dictionary_spans(text)) + list(cue_spans(text)) + list(script_names(text))
    spans += native_names(text)
    spans += list(structural_names(text, find_addresses(text) if "\n" in text else ()))
    brands = _brands(text, spans)
    if brands:
        spans = [s for s in spans if not any(s.start < e and b < s.end for b, e in brands)]
    spans += list(_listed(text, spans))
    words = {
        w
        for s in spans
        for w in re.findall(rf"{WORD}", text[s.start : s.end])
        if len(w) > 2 and w.lower() not in STOP and not is_common_word(w)
    }
    if words:
        pattern = re.compile(
            r"(?<![\w@#])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![\w])", re.IGNORECASE
        )
        for m in pattern.finditer(text):
            found = m.group()
            if found.islower() and found not in words and WORD_DETERMINER_END.search(text, max(0, m.start() - 16), m.start()):
                continue  # "Grace" found, but "a 14 day grace period": a word in lower case after a determiner stays
            spans.append(Span(m.start(), m.end(), "NAME", 0.7))
    spans += list(_said_again(text, spans))
    spans += list(_echoed_lower(text, spans))
    spans += list(mentioned_again(text, spans))
    brands = _brands(text, spans)  # again: a word said again may stand inside a brand elsewhere in the text
    if brands:
        spans = [s for s in spans if not any(s.start < e and b < s.end for b, e in brands)]
    return spans


def _said_again(text: str, spans: list[Span]) -> Iterator[Span]:
    """Other capitalised uses of a found first name that is also an everyday word ("someone called Bill ... Bill is off").

    Only the capitalised form is taken, and not where the word is used as a word ("Will you", "Bill me").
    """
    words = set()
    for s in spans:
        for w in re.findall(WORD, text[s.start : s.end]):
            if len(w) > 2 and w[0].isupper() and w[1:].islower() and w.lower() not in STOP and is_common_word(w) and is_first_name(w):
                words.add(w)
    for word in words:
        for match in re.finditer(rf"(?<![\w@#'’-]){word}(?![\w'’-])", text):
            if not WORD_USE_AFTER.match(text, match.end()):
                yield Span(match.start(), match.end(), "NAME", 0.7)


# a name written back in lower case after a greeting ("hi faith my tv...", "ok bill what's the holdup"), not the
# everyday word ("ok will do", "hi, will you..."): punctuation or a word that cannot follow the verb comes next
ECHO_BEFORE = r"(?i:\b(?:hi|hey|hello|hiya|ok|okay|thanks|thank\s+you|thx|cheers|ta|sorry|yes|no)[ \t]*,?[ \t]+)"
ECHO_AFTER = (
    r"(?=[ \t]*[,.!?:;]|[ \t]*$|[ \t]+(?:my|what'?s|where'?s|why|how|please|can|could|i'm|im|i've|ive|any|thanks|"
    r"thank|sorry|just|still|need|its|it's)\b)"
)
LIST_AFTER = patterns.anchored(rf"[ \t]+(?:and|&)[ \t]+({LOWER_WORD})(?![\w'’-])")


def _echoed_lower(text: str, spans: list[Span]) -> Iterator[Span]:
    """Lower-case uses of a found name after a greeting, and a lower-case name listed after a lower-case name.

    The other lower-case uses of a name that is not an everyday word are found by the case-blind pass in
    :func:`find_names`; this one takes the everyday-word names ("Faith", "Bill") only where a person is greeted.
    """
    words = set()
    for s in spans:
        value = text[s.start : s.end]
        if " " not in value:
            after = LIST_AFTER.match(text, s.end)
            if after and after.group(1) not in STOP and not is_common_word(after.group(1)) and (
                is_first_name(after.group(1)) or _unknown(after.group(1))
            ):
                yield Span(after.start(1), after.end(1), "NAME", 0.7)  # "thanks to jaylen and priyanka"
        for w in re.findall(WORD, value):
            if len(w) > 2 and w.lower() not in STOP and is_common_word(w) and is_first_name(w):
                words.add(w.lower())
    if not words:
        return
    pattern = re.compile(ECHO_BEFORE + r"(" + "|".join(sorted(words)) + r")(?![\w'’-])" + ECHO_AFTER)
    for match in pattern.finditer(text):
        yield Span(match.start(1), match.end(1), "NAME", 0.7)
