"""Built-in classifiers: transparent rules, cue lexicons and VADER.

Plugin modules: :mod:`.lexical` (kind, category, urgency, wants, spam),
:mod:`.vader` (sentiment) and :mod:`.influence` (leverage, tone, moves_private,
gag). The other modules are pure support code.
"""
