"""The public accountability site: ``openledger build`` and ``openledger serve``.

:func:`build_site` turns :class:`SiteInputs` into a static MkDocs Material
site with the log as tlog-tiles under ``ledger/`` and the published data
under ``data/``; :mod:`openledger.site.gather` gathers the inputs from an
instance. See ``docs/site.md``.
"""

from openledger.site.build import BuildReport, build_site
from openledger.site.context import SiteContext, SiteInputs

__all__ = ["BuildReport", "SiteContext", "SiteInputs", "build_site"]
