"""The ``webform`` source: submissions of a contact or complaint form on the company's site.

A submission arrives as the form posts it (``application/x-www-form-urlencoded``,
the encoding of an HTML ``<form method="post">``), or as JSON from a form
service: flat fields, or the fields in a ``data`` object beside the
submission's ``id`` and time (``created_at``, ``submitted_at`` or ``d``), as
Netlify's and Webflow's form webhooks send them. ``openledger ingest webform
FILE`` reads a JSON Lines file of such JSON submissions (an export of the form
service), one a line.

The fields are found by name, case-insensitively (first found wins), or named
with the options ``fields.text = "your-message"`` and so on:

=========  ===============================================================
field      default field names
=========  ===============================================================
text       message, text, body, comment(s), complaint, enquiry, inquiry, question, details, description
email      email, e-mail, email_address, mail
name       name, full_name, your-name, fullname (else first_name + last_name)
phone      phone, telephone, tel, phone_number, mobile
subject    subject, topic, title, reason
id         id, _id, submission_id, uuid
time       created_at, submitted_at, timestamp, date, d
=========  ===============================================================

A submission without a text is refused. Without an id, the id is a hash of
the submitted fields, so a form that posts the same submission twice (a
retry) stores it once; without a time, it is the time it was received. Every
other field the customer filled in (an order number, a product) is kept at
the end of the text as ``Label: value`` lines, so nothing they wrote is lost;
technical fields (``ip``, ``user_agent``, ``referrer``, honeypots, captcha and
CSRF tokens) are dropped. The e-mail address and phone number link the
customer to their other channels (stored only as keyed hashes).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from urllib.parse import parse_qsl

from openledger import hookimpl
from openledger.errors import SourceError
from openledger.intake.sourcekit import Source, open_binary
from openledger.jsonlines import json_lines
from openledger.records import MessageRecord, Rejected
from openledger.timeutil import now, parse_time

VERSION = "1.0"

NAMES: dict[str, tuple[str, ...]] = {
    "text": ("message", "text", "body", "comments", "comment", "complaint", "enquiry", "inquiry", "question",
             "details", "description", "your-message"),
    "email": ("email", "e-mail", "email_address", "mail", "your-email"),
    "name": ("name", "full_name", "fullname", "your-name"),
    "phone": ("phone", "telephone", "tel", "phone_number", "mobile", "your-phone"),
    "subject": ("subject", "topic", "title", "reason", "your-subject"),
    "id": ("id", "_id", "submission_id", "uuid"),
    "time": ("created_at", "submitted_at", "timestamp", "date", "d"),
}
TECHNICAL = {"ip", "user_agent", "user-agent", "referrer", "referer", "site_url", "form_id", "form_name",
             "site", "g-recaptcha-response", "h-captcha-response", "cf-turnstile-response", "csrf",
             "csrf_token", "csrfmiddlewaretoken", "_token", "_wpnonce", "bot-field", "_gotcha", "honeypot",
             "number", "first_name", "last_name", "human_fields", "ordered_human_fields", "data",
             "form-name", "summary"}


def _text(value) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else ""
    return str(value).strip()


def _fields(submission: Mapping) -> dict[str, str]:
    """The submitted fields, lower-cased names: a ``data`` object's, else the top level's."""
    fields = {str(k).strip().lower(): _text(v) for k, v in submission.items() if not isinstance(v, dict)}
    data = submission.get("data")
    if isinstance(data, Mapping):
        fields.update((str(k).strip().lower(), _text(v)) for k, v in data.items())
    return fields


def _pick(fields: dict[str, str], field: str, options: Mapping) -> tuple[str | None, str | None]:
    """(the field's name in the submission, its value) for one of ``NAMES``."""
    chosen = options.get(f"fields.{field}") or (options.get("fields") or {}).get(field)
    for name in ([str(chosen).lower()] if chosen else NAMES[field]):
        if fields.get(name):
            return name, fields[name]
    return None, None


def submission_record(submission: Mapping, location: str, options: Mapping, raw: str) -> MessageRecord | Rejected:
    """One form submission as a private, incoming ``webform`` message."""
    fields = _fields(submission)
    used: set[str] = set()
    found: dict[str, str | None] = {}
    for field in NAMES:
        name, value = _pick(fields, field, options)
        found[field] = value
        if name:
            used.add(name)
    if not found["name"] and (fields.get("first_name") or fields.get("last_name")):
        found["name"] = " ".join(v for v in (fields.get("first_name"), fields.get("last_name")) if v)
    if not found["text"]:
        return Rejected(location, "no message text (a field named message, text, body, comments, ...; "
                        "name it with the option fields.text=...)", raw[:2000])
    try:
        when = parse_time(found["time"]) if found["time"] else now()
    except ValueError as error:
        return Rejected(location, f"bad submission time: {error}", raw[:2000])
    extra = [(k, v) for k, v in fields.items() if v and k not in used and k not in TECHNICAL
             and not k.startswith(("_", "utm_"))]
    text = found["text"]
    if extra:
        text += "\n\n" + "\n".join(f"{k.replace('_', ' ').replace('-', ' ').capitalize()}: {v}" for k, v in extra)
    content = {k: v for k, v in fields.items() if k not in NAMES["time"] and k not in NAMES["id"]}
    record_id = found["id"] or "form-" + hashlib.sha256(
        json.dumps(content, sort_keys=True).encode("utf-8")).hexdigest()[:24]
    identities = tuple(v.lower() if k == "email" else v for k, v in (("email", found["email"]),
                                                                      ("phone", found["phone"])) if v)
    return MessageRecord(
        id=record_id,
        channel="webform",
        visibility="private",
        timestamp=when,
        text=text,
        author=found["name"] or found["email"],
        direction="in",
        subject=found["subject"],
        identities=identities,
        location=location,
        meta=MappingProxyType({"form": form} if (form := _form_name(submission)) else {}),
    )


def _form_name(submission: Mapping) -> str:
    """The form's name as a form service sends it (Netlify ``form_name``, Webflow ``name`` beside ``data``)."""
    if submission.get("form_name"):
        return _text(submission["form_name"])
    return _text(submission.get("name")) if isinstance(submission.get("data"), Mapping) else ""


def read_payload(body: bytes, options: Mapping, content_type: str) -> Iterator[MessageRecord | Rejected]:
    """One submission, form-encoded or JSON (flat, or with a ``data`` object)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(f"not UTF-8 (byte {error.start})") from None
    if content_type == "application/x-www-form-urlencoded" or (not text.lstrip().startswith("{") and "=" in text):
        submission: dict = {}
        for key, value in parse_qsl(text, keep_blank_values=True):
            submission[key] = f"{submission[key]}, {value}" if key in submission else value
    else:
        try:
            submission = json.loads(text)
        except json.JSONDecodeError as error:
            raise SourceError(f"invalid JSON: {error.msg}", location=f"column {error.colno}") from None
        if not isinstance(submission, dict):
            raise SourceError("a form submission must be a JSON object")
    if not submission:
        raise SourceError("empty form submission")
    yield submission_record(submission, "submission", options, text)


def read(path: Path, options: Mapping) -> Iterator[MessageRecord | Rejected]:
    """A JSON Lines file of submissions (gzip-compressed or not), one JSON object a line."""
    if path.is_dir():
        raise SourceError("expected a .jsonl file of form submissions, not a folder", path=path)
    with open_binary(path) as handle:
        for item in json_lines(handle):
            if isinstance(item, Rejected):
                yield item
                continue
            _, location, submission, line = item
            yield submission_record(submission, location, options, line)


SOURCE = Source(
    name="webform",
    version=VERSION,
    description="Web form submissions (form-encoded or JSON webhooks; JSON Lines files)",
    channel="webform",
    visibility="private",
    reader=read,
    payload_reader=read_payload,
)


@hookimpl
def register_sources(register, config):
    """Register the ``webform`` source."""
    register(SOURCE)
