"""Reply drafts from Jinja2 templates, rendered in a sandbox.

Templates are plain text (``NAME.txt.j2``), looked up first in the
company's folder ``config["templates_dir"]`` (relative to ``config["home"]``
when given), then in the shipped ``openledger/templates/replies/``. They are
rendered by a :class:`jinja2.sandbox.SandboxedEnvironment` with autoescape
off (the output is plain text, not HTML) and ``StrictUndefined`` (a typo in a
template fails loudly). Customer text only ever enters as a *value* of the
context, never as template source, so ``{{ 7*7 }}`` written by a customer is
printed as is.

Context variables every template can use: ``topic`` (the category as a
phrase), ``summary`` (the customer's problem in their own words, shortened),
``kind``, ``category``, ``wants``, ``severity``, ``tier``, ``urgent``,
``reasons`` (urgency reasons), ``case_ref``, ``first_response_due`` and
``resolution_due`` (formatted in the calendar's zone), ``business_hours``,
``public`` (the reply will be visible to others: templates then do not quote
the customer), ``company`` and ``signature``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
)
from jinja2.exceptions import TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from openledger.cases.summary import summarise  # noqa: F401  (part of this module's API)
from openledger.errors import ConfigError

TOPICS = {
    "billing": "your bill", "delivery": "your delivery", "product-fault": "a faulty product",
    "service": "the service you received", "account": "your account",
    "fraud": "suspected fraud", "technical": "a technical problem", "travel": "your journey",
    "insurance": "your insurance claim", "banking": "your banking", "privacy": "your personal data",
    "other": "your message",
}
SUFFIX = ".txt.j2"




def environment(config: Mapping | None = None) -> SandboxedEnvironment:
    """The sandboxed Jinja2 environment with the company's and the shipped templates."""
    config = config or {}
    loaders: list[BaseLoader] = []
    folder = config.get("templates_dir")
    if folder:
        path = Path(folder).expanduser()
        if not path.is_absolute() and config.get("home"):
            path = Path(config["home"]) / path
        if not path.is_dir():
            raise ConfigError("templates_dir is not a folder", path=path)
        loaders.append(FileSystemLoader(str(path)))
    loaders.append(PackageLoader("openledger", "templates/replies"))
    return SandboxedEnvironment(loader=ChoiceLoader(loaders), autoescape=False,
                                undefined=StrictUndefined, trim_blocks=True,
                                lstrip_blocks=True, keep_trailing_newline=False)


def topic_of(category: str | None) -> str:
    """The category as a phrase for the reply ("your bill")."""
    if not category:
        return TOPICS["other"]
    return TOPICS.get(category, category.replace("-", " ").replace("_", " "))


def format_due(moment: datetime | None) -> str:
    """A due time as people read it: "Tuesday 7 April 2026, 09:30 BST"."""
    if moment is None:
        return "as soon as we can"
    return f"{moment:%A} {moment.day} {moment:%B %Y, %H:%M %Z}".strip()


def render(env: SandboxedEnvironment, template: str, context: Mapping) -> str:
    """Render ``template`` (a name without suffix) with ``context``."""
    try:
        text = env.get_template(template + SUFFIX).render(**context)
    except TemplateNotFound as error:
        raise ConfigError(f"reply template {template + SUFFIX!r} not found",
                          location="templates") from error
    except TemplateError as error:
        raise ConfigError(f"reply template {template + SUFFIX!r} failed: {error}",
                          location="templates") from error
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
