"""The zendesk poller against a local server replaying Zendesk's recorded incremental export.

The recorded answer is a real cursor-based export of 87 tickets
(tests/data/pollers, from the shared data's zenpy recording); it is served as
two pages (its tickets split 50 + 37, the first page pointing to the second
with an ``after_cursor``), between answers Zendesk gives when it is busy or
failing: 429 with Retry-After, 503, and a refused cursor.
"""

from __future__ import annotations

import base64
import json

from dripping import DrippingServer
from paths import DATA

from openledger.testing import InstanceRunner, Recorded, ReplayServer

EXPORT = "/api/v2/incremental/tickets/cursor.json"
RECORDED = json.loads((DATA / "pollers" / "zendesk_incremental_tickets_cursor.json").read_bytes())
TOKEN = "zendesk-api-token-for-tests"


def page(tickets: list, cursor: str, end: bool) -> Recorded:
    body = {**RECORDED, "tickets": tickets, "after_cursor": cursor, "end_of_stream": end,
            "after_url": f"https://z3n-jteitelbaum.zendesk.com{EXPORT}?cursor={cursor}"}
    return Recorded.json(body)


FIRST, SECOND = RECORDED["tickets"][:50], RECORDED["tickets"][50:]


def configure(inst: InstanceRunner, url: str, tmp_path) -> None:
    """The poller's table at the end of the config (replaced when it is there already)."""
    token = tmp_path / "zendesk-token"
    token.write_text(TOKEN + "\n")
    token.chmod(0o600)
    config = inst.home / "openledger.toml"
    text = config.read_text().split("\n[pollers.zendesk]\n")[0]
    config.write_text(text + f'\n[pollers.zendesk]\nurl = "{url}"\nemail = "agent@example.com"\n'
                      f'token_file = "{token}"\nbackoff = 0.05\n')


def test_pages_rate_limit_and_outage_then_nothing_new(instance: InstanceRunner, tmp_path):
    script = [
        (f"{EXPORT}?per_page=1000&start_time=0", Recorded.json({"error": "APIRateLimitExceeded"}, 429,
                                                                **{"Retry-After": "1"})),
        (f"{EXPORT}?per_page=1000&start_time=0", page(FIRST, "c1", end=False)),
        (f"{EXPORT}?per_page=1000&cursor=c1", Recorded(503, b"Service Unavailable")),
        (f"{EXPORT}?per_page=1000&cursor=c1", page(SECOND, "c2", end=True)),
        (f"{EXPORT}?per_page=1000&cursor=c2", page([], "c2", end=True)),
    ]
    with ReplayServer(script) as api:
        configure(instance, api.url, tmp_path)
        first = instance.run("intake", "poll")
        assert "zendesk: 2 fetched in 2 pages, 87 messages stored into 87 new cases" in first.stdout
        second = instance.run("intake", "poll")
        assert "zendesk: 1 fetched in 1 pages, 0 messages stored" in second.stdout
        assert api.done, api.unexpected
        basic = base64.b64encode(f"agent@example.com/token:{TOKEN}".encode()).decode()
        assert {headers["authorization"] for _, headers in api.requests} == {f"Basic {basic}"}
    assert instance.count("cases") == 87
    (status,) = instance.json("intake", "status", "--json")
    assert status["cursor"]["cursor"] == "c2" and status["cursor"]["start_time"] == max(
        t["generated_timestamp"] for t in RECORDED["tickets"])


def test_a_failing_service_keeps_the_pages_stored_and_the_next_run_resumes(instance: InstanceRunner, tmp_path):
    failing = [(f"{EXPORT}?per_page=1000&cursor=c1", Recorded(500, b"Internal Server Error"))] * 4
    with ReplayServer([(f"{EXPORT}?per_page=1000&start_time=0", page(FIRST, "c1", end=False)), *failing]) as api:
        configure(instance, api.url, tmp_path)
        result = instance.run("intake", "poll", expect=1)
        assert "1 fetched in 1 pages, 50 messages stored" in result.stdout
        assert "FAILED: " in result.stdout and "HTTP 500" in result.stdout and api.done
    assert instance.count("cases") == 50
    assert "zendesk (zendesk): FAILING" in instance.run("intake", "status").stdout
    with ReplayServer([(f"{EXPORT}?per_page=1000&cursor=c1", page(SECOND, "c2", end=True))]) as api:
        configure(instance, api.url, tmp_path)  # the same service, back on its feet
        assert "37 messages stored into 37 new cases (0 already stored" in instance.run("intake", "poll").stdout
        assert api.done
    assert instance.count("cases") == 87
    assert "zendesk (zendesk): ok" in instance.run("intake", "status").stdout


def test_a_refused_cursor_restarts_by_time_and_stores_nothing_twice(instance: InstanceRunner, tmp_path):
    newest = max(t["generated_timestamp"] for t in RECORDED["tickets"])
    script = [
        (f"{EXPORT}?per_page=1000&start_time=0", page(RECORDED["tickets"], "c-old", end=True)),
        (f"{EXPORT}?per_page=1000&cursor=c-old",
         Recorded.json({"error": "InvalidPaginationParameter", "description": "cursor is invalid"}, 422)),
        (f"{EXPORT}?per_page=1000&start_time={newest - 60}", page(RECORDED["tickets"][-5:], "c-new", end=True)),
    ]
    with ReplayServer(script) as api:
        configure(instance, api.url, tmp_path)
        instance.run("intake", "poll")
        again = instance.run("intake", "poll")
        assert "0 messages stored into 0 new cases (5 already stored" in again.stdout
        assert api.done, api.unexpected
    assert instance.count("cases") == 87


def test_a_long_rate_limit_ends_the_run_for_next_time(instance: InstanceRunner, tmp_path):
    script = [(f"{EXPORT}?per_page=1000&start_time=0",
               Recorded.json({"error": "APIRateLimitExceeded"}, 429, **{"Retry-After": "3600"}))]
    with ReplayServer(script) as api:
        configure(instance, api.url, tmp_path)
        result = instance.run("intake", "poll", expect=1)
        assert "rate limited (HTTP 429) for 3600 s, longer than max_wait 300 s" in result.stdout and api.done


def test_a_service_that_drips_its_answer_is_cut_at_the_deadline_and_the_run_ends(instance: InstanceRunner, tmp_path):
    """Every wait is short, so no per-wait timeout trips; each attempt is cut at the poller's ``deadline`` for
    the whole answer, and after its attempts the run ends in one line instead of hanging (nothing stored)."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
    with DrippingServer(head, b"[" + b" " * 498 + b"]") as server:
        configure(instance, server.url.rstrip("/"), tmp_path)
        with (instance.home / "openledger.toml").open("a") as config:
            config.write("deadline = 1\n")
        result = instance.run("intake", "poll", expect=1)
        assert "FAILED: " in result.stdout and "cannot connect (not whole within 1 s)" in result.stdout
        assert server.requests == 4  # each of the client's attempts, cut in turn
    assert instance.count("cases") == 0


def test_a_poller_option_that_is_not_a_number_of_seconds_is_named(instance: InstanceRunner, tmp_path):
    configure(instance, "http://127.0.0.1:9", tmp_path)
    with (instance.home / "openledger.toml").open("a") as config:
        config.write('deadline = "soon"\n')
    result = instance.run("intake", "poll", expect=1)
    assert "FAILED: poller option deadline = 'soon': not a number of seconds" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
