"""Privacy: what may leave the instance, and in what form.

- :mod:`.secret`: the instance secret and the keyed public case ids;
- :mod:`.identity`: customers' contact points, normalised and stored only as keyed hashes;
- :mod:`.projection`: the public projection of an event (what a ledger entry may say);
- :mod:`.coarsening`, :mod:`.suppression`: coarse times and small-cell suppression;
- :mod:`.allowlist`: the fields the site may publish;
- :mod:`.redaction`: the engine that applies the redactor plugins to free text;
- :mod:`.leaks`: the last scan of a built site for raw identifiers and secrets.

Pure functions over values: it imports only the foundation modules
(``errors``, ``records``, ``jsonlines``) and never the database, the plugins,
``intake``, ``cases``, ``site`` or the command line.
"""
