"""The ``zendesk`` poller: new and changed tickets from Zendesk's incremental export, read by the ``zendesk`` source.

Uses the cursor-based Incremental Ticket Export
(``GET /api/v2/incremental/tickets/cursor.json``), which Zendesk recommends
for polling: the first request names a ``start_time`` (Unix seconds), each
answer gives an ``after_cursor`` for the next, and ``end_of_stream`` says the
export has caught up; the last ``after_cursor`` is where the next run starts.
Each answer is one page, stored with its cursor. A ticket exported again
after a change is not stored again (its record id is the ticket's). Comments
after the first come by webhook (``ticket.comment_added`` events) or from
audit exports: this export carries tickets, not their conversation.

::

    [pollers.zendesk]
    subdomain = "example"                 # https://example.zendesk.com
    email = "agent@example.com"           # API token authentication: EMAIL/token:TOKEN
    token_file = "/etc/openledger/zendesk-token"   # mode 0600; or token_env = "ZENDESK_TOKEN"
    # start_time = 1704067200             # first run only (Unix seconds); default: from the beginning
    # per_page = 1000
    # max_wait = 300                      # longest Retry-After waited for; longer ends the run

The export allows 10 requests a minute: a 429 answer is waited out as its
``Retry-After`` says, and a 5xx answer is retried with growing pauses. A
cursor the service refuses (400 or 422 to a ``cursor=`` request: Zendesk does
not document the shape of that error, so any such answer counts) restarts
the export at the newest ``generated_timestamp`` stored, less a minute;
tickets it exports again are already stored.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator, Mapping
from typing import Any

from openledger import __version__, hookimpl
from openledger.errors import ConfigError, PollError
from openledger.intake.pollkit import HttpClient, HttpStatusError, secret_option
from openledger.records import Page, Payload
from openledger.timeutil import parse_time

EXPORT = "/api/v2/incremental/tickets/cursor.json"
OVERLAP = 60  # seconds re-read when a refused cursor restarts the export by time


def _base(options: Mapping) -> str:
    if options.get("url"):
        return str(options["url"]).rstrip("/")
    subdomain = str(options.get("subdomain") or "")
    if not subdomain or "." in subdomain or "/" in subdomain:
        raise ConfigError("[pollers] zendesk: subdomain is required (the NAME of NAME.zendesk.com)")
    return f"https://{subdomain}.zendesk.com"


def _headers(options: Mapping) -> dict[str, str]:
    token = secret_option(options, "token", poller="zendesk")
    if options.get("email"):
        basic = base64.b64encode(f"{options['email']}/token:{token}".encode()).decode("ascii")
        return {"Authorization": f"Basic {basic}"}
    return {"Authorization": f"Bearer {token}"}  # an OAuth access token


def _newest(tickets: list, start: int) -> int:
    for ticket in tickets:
        if not isinstance(ticket, Mapping):
            continue
        stamp: Any = ticket.get("generated_timestamp")
        if not isinstance(stamp, int):
            try:
                stamp = int(parse_time(ticket.get("updated_at")).timestamp())
            except (TypeError, ValueError):
                continue
        start = max(start, stamp)
    return start


class ZendeskPoller:
    name = "zendesk"
    version = __version__
    description = "New and changed Zendesk tickets (cursor-based incremental export), read by the zendesk source"
    source = "zendesk"

    def poll(self, cursor: Mapping | None, options: Mapping) -> Iterator[Page]:
        base = _base(options)
        client = HttpClient.from_options(options, _headers(options))
        per_page = int(options.get("per_page", 1000))
        state = dict(cursor or {})
        start = int(state.get("start_time", options.get("start_time", 0)) or 0)
        position = state.get("cursor")
        restarted = False
        for number in range(1, int(options.get("max_pages", 1000)) + 1):
            params: dict[str, Any] = {"per_page": per_page}
            if position:
                params["cursor"] = position
            else:
                params["start_time"] = min(start, int(time.time()) - OVERLAP)
            try:
                answer = client.get(base + EXPORT, params)
            except HttpStatusError as error:
                if position and error.status in (400, 422) and not restarted:
                    position, restarted = None, True  # an expired cursor: start again by time
                    start = max(0, start - OVERLAP)
                    continue
                raise
            data = answer.json()
            if not isinstance(data, dict) or not isinstance(data.get("tickets"), list):
                raise PollError(f"{answer.url}: not an incremental ticket export (no 'tickets' list)")
            start = _newest(data["tickets"], start)
            position = data.get("after_cursor") or position
            yield Page((Payload(answer.body, "application/json", f"export page {number}"),),
                       {"cursor": position, "start_time": start}, note=f"{len(data['tickets'])} tickets")
            if data.get("end_of_stream") or not data.get("after_cursor"):
                return
        raise PollError(f"more than max_pages={options.get('max_pages', 1000)} pages in one run; the rest next time")


@hookimpl
def register_pollers(register, config):
    """Register the ``zendesk`` poller."""
    register(ZendeskPoller())

