"""Customer receipts: inclusion proofs against a signed checkpoint, checked against the site."""

from __future__ import annotations

import base64
import copy
import json
import shutil

import pytest
from ledger_fixtures import cfpb_entries

from openledger.errors import OpenLedgerError
from openledger.ledger.canonical import SALT_SIZE, commit_event, opening
from openledger.ledger.checkpoint import Checkpoint, sign_checkpoint
from openledger.ledger.errors import LedgerFormatError, VerificationError
from openledger.ledger.export import export_log
from openledger.ledger.merkle import Appender, MemoryHashStore
from openledger.ledger.note import generate_key
from openledger.ledger.receipt import (
    judge_receipt,
    make_receipt,
    parse_receipt,
    receipt_json,
)

ORIGIN = "ledger.example.com/acme"
SIGNER = generate_key(ORIGIN)


def case_of(entry: bytes) -> str:
    return json.loads(entry)["case"]


@pytest.fixture
def world(tmp_path):
    """A log signed at size 300 (the receipt's checkpoint), then grown to 594 and published."""
    entries = list(cfpb_entries())
    store = MemoryHashStore()
    appender = Appender()
    store.write_hashes(appender.extend(entries[:300]))
    site = tmp_path / "site"
    first = export_log(site, entries[:300], 300, store, SIGNER)
    store.write_hashes(appender.extend(entries[300:]))
    export_log(site, entries, len(entries), store, SIGNER)
    case = case_of(entries[120])  # a case with two entries, 119 and 120
    mine = [(i, e) for i, e in enumerate(entries[:300]) if case_of(e) == case]
    receipt = make_receipt(case, mine, first.signed, store)
    return site, receipt, store, entries


def test_receipt_shape_and_verification(world):
    site, receipt, _, _ = world
    assert set(receipt) == {"v", "case", "checkpoint", "entries", "pending"}
    assert [e["index"] for e in receipt["entries"]] == [119, 120]
    assert receipt["checkpoint"].splitlines()[:2] == [ORIGIN, "300"]
    text = receipt_json(receipt)
    summary = judge_receipt(text, site)
    assert (summary.status, summary.case, summary.entries, summary.receipt_size, summary.log_size) == (
        "verified", receipt["case"], (119, 120), 300, 594
    )
    assert "included in the tree of size 300, consistent with the published log of size 594" in summary.line()


def test_receipt_against_the_current_checkpoint(world):
    site, _, store, entries = world
    signed = (site / "checkpoint").read_bytes()
    receipt = make_receipt(case_of(entries[500]), [(500, entries[500])], signed, store)
    assert judge_receipt(receipt, site).log_size == 594


def altered(receipt, change):
    r = copy.deepcopy(receipt)
    change(r)
    return r


def b64flip(value: str) -> str:
    raw = bytearray(base64.b64decode(value))
    raw[len(raw) // 2] ^= 1
    return base64.b64encode(bytes(raw)).decode()


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (lambda r: r["entries"][0].update(entry=b64flip(r["entries"][0]["entry"])), VerificationError,
         r"receipt: entries\[0\] \(log index 119\): "
         r"(inclusion proof of leaf 119 in tree size 300: the computed root|the entry is not)"),
        (lambda r: r["entries"][1]["proof"].__setitem__(2, b64flip(r["entries"][1]["proof"][2])), VerificationError,
         r"entries\[1\] \(log index 120\): inclusion proof of leaf 120 in tree size 300: "
         r"the computed root does not match"),
        (lambda r: r["entries"][0].update(index=122), VerificationError,
         r"entries\[0\] \(log index 122\): inclusion proof"),
        (lambda r: r["entries"][0]["proof"].pop(), VerificationError, r"the proof is too short"),
        (lambda r: r.update(case="c-000000000000"), VerificationError,
         r"entries\[0\] \(log index 119\): the entry is not about case c-000000000000"),
        (lambda r: r.update(checkpoint=r["checkpoint"].replace("\n300\n", "\n299\n")), VerificationError,
         r"receipt: the receipt's checkpoint is not signed by this site's key"),
        (
            lambda r: r.update(
                checkpoint=sign_checkpoint(
                    Checkpoint.parse(r["checkpoint"].split("\n\n")[0] + "\n"), generate_key(ORIGIN)
                ).decode()
            ),
            VerificationError,
            r"receipt: the receipt's checkpoint is not signed by this site's key",
        ),
        (lambda r: r.update(v=1), LedgerFormatError, r"receipt: unsupported receipt version 1"),
        (lambda r: r.pop("checkpoint"), LedgerFormatError, r"receipt: missing field\(s\): checkpoint"),
        (lambda r: r["entries"][0].update(proof=["abc"]), LedgerFormatError,
         r"receipt: entries\[0\].proof\[0\] is not standard base64"),
        (lambda r: r["entries"][0].update(proof=[base64.b64encode(bytes(31)).decode()]), LedgerFormatError,
         r"entries\[0\].proof\[0\] is 31 bytes, expected 32"),
        (lambda r: r["entries"][0].update(index=-1), LedgerFormatError,
         r"entries\[0\].index is not a non-negative integer"),
        (lambda r: r.update(entries=[]), LedgerFormatError, r"entries is not a non-empty list"),
    ],
)
def test_altered_receipts_are_refused(world, change, error, message):
    site, receipt, _, _ = world
    with pytest.raises(error, match=message):
        judge_receipt(altered(receipt, change), site)


def test_a_receipt_newer_than_the_site_is_never_verified(world):
    """Made from the log of 594 entries, checked against a site that publishes 400: entry 500 is not
    published there yet (a site not published again, or rolled back: a snapshot cannot tell), the others
    are proven in the site's own log."""
    site, _, store, entries = world
    case = case_of(entries[120])
    mine = [(i, e) for i, e in enumerate(entries) if case_of(e) == case] + [(500, entries[500])]
    mine = [(i, e) for i, e in mine if case_of(e) == case]
    receipt = make_receipt(case, mine, (site / "checkpoint").read_bytes(), store)
    shutil.rmtree(site)
    small = MemoryHashStore()
    small.write_hashes(Appender().extend(entries[:400]))
    export_log(site, entries[:400], 400, small, SIGNER)
    verdict = judge_receipt(receipt, site)
    assert (verdict.status, verdict.receipt_size, verdict.log_size) == ("newer", 594, 400)
    assert verdict.unpublished == tuple(i for i, _ in mine if i >= 400)
    assert "the receipt is newer than this site" in verdict.line() and "ok" not in verdict.line().split(":")[0]
    other = make_receipt(case_of(entries[500]), [(500, entries[500])], receipt["checkpoint"].encode(), store)
    assert judge_receipt(other, site).unpublished == (500,)


def test_a_newer_receipt_whose_old_entries_the_site_changed_is_refused(world):
    site, _, store, entries = world
    case = case_of(entries[120])
    mine = [(i, e) for i, e in enumerate(entries) if case_of(e) == case]
    receipt = make_receipt(case, mine, (site / "checkpoint").read_bytes(), store)
    forked = list(entries[:400])
    forked[119] = forked[119].replace(b'"visibility":"private"', b'"visibility":"public"')
    shutil.rmtree(site)
    small = MemoryHashStore()
    small.write_hashes(Appender().extend(forked))
    export_log(site, forked, 400, small, SIGNER)
    with pytest.raises(VerificationError, match="log index 119: not the entry this site publishes there: a fork"):
        judge_receipt(receipt, site)


def test_openings_show_the_exact_time_only_when_they_match_the_commitment(tmp_path):
    """An entry whose commitment is the two-layer one: the receipt's opening proves the exact time."""
    from openledger.ledger.entry import build_entry

    salts, commitment = commit_event("2026-03-02T08:14:09Z", {"event": 1, "actor": "agent:someone"})
    entry = build_entry(case="C-TEST", type="opened", channel="email", visibility="private", period="2026-W10",
                        data={}, deciders=[], commitment=commitment)
    store = MemoryHashStore()
    store.write_hashes(Appender().extend([entry]))
    site = tmp_path / "site"
    result = export_log(site, [entry], 1, store, SIGNER)
    opened = {"salt": base64.b64encode(salts[:SALT_SIZE]).decode(),
              **opening(salts, "2026-03-02T08:14:09Z", {"event": 1, "actor": "agent:someone"})}
    receipt = make_receipt("C-TEST", [(0, entry)], result.signed, store, {0: opened})
    verdict = judge_receipt(receipt, site)
    assert verdict.exact == {0: "2026-03-02T08:14:09Z"}
    receipt["entries"][0]["opening"]["at"] = "2026-03-02T09:14:09Z"
    with pytest.raises(VerificationError, match="the opening does not match the entry's commitment"):
        judge_receipt(receipt, site)


def test_receipt_against_a_forked_site(world):
    site, receipt, _, entries = world
    forked = list(entries)
    forked[5] = forked[5].replace(b'"visibility":"private"', b'"visibility":"public"')
    store = MemoryHashStore()
    store.write_hashes(Appender().extend(forked))
    shutil.rmtree(site)
    export_log(site, forked, len(forked), store, SIGNER)
    with pytest.raises(VerificationError, match="receipt: checkpoint: the log is not an extension of this checkpoint"):
        judge_receipt(receipt, site)


def test_receipt_that_is_not_json(world):
    site, _, _, _ = world
    with pytest.raises(LedgerFormatError, match="my-receipt.json: not JSON"):
        parse_receipt("{not json", name="my-receipt.json")
    with pytest.raises(LedgerFormatError, match="my-receipt.json: not JSON: nested too deeply"):
        parse_receipt("[" * 100_000 + "]" * 100_000, name="my-receipt.json")
    with pytest.raises(OpenLedgerError):
        judge_receipt(b"[]", site)


def test_make_receipt_refuses_an_entry_beyond_the_checkpoint(world):
    site, _, store, entries = world
    with pytest.raises(LedgerFormatError, match="entry 700 of case x is not in the checkpoint of size 594"):
        make_receipt("x", [(700, b"{}")], (site / "checkpoint").read_bytes(), store)
