"""Built-in responders: the response hierarchy, reply drafts and channel-blind remedies.

Plugin module: :mod:`.policy`. The other modules are pure functions the
engine (or another plugin) may call directly: :mod:`.hierarchy`,
:mod:`.severity`, :mod:`.drafts`, :mod:`.escalation`, :mod:`.levels`,
:mod:`.remedies`, :mod:`.sla`.
"""
