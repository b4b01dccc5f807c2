"""Built-in pollers: network services read after a cursor (see ``register_pollers``)."""
