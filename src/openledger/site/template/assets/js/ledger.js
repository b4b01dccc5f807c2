/* openledger: verify a published log in the browser (no other host, no library).
 *
 * Formats: C2SP tlog-tiles (hash tiles and entry bundles), C2SP signed-note
 * checkpoints signed with Ed25519, RFC 6962 / RFC 9162 Merkle hashes and
 * inclusion proofs. Hashing and signatures use WebCrypto (SHA-256, Ed25519).
 */
(function () {
  "use strict";
  const TILE_HEIGHT = 8, TILE_WIDTH = 256, HASH = 32;
  const enc = new TextEncoder();

  function b64decode(text) {
    const bin = atob(String(text).trim());
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function b64encode(bytes) {
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  }
  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  }
  function equal(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  async function sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  }
  const leafHash = (entry) => sha256(concat(Uint8Array.of(0), entry));
  const nodeHash = (left, right) => sha256(concat(Uint8Array.of(1), left, right));

  function encodeIndex(n) {
    const pad = (x) => String(x).padStart(3, "0");
    const parts = [pad(n % 1000)];
    n = Math.floor(n / 1000);
    while (n > 0) { parts.push("x" + pad(n % 1000)); n = Math.floor(n / 1000); }
    return parts.reverse().join("/");
  }
  function widthOf(size, level, index) {
    const count = Math.floor(size / 2 ** (TILE_HEIGHT * level));
    const full = Math.floor(count / TILE_WIDTH);
    return index < full ? TILE_WIDTH : count % TILE_WIDTH;
  }
  function suffix(width) { return width === TILE_WIDTH ? "" : ".p/" + width; }

  class VerifyError extends Error {}

  /** A published log at `base` (a URL ending in "/", e.g. "ledger/"). */
  class Log {
    constructor(base) { this.base = base; this.cache = new Map(); }

    async fetchBytes(path) {
      if (!this.cache.has(path)) {
        this.cache.set(path, fetch(this.base + path, { cache: "no-cache" }).then(async (r) => {
          if (!r.ok) throw new VerifyError(`${path}: HTTP ${r.status}`);
          return new Uint8Array(await r.arrayBuffer());
        }));
      }
      return this.cache.get(path);
    }

    /** Load and verify the signed checkpoint against verifier.key. */
    async open() {
      const keyText = new TextDecoder().decode(await this.fetchBytes("verifier.key")).trim();
      const noteText = new TextDecoder().decode(await this.fetchBytes("checkpoint"));
      this.checkpoint = await verifyCheckpoint(noteText, keyText);
      this.size = this.checkpoint.size;
      return this.checkpoint;
    }

    async tile(level, index) {
      const width = widthOf(this.size, level, index);
      if (width === 0) throw new VerifyError(`tile ${level}/${index} is outside the tree`);
      const path = `tile/${level}/${encodeIndex(index)}${suffix(width)}`;
      const data = await this.fetchBytes(path);
      if (data.length !== width * HASH) throw new VerifyError(`${path} has ${data.length} bytes, expected ${width * HASH}`);
      return data;
    }

    /** The hash of the complete subtree at tree `level`, position `index`, from the tiles. */
    async node(level, index) {
      const t = Math.floor(level / TILE_HEIGHT), s = level - TILE_HEIGHT * t;
      const first = index * 2 ** s, count = 2 ** s;
      const data = await this.tile(t, Math.floor(first / TILE_WIDTH));
      const offset = first % TILE_WIDTH;
      let hashes = [];
      for (let i = 0; i < count; i++) hashes.push(data.slice((offset + i) * HASH, (offset + i + 1) * HASH));
      if (hashes.some((h) => h.length !== HASH)) throw new VerifyError(`hash (${level}, ${index}) is missing`);
      while (hashes.length > 1) {
        const next = [];
        for (let i = 0; i < hashes.length; i += 2) next.push(await nodeHash(hashes[i], hashes[i + 1]));
        hashes = next;
      }
      return hashes[0];
    }

    /** RFC 6962 MTH of leaves [lo, hi). */
    async range(lo, hi) {
      const n = hi - lo;
      if ((n & (n - 1)) === 0 && lo % n === 0) return this.node(Math.log2(n), lo / n);
      const k = largestPowerBelow(n);
      return nodeHash(await this.range(lo, lo + k), await this.range(lo + k, hi));
    }

    /** RFC 6962 inclusion proof (audit path) of leaf m in the tree of this.size. */
    async proof(m, lo = 0, hi = this.size) {
      const n = hi - lo;
      if (n === 1) return [];
      const k = largestPowerBelow(n);
      if (m < lo + k) return [...await this.proof(m, lo, lo + k), await this.range(lo + k, hi)];
      return [...await this.proof(m, lo + k, hi), await this.range(lo, lo + k)];
    }

    /** The entry bytes of leaf `index`, read from its entry bundle. */
    async entry(index) {
      const b = Math.floor(index / TILE_WIDTH), width = widthOf(this.size, 0, b);
      const path = `tile/entries/${encodeIndex(b)}${suffix(width)}`;
      const entries = decodeBundle(await this.fetchBytes(path), path);
      const entry = entries[index % TILE_WIDTH];
      if (entries.length !== width || !entry) throw new VerifyError(`${path} does not hold entry ${index}`);
      return entry;
    }
  }

  function largestPowerBelow(n) { let k = 1; while (k * 2 < n) k *= 2; return k; }

  /** RFC 6962 PROOF(old, D[0:new]) from the tiles of a log of at least `newSize` entries. */
  Log.prototype.consistencyProof = async function (oldSize, newSize) {
    if (oldSize === 0 || oldSize === newSize) return [];
    const ranges = [];
    let start = 0, end = newSize, complete = true;
    while (end !== oldSize) {
      const k = largestPowerBelow(end - start);
      if (oldSize - start <= k) { ranges.push([start + k, end]); end = start + k; }
      else { ranges.push([start, start + k]); start += k; complete = false; }
    }
    if (!complete) ranges.push([start, end]);
    ranges.reverse();
    const out = [];
    for (const [lo, hi] of ranges) out.push(await this.range(lo, hi));
    return out;
  };

  /* The proof walks of transparency-dev/merkle (proof/verify.go), shared by
   * inclusion and consistency, as in openledger.ledger.merkle. */
  function bitLength(n) { let b = 0; while (n > 0) { b++; n = Math.floor(n / 2); } return b; }
  function bitCount(n) { let c = 0; while (n > 0) { c += n % 2; n = Math.floor(n / 2); } return c; }
  function bit(n, i) { return Math.floor(n / 2 ** i) % 2; }
  function decompose(index, size) {
    let x = 0;  // index XOR (size - 1), bit by bit (numbers may exceed 2^31)
    for (let i = 0, a = index, b = size - 1; a > 0 || b > 0; i++, a = Math.floor(a / 2), b = Math.floor(b / 2)) {
      if (a % 2 !== b % 2) x += 2 ** i;
    }
    const inner = bitLength(x);
    return [inner, bitCount(Math.floor(index / 2 ** inner))];
  }
  async function chainInner(seed, proof, index) {
    for (let i = 0; i < proof.length; i++) seed = bit(index, i) ? await nodeHash(proof[i], seed) : await nodeHash(seed, proof[i]);
    return seed;
  }
  async function chainInnerRight(seed, proof, index) {
    for (let i = 0; i < proof.length; i++) if (bit(index, i)) seed = await nodeHash(proof[i], seed);
    return seed;
  }
  async function chainBorderRight(seed, proof) {
    for (const p of proof) seed = await nodeHash(p, seed);
    return seed;
  }

  function decodeBundle(data, where) {
    const out = [];
    let pos = 0;
    while (pos < data.length) {
      if (pos + 2 > data.length) throw new VerifyError(`${where}: truncated length`);
      const stop = pos + 2 + (data[pos] << 8 | data[pos + 1]);
      if (stop > data.length) throw new VerifyError(`${where}: entry runs past the end`);
      out.push(data.slice(pos + 2, stop));
      pos = stop;
    }
    return out;
  }

  /** RFC 9162 section 2.1.3.2: does `proof` put `leaf` at `index` under `root`? */
  async function verifyInclusion(index, size, leaf, proof, root) {
    if (index >= size || proof.some((p) => p.length !== HASH)) return false;
    const [inner, border] = decompose(index, size);
    if (proof.length !== inner + border) return false;
    return equal(await chainBorderRight(await chainInner(leaf, proof.slice(0, inner), index), proof.slice(inner)), root);
  }

  /** RFC 9162 section 2.1.4.2: does `proof` show the tree of `newSize` extends the one of `oldSize`? */
  async function verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof) {
    if (oldSize > newSize || proof.some((p) => p.length !== HASH)) return false;
    if (oldSize === 0 || oldSize === newSize) return proof.length === 0 && (oldSize === 0 || equal(oldRoot, newRoot));
    if (proof.length === 0) return false;
    let [inner, border] = decompose(oldSize - 1, newSize);
    let shift = 0;
    while (bit(oldSize, shift) === 0) shift++;
    inner -= shift;
    const exact = oldSize === 2 ** shift;
    const seed = exact ? oldRoot : proof[0], start = exact ? 0 : 1;
    if (proof.length !== start + inner + border) return false;
    const rest = proof.slice(start), mask = Math.floor((oldSize - 1) / 2 ** shift);
    const first = await chainBorderRight(await chainInnerRight(seed, rest.slice(0, inner), mask), rest.slice(inner));
    if (!equal(first, oldRoot)) return false;
    return equal(await chainBorderRight(await chainInner(seed, rest.slice(0, inner), mask), rest.slice(inner)), newRoot);
  }

  /** Check a C2SP signed note against a verifier key name+hexid+base64; return the checkpoint. */
  async function verifyCheckpoint(noteText, keyText) {
    const parts = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(keyText.trim());
    if (!parts) throw new VerifyError("verifier.key is not a verifier key (name+keyid+base64)");
    const [, name, hexId] = parts;
    const key = b64decode(parts[3]);
    if (!name || !/^[0-9a-f]{8}$/.test(hexId || "") || key.length !== 33 || key[0] !== 1) {
      throw new VerifyError("verifier.key is not an Ed25519 verifier key");
    }
    const id = (await sha256(concat(enc.encode(name + "\n"), key))).slice(0, 4);
    if (Array.from(id, (b) => b.toString(16).padStart(2, "0")).join("") !== hexId) {
      throw new VerifyError("verifier.key: the key id does not match the key");
    }
    const split = noteText.indexOf("\n\n");
    if (split < 0) throw new VerifyError("checkpoint: not a signed note");
    const body = noteText.slice(0, split + 1);
    const publicKey = await crypto.subtle.importKey("raw", key.slice(1), { name: "Ed25519" }, false, ["verify"]);
    let signed = false;
    for (const line of noteText.slice(split + 2).split("\n")) {
      const m = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!m || m[1] !== name) continue;
      const sig = b64decode(m[2]);
      if (sig.length !== 68 || !equal(sig.slice(0, 4), id)) continue;
      if (await crypto.subtle.verify({ name: "Ed25519" }, publicKey, sig.slice(4), enc.encode(body))) signed = true;
    }
    if (!signed) throw new VerifyError("checkpoint: no valid signature by the published key");
    const lines = body.split("\n");
    if (!/^(0|[1-9][0-9]*)$/.test(lines[1] || "")) throw new VerifyError("checkpoint: bad tree size");
    const root = b64decode(lines[2] || "");
    if (root.length !== HASH) throw new VerifyError("checkpoint: bad root hash");
    return { origin: lines[0], size: Number(lines[1]), root, rootText: lines[2], text: noteText };
  }

  window.OpenLedger = {
    Log, VerifyError, verifyCheckpoint, verifyInclusion, verifyConsistency, leafHash, sha256, b64decode, b64encode,
    encodeIndex, equal, concat,
  };
})();
