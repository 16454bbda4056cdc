//! The campaign report: its versioned JSON schema, merging of shards, and the
//! renderers (text, JSON, Markdown, JUnit, HTML) that all read the same data,
//! registered in [`FORMATS`].
//!
//! Schema 1, as written by `nvx campaign --json` and read by `nvx report` and
//! `nvx merge`: `{"schema": 1, "ensembles": [...]}`; each ensemble has `name`,
//! `inputs`, `divergent_inputs`, `signatures`, `variants` and `agreement`, as
//! documented on [`EnsembleReport`]. Fields are only ever added, never renamed.

pub mod baseline;
pub mod classes;
pub mod coincidence;
pub(crate) mod escape;
mod merge;
pub mod model;
pub(crate) mod render;
mod signature;

pub use model::{
    Agreement, DivergentInput, EnsembleReport, Histogram, LatencyCounter, MAX_LISTED_INPUT,
    MAX_LISTED_OUTCOME, MAX_REPORT_INPUT, Replay, ReportError, RunReport, SCHEMA, SignatureReport,
    VariantStats, clip_input, fractions, sort_signatures,
};
#[cfg(feature = "junit")]
pub use render::render_junit;
pub use render::{
    Align, FORMATS, OutputFlag, ReportFile, Reporter, Table, clip, ns, render_html, render_json,
    render_markdown, render_text, reporter,
};
pub use signature::Signature;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_are_close() {
        let mut c = LatencyCounter::default();
        for ns in 1..=10_000u64 {
            c.record(ns * 100);
        }
        let h = c.histogram();
        let p50 = h.quantile(0.5) as f64;
        assert!((p50 / 500_000.0 - 1.0).abs() < 0.13, "{p50}");
        let p99 = h.quantile(0.99) as f64;
        assert!((p99 / 990_000.0 - 1.0).abs() < 0.13, "{p99}");
        assert_eq!(Histogram::default().quantile(0.5), 0);
        for b in 0..200 {
            assert_eq!(Histogram::bucket(Histogram::upper(b)), b, "bucket {b}");
        }
    }

    #[test]
    fn merge_adds_totals_and_keeps_the_earliest_example() {
        let sig = |first: u64, count: u64| SignatureReport {
            signature: Signature {
                key: "k".into(),
                ..Signature::default()
            },
            first_index: first,
            count,
            example_input: format!("{first}"),
            ..SignatureReport::default()
        };
        let part = |shard: &str, first: u64| RunReport {
            schema: SCHEMA,
            shards: vec![shard.into()],
            ensembles: vec![EnsembleReport {
                name: "e".into(),
                inputs: 10,
                divergent_inputs: 2,
                signatures: vec![sig(first, 2)],
                variants: vec![VariantStats {
                    name: "a".into(),
                    agreed: 8,
                    ..VariantStats::default()
                }],
                agreement: Agreement {
                    variants: vec!["a".into()],
                    matrix: vec![vec![1.0]],
                    counts: vec![vec![10]],
                },
                ..EnsembleReport::default()
            }],
            ..RunReport::default()
        };
        let m = RunReport::merge(&[("a".into(), part("2/2", 7)), ("b".into(), part("1/2", 4))])
            .unwrap();
        let e = &m.ensembles[0];
        assert_eq!(
            (e.inputs, e.divergent_inputs, e.variants[0].agreed),
            (20, 4, 16)
        );
        assert_eq!((e.signatures[0].count, e.signatures[0].first_index), (4, 4));
        assert_eq!(m.shards, vec!["1/2".to_string(), "2/2".to_string()]);
        assert!(
            RunReport::merge(&[("a".into(), part("1/2", 1)), ("b".into(), part("1/2", 1))])
                .is_err()
        );
    }
}
