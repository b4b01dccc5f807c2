"""The templates openledger ships (package data), and :mod:`.scaffold`, which writes a plugin package from
``plugin/``. ``hierarchy.toml`` is the default response hierarchy; ``replies/`` the reply templates."""
