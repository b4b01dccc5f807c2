"""Names and addresses in texts written in Japanese, Chinese, Korean, Cyrillic, Greek, Arabic, Hebrew,
Devanagari or Thai script (``_name_native``, ``_address_native``, ``_name_arabic_hebrew_hindi``,
``_address_arabic_hebrew_hindi``, ``_name_thai``, ``_address_thai``).

Through the ``register_redactors`` hook implementations and the redaction engine, as ``openledger redact``
does. Written sets, each text with the names or addresses it holds: ``redaction_native_scripts.jsonl`` and
``redaction_native_addresses.jsonl`` (the rules were built on them) and their ``_holdout`` files (written with
them, measured once after the rules were; one general fix followed, see docs/anonymization.md), and
``redaction_native_rtl.jsonl`` with its holdout for Arabic, Persian, Urdu, Hebrew and Hindi, and
``redaction_native_thai.jsonl`` with its holdout for Thai (names and addresses mixed, each line saying which it
holds): every name and address is redacted, and no other word is taken for one
(a long order number is still a reference). The real customer tweets in other scripts of the shared data get no
name or address from these rules.
"""

from __future__ import annotations

import csv
import json
import re

import pytest
from paths import DATA, shared
from redactor_set import builtin_redactors

from openledger.builtin.redactors._address_native import native_addresses
from openledger.builtin.redactors._name_native import native_names
from openledger.privacy.redaction import find_spans

REDACTORS = builtin_redactors()
SETS = ("redaction_native_scripts.jsonl", "redaction_native_scripts_holdout.jsonl", "redaction_native_addresses.jsonl",
        "redaction_native_addresses_holdout.jsonl", "redaction_native_rtl.jsonl", "redaction_native_rtl_holdout.jsonl",
        "redaction_native_thai.jsonl", "redaction_native_thai_holdout.jsonl")
CASES = [("names" if "names" in case else "addresses", case) for name in SETS
         for case in map(json.loads, (DATA / name).read_text("utf-8").splitlines())]


@pytest.mark.parametrize("field, case", CASES, ids=[c["text"][:12] for _, c in CASES])
def test_each_name_or_address_and_nothing_else_is_redacted(field, case):
    text = case["text"]
    covered: set[int] = set()
    for span in find_spans(text, REDACTORS):
        if span.kind in ("NAME", "ADDRESS"):
            covered.update(range(span.start, span.end))
    expected: set[int] = set()
    missed = []
    for part in case[field]:
        start = text.index(part)
        expected.update(range(start, start + len(part)))
        if not set(range(start, start + len(part))) <= covered:
            missed.append(part)
    assert missed == []
    assert covered <= expected, "".join(text[i] if i in covered - expected else "_" for i in range(len(text)))


def test_real_tweets_in_other_scripts_name_nobody_and_no_address_by_these_rules():
    with open(shared("twcs", "twcs_sample.csv"), encoding="utf-8", newline="") as handle:
        texts = [row["text"] or "" for row in csv.DictReader(handle)]
    scripts = r"[\u3040-\u30FF\u4E00-\u9FFF\uAC00-\uD7AF\u0400-\u04FF\u0370-\u03FF\u0590-\u06FF\u0900-\u097F]"
    other = [t for t in texts if re.search(scripts, t)]
    assert len(other) >= 40
    assert [t for t in other if list(native_names(t)) or list(native_addresses(t))] == []


#: a name found by a cue, then written again without one: every mention (each listed part, wherever it is
#: written) is redacted, and nothing else
AGAIN = [
    ("Меня зовут Иван Петров. Заказ оформлен на Ивана Петрова, Петров ждёт ответа.",
     ["Иван Петров", "Ивана", "Петрова", "Петров"]),
    ("山田太郎です。注文の件で電話しました。山田が受け取ります。", ["山田太郎", "山田"]),
    ("我叫王小明。王小明的订单还没有到。", ["王小明"]),
    ("김민수입니다. 김민수 앞으로 온 택배가 아직 없어요.", ["김민수"]),
    ("Ονομάζομαι Γιώργος Παπαδόπουλος. Ο Παπαδόπουλος περιμένει ακόμα.", ["Γιώργος Παπαδόπουλος", "Παπαδόπουλος"]),
    ("اسمي أحمد محمد. الطلب باسم أحمد ولم يصل بعد.", ["أحمد محمد", "أحمد"]),
    ("שמי דוד כהן. החבילה לדוד לא הגיעה, כהן עדיין מחכה.", ["דוד כהן", "דוד", "כהן"]),
    ("मेरा नाम राहुल शर्मा है। राहुल को अभी तक जवाब नहीं मिला।", ["राहुल शर्मा", "राहुल"]),
    ("My courier was Дмитрий Соколов. Дмитрий Соколов never came back.", ["Дмитрий Соколов"]),
    ("ผมชื่อสมชาย ใจดี พัสดุส่งถึงสมชายแต่ของไม่ครบ ใจดีรอมาสามวันแล้ว", ["สมชาย ใจดี", "สมชาย", "ใจดี"]),
    ("พนักงานชื่อคุณวิชัย บอกว่าจะโทรกลับ แต่วิชัยไม่เคยโทรมาเลย", ["วิชัย"]),
]


@pytest.mark.parametrize("text, parts", AGAIN, ids=[t[:12] for t, _ in AGAIN])
def test_a_name_written_again_without_a_cue_is_redacted_again(text, parts):
    covered: set[int] = set()
    for span in find_spans(text, REDACTORS):
        if span.kind == "NAME":
            covered.update(range(span.start, span.end))
    expected: set[int] = set()
    for part in parts:
        for match in re.finditer(re.escape(part), text):
            expected.update(range(match.start(), match.end()))
    assert expected <= covered, "".join(text[i] if i in expected - covered else "_" for i in range(len(text)))
    assert covered <= expected, "".join(text[i] if i in covered - expected else "_" for i in range(len(text)))


#: a Thai name found again is redacted wherever it is written as a word, and not inside a longer everyday word that
#: holds its letters (pythainlp's words say which)
THAI_INSIDE = [
    ("แอดมินชื่อเอก บอกว่าจะส่งเอกสารให้วันนี้ แต่เอกไม่ส่งมาเลย", "เอก", "เอกสาร"),
    ("ช่างชื่อต้น มาซ่อมแอร์แล้วทำต้นไม้หน้าบ้านหัก ต้นบอกว่าไม่ใช่ความผิดของเขา", "ต้น", "ต้นไม้"),
]


@pytest.mark.parametrize("text, name, word", THAI_INSIDE, ids=[w for _, _, w in THAI_INSIDE])
def test_a_thai_name_found_again_is_not_redacted_inside_an_everyday_word(text, name, word):
    covered: set[int] = set()
    for span in find_spans(text, REDACTORS):
        if span.kind == "NAME":
            covered.update(range(span.start, span.end))
    inside = range(text.index(word), text.index(word) + len(word))
    mentions = [m.start() for m in re.finditer(name, text) if m.start() not in inside]
    assert len(mentions) == 2
    for start in mentions:
        assert set(range(start, start + len(name))) <= covered, (text, start)
    assert not covered & set(inside), text


#: a Thai name joined to the words after it is redacted alone, and an everyday word after a bare cue is no name:
#: pythainlp's words say where the name ends (``_name_thai``)
THAI_JOINED = [
    ("คุณประเสริฐนั่งเล่นมือถือตอนลูกค้ารอ", ["ประเสริฐ"]),
    ("นายวีระพงษ์ขโมยของในพัสดุ", ["วีระพงษ์"]),
    ("ดิฉันชื่อบุญเรือนอยากสอบถามค่ะ", ["บุญเรือน"]),
    ("คุณกิตติพัฒน์เดินหนีไปเลย", ["กิตติพัฒน์"]),
    ("คุณอำนาจตะคอกใส่ผม", ["อำนาจ"]),
    ("ชื่อเอกสารในระบบผิด", []),
    ("ชื่อโครงการบนใบเสร็จสะกดผิด", []),
    ("คุณจัดการเรื่องนี้ไม่ดีเลย", []),
]


@pytest.mark.parametrize("text, parts", THAI_JOINED, ids=[t[:12] for t, _ in THAI_JOINED])
def test_a_thai_name_joined_to_the_next_words_is_redacted_alone(text, parts):
    covered = {i for span in find_spans(text, REDACTORS) if span.kind == "NAME" for i in range(span.start, span.end)}
    expected = {i for part in parts for i in range(text.index(part), text.index(part) + len(part))}
    assert covered == expected, "".join(text[i] if i in covered ^ expected else "_" for i in range(len(text)))
