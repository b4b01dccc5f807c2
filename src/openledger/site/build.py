"""``openledger build``: anonymize, audit, sign, export and render the public site.

:func:`build_site` works from :class:`~openledger.site.context.SiteInputs`
(see :mod:`openledger.site.gather` for gathering them from an instance).
It writes into a fresh folder beside ``out`` and only replaces ``out`` when
everything passed: the strict MkDocs build, the check that no page loads
anything from another host, and the leak scan for every raw identifier and
secret. A failure leaves the previous site untouched.
"""

from __future__ import annotations

import base64
import json
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from openledger.audit import BUILTIN_METRICS, DIMENSIONS, run_audit, write_csv
from openledger.errors import OpenLedgerError
from openledger.privacy.leaks import find_leaks
from openledger.site import audit_page, charts, escape, pages, render, shards
from openledger.site.context import SiteContext, SiteInputs

MARKER = ".openledger-site"


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

    def line(self) -> str:
        verdicts = ", ".join(f"{k}: {v}" for k, v in self.overall.items())
        return (f"built {self.out} in {self.seconds:.1f} s: {self.cases:,} cases, {self.entries:,} log entries, "
                f"{self.files:,} files, {self.bytes / 1e6:.1f} MB ({verdicts})")


def _check_out(out: Path) -> None:
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OpenLedgerError("exists and is not an openledger site; choose an empty or new folder", path=out)


def _audits(inputs: SiteInputs) -> tuple[dict, dict]:
    results, problems = {}, {}
    n = len(inputs.table["channel"]) if "channel" in inputs.table else 0
    for dim in DIMENSIONS:
        if n == 0:
            problems[dim] = "no published cases"
            continue
        try:
            results[dim] = run_audit(inputs.table, inputs.metrics or BUILTIN_METRICS, dim,
                                     settings=inputs.settings, source="the outcomes table")
        except OpenLedgerError as exc:
            problems[dim] = str(exc)
    return results, problems


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


def build_site(inputs: SiteInputs, out: Path,
               extra_pages: Callable[[SiteContext], Sequence] | None = None,
               built: Callable[[Path, SiteContext], None] | None = None) -> BuildReport:
    """Build the whole site into ``out``; see the module docstring.

    ``extra_pages(context)`` returns plugin pages (objects with ``path``,
    ``title`` and ``render(context)``); ``built(out, context)`` is called
    once the site is in place.
    """
    start = time.perf_counter()
    out = Path(out).resolve()
    _check_out(out)
    work = out.with_name(f".{out.name}.building")
    shutil.rmtree(work, ignore_errors=True)
    project, site = work / "project", work / "site"
    try:
        project.mkdir(parents=True)
        exported = inputs.export(project / "ledger")
        results, problems = _audits(inputs)
        data = project / "data"
        data.mkdir()
        for dim, result in results.items():
            (data / f"audit-{dim}.json").write_text(result.to_json() + "\n", "utf-8")
        write_csv(inputs.table, data / "outcomes.csv")
        index, _ = shards.write_outcome_shards(data, inputs.table, inputs.schema, inputs.time_unit,
                                                inputs.summaries)
        shards.write_case_index(data, inputs.entry_cases, inputs.entry_indices)
        context = SiteContext(
            company=inputs.company, built_at=inputs.now, table=inputs.table, audits=results,
            audit_problems=problems, checkpoint=exported.checkpoint,
            signed_checkpoint=exported.signed.decode("utf-8"),
            verifier_key=(project / "ledger" / "verifier.key").read_text("utf-8").strip(),
            hierarchy=inputs.hierarchy, k=inputs.k, metrics=tuple(inputs.metrics or BUILTIN_METRICS),
            outcomes_index=index,
        )
        docs = project / "docs"
        (docs / "charts").mkdir(parents=True)
        chart_files = _charts(context, docs)
        page_list = pages.builtin_pages(context, chart_files)
        for page in (extra_pages(context) if extra_pages else ()):
            path = str(page.path)
            if path.startswith(("/", ".")) or ".." in Path(path).parts or not path.endswith(".md") \
                    or path in {p for p, _, _ in page_list}:
                raise OpenLedgerError(f"site page {path!r} of a plugin: not a new relative .md path")
            page_list.append((path, escape.title(page.title), escape.plugin_markdown(page.render(context))))
        for path, _, text in page_list:
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            (docs / path).write_text(text, "utf-8")
        render.copy_template(project)
        # MkDocs themes print site_name and nav titles unescaped: give them HTML-escaped
        config = render.write_config(project, site, escape.attr(inputs.company or "openledger"),
                                     [(p, t) for p, t, _ in page_list])
        render.mkdocs_build(config)
        shutil.move(str(project / "ledger"), str(site / "ledger"))
        shutil.move(str(data), str(site / "data"))
        remote = render.remote_assets(site)
        if remote:
            raise OpenLedgerError(f"the built site would load from another host in {remote[0]}; refusing to publish")
        identifiers = dict(inputs.identifiers)
        identifiers.update(_secret_forms(inputs.secrets))
        leaks = find_leaks(site, identifiers)
        if leaks:
            kinds = sorted({leak.kind for leak in leaks})
            raise OpenLedgerError(
                f"refusing to publish: {len(leaks)} file(s) would leak {', '.join(kinds)} (first: {leaks[0].file})")
        (site / MARKER).write_text(json.dumps({"built": inputs.now.isoformat()}) + "\n", "utf-8")
        if out.exists():
            old = work / "previous"
            out.rename(old)
        site.rename(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if built is not None:
        built(out, context)
    files, size = _tree_stats(out)
    return BuildReport(out, time.perf_counter() - start, files, size, len(inputs.table.get("channel", ())),
                       exported.checkpoint.size, {d: r.overall for d, r in results.items()})


def _charts(context: SiteContext, docs: Path) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    first = next(iter(context.audits.values()), None)
    if first is None:
        return out
    band = (first.settings.get("tolerance_low", 0.8), first.settings.get("tolerance_high", 1.25))
    for meta in first.metrics:
        name = meta["name"]
        bars = audit_page.chart_bars(context, name)
        if not bars:
            continue
        title = name.replace("_", " ").capitalize()
        svg = charts.ratio_chart(bars, band, "adjusted ratio to the reference (log scale)")
        file = f"charts/{shards.shard_of(name)}-{len(out)}.svg"
        (docs / file).write_text(svg, "utf-8")
        out[name] = (file, charts.alt_text(title, bars, band))
    return out
