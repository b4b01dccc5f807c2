"""The other of two distributions declaring the entry point ``forum``; importing it has a side effect."""

from broken_plugins import IMPORTED, PostSource
from openledger import hookimpl

IMPORTED.append(__name__)


@hookimpl
def register_sources(register):
    register(PostSource())
