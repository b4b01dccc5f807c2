"""A site built with two witnesses shows who cosigned and when, and Chromium checks the cosignatures.

The instance is built through the CLI with two real witness servers; the
site is served as static files on 127.0.0.1; a copy with one cosignature
altered is reported as such.
"""

from __future__ import annotations

import base64
import json
import shutil

import pytest
from browser_fixtures import clean_page
from site_fixtures import make_site_instance
from witness_fixtures import StaticServer, ThreadWitness, cosigner_key, make_witness

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("witnessed-site")
    inst = make_site_instance(base / "home", cases=120, summaries=False)
    verifier = (base / "home" / "verifier.key").read_text().strip()
    witnesses = [ThreadWitness(make_witness(base / f"w{i}", f"witness{i}.example/w", [verifier])) for i in (1, 2)]
    with (base / "home" / "openledger.toml").open("a", encoding="utf-8") as f:
        f.write('\n[witnesses]\npolicy = "2 of 2"\n')
        for i, w in enumerate(witnesses, start=1):
            f.write(f'\n[[witnesses.witness]]\nname = "witness-{i}"\nurl = "{w.url}"\nkey = "{cosigner_key(w.home)}"\n')
    inst.run("build", "--out", str(base / "site"))
    for w in witnesses:
        w.close()
    tampered = base / "tampered"
    shutil.copytree(base / "site", tampered)
    checkpoint = tampered / "ledger" / "checkpoint"
    lines = checkpoint.read_text().splitlines(keepends=True)
    name, blob = lines[-1].split(" ")[1:]
    raw = bytearray(base64.b64decode(blob))
    raw[20] ^= 1
    lines[-1] = f"\u2014 {name} {base64.b64encode(bytes(raw)).decode()}\n"
    checkpoint.write_text("".join(lines))
    servers = [StaticServer(base / "site"), StaticServer(tampered)]
    yield base / "site", servers[0].url, servers[1].url
    for s in servers:
        s.close()
    inst.close()


def test_the_verify_page_shows_and_verifies_both_cosignatures(browser, sites):
    root, url, _ = sites
    published = json.loads((root / "ledger" / "witnesses.json").read_text())
    assert [w["name"] for w in published["witnesses"]] == ["witness-1", "witness-2"]
    with clean_page(browser) as page:
        page.goto(url + "verify.html")
        page.wait_for_selector("#ol-witness-summary.ok, #ol-witness-summary.bad", timeout=10000)
        summary = page.text_content("#ol-witness-summary")
        assert page.get_attribute("#ol-witness-summary", "class") == "ol-status ok", summary
        assert "2 of 2 witnesses' cosignatures verified in your browser (policy: 2 of 2)" in summary
        assert "witness-1 (20" in summary and "witness-2 (20" in summary
        rows = page.query_selector_all("#ol-witnesses tbody tr")
        cells = [[td.text_content() for td in row.query_selector_all("td")] for row in rows]
        assert [c[0] for c in cells] == ["witness1.example/w", "witness2.example/w"]
        assert all(c[2].endswith(" UTC") and c[3] == "verified" for c in cells), cells
        # the function the page uses, called directly
        result = page.evaluate("""async () => {
            const note = await (await fetch('ledger/checkpoint')).text();
            const keys = (await (await fetch('ledger/witnesses.json')).json()).witnesses;
            return await OpenLedgerWitness.verify(note, keys);
        }""")
        assert (result["verified"], result["failed"]) == (2, 0)


def test_the_check_page_shows_the_cosigners(browser, sites):
    _, url, _ = sites
    with clean_page(browser) as page:
        page.goto(url + "check.html")
        page.wait_for_selector("#ol-check-witnesses.ok, #ol-check-witnesses.bad", timeout=10000)
        text = page.text_content("#ol-check-witnesses")
        assert page.get_attribute("#ol-check-witnesses", "class") == "ol-status ok", text
        assert text.startswith("Cosigned by witness-1 (")


def test_a_tampered_cosignature_is_reported(browser, sites):
    _, _, tampered = sites
    with clean_page(browser) as page:
        page.goto(tampered + "verify.html")
        page.wait_for_selector("#ol-witness-summary.ok, #ol-witness-summary.bad", timeout=10000)
        assert page.get_attribute("#ol-witness-summary", "class") == "ol-status bad"
        assert "The cosignature of witness-2 does not verify" in page.text_content("#ol-witness-summary")
        statuses = [c.text_content() for c in page.query_selector_all("#ol-witnesses td.ol-witness-status")]
        assert statuses == ["verified", "does not verify"]
