"""The "Witnesses" block of the Verify page: who cosigned the published checkpoint, and when.

The rows come from the checkpoint's own cosignature lines (C2SP
tlog-cosignature); ``assets/js/witness.js`` then checks each one in the
reader's browser against the keys published in ``ledger/witnesses.json`` and
fills the last column.
"""

from __future__ import annotations

from datetime import UTC, datetime

from openledger.ledger.cosignature import SIGNATURE_SIZE, Cosignature, from_signature
from openledger.ledger.errors import LedgerFormatError
from openledger.ledger.note import parse_note
from openledger.site.escape import attr


def cosignatures(signed_checkpoint: str) -> list[Cosignature]:
    """The cosignature lines of a signed checkpoint (other signature lines are skipped)."""
    try:
        _, sigs = parse_note(signed_checkpoint.encode("utf-8"))
    except LedgerFormatError:
        return []
    found = []
    for sig in sigs:
        if len(sig.signature) == SIGNATURE_SIZE - 4:
            try:
                found.append(from_signature(sig))
            except LedgerFormatError:
                continue
    return found


def block(signed_checkpoint: str) -> list[str]:
    """Markdown (with a small HTML table) for the Verify page."""
    found = cosignatures(signed_checkpoint)
    lines = ["## Witnesses", ""]
    if not found:
        return lines + ["No witness has cosigned this checkpoint.", ""]
    rows = [
        f'<tr><td>{attr(c.name)}</td><td><code>{c.key_id:08x}</code></td>'
        f'<td>{datetime.fromtimestamp(c.timestamp, UTC):%Y-%m-%d %H:%M:%S} UTC</td>'
        f'<td class="ol-witness-status" data-witness="{attr(c.name)}+{c.key_id:08x}">checking…</td></tr>'
        for c in found
    ]
    return lines + [
        "Independent witnesses cosigned this checkpoint: each states that it is the largest version of this",
        "log it has seen, and that it only ever saw the log grow "
        "([C2SP tlog-cosignature](https://github.com/C2SP/C2SP/blob/main/tlog-cosignature.md)). Your browser",
        'checks each cosignature against the keys in <a href="ledger/witnesses.json">ledger/witnesses.json</a>;',
        "an auditor trusts keys of their own, or the policy in",
        '<a href="ledger/witness-policy">ledger/witness-policy</a> (`openledger verify SITE --witness-policy FILE`).',
        "",
        '<div id="ol-witnesses" data-ledger="ledger/">',
        '<table><thead><tr><th>Witness</th><th>Key id</th><th>Cosigned at</th><th>In your browser</th></tr></thead>',
        "<tbody>", *rows, "</tbody></table>",
        "</div>",
        "",
    ]
