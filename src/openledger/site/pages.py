"""The site's Markdown pages, generated from the build context.

Every value that came from outside the code goes through
:mod:`openledger.site.escape`; the interactive pages (Outcomes, Check your
case) are small HTML shells that the bundled scripts fill from the JSON
shards, so no case row ever passes through Markdown.
"""

from __future__ import annotations

import base64

from openledger.site import audit_page, gag_page, witnesses
from openledger.site.context import SiteContext
from openledger.site.escape import attr, cell, md
from openledger.site.sentences import findings_in_words

HOME_METRICS = ("response_rate", "first_response_hours", "resolution_rate", "resolution_days")


def headline(context: SiteContext) -> str:
    """The audit's verdict in one sentence."""
    vis, chan = context.audits.get("visibility"), context.audits.get("channel")
    if vis is None:
        return "The fair treatment audit has no published cases to look at yet."
    verdicts = {vis.overall, chan.overall if chan else vis.overall}
    apart = {"visibility": "public and private complaints", "channel": "some channels"}
    if "unfair" in verdicts:
        which = apart["visibility"] if vis.overall == "unfair" else apart["channel"]
        said = f"The audit found unequal treatment: {which} differ beyond the equal band on at least one measure."
        if "not-comparable" in verdicts:
            other = apart["channel"] if vis.overall == "unfair" else apart["visibility"]
            said += (f" On some measures {other} cannot be compared like with like: too few of one side's "
                     "complaints are of a category and severity the other side also has.")
        return said
    if verdicts == {"fair"}:
        return ("Complaints are treated alike whichever channel the customer used: in public and in private, "
                "every audited measure is within the equal band.")
    if "not-comparable" in verdicts:
        return ("On some measures the audit cannot compare like with like: too few of one side's complaints are "
                "of a category and severity the other side also has. No comparable measure shows unequal "
                "treatment.")
    return ("There is not yet enough data to show that complaints are treated alike in every channel; "
            "no measure shows unequal treatment.")


def _key_rows(context: SiteContext) -> list[str]:
    units = {}
    rows = []
    for dim in ("visibility", "channel"):
        result = context.audits.get(dim)
        if result is None:
            continue
        units.update({m["name"]: m["unit"] for m in result.metrics})
        labels = ["public", "private"] if dim == "visibility" else sorted(result.groups)
        for label in labels:
            values = result.groups.get(label)
            if values is None:
                continue
            name = f"**{cell(label)}** (all)" if dim == "visibility" else cell(label)
            n = values["n"]
            assert n is not None  # every group has its case count (only metric values may be None)
            if n < context.k:
                rows.append(f"| {name} | fewer than {context.k} | " + " | ".join("–" for _ in HOME_METRICS) + " |")
                continue
            shown = [audit_page.fmt_value(values.get(m), units.get(m, "")) for m in HOME_METRICS]
            rows.append(f"| {name} | {values['n']:,} | " + " | ".join(shown) + " |")
    return rows


def _summary_chart(charts: dict[str, tuple[str, str]]) -> list[str]:
    """Home's chart of every ratio measure, public against private (its text alternative as caption)."""
    if "" not in charts:
        return []
    path, alt = charts[""]
    return [f'<figure class="ol-chart"><img src="{attr(path)}" alt="{attr(alt)}" width="640">'
            f"<figcaption>{attr(alt)}</figcaption></figure>", ""]


def home(context: SiteContext, charts: dict[str, tuple[str, str]] | None = None) -> str:
    cp = context.checkpoint
    lines = [
        f"# {md(context.company)}: complaints and how we resolved them",
        "",
        f'<p class="ol-verdict" id="verdict">{attr(headline(context))}</p>',
        "",
        *findings_in_words(context),
        *_summary_chart(charts or {}),
        "We record every complaint and its resolution in a tamper-evident public log, and we audit",
        "whether a complaint gets the same treatment whichever channel the customer used.",
        "[How the audit works](audit.md) · [Browse outcomes](outcomes.md) ·",
        "[Check your case](check.md) · [Verify this site](verify.md) · [Our policy](policy.md) ·",
        "[Gag requests](gag-requests.md)",
        "",
        "## Key numbers by channel",
        "",
        "| Group | Cases | Responded | First response (median) | Resolved in favour | Time to resolution (median) |",
        "|---|---:|---:|---:|---:|---:|",
        *_key_rows(context),
        "",
        f"Groups with fewer than {context.k} cases are not shown. Medians count cases still waiting.",
        "",
        *([md(note), ""] if (note := audit_page.publication_note(context)) else []),
        *gag_page.home_lines(context.gags),
        "## This build",
        "",
        f"- Data as of: {md(context.as_of.isoformat() if context.as_of else 'no case published yet')}",
        f"- Log entries: {cp.size:,} (tree size of the signed checkpoint)",
        f"- Root hash: <code>{attr(base64.b64encode(cp.root).decode())}</code>",
        "",
    ]
    return "\n".join(lines)


#: front matter of a page without sections: no table of contents, so its table has the page's width
WIDE = "---\nhide:\n  - toc\n---"


def outcomes(context: SiteContext) -> str:
    index = context.outcomes_index
    return "\n".join([
        WIDE,
        "# Case outcomes",
        "",
        f"Every case, anonymized: {index.get('cases', 0):,} cases in {len(index.get('periods', [])):,} periods.",
        "Pick a period; filter by channel and category. A case is listed under the week, month, quarter",
        "or year it was published under, first responses in hours or bands, as coarse as it takes for",
        f"every case to look like at least {context.k} others. Rows load from the published files in",
        "`data/outcomes/`.",
        "",
        '<div id="ol-outcomes" class="ol-app" data-base="data/outcomes/">',
        ('<noscript>This page needs JavaScript to browse the published data; '
        '<a href="data/outcomes.csv">download the CSV</a> instead.</noscript>'),
        "</div>",
        "",
    ])


CHECK_PAGE = WIDE + """
# Check your case

Type the public case id from your reply (it looks like `C-ABCD-EFGH-IJKL-MNOP`) or paste the
receipt JSON we gave you. Your browser fetches the case's entries and the hash tiles of this
site's log, recomputes every hash itself and checks the signed checkpoint: nothing is sent
anywhere.

<div id="ol-check" class="ol-app" data-cases="data/cases/" data-ledger="ledger/">
<noscript>This page needs JavaScript. Without it, run
<code>openledger verify-receipt RECEIPT SITE</code>.</noscript>
</div>
"""


def check(context: SiteContext) -> str:
    """The Check your case page: a shell the bundled script fills."""
    return CHECK_PAGE


def verify(context: SiteContext) -> str:
    cp_text = context.signed_checkpoint
    return "\n".join([
        "# Verify this site",
        "",
        "Anyone can check that this site's log is complete and unaltered, and recompute the audit",
        "from the published data.",
        "",
        "## The signed checkpoint",
        "",
        "A [C2SP signed note](https://github.com/C2SP/C2SP/blob/main/signed-note.md) over the",
        (
            "[tlog-checkpoint](https://github.com/C2SP/C2SP/blob/main/tlog-checkpoint.md) "
            f"of {context.checkpoint.size:,} entries:"
        ),
        "",
        f'<pre class="ol-note" id="checkpoint-text">{attr(cp_text)}</pre>',
        "",
        "## The verifier key",
        "",
        f'<pre class="ol-note" id="verifier-key">{attr(context.verifier_key)}</pre>',
        "",
        *witnesses.block(cp_text),
        "## Downloads",
        "",
        ('- <a href="ledger/checkpoint">ledger/checkpoint</a> and '
        '<a href="ledger/verifier.key">ledger/verifier.key</a>'),
        "- `ledger/tile/entries/…` (entry bundles) and `ledger/tile/<L>/…` (hash tiles), in the",
        "  [C2SP tlog-tiles](https://github.com/C2SP/C2SP/blob/main/tlog-tiles.md) layout",
        '- <a href="data/outcomes.csv">data/outcomes.csv</a>: the published outcomes table the audit runs on',
        '- <a href="data/build.json">data/build.json</a>: the build configuration (company, k, policy, audit settings)',
        ('- Audit results: <a href="data/audit-visibility.json">by visibility</a>, '
        '<a href="data/audit-channel.json">by channel</a>, '
        '<a href="data/audit-audience.json">by audience</a> (JSON); the influence audits, when the log '
        'labels its cases: <code>data/audit-leverage.json</code>, <code>data/audit-deflection.json</code>, '
        '<code>data/audit-tone.json</code>'),
        '- <a href="data/gag-requests.json">data/gag-requests.json</a>: every gag request on the log',
        "",
        "## Check it yourself",
        "",
        "With openledger installed, download this site (or point",
        "at its address) and run:",
        "",
        "```sh",
        "openledger verify https://THIS-SITE/          # or: openledger verify SITE_FOLDER",
        "openledger audit --from-site SITE_FOLDER --json",
        "```",
        "",
        "`verify` recomputes every leaf and subtree hash from the entry bundles, checks the tiles and",
        "the checkpoint's Ed25519 signature, then derives everything this site says from the log's",
        "entries and the published build configuration (`data/build.json`): every data file, every",
        "number, verdict and row of every page and every chart. Any difference is named and refused.",
        "`audit --from-site` recomputes the audit from `data/outcomes.csv`.",
        "",
    ])


def _hours(x: float) -> str:
    return f"{x:g} h"


def policy(context: SiteContext) -> str:
    h = context.hierarchy
    d = h.defaults
    clock = "business hours" if d.business_hours else "calendar hours"
    lines = [
        "# Our policy",
        "",
        "One response hierarchy for every channel: a complaint on social media, by e-mail, letter,",
        "phone or web form gets the same reply level, escalation tier and service targets. Only the",
        "kind of message, its category and its severity (1 low to 4 critical) decide.",
        "",
        (f"By default we answer within {_hours(d.first_response_hours)} and resolve within "
        f"{_hours(d.resolution_hours)} ({clock}), at tier {d.tier}."),
        "",
        "| Kind | Category | Severity | Tier | First response within | Resolution within | Clock |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    for rule in h.rules:
        p = rule.policy
        sev = ", ".join(str(s) for s in sorted(rule.severities))
        lines.append(
            f"| {cell(rule.kind if rule.kind != '*' else 'any')} | "
            f"{cell(rule.category if rule.category != '*' else 'any')} | {cell(sev)} | {p.tier} | "
            f"{_hours(p.first_response_hours)} | {_hours(p.resolution_hours)} | "
            f"{'business hours' if p.business_hours else 'calendar hours'} |"
        )
    lines += ["", "When several rules match, the most specific one applies.", ""]
    lines += gag_page.policy_lines(context.gag_rule)
    return "\n".join(lines)


def builtin_pages(context: SiteContext, charts: dict[str, tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(path, title, Markdown) of the built-in pages, in navigation order."""
    return [
        ("index.md", "Home", home(context, charts)),
        ("audit.md", "Audit", audit_page.render(context, charts)),
        ("outcomes.md", "Outcomes", outcomes(context)),
        (gag_page.PATH, gag_page.TITLE, gag_page.page(context.gags)),
        ("check.md", "Check your case", check(context)),
        ("verify.md", "Verify this site", verify(context)),
        ("policy.md", "Our policy", policy(context)),
    ]
