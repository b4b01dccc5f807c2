"""Registers a second source named ``forum``: names must be unique within a kind."""

from broken_plugins import PostSource
from openledger import hookimpl


@hookimpl
def register_sources(register):
    register(PostSource("forum"))
