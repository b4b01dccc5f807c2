"""A reply is classified as ``respond`` sends it (:mod:`openledger.cases.replies`): its
``moves_private`` and ``gag`` labels reach the published table and the list of gag requests."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from openledger import hookimpl, plugins
from openledger.cases.gag import published_sentences
from openledger.instance import Instance
from openledger.site.derive import with_sentences
from openledger.site.gather import published_derivation
from openledger.testing import PUBLISH_AT_ONCE, make_instance

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
GAG = "We will refund you if you delete your review."
COMPLAINTS = (  # (channel, visibility, author, text)
    ("twitter", "public", "@wanda_o", "@acme my blender broke after a week"),
    ("email", "private", "pat.lee@example.net", "The kettle leaks and I gave it one star in my review."),
    ("review", "public", "Sam R.", "The toaster burns everything. One star."),
    ("email", "private", "jo.kim@example.org", "My order arrived late and the box was crushed."),
)


def _instance(tmp_path):
    inst = make_instance(tmp_path / "home", site=PUBLISH_AT_ONCE)
    records = [{"id": f"c{n}", "channel": channel, "visibility": visibility, "direction": "in", "author": author,
                "timestamp": (START + timedelta(days=n)).isoformat(), "text": text}
               for n, (channel, visibility, author, text) in enumerate(COMPLAINTS)]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    inst.run("ingest", "jsonl", str(path))
    inst.run("process")
    return inst


def _classified(inst) -> list[tuple[int, dict, dict | None]]:
    engine = sa.create_engine(inst.db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("select case_id, data, private from events where type = 'classified' "
                                    "and actor = 'respond' order by id")).all()
    engine.dispose()
    return [(c, d if isinstance(d, dict) else json.loads(d), p if isinstance(p, dict) or p is None else json.loads(p))
            for c, d, p in rows]


def test_replies_are_labelled_as_they_go_out_and_published(tmp_path):
    inst = _instance(tmp_path)
    said = inst.run("respond", "1", "--text", "So sorry! Please DM us your order number and we'll sort it out.",
                    "--reason", "short public reply").stdout
    assert "moves_private yes" in said and "gag no" in said
    inst.run("respond", "2", "--text", f"Sorry about the kettle. {GAG}", "--reason", "refund offer")
    inst.run("respond", "3", "--text", f"Sorry about the toaster. {GAG}", "--reason", "refund offer")
    inst.run("respond", "4", "--text", "Sorry about the box; a new kettle is on its way.", "--reason", "replaced")
    inst.run("respond", "4", "--text", "It should arrive on Friday.", "--reason", "update")  # nothing new
    events = _classified(inst)
    assert [case for case, _, _ in events] == [1, 2, 3, 4]  # the second ordinary reply records nothing
    for _, data, _ in events:
        assert set(data) <= {"labels", "deciders", "gag"} and set(data["labels"]) == {"moves_private", "gag"}
    assert events[3][1]["labels"]["gag"]["value"] == "no" and events[3][1]["labels"]["moves_private"]["value"] == "no"
    assert events[1][2]["detail"]["gag"]["sentence"] == GAG

    site = tmp_path / "site"
    inst.run("build", "--out", str(site))
    assert inst.run("verify", str(site)).stdout.startswith("ok:")
    derived, listed = _published(inst)
    gags = {g.channel: g for g in listed}
    assert len(listed) == 2
    assert gags["email"].sentence == GAG and gags["email"].withheld == ""
    assert gags["review"].sentence is None and gags["review"].withheld == "public-reply"
    with (site / "data" / "outcomes.csv").open() as f:
        moved = {row["channel"]: row["moved_private"] for row in csv.DictReader(f)}
    assert moved["twitter"] == "yes" and moved["review"] == "no"
    assert len(derived.table["severity"]) == 4  # a reply's labels leave spam, category and severity alone


def test_a_private_reply_on_another_channel_publishes_its_sentence_and_a_later_move_stays(tmp_path):
    inst = _instance(tmp_path)
    inst.run("respond", "1", "--text", "Please DM us so we can help.", "--reason", "short")
    inst.run("respond", "1", "--text", "Thanks, all sorted now.", "--reason", "done")
    inst.run("respond", "3", "--channel", "email", "--text", f"Hello Sam. {GAG}", "--reason", "refund offer")
    site = tmp_path / "site"
    inst.run("build", "--out", str(site))
    _, listed = _published(inst)
    assert [(g.channel, g.sentence) for g in listed] == [("review", GAG)]
    with (site / "data" / "outcomes.csv").open() as f:
        moved = {row["channel"]: row["moved_private"] for row in csv.DictReader(f)}
    assert moved["twitter"] == "yes"


def _published(inst):
    """What the log publishes, and its gag requests with the sentences the site shows beside it."""
    instance = Instance(inst.home, db=inst.db_url)
    derived = published_derivation(instance)
    with instance.store.engine.connect() as conn:
        return derived, with_sentences(derived.gags, published_sentences(conn))


class Broken:
    """A gag classifier with a bug."""

    name, version, label, values = "broken-gag", "1", "gag", ("yes", "no")

    def classify(self, item):
        raise ValueError("no replies today")


class BrokenPlugin:
    @hookimpl
    def register_classifiers(self, register, config):
        register(Broken())


def test_a_reply_classifier_that_fails_fails_the_respond_and_records_nothing(tmp_path):
    inst = _instance(tmp_path)
    plugin = BrokenPlugin()
    plugins.pm.register(plugin, name="broken-gag-test-plugin")
    try:
        failed = inst.run("respond", "1", "--text", "Please DM us.", "--reason", "short", expect=1)
    finally:
        plugins.pm.unregister(plugin)
    assert "broken-gag" in failed.stderr and "no replies today" in failed.stderr and "case 1" in failed.stderr
    engine = sa.create_engine(inst.db_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from events where type = 'responded'")).scalar_one() == 0
    engine.dispose()
    inst.run("respond", "1", "--text", "Please DM us.", "--reason", "short")  # without it, as before
