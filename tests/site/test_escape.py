"""Outside text is inert on the site: Markdown, HTML and template syntax show as typed."""

import html
import re
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openledger.site.escape import attr, md, plugin_markdown, title

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "**bold** _it_ `code` [link](javascript:alert(1)) ![i](http://evil.example/x.png)",
    "{{ config.secret }} {% include 'x' %} ${x}",
    "| a | b |\n|---|---|",
    "# heading\n> quote\n- item",
    "&amp; &lt; &#60;",
]


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "attr_list", "md_in_html"])


def visible(rendered: str) -> str:
    assert rendered.startswith("<p>") and rendered.endswith("</p>"), rendered
    inner = rendered[3:-4]
    assert "<" not in inner, inner  # no element at all came out of the text
    return html.unescape(inner)


def test_hostile_strings_render_as_typed():
    for text in HOSTILE:
        assert visible(render(md(text))) == " ".join(text.split())


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60))
def test_any_text_renders_as_itself(text):
    if not text.split():
        return
    assert visible(render(md(text))) == " ".join(text.split())


def test_table_cells_keep_their_columns():
    row = f"| {md('a | b')} | {md('<c>')} |"
    out = render("| x | y |\n|---|---|\n" + row)
    assert out.count("<td>") == 2 and "a | b" in html.unescape(out)


def test_attr_escapes_quotes():
    assert attr('"><script>') == "&quot;&gt;&lt;script&gt;"


def test_plugin_markdown_keeps_structure_but_no_html_or_script_links():
    out = render(plugin_markdown("## Press\n\n*Hello* <script>x()</script> [a](javascript:alert(1)) "
                                 "[b](other.md) ![c](https://cdn.example/x.png)"))
    assert "<h2>Press</h2>" in out and "<em>Hello</em>" in out
    assert "<script>" not in out and "javascript:" not in out and "cdn.example" not in out
    assert '<a href="other.md">b</a>' in out


def test_titles_survive_striptags_without_markup():
    from markupsafe import Markup

    shown = Markup(title("Press </title><script>x()</script> & co")).striptags()
    assert "<" not in shown and ">" not in shown and "&" not in shown
    assert shown.startswith("Press")


# --- plugin pages: what the site's own Markdown set-up makes of them --------------------------------

SITE_EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "toc", "openledger.site.sanitize"]
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "xlink:href", "srcset")

# the three bypasses found in the last security test, and spellings of them
PAYLOADS = {
    "reference link": "[Read more][more]\n\n[more]: javascript:window.__pwned=1",
    "reference link, angle brackets": "[Read more][more]\n\n[more]: <javascript:window.__pwned=1>",
    "reference link, mixed case and tab": "[Read more][more]\n\n[more]: JaVa\tScRiPt:window.__pwned=1",
    "reference link, character reference": "[Read more][more]\n\n[more]: java&#115;cript:window.__pwned=1",
    "attr_list onclick": "[Read more](policy.md){: onclick=\"window.__pwned=1\" }",
    "attr_list onclick on a paragraph": "Press here\n{: onmouseover=\"window.__pwned=1\" }",
    "attr_list href": "[Read more](policy.md){: href=\"javascript:window.__pwned=1\" }",
    "attr_list style": "# Equal\n{: style=\"position:fixed;top:0\" }",
}


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def script_bearing(rendered: str) -> list[str]:
    """Whatever in rendered HTML could run script or restyle the page: tags, handlers, targets."""
    parser = _Attributes()
    parser.feed(rendered)
    found = [f"<{tag}>" for tag in parser.tags if tag in ("script", "iframe", "object", "embed", "style", "form")]
    for name, value in parser.attributes:
        target = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(value)).lower()
        if name.startswith("on") or name in ("style", "srcdoc") or (
                name in URL_ATTRIBUTES and target.startswith(SCRIPT_SCHEMES)):
            found.append(f"{name}={value!r}")
    return found


def site_render(text: str) -> str:
    return markdown.markdown(plugin_markdown(text), extensions=SITE_EXTENSIONS)


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_plugin_page_payloads_come_out_inert(name):
    rendered = site_render(PAYLOADS[name])
    assert script_bearing(rendered) == [], rendered
    assert "Read more" in rendered or "Press here" in rendered or "Equal" in rendered  # the text stays


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_the_sanitizer_alone_catches_what_attr_list_adds(name):
    """Without the escaping of plugin text (the site's own pages): the tree step still removes it."""
    rendered = markdown.markdown(PAYLOADS[name], extensions=SITE_EXTENSIONS)
    assert script_bearing(rendered) == [], rendered


PIECES = ["[", "]", "(", ")", "{", "}", ":", ": ", "javascript", "JavaScript", "java\tscript", "data", "vbscript",
          "onclick=", "onerror=", "href=", "src=", "style=", '"', "'", "<", ">", "&#115;", "&#x3a;", "&colon;",
          "!", "\n", "\n\n", "    ", "x", "window.__pwned=1", "policy.md", "#", "=", " ", "{: ", "[r]: ", "![i]"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40))
def test_no_plugin_markdown_yields_a_script_bearing_attribute(pieces):
    text = "".join(pieces)
    assert script_bearing(site_render(text)) == [], text


def test_site_page_links_keep_their_targets():
    rendered = markdown.markdown("[a](other.md) [b](https://example.org/x?y=1#z) [c](mailto:help@example.org) "
                                 "[d](#top) [e](data/outcomes.csv)", extensions=SITE_EXTENSIONS)
    for target in ("other.md", "https://example.org/x?y=1#z", "mailto:help@example.org", "#top", "data/outcomes.csv"):
        assert f'href="{target}"' in rendered
