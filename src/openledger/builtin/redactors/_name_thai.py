"""Names in texts written in Thai.

Thai writes no spaces between words, and no capitals: «ผมชื่อสมชาย ใจดี
สั่งของไปแล้วยังไม่ได้รับ». People do put a space after a name, and between a
first name and a surname, and a name follows a few cues:

- **self-introductions and "named"**: ชื่อ (also ชื่อว่า, ชื่อคือ), after ผม,
  ดิฉัน, ฉัน or a role («ไรเดอร์ชื่อเอก») or alone («สั่งในชื่อ น.ส.…»), then
  an optional title or พี่, น้อง; a pronoun and a title without ชื่อ («ผมนายธนากร»);
- **titles**: คุณ, นาย, นาง, นางสาว, น.ส., ด.ช., ด.ญ., เด็กชาย, เด็กหญิง, ดร. at
  the start of the text, after a space or punctuation, or right after a role
  («เจ้าหน้าที่คุณสมศักดิ์»); คุณ also right after another word («ติดต่อคุณปรีชา»),
  but not in «ขอบคุณ», «ขอบพระคุณ», «บุญคุณ»;
- **roles** followed by a name: พนักงาน, เจ้าหน้าที่, แอดมิน, ไรเดอร์,
  คนส่งของ, ช่าง ...: a short run that a space, punctuation, a polite particle
  or a verb of speaking ends («แอดมินนุ่น บอกว่า…»);
- **sign-offs**: a line of one or two words under ด้วยความนับถือ or
  ขอแสดงความนับถือ.

A first name is the run of Thai letters after the cue, ended by a space,
punctuation, a polite particle (ครับ, ค่ะ, คะ, นะ ...) or a word a name is
followed by (บอก, ว่า, ที่, ได้, ไม่, เป็น, จาก, มา ...: «คุณสมศักดิ์บอกว่า»);
a run that starts with a word a name cannot start with (the pronoun «คุณทำ…»,
«คุณภาพ», «คุณแม่», «ชื่อเสียง», «ชื่อสินค้า», «พี่สาว», «พนักงานขาย») or that runs
on past 14 letters is a sentence, not a name. After a self-introduction or a
title the next space-separated run is the surname, unless it is a sentence:
longer than 16 letters, starting with a stop word or a verb, or holding one
(ไม่, ที่, แล้ว, ว่า, ไป ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from openledger import patterns
from openledger.records import Span

#: Thai letters, vowels and tone marks (not digits, ฯ, ๆ or the baht sign)
THAI_LETTER = "\u0E01-\u0E2E\u0E30-\u0E3A\u0E40-\u0E45\u0E47-\u0E4E"
#: a text with any Thai in it: the only texts these rules read
THAI = patterns.compile(r"[\u0E00-\u0E7F]")
THAI_RUN = patterns.anchored(rf"[{THAI_LETTER}]{{1,60}}")
_GAP = patterns.anchored(r"[ \t]{1,3}")

TITLE = r"(?:นางสาว|นาง|นาย|คุณ|น\.ส\.|ด\.ช\.|ด\.ญ\.|เด็กชาย|เด็กหญิง|ดร\.)"
ROLE = ("พนักงาน", "เจ้าหน้าที่", "แอดมิน", "ไรเดอร์", "คนส่งของ", "คนส่งพัสดุ", "ช่าง", "แคชเชียร์", "ผู้จัดการ", "หัวหน้า",
        "คนขับ")
_ROLE = "|".join(ROLE)
_AFTER_ROLE = "|".join(f"(?<={role})" for role in ROLE)

#: a cue, and what it says: "named" and "title" take a surname too, "role" only a short first name
CUES: tuple[tuple[re.Pattern[str], str], ...] = (
    (patterns.compile(rf"ชื่อ(?:ว่า|คือ)?[ \t]*:?[ \t]*(?:{TITLE}[ \t]*|(?P<kin>พี่|น้อง))?"), "named"),
    (patterns.compile(rf"(?:ผม|ดิฉัน|ฉัน|กระผม|หนู)[ \t]*{TITLE}[ \t]*"), "title"),
    (patterns.compile(rf"(?:^|(?<![{THAI_LETTER}.])|{_AFTER_ROLE}){TITLE}[ \t]*"), "title"),
    # คุณ after a verb («ติดต่อคุณปรีชา», «ของคุณสมชาย»), not in «ขอบคุณ», «ขอบพระคุณ», «บุญคุณ»
    (patterns.compile(rf"(?<=[{THAI_LETTER}])(?<!ขอบ)(?<!พระ)(?<!บุญ)คุณ[ \t]*"), "title"),
    (patterns.compile(rf"(?:{_ROLE})[ \t]*"), "role"),
)
SIGN_OFF = patterns.compile(rf"(?m)^[ \t]*(?:ด้วยความนับถือ|ขอแสดงความนับถือ)[ \t,]*\n[ \t]*(?:{TITLE}[ \t]*)?")


def _words(text: str) -> tuple[str, ...]:
    return tuple(sorted(text.split(), key=len, reverse=True))


#: polite particles: end a name wherever they stand («มาลีค่ะ»), unless a letter that is no particle runs on («ชนะชัย»)
PARTICLES = _words("ครับ คับ ค่ะ คะ ค่า นะ จ้ะ จ้า จ๊ะ ฮะ")
#: words a name is followed by: end it when the run goes on after them («สมศักดิ์บอกว่า…»)
FOLLOW = _words(
    "บอก ว่า ที่ ได้ ไม่ เป็น จาก และ กับ ก็ ซึ่ง ของ ให้ จะ ยัง มา ไป ตอบ พูด โทร ทำ เคย ช่วย แจ้ง ส่ง รับ ขอ เอา ทัก "
    "ติดต่อ ดูแล ยืนยัน ปฏิเสธ อยู่ คือ เลย ด้วย แล้ว เขา เค้า ซื้อ สั่ง")
#: what ends a role's name besides a space, punctuation or a particle: a verb of speaking
SPEAKS = _words("บอก ว่า ตอบ พูด แจ้ง โทร")
#: words a name does not start with: pronoun "you" (คุณทำ…), คุณ-compounds, what follows ชื่อ, a role or พี่
NOT_NAME = _words(
    # particles, function words and verbs
    "ครับ คับ ค่ะ คะ ค่า นะ จ้ะ จ้า ที่ ได้ ไม่ เป็น จาก และ กับ ก็ ซึ่ง ของ ให้ จะ ยัง ต้อง ควร ช่วย มี คือ เอง เคย อยาก "
    "กำลัง คง เลย ทั้ง ทุก หลาย รู้ คิด เห็น ดู ลอง ใช้ ซื้อ สั่ง โทร ตอบ แจ้ง อย่า บอก พูด ว่า ทำ ส่ง รับ มา ไป "
    "สามารถ โกหก ไหม หรือ แต่ เพราะ แล้ว ด้วย อีก ก่อน นี้ นั้น นั่น โน้น ใคร อะไร ยังไง เขา เค้า เรา ผม ดิฉัน ฉัน "
    "คน ท่าน ตัว เอา ขอ ทัก ติดต่อ ดูแล ปฏิเสธ ยืนยัน อยู่ ถูก ผิด ใหม่ เก่า เดิม จริง เต็ม ย่อ เล่น เรียก "
    # what starts the next clause: about, when, since, for, around, after, today ...
    "เรื่อง ตอน ตั้งแต่ เมื่อ เพื่อ ตาม สำหรับ ประมาณ เกี่ยวกับ ช่วง หลัง วันนี้ เมื่อวาน พรุ่งนี้ ตอนนี้ ความ "
    # คุณ-compounds and kin: quality, value, property, use, virtue, degree, feature, mother, father ...
    "ภาพ ค่า สมบัติ ประโยชน์ ธรรม วุฒิ ลักษณะ แม่ พ่อ ยาย ตา ป้า ลุง น้า อา ครู หมอ ลูกค้า ลูก "
    # after ชื่อ: reputation, product, shop, account, user, file ...
    "เสียง สินค้า ร้าน บัญชี ผู้ บริษัท ใน ภาษา เดียว เข้า ไฟล์ แอป เพจ อีเมล สาขา ซ้ำ หนังสือ "
    # after พี่, น้อง: sister, brother, siblings
    "สาว ชาย น้อง พี่ ๆ "
    # after a role or นาย: sales, counter, service, bank, police, post, employer, broker, district chief ...
    "ขาย ต้อนรับ บริการ ธนาคาร ตำรวจ ไปรษณีย์ ฝ่าย แผนก หน้า ประจำ เก็บ ขับ คอล ส่งของ จ้าง อำเภอ ก "
    "แอร์ ไฟ ประปา ซ่อม ติดตั้ง ช่าง พนักงาน เจ้าหน้าที่ แอดมิน ไรเดอร์ ดีลิเวอรี่ ฟ้า แบบ พยาบาล งาน รถ แท็กซี่ "
    # «ช่างมัน», «ช่างเถอะ»: never mind
    "มัน เถอะ")
#: a surname holds none of these: the run is a sentence («พูดจาไม่สุภาพกับลูกค้ามาก», «ทอนเงินขาดไป»)
INSIDE_SENTENCE = _words("ไม่ ที่ แล้ว ว่า ให้ จะ กับ ของ มาก ได้ เลย ด้วย ไป")
FIRST_MOST, SURNAME_MOST = 14, 16


def _starts_with(run: str, words: tuple[str, ...]) -> str | None:
    return next((w for w in words if run.startswith(w)), None)


def _not_name(run: str) -> bool:
    """``run`` begins with a word a name does not begin with: the whole run, or that word and more of a
    sentence («คุณแม่ของผม»); «คุณภาพ…» whatever follows."""
    word = _starts_with(run, NOT_NAME)
    if word is None:
        return False
    rest = run[len(word):]
    if len(word) >= 3 or not rest:
        return True
    # a word of one or two letters starts a name too («ตาล», «อาทิตย์», «กฤษณ์»): only before another stop word
    return _starts_with(rest, NOT_NAME) is not None or _starts_with(rest, FOLLOW) is not None


def _end(run: str) -> tuple[int, str]:
    """Where a first name at the start of ``run`` ends, and what ends it (a particle, a following word, or "")."""
    for i in range(2, len(run)):
        rest = run[i:]
        particle = _starts_with(rest, PARTICLES)
        if particle and (len(rest) == len(particle) or not re.match(f"[{THAI_LETTER}]", rest[len(particle)])
                         or _starts_with(rest[len(particle):], PARTICLES)):
            return i, "particle"
        follow = _starts_with(rest, FOLLOW)
        if follow and len(rest) > len(follow):
            return i, follow
    return len(run), ""


def _first_name(text: str, pos: int, kind: str) -> tuple[int, int, bool] | None:
    """The first name at ``pos`` (start, end, whether it ended at the end of its run)."""
    run = THAI_RUN.match(text, pos)
    if not run or _not_name(run.group()) or (kind == "role" and (run.group().startswith("ชื่อ") or re.match(TITLE, run.group()))):
        return None  # «พนักงานชื่อ…», «พนักงานคุณ…»: the other cues read those
    end, ended_by = _end(run.group())
    if end < 2 or end > FIRST_MOST:
        return None
    if kind == "role" and ended_by not in ("", "particle") and ended_by not in SPEAKS:
        return None  # «ช่างแอร์ที่มาซ่อม», «ผู้จัดการสาขาแล้ว»
    if kind == "role" and end > 10:
        return None
    return pos, pos + end, end == len(run.group())


def _surname(text: str, pos: int) -> tuple[int, int] | None:
    """The run after a first name ending at ``pos`` when it reads as a surname (see the module docstring)."""
    gap = _GAP.match(text, pos)
    run = THAI_RUN.match(text, gap.end()) if gap else None
    if not run:
        return None
    word = run.group()
    particle = next((p for p in PARTICLES if word.endswith(p) and len(word) > len(p) + 1), None)
    if particle:
        word = word[: -len(particle)]
    if not 2 <= len(word) <= SURNAME_MOST or _starts_with(word, NOT_NAME) or _starts_with(word, FOLLOW):
        return None
    if any(w in word[1:] for w in INSIDE_SENTENCE):
        return None
    return run.start(), run.start() + len(word)


def _signed(text: str, pos: int) -> tuple[int, int] | None:
    """A line of one or two Thai words (and nothing else) at ``pos``, under a sign-off."""
    first = THAI_RUN.match(text, pos)
    if not first:
        return None
    end = first.end()
    gap = _GAP.match(text, end)
    second = THAI_RUN.match(text, gap.end()) if gap else None
    if second:
        end = second.end()
    rest = text[end:].lstrip(" \t")
    return (pos, end) if not rest or rest[0] in "\r\n" else None


def thai_names(text: str) -> Iterator[Span]:
    """Names that a Thai text marks as such (see the module docstring)."""
    if not THAI.search(text):
        return
    found: list[tuple[int, int]] = []
    for pattern, kind in CUES:
        for match in pattern.finditer(text):
            first = _first_name(text, match.end(), kind)
            if not first:
                continue
            start, end, whole = first
            if kind != "role" and whole and not match.groupdict().get("kin"):
                surname = _surname(text, end)
                end = surname[1] if surname else end
            found.append((start, end))
    for match in SIGN_OFF.finditer(text):
        signed = _signed(text, match.end())
        if signed:
            found.append(signed)
    for start, end in found:
        yield Span(start, end, "NAME", 0.75)
