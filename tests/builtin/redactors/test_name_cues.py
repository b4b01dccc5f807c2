"""Name cues of the fourth round: letters beyond Latin-1, self-introductions, staff at a branch, handles, goods.

Every case goes through the ``register_redactors`` hook implementations and
the redaction engine, as ``openledger redact`` does.
"""

from __future__ import annotations

import pytest
from redactor_set import builtin_redactors, red

from openledger.privacy.redaction import redact

REDACTORS = builtin_redactors()


@pytest.mark.parametrize(
    "text, expected",
    [
        # letters outside Latin-1 belong to the name
        ("Customer: Bożena Szymańska", "Customer: [NAME]"),
        ("spoke to Dragana Jovanović re cancellation", "spoke to [NAME] re cancellation"),
        ("Customer: hi, my name is Emine Yıldırım", "Customer: hi, my name is [NAME]"),
        ("Tāne from the install team was great", "[NAME] from the install team was great"),
        # a Vietnamese middle name keeps the stop word after it
        ("Shipper Nguyen Van An was very kind", "Shipper [NAME] was very kind"),
        # self-introductions closed by punctuation or a clause
        ("Agent: Hi, I'm Lwazi. How can I help?", "Agent: Hi, I'm [NAME]. How can I help?"),
        ("I'm Kalinda and my router is dead", "I'm [NAME] and my router is dead"),
        # a capitalised customer in a call note, staff at a named branch
        ("cust Oyelaran called re bill", "cust [NAME] called re bill"),
        ("Ifeoluwa at the Camden branch was so helpful", "[NAME] at the Camden branch was so helpful"),
        (
            "@AcmeHelp nobody helped except yaw at the accra office",
            "@AcmeHelp nobody helped except [NAME] at the accra office",
        ),
        # thanks, praise, possessives, short surnames after a title
        ("Big thanks to Amarachi and the Atlanta team.", "Big thanks to [NAME] and the Atlanta team."),
        ("thanks so much oksana!!", "thanks so much [NAME]!!"),
        ("Priyamvada and Thiruvengadam were great", "[NAME] and [NAME] were great"),
        ("Dilnoza's advice was spot on", "[NAME]'s advice was spot on"),
        ("Mr Le said he would call back", "Mr [NAME] said he would call back"),
        # a common surname after a lower-case title (a reply written in a hurry)
        ("dear mr smith, remove the review and we refund you", "dear mr [NAME], remove the review and we refund you"),
        ("sorry ms white, we can help", "sorry ms [NAME], we can help"),
        # ...but not after "dr", also a street's "drive"
        ("we moved to 12 oak dr green valley last year", "we moved to [ADDRESS] green valley last year"),
        # a lower-case word greeted on its own: a name often given, a surname's shape, or a rare word
        ("hi nguyen, my order never came", "hi [NAME], my order never came"),
        ("ok ben, thanks for nothing", "ok [NAME], thanks for nothing"),
        ("hello kowalski, still waiting on the engineer", "hello [NAME], still waiting on the engineer"),
        ("cheers o'driscoll!", "cheers [NAME]!"),
        # ...not a word that greets anyone, a role, an everyday word, a brand's letters or a rarely given name
        ("hey mate, my bill is wrong", "hey mate, my bill is wrong"),
        ("dear reviewer, we refunded you", "dear reviewer, we refunded you"),
        ("thanks heaps\nKirra", "thanks heaps\n[NAME]"),
        ("ok sure, will wait", "ok sure, will wait"),
        ("thank you akc!!", "thank you akc!!"),
        ("@NikeSupport Thank you nike", "[HANDLE] Thank you nike"),
        # a word echoing a person's handle
        ("@AcmeHelp @priya_k priya you should complain too", "@AcmeHelp [HANDLE] [NAME] you should complain too"),
    ],
)
def test_names_found_by_the_new_cues(text, expected):
    assert red(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ordered Tommy Hilfiger jeans, got the wrong size",
        "rum and Harper Collins books both arrived damaged.",
        "my Nest Hub Max arrived broken",
        "@AcmeHelp my Tesla charger and Harper lamp both dead",
        "I'm Nigerian and I've never seen service this bad.",
        "Tesco's service is not what it was",
        "Thank you so much! Merry Christmas to all",
        "@AcmeHelp Thank you acme",
        "Victoria line was down again",
        "thanks to Brexit prices went up",
        "open it in ms word and save it again",
    ],
)
def test_new_cues_leave_brands_and_ordinary_words(text):
    assert red(text) == text


def test_a_company_handle_is_not_echoed_as_a_name():
    # the handle itself is redacted unless kept, but "nike" after it is not a person
    assert redact("@NikeSupport Thank you nike", REDACTORS, keep=["@NikeSupport"]).text == "@NikeSupport Thank you nike"
