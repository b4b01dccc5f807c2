"""C2SP tlog-policy files and "K of N" policies: the spec's example, its rules, the quorum."""

from __future__ import annotations

import pytest

from openledger.ledger.cosignature import Cosigner
from openledger.ledger.errors import LedgerFormatError
from openledger.ledger.note import generate_key
from openledger.ledger.policy import Witness, parse_policy, parse_threshold, threshold_policy

LOG = generate_key("example.com/log").verifier().encode()
KEYS = {n: Cosigner(generate_key(f"{n.lower()}.example/w")).key.encode() for n in ("X1", "X2", "X3", "Y1", "Y2", "Y3")}


def spec_example() -> bytes:
    # c2sp.org/tlog-policy, "Example policy", with real keys in place of <vkey>
    return f"""log {LOG}

witness X1 {KEYS['X1']}
witness X2 {KEYS['X2']}
witness X3 {KEYS['X3']}
group X-witnesses 2 X1 X2 X3

witness Y1 {KEYS['Y1']}
witness Y2 {KEYS['Y2']}
witness Y3 {KEYS['Y3']}
group Y-witnesses any Y1 Y2 Y3

group X-and-Y all X-witnesses Y-witnesses
quorum X-and-Y
""".encode()


def test_the_spec_example_policy_and_its_quorum():
    policy = parse_policy(spec_example())
    assert [v.encode() for v in policy.logs] == [LOG]
    assert [w.name for w in policy.witnesses] == ["X1", "X2", "X3", "Y1", "Y2", "Y3"]
    assert [(g.name, g.threshold) for g in policy.groups] == [("X-witnesses", 2), ("Y-witnesses", 1), ("X-and-Y", 2)]
    assert policy.satisfied([KEYS["X1"], KEYS["X3"], KEYS["Y2"]])
    assert not policy.satisfied([KEYS["X1"], KEYS["Y1"], KEYS["Y2"], KEYS["Y3"]])  # one X only
    assert not policy.satisfied([KEYS["X1"], KEYS["X2"]])  # no Y
    assert policy.describe() == "2 of 2 (2 of 3 (X1, X2, X3), 1 of 3 (Y1, Y2, Y3))"
    assert parse_policy(policy.to_text().encode()).to_text() == policy.to_text()


def test_comments_whitespace_urls_and_quorum_none():
    text = f"\n# comment\n\t # another\n\twitness \t w1  {KEYS['X1']}   https://w1.example.com/  \n\n  quorum\tw1"
    policy = parse_policy(text.encode())
    assert policy.witnesses[0].url == "https://w1.example.com/"
    assert policy.satisfied([KEYS["X1"]]) and not policy.satisfied([])
    assert parse_policy(b"quorum none\n").satisfied([])


@pytest.mark.parametrize("text, why", [
    ("quorum none\n\x01", "invalid octet 0x01"),
    ("quorum none\r\n", "invalid octet 0x0d"),
    ("quibble w1\nquorum none\n", "unknown keyword"),
    ("witness w1 {X1} https://w1.example.com/ # comment\nquorum w1\n", "invalid witness definition"),
    ("log\nquorum none\n", "invalid log definition"),
    ("log garbage\nquorum none\n", "invalid log vkey"),
    ("log {LOG}\nlog {LOG}\nquorum none\n", "duplicate log public key"),
    ("witness w1 {LOG}\nquorum w1\n", "not a cosignature/v1 key"),
    ("witness none {X1}\nquorum none\n", "reserved"),
    ("witness w1 {X1}\nwitness w1 {X2}\nquorum w1\n", "duplicate name"),
    ("witness w1 {X1}\nwitness w2 {X1}\nquorum w1\n", "duplicate witness public key"),
    ("witness w1 {X1}\ngroup g1 1\nquorum w1\n", "invalid group definition"),
    ("witness w1 {X1}\ngroup g1 0 w1\nquorum g1\n", "outside \\[1, 1\\]"),
    ("witness w1 {X1}\ngroup g1 -1 w1\nquorum g1\n", "invalid threshold"),
    ("witness w1 {X1}\ngroup g1 2 w1\nquorum g1\n", "outside \\[1, 1\\]"),
    ("group g1 any w1\nwitness w1 {X1}\nquorum g1\n", "unknown member"),
    ("witness w1 {X1}\ngroup g1 any none w1\nquorum g1\n", "unknown member"),
    ("witness w1 {X1}\ngroup g1 all w1 w1\nquorum g1\n", "more than once"),
    ("witness w1 {X1}\nwitness w2 {X2}\ngroup g1 any w1 w2\ngroup g2 any w1\nquorum g1\n", "more than once"),
    ("witness w1 {X1}\n", "exactly one quorum"),
    ("witness w1 {X1}\nquorum w1\nquorum w1\n", "exactly one quorum"),
    ("quorum w1\nwitness w1 {X1}\n", "not defined"),
    ("quorum\n", "invalid quorum definition"),
])
def test_the_spec_rules_are_enforced_with_the_line(text, why):
    with pytest.raises(LedgerFormatError, match=why) as caught:
        parse_policy(text.format(LOG=LOG, X1=KEYS["X1"], X2=KEYS["X2"]).encode(), path="policy.txt")
    assert str(caught.value).startswith("policy.txt: ")


def test_k_of_n():
    witnesses = [Witness(n, Cosigner(generate_key(f"{n}.example/w")).key) for n in ("a", "b", "c")]
    assert [parse_threshold(t, 3) for t in ("2 of 3", "all", "any", "none", "3 of 3")] == [2, 3, 1, 0, 3]
    for bad in ("2 of 4", "0 of 3", "4 of 3", "two", "2of3"):
        with pytest.raises(LedgerFormatError):
            parse_threshold(bad, 3)
    policy = threshold_policy(witnesses, 2)
    keys = [w.key.encode() for w in witnesses]
    assert policy.satisfied(keys[:2]) and policy.satisfied(keys) and not policy.satisfied(keys[2:])
    assert policy.describe() == "2 of 3 (a, b, c)"
    assert threshold_policy(witnesses, 0).satisfied([])
