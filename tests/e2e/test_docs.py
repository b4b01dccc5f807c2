"""The documentation builds with --strict, and documents every hook."""

from __future__ import annotations

import inspect
import subprocess
import sys

from paths import ROOT

from openledger import hookspecs


def test_every_hook_has_a_docstring_with_its_parameters():
    specs = [f for _, f in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(f, "openledger_spec")]
    assert {f.__name__ for f in specs} >= {
        "register_sources", "register_classifiers", "register_responders", "register_redactors",
        "register_audit_metrics", "register_site_pages", "case_opened", "case_resolved", "site_built",
        "register_pollers",
    }
    for fn in specs:
        doc = inspect.getdoc(fn) or ""
        for param in inspect.signature(fn).parameters:
            assert f":param {param}:" in doc, (fn.__name__, param)


def test_the_committed_hook_reference_is_current():
    """docs/reference/hooks.md is what docs/hooks/hookref.py writes from hookspecs.py and records.py today."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("hookref", ROOT / "docs" / "hooks" / "hookref.py")
    assert spec is not None and spec.loader is not None
    hookref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hookref)
    committed = (ROOT / "docs" / "reference" / "hooks.md").read_text("utf-8")
    assert committed == hookref.render(), "run: python docs/hooks/hookref.py"
    for name in ("CaseView", "MessageView", "ClassifyInput", "BlindCaseView", "Identity forms", "firstresult",
                 "`u/jo`"):
        assert name in committed


def test_docs_build_strict_with_generated_hook_reference(tmp_path):
    out = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    page = (out / "reference" / "hooks" / "index.html").read_text()
    for name in ("register_sources", "case_resolved", "site_built"):
        assert name in page


def test_the_sources_table_names_every_built_in_source_as_ingest_takes_it():
    """'openledger ingest NAME': the table in sources.md must use the names the CLI accepts."""
    import re

    from openledger import plugins

    text = (ROOT / "docs" / "sources.md").read_text()
    table = text.split("| source | reads |", 1)[1].split("\n\n", 1)[0]
    named = set(re.findall(r"^\| `([a-z]+)`(?:, `([a-z]+)`)?", table, re.M))
    documented = {n for pair in named for n in pair if n}
    builtin = {name for name, src in plugins.sources({}).items()
               if plugins.is_builtin(plugins.owner_of(src))}
    assert builtin <= documented, builtin - documented
    assert documented <= set(plugins.sources({})) | {"mastodon"}, documented - set(plugins.sources({}))
