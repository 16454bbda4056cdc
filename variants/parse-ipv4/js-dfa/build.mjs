// Build helper run by build.sh (not part of the component). Usage:
//   node build.mjs STAGE OUT
// STAGE is a fixed, freshly emptied folder holding src/parse_ipv4.js, src/world.wit and
// det_wasi_shim.so; build.sh holds a lock on it. OUT is the component to write.
//
// componentize-js 0.23.0 has no option for reproducible output. Four things vary from
// build to build, and each is pinned here:
//  1. Its work folder is os.tmpdir()/<sha256(Math.random())[:12]>/, and the path of the
//     generated initializer.js in it ends up in the engine snapshot (runtime arguments).
//     -> TMPDIR is STAGE/tmp and Math.random is constant while componentize() runs.
//  2. The folder of the source file goes into the snapshot too (--strip-path-prefix).
//     -> the source is compiled from the fixed STAGE/src, never from the checkout.
//  3. wizer (the snapshotter) gives the engine real randomness and real clocks.
//     -> wizer runs with LD_PRELOAD=det_wasi_shim.so (see det_wasi_shim.c).
//  4. With the `clocks` feature disabled, the WASI stub of clock_time_get returns the
//     wall-clock time of the build (spidermonkey-embedding-splicer stub_wasi.rs,
//     SystemTime::now(), which reaches Date.now() through preview2-shim).
//     -> Date.now is constant (0) while componentize() runs.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [stage, out] = process.argv.slice(2);
const tools = process.env.NVX_TOOLS;
const world = process.env.NVX_WORLD;
if (!stage || !out || !tools || !world) {
  console.error('usage: NVX_TOOLS=... NVX_WORLD=... node build.mjs STAGE OUT');
  process.exit(2);
}

const cjs = join(tools, 'node_modules/@bytecodealliance/componentize-js/src/componentize.js');
const { componentize, version } = await import(pathToFileURL(cjs).href);
if (version !== '0.23.0') {
  console.error(`componentize-js ${version} found, 0.23.0 required`);
  process.exit(1);
}

process.env.TMPDIR = join(stage, 'tmp');
process.chdir(join(stage, 'src'));

const realRandom = Math.random;
const realNow = Date.now;
Math.random = () => 0.5;
Date.now = () => 0;
let result;
try {
  result = await componentize({
    sourcePath: join(stage, 'src', 'parse_ipv4.js'),
    witPath: join(stage, 'src', 'world.wit'),
    worldName: world,
    // The standard build: every WASI feature stays in place (the host provides a
    // deterministic WASI), nothing is stubbed.
    disableFeatures: [],
    // Only these variables reach wizer (and, through --inherit-env, the snapshot).
    env: { LD_PRELOAD: join(stage, 'det_wasi_shim.so') },
  });
} finally {
  Math.random = realRandom;
  Date.now = realNow;
}
await writeFile(out, result.component);
