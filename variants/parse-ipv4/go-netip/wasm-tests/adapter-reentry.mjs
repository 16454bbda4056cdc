// Simulates the preview1 adapter: on the first WASI call (made by the Go runtime
// inside _initialize) it re-enters cabi_realloc for two 64 KiB blocks, fills
// them, and checks after many calls that the Go heap never touched them.
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
const wasi = new WASI({ version: 'preview1', args: [], env: {}, returnOnExit: true });
const real = wasi.getImportObject().wasi_snapshot_preview1;
let ex, blocks = null, reentered = 0, during = null;
const wrapped = {};
for (const [k, f] of Object.entries(real)) wrapped[k] = (...a) => {
  if (blocks === null && ex) {
    blocks = [];
    for (let i = 0; i < 2; i++) {
      const p = ex.cabi_realloc(0, 0, 8, 65536) >>> 0; reentered++;
      new Uint8Array(ex.memory.buffer, p, 65536).fill(0xA5 + i);
      blocks.push(p);
    }
    during = k;
  }
  return f(...a);
};
const mod = await WebAssembly.compile(readFileSync(process.argv[2]));
const inst = await WebAssembly.instantiate(mod, { wasi_snapshot_preview1: wrapped });
ex = inst.exports;
wasi.initialize(inst); // calls _initialize
console.log('first WASI call during init:', during, 'blocks', blocks.map(b => '0x' + b.toString(16)));
const enc = new TextEncoder();
let bad = 0;
for (let i = 0; i < 20000; i++) {
  const s = (i % 3 === 0) ? '7'.repeat(50000) : `${i % 256}.${(i * 7) % 300}.0.${i % 10}`;
  const b = enc.encode(s);
  const p = ex.cabi_realloc(0, 0, 1, b.length) >>> 0;
  if (blocks.some(x => p >= x && p < x + 65536)) bad++;
  new Uint8Array(ex.memory.buffer, p, b.length).set(b);
  const r = ex['parse-ipv4'](p, b.length) >>> 0;
  const dv = new DataView(ex.memory.buffer);
  const want = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)){3}$/.test(s);
  if ((dv.getUint8(r) === 1) !== want) bad++;
}
for (let i = 0; i < 2; i++) { const u = new Uint8Array(ex.memory.buffer, blocks[i], 65536); if (!u.every(x => x === 0xA5 + i)) { bad++; console.log('block', i, 'corrupted'); } }
console.log(`reentrant allocations: ${reentered}; 20000 calls (~333 MB of arguments); failures: ${bad}; memory ${ex.memory.buffer.byteLength >> 16} pages`);
process.exit(bad ? 1 : 0);
