"""C2SP signed notes with Ed25519: the Go reference vector, keys, key files."""

from __future__ import annotations

import base64
import os
import stat
from hashlib import sha256

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openledger.errors import OpenLedgerError
from openledger.ledger.errors import LedgerFormatError, VerificationError
from openledger.ledger.note import (
    EM_DASH,
    generate_key,
    key_id,
    open_note,
    parse_note,
    parse_signer_key,
    parse_verifier_key,
    read_signer_key,
    sign_note,
    write_signer_key,
)

# The example key and note of golang.org/x/mod/sumdb/note (package documentation
# and note_test.go), the reference implementation of c2sp.org/signed-note.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
GO_NOTE = (
    GO_TEXT
    + "\n"
    + EM_DASH
    + " PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
).encode()


def test_reference_key_and_signature_byte_for_byte():
    signer = parse_signer_key(GO_SKEY)
    assert signer.name == "PeterNeumann" and signer.key_id == 0xC74F20A3
    assert signer.encode() == GO_SKEY
    assert signer.verifier().encode() == GO_VKEY
    assert sign_note(GO_TEXT, [signer]) == GO_NOTE  # Ed25519 is deterministic
    note = open_note(GO_NOTE, [parse_verifier_key(GO_VKEY)])
    assert note.text == GO_TEXT
    assert [(s.name, s.key_id) for s in note.verified] == [("PeterNeumann", 0xC74F20A3)]


def test_key_id_is_sha256_of_name_newline_type_and_key():
    verifier = parse_verifier_key(GO_VKEY)
    typed = base64.b64decode(GO_VKEY.split("+")[2])
    assert typed[0] == 1
    assert key_id("PeterNeumann", typed) == int.from_bytes(sha256(b"PeterNeumann\n" + typed).digest()[:4], "big")
    assert verifier.key_id == 0xC74F20A3


def test_generated_keys_round_trip_and_sign():
    signer = generate_key("ledger.example.com/acme")
    again = parse_signer_key(signer.encode())
    assert again.verifier().encode() == signer.verifier().encode()
    assert signer.encode().startswith("PRIVATE+KEY+ledger.example.com/acme+")
    text = "ledger.example.com/acme\n42\n" + base64.b64encode(bytes(32)).decode() + "\n"
    note = open_note(sign_note(text, [signer]), [parse_verifier_key(signer.verifier().encode())])
    assert note.text == text


@pytest.mark.parametrize(
    "bad",
    [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # wrong key id
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TV",  # altered key
        "PeterNeumann+c74f20a3",  # missing key
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # space in name
        "PeterNeumann+c74f20+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # short id
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",  # wrong length (Go test)
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # unknown algorithm (Go test)
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T!",  # not base64
    ],
)
def test_malformed_verifier_keys_are_refused(bad):
    with pytest.raises(LedgerFormatError):
        parse_verifier_key(bad)


def test_every_single_byte_change_of_the_signer_key_is_refused():
    raw = bytearray(GO_SKEY.encode())
    for i in range(len(raw)):
        raw[i] += 1
        with pytest.raises(LedgerFormatError):
            parse_signer_key(raw.decode("latin-1"))
        raw[i] -= 1


def test_wrong_key_is_refused():
    other = generate_key("PeterNeumann")  # same name, other key: an unknown key
    with pytest.raises(VerificationError, match="not signed by a trusted key"):
        open_note(GO_NOTE, [other.verifier()])


def test_altered_text_is_refused():
    altered = GO_NOTE.replace(b"cryptography", b"cryptographY")
    with pytest.raises(VerificationError, match=r"signature by PeterNeumann\+c74f20a3 does not verify"):
        open_note(altered, [parse_verifier_key(GO_VKEY)])


def test_altered_signature_is_refused():
    text, sigs = parse_note(GO_NOTE)
    blob = bytearray(sigs[0].key_id.to_bytes(4, "big") + sigs[0].signature)
    blob[10] ^= 1
    altered = (text + "\n" + f"{EM_DASH} PeterNeumann {base64.b64encode(bytes(blob)).decode()}\n").encode()
    with pytest.raises(VerificationError, match="does not verify"):
        open_note(altered, [parse_verifier_key(GO_VKEY)])


def test_only_unknown_signatures_is_refused_and_unknown_ones_are_ignored():
    enoch = generate_key("EnochRoot")
    both = sign_note(GO_TEXT, [parse_signer_key(GO_SKEY), enoch])
    note = open_note(both, [parse_verifier_key(GO_VKEY)])
    assert [s.name for s in note.verified] == ["PeterNeumann"]
    assert [s.name for s in note.unverified] == ["EnochRoot"]
    only_enoch = sign_note(GO_TEXT, [enoch])
    with pytest.raises(VerificationError, match=r"signed by: EnochRoot\+"):
        open_note(only_enoch, [parse_verifier_key(GO_VKEY)])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (GO_NOTE.replace(b"\n\n", b"\n"), "no blank line"),
        (GO_NOTE[:-1], "does not end with a newline"),
        (GO_NOTE.replace(b"problem,", b"problem,\r"), "control character"),
        (GO_NOTE.replace(EM_DASH.encode(), b"-"), "line 4 is not a signature line"),
        (GO_NOTE + b"\xff\n", "not valid UTF-8"),
        (GO_TEXT.encode() + b"\n", "no signature lines"),
    ],
)
def test_malformed_notes_name_the_problem(data, message):
    with pytest.raises(LedgerFormatError, match=message):
        open_note(data, [parse_verifier_key(GO_VKEY)])


@settings(max_examples=40, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",), min_codepoint=32) | st.just("\n"), max_size=200))
def test_any_text_signs_and_verifies_and_any_byte_flip_fails(text):
    signer = parse_signer_key(GO_SKEY)
    text = text + "\n"
    signed = sign_note(text, [signer])
    assert open_note(signed, [signer.verifier()]).text == text
    body = len(text.encode())
    flipped = bytearray(signed)
    flipped[body // 2] ^= 0x01
    with pytest.raises(OpenLedgerError):
        open_note(bytes(flipped), [signer.verifier()])


def test_signer_key_file_is_created_0600_and_never_overwritten(tmp_path):
    path = tmp_path / "ledger.key"
    signer = generate_key("example.com/ledger")
    old_umask = os.umask(0)  # even with a permissive umask
    try:
        write_signer_key(path, signer)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_signer_key(path).encode() == signer.encode()
    with pytest.raises(OpenLedgerError, match="already exists"):
        write_signer_key(path, generate_key("example.com/ledger"))
    assert read_signer_key(path).encode() == signer.encode()


def test_a_key_file_readable_by_others_is_refused(tmp_path):
    path = tmp_path / "ledger.key"
    write_signer_key(path, generate_key("example.com/ledger"))
    path.chmod(0o644)
    with pytest.raises(OpenLedgerError, match=r"ledger.key: the key file is readable by others \(mode 0644\)"):
        read_signer_key(path)


def test_the_c2sp_signed_note_example_verifies():
    # c2sp.org/signed-note, "Verifier keys", "Example"
    vkey = parse_verifier_key("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
    data = ("This is an example message.\n\n" + EM_DASH + " example.com/foo "
            "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n").encode()
    note = open_note(data, [vkey])
    assert note.text == "This is an example message.\n"
    assert note.verified[0].line() == data.decode().splitlines()[-1] + "\n"
