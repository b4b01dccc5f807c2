"""``openledger build``: render the public site from the sealed log.

:func:`build_site` works from :class:`~openledger.site.context.SiteInputs`
(see :mod:`openledger.site.gather` for gathering them from an instance):

1. export the log (C2SP tlog-tiles, a new signed checkpoint) into the
   project's ``ledger/``;
2. derive the published table and case index from the exported entries
   (:mod:`openledger.site.derive`) and render every data file, page and chart
   from them and the build configuration (:mod:`openledger.site.content`):
   the same function ``openledger verify`` runs on the published files;
3. check the published cases against the k-anonymity guarantee, build the
   pages with a strict MkDocs build, check that no page loads anything from
   another host and scan the whole site for every raw identifier and secret;
4. verify the staged site as ``openledger verify`` would (the log, then
   everything it says, derived again and compared): a site that fails its
   own verification is never published;
5. only then replace ``out``. A failure leaves the previous site untouched.
"""

from __future__ import annotations

import base64
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from openledger.errors import OpenLedgerError
from openledger.privacy.leaks import find_leaks
from openledger.progress import Staged, counted
from openledger.site import escape, render
from openledger.site.content import Content
from openledger.site.content import render as render_content
from openledger.site.context import SiteContext, SiteInputs
from openledger.site.derive import derive, gc_paused

MARKER = ".openledger-site"
MARKER_TEXT = '{"openledger-site": 1}\n'


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote."""

    out: Path
    seconds: float
    files: int
    bytes: int
    cases: int
    entries: int
    overall: dict[str, str]
    withheld_summaries: int = 0
    gag_requests: int = 0  # gag requests on the log (each listed on the site's Gag requests page)

    def line(self) -> str:
        verdicts = ", ".join(f"{k}: {v}" for k, v in self.overall.items())
        withheld = (f"; {self.withheld_summaries:,} case summaries withheld (they still named a known "
                    "identifier after redaction)") if self.withheld_summaries else ""
        return (f"built {self.out} in {self.seconds:.1f} s: {self.cases:,} cases, {self.entries:,} log entries, "
                f"{self.files:,} files, {self.bytes / 1e6:.1f} MB ({verdicts}){withheld}")


def _check_out(out: Path) -> None:
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OpenLedgerError("exists and is not an openledger site; choose an empty or new folder", path=out)


def _secret_forms(secrets: dict[str, bytes]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, value in secrets.items():
        forms = [value.hex(), base64.b64encode(value).decode(), base64.urlsafe_b64encode(value).decode().rstrip("=")]
        try:
            text = value.decode("utf-8").strip()
            forms += [line.strip() for line in text.splitlines() if len(line.strip()) >= 8]
        except UnicodeDecodeError:
            pass
        out[kind] = forms
    return out


def _tree_stats(root: Path) -> tuple[int, int]:
    files = total = 0
    for path in root.rglob("*"):
        if path.is_file():
            files += 1
            total += path.stat().st_size
    return files, total


def write_project(project: Path, site: Path, content: Content, extra: Sequence[tuple[str, str, str]] = ()) -> Path:
    """Write the MkDocs project of ``content`` (and ``extra`` pages) into ``project``; return mkdocs.yml."""
    docs = project / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    page_list = list(content.pages) + list(extra)
    for path, _, text in page_list:
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, "utf-8")
    for path, svg in content.charts.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(svg, "utf-8")
    render.copy_template(project)
    # MkDocs themes print site_name and nav titles unescaped: give them HTML-escaped
    return render.write_config(project, site, escape.attr(content.context.company or "openledger"),
                               [(p, t) for p, t, _ in page_list])


def plugin_page_list(context: SiteContext, extra_pages: Callable[[SiteContext], Sequence]
                     | None, builtin: Sequence[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """(path, title, Markdown) of the plugins' pages, checked and escaped."""
    taken = {p for p, _, _ in builtin}
    out = []
    for page in (extra_pages(context) if extra_pages else ()):
        path = str(page.path)
        if path.startswith(("/", ".")) or ".." in Path(path).parts or not path.endswith(".md") or path in taken:
            raise OpenLedgerError(f"site page {path!r} of a plugin: not a new relative .md path")
        taken.add(path)
        out.append((path, escape.title(page.title), escape.plugin_markdown(page.render(context))))
    return out


def build_site(inputs: SiteInputs, out: Path,
               extra_pages: Callable[[SiteContext], Sequence] | None = None,
               built: Callable[[Path, SiteContext], None] | None = None,
               verify_staged: Callable[[Path, Staged | None], Callable[[], None]] | None = None,
               progress: Staged | None = None) -> BuildReport:
    """Build the whole site into ``out``; see the module docstring.

    ``extra_pages(context)`` returns plugin pages (objects with ``path``,
    ``title`` and ``render(context)``); ``verify_staged(folder, progress)``
    starts checking the finished site in its staging folder and returns a
    function that waits for the check and raises to stop the site from being
    published (the check runs while the site is scanned for leaks, which are
    said first); ``built(out, context)`` is called once the site is in
    place. ``progress`` is told of the stages: tiles written, entries derived,
    pages built, files scanned (and what ``verify_staged`` reports).
    """
    start = time.perf_counter()
    out = Path(out).resolve()
    _check_out(out)
    work = out.with_name(f".{out.name}.building")
    shutil.rmtree(work, ignore_errors=True)
    project, site = work / "project", work / "site"
    try:
        project.mkdir(parents=True)
        exported = inputs.export(project / "ledger", progress)
        size = exported.checkpoint.size
        with gc_paused():
            derived = derive(counted(inputs.entries(size), progress, "entries derived", size))
            if inputs.check_linkage is not None:
                inputs.check_linkage(derived)
            # the content is made from the table, the case index and the gag requests: every case's fold and
            # signature (a third of what the derivation holds) are freed for it
            derived = replace(derived, cases={})
            verifier_key = (project / "ledger" / "verifier.key").read_text("utf-8").strip()
            content = render_content(derived, inputs.config, exported.signed.decode("utf-8"), verifier_key,
                                     inputs.metrics, inputs.schema, inputs.summaries, inputs.gag_sentences)
        # the content holds what the rest needs (the table, the gag requests): not every case's entries and
        # signature, which the verification below would otherwise hold beside its own derivation
        cases, gags = len(derived.table["case"]), len(derived.gags)
        del derived
        extra = plugin_page_list(content.context, extra_pages, content.pages)
        pages = len(content.pages) + len(extra)
        if progress is not None:
            progress("pages built", 0, pages)
        render.mkdocs_build(write_project(project, site, content, extra), content.context.as_of)
        if progress is not None:
            progress("pages built", pages, pages)
        shutil.move(str(project / "ledger"), str(site / "ledger"))
        for path, data in content.files.items():
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_bytes(data)
        content.files.clear()  # written: the scan and the verification read them from the site
        remote = render.remote_assets(site)
        if remote:
            raise OpenLedgerError(f"the built site would load from another host in {remote[0]}; refusing to publish")
        (site / MARKER).write_text(MARKER_TEXT, "utf-8")
        verified = verify_staged(site, progress) if verify_staged is not None else None
        own = (exported.signed.decode("utf-8"), verifier_key)
        searched = {kind: list(values) for kind, values in inputs.identifiers.items()}
        for kind, values in _secret_forms(inputs.secrets).items():
            searched.setdefault(kind, []).extend(values)
        leaks = inputs.scan(site, searched, own, progress) if inputs.scan is not None \
            else find_leaks(site, searched, progress, own=own)
        if leaks:
            kinds = sorted({leak.kind for leak in leaks})
            raise OpenLedgerError(
                f"refusing to publish: {len(leaks)} file(s) would leak {', '.join(kinds)} (first: {leaks[0].file})")
        if verified is not None:
            verified()
        if out.exists():
            old = work / "previous"
            out.rename(old)
        site.rename(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if built is not None:
        built(out, content.context)
    files, size = _tree_stats(out)
    return BuildReport(out, time.perf_counter() - start, files, size, cases,
                       exported.checkpoint.size, {d: r.overall for d, r in content.context.audits.items()},
                       inputs.withheld_summaries, gags)
