"""Take the screenshots of the public site shown in docs/site.md.

    PYTHONPATH=src python scripts/site_screenshots.py [--out docs/images] [--cases 2500] [--site DIR]

Builds a realistic instance through the real CLI (the example messages plus a
generated history, processed) and its site, or takes an already built site
(``--site demo/site`` after ``make demo``), serves it on 127.0.0.1 and
photographs the home, audit and case-check pages with Debian's Chromium
driven by Playwright (no browser download).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "lib"))
# imported after the sys.path line above, which makes tests/lib importable
from site_fixtures import make_site_instance  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--cases", type=int, default=2500)
    parser.add_argument("--site", type=Path, help="An already built site to photograph.")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            inst = make_site_instance(Path(tmp) / "home", cases=args.cases)
            inst.run("build", "--out", str(Path(tmp) / "site"))
            site = Path(tmp) / "site"
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        case = next(c for p in sorted((site / "data" / "cases").glob("*.json"))
                    for c, idx in json.loads(p.read_text()).items() if len(idx) >= 3)
        args.out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + "index.html")
            page.screenshot(path=str(args.out / "site-home.png"))
            page.set_viewport_size({"width": 1280, "height": 1250})
            page.goto(base + "audit.html")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(args.out / "site-audit.png"))
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(base + "check.html")
            page.fill("#ol-case-id", case)
            page.click("#ol-check-button")
            page.wait_for_selector("#ol-check-status.ok")
            page.screenshot(path=str(args.out / "site-check.png"), full_page=True)
            browser.close()
        server.shutdown()
    print(f"wrote site-home.png, site-audit.png and site-check.png to {args.out}")


if __name__ == "__main__":
    main()
