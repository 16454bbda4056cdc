// Run by build.sh, not part of the component:
//   NVX_TOOLS=... NVX_WORLD=... node build.mjs STAGE OUT
// STAGE is the fixed, freshly emptied staging folder (src/json_parse.js, src/world.wit,
// det_wasi_shim.so), locked by build.sh; OUT is the component to write.
//
// componentize-js 0.23.0 offers no reproducible-build switch. What would change from
// one build to the next, and how it is held still here:
//  - It works in os.tmpdir()/<12 hex digits of sha256(Math.random())>/, and the path
//    of the initializer script generated there is stored in the snapshot.
//    -> TMPDIR is STAGE/tmp, and Math.random returns a constant during the build.
//  - The source's folder is stored too (it is what --strip-path-prefix strips).
//    -> the source is always compiled from STAGE/src, the working folder.
//  - wizer lets the engine read real random bytes and real clocks while it
//    initialises. -> wizer runs with det_wasi_shim.so preloaded (see that file).
//  - A time stamp can reach the build through Date.now (a stubbed WASI clock reads the
//    host clock via preview2-shim). -> Date.now returns a constant during the build.
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
Math.random = () => 0.25;
Date.now = () => 0;
let built;
try {
  built = await componentize({
    sourcePath: join(stage, 'src', 'json_parse.js'),
    witPath: join(stage, 'src', 'world.wit'),
    worldName: world,
    // Every WASI feature is kept, as a plain componentize-js build keeps them; the
    // host's WASI is deterministic and the wrapper calls none of it.
    disableFeatures: [],
    // The only variables that reach wizer, and through --inherit-env the snapshot.
    env: { LD_PRELOAD: join(stage, 'det_wasi_shim.so') },
  });
} finally {
  Math.random = saved.random;
  Date.now = saved.now;
}
await writeFile(out, built.component);
