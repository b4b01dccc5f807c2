"""``openledger classify`` and ``openledger redact``: previews that record nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from openledger.cli import main
from openledger.testing import make_instance

# no replies: no outbound labels (moves_private, gag)
LABELS = {"kind", "category", "sentiment", "urgency", "wants", "spam", "leverage", "tone"}

MESSAGES = [
    {"id": "tw-1", "channel": "Twitter", "text": "@NorthwindTel third outage this week and nobody answers the phone. "
                                                 "Paying £45 a month for this??"},
    {"id": "em-2", "channel": "email", "text": "Dear Sir or Madam,\n\n"
                                               "I was charged twice for my February bill (invoice 88231). "
                                               "Please refund the duplicate payment.\n\nRegards,\nRavi Patel"},
    {"id": "fb-3", "text": "Just wanted to say the engineer who came on Tuesday was brilliant, thank you!"},
    {"id": "wf-4", "channel": "webform", "text": "How do I change the email address on my account?", "rating": None},
]


def run(home: Path, *args: str, input: str | None = None, expect: int = 0):
    result = CliRunner().invoke(main, ["--home", str(home), *args], input=input)
    assert result.exit_code == expect, result.output
    return result


def write_jsonl(path: Path, rows, extra: str = "") -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + extra, encoding="utf-8")
    return path


def test_classify_plain_text_without_an_instance(tmp_path):
    home = tmp_path / "no-instance"
    result = run(home, "classify", input="I was charged twice for my bill and want my money back. Refund me now.\n")
    out = json.loads(result.stdout)
    assert out["text"].startswith("I was charged twice")
    assert set(out["labels"]) == LABELS
    assert out["labels"]["kind"]["value"] == "complaint"
    assert out["labels"]["category"]["value"] == "billing"
    assert out["labels"]["wants"]["value"] == "compensation"
    assert all(0.0 <= v["confidence"] <= 1.0 and set(v) == {"value", "confidence"} for v in out["labels"].values())
    assert not home.exists()  # nothing recorded, nothing created


def test_classify_jsonl_keeps_fields_and_matches_process(tmp_path):
    inst = make_instance(tmp_path / "home")
    path = write_jsonl(tmp_path / "in.jsonl", MESSAGES, extra="\n")
    rows = [json.loads(line) for line in inst.run("classify", "--jsonl", path).stdout.splitlines()]
    assert [r["id"] for r in rows] == ["tw-1", "em-2", "fb-3", "wf-4"]
    for row, message in zip(rows, MESSAGES):
        assert {k: v for k, v in row.items() if k != "labels"} == message
        assert set(row["labels"]) == LABELS
    kinds = [r["labels"]["kind"]["value"] for r in rows]
    assert kinds == ["complaint", "complaint", "compliment", "question"]
    assert rows[0]["labels"]["urgency"]["value"] in ("high", "normal")
    assert inst.count("cases") == 0 and inst.count("events") == 0
    # the same labels as 'process' records for the same text
    ingest = write_jsonl(tmp_path / "msg.jsonl", [
        {**MESSAGES[1], "timestamp": "2026-03-03T14:22:00Z", "author": "r.patel@example.org", "visibility": "private"},
    ])
    inst.run("ingest", "jsonl", ingest)
    inst.run("process")
    case = inst.json("cases", "list", "--json")[0]
    classified = next(
        e for e in inst.json("cases", "show", case["id"], "--json")["events"] if e["type"] == "classified"
    )
    assert classified["data"]["labels"] == rows[1]["labels"]


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"text": "fine"}\n{not json\n', "bad.jsonl: line 2: not JSON"),
        ('{"text": "fine"}\n\n[1, 2]\n', "bad.jsonl: line 3: not a JSON object (an array)"),
        ('{"text": 5}\n', "bad.jsonl: line 1: 'text' is not a string (a number)"),
        ('{"id": 1}\n', "bad.jsonl: line 1: 'text' is missing"),
        ('{"text": "ok", "channel": 3}\n', "bad.jsonl: line 1: 'channel' is not a string (a number)"),
    ],
)
def test_classify_bad_jsonl_is_one_error_line(tmp_path, monkeypatch, content, message):
    monkeypatch.chdir(tmp_path)
    Path("bad.jsonl").write_text(content)
    result = run(tmp_path / "none", "classify", "--jsonl", "bad.jsonl", expect=1)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {message}")


def test_bad_encoding_and_missing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("latin.jsonl").write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    for command in ("classify", "redact"):
        result = run(tmp_path / "none", command, "--jsonl", "latin.jsonl", expect=1)
        assert result.stderr.startswith("Error: latin.jsonl: line 2: not UTF-8") and result.stdout == ""
        result = run(tmp_path / "none", command, "--jsonl", "missing.jsonl", expect=1)
        assert result.stderr.strip() == "Error: missing.jsonl: no such file"
    assert run(tmp_path / "none", "classify", input="  \n", expect=1).stderr.startswith(
        "Error: no text on standard input"
    )


def test_redact_plain_text_without_an_instance(tmp_path):
    text = (
        "Hi, my name is Priya Patel, mail me at priya.patel@example.com or call 07700 900461. "
        "Order 112-4471983-2290011.\n"
    )
    result = run(tmp_path / "none", "redact", input=text)
    out = result.stdout
    for secret in ("Priya", "Patel", "priya.patel@example.com", "07700 900461", "112-4471983-2290011"):
        assert secret not in out
    assert "[EMAIL]" in out and "[PHONE]" in out and "[REFERENCE]" in out and "[NAME]" in out
    assert out.endswith(".\n")
    # redacting the result again changes nothing
    assert run(tmp_path / "none", "redact", input=out).stdout == out


def test_redact_jsonl_uses_the_instance_config(tmp_path):
    inst = make_instance(tmp_path / "home")
    with open(inst.home / "openledger.toml", "a") as f:
        f.write('\n[publication]\nkeep = ["@NorthwindTel", "0800 123 4567"]\n'
                '\n[[redaction.patterns]]\nname = "loyalty"\nregex = \'\\bNW-\\d{6}\\b\'\n')
    rows = [
        {"id": 7, "channel": "twitter",
         "text": "@NorthwindTel my loyalty card NW-123456 was refused, I'm @dana_k, I called 0800 123 4567"},
        {"id": 8, "rating": 1, "text": None},
        {"id": 9, "nested": {"a": [1, 2]}, "text": "mail jo@example.com"},
    ]
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    out = [json.loads(line) for line in inst.run("redact", "--jsonl", path).stdout.splitlines()]
    assert out[0] == {
        "id": 7, "channel": "twitter",
        "text": "@NorthwindTel my loyalty card [LOYALTY] was refused, I'm [HANDLE], I called 0800 123 4567",
    }
    assert out[1] == rows[1]
    assert out[2] == {"id": 9, "nested": {"a": [1, 2]}, "text": "mail [EMAIL]"}
    piped = inst.run("redact", "--jsonl", "-", input=path.read_text()).stdout.splitlines()
    assert [json.loads(line) for line in piped] == out
    assert inst.count("cases") == 0


def test_redact_bad_config_and_bad_line(tmp_path):
    inst = make_instance(tmp_path / "home")
    with open(inst.home / "openledger.toml", "a") as f:
        f.write('\n[publication]\nkeep = "@NorthwindTel"\n')
    result = inst.run("redact", input="hello", expect=1)
    assert "[publication] keep must be a list of strings" in result.stderr
    path = write_jsonl(tmp_path / "in.jsonl", [{"text": "a"}], extra='{"text": ["x"]}\n')
    result = run(tmp_path / "none", "redact", "--jsonl", str(path), expect=1)
    assert result.stdout == "" and result.stderr.strip() == f"Error: {path}: line 2: 'text' is not a string (an array)"


@pytest.mark.parametrize("text, number", [
    # a real spam review from the Trustpilot sample: the number is glued to Chinese characters
    (
        "你好！我公司可代开各类增值税发票，电话：13662615434张经理 （微信同号13662615434）此信息永久有效望存",
        "13662615434",
    ),
    ("携帯：090-1234-5678です", "090-1234-5678"),
    ("Мой телефон: 89161234567, звоните", "89161234567"),
    ("رقم هاتفي 0501234567 شكرا", "0501234567"),
])
def test_numbers_glued_to_other_scripts_are_redacted(tmp_path, text, number):
    out = run(tmp_path / "none", "redact", input=text + "\n").stdout
    assert number not in out and ("[PHONE]" in out or "[REFERENCE]" in out), out
