"""``openledger new-plugin``: a ready, tested, installable plugin package from the templates.

The templates are package data (``openledger/templates/plugin/``): ``common/``
(``pyproject.toml`` with the entry point, ``README.md``, ``tests/conftest.py``)
and one folder per kind (``source``, ``classifier``, ``responder``, ``page``)
with the module and its tests. Files ending in ``.j2`` are Jinja2 templates
(the suffix is dropped); ``__module__`` in a path becomes the module name.
The generated tests pass as written, installed or not, so a plugin author
starts from green and changes one thing at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from jinja2 import Environment, StrictUndefined

from openledger import __version__
from openledger.errors import OpenLedgerError

KINDS = ("source", "classifier", "responder", "page")
NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
HOOKS = {"source": "register_sources", "classifier": "register_classifiers", "responder": "register_responders",
         "page": "register_site_pages"}
SUMMARIES = {
    "source": "reads {name} exports into messages",
    "classifier": "labels cases {name}: yes or no",
    "responder": "drafts and remedies of {name}",
    "page": "a {name} page on the public site",
}
README = {
    "source": """
## Use it

    openledger ingest {name} tests/data/export.jsonl
    openledger ingest {name} EXPORT.jsonl --option account=OUR_ACCOUNT   # the company's own posts are "out"

`tests/data/export.jsonl` is a sample: replace it by a small copy of a real export and
change `read()` in `src/{module}/__init__.py` to its format. Yield `Rejected(location,
reason)` for a record you cannot read (`--skip-bad` quarantines it); a record you yield
must keep openledger's record contract (aware timestamps, text a string, the declared
channel, identities as `@handle` or `e-mail`...), or the file is refused as a fault of
the plugin. `openledger.intake.contract.run(SOURCE, path)` checks a file the way
`ingest` does.
""",
    "classifier": """
## Use it

    openledger ingest jsonl tests/data/messages.jsonl
    openledger process          # every case gets the label "{name}" (yes/no)
    echo "I will go to the ombudsman" | openledger classify
""",
    "responder": """
## Use it

    openledger ingest jsonl tests/data/messages.jsonl
    openledger process          # compliments get its draft, late deliveries its credit
""",
    "page": """
## Use it

    openledger ingest jsonl tests/data/messages.jsonl && openledger process
    openledger build            # the site has {name}.html
""",
}


@dataclass(frozen=True)
class Names:
    """Every name of a new plugin, derived from its one name."""

    name: str
    kind: str

    @property
    def dist(self) -> str:
        return f"openledger-{self.name}"

    @property
    def module(self) -> str:
        return f"openledger_{self.name.replace('-', '_')}"

    def context(self) -> dict[str, str]:
        words = self.name.split("-")
        return {
            "name": self.name, "kind": self.kind, "dist": self.dist, "module": self.module,
            "channel": self.name[:50], "hook": HOOKS[self.kind], "openledger_version": __version__,
            "class_name": "".join(w.capitalize() for w in words), "title": " ".join(words).capitalize(),
            "summary": SUMMARIES[self.kind].format(name=self.name),
            "readme_kind": README[self.kind].format(name=self.name, module=self.module),
        }


def _walk(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found = []
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if item.name == "__pycache__":
            continue
        path = f"{prefix}{item.name}"
        found += _walk(item, path + "/") if item.is_dir() else [(path, item)]
    return found


def new_plugin(name: str, kind: str, out: Path | None = None) -> tuple[Path, list[Path]]:
    """Write the package of a new plugin into ``out`` (default ``./openledger-NAME``): (folder, files)."""
    if not NAME.match(name) or len(name) > 40:
        raise OpenLedgerError(f"plugin name {name!r}: use lower-case letters and digits, words joined by '-' "
                              "(at most 40 characters), e.g. 'reddit' or 'acme-helpdesk'")
    if kind not in KINDS:
        raise OpenLedgerError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    names = Names(name, kind)
    target = Path(out) if out is not None else Path.cwd() / names.dist
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise OpenLedgerError("exists and is not an empty folder; choose another --out", path=target)
    context = names.context()
    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)  # Python, not HTML
    root = files("openledger") / "templates" / "plugin"
    written: list[Path] = []
    for folder in ("common", kind):
        for relative, item in _walk(root / folder):
            path = target / relative.replace("__module__", names.module)
            if path.suffix == ".j2":
                path = path.with_suffix("")
                text = env.from_string(item.read_text("utf-8")).render(context)
            else:
                text = item.read_text("utf-8")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
            written.append(path)
    return target, written
