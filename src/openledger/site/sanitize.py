"""A Python-Markdown extension that leaves no script in a rendered page.

Every page of the site is rendered with it (``mkdocs.yml`` names
``openledger.site.sanitize`` among its Markdown extensions), after every other
tree step, ``attr_list`` included. It removes from each element:

- event-handler attributes (``onclick``, ``onerror``, ... : every ``on*``) and
  ``srcdoc``, ``formaction`` and ``style``;
- link and source targets (``href``, ``src``, ``action``, ``poster``, ...)
  whose scheme is not ``http``, ``https`` or ``mailto``. The scheme is read as
  a browser reads it: character references decoded, ASCII whitespace and
  control characters removed, case ignored, so ``JaVa&#115;cript:``,
  ``java\\tscript:`` and `` javascript:`` are all caught; such a target
  becomes ``#``.

Plugin pages get this on top of :func:`openledger.site.escape.plugin_markdown`
(raw HTML shown as text, ``{`` escaped so ``attr_list`` cannot add attributes);
the site's own pages never need what it removes. The site's
Content-Security-Policy forbids inline script besides (see
:func:`openledger.site.render.seal_inline_scripts`).
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from openledger import patterns

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "background", "cite", "data",
                            "xlink:href", "srcset", "longdesc", "ping", "manifest", "codebase"})
DROPPED_ATTRIBUTES = frozenset({"srcdoc", "formaction", "style"})
_INVISIBLE = patterns.compile(r"[\x00-\x20\x7f]+")
_SCHEME = patterns.anchored(r"([a-z][a-z0-9+.\-]*):")


def safe_url(value: str) -> bool:
    """Whether a link or source target is relative or uses an allowed scheme, as a browser reads it."""
    seen = value
    for _ in range(4):  # references inside references: decode until nothing changes
        decoded = html.unescape(seen)
        if decoded == seen:
            break
        seen = decoded
    probe = _INVISIBLE.sub("", seen).lower()
    match = _SCHEME.match(probe)
    if match is None:
        return True  # relative: a path, a query or a fragment of this site
    return match.group(1) in SAFE_SCHEMES


def clean_element(element: etree.Element) -> None:
    """Remove script-bearing attributes from ``element`` (in place)."""
    for name in list(element.attrib):
        key = name.lower()
        if key.startswith("on") or key in DROPPED_ATTRIBUTES:
            del element.attrib[name]
        elif key in URL_ATTRIBUTES and not safe_url(element.attrib[name]):
            element.attrib[name] = "#"


class _Clean(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            clean_element(element)


class SanitizeExtension(Extension):
    """Register the cleaning step last (priority 0.5: after ``inline`` at 20 and ``attr_list`` at 8)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_Clean(md), "openledger_sanitize", 0.5)


def makeExtension(**kwargs: object) -> SanitizeExtension:  # noqa: N802 (the name Python-Markdown looks for)
    """The entry point Python-Markdown calls for ``openledger.site.sanitize``."""
    return SanitizeExtension(**kwargs)
