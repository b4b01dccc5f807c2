"""The mastodon poller against a local server replaying recorded Mastodon API answers.

tests/data/notifications_recorded.json holds five ``GET /api/v1/notifications``
answers recorded by Mastodon.py's test suite against a real Mastodon server
(see its ``source``): one mention each. The replayed pages are made of those
recorded notifications, newest first as Mastodon sends them, two a page.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openledger_mastodon
import pytest

from openledger.intake import contract
from openledger.records import MessageRecord
from openledger.testing import Recorded, ReplayServer, make_instance

DATA = Path(__file__).parent / "data"
RECORDED = {json.loads(r["body"])[0]["id"]: json.loads(r["body"])[0]
            for r in json.loads((DATA / "notifications_recorded.json").read_text())["responses"]}
PATH = "/api/v1/notifications"


def page(*ids: str) -> Recorded:
    return Recorded.json([RECORDED[i] for i in ids])


def request(min_id: str) -> str:
    return f"{PATH}?types%5B%5D=mention&limit=2&min_id={min_id}"


@pytest.fixture
def instance(tmp_path):
    inst = make_instance(tmp_path / "home")
    yield inst
    inst.close()


def configure(inst, url: str, tmp_path) -> None:
    token = tmp_path / "token"
    token.write_text("access-token-for-tests\n")
    token.chmod(0o600)
    lines = [f'url = "{url}"', f'token_file = "{token}"', "limit = 2", "backoff = 0.05"]
    with open(inst.home / "openledger.toml", "a") as f:
        f.write("\n[pollers.mastodon]\n" + "\n".join(lines) + "\n")


def test_mentions_walk_forward_from_the_last_one_stored(instance, tmp_path):
    script = [
        (request("0"), page("21", "20")),
        (request("21"), Recorded.json({"error": "Too many requests"}, 429, **{"Retry-After": "1"})),
        (request("21"), page("24", "23")),
        (request("24"), page("25")),
        (request("25"), Recorded.json([])),
    ]
    with ReplayServer(script) as api:
        configure(instance, api.url, tmp_path)
        first = instance.run("intake", "poll", "mastodon")
        assert "mastodon: 3 fetched in 3 pages, 5 messages stored into 5 new cases" in first.stdout
        assert "0 fetched in 0 pages" in instance.run("intake", "poll").stdout
        assert api.done, api.unexpected
        assert {h["authorization"] for _, h in api.requests} == {"Bearer access-token-for-tests"}
    (status,) = instance.json("intake", "status", "--json")
    assert status["cursor"] == {"since_id": "25"}
    assert instance.count("messages", "channel = 'mastodon' and visibility = 'public' and direction = 'in'") == 5


def test_the_companys_own_statuses_are_outgoing(instance, tmp_path):
    with open(instance.home / "openledger.toml", "a") as f:
        f.write('\n[sources.mastodon]\naccount = "@admin@localhost"\n')  # the source reads what the poller fetches
    with ReplayServer([(request("0"), page("21"))]) as api:
        configure(instance, api.url, tmp_path)
        instance.run("intake", "poll")
        assert api.done
    assert instance.count("messages", "direction = 'out'") == 1 and instance.count("cases") == 0


def test_a_recorded_notification_as_a_message():
    body = json.dumps([RECORDED["21"]]).encode()
    (record,) = openledger_mastodon.SOURCE.read_payload(body, {}, "application/json")
    assert isinstance(record, MessageRecord) and contract.problems(record, openledger_mastodon.SOURCE) == []
    assert record.id == "http://localhost:3000/ap/users/117020565693913441/statuses/117020577157693549"
    assert (record.text, record.author, record.visibility) == ("@mastodonpy_test hello!", "@admin", "public")
    assert record.meta["notification"] == "21"


def test_the_archive_zip_as_mastodon_delivers_it(tmp_path):
    folder = DATA / "hawksworx-2022-12"
    archive = tmp_path / "archive-20221206.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for file in folder.iterdir():
            z.write(file, file.name)
    assert [r.id for r in contract.run(openledger_mastodon.SOURCE, archive)] == \
        [r.id for r in contract.run(openledger_mastodon.SOURCE, folder)]
