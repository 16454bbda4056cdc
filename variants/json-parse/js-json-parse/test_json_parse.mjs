// Native tests of json_parse.js under node (run from this folder:
// `node test_json_parse.mjs`; python3 on PATH adds a second number reference).
//
// The source is loaded as a module with its internal writers exported as well, and
//   1. the SPEC.md test vectors and hand-written cases go through jsonParse (bytes in,
//      canonical string or undefined out);
//   2. the number writer is checked against two references that share no code with
//      it: V8's own shortest conversion (Number.prototype.toExponential() without an
//      argument), and Python's repr (David Gay's shortest round trip), on special
//      values and random bit patterns; every answer must also read back as x;
//   3. the string writer and deep nesting are checked.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const source = readFileSync(join(here, 'json_parse.js'), 'utf8') +
  '\nexport { canonical, canonicalString, canonicalNumber, shortestByDoubles, shortestExact };\n';
const mod = await import('data:text/javascript;base64,' + Buffer.from(source).toString('base64'));
const { jsonParse, canonicalString, canonicalNumber, shortestByDoubles, shortestExact } = mod;

let checks = 0;
let failures = 0;
function check(label, got, want) {
  checks++;
  if (got !== want) {
    failures++;
    if (failures <= 30) console.error(`FAIL ${label}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
}
const bytes = (s) => new TextEncoder().encode(s);
const raw = (...b) => new Uint8Array(b);

// --- 1. through jsonParse -------------------------------------------------------------
const NONE = undefined;
const spec = [
  ['null', 'null'], ['true', 'true'], [' [ ] ', '[]'], ['{}', '{}'], ['0', '0'],
  ['-0.0', '-0'], ['1', '1e0'], ['-12.5e3', '-1.25e4'], ['0.1', '1e-1'],
  ['1E400', 'Infinity'], ['"a\\"b"', '"a\\u0022b"'], ['"\\u00E9"', '"\\u00e9"'],
  ['{"b":1,"a":[true,false]}', '{"a":[true,false],"b":1e0}'],
  ['[1,]', NONE], ['{"a" 1}', NONE], ['01', NONE], ['', NONE],
  ['{"b": [1, 2.50, "x"], "a": null}', '{"a":null,"b":[1e0,2.5e0,"x"]}'],
];
for (const [t, w] of spec) check(`spec ${t}`, jsonParse(bytes(t)), w);
const extra = [
  ['{"a":1,"a":2}', '{"a":2e0}'],
  ['{"__proto__":1}', '{"__proto__":1e0}'],
  ['{"__proto__":{"x":[]},"__proto__":null}', '{"__proto__":null}'],
  ['"\\ud800"', '"\\ud800"'], ['"\\udc00\\ud800"', '"\\udc00\\ud800"'],
  ['"\\ud83d\\ude00"', '"\\ud83d\\ude00"'], ['"😀"', '"\\ud83d\\ude00"'],
  ['-1e400', '-Infinity'], ['1e-400', '0'], ['-1e-400', '-0'], ['-0', '-0'],
  ['9007199254740993', '9.007199254740992e15'], ['123456789012345678901234567890', '1.2345678901234568e29'],
  ['{"b":1,"10":2,"2":3,"a":4,"":5}', '{"":5e0,"10":2e0,"2":3e0,"a":4e0,"b":1e0}'],
  ['NaN', NONE], ['Infinity', NONE], ['[1 2]', NONE], ["'a'", NONE], ['"\t"', NONE],
  ['"\\x41"', NONE], ['+1', NONE], ['.5', NONE], ['1.', NONE], ['0x10', NONE],
  ['\t\r\n null \t\r\n', 'null'], ['\u00a0null', NONE], ['[] []', NONE], ['/*c*/1', NONE],
];
for (const [t, w] of extra) check(`extra ${t}`, jsonParse(bytes(t)), w);
check('bom object', jsonParse(raw(0xef, 0xbb, 0xbf, 0x7b, 0x7d)), NONE);
check('bom in string', jsonParse(raw(0x22, 0xef, 0xbb, 0xbf, 0x22)), '"\\ufeff"');
check('ff in string', jsonParse(raw(0x22, 0xff, 0x22)), '"\\ufffd"');
check('surrogate bytes', jsonParse(raw(0x22, 0xed, 0xa0, 0x80, 0x22)), '"\\ufffd\\ufffd\\ufffd"');
check('truncated', jsonParse(raw(0x22, 0xe2, 0x82, 0x22)), '"\\ufffd"');
check('overlong', jsonParse(raw(0x22, 0xc0, 0xaf, 0x22)), '"\\ufffd\\ufffd"');
check('ff outside', jsonParse(raw(0xff)), NONE);
check('nul byte', jsonParse(raw(0x00)), NONE);
check('one byte 1', jsonParse(raw(0x31)), '1e0');

// --- 2. numbers -------------------------------------------------------------------------
// Reference A: V8's shortest digits, rewritten into the canonical layout.
function v8Canonical(x) {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  if (!Number.isFinite(x)) return String(x);
  const t = x.toExponential(); // e.g. "-1.25e+4": shortest digits (ECMA-262 toExponential)
  const [mant, exp] = t.split('e');
  return mant + 'e' + String(Number(exp));
}
const specials = [
  1, 100, 123.5, 0.001, -2.5e-8, 2 ** 53, 5e-324, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, Math.PI,
  Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 2.2250738585072014e-308,
  2.225073858507201e-308, 1e21, 1e22, 1e23, 9007199254740993, 2 ** 63, 2 ** 64, 1e300,
  4.35, 0.3 - 0.1, 1.7976931348623157e308, 5e-310, 1.5, 123456789012345680000,
];
for (let i = -1074; i <= 1023; i++) specials.push(2 ** i, 2 ** i * (1 + 2 ** -52), 2 ** i * (2 - 2 ** -52));
for (let i = -323; i <= 308; i++) specials.push(Number(`1e${i}`), Number(`9.999999999999999e${i}`), Number(`5e${i}`));
const bitsView = new DataView(new ArrayBuffer(8));
let seed = 0x243f6a8885a308d3n;
function next64() {
  seed ^= (seed << 13n) & 0xffffffffffffffffn;
  seed ^= seed >> 7n;
  seed ^= (seed << 17n) & 0xffffffffffffffffn;
  return seed;
}
const randoms = [];
while (randoms.length < 200000) {
  bitsView.setBigUint64(0, next64());
  const x = bitsView.getFloat64(0);
  if (Number.isFinite(x)) randoms.push(x);
}
// Short decimals and integers, where trailing-zero and boundary handling matter.
for (let i = 0; i < 20000; i++) {
  const d = Number(next64() % 100000n);
  const e = Number(next64() % 40n) - 20;
  randoms.push(Number(`${d}e${e}`), Number(next64() >> 11n), Number(next64() % 100000000n));
}
// Decimals of 1..17 random digits times 10^-30 .. 10^30: the double path's ground,
// and its edges (15 digits, 10^+-22).
for (let i = 0; i < 100000; i++) {
  const ndig = 1 + Number(next64() % 17n);
  let digits = '';
  for (let d = 0; d < ndig; d++) digits += String(Number(next64() % 10n));
  const e = Number(next64() % 61n) - 30;
  randoms.push(Number(`${digits}e${e}`));
}
for (let e = -30; e <= 30; e++) {
  for (const d of ['1', '5', '999999999999999', '100000000000001', '9007199254740991', '123456789012345']) {
    randoms.push(Number(`${d}e${e}`));
  }
}
const all = specials.concat(randoms).flatMap((x) => [x, -x]);
let numberChecks = 0;
let quickAnswers = 0;
for (const x of all) {
  const got = canonicalNumber(x);
  const want = v8Canonical(x);
  check(`number ${x} vs V8`, got, want);
  // Each path on its own: the exact one everywhere, the double one where it answers.
  if (Number.isFinite(x) && x !== 0) {
    const a = Math.abs(x);
    const sign = x < 0 ? '-' : '';
    check(`exact path ${x}`, sign + shortestExact(a), want);
    const quick = shortestByDoubles(a);
    if (quick !== null) { quickAnswers++; check(`double path ${x}`, sign + quick, want); }
  }
  checks++;
  if (Number(got) !== x && !(x !== x)) { failures++; console.error(`FAIL round trip ${x}: ${got}`); }
  numberChecks++;
}

// Reference B: Python's repr (shortest round trip, nearest), on a slice.
let pythonChecks = 0;
{
  const sample = specials.concat(randoms.slice(0, 50000)).filter(Number.isFinite);
  const hexes = sample.map((x) => { bitsView.setFloat64(0, x); return bitsView.getBigUint64(0).toString(16); });
  const py = `
import sys, struct
from decimal import Decimal
for line in sys.stdin:
    x = struct.unpack('>d', bytes.fromhex(line.strip().rjust(16, '0')))[0]
    if x == 0:
        print('-0' if str(x).startswith('-') else '0'); continue
    t = Decimal(repr(x)).as_tuple()
    digits = ''.join(map(str, t.digits)).rstrip('0') or '0'
    exp = t.exponent + len(''.join(map(str, t.digits))) - 1
    lead = '-' if t.sign else ''
    print(lead + digits[0] + ('.' + digits[1:] if len(digits) > 1 else '') + 'e' + str(exp))
`;
  const r = spawnSync('python3', ['-c', py], { input: hexes.join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status === 0) {
    const lines = r.stdout.trim().split('\n');
    sample.forEach((x, i) => { check(`number ${x} vs python`, canonicalNumber(x), lines[i]); pythonChecks++; });
  } else {
    console.error('python3 reference B skipped: ' + (r.error ? r.error.message + ' ' : '') + r.stderr);
  }
}

// --- 3. strings and nesting ----------------------------------------------------------------
check('string é', canonicalString('é'), '"\\u00e9"');
check('string quote', canonicalString('"'), '"\\u0022"');
check('string backslash', canonicalString('\\'), '"\\u005c"');
check('string newline', canonicalString('\n'), '"\\u000a"');
check('string del', canonicalString('\u007f'), '"\\u007f"');
check('string us', canonicalString('\u001f ~'), '"\\u001f ~"');
check('string astral', canonicalString('\u{1F600}'), '"\\ud83d\\ude00"');
check('string lone', canonicalString('a\udfffb'), '"a\\udfffb"');
check('string ffff', canonicalString('\uffff'), '"\\uffff"');
check('string mixed', canonicalString('ab"cd\\ef'), '"ab\\u0022cd\\u005cef"');
for (const depth of [10000, 100000]) {
  const arr = '['.repeat(depth) + ']'.repeat(depth);
  check(`nesting [${depth}]`, jsonParse(bytes(arr)), arr);
  const obj = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  const got = jsonParse(bytes(obj));
  check(`nesting {${depth}}`, got, '{"a":'.repeat(depth) + '1e0' + '}'.repeat(depth));
}

// Random documents: JSON.stringify (V8) writes them, jsonParse reads them back, and a
// plain recursive reference (V8's digits, a regex escaper, default sort) writes the
// canonical form to compare with.
function refCanonical(v) {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return v8Canonical(v);
  if (typeof v === 'string') {
    return '"' + v.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g,
      (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '"';
  }
  if (Array.isArray(v)) return '[' + v.map(refCanonical).join(',') + ']';
  return '{' + Object.keys(v).sort().map((k) => refCanonical(k) + ':' + refCanonical(v[k])).join(',') + '}';
}
const PIECES = ['a', 'Z', ' ', '"', '\\', '\n', '\u0000', '\u007f', '\u00e9', '\ud800', '\udfff', '\ud83d\ude00', '\uffff', '~', '__proto__'];
function randomValue(depth) {
  const r = Number(next64() % 10n);
  if (depth > 4 || r < 4) {
    switch (Number(next64() % 6n)) {
      case 0: return null;
      case 1: return Number(next64() % 2n) === 0n;
      case 2: bitsView.setBigUint64(0, next64()); { const x = bitsView.getFloat64(0); return Number.isFinite(x) ? x : 0.5; }
      case 3: return Number(next64() % 2000n) - 1000;
      default: {
        let t = '';
        const n = Number(next64() % 6n);
        for (let i = 0; i < n; i++) t += PIECES[Number(next64() % BigInt(PIECES.length))];
        return t;
      }
    }
  }
  if (r < 7) {
    const n = Number(next64() % 5n);
    return Array.from({ length: n }, () => randomValue(depth + 1));
  }
  const o = {};
  const n = Number(next64() % 5n);
  for (let i = 0; i < n; i++) o[String(randomValue(9))] = randomValue(depth + 1);
  return o;
}
let documents = 0;
for (let i = 0; i < 20000; i++) {
  const v = randomValue(0);
  const text = JSON.stringify(v);
  check(`document ${text}`, jsonParse(bytes(text)), refCanonical(JSON.parse(text)));
  documents++;
}

console.log(`random documents: ${documents}`);
console.log(`jsonParse cases: ${spec.length} SPEC + ${extra.length + 9} extra; numbers: ${numberChecks} vs V8 (double path answered ${quickAnswers}), ${pythonChecks} vs Python`);
console.log(`total checks: ${checks}, failures: ${failures}`);
process.exit(failures === 0 ? 0 : 1);
