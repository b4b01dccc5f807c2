"""The built site in a real browser: Debian's Chromium driven by Playwright.

No browser is downloaded: the tests use ``/usr/bin/chromium``. Outside CI a
missing Chromium (or Playwright) skips them with the reason; with ``CI=true``
they fail.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from browser_fixtures import clean_page
from site_fixtures import HOSTILE_CATEGORY_TOKEN, built_site
from witness_fixtures import StaticServer

from openledger.ledger.tiles import bundle_path, decode_bundle, encode_bundle

pytestmark = pytest.mark.browser
@pytest.fixture(scope="module")
def site(tmp_path_factory):
    inst, root = built_site(tmp_path_factory)
    server = StaticServer(root)
    yield inst, root, server.url
    server.close()


@pytest.fixture
def page(browser):
    """A page whose requests may only go to 127.0.0.1 and whose console must stay clean."""
    with clean_page(browser) as pg:
        yield pg


def a_case(root: Path) -> tuple[str, list[int]]:
    for path in sorted((root / "data" / "cases").glob("*.json")):
        for case, indices in json.loads(path.read_text()).items():
            if len(indices) >= 2:
                return case, indices
    raise AssertionError("no case with two entries")


def check(page, base: str, case: str = "", receipt: str = "") -> str:
    page.goto(base + "check.html")
    page.fill("#ol-case-id", case)
    if receipt:
        page.fill("#ol-receipt", receipt)
    page.click("#ol-check-button")
    page.wait_for_selector("#ol-check-status.ok, #ol-check-status.bad, #ol-check-status.warn", timeout=8000)
    return page.text_content("#ol-check-status")


def test_every_page_loads_locally_and_home_shows_the_verdict(site, page):
    _, _, base = site
    for name in ("index.html", "audit.html", "outcomes.html", "check.html", "verify.html", "policy.html"):
        page.goto(base + name)
        page.wait_for_load_state("networkidle")
    page.goto(base)
    verdict = page.text_content("#verdict")
    assert "treated alike" in verdict or "unequal treatment" in verdict


def test_audit_charts_render(site, page):
    _, _, base = site
    page.goto(base + "audit.html")
    page.wait_for_load_state("networkidle")
    charts = page.locator(".ol-chart img")
    assert charts.count() >= 6
    for i in range(charts.count()):
        img = charts.nth(i)
        assert img.evaluate("i => i.complete && i.naturalWidth > 100 && i.naturalHeight > 50")
        assert img.bounding_box()["width"] > 200
        assert len(img.get_attribute("alt")) > 40  # the text alternative


def test_case_check_verifies_a_real_case_and_its_receipt(site, page):
    inst, root, base = site
    case, indices = a_case(root)
    status = check(page, base, case.lower())  # typed in lower case
    assert status.startswith("Verified") and str(len(indices)) in status
    assert page.locator("#ol-timeline tbody tr").count() == len(indices)
    receipt = inst.run("receipt", case, "--json").stdout
    status = check(page, base, receipt=receipt)
    assert status.startswith("Verified: all") and "extends the one your receipt was made from" in status
    # the customer's exact times, from the receipt's openings; the public rows carry only periods
    exact = [c.strip() for c in page.locator("#ol-timeline tbody tr td:nth-child(5)").all_text_contents()]
    assert exact and all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC", t) for t in exact)
    periods = page.locator("#ol-timeline tbody tr td:nth-child(2)").all_text_contents()
    assert all(re.fullmatch(r"\d{4}(-W\d{2}|-\d{2}|-Q\d)?", p) for p in periods)
    assert "{" not in page.text_content("#ol-timeline")  # words, not JSON


def test_an_unknown_case_is_not_found(site, page):
    _, _, base = site
    assert check(page, base, "C-AAAA-BBBB-CCCC-DDDD").startswith("Not found")


def test_a_tampered_site_does_not_verify(site, browser, tmp_path):
    _, root, _ = site
    copy = tmp_path / "site"
    shutil.copytree(root, copy)
    case, indices = a_case(copy)
    bundle = copy / "ledger" / bundle_path(indices[0] // 256, _width(copy, indices[0]))
    entries = decode_bundle(bundle.read_bytes())
    victim = entries[indices[0] % 256]
    entries[indices[0] % 256] = victim.replace(b'"period":"20', b'"period":"19', 1)  # same length, still JSON
    assert entries[indices[0] % 256] != victim
    bundle.write_bytes(encode_bundle(entries))
    server = StaticServer(copy)
    context = browser.new_context()
    try:
        pg = context.new_page()
        status = check(pg, server.url, case)
    finally:
        context.close()
        server.close()
    assert status.startswith("Does not verify") and f"entry {indices[0]}" in status


def _width(root: Path, index: int) -> int:
    size = int((root / "ledger" / "checkpoint").read_text().splitlines()[1])
    return 256 if index // 256 < size // 256 else size % 256


def test_a_hostile_complaint_executes_nothing(site, page):
    _, root, base = site
    index = json.loads((root / "data" / "outcomes" / "index.json").read_text())
    period = next(p["period"] for p in index["periods"] for part in p["parts"]
                  if any(HOSTILE_CATEGORY_TOKEN in row for row in
                         json.loads((root / "data" / "outcomes" / part).read_text())["rows"]))
    page.goto(base + "outcomes.html")
    page.wait_for_selector("#ol-table tbody tr")
    page.select_option("#ol-month", period)
    page.select_option("#ol-category", HOSTILE_CATEGORY_TOKEN)
    page.locator("#ol-summary", has_text=re.compile(rf"^1 cases published under {period}")).wait_for()
    cells = page.locator("#ol-table tbody td").all_text_contents()
    assert HOSTILE_CATEGORY_TOKEN in cells  # the category as stored at intake: a token
    said = page.locator("#ol-table .ol-said").all_text_contents()  # the redacted summary, on the line under its row
    assert any(c.startswith("My bill <script>window.__pwned = 1</script>") for c in said)
    assert page.locator("#ol-table img").count() == 0
    for name in ("index.html", "audit.html", "policy.html"):
        page.goto(base + name)
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_pages_open_from_file_and_the_case_check_says_it_needs_http(site, browser):
    _, root, _ = site
    context = browser.new_context()
    try:
        pg = context.new_page()
        pg.goto((root / "index.html").as_uri())
        assert "treated alike" in pg.text_content("#verdict") or "unequal" in pg.text_content("#verdict")
        pg.goto((root / "check.html").as_uri())
        pg.fill("#ol-case-id", "C-AAAA-BBBB-CCCC-DDDD")
        pg.click("#ol-check-button")
        assert "serve the site over HTTP" in pg.text_content("#ol-check-status")
    finally:
        context.close()


@pytest.fixture(scope="module")
def receipts(tmp_path_factory):
    """A small site, then the log sealed again after it was published: receipts of every kind.

    verified: a case published on the site; newer: a case with an event sealed after the build;
    forged: a receipt whose opening was altered; foreign: a receipt of another log (another key and
    origin); forked: a receipt proven in a log the site does not extend.
    """
    from site_fixtures import make_site_instance

    base = tmp_path_factory.mktemp("receipts")
    inst = make_site_instance(base / "home", cases=60, summaries=False)
    inst.run("build", "--out", base / "site")
    case = next(c for c in inst.json("cases", "list", "--json", "--limit", "200") if c["status"] != "resolved")
    out = {"verified": json.loads(inst.run("receipt", case["id"], "--json").stdout)}
    forged = json.loads(json.dumps(out["verified"]))
    item = next(e for e in forged["entries"] if "opening" in e)
    moment = datetime.fromisoformat(item["opening"]["at"].replace("Z", "+00:00")) + timedelta(seconds=1)
    item["opening"]["at"] = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    out["forged"] = forged
    inst.run("resolve", case["id"], "--outcome", "explained")
    inst.run("checkpoint")  # sealed after the site was built
    out["newer"] = json.loads(inst.run("receipt", case["id"], "--json").stdout)
    other = make_site_instance(base / "other", cases=20, summaries=False)
    other.run("checkpoint")
    foreign_case = other.json("cases", "list", "--json")[0]["id"]
    out["foreign"] = json.loads(other.run("receipt", foreign_case, "--json").stdout)
    server = StaticServer(base / "site")
    yield inst, base / "site", server.url, out
    server.close()
    inst.close()
    other.close()


def python_verdict(site_dir: Path, receipt: dict) -> str:
    from openledger.errors import OpenLedgerError
    from openledger.ledger.receipt import judge_receipt

    try:
        return judge_receipt(json.dumps(receipt), site_dir / "ledger").status
    except OpenLedgerError:
        return "refused"


@pytest.mark.parametrize("kind", ["verified", "newer", "forged", "foreign"])
def test_the_page_and_verify_receipt_judge_every_receipt_alike(receipts, page, kind):
    inst, site_dir, base, made = receipts
    receipt = made[kind]
    status = check(page, base, receipt=json.dumps(receipt))
    klass = page.get_attribute("#ol-check-status", "class")
    page_verdict = {"ol-status ok": "verified", "ol-status warn": "newer", "ol-status bad": "refused"}[klass]
    expected = {"verified": "verified", "newer": "newer", "forged": "refused", "foreign": "refused"}[kind]
    assert page_verdict == python_verdict(site_dir, receipt) == expected, status
    if kind == "newer":
        unpublished = [e["index"] for e in receipt["entries"] if e["index"] >= int(receipt["checkpoint"].split()[1])]
        assert "newer than this site" in status and not status.startswith("Verified")
        site_size = int((site_dir / "ledger" / "checkpoint").read_text().splitlines()[1])
        assert all(f"#{i}" in status for i in (e["index"] for e in receipt["entries"]) if i >= site_size)
        assert unpublished == [] or unpublished  # the indexes beyond the site are named above
    if kind == "foreign":
        assert "not signed by this site's key" in status or "another log" in status
    if kind == "forged":
        assert "opening does not match" in status
