"""Case summaries (the optional ``[site] summaries``): the customer's first words, no handles, no references.

The texts below are real inbound tweets from the twcs sample in ../shared/data
(Kaggle "Customer Support on Twitter"); the whole sample is checked too when
present.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest
from redactor_set import builtin_redactors

from openledger.cases.summary import summarise
from openledger.privacy.redaction import redact

SHARED = Path(os.environ.get("OPENLEDGER_SHARED_DATA", "/work/shared/data"))
REAL = [
    "Cupertino, we have a problem. .@115858 .@116333 .@AppleSupport .@190",
    "@AirAsiaSupport CAS-19708536-CB92N2 CRM:0326600 Please check on this I haven't heard from my case officer"
    " in weeks and provided all docs.",
    "All my messages from .@115911 for support or updates are in Spanish. I have called 4 times to fix nothing!"
    " Help .@TMobileHelp",
    "why is my \u201cit \u201c autocorrecting to I.T?? So annoying! Can\u2019t change in settings"
    " either...@AppleSupport",
    "@115850 The store address is 12008 blue ridge blvd, grandview mo 64030. My phone number is 816-765-1234",
]
# what must never survive: a handle, a reference after its label, a digit run of a reference's length
LEFT_OVER = re.compile(r"(?<![\w])\.?@\w|\b[A-Z]{2,}[:#-]\s?\d|\d{7,}")


def summary(text: str, redactors) -> str:
    return redact(summarise(text, 220), redactors, ()).text


@pytest.fixture(scope="module")
def redactors():
    return builtin_redactors()


@pytest.mark.parametrize("text", REAL)
def test_no_handle_or_reference_survives(text, redactors):
    out = summary(text, redactors)
    assert not LEFT_OVER.search(out), out
    assert "12008 blue ridge" not in out and "64030" not in out


def test_what_the_customer_said_stays(redactors):
    assert summary(REAL[0], redactors) == "Cupertino, we have a problem"
    assert summary(REAL[1], redactors).endswith("I haven't heard from my case officer in weeks and provided all docs")
    # an e-mail address is not a handle: the redactor names it
    assert summary("mail me at jane.doe@example.com please", redactors) == "mail me at [EMAIL] please"


@pytest.mark.skipif(not (SHARED / "twcs").is_dir(), reason="shared data not present")
def test_the_whole_twcs_sample(redactors):
    with (SHARED / "twcs" / "twcs_sample.csv").open(newline="", encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle) if row["inbound"] == "True"]
    assert len(texts) > 2000
    left = [out for out in (summary(t, redactors) for t in texts) if LEFT_OVER.search(out)]
    assert left == []
