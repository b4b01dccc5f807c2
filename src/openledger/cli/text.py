"""``classify`` and ``redact``: preview what the classifiers and the redactors
make of a text, without recording anything. Both work without an instance
(no ``openledger.toml``): the built-in defaults are used then."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from types import MappingProxyType

import click

from openledger import plugins
from openledger.cases.classify import classify_text
from openledger.cases.contract import Limits
from openledger.cli.main import main, pass_app
from openledger.config import CONFIG_NAME, Config
from openledger.errors import BadRecordError, ConfigError, OpenLedgerError
from openledger.instance import Instance
from openledger.jsonlines import open_jsonl, read_jsonl, text_field
from openledger.privacy.redaction import (
    Keep,
    keep_from_config,
    redact_jsonl,
    redact_plain,
)
from openledger.records import ClassifyInput

jsonl_option = click.option(
    "--jsonl", "jsonl", metavar="FILE",
    help="A JSON Lines file (one JSON object a line; '-' for standard input) instead of plain text.",
)


def preview_config(app: Instance) -> Config:
    """The instance config if the home has one, else an empty config."""
    if (app.home / CONFIG_NAME).is_file():
        return app.config
    return Config(home=app.home, data=MappingProxyType({}))


def labels_json(classifiers, text: str, channel: str | None, explain: bool = False,
                limits: Limits | None = None, replies: tuple[str, ...] = (), rating: float | None = None) -> dict:
    """``{label: {"value", "confidence"}}`` decided as ``openledger process`` decides them;
    with ``explain`` also who decided (``by``) and why (``detail``: the rule that fired, or
    the features that pushed most towards the value). ``replies`` are the company's
    answers (for ``moves_private`` and ``gag``), ``rating`` the customer's stars."""
    item = ClassifyInput(text=text, channel=channel, replies=replies, rating=rating)
    decided = classify_text(classifiers, item, limits)
    found = {}
    for name, (label, classifier) in sorted(decided.items()):
        found[name] = {"value": label.value, "confidence": round(float(label.confidence), 4)}
        if explain:
            found[name]["by"] = f"{getattr(classifier, 'name', '?')} {getattr(classifier, 'version', '?')}"
            found[name]["detail"] = dict(label.detail)
    return found


def explaining(classifiers: list) -> list:
    """The classifiers, those that can say why (an ``explain`` attribute) set to list 8 features."""
    from dataclasses import replace

    return [replace(c, explain=8) if hasattr(c, "explain") and hasattr(c, "__dataclass_fields__") else c
            for c in classifiers]


def keep_of(config: Config) -> Keep:
    """The company's own public strings, never redacted: ``[publication] keep``."""
    try:
        return keep_from_config(config.data)
    except ConfigError as exc:
        raise ConfigError(exc.message, path=config.path) from None


def _replies(record: Mapping, name: str, number: int) -> tuple[str, ...]:
    """The record's ``replies``: a list of strings (the company's answers, oldest first), or none."""
    value = record.get("replies")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(reply, str) for reply in value):
        raise BadRecordError("'replies' is not a list of strings", path=name, location=f"line {number}")
    return tuple(value)


def _rating(record: Mapping, name: str, number: int) -> float | None:
    """The record's ``rating`` (a number of stars), or None."""
    value = record.get("rating")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadRecordError("'rating' is not a number", path=name, location=f"line {number}")
    return float(value)


def _dump(record: Mapping) -> str:
    return json.dumps(record, ensure_ascii=False)


def _stdin_text() -> str:
    return sys.stdin.read()


@main.command()
@jsonl_option
@click.option("--explain", is_flag=True,
              help="Also show who decided each label and why: the rule that fired or the model's top features.")
@pass_app
def classify(app: Instance, jsonl: str | None, explain: bool) -> None:
    """Label text with the registered classifiers; prints one JSON object per message.

    Plain text from standard input is one message. With --jsonl, the 'text'
    field of each object is classified (with its 'channel', the company's
    'replies' (a list of strings) and the star 'rating' if present) and the
    object is printed back with 'labels' added. Nothing is recorded.
    """
    config = preview_config(app)
    classifiers = plugins.classifiers(config.plugin_view())
    if explain:
        classifiers = explaining(classifiers)
    limits = Limits.from_config(config.plugin_view())
    if jsonl is None:
        text = _stdin_text()
        if not text.strip():
            raise OpenLedgerError("no text on standard input (or give --jsonl FILE)")
        click.echo(_dump({"text": text, "labels": labels_json(classifiers, text, None, explain, limits)}))
        return
    records, name = read_jsonl(jsonl)
    inputs = [
        (record, text_field(record, name, number), text_field(record, name, number, "channel", required=False),
         _replies(record, name, number), _rating(record, name, number))
        for number, record in records
    ]
    for record, text, channel, replies, rating in inputs:
        labels = labels_json(classifiers, text, channel.lower() if channel else None, explain, limits,
                             replies, rating)
        click.echo(_dump({**record, "labels": labels}))


@main.command(name="redact")
@jsonl_option
@pass_app
def redact_command(app: Instance, jsonl: str | None) -> None:
    """Replace personal data by placeholders such as [EMAIL] with the configured redactors.

    Plain text from standard input gives the redacted text. With --jsonl, each
    object is printed back with its 'text' field redacted and every other
    field kept. The company's own handles and numbers in [publication] keep
    stay. Nothing is recorded.
    """
    config = preview_config(app)
    redactors = plugins.redactors(config.plugin_view())
    keep = keep_of(config)
    with plugins.blamed(redactors):
        if jsonl is None:
            click.echo(redact_plain(_stdin_text(), redactors, keep), nl=False)
            return
        with open_jsonl(jsonl) as (lines, name):
            redact_jsonl(lines, sys.stdout, redactors, keep, name=name)
