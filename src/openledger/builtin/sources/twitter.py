"""The ``twitter`` and ``twcs`` sources.

``twitter`` reads an X/Twitter "Download an archive of your data": the ``.zip``
X delivers (read in place, nothing extracted), its unzipped folder (the
archive root or its ``data/`` folder), or one of its ``.js`` files: the
account owner's tweets from ``data/tweets.js`` (current layout) or
``data/tweet.js`` (older layout), public; the direct messages from
``data/direct-messages.js``, private. Each data file is JavaScript: one JSON
array assigned to a global, ``window.YTD.tweets.part0 = [ ... ]``.
The archive owner (``account.js`` ``accountId``) is the company: its tweets
and DMs are ``out``, DMs from others are ``in``.

``twcs`` reads the "Customer Support on Twitter" CSV (tweet_id, author_id,
inbound, created_at, text, response_tweet_id, in_response_to_tweet_id):
``inbound`` True is the customer (``in``), replies thread through
``in_response_to_tweet_id``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from openledger import hookimpl, patterns
from openledger.errors import SourceError
from openledger.intake.sourcekit import (
    BARE_CR,
    ExportFile,
    ExportFiles,
    Source,
    csv_rows,
    is_zip,
    load_json,
    unescape,
)
from openledger.records import MessageRecord, Rejected
from openledger.timeutil import parse_time

VERSION = "1.0"

_WRAPPER = patterns.anchored(r"^\s*window\.(YTD\.[A-Za-z0-9_.]+|__THAR_CONFIG)\s*=\s*")
TWEET_FILES = ("tweets.js", "tweet.js")
DM_FILES = ("direct-messages.js", "direct-message.js", "direct-messages-group.js", "direct-message-group.js")


def load_js(path: Path | ExportFile) -> tuple[str, Any]:
    """Parse one archive data file (on disk or in the zip): ``window.YTD.NAME.partN = <JSON>``.

    Returns the global's name (``YTD.tweets.part0``) and the parsed value.
    A missing wrapper or broken JSON is a SourceError naming the file.
    """
    where: Path | str = path.where if isinstance(path, ExportFile) else path
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(f"not UTF-8 text (byte {error.start})", path=where) from None
    match = _WRAPPER.match(text)
    if match is None:
        hint = ""
        if text.lstrip("\ufeff").startswith("tweet_id,"):
            hint = "; this is the Customer Support on Twitter CSV: use 'openledger ingest twcs'"
        raise SourceError(
            f"not a Twitter archive data file (expected 'window.YTD.<name>.part0 = ['){hint}",
            path=where,
            location="line 1",
        )
    body = text[match.end():].rstrip().rstrip(";")
    return match.group(1), load_json(where, body)


def _data_folder(path: Path) -> Path:
    if (path / "data").is_dir():
        return path / "data"
    return path


def _owner(account: Path | ExportFile | None, manifest: Path | ExportFile | None) -> tuple[str | None, str | None]:
    """(accountId, username) of the archive owner, from account.js or manifest.js."""
    if account is not None:
        _, data = load_js(account)
        try:
            info = data[0]["account"]
            return str(info["accountId"]), info.get("username")
        except (IndexError, KeyError, TypeError):
            where = account.where if isinstance(account, ExportFile) else account
            raise SourceError("account.js has no account.accountId", path=where) from None
    if manifest is not None:
        _, data = load_js(manifest)
        user = data.get("userInfo", {}) if isinstance(data, dict) else {}
        if user.get("accountId"):
            return str(user["accountId"]), user.get("userName")
    return None, None


def _tweets(path: Path | ExportFile, owner_name: str | None) -> Iterator[MessageRecord | Rejected]:
    _, items = load_js(path)
    if not isinstance(items, list):
        raise SourceError("the tweets global is not a list", path=getattr(path, "where", path))
    for number, item in enumerate(items, start=1):
        location = f"tweet {number}"
        tweet = item.get("tweet", item) if isinstance(item, dict) else None
        if not isinstance(tweet, dict):
            yield Rejected(location, "not a tweet object", repr(item)[:2000])
            continue
        tweet_id = tweet.get("id_str") or tweet.get("id")
        if not tweet_id or "full_text" not in tweet and "text" not in tweet:
            yield Rejected(location, "tweet without id_str or full_text", repr(tweet)[:2000])
            continue
        try:
            when = parse_time(tweet.get("created_at"))
        except ValueError as error:
            yield Rejected(location, f"bad created_at: {error}", repr(tweet)[:2000])
            continue
        text = unescape(tweet["full_text"] if "full_text" in tweet else tweet.get("text", ""))
        mentions = [m.get("screen_name") for m in tweet.get("entities", {}).get("user_mentions", [])]
        meta = {
            "retweet": text.startswith("RT @"),
            "mentions": [m for m in mentions if m],
            "in_reply_to_screen_name": tweet.get("in_reply_to_screen_name"),
            "lang": tweet.get("lang"),
        }
        yield MessageRecord(
            id=str(tweet_id),
            channel="twitter",
            visibility="public",
            timestamp=when,
            text=text,
            author=owner_name,
            reply_to=tweet.get("in_reply_to_status_id_str") or None,
            direction="out",
            location=location,
            meta=meta,
        )


def _direct_messages(path: Path | ExportFile, owner_id: str | None) -> Iterator[MessageRecord | Rejected]:
    _, items = load_js(path)
    if not isinstance(items, list):
        raise SourceError("the direct_messages global is not a list", path=getattr(path, "where", path))
    number = 0
    for conversation_number, item in enumerate(items, start=1):
        conversation = item.get("dmConversation") if isinstance(item, dict) else None
        if not isinstance(conversation, dict):
            yield Rejected(f"conversation {conversation_number}", "not a dmConversation", repr(item)[:2000])
            continue
        conversation_id = str(conversation.get("conversationId", conversation_number))
        in_order: list[MessageRecord] = []  # the archive lists a conversation newest first
        for entry in conversation.get("messages", []):
            number += 1
            location = f"message {number}"
            message = entry.get("messageCreate") if isinstance(entry, dict) else None
            if not isinstance(message, dict):
                continue  # joinConversation, participantsJoin... events are not messages
            try:
                when = parse_time(message.get("createdAt"))
                sender = str(message["senderId"])
                message_id = str(message["id"])
            except (KeyError, ValueError) as error:
                yield Rejected(location, f"bad direct message: {error}", repr(message)[:2000])
                continue
            outgoing = owner_id is not None and sender == owner_id
            in_order.append(MessageRecord(
                id=f"dm-{message_id}",
                channel="twitter",
                visibility="private",
                timestamp=when,
                text=unescape(message.get("text", "")),
                author=sender,
                direction="out" if outgoing else "in",
                thread=f"dm-{conversation_id}",
                identities=() if outgoing else (f"twitter-id:{sender}",),
                location=location,
                meta={"recipient": message.get("recipientId"), "conversation": conversation_id},
            ))
        yield from sorted(in_order, key=lambda r: r.timestamp)


_TWEETS = patterns.anchored(r"^(tweets?|tweets-part\d+)\.js$")
_DMS = patterns.anchored(r"^direct-messages?(-group)?(-part\d+)?\.js$")


def read_archive(path: Path, options: Mapping) -> Iterator[MessageRecord | Rejected]:
    """Read a Twitter archive: the .zip X delivers, its unzipped folder or data/ folder, or one .js file."""
    if is_zip(path):
        with ExportFiles(path) as files:
            yield from _read_zip(path, files, options)
        return
    if path.is_file():
        folder, found = path.parent, [path]
    else:
        folder = _data_folder(path)
        found = [folder / n for n in TWEET_FILES + DM_FILES if (folder / n).is_file()]
        found += sorted(p for p in folder.glob("tweets-part*.js") if _TWEETS.match(p.name))
        if not found:
            raise SourceError(
                "not a Twitter archive: no data/tweets.js, data/tweet.js or data/direct-messages.js",
                path=path,
            )
    account, manifest = folder / "account.js", folder / "manifest.js"
    owner = _owner(account if account.is_file() else None, manifest if manifest.is_file() else None)
    yield from _read_data(found, owner, options)


def _read_zip(path: Path, files: ExportFiles, options: Mapping) -> Iterator[MessageRecord | Rejected]:
    """The zip X delivers, read in place: ``data/tweets.js`` and the others are matched by name only."""
    scripts = files.glob("**/*.js")  # tweets first, then direct messages, as from a folder
    found = [f for f in scripts if _TWEETS.match(f.basename)] + [f for f in scripts if _DMS.match(f.basename)]
    if not found:
        raise SourceError("not a Twitter archive: the zip holds no data/tweets.js, data/tweet.js or "
                          "data/direct-messages.js", path=path)
    owner = _owner(files.find("**/data/account.js", "**/account.js"), files.find("**/data/manifest.js",
                                                                                "**/manifest.js"))
    yield from _read_data(found, owner, options)


def _read_data(found: list, owner: tuple[str | None, str | None], options: Mapping
               ) -> Iterator[MessageRecord | Rejected]:
    owner_id = str(options.get("account_id") or owner[0] or "") or None
    for file in found:
        name = file.basename if isinstance(file, ExportFile) else file.name
        if _DMS.match(name):
            yield from _direct_messages(file, owner_id)
        else:
            yield from _tweets(file, owner[1])


def _tweet_id(value: str | None) -> str | None:
    """twcs writes in_response_to_tweet_id as a float ("3.0"): back to an id."""
    value = (value or "").strip()
    if not value:
        return None
    return value[:-2] if value.endswith(".0") else value


TWCS_COLUMNS = ("tweet_id", "author_id", "inbound", "created_at", "text", "in_response_to_tweet_id")


def read_twcs(path: Path, options: Mapping) -> Iterator[MessageRecord | Rejected]:
    """Read the Customer Support on Twitter CSV (twcs.csv), streaming."""
    encoding = str(options.get("encoding", "utf-8-sig"))
    for item in csv_rows(path, TWCS_COLUMNS, encoding=encoding, bare_cr=True):
        if isinstance(item, Rejected):
            yield item
            continue
        number, row = item
        location = f"row {number}"
        inbound = (row.get("inbound") or "").strip().lower()
        if None in row or inbound not in ("true", "false") or not row.get("tweet_id"):
            yield Rejected(location, "row does not have the twcs columns", repr(row)[:2000])
            continue
        try:
            when = parse_time(row["created_at"])
        except ValueError as error:
            yield Rejected(location, f"bad created_at: {error}", repr(row)[:2000])
            continue
        author = (row.get("author_id") or "").strip()
        customer = inbound == "true"
        text = unescape((row.get("text") or "").replace(BARE_CR, "\n"))
        yield MessageRecord(
            id=row["tweet_id"].strip(),
            channel="twitter",
            visibility="public",
            timestamp=when,
            text=text,
            author=author or None,
            reply_to=_tweet_id(row.get("in_response_to_tweet_id")),
            direction="in" if customer else "out",
            identities=(f"@{author}",) if customer and author else (),
            location=location,
            meta={"responses": [i for i in (row.get("response_tweet_id") or "").split(",") if i]},
        )


ARCHIVE = Source(
    name="twitter",
    version=VERSION,
    description="X/Twitter account archive: tweets public, direct messages private",
    channel="twitter",
    visibility=None,
    reader=read_archive,
)
TWCS = Source(
    name="twcs",
    version=VERSION,
    description="Customer Support on Twitter CSV (twcs.csv): customer tweets and brand replies",
    channel="twitter",
    visibility="public",
    reader=read_twcs,
)


@hookimpl
def register_sources(register, config):
    """Register the ``twitter`` archive and ``twcs`` CSV sources."""
    register(ARCHIVE)
    register(TWCS)
