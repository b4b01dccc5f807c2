"""Intake: everything between a source plugin and the database.

- :mod:`.ingest`: the engine (validation, de-duplication, threading replies into
  cases, one transaction per file);
- :mod:`.contract`: the one record contract, used by the engine and by plugin tests;
- :mod:`.history`: whole historical cases (history and CFPB imports);
- :mod:`.linking`: one customer across channels, by keyed identities;
- :mod:`.watchlist`: which public posts mention what the company watches;
- :mod:`.quarantine`: the report of a file and the records ``--skip-bad`` set aside;
- :mod:`.sourcekit`: helpers for writing sources (CSV, JSON, HTML, generic fields).

It imports ``store``, ``privacy``, ``cases.events`` and the plugin manager;
never ``site``, ``demo``, ``cli`` or a built-in plugin (sources are reached
through the ``register_sources`` hook).
"""
