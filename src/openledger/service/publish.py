"""Publishing a new site only once it is proven: build aside, verify, swap in atomically.

:func:`publish` builds the site with :func:`openledger.site.gather.build` into
a staging folder beside the published one (``.SITE.next``; the build itself
writes through its own work folder, so the staging folder is whole or
absent), then checks the staging folder as an auditor would, from its files
alone: the log and its signed checkpoint against the instance's verifier key
(:func:`openledger.ledger.verify.verify_log`), the new checkpoint as a
consistent extension of the one published before (an RFC 9162 consistency
proof), and the published numbers against the log
(:func:`openledger.site.check.check_site`). Only then the staging folder
and the published folder are exchanged in one step (Linux ``renameat2`` with
``RENAME_EXCHANGE``), so a visitor or web server sees the old site or the
new one, never a mix and never nothing; where the system cannot exchange
two folders, two renames leave a moment without a site, never half of one.

The checkpoint published last is kept in ``HOME/run/published.checkpoint``:
the next publication must extend it, even if somebody replaced the published
folder meanwhile. A failure at any step leaves the published site untouched.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from openledger.errors import OpenLedgerError
from openledger.instance import Instance
from openledger.ledger.published import open_published
from openledger.progress import Staged, within

CHECKPOINT = "published.checkpoint"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class PublishError(OpenLedgerError):
    """A built site failed a check; the published site was kept."""


@dataclass
class Published:
    """What one publication did, step by step (seconds each)."""

    out: Path
    build_line: str = ""
    verify_line: str = ""
    extends: int | None = None  # the size of the checkpoint it was proven to extend
    size: int = 0
    seconds: dict[str, float] | None = None


def run_dir(instance: Instance) -> Path:
    folder = instance.home / "run"
    folder.mkdir(exist_ok=True)
    return folder


def previous_checkpoint(instance: Instance, out: Path) -> tuple[bytes | None, str]:
    """The checkpoint published last (kept in the home, else the published folder's) and its name."""
    kept = instance.home / "run" / CHECKPOINT
    if kept.is_file():
        return kept.read_bytes(), str(kept)
    live = out / "ledger" / "checkpoint"
    if live.is_file():
        return live.read_bytes(), str(live)
    return None, ""


def check(site: Path, key: Path, since: bytes | None, since_name: str,
          progress: Staged | None = None) -> tuple[str, int]:
    """Verify a built site from its files, as ``openledger verify --key KEY --since OLD`` does (``progress``
    is told of its stages)."""
    from openledger.site.check import check_site_and_log  # loads the audit's statistics and MkDocs

    log = site / "ledger"
    summary, checked = check_site_and_log(open_published(site), open_published(log), key, since=since,
                                          since_name=since_name or "the published checkpoint", progress=progress)
    if checked.differences:
        raise PublishError(f"{len(checked.differences)} difference(s) between the site and its log, first: "
                           f"{checked.differences[0]}")
    return (f"{summary.line()}; the site says what its log says ({checked.checked:,} files derived again from "
            f"{summary.size:,} entries)"), summary.size


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2``); False where the system cannot."""
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name, use_errno=True) if name else None
    renameat2 = getattr(libc, "renameat2", None) if libc is not None else None
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(str(a)), _AT_FDCWD, os.fsencode(str(b)), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # an old kernel, or a file system that cannot exchange
    raise OSError(code, f"cannot exchange {a} and {b}: {os.strerror(code)}")


def swap_in(staging: Path, out: Path) -> None:
    """Make ``staging`` the published ``out``; the old site ends up at ``staging`` (then removed)."""
    if not out.exists():
        staging.rename(out)
        return
    if not exchange(staging, out):
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)
        staging.rename(out)
        old.rename(staging)
    shutil.rmtree(staging, ignore_errors=True)


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)


def publish(instance: Instance, out: Path, *, on_step=None, progress: Staged | None = None) -> Published:
    """Build, check and publish the site of ``instance`` at ``out`` (see the module docstring).

    ``on_step(name, seconds, line)`` is called after each of ``build``,
    ``verify`` and ``publish``; ``progress`` is told of the stages of the
    build and the verification (named "build: ...", "verify: ...").
    """
    from openledger.site.build import MARKER
    from openledger.site.gather import build  # loads the audit's statistics

    out = Path(out).resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir()) and not (out / MARKER).exists()):
        raise OpenLedgerError("exists and is not an openledger site; choose an empty or new folder", path=out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.next")
    shutil.rmtree(staging, ignore_errors=True)
    report = Published(out, seconds={})
    since, since_name = previous_checkpoint(instance, out)

    def done(name: str, started: float, line: str) -> None:
        assert report.seconds is not None
        report.seconds[name] = time.perf_counter() - started
        if on_step is not None:
            on_step(name, report.seconds[name], line)

    try:
        started = time.perf_counter()
        report.build_line = build(instance, staging, progress=within(progress, "build: ")).line()
        done("build", started, report.build_line)
        started = time.perf_counter()
        try:
            report.verify_line, report.size = check(staging, instance.verifier_path, since, since_name,
                                                    within(progress, "verify: "))
        except OpenLedgerError as exc:
            raise PublishError(f"the new site failed verification, the published one was kept: {exc}") from None
        if since is not None:
            report.extends = int(since.decode("utf-8", "replace").splitlines()[1])
        done("verify", started, report.verify_line)
        started = time.perf_counter()
        checkpoint = (staging / "ledger" / "checkpoint").read_bytes()
        swap_in(staging, out)
        _write_atomically(run_dir(instance) / CHECKPOINT, checkpoint)
        done("publish", started, f"published {out} (checkpoint of size {report.size}"
             + (f", a consistent extension of size {report.extends})" if report.extends is not None else ")"))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report
