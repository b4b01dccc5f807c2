"""Plugins with one mistake each, as plugin authors make them (issue 17), and what they share.

Each module of this package is a plugin (a module with ``openledger.hookimpl``
functions) that gets exactly one thing wrong; its docstring says what.
:func:`install` declares modules as installed distributions (a ``.dist-info``
folder with an ``openledger`` entry point on ``sys.path``, which
``importlib.metadata`` reads as it reads pip's), so that the messages name a
distribution and an entry point as they do for a real plugin;
``openledger.testing.plugin_manager`` then loads only the plugins a test names.

The good parts are here: :class:`PostSource` reads a forum's JSON Lines export
(one post a line: ``id``, ``at``, ``author``, ``text``, ``parent``), written
by :func:`write_posts`.
"""

from __future__ import annotations

import json
from pathlib import Path

from openledger.records import MessageRecord
from openledger.timeutil import parse_time

#: modules of this package imported so far (an import with a side effect can be seen)
IMPORTED: list[str] = []

POSTS = (
    {"id": "p1", "at": "2026-03-02T09:00:00Z", "author": "jo_customer", "text": "My meter was read wrongly."},
    {"id": "p2", "at": "2026-03-02T10:00:00Z", "author": "sam", "text": "Charged twice for March.",
     "parent": None},
    {"id": "p3", "at": "2026-03-02T11:30:00Z", "author": "jo_customer", "text": "Still wrong today.",
     "parent": "p1"},
)


def write_posts(path: Path) -> Path:
    """The forum export of :data:`POSTS` (three posts, two threads) at ``path``."""
    path.write_text("".join(json.dumps(post) + "\n" for post in POSTS), encoding="utf-8")
    return path


class PostSource:
    """A correct source: the forum's posts, public, channel ``forum``."""

    version = "0.1"
    description = "forum posts (JSON Lines)"
    visibility = "public"

    def __init__(self, name: str = "forum", channel: str = "forum"):
        self.name = name
        self.channel = channel

    def record(self, post: dict, location: str) -> MessageRecord:
        return MessageRecord(id=post["id"], channel=self.channel, visibility="public",
                             timestamp=parse_time(post["at"], strict=True), text=post["text"],
                             author=post["author"], reply_to=post.get("parent"),
                             identities=(f"@{post['author']}",), location=location)

    def read(self, path: Path, options):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            yield self.record(json.loads(line), f"post {number}")


def install(root: Path, entry_point: str, target: str, distribution: str | None = None,
            version: str = "0.1") -> str:
    """Declare ``broken_plugins.TARGET`` (``module`` or ``module:attribute``) installed as
    ``DISTRIBUTION VERSION`` (default ``openledger-ENTRY_POINT 0.1``) with entry point ``ENTRY_POINT``.

    ``root`` must be on ``sys.path``. Returns the entry-point name.
    """
    distribution = distribution or f"openledger-{entry_point}"
    info = root / f"{distribution.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n")
    (info / "entry_points.txt").write_text(f"[openledger]\n{entry_point} = broken_plugins.{target}\n")
    return entry_point
