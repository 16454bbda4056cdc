// Drives the core module through its canonical-ABI exports the way a host
// would: cabi_realloc(0, 0, 1, len) for the argument, copy the bytes in, call
// sha256(ptr, len), read the (ptr, len) pair from the returned result area.
// Usage: node test_wasm.mjs core.wasm FILE...   -> "<hex>  FILE" per file
//        node test_wasm.mjs core.wasm --leak N  -> N calls, reports memory size
import { readFileSync } from "node:fs";

const [wasmPath, ...rest] = process.argv.slice(2);
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {});
const ex = instance.exports;
ex._initialize();

function call(bytes) {
  const ptr = ex.cabi_realloc(0, 0, 1, bytes.length);
  new Uint8Array(ex.memory.buffer, ptr, bytes.length).set(bytes);
  const ret = ex.sha256(ptr, bytes.length);
  if (ret % 4 !== 0) throw new Error("result area misaligned");
  const dv = new DataView(ex.memory.buffer);
  const dptr = dv.getInt32(ret, true), dlen = dv.getInt32(ret + 4, true);
  if (dlen !== 32) throw new Error("digest length " + dlen);
  return Buffer.from(new Uint8Array(ex.memory.buffer, dptr, dlen)).toString("hex");
}

if (rest[0] === "--leak") {
  const n = Number(rest[1]);
  const sizes = [];
  for (let i = 0; i < n; i++) {
    call(new Uint8Array((i * 7919) % 200000));
    if (i === 10 || i === n - 1) sizes.push(ex.memory.buffer.byteLength);
  }
  // Host passing an empty list with ptr 0 and no allocation must also work.
  const dv = new DataView(ex.memory.buffer);
  const ret = ex.sha256(0, 0);
  const hex = Buffer.from(new Uint8Array(ex.memory.buffer, dv.getInt32(ret, true), 32)).toString("hex");
  console.log(`memory after 10 calls: ${sizes[0]}, after ${n}: ${sizes[1]}; sha256(0,0)=${hex}`);
} else {
  for (const f of rest) console.log(`${call(readFileSync(f))}  ${f}`);
}
