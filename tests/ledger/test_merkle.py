"""RFC 6962 / RFC 9162 Merkle tree: published test vectors and properties."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openledger.errors import StoreError
from openledger.ledger.errors import VerificationError
from openledger.ledger.merkle import (
    EMPTY_ROOT,
    Appender,
    MemoryHashStore,
    consistency_proof,
    frontier_nodes,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_from_leaf_hashes,
    root_from_store,
    verify_consistency,
    verify_inclusion,
)

# Test vectors from the transparency-dev/merkle project (the Certificate
# Transparency reference implementation), testonly/constants.go (LeafInputs,
# NodeHashes, RootHashes) and testonly/reference_test.go (TestRefInclusionProof,
# TestRefConsistencyProof), https://github.com/transparency-dev/merkle .
LEAVES = [
    bytes.fromhex(x)
    for x in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
]
H = bytes.fromhex
NODE_HASHES = [
    [
        H("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        H("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        H("0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7"),
        H("07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7"),
        H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        H("4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658"),
        H("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
        H("46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"),
    ],
    [
        H("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
        H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        H("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        H("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
    ],
    [
        H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        H("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
    ],
    [H("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")],
]
ROOTS = [
    H("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    H("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    H("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    H("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
    H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    H("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
    H("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
    H("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
    H("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
]
INCLUSION = [  # (index, size, proof)
    (0, 1, []),
    (0, 2, [NODE_HASHES[0][1]]),
    (1, 2, [NODE_HASHES[0][0]]),
    (2, 3, [NODE_HASHES[1][0]]),
    (1, 5, [NODE_HASHES[0][0], NODE_HASHES[1][1], NODE_HASHES[0][4]]),
    (0, 8, [NODE_HASHES[0][1], NODE_HASHES[1][1], NODE_HASHES[2][1]]),
    (5, 8, [NODE_HASHES[0][4], NODE_HASHES[1][3], NODE_HASHES[2][0]]),
]
CONSISTENCY = [  # (size1, size2, proof)
    (1, 1, []),
    (1, 8, [NODE_HASHES[0][1], NODE_HASHES[1][1], NODE_HASHES[2][1]]),
    (2, 5, [NODE_HASHES[1][1], NODE_HASHES[0][4]]),
    (6, 8, [NODE_HASHES[1][2], NODE_HASHES[1][3], NODE_HASHES[2][0]]),
]


def vector_store() -> MemoryHashStore:
    store = MemoryHashStore()
    appender = Appender()
    for entry in LEAVES:
        store.write_hashes(appender.append(entry))
    return store


def test_empty_root_is_sha256_of_nothing():
    assert EMPTY_ROOT == ROOTS[0]
    assert root_from_leaf_hashes([]) == EMPTY_ROOT
    assert Appender().root() == EMPTY_ROOT


def test_appender_stores_exactly_the_reference_node_hashes():
    store = vector_store()
    assert store.levels == NODE_HASHES


def test_roots_of_every_prefix_match_the_vectors():
    store = vector_store()
    appender = Appender()
    for size in range(len(LEAVES) + 1):
        assert root_from_store(size, store) == ROOTS[size]
        assert root_from_leaf_hashes([leaf_hash(e) for e in LEAVES[:size]]) == ROOTS[size]
        assert appender.root() == ROOTS[size]
        if size < len(LEAVES):
            appender.append(LEAVES[size])


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_inclusion_vectors(index, size, proof):
    store = vector_store()
    assert inclusion_proof(index, size, store) == proof
    verify_inclusion(index, size, leaf_hash(LEAVES[index]), proof, ROOTS[size])


@pytest.mark.parametrize(("size1", "size2", "proof"), CONSISTENCY)
def test_consistency_vectors(size1, size2, proof):
    store = vector_store()
    assert consistency_proof(size1, size2, store) == proof
    verify_consistency(size1, size2, ROOTS[size1], ROOTS[size2], proof)


def test_resumed_appender_continues_the_same_tree():
    store = vector_store()
    for size in range(len(LEAVES) + 1):
        appender = Appender.resume(size, store)
        assert appender.root() == ROOTS[size]
        rows = appender.extend(LEAVES[size:])
        assert appender.root() == ROOTS[-1]
        store.write_hashes(rows)  # identical hashes: accepted, nothing forks


def test_store_refuses_a_fork_and_a_gap():
    store = vector_store()
    with pytest.raises(StoreError, match=r"hash \(0, 3\) already stored with another value"):
        store.write_hashes([(0, 3, leaf_hash(b"rewritten history"))])
    with pytest.raises(StoreError, match="gap"):
        store.write_hashes([(0, 10, leaf_hash(b"x"))])


def test_appender_refuses_a_wrong_frontier():
    with pytest.raises(StoreError, match="needs 2 frontier hashes"):
        Appender(5, [ROOTS[4]])


# --- properties on a larger tree -------------------------------------------------

N = 1100


@cache
def big() -> tuple[MemoryHashStore, list[bytes]]:
    entries = [f'{{"case":"c-{i % 97:04d}","i":{i}}}'.encode() for i in range(N)]
    store = MemoryHashStore()
    store.write_hashes(Appender().extend(entries))
    return store, [leaf_hash(e) for e in entries]


def ref_root(leaves: list[bytes]) -> bytes:
    """MTH from the RFC 6962 section 2.1 definition (recursive)."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(ref_root(leaves[:k]), ref_root(leaves[k:]))


def ref_path(m: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) from RFC 6962 section 2.1.1."""
    n = len(leaves)
    if n == 1:
        return []
    k = 1 << ((n - 1).bit_length() - 1)
    if m < k:
        return ref_path(m, leaves[:k]) + [ref_root(leaves[k:])]
    return ref_path(m - k, leaves[k:]) + [ref_root(leaves[:k])]


def ref_subproof(m: int, leaves: list[bytes], b: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) from RFC 6962 section 2.1.2."""
    n = len(leaves)
    if m == n:
        return [] if b else [ref_root(leaves)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return ref_subproof(m, leaves[:k], b) + [ref_root(leaves[k:])]
    return ref_subproof(m - k, leaves[k:], False) + [ref_root(leaves[:k])]


sizes = st.integers(min_value=1, max_value=N)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_inclusion_proofs_match_the_rfc_definition_and_verify(data):
    store, leaves = big()
    size = data.draw(sizes)
    index = data.draw(st.integers(0, size - 1))
    root = root_from_store(size, store)
    store.reads = 0
    proof = inclusion_proof(index, size, store)
    assert store.reads <= 2 * size.bit_length()  # O(log n) stored hashes
    assert proof == ref_path(index, leaves[:size])
    assert root == ref_root(leaves[:size])
    verify_inclusion(index, size, leaves[index], proof, root)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_consistency_proofs_match_the_rfc_definition_and_verify(data):
    store, leaves = big()
    new = data.draw(sizes)
    old = data.draw(st.integers(0, new))
    store.reads = 0
    proof = consistency_proof(old, new, store)
    assert store.reads <= 2 * new.bit_length()
    if 0 < old < new:
        assert proof == ref_subproof(old, leaves[:new], True)
    verify_consistency(old, new, root_from_store(old, store), root_from_store(new, store), proof)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_any_altered_inclusion_proof_fails(data):
    store, leaves = big()
    size = data.draw(st.integers(2, N))
    index = data.draw(st.integers(0, size - 1))
    root = root_from_store(size, store)
    proof = inclusion_proof(index, size, store)
    k = data.draw(st.integers(0, len(proof) - 1))
    bit = data.draw(st.integers(0, 255))
    # (The tree size is not a proof input to alter: the signed checkpoint binds it.)
    kind = data.draw(st.sampled_from(["flip", "drop", "extra", "leaf", "index", "root"]))
    leaf, args = leaves[index], [index, size]
    if kind == "flip":
        proof[k] = bytes(b ^ (1 << (bit % 8)) if i == bit // 8 else b for i, b in enumerate(proof[k]))
    elif kind == "drop":
        del proof[k]
    elif kind == "extra":
        proof.insert(k, leaves[0])
    elif kind == "leaf":
        leaf = leaves[(index + 1) % size]
    elif kind == "index":
        args[0] = (index + 1 + bit) % (size + 1)  # another index, possibly out of range
        if args[0] == index:
            args[0] = size
    else:
        root = leaves[index]
    with pytest.raises(VerificationError):
        verify_inclusion(args[0], args[1], leaf, proof, root)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_any_altered_consistency_proof_fails(data):
    store, _ = big()
    new = data.draw(st.integers(3, N))
    old = data.draw(st.integers(1, new - 1))
    old_root, new_root = root_from_store(old, store), root_from_store(new, store)
    proof = consistency_proof(old, new, store)
    k = data.draw(st.integers(0, len(proof) - 1))
    bit = data.draw(st.integers(0, 255))
    kind = data.draw(st.sampled_from(["flip", "drop", "extra", "old_root", "new_root", "old_size"]))
    sizes_ = [old, new]
    if kind == "flip":
        proof[k] = bytes(b ^ (1 << (bit % 8)) if i == bit // 8 else b for i, b in enumerate(proof[k]))
    elif kind == "drop":
        del proof[k]
    elif kind == "extra":
        proof.insert(k, old_root)
    elif kind == "old_root":
        old_root = root_from_store(old - 1, store)
    elif kind == "new_root":
        new_root = root_from_store(new - 1, store)
    else:
        sizes_[0] = old + 1 if old + 1 < new else old - 1
        if sizes_[0] == 0:
            sizes_[0] = new + 1
    with pytest.raises(VerificationError):
        verify_consistency(sizes_[0], sizes_[1], old_root, new_root, proof)


def test_frontier_is_one_node_per_set_bit():
    assert frontier_nodes(6) == [(2, 0), (1, 2)]
    # 70000 = 2**16 + 2**12 + 2**8 + 2**6 + 2**5 + 2**4
    nodes = frontier_nodes(70000)
    assert nodes == [(16, 0), (12, 16), (8, 272), (6, 1092), (5, 2186), (4, 4374)]
    start = 0
    for level, index in nodes:  # contiguous subtrees covering [0, 70000)
        assert index << level == start
        start += 1 << level
    assert start == 70000


def test_proof_of_a_leaf_outside_the_tree_is_refused():
    store = vector_store()
    with pytest.raises(StoreError, match="leaf 8 is not in a tree of size 8"):
        inclusion_proof(8, 8, store)
    with pytest.raises(StoreError, match="from size 5 to size 4"):
        consistency_proof(5, 4, store)
