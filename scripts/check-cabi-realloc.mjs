// Checks the cabi_realloc of canonical-ABI core modules, outside nvx, with Node's
// own WebAssembly and WASI (preview1):
//
//   node scripts/check-cabi-realloc.mjs MODULE.wasm...
//
// For each module, on fresh instances (after _initialize, as the component runs it):
//   - size 0 with alignment 1, 2, 4 and 8 gives a real, aligned, in-bounds pointer, never 0;
//   - blocks of sizes 1..100 at each alignment are aligned, in bounds and do not overlap;
//   - growing a block (old_ptr != 0) keeps its bytes;
//   - a request that cannot be served traps (`unreachable`) instead of returning;
//     0 would be a valid address, and the host would write the argument over
//     whatever lives there;
//   - it never calls WASI (which a component cannot do while the host lowers arguments).
// Prints one line per module and exits 1 if any check failed.
import { readFileSync } from "node:fs";
import { WASI } from "node:wasi";

async function instantiate(bytes) {
  const module = await WebAssembly.compile(bytes);
  const wasi = new WASI({ version: "preview1", args: [], env: {}, returnOnExit: true });
  // Every WASI function, wrapped to notice a call made from inside cabi_realloc:
  // under nvx that is a `cannot-leave-component` trap (the host is lowering arguments).
  const wasiFns = wasi.getImportObject().wasi_snapshot_preview1;
  const state = { inRealloc: false, wasiCalls: [] };
  const imports = { wasi_snapshot_preview1: {} };
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== "wasi_snapshot_preview1" || !(imp.name in wasiFns)) {
      throw new Error(`imports ${imp.module}::${imp.name}, which is not WASI preview1`);
    }
    imports.wasi_snapshot_preview1[imp.name] = (...args) => {
      if (state.inRealloc) state.wasiCalls.push(imp.name);
      return wasiFns[imp.name](...args);
    };
  }
  const instance = await WebAssembly.instantiate(module, imports);
  const usesWasi = WebAssembly.Module.imports(module).length > 0;
  if (usesWasi) wasi.initialize(instance); // calls _initialize when the module has one
  else if (instance.exports._initialize) instance.exports._initialize();
  const { cabi_realloc: realloc, memory } = instance.exports;
  if (typeof realloc !== "function") throw new Error("exports no cabi_realloc");
  if (!(memory instanceof WebAssembly.Memory)) throw new Error("exports no memory");
  const call = (...a) => {
    state.inRealloc = true;
    try {
      return realloc(...a) >>> 0;
    } finally {
      state.inRealloc = false;
    }
  };
  return { realloc: call, memory, state };
}

async function check(path) {
  const bytes = readFileSync(path);
  const problems = [];
  const fail = (msg) => problems.push(msg);
  const instances = [];

  // Size 0 and small blocks at every alignment.
  {
    const { realloc, memory, state } = await instantiate(bytes);
    instances.push(state);
    const blocks = [];
    for (const align of [1, 2, 4, 8]) {
      for (const size of [0, 1, 2, 3, 7, 8, 9, 17, 100]) {
        let p;
        try {
          p = realloc(0, 0, align, size);
        } catch (e) {
          fail(`size ${size}, align ${align}: ${e}`);
          break;
        }
        const end = memory.buffer.byteLength;
        if (p === 0) fail(`size ${size}, align ${align}: returned 0`);
        else if (p % align !== 0) fail(`size ${size}, align ${align}: ${p} is not aligned`);
        else if (p + size > end) fail(`size ${size}, align ${align}: ${p}+${size} is past the memory (${end})`);
        if (size > 0) blocks.push([p, p + size, `size ${size} align ${align}`]);
      }
    }
    blocks.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < blocks.length; i++) {
      if (blocks[i][0] < blocks[i - 1][1]) fail(`${blocks[i - 1][2]} and ${blocks[i][2]} overlap`);
    }
  }

  // Growth keeps the bytes, including after other blocks were handed out.
  {
    const { realloc, memory, state } = await instantiate(bytes);
    instances.push(state);
    for (const [align, from, to] of [[1, 16, 4096], [4, 5, 70000], [8, 64, 65]]) {
      const p = realloc(0, 0, align, from);
      new Uint8Array(memory.buffer, p, from).forEach((_, i, a) => (a[i] = (i * 7 + 3) & 255));
      realloc(0, 0, 1, 33); // another block in between
      const q = realloc(p, from, align, to);
      if (q === 0 || q % align !== 0) fail(`growing ${from} -> ${to}: bad pointer ${q}`);
      const kept = new Uint8Array(memory.buffer, q, from).every((b, i) => b === ((i * 7 + 3) & 255));
      if (!kept) fail(`growing ${from} -> ${to} (align ${align}) lost the old bytes`);
    }
  }

  // Exhaustion traps.
  for (const size of [0xfffffff0, 0x7ffffff0]) {
    const { realloc, state } = await instantiate(bytes);
    instances.push(state);
    try {
      const p = realloc(0, 0, 1, size);
      // Served (Node lets a memory grow to 4 GiB); fine as long as it is real memory.
      if (size === 0xfffffff0 || p === 0) fail(`size ${size}: returned ${p} instead of trapping`);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) fail(`size ${size}: threw ${e}`);
      else if (!/unreachable/.test(e.message)) fail(`size ${size}: trapped with "${e.message}", not unreachable`);
    }
  }
  const called = new Set(instances.flatMap((s) => s.wasiCalls));
  if (called.size > 0) fail(`called WASI from inside cabi_realloc: ${[...called].join(", ")}`);
  return problems;
}

let failed = false;
for (const path of process.argv.slice(2)) {
  let problems;
  try {
    problems = await check(path);
  } catch (e) {
    problems = [`${e}`];
  }
  if (problems.length === 0) {
    console.log(`${path}: cabi_realloc ok (size 0, alignment 1/2/4/8, growth, trap when exhausted, no WASI)`);
  } else {
    failed = true;
    console.log(`${path}: cabi_realloc FAILED`);
    for (const p of problems) console.log(`  ${p}`);
  }
}
process.exit(failed ? 1 : 0);
