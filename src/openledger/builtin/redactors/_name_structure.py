"""Names found by where they stand in a message rather than by a word before them.

- a signature: the first line of a message's last block, after a blank line
  ("...\\n\\nSven Lindqvist\\nSent from my iPhone"), the line after a sign-off
  even in lower case ("Cheers,\\ngemma"), or a line led by a dash ("- kayla");
- the line above an address in a letter head ("Jan Kamiński\\nal. Jerozolimskie 65");
- a first line of two or three name words heading a note ("Algernon Pike\\nwants a paper bill"),
  and such lines listed under "Callback list:", "Attendees:", "Present:";
- the answer to a question for a name in a chat ("Agent: Who am I speaking
  with?\\nCustomer: Dmitri Volkov");
- a name announced after the fact ("Wang Fang here", "vignesh this side",
  "Aurélien Guérin à l'appareil", "Paweł z tej strony");
- a lower-case name before a department ("bisola from customer care").

A candidate is taken only when its words look like a name: a known first name,
a frequent surname or a word that is not an everyday word, and no stop word
(a first name that is also a stop word, "Jan", "May", passes beside another name word).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from openledger import patterns
from openledger.builtin.redactors._lookalikes import is_place
from openledger.builtin.redactors._name_lexicon import (
    _unknown,
    is_common_word,
    is_first_name,
    name_frequency,
    zipf_frequency,
)
from openledger.builtin.redactors._name_lists import COMMON_SURNAMES, STOP
from openledger.builtin.redactors._name_patterns import (
    LOWER_WORD,
    NAME_SEQ,
    PARTICLE,
    TEAMS,
    TITLES,
)
from openledger.records import Span

SPEAKER = patterns.anchored(r"^[ \t]*(?:\[[^\]\n]{1,30}\]|[A-Za-zÀ-ÿ]+(?:[ \t]+(?:\([^)\n]{1,30}\)|[A-Za-zÀ-ÿ]+))?)?[ \t]*:?[ \t]*")
ASKS_NAME = patterns.compile(
    r"(?i:\b(?:(?:your|the|full|first|last)\s+name|name\s+on\s+the|who\s+(?:am\s+i|are\s+we|is)\s+(?:speaking|talking|chatting)|"
    r"speaking\s+with|who'?s\s+calling|nombre|votre\s+nom|ihr\s+name|uw\s+naam|imi[ęe]\s+i\s+nazwisko)\b[^\n]*\?)[ \t]*$"
)
# sign-off words of many languages, shared with the sign-offs before names in other scripts
SIGN_OFF_WORDS = (
    r"thanks(?:\s+(?:heaps|again|so\s+much|a\s+lot|a\s+million|muchly|in\s+advance|(?:&|and)\s+regards))?|"
    r"thank\s+you(?:\s+(?:again|so\s+much|in\s+advance))?|thanking\s+you|with\s+thanks|cheers(?:\s+(?:mate|again|heaps))?|"
    r"warm(?:est)?\s+regards|warm(?:est)?\s+wishes|all\s+the\s+best|speak\s+soon|talk\s+soon|yours\s+truly|thx|tks|tnx|thnx|thanx|rgds|b?rgds|regards|kind\s+regards|best(?:\s+regards|\s+wishes)?|many\s+thanks|"
    r"sincerely|respectfully|atenciosamente|abra[çc]os|distinti\s+saluti|hälsningar|med\s+vänlig\s+hälsning|mvh|"
    r"(?:venlig\s+)?hilsen|yours(?:\s+(?:sincerely|faithfully|truly))?|love|ta|warmly|take\s+care|cordialement|saludos|"
    r"atentamente|un\s+saludo|un\s+abrazo|gracias|merci|danke|"
    r"(?:(?:freundliche|beste|liebe|herzliche|viele|sonnige)\s+)?gr[üu](?:ß|ss)e|lg|mfg|groeten|groetjes|"
    r"met\s+vriendelijke\s+groet(?:en)?|pozdrawiam|z\s+powa[żz]aniem|serdecznie|cumprimentos|obrigad[oa]|"
    r"cordiali\s+saluti|saluti|grazie|(?:is\s+mise\s+)?le\s+meas|mit\s+freundlichen\s+gr[üu](?:ß|ss)en|"
    r"bien\s+[àa]\s+vous|bien\s+cordialement|veuillez\s+agr[ée]er[^\n]*"
)
SIGN_OFF = patterns.compile(rf"(?i:^[ \t]*(?:{SIGN_OFF_WORDS})[ \t]*[,.!]?[ \t]*$)")
TRAILER = patterns.anchored(r"(?i:^[ \t]*(?:sent\s+from|get\s+outlook|sent\s+via|envoy[ée]\s+de|enviado\s+desde|von\s+meinem|verstuurd\s+vanaf)\b)")
DASH_LINE = patterns.anchored(rf"^[ \t]*(?:[-–—~]+|\^)[ \t]*((?:{NAME_SEQ})|{LOWER_WORD}(?:[ \t]+{LOWER_WORD})?)[ \t]*$")
AFTER_THE_FACT = patterns.compile(
    rf"(?:^|(?<=[\n.!?,:;(])|@\w+[ \t]|(?i:\b(?:hi|hey|hello|yeah|ok|okay|so|sir|madam|ma'am)\b,?))[ \t]*"
    rf"((?:{NAME_SEQ})|{LOWER_WORD}(?:[ \t]+{LOWER_WORD})?)"
    r"[ \t]+(?i:here\b|this\s+side\b|à\s+l'appareil|am\s+apparat|z\s+tej\s+strony|al\s+habla|aqu[íi]\b)"
)
ANSWER_LEAD = patterns.compile(r"^(?i:(?:(?:hi|hello|hey|yes|yeah|sure)[ \t,!.]+)?(?:it'?s|it\s+is|this\s+is|i'?m|i\s+am|im|my\s+name'?s|my\s+name\s+is)[ \t]+)")
LOWER_FROM_TEAM = patterns.compile(rf"(?<![\w@#'’-])({LOWER_WORD})(?=[ \t]+from{TEAMS})")
TITLE_LEAD = patterns.anchored(rf"^(?:(?:{TITLES})\.?[ \t]+)")
NAME_TOKEN = patterns.anchored(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ž'’.-]+")


def looks_like_name(words: list[str], *, lower: bool = False) -> bool:
    """Whether one to four words (particles aside) look like a person's name."""
    words = [w for w in words if not re.fullmatch(PARTICLE, w)]
    if not 1 <= len(words) <= 4:
        return False
    known = 0
    for k, word in enumerate(words):
        bare = word.strip(".'’")
        if re.search(r"['’]s$", bare):
            return False  # "help's here"
        if re.fullmatch(r"[A-Z]\.?", word) or (lower and k and re.fullmatch(r"[a-z]\.?", word)):
            continue  # an initial ("hannah m" in lower case)
        if not bare or not (bare[0].isupper() or lower) or (len(bare) > 1 and bare.isupper()):
            return False
        if lower and bare != bare.lower():
            return False
        first = is_first_name(bare)
        if bare.lower() in STOP and not (first and len(words) > 1):
            return False
        if is_common_word(bare) and not first and bare.lower() not in COMMON_SURNAMES:
            return False
        frequent_name = name_frequency(bare) >= 6  # "hannah", "emma": frequent in text because they are frequent names
        if lower and (is_common_word(bare) or (zipf_frequency(bare.lower(), "en") >= 3.9 and not frequent_name)
                      or not (name_frequency(bare) or _unknown(bare))):
            return False  # in lower case only a word that is rare as a word: "gemma", not "even" or "one"
        known += first or bare.lower() in COMMON_SURNAMES or not is_common_word(bare)
    return known > 0


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _line_span(start: int, line: str, *, lower: bool = False) -> Span | None:
    """A NAME span over a whole line (after a title) when its words look like a name."""
    body = line.strip()
    if not body or len(body) > 60 or body.endswith((",", ":", ";")) or SIGN_OFF.match(body):
        return None
    if body.endswith((".", "!", "?")) and not re.search(r"(?<![\w.])[A-Z]\.$", body):
        return None  # a sentence ("Reklamacja."), not a name; an initial may end one ("T.")
    at = start + line.index(body)
    kisses = re.match(r"(?:xx+|x+o+x*)[ \t]+", body)
    if kisses:
        at, body = at + kisses.end(), body[kisses.end() :]  # "xx Jo"
    capitals = body.isupper() and sum(c.isalpha() for c in body) > 3  # "MRS JOAN ABERCROMBIE", "MARTIN O'SULLIVAN"
    lead = TITLE_LEAD.match(body.title() if capitals else body)
    rest = body[lead.end() :] if lead else body
    rest = rest.rstrip(".,!")
    words = rest.split()
    if not words or any(not NAME_TOKEN.fullmatch(w) for w in words):
        return None
    if not looks_like_name([w.title() for w in words] if capitals else words, lower=lower and rest == rest.lower()):
        return None
    if capitals and not any(is_first_name(w) or w.lower() in COMMON_SURNAMES for w in words):
        return None  # "URGENT" under "Thanks": in capitals a known first name or surname is needed
    offset = at + (lead.end() if lead else 0)
    return Span(offset, offset + len(rest), "NAME", 0.7)


def _signature(lines: list[tuple[int, str]]) -> Iterator[Span]:
    for start, line in lines:
        match = DASH_LINE.match(line)
        if match:
            span = _line_span(start + match.start(1), match.group(1), lower=True)
            if span:
                yield span
    content = [i for i, (_, line) in enumerate(lines) if line.strip() and not TRAILER.match(line)]
    if len(content) < 2:
        return
    last = content[-1]
    first = last
    while first - 1 >= 0 and lines[first - 1][1].strip() and last - first < 3:
        first -= 1
    for i in range(first, last + 1):
        start, line = lines[i]
        previous = lines[i - 1][1] if i else ""
        after_sign_off = bool(SIGN_OFF.match(previous))
        if i == first and not previous.strip() and i > 0 or after_sign_off:
            span = _line_span(start, line, lower=after_sign_off)
            if span:
                yield span
            if not after_sign_off and not SIGN_OFF.match(line):
                break  # "Thanking you\nYours faithfully\nR. Subramanian": go on past a sign-off line
    start, line = lines[last]
    words = line.split()
    if last > 0 and 1 <= len(words) <= 2 and lines[last - 1][1].rstrip().endswith((".", "!", "?")):
        # a first name signing under the last sentence without a blank line ("...to 4 Elm Road.\nWes")
        bare = words[0].strip(".,!")
        if is_first_name(bare) and not is_common_word(bare) and bare.lower() not in STOP:
            span = _line_span(start, line)
            if span:
                yield span


def _name_line(start: int, line: str) -> Span | None:
    """A line of two or three words that are all name words ("Great Service", "Leeds Branch" are not)."""
    words = line.split()
    if not 2 <= len(words) <= 3:
        return None
    for word in words:
        bare = word.strip(".'’")
        if len(bare) > 1 and (is_place(bare) or (is_common_word(bare) and not is_first_name(bare) and bare.lower() not in COMMON_SURNAMES)):
            return None
    return _line_span(start, line)


def _heading_name(lines: list[tuple[int, str]]) -> Iterator[Span]:
    """A note headed by a name alone on its first line ("Percival Thorne\naccount closed"), the lines of a list of names."""
    if lines[1][1].strip():
        span = _name_line(*lines[0])
        if span:
            yield span
    for i, (_, line) in enumerate(lines[:-1]):
        if not re.search(r"(?i:\b(?:list|names|attendees|present|staff|contacts|customers|callbacks?))[ \t]*:[ \t]*$", line):
            continue
        for start, item in lines[i + 1 :]:
            span = _name_line(start, item)
            if not span:
                break  # "Callback list:\nMorwenna Tregear\nOsian Pryce"
            yield span


def structural_names(text: str, addresses: Iterable[Span] = ()) -> Iterator[Span]:
    """Names found by structure (see the module docstring)."""
    lines = _lines(text)
    if len(lines) > 1:
        yield from _signature(lines)
        yield from _heading_name(lines)
        starts = {a.start for a in addresses}
        for (start, line), (next_start, following) in zip(lines, lines[1:]):
            lead = len(following) - len(following.lstrip())
            if next_start + lead in starts:
                span = _line_span(start, line)
                if span:
                    yield span
            if ASKS_NAME.search(line):
                prefix = SPEAKER.match(following)
                answer = following[prefix.end() :] if prefix else following
                answer = ANSWER_LEAD.sub(lambda m: " " * len(m.group()), answer)  # "its leanne"
                span = _line_span(next_start + len(following) - len(answer), answer, lower=True)
                if span:
                    yield span
    for match in AFTER_THE_FACT.finditer(text):
        words = match.group(1).split()
        lower = match.group(1) == match.group(1).lower()
        if looks_like_name(words, lower=lower):
            yield Span(match.start(1), match.end(1), "NAME", 0.7)
        elif len(words) == 2 and looks_like_name(words[1:], lower=lower):
            # "sir vignesh this side": the word before the name is a form of address
            yield Span(match.end(1) - len(words[1]), match.end(1), "NAME", 0.7)
    for match in LOWER_FROM_TEAM.finditer(text):
        word = match.group(1)
        if len(word) > 2 and looks_like_name([word], lower=True):
            yield Span(match.start(1), match.end(1), "NAME", 0.7)
