// End-to-end test of the built component, transpiled with jco and run in Node:
//   python3 test_parse_f64.py 40000 --dump /tmp/cases.json
//   $NVX_TOOLS/node_modules/.bin/jco transpile OUT.wasm -o /tmp/pyfloat-js --name pyfloat
//   node --experimental-wasm-extended-const test_component.mjs /tmp/pyfloat-js/pyfloat.js /tmp/cases.json
// (the transpiled folder must be able to resolve @bytecodealliance/preview2-shim, e.g. via
// a node_modules symlink next to it). Compares the result bits of every case with the
// expected bits from the native oracles, then times a few inputs of millions of characters.
import { readFileSync } from 'node:fs';

const { parseF64 } = await import(process.argv[2]);
const dv = new DataView(new ArrayBuffer(8));
const hex = (r) => {
  if (r === undefined || r === null) return null;
  dv.setFloat64(0, r, true);
  return dv.getBigUint64(0, true).toString(16).padStart(16, '0');
};

let fail = 0, n = 0, maxMs = 0;
for (const [text, want] of JSON.parse(readFileSync(process.argv[3], 'utf8'))) {
  const t0 = performance.now();
  const got = hex(parseF64(text));
  maxMs = Math.max(maxMs, performance.now() - t0);
  n++;
  if (got !== want) {
    fail++;
    if (fail <= 20) console.log('FAIL', JSON.stringify(text.slice(0, 80)), 'got', got, 'want', want);
  }
}
console.log(`cases: ${n}, failures: ${fail}, slowest call ${maxMs.toFixed(1)} ms`);

const M = 10_000_000;
for (const [label, text, want] of [
  ['1e7 digits', '1' + '0'.repeat(M), '7ff0000000000000'],
  ['1e7 leading fraction zeros', '0.' + '0'.repeat(M) + '1e10000001', '3ff0000000000000'],
  ['4.999...e0 with 1e7 nines', '4' + '9'.repeat(M) + 'e-' + M, '4014000000000000'],
  ['1e7 digits, junk at the end', '1'.repeat(M) + 'x', null],
  ['exponent of 1e6 digits', '1e' + '9'.repeat(1_000_000), '7ff0000000000000'],
  ['negative exponent of 1e6 digits', '-1e-' + '9'.repeat(1_000_000), '8000000000000000'],
]) {
  const t0 = performance.now();
  const got = hex(parseF64(text));
  const ok = got === want;
  if (!ok) fail++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}: ${got} in ${(performance.now() - t0).toFixed(1)} ms`);
}
process.exit(fail ? 1 : 0);
