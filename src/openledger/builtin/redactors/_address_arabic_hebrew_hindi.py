"""Addresses written in Arabic script, Hebrew or Devanagari (Hindi).

An address is taken only where it reaches a house number (a street or a
district named alone is a place: «فرعكم في شارع التحلية», «הסניף ברחוב
דיזנגוף», «सेक्टर 18 वाले स्टोर»); digits may be Western, Arabic-Indic (٠-٩),
Persian (۰-۹) or Devanagari (०-९):

- Arabic: an optional district (حي, منطقة) and a comma, then a street (شارع,
  طريق, جادة) with its name and number («شارع الملك فهد 25»), or, in
  Egypt's order, the number first («15 شارع التحرير»);
- Hebrew: a street (רחוב, רח׳, שדרות, דרך, סמטת, כיכר), also after a
  preposition joined to it (ברחוב, לדרך), its name and number («רחוב הרצל 12»,
  «12א»), and a town led by "in" without a comma («… 7 ברמת גן», not «12
  בבוקר»); a דרך (also "via") only with a town or postcode after it;
- Hindi: a house, flat or plot and its number («मकान नं. 45», «फ्लैट 302»),
  or a number and a comma before a street («12, गांधी मार्ग»).

Each then grows over its parts after a comma: a flat, building or floor and
its number (شقة, דירה, गली नं. 4, सेक्टर 12), a street or neighbourhood
(«लक्ष्मी नगर»), and a town of one or two words, followed by punctuation, the
end of the text or a postcode (5 digits in Saudi Arabia and Egypt, 7 in
Israel, a 6-digit Indian PIN), which ends the address. A number counting
something («شارع التحلية 3 مرات») is not a house number, and a stop word of
the language («، لكن المندوب …») is not a town.
"""

from __future__ import annotations

from collections.abc import Iterator

from openledger import patterns
from openledger.builtin.redactors._name_arabic_hebrew_hindi import (
    AR_WORD,
    ARABIC_LETTER,
    DEVA_LETTER,
    HE_WORD,
    HEBREW_LETTER,
    PUNCT_END,
    run_of_words,
    stops,
)
from openledger.records import Span

DIGIT = "0-9\u0660-\u0669\u06F0-\u06F9\u0966-\u096F"
_NUM = rf"(?<![{DIGIT}])[{DIGIT}]{{1,5}}(?![{DIGIT}])"

AR_STREET = patterns.compile(
    rf"(?<![{ARABIC_LETTER}])[وبل]?(?P<address>(?:(?:حي|منطقة)[ \t]+{AR_WORD}(?:[ \t]+{AR_WORD})?[ \t]*[،,][ \t]*)?"
    rf"(?:(?:شارع|طريق|جادة)(?P<name>(?:[ \t]+{AR_WORD}){{1,4}})[ \t]+(?:رقم[ \t]+)?(?P<number>{_NUM})"
    rf"|(?P<first>{_NUM})[ \t]*[،,]?[ \t]+(?:شارع|طريق|جادة)[ \t]+))")
HE_STREET = patterns.compile(
    rf"(?<![{HEBREW_LETTER}])[בלמוה]?(?P<address>(?P<type>רחוב|רח׳|רח'|רח\.|שדרות|שד׳|שד'|דרך|סמטת|כיכר)"
    rf"(?P<name>(?:[ \t]+{HE_WORD}){{1,3}})[ \t]+(?:מס(?:פר|׳|'|\.)?[ \t]*)?(?P<number>{_NUM}(?:[א-ת](?![א-ת]))?(?:/[{DIGIT}]{{1,4}})?))")
HI_HOUSE = patterns.compile(
    rf"(?<![{DEVA_LETTER}])(?P<address>(?:मकान|फ्लैट|प्लॉट|हाउस|क्वार्टर|म\.)(?:[ \t]*(?:नं\.?|नंबर|नम्बर|संख्या|सं\.))?"
    rf"[ \t]*[:-]?[ \t]*(?P<number>{_NUM})(?:[/-][{DIGIT}A-Za-z]{{1,4}})?)")
HI_NUMBER_FIRST = patterns.compile(rf"(?<![/.-])(?P<address>(?P<number>{_NUM}))[ \t]*,[ \t]*(?=[{DEVA_LETTER}])")

#: a part after a comma that carries its own number: a flat, building, floor, lane, sector or block
UNIT = {
    "ar": patterns.anchored(rf"(?:شقة|عمارة|مبنى|بناية|الدور|الطابق|فيلا)[ \t]+(?:رقم[ \t]+)?{_NUM}"),
    "he": patterns.anchored(rf"(?:דירה|קומה|כניסה|בניין)[ \t]*(?:מס(?:פר|׳|'|\.)?[ \t]*)?{_NUM}"),
    "hi": patterns.anchored(rf"(?:गली|सेक्टर|ब्लॉक|वार्ड|फेज़|फेज|फ्लोर|मंजिल)(?:[ \t]*(?:नं\.?|नंबर|नम्बर|संख्या))?[ \t]*[:-]?[ \t]*"
                            rf"{_NUM}(?:-?[A-Za-z])?"),
}
POSTCODE = {
    "ar": patterns.anchored(rf"[{DIGIT}]{{5}}(?![{DIGIT}])"),
    "he": patterns.anchored(rf"[{DIGIT}]{{7}}(?![{DIGIT}])"),
    "hi": patterns.anchored(rf"[1-9१-९][{DIGIT}]{{2}}[ \t]?[{DIGIT}]{{3}}(?![{DIGIT}])"),
}
SEPARATOR = patterns.anchored(r"[ \t]*(?:[,،][ \t]*|-[ \t]*|(?=[ \t]))[ \t]*")
#: between a town and its postcode: «جدة 23434», «लखनऊ - 226001»
POSTCODE_GAP = patterns.anchored(r"[ \t]*[-–,،]?[ \t]*")
#: a word of a Hindi street, colony or neighbourhood («गांधी मार्ग», «लक्ष्मी नगर»)
HI_STREET_WORD = ("नगर", "मार्ग", "रोड", "गली", "कॉलोनी", "कालोनी", "लेन", "चौक", "बाजार", "बाज़ार", "मोहल्ला", "विहार",
                  "एन्क्लेव", "अपार्टमेंट", "अपार्टमेंट्स", "सोसाइटी", "पथ", "पुरम", "पुर", "गंज", "बाग", "बाग़")
#: after a Hebrew house number "in" leads a town, or a time: «רחוב הרצל 12 בבוקר»
HE_WHEN = frozenset("בוקר ערב לילה צהריים צהרים שעה שעות דיוק סביבות זמן מועד יום ימים שבוע חודש אמצע סוף".split())
#: what a number after a street counts when it is not a house number
COUNTS = frozenset(
    "يوم أيام ايام ساعة ساعات مرة مرات أسبوع أسابيع شهر أشهر شهور سنة سنوات سنين ريال جنيه درهم دينار دقيقة دقائق "
    "روز ساعت بار سال "
    "יום ימים שעה שעות פעם פעמים שקל שקלים ש\"ח ש״ח דקות שבועות חודשים שנה שנים מוצרים פריטים אחוז".split())


def _grow(text: str, end: int, lang: str) -> tuple[int, bool]:
    """Where the address ending at ``end`` ends after its following parts, and whether a town or postcode came."""
    town = False
    for _ in range(6):
        separator = SEPARATOR.match(text, end)
        if not separator:
            break
        pos, comma = separator.end(), any(c in separator.group() for c in ",،")
        post = POSTCODE[lang].match(text, pos)
        if post:
            return post.end(), True  # a postcode ends the address
        unit = UNIT[lang].match(text, pos)
        if unit and (comma or lang != "ar"):
            end = unit.end()
            continue
        # a Hebrew town needs no comma when "in" leads it: «רחוב ביאליק 7 ברמת גן»
        led = lang == "he" and not comma and text[pos : pos + 1] == "ב"
        if not comma and not led:
            break
        words, after = run_of_words(text, pos + led, lang, most=3 if lang == "hi" else 2)
        if led and (not words or text[pos + 1 : words[0][1]] in HE_WHEN):
            break  # «רחוב הרצל 12 בבוקר»
        if not words:
            break
        stop = words[-1][1]
        street = lang == "hi" and any(text[s:e].endswith(HI_STREET_WORD) for s, e in words)
        gap = POSTCODE_GAP.match(text, stop)
        post = POSTCODE[lang].match(text, gap.end()) if gap and gap.end() > stop else None
        if post:
            return post.end(), True
        if not street and after not in PUNCT_END:
            break
        end, town = stop, town or not street
    return end, town


def _counts(text: str, end: int) -> bool:
    """The number ending at ``end`` counts something («3 مرات»)."""
    after = text[end : end + 30].split(maxsplit=1)
    return text[end : end + 1] in (" ", "\t") and bool(after) and after[0].rstrip(".,،!?؟") in COUNTS


def _clean(text: str, start: int, end: int, lang: str) -> bool:
    """Every word of a street name in ``text[start:end]`` may be one (no stop word: «شارع التحلية منذ 3»)."""
    return not any(stops(lang, word, True) for word in text[start:end].split())


def arabic_hebrew_hindi_addresses(text: str) -> Iterator[Span]:
    """Addresses in Arabic script, Hebrew or Hindi (see the module docstring)."""
    for match in AR_STREET.finditer(text):
        if match.group("first"):
            # «15 شارع التحرير»: the street's name runs to its first stop word or punctuation
            words, _ = run_of_words(text, match.end(), "ar")
            if not words:
                continue
            end = words[-1][1]
        else:
            if not _clean(text, *match.span("name"), "ar") or _counts(text, match.end()):
                continue
            end = match.end()
        yield Span(match.start("address"), _grow(text, end, "ar")[0], "ADDRESS", 0.8)
    for match in HE_STREET.finditer(text):
        if not _clean(text, *match.span("name"), "he") or _counts(text, match.end()):
            continue
        end, town = _grow(text, match.end(), "he")
        if match.group("type") == "דרך" and not town:
            continue  # דרך is also "via": «הזמנתי דרך האתר 2 …»
        yield Span(match.start("address"), end, "ADDRESS", 0.8)
    for match in HI_HOUSE.finditer(text):
        yield Span(match.start("address"), _grow(text, match.end(), "hi")[0], "ADDRESS", 0.8)
    for match in HI_NUMBER_FIRST.finditer(text):
        words, _ = run_of_words(text, match.end(), "hi")
        if words and any(text[s:e].endswith(HI_STREET_WORD) for s, e in words):
            yield Span(match.start("address"), _grow(text, match.end("number"), "hi")[0], "ADDRESS", 0.8)
