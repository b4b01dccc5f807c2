"""Build the site of an openledger instance (SQLite or PostgreSQL): :func:`build`.

:func:`gather` seals the log (the recorded events that may be published now
enter it) and collects the build's inputs from the instance: its log
(exported and read back as entries: everything the site says is derived from
them), the build configuration (company, k, the response hierarchy, the audit
settings), the audit metrics, the optional summaries, the check of the
published cases against the stated attacker (with the true times, which never
leave the instance). The finished site is searched for every raw identifier
it must not contain (:func:`instance_identifiers`: authors, customers,
external ids and actors, e-mail addresses and phone numbers found in message
texts, the database URL; and the pseudonym secret and the signing key) by a
process of its own, as the summaries and gag sentences are before the build:
a million customers' identifiers and their automaton (about 1.1 GB) are never
held by the building process.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from openledger import plugins
from openledger.audit import Settings
from openledger.cases.gag import published_sentences
from openledger.cases.hierarchy import hierarchy_text
from openledger.errors import ConfigError, OpenLedgerError
from openledger.instance import Instance
from openledger.ledger.aside import Aside, Standby
from openledger.ledger.published import open_published
from openledger.privacy.allowlist import schema_from_config
from openledger.privacy.leaks import Leak, Scanner
from openledger.privacy.linkage import violations
from openledger.privacy.release import Policy
from openledger.progress import Staged, counted, within
from openledger.site.build import BuildReport, build_site
from openledger.site.check import check_site_and_log
from openledger.site.context import BuildConfig, SiteInputs, site_schema
from openledger.site.derive import Derived, derive
from openledger.site.hooks import plugin_pages, site_built
from openledger.site.summaries import case_summaries
from openledger.store import ledger
from openledger.store.identifiers import raw_identifiers
from openledger.timeutil import now as utc_now

DEFAULTS = {"k": 10, "settle": "14d", "summaries": False, "currency": "", "gag_rule": ""}


def site_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """The ``[site]`` table of the config with defaults (``k``, ``settle``, ``summaries``, ``currency``,
    ``gag_rule``).

    ``currency`` (the ISO 4217 code amounts are in, shown on the site) falls back to
    ``[remedies] currency``; empty when neither says.
    """
    section = dict(config.get("site", {}) or {})
    unknown = sorted(set(section) - set(DEFAULTS))
    if unknown:
        raise ConfigError(f"unknown key(s) in [site]: {', '.join(unknown)}")
    out = {**DEFAULTS, **section, "k": Policy.from_config(config).k}
    if not isinstance(out["summaries"], bool):
        raise ConfigError("[site] summaries must be true or false")
    if not out["currency"]:
        remedies = config.get("remedies")
        out["currency"] = remedies.get("currency", "") if isinstance(remedies, Mapping) else ""
    if not isinstance(out["currency"], str) or not re.fullmatch(r"([A-Z]{3})?", out["currency"]):
        raise ConfigError(f"[site] currency must be an ISO 4217 code such as \"USD\", not {out['currency']!r}")
    if not isinstance(out["gag_rule"], str):
        raise ConfigError("[site] gag_rule must be text (the company's rule on gag requests, for the policy page)")
    out["gag_rule"] = " ".join(out["gag_rule"].split())
    return out


def _password(url: str) -> str | None:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).password
    except Exception:  # noqa: BLE001 (an unparsable URL has no password to hide)
        return None


def gather(instance: Instance, now: datetime | None = None) -> SiteInputs:
    """The inputs of a build of ``instance``: seal the log, then gather the rest."""
    config = instance.config.plugin_view()
    settings = site_settings(config)
    instance.seal(now or utc_now(), apart=True)  # a large seal's memory is returned before the build
    with instance.store.engine.connect() as conn:
        summaries = case_summaries(conn, config) if settings["summaries"] else None
        sentences = published_sentences(conn)
    withheld = 0
    if summaries or sentences:
        # a summary or a gag sentence that still names a known identifier after redaction is withheld, not
        # published and not a reason to refuse the build: no customer's name or words can block publication
        named, sentences = _naming(instance, summaries or {}, sentences)
        if summaries:
            summaries = {case: text for case, text in summaries.items() if case not in named}
            withheld = len(named)
    metrics = tuple(plugins.audit_metrics(config))
    build_config = BuildConfig(company=instance.company, k=settings["k"], policy=hierarchy_text(config)[0],
                               audit=Settings.from_config(config), metrics=tuple(m.name for m in metrics),
                               summaries=settings["summaries"], currency=settings["currency"],
                               gag_rule=settings["gag_rule"])
    inputs = SiteInputs(
        config=build_config, export=instance.export_log, entries=lambda size: stored_entries(instance, size),
        metrics=metrics, summaries=summaries, gag_sentences=sentences,
        schema=site_schema(schema_from_config(config)),
        secrets={"pseudonym secret": instance.secret(), "signing key": instance.signing_key_text().encode("ascii")},
        check_linkage=lambda derived: check_linkage(instance, derived), withheld_summaries=withheld,
        # here, unless the build has a process for it (:func:`build`)
        scan=lambda site, extra, own, progress: _Scanning(instance)((site, extra, own), progress),
    )
    return inputs


def instance_identifiers(instance: Instance) -> dict[str, list[str]]:
    """Every raw identifier of the instance that a published file must not contain (kind -> values), the
    database URL and its password included."""
    with instance.store.engine.connect() as conn:
        identifiers = raw_identifiers(conn)
    url = instance.database_url
    identifiers["database URL"] = [url] + ([password] if (password := _password(url)) else [])
    return identifiers


@contextmanager
def _connections_closed_if_forked(instance: Instance, parent: int) -> Iterator[None]:
    """Run the block; in a process forked from ``parent`` (which closed its idle connections before forking,
    so none is inherited), close the connections the block opened when it ends, as the seal's does."""
    try:
        yield
    finally:
        if os.getpid() != parent:
            instance.store.dispose()


def _naming(instance: Instance, summaries: Mapping[str, str],
            sentences: dict[str, tuple[str, str]]) -> tuple[set[str], dict[str, tuple[str, str]]]:
    """(the cases whose summary names a raw identifier, the gag sentences that name none), worked out in a
    forked process where the database allows: a million customers' identifiers and their automaton (about
    1.1 GB) are then returned to the system at once, not kept in the building process's heap."""
    fork = instance.forkable()
    parent = os.getpid()

    def work() -> tuple[set[str], dict[str, tuple[str, str]]]:
        with _connections_closed_if_forked(instance, parent):
            scanner = Scanner(instance_identifiers(instance))
            return ({case for case, text in summaries.items() if scanner.mentions(text)},
                    {d: pair for d, pair in sentences.items() if not scanner.mentions(pair[1])})

    if fork:
        instance.store.dispose()  # no idle connection of this process is inherited
    aside = Aside(work, "build: the check of summaries and gag sentences for identifiers", fork=fork)
    try:
        return aside.result()
    finally:
        aside.close()


class _Scanning:
    """The search of a staged site for the instance's raw identifiers and ``extra`` ones, skipping ``own``
    texts: the work of a :class:`~openledger.ledger.aside.Standby`, whose argument is (site, extra, own).
    :meth:`prepare` reads the identifiers and compiles them (at a million cases, tens of seconds of reading
    every message and writing every identifier's forms), which :func:`build` has the standing-by process do
    once everything the site is made of has been read from the database, while this process derives and
    renders the site."""

    def __init__(self, instance: Instance) -> None:
        self.instance, self.parent = instance, os.getpid()

    def prepare(self, _: Any = None) -> Scanner:
        with _connections_closed_if_forked(self.instance, self.parent):
            return Scanner(instance_identifiers(self.instance))

    def __call__(self, argument: Any, progress: Staged | None, scanner: Scanner | None = None) -> list[Leak]:
        site, extra, own = argument
        if scanner is None:
            scanner = self.prepare()
        scanner.add(extra)
        return scanner.scan(site, progress, own)


def stored_entries(instance: Instance, size: int) -> Iterator[tuple[int, bytes]]:
    """The first ``size`` entries of the instance's log, as (index, bytes)."""
    with instance.store.engine.connect() as conn:
        yield from enumerate(ledger.iter_entries(conn, size))


def published_derivation(instance: Instance, progress: Staged | None = None) -> Derived:
    """What the instance's log publishes, derived as the site derives it (without sealing); ``progress``
    is told of the entries derived."""
    with instance.store.engine.connect() as conn:
        size = ledger.size(conn)
    return derive(counted(stored_entries(instance, size), progress, "entries derived", size))


def check_linkage(instance: Instance, derived: Derived) -> None:
    """Refuse (one line) a site whose published cases break the k-anonymity guarantee."""
    k = instance.policy.k
    signatures = derived.signatures
    with instance.store.engine.connect() as conn:  # what the attacker knows of each published case, only
        targets = ledger.case_knowledge(conn, instance.secret(), signatures)
    found = violations(targets, signatures, k)
    if found:
        kinds = Counter(derived.signatures[pid].visibility for pid in found)
        which = " and ".join(f"{n:,} {kind}" for kind, n in sorted(kinds.items()))
        raise OpenLedgerError(f"refusing to publish: the log's entries would single out {which} case(s) "
                              f"(fewer than k = {k} published cases are consistent with what the stated attacker "
                              "knows of them; see docs/anonymization.md)")


def build(instance: Instance, out: Path, now: datetime | None = None,
          progress: Staged | None = None) -> BuildReport:
    """``openledger build``: seal, then build the site of ``instance`` into ``out``, with the plugins'
    pages and hooks; ``progress`` is told of its stages (see :func:`~openledger.site.build.build_site`).

    Where the system can fork, the staged site is searched for identifiers and then verified by two
    processes forked before anything is sealed or derived (:class:`~openledger.ledger.aside.Standby`):
    the search, the verification of a million-case site and the processes it forks then start from the
    few hundred megabytes of a fresh command, not from the gigabytes the build holds by then (each forked
    process counts all of its parent's pages)."""
    if instance.forkable():
        instance.store.dispose()  # no idle connection of this process is inherited by the two below
    with Standby(verify_staged, "build: the process verifying the staged site") as verifying, \
            Standby(_Scanning(instance), "build: the process scanning the staged site") as scanning:
        def verify_there(site: Path, progress: Staged | None = None) -> Callable[[], None]:
            waiting = verifying.start(site)  # while this process has the site scanned
            return lambda: waiting(within(progress, "verify: "))

        inputs = gather(instance, now)
        scanning.prepare(None)  # the identifiers as the database holds them now that the site's inputs are read
        inputs.scan = lambda site, extra, own, progress: scanning.run((site, extra, own), progress)
        return build_site(inputs, out, extra_pages=plugin_pages, built=site_built, verify_staged=verify_there,
                          progress=progress)


def verify_staged(site: Path, progress: Staged | None = None) -> None:
    """Run ``openledger verify`` on a staged site, with its own key: the log (signature, tiles, every entry),
    then everything the site says; the first difference stops the build in one line. ``progress`` is told
    of its stages ("entries checked" and so on; the build shows them as "verify: entries checked")."""
    log = open_published(site / "ledger")
    key = log.read("verifier.key").decode("utf-8").strip()

    def refusing(exc: OpenLedgerError) -> OpenLedgerError:
        return OpenLedgerError(f"refusing to publish: the built site fails its own verification: {exc}")

    try:  # as `openledger verify` does: the log verified beside the site's check, its error first
        _, checked = check_site_and_log(open_published(site), log, key, progress=progress)
    except OpenLedgerError as exc:
        raise refusing(exc) from None
    if checked.differences:
        more = f" (and {len(checked.differences) - 1} more)" if len(checked.differences) > 1 else ""
        raise OpenLedgerError(f"refusing to publish: the built site fails its own verification: "
                              f"{checked.differences[0]}{more}")
