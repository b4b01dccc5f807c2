/* openledger "Check your case": find a case's ledger entries, prove each one
 * is in the signed log, and show the case's timeline in plain words.
 *
 * A pasted receipt is judged by the rules of `openledger verify-receipt`
 * (openledger.ledger.receipt.judge_receipt): signed by this site's key and of
 * this site's log; every entry proven in the receipt's checkpoint; every
 * opening matching its entry's commitment; then either the site's log extends
 * the receipt's (verified), or the receipt is newer than the site (its
 * entries beyond the site's log are listed as not yet published, the others
 * proven in the site's log; never "verified"). The openings show the exact
 * times to the receipt's holder only: they never leave the browser.
 *
 * All text is set with textContent: nothing from the data is parsed as HTML. */
(function () {
  "use strict";
  const root = document.getElementById("ol-check");
  if (!root || !window.OpenLedger) return;
  const OL = window.OpenLedger;
  const RECEIPT_VERSION = 2;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const c of children) node.append(c);
    return node;
  }

  const input = el("input", { type: "text", id: "ol-case-id", placeholder: "C-ABCD-EFGH-IJKL-MNOP", autocomplete: "off", spellcheck: "false" });
  const receipt = el("textarea", { id: "ol-receipt", placeholder: "…or paste your receipt JSON here" });
  const button = el("button", { type: "submit", id: "ol-check-button" }, "Check");
  const status = el("div", { id: "ol-check-status", role: "status", "aria-live": "polite" });
  const details = el("div", { id: "ol-check-details" });
  const form = el("form", {}, el("label", { for: "ol-case-id" }, "Public case id"), input, receipt, button);
  root.append(form, status, details);

  function show(kind, text) {
    status.className = "ol-status " + kind;
    status.textContent = text;
  }

  function hex(bytes) { return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(""); }

  async function shardOf(caseId) {
    return hex((await OL.sha256(new TextEncoder().encode(caseId))).slice(0, 1));
  }

  async function lookup(caseId) {
    const base = root.dataset.cases;
    for (const candidate of [caseId, caseId.toUpperCase()]) {
      const r = await fetch(base + (await shardOf(candidate)) + ".json", { cache: "no-cache" });
      if (r.status === 404) continue;
      if (!r.ok) throw new OL.VerifyError(`case index: HTTP ${r.status}`);
      const map = await r.json();
      if (Object.prototype.hasOwnProperty.call(map, candidate)) return [candidate, map[candidate]];
    }
    return [caseId, null];
  }

  /* ---- plain words ---------------------------------------------------- */

  function duration(hours) {
    const h = Math.round(hours);
    const days = Math.floor(h / 24), rest = h % 24;
    const parts = [];
    if (days) parts.push(days + (days === 1 ? " day" : " days"));
    if (rest || !days) parts.push(rest + (rest === 1 ? " hour" : " hours"));
    return parts.join(" ");
  }
  const BANDS = {
    "<1h": "within the hour", "1-4h": "within 1 to 4 hours", "4-24h": "within 4 to 24 hours",
    "1-3d": "after 1 to 3 days", "3-7d": "after 3 to 7 days", ">7d": "after more than a week",
    "1-24h": "within 1 to 24 hours", ">1d": "after more than a day",
    late: "after this case's period was published", hidden: "(time not published, to protect the customer)",
  };
  function band(text) {
    const m = /^([0-9]+)h$/.exec(text || "");
    if (m) return `after ${duration(Number(m[1]))} (whole hours)`;
    return BANDS[text] || text;
  }
  function money(cents) { return (cents / 100).toFixed(2); }
  function remedy(name, cents) {
    if (!name || name === "none") return "no remedy";
    return cents ? `${name} of ${money(cents)}` : name;
  }

  /** One entry in words: [event, details]. */
  function words(entry) {
    const d = entry.data || {};
    switch (entry.type) {
      case "opened": {
        const parts = [`category ${d.category || "uncategorised"}`];
        if (d.severity) parts.push(`severity ${d.severity} of 4`);
        if (d.audience) parts.push(`author's audience ${d.audience}`);
        return [`Complaint received (${entry.channel}, ${entry.visibility})`, parts.join(", ")];
      }
      case "message": return ["Further message from the customer", ""];
      case "classified": {
        const labels = Object.entries(d.labels || {}).map(([k, v]) => `${k} ${v.value} (${v.confidence_pct}% sure)`);
        return ["Classified", labels.join(", ")];
      }
      case "drafted": {
        const parts = [`tier ${d.tier}`];
        if (d.first_response_target_minutes != null) parts.push(`first reply due within ${duration(d.first_response_target_minutes / 60)}`);
        if (d.resolution_target_minutes != null) parts.push(`resolution due within ${duration(d.resolution_target_minutes / 60)}`);
        return ["Reply drafted by the response policy", parts.join(", ")];
      }
      case "remedy-proposed": return ["Remedy proposed", remedy(d.remedy, d.amount_cents)];
      case "responded": {
        const parts = [];
        if (d.after) parts.push("first reply " + band(d.after));
        if (d.channel) parts.push(`sent on ${d.channel}`);
        if (d.reply) parts.push({ draft: "the drafted reply", override: "a reply other than the draft", agent: "written by an agent" }[d.reply] || d.reply);
        return ["Replied", parts.join(", ")];
      }
      case "escalated": return ["Escalated", `to tier ${d.tier}` + (d.reason ? ` (${d.reason})` : "")];
      case "resolved": {
        const parts = [d.outcome, remedy(d.remedy, d.amount_cents)];
        if (d.after_h != null) parts.push(`after ${duration(d.after_h)}`);
        return ["Resolved", parts.join(", ")];
      }
      case "reopened": return ["Reopened", ""];
      case "erased": return ["The customer's personal details were erased", ""];
      default: return [entry.type, ""];
    }
  }

  function timeline(caseId, entries, exact) {
    const withExact = exact && exact.size > 0;
    const head = ["Entry", "Period", "Event", "Details"].concat(withExact ? ["Exact time (from your receipt)"] : []);
    const rows = entries.map(({ index, entry }) => {
      const [event, info] = words(entry);
      const cells = [String(index), entry.period, event, info];
      if (withExact) cells.push(exact.has(index) ? exact.get(index).replace("T", " ").replace("Z", " UTC") : "–");
      return el("tr", {}, ...cells.map((c) => el("td", {}, c)));
    });
    return [
      el("h2", {}, "Timeline of " + caseId),
      el("table", { id: "ol-timeline" }, el("thead", {}, el("tr", {}, ...head.map((h) => el("th", {}, h)))),
        el("tbody", {}, ...rows)),
    ];
  }

  /* ---- the rules ------------------------------------------------------ */

  function parseEntry(bytes, where) {
    try { return JSON.parse(new TextDecoder().decode(bytes)); } catch (e) { throw new OL.VerifyError(`${where}: the entry is not JSON`); }
  }

  /** Prove every entry of the case against the site's signed checkpoint. */
  async function checkCase(log, caseId) {
    const checkpoint = await log.open();
    const [found, indices] = await lookup(caseId);
    if (!indices || !indices.length) return { found: false, caseId };
    const entries = [];
    for (const index of indices) {
      const bytes = await log.entry(index);
      const entry = parseEntry(bytes, `entry ${index}`);
      if (entry.case !== found) throw new OL.VerifyError(`entry ${index} belongs to another case`);
      const proof = await log.proof(index);
      if (!await OL.verifyInclusion(index, checkpoint.size, await OL.leafHash(bytes), proof, checkpoint.root)) {
        throw new OL.VerifyError(`entry ${index} is not included in the signed tree`);
      }
      entries.push({ index, entry });
    }
    return { found: true, caseId: found, entries, checkpoint };
  }

  /** Judge a receipt against this site: {status: "verified" | "newer", ...}; a VerifyError refuses it. */
  async function judgeReceipt(data, log) {
    if (!data || typeof data !== "object" || data.v !== RECEIPT_VERSION || typeof data.case !== "string" ||
        typeof data.checkpoint !== "string" || !Array.isArray(data.entries) || !data.entries.length) {
      throw new OL.VerifyError(`this is not an openledger receipt (version ${RECEIPT_VERSION})`);
    }
    const site = await log.open();
    const keyText = new TextDecoder().decode(await log.fetchBytes("verifier.key")).trim();
    let mine;
    try { mine = await OL.verifyCheckpoint(data.checkpoint, keyText); } catch (e) {
      throw new OL.VerifyError("the receipt's checkpoint is not signed by this site's key: a receipt of another log, or altered");
    }
    if (mine.origin !== site.origin) {
      throw new OL.VerifyError(`the receipt is of another log (${mine.origin}), not of this site's (${site.origin})`);
    }
    const entries = [], exact = new Map();
    for (const item of data.entries) {
      if (!item || !Number.isInteger(item.index) || item.index < 0 || typeof item.entry !== "string" || !Array.isArray(item.proof)) {
        throw new OL.VerifyError("a receipt entry must have index, entry and proof");
      }
      const where = `receipt entry ${item.index}`;
      const bytes = OL.b64decode(item.entry);
      const entry = parseEntry(bytes, where);
      if (entry.case !== data.case) throw new OL.VerifyError(`${where} belongs to another case`);
      if (!await OL.verifyInclusion(item.index, mine.size, await OL.leafHash(bytes), item.proof.map(OL.b64decode), mine.root)) {
        throw new OL.VerifyError(`${where} is not proven in the receipt's checkpoint`);
      }
      if (item.opening) {
        const o = item.opening;
        const opened = JSON.stringify({ at: String(o.at), inner: String(o.inner) });
        const digest = hex(await OL.sha256(OL.concat(OL.b64decode(o.salt), new TextEncoder().encode(opened))));
        if (digest !== entry.commitment) throw new OL.VerifyError(`${where}: the opening does not match the entry's commitment`);
        exact.set(item.index, String(o.at));
      }
      entries.push({ index: item.index, entry, bytes });
    }
    entries.sort((a, b) => a.index - b.index);
    if (mine.size <= site.size) {
      const proof = await log.consistencyProof(mine.size, site.size);
      if (!await OL.verifyConsistency(mine.size, site.size, mine.root, site.root, proof)) {
        throw new OL.VerifyError(`this site's log (${site.size} entries) does not extend the receipt's (${mine.size}): a fork or a rollback`);
      }
      return { status: "verified", caseId: data.case, entries, exact, site, mine, unpublished: [] };
    }
    const published = [], unpublished = [];
    for (const item of entries) {
      if (item.index >= site.size) { unpublished.push(item.index); continue; }
      const proof = await log.proof(item.index);
      if (!await OL.verifyInclusion(item.index, site.size, await OL.leafHash(item.bytes), proof, site.root)) {
        throw new OL.VerifyError(`receipt entry ${item.index} is not the entry this site publishes at that index: a fork`);
      }
      published.push(item.index);
    }
    return { status: "newer", caseId: data.case, entries, exact, site, mine, published, unpublished };
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    details.replaceChildren();
    if (location.protocol === "file:") {
      show("bad", "Browsers do not let this page read the site's files from disk: serve the site over HTTP " +
        "(any static host, or `openledger serve`).");
      return;
    }
    show("busy", "Checking…");
    const log = new OL.Log(root.dataset.ledger);
    try {
      if (receipt.value.trim()) {
        let data;
        try { data = JSON.parse(receipt.value); } catch (e) { throw new OL.VerifyError("the receipt is not valid JSON"); }
        const verdict = await judgeReceipt(data, log);
        const pending = Array.isArray(data.pending) ? data.pending.length : 0;
        const waiting = pending ? ` ${pending} more event(s) of your case are recorded and wait to be published with their period.` : "";
        details.replaceChildren(...timeline(verdict.caseId, verdict.entries, verdict.exact));
        if (verdict.status === "verified") {
          show("ok", `Verified: all ${verdict.entries.length} entries of your receipt for case ${verdict.caseId} are in ` +
            `this site's signed log (tree size ${verdict.site.size}), and this log extends the one your receipt was made from.` + waiting);
        } else {
          show("warn", `Your receipt is newer than this site: it was made from a log of ${verdict.mine.size} entries and this ` +
            `site publishes ${verdict.site.size}. Not published here yet: ` + verdict.unpublished.map((i) => "#" + i).join(", ") +
            (verdict.published.length ? `. Published and proven here: ${verdict.published.map((i) => "#" + i).join(", ")}.` : ".") +
            " Check again when the site has been published again." + waiting);
        }
        return;
      }
      const caseId = input.value.trim();
      if (!caseId) { show("bad", "Type a case id or paste a receipt."); return; }
      const result = await checkCase(log, caseId);
      if (!result.found) {
        show("bad", `Not found: there is no case ${caseId} in this site's log (a case is published once its period has ended ` +
          "and enough others share it).");
        return;
      }
      details.replaceChildren(...timeline(result.caseId, result.entries, null),
        el("p", {}, `Signed checkpoint: ${result.checkpoint.origin}, tree size ${result.checkpoint.size}, root ${result.checkpoint.rootText}`));
      show("ok", `Verified: all ${result.entries.length} entries of case ${result.caseId} are in the signed log ` +
        `(tree size ${result.checkpoint.size}).`);
    } catch (err) {
      const reason = err instanceof OL.VerifyError || err instanceof SyntaxError ? err.message : String(err && err.message || err);
      show("bad", "Does not verify: " + reason);
    }
  });

  window.OpenLedgerCheck = { judgeReceipt, words };

  const fromHash = decodeURIComponent(location.hash.slice(1));
  if (/^C-[A-Z2-7-]+$/i.test(fromHash)) { input.value = fromHash; form.requestSubmit(); }
})();
