//! The renderers of a [`RunReport`](super::RunReport): one module per format, all
//! reading the same data.

pub(crate) mod html;
#[cfg(feature = "junit")]
mod junit;
mod markdown;
mod table;
mod text;

pub use html::render_html;
#[cfg(feature = "junit")]
pub use junit::render_junit;
pub use markdown::render_markdown;
pub use table::{Align, Table};
pub use text::render_text;

use std::borrow::Cow;

use crate::report::VariantStats;

/// `s` with every control character other than tab and line breaks, and the
/// non-characters U+FFFE and U+FFFF, written as a visible `\u{…}` escape: what
/// XML 1.0 forbids, and what would drive a terminal, is shown instead of lost.
pub(crate) fn visible(s: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if !s.contains(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A variant's failures by kind, as `kind×count` joined with `, `; `-` for none.
pub(crate) fn failures(v: &VariantStats) -> String {
    if v.failures.is_empty() {
        return "-".into();
    }
    let parts: Vec<String> = v.failures.iter().map(|(k, c)| format!("{k}×{c}")).collect();
    parts.join(", ")
}

/// The fraction of inputs on which a variant sided with the verdict.
pub(crate) fn agreement_rate(v: &VariantStats, inputs: u64) -> f64 {
    if inputs == 0 {
        1.0
    } else {
        v.agreed as f64 / inputs as f64
    }
}

/// Formats nanoseconds compactly for tables (`812ns`, `14.2µs`, `3.10ms`, `1.20s`).
pub fn ns(n: u64) -> String {
    match n {
        0..=999 => format!("{n}ns"),
        1_000..=999_999 => format!("{:.1}µs", n as f64 / 1e3),
        1_000_000..=999_999_999 => format!("{:.2}ms", n as f64 / 1e6),
        _ => format!("{:.2}s", n as f64 / 1e9),
    }
}

pub(crate) fn pct(x: f64) -> String {
    let p = x * 100.0;
    if p > 99.99 && p < 100.0 {
        "99.99%".into()
    } else {
        format!("{p:.2}%")
    }
}

/// Shortens text to at most `max` characters, marking the cut with `…`.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// A fixed report for the renderers' tests: two ensembles, one that agreed and one
/// with two signatures, and names and inputs full of hostile text (control
/// characters, markup, WAVE keywords).
#[cfg(test)]
pub(crate) fn sample() -> crate::report::RunReport {
    use crate::report::{
        Agreement, EnsembleReport, Histogram, Replay, RunReport, SCHEMA, Signature, SignatureReport,
    };
    let latency = |base: u64| {
        let mut c = crate::report::LatencyCounter::default();
        for i in 0..200u64 {
            c.record(base + (i * 37 % 101) * base / 50);
        }
        c.histogram()
    };
    let stats = |name: &str, lang: &str, agreed: u64, h: Histogram| VariantStats {
        name: name.into(),
        language: lang.into(),
        agreed,
        dissented: 200 - agreed,
        failures: if agreed < 200 {
            [("trap(unreachable)".to_string(), 200 - agreed)].into()
        } else {
            Default::default()
        },
        latency_p50_ns: h.quantile(0.5),
        latency_p99_ns: h.quantile(0.99),
        latency: h,
    };
    let hostile = "<script>alert(1)</script>\u{1}\u{1b}[31m&\"'|`none";
    RunReport {
        schema: SCHEMA,
        nvx_version: "0.1.0".into(),
        seed: 7,
        generate: 200,
        shards: Vec::new(),
        peak_rss_bytes: Some(64 << 20),
        started_unix_s: Some(1_764_604_800),
        host: "ci-host".into(),
        ensembles: vec![
            EnsembleReport {
                name: "calm".into(),
                dir: "wasm-modules/calm".into(),
                policy: "majority".into(),
                engines: vec!["cranelift".into()],
                inputs: 200,
                generated_inputs: 200,
                nontrivial_inputs: 150,
                variants: vec![
                    stats("a", "rust", 200, latency(2_000)),
                    stats("b", "c", 200, latency(9_000)),
                ],
                agreement: Agreement {
                    variants: vec!["a".into(), "b".into()],
                    matrix: vec![vec![1.0, 1.0], vec![1.0, 1.0]],
                    counts: vec![vec![200, 200], vec![200, 200]],
                },
                elapsed_ns: 1_500_000_000,
                ..EnsembleReport::default()
            },
            EnsembleReport {
                name: format!("faulty {hostile}"),
                dir: "examples/faulty".into(),
                policy: "majority".into(),
                engines: vec!["cranelift".into()],
                inputs: 200,
                divergent_inputs: 12,
                corpus_inputs: 20,
                generated_inputs: 180,
                nontrivial_inputs: 120,
                signatures: vec![
                    SignatureReport {
                        signature: Signature {
                            key: "k1".into(),
                            function: "parse".into(),
                            dissenters: vec!["none".into()],
                            kinds: vec!["trap(unreachable)".into()],
                            verdict: true,
                            ..Signature::default()
                        },
                        count: 9,
                        first_index: 3,
                        origin: "corpus/x.wave:4".into(),
                        example_input: format!("\"{hostile}long\""),
                        shrunk_input: "\"\\u{1}<script>\"".into(),
                        outcomes: [
                            ("good".to_string(), "some(%none)".to_string()),
                            ("none".to_string(), "trap(unreachable)".to_string()),
                            ("ok".to_string(), "some(%none)".to_string()),
                        ]
                        .into(),
                        shrink_ns: 42_000_000,
                        reproduce: "nvx call examples/faulty parse '\"\\u{1}<script>\"'".into(),
                        replay: Some(Replay {
                            ensemble: "examples/faulty".into(),
                            function: "parse".into(),
                            args: vec!["\"\\u{1}<script>\"".into()],
                            ..Replay::default()
                        }),
                    },
                    SignatureReport {
                        signature: Signature {
                            key: "k2".into(),
                            function: "parse".into(),
                            dissenters: vec!["good".into(), "none".into(), "ok".into()],
                            kinds: vec!["returned".into(), "timeout".into(), "returned".into()],
                            verdict: false,
                            groups: vec![vec!["good".into()], vec!["ok".into()]],
                            ..Signature::default()
                        },
                        count: 3,
                        first_index: 11,
                        origin: "generated".into(),
                        example_input: "\"inf\"".into(),
                        shrunk_input: "\"inf\"".into(),
                        outcomes: [
                            ("good".to_string(), "some(1)".to_string()),
                            ("none".to_string(), "timeout".to_string()),
                            ("ok".to_string(), "some(2)".to_string()),
                        ]
                        .into(),
                        shrink_ns: 7_000_000,
                        reproduce: "nvx call examples/faulty parse '\"inf\"'".into(),
                        ..SignatureReport::default()
                    },
                ],
                variants: vec![
                    stats("good", "rust", 197, latency(3_000)),
                    stats("none", hostile, 188, latency(40_000)),
                    stats("ok", "go", 197, latency(700)),
                ],
                agreement: Agreement {
                    variants: vec!["good".into(), "none".into(), "ok".into()],
                    matrix: vec![
                        vec![1.0, 0.94, 0.985],
                        vec![0.94, 1.0, 0.93],
                        vec![0.985, 0.93, 1.0],
                    ],
                    counts: vec![
                        vec![200, 188, 197],
                        vec![188, 200, 186],
                        vec![197, 186, 200],
                    ],
                },
                elapsed_ns: 2_250_000_000,
                ..EnsembleReport::default()
            },
        ],
    }
}

/// Every renderer on the fixed [`sample`], against committed snapshots
/// (`INSTA_UPDATE=always cargo test` rewrites them; review the diff).
#[cfg(test)]
mod snapshots {
    use super::*;

    #[test]
    fn text() {
        insta::assert_snapshot!(render_text(&sample()));
    }

    #[test]
    fn markdown() {
        insta::assert_snapshot!(render_markdown(&sample()));
    }

    #[cfg(feature = "junit")]
    #[test]
    fn junit() {
        insta::assert_snapshot!(render_junit(&sample()));
    }

    #[test]
    fn html() {
        insta::assert_snapshot!(render_html(&sample()));
    }

    #[test]
    fn json() {
        insta::assert_snapshot!(serde_json::to_string_pretty(&sample()).unwrap());
    }
}
