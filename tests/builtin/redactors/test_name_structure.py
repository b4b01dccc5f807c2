"""Names and addresses found by the structure of a message and by address forms of more countries.

Every case goes through the ``register_redactors`` hook implementations and
the redaction engine, as ``openledger redact`` does.
"""

from __future__ import annotations

import pytest
from redactor_set import red


@pytest.mark.parametrize(
    "text, expected",
    [
        # a signature after a blank line, before "Sent from ..."
        ("Still broken.\n\nImogen Castellanos\nSent from my Galaxy", "Still broken.\n\n[NAME]\nSent from my Galaxy"),
        # a dash-led signature in lower case
        ("my order never came. please help\n\n- kayla", "my order never came. please help\n\n- [NAME]"),
        # a name line above an address in a letter head
        (
            "Jan Kamiński\nal. Jerozolimskie 65/79 lok. 8\n00-697 Warszawa\n\nReklamacja.",
            "[NAME]\n[ADDRESS]\n\nReklamacja.",
        ),
        # the answer to a question for a name
        (
            "Agent: Who am I speaking with today?\nCustomer: its leanne",
            "Agent: Who am I speaking with today?\nCustomer: its [NAME]",
        ),
        # a name announced after the fact
        (
            "@AcmeHelp hello sir vignesh this side. my bill is wrong",
            "@AcmeHelp hello sir [NAME] this side. my bill is wrong",
        ),
        # lower-case names before a department, after "ur guy", in a call note
        (
            "@AcmeHelp bisola from customer care promised a refund",
            "@AcmeHelp [NAME] from customer care promised a refund",
        ),
        ("@AcmeHelp tell ur guy dwayne to stop hanging up", "@AcmeHelp tell ur guy [NAME] to stop hanging up"),
        ("cust ramakrishnan called, wants a new plan", "cust [NAME] called, wants a new plan"),
        # titles and introductions of more languages
        ("Dzień dobry Panie Tomaszu, jak mogę pomóc?", "Dzień dobry Panie [NAME], jak mogę pomóc?"),
        ("Klant: goedemorgen, met Lotte Jansen", "Klant: goedemorgen, met [NAME]"),
        ("Cumprimentos,\nThiago Albuquerque", "Cumprimentos,\n[NAME]"),
        ("Customer: Hi, I'm Kim Min-jun", "Customer: Hi, I'm [NAME]"),
    ],
)
def test_names_found_by_structure(text, expected):
    assert red(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mijn adres is Keizersgracht 112-3, 1015 CW Amsterdam", "Mijn adres is [ADDRESS]"),
        ("Adres: ul. Piotrkowska 104/12, 90-926 Łódź", "Adres: [ADDRESS]"),
        ("abito in Via Garibaldi 27, 10122 Torino. Grazie", "abito in [ADDRESS]. Grazie"),
        ("Adress: Storgatan 14, 114 51 Stockholm", "Adress: [ADDRESS]"),
        ("meine Adresse ist Bahnhofstrasse 10, 8001 Zürich. Danke", "meine Adresse ist [ADDRESS]. Danke"),
        ("livrer à Rue de la Loi 16, 1000 Bruxelles", "livrer à [ADDRESS]"),
        ("Meu endereço: Rua das Flores 45, apto 12, 01234-567 São Paulo", "Meu endereço: [ADDRESS]"),
        ("Customer: Unit 5/12 Smith St, Fitzroy VIC 3065", "Customer: [ADDRESS]"),
        ("deliver to 12 Long Street, Cape Town, 8001.", "deliver to [ADDRESS]."),
        ("Please ship to RR 2 Box 118, Hillsboro, WV 24946.", "Please ship to [ADDRESS]."),
        ("deliver to Room 603, Building 12, 77 Zhongshan Road, Nanjing 210005.", "deliver to [ADDRESS]."),
        (
            "Address: Flat No. 7C, Shanti Enclave, 3rd Cross Road, Malleshwaram, Bengaluru 560003.",
            "Address: [ADDRESS].",
        ),
        ("first line: Flat 12, Beacon House, 5 Canal Street", "first line: [ADDRESS]"),
        ("Appt 4, 18 boulevard Voltaire\n75011 Paris", "[ADDRESS]"),
        (
            "Ich wohne in Lindenallee 7, 50667 Köln. Die Lieferung fehlt.",
            "Ich wohne in [ADDRESS]. Die Lieferung fehlt.",
        ),
    ],
)
def test_addresses_of_more_countries(text, expected):
    assert red(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Called about the order.\n\nRegards,\nA frustrated customer",
        "Inquiry from XX/XX/XXXX Miscellaneous Reptg. Agencies XXXX",
        "Submitted affadavit of fraud via mail",
        "Mon Pixel 7a est tombé en panne le 5/11.",
        "Thanks for nothing.\n\nSent from my iPhone",
        "Flight BA 2490 to Madeira cancelled at 06:40, 4 of us stranded",
    ],
)
def test_structure_rules_leave_ordinary_words(text):
    out = red(text)
    assert "[NAME]" not in out and "[ADDRESS]" not in out, out
