"""Plugin pages and the site's Content-Security-Policy in Chromium: no payload runs (issue 22, item 4).

A plugin registers a page carrying the three sanitizer bypasses of the last
security test (a reference-style link to ``javascript:``, ``attr_list``
adding ``onclick``, ``attr_list`` replacing ``href``) and spellings of them;
the site is built through the CLI, served on 127.0.0.1 and every link of the
page is clicked and hovered. Separately, script written into a built page
after the build (as a compromised host or a careless template would) is
refused by the policy, while the theme's own inline scripts still run.
"""

from __future__ import annotations

import re
import shutil

import pytest
from browser_fixtures import clean_page
from pluggy import HookimplMarker
from site_fixtures import make_site_instance
from witness_fixtures import StaticServer

from openledger.testing import plugin_manager

pytestmark = pytest.mark.browser
hookimpl = HookimplMarker("openledger")

PRESS_PAGE = """# Press

[Reference link][more] and [another][angle] and [a third][mixed].

[Inline link with onclick](policy.md){: onclick="window.__pwned = 'onclick'" }

[Inline link with its href replaced](policy.md){: href="javascript:window.__pwned='href'" }

A paragraph that reacts to the pointer.
{: onmouseover="window.__pwned = 'mouseover'" }

<a href="javascript:window.__pwned = 'raw'">raw HTML link</a>

[more]: javascript:window.__pwned='reference'
[angle]: <javascript:window.__pwned='angle'>
[mixed]: JaVaScRiPt:window.__pwned='mixed'
"""


class PressPlugin:
    @hookimpl
    def register_site_pages(self, register, context):
        class Page:
            path = "press.md"
            title = "Press"

            @staticmethod
            def render(ctx):
                return PRESS_PAGE

        register(Page())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("plugin-page-site")
    inst = make_site_instance(base / "home", cases=120, summaries=False)
    with plugin_manager(only=[PressPlugin()]):
        inst.run("build", "--out", str(base / "site"))
    inst.close()
    server = StaticServer(base / "site")
    yield base / "site", server.url
    server.close()


def test_the_plugin_page_payloads_execute_nothing(site, browser):
    root, url = site
    assert (root / "press.html").is_file()
    with clean_page(browser) as page:  # no console error: nothing was even blocked by the policy
        page.goto(url + "press.html")
        article = page.locator("article")
        assert "Reference link" in article.inner_text()
        links = article.locator("a:not(.headerlink)")
        assert links.count() >= 5  # three by reference, two with attributes
        for i in range(links.count()):
            links.nth(i).hover()
            links.nth(i).click()
            page.goto(url + "press.html")
        page.locator("article p", has_text="reacts to the pointer").hover()
        assert page.evaluate("typeof window.__pwned") == "undefined"
        hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
        assert not any(h.strip().lower().startswith("javascript") for h in hrefs), hrefs
        assert page.locator("article [onclick], article [onmouseover]").count() == 0


def test_the_policy_forbids_inline_script_but_runs_the_themes_own(site, browser, tmp_path):
    root, _ = site
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', (root / "index.html").read_text())
    script_src = next(part for part in csp.group(1).split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'sha256-" in script_src
    # a copy of the site with script written into its Home page after the build
    copy = tmp_path / "site"
    shutil.copytree(root, copy)
    home = copy / "index.html"
    home.write_text(home.read_text().replace(
        "</article>",
        "<script>window.__pwned = 'inline'</script><img src=\"x.png\" onerror=\"window.__pwned = 'onerror'\">"
        "</article>", 1))
    server = StaticServer(copy)
    context = browser.new_context()
    try:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        page.goto(server.url + "index.html")
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert any("Content Security Policy" in line for line in console), console
        # the theme's inline scripts carry their hashes and ran: they define __md_get and __md_scope
        assert page.evaluate("typeof __md_get") == "function"
    finally:
        context.close()
        server.close()
