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
//!   64-bit integers as decimal text, floats as their bits, bytes as hex.
//! - **Fresh state.** Every call instantiates the component afresh, with a fresh
//!   WASI context; `isolation = "reuse"` keeps an instance as on wasmtime.
//! - **Limits.** The deadline is the parent's: a call still running at
//!   `timeout-ms` has its process killed. `memory-mib` is enforced by rewriting
//!   `memory.grow` ([`grow`]) and, as a backstop, V8's `--wasm-max-mem-pages`;
//!   `stack-kib` is V8's `--stack-size`; `output-kib` caps results and captured
//!   output. A worker that dies costs the call it held, nothing else.

mod grow;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::time::{Duration, Instant};

use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};

use crate::backend::{Backend, Prepared};
use crate::error::{Error, Result};
use crate::manifest::{Isolation, Limits, VariantEntry};
use crate::outcome::{Outcome, Resource, Run};
use crate::value::{Value, ValueType};
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
    let actual = format!("{:x}", Sha256::digest(bytes));
    if !actual.eq_ignore_ascii_case(&entry.sha256) {
        return Err(Error::HashMismatch {
            variant: entry.name.clone(),
            path: path.to_path_buf(),
            expected: entry.sha256.to_ascii_lowercase(),
            actual,
        });
    }
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
    if binary.len() >= 8 && binary[4..8] == [1, 0, 0, 0] {
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
    let output_cap =
        usize::try_from(settings.limits.output_kib.saturating_mul(1024)).unwrap_or(usize::MAX);
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

// ------------------------------------------------------------------ transpile cache

/// jco's output for `binary` (SHA-256 `sha`), from the cache when a sound entry
/// is there, else transpiled now (and cached).
fn transpiled(
    tools: &Toolchain,
    binary: &[u8],
    sha: &str,
    warnings: &mut Vec<String>,
) -> std::result::Result<Vec<(String, Vec<u8>)>, String> {
    let key = cache_key(binary);
    let entry = crate::cache::cache_dir().map(|d| {
        d.join("v8")
            .join(format!("{sha}-jco{JCO_VERSION}-{}.nvxjs", &key[..16]))
    });
    if let Some(path) = &entry
        && path.exists()
    {
        match read_entry(path, &key) {
            Ok(files) => return Ok(files),
            Err(why) => {
                warnings.push(format!(
                    "refused the transpile cache entry {} ({why}); transpiling again",
                    path.display()
                ));
                let _ = std::fs::remove_file(path);
            }
        }
    }
    let files = transpile(tools, binary)?;
    if let Some(path) = &entry
        && let Err(e) = write_entry(path, &key, &files)
    {
        warnings.push(format!(
            "could not write the transpile cache entry {}: {e}",
            path.display()
        ));
    }
    Ok(files)
}

/// What an entry is keyed on: the component, the jco version and the Node side
/// of the engine, as hex.
fn cache_key(binary: &[u8]) -> String {
    let mut d = Sha256::new();
    d.update(binary);
    d.update(JCO_VERSION.as_bytes());
    d.update(HOST_JS.as_bytes());
    d.update(env!("CARGO_PKG_VERSION").as_bytes());
    format!("{:x}", d.finalize())
}

fn transpile(
    tools: &Toolchain,
    binary: &[u8],
) -> std::result::Result<Vec<(String, Vec<u8>)>, String> {
    let work = private_folder().map_err(|e| e.to_string())?;
    let input = work.0.join("component.wasm");
    let out = work.0.join("out");
    std::fs::write(&input, binary).map_err(|e| e.to_string())?;
    std::fs::write(work.0.join("host.mjs"), HOST_JS).map_err(|e| e.to_string())?;
    let run = Command::new(&tools.node)
        .arg("--no-warnings")
        .arg(work.0.join("host.mjs"))
        .arg("transpile")
        .arg(&tools.jco_api)
        .arg(&input)
        .arg(&out)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run Node.js: {e}"))?;
    if !run.status.success() {
        let err = String::from_utf8_lossy(&run.stderr);
        let last: Vec<&str> = err
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(6)
            .collect();
        return Err(last.join(" / "));
    }
    let listing: Json = serde_json::from_slice(&run.stdout).map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    for name in listing["files"].as_array().into_iter().flatten() {
        let name = name.as_str().ok_or("a file name that is not text")?;
        if name.contains("..") || name.starts_with('/') {
            return Err(format!("jco wrote outside its folder: {name}"));
        }
        let data = std::fs::read(out.join(name)).map_err(|e| e.to_string())?;
        files.push((name.to_string(), data));
    }
    if !files.iter().any(|(n, _)| n == "component.js") {
        return Err("jco wrote no component.js".into());
    }
    files.sort();
    Ok(files)
}

/// Entry layout: MAGIC, the 64-byte hex key, a u32 file count, then per file a
/// u32 name length, the name, a u64 data length and the data; then the SHA-256
/// of everything before it.
fn encode_entry(key: &str, files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(&(files.len() as u32).to_le_bytes());
    for (name, data) in files {
        out.extend_from_slice(&(name.len() as u32).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(data.len() as u64).to_le_bytes());
        out.extend_from_slice(data);
    }
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    out
}

fn decode_entry(bytes: &[u8], key: &str) -> std::result::Result<Vec<(String, Vec<u8>)>, String> {
    if bytes.len() < MAGIC.len() + 64 + 4 + 32 {
        return Err("too short".into());
    }
    let (body, digest) = bytes.split_at(bytes.len() - 32);
    if Sha256::digest(body).as_slice() != digest {
        return Err("its checksum does not match (a torn write or a changed file)".into());
    }
    if &body[..8] != MAGIC {
        return Err("not a transpile cache entry".into());
    }
    if &body[8..72] != key.as_bytes() {
        return Err("it was made from another component or jco".into());
    }
    let mut at = 72;
    let mut take = |n: usize| -> std::result::Result<&[u8], String> {
        let s = body.get(at..at + n).ok_or("truncated")?;
        at += n;
        Ok(s)
    };
    let count = u32::from_le_bytes(take(4)?.try_into().map_err(|_| "truncated")?);
    let mut files = Vec::new();
    for _ in 0..count {
        let n = u32::from_le_bytes(take(4)?.try_into().map_err(|_| "truncated")?) as usize;
        let name =
            String::from_utf8(take(n)?.to_vec()).map_err(|_| "a file name that is not UTF-8")?;
        if name.contains("..") || name.starts_with('/') {
            return Err(format!("a file name outside its folder: {name}"));
        }
        let len = u64::from_le_bytes(take(8)?.try_into().map_err(|_| "truncated")?);
        let data = take(usize::try_from(len).map_err(|_| "too large")?)?.to_vec();
        files.push((name, data));
    }
    Ok(files)
}

fn read_entry(path: &Path, key: &str) -> std::result::Result<Vec<(String, Vec<u8>)>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    decode_entry(&bytes, key)
}

fn write_entry(path: &Path, key: &str, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id()
    ));
    std::fs::write(&tmp, encode_entry(key, files))?;
    std::fs::rename(&tmp, path)
}

// ------------------------------------------------------------------ workers

/// One `node host.mjs serve` process with its variant loaded.
struct NodeWorker {
    child: Child,
    stdin: ChildStdin,
    replies: mpsc::Receiver<std::result::Result<Vec<u8>, String>>,
    stderr: Arc<Mutex<Vec<u8>>>,
}

impl Drop for NodeWorker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Why a worker could not be had.
enum Start {
    /// The variant does not load in V8 (the worker said why, or took too long).
    Refused(String),
    /// The process could not start, or died while loading.
    Died(String),
}

/// Why a call got no answer.
enum Lost {
    /// The deadline passed, or the caller stopped the call.
    Stopped(Outcome),
    /// The worker died or broke the protocol.
    Died(String),
}

impl NodeWorker {
    /// Starts a worker and has it load `variant`. `Lost::Died` when the process
    /// could not be started or died on the way; `Lost::Stopped` never.
    fn start(variant: &V8Variant) -> std::result::Result<NodeWorker, Start> {
        Self::start_inner(variant)
            .map_err(Start::Died)?
            .loaded(variant)
    }

    fn start_inner(variant: &V8Variant) -> std::result::Result<NodeWorker, String> {
        let tools = toolchain().as_ref().map_err(Clone::clone)?;
        let stack_kib = variant.limits.stack_kib.saturating_add(JS_STACK_MARGIN_KIB);
        let pages = variant
            .limits
            .memory_mib
            .saturating_mul(16)
            .clamp(1, 65_536);
        let mut cmd = Command::new(&tools.node);
        cmd.args(&tools.features)
            .arg(format!("--stack-size={stack_kib}"))
            .arg(format!("--wasm-max-mem-pages={pages}"))
            .arg("--no-warnings")
            .arg(variant.dir.0.join("host.mjs"))
            .arg("serve")
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = spawn(cmd, stack_kib)?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let mut stdout = child.stdout.take().ok_or("no stdout")?;
        let mut err_pipe = child.stderr.take().ok_or("no stderr")?;
        let (tx, replies) = mpsc::channel();
        std::thread::Builder::new()
            .name("nvx-v8-reader".into())
            .spawn(move || {
                loop {
                    let mut head = [0u8; 4];
                    if let Err(e) = stdout.read_exact(&mut head) {
                        let _ = tx.send(Err(format!("its output ended ({e})")));
                        return;
                    }
                    let mut body = vec![0u8; u32::from_le_bytes(head) as usize];
                    if let Err(e) = stdout.read_exact(&mut body) {
                        let _ = tx.send(Err(format!("its output ended mid-frame ({e})")));
                        return;
                    }
                    if tx.send(Ok(body)).is_err() {
                        return;
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let keep = Arc::clone(&stderr);
        std::thread::Builder::new()
            .name("nvx-v8-stderr".into())
            .spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = err_pipe.read(&mut buf) {
                    if n == 0 {
                        return;
                    }
                    if let Ok(mut k) = keep.lock() {
                        k.extend_from_slice(&buf[..n]);
                        let len = k.len();
                        if len > 8192 {
                            k.drain(..len - 8192);
                        }
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(NodeWorker {
            child,
            stdin,
            replies,
            stderr,
        })
    }

    /// Has a started worker load `variant`.
    fn loaded(mut self, variant: &V8Variant) -> std::result::Result<NodeWorker, Start> {
        let reply = self
            .ask(&variant.init, Instant::now() + START_TIMEOUT, None)
            .map_err(|lost| match lost {
                Lost::Stopped(_) => Start::Refused(format!(
                    "its Node.js worker did not load it within {} s",
                    START_TIMEOUT.as_secs()
                )),
                Lost::Died(why) => Start::Died(why),
            })?;
        if let Some(err) = reply.get("error") {
            return Err(Start::Refused(format!(
                "its Node.js worker could not load it: {}",
                err.as_str().unwrap_or_default()
            )));
        }
        Ok(self)
    }

    /// Sends `msg` and waits for the answer until `deadline`, or until `control`
    /// says stop.
    fn ask(
        &mut self,
        msg: &Json,
        deadline: Instant,
        control: Option<&crate::control::CallControl>,
    ) -> std::result::Result<Json, Lost> {
        let body = serde_json::to_vec(msg).map_err(|e| Lost::Died(e.to_string()))?;
        let mut frame = (body.len() as u32).to_le_bytes().to_vec();
        frame.extend_from_slice(&body);
        if let Err(e) = self
            .stdin
            .write_all(&frame)
            .and_then(|()| self.stdin.flush())
        {
            return Err(Lost::Died(self.death(&format!("it took no input ({e})"))));
        }
        loop {
            let now = Instant::now();
            if now >= deadline {
                return Err(Lost::Stopped(Outcome::TimedOut));
            }
            let mut wait = deadline - now;
            if let Some(c) = control {
                if c.stopped() {
                    return Err(Lost::Stopped(Outcome::Cancelled));
                }
                wait = wait.min(Duration::from_millis(5));
            }
            match self.replies.recv_timeout(wait) {
                Ok(Ok(body)) => {
                    return serde_json::from_slice(&body)
                        .map_err(|e| Lost::Died(format!("it answered with bad JSON ({e})")));
                }
                Ok(Err(why)) => return Err(Lost::Died(self.death(&why))),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(Lost::Died(self.death("its reader stopped")));
                }
            }
        }
    }

    /// How the worker died, with the end of what it wrote to stderr.
    fn death(&mut self, what: &str) -> String {
        let status = match self.child.wait() {
            Ok(s) => s.to_string(),
            Err(e) => e.to_string(),
        };
        // Let the stderr reader catch up with what the process wrote last.
        std::thread::sleep(Duration::from_millis(20));
        let tail = self
            .stderr
            .lock()
            .map(|k| String::from_utf8_lossy(&k).trim().to_string())
            .unwrap_or_default();
        let tail: String = tail.lines().rev().take(3).collect::<Vec<_>>().join(" / ");
        if tail.is_empty() {
            format!("the Node.js worker died: {what}, {status}")
        } else {
            format!("the Node.js worker died: {what}, {status}: {tail}")
        }
    }
}

/// Starts `cmd` from one long-lived thread, with the stack limit a deep call
/// needs. On Linux the child is killed when that thread (which lives as long as
/// the process) dies, so no Node worker outlives nvx.
fn spawn(cmd: Command, stack_kib: u64) -> std::result::Result<Child, String> {
    type Job = (Command, u64, mpsc::Sender<std::io::Result<Child>>);
    static SPAWNER: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    let tx = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let _ = std::thread::Builder::new()
            .name("nvx-v8-spawner".into())
            .spawn(move || {
                for (mut cmd, stack_kib, reply) in rx {
                    prepare_child(&mut cmd, stack_kib);
                    let _ = reply.send(cmd.spawn());
                }
            });
        Mutex::new(tx)
    });
    let (reply, answer) = mpsc::channel();
    tx.lock()
        .map_err(|_| "the spawner is poisoned".to_string())?
        .send((cmd, stack_kib, reply))
        .map_err(|_| "the spawner thread is gone".to_string())?;
    answer
        .recv()
        .map_err(|_| "the spawner thread is gone".to_string())?
        .map_err(|e| format!("cannot start Node.js: {e}"))
}

// The one unsafe block of the engine: `pre_exec` cannot be had without it.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn prepare_child(cmd: &mut Command, stack_kib: u64) {
    use std::os::unix::process::CommandExt;
    let want = stack_kib.saturating_mul(1024).saturating_mul(2);
    // SAFETY: only async-signal-safe calls (prctl, getrlimit, setrlimit) run
    // between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            let mut lim = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            if libc::getrlimit(libc::RLIMIT_STACK, &mut lim) == 0
                && lim.rlim_cur != libc::RLIM_INFINITY
                && lim.rlim_cur < want
            {
                let cur = if lim.rlim_max == libc::RLIM_INFINITY {
                    want
                } else {
                    want.min(lim.rlim_max)
                };
                lim.rlim_cur = cur as libc::rlim_t;
                libc::setrlimit(libc::RLIMIT_STACK, &lim);
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn prepare_child(_cmd: &mut Command, _stack_kib: u64) {}

// ------------------------------------------------------------------ calls

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
        let args: Vec<Json> = values
            .iter()
            .zip(&sig.params)
            .map(|(v, (_, t))| to_wire(v, t))
            .collect();
        let msg = json!({"op": "call", "func": index, "args": args});
        let timeout = Duration::from_millis(self.limits.timeout_ms);
        let nothing = |o: Outcome| (o, String::new(), String::new(), Duration::ZERO);
        // An idle worker that died (killed between calls) held no input: it is
        // replaced before the call is sent.
        let mut worker = loop {
            let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
            match idle {
                Some(mut w) => {
                    if matches!(w.child.try_wait(), Ok(None)) {
                        break w;
                    }
                }
                None => match NodeWorker::start(self) {
                    Ok(w) => break w,
                    Err(Start::Refused(why)) => {
                        return nothing(Outcome::InstantiationFailed(why));
                    }
                    Err(Start::Died(why)) => return self.lost(&why),
                },
            }
        };
        // The call's time starts when it is sent: starting a worker is not the
        // variant's time.
        let sent = Instant::now();
        let deadline = control
            .and_then(crate::control::CallControl::deadline)
            .map_or(sent + timeout, |d| d.min(sent + timeout));
        match worker.ask(&msg, deadline, control) {
            Ok(reply) => {
                let elapsed = sent.elapsed();
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
        usize::try_from(self.limits.output_kib.saturating_mul(1024)).unwrap_or(usize::MAX)
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

// ------------------------------------------------------------------ wire form

/// A type as the Node side reads it.
fn wire_type(t: &ValueType) -> Json {
    use ValueType as T;
    match t {
        T::Bool => "bool".into(),
        T::S8 => "s8".into(),
        T::U8 => "u8".into(),
        T::S16 => "s16".into(),
        T::U16 => "u16".into(),
        T::S32 => "s32".into(),
        T::U32 => "u32".into(),
        T::S64 => "s64".into(),
        T::U64 => "u64".into(),
        T::F32 => "f32".into(),
        T::F64 => "f64".into(),
        T::Char => "char".into(),
        T::String => "string".into(),
        T::List(e) if **e == T::U8 => "bytes".into(),
        T::List(e) => json!({"k": "list", "t": wire_type(e)}),
        T::Record(f) => {
            json!({"k": "record", "f": f.iter().map(|(n, t)| json!([n, wire_type(t)])).collect::<Vec<_>>()})
        }
        T::Tuple(ts) => json!({"k": "tuple", "t": ts.iter().map(wire_type).collect::<Vec<_>>()}),
        T::Variant(cs) => {
            json!({"k": "variant", "c": cs.iter().map(|(n, t)| json!([n, t.as_ref().map(wire_type)])).collect::<Vec<_>>()})
        }
        T::Enum(cs) => json!({"k": "enum", "c": cs}),
        T::Option(t) => json!({"k": "option", "t": wire_type(t)}),
        T::Result { ok, err } => {
            json!({"k": "result", "ok": ok.as_deref().map(wire_type), "err": err.as_deref().map(wire_type)})
        }
        T::Flags(cs) => json!({"k": "flags", "c": cs}),
    }
}

/// A value (checked against its type already) in the wire form.
fn to_wire(v: &Value, t: &ValueType) -> Json {
    use ValueType as T;
    let inner = |p: &Option<Box<Value>>, t: Option<&ValueType>| match (p, t) {
        (Some(p), Some(t)) => to_wire(p, t),
        _ => Json::Null,
    };
    match (v, t) {
        (Value::Bool(b), _) => json!(b),
        (Value::S8(x), _) => json!(x),
        (Value::U8(x), _) => json!(x),
        (Value::S16(x), _) => json!(x),
        (Value::U16(x), _) => json!(x),
        (Value::S32(x), _) => json!(x),
        (Value::U32(x), _) => json!(x),
        (Value::S64(x), _) => json!(x.to_string()),
        (Value::U64(x), _) => json!(x.to_string()),
        (Value::F32(x), _) => json!(x.to_bits()),
        (Value::F64(x), _) => json!(x.to_bits().to_string()),
        (Value::Char(c), _) => json!(c.to_string()),
        (Value::String(s), _) => json!(s),
        (Value::Bytes(b), _) => json!(hex_encode(b)),
        (Value::List(items), T::List(e)) => {
            Json::Array(items.iter().map(|x| to_wire(x, e)).collect())
        }
        (Value::List(items), T::Tuple(ts)) | (Value::Tuple(items), T::Tuple(ts)) => {
            Json::Array(items.iter().zip(ts).map(|(x, t)| to_wire(x, t)).collect())
        }
        (Value::Record(fields), T::Record(types)) => Json::Array(
            fields
                .iter()
                .zip(types)
                .map(|((_, x), (_, t))| to_wire(x, t))
                .collect(),
        ),
        (Value::Variant(case, p), T::Variant(cases)) => {
            let c = cases.iter().position(|(n, _)| n == case).unwrap_or(0);
            json!({"c": c, "v": inner(p, cases.get(c).and_then(|(_, t)| t.as_ref()))})
        }
        (Value::Enum(case), T::Enum(cases)) => {
            json!(cases.iter().position(|n| n == case).unwrap_or(0))
        }
        (Value::Option(None), _) => Json::Null,
        (Value::Option(Some(p)), T::Option(t)) => json!([to_wire(p, t)]),
        (Value::Result(Ok(p)), T::Result { ok, .. }) => json!({"ok": inner(p, ok.as_deref())}),
        (Value::Result(Err(p)), T::Result { err, .. }) => json!({"err": inner(p, err.as_deref())}),
        (Value::Flags(set), T::Flags(all)) => Json::Array(
            all.iter()
                .enumerate()
                .filter(|(_, n)| set.contains(n))
                .map(|(i, _)| json!(i))
                .collect(),
        ),
        _ => Json::Null,
    }
}

/// A value of type `t` from the wire form.
fn from_wire(j: &Json, t: &ValueType) -> std::result::Result<Value, String> {
    use ValueType as T;
    let bad = || format!("`{j}`");
    let int = |j: &Json| j.as_i64().ok_or_else(bad);
    let text = |j: &Json| j.as_str().map(str::to_string).ok_or_else(bad);
    Ok(match t {
        T::Bool => Value::Bool(j.as_bool().ok_or_else(bad)?),
        T::S8 => Value::S8(i8::try_from(int(j)?).map_err(|_| bad())?),
        T::U8 => Value::U8(u8::try_from(int(j)?).map_err(|_| bad())?),
        T::S16 => Value::S16(i16::try_from(int(j)?).map_err(|_| bad())?),
        T::U16 => Value::U16(u16::try_from(int(j)?).map_err(|_| bad())?),
        T::S32 => Value::S32(i32::try_from(int(j)?).map_err(|_| bad())?),
        T::U32 => Value::U32(u32::try_from(int(j)?).map_err(|_| bad())?),
        T::S64 => Value::S64(text(j)?.parse().map_err(|_| bad())?),
        T::U64 => Value::U64(text(j)?.parse().map_err(|_| bad())?),
        T::F32 => Value::F32(f32::from_bits(u32::try_from(int(j)?).map_err(|_| bad())?)),
        T::F64 => Value::F64(f64::from_bits(text(j)?.parse().map_err(|_| bad())?)),
        T::Char => {
            let s = text(j)?;
            let mut cs = s.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => Value::Char(c),
                _ => return Err(bad()),
            }
        }
        T::String => Value::String(text(j)?),
        T::List(e) if **e == T::U8 => Value::Bytes(hex_decode(&text(j)?).ok_or_else(bad)?),
        T::List(e) => Value::List(
            j.as_array()
                .ok_or_else(bad)?
                .iter()
                .map(|x| from_wire(x, e))
                .collect::<std::result::Result<_, _>>()?,
        ),
        T::Tuple(ts) => {
            let items = j
                .as_array()
                .filter(|a| a.len() == ts.len())
                .ok_or_else(bad)?;
            Value::Tuple(
                items
                    .iter()
                    .zip(ts)
                    .map(|(x, t)| from_wire(x, t))
                    .collect::<std::result::Result<_, _>>()?,
            )
        }
        T::Record(fs) => {
            let items = j
                .as_array()
                .filter(|a| a.len() == fs.len())
                .ok_or_else(bad)?;
            Value::Record(
                items
                    .iter()
                    .zip(fs)
                    .map(|(x, (n, t))| Ok((n.clone(), from_wire(x, t)?)))
                    .collect::<std::result::Result<_, String>>()?,
            )
        }
        T::Variant(cs) => {
            let c = j["c"].as_u64().ok_or_else(bad)? as usize;
            let (name, pt) = cs.get(c).ok_or_else(bad)?;
            let payload = match pt {
                Some(pt) => Some(Box::new(from_wire(&j["v"], pt)?)),
                None => None,
            };
            Value::Variant(name.clone(), payload)
        }
        T::Enum(cs) => Value::Enum(
            cs.get(j.as_u64().ok_or_else(bad)? as usize)
                .ok_or_else(bad)?
                .clone(),
        ),
        T::Option(inner) => match j {
            Json::Null => Value::Option(None),
            Json::Array(a) if a.len() == 1 => {
                Value::Option(Some(Box::new(from_wire(&a[0], inner)?)))
            }
            _ => return Err(bad()),
        },
        T::Result { ok, err } => {
            let side = |p: &Json, t: &Option<Box<ValueType>>| -> std::result::Result<_, String> {
                Ok(match t {
                    Some(t) => Some(Box::new(from_wire(p, t)?)),
                    None => None,
                })
            };
            if let Some(p) = j.get("ok") {
                Value::Result(Ok(side(p, ok)?))
            } else if let Some(p) = j.get("err") {
                Value::Result(Err(side(p, err)?))
            } else {
                return Err(bad());
            }
        }
        T::Flags(cs) => Value::Flags(
            j.as_array()
                .ok_or_else(bad)?
                .iter()
                .map(|i| {
                    i.as_u64()
                        .and_then(|i| cs.get(i as usize))
                        .cloned()
                        .ok_or_else(bad)
                })
                .collect::<std::result::Result<_, _>>()?,
        ),
    })
}

fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let b = text.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    b.chunks(2)
        .map(|p| Some(digit(p[0])? << 4 | digit(p[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cross_the_wire_without_loss() {
        use ValueType as T;
        let cases = [
            (Value::U64(u64::MAX), T::U64),
            (Value::S64(i64::MIN), T::S64),
            (Value::F64(f64::from_bits(0x7ff8_0000_dead_beef)), T::F64),
            (Value::F32(-0.0), T::F32),
            (Value::Bytes(vec![0, 1, 254, 255]), T::List(Box::new(T::U8))),
            (Value::Char('\u{1F600}'), T::Char),
            (
                Value::Option(Some(Box::new(Value::Option(None)))),
                T::Option(Box::new(T::Option(Box::new(T::U32)))),
            ),
            (
                Value::Result(Err(Some(Box::new(Value::String("no".into()))))),
                T::Result {
                    ok: Some(Box::new(T::U32)),
                    err: Some(Box::new(T::String)),
                },
            ),
            (
                Value::Record(vec![
                    ("a-b".into(), Value::U8(7)),
                    ("c".into(), Value::Flags(vec!["y".into()])),
                ]),
                T::Record(vec![
                    ("a-b".into(), T::U8),
                    ("c".into(), T::Flags(vec!["x".into(), "y".into()])),
                ]),
            ),
            (
                Value::Variant("two".into(), Some(Box::new(Value::Enum("q".into())))),
                T::Variant(vec![
                    ("one".into(), None),
                    ("two".into(), Some(T::Enum(vec!["p".into(), "q".into()]))),
                ]),
            ),
        ];
        for (v, t) in cases {
            let w = to_wire(&v, &t);
            let back = from_wire(&w, &t).unwrap();
            assert!(back.same(&v), "{v:?} -> {w} -> {back:?}");
            if let (Value::F64(a), Value::F64(b)) = (&v, &back) {
                assert_eq!(a.to_bits(), b.to_bits(), "NaN payload kept on the wire");
            }
        }
        assert!(from_wire(&json!("x"), &T::U32).is_err());
        assert!(from_wire(&json!(300), &T::U8).is_err());
    }

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

    #[test]
    fn cache_entries_round_trip_and_refuse_tampering() {
        let files = vec![
            ("component.js".to_string(), b"export {}".to_vec()),
            ("component.core.wasm".to_string(), vec![0, 97, 115, 109]),
        ];
        let key = "a".repeat(64);
        let bytes = encode_entry(&key, &files);
        assert_eq!(decode_entry(&bytes, &key).unwrap(), files);
        assert!(decode_entry(&bytes, &"b".repeat(64)).is_err());
        let mut flipped = bytes.clone();
        flipped[20] ^= 1;
        assert!(
            decode_entry(&flipped, &key)
                .unwrap_err()
                .contains("checksum")
        );
        assert!(decode_entry(&bytes[..bytes.len() - 1], &key).is_err());
        assert_eq!(
            hex_decode(&hex_encode(&[0, 15, 16, 255])).unwrap(),
            [0, 15, 16, 255]
        );
    }
}
