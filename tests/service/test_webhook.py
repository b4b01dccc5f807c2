"""The webhook receiver, run for real (``openledger intake serve`` in its own process) on both databases."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import socket
import stat
from concurrent.futures import ThreadPoolExecutor

from webhook import intake_server, signature

from openledger.testing import InstanceRunner


def message(n: int, **extra) -> str:
    return json.dumps({"id": f"post-{n:04d}", "channel": ("email", "twitter", "webform")[n % 3],
                       "visibility": "public" if n % 3 == 1 else "private",
                       "timestamp": f"2026-03-{1 + n % 28:02d}T10:{n % 60:02d}:00Z",
                       "author": f"customer{n % 97}@example.com",
                       "text": f"Complaint number {n}: my refund has not arrived.", **extra})


def test_five_hundred_posts_eight_at_once_then_kill_9(instance: InstanceRunner, tmp_path):
    """The issue's figure: 500 signed posts, 8 at once, all accepted; 401, 400, idempotent retries;
    kill -9 right after the last answer leaves exactly 500 cases and a log that verifies."""
    with intake_server(instance.home, instance.db_url) as server:
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda n: server.post("/intake/jsonl", message(n)), range(500)))
            assert [status for status, _ in answers] == [201] * 500, answers[:3]
            cases = [body["case"] for _, body in answers]
            assert len(set(cases)) == 500 and all(c.startswith("C-") for c in cases)

            retried = list(pool.map(lambda n: server.post("/intake/jsonl", message(n)), range(0, 500, 10)))
            assert {status for status, _ in retried} == {200}
            assert [body["case"] for _, body in retried] == cases[::10]
            assert {(body["stored"], body["duplicates"]) for _, body in retried} == {(0, 1)}

            # eight senders delivering the same new record at once: one case, the same answer for all
            same = list(pool.map(lambda _: server.post("/intake/jsonl", message(9999)), range(8)))
            assert sorted(status for status, _ in same) == [200] * 7 + [201]
            assert len({body["case"] for _, body in same}) == 1

            forged = list(pool.map(lambda n: server.post("/intake/jsonl", message(1000 + n), sign=b"not the key"),
                                   range(8)))
            assert {status for status, _ in forged} == {401}
            unsigned = server.post("/intake/jsonl", message(1001), sign=False)
            assert unsigned[0] == 401 and "missing signature" in unsigned[1]["error"]

        malformed = server.post("/intake/jsonl", '{"id": "m-1", "channel": "email"')
        assert malformed[0] == 400 and set(malformed[1]) == {"error"} and "\n" not in malformed[1]["error"]
        invalid = server.post("/intake/jsonl", message(2000, timestamp="yesterday"))
        assert invalid[0] == 400 and invalid[1]["error"].startswith("record 1: bad timestamp")
        last = server.post("/intake/jsonl", message(500))
        assert last[0] == 201
        server.kill()  # right after the last answer
    assert instance.count("cases") == 502  # 500, the one sent eight times, and the last
    assert instance.count("messages") == 502
    assert instance.count("events") == 502
    assert instance.count("cases", "external_id = 'post-1000'") == 0  # nothing of a refused post
    out = tmp_path / "log"
    instance.run("export-log", out)
    assert "502 entries" in instance.run("verify", out).stdout


def test_answers_for_every_kind_of_bad_post(instance: InstanceRunner):
    with open(instance.home / "openledger.toml", "a") as f:
        f.write("\n[intake]\nmax_body = 2000\n")
    with intake_server(instance.home, instance.db_url) as server:
        assert server.post("/intake/jsonl", message(1) + " " * 2000)[0] == 413
        status, body = server.post("/intake/nosuch", message(1))
        assert status == 404 and "available: email, facebook, jsonl, " in body["error"]
        assert {"webform", "zendesk"} <= set(body["error"].split("(available: ")[1].rstrip(")").split(", "))
        assert server.post("/intake/csv", message(1))[0] == 404  # reads files only
        status, body = server.post("/intake/zendesk", '{"users": []}')
        assert status == 400 and "not a Zendesk tickets" in body["error"]
        assert server.post("/intake/jsonl", "")[0] == 400
        status, body = server.post("/intake/facebook", '{"object": "page", "entry": [{"id": "1", "messaging": '
                                   '[{"sender": {"id": "2"}, "recipient": {"id": "1"}, "read": {"watermark": 1}}]}]}')
        assert (status, body["cases"], body["records"]) == (200, [], 0)  # a read receipt: nothing to store
        form = "email=bo%40example.org&message=Still+no+refund."
        status, body = server.post("/intake/webform", form, content_type="application/x-www-form-urlencoded")
        assert status == 201 and body["case"].startswith("C-")
        status, health = server.get("/health")
        assert status == 200 and json.loads(health)["commits"] >= 1
    assert instance.count("cases") == 1


def test_serve_creates_the_intake_key_of_an_older_instance(instance: InstanceRunner):
    key = instance.home / "intake.key"
    key.unlink()
    with intake_server(instance.home, instance.db_url) as server:
        assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
        assert len(key.read_text().strip()) == 64
        assert server.post("/intake/jsonl", message(1))[0] == 201
    assert "created the intake key" in server.log.read_text()


def test_platform_signatures_and_the_meta_subscription_check(instance: InstanceRunner, tmp_path):
    meta, zendesk = tmp_path / "meta-secret", tmp_path / "zendesk-secret"
    for path, text in ((meta, "app-secret-of-the-page\n"), (zendesk, "dGhlIHNpZ25pbmcgc2VjcmV0\n")):
        path.write_text(text)
        path.chmod(0o600)
    with open(instance.home / "openledger.toml", "a") as f:
        f.write(f'\n[intake]\nmeta_app_secret_file = "{meta}"\nzendesk_secret_file = "{zendesk}"\n')
    body = json.dumps({"object": "page", "entry": [{"id": "P1", "time": 1458692752478, "messaging": [
        {"sender": {"id": "U1"}, "recipient": {"id": "P1"}, "timestamp": 1458692752478,
         "message": {"mid": "mid.1", "text": "My order is late."}}]}]}).encode()
    with intake_server(instance.home, instance.db_url) as server:
        hub = signature(b"app-secret-of-the-page", body)
        assert server.post("/intake/facebook", body, sign=False, headers={"X-Hub-Signature-256": hub})[0] == 201
        # the Meta signature is for the facebook path only
        assert server.post("/intake/jsonl", message(1), sign=False,
                           headers={"X-Hub-Signature-256": hub})[0] == 401
        ticket = json.dumps({"ticket": {"id": 77, "created_at": "2026-01-05T10:00:00Z", "description": "Help",
                                        "requester_id": 5, "via": {"channel": "email"}}}).encode()
        stamp = "2026-01-05T10:00:01Z"
        zsig = base64.b64encode(hmac.new(b"dGhlIHNpZ25pbmcgc2VjcmV0", stamp.encode() + ticket,
                                         hashlib.sha256).digest()).decode()
        headers = {"X-Zendesk-Webhook-Signature": zsig, "X-Zendesk-Webhook-Signature-Timestamp": stamp}
        assert server.post("/intake/zendesk", ticket, sign=False, headers=headers)[0] == 201
        headers["X-Zendesk-Webhook-Signature-Timestamp"] = "2026-01-05T10:00:02Z"
        assert server.post("/intake/zendesk", ticket, sign=False, headers=headers)[0] == 401
        key = server.key.decode()
        status, text = server.get(f"/intake/facebook?hub.mode=subscribe&hub.challenge=1158201444"
                                  f"&hub.verify_token={key}")
        assert (status, text) == (200, b"1158201444")
        assert server.get("/intake/facebook?hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess")[0] == 403
    assert instance.count("cases") == 2


def test_a_platform_secret_readable_by_others_stops_the_server(instance: InstanceRunner, tmp_path):
    secret = tmp_path / "meta-secret"
    secret.write_text("s3cret\n")
    secret.chmod(0o644)
    with open(instance.home / "openledger.toml", "a") as f:
        f.write(f'\n[intake]\nmeta_app_secret_file = "{secret}"\n')
    result = instance.run("intake", "serve", "--port", "1", expect=1)
    assert "readable by others" in result.output and "Traceback" not in result.output


def test_a_port_in_use_is_one_line(instance: InstanceRunner):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = instance.run("intake", "serve", "--port", str(taken.getsockname()[1]), expect=1)
    assert "cannot listen on 127.0.0.1:" in result.output and "in use" in result.output
