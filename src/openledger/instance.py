"""An openledger instance: its home folder, configuration, database, secret and keys.

The home (``--home``, ``OPENLEDGER_HOME`` or ``./ledger``) holds
``openledger.toml``, the instance secret (``secret.key``), the log's signing
key (``ledger.key``, both mode 0600), the published verifier key
(``verifier.key``) and, by default, the SQLite database. Everything that works
on an instance (the command line, the site build, the demo) reaches it
through :class:`Instance`, which opens what it needs on first use: nothing is
read before a command asks for it.
"""

from __future__ import annotations

import multiprocessing
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from openledger.config import (
    Config,
    create_instance,
    load_config,
    origin_of,
    resolve_home,
)
from openledger.files import read_private, write_private
from openledger.ledger import note
from openledger.timeutil import now as utc_now

if TYPE_CHECKING:  # the database layer, the seal and the export load when a method first needs them: a
    # command that opens no database (verify, audit --from-site) does not pay for them
    from openledger.ledger.export import ExportResult
    from openledger.privacy.release import Policy
    from openledger.progress import Staged
    from openledger.store import ledger
    from openledger.store.database import Store

SIGNING_KEY = "ledger.key"
VERIFIER_KEY = "verifier.key"
LAST_CHECKPOINT = "signed.checkpoint"
#: waiting events from which :meth:`Instance.seal` with ``apart`` seals in a forked process
SEAL_APART = 100_000


class Instance:
    """One instance home and its database (``db`` overrides the configured URL)."""

    def __init__(self, home: str | Path | None = None, db: str | None = None):
        self.home: Path = resolve_home(home)
        self.db_option = db

    @classmethod
    def create(cls, home: str | Path | None, *, name: str | None = None, origin: str | None = None,
               db: str | None = None, extra_config: str = "") -> Instance:
        """Create the home, its config, secret and keys, and the database schema.

        ``extra_config`` (TOML) is appended to the new configuration file.
        An existing instance is never overwritten.
        """
        instance = cls(home, db)
        config = create_instance(instance.home, name=name, origin=origin)
        if extra_config:
            with open(config.path, "a", encoding="utf-8") as f:
                f.write(extra_config)
        signer = note.generate_key(origin_of(load_config(instance.home)))
        note.write_signer_key(instance.key_path, signer)
        instance.verifier_path.write_text(signer.verifier().encode() + "\n")
        from openledger.store.database import Store

        Store(instance.database_url).upgrade()
        return instance

    @cached_property
    def config(self) -> Config:
        return load_config(self.home)

    @property
    def database_url(self) -> str:
        """``--db``, then ``OPENLEDGER_DATABASE_URL``, then the config, then SQLite in the home."""
        return self.config.database_url(self.db_option)

    @cached_property
    def store(self) -> Store:
        """The database, its schema upgraded if it is older than this version."""
        from openledger.store.database import Store

        store = Store(self.database_url)
        store.check()
        return store

    def secret(self) -> bytes:
        """The instance secret (keyed hashes, public case ids); mode 0600 enforced."""
        return self.config.secret()

    @property
    def key_path(self) -> Path:
        return self.home / SIGNING_KEY

    @property
    def verifier_path(self) -> Path:
        return self.home / VERIFIER_KEY

    def signer(self) -> note.Signer:
        """The log's Ed25519 signing key."""
        return note.read_signer_key(self.key_path)

    def signing_key_text(self) -> str:
        """The signing key file's text (mode 0600 enforced): what the build makes sure it never publishes."""
        return read_private(self.key_path, "the signing key", missing="no signing key here: the log cannot be "
                            "signed without it (restore it from its backup; `openledger init` makes a new instance)")

    @property
    def origin(self) -> str:
        """The log's origin line (``[instance] origin``)."""
        return origin_of(self.config)

    @property
    def company(self) -> str:
        """The company's name for the public site (``[instance] name``)."""
        return str(self.config.get("instance").get("name") or "openledger")

    @property
    def policy(self) -> Policy:
        """The publication policy: ``[site] k`` and ``[site] settle``."""
        from openledger.privacy.release import Policy

        return Policy.from_config(self.config.data)

    def seal(self, now: datetime | None = None, *, apart: bool = False) -> ledger.SealReport:
        """Append to the log the recorded events that may be published now (see :func:`ledger.seal`).

        With ``apart``, a seal of at least :data:`SEAL_APART` waiting events runs in a forked process
        (where ``fork`` is available and the database is a file or a server): the millions of objects a
        large seal makes are then returned to the system when it ends, not kept in this process's heap for
        what comes next (a build). No database connection crosses the fork: this process's idle ones are
        closed first, and the child opens and closes its own. The result and any error are the same.
        """
        from openledger.ledger.aside import Aside
        from openledger.store import ledger

        when = now or utc_now()

        def work() -> ledger.SealReport:
            with self.store.engine.begin() as conn:
                return ledger.seal(conn, self.secret(), when, self.policy)

        if not apart or not self.forkable():
            return work()
        with self.store.engine.connect() as conn:
            waiting = ledger.waiting(conn)
        if waiting < SEAL_APART:
            return work()

        def child() -> ledger.SealReport:
            try:
                return work()
            finally:
                self.store.dispose()  # the connections it opened itself

        self.store.dispose()  # no connection of this process is inherited by the child
        aside = Aside(child, "the seal")
        try:
            return aside.result()
        finally:
            aside.close()

    def forkable(self) -> bool:
        """Whether work on the database may go to a forked process: ``fork`` is available and the database
        is not in this process's memory."""
        url = self.store.engine.url
        return "fork" in multiprocessing.get_all_start_methods() and not (
            url.get_backend_name() == "sqlite" and (not url.database or url.database == ":memory:"))

    @property
    def checkpoint_path(self) -> Path:
        """The last checkpoint this instance signed, kept beside the keys: the next must extend it."""
        return self.home / LAST_CHECKPOINT

    def _continuity(self, conn) -> None:
        """Refuse to sign a tree that does not extend the last checkpoint signed (see
        :func:`ledger.check_continuity`); the copy in the home counts, else the database's."""
        from openledger.store import ledger

        path = self.checkpoint_path
        previous = path.read_bytes() if path.is_file() else ledger.latest_checkpoint(conn)
        ledger.check_continuity(conn, previous, self.signer(), str(path) if path.is_file() else "the database")

    def _keep(self, signed: bytes) -> None:
        write_private(self.checkpoint_path, signed.decode("utf-8"))

    def sign_in(self, conn) -> bytes:
        """Sign a checkpoint over the current tree in the transaction ``conn`` and keep it; refused when the
        tree does not extend the last checkpoint signed."""
        from openledger.store import ledger

        self._continuity(conn)
        _, signed = ledger.sign(conn, self.signer(), self.origin)
        self._keep(signed)
        return signed

    def sign_checkpoint(self) -> bytes:
        """Seal, then sign a checkpoint over the whole log (a C2SP signed note) and keep it."""
        self.seal()
        with self.store.engine.begin() as conn:
            return self.sign_in(conn)

    def export_log(self, directory: Path, progress: Staged | None = None) -> ExportResult:
        """Write the log as tlog-tiles into ``directory`` with a new signed checkpoint (the log as sealed).

        With ``[witnesses]`` configured, the checkpoint is published only once
        the witness policy is met, with the witnesses' cosignatures. ``progress``
        is told of the tiles written.
        """
        from openledger.ledger.export import export_log
        from openledger.store import ledger
        from openledger.witness import publish as witnessing

        signer = self.signer()
        with self.store.engine.begin() as conn:
            self._continuity(conn)
            size = ledger.size(conn)
            reader = ledger.DbHashReader(conn)
            result = export_log(
                directory, ledger.iter_entries(conn, size), size, reader, signer, origin=self.origin,
                cosign=witnessing.export_step(self.config.data, self.config.path, conn, reader, Path(directory)),
                progress=progress,
            )
            ledger.remember_checkpoint(conn, result.checkpoint, result.signed)
        self._keep(result.signed)
        return result
