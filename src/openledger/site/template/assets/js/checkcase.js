/* openledger "Check your case": find a case's ledger entries, prove each one
 * is in the signed log, and show the case's timeline. All text is set with
 * textContent: nothing from the data is ever parsed as HTML. */
(function () {
  "use strict";
  const root = document.getElementById("ol-check");
  if (!root || !window.OpenLedger) return;
  const OL = window.OpenLedger;

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

  async function shardOf(caseId) {
    const digest = await OL.sha256(new TextEncoder().encode(caseId));
    return Array.from(digest.slice(0, 1), (b) => b.toString(16).padStart(2, "0")).join("");
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

  function timeline(caseId, entries, checkpoint) {
    const rows = entries.map(({ index, entry }) => {
      const data = Object.entries(entry.data || {}).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`).join(", ");
      return el("tr", {}, el("td", {}, String(index)), el("td", {}, entry.at), el("td", {}, entry.type),
        el("td", {}, `${entry.channel} (${entry.visibility})`), el("td", {}, data));
    });
    const table = el("table", { id: "ol-timeline" },
      el("thead", {}, el("tr", {}, ...["Entry", "Day", "Event", "Channel", "Details"].map((h) => el("th", {}, h)))),
      el("tbody", {}, ...rows));
    details.replaceChildren(
      el("h2", {}, "Timeline of " + caseId), table,
      el("p", {}, `Signed checkpoint: ${checkpoint.origin}, tree size ${checkpoint.size}, root ${checkpoint.rootText}`));
  }

  /** Prove every entry of the case against the site's signed checkpoint. */
  async function checkCase(caseId) {
    const log = new OL.Log(root.dataset.ledger);
    const checkpoint = await log.open();
    const [found, indices] = await lookup(caseId);
    if (!indices || !indices.length) return { found: false, caseId };
    const entries = [];
    for (const index of indices) {
      const bytes = await log.entry(index);
      const entry = JSON.parse(new TextDecoder().decode(bytes));
      if (entry.case !== found) throw new OL.VerifyError(`entry ${index} belongs to another case`);
      const proof = await log.proof(index);
      const ok = await OL.verifyInclusion(index, checkpoint.size, await OL.leafHash(bytes), proof, checkpoint.root);
      if (!ok) throw new OL.VerifyError(`entry ${index} is not included in the signed tree`);
      entries.push({ index, entry });
    }
    return { found: true, caseId: found, entries, checkpoint };
  }

  /** A receipt's own proofs against its own checkpoint, signed by this site's key. */
  async function checkReceipt(data) {
    if (!data || data.v !== 1 || typeof data.case !== "string" || !Array.isArray(data.entries)) {
      throw new OL.VerifyError("this is not an openledger receipt (version 1)");
    }
    const log = new OL.Log(root.dataset.ledger);
    const keyText = new TextDecoder().decode(await log.fetchBytes("verifier.key")).trim();
    const checkpoint = await OL.verifyCheckpoint(String(data.checkpoint), keyText);
    for (const item of data.entries) {
      const bytes = OL.b64decode(item.entry);
      const entry = JSON.parse(new TextDecoder().decode(bytes));
      if (entry.case !== data.case) throw new OL.VerifyError(`receipt entry ${item.index} belongs to another case`);
      const proof = (item.proof || []).map(OL.b64decode);
      if (!await OL.verifyInclusion(item.index, checkpoint.size, await OL.leafHash(bytes), proof, checkpoint.root)) {
        throw new OL.VerifyError(`receipt entry ${item.index} does not verify`);
      }
    }
    return data.case;
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
    try {
      let caseId = input.value.trim();
      let fromReceipt = false;
      if (receipt.value.trim()) {
        let data;
        try { data = JSON.parse(receipt.value); } catch (e) { throw new OL.VerifyError("the receipt is not valid JSON"); }
        caseId = await checkReceipt(data);
        fromReceipt = true;
      }
      if (!caseId) { show("bad", "Type a case id or paste a receipt."); return; }
      const result = await checkCase(caseId);
      if (!result.found) {
        show("bad", `Not found: there is no case ${caseId} in this site's log.`);
        return;
      }
      timeline(result.caseId, result.entries, result.checkpoint);
      show("ok", `Verified: all ${result.entries.length} entries of case ${result.caseId} are in the signed log ` +
        `(tree size ${result.checkpoint.size})` + (fromReceipt ? "; your receipt verifies too." : "."));
    } catch (err) {
      const reason = err instanceof OL.VerifyError || err instanceof SyntaxError ? err.message : String(err && err.message || err);
      show("bad", "Does not verify: " + reason);
    }
  });

  const fromHash = decodeURIComponent(location.hash.slice(1));
  if (/^C-[A-Z2-7-]+$/i.test(fromHash)) { input.value = fromHash; form.requestSubmit(); }
})();
