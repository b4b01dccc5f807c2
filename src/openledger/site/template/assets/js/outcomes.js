/* openledger "Outcomes": browse the published case rows by period, filtered by
 * channel and category, from the JSON shards in data/outcomes/. Text is set
 * with textContent only. */
(function () {
  "use strict";
  const root = document.getElementById("ol-outcomes");
  if (!root) return;
  const base = root.dataset.base;
  const PAGE = 50;
  const LABELS = {
    case: "Case", channel: "Channel", visibility: "Public/private", category: "Category", severity: "Severity",
    opened: "Period", first_response_hours: "First response (h)", resolution_hours: "Resolution (h)",
    resolved: "Resolved", outcome: "Outcome", remedy: "Remedy", amount: "Amount", response_level: "Response level",
    escalated: "Escalated", reopened: "Reopened", resolved_elsewhere: "Resolved in another channel",
    summary: "Summary (redacted)",
  };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const c of children) node.append(c);
    return node;
  }
  function select(id, label, options) {
    const s = el("select", { id });
    for (const [value, text] of options) s.append(el("option", { value }, text));
    return [el("label", { for: id }, label), s];
  }
  function shown(v) {
    if (v === null || v === undefined || v === "") return "–";
    if (v === true) return "yes";
    if (v === false) return "no";
    return String(v);
  }

  async function getJSON(path) {
    const r = await fetch(base + path, { cache: "no-cache" });
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
    return r.json();
  }

  (async () => {
    if (location.protocol === "file:") {
      root.textContent = "Browsers do not let this page read the site's files from disk: serve the site over " +
        "HTTP (any static host, or `openledger serve`), or open data/outcomes.csv.";
      return;
    }
    let index;
    try { index = await getJSON("index.json"); } catch (e) { root.textContent = "Could not load the outcomes index: " + e.message; return; }
    const [lm, month] = select("ol-month", "Period", index.periods.map((m) => [m.period, `${m.period} (${m.count})`]));
    const [lc, channel] = select("ol-channel", "Channel", [["", "all"], ...index.channels.map((c) => [c, c])]);
    const [lk, category] = select("ol-category", "Category", [["", "all"], ...index.categories.map((c) => [c, c])]);
    const summary = el("p", { id: "ol-summary", role: "status" });
    const table = el("table", { id: "ol-table" });
    const prev = el("button", { type: "button" }, "‹ Previous");
    const next = el("button", { type: "button" }, "Next ›");
    const pager = el("div", { class: "ol-pager" }, prev, " ", next);
    root.append(el("div", {}, lm, month, lc, channel, lk, category), summary, el("div", { class: "md-typeset__scrollwrap" }, el("div", { class: "md-typeset__table" }, table)), pager);
    let rows = [], columns = index.columns, page = 0;

    function render() {
      const c = columns.indexOf("channel"), k = columns.indexOf("category");
      const picked = rows.filter((r) => (!channel.value || r[c] === channel.value) && (!category.value || r[k] === category.value));
      const pages = Math.max(1, Math.ceil(picked.length / PAGE));
      page = Math.min(page, pages - 1);
      summary.textContent = `${picked.length} cases published under ${month.value}` + (picked.length > PAGE ? `, page ${page + 1} of ${pages}` : "");
      const head = el("tr", {}, ...columns.map((name) => el("th", {}, LABELS[name] || name)));
      const body = picked.slice(page * PAGE, (page + 1) * PAGE).map((r) => el("tr", {}, ...r.map((v) => el("td", {}, shown(v)))));
      table.replaceChildren(el("thead", {}, head), el("tbody", {}, ...body));
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }
    async function load() {
      const m = index.periods.find((x) => x.period === month.value);
      summary.textContent = "Loading…";
      rows = [];
      for (const part of (m ? m.parts : [])) {
        const data = await getJSON(part);
        columns = data.columns;
        if (index.summaries) {
          const said = await getJSON("../summaries/" + part);
          const at = columns.indexOf("case");
          columns = columns.concat(["summary"]);
          data.rows = data.rows.map((r) => r.concat([Object.prototype.hasOwnProperty.call(said, r[at]) ? said[r[at]] : ""]));
        }
        rows = rows.concat(data.rows);
      }
      page = 0;
      render();
    }
    month.addEventListener("change", load);
    channel.addEventListener("change", () => { page = 0; render(); });
    category.addEventListener("change", () => { page = 0; render(); });
    prev.addEventListener("click", () => { page--; render(); });
    next.addEventListener("click", () => { page++; render(); });
    if (index.periods.length) await load(); else summary.textContent = "No cases published yet.";
  })();
})();
