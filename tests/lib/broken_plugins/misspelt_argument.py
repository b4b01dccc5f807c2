"""A misspelt hook argument: ``confg`` (the hook passes ``register`` and ``config``)."""

from broken_plugins import PostSource
from openledger import hookimpl


@hookimpl
def register_sources(register, confg):
    register(PostSource())
