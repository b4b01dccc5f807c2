"""Name and address rules of the ninth round (developed on ``redaction_dev9.txt``).

Names in a form field or in capitals after a cue, first names that are also
words where only a person can stand, capitalised particles and Arabic
articles inside a name, sign-offs such as "Thanks heaps"; brands named after
a person stay; numbered streets before a district, rural routes, Polish
streets without ``ul.``. Every case goes through the ``register_redactors``
hook implementations and the redaction engine, as ``openledger redact`` does.
"""

from __future__ import annotations

import pytest
from redactor_set import red


@pytest.mark.parametrize(
    "text, expected",
    [
        # a form's name field in any letter case, a title before the value
        ("Your name: amelia stone\nMessage: broken", "Your name: [NAME]\nMessage: broken"),
        ("Name: JAMAL WASHINGTON\nComments: late", "Name: [NAME]\nComments: late"),
        ("Contact name: mr tan wei ming", "Contact name: mr [NAME]"),
        # capitals after a cue written in any case
        ("your rep TYLER hung up on me", "your rep [NAME] hung up on me"),
        ("customer O'NEILL rang, disputes the fee", "customer [NAME] rang, disputes the fee"),
        ("Cheers\nMARTIN O'SULLIVAN", "Cheers\n[NAME]"),
        # first names that are also words, where only a person stands
        ("Pass this on to Mark who dealt with my claim", "Pass this on to [NAME] who dealt with my claim"),
        ("The guy on the phone, Will, was polite.", "The guy on the phone, [NAME], was polite."),
        ("I want someone called Bill? Bill is off today.", "I want someone called [NAME]? [NAME] is off today."),
        ("I hope Mark from retentions reads this", "I hope [NAME] from retentions reads this"),
        ("spoke to mark delaney re late fee", "spoke to [NAME] re late fee"),
        ("visited, tenant hope ashby present", "visited, tenant [NAME] present"),
        ("my name's hope and I hope you can help", "my name's [NAME] and I hope you can help"),
        ("talked to will from billing, useless", "talked to [NAME] from billing, useless"),
        ("my husband mark rang twice", "my husband [NAME] rang twice"),
        # capitalised particles and Arabic articles inside a name
        ("c'est Yannick Le Goff au téléphone", "c'est [NAME] au téléphone"),
        ("Rodrigo De Los Santos reports no signal", "[NAME] reports no signal"),
        ("Mr. van der Merwe never got a reply", "Mr. [NAME] never got a reply"),
        ("Best regards\nOmar al-Farsi", "Best regards\n[NAME]"),
        ("Regards,\nNurul Ain binti Ismail", "Regards,\n[NAME]"),
        ("cust Aminu bin Suleiman says no power", "cust [NAME] says no power"),
        # sign-offs and signatures
        ("Still waiting.\n\nThanks heaps\nKirra Whitlock\nSent from my iPhone",
         "Still waiting.\n\nThanks heaps\n[NAME]\nSent from my iPhone"),
        ("Send the card to my office.\nWes", "Send the card to my office.\n[NAME]"),
        # a brand named after a person is a person after a cue
        ("I'm John Lewis and my order is late", "I'm [NAME] and my order is late"),
        ("John Lewis rang me back", "[NAME] rang me back"),
    ],
)
def test_names_of_the_ninth_round(text, expected):
    assert red(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Bought a fridge at Harvey Norman Chatswood, never again.",
        "Lovely shoes from Ted Baker but the courier left them in the rain.",
        "The bartender didn't know what Jack Daniel's was.",
        "Bought Dr Martens boots that split in a month.",
        "Oxford Street branch of Marks & Spencer refused my return.",
        "Tim Hortons got my order wrong again.",
        "Ben & Jerry's was melted on arrival.",
        "Do not order the Ninja Foodi from here.",
        "Will you call me? Will this ever end?",
        "I will never shop here. Mark my words!",
        "Agent: Kindly hold while I check",
        "Product name: Sonos Era 100",
        "Name: Great Service",
        "Thanks\nURGENT",
        "the Lake District was lovely, 3 days",
        "flew from Mumbai, Delhi and Pune",
    ],
)
def test_brands_and_everyday_words_stay(text):
    assert red(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("cust X1, RMB 4410 Mount Barker Rd, Hahndorf SA 5245", "cust X1, [ADDRESS]"),
        ("Rural Route 1, Vankleek Hill ON K0B 1R0", "[ADDRESS]"),
        ("Zielona 4\n05-500 Piaseczno", "[ADDRESS]"),
        ("House No. 1187, Phase 3B2\nMohali, Punjab 160059", "[ADDRESS]"),
        (
            "My address is Apartment 1207, Tower B, 208 Nguyen Huu Canh, Binh Thanh District, Ho Chi Minh City",
            "My address is [ADDRESS]",
        ),
        ("cx complains from Kukatpally, Hyderabad about buffering", "cx complains from [ADDRESS] about buffering"),
        ("I'm at 3 Kiln Cottages, Upper Slaughter, Cheltenham", "I'm at [ADDRESS]"),
        ("my flat is 2F1, 14 Marchmont Road, Edinburgh EH9 1HY", "my flat is [ADDRESS]"),
        ("Unit 1203, 8 Marina View, Singapore 018960", "[ADDRESS]"),
        # a five-digit number and a capitalised word on the next line are not a town
        ("PO Box 318\nKetchum, ID 83340\n\nTo Customer Relations:", "[ADDRESS]\n\nTo Customer Relations:"),
    ],
)
def test_addresses_of_the_ninth_round(text, expected):
    assert red(text) == expected
