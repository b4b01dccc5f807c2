"""Debian's Chromium through Playwright, for tests of the built site (no browser is downloaded).

``launch()`` starts /usr/bin/chromium (skipping, or failing under CI=true,
when it or Playwright is missing); ``clean_page(browser)`` opens a page whose
requests may only go to 127.0.0.1 and whose console must stay clean, and
checks both when it closes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _problem() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright; no browser download needed)"
    return None


@contextlib.contextmanager
def launch() -> Iterator:
    problem = _problem()
    if problem:
        if IN_CI:
            pytest.fail(problem + " (CI=true: browser tests must run)")
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def clean_page(browser) -> Iterator:
    context = browser.new_context()
    outside: list[str] = []
    problems: list[str] = []

    def route(r):
        if r.request.url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        yield page
    finally:
        context.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert problems == [], f"console problems: {problems}"
