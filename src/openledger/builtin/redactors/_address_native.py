"""Addresses written in Japanese, Chinese, Korean, Cyrillic or Greek script.

Each follows its country's order, from the largest part to the smallest, and
is taken only where it reaches a house or block number (a ward, a district or
a street named alone is a place, not someone's address):

- Japanese: an optional 〒 postcode, prefecture (都, 道, 府, 県), city, ward,
  county, town or village (市, 区, 郡, 町, 村), the neighbourhood and its block
  numbers (「2-8-1」, 「2丁目8番1号」, 「1234番地」), then a building and its room
  (「グランドビル302号室」); a 〒 postcode alone;
- Chinese: an optional province (省, 自治区), the city (市, 州), an optional
  district (区, 县), the road (路, 街, 大道, 巷, 胡同, 弄) and its number (号),
  then building, unit, floor and room (栋, 单元, 楼, 层, 室);
- Korean: an optional province or metropolitan city (서울특별시, 경기도 ...), the
  city, county or district (시, 군, 구), the road or neighbourhood (로, 길, 동,
  읍, 면, 리) and its number (「152」, 「1234-5번지」), then floor and flat (층,
  동, 호);
- Russian: an optional city («г. Москва», «Санкт-Петербург,»), a street with
  its type (ул., улица, проспект, пер., шоссе, бульвар, наб. ..., before or
  after its name), the house (д. 5, 12а, 3/1) and the building and flat (корп.,
  стр., кв., офис);
- Greek: a street led by Οδός, Λεωφόρος or Πλατεία and its number, with the
  postcode and town after it; a five-digit postcode before a town.

A number that counts something (「2-3回」, 「5件」) is not a block number, and a
Japanese particle (の, で, に, を, は, が ...) between a place and a number ends
the place: 「町田市の店で2-3回」 is not an address.

Addresses in Arabic script, Hebrew and Devanagari are found by
:mod:`._address_arabic_hebrew_hindi`, addresses in Thai by :mod:`._address_thai`,
and returned with these.
"""

from __future__ import annotations

from collections.abc import Iterator

from openledger import patterns
from openledger.builtin.redactors._address_arabic_hebrew_hindi import arabic_hebrew_hindi_addresses
from openledger.builtin.redactors._address_thai import thai_addresses
from openledger.builtin.redactors._name_native import KANJI, KATAKANA
from openledger.records import Span

HIRAGANA_PLACE = r"ぁ-ゎゐゑゔかきくけこさしすせそたちつてなぬねぱ-ぽまみむめゃ-よらりるれろわ"  # no particle
DIGIT = r"[0-9０-９]"
DASH = r"[-－−‐]"
#: a count, not a block: 2-3回, 5件, 10円
_COUNTER = r"(?![0-9０-９]|回|個|人|日|時|分|秒|件|円|枚|本|年|月|週|%|％|割|度|倍|歳|才|台|点|通|名|箇所)"

JA_POSTCODE = rf"〒[ \t　]?{DIGIT}{{3}}{DASH}?{DIGIT}{{4}}"
_JA_PLACE = (rf"(?:[{KANJI}]{{2,3}}(?:都|道|府|県))?"
             rf"(?:[{KANJI}{KATAKANA}ー]{{1,6}}?(?:市|区|郡|町|村)){{1,3}}")
_JA_BLOCK = (rf"[{KANJI}{KATAKANA}{HIRAGANA_PLACE}ー]{{0,10}}?{DIGIT}{{1,5}}"
             rf"(?:(?:丁目|番地|番|号|{DASH}){DIGIT}{{0,5}}){{1,4}}{_COUNTER}")
_JA_ROOM = rf"(?:[ \t　]?[{KANJI}{KATAKANA}A-Za-zー]{{1,12}}?{DIGIT}{{1,5}}号室)?"
JA_ADDRESS = patterns.compile(rf"(?:{JA_POSTCODE}[ \t　]*)?{_JA_PLACE}{_JA_BLOCK}{_JA_ROOM}")
JA_POSTCODE_ALONE = patterns.compile(JA_POSTCODE)

ZH_ADDRESS = patterns.compile(
    # a province or city of two characters where Chinese runs on before it ("送到北京市": no space marks where
    # the verb ends), of up to three after anything else
    rf"(?:(?:(?<![{KANJI}])[{KANJI}]{{2,3}}|[{KANJI}]{{2}})(?:省|自治区|自治區))?"
    rf"(?:(?<![{KANJI}])[{KANJI}]{{2,3}}?|[{KANJI}]{{2}})(?:市|州(?!市)|盟)(?:[{KANJI}]{{1,4}}?(?:区|區|县|縣|市|旗))?"
    rf"[{KANJI}0-9]{{1,10}}?(?:大街|大道|路|街|道|巷|胡同|弄|里){DIGIT}{{1,5}}(?:号|號)"
    rf"(?:{DIGIT}{{1,5}}(?:栋|棟|幢|座|单元|單元|楼|樓|层|層|室|号|號))*")

_KO_PROVINCE = ("서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충청북|충청남|충북|충남|전라북|전라남|전북|전남|"
                "경상북|경상남|경북|경남|제주")
KO_ADDRESS = patterns.compile(
    rf"(?<![가-힣])(?:(?:{_KO_PROVINCE})(?:특별시|광역시|특별자치시|특별자치도|도|시)? ?)?"
    r"(?:[가-힣]{1,5}(?:시|군|구) ?){1,2}[가-힣0-9]{1,12}(?:로|길|동|읍|면|리) ?[0-9]{1,5}(?:-[0-9]{1,5})?(?:번지|번길)?"
    r"(?:,? ?[0-9]{1,5}(?:층|호실|호|동))*")

# words of at most 31 letters, so that every capital inside a long run reads a few characters, not the rest of the run
_CYR_WORD = r"[А-ЯЁ][а-яё-]{1,30}"
_CYR_NAME = rf"[А-ЯЁ0-9][А-ЯЁа-яё0-9-]{{0,30}}(?:[ \t]+{_CYR_WORD}){{0,2}}"
_RU_TYPE = (r"(?i:ул\.|улица|пр\.|пр-т|проспект|пер\.|переулок|ш\.|шоссе|наб\.|набережная|б-р|бульвар|пл\.|площадь|"
            r"проезд|мкр\.|микрорайон|тупик)")
_RU_STREET = rf"(?:{_RU_TYPE}[ \t]*{_CYR_NAME}|{_CYR_WORD}(?:[ \t]+{_CYR_WORD})?[ \t]+{_RU_TYPE})"
RU_ADDRESS = patterns.compile(
    rf"(?:(?:(?:г\.|город)[ \t]*)?{_CYR_WORD}(?:-[А-ЯЁ]?[а-яё]{{1,30}})?,[ \t]*(?={_RU_TYPE}|{_CYR_WORD}[ \t]+{_RU_TYPE}))?"
    rf"{_RU_STREET},?[ \t]*(?:(?:д\.|дом)[ \t]*)?[0-9]{{1,4}}[а-яА-Я]?(?:/[0-9]{{1,4}})?(?![0-9])"
    r"(?:,?[ \t]*(?:корп\.|корпус|к\.|стр\.|строение)[ \t]*[0-9]{1,4})?(?:,?[ \t]*(?:кв\.|квартира|оф\.|офис)[ \t]*[0-9]{1,5})?")

_GR_WORD = r"[Α-ΩΆΈΉΊΌΎΏ][α-ωάέήίόύώϊϋΐΰς]{1,30}"
_GR_POSTAL = rf"(?:Τ\.?Κ\.?[ \t]*)?[0-9]{{3}}[ \t]?[0-9]{{2}}(?:[ \t]+{_GR_WORD})?"
GR_ADDRESS = patterns.compile(
    rf"(?:Οδός|οδός|Οδ\.|Λεωφόρος|λεωφόρος|Λεωφ\.|Πλατεία|πλατεία)[ \t]+{_GR_WORD}(?:[ \t]+{_GR_WORD})?[ \t]+[0-9]{{1,4}}"
    rf"[α-ωΑ-Ω]?(?![0-9])(?:,?[ \t]*{_GR_POSTAL})?")
GR_POSTAL_TOWN = patterns.compile(rf"(?<![0-9])[0-9]{{3}}[ \t]?[0-9]{{2}}[ \t]+{_GR_WORD}")

_KANA = patterns.compile(r"[\u3040-\u30FF]")


def native_addresses(text: str) -> Iterator[Span]:
    """Addresses in Japanese, Chinese, Korean, Cyrillic, Greek, Arabic, Hebrew, Devanagari or Thai script (see the module
    docstrings). The Japanese forms are read only in a text with kana (Chinese has none, and its 中关村 is not a
    village)."""
    if text.isascii():
        return
    rules = (JA_ADDRESS, JA_POSTCODE_ALONE) if _KANA.search(text) else ()
    for pattern in (*rules, ZH_ADDRESS, KO_ADDRESS, RU_ADDRESS, GR_ADDRESS, GR_POSTAL_TOWN):
        for match in pattern.finditer(text):
            yield Span(match.start(), match.end(), "ADDRESS", 0.8)
    yield from arabic_hebrew_hindi_addresses(text)
    yield from thai_addresses(text)
