"""Issue 21's site part in Chromium: the audit page's Influence section (headings, charts shown as images with
their text alternatives, tables) and the Gag requests page (every request a visible row, a sentence full of
markup shown as typed, its case checkable from its link), at 1280 and 390 px without horizontal overflow and
with a clean console (``clean_page``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from audit_sim import history_lines
from browser_fixtures import clean_page
from witness_fixtures import StaticServer

from openledger.testing import PUBLISH_AT_ONCE, make_instance

pytestmark = pytest.mark.browser
WIDTHS = {1280: 900, 390: 844}
START = datetime(2026, 3, 2, 9, tzinfo=UTC)
SENTENCE = ("We will refund you once you delete your review <b>now</b> **bold** {: onclick=alert(1) } "
            "[here](javascript:x).")

#: the page's width and every table's box, as laid out
LAYOUT = """() => ({scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  tables: Array.from(document.querySelectorAll("article table"), (t) => {
    const r = t.getBoundingClientRect();
    return {left: r.left, right: r.right, hidden: t.scrollWidth - t.clientWidth};
  })})"""
#: the Influence section: its headings, its chart images (loaded size, alt text) and its tables
INFLUENCE = """() => {
  const start = document.getElementById("influence");
  const out = {headings: [], images: [], tables: 0};
  for (let el = start; el && el.id !== "the-method-in-plain-words"; el = el.nextElementSibling) {
    if (/^H[234]$/.test(el.tagName)) out.headings.push(el.textContent.trim());
    for (const img of el.querySelectorAll("img")) {
      const r = img.getBoundingClientRect();
      out.images.push({src: img.getAttribute("src"), alt: img.alt, natural: img.naturalWidth, width: r.width});
    }
    if (el.querySelector("table") || el.tagName === "TABLE") out.tables += el.querySelectorAll("table").length
      || 1;
  }
  return out;
}"""


@pytest.fixture(scope="module")
def influenced(tmp_path_factory):
    base = tmp_path_factory.mktemp("influenced-site")
    inst = make_instance(base / "home")
    lines = [json.dumps({**json.loads(line), "gag": i % 400 == 0})
             for i, line in enumerate(history_lines(4_000, 21, "influence", labels=True))]
    (base / "history.jsonl").write_text("\n".join(lines) + "\n")
    inst.run("ingest", "history", base / "history.jsonl")
    inst.run("build", "--out", base / "site")
    server = StaticServer(base / "site")
    yield base / "site", server.url
    server.close()
    inst.close()


@pytest.fixture(scope="module")
def gagged(tmp_path_factory):
    base = tmp_path_factory.mktemp("gagged-site")
    inst = make_instance(base / "home", site=PUBLISH_AT_ONCE)
    records = []
    for n, (channel, visibility, author, reply) in enumerate([
        ("email", "private", "wanda.okafor@example.com", f"Sorry. {SENTENCE}"),
        ("twitter", "public", "@wanda_o", "Please take down this tweet and we will send a new blender."),
    ]):
        at = START + timedelta(days=n)
        records += [
            {"id": f"c{n}", "channel": channel, "visibility": visibility, "direction": "in", "author": author,
             "timestamp": at.isoformat(), "text": "My blender broke after a week: one star from me."},
            {"id": f"r{n}", "reply_to": f"c{n}", "channel": channel, "visibility": visibility, "direction": "out",
             "author": "support", "timestamp": (at + timedelta(hours=2)).isoformat(), "text": reply},
        ]
    (base / "mail.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    inst.run("ingest", "jsonl", base / "mail.jsonl")
    inst.run("process")
    inst.run("build", "--out", base / "site")
    server = StaticServer(base / "site")
    yield base / "site", server.url
    server.close()
    inst.close()


def _fits(page, width: int, name: str) -> None:
    layout = page.evaluate(LAYOUT)
    assert layout["scrollWidth"] <= layout["innerWidth"] == width, (name, layout["scrollWidth"])
    for table in layout["tables"]:
        assert 0 <= table["left"] and table["right"] <= width and table["hidden"] <= 1, (name, width, table)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_influence_section_renders_with_charts_and_tables(influenced, browser, width):
    root, base = influenced
    with clean_page(browser) as page:
        page.set_viewport_size({"width": width, "height": WIDTHS[width]})
        page.goto(base + "audit.html")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(100)  # one frame for tables.js
        assert page.is_visible("#influence")
        found = page.evaluate(INFLUENCE)
        assert found["headings"] == ["Influence", "Leverage", "Deflection",
                                     "Public follow-up after a case moved private", "Tone"], found["headings"]
        charts = [i for i in found["images"] if "influence-" in i["src"]]
        assert {c["src"] for c in charts} >= {f"charts/influence-{d}-ratio.svg" for d in ("leverage", "deflection",
                                                                                         "tone")}
        for chart in charts:
            assert chart["natural"] > 0 and 0 < chart["width"] <= width, chart  # loaded, inside the window
            assert chart["alt"].startswith(("Leverage, ", "Deflection, ", "Tone, ")), chart
        assert found["tables"] >= 4  # the three findings tables and the follow-up rates
        assert page.is_visible("text=Private complaints that threatened to go public, to the press")
        _fits(page, width, "audit.html")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_gag_list_shows_every_request(influenced, browser, width):
    root, base = influenced
    published = json.loads((root / "data" / "gag-requests.json").read_text())
    assert len(published) == 10
    with clean_page(browser) as page:
        page.set_viewport_size({"width": width, "height": WIDTHS[width]})
        page.goto(base + "gag-requests.html")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(100)
        rows = page.locator("article table tr:has(a[href^='check.html#'])")
        assert rows.count() == len(published)
        for i, request in enumerate(published):
            row = rows.nth(i)
            row.scroll_into_view_if_needed()
            assert row.is_visible()
            text = row.inner_text()
            assert request["case"] in text and request["channel"] in text and "withheld" in text
        _fits(page, width, "gag-requests.html")
        page.goto(base + "index.html")
        page.wait_for_load_state("networkidle")
        assert page.is_visible("#gag-requests")
        assert "10 gag requests are on the log" in page.inner_text("article")
        _fits(page, width, "index.html")


def test_a_gag_sentence_shows_as_typed_and_its_case_checks(gagged, browser):
    root, base = gagged
    (email, twitter) = sorted(json.loads((root / "data" / "gag-requests.json").read_text()),
                              key=lambda g: g["channel"])
    assert email["sentence"] == SENTENCE and twitter["withheld"] == "public-reply"
    with clean_page(browser) as page:
        page.goto(base + "gag-requests.html")
        page.wait_for_load_state("networkidle")
        cells = page.locator("article table td").all_inner_texts()
        assert f"“{SENTENCE}”" in cells
        assert "withheld: the reply was public, its words would lead to the customer's post" in cells
        assert page.locator("article b, article [onclick], article a[href^='javascript']").count() == 0
        page.click(f"a[href='check.html#{email['case']}']")
        page.wait_for_selector("#ol-check-status.ok", timeout=8000)
        assert page.input_value("#ol-case-id") == email["case"]


#: pairs of text elements of an SVG chart whose rendered boxes intersect (as in test_readable)
OVERLAPS = """() => {
  const boxes = Array.from(document.querySelectorAll('svg g[id^="text_"]'), (g) => [g.id, g.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0);
  const found = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, p] = boxes[i], [b, q] = boxes[j];
    if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) found.push([a, b]);
  }
  return [boxes.length, found];
}"""


def test_no_two_labels_of_an_influence_chart_overlap(influenced, browser):
    root, base = influenced
    charts = sorted((root / "charts").glob("influence-*.svg"))
    assert len(charts) >= 3
    with clean_page(browser) as page:
        for chart in charts:
            page.goto(base + "charts/" + chart.name)
            texts, overlaps = page.evaluate(OVERLAPS)
            assert texts >= 4 and overlaps == [], (chart.name, overlaps)
