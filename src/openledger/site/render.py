"""Write the MkDocs project (pages, charts, assets, ``mkdocs.yml``) and build it.

The template files ship inside the package under
``openledger/site/template/`` (the design's ``site_template/``):
``mkdocs.yml.j2`` (the MkDocs configuration, a Jinja template whose values
are all written as JSON), ``overrides/`` (Material theme overrides: a
Content-Security-Policy that keeps every request on the site) and
``assets/`` (the CSS and the scripts of the interactive pages).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import shutil
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

import jinja2

from openledger.errors import OpenLedgerError

TEMPLATE = resources.files("openledger.site") / "template"
# an asset reference to another host: src/href of a script, image, stylesheet, font or frame, or url(...) in CSS
_REMOTE_ASSET = re.compile(
    r"""(?:<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc|<link\b[^>]*\bhref)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//""",
    re.IGNORECASE,
)


def copy_template(project: Path) -> None:
    """Copy the overrides and assets into the build project."""
    with resources.as_file(TEMPLATE) as template:
        shutil.copytree(template / "overrides", project / "overrides")
        shutil.copytree(template / "assets", project / "docs" / "assets")


def write_config(project: Path, site_dir: Path, site_name: str, nav: list[tuple[str, str]]) -> Path:
    """Render ``mkdocs.yml`` for the pages in ``nav`` (path, title)."""
    text = (TEMPLATE / "mkdocs.yml.j2").read_text("utf-8")
    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    config = env.from_string(text).render(
        site_name=site_name, docs_dir=str(project / "docs"), site_dir=str(site_dir),
        overrides_dir=str(project / "overrides"), nav=[(p, t) for p, t in nav],
    )
    path = project / "mkdocs.yml"
    path.write_text(config, "utf-8")
    return path


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def mkdocs_build(config_file: Path, as_of: date | None = None) -> None:
    """Run a strict MkDocs build; a warning or error raises one readable line.

    The build date MkDocs writes (the sitemap's, and the gzip header of its
    compressed copy) is ``as_of`` (``SOURCE_DATE_EPOCH``), so the same log
    gives the same files on any day.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    handler = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    day = as_of or date(1970, 1, 1)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()))
    try:
        config = load_config(str(config_file))
        config.strict = True
        build(config)
    except MkDocsException as exc:
        detail = "; ".join(handler.messages) or str(exc)
        raise OpenLedgerError(f"the MkDocs build failed: {detail}") from None
    finally:
        log.removeHandler(handler)
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    if handler.messages:
        raise OpenLedgerError(f"the MkDocs build warned (strict): {handler.messages[0]}")
    seal_inline_scripts(Path(config["site_dir"]))


# the placeholder in the CSP of overrides/main.html, replaced by the hashes of each page's inline scripts
INLINE_SCRIPTS = "openledger-inline-scripts"
_JS_TYPES = re.compile(r"""\btype\s*=\s*["']?(?!(?:text/javascript|application/javascript|module)\b)""", re.I)


def inline_scripts(page: str) -> list[str]:
    """The text of every inline script a browser would run in ``page`` (no ``src``, a script type).

    Found with plain searches, so the time is linear in the page whatever it holds.
    """
    found: list[str] = []
    lower = page.lower()
    at = lower.find("<script")
    while at != -1:
        opened = lower.find(">", at)
        closed = lower.find("</script", opened) if opened != -1 else -1
        if closed == -1:
            break
        tag = page[at:opened]
        if not re.search(r"\ssrc\s*=", tag, re.I) and not _JS_TYPES.search(tag):
            found.append(page[opened + 1:closed])
        at = lower.find("<script", closed)
    return found


def script_hash(text: str) -> str:
    """A CSP source expression for one inline script (``'sha256-…'``, CSP Level 3)."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def seal_inline_scripts(site_dir: Path) -> None:
    """Put the hashes of each page's own inline scripts (the theme's) in its Content-Security-Policy.

    The policy names no ``'unsafe-inline'`` for scripts, so a script that
    reached a page any other way (and an ``on*`` attribute) does not run. The
    hashes depend only on the page, so the same log gives the same pages.
    """
    for path in sorted(site_dir.rglob("*.html")):
        page = path.read_text("utf-8")
        if INLINE_SCRIPTS not in page:
            continue
        hashes = " ".join(sorted({script_hash(text) for text in inline_scripts(page)}))
        path.write_text(page.replace(f" {INLINE_SCRIPTS}", f" {hashes}" if hashes else ""), "utf-8")


def remote_assets(site_dir: Path) -> list[str]:
    """Built HTML/CSS files that load anything from another host."""
    return [
        path.relative_to(site_dir).as_posix()
        for path in sorted(site_dir.rglob("*"))
        if path.suffix in (".html", ".css") and path.is_file()
        and _REMOTE_ASSET.search(path.read_text("utf-8", errors="ignore"))
    ]
