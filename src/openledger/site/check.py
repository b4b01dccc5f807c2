"""What ``openledger verify`` proves of a site beyond its log: that the site says
exactly what its log says.

After the log is proven (:func:`openledger.ledger.verify.verify_log`), this
derives everything from the log's entries and the published build
configuration (``data/build.json``) with the same functions the build used
(:mod:`openledger.site.derive`, :mod:`openledger.site.content`), builds the
pages again with MkDocs in a temporary folder, and compares:

- every data file (``data/...``: the audits, ``outcomes.csv``, the Outcomes
  rows, the case index, the build configuration), byte for byte, naming the
  first difference (a case's outcome, a row, a missing file);
- every page (:mod:`openledger.site.page_compare`): as a whole, every element,
  word, script and style, when this verifier has the renderer versions the
  site was built with, so a script, a style or a hidden part anywhere in it is
  a difference while what an HTML minifier changes is not; with other
  versions, by what its article says (words, link and image targets, and what
  in it runs or hides), the rest listed as not checked;
- openledger's own scripts and style sheet, byte for byte; the charts and the
  theme's files byte for byte when this verifier has the renderer versions the
  site was built with (``data/build.json``), else they are listed as not
  checked;
- the files of the site (for a folder: every file, so an extra page or script
  is reported);
- and, of the log's own entries, that the public first responses published
  ``hidden`` are the ones the planner's order hides (:mod:`openledger.privacy.hiding`).

Free text published off the log (the optional redacted summaries) and the
pages of plugins that are not installed here are listed as not checked, never
silently passed.
"""

from __future__ import annotations

import csv
import functools
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openledger import plugins
from openledger.errors import NotFoundError, OpenLedgerError
from openledger.ledger.aside import Aside, forks
from openledger.ledger.published import LocalFiles, PublishedFiles, load_json
from openledger.ledger.verify import Summary, verify_log_beside
from openledger.privacy import hiding
from openledger.privacy.projection import gag_digest
from openledger.progress import Staged, counted
from openledger.site import render
from openledger.site.build import MARKER, MARKER_TEXT, plugin_page_list, write_project
from openledger.site.content import Content, apart_files
from openledger.site.content import render as render_content
from openledger.site.context import RENDERERS, BuildConfig, site_schema
from openledger.site.derive import Derived, case_of, derive, gc_paused
from openledger.site.gag_page import DATA as GAG_REQUESTS
from openledger.site.hooks import plugin_pages
from openledger.site.page_compare import page_difference
from openledger.site.shards import CASE_INDEX_PATHS, case_index_files

BUILD = "data/build.json"
OWN_ASSETS = ("assets/js/ledger.js", "assets/js/checkcase.js", "assets/js/outcomes.js", "assets/js/witness.js",
              "assets/js/tables.js",
              "assets/css/site.css")


@dataclass
class SiteCheck:
    """What the comparison found: differences (refuse) and what could not be checked (say so)."""

    differences: list[str] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)
    checked: int = 0
    cases: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"ok": not self.differences, "differences": self.differences, "not_checked": self.not_checked,
                "files_checked": self.checked, "cases": self.cases}


def _read(site: PublishedFiles, path: str) -> bytes | None:
    try:
        return site.read(path)
    except NotFoundError:
        return None


# --- describing a difference ------------------------------------------------------------------


def _json_difference(expected: Any, got: Any, where: str = "") -> str:
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in sorted(set(expected) | set(got), key=str):
            if key not in got:
                return f"{where}{key}: missing"
            if key not in expected:
                return f"{where}{key}: not in the log"
            if expected[key] != got[key]:
                return _json_difference(expected[key], got[key], f"{where}{key}.")
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            return f"{where.rstrip('.')}: {len(got)} items, the log gives {len(expected)}"
        for i, (a, b) in enumerate(zip(expected, got)):
            if a != b:
                return _json_difference(a, b, f"{where}{i}.")
    return f"{where.rstrip('.')}: {json.dumps(got, ensure_ascii=False)[:80]}, the log gives " \
           f"{json.dumps(expected, ensure_ascii=False)[:80]}"


def _rows_difference(expected: Any, got: Any) -> str | None:
    """For an Outcomes part: name the case whose row differs."""
    try:
        columns = expected["columns"]
        want = {row[0]: row for row in expected["rows"]}
        have = {row[0]: row for row in got["rows"]}
    except (KeyError, TypeError, IndexError):
        return None
    for case in sorted(set(want) | set(have)):
        if case not in have:
            return f"case {case}: row missing"
        if case not in want:
            return f"case {case}: not a case of the log"
        for name, a, b in zip(columns, want[case], have[case]):
            if a != b:
                return f"case {case}: {name} {json.dumps(b)}, the log has {json.dumps(a)}"
    return None


def _index_difference(expected: Any, got: Any) -> str | None:
    """For a case-index file: name the case that is missing, extra or points elsewhere."""
    if not isinstance(expected, dict) or not isinstance(got, dict):
        return None
    for case in sorted(set(expected) | set(got)):
        if case not in got:
            return f"case {case}: missing"
        if case not in expected:
            return f"case {case}: not a case of the log"
        if expected[case] != got[case]:
            return f"case {case}: entries {got[case]}, the log has {expected[case]}"
    return None


def _around(text: str, at: int, width: int = 100) -> str:
    """At most ``width`` characters of ``text`` from a little before ``at``, ``…`` where it was cut."""
    start = max(0, min(at - width // 4, len(text) - width))
    return ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")


def _text_difference(expected: str, got: str, csv_file: bool = False) -> str:
    """Where a text file first differs: its line and, in a CSV file, the column by the header's name, else the
    stretch of the line where the two first part (a long line's first hundred characters may be the same)."""
    a, b = expected.splitlines(), got.splitlines()
    for i, (x, y) in enumerate(zip(a, b), 1):
        if x == y:
            continue
        if csv_file and i > 1:
            header, want, have = next(csv.reader([a[0]])), next(csv.reader([x])), next(csv.reader([y]))
            for column, (w, h) in enumerate(zip(want, have)):
                if w != h:
                    name = header[column] if column < len(header) else f"{column + 1}"
                    return f"line {i}, column {name}: {h!r}, the log gives {w!r}"
            return f"line {i}: {len(have)} columns, the log gives {len(want)}"
        at = next((k for k, (c, d) in enumerate(zip(x, y)) if c != d), min(len(x), len(y)))
        return f"line {i}: {_around(y, at)!r}, the log gives {_around(x, at)!r}"
    return f"{len(b)} lines, the log gives {len(a)}"


def describe(path: str, expected: bytes, got: bytes, where: str | None = None) -> str:
    """One line saying how the published data file ``path`` (shown as ``where``) differs from what the log gives."""
    where = where or path
    if path.endswith(".json"):
        try:
            want, have = json.loads(expected), json.loads(got)
        except (ValueError, RecursionError):  # RecursionError: "[[[[…", deeper than the parser goes
            return f"{where}: not JSON"
        if want == have:
            return f"{where}: the same data written differently (data files are compared byte for byte, as built)"
        said = (_rows_difference(want, have) if path.startswith("data/outcomes/") and path != "data/outcomes/index.json"
                else _index_difference(want, have) if path.startswith("data/cases/") else None)
        return f"{where}: {said or _json_difference(want, have)}"
    try:
        return f"{where}: {_text_difference(expected.decode('utf-8'), got.decode('utf-8'), path.endswith('.csv'))}"
    except UnicodeDecodeError:
        return f"{where}: differs"


# --- the whole check ---------------------------------------------------------------------------


def _files_of(site: PublishedFiles) -> set[str] | None:
    """The paths of a local site's files, but those in its log's folder (``ledger/``, checked by the log's
    proof: its thousands of tiles are not looked at here); None for a site that cannot be listed (a URL)."""
    if not isinstance(site, LocalFiles):
        return None
    root = str(site.root)
    found: set[str] = set()
    for folder, folders, names in os.walk(root):  # a symbolic link to a folder is not followed, nor listed
        where = os.path.relpath(folder, root).replace(os.sep, "/")
        if where == ".":
            where = ""
            folders[:] = [name for name in folders if name != "ledger"]
        else:
            where += "/"
        found.update(where + name for name in names if os.path.isfile(os.path.join(folder, name)))
    return found


def _stale_renderers(config: BuildConfig) -> dict[str, str | None]:
    """The renderers whose version here differs from the site's: name -> the version this verifier has."""
    here = BuildConfig(company="", k=1, policy="").versions
    return {name: here.get(name) for name in RENDERERS if config.versions.get(name) != here.get(name)}


def _metrics(config_metrics: Iterable[str], result: SiteCheck) -> list[Any]:
    installed = {m.name: m for m in plugins.audit_metrics({})}
    missing = [m for m in config_metrics if m not in installed]
    if missing:
        result.not_checked.append(f"data/audit-*.json: metric(s) {', '.join(missing)} of plugins not installed here")
    return [installed[m] for m in config_metrics if m in installed]


#: from how many cases ``verify`` makes part of the data files in a second process when ``jobs`` is 0 (automatic):
#: below, starting the process costs about what it saves
PARALLEL_CASES = 20_000


def check_site(site: PublishedFiles, entries: Iterable[tuple[int, bytes]], signed_checkpoint: str,
               verifier_key: str, progress: Staged | None = None, jobs: int = 0,
               stop: Callable[[], None] | None = None,
               case_index: Callable[[], list[tuple[str, str]] | None] | None = None) -> SiteCheck:
    """Compare a published site with what its (verified) log and build configuration give.

    ``progress`` is told of the stages: entries derived, pages built, files
    compared (in all :attr:`SiteCheck.checked`). ``jobs`` is how many
    processes may share the work: 1, this one only; 2 or more, the files of
    :func:`~openledger.site.content.apart_files` are made and compared by a
    forked second process while this one renders and compares the rest (and
    a forked process draws half the charts); 0 (the default), two from
    :data:`PARALLEL_CASES` cases where ``fork`` is available (for the charts,
    from :data:`~openledger.site.content.CHARTS_APART` charts). The result
    is the same whichever runs. ``stop``, called between the stages (and with
    ``progress``), may raise to end the check early (the log's error, once its proof has failed).
    ``case_index``, when given, is asked last for the differences of the case index, compared elsewhere
    (:func:`check_site_and_log`: by the process proving the log); when it answers None, the index is made
    here from what was derived.
    """
    if stop is None:
        stop = _go_on
    elif progress is not None:
        progress = _stopping(progress, stop)
    result = SiteCheck()
    raw = _read(site, BUILD)
    if raw is None:
        result.differences.append(f"{site.where(BUILD)}: missing: the site publishes no build configuration, so "
                                  "nothing it says can be derived from its log")
        return result
    config = BuildConfig.from_json(raw, site.where(BUILD))
    metrics = _metrics(config.metrics, result)
    with gc_paused():
        size = len(entries) if isinstance(entries, Sized) else None
        derived = derive(counted(entries, progress, "entries derived", size))
        stop()
        result.cases = len(derived.case_entries)
        summaries = _published_summaries(site, result) if config.summaries else None
        schema = site_schema()
        apart = Aside(functools.partial(_apart_compared, site, derived, schema, summaries),
                      "verify: the process comparing outcomes.csv and the Outcomes rows",
                      fork=forks(jobs, result.cases, PARALLEL_CASES))
        try:
            content = render_content(derived, config, signed_checkpoint, verifier_key, metrics, schema,
                                     summaries, _published_gag_sentences(site) if derived.gags else None,
                                     apart=False, jobs=jobs, case_index=case_index is None)
            stop()
        except BaseException:
            apart.close()
            raise
    try:
        withdrawn = sum(1 for gag in content.context.gags if gag.withheld == "withdrawn")
        if withdrawn:  # the site may withdraw a sentence, never the request: say so, it is not a pass
            result.not_checked.append(f"{GAG_REQUESTS}: {withdrawn:,} gag request sentence(s) withdrawn by the "
                                      "publisher (the requests stay listed; their digests are on the log)")
        files = sorted((path, data) for path, data in content.files.items() if not path.startswith("data/summaries/"))
        found = _compared(site, counted(files, progress, "files compared", len(files), every=100))
        result.checked += len(files)
        marker = _read(site, MARKER) not in (MARKER_TEXT.encode(), None)
        later: list[str] = []
        stop()
        built, pages = _check_pages(site, content, config, result, later, progress, len(files))
        with gc_paused():  # the log's hidden bands here, while the second process makes the files apart
            misread, unchecked = hiding.problems(derived.first_responses(), site.where("ledger"))
            apart_paths, apart_found = apart.result()
        if case_index is not None:
            index_found = case_index()
            if index_found is None:
                index_found = _compared(site, sorted(case_index_files(derived.case_entries).items()))
            apart_paths, apart_found = apart_paths + list(CASE_INDEX_PATHS), apart_found + index_found
    finally:
        apart.close()
    compared = sum(1 for path in apart_paths if not path.startswith("data/summaries/"))
    if progress is not None:
        progress("files compared", compared, len(files) + pages + compared)
    result.checked += compared
    if unchecked:
        result.not_checked.append(f"{site.where('ledger')}: {unchecked:,} first response(s) published hidden before "
                                  "the log marked its seals: which cases a seal hid cannot be checked")
    result.differences.extend(misread)  # the log's own entries first, then the files in the order of their paths
    result.differences.extend(said for _, said in sorted(found + apart_found))
    if marker:
        result.differences.append(f"{site.where(MARKER)}: not the marker the build writes")
    result.differences.extend(later)
    published = _files_of(site)
    if published is not None:
        known = built | set(content.files) | set(apart_paths) | {MARKER}
        for path in sorted(published - known):
            if path.startswith(("ledger/", "data/summaries/")):
                continue
            result.differences.append(f"{site.where(path)}: not derived from the log (an extra file)")
    return result


def _go_on() -> None:
    """A ``stop`` that never stops."""


def _stopping(progress: Staged, stop: Callable[[], None]) -> Staged:
    """``progress`` that calls ``stop`` first, each time it is told."""
    def told(stage: str, done: int, total: int | None) -> None:
        stop()
        progress(stage, done, total)
    return told


def check_site_and_log(site: PublishedFiles, log: PublishedFiles, key: str | Path | None = None, *,
                       since: bytes | None = None, since_name: str = "old checkpoint", jobs: int = 0,
                       progress: Staged | None = None) -> tuple[Summary, SiteCheck]:
    """The log verified (:func:`~openledger.ledger.verify.verify_log`, against ``key`` and ``since``) and the
    site compared with it (:func:`check_site`), as ``openledger verify`` does: the log's proof runs beside the
    site's check (a forked process, for a large log) over the same bytes, and its error, if any, is raised
    before anything the site's check found or raised is said."""
    entries, proof = verify_log_beside(log, key=key, since=since, since_name=since_name, jobs=jobs,
                                       progress=progress, beside=functools.partial(_CaseIndexBeside, site))
    try:  # a log whose proof fails stops the site's check at its next stage: its error is said at once
        checked = check_site(site, entries.read_once(), log.read("checkpoint").decode("utf-8"),
                             log.read("verifier.key").decode("utf-8").strip(), progress, jobs=jobs,
                             stop=proof.stop_if_failed, case_index=proof.beside)
    finally:  # on the site's error too: the log's comes first
        summary = proof()
    return summary, checked


class _CaseIndexBeside:
    """The case index (``data/cases/``) made of the entries in the process proving the log, as it is given
    them (:func:`~openledger.ledger.verify.verify_log_beside`), and compared there with the site's: so
    the index is made while this process derives everything else from the same entries. Its result is
    (path, what differs) of each case-index file that differs, or None for entries it cannot read (then
    :func:`check_site` makes the index itself from what it derived, and the derivation says what is wrong)."""

    def __init__(self, site: PublishedFiles) -> None:
        self.site = site
        self.entries: dict[str, list[int]] | None = {}

    def add(self, first: int, width: int, data: bytes, where: str, decoded: Sequence[bytes]) -> None:
        entries = self.entries
        if entries is None:
            return
        try:
            for index, raw in enumerate(decoded, first):
                case = case_of(raw)
                held = entries.get(case)
                if held is None:
                    entries[case] = [index]
                else:
                    held.append(index)
        except (ValueError, KeyError, TypeError):
            self.entries = None

    def result(self) -> list[tuple[str, str]] | None:
        if self.entries is None:
            return None
        files, self.entries = case_index_files(self.entries), None
        return _compared(self.site, sorted(files.items()))


def _compared(site: PublishedFiles, files: Iterable[tuple[str, bytes]]) -> list[tuple[str, str]]:
    """(path, what differs) of each data file that the site does not publish exactly so."""
    found = []
    for path, expected in files:
        got = _read(site, path)
        if got is None:
            found.append((path, f"{site.where(path)}: missing"))
        elif got != expected:
            found.append((path, describe(path, expected, got, site.where(path))))
    return found


def _apart_compared(site: PublishedFiles, derived: Derived, schema: Mapping[str, Any],
                    summaries: Mapping[str, str] | None
                    ) -> tuple[list[str], list[tuple[str, str]]]:
    """(the paths of :func:`~openledger.site.content.apart_files`, (path, what differs) of each that differs);
    the summaries (free text off the log) are listed as not checked, never compared."""
    paths: list[str] = []
    found: list[tuple[str, str]] = []
    for path, data in apart_files(derived, schema, summaries):  # each compared as it is made, then let go of
        paths.append(path)
        if not path.startswith("data/summaries/"):
            found.extend(_compared(site, [(path, data)]))
    return sorted(paths), sorted(found)


def _published_gag_sentences(site: PublishedFiles) -> dict[str, tuple[str, str]]:
    """The gag sentences as published beside the log, by the digest they give with their salt: only a sentence
    whose digest is its entry's is shown again, so an edited one makes the page and the file differ."""
    raw = _read(site, GAG_REQUESTS)
    try:
        rows = json.loads(raw) if raw is not None else []
    except (ValueError, RecursionError):
        return {}  # the file is compared with the expected one and reported
    out: dict[str, tuple[str, str]] = {}
    for row in rows if isinstance(rows, list) else []:
        salt, sentence = (row.get("salt"), row.get("sentence")) if isinstance(row, dict) else (None, None)
        if isinstance(salt, str) and isinstance(sentence, str):
            try:
                out[gag_digest(salt, sentence)] = (salt, sentence)
            except ValueError:  # a salt that is not hex
                continue
    return out


def _summary_parts(site: PublishedFiles) -> list[str]:
    """The names of the summaries' parts, as the published Outcomes index lists them (``PERIOD.N.json``)."""
    raw = _read(site, "data/outcomes/index.json")
    index = load_json(raw, site.where("data/outcomes/index.json")) if raw is not None else {}
    periods = index.get("periods") if isinstance(index, dict) else None
    parts = [part for period in periods if isinstance(period, dict) for part in period.get("parts") or ()] \
        if isinstance(periods, list) else []
    return [part for part in parts if isinstance(part, str) and _PART.fullmatch(part)]


# an Outcomes part's name (``2026-03.1.json``, ``2026-W10.2.json``): nothing else is read as a summaries' part
_PART = re.compile(r"[0-9A-Za-z-]{1,32}\.[0-9]{1,9}\.json")


def _published_summaries(site: PublishedFiles, result: SiteCheck) -> dict[str, str]:
    """The summaries as published (free text off the log: not derivable, only listed)."""
    out: dict[str, str] = {}
    for part in _summary_parts(site):
        path = f"data/summaries/{part}"
        raw = _read(site, path)
        value = load_json(raw, site.where(path)) if raw is not None else {}
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise OpenLedgerError("not an object of case ids to summaries", path=site.where(path))
        out.update(value)
    result.not_checked.append(f"data/summaries/: {len(out):,} redacted summaries (free text published off the log)")
    return out


def _check_pages(site: PublishedFiles, content: Content, config: BuildConfig, result: SiteCheck, found: list[str],
                 progress: Staged | None = None, compared: int = 0) -> tuple[set[str], int]:
    """Build the pages again and compare them (differences into ``found``); return the paths built and how
    many of them were compared."""
    extra_pages: list[tuple[str, str, str]] = []
    try:
        extra_pages = plugin_page_list(content.context, plugin_pages, content.pages)
    except OpenLedgerError as exc:
        result.not_checked.append(f"plugin pages: {exc}")
    stale = _stale_renderers(config)
    with tempfile.TemporaryDirectory(prefix="openledger-verify-") as tmp:
        project, built = Path(tmp) / "project", Path(tmp) / "site"
        epoch = content.context.as_of
        pages = len(content.pages) + len(extra_pages)
        if progress is not None:
            progress("pages built", 0, pages)
        render.mkdocs_build(write_project(project, built, content, extra_pages), epoch)
        if progress is not None:
            progress("pages built", pages, pages)
        expected = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
        checking = [p for p in sorted(expected) if p.endswith(".html") or p in OWN_ASSETS or not stale]
        for path in counted(checking, progress, "files compared", compared + len(checking), every=100):
            mine = (built / path).read_bytes()
            if path.endswith(".html"):
                got = _read(site, path)
                result.checked += 1
                if got is None:
                    found.append(f"{site.where(path)}: missing")
                    continue
                said = page_difference(site.where(path), mine.decode("utf-8", "replace"),
                                       got.decode("utf-8", "replace"), whole=not stale)
                if said:
                    found.append(said)
            elif path in OWN_ASSETS or not stale:
                got = _read(site, path)
                result.checked += 1
                if got is None:
                    found.append(f"{site.where(path)}: missing")
                elif got != mine:
                    found.append(f"{site.where(path)}: differs from what this build gives")
        if stale:
            versions = ", ".join(f"{name} {config.versions.get(name, 'unknown')} (you have {have})"
                                 for name, have in stale.items())
            pins = " ".join(f"'{name}=={config.versions.get(name)}'" for name in stale)
            result.not_checked.append("the theme's files, the charts' drawing and the pages outside their article: "
                                      "the site was built with " + versions + "; the articles' text, links "
                                      "and what in them runs or hides, and the charts' numbers, are checked; to "
                                      f"check the rest, verify where `pip install {pins}` has run (versions that do "
                                      "not install are themselves a finding)")
    return expected, len(checking)
