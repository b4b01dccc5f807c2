"""``openledger demo``: a synthetic company with a year of customer contact.

The generator is deterministic for a seed. It plans every case first
(:mod:`.plan`: who, which channel, what they wrote, when the company answers
and how it resolves), writes the customer messages in the real export formats
the built-in sources read (:mod:`.exports_mail`, :mod:`.exports_social`,
:mod:`.exports_tables`), ingests them through those sources, processes them,
and lets simulated agents carry out the plan through :mod:`openledger.cases.actions`
(:mod:`.agents`). :func:`openledger.demo.runner.run_demo` does all of it.
"""
