"""Where the tests find the repository's files, wherever a test module sits."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
DATA = TESTS / "data"
EXAMPLES = ROOT / "examples"
DOCS = ROOT / "docs"
SHARED_DATA = ROOT.parent / "shared" / "data"
