"""Monitors: advocates who keep every checkpoint a company published, and raise a fork.

* :mod:`~openledger.monitor.db`: the monitor's database (SQLite or PostgreSQL):
  every checkpoint seen, where from, whether it is proven consistent; the
  pinned log keys; the published audit verdicts per checkpoint; the alarms;
* :mod:`~openledger.monitor.watch`: one check of one site: verify its log,
  exchange checkpoints with peers (other monitors, witnesses), prove every
  checkpoint seen consistent with the log the site shows, record the
  verdicts, and raise an alarm with both signed checkpoints as evidence;
* :mod:`~openledger.monitor.server`: ``openledger monitor serve``, the
  checkpoints this monitor has seen, for its peers (the same
  ``GET /<origin hash>/checkpoint`` as a witness's monitoring API).
"""
