"""openledger source plugin for a Mastodon account archive.

Mastodon's "Request your archive" zip holds ``outbox.json``: an
ActivityStreams 2.0 ``OrderedCollection`` (W3C Activity Streams / ActivityPub)
of the account's ``Create`` activities (each wrapping a ``Note``, the post)
and ``Announce`` activities (boosts of other people's posts), plus
``actor.json`` (the account, a ``Person``).

Each post becomes a ``mastodon`` message, ``out`` (the archive owner is the
company). Visibility follows the addressing of the Note:

- ``to`` holds the Public collection: public;
- ``cc`` holds it (unlisted): public, anyone can read it on the profile;
- only the followers collection (followers-only) or only mentioned
  accounts (direct): private.

Boosts are skipped: they are other people's words. Some Mastodon versions
write the key ``orderedItems`` twice (``"orderedItems":[],"orderedItems":[...]``);
the parser keeps the non-empty value of a duplicated key. The archive may be
given as the ``.zip`` Mastodon delivers (read in place) or its folder.

The plugin also polls the account's notifications (the ``mastodon`` poller,
``register_pollers``): every mention of the company (``GET
/api/v1/notifications?types[]=mention``), walked forward from the last one
stored (``min_id``, what the ``Link: rel="prev"`` of each answer points to),
each becoming an incoming message of its status's visibility::

    [pollers.mastodon]
    url = "https://mastodon.social"          # the company's server
    token_file = "/etc/openledger/mastodon-token"   # an access token with read:notifications (mode 0600)

    [sources.mastodon]                       # how the source reads what the poller fetches
    account = "@examplecorp@mastodon.social" # the company: its own statuses are "out"

A status's id is its ActivityPub ``uri``, the same id the archive gives it,
so the same post is never stored twice whichever way it came. The API names
the status a reply answers only by the server's local id, not its URI, so
replies are not threaded into the case of their parent (``in_reply_to_id``
is kept in the message's details).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from openledger import hookimpl
from openledger.errors import PollError, SourceError
from openledger.intake.pollkit import HttpClient, secret_option
from openledger.intake.sourcekit import ExportFile, ExportFiles, Source, html_to_text, load_json
from openledger.records import MessageRecord, Page, Payload, Rejected
from openledger.timeutil import parse_time

__version__ = "0.1.0"

PUBLIC = {"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"}


def keep_non_empty(pairs: list[tuple[str, object]]) -> dict:
    """``object_pairs_hook`` for json: a duplicated key keeps its non-empty value."""
    result: dict = {}
    for key, value in pairs:
        if key in result and value in ([], {}, None, ""):
            continue
        result[key] = value
    return result


def visibility(note: Mapping) -> tuple[str, str]:
    """(openledger visibility, Mastodon visibility) from a Note's to/cc."""
    to, cc = set(note.get("to") or []), set(note.get("cc") or [])
    if to & PUBLIC:
        return "public", "public"
    if cc & PUBLIC:
        return "public", "unlisted"
    if any(str(a).endswith("/followers") for a in to | cc):
        return "private", "followers-only"
    return "private", "direct"


def _owner(actor: ExportFile | None) -> str | None:
    if actor is None:
        return None
    data = load_json(actor.where, actor.read_bytes())
    name, url = data.get("preferredUsername"), str(data.get("id") or "")
    host = url.split("/")[2] if url.count("/") >= 2 else ""
    return f"@{name}@{host}" if name and host else name


def read(path: Path, options: Mapping) -> Iterator[MessageRecord | Rejected]:
    """Read an archive: its .zip, its folder (with outbox.json), or an outbox.json file."""
    with ExportFiles(path if path.is_dir() or path.suffix.lower() == ".zip" else path.parent) as files:
        if path.is_dir() or files.is_zip:
            outbox, actor = files.find("outbox.json", "**/outbox.json"), files.find("actor.json", "**/actor.json")
        else:
            outbox, actor = files.find(path.name), files.find("actor.json")
        if outbox is None:
            raise SourceError("not a Mastodon archive: no outbox.json", path=path)
        yield from _outbox(outbox, actor, options)


def _outbox(outbox: ExportFile, actor: ExportFile | None, options: Mapping) -> Iterator[MessageRecord | Rejected]:
    data = load_json(outbox.where, outbox.read_bytes(), object_pairs_hook=keep_non_empty)
    items = data.get("orderedItems") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise SourceError("not an ActivityStreams outbox (no orderedItems list)", path=outbox.where)
    owner = options.get("account") or _owner(actor)
    for number, activity in enumerate(items, start=1):
        location = f"item {number}"
        if not isinstance(activity, dict) or activity.get("type") == "Announce":
            continue  # boosts are other people's posts
        note = activity.get("object")
        if activity.get("type") != "Create" or not isinstance(note, dict):
            yield Rejected(location, f"not a Create activity with a Note ({activity.get('type')!r})",
                           json.dumps(activity)[:2000])
            continue
        try:
            when = parse_time(note.get("published") or activity.get("published"))
            note_id = str(note["id"])
        except (KeyError, ValueError) as error:
            yield Rejected(location, f"a Note without id or published time: {error}", json.dumps(note)[:2000])
            continue
        shown, audience = visibility(note)
        mentions = [t.get("name") for t in note.get("tag") or [] if isinstance(t, dict) and t.get("type") == "Mention"]
        yield MessageRecord(
            id=note_id,
            channel="mastodon",
            visibility=shown,
            timestamp=when,
            text=html_to_text(note.get("content") or ""),
            author=owner or note.get("attributedTo"),
            reply_to=note.get("inReplyTo") or None,
            direction="out",
            subject=note.get("summary") or None,
            location=location,
            meta={
                "mastodon_visibility": audience,
                "mentions": mentions,
                "attachments": len(note.get("attachment") or []),
                "url": note.get("url"),
            },
        )


# --- the REST API: notifications and statuses (docs.joinmastodon.org/methods/notifications/) -----

#: a status's "visibility" in the API -> openledger visibility
API_VISIBILITY = {"public": "public", "unlisted": "public", "private": "private", "direct": "private"}


def status_record(status: Mapping, location: str, owner: str | None,
                  notification: str | None = None) -> MessageRecord | Rejected:
    """One status of the REST API (``Status`` entity) as a message."""
    try:
        uri = str(status["uri"])
        when = parse_time(status["created_at"])
        acct = str(status["account"]["acct"])
    except (KeyError, TypeError, ValueError) as error:
        return Rejected(location, f"a status without uri, created_at or account: {error}", json.dumps(status)[:2000])
    shown = API_VISIBILITY.get(str(status.get("visibility")))
    if shown is None:
        return Rejected(location, f"unknown visibility {status.get('visibility')!r}", json.dumps(status)[:2000])
    author = "@" + acct.lstrip("@")
    return MessageRecord(
        id=uri,
        channel="mastodon",
        visibility=shown,
        timestamp=when,
        text=html_to_text(str(status.get("content") or "")),
        author=author,
        direction="out" if _is_owner(author, owner) else "in",
        subject=status.get("spoiler_text") or None,
        location=location,
        meta={
            "mastodon_visibility": status.get("visibility"),
            "url": status.get("url"),
            "in_reply_to_id": status.get("in_reply_to_id"),
            "mentions": [m.get("acct") for m in status.get("mentions") or [] if isinstance(m, dict)],
            "attachments": len(status.get("media_attachments") or []),
            **({"notification": notification} if notification else {}),
        },
    )


def _is_owner(author: str, owner: str | None) -> bool:
    """``@name`` (an account of the polled server) or ``@name@server`` is the company's ``@name@server``."""
    if not owner:
        return False
    mine = "@" + owner.lower().lstrip("@")
    return author.lower() in (mine, mine.rsplit("@", 1)[0] if mine.count("@") == 2 else mine)


def read_payload(body: bytes, options: Mapping, content_type: str) -> Iterator[MessageRecord | Rejected]:
    """An API answer: a list of notifications (or one), or a status; notifications without a status are skipped."""
    data = load_json("payload", body)
    owner = options.get("account")
    items = data if isinstance(data, list) else [data]
    for number, item in enumerate(items, start=1):
        location = f"notification {number}" if isinstance(data, list) else "payload"
        if not isinstance(item, dict):
            yield Rejected(location, "not a JSON object", repr(item)[:2000])
        elif "type" in item and "account" in item:  # a Notification
            if isinstance(item.get("status"), dict):
                yield status_record(item["status"], location, owner, notification=str(item.get("id")))
        elif "uri" in item and "content" in item:  # a Status
            yield status_record(item, location, owner)
        else:
            raise SourceError("not a Mastodon notification or status (no type/account, no uri/content)")


SOURCE = Source(
    name="mastodon",
    version=__version__,
    description="Mastodon: the account archive (outbox.json, .zip) and mentions from the API",
    channel="mastodon",
    visibility=None,
    reader=read,
    payload_reader=read_payload,
)


class MastodonPoller:
    """New mentions of the company's account, oldest first, after the last one stored."""

    name = "mastodon"
    version = __version__
    description = "Mentions of the account from a Mastodon server (notifications, since the last stored)"
    source = "mastodon"

    def poll(self, cursor: Mapping | None, options: Mapping) -> Iterator[Page]:
        base = str(options.get("url") or "").rstrip("/")
        if not base.startswith(("https://", "http://")):
            raise PollError("[pollers] mastodon: url must be the server's address, e.g. https://mastodon.social")
        token = secret_option(options, "token", poller="mastodon")
        client = HttpClient.from_options(options, {"Authorization": f"Bearer {token}"})
        types = options.get("types") or ["mention"]
        limit = int(options.get("limit", 40))
        since = str((cursor or {}).get("since_id") or options.get("since_id") or "0")
        for _ in range(int(options.get("max_pages", 1000))):
            answer = client.get(base + "/api/v1/notifications",
                                {"types[]": list(types), "limit": limit, "min_id": since})
            items = answer.json()
            if not isinstance(items, list):
                raise PollError(f"{answer.url}: not a list of notifications")
            if not items:
                return
            newest = max((str(n.get("id")) for n in items if isinstance(n, dict)), key=lambda i: (len(i), i))
            yield Page((Payload(answer.body, "application/json", f"notifications after {since}"),),
                       {"since_id": newest}, note=f"{len(items)} notifications")
            if len(items) < limit:
                return
            since = newest  # what the answer's Link rel="prev" (min_id) points to
        raise PollError("more than max_pages pages of notifications in one run; the rest next time")


@hookimpl
def register_sources(register, config):
    """Register the ``mastodon`` source."""
    register(SOURCE)


@hookimpl
def register_pollers(register, config):
    """Register the ``mastodon`` poller."""
    register(MastodonPoller())
