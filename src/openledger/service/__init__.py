"""openledger as a service that runs continuously.

- :mod:`.signatures`: who may post: HMAC-SHA256 signatures of webhook bodies;
- :mod:`.webhook`: the webhook receiver ``openledger intake serve`` (Starlette
  on uvicorn), storing through :class:`openledger.intake.receiver.Receiver`;
- :mod:`.publish`: building the site into a staging folder, checking it as an
  extension of the published one, and swapping it in atomically;
- :mod:`.loop`: ``openledger run``: poll, process, build, verify, publish, at
  an interval, keeping the last good site when a step fails.
"""
