// Usage: node core-abi.mjs core.wasm [random-count]  (Node >= 20, node:wasi preview1)
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
const wasi = new WASI({ version: 'preview1', args: [], env: {}, returnOnExit: true });
const mod = await WebAssembly.compile(readFileSync(process.argv[2]));
const inst = await WebAssembly.instantiate(mod, wasi.getImportObject());
wasi.initialize(inst);
const ex = inst.exports;
const enc = new TextEncoder();
function callBytes(bytes) {
  const p = ex.cabi_realloc(0, 0, 1, bytes.length) >>> 0;
  new Uint8Array(ex.memory.buffer, p, bytes.length).set(bytes);
  const r = ex['parse-ipv4'](p, bytes.length) >>> 0;
  if (r % 4 !== 0) throw new Error('result area misaligned ' + r);
  const dv = new DataView(ex.memory.buffer);
  const tag = dv.getUint8(r);
  if (tag === 0) return null;
  if (tag !== 1) throw new Error('bad tag ' + tag);
  return dv.getUint32(r + 4, true);
}
const call = s => callBytes(enc.encode(s));
const oct = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const re = new RegExp(`^${oct}\\.${oct}\\.${oct}\\.${oct}$`);
function ref(s) { const m = re.exec(s); if (!m) return null; return ((+m[1] * 2**24) + (+m[2] << 16) + (+m[3] << 8) + +m[4]); }
const spec = [['0.0.0.0',0],['1.2.3.4',16909060],['127.0.0.1',2130706433],['192.168.1.255',3232236031],
 ['255.255.255.255',4294967295],['10.0.0.10',167772170],['01.2.3.4',null],['1.2.3.00',null],['256.1.1.1',null],
 ['1.2.3.1000',null],['1.2.3',null],['1.2.3.4.5',null],['1.2.3.',null],['.1.2.3',null],['1..2.3',null],['127.1',null],
 ['+1.2.3.4',null],[' 1.2.3.4',null],['1.2.3.4 ',null],['0x7f.0.0.1',null],['1.2.3.4:80',null],['\u0661.2.3.4',null],['',null]];
let fails = 0, n = 0;
for (const [s, want] of spec) { const got = call(s); n++; if (got !== want) { fails++; console.log('SPEC FAIL', JSON.stringify(s), got, want); } }
console.log(`spec vectors: ${n - fails}/${n} pass`);
const extra = ['::ffff:1.2.3.4','::1.2.3.4','fe80::1%eth0','::1','1.2.3.4%eth0','00.0.0.0','1.2.3.04','\uff11.2.3.4'];
for (const s of extra) { n++; const got = call(s); if (got !== null) { fails++; console.log('EXTRA FAIL', s, got); } }
// invalid UTF-8 bytes
for (const b of [[0xff,0x2e,0x32,0x2e,0x33,0x2e,0x34],[0x31,0x2e,0x32,0x2e,0x33,0x2e,0x80]]) { n++; if (callBytes(new Uint8Array(b)) !== null) { fails++; console.log('UTF8 FAIL'); } }
// random
let seed = 12345; const rnd = k => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % k; };
const N = +(process.argv[3] || 200000); let valid = 0;
for (let i = 0; i < N; i++) {
  let s;
  if (i % 2 === 0) { s = [0,1,2,3].map(() => String(rnd(3) === 0 ? rnd(300) : rnd(256))).join('.');
    if (rnd(3) === 0) { const pos = rnd(s.length + 1); s = s.slice(0, pos) + '0.:x '[rnd(5)] + s.slice(pos + (rnd(2))); } }
  else { const len = rnd(17); s = ''; for (let j = 0; j < len; j++) s += rnd(4) === 0 ? '.' : String(rnd(10)); }
  const got = call(s), want = ref(s); n++; if (want !== null) valid++;
  if (got !== want) { fails++; if (fails < 10) console.log('RANDOM FAIL', JSON.stringify(s), got, want); }
}
// big input, many allocations
const big = '1'.repeat(1 << 20); n++; if (call(big) !== null) fails++;
const bigValid = '1.2.3.4'; for (let i = 0; i < 1000; i++) { call(big.slice(0, 4096 + i)); }
n++; if (call(bigValid) !== 16909060) fails++;
console.log(`total ${n} calls compared, ${valid} random valid, ${fails} failures; memory ${ex.memory.buffer.byteLength / 65536} pages`);
process.exit(fails ? 1 : 0);
