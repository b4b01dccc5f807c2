"""Gag requests on the log: the sentence a ``classified`` entry publishes, or why it is withheld
(:mod:`openledger.cases.gag`: the entry holds the sentence's salted digest, the site the sentence)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st
from site_fixtures import reply_thread

from openledger.cases.gag import published_sentences
from openledger.instance import Instance
from openledger.privacy.linkage import Signature
from openledger.privacy.projection import GAG_SENTENCE_MAX, gag_digest, one_line, project
from openledger.site.derive import with_sentences
from openledger.site.gather import published_derivation

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
ASK = "We will refund the full amount once you delete your review."


def test_a_gag_request_is_on_the_log_with_its_sentence_unless_public_or_naming(instance, tmp_path):
    """On SQLite and PostgreSQL (``instance``): the sentences are read and withdrawn through JSON paths."""
    inst = instance
    records = (
        reply_thread(0, "email", "private", "wanda.okafor@example.com",
                "My blender broke after a week and I wrote a one-star review about it.", f"Sorry. {ASK}")
        + reply_thread(1, "twitter", "public", "@wanda_o", "@acme my blender broke after a week, one star from me",
                  "Sorry to hear that. Please take down this tweet and we will send a new blender.")
        + reply_thread(2, "email", "private", "bartholomew.quince@example.org",
                  "The kettle leaks and I said so in my review.",
                  "We can refund you if you remove the review, bartholomew.quince@example.org.")
        + reply_thread(3, "email", "private", "pat.lee@example.net", "The toaster burns everything.",
                  "Sorry about the toaster. Please send us a photo so we can replace it.")
    )
    path = tmp_path / "mail.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    inst.run("ingest", "jsonl", str(path))
    inst.run("process")
    site = tmp_path / "site"
    inst.run("build", "--out", str(site))
    instance = Instance(inst.home, db=inst.db_url)
    derived = published_derivation(instance)
    with instance.store.engine.connect() as conn:
        sentences = published_sentences(conn)
    gags = with_sentences(derived.gags, sentences)
    by_channel = {g.channel: g for g in gags}
    assert len(gags) == 3, gags  # the photo request asks for no silence
    assert by_channel["twitter"].digest is None and by_channel["twitter"].withheld == "public-reply"
    private = sorted((g.sentence or "", g.withheld) for g in gags if g.channel == "email")
    assert (ASK, "") in private
    other = next(p for p in private if p[0] != ASK)
    # the second e-mail's sentence named the customer's address: redacted, or withheld when a name survives
    assert "bartholomew" not in other[0].lower() and "example.org" not in other[0]
    assert other[0] or other[1] == "names"
    # the log holds no sentence, only its salted digest; a sentence not given (withdrawn) or altered is not shown
    published = b"".join(p.read_bytes() for p in (site / "ledger").rglob("*") if p.is_file())
    assert ASK.encode() not in published
    ask = next(g for g in gags if g.sentence == ASK)
    assert ask.digest is not None and ask.salt is not None and ask.digest.encode() in published
    assert with_sentences([ask], {})[0].withheld == "withdrawn"
    altered = with_sentences([ask], {ask.digest: (ask.salt, ASK.replace("delete", "keep"))})[0]
    assert altered.sentence is None and altered.withheld == "withdrawn"
    assert inst.run("verify", str(site)).stdout.startswith("ok:")
    # the published file lists every request; verify refuses an edited sentence and a deleted file
    path = site / "data" / "gag-requests.json"
    listed = json.loads(path.read_text())
    assert sorted(r.get("sentence") or r["withheld"] for r in listed) == sorted(g.sentence or g.withheld for g in gags)
    original = path.read_text()
    path.write_text(original.replace("delete your review", "share your review"))
    assert "data/gag-requests.json" in inst.run("verify", str(site), expect=1).output
    path.unlink()
    assert "data/gag-requests.json: missing" in inst.run("verify", str(site), expect=1).output
    path.write_text(original)
    assert inst.run("verify", str(site)).stdout.startswith("ok:")
    # erasing the customer withdraws the sentence: the request stays listed, verify says so
    inst.run("erase", ask.case, "--yes")
    inst.run("build", "--out", str(site))
    listed = json.loads(path.read_text())
    assert ASK not in path.read_text() and ASK not in (site / "gag-requests.html").read_text()
    assert [r["withheld"] for r in listed if r["case"] == ask.case] == ["withdrawn"]
    said = inst.run("verify", str(site)).output
    assert said.startswith("ok:") and "1 gag request sentence(s) withdrawn by the publisher" in said


def _signature() -> Signature:
    return Signature("email", "private", "2026-W10", "billing", "unknown", None)


@given(st.text(max_size=2_000))
def test_a_kept_sentence_is_one_bounded_line_without_control_characters(sentence):
    kept = one_line(sentence)
    assert len(kept) <= GAG_SENTENCE_MAX
    assert kept == kept.strip()
    assert not any(c in kept for c in "\n\r\t\x00\u200b\u202e")
    data = {"labels": {"gag": {"value": "yes", "confidence": 0.9}}, "gag": {"sentence": kept, "salt": "00" * 16}}
    out = project("classified", data, _signature(), None, START, START, "email")
    assert out.get("gag") == ({"sentence_sha256": gag_digest("00" * 16, kept)} if kept else None)


def test_only_a_gag_label_carries_a_sentence_into_the_entry():
    data = {"labels": {"gag": {"value": "no", "confidence": 0.9}},
            "gag": {"sentence": "Delete your review.", "salt": "ab" * 16}}
    assert "gag" not in project("classified", data, _signature(), None, START, START, "email")
    data = {"labels": {"gag": {"value": "yes", "confidence": 0.9}}, "gag": {"withheld": "Public Reply!"}}
    assert "gag" not in project("classified", data, _signature(), None, START, START, "email")
