"""Contact details: e-mail addresses, phone numbers, social handles and identifying URLs.

Phone numbers are found with ``phonenumbers``' ``PhoneNumberMatcher`` (a port of
Google's libphonenumber) over the regions in ``[redaction] phone_regions``,
plus US-style groupings and numbers announced by a keyword ("call me on ...")
that the library rejects as not valid (fictional 555 numbers are still numbers).

A URL is redacted when it carries an identifier: a query string, a fragment, a
path segment with digits, a profile path on a social network or a link
shortener. A bare homepage or a plain help page (``acme.com/help/returns``)
stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import phonenumbers

from openledger import hookimpl, patterns
from openledger.builtin.redactors._base import Redactor, section
from openledger.records import Span

DEFAULT_PHONE_REGIONS = ("US", "GB", "DE", "FR", "ES", "IE", "CA", "AU", "IN")

EMAIL = patterns.compile(
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w-])"
)
# "jane.doe at example dot com", "jane [at] example.com": only with a dotted or
# numbered local part, or bracketed "at", so "look at amazon.com" stays.
# A match starts only where a run of local-part characters starts, and "has a dot, an underscore
# or a digit" is a look-ahead over that run: linear (the former [..]+[._\d][..]* split a run of
# "1-1-1-..." every way it could: 55 s on 2.5 KB).
EMAIL_SPELLED = patterns.compile(
    r"(?<![\w.%+-])(?:(?=[A-Za-z0-9_%+-])(?=[A-Za-z0-9._%+-]*[._\d])[A-Za-z0-9._%+-]+\s+at\s+"
    r"|[A-Za-z0-9._%+-]+\s*[\[(]at[\])]\s*)"
    r"[A-Za-z0-9-]+(?:(?:\.|\s*[\[(]dot[\])]\s*|\s+dot\s+)[A-Za-z0-9-]+)*"
    r"(?:\.|\s*[\[(]dot[\])]\s*|\s+dot\s+)(?:com|net|org|edu|gov|io|co|uk|de|fr|es|ie|in|ca|au)\b",
    re.IGNORECASE,
)
HANDLE = patterns.compile(r"(?<![\w@/+-])(?<![\w]\.)@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])")
# Digits glued to Chinese, Japanese, Cyrillic or Arabic script still stand alone
# ("电话：13662615434张经理"), so the edges around numbers are ASCII, not \w.
US_PHONE = patterns.compile(r"(?<![A-Za-z0-9_+])(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\d)")
PHONE_CUE = patterns.compile(
    r"\b(?:call(?:ed)?(?: me)?(?: back)?(?: on| at)?|phone(?: number)?|tel(?:ephone)?\.?|mobile|cell|"
    r"ph\.?|contact(?: me)?(?: on| at)|ring(?: me)?(?: on)?|reach(?: me)?(?: on| at)|whats ?app|"
    r"t[ée]l[ée]phone|portable|handy|telefon(?:nummer)?|m[óo]vil|tel[ée]fono)\s*[:#]?\s*"
    # the same cues in scripts without spaces or \b between words (Chinese, Japanese, Korean,
    # Russian, Arabic, Hindi), and their full-width colon
    r"|(?:电话号码|电话|電話番号|電話|手机号码?|手機|手机|联系方式|聯絡電話|携帯|전화번호|전화|휴대폰|"
    r"телефон|тел\.|моб\.|هاتف|جوال|फ़ोन|फोन)\s*[:#：]?\s*",
    re.IGNORECASE,
)
PHONE_AFTER_CUE = patterns.anchored(r"\+?\(?\d[\d ().-]{5,18}\d")
DIGIT_RUN = patterns.compile(r"(?<![A-Za-z0-9_+£$€¥.,])\+?\(?\d[\d ()./-]{5,24}\d(?!\d)")
URL = patterns.compile(
    r"(?:\b(?:https?://|www\.)|(?<![\w@.-])(?=[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|co\.uk|de|fr|es|ie|in|io|ly|co|me|to)/))"
    r"[^\s<>\"'\]\[{}|\\^`]+",
    re.IGNORECASE,
)
SHORTENERS = {"t.co", "bit.ly", "goo.gl", "tinyurl.com", "amzn.to", "fb.me", "ow.ly", "lnkd.in", "youtu.be", "buff.ly", "is.gd", "a.co"}
SOCIAL = {
    "twitter.com", "x.com", "facebook.com", "fb.com", "instagram.com", "linkedin.com", "tiktok.com",
    "youtube.com", "reddit.com", "github.com", "pinterest.com", "threads.net", "mastodon.social", "m.facebook.com",
}
ID_SEGMENT = patterns.anchored(
    r"^(?:u|user|users|profile|profiles|people|member|members|account|accounts|customer|customers|"
    r"order|orders|order-details|ticket|tickets|case|cases|track|tracking|booking|bookings|claim|claims|"
    r"invoice|invoices|status|statuses|photo|photos|p|in|id)$",
    re.IGNORECASE,
)


def find_emails(text: str) -> Iterator[Span]:
    """E-mail addresses, including spelled-out ones ("jane.doe at example dot com")."""
    for match in EMAIL.finditer(text):
        yield Span(match.start(), match.end(), "EMAIL", 0.99)
    for match in EMAIL_SPELLED.finditer(text):
        yield Span(match.start(), match.end(), "EMAIL", 0.9)


def find_handles(text: str) -> Iterator[Span]:
    """Social handles such as ``@jane_doe`` (not the ``@`` of an e-mail address)."""
    for match in HANDLE.finditer(text):
        yield Span(match.start(), match.end(), "HANDLE", 0.9)


def _identifying(url: str) -> bool:
    """Whether a URL carries something that identifies a person, an account or a case."""
    parsed = urlsplit(url if "://" in url else "http://" + url)
    host = (parsed.hostname or "").lower()
    host_plain = host.removeprefix("www.")
    segments = [s for s in parsed.path.split("/") if s]
    if parsed.query or parsed.fragment or "@" in url:
        return True
    if host_plain in SHORTENERS and segments:
        return True
    if host_plain in SOCIAL and segments:
        return True
    if any(re.search(r"\d", s) for s in segments):
        return True
    return any(ID_SEGMENT.match(s) for s in segments[:-1]) or any(s.startswith("~") for s in segments)


def find_urls(text: str) -> Iterator[Span]:
    """URLs that carry identifiers; homepages and plain help pages stay."""
    for match in URL.finditer(text):
        value = match.group().rstrip(".,;:!?)'\"")
        if len(value) > 4 and _identifying(value):
            yield Span(match.start(), match.start() + len(value), "URL", 0.95)


class PhoneFinder:
    """Phone numbers in the national formats of several regions and in international format."""

    def __init__(self, regions=DEFAULT_PHONE_REGIONS):
        self.regions = tuple(str(r).upper() for r in regions) or DEFAULT_PHONE_REGIONS

    def __call__(self, text: str) -> Iterator[Span]:
        if sum(c.isdigit() for c in text) < 6:
            return
        seen: set[tuple[int, int]] = set()
        for region in self.regions:
            matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)
            for match in matcher:
                key = (match.start, match.end)
                # short "valid" numbers are section numbers, years and codes far more often than phones
                if sum(c.isdigit() for c in match.raw_string) < 8:
                    continue
                if key not in seen:
                    seen.add(key)
                    yield Span(match.start, match.end, "PHONE", 0.85)
        for us_match in US_PHONE.finditer(text):
            yield Span(us_match.start(), us_match.end(), "PHONE", 0.8)
        yield from self._inner(text, seen)
        for cue in PHONE_CUE.finditer(text):
            after = PHONE_AFTER_CUE.match(text, cue.end())
            if after and sum(c.isdigit() for c in after.group()) >= 7:
                yield Span(after.start(), after.end(), "PHONE", 0.8)


    def _valid(self, candidate: str) -> bool:
        for region in self.regions:
            try:
                number = phonenumbers.parse(candidate, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                return True
        return False

    def _inner(self, text: str, seen: set[tuple[int, int]]) -> Iterator[Span]:
        """Numbers glued to other digits by a space ("3 07400 000000") that the matcher skips.

        Each run of digit groups is tried group by group, longest first, for a
        valid number in one of the regions that starts like a dialled number
        (``+``, a trunk ``0`` or an area code in brackets) or has three groups or more.
        """
        for run in DIGIT_RUN.finditer(text):
            groups = [(m.start() + run.start(), m.end() + run.start()) for m in re.finditer(r"\S+", run.group())]
            if len(groups) < 2 or any(s <= run.start() and run.end() <= e for s, e in seen):
                continue
            i = 0
            while i < len(groups):
                for j in range(len(groups), i, -1):
                    start, end = groups[i][0], groups[j - 1][1]
                    candidate = text[start:end]
                    dialled = candidate[0] in "+0(" or j - i >= 3  # "123456 12" is a number and a count
                    if dialled and sum(c.isdigit() for c in candidate) >= 8 and self._valid(candidate):
                        yield Span(start, end, "PHONE", 0.8)
                        i = j - 1
                        break
                i += 1


@hookimpl
def register_redactors(register, config):
    """Register the e-mail, phone, handle and URL redactors."""
    regions = section(config, "redaction").get("phone_regions") or DEFAULT_PHONE_REGIONS
    register(Redactor("email", find_emails, description="e-mail addresses"))
    register(Redactor("phone", PhoneFinder(regions), description="phone numbers (libphonenumber)"))
    register(Redactor("handle", find_handles, description="social media handles"))
    register(Redactor("url", find_urls, description="URLs carrying identifiers"))
