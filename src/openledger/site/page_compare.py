"""How ``openledger verify`` compares a published page with the page its log gives.

A page is read in one of two ways:

- **Its markup** (:func:`markup`), when this verifier runs the renderer
  versions the site was built with (then MkDocs gives the same page again):
  every element with its attributes, every word, every script and style, head,
  navigation and all, in document order. So a script that rewrites the page
  when it loads, a style or a ``hidden`` or ``style`` attribute that hides a
  verdict, a sheet laid over the article, a changed Content-Security-Policy or
  a ``meta`` refresh is a difference, wherever it is. What an HTML minifier
  changes does not count: whitespace between and inside texts (not inside
  ``pre`` and ``textarea``), comments and the doctype, the order and quoting of
  attributes, the values of boolean attributes, the order of class names, the
  default ``type`` of scripts and styles, and whitespace inside scripts and
  styles. A minifier that also drops optional end tags (``</p>``, ``</li>``)
  or renames a script's variables makes a difference: the page is then not
  the one the log gives, and ``verify`` says so rather than guess.
- **Its meaning** (:func:`meaning`), when the verifier's renderers differ
  (another Material version frames the article differently): the words of the
  page's article and the targets of its links and images, and what in the
  article runs or hides (``script`` and ``style`` elements and their text,
  ``hidden``, ``inert``, ``style`` and ``on*`` attributes). The rest of the
  page is then listed as not checked by the caller, never passed.
"""

from __future__ import annotations

import difflib
import os
from html.parser import HTMLParser

# elements whose text is shown as written, whitespace included
_VERBATIM = frozenset({"pre", "textarea"})
# elements whose text is code, not words
_CODE = frozenset({"script", "style"})
# elements that have no content and no end tag (``<img>`` and ``<img />`` are the same element)
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})
# attributes that make an element run something or hide it, whatever the theme
_HIDING = frozenset({"hidden", "inert", "style"})
# the type a script or a style has when it says none (HTML's defaults, which minifiers drop)
_DEFAULT_TYPES = {"script": {"text/javascript", "application/javascript"}, "style": {"text/css"},
                  "link": {"text/css"}}


def _attributes(tag: str, attrs: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    out = []
    for name, value in attrs:
        value = " ".join((value or "").split())
        if name == "class":
            value = " ".join(sorted(value.split()))
        if name == "type" and value.lower() in _DEFAULT_TYPES.get(tag, ()):
            continue
        out.append((name, value))
    # a stable sort: of two attributes of one name, the first (the one a browser reads) stays first
    return sorted(out, key=lambda item: item[0])


def _tag(tag: str, attrs: list[tuple[str, str]]) -> str:
    return "<" + " ".join([tag, *(f'{name}="{value}"' if value else name for name, value in attrs)]) + ">"


def _code(data: str) -> str:
    return "".join(data.split())


class _Markup(HTMLParser):
    """The tokens of a whole page: tags with their normalised attributes, words, and code without whitespace."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[str] = []
        self.verbatim = 0
        self.code: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(_tag(tag, _attributes(tag, attrs)))
        if tag in _VERBATIM:
            self.verbatim += 1
        if tag in _CODE:
            self.code = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(_tag(tag, _attributes(tag, attrs)))  # HTML ignores the slash of ``<br />``

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(f"</{tag}>")
        if tag in _VERBATIM and self.verbatim:
            self.verbatim -= 1
        if tag == self.code:
            self.code = None

    def handle_data(self, data: str) -> None:
        if self.code:
            if data.strip():
                self.tokens.append(_code(data))
        elif self.verbatim:
            self.tokens.append(data)
        else:
            self.tokens.extend(data.split())


def markup(html: str) -> list[str]:
    """A whole page as tokens: what a browser is given, without what an HTML minifier may change."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.tokens


class _Article(HTMLParser):
    """The words of a page's main content, the targets of its links and images, and what in it runs or hides."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "title":
            self.in_title = True
        if self.depth:
            self.depth += tag not in _VOID  # a void element has no end tag to close it
            hiding = [(name, value) for name, value in _attributes(tag, attrs)
                      if name in _HIDING or name.startswith("on")]
            if tag in _CODE or hiding:
                self.parts.append(_tag(tag, hiding))
            if tag in _CODE:
                self.skip += 1
            if tag == "a" and values.get("href") and not (values.get("class") or "").startswith("headerlink"):
                self.parts.append(f"[link {values['href']}]")
            if tag == "img" and values.get("src"):
                self.parts.append(f"[image {values['src']}]")
            if tag == "a" and "headerlink" in (values.get("class") or ""):
                self.skip += 1
        elif tag == "article":
            self.depth = 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:  # ``<span/>``: HTML reads a start tag; the parser's end tag would close it at once
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if self.depth and tag not in _VOID:
            self.depth -= 1
            if self.skip and tag in ("script", "style", "a"):
                self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif self.depth and not self.skip:
            self.parts.extend(data.split())
        elif self.depth and self.lasttag in _CODE and data.strip():
            self.parts.append(_code(data))


def meaning(html: str) -> list[str]:
    """A page reduced to what it says: the words of its article, its link and image targets, and what in the
    article runs or hides."""
    parser = _Article()
    parser.feed(html)
    parser.close()
    return [" ".join(" ".join(parser.title).split()), *parser.parts]


def page_difference(where: str, expected: str, got: str, whole: bool = True) -> str | None:
    """One line saying where the published page (shown as ``where``) differs from the page the log gives, or None:
    by its :func:`markup` when ``whole``, else by its :func:`meaning`."""
    read = markup if whole else meaning
    a, b = read(expected), read(got)
    if a == b:
        return None
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op != "equal":
            want, have = a[i1:i2], b[j1:j2]
            if len(want) == len(have) == 1:  # one token changed (a long tag, a script): show where it starts to differ
                at = max(0, len(os.path.commonprefix([want[0], have[0]])) - 24)
                want, have = [("…" if at else "") + want[0][at:]], [("…" if at else "") + have[0][at:]]
            return f"{where}: says {_shown(have)} where the log gives {_shown(want)}" \
                   f" (after {_shown(a[max(0, i1 - 3):i1], 'the start')})"
    return f"{where}: differs"


def _shown(tokens: list[str], none: str = "nothing", each: int = 48, most: int = 120) -> str:
    """Tokens quoted as a short text (each long one cut: a script is one token; the whole cut too), or ``none``."""
    text = " ".join(t if len(t) <= each else t[:each] + "…" for t in tokens)
    return repr(text if len(text) <= most else text[:most] + "…") if text else none
