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
the parser keeps the non-empty value of a duplicated key.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from openledger import hookimpl
from openledger.errors import SourceError
from openledger.intake.sourcekit import Source, html_to_text, load_json
from openledger.records import MessageRecord, Rejected
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


def _owner(folder: Path) -> str | None:
    actor = folder / "actor.json"
    if not actor.is_file():
        return None
    data = load_json(actor)
    name, url = data.get("preferredUsername"), str(data.get("id") or "")
    host = url.split("/")[2] if url.count("/") >= 2 else ""
    return f"@{name}@{host}" if name and host else name


def read(path: Path, options: Mapping) -> Iterator[MessageRecord | Rejected]:
    """Read an archive folder (with outbox.json) or an outbox.json file."""
    outbox = path / "outbox.json" if path.is_dir() else path
    if not outbox.is_file():
        raise SourceError("not a Mastodon archive: no outbox.json", path=path)
    data = load_json(outbox, object_pairs_hook=keep_non_empty)
    items = data.get("orderedItems") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise SourceError("not an ActivityStreams outbox (no orderedItems list)", path=outbox)
    owner = options.get("account") or _owner(outbox.parent)
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


SOURCE = Source(
    name="mastodon",
    version=__version__,
    description="Mastodon account archive (outbox.json): posts public or private by their addressing",
    channel="mastodon",
    visibility=None,
    reader=read,
)


@hookimpl
def register_sources(register, config):
    """Register the ``mastodon`` source."""
    register(SOURCE)
