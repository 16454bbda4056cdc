//! The renderers of a [`RunReport`](super::RunReport): one module per format, all
//! reading the same data, and [`FORMATS`], the list of them that the command line
//! is built from.
//!
//! A new format is one more module here implementing [`Reporter`] and one more line
//! in [`FORMATS`].

mod file;
pub(crate) mod html;
mod json;
#[cfg(feature = "junit")]
mod junit;
mod markdown;
mod reporter;
pub(crate) mod shared;
pub(crate) mod table;
mod text;

pub use file::ReportFile;
pub use html::render_html;
pub use json::render_json;
#[cfg(feature = "junit")]
pub use junit::render_junit;
pub use markdown::render_markdown;
pub use reporter::{OutputFlag, Reporter};
pub use table::{Align, Table};
pub use text::render_text;

pub use crate::report::escape::clip;
pub use shared::ns;

use crate::event::RunOutput;
use crate::report::model::RunReport;

/// Every report format, in the order `nvx report --help` lists them.
pub static FORMATS: &[&dyn Reporter] = &[
    &text::Text,
    &json::Json,
    &markdown::Markdown,
    #[cfg(feature = "junit")]
    &junit::Junit,
    &html::Html,
];

/// The registered format named `name` (as `nvx report --format` spells it).
pub fn reporter(name: &str) -> Option<&'static dyn Reporter> {
    FORMATS.iter().copied().find(|f| f.name() == name)
}

/// A campaign report renders in every registered format.
impl RunOutput for RunReport {
    fn render(&self, format: &str) -> Option<String> {
        reporter(format).map(|r| r.render(self))
    }

    fn formats(&self) -> Vec<&'static str> {
        FORMATS.iter().map(|f| f.name()).collect()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// A fixed report for the renderers' tests: two ensembles, one that agreed and one
/// with two signatures, and names and inputs full of hostile text (control
/// characters, markup, WAVE keywords).
#[cfg(test)]
pub(crate) fn sample() -> crate::report::model::RunReport {
    use crate::report::{
        Agreement, DivergentInput, EnsembleReport, Histogram, Replay, RunReport, SCHEMA, Signature,
        SignatureReport,
    };
    let latency = |base: u64| {
        let mut c = crate::report::model::LatencyCounter::default();
        for i in 0..200u64 {
            c.record(base + (i * 37 % 101) * base / 50);
        }
        c.histogram()
    };
    let stats =
        |name: &str, lang: &str, agreed: u64, h: Histogram| crate::report::model::VariantStats {
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
                        example_args_file: None,
                        status: String::new(),
                        known_reason: None,
                        inputs: vec![
                            DivergentInput {
                                index: 3,
                                origin: "corpus/x.wave:4".into(),
                                name: Some(format!("n_{hostile}")),
                                input: format!("\"{hostile}long\""),
                                outcomes: [
                                    ("good".to_string(), "some(%none)".to_string()),
                                    ("none".to_string(), "trap(unreachable)".to_string()),
                                    ("ok".to_string(), "some(%none)".to_string()),
                                ]
                                .into(),
                            },
                            DivergentInput {
                                index: 40,
                                origin: "generated".into(),
                                name: None,
                                input: "\"|pipe|\"".into(),
                                outcomes: [
                                    ("good".to_string(), "some(%none)".to_string()),
                                    ("none".to_string(), "trap(unreachable)".to_string()),
                                    ("ok".to_string(), "some(%none)".to_string()),
                                ]
                                .into(),
                            },
                        ],
                    },
                    SignatureReport {
                        signature: Signature {
                            key: "k2".into(),
                            function: "parse".into(),
                            dissenters: vec!["good".into(), "none".into(), "ok".into()],
                            kinds: vec!["returned".into(), "timed-out".into(), "returned".into()],
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
                            ("none".to_string(), "timed-out".to_string()),
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

/// The registry's names and flags, and its renderers against the functions.
#[cfg(test)]
mod registry {
    use super::*;

    #[test]
    fn names_and_flags_are_unique_and_render_like_the_functions() {
        let names: Vec<&str> = FORMATS.iter().map(|f| f.name()).collect();
        let mut want = vec!["text", "json", "markdown"];
        #[cfg(feature = "junit")]
        want.push("junit");
        want.push("html");
        assert_eq!(names, want);
        let flags: Vec<&str> = FORMATS
            .iter()
            .filter_map(|f| f.output_flag())
            .map(|f| f.long)
            .collect();
        let mut want = vec!["json", "markdown"];
        #[cfg(feature = "junit")]
        want.push("junit");
        assert_eq!(flags, want);
        let r = sample();
        let render = |name: &str| reporter(name).map(|f| f.render(&r));
        assert_eq!(render("text"), Some(render_text(&r)));
        assert_eq!(render("markdown"), Some(render_markdown(&r)));
        assert_eq!(render("html"), Some(render_html(&r)));
        #[cfg(feature = "junit")]
        assert_eq!(render("junit"), Some(render_junit(&r)));
        assert_eq!(
            render("json"),
            Some(serde_json::to_string_pretty(&r).unwrap() + "\n")
        );
        assert!(reporter("pdf").is_none());
    }
}

#[cfg(test)]
mod listing {
    use super::shared::{HTML_LISTED, HTML_PAGE};
    use super::*;
    use crate::report::model::{DivergentInput, clip_input};

    /// The sample with `n` generated inputs listed under its first signature.
    fn with_inputs(n: u64) -> crate::report::model::RunReport {
        let mut r = sample();
        let sig = &mut r.ensembles[1].signatures[0];
        sig.count = n;
        sig.inputs = (0..n)
            .map(|k| DivergentInput {
                index: k,
                origin: "generated".into(),
                input: format!("\"in-{k}\""),
                ..DivergentInput::default()
            })
            .collect();
        r
    }

    #[test]
    fn html_pages_every_input_up_to_its_bound() {
        let html = render_html(&with_inputs(120));
        assert_eq!(html.matches("<tbody class=\"page\">").count(), 3);
        assert!(html.contains("class=\"pager\""));
        assert!(html.contains("\\\"in-119\\\"") || html.contains("&quot;in-119&quot;"));
        let big = render_html(&with_inputs(HTML_LISTED as u64 + 5));
        assert_eq!(
            big.matches("<tbody class=\"page\">").count(),
            HTML_LISTED / HTML_PAGE
        );
        assert!(big.contains("and 5 more; the JSON report"));
    }

    #[test]
    fn text_markdown_and_junit_list_a_bounded_number_with_their_origin() {
        let r = with_inputs(60);
        let text = render_text(&r);
        assert!(text.contains("generated #9: \"in-9\""), "{text}");
        assert!(!text.contains("\"in-10\""));
        assert!(text.contains("and 50 more"));
        let md = render_markdown(&r);
        assert!(md.contains("| `\"in-49\"` | generated #49 |"), "{md}");
        assert!(!md.contains("\"in-50\""));
        assert!(md.contains("and 10 more"));
        #[cfg(feature = "junit")]
        {
            let junit = render_junit(&r);
            assert!(junit.contains("generated #9"));
            assert!(junit.contains("and 50 more"));
        }
        // The JSON report has all of them.
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            json["ensembles"][1]["signatures"][0]["inputs"]
                .as_array()
                .map(Vec::len),
            Some(60)
        );
    }

    #[test]
    fn clipped_inputs_keep_a_prefix_and_name_the_whole() {
        let text = "é".repeat(3000); // 6000 bytes
        let c = clip_input(&text, 4097, "in /tmp/x.args");
        assert!(c.starts_with(&"é".repeat(2048)));
        assert!(c.ends_with("… [clipped: 6000 bytes in all; whole input in /tmp/x.args]"));
        assert_eq!(clip_input("short", 4096, "x"), "short");
    }
}
