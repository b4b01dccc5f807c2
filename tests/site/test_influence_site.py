"""The site part of issue 21: the audit page's Influence section and the gag requests, through ``build``
and ``verify`` on instances.

- An influenced history (threats that buy remedies, deflected cases resolved less often, no tone effect)
  gives a sentence for each planted effect and an equal statement for tone; a fair one gives no sentence;
  a history without labels says in one line per dimension why it did not run.
- Every gag request on the log is a row of the Gag requests page and an object of
  ``data/gag-requests.json`` (as many as :attr:`Derived.gags`), with the withheld ones' reasons in words;
  Home counts them per channel; ``build`` warns; the policy page states the rule.
- A gag sentence with Markdown, HTML, braces or a link shows literally.
- ``verify`` refuses a site whose gag list, influence sentence or gag data file was changed.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import markdown
import pytest
from audit_sim import history_lines
from hypothesis import given, settings
from hypothesis import strategies as st
from site_fixtures import reply_thread

from openledger import periods
from openledger.instance import Instance
from openledger.site import gag_page
from openledger.site.derive import GagRequest
from openledger.site.gather import published_derivation
from openledger.testing import PUBLISH_AT_ONCE, InstanceRunner, make_instance

N = 6_000
GAG_EVERY = 500  # every 500th case of the influenced history had a gag request (recorded without its text)
RULE = "We never make a refund depend on a review being deleted."
HOSTILE = ("We will refund the full amount once you delete your review <b>now</b> **bold** {: onclick=alert(1) } "
           "[here](javascript:alert(1)) | pipe.")


def text_of(page: Path, start: str = "<article", end: str = "</article>") -> str:
    """The visible text of a built page's article (or of the part from ``start`` to ``end``), one line."""
    raw = page.read_text("utf-8")
    begin = raw.index(start)
    part = raw[raw.rfind("<", 0, begin):]
    if end in part:
        part = part[:part.rfind("<", 0, part.index(end))]
    part = re.sub(r"<script.*?</script>", " ", part, flags=re.S)
    part = re.sub(r"</?(?:strong|em|code|a|b|i|span)\b[^>]*>", "", part)  # inline: no space
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", part)).split())


def section(page: Path, heading_id: str, next_id: str | None) -> str:
    return text_of(page, f'id="{heading_id}"', f'id="{next_id}"' if next_id else "</article>")


def _history(tmp_path: Path, scenario: str, n: int, labels: bool, gag_every: int = 0) -> tuple[InstanceRunner, Path,
                                                                                                  str]:
    inst = make_instance(tmp_path / "home", site={"gag_rule": RULE})
    lines = history_lines(n, 21, scenario, labels=labels)
    if gag_every:
        lines = [json.dumps({**json.loads(line), "gag": i % gag_every == 0}) for i, line in enumerate(lines)]
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join(lines) + "\n")
    inst.run("ingest", "history", path)
    built = inst.run("build", "--out", tmp_path / "site")
    return inst, tmp_path / "site", built.stderr


@pytest.fixture(scope="module")
def influenced(tmp_path_factory):
    inst, site, stderr = _history(tmp_path_factory.mktemp("influenced"), "influence", N, True, GAG_EVERY)
    yield inst, site, stderr
    inst.close()


@pytest.fixture(scope="module")
def fair(tmp_path_factory):
    inst, site, _ = _history(tmp_path_factory.mktemp("fair"), "fair", N, True)
    yield inst, site
    inst.close()


@pytest.fixture(scope="module")
def unlabelled(tmp_path_factory):
    inst, site, stderr = _history(tmp_path_factory.mktemp("unlabelled"), "fair", 1_000, False)
    yield inst, site, stderr
    inst.close()


@pytest.fixture(scope="module")
def gagged(tmp_path_factory):
    """Real replies through ``process``: a private gag request whose sentence is full of markup, a public one
    (withheld) and a reply that asks for no silence."""
    base = tmp_path_factory.mktemp("gagged")
    inst = make_instance(base / "home", site=PUBLISH_AT_ONCE)
    records = (
        reply_thread(0, "email", "private", "wanda.okafor@example.com",
                "My blender broke after a week and I wrote a one-star review about it.", f"Sorry. {HOSTILE}")
        + reply_thread(1, "twitter", "public", "@wanda_o", "@acme my blender broke after a week, one star from me",
                  "Please take down this tweet and we will send a new blender.")
        + reply_thread(2, "email", "private", "pat.lee@example.net", "The toaster burns everything.",
                  "Sorry about the toaster. Please send us a photo so we can replace it.")
    )
    path = base / "mail.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    inst.run("ingest", "jsonl", str(path))
    inst.run("process")
    built = inst.run("build", "--out", str(base / "site"))
    yield inst, base / "site", built.stderr
    inst.close()


def copy_site(root: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(root, target)
    return target


def refused(inst: InstanceRunner, copy: Path, *expected: str) -> str:
    result = inst.run("verify", copy, expect=1)
    for piece in expected:
        assert piece in result.stdout, (piece, result.stdout)
    assert "Traceback" not in result.output
    return result.stdout


# --- the Influence section -----------------------------------------------------------------------------------


def test_the_influence_section_says_each_planted_effect_and_an_equal_tone(influenced):
    inst, site, _ = influenced
    page = site / "audit.html"
    top = section(page, "influence", "leverage")
    for line in ("Leverage: unfair (reference: none)", "Deflection: unfair (reference: kept-public)", "Tone: "):
        assert line in top, top
    leverage = section(page, "leverage", "deflection")
    assert ("Private complaints that threatened to go public, to the press, a regulator or a lawyer get a remedy "
            in leverage and "times as often as private ones that made no threat, with the same category and "
            "severity (95% interval " in leverage), leverage
    assert re.search(r"[\d,]+ of the [\d,]+ published private cases \(a threat is compared among private cases "
                     r"only\) carry the label leverage", leverage), leverage
    deflection = section(page, "deflection", "tone")
    assert ("Public complaints that a reply moved private are resolved in the customer's favour" in deflection
            and "as often as public ones kept public" in deflection and "as often as private ones" in deflection)
    follow_up = section(page, "public-follow-up-after-a-case-moved-private", "tone")
    for channel in ("twitter", "facebook", "review", "all"):
        assert re.search(rf"{channel} [\d,]+ [\d,]+ [\d.]+% \[[\d.]+%, [\d.]+%\]", follow_up), (channel, follow_up)
    tone = section(page, "tone", "the-method-in-plain-words")
    assert "Equal (within the equal band): " in tone and "(hostile-negative against neutral-positive)" in tone
    assert "times as" not in tone.split("Tone, measures")[0]  # no unequal sentence
    # each dimension's tables: the findings with the same columns as the sections above
    raw = page.read_text()
    assert raw.count("<th>Measure</th>") == 3
    for dim in ("leverage", "deflection", "tone"):
        chart = site / "charts" / f"influence-{dim}-ratio.svg"
        assert chart.read_text().startswith("<?xml") and f'src="charts/influence-{dim}-ratio.svg"' in raw
        alt = re.search(rf'<img alt="([^"]+)" src="charts/influence-{dim}-ratio.svg"|'
                        rf'<img src="charts/influence-{dim}-ratio.svg" alt="([^"]+)"', raw)
        assert alt and "adjusted ratio to the reference" in (alt.group(1) or alt.group(2))
    assert inst.run("verify", site).stdout.startswith("ok:")


def test_a_fair_history_says_no_influence_sentence(fair):
    inst, site = fair
    page = site / "audit.html"
    influence = section(page, "influence", "the-method-in-plain-words")
    words = influence.split("Leverage, measures")[0] + section(page, "deflection", "tone").split(
        "Deflection, measures")[0] + section(page, "tone", "the-method-in-plain-words").split("Tone, measures")[0]
    assert "times as" not in words and "percentage points" not in words, words
    assert "unfair" not in section(page, "influence", "leverage")
    for dim, nxt in (("leverage", "deflection"), ("deflection", "tone"), ("tone", "the-method-in-plain-words")):
        assert "Equal (within the equal band): " in section(page, dim, nxt), dim


def test_without_labels_each_dimension_says_in_one_line_why_it_did_not_run(unlabelled):
    inst, site, stderr = unlabelled
    top = section(site / "audit.html", "influence", "the-method-in-plain-words")
    for dim, column in (("Leverage", "leverage"), ("Deflection", "moved_private"), ("Tone", "tone")):
        assert f"{dim}: not run (no published case is labelled '{column}')" in top
    assert not list((site / "charts").glob("influence-*"))
    assert json.loads((site / "data" / "gag-requests.json").read_text()) == []
    assert "No gag requests are on the log." in section(site / "index.html", "gag-requests", "this-build")
    assert "No gag requests are on the log." in text_of(site / "gag-requests.html")
    assert "gag request" not in stderr


# --- gag requests --------------------------------------------------------------------------------------------


def test_every_gag_request_is_listed_counted_and_warned_of(influenced):
    inst, site, stderr = influenced
    derived = published_derivation(Instance(inst.home, db=inst.db_url))
    n = len(derived.gags)
    assert n == len(range(0, N, GAG_EVERY))
    published = json.loads((site / "data" / "gag-requests.json").read_text())
    assert published == [{"case": g.case, "channel": g.channel, "period": g.period, "sentence": None, "salt": None,
                          "withheld": "unknown"} for g in derived.gags]
    raw = (site / "gag-requests.html").read_text()
    for g in derived.gags:
        row = re.search(rf'<tr>\s*<td><a href="check.html#{g.case}">.*?</tr>', raw, re.S)
        assert row, g.case
        said = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row.group(0))).split())
        assert g.channel in said and periods.in_words(g.period) in said
        assert "withheld: the log holds no sentence for it" in said
    home = section(site / "index.html", "gag-requests", "this-build")
    assert f"{n} gag requests are on the log" in home
    for channel in {g.channel for g in derived.gags}:
        count = sum(g.channel == channel for g in derived.gags)
        assert f"{channel} {count}" in home
    assert f"{n} gag requests are on the log (listed on the site's Gag requests page, gag-requests.html)" in stderr
    policy = section(site / "policy.html", "gag-requests", None)
    assert "on the Gag requests page" in policy and f"Our rule: {RULE}" in policy
    assert json.loads((site / "data" / "build.json").read_text())["gag_rule"] == RULE


def test_a_gag_sentence_shows_literally_and_a_public_one_is_withheld_in_words(gagged):
    inst, site, stderr = gagged
    derived = published_derivation(Instance(inst.home, db=inst.db_url))
    assert len(derived.gags) == 2 and "2 gag requests are on the log" in stderr
    listed = text_of(site / "gag-requests.html")
    assert f"“{HOSTILE}”" in listed
    assert "withheld: the reply was public, its words would lead to the customer's post" in listed
    raw = (site / "gag-requests.html").read_text()
    assert "<b>now</b>" not in raw and "onclick" not in raw.replace("onclick&#61;", "") \
        and 'href="javascript' not in raw
    assert "email 1" in section(site / "index.html", "gag-requests", "this-build")
    assert "Our rule" not in section(site / "policy.html", "gag-requests", None)  # none configured
    assert inst.run("verify", site).stdout.startswith("ok:")


# --- verify --------------------------------------------------------------------------------------------------


def test_verify_refuses_an_edited_gag_row(gagged, tmp_path):
    inst, root, _ = gagged
    copy = copy_site(root, tmp_path)
    page = copy / "gag-requests.html"
    page.write_text(page.read_text().replace("once you delete your review", "once you are happy"))
    refused(inst, copy, f"{page}: says")


def test_verify_refuses_a_dropped_gag_row_and_a_deleted_gag_file(gagged, tmp_path):
    inst, root, _ = gagged
    copy = copy_site(root, tmp_path)
    page = copy / "gag-requests.html"
    page.write_text(re.sub(r"<tr>\s*<td><a href=\"check.html#[^\"]+\">[^<]*</a></td>\s*<td>twitter</td>.*?</tr>",
                           "", page.read_text(), count=1, flags=re.S))
    (copy / "data" / "gag-requests.json").unlink()
    refused(inst, copy, f"{page}: says", "data/gag-requests.json: missing")


def test_verify_refuses_an_edited_influence_sentence(influenced, tmp_path):
    inst, root, _ = influenced
    copy = copy_site(root, tmp_path)
    page = copy / "audit.html"
    raw = page.read_text()
    edited = raw.replace("threatened to go public, to the press, a regulator or a lawyer get a remedy",
                         "threatened to go public, to the press, a regulator or a lawyer get a reply", 1)
    assert edited != raw
    page.write_text(edited)
    refused(inst, copy, f"{page}: says")


# --- the list's text -----------------------------------------------------------------------------------------


def _rendered_sentence(sentence: str) -> str:
    page = gag_page.page([GagRequest("C-AAAA-BBBB-CCCC-DDDD", "email", "2026-W10", "0" * 64, sentence=sentence)])
    out = markdown.markdown(page.split("---\n", 2)[2], extensions=["tables", "attr_list", "md_in_html",
                                                                  "openledger.site.sanitize"])
    row = out[out.index('href="check.md#C-AAAA-BBBB-CCCC-DDDD"'):]
    last = row.split("<td>")[-1].split("</td>")[0]
    assert "<" not in last, last  # no element came out of the sentence
    return html.unescape(last)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80))
def test_any_gag_sentence_shows_as_itself(sentence):
    sentence = " ".join(sentence.split())  # the log publishes a sentence on one line (privacy.projection)
    if not sentence:
        return
    assert _rendered_sentence(sentence) == f"“{sentence}”"


@pytest.mark.parametrize("sentence", [HOSTILE, "{{ config.secret }} {% include 'x' %}", "![x](http://evil.example/a.png)",
                                      "<script>alert(1)</script>", "| a | b |", "# heading", "a\\|b `c` ~~d~~"])
def test_hostile_gag_sentences_show_as_typed(sentence):
    assert _rendered_sentence(sentence) == f"“{sentence}”"


def test_periods_are_written_in_words():
    assert periods.in_words("2026-W10") == "the week of 2 March 2026"
    assert periods.in_words("2026-03") == "March 2026"
    assert periods.in_words("2026-Q4") == "October to December 2026"
    assert periods.in_words("2026") == "2026"
    assert periods.in_words("soon") == "soon"
