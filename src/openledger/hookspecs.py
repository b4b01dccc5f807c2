"""The openledger plugin API: every hook a plugin can implement.

A plugin is a module or object with functions decorated by
``openledger.hookimpl`` whose names and argument names match the
specifications below. pluggy checks them at registration, so a typo fails
when the plugin loads, not later. A hook implementation may accept any subset
of a hook's arguments.

Installed plugins are found through the ``openledger`` entry-point group;
the built-in sources, classifiers, responders and redactors are registered
through exactly the same hooks. ``openledger plugins`` lists what is loaded.

The ``register_*`` hooks follow the style of ``llm``: the core passes a
``register`` callback and the plugin calls it once for each object it adds.
Every registered object has a ``name`` (unique within its kind) and a
``version`` string; both are recorded on the ledger next to each decision the
object makes, so an auditor can see who decided what.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("openledger")


@hookspec
def register_sources(register, config):
    """Register source connectors that read exports and files into messages.

    :param register: call ``register(source)`` once per source object.
    :param config: the instance configuration, a read-only mapping of the
        parsed ``openledger.toml`` (with defaults filled in).

    A source object has these attributes and method:

    - ``name`` (str): what the user types in ``openledger ingest NAME PATH``;
    - ``version`` (str);
    - ``description`` (str): one line for ``openledger plugins``;
    - ``channel`` (str or None): the channel it produces, or None when the
      channel comes from the data (CSV, JSONL, Zendesk);
    - ``visibility`` (str or None): ``public``, ``private`` or None when it
      comes from the data;
    - ``read(path, options)``: a generator over one file or folder ``path``
      (a :class:`pathlib.Path`). ``options`` is a read-only mapping of the
      ``[sources.NAME]`` table of the config merged with command-line
      ``--option key=value`` pairs. It yields
      :class:`openledger.records.MessageRecord` (a message),
      :class:`openledger.records.CaseRecord` (a whole case with its outcome,
      for history imports) or :class:`openledger.records.Rejected` (a record
      that cannot be read, with its location and the reason). It raises
      :class:`openledger.errors.SourceError` when the whole file is unusable
      (not found, wrong format, truncated archive).
    - ``read_payload(body, options, content_type)`` (optional): a generator
      over the records of one payload already received, ``body`` (bytes): a
      webhook's request body (``openledger intake serve`` accepts
      ``POST /intake/NAME`` only for sources that have this method), or a
      mail or API page fetched by a poller (see ``register_pollers``).
      ``content_type`` is its media type without parameters
      (``application/json``, ``application/x-www-form-urlencoded``,
      ``message/rfc822``), ``options`` as for ``read``. It yields the same
      three kinds of records (a payload that is not a delivery of anything,
      such as a read receipt, yields none) and raises
      :class:`openledger.errors.SourceError` for a payload it cannot read at
      all; the webhook answers both with 400 and stores nothing of the
      payload. Records of several payloads may be stored in one transaction;
      a retried payload is stored once, as its records keep their ids.

    The engine does everything common: validation, de-duplication on
    (source name, record id), threading replies into cases, linking
    identities, bad-record reporting, progress, and writing events to the
    ledger in one transaction per file, so a file is imported whole or not
    at all.
    """


@hookspec
def register_pollers(register, config):
    """Register pollers that fetch new messages from a network service.

    :param register: call ``register(poller)`` once per poller.
    :param config: the instance configuration (read-only mapping).

    A poller is the network side of a source: it fetches payloads (mails,
    pages of an API) after a cursor, and a registered source reads them
    with its ``read_payload``. A poller object has:

    - ``name`` (str): the kind of poller (``imap``, ``zendesk``); the
      config's ``[pollers.NAME]`` table configures one, and ``type = "KIND"``
      in a table of another name configures one more of the same kind
      (two mailboxes);
    - ``version`` (str) and ``description`` (str, one line);
    - ``source`` (str): the name of the source whose ``read_payload`` reads
      the payloads; records are stored under that source's name, so they are
      de-duplicated against files imported with it;
    - ``poll(cursor, options)``: a generator of
      :class:`openledger.records.Page`, oldest first. ``cursor`` is the
      ``cursor`` of the last page stored (a mapping), or None on the first
      run; ``options`` is the read-only ``[pollers.NAME]`` table. Each page
      carries the cursor that follows it. Secrets (passwords, tokens) are
      never in the config: read them from a file or an environment variable
      named there (:func:`openledger.intake.pollkit.secret_option`). Raise
      :class:`openledger.errors.PollError` when the service cannot be read
      (refused login, too many failed retries); what was stored before
      stays stored.

    ``openledger intake poll`` and ``openledger run`` store the payloads of
    each page and its cursor in one transaction: after a crash the poller
    resumes from the last page stored, so nothing is lost, and a page fetched
    twice adds nothing (its records' ids are already there). A record that
    cannot be read is quarantined (``HOME/quarantine/``) rather than stopping
    the poller on it forever, unless ``skip_bad = false``. The last outcome of
    every poller is kept for ``openledger intake status``.
    """


@hookspec
def register_classifiers(register, config):
    """Register classifiers that label the customer's messages.

    :param register: call ``register(classifier)`` once per classifier.
    :param config: the instance configuration (read-only mapping).

    A classifier object has ``name``, ``version``, ``label`` (the label it
    decides: one of ``kind``, ``category``, ``sentiment``, ``urgency``,
    ``wants``, ``spam``, or a new label name of the plugin's own) and a method
    ``classify(item)`` that receives a
    :class:`openledger.records.ClassifyInput` (text, channel, subject, and
    ``authors``: how many people wrote the customer's side of the thread, or
    None) and returns a :class:`openledger.records.Label` or None to abstain.
    It may also have ``classify_many(items)``, returning the same labels for
    a sequence of inputs at once (for batch callers).

    Classifiers are asked in hook order: installed plugins before built-ins
    (pluggy calls later registrations first). For each label the first
    classifier that does not abstain decides; its name and version are
    recorded with the label on the ``classified`` event.
    """


@hookspec
def register_responders(register, config):
    """Register responders that draft replies and propose remedies.

    :param register: call ``register(responder)`` once per responder.
    :param config: the instance configuration (read-only mapping).

    A responder object has ``name``, ``version`` and either or both of:

    - ``draft(case)``: receives a :class:`openledger.records.CaseView` and
      returns a :class:`openledger.records.Draft` (reply text, escalation
      tier, service targets) or None. The channel is visible here only so the
      reply can be delivered in the right form.
    - ``propose_remedy(case)``: receives a
      :class:`openledger.records.BlindCaseView`, from which channel,
      visibility, audience and handles are removed by the engine, and returns
      a :class:`openledger.records.RemedyProposal` or None. Remedies are
      decided channel-blind: a proposer cannot see where the customer
      complained even if it tries.

    The first responder in hook order that returns a draft (resp. a remedy)
    decides; the decision is recorded as a ``drafted`` (resp.
    ``remedy-proposed``) event naming the responder and its version.
    """


@hookspec
def register_redactors(register, config):
    """Register redactors that find personal data in free text.

    :param register: call ``register(redactor)`` once per redactor.
    :param config: the instance configuration (read-only mapping).

    A redactor object has ``name``, ``version`` and ``find(text)``, which
    returns an iterable of :class:`openledger.records.Span` (start, end,
    kind). The engine merges the spans of every redactor (overlaps join,
    the longer span's kind wins), drops spans that are exactly one of the
    company's own public handles, hotlines or addresses listed in the
    config, and replaces each span by a typed placeholder such as
    ``[EMAIL]``. Redaction happens only on text published off the ledger;
    free text never enters a ledger entry.
    """


@hookspec
def register_audit_metrics(register, config):
    """Register metrics for the fair treatment audit.

    :param register: call ``register(metric)`` once per metric.
    :param config: the instance configuration (read-only mapping).

    A metric object (for example an :class:`openledger.audit.Metric`) has:

    - ``name`` (str): the metric's key in the audit JSON, unique among
      metrics (e.g. ``remedy_rate``);
    - ``version`` (str);
    - ``kind`` (str), which decides how groups are compared within strata
      of category x severity:

      - ``rate``: a share of cases; compared by the Mantel-Haenszel risk
        ratio with a Cochran-Mantel-Haenszel test;
      - ``time``: a right-censored duration; compared by the stratified Cox
        hazard ratio, reported as a time ratio ``1 / HR`` (below 1: faster),
        with a stratified log-rank test;
      - ``amount``: a non-negative quantity; compared by a stratified ratio
        of means with a delta-method interval;

    - ``description`` (str): one plain sentence for the site;
    - ``unit`` (str, optional): ``share``, ``hours``, ``days`` or a free
      label, used to format values;
    - ``values(cases)``: receives the published outcomes table, a mapping of
      column name to a 1-D NumPy array with one entry per case (the columns
      of ``docs/audit-method.md``, already validated: text columns as
      ``object`` arrays of ``str``, flags as ``bool``, numbers as
      ``float64``, ``severity`` as ``int64``), and returns a pair of arrays
      of the table's length:

      - ``rate``: ``(hit, eligible)``, booleans: the metric is the share of
        eligible cases that are hits;
      - ``time``: ``(duration, observed)``: the time to the event, or to the
        build's "now" (``censor_hours`` / ``censor_days``) when it has not
        happened yet, with ``observed`` False; cases whose duration is NaN
        are left out;
      - ``amount``: ``(amount, eligible)``: the mean of ``amount`` over
        eligible cases.

    ``values`` must be vectorised (no Python loop over cases: the audit runs
    on a million cases) and may only use the published columns, so anyone
    can reproduce it from the site. The audit reports, for every metric and
    group, the finding described in ``docs/audit-method.md``.
    """


@hookspec
def register_site_pages(register, context):
    """Register extra pages for the public site.

    :param register: call ``register(page)`` once per page, where ``page``
        has ``path`` (relative Markdown path such as ``press.md``), ``title``
        and ``render(context)`` returning the Markdown text.
    :param context: the build context: the published (anonymized) data, the
        audit result and the checkpoint. It holds nothing personal; pages
        may only show what it contains.
    """


@hookspec
def case_opened(case, event):
    """Called after a new case is stored.

    :param case: the :class:`openledger.records.CaseView` of the new case.
    :param event: a read-only mapping of the ``opened`` event
        (``type``, ``case_id``, ``at``, ``data``).

    Called once per case, after the transaction that created it committed,
    also for a case imported already resolved (``history``, ``cfpb``).
    Return values are ignored.
    """


@hookspec
def case_resolved(case, event):
    """Called after a case is resolved.

    :param case: the :class:`openledger.records.CaseView` of the case, now
        resolved.
    :param event: a read-only mapping of the ``resolved`` event, whose
        ``data`` holds ``outcome``, ``remedy`` and ``amount``.

    Called for a resolution by an agent (``openledger resolve``,
    :func:`openledger.cases.actions.resolve`), not for cases imported already
    resolved: those are reported by ``case_opened`` only. Return values are
    ignored.
    """


@hookspec
def site_built(site_dir, context):
    """Called after ``openledger build`` wrote the site.

    :param site_dir: the :class:`pathlib.Path` of the built static site.
    :param context: the build context (see ``register_site_pages``).

    Use it to post-process or publish the site. Return values are ignored.
    """
