"""Names after weak cues and addresses of the tenth round, and the look-alikes that must stay.

Every case goes through the ``register_redactors`` hook implementations and
the redaction engine, as ``openledger redact`` does.
"""

from __future__ import annotations

import pytest
from redactor_set import red


@pytest.mark.parametrize(
    "text, expected",
    [
        # a rare name after "chat(ting) with"
        ("half an hour on chat with Tiyamike, all sorted", "half an hour on chat with [NAME], all sorted"),
        ("you are chatting with Olusegun. How can I help?", "you are chatting with [NAME]. How can I help?"),
        # staff introducing themselves, a place or an everyday first name included
        ("Agent: Hello, I'm Denver from support.", "Agent: Hello, I'm [NAME] from support."),
        ("Agent: Sorry, this is Will. Let me look.", "Agent: Sorry, this is [NAME]. Let me look."),
        # ...and written back in lower case after a greeting
        (
            "Agent: Hi, Hope here.\nCustomer: hi hope my router is dead",
            "Agent: Hi, [NAME] here.\nCustomer: hi [NAME] my router is dead",
        ),
        # lower case after "thanks to", in a list, before a team or a shop, after "per", before "re"
        ("big thanks to oluwadamilare today", "big thanks to [NAME] today"),
        ("thanks to Bronwyn and anneliese", "thanks to [NAME] and [NAME]"),
        ("she said kerensa in store would ring", "she said [NAME] in store would ring"),
        ("per mark in billing, fee waived", "per [NAME] in billing, fee waived"),
        ("cb to hope re refund", "cb to [NAME] re refund"),
        ("spoke to cust ailsa mckenzie, refund done", "spoke to cust [NAME], refund done"),
        ("note: cx rose o'leary happy with fix", "note: cx [NAME] happy with fix"),
        ("cust pham thi hoa called re bill", "cust [NAME] called re bill"),
        # capitals: a title, a transfer, a name given
        ("CB TO MRS OKONKWO-BELL RE REFUND", "CB TO MRS [NAME] RE REFUND"),
        ("WARM TRANSFER TO BILL FROM RETENTIONS", "WARM TRANSFER TO [NAME] FROM RETENTIONS"),
        ("CALLED BACK, WILL FROM BILLING SAID NO CREDIT", "CALLED BACK, [NAME] FROM BILLING SAID NO CREDIT"),
        # a name found once, the same word in lower case after a determiner stays a word
        (
            "Agent: Hi, I'm Grace.\nCustomer: hi grace, is there a grace period?",
            "Agent: Hi, I'm [NAME].\nCustomer: hi [NAME], is there a grace period?",
        ),
        # a call, help, a lower-case or elided surname, a lower-case signature, "you're welcome"
        ("had a long call with Oyinkansola today", "had a long call with [NAME] today"),
        ("was helped by anjolaoluwa on the phone", "was helped by [NAME] on the phone"),
        ("I spoke with d'arcy on the phone", "I spoke with [NAME] on the phone"),
        ("Dear Mr d'Arcy,", "Dear Mr [NAME],"),
        ("Many thanks\nsummer hayes", "Many thanks\n[NAME]"),
        ("Cheers,\nwill", "Cheers,\n[NAME]"),
        ("Agent: You're welcome, Faith!", "Agent: You're welcome, [NAME]!"),
        ("our driver tunde was lovely", "our driver [NAME] was lovely"),
        # an everyday first name where only a person stands
        ("the man at the desk Mark was so rude", "the man at the desk [NAME] was so rude"),
    ],
)
def test_names_after_weak_cues(text, expected):
    assert red(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ok will do, thanks",
        "hi, will you call me back?",
        "They gave me a grace period of two weeks.",
        "Will you fix it or not",
        "Bill me once, not twice",
        "per month it is $40",
        "I'm Sorry.",
        "charged twice for Echo Plus and nobody cares",
        "they ran out of the Asics Nimbus 25.",
        "the Paul Smith wallet I bought fell apart",
        "see you at five o'clock",
        "The Rose was lovely in the garden display",
        "REFUND FROM BILLING STILL PENDING",
        "thanks\nwill call again",
        "you're welcome to Manchester",
    ],
)
def test_look_alikes_stay(text):
    assert red(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("deliver to 9 Banksia Ave, Dee Why NSW 2099 please", "deliver to [ADDRESS] please"),
        ("moved to 3 Reef Pde, Palm Beach QLD 4221. NBN is still off", "moved to [ADDRESS]. NBN is still off"),
        ("address 14 Gum St, Bundaberg QLD 4670 NBN tech never came", "address [ADDRESS] NBN tech never came"),
        ("send to Plot 12, Ahmadu Bello Way, Garki 2, Abuja. I will wait", "send to [ADDRESS]. I will wait"),
        ("Villa 8, Street 21, Al Safa 1, Dubai", "[ADDRESS]"),
        ("left at flat 2a, 17 holloway rd, london n7 8ja, wrong door", "left at [ADDRESS], wrong door"),
        ("Unit 801 Tower 3, Amaia Skies, Cubao, Quezon City", "[ADDRESS]"),
        ("flat 7 / 33 king st, newtown nsw 2042", "[ADDRESS]"),
    ],
)
def test_addresses(text, expected):
    assert red(text) == expected
