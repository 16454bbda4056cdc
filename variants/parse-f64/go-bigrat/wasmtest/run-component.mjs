import { parseF64 } from './js/pf.js';
const cases = ["0","-0","+1","1.",".5","-.5e-3","0.1","1e23","9007199254740993","9007199254740995",
 "123456789012345678901234567890","3.14159265358979323846264338327950288","1.7976931348623157e308",
 "1.7976931348623158e308","1.7976931348623159e308","-1e400","1e99999999999999999999","0e99999999999999999",
 "1e-400","-1e-400","4.9406564584124654e-324","2.4703282292062327e-324","2.4703282292062328e-324",
 "2.2250738585072011e-308","2.2250738585072014e-308","7.038531e-26","1"+"0".repeat(400)+"e-400",
 "0."+"0".repeat(500)+"1e501","00000.000001E6",".","e5","1e","1e+","+","--1","1.2.3","inf","nan"," 1","1 ","0x10","1_000","",
 "-2.4703282292062328e-324","é","1é"];
const bits = (x) => { const b = new DataView(new ArrayBuffer(8)); b.setFloat64(0, x, true); return b.getBigUint64(0, true).toString(16).padStart(16,'0'); };
for (const c of cases) {
  const r = parseF64(c);
  const shown = c.length > 40 ? c.slice(0,20)+'...('+c.length+')' : c;
  console.log(JSON.stringify(shown), r === undefined ? 'none' : (r === null ? 'null?' : bits(r)));
}
// Many calls in one instance, compared with JS Number() on a grammar-checked set.
const re = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
let n = 0, bad = 0, seed = 12345;
const rnd = (k) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % k; };
const alpha = "0123456789.eE+-";
for (let i = 0; i < 200000; i++) {
  let s = '';
  const len = rnd(3) === 0 ? rnd(900) : rnd(30);
  for (let j = 0; j < len; j++) s += (rnd(4) === 0 ? alpha[rnd(alpha.length)] : "0123456789"[rnd(10)]);
  const r = parseF64(s);
  const ok = re.test(s);
  const want = ok ? bits(Number(s)) : 'none';
  const got = r === undefined || r === null ? 'none' : bits(r);
  n++;
  if (got !== want) { bad++; if (bad < 10) console.log('MISMATCH', JSON.stringify(s), got, want); }
}
console.log('random', n, 'mismatches', bad);
// Big input
const t0 = Date.now();
console.log(bits(parseF64("7".repeat(5_000_000)+"e-5000000")), Date.now()-t0, 'ms');
console.log(bits(parseF64("1e-"+"9".repeat(1000000))));
