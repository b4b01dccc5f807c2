"""Cases: their events and what agents and the engine do to them.

- :mod:`.events`: appending events, the only way a case's state changes;
- :mod:`.process`: classify new cases, draft replies, propose remedies (through the hooks);
- :mod:`.blinding`: the channel-blind view given to remedy proposers;
- :mod:`.actions`: respond, escalate, resolve, reopen;
- :mod:`.erasure`: a customer's request to be forgotten;
- :mod:`.views`, :mod:`.queries`: read-only views for plugins and for agents;
- :mod:`.hierarchy`, :mod:`.levels`, :mod:`.sla`, :mod:`.calendar`: the response
  hierarchy, response levels, service targets and business hours;
- :mod:`.summary`: a customer's problem in their own words.

It imports ``store``, ``privacy`` and the plugin manager; never ``intake``,
``site``, ``demo``, ``cli`` or a built-in plugin.
"""
