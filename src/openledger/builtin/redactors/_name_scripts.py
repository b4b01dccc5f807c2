"""Names written in another script inside a Latin-script text.

A customer writing English (or French, Spanish...) who gives a name in
Cyrillic, Greek, Arabic, Hebrew, Devanagari or Chinese characters is almost
always naming a person: the surrounding text is in Latin script, so a short
run in another script stands out. Such a run is a name when:

- it follows a cue for a person in the Latin text ("my name is", "this is",
  "I'm", "my colleague", "the courier", "thanks", "spoke to", "Mr"...) or a
  Chinese one ("我是", "我叫");
- it is two or three capitalised Cyrillic or Greek words ("Иван Петров"),
  the shape of a first name and surname in those scripts;
- it is a line of its own under a sign-off ("Regards,\\nΓιώργος ...");
- it is two or three Chinese characters before a title (张经理, 王先生, 李女士)
  or before "(account holder)"-like brackets.

Texts mostly in that script are left alone: there every word is in it and
only the Latin-script rules apply.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from openledger import patterns
from openledger.builtin.redactors._name_structure import SIGN_OFF_WORDS
from openledger.records import Span

CYR = r"\u0400-\u04FF"
GREEK = r"\u0370-\u03FF\u1F00-\u1FFF"
ARABIC = r"\u0600-\u06FF"
HEBREW = r"\u0590-\u05FF"
DEVA = r"\u0900-\u097F"
HAN = r"\u4E00-\u9FFF"
SCRIPT_WORD = rf"(?:[{CYR}]+|[{GREEK}]+|[{ARABIC}]+|[{HEBREW}]+|[{DEVA}]+)"
RUN = rf"{SCRIPT_WORD}(?:[ \t]+{SCRIPT_WORD}){{0,2}}"
HAN_NAME = rf"[{HAN}]{{2,3}}"
PERSON_CUE = (
    r"my\s+name\s+is|name\s*:|this\s+is|i\s+am|i'm|i’m|im|it's|its|called|named|"
    r"(?:my|our|the|your)\s+(?:colleague|courier|driver|agent|rep|representative|manager|engineer|technician|advisor|adviser|"
    r"mother|mum|mom|father|dad|wife|husband|son|daughter|brother|sister|friend|neighbour|neighbor|landlord|tenant|boss)|"
    r"courier|driver|agent|advisor|adviser|thanks|thank\s+you|thx|spoke\s+to|talked\s+to|spoke\s+with|dear|hi|hello|"
    r"mr\.?|mrs\.?|ms\.?|dr\.?|sir|madam|from|by|to|with|ask\s+for|contact\s*:?"
)
CUED = patterns.compile(rf"(?i:\b(?:{PERSON_CUE}))[ \t,:]*({RUN}|{HAN_NAME})(?![{HAN}])")
ZH_INTRO = patterns.compile(rf"(?:我是|我叫|我姓|本人)({HAN_NAME})(?=[，,。.!！ \t\n]|$|[A-Za-z])")
ZH_TITLE = patterns.compile(rf"(?<![{HAN}])([{HAN}]{{1,2}}(?:经理|經理|先生|女士|小姐|老师|老師|医生|醫生|总|總))")
ZH_BRACKET = patterns.compile(rf"(?<![{HAN}])({HAN_NAME})(?=[ \t]*[(（])")
TITLED_PAIR = patterns.compile(r"(?<![\w])((?:[А-ЯЁ][а-яё]+|[Α-ΩΆΈΉΊΌΎΏ][α-ωάέήίόύώϊϋΐΰς]+)(?:[ \t]+(?:[А-ЯЁ][а-яё]+|[Α-ΩΆΈΉΊΌΎΏ][α-ωάέήίόύώϊϋΐΰς]+)){1,2})(?![\w])")
SIGN_OFF = patterns.compile(rf"(?im)^[ \t]*(?:{SIGN_OFF_WORDS}|warm\s+regards|yours\s+\w+|--)[ \t]*,?[ \t]*\n[ \t]*({RUN}|{HAN_NAME})[ \t]*$")


def _latin_text(text: str) -> bool:
    """Most words are in Latin script (two Chinese or Japanese characters count as a word)."""
    cjk = len(re.findall(r"[\u3040-\u30FF\u4E00-\u9FFF]", text))
    latin = other = 0
    for token in re.sub(r"[\u3040-\u30FF\u4E00-\u9FFF]", " ", text).split():
        if re.search(r"[A-Za-z\u00C0-\u024F]", token):
            latin += 1
        elif any(c.isalpha() for c in token):
            other += 1
    return latin > 0 and latin >= other + cjk / 2


def script_names(text: str) -> Iterator[Span]:
    """Names in a non-Latin script inside a mostly Latin-script text (see the module docstring)."""
    if text.isascii():
        return
    for match in SIGN_OFF.finditer(text):
        yield Span(match.start(1), match.end(1), "NAME", 0.75)  # a Latin sign-off says what follows is a name
    if not _latin_text(text):
        return
    for pattern in (CUED, ZH_INTRO, ZH_TITLE, ZH_BRACKET, TITLED_PAIR):
        for match in pattern.finditer(text):
            yield Span(match.start(1), match.end(1), "NAME", 0.75)
