"""The leak scanner of a built site, against a brute-force search written here.

The oracle, :func:`brute_force`, looks at every position of every file for
every escaped form of every identifier, one by one: slow and obviously right.
The scanner (one Aho-Corasick pass) must find exactly what it finds.
"""

import json
import re
import string
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from openledger.privacy import leaks
from openledger.privacy.leaks import (
    Leak,
    Scanner,
    carries_text,
    is_short_number,
    phone_digits,
    variants,
    whole_token,
)

ASCII = string.ascii_letters + string.digits + string.punctuation + " "
IDENTIFIERS = {
    "email": ["r.patel@example.org", "Ana.Hostile@Example.NET"],
    "author": ["@dana_k", "Ravi Patel"],
    "phone": ["+44 7700 900123"],
    "short": ["abc"],  # too short to scan
}


def brute_force(root: Path, identifiers: dict[str, list[str]]) -> list[Leak]:
    """Every (file, kind) where an identifier stands alone, by trying every position."""
    found = set()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", errors="ignore")
        lower, rel = text.lower(), path.relative_to(root).as_posix()
        textual = carries_text(rel)
        for kind, values in identifiers.items():
            for value in (v.strip() for v in values):
                cjk = re.search(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u1100-\u11ff\u3000-\u30ff"
                                r"\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]",
                                value)
                if len(value) < (2 if cjk else 4) or re.fullmatch(r"(19|20)[0-9]{2}", value):  # too short, a year
                    continue
                number = is_short_number(value)
                if number and not textual:
                    continue
                forms = {f.lower() for f in variants(value)}
                if any(lower.startswith(form, i) and whole_token(lower, i, i + len(form), number)
                       and not inside_case_id(lower, i, i + len(form))
                       for form in forms for i in range(len(lower))):
                    found.add(Leak(rel, kind))
                digits = phone_digits(value)
                if digits:
                    tail = re.compile(r"[\s().\-/]{0,3}".join(digits[-9:]) + r"(?!\d)")
                    runs = [m.group() for m in re.finditer(r"\d(?:[\s().\-/]{0,3}\d){8,}", text)
                            if not (m.start() and text[m.start() - 1].isalnum())
                            and not (m.end() < len(text) and text[m.end()].isalnum())]
                    if any(tail.search(run) for run in runs if textual or "." not in run):
                        found.add(Leak(rel, kind))
    return sorted(found, key=lambda leak: (leak.file, leak.kind))


def inside_case_id(lower: str, start: int, end: int) -> bool:
    """Whether [start, end) lies in a public case id: tried at every place one could start."""
    for i in range(max(0, start - 40), start + 1):
        if i and lower[i - 1].isalnum() and lower[i - 1].isascii():
            continue
        match = re.match(r"c(?:-|&#45;)[a-z2-7]{4}(?:(?:-|&#45;)[a-z2-7]{4}){3}", lower[i:])
        after = lower[i + match.end():i + match.end() + 1] if match else ""
        if match and end <= i + match.end() and not (after and after in string.ascii_lowercase + string.digits):
            return True
    return False


def write_site(root, files):
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")


def test_same_findings_as_the_brute_force_search(tmp_path):
    write_site(tmp_path, {
        "a.html": "<p>Contact ana.hostile@example.net</p>",
        "b.json": '{"who": "r.patel\\u0040example.org", "x": "@DANA_K"}',
        "c.csv": "case,phone\nC-1,+44 (7700) 900-123\n",
        "d/e.html": "Ravi%20Patel wrote abc",
        "clean.txt": "nothing personal here 12345678",
    })
    mine = leaks.find_leaks(tmp_path, IDENTIFIERS)
    theirs = brute_force(tmp_path, IDENTIFIERS)
    assert mine == theirs
    assert {(x.file, x.kind) for x in mine} >= {("a.html", "email"), ("b.json", "author"), ("c.csv", "phone"),
                                               ("d/e.html", "author")}
    assert not [x for x in mine if x.file == "clean.txt" or x.kind == "short"]


def test_long_identifiers_sharing_their_first_characters_are_each_found_whole(tmp_path):
    # the automaton holds a long form's first KEY_CHARS characters; each hit is confirmed on the whole form
    head = "customer-1234"[:leaks.KEY_CHARS]
    ids = {"author": [head, head + "5@example.com", "0123456789abcdef" * 4],
           "customer": [head + "56@example.com", head + "5@example.com"], "external_id": [head + "x"]}
    write_site(tmp_path, {
        "a.html": f"<p>{head}5@example.com.</p>",  # one form of two kinds, inside a longer one's key
        "b.json": f'"{head}56%40example.com"',  # another length after the same key, URL-escaped
        "c.csv": f"{head}5@example.co,{head}56@example.comx",  # cut short, run on
        "d.txt": f"{head} and {head}X " + "0123456789ABCDEF" * 4,  # the key alone; a 64-character value
        "e.json": f'"{head}x"' + "0123456789abcdef" * 3,  # a form of the key's length plus one; at the end
    })
    found = leaks.find_leaks(tmp_path, ids)
    assert found == brute_force(tmp_path, ids)
    assert {(x.file, x.kind) for x in found} >= {("a.html", "author"), ("a.html", "customer"),
                                                ("b.json", "customer"), ("d.txt", "author"),
                                                ("e.json", "external_id")}
    assert not [x for x in found if x.file == "c.csv"]


def _stands_alone(before: str, value: str, after: str) -> bool:
    return not (before and before[-1].isalnum() and value[0].isalnum()) and \
        not (after and after[0].isalnum() and value[-1].isalnum())


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=ASCII, min_size=4, max_size=20).filter(
        lambda s: len(s.strip()) >= 4 and not s.strip().isdigit()
    ),
    st.text(max_size=30),
    st.text(max_size=30),
)
def test_an_identifier_standing_alone_anywhere_is_found(tmp_path_factory, value, before, after):
    value = value.strip()
    assume(_stands_alone(before, value.upper(), after))
    root = tmp_path_factory.mktemp("leak")
    write_site(root, {"page.html": before + value.upper() + after, "data/x.json": before + value + after})
    found = leaks.find_leaks(root, {"name": [value]})
    assert [(x.file, x.kind) for x in found] == [("data/x.json", "name"), ("page.html", "name")]
    assert found == brute_force(root, {"name": [value]})


@settings(max_examples=40, deadline=None)
@given(st.from_regex(r"[0-9]{4,8}", fullmatch=True).filter(lambda n: not re.fullmatch(r"(19|20)[0-9]{2}", n)),
       st.sampled_from(["#", "C-", "id ", "(", ""]),
       st.sampled_from([" wrote", ")", ",", ""]))
def test_a_short_number_is_found_in_text_but_not_in_generated_numbers(tmp_path_factory, number, before, after):
    root = tmp_path_factory.mktemp("leak")
    write_site(root, {
        "page.html": f"<p>customer {before}{number}{after} complained</p>",
        "data/summaries/s-0.json": f'{{"C-AAAA": "ref {number}"}}',
        "data/cases/e5.json": f'{{"C-AAAA": [{number}, 7]}}',
        "charts/a.svg": f'<path d="M 277.{number} 12.5 L 3{number}.25 0"/>',
        "ledger/tile/entries/000": f'{{"commitment":"ab{number}cd","data":{{"after_minutes":{number}}}}}',
    })
    found = leaks.find_leaks(root, {"author": [number]})
    assert [x.file for x in found] == ["data/summaries/s-0.json", "page.html"]
    assert found == brute_force(root, {"author": [number]})


def test_a_number_that_reads_as_a_year_is_not_searched(tmp_path):
    """Customers numbered from 1: the 2,000th and the 2,026th are the SVG namespace of every inline icon and the
    year of the site's periods and dates; the 1,899th and the 2,100th are still searched."""
    write_site(tmp_path, {"index.html": '<p><svg xmlns="http://www.w3.org/2000/svg"></svg> January to March 2026, '
                                        "data as of 2026&#45;11&#45;01; customer 1899 and 2100 wrote</p>"})
    ids = {"customer": ["2000", "2026", "1899"], "author": ["2100"], "name": ["2025"]}
    for scan in (leaks.find_leaks, brute_force):
        assert [(x.file, x.kind) for x in scan(tmp_path, ids)] == [("index.html", "author"), ("index.html", "customer")]


# a company's reply that ties a refund to a deleted review, as a customer in China, Japan or Korea would get it
NAMES_IN_UNSPACED_SCRIPTS = [
    ("李明", "李明先生，如果您删除评论，我们将全额退款。"),
    ("佐藤花子", "佐藤花子様、レビューを削除していただければ全額返金いたします。"),
    ("김민수", "김민수님, 리뷰를 삭제해 주시면 환불해 드리겠습니다."),
    ("สมชาย", "คุณสมชายครับ หากลบรีวิว เราจะคืนเงินให้เต็มจำนวน"),
]


@pytest.mark.parametrize(("name", "sentence"), NAMES_IN_UNSPACED_SCRIPTS)
def test_a_name_in_a_script_without_spaces_is_found_joined_to_the_next_word(tmp_path, name, sentence):
    """Such a name is two or three characters and runs into its honorific: both once made it invisible to the
    scan (and to the gag sentence's check, which uses the same scanner)."""
    assert Scanner({"customer": [name]}).mentions(sentence) == {"customer"}
    write_site(tmp_path, {"gag-requests.html": f"<td>{sentence}</td>", "data/gag-requests.json":
                          json.dumps([{"sentence": sentence}], ensure_ascii=False)})
    for scan in (leaks.find_leaks, brute_force):
        assert [(x.file, x.kind) for x in scan(tmp_path, {"customer": [name]})] == \
            [("data/gag-requests.json", "customer"), ("gag-requests.html", "customer")]
    assert not Scanner({"customer": [name]}).mentions("Thank you for your review.")


def test_an_identifier_inside_a_longer_word_or_hash_is_another_token(tmp_path):
    write_site(tmp_path, {"a.html": "<p>Johnathan paid with card ab4471cd; see Anna.</p>"})
    found = leaks.find_leaks(tmp_path, {"name": ["John", "Anna"], "account": ["4471"]})
    assert [(x.file, x.kind) for x in found] == [("a.html", "name")]


def test_phone_like_tails_are_not_matched_inside_the_sites_own_decimals(tmp_path):
    """A long id or a phone number's last nine digits turn up by chance in the site's own
    floats (2495.2083333333335 holds 249520833, the tail of the real tweet id
    1975442419249520833); outside text, a run of digits with a decimal point is a number."""
    ids = {"external_id": ["1975442419249520833"], "phone": ["+44 20 7946 0958"]}
    write_site(tmp_path, {
        "data/outcomes.csv": "channel,hours\nemail,2495.2083333333335\nphone,12.2079460958\n",
        "charts/a.svg": '<path d="M 20.79 46.0958 L 1 2"/>',
        "data/x.csv": "case,phone\nC-1,020 7946 0958\n",
        "page.html": "<p>call 020.7946.0958 now</p>",
    })
    for scan in (leaks.find_leaks, brute_force):
        assert [(x.file, x.kind) for x in scan(tmp_path, ids)] == [("data/x.csv", "phone"), ("page.html", "phone")]


def test_a_phone_numbers_tail_inside_a_hash_is_another_token(tmp_path):
    """A log entry's commitment is 64 hex digits, and nine decimal digits in a row turn up in about one of
    four: with thousands of customers' phone numbers one of them ends in those nine sooner or later (a
    20,000-case demo refused to publish for it). Digits that run on from or into letters are part of that
    token, as any other identifier inside a longer word or hash is; the same number standing alone is found."""
    ids = {"author": ["+44 7168 611121"]}
    write_site(tmp_path, {
        "ledger/tile/entries/094": '{"case":"C-XCSM","channel":"phone","commitment":"a6bad65ebfc1f0fd1a1b39bbefce'
                                   '83980e168611121dcfce29e770af4069fb11","data":{}}',
        "data/a.json": '{"ref":"168611121x", "id":"ab168611121"}',
        "page.html": "<p>call 07168 611121, or ref x07168611121</p>",
        "data/b.csv": "case,phone\nC-1,7168611121\n",
    })
    for scan in (leaks.find_leaks, brute_force):
        assert [(x.file, x.kind) for x in scan(tmp_path, ids)] == [("data/b.csv", "author"), ("page.html", "author")]


def test_a_word_spelled_by_a_public_case_id_is_not_a_leak(tmp_path):
    """A case's public id is a keyed hash in four groups of four base32 characters: it spells any four-letter
    word now and then (an agent called Kees, a customer called Femi), about once in 262,144 cases for each:
    at a million cases 98 % of builds would stop for each such name. Inside a case id, as written or as the
    pages escape its dashes, it is the id; the same name anywhere else is found."""
    ids = {"actor": ["Kees"], "author": ["Femi", "2345"]}
    write_site(tmp_path, {
        "ledger/tile/entries/001": '{"case":"C-KEES-AB2C-FEMI-2345","channel":"phone"}',
        "data/cases/0a.json": '{"C-2345-KEES-AB2C-FEMI": [1, 2]}',
        "gag-requests.html": '<a href="check.html#C-KEES-AB2C-FEMI-2345">C&#45;KEES&#45;AB2C&#45;FEMI&#45;2345</a>',
        "page.html": "<p>Thanks, Kees</p>",
        "data/x.json": '{"agent": "kees", "near": "C-KEES-AB2C-FEMI-23456", "also": "XC-FEMI-AB2C-KEES-2345"}',
    })
    for scan in (leaks.find_leaks, brute_force):
        assert [(x.file, x.kind) for x in scan(tmp_path, ids)] == [
            ("data/x.json", "actor"), ("data/x.json", "author"), ("page.html", "actor")]


def test_the_logs_own_checkpoint_shown_on_a_page_is_not_a_leak(tmp_path):
    """The verify page shows the signed checkpoint as it is: its second line is the log's size, which a
    customer's six-digit Twitter id equals about once in 900,000 (times the customers). Skipped as the log's
    own text, written or HTML-escaped; the same number anywhere else on the page is still found."""
    note = "example.com/complaints\n129335\n5rP4igB3fgPgjBB65aJBsvjWmkrKKuIFerJ+m+v5UmQ=\n\n— example.com/c k+/=<&\n"
    escaped = note.replace("&", "&amp;").replace("<", "&lt;")
    write_site(tmp_path, {"verify.html": f'<pre id="checkpoint-text">{escaped}</pre>',
                          "raw.html": f"<pre>{note}</pre>", "other.html": f"<pre>{escaped}</pre><p>id 129335</p>"})
    ids = {"author": ["129335"]}
    assert [x.file for x in leaks.find_leaks(tmp_path, ids)] == ["other.html", "raw.html", "verify.html"]
    assert [x.file for x in leaks.find_leaks(tmp_path, ids, own=[note])] == ["other.html"]


def test_a_number_longer_than_a_phone_number_is_matched_whole(tmp_path):
    """E.164 numbers have at most 15 digits: a 19-digit tweet id is an id, matched as written."""
    ids = {"external_id": ["1975442419249520833"]}
    write_site(tmp_path, {"a.html": "<p>ref 555249520833</p>", "b.html": "<p>1975442419249520833</p>"})
    for scan in (leaks.find_leaks, brute_force):
        assert [(x.file, x.kind) for x in scan(tmp_path, ids)] == [("b.html", "external_id")]


def test_an_everyday_word_name_is_found_only_as_a_name(tmp_path):
    site = tmp_path / "site"
    (site / "assets" / "javascripts").mkdir(parents=True)
    (site / "assets" / "javascripts" / "bundle.js").write_text("function mark(e){switch(e){case 1: return Will}}")
    (site / "index.html").write_text("<h1>Case</h1><p>Check your case. We will reply.</p><td>Will</td>\nCase studies")
    scanner = Scanner({"author": ["Will", "Case", "Mark"]})
    assert scanner.scan(site) == []  # the theme's code, the word, a heading, a cell, a line start
    (site / "press.html").write_text("<p>We called back and thanked Will for his patience.</p>")
    assert scanner.scan(site) == [Leak("press.html", "author")]


def test_a_rare_or_full_name_is_found_in_any_case_but_not_in_the_assets(tmp_path):
    site = tmp_path / "site"
    (site / "assets" / "stylesheets").mkdir(parents=True)
    (site / "assets" / "stylesheets" / "main.css").write_text("/* Siobhan Oyelaran */")
    scanner = Scanner({"author": ["Siobhan Oyelaran", "Xochitl"]})
    assert scanner.scan(site) == []
    (site / "index.html").write_text("<p>xochitl wrote</p>")
    (site / "data.json").write_text('{"who": "SIOBHAN OYELARAN"}')
    assert scanner.scan(site) == [Leak("data.json", "author"), Leak("index.html", "author")]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["author", "customer", "email", "phone", "signing key"]), min_size=1, max_size=8),
       st.lists(st.sampled_from(["Ravi Patel", "r.patel@example.org", "+44 7700 900123", "customer-12345",
                                 "customer-12345@example.com", "dana", "Dana", "0123456789abcdef" * 4,
                                 "07700 900123", "@dana_k", "Zoë Ågren"]), min_size=1, max_size=8),
       st.integers(0, 8))
def test_identifiers_added_later_are_found_as_if_given_at_once(tmp_path_factory, kinds, values, cut):
    """The build compiles the database's identifiers early and adds its own secrets once it knows them: a
    scanner given some identifiers, then the rest, finds what one given all of them finds."""
    pairs = list(zip(kinds * len(values), values))
    root = tmp_path_factory.mktemp("site")
    write_site(root, {
        "a.html": "<p>Ravi Patel and R.PATEL%40example.org wrote to customer-12345@example.com</p>",
        "b.json": '{"x": "+44 (7700) 900-123", "y": "Dana said", "k": "' + "0123456789ABCDEF" * 4 + '"}',
        "c.txt": "Zoë Ågren, @DANA_K, customer-12345 and 07700900123",
    })
    whole = Scanner(pairs)
    later = Scanner(pairs[:cut])
    later.add(pairs[cut:])
    assert later.scan(root) == whole.scan(root) == leaks.find_leaks(root, pairs)
    assert [later.mentions(t) for t in ("Dana said", "dana", "ravi patel", "nobody")] == \
        [whole.mentions(t) for t in ("Dana said", "dana", "ravi patel", "nobody")]
