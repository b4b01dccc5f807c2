"""Fifth round: addresses in more national forms, names in other scripts, a name heading a note, dates of birth.

Every case goes through the ``register_redactors`` hook implementations and
the redaction engine, as ``openledger redact`` does.
"""

from __future__ import annotations

import pytest
from redactor_set import builtin_redactors

from openledger.privacy.redaction import redact

REDACTORS = builtin_redactors()


def red(text: str) -> str:
    return redact(text, REDACTORS).text


@pytest.mark.parametrize(
    "text, expected",
    [
        # floors and units after the street, on the same line or the next
        ("Bitte an Goethestraße 18, 3. OG rechts, 80336 München.", "Bitte an [ADDRESS]."),
        ("Envío a: Carrer de Mallorca 401, 3r 1a, 08013 Barcelona", "Envío a: [ADDRESS]"),
        ("Indirizzo: Via Roma 14, scala A, int. 3, 20121 Milano.", "Indirizzo: [ADDRESS]."),
        ("Solène\n7, impasse des Lilas\nBât. A, appt 12\n31000 Toulouse", "[NAME]\n[ADDRESS]"),
        # PO boxes in Dutch, rural and estate addresses without a street number
        ("Stuur het naar Postbus 2211, 3000 CE Rotterdam.", "Stuur het naar [ADDRESS]."),
        ("Mon adresse : Lieu-dit La Borie, 46100 Figeac.", "Mon adresse : [ADDRESS]."),
        ("Delivery: Farm Doornkloof 218, Bronkhorstspruit, 1020.", "Delivery: [ADDRESS]."),
        ("I live at Blk 3 Lot 5, Villa Verde, Brgy. Dolores, Taytay, Rizal 1920.", "I live at [ADDRESS]."),
        # a text in another script is read for the names its own language marks (it was once left alone)
        ("Привет, меня зовут Иван, у меня проблема с заказом", "Привет, меня зовут [NAME], у меня проблема с заказом"),
        # romanised Japanese and Chinese, Indian states before a PIN, Brazilian states, Canadian numbered avenues
        ("my address is 4-1-8 Namba, Chuo-ku, Osaka 542-0076", "my address is [ADDRESS]"),
        ("Deliver to: No. 8 Zhongguancun Street, Haidian District, Beijing 100080.", "Deliver to: [ADDRESS]."),
        (
            "visit at Gali No. 2, Near Shiv Mandir, Village Bhondsi, Distt. Gurugram, Haryana 122102",
            "visit at [ADDRESS]",
        ),
        ("Cliente: Rua Augusta, 2040, apto 51, Cerqueira César, São Paulo - SP, 01412-100", "Cliente: [ADDRESS]"),
        ("new address 12045 76 Ave, Surrey, BC V3W 2T6 please", "new address [ADDRESS] please"),
        # names in another script inside Latin-script text
        ("The courier Андрей Смирнов was rude.", "The courier [NAME] was rude."),
        ("Customer: 你好，我是刘经理，order is late", "Customer: 你好，我是[NAME]，order is late"),
        ("My colleague 李强 called twice.", "My colleague [NAME] called twice."),
        ("Customer: this is أحمد الهاشمي, refund please", "Customer: this is [NAME], refund please"),
        ("My mother सुनीता वर्मा has not been paid.", "My mother [NAME] has not been paid."),
        # a name alone on the first line of a note, names listed under a list's heading, a sign-off in Latin script
        ("Algernon Pike\nwants a paper bill", "[NAME]\nwants a paper bill"),
        ("Callback list:\nMorwenna Tregear\nOsian Pryce", "Callback list:\n[NAME]\n[NAME]"),
        ("Cordialement,\nΙωάννης Νικολάου", "Cordialement,\n[NAME]"),
        # a street without a number, the house after it
        ("Please deliver to Westlands, Mpaka Road, Hse No. 14, Nairobi.", "Please deliver to [ADDRESS]."),
        # dates of birth led by "the" or answering a question
        ("My date of birth is the 9th of October 1983.", "My date of birth is [DOB]."),
        (
            "Agent: Can I take your DOB please?\nCustomer: 3rd of March 1990",
            "Agent: Can I take your DOB please?\nCustomer: [DOB]",
        ),
    ],
)
def test_found(text, expected):
    assert red(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a street named after a person is a place; a Japanese tweet without a name cue names nobody
        "A loja da Rua Augusta não trocou o produto.",
        "「#72時間ホンネテレビ」をFire TV Stickで観よう。Prime Nowにて、500円OFFキャンペーン実施中(エリア限定)。",
        # shops and products that look like farms, headings that are not names
        "I shop at Farm Foods and the prices are fine.",
        "Great Service\nThe agent sorted it in ten minutes.",
        "Leeds Branch\nqueue was long today",
        "Known issues:\nBattery Drain\nScreen Flicker",
        # an incident date is not a date of birth
        "On the 9th of October 1983 the bank was founded, says the leaflet.",
    ],
)
def test_left_alone(text):
    assert red(text) == text
