"""Witnesses: the C2SP tlog-witness protocol, a witness server, and a log's client.

* :mod:`~openledger.witness.protocol`: the ``add-checkpoint`` request and
  response bodies, byte for byte as c2sp.org/tlog-witness writes them;
* :mod:`~openledger.witness.state`: a witness's database (SQLite or
  PostgreSQL): per log origin, the latest checkpoint it cosigned, updated by
  compare-and-swap and committed before a cosignature leaves the process;
* :mod:`~openledger.witness.server`: ``openledger witness serve`` (Starlette,
  run by uvicorn);
* :mod:`~openledger.witness.client`: asking witnesses over HTTP;
* :mod:`~openledger.witness.publish`: what an instance does when it publishes
  a checkpoint: ask its configured witnesses, apply the policy.

The cosignature format and policies are pure functions of the ledger library
(:mod:`openledger.ledger.cosignature`, :mod:`openledger.ledger.policy`).
"""
