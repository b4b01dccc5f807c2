"""Where the tests find the repository's files, wherever a test module sits."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
DATA = TESTS / "data"
EXAMPLES = ROOT / "examples"
DOCS = ROOT / "docs"
# the real public exports: beside the checkout, or where OPENLEDGER_SHARED_DATA says (as the source tests read it)
SHARED_DATA = Path(os.environ.get("OPENLEDGER_SHARED_DATA", ROOT.parent / "shared" / "data"))


def shared(*parts: str) -> Path:
    """A file or folder of the real public exports in ``../shared/data``; the test is skipped where the
    checkout has none beside it (a clone elsewhere)."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here: the real public exports sit beside the checkout in ../shared/data")
    return path
