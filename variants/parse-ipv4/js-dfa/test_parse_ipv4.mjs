// Native tests for parse_ipv4.js (run: node test_parse_ipv4.mjs from this folder).
// Loads the source twice, as a module: parse_ipv4.js alone, and bom_fix.js followed by
// parse_ipv4.js (exactly what build.sh compiles), and checks both against
//   1. every test vector of SPEC.md (plus a few extra hand-written ones),
//   2. an independent reference (a regular expression, used only here) over every
//      string up to a given length over small alphabets, and
//   3. random inputs (structured near-addresses and random mutations of them).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = (f) => readFileSync(join(here, f), 'utf8');
const load = (code) =>
  import('data:text/javascript;base64,' + Buffer.from(code).toString('base64'));

const plain = (await load(src('parse_ipv4.js'))).parseIpv4;
const fixed = (await load(src('bom_fix.js') + src('parse_ipv4.js'))).parseIpv4;

let checks = 0;
let failures = 0;
function expect(fn, label, text, want) {
  checks++;
  const got = fn(text);
  if (got !== want) {
    failures++;
    if (failures <= 20) {
      console.error(`FAIL ${label}: ${JSON.stringify(text)} -> ${got}, want ${want}`);
    }
  }
}

// --- 1. vectors -------------------------------------------------------------------
const NONE = undefined;
const vectors = [
  ['0.0.0.0', 0],
  ['1.2.3.4', 16909060],
  ['127.0.0.1', 2130706433],
  ['192.168.1.255', 3232236031],
  ['255.255.255.255', 4294967295],
  ['10.0.0.10', 167772170],
  ['01.2.3.4', NONE],
  ['1.2.3.00', NONE],
  ['256.1.1.1', NONE],
  ['1.2.3.1000', NONE],
  ['1.2.3', NONE],
  ['1.2.3.4.5', NONE],
  ['1.2.3.', NONE],
  ['.1.2.3', NONE],
  ['1..2.3', NONE],
  ['127.1', NONE],
  ['+1.2.3.4', NONE],
  [' 1.2.3.4', NONE],
  ['1.2.3.4 ', NONE],
  ['0x7f.0.0.1', NONE],
  ['1.2.3.4:80', NONE],
  ['\u0661.2.3.4', NONE],
  ['', NONE],
];
const specCount = vectors.length;
const extra = [
  ['\uFEFF1.2.3.4', NONE], ['1.2.3.4\uFEFF', NONE], ['1.2.3.4\n', NONE], ['\t1.2.3.4', NONE],
  ['1.2.3.4\0', NONE], ['1.2.3.-4', NONE], ['1.2.3.4.', NONE], ['1.2.3..4', NONE],
  ['255.255.255.256', NONE], ['300.0.0.0', NONE], ['0.0.0.00', NONE], ['00.0.0.0', NONE],
  ['000.0.0.0', NONE], ['0.0.0.010', NONE], ['1.2.3.0255', NONE], ['1.2.3.4/24', NONE],
  ['1,2,3,4', NONE], ['1.2.3.\uFF14', NONE], ['1.2.3.\u0034\u0301', NONE], ['...', NONE],
  ['.', NONE], ['0', NONE], ['4294967295', NONE], ['0.0.0.0.0', NONE], ['1e2.0.0.0', NONE],
  ['199.200.249.250', 199 * 16777216 + 200 * 65536 + 249 * 256 + 250],
  ['100.10.1.0', 100 * 16777216 + 10 * 65536 + 256 + 0],
  ['0.255.0.255', 255 * 65536 + 255], ['128.0.0.0', 2147483648],
  ['255.0.0.0', 4278190080], ['9.99.199.249', 9 * 16777216 + 99 * 65536 + 199 * 256 + 249],
];
for (const [t, w] of vectors.concat(extra)) {
  expect(plain, 'vector', t, w);
  expect(fixed, 'vector', t, w);
}
const vectorChecks = checks;

// --- reference (independent of the DFA: a regular expression) ------------------------
const OCT = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const RE = new RegExp(`^${OCT}\\.${OCT}\\.${OCT}\\.${OCT}$`);
function reference(text) {
  const m = RE.exec(text);
  if (m === null) return undefined;
  return Number(m[1]) * 2 ** 24 + Number(m[2]) * 2 ** 16 + Number(m[3]) * 2 ** 8 + Number(m[4]);
}
// Sanity: the reference agrees with the SPEC vectors.
for (const [t, w] of vectors.concat(extra)) {
  checks++;
  if (reference(t) !== w) { failures++; console.error(`reference disagrees on ${JSON.stringify(t)}`); }
}

// --- 2. exhaustive short strings -----------------------------------------------------
let exhaustive = 0;
let exhaustiveValid = 0;
function exhaust(alphabet, maxLen) {
  const buf = [];
  const rec = (depth) => {
    const t = buf.join('');
    const want = reference(t);
    if (want !== undefined) exhaustiveValid++;
    exhaustive++;
    expect(fixed, 'exhaustive', t, want);
    if (depth === maxLen) return;
    for (const c of alphabet) { buf.push(c); rec(depth + 1); buf.pop(); }
  };
  rec(0);
}
// Digits that exercise every boundary of the <= 255 check, and the dot: all strings up
// to length 8 (1.99 million; includes every valid address of length 7 and 8 over it).
exhaust(['0', '1', '2', '5', '6', '.'], 8);
// Separators and non-ASCII look-alikes: all strings up to length 7.
exhaust(['0', '9', '.', ' ', '\uFEFF', '\u0660', '/', ':'], 7);

// --- 3. random inputs --------------------------------------------------------------
let seed = 0x2545f491;
const rnd = (n) => {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed % n;
};
const NOISE = ['.', '0', '00', '-', '+', ' ', 'x', '\uFEFF', '\u0661', '\uD83D\uDE00', '\u00A0', '/', ':', 'e', '\n'];
function randomOctet() {
  switch (rnd(5)) {
    case 0: return String(rnd(256));
    case 1: return String(rnd(1000));
    case 2: return '0'.repeat(rnd(3)) + String(rnd(256));
    case 3: return String(250 + rnd(10));
    default: return String(rnd(10));
  }
}
let randomCount = 0;
let randomValid = 0;
for (let i = 0; i < 500000; i++) {
  const parts = [];
  const k = rnd(10) < 8 ? 4 : 1 + rnd(6);
  for (let j = 0; j < k; j++) parts.push(randomOctet());
  let t = parts.join('.');
  if (rnd(3) === 0) {
    const arr = Array.from(t);
    const edits = 1 + rnd(3);
    for (let e = 0; e < edits; e++) {
      const pos = rnd(arr.length + 1);
      const op = rnd(3);
      if (op === 0) arr.splice(pos, 0, NOISE[rnd(NOISE.length)]);
      else if (op === 1 && arr.length > 0) arr.splice(Math.min(pos, arr.length - 1), 1);
      else if (arr.length > 0) arr[Math.min(pos, arr.length - 1)] = String.fromCharCode(32 + rnd(95));
    }
    t = arr.join('');
  }
  const want = reference(t);
  if (want !== undefined) randomValid++;
  randomCount++;
  expect(fixed, 'random', t, want);
  if ((i & 15) === 0) expect(plain, 'random', t, want);
}

// Every one of the 2^32 results is not feasible; check the extremes of each octet
// position and the result type (a non-negative integer Number, never negative).
for (const a of [0, 1, 127, 128, 254, 255]) {
  for (const b of [0, 128, 255]) {
    const t = `${a}.${b}.${255 - b}.${a}`;
    const v = fixed(t);
    checks++;
    if (!(Number.isInteger(v) && v >= 0 && v <= 4294967295 && v === reference(t))) {
      failures++; console.error(`range FAIL ${t} -> ${v}`);
    }
  }
}

// BOM workaround in node: node's default TextDecoder also drops a leading BOM, so
// bom_fix.js (loaded above) must have patched it; check it behaves as ignoreBOM.
const bomBytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x31, 0x2e]);
checks++;
if (new TextDecoder().decode(bomBytes) !== '\uFEFF1.') { failures++; console.error('bom_fix: BOM not kept'); }
checks++;
if (new TextDecoder().decode(new Uint8Array([0x31])) !== '1') { failures++; console.error('bom_fix: plain decode changed'); }

console.log(`SPEC vectors: ${specCount} (x2 loads), extra vectors: ${extra.length} (x2 loads), vector checks: ${vectorChecks}`);
console.log(`exhaustive strings: ${exhaustive} (${exhaustiveValid} valid addresses)`);
console.log(`random inputs: ${randomCount} (${randomValid} valid addresses)`);
console.log(`total checks: ${checks}, failures: ${failures}`);
process.exit(failures === 0 ? 0 : 1);
