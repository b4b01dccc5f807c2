"""A misspelt hook name: ``register_source`` (openledger's hook is ``register_sources``)."""

from broken_plugins import PostSource
from openledger import hookimpl


@hookimpl
def register_source(register):
    register(PostSource())
