//! Baselines of known divergences: an ensemble folder's `baseline.json` lists the
//! divergence signatures its maintainers accepted, each with a reason. A campaign
//! applies it by default: a divergence whose signature key is listed is *known*,
//! any other is *new*, and the run fails only on new ones. Entries that no longer
//! occur are reported as *stale*. `nvx campaign --bless` rewrites the file from the
//! run, keeping the reasons of entries that still occur.
//!
//! A signature's key (see [`crate::report::Signature::key`]) depends only on the
//! function, whether a verdict was reached, each dissenter with its outcome label,
//! the groups of a tie, the engines that diverged and an expected answer that did
//! not hold: never on timings, input order, job count, shard or the machine. So a
//! baseline recorded with `-j 1` holds for `-j 8`, for every shard of a run, and
//! for their merge.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::model::{EnsembleReport, SignatureReport};
pub use super::model::{Entry, KNOWN, NEW};
use crate::cause::{ManifestProblem, UsageError};
use crate::error::{Error, Result};

/// The file name of an ensemble's baseline.
pub const FILE: &str = "baseline.json";
/// Version of the baseline file's shape.
pub const SCHEMA: u32 = 1;

/// An ensemble's accepted divergences.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Always [`SCHEMA`].
    pub schema: u32,
    /// The ensemble's name (informative; the folder decides which ensemble).
    #[serde(default)]
    pub ensemble: String,
    /// The accepted signatures.
    pub known: Vec<Entry>,
}

impl Baseline {
    /// The path of the baseline of the ensemble folder `dir`.
    pub fn path(dir: &Path) -> PathBuf {
        dir.join(FILE)
    }

    /// Reads the baseline of the ensemble folder `dir`; `None` when it has none.
    ///
    /// # Errors
    /// [`Error::Io`] when it cannot be read; [`Error::Manifest`] naming the file
    /// when it is not a baseline (bad JSON, another schema, an empty key or reason,
    /// a key listed twice).
    pub fn load(dir: &Path) -> Result<Option<Baseline>> {
        let path = Baseline::path(dir);
        if !path.exists() {
            return Ok(None);
        }
        let text = crate::files::read_text(&path, crate::files::MAX_TEXT_BYTES)?;
        let bad = |problem: ManifestProblem| Error::Manifest {
            path: path.clone(),
            problem,
        };
        let b: Baseline =
            serde_json::from_str(&text).map_err(|e| bad(ManifestProblem::BaselineJson(e)))?;
        if b.schema != SCHEMA {
            return Err(bad(ManifestProblem::BaselineSchema {
                found: b.schema,
                expected: SCHEMA,
            }));
        }
        for (i, e) in b.known.iter().enumerate() {
            if e.key.trim().is_empty() {
                return Err(bad(ManifestProblem::BaselineEmptyKey { entry: i + 1 }));
            }
            if e.reason.trim().is_empty() {
                return Err(bad(ManifestProblem::BaselineNoReason {
                    key: e.key.clone(),
                }));
            }
            if b.known[..i].iter().any(|o| o.key == e.key) {
                return Err(bad(ManifestProblem::BaselineTwice { key: e.key.clone() }));
            }
        }
        Ok(Some(b))
    }

    /// The reason `key` is accepted, if it is.
    pub fn reason(&self, key: &str) -> Option<&str> {
        self.known
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.reason.as_str())
    }

    /// Marks each divergence of `report` known or new by this baseline, and lists
    /// its entries that did not occur as stale. A harness failure is never known.
    pub fn apply(&self, report: &mut EnsembleReport, file: &Path) {
        for s in &mut report.signatures {
            let reason = self
                .reason(&s.signature.key)
                .filter(|_| s.signature.harness_failure.is_none())
                .map(str::to_string);
            s.status = if reason.is_some() { KNOWN } else { NEW }.to_string();
            s.known_reason = reason;
        }
        report.baseline = Some(file.display().to_string());
        report.stale_baseline = self
            .known
            .iter()
            .filter(|e| !report.signatures.iter().any(|s| s.signature.key == e.key))
            .cloned()
            .collect();
    }

    /// The baseline that accepts every divergence of `report` (harness failures
    /// excepted): the reasons of `old` where it listed the signature, else a note
    /// that `--bless` accepted it, to be replaced by the real reason on review.
    pub fn bless(report: &EnsembleReport, old: Option<&Baseline>) -> Baseline {
        let known = report
            .signatures
            .iter()
            .filter(|s| s.signature.harness_failure.is_none())
            .map(|s| Entry {
                key: s.signature.key.clone(),
                reason: old.and_then(|b| b.reason(&s.signature.key)).map_or_else(
                    || "accepted by `nvx campaign --bless`; not reviewed yet".to_string(),
                    str::to_string,
                ),
                summary: summary(s),
                example: format!(
                    "{}({}) [{}]",
                    s.signature.function,
                    super::escape::clip(&s.example_input, 200),
                    s.origin
                ),
            })
            .collect();
        Baseline {
            schema: SCHEMA,
            ensemble: report.name.clone(),
            known,
        }
    }

    /// Writes the baseline into the ensemble folder `dir`, replacing the file
    /// whole (written aside, then renamed).
    ///
    /// # Errors
    /// [`Error::Io`] naming the file.
    pub fn write(&self, dir: &Path) -> Result<PathBuf> {
        let path = Baseline::path(dir);
        let tmp = dir.join(format!(".{FILE}.writing"));
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| Error::Usage(UsageError::EncodeBaseline(e)))?
            + "\n";
        let io = |p: &Path| {
            let p = p.to_path_buf();
            move |source| Error::Io { path: p, source }
        };
        std::fs::write(&tmp, text).map_err(io(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io(&path)(e)
        })?;
        Ok(path)
    }
}

/// A signature as one line: `outvoted: c [trap(unreachable)]`.
pub fn summary(s: &SignatureReport) -> String {
    let who = s.signature.dissent(|d, k| format!("{d} [{k}]"));
    if who.is_empty() {
        s.signature.resolution().to_string()
    } else {
        format!("{}: {}", s.signature.resolution(), who.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Signature;

    fn sig(key: &str) -> SignatureReport {
        SignatureReport {
            signature: Signature {
                key: key.into(),
                function: "f".into(),
                ..Signature::default()
            },
            count: 1,
            ..SignatureReport::default()
        }
    }

    #[test]
    fn known_new_and_stale() {
        let b = Baseline {
            schema: SCHEMA,
            ensemble: "e".into(),
            known: vec![
                Entry {
                    key: "f|a".into(),
                    reason: "finding 1".into(),
                    ..Entry::default()
                },
                Entry {
                    key: "f|gone".into(),
                    reason: "fixed upstream".into(),
                    ..Entry::default()
                },
            ],
        };
        let mut r = EnsembleReport {
            name: "e".into(),
            signatures: vec![sig("f|a"), sig("f|b")],
            ..EnsembleReport::default()
        };
        b.apply(&mut r, Path::new("e/baseline.json"));
        assert_eq!(r.signatures[0].known_reason.as_deref(), Some("finding 1"));
        assert_eq!(r.signatures[0].status, KNOWN);
        assert!(r.signatures[0].is_known());
        assert_eq!(r.signatures[1].known_reason, None);
        assert_eq!(r.signatures[1].status, NEW);
        assert_eq!(r.stale_baseline.len(), 1);
        assert_eq!(r.stale_baseline[0].key, "f|gone");
        // Blessing keeps the old reason, notes the new one, drops the stale one.
        let blessed = Baseline::bless(&r, Some(&b));
        let keys: Vec<&str> = blessed.known.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["f|a", "f|b"]);
        assert_eq!(blessed.known[0].reason, "finding 1");
        assert!(blessed.known[1].reason.contains("--bless"));
    }

    #[test]
    fn bad_files_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Baseline::load(dir.path()).unwrap(), None);
        for (text, needle) in [
            ("{", "EOF"),
            (r#"{"schema": 2, "known": []}"#, "schema 2"),
            (
                r#"{"schema": 1, "known": [{"key": "k", "reason": " "}]}"#,
                "no reason",
            ),
            (
                r#"{"schema": 1, "known": [{"key": "k", "reason": "r"}, {"key": "k", "reason": "s"}]}"#,
                "listed twice",
            ),
            (r#"{"schema": 1, "known": [], "extra": 1}"#, "extra"),
        ] {
            std::fs::write(dir.path().join(FILE), text).unwrap();
            let err = Baseline::load(dir.path()).unwrap_err().to_string();
            assert!(err.contains(FILE) && err.contains(needle), "{err}");
        }
    }
}
