"""The ``facebook`` source: a Facebook "Download your information" JSON export.

Reads, anywhere under the export folder (so the 2020 layout, the newer
``your_facebook_activity/`` layout and a Page export all work):

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
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from openledger import hookimpl
from openledger.errors import SourceError
from openledger.intake.sourcekit import Source, load_json
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


def load(path: Path):
    """Parse one export file and undo the mojibake of every string in it."""
    return _fix(load_json(path))


def _key(*parts) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]


class _Ids:
    """Stable ids: the same (time, text) twice in one file gets ``-2``, ``-3``..."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, base: str) -> str:
        count = self.seen[base] = self.seen.get(base, 0) + 1
        return base if count == 1 else f"{base}-{count}"


def _owner(root: Path, options: Mapping) -> str | None:
    if options.get("page_name"):
        return str(options["page_name"])
    for pattern, keys in (
        ("**/page_information.json", (("page", "name"), ("name",))),
        ("**/profile_information.json", (("profile_v2", "name", "full_name"), ("profile", "name", "full_name"))),
    ):
        for file in sorted(root.glob(pattern)):
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


def _posts(file: Path, owner: str | None, where: str) -> Iterator[MessageRecord | Rejected]:
    unique = _Ids()
    data = load(file)
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list):
        raise SourceError("not a Facebook posts file (expected a list of posts)", path=file)
    for number, post in enumerate(data, start=1):
        location = f"{where}post {number}"
        if not isinstance(post, dict) or "timestamp" not in post:
            yield Rejected(location, "post without a timestamp", repr(post)[:2000])
            continue
        text = _post_text(post)
        if not text:
            continue  # a photo, check-in or "wrote on a timeline" line without any text
        yield MessageRecord(
            id=unique(f"post-{post['timestamp']}-{_key(file.name, text)}"),
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


def _comments(file: Path, owner: str | None, where: str) -> Iterator[MessageRecord | Rejected]:
    unique = _Ids()
    data = load(file)
    items = None
    if isinstance(data, dict):
        items = data.get("comments_v2", data.get("comments"))
    elif isinstance(data, list):
        items = data
    if not isinstance(items, list):
        raise SourceError("not a Facebook comments file (no 'comments' or 'comments_v2' list)", path=file)
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


def _thread(file: Path, owner: str | None, where: str) -> Iterator[MessageRecord | Rejected]:
    unique = _Ids()
    data = load(file)
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise SourceError("not a Messenger thread file (no 'messages' list)", path=file)
    thread = data.get("thread_path") or f"inbox/{file.parent.name}"
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
    """Read a Facebook export folder (or one of its JSON files)."""
    root = path if path.is_dir() else path.parent
    owner = _owner(root, options)
    if path.is_file():
        posts = [path] if path.name.startswith("your_posts") else []
        comments = [path] if path.name.startswith("comments") else []
        threads = [path] if path.name.startswith("message_") else []
        if not (posts or comments or threads):
            raise SourceError("not a Facebook export file (your_posts*, comments*, message_*)", path=path)
    else:
        posts = sorted(path.glob("**/your_posts*.json"))
        comments = sorted(p for p in path.glob("**/comments*.json") if "messages" not in p.parts)
        threads = sorted(path.glob("**/messages/inbox/*/message_*.json"))
        if not (posts or comments or threads):
            raise SourceError(
                "not a Facebook export: no your_posts*.json, comments*.json or messages/inbox/*/message_*.json",
                path=path,
            )

    def where(file: Path) -> str:
        return f"{file.relative_to(root)}: " if path.is_dir() else ""

    for file in posts:
        yield from _posts(file, owner, where(file))
    for file in comments:
        yield from _comments(file, owner, where(file))
    for file in threads:
        yield from _thread(file, owner, where(file))


SOURCE = Source(
    name="facebook",
    version=VERSION,
    description="Facebook export: posts and comments public, Messenger conversations private",
    channel="facebook",
    visibility=None,
    reader=read,
)


@hookimpl
def register_sources(register, config):
    """Register the ``facebook`` source."""
    register(SOURCE)
