"""The openledger plugin API: every hook a plugin can implement.

A plugin is a module or object with functions decorated by
``openledger.hookimpl`` whose names and argument names match the
specifications below. A hook implementation may accept any subset of a
hook's arguments. Installed plugins are found through the ``openledger``
entry-point group; the built-in sources, classifiers, responders, redactors
and audit metrics are registered through exactly the same hooks.
``openledger plugins`` lists what is loaded, and ``openledger plugins
--check`` exits 1 when a plugin is broken.

**Checked when a plugin loads.** A hook name that is not below (with a "did
you mean"), an argument a hook does not pass, an entry point that does not
import, and an entry-point name declared by two distributions are each one
line naming the plugin, its distribution and its entry point; every command
that needs plugins then stops with exit status 1, while ``openledger
plugins`` still lists the plugin with its problem.

**Order.** No hook is ``firstresult``: every implementation is called.
pluggy calls implementations in the reverse order of registration, so
installed plugins come before the built-ins (``tryfirst``/``trylast`` on an
implementation move it); where "the first that answers decides" (labels,
drafts, remedies), an installed plugin can override a built-in.

**Registered objects.** The ``register_*`` hooks follow the style of
``llm``: the core passes a ``register`` callback and the plugin calls it once
for each object it adds. Each object has a ``name`` (unique within its kind:
a second object of the same name, from the same or another plugin, is an
error naming both) and a ``version`` string; both are recorded on the ledger
next to each decision the object makes, so an auditor can see who decided
what. What each kind must have is checked when a command collects them; a
``register_*`` implementation that raises is one line naming the plugin.

**Faults.** A plugin that raises, or returns what its contract does not
allow, is a plugin fault: the command stops what the plugin was part of
without recording half of it, exits 1 with one line naming the plugin, the
object and the case (or the file and record), and records the fault in the
database (``openledger plugins`` shows each plugin's latest). A fault is
never treated as bad customer data. ``OPENLEDGER_TRACE_PLUGINS=1`` prints
every hook call (pluggy's hook-call monitoring) on standard error, and
``--debug`` shows the traceback behind any one-line error.

The value types named here are in :mod:`openledger.records`; the reference
documentation (``docs/reference/hooks.md``) lists their fields.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("openledger")


# --- registration hooks ----------------------------------------------------------------------


@hookspec
def register_sources(register, config):
    """Register source connectors that read exports and files into messages.

    :param register: call ``register(source)`` once per source object.
    :param config: the instance configuration, a read-only mapping of the
        parsed ``openledger.toml`` (with defaults filled in).

    A source object has these attributes and method (checked when
    ``openledger ingest`` collects sources):

    - ``name`` (str): what the user types in ``openledger ingest NAME PATH``;
    - ``version`` (str);
    - ``description`` (str, optional): one line for ``openledger plugins``;
    - ``channel`` (str or None): the channel it produces, lower case, or None
      when the channel comes from the data (CSV, JSONL, Zendesk); every
      record must then have this channel;
    - ``visibility`` (str or None): ``public``, ``private`` or None when it
      comes from the data; likewise enforced;
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
    ledger. A file is read and checked whole before anything is written, so
    a bad record (without ``--skip-bad``) imports nothing of it; its records
    are then written in batches of whole records, each its own short
    transaction, and an interrupted import run again adds exactly the rest.

    Errors: a ``Rejected`` is bad input (``--skip-bad`` quarantines it and
    imports the rest); a ``SourceError`` is an unusable file. Everything else
    is a fault of the plugin, reported in one line naming it, the file and
    the record, with nothing of the file imported even with ``--skip-bad``:
    ``read`` raising any other exception, yielding anything but the three
    record types, or yielding a record that breaks the record contract of
    :mod:`openledger.intake.contract` (a naive timestamp, ``text=None``, a
    channel or visibility other than declared, an identity in none of the
    forms of :func:`openledger.privacy.identity.form_of`). A source that
    copies fields from its input as they are turns such a record into a
    ``Rejected`` with :func:`openledger.intake.contract.checked`.
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
    ``wants``, ``spam``, ``severity``, ``leverage``, ``tone``,
    ``moves_private``, ``gag``, or a new label name of the plugin's
    own), optionally ``values`` (the values it may give; required for a label
    of its own, and a subset of the label's values for a standard one) and a
    method ``classify(item)`` that receives a
    :class:`openledger.records.ClassifyInput` (text, channel, subject,
    ``authors``: how many people wrote the customer's side of the case's
    conversation, the messages sharing a ``thread``, or None; ``replies``:
    the company's messages of the case, direction ``out``, oldest first, empty
    before the company answers; ``rating``: the customer's star rating, a
    review's ``meta["rating"]``, or None; ``opening``: the customer's first
    message alone when the case holds more than one, else None: the built-in
    ``spam`` decides from it, so bystanders' replies under a public complaint
    do not make it spam) and returns a
    :class:`openledger.records.Label` or None to abstain.

    The influence labels: ``leverage`` (the customer's text threatens or
    uses ``publicity``, the ``press``, a ``regulator``, ``legal`` action, or
    ``none``), ``tone`` (``hostile``, ``negative``, ``neutral``,
    ``positive``; the rating is evidence; the built-in reads ``opening``
    when there is one: later messages may be angry because the customer was
    kept waiting, which the tone audit must not count as how they came in),
    and, read from ``replies``,
    ``moves_private`` (``yes``: a reply asks to continue by DM, phone,
    e-mail, a form or chat; else ``no``) and ``gag`` (``yes``: a reply asks
    to delete, edit or not post a review or comment, or ties a remedy to
    silence; else ``no``). The built-in classifiers of the two outbound
    labels abstain on a case without replies (nothing to judge yet), so the
    label is then absent rather than ``no``. A ``gag`` label's detail may
    hold the asking ``sentence``: the engine redacts it with the registered
    redactors before it is recorded (privately, with the ``classified``
    event).
    It may also have ``classify_many(items)``, returning the same labels for
    a sequence of inputs at once (for batch callers).

    Classifiers are asked in hook order: installed plugins before built-ins.
    For each label the first classifier that does not abstain decides; its
    name and version are recorded with the label on the ``classified`` event.

    Errors: the label's value must be within the label's values (the fixed
    values of ``kind``, ``sentiment``, ``urgency``, ``wants``, ``spam``,
    ``severity``, ``leverage``, ``tone``, ``moves_private`` and ``gag``,
    :data:`openledger.records.LABEL_VALUES`; the instance's taxonomy for
    ``category``; the declared ``values`` otherwise) and its confidence a number in [0, 1]. A
    classifier that raises or breaks this leaves the case unprocessed
    (nothing of it is recorded; it is tried again on the next run), the
    other cases go on, and ``openledger process`` exits 1 naming the plugin,
    the classifier and the case.
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

    Errors: a draft's tier must be a whole number from 1 to ``[escalation]
    max_tier`` (default 3) and its targets None or hours >= 0; a proposal's
    remedy one of the policy's (``refund``, ``credit``, ``replacement``,
    ``repair``, ``apology``, ``none``) and its amount from 0 to
    ``[remedies] max_amount`` (default 500; 0 for ``none`` and
    ``apology``). A responder that raises or breaks this leaves the case
    unprocessed, like a classifier, and ``openledger process`` exits 1 naming
    the plugin, the responder and the case.
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

    Every redactor is asked (order does not matter: spans are merged).
    Errors: a redactor that raises stops the command (``openledger redact``,
    ``openledger build`` with summaries) with one line naming the redactor
    (and its plugin, in ``openledger redact``): text is never published
    half-redacted.
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
    - ``scale`` (str, optional, rates only): ``ratio`` (the default) or
      ``difference``: compare the groups' shares as a Mantel-Haenszel risk
      difference in percentage points, with the equal band
      ``[audit] tolerance_difference``: the right scale for a share near
      100 %, where a ratio hides a difference (99 % against 95 % is 1.04)
      and a ratio of the misses inflates a small one (0 % against 1.6 %);
    - ``values(cases)``: receives the published outcomes table, a mapping of
      column name to a 1-D NumPy array with one entry per case (the columns
      of ``docs/audit-method.md``, already validated: text columns as
      ``object`` arrays of ``str``, flags as ``bool``, numbers as
      ``float64``, ``severity`` as ``int64``; the same arrays serve every
      dimension's audit: read them, never change them), and returns a pair
      of arrays of the table's length:

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

    Metrics are reported in hook order. Errors: a metric whose ``values``
    raises or returns arrays of the wrong length stops the audit with one
    line naming the metric and its plugin (``openledger audit`` exits 1;
    ``openledger build`` publishes that line as the reason the audit is
    missing, and no finding of a half-computed audit).
    """


@hookspec
def register_category_maps(register, config):
    """Register maps from a source's own categories onto the instance's taxonomy.

    :param register: call ``register(category_map)`` once per map.
    :param config: the instance configuration (read-only mapping).

    The audit compares cases within strata of category x severity, so a
    case whose category is a regulator's product name or a help desk's tag
    shares no stratum with the classifier's categories and drops out of
    every adjusted comparison. A category map says which category of the
    taxonomy each native value means. It has (for example a
    :class:`openledger.cases.categories.CategoryMap`):

    - ``name`` (str), unique among maps, and ``version`` (str): kept with
      the native values in the private details of the ``opened`` event;
    - ``source`` (str): the name of the source whose records it maps;
    - ``table``: a mapping of field name to a mapping of native value to
      category name. The field ``category`` is the record's category; any
      other field is read from the record's ``meta`` (a list there is tried
      element by element). Fields are asked in the table's order, most
      specific first; the first value that names a category decides, and
      ``""`` says the value does not decide by itself (the next field
      does). Values are compared as tokens
      (:func:`openledger.privacy.labels.slug`: case, spacing and
      punctuation do not matter). Ship a large table as package data and
      read it with :func:`openledger.cases.categories.read_table`.

    When a whole case (:class:`openledger.records.CaseRecord`) is stored,
    or when ``openledger process`` categorises a case made of messages (its
    inbound messages' ``meta`` in time order; a map that decides wins over
    the classifiers and is named among the ``classified`` event's deciders),
    the instance's ``[categories.map.SOURCE.FIELD]`` tables are asked first,
    then the maps of every plugin for that source in hook order (installed
    plugins before the built-ins); a record no map decides keeps its own
    category when that is a name of the taxonomy, and is otherwise
    *unmapped*: it keeps its category as a safe token, and ``openledger
    audit`` and ``openledger build`` list it with its count. The built-in
    ``cfpb`` source registers the map of every CFPB Product, Sub-product
    and Issue (``cfpb_categories.toml``). Only cases stored after a map is
    installed are mapped: events already in the log never change.

    Errors: a map without ``name``, ``version``, ``source`` or a table of
    strings is one line naming the plugin, and every command that stores
    cases stops. A map's category that is not in the instance's taxonomy
    (a company may replace the taxonomy) is not an error: that value is
    left unmapped and listed.
    """


@hookspec
def register_site_pages(register, context):
    """Register extra pages for the public site.

    :param register: call ``register(page)`` once per page, where ``page``
        has ``path`` (relative Markdown path such as ``press.md``, unique
        among pages), ``title`` and ``render(context)`` returning the
        Markdown text.
    :param context: the build context (:class:`openledger.site.context.SiteContext`):
        the published (anonymized) data, the audit result and the checkpoint.
        It holds nothing personal; pages may only show what it contains.

    Pages come after the built-in pages, in hook order. Errors: a ``render``
    that raises or returns anything but text fails ``openledger build`` with
    one line naming the page and the plugin; the site is not built and the
    previous one stays untouched.
    """


# --- event hooks -----------------------------------------------------------------------------


@hookspec
def case_opened(case, event):
    """Called after a new case is stored.

    :param case: the :class:`openledger.records.CaseView` of the new case
        (as it is when the call is made).
    :param event: a read-only mapping of the ``opened`` event: ``id`` (the
        event's id, the same on every delivery), ``type``, ``case_id``,
        ``at``, ``actor`` and ``data``.

    Called once per case and plugin, after the transaction that created the
    case committed, also for a case imported already resolved (``history``,
    ``cfpb``). Return values are ignored.

    Errors: delivered at least once, never lost. The call is written to an
    outbox in the transaction that stores the case; a hook that raises keeps
    it there (the import stays committed) and ``openledger ingest`` exits 1
    naming the plugin and the case; the call, and the later ones owed to the
    same plugin, are made again on the next run of ``ingest``, ``process`` or
    an agent action. A crash between the call and its bookkeeping can repeat
    a call: drop repeats by ``event["id"]``.
    """


@hookspec
def case_resolved(case, event):
    """Called after a case is resolved.

    :param case: the :class:`openledger.records.CaseView` of the case, now
        resolved.
    :param event: a read-only mapping of the ``resolved`` event (``id``,
        ``type``, ``case_id``, ``at``, ``actor``, ``data``), whose ``data``
        holds ``outcome``, ``remedy`` and ``amount``.

    Called for a resolution by an agent (``openledger resolve``,
    :func:`openledger.cases.actions.resolve`), not for cases imported already
    resolved: those are reported by ``case_opened`` only. Return values are
    ignored.

    Errors: as ``case_opened``: at least once, through the outbox; a hook
    that raises leaves the resolution committed, makes the command exit 1
    naming the plugin and the case, and is called again on the next run.
    """


@hookspec
def site_built(site_dir, context):
    """Called after ``openledger build`` wrote the site.

    :param site_dir: the :class:`pathlib.Path` of the built static site.
    :param context: the build context (see ``register_site_pages``).

    Use it to post-process or publish the site. Called in hook order; return
    values are ignored. Errors: a hook that raises makes ``openledger build``
    exit 1 naming the plugin; the site stays built, the plugins after it are
    not called, and nothing is retried (run the build again).
    """
