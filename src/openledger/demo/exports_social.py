"""Social media exports: the X/Twitter account archive, a Customer Support
on Twitter CSV of public mentions, and a Facebook Page export.

An account archive holds only the owner's tweets and its direct messages,
so the public mentions customers write come as a twcs-format CSV (what a
listening tool exports); the archive holds the company's own announcements
and the DMs customers sent. Facebook writes strings as mojibake (UTF-8
bytes as Latin-1 code points), and so does this writer.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openledger.demo.company import HANDLE, NAME, TWITTER_ACCOUNT_ID
from openledger.demo.people import ascii_fold
from openledger.demo.plan import DemoCase, Plan

TWEET_BASE = 1_650_000_000_000_000_000
DM_BASE = 1_700_000_000_000_000_000


def twitter_time(when: datetime) -> str:
    """Twitter's date form: ``Fri Mar 06 13:02:05 +0000 2026``."""
    return when.astimezone(UTC).strftime("%a %b %d %H:%M:%S +0000 %Y")


def _js(path: Path, name: str, value) -> None:
    path.write_text(
        f"window.YTD.{name}.part0 = " + json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def tweet_id(case: DemoCase, follow_up: bool = False) -> str:
    return str(TWEET_BASE + case.number * 1000 + (1 if follow_up else 0))


def write_twcs(plan: Plan, path: Path) -> int:
    """Customers' public mentions of the company, twcs columns."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for case in plan.by_export("twcs"):
        first = tweet_id(case)
        rows.append(
            (case.opened, [first, case.person.handle, "True", twitter_time(case.opened), case.message.text, "", ""])
        )
        if case.follow_up:
            when, text = case.follow_up
            rows.append(
                (when, [tweet_id(case, True), case.person.handle, "True", twitter_time(when), text, "", f"{first}.0"])
            )
    rows.sort(key=lambda r: r[0])
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id", "in_response_to_tweet_id"]
        )
        writer.writerows(row for _, row in rows)
    return len(rows)


def announcements(plan: Plan) -> list[tuple[datetime, str]]:
    """The company's own posts: outage notices and a few promotions."""
    posts = []
    for day in plan.outages:
        start = datetime(day.year, day.month, day.day, 15, 5, tzinfo=UTC)
        posts.append((start, ("We're aware of a network issue affecting calls and data in parts of the East region. "
                             "Engineers are on it, updates to follow.")))
        posts.append((start + timedelta(hours=20),
                      ("Service has been restored in all affected areas. If you still have "
                       "trouble, restart your device or DM us. Affected customers will get a bill credit.")))
    for month in range(1, 13, 3):
        day = plan.until - timedelta(days=30 * month)
        posts.append((datetime(day.year, day.month, day.day, 14, 0, tzinfo=UTC),
                      "Switch to Home Fiber 500 this month and get your first two months free. Terms apply."))
    return sorted(posts)


def write_twitter_archive(plan: Plan, folder: Path) -> int:
    """``data/account.js``, ``data/tweets.js`` and ``data/direct-messages.js``."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    _js(data / "account.js", "account", [{"account": {
        "email": f"social@{NAME.lower().replace(' ', '-')}.example", "createdVia": "web", "username": HANDLE,
        "accountId": TWITTER_ACCOUNT_ID, "createdAt": "2014-03-02T10:00:00.000Z",
        "accountDisplayName": f"{NAME} Help"}}])
    tweets = []
    for number, (when, text) in enumerate(announcements(plan), start=1):
        tid = str(TWEET_BASE - number)
        tweets.append({"tweet": {
            "retweeted": False, "source": "<a href=\"https://sproutsocial.com\" rel=\"nofollow\">Sprout Social</a>",
            "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []},
            "display_text_range": ["0", str(len(text))], "favorite_count": "3", "id_str": tid, "truncated": False,
            "retweet_count": "1", "id": tid, "created_at": twitter_time(when), "favorited": False,
            "full_text": text.replace("&", "&amp;"), "lang": "en"}})
    conversations = []
    for case in plan.by_export("twitter"):
        messages = [(case.opened, case.message.text, 0)]
        if case.follow_up:
            messages.append((case.follow_up[0], case.follow_up[1], 1))
        created = [{"messageCreate": {
            "recipientId": TWITTER_ACCOUNT_ID, "reactions": [], "urls": [], "text": text, "mediaUrls": [],
            "senderId": case.person.twitter_id, "id": str(DM_BASE + case.number * 10 + offset),
            "createdAt": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"), "editHistory": []}}
            for when, text, offset in reversed(messages)]  # newest first, as the archive writes them
        conversations.append({"dmConversation": {"conversationId": f"{TWITTER_ACCOUNT_ID}-{case.person.twitter_id}",
                                                 "messages": created}})
    _js(data / "tweets.js", "tweets", tweets)
    _js(data / "direct-messages.js", "direct_messages", conversations)
    return len(tweets) + sum(len(c["dmConversation"]["messages"]) for c in conversations)


def mojibake(value):
    """Facebook's encoding: every string's UTF-8 bytes as Latin-1 code points."""
    if isinstance(value, str):
        return value.encode("utf-8").decode("latin-1")
    if isinstance(value, list):
        return [mojibake(v) for v in value]
    if isinstance(value, dict):
        return {k: mojibake(v) for k, v in value.items()}
    return value


def _write_fb(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(mojibake(value), indent=2), encoding="ascii")


def write_facebook(plan: Plan, folder: Path) -> int:
    """A Page export: page information, posts, comments on the posts, the Messenger inbox."""
    _write_fb(folder / "page_information" / "page_information.json",
              {"page": {"name": NAME, "category": "Telecommunication Company"}})
    posts = [{"timestamp": int(when.timestamp()), "data": [{"post": text}], "title": f"{NAME} updated their status."}
             for when, text in announcements(plan)]
    _write_fb(folder / "posts" / "your_posts_1.json", posts)
    comments = [{"timestamp": int(c.opened.timestamp()),
                 "data": [{"comment": {"timestamp": int(c.opened.timestamp()), "comment": c.message.text,
                                       "author": c.person.name}}],
                 "title": f"{c.person.name} commented on {NAME}'s post."}
                for c in plan.by_export("facebook") if c.channel.key == "facebook"]
    _write_fb(folder / "comments_and_reactions" / "comments.json", {"comments_v2": comments})
    count = len(posts) + len(comments)
    for case in plan.by_export("facebook"):
        if case.channel.key != "messenger":
            continue
        slug = re.sub(r"[^a-z]", "", ascii_fold(case.person.name)) + f"_{case.number:06d}"
        messages = [(case.opened, case.message.text)] + ([case.follow_up] if case.follow_up else [])
        thread = {
            "participants": [{"name": case.person.name}, {"name": NAME}],
            "messages": [{"sender_name": case.person.name, "timestamp_ms": int(when.timestamp()) * 1000,
                          "content": text, "type": "Generic", "is_unsent": False}
                         for when, text in reversed(messages)],
            "title": case.person.name, "is_still_participant": True, "thread_type": "Regular",
            "thread_path": f"inbox/{slug}",
        }
        _write_fb(folder / "messages" / "inbox" / slug / "message_1.json", thread)
        count += len(messages)
    return count
