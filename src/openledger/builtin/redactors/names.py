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

from openledger import hookimpl, patterns
from openledger.builtin.redactors._base import Redactor
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
from openledger.builtin.redactors._name_lists import COMMON_SURNAMES, STOP
from openledger.builtin.redactors._name_native import mentioned_again, native_names
from openledger.builtin.redactors._name_patterns import (
    AGENT,
    CALL_NOTE,
    CAPS_CONTEXT,
    FROM_TEAM,
    GREETING,
    INTRO,
    INTRO_STRONG,
    KIN,
    LOWER_CONTEXT,
    LOWER_TITLE,
    NOTE,
    PARTICLE,
    PERSON_ONLY,
    PERSON_VERB,
    THANKS_TO,
    TITLE,
    TOKEN,
    WORD,
)
from openledger.builtin.redactors._name_scripts import script_names
from openledger.builtin.redactors._name_structure import structural_names
from openledger.builtin.redactors.addresses import find_addresses
from openledger.records import Span


def _clean(tokens: list[re.Match]) -> list[re.Match]:
    """Drop trailing stop words and acronyms from a run of name tokens."""
    while tokens and (_stops(tokens, len(tokens) - 1) or _acronym(tokens[-1].group())):
        tokens = tokens[:-1]
    return tokens


def _stops(tokens: list[re.Match], i: int) -> bool:
    """Token ``i`` is a stop word ending a name, unless a Vietnamese middle name comes before it ("Nguyen Van An")."""
    word = tokens[i].group()
    if word.lower() not in STOP:
        return False
    return not (i and word[0].isupper() and tokens[i - 1].group() in ("Van", "Văn", "Thi", "Thị"))


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
            if span and pattern in (INTRO, KIN) and looks_like_thing(text, span.start, span.end):
                span = None  # "for Florence office", "with the Dell laptop"
            if span and pattern is GREETING and re.search(r"[.!][ \t]*$", text[match.start() : span.start]):
                # "Thank you so much! Merry Christmas": after a full stop a capital starts a sentence,
                # a name only when it stands alone ("Thanks! Sarah")
                if text[span.end : span.end + 1] not in ("", ",", "!", ".", "\n", "\r") and not re.match(r"[ \t]*[-–—]", text[span.end :]):
                    span = None
            if span and pattern is AGENT and ":" in text[match.start() : span.start] and is_common_word(text[span.start : span.end].split()[0]):
                span = None  # a chat's speaker label: "Agent: Can I take your DOB?" is speech, "Agent: Priya" a name
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
            if word.lower() in STOP or _acronym(word) or is_common_word(word) or len(word) < 3:
                continue
            # a known first name, or a rare word that is not a place ("Shaz from billing", "Tobenna said")
            rare = zipf_frequency(word.lower(), "en") < 3.0 and not is_place(word) and word[1:].islower()
            if is_first_name(word) or (rare and (pattern is not PERSON_VERB or PERSON_ONLY.match(text, match.end()))):
                yield Span(match.start(1), match.end(1), "NAME", 0.75)
    for match in LOWER_TITLE.finditer(text):
        word = match.group(1)
        if len(word) > 2 and word not in STOP and not is_common_word(word):
            yield Span(match.start(1), match.end(1), "NAME", 0.75)
    for match in NOTE.finditer(text):
        words = [w for w in match.group(1).split() if "'" not in w and "’" not in w]
        # "cust ramakrishnan called": before a verb of calling, a rare word is a name
        if words and (is_first_name(words[0]) or _unknown(words[0], 2.5)) and words[0] not in STOP and not is_common_word(words[0]):
            taken = words[:1]
            for word in words[1:]:
                if word in STOP or (is_common_word(word) and word not in COMMON_SURNAMES):
                    break
                taken.append(word)
            yield Span(match.start(1), match.start(1) + len(" ".join(taken)), "NAME", 0.75)
    for match in [*LOWER_CONTEXT.finditer(text), *CALL_NOTE.finditer(text)]:
        words = match.group(1).split()
        # a call note ("cb to gethin re boiler") takes any known first name that is not an everyday word
        least = 1 if match.re is CALL_NOTE else 5
        known = name_frequency(words[0]) >= least and (name_frequency(words[0]) >= 5 or zipf_frequency(words[0], "en") < 3.9)
        if words and words[0] not in STOP and not is_common_word(words[0]) and (known or (least == 1 and _unknown(words[0]))):
            end = match.start(1) + len(words[0])
            second = words[1] if len(words) > 1 else ""
            if second and not is_common_word(second) and (least == 5 or is_first_name(second) or _unknown(second) or second in COMMON_SURNAMES):
                end = match.start(1) + len(" ".join(words[:2]))
            yield Span(match.start(1), end, "NAME", 0.75)


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
        while j + 1 < len(tokens) and j - i < 2:
            nxt = tokens[j + 1]
            gap = text[tokens[j].end() : nxt.start()]
            if "\n" in gap or not re.fullmatch(rf"\s+(?:{PARTICLE}\s+){{0,2}}", gap):
                break
            nxt_word = nxt.group()
            if _stops(tokens, j + 1) or _acronym(nxt_word):
                break
            if not re.fullmatch(r"[A-Z]\.", nxt_word) and nxt_word.lower() not in COMMON_SURNAMES and zipf_frequency(nxt_word.lower(), "en") >= 4.0 and not is_first_name(nxt_word):
                break
            j += 1
        if j == i and (is_common_word(word) or (_sentence_start(text, tokens[i].start()) and name_frequency(word) < 4)):
            # a lone first name without context must not be an everyday word, and at the start
            # of a sentence (where every word is capitalised) it must be a frequent name
            i += 1
            continue
        if j > i and is_common_word(word) and is_common_word(tokens[i + 1].group()):
            i += 1
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
        spans.extend(Span(m.start(), m.end(), "NAME", 0.7) for m in pattern.finditer(text))
    spans += list(mentioned_again(text, spans))
    return spans


@hookimpl
def register_redactors(register, config):
    """Register the person-name redactor."""
    register(Redactor("name", find_names, description="person names (dictionary and context)"))
