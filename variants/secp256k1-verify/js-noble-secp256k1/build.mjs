// Run by build.sh, not part of the component:
//   NVX_TOOLS=... NVX_WORLD=... node build.mjs STAGE OUT
// STAGE is the fixed staging folder that build.sh has emptied and locked; it holds
// src/secp256k1_verify.js (the esbuild bundle of the wrapper and the two @noble
// packages), src/world.wit and det_wasi_shim.so. OUT is the component to write.
//
// componentize-js 0.23.0 has no reproducible-build switch. What varies from build to
// build, and how it is held still here:
//  - its work folder is os.tmpdir()/<hex of sha256(Math.random())>/, and the path of
//    the initializer script it writes there is stored in the snapshot
//    -> TMPDIR is STAGE/tmp and Math.random is constant while it runs;
//  - the folder of the source is stored as well (the --strip-path-prefix it passes)
//    -> the source is always STAGE/src/secp256k1_verify.js, compiled from STAGE/src;
//  - wizer passes the host's random bytes and clocks to the engine it initialises
//    -> wizer runs with det_wasi_shim.so preloaded (see that file);
//  - Date.now can reach the build through preview2-shim's clocks
//    -> Date.now is constant while it runs.
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

const entry = join(tools, 'node_modules/@bytecodealliance/componentize-js/src/componentize.js');
const { componentize, version } = await import(pathToFileURL(entry).href);
if (version !== '0.23.0') {
  console.error(`componentize-js ${version} found where 0.23.0 is required`);
  process.exit(1);
}

process.env.TMPDIR = join(stage, 'tmp');
process.chdir(join(stage, 'src'));

const saved = { random: Math.random, now: Date.now };
Math.random = () => 0.5;
Date.now = () => 0;
let built;
try {
  built = await componentize({
    sourcePath: join(stage, 'src', 'secp256k1_verify.js'),
    witPath: join(stage, 'src', 'world.wit'),
    worldName: world,
    // The default feature set of a plain componentize-js build; the wrapper uses
    // none of WASI (noble's randomBytes is only reached by key generation).
    disableFeatures: [],
    // The only environment wizer sees (and, through --inherit-env, the snapshot).
    env: { LD_PRELOAD: join(stage, 'det_wasi_shim.so') },
  });
} finally {
  Math.random = saved.random;
  Date.now = saved.now;
}
await writeFile(out, built.component);
