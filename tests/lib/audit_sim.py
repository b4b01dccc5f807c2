"""Simulated complaint histories with a known truth, for the audit's tests and benchmarks.

:func:`simulate` returns an outcomes table (the audit's column contract) for
one of three worlds:

- ``fair``: every outcome depends only on category and severity, but public
  channels receive mostly easy categories and private channels mostly hard
  ones (the Simpson's paradox trap: pooled, public looks favoured);
- ``remedy``: as ``fair``, but within every category and severity public
  cases get a remedy 1.3 times as often;
- ``response``: as ``fair``, but public first responses take about an hour
  and private ones about a day;
- ``influence``: as ``fair``, but private cases whose customer threatened
  (``leverage`` other than ``none``) get a remedy :data:`LEVERAGE_TRUTH` (1.5)
  times as often, and public cases a company reply moved private are resolved
  in the customer's favour :data:`DEFLECTION_TRUTH` (0.7) times as often;
  tone changes nothing.

Every world labels its cases (``leverage``, ``moved_private``, ``tone``; drawn
from a generator of their own, so the other columns are those of the world
without labels), and a resolved public case moved private is followed up in
public with the probability :data:`FOLLOW_UP_TRUTH` of its channel: threats
and moves private are more common in the hard categories, hostile customers in public, so a comparison that pools the
categories sees effects that are not there.

Cases open uniformly over the year before "now"; those not yet answered or
resolved by then are open (censored), as in a real export.
:func:`history_lines` writes the same kind of world as history JSON Lines, and
:func:`published` gives the table the site publishes of it (through the release
planner and the log's entries).
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

import numpy as np

from openledger import periods
from openledger.audit.groups import AUDIENCE_BUCKETS

PUBLIC = ("twitter", "facebook", "review")
PRIVATE = ("email", "phone", "webform", "letter")
SCENARIOS = ("fair", "remedy", "response", "influence")
#: the influence world's truths: remedy rate ratio of threatening private cases, resolution rate ratio of public
#: cases moved private (against kept public and against private cases alike)
LEVERAGE_TRUTH = 1.5
DEFLECTION_TRUTH = 0.7
THREATS = ("publicity", "press", "regulator", "legal")
TONES = ("hostile", "negative", "neutral", "positive")
#: the true share of resolved public cases moved private that get a public reply after the resolution, per channel
FOLLOW_UP_TRUTH = {"twitter": 0.5, "facebook": 0.3, "review": 0.1}
#: how long after the resolution (and the first response) the public follow-up comes
FOLLOW_UP_AFTER = timedelta(hours=2)
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
    labels = _labels(n, seed, public, easy[cat])
    if scenario == "influence":
        threat = ~public & (labels["leverage"] != "none")
        p_remedy = np.where(threat, LEVERAGE_TRUTH * p_remedy, p_remedy)
        p_fav = np.where(labels["moved_private"] == "yes", DEFLECTION_TRUTH * p_fav, p_fav)
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
    follow = np.array([FOLLOW_UP_TRUTH.get(c, 0.0) for c in channel.tolist()])
    draw = np.random.default_rng([seed, 22]).random(n)
    followed_up = resolved & responded & (labels["moved_private"] == "yes") & (draw < follow)
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
        **labels,
        "followed_up": followed_up,
    }


def _labels(n: int, seed: int, public: np.ndarray, easy: np.ndarray) -> dict[str, np.ndarray]:
    """The cases' ``leverage``, ``moved_private`` and ``tone``, from a generator of their own."""
    rng = np.random.default_rng([seed, 21])
    threat = rng.random(n) < np.where(easy, 0.08, 0.22)
    leverage = np.where(threat, np.array(THREATS)[rng.integers(0, len(THREATS), n)], "none")
    moved = public & (rng.random(n) < np.where(easy, 0.2, 0.4))
    harsh = rng.random(n) < np.where(public, 0.5, 0.3) + np.where(easy, 0.0, 0.1)
    tone = np.where(harsh, np.where(rng.random(n) < 0.4, "hostile", "negative"),
                    np.where(rng.random(n) < 0.8, "neutral", "positive"))
    return {"leverage": leverage.astype(object), "moved_private": np.where(moved, "yes", "no").astype(object),
            "tone": tone.astype(object)}


def _follow_up(first: datetime | None, resolved: datetime | None) -> datetime:
    """When a followed-up case is followed up: :data:`FOLLOW_UP_AFTER` after its resolution and its first
    response, whichever is later (at most half the time from then to :data:`NOW`)."""
    assert first is not None and resolved is not None
    last = max(first, resolved)
    return last + min(FOLLOW_UP_AFTER, (NOW - last) / 2)


def history_lines(n: int, seed: int, scenario: str = "fair", labels: bool | None = None) -> list[str]:
    """The world of :func:`simulate` as history JSON Lines (docs/history-format.md),
    with "now" = :data:`NOW`; with its labels (``leverage``, ``moved_private``, ``tone``, ``gag``)
    when ``labels`` (by default only for ``influence``)."""
    labels = scenario == "influence" if labels is None else labels
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
            **({"leverage": t["leverage"][i], "moved_private": t["moved_private"][i] == "yes",
                "tone": t["tone"][i], "gag": False,
                "followed_up_at": _follow_up(first, resolved).isoformat() if t["followed_up"][i] else None}
               if labels else {}),
        }))
    return lines


def published(n: int, seed: int, scenario: str = "fair", k: int = 10, settle_days: int = 14,
              labels: bool | None = None) -> dict:
    """The same world as it is published: its events released by the release planner
    (:func:`openledger.privacy.release.plan`, policy ``k`` and ``settle``) at "now",
    written as schema v2 entries and folded back into the published table
    (:func:`openledger.site.derive.derive`), the table the site's audit runs on; with a
    ``classified`` event of its labels, as ``ingest history`` records them, when ``labels``
    (by default only for ``influence``)."""
    labels = scenario == "influence" if labels is None else labels
    from openledger.ledger.entry import build_entry
    from openledger.privacy.release import CaseFacts, PendingEvent, Policy, plan
    from openledger.site.derive import derive

    t = simulate(n, seed, scenario)
    facts, events = {}, []

    def event(case_id: int, kind: str, at: datetime, data: dict) -> None:
        events.append(PendingEvent(len(events) + 1, case_id, kind, at, data))

    for i in range(n):
        case_id = i + 1
        opened = NOW - timedelta(hours=float(t["censor_hours"][i]))
        frh, rd, audience = t["first_response_hours"][i], t["resolution_days"][i], t["audience"][i]
        first = None if np.isnan(frh) else opened + timedelta(hours=float(frh))
        band = "unknown" if np.isnan(audience) else next(
            name for name, low, high in AUDIENCE_BUCKETS if low <= audience < high)
        facts[case_id] = CaseFacts(case_id, f"C-{seed:04d}-{i:07d}", str(t["channel"][i]),
                                   str(t["visibility"][i]), opened, str(t["category"][i]), band, first)
        event(case_id, "opened", opened, {"severity": int(t["severity"][i])})
        if labels:
            stated = {"leverage": t["leverage"][i], "moves_private": t["moved_private"][i], "tone": t["tone"][i]}
            event(case_id, "classified", opened,
                  {"labels": {name: {"value": value, "confidence": 1.0} for name, value in stated.items()}})
        if first is not None:
            event(case_id, "responded", first, {"reply": "agent"})
        if t["escalated"][i]:
            event(case_id, "escalated", opened + timedelta(minutes=1), {"tier": 2})
        if not np.isnan(rd):
            done = opened + timedelta(days=float(rd))
            data = {"outcome": str(t["outcome"][i]), "remedy": str(t["remedy"][i]), "amount": float(t["amount"][i])}
            if t["reopened"][i]:
                event(case_id, "resolved", opened + (done - opened) / 2, data)
                event(case_id, "reopened", opened + (done - opened) * 3 / 4, {})
            event(case_id, "resolved", done, data)
            if labels and t["followed_up"][i]:
                event(case_id, "responded", _follow_up(first, done), {"reply": "agent"})
    decided = plan(events, facts, {}, Policy(k=k, settle=timedelta(days=settle_days)), NOW,
                   lambda public_id: public_id[::-1])
    entries = (
        (index, build_entry(case=facts[r.case_id].public_id, type=r.type, channel=r.channel,
                            visibility=r.visibility, period=r.period, data=r.data, deciders=[],
                            commitment="0" * 64))
        for index, r in enumerate(decided.released)
    )
    return derive(entries).table


def sealed(n: int, seed: int, slow: float = 0.1, every_days: int = 30, seals: int = 12, k: int = 10,
           settle_days: int = 14) -> tuple[dict, dict]:
    """The fair world as a site that follows its log publishes it: sealed every ``every_days`` days for
    ``seals`` seals up to :data:`NOW`, with a ``slow`` share of the answered cases (public and private
    alike) answered 20 to 60 days after opening, so that many public cases are published before they are
    answered and their answers reach the log ``late``. Returns the published table (folded back from the
    released entries) and the truth beside it: the same cases, answered when they truly were (before
    :data:`NOW`), each time written as the middle of its band."""
    from openledger.ledger.entry import build_entry
    from openledger.privacy.release import CaseFacts, PendingEvent, Policy, plan
    from openledger.site.derive import derive

    t = simulate(n, seed, "fair")
    rng = np.random.default_rng(seed + 99)
    hours = np.array(t["first_response_hours"], dtype=float)
    late = (rng.random(n) < slow) & ~np.isnan(hours)
    hours[late] = rng.uniform(20, 60, int(late.sum())) * 24
    cases: dict[int, tuple] = {}
    events: list = []
    for i in range(n):
        opened = NOW - timedelta(hours=float(t["censor_hours"][i]))
        first = None if np.isnan(hours[i]) else opened + timedelta(hours=float(hours[i]))
        audience = t["audience"][i]
        band = "unknown" if np.isnan(audience) else next(
            name for name, low, high in AUDIENCE_BUCKETS if low <= audience < high)
        cases[i + 1] = (i + 1, f"C-{seed:04d}-{i:07d}", str(t["channel"][i]), str(t["visibility"][i]), opened,
                        str(t["category"][i]), band, first)
        events.append(PendingEvent(len(events) + 1, i + 1, "opened", opened, {"severity": int(t["severity"][i])}))
        if first is not None:
            events.append(PendingEvent(len(events) + 1, i + 1, "responded", first, {"reply": "agent"}))

    def known(at: datetime) -> dict:  # what the company knew at ``at``: an answer not given yet is no fact
        return {c: CaseFacts(*f[:7], f[7] if f[7] is not None and f[7] < at else None)
                for c, f in cases.items() if f[4] < at}

    policy = Policy(k=k, settle=timedelta(days=settle_days))
    published: dict = {}
    done: set[int] = set()
    released: list = []
    for back in range(seals, -1, -1):
        at = NOW - timedelta(days=every_days * back)
        decided = plan([e for e in events if e.event_id not in done and e.at < at], known(at), published, policy,
                       at, lambda public_id: public_id[::-1])
        published.update(decided.signatures)
        done |= {r.event_id for r in decided.released}
        released += decided.released
    table = derive((index, build_entry(case=cases[r.case_id][1], type=r.type, channel=r.channel,
                                       visibility=r.visibility, period=r.period, data=r.data, deciders=[],
                                       commitment="0" * 64))
                   for index, r in enumerate(released)).table
    truth = dict(table)
    answered = {cases[c][1]: cases[c][7] - cases[c][4] for c in cases if cases[c][7] is not None and cases[c][7] < NOW}
    waited = [answered.get(case) for case in table["case"]]
    truth["responded"] = np.array([w is not None for w in waited])
    truth["first_response_hours"] = np.array(
        [math.nan if w is None else periods.band_hours(periods.band(w.total_seconds() / 3600.0, "bands"))
         for w in waited])
    truth["response_late"] = np.zeros(len(waited), dtype=bool)
    return table, truth
