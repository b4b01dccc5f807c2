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
    opened: "Period", first_response_hours: "First response", resolution_hours: "Resolution",
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
  /* the columns of the table; every other column is shown in words on a line under its row */
  const MAIN = ["case", "channel", "visibility", "category", "severity", "opened", "first_response_hours",
    "outcome", "remedy", "amount"];
  function amount(v, currency) {
    if (typeof v !== "number") return shown(v);
    if (!currency) return v.toFixed(2);
    try { return new Intl.NumberFormat("en", { style: "currency", currency }).format(v); } catch (e) { return `${v.toFixed(2)} ${currency}`; }
  }
  function cellText(name, v, currency) {
    if (name === "amount") return amount(v, currency);
    if (name === "first_response_hours" || name === "resolution_hours") {
      if (typeof v !== "number") return shown(v);
      return v < 48 ? `${v} h` : `${(v / 24).toFixed(1)} days`;
    }
    return shown(v);
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
    let index, currency = "";
    try { index = await getJSON("index.json"); } catch (e) { root.textContent = "Could not load the outcomes index: " + e.message; return; }
    try {
      const code = (await getJSON("../build.json")).currency;  // the currency the site states, if it states one
      if (typeof code === "string" && /^[A-Z]{3}$/.test(code)) currency = code;
    } catch (e) { currency = ""; }
    const [lm, month] = select("ol-month", "Period", index.periods.map((m) => [m.period, `${m.period} (${m.count})`]));
    const [lc, channel] = select("ol-channel", "Channel", [["", "all"], ...index.channels.map((c) => [c, c])]);
    const [lk, category] = select("ol-category", "Category", [["", "all"], ...index.categories.map((c) => [c, c])]);
    const summary = el("p", { id: "ol-summary", role: "status" });
    const table = el("table", { id: "ol-table" });
    const prev = el("button", { type: "button" }, "‹ Previous");
    const next = el("button", { type: "button" }, "Next ›");
    const pager = el("div", { class: "ol-pager" }, prev, " ", next);
    root.append(el("div", {}, lm, month, lc, channel, lk, category), summary, table, pager);
    let rows = [], columns = index.columns, page = 0;

    function render() {
      const c = columns.indexOf("channel"), k = columns.indexOf("category");
      const picked = rows.filter((r) => (!channel.value || r[c] === channel.value) && (!category.value || r[k] === category.value));
      const pages = Math.max(1, Math.ceil(picked.length / PAGE));
      page = Math.min(page, pages - 1);
      summary.textContent = `${picked.length} cases published under ${month.value}` + (picked.length > PAGE ? `, page ${page + 1} of ${pages}` : "");
      const main = MAIN.filter((name) => columns.includes(name));
      const more = columns.filter((name) => !main.includes(name) && name !== "summary");
      const said = columns.indexOf("summary");
      const head = el("tr", {}, ...main.map((name) => el("th", {}, LABELS[name] || name)));
      const body = [];
      for (const r of picked.slice(page * PAGE, (page + 1) * PAGE)) {
        const value = (name) => r[columns.indexOf(name)];
        body.push(el("tr", { class: "ol-row" }, ...main.map((name) => el("td", { "data-label": LABELS[name] || name }, cellText(name, value(name), currency)))));
        const facts = more.map((name) => `${LABELS[name] || name}: ${cellText(name, value(name), currency)}`).join(" · ");
        const line = el("td", { colspan: String(main.length), "data-label": "" }, el("span", { class: "ol-facts" }, facts));
        if (said >= 0 && r[said]) line.append(el("span", { class: "ol-said" }, r[said]));
        body.push(el("tr", { class: "ol-more" }, line));
      }
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
