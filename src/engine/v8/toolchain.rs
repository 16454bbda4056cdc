//! Node.js and jco as the `v8` engine finds them on this machine, the versions
//! it needs, and the private folders that hold each variant's transpiled code.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::Value as Json;

/// The jco release that transpiles components for V8 (locked in `scripts/v8/`).
pub const JCO_VERSION: &str = "1.35.0";
/// The oldest Node.js major release the engine runs on.
pub const MIN_NODE_MAJOR: u32 = 20;
/// The Node side of the engine.
pub(super) const HOST_JS: &str = include_str!("host.mjs");
/// How long a new worker may take to start and load its variant (V8 compiles
/// the core modules then; an 18 MB Python component takes seconds).
pub(super) const START_TIMEOUT: Duration = Duration::from_secs(120);
/// Stack V8 needs beyond `stack-kib` for the JavaScript frames around a call.
pub(super) const JS_STACK_MARGIN_KIB: u64 = 256;
/// Format tag at the start of every transpile cache entry.
pub(super) const MAGIC: &[u8; 8] = b"NVXJCO01";

/// Node and jco as found on this machine.
#[derive(Debug, Clone)]
pub(super) struct Toolchain {
    pub(super) node: OsString,
    pub(super) node_version: String,
    pub(super) v8_version: String,
    pub(super) jco_api: PathBuf,
    /// Flags that turn on, in this V8, WebAssembly features wasmtime has on by
    /// default (where this V8 still has them behind a flag).
    pub(super) features: Vec<&'static str>,
}

/// Standard WebAssembly features that wasmtime 48 enables and older V8 releases
/// keep behind a flag: extended constant expressions and tail calls.
pub(super) const FEATURE_FLAGS: &[&str] = &[
    "--experimental-wasm-extended-const",
    "--experimental-wasm-return-call",
];

pub(super) fn toolchain() -> &'static std::result::Result<Toolchain, String> {
    static FOUND: OnceLock<std::result::Result<Toolchain, String>> = OnceLock::new();
    FOUND.get_or_init(find_toolchain)
}

/// Where nvx looks for jco: `$NVX_JCO`, else the cache folder's `v8-tools`, else
/// the `target/v8-tools` of the checkout nvx was built from.
pub(super) fn jco_homes() -> Vec<PathBuf> {
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

pub(super) fn install_hint() -> String {
    let home = jco_homes()
        .into_iter()
        .next()
        .unwrap_or_else(|| PathBuf::from("v8-tools"));
    format!(
        "install Node.js {MIN_NODE_MAJOR} or later (Debian: `apt-get install nodejs`; or set NVX_NODE to its binary) and jco {JCO_VERSION} (`npm install --prefix {} @bytecodealliance/jco@{JCO_VERSION}`, or set NVX_JCO to a folder holding node_modules/@bytecodealliance/jco)",
        home.display()
    )
}

pub(super) fn find_toolchain() -> std::result::Result<Toolchain, String> {
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

/// A private temporary folder, removed when dropped.
pub(super) struct Folder(pub(super) PathBuf);

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(super) fn private_folder() -> std::io::Result<Folder> {
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
pub(super) fn sweep_stale_folders() {
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
