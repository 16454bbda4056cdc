//! The `v8` engine: a second, independent runtime. Components are transpiled by
//! jco (its own canonical ABI, in JavaScript) and run by V8 in Node.js worker
//! processes, with the same deterministic WASI profile and limits as wasmtime.
//!
//! - **Transpiling.** jco [`JCO_VERSION`], found at `$NVX_JCO` or in nvx's cache
//!   folder, turns a component into JavaScript glue plus core modules. The output
//!   is cached under the module's SHA-256 and the jco version, in one file whose
//!   SHA-256 is checked on every load (the trust model of the compile cache).
//! - **Workers.** Each loaded variant owns long-lived `node host.mjs serve`
//!   processes (started on first use, one per concurrent caller) that answer
//!   framed calls on their stdin and stdout. Values cross in a lossless wire form:
//!   64-bit integers as decimal text, floats as their bits, bytes as hex. A
//!   campaign worker's batch of inputs goes to one worker in a single frame
//!   ([`ahead`]), which runs it while the other engines work.
//! - **Fresh state.** Every call instantiates the component afresh, with a fresh
//!   WASI context; `isolation = "reuse"` keeps an instance as on wasmtime.
//! - **Limits.** The deadline is the parent's: a call still running at
//!   `timeout-ms` has its process killed. `memory-mib` is enforced by rewriting
//!   `memory.grow` ([`grow`]) and, as a backstop, V8's `--wasm-max-mem-pages`;
//!   `stack-kib` is V8's `--stack-size`; `output-kib` caps results and captured
//!   output. A worker that dies costs the call it held, nothing else.

mod ahead;
mod cache;
mod grow;
mod wire;
mod worker;

use ahead::Ahead;
use cache::transpiled;
use wire::{from_wire, hex_decode, to_wire, wire_type};
use worker::{Lost, NodeWorker, Start};

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{Value as Json, json};

use crate::backend::{Backend, Prepared};
use crate::error::{Error, Result};
use crate::manifest::{Isolation, Limits, VariantEntry};
use crate::outcome::{Outcome, Resource, Run};
use crate::value::Value;
use crate::wasi;
use crate::wit::FuncSig;

/// The jco release that transpiles components for V8 (locked in `scripts/v8/`).
pub const JCO_VERSION: &str = "1.35.0";
/// The oldest Node.js major release the engine runs on.
pub const MIN_NODE_MAJOR: u32 = 20;
/// The Node side of the engine.
const HOST_JS: &str = include_str!("host.mjs");
/// How long a new worker may take to start and load its variant (V8 compiles
/// the core modules then; an 18 MB Python component takes seconds).
const START_TIMEOUT: Duration = Duration::from_secs(120);
/// Stack V8 needs beyond `stack-kib` for the JavaScript frames around a call.
const JS_STACK_MARGIN_KIB: u64 = 256;
/// Format tag at the start of every transpile cache entry.
const MAGIC: &[u8; 8] = b"NVXJCO01";

/// The `v8` engine, as the registry holds it.
#[derive(Debug)]
pub struct V8Engine;

/// The one [`V8Engine`].
pub static V8: V8Engine = V8Engine;

/// Node and jco as found on this machine.
#[derive(Debug, Clone)]
struct Toolchain {
    node: OsString,
    node_version: String,
    v8_version: String,
    jco_api: PathBuf,
    /// Flags that turn on, in this V8, WebAssembly features wasmtime has on by
    /// default (where this V8 still has them behind a flag).
    features: Vec<&'static str>,
}

/// Standard WebAssembly features that wasmtime 48 enables and older V8 releases
/// keep behind a flag: extended constant expressions and tail calls.
const FEATURE_FLAGS: &[&str] = &[
    "--experimental-wasm-extended-const",
    "--experimental-wasm-return-call",
];

fn toolchain() -> &'static std::result::Result<Toolchain, String> {
    static FOUND: OnceLock<std::result::Result<Toolchain, String>> = OnceLock::new();
    FOUND.get_or_init(find_toolchain)
}

/// Where nvx looks for jco: `$NVX_JCO`, else the cache folder's `v8-tools`, else
/// the `target/v8-tools` of the checkout nvx was built from.
fn jco_homes() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(p) = std::env::var_os("NVX_JCO") {
        out.push(PathBuf::from(p));
        return out;
    }
    if let Some(dir) = crate::cache::cache_dir() {
        out.push(dir.join("v8-tools"));
    }
    out.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/v8-tools"));
    out
}

fn install_hint() -> String {
    let home = jco_homes()
        .into_iter()
        .next()
        .unwrap_or_else(|| PathBuf::from("v8-tools"));
    format!(
        "install Node.js {MIN_NODE_MAJOR} or later (Debian: `apt-get install nodejs`; or set NVX_NODE to its binary) and jco {JCO_VERSION} (`npm install --prefix {} @bytecodealliance/jco@{JCO_VERSION}`, or set NVX_JCO to a folder holding node_modules/@bytecodealliance/jco)",
        home.display()
    )
}

fn find_toolchain() -> std::result::Result<Toolchain, String> {
    let node = std::env::var_os("NVX_NODE").unwrap_or_else(|| "node".into());
    let out = Command::new(&node)
        .args(["-p", "process.versions.node + ' ' + process.versions.v8"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(|e| {
            format!(
                "it needs Node.js, and `{}` cannot be run ({e}); {}",
                node.to_string_lossy(),
                install_hint()
            )
        })?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let (node_version, v8_version) = text.split_once(' ').unwrap_or((&text, ""));
    let major: u32 = node_version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if !out.status.success() || major < MIN_NODE_MAJOR {
        return Err(format!(
            "it needs Node.js {MIN_NODE_MAJOR} or later, and `{}` is {}; {}",
            node.to_string_lossy(),
            if node_version.is_empty() {
                "not Node.js"
            } else {
                node_version
            },
            install_hint()
        ));
    }
    let mut seen = Vec::new();
    for home in jco_homes() {
        for pkg in [
            home.join("node_modules/@bytecodealliance/jco"),
            home.clone(),
        ] {
            let Ok(text) = std::fs::read_to_string(pkg.join("package.json")) else {
                continue;
            };
            let Ok(meta) = serde_json::from_str::<Json>(&text) else {
                continue;
            };
            if meta["name"] != "@bytecodealliance/jco" {
                continue;
            }
            let version = meta["version"].as_str().unwrap_or("?").to_string();
            if version != JCO_VERSION {
                seen.push(format!("{} holds jco {version}", pkg.display()));
                continue;
            }
            let options = Command::new(&node)
                .arg("--v8-options")
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                .unwrap_or_default();
            let features = FEATURE_FLAGS
                .iter()
                .copied()
                .filter(|f| options.contains(&format!("{f} ")))
                .collect();
            return Ok(Toolchain {
                features,
                node,
                node_version: node_version.to_string(),
                v8_version: v8_version.to_string(),
                jco_api: pkg.join("dist/api.js"),
            });
        }
    }
    let looked = if seen.is_empty() {
        format!(
            "it is in none of {}",
            jco_homes()
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        seen.join("; ")
    };
    Err(format!(
        "it needs jco {JCO_VERSION} to transpile components, and {looked}; {}",
        install_hint()
    ))
}

impl crate::engine::Engine for V8Engine {
    fn name(&self) -> &'static str {
        "v8"
    }

    fn version(&self) -> String {
        match toolchain() {
            Ok(t) => format!(
                "V8 {} in Node.js {}, components through jco {JCO_VERSION}",
                t.v8_version, t.node_version
            ),
            Err(_) => format!("V8 in Node.js, components through jco {JCO_VERSION}"),
        }
    }

    fn available(&self) -> std::result::Result<(), String> {
        toolchain().as_ref().map(|_| ()).map_err(Clone::clone)
    }

    fn load(
        &self,
        path: &Path,
        bytes: &[u8],
        entry: &VariantEntry,
        funcs: &[FuncSig],
        settings: &crate::engine::LoadSettings,
    ) -> Result<Arc<dyn Backend>> {
        load(path, bytes, entry, funcs, settings).map(|v| Arc::new(v) as Arc<dyn Backend>)
    }
}

/// One variant loaded for V8: its transpiled files in a private folder, and the
/// Node workers that run it.
pub struct V8Variant {
    entry: VariantEntry,
    sha256: String,
    funcs: Vec<FuncSig>,
    limits: Limits,
    reuse: bool,
    imports: Vec<String>,
    warnings: Vec<String>,
    init: Json,
    /// Workers waiting for a call (dropped, so killed, before the folder goes).
    idle: Mutex<Vec<NodeWorker>>,
    /// The worker running calls sent ahead, if any.
    ahead: Mutex<Option<Ahead>>,
    dir: Folder,
}

/// A private temporary folder, removed when dropped.
struct Folder(PathBuf);

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn load(
    path: &Path,
    bytes: &[u8],
    entry: &VariantEntry,
    funcs: &[FuncSig],
    settings: &crate::engine::LoadSettings,
) -> Result<V8Variant> {
    let tools = toolchain()
        .as_ref()
        .map_err(|why| Error::Usage(format!("engine `v8` cannot run here: {why}")))?;
    let actual = crate::engine::checked_sha256(path, bytes, entry)?;
    let invalid = |message: String| Error::InvalidModule {
        variant: entry.name.clone(),
        path: path.to_path_buf(),
        message,
    };
    let mismatch = |message: String| Error::WorldMismatch {
        variant: entry.name.clone(),
        path: path.to_path_buf(),
        message,
    };
    let binary = if entry.path.extension().is_some_and(|x| x == "wat") {
        wat::parse_bytes(bytes)
            .map_err(|e| invalid(format!("{e}")))?
            .into_owned()
    } else {
        bytes.to_vec()
    };
    if !binary.starts_with(b"\0asm") {
        return Err(invalid("does not start with the WebAssembly magic bytes `\\0asm` (a .wat text file must be named *.wat)".into()));
    }
    if crate::engine::is_core_module(&binary) {
        return Err(invalid(
            "is a core WebAssembly module, not a component; `nvx add` wraps a core module into a component".into(),
        ));
    }
    let imports = wasi::component_imports(&binary).map_err(&invalid)?;
    wasi::check_imports(&imports, settings.allow_wasi).map_err(&mismatch)?;
    let exports = crate::wit::component_exports(&binary).map_err(&invalid)?;
    for f in funcs {
        let Some(got) = exports.iter().find(|g| g.name == f.name) else {
            return Err(mismatch(format!(
                "does not export function `{}` ({})",
                f.name,
                f.signature()
            )));
        };
        if got.param_types() != f.param_types() || got.result != f.result {
            return Err(mismatch(format!(
                "function `{}` has the wrong type: the world says {}, the component exports {}",
                f.name,
                f.signature(),
                got.signature()
            )));
        }
    }
    let mut warnings = Vec::new();
    if settings.limits.fuel.is_some() {
        warnings.push(
            "`fuel` is not counted on the v8 engine (V8 has no fuel); only `timeout-ms` stops a runaway call there".to_string(),
        );
    }
    let files = transpiled(tools, &binary, &actual, &mut warnings)
        .map_err(|why| invalid(format!("jco {JCO_VERSION} cannot transpile it: {why}")))?;
    let dir = private_folder().map_err(|e| Error::Engine(format!("v8: {e}")))?;
    let cap_pages = settings.limits.memory_mib.saturating_mul(16).min(65_536);
    for (name, data) in &files {
        let target = dir.0.join(name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::Engine(format!("v8: {e}")))?;
        }
        let data = if name.ends_with(".wasm") {
            match grow::cap_memory_growth(data, cap_pages) {
                Ok(Some(capped)) => capped,
                Ok(None) => data.clone(),
                Err(why) => return Err(invalid(format!("a core module jco made ({name}): {why}"))),
            }
        } else {
            data.clone()
        };
        std::fs::write(&target, data).map_err(|e| Error::Engine(format!("v8: {e}")))?;
    }
    std::fs::write(dir.0.join("host.mjs"), HOST_JS)
        .map_err(|e| Error::Engine(format!("v8: {e}")))?;
    let wire_funcs: Vec<Json> = funcs
        .iter()
        .map(|f| {
            json!({
                "name": f.name,
                "iface": f.interface,
                "func": f.func,
                "params": f.params.iter().map(|(_, t)| wire_type(t)).collect::<Vec<_>>(),
                "result": f.result.as_ref().map(wire_type),
            })
        })
        .collect();
    let output_cap = settings.limits.output_bytes();
    let reuse = settings.isolation == Isolation::Reuse && imports.is_empty();
    let init = json!({
        "op": "init",
        "dir": dir.0,
        "funcs": wire_funcs,
        "output_cap": output_cap,
        "reuse": reuse,
    });
    Ok(V8Variant {
        entry: entry.clone(),
        sha256: actual,
        funcs: funcs.to_vec(),
        limits: settings.limits,
        reuse,
        imports,
        warnings: warnings
            .into_iter()
            .map(|w| format!("variant `{}`: {w}", entry.name))
            .collect(),
        dir,
        init,
        idle: Mutex::new(Vec::new()),
        ahead: Mutex::new(None),
    })
}

fn private_folder() -> std::io::Result<Folder> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static SWEPT: OnceLock<()> = OnceLock::new();
    SWEPT.get_or_init(sweep_stale_folders);
    let dir = std::env::temp_dir().join(format!(
        "nvx-v8-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(Folder(dir))
}

/// Removes the folders of nvx processes that ended without removing their own
/// (killed, or a campaign worker that ended on a dead Node worker).
fn sweep_stale_folders() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("nvx-v8-"))
            .and_then(|rest| rest.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        // Only where /proc tells which processes live.
        if cfg!(target_os = "linux")
            && pid != std::process::id()
            && !Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

// ------------------------------------------------------------------ calls

/// The frame of one call: the function's index and the arguments' wire form.
fn call_frame(index: usize, sig: &FuncSig, values: &[Value]) -> Json {
    let args: Vec<Json> = values
        .iter()
        .zip(&sig.params)
        .map(|(v, (_, t))| to_wire(v, t))
        .collect();
    json!({"op": "call", "func": index, "args": args})
}

impl V8Variant {
    fn call(
        &self,
        sig: &FuncSig,
        values: &[Value],
        control: Option<&crate::control::CallControl>,
    ) -> (Outcome, String, String, Duration) {
        let Some(index) = self.funcs.iter().position(|f| f.name == sig.name) else {
            return (
                Outcome::InstantiationFailed(format!("export `{}` missing", sig.name)),
                String::new(),
                String::new(),
                Duration::ZERO,
            );
        };
        let msg = call_frame(index, sig, values);
        let timeout = Duration::from_millis(self.limits.timeout_ms);
        if let Some(done) = self.claim(&msg, sig, control) {
            return done;
        }
        let nothing = |o: Outcome| (o, String::new(), String::new(), Duration::ZERO);
        let mut worker = match self.worker() {
            Ok(w) => w,
            Err(Start::Refused(why)) => return nothing(Outcome::InstantiationFailed(why)),
            Err(Start::Died(why)) => return self.lost(&why),
        };
        // The call's time starts when it is sent: starting a worker is not the
        // variant's time.
        let sent = Instant::now();
        let deadline = control
            .and_then(crate::control::CallControl::deadline)
            .map_or(sent + timeout, |d| d.min(sent + timeout));
        let answer = worker
            .send(&msg)
            .and_then(|()| worker.receive(deadline, control));
        match answer {
            Ok((arrived, reply)) => {
                let elapsed = arrived.saturating_duration_since(sent);
                let (outcome, stdout, stderr) = self.outcome(&reply, sig);
                if let Ok(mut idle) = self.idle.lock() {
                    idle.push(worker);
                }
                (outcome, stdout, stderr, elapsed)
            }
            Err(Lost::Stopped(outcome)) => {
                // The worker is killed (dropped) with the runaway call in it.
                let outcome = match (&outcome, control) {
                    (Outcome::TimedOut, Some(c)) if c.stopped() => Outcome::Cancelled,
                    _ => outcome,
                };
                (outcome, String::new(), String::new(), sent.elapsed())
            }
            Err(Lost::Died(why)) => self.lost(&why),
        }
    }

    /// An idle worker, or a new one. An idle worker that died (killed between
    /// calls) held no input: it is replaced before a call is sent.
    fn worker(&self) -> std::result::Result<NodeWorker, Start> {
        loop {
            let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
            match idle {
                Some(mut w) => {
                    if w.is_alive() {
                        return Ok(w);
                    }
                }
                None => return NodeWorker::start(self),
            }
        }
    }

    /// Sends `calls` ahead to the variant's ahead worker (started if need be).
    /// Calls this variant cannot make are left out with all after them; a worker
    /// that cannot be had sends nothing (the calls then run as usual).
    fn send_ahead(&self, calls: &[Prepared<'_>]) {
        let frames: Vec<Json> = calls
            .iter()
            .map_while(|p| {
                let index = self.funcs.iter().position(|f| f.name == p.sig().name)?;
                Some(call_frame(index, p.sig(), p.values()))
            })
            .collect();
        if frames.is_empty() {
            return;
        }
        let Ok(mut slot) = self.ahead.lock() else {
            return;
        };
        let mut ahead = match slot.take() {
            Some(a) => a,
            None => match self.worker() {
                Ok(w) => Ahead::new(w),
                Err(_) => return,
            },
        };
        if ahead.send(frames).is_ok() {
            *slot = Some(ahead);
        }
    }

    /// The call `msg`'s outcome if it was sent ahead and is next in line. Any
    /// other call drops what was sent ahead (`None`: run it as usual).
    fn claim(
        &self,
        msg: &Json,
        sig: &FuncSig,
        control: Option<&crate::control::CallControl>,
    ) -> Option<(Outcome, String, String, Duration)> {
        let mut ahead = self.ahead.lock().ok()?.take()?;
        if !ahead.is_next(msg) {
            return None;
        }
        let timeout = Duration::from_millis(self.limits.timeout_ms);
        Some(match ahead.claim(timeout, control) {
            Ok(c) => {
                if ahead.is_drained() {
                    if let Ok(mut idle) = self.idle.lock() {
                        idle.push(ahead.into_worker());
                    }
                } else if let Ok(mut slot) = self.ahead.lock() {
                    *slot = Some(ahead);
                }
                let (outcome, stdout, stderr) = self.outcome(&c.reply, sig);
                (
                    outcome,
                    stdout,
                    stderr,
                    c.arrived.saturating_duration_since(c.started),
                )
            }
            // The worker is killed (dropped) with the runaway call in it, and the
            // calls after it with it.
            Err((started, Lost::Stopped(outcome))) => {
                let outcome = match (&outcome, control) {
                    (Outcome::TimedOut, Some(c)) if c.stopped() => Outcome::Cancelled,
                    _ => outcome,
                };
                (outcome, String::new(), String::new(), started.elapsed())
            }
            Err((_, Lost::Died(why))) => self.lost(&why),
        })
    }

    /// A call whose worker died holding it (or starting for it): the harness
    /// failed, not the variant. A campaign worker process ends, so that the
    /// campaign records the input as a harness failure and goes on.
    fn lost(&self, why: &str) -> (Outcome, String, String, Duration) {
        if crate::engine::in_worker_process() {
            eprintln!(
                "nvx worker: variant `{}` on engine v8: {why}",
                self.entry.name
            );
            std::process::exit(crate::engine::WORKER_DIED);
        }
        (
            Outcome::Trapped {
                kind: "host-panic".into(),
                message: format!(
                    "the v8 engine lost this call (a harness failure, not the variant's): {why}"
                ),
            },
            String::new(),
            String::new(),
            Duration::ZERO,
        )
    }

    /// The outcome and captured output in a worker's answer.
    fn outcome(&self, reply: &Json, sig: &FuncSig) -> (Outcome, String, String) {
        let captured = |name: &str| {
            let bytes = hex_decode(reply[name].as_str().unwrap_or_default()).unwrap_or_default();
            wasi::Captured {
                bytes,
                dropped: reply[format!("{name}_dropped")].as_u64().unwrap_or(0),
            }
            .text()
        };
        let (stdout, stderr) = (captured("stdout"), captured("stderr"));
        let o = &reply["outcome"];
        let outcome = if let Some(w) = o.get("returned") {
            match &sig.result {
                None => Outcome::Returned(Value::Tuple(Vec::new())),
                Some(t) => match from_wire(w, t) {
                    Ok(v) if v.size_hint() > self.output_cap() => {
                        Outcome::Exhausted(Resource::Output)
                    }
                    Ok(v) => Outcome::Returned(v),
                    Err(why) => Outcome::Trapped {
                        kind: "canonical-abi".into(),
                        message: format!("the value V8 returned is not a {t}: {why}"),
                    },
                },
            }
        } else if let Some(r) = o.get("exhausted").and_then(Json::as_str) {
            Outcome::Exhausted(match r {
                "memory" => Resource::Memory,
                "stack" => Resource::Stack,
                _ => Resource::Output,
            })
        } else if let Some(n) = o.get("exited").and_then(Json::as_i64) {
            Outcome::Exited(i32::try_from(n).unwrap_or(i32::MAX))
        } else if let Some(m) = o.get("trap").and_then(Json::as_str) {
            Outcome::Trapped {
                kind: trap_kind(m).into(),
                message: m.to_string(),
            }
        } else if let Some(m) = o
            .get("abi")
            .or_else(|| o.get("host"))
            .and_then(Json::as_str)
        {
            Outcome::Trapped {
                kind: "canonical-abi".into(),
                message: m.to_string(),
            }
        } else if let Some(m) = o.get("instantiation").and_then(Json::as_str) {
            Outcome::InstantiationFailed(m.to_string())
        } else {
            Outcome::Trapped {
                kind: "host-panic".into(),
                message: format!("the v8 engine's worker answered nonsense: {o}"),
            }
        };
        (outcome, stdout, stderr)
    }

    fn output_cap(&self) -> usize {
        self.limits.output_bytes()
    }
}

impl Backend for V8Variant {
    fn entry(&self) -> &VariantEntry {
        &self.entry
    }

    fn sha256(&self) -> &str {
        &self.sha256
    }

    fn evaluate(&self, args: &Prepared<'_>) -> Run<Value> {
        if args
            .control()
            .is_some_and(crate::control::CallControl::stopped)
        {
            return Run::without_output(&self.entry.name, Outcome::Cancelled);
        }
        let (outcome, stdout, stderr, elapsed) =
            self.call(args.sig(), args.values(), args.control());
        Run {
            variant: self.entry.name.clone(),
            outcome,
            elapsed,
            stdout,
            stderr,
        }
    }

    fn ahead(&self, calls: &[Prepared<'_>]) {
        self.send_ahead(calls);
    }

    fn blocks(&self) -> bool {
        true
    }

    fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn imports(&self) -> &[String] {
        &self.imports
    }
}

impl std::fmt::Debug for V8Variant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("V8Variant")
            .field("variant", &self.entry.name)
            .field("reuse", &self.reuse)
            .finish_non_exhaustive()
    }
}

/// nvx's trap kind for a V8 trap message, in V8's words or in the wasmtime words
/// jco's glue rewrites them to. V8 says "null function or function signature
/// mismatch" for both a null table entry and a wrong signature, so both are
/// `bad-signature` here (wasmtime tells `indirect-call-to-null` apart).
fn trap_kind(message: &str) -> &'static str {
    const KINDS: &[(&str, &str)] = &[
        ("unreachable", "unreachable"),
        ("out of bounds memory access", "memory-out-of-bounds"),
        ("memory access out of bounds", "memory-out-of-bounds"),
        ("data segment out of bounds", "memory-out-of-bounds"),
        ("divide by zero", "integer-divide-by-zero"),
        ("remainder by zero", "integer-divide-by-zero"),
        ("integer overflow", "integer-overflow"),
        ("divide result unrepresentable", "integer-overflow"),
        ("invalid conversion to integer", "bad-conversion-to-integer"),
        (
            "float unrepresentable in integer range",
            "bad-conversion-to-integer",
        ),
        ("out of bounds table access", "table-out-of-bounds"),
        ("table index is out of bounds", "table-out-of-bounds"),
        ("element segment out of bounds", "table-out-of-bounds"),
        ("signature mismatch", "bad-signature"),
        ("indirect call type mismatch", "bad-signature"),
        ("unaligned", "heap-misaligned"),
    ];
    KINDS
        .iter()
        .find(|(needle, _)| message.contains(needle))
        .map_or("other", |(_, kind)| kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traps_are_named_in_nvx_words() {
        assert_eq!(
            trap_kind("wasm trap: wasm `unreachable` instruction executed"),
            "unreachable"
        );
        assert_eq!(
            trap_kind("memory access out of bounds"),
            "memory-out-of-bounds"
        );
        assert_eq!(
            trap_kind("wasm trap: integer divide by zero"),
            "integer-divide-by-zero"
        );
        assert_eq!(trap_kind("remainder by zero"), "integer-divide-by-zero");
        assert_eq!(
            trap_kind("divide result unrepresentable"),
            "integer-overflow"
        );
        assert_eq!(
            trap_kind("float unrepresentable in integer range"),
            "bad-conversion-to-integer"
        );
        assert_eq!(
            trap_kind("null function or function signature mismatch"),
            "bad-signature"
        );
        assert_eq!(
            trap_kind("table index is out of bounds"),
            "table-out-of-bounds"
        );
        assert_eq!(trap_kind("something new"), "other");
    }
}
