"""Customer identities: normalise them and link them without storing them.

A customer who writes by e-mail and then tweets is one customer. Sources
report the contact points a customer gave (``MessageRecord.identities``);
this module turns each into one canonical string and then into a keyed hash
(HMAC-SHA256, RFC 2104, with the instance's secret), so the store and the
ledger can link a case across channels while holding no identity in clear.

Canonical forms (the part before the first ``:`` says the kind):

- ``email:jo@example.org``: an e-mail address (RFC 5322 addr-spec), lower-cased,
  without display name, angle brackets or ``mailto:``;
- ``phone:+442079460018``: a telephone number in E.164, parsed with
  ``phonenumbers`` (a number without ``+`` needs a default region);
- ``handle:jo_customer`` or ``twitter:jo_customer``: a social handle,
  lower-cased, without ``@``; scoped by the channel when one is given, because
  ``@jo`` on Twitter and ``@jo`` on Mastodon need not be the same person.
  Mastodon handles keep their server: ``mastodon:jo@mastodon.social``;
- ``twitter-id:2000`` (``NETWORK-id:ID``): an account id some sources give, kept as is.

What a source may give (:func:`form_of`, checked by the record contract at
ingest): an e-mail address (``jo@example.org``, ``Jo <jo@example.org>``,
``mailto:...``), a phone number (``+44 20 7946 0018``, ``tel:...``, or
national digits read with ``[identity] default_region``), a handle written
``@name`` or ``@name@server`` (scoped by the message's channel), or
``NETWORK:VALUE`` (``twitter-id:2000``, ``reddit:jo``; kept as written). A
bare name without ``@`` is read as a handle of the message's channel. Any
other shape (``u/jo``, ``Jo Smith``) is refused at ingest as a fault of the
source: write a Reddit user ``u/jo`` as ``@jo``. A value of the right shape
that is still no address or number (``jo@localhost``, ``12345678`` without
a region) is data, not a fault: it links nothing.
"""

from __future__ import annotations

import hmac
import re

import phonenumbers

from openledger import patterns
from openledger.errors import OpenLedgerError

_EMAIL = patterns.compile(r"^[^@\s<>()]+@[^@\s<>()]+\.[^@\s<>()]+$")
_HANDLE = patterns.compile(r"^@?([\w.]{1,64})(?:@([\w.-]+\.[a-z]{2,}))?$", re.IGNORECASE)
_NETWORK_ID = patterns.anchored(r"^([a-z][a-z0-9_-]*):(\S+)$")
_PHONE_CHARS = patterns.anchored(r"^[+()\d\s./-]{6,}$|^tel:", re.IGNORECASE)


class InvalidIdentity(OpenLedgerError, ValueError):
    """A contact point that cannot be read as an e-mail, phone or handle."""


def normalize_email(value: str) -> str:
    """``"Jo <Jo@Example.ORG>"`` -> ``email:jo@example.org``."""
    text = value.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    match = re.search(r"<([^<>]+)>", text)
    if match:
        text = match.group(1)
    text = text.strip().lower()
    if not _EMAIL.match(text):
        raise InvalidIdentity(f"not an e-mail address: {value!r}")
    return f"email:{text}"


def normalize_phone(value: str, region: str | None = None) -> str:
    """``"020 7946 0018"`` (region GB) -> ``phone:+442079460018``."""
    text = value.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    try:
        number = phonenumbers.parse(text, region.upper() if region else None)
    except phonenumbers.NumberParseException as error:
        hint = "" if region or text.startswith("+") else " (no + country code and no default region)"
        raise InvalidIdentity(f"not a phone number: {value!r}{hint}: {error}") from None
    if not phonenumbers.is_possible_number(number):
        raise InvalidIdentity(f"not a possible phone number: {value!r}")
    return "phone:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_handle(value: str, channel: str | None = None) -> str:
    """``"@Jo_Customer"`` (channel twitter) -> ``twitter:jo_customer``."""
    match = _HANDLE.match(value.strip())
    if not match:
        raise InvalidIdentity(f"not a handle: {value!r}")
    name = match.group(1).lower()
    if match.group(2):
        name += "@" + match.group(2).lower()
    return f"{(channel or 'handle').lower()}:{name}"


def normalize(value: str, *, channel: str | None = None, region: str | None = None) -> str:
    """Canonical form of any identity a source reports (see the module doc).

    ``channel`` scopes handles; ``region`` (ISO 3166 alpha-2, e.g. ``GB``) is
    the default country of phone numbers written without ``+``.
    Raises :class:`InvalidIdentity` for anything that is none of them.
    """
    text = value.strip()
    if not text:
        raise InvalidIdentity("empty identity")
    lower = text.lower()
    if text.startswith("@"):
        return normalize_handle(text, channel)
    if lower.startswith("mailto:") or "<" in text or _EMAIL.match(lower):
        return normalize_email(text)
    if _PHONE_CHARS.match(text):
        return normalize_phone(text, region)
    match = _NETWORK_ID.match(text)
    if match:
        return f"{match.group(1).lower()}:{match.group(2)}"
    if channel and _HANDLE.match(text):
        return normalize_handle(text, channel)
    raise InvalidIdentity(f"not an e-mail address, phone number or handle: {value!r}")


def form_of(value: str) -> str | None:
    """The documented form ``value`` has (``email``, ``phone``, ``handle``, ``network``), or None.

    Decided by the shape alone, in the order :func:`normalize` reads it; the
    value may still fail to normalise (an impossible number): that is data.
    """
    text = value.strip()
    lower = text.lower()
    if not text:
        return None
    if text.startswith("@"):
        return "handle"
    if lower.startswith("mailto:") or "<" in text or "@" in text:
        return "email"
    if _PHONE_CHARS.match(text):
        return "phone"
    if _NETWORK_ID.match(text):
        return "network"
    if _HANDLE.match(text):
        return "handle"
    return None


def keyed_hash(canonical: str, secret: bytes) -> str:
    """HMAC-SHA256 of a canonical identity under the instance secret, as hex."""
    if not secret:
        raise InvalidIdentity("the identity secret is empty")
    return hmac.digest(secret, canonical.encode("utf-8"), "sha256").hex()


def link_key(
    value: str, secret: bytes, *, channel: str | None = None, region: str | None = None
) -> str:
    """The keyed hash that links this identity across channels and cases."""
    return keyed_hash(normalize(value, channel=channel, region=region), secret)
