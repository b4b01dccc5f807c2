"""Payment card numbers (Luhn-checked) and IBANs (ISO 13616, ISO 7064 mod 97-10).

Both checksums are a few lines, so no library is needed: a digit run that
fails its checksum is left for the reference redactor to judge.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from openledger import hookimpl, patterns
from openledger.builtin.redactors._base import Redactor
from openledger.records import Span

CARD = patterns.compile(r"(?<![\w.,])\d(?:[ -]?\d){12,30}(?![\d])")
IBAN = patterns.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){10,30}(?![A-Za-z0-9])")
# ISO 13616 registry lengths for the countries customers write from most often.
IBAN_LENGTHS = {
    "AT": 20, "BE": 16, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18,
    "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IT": 27, "LT": 20, "LU": 20, "LV": 21,
    "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24,
}


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by payment card numbers."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_valid(iban: str) -> bool:
    """ISO 7064 mod 97-10 over the rearranged IBAN, plus the country's length when known."""
    iban = iban.upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", iban):
        return False
    if IBAN_LENGTHS.get(iban[:2], len(iban)) != len(iban):
        return False
    return int("".join(str(int(c, 36)) for c in iban[4:] + iban[:4])) % 97 == 1


def find_cards(text: str) -> Iterator[Span]:
    """13 to 19 digit numbers, grouped by single spaces or dashes, that pass the Luhn check.

    A run of digit groups longer than a card ("qty 3 4111 1111 1111 1111") is
    tried group by group, longest window first.
    """
    for match in CARD.finditer(text):
        groups = [(m.start() + match.start(), m.end() + match.start()) for m in re.finditer(r"\d+", match.group())]
        i = 0
        while i < len(groups):
            for j in range(len(groups), i, -1):
                start, end = groups[i][0], groups[j - 1][1]
                digits = re.sub(r"\D", "", text[start:end])
                if 13 <= len(digits) <= 19 and len(set(digits)) > 1 and luhn_valid(digits):
                    yield Span(start, end, "CARD", 0.97)
                    i = j - 1
                    break
            i += 1


def find_ibans(text: str) -> Iterator[Span]:
    """IBANs written compact or in groups; trailing words caught by the pattern are trimmed.

    A candidate that fails its checksum does not hide an IBAN starting inside
    it ("BA283 DE36 ..."): the search resumes one character later.
    """
    pos = 0
    while (match := IBAN.search(text, pos)) is not None:
        raw = match.group()
        pos = match.start() + 1
        # try the longest prefix (ending on a character) whose checksum holds
        for end in range(len(raw), 14, -1):
            if raw[end - 1].isalnum() and iban_valid(re.sub(r"[ -]", "", raw[:end])):
                yield Span(match.start(), match.start() + end, "IBAN", 0.99)
                pos = match.start() + end
                break


@hookimpl
def register_redactors(register, config):
    """Register the card and IBAN redactors."""
    register(Redactor("card", find_cards, description="payment card numbers (Luhn)"))
    register(Redactor("iban", find_ibans, description="IBANs (mod 97)"))
