"""Errors a user can act on: one class tree, one exit status each.

The command line prints ``str(error)`` as one line and exits with the error's
``exit_code`` (see :mod:`openledger.cli`); anything else that escapes a
command is a bug, reported as one line too unless ``--debug`` asks for the
traceback.
"""

from __future__ import annotations


class OpenLedgerError(Exception):
    """A problem with the user's input, files, configuration or database.

    ``str(error)`` is the one line shown to the user; it names the file and
    the record where there is one.
    """

    exit_code = 1

    def __init__(self, message: str, *, path=None, location: str | None = None):
        self.message = message
        self.path = path
        self.location = location
        super().__init__(self.render())

    def render(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}"
            if self.location:
                where += f": {self.location}"
            where += ": "
        elif self.location:
            where = f"{self.location}: "
        return where + self.message


class ConfigError(OpenLedgerError):
    """The instance configuration is missing or invalid."""


class StoreError(OpenLedgerError):
    """The database cannot be opened or is in an unusable state."""


class SourceError(OpenLedgerError):
    """A whole input file is unusable (a source raises it from ``read``)."""


class BadRecordError(OpenLedgerError):
    """A record in an input file is invalid; nothing of the file was imported."""


class NotFoundError(OpenLedgerError):
    """A case, plugin or file named by the user does not exist."""


class PollError(OpenLedgerError):
    """A network service cannot be read by a poller (refused login, unreachable, out of retries)."""


class PluginError(OpenLedgerError):
    """A plugin broke its contract: a bug of the plugin, not bad input.

    ``str(error)`` names the plugin (its distribution and entry point when it
    is installed), the object and the case or file concerned. A plugin fault
    is never quarantined as bad customer data: what the plugin was doing is
    rolled back or left to do again, and the fault is recorded.
    """

    def __init__(self, message: str, *, plugin: str | None = None, subject: str | None = None, path=None,
                 location: str | None = None):
        self.plugin = plugin
        self.subject = subject
        super().__init__(message, path=path, location=location)
