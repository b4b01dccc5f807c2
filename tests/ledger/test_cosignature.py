"""C2SP tlog-cosignature (Ed25519 cosignature/v1): the spec's examples, real keys, tampering."""

from __future__ import annotations

import base64
from hashlib import sha256

import pytest

from openledger.ledger.checkpoint import Checkpoint, sign_checkpoint
from openledger.ledger.cosignature import (
    Cosigner,
    add_lines,
    check_cosignatures,
    cosigner_key,
    from_signature,
    message,
    parse_cosigner_key,
    parse_lines,
)
from openledger.ledger.errors import LedgerFormatError, VerificationError
from openledger.ledger.note import EM_DASH, Signature, generate_key, open_note, parse_note, parse_signer_key

# c2sp.org/tlog-cosignature, "Format": a checkpoint with a cosignature, and the message that
# the "Ed25519 signed message" section shows for it (timestamp 1679315147)
SPEC_TEXT = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
SPEC_NOTE = (
    SPEC_TEXT + "\n"
    "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
).encode()
SPEC_MESSAGE = (
    b"cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
    b"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
)
# a real witness's cosigner key and two signatures, from the tests of transparency-dev/formats
# (note/note_cosigv1_test.go): a cosignature of 1727964367 and a plain Ed25519 note signature
REMORA_KEY = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"
COSIG_1727964367 = "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA=="
PLAIN_SIGNATURE = "eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY="
# the Ed25519 signer key of witness "Wit1" in transparency-dev/formats policy/tlog_policy_test.go
WIT1_SKEY = "PRIVATE+KEY+Wit1+55ee4561+AeadRiG7XM4XiieCHzD8lxysXMwcViy5nYsoXURWGrlE"


def _signature(b64: str, name: str = "w") -> Signature:
    blob = base64.b64decode(b64)
    return Signature(name, int.from_bytes(blob[:4], "big"), blob[4:])


def test_the_spec_example_cosignature_carries_its_timestamp_and_signs_the_spec_message():
    text, sigs = parse_note(SPEC_NOTE)
    assert text == SPEC_TEXT
    cosig = from_signature(sigs[1])
    assert (cosig.name, cosig.key_id, cosig.timestamp) == ("witness.example.com/w1", 0x8D66CF3F, 1679315147)
    assert message(text, cosig.timestamp) == SPEC_MESSAGE
    assert cosig.line() == SPEC_NOTE.decode().splitlines()[-1] + "\n"  # re-encodes byte for byte


def test_a_real_witness_key_parses_with_its_key_id_over_type_0x04():
    key = parse_cosigner_key(REMORA_KEY)
    assert key.name == "remora.n621.de" and key.key_id == 0xDA77ADE7
    typed = base64.b64decode(REMORA_KEY.split("+")[2])
    assert typed[0] == 0x04
    assert key.key_id == int.from_bytes(sha256(b"remora.n621.de\n" + typed).digest()[:4], "big")
    assert key.encode() == REMORA_KEY


def test_published_cosignature_timestamp_and_a_plain_signature_that_is_not_one():
    assert from_signature(_signature(COSIG_1727964367)).timestamp == 1727964367
    with pytest.raises(LedgerFormatError, match="not a cosignature/v1"):
        from_signature(_signature(PLAIN_SIGNATURE))


@pytest.mark.parametrize("bad, why", [
    ("remora.n621.de+da77ade8+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2", "key id does not match"),
    ("remora.n621.de+da77ade7+AevN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2", "not a cosignature/v1 key"),
    ("remora.n621.de+da77ade7", "expected <name>"),
    ("remora.n621.de+da77ade7+!!!", "not base64"),
    ("remora n621+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2", "name is empty or has a space"),
])
def test_malformed_cosigner_keys_are_refused(bad, why):
    with pytest.raises(LedgerFormatError, match=why):
        parse_cosigner_key(bad)


def test_same_ed25519_key_has_another_key_id_as_cosigner_so_neither_signature_passes_for_the_other():
    signer = parse_signer_key(WIT1_SKEY)
    cosigner = Cosigner(signer)
    assert signer.verifier().encode() == "Wit1+55ee4561+AVhZSmQj9+SoL+p/nN0Hh76xXmF7QcHfytUrI1XfSClk"
    assert cosigner.key.encode() == "Wit1+9b3fb2d5+BFhZSmQj9+SoL+p/nN0Hh76xXmF7QcHfytUrI1XfSClk"
    text = Checkpoint("example.com/log", 42, bytes(32)).to_text()
    cosigned = add_lines(sign_checkpoint(Checkpoint.parse(text), generate_key("example.com/log")),
                         [cosigner.cosign(text, 1700000000).line()])
    with pytest.raises(VerificationError, match="not signed by a trusted key"):
        open_note(cosigned, [signer.verifier()])  # a cosignature is not a note signature
    checked = check_cosignatures(cosigned, [cosigner.key])
    assert [c.timestamp for _, c in checked.verified] == [1700000000]


def _cosigned(extensions=()):
    log = generate_key("example.com/log")
    checkpoint = Checkpoint("example.com/log", 7, sha256(b"root").digest(), tuple(extensions))
    w1, w2 = Cosigner(generate_key("w1.example/w")), Cosigner(generate_key("w2.example/w"))
    signed = sign_checkpoint(checkpoint, log)
    text = checkpoint.to_text()
    return add_lines(signed, [w1.cosign(text, 1700000001).line(), w2.cosign(text, 1700000002).line()]), w1, w2


def test_check_cosignatures_verifies_trusted_keys_and_ignores_others():
    data, w1, w2 = _cosigned(["extension line"])
    checked = check_cosignatures(data, [w1.key])
    assert [(k.name, c.timestamp) for k, c in checked.verified] == [("w1.example/w", 1700000001)]
    other = Cosigner(generate_key("w3.example/w"))
    checked = check_cosignatures(data, [w1.key, w2.key, other.key])
    assert checked.cosigners() == {w1.key.encode(), w2.key.encode()}
    assert checked.missing == (other.key,)


@pytest.mark.parametrize("where", ["signature", "timestamp", "text", "extension"])
def test_a_tampered_cosignature_or_text_is_refused(where):
    data, w1, _ = _cosigned(["extension line"])
    text, sigs = parse_note(data)
    blob = bytearray(sigs[1].key_id.to_bytes(4, "big") + sigs[1].signature)
    if where == "signature":
        blob[-1] ^= 1
    elif where == "timestamp":
        blob[11] ^= 1
    line = f"{EM_DASH} {sigs[1].name} {base64.b64encode(bytes(blob)).decode()}\n"
    if where == "text":
        text = text.replace("\n7\n", "\n8\n")
    if where == "extension":
        text = text.replace("extension line", "extension lime")
    altered = (text + "\n" + sigs[0].line() + line).encode()
    with pytest.raises(VerificationError, match="w1.example/w.*does not verify"):
        check_cosignatures(altered, [w1.key])


def test_timestamps_must_be_positive_and_below_2_to_63():
    key = cosigner_key("w.example/w", bytes(32))
    assert key.name == "w.example/w"
    with pytest.raises(LedgerFormatError, match="not in 1..2"):
        message("x\n", 0)
    with pytest.raises(LedgerFormatError, match="not in 1..2"):
        from_signature(Signature("w", 1, (2**63).to_bytes(8, "big") + bytes(64)))


def test_witness_response_lines_of_the_spec_parse():
    # c2sp.org/tlog-witness, add-checkpoint: the example response body
    body = (
        "— witness.example/w1 CMp+6LWBU0anHGH5aNDTJkH/gj79sG+T6+iP2ThYN5krrDJbR1HDnucjL39QsZTSvVjyQLrdk3DXDqI5G2HgLatVs0pWh6Up69HVOw==\n"
        "— witness.example/w1 I7rEps0pvK2UqkS2gSpVUDhrhVtQV9lgF6pRrWAvjJHjyWpW7VcE3SiOlVlbQNt64vWhO+DlkL0+UfzuOBMh9ChdMkP1vi/lCAsmlw==\n"
        "— witness.example/w2 AWui8Sk55XjYLOijihBjhqEH6nS1ndDymE0a+6idX7pLcnoB+dhnz0854aLZgrrKbYKA7nC3HNJhm/kWl7oJlqU3rXXvpysAdyP3wQ==\n"
    ).encode()
    sigs = parse_lines(body)
    assert [s.name for s in sigs] == ["witness.example/w1", "witness.example/w1", "witness.example/w2"]
    assert [len(s.signature) for s in sigs] == [72, 72, 72]
    with pytest.raises(LedgerFormatError):
        parse_lines(b"- witness.example/w1 AAAA\n")


def test_add_lines_does_not_repeat_a_line():
    data, w1, _ = _cosigned()
    line = parse_note(data)[1][1].line()
    assert add_lines(data, [line]) == data
