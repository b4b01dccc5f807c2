"""Outside text is inert on the site: Markdown, HTML and template syntax show as typed."""

import html

import markdown
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
