"""openledger: a tamper-evident public ledger of customer complaints and resolutions."""

from importlib.metadata import PackageNotFoundError, version

import pluggy

try:
    __version__ = version("openledger")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

hookimpl = pluggy.HookimplMarker("openledger")

__all__ = ["__version__", "hookimpl"]
