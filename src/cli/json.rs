//! The JSON documents of `nvx call --json` and `nvx list --json`: typed, versioned
//! by a `schema` field, and described by JSON Schema files in `docs/schema/` that
//! are generated from these types (a test keeps them up to date).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of both documents; fields are only ever added, never renamed.
pub const SCHEMA: u32 = 1;

/// `nvx call --json`: one input, every variant's outcome, the verdict.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CallDoc {
    /// Always 1 for this layout.
    pub schema: u32,
    /// The ensemble's name.
    pub ensemble: String,
    /// The function called.
    pub function: String,
    /// The arguments, one WAVE value each.
    pub args: Vec<String>,
    /// The voting policy.
    pub policy: String,
    /// Whether a value won under the policy.
    pub reached: bool,
    /// The agreed value as WAVE text when a verdict was reached (an agreed `none`
    /// is the text `"none"`); null when there is no verdict.
    pub verdict: Option<String>,
    /// Whether every variant agreed.
    pub unanimous: bool,
    /// How the variants voted, one line.
    pub summary: String,
    /// Each variant's run, in manifest order.
    pub variants: Vec<CallRun>,
    /// The variants that dissented (outvoted, failed, or split without a verdict).
    pub dissenters: Vec<String>,
    /// The engines every variant ran on, the voting one first.
    pub engines: Vec<String>,
    /// Variants whose result depended on the engine.
    pub engine_divergences: Vec<EngineDivergence>,
}

/// One variant's run in a [`CallDoc`].
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct CallRun {
    /// The variant.
    pub name: String,
    /// What kind of outcome it had.
    pub outcome: nvx::OutcomeKind,
    /// The outcome's label (`returned`, `trap(unreachable)`, `exhausted(memory)`, …).
    pub label: String,
    /// The returned value as WAVE text; null for a failure.
    pub value: Option<String>,
    /// Details of a failure and any captured output.
    pub detail: String,
    /// What it wrote to WASI stdout.
    pub stdout: String,
    /// What it wrote to WASI stderr.
    pub stderr: String,
    /// Wall time of instantiation plus call, in nanoseconds.
    pub elapsed_ns: u64,
    /// Whether it dissented.
    pub dissented: bool,
}

/// A variant whose result depended on the engine: the library's own type.
pub use nvx::EngineDivergence;

/// `nvx list --json`: an ensemble's settings, functions and variants.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ListDoc {
    /// Always 1 for this layout.
    pub schema: u32,
    /// The ensemble's name.
    pub name: String,
    /// Its folder.
    pub dir: String,
    /// The voting policy.
    pub policy: String,
    /// What one variant may spend on one input.
    pub limits: nvx::manifest::Limits,
    /// The float tolerance (absent fields are not used).
    pub tolerance: nvx::Tolerance,
    /// The exported functions.
    pub functions: Vec<ListFunction>,
    /// The variants, in manifest order.
    pub variants: Vec<ListVariant>,
    /// The diversity audit: parts shared by enough variants to win a vote together.
    pub shared_parts: Vec<nvx::diversity::SharedPart>,
    /// The engines the ensemble runs on, the voting one first.
    pub ensemble_engines: Vec<String>,
    /// Every engine nvx has, in registry order, and whether it can run here.
    pub engines: Vec<ListEngine>,
}

/// An engine in a [`ListDoc`].
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ListEngine {
    /// Its name, as `--engines` and manifests take it.
    pub name: String,
    /// The runtime and its version.
    pub version: String,
    /// Whether it can run on this machine.
    pub available: bool,
    /// When it cannot: why, and what it needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<String>,
}

impl ListEngine {
    /// Every registered engine.
    pub fn all() -> Vec<ListEngine> {
        nvx::engine::names()
            .into_iter()
            .filter_map(|n| nvx::EngineKind::from_name(n).ok())
            .map(|k| {
                let why = k.engine().available().err();
                ListEngine {
                    name: k.name().to_string(),
                    version: k.engine().version(),
                    available: why.is_none(),
                    unavailable: why,
                }
            })
            .collect()
    }
}

/// A function in a [`ListDoc`].
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ListFunction {
    /// The name users call it by.
    pub name: String,
    /// Its WIT signature.
    pub signature: String,
}

/// A variant in a [`ListDoc`].
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ListVariant {
    /// The variant.
    pub name: String,
    /// Its language.
    pub language: String,
    /// The toolchain that built it.
    pub toolchain: String,
    /// Lowercase hex SHA-256 of its module.
    pub sha256: String,
    /// The module file.
    pub path: String,
    /// Where its sources live.
    pub source: Option<String>,
    /// How it came to be.
    pub provenance: Option<String>,
    /// The algorithms or libraries it derives from.
    pub lineage: Vec<String>,
    /// The compiler backend that generated its code.
    pub backend: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema files in `docs/schema/` match the types; `NVX_BLESS=1` rewrites them.
    #[test]
    fn schema_files_are_up_to_date() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema");
        for (file, schema) in [
            ("call.schema.json", schemars::schema_for!(CallDoc)),
            ("list.schema.json", schemars::schema_for!(ListDoc)),
        ] {
            let want = serde_json::to_string_pretty(&schema).unwrap() + "\n";
            let path = dir.join(file);
            if std::env::var_os("NVX_BLESS").is_some() {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &want).unwrap();
            }
            let have = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                have == want,
                "{} is out of date: run `NVX_BLESS=1 cargo test --release schema_files` and commit it",
                path.display()
            );
        }
    }
}
