//! The ensemble manifest `nvx.toml`: its format, defaults and validation.
//!
//! See DESIGN.md for the user-facing description; every key is kebab-case and an
//! unknown key is an error, so a typo never silently changes a limit.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cause::{EngineListError, ManifestProblem};
use crate::error::{Error, Result};
use crate::value::Tolerance;
use crate::vote::{Policy, PolicyError};

/// Default wall-clock deadline of one variant on one input.
pub const DEFAULT_TIMEOUT_MS: u64 = 1_000;
/// Default cap on a variant's linear memory.
pub const DEFAULT_MEMORY_MIB: u64 = 64;
/// Default cap on the size of one result.
pub const DEFAULT_OUTPUT_KIB: u64 = 4_096;
/// Default cap on the WebAssembly stack.
pub const DEFAULT_STACK_KIB: u64 = 512;

/// A parsed and validated `nvx.toml`.
#[derive(Clone, Debug)]
pub struct Manifest {
    /// The folder holding the manifest; variant paths are relative to it.
    pub dir: PathBuf,
    /// The `[ensemble]` table.
    pub ensemble: EnsembleSection,
    /// The `[[variant]]` entries, in manifest order.
    pub variants: Vec<VariantEntry>,
    /// Input-generation hints per function (`[generate.<function>]`), kept as TOML
    /// for the campaign's generator to interpret.
    pub generate: BTreeMap<String, toml::Value>,
}

/// The `[ensemble]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct EnsembleSection {
    /// The ensemble's name.
    pub name: String,
    /// The WIT file, relative to the manifest.
    pub wit: PathBuf,
    /// The world in the WIT package; defaults to the only world there.
    pub world: Option<String>,
    /// How the winner is chosen.
    #[serde(default = "default_policy")]
    pub policy: String,
    /// With `policy = "quorum"`: how many variants must agree.
    pub quorum: Option<usize>,
    /// Float tolerance; absent means exact (bitwise, NaNs equal).
    #[serde(default)]
    pub tolerance: Tolerance,
    /// Per-variant resource limits.
    #[serde(default)]
    pub limits: Limits,
    /// Whether variants may import the deterministic WASI profile (the default);
    /// `false` refuses any import, for strictly self-contained variants.
    #[serde(default = "default_wasi")]
    pub wasi: bool,
    /// The engines every variant runs on, by name; the first one's results vote,
    /// the others' are compared with them (engine divergence). Default: Cranelift.
    /// The names are resolved against the engine registry when the ensemble is
    /// opened.
    #[serde(default = "default_engines")]
    pub engines: Vec<String>,
    /// Whether each call gets a fresh instance (the default) or variants keep
    /// instances between calls.
    #[serde(default)]
    pub isolation: Isolation,
}

/// `[ensemble] isolation`: what one call may see of earlier ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Isolation {
    /// Every call runs on a fresh instance: nothing a call leaves in memory,
    /// globals or tables is seen by the next.
    #[default]
    Fresh,
    /// A variant's instance is kept after a call that returned and reused by the
    /// next: faster for calls of a few microseconds, but a variant may carry state
    /// (and a fault) from one input to the next. Variants that import WASI, and any
    /// instance after a failed call, are never reused; an instance is replaced after
    /// 256 calls, which bounds memory a guest never frees.
    Reuse,
}

/// The engine of a manifest that names none.
pub const DEFAULT_ENGINE: &str = "cranelift";

fn default_engines() -> Vec<String> {
    vec![DEFAULT_ENGINE.to_string()]
}

/// Checks a list of engine names as every place that takes one does: at least one
/// engine, each a lowercase name (`a-z`, `0-9`, `-`) named once. Whether an engine
/// of that name exists is the engine registry's business.
///
/// # Errors
/// An [`EngineListError`] saying which rule the list breaks.
pub fn check_engine_names<S: AsRef<str>>(names: &[S]) -> std::result::Result<(), EngineListError> {
    if names.is_empty() {
        return Err(EngineListError::Empty);
    }
    for (i, n) in names.iter().enumerate() {
        let n = n.as_ref();
        if n.is_empty()
            || !n
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(EngineListError::NotAName { name: n.into() });
        }
        if names[..i].iter().any(|m| m.as_ref() == n) {
            return Err(EngineListError::Twice { name: n.into() });
        }
    }
    Ok(())
}

fn default_wasi() -> bool {
    true
}

fn default_policy() -> String {
    "majority".to_string()
}

/// `[ensemble.limits]`: what one variant may spend on one input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Limits {
    /// Wall-clock deadline in milliseconds (epoch interruption).
    #[serde(default = "d_timeout")]
    pub timeout_ms: u64,
    /// Optional deterministic budget in wasmtime fuel units (about one per instruction).
    #[serde(default)]
    pub fuel: Option<u64>,
    /// Cap on linear memory, in MiB, over all memories of the instance.
    #[serde(default = "d_memory")]
    pub memory_mib: u64,
    /// Cap on the size of one result, in KiB.
    #[serde(default = "d_output")]
    pub output_kib: u64,
    /// Cap on the WebAssembly stack, in KiB.
    #[serde(default = "d_stack")]
    pub stack_kib: u64,
}

fn d_timeout() -> u64 {
    DEFAULT_TIMEOUT_MS
}
fn d_memory() -> u64 {
    DEFAULT_MEMORY_MIB
}
fn d_output() -> u64 {
    DEFAULT_OUTPUT_KIB
}
fn d_stack() -> u64 {
    DEFAULT_STACK_KIB
}

impl Limits {
    /// `output-kib` in bytes: the cap on one result, and on each of stdout and
    /// stderr.
    pub fn output_bytes(&self) -> usize {
        usize::try_from(self.output_kib.saturating_mul(1024)).unwrap_or(usize::MAX)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout_ms: DEFAULT_TIMEOUT_MS,
            fuel: None,
            memory_mib: DEFAULT_MEMORY_MIB,
            output_kib: DEFAULT_OUTPUT_KIB,
            stack_kib: DEFAULT_STACK_KIB,
        }
    }
}

/// One `[[variant]]` entry.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct VariantEntry {
    /// Unique name within the ensemble.
    pub name: String,
    /// The component (`.wasm`, or `.wat` text), relative to the manifest.
    pub path: PathBuf,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Source language.
    #[serde(default)]
    pub language: String,
    /// Compiler and version that built it.
    #[serde(default)]
    pub toolchain: String,
    /// Where its sources live.
    #[serde(default)]
    pub source: Option<String>,
    /// How it came to be (who wrote it, from what).
    #[serde(default)]
    pub provenance: Option<String>,
    /// The algorithms or libraries it derives from (`lineage = "musl libm"` or a
    /// list), for the diversity audit; empty when it derives from none in particular.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub lineage: Vec<String>,
    /// The compiler backend that generated its code (`llvm`, `go gc`, `binaryen`,
    /// `cranelift`, ...; for an interpreter in a component, the interpreter's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend: Option<String>,
}

/// Reads a string or a list of strings as a list.
fn one_or_many<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    ensemble: EnsembleSection,
    #[serde(default, rename = "variant")]
    variants: Vec<VariantEntry>,
    #[serde(default)]
    generate: BTreeMap<String, toml::Value>,
}

impl Manifest {
    /// Reads every variant's module file, in manifest order: the path that names
    /// it (under `dir`) and its bytes.
    ///
    /// # Errors
    /// [`Error::Io`] naming a module that cannot be read or is not a regular file
    /// within [`crate::files::MAX_MODULE_BYTES`].
    pub fn read_modules(&self, dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
        self.variants
            .iter()
            .map(|v| {
                let path = dir.join(&v.path);
                crate::files::read_regular(&path, crate::files::MAX_MODULE_BYTES)
                    .map(|bytes| (path, bytes))
            })
            .collect()
    }

    /// Reads and validates `dir/nvx.toml`.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, [`Error::Manifest`] naming the key
    /// or variant at fault otherwise.
    pub fn load(dir: &Path) -> Result<Manifest> {
        Self::read(dir, false)
    }

    /// Like [`Manifest::load`], but an ensemble without variants is accepted (as
    /// `nvx new` leaves it, before the first `nvx add`).
    ///
    /// # Errors
    /// As [`Manifest::load`].
    pub fn load_allowing_empty(dir: &Path) -> Result<Manifest> {
        Self::read(dir, true)
    }

    fn read(dir: &Path, allow_empty: bool) -> Result<Manifest> {
        let path = dir.join("nvx.toml");
        let text = crate::files::read_text(&path, crate::files::MAX_TEXT_BYTES)?;
        Self::parse(dir, &path, &text, allow_empty)
    }

    /// Parses and validates the text of a manifest for the ensemble folder `dir`
    /// (which is not read: nothing is checked on disk).
    ///
    /// # Errors
    /// [`Error::Manifest`] naming `dir/nvx.toml` and the key or variant at fault.
    pub fn from_toml(dir: &Path, text: &str) -> Result<Manifest> {
        Self::parse(dir, &dir.join("nvx.toml"), text, false)
    }

    pub(crate) fn parse(
        dir: &Path,
        path: &Path,
        text: &str,
        allow_empty: bool,
    ) -> Result<Manifest> {
        let bad = |problem: ManifestProblem| Error::Manifest {
            path: path.to_path_buf(),
            problem,
        };
        let raw: RawManifest =
            toml::from_str(text).map_err(|e| bad(ManifestProblem::Toml(Box::new(e))))?;
        if raw.variants.is_empty() && !allow_empty {
            return Err(bad(ManifestProblem::NoVariants { hint: true }));
        }
        check_engine_names(&raw.ensemble.engines).map_err(|e| bad(ManifestProblem::Engines(e)))?;
        let mut seen = std::collections::BTreeSet::new();
        for v in &raw.variants {
            if v.name.is_empty() {
                return Err(bad(ManifestProblem::EmptyVariantName {
                    path: v.path.clone(),
                }));
            }
            // Names are printed in tables, reports and terminals: control
            // characters there could forge output, so they are refused.
            if v.name.chars().any(char::is_control) {
                return Err(bad(ManifestProblem::ControlCharacters {
                    name: v.name.clone(),
                    path: v.path.clone(),
                }));
            }
            if !seen.insert(v.name.as_str()) {
                return Err(bad(ManifestProblem::DuplicateVariant {
                    name: v.name.clone(),
                }));
            }
            if v.sha256.len() != 64 || !v.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(bad(ManifestProblem::BadSha256 {
                    variant: v.name.clone(),
                    sha256: v.sha256.clone(),
                }));
            }
        }
        let m = Manifest {
            dir: dir.to_path_buf(),
            ensemble: raw.ensemble,
            variants: raw.variants,
            generate: raw.generate,
        };
        m.policy().map_err(|e| bad(ManifestProblem::Policy(e)))?;
        let tol = &m.ensemble.tolerance;
        for (key, v) in [("abs", tol.abs), ("rel", tol.rel)] {
            if let Some(v) = v
                && !(v.is_finite() && v >= 0.0)
            {
                return Err(bad(ManifestProblem::Tolerance { key, value: v }));
            }
        }
        let l = &m.ensemble.limits;
        for (key, v) in [
            ("timeout-ms", l.timeout_ms),
            ("memory-mib", l.memory_mib),
            ("output-kib", l.output_kib),
            ("stack-kib", l.stack_kib),
        ] {
            if v == 0 {
                return Err(bad(ManifestProblem::ZeroLimit { key }));
            }
        }
        if l.memory_mib > 4096 {
            return Err(bad(ManifestProblem::MemoryTooLarge { mib: l.memory_mib }));
        }
        if l.stack_kib > 64 * 1024 {
            return Err(bad(ManifestProblem::StackTooLarge { kib: l.stack_kib }));
        }
        Ok(m)
    }

    /// The voting policy, with the quorum size checked against the variant count.
    ///
    /// # Errors
    /// A [`PolicyError`] naming the bad `policy` or `quorum` value.
    pub fn policy(&self) -> std::result::Result<Policy, PolicyError> {
        Policy::parse(
            &self.ensemble.policy,
            self.ensemble.quorum,
            self.variants.len(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Manifest> {
        Manifest::parse(Path::new("e"), Path::new("e/nvx.toml"), text, false)
    }

    #[test]
    fn variant_names_with_control_characters_are_refused() {
        let text = "[ensemble]\nname = \"e\"\nwit = \"e.wit\"\n[[variant]]\nname = \"a\\u001b[31mb\"\npath = \"a.wasm\"\nsha256 = \"0000000000000000000000000000000000000000000000000000000000000000\"\n";
        let e = parse(text).unwrap_err().to_string();
        assert!(
            e.contains("control characters") && e.contains("\\u{1b}"),
            "{e}"
        );
    }

    const VARIANT: &str = "[[variant]]\nname = \"a\"\npath = \"a.wasm\"\nsha256 = \"0000000000000000000000000000000000000000000000000000000000000000\"\n";

    #[test]
    fn defaults_apply() {
        let m = parse(&format!(
            "[ensemble]\nname = \"x\"\nwit = \"x.wit\"\n{VARIANT}"
        ))
        .unwrap();
        assert_eq!(m.policy(), Ok(Policy::Majority));
        assert_eq!(m.ensemble.limits, Limits::default());
        assert!(!m.ensemble.tolerance.is_set());
    }

    #[test]
    fn lineage_is_a_string_or_a_list() {
        let head = "[ensemble]\nname = \"x\"\nwit = \"x.wit\"\n";
        let v = |extra: &str| {
            format!(
                "[[variant]]\nname = \"a\"\npath = \"a.wasm\"\nsha256 = \"{}\"\n{extra}",
                "0".repeat(64)
            )
        };
        let m = parse(&format!(
            "{head}{}",
            v("lineage = \"musl\"\nbackend = \"llvm\"\n")
        ))
        .unwrap();
        assert_eq!(m.variants[0].lineage, ["musl"]);
        assert_eq!(m.variants[0].backend.as_deref(), Some("llvm"));
        let m = parse(&format!("{head}{}", v("lineage = [\"a\", \"b\"]\n"))).unwrap();
        assert_eq!(m.variants[0].lineage, ["a", "b"]);
        assert!(m.variants[0].backend.is_none());
        let m = parse(&format!("{head}{}", v(""))).unwrap();
        assert!(m.variants[0].lineage.is_empty());
        let err = parse(&format!("{head}{}", v("lineage = 3\n"))).unwrap_err();
        assert!(
            err.to_string().contains("lineage") || err.to_string().contains("variant"),
            "{err}"
        );
    }

    #[test]
    fn errors_name_the_key() {
        let cases = [
            (
                "[ensemble]\nname = \"x\"\nwit = \"x.wit\"\ntimeout = 3\n",
                "timeout",
            ),
            (
                "[ensemble]\nname = \"x\"\nwit = \"x.wit\"\npolicy = \"vibes\"\n",
                "vibes",
            ),
            (
                "[ensemble]\nname = \"x\"\nwit = \"x.wit\"\npolicy = \"quorum\"\nquorum = 5\n",
                "quorum = 5",
            ),
            (
                "[ensemble]\nname = \"x\"\nwit = \"x.wit\"\n[ensemble.limits]\nmemory-mib = 0\n",
                "memory-mib",
            ),
            (
                "[ensemble]\nname = \"x\"\nwit = \"x.wit\"\n[ensemble.tolerance]\nrel = -1.0\n",
                "rel",
            ),
        ];
        for (head, needle) in cases {
            let err = parse(&format!("{head}{VARIANT}")).unwrap_err().to_string();
            assert!(err.contains(needle), "{err} should mention {needle}");
            assert!(err.contains("e/nvx.toml"), "{err}");
        }
        let twice = format!("[ensemble]\nname = \"x\"\nwit = \"x.wit\"\n{VARIANT}{VARIANT}");
        assert!(
            parse(&twice)
                .unwrap_err()
                .to_string()
                .contains("`a` appears twice")
        );
    }
}
