"""`openledger verify SITE` proves the site says what its log says.

Each tampering of the issue that first asked for it ("the site is a pure
function of the signed log"), applied to a copy of a built site, must make
`verify` exit 1 naming the file; the untouched site verifies. Sites are built
on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import http.server
import io
import json
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from databases import fresh_schema
from site_fixtures import history_lines, make_site_instance

from openledger.ledger.entry import build_entry
from openledger.ledger.export import export_log
from openledger.ledger.merkle import Appender, MemoryHashStore
from openledger.ledger.note import read_signer_key
from openledger.ledger.published import LocalFiles
from openledger.ledger.tiles import iter_entries
from openledger.site.check import describe
from openledger.site.derive import derive
from openledger.testing import make_instance


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def site(request, tmp_path_factory):
    base = tmp_path_factory.mktemp(f"site-{request.param}")
    url = request.getfixturevalue("module_postgres_url") if request.param == "postgresql" else None
    inst = make_site_instance(base / "home", cases=300, db_url=url)
    inst.run("build", "--out", str(base / "site"))
    yield inst, base / "site"
    inst.close()


@pytest.fixture(scope="module")
def module_postgres_url():
    with fresh_schema() as url:
        yield url


def copy_site(root: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(root, target)
    return target


def first_entry_changed(copy: Path) -> tuple[Path, bytes]:
    """Change a digit of the first entry's period in the copy's first entry bundle: (the bundle, its new bytes)."""
    bundle = copy / "ledger" / "tile" / "entries" / "000"
    data = bytearray(bundle.read_bytes())
    at = data.index(b'"period":"') + len(b'"period":"')
    data[at] = ord("1") if data[at] != ord("1") else ord("2")
    bundle.write_bytes(bytes(data))
    return bundle, bytes(data)


def refused(inst, copy: Path, *expected: str) -> str:
    """Run verify on the tampered copy: it must exit 1 and name every expected piece."""
    result = inst.run("verify", copy, expect=1)
    out = result.stdout
    for piece in expected:
        assert piece in out, (piece, out)
    assert "Traceback" not in result.output
    return out


def test_the_untouched_site_verifies(site):
    inst, root = site
    out = inst.run("verify", root).stdout
    assert out.splitlines()[0].startswith("ok: ") and "the site says what its log says" in out
    report = json.loads(inst.run("verify", root, "--json").stdout)
    assert report["ok"] is True and report["differences"] == [] and report["cases"] > 100


def test_verify_opens_no_database(site):
    """An auditor's verify reads the published files only: it does not load the database layer (SQLAlchemy,
    SQLModel, Alembic), which would add half a second to every run."""
    inst, root = site
    script = ("import sys; from openledger.cli import main; "
              "main.main(['verify', sys.argv[1], '--key', sys.argv[2]], standalone_mode=False); "
              "print([m for m in ('sqlalchemy', 'sqlmodel', 'alembic') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", script, str(root), str(inst.home / "verifier.key")],
                          capture_output=True, text=True, check=True)
    assert "the site says what its log says" in done.stdout
    assert done.stdout.splitlines()[-1] == "[]"


def home_verdict(copy: Path) -> Path:
    return copy / "index.html"


def test_the_home_verdict_rewritten(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    page = copy / "index.html"
    html = page.read_text()
    said = re.search(r'<p class="ol-verdict" id="verdict">([^<]*)</p>', html).group(1)
    page.write_text(html.replace(said, "Complaints are treated alike whichever channel the customer used."))
    refused(inst, copy, f"{copy / 'index.html'}: says")


def test_a_percentage_on_home_changed(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    page = copy / "index.html"
    html = page.read_text()
    number = re.search(r"<td[^>]*>(\d+\.\d)%</td>", html)
    changed = html[:number.start(1)] + ("99.9" if number.group(1) != "99.9" else "12.3") + html[number.end(1):]
    page.write_text(changed)
    refused(inst, copy, f"{copy / 'index.html'}: says")


def test_every_verdict_on_the_audit_page_replaced(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    page = copy / "audit.html"
    html = page.read_text()
    page.write_text(html.replace("unequal", "equal").replace("not enough data", "equal"))
    refused(inst, copy, f"{page}: says")


def test_the_coverage_threshold_is_published_and_a_changed_one_is_refused(site, tmp_path):
    """verify recomputes the audit with the published [audit] min_coverage: a build.json lowered to 0 (which
    would let measures with no shared category bear a verdict) no longer gives the published audits."""
    inst, root = site
    build = json.loads((root / "data" / "build.json").read_text())
    assert build["audit"]["min_coverage"] == 0.5
    published = json.loads((root / "data" / "audit-channel.json").read_text())
    assert published["min_coverage"] == 0.5 and all("coverage" in f for f in published["findings"])
    copy = copy_site(root, tmp_path)
    build["audit"]["min_coverage"] = 0.0
    (copy / "data" / "build.json").write_text(json.dumps(build, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    refused(inst, copy, "audit-channel.json: min_coverage")


def test_a_chart_replaced_by_an_empty_one(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    chart = next((copy / "charts").glob("*.svg"))
    chart.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>')
    refused(inst, copy, f"{chart}: differs")


def outcome_part(copy: Path) -> tuple[Path, dict]:
    index = json.loads((copy / "data" / "outcomes" / "index.json").read_text())
    part = copy / "data" / "outcomes" / index["periods"][0]["parts"][0]
    return part, json.loads(part.read_text())


def test_an_outcomes_row_changed_to_upheld_with_a_refund(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    path, data = outcome_part(copy)
    cols = data["columns"]
    row = data["rows"][0]
    row[cols.index("outcome")] = "upheld" if row[cols.index("outcome")] != "upheld" else "declined"
    row[cols.index("remedy")], row[cols.index("amount")] = "refund", 500.0
    path.write_text(json.dumps(data, separators=(",", ":")))
    refused(inst, copy, f"{path}: case {row[0]}: outcome")


def test_an_outcomes_row_deleted(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    path, data = outcome_part(copy)
    gone = data["rows"].pop(0)
    path.write_text(json.dumps(data, separators=(",", ":")))
    refused(inst, copy, f"{path}: case {gone[0]}: row missing")


def test_an_outcomes_part_written_differently_is_said_so(site, tmp_path):
    """The same rows in other JSON spacing: refused (data files are compared as built), and the line says that
    nothing in them changed, instead of printing both files."""
    inst, root = site
    copy = copy_site(root, tmp_path)
    path, data = outcome_part(copy)
    path.write_text(json.dumps(data, indent=4))
    refused(inst, copy, f"{path}: the same data written differently")


def test_a_case_removed_from_the_case_index_and_a_whole_index_file_deleted(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    path = next(p for p in sorted((copy / "data" / "cases").glob("*.json")) if json.loads(p.read_text()))
    mapping = json.loads(path.read_text())
    case = next(iter(mapping))
    del mapping[case]
    path.write_text(json.dumps(mapping))
    other = next(p for p in sorted((copy / "data" / "cases").glob("*.json")) if p != path)
    other.unlink()
    refused(inst, copy, f"{path}: case {case}: missing", f"{other}: missing")


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(path.open(encoding="utf-8")))


def write_csv(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def rewrite_audits_to_match(inst, copy: Path) -> None:
    """The consistent liar: re-run the audit on the altered outcomes and publish its result."""
    for by in ("visibility", "channel", "audience"):
        target = copy / "data" / f"audit-{by}.json"
        if target.exists():
            target.write_text(inst.run("audit", "--json", "--by", by, "--from-site", copy).stdout)


def test_a_consistent_liar_faster_private_first_responses(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    path = copy / "data" / "outcomes.csv"
    rows = csv_rows(path)
    head = rows[0]
    vis, hours = head.index("visibility"), head.index("first_response_hours")
    for row in rows[1:]:
        if row[vis] == "private" and row[hours]:
            row[hours] = repr(float(row[hours]) / 10)
    write_csv(path, rows)
    rewrite_audits_to_match(inst, copy)
    refused(inst, copy, f"{path}: line")


def test_a_cell_changed_at_the_end_of_a_long_line_is_named_by_its_column(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    path = copy / "data" / "outcomes.csv"
    rows = csv_rows(path)
    last = rows[0][-1]
    before = rows[3][-1]
    rows[3][-1] = before + "x"
    write_csv(path, rows)
    refused(inst, copy, f"{path}: line 4, column {last}: {before + 'x'!r}, the log gives {before!r}")


def test_a_long_line_that_differs_past_its_first_hundred_characters_is_shown_where_it_differs():
    line = "a" * 150 + "b" * 50
    said = describe("page.txt", (line + "\n").encode(), (line.replace("b", "c", 1) + "\n").encode())
    assert said.startswith("page.txt: line 1: '…") and "cb" in said and "bb" in said, said


def test_a_consistent_liar_moving_every_public_case_to_another_category(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    path = copy / "data" / "outcomes.csv"
    rows = csv_rows(path)
    head = rows[0]
    vis, cat = head.index("visibility"), head.index("category")
    for row in rows[1:]:
        if row[vis] == "public":
            row[cat] = "other" if row[cat] != "other" else "billing"
    write_csv(path, rows)
    rewrite_audits_to_match(inst, copy)
    refused(inst, copy, f"{path}: line")


def resigned(inst, copy: Path, entries: list[bytes]) -> None:
    """Publish ``entries`` as the copy's log, signed with the company's own key: a company that rewrites its log."""
    checkpoint = (copy / "ledger" / "checkpoint").read_text().splitlines()
    shutil.rmtree(copy / "ledger")
    store = MemoryHashStore()
    store.write_hashes(Appender().extend(entries))
    export_log(copy / "ledger", entries, len(entries), store, read_signer_key(inst.home / "ledger.key"),
               origin=checkpoint[0])


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def hiding_site(request, tmp_path_factory):
    """A site published among k = 5 (so a seal hides some public response bands), from a history."""
    base = tmp_path_factory.mktemp(f"hiding-{request.param}")
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(fresh_schema()) if request.param == "postgresql" else None  # its own database
        inst = make_instance(base / "home", db_url=url, site={"k": 5, "settle": "0d"})
        stack.callback(inst.close)
        history = base / "history.jsonl"
        history.write_text("".join(json.dumps(r) + "\n" for r in history_lines(700, seed=3)), "utf-8")
        inst.run("ingest", "history", str(history))
        inst.run("build", "--out", str(base / "site"))
        yield inst, base / "site"


def test_a_log_resigned_with_a_seals_hidden_bands_chosen_out_of_order(hiding_site, tmp_path):
    """The company rewrites its log so that a shown first response is hidden instead of one hidden before it in
    public-id order (as it would to hide its fastest public answers), and signs it: the log proves, the hiding
    does not."""
    inst, root = hiding_site
    inst.run("verify", root)  # as built, it verifies
    copy = copy_site(root, tmp_path)
    size = int((copy / "ledger" / "checkpoint").read_text().splitlines()[1])
    entries = [e for _, e in iter_entries(LocalFiles(copy / "ledger"), size)]
    responses = list(derive(enumerate(entries)).first_responses())
    assert all(isinstance(r.seal, int) for r in responses), "the built log marks every seal"
    classes: dict = {}
    for r in sorted(responses, key=lambda r: r.case):
        classes.setdefault(r.group, []).append(r)
    hidden, shown = next((h, s) for members in classes.values()
                         for h in members[:1] if h.band == "hidden"
                         for s in members if s.band not in ("hidden", "late"))
    for r, band in ((hidden, shown.band), (shown, "hidden")):
        entry = json.loads(entries[r.index])
        entry["data"]["after"] = band
        entries[r.index] = build_entry(**{k: v for k, v in entry.items() if k != "v"})
    resigned(inst, copy, entries)
    out = refused(inst, copy, "first response is published hidden while "
                              f"{hidden.case}'s, before it in public-id order, is shown")
    assert out.startswith("ok: "), out  # the rewritten log itself proves: it is what it says that is refused


def test_an_extra_page_and_an_extra_script_are_reported(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    (copy / "press.html").write_text("<html><body><article>We are the fairest.</article></body></html>")
    (copy / "assets" / "javascripts" / "extra.js").write_text("document.body.innerHTML = 'Verified';")
    own = copy / "assets" / "js" / "checkcase.js"
    own.write_text(own.read_text().replace('show("bad", "Does not verify: " + reason);', 'show("ok", "Verified");'))
    out = refused(inst, copy, f"{copy / 'press.html'}: not derived from the log",
                  f"{copy / 'assets' / 'javascripts' / 'extra.js'}: not derived from the log",
                  f"{own}: differs")
    report = json.loads(inst.run("verify", copy, "--json", expect=1).stdout)
    assert report["ok"] is False and len(report["differences"]) == out.count("differs: ")


VERDICT = '<p class="ol-verdict" id="verdict">'
# what a company could do to a page without changing a word of its article: each is seen by a reader of the page
HIDDEN_TAMPERINGS = {
    "a script in the head that rewrites the article when the page loads":
        ("</head>", '<script>addEventListener("DOMContentLoaded", () => { const a = document.querySelector("article");'
                    ' a.innerHTML = a.innerHTML.replaceAll("unequal", "equal"); });</script></head>'),
    "a script inside the article": (VERDICT, "<script>document.currentScript.nextSibling.remove()</script>" + VERDICT),
    "a style in the head that hides the verdict": ("</head>", "<style>#verdict { display: none }</style></head>"),
    "the verdict hidden": (VERDICT, VERDICT.replace(">", " hidden>")),
    "the verdict written white on white": (VERDICT, VERDICT.replace(">", ' style="color: #fff">')),
    "the verdict given a class that hides it": (VERDICT, VERDICT.replace("ol-verdict", "ol-verdict md-hidden")),
    "a sheet laid over the page after its article":
        ("</body>", '<div style="position: fixed; inset: 0; background: #fff">Every complaint is treated alike.</div>'
                    "</body>"),
    "a refresh to another site": ("<head>", '<head><meta http-equiv="refresh" content="0; url=https://example.com/">'),
    "the Content-Security-Policy opened to inline scripts":
        ("default-src 'self'", "default-src 'self' 'unsafe-inline'"),
}


@pytest.mark.parametrize("tampering", sorted(HIDDEN_TAMPERINGS))
def test_a_page_changed_without_changing_its_words_is_refused(site, tmp_path, tampering):
    """The words of Home's article stay; what a reader sees or what runs does not: every page is compared whole."""
    inst, root = site
    copy = copy_site(root, tmp_path)
    page = copy / "index.html"
    html = page.read_text()
    old, new = HIDDEN_TAMPERINGS[tampering]
    assert old in html, old
    page.write_text(html.replace(old, new, 1))
    out = refused(inst, copy, f"{page}: says")
    assert len([line for line in out.splitlines() if line.startswith("differs: ")]) == 1, out


def minified(html: str) -> str:
    """What an HTML minifier does to a page: comments dropped, whitespace between tags and runs of it collapsed
    (not inside ``pre``), attributes reordered, quotes dropped where they may be, default script types dropped."""
    parts = re.split(r"(<pre\b.*?</pre>)", re.sub(r"<!--.*?-->", "", html, flags=re.S), flags=re.S)
    html = "".join(part if part.startswith("<pre") else re.sub(r"\s+", " ", re.sub(r">\s+<", "><", part))
                   for part in parts)
    html = html.replace('<script type="text/javascript"', "<script")

    def reorder(match: re.Match) -> str:
        attrs = re.findall(r'\s([\w:-]+)(?:="([^"]*)")?', match.group(2))
        if len(attrs) != len(re.findall(r"\s[\w:-]+(?:=\"[^\"]*\")?", match.group(2))):
            return match.group(0)
        written = [f"{name}={value}" if value and re.fullmatch(r"[\w./#-]+", value) else
                   (f'{name}="{value}"' if value else name) for name, value in reversed(attrs)]
        return "<" + match.group(1) + "".join(" " + w for w in written) + match.group(3) + ">"

    return re.sub(r"<([a-z][a-z0-9]*)((?:\s[\w:-]+(?:=\"[^\"<>]*\")?)+)(\s?/?)>", reorder, html)


def test_what_an_html_minifier_changes_still_verifies(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    for page in copy.glob("*.html"):
        text = page.read_text()
        page.write_text(minified(text))
        assert page.read_text() != text
    out = inst.run("verify", copy).stdout
    assert "the site says what its log says" in out, out


def test_with_other_renderer_versions_the_articles_are_compared_and_the_rest_is_listed(site, tmp_path, monkeypatch):
    """A verifier with another Material than the site's compares each article by its words, links and what in it
    runs or hides, and lists the rest of the pages as not checked (never passed)."""
    from importlib import metadata

    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "0.0.1" if name == "mkdocs-material" else real(name))
    inst, root = site
    report = json.loads(inst.run("verify", root, "--json").stdout)
    assert report["ok"] is True, report
    said = [line for line in report["not_checked"] if "pages outside their article" in line]
    assert len(said) == 1 and "(you have 0.0.1)" in said[0] and "pip install 'mkdocs-material==" in said[0]
    assert "strict: 2 part(s)" in inst.run("verify", root, "--strict", expect=1).stderr  # the frames, the summaries
    for tampering in ("the verdict hidden", "a script inside the article", "the verdict written white on white"):
        copy = copy_site(root, tmp_path / tampering.replace(" ", "-"))
        page = copy / "index.html"
        old, new = HIDDEN_TAMPERINGS[tampering]
        page.write_text(page.read_text().replace(old, new, 1))
        refused(inst, copy, f"{page}: says")


def summaries_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("not checked: data/summaries/"))


def test_a_hostile_site_gets_one_line_from_the_verifier_not_a_crash(site, tmp_path):
    """The site is the company's word: JSON nested deeper than the parser goes, and parts of the Outcomes index
    that name files outside the site, are said in one line; nothing outside the site is read."""
    inst, root = site
    deep = "[" * 100_000 + "]" * 100_000
    copy = copy_site(root, tmp_path / "build")
    (copy / "data" / "build.json").write_text(deep)
    result = inst.run("verify", copy, expect=1)
    assert f"{copy / 'data' / 'build.json'}: not a build configuration: nested too deeply" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output

    copy = copy_site(root, tmp_path / "cases")
    case_file = next((copy / "data" / "cases").glob("*.json"))
    case_file.write_text(deep)
    refused(inst, copy, f"{case_file}: not JSON")

    before = summaries_line(inst.run("verify", root).stdout)
    copy = copy_site(root, tmp_path / "index")
    (tmp_path / "index" / "stolen.json").write_text(json.dumps({"C-AAAA-BBBB-CCCC-DDDD": "read from outside"}))
    index_file = copy / "data" / "outcomes" / "index.json"
    index = json.loads(index_file.read_text())
    index["periods"][0]["parts"] += ["../../../stolen.json", "file:///etc/passwd", "x/../../../stolen.json"]
    index_file.write_text(json.dumps(index))
    out = refused(inst, copy, f"{index_file}: ")
    assert summaries_line(out) == before and "Traceback" not in out


def test_strict_refuses_a_site_with_parts_not_checked_and_passes_one_checked_whole(site, tmp_path):
    """--strict is for auditors who fail closed: a site whose every file was derived and compared passes; one
    with anything listed as not checked (here the redacted summaries, free text off the log) exits 1."""
    inst, root = site
    result = inst.run("verify", root, "--strict", expect=1)
    assert "not checked: data/summaries/" in result.stdout
    assert "strict: 1 part(s) of the site not checked" in result.stderr and "Traceback" not in result.output
    plain = make_site_instance(tmp_path / "home", cases=120, summaries=False)
    try:
        plain.run("build", "--out", str(tmp_path / "site"))
        out = plain.run("verify", tmp_path / "site", "--strict").stdout
        assert "not checked" not in out and "the site says what its log says" in out
    finally:
        plain.close()


def test_a_missing_build_configuration_or_checkpoint_is_one_clear_line(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    (copy / "ledger" / "checkpoint").unlink()
    line = inst.run("verify", copy, expect=1).stderr.strip()
    assert line == f"Error: {copy / 'ledger' / 'checkpoint'}: file is missing"
    shutil.rmtree(copy)
    copy = copy_site(root, tmp_path)
    (copy / "data" / "build.json").unlink()
    refused(inst, copy, "data/build.json: missing: the site publishes no build configuration")
    empty = tmp_path / "empty"
    empty.mkdir()
    line = inst.run("verify", empty, expect=1).stderr.strip()
    assert line == f"Error: {empty}: no published log here (no checkpoint, nor ledger/checkpoint)"


def test_verify_a_site_over_http_and_a_tampered_one(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    for folder, ok in ((root, True), (copy, False)):
        if not ok:
            path, data = outcome_part(copy)
            data["rows"].pop()
            path.write_text(json.dumps(data))
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
        handler.log_message = lambda *a: None
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/"
            result = inst.run("verify", url, expect=0 if ok else 1)
            assert ("the site says what its log says" in result.stdout) is ok
            if not ok:
                assert f"{url}data/outcomes/" in result.stdout and "row missing" in result.stdout
            assert inst.run("audit", "--from-site", url, "--json").exit_code == 0
        finally:
            server.shutdown()


def test_two_builds_at_the_same_log_size_give_the_same_files(site, tmp_path):
    """Rebuilds are reproducible: every data file, page and chart byte for byte."""
    inst, root = site
    again = tmp_path / "again"
    inst.run("build", "--out", again)
    mine = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    theirs = {p.relative_to(again).as_posix(): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    different = sorted(k for k in set(mine) | set(theirs) if mine.get(k) != theirs.get(k)
                       and not k.startswith("ledger/"))
    assert different == []


def test_no_raw_identifier_from_the_database_is_anywhere_in_the_site(site):
    """Every author, every e-mail address and phone number inside any message, every
    external id and the instance's secrets: none appears in any file of the site."""
    import sqlalchemy as sa

    from openledger.privacy.leaks import find_leaks

    inst, root = site
    identifiers: dict[str, set[str]] = {"author": set(), "email": set(), "phone": set(), "external id": set()}
    with inst.engine.connect() as conn:
        for author, text, external in conn.execute(
            sa.text("select author, text, external_id from messages where direction = 'in'")
        ):
            if author and len(author) >= 6:
                identifiers["author"].add(author)
            identifiers["email"].update(re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text or ""))
            identifiers["phone"].update(re.findall(r"\+?\d[\d ()-]{8,}\d", text or ""))
            if len(external) >= 8:
                identifiers["external id"].add(external)
    identifiers["secret"] = {(inst.home / "secret.key").read_text().strip()}
    identifiers["signing key"] = {(inst.home / "ledger.key").read_text().strip().split("+")[-1]}
    assert identifiers["author"] and identifiers["email"] and identifiers["external id"]
    assert find_leaks(root, {k: sorted(v) for k, v in identifiers.items()}) == []


def test_publication_fields_in_the_config_reach_the_site_allowlist(tmp_path):
    """[publication.fields] is read by the build: a field with an unknown type stops it, in one line."""
    inst = make_site_instance(tmp_path / "home", cases=40, summaries=False)
    config = inst.home / "openledger.toml"
    config.write_text(config.read_text() + '\n[publication.fields.outcomes]\nloyalty_tier = "blob"\n')
    result = inst.run("build", "--out", tmp_path / "site", expect=1)
    line = result.stderr.strip()
    assert "\n" not in line and "publication.fields.outcomes.loyalty_tier" in line and "unknown type" in line
    config.write_text(config.read_text().replace('"blob"', '"str?"'))
    inst.run("build", "--out", tmp_path / "site")
    inst.close()


def test_two_processes_find_what_one_finds(site, tmp_path):
    """`verify --jobs 2` makes and compares outcomes.csv, the Outcomes rows and the case index in a forked
    second process: the untouched site verifies, and a site tampered in many files at once gives the same lines
    and the same JSON as `--jobs 1`, in the same order."""
    inst, root = site
    for jobs in ("1", "2"):
        assert "the site says what its log says" in inst.run("verify", root, "--jobs", jobs).stdout
    copy = copy_site(root, tmp_path)
    csv_path = copy / "data" / "outcomes.csv"
    rows = csv_rows(csv_path)
    rows[1][rows[0].index("outcome")] = "upheld" if rows[1][rows[0].index("outcome")] != "upheld" else "declined"
    write_csv(csv_path, rows)
    part, data = outcome_part(copy)
    gone = data["rows"].pop(0)
    part.write_text(json.dumps(data, separators=(",", ":")))
    index_files = sorted((copy / "data" / "cases").glob("*.json"))
    index_files[0].unlink()
    (copy / "data" / "outcomes" / "index.json").write_text("{}")
    page = copy / "audit.html"
    page.write_text(page.read_text().replace("unequal", "equal"))
    (copy / "press.html").write_text("<html><body><article>We are the fairest.</article></body></html>")
    one = inst.run("verify", copy, "--jobs", "1", expect=1).stdout
    two = inst.run("verify", copy, "--jobs", "2", expect=1).stdout
    assert one == two
    for piece in (f"{csv_path}: line", f"{part}: case {gone[0]}: row missing", f"{index_files[0]}: missing",
                  f"{copy / 'data' / 'outcomes' / 'index.json'}: ", f"{page}: says", "press.html: not derived"):
        assert piece in two, (piece, two)
    assert json.loads(inst.run("verify", copy, "--json", "--jobs", "1", expect=1).stdout) == \
        json.loads(inst.run("verify", copy, "--json", "--jobs", "2", expect=1).stdout)


def test_a_tampered_log_fails_first_with_two_processes(site, tmp_path):
    """With the site's check shared by two processes, an entry changed in the log still fails the verification
    in one line naming the log's file, before anything derived from the entries is said."""
    inst, root = site
    copy = copy_site(root, tmp_path)
    bundle, data = first_entry_changed(copy)
    result = inst.run("verify", copy, "--jobs", "2", expect=1)
    assert "is not the leaf hash of entry" in result.stderr and "tile/0/000" in result.stderr
    assert "differs:" not in result.stdout and "the site says" not in result.stdout
    assert inst.run("verify", copy, "--jobs", "1", expect=1).output == result.output  # the same one line
    bundle.write_bytes(data[:-7])  # a bundle cut short, then a missing one: the same lines too
    cut = inst.run("verify", copy, "--jobs", "2", expect=1)
    assert str(bundle) in cut.stderr and inst.run("verify", copy, "--jobs", "1", expect=1).output == cut.output
    bundle.unlink()
    gone = inst.run("verify", copy, "--jobs", "2", expect=1)
    assert f"{bundle}: file is missing" in gone.stderr
    assert inst.run("verify", copy, "--jobs", "1", expect=1).output == gone.output


def test_a_log_whose_proof_failed_stops_the_sites_check_at_its_next_stage(site, tmp_path):
    """The log's proof runs beside the site's check; once it has failed, the site's check stops at its next
    stage (no pages are built, no files compared) and the log's error is raised at once, not after the whole
    site was checked (at a million cases, tens of seconds)."""
    import multiprocessing

    from openledger.errors import OpenLedgerError
    from openledger.ledger.published import LocalFiles
    from openledger.site.check import check_site_and_log

    _, root = site
    copy = copy_site(root, tmp_path)
    first_entry_changed(copy)
    stages: list[str] = []

    def told(stage: str, done: int, total: int | None) -> None:
        if not stages:  # the first time: let the proof in the other process end first, as a slow site check would
            for _ in range(600):
                if not multiprocessing.active_children():
                    break
                time.sleep(0.05)
        stages.append(stage)

    with pytest.raises(OpenLedgerError, match="is not the leaf hash of entry"):
        check_site_and_log(LocalFiles(copy), LocalFiles(copy / "ledger"), jobs=2, progress=told)
    assert stages and "pages built" not in stages and "files compared" not in stages, stages


def test_the_case_index_is_checked_here_when_the_process_proving_the_log_could_not(site, tmp_path):
    """With two processes the case index is made and compared by the process proving the log; where it
    cannot (it answers None: a site it could not read, say), the site's check makes the index itself from
    what it derived, so a tampered index is never passed."""
    from openledger.ledger.tiles import HeldEntries
    from openledger.ledger.verify import verify_log
    from openledger.site.check import check_site

    _, root = site
    copy = copy_site(root, tmp_path)
    path = next(p for p in sorted((copy / "data" / "cases").glob("*.json")) if json.loads(p.read_text()))
    mapping = json.loads(path.read_text())
    case = next(iter(mapping))
    mapping[case] = [0]
    path.write_text(json.dumps(mapping, separators=(",", ":")))
    held = HeldEntries()
    verify_log(copy / "ledger", entries=held)
    log = LocalFiles(copy / "ledger")
    args = (LocalFiles(copy), held, log.read("checkpoint").decode(), log.read("verifier.key").decode().strip())
    asked: list[bool] = []
    here = check_site(*args, case_index=lambda: asked.append(True))  # answers None
    assert asked == [True]
    said = [line for line in here.differences if str(path) in line]
    assert said and f"case {case}: entries [0], the log has" in said[0]
    assert here.as_json() == check_site(*args, jobs=1).as_json()  # as the check alone finds it
