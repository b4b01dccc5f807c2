"""The published outcomes table: one anonymized row per case.

It is the audit's only input and what the site publishes as
``data/outcomes.csv``: the columns of :data:`openledger.audit.COLUMNS` plus

- ``case``: the public (pseudonymous) case id;
- ``response_level``: 0 no response, 1 a response days later, 2 hours later,
  3 within the hour (see ``docs/audit-method.md``);
- ``resolved_elsewhere``: the company answered in another channel than the
  one the customer used;

and the influence columns (``leverage``, ``moved_private``, ``tone``) from the
labels of the case's last ``classified`` event that states them, and
``followed_up``: a response other than the first on the case's own channel
after its resolution.

Everything is coarse on purpose: durations are rounded to 10 minutes (the same
rounding as ``after_minutes`` in ledger entries), the opening time to the day,
and a follower count only to the lower bound of its audience bucket.
The table is read from the database with one set-based query.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import and_, exists, func, literal, or_, select
from sqlalchemy.engine import Connection

from openledger import periods
from openledger.audit import AUDIENCE_BUCKETS
from openledger.audit.exclusion import SPAM_MIN_PERCENT
from openledger.audit.table import INFLUENCE
from openledger.store.models import cases_table as cases_t
from openledger.store.models import events_table as events_t
from openledger.store.models import messages_table as messages_t

EXTRA_COLUMNS = ("case", "response_level", "resolved_elsewhere")
UNCATEGORISED = "uncategorised"


def _round10(minutes: np.ndarray) -> np.ndarray:
    """Minutes rounded to the nearest 10 (NaN stays NaN), as in ledger entries."""
    return np.round(minutes / 10.0) * 10.0


def _audience_floor(values: np.ndarray) -> np.ndarray:
    """A follower count replaced by the lower bound of its audience bucket."""
    out = np.full(len(values), np.nan)
    for _, low, high in AUDIENCE_BUCKETS:
        inside = (values >= low) & (values < high)
        out[inside] = low
    return out


def response_levels(first_response_minutes: np.ndarray) -> np.ndarray:
    """0 no response, 1 a day or more, 2 an hour or more, 3 within the hour."""
    levels = np.zeros(len(first_response_minutes), dtype=np.int64)
    known = ~np.isnan(first_response_minutes)
    minutes = np.where(known, first_response_minutes, 0.0)
    levels[known & (minutes >= 24 * 60)] = 1
    levels[known & (minutes >= 60) & (minutes < 24 * 60)] = 2
    levels[known & (minutes < 60)] = 3
    return levels


def _minutes(conn: Connection, later, earlier):
    """SQL for the minutes from ``earlier`` to ``later`` (NULL when either is NULL)."""
    if conn.dialect.name == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 1440.0
    return func.extract("epoch", later - earlier) / 60.0


def _day(conn: Connection, column):
    if conn.dialect.name == "sqlite":
        return func.substr(column, 1, 10)
    return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")


def table_from_db(conn: Connection, now: datetime) -> dict[str, np.ndarray]:
    """The outcomes table of every case with a public id, as of ``now``, but spam.

    One query; durations are computed by the database, so no per-row date
    arithmetic happens in Python. A case labelled spam by the audit's rule
    (:func:`openledger.audit.exclusion.excluded_as_spam`: ``spam = yes`` with a
    confidence that rounds to at least 90 %) has no row, as in the published table.
    """
    elsewhere = or_(
        exists().where(
            and_(messages_t.c.case_id == cases_t.c.id, messages_t.c.direction == "out",
                 messages_t.c.channel != cases_t.c.channel)
        ),
        exists().where(
            and_(events_t.c.case_id == cases_t.c.id, events_t.c.type == "responded",
                 events_t.c.data["channel"].as_string() != cases_t.c.channel)
        ),
    )
    spam_label = events_t.c.data[("labels", "spam", "value")].as_string()
    spam_confidence = events_t.c.data[("labels", "spam", "confidence")].as_float()
    spam = exists().where(
        and_(events_t.c.case_id == cases_t.c.id, events_t.c.type == "classified", spam_label == "yes",
             spam_confidence >= (SPAM_MIN_PERCENT - 0.5) / 100)  # rounds to SPAM_MIN_PERCENT or more
    )
    def stated(label: str):  # the value of a label on the case's last classified event that has it
        value = events_t.c.data[("labels", label, "value")].as_string()
        return (select(value).where(events_t.c.case_id == cases_t.c.id, events_t.c.type == "classified",
                                    value.is_not(None))
                .order_by(events_t.c.id.desc()).limit(1).scalar_subquery())

    followed_up = exists().where(
        and_(events_t.c.case_id == cases_t.c.id, events_t.c.type == "responded", cases_t.c.resolved_at.is_not(None),
             events_t.c.at > cases_t.c.resolved_at, events_t.c.at > cases_t.c.first_response_at,
             or_(events_t.c.data["channel"].as_string().is_(None),
                 events_t.c.data["channel"].as_string() == cases_t.c.channel))
    )
    now_value = literal(now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")) if conn.dialect.name == "sqlite" \
        else literal(now, type_=sa.DateTime(timezone=True))
    query = (
        select(
            cases_t.c.public_id, cases_t.c.channel, cases_t.c.visibility, cases_t.c.category,
            cases_t.c.severity, _day(conn, cases_t.c.opened_at),
            _minutes(conn, cases_t.c.first_response_at, cases_t.c.opened_at),
            _minutes(conn, cases_t.c.resolved_at, cases_t.c.opened_at),
            _minutes(conn, now_value, cases_t.c.opened_at),
            cases_t.c.outcome, cases_t.c.remedy, cases_t.c.amount, cases_t.c.escalated, cases_t.c.reopened,
            cases_t.c.audience, elsewhere.label("elsewhere"),
            *(stated(label).label(column) for column, (label, _) in INFLUENCE.items()),
            followed_up.label("followed_up"),
        )
        .where(cases_t.c.public_id.is_not(None), ~spam)
        .order_by(cases_t.c.id)
    )
    result = conn.execute(query)
    try:  # the columns are plain numbers and strings: skip per-value result processing
        rows = result.cursor.fetchall()
    finally:
        result.close()
    return _columns(rows)


NAMES = ("case", "channel", "visibility", "category", "severity", "opened", "first", "resolved", "censor",
         "outcome", "remedy", "amount", "escalated", "reopened", "audience", "elsewhere", *INFLUENCE, "followed_up")


def _floats(column: pd.Series) -> np.ndarray:
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _columns(rows) -> dict[str, np.ndarray]:
    frame = pd.DataFrame.from_records(rows, columns=NAMES, coerce_float=True)
    first_min = _round10(np.maximum(_floats(frame["first"]), 0.0))
    resolved_min = _round10(np.maximum(_floats(frame["resolved"]), 0.0))
    censor_min = _round10(np.maximum(_floats(frame["censor"]), 0.0))
    is_resolved = ~np.isnan(resolved_min)

    def text(name: str, default: str) -> np.ndarray:
        return frame[name].fillna(default).replace("", default).to_numpy(dtype=object)

    return {
        "case": frame["case"].to_numpy(dtype=object),
        "channel": frame["channel"].to_numpy(dtype=object),
        "visibility": frame["visibility"].to_numpy(dtype=object),
        "category": text("category", UNCATEGORISED),
        "severity": frame["severity"].to_numpy(dtype=np.int64),
        "opened": np.array([periods.label(date.fromisoformat(d), "week") if isinstance(d, str) and d else ""
                            for d in frame["opened"].tolist()], dtype=object),
        "first_response_hours": first_min / 60.0,
        "resolution_days": resolved_min / 1440.0,
        "resolved": is_resolved,
        "responded": ~np.isnan(first_min),
        "outcome": np.where(is_resolved, frame["outcome"].fillna("").to_numpy(dtype=object), "").astype(object),
        "remedy": np.where(is_resolved, text("remedy", "none"), "none").astype(object),
        "amount": np.where(is_resolved, _floats(frame["amount"]), 0.0),
        "escalated": frame["escalated"].fillna(False).to_numpy(dtype=bool),
        "reopened": frame["reopened"].fillna(False).to_numpy(dtype=bool),
        "audience": _audience_floor(_floats(frame["audience"])),
        "censor_hours": censor_min / 60.0,
        "censor_days": censor_min / 1440.0,
        "response_level": response_levels(first_min),
        "resolved_elsewhere": frame["elsewhere"].fillna(False).to_numpy(dtype=bool),
        **{column: np.where(frame[column].isin(values), frame[column], "").astype(object)
           for column, (_, values) in INFLUENCE.items()},
        "followed_up": frame["followed_up"].fillna(False).to_numpy(dtype=bool) & is_resolved,
    }
