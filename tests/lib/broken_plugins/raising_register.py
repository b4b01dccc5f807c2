"""A ``register_classifiers`` that raises (it reads a config key that is not there)."""

from openledger import hookimpl


@hookimpl
def register_classifiers(register, config):
    register(config["regulator"]["model"])
