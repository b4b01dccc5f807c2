"""Swapping a verified site in: one step where the system allows it, never half a site."""

from __future__ import annotations

from openledger.service.publish import exchange, swap_in


def folder(path, text):
    path.mkdir()
    (path / "index.html").write_text(text)
    return path


def test_exchange_swaps_two_folders_in_one_step(tmp_path):
    a, b = folder(tmp_path / "a", "new"), folder(tmp_path / "b", "old")
    assert exchange(a, b)  # Linux renameat2(RENAME_EXCHANGE), on this machine's file system
    assert (b / "index.html").read_text() == "new" and (a / "index.html").read_text() == "old"


def test_swap_in_leaves_only_the_new_site(tmp_path):
    out = folder(tmp_path / "site", "old")
    staging = folder(tmp_path / ".site.next", "new")
    swap_in(staging, out)
    assert (out / "index.html").read_text() == "new" and not staging.exists()
    first = folder(tmp_path / ".first.next", "first")
    swap_in(first, tmp_path / "first")
    assert (tmp_path / "first" / "index.html").read_text() == "first" and not first.exists()
