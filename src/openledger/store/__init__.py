"""The database: engine and migrations (:mod:`.database`), tables (:mod:`.models`),
set-based bulk writes (:mod:`.bulk`), the ledger's database side (:mod:`.ledger`:
appending events as log entries under one lock, stored subtree hashes,
checkpoints, receipts) and the published outcomes table read in one query
(:mod:`.outcomes`). Schema changes are Alembic migrations in ``migrations/``.

It may import the pure cores (``openledger.ledger``, ``openledger.audit``'s
constants, ``openledger.privacy``) and the foundation modules; never
``intake``, ``cases``, ``site``, ``demo``, ``cli`` or a plugin.
"""
