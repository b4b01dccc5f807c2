"""The public accountability site: ``openledger build`` and ``openledger serve``.

:func:`openledger.site.build.build_site` turns
:class:`~openledger.site.context.SiteInputs` into a static MkDocs Material
site with the log as tlog-tiles under ``ledger/`` and the published data
under ``data/``; :mod:`openledger.site.gather` gathers the inputs from an
instance and builds its site; :mod:`openledger.site.check` re-derives a
published site's numbers for ``openledger verify``. See ``docs/site.md``.

It imports the pure cores, ``store``, ``privacy``, ``cases`` (the response
hierarchy), the plugin manager and :mod:`openledger.instance`; never
``intake``, ``demo``, ``cli`` or a built-in plugin (pages come through the
``register_site_pages`` hook).
"""
