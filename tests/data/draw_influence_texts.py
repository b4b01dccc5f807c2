"""Draw the real texts of the influence labelled sets (leverage, tone, moves_private, gag).

Run from the repository root once, before labelling:
``python tests/data/draw_influence_texts.py /work/shared/data LABEL > drawn.jsonl``
(LABEL one of leverage, tone, moves_private, gag). Deterministic (fixed seed):
it prints one JSON object a line with ``text``, ``channel``, ``source`` (the
file under the data folder and the record) and, for reviews, ``rating``. The
texts were then labelled by hand by docs/labelling-guide.md, and texts written
for the project were added where real ones are rare; labels are not drawn here.

Per label:

- ``moves_private``: 360 company replies of twcs (``inbound`` False) at random;
- ``gag``: 200 company replies of twcs at random, other than those drawn for
  ``moves_private`` (real gag requests are rare: the rest is written);
- ``leverage``: 120 CFPB narratives (at most 2,000 characters) and 60 customer
  tweets that name a possible lever (:data:`LEVER_WORDS`, broader than the
  classifier's rules, so that mere mentions are drawn too), 60 CFPB narratives,
  80 customer tweets and 40 reviews at random;
- ``tone``: 200 customer tweets (at least four words after handles and links)
  and 40 more with an exclamation mark or a word in capitals, 100 reviews
  (20 per star rating where there are that many) and 40 CFPB narratives;
- ``tone-more`` (the second draw, December 2026, for the trained tone model):
  360 customer tweets (at least four words after handles and links), 40
  reviews and 20 CFPB narratives (at most 1,000 characters) at random, then
  280 tweets and 20 narratives more, none of them a text already in the
  first 440 lines of ``labelled_tone.jsonl`` (pass a file of those lines as
  a third argument).
- ``tone-third`` (the third draw, December 2026, issue 21): 620 customer
  tweets (at least four words after handles and links), 40 reviews and 60
  CFPB narratives (at most 1,000 characters) at random, none of them a text
  already in any labelled set (pass every ``tests/data/labelled_*.jsonl`` as
  further arguments: ``... tone-third tests/data/labelled_*.jsonl``). The
  e-mail, Mastodon and Facebook files hold no customer texts (a mailing list,
  newsletters, spam, personal posts), so none were drawn from them.
- ``tone-fourth`` (the fourth draw, December 2026, issue 21): up to 400
  customer tweets (at least four words after handles and links; only 349
  were left) and 20 CFPB narratives
  (at most 1,000 characters) at random, none of them a text already in any
  labelled set (``... tone-fourth tests/data/labelled_*.jsonl``); no reviews,
  whose tone the star rating decides, not the trained model.
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

SEED = 20261221
LEVER_WORDS = re.compile(
    r"\b(lawyer|attorney|legal|court|sue|suing|lawsuit|solicitor|cfpb|bbb|bureau|regulator|ombudsman|"
    r"commission|general|news|media|press|journalist|social|facebook|twitter|review|public|viral|report)", re.I)
_HANDLE_OR_LINK = re.compile(r"@\w+|https?://\S+")


def fold(text: str) -> str:
    return " ".join(text.lower().split())


def twcs(data: Path, inbound: bool) -> list[dict]:
    path = data / "twcs" / "twcs_sample.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [{"text": r["text"], "channel": "twitter", "source": f"twcs/twcs_sample.csv tweet {r['tweet_id']}"}
                for r in csv.DictReader(handle) if r["text"] and (r["inbound"] == "True") == inbound]


def cfpb(data: Path) -> list[dict]:
    path = data / "cfpb" / "complaints_2015_2020_sample.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [{"text": r["Consumer complaint narrative"], "channel": "webform",
                 "source": f"cfpb/complaints_2015_2020_sample.csv complaint {r['Complaint ID']}"}
                for r in csv.DictReader(handle) if 0 < len(r["Consumer complaint narrative"] or "") <= 2000]


def reviews(data: Path) -> list[dict]:
    found = []
    with (data / "reviews" / "trustpilot_akcpetinsurance.csv").open(encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            if r["text"].strip() and r["rating"]:
                found.append({"text": r["text"], "channel": "review", "rating": float(r["rating"]),
                              "source": f"reviews/trustpilot_akcpetinsurance.csv review {r['id']}"})
    with (data / "reviews" / "trustpilot_moorebarlow.csv").open(encoding="utf-8", newline="") as handle:
        for number, r in enumerate(csv.DictReader(handle), start=2):
            if r["Review Text"].strip() and r["Rating"]:
                found.append({"text": r["Review Text"], "channel": "review", "rating": float(r["Rating"]),
                              "source": f"reviews/trustpilot_moorebarlow.csv line {number}"})
    return found


def _words(text: str) -> int:
    return len(_HANDLE_OR_LINK.sub(" ", text).split())


def draw(data: Path, label: str, exclude: set[str] | None = None) -> Iterator[dict]:
    rng = random.Random(f"{SEED}-{label}")
    seen: set[str] = set(exclude or ())

    def take(pool: list[dict], n: int, keep=lambda r: True) -> Iterator[dict]:
        pool = [r for r in pool if keep(r) and fold(r["text"]) not in seen]
        for row in rng.sample(pool, min(n, len(pool))):
            seen.add(fold(row["text"]))
            yield row

    if label in ("moves_private", "gag"):
        replies = twcs(data, inbound=False)
        first = list(take(replies, 360))
        if label == "moves_private":
            yield from first
        else:
            yield from take(replies, 200)
    elif label == "leverage":
        narratives, tweets = cfpb(data), twcs(data, inbound=True)
        yield from take(narratives, 120, lambda r: bool(LEVER_WORDS.search(r["text"])))
        yield from take(tweets, 60, lambda r: bool(LEVER_WORDS.search(_HANDLE_OR_LINK.sub(" ", r["text"]))))
        yield from take(narratives, 60)
        yield from take(tweets, 80, lambda r: _words(r["text"]) >= 4)
        yield from take(reviews(data), 40)
    elif label == "tone":
        tweets = [r for r in twcs(data, inbound=True) if _words(r["text"]) >= 4]
        yield from take(tweets, 200)
        yield from take(tweets, 40, lambda r: "!" in r["text"] or bool(re.search(r"\b[A-Z]{3,}\b", r["text"])))
        pool = reviews(data)
        for stars in (1.0, 2.0, 3.0, 4.0, 5.0):
            yield from take(pool, 20, lambda r, s=stars: r["rating"] == s)
        yield from take(cfpb(data), 40)
    elif label == "tone-more":
        yield from take(twcs(data, inbound=True), 360, lambda r: _words(r["text"]) >= 4)
        yield from take(reviews(data), 40)
        yield from take(cfpb(data), 20, lambda r: len(r["text"]) <= 1000)
        # the second half of the draw, labelled after the first: 280 tweets and 20 narratives more
        yield from take(twcs(data, inbound=True), 280, lambda r: _words(r["text"]) >= 4)
        yield from take(cfpb(data), 20, lambda r: len(r["text"]) <= 1000)
    elif label == "tone-third":
        yield from take(twcs(data, inbound=True), 620, lambda r: _words(r["text"]) >= 4)
        yield from take(reviews(data), 40)
        yield from take(cfpb(data), 60, lambda r: len(r["text"]) <= 1000)
    elif label == "tone-fourth":
        yield from take(twcs(data, inbound=True), 400, lambda r: _words(r["text"]) >= 4)
        yield from take(cfpb(data), 20, lambda r: len(r["text"]) <= 1000)
    else:
        raise SystemExit(f"unknown label {label!r}: leverage, tone, tone-more, tone-third, tone-fourth,"
                         " moves_private or gag")


def main(argv: list[str]) -> None:
    data, label = Path(argv[0]), argv[1]
    exclude = set()
    for name in argv[2:]:  # files of texts not to draw again
        exclude |= {fold(json.loads(line)["text"]) for line in Path(name).read_text(encoding="utf-8").splitlines()
                    if line.strip()}
    for row in draw(data, label, exclude):
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
