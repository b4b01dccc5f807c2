"""Dates of birth: a date next to "born", "DOB", "date of birth", "né le", "geboren", ...

Also "the 9th of October 1983" after such a cue, and the date that answers a
question for the date of birth on the next line of a chat. Only dates with
such a cue are redacted: the date of the incident ("on 3 March
my parcel...") is what the public outcome is about and stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from openledger import hookimpl, patterns
from openledger.builtin.redactors._base import Redactor
from openledger.records import Span

MONTHS = (
    r"jan(?:uary|vier|uar|\.)?|feb(?:ruary|ruar|\.)?|f[ée]v(?:rier|\.)?|mar(?:ch|s|\.)?|m[äa]rz|apr(?:il|\.)?|avr(?:il|\.)?|"
    r"may|mai|jun(?:e|i|\.)?|juin|jul(?:y|i|\.)?|juil(?:let|\.)?|aug(?:ust|\.)?|ao[ûu]t|sep(?:t(?:ember|embre)?|\.)?|"
    r"oct(?:ober|obre|\.)?|okt(?:ober|\.)?|nov(?:ember|embre|\.)?|dec(?:ember|\.)?|d[ée]c(?:embre|\.)?|dez(?:ember|\.)?|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
)
DATE = (
    rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    rf"|\d{{1,2}}\s?[./-]\s?\d{{1,2}}\s?[./-]\s?(?:\d{{4}}|\d{{2}})"
    rf"|(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th|er|º|\.)?\s+(?:of\s+|de\s+)?(?:{MONTHS})\.?,?\s+(?:de\s+)?(?:\d{{4}}|'\d{{2}})"
    rf"|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})(?!\d)"
)
CUE = (
    r"born|b\.|dob|d\.\s?o\.\s?b\.?|date\s+of\s+birth|birth\s?date|birthday|n[ée]e?\s+le|date\s+de\s+naissance|"
    r"geboren(?:\s+am)?|geb\.|geburtsdatum|geburtstag|fecha\s+de\s+nacimiento|nacid[oa]\s+el|f\.\s?nac\.?"
)
CUE_THEN_DATE = patterns.compile(rf"\b(?:{CUE})(?![a-z])[^\n.!?\d]{{0,30}}?({DATE})", re.IGNORECASE)
DATE_THEN_CUE = patterns.compile(rf"({DATE})\s*[(,-]?\s*(?:\(?\s*(?:dob|d\.o\.b\.?|date of birth|my birthday)\b)", re.IGNORECASE)
# a chat's answer to a question for the date of birth: "...your date of birth?\nCustomer: 3rd of March 1990"
ASKED_THEN_DATE = patterns.compile(rf"\b(?:{CUE})[^\n]{{0,40}}\?[ \t]*\n[ \t]*(?:[^\n:]{{1,20}}:)?[ \t]*(?:it'?s[ \t]+)?({DATE})", re.IGNORECASE)
BORN_YEAR = patterns.compile(r"\b(?:born\s+in|geboren\s+(?:im\s+Jahr\s+)?|n[ée]e?\s+en|nacid[oa]\s+en)\s+((?:19|20)\d\d)\b", re.IGNORECASE)


def find_birthdates(text: str) -> Iterator[Span]:
    """Dates announced as dates of birth, and birth years after "born in"."""
    for pattern in (CUE_THEN_DATE, DATE_THEN_CUE, ASKED_THEN_DATE, BORN_YEAR):
        for match in pattern.finditer(text):
            yield Span(match.start(1), match.end(1), "DOB", 0.95)


@hookimpl
def register_redactors(register, config):
    """Register the date-of-birth redactor."""
    register(Redactor("birthdate", find_birthdates, description="dates of birth"))
