"""Built-in classifiers: transparent rules, cue lexicons and VADER.

Plugin modules: :mod:`.lexical` (kind, category, urgency, wants, spam) and
:mod:`.vader` (sentiment). The other modules are pure support code.
"""
