"""Gag requests are never a statistic only (issue 21): the site lists each one.

A gag request is a company reply labelled ``gag`` = ``yes`` on the log: it asks
the customer to delete, edit or not post a complaint or review, or ties a
remedy to silence. Every one the log records
(:attr:`openledger.site.derive.Derived.gags`) is

- a row of the "Gag requests" page (:func:`page`): the case's public id
  (linking to Check your case), its channel, when (the entry's period, in
  words) and the redacted sentence that asked, shown literally (it is the
  company's text: :func:`openledger.site.escape.md` makes Markdown, HTML,
  braces and links in it inert), or why it is withheld;
- an object of ``data/gag-requests.json`` (:func:`data_file`), which
  ``openledger verify`` recomputes from the log like every data file;
- counted per channel on Home (:func:`home_lines`);
- one line of ``openledger build``'s standard error (:func:`warning_line`).

A page of its own rather than a section of the audit page: the list is not a
statistic and can be long, Home, the policy page and the build's warning can
name one address, and a reader looking for a gag request does not have to
read the audit to find it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence

from openledger import periods
from openledger.site.derive import GagRequest
from openledger.site.escape import cell, md

PATH = "gag-requests.md"
DATA = "data/gag-requests.json"
TITLE = "Gag requests"
#: a withheld sentence's token -> why, in words
WITHHELD = {
    "public-reply": "withheld: the reply was public, its words would lead to the customer's post",
    "names": "withheld: it named the customer",
    "no-sentence": "withheld: the reply's words were not recorded",
    "unknown": "withheld: the log holds no sentence for it (recorded without the reply's text)",
    "withdrawn": "withdrawn by the company from this site (the log keeps the sentence's digest)",
}
_CASE_ID = re.compile(r"C-[A-Z2-7]+(?:-[A-Z2-7]+)*")
def reason(request: GagRequest) -> str:
    """What the list says of a request's sentence: the sentence, or why it is withheld (plain text)."""
    if request.sentence:
        return request.sentence
    return WITHHELD.get(request.withheld, f"withheld ({request.withheld or 'unknown'})")


def as_json(request: GagRequest) -> dict[str, str | None]:
    return {"case": request.case, "channel": request.channel, "period": request.period,
            "sentence": request.sentence, "salt": request.salt, "withheld": request.withheld}


def data_file(gags: Sequence[GagRequest]) -> bytes:
    """``data/gag-requests.json``: every gag request, in log order, one object each (``case``, ``channel``,
    ``period``, ``sentence`` or null, its ``salt`` (hex: SHA-256 of the salt's bytes then the sentence's UTF-8
    is the entry's ``sentence_sha256``) or null, ``withheld``: "" or why)."""
    return (json.dumps([as_json(g) for g in gags], ensure_ascii=False, indent=1, sort_keys=True)
            + "\n").encode("utf-8")


def by_channel(gags: Sequence[GagRequest]) -> list[tuple[str, int]]:
    """(channel, number of gag requests), most first (ties by name)."""
    return sorted(Counter(g.channel for g in gags).items(), key=lambda item: (-item[1], item[0]))


def _count(n: int) -> str:
    return f"{n:,} gag request{'' if n == 1 else 's'}"


def _case(case: str) -> str:
    if _CASE_ID.fullmatch(case):
        return f"[{md(case)}](check.md#{case})"
    return cell(case)


def _counts_table(gags: Sequence[GagRequest]) -> list[str]:
    return ["| Channel | Gag requests |", "|---|---:|",
            *(f"| {cell(channel)} | {n:,} |" for channel, n in by_channel(gags)), ""]


def home_lines(gags: Sequence[GagRequest]) -> list[str]:
    """Home's section: the number of gag requests per channel, or that there are none."""
    lines = ["## Gag requests", ""]
    if not gags:
        return lines + ["No gag requests are on the log.", ""]
    are = "is" if len(gags) == 1 else "are"
    return lines + [f"{_count(len(gags)).capitalize()} {are} on the log (a reply asking the customer to delete, "
                    "edit or not post a complaint, or tying a remedy to silence); each is listed on "
                    f"[{TITLE}]({PATH}).", "", *_counts_table(gags)]


RULE = ("We list every reply on our log that asks a customer to delete, edit or not post a complaint or a "
        "review, or that ties a remedy to the customer's silence, on the [Gag requests](gag-requests.md) page: "
        "its case, channel, date and the words that asked (unless they would identify the customer). Such a "
        "reply is labelled on the signed log like every other decision, and `openledger verify` refuses a "
        "site whose list differs from its log, so none can be left off.")


def policy_lines(rule: str) -> list[str]:
    """The policy page's section: the rule the site enforces, then the company's own rule when configured."""
    lines = ["## Gag requests", "", RULE, ""]
    if rule:
        lines += [f"Our rule: {md(rule)}", ""]
    return lines


def page(gags: Sequence[GagRequest]) -> str:
    """The Gag requests page's Markdown."""
    lines = [
        "---\nhide:\n  - toc\n---",
        f"# {TITLE}",
        "",
        "A gag request is a reply that asks the customer to delete, edit or not post a complaint or a review, "
        "or that ties a remedy to the customer's silence. Each one on the log is listed here, never only "
        "counted: the case (check it on [Check your case](check.md)), its channel, when, and the sentence "
        "that asked as it was recorded after redaction. A sentence is withheld when the reply was public "
        "(searching for its words would find the customer's post) or when it still named the customer, and "
        "withdrawn when the customer's details were erased. The log holds a salted digest of each sentence, "
        "not its words: `openledger verify` shows a sentence only where it matches its entry, so none can be "
        "reworded after the fact. The list is also published as `data/gag-requests.json`, with each "
        "sentence's salt.",
        "",
    ]
    if not gags:
        return "\n".join(lines + ["No gag requests are on the log.", ""])
    are = "is" if len(gags) == 1 else "are"
    lines += [f"{_count(len(gags)).capitalize()} {are} on the log.", "", *_counts_table(gags)]
    lines += ["| Case | Channel | When | What the reply asked |", "|---|---|---|---|"]
    for g in gags:
        said = f"“{md(g.sentence)}”" if g.sentence else f"*{md(reason(g))}*"
        lines.append(f"| {_case(g.case)} | {cell(g.channel)} | {md(periods.in_words(g.period))} | {said} |")
    return "\n".join(lines + [""])


def warning_line(n: int) -> str:
    """``openledger build``'s warning when gag requests are on the log ('' when none)."""
    if not n:
        return ""
    are = "is" if n == 1 else "are"
    return f"{_count(n)} {are} on the log (listed on the site's {TITLE} page, gag-requests.html)"
