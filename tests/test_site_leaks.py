"""The site's leak scanner finds what publication.find_leaks finds, in one pass."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from openledger import publication
from openledger.site import leaks

ASCII = string.ascii_letters + string.digits + string.punctuation + " "
IDENTIFIERS = {
    "email": ["r.patel@example.org", "Ana.Hostile@Example.NET"],
    "author": ["@dana_k", "Ravi Patel"],
    "phone": ["+44 7700 900123"],
    "short": ["abc"],  # too short to scan
}


def write_site(root, files):
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")


def test_same_findings_as_publication_find_leaks(tmp_path):
    write_site(tmp_path, {
        "a.html": "<p>Contact ana.hostile@example.net</p>",
        "b.json": '{"who": "r.patel\\u0040example.org", "x": "@DANA_K"}',
        "c.csv": "case,phone\nC-1,+44 (7700) 900-123\n",
        "d/e.html": "Ravi%20Patel wrote abc",
        "clean.txt": "nothing personal here 12345678",
    })
    mine = leaks.find_leaks(tmp_path, IDENTIFIERS)
    theirs = publication.find_leaks(tmp_path, IDENTIFIERS)
    assert mine == theirs
    assert {(x.file, x.kind) for x in mine} >= {("a.html", "email"), ("b.json", "author"), ("c.csv", "phone"),
                                               ("d/e.html", "author")}
    assert not [x for x in mine if x.file == "clean.txt" or x.kind == "short"]


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=ASCII, min_size=4, max_size=20).filter(lambda s: len(s.strip()) >= 4),
       st.text(max_size=30), st.text(max_size=30))
def test_an_identifier_embedded_anywhere_is_found(tmp_path_factory, value, before, after):
    root = tmp_path_factory.mktemp("leak")
    write_site(root, {"page.html": before + value.strip().upper() + after})
    found = leaks.find_leaks(root, {"name": [value]})
    assert [(x.file, x.kind) for x in found] == [("page.html", "name")]
