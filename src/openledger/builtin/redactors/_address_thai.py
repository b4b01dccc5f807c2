"""Addresses written in Thai.

A Thai address runs from the house to the province: «บ้านเลขที่ 123/45 หมู่ 6
ถนนสุขุมวิท แขวงคลองเตย เขตคลองเตย กรุงเทพฯ 10110», «99/1 ซอยลาดพร้าว 15
ถ.ลาดพร้าว ต.ช้างเผือก อ.เมือง จ.เชียงใหม่ 50000». Its parts, each a word led
by its type, are the house number (digits with an optional /digits, or led by
บ้านเลขที่, เลขที่), the village number (หมู่, ม.), an estate or building
(หมู่บ้าน, คอนโด, อาคาร), the lane (ซอย, ซ.), the road (ถนน, ถ.), the
sub-district (แขวง, ตำบล, ต.), the district (เขต, อำเภอ, อ.), the province
(จังหวัด, จ., or Bangkok: กรุงเทพฯ, กรุงเทพมหานคร, กทม.) and a five-digit
postcode, which ends the address; digits may be Thai (๐-๙).

An address is taken where it reaches a house number: «บ้านเลขที่ 45» alone, a
number or «เลขที่ 7/3» followed by at least one part, or a village number
followed by one; a chain of two parts or more is also taken when a postcode
closes it, and a postcode after รหัสไปรษณีย์. A road named alone
(«สาขาที่ถนนสีลม») is a place, and «ม.ค.», «ต.ค.» (January, October) are
dates, not a village or a sub-district.
"""

from __future__ import annotations

from collections.abc import Iterator

from openledger import patterns
from openledger.builtin.redactors._name_thai import THAI, THAI_LETTER
from openledger.records import Span

DIGIT = "0-9\u0E50-\u0E59"
_NUM = rf"[{DIGIT}]{{1,5}}(?:/[{DIGIT}]{{1,5}})?(?![{DIGIT}])"
_NOT_DATE = rf"(?![{THAI_LETTER}]\.)"  # «ต.ค.», «ม.ค.»: months, not a sub-district or a village
_VILLAGE = rf"หมู่ที่|หมู่(?!บ้าน)|ม\.(?=[ \t]?[{DIGIT}])"
_NAMED = rf"หมู่บ้าน|คอนโด|อาคาร|ซอย|ซ\.|ถนน|ถ\.|แขวง|ตำบล|ต\.{_NOT_DATE}|เขต|อำเภอ|อ\.{_NOT_DATE}|จังหวัด|จ\.{_NOT_DATE}"
_BANGKOK = r"กรุงเทพมหานคร|กรุงเทพฯ|กรุงเทพ|กทม\.?"
#: words a place's name does not start with: «3 เขตแล้ว…» counts districts
_NOT_PLACE = "แล้ว|แต่|ที่|ไม่|ได้|ก็|จะ|ของ|ให้|และ|กับ|นี้|นั้น|ละ|เลย|ด้วย|ครับ|ค่ะ|คะ"
#: the types of the parts that may follow a house number
_TYPES = f"{_VILLAGE}|{_NAMED}"
#: a place's name: Thai letters up to the next part's type, and a number after a space («ซอยลาดพร้าว 15», «ถนนพระราม 9»)
_NAME = (rf"(?!{_NOT_PLACE})(?:(?!{_TYPES}|{_BANGKOK})[{THAI_LETTER}]){{1,30}}"
         rf"(?:[ \t]?[{DIGIT}]{{1,4}}(?![{DIGIT}/]))?")
PART = patterns.anchored(
    rf"(?P<village>(?:{_VILLAGE})[ \t]*{_NUM})|(?:ซอย|ซ\.)[ \t]*{_NUM}|(?:{_NAMED})[ \t]*{_NAME}"
    rf"|(?:ชั้น|ห้อง)[ \t]*{_NUM}|{_BANGKOK}")
POSTCODE = patterns.anchored(rf"[{DIGIT}]{{5}}(?![{DIGIT}])")
SEPARATOR = patterns.anchored(r"[ \t]*,?[ \t]*")
#: where an address starts: a house number led by its word, a number before a part, or any part
START = patterns.compile(
    rf"(?P<house>(?:บ้านเลขที่|เลขที่)[ \t]*:?[ \t]*{_NUM})"
    rf"|(?<![{DIGIT}/.,:-])(?P<number>{_NUM})(?=[ \t]*,?[ \t]*(?:{_TYPES}))"
    rf"|(?P<part>{_TYPES}|{_BANGKOK})")
POSTCODE_CUED = patterns.compile(rf"รหัสไปรษณีย์[ \t]*:?[ \t]*(?P<postcode>[{DIGIT}]{{5}})(?![{DIGIT}])")


def _grow(text: str, end: int) -> tuple[int, int, bool]:
    """Where the parts from ``end`` on end, how many there were, and whether a postcode closed them."""
    parts = 0
    while True:
        separator = SEPARATOR.match(text, end)
        pos = separator.end() if separator else end
        postcode = POSTCODE.match(text, pos) if parts and pos > end else None
        if postcode:
            return postcode.end(), parts, True
        part = PART.match(text, pos)
        if not part:
            return end, parts, False
        end, parts = part.end(), parts + 1


def thai_addresses(text: str) -> Iterator[Span]:
    """Addresses in Thai (see the module docstring)."""
    if not THAI.search(text):
        return
    taken = 0
    for match in START.finditer(text):
        if match.start() < taken:
            continue
        if match.group("part"):
            # a chain of parts: closed by a postcode, or led by a village number («หมู่ 3 ต.… อ.…»)
            end, parts, closed = _grow(text, match.start())
            first = PART.match(text, match.start())
            if parts < 2 or not (closed or (first and first.group("village"))):
                continue
        else:
            end, parts, closed = _grow(text, match.end())
            if match.group("number") and parts == 0:
                continue
            if match.group("house") and parts == 0 and not match.group().startswith("บ้าน"):
                continue  # «เลขที่ 12345» alone may be an order's number
        taken = end
        yield Span(match.start(), end, "ADDRESS", 0.8)
    for match in POSTCODE_CUED.finditer(text):
        yield Span(match.start("postcode"), match.end("postcode"), "ADDRESS", 0.8)
