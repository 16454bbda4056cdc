//! What `nvx -V` and `nvx --version` print: the version and commit, and with
//! `--version` also the wasmtime release and the engines that can run here (and
//! why the others cannot).

use std::sync::OnceLock;

/// The commit nvx was built from (`build.rs`: `$NVX_COMMIT`, else git, else
/// `unknown`).
pub(crate) const COMMIT: &str = env!("NVX_COMMIT");

/// `-V`: `0.1.0 (commit 3b213ea1c2d4)`.
pub(crate) fn short() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| format!("{} (commit {COMMIT})", env!("CARGO_PKG_VERSION")))
}

/// `--version`: one fact per line; each engine is probed (V8's Node.js and jco
/// are looked for), so this runs only when asked.
pub(crate) fn long() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut available = Vec::new();
        let mut details = String::new();
        for name in nvx::engine::names() {
            let Ok(kind) = nvx::EngineKind::from_name(name) else {
                continue;
            };
            let what = match kind.engine().available() {
                Ok(()) => {
                    available.push(name);
                    kind.engine().version()
                }
                Err(why) => format!("not available: {why}"),
            };
            details.push_str(&format!("\n  {name}: {what}"));
        }
        format!(
            "{}\ncommit: {COMMIT}\nwasmtime: {}\nengines: {}{details}",
            env!("CARGO_PKG_VERSION"),
            nvx::engine::wasmtime::WASMTIME_VERSION,
            if available.is_empty() {
                "none".to_string()
            } else {
                available.join(", ")
            }
        )
    })
}

/// Whether the command line asks for the long version (probing the engines costs
/// a Node.js start, which other commands should not pay).
pub(crate) fn wants_long() -> bool {
    std::env::args_os().skip(1).any(|a| a == "--version")
}
