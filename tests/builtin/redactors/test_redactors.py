"""The built-in redactors, each called through its ``register_redactors`` hook implementation."""

from __future__ import annotations

import pytest
from redactor_set import MODULES, builtin_redactors

from openledger.builtin.redactors.financial import iban_valid, luhn_valid
from openledger.errors import ConfigError
from openledger.privacy.redaction import redact

REDACTORS = builtin_redactors()


def red(text: str, **kwargs) -> str:
    return redact(text, kwargs.pop("redactors", REDACTORS), **kwargs).text


def test_every_registered_redactor_has_a_name_version_and_find():
    assert {r.name for r in REDACTORS} >= {
        "email", "phone", "handle", "url", "card", "iban", "reference", "address", "birthdate", "name",
    }
    for redactor in REDACTORS:
        assert isinstance(redactor.version, str) and redactor.version
        assert redactor.find("") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("write to jane.doe+acme@example.co.uk today", "write to [EMAIL] today"),
        ("richard.whitehouse at projectclearwater.org wrote", "[EMAIL] wrote"),
        ("call me on +44 7700 900461 or (415) 555-0132", "call me on [PHONE] or [PHONE]"),
        ("Tel : 06 12 34 56 78", "Tel : [PHONE]"),
        ("ruf an: 030 901820 11", "ruf an: [PHONE]"),
        ("hey @jane_doe99 look", "hey [HANDLE] look"),
        ("see https://acme.com/account/orders/123456?u=9", "see [URL]"),
        ("pics https://t.co/Xy7Pq2LmNo", "pics [URL]"),
    ],
)
def test_contact_details_are_replaced(text, expected):
    assert red(text) == expected


def test_homepages_and_plain_help_pages_stay():
    text = "See https://www.acme.com and acme.com/help/returns-policy for details."
    assert red(text) == text


def test_phone_regions_come_from_config():
    only_fr = builtin_redactors({"redaction": {"phone_regions": ["FR"]}})
    phone = next(r for r in only_fr if r.name == "phone")
    assert phone.finder.regions == ("FR",)
    assert red("appelez le 06 12 34 56 78", redactors=only_fr) == "appelez le [PHONE]"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("card 4111 1111 1111 1111 expired", "card [CARD] expired"),
        ("card 5425-2334-3010-9903", "card [CARD]"),
        ("IBAN DE89 3704 0044 0532 0130 00 THEN", "IBAN [IBAN] THEN"),
        ("pay GB29NWBK60161331926819.", "pay [IBAN]."),
    ],
)
def test_cards_and_ibans_are_replaced(text, expected):
    assert red(text) == expected


def test_checksums():
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert iban_valid("DE89370400440532013000") and not iban_valid("DE89370400440532013001")
    assert not iban_valid("DE8937040044053201300")  # one digit short for Germany


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my order number is 112-4471983-2290011", "my order number is [REFERENCE]"),
        ("policy no. HX-4432-221 lapsed", "policy no. [REFERENCE] lapsed"),
        ("Kundennummer: 4711-0815", "Kundennummer: [REFERENCE]"),
        ("numéro de commande FR-88410273", "numéro de commande [REFERENCE]"),
        ("localizador XK7P2Q", "localizador [REFERENCE]"),
        ("ticket #48213 still open", "ticket [REFERENCE] still open"),
        ("Incident INC0012345 raised", "Incident [REFERENCE] raised"),
        ("card ending in 4421 was blocked", "card ending in [REFERENCE] was blocked"),
        ("sort code 20-45-77", "sort code [REFERENCE]"),
    ],
)
def test_references_are_replaced(text, expected):
    assert red(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Flight BA283 and UA 1542 were both late on 3 March.",
        "My XPS 9310 and SM-G991B broke; the iPhone 13 costs $49.99 or £120.",
        "I ordered 3 items at 10:30am and got a 15% discount on version 14.2.1.",
        "Order of 2 boxes, 1500 miles, since 2019, 45 minutes on hold, error 0x80070005.",
        "Received on 11-01-2018, refunded €89,90 on 2024-03-05 after 3 hrs.",
    ],
)
def test_things_that_are_not_personal_stay(text):
    assert red(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I live at 221B Baker Street, London NW1 6XE.", "I live at [ADDRESS]."),
        ("Send it to 1600 Pennsylvania Ave NW, Washington, DC 20500 please", "Send it to [ADDRESS] please"),
        ("ich wohne in der Hauptstraße 12, 10115 Berlin.", "ich wohne in der [ADDRESS]."),
        ("j'habite au 12 rue de la Paix, 75002 Paris.", "j'habite au [ADDRESS]."),
        ("vivo en Calle Mayor 5, 3º B, 28013 Madrid.", "vivo en [ADDRESS]."),
        ("PO Box 3381, Tucson, AZ 85722", "[ADDRESS]"),
        ("Postal code H3B 2Y5 please", "Postal code [ADDRESS] please"),
        ("left at 4 Heol Glyndwr, Aberystwyth SY23 2AB yesterday", "left at [ADDRESS] yesterday"),
        ("my address is Cloonfad, Ballyhaunis, Co. Mayo. The bill", "my address is [ADDRESS]. The bill"),
        ("Adresse: Berliner Straße 12, 10115 Berlin", "Adresse: [ADDRESS]"),
        ("Dirección: C/ San Bernardo 22, 1º dcha, 28015 Madrid", "Dirección: [ADDRESS]"),
        ("Flat 2/1, 47 Hyndland Road, Glasgow G12 9UX", "[ADDRESS]"),
    ],
)
def test_addresses_are_replaced(text, expected):
    assert red(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("DOB 12/04/1985, lost card", "DOB [DOB], lost card"),
        ("I was born on March 3, 1961 and", "I was born on [DOB] and"),
        ("née le 2 mars 1992.", "née le [DOB]."),
        ("Geboren am 5. Mai 1990.", "Geboren am [DOB]."),
    ],
)
def test_dates_of_birth_are_replaced_but_incident_dates_stay(text, expected):
    assert red(text) == expected
    assert red("On 3 March 1985 my parcel vanished.") == "On 3 March 1985 my parcel vanished."


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hi Sarah, thanks", "Hi [NAME], thanks"),
        ("Dear Mr. O'Neill,", "Dear Mr. [NAME],"),
        ("Thanks,\nPriya Patel", "Thanks,\n[NAME]"),
        ("my name is Olumide Adeyemi and", "my name is [NAME] and"),
        ("this is Ana from Madrid", "this is [NAME] from Madrid"),
        ("I spoke to Dave twice", "I spoke to [NAME] twice"),
        ("the agent named Luis hung up", "the agent named [NAME] hung up"),
        ("cust jane doe called re bill", "cust [NAME] called re bill"),
        ("Mr McCarthy rang. McCarthy was upset.", "Mr [NAME] rang. [NAME] was upset."),
        ("Faithfully,\nR. Sutcliffe", "Faithfully,\n[NAME]"),
        ("Shaz from billing said it was applied", "[NAME] from billing said it was applied"),
        ("Two reps (Jazmine, then Oluwatobi) told me", "Two reps ([NAME], then [NAME]) told me"),
        ("Emeka and Chidinma waited 4 hours", "[NAME] and [NAME] waited 4 hours"),
        ("My daughter (Anwuli) ordered it", "My daughter ([NAME]) ordered it"),
        ("cb to gethin re boiler", "cb to [NAME] re boiler"),
        ("Tobenna rang me and promised a refund", "[NAME] rang me and promised a refund"),
    ],
)
def test_names_are_replaced(text, expected):
    assert red(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Will you refund me? May I ask why?",
        "Hi team, thanks for nothing.",
        "Paris was lovely but Amazon lost my parcel.",
        "I bought it on eBay and Do not like it.",
        "Thanks. Do you know when it ships?",
        "We moved from Austin to Denver and the Madison branch lost our file.",
        "My Dell laptop and the Galaxy Tab S9 both broke; the Jordan 1s never came.",
        "I placed an order for 2 Nest Cam units and asked Alexa to track them.",
    ],
)
def test_everyday_words_that_are_also_names_stay(text):
    assert red(text) == text


def test_a_firm_named_after_people_does_not_spread_to_its_partners():
    assert "Kennard LLP" in red("Letters from Nelson & Kennard LLP every week, signed by Sarah.")
    assert red("Rhett, Dmitri & Osvaldo fitted it") == "[NAME], [NAME] & [NAME] fitted it"


def test_company_patterns_from_config_need_no_plugin():
    redactors = builtin_redactors({"redaction": {"patterns": [{"name": "loyalty", "regex": r"\bLY-\d{6}\b"}]}})
    assert "pattern:loyalty" in {r.name for r in redactors}
    assert red("my card LY-123456 was not applied", redactors=redactors) == "my card [LOYALTY] was not applied"


@pytest.mark.parametrize(
    "patterns, message",
    [
        ([{"name": "LOYALTY", "regex": "LY-("}], "invalid regex for LOYALTY"),
        ([{"name": "bad name!", "regex": "x"}], "needs a 'name'"),
        ([{"regex": "x"}], "needs a 'name'"),
    ],
)
def test_bad_company_patterns_are_config_errors_naming_the_entry(patterns, message):
    with pytest.raises(ConfigError) as error:
        builtin_redactors({"redaction": {"patterns": patterns}})
    assert message in str(error.value)
    assert "redaction.patterns[0]" in str(error.value)


def test_the_modules_register_through_pluggy_like_any_plugin():
    import pluggy

    from openledger import hookspecs

    pm = pluggy.PluginManager("openledger")
    pm.add_hookspecs(hookspecs)
    for module in MODULES:
        pm.register(module)  # pluggy checks the hookimpl argument names against the spec
    found: list = []
    pm.hook.register_redactors(
        register=found.append, config={"redaction": {"patterns": [{"name": "X", "regex": "x+"}]}}
    )
    assert sorted(r.name for r in found) == sorted([r.name for r in REDACTORS] + ["pattern:x"])
    assert "pattern:x" in {r.name for r in found}
