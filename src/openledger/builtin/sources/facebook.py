"""The ``facebook`` source: a Facebook "Download your information" JSON export,
and Page webhooks.

Reads, anywhere under the export folder or in the ``.zip`` Facebook delivers
(read in place; so the 2020 layout, the newer ``your_facebook_activity/``
layout and a Page export all work):

- posts: ``**/your_posts*.json`` (a list of posts), public, ``out``;
- comments: ``**/comments*.json`` (``{"comments": [...]}`` or
  ``{"comments_v2": [...]}``), public;
- Messenger: ``**/messages/inbox/*/message_*.json``, private, one thread per
  conversation folder.

The owner (the Page, or the person who downloaded the export) is the
company: posts are ``out``; comments and messages are ``out`` when their
author is the owner. The owner's name comes from the option ``page_name``,
else ``page_information/page_information.json`` (``page.name``), else
``profile_information/profile_information.json``.

Facebook writes every non-ASCII string as mojibake (UTF-8 bytes as Latin-1
code points, ``\\u00c3\\u00a9`` for "é"); strings are re-encoded as Latin-1 and
decoded as UTF-8 while the JSON is parsed. The export has no ids, so a
record's id is derived from its file, time and text: stable across imports.

As a webhook (``POST /intake/facebook``) it reads the notifications Meta
sends for a Page (Graph API webhooks): Messenger messages (private, threaded
per customer) and comments and posts on the Page's feed (public). See
:func:`read_payload`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from openledger import hookimpl
from openledger.errors import SourceError
from openledger.intake.sourcekit import ExportFile, ExportFiles, Source, load_json
from openledger.records import MessageRecord, Rejected
from openledger.timeutil import parse_time

VERSION = "1.0"


def fix_mojibake(text: str) -> str:
    """Undo Facebook's encoding: Latin-1 code points that are really UTF-8 bytes."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text  # already real text (a code point above U+00FF, or not UTF-8 bytes)


def _fix(value):
    if isinstance(value, str):
        return fix_mojibake(value)
    if isinstance(value, list):
        return [_fix(v) for v in value]
    if isinstance(value, dict):
        return {fix_mojibake(k): _fix(v) for k, v in value.items()}
    return value


def load(file: Path | ExportFile):
    """Parse one export file (on disk or in the zip) and undo the mojibake of every string in it."""
    if isinstance(file, ExportFile):
        return _fix(load_json(file.where, file.read_bytes()))
    return _fix(load_json(file))


def _key(*parts) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]


class _Ids:
    """Stable ids: the same (time, text) twice in one file gets ``-2``, ``-3``..."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, base: str) -> str:
        count = self.seen[base] = self.seen.get(base, 0) + 1
        return base if count == 1 else f"{base}-{count}"


def _owner(files: ExportFiles, options: Mapping) -> str | None:
    if options.get("page_name"):
        return str(options["page_name"])
    for pattern, keys in (
        ("**/page_information.json", (("page", "name"), ("name",))),
        ("**/profile_information.json", (("profile_v2", "name", "full_name"), ("profile", "name", "full_name"))),
    ):
        for file in files.glob(pattern):
            data = load(file)
            for path in keys:
                value = data
                for key in path:
                    value = value.get(key) if isinstance(value, dict) else None
                if isinstance(value, str) and value:
                    return value
    return None


def _post_text(post: Mapping) -> str:
    texts = [d["post"] for d in post.get("data") or [] if isinstance(d, dict) and d.get("post")]
    if texts:
        return "\n".join(texts)
    for attachment in post.get("attachments") or []:
        for item in attachment.get("data") or []:
            media = item.get("media") or {}
            if media.get("description"):
                return media["description"]
            context = item.get("external_context") or {}
            if context.get("url"):
                return context.get("name", "") + " " + context["url"]
    return ""


def _posts(file: ExportFile, owner: str | None, where: str) -> Iterator[MessageRecord | Rejected]:
    unique = _Ids()
    data = load(file)
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list):
        raise SourceError("not a Facebook posts file (expected a list of posts)", path=file.where)
    for number, post in enumerate(data, start=1):
        location = f"{where}post {number}"
        if not isinstance(post, dict) or "timestamp" not in post:
            yield Rejected(location, "post without a timestamp", repr(post)[:2000])
            continue
        text = _post_text(post)
        if not text:
            continue  # a photo, check-in or "wrote on a timeline" line without any text
        yield MessageRecord(
            id=unique(f"post-{post['timestamp']}-{_key(file.basename, text)}"),
            channel="facebook",
            visibility="public",
            timestamp=parse_time(post["timestamp"]),
            text=text,
            author=owner,
            direction="out",
            subject=post.get("title"),
            location=location,
            meta={"kind": "post"},
        )


def _comments(file: ExportFile, owner: str | None, where: str) -> Iterator[MessageRecord | Rejected]:
    unique = _Ids()
    data = load(file)
    items = None
    if isinstance(data, dict):
        items = data.get("comments_v2", data.get("comments"))
    elif isinstance(data, list):
        items = data
    if not isinstance(items, list):
        raise SourceError("not a Facebook comments file (no 'comments' or 'comments_v2' list)", path=file.where)
    for number, item in enumerate(items, start=1):
        location = f"{where}comment {number}"
        comment = next(
            (d["comment"] for d in (item.get("data") or []) if isinstance(d, dict) and "comment" in d), None
        ) if isinstance(item, dict) else None
        if not isinstance(comment, dict) or not comment.get("comment"):
            yield Rejected(location, "comment without text", repr(item)[:2000])
            continue
        stamp = comment.get("timestamp", item.get("timestamp"))
        try:
            when = parse_time(stamp)
        except ValueError as error:
            yield Rejected(location, f"bad timestamp: {error}", repr(item)[:2000])
            continue
        author = comment.get("author") or owner
        yield MessageRecord(
            id=unique(f"comment-{stamp}-{_key(author, comment['comment'])}"),
            channel="facebook",
            visibility="public",
            timestamp=when,
            text=comment["comment"],
            author=author,
            direction="out" if author == owner else "in",
            subject=item.get("title"),
            location=location,
            meta={"kind": "comment"},
        )


def _message_text(message: Mapping) -> str:
    if message.get("content"):
        return message["content"]
    share = message.get("share") or {}
    if share.get("link"):
        return share["link"]
    for kind in ("photos", "videos", "gifs", "audio_files", "files"):
        if message.get(kind):
            return f"[{len(message[kind])} {kind.rstrip('s').replace('_file', '')}(s)]"
    if message.get("sticker"):
        return "[sticker]"
    return ""


def _thread(file: ExportFile, owner: str | None, where: str) -> Iterator[MessageRecord | Rejected]:
    unique = _Ids()
    data = load(file)
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise SourceError("not a Messenger thread file (no 'messages' list)", path=file.where)
    thread = data.get("thread_path") or f"inbox/{file.parent_name}"
    participants = [p.get("name") for p in data.get("participants") or [] if isinstance(p, dict)]
    for number, message in enumerate(data["messages"], start=1):
        location = f"{where}message {number}"
        if not isinstance(message, dict) or "timestamp_ms" not in message:
            yield Rejected(location, "message without timestamp_ms", repr(message)[:2000])
            continue
        if message.get("is_unsent") or message.get("type") in ("Subscribe", "Unsubscribe", "Call"):
            continue  # unsent messages and membership/call notices are not communication
        text = _message_text(message)
        sender = message.get("sender_name")
        yield MessageRecord(
            id=unique(f"msg-{thread}-{message['timestamp_ms']}-{_key(sender, text)}"),
            channel="facebook",
            visibility="private",
            timestamp=parse_time(message["timestamp_ms"]),
            text=text,
            author=sender,
            direction="out" if owner is not None and sender == owner else "in",
            thread=thread,
            subject=data.get("title"),
            location=location,
            meta={"kind": "message", "participants": len(participants), "type": message.get("type")},
        )


def read(path: Path, options: Mapping) -> Iterator[MessageRecord | Rejected]:
    """Read a Facebook export: its folder, the .zip Facebook delivers, or one of its JSON files."""
    with ExportFiles(path) as files:
        yield from _read_export(path, files, options)


def _read_export(path: Path, files: ExportFiles, options: Mapping) -> Iterator[MessageRecord | Rejected]:
    single = not path.is_dir() and not files.is_zip
    owner = _owner(files if not single else ExportFiles(path.parent), options)
    posts = files.glob("**/your_posts*.json")
    comments = [f for f in files.glob("**/comments*.json") if "messages" not in f.name.split("/")]
    threads = files.glob("**/messages/inbox/*/message_*.json")
    if single:
        threads = files.glob("message_*.json")
        if not (posts or comments or threads):
            raise SourceError("not a Facebook export file (your_posts*, comments*, message_*)", path=path)
    elif not (posts or comments or threads):
        raise SourceError(
            "not a Facebook export: no your_posts*.json, comments*.json or messages/inbox/*/message_*.json",
            path=path,
        )

    def where(file: ExportFile) -> str:
        return "" if single else f"{file.name}: "

    for file in posts:
        yield from _posts(file, owner, where(file))
    for file in comments:
        yield from _comments(file, owner, where(file))
    for group in _thread_files(threads):
        yield from _oldest_first(r for file in group for r in _thread(file, owner, where(file)))


def _thread_files(files: list[ExportFile]) -> list[list[ExportFile]]:
    """The thread files grouped by conversation folder (``message_1.json``, ``message_2.json``...)."""
    groups: dict[str, list[ExportFile]] = {}
    for file in files:
        groups.setdefault(file.name.rpartition("/")[0], []).append(file)
    return list(groups.values())


def _oldest_first(records: Iterable[MessageRecord | Rejected]) -> Iterator[MessageRecord | Rejected]:
    """A conversation's records in time order: Messenger writes a thread newest first, and
    ``message_2.json`` holds messages older than ``message_1.json``. Rejected records come first."""
    messages: list[MessageRecord] = []
    for record in records:
        if isinstance(record, MessageRecord):
            messages.append(record)
        else:
            yield record
    yield from sorted(messages, key=lambda r: r.timestamp)


# --- webhooks (Meta's Graph API webhooks for a Page: Messenger and the Page feed) ------------


def _messaging(page: str, event: Mapping, location: str) -> Iterator[MessageRecord | Rejected]:
    message = event.get("message")
    if not isinstance(message, Mapping):
        return  # deliveries, reads, reactions, postbacks: not messages
    try:
        mid = str(message["mid"])
        sender = str(event["sender"]["id"])
        recipient = str(event["recipient"]["id"])
        when = parse_time(event["timestamp"])
    except (KeyError, TypeError, ValueError) as error:
        yield Rejected(location, f"a Messenger message without mid, sender, recipient or timestamp: {error}",
                       json.dumps(event)[:2000])
        return
    echo = bool(message.get("is_echo")) or sender == page
    customer = recipient if echo else sender
    text = message.get("text")
    if not text:
        kinds = [str(a.get("type", "file")) for a in message.get("attachments") or [] if isinstance(a, Mapping)]
        text = f"[{', '.join(kinds)}]" if kinds else "[sticker]" if message.get("sticker_id") else ""
    reply: Mapping = message["reply_to"] if isinstance(message.get("reply_to"), Mapping) else {}
    yield MessageRecord(
        id=f"mid-{mid}",
        channel="facebook",
        visibility="private",
        timestamp=when,
        text=str(text),
        author=page if echo else sender,
        reply_to=f"mid-{reply['mid']}" if reply.get("mid") else None,
        direction="out" if echo else "in",
        thread=f"messenger-{page}-{customer}",
        identities=() if echo else (f"facebook-psid:{page}:{sender}",),
        location=location,
        meta={"kind": "message", "page": page},
    )


def _feed(page: str, value: Mapping, location: str) -> Iterator[MessageRecord | Rejected]:
    item, verb = value.get("item"), value.get("verb")
    if item not in ("comment", "post", "status") or verb != "add" or not value.get("message"):
        return  # likes, reactions, edits, removals and photo-only posts carry no new words
    # Graph API v3+ names the author in "from"; earlier versions in sender_id / sender_name
    sender = value.get("from") or {"id": value.get("sender_id"), "name": value.get("sender_name")}
    try:
        key = str(value["comment_id"] if item == "comment" else value["post_id"])
        when = parse_time(value["created_time"])
    except (KeyError, TypeError, ValueError) as error:
        yield Rejected(location, f"a feed change without its id or created_time: {error}", json.dumps(value)[:2000])
        return
    own = str(sender.get("id") or "") == page
    parent = value.get("parent_id") if item == "comment" else None
    yield MessageRecord(
        id=f"{item}-{key}",
        channel="facebook",
        visibility="public",
        timestamp=when,
        text=str(value["message"]),
        author=sender.get("name") or sender.get("id"),
        # a reply to a comment threads under it; a comment on a post starts its own case
        reply_to=f"comment-{parent}" if parent and parent != value.get("post_id") else None,
        direction="out" if own else "in",
        location=location,
        meta={"kind": item, "post": value.get("post_id")},
    )


def read_payload(body: bytes, options: Mapping, content_type: str) -> Iterator[MessageRecord | Rejected]:
    """A webhook notification for a Page: ``{"object": "page", "entry": [...]}``.

    ``entry[].messaging[]`` holds Messenger events (a message, or an echo of
    the Page's own reply); ``entry[].changes[]`` with ``field`` ``feed`` holds
    comments and posts on the Page. Other events carry no message.
    """
    data = load_json("payload", body)
    if not isinstance(data, dict) or data.get("object") != "page" or not isinstance(data.get("entry"), list):
        raise SourceError('not a Facebook Page webhook notification (expected {"object": "page", "entry": [...]})')
    for n, entry in enumerate(data["entry"], start=1):
        if not isinstance(entry, Mapping):
            yield Rejected(f"entry {n}", "not an object", repr(entry)[:2000])
            continue
        page = str(entry.get("id") or options.get("page_id") or "")
        for m, event in enumerate(entry.get("messaging") or [], start=1):
            if isinstance(event, Mapping):
                yield from _messaging(page, event, f"entry {n} messaging {m}")
        for m, change in enumerate(entry.get("changes") or [], start=1):
            value = change.get("value") if isinstance(change, Mapping) else None
            if isinstance(value, Mapping) and change.get("field") == "feed":
                yield from _feed(page, value, f"entry {n} change {m}")


SOURCE = Source(
    name="facebook",
    version=VERSION,
    description="Facebook export: posts and comments public, Messenger conversations private",
    channel="facebook",
    visibility=None,
    reader=read,
    payload_reader=read_payload,
)


@hookimpl
def register_sources(register, config):
    """Register the ``facebook`` source."""
    register(SOURCE)
