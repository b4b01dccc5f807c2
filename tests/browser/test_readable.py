"""Readable everywhere (issue 16, item 5): the built site in Chromium at 1280 and 390 px.

Every page of the test site (tests/lib/site_fixtures.py) and of a site of the real CFPB extract
(whose long product names once made the Outcomes page 572 px wide on a 390 px phone): nothing is
wider than the window, and every table's right edge is inside the window with nothing hidden in
it. No table relies on a scroll container: the theme's wrapper (``.md-typeset__scrollwrap``) is
kept, but the test requires that it never has to scroll; a table that does not fit is stacked by
``assets/js/tables.js``. On Outcomes the outcome, remedy and amount of every row are on screen.
The text boxes of every chart, measured in Chromium, never intersect, on the site's charts and on
a chart of the ratios that made the old axis unreadable. The case timeline is in words and units.
Screenshots of Home, Audit, Outcomes and Check your case (with a case checked) at both widths are
taken every run; with ``OPENLEDGER_SCREENSHOTS=1`` they replace those in docs/images/ (shown in
docs/site.md), otherwise they go to the test's temporary folder, so a test run changes no file of
the checkout.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from browser_fixtures import clean_page
from paths import DOCS, shared
from site_fixtures import built_site
from witness_fixtures import StaticServer

from openledger.site.charts import Bar, ratio_chart
from openledger.testing import PUBLISH_AT_ONCE, make_instance

pytestmark = pytest.mark.browser
WIDTHS = {1280: 900, 390: 844}  # window width -> height (a desktop, a phone)
SCREENSHOTS = {"index.html": "home", "audit.html": "audit", "outcomes.html": "outcomes", "check.html": "check"}

#: the layout of the page as measured in the browser
LAYOUT = """() => {
  const out = {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, tables: []};
  for (const t of document.querySelectorAll("table")) {
    const r = t.getBoundingClientRect();
    const wrap = t.closest(".md-typeset__scrollwrap");
    out.tables.push({id: t.id || t.rows[0]?.textContent.trim().slice(0, 40), left: r.left, right: r.right,
                     hidden: t.scrollWidth - t.clientWidth, wrapHidden: wrap ? wrap.scrollWidth - wrap.clientWidth : 0,
                     stacked: t.hasAttribute("data-ol-stack")});
  }
  return out;
}"""

#: every pair of text elements of the SVG charts on the page whose rendered boxes intersect
OVERLAPS = """() => {
  const found = [];
  for (const svg of document.querySelectorAll("svg")) {
    const boxes = Array.from(svg.querySelectorAll('g[id^="text_"], text'), (g) => [g.id, g.getBoundingClientRect()])
      .filter(([, r]) => r.width > 0 && r.height > 0);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, p] = boxes[i], [b, q] = boxes[j];
      if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) found.push([a, b]);
    }
  }
  return [document.querySelectorAll('svg g[id^="text_"], svg text').length, found];
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    inst, root = built_site(tmp_path_factory)
    server = StaticServer(root)
    yield root, server.url
    server.close()


@pytest.fixture(scope="module")
def cfpb_site(tmp_path_factory):
    """A site of the real CFPB extract: regulator product names as categories, some of them long."""
    base = tmp_path_factory.mktemp("cfpb-site")
    inst = make_instance(base / "home", name="CFPB extract", site=PUBLISH_AT_ONCE)
    inst.run("ingest", "cfpb", str(shared("cfpb", "complaints_2015_2020_sample.csv")))
    inst.run("build", "--out", str(base / "site"))
    server = StaticServer(base / "site")
    yield base / "site", server.url
    server.close()
    inst.close()


def refunded_case(root: Path) -> str:
    """A published case resolved with a refund or credit of some amount, with at least three entries."""
    index = json.loads((root / "data" / "outcomes" / "index.json").read_text())
    entries = {}
    for path in (root / "data" / "cases").glob("*.json"):
        entries.update(json.loads(path.read_text()))
    for period in index["periods"]:
        for part in period["parts"]:
            data = json.loads((root / "data" / "outcomes" / part).read_text())
            at = {name: i for i, name in enumerate(data["columns"])}
            for row in data["rows"]:
                case = row[at["case"]]
                if row[at["remedy"]] in ("refund", "credit") and row[at["amount"]] and len(entries[case]) >= 3:
                    return case
    raise AssertionError("no case resolved with an amount")


def open_page(page, base: str, name: str, case: str) -> None:
    page.goto(base + name)
    page.wait_for_load_state("networkidle")
    if name == "outcomes.html":
        page.wait_for_selector("#ol-table tbody tr")
    if name == "check.html":
        page.fill("#ol-case-id", case)
        page.click("#ol-check-button")
        page.wait_for_selector("#ol-check-status.ok", timeout=8000)
        page.wait_for_selector("#ol-timeline tbody tr")
    page.wait_for_timeout(100)  # one frame for tables.js after the last rows came in


def small_png(raw: bytes, path: Path) -> None:
    """A screenshot as a 64-colour PNG: small enough to keep in the repository."""
    from PIL import Image

    image = Image.open(io.BytesIO(raw)).convert("RGB").quantize(colors=64, dither=Image.Dither.NONE)
    image.save(path, optimize=True)


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("which", ["site", "cfpb_site"])
def test_no_page_is_wider_than_the_window_and_no_table_hides_a_column(request, browser, which, width, tmp_path):
    root, base = request.getfixturevalue(which)
    case = refunded_case(root) if which == "site" else next(iter(json.loads(
        sorted((root / "data" / "cases").glob("*.json"))[0].read_text())))
    names = sorted(p.name for p in root.glob("*.html"))
    assert {"index.html", "audit.html", "outcomes.html", "check.html", "verify.html", "policy.html"} <= set(names)
    seen_tables = 0
    with clean_page(browser) as page:
        page.set_viewport_size({"width": width, "height": WIDTHS[width]})
        for name in names:
            open_page(page, base, name, case)
            layout = page.evaluate(LAYOUT)
            assert layout["scrollWidth"] <= layout["innerWidth"] == width, (name, layout["scrollWidth"])
            for table in layout["tables"]:
                seen_tables += 1
                where = (name, width, table["id"])
                assert 0 <= table["left"] and table["right"] <= width, where
                assert table["hidden"] <= 1 and table["wrapHidden"] <= 1, where  # nothing scrolled out of sight
            if name in SCREENSHOTS and which == "site":
                raw = page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": width, "height": 1600})
                folder = DOCS / "images" if os.environ.get("OPENLEDGER_SCREENSHOTS") == "1" else tmp_path
                small_png(raw, folder / f"site-{SCREENSHOTS[name]}-{width}.png")
    assert seen_tables >= 10


@pytest.mark.parametrize("width", list(WIDTHS))
def test_outcomes_always_show_outcome_remedy_and_amount(site, browser, width):
    root, base = site
    with clean_page(browser) as page:
        page.set_viewport_size({"width": width, "height": WIDTHS[width]})
        open_page(page, base, "outcomes.html", "")
        rows = page.locator("#ol-table tr.ol-row")
        assert rows.count() >= 1
        for label in ("Case", "Outcome", "Remedy", "Amount"):
            cells = page.locator(f'#ol-table tr.ol-row td[data-label="{label}"]')
            assert cells.count() == rows.count()
            for i in range(cells.count()):
                box = cells.nth(i).bounding_box()
                assert box and box["width"] > 0 and 0 <= box["x"] and box["x"] + box["width"] <= width, (label, i)
        # a desktop gets a table of the chosen columns, a phone one card per case
        stacked = page.evaluate("document.querySelector('#ol-table').hasAttribute('data-ol-stack')")
        assert stacked == (width < 600)
        assert re.fullmatch(r"(\$\d+\.\d\d|–)", page.locator('#ol-table td[data-label="Amount"]').first.inner_text())


def test_no_two_labels_of_a_chart_overlap(site, browser):
    root, base = site
    charts = sorted((root / "charts").glob("*.svg"))
    assert len(charts) >= 6
    # the ratios of issue 16 that ran the old axis labels together ("0.250.50.81.25")
    wide = ratio_chart([Bar("public vs private", 13.24, 8.1, 21.6, "unequal"),
                        Bar("twitter vs private", 23.5, 11.0, 50.2, "unequal"),
                        Bar("first response, public vs private", 0.02, 0.01, 0.04, "unequal"),
                        Bar("phone vs private except phone", 1.0, 0.93, 1.08, "equal")],
                       (0.8, 1.25), "adjusted ratio to the reference (log scale)")
    with clean_page(browser) as page:
        for chart in charts:
            page.goto(base + "charts/" + chart.name)
            texts, overlaps = page.evaluate(OVERLAPS)
            assert texts >= 4 and overlaps == [], (chart.name, overlaps)
        page.goto("about:blank")  # an HTML document to write the chart into
        page.set_content(f"<!doctype html><body>{wide}</body>")
        texts, overlaps = page.evaluate(OVERLAPS)
        assert texts >= 8 and overlaps == []
        labels = page.evaluate("""() => Array.from(document.querySelectorAll('g[id^="xtick_"] g[id^="text_"]'),
                                  (g) => g.getBoundingClientRect().left).length""")
        assert labels >= 4  # still a readable scale: 1, the band and a few more


def test_the_case_timeline_is_in_words_and_units(site, browser):
    root, base = site
    case = refunded_case(root)
    with clean_page(browser) as page:
        open_page(page, base, "check.html", case)
        text = page.text_content("#ol-timeline")
        details = page.locator("#ol-timeline tbody td:nth-child(4)").all_text_contents()
    assert "{" not in text and not re.search(r"\b[a-z]+_[a-z_]+\b", text), text  # no JSON, no field names
    assert re.search(r"(refund|credit) of \$\d+\.\d\d", text), text  # the amount as money, in the site's currency
    classified = [d for d in details if "% sure" in d]
    assert classified and all(len(d) < 160 and "confidence" not in d for d in classified)
    spans = re.findall(r"after (\d+ days?(?: \d+ hours?)?|\d+ hours?(?: \d+ minutes?)?)", text)
    assert spans, text  # the resolution (and a reply, when its delay is published) as a span in words
