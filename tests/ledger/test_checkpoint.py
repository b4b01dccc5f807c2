"""C2SP tlog-checkpoint: strict parsing and signing."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openledger.ledger.checkpoint import Checkpoint, open_checkpoint, sign_checkpoint
from openledger.ledger.errors import LedgerFormatError, VerificationError
from openledger.ledger.note import generate_key

# The example checkpoint text of https://c2sp.org/tlog-checkpoint.
SPEC_TEXT = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
ROOT = base64.b64encode(bytes(range(32))).decode()


def test_spec_example_parses_and_round_trips():
    cp = Checkpoint.parse(SPEC_TEXT)
    assert (cp.origin, cp.size, len(cp.root), cp.extensions) == ("example.com/behind-the-sofa", 20852163, 32, ())
    assert cp.to_text() == SPEC_TEXT


def test_extension_lines_are_kept():
    text = f"example.com/log\n0\n{ROOT}\nwitness-hint a\n"
    assert Checkpoint.parse(text).extensions == ("witness-hint a",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"example.com/log\n10\n{ROOT}", "does not end with a newline"),
        ("example.com/log\n10\n", "has 2 lines"),
        (f"\n10\n{ROOT}\n", "line 1: the origin is empty"),
        (f"example.com/log\n010\n{ROOT}\n", "line 2: tree size '010'"),
        (f"example.com/log\n-1\n{ROOT}\n", "line 2: tree size '-1'"),
        (f"example.com/log\n1 0\n{ROOT}\n", "line 2"),
        (f"example.com/log\n\u0661\n{ROOT}\n", "line 2"),  # an Arabic-Indic digit one
        (f"example.com/log\n{2**63}\n{ROOT}\n", "line 2: tree size '9223372036854775808' is not .* to 2\\*\\*63-1"),
        (f"example.com/log\n{2**64 + 5}\n{ROOT}\n", "line 2: tree size '18446744073709551621'"),
        (f"example.com/log\n{'9' * 5000}\n{ROOT}\n", "line 2: tree size '9999999999.*\\.\\.\\.'"),
        (f"example.com/log\n+5\n{ROOT}\n", "line 2"),
        (f"example.com/log\n5\u00a0\n{ROOT}\n", "line 2"),
        ("example.com/log\n10\nnot base64!\n", "line 3: root hash 'not base64!' is not standard base64"),
        (
            f"example.com/log\n10\n{base64.b64encode(bytes(31)).decode()}\n",
            "line 3: root hash is not the base64 of 32 bytes",
        ),
        (f"example.com/log\n10\n{ROOT}\n\n", "line 4: extension lines must not be empty"),
    ],
)
def test_malformed_checkpoints_name_the_line(text, message):
    with pytest.raises(LedgerFormatError, match=message):
        Checkpoint.parse(text, path="site/checkpoint")


@settings(max_examples=50, deadline=None)
@given(
    origin=st.text(
        st.characters(min_codepoint=33, blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=40
    ),
    size=st.integers(0, 2**63 - 1),
    root=st.binary(min_size=32, max_size=32),
)
def test_round_trip_through_a_signed_note(origin, size, root):
    signer = generate_key("example.com/ledger")
    cp = Checkpoint(origin, size, root)
    parsed, note = open_checkpoint(sign_checkpoint(cp, signer), [signer.verifier()])
    assert parsed == cp
    assert note.verified[0].name == "example.com/ledger"


def test_origin_can_be_required():
    signer = generate_key("example.com/ledger")
    signed = sign_checkpoint(Checkpoint("example.com/other", 1, bytes(32)), signer)
    with pytest.raises(VerificationError, match="origin 'example.com/other' is not the expected 'example.com/ledger'"):
        open_checkpoint(signed, [signer.verifier()], origin="example.com/ledger")
