"""The instance home: configuration file, secrets and database URL.

An instance home (default ``./ledger``, or ``--home``, or ``OPENLEDGER_HOME``)
holds ``openledger.toml``, the secret keys (mode 0600) and, by default, the
SQLite database ``openledger.db``. ``intake.key`` is the key webhook senders
sign their posts with (one line of text, mode 0600; never in the config).
"""

from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from openledger.errors import ConfigError
from openledger.files import create_private, read_private
from openledger.privacy.secret import create_secret, load_secret

CONFIG_NAME = "openledger.toml"
SECRET_NAME = "secret.key"
INTAKE_KEY_NAME = "intake.key"
DB_NAME = "openledger.db"
DEFAULT_HOME = "ledger"

CONFIG_TEMPLATE = """\
# openledger instance configuration (TOML). Every key is optional.
# Reference: docs/configuration.md

[instance]
# The company's name, shown on the public site.
name = "{name}"
# The ledger's origin line in signed checkpoints (C2SP tlog-checkpoint): a
# schema-less URL naming this log, e.g. "example.com/complaints".
origin = "{origin}"
# Time zone used for business hours and for coarse dates on the site.
timezone = "UTC"

[database]
# Leave unset for the embedded SQLite database in this folder. For PostgreSQL:
# url = "postgresql+psycopg://user@host:5432/dbname"

[ingest]
# Records read per database round trip.
batch_size = 2000
"""


def _freeze(value):
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def resolve_home(home: str | os.PathLike | None) -> Path:
    """The instance home from the option, ``OPENLEDGER_HOME`` or the default."""
    if home is None:
        home = os.environ.get("OPENLEDGER_HOME") or DEFAULT_HOME
    return Path(home).expanduser()


@dataclass(frozen=True)
class Config:
    """A loaded instance configuration."""

    home: Path
    data: Mapping

    @property
    def path(self) -> Path:
        return self.home / CONFIG_NAME

    def get(self, section: str, default=None):
        return self.data.get(section, default if default is not None else MappingProxyType({}))

    def plugin_view(self) -> Mapping:
        """What plugins get as ``config``: the TOML data plus ``home`` and the company name."""
        data = dict(self.data)
        data.setdefault("home", str(self.home))
        name = self.get("instance").get("name")
        if name and "company" not in data:
            data["company"] = MappingProxyType({"name": name})
        return MappingProxyType(data)

    def database_url(self, override: str | None = None) -> str:
        """``--db``, then ``OPENLEDGER_DATABASE_URL``, then the config, then SQLite."""
        url = override or os.environ.get("OPENLEDGER_DATABASE_URL")
        if not url:
            url = self.get("database").get("url")
        if not url:
            url = f"sqlite:///{(self.home / DB_NAME).resolve()}"
        if not isinstance(url, str):
            raise ConfigError("[database] url must be a string", path=self.path)
        return url

    def secret(self) -> bytes:
        """The instance secret used for keyed hashes and pseudonyms (mode 0600 enforced)."""
        return load_secret(self.home / SECRET_NAME)

    @property
    def batch_size(self) -> int:
        size = self.get("ingest").get("batch_size", 2000)
        if not isinstance(size, int) or size < 1:
            raise ConfigError("[ingest] batch_size must be a positive integer", path=self.path)
        return size


def load_config(home: Path) -> Config:
    """Read ``openledger.toml`` from ``home``; a clear error when absent or invalid."""
    path = home / CONFIG_NAME
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(
            f"no openledger instance here (run 'openledger init {home}' first)", path=path
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=path) from None
    for section, value in data.items():
        if section in ("instance", "database", "ingest") and not isinstance(value, dict):
            raise ConfigError(f"'{section}' must be a table", path=path)
    return Config(home=home, data=_freeze(data))


def create_instance(home: Path, name: str | None = None, origin: str | None = None) -> Config:
    """Create the home folder, config and secret; refuse to overwrite an instance."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / CONFIG_NAME
    if path.exists():
        raise ConfigError("an instance already exists here", path=path)
    name = name or "Example Company"
    origin = origin or f"{home.resolve().name or 'openledger'}.example/complaints"
    text = CONFIG_TEMPLATE.format(name=name.replace('"', "'"), origin=origin.replace('"', "'"))
    path.write_text(text)
    secret_path = home / SECRET_NAME
    if not secret_path.exists():
        create_secret(secret_path)
    if not (home / INTAKE_KEY_NAME).exists():
        create_intake_key(home)
    return load_config(home)


def create_intake_key(home: Path) -> str:
    """Create ``HOME/intake.key``: a new random key, one line of 64 hex digits, mode 0600.

    Webhook senders sign each body with HMAC-SHA256 keyed with this line of
    text (see ``docs/running.md``). An existing key is never overwritten.
    """
    key = secrets.token_hex(32)
    create_private(home / INTAKE_KEY_NAME, key + "\n", "the intake key", ConfigError)
    return key


def load_intake_key(home: Path) -> bytes:
    """The intake key's line of text, as the HMAC key; refused when others can read the file."""
    path = home / INTAKE_KEY_NAME
    text = read_private(path, "the intake key", ConfigError,
                        missing="no intake key (run 'openledger intake serve' once to create it)")
    lines = text.strip().splitlines()
    if len(lines) != 1 or len(lines[0].strip()) < 16:
        raise ConfigError("the intake key must be one line of at least 16 characters", path=path)
    return lines[0].strip().encode("ascii")


def origin_of(config: Config) -> str:
    """The log origin (and signing key name) from ``[instance] origin``."""
    origin = config.get("instance").get("origin")
    if not isinstance(origin, str) or not origin or " " in origin or "+" in origin:
        raise ConfigError("[instance] origin must be a non-empty string without spaces or '+'", path=config.path)
    return origin
