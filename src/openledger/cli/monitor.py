"""``monitor``: keep watch over published logs (filled in below)."""
