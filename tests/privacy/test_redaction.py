"""The redaction engine: merging, kept strings, placeholders, idempotence, and never a raw span."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redactor_set import builtin_redactors

from openledger.privacy.redaction import Keep, merge_spans, redact
from openledger.records import Span

REDACTORS = builtin_redactors()


class Fixed:
    """A redactor that reports every occurrence of given strings, to test the engine alone."""

    name = "fixed"
    version = "1"

    def __init__(self, words: dict[str, str], extra=()):
        self.words = words
        self.extra = list(extra)

    def find(self, text):
        found = list(self.extra)
        for word, kind in self.words.items():
            start = text.find(word)
            while start >= 0:
                found.append(Span(start, start + len(word), kind))
                start = text.find(word, start + 1)
        return found


def test_overlapping_spans_join_and_the_longer_kind_wins():
    merged = merge_spans([Span(0, 5, "NAME"), Span(3, 15, "ADDRESS"), Span(20, 25, "PHONE")])
    assert merged == [Span(0, 15, "ADDRESS"), Span(20, 25, "PHONE")]


def test_equal_length_spans_prefer_the_higher_score():
    merged = merge_spans([Span(4, 14, "PHONE", 0.8), Span(4, 14, "REFERENCE", 0.95)])
    assert [s.kind for s in merged] == ["REFERENCE"]


def test_spans_are_replaced_by_typed_placeholders_in_input_coordinates():
    text = "Call Jane on 555."
    result = redact(text, [Fixed({"Jane": "NAME", "555": "PHONE"})])
    assert result.text == "Call [NAME] on [PHONE]."
    assert [text[s.start : s.end] for s in result.spans] == ["Jane", "555"]


def test_kept_strings_are_never_redacted():
    text = "@AcmeHelp call our hotline 0800 123 4567 or see www.acme-retail.com/account?id=77, not @jane_d"
    result = redact(text, REDACTORS, keep=["@AcmeHelp", "0800 123 4567", "www.acme-retail.com"])
    assert result.text.startswith("@AcmeHelp call our hotline 0800 123 4567")
    assert "[URL]" in result.text  # a kept homepage does not protect an identifying URL on it
    assert result.text.endswith("not [HANDLE]")


def test_kept_phone_numbers_match_in_other_formats():
    keep = Keep(["+44 800 123 4567"])
    result = redact("Ring 0800 123 4567 for help, or me on 07700 900461.", REDACTORS, keep=keep)
    assert "0800 123 4567" in result.text
    assert "07700 900461" not in result.text


def test_placeholders_in_the_input_stay_as_they_are():
    text = "Dear [NAME], your order [REFERENCE] shipped."
    assert redact(text, REDACTORS).text == text


def test_a_redactor_span_out_of_bounds_is_ignored():
    assert redact("short", [Fixed({}, [Span(2, 99, "NAME"), Span(3, 3, "NAME")])]).text == "short"


# --- properties: generated identifiers in random surroundings are always removed -----------------

WORDS = st.lists(
    st.sampled_from(
        [
            *"my order refund please call email the parcel was late on Monday and I paid for it".split(),
            *"thanks support team flight BA283 iPhone 13 ASAP £20 !! ?? , . : ( ) - 3 items".split(),
        ]
    ),
    max_size=8,
).map(" ".join)
LOCAL = st.from_regex(r"[a-z][a-z0-9]{0,8}(?:[._+-][a-z0-9]{1,8}){0,2}", fullmatch=True)
DOMAIN = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]\.(?:com|co\.uk|de|fr|org|net|ie|io)", fullmatch=True)
EMAILS = st.builds(lambda local, domain: f"{local}@{domain}", LOCAL, DOMAIN)


@st.composite
def phones(draw):
    region = draw(st.sampled_from(["US", "GB", "DE", "FR", "ES", "IE", "CA", "AU", "IN"]))
    kind = draw(st.sampled_from([phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]))
    example = phonenumbers.example_number_for_type(region, kind)
    national = str(example.national_number)
    digits = national[:3] + "".join(str(draw(st.integers(0, 9))) for _ in national[3:])
    number = phonenumbers.parse(f"+{example.country_code}{digits}")
    if not phonenumbers.is_valid_number(number):
        number = example
    fmt = draw(st.sampled_from([
        phonenumbers.PhoneNumberFormat.NATIONAL,
        phonenumbers.PhoneNumberFormat.INTERNATIONAL,
        phonenumbers.PhoneNumberFormat.E164,
    ]))
    return phonenumbers.format_number(number, fmt)


@st.composite
def cards(draw):
    body = draw(st.sampled_from(["4", "51", "55", "6011"])) + "".join(str(draw(st.integers(0, 9))) for _ in range(15))
    body = body[:15]
    total = 0
    for i, d in enumerate(reversed(body + "0")):
        n = int(d)
        total += (n * 2 - 9 if n > 4 else n * 2) if i % 2 else n
    digits = body + str((10 - total % 10) % 10)
    sep = draw(st.sampled_from([" ", "-", ""]))
    return sep.join(digits[i : i + 4] for i in range(0, 16, 4))


@st.composite
def ibans(draw):
    country, length = draw(st.sampled_from([("DE", 18), ("FR", 23), ("ES", 20), ("NL", 14), ("GB", 18)]))
    bban = "".join(str(draw(st.integers(0, 9))) for _ in range(length))
    if country in ("GB", "NL"):
        bban = draw(st.sampled_from(["NWBK", "ABNA", "RABO", "MIDL"])) + bban[4:]
    check = 98 - int("".join(str(int(c, 36)) for c in bban + country + "00")) % 97
    iban = f"{country}{check:02d}{bban}"
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)) if draw(st.booleans()) else iban


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("strategy", [EMAILS, phones(), cards(), ibans()], ids=["email", "phone", "card", "iban"])
def test_generated_identifiers_in_random_text_are_always_removed(strategy):
    @SETTINGS
    @given(before=WORDS, value=strategy, after=WORDS)
    def check(before, value, after):
        text = f"{before} {value} {after}"
        result = redact(text, REDACTORS)
        assert value not in result.text
        assert redact(result.text, REDACTORS).text == result.text

    check()


@SETTINGS
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=120))
def test_redaction_is_idempotent_on_any_text(text):
    once = redact(text, REDACTORS).text
    assert redact(once, REDACTORS).text == once


@SETTINGS
@given(
    st.lists(
        st.sampled_from([
            "Hi Sarah,", "order #4471093", "jane@example.com", "07700 900461", "at 12 Baker Street, London NW1 6XE",
            "[NAME]", "Mr", "O'Neill", "2024", "$40", "\n",
        ]),
        max_size=10,
    ).map(" ".join)
)
def test_redaction_is_idempotent_on_mixed_fragments(text):
    once = redact(text, REDACTORS)
    assert redact(once.text, REDACTORS).text == once.text
    for span in once.spans:
        assert 0 <= span.start < span.end <= len(text)
