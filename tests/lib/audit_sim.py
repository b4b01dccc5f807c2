"""Simulated complaint histories with a known truth, for the audit's tests and benchmarks.

:func:`simulate` returns an outcomes table (the audit's column contract) for
one of three worlds:

- ``fair``: every outcome depends only on category and severity, but public
  channels receive mostly easy categories and private channels mostly hard
  ones (the Simpson's paradox trap: pooled, public looks favoured);
- ``remedy``: as ``fair``, but within every category and severity public
  cases get a remedy 1.3 times as often;
- ``response``: as ``fair``, but public first responses take about an hour
  and private ones about a day.

Cases open uniformly over the year before "now"; those not yet answered or
resolved by then are open (censored), as in a real export.
:func:`history_lines` writes the same kind of world as history JSON Lines.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np

from openledger import periods

PUBLIC = ("twitter", "facebook", "review")
PRIVATE = ("email", "phone", "webform", "letter")
SCENARIOS = ("fair", "remedy", "response")
#: name, easy, remedy prob, favourable prob, response hours, resolution days,
#: escalation prob, reopen prob, mean money amount
CATEGORIES = (
    ("billing", True, 0.40, 0.60, 4.0, 3.0, 0.05, 0.04, 40.0),
    ("delivery", True, 0.45, 0.65, 3.0, 4.0, 0.04, 0.05, 30.0),
    ("defect", False, 0.20, 0.40, 10.0, 12.0, 0.15, 0.10, 180.0),
    ("fraud", False, 0.15, 0.30, 12.0, 20.0, 0.30, 0.08, 400.0),
    ("service", False, 0.12, 0.35, 8.0, 9.0, 0.10, 0.06, 60.0),
)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def simulate(n: int, seed: int, scenario: str = "fair", public_share: float = 0.5) -> dict:
    """An outcomes table of ``n`` cases for ``scenario`` (see the module docstring)."""
    if scenario not in SCENARIOS:
        raise ValueError(scenario)
    rng = np.random.default_rng(seed)
    public = rng.random(n) < public_share
    channel = np.where(
        public, np.array(PUBLIC)[rng.integers(0, len(PUBLIC), n)],
        np.array(PRIVATE)[rng.integers(0, len(PRIVATE), n)],
    ).astype(object)
    easy = np.array([c[1] for c in CATEGORIES])
    mix_pub = np.where(easy, 0.8 / easy.sum(), 0.2 / (~easy).sum())
    mix_priv = np.where(easy, 0.2 / easy.sum(), 0.8 / (~easy).sum())
    u = rng.random(n)
    cat = np.where(public, np.searchsorted(np.cumsum(mix_pub), u * 0.999999),
                   np.searchsorted(np.cumsum(mix_priv), u * 0.999999))
    sev = np.where(easy[cat], rng.choice(4, n, p=[0.4, 0.35, 0.2, 0.05]),
                   rng.choice(4, n, p=[0.1, 0.3, 0.35, 0.25])) + 1
    param = np.array([c[2:] for c in CATEGORIES])[cat]
    p_remedy, p_fav, resp_h, res_d, p_esc, p_reopen, mean_amount = param.T
    sev_up = 1 + 0.1 * (sev - 1)
    p_remedy = p_remedy * sev_up
    if scenario == "remedy":
        p_remedy = np.where(public, 1.3 * p_remedy, p_remedy)
    if scenario == "response":
        resp_h = np.where(public, 1.0, 24.0)
    age_h = rng.uniform(0, 365 * 24, n)
    will_respond = rng.random(n) < 0.95
    resp = rng.exponential(resp_h / sev_up)
    responded = will_respond & (resp <= age_h)
    res = rng.exponential(res_d)
    resolved = res * 24 <= age_h
    favour = rng.random(n) < p_fav
    withdrawn = rng.random(n) < 0.03
    outcome = np.where(
        withdrawn, "withdrawn",
        np.where(favour, np.where(rng.random(n) < 0.7, "upheld", "partly-upheld"),
                 np.where(rng.random(n) < 0.5, "explained", "declined")),
    )
    remedy_given = rng.random(n) < p_remedy
    kind = np.array(["refund", "credit", "replacement", "repair"])[rng.integers(0, 4, n)]
    remedy = np.where(remedy_given, kind, np.where(rng.random(n) < 0.5, "apology", "none"))
    money = remedy_given & np.isin(kind, ("refund", "credit"))
    amount = np.where(money, np.round(rng.lognormal(np.log(mean_amount), 0.6), 2), 0.0)
    reopened = resolved & (rng.random(n) < p_reopen)
    audience = np.where(public, np.round(rng.lognormal(np.log(800), 2.0, n)), np.nan)
    days = (np.datetime64(NOW.date(), "D") - (age_h // 24).astype("timedelta64[D]")).astype(object)
    opened = np.array([periods.label(d, "week") for d in days], dtype=object)
    return {
        "channel": channel,
        "visibility": np.where(public, "public", "private").astype(object),
        "category": np.array([c[0] for c in CATEGORIES], dtype=object)[cat],
        "severity": sev.astype(np.int64),
        "opened": opened,
        "first_response_hours": np.where(responded, resp, np.nan),
        "resolution_days": np.where(resolved, res, np.nan),
        "resolved": resolved,
        "responded": responded,
        "outcome": np.where(resolved, outcome, "").astype(object),
        "remedy": np.where(resolved, remedy, "none").astype(object),
        "amount": np.where(resolved, amount, 0.0),
        "escalated": rng.random(n) < p_esc,
        "reopened": reopened,
        "audience": audience,
        "censor_hours": age_h,
        "censor_days": age_h / 24,
    }


def history_lines(n: int, seed: int, scenario: str = "fair") -> list[str]:
    """The world of :func:`simulate` as history JSON Lines (docs/history-format.md),
    with "now" = :data:`NOW`."""
    t = simulate(n, seed, scenario)
    lines = []
    for i in range(n):
        opened = NOW - timedelta(hours=float(t["censor_hours"][i]))
        frh, rd = t["first_response_hours"][i], t["resolution_days"][i]
        first = None if np.isnan(frh) else opened + timedelta(hours=float(frh))
        resolved = None if np.isnan(rd) else opened + timedelta(days=float(rd))
        audience = t["audience"][i]
        lines.append(json.dumps({
            "id": f"case-{seed}-{i}",
            "channel": t["channel"][i],
            "visibility": t["visibility"][i],
            "category": t["category"][i],
            "severity": int(t["severity"][i]),
            "opened_at": opened.isoformat(),
            "first_response_at": first and first.isoformat(),
            "resolved_at": resolved and resolved.isoformat(),
            "outcome": t["outcome"][i] or None,
            "remedy": t["remedy"][i],
            "amount": float(t["amount"][i]),
            "escalated": bool(t["escalated"][i]),
            "reopened": bool(t["reopened"][i]),
            "audience": None if np.isnan(audience) else int(audience),
        }))
    return lines
