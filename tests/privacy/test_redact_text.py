"""``openledger redact``'s engine: plain text and JSON Lines."""

from __future__ import annotations

import io
import json

import pytest
from redactor_set import builtin_redactors

from openledger.errors import BadRecordError
from openledger.privacy.redaction import keep_from_config, redact_jsonl, redact_plain

CONFIG = {"publication": {"keep": ["@AcmeHelp"]}}


@pytest.fixture(scope="module")
def redactors():
    return builtin_redactors(CONFIG)


def test_plain_text_keeps_the_company_handle(redactors):
    text = "@AcmeHelp my order 112-4471983-2290011 is late, mail me at jo@example.com"
    assert redact_plain(text, redactors, keep_from_config(CONFIG)) == (
        "@AcmeHelp my order [REFERENCE] is late, mail me at [EMAIL]"
    )


def test_jsonl_redacts_text_and_keeps_every_other_field(redactors):
    source = io.StringIO(
        json.dumps({"id": 7, "channel": "email", "text": "Hi, I'm Priya Patel, call 07700 900461"}) + "\n\n"
        + json.dumps({"id": 8, "rating": 1}) + "\n"
    )
    out = io.StringIO()
    assert redact_jsonl(source, out, redactors, keep_from_config(CONFIG), name="in.jsonl") == 2
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows[0] == {"id": 7, "channel": "email", "text": "Hi, I'm [NAME], call [PHONE]"}
    assert rows[1] == {"id": 8, "rating": 1}


@pytest.mark.parametrize(
    "line, message",
    [("{not json", "not JSON"), ("[1, 2]", "not a JSON object"), ('{"text": 5}', "'text' is not a string")],
)
def test_bad_lines_name_the_file_and_line_and_nothing_is_written(redactors, line, message):
    source = io.StringIO('{"text": "fine"}\n' + line + "\n")
    out = io.StringIO()
    with pytest.raises(BadRecordError) as error:
        redact_jsonl(source, out, redactors, name="cases.jsonl")
    assert str(error.value).startswith("cases.jsonl: line 2: ")
    assert message in str(error.value)
    assert out.getvalue() == ""
