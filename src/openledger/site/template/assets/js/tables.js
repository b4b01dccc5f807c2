/* openledger: no table is wider than its page.
 *
 * Every cell of every table gets a data-label (its column's header), so the
 * style sheet can stack a row as "label value" lines. A table whose columns
 * do not fit the width it is given, even with its text wrapped, is marked
 * data-ol-stack and shown stacked, one card per row; it goes back to a table
 * when the page is wide enough again. Tables added later (the Outcomes
 * browser, the case timeline) are fitted as they appear. Without script the
 * theme's horizontal scrolling remains. Text is read with textContent only. */
(function () {
  "use strict";

  function headers(table) {
    const row = table.tHead && table.tHead.rows[0];
    if (!row) return null;
    const names = [];
    for (const th of row.cells) {
      for (let i = 0; i < (th.colSpan || 1); i++) names.push(th.textContent.trim());
    }
    return names;
  }

  function label(table) {
    const names = headers(table);
    if (!names) return;
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let at = 0;
        for (const cell of row.cells) {
          if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", cell.colSpan > 1 ? "" : names[at] || "");
          at += cell.colSpan || 1;
        }
      }
    }
  }

  function fit(table) {
    label(table);
    table.removeAttribute("data-ol-stack");
    let box = table.parentElement;
    while (box && box.matches(".md-typeset__table, .md-typeset__scrollwrap")) box = box.parentElement;
    const inner = box ? box.getBoundingClientRect() : { left: 0, right: document.documentElement.clientWidth };
    const edge = table.getBoundingClientRect();
    const over = table.scrollWidth > table.clientWidth + 1 || edge.width > inner.right - inner.left + 1;
    if (over) table.setAttribute("data-ol-stack", "");
  }

  function fitAll() {
    for (const table of document.querySelectorAll(".md-typeset table")) fit(table);
  }

  let pending = false;
  function later() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; fitAll(); });
  }

  fitAll();
  window.addEventListener("resize", later);
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) {
        if (node.nodeType === 1 && (node.matches("table, tr, tbody") || node.querySelector("table"))) { later(); return; }
      }
    }
  }).observe(document.body, { childList: true, subtree: true });
})();
