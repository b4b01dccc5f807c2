/* openledger: check the witnesses' cosignatures of this site's checkpoint in the browser.
 *
 * Formats: C2SP tlog-cosignature (Ed25519 "cosignature/v1": key id over type
 * 0x04, a big-endian uint64 timestamp, the signature of "cosignature/v1\n",
 * "time <timestamp>\n" and the checkpoint's note text) in a C2SP signed note;
 * witness keys are verifier keys of type 0x04, published in ledger/witnesses.json.
 * WebCrypto only (SHA-256, Ed25519); every text is set with textContent.
 *
 * OpenLedgerWitness.verify(noteText, witnessKeys) resolves to
 *   { text, cosignatures: [{ name, keyId, timestamp, time, status: "verified" | "failed" | "unknown", reason }],
 *     verified, failed }
 * where witnessKeys is a list of verifier key strings (or {name, key} objects).
 */
(function () {
  "use strict";
  const enc = new TextEncoder();
  const COSIGNATURE_SIZE = 4 + 8 + 64;

  function b64decode(text) {
    const bin = atob(String(text).trim());
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  }
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

  /** A cosigner verifier key "name+keyid+base64(0x04 || key)"; throws if malformed or its id is wrong. */
  async function parseKey(vkey) {
    const text = typeof vkey === "string" ? vkey : vkey.key;
    const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(String(text).trim());
    if (!m) throw new Error(`not a verifier key: ${text}`);
    const typed = b64decode(m[3]);
    if (typed.length !== 33 || typed[0] !== 0x04) throw new Error(`${m[1]}: not a cosignature/v1 key (type 0x04)`);
    const id = new Uint8Array(await crypto.subtle.digest("SHA-256", concat(enc.encode(m[1] + "\n"), typed))).slice(0, 4);
    if (hex(id) !== m[2]) throw new Error(`${m[1]}: the key id does not match the key`);
    const label = typeof vkey === "string" ? m[1] : (vkey.name || m[1]);
    return { name: m[1], label, keyId: m[2], raw: typed.slice(1), text: String(text).trim() };
  }

  function utc(seconds) {
    return new Date(seconds * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
  }

  /** Verify the cosignatures in a signed note against trusted witness keys. */
  async function verify(noteText, witnessKeys) {
    const keys = new Map();
    for (const k of witnessKeys || []) {
      const key = await parseKey(k);
      keys.set(key.name + "+" + key.keyId, key);
    }
    const split = noteText.lastIndexOf("\n\n");
    if (split < 0) throw new Error("the checkpoint is not a signed note");
    const text = noteText.slice(0, split + 1);
    const result = { text, cosignatures: [], verified: 0, failed: 0 };
    for (const line of noteText.slice(split + 2).split("\n")) {
      const m = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!m) continue;
      let blob;
      try { blob = b64decode(m[2]); } catch (e) { continue; }
      if (blob.length !== COSIGNATURE_SIZE) continue; // the log's own signature, or another kind
      const keyId = hex(blob.slice(0, 4));
      const stamp = new DataView(blob.buffer, blob.byteOffset + 4, 8).getBigUint64(0);
      const timestamp = Number(stamp);
      const item = { name: m[1], keyId, timestamp, time: utc(timestamp), status: "unknown", reason: "not a witness this site lists" };
      const key = keys.get(m[1] + "+" + keyId);
      if (key) {
        item.label = key.label;
        const message = concat(enc.encode(`cosignature/v1\ntime ${stamp}\n`), enc.encode(text));
        let ok = false;
        try {
          const publicKey = await crypto.subtle.importKey("raw", key.raw, { name: "Ed25519" }, false, ["verify"]);
          ok = stamp > 0n && await crypto.subtle.verify({ name: "Ed25519" }, publicKey, blob.slice(12), message);
        } catch (e) {
          ok = false;
        }
        item.status = ok ? "verified" : "failed";
        item.reason = ok ? "" : "the cosignature does not verify";
        result[ok ? "verified" : "failed"] += 1;
      }
      result.cosignatures.push(item);
    }
    return result;
  }

  /** Whether a verify() result meets a witnesses.json policy ({quorum}). */
  function quorumMet(result, published) {
    return result.failed === 0 && result.verified >= Number((published && published.quorum) || 0);
  }

  async function fetchText(url) {
    const r = await fetch(url, { cache: "no-cache" });
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    return r.text();
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const c of children) node.append(c);
    return node;
  }

  /** Check the published checkpoint; fill a summary element and, if given, per-witness cells. */
  async function check(base, summary, cells) {
    summary.className = "ol-status";
    summary.textContent = "Checking the witnesses' cosignatures…";
    try {
      const noteText = await fetchText(base + "checkpoint");
      const published = JSON.parse(await fetchText(base + "witnesses.json"));
      const result = await verify(noteText, published.witnesses || []);
      for (const item of result.cosignatures) {
        const cell = cells && cells.get(item.name + "+" + item.keyId);
        if (cell) {
          cell.textContent = item.status === "verified" ? "verified" : item.status === "failed" ? "does not verify" : "unknown witness";
          cell.className = "ol-witness-status " + (item.status === "verified" ? "ok" : "bad");
        }
      }
      const met = quorumMet(result, published);
      const names = result.cosignatures.filter((c) => c.status === "verified").map((c) => `${c.label || c.name} (${c.time})`);
      const bad = result.cosignatures.filter((c) => c.status === "failed").map((c) => c.label || c.name);
      summary.className = "ol-status " + (met ? "ok" : "bad");
      summary.textContent = bad.length
        ? `The cosignature of ${bad.join(", ")} does not verify: this checkpoint was altered.`
        : met
          ? `Cosigned by ${names.join(", ")}: ${result.verified} of ${(published.witnesses || []).length} witnesses' cosignatures verified in your browser (policy: ${published.policy}).`
          : `Only ${result.verified} witness cosignature(s) verified; the policy asks for ${published.quorum} (${published.policy}).`;
      return result;
    } catch (e) {
      summary.className = "ol-status bad";
      summary.textContent = "Could not check the cosignatures: " + e.message;
      return null;
    }
  }

  async function start() {
    const box = document.getElementById("ol-witnesses");
    if (box && box.dataset.ledger) {
      const cells = new Map();
      for (const cell of box.querySelectorAll("[data-witness]")) cells.set(cell.dataset.witness, cell);
      const summary = el("p", { id: "ol-witness-summary", role: "status", "aria-live": "polite" });
      box.append(summary);
      await check(box.dataset.ledger, summary, cells);
    }
    const checkRoot = document.getElementById("ol-check");
    if (checkRoot && checkRoot.dataset.ledger) {
      const base = checkRoot.dataset.ledger;
      const noteText = await fetchText(base + "checkpoint").catch(() => "");
      const tail = noteText.slice(noteText.lastIndexOf("\n\n") + 2).split("\n").filter((l) => l);
      if (tail.length < 2) return; // signed by the log only: no witness to show
      const summary = el("p", { id: "ol-check-witnesses", role: "status", "aria-live": "polite" });
      checkRoot.after(el("div", { class: "ol-witnesses" }, el("h2", {}, "Witnesses"), summary));
      await check(base, summary, null);
    }
  }

  window.OpenLedgerWitness = { verify, parseKey, quorumMet, check };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
