"""The tamper-evident ledger: a pure library, independent of the database.

Modules:

* :mod:`~openledger.ledger.merkle`: RFC 6962/9162 hashing, the incremental
  :class:`~openledger.ledger.merkle.Appender`, O(log n) proofs and their verification;
* :mod:`~openledger.ledger.note`: C2SP signed notes with Ed25519 keys;
* :mod:`~openledger.ledger.checkpoint`: C2SP tlog-checkpoint;
* :mod:`~openledger.ledger.tiles`, :mod:`~openledger.ledger.export`,
  :mod:`~openledger.ledger.published`: C2SP tlog-tiles paths, export and reading;
* :mod:`~openledger.ledger.verify`, :mod:`~openledger.ledger.receipt`: auditors'
  and customers' checks from published files only;
* :mod:`~openledger.ledger.canonical`, :mod:`~openledger.ledger.entry`: entry bytes
  and the commitment to private details.

The format is specified in docs/ledger-format.md.
"""
