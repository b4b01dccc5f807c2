"""One category vocabulary: the shipped CFPB map, ``[categories.map]`` and a plugin's map, through the CLI."""

from __future__ import annotations

import csv
import json
from collections import Counter

import sqlalchemy as sa
from paths import DATA

from openledger import hookimpl
from openledger.cases.categories import CategoryMap
from openledger.testing import InstanceRunner, plugin_manager

CFPB_SMALL = DATA / "ledger_cfpb_300.csv"


def history_case(number: int, category: str, channel: str = "email") -> str:
    return json.dumps({
        "id": f"H-{number}", "channel": channel, "visibility": "private", "category": category, "severity": 2,
        "opened_at": f"2025-03-{1 + number % 27:02d}T09:00:00Z",
        "first_response_at": f"2025-03-{1 + number % 27:02d}T15:00:00Z",
        "resolved_at": f"2025-03-{2 + number % 27:02d}T09:00:00Z",
        "outcome": "upheld", "remedy": "refund", "amount": 10.0, "escalated": False, "reopened": False,
    })


def write_history(path, categories: list[str]) -> None:
    path.write_text("".join(history_case(i, c) + "\n" for i, c in enumerate(categories)), encoding="utf-8")


def stored(instance: InstanceRunner, source: str) -> Counter:
    with instance.engine.connect() as conn:
        rows = conn.execute(sa.text("select category, count(*) from cases where source = :s group by category"),
                            {"s": source}).all()
    return Counter(dict(rows))


def add_config(instance: InstanceRunner, text: str) -> None:
    with (instance.home / "openledger.toml").open("a", encoding="utf-8") as config:
        config.write("\n" + text)


def test_cfpb_products_and_issues_become_taxonomy_categories(instance: InstanceRunner):
    rows = list(csv.DictReader(CFPB_SMALL.open(encoding="utf-8-sig")))
    instance.run("ingest", "cfpb", CFPB_SMALL)
    categories = stored(instance, "cfpb")
    fraud = sum(1 for r in rows if r["Issue"] in ("Fraud or scam", "Identity theft / Fraud / Embezzlement"))
    assert fraud and categories["fraud"] >= fraud
    assert set(categories) <= {"banking", "billing", "account", "privacy", "service", "fraud"}, categories
    assert sum(categories.values()) == len(rows)
    audit = instance.json("audit", "--exact", "--json")
    assert audit["unmapped_categories"] == []
    # the regulator's words stay private: in the opened event's private details, not in its public data
    with instance.engine.connect() as conn:
        data, private = conn.execute(sa.text("select data, private from events where type = 'opened' limit 1")).one()
    data, private = (json.loads(v) if isinstance(v, str) else v for v in (data, private))
    assert set(private["native_category"]) >= {"product", "issue"} and private["category_map"] == "cfpb"
    assert data["category"] in categories and "native_category" not in data


def test_config_overrides_the_shipped_map_and_maps_a_history_vocabulary(instance: InstanceRunner, tmp_path):
    add_config(instance, '[categories.map.cfpb.product]\n"Debt collection" = "billing"\n\n'
                         '[categories.map.history.category]\n"Late parcel" = "delivery"\n"rude-agent" = "service"\n')
    rows = list(csv.DictReader(CFPB_SMALL.open(encoding="utf-8-sig")))
    instance.run("ingest", "cfpb", CFPB_SMALL)
    debts = sum(1 for r in rows if r["Product"] == "Debt collection")
    assert debts and stored(instance, "cfpb")["billing"] >= debts
    write_history(tmp_path / "h.jsonl", ["late parcel", "Rude agent", "billing", "Loyalty points", "loyalty points"])
    out = instance.run("ingest", "history", tmp_path / "h.jsonl").stdout
    assert "2 cases kept a category outside the taxonomy" in out
    assert stored(instance, "history") == Counter({"delivery": 1, "service": 1, "billing": 1, "loyalty-points": 2})
    audit = instance.json("audit", "--exact", "--json")
    assert audit["unmapped_categories"] == [{"source": "history", "category": "loyalty-points", "cases": 2}]
    text = instance.run("audit", "--exact").stdout
    assert "Unmapped categories" in text and "loyalty-points" in text
    build = instance.run("build", "--out", tmp_path / "site")
    assert "warning: 2 cases in 1 categories outside the taxonomy" in build.stderr
    assert "history 'loyalty-points' (2)" in build.stderr


class LoyaltyMap:
    """A plugin that maps the history's loyalty vocabulary, and overrides one CFPB issue."""

    @hookimpl
    def register_category_maps(self, register):
        register(CategoryMap(name="loyalty", version="0.3", source="history",
                             table={"category": {"Loyalty points": "billing", "Gift card": ""}}))
        register(CategoryMap(name="cfpb-disputes", version="0.3", source="cfpb",
                             table={"issue": {"Incorrect information on your report": "service"}}))


def test_a_plugin_registers_a_map_through_the_hook(instance: InstanceRunner, tmp_path):
    write_history(tmp_path / "h.jsonl", ["loyalty points", "gift card", "billing"])
    rows = list(csv.DictReader(CFPB_SMALL.open(encoding="utf-8-sig")))
    with plugin_manager(only=[LoyaltyMap()]):
        instance.run("ingest", "history", tmp_path / "h.jsonl")
        instance.run("ingest", "cfpb", CFPB_SMALL)
        plugins_json = instance.json("plugins", "--json")
        audit = instance.json("audit", "--exact", "--json")
    assert stored(instance, "history") == Counter({"billing": 2, "gift-card": 1})
    incorrect = sum(1 for r in rows if r["Issue"] == "Incorrect information on your report")
    assert incorrect and stored(instance, "cfpb")["service"] >= incorrect  # installed plugins before the built-in
    assert audit["unmapped_categories"] == [{"source": "history", "category": "gift-card", "cases": 1}]
    mine = next(p for p in plugins_json if p["name"] == "LoyaltyMap")
    assert "register_category_maps" in mine["hooks"]
    assert {(r["kind"], r["name"]) for r in mine["registers"]} == {("category map", "loyalty"),
                                                                  ("category map", "cfpb-disputes")}
    cfpb = next(p for p in plugins_json if p["name"] == "openledger.builtin.sources.cfpb")
    assert ("category map", "cfpb") in {(r["kind"], r["name"]) for r in cfpb["registers"]}


def test_a_map_to_a_category_outside_the_taxonomy_is_one_line(instance: InstanceRunner, tmp_path):
    write_history(tmp_path / "h.jsonl", ["late parcel"])
    add_config(instance, '[categories.map.history.category]\n"Late parcel" = "parcels"\n')
    result = instance.run("ingest", "history", tmp_path / "h.jsonl", expect=1)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert "[categories.map.history.category]: 'Late parcel' maps to 'parcels', which is not a category" \
        in result.stderr
    assert instance.count("cases") == 0


def test_a_map_for_a_source_that_does_not_exist_is_one_line(instance: InstanceRunner, tmp_path):
    write_history(tmp_path / "h.jsonl", ["billing"])
    add_config(instance, '[categories.map.cfbp.product]\n"Mortgage" = "banking"\n')
    result = instance.run("ingest", "history", tmp_path / "h.jsonl", expect=1)
    assert result.stderr.count("\n") == 1
    assert "[categories.map.cfbp]: names source 'cfbp', which is not a source (" in result.stderr
    assert "cfpb" in result.stderr


def test_a_map_that_is_not_a_table_of_names_is_one_line(instance: InstanceRunner, tmp_path):
    write_history(tmp_path / "h.jsonl", ["billing"])
    add_config(instance, '[categories.map.history]\ncategory = "billing"\n')
    result = instance.run("audit", "--exact", expect=1)
    assert result.stderr.count("\n") == 1
    assert "[categories.map.history]: field 'category' must be a table" in result.stderr


class BrokenMap:
    @hookimpl
    def register_category_maps(self, register):
        register(CategoryMap(name="broken", version="1", source="", table={}))


def test_a_broken_plugin_map_names_the_plugin(instance: InstanceRunner, tmp_path):
    write_history(tmp_path / "h.jsonl", ["billing"])
    with plugin_manager(only=[BrokenMap()]):
        result = instance.run("ingest", "history", tmp_path / "h.jsonl", expect=1)
    assert result.stderr.count("\n") == 1 and "BrokenMap" in result.stderr
    assert "category map 'broken' has no 'source'" in result.stderr


def test_cases_already_in_the_log_keep_their_category(instance: InstanceRunner, tmp_path):
    """A map added later applies to cases stored after it: sealed events never change, the audit says so."""
    write_history(tmp_path / "first.jsonl", ["late parcel"])
    instance.run("ingest", "history", tmp_path / "first.jsonl")
    instance.run("checkpoint")
    add_config(instance, '[categories.map.history.category]\n"late parcel" = "delivery"\n')
    second = tmp_path / "second.jsonl"
    second.write_text(history_case(99, "Late parcel") + "\n", encoding="utf-8")
    instance.run("ingest", "history", second)
    assert stored(instance, "history") == Counter({"late-parcel": 1, "delivery": 1})
    assert instance.json("audit", "--exact", "--json")["unmapped_categories"] == [
        {"source": "history", "category": "late-parcel", "cases": 1}]


def test_zendesk_tags_mapped_in_the_config_decide_the_category(instance: InstanceRunner):
    """Message sources are categorised by `process`: a map of their fields (a ticket's tags) wins over the
    classifiers, is named on the classified event, and keeps the native tags private."""
    from paths import shared

    add_config(instance, '[categories.map.zendesk.tags]\n"big test" = "billing"\n"Sample" = "travel"\n')
    instance.run("ingest", "zendesk", shared("zendesk", "zenpy_incremental_tickets.json"))
    instance.run("process")
    with instance.engine.connect() as conn:
        rows = conn.execute(sa.text(
            "select c.category, e.data, e.private from cases c join events e on e.case_id = c.id "
            "where e.type = 'classified' and c.external_id in ('ticket-1', 'ticket-4043') order by c.external_id"
        )).all()
    (sample_category, data, private), (_, other_data, _) = rows
    data, private, other_data = (json.loads(v) if isinstance(v, str) else v for v in (data, private, other_data))
    assert sample_category == "travel"  # tags sample, support, zendesk: "sample" is mapped
    # tags foo, new, tag ("big test" is its subject, not a tag): nothing maps, the classifier decides
    assert "categories.map" not in [d["name"] for d in other_data["deciders"]]
    assert {"name": "categories.map", "version": "config"} in data["deciders"]
    assert data["labels"]["category"] == {"value": "travel", "confidence": 1.0}
    assert private["detail"]["category"]["native"] == {"tags": ["sample", "support", "zendesk"]}
    assert instance.json("audit", "--exact", "--json")["unmapped_categories"] == []


def test_a_map_to_something_else_than_a_name_is_one_line(instance: InstanceRunner, tmp_path):
    write_history(tmp_path / "h.jsonl", ["late parcel"])
    add_config(instance, '[categories.map.history.category]\n"Late parcel" = ["delivery"]\n')
    result = instance.run("ingest", "history", tmp_path / "h.jsonl", expect=1)
    assert result.stderr.count("\n") == 1
    assert "[categories.map.history.category]: 'Late parcel' must map to a category name" in result.stderr
