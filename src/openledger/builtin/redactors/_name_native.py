"""Names in texts written in Japanese, Chinese, Korean, Cyrillic or Greek script.

A customer writing in their own script names people the way that language does,
not with the capitalised words and English cues the other name rules read: a
Japanese complaint says 「山田太郎です」 or 「担当の鈴木さん」, a Chinese one
「我叫王小明」 or 「张经理」, a Korean one 「김민수입니다」 or 「상담원 박지훈 님」, a
Russian one «меня зовут Иван Петров» or «оператор Анна». A name is found only
where the language itself says a person is meant, and where the writing leaves
a word looking like a name:

- **self-introductions**: Japanese 「…と申します」「…といいます」 (any run of kanji
  or katakana before them) and 「…です」 at the start of a sentence (a run that
  begins with a common surname: 「問題です」 is not a name); Chinese 「我叫」「我姓」 and
  「我是」 followed by a common surname; Korean 「…입니다」「…인데요」「…고객입니다」 at
  the start of the text or after 「저는」「제 이름은」 (a common surname and two
  syllables: 「이것입니다」 is not a name);
- **honorifics and titles**: Japanese さん, 様, さま, 氏, 殿, くん, 君, ちゃん after a
  run that holds a common surname (「お客様」, 「店長さん」 and 「配達員さん」 are not names);
  Chinese 经理, 先生, 女士, 小姐, 老师, 医生, 师傅 after a common surname; Korean 님, 씨,
  고객님 after a common surname and two syllables;
- **roles and introductions in Cyrillic and Greek**: a capitalised word or two
  after «меня зовут», «оператор», «курьер», «сотрудник», «с уважением,» ...
  (ονομάζομαι, υπάλληλος, κυρία ...), and any first name followed by a
  patronymic («Андрей Николаевич»).

The surname lists hold the most common surnames of each language (about 120
Japanese, 100 Chinese and 60 Korean ones, together the surnames of most people
of each country); a rarer surname is found only by a self-introduction that
does not need one (「…と申します」, 「我叫」).

Names in Arabic script, Hebrew and Devanagari, which have no capitals either,
are found by :mod:`._name_arabic_hebrew_hindi`, names in Thai by
:mod:`._name_thai`, and returned with these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from openledger import patterns
from openledger.builtin.redactors._name_arabic_hebrew_hindi import arabic_hebrew_hindi_names
from openledger.builtin.redactors._name_thai import THAI, inside_word, thai_names
from openledger.records import Span

KANJI = r"\u4E00-\u9FFF\u3005"  # with 々, the repetition mark of names such as 佐々木
KATAKANA = r"\u30A0-\u30FF"
HANGUL = r"\uAC00-\uD7A3"

JA_SURNAMES = (
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 渡邊 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 斉藤 清水 山崎 森 "
    "池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本 福田 太田 西村 藤井 "
    "金子 岡本 藤原 中野 三浦 原田 中川 松田 竹内 小野 田村 中山 和田 石田 森田 上田 原 柴田 酒井 工藤 横山 宮崎 宮本 "
    "内田 高木 安藤 島田 谷口 大野 高田 丸山 今井 河野 藤本 村田 武田 上野 杉山 増田 小山 大塚 平野 菅原 久保 松井 "
    "千葉 岩崎 桜井 木下 野口 松尾 菊地 野村 新井 渡部 佐野 杉本 古川 大西 浅野 服部 北村 市川 小島 吉川 水野 五十嵐 "
    "東 西田 菅野 樋口 福島 大久保 星野 田辺 永井 荒木 小西 久保田 松岡 黒田 川口 内藤 本田 片山"
).split()
ZH_SURNAMES = (
    "王 李 张 張 刘 劉 陈 陳 杨 楊 黄 黃 赵 趙 吴 吳 周 徐 孙 孫 马 馬 朱 胡 郭 何 高 林 罗 羅 郑 鄭 梁 谢 謝 宋 唐 许 許 "
    "韩 韓 冯 馮 邓 鄧 曹 彭 曾 肖 蕭 田 董 袁 潘 于 蒋 蔣 蔡 余 杜 叶 葉 程 苏 蘇 魏 吕 呂 丁 任 沈 姚 卢 盧 姜 崔 钟 鍾 谭 譚 "
    "陆 陸 汪 范 金 石 廖 贾 賈 夏 韦 韋 付 方 白 邹 鄒 孟 熊 秦 邱 江 尹 薛 闫 段 雷 侯 龙 龍 史 陶 黎 贺 賀 顾 顧 毛 郝 龚 "
    "邵 万 萬 钱 錢 严 嚴 覃 武 戴 莫 孔 向 汤 湯 欧阳 歐陽 司马 司馬 上官 诸葛 諸葛"
).split()
KO_SURNAMES = (
    "김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 남 심 노 하 곽 성 차 주 우 구 "
    "민 진 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 설 마 길 연 위 표 명 기 반 왕 금 옥 육 인 맹 제 모 탁 국 은 "
    "편 용 남궁 황보 제갈 선우 독고"
).split()


def _alternation(names: list[str]) -> str:
    return "|".join(sorted(names, key=len, reverse=True))


JA_SURNAME = _alternation(JA_SURNAMES)
#: before です only a surname of two characters or more: 「原因です」, 「東京です」 and 「森です」 start as 原, 東 and 森 do
JA_LONG_SURNAME = _alternation([name for name in JA_SURNAMES if len(name) > 1])
ZH_SURNAME = _alternation(ZH_SURNAMES)
KO_SURNAME = _alternation(KO_SURNAMES)

#: where a sentence or clause starts in Japanese text (or the text does)
_JA_START = r"(?:^|(?<=[。、！？!?\s「『（(：:]))"
_JA_PRONOUN = r"(?:私は|わたしは|わたくしは|僕は|ぼくは|俺は)?"
JA_SAYS_NAME = patterns.compile(
    rf"{_JA_START}{_JA_PRONOUN}([{KANJI}]{{1,5}}|[{KATAKANA}]{{2,12}})(?=と申します|と申し上げます|といいます|と言います)")
JA_IS = patterns.compile(
    rf"{_JA_START}{_JA_PRONOUN}((?:{JA_LONG_SURNAME})[{KANJI}]{{0,3}})(?=です|でございます)")
JA_HONORIFIC = patterns.compile(
    rf"((?:{JA_SURNAME})[{KANJI}]{{0,3}})(?=さん|様|さま|氏|殿|くん|君|ちゃん)")

ZH_NAMED = patterns.compile(rf"(?:我叫|我的名字是|我的名字叫|本人叫)([{KANJI}]{{2,4}}?)(?=[，,。.!！？? \t\n、；;]|$)")
ZH_SURNAMED = patterns.compile(rf"我姓((?:{ZH_SURNAME})|[{KANJI}])")
ZH_I_AM = patterns.compile(rf"(?:我是|本人)((?:{ZH_SURNAME})[{KANJI}]{{1,2}})(?=[，,。.!！？? \t\n、；;]|$)")
ZH_TITLED = patterns.compile(
    rf"((?:{ZH_SURNAME})[{KANJI}]{{0,2}}?(?:经理|經理|先生|女士|小姐|老师|老師|医生|醫生|师傅|師傅))")

#: the start of the text or of a sentence (one space after its stop), or after "I am", "my name is", "hello"
_KO_START = r"(?:^|(?<=[.!?。\n])|(?<=[.!?。] )|(?:저는|전|제 ?이름은|안녕하세요[.,!]?) ?)"
KO_IS = patterns.compile(
    rf"{_KO_START}((?:{KO_SURNAME})[{HANGUL}]{{2}})(?=입니다|이에요|예요|인데요|이라고\s*합니다|라고\s*합니다|\s*고객입니다)")
KO_HONORIFIC = patterns.compile(rf"(?<![{HANGUL}])((?:{KO_SURNAME})[{HANGUL}]{{2}})\s?(?=님|씨|고객님)")

_CYR_WORD = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_CYR_NAME = rf"{_CYR_WORD}(?:[ \t]+{_CYR_WORD}){{0,2}}"
CYR_CUED = patterns.compile(
    r"(?i:\b(?:меня\s+зовут|мо[её]\s+имя|я\s*[—–-]|оператор|операторы|курьер|водитель|сотрудник|сотрудница|"
    r"специалист|менеджер|мастер|консультант|монтажник|техник|кассир|продавец|продавщица|господин|госпожа|"
    r"г-н|г-жа|уважаем(?:ый|ая)|с\s+уважением,?|спасибо))"
    rf"[ \t,:]*\n?[ \t]*({_CYR_NAME})(?![а-яё])")
CYR_PATRONYMIC = patterns.compile(
    rf"(?<![а-яёА-ЯЁ])({_CYR_WORD}[ \t]+[А-ЯЁ][а-яё]+(?:ович|евич|ич|овна|евна|ична|инична)(?:[ \t]+{_CYR_WORD})?)"
    r"(?![а-яё])")
_GR_WORD = r"[Α-ΩΆΈΉΊΌΎΏ][α-ωάέήίόύώϊϋΐΰς]+"
GR_CUED = patterns.compile(
    r"(?i:(?:ονομάζομαι|με\s+λένε|λέγομαι|υπάλληλος|υπάλληλο|κύριος|κύριο|κυρία|κ\.|τεχνικός|τεχνικό|οδηγός|οδηγό|"
    r"συνάδελφος|με\s+εκτίμηση,?))"
    rf"[ \t,:]*\n?[ \t]*({_GR_WORD}(?:[ \t]+{_GR_WORD}){{0,2}})(?![α-ωάέήίόύώϊϋΐΰς])")

_RULES = (JA_SAYS_NAME, JA_IS, JA_HONORIFIC, ZH_NAMED, ZH_SURNAMED, ZH_I_AM, ZH_TITLED, KO_IS, KO_HONORIFIC,
          CYR_CUED, CYR_PATRONYMIC, GR_CUED)


def native_names(text: str) -> Iterator[Span]:
    """Names that a Japanese, Chinese, Korean, Cyrillic, Greek, Arabic-script, Hebrew, Hindi or Thai text marks as
    such (see the module docstrings)."""
    if text.isascii():
        return
    for pattern in _RULES:
        for match in pattern.finditer(text):
            yield Span(match.start(1), match.end(1), "NAME", 0.75)
    yield from arabic_hebrew_hindi_names(text)
    yield from thai_names(text)


#: scripts written without spaces between words: a name is found again wherever its characters are
_UNSPACED = re.compile(r"[\u3040-\u30FF\u4E00-\u9FFF\u3005\uAC00-\uD7A3\u0E00-\u0E7F]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
#: letters that join a following word in Arabic script (and, so, with, for, as; the article) and in Hebrew
#: (and, the, in, to, from, that, as): «وأحمد», «لأحمد», «ודוד», «לדוד»
_ARABIC_PREFIX = r"(?:[وفبلك]?(?:ال)?)"
_HEBREW_PREFIX = r"(?:[וש]?[הבלמכ]?)"
#: case endings of a Russian name («Ивана», «Петрову», «Петровым»)
_CYRILLIC_ENDING = r"(?:[а-яё]{1,3})?"


def _mention(name: str) -> re.Pattern[str]:
    """Where ``name`` (a name written in a script other than Latin) is written again."""
    escaped = re.escape(name)
    if _UNSPACED.search(name):
        return re.compile(f"({escaped})")
    before, after = r"(?<![^\W\d_])", r"(?![^\W\d_])"
    if re.search(r"[\u0600-\u06FF]", name):
        return re.compile(f"{before}{_ARABIC_PREFIX}({escaped}){after}")
    if re.search(r"[\u0590-\u05FF]", name):
        return re.compile(f"{before}{_HEBREW_PREFIX}({escaped}){after}")
    if re.search(r"[\u0400-\u04FF]", name):
        return re.compile(f"{before}({escaped}{_CYRILLIC_ENDING}){after}")
    return re.compile(f"{before}({escaped}){after}")


def _own_script(name: str) -> bool:
    return any(c.isalpha() for c in name) and not _LATIN.search(name)


def mentioned_again(text: str, spans: Iterable[Span]) -> Iterator[Span]:
    """Every other place a name found in a script other than Latin is written in ``text``.

    A cue finds a name once («Меня зовут Иван Петров», 「山田太郎です」, «اسمي أحمد
    محمد»); the customer then writes it again without one («заказ на Ивана
    Петрова», 「山田太郎宛」, «باسم أحمد محمد»). The whole name is found again
    wherever it is written (with the letters Arabic and Hebrew join to a word in
    front, and a Russian case ending after), and so is each word of three letters
    or more of a name of several words («Иван», «Петров», «أحمد», «כהן»), as the
    Latin-script rules find each word of a name again. A word of such a name that
    is also an everyday word («سعيد», happy; «אמיר») is then taken wherever it
    is written: in these scripts no list tells a name from a word, and a name
    left in the text is the worse mistake. In Japanese, Chinese and Korean,
    written without spaces, the name is found wherever its characters are, and a
    Japanese surname of two characters or more when the name began with one
    (「山田太郎です … 山田が」).
    """
    if text.isascii():
        return
    names: set[str] = set()
    for span in spans:
        name = text[span.start:span.end].strip()
        if not _own_script(name):
            continue
        names.add(name)
        words = name.split()
        if len(words) > 1:
            names.update(w for w in words if sum(c.isalpha() for c in w) >= 3)
        elif _UNSPACED.search(name):
            surname = next((s for s in sorted(JA_SURNAMES, key=len, reverse=True)
                            if len(s) > 1 and name.startswith(s) and len(name) > len(s)), None)
            if surname:
                names.add(surname)
    for name in sorted(names, key=len, reverse=True):
        thai = THAI.search(name) is not None
        for match in _mention(name).finditer(text):
            if thai and inside_word(text, match.start(1), match.end(1)):  # «เอก» in «เอกสาร» is a document
                continue
            yield Span(match.start(1), match.end(1), "NAME", 0.7)
