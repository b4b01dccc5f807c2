"""``openledger build`` on a realistic instance: verifiable, reproducible, nothing leaks."""

import json
from pathlib import Path

import pytest
from paths import ROOT
from pluggy import HookimplMarker
from site_fixtures import HOSTILE_CATEGORY, HOSTILE_CATEGORY_TOKEN, built_site

from openledger import plugins
from openledger.errors import ConfigError, OpenLedgerError
from openledger.instance import Instance
from openledger.site import render
from openledger.site.build import build_site
from openledger.site.gather import gather, site_settings
from openledger.site.hooks import plugin_pages

hookimpl = HookimplMarker("openledger")
PAGES = ("index.html", "audit.html", "outcomes.html", "check.html", "verify.html", "policy.html")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return built_site(tmp_path_factory)


def all_text(root: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "ignore") for p in root.rglob("*") if p.is_file())


def test_the_site_has_every_page_and_its_data(site):
    _, root = site
    for page in PAGES:
        assert (root / page).is_file(), page
    for name in ("checkpoint", "verifier.key"):
        assert (root / "ledger" / name).is_file()
    for dim in ("visibility", "channel", "audience"):
        assert json.loads((root / "data" / f"audit-{dim}.json").read_text())["dimension"] == dim
    assert (root / "data" / "outcomes" / "index.json").is_file()
    assert len(list((root / "data" / "cases").glob("*.json"))) == 256
    assert render.remote_assets(root) == []


def test_openledger_verify_accepts_the_site(site):
    inst, root = site
    assert inst.run("verify", str(root)).stdout.startswith("ok:")
    assert inst.run("verify", str(root / "ledger")).stdout.startswith("ok:")


@pytest.mark.parametrize("dimension", ["visibility", "channel", "audience"])
def test_audit_from_site_reproduces_the_published_numbers(site, dimension):
    inst, root = site
    again = inst.json("audit", "--from-site", str(root), "--json", "--by", dimension)
    assert again == json.loads((root / "data" / f"audit-{dimension}.json").read_text())


def test_home_states_the_verdict_and_the_checkpoint(site):
    _, root = site
    home = (root / "index.html").read_text()
    assert 'id="verdict"' in home and "treated alike" in home
    checkpoint = (root / "ledger" / "checkpoint").read_text().splitlines()
    assert checkpoint[2] in home and f"{int(checkpoint[1]):,}" in home


def test_untrusted_text_never_becomes_markup_and_complaint_text_is_only_published_redacted(site):
    _inst, root = site
    text = all_text(root)
    assert "ana.hostile@example.net" not in text and "customer00001@mail.example.com" not in text
    for page in root.glob("*.html"):
        html = page.read_text()
        assert "<Telecom>" not in html and HOSTILE_CATEGORY not in html, page.name
        assert "window.__pwned = 1" not in html, page.name
    # category (a token since intake) and (redacted) summary are published as data, read by scripts
    # with textContent
    categories = json.loads((root / "data" / "outcomes" / "index.json").read_text())["categories"]
    assert HOSTILE_CATEGORY_TOKEN in categories
    said = {}
    for path in (root / "data" / "summaries").glob("*.json"):
        said.update(json.loads(path.read_text()))
    hostile = [t for t in said.values() if "window.__pwned = 1" in t]
    assert len(hostile) == 1 and hostile[0].endswith("mail [EMAIL]")


def test_no_secret_or_signing_key_is_copied(site):
    inst, root = site
    text = all_text(root).lower()
    key_line = (inst.home / "ledger.key").read_text().strip()
    assert key_line.lower() not in text
    secret = Instance(inst.home, inst.db_url).config.secret()
    assert secret.hex() not in text


def test_a_customer_id_equal_to_the_logs_size_does_not_stop_the_build(site, tmp_path):
    """The verify page shows the signed checkpoint, whose second line is the log's size: a customer's numeric
    id that happens to be the same number is not a leak of it (it refused to publish before)."""
    inst, root = site
    size = (root / "ledger" / "checkpoint").read_text().splitlines()[1]
    assert len(size) >= 4 and f"\n{size}\n" in (root / "verify.html").read_text()
    inputs = gather(Instance(inst.home, inst.db_url))
    inputs.identifiers["author"] = [*inputs.identifiers.get("author", ()), size]
    report = build_site(inputs, tmp_path / "site")
    assert report.entries == int(size) and f"\n{size}\n" in (tmp_path / "site" / "verify.html").read_text()


def test_a_leak_fails_the_build_and_keeps_the_old_site(site, tmp_path):
    inst, _ = site
    out = tmp_path / "site"
    inputs = gather(Instance(inst.home, inst.db_url))
    build_site(inputs, out)
    before = (out / "index.html").read_text()
    inputs = gather(Instance(inst.home, inst.db_url))
    inputs.identifiers["name"] = ["Northwind <Telecom>"]  # the company name is on every page
    with pytest.raises(OpenLedgerError, match="refusing to publish: .* would leak name"):
        build_site(inputs, out)
    assert (out / "index.html").read_text() == before
    assert not list(tmp_path.glob(".site.building"))


def test_build_refuses_a_folder_that_is_not_a_site(site, tmp_path):
    inst, _ = site
    (tmp_path / "notes.txt").write_text("mine")
    result = inst.run("build", "--out", str(tmp_path), expect=1)
    assert "not an openledger site" in result.output and (tmp_path / "notes.txt").exists()


class PressPlugin:
    """A third-party plugin adding a page and watching the build."""

    def __init__(self):
        self.built = []

    @hookimpl
    def register_site_pages(self, register, context):
        class Page:
            path = "press.md"
            title = "Press </title><script>window.__pwned = 8</script>"

            @staticmethod
            def render(ctx):
                return (f"# Press\n\n{ctx.company} resolved cases: {ctx.checkpoint.size} entries.\n\n"
                        "<script>window.__pwned = 9</script> [x](javascript:alert(1))\n")

        register(Page())

    @hookimpl
    def site_built(self, site_dir, context):
        self.built.append((site_dir, context.checkpoint.size))


def test_plugin_pages_are_built_escaped_and_site_built_is_called(site, tmp_path):
    inst, _ = site
    plugin = PressPlugin()
    plugins.pm.register(plugin, name="press-test")
    try:
        inst.run("build", "--out", str(tmp_path / "site"))
    finally:
        plugins.pm.unregister(name="press-test")
    press = (tmp_path / "site" / "press.html").read_text()
    assert "<h1" in press and "Press" in press
    assert "<script>window.__pwned" not in press and "javascript:alert" not in press
    assert "<script>window" not in press and "</title><" not in press
    assert plugin.built and plugin.built[0][0] == (tmp_path / "site").resolve()


class GossipPlugin:
    """A plugin page that names a customer: the build must find it, though the building process never holds
    the customers' identifiers (a process of its own reads them and scans the staged site)."""

    @hookimpl
    def register_site_pages(self, register, context):
        class Page:
            path = "gossip.md"
            title = "Gossip"

            @staticmethod
            def render(ctx):
                return "# Gossip\n\nOur most patient customer is @dana_k.\n"

        register(Page())


def test_an_instance_build_finds_a_customer_named_by_a_plugin_page(site, tmp_path):
    inst, _ = site
    plugins.pm.register(GossipPlugin(), name="gossip-test")
    try:
        line = inst.run("build", "--out", str(tmp_path / "site"), expect=1).stderr.strip()
        # the inputs gathered and built here, as a program using the library would: scanned here, the same way
        with pytest.raises(OpenLedgerError, match=r"would leak author \(first: gossip.html\)"):
            build_site(gather(Instance(inst.home, inst.db_url)), tmp_path / "here", extra_pages=plugin_pages)
    finally:
        plugins.pm.unregister(name="gossip-test")
    assert "file(s) would leak author (first: gossip.html)" in line and "\n" not in line  # the page, its search entry
    assert not (tmp_path / "site").exists() and not (tmp_path / "here").exists()


def test_remote_asset_check_finds_cdn_references(tmp_path):
    (tmp_path / "a.html").write_text('<script src="https://cdn.example/x.js"></script>')
    (tmp_path / "b.css").write_text("body{background:url( //img.example/x.png)}")
    (tmp_path / "c.html").write_text('<a href="https://example.org/">a link is not an asset</a>')
    assert render.remote_assets(tmp_path) == ["a.html", "b.css"]


def test_site_settings_defaults_and_errors():
    assert site_settings({}) == {"k": 10, "settle": "14d", "summaries": False, "currency": "", "gag_rule": ""}
    rule = site_settings({"site": {"gag_rule": " We never ask\n for silence. "}})["gag_rule"]
    assert rule == "We never ask for silence."
    with pytest.raises(ConfigError, match="gag_rule must be text"):
        site_settings({"site": {"gag_rule": 3}})
    assert site_settings({"site": {"k": 5}})["k"] == 5
    assert site_settings({"remedies": {"currency": "GBP"}})["currency"] == "GBP"  # the remedy table's currency
    assert site_settings({"site": {"currency": "USD"}, "remedies": {"currency": "GBP"}})["currency"] == "USD"
    with pytest.raises(ConfigError, match="ISO 4217"):
        site_settings({"site": {"currency": "dollars"}})
    with pytest.raises(ConfigError, match="unknown"):
        site_settings({"site": {"kk": 5}})
    with pytest.raises(ConfigError, match="k must"):
        site_settings({"site": {"k": 0}})


def test_serve_needs_a_built_site(site, tmp_path):
    inst, _ = site
    result = inst.run("serve", "--dir", str(tmp_path), expect=1)
    assert "openledger build" in result.output


@pytest.mark.postgres
def test_build_on_postgresql(tmp_path, postgres_url):
    from site_fixtures import make_site_instance

    inst = make_site_instance(tmp_path / "home", cases=80, db_url=postgres_url)
    try:
        line = inst.run("build", "--out", str(tmp_path / "site")).stdout
        assert line.startswith("built ") and f"{inst.count('cases'):,} cases" in line
        assert inst.run("verify", str(tmp_path / "site")).stdout.startswith("ok:")
        again = inst.json("audit", "--from-site", str(tmp_path / "site"), "--json")
        assert again == json.loads((tmp_path / "site" / "data" / "audit-visibility.json").read_text())
    finally:
        inst.close()


def test_an_empty_instance_builds_a_site_that_says_so(tmp_path):
    from openledger.testing import make_instance

    inst = make_instance(tmp_path / "home")
    inst.run("build", "--out", str(tmp_path / "site"))
    home = (tmp_path / "site" / "index.html").read_text()
    assert "no published cases" in home
    assert inst.run("verify", str(tmp_path / "site")).stdout.startswith("ok:")
    assert (tmp_path / "site" / "data" / "outcomes.csv").read_text().startswith("channel,visibility,")
    assert not (tmp_path / "site" / "data" / "summaries").exists()  # off by default


def test_serve_on_a_busy_port_is_one_line(site):
    import socket

    inst, root = site
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = inst.run("serve", "--dir", str(root), "--port", str(busy.getsockname()[1]), expect=1)
    assert result.output.startswith("Error: cannot listen on 127.0.0.1:")


def test_serve_previews_the_site_on_localhost(site):
    import subprocess
    import sys
    import urllib.request

    inst, root = site
    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "openledger", "--home", str(inst.home), "serve", "--dir", str(root), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )
    try:
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line
        url = line.split(" on ")[1].split()[0]
        with urllib.request.urlopen(url + "index.html", timeout=5) as response:
            assert 'id="verdict"' in response.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def test_a_placeholder_author_is_not_a_person_and_does_not_block_the_build(tmp_path):
    """Review scrapes and help desks write 'customer', 'Anonymous' or 'A Customer' where the
    author is unknown (one Trustpilot row in the shared data): those name no one, and the
    site's own pages say 'customer'."""
    from openledger.testing import make_instance

    inst = make_instance(tmp_path / "home")
    rows = [("r1", "customer"), ("r2", "Anonymous"), ("r3", "A Customer"), ("r4", "Verified Buyer")]
    lines = [json.dumps({"id": i, "channel": "review", "visibility": "public", "timestamp": "2026-03-02T08:14:09Z",
                         "author": who, "text": "The customer service was slow"}) for i, who in rows]
    (tmp_path / "reviews.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    inst.run("ingest", "jsonl", tmp_path / "reviews.jsonl")
    assert "built " in inst.run("build", "--out", tmp_path / "site").stdout
    inst.close()


# one-word names that are everyday words; in the last security test 13 of them ("Mark", "Will", "Hope",
# "Page", "Case", ...) made the build refuse the demo site, and the site's own words ("Audit", "Policy") too
EVERYDAY_NAMES = ["Mark", "Will", "Hope", "Page", "Case", "Grace", "Faith", "Joy", "Rose", "Bill", "Frank", "June",
                  "April", "Summer", "Dawn", "Chase", "Hunter", "Price", "Guy", "Ray", "Audit", "Policy", "Home",
                  "Check", "Verify", "Ledger", "Outcome", "Channel", "Public", "Private", "Remedy", "Search"]


def test_no_choice_of_name_blocks_the_build(tmp_path):
    from openledger.testing import PUBLISH_AT_ONCE, make_instance

    inst = make_instance(tmp_path / "home", site={**PUBLISH_AT_ONCE, "summaries": True})
    lines = [json.dumps({"id": f"r{i}", "channel": channel, "visibility": visibility,
                         "timestamp": f"2026-{month}-{2 + i % 20:02d}T08:14:09Z", "author": name,
                         "text": f"My bill was wrong and I will not pay it, please check my case, {name}."})
             for i, name in enumerate(EVERYDAY_NAMES)
             for channel, visibility, month in [(("review", "public", "03"), ("email", "private", "05"))[i % 2]]]
    (tmp_path / "named.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    inst.run("ingest", "jsonl", tmp_path / "named.jsonl")
    inst.run("process")
    built = inst.run("build", "--out", tmp_path / "site").stdout
    assert "built " in built
    # each private summary ended with its author's own name as a name: withheld, not published
    assert "case summaries withheld" in built
    for path in (tmp_path / "site" / "data").rglob("*.json"):
        text = path.read_text("utf-8")
        assert not any(f"case, {name}" in text for name in EVERYDAY_NAMES), path
    inst.close()


def test_build_without_the_signing_key_is_one_line(tmp_path):
    from openledger.testing import make_instance

    inst = make_instance(tmp_path / "home")
    (inst.home / "ledger.key").rename(tmp_path / "ledger.key.backup")
    result = inst.run("build", "--out", str(tmp_path / "site"), expect=1)
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert "ledger.key" in result.output and "no signing key here" in result.output
    assert not (tmp_path / "site").exists()
