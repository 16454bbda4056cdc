// The Node side of nvx's `v8` engine: runs one variant, transpiled by jco, in V8.
//
//   node host.mjs transpile JCO_API IN.wasm OUT_DIR   jco's output into OUT_DIR
//   node host.mjs serve                               answers calls on stdin/stdout
//
// `serve` reads frames (a little-endian u32 length, then that many bytes of
// JSON) and answers each with one frame. The first frame sets the variant up:
//   {"op":"init","dir":D,"funcs":[{"name","iface","func","params":[T],"result":T}],
//    "output_cap":BYTES,"reuse":BOOL}
// and every later one is a call, {"op":"call","func":INDEX,"args":[V]}, or a
// batch of calls sent ahead, {"op":"batch","calls":[CALL]}, answered one frame
// per call, in order, each as soon as it is done.
// Values travel in nvx's wire form (see mod.rs): 64-bit integers as decimal
// strings, floats as their bits, bytes as hex, so nothing is lost in JSON.
//
// Every call gets a fresh instance of the component (jco's `instantiate`) and a
// fresh deterministic WASI context, the same profile wasmtime gives a variant:
// no files, environment, arguments or network, an empty stdin, a fixed wall
// clock, a virtual monotonic clock, SplitMix64 random streams with fixed seeds,
// stdout and stderr captured up to `output_cap` bytes each.

import { readFileSync, writeFileSync, mkdirSync, readSync, writeSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

// ---------------------------------------------------------------- constants
// These mirror src/engine/wasi.rs; the engine tests compare both runtimes.
const WALL_CLOCK_SECONDS = 946684800n;
const MONOTONIC_STEP_NS = 1000n;
const SECURE_RANDOM_SEED = 0x6e76785f73656375n;
const INSECURE_RANDOM_SEED = 0x6e76785f696e7365n;
const INSECURE_SEED_LO = 0x5f76616c75652121n;
const INSECURE_SEED_HI = 0x6e76785f73656564n;
const RANDOM_MAX_LEN = 64n << 20n;
const MASK64 = (1n << 64n) - 1n;

// ---------------------------------------------------------------- transpile
async function transpileMain(api, input, out) {
  const { transpile } = await import(pathToFileURL(api).href);
  const bytes = readFileSync(input);
  const r = await transpile(bytes, {
    name: 'component',
    instantiation: 'sync',
    noTypescript: true,
    nodejsCompat: false,
    tlaCompat: false,
    base64Cutoff: 0,
    quiet: true,
  });
  mkdirSync(out, { recursive: true });
  const files = [];
  for (const [name, data] of Object.entries(r.files)) {
    if (!name.endsWith('.js') && !name.endsWith('.wasm')) continue;
    mkdirSync(dirname(join(out, name)), { recursive: true });
    writeFileSync(join(out, name), data);
    files.push(name);
  }
  process.stdout.write(JSON.stringify({ files, exports: r.exports }));
}

// ---------------------------------------------------------------- WASI profile
class NvxExit extends Error {
  constructor(code) {
    super(`exit(${code})`);
    this.code = code;
  }
}

/// A trap raised by the host, as wasmtime-wasi raises one (a host error that is
/// not a WASI error value).
class HostTrap extends Error {}

class SplitMix64 {
  constructor(seed) {
    this.s = seed;
  }
  nextU64() {
    this.s = (this.s + 0x9e3779b97f4a7c15n) & MASK64;
    let z = this.s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  }
  // wasmtime-wasi draws each byte of get-random-bytes as a u32 (the high half of
  // a u64 here) truncated to its low byte.
  bytes(len) {
    if (len > RANDOM_MAX_LEN) throw new HostTrap(`requested len ${len} exceeds limit ${RANDOM_MAX_LEN}`);
    const out = new Uint8Array(Number(len));
    for (let i = 0; i < out.length; i++) out[i] = Number((this.nextU64() >> 32n) & 0xffn);
    return out;
  }
}

class Capture {
  constructor(cap) {
    this.cap = cap;
    this.chunks = [];
    this.kept = 0;
    this.dropped = 0;
  }
  push(bytes) {
    const room = Math.max(0, this.cap - this.kept);
    const keep = Math.min(room, bytes.length);
    if (keep > 0) {
      this.chunks.push(Uint8Array.from(bytes.subarray(0, keep)));
      this.kept += keep;
    }
    this.dropped += bytes.length - keep;
  }
  take() {
    return { bytes: Buffer.concat(this.chunks).toString('hex'), dropped: this.dropped };
  }
}

/// The WASI state of one call.
let cx = null;

function freshContext(outputCap) {
  return {
    clock: 0n,
    secure: new SplitMix64(SECURE_RANDOM_SEED),
    insecure: new SplitMix64(INSECURE_RANDOM_SEED),
    stdout: new Capture(outputCap),
    stderr: new Capture(outputCap),
  };
}

const u64 = (x) => BigInt.asUintN(64, BigInt(x));

class Pollable {
  ready() {
    return true;
  }
  block() {}
}
class IoError {
  toDebugString() {
    return 'error';
  }
}
class InputStream {
  read(_len) {
    throw { tag: 'closed' };
  }
  blockingRead(_len) {
    throw { tag: 'closed' };
  }
  skip(_len) {
    throw { tag: 'closed' };
  }
  blockingSkip(_len) {
    throw { tag: 'closed' };
  }
  subscribe() {
    return new Pollable();
  }
}
class OutputStream {
  constructor(which) {
    this.which = which;
  }
  sink() {
    return this.which === 'stdout' ? cx.stdout : cx.stderr;
  }
  checkWrite() {
    return 65536n;
  }
  write(bytes) {
    this.sink().push(bytes);
  }
  blockingWriteAndFlush(bytes) {
    if (bytes.length > 4096) throw new HostTrap('Buffer too large for blocking-write-and-flush (expected at most 4096)');
    this.sink().push(bytes);
  }
  flush() {}
  blockingFlush() {}
  subscribe() {
    return new Pollable();
  }
  writeZeroes(len) {
    this.sink().push(new Uint8Array(Number(len)));
  }
  blockingWriteZeroesAndFlush(len) {
    if (len > 4096n) throw new HostTrap('Buffer too large for blocking-write-zeroes-and-flush (expected at most 4096)');
    this.sink().push(new Uint8Array(Number(len)));
  }
  splice(_src, _len) {
    throw { tag: 'closed' };
  }
  blockingSplice(_src, _len) {
    throw { tag: 'closed' };
  }
}
class TerminalInput {}
class TerminalOutput {}
class Descriptor {}
class DirectoryEntryStream {}
class Network {}
class ResolveAddressStream {}
class TcpSocket {}
class UdpSocket {}
class IncomingDatagramStream {}
class OutgoingDatagramStream {}

/// What a function of the profile that nvx never lets a variant reach does if a
/// guest calls it anyway: a trap naming it.
function unreachableHost(name) {
  return () => {
    throw new HostTrap(`nvx's WASI profile has no ${name} to give`);
  };
}

/// Minimal wasi:http: a request can be built, and its response is refused.
class Fields {
  static fromList(_entries) {
    return new Fields();
  }
  get(_name) {
    return [];
  }
  has(_name) {
    return false;
  }
  set(_name, _values) {}
  delete(_name) {}
  append(_name, _value) {}
  entries() {
    return [];
  }
  clone() {
    return new Fields();
  }
}
class OutgoingRequest {
  constructor(headers) {
    this.headers_ = headers;
    this.method_ = { tag: 'get' };
    this.path_ = undefined;
    this.scheme_ = undefined;
    this.authority_ = undefined;
  }
  body() {
    return new OutgoingBody();
  }
  method() {
    return this.method_;
  }
  setMethod(m) {
    this.method_ = m;
  }
  pathWithQuery() {
    return this.path_;
  }
  setPathWithQuery(p) {
    this.path_ = p;
  }
  scheme() {
    return this.scheme_;
  }
  setScheme(s) {
    this.scheme_ = s;
  }
  authority() {
    return this.authority_;
  }
  setAuthority(a) {
    this.authority_ = a;
  }
  headers() {
    return this.headers_;
  }
}
class OutgoingBody {
  write() {
    return new OutputStream('none');
  }
  static finish(_body, _trailers) {}
}
class RequestOptions {
  connectTimeout() {
    return undefined;
  }
  setConnectTimeout(_d) {}
  firstByteTimeout() {
    return undefined;
  }
  setFirstByteTimeout(_d) {}
  betweenBytesTimeout() {
    return undefined;
  }
  setBetweenBytesTimeout(_d) {}
}
/// What `handle` gives, as wasmtime-wasi-http does: a response future that is
/// ready at once with `HTTP-request-denied`, taken once.
class FutureIncomingResponse {
  constructor() {
    this.taken = false;
  }
  subscribe() {
    return new Pollable();
  }
  get() {
    if (this.taken) return { tag: 'err', val: undefined };
    this.taken = true;
    return { tag: 'ok', val: { tag: 'err', val: { tag: 'HTTP-request-denied' } } };
  }
}
class IncomingResponse {}
class IncomingBody {}
class FutureTrailers {}
class IncomingRequest {}
class OutgoingResponse {}
class ResponseOutparam {}

const STDOUT = new OutputStream('stdout');
const STDERR = new OutputStream('stderr');

const PROFILE = {
  'wasi:cli/environment': {
    getEnvironment: () => [],
    getArguments: () => [],
    initialCwd: () => undefined,
  },
  'wasi:cli/exit': {
    exit: (status) => {
      throw new NvxExit(status.tag === 'ok' ? 0 : 1);
    },
    exitWithCode: (code) => {
      throw new NvxExit(code);
    },
  },
  'wasi:cli/stdin': { getStdin: () => new InputStream() },
  'wasi:cli/stdout': { getStdout: () => STDOUT },
  'wasi:cli/stderr': { getStderr: () => STDERR },
  'wasi:cli/terminal-input': { TerminalInput },
  'wasi:cli/terminal-output': { TerminalOutput },
  'wasi:cli/terminal-stdin': { getTerminalStdin: () => undefined },
  'wasi:cli/terminal-stdout': { getTerminalStdout: () => undefined },
  'wasi:cli/terminal-stderr': { getTerminalStderr: () => undefined },
  'wasi:clocks/monotonic-clock': {
    now: () => {
      cx.clock = u64(cx.clock + MONOTONIC_STEP_NS);
      return cx.clock;
    },
    resolution: () => MONOTONIC_STEP_NS,
    subscribeDuration: (d) => {
      const t = cx.clock + u64(d);
      cx.clock = t > MASK64 ? MASK64 : t;
      return new Pollable();
    },
    subscribeInstant: (t) => {
      if (u64(t) > cx.clock) cx.clock = u64(t);
      return new Pollable();
    },
  },
  'wasi:clocks/wall-clock': {
    now: () => ({ seconds: WALL_CLOCK_SECONDS, nanoseconds: 0 }),
    resolution: () => ({ seconds: 0n, nanoseconds: Number(MONOTONIC_STEP_NS) }),
  },
  'wasi:filesystem/types': {
    Descriptor,
    DirectoryEntryStream,
    filesystemErrorCode: (_e) => undefined,
  },
  'wasi:filesystem/preopens': { getDirectories: () => [] },
  'wasi:io/error': { Error: IoError },
  'wasi:io/poll': {
    Pollable,
    poll: (list) => Uint32Array.from(list.map((_, i) => i)),
  },
  'wasi:io/streams': { InputStream, OutputStream },
  'wasi:random/random': {
    getRandomBytes: (len) => cx.secure.bytes(u64(len)),
    getRandomU64: () => cx.secure.nextU64(),
  },
  'wasi:random/insecure': {
    getInsecureRandomBytes: (len) => cx.insecure.bytes(u64(len)),
    getInsecureRandomU64: () => cx.insecure.nextU64(),
  },
  'wasi:random/insecure-seed': { insecureSeed: () => [INSECURE_SEED_LO, INSECURE_SEED_HI] },
  'wasi:sockets/network': { Network },
  'wasi:sockets/instance-network': { instanceNetwork: () => new Network() },
  'wasi:sockets/ip-name-lookup': {
    ResolveAddressStream,
    // wasmtime-wasi refuses a lookup it does not allow as a permanent failure.
    resolveAddresses: () => {
      throw 'permanent-resolver-failure';
    },
  },
  'wasi:sockets/tcp': { TcpSocket },
  'wasi:sockets/tcp-create-socket': {
    createTcpSocket: () => {
      throw 'access-denied';
    },
  },
  'wasi:sockets/udp': { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
  'wasi:sockets/udp-create-socket': {
    createUdpSocket: () => {
      throw 'access-denied';
    },
  },
  'wasi:http/types': {
    Fields,
    OutgoingRequest,
    OutgoingBody,
    RequestOptions,
    FutureIncomingResponse,
    IncomingResponse,
    IncomingBody,
    FutureTrailers,
    IncomingRequest,
    OutgoingResponse,
    ResponseOutparam,
    httpErrorCode: (_e) => undefined,
  },
  'wasi:http/outgoing-handler': {
    // The request is refused when its response is asked for, not when it is sent.
    handle: () => new FutureIncomingResponse(),
  },
};

/// The profile as jco's glue reads it, by interface name without a version;
/// a name outside the profile (refused when loading) traps if reached.
const IMPORTS = new Proxy(PROFILE, {
  get(target, name) {
    if (name in target) return target[name];
    return new Proxy({}, { get: (_t, f) => unreachableHost(`${String(name)}#${String(f)}`) });
  },
});

// ---------------------------------------------------------------- values
const camel = (s) => s.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

const f64 = new DataView(new ArrayBuffer(8));

/// nvx's wire form of a value of type `t` into what jco's glue takes.
function toJs(t, v) {
  if (typeof t === 'string') {
    switch (t) {
      case 'bool':
      case 's8':
      case 'u8':
      case 's16':
      case 'u16':
      case 's32':
      case 'u32':
      case 'char':
      case 'string':
        return v;
      case 's64':
      case 'u64':
        return BigInt(v);
      case 'f32':
        f64.setUint32(0, v);
        return f64.getFloat32(0);
      case 'f64':
        f64.setBigUint64(0, BigInt(v));
        return f64.getFloat64(0);
      case 'bytes':
        return new Uint8Array(Buffer.from(v, 'hex'));
    }
  }
  switch (t.k) {
    case 'list':
      return v.map((x) => toJs(t.t, x));
    case 'tuple':
      return v.map((x, i) => toJs(t.t[i], x));
    case 'record': {
      const o = {};
      t.f.forEach(([name, ft], i) => (o[camel(name)] = toJs(ft, v[i])));
      return o;
    }
    case 'variant': {
      const [name, pt] = t.c[v.c];
      return pt === null ? { tag: name } : { tag: name, val: toJs(pt, v.v) };
    }
    case 'enum':
      return t.c[v];
    case 'flags': {
      const o = {};
      t.c.forEach((name) => (o[camel(name)] = false));
      v.forEach((i) => (o[camel(t.c[i])] = true));
      return o;
    }
    case 'option':
      if (nestedOption(t)) return v === null ? { tag: 'none' } : { tag: 'some', val: toJs(t.t, v[0]) };
      return v === null ? undefined : toJs(t.t, v[0]);
    case 'result':
      if ('ok' in v) return { tag: 'ok', val: t.ok === null ? undefined : toJs(t.ok, v.ok) };
      return { tag: 'err', val: t.err === null ? undefined : toJs(t.err, v.err) };
  }
  throw new TypeError(`nvx: unknown type ${JSON.stringify(t)}`);
}

const nestedOption = (t) => typeof t.t === 'object' && t.t.k === 'option';

/// What jco's glue returned, as a value of type `t` in nvx's wire form, and the
/// size nvx charges against `output-kib` (Value::size_hint).
function fromJs(t, v) {
  if (typeof t === 'string') {
    switch (t) {
      case 'bool':
        return [Boolean(v), 8];
      case 's8':
      case 'u8':
      case 's16':
      case 'u16':
      case 's32':
      case 'u32':
        return [Number(v), 8];
      case 's64':
      case 'u64':
        return [BigInt(v).toString(), 8];
      case 'f32':
        f64.setFloat32(0, v);
        return [f64.getUint32(0), 8];
      case 'f64':
        f64.setFloat64(0, v);
        return [f64.getBigUint64(0).toString(), 8];
      case 'char':
        return [String(v), 8];
      case 'string':
        return [String(v), Buffer.byteLength(v, 'utf8')];
      case 'bytes': {
        const b = Buffer.from(v.buffer ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : Uint8Array.from(v));
        return [b.toString('hex'), b.length];
      }
    }
  }
  switch (t.k) {
    case 'list':
    case 'tuple': {
      let size = 1;
      const out = Array.from(v, (x, i) => {
        const [w, s] = fromJs(t.k === 'list' ? t.t : t.t[i], x);
        size += s;
        return w;
      });
      return [out, size];
    }
    case 'record': {
      let size = 1;
      const out = t.f.map(([name, ft]) => {
        const [w, s] = fromJs(ft, v[camel(name)]);
        size += s;
        return w;
      });
      return [out, size];
    }
    case 'variant': {
      const c = t.c.findIndex(([name]) => name === v.tag);
      if (c < 0) throw new TypeError(`nvx: unknown variant case ${v.tag}`);
      const pt = t.c[c][1];
      if (pt === null) return [{ c, v: null }, 8];
      const [w, s] = fromJs(pt, v.val);
      return [{ c, v: w }, s + 1];
    }
    case 'enum': {
      const c = t.c.indexOf(v);
      if (c < 0) throw new TypeError(`nvx: unknown enum case ${v}`);
      return [c, 8];
    }
    case 'flags': {
      const set = [];
      t.c.forEach((name, i) => v[camel(name)] && set.push(i));
      return [set, set.length + 1];
    }
    case 'option': {
      if (nestedOption(t)) {
        if (v.tag === 'none') return [null, 8];
        const [w, s] = fromJs(t.t, v.val);
        return [[w], s + 1];
      }
      if (v === undefined || v === null) return [null, 8];
      const [w, s] = fromJs(t.t, v);
      return [[w], s + 1];
    }
    case 'result': {
      const side = v.tag === 'ok' ? 'ok' : 'err';
      if (t[side] === null) return [{ [side]: null }, 8];
      const [w, s] = fromJs(t[side], v.val);
      return [{ [side]: w }, s + 1];
    }
  }
  throw new TypeError(`nvx: unknown type ${JSON.stringify(t)}`);
}

// ---------------------------------------------------------------- calls
let variant = null;

function init(msg) {
  const dir = msg.dir;
  const modules = new Map();
  const getCoreModule = (name) => {
    let m = modules.get(name);
    if (!m) {
      m = new WebAssembly.Module(readFileSync(join(dir, name)));
      modules.set(name, m);
    }
    return m;
  };
  variant = {
    glue: null,
    getCoreModule,
    funcs: msg.funcs,
    outputCap: msg.output_cap,
    reuse: msg.reuse,
    kept: null,
    next: null,
    denied: [],
  };
  return import(pathToFileURL(join(dir, 'component.js')).href).then((glue) => {
    variant.glue = glue;
  });
}

/// Instantiates the core modules jco's glue asks for, keeping each one's
/// `nvx:denied` global: set when its memory.grow was refused at `memory-mib`.
function instantiateCore(module, importObject) {
  const instance = new WebAssembly.Instance(module, importObject);
  const denied = instance.exports['nvx:denied'];
  if (denied instanceof WebAssembly.Global) variant.denied.push(denied);
  return instance;
}

function exportedFunction(instance, f) {
  let scope = instance;
  if (f.iface) {
    const short = f.iface.replace(/@.*$/, '').replace(/^.*\//, '');
    scope = instance[f.iface] ?? instance[f.iface.replace(/@.*$/, '')] ?? instance[camel(short)] ?? instance[short];
    if (!scope) throw new TypeError(`nvx: the component exports no interface ${f.iface}`);
  }
  const fn = scope[camel(f.func)] ?? scope[f.func];
  if (typeof fn !== 'function') throw new TypeError(`nvx: the component exports no function ${f.func}`);
  return fn;
}

const memoryDenied = () => variant.denied.some((g) => g.value !== 0);

/// The outcome of a thrown error, in nvx's wire form.
function failure(e) {
  if (e instanceof NvxExit) return { exited: e.code };
  if (memoryDenied()) return { exhausted: 'memory' };
  if (e instanceof RangeError && /call stack/i.test(e.message)) return { exhausted: 'stack' };
  if (e instanceof WebAssembly.RuntimeError) {
    if (/call stack exhausted/.test(e.message)) return { exhausted: 'stack' };
    return { trap: e.message };
  }
  if (e instanceof HostTrap) return { host: e.message };
  const message = e instanceof Error ? `${e.name}: ${e.message}` : `thrown: ${String(e)}`;
  return { abi: message };
}

/// A fresh instance with its own fresh WASI context, or how making one failed.
/// The worker makes the next call's instance as soon as it has answered a call,
/// so instantiating is off the call path; what the instance sees is the same
/// either way (its WASI context is its own, and deterministic).
function fresh() {
  const made = { cx: freshContext(variant.outputCap), denied: [], instance: null, failed: null, served: 0 };
  cx = made.cx;
  variant.denied = made.denied;
  try {
    made.instance = variant.glue.instantiate(variant.getCoreModule, IMPORTS, instantiateCore);
  } catch (e) {
    const o = failure(e);
    made.failed = o.trap || o.abi || o.host ? { instantiation: o.trap ?? o.abi ?? o.host } : o;
  }
  return made;
}

function call(msg) {
  const f = variant.funcs[msg.func];
  const made = variant.kept ?? variant.next ?? fresh();
  variant.kept = null;
  variant.next = null;
  cx = made.cx;
  variant.denied = made.denied;
  if (made.failed) return reply(made.failed);
  let outcome;
  try {
    const fn = exportedFunction(made.instance, f);
    const args = msg.args.map((a, i) => toJs(f.params[i], a));
    const topResult = f.result !== null && f.result.k === 'result';
    let ret;
    try {
      ret = fn(...args);
      // jco unwraps a top-level `result`: its `ok` is returned ...
      if (topResult) ret = { tag: 'ok', val: ret };
    } catch (e) {
      // ... and its `err` thrown as a ComponentError carrying the payload.
      if (topResult && e && Object.prototype.hasOwnProperty.call(e, 'payload')) {
        ret = { tag: 'err', val: e.payload };
      } else {
        throw e;
      }
    }
    if (f.result === null) {
      outcome = { returned: null, size: 0 };
    } else {
      const [w, size] = fromJs(f.result, ret);
      outcome = size > variant.outputCap ? { exhausted: 'output' } : { returned: w, size };
    }
    // With `isolation = "reuse"`, an instance whose call returned serves the
    // next (up to 256 calls), with a fresh WASI context each time.
    made.served += 1;
    if (variant.reuse && made.served < 256) {
      variant.kept = { ...made, cx: freshContext(variant.outputCap) };
    }
  } catch (e) {
    outcome = failure(e);
  }
  return reply(outcome);
}

function reply(outcome) {
  const stdout = cx.stdout.take();
  const stderr = cx.stderr.take();
  return { outcome, stdout: stdout.bytes, stdout_dropped: stdout.dropped, stderr: stderr.bytes, stderr_dropped: stderr.dropped };
}

// ---------------------------------------------------------------- framing
function readExactly(n) {
  const buf = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    let k;
    try {
      k = readSync(0, buf, got, n - got, null);
    } catch (e) {
      if (e.code === 'EAGAIN') continue;
      if (e.code === 'EOF') return null;
      throw e;
    }
    if (k === 0) return null;
    got += k;
  }
  return buf;
}

function send(obj) {
  const body = Buffer.from(JSON.stringify(obj));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length);
  const all = Buffer.concat([head, body]);
  let off = 0;
  while (off < all.length) off += writeSync(1, all, off);
}

async function serve() {
  for (;;) {
    const head = readExactly(4);
    if (!head) return;
    const body = readExactly(head.readUInt32LE(0));
    if (!body) return;
    const msg = JSON.parse(body.toString());
    if (msg.op === 'init') {
      try {
        await init(msg);
        send({ ok: true });
      } catch (e) {
        send({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      }
    } else if (msg.op === 'batch') {
      for (const c of msg.calls) {
        send(call(c));
        if (!variant.kept && !variant.next) variant.next = fresh();
      }
    } else {
      send(call(msg));
      if (!variant.kept && !variant.next) variant.next = fresh();
    }
  }
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'transpile') {
  await transpileMain(...rest);
} else if (mode === 'serve') {
  await serve();
} else {
  process.stderr.write('usage: host.mjs transpile JCO_API IN OUT | serve\n');
  process.exit(2);
}
