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

  /* the currency the site states for its amounts (data/build.json "currency"), when it states one */
  let currency = null;
  async function loadCurrency() {
    if (currency !== null) return currency;
    currency = "";
    try {
      const r = await fetch(new URL("../build.json", new URL(root.dataset.cases, location.href)), { cache: "no-cache" });
      if (r.ok) {
        const code = (await r.json()).currency;
        if (typeof code === "string" && /^[A-Z]{3}$/.test(code)) currency = code;
      }
    } catch (e) { currency = ""; }
    return currency;
  }

  function plural(n, one) { return `${n} ${one}${n === 1 ? "" : "s"}`; }
  /** A span in words: "3 days 4 hours", "2 hours 30 minutes", "45 minutes". */
  function duration(hours) {
    const minutes = Math.round(hours * 60);
    const days = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
    if (days) return h ? `${plural(days, "day")} ${plural(h, "hour")}` : plural(days, "day");
    if (h) return m ? `${plural(h, "hour")} ${plural(m, "minute")}` : plural(h, "hour");
    return plural(m, "minute");
  }
  const BANDS = {
    "<1h": "within the hour", "1-4h": "after 1 to 4 hours", "4-24h": "after 4 to 24 hours",
    "1-3d": "after 1 to 3 days", "3-7d": "after 3 to 7 days", ">7d": "after more than a week",
    "1-24h": "after 1 to 24 hours", ">1d": "after more than a day",
    late: "after this case's period was published", hidden: "(how soon is not published, to protect the customer)",
  };
  function band(text) {
    const m = /^([0-9]+)h$/.exec(text || "");
    if (m) return Number(m[1]) === 0 ? "within the hour" : `after ${duration(Number(m[1]))}`;
    return BANDS[text] || String(text);
  }
  function words_(token) { return String(token).replace(/[_-]+/g, " "); }
  function money(cents) {
    const value = cents / 100;
    if (currency) {
      try { return new Intl.NumberFormat("en", { style: "currency", currency }).format(value); } catch (e) { /* below */ }
      return `${value.toFixed(2)} ${currency}`;
    }
    return `${value.toFixed(2)} (currency not published)`;
  }
  function remedy(name, cents) {
    if (!name || name === "none") return "no remedy";
    return cents ? `${words_(name)} of ${money(cents)}` : words_(name);
  }
  const OUTCOMES = { upheld: "complaint upheld", "partly-upheld": "complaint partly upheld", explained: "explained",
    declined: "declined" };
  const AUDIENCES = { "under-1k": "fewer than 1,000 followers", "1k-100k": "1,000 to 100,000 followers",
    "over-100k": "more than 100,000 followers" };

  /** Any other member in words, by its name's unit: *_minutes, *_h, *_cents, *_pct, objects flattened. */
  function field(key, value) {
    let m;
    if ((m = /^(.*)_minutes$/.exec(key)) && typeof value === "number") return `${words_(m[1])} ${duration(value / 60)}`;
    if ((m = /^(.*)_h$/.exec(key)) && typeof value === "number") return `${words_(m[1])} ${duration(value)}`;
    if ((m = /^(.*)_cents$/.exec(key)) && typeof value === "number") return `${words_(m[1])} ${money(value)}`;
    if ((m = /^(.*)_pct$/.exec(key)) && typeof value === "number") return `${words_(m[1])} ${value}%`;
    if (value === true) return words_(key);
    if (value === false) return `not ${words_(key)}`;
    if (value && typeof value === "object") {
      const inner = Object.entries(value).map(([k, v]) => field(k, v)).join(", ");
      return `${words_(key)}: ${inner}`;
    }
    return `${words_(key)} ${words_(value)}`;
  }
  function rest(d, known) {
    return Object.keys(d).filter((k) => !known.includes(k)).sort().map((k) => field(k, d[k]));
  }

  /** The classifier's labels as one short line: "technical complaint, negative, wants a fix (73–100% sure)". */
  function labelsLine(labels, severity) {
    const value = (k) => labels[k] && labels[k].value != null ? words_(labels[k].value) : "";
    const parts = [];
    const kind = value("kind"), category = value("category");
    if (kind || category) parts.push(category && category !== "hidden" ? `${kind || "message"} about ${category}` : kind || "category not published");
    if (value("sentiment")) parts.push(value("sentiment"));
    if (value("urgency")) parts.push(`${value("urgency")} urgency`);
    if (value("wants")) parts.push(`wants ${value("wants")}`);
    if (value("spam") && value("spam") !== "no") parts.push(value("spam") === "yes" ? "spam" : `spam ${value("spam")}`);
    for (const k of Object.keys(labels).sort()) {
      if (!["kind", "category", "sentiment", "urgency", "wants", "spam"].includes(k) && value(k)) parts.push(`${words_(k)} ${value(k)}`);
    }
    if (severity) parts.push(`severity ${severity} of 4`);
    const sure = Object.values(labels).map((v) => v && v.confidence_pct).filter((p) => typeof p === "number");
    let line = parts.join(", ");
    if (sure.length) {
      const low = Math.min(...sure), high = Math.max(...sure);
      line += low === high ? ` (${low}% sure)` : ` (${low}–${high}% sure)`;
    }
    return line;
  }

  /** One entry in words: [event, details]. */
  function words(entry) {
    const d = entry.data || {};
    const more = (known, parts) => parts.concat(rest(d, known)).filter(Boolean).join(", ");
    switch (entry.type) {
      case "opened": {
        const parts = [d.category === "hidden" ? "category not published" : d.category ? `about ${words_(d.category)}` : "uncategorised"];
        if (d.severity) parts.push(`severity ${d.severity} of 4`);
        if (d.audience && d.audience !== "hidden") parts.push(`the author has ${AUDIENCES[d.audience] || words_(d.audience)}`);
        return [`Complaint received (${entry.channel}, ${entry.visibility})`, more(["category", "severity", "audience"], parts)];
      }
      case "message": return ["Further message from the customer", more([], [])];
      case "classified":
        return ["Classified", more(["labels", "severity"], [labelsLine(d.labels || {}, d.severity)])];
      case "drafted": {
        const parts = [d.tier != null ? `tier ${d.tier}` : ""];
        const within = (minutes) => d.business_hours === true ? plural(Math.round(minutes / 60), "business hour") : duration(minutes / 60);
        if (d.first_response_target_minutes != null) parts.push(`first reply due within ${within(d.first_response_target_minutes)}`);
        if (d.resolution_target_minutes != null) parts.push(`resolution due within ${within(d.resolution_target_minutes)}`);
        return ["Reply drafted by the response policy", more(["tier", "first_response_target_minutes", "resolution_target_minutes", "business_hours"], parts)];
      }
      case "remedy-proposed": return ["Remedy proposed", more(["remedy", "amount_cents"], [remedy(d.remedy, d.amount_cents)])];
      case "responded": {
        const parts = [];
        if (d.after) parts.push("replied " + band(d.after));
        else if (d.after_minutes != null) parts.push(`replied after ${duration(d.after_minutes / 60)}`);
        if (d.channel) parts.push(`on ${d.channel}`);
        if (d.reply) parts.push({ draft: "with the drafted reply", override: "with a reply other than the draft", agent: "written by an agent" }[d.reply] || words_(d.reply));
        return ["Replied", more(["after", "after_minutes", "channel", "reply"], parts)];
      }
      case "escalated": return ["Escalated", more(["tier", "reason"], [`to tier ${d.tier}` + (d.reason ? ` (${words_(d.reason)})` : "")])];
      case "resolved": {
        const parts = [OUTCOMES[d.outcome] || (d.outcome ? words_(d.outcome) : ""), remedy(d.remedy, d.amount_cents)];
        const source = { proposal: "the remedy proposed", override: "a remedy other than the one proposed", agent: "a remedy chosen by an agent" };
        if (d.remedy_source && d.remedy && d.remedy !== "none") parts.push(source[d.remedy_source] || `remedy from ${words_(d.remedy_source)}`);
        if (d.after_h != null) parts.push(`after ${duration(d.after_h)}`);
        return ["Resolved", more(["outcome", "remedy", "amount_cents", "remedy_source", "after_h"], parts)];
      }
      case "reopened": return ["Reopened", more([], [])];
      case "erased": return ["The customer's personal details were erased", more([], [])];
      default: return [words_(entry.type), more([], [])];
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
    await loadCurrency();
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
