"""Plugin contracts enforced at the edge: every mistake of the broken plugins in ``tests/lib/broken_plugins``.

Each broken plugin is declared installed (a distribution with an entry point)
and loaded alone with ``openledger.testing.plugin_manager``; each test checks
the one line naming the plugin, its distribution, entry point and object,
the exit status, and that nothing was half-done, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json

import broken_plugins
import pytest
from broken_plugins import failing_case_opened, write_posts

from openledger.testing import InstanceRunner, plugin_manager

DIST = "openledger-{0} 0.1, entry point {0} = broken_plugins.{1}"



@pytest.fixture
def posts(tmp_path):
    return write_posts(tmp_path / "posts.jsonl")


@pytest.fixture
def two_cases(instance: InstanceRunner, tmp_path) -> InstanceRunner:
    """An instance with two new cases, imported by the built-in jsonl source."""
    path = tmp_path / "two.jsonl"
    path.write_text("".join(json.dumps({"id": str(n), "channel": "email", "visibility": "private",
                                        "timestamp": f"2026-03-0{n}T09:00:00Z", "text": text}) + "\n"
                            for n, text in ((1, "I was charged twice, please refund me."),
                                            (2, "My parcel never arrived."))))
    instance.run("ingest", "jsonl", path)
    return instance


def error(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one line, no traceback
    return lines[0]


def nothing_imported(instance: InstanceRunner) -> None:
    assert [instance.count(t) for t in ("messages", "cases", "events", "ledger_entries")] == [0, 0, 0, 0]


# --- load time: hooks and entry points ---------------------------------------------------


def test_a_misspelt_hook_name(instance: InstanceRunner, install, posts):
    name = install("forum", "misspelt_hook")
    problem = "implements register_source, which is not an openledger hook (did you mean register_sources?)"
    with plugin_manager(only=[name]):
        result = instance.run("ingest", "forum", posts, expect=1)
        assert error(result) == f"Error: plugin 'forum' ({DIST.format('forum', 'misspelt_hook')}): {problem}"
        nothing_imported(instance)
        listed = instance.run("plugins", "--installed").stdout  # still runs, and shows the problem
        assert f"forum 0.1 (installed: openledger-forum)\n  entry point: forum = broken_plugins.misspelt_hook\n" \
               f"  hooks: register_source\n  PROBLEM: {problem}\n" in listed
        checked = instance.run("plugins", "--check", expect=1)
        assert error(checked) == error(result)


def test_a_misspelt_hook_argument_does_not_stop_plugins(instance: InstanceRunner, install, posts):
    name = install("forum", "misspelt_argument")
    with plugin_manager(only=[name]):
        result = instance.run("ingest", "forum", posts, expect=1)
        assert error(result) == (f"Error: plugin 'forum' ({DIST.format('forum', 'misspelt_argument')}): hook "
                                 "register_sources() has argument 'confg' that the hook does not pass (it passes "
                                 "register, config)")
        nothing_imported(instance)
        rows = json.loads(instance.run("plugins", "--json", "--installed").stdout)
        assert [(r["name"], r["hooks"], r["problems"]) for r in rows] == [
            ("forum", ["register_sources"], [error(result).split("): ", 1)[1]])]


def test_two_plugins_registering_a_source_of_the_same_name(instance: InstanceRunner, install, posts):
    first, second = install("forum-a", "same_source_a"), install("forum-b", "same_source_b")
    with plugin_manager(only=[first, second]):
        result = instance.run("ingest", "forum", posts, expect=1)
        # installed later, asked first: forum-b registers 'forum', forum-a is the duplicate
        assert error(result) == (f"Error: plugin 'forum-a' ({DIST.format('forum-a', 'same_source_a')}): source "
                                 f"'forum' is registered also by plugin 'forum-b' "
                                 f"({DIST.format('forum-b', 'same_source_b')}): names must be unique within a kind")
        nothing_imported(instance)
        rows = {r["name"]: r for r in json.loads(instance.run("plugins", "--json", "--installed").stdout)}
        assert [item["name"] for item in rows["forum-b"]["registers"]] == ["forum"]
        assert rows["forum-a"]["registers"] == [] and len(rows["forum-a"]["problems"]) == 1


def test_two_distributions_with_the_same_entry_point_name_import_neither(instance: InstanceRunner, install, posts):
    install("forum", "side_effect_a", "openledger-forum")
    install("forum", "side_effect_b", "forum-tools", "2.0")
    with plugin_manager(only=["forum"]):
        result = instance.run("ingest", "forum", posts, expect=1)
        assert error(result) == (
            "Error: plugin 'forum': is declared by 2 distributions: openledger-forum 0.1 (forum = "
            "broken_plugins.side_effect_a); forum-tools 2.0 (forum = broken_plugins.side_effect_b); none of them "
            "was loaded: uninstall all but one")
        assert broken_plugins.IMPORTED == []  # neither was imported, side effects and all
        nothing_imported(instance)
        assert "  PROBLEM: is declared by 2 distributions" in instance.run("plugins", "--installed").stdout


# --- registered objects -------------------------------------------------------------------


def test_a_source_without_read(instance: InstanceRunner, install, posts):
    name = install("forum", "no_read")
    with plugin_manager(only=[name]):
        result = instance.run("ingest", "forum", posts, expect=1)
        assert error(result) == (f"Error: plugin 'forum' ({DIST.format('forum', 'no_read')}): source 'forum' has "
                                 "no read() method")
        nothing_imported(instance)
        instance.run("plugins", "--check", expect=1)


def test_a_register_hook_that_raises(two_cases: InstanceRunner, install):
    name = install("regulator", "raising_register")
    with plugin_manager(only=[name]):
        result = two_cases.run("process", expect=1)
    assert error(result) == (f"Error: plugin 'regulator' ({DIST.format('regulator', 'raising_register')}): "
                             "register_classifiers() raised KeyError: 'regulator'")
    assert two_cases.count("events", "type = 'classified'") == 0


def test_a_label_of_its_own_needs_its_values(two_cases: InstanceRunner, install):
    name = install("regulator", "classifiers:OWN_LABEL_WITHOUT_VALUES")
    with plugin_manager(only=[name]):
        result = two_cases.run("process", expect=1)
    assert error(result) == (
        f"Error: plugin 'regulator' ({DIST.format('regulator', 'classifiers:OWN_LABEL_WITHOUT_VALUES')}): "
        "classifier 'regulator': label 'regulator' is not one of kind, category, sentiment, urgency, wants, spam, "
        "leverage, tone, moves_private, gag: "
        "a label of its own needs 'values' (its value set)")
    assert two_cases.count("cases", "processed_at is null") == 2


# --- sources at ingest: plugin faults, not bad input --------------------------------------


@pytest.mark.parametrize("skip_bad", [False, True])
def test_a_source_yielding_another_channel_than_it_declares(instance: InstanceRunner, install, posts, skip_bad):
    name = install("reddit", "wrong_channel")
    with plugin_manager(only=[name]):
        result = instance.run("ingest", "reddit", posts, *(["--skip-bad"] if skip_bad else []), expect=1)
    skip = " (--skip-bad skips bad input, not a plugin's faults)" if skip_bad else ""
    assert error(result) == (
        f"Error: {posts}: post 1: plugin 'reddit' ({DIST.format('reddit', 'wrong_channel')}): source 'reddit' "
        "yielded a record that breaks the record contract: channel 'twitter' differs from the source's 'reddit'; a "
        f"fault of the plugin, not bad input{skip} (nothing from this file was imported)")
    nothing_imported(instance)
    assert not (instance.home / "quarantine").exists()  # good data is not quarantined for a plugin's bug
    assert instance.count("plugin_faults", f"plugin = 'reddit' and subject = '{posts}: post 1'") == 1


@pytest.mark.parametrize(("module", "location", "problem"), [
    ("naive_timestamp", "post 1", "timestamp must be a timezone-aware datetime"),
    ("text_none", "post 3", "text must be a string"),
    ("reddit_identity", "post 1", "identity 'u/jo_customer' has none of the documented forms (an e-mail address, "
                                  "a phone number, @handle, NETWORK:VALUE): write a handle as '@name'"),
])
def test_a_source_bug_is_a_plugin_fault_that_skip_bad_does_not_quarantine(
        instance: InstanceRunner, install, posts, module, location, problem):
    name = install("forum", module)
    with plugin_manager(only=[name]):
        result = instance.run("ingest", "forum", posts, "--skip-bad", expect=1)
    assert error(result) == (
        f"Error: {posts}: {location}: plugin 'forum' ({DIST.format('forum', module)}): source 'forum' yielded a "
        f"record that breaks the record contract: {problem}; a fault of the plugin, not bad input (--skip-bad skips "
        "bad input, not a plugin's faults) (nothing from this file was imported)")
    nothing_imported(instance)
    assert not (instance.home / "quarantine").exists()
    assert instance.count("plugin_faults", "plugin = 'forum'") == 1


# --- classifiers and responders: the decision contract ------------------------------------

CONTRACT_CASES = [
    ("classifiers:RANT_KIND", "classifier 'rant-kind'",
     "gave kind 'rant', which is not in the values of that label: complaint, compliment, question, suggestion"),
    ("classifiers:WEATHER_CATEGORY", "classifier 'weather-category'",
     "gave category 'weather', which is not in the taxonomy: account, banking, billing, delivery, fraud, "
     "insurance, other, privacy, product-fault, service, technical, travel"),
    ("classifiers:OVERCONFIDENT_URGENCY", "classifier 'overconfident'",
     "gave urgency 'high' a confidence of 1.7, not a number in [0, 1]"),
    ("classifiers:OUTSIDE_OWN_VALUES", "classifier 'regulator'",
     "gave regulator 'maybe', which is not one of the values it declares: no, yes"),
    ("responders:TIER_NINE_PLUGIN", "responder 'tier-nine'",
     "draft: gave tier 9, not a whole number from 1 to 3 ([escalation] max_tier)"),
    ("responders:NEGATIVE_REFUND_PLUGIN", "responder 'negative-refund'",
     "propose_remedy: proposed refund of -50.0, not an amount from 0 to 500 ([remedies] max_amount)"),
    ("responders:HUGE_PROPOSAL_PLUGIN", "responder 'huge-proposal'",
     "propose_remedy: proposed credit of 99999.0, not an amount from 0 to 500 ([remedies] max_amount)"),
    ("responders:VOUCHER_PLUGIN", "responder 'voucher'",
     "propose_remedy: proposed remedy 'voucher', which is not in the policy: refund, credit, replacement, repair, "
     "apology, none"),
]


@pytest.mark.parametrize(("target", "obj", "problem"), CONTRACT_CASES, ids=[c[0].split(":")[1] for c in CONTRACT_CASES])
def test_a_decision_outside_the_contract_leaves_the_case_unprocessed(two_cases: InstanceRunner, install, target,
                                                                       obj, problem):
    name = install("acme", target)
    with plugin_manager(only=[name]):
        result = two_cases.run("process", expect=1)
        listed = two_cases.run("plugins", "--installed").stdout  # the health view: faults recorded, the latest
    assert error(result) == (f"Error: plugin 'acme' ({DIST.format('acme', target)}): {obj} on case 1: {problem} "
                             "(case 1 stays unprocessed and is tried again on the next run; 2 cases in all are left "
                             "unprocessed by plugin faults)")
    # nothing of either case was recorded, and the faults are, as the plugin's
    assert two_cases.count("cases", "processed_at is null and status = 'new'") == 2
    assert two_cases.count("events", "type in ('classified', 'drafted', 'escalated', 'remedy-proposed')") == 0
    assert two_cases.count("plugin_faults", "plugin = 'acme'") == 2
    assert not (two_cases.home / "quarantine").exists()
    assert f"  faults recorded: 2, the latest: plugin 'acme' ({DIST.format('acme', target)}): {obj} on case 2: " \
           in listed
    if "refund" in problem:  # the refused proposal cannot be applied by resolve either
        two_cases.run("resolve", "1", "--outcome", "upheld")
        assert two_cases.json("cases", "show", "1", "--json")["amount"] == 0
    with plugin_manager(only=[]):  # without the broken plugin the cases are processed on the next run
        two_cases.run("process")
    assert two_cases.count("cases", "processed_at is null") == 0


# --- event hooks and pages ----------------------------------------------------------------


def test_case_opened_is_delivered_at_least_once_and_retried_on_the_next_run(instance: InstanceRunner, install,
                                                                             tmp_path):
    failing_case_opened.DELIVERED.clear()
    failing_case_opened.BROKEN["on"] = True
    name = install("helpdesk", "failing_case_opened")
    path = tmp_path / "three.jsonl"
    path.write_text("".join(json.dumps({"id": str(n), "channel": "webform", "visibility": "private",
                                        "timestamp": f"2026-03-0{n}T09:00:00Z", "text": "help"}) + "\n"
                            for n in (1, 2, 3)))
    with plugin_manager(only=[name]):
        result = instance.run("ingest", "jsonl", path, expect=1)
        assert "imported" in result.stdout  # the import itself is committed
        assert error(result) == (
            f"Error: plugin 'helpdesk' ({DIST.format('helpdesk', 'failing_case_opened')}): case_opened failed for "
            "case 2: ConnectionError: help desk unreachable (the change is committed; 2 event hook call(s) stay "
            "queued and are retried on the next run)")
        assert instance.count("cases") == 3
        assert [c for c, _ in failing_case_opened.DELIVERED] == [1]
        assert instance.count("outbox", "plugin = 'helpdesk' and attempts = 1") == 1  # case 2; case 3 waits
        assert instance.count("outbox") == 2
        assert instance.count("plugin_faults", "plugin = 'helpdesk' and subject = 'case 2'") == 1
        failing_case_opened.BROKEN["on"] = False  # the help desk is back
        instance.run("process")  # the next run delivers what is owed
    opened = dict(failing_case_opened.DELIVERED)
    assert sorted(opened) == [1, 2, 3] and instance.count("outbox") == 0
    with instance.engine.connect() as conn:  # each call carried the id of its case's opened event
        import sqlalchemy as sa

        ids = dict(conn.execute(sa.text("select case_id, id from events where type = 'opened'")).all())
    assert opened == ids


def test_a_page_that_fails_to_render_fails_the_build(instance: InstanceRunner, install, posts, tmp_path):
    name = install("press", "failing_page")
    out = tmp_path / "site"
    with plugin_manager(only=[name]):
        result = instance.run("build", "--out", out, expect=1)
    assert error(result) == (f"Error: plugin 'press' ({DIST.format('press', 'failing_page')}): site page 'press.md' "
                             "failed to render: AttributeError: 'SiteContext' object has no attribute "
                             "'no_such_field' (the site was not built; the previous one is untouched)")
    assert not out.exists()


def test_trace_plugins_shows_every_hook_call(instance: InstanceRunner, install, posts, monkeypatch):
    monkeypatch.setenv("OPENLEDGER_TRACE_PLUGINS", "1")
    name = install("forum", "same_source_a")
    with plugin_manager(only=[name]):
        result = instance.run("ingest", "forum", posts)
    traced = [line for line in result.stderr.splitlines() if line.startswith("openledger: hook ")]
    assert traced[0].startswith("openledger: hook register_sources(register=<register>, config={instance, ")
    assert traced[0].endswith(") -> forum")  # called through pluggy, one plugin at a time
    assert any(line.endswith("-> openledger.builtin.sources.jsonl") for line in traced)
    assert instance.count("cases") == 2


def test_a_site_built_hook_that_raises_names_the_plugin_and_leaves_the_site(instance: InstanceRunner, install,
                                                                            tmp_path):
    name = install("upload", "failing_site_built")
    out = tmp_path / "site"
    with plugin_manager(only=[name]):
        result = instance.run("build", "--out", out, expect=1)
    assert error(result) == (f"Error: plugin 'upload' ({DIST.format('upload', 'failing_site_built')}): site_built "
                             f"failed: PermissionError: cannot upload site: access denied (the site is built in "
                             f"{out.resolve()}; the plugins after this one were not called)")
    assert (out / "index.html").is_file()


def test_an_audit_metric_that_raises_names_the_metric_and_the_plugin(two_cases: InstanceRunner, install):
    name = install("refunds", "failing_metric")
    with plugin_manager(only=[name]):
        result = two_cases.run("audit", expect=1)
    assert error(result) == (f"Error: plugin 'refunds' ({DIST.format('refunds', 'failing_metric')}): audit metric "
                             "'refund_rate' failed: KeyError('refunded')")


def test_a_redactor_that_raises_names_the_redactor_and_the_plugin(instance: InstanceRunner, install):
    name = install("membership", "failing_redactor")
    with plugin_manager(only=[name]):
        result = instance.run("redact", input="my number is NW-12345678", expect=1)
    assert error(result).startswith(f"Error: plugin 'membership' ({DIST.format('membership', 'failing_redactor')}): "
                                    "redactor 'membership-numbers' failed: ")
    assert result.stdout == ""  # nothing half-redacted


def test_case_opened_owed_by_a_stopped_command_is_not_lost(instance: InstanceRunner, install, posts):
    """Stopped between the commit and the calls (Ctrl-C here; a crash alike), the calls stay owed."""
    from broken_plugins import interrupted_case_opened as hook

    hook.DELIVERED.clear()
    hook.INTERRUPT["on"] = True
    source, notify = install("forum", "same_source_a"), install("notify", "interrupted_case_opened")
    with plugin_manager(only=[source, notify]):
        result = instance.run("ingest", "forum", posts, expect=130)
        assert result.stderr.strip() == (f"interrupted; imported whole: {posts}; the event hook calls not made yet "
                                         "stay owed and are made on the next run")
        assert instance.count("cases") == 2 and instance.count("outbox", "plugin = 'notify'") == 2
        instance.run("respond", "1", "--text", "We are on it.")  # the next run, here an agent action
    assert sorted(hook.DELIVERED) == [1, 2] and instance.count("outbox") == 0
