"""The ``openledger`` command line.

Commands live in modules by topic and stay thin: parse the arguments, call a
service of the core (:class:`openledger.instance.Instance`, ``cases``,
``intake``, ``site``, ...), print. Nothing imports this package but
``__main__`` and the console script.

Errors are handled in one place, :meth:`Main.invoke`: an error the user can
act on (:class:`~openledger.errors.OpenLedgerError`, a database refusing) is
one line and its exit status; ``--debug`` (or ``OPENLEDGER_DEBUG=1``) shows
the traceback instead; Ctrl-C says what the interrupted command had and had
not done.

The commands' modules are imported when their command is asked for
(:data:`openledger.cli.main.COMMANDS`), so a command line pays for its own
imports only.
"""

from openledger.cli.main import main

__all__ = ["main"]
