"""C2SP tlog-tiles paths, layout, entry bundles and reading hashes from tiles."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ledger_fixtures import cfpb_entries

from openledger.ledger.errors import LedgerFormatError
from openledger.ledger.export import export_log
from openledger.ledger.merkle import (
    Appender,
    MemoryHashStore,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_from_store,
    verify_inclusion,
)
from openledger.ledger.note import generate_key
from openledger.ledger.published import LocalFiles
from openledger.ledger.tiles import (
    TileHashReader,
    bundle_path,
    decode_bundle,
    encode_bundle,
    encode_index,
    iter_entries,
    level_tiles,
    tile_levels,
    tile_path,
)


@pytest.mark.parametrize(
    ("n", "path"),
    [
        (0, "000"), (7, "007"), (999, "999"), (1000, "x001/000"),
        (1234067, "x001/x234/067"), (10**9, "x001/x000/x000/000"),
    ],
)
def test_index_encoding(n, path):
    assert encode_index(n) == path


def test_tile_and_bundle_paths():
    assert tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert tile_path(1, 3, 17) == "tile/1/003.p/17"
    assert bundle_path(273, 112) == "tile/entries/273.p/112"
    assert bundle_path(5) == "tile/entries/005"
    with pytest.raises(ValueError):
        tile_path(0, 0, 0)


def test_layout_of_the_spec_example_tree_of_70000():
    # "a tree of size 70,000 will be represented by 273 full level 0 tiles, one
    # partial level 0 tile of width 112, one full level 1 tile, one partial level
    # 1 tile of width 17, and one partial level 2 tile of width 1" (c2sp.org/tlog-tiles)
    level0 = level_tiles(70000, 0)
    assert len(level0) == 274 and level0[-1] == (273, 112) and all(w == 256 for _, w in level0[:-1])
    assert level_tiles(70000, 1) == [(0, 256), (1, 17)]
    assert level_tiles(70000, 2) == [(0, 1)]
    assert tile_levels(70000) == 3
    assert level_tiles(256, 0) == [(0, 256)] and level_tiles(256, 1) == [(0, 1)]
    assert tile_levels(0) == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=300), max_size=40))
def test_bundles_round_trip(entries):
    assert decode_bundle(encode_bundle(entries)) == entries


def test_bundle_errors_name_the_entry():
    data = encode_bundle([b"abc", b"defg"])
    with pytest.raises(LedgerFormatError, match="tile/entries/001: entry 257 runs past the end"):
        decode_bundle(data[:-1], "tile/entries/001", first=256)
    with pytest.raises(LedgerFormatError, match="entry 2 has a truncated length prefix"):
        decode_bundle(data + b"\x00", "bundle")
    with pytest.raises(LedgerFormatError, match="entry 0 of the bundle is 65536 bytes"):
        encode_bundle([bytes(65536)])


def test_proofs_from_published_tiles_equal_proofs_from_the_store(tmp_path):
    entries = list(cfpb_entries())
    store = MemoryHashStore()
    store.write_hashes(Appender().extend(entries))
    size = len(entries)
    export_log(tmp_path, entries, size, store, generate_key("example.com/ledger"))
    tiles = TileHashReader(LocalFiles(tmp_path), size)
    root = root_from_store(size, store)
    for index in (0, 255, 256, 300, size - 1):
        proof = inclusion_proof(index, size, tiles)
        assert proof == inclusion_proof(index, size, store)
        verify_inclusion(index, size, leaf_hash(entries[index]), proof, root)
    for old in (1, 255, 256, 257, 511, 512, size - 1):
        assert consistency_proof(old, size, tiles) == consistency_proof(old, size, store)


def test_entries_read_back_from_a_published_log(tmp_path):
    entries = list(cfpb_entries())
    store = MemoryHashStore()
    store.write_hashes(Appender().extend(entries))
    export_log(tmp_path, entries, len(entries), store, generate_key("example.com/ledger"))
    source = LocalFiles(tmp_path)
    assert [e for _, e in iter_entries(source, len(entries))] == entries
    assert next(iter_entries(source, len(entries), start=300)) == (300, entries[300])
