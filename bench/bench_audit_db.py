"""Benchmark: `openledger audit` of N cases stored in SQLite, end to end.

The outcomes table is read from the database with one set-based query
(openledger.store.outcomes.table_from_db) and audited by visibility. The peer
measured in the same run is a plain sqlite3 SELECT of the same columns of the
same rows into Python (the least any reader of that table does). Target: the
whole audit of 1,000,000 cases in under 10 s.

    PYTHONPATH=src python bench/bench_audit_db.py [--n 1000000] [--quick] [--json]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "lib"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from audit_sim import simulate  # noqa: E402

from openledger.audit import run_audit  # noqa: E402
from openledger.store.bulk import insert_rows  # noqa: E402
from openledger.store.database import Store  # noqa: E402
from openledger.store.models import cases_table  # noqa: E402
from openledger.store.outcomes import table_from_db  # noqa: E402
from protocol import Figures  # noqa: E402

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def fill(store: Store, n: int) -> None:
    """N cases as the engine stores them (simulated fair world), inserted in bulk."""
    t = simulate(n, seed=1)
    rows = []
    for i in range(n):
        opened = NOW - timedelta(hours=float(t["censor_hours"][i]))
        frh, rd = t["first_response_hours"][i], t["resolution_days"][i]
        rows.append({
            "id": i + 1, "source": "bench", "external_id": str(i), "status": "resolved" if rd == rd else "open",
            "channel": t["channel"][i], "visibility": t["visibility"][i], "category": t["category"][i],
            "severity": int(t["severity"][i]), "opened_at": opened, "public_id": f"C-{i:08d}",
            "first_response_at": None if np.isnan(frh) else opened + timedelta(hours=float(frh)),
            "resolved_at": None if np.isnan(rd) else opened + timedelta(days=float(rd)),
            "outcome": t["outcome"][i] or None, "remedy": t["remedy"][i], "amount": float(t["amount"][i]),
            "escalated": bool(t["escalated"][i]), "reopened": bool(t["reopened"][i]),
            "audience": None if np.isnan(t["audience"][i]) else int(t["audience"][i]), "kind": "complaint",
        })
    with store.engine.begin() as conn:
        for k in range(0, n, 50_000):
            insert_rows(conn, cases_table, rows[k : k + 50_000])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true", help="20,000 cases (a smoke run)")
    args = parser.parse_args()
    if args.quick and "--n" not in sys.argv:
        args.n = 20_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        store = Store(f"sqlite:///{path}")
        store.upgrade()
        fill(store, args.n)
        start = time.perf_counter()
        raw = sqlite3.connect(path)
        raw.execute(
            "select public_id, channel, visibility, category, severity, opened_at, first_response_at, resolved_at,"
            " outcome, remedy, amount, escalated, reopened, audience from cases order by id"
        ).fetchall()
        raw.close()
        peer = time.perf_counter() - start
        start = time.perf_counter()
        with store.engine.connect() as conn:
            table = table_from_db(conn, NOW)
        read = time.perf_counter() - start
        start = time.perf_counter()
        run_audit(table, dimension="visibility")
        audit = time.perf_counter() - start
        store.dispose()
    total = read + audit
    print(f"cases: {args.n:,}")
    print(f"peer: plain sqlite3 select of the columns  {peer:7.2f} s")
    print(f"openledger: outcomes table from SQLite     {read:7.2f} s  ({read / peer:.1f}x the peer)")
    print(f"openledger: audit by visibility            {audit:7.2f} s")
    print(f"openledger: whole audit                    {total:7.2f} s  (target < 10 s)")
    figures = Figures("audit-db")
    figures.add(f"audit of {args.n:,} cases from SQLite", round(total, 3), "s", round(peer, 3),
                "peer: plain sqlite3 select of the same columns; target < 10 s at 1M")
    figures.emit(args.json)


if __name__ == "__main__":
    main()
