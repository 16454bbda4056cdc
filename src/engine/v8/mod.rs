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
mod toolchain;
mod wire;
mod worker;

use ahead::Ahead;
use cache::transpiled;
use wire::{from_wire, hex_decode, to_wire, wire_type};
use worker::{Launch, Lost, NodeWorker, Start};

use toolchain::{Folder, HOST_JS, private_folder, toolchain};
pub use toolchain::{JCO_VERSION, MIN_NODE_MAJOR};

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value as Json, json};

use crate::backend::{Backend, Prepared};
use crate::cause::{EngineProblem, ModuleProblem, UsageError, WorldProblem};
use crate::error::{Error, Result};
use crate::manifest::{Isolation, Limits, VariantEntry};
use crate::outcome::{Outcome, OutcomeKind, Resource, Run};
use crate::value::Value;
use crate::wasi;
use crate::wit::FuncSig;

/// The `v8` engine, as the registry holds it.
#[derive(Debug)]
pub struct V8Engine;

/// The one [`V8Engine`].
pub static V8: V8Engine = V8Engine;

impl crate::engine::seam::Engine for V8Engine {
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
        settings: &crate::engine::seam::LoadSettings,
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

fn load(
    path: &Path,
    bytes: &[u8],
    entry: &VariantEntry,
    funcs: &[FuncSig],
    settings: &crate::engine::seam::LoadSettings,
) -> Result<V8Variant> {
    let tools = toolchain().as_ref().map_err(|why| {
        Error::Usage(UsageError::EngineUnavailable {
            engine: "v8",
            why: why.clone(),
        })
    })?;
    let actual = crate::engine::seam::checked_sha256(path, bytes, entry)?;
    let invalid = |problem: ModuleProblem| Error::InvalidModule {
        variant: entry.name.clone(),
        path: path.to_path_buf(),
        problem,
    };
    let mismatch = |problem: WorldProblem| Error::WorldMismatch {
        variant: entry.name.clone(),
        path: path.to_path_buf(),
        problem: Box::new(problem),
    };
    let binary = if entry.path.extension().is_some_and(|x| x == "wat") {
        wat::parse_bytes(bytes)
            .map_err(|e| invalid(ModuleProblem::Text(e)))?
            .into_owned()
    } else {
        bytes.to_vec()
    };
    if !binary.starts_with(b"\0asm") {
        return Err(invalid(ModuleProblem::NoMagic));
    }
    if crate::engine::seam::is_core_module(&binary) {
        return Err(invalid(ModuleProblem::CoreModule));
    }
    let imports =
        wasi::component_imports(&binary).map_err(|e| invalid(ModuleProblem::Binary(e)))?;
    wasi::check_imports(&imports, settings.allow_wasi).map_err(&mismatch)?;
    let exports = crate::wit::component_exports(&binary).map_err(&invalid)?;
    for f in funcs {
        let Some(got) = exports.iter().find(|g| g.name == f.name) else {
            return Err(mismatch(WorldProblem::MissingFunction {
                function: f.name.clone(),
                signature: f.signature(),
            }));
        };
        if got.param_types() != f.param_types() || got.result != f.result {
            return Err(mismatch(WorldProblem::WrongType {
                function: f.name.clone(),
                want: f.signature(),
                got: got.signature(),
            }));
        }
    }
    let mut warnings = Vec::new();
    if settings.limits.fuel.is_some() {
        warnings.push(
            "`fuel` is not counted on the v8 engine (V8 has no fuel); only `timeout-ms` stops a runaway call there".to_string(),
        );
    }
    let files = transpiled(tools, &binary, &actual, &mut warnings).map_err(|why| {
        invalid(ModuleProblem::Transpile {
            version: JCO_VERSION,
            why,
        })
    })?;
    let dir = private_folder().map_err(|e| Error::Engine(EngineProblem::V8Files(e)))?;
    let cap_pages = settings.limits.memory_mib.saturating_mul(16).min(65_536);
    for (name, data) in &files {
        let target = dir.0.join(name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::Engine(EngineProblem::V8Files(e)))?;
        }
        let data = if name.ends_with(".wasm") {
            match grow::cap_memory_growth(data, cap_pages) {
                Ok(Some(capped)) => capped,
                Ok(None) => data.clone(),
                Err(why) => {
                    return Err(invalid(ModuleProblem::Transpiled {
                        name: name.clone(),
                        why,
                    }));
                }
            }
        } else {
            data.clone()
        };
        std::fs::write(&target, data).map_err(|e| Error::Engine(EngineProblem::V8Files(e)))?;
    }
    std::fs::write(dir.0.join("host.mjs"), HOST_JS)
        .map_err(|e| Error::Engine(EngineProblem::V8Files(e)))?;
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
    /// What a new worker needs of this variant.
    fn launch(&self) -> Launch<'_> {
        Launch {
            limits: &self.limits,
            folder: &self.dir.0,
            init: &self.init,
        }
    }

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
                let outcome = stopped_by_caller(outcome, control);
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
                None => return NodeWorker::start(&self.launch()),
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
                let outcome = stopped_by_caller(outcome, control);
                (outcome, String::new(), String::new(), started.elapsed())
            }
            Err((_, Lost::Died(why))) => self.lost(&why),
        })
    }

    /// A call whose worker died holding it (or starting for it): the harness
    /// failed, not the variant. A campaign worker process ends, so that the
    /// campaign records the input as a harness failure and goes on.
    fn lost(&self, why: &str) -> (Outcome, String, String, Duration) {
        if crate::engine::seam::in_worker_process() {
            eprintln!(
                "nvx worker: variant `{}` on engine v8: {why}",
                self.entry.name
            );
            std::process::exit(crate::engine::seam::WORKER_DIED);
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

/// A run stopped at its deadline is `cancelled`, not `timed-out`, when the
/// caller's own deadline or cancellation is what stopped it.
fn stopped_by_caller(outcome: Outcome, control: Option<&crate::control::CallControl>) -> Outcome {
    if outcome.kind() == OutcomeKind::TimedOut
        && control.is_some_and(crate::control::CallControl::stopped)
    {
        Outcome::Cancelled
    } else {
        outcome
    }
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
