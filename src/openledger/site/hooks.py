"""The site's calls into plugins: the pages they register and the ``site_built`` hook.

Used by the build (:mod:`.gather`) and by ``verify`` (:mod:`.check`), which
renders the same pages to compare them with the published ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openledger import plugins
from openledger.errors import PluginError
from openledger.site.context import SiteContext


@dataclass(frozen=True)
class PluginPage:
    """A plugin's page as the build uses it: a failing ``render`` names the page and the plugin."""

    page: Any
    plugin: str

    @property
    def path(self) -> str:
        return str(self.page.path)

    @property
    def title(self) -> str:
        return str(self.page.title)

    def render(self, context: SiteContext) -> str:
        where = f"{plugins.describe(self.plugin)}: site page {self.path!r}"
        try:
            text = self.page.render(context)
        except Exception as exc:  # a plugin's bug: one line naming it, and no site
            raise PluginError(f"{where} failed to render: {type(exc).__name__}: {exc} (the site was not built; "
                              "the previous one is untouched)", plugin=self.plugin, subject=self.path) from exc
        if not isinstance(text, str):
            raise PluginError(f"{where}: render returned {type(text).__name__}, not Markdown text (the site was "
                              "not built; the previous one is untouched)", plugin=self.plugin, subject=self.path)
        return text


def plugin_pages(context: SiteContext) -> list[PluginPage]:
    """Pages registered through ``register_site_pages``, in hook order, each knowing its plugin."""
    return [PluginPage(page, plugins.owner_of(page)) for page in plugins.site_pages(context)]


def site_built(site_dir: Path, context: SiteContext) -> None:
    """Call the ``site_built`` hook of each plugin; one that raises is one line naming it."""
    for plugin, caller in plugins.callers("site_built"):
        try:
            caller(site_dir=site_dir, context=context)
        except Exception as exc:  # noqa: BLE001 (a plugin's bug, reported in one line naming it)
            raise PluginError(f"{plugins.describe(plugin)}: site_built failed: {type(exc).__name__}: {exc} "
                              f"(the site is built in {site_dir}; the plugins after this one were not called)",
                              plugin=plugin) from exc
