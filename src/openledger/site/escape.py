"""Make outside text inert in Markdown and HTML.

Everything the site shows that came from outside the code (categories,
channels, the company name, plugin page text, anything read from the
database) passes through here. :func:`md` turns every character that means
something to HTML, Markdown or a template engine into a numeric character
reference, so markup, script and template syntax in the data render as the
literal characters they are and are never interpreted.
"""

from __future__ import annotations

import html
import re

from openledger import patterns

_SPECIAL = "&<>\"'\\`*_{}[]()#+-.!|~:=$%^@"
_TABLE = {ord(ch): f"&#{ord(ch)};" for ch in _SPECIAL}
# an inline link target ("](javascript:...") or a reference definition ("[id]: javascript:...") with a script
# scheme: the target becomes "#" (the top of the page)
_UNSAFE_LINK = patterns.compile(r"\]\(\s*(?:javascript|data|vbscript|file)\s*:[^)\n]*", re.IGNORECASE)
_UNSAFE_REFERENCE = patterns.compile(
    r"^( {0,3}\[[^\[\]\n]+\]:)[ \t]*(?:(?:<|&lt;)[ \t]*)?(?:javascript|data|vbscript|file)[ \t]*:[^\n]*",
    re.IGNORECASE | re.MULTILINE)
# an image from another host (a target with brackets or spaces is left to the build's remote-asset check)
_REMOTE = patterns.compile(r"(!\[[^\[\]]*\])\(\s*(?:https?:)?//[^()\[\]\s]*\)", re.IGNORECASE)


def md(value: object) -> str:
    """``value`` as inert Markdown inline text on one line."""
    return " ".join(str(value).split()).translate(_TABLE)


def title(value: object) -> str:
    """A page title for the navigation and ``<title>``: markup characters removed, then :func:`md`.

    Themes pass titles through Jinja's ``striptags``, which turns character
    references back into characters, so ``<``, ``>``, ``&`` and quotes are
    dropped rather than escaped.
    """
    return md(re.sub(r"[<>&\"'`]", "", str(value)))


def cell(value: object) -> str:
    """A Markdown table cell (the same as :func:`md`: pipes are escaped too)."""
    return md(value)


def attr(value: object) -> str:
    """``value`` escaped for an HTML attribute or element text."""
    return html.escape(str(value), quote=True)


def plugin_markdown(text: str) -> str:
    """A plugin page's Markdown with raw HTML made inert.

    Markdown structure (headings, lists, emphasis, relative links) is kept;
    every ``<``, ``>`` and ``&`` is shown as text, ``{`` and ``}`` too (so
    ``attr_list`` cannot add an ``onclick`` or replace an ``href``), links
    to ``javascript:``, ``data:`` and similar schemes lose their target,
    inline or by reference, and images from other hosts are dropped (the
    site makes no request to another host). The page is then rendered with
    :mod:`openledger.site.sanitize`, which removes whatever script-bearing
    attribute or target is left, however it was spelled.
    """
    text = html.escape(str(text), quote=False).replace("{", "&#123;").replace("}", "&#125;")
    text = _UNSAFE_LINK.sub("](#", text)
    text = _UNSAFE_REFERENCE.sub(r"\1 #", text)
    return _REMOTE.sub(r"\1(#)", text)
