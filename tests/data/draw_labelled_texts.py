"""Draw the real texts of ``labelled_real_more.jsonl`` from the shared real data.

Run from the repository root once, before labelling:
``python tests/data/draw_labelled_texts.py /work/shared/data > drawn.jsonl``.
Deterministic (fixed seed): it prints one JSON object a line with ``text``
(and ``subject``), ``channel`` and ``source`` (the file under the data folder
and the record), in the order drawn. The texts were then labelled by hand
by docs/labelling-guide.md; labels are not drawn here.

The texts are read by the project's own source plugins, so they are what
``openledger process`` would classify (an e-mail's decoded body and subject,
a Mastodon note without its HTML). Texts already in a ``labelled_*.jsonl``
file are skipped, as are duplicates (by folded text). Per source:

- ``twcs``: customer tweets (``inbound``) with at least four words after
  handles and links are removed: 500 at random, then extra draws of 50 with a
  question mark, 40 with praise or thanks, 30 with a suggestion word and 30
  with letters outside ASCII;
- ``cfpb``: 300 consumer narratives of at most 2,000 characters;
- ``reviews``: 130 AKC pet insurance reviews at random, then 100 among those
  with three stars or fewer or a suggestion word; every remaining distinct
  Moore Barlow review;
- ``email``: every message of the mailing-list archive and the five .eml files;
- ``zendesk``: every distinct ticket description and comment;
- personal and social: 30 stretches of six consecutive messages of the
  Messenger group chat (joined as ``process`` joins a case's messages), 40
  Facebook posts with text, 40 tweets of the two Twitter archives that are not
  retweets, 40 Mastodon notes and every direct message.
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).parent
SEED = 20261220
_HANDLE_OR_LINK = re.compile(r"@\w+|https?://\S+")
_PRAISE = re.compile(r"\b(thank|thanks|great|love|awesome|amazing|best|excellent|appreciate)", re.I)
_SUGGEST = re.compile(r"\b(wish|would be (nice|great|good)|should (add|have|make|offer|consider)|suggest|"
                      r"please (add|bring|make)|why not|feature|idea|improve)", re.I)


def fold(text: str) -> str:
    return " ".join(text.lower().split())


def seen_texts() -> set[str]:
    seen = set()
    for path in HERE.glob("labelled_*.jsonl"):
        if path.name == "labelled_real_more.jsonl":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen.add(fold(json.loads(line)["text"]))
    return seen


def records(source, path: Path, options: dict | None = None) -> Iterator:
    from openledger.records import MessageRecord

    for record in source.read(path, options or {}):
        if isinstance(record, MessageRecord) and record.text and record.text.strip():
            yield record


class Drawer:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.seen = seen_texts()
        self.out: list[dict] = []

    def take(self, pool: list[dict], count: int, where=lambda row: True) -> None:
        candidates = [row for row in pool if where(row) and fold(row["text"]) not in self.seen]
        self.rng.shuffle(candidates)
        for row in candidates[:count]:
            if fold(row["text"]) not in self.seen:  # the same text twice in one pool
                self.seen.add(fold(row["text"]))
                self.out.append(row)


def twcs(data: Path) -> list[dict]:
    rows = []
    with (data / "twcs/twcs_sample.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            words = _HANDLE_OR_LINK.sub(" ", row["text"] or "").split()
            if row["inbound"] == "True" and len(words) >= 4:
                rows.append({"text": row["text"], "channel": "twitter",
                             "source": f"twcs/twcs_sample.csv tweet_id {row['tweet_id']}"})
    return rows


def cfpb(data: Path) -> list[dict]:
    rows = []
    with (data / "cfpb/complaints_2015_2020_sample.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = row["Consumer complaint narrative"].strip()
            if text and len(text) <= 2000:
                rows.append({"text": text, "channel": "webform",
                             "source": f"cfpb/complaints_2015_2020_sample.csv Complaint ID {row['Complaint ID']}"})
    return rows


def akc(data: Path) -> list[dict]:
    rows = []
    with (data / "reviews/trustpilot_akcpetinsurance.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["text"].strip():
                rows.append({"text": row["text"].strip(), "channel": "review", "rating": int(row["rating"]),
                             "source": f"reviews/trustpilot_akcpetinsurance.csv id {row['id']}"})
    return rows


def moorebarlow(data: Path) -> list[dict]:
    rows = []
    with (data / "reviews/trustpilot_moorebarlow.csv").open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if (row["Review Text"] or "").strip():
                rows.append({"text": row["Review Text"].strip(), "channel": "review",
                             "source": f"reviews/trustpilot_moorebarlow.csv line {number}"})
    return rows


def emails(data: Path) -> list[dict]:
    from openledger.builtin.sources.email import SOURCE

    rows = []
    for path in [data / "email/mbox/clearwater-2018-January.txt", *sorted((data / "email/eml").glob("*.eml"))]:
        for record in records(SOURCE, path):
            rows.append({"text": record.text.strip(), "subject": record.subject, "channel": "email",
                         "source": f"{path.relative_to(data)} {record.location or record.id}"})
    return rows


def zendesk(data: Path) -> list[dict]:
    from openledger.builtin.sources.zendesk import SOURCE

    rows, texts = [], set()
    for path in sorted((data / "zendesk").glob("*.json")):
        for record in records(SOURCE, path):
            if fold(record.text) not in texts:
                texts.add(fold(record.text))
                rows.append({"text": record.text.strip(), "subject": record.subject, "channel": "webform",
                             "source": f"zendesk/{path.name} {record.location or record.id}"})
    return rows


def group_chat(data: Path) -> list[dict]:
    from openledger.builtin.sources.facebook import SOURCE

    folder = data / "facebook-export/wordle-group-2022/messages/inbox/wordlescores_9qotabreig"
    messages = sorted(records(SOURCE, folder / "message_1.json"), key=lambda r: r.timestamp)
    rows = []
    for start in range(0, len(messages) - 6, 6):
        stretch = messages[start:start + 6]
        rows.append({"text": "\n\n".join(m.text for m in stretch), "channel": "facebook",
                     "source": f"facebook-export/wordle-group-2022 messages {stretch[0].location} "
                               f"to {stretch[-1].location}"})
    return rows


def personal(data: Path) -> dict[str, list[dict]]:
    from openledger_mastodon import SOURCE as MASTODON

    from openledger.builtin.sources.facebook import SOURCE as FACEBOOK
    from openledger.builtin.sources.twitter import ARCHIVE as TWITTER

    pools: dict[str, list[dict]] = {"facebook": [], "twitter": [], "mastodon": [], "dm": []}
    posts = data / "facebook-export/kunleiky-2020/posts/your_posts_1.json"
    for record in records(FACEBOOK, posts):
        pools["facebook"].append({"text": record.text.strip(), "channel": "facebook",
                                  "source": f"facebook-export/kunleiky-2020/posts/your_posts_1.json "
                                            f"{record.location}"})
    for archive in sorted((data / "twitter-archive").iterdir()):
        for path in sorted((archive / "data").glob("tweet*.js")):
            for record in records(TWITTER, path):
                if not record.text.startswith("RT @"):
                    pools["twitter"].append({"text": record.text.strip(), "channel": "twitter",
                                             "source": f"{path.relative_to(data)} {record.location}"})
        dms = archive / "data/direct-messages.js"
        if dms.is_file():
            for record in records(TWITTER, dms):
                pools["dm"].append({"text": record.text.strip(), "channel": "twitter",
                                    "source": f"{dms.relative_to(data)} {record.location}"})
    for path in sorted((data / "mastodon").glob("*/outbox.json")):
        for record in records(MASTODON, path):
            pools["mastodon"].append({"text": record.text.strip(), "channel": "mastodon",
                                      "source": f"{path.relative_to(data)} {record.location}"})
    return pools


def draw(data: Path) -> list[dict]:
    drawer = Drawer()
    tweets = twcs(data)
    drawer.take(tweets, 500)
    drawer.take(tweets, 50, lambda r: "?" in r["text"])
    drawer.take(tweets, 40, lambda r: bool(_PRAISE.search(r["text"])))
    drawer.take(tweets, 30, lambda r: bool(_SUGGEST.search(r["text"])))
    drawer.take(tweets, 30, lambda r: any(ord(c) > 127 and c.isalpha() for c in r["text"]))
    drawer.take(cfpb(data), 300)
    reviews = akc(data)
    drawer.take(reviews, 130)
    drawer.take(reviews, 100, lambda r: r["rating"] <= 3 or bool(_SUGGEST.search(r["text"])))
    drawer.take(moorebarlow(data), 10_000)
    drawer.take(emails(data), 10_000)
    drawer.take(zendesk(data), 10_000)
    drawer.take(group_chat(data), 30)
    pools = personal(data)
    for name, count in (("facebook", 40), ("twitter", 40), ("mastodon", 40), ("dm", 10_000)):
        drawer.take(pools[name], count)
    for row in drawer.out:
        row.pop("rating", None)
    return drawer.out


def main(argv: list[str]) -> None:
    data = Path(argv[0] if argv else HERE.parents[2] / "shared/data")
    for row in draw(data):
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
