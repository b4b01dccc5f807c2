"""Identity normalisation and keyed hashing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openledger.errors import OpenLedgerError
from openledger.privacy import identity

SECRET = b"instance-secret-for-tests"

local_parts = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,20}", fullmatch=True)
domains = st.from_regex(r"[A-Za-z0-9-]{1,15}\.(com|org|co\.uk|de)", fullmatch=True)
handles = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,14}", fullmatch=True)


@pytest.mark.parametrize(
    ("value", "options", "canonical"),
    [
        ("Jo <Jo@Example.ORG>", {}, "email:jo@example.org"),
        ("mailto:A.B@Mail.Example.org", {}, "email:a.b@mail.example.org"),
        ("020 7946 0018", {"region": "GB"}, "phone:+442079460018"),
        ("+44 (0)20 7946 0018", {}, "phone:+442079460018"),
        ("tel:+1-202-555-0143", {}, "phone:+12025550143"),
        ("(202) 555-0143", {"region": "us"}, "phone:+12025550143"),
        ("@Jo_Customer", {"channel": "twitter"}, "twitter:jo_customer"),
        ("@Jo_Customer", {}, "handle:jo_customer"),
        ("@Jo@Mastodon.Social", {"channel": "mastodon"}, "mastodon:jo@mastodon.social"),
        ("twitter-id:2000", {}, "twitter-id:2000"),
    ],
)
def test_canonical_forms(value, options, canonical):
    assert identity.normalize(value, **options) == canonical


@pytest.mark.parametrize("value", ["", "hello world", "020 7946 0018", "@", "+1 555"])
def test_unreadable_identities_are_errors(value):
    with pytest.raises(OpenLedgerError):
        identity.normalize(value)


@given(local_parts, domains)
def test_email_case_and_wrapping_do_not_change_the_key(local, domain):
    address = f"{local}@{domain}"
    variants = [address, address.upper(), f"Someone <{address}>", f"mailto:{address.swapcase()}"]
    keys = {identity.link_key(v, SECRET) for v in variants}
    assert len(keys) == 1


@settings(max_examples=50)
@given(st.integers(min_value=2_000_000, max_value=9_999_999))
def test_phone_formats_link_to_one_key(line):
    digits = f"20{line}"[:10]
    e164 = f"+44{digits}"
    spaced = f"+44 {digits[:2]} {digits[2:6]} {digits[6:]}"
    national = f"0{digits[:2]} {digits[2:6]} {digits[6:]}"
    keys = {
        identity.link_key(e164, SECRET),
        identity.link_key(spaced, SECRET),
        identity.link_key(national, SECRET, region="GB"),
    }
    assert len(keys) == 1


@given(handles)
def test_handles_are_case_insensitive_and_scoped_by_channel(handle):
    lower = identity.link_key("@" + handle.lower(), SECRET, channel="twitter")
    assert identity.link_key("@" + handle.upper(), SECRET, channel="twitter") == lower
    assert identity.link_key("@" + handle, SECRET, channel="mastodon") != lower


@given(local_parts, domains)
def test_normalize_is_idempotent_on_the_value(local, domain):
    canonical = identity.normalize(f"{local}@{domain}")
    assert identity.normalize(canonical.split(":", 1)[1]) == canonical


def test_keyed_hash_depends_on_the_secret_and_hides_the_identity():
    key = identity.link_key("jo@example.org", SECRET)
    assert len(key) == 64 and "jo" not in key
    assert key != identity.link_key("jo@example.org", b"another secret")
    assert key == identity.keyed_hash("email:jo@example.org", SECRET)
    with pytest.raises(OpenLedgerError, match="secret"):
        identity.keyed_hash("email:jo@example.org", b"")


@pytest.mark.parametrize(("value", "form"), [
    ("Jo <jo@example.org>", "email"), ("jo@localhost", "email"), ("mailto:jo@example.org", "email"),
    ("+44 20 7946 0018", "phone"), ("020 7946 0018", "phone"), ("tel:+12025550143", "phone"),
    ("@jo", "handle"), ("@jo@mastodon.social", "handle"), ("jo_customer", "handle"),
    ("twitter-id:2000", "network"), ("reddit:jo", "network"),
    ("u/jo", None), ("/u/jo", None), ("Jo Smith", None), ("", None), ("   ", None),
])
def test_the_documented_forms_a_source_may_give(value, form):
    """form_of decides by shape (the record contract refuses None); normalising may still fail on the data."""
    assert identity.form_of(value) == form


@given(st.one_of(local_parts.map(lambda s: s + "@example.org"), handles.map(lambda h: "@" + h), handles,
                 st.text(max_size=30)))
@settings(max_examples=300)
def test_what_normalize_reads_has_a_documented_form(value):
    try:
        identity.normalize(value, channel="reddit", region="GB")
    except OpenLedgerError:
        return
    assert identity.form_of(value) is not None
