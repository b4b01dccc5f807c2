"""Verify an exported log from its files alone; every alteration is detected."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from dripping import DrippingServer
from ledger_fixtures import cfpb_entries

from openledger.errors import NotFoundError, OpenLedgerError
from openledger.ledger.checkpoint import Checkpoint, sign_checkpoint
from openledger.ledger.errors import LedgerFormatError, VerificationError
from openledger.ledger.export import export_log
from openledger.ledger.merkle import Appender, MemoryHashStore, root_from_store
from openledger.ledger.note import generate_key, parse_signer_key, sign_note
from openledger.ledger.published import open_published
from openledger.ledger.tiles import (
    HeldEntries,
    bundle_path,
    decode_bundle,
    encode_bundle,
    iter_entries,
    last_tile,
    tile_levels,
    tile_path,
)
from openledger.ledger.verify import verify_log

ORIGIN = "ledger.example.com/acme"
KEY = generate_key(ORIGIN).encode()  # one signer key for the module
SIZE = len(cfpb_entries())  # 594: bundles 000, 001 and 002.p/82; tiles 0/000, 0/001, 0/002.p/82, 1/000.p/2


def publish(directory: Path, entries, signer=None):
    store = MemoryHashStore()
    store.write_hashes(Appender().extend(entries))
    return export_log(directory, entries, len(entries), store, signer or parse_signer_key(KEY))


@pytest.fixture
def site(tmp_path) -> Path:
    publish(tmp_path / "site", list(cfpb_entries()))
    return tmp_path / "site"


def test_the_entries_checked_are_kept_for_the_site_check(site):
    kept = HeldEntries()
    verify_log(site, entries=kept)
    assert len(kept) == SIZE
    assert list(kept) == list(enumerate(cfpb_entries()))
    assert list(kept) == list(iter_entries(open_published(site), SIZE))


def test_held_entries_read_once_let_go_of_their_bundles(site):
    kept = HeldEntries()
    verify_log(site, entries=kept)
    once = kept.read_once()
    assert (len(once), len(kept), list(kept)) == (SIZE, 0, [])
    assert list(once) == list(enumerate(cfpb_entries()))
    assert list(once) == []  # read once: nothing is held any more


def test_held_entries_stop_at_a_bundle_that_cannot_be_decoded():
    held = HeldEntries()
    held.add(0, 2, encode_bundle([b"first", b"second"]), "tile/entries/000")
    held.add(256, 1, b"\x00\x09cut", "tile/entries/001")  # its length says 9 bytes, 3 follow
    held.add(512, 1, encode_bundle([b"after"]), "tile/entries/002")
    assert list(held) == [(0, b"first"), (1, b"second")]
    assert list(held.read_once()) == [(0, b"first"), (1, b"second")]


def edit(path: Path, change) -> None:
    path.write_bytes(change(path.read_bytes()))


def test_an_untouched_export_verifies(site):
    summary = verify_log(site)
    assert (summary.size, summary.entries, summary.origin) == (SIZE, SIZE, ORIGIN)
    store = MemoryHashStore()
    store.write_hashes(Appender().extend(cfpb_entries()))
    assert summary.root == root_from_store(SIZE, store)
    assert summary.line().startswith(f"ok: {ORIGIN}: 594 entries, tree size 594, root ")
    assert {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} == {
        "checkpoint", "verifier.key", "tile/entries/000", "tile/entries/001", "tile/entries/002.p/82",
        "tile/0/000", "tile/0/001", "tile/0/002.p/82", "tile/1/000.p/2",
    }


def flip(at: int):
    return lambda data: data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]


def swap_entries(i: int, j: int):
    def change(data: bytes) -> bytes:
        entries = decode_bundle(data)
        entries[i], entries[j] = entries[j], entries[i]
        return encode_bundle(entries)
    return change


def entry_offset(data: bytes, k: int) -> int:
    pos = 0
    for _ in range(k):
        pos += 2 + (data[pos] << 8 | data[pos + 1])
    return pos


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        # entry bundles
        ("tile/entries/001", lambda d: flip(entry_offset(d, 7) + 40)(d),
         r"tile/0/001: hash 7 is not the leaf hash of entry 263 in tile/entries/001"),
        ("tile/entries/000", swap_entries(3, 4), r"tile/0/000: hash 3 is not the leaf hash of entry 3 in"),
        ("tile/entries/001", lambda d: d[:100] + d[101:], r"tile/entries/001: entry 2\d\d runs past the end"),
        ("tile/entries/001", lambda d: d[:100] + b"x" + d[100:], r"tile/entries/001: entry 2\d\d runs past the end"),
        ("tile/entries/001", lambda d: d[:2] + b"x" + d[3:], r"tile/0/001: hash 0 is not the leaf hash of entry 256"),
        ("tile/entries/000", lambda d: d[: entry_offset(d, 255)],
         r"tile/entries/000: bundle has 255 entries, expected 256"),
        ("tile/entries/002.p/82", lambda d: d + encode_bundle([b'{"case":"c-forged"}']),
         r"tile/entries/002.p/82: bundle has 83 entries, expected 82"),
        ("tile/entries/000", flip(0), r"tile/entries/000: entry \d+ (runs past the end|has a truncated)"),
        # hash tiles
        ("tile/0/001", flip(32 * 9 + 5), r"tile/0/001: hash 9 is not the leaf hash of entry 265 in tile/entries/001"),
        ("tile/0/000", lambda d: d[:-1], r"tile/0/000: tile is 8191 bytes, expected 8192 \(256 hashes\)"),
        ("tile/0/002.p/82", lambda d: d + bytes(32), r"tile/0/002.p/82: tile is 2656 bytes, expected 2624"),
        ("tile/1/000.p/2", flip(40),
         r"tile/1/000.p/2: hash 1 does not match the hash recomputed from entries 256..511"),
        ("tile/1/000.p/2", lambda d: d[32:] + d[:32], r"tile/1/000.p/2: hash 0 does not match"),
        # checkpoint
        ("checkpoint", lambda d: d.replace(b"\n594\n", b"\n593\n"),
         r"checkpoint: the signature by ledger.example.com/acme\+[0-9a-f]{8} does not verify"),
        ("checkpoint", lambda d: d[:-10] + (b"A" if d[-10:-9] != b"A" else b"B") + d[-9:],
         r"checkpoint: the signature by .* does not verify"),
        ("checkpoint", lambda d: d.replace(b"\n\n", b"\n"), r"checkpoint: note has no blank line"),
        ("checkpoint", lambda d: b"", r"checkpoint: note does not end with a newline"),
        ("verifier.key", lambda d: d[:-12] + (b"B" if d[-12:-11] != b"B" else b"C") + d[-11:],
         r"verifier.key: verifier key for ledger.example.com/acme: key id .* does not match"),
    ],
)
def test_each_alteration_is_detected_with_a_precise_message(site, file, change, message):
    edit(site / file, change)
    with pytest.raises(OpenLedgerError, match=message):
        verify_log(site)


@pytest.mark.parametrize(
    "file", ["tile/entries/001", "tile/0/002.p/82", "tile/1/000.p/2", "checkpoint", "verifier.key"]
)
def test_a_deleted_file_is_named(site, file):
    (site / file).unlink()
    with pytest.raises(NotFoundError, match=f"{file}: file is missing"):
        verify_log(site)


def test_reordered_bundles_are_detected(site):
    a, b = site / "tile/entries/000", site / "tile/entries/001"
    data_a, data_b = a.read_bytes(), b.read_bytes()
    a.write_bytes(data_b)
    b.write_bytes(data_a)
    with pytest.raises(VerificationError, match=r"tile/0/000: hash 0 is not the leaf hash of entry 0"):
        verify_log(site)


def test_rewritten_entries_with_consistent_tiles_fail_on_the_signed_root(site, tmp_path):
    # An attacker without the key rewrites entry 10 and regenerates every tile
    # consistently, but cannot sign the new root: the old checkpoint stays.
    forged = list(cfpb_entries())
    forged[10] = forged[10].replace(b'"visibility":"private"', b'"visibility":"public"')
    assert forged[10] != cfpb_entries()[10]
    publish(tmp_path / "forged", forged)
    for path in (tmp_path / "forged" / "tile").rglob("*"):
        if path.is_file():
            shutil.copy(path, site / path.relative_to(tmp_path / "forged"))
    with pytest.raises(
        VerificationError, match=r"checkpoint: the root recomputed from the entries, .* is not the signed root"
    ):
        verify_log(site)


def test_resigned_with_another_key_is_refused(site):
    intruder = generate_key(ORIGIN)  # same name, different key
    text = (site / "checkpoint").read_bytes().split(b"\n\n")[0].decode() + "\n"
    (site / "checkpoint").write_bytes(sign_checkpoint(Checkpoint.parse(text), intruder))
    with pytest.raises(VerificationError, match=r"checkpoint: not signed by a trusted key"):
        verify_log(site)
    # Replacing verifier.key too fools only those who do not pin the key.
    (site / "verifier.key").write_text(intruder.verifier().encode() + "\n")
    assert verify_log(site).size == SIZE
    pinned = parse_signer_key(KEY).verifier().encode()
    with pytest.raises(VerificationError, match="not signed by a trusted key"):
        verify_log(site, key=pinned)


def test_growth_is_proven_consistent_with_an_older_checkpoint(tmp_path):
    entries = list(cfpb_entries())
    old = publish(tmp_path / "site", entries[:300]).signed
    publish(tmp_path / "site", entries)
    summary = verify_log(tmp_path / "site", since=old)
    assert summary.since.size == 300
    assert summary.line().endswith("consistent with the checkpoint of size 300")


def test_a_truncated_log_is_detected_with_the_older_checkpoint(tmp_path, site):
    old = (site / "checkpoint").read_bytes()
    shutil.rmtree(site)
    publish(site, list(cfpb_entries())[:500])  # validly signed, but shorter
    assert verify_log(site).size == 500
    with pytest.raises(
        VerificationError,
        match=r"old.checkpoint: the log has 500 entries but this older checkpoint has 594: the log was truncated",
    ):
        verify_log(site, since=old, since_name="old.checkpoint")


def test_a_rewritten_history_is_detected_with_the_older_checkpoint(tmp_path, site):
    old = (site / "checkpoint").read_bytes()
    forged = list(cfpb_entries()) + [cfpb_entries()[0]]
    forged[10] = forged[10].replace(b'"visibility":"private"', b'"visibility":"public"')
    shutil.rmtree(site)
    publish(site, forged)  # signed with the real key: a fork
    assert verify_log(site).size == SIZE + 1
    with pytest.raises(
        VerificationError,
        match=r"old: the log is not an extension of this checkpoint: consistency proof from tree size 594 to 595",
    ):
        verify_log(site, since=old, since_name="old")


def test_an_older_checkpoint_by_another_key_is_refused(site):
    other = sign_checkpoint(Checkpoint(ORIGIN, 10, bytes(32)), generate_key(ORIGIN))
    with pytest.raises(VerificationError, match="old: not signed by a trusted key"):
        verify_log(site, since=other, since_name="old")


def test_empty_log_verifies(tmp_path):
    publish(tmp_path / "empty", [])
    summary = verify_log(tmp_path / "empty")
    assert summary.size == 0 and summary.root.hex().startswith("e3b0c442")


@pytest.fixture
def served(site):
    handler = partial(SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_verify_over_http(served):
    site, url = served
    assert verify_log(url).size == SIZE
    edit(site / "tile/0/001", flip(3))
    with pytest.raises(VerificationError, match=rf"{url}tile/0/001: hash 0 is not the leaf hash of entry 256"):
        verify_log(url)
    (site / "tile/entries/001").unlink()
    with pytest.raises(NotFoundError, match=rf"{url}tile/entries/001: file is missing \(HTTP 404\)"):
        verify_log(url)


def test_a_missing_directory_is_named(tmp_path):
    with pytest.raises(NotFoundError, match="nowhere: no such directory"):
        verify_log(tmp_path / "nowhere")
    with pytest.raises(LedgerFormatError):
        verify_log(tmp_path, key="not a key")


def test_key_can_be_pinned_by_file(site, tmp_path):
    pinned = tmp_path / "acme.vkey"
    pinned.write_text(parse_signer_key(KEY).verifier().encode() + "\n")
    assert verify_log(site, key=pinned).size == SIZE
    pinned.write_text(generate_key(ORIGIN).verifier().encode() + "\n")
    with pytest.raises(VerificationError, match="checkpoint: not signed by a trusted key"):
        verify_log(site, key=str(pinned))


# A hostile site: the company (or whoever holds the site's key) signs a checkpoint claiming far more
# entries than it publishes. An auditor without --key trusts that key, so only the files can bound the work.
MEASURE = """
import resource, subprocess, sys
def cap():
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))  # a regression must not eat the machine
done = subprocess.run([sys.executable, "-m", "openledger", "verify", sys.argv[1]],
                      capture_output=True, text=True, preexec_fn=cap, timeout=120)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
# the work done, in CPU seconds (the wall clock also counts the other work of a shared machine)
print(done.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)  # ru_maxrss: KiB on Linux
sys.stderr.write(done.stderr)
"""


def hostile_site(site: Path, size: int) -> Path:
    real = (site / "checkpoint").read_bytes().decode().split("\n")
    forged = Checkpoint(real[0], size, base64.b64decode(real[2]))
    (site / "checkpoint").write_bytes(sign_checkpoint(forged, parse_signer_key(KEY)))
    return site


@pytest.mark.parametrize("size", [2**40, 2**63 - 1, SIZE + 1, 2**16])
def test_a_hostile_checkpoint_fails_fast_in_bounded_memory(site, size):
    hostile_site(site, size)
    done = subprocess.run([sys.executable, "-c", MEASURE, str(site)], capture_output=True, text=True, timeout=180)
    code, seconds, peak_kib = done.stdout.split()
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert re.fullmatch(rf"Error: {re.escape(str(site))}/tile/\S+: file is missing: the checkpoint claims a tree "
                        rf"of {size} entries and the published files do not hold them", lines[0]), lines[0]
    assert code == "1"
    assert int(peak_kib) < 200 * 1024, f"peak memory {int(peak_kib) // 1024} MiB"
    print(f"size {size}: {float(seconds):.2f} s of CPU, peak {int(peak_kib) // 1024} MiB")
    assert float(seconds) < 5, f"{float(seconds):.1f} s of CPU"  # a generous bound on a failure, not a speed test


def test_a_hostile_checkpoint_with_its_last_tiles_forged_stops_at_the_first_missing_file(site):
    # The forger also writes the last bundle and tiles the claimed size needs: the check then reads
    # the published files in order and stops at the first one missing, after the entries present.
    size = 2**40
    hostile_site(site, size)
    for level in range(tile_levels(size)):
        path = site / tile_path(level, *last_tile(size, level))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes(32 * last_tile(size, level)[1]))
    bundle = site / bundle_path(*last_tile(size, 0))
    bundle.parent.mkdir(parents=True, exist_ok=True)
    bundle.write_bytes(encode_bundle([b"{}"] * 256))
    with pytest.raises(NotFoundError, match=r"tile/entries/002: file is missing"):
        verify_log(site)


def test_verify_without_key_says_it_trusts_the_published_key_and_how_to_pin_it(site):
    run = partial(subprocess.run, capture_output=True, text=True, timeout=120)
    done = run([sys.executable, "-m", "openledger", "verify", str(site)])
    key = parse_signer_key(KEY).verifier().encode()
    assert done.returncode == 0 and done.stdout.startswith("ok: ")
    assert done.stderr == (f"note: trusting the key published with the site ({site}/verifier.key): that proves the "
                           "log is consistent, not whose it is; pin the key, obtained from the company another "
                           f"way, with: openledger verify {site} --key '{key}'\n")
    pinned = run([sys.executable, "-m", "openledger", "verify", str(site), "--key", key])
    assert pinned.returncode == 0 and pinned.stderr == ""


@pytest.mark.parametrize("size", [2**63, 2**64 + 5])
def test_a_checkpoint_size_past_2_63_minus_1_is_refused_by_the_parser(site, size):
    text = (site / "checkpoint").read_bytes().decode().split("\n\n")[0] + "\n"
    forged = text.replace(f"\n{SIZE}\n", f"\n{size}\n").encode()
    (site / "checkpoint").write_bytes(sign_note(forged.decode(), [parse_signer_key(KEY)]))
    with pytest.raises(LedgerFormatError, match=rf"checkpoint: checkpoint line 2: tree size '{size}' is not"):
        verify_log(site)


@pytest.mark.parametrize("path", ["../secret", "tile/../../secret", "/etc/passwd", "file:///etc/passwd",
                                  "//example.com/x", "C:\\x", "a\\..\\..\\secret", ""])
def test_a_published_file_is_read_only_from_inside_the_published_files(tmp_path, path):
    """Some paths read come from the site's own files (the company's word): none may leave the folder or the
    URL, or name another scheme (urllib would open file:// from an http site)."""
    (tmp_path / "secret").write_text("mine")
    site = tmp_path / "site"
    site.mkdir()
    for where in (str(site), "http://127.0.0.1:9/site/"):
        with pytest.raises(OpenLedgerError, match="not a path inside the published files"):
            open_published(where).read(path)


def test_a_link_out_of_the_published_folder_is_not_followed(tmp_path, site):
    """A site is the company's word: a symbolic link in it (to the verifier's own files, whose text a
    difference would quote) is refused in one line, as is a folder reached through one, and never read."""
    secret = tmp_path / "id_ed25519"
    secret.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    (site / "verifier.key").unlink()
    (site / "verifier.key").symlink_to(secret)
    with pytest.raises(OpenLedgerError, match=r"verifier.key: not read: a symbolic link") as raised:
        verify_log(site)
    assert "PRIVATE" not in str(raised.value)
    done = subprocess.run([sys.executable, "-m", "openledger", "verify", str(site)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "verifier.key: not read: a symbolic link" in done.stderr and "PRIVATE" not in done.stdout + done.stderr
    # a folder of the log reached through a link: its files are not read either
    (site / "verifier.key").unlink()
    mine = tmp_path / "elsewhere"
    shutil.move(site / "tile" / "entries", mine)
    (site / "tile" / "entries").symlink_to(mine, target_is_directory=True)
    with pytest.raises(OpenLedgerError, match=r"tile/entries/\S+: not read: its folder is reached through a symbolic"):
        verify_log(site, key=parse_signer_key(KEY).verifier().encode())


def test_a_named_pipe_or_a_folder_is_refused_not_waited_on(site):
    (site / "checkpoint").unlink()
    os.mkfifo(site / "checkpoint")  # no writer: a plain read would wait for ever
    with pytest.raises(OpenLedgerError, match=r"checkpoint: not read: not a regular file"):
        verify_log(site)
    (site / "checkpoint").unlink()
    (site / "checkpoint").mkdir()
    with pytest.raises(OpenLedgerError, match=r"checkpoint: not read: a folder"):
        verify_log(site)


def test_a_server_that_sends_without_end_is_cut_at_the_largest_published_file(served, monkeypatch):
    """A published file is at most MAX_FILE bytes: a server sending more (or for ever) is stopped there and
    named, whatever its Content-Length says."""
    import openledger.ledger.published as published

    site, url = served
    monkeypatch.setattr(published, "MAX_FILE", 1000)
    (site / "checkpoint").write_bytes(b"x" * 5000)
    with pytest.raises(OpenLedgerError, match=rf"{url}checkpoint: not read: over the 1,000 bytes"):
        verify_log(url)
    with pytest.raises(OpenLedgerError, match=r"checkpoint: not read: 5,000 bytes, over the 1,000"):
        verify_log(site)


@pytest.mark.parametrize("head, body", [
    (b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 500 + b"\r\n\r\n", b""),  # headers dripped
    (b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n", b"b" * 500),  # a body of a stated length
    (b"HTTP/1.0 200 OK\r\n\r\n", b"c" * 500),  # a body that ends when the connection does
], ids=["headers", "length", "until-closed"])
def test_a_server_that_drips_its_answer_is_cut_at_the_deadline(monkeypatch, head, body):
    """Each wait for the next bytes is short, so no per-wait timeout trips; the whole file must still arrive
    within HTTP_DEADLINE, or the verifier names it and stops (a company's server must not hold an auditor's
    check open for ever, nor have a partial answer taken for the file)."""
    import openledger.ledger.published as published

    monkeypatch.setattr(published, "HTTP_DEADLINE", 1)
    with DrippingServer(head, body) as server, \
            pytest.raises(OpenLedgerError, match=rf"{server.url}\S+: not read: not whole within 1 s,"):
        verify_log(server.url)


def test_the_log_verified_beside_gets_the_same_entries_through_its_pipe(site):
    """verify_log_beside (forked): the entries come in log order, once, as the bundles are handed to the proof;
    the proof is whole whether the entries are read to the end, in part, or not at all (it reads the rest
    itself), and never waits for a reader that stopped."""
    from openledger.ledger.verify import verify_log_beside

    entries, proof = verify_log_beside(site, jobs=2)
    assert len(entries) == SIZE and list(entries.read_once()) == list(enumerate(cfpb_entries()))
    assert list(entries) == []  # once only: what was handed to the proof
    assert proof().size == SIZE and proof().entries == SIZE
    for read in (0, 1, 300):
        entries, proof = verify_log_beside(site, jobs=2)
        for _, _ in zip(range(read), entries):
            pass
        assert proof().entries == SIZE


def test_a_tampered_bundle_is_found_by_the_proof_beside_as_alone(site):
    from openledger.ledger.verify import verify_log_beside

    edit(site / "tile/entries/001", flip(40))
    with pytest.raises(VerificationError) as alone:
        verify_log(site)
    entries, proof = verify_log_beside(site, jobs=2)
    list(entries)
    with pytest.raises(VerificationError) as beside:
        proof()
    assert str(beside.value) == str(alone.value)
    (site / "tile/entries/001").unlink()
    entries, proof = verify_log_beside(site, jobs=2)
    assert len(list(entries)) == 256  # the entries stop where the files do
    with pytest.raises(NotFoundError, match=r"tile/entries/001: file is missing"):
        proof()
