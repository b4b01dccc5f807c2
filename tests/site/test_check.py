"""`openledger verify SITE` re-derives the published audit and outcomes from the site alone."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import shutil
import threading

import pytest
from site_fixtures import built_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return built_site(tmp_path_factory)


def copy_site(root, tmp_path):
    target = tmp_path / "copy"
    shutil.copytree(root, target)
    return target


def test_verify_reproduces_the_audit_and_matches_outcomes_to_the_log(site):
    inst, root = site
    lines = inst.run("verify", root).stdout.splitlines()
    assert lines[0].startswith("ok: ") and "entries" in lines[0]
    assert lines[1].startswith("ok: the audit by visibility, channel, audience reproduced from data/outcomes.csv")
    rows = sum(1 for _ in csv.DictReader((root / "data" / "outcomes.csv").open()))
    assert lines[1].endswith(f"its {rows:,} cases match the log")


def test_a_changed_outcome_is_caught(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    path = copy / "data" / "outcomes.csv"
    rows = list(csv.reader(path.open()))
    header = rows[0]
    remedy, resolved = header.index("remedy"), header.index("resolved")
    row = next(r for r in rows[1:] if r[resolved] == "true" and r[remedy] in ("none", "apology"))
    row[remedy] = "refund"  # quietly promote one case's remedy
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue())
    result = inst.run("verify", copy, expect=1)
    line = result.stderr.strip()
    assert "\n" not in line and str(copy / "data") in line
    assert "differs" in line or "do not match the log" in line


def test_a_changed_audit_number_is_caught(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    path = copy / "data" / "audit-visibility.json"
    data = json.loads(path.read_text())
    data["findings"][0]["ratio"] = 1.0 if data["findings"][0]["ratio"] != 1.0 else 0.5
    path.write_text(json.dumps(data, indent=2))
    result = inst.run("verify", copy, expect=1)
    message = "audit-visibility.json: the audit recomputed from data/outcomes.csv differs: findings[0].ratio"
    assert message in result.stderr


def test_verify_a_site_over_http(site):
    inst, root = site
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        lines = inst.run("verify", url).stdout.splitlines()
        assert lines[0].startswith("ok: ") and "cases match the log" in lines[1]
    finally:
        server.shutdown()


def test_no_raw_identifier_from_the_database_is_anywhere_in_the_site(site):
    """Every author, every e-mail address and phone number inside any message, every
    external id and the instance's secrets: none appears in any file of the site."""
    import re

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
    from site_fixtures import make_site_instance

    inst = make_site_instance(tmp_path / "home", cases=40, summaries=False)
    config = inst.home / "openledger.toml"
    config.write_text(config.read_text() + '\n[publication.fields.outcomes]\nloyalty_tier = "blob"\n')
    result = inst.run("build", "--out", tmp_path / "site", expect=1)
    line = result.stderr.strip()
    assert "\n" not in line and "publication.fields.outcomes.loyalty_tier" in line and "unknown type" in line
    config.write_text(config.read_text().replace('"blob"', '"str?"'))
    inst.run("build", "--out", tmp_path / "site")
    inst.close()


def test_a_site_without_its_checkpoint_or_its_outcomes_fails_with_one_clear_line(site, tmp_path):
    inst, root = site
    copy = copy_site(root, tmp_path)
    (copy / "ledger" / "checkpoint").unlink()
    line = inst.run("verify", copy, expect=1).stderr.strip()
    assert line == f"Error: {copy / 'ledger' / 'checkpoint'}: file is missing"
    empty = tmp_path / "empty"
    empty.mkdir()
    line = inst.run("verify", empty, expect=1).stderr.strip()
    assert line == f"Error: {empty}: no published log here (no checkpoint, nor ledger/checkpoint)"
    shutil.rmtree(copy)
    copy = copy_site(root, tmp_path)
    (copy / "data" / "outcomes.csv").unlink()  # the audits are published, what they were computed from is not
    line = inst.run("verify", copy, expect=1).stderr.strip()
    assert "\n" not in line and str(copy / "data" / "outcomes.csv") in line
    assert "the site publishes audit-visibility.json" in line
