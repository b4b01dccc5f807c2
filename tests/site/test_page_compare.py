"""How verify reads a page: whole (same renderers) or by its article (other renderers)."""

from __future__ import annotations

import pytest

from openledger.site.page_compare import page_difference

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Home - Northwind</title>
<script type="text/javascript">var x = 1;</script><link rel="stylesheet" href="assets/site.css"></head>
<body><header class="md-header">Northwind</header>
<article class="md-content__inner md-typeset"><h1 id="home">Home</h1>
<p class="ol-verdict" id="verdict">The audit found unequal treatment.</p>
<figure><img alt="remedy rate chart" src="charts/remedy.svg"></figure>
<pre><code>openledger verify https://SITE/   # check it</code></pre>
</article>
<footer>Made with Material for MkDocs 9.6</footer></body></html>
"""

MINIFIED = ("<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Home - Northwind</title>"
            "<script>var x=1;</script><link href=assets/site.css rel=stylesheet></head>"
            "<body><!-- built --><header class=md-header>Northwind</header>"
            '<article class="md-typeset md-content__inner"><h1 id=home>Home</h1>'
            '<p id=verdict class=ol-verdict>The audit found   unequal treatment.</p>'
            '<figure><img src=charts/remedy.svg alt="remedy rate chart" /></figure>'
            "<pre><code>openledger verify https://SITE/   # check it</code></pre>"
            "</article><footer>Made with Material for MkDocs 9.6</footer></body></html>")


def test_what_a_minifier_changes_is_the_same_page():
    assert page_difference("index.html", PAGE, MINIFIED) is None


@pytest.mark.parametrize(("old", "new"), [
    ('id="verdict">', 'id="verdict" hidden>'),
    ('id="verdict">', 'id="verdict" style="display:none">'),
    ("</head>", "<style>#verdict{display:none}</style></head>"),
    ("</footer>", "</footer><div style='position:fixed;inset:0'>All fair.</div>"),
    ("var x = 1;", "var x = 1; document.title = 'fair';"),
    ("https://SITE/   # check", "https://SITE/ # check"),  # inside pre, whitespace is what is shown
    ('<p class="ol-verdict" id="verdict">The audit found unequal treatment.</p>',
     '<!--<p class="ol-verdict" id="verdict">The audit found unequal treatment.</p>-->'),  # commented out
])
def test_anything_a_reader_sees_or_a_browser_runs_differs(old, new):
    assert old in PAGE
    said = page_difference("index.html", PAGE, PAGE.replace(old, new, 1))
    assert said and said.startswith("index.html: says ")


def test_with_other_renderers_the_frame_may_differ_and_the_article_may_not():
    other_theme = (PAGE.replace("Made with Material for MkDocs 9.6", "Made with Material for MkDocs 9.7")
                   .replace('<header class="md-header">Northwind</header>', "<nav>Northwind · Home</nav>"))
    assert page_difference("index.html", PAGE, other_theme, whole=False) is None
    assert page_difference("index.html", PAGE, other_theme) is not None
    for old, new in [('id="verdict">', 'id="verdict" hidden>'), ("unequal", "equal"),
                     ("<h1", "<script>document.querySelector('p').remove()</script><h1"),
                     ('src="charts/remedy.svg"', 'src="charts/other.svg"')]:
        assert page_difference("index.html", PAGE, other_theme.replace(old, new, 1), whole=False), old
