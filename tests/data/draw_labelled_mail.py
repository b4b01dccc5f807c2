"""Draw the real texts of ``labelled_real_mail.jsonl`` (issue 20: spam and social texts).

Run from the repository root once, before labelling:
``python tests/data/draw_labelled_mail.py /work/shared/data > drawn.jsonl``.
Deterministic (fixed seed), same output format and same readers as
``draw_labelled_texts.py`` (whose pools it reuses); texts already in any other
``labelled_*.jsonl`` file are skipped, as are duplicates (by folded text).

Every e-mail of the shared data (the mailing-list archive and the five .eml
files) and every Zendesk text is already labelled, so none is left to draw.
The draw leans towards what the earlier sets lack, personal and social texts
that are spam by the guide, and keeps customer texts so the set stays balanced:

- personal and social: 70 stretches of six consecutive messages of the
  Messenger group chat, 60 Facebook posts with text (56 once repeats among them, such as
  the same birthday wish, are dropped), 60 Mastodon notes and
  40 tweets of the two Twitter archives that are not retweets;
- customers: 60 customer tweets of ``twcs`` (at least four words after handles
  and links), 15 CFPB narratives of at most 2,000 characters, 15 AKC pet
  insurance reviews.

Every text is cut to the 10,000 characters the classifiers see (MAX_TEXT in
openledger.cases.classify).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import draw_labelled_texts as base

HERE = Path(__file__).parent
SEED = 20261205
OUTPUT = "labelled_real_mail.jsonl"
MAX_TEXT = 10_000


def seen_texts() -> set[str]:
    seen = set()
    for path in HERE.glob("labelled_*.jsonl"):
        if path.name == OUTPUT:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen.add(base.fold(json.loads(line)["text"]))
    return seen


def draw(data: Path) -> list[dict]:
    drawer = base.Drawer()
    drawer.rng.seed(SEED)
    drawer.seen = seen_texts()
    pools = base.personal(data)
    drawer.take(base.group_chat(data), 70)
    drawer.take(pools["facebook"], 60)
    drawer.take(pools["mastodon"], 60)
    drawer.take(pools["twitter"], 40)
    drawer.take(base.twcs(data), 60)
    drawer.take(base.cfpb(data), 15)
    drawer.take(base.akc(data), 15)
    for row in drawer.out:
        row.pop("rating", None)
        row["text"] = row["text"][:MAX_TEXT]
    return drawer.out


def main(argv: list[str]) -> None:
    data = Path(argv[0] if argv else HERE.parents[2] / "shared/data")
    for row in draw(data):
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
