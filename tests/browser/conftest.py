"""The browser tests' Chromium: one Debian Chromium per module (``browser_fixtures.launch``)."""

from __future__ import annotations

import pytest
from browser_fixtures import launch


@pytest.fixture(scope="module")
def browser():
    with launch() as chromium:
        yield chromium
