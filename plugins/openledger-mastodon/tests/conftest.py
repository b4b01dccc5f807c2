"""Let the tests run from an openledger checkout before the plugin is pip-installed."""

import importlib.util
import sys
from pathlib import Path

if importlib.util.find_spec("openledger_mastodon") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
